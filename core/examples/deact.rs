use roster_core::{
    access,
    audit::Source,
    directory::{self, Query, SortKey},
    lifecycle::{self, Handover},
    workspace::Workspace,
};
use std::time::Instant;
fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let ws = Workspace::open(&path).unwrap();
    let id = access::first_admin(&ws).unwrap().unwrap();
    let admin = access::admin(&ws, &id, Source::Cli).unwrap();
    let query = Query { sort: SortKey::Email, ..Query::default() };
    let ids: Vec<String> = directory::ids(&ws, &query, Some((20_000, 30_000)))
        .unwrap()
        .into_iter()
        .filter(|i| Some(i) != admin.id.as_ref())
        .collect();
    let managers: std::collections::HashSet<String> = ws
        .read(|tx| {
            let mut s = tx.prepare("SELECT DISTINCT manager_id FROM people WHERE manager_id IS NOT NULL")?;
            let v = s.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok(v)
        })
        .unwrap();
    let ids: Vec<String> = if std::env::var("LEAVES").is_ok() {
        directory::ids(&ws, &query, Some((20_000, 50_000)))
            .unwrap()
            .into_iter()
            .filter(|i| !managers.contains(i) && Some(i) != admin.id.as_ref())
            .take(10_000)
            .collect()
    } else {
        ids.into_iter().take(10_000).collect()
    };
    assert_eq!(ids.len(), 10_000);
    for _ in 0..3 {
        let t = Instant::now();
        let change = lifecycle::deactivate(&ws, &admin, &ids, Some("Bench"), Some(&Handover::Nobody)).unwrap();
        eprintln!("deactivate {:?}", t.elapsed());
        let t = Instant::now();
        lifecycle::undo(&ws, &admin, &change.change_id).unwrap();
        ws.wait_for_checkpoint();
        eprintln!("undo {:?}", t.elapsed());
    }
}

use roster_core::{access, audit::Source, erase, workspace::Workspace};
use std::time::Instant;
fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let ids: Vec<String> = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut stmt = conn.prepare("SELECT subject_id FROM reviews WHERE id LIKE 'hr-%-1' ORDER BY id").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<Vec<String>, _>>().unwrap()
    };
    let ws = Workspace::open(&path).unwrap();
    let id = access::first_admin(&ws).unwrap().unwrap();
    let admin = access::admin(&ws, &id, Source::Cli).unwrap();
    for id in ids.iter().take(12) {
        let keys = vec![id.clone()];
        let name = erase::preview(&ws, &keys).unwrap().confirmation;
        let t = Instant::now();
        erase::erase(&ws, &admin, &keys, &name).unwrap();
        eprintln!("erase {:?}", t.elapsed());
    }
}

use roster_core::{
    directory::{self, Query},
    workspace::Workspace,
};
fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let ws = Workspace::open(&path).unwrap();
    for _ in 0..5 {
        let t = std::time::Instant::now();
        directory::page(&ws, &Query::default(), 0, 100).unwrap();
        eprintln!("build {:?}", t.elapsed());
        ws.write(|tx| {
            tx.execute("UPDATE people SET title = title WHERE rowid = 5", [])?;
            Ok(())
        })
        .unwrap();
    }
}

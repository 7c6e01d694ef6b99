use roster_core::hris::{self, ImportFile};
use std::path::Path;
use std::time::Instant;
const NEW_HIRES: usize = 1_000;

/// The HRIS export of the company in `path`, a day later.
fn export(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    let heads: Vec<String> = conn
        .prepare("SELECT p.email FROM people p JOIN people ceo ON ceo.id = p.manager_id WHERE ceo.manager_id IS NULL ORDER BY p.email")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let departments = ["Engineering", "Sales", "Finance", "People", "Marketing"];
    let mut csv = csv::Writer::from_writer(Vec::new());
    let header =
        ["First Name", "Last Name", "Title", "Login Email", "Manager Email", "Department", "Location", "Hiring Date"];
    csv.write_record(header.iter().chain(&["Status"])).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT p.first_name, p.last_name, p.title, p.email, coalesce(m.email, ''), p.department, p.location,
                    coalesce(p.hire_date, ''), p.status, p.role, coalesce(m.manager_id, '') = ''
             FROM people p LEFT JOIN people m ON m.id = p.manager_id ORDER BY p.email",
        )
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut i = 0usize;
    while let Some(r) = rows.next().unwrap() {
        let get = |n| r.get::<_, String>(n).unwrap();
        let (mut manager, mut department) = (get(4), get(5));
        let mut status = if get(8) == "active" { "Active" } else { "Terminated" };
        let admin = get(9) == "admin";
        let reports_to_ceo_or_nobody: bool = r.get(10).unwrap();
        if !admin && status == "Active" {
            if i.is_multiple_of(97) {
                status = "Terminated"; // a leaver
            } else if i % 50 == 1 {
                department = departments[i % departments.len()].to_string(); // a move
            } else if i % 71 == 2 && !reports_to_ceo_or_nobody {
                manager = heads[i % heads.len()].clone(); // a new manager
            }
        }
        let row = [get(0), get(1), get(2), get(3), manager, department, get(6), get(7), status.to_string()];
        csv.write_record(&row).unwrap();
        i += 1;
    }
    for n in 0..NEW_HIRES {
        let (last, email) = (format!("Hire {n:04}"), format!("new.hire{n:04}@bench.test"));
        let manager = &heads[n % heads.len()];
        let row = ["New", &last, "Engineer", &email, manager, "Engineering", "Berlin", "2026-11-30", "Active"];
        csv.write_record(row).unwrap();
    }
    String::from_utf8(csv.into_inner().unwrap()).unwrap()
}

fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let csvp = std::path::PathBuf::from("/tmp/hris-export.csv");
    if !csvp.exists() {
        std::fs::write(&csvp, export(&path)).unwrap();
    }
    let text = std::fs::read(&csvp).unwrap();
    let ws = roster_core::Workspace::open(&path).unwrap();
    let file = ImportFile { name: "hris-export.csv".into(), bytes: text };
    for _ in 0..5 {
        let t = Instant::now();
        let plan = hris::plan(&ws, &file).unwrap();
        eprintln!("plan {:?} {:?}", t.elapsed(), plan.counts);
    }
}

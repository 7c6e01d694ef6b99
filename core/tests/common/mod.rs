//! A real workspace file in a temporary folder, with a company and people to work on.
#![allow(dead_code)] // each test file uses its own part of this

use roster_core::audit::{Actor, Source};
use roster_core::company::{self, Setup};
use roster_core::people::{self, NewPerson, Role};
use roster_core::{access, demo, Workspace};

pub const ADMIN_PASSWORD: &str = "correct horse battery";

pub struct Company {
    pub dir: tempfile::TempDir,
    pub ws: Workspace,
    pub admin: Actor,
}

pub fn setup(seats: i64, demo: bool) -> Setup {
    Setup {
        company_name: "Acme".into(),
        seats,
        admin_first_name: "Ada".into(),
        admin_last_name: "Admin".into(),
        admin_email: "ada@acme.test".into(),
        demo,
        admin_password: Some(ADMIN_PASSWORD.into()),
        subscription_until: None,
    }
}

pub fn company(seats: i64) -> Company {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(&dir.path().join("w.roster")).unwrap();
    let admin_id = company::create(&ws, &setup(seats, false), Source::Cli, 1).unwrap();
    let admin = access::admin(&ws, &admin_id, Source::Cli).unwrap();
    Company { dir, ws, admin }
}

pub fn demo_company() -> Company {
    demo_company_of(demo::Size::standard(7))
}

/// A demo company of another size or seed: another shape of company and history.
pub fn demo_company_of(size: demo::Size) -> Company {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(&dir.path().join("w.roster")).unwrap();
    let admin_id = company::create_sized(&ws, &setup(size.people as i64 + 10, true), Source::Cli, size).unwrap();
    let admin = access::admin(&ws, &admin_id, Source::Cli).unwrap();
    Company { dir, ws, admin }
}

/// Adds a person and returns their id.
pub fn add(ws: &Workspace, first: &str, last: &str, manager: Option<&str>) -> String {
    let person = NewPerson {
        first_name: first.into(),
        last_name: last.into(),
        email: format!("{}.{}@acme.test", first.to_lowercase(), last.to_lowercase()),
        title: "Engineer".into(),
        department: "Engineering".into(),
        location: "Berlin".into(),
        hire_date: Some("2024-01-15".into()),
        manager_id: manager.map(str::to_string),
        role: Role::Employee,
    };
    ws.write(|tx| people::insert_tx(tx, &person)).unwrap().id
}

pub fn status(ws: &Workspace, id: &str) -> String {
    ws.read(|tx| {
        Ok(tx.query_row(
            "SELECT status FROM people JOIN lifecycle ON lifecycle.person = people.rowid WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?)
    })
    .unwrap()
}

pub fn manager_of(ws: &Workspace, id: &str) -> Option<String> {
    ws.read(|tx| {
        Ok(tx.query_row(
            "SELECT manager_id FROM people JOIN lifecycle ON lifecycle.person = people.rowid WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?)
    })
    .unwrap()
}

pub fn audit_count(ws: &Workspace) -> i64 {
    ws.read(|tx| Ok(tx.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?)).unwrap()
}

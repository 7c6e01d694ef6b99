//! What every benchmark starts from: a company in a real workspace file, and its admin.

use std::path::Path;

use roster_core::audit::{Actor, Source};
use roster_core::company::{self, Setup};
use roster_core::{access, Workspace};

/// Creates the company "Bench Co" (admin ada@bench.test) in a new workspace file.
pub fn company(path: &Path, seats: i64) {
    let ws = Workspace::open(path).unwrap();
    let setup = Setup {
        company_name: "Bench Co".into(),
        seats,
        admin_first_name: "Ada".into(),
        admin_last_name: "Admin".into(),
        admin_email: "ada@bench.test".into(),
        demo: false,
        admin_password: None,
        subscription_until: None,
    };
    company::create(&ws, &setup, Source::Cli, 1).unwrap();
}

/// Opens the workspace with its admin as the actor.
pub fn open_admin(path: &Path) -> (Workspace, Actor) {
    let ws = Workspace::open(path).unwrap();
    let id = access::first_admin(&ws).unwrap().unwrap();
    let admin = access::admin(&ws, &id, Source::Cli).unwrap();
    (ws, admin)
}

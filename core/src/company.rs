//! The company of a workspace: created once by the first-run wizard (or `rosterctl init`), together
//! with its first admin and, if asked, a demo company.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::{self, Action, Actor, Entry, Source};
use crate::demo;
use crate::error::{Error, Result};
use crate::people::{self, NewPerson, Role};
use crate::time;
use crate::workspace::Workspace;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Company {
    pub name: String,
    pub seats: i64,
}

/// What the first-run wizard asks.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Setup {
    pub company_name: String,
    pub seats: i64,
    pub admin_first_name: String,
    pub admin_last_name: String,
    pub admin_email: String,
    #[serde(default)]
    pub demo: bool,
}

pub fn get(ws: &Workspace) -> Result<Option<Company>> {
    ws.read(|tx| {
        Ok(tx
            .query_row("SELECT name, seats FROM company", [], |r| Ok(Company { name: r.get(0)?, seats: r.get(1)? }))
            .optional()?)
    })
}

/// Creates the company and its first admin (and the demo people) in one transaction; returns the
/// admin's id. `seed` makes the demo company reproducible.
pub fn create(ws: &Workspace, setup: &Setup, source: Source, seed: u64) -> Result<String> {
    let name = setup.company_name.trim();
    if name.is_empty() {
        return Err(Error::invalid_input("Give the company a name."));
    }
    if !(1..=10_000_000).contains(&setup.seats) {
        return Err(Error::invalid_input(format!(
            "{} seats is not possible: the license needs between 1 and 10,000,000 seats.",
            setup.seats
        )));
    }
    ws.write(|tx| {
        if tx.query_row("SELECT count(*) FROM company", [], |r| r.get::<_, i64>(0))? > 0 {
            return Err(Error::conflict(
                "This workspace already has a company: open it, or choose a new workspace file.",
            ));
        }
        tx.execute(
            "INSERT INTO company (id, name, seats, created_at) VALUES (1, ?1, ?2, ?3)",
            rusqlite::params![name, setup.seats, time::now()],
        )?;
        let admin = people::insert_tx(
            tx,
            &NewPerson {
                first_name: setup.admin_first_name.clone(),
                last_name: setup.admin_last_name.clone(),
                email: setup.admin_email.clone(),
                title: "HR Administrator".into(),
                department: "People".into(),
                location: String::new(),
                hire_date: Some(chrono::Utc::now().date_naive().to_string()),
                manager_id: None,
                role: Role::Admin,
            },
        )?;
        let actor = Actor { id: Some(admin.id.clone()), name: admin.name.clone(), source };
        let change = people::new_id();
        let after = json!({ "name": name, "seats": setup.seats });
        audit::record_tx(
            tx,
            &actor,
            &change,
            Entry { action: Action::CompanyCreated, subject: None, before: None, after: Some(after) },
        )?;
        audit::record_tx(
            tx,
            &actor,
            &change,
            Entry {
                action: Action::PersonCreated,
                subject: Some(&admin),
                before: None,
                after: Some(json!({ "role": "admin" })),
            },
        )?;
        if setup.demo {
            demo::populate_tx(tx, &actor, &admin.id, seed)?;
        }
        Ok(admin.id)
    })
}

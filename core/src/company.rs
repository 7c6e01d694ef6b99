//! The company of a workspace: created once by the first-run wizard (or `rosterctl init`), together
//! with its first admin and, if asked, a demo company.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::access::passwords;
use crate::audit::{self, Action, Actor, Entry, Source};
use crate::demo;
use crate::error::{Error, Result};
use crate::people::{self, NewPerson, Role};
use crate::subscription;
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
    /// The first admin's password (the wizard asks for it; `rosterctl init` may set it later).
    #[serde(default)]
    pub admin_password: Option<String>,
    /// The first subscription's last paid day, `YYYY-MM-DD`; a year from today when not given.
    #[serde(default)]
    pub subscription_until: Option<String>,
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
    create_sized(ws, setup, source, demo::Size::standard(seed))
}

/// `create` with a demo company of another size (`rosterctl demo --people`, the benchmarks).
pub fn create_sized(ws: &Workspace, setup: &Setup, source: Source, demo_size: demo::Size) -> Result<String> {
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
    let password = setup.admin_password.as_deref().map(passwords::hash).transpose()?;
    let until = match setup.subscription_until.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(until) => subscription::check_until(until)?,
        None => chrono::Utc::now().date_naive() + chrono::Duration::days(365),
    };
    ws.write(|tx| {
        if tx.query_row("SELECT count(*) FROM company", [], |r| r.get::<_, i64>(0))? > 0 {
            return Err(Error::conflict(
                "This workspace already has a company: open it, or choose a new workspace file.",
            ));
        }
        tx.execute(
            "INSERT INTO company (id, name, seats, created_at, active_until) VALUES (1, ?1, ?2, ?3, ?4)",
            rusqlite::params![name, setup.seats, time::now(), until.to_string()],
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
        tx.execute("UPDATE people SET password_hash = ?1 WHERE id = ?2", rusqlite::params![password, admin.id])?;
        let actor = Actor { id: Some(admin.id.clone()), name: admin.name.clone(), source };
        let change = people::new_id();
        let after = json!({ "name": name, "seats": setup.seats, "activeUntil": until.to_string() });
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
            demo::populate_tx(tx, &actor, &admin.id, demo_size)?;
        }
        Ok(admin.id)
    })
}

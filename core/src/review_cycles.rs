//! Review cycles: drafted with their participants (active people, of one department or everyone),
//! then started, which creates a pending review per participant for their manager to write. Starting
//! needs an active subscription; deactivated people are never participants.

use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::access::require_admin_tx;
use crate::audit::{self, Action, Actor, Entry};
use crate::error::{Error, Result};
use crate::people;
use crate::subscription;
use crate::time;
use crate::workspace::Workspace;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCycle {
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    /// Only this department's active people; everyone active when None.
    #[serde(default)]
    pub department: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cycle {
    pub id: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: String,
    pub participants: i64,
    pub reviews: i64,
    pub submitted: i64,
}

const COLUMNS: &str = "c.id, c.name, c.starts_on, c.ends_on, c.status,
    (SELECT count(*) FROM cycle_participants WHERE cycle_id = c.id),
    (SELECT count(*) FROM reviews WHERE cycle_id = c.id),
    (SELECT count(*) FROM reviews WHERE cycle_id = c.id AND submitted_at IS NOT NULL)";

fn cycle_from_row(r: &rusqlite::Row) -> rusqlite::Result<Cycle> {
    Ok(Cycle {
        id: r.get(0)?,
        name: r.get(1)?,
        starts_on: r.get(2)?,
        ends_on: r.get(3)?,
        status: r.get(4)?,
        participants: r.get(5)?,
        reviews: r.get(6)?,
        submitted: r.get(7)?,
    })
}

fn get_tx(tx: &Transaction, id: &str) -> Result<Cycle> {
    tx.query_row(&format!("SELECT {COLUMNS} FROM review_cycles c WHERE c.id = ?1"), [id], cycle_from_row).map_err(|e| {
        match e {
            rusqlite::Error::QueryReturnedNoRows => Error::not_found(format!("There is no review cycle “{id}”.")),
            e => e.into(),
        }
    })
}

/// Every cycle, newest first.
pub fn list(ws: &Workspace) -> Result<Vec<Cycle>> {
    ws.read(|tx| {
        let mut stmt =
            tx.prepare(&format!("SELECT {COLUMNS} FROM review_cycles c ORDER BY c.starts_on DESC, c.name"))?;
        let cycles = stmt.query_map([], cycle_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(cycles)
    })
}

/// The departments of active people, for choosing participants.
pub fn departments(ws: &Workspace) -> Result<Vec<String>> {
    ws.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT DISTINCT p.department FROM people p JOIN lifecycle l ON l.person = p.rowid
             WHERE l.status = 'active' AND p.department <> '' ORDER BY p.department COLLATE NOCASE",
        )?;
        let departments = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(departments)
    })
}

/// Drafts a cycle with its participants.
pub fn create(ws: &Workspace, actor: &Actor, new: &NewCycle) -> Result<Cycle> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(Error::invalid_input("Give the review cycle a name, for example “2027 H1 review”."));
    }
    let starts = time::parse_date("Starts on", &new.starts_on)?;
    let ends = time::parse_date("Ends on", &new.ends_on)?;
    if ends < starts {
        return Err(Error::invalid_input(format!(
            "The cycle ends ({ends}) before it starts ({starts}): swap the dates."
        )));
    }
    let department = new.department.as_deref().map(str::trim).filter(|d| !d.is_empty());
    ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let id = people::new_id();
        tx.execute(
            "INSERT INTO review_cycles (id, name, starts_on, ends_on, status, created_at) VALUES (?1, ?2, ?3, ?4, 'draft', ?5)",
            params![id, name, starts.to_string(), ends.to_string(), time::now()],
        )?;
        let added = tx.execute(
            "INSERT INTO cycle_participants (cycle_id, person_id)
             SELECT ?1, p.id FROM people p JOIN lifecycle l ON l.person = p.rowid
             WHERE l.status = 'active' AND (?2 IS NULL OR p.department = ?2)",
            params![id, department],
        )?;
        if added == 0 {
            return Err(Error::invalid_input(format!(
                "Nobody active works in {}: choose another department, or everyone.",
                department.unwrap_or("this company")
            )));
        }
        let after = json!({ "name": name, "department": department, "participants": added });
        audit::record_tx(tx, actor, &people::new_id(), Entry { action: Action::CycleCreated, subject: None, before: None, after: Some(after) })?;
        get_tx(tx, &id)
    })
}

/// Starts a drafted cycle: one pending review per participant who is still active, for their manager.
pub fn start(ws: &Workspace, actor: &Actor, id: &str) -> Result<Cycle> {
    ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let cycle = get_tx(tx, id)?;
        if cycle.status != "draft" {
            return Err(Error::precondition_failed(format!("{} has already started.", cycle.name)));
        }
        subscription::require_active_tx(tx, "starting a review cycle")?;
        // People deactivated since the draft are no longer participants.
        tx.execute(
            "DELETE FROM cycle_participants WHERE cycle_id = ?1
             AND person_id IN (SELECT p.id FROM people p JOIN lifecycle l ON l.person = p.rowid WHERE l.status <> 'active')",
            [id],
        )?;
        let mut participants = tx.prepare("SELECT p.id, l.manager_id FROM cycle_participants c JOIN people p ON p.id = c.person_id
             JOIN lifecycle l ON l.person = p.rowid WHERE c.cycle_id = ?1")?;
        let rows = participants
            .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if rows.is_empty() {
            return Err(Error::precondition_failed(format!("Everyone in {} has been deactivated: draft a new cycle.", cycle.name)));
        }
        let mut review = tx.prepare_cached("INSERT INTO reviews (id, cycle_id, subject_id, reviewer_id) VALUES (?1, ?2, ?3, ?4)")?;
        for (person, manager) in &rows {
            review.execute(params![people::new_id(), id, person, manager])?;
        }
        tx.execute("UPDATE review_cycles SET status = 'active' WHERE id = ?1", [id])?;
        let after = json!({ "name": cycle.name, "participants": rows.len() });
        audit::record_tx(tx, actor, &people::new_id(), Entry { action: Action::CycleStarted, subject: None, before: None, after: Some(after) })?;
        get_tx(tx, id)
    })
}

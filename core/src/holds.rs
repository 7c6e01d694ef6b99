//! Sync holds: "Keep active until DATE — reason" on a person's profile. Until that day (included) no
//! HRIS import deactivates them; the import's plan lists them as held. This replaces the article's
//! switch-imports-off, reactivate, switch-them-on dance (which keeps working too).

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::access::require_admin_tx;
use crate::audit::{self, Action, Actor, Entry};
use crate::error::{Error, Result};
use crate::people::{self, PersonRef};
use crate::time;
use crate::workspace::Workspace;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hold {
    /// The last day the hold keeps the person active, YYYY-MM-DD.
    pub until: String,
    pub reason: String,
    pub created_at: String,
    /// The admin who set it, by name.
    pub created_by: String,
    /// Whether it still holds (until is today or later).
    pub active: bool,
}

/// A person with a hold, for the list of holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonHold {
    pub id: String,
    pub name: String,
    pub hold: Hold,
}

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn hold_tx(tx: &Transaction, person_id: &str) -> Result<Option<Hold>> {
    let today = today().to_string();
    Ok(tx
        .prepare_cached("SELECT until, reason, created_at, created_by FROM sync_holds WHERE person_id = ?1")?
        .query_row([person_id], |r| {
            let until: String = r.get(0)?;
            Ok(Hold { active: until >= today, until, reason: r.get(1)?, created_at: r.get(2)?, created_by: r.get(3)? })
        })
        .optional()?)
}

/// The person a key means, refusing a merged-away account (its hold belongs on the kept one).
fn person_tx(tx: &Transaction, key: &str) -> Result<PersonRef> {
    let person = people::resolve_tx(tx, key)?;
    let merged: Option<String> = tx
        .query_row(
            "SELECT m.name FROM people p JOIN people m ON m.id = p.merged_into_id WHERE p.id = ?1",
            [&person.id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(into) = merged {
        return Err(Error::precondition_failed(format!(
            "{} was merged into {into}: set the sync hold on {into} instead.",
            person.name
        )));
    }
    Ok(person)
}

/// Keeps `person` (id, email or employee ID) active through HRIS imports until `until` (YYYY-MM-DD,
/// today or later), for `reason`. Replaces any hold they had. Admin only; audited.
pub fn set(ws: &Workspace, actor: &Actor, person: &str, until: &str, reason: &str) -> Result<Hold> {
    let day = time::parse_date("The hold's end date", until)?;
    if day < today() {
        return Err(Error::invalid_input(format!(
            "{day} is in the past: a sync hold keeps someone active until a day to come. Choose today or a later date."
        )));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid_input(
            "Say why the person stays active (for example “Contract extended, HRIS not updated yet”).",
        ));
    }
    if reason.chars().count() > 500 {
        return Err(Error::invalid_input("The reason is longer than 500 characters: shorten it."));
    }
    ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let subject = person_tx(tx, person)?;
        let before = hold_tx(tx, &subject.id)?;
        let now = time::now();
        tx.execute(
            "INSERT INTO sync_holds (person_id, until, reason, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (person_id) DO UPDATE SET until = excluded.until, reason = excluded.reason,
                 created_at = excluded.created_at, created_by = excluded.created_by",
            params![subject.id, day.to_string(), reason, now, actor.name],
        )?;
        let entry = Entry {
            action: Action::HoldSet,
            subject: Some(&subject),
            before: before.map(|h| json!({ "until": h.until, "reason": h.reason })),
            after: Some(json!({ "until": day.to_string(), "reason": reason })),
        };
        audit::record_tx(tx, actor, &people::new_id(), entry)?;
        Ok(hold_tx(tx, &subject.id)?.expect("just written"))
    })
}

/// Removes `person`'s sync hold: the next import may deactivate them again. Admin only; audited.
pub fn clear(ws: &Workspace, actor: &Actor, person: &str) -> Result<()> {
    ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let subject = people::resolve_tx(tx, person)?;
        let Some(before) = hold_tx(tx, &subject.id)? else {
            return Err(Error::precondition_failed(format!("{} has no sync hold: nothing to remove.", subject.name)));
        };
        tx.execute("DELETE FROM sync_holds WHERE person_id = ?1", [&subject.id])?;
        let entry = Entry {
            action: Action::HoldCleared,
            subject: Some(&subject),
            before: Some(json!({ "until": before.until, "reason": before.reason })),
            after: None,
        };
        audit::record_tx(tx, actor, &people::new_id(), entry)
    })
}

/// `person`'s sync hold, expired or not; None when they have none.
pub fn get(ws: &Workspace, person: &str) -> Result<Option<Hold>> {
    ws.read(|tx| {
        let subject = people::resolve_tx(tx, person)?;
        hold_tx(tx, &subject.id)
    })
}

/// Every sync hold that still holds, soonest end first.
pub fn list(ws: &Workspace) -> Result<Vec<PersonHold>> {
    let today = today().to_string();
    ws.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT p.id, p.name, h.until, h.reason, h.created_at, h.created_by
             FROM sync_holds h JOIN people p ON p.id = h.person_id
             WHERE h.until >= ?1 ORDER BY h.until, p.name COLLATE NOCASE",
        )?;
        let holds = stmt
            .query_map([&today], |r| {
                Ok(PersonHold {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    hold: Hold {
                        until: r.get(2)?,
                        reason: r.get(3)?,
                        created_at: r.get(4)?,
                        created_by: r.get(5)?,
                        active: true,
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(holds)
    })
}

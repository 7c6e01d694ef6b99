//! Merge two accounts of one person: "Manage > Merge into other users". The source's whole history
//! moves to the destination (the account kept), its direct reports too; the source is deactivated,
//! marked as merged, and its email and employee ID become aliases of the destination. `preview`
//! says exactly what `merge` will move, and changes nothing.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::json;

use crate::access::{require_admin_tx, sessions};
use crate::audit::{self, Action, Actor, Entry};
use crate::error::{Error, Result};
use crate::people::{self, PersonRef};
use crate::time;
use crate::workspace::Workspace;

/// One side of a merge, as the merge screen shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Side {
    pub id: String,
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    pub status: String,
    pub merged_into: Option<PersonRef>,
}

/// How many records of each kind move from the source to the destination.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub reviews_about: i64,
    pub reviews_written: i64,
    pub objectives: i64,
    pub feedback_received: i64,
    pub feedback_given: i64,
    pub one_on_ones: i64,
    pub private_notes: i64,
    pub direct_reports: i64,
    pub audit_entries: i64,
}

impl Counts {
    pub fn total(&self) -> i64 {
        self.reviews_about
            + self.reviews_written
            + self.objectives
            + self.feedback_received
            + self.feedback_given
            + self.one_on_ones
            + self.private_notes
            + self.direct_reports
            + self.audit_entries
    }
}

/// A profile field side by side; `offered` where the destination has none and the source has one.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub source: Option<String>,
    pub destination: Option<String>,
    pub differs: bool,
    pub offered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    /// "same_cycle", "reports_to_source" or "destination_deactivated".
    pub kind: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub source: Side,
    pub destination: Side,
    pub counts: Counts,
    pub fields: Vec<Field>,
    pub conflicts: Vec<Conflict>,
    /// The old email (and employee ID) that will find the destination.
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Merged {
    pub destination_id: String,
    pub counts: Counts,
    pub summary: String,
}

/// The fields a merge can copy to an empty destination field: key, label, column.
const COPYABLE: &[(&str, &str, &str)] = &[
    ("title", "Title", "title"),
    ("department", "Department", "department"),
    ("location", "Location", "location"),
    ("hireDate", "Hire date", "hire_date"),
    ("manager", "Manager", "manager_id"),
];

fn side_tx(tx: &Transaction, key: &str) -> Result<Side> {
    let found = people::resolve_tx(tx, key)?;
    Ok(tx.query_row(
        "SELECT p.id, p.name, p.email, p.title, p.department, l.status, m.id, m.name
         FROM people p JOIN lifecycle l ON l.person = p.rowid LEFT JOIN people m ON m.id = p.merged_into_id
         WHERE p.id = ?1",
        [&found.id],
        |r| {
            Ok(Side {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                title: r.get(3)?,
                department: r.get(4)?,
                status: r.get(5)?,
                merged_into: PersonRef::from_columns(r.get(6)?, r.get(7)?),
            })
        },
    )?)
}

/// Resolves both people and refuses what cannot be merged.
fn sides_tx(tx: &Transaction, source: &str, destination: &str) -> Result<(Side, Side)> {
    let (source, destination) = (side_tx(tx, source)?, side_tx(tx, destination)?);
    if source.id == destination.id {
        return Err(Error::invalid_input(format!(
            "{} cannot be merged into themselves: choose the other account to keep.",
            source.name
        )));
    }
    for side in [&source, &destination] {
        if let Some(into) = &side.merged_into {
            return Err(Error::precondition_failed(format!(
                "{} was already merged into {}: merge with {} instead.",
                side.name, into.name, into.name
            )));
        }
    }
    Ok((source, destination))
}

fn count(tx: &Transaction, sql: &str, id: &str) -> Result<i64> {
    Ok(tx.prepare_cached(sql)?.query_row([id], |r| r.get(0))?)
}

fn counts_tx(tx: &Transaction, id: &str) -> Result<Counts> {
    Ok(Counts {
        reviews_about: count(tx, "SELECT count(*) FROM reviews WHERE subject_id = ?1", id)?,
        reviews_written: count(tx, "SELECT count(*) FROM reviews WHERE reviewer_id = ?1", id)?,
        objectives: count(tx, "SELECT count(*) FROM objectives WHERE owner_id = ?1", id)?,
        feedback_received: count(tx, "SELECT count(*) FROM feedback WHERE to_id = ?1", id)?,
        feedback_given: count(tx, "SELECT count(*) FROM feedback WHERE from_id = ?1", id)?,
        one_on_ones: count(tx, "SELECT count(*) FROM one_on_ones WHERE person_id = ?1 OR manager_id = ?1", id)?,
        private_notes: count(tx, "SELECT count(*) FROM one_on_one_notes WHERE author_id = ?1", id)?,
        direct_reports: count(tx, "SELECT count(*) FROM lifecycle WHERE manager_id = ?1", id)?,
        audit_entries: count(tx, &format!("SELECT count(*) FROM ({})", audit::about("?1", None)), id)?,
    })
}

/// The name of the manager of the person with id `?1`.
const MANAGER_NAME_OF: &str =
    "SELECT m.name FROM people p JOIN lifecycle l ON l.person = p.rowid JOIN people m ON m.id = l.manager_id WHERE p.id = ?1";

/// The value of a copyable field, shown as text (the manager by name).
fn field_value(tx: &Transaction, id: &str, column: &str) -> Result<Option<String>> {
    let sql = if column == "manager_id" {
        MANAGER_NAME_OF.to_string()
    } else {
        format!("SELECT {column} FROM people WHERE id = ?1")
    };
    let value: Option<String> = tx.query_row(&sql, [id], |r| r.get(0)).optional()?.flatten();
    Ok(value.filter(|v| !v.trim().is_empty()))
}

fn fields_tx(tx: &Transaction, source: &str, destination: &str) -> Result<Vec<Field>> {
    let mut fields = Vec::new();
    let shown: &[(&str, &str, &str)] = &[
        ("firstName", "First name", "first_name"),
        ("lastName", "Last name", "last_name"),
        ("email", "Email", "email"),
        ("employeeId", "Employee ID", "employee_id"),
    ];
    for (key, label, column) in shown.iter().chain(COPYABLE) {
        let (s, d) = (field_value(tx, source, column)?, field_value(tx, destination, column)?);
        let copyable = COPYABLE.iter().any(|(k, _, _)| k == key);
        fields.push(Field {
            key,
            label,
            offered: copyable && d.is_none() && s.is_some(),
            differs: s != d,
            source: s,
            destination: d,
        });
    }
    Ok(fields)
}

/// Whether `person` is `ancestor` or anywhere below them in the reporting chain.
fn reports_to_tx(tx: &Transaction, person: &str, ancestor: &str) -> Result<bool> {
    let mut up = tx.prepare_cached(people::MANAGER_OF)?;
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = up.query_row([person], |r| r.get(0))?;
    while let Some(id) = cursor {
        if id == ancestor {
            return Ok(true);
        }
        if !seen.insert(id.clone()) {
            return Ok(false);
        }
        cursor = up.query_row([&id], |r| r.get(0)).optional()?.flatten();
    }
    Ok(false)
}

fn conflicts_tx(tx: &Transaction, source: &Side, destination: &Side) -> Result<Vec<Conflict>> {
    let mut conflicts = Vec::new();
    let mut cycles = tx.prepare_cached(
        // Each side by the subject index (a join on the cycle would read every review of the cycle).
        "SELECT c.name FROM review_cycles c
         WHERE c.id IN (SELECT cycle_id FROM reviews WHERE subject_id = ?1)
           AND c.id IN (SELECT cycle_id FROM reviews WHERE subject_id = ?2)
         ORDER BY c.name",
    )?;
    let shared: Vec<String> =
        cycles.query_map([&source.id, &destination.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    for cycle in shared {
        conflicts.push(Conflict {
            kind: "same_cycle",
            message: format!("Both have a review in {cycle}: both are kept, on {}'s profile.", destination.name),
        });
    }
    if reports_to_tx(tx, &destination.id, &source.id)? {
        let above: Option<String> = tx.query_row(MANAGER_NAME_OF, [&source.id], |r| r.get(0)).optional()?;
        conflicts.push(Conflict {
            kind: "reports_to_source",
            message: format!(
                "{} reports to {} (directly or through others): {} will report to {}, so nobody manages themselves.",
                destination.name,
                source.name,
                destination.name,
                above.as_deref().unwrap_or("nobody")
            ),
        });
    }
    let between: i64 = tx.prepare_cached(
        "SELECT (SELECT count(*) FROM reviews WHERE (subject_id = ?1 AND reviewer_id = ?2) OR (subject_id = ?2 AND reviewer_id = ?1))
              + (SELECT count(*) FROM feedback WHERE (to_id = ?1 AND from_id = ?2) OR (to_id = ?2 AND from_id = ?1))
              + (SELECT count(*) FROM one_on_ones WHERE (person_id = ?1 AND manager_id = ?2) OR (person_id = ?2 AND manager_id = ?1))",
    )?
    .query_row([&source.id, &destination.id], |r| r.get(0))?;
    if between > 0 {
        conflicts.push(Conflict {
            kind: "between_them",
            message: format!(
                "{between} record{} between the two accounts (reviews, feedback or 1:1s one has with the other): \
                 kept, with {} on both sides afterwards.",
                if between == 1 { " is" } else { "s are" },
                destination.name
            ),
        });
    }
    if destination.status != "active" {
        conflicts.push(Conflict {
            kind: "destination_deactivated",
            message: format!(
                "{} is deactivated: the merged account stays deactivated until you reactivate it.",
                destination.name
            ),
        });
    }
    Ok(conflicts)
}

fn aliases_tx(tx: &Transaction, source: &Side) -> Result<Vec<String>> {
    let employee_id: Option<String> =
        tx.query_row("SELECT employee_id FROM people WHERE id = ?1", [&source.id], |r| r.get(0))?;
    Ok(std::iter::once(source.email.clone()).chain(employee_id).collect())
}

fn preview_tx(tx: &Transaction, source: &str, destination: &str) -> Result<Preview> {
    let (source, destination) = sides_tx(tx, source, destination)?;
    Ok(Preview {
        counts: counts_tx(tx, &source.id)?,
        fields: fields_tx(tx, &source.id, &destination.id)?,
        conflicts: conflicts_tx(tx, &source, &destination)?,
        aliases: aliases_tx(tx, &source)?,
        source,
        destination,
    })
}

/// What merging `source` into `destination` would do; changes nothing.
pub fn preview(ws: &Workspace, source: &str, destination: &str) -> Result<Preview> {
    ws.read(|tx| preview_tx(tx, source, destination))
}

/// Merges `source` into `destination` in one transaction, copying the `fields` (keys of the preview's
/// offered fields) to the destination.
pub fn merge(ws: &Workspace, actor: &Actor, source: &str, destination: &str, fields: &[String]) -> Result<Merged> {
    ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let preview = preview_tx(tx, source, destination)?;
        let (from, to) = (&preview.source.id, &preview.destination.id);
        if preview.source.id == actor.id.clone().unwrap_or_default() {
            return Err(Error::precondition_failed(format!(
                "You cannot merge your own account away ({}): ask another admin to do it.",
                preview.source.name
            )));
        }
        copy_fields_tx(tx, &preview, fields)?;
        // Nobody may end up managing themselves: a destination below the source takes the source's place.
        if preview.conflicts.iter().any(|c| c.kind == "reports_to_source") {
            let above: Option<String> = tx.query_row(people::MANAGER_OF, [from], |r| r.get(0))?;
            people::set_manager_tx(tx, to, above.as_deref().filter(|m| m != to))?;
        }
        move_history_tx(tx, from, to)?;
        make_aliases_tx(tx, &preview)?;
        let at = time::now();
        tx.execute(
            "UPDATE lifecycle SET status = 'deactivated', deactivated_at = coalesce(deactivated_at, ?1),
                    deactivated_by_name = coalesce(deactivated_by_name, ?2), deactivation_reason = ?3, manager_id = NULL
             WHERE person = (SELECT rowid FROM people WHERE id = ?4)",
            params![at, actor.name, format!("Merged into {}", preview.destination.name), from],
        )?;
        tx.execute("UPDATE people SET merged_into_id = ?1, password_hash = NULL WHERE id = ?2", params![to, from])?;
        sessions::end_all_tx(tx, from)?;
        let subject = PersonRef { id: from.clone(), name: preview.source.name.clone() };
        let after = json!({
            "into": { "id": to, "name": preview.destination.name },
            "counts": preview.counts,
            "fields": fields,
            "aliases": preview.aliases,
        });
        let before = json!({ "status": preview.source.status });
        let entry = Entry { action: Action::Merged, subject: Some(&subject), before: Some(before), after: Some(after) };
        audit::record_tx(tx, actor, &people::new_id(), entry)?;
        let total = preview.counts.total();
        let summary = format!(
            "Merged {} into {}: {total} record{} moved.",
            preview.source.name,
            preview.destination.name,
            if total == 1 { "" } else { "s" }
        );
        Ok(Merged { destination_id: to.clone(), counts: preview.counts, summary })
    })
}

fn copy_fields_tx(tx: &Transaction, preview: &Preview, keys: &[String]) -> Result<()> {
    for key in keys {
        let field = preview.fields.iter().find(|f| f.key == key).ok_or_else(|| {
            Error::invalid_input(format!("“{key}” is not a field a merge can copy: choose among the offered ones."))
        })?;
        if !field.offered {
            return Err(Error::invalid_input(format!(
                "{} of {} is not empty, so it is kept: a merge only fills empty fields.",
                field.label, preview.destination.name
            )));
        }
        let column =
            COPYABLE.iter().find(|(k, _, _)| *k == key).map(|(_, _, c)| *c).expect("offered fields are copyable");
        if column == "manager_id" {
            let manager: Option<String> = tx.query_row(people::MANAGER_OF, [&preview.source.id], |r| r.get(0))?;
            // A source's manager who is the destination itself is not copied: nobody manages themselves.
            if let Some(manager) = manager.filter(|m| *m != preview.destination.id) {
                if reports_to_tx(tx, &manager, &preview.destination.id)? {
                    return Err(Error::invalid_input(format!(
                        "{}'s manager reports to {}, so copying the manager would make them manage each other: leave it unticked.",
                        preview.source.name, preview.destination.name
                    )));
                }
                people::set_manager_tx(tx, &preview.destination.id, Some(&manager))?;
            }
            continue;
        }
        tx.execute(
            &format!("UPDATE people SET {column} = (SELECT {column} FROM people WHERE id = ?1) WHERE id = ?2"),
            params![preview.source.id, preview.destination.id],
        )?;
    }
    Ok(())
}

/// Re-points every record of `from` to `to`.
fn move_history_tx(tx: &Transaction, from: &str, to: &str) -> Result<()> {
    let moves = [
        "UPDATE reviews SET subject_id = ?2 WHERE subject_id = ?1",
        "UPDATE reviews SET reviewer_id = ?2 WHERE reviewer_id = ?1",
        "UPDATE objectives SET owner_id = ?2 WHERE owner_id = ?1",
        "UPDATE feedback SET to_id = ?2 WHERE to_id = ?1",
        "UPDATE feedback SET from_id = ?2 WHERE from_id = ?1",
        "UPDATE one_on_ones SET person_id = ?2 WHERE person_id = ?1",
        "UPDATE one_on_ones SET manager_id = ?2 WHERE manager_id = ?1",
        "UPDATE one_on_one_notes SET author_id = ?2 WHERE author_id = ?1",
        "UPDATE lifecycle SET manager_id = ?2 WHERE manager_id = ?1 AND person <> (SELECT rowid FROM people WHERE id = ?2)",
        "INSERT OR IGNORE INTO cycle_participants (cycle_id, person_id) SELECT cycle_id, ?2 FROM cycle_participants WHERE person_id = ?1",
        "DELETE FROM cycle_participants WHERE person_id = ?1",
        "UPDATE mail SET person_id = ?2 WHERE person_id = ?1",
        "UPDATE password_codes SET superseded_at = coalesce(superseded_at, datetime('now')) WHERE person_id = ?1",
        "UPDATE aliases SET person_id = ?2 WHERE person_id = ?1",
    ];
    for sql in moves {
        let mut stmt = tx.prepare_cached(sql)?;
        match stmt.parameter_count() {
            1 => stmt.execute([from])?,
            _ => stmt.execute([from, to])?,
        };
    }
    audit::move_entries_tx(tx, from, to)
}

/// The source's email and employee ID now find the destination; they join its search text.
fn make_aliases_tx(tx: &Transaction, preview: &Preview) -> Result<()> {
    let employee_id: Option<String> =
        tx.query_row("SELECT employee_id FROM people WHERE id = ?1", [&preview.source.id], |r| r.get(0))?;
    let mut insert =
        tx.prepare_cached("INSERT OR REPLACE INTO aliases (kind, value, person_id) VALUES (?1, ?2, ?3)")?;
    insert.execute(params!["email", preview.source.email, preview.destination.id])?;
    if let Some(employee_id) = &employee_id {
        insert.execute(params!["employee_id", employee_id, preview.destination.id])?;
    }
    tx.execute(
        "UPDATE people SET alias_search = lower(coalesce((SELECT group_concat(value, ' ') FROM aliases WHERE person_id = ?1), ''))
         WHERE id = ?1",
        [&preview.destination.id],
    )?;
    Ok(())
}

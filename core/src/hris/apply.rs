//! Applying an HRIS file: the plan and its changes in one transaction, an audit entry per change
//! (each naming the run), and the run recorded with its outcome. The safeguard holds a surprising
//! automatic import for an admin to apply or discard.

use std::collections::HashSet;

use rusqlite::{params, Transaction};
use serde_json::{json, Value};

use super::plan::{plan_tx, settings_tx, Op, Plan, Planned, PlannedPerson, IMPORT_NAME};
use super::runs::{self, outcome, NewRun, Run, Trigger};
use super::ImportFile;
use crate::access::{require_admin_tx, sessions};
use crate::audit::{self, Action, Actor, Entry, Shared, Source};
use crate::error::{Code, Error, Result};
use crate::lifecycle;
use crate::people::{self, PersonRef};
use crate::time;
use crate::workspace::Workspace;

/// The actor of automatic and `rosterctl` imports: the HRIS import itself.
pub fn import_actor() -> Actor {
    Actor { id: None, name: IMPORT_NAME.into(), source: Source::Import }
}

/// Checks who may run an import: a manual one needs a signed-in admin; the others an admin or the
/// import itself.
fn check_actor_tx(tx: &Transaction, actor: &Actor, trigger: Trigger) -> Result<()> {
    if trigger == Trigger::Manual && actor.id.is_none() {
        return Err(Error::forbidden("Sign in as an admin to import a file."));
    }
    require_admin_tx(tx, actor)
}

/// Reads and applies `file` in one transaction, and records the run. Valid rows are applied; rows with
/// errors are left untouched and listed in the run. An automatic import that would deactivate more
/// than the threshold, has no rows, or has fewer than half the rows of the last accepted import is
/// held for review instead. A file that cannot be read is refused whole: the run is recorded as
/// failed, and the error returned.
pub fn import(ws: &Workspace, actor: &Actor, file: &ImportFile, trigger: Trigger, source_label: &str) -> Result<Run> {
    let started = time::now();
    let run_id = people::new_id();
    let result = ws.write(|tx| {
        check_actor_tx(tx, actor, trigger)?;
        let settings = settings_tx(tx)?;
        let me = actor.id.as_deref().filter(|_| trigger == Trigger::Manual);
        let planned = plan_tx(tx, file, &settings, me)?;
        let file_name = planned.plan.file_name.clone();
        let record = |outcome: &str, message: &str, keep_file: bool| {
            runs::insert_tx(
                tx,
                &NewRun {
                    id: &run_id,
                    started_at: &started,
                    trigger,
                    source: source_label,
                    file_name: Some(&file_name),
                    file_hash: Some(&planned.plan.file_hash),
                    outcome,
                    message: Some(message),
                    plan: Some(&planned.plan),
                    file: keep_file.then_some(file.bytes.as_slice()),
                },
            )
        };
        if trigger == Trigger::Automatic {
            if let Some(why) = safeguard_tx(tx, &planned, settings.threshold_percent)? {
                let message = format!("Held for review: {why} An admin applies or discards it.");
                let entry = Entry {
                    action: Action::ImportHeld,
                    subject: None,
                    before: None,
                    after: Some(json!({ "run": run_id, "file": file_name, "reason": why })),
                };
                audit::record_tx(tx, &import_actor(), &run_id, entry)?;
                return record(outcome::HELD, &message, true);
            }
        }
        if let Some(why) = &planned.no_rows {
            return Err(Error::invalid_input(format!("{why} Nothing was imported.")));
        }
        let (outcome, message) = apply_planned_tx(tx, &audit_actor(actor, trigger), &run_id, &planned)?;
        let message = match outcome {
            outcome::NO_CHANGES => no_changes_message(tx, &planned.plan)?,
            _ => message,
        };
        record(outcome, &message, false)
    });
    match result {
        Err(e) if e.code != Code::Forbidden => {
            // The run is recorded as failed, with why, in a transaction of its own (the import's rolled back).
            let _ = record_failed(ws, &run_id, &started, trigger, source_label, file, &e.message);
            Err(e)
        }
        other => other,
    }
}

fn record_failed(
    ws: &Workspace,
    run_id: &str,
    started: &str,
    trigger: Trigger,
    source: &str,
    file: &ImportFile,
    message: &str,
) -> Result<Run> {
    let hash = super::plan::sha256_hex(&file.bytes);
    ws.write(|tx| {
        runs::insert_tx(
            tx,
            &NewRun {
                id: run_id,
                started_at: started,
                trigger,
                source,
                file_name: Some(&file.name),
                file_hash: Some(&hash),
                outcome: outcome::FAILED,
                message: Some(message),
                plan: None,
                file: None,
            },
        )
    })
}

/// Who the audit entries of an import name: the admin for a manual import, else the HRIS import.
fn audit_actor(actor: &Actor, trigger: Trigger) -> Actor {
    match trigger {
        Trigger::Manual => actor.clone(),
        Trigger::Automatic | Trigger::Cli => import_actor(),
    }
}

/// Why an automatic import is held, if it is.
fn safeguard_tx(tx: &Transaction, planned: &Planned, threshold: i64) -> Result<Option<String>> {
    if let Some(why) = &planned.no_rows {
        return Ok(Some(why.clone()));
    }
    let deactivating = planned.plan.counts.deactivated as i64;
    let active = planned.active_before as i64;
    if active > 0 && deactivating * 100 > threshold.max(0) * active {
        return Ok(Some(format!(
            "it would deactivate {deactivating} of the {active} active people ({}%), more than the {}% an automatic \
             import may deactivate.",
            (deactivating * 100 + active / 2) / active,
            threshold.max(0)
        )));
    }
    if let Some((last_rows, at, _)) = runs::last_accepted_tx(tx)? {
        let rows = planned.plan.rows as i64;
        if rows * 2 < last_rows {
            return Ok(Some(format!(
                "the file has {rows} rows, fewer than half of the {last_rows} rows of the last import (on {}): it may \
                 have been cut off.",
                at.get(..10).unwrap_or(&at)
            )));
        }
    }
    Ok(None)
}

fn no_changes_message(tx: &Transaction, plan: &Plan) -> Result<String> {
    let mut message = String::from("Nothing to change: everyone in the file is already up to date.");
    if let Some((_, at, Some(hash))) = runs::last_accepted_tx(tx)? {
        if hash == plan.file_hash {
            message = format!("Nothing to change: the same file as the import of {}.", at.get(..10).unwrap_or(&at));
        }
    }
    if plan.counts.errors > 0 {
        message.push_str(&format!(
            " {} {} left out; see the plan.",
            plan.counts.errors,
            if plan.counts.errors == 1 { "row with an error was" } else { "row errors were" }
        ));
    }
    Ok(message)
}

/// Makes the plan's changes with their audit entries; returns the outcome and its message.
fn apply_planned_tx(
    tx: &Transaction,
    actor: &Actor,
    run_id: &str,
    planned: &Planned,
) -> Result<(&'static str, String)> {
    if planned.ops.is_empty() {
        return Ok((outcome::NO_CHANGES, String::new()));
    }
    apply_ops_tx(tx, actor, run_id, &planned.ops, &planned.plan.created)?;
    let counts = &planned.plan.counts;
    let entry = Entry {
        action: Action::Imported,
        subject: None,
        before: None,
        after: Some(json!({ "run": run_id, "file": planned.plan.file_name, "counts": counts })),
    };
    audit::record_tx(tx, actor, run_id, entry)?;
    Ok((outcome::APPLIED, format!("Applied: {}.", counts.summary())))
}

fn with_run(value: Value, run_id: &str) -> Value {
    let mut value = match value {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    value.insert("run".into(), json!(run_id));
    Value::Object(value)
}

/// Writes every change: new people, field updates, reactivations, deactivations.
fn apply_ops_tx(tx: &Transaction, actor: &Actor, run_id: &str, ops: &[Op], created: &[PlannedPerson]) -> Result<()> {
    // New people may report to new people further down the file: they get that manager once everyone
    // is in (a manager id must name someone already in the workspace).
    let new_ids: HashSet<&str> = created.iter().map(|p| p.new_id.as_str()).collect();
    let mut inserted = HashSet::new();
    let mut manager_later = Vec::new();
    let at = time::now();
    let was_active = json!({ "status": "active" });
    let mut written = Vec::with_capacity(ops.len());
    for op in ops {
        match op {
            Op::Create(index) => {
                let new = &created[*index];
                let manager = new.manager_id.as_deref().filter(|m| !new_ids.contains(m) || inserted.contains(m));
                if manager.is_none() && new.manager_id.is_some() {
                    manager_later.push(new);
                }
                tx.prepare_cached(
                    "INSERT INTO people (id, first_name, last_name, email, employee_id, title, department, team,
                                         location, gender, hire_date, role, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'employee', ?12)",
                )?
                .execute(params![
                    new.new_id,
                    new.first_name,
                    new.last_name,
                    new.email,
                    new.employee_id,
                    new.title,
                    new.department,
                    new.team,
                    new.location,
                    new.gender,
                    new.hire_date,
                    at
                ])?;
                if manager.is_some() {
                    people::set_manager_tx(tx, &new.new_id, manager)?;
                }
                inserted.insert(new.new_id.as_str());
                let subject = PersonRef { id: new.new_id.clone(), name: new.name.clone() };
                let after = json!({
                    "email": new.email, "employeeId": new.employee_id, "title": new.title,
                    "department": new.department, "managerId": new.manager_id, "run": run_id,
                });
                written.push(Written { action: Action::PersonCreated, subject, before: None, after });
            }
            Op::Update { id, name, sets, before, after } => {
                // The manager is kept in `lifecycle`, every other field in `people`.
                let (manager, fields): (Vec<_>, Vec<_>) = sets.iter().partition(|(c, _)| *c == "manager_id");
                if !fields.is_empty() {
                    let columns: Vec<String> =
                        fields.iter().enumerate().map(|(i, (c, _))| format!("{c} = ?{}", i + 2)).collect();
                    let sql = format!("UPDATE people SET {} WHERE id = ?1", columns.join(", "));
                    let mut stmt = tx.prepare_cached(&sql)?;
                    let mut values: Vec<&dyn rusqlite::ToSql> = vec![id];
                    values.extend(fields.iter().map(|(_, v)| v as &dyn rusqlite::ToSql));
                    stmt.execute(&*values)?;
                }
                if let Some((_, manager)) = manager.first() {
                    people::set_manager_tx(tx, id, manager.as_deref())?;
                }
                let subject = PersonRef { id: id.clone(), name: name.clone() };
                let after = with_run(after.clone(), run_id);
                written.push(Written { action: Action::PersonUpdated, subject, before: Some(before.clone()), after });
            }
            Op::Reactivate { id, name, before } => {
                lifecycle::set_active_tx(tx, id)?;
                let subject = PersonRef { id: id.clone(), name: name.clone() };
                let after = json!({ "status": "active", "run": run_id });
                written.push(Written { action: Action::Reactivated, subject, before: Some(before.clone()), after });
            }
            Op::Deactivate { id, name, reason } => {
                lifecycle::set_deactivated_tx(tx, id, &at, IMPORT_NAME, Some(reason))?;
                sessions::end_all_tx(tx, id)?;
                let subject = PersonRef { id: id.clone(), name: name.clone() };
                let after = json!({ "status": "deactivated", "at": at, "reason": reason, "run": run_id });
                written.push(Written { action: Action::Deactivated, subject, before: Some(was_active.clone()), after });
            }
        }
    }
    for new in manager_later {
        people::set_manager_tx(tx, &new.new_id, new.manager_id.as_deref())?;
    }
    // Written together once every change is made (see `audit::record_all_tx` for why).
    let entries = written.iter().map(|w| Shared {
        action: w.action,
        subject: Some(&w.subject),
        before: w.before.as_ref(),
        after: Some(&w.after),
    });
    audit::record_all_tx(tx, actor, run_id, entries)
}

/// An entry of the run's audit, kept until every change is made.
struct Written {
    action: Action,
    subject: PersonRef,
    before: Option<Value>,
    after: Value,
}

/// A held run's file, planned again against Roster as it is now.
fn replan_held_tx(tx: &Transaction, run_id: &str, actor_id: Option<&str>) -> Result<(Run, Planned)> {
    let held = runs::held_file_tx(tx, run_id)?;
    if held.run.outcome != outcome::HELD {
        return Err(Error::precondition_failed(match held.run.outcome.as_str() {
            outcome::APPLIED | outcome::NO_CHANGES => "This import was already applied: there is nothing to decide.",
            outcome::DISCARDED => "This import was discarded: import the file again to apply it.",
            _ => "This import is not held for review: only held imports are applied or discarded.",
        }));
    }
    let Some(bytes) = held.bytes else {
        return Err(Error::precondition_failed(
            "The file of this held import is no longer stored: import it again from its source.",
        ));
    };
    let file = ImportFile { name: held.run.file_name.clone().unwrap_or_else(|| "the held file".into()), bytes };
    let settings = settings_tx(tx)?;
    let planned = plan_tx(tx, &file, &settings, actor_id)?;
    Ok((held.run, planned))
}

fn require_person_admin_tx(tx: &Transaction, actor: &Actor) -> Result<()> {
    if actor.id.is_none() {
        return Err(Error::forbidden("An admin decides on a held import: sign in as an admin."));
    }
    require_admin_tx(tx, actor)
}

/// What applying a held import would do now (the people may have changed since it was held).
pub fn plan_held(ws: &Workspace, run_id: &str) -> Result<Plan> {
    ws.read(|tx| Ok(replan_held_tx(tx, run_id, None)?.1.plan))
}

/// Applies an import held for review: its stored file is planned again against Roster as it is now and
/// applied, with the admin as the actor of every change.
pub fn apply_held(ws: &Workspace, actor: &Actor, run_id: &str) -> Result<Run> {
    ws.write(|tx| {
        require_person_admin_tx(tx, actor)?;
        let (_, planned) = replan_held_tx(tx, run_id, actor.id.as_deref())?;
        let (outcome, message) = apply_planned_tx(tx, actor, run_id, &planned)?;
        let message = match outcome {
            outcome::NO_CHANGES => format!("Applied by {} after review: nothing to change any more.", actor.name),
            _ => format!("Applied by {} after review: {}", actor.name, message.trim_start_matches("Applied: ")),
        };
        runs::decide_tx(tx, run_id, outcome, &message, Some(&planned.plan))
    })
}

/// Discards an import held for review: nothing of it is applied, and its stored file is dropped.
pub fn discard_held(ws: &Workspace, actor: &Actor, run_id: &str) -> Result<Run> {
    ws.write(|tx| {
        require_person_admin_tx(tx, actor)?;
        let run = runs::get_tx(tx, run_id)?;
        if run.outcome != outcome::HELD {
            return Err(Error::precondition_failed(format!(
                "This import is {}, not held for review: only held imports are discarded.",
                run.outcome.replace('_', " ")
            )));
        }
        let entry = Entry {
            action: Action::ImportDiscarded,
            subject: None,
            before: None,
            after: Some(json!({ "run": run_id, "file": run.file_name })),
        };
        audit::record_tx(tx, actor, run_id, entry)?;
        let message = format!("Discarded by {}: nothing of it was applied.", actor.name);
        runs::decide_tx(tx, run_id, outcome::DISCARDED, &message, None)
    })
}

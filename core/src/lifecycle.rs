//! Deactivate and reactivate, one person or many, and undo. A deactivated person keeps every record,
//! cannot sign in and does not count toward seats. Their direct reports are handed over in the same
//! step, to someone or, explicitly, to nobody.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::access::{self, sessions};
use crate::audit::{self, Action, Actor, AuditEntry, Chain, Shared};
use crate::error::{Error, Result};
use crate::license;
use crate::people::{self, PersonRef};
use crate::time;
use crate::workspace::Workspace;

/// Who takes over the direct reports of the people being deactivated.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Handover {
    /// The reports keep no manager, on purpose.
    Nobody,
    To {
        #[serde(rename = "personId")]
        person_id: String,
    },
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Their id and name, as the audit entry of their handover names them.
    #[serde(flatten)]
    pub person: PersonRef,
    pub manager_id: String,
    pub manager_name: String,
    /// Its row and its newest audit entry: the handover updates it and links its entry without
    /// looking the id up again.
    #[serde(skip)]
    chain: Chain,
}

/// What `deactivate` will do with these people; changes nothing.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub people: Vec<PersonRef>,
    pub already_deactivated: Vec<PersonRef>,
    /// Active direct reports who are not deactivated with them: they need a handover.
    pub reports: Vec<Report>,
    /// Their rows in the people table and their newest audit entries, in the order of `people`:
    /// `deactivate` updates them and links their entries without looking each id up again.
    #[serde(skip)]
    chains: Vec<Chain>,
}

/// A change made, for the toast and its Undo.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub change_id: String,
    pub action: String,
    pub count: usize,
    /// The people whose status changed.
    pub ids: Vec<String>,
    pub summary: String,
}

/// A person given to a lifecycle change, with their status, their row and their newest audit entry.
type Resolved = (PersonRef, String, Chain);

/// Resolves ids or emails, each once, in the order given, with their status and row. Ids (what the
/// app sends) are looked up together; anything else (an email, an old email) one by one.
fn resolve_all_tx(tx: &Transaction, keys: &[String]) -> Result<Vec<Resolved>> {
    if keys.is_empty() {
        return Err(Error::invalid_input("Choose at least one person."));
    }
    // Looked up in id order, so they walk the id index forward rather than jump around it: ids are
    // UUIDv7, in the order people were added, and so is the table (~30% faster at 10,000 people).
    // Each found row says its place in that order (`j.key`), so it goes straight to its key's slot.
    let mut order: Vec<(&str, usize)> = keys.iter().enumerate().map(|(i, key)| (key.trim(), i)).collect();
    order.sort_unstable();
    let mut by_key: Vec<Option<Resolved>> = keys.iter().map(|_| None).collect();
    let mut found = tx.prepare_cached(
        "SELECT j.key, p.name, l.status, p.rowid, l.last_entry FROM json_each(?1) j CROSS JOIN people p ON p.id = j.value
         JOIN lifecycle l ON l.person = p.rowid",
    )?;
    let mut rows = found.query([people::ids_json(order.iter().map(|&(id, _)| id))])?;
    while let Some(r) = rows.next()? {
        let (id, at) = order[r.get::<_, usize>(0)?];
        let person = PersonRef { id: id.to_string(), name: r.get(1)? };
        by_key[at] = Some((person, r.get(2)?, Chain { row: r.get(3)?, newest: r.get(4)? }));
    }
    let mut status = tx.prepare_cached(
        "SELECT l.status, l.person, l.last_entry FROM people p JOIN lifecycle l ON l.person = p.rowid WHERE p.id = ?1",
    )?;
    let mut seen = HashSet::default();
    let mut out = Vec::with_capacity(keys.len());
    for (key, found) in keys.iter().zip(by_key) {
        let found = match found {
            Some(found) => found,
            None => {
                let subject = people::resolve_tx(tx, key)?;
                let (s, chain) = status
                    .query_row([&subject.id], |r| Ok((r.get(0)?, Chain { row: r.get(1)?, newest: r.get(2)? })))?;
                (subject, s, chain)
            }
        };
        if seen.insert(found.2.row) {
            out.push(found);
        }
    }
    Ok(out)
}

fn plan_tx(tx: &Transaction, keys: &[String]) -> Result<Plan> {
    let (active, inactive): (Vec<_>, Vec<_>) =
        resolve_all_tx(tx, keys)?.into_iter().partition(|(_, s, _)| s == "active");
    let chosen: HashSet<i64> = active.iter().map(|(.., chain)| chain.row).collect();
    // All their active reports at once, by the manager index. Their managers' names are known already:
    // not looked up again for each. Joined from json_each rather than `IN (SELECT …)`, which first
    // copies the ids into a temporary index, and in id order, so that the lookups walk the manager
    // index forward (14% of planning 10,000 people); `j.key` says which of them manages the report.
    let mut stmt = tx.prepare_cached(
        "SELECT j.key, l.person, p.id, p.name, l.last_entry FROM json_each(?1) j
         CROSS JOIN lifecycle l ON l.manager_id = j.value JOIN people p ON p.rowid = l.person WHERE l.status = 'active'",
    )?;
    let mut managers: Vec<(&str, usize)> = active.iter().enumerate().map(|(i, (p, ..))| (p.id.as_str(), i)).collect();
    managers.sort_unstable();
    let mut rows = stmt.query([people::ids_json(managers.iter().map(|&(id, _)| id))])?;
    // Each with the place of their manager among the people given.
    let mut reports: Vec<(usize, Report)> = Vec::new();
    while let Some(r) = rows.next()? {
        let row = r.get(1)?;
        if chosen.contains(&row) {
            continue; // deactivated in the same step: no handover
        }
        let (_, at) = managers[r.get::<_, usize>(0)?];
        let manager = &active[at].0;
        let person = PersonRef { id: r.get(2)?, name: r.get(3)? };
        let (manager_id, manager_name) = (manager.id.clone(), manager.name.clone());
        let chain = Chain { row, newest: r.get(4)? };
        reports.push((at, Report { person, manager_id, manager_name, chain }));
    }
    // In the order the people were given, each one's reports by name.
    reports.sort_by_cached_key(|(at, r)| (*at, r.person.name.to_lowercase(), r.chain.row));
    let chains = active.iter().map(|&(.., chain)| chain).collect();
    Ok(Plan {
        people: active.into_iter().map(|(p, ..)| p).collect(),
        already_deactivated: inactive.into_iter().map(|(p, ..)| p).collect(),
        reports: reports.into_iter().map(|(_, r)| r).collect(),
        chains,
    })
}

pub fn plan(ws: &Workspace, keys: &[String]) -> Result<Plan> {
    ws.read(|tx| plan_tx(tx, keys))
}

fn people_phrase(people: &[PersonRef]) -> String {
    match people {
        [one] => one.name.clone(),
        many => format!("{} people", many.len()),
    }
}

/// Refuses a change that would lock the actor out or leave nobody to run the workspace.
fn check_not_self_or_last_admin_tx(tx: &Transaction, actor: &Actor, people: &[PersonRef]) -> Result<()> {
    if let Some(me) = people.iter().find(|p| Some(&p.id) == actor.id.as_ref()) {
        return Err(Error::precondition_failed(format!(
            "You cannot deactivate your own account ({}): ask another admin to do it.",
            me.name
        )));
    }
    let ids: HashSet<&str> = people.iter().map(|p| p.id.as_str()).collect();
    let mut admins = tx.prepare_cached(
        "SELECT p.id FROM people p JOIN lifecycle l ON l.person = p.rowid WHERE p.role = 'admin' AND l.status = 'active'",
    )?;
    let remaining = admins
        .query_map([], |r| r.get::<_, String>(0))?
        .filter(|id| id.as_ref().map_or(true, |id| !ids.contains(id.as_str())))
        .count();
    if remaining == 0 {
        return Err(Error::precondition_failed(
            "This would deactivate every active admin, and nobody could run the workspace: keep at least one admin active.",
        ));
    }
    Ok(())
}

/// The new manager of the handed-over reports, checked: active, not leaving, not inside the team
/// being handed over (nobody may end up managing themselves).
fn handover_target_tx(tx: &Transaction, plan: &Plan, handover: Option<&Handover>) -> Result<Option<PersonRef>> {
    let to = match handover {
        _ if plan.reports.is_empty() => return Ok(None),
        None => {
            return Err(Error::precondition_failed(format!(
                "{} direct report(s) of {} need a new manager: choose someone, or choose nobody explicitly.",
                plan.reports.len(),
                people_phrase(&plan.people)
            )))
        }
        Some(Handover::Nobody) => return Ok(None),
        Some(Handover::To { person_id }) => person_id,
    };
    let target = people::resolve_tx(tx, to)?;
    if plan.people.iter().any(|p| p.id == target.id) {
        return Err(Error::invalid_input(format!(
            "{} is being deactivated in this step, so cannot take over the direct reports: choose someone else.",
            target.name
        )));
    }
    if !people::is_active_tx(tx, &target.id)? {
        return Err(Error::invalid_input(format!(
            "{} is deactivated and cannot take over direct reports: choose an active person.",
            target.name
        )));
    }
    let reports: HashSet<&str> = plan.reports.iter().map(|r| r.person.id.as_str()).collect();
    let mut up = tx.prepare_cached(people::MANAGER_OF)?;
    let mut cursor = Some(target.id.clone());
    let mut steps = 0;
    while let Some(id) = cursor {
        if reports.contains(id.as_str()) {
            return Err(Error::invalid_input(format!(
                "{} is in the team being handed over, so they would end up managing themselves or their own manager: \
                 choose someone outside that team.",
                target.name
            )));
        }
        steps += 1;
        cursor = if steps > 10_000 { None } else { up.query_row([&id], |r| r.get(0)).optional()?.flatten() };
    }
    Ok(Some(target))
}

/// Gives these people this manager, or nobody if that person is gone (an undo after a deletion).
fn set_managers_tx<'a>(tx: &Transaction, ids: impl IntoIterator<Item = &'a str>, manager: Option<&str>) -> Result<()> {
    let manager = match manager {
        Some(id) => tx.query_row("SELECT id FROM people WHERE id = ?1", [id], |r| r.get::<_, String>(0)).optional()?,
        None => None,
    };
    tx.prepare_cached(
        "UPDATE lifecycle SET manager_id = ?1
         WHERE person IN (SELECT p.rowid FROM json_each(?2) j CROSS JOIN people p ON p.id = j.value)",
    )?
    .execute(params![manager, people::ids_json(ids)])?;
    Ok(())
}

fn manager_json(id: Option<&str>, name: Option<&str>) -> Value {
    json!({ "managerId": id, "managerName": name })
}

/// Deactivates the people given by id or email, hands over their direct reports, in one transaction.
pub fn deactivate(
    ws: &Workspace,
    actor: &Actor,
    keys: &[String],
    reason: Option<&str>,
    handover: Option<&Handover>,
) -> Result<Change> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return Err(Error::invalid_input("The reason is longer than 500 characters: shorten it."));
    }
    ws.write(|tx| {
        access::require_admin_tx(tx, actor)?;
        let plan = plan_tx(tx, keys)?;
        if plan.people.is_empty() {
            return Err(Error::precondition_failed(format!(
                "{} already deactivated: nothing to do.",
                match plan.already_deactivated.as_slice() {
                    [one] => format!("{} is", one.name),
                    many => format!("All {} people are", many.len()),
                }
            )));
        }
        check_not_self_or_last_admin_tx(tx, actor, &plan.people)?;
        let target = handover_target_tx(tx, &plan, handover)?;
        let change = people::new_id();
        let at = time::now();
        sessions::end_all_of_tx(tx, plan.people.iter().map(|p| p.id.as_str()))?;
        let target_id = target.as_ref().map(|t| t.id.as_str());
        let handed_to = manager_json(target_id, target.as_ref().map(|t| t.name.as_str()));
        // One "before" per old manager, shared by the entries of all their reports: it is written
        // to the audit texts once, not serialised again for each report.
        let mut was: HashMap<&str, Value> = HashMap::default();
        for r in &plan.reports {
            was.entry(&r.manager_id).or_insert_with(|| manager_json(Some(&r.manager_id), Some(&r.manager_name)));
        }
        let (before, after) =
            (json!({ "status": "active" }), json!({ "status": "deactivated", "at": at, "reason": reason }));
        let deactivations = plan.people.iter().map(|p| Shared {
            action: Action::Deactivated,
            subject: Some(p),
            before: Some(&before),
            after: Some(&after),
        });
        let handovers = plan.reports.iter().map(|r| Shared {
            action: Action::ManagerChanged,
            subject: Some(&r.person),
            before: Some(&was[r.manager_id.as_str()]),
            after: Some(&handed_to),
        });
        let entries: Vec<Shared> = deactivations.chain(handovers).collect();
        let chains: Vec<Chain> = plan.chains.iter().copied().chain(plan.reports.iter().map(|r| r.chain)).collect();
        // Each person's entry becomes their newest in the same pass that changes their row: the
        // updates get each row with the place of its entry (`audit::record_all_linked_tx`).
        let first = audit::record_all_linked_tx(tx, actor, &change, &entries, chains.iter().copied())?;
        let (leaving, handed_over) = chains.split_at(plan.people.len());
        // `OR ROLLBACK`, as the audit's inserts: a broken rule ends the whole change anyway, so SQLite
        // keeps no journal to undo this statement alone (4% of it).
        tx.prepare_cached(
            "UPDATE OR ROLLBACK lifecycle
             SET status = 'deactivated', deactivated_at = ?1, deactivated_by_name = ?2, deactivation_reason = ?3,
                 last_entry = ?4 + j.value
             FROM json_each(?5) j WHERE lifecycle.person = j.key",
        )?
        .execute(params![
            at,
            actor.name,
            reason,
            first,
            people::places_json(leaving.iter().map(|c| c.row))
        ])?;
        if !handed_over.is_empty() {
            // The target was checked above (active, so present): unlike an undo's handover, which
            // `set_managers_tx` makes, nothing needs to be looked up again.
            tx.prepare_cached(
                "UPDATE lifecycle SET manager_id = ?1, last_entry = ?2 + j.value
                 FROM json_each(?3) j WHERE lifecycle.person = j.key",
            )?
            .execute(params![
                target_id,
                first + leaving.len() as i64,
                people::places_json(handed_over.iter().map(|c| c.row))
            ])?;
        }
        let mut summary = format!("Deactivated {}.", people_phrase(&plan.people));
        if !plan.reports.is_empty() {
            let n = plan.reports.len();
            let reports = if n == 1 { "1 direct report".to_string() } else { format!("{n} direct reports") };
            summary.push_str(&match &target {
                Some(t) => format!(" {reports} now report to {}.", t.name),
                None => format!(" {reports} now have no manager."),
            });
        }
        if !plan.already_deactivated.is_empty() {
            summary.push_str(&format!(" {} already deactivated, left as is.", plan.already_deactivated.len()));
        }
        let ids = plan.people.iter().map(|p| p.id.clone()).collect();
        Ok(Change { change_id: change, action: "deactivate".into(), count: plan.people.len(), ids, summary })
    })
}

/// A deactivated person's status as the "before" of their reactivation's audit entry has it.
pub(crate) fn deactivation_tx(tx: &Transaction, id: &str) -> Result<Value> {
    let mut stmt = tx.prepare_cached(
        "SELECT deactivated_at, deactivated_by_name, deactivation_reason FROM lifecycle
         WHERE person = (SELECT rowid FROM people WHERE id = ?1)",
    )?;
    Ok(stmt.query_row([id], |r| {
        let text = |i| r.get::<_, Option<String>>(i);
        Ok(json!({ "status": "deactivated", "at": text(0)?, "by": text(1)?, "reason": text(2)? }))
    })?)
}

/// Marks one person deactivated since `at`, by `by`, for `reason` (many at once: `deactivate`).
pub(crate) fn set_deactivated_tx(tx: &Transaction, id: &str, at: &str, by: &str, reason: Option<&str>) -> Result<()> {
    tx.prepare_cached(
        "UPDATE lifecycle SET status = 'deactivated', deactivated_at = ?1, deactivated_by_name = ?2, deactivation_reason = ?3
         WHERE person = (SELECT rowid FROM people WHERE id = ?4)",
    )?
    .execute(params![at, by, reason, id])?;
    Ok(())
}

/// Marks one person active again, their deactivation's when, who and why cleared.
pub(crate) fn set_active_tx(tx: &Transaction, id: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE lifecycle SET status = 'active', deactivated_at = NULL, deactivated_by_name = NULL, deactivation_reason = NULL
         WHERE person = (SELECT rowid FROM people WHERE id = ?1)",
    )?
    .execute([id])?;
    Ok(())
}

/// Over-license note for a summary, when reactivating pushes the company past its seats.
fn over_license_tx(tx: &Transaction) -> Result<String> {
    let over = license::usage_tx(tx)?.over_by;
    Ok(if over > 0 { format!(" You are now {over} over the license.") } else { String::new() })
}

/// Reactivates the people given by id or email, in one transaction.
pub fn reactivate(ws: &Workspace, actor: &Actor, keys: &[String]) -> Result<Change> {
    ws.write(|tx| {
        access::require_admin_tx(tx, actor)?;
        let (inactive, active): (Vec<_>, Vec<_>) =
            resolve_all_tx(tx, keys)?.into_iter().partition(|(_, s, _)| s == "deactivated");
        let mut merged =
            tx.prepare_cached("SELECT m.name FROM people p JOIN people m ON m.id = p.merged_into_id WHERE p.id = ?1")?;
        for (person, ..) in &inactive {
            if let Some(into) = merged.query_row([&person.id], |r| r.get::<_, String>(0)).optional()? {
                return Err(Error::precondition_failed(format!(
                    "{} was merged into {into} and cannot be reactivated: reactivate {into} if needed.",
                    person.name
                )));
            }
        }
        if inactive.is_empty() {
            return Err(Error::precondition_failed(match active.as_slice() {
                [(one, ..)] => format!("{} is already active: nothing to do.", one.name),
                many => format!("All {} people are already active: nothing to do.", many.len()),
            }));
        }
        let change = people::new_id();
        let people: Vec<PersonRef> = inactive.into_iter().map(|(p, ..)| p).collect();
        let mut was = Vec::with_capacity(people.len());
        for person in &people {
            was.push(deactivation_tx(tx, &person.id)?);
            set_active_tx(tx, &person.id)?;
        }
        let active_now = json!({ "status": "active" });
        let entries = people.iter().zip(&was).map(|(person, was)| Shared {
            action: Action::Reactivated,
            subject: Some(person),
            before: Some(was),
            after: Some(&active_now),
        });
        audit::record_all_tx(tx, actor, &change, entries)?;
        let mut summary = format!("Reactivated {}.", people_phrase(&people));
        if !active.is_empty() {
            summary.push_str(&format!(" {} already active, left as is.", active.len()));
        }
        summary.push_str(&over_license_tx(tx)?);
        let ids = people.iter().map(|p| p.id.clone()).collect();
        Ok(Change { change_id: change, action: "reactivate".into(), count: people.len(), ids, summary })
    })
}

/// Reverts one change (a deactivation with its handover, or a reactivation), unless any of its
/// people changed since: then it is refused with `conflict`, and nothing moves.
pub fn undo(ws: &Workspace, actor: &Actor, change_id: &str) -> Result<Change> {
    ws.write(|tx| {
        access::require_admin_tx(tx, actor)?;
        let entries = audit::change_entries_tx(tx, change_id)?;
        if entries.is_empty() {
            return Err(Error::not_found(format!("There is no change “{change_id}” in this workspace's audit log.")));
        }
        check_undoable_tx(tx, change_id, &entries)?;
        let undo = people::new_id();
        let mut reactivated = Vec::new();
        let mut deactivated = Vec::new();
        // Each entry is reverted: its after becomes the before of the new one, and its before, marked
        // as this undo, the after. The handed-over reports go back to their managers together, one
        // statement for each manager.
        let mut written: Vec<(Action, &PersonRef, Option<&Value>, Value)> = Vec::with_capacity(entries.len());
        let mut managers: HashMap<Option<&str>, Vec<&str>> = HashMap::default();
        for entry in entries.iter().rev() {
            let subject = entry.subject.as_ref().expect("lifecycle entries name their person");
            let mut after = entry.before.clone().unwrap_or(Value::Null);
            after["undoOf"] = json!(change_id);
            let action = match entry.action.as_str() {
                "deactivated" => {
                    set_active_tx(tx, &subject.id)?;
                    reactivated.push(subject.clone());
                    Action::Reactivated
                }
                "reactivated" => {
                    check_not_self_or_last_admin_tx(tx, actor, std::slice::from_ref(subject))?;
                    let was = entry.before.clone().unwrap_or(Value::Null);
                    set_deactivated_tx(
                        tx,
                        &subject.id,
                        &was["at"].as_str().map_or_else(time::now, str::to_string),
                        was["by"].as_str().unwrap_or(&actor.name),
                        was["reason"].as_str(),
                    )?;
                    sessions::end_all_tx(tx, &subject.id)?;
                    deactivated.push(subject.clone());
                    Action::Deactivated
                }
                _ => {
                    let manager = entry.before.as_ref().and_then(|b| b.get("managerId")).and_then(Value::as_str);
                    managers.entry(manager).or_default().push(&subject.id);
                    Action::ManagerChanged
                }
            };
            written.push((action, subject, entry.after.as_ref(), after));
        }
        for (manager, reports) in managers {
            set_managers_tx(tx, reports, manager)?;
        }
        let entries = written.iter().map(|(action, subject, before, after)| Shared {
            action: *action,
            subject: Some(*subject),
            before: *before,
            after: Some(after),
        });
        audit::record_all_tx(tx, actor, &undo, entries)?;
        let (count, summary) = match (reactivated.as_slice(), deactivated.as_slice()) {
            ([one], []) => (1, format!("Undone: {} is active again.", one.name)),
            (many, []) => (many.len(), format!("Undone: {} people are active again.", many.len())),
            ([], [one]) => (1, format!("Undone: {} is deactivated again.", one.name)),
            (_, many) => (many.len(), format!("Undone: {} people are deactivated again.", many.len())),
        };
        let ids = reactivated.iter().chain(&deactivated).map(|p| p.id.clone()).collect();
        Ok(Change { change_id: undo, action: "undo".into(), count, ids, summary })
    })
}

fn check_undoable_tx(tx: &Transaction, change_id: &str, entries: &[AuditEntry]) -> Result<()> {
    let lifecycle = ["deactivated", "reactivated", "manager_changed"];
    if entries.iter().any(|e| !lifecycle.contains(&e.action.as_str()) || e.subject.is_none()) {
        return Err(Error::precondition_failed("Only deactivations and reactivations can be undone."));
    }
    if entries.iter().any(|e| e.after.as_ref().is_some_and(|a| a.get("undoOf").is_some())) {
        return Err(Error::precondition_failed(
            "An undo cannot be undone: deactivate or reactivate the people again instead.",
        ));
    }
    let undone: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM audit WHERE undo_of = ?1)", [change_id], |r| r.get(0))?;
    if undone {
        return Err(Error::conflict("This change was already undone."));
    }
    let mut later = tx.prepare_cached(&format!(
        "SELECT EXISTS (SELECT 1 FROM audit a JOIN audit_writes w ON w.id = a.write_id
                        WHERE a.id IN ({}) AND w.change_id <> ?3)",
        audit::about("?1", Some("?2"))
    ))?;
    for entry in entries {
        let subject = entry.subject.as_ref().expect("checked above");
        if later.query_row(params![subject.id, entry.id, change_id], |r| r.get::<_, bool>(0))? {
            return Err(Error::conflict(format!(
                "{} changed after this, so undo would overwrite newer work: change them directly instead.",
                subject.name
            )));
        }
    }
    Ok(())
}

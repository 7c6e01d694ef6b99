//! The audit log: who changed what, when, from where. Entries are written by `record_tx` inside the
//! transaction of the change they describe, so a change and its entry exist together or not at all.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

use rusqlite::{params, OptionalExtension, Statement, Transaction};
use serde::Serialize;
use serde_json::Value;

use crate::error::Result;
use crate::people::PersonRef;
use crate::time;
use crate::workspace::Workspace;

/// Where a change came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    App,
    Cli,
    Import,
    System,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::App => "app",
            Source::Cli => "cli",
            Source::Import => "import",
            Source::System => "system",
        }
    }
}

/// Who makes a change. Made by `access`, which checks that a person may act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub id: Option<String>,
    pub name: String,
    pub source: Source,
}

impl Actor {
    /// Roster itself (first-run set-up, migrations): not a person.
    pub fn system() -> Actor {
        Actor { id: None, name: "Roster".into(), source: Source::System }
    }
}

/// What kind of change an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    CompanyCreated,
    PersonCreated,
    DemoGenerated,
    Deactivated,
    Reactivated,
    ManagerChanged,
    SignInFailed,
    PasswordSet,
    PasswordChanged,
    PasswordMailSent,
    MailSettingsChanged,
    TestMailSent,
    SubscriptionRestarted,
    CycleCreated,
    CycleStarted,
    Merged,
    Erased,
    ImportSourceChanged,
    HostKeyAccepted,
    AutomaticImportsSwitched,
    ImportIntervalChanged,
    ImportRulesChanged,
    SessionTimeoutChanged,
    PersonUpdated,
    Imported,
    ImportHeld,
    ImportDiscarded,
    HoldSet,
    HoldCleared,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::CompanyCreated => "company_created",
            Action::PersonCreated => "person_created",
            Action::DemoGenerated => "demo_generated",
            Action::Deactivated => "deactivated",
            Action::Reactivated => "reactivated",
            Action::ManagerChanged => "manager_changed",
            Action::SignInFailed => "sign_in_failed",
            Action::PasswordSet => "password_set",
            Action::PasswordChanged => "password_changed",
            Action::PasswordMailSent => "password_mail_sent",
            Action::MailSettingsChanged => "mail_settings_changed",
            Action::TestMailSent => "test_mail_sent",
            Action::SubscriptionRestarted => "subscription_restarted",
            Action::CycleCreated => "cycle_created",
            Action::CycleStarted => "cycle_started",
            Action::Merged => "merged",
            Action::Erased => "erased",
            Action::ImportSourceChanged => "import_source_changed",
            Action::HostKeyAccepted => "host_key_accepted",
            Action::AutomaticImportsSwitched => "automatic_imports_switched",
            Action::ImportIntervalChanged => "import_interval_changed",
            Action::ImportRulesChanged => "import_rules_changed",
            Action::SessionTimeoutChanged => "session_timeout_changed",
            Action::PersonUpdated => "person_updated",
            Action::Imported => "imported",
            Action::ImportHeld => "import_held",
            Action::ImportDiscarded => "import_discarded",
            Action::HoldSet => "sync_hold_set",
            Action::HoldCleared => "sync_hold_cleared",
        }
    }
}

/// One change to write: `before`/`after` hold just the fields that changed.
pub struct Entry<'a> {
    pub action: Action,
    pub subject: Option<&'a PersonRef>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// One entry of a bulk change, for `record_all_tx`: its before and after are borrowed, as the
/// entries of a bulk change share them (one "before" for 10,000 deactivations).
#[derive(Clone, Copy)]
pub struct Shared<'a> {
    pub action: Action,
    pub subject: Option<&'a PersonRef>,
    pub before: Option<&'a Value>,
    pub after: Option<&'a Value>,
}

/// Writes the entries of a change in the caller's transaction, all with the same time, each at the
/// head of its subject's chain (`link_tx`).
pub fn record_all_tx<'a>(
    tx: &Transaction,
    actor: &Actor,
    change_id: &str,
    entries: impl IntoIterator<Item = Shared<'a>>,
) -> Result<()> {
    let entries: Vec<Shared> = entries.into_iter().collect();
    let first = next_entry_tx(tx)?;
    let previous = link_tx(tx, first, &entries)?;
    write_all_tx(tx, actor, change_id, first, &entries, &previous)
}

/// Where a person's entries end: their row in `lifecycle`, and their newest entry, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Chain {
    pub row: i64,
    pub newest: Option<i64>,
}

/// Like `record_all_tx`, for a change that updates its subjects' lifecycle rows anyway: it links the
/// entries itself. Each entry comes with its subject's chain as read in this transaction (one entry
/// per person), and the caller sets each person's `last_entry` to their entry's id, which is the id
/// returned plus the entry's place. Deactivating 10,000 people does that in the updates it makes to
/// their rows: a second pass over 21,000 rows to link them cost as much as the rest of the change.
pub(crate) fn record_all_linked_tx(
    tx: &Transaction,
    actor: &Actor,
    change_id: &str,
    entries: &[Shared],
    chains: impl IntoIterator<Item = Chain>,
) -> Result<i64> {
    let previous: Vec<Option<i64>> = chains.into_iter().map(|chain| chain.newest).collect();
    assert_eq!(previous.len(), entries.len(), "a chain for every entry");
    let first = next_entry_tx(tx)?;
    write_all_tx(tx, actor, change_id, first, entries, &previous)?;
    Ok(first)
}

/// Writes the entries of a bulk change, numbered from `first`, their `previous` given.
///
/// Each distinct before or after is written once, to `audit_texts`, and the entries point at it.
/// Why the texts go in one statement and not one per entry: FTS5 writes what it has gathered to
/// disk as a new segment at every statement savepoint, so texts inserted one statement each (an
/// HRIS import's thousands) made as many tiny segments and merged them again, ~40% of an import's
/// writes. The entry rows themselves are indexed by no FTS table: they go in a hundred per statement.
fn write_all_tx(
    tx: &Transaction,
    actor: &Actor,
    change_id: &str,
    first: i64,
    entries: &[Shared],
    previous: &[Option<i64>],
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    // The entries of a bulk change mostly share their before or after (the same value, or equal
    // ones: the reports of one manager): each text is written, and its words indexed, once.
    let mut texts: Vec<(String, bool)> = Vec::new();
    let mut by_text: HashMap<String, usize> = HashMap::default();
    let mut at_of: HashMap<*const Value, usize> = HashMap::default();
    for entry in entries {
        for value in [entry.before, entry.after].into_iter().flatten() {
            let at = *at_of.entry(value).or_insert_with(|| {
                let text = value.to_string();
                *by_text.entry(text.clone()).or_insert_with(|| {
                    texts.push((text, false));
                    texts.len() - 1
                })
            });
            texts[at].1 |= findable(entry.subject, value);
        }
    }
    // Numbered here, so that the entries can point at them: the caller's write transaction keeps
    // anyone else from taking these ids meanwhile.
    let first_text: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM audit_texts", [], |r| r.get(0))?;
    tx.prepare_cached(
        "INSERT INTO audit_texts (id, change_id, text, findable)
         SELECT ?1 + key, ?2, value ->> 0, value ->> 1 FROM json_each(?3)",
    )?
    .execute(params![first_text, change_id, serde_json::to_string(&texts).expect("texts serialise")])?;
    let id_of = |value: Option<&Value>| value.map(|v| first_text + at_of[&(v as *const Value)] as i64);
    let rows: Vec<_> = entries.iter().map(|&entry| (entry, [id_of(entry.before), id_of(entry.after)])).collect();
    insert_entries_tx(tx, actor, change_id, &time::now(), first, &rows, previous)
}

/// The id the next entry takes: the table's next, as the caller's write transaction keeps anyone
/// else from writing to it meanwhile.
fn next_entry_tx(tx: &Transaction) -> Result<i64> {
    Ok(tx.prepare_cached("SELECT coalesce(max(id), 0) + 1 FROM audit")?.query_row([], |r| r.get(0))?)
}

/// A person's own fields, as the HRIS import and lifecycle changes write them.
const OWN_FIELDS: &[&str] = &[
    "status",
    "at",
    "run",
    "firstName",
    "lastName",
    "email",
    "employeeId",
    "title",
    "department",
    "team",
    "location",
    "gender",
    "hireDate",
];

/// Whether a text goes into the mentions index: unless it holds nothing but its subject's own fields
/// (it names nobody else, and a deletion finds it through the subject).
fn findable(subject: Option<&PersonRef>, value: &Value) -> bool {
    let own = value.as_object().is_some_and(|fields| fields.keys().all(|k| OWN_FIELDS.contains(&k.as_str())));
    subject.is_none() || !own
}

/// The change an entry's `after` says it undoes (kept in a column of its own, for `lifecycle::undo`).
fn undo_of(after: Option<&Value>) -> Option<&str> {
    after?.get("undoOf")?.as_str()
}

/// Writes one entry in the caller's transaction (an HRIS import writes thousands, one per row).
pub fn record_tx(tx: &Transaction, actor: &Actor, change_id: &str, entry: Entry) -> Result<()> {
    let text = |value: Option<&Value>| -> Result<Option<i64>> {
        let Some(value) = value else { return Ok(None) };
        insert_text_tx(tx, change_id, &value.to_string(), findable(entry.subject, value)).map(Some)
    };
    let texts = [text(entry.before.as_ref())?, text(entry.after.as_ref())?];
    let shared = Shared {
        action: entry.action,
        subject: entry.subject,
        before: entry.before.as_ref(),
        after: entry.after.as_ref(),
    };
    let first = next_entry_tx(tx)?;
    let previous = link_tx(tx, first, &[shared])?;
    insert_entries_tx(tx, actor, change_id, &time::now(), first, &[(shared, texts)], &previous)
}

/// Entry rows per INSERT statement. A statement's start and finish (opening the table and its
/// indexes) cost about as much as a row, so a bulk change shares them among many rows, bound
/// directly: no JSON array built here and taken apart in SQLite.
const ROWS_PER_INSERT: usize = 100;
/// The parameter every row of a write shares (`?1`, the write), and each row's own.
const SHARED_PARAMETERS: usize = 1;
const ROW_PARAMETERS: usize = 7;

/// `OR ROLLBACK`: an entry that breaks a rule of the table ends the whole change, as every error in
/// `Workspace::write` does, so SQLite keeps no statement journal to undo this one statement alone
/// (it copied each page the statement changed: ~4% of deactivating 10,000 people). Only a fault in
/// Roster could break those rules: every value here comes from Roster's own types.
fn insert_entries_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|row| {
            let first = SHARED_PARAMETERS + row * ROW_PARAMETERS + 1;
            let own: Vec<String> = (first..first + ROW_PARAMETERS).map(|p| format!("?{p}")).collect();
            format!("(?1, {})", own.join(", "))
        })
        .collect();
    format!(
        "INSERT OR ROLLBACK INTO audit (write_id, action, subject_id, subject_name, before_text, after_text, undo_of, previous)
         VALUES {}",
        values.join(", ")
    )
}

/// Writes entry rows, their befores and afters already in `audit_texts` under the ids given, each
/// after its `previous`.
fn insert_entries_tx(
    tx: &Transaction,
    actor: &Actor,
    change_id: &str,
    at: &str,
    first: i64,
    rows: &[(Shared, [Option<i64>; 2])],
    previous: &[Option<i64>],
) -> Result<()> {
    // The entries take the ids from `first` (`next_entry_tx`) on, one after another. So one row of
    // `audit_writes` says where they all are, and what they share: the change, the time and who
    // wrote them.
    let last = first + rows.len() as i64 - 1;
    tx.prepare_cached(
        "INSERT INTO audit_writes (change_id, at, actor_id, actor_name, source, first, last)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![change_id, at, actor.id, actor.name, actor.source.as_str(), first, last])?;
    let write = tx.last_insert_rowid();
    // The two statements written most (a bulk change's, an HRIS row's) are put together once.
    static FULL: OnceLock<String> = OnceLock::new();
    static ONE: OnceLock<String> = OnceLock::new();
    let chunks = rows.chunks_exact(ROWS_PER_INSERT);
    let rest = chunks.remainder();
    // One statement for all the full chunks, taken from the cache once: finding its 6 KB of SQL
    // there and putting it back cost a twentieth of writing its hundred rows. Its shared parameters stay
    // bound from one chunk to the next.
    if chunks.len() > 0 {
        let mut insert = tx.prepare_cached(FULL.get_or_init(|| insert_entries_sql(ROWS_PER_INSERT)))?;
        insert.raw_bind_parameter(1, write)?;
        for (chunk, previous) in chunks.zip(previous.chunks_exact(ROWS_PER_INSERT)) {
            bind_rows(&mut insert, chunk, previous)?;
            insert.raw_execute()?;
        }
    }
    if !rest.is_empty() {
        let sql = match rest.len() {
            1 => Cow::Borrowed(ONE.get_or_init(|| insert_entries_sql(1)).as_str()),
            n => Cow::Owned(insert_entries_sql(n)),
        };
        let mut insert = tx.prepare_cached(&sql)?;
        insert.raw_bind_parameter(1, write)?;
        bind_rows(&mut insert, rest, &previous[rows.len() - rest.len()..])?;
        insert.raw_execute()?;
    }
    debug_assert_eq!(tx.last_insert_rowid(), last, "the entries of one write are numbered in a row");
    Ok(())
}

fn bind_rows(insert: &mut Statement, rows: &[(Shared, [Option<i64>; 2])], previous: &[Option<i64>]) -> Result<()> {
    for (row, ((entry, texts), previous)) in rows.iter().zip(previous).enumerate() {
        let first = SHARED_PARAMETERS + row * ROW_PARAMETERS + 1;
        insert.raw_bind_parameter(first, entry.action.as_str())?;
        insert.raw_bind_parameter(first + 1, entry.subject.map(|s| &s.id))?;
        insert.raw_bind_parameter(first + 2, entry.subject.map(|s| &s.name))?;
        insert.raw_bind_parameter(first + 3, texts[0])?;
        insert.raw_bind_parameter(first + 4, texts[1])?;
        insert.raw_bind_parameter(first + 5, undo_of(entry.after))?;
        insert.raw_bind_parameter(first + 6, previous)?;
    }
    Ok(())
}

/// Puts the entries numbered from `first` at the head of their subjects' chains (version 23): returns
/// each entry's `previous`, the entry before it about the same person, and makes the newest of them
/// the person's `last_entry`. A subject no longer in the workspace (deleted in the same change) has
/// no chain: a deletion leaves nothing to find them by.
fn link_tx(tx: &Transaction, first: i64, entries: &[Shared]) -> Result<Vec<Option<i64>>> {
    let mut chain_of = tx.prepare_cached(
        "SELECT l.person, l.last_entry FROM people p JOIN lifecycle l ON l.person = p.rowid WHERE p.id = ?1",
    )?;
    // Each person's chain so far, this write's own entries included (it can hold two about one person).
    let mut chains: HashMap<&str, Option<Chain>> = HashMap::default();
    let mut previous = vec![None; entries.len()];
    for (at, entry) in entries.iter().enumerate() {
        let Some(subject) = entry.subject else { continue };
        let chain = match chains.entry(&subject.id) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => new.insert(
                chain_of.query_row([&subject.id], |r| Ok(Chain { row: r.get(0)?, newest: r.get(1)? })).optional()?,
            ),
        };
        if let Some(chain) = chain {
            previous[at] = chain.newest.replace(first + at as i64);
        }
    }
    let mut head = tx.prepare_cached("UPDATE lifecycle SET last_entry = ?2 WHERE person = ?1")?;
    for chain in chains.into_values().flatten() {
        head.execute(params![chain.row, chain.newest])?;
    }
    Ok(previous)
}

/// Writes one before or after of a change; returns its id.
fn insert_text_tx(tx: &Transaction, change_id: &str, text: &str, findable: bool) -> Result<i64> {
    tx.prepare_cached("INSERT INTO audit_texts (change_id, text, findable) VALUES (?1, ?2, ?3)")?
        .execute(params![change_id, text, findable])?;
    Ok(tx.last_insert_rowid())
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub change_id: String,
    pub actor: String,
    pub source: String,
    pub action: String,
    pub subject: Option<PersonRef>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub summary: String,
}

/// Which entries to list: every field narrows; `person` matches the actor's or the subject's name or
/// email; `from`/`to` are inclusive `YYYY-MM-DD` dates.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Filter {
    pub person: Option<String>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub subject_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditPage {
    pub total: i64,
    pub entries: Vec<AuditEntry>,
}

const COLUMNS: &str =
    "a.id, w.at, w.change_id, w.actor_name, w.source, a.action, a.subject_id, a.subject_name, b.text, f.text";

/// The entries with their write and their before and after texts.
pub(crate) const ENTRIES: &str = "audit a JOIN audit_writes w ON w.id = a.write_id
     LEFT JOIN audit_texts b ON b.id = a.before_text LEFT JOIN audit_texts f ON f.id = a.after_text";

/// The ids of the entries about the person whose id is the parameter `subject`, newest first: their
/// lifecycle row names the newest, and each entry the one before it about them (`link_tx`). The person
/// with no entries, or no longer in the workspace, has none. With `after` (a parameter too), only the
/// entries newer than that id: the walk stops there.
pub(crate) fn about(subject: &str, after: Option<&str>) -> String {
    let (walk, keep) = match after {
        Some(after) => (format!("WHERE chain.id > {after}"), format!("id > {after}")),
        None => (String::new(), "id IS NOT NULL".to_string()),
    };
    format!(
        "WITH RECURSIVE chain(id) AS (
             SELECT last_entry FROM lifecycle WHERE person = (SELECT rowid FROM people WHERE id = {subject})
             UNION ALL SELECT a.previous FROM chain JOIN audit a ON a.id = chain.id {walk})
         SELECT id FROM chain WHERE {keep}"
    )
}

/// Makes the entries about the person `from` entries about `to` (a merge keeps `to`): their two
/// chains become one, in order, with the newest at the head of `to`'s.
pub(crate) fn move_entries_tx(tx: &Transaction, from: &str, to: &str) -> Result<()> {
    let mut entries_of = tx.prepare_cached(&about("?1", None))?;
    let moved: Vec<i64> = entries_of.query_map([from], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    if moved.is_empty() {
        return Ok(());
    }
    let mut both: Vec<i64> = entries_of.query_map([to], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    both.extend(&moved);
    both.sort_unstable();
    let json = |ids: &[i64]| serde_json::to_string(ids).expect("numbers serialise");
    tx.execute(
        "UPDATE audit SET subject_id = ?2 WHERE id IN (SELECT value FROM json_each(?1))",
        params![json(&moved), to],
    )?;
    tx.execute(
        "UPDATE audit SET previous = chained.previous
         FROM (SELECT value AS id, lag(value) OVER (ORDER BY value) AS previous FROM json_each(?1)) AS chained
         WHERE audit.id = chained.id",
        [json(&both)],
    )?;
    let mut head = tx.prepare_cached(
        "UPDATE lifecycle SET last_entry = ?2 WHERE person = (SELECT rowid FROM people WHERE id = ?1)",
    )?;
    head.execute(params![from, None::<i64>])?;
    head.execute(params![to, both.last()])?;
    Ok(())
}

/// A WHERE clause with named parameters (`:person` may appear several times).
struct Where {
    sql: String,
    args: Vec<(&'static str, String)>,
}

impl Where {
    fn params(&self) -> Vec<(&str, &dyn rusqlite::ToSql)> {
        self.args.iter().map(|(k, v)| (*k, v as &dyn rusqlite::ToSql)).collect()
    }
}

/// On the entries alone (`a`): what their writes hold (time, actor) is asked of `audit_writes` in a
/// subquery, so that a count reads no write for each of a million entries.
fn where_clause(filter: &Filter) -> Result<Where> {
    let mut w = Where { sql: String::from("WHERE 1=1"), args: Vec::new() };
    let mut add = |clause: &str, name: &'static str, value: String| {
        w.sql.push_str(clause);
        w.args.push((name, value));
    };
    if let Some(person) = filter.person.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        add(
            " AND (lower(a.subject_name) LIKE :person OR a.subject_id IN (SELECT id FROM people WHERE email LIKE :person)
                   OR a.write_id IN (SELECT id FROM audit_writes WHERE lower(actor_name) LIKE :person
                                        OR actor_id IN (SELECT id FROM people WHERE email LIKE :person)))",
            ":person",
            format!("%{}%", person.to_lowercase()),
        );
    }
    if let Some(action) = filter.action.as_deref().filter(|a| !a.is_empty()) {
        add(" AND a.action = :action", ":action", action.to_string());
    }
    if let Some(from) = filter.from.as_deref().filter(|d| !d.is_empty()) {
        let day = time::parse_date("From", from)?;
        add(
            " AND a.write_id IN (SELECT id FROM audit_writes WHERE at >= :from)",
            ":from",
            day.format("%Y-%m-%d").to_string(),
        );
    }
    if let Some(to) = filter.to.as_deref().filter(|d| !d.is_empty()) {
        let day = time::parse_date("To", to)?.succ_opt().unwrap_or(chrono::NaiveDate::MAX);
        add(
            " AND a.write_id IN (SELECT id FROM audit_writes WHERE at < :to)",
            ":to",
            day.format("%Y-%m-%d").to_string(),
        );
    }
    if let Some(id) = filter.subject_id.as_deref() {
        add(&format!(" AND a.id IN ({})", about(":subject", None)), ":subject", id.to_string());
    }
    Ok(w)
}

fn entry_from_row(row: &rusqlite::Row) -> rusqlite::Result<AuditEntry> {
    let json = |i: usize| -> rusqlite::Result<Option<Value>> {
        Ok(row.get::<_, Option<String>>(i)?.and_then(|s| serde_json::from_str(&s).ok()))
    };
    // A deleted person keeps their place in the log under an anonymous name, without an id ("").
    let subject = row
        .get::<_, Option<String>>(7)?
        .map(|name| PersonRef { id: row.get::<_, Option<String>>(6).ok().flatten().unwrap_or_default(), name });
    let mut entry = AuditEntry {
        id: row.get(0)?,
        at: row.get(1)?,
        change_id: row.get(2)?,
        actor: row.get(3)?,
        source: row.get(4)?,
        action: row.get(5)?,
        subject,
        before: json(8)?,
        after: json(9)?,
        summary: String::new(),
    };
    entry.summary = summary(&entry);
    Ok(entry)
}

/// One sentence a person reads in the log.
fn summary(e: &AuditEntry) -> String {
    let who = e.subject.as_ref().map_or("someone", |s| s.name.as_str());
    let field = |v: &Option<Value>, key: &str| -> Option<String> { v.as_ref()?.get(key)?.as_str().map(str::to_string) };
    let undo = if e.after.as_ref().and_then(|a| a.get("undoOf")).is_some() { " (undo)" } else { "" };
    let text = match e.action.as_str() {
        "deactivated" => match field(&e.after, "reason") {
            Some(reason) => format!("Deactivated {who} (reason: {reason})"),
            None => format!("Deactivated {who}"),
        },
        "reactivated" => format!("Reactivated {who}"),
        "manager_changed" => format!(
            "Manager of {who}: {} → {}",
            field(&e.before, "managerName").unwrap_or_else(|| "nobody".into()),
            field(&e.after, "managerName").unwrap_or_else(|| "nobody".into())
        ),
        "person_created" => format!("Added {who}"),
        "company_created" => format!(
            "Created the company {} with {} seats",
            field(&e.after, "name").unwrap_or_default(),
            e.after.as_ref().and_then(|a| a.get("seats")).and_then(Value::as_i64).unwrap_or(0)
        ),
        "demo_generated" => format!(
            "Generated a demo company of {} people",
            e.after.as_ref().and_then(|a| a.get("people")).and_then(Value::as_i64).unwrap_or(0)
        ),
        "sign_in_failed" => format!(
            "Wrong password for {} ({} in a row)",
            field(&e.after, "email").unwrap_or_else(|| who.to_string()),
            e.after.as_ref().and_then(|a| a.get("failures")).and_then(Value::as_i64).unwrap_or(1)
        ),
        "password_set" => match field(&e.after, "via").as_deref() {
            Some("code") => format!("{who} set a password with a code"),
            _ => format!("Set a password for {who}"),
        },
        "password_changed" => format!("{who} changed their password"),
        "password_mail_sent" => format!("Sent a password mail to {who}"),
        "mail_settings_changed" => match field(&e.after, "host") {
            Some(host) => format!("Mail server set to {host}"),
            None => "Mail server removed: mail goes to the Outbox".to_string(),
        },
        "test_mail_sent" => format!("Sent a test mail to {}", field(&e.after, "to").unwrap_or_default()),
        "subscription_restarted" => format!(
            "Restarted the subscription: {} seats until {}",
            e.after.as_ref().and_then(|a| a.get("seats")).and_then(Value::as_i64).unwrap_or(0),
            field(&e.after, "activeUntil").unwrap_or_default()
        ),
        "cycle_created" => format!("Created the review cycle {}", field(&e.after, "name").unwrap_or_default()),
        "cycle_started" => format!(
            "Started the review cycle {} with {} participants",
            field(&e.after, "name").unwrap_or_default(),
            e.after.as_ref().and_then(|a| a.get("participants")).and_then(Value::as_i64).unwrap_or(0)
        ),
        "erased" => {
            let people = e.after.as_ref().and_then(|a| a.get("people")).and_then(Value::as_i64).unwrap_or(0);
            let records: i64 =
                e.after.as_ref().and_then(|a| a.get("counts")).and_then(Value::as_object).map_or(0, |c| {
                    c.iter().filter(|(k, _)| *k != "auditEntries").filter_map(|(_, v)| v.as_i64()).sum()
                });
            let who = if people == 1 { "1 person".to_string() } else { format!("{people} people") };
            format!("Erased {who} and all their data ({records} records)")
        }
        "merged" => {
            let into = e
                .after
                .as_ref()
                .and_then(|a| a.pointer("/into/name"))
                .and_then(Value::as_str)
                .unwrap_or("another account");
            format!("Merged {who} into {into}")
        }
        "import_source_changed" => match (field(&e.after, "kind").as_deref(), field(&e.after, "host")) {
            (Some("sftp"), Some(host)) => format!("HRIS source set to the SFTP server {host}"),
            _ => match field(&e.after, "folder") {
                Some(folder) => format!("HRIS source set to the folder {folder}"),
                None => "HRIS source changed".to_string(),
            },
        },
        "host_key_accepted" => format!(
            "Accepted the host key {} of the SFTP server {}",
            field(&e.after, "hostKey").unwrap_or_default(),
            field(&e.after, "host").unwrap_or_default()
        ),
        "automatic_imports_switched" => {
            if e.after.as_ref().and_then(|a| a.get("automatic")).and_then(Value::as_bool).unwrap_or(false) {
                "Turned automatic HRIS imports on".to_string()
            } else {
                "Turned automatic HRIS imports off".to_string()
            }
        }
        "import_interval_changed" => format!(
            "Automatic HRIS imports every {} minutes",
            e.after.as_ref().and_then(|a| a.get("intervalMinutes")).and_then(Value::as_i64).unwrap_or(0)
        ),
        "person_updated" => {
            let fields: Vec<&str> = e
                .after
                .as_ref()
                .and_then(Value::as_object)
                .map(|a| a.keys().filter(|k| !matches!(k.as_str(), "run" | "managerId")).map(String::as_str).collect())
                .unwrap_or_default();
            match fields.as_slice() {
                [] => format!("Updated {who}"),
                fields => format!("Updated {who}: {}", fields.join(", ")),
            }
        }
        "imported" => {
            let file = field(&e.after, "file").unwrap_or_else(|| "an HRIS file".into());
            let count =
                |k: &str| e.after.as_ref().and_then(|a| a.pointer(&format!("/counts/{k}"))).and_then(Value::as_i64);
            let parts: Vec<String> = ["created", "updated", "deactivated", "reactivated"]
                .iter()
                .filter_map(|k| count(k).filter(|n| *n > 0).map(|n| format!("{n} {k}")))
                .collect();
            match parts.as_slice() {
                [] => format!("Imported {file}"),
                parts => format!("Imported {file}: {}", parts.join(", ")),
            }
        }
        "import_held" => format!(
            "Held the import of {} for review: {}",
            field(&e.after, "file").unwrap_or_else(|| "an HRIS file".into()),
            field(&e.after, "reason").unwrap_or_default()
        ),
        "import_discarded" => {
            format!("Discarded the held import of {}", field(&e.after, "file").unwrap_or_else(|| "an HRIS file".into()))
        }
        "sync_hold_set" => format!(
            "Sync hold: {who} stays active until {} ({})",
            field(&e.after, "until").unwrap_or_default(),
            field(&e.after, "reason").unwrap_or_default()
        ),
        "sync_hold_cleared" => format!("Removed the sync hold of {who}"),
        other => format!("{other} {who}"),
    };
    format!("{text}{undo}")
}

pub fn list(ws: &Workspace, filter: &Filter, offset: i64, limit: i64) -> Result<AuditPage> {
    let w = where_clause(filter)?;
    ws.read(|tx| {
        let total = tx.query_row(&format!("SELECT count(*) FROM audit a {}", w.sql), &*w.params(), |r| r.get(0))?;
        let mut params = w.params();
        let (limit, offset) = (limit.clamp(1, 1000), offset.max(0));
        params.push((":limit", &limit));
        params.push((":offset", &offset));
        let mut stmt = tx.prepare(&format!(
            "SELECT {COLUMNS} FROM {ENTRIES} {} ORDER BY a.id DESC LIMIT :limit OFFSET :offset",
            w.sql
        ))?;
        let entries = stmt.query_map(&*params, entry_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(AuditPage { total, entries })
    })
}

/// The entries of one change, oldest first (what `undo` reverses).
pub fn change_entries_tx(tx: &Transaction, change_id: &str) -> Result<Vec<AuditEntry>> {
    // The change's writes by their index, then the entries of each by their range of ids.
    let mut stmt = tx.prepare(&format!(
        "SELECT {COLUMNS} FROM {ENTRIES} WHERE w.change_id = ?1 AND a.id BETWEEN w.first AND w.last ORDER BY a.id"
    ))?;
    let entries = stmt.query_map([change_id], entry_from_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(entries)
}

/// The distinct actions in the log, for the filter menu.
pub fn actions(ws: &Workspace) -> Result<Vec<String>> {
    ws.read(|tx| {
        let mut stmt = tx.prepare("SELECT DISTINCT action FROM audit ORDER BY action")?;
        let actions = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(actions)
    })
}

/// Writes every entry matching `filter` as CSV, newest first; returns how many.
pub fn export_csv(ws: &Workspace, filter: &Filter, out: impl std::io::Write) -> Result<usize> {
    let mut csv = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| {
        crate::error::Error::new(crate::error::Code::Unavailable, format!("Could not write the CSV file: {e}"))
    };
    csv.write_record(["when", "actor", "source", "action", "person", "person_id", "details", "before", "after"])
        .map_err(csv_err)?;
    let mut count = 0;
    let mut offset = 0;
    loop {
        let page = list(ws, filter, offset, 1000)?;
        for e in &page.entries {
            let json = |v: &Option<Value>| v.as_ref().map(Value::to_string).unwrap_or_default();
            csv.write_record([
                e.at.as_str(),
                &e.actor,
                &e.source,
                &e.action,
                e.subject.as_ref().map_or("", |s| s.name.as_str()),
                e.subject.as_ref().map_or("", |s| s.id.as_str()),
                &e.summary,
                &json(&e.before),
                &json(&e.after),
            ])
            .map_err(csv_err)?;
        }
        count += page.entries.len();
        offset += page.entries.len() as i64;
        if page.entries.is_empty() || offset >= page.total {
            break;
        }
    }
    csv.flush()?;
    Ok(count)
}

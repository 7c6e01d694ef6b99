//! What an HRIS file would change, computed without changing anything: who is created, updated (field
//! by field), deactivated, reactivated, held by a sync hold, skipped, left unchanged, and which rows
//! have errors or warnings. `apply` makes exactly these changes, in the same transaction as the plan.
//!
//! Roster's people are read once into memory (their texts in one arena; maps by id, email and employee
//! ID, merge aliases included) while another thread reads the file and each row's values; then rows are
//! matched, and managers resolved after all rows, so a 100,000-row file plans in one pass over each.
//! Emails and IDs are looked up as they are written (`NoCase`), without lower-cased copies.

use std::collections::hash_map::Entry;
use std::sync::OnceLock;

use bumpalo::Bump;
use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, Transaction};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::columns::{self, Column, Field, Layout, ManagerKey, Mapping};
use super::csv as reader;
use super::nocase::NoCase;
use super::ImportFile;
use crate::error::{Error, Result};
use crate::workspace::Workspace;
use crate::{lifecycle, people};

/// What happens to people who are in Roster but not in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Left alone: the file may list only part of the company (the default).
    Partial,
    /// Deactivated: the file lists the whole company. Admins and people with a sync hold are kept.
    Full,
}

impl Missing {
    pub fn as_str(self) -> &'static str {
        match self {
            Missing::Partial => "partial",
            Missing::Full => "full",
        }
    }
}

/// How the source's files are read and applied: the columns of `import_source` this module reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub missing: Missing,
    pub fallback_encoding: String,
    pub mapping: Option<Mapping>,
    /// An automatic import that would deactivate more than this share of the active people is held.
    pub threshold_percent: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            missing: Missing::Partial,
            fallback_encoding: reader::DEFAULT_FALLBACK.to_string(),
            mapping: None,
            threshold_percent: 10,
        }
    }
}

pub fn settings_tx(tx: &Transaction) -> Result<Settings> {
    let row = tx
        .query_row(
            "SELECT missing, fallback_encoding, mapping, threshold_percent FROM import_source WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((missing, fallback, mapping, threshold)) = row else { return Ok(Settings::default()) };
    let mapping = match mapping.as_deref().map(str::trim).filter(|m| !m.is_empty() && *m != "null") {
        Some(json) => Some(Mapping::from_json(json)?),
        None => None,
    };
    Ok(Settings {
        missing: if missing == "full" { Missing::Full } else { Missing::Partial },
        fallback_encoding: if fallback.trim().is_empty() { reader::DEFAULT_FALLBACK.to_string() } else { fallback },
        mapping,
        threshold_percent: threshold,
    })
}

/// The source's settings (the defaults when no source is set up).
pub fn settings(ws: &Workspace) -> Result<Settings> {
    ws.read(settings_tx)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub deactivated: usize,
    pub reactivated: usize,
    pub unchanged: usize,
    pub held: usize,
    pub skipped: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Counts {
    /// How many people the plan changes.
    pub fn changes(&self) -> usize {
        self.created + self.updated + self.deactivated + self.reactivated
    }

    /// "3 created, 1 deactivated, 2 errors", leaving out what is zero.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = [
            (self.created, "created"),
            (self.updated, "updated"),
            (self.deactivated, "deactivated"),
            (self.reactivated, "reactivated"),
            (self.held, "held"),
            (self.unchanged, "unchanged"),
            (self.skipped, "skipped"),
            (self.errors, if self.errors == 1 { "error" } else { "errors" }),
            (self.warnings, if self.warnings == 1 { "warning" } else { "warnings" }),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            "nothing".into()
        } else {
            parts.join(", ")
        }
    }
}

/// A person the import adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedPerson {
    pub line: u64,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub employee_id: Option<String>,
    pub title: String,
    pub department: String,
    pub team: String,
    pub location: String,
    pub gender: String,
    pub hire_date: Option<String>,
    /// The manager's name.
    pub manager: Option<String>,
    /// The id the person gets (a dry run's is thrown away) and their manager's.
    #[serde(skip)]
    pub(crate) new_id: String,
    #[serde(skip)]
    pub(crate) manager_id: Option<String>,
}

/// One field that changes: `old` → `new` (the manager by name); None is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Updated {
    pub id: String,
    pub name: String,
    pub line: u64,
    pub changes: Vec<FieldChange>,
}

/// A person deactivated or reactivated, with the field changes made with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    pub id: String,
    pub name: String,
    /// None for people deactivated because a full import does not list them.
    pub line: Option<u64>,
    pub reason: String,
    #[serde(default)]
    pub changes: Vec<FieldChange>,
}

/// Someone the import would deactivate, kept active by a sync hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldPerson {
    pub id: String,
    pub name: String,
    pub line: Option<u64>,
    pub until: String,
    /// The hold's reason.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub line: u64,
    pub name: String,
    pub email: String,
    pub why: String,
}

/// A problem with one line of the file: what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

/// An active person of Roster whom the file does not list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingPerson {
    pub id: String,
    pub name: String,
    pub email: String,
    /// "left_alone" (partial import), "deactivated", "held" (sync hold) or "kept_admin" (full import).
    pub outcome: String,
}

/// Everything an import of one file would do.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Plan {
    pub file_name: String,
    /// SHA-256 of the file's bytes, hex.
    pub file_hash: String,
    pub encoding: String,
    /// "comma", "semicolon" or "tab".
    pub delimiter: String,
    pub has_header: bool,
    pub columns: Vec<Column>,
    /// "partial" or "full".
    pub missing_mode: String,
    /// Data rows read (the header and blank lines not counted).
    pub rows: usize,
    pub counts: Counts,
    pub created: Vec<PlannedPerson>,
    pub updated: Vec<Updated>,
    pub deactivated: Vec<StatusChange>,
    pub reactivated: Vec<StatusChange>,
    pub held: Vec<HeldPerson>,
    pub skipped: Vec<Skipped>,
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowError>,
    pub unchanged: usize,
    pub missing: Vec<MissingPerson>,
}

/// The name HRIS deactivations are recorded under (`deactivated_by_name`) and the automatic actor's.
pub const IMPORT_NAME: &str = "HRIS import";

/// One change to make, in the order `apply` makes them.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// The person `plan.created[index]`.
    Create(usize),
    Update {
        id: String,
        name: String,
        sets: Vec<(&'static str, Option<String>)>,
        before: Value,
        after: Value,
    },
    Reactivate {
        id: String,
        name: String,
        before: Value,
    },
    Deactivate {
        id: String,
        name: String,
        reason: String,
    },
}

/// A plan with the changes that make it.
pub(crate) struct Planned {
    pub plan: Plan,
    pub ops: Vec<Op>,
    /// Active people before the import, for the safeguard.
    pub active_before: usize,
    /// Why the file has no rows, when it has none.
    pub no_rows: Option<String>,
}

/// The text fields compared one to one: the field, its name in plans, its column in `people`.
const TEXT: [(Field, &str, &str); 5] = [
    (Field::Title, "title", "title"),
    (Field::Department, "department", "department"),
    (Field::Team, "team", "team"),
    (Field::Location, "location", "location"),
    (Field::Gender, "gender", "gender"),
];

/// A person in Roster, their texts in the plan's arena.
struct Person<'s> {
    id: &'s str,
    first: &'s str,
    last: &'s str,
    email: &'s str,
    employee_id: Option<&'s str>,
    text: [&'s str; 5],
    hire_date: Option<&'s str>,
    manager: Option<usize>,
    admin: bool,
    active: bool,
    merged_into: Option<usize>,
}

impl Person<'_> {
    /// As the `name` column has it: not read with the rest, as it follows from the two.
    fn name(&self) -> String {
        people::full_name(self.first, self.last)
    }
}

/// Whom a row means in Roster by its Employee ID and by its email: a place in the directory, and
/// whether it was found through an alias (an old email or ID of a merged account).
type Found = (Option<(usize, bool)>, Option<(usize, bool)>);

/// Roster's people, read once, with the maps the file is matched against.
struct Directory<'s> {
    people: Vec<Person<'s>>,
    email: HashMap<NoCase<'s>, usize>,
    employee_id: HashMap<NoCase<'s>, usize>,
    alias_email: HashMap<NoCase<'s>, usize>,
    alias_employee_id: HashMap<NoCase<'s>, usize>,
    holds: HashMap<usize, (String, String)>,
    /// By lower-cased name, made when a manager is first looked up by name.
    names: OnceLock<HashMap<String, Vec<usize>>>,
}

/// Column `i` of a row, copied into the arena (None for NULL).
fn stored<'s>(arena: &'s Bump, r: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<&'s str>> {
    let value = r.get_ref(i)?;
    if value == ValueRef::Null {
        return Ok(None);
    }
    let text = value.as_str().map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), e.into()))?;
    Ok(Some(arena.alloc_str(text)))
}

impl<'s> Directory<'s> {
    fn load(tx: &Transaction, arena: &'s Bump, today: &str) -> Result<Directory<'s>> {
        let mut stmt = tx.prepare(
            "SELECT p.id, p.first_name, p.last_name, p.email, p.employee_id, p.title, p.department, p.team, p.location,
                    p.gender, p.hire_date, l.manager_id, p.role = 'admin', l.status = 'active', p.merged_into_id
             FROM people p JOIN lifecycle l ON l.person = p.rowid",
        )?;
        // Sized once: grown by doubling, 100,000 people were copied again and again into fresh pages
        // (~25 ms of a 300 ms dry run, on its critical path: the file is read meanwhile).
        let count: usize = tx.query_row("SELECT count(*) FROM people", [], |r| r.get(0))?;
        let mut people = Vec::with_capacity(count);
        let mut links: Vec<(Option<&str>, Option<&str>)> = Vec::with_capacity(count);
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let text = |i| Ok::<_, rusqlite::Error>(stored(arena, r, i)?.unwrap_or_default());
            people.push(Person {
                id: text(0)?,
                first: text(1)?,
                last: text(2)?,
                email: text(3)?,
                employee_id: stored(arena, r, 4)?,
                text: [text(5)?, text(6)?, text(7)?, text(8)?, text(9)?],
                hire_date: stored(arena, r, 10)?,
                manager: None,
                admin: r.get(12)?,
                active: r.get(13)?,
                merged_into: None,
            });
            // Manager and merged-into ids: mapped to places once everyone is read.
            links.push((stored(arena, r, 11)?, stored(arena, r, 14)?));
        }
        let by_id: HashMap<&str, usize> = people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let found = |id: Option<&str>| id.and_then(|m| by_id.get(m).copied());
        for (person, (manager, merged_into)) in people.iter_mut().zip(links) {
            person.manager = found(manager);
            person.merged_into = found(merged_into);
        }
        let email = people.iter().enumerate().map(|(i, p)| (NoCase::new(p.email), i)).collect();
        let employee_id =
            people.iter().enumerate().filter_map(|(i, p)| Some((NoCase::new(p.employee_id?), i))).collect();
        let mut alias_email = HashMap::default();
        let mut alias_employee_id = HashMap::default();
        let mut stmt = tx.prepare("SELECT kind = 'email', value, person_id FROM aliases")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(&i) = by_id.get(r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?) else { continue };
            let value = NoCase::new(stored(arena, r, 1)?.unwrap_or_default());
            match r.get(0)? {
                true => alias_email.insert(value, i),
                false => alias_employee_id.insert(value, i),
            };
        }
        let mut holds = HashMap::default();
        let mut stmt = tx.prepare("SELECT person_id, until, reason FROM sync_holds WHERE until >= ?1")?;
        let mut rows = stmt.query([today])?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = by_id.get(r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?) {
                holds.insert(i, (r.get(1)?, r.get(2)?));
            }
        }
        Ok(Directory { people, email, employee_id, alias_email, alias_employee_id, holds, names: OnceLock::new() })
    }

    /// The account kept for `i`: a merged-away account means the one it was merged into.
    fn kept(&self, mut i: usize) -> (usize, bool) {
        let mut redirected = false;
        for _ in 0..64 {
            match self.people[i].merged_into {
                Some(into) => {
                    i = into;
                    redirected = true;
                }
                None => break,
            }
        }
        (i, redirected)
    }

    /// The person an email means, and whether it is an old email of theirs (an alias).
    fn by_email(&self, email: NoCase) -> Option<(usize, bool)> {
        if let Some(&i) = self.alias_email.get(&email) {
            return Some((self.kept(i).0, true));
        }
        self.email.get(&email).map(|&i| self.kept(i))
    }

    fn by_employee_id(&self, id: NoCase) -> Option<(usize, bool)> {
        if let Some(&i) = self.alias_employee_id.get(&id) {
            return Some((self.kept(i).0, true));
        }
        self.employee_id.get(&id).map(|&i| self.kept(i))
    }

    /// Whom a row means: by its Employee ID, and by its email.
    fn find(&self, row: &Row) -> Found {
        let by_id = row.employee_id.and_then(|id| self.by_employee_id(NoCase::new(id)));
        let by_email = Some(row.email).filter(|e| !e.is_empty()).and_then(|e| self.by_email(NoCase::new(e)));
        (by_id, by_email)
    }

    /// The person of this name, if exactly one (an active one preferred).
    fn by_name(&self, name: &str) -> std::result::Result<Option<usize>, usize> {
        let people = &self.people;
        let names = self.names.get_or_init(|| {
            let mut names: HashMap<String, Vec<usize>> = HashMap::default();
            for (i, p) in people.iter().enumerate().filter(|(_, p)| p.merged_into.is_none()) {
                names.entry(p.name().to_lowercase()).or_default().push(i);
            }
            names
        });
        match names.get(&name.trim().to_lowercase()).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([one]) => Ok(Some(*one)),
            Some(many) => {
                let active: Vec<usize> = many.iter().copied().filter(|&i| people[i].active).collect();
                match active.as_slice() {
                    [one] => Ok(Some(*one)),
                    _ => Err(many.len()),
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ManagerRef<'a> {
    Nobody,
    Email(&'a str),
    EmployeeId(&'a str),
    Name(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Valid,
    Error,
    Skipped,
}

/// One data row of the file as read: its values borrowed from the file's text.
struct Row<'a> {
    line: u64,
    /// Too few or too many values: its other values are not reliable.
    malformed: bool,
    state: State,
    person: Option<usize>,
    /// Matched through an old email or employee ID of a merged account: those are not written back.
    via_alias: bool,
    first: Option<&'a str>,
    last: Option<&'a str>,
    email: &'a str,
    employee_id: Option<&'a str>,
    text: [Option<&'a str>; 5],
    hire_date: Option<Option<NaiveDate>>,
    manager: Option<ManagerRef<'a>>,
    active: bool,
    inactive_reason: String,
    /// For a new person: their id and node.
    new_id: Option<String>,
    node: Option<usize>,
    /// The manager the row sets: None keeps the current one.
    decision: Option<Option<usize>>,
    /// What is wrong with it in the file alone: its values, an email or ID an earlier row has (moved to
    /// the plan's errors when it is checked against Roster).
    read_errors: Vec<RowError>,
}

impl Row<'_> {
    fn display_name(&self, dir: &Directory) -> String {
        if let Some(p) = self.person {
            return dir.people[p].name();
        }
        let name = people::full_name(self.first.unwrap_or(""), self.last.unwrap_or(""));
        if name.is_empty() {
            self.email.to_string()
        } else {
            name
        }
    }
}

/// Collects a row's problems.
struct Problems<'a> {
    layout: Option<&'a Layout>,
    errors: Vec<RowError>,
    warnings: Vec<RowError>,
}

impl Problems<'_> {
    fn error(&mut self, line: u64, field: Option<Field>, message: String) {
        let column = field.and_then(|f| Some(self.layout?.header(f)));
        self.errors.push(RowError { line, column, message });
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads and plans a file with the source's settings; changes nothing. A file whose columns cannot be
/// understood, or that has no rows of people, is refused whole with what to fix.
pub fn plan(ws: &Workspace, file: &ImportFile) -> Result<Plan> {
    ws.read(|tx| {
        let settings = settings_tx(tx)?;
        let planned = plan_tx(tx, file, &settings, None)?;
        match planned.no_rows {
            Some(why) => Err(Error::invalid_input(why)),
            None => Ok(planned.plan),
        }
    })
}

/// Plans with the given settings (a mapping being set up, say); changes nothing.
pub fn plan_with(ws: &Workspace, file: &ImportFile, settings: &Settings) -> Result<Plan> {
    ws.read(|tx| {
        let planned = plan_tx(tx, file, settings, None)?;
        match planned.no_rows {
            Some(why) => Err(Error::invalid_input(why)),
            None => Ok(planned.plan),
        }
    })
}

/// The first lines of a file as Roster reads them, for setting up a column mapping.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    pub encoding: String,
    pub delimiter: String,
    pub has_header: bool,
    /// The columns and what Roster reads from each (None: not understood yet).
    pub columns: Vec<Column>,
    /// Why the columns are not understood yet, if they are not.
    pub problem: Option<String>,
    /// The first lines, the header included, as written.
    pub lines: Vec<Vec<String>>,
    pub rows: usize,
}

/// Reads the first `limit` lines of a file with an (unsaved) mapping: how each column would be read.
pub fn sample(file: &ImportFile, mapping: Option<&Mapping>, fallback_encoding: &str, limit: usize) -> Result<Sample> {
    let table = reader::read(&file.name, &file.bytes, fallback_encoding)?;
    let lines: Vec<Vec<String>> =
        table.records.iter().take(limit).map(|r| r.values.iter().map(str::to_string).collect()).collect();
    let first = lines.first().cloned().unwrap_or_default();
    let (has_header, columns, problem) = match columns::layout(&file.name, &first, mapping) {
        Ok(layout) => (layout.has_header, layout.columns, None),
        Err(e) => {
            let columns = first
                .iter()
                .enumerate()
                .map(|(i, h)| Column { number: i + 1, header: h.trim().to_string(), field: columns::known_header(h) })
                .collect();
            (mapping.and_then(|m| m.has_header).unwrap_or(true), columns, Some(e.message))
        }
    };
    let rows = table.records.len().saturating_sub(usize::from(has_header));
    Ok(Sample {
        encoding: table.encoding,
        delimiter: reader::delimiter_name(table.delimiter).to_string(),
        has_header,
        columns,
        problem,
        lines,
        rows,
    })
}

/// Reads the file and plans it against the workspace as it is in `tx`. `actor_id`: the admin running
/// a manual import, whom it never deactivates.
pub(crate) fn plan_tx(
    tx: &Transaction,
    file: &ImportFile,
    settings: &Settings,
    actor_id: Option<&str>,
) -> Result<Planned> {
    let today = chrono::Utc::now().date_naive();
    let arena = Bump::new();
    let lines = OnceLock::new();
    // Two cores: the file is read, and each row on its own, while Roster's people are loaded.
    let (read, dir) = std::thread::scope(|s| {
        let reading = s.spawn(|| read_file(file, settings, today, &lines));
        let dir = Directory::load(tx, &arena, &today.to_string());
        (reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), dir)
    });
    let ReadFile { table, layout, rows: read_rows, keys, file_hash } = read?;
    let dir = dir?;
    let mut plan = Plan {
        file_name: file.name.clone(),
        file_hash,
        encoding: table.encoding.clone(),
        delimiter: table.delimiter_name().to_string(),
        missing_mode: settings.missing.as_str().to_string(),
        ..Plan::default()
    };
    let active_before = dir.people.iter().filter(|p| p.active).count();
    if let Some(l) = &layout {
        plan.has_header = l.has_header;
        plan.columns = l.columns.clone();
    }
    plan.rows = read_rows.len();
    let mut problems = Problems { layout: layout.as_ref(), errors: Vec::new(), warnings: Vec::new() };
    let no_rows = match (&layout, read_rows.is_empty()) {
        (None, _) => Some(format!(
            "{} is empty: it has no header and no rows of people. The HRIS export may have failed or been cut off: \
             check the file at its source, then import it again.",
            file.name
        )),
        (Some(_), true) => Some(format!(
            "{} has a header but no rows of people. The HRIS export may have failed or been cut off: check the file \
             at its source, then import it again.",
            file.name
        )),
        _ => None,
    };
    if let Some(why) = &no_rows {
        problems.warnings.push(RowError { line: 1, column: None, message: why.clone() });
    }

    let mut rows = read_rows;
    // The line that matched each person (0: none yet).
    let mut matched = vec![0; dir.people.len()];
    if let Some(layout) = &layout {
        let ctx = RowContext::new(layout, table, settings, today, &file.name);
        let found = on_two_cores(&rows, |row| dir.find(row));
        for (row, found) in rows.iter_mut().zip(found) {
            check_row(&ctx, (&mut *row, found), &dir, &mut matched, actor_id, &mut problems);
            if row.state == State::Skipped {
                plan.skipped.push(Skipped {
                    line: row.line,
                    name: row.display_name(&dir),
                    email: row.email.to_string(),
                    why: format!("{}, and Roster never had this person: nothing to do.", row.inactive_reason),
                });
            }
        }
        keep_an_admin(&mut rows, &dir, layout, &mut problems);
    }

    // New people get an id and a node in the reporting graph (after Roster's people).
    let base = dir.people.len();
    let mut nodes = base;
    for row in rows.iter_mut().filter(|r| r.state == State::Valid) {
        match row.person {
            Some(p) => row.node = Some(p),
            None => {
                row.new_id = Some(people::new_id());
                row.node = Some(nodes);
                nodes += 1;
            }
        }
    }
    if let Some(layout) = &layout {
        resolve_managers(&mut rows, &dir, &mut problems, layout, &keys, base, nodes);
    }
    let new_names: HashMap<usize, (String, String)> = rows
        .iter()
        .filter(|r| r.state == State::Valid && r.person.is_none())
        .filter_map(|r| Some((r.node?, (r.new_id.clone()?, r.display_name(&dir)))))
        .collect();
    let node_ref = |node: usize| -> (String, String) {
        match dir.people.get(node) {
            Some(p) => (p.id.to_string(), p.name()),
            None => new_names.get(&node).cloned().unwrap_or_default(),
        }
    };

    // What each valid row does, in the order of the file.
    let mut ops = Vec::new();
    let mut updates = Vec::new();
    let mut reactivations = Vec::new();
    let mut deactivations = Vec::new();
    // Each existing person's changes, on two cores (most rows change nothing: finding that is the work,
    // and a row that changes nothing is then counted without looking at its person again).
    let diffs = on_two_cores(&rows, |row| {
        let i = row.person.filter(|_| row.state == State::Valid)?;
        let person = &dir.people[i];
        let diff = field_changes(row, person, &dir, &node_ref);
        Some((!diff.changes.is_empty() || person.active != row.active).then_some(diff))
    });
    for (row, diff) in rows.iter().zip(diffs).filter(|(r, _)| r.state == State::Valid) {
        let line = row.line;
        let (Some(i), Some(diff)) = (row.person, diff) else {
            let (first, last) = (row.first.unwrap_or(""), row.last.unwrap_or(""));
            let text = row.text.map(|t| t.unwrap_or("").to_string());
            let [title, department, team, location, gender] = text;
            let manager = row.decision.flatten().map(&node_ref);
            ops.push(Op::Create(plan.created.len()));
            plan.created.push(PlannedPerson {
                line,
                name: people::full_name(first, last),
                first_name: first.to_string(),
                last_name: last.to_string(),
                email: row.email.to_string(),
                employee_id: row.employee_id.map(str::to_string),
                title,
                department,
                team,
                location,
                gender,
                hire_date: row.hire_date.flatten().map(|d| d.to_string()),
                manager_id: manager.as_ref().map(|(id, _)| id.clone()),
                manager: manager.map(|(_, name)| name),
                new_id: row.new_id.clone().expect("new rows have an id"),
            });
            continue;
        };
        let Some(diff) = diff else {
            plan.unchanged += 1;
            continue;
        };
        let p = &dir.people[i];
        let changed = !diff.changes.is_empty();
        let (id, name) = (p.id.to_string(), p.name());
        match (p.active, row.active) {
            (true, false) if dir.holds.contains_key(&i) => {
                let (until, reason) = dir.holds[&i].clone();
                plan.held.push(HeldPerson { id: id.clone(), name: name.clone(), line: Some(line), until, reason });
                if changed {
                    updates.push(diff.op(id, name));
                }
            }
            (true, false) => {
                let reason = row.inactive_reason.clone();
                deactivations.push(Op::Deactivate { id: id.clone(), name: name.clone(), reason: reason.clone() });
                plan.deactivated.push(StatusChange {
                    id: id.clone(),
                    name: name.clone(),
                    line: Some(line),
                    reason,
                    changes: diff.changes.clone(),
                });
                if changed {
                    updates.push(diff.op(id, name));
                }
            }
            (false, true) => {
                let before = lifecycle::deactivation_tx(tx, p.id)?;
                reactivations.push(Op::Reactivate { id: id.clone(), name: name.clone(), before });
                plan.reactivated.push(StatusChange {
                    id: id.clone(),
                    name: name.clone(),
                    line: Some(line),
                    reason: format!("Active in {}", file.name),
                    changes: diff.changes.clone(),
                });
                if changed {
                    updates.push(diff.op(id, name));
                }
            }
            // The same status: what made the diff is a change of fields.
            _ => {
                plan.updated.push(Updated { id: id.clone(), name: name.clone(), line, changes: diff.changes.clone() });
                updates.push(diff.op(id, name));
            }
        }
    }

    // People of Roster whom the file does not list.
    let mut claimed = vec![false; dir.people.len()];
    for p in rows.iter().filter_map(|r| r.person) {
        claimed[p] = true;
    }
    for (i, p) in dir.people.iter().enumerate() {
        if !p.active || p.merged_into.is_some() || claimed[i] {
            continue;
        }
        let name = p.name();
        let outcome = match settings.missing {
            Missing::Partial => "left_alone",
            Missing::Full if p.admin || actor_id == Some(p.id) => "kept_admin",
            Missing::Full if dir.holds.contains_key(&i) => {
                let (until, reason) = dir.holds[&i].clone();
                plan.held.push(HeldPerson { id: p.id.to_string(), name: name.clone(), line: None, until, reason });
                "held"
            }
            Missing::Full => {
                let reason = format!("Not in {} (a full import)", file.name);
                deactivations.push(Op::Deactivate { id: p.id.to_string(), name: name.clone(), reason: reason.clone() });
                plan.deactivated.push(StatusChange {
                    id: p.id.to_string(),
                    name: name.clone(),
                    line: None,
                    reason,
                    changes: Vec::new(),
                });
                "deactivated"
            }
        };
        plan.missing.push(MissingPerson {
            id: p.id.to_string(),
            name,
            email: p.email.to_string(),
            outcome: outcome.into(),
        });
    }

    ops.extend(updates);
    ops.extend(reactivations);
    ops.extend(deactivations);
    problems.errors.sort_by_key(|e| e.line);
    problems.warnings.sort_by_key(|e| e.line);
    plan.errors = problems.errors;
    plan.warnings = problems.warnings;
    plan.counts = Counts {
        created: plan.created.len(),
        updated: plan.updated.len(),
        deactivated: plan.deactivated.len(),
        reactivated: plan.reactivated.len(),
        unchanged: plan.unchanged,
        held: plan.held.len(),
        skipped: plan.skipped.len(),
        errors: plan.errors.len(),
        warnings: plan.warnings.len(),
    };
    // The file's lines and Roster's people are freed on another thread (~20 ms for 100,000 of each):
    // the plan is ready without waiting for that.
    drop((rows, keys, dir));
    std::thread::spawn(move || drop((lines, arena)));
    Ok(Planned { plan, ops, active_before, no_rows })
}

/// Matches one row (as `read_file` read it) with Roster and decides what it is: a person to match or
/// create, a row to skip, or a row with errors (left untouched).
fn check_row(
    ctx: &RowContext,
    (row, found): (&mut Row, Found),
    dir: &Directory,
    matched: &mut [u64],
    actor_id: Option<&str>,
    problems: &mut Problems,
) {
    let errors_before = problems.errors.len();
    problems.errors.append(&mut row.read_errors);
    let line = row.line;
    let layout = ctx.layout;
    let status_known =
        problems.errors[errors_before..].iter().all(|e| e.column.is_none() || !ctx.status_headers.contains(&e.column));
    // Matching: by Employee ID when the row has one, else (or when the ID is new to Roster) by email.
    match found {
        (Some((p, alias)), other) => {
            if let Some((q, _)) = other.filter(|(q, _)| *q != p) {
                problems.error(
                    line,
                    Some(Field::Email),
                    format!(
                        "Employee ID “{}” is {} in Roster, but {} belongs to {}: correct the email or the Employee \
                         ID so that both mean the same person.",
                        row.employee_id.unwrap_or_default(),
                        dir.people[p].name(),
                        row.email,
                        dir.people[q].name()
                    ),
                );
            }
            row.person = Some(p);
            row.via_alias = alias;
        }
        (None, Some((q, alias))) => {
            if let (Some(theirs), Some(ours)) = (row.employee_id, dir.people[q].employee_id) {
                if NoCase::new(theirs) != NoCase::new(ours) {
                    problems.error(
                        line,
                        Some(Field::EmployeeId),
                        format!(
                            "{} is {} in Roster, whose Employee ID is “{ours}”, but this line says “{theirs}”: correct \
                             the Employee ID (or the email).",
                            row.email, dir.people[q].name()
                        ),
                    );
                }
            }
            row.person = Some(q);
            row.via_alias = alias;
        }
        (None, None) => {}
    }
    if let Some(p) = row.person {
        match matched[p] {
            0 => matched[p] = line,
            first => problems.error(
                line,
                None,
                format!(
                    "This line and line {first} are both {} in Roster (by email, Employee ID or an old email of a \
                     merged account): keep one of the two lines.",
                    dir.people[p].name()
                ),
            ),
        }
    }
    match row.person {
        None if !row.active && status_known => {
            // Whatever else is wrong with the line does not matter: there is nothing to do.
            problems.errors.truncate(errors_before);
            row.state = State::Skipped;
            return;
        }
        None if row.malformed => {}
        None => {
            if row.email.is_empty() {
                let message = if layout.has(Field::EmployeeId) && row.employee_id.is_some() {
                    "Login Email is empty, and Roster has nobody with this Employee ID: fill in the person's work email."
                } else {
                    "Login Email is empty: fill in the person's work email, which is how Roster knows who this is."
                };
                problems.error(line, Some(Field::Email), message.to_string());
            }
            if row.first.unwrap_or("").is_empty() && row.last.unwrap_or("").is_empty() {
                problems.error(
                    line,
                    name_field(layout),
                    "The name is empty: fill in the person's first and last name.".into(),
                );
            }
        }
        Some(p) => {
            let person = &dir.people[p];
            if let (Some(first), Some(last)) = (&row.first, &row.last) {
                if first.is_empty() && last.is_empty() {
                    problems.error(
                        line,
                        name_field(layout),
                        "The name is empty: fill in the person's first and last name.".into(),
                    );
                }
            }
            if person.active && !row.active && actor_id == Some(person.id) && !dir.holds.contains_key(&p) {
                problems.error(
                    line,
                    status_field(layout),
                    format!(
                        "This line deactivates {}, the admin running this import: Roster does not deactivate the \
                         account it is used from. Ask another admin to import the file, or correct the status.",
                        person.name()
                    ),
                );
            }
        }
    }
    if problems.errors.len() > errors_before {
        row.state = State::Error;
    }
}

/// Never deactivate the last active admins: when the file would deactivate every one of them, their
/// rows become errors.
fn keep_an_admin(rows: &mut [Row], dir: &Directory, layout: &Layout, problems: &mut Problems) {
    let admin = |row: &Row| row.person.map(|p| (p, &dir.people[p])).filter(|(_, p)| p.admin);
    let leaving: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.state == State::Valid && !r.active)
        .filter(|(_, r)| admin(r).is_some_and(|(i, p)| p.active && !dir.holds.contains_key(&i)))
        .map(|(i, _)| i)
        .collect();
    if leaving.is_empty() {
        return;
    }
    let active = dir.people.iter().filter(|p| p.active && p.admin).count();
    let returning =
        rows.iter().filter(|r| r.state == State::Valid && r.active && admin(r).is_some_and(|(_, p)| !p.active)).count();
    if active + returning > leaving.len() {
        return;
    }
    for i in leaving {
        let name = admin(&rows[i]).map(|(_, p)| p.name()).unwrap_or_default();
        rows[i].state = State::Error;
        problems.error(
            rows[i].line,
            status_field(layout),
            format!(
                "{name} is an admin, and this file would deactivate every active admin of the workspace: Roster keeps \
                 them active so that someone can still run it. Make another person admin in Roster first, or correct \
                 the status."
            ),
        );
    }
}

fn status_field(layout: &Layout) -> Option<Field> {
    [Field::Status, Field::TerminationDate].into_iter().find(|f| layout.has(*f))
}

fn name_field(layout: &Layout) -> Option<Field> {
    [Field::FirstName, Field::LastName, Field::FullName, Field::FullNameLastFirst].into_iter().find(|f| layout.has(*f))
}

fn manager_field(layout: &Layout) -> Option<Field> {
    [Field::ManagerEmail, Field::ManagerEmployeeId, Field::Manager, Field::ManagerName]
        .into_iter()
        .find(|f| layout.has(*f))
}

/// The file as read on its own: its lines, how its columns are read, and each data row's values.
struct ReadFile<'t> {
    table: &'t reader::Table,
    layout: Option<Layout>,
    rows: Vec<Row<'t>>,
    keys: FileKeys<'t>,
    file_hash: String,
}

/// The data rows by email and by employee ID: the first row with each, and its line.
struct FileKeys<'t> {
    email: HashMap<NoCase<'t>, (usize, u64)>,
    employee_id: HashMap<NoCase<'t>, (usize, u64)>,
}

impl<'t> FileKeys<'t> {
    /// Maps the rows' keys; a key an earlier row has is an error of the later one.
    fn new(rows: &mut [Row<'t>], layout: &Layout) -> Self {
        let map = |n| HashMap::with_capacity_and_hasher(n, Default::default());
        let ids = if layout.has(Field::EmployeeId) { rows.len() } else { 0 };
        let mut keys = FileKeys { email: map(rows.len()), employee_id: map(ids) };
        for (i, row) in rows.iter_mut().enumerate() {
            let mut taken = |field: Field, message: String| {
                row.read_errors.push(RowError { line: row.line, column: Some(layout.header(field)), message });
            };
            if let Some(id) = row.employee_id {
                match keys.employee_id.entry(NoCase::new(id)) {
                    Entry::Occupied(first) => taken(
                        Field::EmployeeId,
                        format!(
                            "Employee ID “{id}” is also on line {}: each person may appear once in the file. Remove \
                             one of the two lines, or correct the ID.",
                            first.get().1
                        ),
                    ),
                    Entry::Vacant(first) => {
                        first.insert((i, row.line));
                    }
                }
            }
            if !row.email.is_empty() {
                match keys.email.entry(NoCase::new(row.email)) {
                    Entry::Occupied(first) => taken(
                        Field::Email,
                        format!(
                            "{} is also on line {}: each person may appear once in the file. Remove one of the two \
                             lines, or correct the email.",
                            row.email,
                            first.get().1
                        ),
                    ),
                    Entry::Vacant(first) => {
                        first.insert((i, row.line));
                    }
                }
            }
        }
        keys
    }
}

/// Reads the file into `table`, then each data row (what is wrong with it, the file alone considered).
/// A file whose columns cannot be understood is refused whole.
fn read_file<'t>(
    file: &ImportFile,
    settings: &Settings,
    today: NaiveDate,
    table: &'t OnceLock<reader::Table>,
) -> Result<ReadFile<'t>> {
    let file_hash = sha256_hex(&file.bytes);
    let read = reader::read(&file.name, &file.bytes, &settings.fallback_encoding)?;
    let table = table.get_or_init(|| read);
    let first: Vec<String> =
        table.records.first().map(|r| r.values.iter().map(str::to_string).collect()).unwrap_or_default();
    let layout = match table.records.is_empty() {
        true => None,
        false => Some(columns::layout(&file.name, &first, settings.mapping.as_ref())?),
    };
    let (rows, keys) = match &layout {
        Some(layout) => {
            let ctx = RowContext::new(layout, table, settings, today, &file.name);
            // On two cores too: the people load on one of them, and the other may finish first.
            let mut rows = on_two_cores(&table.records[usize::from(layout.has_header)..], |record| {
                let mut problems = Problems { layout: Some(layout), errors: Vec::new(), warnings: Vec::new() };
                let mut row = read_row(&ctx, record, &mut problems);
                row.read_errors = problems.errors;
                row
            });
            let keys = FileKeys::new(&mut rows, layout);
            (rows, keys)
        }
        None => (Vec::new(), FileKeys { email: HashMap::default(), employee_id: HashMap::default() }),
    };
    Ok(ReadFile { table, layout, rows, keys, file_hash })
}

/// `f` of each item, in order: the second half on another thread.
fn on_two_cores<'i, T: Sync, U: Send>(items: &'i [T], f: impl Fn(&'i T) -> U + Sync) -> Vec<U> {
    let (first, second) = items.split_at(items.len() / 2);
    std::thread::scope(|s| {
        let later = s.spawn(|| second.iter().map(&f).collect::<Vec<U>>());
        let mut all = Vec::with_capacity(items.len());
        all.extend(first.iter().map(&f));
        all.extend(later.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        all
    })
}

struct RowContext<'a> {
    layout: &'a Layout,
    /// "comma", "semicolon" or "tab".
    delimiter: &'static str,
    /// The headers of the Status and Termination Date columns.
    status_headers: [Option<String>; 2],
    mapping: Option<&'a Mapping>,
    today: NaiveDate,
    file_name: &'a str,
}

impl<'a> RowContext<'a> {
    fn new(
        layout: &'a Layout,
        table: &reader::Table,
        settings: &'a Settings,
        today: NaiveDate,
        file_name: &'a str,
    ) -> Self {
        RowContext {
            layout,
            delimiter: table.delimiter_name(),
            status_headers: [Field::Status, Field::TerminationDate].map(|f| layout.has(f).then(|| layout.header(f))),
            mapping: settings.mapping.as_ref(),
            today,
            file_name,
        }
    }
}

/// Reads one data row's values, recording what is wrong with them.
fn read_row<'a>(ctx: &RowContext, record: &'a reader::Record, problems: &mut Problems) -> Row<'a> {
    let layout = ctx.layout;
    let values = &record.values;
    let line = record.line;
    let width = layout.width;
    let errors_before = problems.errors.len();
    let malformed = if values.len() < width {
        problems.error(
            line,
            None,
            format!(
                "This line has {} values where the header has {width} columns: a value or a {} is missing, or the line \
                 was cut off. Correct the line so that it has a value (perhaps empty) for every column.",
                values.len(),
                ctx.delimiter
            ),
        );
        true
    } else if values.iter().skip(width).any(|v| !v.trim().is_empty()) {
        problems.error(
            line,
            None,
            format!(
                "This line has {} values where the header has {width} columns: a value probably contains a {}, the \
                 character that separates the columns. Write that value in double quotes, or remove the extra values.",
                values.len(),
                ctx.delimiter
            ),
        );
        true
    } else {
        false
    };
    let get =
        |field: Field| -> Option<&'a str> { layout.index(field).map(|i| reader::trim(values.get(i).unwrap_or(""))) };
    let mut too_long = false;
    for column in &layout.columns {
        let Some(field) = column.field else { continue };
        let value = reader::trim(values.get(column.number - 1).unwrap_or(""));
        let max = field.max_chars();
        if value.len() > max {
            let chars = value.chars().count();
            if chars > max {
                too_long = true;
                problems.error(
                    line,
                    Some(field),
                    format!(
                        "The value is {chars} characters long: Roster keeps at most {max} characters of {}. Shorten it \
                         in the HRIS.",
                        field.label()
                    ),
                );
            }
        }
    }
    let clip = |v: &'a str| -> &'a str {
        match too_long.then(|| v.char_indices().nth(200)).flatten() {
            Some((end, _)) => &v[..end],
            None => v,
        }
    };

    let email = get(Field::Email).map(clip).unwrap_or_default();
    if !email.is_empty() {
        if let Some(e) = people::email_problem(email) {
            problems.error(line, Some(Field::Email), e.message);
        }
    }
    let employee_id = get(Field::EmployeeId).filter(|v| !v.is_empty()).map(clip);

    let (mut first, mut last) = (get(Field::FirstName).map(clip), get(Field::LastName).map(clip));
    if first.is_none() && last.is_none() {
        let (field, last_first) = if layout.has(Field::FullNameLastFirst) {
            (Field::FullNameLastFirst, true)
        } else {
            (Field::FullName, false)
        };
        if let Some(full) = get(field).filter(|v| !v.is_empty()) {
            match columns::split_name(full, last_first) {
                Some((f, l)) => {
                    first = Some(f);
                    last = Some(l);
                }
                None => problems.error(
                    line,
                    Some(field),
                    format!("“{full}” is not written “Last, First”: write it so, for example “Doe, Jane”."),
                ),
            }
        } else if get(field).is_some() {
            first = Some("");
            last = Some("");
        }
    }

    let text = TEXT.map(|(field, _, _)| get(field).map(clip));

    let date_format = ctx.mapping.and_then(|m| m.date_format);
    let date = |field: Field, problems: &mut Problems| -> Option<Option<NaiveDate>> {
        let value = get(field)?;
        if value.is_empty() {
            return Some(None);
        }
        match columns::parse_date(value, date_format) {
            Ok(d) => Some(Some(d)),
            Err(why) => {
                problems.error(line, Some(field), format!("{} “{value}” {why}.", layout.header(field)));
                Some(None)
            }
        }
    };
    let hire_date = date(Field::HireDate, problems);
    let termination = date(Field::TerminationDate, problems).flatten();

    let mut active = true;
    let mut inactive_reason = String::new();
    if let Some(status) = get(Field::Status).filter(|s| !s.is_empty()) {
        match columns::status_is_active(status, ctx.mapping) {
            Some(true) => {}
            Some(false) => {
                active = false;
                inactive_reason = format!("Status “{status}” in {}", ctx.file_name);
            }
            None => {
                let header = layout.header(Field::Status);
                let mapped = ctx.mapping.is_some_and(|m| !m.active_values.is_empty());
                problems.errors.push(RowError {
                    line,
                    column: Some(header.clone()),
                    message: if mapped {
                        format!(
                            "{header} “{status}” is in neither list of the source's column mapping: add it to the \
                             values that mean active or inactive, or correct it in the HRIS."
                        )
                    } else {
                        format!(
                            "{header} “{status}” is not a status Roster knows ({}): use one of these, or say which \
                             values mean active in the source's column mapping.",
                            columns::known_statuses()
                        )
                    },
                });
            }
        }
    }
    if let Some(ended) = termination.filter(|d| *d < ctx.today) {
        if active {
            active = false;
            inactive_reason = format!("Termination date {ended} in {}", ctx.file_name);
        }
    }

    let manager = manager_ref(ctx, &get);
    if malformed {
        // Values in the wrong columns: what else looks wrong follows from that.
        problems.errors.truncate(errors_before + 1);
    }

    Row {
        malformed,
        line,
        state: State::Valid,
        person: None,
        via_alias: false,
        first,
        last,
        email,
        employee_id,
        text,
        hire_date,
        manager,
        active,
        inactive_reason,
        new_id: None,
        node: None,
        decision: None,
        read_errors: Vec::new(),
    }
}

/// The row's manager: None when the file has no manager column.
fn manager_ref<'v>(ctx: &RowContext, get: &dyn Fn(Field) -> Option<&'v str>) -> Option<ManagerRef<'v>> {
    let order = [Field::ManagerEmail, Field::ManagerEmployeeId, Field::Manager, Field::ManagerName];
    if !order.iter().any(|f| ctx.layout.has(*f)) {
        return None;
    }
    for field in order {
        let Some(value) = get(field).filter(|v| !v.is_empty()) else { continue };
        return Some(match field {
            Field::ManagerEmail => ManagerRef::Email(value),
            Field::ManagerEmployeeId => ManagerRef::EmployeeId(value),
            Field::ManagerName => ManagerRef::Name(value),
            _ => match ctx.mapping.and_then(|m| m.manager_by) {
                Some(ManagerKey::Email) => ManagerRef::Email(value),
                Some(ManagerKey::EmployeeId) => ManagerRef::EmployeeId(value),
                Some(ManagerKey::Name) => ManagerRef::Name(value),
                None if value.contains('@') => ManagerRef::Email(value),
                None => ManagerRef::Name(value),
            },
        });
    }
    Some(ManagerRef::Nobody)
}

/// Resolves every valid row's manager (after all rows are read), then refuses manager cycles: the rows
/// in a cycle become errors, and managers are resolved again until none is left.
fn resolve_managers(
    rows: &mut [Row],
    dir: &Directory,
    problems: &mut Problems,
    layout: &Layout,
    keys: &FileKeys,
    base: usize,
    nodes: usize,
) {
    if !rows.iter().any(|r| r.manager.is_some()) {
        return;
    }
    let column = manager_field(layout);
    let mut file_name: HashMap<String, Vec<usize>> = HashMap::default();
    if rows.iter().any(|r| matches!(r.manager, Some(ManagerRef::Name(_)))) {
        for (i, row) in rows.iter().enumerate() {
            let name = people::full_name(row.first.unwrap_or(""), row.last.unwrap_or(""));
            file_name.entry(name.to_lowercase()).or_default().push(i);
        }
    }
    loop {
        let all: &[Row] = rows;
        let decided = on_two_cores(all, |row| manager_decision(row, all, keys, &file_name, dir));
        let mut warnings = Vec::new();
        for (row, decided) in rows.iter_mut().zip(decided) {
            let Some((decision, warning)) = decided else { continue };
            row.decision = decision;
            if let Some(w) = warning {
                warnings.push(RowError { line: row.line, column: column.map(|f| layout.header(f)), message: w });
            }
        }
        // The reporting graph after the import: Roster's links, with the file's decisions on top.
        let mut up: Vec<Option<usize>> = vec![None; nodes];
        for (i, p) in dir.people.iter().enumerate() {
            up[i] = p.manager;
        }
        let mut row_of: Vec<Option<usize>> = vec![None; nodes];
        for (i, row) in rows.iter().enumerate() {
            if row.state != State::Valid {
                continue;
            }
            let Some(node) = row.node else { continue };
            row_of[node] = Some(i);
            if let Some(decision) = row.decision {
                up[node] = decision;
            }
        }
        let starts = rows.iter().filter(|r| r.state == State::Valid && r.decision.is_some()).filter_map(|r| r.node);
        let cycles = find_cycles(&up, starts);
        let mut bad = Vec::new();
        for cycle in &cycles {
            let in_file: Vec<usize> = cycle
                .iter()
                .filter_map(|&n| row_of[n])
                .filter(|&r| matches!(rows[r].decision, Some(Some(_))))
                .collect();
            if in_file.is_empty() {
                continue;
            }
            let name = |n: usize| -> String {
                match row_of[n] {
                    Some(r) => rows[r].display_name(dir),
                    None if n < base => dir.people[n].name(),
                    None => String::from("?"),
                }
            };
            let mut chain: Vec<String> = cycle.iter().map(|&n| name(n)).collect();
            chain.push(name(cycle[0]));
            let mut lines: Vec<u64> = in_file.iter().map(|&r| rows[r].line).collect();
            lines.sort_unstable();
            let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
            for &r in &in_file {
                let message = if cycle.len() == 1 {
                    format!(
                        "{} would be their own manager: correct the manager on this line.",
                        rows[r].display_name(dir)
                    )
                } else {
                    format!(
                        "The managers go round in a circle ({}): nobody can manage themselves, even through others. \
                         Correct the manager on one of lines {}.",
                        chain.join(" → "),
                        lines.join(", ")
                    )
                };
                bad.push((r, message));
            }
        }
        if bad.is_empty() {
            problems.warnings.extend(warnings);
            return;
        }
        for (r, message) in bad {
            if rows[r].state == State::Valid {
                rows[r].state = State::Error;
                rows[r].decision = None;
                problems.errors.push(RowError {
                    line: rows[r].line,
                    column: column.map(|f| layout.header(f)),
                    message,
                });
            }
        }
    }
}

/// What a valid row with a manager column says of its manager: the manager's node (None: nobody, on
/// purpose), or no decision (the manager cannot be found) with a warning that says why.
type Decision = (Option<Option<usize>>, Option<String>);

/// The row's manager decision, found among the file's rows first, then Roster's people.
fn manager_decision(
    row: &Row,
    rows: &[Row],
    keys: &FileKeys,
    file_name: &HashMap<String, Vec<usize>>,
    dir: &Directory,
) -> Option<Decision> {
    let reference = row.manager.filter(|_| row.state == State::Valid)?;
    let new_person = row.person.is_none();
    Some(match &reference {
        ManagerRef::Nobody => (Some(None), None),
        ManagerRef::Email(v) | ManagerRef::EmployeeId(v) | ManagerRef::Name(v) => {
            let in_file = match &reference {
                ManagerRef::Email(_) => keys.email.get(&NoCase::new(v)).map(|&(r, _)| Ok(Some(r))),
                ManagerRef::EmployeeId(_) => keys.employee_id.get(&NoCase::new(v)).map(|&(r, _)| Ok(Some(r))),
                _ => match file_name.get(&v.trim().to_lowercase()).map(Vec::as_slice) {
                    None | Some([]) => None,
                    Some([one]) => Some(Ok(Some(*one))),
                    Some(many) => Some(Err(many.len())),
                },
            };
            let found: std::result::Result<Option<usize>, String> = match in_file {
                Some(Ok(Some(r))) => {
                    let target = &rows[r];
                    match (target.state, target.node, target.person) {
                        (State::Valid, Some(node), _) => Ok(Some(node)),
                        (_, _, Some(p)) => Ok(Some(p)),
                        (State::Skipped, _, _) => Err(format!(
                            "the manager “{v}” is inactive in the file (line {}) and not in Roster",
                            target.line
                        )),
                        _ => Err(format!(
                            "the manager “{v}” is on line {}, which has errors: correct that line",
                            target.line
                        )),
                    }
                }
                Some(Err(n)) => Err(format!(
                    "{n} people in the file are named “{v}”: give the manager's email or Employee ID instead"
                )),
                _ => match &reference {
                    ManagerRef::Email(_) => Ok(dir.by_email(NoCase::new(v)).map(|(p, _)| p)),
                    ManagerRef::EmployeeId(_) => Ok(dir.by_employee_id(NoCase::new(v)).map(|(p, _)| p)),
                    _ => dir.by_name(v).map_err(|n| {
                        format!(
                            "{n} people in Roster are named “{v}”: give the manager's email or Employee ID \
                             instead"
                        )
                    }),
                },
            };
            let keeps = if new_person {
                "the person is imported without a manager"
            } else {
                "the person keeps the manager they have in Roster"
            };
            match found {
                Ok(Some(node)) => (Some(Some(node)), None),
                Ok(None) => (
                    None,
                    Some(format!(
                        "Nobody in the file or in Roster is the manager “{v}”: {keeps}. Correct the manager, \
                         or add them to the file."
                    )),
                ),
                Err(why) => (None, Some(format!("{}{}: {keeps}.", why[..1].to_uppercase(), &why[1..]))),
            }
        }
    })
}

/// The cycles reachable from `starts` when following `up` (each node's manager).
fn find_cycles(up: &[Option<usize>], starts: impl Iterator<Item = usize>) -> Vec<Vec<usize>> {
    let mut color = vec![0u8; up.len()];
    let mut cycles = Vec::new();
    let mut path = Vec::new();
    for start in starts {
        if color[start] != 0 {
            continue;
        }
        path.clear();
        let mut node = start;
        loop {
            match color[node] {
                0 => {
                    color[node] = 1;
                    path.push(node);
                    match up[node] {
                        Some(next) => node = next,
                        None => break,
                    }
                }
                1 => {
                    let at = path.iter().position(|&n| n == node).unwrap_or(0);
                    cycles.push(path[at..].to_vec());
                    break;
                }
                _ => break,
            }
        }
        for &n in &path {
            color[n] = 2;
        }
    }
    cycles
}

/// What a row changes on an existing person: for the plan, for `people`, and for the audit entry.
struct Diff {
    changes: Vec<FieldChange>,
    sets: Vec<(&'static str, Option<String>)>,
    before: Map<String, Value>,
    after: Map<String, Value>,
}

impl Diff {
    fn op(self, id: String, name: String) -> Op {
        Op::Update { id, name, sets: self.sets, before: Value::Object(self.before), after: Value::Object(self.after) }
    }
}

/// A date as Roster stores it (YYYY-MM-DD).
fn parse_date(text: &str) -> Option<NaiveDate> {
    columns::iso_date(text).or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
}

/// The fields a row changes on an existing person (its problems were found by `check_row`).
fn field_changes(
    row: &Row,
    person: &Person,
    dir: &Directory,
    node_ref: &(dyn Fn(usize) -> (String, String) + Sync),
) -> Diff {
    let mut diff = Diff { changes: Vec::new(), sets: Vec::new(), before: Map::new(), after: Map::new() };
    let mut change = |field: &str, column: &'static str, old: Option<String>, new: Option<String>, value| {
        diff.before.insert(field.to_string(), json!(old));
        diff.after.insert(field.to_string(), json!(new));
        diff.changes.push(FieldChange { field: field.to_string(), old, new });
        diff.sets.push((column, value));
    };
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    if let Some(first) = row.first.filter(|f| *f != person.first) {
        change("firstName", "first_name", opt(person.first), opt(first), Some(first.to_string()));
    }
    if let Some(last) = row.last.filter(|l| *l != person.last) {
        change("lastName", "last_name", opt(person.last), opt(last), Some(last.to_string()));
    }
    // An email Roster already has (an old one of this person's, kept by a merge) is not written back.
    let email_key = NoCase::new(row.email);
    let new_email = !row.via_alias && !row.email.is_empty() && email_key != NoCase::new(person.email);
    if new_email && !dir.email.contains_key(&email_key) && !dir.alias_email.contains_key(&email_key) {
        let email = row.email.to_string();
        change("email", "email", Some(person.email.to_string()), Some(email.clone()), Some(email));
    }
    if let Some(id) = row.employee_id.filter(|_| !row.via_alias) {
        if !person.employee_id.is_some_and(|ours| ours.eq_ignore_ascii_case(id)) {
            change(
                "employeeId",
                "employee_id",
                person.employee_id.map(str::to_string),
                Some(id.to_string()),
                Some(id.to_string()),
            );
        }
    }
    for (i, (_, name, column)) in TEXT.iter().enumerate() {
        if let Some(value) = row.text[i].filter(|v| *v != person.text[i]) {
            change(name, column, opt(person.text[i]), opt(value), Some(value.to_string()));
        }
    }
    if let Some(date) = row.hire_date {
        let current = person.hire_date.and_then(parse_date);
        if date != current || (date.is_none() && person.hire_date.is_some()) {
            let new = date.map(|d| d.to_string());
            change("hireDate", "hire_date", person.hire_date.map(str::to_string), new.clone(), new);
        }
    }
    // Nodes are people (and new people) one to one: another node is another manager.
    if let Some(decision) = row.decision.filter(|d| *d != person.manager) {
        let new = decision.map(node_ref);
        let new_id = new.as_ref().map(|(id, _)| id.clone());
        let old_id = person.manager.map(|m| dir.people[m].id);
        let old_name = person.manager.map(|m| dir.people[m].name());
        change("manager", "manager_id", old_name, new.map(|(_, name)| name), new_id.clone());
        diff.before.insert("managerId".into(), json!(old_id));
        diff.after.insert("managerId".into(), json!(new_id));
    }
    diff
}

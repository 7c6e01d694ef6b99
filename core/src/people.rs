//! Person rows: adding someone, and finding a person by email or id.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Employee,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Employee => "employee",
        }
    }
}

/// A person to add. `email` is checked and compared case-insensitively.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    pub location: String,
    pub hire_date: Option<String>,
    pub manager_id: Option<String>,
    pub role: Role,
}

/// A person named in a result: who a row's manager is, whom an audit entry is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

impl PersonRef {
    /// From two nullable columns (a LEFT JOIN): None when the person is not there (deleted, or none).
    pub fn from_columns(id: Option<String>, name: Option<String>) -> Option<PersonRef> {
        Some(PersonRef { id: id?, name: name? })
    }
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Checks the shape of an email address and returns it trimmed.
pub fn check_email(email: &str) -> Result<String> {
    match email_problem(email) {
        Some(problem) => Err(problem),
        None => Ok(email.trim().to_string()),
    }
}

/// What is wrong with an email, if anything (`check_email` without the copy, for reading many).
pub fn email_problem(email: &str) -> Option<Error> {
    let email = email.trim();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    };
    (!valid).then(|| Error::invalid_input(format!("“{email}” is not an email address: write it as name@company.com.")))
}

/// Inserts a person; the caller records the audit entry in the same transaction.
pub fn insert_tx(tx: &Transaction, person: &NewPerson) -> Result<PersonRef> {
    let first = person.first_name.trim();
    let last = person.last_name.trim();
    if first.is_empty() && last.is_empty() {
        return Err(Error::invalid_input("A person needs a name: fill in the first or last name."));
    }
    let email = check_email(&person.email)?;
    if let Some(id) = find_by_email_tx(tx, &email)? {
        let name: String = tx.query_row("SELECT name FROM people WHERE id = ?1", [&id], |r| r.get(0))?;
        return Err(Error::conflict(format!("{email} already belongs to {name}: use another email address.")));
    }
    let id = new_id();
    tx.prepare_cached(
        "INSERT INTO people (id, first_name, last_name, email, title, department, location, hire_date, role, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        id,
        first,
        last,
        email,
        person.title.trim(),
        person.department.trim(),
        person.location.trim(),
        person.hire_date,
        person.role.as_str(),
        time::now()
    ])?;
    if person.manager_id.is_some() {
        set_manager_tx(tx, &id, person.manager_id.as_deref())?;
    }
    Ok(PersonRef { id, name: full_name(first, last) })
}

/// The manager of the person with id `?1` (NULL for none; no row for nobody with that id).
pub(crate) const MANAGER_OF: &str =
    "SELECT l.manager_id FROM people p JOIN lifecycle l ON l.person = p.rowid WHERE p.id = ?1";

/// Whether the person with this id is active (not deactivated).
pub(crate) fn is_active_tx(tx: &Transaction, id: &str) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "SELECT l.status = 'active' FROM people p JOIN lifecycle l ON l.person = p.rowid WHERE p.id = ?1",
        )?
        .query_row([id], |r| r.get(0))?)
}

/// Gives the person with this id a manager, or none. A new person starts with none: the trigger that
/// inserts their row of `lifecycle` makes them active and without a manager.
pub(crate) fn set_manager_tx(tx: &Transaction, id: &str, manager_id: Option<&str>) -> Result<()> {
    tx.prepare_cached("UPDATE lifecycle SET manager_id = ?1 WHERE person = (SELECT rowid FROM people WHERE id = ?2)")?
        .execute(params![manager_id, id])?;
    Ok(())
}

/// A person's name as the `name` column computes it from first and last name.
pub(crate) fn full_name(first: &str, last: &str) -> String {
    format!("{first} {last}").trim().to_string()
}

/// Ids as one JSON array, for `json_each`: one statement for all of them instead of one each.
/// Written straight from the texts: not copied first into a `serde_json::Value` each.
pub(crate) fn ids_json<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    serde_json::to_string(&ids.into_iter().collect::<Vec<_>>()).expect("texts serialise")
}

/// Rows of the people table (rowids read in the same transaction), each with its place in the order
/// given, as one JSON object for `json_each`: `{"row": place, …}`, so that a statement takes `key` for
/// the row and `value` for the place (SQLite compares a text key with a rowid as a number). In row
/// order, so that a statement taking them one by one walks the table forward (8% of updating 10,000
/// people's lifecycle rows).
pub(crate) fn places_json(rows: impl IntoIterator<Item = i64>) -> String {
    let mut places: Vec<(i64, usize)> = rows.into_iter().enumerate().map(|(place, row)| (row, place)).collect();
    places.sort_unstable();
    let mut json = String::with_capacity(places.len() * 14 + 2);
    let mut number = itoa::Buffer::new();
    json.push('{');
    for (at, (row, place)) in places.into_iter().enumerate() {
        if at > 0 {
            json.push(',');
        }
        json.push('"');
        json.push_str(number.format(row));
        json.push_str("\":");
        json.push_str(number.format(place));
    }
    json.push('}');
    json
}

/// The person an email means: an old email of a merged-away account means the account that was kept.
pub fn find_by_email_tx(tx: &Transaction, email: &str) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached(
            "SELECT person_id FROM aliases WHERE kind = 'email' AND value = ?1
             UNION ALL SELECT id FROM people WHERE email = ?1 LIMIT 1",
        )?
        .query_row([email.trim()], |r| r.get(0))
        .optional()?)
}

/// Finds a person by id, (case-insensitive) email or employee ID, old ones of merged accounts
/// included; the error says what was looked for.
pub fn resolve_tx(tx: &Transaction, key: &str) -> Result<PersonRef> {
    let key = key.trim();
    tx.prepare_cached(
        // One indexed lookup each (an OR across the columns would read the whole table).
        "SELECT p.id, p.name FROM (
             SELECT person_id AS id, 0 AS rank FROM aliases WHERE kind IN ('email', 'employee_id') AND value = ?1
             UNION ALL SELECT id, 1 FROM people WHERE id = ?1
             UNION ALL SELECT id, 1 FROM people WHERE email = ?1
             UNION ALL SELECT id, 1 FROM people WHERE employee_id = ?1 COLLATE NOCASE
         ) k JOIN people p ON p.id = k.id ORDER BY k.rank LIMIT 1",
    )?
    .query_row([key], |r| Ok(PersonRef { id: r.get(0)?, name: r.get(1)? }))
    .optional()?
    .ok_or_else(|| {
        Error::not_found(format!("Nobody in this workspace has the id or email “{key}”. Check it in the directory."))
    })
}

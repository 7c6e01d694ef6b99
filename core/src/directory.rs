//! The Company Directory: Billable Accounts, Deactivated Accounts and All, searched, sorted and read
//! one page at a time so the app stays smooth however large the company is.

use rusqlite::{ToSql, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::people::PersonRef;
use crate::workspace::Workspace;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Active people: the ones who count toward seats.
    #[default]
    Billable,
    Deactivated,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Name,
    Email,
    Title,
    Department,
    Manager,
    Location,
    Status,
}

impl SortKey {
    /// The ORDER BY of each key; always ends in name and id so pages never overlap.
    fn order_by(self, desc: bool) -> String {
        let dir = if desc { "DESC" } else { "ASC" };
        let key = match self {
            SortKey::Name => return format!("p.name COLLATE NOCASE {dir}, p.id {dir}"),
            SortKey::Email => "p.email COLLATE NOCASE",
            SortKey::Title => "p.title COLLATE NOCASE",
            SortKey::Department => "p.department COLLATE NOCASE",
            SortKey::Manager => "m.name COLLATE NOCASE",
            SortKey::Location => "p.location COLLATE NOCASE",
            // Active before deactivated, then by when they were deactivated.
            SortKey::Status => return format!("p.status {dir}, p.deactivated_at {dir}, p.name COLLATE NOCASE, p.id"),
        };
        format!("{key} {dir}, p.name COLLATE NOCASE, p.id")
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Query {
    pub view: View,
    pub search: String,
    pub sort: SortKey,
    pub desc: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub id: String,
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    pub location: String,
    pub manager: Option<PersonRef>,
    pub status: String,
    pub deactivated_at: Option<String>,
    pub deactivated_by: Option<String>,
    pub reason: Option<String>,
    /// The account this one was merged into.
    pub merged_into: Option<PersonRef>,
    /// Active direct reports.
    pub reports: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub billable: i64,
    pub deactivated: i64,
    pub all: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Rows matching the query (its view and search).
    pub total: i64,
    /// Per view, with the same search.
    pub counts: Counts,
    pub rows: Vec<Row>,
}

pub const MAX_PAGE: i64 = 500;

/// The search as SQL: every word typed must appear in name, email, title or department.
fn search_clause(search: &str) -> (String, Vec<String>) {
    let mut sql = String::new();
    let mut args = Vec::new();
    for word in search.split_whitespace().take(8) {
        let escaped = word.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        sql.push_str(" AND (p.search || ' ' || p.alias_search) LIKE ? ESCAPE '\\'");
        args.push(format!("%{escaped}%"));
    }
    (sql, args)
}

fn view_clause(view: View) -> &'static str {
    match view {
        View::Billable => " AND p.status = 'active'",
        View::Deactivated => " AND p.status = 'deactivated'",
        View::All => "",
    }
}

fn as_params(args: &[String]) -> Vec<&dyn ToSql> {
    args.iter().map(|a| a as &dyn ToSql).collect()
}

fn counts_tx(tx: &Transaction, search: &str) -> Result<Counts> {
    let (clause, args) = search_clause(search);
    let sql = format!(
        "SELECT coalesce(sum(p.status = 'active'), 0), coalesce(sum(p.status = 'deactivated'), 0), count(*)
         FROM people p WHERE 1=1{clause}"
    );
    Ok(tx.query_row(&sql, &*as_params(&args), |r| {
        Ok(Counts { billable: r.get(0)?, deactivated: r.get(1)?, all: r.get(2)? })
    })?)
}

/// One page of the directory: `limit` rows from position `offset` of `query`.
pub fn page(ws: &Workspace, query: &Query, offset: i64, limit: i64) -> Result<Page> {
    if !(1..=MAX_PAGE).contains(&limit) || offset < 0 {
        return Err(Error::invalid_input(format!(
            "A directory page is 1 to {MAX_PAGE} rows from position 0 or later (asked: {limit} rows from {offset})."
        )));
    }
    ws.read(|tx| {
        let counts = counts_tx(tx, &query.search)?;
        let total = match query.view {
            View::Billable => counts.billable,
            View::Deactivated => counts.deactivated,
            View::All => counts.all,
        };
        let (clause, mut args) = search_clause(&query.search);
        args.push(limit.to_string());
        args.push(offset.to_string());
        let sql = format!(
            "SELECT p.id, p.name, p.email, p.title, p.department, p.location, m.id, m.name, p.status,
                    p.deactivated_at, p.deactivated_by_name, p.deactivation_reason,
                    (SELECT count(*) FROM people r WHERE r.manager_id = p.id AND r.status = 'active'),
                    g.id, g.name
             FROM people p LEFT JOIN people m ON m.id = p.manager_id LEFT JOIN people g ON g.id = p.merged_into_id
             WHERE 1=1{}{clause} ORDER BY {} LIMIT CAST(? AS INTEGER) OFFSET CAST(? AS INTEGER)",
            view_clause(query.view),
            query.sort.order_by(query.desc)
        );
        let mut stmt = tx.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(&*as_params(&args), |r| {
                let manager = PersonRef::from_columns(r.get(6)?, r.get(7)?);
                Ok(Row {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    email: r.get(2)?,
                    title: r.get(3)?,
                    department: r.get(4)?,
                    location: r.get(5)?,
                    manager,
                    status: r.get(8)?,
                    deactivated_at: r.get(9)?,
                    deactivated_by: r.get(10)?,
                    reason: r.get(11)?,
                    reports: r.get(12)?,
                    merged_into: PersonRef::from_columns(r.get(13)?, r.get(14)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, counts, rows })
    })
}

/// The ids at positions `from..=to` of `query` in its order (a shift-click range), or every id of the
/// query when no range is given ("select all shown").
pub fn ids(ws: &Workspace, query: &Query, range: Option<(i64, i64)>) -> Result<Vec<String>> {
    let (offset, limit) = match range {
        Some((from, to)) => {
            let (from, to) = (from.min(to), from.max(to));
            if from < 0 {
                return Err(Error::invalid_input("A range of rows starts at position 0 or later."));
            }
            (from, to - from + 1)
        }
        None => (0, -1),
    };
    ws.read(|tx| {
        let (clause, mut args) = search_clause(&query.search);
        args.push(limit.to_string());
        args.push(offset.to_string());
        let sql = format!(
            "SELECT p.id FROM people p LEFT JOIN people m ON m.id = p.manager_id
             WHERE 1=1{}{clause} ORDER BY {} LIMIT CAST(? AS INTEGER) OFFSET CAST(? AS INTEGER)",
            view_clause(query.view),
            query.sort.order_by(query.desc)
        );
        let mut stmt = tx.prepare_cached(&sql)?;
        let ids = stmt.query_map(&*as_params(&args), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    })
}

//! The Company Directory: Billable Accounts, Deactivated Accounts and All, searched, sorted and read
//! one page at a time so the app stays smooth however large the company is (see `index`).

mod index;

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::people::{self, PersonRef};
use crate::workspace::Workspace;
pub(crate) use index::Index;

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
    /// Every column the directory sorts by.
    pub const ALL: [SortKey; 7] = [
        SortKey::Name,
        SortKey::Email,
        SortKey::Title,
        SortKey::Department,
        SortKey::Manager,
        SortKey::Location,
        SortKey::Status,
    ];
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
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

/// The directory's index of the workspace's people as they are now: the one kept, or a new one.
fn index_tx(ws: &Workspace, tx: &Transaction) -> Result<Arc<Index>> {
    let version = ws.people_version_tx(tx)?;
    let mut kept = ws.directory_index.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(index) = kept.as_ref().filter(|i| i.version() == version) {
        return Ok(index.clone());
    }
    let index = Arc::new(Index::build(tx, version)?);
    *kept = Some(index.clone());
    Ok(index)
}

/// Reads the directory's index ahead of the first page (the app does as it starts, while someone
/// signs in: ~0.3 s at 100,000 people), on a connection of its own so that the workspace is not held
/// meanwhile. It is kept only if nothing changed the people while it was read; else the first page
/// reads it again.
pub fn prepare(ws: &Workspace) -> Result<()> {
    let Some(mut conn) = ws.reader()? else { return Ok(()) };
    let before = ws.read(|tx| ws.people_version_tx(tx))?;
    let tx = conn.transaction()?;
    let index = Index::build(&tx, before)?;
    drop(tx);
    ws.read(|tx| {
        if ws.people_version_tx(tx)? == before {
            ws.directory_index.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(Arc::new(index));
        }
        Ok(())
    })
}

/// The rows of the people at these positions of the index, in this order.
fn rows_tx(tx: &Transaction, index: &Index, positions: &[u32]) -> Result<Vec<Row>> {
    let mut stmt = tx.prepare_cached(
        "SELECT p.id, p.name, p.email, p.title, p.department, p.location, m.id, m.name, l.status,
                l.deactivated_at, l.deactivated_by_name, l.deactivation_reason, g.id, g.name
         FROM people p JOIN lifecycle l ON l.person = p.rowid LEFT JOIN people m ON m.id = l.manager_id
              LEFT JOIN people g ON g.id = p.merged_into_id
         WHERE p.id IN (SELECT value FROM json_each(?1))",
    )?;
    let ids: Vec<String> = positions.iter().map(|&at| index.id(at)).collect();
    let mut rows: HashMap<String, Row> = stmt
        .query_map([people::ids_json(ids.iter().map(String::as_str))], |r| {
            Ok(Row {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                title: r.get(3)?,
                department: r.get(4)?,
                location: r.get(5)?,
                manager: PersonRef::from_columns(r.get(6)?, r.get(7)?),
                status: r.get(8)?,
                deactivated_at: r.get(9)?,
                deactivated_by: r.get(10)?,
                reason: r.get(11)?,
                merged_into: PersonRef::from_columns(r.get(12)?, r.get(13)?),
                reports: 0,
            })
        })?
        .map(|row| row.map(|r| (r.id.clone(), r)))
        .collect::<rusqlite::Result<_>>()?;
    let mut row = |at: u32, id: &String| {
        let mut row = rows.remove(id)?;
        row.reports = index.reports(at).into();
        Some(row)
    };
    Ok(positions.iter().zip(&ids).filter_map(|(&at, id)| row(at, id)).collect())
}

/// One page of the directory: `limit` rows from position `offset` of `query`.
pub fn page(ws: &Workspace, query: &Query, offset: i64, limit: i64) -> Result<Page> {
    if !(1..=MAX_PAGE).contains(&limit) || offset < 0 {
        return Err(Error::invalid_input(format!(
            "A directory page is 1 to {MAX_PAGE} rows from position 0 or later (asked: {limit} rows from {offset})."
        )));
    }
    ws.read(|tx| {
        let index = index_tx(ws, tx)?;
        let matches = index.matches(query);
        let total = matches.positions.len() as i64;
        let shown: Vec<u32> = matches.positions.iter().skip(offset as usize).take(limit as usize).copied().collect();
        Ok(Page { total, counts: matches.counts.clone(), rows: rows_tx(tx, &index, &shown)? })
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
        None => (0, i64::MAX),
    };
    ws.read(|tx| {
        let index = index_tx(ws, tx)?;
        let matches = index.matches(query);
        let shown = matches.positions.iter().skip(offset as usize).take(limit as usize);
        Ok(shown.map(|&at| index.id(at)).collect())
    })
}

//! The import history: every run, automatic or manual, with its file's name and hash, its counts, its
//! outcome (applied, no changes, held for review, discarded, failed and why) and its plan.

use rusqlite::{params, OptionalExtension, Row as SqlRow, Transaction};
use serde::{Deserialize, Serialize};

use super::plan::{Counts, Plan};
use crate::error::{Error, Result};
use crate::people;
use crate::time;
use crate::workspace::Workspace;

/// What started an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The app's schedule ("Run automatic imports") or `rosterctl sync`.
    Automatic,
    /// An admin in the app ("Import now", a dropped or picked file).
    Manual,
    /// `rosterctl import FILE`.
    Cli,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Automatic => "automatic",
            Trigger::Manual => "manual",
            Trigger::Cli => "cli",
        }
    }
}

/// The outcomes a run ends with.
pub mod outcome {
    pub const APPLIED: &str = "applied";
    pub const NO_CHANGES: &str = "no_changes";
    pub const HELD: &str = "held";
    pub const DISCARDED: &str = "discarded";
    pub const FAILED: &str = "failed";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub id: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// "automatic", "manual" or "cli".
    pub trigger: String,
    /// Where the file came from: the source's description ("sftp hr.example.com:/exports", "folder …",
    /// "rosterctl", "file picked in the app").
    pub source: String,
    pub file_name: Option<String>,
    /// SHA-256 of the file, hex.
    pub file_hash: Option<String>,
    pub rows: Option<i64>,
    /// "applied", "no_changes", "held", "discarded", "failed" (or "running").
    pub outcome: String,
    pub message: Option<String>,
    pub counts: Option<Counts>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunsPage {
    pub total: i64,
    pub runs: Vec<Run>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunDetail {
    pub run: Run,
    pub plan: Option<Plan>,
}

const COLUMNS: &str =
    "id, started_at, finished_at, trigger, source, file_name, file_hash, rows, outcome, message, counts";

fn run_from_row(r: &SqlRow) -> rusqlite::Result<Run> {
    let counts: Option<String> = r.get(10)?;
    Ok(Run {
        id: r.get(0)?,
        started_at: r.get(1)?,
        finished_at: r.get(2)?,
        trigger: r.get(3)?,
        source: r.get(4)?,
        file_name: r.get(5)?,
        file_hash: r.get(6)?,
        rows: r.get(7)?,
        outcome: r.get(8)?,
        message: r.get(9)?,
        counts: counts.and_then(|c| serde_json::from_str(&c).ok()),
    })
}

/// A run to record.
pub(crate) struct NewRun<'a> {
    pub id: &'a str,
    pub started_at: &'a str,
    pub trigger: Trigger,
    pub source: &'a str,
    pub file_name: Option<&'a str>,
    pub file_hash: Option<&'a str>,
    pub outcome: &'a str,
    pub message: Option<&'a str>,
    pub plan: Option<&'a Plan>,
    /// The file itself, kept while the run is held for review.
    pub file: Option<&'a [u8]>,
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::new(crate::error::Code::Internal, format!("Plan error: {e}")))
}

pub(crate) fn insert_tx(tx: &Transaction, run: &NewRun) -> Result<Run> {
    let plan = run.plan.map(json).transpose()?;
    let counts = run.plan.map(|p| json(&p.counts)).transpose()?;
    tx.prepare_cached(
        "INSERT INTO import_runs (id, started_at, finished_at, trigger, source, file_name, file_hash, rows, outcome,
                                  message, plan, counts, file)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        run.id,
        run.started_at,
        time::now(),
        run.trigger.as_str(),
        run.source,
        run.file_name,
        run.file_hash,
        run.plan.map(|p| p.rows as i64),
        run.outcome,
        run.message,
        plan,
        counts,
        run.file,
    ])?;
    get_tx(tx, run.id)
}

/// Records the decision on a held run: its new outcome, plan and message; the stored file is dropped.
pub(crate) fn decide_tx(tx: &Transaction, id: &str, outcome: &str, message: &str, plan: Option<&Plan>) -> Result<Run> {
    let plan_json = plan.map(json).transpose()?;
    let counts = plan.map(|p| json(&p.counts)).transpose()?;
    tx.execute(
        "UPDATE import_runs SET outcome = ?2, message = ?3, finished_at = ?4, file = NULL,
                plan = coalesce(?5, plan), counts = coalesce(?6, counts), rows = coalesce(?7, rows)
         WHERE id = ?1",
        params![id, outcome, message, time::now(), plan_json, counts, plan.map(|p| p.rows as i64)],
    )?;
    get_tx(tx, id)
}

pub(crate) fn get_tx(tx: &Transaction, id: &str) -> Result<Run> {
    tx.prepare_cached(&format!("SELECT {COLUMNS} FROM import_runs WHERE id = ?1"))?
        .query_row([id], run_from_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("There is no import run “{id}” in this workspace's import history.")))
}

/// A held run's stored file and where it came from.
pub(crate) struct HeldFile {
    pub run: Run,
    pub bytes: Option<Vec<u8>>,
}

pub(crate) fn held_file_tx(tx: &Transaction, id: &str) -> Result<HeldFile> {
    let run = get_tx(tx, id)?;
    let bytes = tx.query_row("SELECT file FROM import_runs WHERE id = ?1", [id], |r| r.get(0))?;
    Ok(HeldFile { run, bytes })
}

/// The rows of the last import that was accepted (applied, or found nothing to change), and when.
pub(crate) fn last_accepted_tx(tx: &Transaction) -> Result<Option<(i64, String, Option<String>)>> {
    Ok(tx
        .query_row(
            "SELECT coalesce(rows, 0), started_at, file_hash FROM import_runs WHERE outcome IN ('applied', 'no_changes')
             ORDER BY started_at DESC, id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// Records an import that could not even start: the source could not be reached, the file could not be
/// fetched. Nothing else changes.
pub fn record_failure(
    ws: &Workspace,
    trigger: Trigger,
    source_label: &str,
    file_name: Option<&str>,
    message: &str,
) -> Result<Run> {
    let id = people::new_id();
    let started = time::now();
    ws.write(|tx| {
        insert_tx(
            tx,
            &NewRun {
                id: &id,
                started_at: &started,
                trigger,
                source: source_label,
                file_name,
                file_hash: None,
                outcome: outcome::FAILED,
                message: Some(message),
                plan: None,
                file: None,
            },
        )
    })
}

/// The import history, newest first.
pub fn runs(ws: &Workspace, offset: i64, limit: i64) -> Result<RunsPage> {
    ws.read(|tx| {
        let total = tx.query_row("SELECT count(*) FROM import_runs", [], |r| r.get(0))?;
        let mut stmt = tx.prepare(&format!(
            "SELECT {COLUMNS} FROM import_runs ORDER BY started_at DESC, id DESC LIMIT ?1 OFFSET ?2"
        ))?;
        let runs =
            stmt.query_map([limit.clamp(1, 1000), offset.max(0)], run_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(RunsPage { total, runs })
    })
}

/// One run with its plan (None for a run that failed before it had one).
pub fn run_detail(ws: &Workspace, id: &str) -> Result<RunDetail> {
    ws.read(|tx| {
        let run = get_tx(tx, id)?;
        let plan: Option<String> = tx.query_row("SELECT plan FROM import_runs WHERE id = ?1", [id], |r| r.get(0))?;
        let plan = plan.and_then(|p| serde_json::from_str(&p).ok());
        Ok(RunDetail { run, plan })
    })
}

//! One sync: the newest file from the configured source, imported. A fetch that fails is recorded in
//! the import history too, so the admin sees why nothing happened. Also when an automatic one is due.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use super::source;
use super::{import, record_failure, Run, Trigger};
use crate::audit::Actor;
use crate::error::Result;
use crate::workspace::Workspace;

/// One sync at a time in this process: the schedule and "Import now" never import the same file twice
/// side by side.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Fetches the newest matching file and imports it; a failed fetch becomes a failed run.
pub fn sync(ws: &Workspace, actor: &Actor, trigger: Trigger) -> Result<Run> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    sync_now(ws, actor, trigger)
}

/// The automatic import, when "Run automatic imports" is on and its interval has passed.
pub fn sync_if_due(ws: &Workspace, now: DateTime<Utc>) -> Result<Option<Run>> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    if !automatic_due(ws, now)? {
        return Ok(None);
    }
    sync_now(ws, &super::import_actor(), Trigger::Automatic).map(Some)
}

fn sync_now(ws: &Workspace, actor: &Actor, trigger: Trigger) -> Result<Run> {
    let origin = source::get(ws)?.settings;
    let label = match origin.kind {
        source::Kind::Sftp => format!("SFTP {}", origin.host.as_deref().unwrap_or("")),
        source::Kind::Folder => format!("Folder {}", origin.folder.as_deref().unwrap_or("")),
    };
    match source::fetch(ws) {
        Ok(fetched) => import(ws, actor, &fetched.file, trigger, &fetched.origin),
        Err(e) => record_failure(ws, trigger, &label, None, &e.message),
    }
}

/// Whether "Run automatic imports" is on and the interval has passed since the last automatic run.
fn automatic_due(ws: &Workspace, now: DateTime<Utc>) -> Result<bool> {
    let view = source::get(ws)?;
    if !view.automatic {
        return Ok(false);
    }
    let last: Option<String> = ws.read(|tx| {
        Ok(tx.query_row("SELECT max(started_at) FROM import_runs WHERE trigger = 'automatic'", [], |r| r.get(0))?)
    })?;
    let last = last.and_then(|l| DateTime::parse_from_rfc3339(&l).ok()).map(|d| d.with_timezone(&Utc));
    Ok(last.is_none_or(|l| now - l >= Duration::minutes(view.interval_minutes)))
}

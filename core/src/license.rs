//! Seats: active people count, deactivated people never do. Going over is allowed, and shown.

use rusqlite::Transaction;
use serde::Serialize;

use crate::error::Result;
use crate::workspace::Workspace;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub seats: i64,
    pub active: i64,
    pub deactivated: i64,
    pub over_by: i64,
}

pub fn usage(ws: &Workspace) -> Result<Usage> {
    ws.read(|tx| {
        let seats: i64 = tx.query_row("SELECT coalesce((SELECT seats FROM company), 0)", [], |r| r.get(0))?;
        let (active, deactivated) = counts_tx(tx)?;
        Ok(Usage { seats, active, deactivated, over_by: (active - seats).max(0) })
    })
}

/// The active and the deactivated people. Only the deactivated have an index of their own
/// (`people_deactivated`: a deactivation writes to no index of everyone); the active are the others.
pub(crate) fn counts_tx(tx: &Transaction) -> Result<(i64, i64)> {
    let (everyone, deactivated): (i64, i64) = tx
        .prepare_cached(
            "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM people WHERE status = 'deactivated')",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((everyone - deactivated, deactivated))
}

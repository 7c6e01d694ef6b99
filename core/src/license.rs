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
    ws.read(usage_tx)
}

/// The seats and who takes them. Only the deactivated have an index of their own
/// (`lifecycle_deactivated`: a deactivation writes to no index of everyone); the active are the others.
pub(crate) fn usage_tx(tx: &Transaction) -> Result<Usage> {
    let (seats, everyone, deactivated): (i64, i64, i64) = tx
        .prepare_cached(
            "SELECT coalesce((SELECT seats FROM company), 0), (SELECT count(*) FROM people),
                    (SELECT count(*) FROM lifecycle WHERE status = 'deactivated')",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let active = everyone - deactivated;
    Ok(Usage { seats, active, deactivated, over_by: (active - seats).max(0) })
}

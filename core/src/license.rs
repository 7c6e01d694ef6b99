//! Seats: active people count, deactivated people never do. Going over is allowed, and shown.

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
        let (active, deactivated): (i64, i64) = tx.query_row(
            "SELECT (SELECT count(*) FROM people WHERE status = 'active'),
                    (SELECT count(*) FROM people WHERE status = 'deactivated')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Usage { seats, active, deactivated, over_by: (active - seats).max(0) })
    })
}

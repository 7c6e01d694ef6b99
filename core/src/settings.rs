//! Workspace settings: small values by key, read and written inside the caller's transaction.

use rusqlite::{OptionalExtension, Transaction};

use crate::error::Result;

pub const IDLE_MINUTES: &str = "session.idle_minutes";
pub const SMTP: &str = "mail.smtp";

pub fn get_tx(tx: &Transaction, key: &str) -> Result<Option<String>> {
    Ok(tx.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub fn set_tx(tx: &Transaction, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, v],
        )?,
        None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

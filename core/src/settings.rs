//! Workspace settings: small values by key, read and written inside the caller's transaction.

use rusqlite::{OptionalExtension, Transaction};

use crate::error::{Code, Error, Result};

pub const IDLE_MINUTES: &str = "session.idle_minutes";
pub const SMTP: &str = "mail.smtp";
/// A random id of this workspace: the OS keyring stores its secrets (SMTP, SFTP) under it.
pub const WORKSPACE_ID: &str = "workspace.id";

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

/// The workspace's random id, if one was made.
pub fn workspace_id_tx(tx: &Transaction) -> Result<Option<String>> {
    get_tx(tx, WORKSPACE_ID)
}

/// The workspace's random id, made on first use.
pub fn ensure_workspace_id_tx(tx: &Transaction) -> Result<String> {
    if let Some(id) = workspace_id_tx(tx)? {
        return Ok(id);
    }
    let mut random = [0u8; 16];
    getrandom::fill(&mut random)
        .map_err(|e| Error::new(Code::Internal, format!("Could not make a random workspace id: {e}")))?;
    let id = uuid::Builder::from_random_bytes(random).into_uuid().to_string();
    set_tx(tx, WORKSPACE_ID, Some(&id))?;
    Ok(id)
}

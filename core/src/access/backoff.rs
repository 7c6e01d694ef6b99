//! Slowing down guessing: after a few wrong passwords (or codes) for an email, each further attempt
//! must wait twice as long as the one before, up to 15 minutes. A quiet hour forgives.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::error::{Code, Error, Result};
use crate::time;

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Password,
    Code,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Password => "password",
            Kind::Code => "code",
        }
    }
}

/// Attempts allowed before the waiting starts.
const FREE: i64 = 5;
const LONGEST_WAIT: i64 = 15 * 60;
const FORGIVEN_AFTER: Duration = Duration::hours(1);

fn failures_tx(tx: &Transaction, kind: Kind, email: &str, at: DateTime<Utc>) -> Result<(i64, DateTime<Utc>)> {
    let row: Option<(i64, String)> = tx
        .query_row(
            "SELECT failures, last_at FROM failed_attempts WHERE kind = ?1 AND email = ?2",
            params![kind.as_str(), email],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((failures, last)) = row else { return Ok((0, at)) };
    let last = DateTime::parse_from_rfc3339(&last).map(|d| d.with_timezone(&Utc)).unwrap_or(at);
    Ok(if at - last > FORGIVEN_AFTER { (0, at) } else { (failures, last) })
}

/// Refuses the attempt when the email must still wait.
pub fn check_tx(tx: &Transaction, kind: Kind, email: &str, at: DateTime<Utc>) -> Result<()> {
    let (failures, last) = failures_tx(tx, kind, email, at)?;
    if failures < FREE {
        return Ok(());
    }
    let wait = Duration::seconds(2i64.pow((failures - FREE).min(20) as u32).min(LONGEST_WAIT));
    let left_ms = (last + wait - at).num_milliseconds();
    if left_ms > 0 {
        let left = (left_ms + 999) / 1000;
        let what = match kind {
            Kind::Password => "wrong passwords",
            Kind::Code => "wrong codes",
        };
        return Err(Error::new(Code::Unavailable, format!("Too many {what}: wait {left} seconds and try again.")));
    }
    Ok(())
}

/// Counts a wrong attempt; returns how many in a row.
pub fn fail_tx(tx: &Transaction, kind: Kind, email: &str, at: DateTime<Utc>) -> Result<i64> {
    let failures = failures_tx(tx, kind, email, at)?.0 + 1;
    tx.execute(
        "INSERT INTO failed_attempts (kind, email, failures, last_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (kind, email) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at",
        params![kind.as_str(), email, failures, time::format(at)],
    )?;
    Ok(failures)
}

pub fn clear_tx(tx: &Transaction, kind: Kind, email: &str) -> Result<()> {
    tx.execute("DELETE FROM failed_attempts WHERE kind = ?1 AND email = ?2", params![kind.as_str(), email])?;
    Ok(())
}

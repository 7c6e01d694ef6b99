//! Signing in and out, and the session every call of the app carries. Only a hash of a session's
//! token is stored; an idle session expires; deactivating a person ends their sessions.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use rustc_hash::FxHashSet as HashSet;
use serde::Serialize;
use serde_json::json;

use super::backoff::{self, Kind};
use super::{check_sign_in_tx, passwords};
use crate::audit::{self, Action, Actor, Entry, Source};
use crate::error::{Error, Result};
use crate::people::{self, PersonRef};
use crate::settings;
use crate::time;
use crate::workspace::Workspace;

pub const DEFAULT_IDLE_MINUTES: i64 = 30;

/// The person a session belongs to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SessionPerson {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
}

impl SessionPerson {
    pub fn actor(&self, source: Source) -> Actor {
        Actor { id: Some(self.id.clone()), name: self.name.clone(), source }
    }
}

#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Handed to the window once; only its hash is stored.
    pub token: String,
    pub person: SessionPerson,
}

pub(super) fn person_tx(tx: &Transaction, id: &str) -> Result<SessionPerson> {
    Ok(tx.query_row("SELECT id, name, email, role FROM people WHERE id = ?1", [id], |r| {
        Ok(SessionPerson { id: r.get(0)?, name: r.get(1)?, email: r.get(2)?, role: r.get(3)? })
    })?)
}

/// Starts a session for someone who just proved who they are.
pub(super) fn start_tx(tx: &Transaction, person_id: &str, at: DateTime<Utc>) -> Result<SignedIn> {
    let token = passwords::new_token()?;
    tx.execute(
        "INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)",
        params![passwords::sha256(&token), person_id, time::format(at)],
    )?;
    Ok(SignedIn { token, person: person_tx(tx, person_id)? })
}

/// Starts a session without a password: for the admin who just created the company in this window.
pub fn start(ws: &Workspace, person_id: &str, at: DateTime<Utc>) -> Result<SignedIn> {
    ws.write(|tx| {
        check_sign_in_tx(tx, person_id)?;
        start_tx(tx, person_id, at)
    })
}

/// Signs in with email and password. Wrong passwords count toward the backoff and are audited, even
/// though the call fails: the result of the transaction is decided after it is committed.
pub fn sign_in(ws: &Workspace, email: &str, password: &str, at: DateTime<Utc>) -> Result<SignedIn> {
    let email = email.trim();
    ws.write(|tx| {
        backoff::check_tx(tx, Kind::Password, email, at)?;
        let account: Option<(String, String, Option<String>)> = match people::find_by_email_tx(tx, email)? {
            Some(id) => Some(tx.query_row("SELECT id, name, password_hash FROM people WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?),
            None => None,
        };
        let right = match &account {
            Some((_, _, Some(hash))) => passwords::verify(hash, password),
            _ => false,
        };
        if !right {
            let failures = backoff::fail_tx(tx, Kind::Password, email, at)?;
            let subject = account.map(|(id, name, _)| PersonRef { id, name });
            let actor = Actor { id: None, name: "Sign-in".into(), source: Source::App };
            let entry = Entry {
                action: Action::SignInFailed,
                subject: subject.as_ref(),
                before: None,
                after: Some(json!({ "email": email, "failures": failures })),
            };
            audit::record_tx(tx, &actor, &people::new_id(), entry)?;
            return Ok(Err(Error::forbidden("Wrong email or password.")));
        }
        let (id, _, _) = account.expect("a right password has an account");
        backoff::clear_tx(tx, Kind::Password, email)?;
        if let Err(refusal) = check_sign_in_tx(tx, &id) {
            return Ok(Err(refusal));
        }
        Ok(Ok(start_tx(tx, &id, at)?))
    })?
}

pub fn sign_out(ws: &Workspace, token: &str) -> Result<()> {
    ws.write(|tx| {
        tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [passwords::sha256(token)])?;
        Ok(())
    })
}

/// Ends every session of this person (they were deactivated).
pub fn end_all_tx(tx: &Transaction, person_id: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM sessions WHERE person_id = ?1")?.execute([person_id])?;
    Ok(())
}

/// Ends every session of these people. The sessions are read and matched here, not each person looked
/// up: few people are signed in, while a bulk deactivation ends thousands, and `IN (SELECT … json_each)`
/// copied all their ids into a temporary index first (3% of deactivating 10,000 people, with no session).
pub fn end_all_of_tx<'a>(tx: &Transaction, ids: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let ending: HashSet<&str> = ids.into_iter().collect();
    let signed_in: Vec<String> = tx
        .prepare_cached("SELECT DISTINCT person_id FROM sessions")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for person in signed_in.iter().filter(|p| ending.contains(p.as_str())) {
        end_all_tx(tx, person)?;
    }
    Ok(())
}

fn idle_minutes_tx(tx: &Transaction) -> Result<i64> {
    Ok(settings::get_tx(tx, settings::IDLE_MINUTES)?.and_then(|m| m.parse().ok()).unwrap_or(DEFAULT_IDLE_MINUTES))
}

fn idle_limit_tx(tx: &Transaction) -> Result<Duration> {
    Ok(Duration::minutes(idle_minutes_tx(tx)?))
}

/// How many minutes a signed-in window may stay idle before it must sign in again.
pub fn idle_minutes(ws: &Workspace) -> Result<i64> {
    ws.read(idle_minutes_tx)
}

/// The person behind a session token, if the session is still good: not idle too long, the person
/// still allowed to sign in. A session that is no longer good is ended.
pub fn check(ws: &Workspace, token: &str, at: DateTime<Utc>) -> Result<SessionPerson> {
    let hash = passwords::sha256(token);
    ws.write(|tx| {
        let session: Option<(String, String)> = tx
            .query_row("SELECT person_id, last_seen_at FROM sessions WHERE token_hash = ?1", [&hash], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((person_id, last_seen)) = session else {
            return Ok(Err(Error::forbidden("Sign in first.")));
        };
        let last_seen = DateTime::parse_from_rfc3339(&last_seen).map(|d| d.with_timezone(&Utc)).unwrap_or(at);
        let refusal = if at - last_seen > idle_limit_tx(tx)? {
            Some(Error::forbidden("Your session expired: sign in again."))
        } else {
            check_sign_in_tx(tx, &person_id).err()
        };
        if let Some(refusal) = refusal {
            tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
            return Ok(Err(refusal));
        }
        // Written at most every half minute: every call of the app checks its session.
        if at - last_seen > Duration::seconds(30) {
            tx.execute("UPDATE sessions SET last_seen_at = ?1 WHERE token_hash = ?2", params![time::format(at), hash])?;
        }
        Ok(Ok(person_tx(tx, &person_id)?))
    })?
}

/// Sets how long a session may stay idle (admin only, audited); returns the minutes now in force.
pub fn set_idle_minutes(ws: &Workspace, actor: &Actor, minutes: i64) -> Result<i64> {
    if !(1..=24 * 60).contains(&minutes) {
        return Err(Error::invalid_input(format!(
            "{minutes} minutes is not possible: choose 1 to 1440 minutes (24 hours)."
        )));
    }
    ws.write(|tx| {
        super::require_admin_tx(tx, actor)?;
        let before = idle_minutes_tx(tx)?;
        if before != minutes {
            settings::set_tx(tx, settings::IDLE_MINUTES, Some(&minutes.to_string()))?;
            let entry = Entry {
                action: Action::SessionTimeoutChanged,
                subject: None,
                before: Some(json!({ "idleMinutes": before })),
                after: Some(json!({ "idleMinutes": minutes })),
            };
            audit::record_tx(tx, actor, &people::new_id(), entry)?;
        }
        Ok(minutes)
    })
}

/// Changes one's own password, given the current one.
pub fn change_password(ws: &Workspace, person_id: &str, current: &str, new: &str) -> Result<()> {
    let hash = passwords::hash(new)?;
    ws.write(|tx| {
        let stored: Option<String> = tx
            .query_row("SELECT password_hash FROM people WHERE id = ?1", [person_id], |r| r.get(0))
            .optional()?
            .flatten();
        if !stored.is_some_and(|s| passwords::verify(&s, current)) {
            return Err(Error::invalid_input("The current password is not right: type it again."));
        }
        tx.execute("UPDATE people SET password_hash = ?1 WHERE id = ?2", params![hash, person_id])?;
        let me = person_tx(tx, person_id)?;
        let subject = PersonRef { id: me.id.clone(), name: me.name.clone() };
        let entry = Entry { action: Action::PasswordChanged, subject: Some(&subject), before: None, after: None };
        audit::record_tx(tx, &me.actor(Source::App), &people::new_id(), entry)
    })
}

/// Sets a person's password directly (an admin, e.g. `rosterctl set-password` for the first admin).
pub fn set_password(ws: &Workspace, actor: &Actor, person: &str, password: &str) -> Result<()> {
    let hash = passwords::hash(password)?;
    ws.write(|tx| {
        super::require_admin_tx(tx, actor)?;
        let subject = people::resolve_tx(tx, person)?;
        tx.execute("UPDATE people SET password_hash = ?1 WHERE id = ?2", params![hash, subject.id])?;
        let entry = Entry { action: Action::PasswordSet, subject: Some(&subject), before: None, after: None };
        audit::record_tx(tx, actor, &people::new_id(), entry)
    })
}

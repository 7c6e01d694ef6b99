//! Who may do what. Every change is made by an `Actor` that this module vouches for: an active admin.
//! Sign-in lives here too: passwords, sessions, the backoff, and one-time password codes. A
//! deactivated person cannot sign in; while the subscription has lapsed, only admins can.

mod backoff;
pub mod codes;
pub mod passwords;
pub mod sessions;

use rusqlite::{OptionalExtension, Transaction};

use crate::audit::{Actor, Source};
use crate::error::{Error, Result};
use crate::workspace::Workspace;

struct Account {
    name: String,
    role: String,
    status: String,
}

fn account_tx(tx: &Transaction, id: &str) -> Result<Option<Account>> {
    Ok(tx
        .query_row(
            "SELECT p.name, p.role, l.status FROM people p JOIN lifecycle l ON l.person = p.rowid WHERE p.id = ?1",
            [id],
            |r| Ok(Account { name: r.get(0)?, role: r.get(1)?, status: r.get(2)? }),
        )
        .optional()?)
}

/// The refusal every sign-in of a deactivated person gets.
pub fn deactivated_refusal() -> Error {
    Error::forbidden("This account is deactivated — ask your admin.")
}

/// Checks that the person may sign in at all: they exist and are active, and, while the subscription
/// has lapsed, they are an admin.
pub fn check_sign_in_tx(tx: &Transaction, id: &str) -> Result<()> {
    match account_tx(tx, id)? {
        None => Err(Error::forbidden("There is no account for this sign-in.")),
        Some(a) if a.status != "active" => Err(deactivated_refusal()),
        Some(a) if a.role != "admin" && crate::subscription::lapsed_since_tx(tx)?.is_some() => {
            Err(Error::forbidden("The subscription has lapsed: ask your admin to restart it."))
        }
        Some(_) => Ok(()),
    }
}

/// An actor for `id`, who must be an active admin.
pub fn admin(ws: &Workspace, id: &str, source: Source) -> Result<Actor> {
    ws.read(|tx| {
        check_sign_in_tx(tx, id)?;
        let account = account_tx(tx, id)?.expect("checked above");
        if account.role != "admin" {
            return Err(Error::forbidden(format!(
                "{} is not an admin: only admins can change accounts.",
                account.name
            )));
        }
        Ok(Actor { id: Some(id.to_string()), name: account.name, source })
    })
}

/// The workspace's first active admin, who holds the app's session until sign-in arrives.
pub fn first_admin(ws: &Workspace) -> Result<Option<String>> {
    ws.read(|tx| {
        Ok(tx
            .query_row(
                "SELECT p.id FROM people p JOIN lifecycle l ON l.person = p.rowid
                 WHERE p.role = 'admin' AND l.status = 'active' ORDER BY p.created_at, p.id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    })
}

/// Checks, inside a change's transaction, that its actor is (still) an active admin. The system
/// (set-up, later the HRIS import) acts without a person.
pub fn require_admin_tx(tx: &Transaction, actor: &Actor) -> Result<()> {
    let Some(id) = &actor.id else {
        return match actor.source {
            Source::System | Source::Import => Ok(()),
            _ => Err(Error::forbidden("Sign in as an admin to change accounts.")),
        };
    };
    check_sign_in_tx(tx, id)?;
    match account_tx(tx, id)? {
        Some(a) if a.role == "admin" => Ok(()),
        Some(a) => Err(Error::forbidden(format!("{} is not an admin: only admins can change accounts.", a.name))),
        None => Err(Error::forbidden("There is no account for this sign-in.")),
    }
}

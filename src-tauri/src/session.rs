//! Who is calling. Commands take `Signed` (anyone signed in) or `Admin` as their first argument: Tauri
//! extracts it before any other argument, so a call without the right session is refused with
//! `forbidden` before the command runs, whatever else it sent.

use std::sync::Arc;

use chrono::Utc;
use roster_core::access::sessions::{self, SessionPerson};
use roster_core::audit::{Actor, Source};
use roster_core::{Error, Result, Workspace};
use tauri::ipc::{CommandArg, CommandItem, InvokeError};
use tauri::{Manager, Runtime};

use crate::state::AppState;

/// A signed-in person, admin or employee.
pub struct Signed {
    pub ws: Arc<Workspace>,
    pub person: SessionPerson,
}

/// A signed-in admin: the actor of every change.
pub struct Admin {
    pub ws: Arc<Workspace>,
    pub actor: Actor,
}

/// The person behind the window's session; a session that is no longer good is forgotten.
pub fn current(state: &AppState) -> Result<Signed> {
    let ws = state.workspace()?;
    let token = state.token().ok_or_else(|| Error::forbidden("Sign in first."))?;
    match sessions::check(&ws, &token, Utc::now()) {
        Ok(person) => Ok(Signed { ws, person }),
        Err(refusal) => {
            state.set_token(None);
            Err(refusal)
        }
    }
}

fn signed<R: Runtime>(command: &CommandItem<'_, R>) -> Result<Signed, InvokeError> {
    let state = command
        .message
        .webview_ref()
        .try_state::<AppState>()
        .ok_or_else(|| InvokeError::from("Roster's state is missing."))?;
    Ok(current(&state)?)
}

impl<'de, R: Runtime> CommandArg<'de, R> for Signed {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        signed(&command)
    }
}

impl<'de, R: Runtime> CommandArg<'de, R> for Admin {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let signed = signed(&command)?;
        if signed.person.role != "admin" {
            return Err(
                Error::forbidden(format!("{} is not an admin: only admins can do this.", signed.person.name)).into()
            );
        }
        Ok(Admin { actor: signed.person.actor(Source::App), ws: signed.ws })
    }
}

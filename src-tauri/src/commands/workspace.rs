use roster_core::audit::Source;
use roster_core::company::{self, Company, Setup};
use roster_core::workspace::OpenProblem;
use roster_core::{access, Result};
use serde::Serialize;
use tauri::State;

use crate::state::{blocking, AppState};

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Ready,
    NeedsSetup,
    Problem,
}

#[derive(Serialize)]
pub struct Actor {
    id: String,
    name: String,
    email: String,
}

#[derive(Serialize)]
pub struct Status {
    state: Phase,
    path: String,
    problem: Option<OpenProblem>,
    company: Option<Company>,
    actor: Option<Actor>,
}

fn status(state: &AppState) -> Result<Status> {
    let path = state.path.display().to_string();
    let ws = match &state.workspace {
        Err(problem) => {
            return Ok(Status {
                state: Phase::Problem,
                path,
                problem: Some(problem.clone()),
                company: None,
                actor: None,
            })
        }
        Ok(ws) => ws,
    };
    let company = company::get(ws)?;
    let actor = match access::first_admin(ws)? {
        Some(id) => ws.read(|tx| {
            let (name, email) =
                tx.query_row("SELECT name, email FROM people WHERE id = ?1", [&id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(Some(Actor { id, name, email }))
        })?,
        None => None,
    };
    let state = if company.is_some() { Phase::Ready } else { Phase::NeedsSetup };
    Ok(Status { state, path, problem: None, company, actor })
}

#[tauri::command]
pub async fn workspace_status(state: State<'_, AppState>) -> Result<Status> {
    status(&state)
}

#[tauri::command]
pub async fn setup_company(state: State<'_, AppState>, setup: Setup) -> Result<Status> {
    let ws = state.workspace()?;
    let seed = roster_core::time::now().len() as u64 ^ std::process::id() as u64;
    blocking(move || company::create(&ws, &setup, Source::App, seed)).await?;
    status(&state)
}

use chrono::Utc;
use roster_core::access::sessions::{self, SessionPerson};
use roster_core::audit::Source;
use roster_core::company::{self, Company, Setup};
use roster_core::subscription::{self, Subscription};
use roster_core::workspace::OpenProblem;
use roster_core::Result;
use serde::Serialize;
use tauri::State;

use crate::session;
use crate::state::{blocking, AppState};

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Ready,
    NeedsSetup,
    Problem,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    state: Phase,
    path: String,
    problem: Option<OpenProblem>,
    company: Option<Company>,
    signed_in: bool,
    actor: Option<SessionPerson>,
    subscription: Option<Subscription>,
}

/// Where the window stands: which workspace, set up or not, who is signed in.
pub fn status(state: &AppState) -> Result<Status> {
    let path = state.path.display().to_string();
    let ws = match &state.workspace {
        Err(problem) => {
            let problem = Some(problem.clone());
            let (company, actor, subscription) = (None, None, None);
            return Ok(Status { state: Phase::Problem, path, problem, company, signed_in: false, actor, subscription });
        }
        Ok(ws) => ws,
    };
    let company = company::get(ws)?;
    let actor = session::current(state).ok().map(|s| s.person);
    let subscription = subscription::get(ws)?;
    let phase = if company.is_some() { Phase::Ready } else { Phase::NeedsSetup };
    Ok(Status { state: phase, path, problem: None, company, signed_in: actor.is_some(), actor, subscription })
}

#[tauri::command]
pub async fn workspace_status(state: State<'_, AppState>) -> Result<Status> {
    status(&state)
}

/// The first-run wizard; whoever runs it becomes the first admin and is signed in.
#[tauri::command]
pub async fn setup_company(state: State<'_, AppState>, setup: Setup) -> Result<Status> {
    let ws = state.workspace()?;
    let seed = Utc::now().timestamp_micros() as u64;
    let signed_in = blocking(move || {
        let admin = company::create(&ws, &setup, Source::App, seed)?;
        sessions::start(&ws, &admin, Utc::now())
    })
    .await?;
    state.set_token(Some(signed_in.token));
    status(&state)
}

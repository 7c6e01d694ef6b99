use std::time::Duration;

use chrono::Utc;
use roster_core::access::sessions::{self, SessionPerson};
use roster_core::audit::Source;
use roster_core::company::{self, Company, Setup};
use roster_core::subscription::{self, Subscription};
use roster_core::workspace::{OpenProblem, Upgrade};
use roster_core::Result;
use serde::Serialize;
use tauri::State;

use crate::session;
use crate::state::{blocking, AppState, Opening};

/// How long `workspace_status` waits for an upgrade to finish before it answers that it still runs.
const UPGRADE_PATIENCE: Duration = Duration::from_millis(500);

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// A workspace of an older Roster is migrating forward (`upgrade` says from what and where its
    /// copy is kept); ask again.
    Upgrading,
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
    upgrade: Option<Upgrade>,
    company: Option<Company>,
    signed_in: bool,
    actor: Option<SessionPerson>,
    subscription: Option<Subscription>,
}

/// Where the window stands: which workspace, set up or not, who is signed in.
pub fn status(state: &AppState) -> Result<Status> {
    let path = state.path.display().to_string();
    let not_open = |state, problem, upgrade| {
        let (company, actor, subscription) = (None, None, None);
        Ok(Status { state, path: path.clone(), problem, upgrade, company, signed_in: false, actor, subscription })
    };
    let ws = match state.opened.wait(Duration::ZERO) {
        Opening::Done(Ok(ws)) => ws,
        Opening::Done(Err(problem)) => return not_open(Phase::Problem, Some(problem), None),
        Opening::Upgrading(upgrade) => return not_open(Phase::Upgrading, None, Some(upgrade)),
    };
    let company = company::get(&ws)?;
    let actor = session::current(state).ok().map(|s| s.person);
    let subscription = subscription::get(&ws)?;
    let phase = if company.is_some() { Phase::Ready } else { Phase::NeedsSetup };
    let signed_in = actor.is_some();
    Ok(Status { state: phase, path, problem: None, upgrade: None, company, signed_in, actor, subscription })
}

/// Answers once the workspace is open, or after a moment while it upgrades (the window then asks
/// again, so it hears the moment the upgrade is done).
#[tauri::command]
pub async fn workspace_status(state: State<'_, AppState>) -> Result<Status> {
    let opened = state.opened.clone();
    blocking(move || Ok(opened.wait(UPGRADE_PATIENCE))).await?;
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

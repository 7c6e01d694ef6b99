use roster_core::lifecycle::{self, Change, Handover, Plan};
use roster_core::Result;
use tauri::State;

use crate::state::{blocking, session, AppState};

#[tauri::command]
pub async fn deactivation_plan(state: State<'_, AppState>, ids: Vec<String>) -> Result<Plan> {
    let ws = state.workspace()?;
    blocking(move || lifecycle::plan(&ws, &ids)).await
}

#[tauri::command]
pub async fn deactivate(
    state: State<'_, AppState>,
    ids: Vec<String>,
    reason: Option<String>,
    handover: Option<Handover>,
) -> Result<Change> {
    let ws = state.workspace()?;
    blocking(move || lifecycle::deactivate(&ws, &session(&ws)?, &ids, reason.as_deref(), handover.as_ref())).await
}

#[tauri::command]
pub async fn reactivate(state: State<'_, AppState>, ids: Vec<String>) -> Result<Change> {
    let ws = state.workspace()?;
    blocking(move || lifecycle::reactivate(&ws, &session(&ws)?, &ids)).await
}

#[tauri::command]
pub async fn undo(state: State<'_, AppState>, change_id: String) -> Result<Change> {
    let ws = state.workspace()?;
    blocking(move || lifecycle::undo(&ws, &session(&ws)?, &change_id)).await
}

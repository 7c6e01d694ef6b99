use roster_core::directory::{self, Page, Query};
use roster_core::license::{self, Usage};
use roster_core::Result;
use tauri::State;

use crate::state::{blocking, AppState};

#[tauri::command]
pub async fn license(state: State<'_, AppState>) -> Result<Usage> {
    let ws = state.workspace()?;
    blocking(move || license::usage(&ws)).await
}

#[tauri::command]
pub async fn directory_page(state: State<'_, AppState>, query: Query, offset: i64, limit: i64) -> Result<Page> {
    let ws = state.workspace()?;
    blocking(move || directory::page(&ws, &query, offset, limit)).await
}

#[tauri::command]
pub async fn directory_ids(
    state: State<'_, AppState>,
    query: Query,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<Vec<String>> {
    let ws = state.workspace()?;
    let range = from.zip(to);
    blocking(move || directory::ids(&ws, &query, range)).await
}

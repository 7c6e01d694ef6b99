use roster_core::history::{self, Profile};
use roster_core::Result;
use tauri::State;

use crate::state::{blocking, session, AppState};

#[tauri::command]
pub async fn person_profile(state: State<'_, AppState>, id: String) -> Result<Profile> {
    let ws = state.workspace()?;
    blocking(move || {
        let viewer = session(&ws)?;
        history::profile(&ws, viewer.id.as_deref(), &id)
    })
    .await
}

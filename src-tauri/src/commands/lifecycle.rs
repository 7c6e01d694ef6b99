use roster_core::lifecycle::{self, Change, Handover, Plan};
use roster_core::Result;

use crate::session::Admin;
use crate::state::blocking;

#[tauri::command]
pub async fn deactivation_plan(admin: Admin, ids: Vec<String>) -> Result<Plan> {
    blocking(move || lifecycle::plan(&admin.ws, &ids)).await
}

#[tauri::command]
pub async fn deactivate(
    admin: Admin,
    ids: Vec<String>,
    reason: Option<String>,
    handover: Option<Handover>,
) -> Result<Change> {
    blocking(move || lifecycle::deactivate(&admin.ws, &admin.actor, &ids, reason.as_deref(), handover.as_ref())).await
}

#[tauri::command]
pub async fn reactivate(admin: Admin, ids: Vec<String>) -> Result<Change> {
    blocking(move || lifecycle::reactivate(&admin.ws, &admin.actor, &ids)).await
}

#[tauri::command]
pub async fn undo(admin: Admin, change_id: String) -> Result<Change> {
    blocking(move || lifecycle::undo(&admin.ws, &admin.actor, &change_id)).await
}

use chrono::Utc;
use roster_core::access::codes::{self, MailSent};
use roster_core::access::sessions;
use roster_core::{mail, Result};
use tauri::State;

use super::workspace::{status, Status};
use crate::session::{Admin, Signed};
use crate::state::{blocking, AppState};

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, email: String, password: String) -> Result<Status> {
    let ws = state.workspace()?;
    let signed_in = blocking(move || sessions::sign_in(&ws, &email, &password, Utc::now())).await?;
    state.set_token(Some(signed_in.token));
    status(&state)
}

#[tauri::command]
pub async fn sign_out(signed: Signed, state: State<'_, AppState>) -> Result<()> {
    let token = state.token().unwrap_or_default();
    state.set_token(None);
    blocking(move || sessions::sign_out(&signed.ws, &token)).await
}

/// "Forgot password?": the answer is the same whether or not the email has an account, and comes as
/// soon as the mail is queued: it is sent afterwards, so the time to answer tells nothing either.
#[tauri::command]
pub async fn request_password_code(state: State<'_, AppState>, email: String) -> Result<()> {
    let ws = state.workspace()?;
    let queued = ws.clone();
    blocking(move || codes::request_code(&queued, &email, Utc::now())).await?;
    tauri::async_runtime::spawn_blocking(move || mail::deliver(&ws, false));
    Ok(())
}

#[tauri::command]
pub async fn set_password_with_code(
    state: State<'_, AppState>,
    email: String,
    code: String,
    password: String,
) -> Result<Status> {
    let ws = state.workspace()?;
    let signed_in = blocking(move || codes::set_password_with_code(&ws, &email, &code, &password, Utc::now())).await?;
    state.set_token(Some(signed_in.token));
    status(&state)
}

#[tauri::command]
pub async fn change_password(signed: Signed, current: String, password: String) -> Result<()> {
    blocking(move || sessions::change_password(&signed.ws, &signed.person.id, &current, &password)).await
}

/// Minutes a signed-in window may stay idle (Admin > Sign-in).
#[tauri::command]
pub async fn session_timeout(admin: Admin) -> Result<i64> {
    blocking(move || sessions::idle_minutes(&admin.ws)).await
}

#[tauri::command]
pub async fn set_session_timeout(admin: Admin, minutes: i64) -> Result<i64> {
    blocking(move || sessions::set_idle_minutes(&admin.ws, &admin.actor, minutes)).await
}

#[tauri::command]
pub async fn send_password_mail(admin: Admin, id: String) -> Result<MailSent> {
    blocking(move || codes::send_password_mail(&admin.ws, &admin.actor, &id, Utc::now())).await
}

use roster_core::mail::{self, MailItem, MailSettings, Outbox, Smtp};
use roster_core::Result;

use crate::session::Admin;
use crate::state::blocking;

#[tauri::command]
pub async fn mail_settings(admin: Admin) -> Result<MailSettings> {
    blocking(move || mail::settings(&admin.ws)).await
}

#[tauri::command]
pub async fn save_mail_settings(admin: Admin, smtp: Option<Smtp>, password: Option<String>) -> Result<MailSettings> {
    blocking(move || mail::save_settings(&admin.ws, &admin.actor, smtp, password.as_deref())).await
}

#[tauri::command]
pub async fn send_test_mail(admin: Admin, to: String) -> Result<MailItem> {
    blocking(move || mail::send_test(&admin.ws, &admin.actor, &to)).await
}

#[tauri::command]
pub async fn outbox(admin: Admin, offset: i64, limit: i64) -> Result<Outbox> {
    blocking(move || mail::outbox(&admin.ws, offset, limit)).await
}

#[tauri::command]
pub async fn retry_mail(admin: Admin, id: String) -> Result<MailItem> {
    blocking(move || mail::retry(&admin.ws, &admin.actor, &id)).await
}

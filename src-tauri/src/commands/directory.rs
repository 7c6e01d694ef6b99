use roster_core::directory::{self, Page, Query};
use roster_core::license::{self, Usage};
use roster_core::Result;

use crate::session::Admin;
use crate::state::blocking;

#[tauri::command]
pub async fn license(admin: Admin) -> Result<Usage> {
    blocking(move || license::usage(&admin.ws)).await
}

#[tauri::command]
pub async fn directory_page(admin: Admin, query: Query, offset: i64, limit: i64) -> Result<Page> {
    blocking(move || directory::page(&admin.ws, &query, offset, limit)).await
}

#[tauri::command]
pub async fn directory_ids(admin: Admin, query: Query, from: Option<i64>, to: Option<i64>) -> Result<Vec<String>> {
    let range = from.zip(to);
    blocking(move || directory::ids(&admin.ws, &query, range)).await
}

use std::fs::File;
use std::io::BufWriter;

use roster_core::audit::{self, AuditPage, Filter};
use roster_core::{Error, Result};
use serde::Serialize;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::session::Admin;
use crate::state::blocking;

#[tauri::command]
pub async fn audit_list(admin: Admin, filter: Filter, offset: i64, limit: i64) -> Result<AuditPage> {
    blocking(move || audit::list(&admin.ws, &filter, offset, limit)).await
}

#[tauri::command]
pub async fn audit_actions(admin: Admin) -> Result<Vec<String>> {
    blocking(move || audit::actions(&admin.ws)).await
}

#[derive(Serialize)]
pub struct Exported {
    path: String,
    count: usize,
}

/// Asks where to save with the native dialog, then writes the filtered log as CSV.
#[tauri::command]
pub async fn audit_export<R: Runtime>(admin: Admin, app: AppHandle<R>, filter: Filter) -> Result<Option<Exported>> {
    let ws = admin.ws;
    blocking(move || {
        let chosen = app
            .dialog()
            .file()
            .set_title("Export the audit log")
            .add_filter("CSV", &["csv"])
            .set_file_name("roster-audit-log.csv")
            .blocking_save_file();
        let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
        // Written beside the target and renamed at the end, so a failed export never leaves half a file.
        let part = path.with_extension("csv.part");
        let unwritable = |e: std::io::Error| {
            Error::new(
                roster_core::Code::Unavailable,
                format!("Could not write {}: {e}. Choose another folder.", path.display()),
            )
        };
        let written = File::create(&part)
            .map_err(unwritable)
            .and_then(|file| audit::export_csv(&ws, &filter, BufWriter::new(file)))
            .and_then(|count| std::fs::rename(&part, &path).map(|()| count).map_err(unwritable));
        let count = written.inspect_err(|_| {
            let _ = std::fs::remove_file(&part);
        })?;
        Ok(Some(Exported { path: path.display().to_string(), count }))
    })
    .await
}

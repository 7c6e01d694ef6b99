use std::path::PathBuf;

use roster_core::holds::{self, Hold};
use roster_core::hris::import_actor;
use roster_core::hris::source::{self, ConnectionTest, Rules, SourceSettings, SourceView};
use roster_core::hris::sync;
use roster_core::hris::{self, ImportFile, Mapping, Plan, Run, RunDetail, RunsPage, Sample, Trigger};
use roster_core::{Error, Result};
use serde::Serialize;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::session::Admin;
use crate::state::blocking;

#[tauri::command]
pub async fn import_source(admin: Admin) -> Result<SourceView> {
    blocking(move || source::get(&admin.ws)).await
}

#[tauri::command]
pub async fn save_import_source(admin: Admin, settings: SourceSettings, secret: Option<String>) -> Result<SourceView> {
    blocking(move || source::save(&admin.ws, &admin.actor, &settings, secret.as_deref())).await
}

#[tauri::command]
pub async fn pick_key_file<R: Runtime>(_admin: Admin, app: AppHandle<R>) -> Result<Option<String>> {
    blocking(move || {
        let chosen = app.dialog().file().set_title("Choose the SSH private key").blocking_pick_file();
        Ok(chosen.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
    })
    .await
}

#[tauri::command]
pub async fn test_import_connection(admin: Admin) -> Result<ConnectionTest> {
    blocking(move || source::test_connection(&admin.ws)).await
}

#[tauri::command]
pub async fn accept_host_key(admin: Admin, fingerprint: String) -> Result<SourceView> {
    blocking(move || source::accept_host_key(&admin.ws, &admin.actor, &fingerprint)).await
}

/// "Run automatic imports": turning it on imports at once (the article: switching it back on updates
/// every account from the HRIS again).
#[tauri::command]
pub async fn set_automatic_imports(admin: Admin, on: bool) -> Result<SourceView> {
    blocking(move || {
        let view = source::set_automatic(&admin.ws, &admin.actor, on)?;
        if on {
            sync::sync(&admin.ws, &import_actor(), Trigger::Automatic)?;
        }
        Ok(view)
    })
    .await
}

#[tauri::command]
pub async fn set_import_interval(admin: Admin, minutes: i64) -> Result<SourceView> {
    blocking(move || source::set_interval(&admin.ws, &admin.actor, minutes)).await
}

#[tauri::command]
pub async fn set_import_rules(admin: Admin, rules: Rules) -> Result<SourceView> {
    blocking(move || source::set_rules(&admin.ws, &admin.actor, &rules)).await
}

#[tauri::command]
pub async fn import_now(admin: Admin) -> Result<Run> {
    blocking(move || sync::sync(&admin.ws, &admin.actor, Trigger::Manual)).await
}

#[derive(Serialize)]
pub struct Picked {
    path: String,
    name: String,
}

#[tauri::command]
pub async fn pick_import_file<R: Runtime>(_admin: Admin, app: AppHandle<R>) -> Result<Option<Picked>> {
    blocking(move || {
        let chosen = app
            .dialog()
            .file()
            .set_title("Import an HRIS file")
            .add_filter("CSV", &["csv", "txt"])
            .blocking_pick_file();
        Ok(chosen.and_then(|p| p.into_path().ok()).map(|p| Picked {
            name: p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            path: p.display().to_string(),
        }))
    })
    .await
}

fn read(path: &str) -> Result<ImportFile> {
    let path = PathBuf::from(path);
    let bytes = std::fs::read(&path)
        .map_err(|e| Error::invalid_input(format!("Could not read {}: {e}. Choose the file again.", path.display())))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(ImportFile { name, bytes })
}

#[tauri::command]
pub async fn plan_import_file(admin: Admin, path: String) -> Result<Plan> {
    blocking(move || hris::plan(&admin.ws, &read(&path)?)).await
}

#[tauri::command]
pub async fn import_file(admin: Admin, path: String) -> Result<Run> {
    blocking(move || {
        let file = read(&path)?;
        hris::import(&admin.ws, &admin.actor, &file, Trigger::Manual, &format!("File {path}"))
    })
    .await
}

#[tauri::command]
pub async fn import_runs(admin: Admin, offset: i64, limit: i64) -> Result<RunsPage> {
    blocking(move || hris::runs(&admin.ws, offset, limit)).await
}

#[tauri::command]
pub async fn import_run(admin: Admin, id: String) -> Result<RunDetail> {
    blocking(move || hris::run_detail(&admin.ws, &id)).await
}

#[tauri::command]
pub async fn apply_held_import(admin: Admin, id: String) -> Result<Run> {
    blocking(move || hris::apply_held(&admin.ws, &admin.actor, &id)).await
}

#[tauri::command]
pub async fn discard_held_import(admin: Admin, id: String) -> Result<Run> {
    blocking(move || hris::discard_held(&admin.ws, &admin.actor, &id)).await
}

#[tauri::command]
pub async fn set_sync_hold(admin: Admin, id: String, until: String, reason: String) -> Result<Hold> {
    blocking(move || holds::set(&admin.ws, &admin.actor, &id, &until, &reason)).await
}

#[tauri::command]
pub async fn clear_sync_hold(admin: Admin, id: String) -> Result<()> {
    blocking(move || holds::clear(&admin.ws, &admin.actor, &id)).await
}

#[tauri::command]
pub async fn import_mapping(admin: Admin) -> Result<Option<Mapping>> {
    blocking(move || source::mapping(&admin.ws)).await
}

#[tauri::command]
pub async fn save_import_mapping(admin: Admin, mapping: Option<Mapping>) -> Result<Option<Mapping>> {
    blocking(move || source::save_mapping(&admin.ws, &admin.actor, mapping.as_ref())).await
}

/// The first lines of a file read with a mapping being set up (not saved yet).
#[tauri::command]
pub async fn import_sample(admin: Admin, path: String, mapping: Option<Mapping>) -> Result<Sample> {
    blocking(move || {
        let fallback = hris::settings(&admin.ws)?.fallback_encoding;
        hris::sample(&read(&path)?, mapping.as_ref(), &fallback, 8)
    })
    .await
}

use std::path::PathBuf;

use roster_core::erase::{self, Erased, Preview};
use roster_core::{history, Error, Result};
use serde::Serialize;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::session::Admin;
use crate::state::blocking;

#[tauri::command]
pub async fn erase_preview(admin: Admin, ids: Vec<String>) -> Result<Preview> {
    blocking(move || erase::preview(&admin.ws, &ids)).await
}

#[derive(Serialize)]
pub struct Saved {
    path: String,
}

/// "Export this person's data first": the profile and history as JSON, where the admin chooses.
#[tauri::command]
pub async fn export_person<R: Runtime>(admin: Admin, app: AppHandle<R>, id: String) -> Result<Option<Saved>> {
    blocking(move || {
        let json = history::export_json(&admin.ws, &id)?;
        let name = roster_core::history::profile(&admin.ws, None, &id)?.person.name;
        let chosen = app
            .dialog()
            .file()
            .set_title("Export this person's data")
            .add_filter("JSON", &["json"])
            .set_file_name(format!("{name}.json"))
            .blocking_save_file();
        let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
        write_whole(&path, json.as_bytes())?;
        Ok(Some(Saved { path: path.display().to_string() }))
    })
    .await
}

/// Writes beside the target and renames, so a failed write never leaves half a file.
fn write_whole(path: &PathBuf, bytes: &[u8]) -> Result<()> {
    let part = path.with_extension("part");
    let unwritable = |e: std::io::Error| {
        Error::new(
            roster_core::Code::Unavailable,
            format!("Could not write {}: {e}. Choose another folder.", path.display()),
        )
    };
    std::fs::write(&part, bytes).and_then(|()| std::fs::rename(&part, path)).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        unwritable(e)
    })
}

/// Deletes after the typed confirmation and the native warning, which the Rust side opens so no
/// script can skip it. `None` when the admin cancelled.
#[tauri::command]
pub async fn erase<R: Runtime>(
    admin: Admin,
    app: AppHandle<R>,
    ids: Vec<String>,
    confirmation: String,
) -> Result<Option<Erased>> {
    blocking(move || {
        let preview = erase::preview(&admin.ws, &ids)?;
        if confirmation.trim() != preview.confirmation {
            return Err(Error::invalid_input(format!("Type “{}” to confirm.", preview.confirmation)));
        }
        let who = match preview.people.as_slice() {
            [one] => one.name.clone(),
            many => format!("{} people", many.len()),
        };
        let confirmed = app
            .dialog()
            .message(format!("Delete {who} and all data? This cannot be undone."))
            .title("Delete user and all data")
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom("Delete".into(), "Cancel".into()))
            .blocking_show();
        if !confirmed {
            return Ok(None);
        }
        erase::erase(&admin.ws, &admin.actor, &ids, &confirmation).map(Some)
    })
    .await
}

use roster_core::merge::{self, Merged, Preview};
use roster_core::Result;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::session::Admin;
use crate::state::blocking;

#[tauri::command]
pub async fn merge_preview(admin: Admin, source: String, destination: String) -> Result<Preview> {
    blocking(move || merge::preview(&admin.ws, &source, &destination)).await
}

/// Merges after the native confirmation, which the Rust side opens so no script can skip it.
/// `None` when the admin cancelled.
#[tauri::command]
pub async fn merge<R: Runtime>(
    admin: Admin,
    app: AppHandle<R>,
    source: String,
    destination: String,
    fields: Vec<String>,
) -> Result<Option<Merged>> {
    blocking(move || {
        let preview = merge::preview(&admin.ws, &source, &destination)?;
        let (a, b) = (&preview.source.name, &preview.destination.name);
        let confirmed = app
            .dialog()
            .message(format!("Merge {a} into {b}? {a} will be deactivated. This cannot be undone."))
            .title("Merge accounts")
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom("Merge".into(), "Cancel".into()))
            .blocking_show();
        if !confirmed {
            return Ok(None);
        }
        merge::merge(&admin.ws, &admin.actor, &source, &destination, &fields).map(Some)
    })
    .await
}

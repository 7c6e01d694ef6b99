//! The Tauri shell: parses the command line, opens the workspace and registers the commands. It holds
//! no rules; every command is glue over `roster_core`.

mod commands;
mod state;

use std::path::PathBuf;

use clap::Parser;
use tauri::{Builder, Runtime};

pub use state::AppState;

#[derive(Parser)]
#[command(name = "roster", version, about = "Roster: run your company's user accounts.")]
struct Args {
    /// Open (or create) this workspace file instead of the default one in the app's data folder.
    #[arg(long, value_name = "PATH")]
    workspace: Option<PathBuf>,
}

/// Everything the app registers; the app and the mock-runtime tests share it.
pub fn register<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.plugin(tauri_plugin_dialog::init()).invoke_handler(tauri::generate_handler![
        commands::workspace::workspace_status,
        commands::workspace::setup_company,
        commands::directory::license,
        commands::directory::directory_page,
        commands::directory::directory_ids,
        commands::lifecycle::deactivation_plan,
        commands::lifecycle::deactivate,
        commands::lifecycle::reactivate,
        commands::lifecycle::undo,
        commands::profile::person_profile,
        commands::audit::audit_list,
        commands::audit::audit_actions,
        commands::audit::audit_export,
    ])
}

pub fn run() {
    let args = Args::parse();
    let path = args.workspace.unwrap_or_else(roster_core::workspace::default_path);
    register(tauri::Builder::default())
        .manage(AppState::open(path))
        .run(tauri::generate_context!())
        .expect("Roster could not open its window");
}

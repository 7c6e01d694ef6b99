//! What the app holds while it runs: the workspace it opened (or why it could not), and the session.

use std::path::PathBuf;
use std::sync::Arc;

use roster_core::audit::{Actor, Source};
use roster_core::workspace::OpenProblem;
use roster_core::{access, Error, Result, Workspace};

pub struct AppState {
    pub path: PathBuf,
    pub workspace: std::result::Result<Arc<Workspace>, OpenProblem>,
}

impl AppState {
    /// Opens the workspace; a file Roster must not touch becomes a problem the UI shows, not a crash.
    pub fn open(path: PathBuf) -> AppState {
        let workspace = Workspace::open(&path).map(Arc::new);
        AppState { path, workspace }
    }

    pub fn workspace(&self) -> Result<Arc<Workspace>> {
        self.workspace.clone().map_err(Error::from)
    }
}

/// The admin acting in this window. Until sign-in exists (the access issue), the app's session is the
/// workspace's first active admin; every change still goes through the core's admin check.
pub fn session(ws: &Workspace) -> Result<Actor> {
    let id = access::first_admin(ws)?
        .ok_or_else(|| Error::precondition_failed("This workspace has no active admin: set up the company first."))?;
    access::admin(ws, &id, Source::App)
}

/// Runs blocking core work off the UI thread.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| {
        Error::new(roster_core::Code::Internal, format!("Roster stopped in the middle of this: {e}. Try again."))
    })?
}

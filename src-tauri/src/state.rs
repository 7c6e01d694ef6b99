//! What the app holds while it runs: the workspace it opened (or why it could not), and the window's
//! session token.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use roster_core::workspace::OpenProblem;
use roster_core::{Error, Result, Workspace};

pub struct AppState {
    pub path: PathBuf,
    pub workspace: std::result::Result<Arc<Workspace>, OpenProblem>,
    /// The signed-in person's session token; the workspace stores only its hash.
    session: Mutex<Option<String>>,
}

impl AppState {
    /// Opens the workspace; a file Roster must not touch becomes a problem the UI shows, not a crash.
    pub fn open(path: PathBuf) -> AppState {
        let workspace = Workspace::open(&path).map(Arc::new);
        AppState { path, workspace, session: Mutex::new(None) }
    }

    pub fn workspace(&self) -> Result<Arc<Workspace>> {
        self.workspace.clone().map_err(Error::from)
    }

    pub fn token(&self) -> Option<String> {
        self.session.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_token(&self, token: Option<String>) {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = token;
    }
}

/// Runs blocking core work off the UI thread.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| {
        Error::new(roster_core::Code::Internal, format!("Roster stopped in the middle of this: {e}. Try again."))
    })?
}

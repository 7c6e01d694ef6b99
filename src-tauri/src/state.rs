//! What the app holds while it runs: the workspace it opens (or why it could not), and the window's
//! session token.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use roster_core::workspace::{OpenProblem, ProblemCode, Upgrade};
use roster_core::{Code, Error, Result, Workspace};

/// Where opening the workspace stands, once the file is checked (a moment after the start).
#[derive(Clone)]
pub enum Opening {
    /// Migrating a workspace of an older Roster forward: seconds to minutes for a big company.
    Upgrading(Upgrade),
    Done(std::result::Result<Arc<Workspace>, OpenProblem>),
}

/// `Opening`, shared with the thread that opens the workspace (None until the file is checked).
#[derive(Clone)]
pub struct Opened(Arc<(Mutex<Option<Opening>>, Condvar)>);

impl Opened {
    fn set(&self, now: Opening) {
        *self.0 .0.lock().unwrap_or_else(|p| p.into_inner()) = Some(now);
        self.0 .1.notify_all();
    }

    /// Where opening stands, once the file is checked; an upgrade is waited for up to `patience`.
    pub fn wait(&self, patience: Duration) -> Opening {
        let (lock, changed) = &*self.0;
        let state = lock.lock().unwrap_or_else(|p| p.into_inner());
        let state = changed.wait_while(state, |s| s.is_none()).unwrap_or_else(|p| p.into_inner());
        let (state, _) = changed
            .wait_timeout_while(state, patience, |s| matches!(s, Some(Opening::Upgrading(_))))
            .unwrap_or_else(|p| p.into_inner());
        state.clone().expect("set before the wait ends")
    }
}

fn stopped(path: &Path) -> OpenProblem {
    OpenProblem {
        code: ProblemCode::Unreadable,
        title: "Roster stopped while opening this workspace".into(),
        message: format!(
            "A fault in Roster (not in the file) stopped it while opening {}; a change it did not finish was \
             rolled back. Open it again, and if this comes back, report it.",
            path.display()
        ),
    }
}

pub struct AppState {
    pub path: PathBuf,
    pub opened: Opened,
    /// The signed-in person's session token; the workspace stores only its hash.
    session: Mutex<Option<String>>,
}

impl AppState {
    /// Opens the workspace on a thread of its own, so that the window shows meanwhile (upgrading a big
    /// workspace takes a while), then runs `then` there with it. A file Roster must not touch becomes
    /// a problem the UI shows, not a crash.
    pub fn open(path: PathBuf, then: impl FnOnce(Arc<Workspace>) + Send + 'static) -> AppState {
        let opened = Opened(Arc::new((Mutex::new(None), Condvar::new())));
        let (shared, file) = (opened.clone(), path.clone());
        std::thread::Builder::new()
            .name("roster-open".into())
            .spawn(move || {
                let upgrading = |upgrade: &Upgrade| shared.set(Opening::Upgrading(upgrade.clone()));
                // A fault while opening ends in a problem the window shows, not in "Opening…" for ever.
                let opening =
                    std::panic::catch_unwind(AssertUnwindSafe(|| Workspace::open_telling_upgrade(&file, upgrading)));
                let workspace = opening.unwrap_or_else(|_| Err(stopped(&file))).map(Arc::new);
                shared.set(Opening::Done(workspace.clone()));
                if let Ok(ws) = workspace {
                    then(ws);
                }
            })
            .expect("a thread to open the workspace");
        AppState { path, opened, session: Mutex::new(None) }
    }

    /// The workspace, once open (waiting the moment that takes), or why it cannot be used.
    pub fn workspace(&self) -> Result<Arc<Workspace>> {
        match self.opened.wait(Duration::ZERO) {
            Opening::Done(workspace) => workspace.map_err(Error::from),
            Opening::Upgrading(_) => Err(Error::new(
                Code::Unavailable,
                "Roster is still upgrading this workspace: wait until the window shows the sign-in screen.",
            )),
        }
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

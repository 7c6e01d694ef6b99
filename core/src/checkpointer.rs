//! Copies the WAL back into the workspace file on a thread of its own, so that no commit waits for
//! it. SQLite's automatic checkpoint runs inside the commit that crosses its threshold: after a bulk
//! change that is most of the change's time (a 10,000-person deactivation waited 250 ms for it).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// Rows a workspace changes before the WAL is copied back: about what fills SQLite's default
/// threshold of 1,000 pages.
pub(crate) const ROWS_PER_CHECKPOINT: u64 = 1_000;

/// A request for a checkpoint, with where to say it is done.
type Request = Option<Sender<()>>;

pub(crate) struct Checkpointer {
    path: PathBuf,
    /// Held while any checkpoint runs: SQLite refuses a second one at the same time instead of waiting.
    pub(crate) running: Arc<Mutex<()>>,
    worker: Mutex<Option<(Sender<Request>, JoinHandle<()>)>>,
}

impl Checkpointer {
    pub(crate) fn new(path: &Path) -> Checkpointer {
        Checkpointer { path: path.to_path_buf(), running: Arc::default(), worker: Mutex::new(None) }
    }

    /// Asks for a checkpoint soon. The thread and its connection start on the first request, so a
    /// short `rosterctl` run never starts them.
    pub(crate) fn request(&self) {
        self.send(None, true);
    }

    /// Once a checkpoint was asked for: returns when the WAL written so far is back in the file (as
    /// far as no reader still needs it).
    pub(crate) fn wait(&self) {
        let (done, finished) = mpsc::channel();
        if self.send(Some(done), false) {
            let _ = finished.recv();
        }
    }

    /// Whether the request reached the thread, which `start` starts if it is not running yet.
    fn send(&self, request: Request, start: bool) -> bool {
        let mut worker = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((wake, _)) = worker.as_ref() {
            return wake.send(request).is_ok();
        }
        if !start {
            return false;
        }
        let Ok(conn) = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) else {
            return false; // no checkpoint now; the next request tries again, and closing checkpoints
        };
        let (wake, woken) = mpsc::channel();
        let running = self.running.clone();
        let thread = std::thread::Builder::new()
            .name("roster-checkpoint".into())
            .spawn(move || run(conn, woken, running))
            .expect("a thread for checkpoints");
        let sent = wake.send(request).is_ok();
        *worker = Some((wake, thread));
        sent
    }
}

fn run(conn: Connection, woken: Receiver<Request>, running: Arc<Mutex<()>>) {
    let _ = conn.busy_timeout(Duration::from_secs(5));
    while let Ok(first) = woken.recv() {
        // Requests made while the last checkpoint ran: one checkpoint serves them all.
        let waiting: Vec<Sender<()>> = std::iter::once(first).chain(woken.try_iter()).flatten().collect();
        let held = running.lock().unwrap_or_else(|p| p.into_inner());
        // PASSIVE: copies what no reader still needs and never blocks the writer; a failed attempt is
        // retried with the next request, and the WAL stays correct meanwhile.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        drop(held);
        for done in waiting {
            let _ = done.send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let worker = self.worker.get_mut().unwrap_or_else(|p| p.into_inner()).take();
        if let Some((wake, thread)) = worker {
            drop(wake);
            let _ = thread.join();
        }
    }
}

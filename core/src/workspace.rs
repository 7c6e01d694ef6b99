//! The workspace: one SQLite file (WAL, foreign keys on), versioned migrations, and the checks that keep
//! Roster from touching a file that is not its own.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use serde::Serialize;

use crate::checkpointer::{self, Checkpointer};
use crate::error::{Error, Result};

/// `PRAGMA application_id` of every Roster workspace ("Rost").
pub const APPLICATION_ID: i32 = 0x526f_7374;

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_initial.sql"),
    include_str!("../migrations/002_access.sql"),
    include_str!("../migrations/003_merge.sql"),
    include_str!("../migrations/004_hris.sql"),
    include_str!("../migrations/005_import_files.sql"),
    include_str!("../migrations/006_indexes.sql"),
    include_str!("../migrations/007_mentions.sql"),
    include_str!("../migrations/008_no_search_column.sql"),
    include_str!("../migrations/009_no_self_foreign_keys.sql"),
    include_str!("../migrations/010_admins_index.sql"),
    include_str!("../migrations/011_mentions_delete_words_at_once.sql"),
    include_str!("../migrations/012_deactivation_texts_index.sql"),
    include_str!("../migrations/013_status_index.sql"),
    include_str!("../migrations/014_audit_texts.sql"),
    include_str!("../migrations/015_audit_rows_cheaply.sql"),
    include_str!("../migrations/016_fewer_lifecycle_indexes.sql"),
    include_str!("../migrations/017_audit_writes.sql"),
    include_str!("../migrations/018_links_checked_after_update.sql"),
    include_str!("../migrations/019_pages_of_16_kib.sql"),
    include_str!("../migrations/020_lifecycle_table.sql"),
    include_str!("../migrations/021_manager_link_by_foreign_key.sql"),
    include_str!("../migrations/022_deactivated_index_by_person.sql"),
    include_str!("../migrations/023_audit_entries_linked_by_person.sql"),
];

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// SQLite's page cache while a write runs: big enough that a bulk change (10,000 people, every page
/// of `people`) stays in memory until its commit instead of being written out and read back. Reads
/// keep SQLite's default, so an idle app holds little.
const WRITE_CACHE_KIB: i64 = 64 * 1024;
const READ_CACHE_KIB: i64 = 2_000;

/// The size of the workspace file's pages (see migrations/019_pages_of_16_kib.sql).
const PAGE_SIZE: i64 = 16 * 1024;

pub struct Workspace {
    /// Declared before `conn`: its connection closes first, so `conn` closes last and removes the WAL.
    checkpointer: Option<Checkpointer>,
    /// `conn.total_changes()` when a checkpoint was last asked for.
    changes_at_checkpoint: AtomicU64,
    conn: Mutex<Connection>,
    /// Rows of `people`, `lifecycle` and `aliases` this connection changed so far (SQLite's update hook).
    people_changes: Arc<AtomicU64>,
    /// The directory's index of everyone, kept while people stay as they were.
    pub(crate) directory_index: Mutex<Option<Arc<crate::directory::Index>>>,
    path: Option<PathBuf>,
    /// Held for the workspace's lifetime so a second Roster sees the file as taken.
    _lock: Option<File>,
}

/// Why a workspace could not be opened. The app shows it on a full screen; the file is left untouched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{title}: {message}")]
pub struct OpenProblem {
    pub code: ProblemCode,
    pub title: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    NotAWorkspace,
    NewerVersion,
    ReadOnly,
    Locked,
    Unreadable,
}

impl OpenProblem {
    fn new(code: ProblemCode, title: &str, message: String) -> Self {
        OpenProblem { code, title: title.into(), message }
    }
}

impl From<OpenProblem> for Error {
    fn from(p: OpenProblem) -> Self {
        Error::precondition_failed(format!("{}: {}", p.title, p.message))
    }
}

/// An upgrade about to run: the workspace was written by an older Roster and migrates forward, after
/// a copy of it as it was is kept at `backup`. For a big company this takes a while.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Upgrade {
    pub from: i32,
    pub to: i32,
    pub backup: String,
}

impl Workspace {
    /// Opens the workspace at `path`, creating it (and its folder) when it does not exist yet.
    pub fn open(path: &Path) -> Result<Workspace, OpenProblem> {
        Self::open_telling_upgrade(path, |_| {})
    }

    /// `open`, calling `upgrading` first when the workspace is about to be upgraded, so that the app
    /// can say so while it runs.
    pub fn open_telling_upgrade(path: &Path, upgrading: impl FnOnce(&Upgrade)) -> Result<Workspace, OpenProblem> {
        let shown = path.display();
        let unreadable = |e: std::io::Error| {
            OpenProblem::new(
                ProblemCode::Unreadable,
                "Roster cannot open this file",
                format!("{shown}: {e}. Check the path and its permissions."),
            )
        };
        if !path.exists() {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(unreadable)?;
            }
        }
        let read_only = || {
            OpenProblem::new(
                ProblemCode::ReadOnly,
                "This workspace is read-only",
                format!(
                    "Roster needs to write to {shown}, but the file (or its disk) is read-only. \
                     Make it writable, or open a copy in a folder you can write to."
                ),
            )
        };
        // Checked on the mode bits too: root may open a read-only file for writing, but it is not ours to change.
        if path.metadata().is_ok_and(|m| m.permissions().readonly()) {
            return Err(read_only());
        }
        let mut file = match OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path) {
            Ok(f) => f,
            Err(e) if matches!(e.kind(), ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem) => {
                return Err(read_only())
            }
            Err(e) => return Err(unreadable(e)),
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(OpenProblem::new(
                    ProblemCode::Locked,
                    "This workspace is open in another Roster",
                    format!(
                    "{shown} is in use by another Roster window. Close that window first, or open another workspace."
                ),
                ))
            }
            Err(TryLockError::Error(e)) => return Err(unreadable(e)),
        }
        let mut header = [0u8; 16];
        let len = file.read(&mut header).map_err(unreadable)?;
        if len > 0 && (len < header.len() || &header != SQLITE_HEADER) {
            return Err(not_a_workspace(path));
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| unreadable(std::io::Error::other(e)))?;
        // Look before writing anything: a foreign or newer file must stay byte for byte as it was.
        check_identity(&conn, path)?;
        let ws = Workspace::with(conn, Some(path.to_path_buf()), Some(file));
        ws.prepare(upgrading).map_err(|e| unreadable(std::io::Error::other(e)))?;
        Ok(ws)
    }

    /// A private workspace in memory, for tests and benchmarks.
    pub fn in_memory() -> Result<Workspace> {
        let ws = Workspace::with(Connection::open_in_memory()?, None, None);
        ws.prepare(|_| {})?;
        Ok(ws)
    }

    fn with(conn: Connection, path: Option<PathBuf>, lock: Option<File>) -> Workspace {
        let people_changes = Arc::new(AtomicU64::new(0));
        let counter = people_changes.clone();
        conn.update_hook(Some(move |_, _: &str, table: &str, _| {
            if matches!(table, "people" | "lifecycle" | "aliases") {
                counter.fetch_add(1, AtomicOrdering::Relaxed);
            }
        }));
        Workspace {
            checkpointer: path.as_deref().map(Checkpointer::new),
            changes_at_checkpoint: AtomicU64::new(0),
            conn: Mutex::new(conn),
            people_changes,
            directory_index: Mutex::new(None),
            path,
            _lock: lock,
        }
    }

    /// Which state of the people a read sees: this connection's changes to them, and other
    /// connections' commits (`PRAGMA data_version`). The same version means the same people.
    pub(crate) fn people_version_tx(&self, tx: &Transaction) -> Result<(u64, i64)> {
        let others: i64 = tx.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((self.people_changes.load(AtomicOrdering::Relaxed), others))
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A read-only connection of its own to the workspace file, for a long read that should not hold
    /// the workspace meanwhile (None for a workspace in memory).
    pub(crate) fn reader(&self) -> Result<Option<Connection>> {
        let Some(path) = &self.path else { return Ok(None) };
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        Ok(Some(conn))
    }

    fn prepare(&self, upgrading: impl FnOnce(&Upgrade)) -> Result<()> {
        let mut conn = self.lock();
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Deleted means gone: freed space is zeroed, not left holding old rows.
        conn.pragma_update(None, "secure_delete", true)?;
        // Takes effect in a new workspace, which has no page yet; an older one is rewritten by `migrate`.
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        // A bulk statement's journal (the pages it changed, to undo itself if it fails) and big sorts
        // stay in memory: no temp file holds copies of people's rows, and a change of 10,000 people
        // does not write and drop one (~10% of its time).
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        if self.path.is_some() {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            // Checkpoints run on the checkpointer's thread, not inside a commit.
            conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        }
        if let Some(path) = &self.path {
            let from: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            // Version 0 is a new workspace: set up, not upgraded.
            if (1..SCHEMA_VERSION).contains(&from) {
                let backup = backup_path(path, from);
                upgrading(&Upgrade { from, to: SCHEMA_VERSION, backup: backup.display().to_string() });
                back_up(&conn, path, &backup)?;
            }
        }
        migrate(&mut conn)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll back), so
        // the connection stays usable.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all of it is committed, or none of it.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        conn.pragma_update(None, "cache_size", -WRITE_CACHE_KIB)?;
        let written = Self::commit(&mut conn, f);
        // Whatever happened to the write is what the caller hears: a failed reset only leaves the
        // cache bigger until the next write.
        let _ = conn.pragma_update(None, "cache_size", -READ_CACHE_KIB);
        if let Some(checkpointer) = &self.checkpointer {
            let changes = conn.total_changes();
            let last = self.changes_at_checkpoint.load(AtomicOrdering::Relaxed);
            if changes.saturating_sub(last) >= checkpointer::ROWS_PER_CHECKPOINT {
                self.changes_at_checkpoint.store(changes, AtomicOrdering::Relaxed);
                checkpointer.request();
            }
        }
        written
    }

    fn commit<T>(conn: &mut Connection, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Copies everything in the WAL into the file and empties the WAL, so no old page lingers there.
    pub fn checkpoint_truncate(&self) -> Result<()> {
        let _alone = self.checkpointer.as_ref().map(|c| c.running.lock().unwrap_or_else(|p| p.into_inner()));
        let conn = self.lock();
        let (busy, _, _): (i64, i64, i64) =
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        if busy != 0 {
            return Err(Error::new(
                crate::error::Code::Unavailable,
                "Another program is reading the workspace, so Roster could not finish wiping its journal: close it and try again.",
            ));
        }
        Ok(())
    }

    /// Returns once the checkpoints asked for so far are done: the WAL's pages are back in the file.
    /// (Benchmarks wait between samples, so one sample's checkpoint does not slow the next.)
    pub fn wait_for_checkpoint(&self) {
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.wait();
        }
    }

    /// Runs `f` on a consistent snapshot.
    pub fn read<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        f(&tx)
    }
}

fn not_a_workspace(path: &Path) -> OpenProblem {
    OpenProblem::new(
        ProblemCode::NotAWorkspace,
        "This file is not a Roster workspace",
        format!(
            "{} is not a workspace Roster made, so Roster left it as it is. \
             Choose a Roster workspace, or a new file name to start a new one.",
            path.display()
        ),
    )
}

fn check_identity(conn: &Connection, path: &Path) -> Result<(), OpenProblem> {
    let read = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map_err(|_| not_a_workspace(path));
    let app_id = read("PRAGMA application_id")?;
    let version = read("PRAGMA user_version")?;
    let objects = read("SELECT count(*) FROM sqlite_schema")?;
    if app_id == 0 && version == 0 && objects == 0 {
        return Ok(()); // an empty database: ours to set up
    }
    if app_id != i64::from(APPLICATION_ID) {
        return Err(not_a_workspace(path));
    }
    if version > i64::from(SCHEMA_VERSION) {
        return Err(OpenProblem::new(
            ProblemCode::NewerVersion,
            "This workspace is from a newer Roster",
            format!(
                "{} was written by a newer version of Roster (workspace version {version}; this Roster reads up to {SCHEMA_VERSION}). \
                 Install the newer Roster to open it; this one has not changed it.",
                path.display()
            ),
        ));
    }
    Ok(())
}

/// Where the copy of a workspace of schema `version` is kept before it migrates forward:
/// `workspace.roster` → `workspace.roster.v3-backup`.
pub fn backup_path(path: &Path, version: i32) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".v{version}-backup"));
    path.with_file_name(name)
}

/// An upgraded Roster keeps a copy of the workspace as the older Roster left it, before changing it:
/// a consistent snapshot (`VACUUM INTO`) next to the file. An existing copy of that version is kept.
fn back_up(conn: &Connection, path: &Path, backup: &Path) -> Result<()> {
    if backup.exists() {
        return Ok(());
    }
    conn.execute("VACUUM INTO ?1", [backup.to_string_lossy()]).map_err(|e| {
        Error::new(
            crate::error::Code::Unavailable,
            format!(
                "Roster could not keep a copy of this workspace before upgrading it ({e}), so it left the file as it is: \
                 free some space next to {}, or make that folder writable, and open it again.",
                path.display()
            ),
        )
    })?;
    Ok(())
}

/// The first version that zeroes deleted content (`secure_delete`).
const ZEROES_DELETED_CONTENT: i32 = 3;

fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", index as i32 + 1)?;
        tx.commit()?;
    }
    // A workspace in pages of another size (older than version 19) is rewritten in pages of
    // `PAGE_SIZE`. When that cannot be done now (another program has the file open, or there is no
    // room for the copy it needs), the workspace works as it is, only slower, and the next opening
    // tries again. One written before deleted content was zeroed is rewritten in any case.
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    let rewritten = current >= 1 && page_size != PAGE_SIZE && rewrite_in_pages_of(conn, PAGE_SIZE).is_ok();
    if !rewritten && (1..ZEROES_DELETED_CONTENT).contains(&current) {
        conn.execute_batch("VACUUM")?;
    }
    Ok(())
}

/// Rewrites the workspace in pages of `size`: outside WAL mode, where SQLite cannot change it. VACUUM
/// is all or nothing: if it fails, the workspace is as it was.
fn rewrite_in_pages_of(conn: &Connection, size: i64) -> Result<()> {
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    // SQLite leaves WAL mode only when no other connection has the file open; else it stays in it.
    let mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    if mode != "delete" {
        return Err(Error::new(crate::error::Code::Unavailable, "Another program has the workspace open."));
    }
    conn.pragma_update(None, "page_size", size)?;
    let rewritten = conn.execute_batch("VACUUM");
    conn.pragma_update(None, "journal_mode", journal)?;
    Ok(rewritten?)
}

/// Where the app and `rosterctl` keep the workspace when none is given: the app's data folder
/// (`$XDG_DATA_HOME/app.roster.desktop`, Tauri's app data dir for our identifier).
pub fn default_path() -> PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".local/share"));
    data.join("app.roster.desktop").join("workspace.roster")
}

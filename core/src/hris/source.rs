//! Where the HRIS export comes from: a local folder (a share the HRIS drops its exports on, the
//! default) or an SFTP server. Admin > Integrations > SFTP edits it; "Test connection" shows what the
//! source holds and, for SFTP, the server's host key to accept once; `fetch` brings the newest file
//! that matches the pattern.
//!
//! The SFTP password or key passphrase lives in the OS keyring under the workspace's id, never in the
//! workspace file. The server's host key is pinned (its SHA-256 fingerprint): a server that shows
//! another key is refused.
//!
//! `fetch` and `test_connection` block while they talk to the server: at most 15 s to connect, 15 s to
//! sign in, 15 s for each SFTP request, and for the download 60 s plus 1 s per 256 KiB of the file
//! (and 15 s without progress). Call them off the UI thread.

use std::path::Path;

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::plan::{self, Missing};
use super::{folder, sftp, ImportFile};
use crate::access::require_admin_tx;
use crate::audit::{self, Action, Actor, Entry};
use crate::error::{Code, Error, Result};
use crate::people;
use crate::secrets;
use crate::settings;
use crate::workspace::Workspace;

/// The SFTP port when none is set.
pub const DEFAULT_PORT: u16 = 22;
/// The file pattern when none is set.
pub const DEFAULT_PATTERN: &str = "*.csv";
/// Minutes between two automatic imports when none is set.
pub const DEFAULT_INTERVAL_MINUTES: i64 = 60;
/// The shortest and longest interval between automatic imports, in minutes.
pub const INTERVAL_MINUTES: std::ops::RangeInclusive<i64> = 5..=1440;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A folder on this computer (or a share mounted on it).
    Folder,
    /// An SFTP server.
    Sftp,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Folder => "folder",
            Kind::Sftp => "sftp",
        }
    }
}

/// The source as the admin sets it. The fields of the kind not chosen are kept (switching back
/// finds them again) but not checked.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SourceSettings {
    pub kind: Kind,
    /// Folder kind: the folder that receives the exports.
    pub folder: Option<String>,
    /// Which files count as exports, e.g. `*.csv` or `employees_*.csv` (case-insensitive); the newest
    /// matching file is imported.
    pub pattern: String,
    pub host: Option<String>,
    /// The SFTP port; none means 22.
    pub port: Option<u16>,
    pub username: Option<String>,
    /// A private key file (OpenSSH format, ed25519 or RSA). Without one, Roster signs in with the
    /// password kept in the keyring.
    pub key_path: Option<String>,
    /// The folder on the server that holds the exports (absolute, or relative to the user's home).
    pub remote_folder: Option<String>,
}

impl Default for SourceSettings {
    fn default() -> Self {
        SourceSettings {
            kind: Kind::Folder,
            folder: None,
            pattern: DEFAULT_PATTERN.into(),
            host: None,
            port: None,
            username: None,
            key_path: None,
            remote_folder: None,
        }
    }
}

/// What Admin > Integrations > SFTP shows.
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct SourceView {
    pub settings: SourceSettings,
    /// The pinned host key fingerprint (`SHA256:…`), once an admin accepted it.
    pub host_key: Option<String>,
    /// Whether the keyring holds the SFTP password (or the key's passphrase, with a key file).
    pub secret_stored: bool,
    pub keyring: secrets::Availability,
    /// "Run automatic imports".
    pub automatic: bool,
    pub interval_minutes: i64,
    pub rules: Rules,
}

/// How the source's files are applied: people missing from the file, the safeguard of automatic
/// imports, and the code page of files that are not UTF-8.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Rules {
    pub missing: Missing,
    /// An automatic import that would deactivate more than this share of the active people is held for review.
    pub threshold_percent: i64,
    /// How a file that is not UTF-8 is read, e.g. `windows-1252` (Excel's).
    pub fallback_encoding: String,
}

/// The safeguard's threshold: 1% to 100% of the active people.
pub const THRESHOLD_PERCENT: std::ops::RangeInclusive<i64> = 1..=100;

/// The newest matching file and where it came from.
pub struct Fetched {
    pub file: ImportFile,
    /// `sftp://host:port/folder/file.csv`, or the local path.
    pub origin: String,
}

impl std::fmt::Debug for Fetched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetched")
            .field("name", &self.file.name)
            .field("bytes", &self.file.bytes.len())
            .field("origin", &self.origin)
            .finish()
    }
}

/// What "Test connection" found.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionTest {
    /// The server's host key, `SHA256:…` as `ssh-keygen -lf` prints it; empty for a folder.
    pub fingerprint: String,
    /// Whether that key is the pinned one. When it is not (and nothing was pinned), the admin compares
    /// it with the one the server's administrator gives and accepts it (`accept_host_key`); Roster did
    /// not sign in to a server it does not know yet.
    pub pinned: bool,
    /// The pinned key, when the server now shows another one: Roster refused to go on.
    pub changed_from: Option<String>,
    /// The matching files, newest first (once connected and signed in).
    pub files: Vec<String>,
    /// One sentence for the admin.
    pub message: String,
}

// ---------------------------------------------------------------------------------------------------
// Reading and saving

/// The stored row, with the defaults when there is none yet.
struct Stored {
    settings: SourceSettings,
    host_key: Option<String>,
    automatic: bool,
    interval_minutes: i64,
}

fn stored_tx(tx: &Transaction) -> Result<Stored> {
    let row = tx
        .query_row(
            "SELECT kind, folder, pattern, host, port, username, key_path, remote_folder, host_key, automatic,
                    interval_minutes
             FROM import_source WHERE id = 1",
            [],
            |r| {
                let kind: String = r.get(0)?;
                let port: Option<i64> = r.get(4)?;
                Ok(Stored {
                    settings: SourceSettings {
                        kind: if kind == "sftp" { Kind::Sftp } else { Kind::Folder },
                        folder: r.get(1)?,
                        pattern: r.get(2)?,
                        host: r.get(3)?,
                        port: port.and_then(|p| u16::try_from(p).ok()),
                        username: r.get(5)?,
                        key_path: r.get(6)?,
                        remote_folder: r.get(7)?,
                    },
                    host_key: r.get(8)?,
                    automatic: r.get::<_, i64>(9)? != 0,
                    interval_minutes: r.get(10)?,
                })
            },
        )
        .optional()?;
    Ok(row.unwrap_or(Stored {
        settings: SourceSettings::default(),
        host_key: None,
        automatic: false,
        interval_minutes: DEFAULT_INTERVAL_MINUTES,
    }))
}

fn ensure_row_tx(tx: &Transaction) -> Result<()> {
    tx.execute("INSERT INTO import_source (id) VALUES (1) ON CONFLICT (id) DO NOTHING", [])?;
    Ok(())
}

/// The keyring account of this workspace's SFTP password or key passphrase.
fn secret_account(workspace_id: &str) -> String {
    format!("sftp:{workspace_id}")
}

fn rules_tx(tx: &Transaction) -> Result<Rules> {
    let s = plan::settings_tx(tx)?;
    Ok(Rules { missing: s.missing, threshold_percent: s.threshold_percent, fallback_encoding: s.fallback_encoding })
}

fn view(ws: &Workspace) -> Result<SourceView> {
    let (stored, rules, workspace_id) =
        ws.read(|tx| Ok((stored_tx(tx)?, rules_tx(tx)?, settings::workspace_id_tx(tx)?)))?;
    let keyring = secrets::availability();
    let secret_stored = match (&workspace_id, keyring.available) {
        // A keyring that fails to answer (locked, say) must not hide the rest of the settings.
        (Some(id), true) => secrets::get(&secret_account(id)).ok().flatten().is_some(),
        _ => false,
    };
    Ok(SourceView {
        settings: stored.settings,
        host_key: stored.host_key,
        secret_stored,
        keyring,
        automatic: stored.automatic,
        interval_minutes: stored.interval_minutes,
        rules,
    })
}

/// The source, whether its secret is stored, and the "Run automatic imports" switch. Without a saved
/// source: a folder source with the pattern `*.csv` and no folder yet.
pub fn get(ws: &Workspace) -> Result<SourceView> {
    view(ws)
}

/// Trims a text field; an empty one is none.
fn tidy(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// Checks what an admin typed and returns it tidied.
fn check(settings: &SourceSettings) -> Result<SourceSettings> {
    let pattern = settings.pattern.trim().to_string();
    folder::matcher(&pattern)?;
    let tidied = SourceSettings {
        kind: settings.kind,
        folder: tidy(&settings.folder),
        pattern,
        host: tidy(&settings.host),
        port: settings.port,
        username: tidy(&settings.username),
        key_path: tidy(&settings.key_path),
        remote_folder: tidy(&settings.remote_folder),
    };
    match tidied.kind {
        Kind::Folder => {
            let Some(dir) = &tidied.folder else {
                return Err(Error::invalid_input(
                    "Choose the folder that receives the HRIS exports (for example a mounted share).",
                ));
            };
            if !Path::new(dir).is_absolute() {
                return Err(Error::invalid_input(format!(
                    "“{dir}” is not a full path: choose the folder with its full path, for example /mnt/hr/exports."
                )));
            }
        }
        Kind::Sftp => {
            let Some(host) = &tidied.host else {
                return Err(Error::invalid_input(
                    "Enter the SFTP server's host name, for example sftp.example.com (your HRIS provider gives it).",
                ));
            };
            check_host(host)?;
            if tidied.port == Some(0) {
                return Err(Error::invalid_input(
                    "Port 0 is not possible: use the port your HRIS provider gives, usually 22.",
                ));
            }
            if tidied.username.is_none() {
                return Err(Error::invalid_input(
                    "Enter the user name Roster signs in with on the SFTP server (your HRIS provider gives it).",
                ));
            }
            if tidied.remote_folder.is_none() {
                return Err(Error::invalid_input(
                    "Enter the folder on the SFTP server that holds the exports, for example /exports (or . for \
                     the user's home folder).",
                ));
            }
            if let Some(key) = &tidied.key_path {
                let path = Path::new(key);
                if !path.is_absolute() {
                    return Err(Error::invalid_input(format!(
                        "“{key}” is not a full path: choose the private key file with its full path."
                    )));
                }
                if !path.is_file() {
                    return Err(Error::invalid_input(format!(
                        "There is no private key file at {key}: choose the key file (OpenSSH format, for example \
                         id_ed25519), or remove it to sign in with a password."
                    )));
                }
            }
        }
    }
    Ok(tidied)
}

fn check_host(host: &str) -> Result<()> {
    let ipv6 = host.parse::<std::net::Ipv6Addr>().is_ok();
    let odd = host.chars().any(|c| c.is_whitespace() || "/@?#\\".contains(c) || (c == ':' && !ipv6));
    if odd || host.starts_with('.') || host.starts_with('-') {
        return Err(Error::invalid_input(format!(
            "“{host}” is not a host name: write only the server's name, for example sftp.example.com (the port \
             goes in its own field, the folder in “Remote folder”)."
        )));
    }
    Ok(())
}

/// The fields an audit entry shows (never the secret).
fn audit_fields(settings: &SourceSettings) -> Value {
    json!({
        "kind": settings.kind.as_str(),
        "folder": settings.folder,
        "pattern": settings.pattern,
        "host": settings.host,
        "port": settings.port,
        "username": settings.username,
        "keyPath": settings.key_path,
        "remoteFolder": settings.remote_folder,
    })
}

/// What `save` does to the secret in the keyring.
enum Keyring<'a> {
    Keep,
    Store(&'a str),
    Forget,
}

/// Admin only, audited. Saves the source. `secret`: `None` keeps the stored one, `Some("")` removes
/// it, `Some(s)` keeps `s` (the SFTP password, or the key file's passphrase) in the OS keyring — refused
/// (precondition_failed) when this desktop has none. A new host or port forgets the pinned host key:
/// the next "Test connection" shows the new server's key to accept.
pub fn save(ws: &Workspace, actor: &Actor, settings: &SourceSettings, secret: Option<&str>) -> Result<SourceView> {
    ws.read(|tx| require_admin_tx(tx, actor))?;
    let settings = check(settings)?;
    let change = match secret {
        None => Keyring::Keep,
        Some("") => Keyring::Forget,
        Some(s) => Keyring::Store(s),
    };
    if matches!(change, Keyring::Store(_)) && settings.host.is_none() {
        return Err(Error::invalid_input(
            "A password or passphrase is for an SFTP server: fill in the server, or leave the password empty.",
        ));
    }
    let keyring = secrets::availability();
    if matches!(change, Keyring::Store(_)) && !keyring.available {
        return Err(Error::precondition_failed(format!(
            "Roster cannot keep the password or passphrase: {} Nothing was saved.",
            keyring.message
        )));
    }
    let account = secret_account(&ws.write(settings::ensure_workspace_id_tx)?);
    // The keyring is asked outside the workspace's lock (it may ask the person to unlock it), before the
    // settings change; if that change then fails, the keyring gets its old secret back.
    let previous = match change {
        Keyring::Keep => None,
        _ => secrets::get(&account)?,
    };
    match change {
        Keyring::Forget => secrets::delete(&account)?,
        Keyring::Store(s) => secrets::store(&account, s)?,
        Keyring::Keep => {}
    }
    let saved = ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let before = stored_tx(tx)?;
        let moved = before.settings.host != settings.host
            || before.settings.port.unwrap_or(DEFAULT_PORT) != settings.port.unwrap_or(DEFAULT_PORT);
        let unpin = moved && before.host_key.is_some();
        ensure_row_tx(tx)?;
        tx.execute(
            "UPDATE import_source SET kind = ?1, folder = ?2, pattern = ?3, host = ?4, port = ?5, username = ?6,
                    key_path = ?7, remote_folder = ?8, host_key = CASE WHEN ?9 THEN NULL ELSE host_key END
             WHERE id = 1",
            params![
                settings.kind.as_str(),
                settings.folder,
                settings.pattern,
                settings.host,
                settings.port,
                settings.username,
                settings.key_path,
                settings.remote_folder,
                moved,
            ],
        )?;
        let mut after = audit_fields(&settings);
        let mut before_fields = audit_fields(&before.settings);
        match change {
            Keyring::Store(_) => after["secret"] = json!("changed"),
            Keyring::Forget if previous.is_some() => after["secret"] = json!("removed"),
            _ => {}
        }
        if unpin {
            before_fields["hostKey"] = json!(before.host_key);
            after["hostKey"] = Value::Null;
        }
        let entry = Entry {
            action: Action::ImportSourceChanged,
            subject: None,
            before: Some(before_fields),
            after: Some(after),
        };
        audit::record_tx(tx, actor, &people::new_id(), entry)
    });
    if let Err(err) = saved {
        let _ = match (&change, previous) {
            (Keyring::Keep, _) => Ok(()),
            (_, Some(old)) => secrets::store(&account, &old),
            (_, None) => secrets::delete(&account),
        };
        return Err(err);
    }
    view(ws)
}

/// Admin only, audited: turns "Run automatic imports" on or off. (Running them is the app's schedule.)
pub fn set_automatic(ws: &Workspace, actor: &Actor, on: bool) -> Result<SourceView> {
    ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let before = stored_tx(tx)?.automatic;
        if before == on {
            return Ok(());
        }
        ensure_row_tx(tx)?;
        tx.execute("UPDATE import_source SET automatic = ?1 WHERE id = 1", [on])?;
        let entry = Entry {
            action: Action::AutomaticImportsSwitched,
            subject: None,
            before: Some(json!({ "automatic": before })),
            after: Some(json!({ "automatic": on })),
        };
        audit::record_tx(tx, actor, &people::new_id(), entry)
    })?;
    view(ws)
}

/// Admin only, audited: minutes between two automatic imports (5 to 1440).
pub fn set_interval(ws: &Workspace, actor: &Actor, minutes: i64) -> Result<SourceView> {
    if !INTERVAL_MINUTES.contains(&minutes) {
        return Err(Error::invalid_input(format!(
            "Automatic imports can run every {} to {} minutes (24 hours), not every {minutes}.",
            INTERVAL_MINUTES.start(),
            INTERVAL_MINUTES.end()
        )));
    }
    ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let before = stored_tx(tx)?.interval_minutes;
        if before == minutes {
            return Ok(());
        }
        ensure_row_tx(tx)?;
        tx.execute("UPDATE import_source SET interval_minutes = ?1 WHERE id = 1", [minutes])?;
        let entry = Entry {
            action: Action::ImportIntervalChanged,
            subject: None,
            before: Some(json!({ "intervalMinutes": before })),
            after: Some(json!({ "intervalMinutes": minutes })),
        };
        audit::record_tx(tx, actor, &people::new_id(), entry)
    })?;
    view(ws)
}

/// Admin only, audited: how the source's files are applied (see `Rules`). The code page is checked
/// and kept under its standard name.
pub fn set_rules(ws: &Workspace, actor: &Actor, rules: &Rules) -> Result<SourceView> {
    if !THRESHOLD_PERCENT.contains(&rules.threshold_percent) {
        return Err(Error::invalid_input(format!(
            "The safeguard holds automatic imports that would deactivate more than 1% to 100% of the active people, \
             not {}%: choose a share in that range (10% is the default).",
            rules.threshold_percent
        )));
    }
    let label = rules.fallback_encoding.trim();
    let encoding =
        encoding_rs::Encoding::for_label(label.as_bytes()).filter(|e| e.output_encoding() == *e).ok_or_else(|| {
            Error::invalid_input(format!(
                "“{label}” is not a code page Roster can read files in: choose windows-1252 (Excel's), \
                 iso-8859-15 or another single-byte code page."
            ))
        })?;
    let rules = Rules { fallback_encoding: encoding.name().to_lowercase(), ..rules.clone() };
    ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let before = rules_tx(tx)?;
        if before == rules {
            return Ok(());
        }
        ensure_row_tx(tx)?;
        tx.execute(
            "UPDATE import_source SET missing = ?1, threshold_percent = ?2, fallback_encoding = ?3 WHERE id = 1",
            params![rules.missing.as_str(), rules.threshold_percent, rules.fallback_encoding],
        )?;
        let entry = Entry {
            action: Action::ImportRulesChanged,
            subject: None,
            before: Some(json!(before)),
            after: Some(json!(rules)),
        };
        audit::record_tx(tx, actor, &people::new_id(), entry)
    })?;
    view(ws)
}

/// Admin only, audited: pins exactly `fingerprint` (`SHA256:…`, as "Test connection" showed it) as
/// the SFTP server's host key.
pub fn accept_host_key(ws: &Workspace, actor: &Actor, fingerprint: &str) -> Result<SourceView> {
    let fingerprint = sftp::check_fingerprint(fingerprint)?;
    ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let stored = stored_tx(tx)?;
        let Some(host) = stored.settings.host.clone() else {
            return Err(Error::precondition_failed(
                "Save the SFTP server first (Admin > Integrations > SFTP), then Test connection to see its host key.",
            ));
        };
        if stored.host_key.as_deref() == Some(fingerprint.as_str()) {
            return Ok(());
        }
        tx.execute("UPDATE import_source SET host_key = ?1 WHERE id = 1", [&fingerprint])?;
        let entry = Entry {
            action: Action::HostKeyAccepted,
            subject: None,
            before: Some(json!({ "hostKey": stored.host_key })),
            after: Some(json!({
                "host": host,
                "port": stored.settings.port.unwrap_or(DEFAULT_PORT),
                "hostKey": fingerprint,
            })),
        };
        audit::record_tx(tx, actor, &people::new_id(), entry)
    })?;
    view(ws)
}

// ---------------------------------------------------------------------------------------------------
// Fetching

/// What `fetch` and `test_connection` need, read in one go (the secret from the keyring).
fn connection(ws: &Workspace) -> Result<(Stored, Option<String>)> {
    let (stored, workspace_id) = ws.read(|tx| Ok((stored_tx(tx)?, settings::workspace_id_tx(tx)?)))?;
    let secret = match (stored.settings.kind, workspace_id) {
        (Kind::Sftp, Some(id)) => secrets::get(&secret_account(&id))?,
        _ => None,
    };
    Ok((stored, secret))
}

fn local_folder(settings: &SourceSettings) -> Result<&Path> {
    settings.folder.as_deref().map(Path::new).ok_or_else(|| {
        Error::precondition_failed(
            "No HRIS source is set up yet: choose a folder or an SFTP server in Admin > Integrations > SFTP.",
        )
    })
}

fn server<'a>(stored: &'a Stored, secret: Option<&'a str>) -> Result<sftp::Server<'a>> {
    let settings = &stored.settings;
    let missing = || {
        Error::precondition_failed(
            "The SFTP server is not fully set up: fill in the host, user name and remote folder in Admin > \
             Integrations > SFTP.",
        )
    };
    let (Some(host), Some(username), Some(remote_folder)) =
        (settings.host.as_deref(), settings.username.as_deref(), settings.remote_folder.as_deref())
    else {
        return Err(missing());
    };
    let auth = match settings.key_path.as_deref() {
        Some(key) => sftp::Auth::Key { path: Path::new(key), passphrase: secret },
        None => match secret {
            Some(password) => sftp::Auth::Password(password),
            None => {
                return Err(Error::precondition_failed(
                    "Roster has no way to sign in to the SFTP server: choose a private key file, or enter the \
                     password, in Admin > Integrations > SFTP.",
                ))
            }
        },
    };
    Ok(sftp::Server {
        host,
        port: settings.port.unwrap_or(DEFAULT_PORT),
        username,
        auth,
        remote_folder,
        pattern: &settings.pattern,
        pinned: stored.host_key.as_deref(),
    })
}

/// The newest file matching the pattern, from the folder or the SFTP server, whole. Nothing is
/// changed. The errors say what to fix: no source, the folder missing, no matching file, the server
/// down or silent, the sign-in refused, a host key not accepted yet or changed (refused), the
/// connection dropped mid-file (nothing is returned), a time limit passed.
pub fn fetch(ws: &Workspace) -> Result<Fetched> {
    let (stored, secret) = connection(ws)?;
    match stored.settings.kind {
        Kind::Folder => {
            let matcher = folder::matcher(&stored.settings.pattern)?;
            let (path, file) = folder::newest(local_folder(&stored.settings)?, &matcher)?;
            Ok(Fetched { file, origin: path.display().to_string() })
        }
        Kind::Sftp => {
            let server = server(&stored, secret.as_deref())?;
            let (origin, file) = sftp::fetch(&server)?;
            Ok(Fetched { file, origin })
        }
    }
}

/// "Test connection". A folder: lists its matching files. An SFTP server: connects and shows its host
/// key; on a first connection (nothing pinned) it returns the fingerprint with `pinned: false` and
/// signs in to nothing, for the admin to accept the key; with a pinned key that differs it returns
/// `changed_from` and no files; with the pinned key it signs in and lists the matching files. Errors
/// as for `fetch`.
pub fn test_connection(ws: &Workspace) -> Result<ConnectionTest> {
    let (stored, secret) = connection(ws)?;
    match stored.settings.kind {
        Kind::Folder => {
            let matcher = folder::matcher(&stored.settings.pattern)?;
            let dir = local_folder(&stored.settings)?;
            let files = folder::list(dir, &matcher)?;
            let message = match files.first() {
                None => format!(
                    "Roster can read {}, but no file in it matches “{}” yet.",
                    dir.display(),
                    stored.settings.pattern
                ),
                Some(newest) => format!(
                    "Roster can read {}: {} matching file{}; the next import reads {}.",
                    dir.display(),
                    files.len(),
                    if files.len() == 1 { "" } else { "s" },
                    newest.name
                ),
            };
            Ok(ConnectionTest {
                fingerprint: String::new(),
                pinned: false,
                changed_from: None,
                files: files.into_iter().map(|f| f.name).collect(),
                message,
            })
        }
        Kind::Sftp => sftp::test(&server(&stored, secret.as_deref())?),
    }
}

/// The column mapping saved for this source, for HRIS exports that are not the template.
pub fn mapping(ws: &Workspace) -> Result<Option<super::Mapping>> {
    Ok(super::settings(ws)?.mapping)
}

/// Saves (or, with None, removes) the column mapping of this source (admin only, audited).
pub fn save_mapping(ws: &Workspace, actor: &Actor, mapping: Option<&super::Mapping>) -> Result<Option<super::Mapping>> {
    let json = mapping
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| Error::new(Code::Internal, format!("Could not save the column mapping: {e}")))?;
    ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        ensure_row_tx(tx)?;
        tx.execute("UPDATE import_source SET mapping = ?1 WHERE id = 1", [&json])?;
        let after = json!({ "mapping": if mapping.is_some() { "saved" } else { "removed" } });
        let entry = Entry { action: Action::ImportSourceChanged, subject: None, before: None, after: Some(after) };
        audit::record_tx(tx, actor, &people::new_id(), entry)
    })?;
    self::mapping(ws)
}

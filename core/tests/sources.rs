//! The HRIS sources: a local folder, and a real OpenSSH sshd on 127.0.0.1 for SFTP (host key pinning,
//! keys with and without a passphrase kept in the keyring, and every way a connection can fail).

mod common;
mod sshd;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use roster_core::audit::{self, Actor, Source};
use roster_core::hris::source::{self, Fetched, Kind, SourceSettings};
use roster_core::hris::{sync, Trigger};
use roster_core::{Code, Error, Workspace};

use common::Company;
use sshd::{KeyType, Sshd};

/// A company whose keyring is the test's own Secret Service.
fn company() -> Company {
    sshd::keyring::start();
    common::company(10)
}

fn actions(ws: &Workspace) -> Vec<String> {
    audit::list(ws, &audit::Filter::default(), 0, 1000).unwrap().entries.into_iter().map(|e| e.action).collect()
}

fn summaries(ws: &Workspace) -> Vec<String> {
    audit::list(ws, &audit::Filter::default(), 0, 1000).unwrap().entries.into_iter().map(|e| e.summary).collect()
}

/// Writes `bytes` to `dir/name` and sets its modification time `age` seconds in the past.
fn write(dir: &Path, name: &str, bytes: &[u8], age: u64) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(age))
        .unwrap();
    path
}

fn folder_settings(dir: &Path, pattern: &str) -> SourceSettings {
    SourceSettings {
        kind: Kind::Folder,
        folder: Some(dir.display().to_string()),
        pattern: pattern.into(),
        ..SourceSettings::default()
    }
}

fn sftp_settings(port: u16, key: Option<&Path>, remote_folder: &Path) -> SourceSettings {
    SourceSettings {
        kind: Kind::Sftp,
        folder: None,
        pattern: "*.csv".into(),
        host: Some("127.0.0.1".into()),
        port: Some(port),
        username: Some(sshd::user()),
        key_path: key.map(|k| k.display().to_string()),
        remote_folder: Some(remote_folder.display().to_string()),
    }
}

fn err(result: roster_core::Result<Fetched>) -> Error {
    result.expect_err("the fetch fails")
}

/// A CSV of `rows` people, about 100 bytes a row.
fn big_csv(rows: usize) -> Vec<u8> {
    let mut csv = String::from("First Name,Last Name,Login Email,Title,Department,Location,Employee ID,Hiring Date\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "First{i},Last{i},person{i}@acme.test,Senior Engineer {i},Engineering,Berlin Office,E{i:07},2020-01-15\n"
        ));
    }
    csv.into_bytes()
}

// ---------------------------------------------------------------------------------------------------
// Settings

#[test]
fn without_a_saved_source_it_is_an_empty_folder_source() {
    let c = company();
    let view = source::get(&c.ws).unwrap();
    assert_eq!(view.settings, SourceSettings::default());
    assert_eq!(view.settings.kind, Kind::Folder);
    assert_eq!(view.settings.pattern, "*.csv");
    assert_eq!((view.host_key, view.secret_stored, view.automatic, view.interval_minutes), (None, false, false, 60));
    assert!(view.keyring.available);

    let e = err(source::fetch(&c.ws));
    assert_eq!(e.code, Code::PreconditionFailed, "{e:?}");
    assert!(e.message.contains("Admin > Integrations > SFTP"), "{}", e.message);
    assert_eq!(source::test_connection(&c.ws).unwrap_err().code, Code::PreconditionFailed);
}

#[test]
fn saving_is_checked_admin_only_audited_and_kept() {
    let c = company();
    let folder = tempfile::tempdir().unwrap();
    let employee_id = common::add(&c.ws, "Eve", "Employee", None);
    let employee = Actor { id: Some(employee_id), name: "Eve Employee".into(), source: Source::App };
    let settings = folder_settings(folder.path(), "employees_*.csv");

    let e = source::save(&c.ws, &employee, &settings, None).unwrap_err();
    assert_eq!(e.code, Code::Forbidden, "{e:?}");
    assert_eq!(source::set_automatic(&c.ws, &employee, true).unwrap_err().code, Code::Forbidden);
    assert_eq!(source::set_interval(&c.ws, &employee, 30).unwrap_err().code, Code::Forbidden);
    assert_eq!(source::accept_host_key(&c.ws, &employee, "SHA256:abc").unwrap_err().code, Code::InvalidInput);

    let bad = |s: SourceSettings| source::save(&c.ws, &c.admin, &s, None).unwrap_err();
    for pattern in ["", "  ", "exports/*.csv", "*.{csv"] {
        let e = bad(folder_settings(folder.path(), pattern));
        assert_eq!(e.code, Code::InvalidInput, "{pattern}: {e:?}");
    }
    assert_eq!(bad(SourceSettings { folder: None, ..settings.clone() }).code, Code::InvalidInput);
    let e = bad(SourceSettings { folder: Some("exports".into()), ..settings.clone() });
    assert!(e.message.contains("full path"), "{}", e.message);
    let sftp = sftp_settings(22, None, Path::new("/exports"));
    assert_eq!(bad(SourceSettings { host: Some("sftp.acme.test:22".into()), ..sftp.clone() }).code, Code::InvalidInput);
    assert_eq!(bad(SourceSettings { port: Some(0), ..sftp.clone() }).code, Code::InvalidInput);
    assert_eq!(bad(SourceSettings { username: Some(" ".into()), ..sftp.clone() }).code, Code::InvalidInput);
    assert_eq!(bad(SourceSettings { remote_folder: None, ..sftp.clone() }).code, Code::InvalidInput);
    let e = bad(SourceSettings { key_path: Some("/nonexistent/id_ed25519".into()), ..sftp.clone() });
    assert!(e.message.contains("no private key file"), "{}", e.message);
    assert!(actions(&c.ws).iter().all(|a| a != "import_source_changed"), "nothing refused was saved");

    let view = source::save(&c.ws, &c.admin, &settings, None).unwrap();
    assert_eq!(view.settings, settings);
    let view = source::set_interval(&c.ws, &c.admin, 15).unwrap();
    assert_eq!(view.interval_minutes, 15);
    for minutes in [0, 4, 1441, -60] {
        assert_eq!(source::set_interval(&c.ws, &c.admin, minutes).unwrap_err().code, Code::InvalidInput);
    }
    assert!(source::set_automatic(&c.ws, &c.admin, true).unwrap().automatic);
    assert!(!source::set_automatic(&c.ws, &c.admin, false).unwrap().automatic);
    assert!(source::set_automatic(&c.ws, &c.admin, true).unwrap().automatic);
    // Setting what is already set records nothing.
    source::set_automatic(&c.ws, &c.admin, true).unwrap();
    let summaries = summaries(&c.ws);
    assert_eq!(
        summaries[..5],
        [
            "Turned automatic HRIS imports on",
            "Turned automatic HRIS imports off",
            "Turned automatic HRIS imports on",
            "Automatic HRIS imports every 15 minutes",
            &format!("HRIS source set to the folder {}", folder.path().display()),
        ]
    );

    // The switch and the source survive a restart.
    let path = c.dir.path().join("w.roster");
    drop(c.ws);
    let ws = Workspace::open(&path).unwrap();
    let view = source::get(&ws).unwrap();
    assert_eq!((view.settings, view.automatic, view.interval_minutes), (settings, true, 15));
}

// ---------------------------------------------------------------------------------------------------
// The folder source

#[test]
fn the_folder_source_reads_the_newest_matching_file() {
    let c = company();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "employees_2024-05-01.csv", b"old", 300);
    write(dir.path(), "employees_2024-05-02.csv", b"tie, lesser name", 100);
    write(dir.path(), "employees_2024-05-03.CSV", b"newest", 100); // same time: the greater name wins
    write(dir.path(), "notes.txt", b"not an export", 0);
    write(dir.path(), "other.csv", b"not the pattern", 0);
    std::fs::create_dir(dir.path().join("employees_folder.csv")).unwrap();
    source::save(&c.ws, &c.admin, &folder_settings(dir.path(), "employees_*.csv"), None).unwrap();

    let fetched = source::fetch(&c.ws).unwrap();
    assert_eq!(fetched.file.name, "employees_2024-05-03.CSV");
    assert_eq!(fetched.file.bytes, b"newest");
    assert_eq!(fetched.origin, dir.path().join("employees_2024-05-03.CSV").display().to_string());

    let test = source::test_connection(&c.ws).unwrap();
    assert_eq!(test.files, ["employees_2024-05-03.CSV", "employees_2024-05-02.csv", "employees_2024-05-01.csv"]);
    assert_eq!((test.fingerprint.as_str(), test.changed_from), ("", None));
    assert!(test.message.contains("3 matching files"), "{}", test.message);

    // A newer file lands: it is the one.
    write(dir.path(), "employees_2024-05-04.csv", b"newer", 0);
    assert_eq!(source::fetch(&c.ws).unwrap().file.bytes, b"newer");
}

#[test]
fn the_folder_source_says_what_is_missing() {
    let c = company();
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("not-mounted");
    source::save(&c.ws, &c.admin, &folder_settings(&gone, "*.csv"), None).unwrap();
    let e = err(source::fetch(&c.ws));
    assert_eq!(e.code, Code::NotFound, "{e:?}");
    assert!(e.message.contains(&gone.display().to_string()) && e.message.contains("does not exist"), "{}", e.message);
    assert_eq!(source::test_connection(&c.ws).unwrap_err(), e);

    source::save(&c.ws, &c.admin, &folder_settings(dir.path(), "*.csv"), None).unwrap();
    write(dir.path(), "export.xlsx", b"not csv", 0);
    let e = err(source::fetch(&c.ws));
    assert_eq!(e.code, Code::NotFound, "{e:?}");
    assert!(e.message.contains("No file in") && e.message.contains("*.csv"), "{}", e.message);
    let test = source::test_connection(&c.ws).unwrap();
    assert!(test.files.is_empty());
    assert!(test.message.contains("no file in it matches"), "{}", test.message);
}

// ---------------------------------------------------------------------------------------------------
// SFTP

/// A server with one authorized ed25519 key, a folder of exports, and a company set up for it.
struct Sftp {
    c: Company,
    sshd: Sshd,
    keys: tempfile::TempDir,
    key: sshd::Key,
    files: tempfile::TempDir,
}

fn sftp_company() -> Sftp {
    let c = company();
    let keys = tempfile::tempdir().unwrap();
    let key = sshd::keygen(keys.path(), "id_ed25519", KeyType::Ed25519, "");
    let sshd = Sshd::start(&[&key]);
    let files = tempfile::tempdir().unwrap();
    source::save(&c.ws, &c.admin, &sftp_settings(sshd.port, Some(&key.path), files.path()), None).unwrap();
    Sftp { c, sshd, keys, key, files }
}

impl Sftp {
    fn accept(&self) {
        source::accept_host_key(&self.c.ws, &self.c.admin, &self.sshd.fingerprint()).unwrap();
    }

    fn fetch(&self) -> roster_core::Result<Fetched> {
        let result = source::fetch(&self.c.ws);
        if let Err(e) = &result {
            eprintln!("fetch: {e:?}\nsshd log:\n{}", self.sshd.log());
        }
        result
    }
}

#[test]
fn first_connection_shows_the_host_key_then_the_newest_file_is_fetched_whole() {
    let s = sftp_company();
    write(s.files.path(), "employees_1.csv", b"first,export\n", 300);
    write(s.files.path(), "employees_2.csv", b"Login Email\r\nann@acme.test\r\n\xef\xbb\xbf", 60);
    write(s.files.path(), "readme.txt", b"newest, but not a CSV", 0);
    let audit_before = common::audit_count(&s.c.ws);

    // Never a fetch from a server whose key nobody accepted.
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::PreconditionFailed, "{e:?}");
    assert!(e.message.contains("not been accepted yet") && e.message.contains(&s.sshd.fingerprint()), "{}", e.message);

    // Test connection shows the fingerprint exactly as ssh-keygen -lf does, and signs in to nothing yet.
    let test = source::test_connection(&s.c.ws).unwrap();
    assert_eq!(test.fingerprint, s.sshd.fingerprint());
    assert!(test.fingerprint.starts_with("SHA256:"), "{}", test.fingerprint);
    assert!(!test.pinned && test.changed_from.is_none() && test.files.is_empty(), "{test:?}");
    assert!(test.message.contains("First connection") && test.message.contains(&test.fingerprint), "{}", test.message);
    assert!(!s.sshd.log().contains("Accepted publickey"), "no sign-in before the key is accepted:\n{}", s.sshd.log());
    assert_eq!(common::audit_count(&s.c.ws), audit_before, "testing changes nothing");

    let view = source::accept_host_key(&s.c.ws, &s.c.admin, &format!("  {}  ", test.fingerprint)).unwrap();
    assert_eq!(view.host_key.as_deref(), Some(test.fingerprint.as_str()));
    assert_eq!(actions(&s.c.ws)[0], "host_key_accepted");
    assert!(summaries(&s.c.ws)[0].contains(&test.fingerprint), "{:?}", summaries(&s.c.ws));

    let test = source::test_connection(&s.c.ws).unwrap();
    assert!(test.pinned && test.changed_from.is_none(), "{test:?}");
    assert_eq!(test.files, ["employees_2.csv", "employees_1.csv"]);
    assert!(test.message.contains("2 matching files"), "{}", test.message);

    let fetched = s.fetch().unwrap();
    assert_eq!(fetched.file.name, "employees_2.csv");
    assert_eq!(fetched.file.bytes, b"Login Email\r\nann@acme.test\r\n\xef\xbb\xbf");
    let remote = s.files.path().canonicalize().unwrap();
    assert_eq!(fetched.origin, format!("sftp://127.0.0.1:{}{}/employees_2.csv", s.sshd.port, remote.display()));
    assert!(s.sshd.log().contains("Accepted publickey"), "{}", s.sshd.log());

    // A new host or port is another server: its key must be accepted again.
    let mut moved = sftp_settings(s.sshd.port + 1, Some(&s.key.path), s.files.path());
    let view = source::save(&s.c.ws, &s.c.admin, &moved, None).unwrap();
    assert_eq!(view.host_key, None);
    moved.port = Some(s.sshd.port);
    source::save(&s.c.ws, &s.c.admin, &moved, None).unwrap();
    assert!(err(source::fetch(&s.c.ws)).message.contains("not been accepted yet"));
    // The same server saved again (another pattern) keeps its key.
    s.accept();
    moved.pattern = "employees_*.csv".into();
    assert!(source::save(&s.c.ws, &s.c.admin, &moved, None).unwrap().host_key.is_some());
    assert_eq!(s.fetch().unwrap().file.name, "employees_2.csv");
}

#[test]
fn a_changed_host_key_is_refused_until_accepted_again() {
    let mut s = sftp_company();
    write(s.files.path(), "employees.csv", b"a,b\n", 0);
    s.accept();
    let old = s.sshd.fingerprint();
    assert_eq!(s.fetch().unwrap().file.bytes, b"a,b\n");

    s.sshd.restart_with_new_host_key();
    let new = s.sshd.fingerprint();
    assert_ne!(old, new);
    let audit_before = common::audit_count(&s.c.ws);
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::PreconditionFailed, "{e:?}");
    assert!(
        e.message.starts_with(&format!("The server's host key changed from {old} to {new}: this may be an attack")),
        "{}",
        e.message
    );
    let test = source::test_connection(&s.c.ws).unwrap();
    assert_eq!(
        (test.fingerprint.as_str(), test.changed_from.as_deref(), test.pinned),
        (new.as_str(), Some(old.as_str()), false)
    );
    assert!(test.files.is_empty());
    assert!(test.message.contains("may be an attack"), "{}", test.message);
    assert_eq!(source::get(&s.c.ws).unwrap().host_key, Some(old), "the pinned key stays until an admin accepts");
    assert_eq!(common::audit_count(&s.c.ws), audit_before);
    let accepted_before = s.sshd.log().matches("Accepted publickey").count();
    assert_eq!(accepted_before, 1, "no sign-in to the changed server:\n{}", s.sshd.log());

    source::accept_host_key(&s.c.ws, &s.c.admin, &new).unwrap();
    assert_eq!(s.fetch().unwrap().file.bytes, b"a,b\n");
}

#[test]
fn a_key_that_is_not_authorized_is_refused_clearly() {
    let s = sftp_company();
    write(s.files.path(), "employees.csv", b"a,b\n", 0);
    s.accept();
    let stranger = sshd::keygen(s.keys.path(), "id_stranger", KeyType::Ed25519, "");
    source::save(&s.c.ws, &s.c.admin, &sftp_settings(s.sshd.port, Some(&stranger.path), s.files.path()), None).unwrap();
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::PreconditionFailed, "{e:?}");
    assert!(e.message.contains("refused to sign in") && e.message.contains("id_stranger"), "{}", e.message);
    assert_eq!(source::test_connection(&s.c.ws).unwrap_err(), e);

    // A file that is no key at all.
    let junk = s.keys.path().join("not_a_key");
    std::fs::write(&junk, "hello").unwrap();
    source::save(&s.c.ws, &s.c.admin, &sftp_settings(s.sshd.port, Some(&junk), s.files.path()), None).unwrap();
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::PreconditionFailed, "{e:?}");
    assert!(e.message.contains("not a private key"), "{}", e.message);
}

#[test]
fn an_rsa_key_with_a_passphrase_from_the_keyring_works_and_the_passphrase_stays_out_of_the_workspace() {
    let c = company();
    let keys = tempfile::tempdir().unwrap();
    let passphrase = "tr0ub4dor-and-3-horses-7f2c";
    let key = sshd::keygen(keys.path(), "id_rsa", KeyType::Rsa, passphrase);
    let sshd = Sshd::start(&[&key]);
    let files = tempfile::tempdir().unwrap();
    write(files.path(), "hr.csv", b"rsa,works\n", 0);
    let settings = sftp_settings(sshd.port, Some(&key.path), files.path());

    // Without the passphrase the key cannot be opened: said before any connection.
    source::save(&c.ws, &c.admin, &settings, None).unwrap();
    source::accept_host_key(&c.ws, &c.admin, &sshd.fingerprint()).unwrap();
    let e = err(source::fetch(&c.ws));
    assert_eq!(e.code, Code::PreconditionFailed, "{e:?}");
    assert!(e.message.contains("protected by a passphrase"), "{}", e.message);

    let view = source::save(&c.ws, &c.admin, &settings, Some("wrong passphrase")).unwrap();
    assert!(view.secret_stored);
    let e = err(source::fetch(&c.ws));
    assert_eq!(e.code, Code::PreconditionFailed, "{e:?}");
    assert!(e.message.contains("stored passphrase"), "{}", e.message);

    let view = source::save(&c.ws, &c.admin, &settings, Some(passphrase)).unwrap();
    assert!(view.secret_stored);
    let fetched = source::fetch(&c.ws).unwrap_or_else(|e| panic!("{e:?}\n{}", sshd.log()));
    assert_eq!(fetched.file.bytes, b"rsa,works\n");
    assert!(source::test_connection(&c.ws).unwrap().pinned);
    // Saving without a secret keeps it.
    assert!(source::save(&c.ws, &c.admin, &settings, None).unwrap().secret_stored);
    let entry = &audit::list(&c.ws, &audit::Filter::default(), 0, 10).unwrap().entries[1];
    assert_eq!(entry.action, "import_source_changed");
    assert_eq!(entry.after.as_ref().unwrap()["secret"], "changed");

    // The passphrase is in the keyring, nowhere in the workspace (file or journal).
    let workspace = c.dir.path().join("w.roster");
    for file in [workspace.clone(), workspace.with_extension("roster-wal")] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(!bytes.windows(passphrase.len()).any(|w| w == passphrase.as_bytes()), "{} holds it", file.display());
    }
    c.ws.checkpoint_truncate().unwrap();
    let bytes = std::fs::read(&workspace).unwrap();
    assert!(!bytes.windows(passphrase.len()).any(|w| w == passphrase.as_bytes()));

    // Removing it.
    let view = source::save(&c.ws, &c.admin, &settings, Some("")).unwrap();
    assert!(!view.secret_stored);
    assert!(err(source::fetch(&c.ws)).message.contains("protected by a passphrase"));
}

#[test]
fn a_wrong_password_is_refused_clearly_and_a_password_needs_a_server() {
    let s = sftp_company();
    s.accept();
    let password = sftp_settings(s.sshd.port, None, s.files.path());
    let e = source::save(&s.c.ws, &s.c.admin, &folder_settings(s.files.path(), "*.csv"), Some("secret")).unwrap_err();
    assert_eq!(e.code, Code::InvalidInput, "{e:?}");

    source::save(&s.c.ws, &s.c.admin, &password, Some("")).unwrap();
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::PreconditionFailed, "{e:?}");
    assert!(e.message.contains("no way to sign in"), "{}", e.message);

    source::save(&s.c.ws, &s.c.admin, &password, Some("not the password")).unwrap();
    let started = Instant::now();
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::PreconditionFailed, "{e:?}");
    assert!(e.message.contains("refused the user name") && e.message.contains("stored password"), "{}", e.message);
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
}

#[test]
fn a_server_that_is_down_or_silent_fails_quickly_and_clearly() {
    let s = sftp_company();
    s.accept();
    let down = sshd::free_port();
    let mut settings = sftp_settings(down, Some(&s.key.path), s.files.path());
    source::save(&s.c.ws, &s.c.admin, &settings, None).unwrap();
    source::accept_host_key(&s.c.ws, &s.c.admin, &s.sshd.fingerprint()).unwrap();
    let started = Instant::now();
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::Unavailable, "{e:?}");
    assert!(e.message.contains(&format!("could not reach the SFTP server 127.0.0.1:{down}")), "{}", e.message);
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert_eq!(source::test_connection(&s.c.ws).unwrap_err().code, Code::Unavailable);

    // A server that accepts the connection and never answers: the time limit ends the wait.
    settings.port = Some(sshd::silent_server());
    source::save(&s.c.ws, &s.c.admin, &settings, None).unwrap();
    let started = Instant::now();
    let e = err(source::fetch(&s.c.ws));
    let waited = started.elapsed();
    assert_eq!(e.code, Code::Unavailable, "{e:?}");
    assert!(e.message.contains("did not answer within 15 s"), "{}", e.message);
    assert!(waited >= Duration::from_secs(14) && waited < Duration::from_secs(25), "{waited:?}");

    // An unknown host name.
    settings.host = Some("no-such-host.invalid".into());
    settings.port = Some(22);
    source::save(&s.c.ws, &s.c.admin, &settings, None).unwrap();
    source::accept_host_key(&s.c.ws, &s.c.admin, &s.sshd.fingerprint()).unwrap();
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::Unavailable, "{e:?}");
    assert!(e.message.contains("cannot find the SFTP server “no-such-host.invalid”"), "{}", e.message);
}

#[test]
fn a_missing_remote_folder_or_no_matching_file_is_said_so() {
    let s = sftp_company();
    s.accept();
    let gone = s.files.path().join("exports");
    source::save(&s.c.ws, &s.c.admin, &sftp_settings(s.sshd.port, Some(&s.key.path), &gone), None).unwrap();
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::NotFound, "{e:?}");
    assert!(e.message.contains("does not exist on the SFTP server") && e.message.contains("exports"), "{}", e.message);
    assert_eq!(source::test_connection(&s.c.ws).unwrap_err(), e);

    std::fs::write(&gone, "a file").unwrap();
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::PreconditionFailed, "{e:?}");
    assert!(e.message.contains("is a file, not a folder"), "{}", e.message);

    std::fs::remove_file(&gone).unwrap();
    std::fs::create_dir(&gone).unwrap();
    write(&gone, "employees.xlsx", b"not the pattern", 0);
    std::fs::create_dir(gone.join("archive.csv")).unwrap();
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::NotFound, "{e:?}");
    assert!(e.message.contains("No file in") && e.message.contains("*.csv"), "{}", e.message);
    let test = source::test_connection(&s.c.ws).unwrap();
    assert!(test.pinned && test.files.is_empty(), "{test:?}");
    assert!(test.message.contains("no file in"), "{}", test.message);
}

#[test]
fn a_100000_row_file_is_fetched_whole_and_a_connection_dropped_mid_file_returns_nothing() {
    let s = sftp_company();
    let csv = big_csv(100_000);
    assert!(csv.len() > 9_000_000, "{}", csv.len());
    write(s.files.path(), "employees.csv", &csv, 0);
    s.accept();
    let started = Instant::now();
    let fetched = s.fetch().unwrap();
    eprintln!("fetched {} bytes in {:?}", fetched.file.bytes.len(), started.elapsed());
    assert_eq!(fetched.file.bytes.len(), csv.len());
    assert!(fetched.file.bytes == csv, "the bytes are the file's");
    // "Import now" brings it over SFTP and imports every row.
    let run = sync::sync(&s.c.ws, &s.c.admin, Trigger::Manual).unwrap();
    assert_eq!((run.outcome.as_str(), run.counts.map(|c| c.created)), ("applied", Some(100_000)), "{run:?}");
    assert!(run.source.starts_with("sftp://127.0.0.1:"), "{}", run.source);
    let people = || roster_core::license::usage(&s.c.ws).unwrap().active;
    assert_eq!(people(), 100_001);

    // The connection is cut after 2 MB from the server: well into the file.
    let proxy = sshd::cutting_proxy(s.sshd.port, 2_000_000);
    source::save(&s.c.ws, &s.c.admin, &sftp_settings(proxy, Some(&s.key.path), s.files.path()), None).unwrap();
    s.accept();
    let audit_before = common::audit_count(&s.c.ws);
    let started = Instant::now();
    let e = err(source::fetch(&s.c.ws));
    assert_eq!(e.code, Code::Unavailable, "{e:?}");
    assert!(
        e.message.contains("broke off while Roster downloaded") && e.message.contains("employees.csv"),
        "{}",
        e.message
    );
    assert!(e.message.contains(&format!("of {} bytes arrived", csv.len())), "{}", e.message);
    assert!(e.message.contains("nothing was imported"), "{}", e.message);
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    assert_eq!(common::audit_count(&s.c.ws), audit_before);
    // Imported through the sync, the broken download is a failed run that changed nobody.
    let proxy = sshd::cutting_proxy(s.sshd.port, 2_000_000);
    source::save(&s.c.ws, &s.c.admin, &sftp_settings(proxy, Some(&s.key.path), s.files.path()), None).unwrap();
    s.accept();
    let run = sync::sync(&s.c.ws, &s.c.admin, Trigger::Manual).unwrap();
    assert_eq!(run.outcome, "failed", "{run:?}");
    assert!(run.message.as_deref().unwrap_or("").contains("broke off"), "{run:?}");
    assert_eq!(people(), 100_001);
}

//! Opening workspace files: new ones are migrated from empty; files Roster must not touch are refused
//! with a clear problem and left byte for byte as they were.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use roster_core::workspace::{ProblemCode, Upgrade, APPLICATION_ID, SCHEMA_VERSION};
use roster_core::Workspace;

fn problem(path: &Path) -> ProblemCode {
    match Workspace::open(path) {
        Ok(_) => panic!("{} opened, but it should have been refused", path.display()),
        Err(p) => {
            assert!(!p.message.is_empty() && !p.title.is_empty());
            p.code
        }
    }
}

#[test]
fn a_new_workspace_is_migrated_from_empty_with_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/w.roster");
    let not_an_upgrade = |u: &Upgrade| panic!("a new or current workspace is not upgraded, but Roster said {u:?}");
    let ws = Workspace::open_telling_upgrade(&path, not_an_upgrade).unwrap();
    drop(ws);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let get = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0)).unwrap();
    assert_eq!(get("PRAGMA user_version"), rusqlite::types::Value::Integer(SCHEMA_VERSION.into()));
    assert_eq!(get("PRAGMA application_id"), rusqlite::types::Value::Integer(APPLICATION_ID.into()));
    assert_eq!(get("PRAGMA journal_mode"), rusqlite::types::Value::Text("wal".into()));
    assert_eq!(get("PRAGMA page_size"), rusqlite::types::Value::Integer(16384), "pages of 16 KiB from the start");
    for table in ["company", "people", "reviews", "objectives", "feedback", "one_on_ones", "one_on_one_notes", "audit"]
    {
        let n: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_schema WHERE name = ?1", [table], |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "table {table} missing");
    }
    // Opening again keeps what is there and does not migrate twice.
    drop(conn);
    let ws = Workspace::open_telling_upgrade(&path, not_an_upgrade).unwrap();
    let fk: i64 = ws.read(|tx| Ok(tx.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?)).unwrap();
    assert_eq!(fk, 1);
}

#[test]
fn a_workspace_in_pages_of_another_size_is_rewritten_in_16_kib_pages_and_keeps_its_people() {
    // As an upgrade that could not rewrite it leaves it: the current version, in 4 KiB pages.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.roster");
    drop(Workspace::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO people (id, first_name, last_name, email, created_at) VALUES ('p1', 'Ada', 'Admin', 'ada@acme.test', 'now')",
        [],
    )
    .unwrap();
    conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM; PRAGMA journal_mode = WAL;")
        .unwrap();
    let page_size =
        |conn: &rusqlite::Connection| conn.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(page_size(&conn), 4096);
    drop(conn);
    let not_an_upgrade = |u: &Upgrade| panic!("the same version is not upgraded, but Roster said {u:?}");
    let ws = Workspace::open_telling_upgrade(&path, not_an_upgrade).unwrap();
    let name: String =
        ws.read(|tx| Ok(tx.query_row("SELECT name FROM people WHERE id = 'p1'", [], |r| r.get(0))?)).unwrap();
    assert_eq!(name, "Ada Admin");
    drop(ws);
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(page_size(&conn), 16384);
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    fs::write(&path, "Quarterly notes: do not lose me.\n").unwrap();
    assert_eq!(problem(&path), ProblemCode::NotAWorkspace);
    assert_eq!(fs::read(&path).unwrap(), b"Quarterly notes: do not lose me.\n");
}

#[test]
fn another_programs_sqlite_database_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER); INSERT INTO invoices VALUES (1, 100);",
    )
    .unwrap();
    drop(conn);
    let before = fs::read(&path).unwrap();
    assert_eq!(problem(&path), ProblemCode::NotAWorkspace);
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(!dir.path().join("other.db-wal").exists(), "nothing may be written beside it either");
}

#[test]
fn a_workspace_from_a_newer_roster_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.roster");
    drop(Workspace::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    let before = fs::read(&path).unwrap();
    assert_eq!(problem(&path), ProblemCode::NewerVersion);
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_read_only_workspace_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.roster");
    drop(Workspace::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read(&path).unwrap();
    assert_eq!(problem(&path), ProblemCode::ReadOnly);
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_workspace_open_in_another_roster_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.roster");
    let first = Workspace::open(&path).unwrap();
    assert_eq!(problem(&path), ProblemCode::Locked);
    drop(first);
    Workspace::open(&path).expect("free again once the first Roster closed it");
}

#[test]
fn a_version_1_workspace_migrates_forward_and_keeps_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.roster");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(include_str!("../migrations/001_initial.sql")).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute_batch(
        "INSERT INTO company VALUES (1, 'Old Co', 5, '2025-01-01T00:00:00Z');
         INSERT INTO people (id, first_name, last_name, email, role, created_at) VALUES ('p1', 'Ada', 'Admin', 'ada@old.test', 'admin', '2025-01-01T00:00:00Z');
         INSERT INTO review_cycles VALUES ('c1', '2025 H1', '2025-01-01', '2025-06-30');
         INSERT INTO reviews VALUES ('r1', 'c1', 'p1', NULL, 4, 'Steady and kind.', '2025-06-30T10:00:00Z');
         INSERT INTO people (id, first_name, last_name, email, status, deactivated_at, created_at)
           VALUES ('p2', 'Bob', 'Builder', 'bob@old.test', 'deactivated', '2025-07-01T00:00:00Z', '2025-01-01T00:00:00Z');
         INSERT INTO feedback VALUES ('f1', 'p1', NULL, 'Thanks for covering for Bob Builder.', '2025-07-02');
         INSERT INTO audit (at, change_id, actor_id, actor_name, source, action, subject_id, subject_name, before, after)
           VALUES ('2025-06-01T00:00:00Z', 'ch0', 'p2', 'Bob Builder', 'app', 'password_mail_sent', 'p1', 'Ada Admin', NULL, NULL);
         INSERT INTO audit (at, change_id, actor_id, actor_name, source, action, subject_id, subject_name, before, after)
           VALUES ('2025-07-01T00:00:00Z', 'ch1', 'p1', 'Ada Admin', 'app', 'manager_changed', 'p1', 'Ada Admin',
                   '{\"managerId\":\"p2\",\"managerName\":\"Bob Builder\"}', '{\"managerId\":null,\"managerName\":null}');",
    )
    .unwrap();
    drop(conn);
    let backup = roster_core::workspace::backup_path(&path, 1);
    assert_eq!(backup.file_name().unwrap(), "old.roster.v1-backup");
    // The app hears of the upgrade before it starts, so that its window can say so meanwhile.
    let mut told = None;
    let ws = Workspace::open_telling_upgrade(&path, |u| told = Some((u.clone(), backup.exists()))).unwrap();
    let upgrade = Upgrade { from: 1, to: SCHEMA_VERSION, backup: backup.display().to_string() };
    assert_eq!(told, Some((upgrade, false)));
    // The upgrade kept the workspace as the older Roster left it, next to it.
    let old = rusqlite::Connection::open(&backup).unwrap();
    let old_version: i32 = old.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let old_review: String = old.query_row("SELECT text FROM reviews", [], |r| r.get(0)).unwrap();
    assert_eq!((old_version, old_review.as_str()), (1, "Steady and kind."));
    let profile = roster_core::history::profile(&ws, None, "p1").unwrap();
    assert_eq!(profile.reviews[0].text.as_deref(), Some("Steady and kind."));
    let version: i32 = ws.read(|tx| Ok(tx.query_row("PRAGMA user_version", [], |r| r.get(0))?)).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    // Rewritten in pages of 16 KiB (version 19), still in WAL mode, its reviews intact (read above).
    let (page_size, journal): (i64, String) = ws
        .read(|tx| {
            Ok((
                tx.query_row("PRAGMA page_size", [], |r| r.get(0))?,
                tx.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
            ))
        })
        .unwrap();
    assert_eq!((page_size, journal.as_str()), (16384, "wal"));
    let subscription = roster_core::subscription::get(&ws).unwrap().unwrap();
    assert_eq!(subscription.status, "active", "an upgraded workspace starts with a year");
    // Who is deactivated, and since when, moved to its own table in version 20.
    let bob = roster_core::history::profile(&ws, None, "p2").unwrap().person;
    assert_eq!((bob.status.as_str(), bob.deactivation.unwrap().at.as_str()), ("deactivated", "2025-07-01T00:00:00Z"));
    assert_eq!(roster_core::history::profile(&ws, None, "p1").unwrap().person.status, "active");
    // The log reads as it did (its texts moved to their own table in version 14).
    let manager_change = |ws: &Workspace| {
        let log = roster_core::audit::list(ws, &Default::default(), 0, 100).unwrap().entries;
        log.into_iter().find(|e| e.change_id == "ch1").unwrap()
    };
    assert_eq!(manager_change(&ws).summary, "Manager of Ada Admin: Bob Builder → nobody");
    // Her activity lists the entries about her, newest first: since version 23 each entry links to the
    // one before it about the same person, and the upgrade linked the old ones.
    let activity = |ws: &Workspace| -> Vec<String> {
        let profile = roster_core::history::profile(ws, None, "p1").unwrap();
        profile.activity.into_iter().map(|e| e.change_id).collect()
    };
    assert_eq!(activity(&ws), ["ch1", "ch0"]);
    // Versions 15 and 17 copied the log into new tables: an entry keeps its id, time and actor, and
    // a source that is none of app, cli, import and system is still refused.
    let change = manager_change(&ws);
    assert_eq!((change.id, change.at.as_str(), change.actor.as_str()), (2, "2025-07-01T00:00:00Z", "Ada Admin"));
    let unknown_source = ws.write(|tx| {
        Ok(tx.execute(
            "INSERT INTO audit_writes (change_id, at, actor_name, source, first, last)
             VALUES ('ch2', '2026-01-01', 'Ada Admin', 'web', 3, 3)",
            [],
        )?)
    });
    assert!(unknown_source.unwrap_err().message.contains("CHECK constraint failed"), "a source outside the four");
    // What was written before the mentions index (version 7) is in it, and so is the log of before
    // version 14: deleting Bob finds him in both.
    let admin = roster_core::access::admin(&ws, "p1", roster_core::audit::Source::Cli).unwrap();
    roster_core::erase::erase(&ws, &admin, &["p2".into()], "Bob Builder").unwrap();
    let thanks = roster_core::history::profile(&ws, None, "p1").unwrap().feedback_received[0].text.clone();
    assert_eq!(thanks, "Thanks for covering for Deleted user.");
    let after = manager_change(&ws);
    assert_eq!(after.summary, "Manager of Ada Admin: Deleted user → nobody");
    // What Bob did before version 16 (which keeps who made each change apart) is credited to nobody.
    let log = roster_core::audit::list(&ws, &Default::default(), 0, 100).unwrap().entries;
    let mail = log.iter().find(|e| e.change_id == "ch0").unwrap();
    assert_eq!((mail.actor.as_str(), mail.summary.as_str()), ("Deleted user", "Sent a password mail to Ada Admin"));
    // The deletion's own entry comes after every entry the upgrade kept.
    assert!(log.iter().filter(|e| !["ch0", "ch1"].contains(&e.change_id.as_str())).all(|e| e.id > after.id), "{log:?}");
    assert_eq!(after.before.unwrap()["managerId"], "Deleted user");
}

#[test]
fn a_manager_or_merged_into_id_always_names_someone_in_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.roster");
    drop(Workspace::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap(); // as every connection of Roster's
    let person = |id: &str, merged_into: Option<&str>| {
        conn.execute(
            "INSERT INTO people (id, first_name, last_name, email, merged_into_id, created_at)
             VALUES (?1, ?1, 'X', ?1 || '@acme.test', ?2, 'now')",
            rusqlite::params![id, merged_into],
        )
    };
    let set_manager = |id: &str, manager: &str| {
        conn.execute(
            "UPDATE lifecycle SET manager_id = ?2 WHERE person = (SELECT rowid FROM people WHERE id = ?1)",
            [id, manager],
        )
    };
    person("boss", None).unwrap();
    person("jane", None).unwrap();
    set_manager("jane", "boss").unwrap();
    conn.execute("UPDATE people SET merged_into_id = 'boss' WHERE id = 'jane'", []).unwrap();
    let refused = |result: rusqlite::Result<usize>| {
        let error = result.expect_err("a link to nobody was written").to_string();
        assert!(error.contains("FOREIGN KEY constraint failed"), "{error}");
    };
    refused(person("joe", Some("ghost")));
    refused(set_manager("jane", "ghost"));
    refused(conn.execute("UPDATE people SET merged_into_id = 'ghost' WHERE id = 'jane'", []));
    let links = || -> (Option<String>, Option<String>) {
        conn.query_row(
            "SELECT l.manager_id, p.merged_into_id FROM people p JOIN lifecycle l ON l.person = p.rowid WHERE p.id = 'jane'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    // A refused update leaves the row as it was (the check runs after the row is written).
    assert_eq!(links(), (Some("boss".into()), Some("boss".into())));
    // Deleting the person they name leaves no link to nobody behind, and no lifecycle without a person.
    conn.execute("DELETE FROM people WHERE id = 'boss'", []).unwrap();
    assert_eq!(links(), (None, None));
    let lifecycles: i64 = conn.query_row("SELECT count(*) FROM lifecycle", [], |r| r.get(0)).unwrap();
    assert_eq!(lifecycles, 1, "jane's alone");
    // A merged-into id is kept by triggers, not a foreign key: with a foreign key from people to people,
    // SQLite rewrites every index of a person whose row changes. A manager id, in lifecycle, has one.
    let keys = |table: &str| -> i64 {
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_list(?1)", [table], |r| r.get(0)).unwrap()
    };
    assert_eq!((keys("people"), keys("lifecycle")), (0, 1));
}

/// The people in the workspace file itself, not counting what is still only in its WAL.
fn people_in_the_file(path: &Path) -> i64 {
    let uri = format!("file:{}?immutable=1", path.display());
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI;
    let conn = rusqlite::Connection::open_with_flags(uri, flags).unwrap();
    conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_bulk_change_reaches_the_workspace_file_in_the_background_while_the_app_stays_open() {
    use roster_core::audit::Source;
    use roster_core::{company, demo};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.roster");
    let ws = Workspace::open(&path).unwrap();
    let setup = company::Setup {
        company_name: "Acme".into(),
        seats: 2_000,
        admin_first_name: "Ada".into(),
        admin_last_name: "Admin".into(),
        admin_email: "ada@acme.test".into(),
        demo: true,
        admin_password: None,
        subscription_until: None,
    };
    company::create_sized(&ws, &setup, Source::Cli, demo::Size { people: 1_500, seed: 3 }).unwrap();
    ws.wait_for_checkpoint();
    assert_eq!(people_in_the_file(&path), 1_500, "the new company is copied from the WAL into the file");
    drop(ws);
    assert_eq!(people_in_the_file(&path), 1_500);
    assert!(
        !dir.path().join("w.roster-wal").exists(),
        "closing the workspace copies back the rest and removes the WAL"
    );
}

//! Delete user and all data: only deactivated people, everything about them gone — from every table
//! and from the bytes of the workspace file and its journal — what they wrote on others' records kept.

mod common;

use chrono::Utc;
use common::{add, company, Company};
use roster_core::access::{codes, sessions};
use roster_core::audit::{self, Filter, Source};
use roster_core::erase::{self, DELETED};
use roster_core::hris::{self, ImportFile, Trigger};
use roster_core::lifecycle::{self, Handover};
use roster_core::people::{self, NewPerson, Role};
use roster_core::{access, history, merge, Code, Workspace};

const NAME: &str = "Zebulon Quixote";
const EMAIL: &str = "zebulon.quixote@acme.test";

/// A connection of the test's own to the workspace file, writing as Roster's own connection writes:
/// freed and rebalanced space is zeroed.
fn writer(c: &Company) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(c.dir.path().join("w.roster")).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    conn.pragma_update(None, "secure_delete", true).unwrap();
    conn
}

/// A company of thousands with a long history, and Zebulon: a manager and admin with records of every
/// kind, who acted, was acted on, and is deactivated.
fn zebulon_company() -> (Company, String, String) {
    let c = company(10_000);
    let conn = writer(&c);
    conn.execute_batch(
        "BEGIN;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
         INSERT INTO people (id, first_name, last_name, email, title, department, created_at)
         SELECT printf('p%05d', i), 'Person', printf('%05d', i), printf('p%05d@acme.test', i), 'Engineer', 'Engineering',
                '2026-01-01T00:00:00Z' FROM n;
         INSERT INTO review_cycles (id, name, starts_on, ends_on) VALUES ('c1', 'Cycle', '2026-01-01', '2026-02-01');
         COMMIT;",
    )
    .unwrap();
    let zq = add(&c.ws, "Zebulon", "Quixote", None);
    let peer = "p00042".to_string();
    conn.execute_batch(&format!(
        "BEGIN;
         UPDATE people SET role = 'admin', employee_id = 'E-ZQ-1' WHERE id = '{zq}';
         UPDATE lifecycle SET manager_id = '{zq}' WHERE person IN (SELECT rowid FROM people WHERE id BETWEEN 'p00100' AND 'p00110');
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
         INSERT INTO reviews (id, cycle_id, subject_id, reviewer_id, rating, text, submitted_at)
         SELECT printf('ra%d', i), 'c1', '{zq}', '{peer}', 4, 'About Zebulon Quixote: steady.', '2026-02-01T00:00:00Z' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
         INSERT INTO reviews (id, cycle_id, subject_id, reviewer_id, rating, text, submitted_at)
         SELECT printf('rb%d', i), 'c1', printf('p%05d', i), '{zq}', 3, 'Good quarter.', '2026-02-01T00:00:00Z' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
         INSERT INTO objectives (id, owner_id, title, status, progress) SELECT printf('o%d', i), '{zq}', 'Ship it', 'on_track', 50 FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
         INSERT INTO feedback (id, to_id, from_id, text, given_at) SELECT printf('fa%d', i), '{zq}', '{peer}', 'Thanks Zebulon!', '2026-03-01' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
         INSERT INTO feedback (id, to_id, from_id, text, given_at) SELECT printf('fb%d', i), '{peer}', '{zq}', 'Nice work.', '2026-03-01' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
         INSERT INTO one_on_ones (id, person_id, manager_id, held_on, shared_notes) SELECT printf('m%d', i), '{zq}', '{peer}', '2026-03-01', 'Talked.' FROM n;
         INSERT INTO one_on_one_notes (id, meeting_id, author_id, text) VALUES ('n1', 'm1', '{zq}', 'My own note');
         INSERT INTO one_on_ones (id, person_id, manager_id, held_on) VALUES ('mx', 'p00100', '{zq}', '2026-03-02');
         INSERT INTO cycle_participants VALUES ('c1', '{zq}');
         -- Others' records that name him.
         INSERT INTO reviews VALUES ('rm1', 'c1', 'p00001', '{peer}', 5, 'Paired with Zebulon Quixote on the launch.', '2026-02-01');
         INSERT INTO feedback VALUES ('fm1', '{peer}', 'p00001', 'Ask zebulon.quixote@acme.test for the keys.', '2026-03-01');
         INSERT INTO objectives VALUES ('om1', 'p00002', 'Take over from Zebulon Quixote', 'on_track', 10, NULL);
         INSERT INTO one_on_ones VALUES ('mm1', 'p00003', '{peer}', '2026-03-03', 'Zebulon Quixote’s team: who leads?');
         INSERT INTO one_on_one_notes VALUES ('nm1', 'mm1', '{peer}', 'Handover (Zebulon Quixote), then hiring.');
         COMMIT;"
    ))
    .unwrap();
    drop(conn);
    // Zebulon acts as an admin, signs in (and fails once), gets a password mail, gains an alias.
    sessions::set_password(&c.ws, &c.admin, &zq, "zebulon's long password").unwrap();
    sessions::sign_in(&c.ws, EMAIL, "wrong password!!", Utc::now()).unwrap_err();
    sessions::sign_in(&c.ws, EMAIL, "zebulon's long password", Utc::now()).unwrap();
    let as_zq = access::admin(&c.ws, &zq, Source::App).unwrap();
    lifecycle::deactivate(&c.ws, &as_zq, &["p00005".into()], Some("by Zebulon Quixote"), None).unwrap();
    codes::send_password_mail(&c.ws, &c.admin, &zq, Utc::now()).unwrap();
    let other = add(&c.ws, "Zeb", "Other", None);
    merge::merge(&c.ws, &c.admin, &other, &zq, &[]).unwrap();
    // The HRIS feed knows him: an applied import names him in its plan, and an automatic one held for
    // review (fewer than half the rows of the last) keeps its file, his row in it.
    let header = "First Name,Last Name,Title,Login Email,Department,Employee ID\n";
    let zebulon = format!("Zebulon,Quixote,Principal,{EMAIL},Engineering,E-ZQ-1\n");
    let others =
        "Person,00001,Engineer,p00001@acme.test,Engineering,\nPerson,00002,Engineer,p00002@acme.test,Engineering,\n";
    let applied = ImportFile { name: "hr-1.csv".into(), bytes: format!("{header}{zebulon}{others}").into_bytes() };
    assert_eq!(hris::import(&c.ws, &c.admin, &applied, Trigger::Manual, "app").unwrap().outcome, "applied");
    let held = ImportFile { name: "hr-2.csv".into(), bytes: format!("{header}{zebulon}").into_bytes() };
    let run = hris::import(&c.ws, &hris::import_actor(), &held, Trigger::Automatic, "folder").unwrap();
    assert_eq!(run.outcome, "held");
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&zq), Some("Left"), Some(&Handover::Nobody)).unwrap();
    (c, zq, peer)
}

/// Every text value of every table, to look for a person.
fn all_values(ws: &Workspace) -> Vec<String> {
    ws.read(|tx| {
        let tables: Vec<String> = tx
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut values = Vec::new();
        for table in tables {
            let mut stmt = tx.prepare(&format!("SELECT * FROM \"{table}\""))?;
            let columns = stmt.column_count();
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                for i in 0..columns {
                    if let Ok(Some(text)) = row.get::<_, Option<String>>(i) {
                        values.push(format!("{table}: {text}"));
                    }
                }
            }
        }
        Ok(values)
    })
    .unwrap()
}

#[test]
fn active_people_are_refused_and_the_confirmation_must_match() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Doe", None);
    let err = erase::preview(&c.ws, std::slice::from_ref(&jane)).unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (Code::PreconditionFailed, "Jane Doe is active: deactivate them first, then delete.")
    );
    assert_eq!(
        erase::erase(&c.ws, &c.admin, std::slice::from_ref(&jane), "Jane Doe").unwrap_err().code,
        Code::PreconditionFailed
    );
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&jane), None, None).unwrap();
    let bob = add(&c.ws, "Bob", "Roe", None);
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&bob), None, None).unwrap();
    assert_eq!(erase::preview(&c.ws, std::slice::from_ref(&jane)).unwrap().confirmation, "Jane Doe");
    let both = [jane.clone(), bob.clone()];
    assert_eq!(erase::preview(&c.ws, &both).unwrap().confirmation, "2");
    assert_eq!(erase::erase(&c.ws, &c.admin, &both, "Jane Doe").unwrap_err().code, Code::InvalidInput);
    assert_eq!(common::status(&c.ws, &jane), "deactivated", "a wrong confirmation deletes nothing");
    let employee = roster_core::audit::Actor { id: Some(jane.clone()), name: "Jane".into(), source: Source::App };
    assert_eq!(erase::erase(&c.ws, &employee, &both, "2").unwrap_err().code, Code::Forbidden);
    let erased = erase::erase(&c.ws, &c.admin, &both, " 2 ").unwrap();
    assert_eq!(erased.summary, "Deleted 2 people and all their data.");
}

#[test]
fn everything_about_the_person_is_gone_and_what_they_wrote_on_others_stays_as_deleted_user() {
    let (c, zq, peer) = zebulon_company();
    let preview = erase::preview(&c.ws, std::slice::from_ref(&zq)).unwrap();
    assert_eq!(
        (
            preview.counts.reviews_about,
            preview.counts.objectives,
            preview.counts.feedback_received,
            preview.counts.one_on_ones
        ),
        (300, 100, 100, 60)
    );
    assert_eq!((preview.stays.reviews_written, preview.stays.feedback_given), (200, 50));
    assert!(preview.counts.aliases >= 1 && preview.counts.mail >= 1 && preview.counts.audit_entries > 3);
    let erased = erase::erase(&c.ws, &c.admin, std::slice::from_ref(&zq), NAME).unwrap();
    assert_eq!(erased.counts, preview.counts, "erased exactly what the preview said");

    for value in all_values(&c.ws) {
        let lower = value.to_lowercase();
        assert!(
            !value.contains(&zq)
                && !lower.contains("zebulon.quixote")
                && !lower.contains("zebulon quixote")
                && !value.contains("E-ZQ-1"),
            "left behind: {value}"
        );
    }
    // Others' records that named them now name "Deleted user".
    let texts: Vec<String> = c
        .ws
        .read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT text FROM reviews WHERE id = 'rm1' UNION ALL SELECT text FROM feedback WHERE id = 'fm1'
                 UNION ALL SELECT title FROM objectives WHERE id = 'om1' UNION ALL SELECT shared_notes FROM one_on_ones WHERE id = 'mm1'
                 UNION ALL SELECT text FROM one_on_one_notes WHERE id = 'nm1'",
            )?;
            let texts = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok(texts)
        })
        .unwrap();
    assert_eq!(
        texts,
        [
            "Paired with Deleted user on the launch.",
            "Ask Deleted user for the keys.",
            "Take over from Deleted user",
            "Deleted user’s team: who leads?",
            "Handover (Deleted user), then hiring."
        ]
    );
    // What they wrote on others' records stays, credited to "Deleted user".
    let reviewed = history::profile(&c.ws, None, "p00001").unwrap();
    assert!(reviewed.reviews.iter().any(|r| r.reviewer.is_none() && r.text.as_deref() == Some("Good quarter.")));
    let thanked = history::profile(&c.ws, None, &peer).unwrap();
    assert_eq!(thanked.feedback_received.iter().filter(|f| f.from.is_none()).count(), 50);
    assert_eq!(common::manager_of(&c.ws, "p00100"), None);
    let log = audit::list(&c.ws, &Filter::default(), 0, 500).unwrap();
    assert_eq!(log.entries[0].action, "erased");
    assert!(log.entries[0].summary.starts_with("Erased 1 person and all their data"), "{}", log.entries[0].summary);
    assert!(log.entries.iter().any(|e| e.actor == DELETED), "their own actions are kept, anonymised");
    assert!(
        log.entries.iter().any(|e| e.summary == format!("Deactivated {DELETED} (reason: Left)")),
        "{:#?}",
        log.entries.iter().map(|e| &e.summary).collect::<Vec<_>>()
    );
}

#[test]
fn the_audit_log_names_them_nowhere_afterwards_and_a_namesake_keeps_their_name() {
    let c = company(20);
    let jane = add(&c.ws, "Jane", "Quetzalli", None);
    let reports: Vec<String> =
        ["Ann", "Ben", "Cy"].iter().map(|first| add(&c.ws, first, "Report", Some(&jane))).collect();
    let other = add(&c.ws, "Olga", "Other", None);
    let namesake = NewPerson {
        first_name: "Jane".into(),
        last_name: "Quetzalli".into(),
        email: "jane.q2@acme.test".into(),
        title: "Designer".into(),
        department: "Design".into(),
        location: "Lima".into(),
        hire_date: None,
        manager_id: None,
        role: Role::Employee,
    };
    let namesake = c.ws.write(|tx| people::insert_tx(tx, &namesake)).unwrap().id;
    // An import changes her own record: a text of her own fields, which only her entry uses.
    let header = "First Name,Last Name,Title,Login Email,Department,Employee ID\n";
    let bytes = format!("{header}Jane,Quetzalli,Aide to Jane Quetzalli,jane.quetzalli@acme.test,Engineering,\n");
    let file = ImportFile { name: "hr.csv".into(), bytes: bytes.into_bytes() };
    assert_eq!(hris::import(&c.ws, &c.admin, &file, Trigger::Manual, "app").unwrap().outcome, "applied");
    // Her reports' entries share one "before" that names her; a reason names her in another's entry.
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&jane), None, Some(&Handover::Nobody)).unwrap();
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&other), Some("Covering for Jane Quetzalli"), None)
        .unwrap();
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&namesake), None, None).unwrap();

    let preview = erase::preview(&c.ws, std::slice::from_ref(&jane)).unwrap();
    assert_eq!(
        preview.counts.audit_entries, 6,
        "the import's change, her deactivation, her 3 reports' manager changes, the reason"
    );
    erase::erase(&c.ws, &c.admin, std::slice::from_ref(&jane), "Jane Quetzalli").unwrap();

    let log = audit::list(&c.ws, &Filter::default(), 0, 100).unwrap().entries;
    let summaries: Vec<&str> = log.iter().map(|e| e.summary.as_str()).collect();
    for first in ["Ann", "Ben", "Cy"] {
        let changed = format!("Manager of {first} Report: {DELETED} → nobody");
        assert!(summaries.contains(&changed.as_str()), "{summaries:#?}");
    }
    assert!(summaries.contains(&format!("Deactivated Olga Other (reason: Covering for {DELETED})").as_str()));
    let texts = |e: &audit::AuditEntry| format!("{:?} {:?}", e.before, e.after);
    assert!(log.iter().all(|e| !texts(e).contains(&jane) && !texts(e).contains("Quetzalli")), "{log:#?}");
    // Someone else of the same name is not her: their entry keeps its name and link.
    let theirs: Vec<_> = log.iter().filter_map(|e| e.subject.as_ref()).filter(|s| s.id == namesake).collect();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].name, "Jane Quetzalli");
    assert!(reports.iter().all(|r| common::manager_of(&c.ws, r).is_none()));
}

/// Anonymous feedback to `to`, written in a change of its own (unless the caller's transaction is open).
fn feedback_to(conn: &rusqlite::Connection, to: &str, id: &str, text: &str) {
    conn.execute(
        "INSERT INTO feedback (id, to_id, from_id, text, given_at) VALUES (?1, ?2, NULL, ?3, '2026-03-01')",
        rusqlite::params![id, to, text],
    )
    .unwrap();
}

/// Whether the workspace file or its journal holds `needle`, letter case aside.
fn file_holds(dir: &std::path::Path, needle: &str) -> bool {
    ["w.roster", "w.roster-wal"].iter().any(|name| {
        let bytes = std::fs::read(dir.join(name)).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    })
}

#[test]
fn their_name_leaves_the_mentions_index_wherever_it_was_written_and_no_change_merges_the_index() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Quetzalli", None);
    let peer = add(&c.ws, "Pat", "Peer", None);
    let conn = writer(&c);
    let feedback = |id: String, text: String| feedback_to(&conn, &peer, &id, &text);
    // 40 feedbacks one change each (a segment of the index each: more than FTS5's crisis merge
    // gathers), then a year of them in one change (one big segment, which the deletion leaves as it is).
    for i in 0..40 {
        feedback(format!("w{i}"), format!("Jane Quetzalli helped, day {i}."));
    }
    conn.execute_batch("BEGIN").unwrap();
    for i in 0..4_000 {
        let text = if i % 40 == 0 { format!("Thanks to Jane Quetzalli, week {i}.") } else { format!("Good week {i}.") };
        feedback(format!("y{i}"), text);
    }
    conn.execute_batch("COMMIT").unwrap();
    // A deletion never waits for the index's big segments to merge (that took up to 850 ms at 100,000
    // people).
    let automerge: i64 =
        conn.query_row("SELECT v FROM mentions_config WHERE k = 'automerge'", [], |r| r.get(0)).unwrap();
    assert_eq!(automerge, 0);
    drop(conn);
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&jane), None, None).unwrap();
    erase::erase(&c.ws, &c.admin, &[jane], "Jane Quetzalli").unwrap();
    let received = history::profile(&c.ws, None, &peer).unwrap().feedback_received;
    assert_eq!(received.len(), 4_040);
    let naming: Vec<&str> = received.iter().map(|f| f.text.as_str()).filter(|t| t.contains(DELETED)).collect();
    assert_eq!(naming.len(), 140, "every record that named her names “{DELETED}” instead");
    assert!(received.iter().all(|f| !f.text.contains("Quetzalli")));
    // Not even the index's pages keep her name: the words of the records it replaced are gone.
    assert!(!file_holds(c.dir.path(), "quetzalli"), "the workspace file still holds her name");
    let conn = rusqlite::Connection::open(c.dir.path().join("w.roster")).unwrap();
    conn.execute("INSERT INTO mentions (mentions) VALUES ('integrity-check')", []).expect("the index is whole");
}

fn mention_segments(c: &Company) -> i64 {
    let conn = writer(c);
    conn.query_row("SELECT count(DISTINCT segid) FROM mentions_idx", [], |r| r.get(0)).unwrap()
}

#[test]
fn tidying_merges_the_mentions_index_into_one_segment_that_still_finds_them_and_forgets_them() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Quetzalli", None);
    let peer = add(&c.ws, "Pat", "Peer", None);
    let conn = writer(&c);
    // 30 changes that each write free text: a small segment each, all of which a deletion searches.
    for i in 0..30 {
        feedback_to(&conn, &peer, &format!("f{i}"), &format!("Jane Quetzalli helped, day {i}."));
    }
    drop(conn);
    assert!(mention_segments(&c) > 1, "each change wrote a segment of its own");
    let mut steps = 0;
    while erase::tidy_mentions_step(&c.ws).unwrap() {
        steps += 1;
        assert!(steps < 1_000, "tidying never finishes");
    }
    assert!(steps >= 1);
    assert_eq!(mention_segments(&c), 1);
    assert!(!erase::tidy_mentions_step(&c.ws).unwrap(), "one segment: nothing left to merge");
    // The merged index still leads the deletion to every record that names her, and keeps nothing
    // of her afterwards.
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&jane), None, None).unwrap();
    erase::erase(&c.ws, &c.admin, &[jane], "Jane Quetzalli").unwrap();
    let received = history::profile(&c.ws, None, &peer).unwrap().feedback_received;
    assert_eq!(received.iter().filter(|f| f.text.contains(DELETED)).count(), 30);
    assert!(!file_holds(c.dir.path(), "quetzalli"), "the workspace file still holds her name");
    writer(&c).execute("INSERT INTO mentions (mentions) VALUES ('integrity-check')", []).expect("the index is whole");
}

#[test]
fn afterwards_neither_the_file_nor_its_journal_holds_their_name_or_email() {
    let (c, zq, _) = zebulon_company();
    erase::erase(&c.ws, &c.admin, std::slice::from_ref(&zq), NAME).unwrap();
    // More work afterwards reuses the freed pages.
    let later = add(&c.ws, "After", "Wards", None);
    lifecycle::deactivate(&c.ws, &c.admin, &[later], None, None).unwrap();
    erase::erase(&c.ws, &c.admin, &["after.wards@acme.test".into()], "After Wards").unwrap();
    let path = c.dir.path().join("w.roster");
    for file in [path.clone(), path.with_extension("roster-wal"), path.with_extension("roster-shm")] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for needle in [NAME, "zebulon quixote", EMAIL, "Zebulon", "Quixote", "E-ZQ-1", zq.as_str()] {
            let found = bytes.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
            if let Some(at) = found {
                let around =
                    String::from_utf8_lossy(&bytes[at.saturating_sub(120)..(at + 120).min(bytes.len())]).into_owned();
                panic!("{} still holds “{needle}” at byte {at}: …{around}…", file.display());
            }
        }
    }
    assert!(std::fs::metadata(path.with_extension("roster-wal")).map_or(0, |m| m.len()) == 0, "the WAL was emptied");
}

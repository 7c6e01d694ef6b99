//! Merging two accounts: everything the preview counts moves, nothing else; refusals; aliases.

mod common;

use chrono::Utc;
use common::{add, company, demo_company, demo_company_of, status};
use roster_core::access::sessions;
use roster_core::directory::{self, Query, View};
use roster_core::merge;
use roster_core::people::{self, NewPerson, Role};
use roster_core::{demo, history, lifecycle, Code, Workspace};

/// Each kind the preview counts: the rows of the source, and how to tell they belong to someone.
const KINDS: &[(&str, &str, &str)] = &[
    ("reviewsAbout", "reviews", "subject_id = ?1"),
    ("reviewsWritten", "reviews", "reviewer_id = ?1"),
    ("objectives", "objectives", "owner_id = ?1"),
    ("feedbackReceived", "feedback", "to_id = ?1"),
    ("feedbackGiven", "feedback", "from_id = ?1"),
    ("oneOnOnes", "one_on_ones", "(person_id = ?1 OR manager_id = ?1)"),
    ("privateNotes", "one_on_one_notes", "author_id = ?1"),
    ("directReports", "people JOIN lifecycle ON lifecycle.person = people.rowid", "manager_id = ?1"),
    ("auditEntries", "audit", "subject_id = ?1"),
];

fn rows_of(ws: &Workspace, table: &str, condition: &str, person: &str) -> Vec<String> {
    let key = if table == "audit" { "CAST(id AS TEXT)" } else { "id" };
    ws.read(|tx| {
        let mut stmt = tx.prepare(&format!("SELECT {key} FROM {table} WHERE {condition}"))?;
        let rows = stmt.query_map([person], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    })
    .unwrap()
}

/// Merges and checks that exactly the rows the preview counted now belong to the destination.
fn merge_and_check(ws: &Workspace, admin: &roster_core::audit::Actor, source: &str, destination: &str) {
    let preview = merge::preview(ws, source, destination).unwrap();
    let counts = serde_json::to_value(preview.counts).unwrap();
    let before: Vec<Vec<String>> = KINDS.iter().map(|(_, t, c)| rows_of(ws, t, c, source)).collect();
    let merged = merge::merge(ws, admin, source, destination, &[]).unwrap();
    assert_eq!(merged.counts, preview.counts, "merge reports what the preview said");
    for ((kind, table, condition), rows) in KINDS.iter().zip(before) {
        assert_eq!(rows.len() as i64, counts[kind].as_i64().unwrap(), "{kind}: the preview counted every row");
        let now: Vec<String> = rows_of(ws, table, condition, destination);
        // The destination itself, when it reported to the source, takes the source's place instead.
        for row in rows.iter().filter(|r| !(*kind == "directReports" && *r == destination)) {
            assert!(now.contains(row), "{kind}: a row of the source did not move to the destination");
        }
        let left = rows_of(ws, table, condition, source);
        let expected_left = usize::from(*kind == "auditEntries"); // the merge's own entry, about the source
        assert_eq!(left.len(), expected_left, "{kind}: rows left on the source");
    }
    assert_eq!(status(ws, source), "deactivated");
    // Each one's activity lists exactly the entries about them, newest first: the source's entries
    // joined the destination's in order (each entry links to the one before it about the same person).
    for person in [source, destination] {
        let mut about: Vec<i64> =
            rows_of(ws, "audit", "subject_id = ?1", person).iter().map(|id| id.parse().unwrap()).collect();
        about.sort_unstable_by(|a, b| b.cmp(a));
        let activity: Vec<i64> = history::profile(ws, None, person).unwrap().activity.iter().map(|e| e.id).collect();
        assert_eq!(activity, about, "the activity of {person}");
    }
}

#[test]
fn every_kind_moves_exactly_as_previewed_across_many_companies() {
    for (seed, people) in [(1u64, 40), (2, 248), (3, 700)] {
        let c = demo_company_of(demo::Size { people, seed });
        let mut rng = fastrand::Rng::with_seed(seed);
        let ids: Vec<String> =
            c.ws.read(|tx| {
                let mut stmt = tx.prepare("SELECT id FROM people WHERE role = 'employee' ORDER BY id")?;
                let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                Ok(ids)
            })
            .unwrap();
        let mut merged = std::collections::HashSet::new();
        for _ in 0..8 {
            let (s, d) = (&ids[rng.usize(..ids.len())], &ids[rng.usize(..ids.len())]);
            if s == d || merged.contains(s) || merged.contains(d) {
                continue;
            }
            merge_and_check(&c.ws, &c.admin, s, d);
            merged.insert(s.clone());
        }
        // Nobody manages themselves, directly or through others.
        let cycles: i64 =
            c.ws.read(|tx| {
                Ok(tx.query_row(
                    "WITH RECURSIVE up(start, id, depth) AS (
                         SELECT id, manager_id, 1 FROM people JOIN lifecycle ON lifecycle.person = people.rowid
                         WHERE manager_id IS NOT NULL
                         UNION ALL SELECT up.start, l.manager_id, depth + 1
                         FROM up JOIN people p ON p.id = up.id JOIN lifecycle l ON l.person = p.rowid
                         WHERE l.manager_id IS NOT NULL AND depth < 300)
                     SELECT count(*) FROM up WHERE id = start",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(cycles, 0);
    }
}

#[test]
fn the_kept_account_s_activity_lists_both_accounts_entries_in_the_order_they_happened() {
    let c = company(10);
    let (old, new) = (add(&c.ws, "Ann", "Old", None), add(&c.ws, "Ann", "New", None));
    // Entries about the two, taking turns: the merge joins the two runs of the log into one.
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&new), Some("on leave"), None).unwrap();
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&old), Some("duplicate"), None).unwrap();
    lifecycle::reactivate(&c.ws, &c.admin, std::slice::from_ref(&new)).unwrap();
    merge_and_check(&c.ws, &c.admin, &old, &new);
    let activity = history::profile(&c.ws, None, &new).unwrap().activity;
    let told: Vec<&str> = activity.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(told, ["reactivated", "deactivated", "deactivated"], "{activity:?}");
    assert_eq!(activity[1].subject.as_ref().unwrap().name, "Ann Old", "the moved entry still names whom it was about");
}

#[test]
fn records_between_the_two_accounts_are_shown_before_and_kept_after() {
    let c = company(10);
    let lead = add(&c.ws, "Lea", "Lead", None);
    let dev = add(&c.ws, "Dev", "Eloper", Some(&lead));
    let plain = merge::preview(&c.ws, &dev, &lead).unwrap();
    assert!(plain.conflicts.iter().all(|x| x.kind != "between_them"), "{:?}", plain.conflicts);
    c.ws.write(|tx| {
        tx.execute_batch(&format!(
            "INSERT INTO review_cycles (id, name, starts_on, ends_on) VALUES ('c1', '2026 H1', '2026-01-01', '2026-06-30');
             INSERT INTO reviews (id, cycle_id, subject_id, reviewer_id, rating, text, submitted_at)
               VALUES ('r1', 'c1', '{dev}', '{lead}', 4, 'Good half.', '2026-06-30T10:00:00Z');
             INSERT INTO feedback (id, to_id, from_id, text, given_at) VALUES ('f1', '{lead}', '{dev}', 'Thanks!', '2026-03-01');
             INSERT INTO one_on_ones (id, person_id, manager_id, held_on) VALUES ('m1', '{dev}', '{lead}', '2026-03-02');"
        ))?;
        Ok(())
    })
    .unwrap();
    let preview = merge::preview(&c.ws, &dev, &lead).unwrap();
    let between = preview.conflicts.iter().find(|x| x.kind == "between_them").expect("the conflict is shown");
    assert!(between.message.starts_with("3 records are between the two accounts"), "{}", between.message);
    merge_and_check(&c.ws, &c.admin, &dev, &lead);
    let review = history::profile(&c.ws, None, &lead).unwrap().reviews;
    assert_eq!(review.len(), 1, "the review is kept on the kept account");
}

#[test]
fn a_manager_merged_into_someone_in_their_own_team_leaves_nobody_managing_themselves() {
    let c = company(10);
    let top = add(&c.ws, "Tia", "Top", None);
    let boss = add(&c.ws, "Mia", "Boss", Some(&top));
    let lead = add(&c.ws, "Lee", "Lead", Some(&boss));
    let dev = add(&c.ws, "Dev", "Eloper", Some(&lead));
    let preview = merge::preview(&c.ws, &boss, &dev).unwrap();
    assert!(preview.conflicts.iter().any(|x| x.kind == "reports_to_source"), "{:?}", preview.conflicts);
    merge_and_check(&c.ws, &c.admin, &boss, &dev);
    let manager = |id: &str| common::manager_of(&c.ws, id);
    assert_eq!(manager(&dev), Some(top.clone()), "the destination takes the source's place");
    assert_eq!(manager(&lead), Some(dev.clone()));
}

#[test]
fn empty_fields_of_the_destination_can_take_the_sources_values_and_nothing_else_is_overwritten() {
    let c = company(10);
    let old = add(&c.ws, "Jane", "Doe", None);
    let new =
        c.ws.write(|tx| {
            let person = NewPerson {
                first_name: "Jane".into(),
                last_name: "Smith".into(),
                email: "jane.smith@acme.test".into(),
                title: "Designer".into(),
                department: String::new(),
                location: String::new(),
                hire_date: None,
                manager_id: None,
                role: Role::Employee,
            };
            people::insert_tx(tx, &person)
        })
        .unwrap()
        .id;
    let preview = merge::preview(&c.ws, &old, &new).unwrap();
    let offered: Vec<&str> = preview.fields.iter().filter(|f| f.offered).map(|f| f.key).collect();
    assert_eq!(offered, ["department", "location", "hireDate"]);
    let err = merge::merge(&c.ws, &c.admin, &old, &new, &["title".into()]).unwrap_err();
    assert_eq!(err.code, Code::InvalidInput, "the destination's own title is kept");
    merge::merge(&c.ws, &c.admin, &old, &new, &["department".into(), "hireDate".into()]).unwrap();
    let kept = history::profile(&c.ws, None, &new).unwrap().person;
    assert_eq!(
        (kept.title.as_str(), kept.department.as_str(), kept.location.as_str()),
        ("Designer", "Engineering", "")
    );
    assert_eq!(kept.hire_date.as_deref(), Some("2024-01-15"));
}

#[test]
fn the_old_email_finds_the_kept_account_everywhere_and_cannot_be_taken_again() {
    let c = company(10);
    let old = add(&c.ws, "Jane", "Doe", None);
    let new = add(&c.ws, "Jane", "Smith", None);
    sessions::set_password(&c.ws, &c.admin, &new, "jane's long password").unwrap();
    let seats_before = roster_core::license::usage(&c.ws).unwrap().active;
    merge::merge(&c.ws, &c.admin, &old, &new, &[]).unwrap();
    assert_eq!(roster_core::license::usage(&c.ws).unwrap().active, seats_before - 1, "the source no longer counts");

    let found = c.ws.read(|tx| people::resolve_tx(tx, "JANE.DOE@acme.test")).unwrap();
    assert_eq!(found.id, new);
    let signed = sessions::sign_in(&c.ws, "jane.doe@acme.test", "jane's long password", Utc::now()).unwrap();
    assert_eq!(signed.person.id, new);
    let query = Query { view: View::Billable, search: "jane.doe@acme".into(), ..Query::default() };
    let rows = directory::page(&c.ws, &query, 0, 10).unwrap().rows;
    assert_eq!(rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [new.as_str()]);
    let err = lifecycle::reactivate(&c.ws, &c.admin, std::slice::from_ref(&old)).unwrap_err();
    assert_eq!(err.code, Code::PreconditionFailed);
    let err =
        c.ws.write(|tx| {
            let person = NewPerson {
                first_name: "Someone".into(),
                last_name: "Else".into(),
                email: "jane.doe@ACME.test".into(),
                title: String::new(),
                department: String::new(),
                location: String::new(),
                hire_date: None,
                manager_id: None,
                role: Role::Employee,
            };
            people::insert_tx(tx, &person)
        })
        .unwrap_err();
    assert_eq!(err.code, Code::Conflict);
    let profile = history::profile(&c.ws, None, &old).unwrap().person;
    let merged = profile.merged.expect("the source says where it went");
    assert_eq!((merged.into.id.as_str(), merged.by_name.as_deref()), (new.as_str(), Some("Ada Admin")));
    let rows = directory::page(&c.ws, &Query { view: View::Deactivated, ..Query::default() }, 0, 10).unwrap().rows;
    assert_eq!(rows[0].merged_into.as_ref().map(|m| m.name.as_str()), Some("Jane Smith"));
}

#[test]
fn impossible_merges_are_refused_with_the_reason() {
    let c = company(10);
    let a = add(&c.ws, "Ann", "One", None);
    let b = add(&c.ws, "Bob", "Two", None);
    let d = add(&c.ws, "Dan", "Three", None);
    assert_eq!(merge::preview(&c.ws, &a, &a).unwrap_err().code, Code::InvalidInput);
    assert_eq!(merge::preview(&c.ws, &a, "nobody@acme.test").unwrap_err().code, Code::NotFound);
    merge::merge(&c.ws, &c.admin, &a, &b, &[]).unwrap();
    for (source, destination) in [(&a, &d), (&d, &a)] {
        let err = merge::merge(&c.ws, &c.admin, source, destination, &[]).unwrap_err();
        assert_eq!(err.code, Code::PreconditionFailed, "{}", err.message);
        assert!(err.message.contains("already merged into Bob Two"), "{}", err.message);
    }
    let me = c.admin.id.clone().unwrap();
    assert_eq!(merge::merge(&c.ws, &c.admin, &me, &d, &[]).unwrap_err().code, Code::PreconditionFailed);
    let employee = roster_core::audit::Actor {
        id: Some(d.clone()),
        name: "Dan Three".into(),
        source: roster_core::audit::Source::App,
    };
    assert_eq!(merge::merge(&c.ws, &employee, &b, &d, &[]).unwrap_err().code, Code::Forbidden);
}

#[test]
fn a_merge_that_fails_part_way_leaves_both_accounts_as_they_were() {
    let c = demo_company();
    let (source, destination): (String, String) = c
        .ws
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT a.id, b.id FROM people a, people b WHERE a.role = 'employee' AND b.role = 'employee' AND a.id < b.id
                 AND EXISTS (SELECT 1 FROM reviews WHERE subject_id = a.id) LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    let snapshot = |ws: &Workspace| -> Vec<usize> {
        KINDS
            .iter()
            .flat_map(|(_, t, cond)| [rows_of(ws, t, cond, &source).len(), rows_of(ws, t, cond, &destination).len()])
            .collect()
    };
    let before = snapshot(&c.ws);
    let conn = rusqlite::Connection::open(c.dir.path().join("w.roster")).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER fail_merge BEFORE INSERT ON audit WHEN NEW.action = 'merged'
         BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
    )
    .unwrap();
    drop(conn);
    let err = merge::merge(&c.ws, &c.admin, &source, &destination, &[]).unwrap_err();
    assert!(err.message.contains("database or disk is full"), "it failed at its last step: {}", err.message);
    assert_eq!(snapshot(&c.ws), before);
    assert_eq!(status(&c.ws, &source), "active");
    assert!(c.ws.read(|tx| people::resolve_tx(tx, &source)).unwrap().id == source);
}

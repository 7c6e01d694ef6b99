//! The HRIS import on real workspace files: reading every kind of file, planning, applying, holds, the
//! safeguard, the history, and nothing half applied.

mod common;

use common::{add, audit_count, company, manager_of, status, Company};
use roster_core::audit::{Actor, Source};
use roster_core::hris::source::{self, Rules};
use roster_core::hris::{self, ImportFile, Missing, Trigger};
use roster_core::people::{self, NewPerson, Role};
use roster_core::{holds, lifecycle, merge, Code, Workspace};

const HEADER: &str =
    "First Name,Last Name,Gender,Title,Login Email,Manager Email,Department,Team,Location,Employee ID,Hiring Date";

fn file(name: &str, text: &str) -> ImportFile {
    ImportFile { name: name.into(), bytes: text.as_bytes().to_vec() }
}

/// A template row with the values `common::add` gives people, so existing people stay unchanged.
fn row(first: &str, last: &str, manager: &str) -> String {
    let email = format!("{}.{}@acme.test", first.to_lowercase(), last.to_lowercase());
    format!("{first},{last},,Engineer,{email},{manager},Engineering,,Berlin,,2024-01-15")
}

fn csv(rows: &[String]) -> String {
    let mut text = format!("{HEADER}\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    text
}

fn manual(c: &Company, f: &ImportFile) -> hris::Run {
    hris::import(&c.ws, &c.admin, f, Trigger::Manual, "file picked in the app").unwrap()
}

fn automatic(c: &Company, f: &ImportFile) -> hris::Run {
    hris::import(&c.ws, &hris::import_actor(), f, Trigger::Automatic, "folder /srv/hr").unwrap()
}

fn id_of(ws: &Workspace, email: &str) -> String {
    ws.read(|tx| people::resolve_tx(tx, email)).unwrap().id
}

fn column(ws: &Workspace, id: &str, column: &str) -> Option<String> {
    ws.read(|tx| {
        Ok(tx.query_row(
            &format!("SELECT {column} FROM people JOIN lifecycle ON lifecycle.person = people.rowid WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )?)
    })
    .unwrap()
}

fn people_count(ws: &Workspace) -> i64 {
    ws.read(|tx| Ok(tx.query_row("SELECT count(*) FROM people", [], |r| r.get(0))?)).unwrap()
}

/// Sets the source's rules as an admin does (people missing from the file, the safeguard) and, as
/// stored text, its column mapping (which may be broken on purpose).
fn source(c: &Company, missing: Missing, threshold: i64, mapping: Option<&str>) {
    let rules = Rules { missing, threshold_percent: threshold, fallback_encoding: "windows-1252".into() };
    source::set_rules(&c.ws, &c.admin, &rules).unwrap();
    c.ws.write(|tx| {
        tx.execute(
            "INSERT INTO import_source (id, mapping) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET mapping = excluded.mapping",
            [mapping],
        )?;
        Ok(())
    })
    .unwrap();
}

fn employee(c: &Company, first: &str, last: &str) -> Actor {
    let id = add(&c.ws, first, last, None);
    Actor { id: Some(id), name: format!("{first} {last}"), source: Source::App }
}

#[test]
fn the_template_with_a_header_creates_people_with_managers_resolved_after_all_rows() {
    let c = company(100);
    let text = csv(&[
        "Jane,Doe,F,Engineer,jane.doe@acme.test,bo.boss@acme.test,Engineering,Core,Berlin,E1,2023-02-01".into(),
        "Bo,Boss,M,CTO,bo.boss@acme.test,,Engineering,,Berlin,E2,01.03.2020".into(),
    ]);
    let f = file("hr.csv", &text);
    let plan = hris::plan(&c.ws, &f).unwrap();
    assert_eq!((plan.rows, plan.counts.created, plan.counts.errors), (2, 2, 0), "{plan:#?}");
    assert_eq!(plan.created[0].manager.as_deref(), Some("Bo Boss"), "the manager is on a later line");
    assert_eq!(people_count(&c.ws), 1, "a plan changes nothing");

    let run = manual(&c, &f);
    assert_eq!(run.outcome, "applied");
    assert_eq!(run.counts.unwrap().created, 2);
    assert_eq!(run.trigger, "manual");
    let jane = id_of(&c.ws, "JANE.DOE@acme.test");
    let bo = id_of(&c.ws, "bo.boss@acme.test");
    assert_eq!(manager_of(&c.ws, &jane).as_deref(), Some(bo.as_str()));
    assert_eq!(column(&c.ws, &jane, "gender").as_deref(), Some("F"));
    assert_eq!(column(&c.ws, &jane, "team").as_deref(), Some("Core"));
    assert_eq!(column(&c.ws, &jane, "employee_id").as_deref(), Some("E1"));
    assert_eq!(column(&c.ws, &jane, "role").as_deref(), Some("employee"));
    assert_eq!(column(&c.ws, &bo, "hire_date").as_deref(), Some("2020-03-01"));
    let entries = roster_core::audit::list(&c.ws, &Default::default(), 0, 50).unwrap().entries;
    let created: Vec<_> = entries.iter().filter(|e| e.action == "person_created" && e.change_id == run.id).collect();
    assert_eq!(created.len(), 2);
    assert!(created.iter().all(|e| e.after.as_ref().unwrap()["run"] == run.id.as_str() && e.actor == "Ada Admin"));
    assert!(entries.iter().any(|e| e.action == "imported" && e.summary.contains("2 created")));
}

#[test]
fn the_template_without_a_header_is_read_by_column_order() {
    let c = company(100);
    let text = "Jane,Doe,F,Engineer,jane.doe@acme.test,,Engineering,Core,Berlin,E1,2023-02-01\n\
                Max,Muster,M,Designer,max.muster@acme.test,jane.doe@acme.test,Design,,Bonn,E2,2023-02-02\n";
    let plan = hris::plan(&c.ws, &file("noheader.csv", text)).unwrap();
    assert!(!plan.has_header);
    assert_eq!((plan.rows, plan.counts.created), (2, 2), "{plan:#?}");
    manual(&c, &file("noheader.csv", text));
    let max = id_of(&c.ws, "max.muster@acme.test");
    assert_eq!(column(&c.ws, &max, "title").as_deref(), Some("Designer"));
    assert_eq!(manager_of(&c.ws, &max), Some(id_of(&c.ws, "jane.doe@acme.test")));
}

#[test]
fn semicolons_tabs_bom_windows_1252_crlf_and_quoted_values_all_read_the_same() {
    let expected = |c: &Company| {
        let id = id_of(&c.ws, "jurgen.muller@acme.test");
        assert_eq!(column(&c.ws, &id, "last_name").as_deref(), Some("Müller"));
        assert_eq!(column(&c.ws, &id, "title").as_deref(), Some("Head of R&D, Europe"));
        assert_eq!(column(&c.ws, &id, "department").as_deref(), Some("Research\nand Development"));
    };
    let utf8 = |delim: &str, eol: &str| {
        [
            HEADER.replace(',', delim),
            [
                "Jürgen",
                "Müller",
                "M",
                "\"Head of R&D, Europe\"",
                "jurgen.muller@acme.test",
                "",
                "\"Research\nand Development\"",
                "",
                "Berlin",
                "",
                "",
            ]
            .join(delim),
        ]
        .join(eol)
            + eol
    };
    let mut variants: Vec<(&str, Vec<u8>)> = vec![
        ("comma", utf8(",", "\n").into_bytes()),
        ("semicolon", utf8(";", "\n").into_bytes()),
        ("tab", utf8("\t", "\n").into_bytes()),
        ("crlf", utf8(";", "\r\n").into_bytes()),
        ("bom", [b"\xEF\xBB\xBF".as_slice(), utf8(",", "\r\n").as_bytes()].concat()),
    ];
    // Excel's "CSV (semicolon)" in Windows-1252: ü is 0xFC.
    let cp1252: Vec<u8> = utf8(";", "\r\n")
        .chars()
        .flat_map(|c| if c == 'ü' { vec![0xFC] } else { c.to_string().into_bytes() })
        .collect();
    assert!(std::str::from_utf8(&cp1252).is_err());
    variants.push(("windows-1252", cp1252));
    for (name, bytes) in variants {
        let c = company(100);
        let f = ImportFile { name: format!("{name}.csv"), bytes };
        let plan = hris::plan(&c.ws, &f).unwrap();
        assert_eq!((plan.counts.created, plan.counts.errors), (1, 0), "{name}: {plan:#?}");
        manual(&c, &f);
        expected(&c);
        if name == "windows-1252" {
            assert_eq!(plan.encoding, "windows-1252");
        }
    }
}

#[test]
fn headers_are_read_by_synonyms_in_any_case_and_spacing() {
    let c = company(100);
    let text = "GIVEN NAME;surname;Work_Email;Job Title;Supervisor Email;Personnel Number;Start Date;Employment Status;Shoe size\n\
                Jane;Doe;jane.doe@acme.test;Engineer;;P-1;03/04/2024;On leave;42\n\
                Max;Muster;max.muster@acme.test;Designer;jane.doe@acme.test;P-2;2024-01-31;Active;43\n";
    let plan = hris::plan(&c.ws, &file("export.csv", text)).unwrap();
    assert_eq!((plan.counts.created, plan.counts.errors), (2, 0), "{plan:#?}");
    assert!(
        plan.columns.iter().any(|col| col.header == "Shoe size" && col.field.is_none()),
        "unknown columns are left out"
    );
    manual(&c, &file("export.csv", text));
    let jane = id_of(&c.ws, "jane.doe@acme.test");
    assert_eq!(column(&c.ws, &jane, "employee_id").as_deref(), Some("P-1"));
    assert_eq!(column(&c.ws, &jane, "hire_date").as_deref(), Some("2024-03-04"), "slashes read MM/DD/YYYY");
    assert_eq!(status(&c.ws, &jane), "active", "on leave is active");
}

#[test]
fn status_and_termination_date_decide_who_is_inactive() {
    let c = company(100);
    let a = add(&c.ws, "Ann", "Active", None);
    let t = add(&c.ws, "Tom", "Terminated", None);
    let p = add(&c.ws, "Pat", "Past", None);
    let f = add(&c.ws, "Fay", "Future", None);
    let text = format!(
        "{HEADER},Status,Termination Date\n{},Active,\n{},Terminated,\n{},,2020-01-31\n{},Active,2999-12-31\n",
        row("Ann", "Active", ""),
        row("Tom", "Terminated", ""),
        row("Pat", "Past", ""),
        row("Fay", "Future", "")
    );
    let plan = hris::plan(&c.ws, &file("hr.csv", &text)).unwrap();
    assert_eq!(plan.counts.deactivated, 2, "{plan:#?}");
    assert!(plan.deactivated.iter().any(|d| d.name == "Tom Terminated" && d.reason.contains("Status “Terminated”")));
    assert!(plan.deactivated.iter().any(|d| d.name == "Pat Past" && d.reason.contains("Termination date 2020-01-31")));
    manual(&c, &file("hr.csv", &text));
    assert_eq!(
        [status(&c.ws, &a), status(&c.ws, &t), status(&c.ws, &p), status(&c.ws, &f)],
        ["active", "deactivated", "deactivated", "active"]
    );
    assert_eq!(column(&c.ws, &t, "deactivated_by_name").as_deref(), Some("HRIS import"));
    assert_eq!(column(&c.ws, &t, "deactivation_reason").as_deref(), Some("Status “Terminated” in hr.csv"));
}

#[test]
fn create_update_deactivate_reactivate_unchanged_and_skipped_are_planned_and_applied_alike() {
    let c = company(100);
    let same = add(&c.ws, "Sam", "Same", None);
    let moved = add(&c.ws, "Mia", "Moved", None);
    let leaving = add(&c.ws, "Lee", "Leaving", None);
    let back = add(&c.ws, "Bea", "Back", None);
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&back), Some("parental leave"), None).unwrap();
    // A session of the leaver ends with the deactivation.
    roster_core::access::sessions::start(&c.ws, &leaving, chrono::Utc::now()).unwrap();
    let text = format!(
        "{HEADER},Status\n{},Active\n{},Active\n{},Resigned\n{},Active\n{},Active\n{},Terminated\n",
        row("Sam", "Same", ""),
        "Mia,Moved,F,Staff Engineer,mia.moved@acme.test,sam.same@acme.test,Platform,Core,Lisbon,M-7,2024-01-15",
        row("Lee", "Leaving", ""),
        row("Bea", "Back", ""),
        row("Nia", "New", "sam.same@acme.test"),
        row("Old", "Timer", ""),
    );
    let f = file("hr.csv", &text);
    let plan = hris::plan(&c.ws, &f).unwrap();
    let counts = plan.counts;
    assert_eq!(
        (
            counts.created,
            counts.updated,
            counts.deactivated,
            counts.reactivated,
            counts.unchanged,
            counts.skipped,
            counts.errors
        ),
        (1, 1, 1, 1, 1, 1, 0),
        "{plan:#?}"
    );
    let mia = &plan.updated[0];
    assert_eq!(mia.id, moved);
    let change = |field: &str| mia.changes.iter().find(|c| c.field == field).map(|c| (c.old.clone(), c.new.clone()));
    assert_eq!(change("title"), Some((Some("Engineer".into()), Some("Staff Engineer".into()))));
    assert_eq!(change("location"), Some((Some("Berlin".into()), Some("Lisbon".into()))));
    assert_eq!(change("team"), Some((None, Some("Core".into()))));
    assert_eq!(change("gender"), Some((None, Some("F".into()))));
    assert_eq!(change("employeeId"), Some((None, Some("M-7".into()))));
    assert_eq!(change("manager"), Some((None, Some("Sam Same".into()))));
    assert_eq!(change("hireDate"), None, "unchanged fields are not listed");
    assert_eq!(plan.skipped[0].line, 7);
    assert!(plan.skipped[0].why.contains("never had"), "{:?}", plan.skipped);

    let audit_before = audit_count(&c.ws);
    let run = manual(&c, &f);
    assert_eq!(run.counts, Some(plan.counts), "apply does what the plan said");
    assert_eq!(status(&c.ws, &leaving), "deactivated");
    assert_eq!(status(&c.ws, &back), "active");
    assert_eq!(status(&c.ws, &same), "active");
    assert_eq!(column(&c.ws, &moved, "location").as_deref(), Some("Lisbon"));
    assert_eq!(manager_of(&c.ws, &moved), Some(same.clone()));
    assert!(c.ws.read(|tx| people::find_by_email_tx(tx, "old.timer@acme.test")).unwrap().is_none());
    let sessions: i64 = c
        .ws
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM sessions WHERE person_id = ?1", [&leaving], |r| r.get(0))?))
        .unwrap();
    assert_eq!(sessions, 0, "a deactivated person is signed out");
    // One entry per change, plus the run's own entry.
    let entries = roster_core::audit::list(&c.ws, &Default::default(), 0, 100).unwrap().entries;
    let of_run: Vec<&str> = entries.iter().filter(|e| e.change_id == run.id).map(|e| e.action.as_str()).collect();
    assert_eq!(audit_count(&c.ws) - audit_before, of_run.len() as i64);
    for (action, n) in
        [("person_created", 1), ("person_updated", 1), ("deactivated", 1), ("reactivated", 1), ("imported", 1)]
    {
        assert_eq!(of_run.iter().filter(|a| **a == action).count(), n, "{action}: {of_run:?}");
    }
    let updated = entries.iter().find(|e| e.action == "person_updated").unwrap();
    assert_eq!(updated.before.as_ref().unwrap()["title"], "Engineer");
    assert_eq!(updated.after.as_ref().unwrap()["title"], "Staff Engineer");
    assert!(updated.summary.contains("title"), "{}", updated.summary);
    // Bea's reactivation keeps what her deactivation was: when, by whom, why.
    let back_again = entries.iter().find(|e| e.action == "reactivated" && e.change_id == run.id).unwrap();
    let was = back_again.before.as_ref().unwrap();
    assert_eq!((was["status"].as_str(), was["reason"].as_str()), (Some("deactivated"), Some("parental leave")));
    assert_eq!(was["by"], c.admin.name.as_str());
    assert!(was["at"].as_str().is_some_and(|at| at.starts_with("20")), "{was}");
}

#[test]
fn an_unknown_manager_is_a_warning_and_a_manager_cycle_an_error() {
    let c = company(100);
    let keeps = add(&c.ws, "Kim", "Keeps", None);
    let boss = add(&c.ws, "Big", "Boss", None);
    c.ws.write(|tx| {
        Ok(tx.execute(
            "UPDATE lifecycle SET manager_id = ?1 WHERE person = (SELECT rowid FROM people WHERE id = ?2)",
            [&boss, &keeps],
        )?)
    })
    .unwrap();
    let text = csv(&[
        row("Nat", "Nobody", "ghost@acme.test"),
        row("Kim", "Keeps", "ghost@acme.test"),
        row("Ann", "Alpha", "bob.beta@acme.test"),
        row("Bob", "Beta", "cat.gamma@acme.test"),
        row("Cat", "Gamma", "ann.alpha@acme.test"),
        row("Sue", "Self", "sue.self@acme.test"),
        row("Dan", "Under", "ann.alpha@acme.test"),
    ]);
    let plan = hris::plan(&c.ws, &file("hr.csv", &text)).unwrap();
    assert_eq!(plan.counts.warnings, 3, "{:#?}", plan.warnings);
    let w = &plan.warnings[0];
    assert_eq!((w.line, w.column.as_deref()), (2, Some("Manager Email")));
    assert!(w.message.contains("ghost@acme.test") && w.message.contains("without a manager"), "{}", w.message);
    assert!(plan.warnings[1].message.contains("keeps the manager"), "{}", plan.warnings[1].message);
    assert!(plan.warnings[2].message.contains("line 4, which has errors"), "{}", plan.warnings[2].message);
    let lines: Vec<u64> = plan.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [4, 5, 6, 7], "{:#?}", plan.errors);
    assert!(
        plan.errors[0].message.contains("Ann Alpha → Bob Beta → Cat Gamma → Ann Alpha"),
        "{}",
        plan.errors[0].message
    );
    assert!(plan.errors[3].message.contains("their own manager"), "{}", plan.errors[3].message);
    let run = manual(&c, &file("hr.csv", &text));
    assert_eq!(run.counts.unwrap().created, 2, "Nat and Dan, without managers");
    let nat = id_of(&c.ws, "nat.nobody@acme.test");
    assert_eq!(manager_of(&c.ws, &nat), None);
    assert_eq!(manager_of(&c.ws, &keeps), Some(boss), "an unknown manager leaves the one in Roster");
    assert!(c.ws.read(|tx| people::find_by_email_tx(tx, "ann.alpha@acme.test")).unwrap().is_none());
}

#[test]
fn a_cycle_through_people_already_in_roster_is_refused_too() {
    let c = company(100);
    let top = add(&c.ws, "Tia", "Top", None);
    let mid = add(&c.ws, "Mo", "Mid", Some(&top));
    let text = csv(&[row("Tia", "Top", "mo.mid@acme.test")]);
    let plan = hris::plan(&c.ws, &file("hr.csv", &text)).unwrap();
    assert_eq!(plan.counts.errors, 1, "{plan:#?}");
    assert!(plan.errors[0].message.contains("Tia Top → Mo Mid → Tia Top"), "{}", plan.errors[0].message);
    manual(&c, &file("hr.csv", &text));
    assert_eq!(manager_of(&c.ws, &top), None);
    assert_eq!(manager_of(&c.ws, &mid), Some(top));
}

#[test]
fn employee_id_matching_is_preferred_over_email() {
    let c = company(100);
    let jane = add(&c.ws, "Jane", "Doe", None);
    c.ws.write(|tx| Ok(tx.execute("UPDATE people SET employee_id = 'E-42' WHERE id = ?1", [&jane])?)).unwrap();
    let text = csv(&["Jane,Smith,,Engineer,jane.smith@acme.test,,Engineering,,Berlin,e-42,2024-01-15".into()]);
    let plan = hris::plan(&c.ws, &file("hr.csv", &text)).unwrap();
    assert_eq!((plan.counts.updated, plan.counts.created), (1, 0), "{plan:#?}");
    let fields: Vec<&str> = plan.updated[0].changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["lastName", "email"]);
    manual(&c, &file("hr.csv", &text));
    assert_eq!(column(&c.ws, &jane, "email").as_deref(), Some("jane.smith@acme.test"));
    assert_eq!(column(&c.ws, &jane, "name").as_deref(), Some("Jane Smith"));

    // An email that belongs to someone else is a row error, not a swap.
    add(&c.ws, "Other", "Person", None);
    let text = csv(&["Jane,Smith,,Engineer,other.person@acme.test,,Engineering,,Berlin,E-42,2024-01-15".into()]);
    let plan = hris::plan(&c.ws, &file("hr.csv", &text)).unwrap();
    assert_eq!(plan.counts.errors, 1);
    assert!(plan.errors[0].message.contains("belongs to Other Person"), "{}", plan.errors[0].message);
}

#[test]
fn a_merged_accounts_old_email_updates_the_kept_account_and_never_revives_the_merged_one() {
    let c = company(100);
    let old = add(&c.ws, "Jane", "Old", None);
    let kept = add(&c.ws, "Jane", "Kept", None);
    merge::merge(&c.ws, &c.admin, &old, &kept, &[]).unwrap();
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&kept), None, None).unwrap();
    // The HRIS still knows Jane by her old email, as active, with a new title.
    let text = csv(&["Jane,Kept,,Principal,jane.old@acme.test,,Engineering,,Berlin,,2024-01-15".into()]);
    let plan = hris::plan(&c.ws, &file("hr.csv", &text)).unwrap();
    assert_eq!((plan.counts.reactivated, plan.counts.created), (1, 0), "{plan:#?}");
    assert_eq!(plan.reactivated[0].id, kept);
    let fields: Vec<&str> = plan.reactivated[0].changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["title"], "the old email is not written onto the kept account");
    manual(&c, &file("hr.csv", &text));
    assert_eq!(status(&c.ws, &kept), "active");
    assert_eq!(column(&c.ws, &kept, "title").as_deref(), Some("Principal"));
    assert_eq!(column(&c.ws, &kept, "email").as_deref(), Some("jane.kept@acme.test"));
    assert_eq!(status(&c.ws, &old), "deactivated");
    assert_eq!(column(&c.ws, &old, "title").as_deref(), Some("Engineer"));
    // And in a full import, the merged-away account is not "missing" either.
    source(&c, Missing::Full, 100, None);
    let plan = hris::plan(&c.ws, &file("hr.csv", &text)).unwrap();
    assert!(plan.missing.iter().all(|m| m.id != old && m.id != kept), "{:?}", plan.missing);
}

#[test]
fn people_missing_from_the_file_are_left_alone_in_partial_mode_and_deactivated_in_full_mode() {
    let c = company(100);
    let listed = add(&c.ws, "Liz", "Listed", None);
    let missing = add(&c.ws, "Mel", "Missing", None);
    let held = add(&c.ws, "Hal", "Held", None);
    let admin_id = c.admin.id.clone().unwrap();
    holds::set(&c.ws, &c.admin, &held, "2999-01-01", "Contract extended").unwrap();
    let text = csv(&[row("Liz", "Listed", "")]);
    let plan = hris::plan(&c.ws, &file("hr.csv", &text)).unwrap();
    assert_eq!(plan.counts.deactivated, 0);
    assert_eq!(plan.missing.len(), 3, "{:?}", plan.missing);
    assert!(plan.missing.iter().all(|m| m.outcome == "left_alone"));
    assert_eq!(manual(&c, &file("hr.csv", &text)).outcome, "no_changes");
    assert_eq!(status(&c.ws, &missing), "active");

    source(&c, Missing::Full, 100, None);
    let plan = hris::plan(&c.ws, &file("hr.csv", &text)).unwrap();
    assert_eq!(plan.counts.deactivated, 1, "{plan:#?}");
    assert_eq!(plan.deactivated[0].id, missing);
    assert!(plan.deactivated[0].reason.contains("Not in hr.csv"));
    assert_eq!(plan.counts.held, 1);
    let outcome = |id: &str| plan.missing.iter().find(|m| m.id == id).unwrap().outcome.clone();
    assert_eq!(outcome(&admin_id), "kept_admin");
    assert_eq!(outcome(&held), "held");
    manual(&c, &file("hr.csv", &text));
    assert_eq!(
        [status(&c.ws, &listed), status(&c.ws, &missing), status(&c.ws, &held), status(&c.ws, &admin_id)],
        ["active", "deactivated", "active", "active"]
    );
}

#[test]
fn a_sync_hold_keeps_jane_active_where_the_article_deactivates_her_again() {
    let c = company(100);
    let jane = add(&c.ws, "Jane", "Doe", None);
    let text = format!("{HEADER},Status\n{},Inactive\n", row("Jane", "Doe", ""));
    let f = file("hr.csv", &text);
    // The article: the import deactivates her; the admin reactivates her; the next import does it again.
    assert_eq!(automatic(&c, &f).outcome, "held", "1 of 2 active people is more than 10%");
    source(&c, Missing::Partial, 60, None);
    assert_eq!(automatic(&c, &f).outcome, "applied");
    assert_eq!(status(&c.ws, &jane), "deactivated");
    lifecycle::reactivate(&c.ws, &c.admin, std::slice::from_ref(&jane)).unwrap();
    assert_eq!(automatic(&c, &f).outcome, "applied", "the same file deactivates her again");
    assert_eq!(status(&c.ws, &jane), "deactivated");
    // With a sync hold instead, she stays active and the plan says so.
    lifecycle::reactivate(&c.ws, &c.admin, std::slice::from_ref(&jane)).unwrap();
    holds::set(&c.ws, &c.admin, "jane.doe@acme.test", "2999-12-31", "Contract extended").unwrap();
    let plan = hris::plan(&c.ws, &f).unwrap();
    assert_eq!((plan.counts.held, plan.counts.deactivated), (1, 0));
    assert_eq!(plan.held[0].until, "2999-12-31");
    assert_eq!(plan.held[0].reason, "Contract extended");
    assert_eq!(automatic(&c, &f).outcome, "no_changes");
    assert_eq!(status(&c.ws, &jane), "active");
    // An expired hold holds nothing.
    c.ws.write(|tx| Ok(tx.execute("UPDATE sync_holds SET until = '2000-01-01'", [])?)).unwrap();
    assert_eq!(hris::plan(&c.ws, &f).unwrap().counts.deactivated, 1);
}

#[test]
fn the_last_active_admin_is_never_deactivated() {
    let c = company(100);
    let text = format!("{HEADER},Status\nAda,Admin,,,ada@acme.test,,,,,,,Terminated\n");
    let plan = hris::plan(&c.ws, &file("hr.csv", &text)).unwrap();
    assert_eq!((plan.counts.deactivated, plan.counts.errors), (0, 1), "{plan:#?}");
    assert!(plan.errors[0].message.contains("every active admin"), "{}", plan.errors[0].message);
    let run = hris::import(&c.ws, &hris::import_actor(), &file("hr.csv", &text), Trigger::Cli, "rosterctl").unwrap();
    assert_eq!(run.outcome, "no_changes");
    assert_eq!(status(&c.ws, c.admin.id.as_deref().unwrap()), "active");
}

#[test]
fn the_safeguard_holds_surprising_automatic_imports_for_an_admin_to_apply_or_discard() {
    let c = company(100);
    let ids: Vec<String> = (0..10).map(|i| add(&c.ws, "Per", &format!("Son{i}"), None)).collect();
    let all: Vec<String> = (0..10).map(|i| row("Per", &format!("Son{i}"), "")).collect();
    assert_eq!(automatic(&c, &file("full.csv", &csv(&all))).outcome, "no_changes");

    // Two of eleven active people inactive: 18% > 10%.
    let mut text = format!("{HEADER},Status\n");
    for (i, r) in all.iter().enumerate() {
        text.push_str(&format!("{r},{}\n", if i < 2 { "Terminated" } else { "Active" }));
    }
    let held = automatic(&c, &file("two-leave.csv", &text));
    assert_eq!(held.outcome, "held");
    assert!(held.message.as_deref().unwrap().contains("deactivate 2 of the 11 active people (18%)"), "{held:?}");
    assert_eq!(status(&c.ws, &ids[0]), "active", "nothing applied");
    let detail = hris::run_detail(&c.ws, &held.id).unwrap();
    assert_eq!(detail.plan.unwrap().counts.deactivated, 2, "the held run keeps its plan");
    let entries = roster_core::audit::list(&c.ws, &Default::default(), 0, 5).unwrap().entries;
    assert!(entries.iter().any(|e| e.action == "import_held" && e.summary.contains("two-leave.csv")));
    // A manual import of the same file is the admin's decision: applied at once.
    let err = hris::apply_held(&c.ws, &hris::import_actor(), &held.id).unwrap_err();
    assert_eq!(err.code, Code::Forbidden);
    assert_eq!(hris::plan_held(&c.ws, &held.id).unwrap().counts.deactivated, 2);
    let applied = hris::apply_held(&c.ws, &c.admin, &held.id).unwrap();
    assert_eq!((applied.id.as_str(), applied.outcome.as_str()), (held.id.as_str(), "applied"));
    assert!(applied.message.as_deref().unwrap().contains("Applied by Ada Admin"), "{applied:?}");
    assert_eq!(status(&c.ws, &ids[0]), "deactivated");
    let by = roster_core::audit::list(&c.ws, &Default::default(), 0, 10).unwrap().entries;
    assert!(by.iter().any(|e| e.action == "deactivated" && e.actor == "Ada Admin" && e.change_id == held.id));
    let again = hris::apply_held(&c.ws, &c.admin, &held.id).unwrap_err();
    assert_eq!(again.code, Code::PreconditionFailed);

    // An empty file and a file with fewer than half the rows are held too; discarding changes nothing.
    let empty = automatic(&c, &file("empty.csv", ""));
    assert_eq!(empty.outcome, "held");
    assert!(empty.message.as_deref().unwrap().contains("empty"), "{empty:?}");
    let header_only = automatic(&c, &file("header.csv", &format!("{HEADER}\n")));
    assert_eq!(header_only.outcome, "held");
    let short = automatic(&c, &file("short.csv", &csv(&all[5..7])));
    assert_eq!(short.outcome, "held");
    assert!(short.message.as_deref().unwrap().contains("fewer than half of the 10 rows"), "{short:?}");
    let audit = audit_count(&c.ws);
    let discarded = hris::discard_held(&c.ws, &c.admin, &short.id).unwrap();
    assert_eq!(discarded.outcome, "discarded");
    assert_eq!(audit_count(&c.ws), audit + 1, "a discard is audited");
    assert_eq!(hris::discard_held(&c.ws, &c.admin, &short.id).unwrap_err().code, Code::PreconditionFailed);
    let stored: Option<Vec<u8>> =
        c.ws.read(|tx| Ok(tx.query_row("SELECT file FROM import_runs WHERE id = ?1", [&short.id], |r| r.get(0))?))
            .unwrap();
    assert!(stored.is_none(), "a decided run no longer keeps its file");
    // Manual and cli imports are not held: the admin saw the plan.
    let err = hris::import(&c.ws, &c.admin, &file("empty.csv", ""), Trigger::Manual, "app").unwrap_err();
    assert_eq!(err.code, Code::InvalidInput);
    assert!(err.message.contains("empty"), "{err}");
    let page = hris::runs(&c.ws, 0, 50).unwrap();
    assert_eq!(page.runs[0].outcome, "failed", "{:?}", page.runs[0]);
    assert_eq!(page.runs[0].message.as_deref(), Some(err.message.as_str()));
}

#[test]
fn the_same_file_twice_changes_nothing_the_second_time() {
    let c = company(100);
    let f = file("hr.csv", &csv(&[row("Jane", "Doe", ""), row("Max", "Muster", "jane.doe@acme.test")]));
    let first = automatic(&c, &f);
    assert_eq!(first.outcome, "applied");
    let audit = audit_count(&c.ws);
    let second = automatic(&c, &f);
    assert_eq!(second.outcome, "no_changes");
    assert!(second.message.as_deref().unwrap().contains("same file"), "{second:?}");
    assert_eq!(second.file_hash, first.file_hash);
    assert_eq!(second.counts.unwrap().unchanged, 2);
    assert_eq!(audit_count(&c.ws), audit, "no changes, no audit entries");
    let page = hris::runs(&c.ws, 0, 2).unwrap();
    assert_eq!((page.total, page.runs[0].id.as_str()), (2, second.id.as_str()), "newest first");
}

#[test]
fn a_failure_part_way_leaves_nothing_half_applied() {
    let c = company(100);
    let jane = add(&c.ws, "Jane", "Doe", None);
    c.ws.write(|tx| {
        tx.execute_batch(
            "CREATE TRIGGER boom BEFORE INSERT ON audit
             WHEN NEW.action = 'person_created' AND (SELECT count(*) FROM audit WHERE action = 'person_created') >= 3
             BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;",
        )?;
        Ok(())
    })
    .unwrap();
    let before = (people_count(&c.ws), audit_count(&c.ws));
    let text = format!(
        "{HEADER},Status\n{},Terminated\n{}\n{}\n{}\n",
        row("Jane", "Doe", ""),
        row("A", "One", "") + ",",
        row("B", "Two", "") + ",",
        row("C", "Three", "") + ","
    );
    let err = hris::import(&c.ws, &c.admin, &file("hr.csv", &text), Trigger::Manual, "app").unwrap_err();
    assert!(err.message.contains("disk on fire"), "{err}");
    assert_eq!((people_count(&c.ws), audit_count(&c.ws)), before);
    assert_eq!(status(&c.ws, &jane), "active");
    let run = &hris::runs(&c.ws, 0, 1).unwrap().runs[0];
    assert_eq!(run.outcome, "failed");
    assert!(hris::run_detail(&c.ws, &run.id).unwrap().plan.is_none());
}

#[test]
fn only_admins_import_by_hand() {
    let c = company(100);
    let eve = employee(&c, "Eve", "Employee");
    let f = file("hr.csv", &csv(&[row("Jane", "Doe", "")]));
    let err = hris::import(&c.ws, &eve, &f, Trigger::Manual, "app").unwrap_err();
    assert_eq!(err.code, Code::Forbidden);
    let err = hris::import(&c.ws, &hris::import_actor(), &f, Trigger::Manual, "app").unwrap_err();
    assert_eq!(err.code, Code::Forbidden);
    assert_eq!(hris::runs(&c.ws, 0, 10).unwrap().total, 0, "a refused import is no run");
    assert_eq!(hris::discard_held(&c.ws, &eve, "nope").unwrap_err().code, Code::Forbidden);
    // The admin who imports never deactivates themselves through the file.
    let text = format!("{HEADER},Status\nAda,Admin,,,ada@acme.test,,,,,,,Terminated\n");
    add(&c.ws, "Second", "Admin", None);
    c.ws.write(|tx| Ok(tx.execute("UPDATE people SET role = 'admin' WHERE email = 'second.admin@acme.test'", [])?))
        .unwrap();
    let run = manual(&c, &file("hr.csv", &text));
    assert_eq!(run.counts.unwrap().errors, 1);
    assert_eq!(status(&c.ws, c.admin.id.as_deref().unwrap()), "active");
}

#[test]
fn a_fetch_that_failed_is_recorded() {
    let c = company(100);
    let run =
        hris::record_failure(&c.ws, Trigger::Automatic, "sftp hr.example.com", None, "The server is down.").unwrap();
    assert_eq!((run.outcome.as_str(), run.trigger.as_str()), ("failed", "automatic"));
    let detail = hris::run_detail(&c.ws, &run.id).unwrap();
    assert_eq!(detail.run.message.as_deref(), Some("The server is down."));
    assert_eq!(hris::run_detail(&c.ws, "nope").unwrap_err().code, Code::NotFound);
}

#[test]
fn a_saved_mapping_reads_another_export() {
    let c = company(100);
    let boss = add(&c.ws, "Bo", "Boss", None);
    c.ws.write(|tx| Ok(tx.execute("UPDATE people SET employee_id = 'B-1' WHERE id = ?1", [&boss])?)).unwrap();
    let mapping = r#"{
        "columns": { "Mitarbeiter": "fullNameLastFirst", "Mail": "email", "Chef": "manager", "Zustand": "status",
                     "Eintritt": "hireDate", "Intern": "ignore", "Nr": "employeeId" },
        "managerBy": "employeeId",
        "activeValues": ["beschäftigt", "Elternzeit"],
        "dateFormat": "DD.MM.YYYY"
    }"#;
    source(&c, Missing::Partial, 10, Some(mapping));
    let text = "Nr;Mitarbeiter;Mail;Chef;Zustand;Eintritt;Intern\n\
                7;\"Doe, Jane\";jane.doe@acme.test;B-1;Elternzeit;03/04/2024;x\n\
                8;\"Roe, Rick\";rick.roe@acme.test;;ausgeschieden;01/02/2020;y\n";
    let plan = hris::plan(&c.ws, &file("personal.csv", text)).unwrap();
    assert_eq!((plan.counts.created, plan.counts.skipped, plan.counts.errors), (1, 1, 0), "{plan:#?}");
    assert_eq!(plan.created[0].first_name, "Jane");
    assert_eq!(plan.created[0].last_name, "Doe");
    assert_eq!(plan.created[0].hire_date.as_deref(), Some("2024-04-03"), "the mapping's day-first format");
    assert_eq!(plan.created[0].manager.as_deref(), Some("Bo Boss"));
    let sample =
        hris::sample(&file("personal.csv", text), hris::settings(&c.ws).unwrap().mapping.as_ref(), "windows-1252", 5)
            .unwrap();
    assert_eq!(sample.columns[1].field, Some(hris::Field::FullNameLastFirst));
    assert_eq!(sample.columns[6].field, None, "ignored");
    // A broken mapping is refused with what to do.
    source(&c, Missing::Partial, 10, Some("{\"columns\": 3}"));
    let err = hris::plan(&c.ws, &file("personal.csv", text)).unwrap_err();
    assert!(err.message.contains("column mapping"), "{err}");
}

#[test]
fn a_100_000_row_file_plans_and_applies() {
    let c = company(200_000);
    let mut text = String::with_capacity(12_000_000);
    text.push_str(HEADER);
    text.push('\n');
    let n = 100_000;
    for i in 0..n {
        let manager = if i == 0 { String::new() } else { format!("p{}@big.test", i / 10) };
        text.push_str(&format!(
            "First{i},Last{i},,Engineer,p{i}@big.test,{manager},Dept{},,Berlin,E{i},2024-01-15\n",
            i % 50
        ));
    }
    let f = file("big.csv", &text);
    let plan = hris::plan(&c.ws, &f).unwrap();
    assert_eq!((plan.rows, plan.counts.created, plan.counts.errors), (n, n, 0));
    let run = manual(&c, &f);
    assert_eq!(run.counts.unwrap().created, n);
    assert_eq!(people_count(&c.ws), n as i64 + 1);
    let p = id_of(&c.ws, "p99999@big.test");
    assert_eq!(manager_of(&c.ws, &p), Some(id_of(&c.ws, "p9999@big.test")));
    let again = hris::plan(&c.ws, &f).unwrap();
    assert_eq!(again.counts.unchanged, n);
}

#[test]
fn new_people_get_the_employee_role_and_the_import_never_touches_roles_or_passwords() {
    let c = company(100);
    let text = csv(&["Ada,Lovelace,,Admin,ada@acme.test,,IT,,Berlin,A-1,2024-01-15".into(), row("New", "Hire", "")]);
    manual(&c, &file("hr.csv", &text));
    let ada = c.admin.id.clone().unwrap();
    assert_eq!(column(&c.ws, &ada, "role").as_deref(), Some("admin"));
    assert!(column(&c.ws, &ada, "password_hash").is_some());
    assert_eq!(column(&c.ws, &ada, "last_name").as_deref(), Some("Lovelace"));
    let new = id_of(&c.ws, "new.hire@acme.test");
    assert_eq!(column(&c.ws, &new, "role").as_deref(), Some("employee"));
    assert!(column(&c.ws, &new, "password_hash").is_none());
}

/// What a file of the corpus of bad files must give.
enum Expect {
    /// The whole file is refused: `plan` and `import` fail with this in the message.
    Refused(&'static str),
    /// No rows of people: refused by hand and by `rosterctl`, held when automatic.
    NoRows(&'static str),
    /// A row error on this line (message or column).
    RowError(u64, &'static str),
    /// A warning on this line.
    Warning(u64, &'static str),
}

const CORPUS: &[(&str, Expect)] = &[
    ("01_empty.csv", Expect::NoRows("is empty")),
    ("02_bom_only.csv", Expect::NoRows("is empty")),
    ("03_blank_lines.csv", Expect::NoRows("is empty")),
    ("04_header_only.csv", Expect::NoRows("has a header but no rows")),
    ("05_windows1252_semicolons_duplicate.csv", Expect::RowError(4, "jurgen.muller@acme.test is also on line 2")),
    ("06_semicolons_extra_value.csv", Expect::RowError(3, "12 values where the header has 11 columns")),
    ("07_unquoted_comma.csv", Expect::RowError(3, "contains a comma, the character that separates the columns")),
    ("08_duplicate_email.csv", Expect::RowError(4, "jane.doe@acme.test is also on line 2")),
    ("09_duplicate_employee_id.csv", Expect::RowError(4, "Employee ID “E1” is also on line 2")),
    ("10_missing_email.csv", Expect::RowError(3, "Login Email is empty")),
    ("11_no_email_column.csv", Expect::Refused("has no Login Email column")),
    ("12_bad_email.csv", Expect::RowError(3, "is not an email address")),
    ("13_bad_date.csv", Expect::RowError(2, "Hiring Date “2024-13-45” is not a date in the calendar")),
    ("14_day_first_date.csv", Expect::RowError(3, "set the date format DD.MM.YYYY")),
    ("15_two_digit_year.csv", Expect::RowError(2, "has no four-digit year")),
    ("16_bad_termination_date.csv", Expect::RowError(2, "Termination Date “soon” is not a date")),
    ("17_unknown_manager.csv", Expect::Warning(3, "Nobody in the file or in Roster is the manager “ghost@acme.test”")),
    ("18_manager_cycle.csv", Expect::RowError(2, "Jane Doe → John Roe → Jane Doe")),
    ("19_self_manager.csv", Expect::RowError(2, "would be their own manager")),
    ("20_long_field.csv", Expect::RowError(2, "10000 characters long")),
    ("21_binary_garbage.csv", Expect::Refused("is not a text file")),
    ("22_excel_workbook.csv", Expect::Refused("Excel workbook")),
    ("23_truncated_quote.csv", Expect::Refused("Line 4 of 23_truncated_quote.csv opens a quoted value")),
    ("24_truncated_last_line.csv", Expect::RowError(4, "the line was cut off")),
    ("25_unknown_status.csv", Expect::RowError(3, "Status “Vacationing” is not a status Roster knows")),
    ("26_unknown_columns_only.csv", Expect::Refused("names no column Roster knows (found “Foo”, “Bar”, “Baz”)")),
    ("27_too_few_columns_without_header.csv", Expect::Refused("the template's 11 columns")),
    ("28_empty_name.csv", Expect::RowError(3, "The name is empty")),
    ("29_email_taken.csv", Expect::RowError(2, "john.roe@acme.test belongs to John Roe")),
    ("30_duplicate_header.csv", Expect::Refused("both mean Login Email")),
    ("31_last_admin.csv", Expect::RowError(3, "every active admin")),
    ("32_ambiguous_hyphen_date.csv", Expect::RowError(3, "could be day-month-year or month-day-year")),
    ("33_pdf_document.csv", Expect::Refused("a PDF document")),
    ("34_only_delimiters.csv", Expect::Refused("names no column Roster knows (found “;;;;”)")),
    ("35_utf16_without_bom.csv", Expect::Refused("is not a text file")),
    ("36_unknown_employee_id_without_email.csv", Expect::RowError(3, "Roster has nobody with this Employee ID")),
    ("37_header_only_bom_semicolons.csv", Expect::NoRows("has a header but no rows")),
    ("38_unknown_status_semicolons_1252.csv", Expect::RowError(2, "Status “Ausgeschieden?”")),
];

/// Everything about the people, for before/after comparisons.
fn snapshot(ws: &Workspace) -> Vec<String> {
    ws.read(|tx| {
        let mut out = Vec::new();
        for table in ["people", "aliases", "sync_holds", "sessions"] {
            let mut stmt = tx.prepare(&format!("SELECT * FROM {table} ORDER BY 1"))?;
            let n = stmt.column_count();
            let rows = stmt.query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                    .collect::<Result<Vec<_>, _>>()
            })?;
            for row in rows {
                out.push(format!("{table}: {}", row?.join(" | ")));
            }
        }
        Ok(out)
    })
    .unwrap()
}

fn corpus_company() -> Company {
    let c = company(100);
    let jane = add(&c.ws, "Jane", "Doe", None);
    add(&c.ws, "John", "Roe", Some(&jane));
    let jurgen = NewPerson {
        first_name: "Jürgen".into(),
        last_name: "Müller".into(),
        email: "jurgen.muller@acme.test".into(),
        title: "Engineer".into(),
        department: "Engineering".into(),
        location: "Berlin".into(),
        hire_date: Some("2024-01-15".into()),
        manager_id: None,
        role: Role::Employee,
    };
    c.ws.write(|tx| people::insert_tx(tx, &jurgen)).unwrap();
    c.ws.write(|tx| {
        for (email, id) in
            [("jane.doe@acme.test", "E1"), ("john.roe@acme.test", "E2"), ("jurgen.muller@acme.test", "E3")]
        {
            tx.execute("UPDATE people SET employee_id = ?1 WHERE email = ?2", [id, email])?;
        }
        Ok(())
    })
    .unwrap();
    c
}

#[test]
fn every_bad_file_of_the_corpus_gives_its_clear_error_and_changes_nothing() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hris_corpus");
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let listed: Vec<&str> = CORPUS.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, listed, "every file of tests/hris_corpus has its expectation here, and only those");
    assert!(names.len() >= 25);
    let c = corpus_company();
    // The good lines of the corpus are exactly Roster's people: nothing may change.
    let good = csv(&[
        "Jane,Doe,,Engineer,jane.doe@acme.test,,Engineering,,Berlin,E1,2024-01-15".into(),
        "John,Roe,,Engineer,john.roe@acme.test,jane.doe@acme.test,Engineering,,Berlin,E2,2024-01-15".into(),
        "Jürgen,Müller,,Engineer,jurgen.muller@acme.test,,Engineering,,Berlin,E3,2024-01-15".into(),
    ]);
    assert_eq!(hris::plan(&c.ws, &file("good.csv", &good)).unwrap().counts.unchanged, 3);
    let before = snapshot(&c.ws);
    for (name, expect) in CORPUS {
        let f = ImportFile { name: name.to_string(), bytes: std::fs::read(dir.join(name)).unwrap() };
        let audit = audit_count(&c.ws);
        let planned = hris::plan(&c.ws, &f);
        let imported = hris::import(&c.ws, &hris::import_actor(), &f, Trigger::Cli, "rosterctl");
        let last = hris::runs(&c.ws, 0, 1).unwrap().runs.remove(0);
        match expect {
            Expect::Refused(fragment) | Expect::NoRows(fragment) => {
                let err = planned.expect_err(name);
                assert_eq!(err.code, Code::InvalidInput, "{name}");
                assert!(err.message.contains(fragment), "{name}: {err}");
                let err = imported.expect_err(name);
                assert!(err.message.contains(fragment), "{name}: {err}");
                assert_eq!((last.outcome.as_str(), last.file_name.as_deref()), ("failed", Some(*name)), "{name}");
                assert_eq!(last.message.as_deref(), Some(err.message.as_str()));
            }
            Expect::RowError(line, fragment) | Expect::Warning(line, fragment) => {
                let plan = planned.unwrap_or_else(|e| panic!("{name}: {e}"));
                let list = if matches!(expect, Expect::RowError(..)) { &plan.errors } else { &plan.warnings };
                assert!(
                    list.iter().any(|e| e.line == *line
                        && (e.message.contains(fragment) || e.column.as_deref().is_some_and(|c| c.contains(fragment)))),
                    "{name}: no problem on line {line} with “{fragment}” in {list:#?}"
                );
                assert_eq!(plan.counts.changes(), 0, "{name}: {plan:#?}");
                let run = imported.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(run.outcome, "no_changes", "{name}");
                assert_eq!(run.counts, Some(plan.counts), "{name}");
                let kept = hris::run_detail(&c.ws, &run.id).unwrap().plan.unwrap();
                assert_eq!(kept.errors, plan.errors, "{name}: the run keeps its row errors");
            }
        }
        assert_eq!(audit_count(&c.ws), audit, "{name}: nothing to audit");
        assert_eq!(snapshot(&c.ws), before, "{name} changed people");
        if let Expect::NoRows(_) = expect {
            let held = automatic(&c, &f);
            assert_eq!(held.outcome, "held", "{name}: an automatic import of an empty file is held for review");
            hris::discard_held(&c.ws, &c.admin, &held.id).unwrap();
            assert_eq!(snapshot(&c.ws), before, "{name} changed people");
        }
    }
}

#[test]
fn an_admin_sets_how_imports_apply_and_a_bad_rule_changes_nothing() {
    let c = company(100);
    let defaults = source::get(&c.ws).unwrap().rules;
    let expected = Rules { missing: Missing::Partial, threshold_percent: 10, fallback_encoding: "windows-1252".into() };
    assert_eq!(defaults, expected);
    let before = audit_count(&c.ws);
    for bad in [
        Rules { threshold_percent: 0, ..defaults.clone() },
        Rules { threshold_percent: 101, ..defaults.clone() },
        Rules { fallback_encoding: "klingon".into(), ..defaults.clone() },
        Rules { fallback_encoding: "utf-16le".into(), ..defaults.clone() },
    ] {
        let err = source::set_rules(&c.ws, &c.admin, &bad).unwrap_err();
        assert_eq!(err.code, Code::InvalidInput, "{bad:?}: {}", err.message);
    }
    let clerk = employee(&c, "Carl", "Clerk");
    let wanted = Rules { missing: Missing::Full, threshold_percent: 25, fallback_encoding: " Windows-1251 ".into() };
    assert_eq!(source::set_rules(&c.ws, &clerk, &wanted).unwrap_err().code, Code::Forbidden);
    assert_eq!(source::get(&c.ws).unwrap().rules, defaults, "nothing changed");
    assert_eq!(audit_count(&c.ws), before);

    let saved = source::set_rules(&c.ws, &c.admin, &wanted).unwrap().rules;
    assert_eq!(saved, Rules { fallback_encoding: "windows-1251".into(), ..wanted.clone() });
    assert_eq!(audit_count(&c.ws), before + 1);
    let settings = hris::settings(&c.ws).unwrap();
    assert_eq!((settings.missing, settings.threshold_percent), (Missing::Full, 25));
    // A Cyrillic export that is not UTF-8 is now read in the chosen code page.
    let boris = add(&c.ws, "Boris", "Petrov", None);
    let text = csv(&[row("Борис", "Petrov", "")]).replace("борис.", "boris.");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let plan = hris::plan(&c.ws, &ImportFile { name: "hr.csv".into(), bytes: bytes.into_owned() }).unwrap();
    let update = plan.updated.iter().find(|u| u.id == boris).expect("Boris is updated");
    assert!(update.changes.iter().any(|f| f.new.as_deref() == Some("Борис")), "{update:?}");
}

#[test]
fn managers_written_by_name_are_found_in_the_file_then_in_roster_and_an_ambiguous_one_is_a_warning() {
    let c = company(100);
    add(&c.ws, "Bo", "Boss", None);
    add(&c.ws, "Al", "Twin", None);
    let other = add(&c.ws, "Al", "Other", None);
    c.ws.write(|tx| Ok(tx.execute("UPDATE people SET last_name = 'Twin' WHERE id = ?1", [&other])?)).unwrap();
    let text = "First Name,Last Name,Login Email,Manager\n\
                Jane,Doe,jane.doe@acme.test,bo boss\n\
                Rick,Roe,rick.roe@acme.test,Jane Doe\n\
                Sam,Poe,sam.poe@acme.test,Al Twin\n";
    let plan = hris::plan(&c.ws, &file("names.csv", text)).unwrap();
    assert_eq!((plan.counts.created, plan.counts.errors, plan.counts.warnings), (3, 0, 1), "{plan:#?}");
    let [jane, rick, sam] = [0, 1, 2].map(|i| &plan.created[i]);
    assert_eq!(jane.manager.as_deref(), Some("Bo Boss"), "Roster's Bo Boss, the name's case aside");
    assert_eq!(rick.manager.as_deref(), Some("Jane Doe"), "the new Jane Doe of the file");
    assert_eq!(sam.manager, None);
    assert_eq!(plan.warnings[0].line, 4);
    assert!(plan.warnings[0].message.contains("2 people in Roster are named “Al Twin”"), "{:?}", plan.warnings);
    manual(&c, &file("names.csv", text));
    let rick = id_of(&c.ws, "rick.roe@acme.test");
    assert_eq!(manager_of(&c.ws, &rick), Some(id_of(&c.ws, "jane.doe@acme.test")));
    assert_eq!(manager_of(&c.ws, &id_of(&c.ws, "sam.poe@acme.test")), None);
}

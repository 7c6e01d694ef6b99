//! Deactivate, reactivate and undo: the rules an admin relies on.

mod common;

use common::{add, audit_count, company, manager_of, status};
use roster_core::audit::{self, Filter};
use roster_core::lifecycle::{self, Handover};
use roster_core::{access, history, license, Code};

fn ids(list: &[&String]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn deactivating_keeps_the_records_stops_sign_in_and_frees_the_seat() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Doe", None);
    assert_eq!(license::usage(&c.ws).unwrap().active, 2);
    let change = lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&jane]), Some("Left the company"), None).unwrap();
    assert_eq!(change.summary, "Deactivated Jane Doe.");
    assert_eq!(status(&c.ws, &jane), "deactivated");
    let usage = license::usage(&c.ws).unwrap();
    assert_eq!((usage.active, usage.deactivated, usage.seats), (1, 1, 10));
    let refusal = c.ws.read(|tx| access::check_sign_in_tx(tx, &jane)).unwrap_err();
    assert_eq!(refusal.code, Code::Forbidden);
    assert_eq!(refusal.message, "This account is deactivated — ask your admin.");
    // The person can be found by email, and the deactivation says when, by whom and why.
    let profile = roster_core::history::profile(&c.ws, None, &jane).unwrap();
    let d = profile.person.deactivation.unwrap();
    assert_eq!((d.by_name.as_deref(), d.reason.as_deref()), (Some("Ada Admin"), Some("Left the company")));
    let entries = audit::list(&c.ws, &Filter::default(), 0, 10).unwrap().entries;
    assert_eq!(entries[0].summary, "Deactivated Jane Doe (reason: Left the company)");
    assert_eq!((entries[0].actor.as_str(), entries[0].source.as_str()), ("Ada Admin", "cli"));
}

#[test]
fn reactivating_counts_the_seat_again_and_going_over_the_license_is_allowed_and_said() {
    let c = company(2);
    let a = add(&c.ws, "Ann", "One", None);
    let b = add(&c.ws, "Bob", "Two", None);
    lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&a, &b]), None, None).unwrap();
    add(&c.ws, "Cid", "Three", None);
    let change = lifecycle::reactivate(&c.ws, &c.admin, &ids(&[&a, &b])).unwrap();
    assert_eq!(change.summary, "Reactivated 2 people. You are now 2 over the license.");
    let usage = license::usage(&c.ws).unwrap();
    assert_eq!((usage.active, usage.deactivated, usage.over_by), (4, 0, 2));
    assert!(c.ws.read(|tx| access::check_sign_in_tx(tx, &a)).is_ok());
}

#[test]
fn people_are_found_by_email_in_any_case_and_unknown_people_are_named_in_the_error() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Doe", None);
    lifecycle::deactivate(&c.ws, &c.admin, &["JANE.DOE@acme.test".to_string()], None, None).unwrap();
    assert_eq!(status(&c.ws, &jane), "deactivated");
    let err = lifecycle::reactivate(&c.ws, &c.admin, &["ghost@acme.test".to_string()]).unwrap_err();
    assert_eq!(err.code, Code::NotFound);
    assert!(err.message.contains("ghost@acme.test"), "{}", err.message);
}

#[test]
fn a_bulk_change_is_all_or_nothing() {
    let c = company(10);
    let a = add(&c.ws, "Ann", "One", None);
    let b = add(&c.ws, "Bob", "Two", None);
    let entries = audit_count(&c.ws);
    let err = lifecycle::deactivate(&c.ws, &c.admin, &[a.clone(), b.clone(), "nobody".into()], None, None).unwrap_err();
    assert_eq!(err.code, Code::NotFound);
    assert_eq!((status(&c.ws, &a), status(&c.ws, &b)), ("active".into(), "active".into()));
    assert_eq!(audit_count(&c.ws), entries);
}

#[test]
fn a_failure_half_way_leaves_neither_the_change_nor_its_audit_entries() {
    let c = company(10);
    let a = add(&c.ws, "Ann", "One", None);
    let b = add(&c.ws, "Bob", "Two", None);
    // Fail the audit write of the second person, after the first was already changed and logged.
    let conn = rusqlite::Connection::open(c.dir.path().join("w.roster")).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER fail_bob BEFORE INSERT ON audit WHEN NEW.subject_name = 'Bob Two'
         BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
    )
    .unwrap();
    drop(conn);
    let entries = audit_count(&c.ws);
    assert!(lifecycle::deactivate(&c.ws, &c.admin, &[a.clone(), b.clone()], None, None).is_err());
    assert_eq!((status(&c.ws, &a), status(&c.ws, &b)), ("active".into(), "active".into()));
    assert_eq!(audit_count(&c.ws), entries);
}

#[test]
fn direct_reports_need_a_handover_to_someone_or_explicitly_to_nobody() {
    let c = company(10);
    let boss = add(&c.ws, "Mia", "Boss", None);
    let r1 = add(&c.ws, "Rex", "One", Some(&boss));
    let r2 = add(&c.ws, "Rue", "Two", Some(&boss));
    let next = add(&c.ws, "Ned", "Next", None);

    let plan = lifecycle::plan(&c.ws, &ids(&[&boss])).unwrap();
    assert_eq!(plan.reports.iter().map(|r| r.person.name.as_str()).collect::<Vec<_>>(), ["Rex One", "Rue Two"]);
    let err = lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&boss]), None, None).unwrap_err();
    assert_eq!(err.code, Code::PreconditionFailed);
    assert_eq!(status(&c.ws, &boss), "active");

    // Someone inside the team being handed over would end up managing themselves.
    let err =
        lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&boss]), None, Some(&Handover::To { person_id: r1.clone() }))
            .unwrap_err();
    assert_eq!(err.code, Code::InvalidInput);

    let change =
        lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&boss]), None, Some(&Handover::To { person_id: next.clone() }))
            .unwrap();
    assert_eq!(change.summary, "Deactivated Mia Boss. 2 direct reports now report to Ned Next.");
    assert_eq!((manager_of(&c.ws, &r1), manager_of(&c.ws, &r2)), (Some(next.clone()), Some(next.clone())));

    lifecycle::reactivate(&c.ws, &c.admin, &ids(&[&boss])).unwrap();
    let change = lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&next]), None, Some(&Handover::Nobody)).unwrap();
    assert_eq!(change.summary, "Deactivated Ned Next. 2 direct reports now have no manager.");
    assert_eq!(manager_of(&c.ws, &r1), None);
}

#[test]
fn the_plan_names_each_person_once_and_their_reports_in_the_order_given_each_by_name() {
    let c = company(10);
    let ann = add(&c.ws, "Ann", "First", None);
    let abe = add(&c.ws, "Abe", "One", Some(&ann));
    let zoe = add(&c.ws, "Zoe", "Second", None);
    add(&c.ws, "Yan", "Low", Some(&zoe));
    add(&c.ws, "xia", "Up", Some(&zoe));
    // Zoe by id with spaces around it and by email, Ann twice, Abe last: his manager goes too. Her
    // reports by name whatever its case ("xia" before "Yan"), not in the order they were added.
    let keys = [format!(" {zoe} "), "zoe.second@acme.test".into(), ann.clone(), ann.clone(), abe.clone()];

    let plan = lifecycle::plan(&c.ws, &keys).unwrap();
    let people: Vec<&str> = plan.people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(people, ["Zoe Second", "Ann First", "Abe One"]);
    let reports: Vec<(&str, &str)> =
        plan.reports.iter().map(|r| (r.person.name.as_str(), r.manager_name.as_str())).collect();
    assert_eq!(reports, [("xia Up", "Zoe Second"), ("Yan Low", "Zoe Second")]);
    assert!(plan.reports.iter().all(|r| r.manager_id == zoe));
    // What the Deactivate dialog reads of each report.
    let shown = serde_json::to_value(&plan.reports[0]).unwrap();
    let fields: Vec<&str> = shown.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(fields, ["id", "managerId", "managerName", "name"]);

    let change = lifecycle::deactivate(&c.ws, &c.admin, &keys, None, Some(&Handover::Nobody)).unwrap();
    assert_eq!(change.summary, "Deactivated 3 people. 2 direct reports now have no manager.");
    assert_eq!(change.ids, [zoe.clone(), ann.clone(), abe.clone()]);
    assert_eq!(manager_of(&c.ws, &abe), Some(ann));
}

#[test]
fn reports_deactivated_together_with_their_manager_need_no_handover() {
    let c = company(10);
    let boss = add(&c.ws, "Mia", "Boss", None);
    let r1 = add(&c.ws, "Rex", "One", Some(&boss));
    lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&boss, &r1]), None, None).unwrap();
    assert_eq!(manager_of(&c.ws, &r1), Some(boss));
}

#[test]
fn an_admin_cannot_deactivate_themselves_and_nobody_acts_without_being_an_active_admin() {
    let c = company(10);
    let own = c.admin.id.clone().unwrap();
    let err = lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&own), None, None).unwrap_err();
    assert_eq!(err.code, Code::PreconditionFailed);
    assert_eq!(status(&c.ws, &own), "active");

    let jane = add(&c.ws, "Jane", "Doe", None);
    let err = access::admin(&c.ws, &jane, roster_core::audit::Source::App).unwrap_err();
    assert_eq!(err.code, Code::Forbidden);
    let mut pretender = c.admin.clone();
    pretender.id = Some(jane.clone());
    let err = lifecycle::deactivate(&c.ws, &pretender, &[own], None, None).unwrap_err();
    assert_eq!(err.code, Code::Forbidden);
}

#[test]
fn deactivating_people_who_are_all_deactivated_already_is_refused() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Doe", None);
    lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&jane]), None, None).unwrap();
    let err = lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&jane]), None, None).unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (Code::PreconditionFailed, "Jane Doe is already deactivated: nothing to do.")
    );
    let err = lifecycle::reactivate(&c.ws, &c.admin, &[c.admin.id.clone().unwrap()]).unwrap_err();
    assert_eq!(err.code, Code::PreconditionFailed);
}

#[test]
fn undo_restores_the_people_and_their_managers_and_is_audited() {
    let c = company(10);
    let boss = add(&c.ws, "Mia", "Boss", None);
    let r1 = add(&c.ws, "Rex", "One", Some(&boss));
    let change = lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&boss]), Some("oops"), Some(&Handover::Nobody)).unwrap();
    let undo = lifecycle::undo(&c.ws, &c.admin, &change.change_id).unwrap();
    assert_eq!(undo.summary, "Undone: Mia Boss is active again.");
    assert_eq!(status(&c.ws, &boss), "active");
    assert_eq!(manager_of(&c.ws, &r1), Some(boss.clone()));
    let latest = &audit::list(&c.ws, &Filter::default(), 0, 1).unwrap().entries[0];
    assert!(latest.summary.ends_with("(undo)"), "{}", latest.summary);
    // Once undone, the same change cannot be undone again, and an undo is not undone.
    assert_eq!(lifecycle::undo(&c.ws, &c.admin, &change.change_id).unwrap_err().code, Code::Conflict);
    assert_eq!(lifecycle::undo(&c.ws, &c.admin, &undo.change_id).unwrap_err().code, Code::PreconditionFailed);

    let change = lifecycle::reactivate(&c.ws, &c.admin, &ids(&[&boss])).unwrap_err();
    assert_eq!(change.code, Code::PreconditionFailed);
    lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&r1]), Some("left"), None).unwrap();
    let back = lifecycle::reactivate(&c.ws, &c.admin, &ids(&[&r1])).unwrap();
    lifecycle::undo(&c.ws, &c.admin, &back.change_id).unwrap();
    let profile = roster_core::history::profile(&c.ws, None, &r1).unwrap();
    assert_eq!(profile.person.deactivation.unwrap().reason.as_deref(), Some("left"));
}

#[test]
fn undoing_a_deactivation_of_two_managers_gives_each_report_back_their_own_manager() {
    let c = company(20);
    let mia = add(&c.ws, "Mia", "Boss", None);
    let max = add(&c.ws, "Max", "Lead", None);
    let hal = add(&c.ws, "Hal", "Heir", None);
    let rex = add(&c.ws, "Rex", "One", Some(&mia));
    let ria = add(&c.ws, "Ria", "Two", Some(&mia));
    let sam = add(&c.ws, "Sam", "Three", Some(&max));
    let to = Handover::To { person_id: hal.clone() };
    let change = lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&mia, &max]), None, Some(&to)).unwrap();
    assert_eq!(change.summary, "Deactivated 2 people. 3 direct reports now report to Hal Heir.");
    assert!([&rex, &ria, &sam].iter().all(|r| manager_of(&c.ws, r).as_ref() == Some(&hal)));

    let undo = lifecycle::undo(&c.ws, &c.admin, &change.change_id).unwrap();
    assert_eq!(undo.summary, "Undone: 2 people are active again.");
    assert_eq!((status(&c.ws, &mia), status(&c.ws, &max)), ("active".to_string(), "active".to_string()));
    assert_eq!(
        [manager_of(&c.ws, &rex), manager_of(&c.ws, &ria), manager_of(&c.ws, &sam)],
        [Some(mia.clone()), Some(mia), Some(max)]
    );
    // The change and its undo, entry by entry, newest first: each report's way back is in the log.
    let summaries: Vec<String> =
        audit::list(&c.ws, &Filter::default(), 0, 10).unwrap().entries.into_iter().map(|e| e.summary).collect();
    assert_eq!(
        summaries,
        [
            "Reactivated Mia Boss (undo)",
            "Reactivated Max Lead (undo)",
            "Manager of Rex One: Hal Heir → Mia Boss (undo)",
            "Manager of Ria Two: Hal Heir → Mia Boss (undo)",
            "Manager of Sam Three: Hal Heir → Max Lead (undo)",
            "Manager of Sam Three: Max Lead → Hal Heir",
            "Manager of Ria Two: Mia Boss → Hal Heir",
            "Manager of Rex One: Mia Boss → Hal Heir",
            "Deactivated Max Lead",
            "Deactivated Mia Boss",
        ]
    );
}

#[test]
fn each_person_s_activity_lists_their_deactivations_and_handovers_newest_first() {
    let c = company(10);
    let mia = add(&c.ws, "Mia", "Boss", None);
    let rex = add(&c.ws, "Rex", "One", Some(&mia));
    let hal = add(&c.ws, "Hal", "Heir", None);
    lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&rex]), Some("On leave"), None).unwrap();
    lifecycle::reactivate(&c.ws, &c.admin, &ids(&[&rex])).unwrap();
    let to = Handover::To { person_id: hal.clone() };
    lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&mia]), Some("Reorg"), Some(&to)).unwrap();
    let activity = |id: &str| -> Vec<String> {
        history::profile(&c.ws, None, id).unwrap().activity.into_iter().map(|e| e.summary).collect()
    };
    assert_eq!(
        activity(&rex),
        ["Manager of Rex One: Mia Boss → Hal Heir", "Reactivated Rex One", "Deactivated Rex One (reason: On leave)"]
    );
    assert_eq!(activity(&mia), ["Deactivated Mia Boss (reason: Reorg)"]);
    assert!(activity(&hal).is_empty(), "taking over reports is logged on the reports");
}

#[test]
fn undo_is_refused_when_the_person_changed_since() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Doe", None);
    let change = lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&jane]), None, None).unwrap();
    lifecycle::reactivate(&c.ws, &c.admin, &ids(&[&jane])).unwrap();
    lifecycle::deactivate(&c.ws, &c.admin, &ids(&[&jane]), Some("again"), None).unwrap();
    let err = lifecycle::undo(&c.ws, &c.admin, &change.change_id).unwrap_err();
    assert_eq!(err.code, Code::Conflict);
    assert_eq!(status(&c.ws, &jane), "deactivated");
    assert_eq!(lifecycle::undo(&c.ws, &c.admin, "no-such-change").unwrap_err().code, Code::NotFound);
}

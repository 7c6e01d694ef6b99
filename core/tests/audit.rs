//! The audit log: filtered by person, action and date, exported as CSV.

mod common;

use common::{add, company};
use roster_core::audit::{self, Filter};
use roster_core::{lifecycle, Code};

#[test]
fn the_log_filters_by_person_action_and_date_and_exports_csv() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Doe", None);
    let bob = add(&c.ws, "Bob", "Roe", None);
    lifecycle::deactivate(&c.ws, &c.admin, &[jane.clone(), bob], Some("Left, for good"), None).unwrap();
    lifecycle::reactivate(&c.ws, &c.admin, &[jane]).unwrap();

    let by_person =
        audit::list(&c.ws, &Filter { person: Some("jane.doe@ACME".into()), ..Filter::default() }, 0, 50).unwrap();
    assert_eq!(
        by_person.entries.iter().map(|e| e.summary.as_str()).collect::<Vec<_>>(),
        ["Reactivated Jane Doe", "Deactivated Jane Doe (reason: Left, for good)"]
    );
    // Who made a change is found by name or email too: Bob's deactivation names Ada only as its actor.
    for actor in ["ada admin", "ada@ACME"] {
        let by_actor = audit::list(&c.ws, &Filter { person: Some(actor.into()), ..Filter::default() }, 0, 50).unwrap();
        let summaries: Vec<&str> = by_actor.entries.iter().map(|e| e.summary.as_str()).collect();
        assert!(summaries.contains(&"Deactivated Bob Roe (reason: Left, for good)"), "{actor}: {summaries:?}");
    }
    let deactivations =
        audit::list(&c.ws, &Filter { action: Some("deactivated".into()), ..Filter::default() }, 0, 50).unwrap();
    assert_eq!(deactivations.total, 2);
    let today = chrono::Utc::now().date_naive().to_string();
    let today_only = Filter { from: Some(today.clone()), to: Some(today), ..Filter::default() };
    assert_eq!(
        audit::list(&c.ws, &today_only, 0, 50).unwrap().total,
        audit::list(&c.ws, &Filter::default(), 0, 50).unwrap().total
    );
    let long_ago = Filter { to: Some("2001-01-01".into()), ..Filter::default() };
    assert_eq!(audit::list(&c.ws, &long_ago, 0, 50).unwrap().total, 0);
    let bad = Filter { from: Some("yesterday".into()), ..Filter::default() };
    assert_eq!(audit::list(&c.ws, &bad, 0, 50).unwrap_err().code, Code::InvalidInput);

    let mut out = Vec::new();
    let count = audit::export_csv(&c.ws, &deactivations_filter(), &mut out).unwrap();
    assert_eq!(count, 2);
    let mut csv = csv::Reader::from_reader(out.as_slice());
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().any(|r| &r[6] == "Deactivated Jane Doe (reason: Left, for good)"));
    assert_eq!(&csv.headers().unwrap()[1], "actor");
}

fn deactivations_filter() -> Filter {
    Filter { action: Some("deactivated".into()), ..Filter::default() }
}

#[test]
fn a_bulk_change_logs_one_entry_per_person_in_the_order_they_were_chosen() {
    let c = company(300);
    // More people than one statement writes (entries go in by the hundred), in an order that is not
    // the order they were added.
    let mut chosen: Vec<(String, String)> =
        (0..250).map(|i| (add(&c.ws, &format!("P{i:03}"), "Bulk", None), format!("P{i:03} Bulk"))).collect();
    chosen.reverse();
    let ids: Vec<String> = chosen.iter().map(|(id, _)| id.clone()).collect();
    let change = lifecycle::deactivate(&c.ws, &c.admin, &ids, Some("Team closed"), None).unwrap();

    let log = audit::list(&c.ws, &deactivations_filter(), 0, 500).unwrap();
    assert_eq!(log.total, 250);
    let mut oldest_first: Vec<_> = log.entries.iter().map(|e| (e.change_id.as_str(), e.summary.clone())).collect();
    oldest_first.reverse();
    let expected: Vec<_> = chosen
        .iter()
        .map(|(_, name)| (change.change_id.as_str(), format!("Deactivated {name} (reason: Team closed)")))
        .collect();
    assert_eq!(oldest_first, expected);
    // Each person's own history has their entry, and only theirs.
    for (_, name) in [&chosen[0], &chosen[99], &chosen[100], &chosen[249]] {
        let email = format!("{}@acme.test", name.to_lowercase().replace(' ', "."));
        let theirs = audit::list(&c.ws, &Filter { person: Some(email), ..Filter::default() }, 0, 10).unwrap();
        let summaries: Vec<_> = theirs.entries.iter().map(|e| e.summary.clone()).collect();
        assert_eq!(summaries, [format!("Deactivated {name} (reason: Team closed)")]);
    }
}

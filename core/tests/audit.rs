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

//! Sync holds: "Keep active until DATE — reason", set and removed by admins, audited.

mod common;

use common::{add, audit_count, company};
use roster_core::audit::{self, Actor, Source};
use roster_core::{holds, merge, Code};

#[test]
fn an_admin_sets_replaces_reads_and_removes_a_hold() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Doe", None);
    assert_eq!(holds::get(&c.ws, &jane).unwrap(), None);
    let hold = holds::set(&c.ws, &c.admin, "JANE.DOE@acme.test", "2999-06-30", "  Contract extended  ").unwrap();
    assert_eq!(
        (hold.until.as_str(), hold.reason.as_str(), hold.created_by.as_str()),
        ("2999-06-30", "Contract extended", "Ada Admin")
    );
    assert!(hold.active);
    assert_eq!(holds::get(&c.ws, &jane).unwrap(), Some(hold));
    let today = chrono::Utc::now().date_naive().to_string();
    let replaced = holds::set(&c.ws, &c.admin, &jane, &today, "Until HR fixes the file").unwrap();
    assert_eq!(replaced.until, today, "today is allowed: the hold lasts through it");
    let listed = holds::list(&c.ws).unwrap();
    assert_eq!((listed.len(), listed[0].id.as_str()), (1, jane.as_str()));
    let entries = audit::list(&c.ws, &Default::default(), 0, 5).unwrap().entries;
    assert_eq!(entries[0].action, "sync_hold_set");
    assert_eq!(entries[0].before.as_ref().unwrap()["until"], "2999-06-30");
    assert!(entries[0].summary.contains("Jane Doe stays active until"), "{}", entries[0].summary);

    holds::clear(&c.ws, &c.admin, &jane).unwrap();
    assert_eq!(holds::get(&c.ws, &jane).unwrap(), None);
    let entries = audit::list(&c.ws, &Default::default(), 0, 1).unwrap().entries;
    assert_eq!(entries[0].summary, "Removed the sync hold of Jane Doe");
    let err = holds::clear(&c.ws, &c.admin, &jane).unwrap_err();
    assert_eq!(err.code, Code::PreconditionFailed);
    assert!(err.message.contains("no sync hold"), "{err}");
}

#[test]
fn bad_holds_are_refused_with_what_to_fix_and_change_nothing() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Doe", None);
    let audit = audit_count(&c.ws);
    let err = holds::set(&c.ws, &c.admin, &jane, "2000-01-01", "late").unwrap_err();
    assert_eq!(err.code, Code::InvalidInput);
    assert!(err.message.contains("in the past"), "{err}");
    let err = holds::set(&c.ws, &c.admin, &jane, "31.12.2999", "format").unwrap_err();
    assert!(err.message.contains("YYYY-MM-DD"), "{err}");
    let err = holds::set(&c.ws, &c.admin, &jane, "2999-12-31", "  ").unwrap_err();
    assert!(err.message.contains("Say why"), "{err}");
    let err = holds::set(&c.ws, &c.admin, &jane, "2999-12-31", &"x".repeat(501)).unwrap_err();
    assert!(err.message.contains("500"), "{err}");
    assert_eq!(holds::set(&c.ws, &c.admin, "ghost@acme.test", "2999-12-31", "x").unwrap_err().code, Code::NotFound);
    let eve = add(&c.ws, "Eve", "Employee", None);
    let eve = Actor { id: Some(eve), name: "Eve Employee".into(), source: Source::App };
    assert_eq!(holds::set(&c.ws, &eve, &jane, "2999-12-31", "x").unwrap_err().code, Code::Forbidden);
    let old = add(&c.ws, "Jane", "Old", None);
    merge::merge(&c.ws, &c.admin, &old, &jane, &[]).unwrap();
    let audit = audit + 1;
    // The merged-away account's email finds the kept one; its id is refused.
    let err = holds::set(&c.ws, &c.admin, &old, "2999-12-31", "x").unwrap_err();
    assert_eq!(err.code, Code::PreconditionFailed);
    assert!(err.message.contains("merged into Jane Doe"), "{err}");
    assert_eq!(audit_count(&c.ws), audit);
    let hold = holds::set(&c.ws, &c.admin, "jane.old@acme.test", "2999-12-31", "Contract extended").unwrap();
    assert_eq!(holds::get(&c.ws, &jane).unwrap(), Some(hold));
}

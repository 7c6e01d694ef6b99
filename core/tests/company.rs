//! Setting up a company: the wizard's checks, the first admin, and the demo company.

mod common;

use common::{demo_company, setup};
use roster_core::audit::{self, Filter, Source};
use roster_core::directory::{self, Query, View};
use roster_core::{company, history, license, Code, Workspace};

#[test]
fn the_wizard_refuses_what_cannot_be_a_company_and_creates_nothing() {
    let ws = Workspace::in_memory().unwrap();
    let mut bad = setup(0, false);
    assert_eq!(company::create(&ws, &bad, Source::App, 1).unwrap_err().code, Code::InvalidInput);
    bad = setup(10, false);
    bad.admin_email = "ada at acme".into();
    let err = company::create(&ws, &bad, Source::App, 1).unwrap_err();
    assert_eq!(err.code, Code::InvalidInput);
    assert!(err.message.contains("ada at acme"));
    assert_eq!(company::get(&ws).unwrap(), None);
    company::create(&ws, &setup(10, false), Source::App, 1).unwrap();
    assert_eq!(company::create(&ws, &setup(10, false), Source::App, 1).unwrap_err().code, Code::Conflict);
}

#[test]
fn the_demo_company_is_realistic_and_everyone_has_a_history() {
    let c = demo_company();
    let usage = license::usage(&c.ws).unwrap();
    assert!((230..=270).contains(&(usage.active + usage.deactivated)), "{usage:?}");
    assert_eq!(usage.deactivated, 30);
    let rows = directory::page(&c.ws, &Query { view: View::All, ..Query::default() }, 0, 500).unwrap().rows;
    let departments: std::collections::HashSet<_> = rows.iter().map(|r| r.department.as_str()).collect();
    assert!(departments.len() >= 8, "{departments:?}");
    assert!(rows.iter().filter(|r| r.manager.is_some()).count() > 200);
    for r in rows.iter().filter(|r| r.status == "deactivated") {
        assert!(r.deactivated_at.is_some() && r.deactivated_by.is_some());
        let p = history::profile(&c.ws, None, &r.id).unwrap();
        assert!(!p.objectives.is_empty() && !p.one_on_ones.is_empty(), "{} has no history", r.name);
    }
    let with_reviews =
        rows.iter().filter(|r| !history::profile(&c.ws, None, &r.id).unwrap().reviews.is_empty()).count();
    assert!(with_reviews > 150, "{with_reviews}");
    let log = audit::list(&c.ws, &Filter::default(), 0, 10).unwrap();
    assert_eq!(log.entries[0].action, "demo_generated");
}

#[test]
fn private_one_on_one_notes_are_read_only_by_their_author() {
    let c = demo_company();
    let (meeting, author, person): (String, String, String) = c
        .ws
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT n.meeting_id, n.author_id, o.person_id FROM one_on_one_notes n JOIN one_on_ones o ON o.id = n.meeting_id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    let find = |viewer: Option<&str>| {
        history::profile(&c.ws, viewer, &person).unwrap().one_on_ones.into_iter().find(|m| m.id == meeting).unwrap()
    };
    let as_author = find(Some(&author));
    assert_eq!((as_author.private_notes.len(), as_author.hidden_private_notes), (1, 0));
    let as_admin = find(c.admin.id.as_deref());
    assert_eq!((as_admin.private_notes.len(), as_admin.hidden_private_notes), (0, 1));
}

#[test]
fn an_unknown_profile_is_not_found() {
    let c = demo_company();
    assert_eq!(history::profile(&c.ws, None, "nobody").unwrap_err().code, Code::NotFound);
}

//! The Company Directory: views and counts, paging, sorting by any column, search as you type.

mod common;

use std::collections::HashSet;

use common::{add, company};
use roster_core::directory::{self, Query, SortKey, View};
use roster_core::lifecycle;
use roster_core::people::{self, NewPerson, Role};
use roster_core::Code;

/// A company of 1,200 people in three departments and five titles; every 7th is deactivated.
fn big_company() -> common::Company {
    let c = company(1000);
    let mut leaving = Vec::new();
    c.ws.write(|tx| {
        for i in 0..1200 {
            let person = NewPerson {
                first_name: format!("P{:04}", (i * 7919) % 1200),
                last_name: ["Smith", "Jones", "Zhang"][i % 3].into(),
                email: format!("p{i}@acme.test"),
                title: ["Engineer", "Designer", "Analyst", "Manager", "Recruiter"][i % 5].into(),
                department: ["Engineering", "Design", "Finance"][i % 3].into(),
                location: ["Berlin", "Lisbon"][i % 2].into(),
                hire_date: None,
                manager_id: None,
                role: Role::Employee,
            };
            let id = people::insert_tx(tx, &person)?.id;
            if i % 7 == 0 {
                leaving.push(id);
            }
        }
        Ok(())
    })
    .unwrap();
    lifecycle::deactivate(&c.ws, &c.admin, &leaving, None, None).unwrap();
    c
}

fn all_rows(c: &common::Company, query: &Query) -> Vec<directory::Row> {
    let mut rows = Vec::new();
    loop {
        let page = directory::page(&c.ws, query, rows.len() as i64, 100).unwrap();
        if page.rows.is_empty() {
            return rows;
        }
        rows.extend(page.rows);
    }
}

#[test]
fn views_count_active_and_deactivated_people_separately() {
    let c = big_company();
    let page = directory::page(&c.ws, &Query::default(), 0, 100).unwrap();
    // 1,200 added plus the admin; 172 of them deactivated (every 7th of 1,200).
    assert_eq!((page.counts.billable, page.counts.deactivated, page.counts.all), (1029, 172, 1201));
    assert_eq!(page.total, 1029);
    assert!(page.rows.iter().all(|r| r.status == "active"));
    let deactivated = directory::page(&c.ws, &Query { view: View::Deactivated, ..Query::default() }, 0, 100).unwrap();
    assert_eq!(deactivated.total, 172);
    assert!(deactivated
        .rows
        .iter()
        .all(|r| r.status == "deactivated" && r.deactivated_by.as_deref() == Some("Ada Admin")));
}

#[test]
fn pages_cover_every_row_once_in_every_sort() {
    let c = big_company();
    for sort in SortKey::ALL {
        for desc in [false, true] {
            let query = Query { view: View::All, search: String::new(), sort, desc };
            let rows = all_rows(&c, &query);
            let ids: HashSet<_> = rows.iter().map(|r| r.id.clone()).collect();
            assert_eq!((rows.len(), ids.len()), (1201, 1201), "{sort:?} desc={desc}");
            let key = |r: &directory::Row| -> String {
                match sort {
                    SortKey::Name => r.name.to_lowercase(),
                    SortKey::Email => r.email.to_lowercase(),
                    SortKey::Title => r.title.to_lowercase(),
                    SortKey::Department => r.department.to_lowercase(),
                    SortKey::Manager => r.manager.as_ref().map(|m| m.name.to_lowercase()).unwrap_or_default(),
                    SortKey::Location => r.location.to_lowercase(),
                    SortKey::Status => r.status.clone(),
                }
            };
            let keys: Vec<String> = rows.iter().map(key).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            if desc {
                sorted.reverse();
            }
            if sort == SortKey::Status {
                // Active first when ascending.
                assert_eq!(rows[0].status, if desc { "deactivated" } else { "active" });
            } else {
                assert_eq!(keys, sorted, "{sort:?} desc={desc}");
            }
        }
    }
}

#[test]
fn search_matches_every_word_over_name_email_title_and_department() {
    let c = big_company();
    let search = |text: &str, view: View| {
        let query = Query { view, search: text.into(), ..Query::default() };
        all_rows(&c, &query)
    };
    let designers = search("design", View::All);
    assert!(!designers.is_empty());
    assert!(designers.iter().all(|r| r.title == "Designer" || r.department == "Design"));
    let both = search("DESIGNER  finance", View::All);
    assert!(both.iter().all(|r| r.title == "Designer" && r.department == "Finance"));
    assert_eq!(both.len(), 1200 / 15);
    assert_eq!(search("p17@acme.test", View::All).len(), 1);
    // The counts follow the search, so the view menu tells where the matches are.
    let page = directory::page(&c.ws, &Query { search: "zhang".into(), ..Query::default() }, 0, 10).unwrap();
    assert_eq!(page.counts.all, 400);
    assert_eq!(page.counts.billable + page.counts.deactivated, 400);
    // Wildcards are text, not patterns.
    assert!(search("%", View::All).is_empty());
    assert!(search("_", View::All).is_empty());
}

#[test]
fn a_range_of_positions_gives_the_ids_in_view_order() {
    let c = big_company();
    let query = Query { sort: SortKey::Email, ..Query::default() };
    let rows = directory::page(&c.ws, &query, 0, 20).unwrap().rows;
    let range = directory::ids(&c.ws, &query, Some((12, 8))).unwrap();
    let expected: Vec<String> = rows[8..=12].iter().map(|r| r.id.clone()).collect();
    assert_eq!(range, expected);
    assert_eq!(directory::ids(&c.ws, &query, None).unwrap().len(), 1029);
}

#[test]
fn rows_show_the_manager_and_the_number_of_active_reports() {
    let c = company(10);
    let boss = add(&c.ws, "Mia", "Boss", None);
    let a = add(&c.ws, "Ann", "One", Some(&boss));
    add(&c.ws, "Bob", "Two", Some(&boss));
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&a), None, None).unwrap();
    let rows = directory::page(&c.ws, &Query { view: View::All, ..Query::default() }, 0, 10).unwrap().rows;
    let row = |name: &str| rows.iter().find(|r| r.name == name).unwrap();
    assert_eq!(row("Mia Boss").reports, 1);
    assert_eq!(row("Bob Two").manager.as_ref().unwrap().name, "Mia Boss");
    // Counted again after each change.
    lifecycle::reactivate(&c.ws, &c.admin, &[a]).unwrap();
    let rows = directory::page(&c.ws, &Query { view: View::All, ..Query::default() }, 0, 10).unwrap().rows;
    assert_eq!(rows.iter().find(|r| r.name == "Mia Boss").unwrap().reports, 2);
}

#[test]
fn an_impossible_page_is_refused() {
    let c = company(10);
    assert_eq!(directory::page(&c.ws, &Query::default(), 0, 0).unwrap_err().code, Code::InvalidInput);
    assert_eq!(directory::page(&c.ws, &Query::default(), -1, 10).unwrap_err().code, Code::InvalidInput);
    assert_eq!(directory::page(&c.ws, &Query::default(), 0, 501).unwrap_err().code, Code::InvalidInput);
}

#[test]
fn the_directory_shows_a_change_at_once_made_here_or_by_another_program() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Doe", None);
    let search = |text: &str| Query { search: text.into(), view: View::All, ..Query::default() };
    let first = directory::page(&c.ws, &search("jane"), 0, 10).unwrap();
    assert_eq!((first.counts.billable, first.counts.deactivated), (1, 0));
    // A change through the workspace.
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&jane), None, None).unwrap();
    let page = directory::page(&c.ws, &search("jane"), 0, 10).unwrap();
    assert_eq!((page.counts.billable, page.counts.deactivated), (0, 1));
    assert_eq!(page.rows[0].status, "deactivated");
    // A change written by another connection to the same file.
    let other = rusqlite::Connection::open(c.dir.path().join("w.roster")).unwrap();
    other.execute("UPDATE people SET first_name = 'Janet' WHERE id = ?1", [&jane]).unwrap();
    assert_eq!(directory::page(&c.ws, &search("jane"), 0, 10).unwrap().rows[0].name, "Janet Doe");
    assert_eq!(directory::page(&c.ws, &search("janet doe"), 0, 10).unwrap().total, 1);
    // Sorted by email, the new person comes where their email says.
    add(&c.ws, "Aaron", "Aardvark", None);
    let by_email = Query { sort: SortKey::Email, view: View::All, ..Query::default() };
    assert_eq!(directory::page(&c.ws, &by_email, 0, 1).unwrap().rows[0].email, "aaron.aardvark@acme.test");
}

#[test]
fn the_index_read_ahead_as_the_app_starts_shows_everyone_and_then_every_change() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Doe", None);
    let search = |text: &str| Query { search: text.into(), view: View::All, ..Query::default() };
    directory::prepare(&c.ws).unwrap();
    let page = directory::page(&c.ws, &search("jane"), 0, 10).unwrap();
    assert_eq!((page.total, page.rows[0].name.as_str()), (1, "Jane Doe"));
    // Read ahead, then changed by another program: the change shows.
    let other = rusqlite::Connection::open(c.dir.path().join("w.roster")).unwrap();
    other.execute("UPDATE people SET first_name = 'Janet' WHERE id = ?1", [&jane]).unwrap();
    assert_eq!(directory::page(&c.ws, &search("janet"), 0, 10).unwrap().total, 1);
    // Read ahead again, then changed here: that shows too.
    directory::prepare(&c.ws).unwrap();
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&jane), None, None).unwrap();
    let page = directory::page(&c.ws, &search("janet"), 0, 10).unwrap();
    assert_eq!((page.counts.billable, page.counts.deactivated), (0, 1));
}

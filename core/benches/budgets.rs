//! The core's budgets of DESIGN.md, on the budgets' company (100,000 people, over a million history
//! records, release build): a directory page, search as you type, deactivating 10,000 selected people
//! (also after a year of audit entries), merging and deleting a person with 1,000 records. Criterion
//! runs each; every single call is timed as well, for the percentile the budget names.

mod common;

use std::cell::RefCell;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use roster_core::audit::Actor;
use roster_core::directory::{self, Query, SortKey, View};
use roster_core::lifecycle::{self, Handover};
use roster_core::{erase, merge, Workspace};

const VIEWS: [View; 3] = [View::Billable, View::Deactivated, View::All];

/// What an admin types into the search field, one keystroke at a time.
const TYPED: &[&str] = &["jonas", "engineer", "maya costa", "sales manager", "northwind", "zz", "ana berl", "support"];

/// Runs `f` under criterion as `name`; returns the time of every call, criterion's warm-up included.
/// `f` gets the call's number and returns how long the part to measure took.
fn timed(group: &mut BenchmarkGroup<WallTime>, name: &str, mut f: impl FnMut(u64) -> Duration) -> Vec<Duration> {
    let times = RefCell::new(Vec::new());
    group.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let took = f(i);
                times.borrow_mut().push(took);
                total += took;
            }
            total
        })
    });
    times.into_inner()
}

fn directory_pages(c: &mut Criterion, path: &Path) {
    let (ws, _) = common::open_admin(path);
    let mut rng = fastrand::Rng::with_seed(7);
    let mut worst = (Duration::ZERO, String::new());
    let mut group = c.benchmark_group("directory");
    let times = timed(&mut group, "a page of 100 rows", |i| {
        let combo = i as usize % (VIEWS.len() * SortKey::ALL.len() * 2);
        let query = Query {
            view: VIEWS[combo % 3],
            sort: SortKey::ALL[combo / 3 % 7],
            desc: combo >= VIEWS.len() * SortKey::ALL.len(),
            search: String::new(),
        };
        let offset = rng.i64(0..query_total(&ws, &query).max(1));
        let started = Instant::now();
        let page = directory::page(&ws, &query, offset, 100).unwrap();
        let took = started.elapsed();
        assert!(!page.rows.is_empty() || page.total == 0);
        if took > worst.0 {
            worst = (
                took,
                format!(
                    "{:?} by {:?}{} from row {offset}",
                    query.view,
                    query.sort,
                    if query.desc { " desc" } else { "" }
                ),
            );
        }
        took
    });
    group.finish();
    println!("slowest page: {:.2?}, {}", worst.0, worst.1);
    let p95 = common::percentile(&times, 95.0);
    common::record("a directory page (100 rows, any view, any sort, any position)", "p95", p95, ms(2.0), "p95 ≤ 2 ms");

    // The first page after opening the workspace, or after people changed: the directory's index of
    // everyone is read again (and this sort's order made).
    drop(ws);
    let first: Vec<Duration> = (0..5)
        .map(|_| {
            let (ws, _) = common::open_admin(path);
            let started = Instant::now();
            directory::page(&ws, &Query { sort: SortKey::Email, ..Query::default() }, 0, 100).unwrap();
            started.elapsed()
        })
        .collect();
    let median = common::percentile(&first, 50.0);
    common::note(
        "the first page after opening or after a change (the directory's index is read again)",
        &format!("median {median:.2?}"),
    );
}

fn query_total(ws: &Workspace, query: &Query) -> i64 {
    directory::page(ws, query, 0, 1).unwrap().total
}

fn search_as_you_type(c: &mut Criterion, path: &Path) {
    let (ws, _) = common::open_admin(path);
    let keystrokes: Vec<String> =
        TYPED.iter().flat_map(|word| (1..=word.len()).map(|n| word[..n].to_string())).collect();
    let mut group = c.benchmark_group("directory");
    let times = timed(&mut group, "search as you type", |i| {
        let query = Query { search: keystrokes[i as usize % keystrokes.len()].clone(), ..Query::default() };
        let started = Instant::now();
        directory::page(&ws, &query, 0, 100).unwrap();
        started.elapsed()
    });
    group.finish();
    let p95 = common::percentile(&times, 95.0);
    common::record("search as you type over name, email, title, department", "p95", p95, ms(5.0), "p95 ≤ 5 ms");
}

/// Deactivates 10,000 people of the company at `path`, recorded as `what`.
fn deactivate_10_000(c: &mut Criterion, path: &Path, name: &str, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let copy = common::copy_of(path, dir.path(), "deactivate.roster");
    let (ws, admin) = common::open_admin(&copy);
    // A shift-click range of 10,000 rows of Billable Accounts, managers among them (their reports
    // go to nobody, each with its own audit entry); the admin is not in it.
    let query = Query { sort: SortKey::Email, ..Query::default() };
    let ids: Vec<String> = directory::ids(&ws, &query, Some((20_000, 30_000)))
        .unwrap()
        .into_iter()
        .filter(|id| Some(id) != admin.id.as_ref())
        .take(10_000)
        .collect();
    assert_eq!(ids.len(), 10_000);
    let mut group = c.benchmark_group("lifecycle");
    group.sample_size(10);
    let times = timed(&mut group, name, |_| {
        let started = Instant::now();
        let change = lifecycle::deactivate(&ws, &admin, &ids, Some("Bench"), Some(&Handover::Nobody)).unwrap();
        let took = started.elapsed();
        assert_eq!(change.count, 10_000);
        lifecycle::undo(&ws, &admin, &change.change_id).unwrap(); // not measured
        ws.wait_for_checkpoint(); // nor the WAL copied back in the background, as between two clicks
        took
    });
    group.finish();
    common::record_typical(what, &times, ms(150.0), "≤ 150 ms");
}

/// Copies of the company whose heavy people are merged or deleted one per call; a fresh copy is made
/// (not measured) when one runs out.
struct Heavy<'a> {
    template: &'a Path,
    dir: tempfile::TempDir,
    copies: usize,
    open: Option<(Workspace, Actor, Vec<String>)>,
}

impl Heavy<'_> {
    fn next(&mut self) -> (&Workspace, &Actor, String) {
        if self.open.as_ref().is_none_or(|(_, _, left)| left.is_empty()) {
            self.open = None; // closes the copy before the next one is made
            self.copies += 1;
            let copy = common::copy_of(self.template, self.dir.path(), &format!("copy{}.roster", self.copies));
            let heavy = common::heavy_ids(&copy);
            let (ws, admin) = common::open_admin(&copy);
            // What the app's background work does to a workspace it has open (not measured).
            while erase::tidy_mentions_step(&ws).unwrap() {}
            self.open = Some((ws, admin, heavy));
        }
        let (ws, admin, left) = self.open.as_mut().unwrap();
        let id = left.pop().unwrap();
        (ws, admin, id)
    }
}

fn merge_and_delete(c: &mut Criterion, path: &Path) {
    let mut heavy = Heavy { template: path, dir: tempfile::tempdir().unwrap(), copies: 0, open: None };
    let mut group = c.benchmark_group("merge and delete");
    group.sample_size(10);
    let merges = timed(&mut group, "merge a person with 1,000 records", |_| {
        let (ws, admin, source) = heavy.next();
        let destination = directory::ids(ws, &Query::default(), Some((500, 500))).unwrap().remove(0);
        let started = Instant::now();
        let merged = merge::merge(ws, admin, &source, &destination, &[]).unwrap();
        let took = started.elapsed();
        assert!(merged.counts.total() >= 1_000, "{:?}", merged.counts);
        ws.wait_for_checkpoint();
        took
    });
    let deletes = deletes(&mut group, "delete a person with 1,000 records, WAL truncated", &mut heavy, 0);
    group.finish();
    common::record_typical("merge of a person with 1,000 records", &merges, ms(50.0), "≤ 50 ms");
    common::record_typical(
        "delete of a person with 1,000 records, WAL truncated (the mentions index merged, as the app does in the background)",
        &deletes,
        ms(50.0),
        "≤ 50 ms",
    );
}

/// Deletes one heavy person per call, each named in at least `logged` audit entries; returns how long
/// each deletion took.
fn deletes(group: &mut BenchmarkGroup<WallTime>, name: &str, heavy: &mut Heavy, logged: i64) -> Vec<Duration> {
    timed(group, name, |_| {
        let (ws, admin, id) = heavy.next();
        let keys = vec![id];
        let name = erase::preview(ws, &keys).unwrap().confirmation;
        let started = Instant::now();
        let erased = erase::erase(ws, admin, &keys, &name).unwrap();
        let took = started.elapsed();
        assert_eq!(erased.counts.total(), 1_000, "{:?}", erased.counts);
        assert!(erased.counts.audit_entries >= logged, "{:?}", erased.counts);
        took
    })
}

/// The same deletion after a year of use: every earlier entry that names the person must be found
/// among a million (it took 1.2 s when the deletion read them all).
fn delete_with_a_long_log(c: &mut Criterion, path: &Path) {
    let template = common::long_log_company(path);
    let mut heavy = Heavy { template: &template, dir: tempfile::tempdir().unwrap(), copies: 0, open: None };
    let mut group = c.benchmark_group("merge and delete");
    group.sample_size(10);
    let name = "delete a person with 1,000 records after a year of HRIS imports";
    let deletes = deletes(&mut group, name, &mut heavy, 25);
    group.finish();
    common::record_typical(
        &format!(
            "the same delete after a year of use ({} audit entries, 25 of them naming the person)",
            common::LOG_ENTRIES
        ),
        &deletes,
        ms(50.0),
        "≤ 50 ms",
    );
}

fn ms(millis: f64) -> Duration {
    Duration::from_secs_f64(millis / 1000.0)
}

fn budgets(c: &mut Criterion) {
    let path = common::big_company();
    let (people, records) = common::size(&path);
    common::note("the company measured", &format!("{people} people, {records} history records"));
    directory_pages(c, &path);
    search_as_you_type(c, &path);
    deactivate_10_000(c, &path, "deactivate 10,000 selected people", "deactivate 10,000 selected people (with audit)");
    merge_and_delete(c, &path);
    delete_with_a_long_log(c, &path);
    // Each deactivated person's entry goes beside their earlier ones in the log's subject index: with
    // a year of entries, all over it.
    deactivate_10_000(
        c,
        &common::long_log_company(&path),
        "deactivate 10,000 selected people after a year of HRIS imports",
        &format!("the same deactivation after a year of use ({} audit entries)", common::LOG_ENTRIES),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    targets = budgets
}
criterion_main!(benches);

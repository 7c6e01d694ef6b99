//! What every benchmark starts from: the company of DESIGN.md's budgets (100,000 people, over a million
//! history records) in a real workspace file, made once and kept, and the table the results go to.

#![allow(dead_code)] // each bench uses its own part of this module

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use roster_core::audit::{Actor, Source};
use roster_core::company::{self, Setup};
use roster_core::{access, demo, Workspace};

pub const PEOPLE: usize = 100_000;
/// People given 1,000 records each: the merge and delete budgets are for such a person.
pub const HEAVY: usize = 40;
/// Bump when the generated company changes, so an old copy is not reused.
const GENERATION: u32 = 6;

/// Where generated workspaces and the rows of the results table are kept between runs.
pub fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("roster-bench");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Creates the company "Bench Co" (admin ada@bench.test) in a new workspace file, with `people`
/// generated people (the admin included) when `people` > 1.
pub fn company(path: &Path, seats: i64, people: usize) {
    let ws = Workspace::open(path).unwrap();
    let setup = Setup {
        company_name: "Bench Co".into(),
        seats,
        admin_first_name: "Ada".into(),
        admin_last_name: "Admin".into(),
        admin_email: "ada@bench.test".into(),
        demo: people > 1,
        admin_password: None,
        subscription_until: None,
    };
    company::create_sized(&ws, &setup, Source::Cli, demo::Size { people, seed: 2026 }).unwrap();
}

/// The budgets' company: 100,000 people with their history, and `HEAVY` deactivated people with 1,000
/// records each (`heavy_ids`). Generated on first use into `data_dir()`; copy it before changing it.
pub fn big_company() -> PathBuf {
    // Named by schema version too: a benchmark that opened an older one would migrate it in place
    // (and leave a backup of its 600 MB beside it).
    let version = roster_core::workspace::SCHEMA_VERSION;
    let path = data_dir().join(format!("company-{PEOPLE}-g{GENERATION}-v{version}.roster"));
    if path.exists() {
        return path;
    }
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let started = std::time::Instant::now();
    company(&partial, PEOPLE as i64 + 10_000, PEOPLE);
    let conn = rusqlite::Connection::open(&partial).unwrap();
    // The heavy people: deactivated (so they may be deleted), each the subject of 250 reviews, the
    // owner of 250 objectives, the receiver of 250 pieces of feedback and in 250 1:1 meetings.
    conn.execute_batch(&format!(
        "BEGIN;
         CREATE TEMP TABLE heavy AS
           SELECT id, row_number() OVER (ORDER BY id) AS n FROM people JOIN lifecycle ON lifecycle.person = people.rowid
           WHERE status = 'deactivated' AND merged_into_id IS NULL ORDER BY id LIMIT {HEAVY};
         CREATE TEMP TABLE k AS WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 250) SELECT i FROM k;
         INSERT INTO reviews (id, cycle_id, subject_id, reviewer_id, rating, text, submitted_at)
           SELECT printf('hr-%d-%d', h.n, k.i), (SELECT id FROM review_cycles LIMIT 1), h.id,
                  (SELECT id FROM people WHERE role = 'admin'), 3, 'Fine work.', '2026-02-01T00:00:00Z' FROM heavy h, k;
         INSERT INTO objectives (id, owner_id, title, status, progress)
           SELECT printf('ho-%d-%d', h.n, k.i), h.id, 'Ship it', 'on_track', 50 FROM heavy h, k;
         INSERT INTO feedback (id, to_id, from_id, text, given_at)
           SELECT printf('hf-%d-%d', h.n, k.i), h.id, (SELECT id FROM people WHERE role = 'admin'), 'Thanks!',
                  '2026-03-01T00:00:00Z' FROM heavy h, k;
         INSERT INTO one_on_ones (id, person_id, manager_id, held_on)
           SELECT printf('hm-%d-%d', h.n, k.i), h.id, NULL, '2026-03-01' FROM heavy h, k;
         -- Their own history from the generator goes, so each has exactly 1,000 records.
         DELETE FROM reviews WHERE subject_id IN (SELECT id FROM heavy) AND id NOT LIKE 'hr-%';
         DELETE FROM objectives WHERE owner_id IN (SELECT id FROM heavy) AND id NOT LIKE 'ho-%';
         DELETE FROM feedback WHERE to_id IN (SELECT id FROM heavy) AND id NOT LIKE 'hf-%';
         DELETE FROM one_on_ones WHERE person_id IN (SELECT id FROM heavy) AND id NOT LIKE 'hm-%';
         UPDATE lifecycle SET manager_id = NULL WHERE manager_id IN (SELECT id FROM heavy);
         UPDATE feedback SET from_id = (SELECT id FROM people WHERE role = 'admin') WHERE from_id IN (SELECT id FROM heavy);
         COMMIT;
         PRAGMA journal_mode = DELETE;  -- one self-contained file to copy
         VACUUM;"
    ))
    .unwrap();
    drop(conn);
    std::fs::rename(&partial, &path).unwrap();
    let (people, records) = size(&path);
    println!("Generated {} ({people} people, {records} history records) in {:.1?}", path.display(), started.elapsed());
    path
}

/// Audit entries in `long_log_company`: a year of daily HRIS imports at 100,000 people.
pub const LOG_ENTRIES: usize = 1_000_000;

/// The budgets' company after a year of use: `LOG_ENTRIES` more audit entries, as daily HRIS imports
/// write them (3,000 people updated a day, their title and manager before and after), and 25 manager
/// changes naming each heavy person. The mentions index is merged, as the app's background work
/// leaves it. Made from `big_company` on first use.
pub fn long_log_company(big: &Path) -> PathBuf {
    let path = big.with_extension("long-log.roster");
    if path.exists() {
        return path;
    }
    let partial = path.with_extension("partial");
    std::fs::copy(big, &partial).unwrap();
    let started = std::time::Instant::now();
    let conn = rusqlite::Connection::open(&partial).unwrap();
    let first: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM audit_texts", [], |r| r.get(0)).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL;
         -- The log's indexes stay in memory while a million entries go into them.
         PRAGMA cache_size = -1000000;
         BEGIN;
         CREATE TEMP TABLE who AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, name, title, manager_id
             FROM people JOIN lifecycle ON lifecycle.person = people.rowid;
         CREATE TEMP TABLE heavy AS SELECT row_number() OVER (ORDER BY subject_id) - 1 AS n, subject_id AS id,
             (SELECT name FROM people WHERE id = subject_id) AS name FROM reviews WHERE id LIKE 'hr-%-1';
         CREATE TEMP TABLE k AS WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < {LOG_ENTRIES} - 1)
             SELECT i, i / 3000 AS day, (i * 7919) % (SELECT count(*) FROM who) AS n FROM k;
         INSERT INTO audit_texts (id, change_id, text)
             SELECT {first} + 2 * k.i, 'run-' || k.day, json_object('title', w.title, 'managerId', w.manager_id)
             FROM k JOIN who w USING (n)
             UNION ALL
             SELECT {first} + 2 * k.i + 1, 'run-' || k.day,
                    json_object('title', w.title || ' II', 'managerId', w.manager_id, 'run', 'run-' || k.day)
             FROM k JOIN who w USING (n);
         -- One write a day, as an import writes its entries: numbered in a row after the log so far.
         INSERT INTO audit_writes (change_id, at, actor_id, actor_name, source, first, last)
             SELECT 'run-' || k.day, date('2025-12-01', '+' || k.day || ' days') || 'T03:00:00Z', NULL, 'HRIS import',
                    'import', b.last_id + min(k.i) + 1, b.last_id + max(k.i) + 1
             FROM k, (SELECT coalesce(max(id), 0) AS last_id FROM audit) b GROUP BY k.day ORDER BY k.day;
         INSERT INTO audit (id, write_id, action, subject_id, subject_name, before_text, after_text)
             SELECT aw.first + k.i - k.day * 3000, aw.id, 'person_updated',
                    w.id, w.name, {first} + 2 * k.i, {first} + 2 * k.i + 1
             FROM k JOIN who w USING (n) JOIN audit_writes aw ON aw.change_id = 'run-' || k.day ORDER BY k.i;
         INSERT INTO audit_texts (change_id, text)
             SELECT 'moves-' || h.n, json_object('managerId', h.id, 'managerName', h.name) FROM heavy h;
         INSERT INTO audit_writes (change_id, at, actor_id, actor_name, source, first, last)
             SELECT 'moves-' || h.n, '2026-06-01T09:00:00Z', NULL, 'HRIS import', 'import',
                    b.last_id + h.n * 25 + 1, b.last_id + h.n * 25 + 25
             FROM heavy h, (SELECT max(id) AS last_id FROM audit) b ORDER BY h.n;
         INSERT INTO audit (id, write_id, action, subject_id, subject_name, before_text, after_text)
             SELECT aw.first + k.i, aw.id, 'manager_changed', w.id, w.name,
                    (SELECT id FROM audit_texts WHERE change_id = 'moves-' || h.n), NULL
             FROM heavy h JOIN audit_writes aw ON aw.change_id = 'moves-' || h.n
             JOIN k ON k.i < 25 JOIN who w ON w.n = (h.n * 2477 + k.i * 13) % (SELECT count(*) FROM who)
             ORDER BY h.n, k.i;
         -- Each entry linked to the one before it about the same person, and each person to their
         -- newest, as Roster writes them (and as version 23 linked an older log).
         UPDATE audit SET previous = chained.previous
         FROM (SELECT id, lag(id) OVER (PARTITION BY subject_id ORDER BY id) AS previous
               FROM audit WHERE subject_id IS NOT NULL) AS chained
         WHERE audit.id = chained.id AND chained.previous IS NOT NULL;
         UPDATE lifecycle SET last_entry = newest.id
         FROM (SELECT p.rowid AS person, max(a.id) AS id FROM audit a JOIN people p ON p.id = a.subject_id
               GROUP BY p.rowid) AS newest
         WHERE lifecycle.person = newest.person;
         COMMIT;
         INSERT INTO mentions (mentions) VALUES ('optimize');
         PRAGMA wal_checkpoint(TRUNCATE);
         PRAGMA journal_mode = DELETE;"
    ))
    .unwrap();
    drop(conn);
    std::fs::rename(&partial, &path).unwrap();
    println!("Generated {} ({LOG_ENTRIES} more audit entries) in {:.1?}", path.display(), started.elapsed());
    path
}

/// People and history records (reviews, objectives, feedback, 1:1 meetings and their notes) in a workspace.
pub fn size(path: &Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(
        "SELECT (SELECT count(*) FROM people),
                (SELECT count(*) FROM reviews) + (SELECT count(*) FROM objectives) + (SELECT count(*) FROM feedback)
                + (SELECT count(*) FROM one_on_ones) + (SELECT count(*) FROM one_on_one_notes)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// The ids of the heavy people, in the order they were made.
pub fn heavy_ids(ws_path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(ws_path).unwrap();
    let mut stmt = conn.prepare("SELECT subject_id FROM reviews WHERE id LIKE 'hr-%-1' ORDER BY id").unwrap();
    let ids = stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<Vec<String>, _>>().unwrap();
    assert_eq!(ids.len(), HEAVY);
    ids
}

/// A private copy of `template` to change, in `dir`. Written to disk before it is used: otherwise the
/// system writes its 600 MB back while the next measurement runs.
pub fn copy_of(template: &Path, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(template, &path).unwrap();
    std::fs::File::open(&path).unwrap().sync_all().unwrap();
    path
}

/// Opens the workspace with its admin as the actor.
pub fn open_admin(path: &Path) -> (Workspace, Actor) {
    let ws = Workspace::open(path).unwrap();
    let id = access::first_admin(&ws).unwrap().unwrap();
    let admin = access::admin(&ws, &id, Source::Cli).unwrap();
    (ws, admin)
}

/// The `p`-th percentile (0–100) of `times`.
pub fn percentile(times: &[Duration], p: f64) -> Duration {
    assert!(!times.is_empty(), "no time was measured");
    let mut sorted = times.to_vec();
    sorted.sort();
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// One line of the results table: `what` took `measured` (`statistic`: "p95", "median"…) against
/// `budget`. Printed, and added to the rows that `make bench` writes into bench/results.md.
pub fn record(what: &str, statistic: &str, measured: Duration, budget: Duration, budget_text: &str) {
    record_with(what, &format!("{statistic} {measured:.2?}"), measured, budget, budget_text);
}

/// A budget without a percentile ("≤ 50 ms"): the ratio is of the median, and the p95 is shown beside it.
pub fn record_typical(what: &str, times: &[Duration], budget: Duration, budget_text: &str) {
    let (median, p95) = (percentile(times, 50.0), percentile(times, 95.0));
    let measured = format!("median {median:.2?} (p95 {p95:.2?}, {} runs)", times.len());
    record_with(what, &measured, median, budget, budget_text);
}

fn record_with(what: &str, measured_text: &str, measured: Duration, budget: Duration, budget_text: &str) {
    let ratio = measured.as_secs_f64() / budget.as_secs_f64();
    let verdict = if ratio <= 1.0 { "within budget" } else { "**over budget**" };
    let line = format!("| {what} | {measured_text} | {budget_text} | {ratio:.2} {verdict} |");
    println!("{line}");
    let mut rows =
        std::fs::OpenOptions::new().create(true).append(true).open(data_dir().join("results-rows.md")).unwrap();
    writeln!(rows, "{line}").unwrap();
}

/// A line of the results table that is a fact, not a budget (the size of what was measured, a reference time).
pub fn note(what: &str, value: &str) {
    let line = format!("| {what} | {value} | — | — |");
    println!("{line}");
    let mut rows =
        std::fs::OpenOptions::new().create(true).append(true).open(data_dir().join("results-rows.md")).unwrap();
    writeln!(rows, "{line}").unwrap();
}

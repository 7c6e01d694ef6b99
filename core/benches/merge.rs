//! Budget (DESIGN.md): merging a person with 1,000 records takes at most 50 ms, in a workspace of
//! 10,000 people. Each run merges in a fresh copy of the same workspace file.

use std::path::Path;

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use roster_core::merge;

/// A company of 10,000 people; "source" has 1,000 records: 250 reviews about them, 250 objectives,
/// 250 pieces of feedback and 250 1:1 meetings.
fn build(path: &Path) {
    common::company(path, 20_000);
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "BEGIN;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
         INSERT INTO people (id, first_name, last_name, email, title, department, created_at)
         SELECT printf('p%05d', i), 'Person', printf('%05d', i), printf('p%05d@bench.test', i), 'Engineer', 'Engineering',
                '2026-01-01T00:00:00Z' FROM n;
         UPDATE people SET manager_id = 'p00001' WHERE id BETWEEN 'p00002' AND 'p00020';
         INSERT INTO review_cycles (id, name, starts_on, ends_on) VALUES ('c1', 'Cycle', '2026-01-01', '2026-02-01');
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
         INSERT INTO reviews (id, cycle_id, subject_id, reviewer_id, rating, text, submitted_at)
         SELECT printf('r%d', i), 'c1', 'p00001', 'p00100', 3, 'Fine work.', '2026-02-01T00:00:00Z' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
         INSERT INTO objectives (id, owner_id, title, status, progress) SELECT printf('o%d', i), 'p00001', 'Ship it', 'on_track', 50 FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
         INSERT INTO feedback (id, to_id, from_id, text, given_at) SELECT printf('f%d', i), 'p00001', 'p00200', 'Thanks!', '2026-03-01T00:00:00Z' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
         INSERT INTO one_on_ones (id, person_id, manager_id, held_on) SELECT printf('m%d', i), 'p00001', 'p00300', '2026-03-01' FROM n;
         COMMIT;",
    )
    .unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap(); // one self-contained file to copy
}

fn merge_a_person_with_1000_records(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.roster");
    build(&template);
    let mut run = 0;
    c.bench_function("merge a person with 1,000 records (budget 50 ms)", |b| {
        b.iter_batched(
            || {
                run += 1;
                let path = dir.path().join(format!("run{run}.roster"));
                std::fs::copy(&template, &path).unwrap();
                common::open_admin(&path)
            },
            // The workspace is returned so it is closed outside the measurement.
            |(ws, admin)| {
                let merged = merge::merge(&ws, &admin, "p00001", "p09999", &[]).unwrap();
                assert_eq!(merged.counts.total(), 1000 + 19);
                ws
            },
            BatchSize::PerIteration,
        )
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = merge_a_person_with_1000_records
}
criterion_main!(benches);

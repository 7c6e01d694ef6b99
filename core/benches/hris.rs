//! Budgets (DESIGN.md): the HRIS dry run of a 100,000-row file takes at most as long as
//! `sqlite3 .import` of the same file; applying it at most twice as long. Measured here side by side
//! (median of a few runs, release build) and printed as one table.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use roster_core::hris::{self, ImportFile, Trigger};

const PEOPLE: usize = 100_000;

/// The company's HRIS export; `day` 1 is the base, day 2 has new hires, leavers, moves and new managers.
fn export(day: u32) -> String {
    let mut csv = String::from(
        "First Name,Last Name,Gender,Title,Login Email,Manager Email,Department,Team,Location,Employee ID,Hiring Date,Status\n",
    );
    let people = if day == 1 { PEOPLE } else { PEOPLE + 1_000 };
    for i in 0..people {
        let manager = if i < 100 {
            String::new()
        } else {
            format!("p{:06}@bench.test", (i / 100) * (1 + (day as usize - 1) * (i % 7 == 0) as usize) % 100)
        };
        let department =
            ["Engineering", "Sales", "Finance", "People"][(i + (day as usize - 1) * (i % 50 == 0) as usize) % 4];
        let status = if day == 2 && i % 97 == 0 { "Terminated" } else { "Active" };
        csv.push_str(&format!(
            "Person,{i:06},,Engineer,p{i:06}@bench.test,{manager},{department},Core,Berlin,E{i:06},2024-01-15,{status}\n"
        ));
    }
    csv
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn sqlite3_import(dir: &Path, csv: &Path) -> Duration {
    let runs = (0..3)
        .map(|n| {
            let db = dir.join(format!("plain{n}.db"));
            let started = Instant::now();
            let status = Command::new("sqlite3")
                .arg(&db)
                .args([".mode csv", &format!(".import {} people", csv.display())])
                .status()
                .expect("the sqlite3 command-line tool (Debian's sqlite3; `make bench` installs it)");
            assert!(status.success());
            started.elapsed()
        })
        .collect();
    median(runs)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (day1, day2) = (export(1), export(2));
    let csv = dir.path().join("hris-day2.csv");
    std::fs::write(&csv, &day2).unwrap();
    let template = dir.path().join("template.roster");
    {
        common::company(&template, 200_000);
        let (ws, admin) = common::open_admin(&template);
        let base = ImportFile { name: "hris-day1.csv".into(), bytes: day1.into_bytes() };
        hris::import(&ws, &admin, &base, Trigger::Cli, "bench").unwrap();
        ws.checkpoint_truncate().unwrap();
    }
    let file = ImportFile { name: "hris-day2.csv".into(), bytes: day2.into_bytes() };
    let plain = sqlite3_import(dir.path(), &csv);

    let (ws, _) = common::open_admin(&template);
    let dry: Vec<Duration> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let plan = hris::plan(&ws, &file).unwrap();
            assert!(
                plan.counts.created > 900 && plan.counts.deactivated > 1_000,
                "{:?} {:?}",
                plan.counts,
                plan.errors.first()
            );
            started.elapsed()
        })
        .collect();
    drop(ws);
    let apply: Vec<Duration> = (0..3)
        .map(|n| {
            let copy = dir.path().join(format!("run{n}.roster"));
            std::fs::copy(&template, &copy).unwrap();
            let (ws, admin) = common::open_admin(&copy);
            let started = Instant::now();
            let run = hris::import(&ws, &admin, &file, Trigger::Cli, "bench").unwrap();
            let took = started.elapsed();
            assert_eq!(run.outcome, "applied", "{:?}", run.message);
            took
        })
        .collect();

    let (dry, apply) = (median(dry), median(apply));
    println!("\n| what | measured | budget | ratio |\n| --- | --- | --- | --- |");
    println!("| sqlite3 .import of the 100,000-row file | {plain:.2?} | — | — |");
    for (what, took, times) in [("HRIS dry run", dry, 1.0), ("HRIS apply", apply, 2.0)] {
        let budget = plain.mul_f64(times);
        let ratio = took.as_secs_f64() / budget.as_secs_f64();
        let verdict = if ratio <= 1.0 { "within budget" } else { "OVER BUDGET" };
        println!("| {what} | {took:.2?} | {budget:.2?} ({times}× sqlite3) | {ratio:.2} {verdict} |");
    }
}

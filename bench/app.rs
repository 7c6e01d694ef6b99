//! The app's budgets (DESIGN.md, issue 7), in the real release app under Xvfb through WebDriver, on a
//! company of 100,000 people with their history: launch to the directory shown, scrolling the whole
//! list, typing a search, and the memory of the app with its WebKit processes when idle.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use roster_core::audit::Source;
use roster_core::company::{self, Setup};
use roster_core::{demo, Workspace};
use serde_json::json;
use support::App;

const PEOPLE: usize = 100_000;
const EMAIL: &str = "ada@bench.test";
const PASSWORD: &str = "correct horse battery";

fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("roster-bench");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The company, made once and kept; each run opens a copy.
fn company() -> PathBuf {
    // Named by schema version: a launch that migrated the copy first would measure the migration.
    let version = roster_core::workspace::SCHEMA_VERSION;
    let path = data_dir().join(format!("app-company-{PEOPLE}-v{version}.roster"));
    if !path.exists() {
        let partial = path.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let ws = Workspace::open(&partial).unwrap();
        let setup = Setup {
            company_name: "Bench Co".into(),
            seats: PEOPLE as i64,
            admin_first_name: "Ada".into(),
            admin_last_name: "Admin".into(),
            admin_email: EMAIL.into(),
            demo: true,
            admin_password: Some(PASSWORD.into()),
            subscription_until: None,
        };
        company::create_sized(&ws, &setup, Source::Cli, demo::Size { people: PEOPLE, seed: 2026 }).unwrap();
        ws.checkpoint_truncate().unwrap();
        drop(ws);
        std::fs::rename(&partial, &path).unwrap();
    }
    path
}

fn record(rows: &mut Vec<String>, what: &str, measured: &str, budget: &str, ratio: Option<f64>) {
    let ratio = ratio.map_or("—".to_string(), |r| {
        format!("{r:.2} {}", if r <= 1.0 { "within budget" } else { "**over budget**" })
    });
    let line = format!("| {what} | {measured} | {budget} | {ratio} |");
    println!("{line}");
    rows.push(line);
}

/// A running process, as `/proc/PID/stat` tells it.
struct Process {
    pid: u32,
    parent: u32,
    /// Clock ticks since boot.
    started: u64,
    /// Whether it runs `binary`.
    is_app: bool,
}

fn processes(binary: &Path) -> Vec<Process> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_string_lossy().parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // "pid (comm) state ppid …": the name may hold spaces, so the fields are read after its
            // closing parenthesis; ppid is field 4, starttime field 22.
            let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
            Some(Process {
                pid,
                parent: fields.get(1)?.parse().ok()?,
                started: fields.get(19)?.parse().ok()?,
                is_app: std::fs::read_link(entry.path().join("exe")).is_ok_and(|exe| exe == binary),
            })
        })
        .collect()
}

/// The newest process of the app.
fn app_process(all: &[Process]) -> &Process {
    all.iter().filter(|p| p.is_app).max_by_key(|p| p.started).expect("the app's process")
}

/// When the newest process of `binary` started, in milliseconds since the epoch: the kernel's clock
/// ticks since boot (10 ms each), with boot placed by `/proc/uptime` read now.
fn started_at(binary: &Path) -> f64 {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
    let uptime: f64 = std::fs::read_to_string("/proc/uptime").unwrap().split(' ').next().unwrap().parse().unwrap();
    // SAFETY: sysconf only reads a constant of the system.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (now - uptime + app_process(&processes(binary)).started as f64 / ticks) * 1000.0
}

/// Proportional memory (PSS, shared pages split between the processes that map them) of the running
/// app and every process below it (WebKit's web and network processes), in bytes, and each one's share.
fn app_memory(binary: &Path) -> (u64, Vec<String>) {
    let all = processes(binary);
    let app = app_process(&all).pid;
    let parents: HashMap<u32, u32> = all.iter().map(|p| (p.pid, p.parent)).collect();
    let below = |mut pid: u32| loop {
        if pid == app {
            return true;
        }
        match parents.get(&pid) {
            Some(&p) if p != 0 && p != pid => pid = p,
            _ => return false,
        }
    };
    let mut total = 0;
    let mut each = Vec::new();
    for &pid in parents.keys().filter(|&&pid| below(pid)) {
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        let pss = rollup
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .map_or(0, |kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().unwrap_or(0) * 1024);
        total += pss;
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_string();
        each.push(format!("{name} {} MB", pss / (1024 * 1024)));
    }
    (total, each)
}

/// When the sign-in form was first on screen (the page's mark), in milliseconds since the epoch.
const SIGN_IN_SHOWN: &str = r#"
const mark = performance.getEntriesByName('roster:sign-in-shown')[0];
return mark ? performance.timeOrigin + mark.startTime : null;
"#;

/// Presses "Sign in" and measures in the page until the directory's first row shows.
const SIGN_IN: &str = r#"
const [done] = arguments;
const started = performance.now();
document.querySelector('[data-testid="sign-in-submit"]').click();
(function wait() {
  const row = document.querySelector('[data-testid="row"][data-index="0"] [data-testid="row-name"]');
  if (row && row.textContent) {
    done({ ms: performance.now() - started });
  } else if (performance.now() - started > 10000) {
    done({ error: 'the directory never showed' });
  } else {
    requestAnimationFrame(wait);
  }
})();
"#;

/// Scrolls the list from top to bottom, one screen at a time as a person dragging the scrollbar does,
/// and measures in the page how long each position takes until its rows are shown.
const SCROLL: &str = r#"
const [steps, done] = arguments;
const list = document.querySelector('[data-testid="directory-list"]');
const rowHeight = 40;
const times = [];
let biggestDom = 0;
let step = 0;
const last = list.scrollHeight - list.clientHeight;
function next() {
  if (step > steps) { done({ times, biggestDom }); return; }
  const top = Math.round(last * step / steps);
  const index = Math.floor(top / rowHeight) + 2;
  const started = performance.now();
  list.scrollTop = top;
  (function wait() {
    const row = list.querySelector(`[data-testid="row"][data-index="${index}"] [data-testid="row-name"]`);
    if (row && row.textContent) {
      times.push(performance.now() - started);
      biggestDom = Math.max(biggestDom, document.getElementsByTagName('*').length);
      step++;
      requestAnimationFrame(next);
    } else if (performance.now() - started > 10000) {
      done({ error: `row ${index} never showed` });
    } else {
      requestAnimationFrame(wait);
    }
  })();
}
next();
"#;

/// Types `text` into the search field one keystroke at a time (an input event each, 60 ms apart, as a
/// quick typist), then measures until the list shows `expected` results.
const TYPE: &str = r#"
const [text, expected, done] = arguments;
const field = document.querySelector('[data-testid="search"]');
const view = document.querySelector('[data-testid="view-menu"]');
field.focus();
field.value = '';
let n = 0;
function key() {
  n++;
  field.value = text.slice(0, n);
  field.dispatchEvent(new Event('input', { bubbles: true }));
  if (n < text.length) { setTimeout(key, 60); return; }
  const started = performance.now();
  (function wait() {
    const first = document.querySelector('[data-testid="row"][data-index="0"]');
    if (view.textContent.endsWith(` · ${expected}`) && first && first.textContent.toLowerCase().includes(text)) {
      done({ ms: performance.now() - started });
    } else if (performance.now() - started > 10000) {
      done({ error: `the results never showed: ${view.textContent}` });
    } else {
      requestAnimationFrame(wait);
    }
  })();
}
key();
"#;

const LAUNCHES: usize = 5;

/// Starts the app (through WebDriver) and signs in. From the start of the app's process, as a
/// double-click starts it, to the frame that shows its sign-in form (the page's own mark, on the same
/// clock), then from "Sign in" to the frame that shows the directory's rows, measured in the page:
/// WebDriver's own setup and polling are left out.
async fn launch_and_sign_in(path: &Path, binary: &Path) -> (App, (f64, f64)) {
    let app = App::launch_on("bench", path, None).await;
    app.find("sign-in-email").await;
    let shown_at = app.client.execute(SIGN_IN_SHOWN, vec![]).await.unwrap().as_f64().expect("the sign-in mark");
    let launch = shown_at - started_at(binary);
    app.type_into("sign-in-email", EMAIL).await;
    app.type_into("sign-in-password", PASSWORD).await;
    let signed_in = app.client.execute_async(SIGN_IN, vec![]).await.unwrap();
    assert!(signed_in.get("error").is_none(), "{signed_in}");
    (app, (launch, signed_in["ms"].as_f64().unwrap()))
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list`: nothing to list but this whole run
    }
    let binary = std::fs::canonicalize(env!("CARGO_BIN_EXE_roster")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.roster");
    std::fs::copy(company(), &path).unwrap();
    std::fs::File::open(&path).unwrap().sync_all().unwrap(); // not written back while the app is measured
    let expected: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM people JOIN lifecycle ON lifecycle.person = people.rowid WHERE status = 'active'
               AND first_name || ' ' || last_name || ' ' || email || ' ' || title || ' ' || department || ' ' || alias_search
                   LIKE '%engineer%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut rows = Vec::new();

    // Launch, a few times on the same workspace (one launch varies by a few hundred ms here): the
    // median of the times, and the last app stays open for the rest.
    let mut launches = Vec::new();
    let mut app = None;
    for _ in 0..LAUNCHES {
        if let Some(previous) = app.take() {
            App::quit(previous).await;
        }
        let (opened, times) = launch_and_sign_in(&path, &binary).await;
        launches.push(times);
        app = Some(opened);
    }
    let app = app.unwrap();
    launches.sort_by(|a, b| (a.0 + a.1).total_cmp(&(b.0 + b.1)));
    let (launch, shown) = launches[launches.len() / 2];
    let total = launch + shown;
    let (fastest, slowest) = (launches[0].0 + launches[0].1, launches[LAUNCHES - 1].0 + launches[LAUNCHES - 1].1);
    let what = format!(
        "launch to the directory shown ({PEOPLE} people), median of {LAUNCHES} ({fastest:.0}–{slowest:.0} ms): the sign-in \
         screen {launch:.0} ms after the app's process started, then the directory {shown:.0} ms after “Sign in”"
    );
    record(&mut rows, &what, &format!("{total:.0} ms"), "≤ 1 s", Some(total / 1000.0));

    // Idle memory, once the directory has settled.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (memory, processes) = app_memory(&binary);
    let mib = memory as f64 / (1024.0 * 1024.0);
    let what = format!("memory of the app with its WebKit processes, idle (PSS: {})", processes.join(", "));
    record(&mut rows, &what, &format!("{mib:.0} MB"), "≤ 250 MB", Some(mib / 250.0));

    // Scrolling the whole list.
    let steps = 200;
    let scrolled = app.client.execute_async(SCROLL, vec![json!(steps)]).await.unwrap();
    assert!(scrolled.get("error").is_none(), "{scrolled}");
    let mut times: Vec<f64> = serde_json::from_value(scrolled["times"].clone()).unwrap();
    times.sort_by(f64::total_cmp);
    let p95 = times[(times.len() * 95).div_ceil(100) - 1];
    let dom = scrolled["biggestDom"].as_u64().unwrap();
    let what = format!(
        "scrolling the whole list, top to bottom in {steps} jumps: rows shown after a jump (DOM at most {dom} elements)"
    );
    record(&mut rows, &what, &format!("p95 {p95:.0} ms"), "p95 ≤ 100 ms", Some(p95 / 100.0));

    // Typing a search.
    let typed = app.client.execute_async(TYPE, vec![json!("engineer"), json!(expected)]).await.unwrap();
    assert!(typed.get("error").is_none(), "{typed}");
    let ms = typed["ms"].as_f64().unwrap();
    let what = format!("typing a search (“engineer”, {expected} results): last keystroke to the results shown (120 ms debounce included)");
    record(&mut rows, &what, &format!("{ms:.0} ms"), "≤ 250 ms", Some(ms / 250.0));
    app.quit().await;

    let mut out =
        std::fs::OpenOptions::new().create(true).append(true).open(data_dir().join("results-rows.md")).unwrap();
    for line in rows {
        writeln!(out, "{line}").unwrap();
    }
}

//! Drives the real Roster binary: its own Xvfb display, `tauri-driver` (which starts WebKitWebDriver
//! and the app), a WebDriver session, and a fresh temporary workspace. One app at a time.
//! Shared by the end-to-end tests and the app's benchmark (bench/app.rs), each using its own part.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// WebKitWebDriver allows one session at a time.
static ONE_APP: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const PATIENCE: Duration = Duration::from_secs(30);
/// How often a wait looks again: fantoccini's default, 250 ms, would add up to that much to each time
/// the app benchmark measures.
const LOOK_EVERY: Duration = Duration::from_millis(10);

pub struct App {
    pub client: Client,
    pub workspace: PathBuf,
    pub display: String,
    name: String,
    _dir: Option<tempfile::TempDir>,
    driver: Child,
    xvfb: Child,
    _one: tokio::sync::MutexGuard<'static, ()>,
}

fn require(program: &str, package: &str) {
    let found = Command::new("sh").arg("-c").arg(format!("command -v {program}")).stdout(Stdio::null()).status();
    assert!(
        found.is_ok_and(|s| s.success()),
        "`{program}` is missing: run `make test` (it installs {package}), or install it yourself."
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_xvfb() -> (Child, String) {
    require("Xvfb", "Debian's xvfb");
    let mut xvfb = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", "1280x820x24", "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let mut line = String::new();
    BufReader::new(xvfb.stdout.take().unwrap()).read_line(&mut line).expect("Xvfb tells its display");
    (xvfb, format!(":{}", line.trim()))
}

impl App {
    /// Starts Roster on a new workspace in a temporary folder.
    pub async fn launch(name: &str) -> App {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("workspace.roster");
        App::launch_on(name, &workspace, Some(dir)).await
    }

    /// Starts Roster on the given workspace file.
    pub async fn launch_on(name: &str, workspace: &Path, dir: Option<tempfile::TempDir>) -> App {
        App::launch_binary(name, Path::new(env!("CARGO_BIN_EXE_roster")), workspace, dir).await
    }

    /// Starts the Roster binary at `binary` (the one cargo built, or one unpacked from the .deb).
    pub async fn launch_binary(name: &str, binary: &Path, workspace: &Path, dir: Option<tempfile::TempDir>) -> App {
        let one = ONE_APP.lock().await;
        require("tauri-driver", "tauri-driver (cargo install tauri-driver --locked)");
        require("WebKitWebDriver", "Debian's webkit2gtk-driver");
        let (xvfb, display) = start_xvfb();
        let (port, native) = (free_port(), free_port());
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("DISPLAY", &display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, ended as one: killing tauri-driver alone leaves its
            // WebKitWebDriver running after the test.
            .process_group(0)
            .spawn()
            .expect("start tauri-driver");
        // tauri-driver forwards to WebKitWebDriver, which it starts at the same time: a session asked
        // for before both listen gets a cut-off answer.
        let started = Instant::now();
        for (listener, at) in [("tauri-driver", port), ("WebKitWebDriver", native)] {
            while TcpStream::connect(("127.0.0.1", at)).is_err() {
                assert!(started.elapsed() < PATIENCE, "{listener} did not listen on port {at}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({ "application": binary, "args": ["--workspace", workspace] }));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session with the app");
        App {
            client,
            workspace: workspace.to_path_buf(),
            display,
            name: name.into(),
            _dir: dir,
            driver,
            xvfb,
            _one: one,
        }
    }

    /// The element, once it is there.
    pub async fn find(&self, testid: &str) -> Element {
        self.find_css(&format!("[data-testid=\"{testid}\"]")).await
    }

    pub async fn find_css(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .every(LOOK_EVERY)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    pub async fn all(&self, testid: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(&format!("[data-testid=\"{testid}\"]"))).await.unwrap()
    }

    pub async fn click(&self, testid: &str) {
        self.find(testid).await.click().await.unwrap_or_else(|e| panic!("click {testid}: {e}"));
    }

    pub async fn type_into(&self, testid: &str, text: &str) {
        // Select all and delete, as a person does: the page sees the same input events.
        let field = self.find(testid).await;
        let select_all = Key::Control + "a";
        let erase: char = Key::Backspace.into();
        field.send_keys(&format!("{select_all}{}{erase}", char::from(Key::Control))).await.unwrap();
        if !text.is_empty() {
            field.send_keys(text).await.unwrap();
        }
    }

    /// Waits until `check` holds, re-reading the page; says what it last saw when it never does.
    pub async fn until<T, F, Fut>(&self, what: &str, mut read: F, check: impl Fn(&T) -> bool) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
        T: std::fmt::Debug,
    {
        let started = Instant::now();
        loop {
            let value = read().await;
            if let Some(v) = value {
                if check(&v) {
                    return v;
                }
                assert!(started.elapsed() < PATIENCE, "{what}: last seen {v:?}");
            } else {
                assert!(started.elapsed() < PATIENCE, "{what}: never appeared");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of an element, once it equals `expected`.
    pub async fn text_is(&self, testid: &str, expected: &str) {
        let css = format!("[data-testid=\"{testid}\"]");
        self.until(
            &format!("{testid} should read “{expected}”"),
            || async { self.client.find(Locator::Css(&css)).await.ok()?.text().await.ok() },
            |t: &String| t.trim() == expected,
        )
        .await;
    }

    /// The text of an element, once it contains `part`.
    pub async fn text_contains(&self, testid: &str, part: &str) -> String {
        let css = format!("[data-testid=\"{testid}\"]");
        self.until(
            &format!("{testid} should contain “{part}”"),
            || async { self.client.find(Locator::Css(&css)).await.ok()?.text().await.ok() },
            |t: &String| t.contains(part),
        )
        .await
    }

    /// Clicks `element` with a modifier key held, as a person shift- or ctrl-clicks.
    pub async fn click_with(&self, modifier: Key, element: &Element) {
        let key: char = modifier.into();
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Pause { duration: Duration::ZERO })
            .then(KeyAction::Pause { duration: Duration::ZERO })
            .then(KeyAction::Pause { duration: Duration::ZERO })
            .then(KeyAction::Up { value: key });
        let mouse = MouseActions::new("mouse".into())
            .then(PointerAction::Pause { duration: Duration::ZERO })
            .then(PointerAction::MoveToElement { element: element.clone(), duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::Pause { duration: Duration::ZERO });
        self.client.perform_actions(fantoccini::actions::Actions::from(keys).and(mouse)).await.unwrap();
        self.client.release_actions().await.unwrap();
    }

    /// Waits for the native window titled `title`, gives it the keyboard, then runs each `xdotool`
    /// command in turn: the keys a person presses in a GTK dialog.
    pub fn answer_native_dialog(&self, title: &str, keys: &[&[&str]]) {
        require("xdotool", "Debian's xdotool");
        let xdotool = |args: &[&str]| {
            Command::new("xdotool").args(args).env("DISPLAY", &self.display).output().expect("run xdotool")
        };
        let started = Instant::now();
        let window = loop {
            let found = xdotool(&["search", "--onlyvisible", "--name", title]);
            if let Some(id) = String::from_utf8_lossy(&found.stdout).lines().next() {
                break id.to_string();
            }
            assert!(started.elapsed() < PATIENCE, "no native dialog titled “{title}” appeared");
            std::thread::sleep(Duration::from_millis(50));
        };
        let focus = xdotool(&["windowfocus", &window]);
        assert!(focus.status.success(), "xdotool windowfocus: {}", String::from_utf8_lossy(&focus.stderr));
        for args in keys {
            assert!(xdotool(args).status.success(), "xdotool {args:?}");
        }
    }

    /// A picture of the whole display.
    pub fn screenshot(&self, path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let status = Command::new("import").args(["-display", &self.display, "-window", "root"]).arg(path).status();
        assert!(status.is_ok_and(|s| s.success()), "`import` (Debian's imagemagick) could not take a screenshot");
    }

    /// How many distinct colours the display shows: one or two when the window stays blank, hundreds
    /// once WebKit paints the page (text is drawn with anti-aliased edges).
    pub fn colours_shown(&self) -> usize {
        let shot = tempfile::Builder::new().suffix(".png").tempfile().unwrap();
        self.screenshot(shot.path());
        let counted = Command::new("convert").arg(shot.path()).args(["-format", "%k", "info:"]).output();
        let counted = counted.expect("`convert` (Debian's imagemagick) counts a screenshot's colours");
        String::from_utf8_lossy(&counted.stdout).trim().parse().expect("convert prints a number of colours")
    }

    /// Ends the session and the app, and waits until the workspace is closed.
    pub async fn quit(mut self) {
        let client = self.client.clone();
        let _ = client.close().await;
        self.end_driver();
    }

    /// Ends tauri-driver and what it started (WebKitWebDriver, and the app if it still runs).
    fn end_driver(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.wait();
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts").join(format!("{}.png", self.name));
            let _ = std::fs::create_dir_all(shot.parent().unwrap());
            let _ = Command::new("import").args(["-display", &self.display, "-window", "root"]).arg(&shot).status();
            eprintln!("screenshot of the failing app: {}", shot.display());
        }
        self.end_driver();
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

/// A workspace as the first Roster wrote it (schema version 1, WAL), with its company and no one in
/// it: opening it upgrades it.
pub fn workspace_of_version_1(path: &Path) -> rusqlite::Connection {
    let old = rusqlite::Connection::open(path).unwrap();
    old.execute_batch(include_str!("../../core/migrations/001_initial.sql")).unwrap();
    old.pragma_update(None, "application_id", roster_core::workspace::APPLICATION_ID).unwrap();
    old.pragma_update(None, "user_version", 1).unwrap();
    old.pragma_update(None, "journal_mode", "WAL").unwrap();
    old.execute("INSERT INTO company VALUES (1, 'Old Co', 5, '2025-01-01T00:00:00Z')", []).unwrap();
    old
}

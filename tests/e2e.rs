//! End to end: the real Roster app in WebKit under Xvfb, driven as an HR admin would drive it.

mod support;

use std::path::Path;

use fantoccini::key::Key;
use support::App;

/// The first-run wizard, filled in.
async fn create_company(app: &App, first: &str, last: &str, demo: bool) {
    app.type_into("wizard-company-name", "Northwind Labs").await;
    app.type_into("wizard-seats", "250").await;
    app.type_into("wizard-admin-first", first).await;
    app.type_into("wizard-admin-last", last).await;
    app.type_into("wizard-admin-email", "ada@northwind.example").await;
    if demo {
        app.click("wizard-demo").await;
    }
    app.click("wizard-submit").await;
    app.find("directory-list").await;
}

fn row(index: usize, part: &str) -> String {
    format!("[data-testid=\"row\"][data-index=\"{index}\"] {part}")
}

async fn row_name(app: &App, index: usize) -> String {
    app.find_css(&row(index, "[data-testid=\"row-name\"]")).await.text().await.unwrap()
}

/// Types a search and waits until every row shown matches it.
async fn search(app: &App, text: &str) {
    app.type_into("search", text).await;
    let expected = text.to_lowercase();
    app.until(
        "every row to match the search",
        || async {
            let rows = app
                .client
                .execute(
                    "return [...document.querySelectorAll('[data-testid=\"row\"]')].map(r => r.textContent)",
                    vec![],
                )
                .await
                .ok()?;
            serde_json::from_value::<Vec<String>>(rows).ok()
        },
        |rows: &Vec<String>| !rows.is_empty() && rows.iter().all(|r| r.to_lowercase().contains(&expected)),
    )
    .await;
}

/// Opens the Manage-style menu at the far right of a row and picks an item.
async fn row_menu(app: &App, index: usize, item: &str) {
    app.find_css(&row(index, "[data-testid=\"row-menu\"]")).await.click().await.unwrap();
    app.click(item).await;
}

/// With ROSTER_UPDATE_SCREENSHOT set, keeps a picture of this step in tests/artifacts to look at.
fn look(app: &App, name: &str) {
    if std::env::var_os("ROSTER_UPDATE_SCREENSHOT").is_some() {
        app.screenshot(&Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/artifacts/{name}.png")));
    }
}

fn sqlite(app: &App) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(&app.workspace, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

#[tokio::test]
async fn an_admin_sets_up_a_demo_company_and_deactivates_and_reactivates_people() {
    let app = App::launch("lifecycle").await;
    app.find("wizard-company-name").await;
    create_company(&app, "Ada", "Admin", true).await;
    app.text_is("license-meter", "218 of 250 seats used · 30 deactivated (not billed)").await;
    if std::env::var_os("ROSTER_UPDATE_SCREENSHOT").is_some() {
        app.screenshot(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/directory.png"));
    }

    // One person, from the menu at the far right of their row, with a reason.
    search(&app, "Software Engineer").await;
    let first = row_name(&app, 0).await;
    row_menu(&app, 0, "menu-deactivate").await;
    app.find("deactivate-dialog").await;
    app.type_into("deactivate-reason", "Left the company").await;
    app.click("deactivate-confirm").await;
    app.text_contains("toast", &format!("Deactivated {first}.")).await;
    app.text_is("license-meter", "217 of 250 seats used · 31 deactivated (not billed)").await;

    // A range of five: click the first, shift-click the fifth, deactivate them together.
    let names: Vec<String> = {
        let mut names = Vec::new();
        for i in 0..5 {
            names.push(row_name(&app, i).await);
        }
        names
    };
    assert!(!names.contains(&first), "{first} left the Billable view");
    app.find_css(&row(0, ".cell-title")).await.click().await.unwrap();
    let fifth = app.find_css(&row(4, ".cell-title")).await;
    app.click_with(Key::Shift, &fifth).await;
    app.text_is("selection-count", "5 selected").await;
    app.click("bulk-deactivate").await;
    app.find("deactivate-dialog").await;
    app.click("deactivate-confirm").await;
    app.text_contains("toast", "Deactivated 5 people.").await;
    app.text_is("license-meter", "212 of 250 seats used · 36 deactivated (not billed)").await;
    {
        let db = sqlite(&app);
        for name in names.iter().chain([&first]) {
            let status: String =
                db.query_row("SELECT status FROM people WHERE name = ?1", [name], |r| r.get(0)).unwrap();
            assert_eq!(status, "deactivated", "{name}");
        }
    }

    // Deactivated Accounts lists them.
    search(&app, "").await;
    app.click("view-menu").await;
    app.click("view-option-deactivated").await;
    app.text_contains("view-menu", "Deactivated Accounts").await;
    search(&app, &first).await;
    assert_eq!(row_name(&app, 0).await, first);
    look(&app, "deactivated-view");

    // A deactivated person's profile keeps their reviews, under the banner.
    let (person, reviews): (String, usize) = sqlite(&app)
        .query_row(
            "SELECT p.name, (SELECT count(*) FROM reviews WHERE subject_id = p.id) AS n FROM people p
             WHERE p.status = 'deactivated' AND n > 0 ORDER BY p.name LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    search(&app, &person).await;
    app.find_css(&row(0, "[data-testid=\"row-name\"]")).await.click().await.unwrap();
    app.text_is("profile-name", &person).await;
    app.text_contains("deactivated-banner", "Deactivated on").await;
    app.click("tab-reviews").await;
    app.find("review").await;
    assert_eq!(app.all("review").await.len(), reviews);

    // Reactivate from the far-right menu of Deactivated Accounts; the seat counts again; Undo.
    app.click("back-to-directory").await;
    app.find("directory-list").await;
    search(&app, &first).await;
    row_menu(&app, 0, "menu-reactivate").await;
    app.text_contains("toast", &format!("Reactivated {first}.")).await;
    app.text_is("license-meter", "213 of 250 seats used · 35 deactivated (not billed)").await;
    app.click("toast-undo").await;
    app.text_contains("toast", &format!("Undone: {first} is deactivated again.")).await;
    app.text_is("license-meter", "212 of 250 seats used · 36 deactivated (not billed)").await;

    // The Audit log lists each change.
    app.click("nav-audit").await;
    app.find("audit-log").await;
    app.find("audit-row").await;
    let log = app.text_contains("audit-log", &format!("Deactivated {first} (reason: Left the company)")).await;
    for name in &names {
        assert!(log.contains(&format!("Deactivated {name}")), "{name} missing from the audit log");
    }
    assert!(log.contains(&format!("Reactivated {first}")));
    look(&app, "audit-log");

    // Export CSV asks where to save with the native dialog, then writes the log there.
    let csv = app.workspace.with_file_name("audit export.csv");
    app.click("audit-export").await;
    let csv_path = csv.to_str().unwrap();
    app.answer_native_dialog(
        "Export the audit log",
        &[&["key", "ctrl+a"], &["type", "--delay", "5", csv_path], &["key", "Return"]],
    );
    app.text_contains("toast", "Exported").await;
    let exported = std::fs::read_to_string(&csv).unwrap();
    assert!(exported.starts_with("when,actor,source,action,person"), "{exported}");
    assert!(exported.contains(&format!("Deactivated {first} (reason: Left the company)")));
    app.quit().await;
}

#[tokio::test]
async fn names_are_shown_as_text_and_inline_script_never_runs() {
    let app = App::launch("xss").await;
    let evil = "<img src=x onerror=alert(1)>";
    create_company(&app, evil, "Test", false).await;
    assert_eq!(row_name(&app, 0).await, format!("{evil} Test"));
    let images = app
        .client
        .execute(
            "return document.querySelector('[data-testid=\"directory-list\"]').querySelectorAll('img').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(images, serde_json::json!(0), "the name was rendered as HTML");
    // Inline script and inline event handlers are refused by the CSP, whoever inserts them.
    let ran = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__inline = false;
             const s = document.createElement('script');
             s.textContent = 'window.__inline = true';
             document.body.appendChild(s);
             const d = document.createElement('div');
             d.innerHTML = '<img src=\"missing.png\" onerror=\"window.__inline = true\">';
             d.querySelector('img').addEventListener('error', () => done(window.__inline));
             document.body.appendChild(d);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(ran, serde_json::json!(false), "the CSP let an inline script run");
    app.quit().await;
}

#[tokio::test]
async fn a_file_that_is_not_a_workspace_gets_a_clear_screen_and_stays_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "Quarterly notes: do not lose me.\n").unwrap();
    let app = App::launch_on("not-a-workspace", &path, None).await;
    app.find("problem").await;
    app.text_contains("problem-message", "is not a workspace Roster made").await;
    assert!(app.all("directory-list").await.is_empty());
    app.quit().await;
    assert_eq!(std::fs::read(&path).unwrap(), b"Quarterly notes: do not lose me.\n");
}

#[tokio::test]
async fn a_manager_is_deactivated_from_their_profile_and_someone_takes_over_their_team() {
    let app = App::launch("handover").await;
    create_company(&app, "Ada", "Admin", true).await;
    search(&app, "Engineering Manager").await;
    let manager = row_name(&app, 0).await;
    app.find_css(&row(0, "[data-testid=\"row-name\"]")).await.click().await.unwrap();
    app.text_is("profile-name", &manager).await;
    let (team, vp): (i64, String) = sqlite(&app)
        .query_row(
            "SELECT (SELECT count(*) FROM people r WHERE r.manager_id = p.id AND r.status = 'active'), m.name
             FROM people p JOIN people m ON m.id = p.manager_id WHERE p.name = ?1",
            [&manager],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(team > 0, "{manager} has a team");

    app.click("manage-menu").await;
    app.click("manage-deactivate").await;
    let dialog = app.find("deactivate-dialog").await.text().await.unwrap();
    let team_words = if team == 1 { "1 direct report".to_string() } else { format!("{team} direct reports") };
    assert!(dialog.contains(&format!("Who takes over their {team_words}?")), "{dialog}");
    assert!(!dialog.contains("false"), "stray text in the dialog: {dialog}");
    assert!(!app.find("deactivate-confirm").await.is_enabled().await.unwrap(), "a handover must be chosen first");
    app.click("handover-someone").await;
    app.type_into("handover-search", &vp).await;
    let option = app.text_contains("handover-option", &vp).await;
    assert!(option.contains(&vp));
    look(&app, "handover-dialog");
    app.click("handover-option").await;
    app.click("deactivate-confirm").await;
    app.text_contains("toast", &format!("Deactivated {manager}. {team_words} now report to {vp}.")).await;
    app.text_contains("deactivated-banner", "by Ada Admin").await;
    let moved: i64 = sqlite(&app)
        .query_row(
            "SELECT count(*) FROM people r JOIN people m ON m.id = r.manager_id WHERE m.name = ?1 AND r.status = 'active'
             AND r.id IN (SELECT subject_id FROM audit WHERE action = 'manager_changed')",
            [&vp],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(moved, team);

    app.click("banner-reactivate").await;
    app.text_contains("toast", &format!("Reactivated {manager}.")).await;
    app.until("the banner to go", || async { Some(app.all("deactivated-banner").await.len()) }, |n: &usize| *n == 0)
        .await;
    look(&app, "profile");
    app.quit().await;
}

#[tokio::test]
async fn the_directory_stays_small_in_the_page_with_100_000_people() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.roster");
    {
        let ws = roster_core::Workspace::open(&path).unwrap();
        let setup = roster_core::company::Setup {
            company_name: "Big Co".into(),
            seats: 100_000,
            admin_first_name: "Ada".into(),
            admin_last_name: "Admin".into(),
            admin_email: "ada@big.example".into(),
            demo: false,
        };
        roster_core::company::create(&ws, &setup, roster_core::audit::Source::Cli, 1).unwrap();
    }
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
             INSERT INTO people (id, first_name, last_name, email, title, department, location, created_at)
             SELECT printf('p%06d', i), 'Person', printf('%06d', i), printf('p%06d@big.example', i), 'Engineer',
                    'Engineering', 'Berlin', '2026-01-01T00:00:00Z' FROM n;",
        )
        .unwrap();
    let app = App::launch_on("hundred-thousand", &path, Some(dir)).await;
    app.text_is("license-meter", "100001 of 100000 seats used · 0 deactivated (not billed) · 1 over the license").await;
    // Scroll to the middle, as dragging the scrollbar does, and read the people there.
    app.client
        .execute("document.querySelector('[data-testid=\"directory-list\"]').scrollTop = 50000 * 40", vec![])
        .await
        .unwrap();
    let name = app.find_css("[data-testid=\"row\"][data-index=\"50005\"] [data-testid=\"row-name\"]").await;
    assert_eq!(name.text().await.unwrap(), "Person 050005");
    let rows = app.client.execute("return document.querySelectorAll('.row').length", vec![]).await.unwrap();
    assert!(rows.as_u64().unwrap() < 100, "{rows} rows in the page: the list is not virtualised");
    app.quit().await;
}

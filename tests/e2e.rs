//! End to end: the real Roster app in WebKit under Xvfb, driven as an HR admin would drive it.

mod support;

use std::path::Path;

use fantoccini::key::Key;
use support::App;

const ADMIN_EMAIL: &str = "ada@northwind.example";
const ADMIN_PASSWORD: &str = "correct horse battery";

/// The first-run wizard, filled in; its admin is signed in afterwards.
async fn create_company(app: &App, first: &str, last: &str, demo: bool) {
    app.type_into("wizard-company-name", "Northwind Labs").await;
    app.type_into("wizard-seats", "250").await;
    app.type_into("wizard-admin-first", first).await;
    app.type_into("wizard-admin-last", last).await;
    app.type_into("wizard-admin-email", ADMIN_EMAIL).await;
    app.type_into("wizard-admin-password", ADMIN_PASSWORD).await;
    app.type_into("wizard-admin-repeat", ADMIN_PASSWORD).await;
    if demo {
        app.click("wizard-demo").await;
    }
    app.click("wizard-submit").await;
    app.find("directory-list").await;
}

async fn sign_in(app: &App, email: &str, password: &str) {
    app.type_into("sign-in-email", email).await;
    app.type_into("sign-in-password", password).await;
    app.click("sign-in-submit").await;
}

async fn sign_out(app: &App) {
    app.click("actor-menu").await;
    app.click("sign-out").await;
    app.find("sign-in").await;
}

fn row(index: usize, part: &str) -> String {
    format!("[data-testid=\"row\"][data-index=\"{index}\"] {part}")
}

/// Scrolls the directory's list to the row at `index`, as dragging the scrollbar does.
async fn scroll_list_to(app: &App, index: usize) {
    let script = format!("document.querySelector('[data-testid=\"directory-list\"]').scrollTop = {index} * 40");
    app.client.execute(&script, vec![]).await.unwrap();
}

async fn row_name(app: &App, index: usize) -> String {
    app.find_css(&row(index, "[data-testid=\"row-name\"]")).await.text().await.unwrap()
}

async fn row_id(app: &App, index: usize) -> String {
    let row = app.find_css(&format!("[data-testid=\"row\"][data-index=\"{index}\"]")).await;
    row.attr("data-id").await.unwrap().expect("rows carry their id")
}

/// Types a search and waits until every row shown matches it.
async fn search(app: &App, text: &str) {
    app.type_into("search", text).await;
    let expected = text.to_lowercase();
    // Once the app has applied what was typed (after its pause for typing), the rows shown are its rows:
    // before, an empty search would match the rows of the search before it, and the same search typed
    // again would match rows the pending search could still replace.
    app.until(
        "the search to be applied and every row to match it",
        || async {
            let shown = app
                .client
                .execute(
                    "const search = document.querySelector('[data-testid=\"search\"]');
                     return [search.dataset.applied, 'typing' in search.dataset,
                             [...document.querySelectorAll('[data-testid=\"row\"]')].map(r => r.textContent)]",
                    vec![],
                )
                .await
                .ok()?;
            serde_json::from_value::<(String, bool, Vec<String>)>(shown).ok()
        },
        |(applied, typing, rows): &(String, bool, Vec<String>)| {
            !typing
                && applied == text.trim()
                && !rows.is_empty()
                && rows.iter().all(|r| r.to_lowercase().contains(&expected))
        },
    )
    .await;
}

/// Opens the Manage-style menu at the far right of a row and picks an item. The list may draw its
/// rows again between finding the button and clicking it (a background import's refresh lands then):
/// the button is found again in the new row.
async fn row_menu(app: &App, index: usize, item: &str) {
    let button = row(index, "[data-testid=\"row-menu\"]");
    app.until(
        "the row's menu button to take the click",
        || async { app.find_css(&button).await.click().await.ok() },
        |_: &()| true,
    )
    .await;
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
    // Painted on the display, as a person sees it, with no WebKit variable set: the app turns WebKit's
    // GPU path off itself.
    let colours = app.colours_shown();
    assert!(colours > 100, "the window shows {colours} colours: it stayed blank");
    if std::env::var_os("ROSTER_UPDATE_SCREENSHOT").is_some() {
        app.screenshot(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/directory.png"));
    }

    // One person, from the menu at the far right of their row, with a reason.
    search(&app, "Software Engineer").await;
    let (first, first_id) = (row_name(&app, 0).await, row_id(&app, 0).await);
    row_menu(&app, 0, "menu-deactivate").await;
    app.find("deactivate-dialog").await;
    app.type_into("deactivate-reason", "Left the company").await;
    app.click("deactivate-confirm").await;
    app.text_contains("toast", &format!("Deactivated {first}.")).await;
    app.text_is("license-meter", "217 of 250 seats used · 31 deactivated (not billed)").await;

    // A range of five: click the first, shift-click the fifth, deactivate them together.
    let names: Vec<(String, String)> = {
        let mut names = Vec::new();
        for i in 0..5 {
            names.push((row_name(&app, i).await, row_id(&app, i).await));
        }
        names
    };
    assert!(names.iter().all(|(_, id)| *id != first_id), "{first} left the Billable view");
    app.find_css(&row(0, ".cell-title")).await.click().await.unwrap();
    let fifth = app.find_css(&row(4, ".cell-title")).await;
    app.click_with(Key::Shift, &fifth).await;
    app.text_is("selection-count", "5 selected").await;
    // The same search typed again changes nothing: the five stay selected.
    search(&app, "Software Engineer").await;
    app.text_is("selection-count", "5 selected").await;
    app.click("bulk-deactivate").await;
    app.find("deactivate-dialog").await;
    app.click("deactivate-confirm").await;
    app.text_contains("toast", "Deactivated 5 people.").await;
    app.text_is("license-meter", "212 of 250 seats used · 36 deactivated (not billed)").await;
    {
        let db = sqlite(&app);
        for (name, id) in names.iter().chain([&(first.clone(), first_id.clone())]) {
            let status: String = db
                .query_row(
                    "SELECT status FROM people JOIN lifecycle ON lifecycle.person = people.rowid WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
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
    let (person, email, reviews): (String, String, usize) = sqlite(&app)
        .query_row(
            "SELECT p.name, p.email, (SELECT count(*) FROM reviews WHERE subject_id = p.id) AS n FROM people p
             JOIN lifecycle l ON l.person = p.rowid WHERE l.status = 'deactivated' AND n > 0 ORDER BY p.name LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    search(&app, &email).await;
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
    for (name, _) in &names {
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
async fn a_workspace_of_an_older_roster_shows_its_upgrade_then_the_sign_in_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.roster");
    let old = support::workspace_of_version_1(&path);
    // Another program writing to the file holds the upgrade back (Roster waits up to 5 s for it), so
    // the screen of an upgrade that runs can be looked at; a real upgrade of a big company takes that long.
    old.execute_batch("BEGIN IMMEDIATE").unwrap();
    let app = App::launch_on("upgrade", &path, None).await;
    app.find("upgrading").await;
    let backup = roster_core::workspace::backup_path(&path, 1);
    app.text_is("upgrade-backup", &backup.display().to_string()).await;
    look(&app, "upgrading");
    old.execute_batch("ROLLBACK").unwrap();
    app.find("sign-in").await;
    assert!(app.all("upgrading").await.is_empty(), "the upgrade screen went once it was done");
    app.quit().await;
    assert!(backup.exists(), "the copy of the workspace as it was is kept");
}

#[tokio::test]
async fn a_manager_is_deactivated_from_their_profile_and_someone_takes_over_their_team() {
    let app = App::launch("handover").await;
    create_company(&app, "Ada", "Admin", true).await;
    search(&app, "Engineering Manager").await;
    let (manager, manager_id) = (row_name(&app, 0).await, row_id(&app, 0).await);
    app.find_css(&row(0, "[data-testid=\"row-name\"]")).await.click().await.unwrap();
    app.text_is("profile-name", &manager).await;
    let (team, vp, vp_email): (i64, String, String) = sqlite(&app)
        .query_row(
            "SELECT (SELECT count(*) FROM lifecycle r WHERE r.manager_id = p.id AND r.status = 'active'), m.name, m.email
             FROM people p JOIN lifecycle l ON l.person = p.rowid JOIN people m ON m.id = l.manager_id WHERE p.id = ?1",
            [&manager_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
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
    assert!(option.contains(&vp_email), "namesakes are told apart by their email: {option}");
    look(&app, "handover-dialog");
    app.click("handover-option").await;
    app.text_contains("handover-chosen", &format!("{vp} ({vp_email}) will manage them.")).await;
    app.click("deactivate-confirm").await;
    app.text_contains("toast", &format!("Deactivated {manager}. {team_words} now report to {vp}.")).await;
    app.text_contains("deactivated-banner", "by Ada Admin").await;
    let moved: i64 = sqlite(&app)
        .query_row(
            "SELECT count(*) FROM people r JOIN lifecycle l ON l.person = r.rowid JOIN people m ON m.id = l.manager_id
             WHERE m.name = ?1 AND l.status = 'active' AND r.id IN (SELECT subject_id FROM audit WHERE action = 'manager_changed')",
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
            admin_email: ADMIN_EMAIL.into(),
            demo: false,
            admin_password: Some(ADMIN_PASSWORD.into()),
            subscription_until: None,
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
    sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.text_is("license-meter", "100001 of 100000 seats used · 0 deactivated (not billed) · 1 over the license").await;
    // Scroll to the middle and read the people there.
    scroll_list_to(&app, 50000).await;
    let name = app.find_css("[data-testid=\"row\"][data-index=\"50005\"] [data-testid=\"row-name\"]").await;
    assert_eq!(name.text().await.unwrap(), "Person 050005");
    let rows = app.client.execute("return document.querySelectorAll('.row').length", vec![]).await.unwrap();
    assert!(rows.as_u64().unwrap() < 100, "{rows} rows in the page: the list is not virtualised");

    // The list scrolling under the toolbar (as it does when it refreshes after a change) leaves the
    // view menu open; a row's menu closes when its row scrolls away.
    app.click("view-menu").await;
    app.find("view-option-billable").await;
    scroll_list_to(&app, 50100).await;
    app.find_css(&row(50105, "[data-testid=\"row-name\"]")).await;
    assert_eq!(app.all("view-option-billable").await.len(), 1, "the view menu closed as the list scrolled");
    app.click("view-menu").await; // closes it
    app.find_css(&row(50105, "[data-testid=\"row-menu\"]")).await.click().await.unwrap();
    app.find("menu-deactivate").await;
    scroll_list_to(&app, 50200).await;
    app.find_css(&row(50205, "[data-testid=\"row-name\"]")).await;
    assert!(app.all("menu-deactivate").await.is_empty(), "a row's menu stayed open after its row scrolled away");
    app.quit().await;
}

#[tokio::test]
async fn a_reactivated_person_sets_a_password_from_the_outbox_and_signs_in_until_deactivated() {
    let app = App::launch("password-mail").await;
    create_company(&app, "Ada", "Admin", true).await;
    app.click("view-menu").await;
    app.click("view-option-deactivated").await;
    app.text_contains("view-menu", "Deactivated Accounts").await;
    let name = row_name(&app, 0).await;
    row_menu(&app, 0, "menu-reactivate").await;
    app.text_contains("toast", &format!("Reactivated {name}.")).await;
    app.click("toast-send-password-mail").await;
    app.text_contains("toast", &format!("No mail server is set: the password mail for {name} is in the Outbox.")).await;

    // The admin reads the code in the Outbox, as they would hand it over.
    app.click("nav-admin").await;
    app.click("admin-nav-outbox").await;
    let body = app.find("mail-body").await.text().await.unwrap();
    let code = body.lines().find_map(|l| l.strip_prefix("Your code: ")).expect("a code in the mail").trim().to_string();
    let email = body.split("enter your email (").nth(1).and_then(|r| r.split(')').next()).unwrap().to_string();
    look(&app, "outbox");

    sign_out(&app).await;
    app.click("set-password-with-code").await;
    app.type_into("code-email", &email).await;
    app.type_into("code-value", &code).await;
    app.type_into("code-password", "my own long password").await;
    app.type_into("code-repeat", "my own long password").await;
    app.click("code-submit").await;
    app.text_is("profile-name", &name).await;
    assert!(app.all("nav-directory").await.is_empty(), "an employee sees their own profile only");

    // Deactivated again by the admin, they cannot sign in any more.
    sign_out(&app).await;
    sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.find("directory-list").await;
    search(&app, &email).await;
    row_menu(&app, 0, "menu-deactivate").await;
    app.click("deactivate-confirm").await;
    app.text_contains("toast", &format!("Deactivated {name}.")).await;
    sign_out(&app).await;
    sign_in(&app, &email, "my own long password").await;
    app.text_is("sign-in-error", "This account is deactivated — ask your admin.").await;
    app.quit().await;
}

#[tokio::test]
async fn a_lapsed_subscription_is_restarted_by_the_admin_who_then_starts_a_review_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lapsed.roster");
    let employee = {
        let ws = roster_core::Workspace::open(&path).unwrap();
        let setup = roster_core::company::Setup {
            company_name: "Northwind Labs".into(),
            seats: 250,
            admin_first_name: "Ada".into(),
            admin_last_name: "Admin".into(),
            admin_email: ADMIN_EMAIL.into(),
            demo: true,
            admin_password: Some(ADMIN_PASSWORD.into()),
            subscription_until: None,
        };
        let admin_id = roster_core::company::create(&ws, &setup, roster_core::audit::Source::Cli, 3).unwrap();
        let admin = roster_core::access::admin(&ws, &admin_id, roster_core::audit::Source::Cli).unwrap();
        let query = roster_core::directory::Query { search: "software engineer".into(), ..Default::default() };
        let someone = roster_core::directory::page(&ws, &query, 0, 1).unwrap().rows.remove(0);
        roster_core::access::sessions::set_password(&ws, &admin, &someone.id, "an employee password").unwrap();
        someone.email
    };
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE company SET active_until = date('now', '-10 days')", [])
        .unwrap();

    let app = App::launch_on("lapsed", &path, Some(dir)).await;
    sign_in(&app, &employee, "an employee password").await;
    app.text_is("sign-in-error", "The subscription has lapsed: ask your admin to restart it.").await;
    sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.text_contains("lapsed-banner", "The subscription lapsed on").await;
    app.click("lapsed-restart").await;
    app.find("admin-subscription").await;
    app.text_contains("subscription-status", "Lapsed since").await;
    app.find("seat-chart").await;
    look(&app, "subscription");
    app.click("restart-submit").await;
    app.text_contains("subscription-status", "Active until").await;
    app.until("the lapsed banner to go", || async { Some(app.all("lapsed-banner").await.len()) }, |n: &usize| *n == 0)
        .await;

    app.click("admin-nav-cycles").await;
    app.type_into("cycle-name", "2027 H1 review").await;
    app.click("cycle-create").await;
    let draft = app.text_contains("admin-cycles", "2027 H1 review").await;
    assert!(draft.contains("draft"), "{draft}");
    app.click("cycle-start").await;
    app.text_contains("admin-cycles", "active").await;
    look(&app, "cycles");
    let pending: i64 = rusqlite::Connection::open(&app.workspace)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM reviews r JOIN review_cycles c ON c.id = r.cycle_id WHERE c.name = '2027 H1 review' AND r.text IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let active: i64 = rusqlite::Connection::open(&app.workspace)
        .unwrap()
        .query_row("SELECT count(*) FROM lifecycle WHERE status = 'active'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(pending, active, "a pending review for every active person, none for deactivated people");
    app.quit().await;
}

#[tokio::test]
async fn an_admin_merges_two_accounts_after_reading_the_preview_and_answering_the_native_dialog() {
    let app = App::launch("merge").await;
    create_company(&app, "Ada", "Admin", true).await;
    search(&app, "Software Engineer").await;
    let (source, destination) = (row_name(&app, 0).await, row_name(&app, 1).await);
    let (source_id, destination_id) = (row_id(&app, 0).await, row_id(&app, 1).await);
    let reviews = |id: &str| -> i64 {
        sqlite(&app).query_row("SELECT count(*) FROM reviews WHERE subject_id = ?1", [id], |r| r.get(0)).unwrap()
    };
    let (source_reviews, destination_reviews) = (reviews(&source_id), reviews(&destination_id));
    app.find_css(&row(0, "[data-testid=\"row-name\"]")).await.click().await.unwrap();
    app.text_is("profile-name", &source).await;
    app.click("manage-menu").await;
    app.click("manage-merge").await;
    app.find("merge").await;
    app.type_into("merge-search", &destination).await;
    app.find_css(&format!("[data-testid=\"merge-candidate\"][data-id=\"{destination_id}\"]"))
        .await
        .click()
        .await
        .unwrap();
    let count = app.find_css("[data-testid=\"merge-count\"][data-kind=\"reviewsAbout\"]").await;
    let shown = count.text().await.unwrap();
    assert!(
        shown.trim().ends_with(&source_reviews.to_string()),
        "preview says “{shown}”, the workspace has {source_reviews}"
    );
    look(&app, "merge-preview");

    // Cancel in the native dialog changes nothing.
    app.click("merge-confirm").await;
    app.answer_native_dialog("Merge accounts", &[&["key", "Escape"]]);
    app.until(
        "the Merge button to come back",
        || async { app.find("merge-confirm").await.is_enabled().await.ok() },
        |enabled: &bool| *enabled,
    )
    .await;
    let status: String = sqlite(&app)
        .query_row(
            "SELECT status FROM people JOIN lifecycle ON lifecycle.person = people.rowid WHERE id = ?1",
            [&source_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "active", "cancelled: nothing merged");

    app.click("merge-confirm").await;
    app.answer_native_dialog("Merge accounts", &[&["key", "Return"]]);
    app.text_contains("toast", &format!("Merged {source} into {destination}")).await;
    app.text_is("profile-name", &destination).await;
    app.click("tab-reviews").await;
    app.until(
        "the moved reviews on the destination's profile",
        || async { Some(app.all("review").await.len() as i64) },
        |n: &i64| *n == source_reviews + destination_reviews,
    )
    .await;

    app.click("nav-directory").await;
    app.text_is("license-meter", "217 of 250 seats used · 31 deactivated (not billed)").await;
    app.click("view-menu").await;
    app.click("view-option-deactivated").await;
    search(&app, &source).await;
    app.find_css(&row(0, "[data-testid=\"row-name\"]")).await.click().await.unwrap();
    app.text_contains("merged-banner", &format!("Merged into {destination}")).await;
    app.quit().await;
}

#[tokio::test]
async fn an_admin_deletes_a_deactivated_person_after_typing_their_name_and_answering_the_native_dialog() {
    let app = App::launch("delete").await;
    create_company(&app, "Ada", "Admin", true).await;
    // An active person cannot be deleted: the action says why.
    app.find_css(&row(1, "[data-testid=\"row-name\"]")).await.click().await.unwrap();
    app.find("profile").await;
    app.click("manage-menu").await;
    let item = app.find("manage-delete").await;
    assert!(item.text().await.unwrap().contains("Deactivate first"));
    app.click("back-to-directory").await;

    app.click("view-menu").await;
    app.click("view-option-deactivated").await;
    app.text_contains("view-menu", "Deactivated Accounts").await;
    // Someone with a history, so the counts mean something.
    let (id, name, email, about): (String, String, String, i64) = sqlite(&app)
        .query_row(
            "SELECT p.id, p.name, p.email, (SELECT count(*) FROM reviews WHERE subject_id = p.id) AS n FROM people p
             JOIN lifecycle l ON l.person = p.rowid WHERE l.status = 'deactivated' AND n > 0 ORDER BY p.email LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    search(&app, &email).await;
    app.find_css(&row(0, "[data-testid=\"row-name\"]")).await.click().await.unwrap();
    app.text_is("profile-name", &name).await;
    app.click("manage-menu").await;
    app.click("manage-delete").await;
    app.find("erase").await;
    let count = app.find_css("[data-testid=\"erase-count\"][data-kind=\"reviewsAbout\"]").await;
    assert_eq!(count.attr("data-count").await.unwrap(), Some(about.to_string()));
    let confirm = app.find("erase-confirm").await;
    assert!(!confirm.is_enabled().await.unwrap(), "disabled until the name is typed");
    app.type_into("erase-confirm-input", "Somebody Else").await;
    assert!(!confirm.is_enabled().await.unwrap());
    app.type_into("erase-confirm-input", &name).await;
    app.until("the Delete button to enable", || async { confirm.is_enabled().await.ok() }, |on: &bool| *on).await;
    look(&app, "erase");

    app.click("erase-confirm").await;
    app.answer_native_dialog("Delete user and all data", &[&["key", "Escape"]]);
    app.find("erase-cancelled").await;
    let still: i64 = sqlite(&app).query_row("SELECT count(*) FROM people WHERE id = ?1", [&id], |r| r.get(0)).unwrap();
    assert_eq!(still, 1, "cancelled: nothing deleted");

    app.click("erase-confirm").await;
    app.answer_native_dialog("Delete user and all data", &[&["key", "Return"]]);
    app.text_contains("toast", &format!("Deleted {name} and all their data.")).await;
    app.find("directory-list").await;
    let gone: i64 = sqlite(&app).query_row("SELECT count(*) FROM people WHERE id = ?1", [&id], |r| r.get(0)).unwrap();
    assert_eq!(gone, 0);
    app.click("view-menu").await;
    app.click("view-option-all").await;
    app.type_into("search", &email).await;
    app.text_contains("directory-empty", "Nobody matches").await;

    app.click("nav-audit").await;
    let newest = app.find("audit-row").await.text().await.unwrap();
    assert!(newest.contains("Erased 1 person and all their data"), "{newest}");
    assert!(!newest.contains(&name));
    app.quit().await;
}

/// An HRIS export in the original template, with a Status column; `jane_status` is Jane Doe's.
fn hris_file(jane_status: &str, merged_row: bool) -> String {
    let mut csv = String::from(
        "First Name,Last Name,Gender,Title,Login Email,Manager Email,Department,Team,Location,Employee ID,Hiring Date,Status\n",
    );
    for i in 1..=20 {
        csv.push_str(&format!(
            "Person,{i:02},,Engineer,person{i:02}@northwind.example,,Engineering,Core,Berlin,E{i:03},2024-01-15,Active\n"
        ));
    }
    csv.push_str(&format!(
        "Jane,Doe,,Designer,jane.doe@northwind.example,,Design,Web,Lisbon,E100,2023-05-02,{jane_status}\n"
    ));
    if merged_row {
        // The merged-away account's old email: it must update the kept account.
        csv.push_str(
            "Jane,Kept,,Principal Designer,old.jane@northwind.example,,Design,Web,Lisbon,,2021-03-01,Active\n",
        );
    } else {
        csv.push_str("Jane,Kept,,Designer,jane.kept@northwind.example,,Design,Web,Lisbon,,2021-03-01,Active\n");
        csv.push_str("Jane,Old,,Designer,old.jane@northwind.example,,Design,Web,Lisbon,,2021-03-01,Active\n");
    }
    csv
}

#[tokio::test]
async fn the_hris_import_deactivates_jane_and_a_sync_hold_keeps_her_active() {
    use roster_core::hris::{self, source, ImportFile, Trigger};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hris.roster");
    let feed = dir.path().join("feed");
    std::fs::create_dir(&feed).unwrap();
    {
        let ws = roster_core::Workspace::open(&path).unwrap();
        let setup = roster_core::company::Setup {
            company_name: "Northwind Labs".into(),
            seats: 250,
            admin_first_name: "Ada".into(),
            admin_last_name: "Admin".into(),
            admin_email: ADMIN_EMAIL.into(),
            demo: false,
            admin_password: Some(ADMIN_PASSWORD.into()),
            subscription_until: None,
        };
        let admin_id = roster_core::company::create(&ws, &setup, roster_core::audit::Source::Cli, 1).unwrap();
        let admin = roster_core::access::admin(&ws, &admin_id, roster_core::audit::Source::Cli).unwrap();
        let first = ImportFile { name: "hris-2026-11-01.csv".into(), bytes: hris_file("Active", false).into_bytes() };
        let run = hris::import(&ws, &admin, &first, Trigger::Manual, "setup").unwrap();
        assert_eq!(run.outcome, "applied", "{:?}", run.message);
        roster_core::merge::merge(&ws, &admin, "old.jane@northwind.example", "jane.kept@northwind.example", &[])
            .unwrap();
        let settings = source::SourceSettings {
            kind: source::Kind::Folder,
            folder: Some(feed.display().to_string()),
            pattern: "hris-*.csv".into(),
            ..source::SourceSettings::default()
        };
        source::save(&ws, &admin, &settings, None).unwrap();
        source::set_automatic(&ws, &admin, true).unwrap();
    }
    std::fs::write(feed.join("hris-2026-11-25.csv"), hris_file("Terminated", true)).unwrap();
    let status_of = |db: &rusqlite::Connection, email: &str| -> String {
        db.query_row(
            "SELECT status FROM people JOIN lifecycle ON lifecycle.person = people.rowid WHERE email = ?1",
            [email],
            |r| r.get(0),
        )
        .unwrap()
    };

    // The app imports on its own: the file lists Jane as inactive.
    let app = App::launch_on("hris", &path, Some(dir)).await;
    let jane = "jane.doe@northwind.example";
    app.until(
        "the automatic import to deactivate Jane",
        || async { Some(status_of(&sqlite(&app), jane)) },
        |s: &String| s == "deactivated",
    )
    .await;
    let kept: (String, String) = sqlite(&app)
        .query_row("SELECT title, status FROM people JOIN lifecycle ON lifecycle.person = people.rowid WHERE email = 'jane.kept@northwind.example'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        kept,
        ("Principal Designer".to_string(), "active".to_string()),
        "the old email updated the kept account"
    );
    assert_eq!(
        status_of(&sqlite(&app), "old.jane@northwind.example"),
        "deactivated",
        "the merged account stays merged"
    );

    // The article's dance: switch imports off, reactivate Jane, switch them on — she is deactivated again.
    sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.click("nav-admin").await;
    app.click("admin-nav-integrations").await;
    app.click("import-automatic").await;
    app.until(
        "the switch to be off",
        || async { sqlite(&app).query_row("SELECT automatic FROM import_source", [], |r| r.get::<_, i64>(0)).ok() },
        |on: &i64| *on == 0,
    )
    .await;
    app.click("nav-directory").await;
    app.click("view-menu").await;
    app.click("view-option-deactivated").await;
    search(&app, jane).await;
    row_menu(&app, 0, "menu-reactivate").await;
    app.text_contains("toast", "Reactivated Jane Doe.").await;
    app.click("nav-admin").await;
    app.click("admin-nav-integrations").await;
    app.click("import-automatic").await;
    app.until(
        "switching imports on to deactivate Jane again",
        || async { Some(status_of(&sqlite(&app), jane)) },
        |s: &String| s == "deactivated",
    )
    .await;

    // With a sync hold instead, she stays active and the plan shows her as held.
    app.click("nav-directory").await;
    search(&app, jane).await;
    row_menu(&app, 0, "menu-reactivate").await;
    app.text_contains("toast", "Reactivated Jane Doe.").await;
    app.click("view-menu").await;
    app.click("view-option-billable").await;
    search(&app, jane).await;
    app.find_css(&row(0, "[data-testid=\"row-name\"]")).await.click().await.unwrap();
    app.text_is("profile-name", "Jane Doe").await;
    app.click("manage-menu").await;
    app.click("manage-sync-hold").await;
    app.type_into("hold-reason", "Contract extended to March").await;
    app.click("hold-save").await;
    app.text_contains("sync-hold-banner", "Contract extended to March").await;
    app.click("nav-admin").await;
    app.click("admin-nav-integrations").await;
    app.click("import-now").await;
    app.click("admin-nav-imports").await;
    app.find_css("[data-testid=\"import-run-row\"] a").await.click().await.unwrap();
    let held = app.find_css("[data-testid=\"plan-count\"][data-kind=\"held\"]").await;
    assert_eq!(held.attr("data-count").await.unwrap().as_deref(), Some("1"));
    look(&app, "import-run");
    assert_eq!(status_of(&sqlite(&app), jane), "active", "the hold kept her active");
    app.quit().await;
}

#[tokio::test]
async fn a_picked_hris_file_shows_its_plan_and_nothing_changes_until_import() {
    let app = App::launch("manual-import").await;
    create_company(&app, "Ada", "Admin", false).await;
    let file = app.workspace.with_file_name("hris-export.csv");
    std::fs::write(&file, hris_file("Active", false).replace("Person,07,", "Person,07,broken-date-row,")).unwrap();
    app.click("nav-admin").await;
    app.click("admin-nav-imports").await;
    app.click("import-pick").await;
    let path = file.to_str().unwrap();
    app.answer_native_dialog(
        "Import an HRIS file",
        // The path goes in the location field; Return there only accepts its completion, so the
        // second Return opens the file.
        &[&["key", "ctrl+l"], &["type", "--delay", "5", path], &["key", "--delay", "300", "Return", "Return"]],
    );
    app.find("import-plan").await;
    let created = app.find_css("[data-testid=\"plan-count\"][data-kind=\"created\"]").await;
    assert_eq!(created.attr("data-count").await.unwrap().as_deref(), Some("22"));
    let errors = app.find_css("[data-testid=\"plan-count\"][data-kind=\"errors\"]").await;
    assert_eq!(errors.attr("data-count").await.unwrap().as_deref(), Some("1"), "the shifted row is an error");
    let people: i64 = sqlite(&app).query_row("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap();
    assert_eq!(people, 1, "planning changes nothing");
    look(&app, "import-plan");
    app.click("plan-import").await;
    app.find("import-run").await;
    app.until(
        "the people to be imported",
        || async { sqlite(&app).query_row("SELECT count(*) FROM people", [], |r| r.get::<_, i64>(0)).ok() },
        |n: &i64| *n == 23,
    )
    .await;
    app.quit().await;
}

#[tokio::test]
async fn an_admin_sets_how_imports_apply_and_when_idle_windows_sign_out() {
    let app = App::launch("import-rules").await;
    create_company(&app, "Ada", "Admin", false).await;
    app.click("nav-admin").await;
    app.click("admin-nav-integrations").await;
    let missing = app.find("import-missing").await;
    missing.select_by_value("full").await.unwrap();
    app.type_into("import-threshold", "250").await;
    app.click("import-rules-save").await;
    app.text_contains("import-rules-error", "not 250%").await;
    app.type_into("import-threshold", "5").await;
    app.find("import-encoding").await.select_by_value("windows-1250").await.unwrap();
    app.click("import-rules-save").await;
    app.text_contains("toast", "Import rules saved").await;
    look(&app, "import-rules");
    let rules = |db: &rusqlite::Connection| {
        db.query_row("SELECT missing, threshold_percent, fallback_encoding FROM import_source", [], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })
        .unwrap()
    };
    assert_eq!(rules(&sqlite(&app)), ("full".into(), 5, "windows-1250".into()));

    app.click("admin-nav-sign-in").await;
    app.type_into("session-timeout", "45").await;
    app.click("session-timeout-save").await;
    app.text_contains("toast", "after 45 minutes").await;
    let actions: Vec<String> = sqlite(&app)
        .prepare("SELECT action FROM audit ORDER BY id DESC LIMIT 2")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(actions, ["session_timeout_changed", "import_rules_changed"]);
    // Both are there again on the next visit.
    app.click("admin-nav-integrations").await;
    assert_eq!(app.find("import-threshold").await.prop("value").await.unwrap().as_deref(), Some("5"));
    app.click("admin-nav-sign-in").await;
    assert_eq!(app.find("session-timeout").await.prop("value").await.unwrap().as_deref(), Some("45"));
    app.quit().await;
}

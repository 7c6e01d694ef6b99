//! The app's commands in Tauri's mock runtime: the argument names the UI sends (docs/ipc-contract.md)
//! and the `{ code, message }` errors it receives.

mod support;

use roster_app::AppState;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

struct Ui {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn open(path: &std::path::Path) -> Ui {
    let app = roster_app::register(mock_builder())
        .manage(AppState::open(path.to_path_buf(), |_| {}))
        .build(mock_context(noop_assets()))
        .expect("the app builds");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    Ui { app, window }
}

impl Ui {
    /// Calls a command as `ui/js/api.js` does.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The app's own pages on Linux, where Tauri serves them from `tauri://localhost`.
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|body| body.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }
}

const ADMIN_PASSWORD: &str = "correct horse battery";

fn billable(search: &str) -> Value {
    json!({ "view": "billable", "search": search, "sort": "name", "desc": false })
}

fn ready_company(dir: &tempfile::TempDir) -> Ui {
    let ui = open(&dir.path().join("w.roster"));
    assert_eq!(ui.ok("workspace_status", json!({}))["state"], "needs_setup");
    let setup = json!({ "setup": { "companyName": "Acme", "seats": 3, "adminFirstName": "Ada", "adminLastName": "Admin",
                                   "adminEmail": "ada@acme.test", "demo": true, "adminPassword": ADMIN_PASSWORD,
                                   "subscriptionUntil": "2099-12-31" } });
    let status = ui.ok("setup_company", setup);
    assert_eq!(status["state"], "ready");
    assert_eq!(status["signedIn"], true, "whoever sets up the company is its first admin, signed in");
    assert_eq!(status["subscription"]["activeUntil"], "2099-12-31");
    assert_eq!(status["company"], json!({ "name": "Acme", "seats": 3 }));
    assert_eq!(status["actor"]["email"], "ada@acme.test");
    ui
}

#[test]
fn every_command_takes_the_arguments_the_ui_sends() {
    let dir = tempfile::tempdir().unwrap();
    let ui = ready_company(&dir);

    let page = ui.ok("directory_page", json!({ "query": billable("software engineer"), "offset": 0, "limit": 5 }));
    assert_eq!(page["rows"].as_array().unwrap().len(), 5);
    assert!(page["counts"]["all"].as_i64().unwrap() >= page["total"].as_i64().unwrap());
    let range = ui.ok("directory_ids", json!({ "query": billable("software engineer"), "from": 1, "to": 3 }));
    assert_eq!(range.as_array().unwrap().len(), 3);
    assert_eq!(range[0], page["rows"][1]["id"]);
    let all = ui.ok("directory_ids", json!({ "query": billable(""), "from": null, "to": null }));
    assert_eq!(all.as_array().unwrap().len() as i64, ui.ok("license", json!({}))["active"].as_i64().unwrap());

    let ids = json!([page["rows"][0]["id"], page["rows"][1]["id"]]);
    let plan = ui.ok("deactivation_plan", json!({ "ids": ids }));
    assert_eq!(plan["people"].as_array().unwrap().len(), 2);
    let change = ui.ok("deactivate", json!({ "ids": ids, "reason": "Left", "handover": null }));
    assert_eq!(change["action"], "deactivate");
    assert_eq!(change["summary"], "Deactivated 2 people.");
    let undone = ui.ok("undo", json!({ "changeId": change["changeId"] }));
    assert_eq!(undone["summary"], "Undone: 2 people are active again.");
    ui.ok("deactivate", json!({ "ids": ids, "reason": null, "handover": { "kind": "nobody" } }));
    let back = ui.ok("reactivate", json!({ "ids": ids }));
    assert_eq!(back["count"], 2);

    let profile = ui.ok("person_profile", json!({ "id": page["rows"][0]["id"] }));
    assert_eq!(profile["person"]["name"], page["rows"][0]["name"]);
    assert!(profile["activity"].as_array().unwrap().len() >= 3);
    for key in ["reviews", "reviewsWritten", "objectives", "feedbackReceived", "feedbackGiven", "oneOnOnes"] {
        assert!(profile[key].is_array(), "{key}");
    }

    let log = ui.ok(
        "audit_list",
        json!({ "filter": { "person": null, "action": "reactivated", "from": null, "to": null },
                                         "offset": 0, "limit": 10 }),
    );
    assert_eq!(log["total"], 4, "two reactivations by undo, two by hand");
    let actions = ui.ok("audit_actions", json!({}));
    assert!(actions.as_array().unwrap().contains(&json!("deactivated")));
}

#[test]
fn errors_arrive_as_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let ui = ready_company(&dir);
    let err =
        ui.call("deactivate", json!({ "ids": ["nobody@acme.test"], "reason": null, "handover": null })).unwrap_err();
    assert_eq!(err["code"], "not_found");
    assert!(err["message"].as_str().unwrap().contains("nobody@acme.test"));

    let err = ui.call("directory_page", json!({ "query": billable(""), "offset": 0, "limit": 0 })).unwrap_err();
    assert_eq!(err["code"], "invalid_input");

    let setup = json!({ "setup": { "companyName": "Again", "seats": 3, "adminFirstName": "B", "adminLastName": "C",
                                   "adminEmail": "b@acme.test", "demo": false, "adminPassword": "another long one" } });
    assert_eq!(ui.call("setup_company", setup).unwrap_err()["code"], "conflict");

    // A misnamed argument is refused by Tauri before it reaches Roster, naming the key.
    let err = ui.call("directory_page", json!({ "q": billable(""), "offset": 0, "limit": 10 })).unwrap_err();
    assert!(err.as_str().unwrap().contains("query"), "{err}");
}

#[test]
fn a_file_that_is_not_a_workspace_is_a_problem_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "not a database").unwrap();
    let ui = open(&path);
    let status = ui.ok("workspace_status", json!({}));
    assert_eq!(status["state"], "problem");
    assert_eq!(status["problem"]["code"], "not_a_workspace");
    let err = ui.call("sign_in", json!({ "email": "a@b.c", "password": "whatever it is" })).unwrap_err();
    assert_eq!(err["code"], "precondition_failed");
    assert_eq!(std::fs::read(&path).unwrap(), b"not a database");
}

#[test]
fn a_workspace_of_an_older_roster_says_it_is_upgrading_until_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.roster");
    let old = support::workspace_of_version_1(&path);
    // Another program writing to the file holds the upgrade back (Roster waits up to 5 s for it), so
    // the window's view of an upgrade that runs can be looked at.
    old.execute_batch("BEGIN IMMEDIATE").unwrap();

    let ui = open(&path);
    let status = ui.ok("workspace_status", json!({}));
    assert_eq!(status["state"], "upgrading", "{status}");
    let backup = roster_core::workspace::backup_path(&path, 1).display().to_string();
    let to = roster_core::workspace::SCHEMA_VERSION;
    assert_eq!(status["upgrade"], json!({ "from": 1, "to": to, "backup": backup }));
    let err = ui.call("sign_in", json!({ "email": "a@b.c", "password": "whatever it is" })).unwrap_err();
    assert_eq!(err["code"], "unavailable", "{err}");

    old.execute_batch("ROLLBACK").unwrap();
    let status = ui.ok("workspace_status", json!({}));
    assert_eq!((&status["state"], &status["company"]["name"]), (&json!("ready"), &json!("Old Co")), "{status}");
    assert_eq!(status["upgrade"], Value::Null);
    let kept: i32 =
        rusqlite::Connection::open(&backup).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 1, "the copy is the workspace as the older Roster left it");
}

/// Every registered command but the few a signed-out window needs refuses a call without a session,
/// and every command but an employee's own few refuses an employee — before looking at its arguments.
#[test]
fn every_command_checks_who_is_calling() {
    let dir = tempfile::tempdir().unwrap();
    let ui = ready_company(&dir);
    let ws = ui.app.state::<AppState>().workspace().unwrap();
    let admin_id = ui.ok("workspace_status", json!({}))["actor"]["id"].as_str().unwrap().to_string();
    let admin = roster_core::access::admin(&ws, &admin_id, roster_core::audit::Source::Cli).unwrap();
    let jane = ui.ok("directory_page", json!({ "query": billable("software engineer"), "offset": 0, "limit": 1 }))
        ["rows"][0]
        .clone();
    roster_core::access::sessions::set_password(&ws, &admin, jane["id"].as_str().unwrap(), "jane's long password")
        .unwrap();

    ui.ok("sign_out", json!({}));
    assert_eq!(ui.ok("workspace_status", json!({}))["signedIn"], false);
    for command in roster_app::COMMANDS.iter().filter(|c| !roster_app::PUBLIC_COMMANDS.contains(c)) {
        let err = ui.call(command, json!({})).expect_err(command);
        assert_eq!(
            (err["code"].as_str(), err["message"].as_str()),
            (Some("forbidden"), Some("Sign in first.")),
            "{command}"
        );
    }

    let err = ui.call("sign_in", json!({ "email": jane["email"], "password": "not her password" })).unwrap_err();
    assert_eq!(err, json!({ "code": "forbidden", "message": "Wrong email or password." }));
    let status = ui.ok("sign_in", json!({ "email": jane["email"], "password": "jane's long password" }));
    assert_eq!(status["actor"]["role"], "employee");
    let allowed: Vec<&str> = [roster_app::PUBLIC_COMMANDS, roster_app::EMPLOYEE_COMMANDS].concat();
    for command in roster_app::COMMANDS.iter().filter(|c| !allowed.contains(c)) {
        let err = ui.call(command, json!({})).expect_err(command);
        assert_eq!(err["code"], "forbidden", "{command}: {err}");
    }
    let own = ui.ok("person_profile", json!({ "id": jane["id"] }));
    assert_eq!(own["person"]["email"], jane["email"]);
    assert_eq!(ui.call("person_profile", json!({ "id": admin_id })).unwrap_err()["code"], "forbidden");
    ui.ok("change_password", json!({ "current": "jane's long password", "password": "an even longer password" }));
}

//! `rosterctl` as a script uses it: same core, JSON out, `{code, message}` and a non-zero exit on bad input.

use std::process::{Command, Output};

use serde_json::Value;

struct Ctl {
    dir: tempfile::TempDir,
}

impl Ctl {
    fn new() -> Ctl {
        Ctl { dir: tempfile::tempdir().unwrap() }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_rosterctl"))
            .arg("--workspace")
            .arg(self.dir.path().join("w.roster"))
            .args(args)
            .output()
            .unwrap()
    }

    fn with_stdin(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_rosterctl"))
            .arg("--workspace")
            .arg(self.dir.path().join("w.roster"))
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.run(&[args, &["--json"]].concat());
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn fails(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should fail");
        serde_json::from_slice(&out.stderr).expect("the error is {code, message} JSON")
    }
}

#[test]
fn a_script_sets_up_lists_deactivates_and_reactivates() {
    let ctl = Ctl::new();
    ctl.json(&[
        "init",
        "--company",
        "Acme",
        "--seats",
        "5",
        "--admin-first-name",
        "Ada",
        "--admin-last-name",
        "Admin",
        "--admin-email",
        "ada@acme.test",
    ]);
    let none = ctl.json(&["list", "--view", "deactivated"]);
    assert_eq!(none["total"], 0);
    let err = ctl.fails(&["deactivate", "ADA@acme.test"]);
    assert_eq!(err["code"], "precondition_failed", "an admin cannot deactivate themselves");
    let err = ctl.fails(&["show", "ghost@acme.test"]);
    assert_eq!(err["code"], "not_found");
    assert!(err["message"].as_str().unwrap().contains("ghost@acme.test"));

    let demo = Ctl::new();
    let usage = demo.json(&["demo", "--seats", "300"]);
    assert_eq!(usage["deactivated"], 30);
    let engineers = demo.json(&["list", "--search", "software engineer", "--limit", "3"]);
    let email = engineers["rows"][0]["email"].as_str().unwrap().to_string();
    let change = demo.json(&["deactivate", &email, "--reason", "Left the company"]);
    assert_eq!(change["count"], 1);
    let shown = demo.json(&["show", &email]);
    assert_eq!(shown["person"]["deactivation"]["reason"], "Left the company");
    let log = demo.json(&["audit", "--action", "deactivated"]);
    assert_eq!(log["entries"][0]["source"], "cli");
    demo.json(&["undo", change["changeId"].as_str().unwrap()]);
    assert_eq!(demo.json(&["show", &email])["person"]["status"], "active");
    demo.json(&["deactivate", &email]);
    assert_eq!(
        demo.json(&["reactivate", &email])["summary"],
        format!("Reactivated {}.", shown["person"]["name"].as_str().unwrap())
    );
}

#[test]
fn a_file_that_is_not_a_workspace_is_refused_with_the_apps_message() {
    let ctl = Ctl::new();
    std::fs::write(ctl.dir.path().join("w.roster"), "hello").unwrap();
    let err = ctl.fails(&["list"]);
    assert_eq!(err["code"], "precondition_failed");
    assert!(err["message"].as_str().unwrap().contains("not a Roster workspace"));
    assert_eq!(std::fs::read(ctl.dir.path().join("w.roster")).unwrap(), b"hello");
}

#[test]
fn a_script_mails_codes_sets_passwords_restarts_the_subscription_and_runs_a_cycle() {
    let ctl = Ctl::new();
    ctl.json(&["demo"]);
    let out = ctl.with_stdin(&["set-password", "ada.admin@northwind.example"], "a long admin password\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = ctl.with_stdin(&["set-password", "ada.admin@northwind.example"], "short\n");
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "invalid_input");

    let engineer = ctl.json(&["list", "--search", "software engineer", "--limit", "1"])["rows"][0]["email"]
        .as_str()
        .unwrap()
        .to_string();
    let sent = ctl.json(&["send-password-mail", &engineer]);
    assert_eq!(sent["status"], "outbox");
    let outbox = ctl.json(&["outbox"]);
    assert_eq!(outbox["items"][0]["to"], engineer.as_str());
    assert!(outbox["items"][0]["body"].as_str().unwrap().contains("Your code: "));

    let shown = ctl.json(&["subscription", "show"]);
    assert_eq!(shown["status"], "active");
    let restarted = ctl.json(&["subscription", "restart", "--seats", "400", "--until", "2099-06-30"]);
    assert_eq!((restarted["seats"].as_i64(), restarted["activeUntil"].as_str()), (Some(400), Some("2099-06-30")));
    let err = ctl.fails(&["subscription", "restart", "--seats", "400", "--until", "2001-01-01"]);
    assert_eq!(err["code"], "invalid_input");

    let cycle = ctl.json(&[
        "cycle",
        "create",
        "--name",
        "2027 H1",
        "--starts",
        "2027-01-01",
        "--ends",
        "2027-02-15",
        "--department",
        "Sales",
    ]);
    assert_eq!(cycle["status"], "draft");
    let started = ctl.json(&["cycle", "start", cycle["id"].as_str().unwrap()]);
    assert_eq!(started["status"], "active");
    assert_eq!(started["reviews"], started["participants"]);
}

#[test]
fn a_script_previews_a_merge_and_needs_yes_to_do_it() {
    let ctl = Ctl::new();
    ctl.json(&["demo"]);
    let rows = ctl.json(&["list", "--search", "software engineer", "--limit", "2"])["rows"].clone();
    let (old, kept) = (rows[0]["email"].as_str().unwrap(), rows[1]["email"].as_str().unwrap());
    let preview = ctl.json(&["merge", old, kept, "--preview"]);
    assert_eq!(preview["aliases"][0], old);
    let err = ctl.fails(&["merge", old, kept]);
    assert_eq!(err["code"], "precondition_failed");
    assert_eq!(ctl.json(&["show", old])["person"]["email"], old, "nothing merged without --yes");
    let merged = ctl.json(&["merge", old, kept, "--yes"]);
    assert_eq!(merged["counts"], preview["counts"]);
    assert_eq!(ctl.json(&["show", old])["person"]["email"], kept, "the old email finds the kept account");
}

#[test]
fn a_script_deletes_a_deactivated_person_only_with_the_typed_confirmation() {
    let ctl = Ctl::new();
    ctl.json(&["demo"]);
    let row = ctl.json(&["list", "--view", "deactivated", "--limit", "1"])["rows"][0].clone();
    let (email, name) = (row["email"].as_str().unwrap(), row["name"].as_str().unwrap());
    let err = ctl.fails(&["delete", email]);
    assert!(err["message"].as_str().unwrap().contains(&format!("--confirm \"{name}\"")), "{err}");
    assert_eq!(ctl.fails(&["delete", email, "--confirm", "someone else"])["code"], "invalid_input");
    let active = ctl.json(&["list", "--limit", "2"])["rows"][1]["email"].as_str().unwrap().to_string();
    assert_eq!(ctl.fails(&["delete", &active, "--confirm", "x"])["code"], "precondition_failed");
    let erased = ctl.json(&["delete", email, "--confirm", name]);
    assert_eq!(erased["summary"], format!("Deleted {name} and all their data."));
    assert_eq!(ctl.fails(&["show", email])["code"], "not_found");
}

#[test]
fn a_script_tidies_the_mentions_index_that_its_changes_grew() {
    let ctl = Ctl::new();
    ctl.json(&["demo"]);
    // Each change with a reason adds its words to the mentions index, in a segment of its own.
    for row in ctl.json(&["list", "--limit", "4"])["rows"].as_array().unwrap().iter().skip(1) {
        ctl.json(&["deactivate", row["email"].as_str().unwrap(), "--reason", "Moved abroad", "--handover-nobody"]);
    }
    let first = ctl.run(&["tidy"]);
    assert!(first.status.success());
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(said.starts_with("Tidied: the mentions index merged in "), "{said}");
    assert_eq!(ctl.json(&["tidy"])["steps"], 0, "everything was merged the first time");
    let again = ctl.run(&["tidy"]);
    assert_eq!(String::from_utf8_lossy(&again.stdout).trim(), "Nothing to tidy: the mentions index is merged already.");
}

#[test]
fn a_script_dry_runs_then_imports_an_hris_file() {
    let ctl = Ctl::new();
    ctl.json(&[
        "init",
        "--company",
        "Acme",
        "--seats",
        "10",
        "--admin-first-name",
        "Ada",
        "--admin-last-name",
        "Admin",
        "--admin-email",
        "ada@acme.test",
    ]);
    let path = ctl.dir.path().join("hr.csv");
    std::fs::write(
        &path,
        "First Name;Last Name;Login Email;Manager Email;Hiring Date\n\
         Jane;Doe;jane.doe@acme.test;;2024-01-15\n\
         Max;Muster;max.muster@acme.test;jane.doe@acme.test;2024-01-16\n\
         Bad;Date;bad.date@acme.test;;someday\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let plan = ctl.json(&["import", file, "--dry-run"]);
    assert_eq!((plan["counts"]["created"].as_i64(), plan["counts"]["errors"].as_i64()), (Some(2), Some(1)));
    assert_eq!(plan["errors"][0]["line"], 4);
    assert_eq!(plan["errors"][0]["column"], "Hiring Date");
    let text = ctl.run(&["import", file, "--dry-run"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("nothing was changed") && text.contains("created 2"), "{text}");
    assert!(text.contains("error line 4, Hiring Date: Hiring Date “someday” is not a date"), "{text}");
    assert_eq!(ctl.json(&["list"])["total"], 1, "a dry run changes nothing");

    let done = ctl.json(&["import", file]);
    assert_eq!(done["run"]["outcome"], "applied");
    assert_eq!(done["run"]["trigger"], "cli");
    assert_eq!(done["plan"]["counts"]["created"], 2);
    assert_eq!(ctl.json(&["list"])["total"], 3);
    let audit = ctl.json(&["audit", "--action", "person_created", "--limit", "5"]);
    assert_eq!(audit["entries"][0]["actor"], "HRIS import");
    assert_eq!(audit["entries"][0]["source"], "import");
    assert_eq!(ctl.json(&["import", file])["run"]["outcome"], "no_changes");

    let empty = ctl.dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let err = ctl.fails(&["import", empty.to_str().unwrap()]);
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("empty.csv is empty"), "{err}");
    let err = ctl.fails(&["import", "/nonexistent/hr.csv", "--dry-run"]);
    assert!(err["message"].as_str().unwrap().contains("Cannot read /nonexistent/hr.csv"), "{err}");
}

#[test]
fn a_wrong_command_line_gets_the_same_code_and_message_as_any_error() {
    let ctl = Ctl::new();
    let err = ctl.fails(&["deactivate"]);
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("<PEOPLE>"), "{err}");
    let err = ctl.fails(&["import-rules", "--threshold", "lots"]);
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("lots"), "{err}");
    let help = ctl.run(&["--help"]);
    assert!(help.status.success() && String::from_utf8_lossy(&help.stdout).contains("Usage"), "--help still helps");
}

#[test]
fn a_script_reads_and_sets_how_imports_apply() {
    let ctl = Ctl::new();
    ctl.json(&["demo"]);
    let rules = ctl.json(&["import-rules"]);
    assert_eq!((rules["missing"].as_str(), rules["thresholdPercent"].as_i64()), (Some("partial"), Some(10)));
    let rules =
        ctl.json(&["import-rules", "--missing", "full", "--threshold", "5", "--fallback-encoding", "ISO-8859-15"]);
    assert_eq!(rules["missing"], "full");
    assert_eq!(rules["thresholdPercent"], 5);
    assert_eq!(rules["fallbackEncoding"], "iso-8859-15");
    assert_eq!(ctl.fails(&["import-rules", "--threshold", "0"])["code"], "invalid_input");
    assert_eq!(ctl.json(&["import-rules"])["thresholdPercent"], 5, "a refused change changes nothing");
}

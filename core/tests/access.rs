//! Sign-in, sessions, the backoff, password codes, and who may change what.

mod common;
mod smtp;

use chrono::{Duration, Utc};
use common::{add, company, ADMIN_PASSWORD};
use roster_core::access::{codes, sessions};
use roster_core::audit::{self, Actor, Filter, Source};
use roster_core::review_cycles::{self, NewCycle};
use roster_core::{lifecycle, mail, subscription, Code};

/// The code in the newest mail of the Outbox.
fn last_code(ws: &roster_core::Workspace) -> String {
    let outbox = mail::outbox(ws, 0, 1).unwrap();
    let body = &outbox.items[0].body;
    let line = body.lines().find_map(|l| l.strip_prefix("Your code: ")).expect("the mail carries a code");
    line.trim().to_string()
}

#[test]
fn the_admin_signs_in_with_the_wizards_password_and_wrong_passwords_are_refused_and_audited() {
    let c = company(10);
    let now = Utc::now();
    let signed = sessions::sign_in(&c.ws, "ADA@acme.test", ADMIN_PASSWORD, now).unwrap();
    assert_eq!(signed.person.role, "admin");
    assert_eq!(sessions::check(&c.ws, &signed.token, now).unwrap().email, "ada@acme.test");
    for (email, password) in [("ada@acme.test", "wrong password!"), ("nobody@acme.test", ADMIN_PASSWORD)] {
        let err = sessions::sign_in(&c.ws, email, password, now).unwrap_err();
        assert_eq!((err.code, err.message.as_str()), (Code::Forbidden, "Wrong email or password."));
    }
    let failed =
        audit::list(&c.ws, &Filter { action: Some("sign_in_failed".into()), ..Filter::default() }, 0, 10).unwrap();
    assert_eq!(failed.total, 2);
    assert!(failed.entries.iter().any(|e| e.summary == "Wrong password for ada@acme.test (1 in a row)"));
    sessions::sign_out(&c.ws, &signed.token).unwrap();
    assert_eq!(sessions::check(&c.ws, &signed.token, now).unwrap_err().message, "Sign in first.");
}

#[test]
fn twenty_wrong_passwords_trigger_the_backoff_which_an_hour_forgives() {
    let c = company(10);
    let now = Utc::now();
    let refused: Vec<Code> =
        (0..20).map(|_| sessions::sign_in(&c.ws, "ada@acme.test", "not the password", now).unwrap_err().code).collect();
    assert_eq!(refused.iter().filter(|c| **c == Code::Forbidden).count(), 5, "five tries are free");
    assert!(refused[5..].iter().all(|c| *c == Code::Unavailable));
    let err = sessions::sign_in(&c.ws, "ada@acme.test", ADMIN_PASSWORD, now).unwrap_err();
    assert_eq!(err.code, Code::Unavailable);
    assert!(err.message.starts_with("Too many wrong passwords: wait"), "{}", err.message);
    sessions::sign_in(&c.ws, "ada@acme.test", ADMIN_PASSWORD, now + Duration::hours(2)).unwrap();
}

#[test]
fn idle_sessions_expire_and_deactivation_ends_sessions_and_sign_in() {
    let c = company(10);
    let now = Utc::now();
    let signed = sessions::sign_in(&c.ws, "ada@acme.test", ADMIN_PASSWORD, now).unwrap();
    let err = sessions::check(&c.ws, &signed.token, now + Duration::minutes(31)).unwrap_err();
    assert_eq!(err.message, "Your session expired: sign in again.");
    assert_eq!(sessions::idle_minutes(&c.ws).unwrap(), sessions::DEFAULT_IDLE_MINUTES);
    for bad in [0, 1441] {
        assert_eq!(sessions::set_idle_minutes(&c.ws, &c.admin, bad).unwrap_err().code, Code::InvalidInput);
    }
    let entries = common::audit_count(&c.ws);
    assert_eq!(sessions::set_idle_minutes(&c.ws, &c.admin, 120).unwrap(), 120);
    assert_eq!(sessions::idle_minutes(&c.ws).unwrap(), 120);
    assert_eq!(common::audit_count(&c.ws), entries + 1, "the change is in the audit log");
    let signed = sessions::sign_in(&c.ws, "ada@acme.test", ADMIN_PASSWORD, now).unwrap();
    sessions::check(&c.ws, &signed.token, now + Duration::minutes(90)).unwrap();

    let jane = add(&c.ws, "Jane", "Doe", None);
    sessions::set_password(&c.ws, &c.admin, &jane, "jane's long password").unwrap();
    let hers = sessions::sign_in(&c.ws, "jane.doe@acme.test", "jane's long password", now).unwrap();
    lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&jane), None, None).unwrap();
    assert_eq!(sessions::check(&c.ws, &hers.token, now).unwrap_err().message, "Sign in first.");
    sessions::check(&c.ws, &signed.token, now + Duration::minutes(91))
        .expect("the admin was not deactivated: still signed in");
    let err = sessions::sign_in(&c.ws, "jane.doe@acme.test", "jane's long password", now).unwrap_err();
    assert_eq!((err.code, err.message.as_str()), (Code::Forbidden, "This account is deactivated — ask your admin."));
}

#[test]
fn a_password_code_works_once_for_24_hours_and_only_the_newest_one() {
    let c = company(10);
    let now = Utc::now();
    let jane = add(&c.ws, "Jane", "Doe", None);
    let sent = codes::send_password_mail(&c.ws, &c.admin, &jane, now).unwrap();
    assert_eq!(sent.status, "outbox", "no mail server is set");
    assert_eq!(sent.summary, "No mail server is set: the password mail for Jane Doe is in the Outbox.");
    let first = last_code(&c.ws);
    codes::send_password_mail(&c.ws, &c.admin, &jane, now).unwrap();
    let second = last_code(&c.ws);
    assert_ne!(first, second);

    let wrong =
        |code: &str, at| codes::set_password_with_code(&c.ws, "jane.doe@acme.test", code, "a new long password", at);
    assert_eq!(wrong(&first, now).unwrap_err().code, Code::InvalidInput, "superseded by the newer code");
    assert_eq!(wrong(&second, now + Duration::hours(25)).unwrap_err().code, Code::InvalidInput, "expired");
    // Typed back in lower case, without dashes: still the code.
    let typed = second.to_lowercase().replace('-', " ");
    let signed = wrong(&typed, now + Duration::hours(23)).unwrap();
    assert_eq!(signed.person.name, "Jane Doe");
    assert_eq!(wrong(&second, now).unwrap_err().code, Code::InvalidInput, "used");
    sessions::sign_in(&c.ws, "jane.doe@acme.test", "a new long password", now).unwrap();
}

#[test]
fn the_password_mail_reaches_a_real_smtp_server_and_its_code_sets_the_password() {
    let c = company(10);
    let server = smtp::SmtpServer::start();
    let smtp =
        mail::Smtp { host: "127.0.0.1".into(), port: server.port, security: mail::Security::None, username: None };
    mail::save_settings(&c.ws, &c.admin, Some(smtp), None).unwrap();
    let jane = add(&c.ws, "Jane", "Doe", None);
    let now = Utc::now();
    let sent = codes::send_password_mail(&c.ws, &c.admin, &jane, now).unwrap();
    assert_eq!(
        (sent.status.as_str(), sent.summary.as_str()),
        ("sent", "Password mail sent to Jane Doe (jane.doe@acme.test).")
    );
    let received = server.wait_for(1);
    assert!(smtp::header(&received[0], "To").unwrap().contains("jane.doe@acme.test"));
    let body = smtp::body(&received[0]);
    let code = body.lines().find_map(|l| l.strip_prefix("Your code: ")).expect("the code is in the mail").trim();
    let signed = codes::set_password_with_code(&c.ws, "jane.doe@acme.test", code, "from the mail, long", now).unwrap();
    assert_eq!(signed.person.email, "jane.doe@acme.test");
    sessions::sign_in(&c.ws, "jane.doe@acme.test", "from the mail, long", now).unwrap();
}

#[test]
fn wrong_codes_are_rate_limited_and_forgot_password_never_tells_who_has_an_account() {
    let c = company(10);
    let now = Utc::now();
    codes::request_code(&c.ws, "ghost@acme.test", now).unwrap();
    assert_eq!(mail::outbox(&c.ws, 0, 10).unwrap().total, 0);
    codes::request_code(&c.ws, "Ada@acme.test", now).unwrap();
    assert_eq!(mail::outbox(&c.ws, 0, 10).unwrap().total, 1);
    let code = last_code(&c.ws);
    let errors: Vec<Code> = (0..8)
        .map(|_| {
            codes::set_password_with_code(&c.ws, "ada@acme.test", "AAAAA-AAAAA-AAAAA-AAAAA", "whatever long", now)
                .unwrap_err()
                .code
        })
        .collect();
    assert!(errors.ends_with(&[Code::Unavailable, Code::Unavailable]), "{errors:?}");
    let err = codes::set_password_with_code(&c.ws, "ada@acme.test", &code, "a brand new password", now).unwrap_err();
    assert_eq!(err.code, Code::Unavailable, "even the right code waits");
    codes::set_password_with_code(&c.ws, "ada@acme.test", &code, "a brand new password", now + Duration::hours(2))
        .unwrap();
}

#[test]
fn an_employee_is_forbidden_every_change() {
    let c = company(10);
    let jane = add(&c.ws, "Jane", "Doe", None);
    let bob = add(&c.ws, "Bob", "Roe", None);
    let employee = Actor { id: Some(jane.clone()), name: "Jane Doe".into(), source: Source::App };
    let now = Utc::now();
    let change = lifecycle::deactivate(&c.ws, &c.admin, std::slice::from_ref(&bob), None, None).unwrap();
    let cycle =
        NewCycle { name: "Q1".into(), starts_on: "2027-01-01".into(), ends_on: "2027-01-31".into(), department: None };
    let draft = review_cycles::create(&c.ws, &c.admin, &cycle).unwrap();
    let smtp = mail::Smtp { host: "localhost".into(), port: 25, security: mail::Security::None, username: None };
    let attempts: Vec<(&str, roster_core::Error)> = vec![
        ("deactivate", lifecycle::deactivate(&c.ws, &employee, std::slice::from_ref(&bob), None, None).unwrap_err()),
        ("reactivate", lifecycle::reactivate(&c.ws, &employee, std::slice::from_ref(&bob)).unwrap_err()),
        ("undo", lifecycle::undo(&c.ws, &employee, &change.change_id).unwrap_err()),
        ("send password mail", codes::send_password_mail(&c.ws, &employee, &jane, now).unwrap_err()),
        ("set password", sessions::set_password(&c.ws, &employee, &bob, "some long password").unwrap_err()),
        ("session timeout", sessions::set_idle_minutes(&c.ws, &employee, 5).unwrap_err()),
        ("restart subscription", subscription::restart(&c.ws, &employee, 5, "2099-01-01").unwrap_err()),
        ("create cycle", review_cycles::create(&c.ws, &employee, &cycle).unwrap_err()),
        ("start cycle", review_cycles::start(&c.ws, &employee, &draft.id).unwrap_err()),
        ("mail settings", mail::save_settings(&c.ws, &employee, Some(smtp), None).unwrap_err()),
        ("test mail", mail::send_test(&c.ws, &employee, "x@acme.test").unwrap_err()),
    ];
    for (what, err) in attempts {
        assert_eq!(err.code, Code::Forbidden, "{what}: {}", err.message);
    }
}

#[test]
fn a_lapsed_subscription_keeps_employees_out_and_cycles_from_starting_until_restarted() {
    let c = company(10);
    let now = Utc::now();
    let boss = add(&c.ws, "Mia", "Boss", None);
    let jane = add(&c.ws, "Jane", "Doe", Some(&boss));
    let gone = add(&c.ws, "Gus", "Gone", Some(&boss));
    sessions::set_password(&c.ws, &c.admin, &jane, "jane's long password").unwrap();
    let cycle = NewCycle {
        name: "2027 H1".into(),
        starts_on: "2027-01-01".into(),
        ends_on: "2027-02-01".into(),
        department: None,
    };
    let draft = review_cycles::create(&c.ws, &c.admin, &cycle).unwrap();
    assert_eq!(draft.participants, 4);
    let conn = rusqlite::Connection::open(c.dir.path().join("w.roster")).unwrap();
    let yesterday = (now.date_naive() - Duration::days(1)).to_string();
    conn.execute("UPDATE company SET active_until = ?1", [&yesterday]).unwrap();

    let s = subscription::get(&c.ws).unwrap().unwrap();
    assert_eq!((s.status.as_str(), s.lapsed_since), ("lapsed", Some(now.date_naive().to_string())));
    let err = sessions::sign_in(&c.ws, "jane.doe@acme.test", "jane's long password", now).unwrap_err();
    assert_eq!(err.message, "The subscription has lapsed: ask your admin to restart it.");
    sessions::sign_in(&c.ws, "ada@acme.test", ADMIN_PASSWORD, now).expect("admins still sign in");
    assert_eq!(review_cycles::start(&c.ws, &c.admin, &draft.id).unwrap_err().code, Code::PreconditionFailed);
    assert_eq!(subscription::restart(&c.ws, &c.admin, 20, &yesterday).unwrap_err().code, Code::InvalidInput);

    let restarted = subscription::restart(&c.ws, &c.admin, 20, "2099-12-31").unwrap();
    assert_eq!((restarted.status.as_str(), restarted.seats), ("active", 20));
    sessions::sign_in(&c.ws, "jane.doe@acme.test", "jane's long password", now).unwrap();
    lifecycle::deactivate(&c.ws, &c.admin, &[gone], None, None).unwrap();
    let started = review_cycles::start(&c.ws, &c.admin, &draft.id).unwrap();
    assert_eq!((started.status.as_str(), started.participants, started.reviews), ("active", 3, 3));
    let profile = roster_core::history::profile(&c.ws, None, &jane).unwrap();
    let pending = profile.reviews.iter().find(|r| r.cycle == "2027 H1").expect("a pending review");
    assert_eq!((pending.text.as_deref(), pending.reviewer.as_ref().map(|r| r.name.as_str())), (None, Some("Mia Boss")));
    let usage = subscription::overview(&c.ws, 30).unwrap().usage;
    assert_eq!(usage.len(), 30);
    assert_eq!(usage.last().unwrap().active, 3);
}

#[test]
fn the_seat_chart_counts_a_merged_away_account_as_leaving_on_the_day_of_the_merge() {
    let c = common::demo_company();
    let (source, destination): (String, String) =
        c.ws.read(|tx| {
            Ok(tx.query_row(
                "SELECT min(id), max(id) FROM people JOIN lifecycle ON lifecycle.person = people.rowid WHERE status = 'active' AND role = 'employee'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    roster_core::merge::merge(&c.ws, &c.admin, &source, &destination, &[]).unwrap();
    let usage = subscription::overview(&c.ws, 7).unwrap().usage;
    let today = usage.last().unwrap().active;
    assert_eq!(today, roster_core::license::usage(&c.ws).unwrap().active);
    // Everything happened today: the day before, the company did not exist yet.
    assert_eq!(usage[usage.len() - 2].active, 0, "{usage:?}");
}

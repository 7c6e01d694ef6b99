//! Mail against a real SMTP server (aiosmtpd on 127.0.0.1): the Outbox without a server, delivery,
//! failures with a reason and retries, the admin-only settings and the keyring rule for passwords.

mod common;
mod smtp;

use std::time::{Duration, Instant};

use roster_core::audit::{self, Actor, Source};
use roster_core::mail::{self, Delivery, Letter, Security, Smtp};
use roster_core::{secrets, Code, Workspace};

use common::Company;
use smtp::SmtpServer;

fn server_at(port: u16) -> Smtp {
    Smtp { host: "127.0.0.1".into(), port, security: Security::None, username: None }
}

fn enqueue(ws: &Workspace, to: &str, subject: &str, body: &str) -> String {
    ws.write(|tx| mail::enqueue_tx(tx, &Letter { to, person_id: None, subject, body })).unwrap()
}

fn employee(c: &Company) -> Actor {
    let id = common::add(&c.ws, "Eve", "Employee", None);
    Actor { id: Some(id), name: "Eve Employee".into(), source: Source::App }
}

fn actions(ws: &Workspace) -> Vec<String> {
    audit::list(ws, &audit::Filter::default(), 0, 1000).unwrap().entries.into_iter().map(|e| e.action).collect()
}

#[test]
fn without_a_server_mail_waits_in_the_outbox() {
    let c = common::company(10);
    let settings = mail::settings(&c.ws).unwrap();
    assert_eq!(settings.smtp, None);
    assert!(!settings.password_stored);

    let id = enqueue(&c.ws, "bob@acme.test", "Your code", "Code 123");
    let item = mail::item(&c.ws, &id).unwrap();
    assert_eq!(item.status, "outbox");
    assert_eq!(
        (item.to.as_str(), item.subject.as_str(), item.body.as_str()),
        ("bob@acme.test", "Your code", "Code 123")
    );
    assert_eq!((item.attempts, item.last_error, item.sent_at), (0, None, None));

    assert_eq!(mail::deliver(&c.ws, false).unwrap(), Delivery { sent: 0, failed: 0 });
    assert_eq!(mail::deliver(&c.ws, true).unwrap(), Delivery { sent: 0, failed: 0 });
    assert_eq!(mail::item(&c.ws, &id).unwrap().status, "outbox");

    // With no server, neither a retry nor a test mail can send anything.
    let err = mail::retry(&c.ws, &c.admin, &id).unwrap_err();
    assert_eq!(err.code, Code::PreconditionFailed, "{err:?}");
    assert!(err.message.contains("Admin > Mail"), "{}", err.message);
    let err = mail::send_test(&c.ws, &c.admin, "ada@acme.test").unwrap_err();
    assert_eq!(err.code, Code::PreconditionFailed, "{err:?}");
    assert_eq!(mail::outbox(&c.ws, 0, 50).unwrap().total, 1);
}

#[test]
fn with_a_server_deliver_sends_pending_mail() {
    let server = SmtpServer::start();
    let c = common::company(10);
    let saved = mail::save_settings(&c.ws, &c.admin, Some(server_at(server.port)), None).unwrap();
    assert_eq!(saved.smtp, Some(server_at(server.port)));
    assert!(actions(&c.ws).contains(&"mail_settings_changed".to_string()));

    let first = enqueue(&c.ws, "bob@acme.test", "Set your Roster password", "Hello Bob,\n\nYour code: 424242\n");
    let second = enqueue(&c.ws, "Carol@Acme.test", "Another mail", "Second body line\n");
    assert_eq!(mail::item(&c.ws, &first).unwrap().status, "pending");

    assert_eq!(mail::deliver(&c.ws, false).unwrap(), Delivery { sent: 2, failed: 0 });
    for id in [&first, &second] {
        let item = mail::item(&c.ws, id).unwrap();
        assert_eq!((item.status.as_str(), item.attempts, item.last_error.as_deref()), ("sent", 1, None));
        assert!(item.sent_at.is_some());
    }

    let messages = server.wait_for(2);
    assert_eq!(messages.len(), 2, "{messages:?}");
    let to_bob = messages.iter().find(|m| smtp::header(m, "To").unwrap().contains("bob@acme.test")).unwrap();
    assert_eq!(smtp::header(to_bob, "Subject").as_deref(), Some("Set your Roster password"));
    assert_eq!(smtp::header(to_bob, "From").as_deref(), Some("Roster <no-reply@acme.test>"));
    assert_eq!(smtp::header(to_bob, "X-RcptTo").as_deref(), Some("bob@acme.test"));
    assert!(smtp::body(to_bob).contains("Your code: 424242"), "{to_bob}");
    let to_carol = messages.iter().find(|m| smtp::header(m, "To").unwrap().contains("Carol@Acme.test")).unwrap();
    assert!(smtp::body(to_carol).contains("Second body line"), "{to_carol}");

    // Sent mail is not sent again.
    assert_eq!(mail::deliver(&c.ws, true).unwrap(), Delivery { sent: 0, failed: 0 });
    assert_eq!(server.messages().len(), 2);
    let err = mail::retry(&c.ws, &c.admin, &first).unwrap_err();
    assert_eq!(err.code, Code::Conflict, "{err:?}");

    let outbox = mail::outbox(&c.ws, 0, 1).unwrap();
    assert_eq!((outbox.total, outbox.items.len()), (2, 1));
    assert_eq!(outbox.items[0].id, second, "newest first");
    assert_eq!(mail::outbox(&c.ws, 1, 10).unwrap().items[0].id, first);
}

#[test]
fn an_unreachable_server_fails_with_a_reason_then_retry_sends() {
    let port = smtp::free_port();
    let c = common::company(10);
    mail::save_settings(&c.ws, &c.admin, Some(server_at(port)), None).unwrap();
    let id = enqueue(&c.ws, "bob@acme.test", "Your code", "Code 777\n");

    assert_eq!(mail::deliver(&c.ws, false).unwrap(), Delivery { sent: 0, failed: 1 });
    let item = mail::item(&c.ws, &id).unwrap();
    assert_eq!((item.status.as_str(), item.attempts), ("failed", 1));
    assert_eq!(item.sent_at, None);
    let error = item.last_error.unwrap();
    assert!(error.contains(&format!("127.0.0.1:{port}")), "{error}");
    assert!(error.contains("connection refused"), "{error}");
    assert!(error.contains("Admin > Mail"), "{error}");

    // The backoff holds a failed mail back for a minute; `force` tries it anyway.
    assert_eq!(mail::deliver(&c.ws, false).unwrap(), Delivery { sent: 0, failed: 0 });
    assert_eq!(mail::item(&c.ws, &id).unwrap().attempts, 1);
    assert_eq!(mail::deliver(&c.ws, true).unwrap(), Delivery { sent: 0, failed: 1 });
    assert_eq!(mail::item(&c.ws, &id).unwrap().attempts, 2);

    let server = SmtpServer::start_on(port);
    let item = mail::retry(&c.ws, &c.admin, &id).unwrap();
    assert_eq!((item.status.as_str(), item.attempts, item.last_error.as_deref()), ("sent", 3, None));
    assert!(item.sent_at.is_some());
    let messages = server.wait_for(1);
    assert_eq!(messages.len(), 1);
    assert!(smtp::body(&messages[0]).contains("Code 777"));
}

#[test]
fn a_server_that_stops_answering_is_reported_and_every_waiting_mail_fails_at_once() {
    // Accepts connections but never speaks SMTP: each mail would otherwise wait for the timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let c = common::company(10);
    mail::save_settings(&c.ws, &c.admin, Some(server_at(port)), None).unwrap();
    let ids: Vec<String> = (0..3).map(|i| enqueue(&c.ws, "bob@acme.test", &format!("Mail {i}"), "Body\n")).collect();

    let started = Instant::now();
    assert_eq!(mail::deliver(&c.ws, false).unwrap(), Delivery { sent: 0, failed: 3 });
    assert!(started.elapsed() < Duration::from_secs(20), "one timeout, not one per mail: {:?}", started.elapsed());
    for id in &ids {
        let item = mail::item(&c.ws, id).unwrap();
        assert_eq!((item.status.as_str(), item.attempts), ("failed", 1));
        let error = item.last_error.unwrap();
        assert!(error.contains(&format!("127.0.0.1:{port}")) && error.contains("did not answer"), "{error}");
    }
    drop(silent);
}

#[test]
fn a_test_mail_is_sent_at_once_and_audited() {
    let server = SmtpServer::start();
    let c = common::company(10);
    mail::save_settings(&c.ws, &c.admin, Some(server_at(server.port)), None).unwrap();

    let item = mail::send_test(&c.ws, &c.admin, " ops@acme.test ").unwrap();
    assert_eq!((item.status.as_str(), item.to.as_str(), item.attempts), ("sent", "ops@acme.test", 1));
    let messages = server.wait_for(1);
    assert_eq!(messages.len(), 1);
    assert_eq!(smtp::header(&messages[0], "Subject").as_deref(), Some("Roster test mail"));
    assert_eq!(smtp::header(&messages[0], "X-RcptTo").as_deref(), Some("ops@acme.test"));

    let page =
        audit::list(&c.ws, &audit::Filter { action: Some("test_mail_sent".into()), ..Default::default() }, 0, 10)
            .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.entries[0].after.as_ref().unwrap()["to"], "ops@acme.test");
    assert_eq!(page.entries[0].summary, "Sent a test mail to ops@acme.test");

    let err = mail::send_test(&c.ws, &c.admin, "not an address").unwrap_err();
    assert_eq!(err.code, Code::InvalidInput, "{err:?}");
}

#[test]
fn a_failed_test_mail_comes_back_with_its_reason() {
    let port = smtp::free_port();
    let c = common::company(10);
    mail::save_settings(&c.ws, &c.admin, Some(server_at(port)), None).unwrap();
    let item = mail::send_test(&c.ws, &c.admin, "ada@acme.test").unwrap();
    assert_eq!((item.status.as_str(), item.attempts), ("failed", 1));
    assert!(item.last_error.unwrap().contains(&format!("Could not connect to 127.0.0.1:{port}")));
}

#[test]
fn only_admins_change_mail_settings_send_tests_and_retry() {
    let server = SmtpServer::start();
    let c = common::company(10);
    let eve = employee(&c);
    let before = actions(&c.ws).len();

    let err = mail::save_settings(&c.ws, &eve, Some(server_at(server.port)), None).unwrap_err();
    assert_eq!(err.code, Code::Forbidden, "{err:?}");
    // Refused as forbidden before anything else is looked at (the settings, the keyring).
    let invalid = Smtp { host: String::new(), ..server_at(server.port) };
    assert_eq!(mail::save_settings(&c.ws, &eve, Some(invalid), Some("pw")).unwrap_err().code, Code::Forbidden);
    assert_eq!(mail::send_test(&c.ws, &eve, "not an address").unwrap_err().code, Code::Forbidden);
    assert_eq!(mail::settings(&c.ws).unwrap().smtp, None);

    mail::save_settings(&c.ws, &c.admin, Some(server_at(server.port)), None).unwrap();
    let err = mail::save_settings(&c.ws, &eve, None, None).unwrap_err();
    assert_eq!(err.code, Code::Forbidden, "{err:?}");
    assert_eq!(mail::settings(&c.ws).unwrap().smtp, Some(server_at(server.port)));

    assert_eq!(mail::send_test(&c.ws, &eve, "eve@acme.test").unwrap_err().code, Code::Forbidden);
    let id = enqueue(&c.ws, "bob@acme.test", "Hi", "Body\n");
    assert_eq!(mail::retry(&c.ws, &eve, &id).unwrap_err().code, Code::Forbidden);
    assert_eq!(mail::item(&c.ws, &id).unwrap().status, "pending");
    assert!(server.messages().is_empty());
    assert_eq!(actions(&c.ws).len(), before + 1, "only the admin's save is in the log");
}

#[test]
fn invalid_settings_are_refused_and_change_nothing() {
    let c = common::company(10);
    let good = Smtp { host: "smtp.acme.test".into(), port: 587, security: Security::Starttls, username: None };
    mail::save_settings(&c.ws, &c.admin, Some(good.clone()), None).unwrap();
    let logged = actions(&c.ws).len();

    let bad = [
        Smtp { host: "  ".into(), ..good.clone() },
        Smtp { host: "smtp.acme.test:587".into(), ..good.clone() },
        Smtp { host: "https://smtp.acme.test".into(), ..good.clone() },
        Smtp { port: 0, ..good.clone() },
        Smtp { username: Some(String::new()), ..good.clone() },
    ];
    for smtp in bad {
        let err = mail::save_settings(&c.ws, &c.admin, Some(smtp.clone()), None).unwrap_err();
        assert_eq!(err.code, Code::InvalidInput, "{smtp:?}: {err:?}");
        assert!(!err.message.is_empty());
    }
    assert_eq!(mail::settings(&c.ws).unwrap().smtp, Some(good));
    assert_eq!(actions(&c.ws).len(), logged);

    // Host and user name are stored trimmed.
    let tidy = Smtp { host: " mail.acme.test ".into(), port: 25, security: Security::None, username: None };
    let saved = mail::save_settings(&c.ws, &c.admin, Some(tidy), None).unwrap();
    assert_eq!(saved.smtp.unwrap().host, "mail.acme.test");

    // A mail to something that is not an address is refused before it is written.
    let err =
        c.ws.write(|tx| mail::enqueue_tx(tx, &Letter { to: "bob", person_id: None, subject: "s", body: "b" }))
            .unwrap_err();
    assert_eq!(err.code, Code::InvalidInput, "{err:?}");
    assert_eq!(mail::outbox(&c.ws, 0, 10).unwrap().total, 0);
    assert_eq!(mail::item(&c.ws, "no-such-mail").unwrap_err().code, Code::NotFound);
}

#[test]
fn the_keyring_keeps_the_password_or_saving_one_is_refused() {
    let started = Instant::now();
    let keyring = secrets::availability();
    assert!(started.elapsed() < Duration::from_secs(5), "the keyring probe is time-boxed");
    assert!(!keyring.message.is_empty());
    let c = common::company(10);
    let with_user = Smtp {
        host: "smtp.acme.test".into(),
        port: 587,
        security: Security::Starttls,
        username: Some("ada@acme.test".into()),
    };
    let logged = actions(&c.ws).len();
    let result = mail::save_settings(&c.ws, &c.admin, Some(with_user.clone()), Some("s3cret"));
    if keyring.available {
        let saved = result.unwrap();
        assert!(saved.password_stored);
        assert!(!mail::settings(&c.ws).unwrap().smtp.unwrap().username.unwrap().is_empty());
        let kept = mail::save_settings(&c.ws, &c.admin, Some(with_user.clone()), None).unwrap();
        assert!(kept.password_stored, "None keeps the stored password");
        let removed = mail::save_settings(&c.ws, &c.admin, Some(with_user), Some("")).unwrap();
        assert!(!removed.password_stored);
        mail::save_settings(&c.ws, &c.admin, None, None).unwrap();
    } else {
        let err = result.unwrap_err();
        assert_eq!(err.code, Code::PreconditionFailed, "{err:?}");
        assert!(err.message.contains(&keyring.message), "{}", err.message);
        assert!(err.message.contains("Nothing was saved"), "{}", err.message);
        let settings = mail::settings(&c.ws).unwrap();
        assert_eq!(settings.smtp, None);
        assert!(!settings.password_stored);
        assert_eq!(settings.keyring, keyring);
        assert_eq!(actions(&c.ws).len(), logged);

        // Without a password, a user name is saved; `Some("")` (remove) is fine without a keyring.
        let saved = mail::save_settings(&c.ws, &c.admin, Some(with_user), Some("")).unwrap();
        assert!(!saved.password_stored);
    }
    // In the workspace file there is never a password.
    let raw: Vec<String> =
        c.ws.read(|tx| {
            let mut stmt = tx.prepare("SELECT value FROM settings")?;
            let values = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok(values)
        })
        .unwrap();
    assert!(raw.iter().all(|v| !v.contains("s3cret")), "{raw:?}");
}

#[test]
fn a_user_name_without_a_stored_password_fails_with_what_to_do() {
    let server = SmtpServer::start();
    let c = common::company(10);
    let smtp = Smtp { username: Some("ada".into()), ..server_at(server.port) };
    mail::save_settings(&c.ws, &c.admin, Some(smtp), None).unwrap();
    let id = enqueue(&c.ws, "bob@acme.test", "Hi", "Body\n");
    assert_eq!(mail::deliver(&c.ws, false).unwrap(), Delivery { sent: 0, failed: 1 });
    let error = mail::item(&c.ws, &id).unwrap().last_error.unwrap();
    assert!(error.contains("ada") && error.contains("Admin > Mail"), "{error}");
    assert!(server.messages().is_empty());
}

#[test]
fn removing_the_server_moves_waiting_mail_to_the_outbox() {
    let port = smtp::free_port();
    let c = common::company(10);
    mail::save_settings(&c.ws, &c.admin, Some(server_at(port)), None).unwrap();
    let pending = enqueue(&c.ws, "bob@acme.test", "Pending", "Body\n");
    let failed = enqueue(&c.ws, "carol@acme.test", "Failed", "Body\n");
    mail::retry(&c.ws, &c.admin, &failed).unwrap();
    assert_eq!(mail::item(&c.ws, &failed).unwrap().status, "failed");
    assert_eq!(mail::item(&c.ws, &pending).unwrap().status, "pending");

    let settings = mail::save_settings(&c.ws, &c.admin, None, None).unwrap();
    assert_eq!(settings.smtp, None);
    for id in [&pending, &failed] {
        assert_eq!(mail::item(&c.ws, id).unwrap().status, "outbox");
    }
    let log = audit::list(&c.ws, &audit::Filter::default(), 0, 1).unwrap();
    assert_eq!(log.entries[0].summary, "Mail server removed: mail goes to the Outbox");

    // Once a server is set again, an Outbox mail can be sent with a retry.
    let server = SmtpServer::start();
    mail::save_settings(&c.ws, &c.admin, Some(server_at(server.port)), None).unwrap();
    assert_eq!(mail::deliver(&c.ws, true).unwrap(), Delivery { sent: 0, failed: 0 }, "Outbox mail stays put");
    assert_eq!(mail::retry(&c.ws, &c.admin, &pending).unwrap().status, "sent");
    assert_eq!(server.wait_for(1).len(), 1);
}

#[test]
fn a_wrong_security_setting_says_what_to_change() {
    // The test server speaks plain SMTP without STARTTLS.
    let server = SmtpServer::start();
    let c = common::company(10);
    let expect = [(Security::Starttls, "does not offer STARTTLS"), (Security::Tls, "does not speak TLS on this port")];
    for (security, says) in expect {
        let smtp = Smtp { security, ..server_at(server.port) };
        mail::save_settings(&c.ws, &c.admin, Some(smtp), None).unwrap();
        let item = mail::send_test(&c.ws, &c.admin, "ops@acme.test").unwrap();
        assert_eq!(item.status, "failed");
        let error = item.last_error.unwrap();
        assert!(error.contains(says) && error.contains("Admin > Mail"), "{security:?}: {error}");
    }
    assert!(server.messages().is_empty());
}

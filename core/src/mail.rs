//! Mail: the SMTP server (its password in the OS keyring), the Outbox, sending and retrying.
//!
//! Every mail Roster writes is a row of `mail`, written in the transaction of the change that causes
//! it (`enqueue_tx`). Without an SMTP server it lands in the Outbox for the admin to hand over; with one
//! it is `pending` until `deliver` sends it, outside any transaction, each attempt recorded in its own
//! small write. A mail that failed is retried with a backoff (1, 2, 4 … 60 minutes).
//!
//! The schema keeps no separate time of the last attempt: while a mail is `failed`, its `sent_at`
//! column holds that time (for the backoff); `MailItem::sent_at` shows it only once the mail is sent.

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, Message, SmtpTransport, Transport};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::access::require_admin_tx;
use crate::audit::{self, Action, Actor, Entry};
use crate::error::{Code, Error, Result};
use crate::people;
use crate::secrets;
use crate::settings;
use crate::time;
use crate::workspace::Workspace;

/// How long Roster waits for the mail server (to connect, and for each answer).
const TIMEOUT: Duration = Duration::from_secs(10);

/// The longest wait between two attempts at a failed mail, in minutes.
const MAX_BACKOFF_MINUTES: i64 = 60;

/// The SMTP server Roster sends through. Its password is not here: it lives in the OS keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
    /// No encryption (a relay on the local network, port 25).
    None,
}

/// A mail to write.
pub struct Letter<'a> {
    pub to: &'a str,
    pub person_id: Option<&'a str>,
    pub subject: &'a str,
    pub body: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailItem {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    /// `outbox`, `pending`, `failed` or `sent`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outbox {
    pub total: i64,
    pub items: Vec<MailItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailSettings {
    pub smtp: Option<Smtp>,
    pub password_stored: bool,
    pub keyring: secrets::Availability,
}

/// What one `deliver` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
}

/// One delivery at a time in this process, so no mail is sent twice by two callers at once.
static DELIVERING: Mutex<()> = Mutex::new(());

fn delivering() -> std::sync::MutexGuard<'static, ()> {
    DELIVERING.lock().unwrap_or_else(|p| p.into_inner())
}

// ---------------------------------------------------------------------------------------------------
// Writing and reading mail

/// Inside the caller's transaction: writes the mail with status `pending` when an SMTP server is set,
/// `outbox` otherwise. Returns its id.
pub fn enqueue_tx(tx: &Transaction, letter: &Letter) -> Result<String> {
    let to = people::check_email(letter.to)?;
    let status = if settings::get_tx(tx, settings::SMTP)?.is_some() { "pending" } else { "outbox" };
    let id = people::new_id();
    tx.prepare_cached(
        "INSERT INTO mail (id, person_id, to_address, subject, body, created_at, status, attempts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)",
    )?
    .execute(params![id, letter.person_id, to, letter.subject, letter.body, time::now(), status])?;
    Ok(id)
}

const ITEM_COLUMNS: &str = "id, to_address, subject, body, created_at, status, attempts, last_error, sent_at";

fn item_from_row(row: &rusqlite::Row) -> rusqlite::Result<MailItem> {
    let status: String = row.get(5)?;
    let sent_at: Option<String> = row.get(8)?;
    Ok(MailItem {
        id: row.get(0)?,
        to: row.get(1)?,
        subject: row.get(2)?,
        body: row.get(3)?,
        created_at: row.get(4)?,
        attempts: row.get(6)?,
        last_error: row.get(7)?,
        sent_at: sent_at.filter(|_| status == "sent"),
        status,
    })
}

fn item_tx(tx: &Transaction, id: &str) -> Result<MailItem> {
    tx.query_row(&format!("SELECT {ITEM_COLUMNS} FROM mail WHERE id = ?1"), [id], item_from_row).optional()?.ok_or_else(
        || {
            Error::not_found(format!(
                "There is no mail with the id “{id}” in this workspace: it may have been deleted together with \
                 its person. Open the Outbox to see the mail there is."
            ))
        },
    )
}

pub fn item(ws: &Workspace, id: &str) -> Result<MailItem> {
    ws.read(|tx| item_tx(tx, id.trim()))
}

/// Every mail, newest first.
pub fn outbox(ws: &Workspace, offset: i64, limit: i64) -> Result<Outbox> {
    let (offset, limit) = (offset.max(0), limit.clamp(1, 1000));
    ws.read(|tx| {
        let total = tx.query_row("SELECT count(*) FROM mail", [], |r| r.get(0))?;
        let mut stmt = tx.prepare(&format!(
            "SELECT {ITEM_COLUMNS} FROM mail ORDER BY created_at DESC, id DESC LIMIT ?1 OFFSET ?2"
        ))?;
        let items = stmt.query_map([limit, offset], item_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(Outbox { total, items })
    })
}

// ---------------------------------------------------------------------------------------------------
// Settings

fn smtp_tx(tx: &Transaction) -> Result<Option<Smtp>> {
    let Some(value) = settings::get_tx(tx, settings::SMTP)? else { return Ok(None) };
    serde_json::from_str(&value).map(Some).map_err(|_| {
        Error::precondition_failed(
            "The saved mail server settings cannot be read: enter the server again in Admin > Mail.",
        )
    })
}

/// The keyring account of this workspace's SMTP password.
fn password_account(workspace_id: &str) -> String {
    format!("smtp:{workspace_id}")
}

/// Checks what an admin typed and returns it tidied (trimmed).
fn check_smtp(smtp: Smtp) -> Result<Smtp> {
    let host = smtp.host.trim().to_string();
    if host.is_empty() {
        return Err(Error::invalid_input(
            "Enter the mail server's host name, for example smtp.example.com (your mail provider gives it).",
        ));
    }
    let ipv6 = host.parse::<std::net::Ipv6Addr>().is_ok();
    let odd = host.chars().any(|c| c.is_whitespace() || "/@?#\\".contains(c) || (c == ':' && !ipv6));
    if odd || host.starts_with('.') || host.starts_with('-') {
        return Err(Error::invalid_input(format!(
            "“{host}” is not a host name: write only the server's name, for example smtp.example.com \
             (the port goes in its own field)."
        )));
    }
    if smtp.port == 0 {
        return Err(Error::invalid_input(
            "Port 0 is not possible: use the port your mail provider gives, usually 587 (STARTTLS), 465 (TLS) \
             or 25 (none).",
        ));
    }
    let username = match smtp.username {
        None => None,
        Some(name) if name.trim().is_empty() => {
            return Err(Error::invalid_input(
                "The user name is empty: fill it in, or choose “no user name” when the server needs no sign-in.",
            ))
        }
        Some(name) => Some(name.trim().to_string()),
    };
    Ok(Smtp { host, port: smtp.port, security: smtp.security, username })
}

/// The mail server, whether its password is stored, and whether this desktop has a keyring.
pub fn settings(ws: &Workspace) -> Result<MailSettings> {
    // Unreadable saved settings show as "none" so that the admin can enter them again.
    let (smtp, workspace_id) = ws.read(|tx| Ok((smtp_tx(tx).ok().flatten(), settings::workspace_id_tx(tx)?)))?;
    let keyring = secrets::availability();
    let password_stored = match (&workspace_id, keyring.available) {
        // A keyring that fails to answer (locked, say) must not hide the rest of the settings.
        (Some(id), true) => secrets::get(&password_account(id)).ok().flatten().is_some(),
        _ => false,
    };
    Ok(MailSettings { smtp, password_stored, keyring })
}

/// Sets (or with `None` removes) the mail server. `password`: `None` keeps the stored one, `Some("")`
/// removes it, `Some(p)` keeps `p` in the OS keyring, never in the workspace. Removing the server also
/// forgets its password and moves mail still waiting to be sent into the Outbox.
pub fn save_settings(
    ws: &Workspace,
    actor: &Actor,
    smtp: Option<Smtp>,
    password: Option<&str>,
) -> Result<MailSettings> {
    ws.read(|tx| require_admin_tx(tx, actor))?;
    let smtp = smtp.map(check_smtp).transpose()?;
    let change = match (&smtp, password) {
        (None, _) | (Some(_), Some("")) => Keyring::Forget,
        (Some(_), Some(secret)) => Keyring::Store(secret),
        (Some(_), None) => Keyring::Keep,
    };
    if smtp.is_none() && password.is_some_and(|p| !p.is_empty()) {
        return Err(Error::invalid_input(
            "A password needs a mail server: fill in the server, or leave the password empty.",
        ));
    }
    let keyring = secrets::availability();
    if matches!(change, Keyring::Store(_)) && !keyring.available {
        return Err(Error::precondition_failed(format!(
            "Roster cannot keep the password: {} Nothing was saved.",
            keyring.message
        )));
    }
    let value = smtp
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| Error::new(Code::Internal, format!("Could not write the mail settings: {e}")))?;
    let account = password_account(&ws.write(settings::ensure_workspace_id_tx)?);
    // The keyring is asked outside the workspace's lock (it may ask the person to unlock it), before the
    // settings change; if that change then fails, the keyring gets its old secret back.
    let previous = match change {
        Keyring::Keep => None,
        _ => secrets::get(&account)?,
    };
    match change {
        Keyring::Forget => secrets::delete(&account)?,
        Keyring::Store(secret) => secrets::store(&account, secret)?,
        Keyring::Keep => {}
    }
    let saved = ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let before = smtp_tx(tx).ok().flatten();
        settings::set_tx(tx, settings::SMTP, value.as_deref())?;
        if smtp.is_none() {
            // Nothing will send them now: show them in the Outbox, to hand over.
            tx.execute("UPDATE mail SET status = 'outbox' WHERE status IN ('pending', 'failed')", [])?;
        }
        let mut after = json!({ "host": smtp.as_ref().map(|s| s.host.as_str()) });
        match change {
            Keyring::Store(_) => after["password"] = json!("changed"),
            Keyring::Forget if previous.is_some() => after["password"] = json!("removed"),
            _ => {}
        }
        let entry = Entry {
            action: Action::MailSettingsChanged,
            subject: None,
            before: Some(json!({ "host": before.as_ref().map(|s| s.host.as_str()) })),
            after: Some(after),
        };
        audit::record_tx(tx, actor, &people::new_id(), entry)
    });
    if let Err(err) = saved {
        let _ = match (&change, previous) {
            (Keyring::Keep, _) => Ok(()),
            (_, Some(old)) => secrets::store(&account, &old),
            (_, None) => secrets::delete(&account),
        };
        return Err(err);
    }
    settings(ws)
}

/// What `save_settings` does to the password in the keyring.
enum Keyring<'a> {
    Keep,
    Store(&'a str),
    Forget,
}

// ---------------------------------------------------------------------------------------------------
// Sending

/// A mail to attempt.
struct Queued {
    id: String,
    to: String,
    subject: String,
    body: String,
    status: String,
    attempts: i64,
    /// For a failed mail: when it was last tried.
    last_attempt: Option<String>,
}

fn queued_from_row(row: &rusqlite::Row) -> rusqlite::Result<Queued> {
    Ok(Queued {
        id: row.get(0)?,
        to: row.get(1)?,
        subject: row.get(2)?,
        body: row.get(3)?,
        status: row.get(4)?,
        attempts: row.get(5)?,
        last_attempt: row.get(6)?,
    })
}

const QUEUED_COLUMNS: &str = "id, to_address, subject, body, status, attempts, sent_at";

/// Whether a failed mail's backoff is over: 1, 2, 4 … 60 minutes after its last attempt.
fn due(mail: &Queued, now: DateTime<Utc>) -> bool {
    if mail.status != "failed" {
        return true;
    }
    let Some(last) = mail.last_attempt.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok()) else {
        return true;
    };
    let exponent = (mail.attempts - 1).clamp(0, 6) as u32;
    let wait = (1i64 << exponent).min(MAX_BACKOFF_MINUTES);
    now >= last.with_timezone(&Utc) + chrono::Duration::minutes(wait)
}

/// Outside any transaction: tries every `pending` mail and every `failed` one whose backoff is over
/// (`force`: every failed one). Each attempt is recorded in its own small write.
pub fn deliver(ws: &Workspace, force: bool) -> Result<Delivery> {
    let _one_at_a_time = delivering();
    let now = Utc::now();
    let queued: Vec<Queued> = ws.read(|tx| {
        let mut stmt = tx.prepare(&format!(
            "SELECT {QUEUED_COLUMNS} FROM mail WHERE status IN ('pending', 'failed') ORDER BY created_at, id"
        ))?;
        let rows = stmt.query_map([], queued_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    })?;
    let queued = queued.into_iter().filter(|m| force || due(m, now)).collect();
    send_all(ws, queued)
}

/// Admin only: tries one mail now (a failed or pending one, or one in the Outbox once a server is set)
/// and returns it.
pub fn retry(ws: &Workspace, actor: &Actor, id: &str) -> Result<MailItem> {
    let id = id.trim();
    let _one_at_a_time = delivering();
    let queued = ws.read(|tx| {
        require_admin_tx(tx, actor)?;
        let item = item_tx(tx, id)?;
        match item.status.as_str() {
            "sent" => {
                return Err(Error::conflict(format!(
                    "This mail to {} was already sent: there is nothing to retry.",
                    item.to
                )))
            }
            "outbox" if settings::get_tx(tx, settings::SMTP)?.is_none() => {
                return Err(Error::precondition_failed(
                    "No mail server is set, so this mail stays in the Outbox: set a server in Admin > Mail to \
                     send it.",
                ))
            }
            _ => {}
        }
        Ok(tx.query_row(&format!("SELECT {QUEUED_COLUMNS} FROM mail WHERE id = ?1"), [id], queued_from_row)?)
    })?;
    send_all(ws, vec![queued])?;
    item(ws, id)
}

/// Admin only: writes a short test mail to `to` (audited), sends it at once and returns it: `sent`, or
/// `failed` with the reason in `last_error`.
pub fn send_test(ws: &Workspace, actor: &Actor, to: &str) -> Result<MailItem> {
    let id = ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let to = people::check_email(to)?;
        let Some(smtp) = smtp_tx(tx)? else {
            return Err(Error::precondition_failed(
                "No mail server is set: enter one in Admin > Mail and save it, then send a test mail.",
            ));
        };
        let person_id: Option<String> =
            tx.query_row("SELECT id FROM people WHERE email = ?1", [&to], |r| r.get(0)).optional()?;
        let body = format!(
            "Hello,\n\nthis is a test mail from Roster, sent by {} on {} UTC through {}:{}.\n\n\
             It arrived, so Roster can send mail: password mails reach your people the same way.\n",
            actor.name,
            Utc::now().format("%Y-%m-%d %H:%M"),
            smtp.host,
            smtp.port
        );
        let letter = Letter { to: &to, person_id: person_id.as_deref(), subject: "Roster test mail", body: &body };
        let id = enqueue_tx(tx, &letter)?;
        let entry =
            Entry { action: Action::TestMailSent, subject: None, before: None, after: Some(json!({ "to": to })) };
        audit::record_tx(tx, actor, &people::new_id(), entry)?;
        Ok(id)
    })?;
    let _one_at_a_time = delivering();
    let queued = ws.read(|tx| {
        Ok(tx.query_row(&format!("SELECT {QUEUED_COLUMNS} FROM mail WHERE id = ?1"), [&id], queued_from_row)?)
    })?;
    // Another delivery may have sent it in the meantime.
    if queued.status != "sent" {
        send_all(ws, vec![queued])?;
    }
    item(ws, &id)
}

/// What sending needs: the server, its password, and the sender.
struct Config {
    smtp: Smtp,
    password: Option<String>,
    from: Mailbox,
}

/// Reads the configuration; `Ok(None)` when no server is set, `Err(message)` (for `last_error`) when it
/// cannot be used.
fn config(ws: &Workspace) -> Result<Option<Result<Config, String>>> {
    let read = ws.read(|tx| {
        let smtp = match smtp_tx(tx) {
            Ok(Some(smtp)) => smtp,
            Ok(None) => return Ok(None),
            Err(e) => return Ok(Some(Err(e.message))),
        };
        let admin_email: Option<String> = tx
            .query_row("SELECT email FROM people WHERE role = 'admin' ORDER BY created_at, id LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(Some(Ok((smtp, settings::workspace_id_tx(tx)?, admin_email))))
    })?;
    let Some(read) = read else { return Ok(None) };
    Ok(Some(read.and_then(|(smtp, workspace_id, admin_email)| {
        let password = match &smtp.username {
            None => None,
            Some(user) => Some(stored_password(&smtp, user, workspace_id.as_deref())?),
        };
        Ok(Config { from: sender(admin_email.as_deref()), smtp, password })
    })))
}

fn stored_password(smtp: &Smtp, user: &str, workspace_id: Option<&str>) -> Result<String, String> {
    let keyring = secrets::availability();
    if !keyring.available {
        return Err(format!(
            "{} asks for the password of {user}, but this desktop has no keyring to keep it: {} \
             Or remove the user name in Admin > Mail if the server needs no sign-in.",
            smtp.host, keyring.message
        ));
    }
    let found = match workspace_id {
        Some(id) => secrets::get(&password_account(id)).map_err(|e| e.message)?,
        None => None,
    };
    found.ok_or_else(|| {
        format!(
            "No password is stored for {user} on {}: enter it in Admin > Mail (or remove the user name if \
             the server needs no sign-in).",
            smtp.host
        )
    })
}

/// "Roster <no-reply@DOMAIN>", DOMAIN being that of the company's first admin.
fn sender(admin_email: Option<&str>) -> Mailbox {
    let address = admin_email
        .and_then(|e| e.rsplit_once('@'))
        .and_then(|(_, domain)| Address::new("no-reply", domain.to_lowercase()).ok())
        .unwrap_or_else(|| Address::new_dangerous("no-reply", "localhost"));
    Mailbox::new(Some("Roster".into()), address)
}

fn transport(config: &Config) -> Result<SmtpTransport, String> {
    let smtp = &config.smtp;
    let builder = match smtp.security {
        Security::None => Ok(SmtpTransport::builder_dangerous(&smtp.host)),
        Security::Starttls => SmtpTransport::starttls_relay(&smtp.host),
        Security::Tls => SmtpTransport::relay(&smtp.host),
    }
    .map_err(|e| {
        format!(
            "Could not prepare a secure connection to {}:{} ({e}). Check the host and the security setting in \
             Admin > Mail.",
            smtp.host, smtp.port
        )
    })?;
    let mut builder = builder.port(smtp.port).timeout(Some(TIMEOUT));
    if let (Some(user), Some(password)) = (&smtp.username, &config.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

/// Why an attempt failed, in words for `last_error`; `whole_server` when every other mail would fail
/// the same way (so they are not tried one by one, each waiting for the timeout).
struct Failure {
    message: String,
    whole_server: bool,
}

/// Tries each mail in order; records each attempt.
fn send_all(ws: &Workspace, queued: Vec<Queued>) -> Result<Delivery> {
    let mut delivery = Delivery::default();
    if queued.is_empty() {
        return Ok(delivery);
    }
    let Some(config) = config(ws)? else {
        return Ok(delivery); // no server (any more): the mail waits
    };
    let mailer = config.and_then(|c| transport(&c).map(|t| (c, t)));
    let mut stop: Option<String> = None;
    for mail in &queued {
        let outcome = match (&stop, &mailer) {
            (Some(message), _) | (None, Err(message)) => Err(message.clone()),
            (None, Ok((config, transport))) => send_one(config, transport, mail).map_err(|failure| {
                if failure.whole_server {
                    stop = Some(failure.message.clone());
                }
                failure.message
            }),
        };
        record_attempt(ws, &mail.id, outcome.as_ref().err().map(String::as_str))?;
        match outcome {
            Ok(()) => delivery.sent += 1,
            Err(_) => delivery.failed += 1,
        }
    }
    Ok(delivery)
}

fn record_attempt(ws: &Workspace, id: &str, error: Option<&str>) -> Result<()> {
    let now = time::now();
    ws.write(|tx| {
        let status = if error.is_some() { "failed" } else { "sent" };
        tx.execute(
            "UPDATE mail SET status = ?2, attempts = attempts + 1, last_error = ?3, sent_at = ?4
             WHERE id = ?1 AND status != 'sent'",
            params![id, status, error, now],
        )?;
        Ok(())
    })
}

fn send_one(config: &Config, transport: &SmtpTransport, mail: &Queued) -> Result<(), Failure> {
    let to: Mailbox = mail.to.parse().map_err(|_| Failure {
        message: format!(
            "“{}” is not an address a mail server accepts: correct the person's email in the directory.",
            mail.to
        ),
        whole_server: false,
    })?;
    let message = Message::builder()
        .from(config.from.clone())
        .to(to)
        .subject(mail.subject.as_str())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| Failure { message: format!("Roster could not write this mail: {e}."), whole_server: false })?;
    transport.send(&message).map(|_| ()).map_err(|e| explain(&e, &config.smtp, &mail.to))
}

/// Every message in an error's chain, for looking up words in it.
fn error_chain(err: &lettre::transport::smtp::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        text.push_str(" | ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// The first I/O error under an SMTP error, if any.
fn io_cause(err: &lettre::transport::smtp::Error) -> Option<&std::io::Error> {
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        source = e.source();
    }
    None
}

/// What went wrong and what to fix, in a sentence for the Outbox.
fn explain(err: &lettre::transport::smtp::Error, smtp: &Smtp, to: &str) -> Failure {
    let server = format!("{}:{}", smtp.host, smtp.port);
    let detail = std::error::Error::source(err).map(|s| s.to_string()).unwrap_or_default();
    let whole = |message: String| Failure { message, whole_server: true };
    let this_mail = |message: String| Failure { message, whole_server: false };
    let io_reason = || match io_cause(err) {
        Some(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
        Some(io) if io.kind() == std::io::ErrorKind::ConnectionReset => "the server closed the connection".into(),
        Some(io) => io.to_string(),
        None => detail.clone(),
    };
    // A read that times out is `WouldBlock` on Unix, `TimedOut` elsewhere.
    let timed_out = err.is_timeout()
        || io_cause(err)
            .is_some_and(|io| matches!(io.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut));
    if timed_out {
        return whole(format!(
            "The mail server {server} did not answer within {} seconds. Check the host, the port and the \
             security setting (STARTTLS, TLS or none) in Admin > Mail.",
            TIMEOUT.as_secs()
        ));
    }
    if err.is_client() {
        if detail.contains("STARTTLS") {
            return whole(format!(
                "{server} does not offer STARTTLS: choose TLS (usually port 465) or none in Admin > Mail."
            ));
        }
        if detail.contains("authentication mechanism") {
            return whole(format!(
                "{server} offers no way to sign in that Roster knows (PLAIN or LOGIN) on this connection: many \
                 servers offer it only over STARTTLS or TLS. Check the security setting in Admin > Mail."
            ));
        }
    }
    // The TLS library's failure may come wrapped as an I/O error of the connection.
    let chain = error_chain(err);
    let tls_words = ["SSL", "TLS", "certificate", "handshake"];
    if err.is_tls() || tls_words.iter().any(|w| chain.contains(w)) {
        let reason = if chain.contains("wrong version number") || chain.contains("packet length too long") {
            "the server does not speak TLS on this port".to_string()
        } else if chain.contains("certificate") {
            format!("its certificate is not trusted on this computer ({})", detail.trim())
        } else {
            detail.trim().to_string()
        };
        return whole(format!(
            "Could not set up a secure connection with {server}: {reason}. Check the security setting in \
             Admin > Mail: port 465 usually needs TLS, port 587 STARTTLS."
        ));
    }
    if err.to_string().starts_with("Connection error") {
        let reason = io_reason();
        let reason = if reason.contains("lookup address") {
            format!("there is no server by the name {}", smtp.host)
        } else {
            reason
        };
        return whole(format!("Could not connect to {server}: {reason}. Check the host and port in Admin > Mail."));
    }
    if let Some(code) = err.status() {
        let code = u16::from(code);
        let text = format!("{code} {}", detail.trim());
        return match code {
            530 if smtp.username.is_none() => whole(format!(
                "{server} asks Roster to sign in ({text}). Enter a user name and password in Admin > Mail."
            )),
            530 | 534 | 535 | 538 => whole(format!(
                "{server} refused the sign-in ({text}). Check the user name and password in Admin > Mail."
            )),
            421 => whole(format!("{server} is not taking mail right now ({text}). Roster tries again later.")),
            400..=499 => this_mail(format!(
                "{server} could not take the mail to {to} right now ({text}). Roster tries again later."
            )),
            _ => this_mail(format!(
                "{server} refused the mail to {to} ({text}). Check the address; if it is right, ask your mail \
                 provider why."
            )),
        };
    }
    if io_cause(err).is_some() {
        return whole(format!(
            "The connection to {server} broke off: {}. Roster tries again later; if it keeps failing, check the \
             security setting (STARTTLS, TLS or none) in Admin > Mail.",
            io_reason()
        ));
    }
    whole(format!("Sending through {server} failed: {err}. Check the mail server in Admin > Mail."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(attempts: i64, minutes_ago: i64) -> Queued {
        Queued {
            id: "m".into(),
            to: "a@b.test".into(),
            subject: String::new(),
            body: String::new(),
            status: "failed".into(),
            attempts,
            last_attempt: Some(time::format(Utc::now() - chrono::Duration::minutes(minutes_ago))),
        }
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let now = Utc::now();
        assert!(!due(&failed(1, 0), now));
        assert!(due(&failed(1, 1), now));
        assert!(!due(&failed(2, 1), now));
        assert!(due(&failed(2, 2), now));
        assert!(!due(&failed(3, 3), now));
        assert!(due(&failed(3, 4), now));
        assert!(!due(&failed(7, 59), now));
        assert!(due(&failed(7, 60), now));
        assert!(due(&failed(40, 60), now));
    }

    #[test]
    fn the_sender_is_at_the_first_admins_domain() {
        assert_eq!(sender(Some("ada@Acme.test")).to_string(), "Roster <no-reply@acme.test>");
        assert_eq!(sender(None).to_string(), "Roster <no-reply@localhost>");
    }

    #[test]
    fn smtp_settings_are_checked_and_tidied() {
        let smtp = |host: &str, port: u16, username: Option<&str>| Smtp {
            host: host.into(),
            port,
            security: Security::Starttls,
            username: username.map(str::to_string),
        };
        let ok = check_smtp(smtp(" smtp.acme.test ", 587, Some(" ada "))).unwrap();
        assert_eq!((ok.host.as_str(), ok.username.as_deref()), ("smtp.acme.test", Some("ada")));
        assert!(check_smtp(smtp("::1", 25, None)).is_ok());
        for bad in [smtp("", 587, None), smtp("smtp.acme.test:587", 587, None), smtp("a b", 25, None)] {
            assert_eq!(check_smtp(bad).unwrap_err().code, Code::InvalidInput);
        }
        assert_eq!(check_smtp(smtp("smtp.acme.test", 0, None)).unwrap_err().code, Code::InvalidInput);
        assert_eq!(check_smtp(smtp("smtp.acme.test", 25, Some(" "))).unwrap_err().code, Code::InvalidInput);
    }
}

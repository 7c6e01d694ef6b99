//! One-time codes to set a password: mailed by "Send Password Mail" (an admin) or "Forgot password?"
//! (anyone, without learning whether the email exists). A code is random (100 bits), stored only as a
//! hash, works once, expires after 24 hours and is replaced by a newer one; wrong codes are slowed down.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::json;

use super::backoff::{self, Kind};
use super::sessions::{self, SignedIn};
use super::{check_sign_in_tx, passwords, require_admin_tx};
use crate::audit::{self, Action, Actor, Entry, Source};
use crate::error::{Error, Result};
use crate::mail::{self, Letter};
use crate::people::{self, PersonRef};
use crate::time;
use crate::workspace::Workspace;

pub const VALID_FOR: Duration = Duration::hours(24);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// "Send Password Mail": an admin invites the person to set a password.
    Invite,
    /// "Forgot password?": the person asked for it.
    Reset,
}

/// What became of a password mail, for the admin's toast.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailSent {
    pub mail_id: String,
    pub to: String,
    pub status: String,
    pub summary: String,
}

struct Recipient {
    person: PersonRef,
    email: String,
    first_name: String,
    company: String,
}

fn recipient_tx(tx: &Transaction, id: &str) -> Result<Recipient> {
    Ok(tx.query_row(
        "SELECT p.id, p.name, p.email, p.first_name, coalesce((SELECT name FROM company), 'your company') FROM people p WHERE p.id = ?1",
        [id],
        |r| {
            Ok(Recipient {
                person: PersonRef { id: r.get(0)?, name: r.get(1)? },
                email: r.get(2)?,
                first_name: r.get(3)?,
                company: r.get(4)?,
            })
        },
    )?)
}

/// Replaces any open code of the person with a new one, and writes the mail that carries it.
fn issue_tx(tx: &Transaction, to: &Recipient, purpose: Purpose, at: DateTime<Utc>) -> Result<String> {
    let code = passwords::new_code()?;
    tx.execute(
        "UPDATE password_codes SET superseded_at = ?1 WHERE person_id = ?2 AND used_at IS NULL AND superseded_at IS NULL",
        params![time::format(at), to.person.id],
    )?;
    let purpose_name = match purpose {
        Purpose::Invite => "invite",
        Purpose::Reset => "reset",
    };
    tx.execute(
        "INSERT INTO password_codes (id, person_id, code_hash, purpose, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            people::new_id(),
            to.person.id,
            passwords::sha256(&passwords::normalise_code(&code)),
            purpose_name,
            time::format(at),
            time::format(at + VALID_FOR)
        ],
    )?;
    let (subject, opening) = match purpose {
        Purpose::Invite => {
            ("Set your Roster password", format!("Your admin at {} asks you to set a password for Roster.", to.company))
        }
        Purpose::Reset => {
            ("Your Roster password code", "Someone (we hope you) asked to reset your Roster password.".into())
        }
    };
    let body = format!(
        "Hello {first},\n\n{opening}\n\nYour code: {code}\n\n\
         Open Roster, choose \"Set password with a code\" on the sign-in screen, and enter your email ({email}) \
         and this code. It works once, until {until} UTC.\n\nIf you did not expect this mail, ignore it: your \
         password stays as it is.\n",
        first = to.first_name,
        email = to.email,
        until = (at + VALID_FOR).format("%Y-%m-%d %H:%M"),
    );
    mail::enqueue_tx(tx, &Letter { to: &to.email, person_id: Some(&to.person.id), subject, body: &body })
}

/// "Send Password Mail": mails an active person a code to set their password.
pub fn send_password_mail(ws: &Workspace, actor: &Actor, person: &str, at: DateTime<Utc>) -> Result<MailSent> {
    let (mail_id, name) = ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let subject = people::resolve_tx(tx, person)?;
        if !people::is_active_tx(tx, &subject.id)? {
            return Err(Error::precondition_failed(format!(
                "{} is deactivated and cannot sign in: reactivate them first, then send the password mail.",
                subject.name
            )));
        }
        let to = recipient_tx(tx, &subject.id)?;
        let mail_id = issue_tx(tx, &to, Purpose::Invite, at)?;
        let entry = Entry { action: Action::PasswordMailSent, subject: Some(&subject), before: None, after: None };
        audit::record_tx(tx, actor, &people::new_id(), entry)?;
        Ok((mail_id, subject.name))
    })?;
    mail::deliver(ws, false)?;
    let item = mail::item(ws, &mail_id)?;
    let summary = match item.status.as_str() {
        "sent" => format!("Password mail sent to {name} ({}).", item.to),
        "outbox" => format!("No mail server is set: the password mail for {name} is in the Outbox."),
        "failed" => format!(
            "The password mail for {name} could not be sent yet: {} Roster will retry.",
            item.last_error.as_deref().unwrap_or("unknown error.")
        ),
        _ => format!("The password mail for {name} is on its way."),
    };
    Ok(MailSent { mail_id, to: item.to, status: item.status, summary })
}

/// "Forgot password?": queues a mail with a code when the email belongs to an active person. The
/// answer is the same either way, so nobody learns who has an account; the caller sends the queue
/// (`mail::deliver`) apart from answering, so that neither does the time it takes.
pub fn request_code(ws: &Workspace, email: &str, at: DateTime<Utc>) -> Result<()> {
    let email = email.trim();
    ws.write(|tx| {
        let Some(id) = people::find_by_email_tx(tx, email)? else { return Ok(()) };
        if !people::is_active_tx(tx, &id)? {
            return Ok(());
        }
        let to = recipient_tx(tx, &id)?;
        issue_tx(tx, &to, Purpose::Reset, at)?;
        let actor = Actor { id: None, name: "Forgot password".into(), source: Source::App };
        let entry = Entry { action: Action::PasswordMailSent, subject: Some(&to.person), before: None, after: None };
        audit::record_tx(tx, &actor, &people::new_id(), entry)
    })
}

/// "Set password with a code": checks the code, sets the password and signs the person in.
pub fn set_password_with_code(
    ws: &Workspace,
    email: &str,
    code: &str,
    password: &str,
    at: DateTime<Utc>,
) -> Result<SignedIn> {
    let email = email.trim();
    let hash = passwords::hash(password)?;
    let typed = passwords::sha256(&passwords::normalise_code(code));
    ws.write(|tx| {
        backoff::check_tx(tx, Kind::Code, email, at)?;
        let person = people::find_by_email_tx(tx, email)?.unwrap_or_default();
        let found: Option<(String, String)> = tx
            .query_row(
                "SELECT id, person_id FROM password_codes
                 WHERE person_id = ?1 AND code_hash = ?2 AND used_at IS NULL AND superseded_at IS NULL AND expires_at > ?3",
                params![person, typed, time::format(at)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((code_id, person_id)) = found else {
            backoff::fail_tx(tx, Kind::Code, email, at)?;
            return Ok(Err(Error::invalid_input(
                "This code is wrong, used, expired or replaced by a newer one: ask for a new code.",
            )));
        };
        // A deactivated person (or an employee while the subscription lapsed) keeps the code unused.
        check_sign_in_tx(tx, &person_id)?;
        backoff::clear_tx(tx, Kind::Code, email)?;
        tx.execute("UPDATE password_codes SET used_at = ?1 WHERE id = ?2", params![time::format(at), code_id])?;
        tx.execute("UPDATE people SET password_hash = ?1 WHERE id = ?2", params![hash, person_id])?;
        let signed_in = sessions::start_tx(tx, &person_id, at)?;
        let subject = PersonRef { id: person_id.clone(), name: signed_in.person.name.clone() };
        let entry =
            Entry { action: Action::PasswordSet, subject: Some(&subject), before: None, after: Some(json!({ "via": "code" })) };
        audit::record_tx(tx, &signed_in.person.actor(Source::App), &people::new_id(), entry)?;
        Ok(Ok(signed_in))
    })?
}

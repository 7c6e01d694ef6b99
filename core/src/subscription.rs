//! The subscription: the license's seats are paid until a date. Once that date has passed it has
//! lapsed: employees cannot sign in and review cycles cannot start, until an admin restarts it.

use chrono::{Duration, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::json;

use crate::access::require_admin_tx;
use crate::audit::{self, Action, Actor, Entry};
use crate::error::{Error, Result};
use crate::people;
use crate::time;
use crate::workspace::Workspace;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub plan: String,
    pub seats: i64,
    pub active_until: String,
    /// "active" or "lapsed".
    pub status: String,
    pub lapsed_since: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DayUsage {
    pub day: String,
    pub active: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub subscription: Subscription,
    pub usage: Vec<DayUsage>,
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The day after the last paid day, when the subscription has lapsed.
pub fn lapsed_since_tx(tx: &Transaction) -> Result<Option<NaiveDate>> {
    let until: Option<String> = tx.query_row("SELECT (SELECT active_until FROM company)", [], |r| r.get(0))?;
    let until = until.and_then(|u| NaiveDate::parse_from_str(&u, "%Y-%m-%d").ok());
    Ok(until.filter(|u| *u < today()).and_then(|u| u.succ_opt()))
}

pub fn get_tx(tx: &Transaction) -> Result<Option<Subscription>> {
    let row: Option<(String, i64, Option<String>)> = tx
        .query_row("SELECT plan, seats, active_until FROM company", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((plan, seats, until)) = row else { return Ok(None) };
    let lapsed = lapsed_since_tx(tx)?;
    Ok(Some(Subscription {
        plan,
        seats,
        active_until: until.unwrap_or_default(),
        status: if lapsed.is_some() { "lapsed" } else { "active" }.into(),
        lapsed_since: lapsed.map(|d| d.to_string()),
    }))
}

pub fn get(ws: &Workspace) -> Result<Option<Subscription>> {
    ws.read(get_tx)
}

/// Refuses what needs a paid subscription, saying how to fix it.
pub fn require_active_tx(tx: &Transaction, what: &str) -> Result<()> {
    match lapsed_since_tx(tx)? {
        Some(since) => Err(Error::precondition_failed(format!(
            "The subscription lapsed on {since}, so {what} is not possible: restart it in Admin > Subscription."
        ))),
        None => Ok(()),
    }
}

/// Checks a "paid until" date given by a person: a date, after today.
pub fn check_until(until: &str) -> Result<NaiveDate> {
    let day = time::parse_date("Paid until", until)?;
    if day <= today() {
        return Err(Error::invalid_input(format!("{day} is not in the future: the subscription must run past today.")));
    }
    Ok(day)
}

/// Restarts (or extends) the subscription: seats and the last paid day.
pub fn restart(ws: &Workspace, actor: &Actor, seats: i64, until: &str) -> Result<Subscription> {
    let until = check_until(until)?;
    if !(1..=10_000_000).contains(&seats) {
        return Err(Error::invalid_input(format!("{seats} seats is not possible: choose between 1 and 10,000,000.")));
    }
    ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let before = get_tx(tx)?.ok_or_else(|| Error::precondition_failed("Set up the company first."))?;
        tx.execute("UPDATE company SET seats = ?1, active_until = ?2", params![seats, until.to_string()])?;
        let after = json!({ "seats": seats, "activeUntil": until.to_string() });
        let was = json!({ "seats": before.seats, "activeUntil": before.active_until });
        let entry =
            Entry { action: Action::SubscriptionRestarted, subject: None, before: Some(was), after: Some(after) };
        audit::record_tx(tx, actor, &people::new_id(), entry)?;
        Ok(get_tx(tx)?.expect("just written"))
    })
}

/// The subscription and active people per day over the last `days` days, from the audit log: today's
/// count, walked back through each activation and deactivation.
pub fn overview(ws: &Workspace, days: i64) -> Result<Overview> {
    ws.read(|tx| {
        let subscription = get_tx(tx)?.ok_or_else(|| Error::precondition_failed("Set up the company first."))?;
        let mut active = crate::license::usage_tx(tx)?.active;
        let first = today() - Duration::days(days - 1);
        let mut stmt = tx.prepare(&format!(
            "SELECT substr(w.at, 1, 10), a.action, f.text FROM {}
             WHERE (a.action IN ('deactivated', 'reactivated', 'person_created', 'demo_generated')
                    OR (a.action = 'merged' AND json_extract(b.text, '$.status') = 'active')) AND w.at >= ?1
             ORDER BY a.id DESC",
            crate::audit::ENTRIES
        ))?;
        let changes = stmt
            .query_map([first.to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut usage = Vec::with_capacity(days as usize);
        let mut next = changes.iter().peekable();
        let mut day = today();
        while day >= first {
            usage.push(DayUsage { day: day.to_string(), active });
            // Undo the changes of this day to get the count at the end of the day before.
            while let Some((on, action, after)) = next.peek() {
                if *on != day.to_string() {
                    break;
                }
                active -= match action.as_str() {
                    // Merging an active account away deactivates it.
                    "deactivated" | "merged" => -1,
                    "reactivated" | "person_created" => 1,
                    _ => active_in_demo(after.as_deref()),
                };
                next.next();
            }
            day = day.pred_opt().expect("a date after year 1");
        }
        usage.reverse();
        Ok(Overview { subscription, usage })
    })
}

/// How many active people a demo company brought in (all of them minus those it brought deactivated).
fn active_in_demo(after: Option<&str>) -> i64 {
    let after: serde_json::Value = after.and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
    after["people"].as_i64().unwrap_or(0) - after["deactivated"].as_i64().unwrap_or(0)
}

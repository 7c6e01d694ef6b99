//! A person's profile and history: fields, manager and reports, performance reviews, objectives,
//! feedback, 1:1 meetings and the audit trail. Deactivated people keep all of it.

use rusqlite::{OptionalExtension, Transaction};
use serde::Serialize;

use crate::audit::{self, AuditEntry, Filter};
use crate::error::{Error, Result};
use crate::people::PersonRef;
use crate::workspace::Workspace;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deactivation {
    pub at: String,
    pub by_name: Option<String>,
    pub reason: Option<String>,
}

/// A merged-away account: "Merged into NAME on DATE by WHO".
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MergedInto {
    pub into: PersonRef,
    pub at: String,
    pub by_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Colleague {
    pub id: String,
    pub name: String,
    pub title: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: String,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub employee_id: Option<String>,
    pub title: String,
    pub department: String,
    pub location: String,
    pub hire_date: Option<String>,
    pub role: String,
    pub status: String,
    pub manager: Option<Colleague>,
    pub reports: Vec<Colleague>,
    pub deactivation: Option<Deactivation>,
    pub merged: Option<MergedInto>,
    /// "Keep active until DATE — reason": the HRIS import does not deactivate them until then.
    pub sync_hold: Option<crate::holds::Hold>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    pub id: String,
    pub cycle: String,
    /// None: written by someone since deleted ("Deleted user").
    pub reviewer: Option<PersonRef>,
    pub rating: Option<i64>,
    /// None while the review of a started cycle is not written yet.
    pub text: Option<String>,
    pub submitted_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewWritten {
    pub id: String,
    pub cycle: String,
    pub subject: PersonRef,
    pub rating: Option<i64>,
    pub submitted_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Objective {
    pub id: String,
    pub title: String,
    pub status: String,
    pub progress: i64,
    pub due_on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackReceived {
    pub id: String,
    pub from: Option<PersonRef>,
    pub text: String,
    pub given_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackGiven {
    pub id: String,
    pub to: PersonRef,
    pub text: String,
    pub given_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OneOnOne {
    pub id: String,
    pub held_on: String,
    /// The other person in the meeting (the manager on a report's profile, the report on a manager's).
    pub with: Option<PersonRef>,
    pub shared_notes: String,
    /// The viewer's own private notes; nobody reads another person's.
    pub private_notes: Vec<Note>,
    pub hidden_private_notes: i64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub person: Person,
    pub reviews: Vec<Review>,
    pub reviews_written: Vec<ReviewWritten>,
    pub objectives: Vec<Objective>,
    pub feedback_received: Vec<FeedbackReceived>,
    pub feedback_given: Vec<FeedbackGiven>,
    pub one_on_ones: Vec<OneOnOne>,
    pub activity: Vec<AuditEntry>,
}

fn list<T>(
    tx: &Transaction,
    sql: &str,
    id: &str,
    row: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let items = stmt.query_map([id], row)?.collect::<rusqlite::Result<_>>()?;
    Ok(items)
}

fn person_tx(tx: &Transaction, id: &str) -> Result<Person> {
    let colleague =
        |r: &rusqlite::Row| Ok(Colleague { id: r.get(0)?, name: r.get(1)?, title: r.get(2)?, status: r.get(3)? });
    let (mut person, manager_id) = tx
        .query_row(
            "SELECT p.id, p.name, p.first_name, p.last_name, p.email, p.title, p.department, p.location, p.hire_date,
                    p.role, l.status, l.deactivated_at, l.deactivated_by_name, l.deactivation_reason, l.manager_id,
                    p.employee_id, (SELECT name FROM people g WHERE g.id = p.merged_into_id), p.merged_into_id
             FROM people p JOIN lifecycle l ON l.person = p.rowid WHERE p.id = ?1",
            [id],
            |r| {
                let deactivation = r
                    .get::<_, Option<String>>(11)?
                    .map(|at| -> rusqlite::Result<_> {
                        Ok(Deactivation { at, by_name: r.get(12)?, reason: r.get(13)? })
                    })
                    .transpose()?;
                let person = Person {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    first_name: r.get(2)?,
                    last_name: r.get(3)?,
                    email: r.get(4)?,
                    title: r.get(5)?,
                    department: r.get(6)?,
                    location: r.get(7)?,
                    hire_date: r.get(8)?,
                    role: r.get(9)?,
                    status: r.get(10)?,
                    manager: None,
                    reports: Vec::new(),
                    merged: match (r.get::<_, Option<String>>(17)?, r.get::<_, Option<String>>(16)?) {
                        (Some(id), Some(name)) => Some(MergedInto {
                            into: PersonRef { id, name },
                            at: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                            by_name: r.get(12)?,
                        }),
                        _ => None,
                    },
                    employee_id: r.get(15)?,
                    sync_hold: None,
                    deactivation,
                };
                Ok((person, r.get::<_, Option<String>>(14)?))
            },
        )
        .optional()?
        .ok_or_else(|| {
            Error::not_found(format!("Nobody in this workspace has the id “{id}”: they may have been deleted."))
        })?;
    if let Some(manager_id) = manager_id {
        person.manager = tx
            .query_row(
                "SELECT p.id, p.name, p.title, l.status FROM people p JOIN lifecycle l ON l.person = p.rowid WHERE p.id = ?1",
                [&manager_id],
                colleague,
            )
            .optional()?;
    }
    person.reports = list(
        tx,
        "SELECT p.id, p.name, p.title, l.status FROM lifecycle l JOIN people p ON p.rowid = l.person
         WHERE l.manager_id = ?1 ORDER BY l.status, p.name COLLATE NOCASE",
        id,
        colleague,
    )?;
    Ok(person)
}

/// Everything about one person, as `viewer` may see it (private 1:1 notes stay with their author).
pub fn profile(ws: &Workspace, viewer_id: Option<&str>, id: &str) -> Result<Profile> {
    let activity = audit::list(ws, &Filter { subject_id: Some(id.to_string()), ..Filter::default() }, 0, 200)?.entries;
    let sync_hold = crate::holds::get(ws, id)?;
    ws.read(|tx| {
        let mut person = person_tx(tx, id)?;
        person.sync_hold = sync_hold;
        let reviews = list(
            tx,
            "SELECT v.id, c.name, p.id, p.name, v.rating, v.text, v.submitted_at
             FROM reviews v JOIN review_cycles c ON c.id = v.cycle_id LEFT JOIN people p ON p.id = v.reviewer_id
             WHERE v.subject_id = ?1 ORDER BY v.submitted_at IS NOT NULL, v.submitted_at DESC",
            id,
            |r| {
                Ok(Review {
                    id: r.get(0)?,
                    cycle: r.get(1)?,
                    reviewer: PersonRef::from_columns(r.get(2)?, r.get(3)?),
                    rating: r.get(4)?,
                    text: r.get(5)?,
                    submitted_at: r.get(6)?,
                })
            },
        )?;
        let reviews_written = list(
            tx,
            "SELECT v.id, c.name, p.id, p.name, v.rating, v.submitted_at
             FROM reviews v JOIN review_cycles c ON c.id = v.cycle_id JOIN people p ON p.id = v.subject_id
             WHERE v.reviewer_id = ?1 ORDER BY v.submitted_at IS NOT NULL, v.submitted_at DESC, p.name",
            id,
            |r| {
                Ok(ReviewWritten {
                    id: r.get(0)?,
                    cycle: r.get(1)?,
                    subject: PersonRef { id: r.get(2)?, name: r.get(3)? },
                    rating: r.get(4)?,
                    submitted_at: r.get(5)?,
                })
            },
        )?;
        let objectives = list(
            tx,
            "SELECT id, title, status, progress, due_on FROM objectives WHERE owner_id = ?1 ORDER BY due_on DESC, title",
            id,
            |r| Ok(Objective { id: r.get(0)?, title: r.get(1)?, status: r.get(2)?, progress: r.get(3)?, due_on: r.get(4)? }),
        )?;
        let feedback_received = list(
            tx,
            "SELECT f.id, p.id, p.name, f.text, f.given_at FROM feedback f LEFT JOIN people p ON p.id = f.from_id
             WHERE f.to_id = ?1 ORDER BY f.given_at DESC",
            id,
            |r| Ok(FeedbackReceived { id: r.get(0)?, from: PersonRef::from_columns(r.get(1)?, r.get(2)?), text: r.get(3)?, given_at: r.get(4)? }),
        )?;
        let feedback_given = list(
            tx,
            "SELECT f.id, p.id, p.name, f.text, f.given_at FROM feedback f JOIN people p ON p.id = f.to_id
             WHERE f.from_id = ?1 ORDER BY f.given_at DESC",
            id,
            |r| Ok(FeedbackGiven { id: r.get(0)?, to: PersonRef { id: r.get(1)?, name: r.get(2)? }, text: r.get(3)?, given_at: r.get(4)? }),
        )?;
        let one_on_ones = one_on_ones_tx(tx, viewer_id, id)?;
        Ok(Profile { person, reviews, reviews_written, objectives, feedback_received, feedback_given, one_on_ones, activity })
    })
}

fn one_on_ones_tx(tx: &Transaction, viewer_id: Option<&str>, id: &str) -> Result<Vec<OneOnOne>> {
    let mut meetings = list(
        tx,
        "SELECT o.id, o.held_on, w.id, w.name, o.shared_notes
         FROM one_on_ones o LEFT JOIN people w ON w.id = CASE WHEN o.person_id = ?1 THEN o.manager_id ELSE o.person_id END
         WHERE o.person_id = ?1 OR o.manager_id = ?1 ORDER BY o.held_on DESC",
        id,
        |r| {
            Ok(OneOnOne {
                id: r.get(0)?,
                held_on: r.get(1)?,
                with: PersonRef::from_columns(r.get(2)?, r.get(3)?),
                shared_notes: r.get(4)?,
                private_notes: Vec::new(),
                hidden_private_notes: 0,
            })
        },
    )?;
    let mut notes =
        tx.prepare_cached("SELECT author_id, text FROM one_on_one_notes WHERE meeting_id = ?1 ORDER BY id")?;
    for meeting in &mut meetings {
        let rows = notes.query_map([&meeting.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (author, text) = row?;
            if Some(author.as_str()) == viewer_id {
                meeting.private_notes.push(Note { text });
            } else {
                meeting.hidden_private_notes += 1;
            }
        }
    }
    Ok(meetings)
}

/// Everything about one person as JSON, their own private notes included: "Export this person's data".
pub fn export_json(ws: &Workspace, id: &str) -> Result<String> {
    let profile = profile(ws, Some(id), id)?;
    serde_json::to_string_pretty(&profile)
        .map_err(|e| Error::new(crate::error::Code::Internal, format!("Could not write the export: {e}")))
}

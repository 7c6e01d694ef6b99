//! "Delete user and all data": erases a deactivated person and every record about them, in one
//! transaction. What they wrote on other people's records stays, credited to "Deleted user"; earlier
//! audit entries that name them are rewritten; a receipt without personal data is logged. Then the
//! journal is emptied, so neither the workspace file nor its WAL holds their name or email.

use rusqlite::{params, Transaction};
use serde::Serialize;
use serde_json::json;

use crate::access::require_admin_tx;
use crate::audit::{self, Action, Actor, Entry};
use crate::error::{Error, Result};
use crate::people::{self, PersonRef};
use crate::workspace::Workspace;

/// The label that replaces a deleted person wherever others' records mention them.
pub const DELETED: &str = "Deleted user";

/// Records erased with the person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EraseCounts {
    pub reviews_about: i64,
    pub objectives: i64,
    pub feedback_received: i64,
    pub one_on_ones: i64,
    pub private_notes: i64,
    pub aliases: i64,
    pub sessions: i64,
    pub password_codes: i64,
    pub mail: i64,
    /// Earlier audit entries that name them, rewritten to "Deleted user".
    pub audit_entries: i64,
}

impl EraseCounts {
    fn add(&mut self, other: &EraseCounts) {
        self.reviews_about += other.reviews_about;
        self.objectives += other.objectives;
        self.feedback_received += other.feedback_received;
        self.one_on_ones += other.one_on_ones;
        self.private_notes += other.private_notes;
        self.aliases += other.aliases;
        self.sessions += other.sessions;
        self.password_codes += other.password_codes;
        self.mail += other.mail;
        self.audit_entries += other.audit_entries;
    }

    pub fn total(&self) -> i64 {
        self.reviews_about
            + self.objectives
            + self.feedback_received
            + self.one_on_ones
            + self.private_notes
            + self.aliases
            + self.sessions
            + self.password_codes
            + self.mail
    }
}

/// What stays on other people's records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stays {
    pub reviews_written: i64,
    pub feedback_given: i64,
    pub direct_reports: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub people: Vec<PersonRef>,
    pub counts: EraseCounts,
    pub stays: Stays,
    /// What the admin types to confirm: the full name, or the number of people.
    pub confirmation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Erased {
    pub count: usize,
    pub counts: EraseCounts,
    pub summary: String,
}

/// Free text people write about others, found through the `mentions` index (migrations 7 and 11):
/// the table's number there, the table, the column.
const INDEXED_TEXT: &[(i64, &str, &str)] = &[
    (1, "reviews", "text"),
    (2, "feedback", "text"),
    (3, "objectives", "title"),
    (4, "one_on_ones", "shared_notes"),
    (5, "one_on_one_notes", "text"),
];

/// The number of `audit_texts` in the mentions index (migration 14).
const AUDIT_TEXTS: i64 = 6;

/// Free text in smaller tables, read whole (and people's deactivation reasons, with "deactivated by").
const SCANNED_TEXT: &[(&str, &str)] = &[("mail", "body"), ("review_cycles", "name")];

struct Person {
    subject: PersonRef,
    email: String,
    /// Where the mentions index finds them (`mentions_tx`), looked up once for the preview and the
    /// deletion alike.
    mentions: Option<Vec<i64>>,
    /// The audit texts that name them (`audit_texts_tx`).
    audit_texts: Vec<i64>,
}

fn count(tx: &Transaction, sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<i64> {
    Ok(tx.prepare_cached(sql)?.query_row(args, |r| r.get(0))?)
}

fn counts_tx(tx: &Transaction, p: &Person) -> Result<EraseCounts> {
    let id = &p.subject.id;
    Ok(EraseCounts {
        reviews_about: count(tx, "SELECT count(*) FROM reviews WHERE subject_id = ?1", &[id])?,
        objectives: count(tx, "SELECT count(*) FROM objectives WHERE owner_id = ?1", &[id])?,
        feedback_received: count(tx, "SELECT count(*) FROM feedback WHERE to_id = ?1", &[id])?,
        one_on_ones: count(tx, "SELECT count(*) FROM one_on_ones WHERE person_id = ?1", &[id])?,
        private_notes: count(tx, "SELECT count(*) FROM one_on_one_notes WHERE author_id = ?1", &[id])?,
        aliases: count(tx, "SELECT count(*) FROM aliases WHERE person_id = ?1", &[id])?,
        sessions: count(tx, "SELECT count(*) FROM sessions WHERE person_id = ?1", &[id])?,
        password_codes: count(tx, "SELECT count(*) FROM password_codes WHERE person_id = ?1", &[id])?,
        mail: count(tx, "SELECT count(*) FROM mail WHERE person_id = ?1 OR to_address = ?2", &[id, &p.email])?,
        audit_entries: count(
            tx,
            &format!(
                "SELECT count(*) FROM (
                 SELECT id FROM audit WHERE id IN ({})
                 UNION SELECT a.id FROM audit_writes w JOIN audit a ON a.id BETWEEN w.first AND w.last
                       WHERE w.actor_id = ?1
                 UNION SELECT a.id FROM audit_texts t JOIN audit_writes w ON w.change_id = t.change_id
                       JOIN audit a ON a.id BETWEEN w.first AND w.last
                       WHERE t.id IN (SELECT value FROM json_each(?2)) AND t.id IN (a.before_text, a.after_text))",
                audit::about("?1", None)
            ),
            &[id, &serde_json::to_string(&p.audit_texts).expect("numbers are JSON")],
        )?,
    })
}

fn stays_tx(tx: &Transaction, id: &str) -> Result<Stays> {
    Ok(Stays {
        reviews_written: count(tx, "SELECT count(*) FROM reviews WHERE reviewer_id = ?1", &[&id])?,
        feedback_given: count(tx, "SELECT count(*) FROM feedback WHERE from_id = ?1", &[&id])?,
        direct_reports: count(tx, "SELECT count(*) FROM lifecycle WHERE manager_id = ?1", &[&id])?,
    })
}

/// Resolves the people, each once; refuses anyone still active.
fn people_tx(tx: &Transaction, keys: &[String]) -> Result<Vec<Person>> {
    if keys.is_empty() {
        return Err(Error::invalid_input("Choose at least one person to delete."));
    }
    let mut out: Vec<Person> = Vec::new();
    for key in keys {
        let found = people::resolve_tx(tx, key)?;
        if out.iter().any(|p| p.subject.id == found.id) {
            continue;
        }
        let (status, email): (String, String) = tx.query_row(
            "SELECT l.status, p.email FROM people p JOIN lifecycle l ON l.person = p.rowid WHERE p.id = ?1",
            [&found.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if status == "active" {
            return Err(Error::precondition_failed(format!(
                "{} is active: deactivate them first, then delete.",
                found.name
            )));
        }
        let mentions = mentions_tx(tx, &found, &email)?;
        let audit_texts = audit_texts_tx(tx, &found, &email, mentions.as_deref())?;
        out.push(Person { subject: found, email, mentions, audit_texts });
    }
    Ok(out)
}

fn confirmation(people: &[Person]) -> String {
    match people {
        [one] => one.subject.name.clone(),
        many => many.len().to_string(),
    }
}

fn preview_tx(tx: &Transaction, keys: &[String]) -> Result<(Vec<Person>, Preview)> {
    let people = people_tx(tx, keys)?;
    let mut counts = EraseCounts::default();
    let mut stays = Stays::default();
    for p in &people {
        counts.add(&counts_tx(tx, p)?);
        let s = stays_tx(tx, &p.subject.id)?;
        stays.reviews_written += s.reviews_written;
        stays.feedback_given += s.feedback_given;
        stays.direct_reports += s.direct_reports;
    }
    let preview = Preview {
        people: people.iter().map(|p| p.subject.clone()).collect(),
        counts,
        stays,
        confirmation: confirmation(&people),
    };
    Ok((people, preview))
}

/// What deleting these people would erase and keep; changes nothing.
pub fn preview(ws: &Workspace, keys: &[String]) -> Result<Preview> {
    ws.read(|tx| preview_tx(tx, keys).map(|(_, preview)| preview))
}

/// Deletes deactivated people and all their data. `typed` must be the preview's confirmation.
pub fn erase(ws: &Workspace, actor: &Actor, keys: &[String], typed: &str) -> Result<Erased> {
    let erased = ws.write(|tx| {
        require_admin_tx(tx, actor)?;
        let (people, preview) = preview_tx(tx, keys)?;
        if typed.trim() != preview.confirmation {
            return Err(Error::invalid_input(match people.as_slice() {
                [one] => format!("To delete {0}, type their full name exactly: {0}.", one.subject.name),
                many => format!("To delete {0} people, type the number {0}.", many.len()),
            }));
        }
        for p in &people {
            erase_person_tx(tx, p)?;
        }
        let receipt = json!({ "people": people.len(), "counts": preview.counts });
        let entry = Entry { action: Action::Erased, subject: None, before: None, after: Some(receipt) };
        audit::record_tx(tx, actor, &people::new_id(), entry)?;
        let summary = match people.as_slice() {
            [one] => format!("Deleted {} and all their data.", one.subject.name),
            many => format!("Deleted {} people and all their data.", many.len()),
        };
        Ok(Erased { count: people.len(), counts: preview.counts, summary })
    })?;
    ws.checkpoint_truncate()?;
    Ok(erased)
}

/// Index pages one tidying step writes: a step takes up to ~50 ms at 100,000 people, the longest a
/// person's own change waits behind it.
const TIDY_PAGES: u32 = 200;

/// Merges a step of the mentions index towards one segment, in a short transaction of its own;
/// returns whether there is more to merge. Every change that writes free text adds a small segment,
/// and a deletion looks for the person's words in each: at 100,000 people, 14 segments made a
/// deletion take 340 ms instead of 25. FTS5's own merging would run inside someone's change (its
/// automerge is off, migration 11), so the app runs these steps between changes. It changes no
/// record, so it writes no audit entry.
pub fn tidy_mentions_step(ws: &Workspace) -> Result<bool> {
    ws.write(|tx| {
        let before = tx.total_changes();
        // A negative page count merges every segment, whatever its level, into one.
        tx.execute("INSERT INTO mentions (mentions, rank) VALUES ('merge', ?1)", [-i64::from(TIDY_PAGES)])?;
        // FTS5's documented signal: fewer than two changes means nothing was left to merge.
        Ok(tx.total_changes() - before >= 2)
    })
}

/// The import history: each run's plan names the people it touched (whole values: id, name, first and
/// last name, email, employee ID), and a run held for review keeps its file, whose lines about them go.
fn scrub_import_history_tx(tx: &Transaction, p: &Person) -> Result<()> {
    let (first, last, employee_id): (String, String, Option<String>) =
        tx.query_row("SELECT first_name, last_name, employee_id FROM people WHERE id = ?1", [&p.subject.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let quoted = |v: &str| serde_json::Value::from(v).to_string();
    let deleted = quoted(DELETED);
    let values =
        [Some(&p.subject.id), Some(&p.subject.name), Some(&first), Some(&last), Some(&p.email), employee_id.as_ref()];
    for value in values.into_iter().flatten().filter(|v| !v.is_empty()) {
        tx.execute(
            "UPDATE import_runs SET plan = replace(plan, ?1, ?2) WHERE instr(plan, ?1) > 0",
            params![quoted(value), deleted],
        )?;
    }
    let keys: Vec<Vec<u8>> =
        [Some(&p.email), employee_id.as_ref()].into_iter().flatten().map(|k| k.to_lowercase().into_bytes()).collect();
    let mut held = tx.prepare("SELECT id, file FROM import_runs WHERE file IS NOT NULL")?;
    let files: Vec<(String, Vec<u8>)> =
        held.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    for (run, file) in files {
        let about = |line: &[u8]| {
            let line = line.to_ascii_lowercase();
            keys.iter().any(|k| line.windows(k.len()).any(|w| w == k.as_slice()))
        };
        if file.split(|b| *b == b'\n').any(about) {
            let kept: Vec<&[u8]> = file.split(|b| *b == b'\n').filter(|line| !about(line)).collect();
            tx.execute("UPDATE import_runs SET file = ?1 WHERE id = ?2", params![kept.join(&b'\n'), run])?;
        }
    }
    Ok(())
}

/// An FTS5 query for the records whose words include these words, in this order.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Where the mentions index finds their name, email or id as whole words (case and accents aside):
/// the index's rowids (record rowid * 8 + its table's number), or `None` when one of them has no
/// letters or digits, so no words to look up, and every text must be read.
fn mentions_tx(tx: &Transaction, subject: &PersonRef, email: &str) -> Result<Option<Vec<i64>>> {
    let words = [subject.name.as_str(), email, subject.id.as_str()];
    if !words.iter().all(|t| t.chars().any(char::is_alphanumeric)) {
        return Ok(None);
    }
    // An id is looked up by its longest word: the first of a UUIDv7 is a timestamp that thousands of
    // ids share, and a phrase reads the entries of each of its words. The texts found are checked
    // for the whole id (`audit_texts_tx`).
    let id_word = subject.id.split(|c: char| !c.is_alphanumeric()).max_by_key(|w| w.len()).unwrap_or_default();
    let query = [subject.name.as_str(), email, id_word].map(phrase).join(" OR ");
    let found = tx
        .prepare_cached("SELECT rowid FROM mentions WHERE mentions MATCH ?1")?
        .query_map([query], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(found))
}

/// The audit texts (an entry's before or after) that hold their id, name or email, exactly as
/// `replace` will find them.
fn audit_texts_tx(tx: &Transaction, subject: &PersonRef, email: &str, mentions: Option<&[i64]>) -> Result<Vec<i64>> {
    let candidates: Option<Vec<i64>> =
        mentions.map(|found| found.iter().filter(|r| *r % 8 == AUDIT_TEXTS).map(|r| r / 8).collect());
    // Found by the index, or a text of an entry about them (those are not all indexed: `audit::OWN_FIELDS`).
    let only = if candidates.is_some() {
        format!(
            "(id IN (SELECT value FROM json_each(?4))
              OR id IN (SELECT before_text FROM audit WHERE id IN ({0}))
              OR id IN (SELECT after_text FROM audit WHERE id IN ({0}))) AND",
            audit::about("?1", None)
        )
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT id FROM audit_texts WHERE {only} (instr(text, ?1) > 0 OR instr(text, ?2) > 0 OR instr(text, ?3) > 0)"
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let (id, name) = (&subject.id, &subject.name);
    let ids = candidates.map(|ids| serde_json::to_string(&ids).expect("numbers are JSON"));
    let mut args: Vec<&dyn rusqlite::ToSql> = vec![id, name, &email];
    if let Some(ids) = &ids {
        args.push(ids);
    }
    let found = stmt.query_map(&*args, |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(found)
}

/// Replaces their name and email in free text on other people's records (a review, a note, a mail).
fn scrub_free_text_tx(tx: &Transaction, p: &Person) -> Result<()> {
    let (name, email) = (p.subject.name.as_str(), p.email.as_str());
    // `rows`: only these rowids (a JSON list), or every row.
    let replace = |table: &str, column: &str, rows: Option<String>| -> Result<()> {
        let only = if rows.is_some() { "rowid IN (SELECT value FROM json_each(?4)) AND" } else { "" };
        let sql = format!(
            "UPDATE {table} SET {column} = replace(replace({column}, ?1, ?3), ?2, ?3)
             WHERE {only} (instr({column}, ?1) > 0 OR instr({column}, ?2) > 0)"
        );
        match rows {
            Some(rows) => tx.execute(&sql, params![name, email, DELETED, rows])?,
            None => tx.execute(&sql, params![name, email, DELETED])?,
        };
        Ok(())
    };
    for (table, column) in SCANNED_TEXT {
        replace(table, column, None)?;
    }
    // The index finds every mention that is not glued into a longer word.
    let Some(found) = &p.mentions else {
        for (_, table, column) in INDEXED_TEXT {
            replace(table, column, None)?;
        }
        return Ok(());
    };
    for (number, table, column) in INDEXED_TEXT {
        let rows: Vec<i64> = found.iter().filter(|r| *r % 8 == *number).map(|r| r / 8).collect();
        if !rows.is_empty() {
            replace(table, column, Some(serde_json::to_string(&rows).expect("numbers are JSON")))?;
        }
    }
    Ok(())
}

fn erase_person_tx(tx: &Transaction, p: &Person) -> Result<()> {
    let (id, name, email) = (&p.subject.id, &p.subject.name, &p.email);
    // Others' records that mention them by name: the audit log (the entries about them and by them,
    // by index, and the texts that name them) and "deactivated by".
    // Their entries' links go too: they would tie those anonymous entries together as one person's.
    tx.execute(
        &format!(
            "UPDATE audit SET subject_id = NULL, subject_name = ?2, previous = NULL WHERE id IN ({})",
            audit::about("?1", None)
        ),
        params![id, DELETED],
    )?;
    tx.execute("UPDATE audit_writes SET actor_id = NULL, actor_name = ?2 WHERE actor_id = ?1", params![id, DELETED])?;
    let texts = serde_json::to_string(&p.audit_texts).expect("numbers are JSON");
    tx.execute(
        "UPDATE audit_texts SET text = replace(replace(replace(text, ?1, ?4), ?2, ?4), ?3, ?4)
         WHERE id IN (SELECT value FROM json_each(?5))",
        params![id, name, email, DELETED, texts],
    )?;
    // "Deactivated by" them, and reasons that name them: one pass for both, through the index of the
    // deactivated, the only people with these texts (its condition, the first here, lets SQLite read the
    // index instead of everyone).
    tx.execute(
        "UPDATE lifecycle SET deactivated_by_name = CASE WHEN deactivated_by_name = ?1 THEN ?3 ELSE deactivated_by_name END,
                           deactivation_reason = replace(replace(deactivation_reason, ?1, ?3), ?2, ?3)
         WHERE status = 'deactivated'
           AND (deactivated_by_name = ?1 OR instr(deactivation_reason, ?1) > 0 OR instr(deactivation_reason, ?2) > 0)",
        params![name, email, DELETED],
    )?;
    scrub_free_text_tx(tx, p)?;
    scrub_import_history_tx(tx, p)?;
    tx.execute("DELETE FROM failed_attempts WHERE email = ?1", [email])?;
    tx.execute("DELETE FROM mail WHERE person_id = ?1 OR to_address = ?2", params![id, email])?;
    // Their own records go with them (ON DELETE CASCADE); what they wrote on others' records stays,
    // with no author (ON DELETE SET NULL), shown as "Deleted user".
    tx.execute("DELETE FROM people WHERE id = ?1", [id])?;
    Ok(())
}

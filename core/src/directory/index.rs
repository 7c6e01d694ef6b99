//! Everyone in the directory, in memory, so that any page of any view, sort and search takes a
//! fraction of a millisecond at 100,000 people: the search text, sort keys and active direct reports
//! of each person, built from one read of the `people` table (and its name and email indexes) and
//! kept until people change (`Workspace::people_version_tx`).
//! Each order (a sort key and direction) is sorted the first time it is asked for; the rows of a page
//! are then read from SQLite by id.

use std::cmp::Ordering;
use std::sync::{Arc, Mutex};

use memchr::memmem::Finder;
use rusqlite::Transaction;
use rustc_hash::FxHashMap as HashMap;

use super::{Counts, Query, SortKey, View};
use crate::error::Result;

/// One person: what the sorts compare, as ranks (`Ranks`): 100,000 people keep a few distinct titles,
/// departments and locations once, and sort by numbers.
struct Person {
    active: bool,
    email: u32,
    title: u32,
    department: u32,
    location: u32,
    /// The manager's place in name order, plus one (0: no manager, first).
    manager: u32,
    deactivated_at: u32,
}

/// Many short texts in one buffer (a `String` each would cost more than the text).
#[derive(Default)]
struct Texts {
    text: String,
    ends: Vec<u32>,
}

impl Texts {
    fn push(&mut self, value: &str) {
        self.text.push_str(value);
        self.ends.push(self.text.len() as u32);
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// The texts in `order` (positions into these).
    fn permuted(&self, order: &[u32]) -> Texts {
        let mut out = Texts { text: String::with_capacity(self.text.len()), ends: Vec::with_capacity(order.len()) };
        for &i in order {
            out.push(self.get(i as usize));
        }
        out
    }
}

/// Everyone's id. Ids as Roster makes them (UUIDs, lower-case and hyphenated) are kept as the 16 bytes
/// they stand for: 1.6 MB at 100,000 people instead of 4 MB of text, in an app that must stay within
/// its memory budget when idle. A workspace with any other id keeps them as texts.
enum Ids {
    Uuids(Vec<u128>),
    Texts(Texts),
}

impl Ids {
    fn new(texts: Texts) -> Ids {
        let canonical = |id: &str| {
            let lower_hex = id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f' | b'-'));
            // 36 characters with its hyphens in place: it prints back exactly as it was read.
            (id.len() == 36 && lower_hex).then(|| uuid::Uuid::try_parse(id).ok()).flatten().map(|u| u.as_u128())
        };
        match (0..texts.ends.len()).map(|i| canonical(texts.get(i))).collect() {
            Some(uuids) => Ids::Uuids(uuids),
            None => Ids::Texts(texts),
        }
    }

    fn get(&self, i: usize) -> String {
        match self {
            Ids::Uuids(uuids) => uuid::Uuid::from_u128(uuids[i]).to_string(),
            Ids::Texts(texts) => texts.get(i).to_string(),
        }
    }
}

/// `values` in `order` (positions into them).
fn permuted<T: Copy>(values: &[T], order: &[u32]) -> Vec<T> {
    order.iter().map(|&i| values[i as usize]).collect()
}

/// Distinct values of one key and each person's: turned into ranks, lower-cased, once all are read.
/// Each value is looked up as it is written: 100,000 people share a few hundred, and lower-casing
/// each person's own copy cost more than the look-up.
#[derive(Default)]
struct Ranks {
    values: HashMap<String, u32>,
    of: Vec<u32>,
}

impl Ranks {
    fn push(&mut self, value: &str) {
        let at = match self.values.get(value) {
            Some(&at) => at,
            None => {
                let next = self.values.len() as u32;
                self.values.insert(value.to_string(), next);
                next
            }
        };
        self.of.push(at);
    }

    /// Each person's value as its rank among the distinct values (values that differ only in case
    /// rank the same), and those values, lower-cased, in rank order.
    fn ranks(self) -> (Vec<u32>, Vec<String>) {
        let lower: Vec<(u32, String)> = self.values.into_iter().map(|(value, at)| (at, value.to_lowercase())).collect();
        let mut distinct: Vec<&str> = lower.iter().map(|(_, value)| value.as_str()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut rank = vec![0; lower.len()];
        for (at, value) in &lower {
            rank[*at as usize] = distinct.binary_search(&value.as_str()).expect("every value is among them") as u32;
        }
        let of = self.of.into_iter().map(|at| rank[at as usize]).collect();
        (of, distinct.into_iter().map(str::to_string).collect())
    }
}

/// The people of one data version, in name order, and the orders asked for so far.
pub struct Index {
    version: (u64, i64),
    people: Vec<Person>,
    /// Everyone's id: person `i`'s is `ids.get(i)`.
    ids: Ids,
    /// What the search looks through (lower-cased in full Unicode, as what is typed is): name, email,
    /// and the emails and employee IDs of their merged-away accounts. Titles and departments are
    /// looked through once each (`titles`, `departments`): 100,000 people share a few hundred.
    haystacks: Texts,
    /// Which characters each person's text holds (`char_bit`): a word whose characters are not all
    /// there cannot match, and most people are ruled out without reading their text.
    masks: Vec<u64>,
    /// Each person's active direct reports (a page shows them; counting them there read every report).
    reports: Vec<u32>,
    /// The distinct titles and departments, lower-cased, in rank order (`Person::title`, `department`).
    titles: Vec<String>,
    departments: Vec<String>,
    /// The last few searches and who matches them.
    searched: Mutex<Vec<(String, Arc<Vec<bool>>)>>,
    orders: Mutex<Vec<(Order, Arc<Vec<u32>>)>>,
    /// The last few matches: scrolling one query asks for many pages of the same list.
    matches: Mutex<Vec<(Query, Arc<Matches>)>>,
}

/// A sort key and whether it is descending.
type Order = (SortKey, bool);

/// The positions (into `Index::people`) a query shows, in its order, and the counts per view.
pub struct Matches {
    pub positions: Vec<u32>,
    pub counts: Counts,
}

const KEPT_MATCHES: usize = 8;

impl Index {
    /// Reads everyone in the table's own order (each page once: going through the name index instead
    /// reads a page per person), then puts them in name order.
    pub fn build(tx: &Transaction, version: (u64, i64)) -> Result<Index> {
        let mut stmt = tx.prepare(
            "SELECT p.id, l.manager_id, l.status = 'active',
                    p.first_name || ' ' || p.last_name || ' ' || p.email || ' ' || p.alias_search,
                    p.rowid, p.title, p.department, p.location, coalesce(l.deactivated_at, '')
             FROM people p JOIN lifecycle l ON l.person = p.rowid",
        )?;
        let mut rows = stmt.query([])?;
        let (mut ids, mut managers) = (Texts::default(), Texts::default());
        let (mut title, mut department, mut location, mut deactivated_at) =
            (Ranks::default(), Ranks::default(), Ranks::default(), Ranks::default());
        let (mut active, mut haystacks, mut masks) = (Vec::new(), Texts::default(), Vec::new());
        // Each rowid's place in the table's order.
        let mut at: HashMap<i64, u32> = HashMap::default();
        while let Some(r) = rows.next()? {
            let text_of = |i| r.get_ref(i).map(|v| v.as_str().unwrap_or_default());
            ids.push(text_of(0)?);
            managers.push(text_of(1)?);
            active.push(r.get(2)?);
            at.insert(r.get(4)?, at.len() as u32);
            let haystack = text_of(3)?.to_lowercase();
            masks.push(mask(&haystack));
            haystacks.push(&haystack);
            title.push(text_of(5)?);
            department.push(text_of(6)?);
            location.push(text_of(7)?);
            deactivated_at.push(text_of(8)?);
        }
        // Name order and email order come from their indexes, read without the table (each is a list
        // of rowids), and so does nothing else: emails are not held.
        let count = active.len();
        let in_order = |sql: &str| -> Result<Vec<u32>> {
            let mut stmt = tx.prepare(sql)?;
            let mut rows = stmt.query([])?;
            let mut order = Vec::with_capacity(count);
            while let Some(r) = rows.next()? {
                order.extend(at.get(&r.get::<_, i64>(0)?));
            }
            Ok(order)
        };
        let order = in_order("SELECT rowid FROM people ORDER BY name COLLATE NOCASE, id")?;
        let by_email = in_order("SELECT rowid FROM people ORDER BY email")?;
        drop(at);
        let (ids, haystacks, managers) = (ids.permuted(&order), haystacks.permuted(&order), managers.permuted(&order));
        let (active, masks) = (permuted(&active, &order), permuted(&masks, &order));
        // People are in name order, so a manager's place in it orders by the manager's name.
        let place: HashMap<&str, u32> = (0..count).map(|i| (ids.get(i), i as u32 + 1)).collect();
        let managers: Vec<u32> = (0..count).map(|i| place.get(managers.get(i)).copied().unwrap_or(0)).collect();
        drop(place);
        let ids = Ids::new(ids);
        let mut reports = vec![0; count];
        for (i, &manager) in managers.iter().enumerate() {
            if active[i] && manager > 0 {
                reports[manager as usize - 1] += 1;
            }
        }
        let mut email_of = vec![0; count];
        for (rank, &i) in by_email.iter().enumerate() {
            email_of[i as usize] = rank as u32;
        }
        let email = permuted(&email_of, &order);
        let ranked = |ranks: Ranks| {
            let (of, values) = ranks.ranks();
            (permuted(&of, &order), values)
        };
        let ((title, titles), (department, departments)) = (ranked(title), ranked(department));
        let ((location, _), (deactivated_at, _)) = (ranked(location), ranked(deactivated_at));
        let people = (0..count)
            .map(|i| Person {
                active: active[i],
                email: email[i],
                title: title[i],
                department: department[i],
                location: location[i],
                manager: managers[i],
                deactivated_at: deactivated_at[i],
            })
            .collect();
        Ok(Index {
            version,
            people,
            ids,
            haystacks,
            masks,
            reports,
            titles,
            departments,
            searched: Mutex::new(Vec::new()),
            orders: Mutex::new(Vec::new()),
            matches: Mutex::new(Vec::new()),
        })
    }

    /// Who matches every word of `search`. Typing narrows: a search that extends an earlier one only
    /// looks again at whom that one matched.
    fn matching(&self, search: &str) -> Arc<Vec<bool>> {
        let search = search.trim().to_lowercase();
        let mut searched = self.searched.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, found)) = searched.iter().find(|(s, _)| *s == search) {
            return found.clone();
        }
        let earlier = searched
            .iter()
            .filter(|(s, _)| !s.is_empty() && search.starts_with(s.as_str()))
            .max_by_key(|(s, _)| s.len());
        let mut found = earlier.map_or_else(|| vec![true; self.people.len()], |(_, f)| f.as_ref().clone());
        for word in search.split_whitespace().take(8) {
            let finder = Finder::new(word.as_bytes());
            let needs = mask(word);
            // One letter or digit: its bit says it all.
            let exact = word.chars().count() == 1 && word.chars().all(|c| c.is_ascii_alphanumeric());
            let in_each = |values: &[String]| -> Vec<bool> { values.iter().map(|v| v.contains(word)).collect() };
            let (titles, departments) = (in_each(&self.titles), in_each(&self.departments));
            for (person, matched) in found.iter_mut().enumerate().filter(|(_, m)| **m) {
                let p = &self.people[person];
                *matched = titles[p.title as usize]
                    || departments[p.department as usize]
                    || self.masks[person] & needs == needs
                        && (exact || finder.find(self.haystacks.get(person).as_bytes()).is_some());
            }
        }
        let found = Arc::new(found);
        if searched.len() >= KEPT_MATCHES {
            searched.remove(0);
        }
        searched.push((search, found.clone()));
        found
    }

    pub fn version(&self) -> (u64, i64) {
        self.version
    }

    pub fn id(&self, position: u32) -> String {
        self.ids.get(position as usize)
    }

    /// The active direct reports of the person at `position`.
    pub fn reports(&self, position: u32) -> u32 {
        self.reports[position as usize]
    }

    /// Everyone in the order of `sort`: the key, then name and id (ascending, so pages never overlap).
    fn order(&self, sort: SortKey, desc: bool) -> Arc<Vec<u32>> {
        let mut orders = self.orders.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, order)) = orders.iter().find(|(k, _)| *k == (sort, desc)) {
            return order.clone();
        }
        // `people` is in name order: a stable sort by the key keeps name order among equal keys.
        let mut order: Vec<u32> = (0..self.people.len() as u32).collect();
        let compare = |a: &u32, b: &u32| -> Ordering {
            let (a, b) = (&self.people[*a as usize], &self.people[*b as usize]);
            let by_key = match sort {
                SortKey::Name => Ordering::Equal,
                SortKey::Email => a.email.cmp(&b.email),
                SortKey::Title => a.title.cmp(&b.title),
                SortKey::Department => a.department.cmp(&b.department),
                SortKey::Manager => a.manager.cmp(&b.manager),
                SortKey::Location => a.location.cmp(&b.location),
                // Active before deactivated, then by when they were deactivated.
                SortKey::Status => b.active.cmp(&a.active).then(a.deactivated_at.cmp(&b.deactivated_at)),
            };
            if desc {
                by_key.reverse()
            } else {
                by_key
            }
        };
        match sort {
            SortKey::Name if desc => order.reverse(),
            SortKey::Name => {}
            _ => order.sort_by(compare),
        }
        let order = Arc::new(order);
        orders.push(((sort, desc), order.clone()));
        order
    }

    /// The people `query` shows, in its order, with the counts of each view for its search.
    pub fn matches(&self, query: &Query) -> Arc<Matches> {
        let mut kept = self.matches.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(at) = kept.iter().position(|(q, _)| q == query) {
            let hit = kept.remove(at);
            let found = hit.1.clone();
            kept.push(hit);
            return found;
        }
        drop(kept); // an order may take a while to sort the first time: not under this lock
        let order = self.order(query.sort, query.desc);
        let found = self.matching(&query.search);
        let mut counts = Counts { billable: 0, deactivated: 0, all: 0 };
        let mut positions = Vec::new();
        for &at in order.iter() {
            if !found[at as usize] {
                continue;
            }
            let person = &self.people[at as usize];
            if person.active {
                counts.billable += 1;
            } else {
                counts.deactivated += 1;
            }
            let shown = match query.view {
                View::Billable => person.active,
                View::Deactivated => !person.active,
                View::All => true,
            };
            if shown {
                positions.push(at);
            }
        }
        counts.all = counts.billable + counts.deactivated;
        let found = Arc::new(Matches { positions, counts });
        let mut kept = self.matches.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= KEPT_MATCHES {
            kept.remove(0);
        }
        kept.push((query.clone(), found.clone()));
        found
    }
}

/// The bit of a character in a person's mask: one each for a–z and 0–9, the rest share the others.
fn char_bit(c: char) -> u64 {
    let bit = match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        _ => 36 + c as u32 % 28,
    };
    1 << bit
}

fn mask(text: &str) -> u64 {
    text.chars().fold(0, |m, c| m | char_bit(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(ids: &[&str]) -> Texts {
        let mut texts = Texts::default();
        ids.iter().for_each(|id| texts.push(id));
        texts
    }

    #[test]
    fn ids_read_back_exactly_as_they_were_stored() {
        let uuids = ["0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c"];
        let ids = Ids::new(texts(&uuids));
        assert!(matches!(ids, Ids::Uuids(_)));
        assert_eq!([ids.get(0), ids.get(1)], uuids);
        // Any other id (written by another tool, an upper-case UUID) keeps them all as texts.
        for other in ["p-1", "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B", "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b"] {
            let ids = Ids::new(texts(&[uuids[0], other]));
            assert!(matches!(ids, Ids::Texts(_)), "{other}");
            assert_eq!([ids.get(0), ids.get(1)], [uuids[0], other]);
        }
    }

    #[test]
    fn values_that_differ_only_in_case_sort_together() {
        let mut ranks = Ranks::default();
        ["Engineer", "analyst", "engineer", "ENGINEER", "Ökonom", "Analyst"].iter().for_each(|v| ranks.push(v));
        let (of, values) = ranks.ranks();
        assert_eq!(values, ["analyst", "engineer", "ökonom"]);
        assert_eq!(of, [1, 0, 1, 1, 2, 0]);
    }
}

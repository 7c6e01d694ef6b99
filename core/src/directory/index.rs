//! Everyone in the directory, in memory, so that any page of any view, sort and search takes a
//! fraction of a millisecond at 100,000 people: the search text and sort keys of each person, built
//! from one read of the `people` table and kept until people change (`Workspace::people_version`).
//! Each order (a sort key and direction) is sorted the first time it is asked for; the rows of a page
//! are then read from SQLite by id.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use memchr::memmem::Finder;
use rusqlite::Transaction;

use super::{Counts, Query, SortKey, View};
use crate::error::Result;

/// One person: what the sorts compare, lower-cased.
struct Person {
    id: String,
    active: bool,
    email: String,
    title: String,
    department: String,
    location: String,
    manager: String,
    deactivated_at: String,
}

/// The people of one data version, in name order, and the orders asked for so far.
pub struct Index {
    version: (u64, i64),
    people: Vec<Person>,
    /// What the search looks through, everyone's one after the other (lower-cased in full Unicode, as
    /// what is typed is): name, email, title, department, and the emails and employee IDs of their
    /// merged-away accounts. Person `i`'s is `text[starts[i]..starts[i + 1]]`.
    text: String,
    starts: Vec<usize>,
    /// Which characters each person's text holds (`char_bit`): a word whose characters are not all
    /// there cannot match, and most people are ruled out without reading their text.
    masks: Vec<u64>,
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
    /// Reads everyone, in name order (the `people_name` index: no sort).
    pub fn build(tx: &Transaction, version: (u64, i64)) -> Result<Index> {
        let mut stmt = tx.prepare(
            "SELECT id, name, manager_id, status = 'active', search || ' ' || alias_search, email, title, department,
                    location, coalesce(deactivated_at, '')
             FROM people ORDER BY name COLLATE NOCASE, id",
        )?;
        let mut rows = stmt.query([])?;
        let (mut people, mut names, mut managers) = (Vec::new(), Vec::new(), Vec::new());
        let (mut text, mut starts, mut masks) = (String::new(), vec![0], Vec::new());
        while let Some(r) = rows.next()? {
            let lower = |i| r.get_ref(i).map(|v| v.as_str().unwrap_or_default().to_lowercase());
            names.push(r.get::<_, String>(1)?);
            managers.push(r.get::<_, Option<String>>(2)?);
            let haystack = lower(4)?;
            masks.push(mask(&haystack));
            text.push_str(&haystack);
            text.push('\n'); // never typed: no word spans two people
            starts.push(text.len());
            people.push(Person {
                id: r.get(0)?,
                active: r.get(3)?,
                email: lower(5)?,
                title: lower(6)?,
                department: lower(7)?,
                location: lower(8)?,
                manager: String::new(),
                deactivated_at: r.get(9)?,
            });
        }
        // Managers by name, from the people just read rather than a join.
        let at: HashMap<&str, usize> = people.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
        let manager_names: Vec<String> = managers
            .iter()
            .map(|m| m.as_deref().and_then(|m| at.get(m)).map_or_else(String::new, |&i| names[i].to_lowercase()))
            .collect();
        drop(at);
        for (person, manager) in people.iter_mut().zip(manager_names) {
            person.manager = manager;
        }
        Ok(Index {
            version,
            people,
            text,
            starts,
            masks,
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
        let text = self.text.as_bytes();
        for word in search.split_whitespace().take(8) {
            let finder = Finder::new(word.as_bytes());
            let needs = mask(word);
            // One letter or digit: its bit says it all.
            let exact = word.chars().count() == 1 && word.chars().all(|c| c.is_ascii_alphanumeric());
            for (person, matched) in found.iter_mut().enumerate().filter(|(_, m)| **m) {
                *matched = self.masks[person] & needs == needs
                    && (exact || finder.find(&text[self.starts[person]..self.starts[person + 1]]).is_some());
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

    pub fn id(&self, position: u32) -> &str {
        &self.people[position as usize].id
    }

    /// Everyone in the order of `sort`: the key, then name and id (ascending, so pages never overlap).
    fn order(&self, sort: SortKey, desc: bool) -> Arc<Vec<u32>> {
        let mut orders = self.orders.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, order)) = orders.iter().find(|(k, _)| *k == (sort, desc)) {
            return order.clone();
        }
        // `people` is in name order: a stable sort by the key keeps name order among equal keys.
        let mut order: Vec<u32> = (0..self.people.len() as u32).collect();
        fn key(sort: SortKey, p: &Person) -> Option<&str> {
            match sort {
                SortKey::Name => None,
                SortKey::Email => Some(&p.email),
                SortKey::Title => Some(&p.title),
                SortKey::Department => Some(&p.department),
                SortKey::Manager => Some(&p.manager),
                SortKey::Location => Some(&p.location),
                SortKey::Status => Some(&p.deactivated_at),
            }
        }
        let compare = |a: &u32, b: &u32| -> Ordering {
            let (a, b) = (&self.people[*a as usize], &self.people[*b as usize]);
            let by_key = match sort {
                // Active before deactivated, then by when they were deactivated.
                SortKey::Status => b.active.cmp(&a.active).then_with(|| key(sort, a).cmp(&key(sort, b))),
                _ => key(sort, a).cmp(&key(sort, b)),
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
        if let Some(at) = kept.iter().position(|(q, _)| same_query(q, query)) {
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

fn same_query(a: &Query, b: &Query) -> bool {
    a.view == b.view && a.sort == b.sort && a.desc == b.desc && a.search == b.search
}

//! Emails and IDs as hash-map keys that compare like SQLite's NOCASE (ASCII letters without case,
//! surrounding spaces aside), borrowed from where they are read: planning a 100,000-row file looks up
//! and remembers hundreds of thousands of them, and a lower-cased copy of each was most of its work.

use std::hash::{Hash, Hasher};

use super::csv::trim;

#[derive(Debug, Clone, Copy)]
pub struct NoCase<'a>(&'a str);

impl<'a> NoCase<'a> {
    pub fn new(text: &'a str) -> Self {
        NoCase(trim(text))
    }
}

impl PartialEq for NoCase<'_> {
    fn eq(&self, other: &Self) -> bool {
        // Mostly the same bytes (a file's email as Roster has it): compared whole, not letter by letter.
        self.0 == other.0 || self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for NoCase<'_> {}

impl Hash for NoCase<'_> {
    /// Eight bytes at a time, each with its 0x20 bit set: upper- and lower-case ASCII letters hash
    /// alike (a few other pairs of bytes too, which `eq` then tells apart).
    fn hash<H: Hasher>(&self, state: &mut H) {
        const CASE_BITS: u64 = 0x2020_2020_2020_2020;
        let bytes = self.0.as_bytes();
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            state.write_u64(u64::from_le_bytes(word.try_into().expect("8 bytes")) | CASE_BITS);
        }
        let mut last = [0u8; 8];
        last[..words.remainder().len()].copy_from_slice(words.remainder());
        state.write_u64(u64::from_le_bytes(last) | CASE_BITS);
        state.write_usize(bytes.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustc_hash::FxHashMap;

    #[test]
    fn keys_match_without_ascii_case_or_surrounding_spaces_only() {
        let long = "Someone.With.A.Very.Long.Name@Example.Company.com";
        let mut map = FxHashMap::default();
        map.insert(NoCase::new(" Ann@Example.com"), 1);
        map.insert(NoCase::new(long), 2);
        assert_eq!(map.get(&NoCase::new("ann@example.COM ")), Some(&1));
        assert_eq!(map.get(&NoCase::new(&long.to_lowercase())), Some(&2));
        assert_eq!(map.get(&NoCase::new("an n@example.com")), None);
        // Like NOCASE, only ASCII letters fold: É is not é.
        map.insert(NoCase::new("É@example.com"), 3);
        assert_eq!(map.get(&NoCase::new("é@example.com")), None);
        // Any space around a key is not part of it, a Unicode one too.
        assert_eq!(map.get(&NoCase::new("\u{a0}\tann@example.com\u{3000}")), Some(&1));
    }
}

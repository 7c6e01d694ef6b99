//! Times are UTC, stored as RFC 3339 text with second precision, so they sort as text.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use crate::error::{Error, Result};

pub fn now() -> String {
    format(Utc::now())
}

pub fn format(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses a `YYYY-MM-DD` date given by a person, naming the field in the error.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid_input(format!("{field} “{text}” is not a date: write it as YYYY-MM-DD, for example 2026-03-31."))
    })
}

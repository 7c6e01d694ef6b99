//! Which column of an HRIS file is which field: by header (case-, space-, underscore- and
//! punctuation-insensitive, with synonyms), by the original template's column order when the file has
//! no header row, or by a column mapping saved with the source for any other export. Also how the
//! values of a column are read: dates, status words, "Last, First" names.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A field of a person that an HRIS column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    FirstName,
    LastName,
    /// "First Last" in one column (split at the last space).
    FullName,
    /// "Last, First" in one column (split at the first comma).
    FullNameLastFirst,
    Gender,
    Title,
    /// The Login Email, which is also how people are matched when the file has no Employee ID.
    Email,
    /// The manager, as the mapping's `managerBy` says (or, when it does not: an email when the value
    /// has an @, else a name).
    Manager,
    ManagerEmail,
    ManagerEmployeeId,
    ManagerName,
    Department,
    Team,
    Location,
    EmployeeId,
    HireDate,
    Status,
    TerminationDate,
    /// A column the mapping says to leave out.
    Ignore,
}

impl Field {
    /// How the field is called in the template and in messages.
    pub fn label(self) -> &'static str {
        match self {
            Field::FirstName => "First Name",
            Field::LastName => "Last Name",
            Field::FullName => "Full Name",
            Field::FullNameLastFirst => "Full Name (Last, First)",
            Field::Gender => "Gender",
            Field::Title => "Title",
            Field::Email => "Login Email",
            Field::Manager => "Manager",
            Field::ManagerEmail => "Manager Email",
            Field::ManagerEmployeeId => "Manager Employee ID",
            Field::ManagerName => "Manager Name",
            Field::Department => "Department",
            Field::Team => "Team",
            Field::Location => "Location",
            Field::EmployeeId => "Employee ID",
            Field::HireDate => "Hiring Date",
            Field::Status => "Status",
            Field::TerminationDate => "Termination Date",
            Field::Ignore => "(ignored)",
        }
    }

    /// The longest value Roster keeps for the field, in characters.
    pub fn max_chars(self) -> usize {
        match self {
            Field::Email | Field::ManagerEmail => 254,
            Field::Gender | Field::Status => 50,
            Field::EmployeeId | Field::ManagerEmployeeId => 64,
            Field::FirstName | Field::LastName => 100,
            _ => 200,
        }
    }
}

/// The original template's columns, in order: a file without a header row is read this way. Status
/// and Termination Date may follow as a 12th and 13th column.
pub const TEMPLATE: [Field; 11] = [
    Field::FirstName,
    Field::LastName,
    Field::Gender,
    Field::Title,
    Field::Email,
    Field::ManagerEmail,
    Field::Department,
    Field::Team,
    Field::Location,
    Field::EmployeeId,
    Field::HireDate,
];
const TEMPLATE_EXTRA: [Field; 2] = [Field::Status, Field::TerminationDate];

/// Header names Roster knows, normalised (see `normalise`).
const SYNONYMS: &[(&str, Field)] = &[
    ("firstname", Field::FirstName),
    ("first", Field::FirstName),
    ("givenname", Field::FirstName),
    ("forename", Field::FirstName),
    ("fname", Field::FirstName),
    ("legalfirstname", Field::FirstName),
    ("vorname", Field::FirstName),
    ("prénom", Field::FirstName),
    ("lastname", Field::LastName),
    ("last", Field::LastName),
    ("surname", Field::LastName),
    ("familyname", Field::LastName),
    ("lname", Field::LastName),
    ("legallastname", Field::LastName),
    ("nachname", Field::LastName),
    ("name", Field::FullName),
    ("fullname", Field::FullName),
    ("employeename", Field::FullName),
    ("displayname", Field::FullName),
    ("gender", Field::Gender),
    ("sex", Field::Gender),
    ("title", Field::Title),
    ("jobtitle", Field::Title),
    ("position", Field::Title),
    ("positiontitle", Field::Title),
    ("job", Field::Title),
    ("businesstitle", Field::Title),
    ("designation", Field::Title),
    ("loginemail", Field::Email),
    ("email", Field::Email),
    ("emailaddress", Field::Email),
    ("workemail", Field::Email),
    ("workemailaddress", Field::Email),
    ("businessemail", Field::Email),
    ("companyemail", Field::Email),
    ("officeemail", Field::Email),
    ("primaryemail", Field::Email),
    ("loginemailaddress", Field::Email),
    ("mail", Field::Email),
    ("login", Field::Email),
    ("manager", Field::Manager),
    ("supervisor", Field::Manager),
    ("reportsto", Field::Manager),
    ("linemanager", Field::Manager),
    ("directmanager", Field::Manager),
    ("manageremail", Field::ManagerEmail),
    ("manageremailaddress", Field::ManagerEmail),
    ("managerworkemail", Field::ManagerEmail),
    ("managerloginemail", Field::ManagerEmail),
    ("supervisoremail", Field::ManagerEmail),
    ("supervisoremailaddress", Field::ManagerEmail),
    ("reportstoemail", Field::ManagerEmail),
    ("linemanageremail", Field::ManagerEmail),
    ("manageremployeeid", Field::ManagerEmployeeId),
    ("managerid", Field::ManagerEmployeeId),
    ("manageremployeenumber", Field::ManagerEmployeeId),
    ("managernumber", Field::ManagerEmployeeId),
    ("managerpersonnelnumber", Field::ManagerEmployeeId),
    ("supervisorid", Field::ManagerEmployeeId),
    ("supervisoremployeeid", Field::ManagerEmployeeId),
    ("reportstoid", Field::ManagerEmployeeId),
    ("linemanagerid", Field::ManagerEmployeeId),
    ("managername", Field::ManagerName),
    ("managerfullname", Field::ManagerName),
    ("supervisorname", Field::ManagerName),
    ("linemanagername", Field::ManagerName),
    ("reportstoname", Field::ManagerName),
    ("department", Field::Department),
    ("dept", Field::Department),
    ("departmentname", Field::Department),
    ("orgunit", Field::Department),
    ("organizationalunit", Field::Department),
    ("organisationalunit", Field::Department),
    ("abteilung", Field::Department),
    ("team", Field::Team),
    ("teamname", Field::Team),
    ("squad", Field::Team),
    ("location", Field::Location),
    ("office", Field::Location),
    ("officelocation", Field::Location),
    ("worklocation", Field::Location),
    ("site", Field::Location),
    ("workplace", Field::Location),
    ("standort", Field::Location),
    ("employeeid", Field::EmployeeId),
    ("employeenumber", Field::EmployeeId),
    ("employeeno", Field::EmployeeId),
    ("employeecode", Field::EmployeeId),
    ("personnelnumber", Field::EmployeeId),
    ("personnelno", Field::EmployeeId),
    ("personalnummer", Field::EmployeeId),
    ("empid", Field::EmployeeId),
    ("empno", Field::EmployeeId),
    ("staffid", Field::EmployeeId),
    ("staffnumber", Field::EmployeeId),
    ("workerid", Field::EmployeeId),
    ("id", Field::EmployeeId),
    ("hiringdate", Field::HireDate),
    ("hiredate", Field::HireDate),
    ("startdate", Field::HireDate),
    ("dateofhire", Field::HireDate),
    ("joiningdate", Field::HireDate),
    ("joindate", Field::HireDate),
    ("datejoined", Field::HireDate),
    ("dateofjoining", Field::HireDate),
    ("employmentstartdate", Field::HireDate),
    ("originalhiredate", Field::HireDate),
    ("entrydate", Field::HireDate),
    ("eintrittsdatum", Field::HireDate),
    ("status", Field::Status),
    ("employmentstatus", Field::Status),
    ("employeestatus", Field::Status),
    ("workerstatus", Field::Status),
    ("active", Field::Status),
    ("isactive", Field::Status),
    ("terminationdate", Field::TerminationDate),
    ("terminateddate", Field::TerminationDate),
    ("enddate", Field::TerminationDate),
    ("employmentenddate", Field::TerminationDate),
    ("leavingdate", Field::TerminationDate),
    ("dateofleaving", Field::TerminationDate),
    ("exitdate", Field::TerminationDate),
    ("separationdate", Field::TerminationDate),
    ("lastday", Field::TerminationDate),
    ("lastworkingday", Field::TerminationDate),
    ("lastdayofwork", Field::TerminationDate),
    ("austrittsdatum", Field::TerminationDate),
];

/// Status words that mean the person works at the company (normalised: lower case, single spaces).
const ACTIVE: &[&str] = &[
    "active",
    "employed",
    "current",
    "working",
    "on leave",
    "leave",
    "leave of absence",
    "parental leave",
    "maternity leave",
    "paternity leave",
    "sick leave",
    "medical leave",
    "garden leave",
    "sabbatical",
    "probation",
    "on probation",
    "notice period",
    "enabled",
    "aktiv",
    "yes",
    "y",
    "true",
    "1",
];

/// Status words that mean the person no longer works there.
const INACTIVE: &[&str] = &[
    "inactive",
    "terminated",
    "termination",
    "suspended",
    "deceased",
    "resigned",
    "retired",
    "dismissed",
    "fired",
    "laid off",
    "left",
    "exited",
    "former",
    "former employee",
    "separated",
    "withdrawn",
    "deactivated",
    "disabled",
    "quit",
    "contract ended",
    "end of contract",
    "inaktiv",
    "ausgetreten",
    "no",
    "n",
    "false",
    "0",
];

/// What a "manager" column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ManagerKey {
    Email,
    EmployeeId,
    Name,
}

/// How the file writes dates whose order is not plain (`03/04/2024`). ISO dates (2024-04-03) are
/// always read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateFormat {
    #[serde(rename = "YYYY-MM-DD")]
    YearMonthDay,
    /// Day first, with any of `.`, `/` or `-` between the parts.
    #[serde(rename = "DD.MM.YYYY")]
    DayMonthYear,
    /// Month first, with any of `/`, `.` or `-` between the parts.
    #[serde(rename = "MM/DD/YYYY")]
    MonthDayYear,
}

/// A column mapping saved with the source, for exports that are not Roster's template. Every part is
/// optional: columns it does not name are still recognised by their header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Mapping {
    /// Whether the first line is a header; when not set, Roster looks.
    pub has_header: Option<bool>,
    /// Column → field. With a header, the key is the column's header as written (compared like
    /// headers are: case, spaces and punctuation do not matter); without one, its number, from "1".
    pub columns: BTreeMap<String, Field>,
    /// What a column mapped to `manager` holds.
    pub manager_by: Option<ManagerKey>,
    /// Status values that mean active. When given, every other value means inactive, unless
    /// `inactiveValues` is given too: then a value in neither list is a row error.
    pub active_values: Vec<String>,
    pub inactive_values: Vec<String>,
    pub date_format: Option<DateFormat>,
}

impl Mapping {
    /// Reads a mapping saved as JSON, saying what to fix when it is not one.
    pub fn from_json(json: &str) -> Result<Mapping> {
        serde_json::from_str(json).map_err(|e| {
            Error::invalid_input(format!(
                "The column mapping saved with the HRIS source cannot be read ({e}): set it up again in Admin > Integrations."
            ))
        })
    }
}

/// A header (or any name) for comparison: lower case, letters and digits only.
pub fn normalise(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The field a header names, by Roster's own names and their synonyms.
pub fn known_header(header: &str) -> Option<Field> {
    let key = normalise(header);
    SYNONYMS.iter().find(|(name, _)| *name == key).map(|(_, f)| *f)
}

/// One column of the file as Roster reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Column {
    /// 1 for the first column.
    pub number: usize,
    /// The header as written, or the template's name when the file has no header.
    pub header: String,
    /// What Roster reads from it; None: a column Roster does not know, left out.
    pub field: Option<Field>,
}

/// How the columns of one file are read.
#[derive(Debug, Clone)]
pub struct Layout {
    pub has_header: bool,
    pub columns: Vec<Column>,
    /// How many values a line should have.
    pub width: usize,
    /// By field (`Field as usize`): every value of every row is looked up here.
    index: [Option<usize>; FIELDS],
}

const FIELDS: usize = Field::Ignore as usize + 1;

impl Layout {
    /// The index of the column holding `field`.
    pub fn index(&self, field: Field) -> Option<usize> {
        self.index[field as usize]
    }

    pub fn has(&self, field: Field) -> bool {
        self.index(field).is_some()
    }

    /// The column's name for a message: its header as written.
    pub fn header(&self, field: Field) -> String {
        self.index(field).map_or_else(|| field.label().to_string(), |i| self.columns[i].header.clone())
    }
}

fn quoted_list(items: &[String]) -> String {
    let shown: Vec<String> = items.iter().take(8).map(|h| format!("“{h}”")).collect();
    let more = if items.len() > 8 { format!(" and {} more", items.len() - 8) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}

const TEMPLATE_HINT: &str = "First Name, Last Name, Gender, Title, Login Email, Manager Email, Department, Team, \
                             Location, Employee ID, Hiring Date";

/// Works out which column is which from the file's first line (`first`), or refuses the file whole
/// with what to fix.
pub fn layout(file_name: &str, first: &[String], mapping: Option<&Mapping>) -> Result<Layout> {
    let mapped: HashMap<String, Field> =
        mapping.map(|m| m.columns.iter().map(|(k, f)| (normalise(k), *f)).collect()).unwrap_or_default();
    let header_field = |cell: &str| -> Option<Field> {
        let key = normalise(cell);
        mapped.get(&key).copied().or_else(|| known_header(cell))
    };
    let has_header = match mapping.and_then(|m| m.has_header) {
        Some(h) => h,
        None => {
            if first.iter().any(|c| header_field(c).is_some()) {
                true
            } else if first.len() >= 5 && first[4].contains('@') {
                false
            } else {
                let cells: Vec<String> = first.iter().filter(|c| !c.trim().is_empty()).cloned().collect();
                return Err(Error::invalid_input(format!(
                    "The first line of {file_name} names no column Roster knows ({}), and it does not look like \
                     Roster's template without a header (a Login Email in the 5th column). Start the file with a \
                     header line naming the columns ({TEMPLATE_HINT}, Status, Termination Date), or set up a \
                     column mapping for this source.",
                    if cells.is_empty() {
                        "the line is empty".to_string()
                    } else {
                        format!("found {}", quoted_list(&cells))
                    }
                )));
            }
        }
    };
    let mut columns = Vec::with_capacity(first.len());
    if has_header {
        for (i, cell) in first.iter().enumerate() {
            let header = cell.trim().to_string();
            let field = if header.is_empty() { None } else { header_field(&header) };
            columns.push(Column { number: i + 1, header, field: field.filter(|f| *f != Field::Ignore) });
        }
    } else {
        let by_number: HashMap<usize, Field> = mapping
            .map(|m| m.columns.iter().filter_map(|(k, f)| Some((k.trim().parse::<usize>().ok()?, *f))).collect())
            .unwrap_or_default();
        if by_number.is_empty() {
            if first.len() < TEMPLATE.len() {
                return Err(Error::invalid_input(format!(
                    "{file_name} has no header line, and its first line has {} values: a file without a header must \
                     have the template's {} columns in this order: {TEMPLATE_HINT} (then, if you like, Status and \
                     Termination Date). Add the missing columns, or start the file with a header line.",
                    first.len(),
                    TEMPLATE.len()
                )));
            }
            for (i, field) in TEMPLATE.iter().chain(&TEMPLATE_EXTRA).enumerate().take(first.len()) {
                columns.push(Column { number: i + 1, header: field.label().to_string(), field: Some(*field) });
            }
        } else {
            let width = by_number.keys().copied().max().unwrap_or(0).max(first.len());
            for number in 1..=width {
                let field = by_number.get(&number).copied().filter(|f| *f != Field::Ignore);
                let header = field.map_or_else(|| format!("Column {number}"), |f| f.label().to_string());
                columns.push(Column { number, header, field });
            }
        }
    }
    let mut index: [Option<usize>; FIELDS] = [None; FIELDS];
    for (i, column) in columns.iter().enumerate() {
        let Some(field) = column.field else { continue };
        if let Some(before) = index[field as usize] {
            let first_header = &columns[before].header;
            return Err(Error::invalid_input(format!(
                "The columns “{first_header}” (column {}) and “{}” (column {}) of {file_name} both mean {}: \
                 remove one of them, or map one to another field in the source's column mapping.",
                before + 1,
                column.header,
                i + 1,
                field.label()
            )));
        }
        index[field as usize] = Some(i);
    }
    let found: Vec<String> = columns.iter().filter(|c| !c.header.is_empty()).map(|c| c.header.clone()).collect();
    if index[Field::Email as usize].is_none() {
        return Err(Error::invalid_input(format!(
            "{file_name} has no Login Email column (its columns: {}). Add a column “Login Email” with each person's \
             work email, or map the column that holds it in the source's column mapping.",
            quoted_list(&found)
        )));
    }
    let named = [Field::FirstName, Field::LastName, Field::FullName, Field::FullNameLastFirst];
    if named.iter().all(|&f| index[f as usize].is_none()) {
        return Err(Error::invalid_input(format!(
            "{file_name} has no name columns (its columns: {}). Add “First Name” and “Last Name” columns, or map a \
             column holding the full name in the source's column mapping.",
            quoted_list(&found)
        )));
    }
    let width = columns.len();
    Ok(Layout { has_header, columns, width, index })
}

/// Whether a status value means active (`Some(true)`), inactive (`Some(false)`), or is unknown.
pub fn status_is_active(value: &str, mapping: Option<&Mapping>) -> Option<bool> {
    let words = |s: &str| -> String {
        s.to_lowercase().replace(['_', '-'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let trimmed = value.trim();
    if mapping.is_none_or(|m| m.active_values.is_empty() && m.inactive_values.is_empty()) {
        // The common words, without building a normalised copy.
        if ACTIVE.iter().any(|w| w.eq_ignore_ascii_case(trimmed)) {
            return Some(true);
        }
        if INACTIVE.iter().any(|w| w.eq_ignore_ascii_case(trimmed)) {
            return Some(false);
        }
    }
    let value = words(trimmed);
    if let Some(m) = mapping.filter(|m| !m.active_values.is_empty() || !m.inactive_values.is_empty()) {
        if m.active_values.iter().any(|v| words(v) == value) {
            return Some(true);
        }
        if m.inactive_values.iter().any(|v| words(v) == value) {
            return Some(false);
        }
        if m.inactive_values.is_empty() {
            return Some(false);
        }
        if m.active_values.is_empty() && !value.is_empty() {
            return Some(true);
        }
        return None;
    }
    if ACTIVE.contains(&value.as_str()) {
        Some(true)
    } else if INACTIVE.contains(&value.as_str()) {
        Some(false)
    } else {
        None
    }
}

/// The status words Roster knows, for a message.
pub fn known_statuses() -> String {
    format!(
        "active ones: {}; inactive ones: {}",
        ACTIVE.iter().take(6).copied().collect::<Vec<_>>().join(", "),
        INACTIVE.iter().take(8).copied().collect::<Vec<_>>().join(", ")
    )
}

/// Splits a full name: "First Last" at the last space, or "Last, First" at the first comma.
pub fn split_name(value: &str, last_first: bool) -> Option<(&str, &str)> {
    let value = value.trim();
    if last_first {
        let (last, first) = value.split_once(',')?;
        Some((first.trim(), last.trim()))
    } else {
        match value.rsplit_once(char::is_whitespace) {
            Some((first, last)) => Some((first.trim(), last.trim())),
            None => Some((value, "")),
        }
    }
}

/// A date written YYYY-MM-DD, read digit by digit (chrono's general parser takes ten times as long,
/// and a 100,000-row plan reads 200,000 dates). None for any other form, or no such day.
pub fn iso_date(value: &str) -> Option<NaiveDate> {
    let b = value.as_bytes();
    let iso = b.len() == 10
        && b.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    let number = |range: std::ops::Range<usize>| b[range].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    iso.then(|| NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10))).flatten()
}

/// Reads a date as the file writes it. The error completes "{column} “{value}” …" with what to fix.
pub fn parse_date(value: &str, format: Option<DateFormat>) -> std::result::Result<NaiveDate, String> {
    let value = value.trim();
    // Most files write YYYY-MM-DD (the general reading below explains a miss).
    if let Some(date) = iso_date(value) {
        return Ok(date);
    }
    let fix = "write it as YYYY-MM-DD, for example 2024-03-31";
    // An ISO date, perhaps with a time after it (2024-03-31T00:00:00, 2024-03-31 09:00).
    let date_part = value.split(['T', ' ']).next().unwrap_or(value);
    let parts: Vec<&str> = date_part.split(['-', '.', '/']).collect();
    let numbers: Option<Vec<u32>> = parts
        .iter()
        .map(|p| (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok())?)
        .collect();
    let (Some(n), 3) = (numbers, parts.len()) else {
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "is a number, not a date (a spreadsheet's date serial number?): format the column as a date and {fix}"
            ));
        }
        return Err(format!("is not a date: {fix}"));
    };
    let separator = date_part.chars().find(|c| matches!(c, '-' | '.' | '/')).unwrap_or('-');
    let check = |y: u32, m: u32, d: u32, how: &str| -> std::result::Result<NaiveDate, String> {
        NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| {
            format!("is not a date in the calendar (read as {how}: year {y}, month {m}, day {d}): {fix}")
        })
    };
    if parts[0].len() == 4 {
        return check(n[0], n[1], n[2], "YYYY-MM-DD");
    }
    if parts[2].len() != 4 {
        return Err(format!("has no four-digit year: {fix}"));
    }
    let order = match (format, separator) {
        (Some(DateFormat::MonthDayYear), _) => DateFormat::MonthDayYear,
        (Some(DateFormat::DayMonthYear), _) | (_, '.') => DateFormat::DayMonthYear,
        (_, '/') => DateFormat::MonthDayYear,
        _ => {
            return Err(format!(
            "could be day-month-year or month-day-year: {fix}, or set the date format in the source's column mapping"
        ))
        }
    };
    match order {
        DateFormat::MonthDayYear if n[0] > 12 && n[1] <= 12 && format.is_none() => Err(format!(
            "is not a MM/DD/YYYY date (there is no month {}): Roster reads dates with slashes month first. If this \
             file writes the day first, set the date format DD.MM.YYYY in the source's column mapping; or {fix}",
            n[0]
        )),
        DateFormat::MonthDayYear => check(n[2], n[0], n[1], "MM/DD/YYYY"),
        _ => check(n[2], n[1], n[0], "DD.MM.YYYY"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_whatever_their_case_spaces_and_synonyms() {
        assert_eq!(known_header("Login Email"), Some(Field::Email));
        assert_eq!(known_header("E-mail"), Some(Field::Email));
        assert_eq!(known_header(" work_email "), Some(Field::Email));
        assert_eq!(known_header("EMAIL ADDRESS"), Some(Field::Email));
        assert_eq!(known_header("Personnel Number"), Some(Field::EmployeeId));
        assert_eq!(known_header("Start Date"), Some(Field::HireDate));
        assert_eq!(known_header("Supervisor Email"), Some(Field::ManagerEmail));
        assert_eq!(known_header("Shoe size"), None);
    }

    #[test]
    fn dates_in_the_three_formats_and_what_is_wrong_with_others() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(parse_date("2024-03-04", None), Ok(d(2024, 3, 4)));
        assert_eq!((iso_date("2024-12-31"), iso_date("0999-01-01")), (Some(d(2024, 12, 31)), Some(d(999, 1, 1))));
        assert_eq!((iso_date("2024-02-30"), iso_date("2024-13-01"), iso_date("2024-3-04")), (None, None, None));
        assert_eq!((iso_date("2024-03-04 "), iso_date("+2024-03-0"), iso_date("2024/03/04")), (None, None, None));
        assert_eq!(parse_date("2024-03-04T00:00:00Z", None), Ok(d(2024, 3, 4)));
        assert_eq!(parse_date("04.03.2024", None), Ok(d(2024, 3, 4)));
        assert_eq!(parse_date("03/04/2024", None), Ok(d(2024, 3, 4)));
        assert_eq!(parse_date("03/04/2024", Some(DateFormat::DayMonthYear)), Ok(d(2024, 4, 3)));
        assert!(parse_date("25/12/2024", None).unwrap_err().contains("DD.MM.YYYY"));
        assert_eq!(parse_date("25/12/2024", Some(DateFormat::DayMonthYear)), Ok(d(2024, 12, 25)));
        assert!(parse_date("2024-02-30", None).unwrap_err().contains("calendar"));
        assert!(parse_date("01.02.24", None).unwrap_err().contains("four-digit year"));
        assert!(parse_date("45306", None).unwrap_err().contains("serial"));
        assert!(parse_date("next week", None).unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("04-03-2024", None).unwrap_err().contains("column mapping"));
    }

    #[test]
    fn statuses_by_word_and_by_mapping() {
        assert_eq!(status_is_active("Parental leave", None), Some(true));
        assert_eq!(status_is_active("LEAVE_OF_ABSENCE", None), Some(true));
        assert_eq!(status_is_active("Terminated", None), Some(false));
        assert_eq!(status_is_active("Vacationing", None), None);
        let m = Mapping { active_values: vec!["Employed".into()], ..Mapping::default() };
        assert_eq!(status_is_active("employed", Some(&m)), Some(true));
        assert_eq!(status_is_active("Gone", Some(&m)), Some(false));
        let m = Mapping { active_values: vec!["E".into()], inactive_values: vec!["X".into()], ..Mapping::default() };
        assert_eq!(status_is_active("Q", Some(&m)), None);
    }

    #[test]
    fn names_split_both_ways() {
        assert_eq!(split_name("Müller, Anna Maria", true), Some(("Anna Maria", "Müller")));
        assert_eq!(split_name("Anna Maria Müller", false), Some(("Anna Maria", "Müller")));
        assert_eq!(split_name("Cher", false), Some(("Cher", "")));
        assert_eq!(split_name("Cher", true), None);
    }
}

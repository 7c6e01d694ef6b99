//! Reading an HRIS file into lines of values: the bytes are decoded (UTF-8 with or without a byte order
//! mark, UTF-16 with one, else the source's fallback code page, Windows-1252 by default: what Excel
//! writes), the delimiter is detected (comma, semicolon or tab), and the `csv` crate splits the text,
//! quoted values with delimiters and line breaks included. Each line keeps the number of the line it
//! starts on, for messages.

use encoding_rs::{Encoding, UTF_8};

use crate::error::{Error, Result};

/// The largest file Roster reads: far above any company's HR export.
pub const MAX_BYTES: usize = 512 * 1024 * 1024;

/// The default fallback code page for files that are not UTF-8.
pub const DEFAULT_FALLBACK: &str = "windows-1252";

/// A file's text and how it was read.
#[derive(Debug)]
pub struct Text {
    pub text: String,
    /// The encoding's name, for the plan: "UTF-8", "UTF-8 with BOM", "windows-1252"…
    pub encoding: String,
}

/// One line of values (a quoted value may span several lines of the file).
#[derive(Debug, Clone)]
pub struct Record {
    /// The file's line number where it starts, from 1.
    pub line: u64,
    pub values: csv::StringRecord,
}

/// A file split into lines of values.
#[derive(Debug)]
pub struct Table {
    pub encoding: String,
    pub delimiter: u8,
    /// Every non-blank line, the header (if any) first.
    pub records: Vec<Record>,
}

impl Table {
    /// The delimiter as a person writes it.
    pub fn delimiter_name(&self) -> &'static str {
        delimiter_name(self.delimiter)
    }
}

pub fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    }
}

/// `str::trim`, without looking at characters when the value begins and ends with a visible ASCII one,
/// as most do (a space of any kind is ASCII or starts with a byte above 0x7F).
pub fn trim(value: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|b| (0x21..0x7f).contains(b));
    match visible(value.as_bytes().first()) && visible(value.as_bytes().last()) {
        true => value,
        false => value.trim(),
    }
}

/// Decodes the file's bytes, or says why it is not a text file Roster can read.
pub fn decode(file_name: &str, bytes: &[u8], fallback: &str) -> Result<Text> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::invalid_input(format!(
            "{file_name} is {} MB: Roster reads HRIS files of up to {} MB. Check that it is the HR export.",
            bytes.len() / (1024 * 1024),
            MAX_BYTES / (1024 * 1024)
        )));
    }
    let not_csv = |what: &str| {
        Error::invalid_input(format!(
            "{file_name} is {what}, not a CSV file: in the HRIS (or in Excel, File > Save As), save the export as \
             “CSV UTF-8 (comma delimited)” and import that file."
        ))
    };
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(not_csv("an Excel workbook or another zip archive"));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(not_csv("an old Excel workbook (.xls)"));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(not_csv("a PDF document"));
    }
    let (text, encoding) = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) => {
            let (text, malformed) = encoding.decode_without_bom_handling(&bytes[bom..]);
            if malformed {
                return Err(Error::invalid_input(format!(
                    "{file_name} starts with the mark of {} text but is not valid {} further on: save the export \
                     again as “CSV UTF-8” and import that file.",
                    encoding.name(),
                    encoding.name()
                )));
            }
            (text.into_owned(), format!("{} with BOM", encoding.name()))
        }
        None => match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_string(), UTF_8.name().to_string()),
            Err(_) => {
                let encoding = Encoding::for_label(fallback.trim().as_bytes()).ok_or_else(|| {
                    Error::invalid_input(format!(
                        "{file_name} is not UTF-8, and the source's fallback encoding “{fallback}” is not an encoding \
                         Roster knows: set it to windows-1252 (Excel's) or another code page such as iso-8859-15, \
                         or save the file as “CSV UTF-8”."
                    ))
                })?;
                let (text, _) = encoding.decode_without_bom_handling(bytes);
                (text.into_owned(), encoding.name().to_string())
            }
        },
    };
    if let Some(at) = binary_at(&text) {
        return Err(Error::invalid_input(format!(
            "{file_name} is not a text file: it holds binary data (control characters, from line {at} on). Check \
             that it is the HRIS's CSV export and not another file, or that it was not damaged on the way."
        )));
    }
    Ok(Text { text, encoding })
}

/// The line of the first sign of binary content: a NUL, or more than two control characters that text
/// never has (general category Cc but tab, line breaks and form feed).
fn binary_at(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    // Bytes that may start such a character: below 0x20, DEL, and 0xC2 (U+0080–U+009F in UTF-8).
    let maybe = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) | (b == 0x7f) | (b == 0xc2);
    let mut controls = 0;
    // Most 64-byte blocks of a text have none of them: checked without a branch per byte.
    for (block, chunk) in bytes.chunks(64).enumerate() {
        if !chunk.iter().fold(false, |any, &b| any | maybe(b)) {
            continue;
        }
        for i in block * 64..block * 64 + chunk.len() {
            let control = match bytes[i] {
                0 => return Some(line_at(bytes, i)),
                0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
                b => maybe(b),
            };
            controls += usize::from(control);
            if controls > 2 {
                return Some(line_at(bytes, i));
            }
        }
    }
    None
}

/// The line (from 1) of byte `at`.
fn line_at(bytes: &[u8], at: usize) -> u64 {
    1 + memchr::memchr_iter(b'\n', &bytes[..at]).count() as u64
}

/// The delimiter of the file: the one of comma, semicolon and tab that its first line (quotes
/// respected) has most of.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted && counts.iter().any(|&c| c > 0) => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    candidates[best]
}

/// The line where a quoted value opens that never closes (the file was cut off in it, or a lone quote
/// should have been doubled), by the same rules the `csv` crate reads with: a quote opens a quoted
/// value only at the start of a value, and two quotes inside one stand for one.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<u64> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(quote) = memchr::memchr(b'"', &bytes[at..]).map(|i| at + i) {
        at = quote + 1;
        let starts_value = quote == 0 || matches!(bytes[quote - 1], b'\n' | b'\r') || bytes[quote - 1] == delimiter;
        if !starts_value {
            continue; // a quote inside an unquoted value is part of it
        }
        loop {
            let Some(closing) = memchr::memchr(b'"', &bytes[at..]).map(|i| at + i) else {
                return Some(line_at(bytes, quote));
            };
            at = closing + 1;
            if bytes.get(at) != Some(&b'"') {
                break;
            }
            at += 1; // a doubled quote, inside the value
        }
    }
    None
}

/// Splits the text into lines of values. Blank lines (and lines of empty values) are left out.
pub fn split(file_name: &str, text: Text) -> Result<Table> {
    let delimiter = detect_delimiter(&text.text);
    if let Some(line) = unclosed_quote(&text.text, delimiter) {
        return Err(Error::invalid_input(format!(
            "Line {line} of {file_name} opens a quoted value (\") that never closes, so the rest of the file cannot \
             be read. The file may have been cut off: export it again. If a value really contains a quote, write \
             the value in quotes and the quote twice (\"\")."
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.text.as_bytes());
    let mut records = Vec::new();
    let mut values = csv::StringRecord::new();
    let bytes = text.text.as_bytes();
    let (mut line, mut counted) = (1u64, 0usize);
    loop {
        match reader.read_record(&mut values) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(Error::invalid_input(format!(
                    "Line {line} of {file_name} cannot be read as CSV ({e}): export the file again."
                )));
            }
        }
        if values.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        // The line where the record starts, counted from its byte offset (quoted line breaks included).
        let mut start = values.position().map_or(0, |p| p.byte() as usize).min(bytes.len());
        // (The reader may place a record's start on the line break that ends the one before.)
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        line += memchr::memchr_iter(b'\n', &bytes[counted..start]).count() as u64;
        counted = start;
        // The next line is read into a new record of this one's size: no copy of this one is made.
        let next = csv::StringRecord::with_capacity(values.as_slice().len(), values.len());
        records.push(Record { line, values: std::mem::replace(&mut values, next) });
    }
    Ok(Table { encoding: text.encoding, delimiter, records })
}

/// Decodes and splits a file.
pub fn read(file_name: &str, bytes: &[u8], fallback: &str) -> Result<Table> {
    split(file_name, decode(file_name, bytes, fallback)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(table: &Table) -> Vec<Vec<String>> {
        table.records.iter().map(|r| r.values.iter().map(str::to_string).collect()).collect()
    }

    #[test]
    fn delimiters_are_detected_and_quotes_respected() {
        assert_eq!(detect_delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("\"Last, First\";b\n"), b';');
        assert_eq!(detect_delimiter("name\n"), b',');
    }

    #[test]
    fn quoted_values_keep_their_commas_and_line_breaks_and_lines_are_counted() {
        let t = read("f.csv", b"a,b\r\n\"x, y\",\"two\r\nlines\"\r\n\r\n,\r\nlast,1\r\n", "windows-1252").unwrap();
        assert_eq!(values(&t), vec![vec!["a", "b"], vec!["x, y", "two\r\nlines"], vec!["last", "1"]]);
        assert_eq!(t.records.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 2, 6]);
    }

    #[test]
    fn encodings() {
        let t = read("f.csv", b"\xEF\xBB\xBFa,b\n", "windows-1252").unwrap();
        assert_eq!((values(&t)[0][0].as_str(), t.encoding.as_str()), ("a", "UTF-8 with BOM"));
        let t = read("f.csv", b"M\xFCller,b\n", "windows-1252").unwrap();
        assert_eq!((values(&t)[0][0].as_str(), t.encoding.as_str()), ("Müller", "windows-1252"));
        let t = read("f.csv", b"\xFF\xFEa\0,\0b\0\n\0", "windows-1252").unwrap();
        assert_eq!(values(&t), vec![vec!["a", "b"]]);
        let e = read("f.csv", b"M\xFCller", "klingon").unwrap_err();
        assert!(e.message.contains("klingon"), "{e}");
        let e = read("f.xlsx", b"PK\x03\x04....", "windows-1252").unwrap_err();
        assert!(e.message.contains("Excel"), "{e}");
        let e = read("f.csv", b"a,b\n\x00\x01\x02\x03", "windows-1252").unwrap_err();
        assert!(e.message.contains("binary"), "{e}");
    }

    #[test]
    fn an_unclosed_quote_refuses_the_file_and_names_its_line() {
        let e = read("f.csv", b"a,b\n1,2\n3,\"cut off", "windows-1252").unwrap_err();
        assert!(e.message.contains("Line 3"), "{e}");
        assert!(read("f.csv", b"a,b\n5\" screen,\"say \"\"hi\"\"\"\n", "windows-1252").is_ok());
        let cases: [(&str, Option<u64>); 9] = [
            ("a,b\n1,2\n", None),
            ("\"a\",b\r\n\"two\r\nlines\",c\r\n", None),
            ("a;\"x\"\"\"\n", None),       // a value ending in a quote
            ("5\" screen,\"x\n", Some(1)), // the second quote opens a value
            ("a,\"b\"\"\n", Some(1)),      // a doubled quote leaves the value open
            ("a,\"b\"x\"\n", None),        // a quote after the closing one is part of the value
            ("a,b\n\n\n\"c", Some(4)),
            ("\"a\nb\nc", Some(1)),
            ("a\t\"b\"\n\"", Some(2)),
        ];
        for (text, line) in cases {
            assert_eq!(unclosed_quote(text, detect_delimiter(text)), line, "{text:?}");
        }
    }

    #[test]
    fn values_are_trimmed_of_any_space_around_them() {
        for (value, trimmed) in [("ann", "ann"), (" ann\t", "ann"), ("\u{a0}Zoë\u{3000}", "Zoë"), ("é ", "é"), ("", "")]
        {
            assert_eq!(trim(value), trimmed, "{value:?}");
        }
    }

    #[test]
    fn control_characters_are_binary_content_but_text_s_own_are_not() {
        let text = "Name\tTitle\r\nZoë,Ingeniør \u{a9}\u{c}\n".repeat(40);
        assert_eq!(binary_at(&text), None);
        assert_eq!(binary_at(&format!("{text}\0")), Some(81));
        let three = format!("{text}a\u{1}b\n\u{7f}\n\u{85}");
        assert_eq!(binary_at(&three), Some(83), "U+0001, DEL and U+0085 (a C1 control) are the third");
        assert_eq!(binary_at(&format!("{text}a\u{1}b\u{7f}")), None, "two are let through");
    }
}

//! The local folder source: the newest file matching the pattern in a folder on this computer (or a
//! share mounted on it). Also the pattern rule both sources share.

use std::cmp::Reverse;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use globset::{GlobBuilder, GlobMatcher};

use super::ImportFile;
use crate::error::{Code, Error, Result};

/// The file pattern as a matcher: a glob (`*`, `?`, `[abc]`, `{a,b}`) on the file's name, not its
/// folder, ignoring case (`*.csv` matches `Export.CSV`).
pub fn matcher(pattern: &str) -> Result<GlobMatcher> {
    let pattern = pattern.trim();
    if pattern.is_empty() {
        return Err(Error::invalid_input(
            "Enter the file pattern of the HRIS exports, for example *.csv or employees_*.csv.",
        ));
    }
    if pattern.contains(['/', '\\']) {
        return Err(Error::invalid_input(format!(
            "The pattern “{pattern}” names a folder: the pattern is for the file's name only (for example \
             *.csv); the folder has its own field."
        )));
    }
    GlobBuilder::new(pattern)
        .case_insensitive(true)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| {
            Error::invalid_input(format!(
                "The pattern “{pattern}” cannot be read ({}): use * for any text and ? for one character, for \
                 example employees_*.csv.",
                e.kind()
            ))
        })
}

/// A matching file in a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub modified: SystemTime,
    pub size: u64,
}

/// Newest first: by modification time, then (same time) by name, the greater name first, so that
/// `export-2024-05-02.csv` comes before `export-2024-05-01.csv`.
pub fn sort_newest_first(files: &mut [Listed]) {
    files.sort_by(|a, b| (Reverse(a.modified), Reverse(&a.name)).cmp(&(Reverse(b.modified), Reverse(&b.name))));
}

fn folder_error(dir: &Path, err: std::io::Error) -> Error {
    let shown = dir.display();
    match err.kind() {
        ErrorKind::NotFound => Error::not_found(format!(
            "The folder {shown} does not exist (or its share is not mounted): check the folder in Admin > \
             Integrations > SFTP, or connect the share."
        )),
        ErrorKind::PermissionDenied => Error::precondition_failed(format!(
            "Roster may not read the folder {shown}: give your account read access to it, or choose another folder."
        )),
        ErrorKind::NotADirectory => Error::precondition_failed(format!(
            "{shown} is a file, not a folder: choose the folder that holds the HRIS exports."
        )),
        _ => Error::new(Code::Unavailable, format!("Roster could not read the folder {shown}: {err}.")),
    }
}

/// The regular files in `dir` whose name matches, newest first.
pub fn list(dir: &Path, matcher: &GlobMatcher) -> Result<Vec<Listed>> {
    let entries = std::fs::read_dir(dir).map_err(|e| folder_error(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| folder_error(dir, e))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
        if !matcher.is_match(&name) {
            continue;
        }
        // Follows links: a link to an export counts as the export.
        let Ok(meta) = std::fs::metadata(entry.path()) else { continue };
        if !meta.is_file() {
            continue;
        }
        files.push(Listed { name, modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), size: meta.len() });
    }
    sort_newest_first(&mut files);
    Ok(files)
}

/// The error when nothing matches.
pub fn no_match(place: &str, pattern: &str) -> Error {
    Error::not_found(format!(
        "No file in {place} matches “{pattern}”: the HRIS may not have delivered an export yet, or the pattern \
         is not the one its files follow. Check the folder and the pattern in Admin > Integrations > SFTP."
    ))
}

/// The newest matching file in `dir`, read whole.
pub fn newest(dir: &Path, matcher: &GlobMatcher) -> Result<(PathBuf, ImportFile)> {
    let files = list(dir, matcher)?;
    let Some(newest) = files.into_iter().next() else {
        return Err(no_match(&dir.display().to_string(), matcher.glob().glob()));
    };
    let path = dir.join(&newest.name);
    let unreadable = |e: std::io::Error| {
        Error::new(Code::Unavailable, format!("Roster could not read {}: {e}. Nothing was imported.", path.display()))
    };
    let bytes = std::fs::read(&path).map_err(unreadable)?;
    // A file still being copied onto the share is not the export yet.
    let after = std::fs::metadata(&path).map_err(unreadable)?;
    if after.len() != bytes.len() as u64 || after.modified().unwrap_or(SystemTime::UNIX_EPOCH) != newest.modified {
        return Err(Error::new(
            Code::Unavailable,
            format!(
                "{} changed while Roster read it (it may still be being copied): nothing was imported. Try again \
                 in a minute.",
                path.display()
            ),
        ));
    }
    Ok((path, ImportFile { name: newest.name, bytes }))
}

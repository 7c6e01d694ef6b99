//! The HRIS feed: reading the company's HR export (CSV), planning what it would change, applying the
//! plan, the sources it comes from (a local folder or an SFTP server) and the record of every run.
pub mod folder;
pub mod sftp;
pub mod source;

/// One HRIS export as read from its source: the file's name and its bytes, not yet decoded.
pub struct ImportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

// Reading, planning and applying files, and the import history.
pub mod apply;
pub mod columns;
pub mod csv;
mod nocase;
pub mod plan;
pub mod runs;
pub mod sync;

pub use apply::{apply_held, discard_held, import, import_actor, plan_held};
pub use columns::{DateFormat, Field, ManagerKey, Mapping};
pub use plan::{
    plan, plan_with, sample, settings, Counts, FieldChange, HeldPerson, Missing, MissingPerson, Plan, PlannedPerson,
    RowError, Sample, Settings, Skipped, StatusChange, Updated,
};
pub use runs::{record_failure, run_detail, runs, Run, RunDetail, RunsPage, Trigger};

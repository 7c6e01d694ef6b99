//! Roster's domain: the workspace file, the company directory, the account lifecycle, each person's
//! history and the audit log. The app (`src-tauri`) and `rosterctl` are thin layers over it.

pub mod access;
pub mod audit;
mod checkpointer;
pub mod company;
pub mod demo;
pub mod directory;
pub mod erase;
pub mod error;
pub mod history;
pub mod holds;
pub mod hris;
pub mod license;
pub mod lifecycle;
pub mod mail;
pub mod merge;
pub mod people;
pub mod review_cycles;
pub mod secrets;
pub mod settings;
pub mod subscription;
pub mod time;
pub mod workspace;

pub use error::{Code, Error, Result};
pub use workspace::Workspace;

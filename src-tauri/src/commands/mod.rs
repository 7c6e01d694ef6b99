//! The Tauri commands, one module per screen. Each takes typed arguments (first of all who is calling:
//! `Signed` or `Admin`), runs the core on a blocking thread and returns its result or its
//! `{ code, message }` error.

pub mod access;
pub mod audit;
pub mod directory;
pub mod erase;
pub mod hris;
pub mod lifecycle;
pub mod mail;
pub mod merge;
pub mod profile;
pub mod subscription;
pub mod workspace;

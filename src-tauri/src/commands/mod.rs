//! The Tauri commands, one module per screen. Each takes typed arguments, runs the core on a
//! blocking thread and returns its result or its `{ code, message }` error.

pub mod audit;
pub mod directory;
pub mod lifecycle;
pub mod profile;
pub mod workspace;

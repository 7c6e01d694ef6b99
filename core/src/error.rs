//! One error type for every core operation: a stable machine code plus a sentence a person can act on.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    NotFound,
    InvalidInput,
    Conflict,
    Forbidden,
    PreconditionFailed,
    Unavailable,
    Internal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::NotFound => "not_found",
            Code::InvalidInput => "invalid_input",
            Code::Conflict => "conflict",
            Code::Forbidden => "forbidden",
            Code::PreconditionFailed => "precondition_failed",
            Code::Unavailable => "unavailable",
            Code::Internal => "internal",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub code: Code,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Error { code, message: message.into() }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(Code::NotFound, message)
    }
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(Code::InvalidInput, message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(Code::Conflict, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(Code::Forbidden, message)
    }
    pub fn precondition_failed(message: impl Into<String>) -> Self {
        Self::new(Code::PreconditionFailed, message)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                Error::new(Code::Unavailable, "The workspace is busy with another change. Try again in a moment.")
            }
            Some(ErrorCode::DiskFull) => {
                Error::new(Code::Unavailable, "The disk is full: nothing was changed. Free some space and try again.")
            }
            Some(ErrorCode::ReadOnly) => {
                Error::new(Code::Unavailable, "The workspace file is read-only: nothing was changed.")
            }
            _ => Error::new(Code::Internal, format!("Workspace error: {err}")),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::new(Code::Unavailable, format!("File error: {err}"))
    }
}

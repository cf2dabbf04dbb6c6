//! The errors a user must fix, each naming the file, line and column at fault.

use std::path::PathBuf;

/// Everything that can stop a run, with the exit code it maps to.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One cell of one input file is wrong.
    #[error("{file} line {line}, column {column}: {message}")]
    Field { file: String, line: u64, column: String, message: String },
    /// A row as a whole is wrong (wrong number of fields, a clash with another row).
    #[error("{file} line {line}: {message}")]
    Row { file: String, line: u64, message: String },
    /// The header lacks columns the file needs; `hint` names the headers
    /// most likely meant ("; closest: opened_at ← created_at?") and how to map them.
    #[error("{file} line {line}: missing required column{plural} {missing}; the header has: {found}{hint}", plural = if missing.contains(',') { "s" } else { "" })]
    MissingColumns { file: String, line: u64, missing: String, found: String, hint: String },
    /// The file as a whole cannot be read as input.
    #[error("{file}: {message}")]
    File { file: String, message: String },
    /// quarterdeck.toml is not what it must be; `line` where the key is found.
    #[error("{file}{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Config {
        file: String,
        line: Option<u64>,
        message: String,
        /// toml's own error, with its span, when the file did not parse.
        #[source]
        source: Option<Box<toml::de::Error>>,
    },
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// Reading or writing a file failed.
    #[error("cannot {action} {}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A template failed to parse or render; Tera's error chain says why.
    #[error("template {name} failed")]
    Template {
        name: String,
        #[source]
        source: Box<tera::Error>,
    },
    /// A polars plan failed: input should not be able to cause this.
    #[error("internal error: a polars computation failed")]
    Polars(#[source] Box<polars::prelude::PolarsError>),
    /// A computation failed in a way that input should not be able to cause.
    #[error("internal error: {0}")]
    Internal(String),
    /// No browser to print the PDF with, or it failed to print.
    #[error("{0}")]
    Browser(String),
}

impl Error {
    /// The process exit code of SPEC §1: 2 for bad input or usage, 3 for the rest.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Field { .. }
            | Error::Row { .. }
            | Error::MissingColumns { .. }
            | Error::File { .. }
            | Error::Config { .. }
            | Error::Usage(_)
            // templates can be overridden from the data folder, so they are input
            | Error::Template { .. } => 2,
            // a missing or failing browser is the machine's trouble, not the input's
            Error::Io { .. } | Error::Polars(_) | Error::Internal(_) | Error::Browser(_) => 3,
        }
    }

    /// Wraps an I/O error with what was being done to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { action, path: path.into(), source }
    }
}

impl From<polars::prelude::PolarsError> for Error {
    fn from(e: polars::prelude::PolarsError) -> Self {
        Error::Polars(Box::new(e))
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

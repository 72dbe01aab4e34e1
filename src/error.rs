//! One error type for the library. Each variant knows its exit code, so the binary has a single
//! place that prints errors and picks the code (0 success, 2 bad usage or input, 1 anything else).
use std::path::PathBuf;

/// Where in an input a problem sits: the file (or stream name) and, when known, the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file or stream name.
    pub source: String,
    /// The 1-based line, when known.
    pub line: Option<u64>,
}

impl Location {
    /// A place in `source`, at `line` when known.
    pub fn new(source: impl Into<String>, line: Option<u64>) -> Self {
        Location { source: source.into(), line }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.source, line),
            None => write!(f, "{}", self.source),
        }
    }
}

/// Everything that can go wrong, each with its exit code ([`Error::exit_code`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's data is wrong: names the file, the line and the problem.
    #[error("{at}: {message}")]
    Input {
        /// Where.
        at: Location,
        /// What is wrong.
        message: String,
    },
    /// The options do not make sense together or are out of range.
    #[error("{0}")]
    Usage(String),
    /// A model file that cannot be used (damaged, other format version, other lexicon).
    #[error("model {path}: {message}")]
    Model {
        /// The model file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// Reading or writing a file (or a stream) failed.
    #[error("{path}: {source}")]
    Io {
        /// The file (or `<stdout>`).
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Something went wrong inside newsprov (a solver failure, a plot backend error).
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// Bad input at `source`, `line`.
    pub fn input(source: impl Into<String>, line: Option<u64>, message: impl Into<String>) -> Self {
        Error::Input { at: Location::new(source, line), message: message.into() }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// An unusable model file.
    pub fn model(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Model { path: path.into(), message: message.into() }
    }

    /// 2 for anything the user can fix in their input or options, 1 for the rest.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. } | Error::Usage(_) | Error::Model { .. } => 2,
            Error::Io { source, .. } => match source.kind() {
                std::io::ErrorKind::NotFound
                | std::io::ErrorKind::PermissionDenied
                | std::io::ErrorKind::InvalidData
                | std::io::ErrorKind::IsADirectory => 2,
                _ => 1,
            },
            Error::Internal(_) => 1,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<linfa::Error> for Error {
    fn from(e: linfa::Error) -> Self {
        Error::Internal(format!("linfa: {e}"))
    }
}

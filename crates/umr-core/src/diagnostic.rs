//! Located diagnostics and the one error model shared by every surface.
//!
//! Every problem found in user input is a [`Diagnostic`]: a stable code, a severity, a
//! message, the file, the field path and the 1-based line and column, plus an optional
//! help text (a "did you mean …" suggestion, for example). Operations that fail return
//! [`UmrError`]; bindings turn it into their native exception with [`UmrError::to_data`],
//! one function per binding.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a diagnostic is. Errors make a record invalid; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The record is invalid.
    Error,
    /// The record is valid but probably not what the author meant.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One located problem in an input document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The file the problem is in, when the input came from a file.
    pub file: Option<String>,
    /// Field path inside the record, e.g. `upstream[0].version` (empty for the document).
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// Stable code, e.g. `E_SEMVER`; listed in `docs/spec.md`.
    pub code: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// A suggestion, when there is one.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error diagnostic at `path` with no location yet.
    pub fn error(code: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            path: path.into(),
            line: None,
            column: None,
            code: code.to_string(),
            severity: Severity::Error,
            message: message.into(),
            help: None,
        }
    }

    /// A new warning diagnostic at `path` with no location yet.
    pub fn warning(code: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, message)
        }
    }

    /// Attach a help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attach a line and column (both 1-based).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Attach a file name.
    pub fn in_file(mut self, file: Option<&str>) -> Self {
        if self.file.is_none() {
            self.file = file.map(str::to_string);
        }
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let (Some(l), Some(c)) = (self.line, self.column) {
                write!(f, ":{l}:{c}")?;
            }
            write!(f, ": ")?;
        } else if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "{l}:{c}: ")?;
        }
        write!(f, "{} [{}]", self.severity, self.code)?;
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(h) = &self.help {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

/// The one error type of the library. Marked non-exhaustive: match on [`UmrError::code`].
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum UmrError {
    /// The input could not be read as a record: syntax or validation errors.
    #[error("{}", summarize(.0))]
    Invalid(Vec<Diagnostic>),
    /// A name or requirement did not resolve to a record.
    #[error("{message}")]
    Resolve {
        /// Stable code (`E_NOT_FOUND`, `E_UNSATISFIED`, `E_MISSING_PARENT`, …).
        code: String,
        /// What failed.
        message: String,
        /// The chain of records that led to the failure, `name@version` each.
        chain: Vec<String>,
    },
    /// The upstream graph has a cycle; `path` names it, e.g. `a@1.0.0 → b@2.1.0 → a@1.0.0`.
    #[error("cycle in upstream relations: {}", .path.join(" → "))]
    Cycle {
        /// The cycle, first element repeated at the end.
        path: Vec<String>,
    },
    /// A file system operation failed.
    #[error("{path}: {message}")]
    Io {
        /// The file or folder.
        path: String,
        /// What failed.
        message: String,
    },
    /// A refused operation (publishing a version that exists, a limit exceeded, …).
    #[error("{message}")]
    Refused {
        /// Stable code.
        code: String,
        /// Why.
        message: String,
    },
    /// A failure inside the library (a bug): never caused by input.
    #[error("internal error: {message}")]
    Internal {
        /// What failed.
        message: String,
    },
    /// A bad argument given to an API call (not a problem in a document).
    #[error("{message}")]
    Argument {
        /// Stable code.
        code: String,
        /// What is wrong.
        message: String,
    },
}

fn summarize(d: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = d.iter().filter(|x| x.is_error()).collect();
    match errors.first() {
        None => "invalid record".to_string(),
        Some(first) if errors.len() == 1 => first.to_string(),
        Some(first) => format!("{first} (and {} more errors)", errors.len() - 1),
    }
}

/// The serialisable shape of an error, identical on every surface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorData {
    /// Error class: `ValidationError`, `ResolveError`, `CycleError`, `IoError`, `RefusedError`,
    /// `ArgumentError`, `InternalError` (a bug in the library; bindings also use it for a
    /// caught panic, code `E_PANIC`).
    pub kind: String,
    /// Stable code of the error (for `Invalid`, the code of the first error diagnostic).
    pub code: String,
    /// Human message.
    pub message: String,
    /// Field path of the first error diagnostic, when there is one.
    pub path: Option<String>,
    /// Line of the first error diagnostic.
    pub line: Option<usize>,
    /// Column of the first error diagnostic.
    pub column: Option<usize>,
    /// Every diagnostic (for `Invalid`).
    pub diagnostics: Vec<Diagnostic>,
    /// The chain or cycle path, for resolution errors.
    pub chain: Vec<String>,
}

impl UmrError {
    /// Shorthand for an I/O error.
    pub fn io(path: impl fmt::Display, err: impl fmt::Display) -> Self {
        UmrError::Io {
            path: path.to_string(),
            message: err.to_string(),
        }
    }

    /// Shorthand for an argument error.
    pub fn argument(code: &str, message: impl Into<String>) -> Self {
        UmrError::Argument {
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// Shorthand for a resolution error.
    pub fn resolve(code: &str, message: impl Into<String>, chain: Vec<String>) -> Self {
        UmrError::Resolve {
            code: code.to_string(),
            message: message.into(),
            chain,
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> String {
        match self {
            UmrError::Invalid(d) => d
                .iter()
                .find(|x| x.is_error())
                .map(|x| x.code.clone())
                .unwrap_or_else(|| "E_INVALID".to_string()),
            UmrError::Resolve { code, .. }
            | UmrError::Refused { code, .. }
            | UmrError::Argument { code, .. } => code.clone(),
            UmrError::Cycle { .. } => "E_CYCLE".to_string(),
            UmrError::Internal { .. } => "E_INTERNAL".to_string(),
            UmrError::Io { .. } => "E_IO".to_string(),
        }
    }

    /// The error class name used by the bindings.
    pub fn kind(&self) -> &'static str {
        match self {
            UmrError::Invalid(_) => "ValidationError",
            UmrError::Resolve { .. } => "ResolveError",
            UmrError::Cycle { .. } => "CycleError",
            UmrError::Io { .. } => "IoError",
            UmrError::Refused { .. } => "RefusedError",
            UmrError::Argument { .. } => "ArgumentError",
            UmrError::Internal { .. } => "InternalError",
        }
    }

    /// The diagnostics carried by this error (empty unless `Invalid`).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            UmrError::Invalid(d) => d,
            _ => &[],
        }
    }

    /// Convert to the serialisable shape shared by every binding.
    pub fn to_data(&self) -> ErrorData {
        let first = self.diagnostics().iter().find(|d| d.is_error());
        ErrorData {
            kind: self.kind().to_string(),
            code: self.code(),
            message: self.to_string(),
            path: first.map(|d| d.path.clone()),
            line: first.and_then(|d| d.line),
            column: first.and_then(|d| d.column),
            diagnostics: self.diagnostics().to_vec(),
            chain: match self {
                UmrError::Resolve { chain, .. } => chain.clone(),
                UmrError::Cycle { path } => path.clone(),
                _ => Vec::new(),
            },
        }
    }
}

/// Result alias used throughout the crate.
pub type Result<T, E = UmrError> = std::result::Result<T, E>;

/// The closest candidate to `word` among `candidates`, if one is close enough to suggest.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lw = word.to_ascii_lowercase().replace(['-', ' '], "_");
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let close = if c == lw {
            Some(1.0)
        } else if lw.chars().count() <= 4 || c.chars().count() <= 4 {
            // short words: one edit at most (`nope` is not `pope`'s misspelling; `modl` is `model`'s)
            (strsim::levenshtein(&lw, &c.to_ascii_lowercase()) <= 1 && lw.chars().count() > 2)
                .then(|| strsim::jaro_winkler(&lw, c))
        } else {
            Some(strsim::jaro_winkler(&lw, c)).filter(|s| *s > 0.85)
        };
        if let Some(score) = close {
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((c, score));
            }
        }
    }
    best.map(|(c, _)| c)
}

//! # umr-core
//!
//! Unified Model Records: a machine-readable record for every ML model, model family and
//! dataset, with explicit provenance. This crate holds all behaviour; the Python, Node and
//! WebAssembly packages and the `umr` command line are thin layers over it.
//!
//! ```
//! use umr_core::{Record, LoadOptions};
//! let rec = Record::from_yaml_str(
//!     "format_version: '1.0'\nkind: model\nname: demo\nversion: 1.0.0\n",
//!     &LoadOptions::default(),
//! )?;
//! assert_eq!(rec.id(), "demo@1.0.0");
//! # Ok::<(), umr_core::UmrError>(())
//! ```

pub mod diagnostic;
pub mod evolution;
pub mod fsutil;
pub mod interop;
pub mod legacy;
pub mod limits;
pub mod lineage;
pub mod lock;
pub mod merge;
pub mod model;
pub mod names;
mod par;
pub mod path;
pub mod record;
pub mod registry;
pub mod render;
pub mod risk;
mod scan;
pub mod schema;
pub mod score;
pub mod validate;
pub mod yaml;

pub use diagnostic::{Diagnostic, ErrorData, Result, Severity, UmrError};
pub use limits::Limits;
pub use lineage::Lineage;
pub use lock::Lock;
pub use model::{Kind, Policy, RecordData, RelationKind};
pub use record::{check_file, check_text, Checked, LoadOptions, Record, Relation, Syntax};
pub use registry::{Effective, EffectiveRef, Registry};
pub use risk::{Affected, Exposure};

// docs/rust.md (the guide for Rust users) as doctests: `cfg(doctest)` is set only while
// rustdoc collects doctests, so a build of the packaged crate (which has no docs/) never
// reads the file.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/rust.md")]
pub struct RustGuide;

/// The crate version (also the version of every binding).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

//! Resource limits applied to untrusted input. The same defaults on every surface.

use serde::{Deserialize, Serialize};

/// Limits for parsing and loading. `Limits::default()` is what every surface uses unless
/// the caller passes other values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Largest record file, in bytes (default 8 MiB).
    pub max_file_bytes: usize,
    /// Deepest nesting of mappings and sequences (default 64).
    pub max_depth: usize,
    /// Most nodes a document may expand to, aliases included (default 200,000): this is
    /// what stops a YAML alias bomb.
    pub max_nodes: usize,
    /// Longest string value, in bytes (default 1 MiB).
    pub max_string_bytes: usize,
    /// Most records in one registry (default 2,000,000).
    pub max_records: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 8 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 200_000,
            max_string_bytes: 1024 * 1024,
            max_records: 2_000_000,
        }
    }
}

//! Resource limits applied to untrusted input. The same defaults on every surface.

use crate::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    /// Most bytes of scalars and keys a document may expand to, aliases included (default
    /// 16 MiB, twice the largest file): this is what stops an alias bomb made of a few
    /// large strings repeated many times.
    pub max_expanded_bytes: usize,
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
            max_expanded_bytes: 16 * 1024 * 1024,
            max_records: 2_000_000,
        }
    }
}

/// Drop a value without recursion: `serde_json::Value`'s own `Drop` recurses once per
/// nesting level, which overflows the stack on a value nested hundreds of thousands of
/// levels deep (such a value can be built in memory, and is refused by
/// [`check_value_limits`]; it must still be freed safely).
pub fn drop_iteratively(v: Value) {
    let mut stack = vec![v];
    while let Some(mut x) = stack.pop() {
        match &mut x {
            Value::Array(a) => stack.append(a),
            Value::Object(m) => {
                let m = std::mem::take(m);
                stack.extend(m.into_iter().map(|(_, v)| v));
            }
            _ => {}
        }
    }
}

/// Apply the limits to a value built in memory (a Python dict, a JS object): depth, node
/// count and string size, as the parser does for text. Iterative, so a hostile value cannot
/// overflow the stack. Returns the first limit exceeded.
pub fn check_value_limits(v: &Value, limits: &Limits) -> Option<Diagnostic> {
    let mut stack: Vec<(&Value, usize)> = vec![(v, 0)];
    let mut nodes = 0usize;
    while let Some((x, depth)) = stack.pop() {
        nodes += 1;
        if nodes > limits.max_nodes {
            return Some(Diagnostic::error(
                "E_LIMIT_NODES",
                "",
                format!("document has more than {} nodes; refused", limits.max_nodes),
            ));
        }
        match x {
            Value::String(s) if s.len() > limits.max_string_bytes => {
                return Some(Diagnostic::error(
                    "E_LIMIT_STRING",
                    "",
                    format!(
                        "string of {} bytes exceeds the limit of {} bytes",
                        s.len(),
                        limits.max_string_bytes
                    ),
                ));
            }
            Value::Array(items) => {
                if depth + 1 > limits.max_depth {
                    return Some(depth_error(limits));
                }
                stack.extend(items.iter().map(|i| (i, depth + 1)));
            }
            Value::Object(m) => {
                if depth + 1 > limits.max_depth {
                    return Some(depth_error(limits));
                }
                for (k, i) in m {
                    if k.len() > limits.max_string_bytes {
                        return Some(Diagnostic::error(
                            "E_LIMIT_STRING",
                            "",
                            "mapping key exceeds the string limit",
                        ));
                    }
                    stack.push((i, depth + 1));
                }
            }
            _ => {}
        }
    }
    None
}

fn depth_error(limits: &Limits) -> Diagnostic {
    Diagnostic::error(
        "E_LIMIT_DEPTH",
        "",
        format!("nesting deeper than {} levels; refused", limits.max_depth),
    )
}

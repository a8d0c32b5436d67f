//! Lock files: every resolved (name, version) pinned with a content digest, so that a
//! publication is reproducible.
//!
//! `umr.lock` is JSON:
//! ```json
//! {
//!   "lock_version": 1,
//!   "records": {
//!     "plip@1.0.0": {
//!       "digest": "sha256:…",
//!       "upstream": [{"requirement": "clip", "resolved": "clip@1.0.0", "index": 0}]
//!     }
//!   }
//! }
//! ```
//! Resolving with a lock uses the pinned version of every upstream relation (by position);
//! [`drift`] reports what differs between a lock and the registry as it is now.

use crate::diagnostic::{Result, UmrError};
use crate::record::Record;
use crate::registry::Registry;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The lock format version.
pub const LOCK_VERSION: u32 = 1;

/// A lock: resolved upstreams and digests of every record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    /// Format version of the lock file (1).
    pub lock_version: u32,
    /// Entries by `name@version`, sorted.
    pub records: BTreeMap<String, LockEntry>,
}

/// One locked record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockEntry {
    /// `sha256:` digest of the record's compact JSON (see [`digest`]).
    pub digest: String,
    /// Resolved upstream relations, in the order of the record's `upstream` list.
    #[serde(default)]
    pub upstream: Vec<LockedUpstream>,
}

/// One resolved upstream relation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedUpstream {
    /// The requirement as written (`name` plus requirement).
    pub requirement: String,
    /// The record it resolved to, `name@version`.
    pub resolved: String,
    /// Position in the record's `upstream` list.
    pub index: usize,
}

/// A difference between a lock and the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drift {
    /// `name@version` of the record concerned.
    pub record: String,
    /// `added`, `removed`, `changed` (digest differs) or `upstream` (resolves differently).
    pub kind: String,
    /// What differs.
    pub message: String,
}

/// The digest of a record: SHA-256 of its compact JSON, keys in the order written (key
/// order is part of a record's content: it round-trips).
pub fn digest(r: &Record) -> String {
    let text = serde_json::to_string(r.value()).unwrap_or_default();
    let h = Sha256::digest(text.as_bytes());
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in h {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The largest lock file read (512 MiB: some 2 million entries, the record limit).
pub const MAX_LOCK_BYTES: usize = 512 * 1024 * 1024;

impl Lock {
    /// Read a lock file through the bounded reader ([`crate::fsutil::read_limited`]): at
    /// most [`MAX_LOCK_BYTES`]; devices and FIFOs refused (`E_NOT_A_FILE`); with
    /// [`ReadFrom::Registry`](crate::fsutil::ReadFrom::Registry) (the lock file of a
    /// registry) a link leading outside the registry root is refused (`E_SYMLINK_ESCAPE`).
    pub fn read(path: &std::path::Path, from: crate::fsutil::ReadFrom<'_>) -> Result<Lock> {
        let bytes = crate::fsutil::read_limited(path, MAX_LOCK_BYTES, from)?;
        let text = std::str::from_utf8(&bytes).map_err(|e| UmrError::Refused {
            code: "E_LOCK".into(),
            message: format!("{}: invalid lock file: {e}", path.display()),
        })?;
        Self::from_json(text)
    }

    /// Parse a lock file.
    pub fn from_json(text: &str) -> Result<Lock> {
        let l: Lock = serde_json::from_str(text).map_err(|e| UmrError::Refused {
            code: "E_LOCK".into(),
            message: format!("invalid lock file: {e}"),
        })?;
        if l.lock_version != LOCK_VERSION {
            return Err(UmrError::Refused {
                code: "E_LOCK".into(),
                message: format!("unsupported lock_version {}", l.lock_version),
            });
        }
        Ok(l)
    }

    /// Canonical JSON text of the lock.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The pinned upstream of a record's relation, matched by position and requirement
    /// text (a relation whose requirement was edited or moved is not pinned: it resolves
    /// afresh and `drift` reports it).
    pub fn pinned(&self, id: &str, index: usize, requirement: &str) -> Option<&str> {
        self.records
            .get(id)?
            .upstream
            .iter()
            .find(|u| u.index == index && u.requirement == requirement)
            .map(|u| u.resolved.as_str())
    }

    /// Make a lock of a registry as resolved now.
    pub fn of(reg: &Registry) -> Lock {
        let mut records = BTreeMap::new();
        for i in 0..reg.len() {
            let r = reg.record(i);
            let upstream = reg
                .edges(i)
                .iter()
                .map(|e| LockedUpstream {
                    requirement: reg.requirement_of(i, e),
                    resolved: reg.parent_id(e),
                    index: e.index,
                })
                .collect();
            records.insert(
                r.id(),
                LockEntry {
                    digest: digest(r),
                    upstream,
                },
            );
        }
        Lock {
            lock_version: LOCK_VERSION,
            records,
        }
    }
}

/// Differences between `lock` and the registry `reg` resolved without a lock.
pub fn drift(lock: &Lock, reg: &Registry) -> Vec<Drift> {
    let now = Lock::of(reg);
    let mut out = Vec::new();
    for (id, old) in &lock.records {
        match now.records.get(id) {
            None => out.push(Drift {
                record: id.clone(),
                kind: "removed".into(),
                message: format!("{id} is locked but no longer in the registry"),
            }),
            Some(cur) => {
                if cur.digest != old.digest {
                    out.push(Drift {
                        record: id.clone(),
                        kind: "changed".into(),
                        message: format!(
                            "{id} changed since it was locked ({} → {})",
                            old.digest, cur.digest
                        ),
                    });
                }
                for u in &old.upstream {
                    let c = cur.upstream.iter().find(|x| x.index == u.index);
                    match c {
                        Some(c) if c.resolved == u.resolved => {}
                        Some(c) => out.push(Drift {
                            record: id.clone(),
                            kind: "upstream".into(),
                            message: format!(
                                "{id}: `{}` is locked to {} but now resolves to {}",
                                u.requirement, u.resolved, c.resolved
                            ),
                        }),
                        None => out.push(Drift {
                            record: id.clone(),
                            kind: "upstream".into(),
                            message: format!(
                                "{id}: `{}` is locked to {} but no longer resolves",
                                u.requirement, u.resolved
                            ),
                        }),
                    }
                }
            }
        }
    }
    for id in now.records.keys() {
        if !lock.records.contains_key(id) {
            out.push(Drift {
                record: id.clone(),
                kind: "added".into(),
                message: format!("{id} is not in the lock"),
            });
        }
    }
    out
}

//! Names, versions, version requirements and the short upstream form.

use semver::{Version, VersionReq};

/// Longest name segment.
pub const MAX_NAME_SEGMENT: usize = 96;

/// Check a record name: `name` or `org/name`, each segment starting with a letter or digit
/// and made of letters, digits, `.`, `_`, `-`; no `..`; at most 96 characters a segment.
/// Names become file paths, so anything that could escape a registry root is refused.
pub fn check_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("name is empty".into());
    }
    if s.starts_with('/') || s.starts_with('\\') {
        return Err(format!("name `{s}` is an absolute path"));
    }
    if s.contains("..") {
        return Err(format!("name `{s}` contains `..`"));
    }
    let segs: Vec<&str> = s.split('/').collect();
    if segs.len() > 2 {
        return Err(format!(
            "name `{s}` has more than one `/` (only `org/name` is allowed)"
        ));
    }
    for seg in segs {
        if seg.is_empty() {
            return Err(format!("name `{s}` has an empty segment"));
        }
        if seg.len() > MAX_NAME_SEGMENT {
            return Err(format!(
                "name segment longer than {MAX_NAME_SEGMENT} characters"
            ));
        }
        let mut chars = seg.chars();
        if !chars.next().is_some_and(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "name `{s}` must start each segment with a letter or digit"
            ));
        }
        if let Some(bad) = seg
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(format!(
                "name `{s}` contains `{}`; use letters, digits, `.`, `_`, `-`",
                bad.escape_default()
            ));
        }
    }
    Ok(())
}

/// Parse a semantic version, with a helpful message.
pub fn parse_version(s: &str) -> Result<Version, String> {
    Version::parse(s).map_err(|e| {
        let parts = s.split('.').count();
        if parts < 3
            && s.split('.')
                .all(|p| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty())
        {
            format!(
                "`{s}` is not a semantic version ({e}); write it as `{s}{}`",
                ".0".repeat(3 - parts)
            )
        } else {
            format!("`{s}` is not a semantic version: {e}")
        }
    })
}

/// Parse a version requirement: the semver crate's syntax (`>=1.0`, `^1.2`, `~1.2.3`,
/// `1.*`, `>=1, <2`, `=1.2.0`; a bare `1.2.3` means `^1.2.3` as in Cargo) plus the
/// prototype's `==1.2.0` (exactly). Empty and `*` mean any release.
pub fn parse_req(s: &str) -> Result<VersionReq, String> {
    let t = s.trim();
    if t.is_empty() || t == "*" {
        return Ok(VersionReq::STAR);
    }
    let normalised: String = t
        .split(',')
        .map(|p| {
            let p = p.trim();
            match p.strip_prefix("==") {
                Some(rest) => format!("={}", rest.trim()),
                None => p.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    VersionReq::parse(&normalised)
        .map_err(|e| format!("`{s}` is not a valid version requirement: {e}"))
}

/// A parsed short upstream reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortRef {
    /// The record name as written (for `bloom-1b1-1.0.0`, the whole string).
    pub name: String,
    /// The requirement text (`*` when none was given).
    pub req: String,
    /// For a bare `name-1.2.0`: the alternative reading (`name`, exactly `1.2.0`), used
    /// when no record carries the whole string as its name.
    pub exact: Option<(String, Version)>,
}

/// Parse the short form: `name`, `name>=1.0.0`, `name==1.2.0`, `name^1.2`, `name@>=1.0`,
/// `name@1.2.0`, or `name-1.2.0` (exactly that version when no record is named so).
pub fn parse_short(s: &str) -> Result<ShortRef, String> {
    let s = s.trim();
    let (name, req) = if let Some(at) = s.find('@') {
        (&s[..at], s[at + 1..].trim())
    } else {
        let cut = s
            .find(['<', '>', '=', '^', '~', '*', ' ', ','])
            .unwrap_or(s.len());
        (&s[..cut], s[cut..].trim())
    };
    check_name(name)?;
    let req_text = if req.is_empty() {
        "*".to_string()
    } else {
        req.to_string()
    };
    // `name@1.2.0` means exactly that version
    let req_text = if s.contains('@') && Version::parse(&req_text).is_ok() {
        format!("={req_text}")
    } else {
        req_text
    };
    parse_req(&req_text)?;
    let exact = if req.is_empty() {
        split_exact(name)
    } else {
        None
    };
    Ok(ShortRef {
        name: name.to_string(),
        req: req_text,
        exact,
    })
}

fn split_exact(name: &str) -> Option<(String, Version)> {
    for (i, c) in name.char_indices() {
        if c == '-' && i > 0 {
            let (head, tail) = (&name[..i], &name[i + 1..]);
            if let Ok(v) = Version::parse(tail) {
                if check_name(head).is_ok() {
                    return Some((head.to_string(), v));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(check_name("meta-llama/Llama-2-7b").is_ok());
        assert!(check_name("LLaVA-1.6-Vicuna-13B").is_ok());
        assert!(check_name("../etc/passwd").is_err());
        assert!(check_name("/etc").is_err());
        assert!(check_name("a/b/c").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name(&"a".repeat(97)).is_err());
    }

    #[test]
    fn short_forms() {
        let r = parse_short("llama2>=1.0.0").ok();
        assert_eq!(
            r.map(|r| (r.name, r.req)),
            Some(("llama2".into(), ">=1.0.0".into()))
        );
        let r = parse_short("test==1.2.0").ok();
        assert_eq!(r.map(|r| r.req), Some("==1.2.0".into()));
        let r = parse_short("bloom-1b1-1.0.0").ok();
        assert_eq!(
            r.and_then(|r| r.exact).map(|(n, v)| (n, v.to_string())),
            Some(("bloom-1b1".into(), "1.0.0".into()))
        );
        assert!(parse_short("mt0-xxl")
            .ok()
            .is_some_and(|r| r.exact.is_none()));
        let r = parse_short("org/x@1.2.3").ok();
        assert_eq!(r.map(|r| r.req), Some("=1.2.3".into()));
        assert!(parse_short("x>=banana").is_err());
    }

    #[test]
    fn reqs() {
        let r = parse_req("==1.2.0").ok();
        assert!(r.is_some_and(
            |r| r.matches(&Version::new(1, 2, 0)) && !r.matches(&Version::new(1, 2, 1))
        ));
        assert!(parse_req(">=1.0, <2").is_ok());
        assert!(parse_version("1.0")
            .err()
            .is_some_and(|e| e.contains("1.0.0")));
    }
}

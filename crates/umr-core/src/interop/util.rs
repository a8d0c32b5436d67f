//! Small helpers shared by the interop formats.

use crate::names;
use serde_json::Value;

/// A slug: letters, digits, `.`, `_`, `-` kept (lower-cased), anything else becomes `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

fn clean_segment(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.replace("..", ".");
    let out = out.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let out = out.trim_end_matches('-');
    out.chars().take(names::MAX_NAME_SEGMENT).collect()
}

/// A UMR record name for a Hugging Face repository id (`org/name` or `name`): the id itself
/// when it is a valid record name (`exact` = true), else a cleaned form; None when nothing
/// usable is left.
pub fn hub_name(id: &str) -> Option<(String, bool)> {
    let id = id.trim();
    if names::check_name(id).is_ok() {
        return Some((id.to_string(), true));
    }
    let id = id
        .strip_prefix("https://huggingface.co/")
        .or_else(|| id.strip_prefix("hf.co/"))
        .unwrap_or(id);
    let id = id.strip_prefix("datasets/").unwrap_or(id);
    let segs: Vec<String> = id
        .split('/')
        .map(clean_segment)
        .filter(|s| !s.is_empty())
        .collect();
    let name = match segs.len() {
        0 => return None,
        1 => segs[0].clone(),
        n => format!("{}/{}", segs[n - 2], segs[n - 1]),
    };
    names::check_name(&name).ok().map(|_| (name, false))
}

/// A version string as a semantic version: kept when valid, `1.4` → `1.4.0`, `v2` → `2.0.0`;
/// None when it cannot be read as one.
pub fn semver_of(s: &str) -> Option<String> {
    let t = s.trim().trim_start_matches(['v', 'V']);
    if names::parse_version(t).is_ok() {
        return Some(t.to_string());
    }
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() < 10 && p.chars().all(|c| c.is_ascii_digit()))
    {
        let mut p: Vec<String> = parts
            .iter()
            .map(|x| x.parse::<u64>().map(|n| n.to_string()).unwrap_or_default())
            .collect();
        while p.len() < 3 {
            p.push("0".into());
        }
        return Some(p.join("."));
    }
    None
}

/// Free text (`Text`: a string or a list of strings) as Markdown: a list becomes bullets.
pub fn text_markdown(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Array(a) if !a.is_empty() => Some(
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| format!("- {s}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        _ => None,
    }
}

/// Free text as a list of paragraphs.
pub fn text_items(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// A scalar as display text.
pub fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Refuse value trees nested deeper than `max` (checked without recursion), so that an
/// export of a hand-built value cannot exhaust the stack.
pub fn check_depth(v: &Value, max: usize) -> crate::diagnostic::Result<()> {
    let mut stack = vec![(v, 0usize)];
    while let Some((x, d)) = stack.pop() {
        if d > max {
            return Err(crate::diagnostic::UmrError::Refused {
                code: "E_LIMIT_DEPTH".into(),
                message: format!("value nested deeper than {max} levels; refused"),
            });
        }
        match x {
            Value::Array(a) => stack.extend(a.iter().map(|y| (y, d + 1))),
            Value::Object(m) => stack.extend(m.values().map(|y| (y, d + 1))),
            _ => {}
        }
    }
    Ok(())
}

/// Check a timestamp `YYYY-MM-DDThh:mm:ssZ` (the form SPDX 3 requires).
pub fn check_timestamp(s: &str) -> crate::diagnostic::Result<()> {
    let b = s.as_bytes();
    let shape = b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if shape
        && crate::validate::check_date(&s[..10]).is_ok()
        && &s[11..13] < "24"
        && &s[14..16] < "60"
        && &s[17..19] < "61"
    {
        Ok(())
    } else {
        Err(crate::diagnostic::UmrError::argument(
            "E_TIMESTAMP",
            format!("`{s}` is not a timestamp of the form YYYY-MM-DDThh:mm:ssZ"),
        ))
    }
}

/// A deterministic UUID (RFC 4122 layout, version 5 bits) from the SHA-256 of `data`.
pub fn uuid_from(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(data);
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The current UTC time as `YYYY-MM-DDThh:mm:ssZ` (the Unix epoch on targets without a
/// clock, such as wasm32-unknown-unknown).
pub fn now_utc() -> String {
    #[cfg(not(target_arch = "wasm32"))]
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    #[cfg(target_arch = "wasm32")]
    let secs = 0u64;
    timestamp(secs)
}

/// Seconds since the Unix epoch as `YYYY-MM-DDThh:mm:ssZ`.
pub fn timestamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // civil from days (Howard Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A release date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) as a timestamp at midnight UTC.
pub fn date_time(date: &str) -> Option<String> {
    crate::validate::check_date(date).ok()?;
    Some(match date.len() {
        4 => format!("{date}-01-01T00:00:00Z"),
        7 => format!("{date}-01T00:00:00Z"),
        _ => format!("{date}T00:00:00Z"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(
            hub_name("meta-llama/Llama-2-7b"),
            Some(("meta-llama/Llama-2-7b".into(), true))
        );
        assert_eq!(hub_name("a b"), Some(("a-b".into(), false)));
        assert_eq!(hub_name("./local"), Some(("local".into(), false)));
        assert_eq!(semver_of("1.4").as_deref(), Some("1.4.0"));
        assert_eq!(semver_of("1337").as_deref(), Some("1337.0.0"));
        assert_eq!(semver_of("abc"), None);
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(1_709_683_200), "2024-03-06T00:00:00Z");
        assert_eq!(uuid_from(b"x").len(), 36);
    }
}

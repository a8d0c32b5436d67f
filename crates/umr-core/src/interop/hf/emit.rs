//! A YAML emitter for card front matter that reads back the same under YAML 1.2 (this
//! crate) and YAML 1.1 (PyYAML, which `huggingface_hub` and the Hub use): block style with
//! sequences at their key's indentation (as `huggingface_hub` writes them), strings plain
//! only when no resolver of either version could read them as anything else, floats always
//! with a decimal point and a signed exponent.

use serde_json::{Map, Value};

/// Emit a mapping as front-matter YAML (no `---` lines).
pub(crate) fn front_matter(m: &Map<String, Value>) -> String {
    let mut out = String::new();
    emit_map(&mut out, m, 0);
    out
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn emit_map(out: &mut String, m: &Map<String, Value>, ind: usize) {
    for (k, v) in m {
        pad(out, ind);
        out.push_str(&key(k));
        out.push(':');
        emit_value_after_key(out, v, ind);
    }
}

fn emit_value_after_key(out: &mut String, v: &Value, ind: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            emit_map(out, m, ind + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            emit_seq(out, a, ind);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, ind + 2));
            out.push('\n');
        }
    }
}

fn emit_seq(out: &mut String, a: &[Value], ind: usize) {
    for v in a {
        pad(out, ind);
        out.push('-');
        match v {
            Value::Object(m) if !m.is_empty() => {
                let mut first = true;
                for (k, vv) in m {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        pad(out, ind + 2);
                    }
                    out.push_str(&key(k));
                    out.push(':');
                    emit_value_after_key(out, vv, ind + 2);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                emit_seq(out, inner, ind + 2);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other, ind + 2));
                out.push('\n');
            }
        }
    }
}

/// Keys are text in a record, but a card may use integer keys (`dataset_info` class
/// labels: `0: O`); a key that is a canonical integer is written plain, so PyYAML reads the
/// integer the card had (this crate reads keys as text either way).
fn int_key(k: &str) -> bool {
    let d = k.strip_prefix('-').unwrap_or(k);
    !d.is_empty()
        && d.len() < 19
        && d.bytes().all(|b| b.is_ascii_digit())
        && (d == "0" || !d.starts_with('0'))
        && k != "-0"
}

fn key(k: &str) -> String {
    if int_key(k) || (plain_ok(k) && k.len() <= 1000) {
        k.to_string()
    } else {
        quoted(k)
    }
}

fn scalar(v: &Value, ind: usize) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => string(s, ind),
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

/// A number both YAML versions read as the same number: integers as they are; floats with a
/// `.` in the mantissa and a signed exponent (`1e-5` → `1.0e-5`).
pub(crate) fn number(n: &serde_json::Number) -> String {
    let s = n.to_string();
    if !n.is_f64() {
        return s;
    }
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s.as_str(), None),
    };
    let mut out = mant.to_string();
    if !out.contains('.') {
        out.push_str(".0");
    }
    if let Some(e) = exp {
        out.push('e');
        if !e.starts_with(['-', '+']) {
            out.push('+');
        }
        out.push_str(e);
    }
    out
}

fn string(s: &str, ind: usize) -> String {
    if plain_ok(s) {
        return s.to_string();
    }
    if s.contains('\n') && block_ok(s) {
        let mut out = String::from("|");
        let body = s.strip_suffix('\n').unwrap_or(s);
        if !s.ends_with('\n') {
            out.push('-');
        } else if body.ends_with('\n') {
            out.push('+');
        }
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                pad(&mut out, ind);
                out.push_str(line);
            }
        }
        return out;
    }
    quoted(s)
}

fn special_char(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{feff}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn block_ok(s: &str) -> bool {
    let first = s.split('\n').next().unwrap_or("");
    !first.starts_with([' ', '\t'])
        && !s.chars().any(|c| special_char(c) || c == '\t')
        && !s.split('\n').any(|l| l.ends_with([' ', '\t']))
        && !s.ends_with("\n\n\n")
        && !s.starts_with('\n')
}

fn quoted(s: &str) -> String {
    if !s
        .chars()
        .any(|c| c.is_control() || special_char(c) || c == '\'')
    {
        return format!("'{s}'");
    }
    // JSON string escapes are valid YAML double-quoted escapes
    serde_json::to_string(s).unwrap_or_else(|_| "''".to_string())
}

/// Words YAML 1.1 resolves to booleans or null.
const YAML11_WORDS: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
];

/// Whether `s` can be written plain and read back as the same string by YAML 1.1 and 1.2.
pub(crate) fn plain_ok(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    // numbers, dates, sexagesimals, .inf/.nan and other resolver-sensitive forms
    if first.is_ascii_digit() || matches!(first, '+' | '.' | '<' | '=') {
        return false;
    }
    if first == '-'
        && s.chars()
            .nth(1)
            .is_none_or(|c| c.is_ascii_digit() || c == '.' || c == ' ')
    {
        return false;
    }
    if "?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if YAML11_WORDS.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    if !matches!(crate::yaml::resolve_plain(s), Value::String(_)) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    if s.contains(['[', ']', '{', '}', ',']) {
        return false;
    }
    if s == "---" || s == "..." {
        return false;
    }
    !s.chars().any(|c| c.is_control() || special_char(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_back() {
        let v = json!({
            "language": ["en", "no", "yes"],
            "license": "mit",
            "n": 1.5, "e": 1e-5, "big": 1e21, "i": 20220120, "date": "2024-01-01",
            "odd": "-license", "k: v": "a # b", "multi": "a\nb\n", "q": "it's",
            "empty": [], "emo": {}, "nul": null, "t": true, "sex": "1:20", "u": "1_000",
            "model-index": [{"name": "x", "results": [{"metrics": [{"type": "acc", "value": 0.9}]}]}]
        });
        let Value::Object(m) = &v else { return };
        let text = front_matter(m);
        let back = crate::yaml::parse(&text, &crate::Limits::default()).map(|p| p.value);
        assert_eq!(back.ok(), Some(v), "{text}");
        assert!(text.contains("language:\n- en\n- 'no'\n"), "{text}");
        assert!(text.contains("big: 1.0e+21"), "{text}");
        assert!(text.contains("date: '2024-01-01'"), "{text}");
    }
}

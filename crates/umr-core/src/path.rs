//! Field paths: `upstream[0].version`, `extensions["a.b"]`.

use std::fmt::Write;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// Render a path given as segments.
pub fn render(segs: &[Seg]) -> String {
    let mut out = String::new();
    for s in segs {
        push(&mut out, s);
    }
    out
}

/// Append one segment to a rendered path.
pub fn push(out: &mut String, seg: &Seg) {
    match seg {
        Seg::Index(i) => {
            let _ = write!(out, "[{i}]");
        }
        Seg::Key(k) => {
            let plain = !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if plain {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            } else {
                let quoted = serde_json::to_string(k).unwrap_or_default();
                let _ = write!(out, "[{quoted}]");
            }
        }
    }
}

/// `parent` + key.
pub fn key(parent: &str, k: &str) -> String {
    let mut s = parent.to_string();
    push(&mut s, &Seg::Key(k.to_string()));
    s
}

/// `parent` + index.
pub fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// Parse a rendered path back into segments (the inverse of [`render`]).
pub fn parse(path: &str) -> Option<Vec<Seg>> {
    let mut segs = Vec::new();
    let b = path.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => i += 1,
            b'[' => {
                let rest = &path[i + 1..];
                if rest.starts_with('"') {
                    // JSON string up to the matching quote followed by ']'
                    let mut de = serde_json::Deserializer::from_str(rest).into_iter::<String>();
                    let s = de.next()?.ok()?;
                    let used = de.byte_offset();
                    if rest.as_bytes().get(used) != Some(&b']') {
                        return None;
                    }
                    segs.push(Seg::Key(s));
                    i += 1 + used + 1;
                } else {
                    let end = rest.find(']')?;
                    segs.push(Seg::Index(rest[..end].parse().ok()?));
                    i += 1 + end + 1;
                }
            }
            _ => {
                let rest = &path[i..];
                let end = rest.find(['.', '[']).unwrap_or(rest.len());
                segs.push(Seg::Key(rest[..end].to_string()));
                i += end;
            }
        }
    }
    Some(segs)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn round_trip() {
        let segs = vec![
            Seg::Key("upstream".into()),
            Seg::Index(2),
            Seg::Key("a.b c".into()),
            Seg::Key("x".into()),
        ];
        let s = render(&segs);
        assert_eq!(s, "upstream[2][\"a.b c\"].x");
        assert_eq!(parse(&s), Some(segs));
    }
}

//! Validation of a record value tree against the field table. Reports every problem, not
//! just the first, each with a stable code and a field path (the caller adds the location).

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::model::{Field, Ty, ANSWER_FIELDS, RECORD_FIELDS, RELATION_FIELDS};
use crate::names;
use crate::path;
use serde_json::{Map, Value};

/// Validate a native record value. Returns every diagnostic (errors and warnings) with
/// field paths; locations are added by the caller from the source map.
pub fn validate_value(v: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match v {
        Value::Object(m) => {
            check_object(m, RECORD_FIELDS, &P::Root, &mut out);
            if let Some(Value::String(fv)) = m.get("format_version") {
                // `1` or `1.<minor>`: every 1.x minor version is read by this library
                let ok = match fv.split_once('.') {
                    None => fv == "1",
                    Some((major, minor)) => {
                        major == "1"
                            && !minor.is_empty()
                            && minor.bytes().all(|b| b.is_ascii_digit())
                    }
                };
                if !ok {
                    out.push(
                        Diagnostic::error(
                            "E_FORMAT_VERSION",
                            "format_version",
                            format!("unsupported format version `{fv}`; this library reads 1.x"),
                        )
                        .with_help("set format_version: '1.0'"),
                    );
                }
            }
            semantic_checks(m, &mut out);
        }
        Value::Null => out.push(Diagnostic::error("E_EMPTY", "", "the document is empty").at(1, 1)),
        other => out.push(Diagnostic::error(
            "E_TYPE",
            "",
            format!("a record must be a mapping, found {}", type_name(other)),
        )),
    }
    out
}

/// A field path built without allocating; rendered only when a diagnostic needs it.
#[derive(Debug, Clone, Copy)]
enum P<'a> {
    Root,
    Key(&'a P<'a>, &'a str),
    Index(&'a P<'a>, usize),
}

impl<'a> P<'a> {
    fn key(&'a self, k: &'a str) -> P<'a> {
        P::Key(self, k)
    }
    fn index(&'a self, i: usize) -> P<'a> {
        P::Index(self, i)
    }
    fn is_root(&self) -> bool {
        matches!(self, P::Root)
    }
    fn render(&self) -> String {
        let mut segs = Vec::new();
        let mut cur = self;
        loop {
            match cur {
                P::Root => break,
                P::Key(parent, k) => {
                    segs.push(path::Seg::Key((*k).to_string()));
                    cur = parent;
                }
                P::Index(parent, i) => {
                    segs.push(path::Seg::Index(*i));
                    cur = parent;
                }
            }
        }
        segs.reverse();
        path::render(&segs)
    }
}

/// The JSON type name of a value, for messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn check_object(m: &Map<String, Value>, fields: &[Field], at: &P<'_>, out: &mut Vec<Diagnostic>) {
    for field in fields {
        if field.required && m.get(field.key).is_none_or(Value::is_null) {
            out.push(Diagnostic::error(
                "E_REQUIRED",
                at.key(field.key).render(),
                format!("missing required field `{}`", field.key),
            ));
        }
    }
    for (k, v) in m {
        let p = at.key(k);
        match fields.iter().find(|f| f.key == k) {
            Some(field) => {
                if v.is_null() {
                    // explicit null: clears an inherited value (checked above for required)
                    continue;
                }
                check(v, &field.ty, &p, out);
            }
            None => {
                if k.starts_with("x-") || k.starts_with("x_") {
                    continue;
                }
                let mut d = Diagnostic::warning(
                    "W_UNKNOWN_KEY",
                    p.render(),
                    format!("unknown key `{k}` (kept as written)"),
                );
                if let Some(s) = did_you_mean(k, fields.iter().map(|f| f.key)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                } else if at.is_root() {
                    d = d.with_help("put custom data under `extensions:` or use an `x-` prefix");
                }
                out.push(d);
            }
        }
    }
}

fn expect(out: &mut Vec<Diagnostic>, p: &P<'_>, what: &str, v: &Value) {
    out.push(Diagnostic::error(
        "E_TYPE",
        p.render(),
        format!("expected {what}, found {}", type_name(v)),
    ));
}

fn check(v: &Value, ty: &Ty, p: &P<'_>, out: &mut Vec<Diagnostic>) {
    match ty {
        Ty::Any => {}
        Ty::Str => {
            if !v.is_string() {
                expect(out, p, "a string", v);
            }
        }
        Ty::Text => match v {
            Value::String(_) => {}
            Value::Array(items) => {
                for (i, it) in items.iter().enumerate() {
                    if !it.is_string() {
                        expect(out, &p.index(i), "a string", it);
                    }
                }
            }
            _ => expect(out, p, "a string or a list of strings", v),
        },
        Ty::UInt => {
            if v.as_u64().is_none() {
                expect(out, p, "a non-negative integer", v);
            }
        }
        Ty::Number => {
            if !v.is_number() {
                expect(out, p, "a number", v);
            }
        }
        Ty::Scalar => {
            if !(v.is_number() || v.is_string()) {
                expect(out, p, "a number or a string", v);
            }
        }
        Ty::Bool => {
            if !v.is_boolean() {
                expect(out, p, "true or false", v);
            }
        }
        Ty::Date => match v.as_str() {
            Some(s) => {
                if let Err(e) = check_date(s) {
                    out.push(
                        Diagnostic::error("E_DATE", p.render(), e)
                            .with_help("write dates as YYYY-MM-DD (or YYYY-MM, YYYY)"),
                    );
                }
            }
            None => expect(out, p, "a date string YYYY-MM-DD", v),
        },
        Ty::Semver => match v.as_str() {
            Some(s) => {
                if let Err(e) = names::parse_version(s) {
                    out.push(Diagnostic::error("E_SEMVER", p.render(), e));
                }
            }
            None => {
                let mut d = Diagnostic::error(
                    "E_SEMVER",
                    p.render(),
                    format!("expected a semantic version string, found {}", type_name(v)),
                );
                if v.is_number() {
                    d = d.with_help(format!("quote it and give three parts, e.g. '{v}.0'"));
                }
                out.push(d);
            }
        },
        Ty::Name => match v.as_str() {
            Some(s) => {
                if let Err(e) = names::check_name(s) {
                    out.push(Diagnostic::error("E_NAME", p.render(), e));
                }
            }
            None => expect(out, p, "a name string", v),
        },
        Ty::Req => match v {
            Value::String(s) => {
                if let Err(e) = names::parse_req(s) {
                    out.push(
                        Diagnostic::error("E_REQUIREMENT", p.render(), e)
                            .with_help("use e.g. `>=1.0.0`, `^1.2`, `~1.2.3`, `==1.2.0`, `*`"),
                    );
                }
            }
            _ => expect(out, p, "a version requirement string", v),
        },
        Ty::Url => match v.as_str() {
            Some(s) => {
                if let Err(e) = check_url(s) {
                    out.push(Diagnostic::error("E_URL", p.render(), e));
                }
            }
            None => expect(out, p, "a URL string", v),
        },
        Ty::License => match v {
            Value::String(s) => check_license(s, p, out),
            Value::Object(m) => {
                static LIC: &[Field] = &[
                    Field {
                        key: "id",
                        ty: Ty::Str,
                        required: false,
                        policy: crate::model::Policy::NotInherited,
                        doc: "",
                    },
                    Field {
                        key: "name",
                        ty: Ty::Str,
                        required: false,
                        policy: crate::model::Policy::NotInherited,
                        doc: "",
                    },
                    Field {
                        key: "url",
                        ty: Ty::Url,
                        required: false,
                        policy: crate::model::Policy::NotInherited,
                        doc: "",
                    },
                ];
                check_object(m, LIC, p, out);
                if let Some(Value::String(id)) = m.get("id") {
                    check_license(id, &p.key("id"), out);
                }
                let given = |k: &str| m.get(k).is_some_and(|v| !v.is_null());
                if !given("id") && !given("name") {
                    out.push(Diagnostic::error(
                        "E_LICENSE",
                        p.render(),
                        "a named licence needs `id` or `name`",
                    ));
                }
            }
            _ => expect(out, p, "an SPDX expression or {id, name, url}", v),
        },
        Ty::Enum(allowed) => match v.as_str() {
            Some(s) if allowed.contains(&s) => {}
            Some(s) => {
                let mut d = Diagnostic::error(
                    "E_ENUM",
                    p.render(),
                    format!("`{s}` is not one of: {}", allowed.join(", ")),
                );
                if let Some(best) = did_you_mean(s, allowed.iter().copied()) {
                    d = d.with_help(format!("did you mean `{best}`?"));
                }
                out.push(d);
            }
            None => expect(out, p, &format!("one of: {}", allowed.join(", ")), v),
        },
        Ty::List(inner) => match v {
            Value::Array(items) => {
                for (i, it) in items.iter().enumerate() {
                    check(it, inner, &p.index(i), out);
                }
            }
            _ => expect(out, p, "a list", v),
        },
        Ty::Obj(fields) => match v {
            Value::Object(m) => check_object(m, fields, p, out),
            _ => expect(out, p, "a mapping", v),
        },
        Ty::MapOf(inner) => match v {
            Value::Object(m) => {
                for (k, it) in m {
                    check(it, inner, &p.key(k), out);
                }
            }
            _ => expect(out, p, "a mapping", v),
        },
        Ty::Relation => match v {
            Value::String(s) => {
                if let Err(e) = names::parse_short(s) {
                    out.push(
                        Diagnostic::error("E_UPSTREAM", p.render(), e)
                            .with_help("write `name`, `name>=1.0.0`, `name==1.2.0` or a mapping {name, version, relation}"),
                    );
                }
            }
            Value::Object(m) => check_object(m, RELATION_FIELDS, p, out),
            _ => expect(out, p, "an upstream reference (string or mapping)", v),
        },
        Ty::Answer => match v {
            Value::Bool(_) | Value::Null => {}
            Value::Number(n) if matches!(n.as_u64(), Some(0) | Some(1)) => {}
            Value::String(s) if s == "unknown" => {}
            Value::Object(m) => {
                check_object(m, ANSWER_FIELDS, p, out);
                if let Some(inner) = m.get("value") {
                    check(inner, &Ty::Answer, &p.key("value"), out);
                }
            }
            _ => out.push(Diagnostic::error(
                "E_ANSWER",
                p.render(),
                format!(
                    "a transparency answer is true, false, 1, 0, null or \"unknown\"; found {}",
                    type_name(v)
                ),
            )),
        },
    }
}

fn semantic_checks(m: &Map<String, Value>, out: &mut Vec<Diagnostic>) {
    if let Some(Value::Array(risks)) = m.get("risks") {
        for (i, r) in risks.iter().enumerate() {
            let blank = |v: &Value| match v {
                Value::Null => true,
                Value::String(s) => s.trim().is_empty(),
                Value::Array(a) => a
                    .iter()
                    .all(|x| x.as_str().is_none_or(|s| s.trim().is_empty())),
                _ => false,
            };
            if r.get("status").and_then(Value::as_str) == Some("mitigated")
                && r.get("justification").is_none_or(blank)
            {
                out.push(
                    Diagnostic::error(
                        "E_MITIGATION_JUSTIFICATION",
                        path::key(&path::index("risks", i), "status"),
                        "a mitigated risk needs a `justification`",
                    )
                    .with_help("say how the risk was mitigated"),
                );
            }
        }
    }
    if let (Some(Value::String(name)), Some(Value::Array(ups))) = (m.get("name"), m.get("upstream"))
    {
        for (i, u) in ups.iter().enumerate() {
            let target = match u {
                Value::String(s) => names::parse_short(s).ok().map(|r| r.name),
                Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
                _ => None,
            };
            if target.as_deref() == Some(name.as_str()) {
                out.push(Diagnostic::error(
                    "E_SELF_UPSTREAM",
                    path::index("upstream", i),
                    format!("record `{name}` names itself as upstream"),
                ));
            }
        }
    }
}

/// Check a calendar date: `YYYY-MM-DD`, or the reduced precisions `YYYY-MM` and `YYYY`.
pub fn check_date(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    if b.len() == 4 && b.iter().all(u8::is_ascii_digit) {
        return Ok(());
    }
    if b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
    {
        let mo: u32 = s[5..7].parse().unwrap_or(0);
        return if (1..=12).contains(&mo) {
            Ok(())
        } else {
            Err(format!("`{s}` has no month {mo}"))
        };
    }
    let ok_shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !ok_shape {
        return Err(format!("`{s}` is not a date in the form YYYY-MM-DD"));
    }
    let y: u32 = s[0..4].parse().unwrap_or(0);
    let mo: u32 = s[5..7].parse().unwrap_or(0);
    let d: u32 = s[8..10].parse().unwrap_or(0);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("`{s}` has no month {mo}")),
    };
    if d == 0 || d > days {
        return Err(format!("`{s}`: day {d} does not exist in that month"));
    }
    Ok(())
}

/// Check a reference URL: absolute, with scheme http, https or mailto.
pub fn check_url(s: &str) -> Result<(), String> {
    match url::Url::parse(s) {
        Ok(u) if matches!(u.scheme(), "http" | "https" | "mailto") => Ok(()),
        Ok(u) => Err(format!(
            "URL scheme `{}` is not allowed (use http, https or mailto)",
            u.scheme()
        )),
        Err(e) => Err(format!("`{s}` is not a valid absolute URL: {e}")),
    }
}

fn strict_license(s: &str) -> bool {
    let strict = spdx::lexer::ParseMode {
        allow_deprecated: true,
        ..spdx::lexer::ParseMode::STRICT
    };
    spdx::Expression::parse_mode(s, strict).is_ok()
}

/// The canonical spelling of a licence expression written with the wrong case (SPDX
/// identifiers and operators match case-insensitively): `apache-2.0 or mit` →
/// `Apache-2.0 OR MIT`. `None` when some term is not an SPDX identifier.
pub fn canonical_license(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| -> Option<()> {
        if word.is_empty() {
            return Some(());
        }
        let w = std::mem::take(word);
        let upper = w.to_ascii_uppercase();
        if matches!(upper.as_str(), "AND" | "OR" | "WITH") {
            out.push_str(&upper);
            return Some(());
        }
        let (base, plus) = match w.strip_suffix('+') {
            Some(b) => (b, "+"),
            None => (w.as_str(), ""),
        };
        let lower = base.to_ascii_lowercase();
        for (prefix, canon) in [
            ("licenseref-", "LicenseRef-"),
            ("documentref-", "DocumentRef-"),
        ] {
            if lower.starts_with(prefix) {
                out.push_str(canon);
                out.push_str(&base[prefix.len()..]);
                out.push_str(plus);
                return Some(());
            }
        }
        let name = spdx::identifiers::LICENSES
            .iter()
            .map(|l| l.name)
            .chain(spdx::identifiers::EXCEPTIONS.iter().map(|e| e.name))
            .find(|n| n.eq_ignore_ascii_case(base))?;
        out.push_str(name);
        out.push_str(plus);
        Some(())
    };
    for c in s.chars() {
        if c.is_whitespace() || c == '(' || c == ')' {
            flush(&mut word, &mut out)?;
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out)?;
    strict_license(&out).then_some(out)
}

fn check_license(s: &str, p: &P<'_>, out: &mut Vec<Diagnostic>) {
    if strict_license(s) {
        return;
    }
    if let Some(canonical) = canonical_license(s) {
        out.push(
            Diagnostic::warning(
                "W_LICENSE_CASE",
                p.render(),
                format!("licence `{s}` is not in canonical SPDX form"),
            )
            .with_help(format!("write `{canonical}`")),
        );
        return;
    }
    match spdx::Expression::parse_mode(s, spdx::lexer::ParseMode::LAX) {
        Ok(_) => out.push(
            Diagnostic::warning(
                "W_LICENSE_CASE",
                p.render(),
                format!("licence `{s}` is not in canonical SPDX form"),
            )
            .with_help(
                "use SPDX identifiers and the operators AND, OR, WITH (e.g. `MIT OR Apache-2.0`)",
            ),
        ),
        Err(e) => out.push(
            Diagnostic::error(
                "E_LICENSE",
                p.render(),
                format!("`{s}` is not a valid SPDX licence expression: {}", e.reason),
            )
            .with_help(
                "use an SPDX identifier (e.g. Apache-2.0), `LicenseRef-<name>`, or {name, url}",
            ),
        ),
    }
}

/// Keys of the record table (used by the schema drift test).
pub fn record_keys() -> Vec<&'static str> {
    RECORD_FIELDS.iter().map(|f| f.key).collect()
}

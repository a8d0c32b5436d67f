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
#[cfg(feature = "url")]
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

/// Check a reference URL: absolute, with scheme http, https or mailto (without the `url`
/// crate: [`url_lite`], same results and messages).
#[cfg(not(feature = "url"))]
pub fn check_url(s: &str) -> Result<(), String> {
    match url_lite::parse(s) {
        Ok(u) if matches!(u.scheme(), "http" | "https" | "mailto") => Ok(()),
        Ok(u) => Err(format!(
            "URL scheme `{}` is not allowed (use http, https or mailto)",
            u.scheme()
        )),
        Err(e) => Err(format!("`{s}` is not a valid absolute URL: {e}")),
    }
}

/// Builds without the `url` feature: the domain-to-ASCII function for international
/// domain names (see [`url_lite`]); the WebAssembly package sets one backed by the
/// JavaScript `URL` parser. Set once; later calls are ignored.
#[cfg(not(feature = "url"))]
pub use url_lite::set_idna_fallback;

/// With the `url` feature the `url` crate processes international domain names itself:
/// this does nothing (it exists so that an embedder compiles either way).
#[cfg(feature = "url")]
pub fn set_idna_fallback(_domain_to_ascii: fn(&str) -> Option<String>) {}

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

/// A small URL parser for builds without the `url` crate (the `url` cargo feature off, as
/// in the WebAssembly package, where the crate and the Unicode tables of its international
/// domain names are about a seventh of the module).
///
/// It follows the parser of the `url` crate (the WHATWG URL Standard, without a base URL)
/// step by step for what UMR asks of a URL: whether it parses and with which error, its
/// scheme, and the serialisation of `http`, `https` and `mailto` URLs that
/// [`crate::render::escape::link`] returns. Host names that need international domain
/// name processing (non-ASCII, or a label starting with `xn--`) are passed to the function
/// set with [`set_idna_fallback`] (the WebAssembly package sets one that asks the
/// JavaScript `URL` parser); without one, they are an `invalid international domain name`.
/// A test compares it with the `url` crate over a corpus of URLs.
#[cfg(any(test, not(feature = "url")))]
pub(crate) mod url_lite {
    use std::fmt;
    use std::sync::OnceLock;

    /// The errors of the `url` crate that a URL without a base can have (same messages).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum UrlError {
        EmptyHost,
        Idna,
        InvalidPort,
        InvalidIpv4,
        InvalidIpv6,
        InvalidDomainCharacter,
        RelativeWithoutBase,
    }

    impl fmt::Display for UrlError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(match self {
                UrlError::EmptyHost => "empty host",
                UrlError::Idna => "invalid international domain name",
                UrlError::InvalidPort => "invalid port number",
                UrlError::InvalidIpv4 => "invalid IPv4 address",
                UrlError::InvalidIpv6 => "invalid IPv6 address",
                UrlError::InvalidDomainCharacter => "invalid domain character",
                UrlError::RelativeWithoutBase => "relative URL without a base",
            })
        }
    }

    /// A parsed URL: its serialisation (exact except for `file:` URLs, whose path is not
    /// normalised) and where its scheme ends.
    pub(crate) struct Parsed {
        pub href: String,
        scheme_end: usize,
    }

    impl Parsed {
        pub(crate) fn scheme(&self) -> &str {
            &self.href[..self.scheme_end]
        }
    }

    static IDNA_FALLBACK: OnceLock<fn(&str) -> Option<String>> = OnceLock::new();

    /// Set the domain-to-ASCII function for host names that need international domain name
    /// processing (once; later calls are ignored).
    pub fn set_idna_fallback(f: fn(&str) -> Option<String>) {
        let _ = IDNA_FALLBACK.set(f);
    }

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Kind {
        Special,
        File,
        Other,
    }

    // percent-encode sets of the url crate, as predicates on a byte
    fn controls(b: u8) -> bool {
        !(0x20..0x7f).contains(&b)
    }
    fn fragment_set(b: u8) -> bool {
        controls(b) || matches!(b, b' ' | b'"' | b'<' | b'>' | b'`')
    }
    fn path_set(b: u8) -> bool {
        fragment_set(b) || matches!(b, b'#' | b'?' | b'{' | b'}')
    }
    fn userinfo_set(b: u8) -> bool {
        path_set(b)
            || matches!(
                b,
                b'/' | b':' | b';' | b'=' | b'@' | b'[' | b'\\' | b']' | b'^' | b'|'
            )
    }
    fn query_set(b: u8) -> bool {
        controls(b) || matches!(b, b' ' | b'"' | b'#' | b'<' | b'>')
    }
    fn special_query_set(b: u8) -> bool {
        query_set(b) || b == b'\''
    }

    fn encode(out: &mut String, s: &str, set: fn(u8) -> bool) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for c in s.chars() {
            if c.is_ascii() && !set(c as u8) {
                out.push(c);
            } else {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push('%');
                    out.push(char::from(HEX[usize::from(b >> 4)]));
                    out.push(char::from(HEX[usize::from(b & 15)]));
                }
            }
        }
    }

    fn percent_decode(s: &str) -> Vec<u8> {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let hex = |c: u8| char::from(c).to_digit(16);
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' && i + 2 < b.len() {
                if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
            }
            out.push(b[i]);
            i += 1;
        }
        out
    }

    /// Parse an absolute URL as `url::Url::parse` does.
    pub(crate) fn parse(input: &str) -> Result<Parsed, UrlError> {
        let s: String = input
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(UrlError::RelativeWithoutBase);
        }
        let colon = match s.find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c))) {
            Some(i) if s[i..].starts_with(':') => i,
            _ => return Err(UrlError::RelativeWithoutBase),
        };
        let scheme = s[..colon].to_ascii_lowercase();
        let rest = &s[colon + 1..];
        let kind = match scheme.as_str() {
            "http" | "https" | "ws" | "wss" | "ftp" => Kind::Special,
            "file" => Kind::File,
            _ => Kind::Other,
        };
        let mut out = scheme;
        out.push(':');
        let scheme_end = colon;
        match kind {
            Kind::File => file(rest)?,
            Kind::Special => {
                let rest = rest.trim_start_matches(['/', '\\']);
                after_double_slash(&mut out, rest, kind)?;
            }
            Kind::Other => {
                if let Some(rest) = rest.strip_prefix("//") {
                    after_double_slash(&mut out, rest, kind)?;
                } else {
                    let path_start = out.len();
                    let rem = if let Some(r) = rest.strip_prefix('/') {
                        out.push('/');
                        path(&mut out, r, kind, path_start)
                    } else {
                        let end = rest.find(['?', '#']).unwrap_or(rest.len());
                        encode(&mut out, &rest[..end], controls);
                        &rest[end..]
                    };
                    if out[path_start..].starts_with("//") {
                        out.insert_str(path_start, "/.");
                    }
                    query_and_fragment(&mut out, rem, kind);
                }
            }
        }
        Ok(Parsed {
            href: out,
            scheme_end,
        })
    }

    /// `file:` URLs: only their host can make them fail.
    fn file(rest: &str) -> Result<(), UrlError> {
        let is_sep = |c: char| c == '/' || c == '\\';
        let mut it = rest.chars();
        if !(it.next().is_some_and(is_sep) && it.next().is_some_and(is_sep)) {
            return Ok(());
        }
        let r = &rest[2..];
        let host = &r[..r.find(['/', '\\', '?', '#']).unwrap_or(r.len())];
        let b = host.as_bytes();
        let drive = b.len() == 2 && b[0].is_ascii_alphabetic() && matches!(b[1], b':' | b'|');
        if drive || host.is_empty() {
            return Ok(());
        }
        special_host(host).map(|_| ())
    }

    fn after_double_slash(out: &mut String, input: &str, kind: Kind) -> Result<(), UrlError> {
        let special = kind != Kind::Other;
        out.push_str("//");
        // userinfo: up to the last `@` before the end of the authority
        let auth_end = input
            .find(|c: char| matches!(c, '/' | '?' | '#') || (special && c == '\\'))
            .unwrap_or(input.len());
        let mut has_authority = false;
        let remaining = match input[..auth_end].rfind('@') {
            None => input,
            Some(0) => {
                let after = &input[1..];
                if after.starts_with(['/', '?', '#']) || (special && after.starts_with('\\')) {
                    return Err(UrlError::EmptyHost);
                }
                after
            }
            Some(at) => {
                let userinfo = &input[..at];
                let (user, password) = match userinfo.split_once(':') {
                    Some((u, p)) => (u, Some(p)),
                    None => (userinfo, None),
                };
                encode(out, user, userinfo_set);
                let mut has_password = false;
                if let Some(p) = password.filter(|p| !p.is_empty()) {
                    out.push(':');
                    encode(out, p, userinfo_set);
                    has_password = true;
                }
                if !user.is_empty() || has_password {
                    out.push('@');
                    has_authority = true;
                }
                &input[at + 1..]
            }
        };
        // host
        let mut inside = false;
        let mut end = remaining.len();
        for (i, c) in remaining.char_indices() {
            match c {
                ':' if !inside => {
                    end = i;
                    break;
                }
                '\\' if special => {
                    end = i;
                    break;
                }
                '/' | '?' | '#' => {
                    end = i;
                    break;
                }
                '[' => inside = true,
                ']' => inside = false,
                _ => {}
            }
        }
        let host_str = &remaining[..end];
        let mut remaining = &remaining[end..];
        if special && host_str.is_empty() {
            return Err(UrlError::EmptyHost);
        }
        let host = if special {
            special_host(host_str)?
        } else {
            opaque_host(host_str)?
        };
        if host.is_empty() && (remaining.starts_with(':') || special) {
            return Err(UrlError::EmptyHost);
        }
        out.push_str(&host);
        if let Some(r) = remaining.strip_prefix(':') {
            let mut port: u32 = 0;
            let mut digits = false;
            let mut rest = r;
            while let Some(c) = rest.chars().next() {
                if let Some(d) = c.to_digit(10) {
                    port = port * 10 + d;
                    if port > u32::from(u16::MAX) {
                        return Err(UrlError::InvalidPort);
                    }
                    digits = true;
                } else if !matches!(c, '/' | '\\' | '?' | '#') {
                    return Err(UrlError::InvalidPort);
                } else {
                    break;
                }
                rest = &rest[c.len_utf8()..];
            }
            let default = match &out[..out.find(':').unwrap_or(0)] {
                "http" | "ws" => Some(80),
                "https" | "wss" => Some(443),
                "ftp" => Some(21),
                _ => None,
            };
            if digits && Some(port) != default {
                out.push(':');
                out.push_str(&port.to_string());
            }
            remaining = rest;
        }
        if host.is_empty() && has_authority {
            return Err(UrlError::EmptyHost);
        }
        // path start
        let path_start = out.len();
        let rem = if special {
            out.push('/');
            let r = remaining.strip_prefix(['/', '\\']).unwrap_or(remaining);
            path(out, r, kind, path_start)
        } else if remaining.starts_with(['?', '#']) {
            remaining
        } else {
            if !remaining.is_empty() && !remaining.starts_with('/') {
                out.push('/');
            }
            path(out, remaining, kind, path_start)
        };
        query_and_fragment(out, rem, kind);
        Ok(())
    }

    /// The path state of the url crate's parser (not for `file:`); returns what follows
    /// the path (`?…` or `#…` or nothing).
    fn path<'a>(out: &mut String, mut input: &'a str, kind: Kind, path_start: usize) -> &'a str {
        let special = kind != Kind::Other;
        loop {
            let segment_start = out.len();
            let end = input
                .find(|c: char| matches!(c, '/' | '?' | '#') || (special && c == '\\'))
                .unwrap_or(input.len());
            encode(out, &input[..end], path_set);
            let ends_with_slash = matches!(input[end..].chars().next(), Some('/' | '\\'));
            if ends_with_slash {
                out.push('/');
                input = &input[end + 1..];
            } else {
                input = &input[end..];
            }
            let seg_end = out.len() - usize::from(ends_with_slash);
            let segment = out[segment_start..seg_end].to_ascii_lowercase();
            match segment.as_str() {
                ".." | "%2e%2e" | "%2e." | ".%2e" => {
                    out.truncate(segment_start);
                    if out.ends_with('/') {
                        let before = &out[..out.len() - 1];
                        // (the url crate keeps a Windows drive letter, `/c:`, for every
                        // scheme here)
                        if before
                            .rfind('/')
                            .is_some_and(|p| p >= path_start && !drive_letter_path(&out[p..]))
                        {
                            out.pop();
                        }
                    }
                    if out.len() > path_start {
                        if let Some(p) = out[path_start..].rfind('/') {
                            out.truncate(path_start + p + 1);
                        }
                    }
                    if ends_with_slash && !out.ends_with('/') {
                        out.push('/');
                    }
                }
                "." | "%2e" => {
                    out.truncate(segment_start);
                    if !out.ends_with('/') {
                        out.push('/');
                    }
                }
                _ => {}
            }
            if !ends_with_slash {
                return input;
            }
        }
    }

    /// `/c:`, `/c|` alone or followed by `/`, `\\`, `?` or `#`.
    fn drive_letter_path(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() >= 3
            && matches!(b[0], b'/' | b'\\' | b'?' | b'#')
            && b[1].is_ascii_alphabetic()
            && matches!(b[2], b':' | b'|')
            && (b.len() == 3 || matches!(b[3], b'/' | b'\\' | b'?' | b'#'))
    }

    fn query_and_fragment(out: &mut String, rem: &str, kind: Kind) {
        let mut rem = rem;
        if let Some(q) = rem.strip_prefix('?') {
            let end = q.find('#').unwrap_or(q.len());
            out.push('?');
            let set = if kind == Kind::Other {
                query_set
            } else {
                special_query_set
            };
            encode(out, &q[..end], set);
            rem = &q[end..];
        }
        if let Some(f) = rem.strip_prefix('#') {
            out.push('#');
            encode(out, f, fragment_set);
        }
    }

    fn opaque_host(host: &str) -> Result<String, UrlError> {
        if let Some(inner) = host.strip_prefix('[') {
            return match inner.strip_suffix(']') {
                Some(a) => ipv6(a),
                None => Err(UrlError::InvalidIpv6),
            };
        }
        if host.contains([
            '\0', '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^',
            '|',
        ]) {
            return Err(UrlError::InvalidDomainCharacter);
        }
        let mut out = String::new();
        encode(&mut out, host, controls);
        Ok(out)
    }

    fn special_host(host: &str) -> Result<String, UrlError> {
        if let Some(inner) = host.strip_prefix('[') {
            return match inner.strip_suffix(']') {
                Some(a) => ipv6(a),
                None => Err(UrlError::InvalidIpv6),
            };
        }
        let bytes = percent_decode(host);
        let domain = String::from_utf8(bytes).map_err(|_| UrlError::Idna)?;
        // the deny list of the url crate's domain-to-ASCII (for every domain)
        if domain
            .bytes()
            .any(|b| b <= b' ' || b == 0x7f || b"%#/:<>?@[\\]^|".contains(&b))
        {
            return Err(UrlError::Idna);
        }
        let needs_idna = !domain.is_ascii()
            || domain
                .split('.')
                .any(|l| l.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--")));
        let domain = if needs_idna {
            match IDNA_FALLBACK.get().and_then(|f| f(&domain)) {
                Some(d) if d.is_ascii() => d,
                _ => return Err(UrlError::Idna),
            }
        } else {
            domain.to_ascii_lowercase()
        };
        if domain.is_empty() {
            return Err(UrlError::EmptyHost);
        }
        if ends_in_a_number(&domain) {
            let a = ipv4(&domain)?;
            return Ok(format!(
                "{}.{}.{}.{}",
                a >> 24,
                (a >> 16) & 255,
                (a >> 8) & 255,
                a & 255
            ));
        }
        Ok(domain)
    }

    fn ends_in_a_number(input: &str) -> bool {
        let mut parts = input.rsplit('.');
        let last = match parts.next() {
            Some("") => match parts.next() {
                Some(l) => l,
                None => return false,
            },
            Some(l) => l,
            None => return false,
        };
        (!last.is_empty() && last.bytes().all(|c| c.is_ascii_digit())) || ipv4_number(last).is_ok()
    }

    /// `Ok(None)`: a number too large for 32 bits.
    fn ipv4_number(mut input: &str) -> Result<Option<u32>, ()> {
        if input.is_empty() {
            return Err(());
        }
        let mut radix = 10;
        if input.starts_with("0x") || input.starts_with("0X") {
            input = &input[2..];
            radix = 16;
        } else if input.len() >= 2 && input.starts_with('0') {
            input = &input[1..];
            radix = 8;
        }
        if input.is_empty() {
            return Ok(Some(0));
        }
        if !input.chars().all(|c| c.is_digit(radix)) {
            return Err(());
        }
        Ok(u32::from_str_radix(input, radix).ok())
    }

    fn ipv4(input: &str) -> Result<u32, UrlError> {
        let mut parts: Vec<&str> = input.split('.').collect();
        if parts.last() == Some(&"") {
            parts.pop();
        }
        if parts.len() > 4 {
            return Err(UrlError::InvalidIpv4);
        }
        let mut numbers = Vec::new();
        for part in parts {
            match ipv4_number(part) {
                Ok(Some(n)) => numbers.push(n),
                _ => return Err(UrlError::InvalidIpv4),
            }
        }
        let mut ip = numbers.pop().ok_or(UrlError::InvalidIpv4)?;
        if ip > u32::MAX >> (8 * numbers.len() as u32) || numbers.iter().any(|x| *x > 255) {
            return Err(UrlError::InvalidIpv4);
        }
        for (i, n) in numbers.iter().enumerate() {
            ip += n << (8 * (3 - i as u32));
        }
        Ok(ip)
    }

    fn ipv6(input: &str) -> Result<String, UrlError> {
        let err = UrlError::InvalidIpv6;
        let input = input.as_bytes();
        let len = input.len();
        let mut pieces = [0u16; 8];
        let mut piece = 0;
        let mut compress = None;
        let mut i = 0;
        let mut is_v4 = false;
        if len < 2 {
            return Err(err);
        }
        if input[0] == b':' {
            if input[1] != b':' {
                return Err(err);
            }
            i = 2;
            piece = 1;
            compress = Some(1);
        }
        while i < len {
            if piece == 8 {
                return Err(err);
            }
            if input[i] == b':' {
                if compress.is_some() {
                    return Err(err);
                }
                i += 1;
                piece += 1;
                compress = Some(piece);
                continue;
            }
            let start = i;
            let end = len.min(start + 4);
            let mut value = 0u16;
            while i < end {
                match char::from(input[i]).to_digit(16) {
                    Some(d) => {
                        value = value * 16 + d as u16;
                        i += 1;
                    }
                    None => break,
                }
            }
            if i < len {
                match input[i] {
                    b'.' => {
                        if i == start || piece > 6 {
                            return Err(err);
                        }
                        i = start;
                        is_v4 = true;
                    }
                    b':' => {
                        i += 1;
                        if i == len {
                            return Err(err);
                        }
                    }
                    _ => return Err(err),
                }
            }
            if is_v4 {
                break;
            }
            pieces[piece] = value;
            piece += 1;
        }
        if is_v4 {
            if piece > 6 {
                return Err(err);
            }
            let mut seen = 0;
            while i < len {
                if seen > 0 {
                    if seen < 4 && input[i] == b'.' {
                        i += 1;
                    } else {
                        return Err(err);
                    }
                }
                let mut v4: Option<u16> = None;
                while i < len {
                    let d = match input[i] {
                        c @ b'0'..=b'9' => u16::from(c - b'0'),
                        _ => break,
                    };
                    v4 = match v4 {
                        None => Some(d),
                        Some(0) => return Err(err),
                        Some(v) if v * 10 + d > 255 => return Err(err),
                        Some(v) => Some(v * 10 + d),
                    };
                    i += 1;
                }
                let Some(v) = v4 else { return Err(err) };
                pieces[piece] = pieces[piece] * 0x100 + v;
                seen += 1;
                if seen == 2 || seen == 4 {
                    piece += 1;
                }
            }
            if seen != 4 {
                return Err(err);
            }
        }
        if i < len {
            return Err(err);
        }
        match compress {
            Some(c) => {
                let mut swaps = piece - c;
                piece = 7;
                while swaps > 0 {
                    pieces.swap(piece, c + swaps - 1);
                    swaps -= 1;
                    piece -= 1;
                }
            }
            None if piece != 8 => return Err(err),
            None => {}
        }
        // serialise: the longest run of two or more zero pieces (the first one) is `::`
        let (mut best, mut best_len, mut run) = (8, 1, 0);
        for (k, p) in pieces.iter().chain([&1]).enumerate() {
            if *p == 0 {
                run += 1;
            } else {
                if run > best_len {
                    best = k - run;
                    best_len = run;
                }
                run = 0;
            }
        }
        let mut out = String::from("[");
        let mut k = 0;
        while k < 8 {
            if k == best {
                out.push_str(if k == 0 { "::" } else { ":" });
                k += best_len;
                continue;
            }
            out.push_str(&format!("{:x}", pieces[k]));
            if k < 7 {
                out.push(':');
            }
            k += 1;
        }
        out.push(']');
        Ok(out)
    }
}

/// The small parser against the `url` crate: same success, same serialisation (but of
/// `file:` URLs), same error message, over a corpus of hand-picked and combined URLs.
#[cfg(all(test, feature = "url"))]
mod url_lite_tests {
    use super::url_lite;

    /// Domain to ASCII alone: a last label `x` keeps the URL parser from reading the
    /// result as an IPv4 address (as the WebAssembly package's fallback does).
    fn idna_by_url_crate(d: &str) -> Option<String> {
        let u = url::Url::parse(&format!("http://{d}.x/")).ok()?;
        u.host_str()?.strip_suffix(".x").map(str::to_string)
    }

    fn same(s: &str) -> Result<(), String> {
        let lite = url_lite::parse(s);
        match (url::Url::parse(s), lite) {
            (Ok(u), Ok(l)) => {
                if u.scheme() != l.scheme() || (u.scheme() != "file" && u.as_str() != l.href) {
                    return Err(format!("{s:?}: url {:?}, lite {:?}", u.as_str(), l.href));
                }
            }
            (Err(e), Err(l)) if e.to_string() == l.to_string() => {}
            (u, l) => {
                return Err(format!(
                    "{s:?}: url {:?}, lite {:?}",
                    u.map(|u| u.to_string()).map_err(|e| e.to_string()),
                    l.map(|l| l.href).map_err(|e| e.to_string())
                ))
            }
        }
        Ok(())
    }

    #[test]
    fn lite_parser_agrees_with_the_url_crate() {
        url_lite::set_idna_fallback(idna_by_url_crate);
        let fixed = [
            "",
            " ",
            "http://a",
            " http://a ",
            "\thttp://a\n/b",
            "\u{1}http://a/\u{7f}",
            "mailto:a@b.c",
            "mailto:a b",
            "MAILTO:A@B.C?subject=x y#z",
            "javascript:alert(1)",
            "/relative",
            "1http://x",
            "http:example.org",
            "http:/x",
            "http:\\\\x\\y",
            "foo:/.//x",
            "foo:/..//x",
            "foo://",
            "foo://:80",
            "foo://u@",
            "foo://u@h",
            "foo://h:8x",
            "foo://[::1]:5/a",
            "foo://a b",
            "foo://%41",
            "foo://ä/ö",
            "http://a:b@",
            "http://@/",
            "http://@h",
            "http://[::1",
            "http://[::1]x",
            "file:///etc/passwd",
            "file://h/x",
            "file://c:/x",
            "file://C|/x",
            "file://localhost/x",
            "file://a b/",
            "file:x",
            "file:\\\\a b",
            "file://[::1/",
            "data:text/html,hi",
            "ftp://example.org/LICENSE",
            "ftp://h:21/",
            "http://h:080/",
            "https://h:443",
            "ws://h:80",
            "wss://h:444",
            "http://h:65535",
            "http://h:99999",
            "http://0x100000000",
            "http://4294967295",
            "http://4294967296",
            "http://1.2.3.4.",
            "http://1.2.3.4..",
            "http://.",
            "http://..",
            "http://a..b",
            "http://0..0x300/",
            "http://ä.example/",
            "http://xn--bcher-kva.de",
            "http://XN--BCHER-KVA.de",
            "http://xn--a.de",
            "http://xn--/",
            "http://\u{ff11}\u{ff12}\u{ff17}.0.0.1/",
            "http://ex%C3%A4mple.org",
            "http://ex%FFmple.org",
            "http://a%2Fb",
            "http://a%zz",
            "http://%",
            "https://ex.org/a/b/../../../c",
            "https://ex.org/./a/.%2E/b/%2e",
            "https://ex.org?q=a'b",
            "https://ex.org#a b\u{7f}",
            "gopher://example.org",
            "vbscript:msgbox",
            "x+y-z.w://h/p",
            "a:",
            "a:?",
            "a:#",
            "a:/",
            "a://",
            "a:///",
            "http://[1:2:3:4:5:6:7:8]/",
            "http://[1:2:3:4:5:6:7:8:9]/",
            "http://[::ffff:1.2.3.4]",
            "http://[::1.2.3.4]",
            "http://[1::2::3]",
            "http://[1:0:0:2:0:0:0:3]",
            "http://[0:0:1:0:0:1:0:0]",
            "http://[::]",
            "http://[1:]",
            "http://[:1]",
            "http://[1.2.3.4]",
            "http://[::1.2.3]",
            "http://[::1.2.3.4.5]",
            "http://[::01.2.3.4]",
            "http://[::256.2.3.4]",
            "http://[::ffff:1.2.3.4:5]",
            "http://[12345::]",
        ];
        let mut bad = Vec::new();
        for s in fixed {
            let s = s
                .replace("\\t", "\t")
                .replace("\\n", "\n")
                .replace("\\u{1}", "\u{1}");
            if let Err(e) = same(&s) {
                bad.push(e);
            }
        }
        let schemes = [
            "http",
            "HTTPS",
            "ftp",
            "ws",
            "mailto",
            "javascript",
            "file",
            "data",
            "foo",
        ];
        let seps = [":", "://", ":/", ":\\\\", ":///", "://\\"];
        let auths = [
            "example.org",
            "EXAMPLE.org",
            "user:pw@h",
            "@h",
            "u@",
            "a b",
            "h:80",
            "h:8080",
            "h:65536",
            "h:x",
            "h:",
            "[::1]",
            "[::ffff:1.2.3.4]",
            "[1::]",
            "[::",
            "[]",
            "127.1",
            "0x7f.0.0.1",
            "1.2.3.4.5",
            "256.256.256.256",
            "1.2.3.256",
            "09.1",
            "0x",
            "08",
            "xn--bcher-kva.de",
            "bücher.de",
            "ex%41mple.org",
            "ex%2fample",
            "%zz",
            "a%",
            "h..",
            "h.",
            "1.2.3.",
            "user:@h",
            "::@h",
            "a@b@c",
            "exa_mple",
            "exa^mple",
            "exa|mple",
            "h#x",
            "h?x",
            "u:p:q@h",
            "ü:ß@h",
            "a<b",
            "",
            "h\\x",
        ];
        let paths = [
            "",
            "/",
            "/a/b",
            "/a/../b",
            "/a/./b/..",
            "/%2e%2E/x",
            "/a b",
            "/ä",
            "\\a\\b",
            "/{}",
            "/`\"'",
            "//x",
            "/..",
            "/a/.",
            "/.%2e/",
            "/%2e./a",
            "/a/%2E",
        ];
        let tails = [
            "",
            "?",
            "?a=b c'\"<>",
            "?ä`{}",
            "?#",
            "#",
            "#f g`<>",
            "#ä",
            "#a#b?c",
        ];
        for sc in schemes {
            for sep in seps {
                for a in auths {
                    for p in paths {
                        let s = format!("{sc}{sep}{a}{p}");
                        if let Err(e) = same(&s) {
                            bad.push(e);
                        }
                    }
                    for t in tails {
                        let s = format!("{sc}{sep}{a}/p{t}");
                        if let Err(e) = same(&s) {
                            bad.push(e);
                        }
                    }
                }
            }
        }
        // random strings over the characters that matter to the parser
        let alphabet: Vec<char> = "aAx:/\\?#@[]%.2eE0F7 \t'\"<>`{}^|ä\u{1}-+"
            .chars()
            .collect();
        let prefixes = [
            "http:", "https://", "mailto:", "foo:", "foo://", "file:", "ftp://h",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..100_000 {
            let mut s = prefixes[next(prefixes.len())].to_string();
            for _ in 0..next(16) {
                s.push(alphabet[next(alphabet.len())]);
            }
            if let Err(e) = same(&s) {
                bad.push(e);
            }
        }
        assert!(
            bad.is_empty(),
            "{} differences:\n{}",
            bad.len(),
            bad[..bad.len().min(40)].join("\n")
        );
    }
}

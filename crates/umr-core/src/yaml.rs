//! YAML (and JSON) parsing into an ordered value tree with source locations, and the
//! canonical YAML emitter.
//!
//! Parsing uses the event parser of `saphyr-parser` (a maintained, YAML 1.2 compliant
//! parser that reports a line and column for every event). The tree is built iteratively
//! (no recursion, so deep nesting cannot overflow the stack), with limits on depth, node
//! count, expanded bytes and string size. Aliases count at their expanded size and height:
//! an alias of a large string adds that string's bytes, an alias of a nested value adds its
//! height to the depth where it is used, and both are checked before the value is copied,
//! so alias bombs (by nodes, by bytes, or by depth) are refused before any expansion.
//! Plain scalars are resolved with the YAML 1.2 core schema; quoted scalars are strings.

use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::path;
use indexmap::IndexMap;
use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Where each value and each key of a document starts, by field path.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    values: HashMap<String, Loc>,
    keys: HashMap<String, Loc>,
}

impl SourceMap {
    /// Location of the value at `path`.
    pub fn value(&self, path: &str) -> Option<Loc> {
        self.values.get(path).copied()
    }
    /// Location of the key of the entry at `path` (falls back to the value).
    pub fn key(&self, path: &str) -> Option<Loc> {
        self.keys.get(path).copied().or_else(|| self.value(path))
    }
    /// Best location for a diagnostic at `path`: the value, else the nearest parent.
    pub fn locate(&self, path: &str) -> Option<Loc> {
        let mut p = path.to_string();
        loop {
            if let Some(l) = self.values.get(&p) {
                return Some(*l);
            }
            if p.is_empty() {
                return None;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p.truncate(i),
                None => p.clear(),
            }
        }
    }
    /// Fill the line and column of a diagnostic from its path, if it has none.
    pub fn place(&self, mut d: Diagnostic, prefer_key: bool) -> Diagnostic {
        if d.line.is_none() {
            let loc = if prefer_key {
                self.key(&d.path).or_else(|| self.locate(&d.path))
            } else {
                self.locate(&d.path)
            };
            if let Some(l) = loc {
                d = d.at(l.line, l.column);
            }
        }
        d
    }
    /// Shift every location by `lines` (used for front matter inside a larger file).
    pub fn shift_lines(&mut self, lines: usize) {
        for l in self.values.values_mut().chain(self.keys.values_mut()) {
            l.line += lines;
        }
    }
}

/// A parsed document: the ordered value tree and its source map.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The value tree (maps keep their key order).
    pub value: Value,
    /// Locations by field path.
    pub spans: SourceMap,
}

/// What a finished node adds to its document: nodes, bytes (of scalars and keys) and height
/// (0 for a scalar, 1 + the tallest child for a container). An anchor keeps the size of its
/// node, so that each alias of it is counted as what it expands to.
#[derive(Clone, Copy, Default)]
struct Size {
    nodes: usize,
    bytes: usize,
    height: usize,
}

enum Frame {
    Seq {
        items: Vec<Value>,
        path: String,
        anchor: usize,
        nodes_before: usize,
        bytes_before: usize,
        child_height: usize,
    },
    Map {
        map: Map<String, Value>,
        path: String,
        key: Option<String>,
        anchor: usize,
        nodes_before: usize,
        bytes_before: usize,
        child_height: usize,
    },
}

impl Frame {
    fn child_height(&mut self) -> &mut usize {
        match self {
            Frame::Seq { child_height, .. } | Frame::Map { child_height, .. } => child_height,
        }
    }
}

fn bytes_error(path: &str, limits: &Limits, here: Loc, alias: bool) -> Diagnostic {
    let d = err_at(
        "E_LIMIT_BYTES",
        path,
        format!(
            "document expands to more than {} bytes{}; refused",
            limits.max_expanded_bytes,
            if alias { " (alias expansion)" } else { "" }
        ),
        here,
    );
    if alias {
        d.with_help("this looks like a YAML alias bomb: an alias counts as the bytes it repeats")
    } else {
        d
    }
}

fn loc_of(m: &saphyr_parser::Marker) -> Loc {
    Loc {
        line: m.line(),
        column: m.col() + 1,
    }
}

fn err_at(code: &str, path: &str, msg: impl Into<String>, loc: Loc) -> Diagnostic {
    Diagnostic::error(code, path, msg).at(loc.line, loc.column)
}

/// Decode bytes as UTF-8 (dropping a leading BOM), with a located error on failure.
pub fn decode(bytes: &[u8]) -> Result<&str, Diagnostic> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.strip_prefix('\u{feff}').unwrap_or(s)),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let last_nl = good.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&good[last_nl..]).chars().count() + 1;
            Err(Diagnostic::error(
                "E_UTF8",
                "",
                format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            )
            .at(line, column)
            .with_help("records must be UTF-8 text"))
        }
    }
}

/// Parse YAML text (JSON is YAML 1.2) into a located value tree.
pub fn parse(text: &str, limits: &Limits) -> Result<Parsed, Diagnostic> {
    parse_inner(text, limits, true)
}

/// Parse YAML text into a value tree without recording locations (faster; errors still
/// carry the line and column of the event, but paths are empty). Callers re-parse with
/// [`parse`] when they need to place diagnostics.
pub fn parse_fast(text: &str, limits: &Limits) -> Result<Value, Diagnostic> {
    parse_inner(text, limits, false).map(|p| p.value)
}

fn parse_inner(text: &str, limits: &Limits, track: bool) -> Result<Parsed, Diagnostic> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut spans = SourceMap::default();
    let mut anchors: HashMap<usize, (Value, Size)> = HashMap::new();
    let mut nodes: usize = 0;
    let mut bytes: usize = 0;
    let mut root: Option<Value> = None;
    let mut docs = 0usize;

    while let Some(ev) = parser.next_event() {
        let (ev, span) = match ev {
            Ok(x) => x,
            Err(e) => {
                let l = loc_of(e.marker());
                if e.info().contains("recursion limit") {
                    // the parser's own guard against deep flow nesting
                    return Err(err_at(
                        "E_LIMIT_DEPTH",
                        "",
                        format!(
                            "nesting deeper than the parser allows ({}); refused",
                            e.info()
                        ),
                        l,
                    ));
                }
                return Err(err_at(
                    "E_YAML_SYNTAX",
                    "",
                    format!("YAML syntax error: {}", e.info()),
                    l,
                ));
            }
        };
        let here = loc_of(&span.start);
        match ev {
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    return Err(err_at(
                        "E_YAML_MULTI_DOC",
                        "",
                        "a record file holds exactly one YAML document",
                        here,
                    ));
                }
                continue;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
            _ => {}
        }

        // Determine the path of the node this event starts (if any).
        let cur_path = match stack.last() {
            _ if !track => String::new(),
            None => String::new(),
            Some(Frame::Seq { items, path, .. }) => path::index(path, items.len()),
            Some(Frame::Map {
                key: Some(k), path, ..
            }) => path::key(path, k),
            Some(Frame::Map {
                key: None, path, ..
            }) => path.clone(),
        };
        let awaiting_key = matches!(stack.last(), Some(Frame::Map { key: None, .. }));

        let finished: Option<(Value, usize, Size)> = match ev {
            Event::Scalar(text_val, style, anchor, tag) => {
                if text_val.len() > limits.max_string_bytes {
                    return Err(err_at(
                        "E_LIMIT_STRING",
                        &cur_path,
                        format!(
                            "string of {} bytes exceeds the limit of {} bytes",
                            text_val.len(),
                            limits.max_string_bytes
                        ),
                        here,
                    ));
                }
                let scalar_bytes = text_val.len();
                bytes = bytes.saturating_add(scalar_bytes);
                if bytes > limits.max_expanded_bytes {
                    return Err(bytes_error(&cur_path, limits, here, false));
                }
                if awaiting_key {
                    let k = text_val.into_owned();
                    if let Some(Frame::Map {
                        map, path: p, key, ..
                    }) = stack.last_mut()
                    {
                        let kp = if track {
                            path::key(p, &k)
                        } else {
                            String::new()
                        };
                        if map.contains_key(&k) {
                            let first = spans.keys.get(&kp).copied();
                            let mut d = err_at(
                                "E_DUPLICATE_KEY",
                                &kp,
                                format!("duplicate key `{k}`"),
                                here,
                            );
                            if let Some(f) = first {
                                d = d.with_help(format!(
                                    "first defined at line {}, column {}",
                                    f.line, f.column
                                ));
                            }
                            return Err(d);
                        }
                        if track {
                            spans.keys.insert(kp, here);
                        }
                        *key = Some(k);
                    }
                    continue;
                }
                nodes += 1;
                let force_str = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let v = if style == ScalarStyle::Plain && !force_str {
                    resolve_plain(&text_val)
                } else {
                    Value::String(text_val.into_owned())
                };
                let size = Size {
                    nodes: 1,
                    bytes: scalar_bytes,
                    height: 0,
                };
                Some((v, anchor, size))
            }
            Event::Alias(id) => {
                if awaiting_key {
                    return Err(err_at(
                        "E_YAML_COMPLEX_KEY",
                        &cur_path,
                        "aliases are not allowed as mapping keys",
                        here,
                    ));
                }
                let Some((v, size)) = anchors.get(&id) else {
                    return Err(err_at("E_YAML_SYNTAX", &cur_path, "unknown alias", here));
                };
                let size = *size;
                if stack.len().saturating_add(size.height) > limits.max_depth {
                    return Err(err_at(
                        "E_LIMIT_DEPTH",
                        &cur_path,
                        format!(
                            "nesting deeper than {} levels once the alias is expanded; refused",
                            limits.max_depth
                        ),
                        here,
                    )
                    .with_help("an alias counts at the depth of the value it repeats"));
                }
                bytes = bytes.saturating_add(size.bytes);
                if bytes > limits.max_expanded_bytes {
                    return Err(bytes_error(&cur_path, limits, here, true));
                }
                nodes = nodes.saturating_add(size.nodes);
                if nodes > limits.max_nodes {
                    return Err(err_at(
                        "E_LIMIT_NODES",
                        &cur_path,
                        format!(
                            "document expands to more than {} nodes (alias expansion); refused",
                            limits.max_nodes
                        ),
                        here,
                    )
                    .with_help("this looks like a YAML alias bomb"));
                }
                Some((v.clone(), 0, size))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if awaiting_key {
                    return Err(err_at(
                        "E_YAML_COMPLEX_KEY",
                        &cur_path,
                        "mapping keys must be plain scalars",
                        here,
                    ));
                }
                if stack.len() >= limits.max_depth {
                    return Err(err_at(
                        "E_LIMIT_DEPTH",
                        &cur_path,
                        format!("nesting deeper than {} levels; refused", limits.max_depth),
                        here,
                    ));
                }
                nodes += 1;
                if track {
                    spans.values.insert(cur_path.clone(), here);
                }
                let is_seq = matches!(ev, Event::SequenceStart(..));
                stack.push(if is_seq {
                    Frame::Seq {
                        items: Vec::new(),
                        path: cur_path.clone(),
                        anchor,
                        nodes_before: nodes,
                        bytes_before: bytes,
                        child_height: 0,
                    }
                } else {
                    Frame::Map {
                        map: Map::new(),
                        path: cur_path.clone(),
                        key: None,
                        anchor,
                        nodes_before: nodes,
                        bytes_before: bytes,
                        child_height: 0,
                    }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                // containers are stored at their exact size (a registry holds millions)
                Some(Frame::Seq {
                    mut items,
                    anchor,
                    nodes_before,
                    bytes_before,
                    child_height,
                    ..
                }) => {
                    items.shrink_to_fit();
                    let size = Size {
                        nodes: nodes - nodes_before + 1,
                        bytes: bytes - bytes_before,
                        height: child_height + 1,
                    };
                    Some((Value::Array(items), anchor, size))
                }
                Some(Frame::Map {
                    map,
                    anchor,
                    nodes_before,
                    bytes_before,
                    child_height,
                    ..
                }) => {
                    let map: Map<String, Value> = map.into_iter().collect();
                    let size = Size {
                        nodes: nodes - nodes_before + 1,
                        bytes: bytes - bytes_before,
                        height: child_height + 1,
                    };
                    Some((Value::Object(map), anchor, size))
                }
                None => None,
            },
            _ => None,
        };

        if nodes > limits.max_nodes {
            return Err(err_at(
                "E_LIMIT_NODES",
                &cur_path,
                format!("document has more than {} nodes; refused", limits.max_nodes),
                here,
            ));
        }

        if let Some((value, anchor, size)) = finished {
            if anchor != 0 {
                anchors.insert(anchor, (value.clone(), size));
            }
            if let Some(parent) = stack.last_mut() {
                let h = parent.child_height();
                *h = (*h).max(size.height);
            }
            // Scalars and aliases record their own location; containers did at start.
            match stack.last_mut() {
                None => {
                    if track {
                        spans.values.entry(String::new()).or_insert(here);
                    }
                    root = Some(value);
                }
                Some(Frame::Seq { items, path: p, .. }) => {
                    if track {
                        let ip = path::index(p, items.len());
                        spans.values.entry(ip).or_insert(here);
                    }
                    items.push(value);
                }
                Some(Frame::Map {
                    map, path: p, key, ..
                }) => {
                    if let Some(k) = key.take() {
                        if track {
                            let kp = path::key(p, &k);
                            spans.values.entry(kp).or_insert(here);
                        }
                        map.insert(k, value);
                    }
                }
            }
        }
    }
    Ok(Parsed {
        value: root.unwrap_or(Value::Null),
        spans,
    })
}

/// The syntax error of a JSON text, located, if it has one: `E_JSON_SYNTAX`, or
/// `E_JSON_SURROGATE` for a `\uD800`–`\uDFFF` escape that is not half of a surrogate pair
/// (such a string has no Unicode value). `None` when the text is well-formed JSON (it may
/// still break a limit or repeat a key, which [`parse`] reports).
pub fn json_syntax_error(text: &str) -> Option<Diagnostic> {
    let located = |code: &str, e: serde_json::Error| {
        Diagnostic::error(code, "", format!("JSON syntax error: {e}"))
            .at(e.line().max(1), e.column().max(1))
    };
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Some(located("E_JSON_SYNTAX", e));
    }
    // serde_json takes a lone surrogate escape as a replacement character: look for them
    lone_surrogate(text).map(|(line, column)| {
        Diagnostic::error(
            "E_JSON_SURROGATE",
            "",
            "JSON string escape `\\u` of a lone UTF-16 surrogate (U+D800–U+DFFF not in a \
             high-low pair): it stands for no character",
        )
        .at(line, column)
    })
}

/// The line and column of the first `\uXXXX` escape of a lone UTF-16 surrogate in
/// well-formed JSON text (backslashes only occur inside strings there).
fn lone_surrogate(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let hex = |i: usize| -> Option<u32> {
        let h = b.get(i..i + 4)?;
        u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
    };
    let at = |i: usize| {
        let before = &text[..i];
        let line = before.matches('\n').count() + 1;
        let col = before[before.rfind('\n').map_or(0, |p| p + 1)..]
            .chars()
            .count()
            + 1;
        (line, col)
    };
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        if b.get(i + 1) != Some(&b'u') {
            i += 2; // any other escape, `\\` included
            continue;
        }
        let u = hex(i + 2)?;
        if (0xDC00..=0xDFFF).contains(&u) {
            return Some(at(i));
        }
        if (0xD800..=0xDBFF).contains(&u) {
            let low = (b.get(i + 6) == Some(&b'\\') && b.get(i + 7) == Some(&b'u'))
                .then(|| hex(i + 8))
                .flatten();
            match low {
                Some(l) if (0xDC00..=0xDFFF).contains(&l) => {
                    i += 12;
                    continue;
                }
                _ => return Some(at(i)),
            }
        }
        i += 6;
    }
    None
}

/// Parse JSON strictly into a value tree: duplicate keys, nesting deeper than the limit,
/// too many nodes and too long strings are refused. Returns `None` on any problem; the
/// caller then re-parses with [`parse`] to report it with a location.
pub fn parse_json_fast(text: &str, limits: &Limits) -> Option<Value> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_str(text);
    let mut budget = Budget {
        nodes: 0,
        limits: *limits,
    };
    let v = Strict {
        depth: 0,
        budget: &mut budget,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    Some(v)
}

struct Budget {
    nodes: usize,
    limits: Limits,
}

struct Strict<'b> {
    depth: usize,
    budget: &'b mut Budget,
}

impl<'de> serde::de::DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: serde::de::Error>(mut self, v: bool) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(mut self, v: i64) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: serde::de::Error>(mut self, v: u64) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(mut self, v: f64) -> Result<Value, E> {
        self.count()?;
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("non-finite number"))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.visit_string(v.to_string())
    }
    fn visit_string<E: serde::de::Error>(mut self, v: String) -> Result<Value, E> {
        if v.len() > self.budget.limits.max_string_bytes {
            return Err(E::custom("string too long"));
        }
        self.count()?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: serde::de::Error>(mut self) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut a: A) -> Result<Value, A::Error> {
        use serde::de::Error;
        self.count()?;
        if self.depth + 1 > self.budget.limits.max_depth {
            return Err(A::Error::custom("too deep"));
        }
        let mut items = Vec::new();
        while let Some(v) = a.next_element_seed(Strict {
            depth: self.depth + 1,
            budget: &mut *self.budget,
        })? {
            items.push(v);
        }
        items.shrink_to_fit();
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut a: A) -> Result<Value, A::Error> {
        use serde::de::Error;
        self.count()?;
        if self.depth + 1 > self.budget.limits.max_depth {
            return Err(A::Error::custom("too deep"));
        }
        // collected first, so the map is allocated at its exact size (a registry holds
        // millions of small maps)
        let mut entries: Vec<(String, Value)> = Vec::with_capacity(a.size_hint().unwrap_or(0));
        while let Some(k) = a.next_key::<String>()? {
            if k.len() > self.budget.limits.max_string_bytes {
                return Err(A::Error::custom("key too long"));
            }
            let v = a.next_value_seed(Strict {
                depth: self.depth + 1,
                budget: &mut *self.budget,
            })?;
            entries.push((k, v));
        }
        let n = entries.len();
        let m: Map<String, Value> = entries.into_iter().collect();
        if m.len() != n {
            return Err(A::Error::custom("duplicate key"));
        }
        Ok(Value::Object(m))
    }
}

impl Strict<'_> {
    fn count<E: serde::de::Error>(&mut self) -> Result<(), E> {
        self.budget.nodes += 1;
        if self.budget.nodes > self.budget.limits.max_nodes {
            return Err(E::custom("too many nodes"));
        }
        Ok(())
    }
}

/// For locating only: replace every `\uD800`–`\uDFFF` escape in JSON text by `\u003F`
/// (the same length, so every line and column stays put). JSON encodes characters outside
/// the Basic Multilingual Plane as surrogate pairs, which a YAML parser refuses.
pub fn mask_json_surrogates(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\\u") {
        return std::borrow::Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            let hex = b.get(i + 2..i + 6);
            if b.get(i + 1) == Some(&b'u') {
                if let Some(h) = hex {
                    let is_surrogate = h.iter().all(u8::is_ascii_hexdigit)
                        && matches!(h[0], b'd' | b'D')
                        && matches!(h[1], b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F');
                    if is_surrogate {
                        out.push_str(&text[last..i]);
                        out.push_str("\\u003F");
                        i += 6;
                        last = i;
                        continue;
                    }
                }
            }
            i += 2; // skip the escaped character
            continue;
        }
        i += 1;
    }
    out.push_str(&text[last..]);
    std::borrow::Cow::Owned(out)
}

/// Resolve a plain scalar with the YAML 1.2 core schema.
pub fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if is_int(s) {
        if let Ok(i) = s.parse::<i64>() {
            return Value::Number(i.into());
        }
        if let Ok(u) = s.trim_start_matches('+').parse::<u64>() {
            return Value::Number(u.into());
        }
    }
    if let Some(h) = s.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(h, 16) {
            return Value::Number(i.into());
        }
    }
    if let Some(o) = s.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(o, 8) {
            return Value::Number(i.into());
        }
    }
    if is_float(s) {
        if let Ok(f) = s.parse::<f64>() {
            if let Some(n) = Number::from_f64(f) {
                return Value::Number(n);
            }
        }
    }
    Value::String(s.to_string())
}

fn is_int(s: &str) -> bool {
    let d = s.strip_prefix(['-', '+']).unwrap_or(s);
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
}

fn is_float(s: &str) -> bool {
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    let b = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e') | Some(b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-') | Some(b'+')) {
            i += 1;
        }
        let e = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if e == 0 {
            return false;
        }
        i += e;
    }
    i == b.len()
}

// ---------------------------------------------------------------------------------------
// Emitter
// ---------------------------------------------------------------------------------------

/// Emit a value as canonical UMR YAML: block style, two-space indentation, sequences
/// indented under their key, keys in their stored order, strings plain where that reads
/// back as the same string, single-quoted where possible, double-quoted otherwise, and
/// multi-line text as a literal block.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => emit_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => emit_seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn emit_map(out: &mut String, m: &Map<String, Value>, ind: usize) {
    for (k, v) in m {
        indent(out, ind);
        push_key(out, k, ind);
        emit_child(out, v, ind);
    }
}

/// YAML limits an implicit key (`key: value`) to 1,024 characters; a longer key is written
/// as an explicit key (`? key` then `: value` on the next line, at the key's indentation).
const IMPLICIT_KEY_MAX: usize = 1000;

/// Write a mapping key and its `:`; the cursor is already at column `ind`.
fn push_key(out: &mut String, k: &str, ind: usize) {
    let key = key_str(k);
    if key.chars().count() > IMPLICIT_KEY_MAX {
        out.push_str("? ");
        out.push_str(&key);
        out.push('\n');
        indent(out, ind);
    } else {
        out.push_str(&key);
    }
    out.push(':');
}

fn emit_seq(out: &mut String, a: &[Value], ind: usize) {
    for v in a {
        indent(out, ind);
        out.push('-');
        match v {
            Value::Object(m) if !m.is_empty() => {
                // first key on the dash line
                let mut first = true;
                for (k, vv) in m {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        indent(out, ind + 2);
                    }
                    push_key(out, k, ind + 2);
                    emit_child(out, vv, ind + 2);
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

fn emit_child(out: &mut String, v: &Value, ind: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            emit_map(out, m, ind + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            emit_seq(out, a, ind + 2);
        }
        Value::Null => out.push('\n'),
        other => {
            out.push(' ');
            out.push_str(&scalar(other, ind + 2));
            out.push('\n');
        }
    }
}

fn key_str(k: &str) -> String {
    if plain_ok(k) {
        k.to_string()
    } else {
        quote(k)
    }
}

fn scalar(v: &Value, ind: usize) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            let s = n.to_string();
            // keep floats recognisable as floats
            if n.is_f64() && !s.contains(['.', 'e', 'E']) {
                format!("{s}.0")
            } else {
                s
            }
        }
        Value::String(s) => string_scalar(s, ind),
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

fn string_scalar(s: &str, ind: usize) -> String {
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
                indent(&mut out, ind);
                out.push_str(line);
            }
        }
        return out;
    }
    quote(s)
}

/// Characters that are invisible or act on a terminal or on the text around them: control
/// characters (C0 but the line feed, DEL, C1), the byte order mark, the line and paragraph
/// separators and the bidirectional controls. The emitters write them as `\uXXXX` escapes
/// (which YAML double-quoted scalars and JSON strings read back exactly), never raw.
pub fn is_invisible(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{feff}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// A JSON string literal of `s` with every [`is_invisible`] character escaped as `\uXXXX`
/// (serde_json escapes only C0): the same value, and safe to print.
pub fn json_string(s: &str) -> String {
    escape_invisible_json(serde_json::to_string(s).unwrap_or_default())
}

/// Escape every raw [`is_invisible`] character of serialised JSON text as `\uXXXX`. Such
/// characters can only stand inside JSON strings, where the escape is the same value.
pub fn escape_invisible_json(json: String) -> String {
    if !json
        .chars()
        .any(|c| is_invisible(c) && c != '\t' && c != '\r')
    {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_invisible(c) && c != '\t' && c != '\r' {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn block_ok(s: &str) -> bool {
    // A literal block infers its indentation from the first line, so that line must be
    // non-empty and must not start with blank space; trailing blanks and control
    // characters do not survive a literal block.
    let first = s.split('\n').next().unwrap_or("");
    !first.is_empty()
        && !first.starts_with([' ', '\t'])
        && !s.chars().any(is_invisible)
        && !s.split('\n').any(|l| l.ends_with([' ', '\t']))
        && !s.ends_with("\n\n")
}

fn quote(s: &str) -> String {
    if !s.chars().any(|c| is_invisible(c) || c == '\n' || c == '\'') {
        return format!("'{s}'");
    }
    // JSON escapes are valid in YAML double-quoted scalars
    json_string(s)
}

fn plain_ok(s: &str) -> bool {
    if s.is_empty() || s.trim() != s || s.len() > 200 {
        return false;
    }
    if !matches!(resolve_plain(s), Value::String(_)) {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !(first == '-' && s.len() > 1 && !s.starts_with("- ") && s != "---")
    {
        return false;
    }
    if s.starts_with("- ") || s == "-" || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    if s.contains([',', '[', ']', '{', '}']) {
        // safe in block context but keep flow-safety simple
        return false;
    }
    if s.chars().any(|c| is_invisible(c) || c == '\n') {
        return false;
    }
    // values like .inf, .nan, 0x.., 0o.. that other parsers treat as special
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        ".inf" | "-.inf" | "+.inf" | ".nan" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) {
        return false;
    }
    true
}

/// Emit a value as canonical JSON (two-space indented, key order kept, trailing newline).
pub fn to_json(v: &Value) -> String {
    let mut s = escape_invisible_json(
        serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".to_string()),
    );
    s.push('\n');
    s
}

/// Convert an `IndexMap` of values to a JSON map (key order kept).
pub fn map_from(m: IndexMap<String, Value>) -> Map<String, Value> {
    m.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Parsed {
        match parse(s, &Limits::default()) {
            Ok(p) => p,
            Err(d) => unreachable!("{d}"),
        }
    }

    #[test]
    fn locations_and_order() {
        let d = p("b: 1\na:\n  - x\n  - y: '2'\n");
        assert_eq!(
            serde_json::to_string(&d.value).unwrap_or_default(),
            r#"{"b":1,"a":["x",{"y":"2"}]}"#
        );
        assert_eq!(d.spans.value("a[1].y"), Some(Loc { line: 4, column: 8 }));
        assert_eq!(d.spans.key("a"), Some(Loc { line: 2, column: 1 }));
    }

    #[test]
    fn duplicate_key() {
        let e = parse("a: 1\nb: 2\na: 3\n", &Limits::default()).err();
        assert_eq!(
            e.as_ref().map(|d| (d.code.as_str(), d.line)),
            Some(("E_DUPLICATE_KEY", Some(3)))
        );
    }

    #[test]
    fn alias_bomb_refused() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            s.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        let e = parse(&s, &Limits::default()).err();
        assert_eq!(e.map(|d| d.code), Some("E_LIMIT_NODES".to_string()));
    }

    #[test]
    fn deep_nesting_refused() {
        let s = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = parse(&s, &Limits::default()).err();
        assert_eq!(e.map(|d| d.code), Some("E_LIMIT_DEPTH".to_string()));
    }

    #[test]
    fn emitter_round_trip() {
        let src = "name: a\nlist:\n  - 'yes'\n  - '1.0'\n  - multi\n  - {k: \"line1\\nline2\\n\", e: '', n: null, f: 1.5, i: -3}\nnested:\n  - [1, 2]\n  - []\n  - {}\nweird: \"tab\\there 'q'\"\nkey with space: ': x'\n";
        let a = p(src).value;
        let out = to_yaml(&a);
        let b = p(&out).value;
        assert_eq!(a, b, "{out}");
        let tricky = serde_json::json!({
            "--- x": "\n", "... y": "\n  x", "z": "a\n\n  b\n", "w": "---", "v": "...",
            "u": " lead\nline", "t": "trail \nline", "s": "x\n\n\n"
        });
        let out = to_yaml(&tricky);
        assert_eq!(p(&out).value, tricky, "{out}");
    }
}

#[cfg(test)]
mod json_error_tests {
    use super::json_syntax_error;

    #[test]
    fn lone_surrogates_have_their_own_code() {
        for text in [
            r#"{"a": "x\ud800y"}"#,
            r#"{"a": "\uDC00"}"#,
            r#"["\ud83d"]"#,
        ] {
            let d = json_syntax_error(text).map(|d| (d.code, d.line, d.message));
            assert_eq!(
                d.as_ref().map(|d| d.0.as_str()),
                Some("E_JSON_SURROGATE"),
                "{text}: {d:?}"
            );
        }
        assert!(json_syntax_error(r#"{"a": "\ud83d\ude00"}"#).is_none());
        assert_eq!(
            json_syntax_error(r#"{"a": }"#).map(|d| d.code),
            Some("E_JSON_SYNTAX".to_string())
        );
    }
}

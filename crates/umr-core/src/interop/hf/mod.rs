//! Hugging Face model and dataset cards (`README.md`: YAML front matter + Markdown body).
//!
//! Import reads the front matter into record fields (see `docs/interop.md` for the table),
//! keeps every other key verbatim in `extensions.hf` (in order), lifts body sections whose
//! heading matches a card section into `card.*` / `description`, and stores what export
//! needs to write the same card back in `extensions.hf_card`:
//!
//! - `order`: the front-matter key order, when export would not produce it by itself;
//! - `original`: the card's own form of mapped keys whose canonical form differs (e.g.
//!   `language: en` rather than `[en]`, a relative `license_link`); export writes the
//!   original form while the record's data for those keys is unchanged;
//! - `body`: the body as segments (verbatim text and references to lifted sections).
//!
//! So HF → record → HF gives back every front-matter key and value, and the body byte for
//! byte; a record that never was a card exports with canonical keys and a generated body.

mod body;
mod emit;
mod fields;
mod front;

use crate::diagnostic::{did_you_mean, Diagnostic, Result, UmrError};
use crate::limits::Limits;
use crate::model::{Kind, CARD_SECTIONS, FORMAT_VERSION};
use crate::record::Record;
use crate::registry::Registry;
use crate::yaml::{self, SourceMap};
use body::CardKind;
use fields::{canonical_group, from_record, import_group, Ctx, Group, Mapped};
use serde_json::{json, Map, Value};

/// Options for importing a card (deserialisable, so bindings can pass a dict / object;
/// missing fields take the defaults below).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HfImportOptions {
    /// Record name (`name` or `org/name`, as Hub repository ids). Default: the card's
    /// `model_name`, its `model-index` name, its `pretty_name`, or the file name (the parent
    /// folder for `README.md`), cleaned into a valid name.
    pub name: Option<String>,
    /// Record version (default `1.0.0`).
    pub version: Option<String>,
    /// Card kind. Default: detected from the keys (`base_model`, `model-index`,
    /// `library_name`, `pipeline_tag` → model; `pretty_name`, `task_categories`,
    /// `size_categories`, `source_datasets`, `dataset_info`, `configs` → dataset; else model).
    pub kind: Option<Kind>,
    /// File name, for diagnostics and the default name.
    pub file: Option<String>,
    /// Resource limits for the front matter.
    pub limits: Limits,
}

/// Keys the Hub documents for model and dataset cards that have no record field (kept in
/// `extensions.hf` without a warning).
const KNOWN_KEYS: &[&str] = &[
    "language",
    "license",
    "license_name",
    "license_link",
    "library_name",
    "tags",
    "datasets",
    "metrics",
    "base_model",
    "base_model_relation",
    "model-index",
    "pipeline_tag",
    "new_version",
    "co2_eq_emissions",
    "widget",
    "inference",
    "thumbnail",
    "model_name",
    "model_creator",
    "model_type",
    "buckets",
    "extra_gated_prompt",
    "extra_gated_fields",
    "extra_gated_heading",
    "extra_gated_description",
    "extra_gated_button_content",
    "extra_gated_eu_disallowed",
    "gated",
    "pretty_name",
    "annotations_creators",
    "language_creators",
    "language_details",
    "multilinguality",
    "size_categories",
    "source_datasets",
    "task_categories",
    "task_ids",
    "paperswithcode_id",
    "configs",
    "dataset_info",
    "train-eval-index",
    "viewer",
    "quantized_by",
    "prompt_template",
    "eval_results",
    "language_bcp47",
    "license_details",
];

const MODEL_KEYS: &[&str] = &[
    "base_model",
    "base_model_relation",
    "model-index",
    "library_name",
    "pipeline_tag",
    "new_version",
];
const DATASET_KEYS: &[&str] = &[
    "pretty_name",
    "task_categories",
    "size_categories",
    "source_datasets",
    "dataset_info",
    "configs",
    "annotations_creators",
    "language_creators",
    "multilinguality",
    "task_ids",
    "paperswithcode_id",
    "train-eval-index",
];

fn detect_kind(fm: &Map<String, Value>) -> CardKind {
    if MODEL_KEYS.iter().any(|k| fm.contains_key(*k)) {
        CardKind::Model
    } else if DATASET_KEYS.iter().any(|k| fm.contains_key(*k)) {
        CardKind::Dataset
    } else {
        CardKind::Model
    }
}

/// A card read into its parts (front matter as a value tree, located on demand; the body).
#[derive(Debug, Clone)]
pub struct CardParts {
    /// The front matter (an empty mapping when the card has none).
    pub front_matter: Map<String, Value>,
    /// Locations of front-matter values, computed on first use (see [`CardParts::spans`]).
    spans: std::sync::OnceLock<SourceMap>,
    /// The front-matter text as parsed (after lenient repairs), its first line's offset in
    /// the card, and the limits it was parsed with: what [`CardParts::spans`] needs.
    located_from: Option<(String, usize, Limits)>,
    /// Whether the card has a front-matter block.
    pub has_front_matter: bool,
    /// The Markdown body.
    pub body: String,
    /// Warnings about the layout.
    pub warnings: Vec<Diagnostic>,
}

/// Split and parse a card: the located front matter and the body. Errors (an unclosed
/// block, YAML errors, a front matter that is not a mapping) carry the line and column in
/// the card file.
pub fn read_card(text: &str, limits: &Limits, file: Option<&str>) -> Result<CardParts> {
    let fail = |d: Diagnostic| UmrError::Invalid(vec![d.in_file(file)]);
    if text.len() > limits.max_file_bytes {
        return Err(fail(Diagnostic::error(
            "E_LIMIT_SIZE",
            "",
            format!(
                "card is {} bytes; the limit is {} bytes",
                text.len(),
                limits.max_file_bytes
            ),
        )));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut warnings = Vec::new();
    let owned;
    let text = if text.contains('\r') {
        let line = text[..text.find('\r').unwrap_or(0)].matches('\n').count() + 1;
        warnings.push(
            Diagnostic::warning(
                "W_HF_CRLF",
                "",
                "Windows (CRLF) line ends; read as `\\n` (export writes `\\n`)",
            )
            .at(line, 1),
        );
        owned = text.replace("\r\n", "\n").replace('\r', "\n");
        owned.as_str()
    } else {
        text
    };
    let split = front::split(text).map_err(fail)?;
    warnings.extend(split.warnings);
    let mut repaired: Option<String> = None;
    // the successful parse of the (possibly repaired) front matter, kept so it is not parsed
    // twice; locations are computed only when a diagnostic needs them
    let mut parsed: Option<Value> = None;
    if let Some(f) = &split.front {
        // lenient reading: quoted scalars whose continuation lines are not indented
        let mut cur = f.clone();
        for _ in 0..MAX_REPAIRS {
            let d = match yaml::parse_fast(&cur, limits) {
                Ok(v) => {
                    parsed = Some(v);
                    break;
                }
                Err(d) => d,
            };
            if !d.message.contains("invalid indentation in quoted scalar") {
                break;
            }
            let (Some(l), Some(c)) = (d.line, d.column) else {
                break;
            };
            let Some(next) = reindent_quoted(&cur, l, c) else {
                break;
            };
            if next == cur {
                break;
            }
            warnings.push(
                Diagnostic::warning(
                    "W_HF_YAML_INDENT",
                    "",
                    "the continuation lines of this quoted string are not indented (YAML requires it, PyYAML accepts it); read as if they were",
                )
                .at(l + split.offset, c)
                .with_help("indent every line of a multi-line quoted string, or use a block scalar `|`"),
            );
            cur = next;
            repaired = Some(cur.clone());
        }
    }
    let front = repaired.as_ref().or(split.front.as_ref());
    let front_matter = match front {
        None => Map::new(),
        Some(f) => match parsed.map_or_else(|| yaml::parse(f, limits).map(|p| p.value), Ok) {
            Err(mut d) => {
                d.line = Some(d.line.unwrap_or(1) + split.offset);
                if d.column.is_none() {
                    d.column = Some(1);
                }
                return Err(fail(d));
            }
            Ok(Value::Object(m)) => m,
            Ok(Value::Null) => Map::new(),
            Ok(other) => {
                let loc = yaml::parse(f, limits)
                    .ok()
                    .and_then(|p| p.spans.value(""))
                    .map(|l| (l.line + split.offset, l.column));
                let (line, column) = loc.unwrap_or((split.offset + 1, 1));
                return Err(fail(
                    Diagnostic::error(
                        "E_HF_FRONT_MATTER_TYPE",
                        "",
                        format!(
                            "the card metadata must be a mapping of keys, found {}",
                            crate::validate::type_name(&other)
                        ),
                    )
                    .at(line, column)
                    .with_help("write `key: value` lines between the `---` lines"),
                ));
            }
        },
    };
    Ok(CardParts {
        front_matter,
        spans: std::sync::OnceLock::new(),
        located_from: front.map(|f| (f.clone(), split.offset, *limits)),
        has_front_matter: split.front.is_some(),
        body: split.body,
        warnings: warnings.into_iter().map(|d| d.in_file(file)).collect(),
    })
}

impl CardParts {
    /// Locations of front-matter values and keys, in lines of the whole card file.
    /// Computed on first use (a second, location-tracking parse of the front matter), so
    /// a card read without diagnostics does not pay for them.
    pub fn spans(&self) -> &SourceMap {
        self.spans.get_or_init(|| match &self.located_from {
            Some((text, offset, limits)) => match yaml::parse(text, limits) {
                Ok(p) => {
                    let mut sp = p.spans;
                    sp.shift_lines(*offset);
                    sp
                }
                Err(_) => SourceMap::default(),
            },
            None => SourceMap::default(),
        })
    }
}

const MAX_REPAIRS: usize = 64;

/// Indent the continuation lines of the quoted scalar that starts at `line`:`column`
/// (1-based) to that column, so a strict YAML parser reads what PyYAML reads (leading
/// white space of continuation lines is folded away, so the value does not change).
fn reindent_quoted(text: &str, line: usize, column: usize) -> Option<String> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(line_start..)?;
    let start = line_start + rest.char_indices().nth(column.saturating_sub(1))?.0;
    let bytes = text.as_bytes();
    let quote = *bytes.get(start)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let indent = column.saturating_sub(1).max(1);
    let mut out = String::with_capacity(text.len() + 256);
    out.push_str(&text[..=start]);
    let mut i = start + 1;
    let mut at_line_start = false;
    while i < bytes.len() {
        let b = bytes[i];
        if at_line_start {
            at_line_start = false;
            let spaces = text[i..].chars().take_while(|c| *c == ' ').count();
            let blank = text[i + spaces..].starts_with('\n');
            if !blank && spaces < indent {
                out.extend(std::iter::repeat_n(' ', indent - spaces));
            }
        }
        if quote == b'"' && b == b'\\' {
            let ch_len = text[i + 1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&text[i..i + 1 + ch_len]);
            i += 1 + ch_len;
            continue;
        }
        if b == quote {
            if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                out.push_str("''");
                i += 2;
                continue;
            }
            out.push_str(&text[i..]);
            return Some(out);
        }
        let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + ch_len]);
        if b == b'\n' {
            at_line_start = true;
        }
        i += ch_len;
    }
    None
}

fn card_kind(k: Kind) -> CardKind {
    match k {
        Kind::Dataset => CardKind::Dataset,
        Kind::Model | Kind::Family => CardKind::Model,
    }
}

fn default_name(fm: &Map<String, Value>, file: Option<&str>) -> Option<String> {
    let mut cands: Vec<String> = Vec::new();
    if let Some(s) = fm
        .get("model_name")
        .and_then(crate::interop::util::scalar_string)
    {
        cands.push(s);
    }
    if let Some(Value::Array(mi)) = fm.get("model-index") {
        if let Some(n) = mi
            .first()
            .and_then(|e| e.get("name"))
            .and_then(Value::as_str)
        {
            cands.push(n.to_string());
        }
    }
    if let Some(s) = fm.get("pretty_name").and_then(Value::as_str) {
        cands.push(s.to_string());
    }
    if let Some(f) = file {
        let p = std::path::Path::new(f);
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned());
        match stem {
            Some(s) if !s.eq_ignore_ascii_case("readme") => cands.push(s),
            _ => {
                if let Some(parent) = p
                    .parent()
                    .and_then(|x| x.file_name())
                    .map(|s| s.to_string_lossy().into_owned())
                {
                    cands.push(parent);
                }
            }
        }
    }
    cands
        .iter()
        .find_map(|c| crate::interop::util::hub_name(c).map(|(n, _)| n))
}

fn same<K: AsRef<str>, V: std::borrow::Borrow<Value>>(a: &[(K, V)], b: &[(String, Value)]) -> bool {
    // the same keys, each once, with equal values, in any order (no copies: groups are small)
    let once_a = |k: &str| a.iter().filter(|(x, _)| x.as_ref() == k).count() == 1;
    let once_b = |k: &str| b.iter().filter(|(x, _)| x == k).count() == 1;
    a.len() == b.len()
        && a.iter().all(|(k, v)| {
            let (k, v) = (k.as_ref(), v.borrow());
            once_a(k) && once_b(k) && b.iter().any(|(k2, v2)| k2 == k && v2 == v)
        })
}

/// Write the front matter of a card: the mapped groups (original forms while unchanged),
/// then the extension keys, then `model-index`; reordered by `order` when given.
fn assemble(
    kind: CardKind,
    cur: &Mapped,
    rec_name: &str,
    original: Option<&Map<String, Value>>,
    ext: Option<&Map<String, Value>>,
    order: Option<&[String]>,
) -> Map<String, Value> {
    assemble_with(kind, cur, rec_name, None, original, ext, order)
}

/// [`assemble`], with the canonical form of each group of `Group::for_kind(kind)` already
/// computed (`canon`, in that order) when the caller has it.
fn assemble_with(
    kind: CardKind,
    cur: &Mapped,
    rec_name: &str,
    canon: Option<&[Vec<(String, Value)>]>,
    original: Option<&Map<String, Value>>,
    ext: Option<&Map<String, Value>>,
    order: Option<&[String]>,
) -> Map<String, Value> {
    let mut head: Vec<(String, Value)> = Vec::new();
    let mut tail: Vec<(String, Value)> = Vec::new();
    for (gi, g) in Group::for_kind(kind).enumerate() {
        let can = match canon.and_then(|c| c.get(gi)) {
            Some(c) => c.clone(),
            None => canonical_group(g, cur, rec_name),
        };
        let orig: Vec<(String, Value)> = original
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| g.keys().contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let chosen = if orig.is_empty() {
            can
        } else {
            let om: Map<String, Value> = orig.iter().cloned().collect();
            let mut mo = Mapped::default();
            let mut ctx = Ctx::new(None, Some(rec_name.to_string()));
            import_group(g, &om, &mut ctx, &mut mo);
            if same(&canonical_group(g, &mo, rec_name), &can) {
                orig
            } else {
                can
            }
        };
        if g == Group::ModelIndex {
            tail.extend(chosen);
        } else {
            head.extend(chosen);
        }
    }
    let mut out = Map::new();
    for (k, v) in head {
        out.insert(k, v);
    }
    if let Some(e) = ext {
        for (k, v) in e {
            if !out.contains_key(k) && !tail.iter().any(|(t, _)| t == k) {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    for (k, v) in tail {
        out.insert(k, v);
    }
    match order {
        Some(order) => {
            let mut ordered = Map::new();
            for k in order {
                if let Some(v) = out.remove(k) {
                    ordered.insert(k.clone(), v);
                }
            }
            for (k, v) in out {
                ordered.insert(k, v);
            }
            ordered
        }
        None => out,
    }
}

/// Import a card (model or dataset, detected unless `opts.kind` says) into a record.
/// Returns the record and the warnings (located in the card file); errors are
/// [`UmrError::Invalid`] with located diagnostics.
pub fn import_card(text: &str, opts: &HfImportOptions) -> Result<(Record, Vec<Diagnostic>)> {
    let file = opts.file.as_deref();
    let parts = read_card(text, &opts.limits, file)?;
    let fm = &parts.front_matter;
    let mut warnings = parts.warnings.clone();
    let ckind = match opts.kind {
        Some(k) => card_kind(k),
        None => detect_kind(fm),
    };
    let kind = opts.kind.unwrap_or(match ckind {
        CardKind::Model => Kind::Model,
        CardKind::Dataset => Kind::Dataset,
    });
    // identity
    let name = match &opts.name {
        Some(n) => {
            crate::names::check_name(n).map_err(|e| {
                UmrError::Invalid(vec![Diagnostic::error("E_NAME", "name", e)
                    .with_help("pass a name such as `org/model` (letters, digits, `.`, `_`, `-`)")])
            })?;
            n.clone()
        }
        None => default_name(fm, file).ok_or_else(|| {
            UmrError::Invalid(vec![Diagnostic::error(
                "E_HF_NAME",
                "",
                "cannot derive a record name from the card (no model_name, model-index name, pretty_name or usable file name)",
            )
            .with_help("pass the name, e.g. `--name org/model`")
            .in_file(file)])
        })?,
    };
    let version = match &opts.version {
        Some(v) => {
            crate::names::parse_version(v).map_err(|e| {
                UmrError::Invalid(vec![Diagnostic::error("E_SEMVER", "version", e)])
            })?;
            v.clone()
        }
        None => "1.0.0".to_string(),
    };
    // mapped groups
    let mut ctx = Ctx::new(Some(&parts), Some(name.clone()));
    let mut m = Mapped::default();
    for g in Group::for_kind(ckind) {
        import_group(g, fm, &mut ctx, &mut m);
    }
    warnings.extend(ctx.diags.into_iter().map(|d| d.in_file(file)));
    // unmapped keys
    let mut ext = Map::new();
    for (k, v) in fm {
        if Group::of_key(k, ckind).is_some() {
            continue;
        }
        ext.insert(k.clone(), v.clone());
        if !KNOWN_KEYS.contains(&k.as_str()) {
            let probe = k.trim_start_matches(['-', '_', ' ']);
            if let Some(s) = did_you_mean(probe, KNOWN_KEYS.iter().copied()) {
                if s != k {
                    let d = Diagnostic::warning(
                        "W_HF_KEY",
                        crate::path::key("", k),
                        format!("`{k}` is not a card field; kept as written, not read as `{s}`"),
                    )
                    .with_help(format!("did you mean `{s}`?"));
                    warnings.push(parts.spans().place(d, true).in_file(file));
                }
            }
        }
    }
    // originals of mapped keys whose canonical form differs
    let mut original = Map::new();
    let canon: Vec<Vec<(String, Value)>> = Group::for_kind(ckind)
        .map(|g| canonical_group(g, &m, &name))
        .collect();
    for (g, can) in Group::for_kind(ckind).zip(&canon) {
        // compared where they lie; copied only when the canonical form differs
        let orig: Vec<(&String, &Value)> = fm
            .iter()
            .filter(|(k, _)| g.keys().contains(&k.as_str()))
            .collect();
        if !same(&orig, can) {
            original.extend(orig.into_iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    let keys: Vec<String> = fm.keys().cloned().collect();
    let mut check = assemble_with(
        ckind,
        &m,
        &name,
        Some(&canon),
        Some(&original),
        Some(&ext),
        None,
    );
    if check != *fm {
        // a form the groups cannot rebuild: keep every mapped key as written
        for (k, v) in fm {
            if Group::of_key(k, ckind).is_some() {
                original.insert(k.clone(), v.clone());
            }
        }
        check = assemble_with(
            ckind,
            &m,
            &name,
            Some(&canon),
            Some(&original),
            Some(&ext),
            None,
        );
    }
    let order_needed = check.keys().cloned().collect::<Vec<_>>() != keys;
    // body
    let body = body::read(&parts.body, ckind);
    // the record
    let mut rec = Map::new();
    rec.insert("format_version".into(), json!(FORMAT_VERSION));
    rec.insert("kind".into(), json!(kind.as_str()));
    rec.insert("name".into(), json!(name));
    rec.insert("version".into(), json!(version));
    if let Some(t) = &m.title {
        rec.insert("title".into(), json!(t));
    }
    if let Some((_, d)) = body.fields.iter().find(|(t, _)| t == "description") {
        rec.insert("description".into(), json!(d));
    }
    if let Some(l) = &m.license {
        rec.insert("license".into(), l.clone());
    }
    if let Some(t) = &m.tags {
        rec.insert("tags".into(), json!(t));
    }
    let mut ups = Vec::new();
    for (n, k) in &m.bases {
        ups.push(json!({"name": n, "relation": k.as_str()}));
    }
    for n in &m.datasets {
        ups.push(json!({"name": n, "relation": "trained_on"}));
    }
    for n in &m.sources {
        ups.push(json!({"name": n, "relation": "derived_from"}));
    }
    if !ups.is_empty() {
        rec.insert("upstream".into(), Value::Array(ups));
    }
    let mut details = Map::new();
    if let Some(l) = &m.languages {
        details.insert("languages".into(), json!(l));
    }
    if let Some(l) = &m.library {
        details.insert("library".into(), json!(l));
    }
    if let Some(p) = &m.pipeline_tag {
        details.insert("pipeline_tag".into(), json!(p));
    }
    if let Some(c) = &m.co2 {
        details.insert("co2_eq_emissions".into(), c.clone());
    }
    if !details.is_empty() {
        rec.insert("details".into(), Value::Object(details));
    }
    let mut card = Map::new();
    for s in CARD_SECTIONS {
        let target = format!("card.{s}");
        if let Some((_, t)) = body.fields.iter().find(|(x, _)| *x == target) {
            card.insert((*s).to_string(), json!(t));
        }
    }
    if !card.is_empty() {
        rec.insert("card".into(), Value::Object(card));
    }
    if let Some(e) = &m.evaluations {
        rec.insert("evaluations".into(), Value::Array(e.clone()));
    }
    let mut hf_card = Map::new();
    if order_needed {
        hf_card.insert("order".into(), json!(keys));
    }
    if !original.is_empty() {
        hf_card.insert("original".into(), Value::Object(original));
    }
    if !parts.has_front_matter {
        hf_card.insert("front_matter".into(), json!(false));
    }
    hf_card.insert("body".into(), Value::Array(body.segments));
    let mut extensions = Map::new();
    if !ext.is_empty() {
        extensions.insert("hf".into(), Value::Object(ext));
    }
    extensions.insert("hf_card".into(), Value::Object(hf_card));
    rec.insert("extensions".into(), Value::Object(extensions));
    let record = Record::from_value(Value::Object(rec)).map_err(|e| match e {
        UmrError::Invalid(d) => UmrError::Invalid(
            d.into_iter()
                .map(|x| {
                    let msg = format!("imported record: {}", x.message);
                    Diagnostic { message: msg, ..x }.in_file(file)
                })
                .collect(),
        ),
        other => other,
    })?;
    Ok((record, warnings))
}

/// Import a model card (the kind is `model` unless `opts.kind` says `family`).
pub fn import_model_card(text: &str, opts: &HfImportOptions) -> Result<(Record, Vec<Diagnostic>)> {
    let mut o = opts.clone();
    if o.kind != Some(Kind::Family) {
        o.kind = Some(Kind::Model);
    }
    import_card(text, &o)
}

/// Import a dataset card.
pub fn import_dataset_card(
    text: &str,
    opts: &HfImportOptions,
) -> Result<(Record, Vec<Diagnostic>)> {
    let mut o = opts.clone();
    o.kind = Some(Kind::Dataset);
    import_card(text, &o)
}

fn eval_table(v: &Value) -> String {
    let Some(Value::Array(evals)) = v.get("evaluations") else {
        return String::new();
    };
    if evals.is_empty() {
        return String::new();
    }
    let cell = |e: &Value, keys: &[&str]| -> String {
        keys.iter()
            .find_map(|k| e.get(*k).and_then(crate::interop::util::scalar_string))
            .unwrap_or_default()
            .replace('|', "\\|")
            .replace('\n', " ")
    };
    let mut s = String::from(
        "## Evaluation Results\n\n| Task | Dataset | Metric | Value |\n| --- | --- | --- | --- |\n",
    );
    for e in evals {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cell(e, &["task_name", "task"]),
            cell(e, &["dataset_name", "dataset"]),
            cell(e, &["metric_name", "metric"]),
            cell(e, &["value"])
        ));
    }
    s
}

fn export_value(v: &Value) -> String {
    let kind = match v.get("kind").and_then(Value::as_str) {
        Some("dataset") => CardKind::Dataset,
        _ => CardKind::Model,
    };
    let name = v.get("name").and_then(Value::as_str).unwrap_or("record");
    let cur = from_record(v, kind);
    let ext_all = v.get("extensions");
    let ext = ext_all.and_then(|e| e.get("hf")).and_then(Value::as_object);
    let hfc = ext_all.and_then(|e| e.get("hf_card"));
    let original = hfc
        .and_then(|h| h.get("original"))
        .and_then(Value::as_object);
    let order: Option<Vec<String>> = hfc
        .and_then(|h| h.get("order"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        });
    let segments = hfc.and_then(|h| h.get("body")).and_then(Value::as_array);
    let fm = assemble(kind, &cur, name, original, ext, order.as_deref());
    let field = |t: &str| -> Option<String> {
        let x = match t.strip_prefix("card.") {
            Some(sec) => v.get("card").and_then(|c| c.get(sec)),
            None => v.get(t),
        };
        x.and_then(crate::interop::util::text_markdown)
    };
    let title = v
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or(name)
        .to_string();
    let extra = if segments.is_none() {
        eval_table(v)
    } else {
        String::new()
    };
    let body = body::write(segments.map(Vec::as_slice), &field, kind, &title, &extra);
    let no_block = hfc.and_then(|h| h.get("front_matter")) == Some(&json!(false));
    if fm.is_empty() && no_block {
        return body;
    }
    let mut out = String::from("---\n");
    out.push_str(&emit::front_matter(&fm));
    out.push_str("---\n");
    out.push_str(&body);
    out
}

/// Export a record (its value tree, validated first) as a card `README.md`: a model card for
/// models and families, a dataset card for datasets.
pub fn export_card(record: &Value) -> Result<String> {
    crate::interop::util::check_depth(record, 2 * Limits::default().max_depth)?;
    let rec = Record::from_value(record.clone())?;
    Ok(export_value(rec.value()))
}

/// Export a record as a model card (same as [`export_card`]; the kind decides the layout).
pub fn export_model_card(record: &Value) -> Result<String> {
    export_card(record)
}

/// Export a record of a registry: its effective record (`effective`) or its own record,
/// with upstream relation kinds as resolved by the registry. The card layout kept from an
/// import (`extensions.hf`, `extensions.hf_card`) is taken from the record's own value, never
/// inherited.
pub fn export_from_registry(reg: &Registry, spec: &str, effective: bool) -> Result<String> {
    let i = reg.find_index(spec)?;
    let v = crate::interop::registry_value(reg, i, effective)?;
    Ok(export_value(&v))
}

/// Options of a card export from a registry ([`export_with`]). The defaults are those of
/// every surface (command line, Python, Node, WebAssembly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HfExportOptions {
    /// Export the effective record (the record over its inheriting ancestors: what a reader
    /// of the card gets) — the default — or, when false, the record's own fields.
    pub effective: bool,
}

impl Default for HfExportOptions {
    fn default() -> Self {
        HfExportOptions { effective: true }
    }
}

impl HfExportOptions {
    /// The options with `effective` as given, or its default when `None`.
    pub fn with_effective(effective: Option<bool>) -> Self {
        let d = Self::default();
        HfExportOptions {
            effective: effective.unwrap_or(d.effective),
        }
    }
}

/// A registry record as a Hugging Face card `README.md`, with the given options.
pub fn export_with(reg: &Registry, spec: &str, opts: &HfExportOptions) -> Result<String> {
    export_from_registry(reg, spec, opts.effective)
}

/// The front matter of a card as a value tree (empty when the card has none): for tests and
/// tools that compare cards.
pub fn front_matter(text: &str, limits: &Limits) -> Result<Map<String, Value>> {
    read_card(text, limits, None).map(|p| p.front_matter)
}

//! [`Record`]: one record document, loaded from YAML or JSON (native or the prototype's
//! `mr:` dialect), validated, with its source locations and its typed view.

use crate::diagnostic::{Diagnostic, Result, UmrError};
use crate::legacy;
use crate::limits::Limits;
use crate::model::{Kind, RecordData, RelationKind};
use crate::names::{self, ShortRef};
use crate::validate;
use crate::yaml::{self, SourceMap};
use semver::Version;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::path::Path;
use std::sync::Arc;

/// The syntax of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// YAML 1.2.
    Yaml,
    /// JSON.
    Json,
}

impl Syntax {
    /// Detect the syntax of a document: by file extension when a file name is given,
    /// else JSON when the first non-blank character is `{` or `[`, else YAML.
    pub fn detect(text: &str, file: Option<&str>) -> Syntax {
        if let Some(f) = file {
            return Syntax::from_path(f);
        }
        match text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next()
        {
            Some('{') | Some('[') => Syntax::Json,
            _ => Syntax::Yaml,
        }
    }

    /// Parse `yaml` / `json` (any case).
    pub fn parse(s: &str) -> Option<Syntax> {
        match s.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(Syntax::Yaml),
            "json" => Some(Syntax::Json),
            _ => None,
        }
    }

    /// Parse `yaml` / `json` (any case), with the error every surface reports.
    pub fn from_name(s: &str) -> Result<Syntax> {
        Syntax::parse(s).ok_or_else(|| {
            UmrError::argument(
                "E_ENUM",
                format!("unknown syntax `{s}` (one of: yaml, json)"),
            )
        })
    }

    /// Guess from a file name (`.json` → JSON, anything else → YAML).
    pub fn from_path(p: &str) -> Syntax {
        if p.to_ascii_lowercase().ends_with(".json") {
            Syntax::Json
        } else {
            Syntax::Yaml
        }
    }
}

/// Options for loading a record.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The file name used in diagnostics (and, for the prototype dialect, to take the name
    /// and version from `<name>/<name>-<version>.yaml`).
    pub file: Option<String>,
    /// Resource limits.
    pub limits: Limits,
}

/// An upstream relation in normalised form.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// Upstream record name as written.
    pub name: String,
    /// Requirement text (`*` when none).
    pub req: String,
    /// Relation kind as written (None = infer from the kinds).
    pub kind: Option<RelationKind>,
    /// Inherit override.
    pub inherit: Option<bool>,
    /// Alternative exact reading of a `name-1.2.0` short form.
    pub exact: Option<(String, Version)>,
    /// Index in `upstream`.
    pub index: usize,
}

impl Relation {
    /// The requirement as one string: `name` for any version, else `name` + requirement.
    pub fn requirement_text(&self) -> String {
        let mut s = String::with_capacity(self.name.len() + self.req.len());
        s.push_str(&self.name);
        if self.req != "*" {
            s.push_str(&self.req);
        }
        s
    }
}

/// The value tree of packed JSON text (written by [`Record::pack`] from a tree, so it
/// always reads back; `null` if it ever did not).
fn unpack(text: Option<&str>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

/// Append the decimal digits of `n`.
fn push_u64(s: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        s.push(char::from(d));
    }
}

/// One record document.
#[derive(Debug, Clone)]
pub struct Record {
    /// The value tree: set from the start, or read from `packed` on first use.
    value: std::sync::OnceLock<Value>,
    /// A packed record's value as compact JSON text (see [`Record::pack`]).
    packed: Option<Box<str>>,
    /// Where the value of `upstream` lies in `packed` (read when a registry is built).
    packed_upstream: Option<(u32, u32)>,
    /// The typed view, read from `value` on first use.
    data: std::sync::OnceLock<Arc<RecordData>>,
    name: String,
    kind: Kind,
    version: Version,
    file: Option<String>,
    warnings: Vec<Diagnostic>,
    legacy: bool,
}

impl PartialEq for Record {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value()
    }
}

/// Everything found while reading a document: the record (when there were no errors) and
/// every diagnostic.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The record, if the document had no errors.
    pub record: Option<Record>,
    /// Every diagnostic, errors and warnings, located.
    pub diagnostics: Vec<Diagnostic>,
}

/// Read and check a document. Never fails: problems are diagnostics.
pub fn check_text(text: &str, syntax: Syntax, opts: &LoadOptions) -> Checked {
    let file = opts.file.as_deref();
    let fail = |d: Diagnostic| Checked {
        record: None,
        diagnostics: vec![d.in_file(file)],
    };
    if text.len() > opts.limits.max_file_bytes {
        return fail(Diagnostic::error(
            "E_LIMIT_SIZE",
            "",
            format!(
                "document is {} bytes; the limit is {} bytes",
                text.len(),
                opts.limits.max_file_bytes
            ),
        ));
    }
    if text.trim().is_empty() {
        return fail(Diagnostic::error("E_EMPTY", "", "the document is empty").at(1, 1));
    }
    // Fast path: parse without locations; locations are computed (by a second, located
    // parse) only when there is something to report.
    let fast = match syntax {
        Syntax::Json => yaml::parse_json_fast(text, &opts.limits),
        Syntax::Yaml => yaml::parse_fast(text, &opts.limits).ok(),
    };
    let value = match fast {
        Some(v) => v,
        None => match locate_parse(text, syntax, opts) {
            Ok(p) => p.value,
            Err(d) => return fail(d),
        },
    };
    let spans = || -> SourceMap {
        let located_text = match syntax {
            Syntax::Json => yaml::mask_json_surrogates(text),
            Syntax::Yaml => std::borrow::Cow::Borrowed(text),
        };
        match yaml::parse(&located_text, &opts.limits) {
            Ok(p) => p.spans,
            Err(_) => SourceMap::default(),
        }
    };
    from_parsed(value, &spans, opts)
}

/// The located (slow) parse, which reports syntax and limit errors with their positions.
fn locate_parse(
    text: &str,
    syntax: Syntax,
    opts: &LoadOptions,
) -> std::result::Result<yaml::Parsed, Diagnostic> {
    if syntax == Syntax::Json {
        if let Some(d) = yaml::json_syntax_error(text) {
            return Err(d);
        }
    }
    yaml::parse(text, &opts.limits)
}

/// Check an already-built value (no source locations).
pub fn check_value(value: Value, opts: &LoadOptions) -> Checked {
    if let Some(d) = crate::limits::check_value_limits(&value, &opts.limits) {
        // a refused value may be nested beyond what a recursive drop survives
        crate::limits::drop_iteratively(value);
        return Checked {
            record: None,
            diagnostics: vec![d.in_file(opts.file.as_deref())],
        };
    }
    from_parsed(value, &SourceMap::default, opts)
}

fn from_parsed(value: Value, spans: &dyn Fn() -> SourceMap, opts: &LoadOptions) -> Checked {
    let file = opts.file.as_deref();
    let is_legacy = matches!(&value, Value::Object(m) if m.contains_key("mr"));
    let (value, mut diags, legacy_spans) = if is_legacy {
        let (v, d) = legacy::convert(&value, file);
        (v, d, true)
    } else {
        (value, Vec::new(), false)
    };
    diags.extend(validate::validate_value(&value));
    let spans = if diags.is_empty() {
        SourceMap::default()
    } else {
        spans()
    };
    let diags: Vec<Diagnostic> = diags
        .into_iter()
        .map(|d| {
            let d = if legacy_spans {
                // locations refer to the prototype document
                let candidates = legacy::origin_paths(&d.path);
                let loc = candidates
                    .iter()
                    .find_map(|c| spans.value(c))
                    .or_else(|| candidates.first().and_then(|c| spans.locate(c)));
                match (d.line, loc) {
                    (None, Some(l)) => d.at(l.line, l.column),
                    _ => d,
                }
            } else {
                let key_like = d.code == "W_UNKNOWN_KEY";
                spans.place(d, key_like)
            };
            d.in_file(file)
        })
        .collect();
    if diags.iter().any(Diagnostic::is_error) {
        return Checked {
            record: None,
            diagnostics: diags,
        };
    }
    match Record::build(value, opts.file.clone(), diags.clone(), is_legacy) {
        Ok(r) => Checked {
            record: Some(r),
            diagnostics: diags,
        },
        Err(d) => Checked {
            record: None,
            diagnostics: {
                let mut all = diags;
                all.push(d.in_file(file));
                all
            },
        },
    }
}

impl Record {
    fn build(
        value: Value,
        file: Option<String>,
        warnings: Vec<Diagnostic>,
        legacy: bool,
    ) -> std::result::Result<Record, Diagnostic> {
        let text = |k: &str| value.get(k).and_then(Value::as_str).unwrap_or_default();
        let version = names::parse_version(text("version"))
            .map_err(|e| Diagnostic::error("E_SEMVER", "version", e))?;
        let kind = Kind::deserialize(value.get("kind").unwrap_or(&Value::Null))
            .map_err(|e| Diagnostic::error("E_TYPE", "kind", format!("invalid kind: {e}")))?;
        Ok(Record {
            name: text("name").to_string(),
            kind,
            data: std::sync::OnceLock::new(),
            value: std::sync::OnceLock::from(value),
            packed: None,
            packed_upstream: None,
            version,
            file,
            warnings,
            legacy,
        })
    }

    fn from_checked(c: Checked) -> Result<Record> {
        match c.record {
            Some(r) => Ok(r),
            None => Err(UmrError::Invalid(c.diagnostics)),
        }
    }

    /// Parse YAML text (native or prototype dialect).
    pub fn from_yaml_str(text: &str, opts: &LoadOptions) -> Result<Record> {
        Self::from_checked(check_text(text, Syntax::Yaml, opts))
    }

    /// Parse JSON text.
    pub fn from_json_str(text: &str, opts: &LoadOptions) -> Result<Record> {
        Self::from_checked(check_text(text, Syntax::Json, opts))
    }

    /// Build from a value tree (e.g. a Python dict or JS object).
    pub fn from_value(value: Value) -> Result<Record> {
        Self::from_checked(check_value(value, &LoadOptions::default()))
    }

    /// Load a file (YAML or JSON by extension), within the size limit.
    pub fn load(path: impl AsRef<Path>, limits: &Limits) -> Result<Record> {
        let c = check_file(path.as_ref(), limits);
        // a file that cannot be read is an I/O error, not an invalid record
        if let [d] = c.diagnostics.as_slice() {
            if d.code == "E_IO" {
                return Err(UmrError::io(path.as_ref().display(), &d.message));
            }
        }
        Self::from_checked(c)
    }

    /// Derive a new record from this one (see [`crate::evolution::derive`]): it names this
    /// record as upstream with `relation` (default [`crate::evolution::DEFAULT_DERIVE_RELATION`])
    /// and keeps only the values of `overrides` that differ from this record.
    pub fn derive(
        &self,
        name: &str,
        version: &str,
        relation: Option<&str>,
        overrides: &Map<String, Value>,
    ) -> Result<Record> {
        let relation = relation.unwrap_or(crate::evolution::DEFAULT_DERIVE_RELATION);
        Record::from_value(crate::evolution::derive(
            self.value(),
            name,
            version,
            relation,
            overrides,
        )?)
    }

    /// The value tree, exactly as written (key order and unknown fields kept). For a
    /// prototype-dialect file, the converted native form.
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| unpack(self.packed.as_deref()))
    }

    /// Keep the value as compact JSON text instead of a tree, until it is asked for. A
    /// value tree takes about eight times the bytes of its JSON, in some twenty separate
    /// allocations; the registry loader packs every record it reads, so a large registry
    /// stays small and its records are read from a few contiguous bytes each. Building the
    /// registry and resolving it ([`Registry::for_each_effective`](crate::Registry::for_each_effective))
    /// read packed records without unpacking them for good; the first call of
    /// [`Record::value`] (or of anything that reads the tree) unpacks it and keeps the tree.
    /// Nothing changes in what the record holds: JSON text keeps key order, every number
    /// exactly and every string.
    pub fn pack(&mut self) {
        let Some(Value::Object(m)) = self.value.get() else {
            return;
        };
        // written field by field, to note where `upstream` lies
        let mut text = Vec::with_capacity(512);
        let mut upstream = None;
        text.push(b'{');
        for (i, (k, v)) in m.iter().enumerate() {
            if i > 0 {
                text.push(b',');
            }
            if serde_json::to_writer(&mut text, k).is_err() {
                return;
            }
            text.push(b':');
            let start = text.len();
            if serde_json::to_writer(&mut text, v).is_err() {
                return;
            }
            if k == "upstream" {
                upstream = u32::try_from(start)
                    .ok()
                    .zip(u32::try_from(text.len()).ok());
            }
        }
        text.push(b'}');
        let Ok(text) = String::from_utf8(text) else {
            return;
        };
        self.packed = Some(text.into_boxed_str());
        self.packed_upstream = upstream;
        self.value = std::sync::OnceLock::new();
    }

    /// Whether the value is packed and not unpacked yet (see [`Record::pack`]).
    pub fn is_packed(&self) -> bool {
        self.value.get().is_none()
    }

    /// The record's fields as a map of its own: a clone of the tree, or read from the
    /// packed text without keeping the tree (what resolution merges).
    pub(crate) fn map_owned(&self) -> Map<String, Value> {
        match self.value.get() {
            Some(v) => v.as_object().cloned().unwrap_or_default(),
            None => match unpack(self.packed.as_deref()) {
                Value::Object(m) => m,
                _ => Map::new(),
            },
        }
    }

    /// The value of `upstream`, without unpacking a packed record for good (only that
    /// field is read, from where [`Record::pack`] noted it lies).
    fn upstream(&self) -> Option<std::borrow::Cow<'_, Value>> {
        use std::borrow::Cow;
        match self.value.get() {
            Some(v) => v.get("upstream").map(Cow::Borrowed),
            None => {
                let (a, b) = self.packed_upstream?;
                let slice = self.packed.as_deref()?.get(a as usize..b as usize)?;
                serde_json::from_str(slice).ok().map(Cow::Owned)
            }
        }
    }

    /// The value tree as a map.
    pub fn map(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        match self.value() {
            Value::Object(m) => m,
            _ => EMPTY.get_or_init(Map::new),
        }
    }

    /// The typed view.
    pub fn data(&self) -> &RecordData {
        self.data.get_or_init(|| {
            // validation guarantees the typed view; the fallback keeps identity if not
            Arc::new(
                RecordData::deserialize(self.value()).unwrap_or_else(|_| RecordData {
                    format_version: crate::model::FORMAT_VERSION.to_string(),
                    kind: self.kind,
                    name: self.name.clone(),
                    version: self.version.to_string(),
                    title: None,
                    description: None,
                    publisher: None,
                    release_date: None,
                    license: None,
                    references: None,
                    tags: None,
                    upstream: None,
                    details: None,
                    card: None,
                    evaluations: None,
                    risks: None,
                    transparency: None,
                    extensions: None,
                }),
            )
        })
    }

    /// The record name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The record version.
    pub fn version(&self) -> &Version {
        &self.version
    }

    /// `name@version`.
    pub fn id(&self) -> String {
        // written piece by piece rather than through `format!`: building a registry and
        // resolving it ask for every record's id, and the formatting machinery was a tenth
        // of the build time of a million records
        let v = &self.version;
        let mut s = String::with_capacity(
            self.name.len() + 16 + v.pre.as_str().len() + v.build.as_str().len(),
        );
        s.push_str(&self.name);
        s.push('@');
        push_u64(&mut s, v.major);
        s.push('.');
        push_u64(&mut s, v.minor);
        s.push('.');
        push_u64(&mut s, v.patch);
        if !v.pre.is_empty() {
            s.push('-');
            s.push_str(v.pre.as_str());
        }
        if !v.build.is_empty() {
            s.push('+');
            s.push_str(v.build.as_str());
        }
        s
    }

    /// The record kind.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The file the record came from.
    pub fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// Warnings found while loading.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// True when the record was read from the prototype's `mr:` dialect.
    pub fn is_legacy(&self) -> bool {
        self.legacy
    }

    /// The upstream relations, normalised.
    pub fn relations(&self) -> Vec<Relation> {
        let Some(up) = self.upstream() else {
            return Vec::new();
        };
        let Value::Array(ups) = up.as_ref() else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(ups.len());
        for (index, u) in ups.iter().enumerate() {
            match u {
                Value::String(s) => {
                    if let Ok(ShortRef { name, req, exact }) = names::parse_short(s) {
                        out.push(Relation {
                            name,
                            req,
                            kind: None,
                            inherit: None,
                            exact,
                            index,
                        });
                    }
                }
                Value::Object(m) => {
                    // one pass over the few entries of a relation rather than a hashed
                    // lookup per key (this runs for every relation when a registry is built)
                    let (mut name, mut req, mut kind, mut inherit) = (None, None, None, None);
                    for (k, v) in m {
                        match k.as_str() {
                            "name" => name = v.as_str(),
                            "version" => req = v.as_str(),
                            "relation" => kind = v.as_str().and_then(RelationKind::parse),
                            "inherit" => inherit = v.as_bool(),
                            _ => {}
                        }
                    }
                    let Some(name) = name else {
                        continue;
                    };
                    out.push(Relation {
                        name: name.to_string(),
                        req: req.unwrap_or("*").to_string(),
                        kind,
                        inherit,
                        exact: None,
                        index,
                    });
                }
                _ => {}
            }
        }
        out
    }

    /// Canonical YAML text.
    pub fn to_yaml(&self) -> String {
        yaml::to_yaml(self.value())
    }

    /// Canonical JSON text.
    pub fn to_json(&self) -> String {
        yaml::to_json(self.value())
    }

    /// Build from a value that is valid by construction (an effective record merged from
    /// valid records): the typed view is read without re-running validation.
    pub(crate) fn from_trusted(value: Value, file: Option<String>) -> Result<Record> {
        Record::build(value, file, Vec::new(), false).map_err(|d| UmrError::Invalid(vec![d]))
    }

    /// Parse text whose syntax is detected ([`Syntax::detect`]).
    pub fn from_str_detect(text: &str, opts: &LoadOptions) -> Result<Record> {
        let syntax = Syntax::detect(text, opts.file.as_deref());
        Self::from_checked(check_text(text, syntax, opts))
    }

    /// Save the record. If `path` is an existing folder, the record is written at its
    /// registry path inside it (`<dir>/<name>/<name>-<version>.yaml`); otherwise to `path`
    /// itself (JSON when it ends in `.json`). The write is atomic. Returns the file written.
    /// Saving into a folder never writes through a linked sub-folder that leads outside it
    /// (`E_SYMLINK_ESCAPE`).
    pub fn save(&self, path: &Path) -> Result<std::path::PathBuf> {
        let target = if path.is_dir() {
            // into a registry folder: the record's folder must stay inside it
            crate::fsutil::file_inside(path, Path::new(&self.registry_path()))?
        } else {
            path.to_path_buf()
        };
        let text = match Syntax::from_path(&target.to_string_lossy()) {
            Syntax::Json => self.to_json(),
            Syntax::Yaml => self.to_yaml(),
        };
        crate::fsutil::write_atomic(&target, text.as_bytes())?;
        Ok(target)
    }

    /// A new record from a modified value tree (re-validated).
    pub fn with_value(&self, value: Value) -> Result<Record> {
        let mut r = Record::from_value(value)?;
        r.file = self.file.clone();
        Ok(r)
    }

    /// The canonical file name in a registry: `<name>/<name-last-segment>-<version>.yaml`
    /// (a namespaced `org/name` nests one folder more).
    pub fn registry_path(&self) -> String {
        let last = self.name.rsplit('/').next().unwrap_or(&self.name);
        format!("{}/{}-{}.yaml", self.name, last, self.version)
    }
}

/// Read and check a file. Never fails: problems are diagnostics.
///
/// The file is read through [`crate::fsutil::read_limited`] (a path the user names): a
/// device is refused (`E_NOT_A_FILE`), a pipe or `-` (standard input) is read up to
/// `limits.max_file_bytes` and refused (`E_LIMIT_SIZE`) as soon as it passes it.
pub fn check_file(path: &Path, limits: &Limits) -> Checked {
    let file = path.display().to_string();
    let bytes = match crate::fsutil::read_limited(
        path,
        limits.max_file_bytes,
        crate::fsutil::ReadFrom::Argument,
    ) {
        Ok(b) => b,
        Err(e) => {
            let d = match &e {
                UmrError::Io { message, .. } => {
                    Diagnostic::error("E_IO", "", format!("cannot read: {message}"))
                }
                other => Diagnostic::error(&other.code(), "", other.to_string()),
            };
            return Checked {
                record: None,
                diagnostics: vec![d.in_file(Some(&file))],
            };
        }
    };
    let text = match yaml::decode(&bytes) {
        Ok(t) => t,
        Err(d) => {
            return Checked {
                record: None,
                diagnostics: vec![d.in_file(Some(&file))],
            }
        }
    };
    let opts = LoadOptions {
        file: Some(file.clone()),
        limits: *limits,
    };
    check_text(text, Syntax::from_path(&file), &opts)
}

/// What checking a file that cannot be opened gives: one located `E_IO` error.
pub(crate) fn cannot_read(path: &Path, e: &std::io::Error) -> Checked {
    Checked {
        record: None,
        diagnostics: vec![Diagnostic::error("E_IO", "", format!("cannot read: {e}"))
            .in_file(Some(&path.display().to_string()))],
    }
}

/// Read and check a file already opened (the registry loader opens each file relative to
/// its open folder, so the path is looked up once). `path` names it in diagnostics.
pub(crate) fn check_open_file(mut f: std::fs::File, path: &Path, limits: &Limits) -> Checked {
    use std::io::Read;
    let file = path.display().to_string();
    let fail = |d: Diagnostic| Checked {
        record: None,
        diagnostics: vec![d.in_file(Some(&file))],
    };
    let too_big = |len: u64| {
        Diagnostic::error(
            "E_LIMIT_SIZE",
            "",
            format!(
                "file is {len} bytes; the limit is {} bytes",
                limits.max_file_bytes
            ),
        )
    };
    let len = match f.metadata() {
        Ok(m) => m.len(),
        Err(e) => return fail(Diagnostic::error("E_IO", "", format!("cannot read: {e}"))),
    };
    if len > limits.max_file_bytes as u64 {
        return fail(too_big(len));
    }
    // read at most one byte past the limit: a file that grew since `metadata` is refused
    // all the same, without reading it whole
    let mut bytes = Vec::with_capacity(len as usize + 1);
    let cap = limits.max_file_bytes as u64 + 1;
    if let Err(e) = (&mut f).take(cap).read_to_end(&mut bytes) {
        return fail(Diagnostic::error("E_IO", "", format!("cannot read: {e}")));
    }
    if bytes.len() as u64 > limits.max_file_bytes as u64 {
        return fail(too_big(bytes.len() as u64));
    }
    drop(f);
    let text = match yaml::decode(&bytes) {
        Ok(t) => t,
        Err(d) => return fail(d),
    };
    let opts = LoadOptions {
        file: Some(file.clone()),
        limits: *limits,
    };
    check_text(text, Syntax::from_path(&file), &opts)
}

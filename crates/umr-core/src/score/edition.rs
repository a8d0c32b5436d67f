//! Indicator sets ("editions") as data.
//!
//! Each edition is a JSON file under `crates/umr-core/data/` (the reference) with a compact
//! tab-separated copy (`.tsv`, written by `data/to-tsv.py`) that is embedded at build time and
//! parsed and checked once on first use: half the size of the JSON, and read without
//! monomorphising a JSON deserialiser for these types (this matters for the WebAssembly
//! package's size). Adding an edition is adding its data files and one line to [`DATA`].

use crate::diagnostic::{did_you_mean, Result, UmrError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The edition used when neither the caller nor the record names one (the prototype's
/// question set).
pub const DEFAULT_EDITION: &str = "fmti2023";

/// The embedded indicator sets: registry name and data file. To add an edition, add its
/// data file under `data/` and one line here.
const DATA: &[(&str, &str)] = &[
    ("fmti2023", include_str!("../../data/fmti2023.tsv")),
    ("fmti2025", include_str!("../../data/fmti2025.tsv")),
];

/// A domain of an edition (`upstream`, `model`, `downstream` for the FMTI).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// Stable snake_case key.
    pub key: String,
    /// Published name.
    pub name: String,
}

/// A subdomain of an edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subdomain {
    /// Stable snake_case key (unique within the edition).
    pub key: String,
    /// Published name.
    pub name: String,
    /// Key of the domain it belongs to.
    pub domain: String,
}

/// One indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable snake_case key: the answer key in records.
    pub key: String,
    /// Domain key.
    pub domain: String,
    /// Subdomain key.
    pub subdomain: String,
    /// Published name.
    pub name: String,
    /// Published definition (the question the indicator asks).
    pub definition: String,
    /// Other keys that mean this indicator (spellings of the prototype's records and of the
    /// published score files). A record may answer under an alias.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// An indicator set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Edition {
    /// Registry name, e.g. `fmti2023`.
    pub name: String,
    /// Other names of the same indicator set (e.g. `fmti2024`: the May 2024 index scored
    /// the 2023 indicators).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Display title.
    pub title: String,
    /// Publication month, `YYYY-MM`.
    pub published: String,
    /// A note on the edition.
    #[serde(default)]
    pub note: String,
    /// Where the indicator definitions come from.
    pub source: String,
    /// Licence of the indicator definitions (SPDX identifier).
    pub license: String,
    /// Attribution required by the licence.
    pub attribution: String,
    /// Domains, in published order.
    pub domains: Vec<Domain>,
    /// Subdomains, in published order.
    pub subdomains: Vec<Subdomain>,
    /// Indicators, in published order.
    pub indicators: Vec<Indicator>,
    /// Key or alias → index in `indicators`.
    #[serde(skip)]
    index: HashMap<String, usize>,
}

impl PartialEq for Edition {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// The snake_case key of a published name: lower case, every run of characters other than
/// ASCII letters and digits replaced by one `_`, no `_` at either end.
/// `"Third-party capabilities evaluation"` → `third_party_capabilities_evaluation`.
pub fn key_of(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// The normal form of an edition name: lower case, letters and digits only; a bare year
/// gets the `fmti` prefix (`2023`, `FMTI 2023`, `fmti-2023` → `fmti2023`).
pub fn normalize_edition(name: &str) -> String {
    let s: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        format!("fmti{s}")
    } else {
        s
    }
}

impl Edition {
    fn parse(registry_name: &str, text: &str) -> std::result::Result<Edition, String> {
        let mut e = Edition::from_tsv(text)
            .map_err(|err| format!("data of edition {registry_name}: {err}"))?;
        e.check(registry_name)
            .map_err(|m| format!("data of edition {registry_name}: {m}"))?;
        Ok(e)
    }

    /// Read the compact form (`data/to-tsv.py` documents it): one record a line, fields
    /// separated by tabs.
    fn from_tsv(text: &str) -> std::result::Result<Edition, String> {
        let words = |s: &str| -> Vec<String> { s.split_whitespace().map(str::to_string).collect() };
        let mut e = Edition {
            name: String::new(),
            aliases: Vec::new(),
            title: String::new(),
            published: String::new(),
            note: String::new(),
            source: String::new(),
            license: String::new(),
            attribution: String::new(),
            domains: Vec::new(),
            subdomains: Vec::new(),
            indicators: Vec::new(),
            index: HashMap::new(),
        };
        for (n, line) in text.lines().enumerate() {
            let f: Vec<&str> = line.split('\t').collect();
            let scalar = match f[..] {
                ["name", v] => Some((&mut e.name, v)),
                ["title", v] => Some((&mut e.title, v)),
                ["published", v] => Some((&mut e.published, v)),
                ["note", v] => Some((&mut e.note, v)),
                ["source", v] => Some((&mut e.source, v)),
                ["license", v] => Some((&mut e.license, v)),
                ["attribution", v] => Some((&mut e.attribution, v)),
                _ => None,
            };
            if let Some((slot, v)) = scalar {
                *slot = v.to_string();
                continue;
            }
            match f[..] {
                ["aliases", v] => e.aliases = words(v),
                ["D", key, name] => e.domains.push(Domain {
                    key: key.to_string(),
                    name: name.to_string(),
                }),
                ["S", key, name, domain] => e.subdomains.push(Subdomain {
                    key: key.to_string(),
                    name: name.to_string(),
                    domain: domain.to_string(),
                }),
                ["I", key, subdomain, name, definition, aliases] => {
                    let domain = e
                        .subdomains
                        .iter()
                        .find(|s| s.key == subdomain)
                        .map(|s| s.domain.clone())
                        .ok_or_else(|| {
                            format!("line {}: unknown subdomain `{subdomain}`", n + 1)
                        })?;
                    e.indicators.push(Indicator {
                        key: if key.is_empty() {
                            key_of(name)
                        } else {
                            key.to_string()
                        },
                        domain,
                        subdomain: subdomain.to_string(),
                        name: name.to_string(),
                        definition: definition.to_string(),
                        aliases: words(aliases),
                    });
                }
                _ => return Err(format!("line {}: not a record of the format", n + 1)),
            }
        }
        Ok(e)
    }

    fn check(&mut self, registry_name: &str) -> std::result::Result<(), String> {
        if self.name != registry_name {
            return Err(format!("names itself `{}`", self.name));
        }
        for (i, d) in self.domains.iter().enumerate() {
            if key_of(&d.key) != d.key || self.domains[..i].iter().any(|x| x.key == d.key) {
                return Err(format!("bad or repeated domain key `{}`", d.key));
            }
        }
        for (i, s) in self.subdomains.iter().enumerate() {
            if key_of(&s.key) != s.key || self.subdomains[..i].iter().any(|x| x.key == s.key) {
                return Err(format!("bad or repeated subdomain key `{}`", s.key));
            }
            if !self.domains.iter().any(|d| d.key == s.domain) {
                return Err(format!(
                    "subdomain `{}` names unknown domain `{}`",
                    s.key, s.domain
                ));
            }
        }
        let mut index = HashMap::new();
        for (i, ind) in self.indicators.iter().enumerate() {
            if !self
                .subdomains
                .iter()
                .any(|s| s.key == ind.subdomain && s.domain == ind.domain)
            {
                return Err(format!(
                    "indicator `{}`: subdomain `{}` is not in domain `{}`",
                    ind.key, ind.subdomain, ind.domain
                ));
            }
            for k in std::iter::once(&ind.key).chain(ind.aliases.iter()) {
                if key_of(k) != *k {
                    return Err(format!("indicator key `{k}` is not snake_case"));
                }
                if index.insert(k.clone(), i).is_some() {
                    return Err(format!("indicator key `{k}` is used twice"));
                }
            }
        }
        if self.indicators.is_empty() {
            return Err("no indicators".into());
        }
        self.index = index;
        Ok(())
    }

    /// True when `name` names this edition (its name or an alias, in any spelling that
    /// [`normalize_edition`] accepts).
    pub fn is_named(&self, name: &str) -> bool {
        let n = normalize_edition(name);
        normalize_edition(&self.name) == n || self.aliases.iter().any(|a| normalize_edition(a) == n)
    }

    /// Position of the indicator answered by `key` (its key or an alias), exactly as written.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// The indicator a record key answers: its key or one of its aliases, exactly as written.
    pub fn indicator(&self, key: &str) -> Option<&Indicator> {
        self.position(key).map(|i| &self.indicators[i])
    }

    /// The indicator with this published name or key in any spelling (matched by
    /// [`key_of`]), e.g. `"Third-party risks evaluation"` or `"Data license status"`.
    pub fn find(&self, name_or_key: &str) -> Option<&Indicator> {
        self.indicator(&key_of(name_or_key))
    }

    /// A domain by key.
    pub fn domain(&self, key: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.key == key)
    }

    /// The subdomains of a domain, in published order.
    pub fn subdomains_of<'a>(&'a self, domain: &'a str) -> impl Iterator<Item = &'a Subdomain> {
        self.subdomains.iter().filter(move |s| s.domain == domain)
    }

    /// The indicators of a subdomain, in published order.
    pub fn indicators_of<'a>(&'a self, subdomain: &'a str) -> impl Iterator<Item = &'a Indicator> {
        self.indicators
            .iter()
            .filter(move |i| i.subdomain == subdomain)
    }

    /// Every accepted record key (keys and aliases).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.indicators.iter().flat_map(|i| {
            std::iter::once(i.key.as_str()).chain(i.aliases.iter().map(String::as_str))
        })
    }

    /// The closest accepted key to an unknown one, for a "did you mean" help.
    pub fn suggest(&self, key: &str) -> Option<&str> {
        let k = key_of(key);
        if let Some(i) = self.indicator(&k) {
            return Some(i.key.as_str());
        }
        did_you_mean(&k, self.keys())
    }
}

fn loaded() -> &'static [(&'static str, std::result::Result<Edition, String>)] {
    static EDITIONS: OnceLock<Vec<(&'static str, std::result::Result<Edition, String>)>> =
        OnceLock::new();
    EDITIONS.get_or_init(|| {
        DATA.iter()
            .map(|(name, text)| (*name, Edition::parse(name, text)))
            .collect()
    })
}

/// Every embedded edition, in registry order.
pub fn editions() -> Vec<&'static Edition> {
    loaded()
        .iter()
        .filter_map(|(_, e)| e.as_ref().ok())
        .collect()
}

/// The names of the embedded editions.
pub fn edition_names() -> Vec<&'static str> {
    DATA.iter().map(|(n, _)| *n).collect()
}

/// An edition by name or alias (`fmti2023`, `2023`, `FMTI 2023`, `fmti2024` → `fmti2023`).
/// An unknown name is an `E_EDITION` argument error that lists the known editions.
pub fn edition(name: &str) -> Result<&'static Edition> {
    let n = normalize_edition(name);
    for (reg_name, e) in loaded() {
        match e {
            Ok(e) if e.is_named(name) => return Ok(e),
            Err(msg) if normalize_edition(reg_name) == n => {
                return Err(UmrError::argument("E_EDITION_DATA", msg.clone()))
            }
            _ => {}
        }
    }
    let names = edition_names();
    let near = did_you_mean(&n, names.iter().copied());
    Err(UmrError::argument(
        "E_EDITION",
        match near {
            Some(x) => format!(
                "unknown transparency edition `{name}` (did you mean `{x}`? known: {})",
                names.join(", ")
            ),
            None => format!(
                "unknown transparency edition `{name}` (known: {})",
                names.join(", ")
            ),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_parses_and_checks() {
        for (name, e) in loaded() {
            assert!(e.is_ok(), "{name}: {:?}", e.as_ref().err());
        }
        assert_eq!(editions().len(), DATA.len());
    }

    /// The embedded compact files hold exactly the data of the JSON files (run
    /// `python3 crates/umr-core/data/to-tsv.py` after changing a JSON file).
    #[test]
    fn tsv_matches_json() {
        let json = [
            include_str!("../../data/fmti2023.json"),
            include_str!("../../data/fmti2025.json"),
        ];
        assert_eq!(json.len(), DATA.len());
        for ((name, tsv), json) in DATA.iter().zip(json) {
            let from_tsv = Edition::parse(name, tsv).map_err(|e| e.to_string());
            let mut from_json: Edition = serde_json::from_str(json)
                .map_err(|e| e.to_string())
                .unwrap_or_else(|e| unreachable!("{name}.json: {e}"));
            assert!(from_json.check(name).is_ok(), "{name}.json does not check");
            let from_tsv = from_tsv.unwrap_or_else(|e| unreachable!("{name}.tsv: {e}"));
            assert_eq!(
                serde_json::to_value(&from_tsv).ok(),
                serde_json::to_value(&from_json).ok(),
                "{name}: the .tsv and .json files differ"
            );
            assert_eq!(from_tsv.index, from_json.index);
        }
    }

    #[test]
    fn key_of_is_snake_case() {
        assert_eq!(key_of("Data creators "), "data_creators");
        assert_eq!(
            key_of("Third-party capabilities evaluation"),
            "third_party_capabilities_evaluation"
        );
        assert_eq!(
            key_of("  AUP enforcement -- process"),
            "aup_enforcement_process"
        );
        assert_eq!(key_of(""), "");
    }

    #[test]
    fn edition_names_normalise() {
        assert_eq!(normalize_edition("FMTI 2023"), "fmti2023");
        assert_eq!(normalize_edition("2025"), "fmti2025");
        assert_eq!(
            edition("2023").map(|e| e.name.as_str()).ok(),
            Some("fmti2023")
        );
        assert_eq!(
            edition("fmti-2024").map(|e| e.name.as_str()).ok(),
            Some("fmti2023")
        );
        assert_eq!(
            edition("fmti2025").map(|e| e.name.as_str()).ok(),
            Some("fmti2025")
        );
        let err = edition("fmti2026").err().map(|e| e.code());
        assert_eq!(err.as_deref(), Some("E_EDITION"));
    }
}

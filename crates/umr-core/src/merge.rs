//! Inheritance merging with provenance.
//!
//! The effective record is computed by folding: start from the record's own fields, then
//! for each inheriting parent in the order listed, merge the parent's *effective* record
//! underneath by each field's policy. The record always wins; among parents the
//! earlier-listed wins. An explicit `null` in a nearer record clears the field: nothing of
//! it is inherited, and it is absent from the effective record.
//!
//! Provenance is a tree parallel to the value: each leaf names the record (`name@version`)
//! that supplied it.

use crate::model::{Field, Policy, Ty, RECORD_FIELDS};
use crate::path;
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Which record supplied each part of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Prov {
    /// The whole value came from this record.
    Leaf(Arc<str>),
    /// A mapping whose entries may come from different records.
    Map(IndexMap<String, Prov>),
    /// A list whose items may come from different records (set-union lists).
    List(Vec<Prov>),
}

impl Prov {
    /// Provenance of a value written entirely by one record: a single leaf, split into a
    /// map only when a merge needs to (see [`Prov::split`]).
    pub fn own(_v: &Value, id: &Arc<str>) -> Prov {
        Prov::Leaf(id.clone())
    }

    /// The per-key provenance of a mapping value (a leaf covering a mapping is split into
    /// one leaf per key).
    fn split(self, v: &Map<String, Value>) -> IndexMap<String, Prov> {
        match self {
            Prov::Map(m) => m,
            Prov::Leaf(id) => v
                .keys()
                .map(|k| (k.clone(), Prov::Leaf(id.clone())))
                .collect(),
            Prov::List(_) => IndexMap::new(),
        }
    }

    /// Flatten to `path → name@version` for every leaf value (a list counts as one leaf
    /// unless it was united with a parent's list, when each item is reported).
    pub fn flatten(&self, prefix: &str, out: &mut IndexMap<String, String>) {
        match self {
            Prov::Leaf(id) => {
                out.insert(prefix.to_string(), id.to_string());
            }
            Prov::Map(m) => {
                for (k, p) in m {
                    p.flatten(&path::key(prefix, k), out);
                }
            }
            Prov::List(items) => {
                for (i, p) in items.iter().enumerate() {
                    p.flatten(&path::index(prefix, i), out);
                }
            }
        }
    }
}

/// A record's fields and their provenance, keyed by top-level field.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// Field values (nulls kept while merging: they clear inherited values).
    pub value: Map<String, Value>,
    /// Provenance per top-level field.
    pub prov: IndexMap<String, Prov>,
}

impl Layer {
    /// A record's own layer, from a map of its fields it gives away.
    pub fn own(value: Map<String, Value>, id: &Arc<str>) -> Layer {
        let prov = value
            .iter()
            .map(|(k, v)| (k.clone(), Prov::own(v, id)))
            .collect();
        Layer { value, prov }
    }

    /// Merge `parent` (an effective layer) underneath `self`, field by field.
    pub fn merge_under(&mut self, parent: &Layer) {
        merge_fields(
            &mut self.value,
            &mut self.prov,
            &parent.value,
            &parent.prov,
            RECORD_FIELDS,
            true,
        );
    }

    /// Flatten the provenance to `path → name@version`, in the order of the fields.
    pub fn provenance(&self) -> IndexMap<String, String> {
        let mut out = IndexMap::new();
        for (k, p) in &self.prov {
            flatten_in_order(self.value.get(k), p, &path::key("", k), &mut out);
        }
        out
    }

    /// Remove explicit nulls (they have done their work) and order the top-level fields
    /// canonically (known fields in format order, then others as written).
    pub fn finish(mut self) -> Layer {
        strip_nulls(&mut self.value, &mut self.prov);
        let rank = |k: &str| {
            RECORD_FIELDS
                .iter()
                .position(|f| f.key == k)
                .unwrap_or(RECORD_FIELDS.len())
        };
        let mut ranks = self.value.keys().map(|k| rank(k));
        let mut last = 0;
        let in_order = ranks.all(|r| {
            let ok = r >= last;
            last = r;
            ok
        });
        if in_order
            && self.prov.len() == self.value.len()
            && self.prov.keys().zip(self.value.keys()).all(|(a, b)| a == b)
        {
            return self; // already canonical
        }
        // a stable sort by rank: known fields in format order, the others as they were
        let mut entries: Vec<(usize, String, Value)> = std::mem::take(&mut self.value)
            .into_iter()
            .map(|(k, v)| (rank(&k), k, v))
            .collect();
        entries.sort_by_key(|e| e.0);
        let mut value = Map::with_capacity(entries.len());
        let mut prov = IndexMap::with_capacity(entries.len());
        for (_, k, v) in entries {
            if let Some((pk, p)) = self.prov.swap_remove_entry(&k) {
                prov.insert(pk, p);
            }
            value.insert(k, v);
        }
        Layer { value, prov }
    }
}

fn strip_nulls(m: &mut Map<String, Value>, p: &mut IndexMap<String, Prov>) {
    let null_keys: Vec<String> = m
        .iter()
        .filter(|(_, v)| v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    for k in null_keys {
        m.shift_remove(&k);
        p.shift_remove(&k);
    }
    for (k, v) in m.iter_mut() {
        if let Value::Object(inner) = v {
            match p.get_mut(k) {
                Some(Prov::Map(ip)) => strip_nulls(inner, ip),
                // an own mapping: drop its explicit nulls too (nothing to clear below it)
                Some(Prov::Leaf(_)) => strip_value_nulls(inner),
                _ => {}
            }
        }
    }
}

fn strip_value_nulls(m: &mut Map<String, Value>) {
    m.retain(|_, v| !v.is_null());
    for v in m.values_mut() {
        if let Value::Object(inner) = v {
            strip_value_nulls(inner);
        }
    }
}

fn merge_fields(
    acc: &mut Map<String, Value>,
    accp: &mut IndexMap<String, Prov>,
    parent: &Map<String, Value>,
    parentp: &IndexMap<String, Prov>,
    fields: &[Field],
    top: bool,
) {
    for (k, pv) in parent {
        let field = fields.iter().find(|f| f.key == k);
        let (policy, ty) = match field {
            Some(f) => (f.policy, Some(f.ty)),
            // unknown top-level keys are not inherited; unknown keys inside a deep-merged
            // mapping are replaced as a whole (the nearest record's value wins)
            None if top => continue,
            None => (Policy::Replace, None),
        };
        let pp = parentp.get(k);
        merge_one(acc, accp, k, pv, pp, policy, ty);
    }
}

fn merge_one(
    acc: &mut Map<String, Value>,
    accp: &mut IndexMap<String, Prov>,
    k: &str,
    pv: &Value,
    pp: Option<&Prov>,
    policy: Policy,
    ty: Option<Ty>,
) {
    let take = |acc: &mut Map<String, Value>, accp: &mut IndexMap<String, Prov>| {
        acc.insert(k.to_string(), pv.clone());
        if let Some(p) = pp {
            accp.insert(k.to_string(), p.clone());
        }
    };
    match policy {
        Policy::NotInherited => {}
        Policy::Replace => {
            if !acc.contains_key(k) {
                take(acc, accp);
            }
        }
        Policy::SetUnion => match acc.get_mut(k) {
            None => take(acc, accp),
            Some(Value::Array(mine)) => {
                if let Value::Array(theirs) = pv {
                    // own items keep their provenance; parents' new items keep theirs
                    let mut items_prov = match accp.get(k) {
                        Some(Prov::List(l)) => l.clone(),
                        Some(Prov::Leaf(id)) => {
                            mine.iter().map(|_| Prov::Leaf(id.clone())).collect()
                        }
                        _ => Vec::new(),
                    };
                    let their_prov: Vec<Prov> = match pp {
                        Some(Prov::List(l)) => l.clone(),
                        Some(Prov::Leaf(id)) => {
                            theirs.iter().map(|_| Prov::Leaf(id.clone())).collect()
                        }
                        _ => Vec::new(),
                    };
                    for (i, item) in theirs.iter().enumerate() {
                        if !mine.contains(item) {
                            mine.push(item.clone());
                            if let Some(p) = their_prov.get(i) {
                                items_prov.push(p.clone());
                            }
                        }
                    }
                    accp.insert(k.to_string(), Prov::List(items_prov));
                }
            }
            // explicit null (cleared) or a non-list: keep ours
            Some(_) => {}
        },
        Policy::DeepMerge => match (acc.get_mut(k), pv) {
            (None, _) => take(acc, accp),
            (Some(Value::Object(mine)), Value::Object(theirs)) => {
                let mut mine_p = match accp.shift_remove(k) {
                    Some(p) => p.split(mine),
                    None => IndexMap::new(),
                };
                let their_p = match pp {
                    Some(p) => p.clone().split(theirs),
                    None => IndexMap::new(),
                };
                match ty {
                    Some(Ty::Obj(fields)) => {
                        merge_fields(mine, &mut mine_p, theirs, &their_p, fields, false)
                    }
                    // free maps (extensions): deep-merge all the way down
                    Some(Ty::MapOf(Ty::Any)) | None => {
                        for (kk, vv) in theirs {
                            merge_one(
                                mine,
                                &mut mine_p,
                                kk,
                                vv,
                                their_p.get(kk),
                                Policy::DeepMerge,
                                None,
                            );
                        }
                    }
                    // maps of answers etc.: entries replace
                    Some(_) => {
                        for (kk, vv) in theirs {
                            merge_one(
                                mine,
                                &mut mine_p,
                                kk,
                                vv,
                                their_p.get(kk),
                                Policy::Replace,
                                None,
                            );
                        }
                    }
                }
                accp.insert(k.to_string(), Prov::Map(mine_p));
            }
            // null clears; a scalar replaces
            (Some(_), _) => {}
        },
    }
}

fn flatten_in_order(v: Option<&Value>, p: &Prov, at: &str, out: &mut IndexMap<String, String>) {
    match (v, p) {
        (Some(Value::Object(m)), Prov::Leaf(_)) if !m.is_empty() => {
            for (k, vv) in m {
                flatten_in_order(Some(vv), p, &path::key(at, k), out);
            }
        }
        (Some(Value::Object(m)), Prov::Map(pm)) => {
            for (k, vv) in m {
                if let Some(pp) = pm.get(k) {
                    flatten_in_order(Some(vv), pp, &path::key(at, k), out);
                }
            }
        }
        _ => p.flatten(at, out),
    }
}

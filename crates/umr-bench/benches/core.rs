//! Criterion benchmarks of the core operations on a synthetic registry.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use umr_core::{LoadOptions, Record, Registry, Syntax};

fn benches(c: &mut Criterion) {
    let gen = umr_bench::generate(2_000, 42);
    let texts: Vec<String> = gen
        .iter()
        .map(|g| serde_json::to_string(&g.value).unwrap())
        .collect();
    let yamls: Vec<String> = gen
        .iter()
        .map(|g| umr_core::yaml::to_yaml(&g.value))
        .collect();
    let opts = LoadOptions::default();
    c.bench_function("parse+validate 2k json records", |b| {
        b.iter(|| {
            texts
                .iter()
                .filter(|t| {
                    umr_core::check_text(t, Syntax::Json, &opts)
                        .record
                        .is_some()
                })
                .count()
        })
    });
    c.bench_function("parse+validate 2k yaml records", |b| {
        b.iter(|| {
            yamls
                .iter()
                .filter(|t| {
                    umr_core::check_text(t, Syntax::Yaml, &opts)
                        .record
                        .is_some()
                })
                .count()
        })
    });
    let records: Vec<Record> = gen
        .iter()
        .map(|g| Record::from_value(g.value.clone()).unwrap())
        .collect();
    c.bench_function("validate 2k values", |b| {
        b.iter(|| {
            records
                .iter()
                .map(|r| umr_core::validate::validate_value(r.value()).len())
                .sum::<usize>()
        })
    });
    c.bench_function("build registry 2k", |b| {
        b.iter(|| Registry::from_records(records.clone()).unwrap().len())
    });
    let deepest = records.last().map(|r| r.name().to_string()).unwrap();
    c.bench_function("resolve one (fresh registry)", |b| {
        b.iter_batched(
            || Registry::from_records(records.clone()).unwrap(),
            |reg| reg.effective(&deepest).is_ok(),
            criterion::BatchSize::LargeInput,
        )
    });
    c.bench_function("resolve all 2k", |b| {
        b.iter_batched(
            || Registry::from_records(records.clone()).unwrap(),
            |reg| {
                let mut n = 0;
                reg.for_each_effective(|_, r| n += usize::from(r.is_ok()));
                n
            },
            criterion::BatchSize::LargeInput,
        )
    });
    c.bench_function("affected (first dataset)", |b| {
        b.iter_batched(
            || Registry::from_records(records.clone()).unwrap(),
            |reg| {
                reg.affected("data/ds-0", None)
                    .map(|a| a.len())
                    .unwrap_or(0)
            },
            criterion::BatchSize::LargeInput,
        )
    });
}

criterion_group!(core, benches);
criterion_main!(core);

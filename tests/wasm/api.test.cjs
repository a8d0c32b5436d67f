'use strict'
// The WebAssembly package in Node (crates/umr-wasm/pkg/node): the API surface, the error
// model shared with the Node package, rendering, Hugging Face cards, and the panic
// boundary. Results are compared with the Rust core in parity.test.cjs.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { REPO, PKG, wasmUmr, minimalYaml, thrown, ERROR_FIELDS } = require('./helpers.cjs')

const umr = wasmUmr()

const BASE_YAML = `# a comment
name: acme-base
x-vendor:
  zeta: 1
  alpha: [b, a]
format_version: '1.0'
kind: model
version: 1.2.0
license: Apache-2.0
description: A base model.
card:
  intended_use: Research.
  limitations: English only.
`

function assertShape(err, Class) {
  assert.ok(err instanceof Class, `${err} is not a ${Class.name}`)
  assert.ok(err instanceof umr.UmrError)
  assert.ok(err instanceof Error)
  assert.equal(err.name, Class.name)
  assert.equal(err.kind, Class.name)
  for (const f of ERROR_FIELDS) assert.ok(f in err, `missing ${f}`)
  assert.ok(Array.isArray(err.diagnostics) && Array.isArray(err.chain))
  assert.equal(typeof err.stack, 'string')
}

test('package: exports, version and metadata', () => {
  const cargo = fs.readFileSync(path.join(REPO, 'Cargo.toml'), 'utf8')
  const version = /\[workspace\.package\][^[]*?\nversion\s*=\s*"([^"]+)"/.exec(cargo)[1]
  assert.equal(umr.VERSION, version)
  assert.deepEqual(umr.FEATURES, ['render', 'hf', 'score'])
  assert.ok(Object.isFrozen(umr.FEATURES))
  for (const dir of ['node', 'web', 'node-lite', 'web-lite'].filter((d) => fs.existsSync(path.join(PKG, d)))) {
    const pkg = JSON.parse(fs.readFileSync(path.join(PKG, dir, 'package.json'), 'utf8'))
    assert.equal(pkg.version, version)
    assert.equal(pkg.types, 'umr_wasm.d.ts')
    for (const f of pkg.files) assert.ok(fs.existsSync(path.join(PKG, dir, f)), `${dir}/${f}`)
  }
  const functions = ['validate', 'diff', 'requiredBump', 'importHfCard', 'exportHfCard', 'editions', 'scoreRecord', 'Record', 'Registry', 'Effective']
  for (const name of functions) assert.equal(typeof umr[name], 'function', name)
  for (const name of ['UmrError', 'ValidationError', 'ResolveError', 'CycleError', 'IoError', 'RefusedError', 'ArgumentError', 'InternalError']) {
    assert.equal(typeof umr[name], 'function', name)
    assert.equal(umr[name].name, name)
  }
  assert.equal(umr.Record.name, 'Record')
  assert.equal(umr.Registry.name, 'Registry')
  // the Node package's names, where the package has them (file system functions aside)
  const nodeTypes = fs.readFileSync(path.join(REPO, 'crates', 'umr-node', 'index.d.ts'), 'utf8')
  for (const name of ['validate', 'diff', 'requiredBump', 'fromYaml', 'fromJson', 'fromObject', 'toObject', 'toYaml', 'toJson', 'fromRecords', 'resolve', 'provenanceOf', 'lineage', 'affected', 'risks', 'resolveAll']) {
    assert.match(nodeTypes, new RegExp(`\\b${name}\\(`), `the Node package has no ${name}`)
  }
})

test('Record: getters, key order and unknown fields are kept', () => {
  const rec = umr.Record.fromYaml(BASE_YAML, 'acme-base.yaml')
  assert.ok(rec instanceof umr.Record)
  assert.equal(rec.name, 'acme-base')
  assert.equal(rec.version, '1.2.0')
  assert.equal(rec.kind, 'model')
  assert.equal(rec.id, 'acme-base@1.2.0')
  assert.equal(rec.file, 'acme-base.yaml')
  const obj = rec.toObject()
  assert.deepEqual(Object.keys(obj), ['name', 'x-vendor', 'format_version', 'kind', 'version', 'license', 'description', 'card'])
  assert.deepEqual(Object.keys(obj['x-vendor']), ['zeta', 'alpha'])
  assert.equal(umr.Record.fromYaml(minimalYaml()).file, null)
  assert.equal(umr.Record.fromYaml(minimalYaml(), null).file, null)
})

test('Record: YAML, JSON and object round trips', () => {
  const rec = umr.Record.fromYaml(BASE_YAML)
  const obj = rec.toObject()
  assert.deepEqual(umr.Record.fromYaml(rec.toYaml()).toObject(), obj)
  assert.deepEqual(umr.Record.fromJson(rec.toJson()).toObject(), obj)
  assert.deepEqual(JSON.parse(rec.toJson()), obj)
  assert.equal(JSON.stringify(umr.Record.fromObject(obj).toObject()), JSON.stringify(obj))
  obj.name = 'changed'
  assert.equal(rec.toObject().name, 'acme-base')
  // the prototype dialect loads as the native form
  const legacy = umr.Record.fromYaml('mr:\n  type: dataset\n  metadata:\n    name: Demo Set\n    version: 1.0.0\n', 'demo-set/demo-set-1.0.0.yaml')
  assert.equal(legacy.kind, 'dataset')
})

test('Record: warnings, validate() and derive()', () => {
  const rec = umr.Record.fromYaml(minimalYaml('demo', '1.0.0', 'license: mit\n'), 'demo.yaml')
  assert.equal(rec.warnings.length, 1)
  const [w] = rec.warnings
  assert.deepEqual([w.code, w.path, w.severity, w.file, w.line], ['W_LICENSE_CASE', 'license', 'warning', 'demo.yaml', 5])
  assert.deepEqual(rec.validate(), rec.warnings)
  const base = umr.Record.fromYaml(BASE_YAML)
  const ft = base.derive('acme-ft', '0.1.0')
  assert.deepEqual(ft.toObject().upstream, [{ name: 'acme-base', version: '=1.2.0', relation: 'finetune' }])
  const adapter = base.derive('acme-lora', '1.0.0', 'adapter', { card: { intended_use: 'Research.', limitations: 'Short inputs.' } })
  assert.deepEqual(adapter.toObject().card, { limitations: 'Short inputs.' })
  assert.throws(() => base.derive('acme-ft', 'one'), umr.ValidationError)
  const eff = umr.Registry.fromRecords([base, adapter]).resolve('acme-lora')
  assert.ok(eff instanceof umr.Effective)
  assert.equal(eff.provenanceOf('card.intended_use'), 'acme-base@1.2.0')
  assert.equal(eff.provenanceOf('card.limitations'), 'acme-lora@1.0.0')
  assert.equal(eff.provenanceOf('no.such.field'), null)
  assert.equal(eff.provenance['card.limitations'], 'acme-lora@1.0.0')
  assert.equal(eff.record.toObject().license, 'Apache-2.0')
})

test('validate: never throws for a bad document; every field of a diagnostic is present', () => {
  for (const text of ['', '{', 'x: [', '- a\n- b\n', 'mr: 1\n', '\u0000', 'a: &a [*a]']) {
    const diags = umr.validate(text)
    assert.ok(diags.length > 0, JSON.stringify(text))
    for (const d of diags) {
      assert.deepEqual(Object.keys(d), ['file', 'path', 'line', 'column', 'code', 'severity', 'message', 'help'])
    }
  }
  assert.deepEqual(umr.validate(minimalYaml()), [])
  assert.deepEqual(umr.validate(minimalYaml(), {}), [])
  assert.deepEqual(umr.validate(minimalYaml(), null), [])
  const json = '{"format_version": "1.0", "kind": "model", "name": "demo", "version": "1.0.0"}'
  assert.deepEqual(umr.validate(json), [])
  assert.deepEqual(umr.validate(json, { syntax: 'json' }), [])
  assert.deepEqual(umr.validate(json, { file: 'demo.json' }), [])
  assert.equal(umr.validate(minimalYaml(), { syntax: 'json' })[0].code, 'E_JSON_SYNTAX')
  assert.equal(umr.validate('{', { file: 'x.yaml' })[0].file, 'x.yaml')
  const [d] = umr.validate(minimalYaml('demo', '1.0'), { file: 'bad.yaml' })
  assert.deepEqual([d.code, d.file, d.line, d.column, d.path], ['E_SEMVER', 'bad.yaml', 4, 10, 'version'])
  // a bad option is an ArgumentError; a value of the wrong type a TypeError
  const bad = thrown(() => umr.validate(minimalYaml(), { syntax: 'toml' }))
  assertShape(bad, umr.ArgumentError)
  assert.equal(bad.code, 'E_ENUM')
  assert.throws(() => umr.validate(42), TypeError)
  assert.throws(() => umr.Record.fromYaml({}), TypeError)
})

test('errors: a validation error carries code, path, line, column and every diagnostic', () => {
  const err = thrown(() => umr.Record.fromYaml(minimalYaml('demo', "'1.0'"), 'demo.yaml'))
  assertShape(err, umr.ValidationError)
  assert.deepEqual([err.code, err.path, err.line, err.column], ['E_SEMVER', 'version', 4, 10])
  assert.match(err.message, /^demo\.yaml:4:10: error \[E_SEMVER\] at version/)
  assert.deepEqual(err.chain, [])
  assert.deepEqual(err.diagnostics, umr.validate(minimalYaml('demo', "'1.0'"), { file: 'demo.yaml' }))
  const json = thrown(() => umr.Record.fromJson('{"kind": }'))
  assert.equal(json.code, 'E_JSON_SYNTAX')
  assert.deepEqual([json.line, json.column], [1, 10])
  const obj = thrown(() => umr.Record.fromObject({ format_version: '1.0', kind: 'model', name: 'x', version: 'one' }))
  assertShape(obj, umr.ValidationError)
  assert.deepEqual([obj.code, obj.path, obj.line, obj.column], ['E_SEMVER', 'version', null, null])
  // an object nested beyond the limits is refused like a document
  let deep = {}
  const root = deep
  for (let i = 0; i < 100; i++) deep = deep.x = {}
  const limited = thrown(() => umr.Record.fromObject(root))
  assertShape(limited, umr.ValidationError)
  assert.equal(limited.line, null)
  assert.throws(() => umr.Record.fromObject(undefined), umr.ArgumentError)
})

test('errors: ResolveError, CycleError, RefusedError and ArgumentError', () => {
  const child = umr.Record.fromYaml(minimalYaml('child', '1.0.0', 'upstream:\n  - parent>=1.0.0\n'))
  const reg = umr.Registry.fromRecords([child])
  const notFound = thrown(() => reg.resolve('nothing'))
  assertShape(notFound, umr.ResolveError)
  assert.equal(notFound.code, 'E_NOT_FOUND')
  const missing = thrown(() => reg.resolve('child'))
  assertShape(missing, umr.ResolveError)
  assert.equal(missing.code, 'E_MISSING_PARENT')
  assert.deepEqual(missing.chain, ['child@1.0.0'])
  assert.equal(thrown(() => reg.find('child>=2')).code, 'E_UNSATISFIED')
  const [entry] = reg.resolveAll()
  assert.equal(entry.id, 'child@1.0.0')
  assert.equal(entry.effective, null)
  const fromData = umr.UmrError.fromData(entry.error)
  assertShape(fromData, umr.ResolveError)
  assert.deepEqual([fromData.code, fromData.chain, fromData.message], [missing.code, missing.chain, missing.message])

  const a = umr.Record.fromYaml(minimalYaml('a', '1.0.0', 'upstream:\n  - b\n'))
  const b = umr.Record.fromYaml(minimalYaml('b', '1.0.0', 'upstream:\n  - a\n'))
  const cycle = thrown(() => umr.Registry.fromRecords([a, b]).resolve('a'))
  assertShape(cycle, umr.CycleError)
  assert.equal(cycle.code, 'E_CYCLE')
  assert.equal(cycle.chain.length, 3)

  const dup = thrown(() => umr.Registry.fromRecords([a, umr.Record.fromYaml(a.toYaml())]))
  assertShape(dup, umr.RefusedError)
  assert.equal(dup.code, 'E_DUPLICATE_RECORD')
  const notRecord = thrown(() => umr.Registry.fromRecords([a, { name: 'x' }]))
  assertShape(notRecord, umr.ArgumentError)
  assert.match(notRecord.message, /records\[1\]/)
  assert.throws(() => umr.Registry.fromRecords('a'), TypeError)
  const fmt = thrown(() => umr.Registry.fromRecords([umr.Record.fromYaml(minimalYaml('solo'))]).lineage('solo', 'png'))
  assertShape(fmt, umr.ArgumentError)
  assert.equal(fmt.code, 'E_ENUM')
  // the records given to a registry stay usable
  assert.equal(a.id, 'a@1.0.0')
  assert.throws(() => new umr.Registry('registry'), TypeError)
  assert.throws(() => new umr.Record(), TypeError)
  assert.throws(() => new umr.Effective(), TypeError)
})

test('diff and requiredBump: Records or plain objects', () => {
  const base = umr.Record.fromYaml(BASE_YAML)
  const obj = base.toObject()
  assert.deepEqual(umr.diff(base, base), [])
  assert.equal(umr.requiredBump(base, obj), 'none')
  assert.equal(umr.requiredBump(obj, { ...obj, version: '9.9.9' }), 'none')
  assert.equal(umr.requiredBump(base, { ...obj, description: 'A better base model.' }), 'patch')
  assert.equal(umr.requiredBump(base, { ...obj, tags: ['nlp'] }), 'minor')
  assert.equal(umr.requiredBump(base, { ...obj, kind: 'dataset' }), 'major')
  const { license, ...unlicensed } = obj
  assert.equal(license, 'Apache-2.0')
  assert.deepEqual(umr.diff(unlicensed, base), [{ path: 'license', op: 'added', new: 'Apache-2.0', bump: 'minor', rule: 'license-add' }])
  const removed = umr.diff(base, unlicensed)
  assert.deepEqual(removed.map((c) => [c.path, c.op, c.old, c.bump]), [['license', 'removed', 'Apache-2.0', 'major']])
  assert.ok(!('new' in removed[0]))
  assert.throws(() => umr.diff(base, 'x'), TypeError)
})

test('Registry.fromRecords: resolve, find, names, lock, lineage, risks, affected', () => {
  const data = umr.Record.fromYaml(
    "format_version: '1.0'\nkind: dataset\nname: web-crawl\nversion: 2.0.0\n" +
      'risks:\n  - id: pii\n    title: Personal data\n    status: confirmed\n    severity: high\n',
  )
  const base = umr.Record.fromYaml(minimalYaml('base', '1.0.0', 'upstream:\n  - name: web-crawl\n    relation: trained_on\n'))
  const base11 = umr.Record.fromYaml(minimalYaml('base', '1.1.0', 'upstream:\n  - web-crawl\n'))
  const ft = umr.Record.fromYaml(minimalYaml('ft', '1.0.0', 'upstream:\n  - base<1.1\nrisks:\n  - id: pii\n    upstream: web-crawl\n    status: mitigated\n    justification: Filtered.\n'))
  const reg = umr.Registry.fromRecords(new Set([ft, base, base11, data]))
  assert.equal(reg.size, 4)
  assert.equal(reg.length, 4)
  assert.equal(reg.loadReport, null)
  assert.deepEqual(reg.names(), ['base', 'ft', 'web-crawl'])
  assert.equal(reg.find('base').version, '1.1.0')
  assert.equal(reg.find('base@1.0.0').version, '1.0.0')
  assert.equal(reg.find('base==1.0.0').version, '1.0.0')
  assert.equal(reg.resolve('ft').record.id, 'ft@1.0.0')
  const lock = reg.lock()
  assert.equal(lock.lock_version, 1)
  assert.deepEqual(Object.keys(lock.records), ['base@1.0.0', 'base@1.1.0', 'ft@1.0.0', 'web-crawl@2.0.0'])
  assert.deepEqual(lock.records['ft@1.0.0'].upstream, [{ requirement: 'base<1.1', resolved: 'base@1.0.0', index: 0 }])
  const lin = reg.lineage('ft')
  assert.deepEqual(lin.ancestors.map((x) => [x.name, x.version, x.relation, x.depth, x.via]), [
    ['base', '1.0.0', 'derived_from', 1, 'ft@1.0.0'],
    ['web-crawl', '2.0.0', 'trained_on', 2, 'base@1.0.0'],
  ])
  assert.equal(lin.root_kind, 'model')
  assert.equal(lin.ancestors[1].has_risks, true)
  assert.match(reg.lineage('ft', 'mermaid'), /^flowchart LR/)
  assert.match(reg.lineage('ft', 'dot'), /^digraph lineage/)
  assert.match(reg.lineage('ft', 'tree'), /^ft@1\.0\.0 \(model\)/)
  assert.deepEqual(reg.lineage('ft', 'json'), lin)
  const svg = reg.lineage('ft', 'svg')
  assert.match(svg, /<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
  assert.match(svg, /web-crawl/)
  const [risk] = reg.risks('ft')
  assert.deepEqual([risk.id, risk.status, risk.severity, risk.title], ['pii', 'mitigated', 'high', 'Personal data'])
  assert.deepEqual(risk.chain, ['web-crawl@2.0.0', 'base@1.0.0', 'ft@1.0.0'])
  assert.deepEqual(risk.mitigation, { by: 'ft@1.0.0', justification: 'Filtered.' })
  assert.deepEqual(reg.affected('web-crawl').map((x) => `${x.name}@${x.version}`).sort(), ['base@1.0.0', 'base@1.1.0', 'ft@1.0.0'])
  assert.deepEqual(reg.affected('web-crawl', 'no-such-risk'), [])
  const ids = reg.resolveAll().map((r) => r.id)
  assert.ok(ids.indexOf('web-crawl@2.0.0') < ids.indexOf('base@1.0.0'))
  assert.ok(ids.indexOf('base@1.0.0') < ids.indexOf('ft@1.0.0'))
  assert.ok(reg.resolveAll().every((r) => r.effective instanceof umr.Effective && r.error === null))
})

test('render: HTML, Markdown and SVG, escaped; LaTeX and PDF are not in this build', () => {
  const rec = umr.Record.fromYaml(minimalYaml('demo', '1.0.0', 'title: <b>Demo</b> & "friends"\ndescription: <script>alert(1)</script>\n'))
  const html = rec.render('html')
  assert.match(html, /^<!DOCTYPE html>/i)
  assert.ok(html.includes('&lt;b&gt;Demo&lt;/b&gt;'))
  assert.ok(!html.includes('<script>'))
  assert.ok(!/<script/i.test(html), 'a card has no scripts')
  const md = rec.render('md')
  assert.equal(rec.render('markdown'), md)
  assert.ok(!md.includes('<b>'))
  assert.match(rec.render('svg'), /<svg/)
  for (const f of ['pdf', 'tex', 'docx']) {
    const err = thrown(() => rec.render(f))
    assertShape(err, umr.ArgumentError)
    assert.equal(err.code, 'E_FORMAT')
  }
  // in a registry: the effective record with provenance
  const base = umr.Record.fromYaml(BASE_YAML)
  const ft = base.derive('acme-ft', '1.0.0', 'finetune', { description: 'Tuned.' })
  const reg = umr.Registry.fromRecords([base, ft])
  const page = reg.render('acme-ft', 'html')
  assert.ok(page.includes('English only.'), 'inherited card section shown')
  assert.ok(page.includes('acme-base@1.2.0'))
  assert.match(reg.render('acme-ft', 'markdown'), /English only\./)
  assert.throws(() => reg.render('nothing', 'html'), umr.ResolveError)
})

test('Hugging Face cards: import and export', () => {
  const card = `---
license: apache-2.0
base_model: acme/base-7b
base_model_relation: finetune
datasets:
  - acme/instructions
language:
  - en
tags:
  - chat
---

# Acme Chat 7B

A chat model.

## Intended uses & limitations

Research use only.
`
  const { record, warnings } = umr.importHfCard(card, { name: 'acme/chat-7b', file: 'README.md' })
  assert.ok(record instanceof umr.Record)
  assert.ok(Array.isArray(warnings))
  assert.equal(record.name, 'acme/chat-7b')
  assert.equal(record.version, '1.0.0')
  const obj = record.toObject()
  assert.ok(JSON.stringify(obj.upstream).includes('acme/base-7b'))
  const back = umr.exportHfCard(record)
  assert.match(back, /^---\n/)
  assert.match(back, /base_model: acme\/base-7b/)
  assert.equal(umr.exportHfCard(obj), back)
  assert.equal(umr.importHfCard(back, { name: 'acme/chat-7b' }).record.toJson(), record.toJson())
  const kind = thrown(() => umr.importHfCard(card, { kind: 'robot' }))
  assertShape(kind, umr.ArgumentError)
  assert.equal(kind.code, 'E_ENUM')
  const base = umr.Record.fromYaml(BASE_YAML)
  const reg = umr.Registry.fromRecords([base])
  assert.match(reg.exportHf('acme-base'), /license: apache-2\.0/i)
  assert.equal(reg.exportHf('acme-base', false), reg.exportHf('acme-base'))
})

test('transparency scores: editions, a record, a registry', () => {
  const eds = umr.editions()
  assert.ok(eds.length >= 1)
  const ed = eds[0]
  assert.deepEqual(Object.keys(ed).slice(0, 2), ['name', 'aliases'])
  const [first, second] = ed.indicators
  const answers = `transparency:\n  edition: ${ed.name}\n  answers:\n    ${first.key}: true\n    ${second.key}: false\n    not_an_indicator: true\n`
  const base = umr.Record.fromYaml(minimalYaml('scored', '1.0.0', answers))
  const own = umr.scoreRecord(base)
  assert.equal(own.edition, ed.name)
  assert.deepEqual([own.total.score, own.total.answered, own.total.indicators], [1, 2, ed.indicators.length])
  assert.equal(own.indicators.find((i) => i.key === first.key).answer, true)
  assert.equal(own.diagnostics[0].code, 'W_SCORE_UNKNOWN_INDICATOR')
  const ft = base.derive('scored-ft', '1.0.0')
  const report = umr.Registry.fromRecords([base, ft]).score('scored-ft')
  assert.equal(report.record, 'scored-ft@1.0.0')
  assert.equal(report.own.total.score, 0)
  assert.equal(report.effective.total.score, 1)
  assert.deepEqual(report.inherited, { 'scored@1.0.0': 2 })
  const bad = thrown(() => umr.scoreRecord(base, 'no-such-edition'))
  assertShape(bad, umr.ArgumentError)
  assert.equal(bad.code, 'E_EDITION')
  assert.throws(() => umr.scoreRecord({}), TypeError)
})

// Last: after a panic the module is re-instantiated, so objects created before it are stale.
test('a Rust panic becomes an InternalError (E_PANIC) and the module keeps working', () => {
  const before = umr.Record.fromYaml(minimalYaml())
  const err = thrown(() => umr.__debugPanic())
  assertShape(err, umr.InternalError)
  assert.equal(err.code, 'E_PANIC')
  assert.match(err.message, /^internal error in umr \(please report it\): deliberate panic from __debugPanic/)
  assert.ok(err.cause instanceof WebAssembly.RuntimeError)
  // the module works again
  assert.deepEqual(umr.validate(minimalYaml()), [])
  assert.equal(umr.Record.fromYaml(minimalYaml('after')).id, 'after@1.0.0')
  assert.equal(umr.validate(minimalYaml('demo', '1.0'))[0].code, 'E_SEMVER')
  // objects from before the reset say so
  const stale = thrown(() => before.toYaml())
  assertShape(stale, umr.InternalError)
  assert.equal(stale.code, 'E_STALE')
  assert.equal(thrown(() => umr.Registry.fromRecords([before])).code, 'E_STALE')
  // and it survives repeated panics
  for (let i = 0; i < 50; i++) assert.equal(thrown(() => umr.__debugPanic()).code, 'E_PANIC')
  assert.deepEqual(umr.validate(minimalYaml()), [])
})

'use strict'
// The API surface: Record, Registry, Effective, validate, diff/requiredBump, and the
// package metadata.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { REPO, nativeUmr, tempDir, minimalYaml } = require('./helpers.js')

const umr = nativeUmr()

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

test('package: exports, version and metadata', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'crates', 'umr-node', 'package.json'), 'utf8'))
  assert.equal(pkg.main, 'umr.js')
  assert.equal(pkg.types, 'umr.d.ts')
  assert.match(umr.VERSION, /^\d+\.\d+\.\d+/)
  for (const name of [
    'load', 'validate', 'validateFile', 'diff', 'requiredBump', 'importHfCard', 'exportHfCard', 'importCyclonedx',
    'editions', 'scoreRecord', 'Record', 'Registry', 'Effective',
  ]) {
    assert.equal(typeof umr[name], 'function', name)
  }
  for (const name of ['UmrError', 'ValidationError', 'ResolveError', 'CycleError', 'IoError', 'RefusedError', 'ArgumentError', 'InternalError']) {
    assert.equal(typeof umr[name], 'function', name)
    assert.equal(umr[name].name, name)
  }
  assert.equal(umr.Record.name, 'Record')
  assert.equal(umr.Registry.name, 'Registry')
})

test('Record: getters, key order and unknown fields are kept', () => {
  const rec = umr.Record.fromYaml(BASE_YAML, 'acme-base.yaml')
  assert.equal(rec.name, 'acme-base')
  assert.equal(rec.version, '1.2.0')
  assert.equal(rec.kind, 'model')
  assert.equal(rec.id, 'acme-base@1.2.0')
  assert.equal(rec.file, 'acme-base.yaml')
  const obj = rec.toObject()
  assert.deepEqual(Object.keys(obj), ['name', 'x-vendor', 'format_version', 'kind', 'version', 'license', 'description', 'card'])
  assert.deepEqual(Object.keys(obj['x-vendor']), ['zeta', 'alpha'])
  assert.deepEqual(obj['x-vendor'].alpha, ['b', 'a'])
  assert.equal(umr.Record.fromYaml(minimalYaml()).file, null)
})

test('Record: YAML, JSON and object round trips', () => {
  const rec = umr.Record.fromYaml(BASE_YAML)
  const obj = rec.toObject()
  assert.deepEqual(umr.Record.fromYaml(rec.toYaml()).toObject(), obj)
  assert.deepEqual(umr.Record.fromJson(rec.toJson()).toObject(), obj)
  assert.deepEqual(JSON.parse(rec.toJson()), obj)
  assert.deepEqual(umr.Record.fromObject(obj).toObject(), obj)
  assert.equal(JSON.stringify(umr.Record.fromObject(obj).toObject()), JSON.stringify(obj))
  // toObject returns a fresh copy each time
  obj.name = 'changed'
  assert.equal(rec.toObject().name, 'acme-base')
})

test('Record: the prototype dialect loads as the native form', () => {
  const legacy = 'mr:\n  type: dataset\n  metadata:\n    name: Demo Set\n    version: 1.0.0\n'
  const rec = umr.Record.fromYaml(legacy, 'demo-set/demo-set-1.0.0.yaml')
  assert.equal(rec.kind, 'dataset')
  assert.equal(rec.toObject().kind, 'dataset')
})

test('Record: save to a file, a JSON file and a registry folder; load reads it back', () => {
  const dir = tempDir()
  const rec = umr.Record.fromYaml(BASE_YAML)
  const yamlFile = path.join(dir, 'out.yaml')
  assert.equal(rec.save(yamlFile), yamlFile)
  assert.deepEqual(umr.load(yamlFile).toObject(), rec.toObject())
  assert.equal(umr.load(yamlFile).file, yamlFile)
  const jsonFile = path.join(dir, 'out.json')
  rec.save(jsonFile)
  assert.deepEqual(JSON.parse(fs.readFileSync(jsonFile, 'utf8')), rec.toObject())
  assert.deepEqual(umr.load(jsonFile).toObject(), rec.toObject())
  const inFolder = rec.save(dir)
  assert.equal(inFolder, path.join(dir, 'acme-base', 'acme-base-1.2.0.yaml'))
  assert.deepEqual(umr.validateFile(inFolder), [])
  // nothing else (no temporary files) is left behind
  assert.deepEqual(fs.readdirSync(dir).sort(), ['acme-base', 'out.json', 'out.yaml'])
})

test('Record: warnings and validate()', () => {
  const rec = umr.Record.fromYaml(minimalYaml('demo', '1.0.0', 'license: mit\n'), 'demo.yaml')
  assert.equal(rec.warnings.length, 1)
  const [w] = rec.warnings
  assert.deepEqual([w.code, w.path, w.severity, w.file, w.line], ['W_LICENSE_CASE', 'license', 'warning', 'demo.yaml', 5])
  assert.deepEqual(rec.validate(), rec.warnings)
  assert.deepEqual(umr.Record.fromYaml(minimalYaml()).validate(), [])
})

test('Record.derive: only the differences, with the relation', () => {
  const base = umr.Record.fromYaml(BASE_YAML)
  const ft = base.derive('acme-ft', '0.1.0')
  assert.ok(ft instanceof umr.Record)
  assert.deepEqual(ft.toObject(), {
    format_version: '1.0',
    kind: 'model',
    name: 'acme-ft',
    version: '0.1.0',
    upstream: [{ name: 'acme-base', version: '=1.2.0', relation: 'finetune' }],
  })
  const adapter = base.derive('acme-lora', '1.0.0', 'adapter', {
    description: 'A LoRA adapter.',
    license: 'Apache-2.0',
    card: { intended_use: 'Research.', limitations: 'Short inputs.' },
  })
  const obj = adapter.toObject()
  assert.equal(obj.upstream[0].relation, 'adapter')
  assert.equal(obj.description, 'A LoRA adapter.')
  assert.equal(obj.license, undefined) // same as the base: not repeated
  assert.deepEqual(obj.card, { limitations: 'Short inputs.' })
  assert.throws(() => base.derive('acme-ft', 'one'), umr.ValidationError)
  // the derived record resolves over its base
  const eff = umr.Registry.fromRecords([base, adapter]).resolve('acme-lora')
  assert.equal(eff.provenanceOf('card.intended_use'), 'acme-base@1.2.0')
  assert.equal(eff.provenanceOf('card.limitations'), 'acme-lora@1.0.0')
  assert.equal(eff.record.toObject().license, 'Apache-2.0')
})

test('derive: the relation defaults in the core; Effective.derive derives from the effective record', () => {
  const base = umr.Record.fromYaml(BASE_YAML)
  for (const ft of [base.derive('a', '1.0.0'), base.derive('a', '1.0.0', null), base.derive('a', '1.0.0', undefined, {})]) {
    assert.deepEqual(ft.toObject().upstream, [{ name: 'acme-base', version: '=1.2.0', relation: 'finetune' }])
  }
  const family = umr.Record.fromYaml(minimalYaml('fam', '1.0.0', 'license: MIT\ncard:\n  limitations: Old data.\n').replace('kind: model', 'kind: family'))
  const member = umr.Record.fromYaml(minimalYaml('member', '1.0.0', 'upstream:\n  - fam\n'))
  const eff = umr.Registry.fromRecords([family, member]).resolve('member')
  assert.equal(eff.provenanceOf('license'), 'fam@1.0.0')
  const child = eff.derive('org/child', '1.0.0', 'adapter', { license: 'MIT', title: 'Child' })
  assert.ok(child instanceof umr.Record)
  const obj = child.toObject()
  assert.equal(obj.license, undefined) // the inherited value, unchanged: not repeated
  assert.equal(obj.title, 'Child')
  assert.deepEqual(obj.upstream, [{ name: 'member', version: '=1.0.0', relation: 'adapter' }])
  assert.deepEqual(eff.derive('x', '1.0.0').toObject().upstream[0].relation, 'finetune')
  assert.throws(() => eff.derive('x', '1.0.0', 'sideways'), umr.ArgumentError)
})

test('lineage formats are the core\'s (any case)', () => {
  const a = umr.Record.fromYaml(minimalYaml('a'))
  const b = umr.Record.fromYaml(minimalYaml('b', '1.0.0', 'upstream:\n  - a\n'))
  const reg = umr.Registry.fromRecords([a, b])
  assert.equal(reg.lineage('b', 'DOT'), reg.lineage('b', 'dot'))
  assert.deepEqual(reg.lineage('b', 'JSON'), reg.lineage('b'))
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
  // syntax: explicit, from the file name, or from the text
  const json = '{"format_version": "1.0", "kind": "model", "name": "demo", "version": "1.0.0"}'
  assert.deepEqual(umr.validate(json), [])
  assert.deepEqual(umr.validate(json, { syntax: 'json' }), [])
  assert.deepEqual(umr.validate(json, { file: 'demo.json' }), [])
  assert.equal(umr.validate(minimalYaml(), { syntax: 'json' })[0].code, 'E_JSON_SYNTAX')
  assert.equal(umr.validate(minimalYaml(), { file: 'demo.json' })[0].code, 'E_JSON_SYNTAX')
  assert.equal(umr.validate('{', { file: 'x.yaml' })[0].file, 'x.yaml')
})

test('validateFile: diagnostics of a file, E_IO for a missing one', () => {
  const dir = tempDir()
  const file = path.join(dir, 'bad.yaml')
  fs.writeFileSync(file, minimalYaml('demo', '1.0'))
  const [d] = umr.validateFile(file)
  assert.deepEqual([d.code, d.file, d.line, d.column], ['E_SEMVER', file, 4, 10])
  const [io] = umr.validateFile(path.join(dir, 'missing.yaml'))
  assert.equal(io.code, 'E_IO')
})

test('diff and requiredBump: Records or plain objects', () => {
  const base = umr.Record.fromYaml(BASE_YAML)
  const obj = base.toObject()
  assert.deepEqual(umr.diff(base, base), [])
  assert.equal(umr.requiredBump(base, obj), 'none')
  assert.equal(umr.requiredBump(obj, { ...obj, version: '9.9.9' }), 'none') // version is not compared
  assert.equal(umr.requiredBump(base, { ...obj, description: 'A better base model.' }), 'patch')
  assert.equal(umr.requiredBump(base, { ...obj, tags: ['nlp'] }), 'minor')
  assert.equal(umr.requiredBump(base, { ...obj, kind: 'dataset' }), 'major')
  const { license, ...unlicensed } = obj
  assert.equal(license, 'Apache-2.0')
  const added = umr.diff(unlicensed, base)
  assert.deepEqual(added, [{ path: 'license', op: 'added', new: 'Apache-2.0', bump: 'minor', rule: 'license-add' }])
  const removed = umr.diff(base, unlicensed)
  assert.deepEqual(removed.map((c) => [c.path, c.op, c.old, c.bump]), [['license', 'removed', 'Apache-2.0', 'major']])
  assert.ok(!('new' in removed[0]))
  const changed = umr.diff(obj, { ...obj, card: { ...obj.card, limitations: 'Any language.' } })
  assert.deepEqual(changed.map((c) => [c.path, c.op, c.old, c.new, c.bump, c.rule]), [
    ['card.limitations', 'changed', 'English only.', 'Any language.', 'patch', 'text'],
  ])
})

test('Registry.fromRecords: resolve, find, names, lock, lineage, risks, affected', () => {
  const data = umr.Record.fromYaml(
    "format_version: '1.0'\nkind: dataset\nname: web-crawl\nversion: 2.0.0\n" +
      'risks:\n  - id: pii\n    title: Personal data\n    status: confirmed\n    severity: high\n',
  )
  const base = umr.Record.fromYaml(minimalYaml('base', '1.0.0', 'upstream:\n  - name: web-crawl\n    relation: trained_on\n'))
  const base11 = umr.Record.fromYaml(minimalYaml('base', '1.1.0', 'upstream:\n  - web-crawl\n'))
  const ft = umr.Record.fromYaml(minimalYaml('ft', '1.0.0', "upstream:\n  - base<1.1\nrisks:\n  - id: pii\n    upstream: web-crawl\n    status: mitigated\n    justification: Filtered.\n"))
  const reg = umr.Registry.fromRecords([ft, base, base11, data])
  assert.equal(reg.size, 4)
  assert.equal(reg.loadReport, null)
  assert.deepEqual(reg.names(), ['base', 'ft', 'web-crawl'])
  assert.equal(reg.find('base').version, '1.1.0')
  assert.equal(reg.find('base@1.0.0').version, '1.0.0')
  assert.equal(reg.find('base==1.0.0').version, '1.0.0')
  assert.equal(reg.find('base-1.0.0').version, '1.0.0')
  assert.equal(reg.resolve('ft').record.id, 'ft@1.0.0')
  // lock
  const lock = reg.lock()
  assert.deepEqual(Object.keys(lock.records), ['base@1.0.0', 'base@1.1.0', 'ft@1.0.0', 'web-crawl@2.0.0'])
  assert.deepEqual(lock.records['ft@1.0.0'].upstream, [{ requirement: 'base<1.1', resolved: 'base@1.0.0', index: 0 }])
  // lineage
  const lin = reg.lineage('ft')
  assert.deepEqual(lin.ancestors.map((a) => [a.name, a.version, a.relation, a.depth, a.via]), [
    ['base', '1.0.0', 'derived_from', 1, 'ft@1.0.0'],
    ['web-crawl', '2.0.0', 'trained_on', 2, 'base@1.0.0'],
  ])
  // risks travel downstream; a mitigation keeps them visible
  const [risk] = reg.risks('ft')
  assert.equal(risk.id, 'pii')
  assert.equal(risk.status, 'mitigated')
  assert.equal(risk.severity, 'high')
  assert.equal(risk.title, 'Personal data')
  assert.deepEqual(risk.chain, ['web-crawl@2.0.0', 'base@1.0.0', 'ft@1.0.0'])
  assert.deepEqual(risk.mitigation, { by: 'ft@1.0.0', justification: 'Filtered.' })
  const affected = reg.affected('web-crawl')
  assert.deepEqual(affected.map((a) => `${a.name}@${a.version}`).sort(), ['base@1.0.0', 'base@1.1.0', 'ft@1.0.0'])
  assert.deepEqual(reg.affected('web-crawl', 'no-such-risk'), [])
  // resolveAll: ancestors first
  const ids = reg.resolveAll().map((r) => r.id)
  assert.ok(ids.indexOf('web-crawl@2.0.0') < ids.indexOf('base@1.0.0'))
  assert.ok(ids.indexOf('base@1.0.0') < ids.indexOf('ft@1.0.0'))
})

test('Registry: folders, layering and the load report', async () => {
  const a = tempDir()
  const b = tempDir()
  umr.Record.fromYaml(minimalYaml('shared', '1.0.0', 'description: from a\n')).save(a)
  umr.Record.fromYaml(minimalYaml('shared', '2.0.0', 'description: from b\n')).save(b)
  umr.Record.fromYaml(minimalYaml('only-b')).save(b)
  fs.writeFileSync(path.join(b, 'broken.yaml'), 'kind: [\n')
  const reg = new umr.Registry([a, b])
  assert.deepEqual(reg.names(), ['only-b', 'shared'])
  assert.equal(reg.find('shared').version, '1.0.0') // the first folder wins the name
  assert.equal(reg.loadReport.files, 4)
  assert.equal(reg.loadReport.records, 2)
  const [bad] = reg.loadReport.diagnostics.filter((d) => d.severity === 'error')
  assert.equal(bad.file, path.join(b, 'broken.yaml'))
  const viaAsync = await umr.Registry.openAsync([a, b])
  assert.deepEqual(viaAsync.names(), reg.names())
  assert.deepEqual(viaAsync.loadReport, reg.loadReport)
  assert.deepEqual(
    (await viaAsync.resolveAllAsync()).map((r) => r.effective.record.toObject()),
    reg.resolveAll().map((r) => r.effective.record.toObject()),
  )
})

test('async registry operations interleave with other work', async () => {
  const dir = tempDir()
  for (let i = 0; i < 20; i++) umr.Record.fromYaml(minimalYaml(`m${i}`, '1.0.0', i ? `upstream:\n  - m${i - 1}\n` : '')).save(dir)
  const results = await Promise.all([
    umr.Registry.openAsync(dir),
    umr.Registry.openAsync([dir]),
    new Promise((resolve) => setImmediate(() => resolve('tick'))),
  ])
  assert.equal(results[2], 'tick')
  const [one, two] = results
  const [x, y] = await Promise.all([one.resolveAllAsync(), two.resolveAllAsync()])
  assert.equal(x.length, 20)
  assert.deepEqual(x.map((r) => r.id), y.map((r) => r.id))
  assert.equal(x.at(-1).effective.provenanceOf('upstream'), 'm19@1.0.0')
})

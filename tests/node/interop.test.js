'use strict'
// Interoperability (umr_core::interop): Hugging Face cards in and out, CycloneDX ML-BOM out
// and in, SPDX 3.0.1 out. Options objects pass through to the core's option structs
// (camelCase here, snake_case in the core), so the defaults are the core's; the results
// equal the command line's and the Python package's.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { REPO, CORPUS, nativeUmr, cliJson, cliText, cliSkip } = require('./helpers.js')

const umr = nativeUmr()
const EXAMPLES = path.join(REPO, 'examples', 'registry')
const CARDS = path.join(CORPUS, '..', 'hf-model-cards')
const BOMS = path.join(CORPUS, '..', 'cyclonedx', 'examples')
const skipCli = cliSkip()

const CARD = `---
license: apache-2.0
base_model: meta-llama/Llama-2-7b-hf
base_model_relation: adapter
datasets:
- medqa
language:
- en
tags:
- medical
---
# Llama 2 Med LoRA

## Model Description

A LoRA adapter for medical question answering.

## Limitations

English only.
`

test('importHfCard: the record and the warnings; the card comes back', () => {
  const result = umr.importHfCard(CARD, { name: 'acme/llama2-med-lora' })
  assert.deepEqual(Object.keys(result), ['record', 'warnings'])
  const { record, warnings } = result
  assert.ok(record instanceof umr.Record)
  assert.deepEqual(warnings, [])
  assert.deepEqual([record.id, record.kind], ['acme/llama2-med-lora@1.0.0', 'model'])
  const obj = record.toObject()
  assert.equal(obj.license, 'Apache-2.0')
  assert.deepEqual(obj.upstream, [
    { name: 'meta-llama/Llama-2-7b-hf', relation: 'adapter' },
    { name: 'medqa', relation: 'trained_on' },
  ])
  assert.deepEqual(obj.card, { limitations: 'English only.' })
  assert.equal(umr.exportHfCard(record), CARD)
  assert.equal(umr.exportHfCard(obj), CARD)
})

test('importHfCard: options take the core defaults when absent, undefined or null', () => {
  const r = umr.importHfCard(CARD, { file: 'models/med-lora/README.md' }).record
  assert.deepEqual([r.name, r.version, r.kind, r.file], ['med-lora', '1.0.0', 'model', null])
  const f = umr.importHfCard(CARD, { name: 'x', version: '2.1.0', kind: 'family' }).record
  assert.deepEqual([f.name, f.version, f.kind], ['x', '2.1.0', 'family'])
  const same = umr.importHfCard(CARD, { name: 'x', version: undefined, kind: null, file: null }).record
  assert.deepEqual(same.toObject(), umr.importHfCard(CARD, { name: 'x' }).record.toObject())
  const ds = umr.importHfCard('---\npretty_name: Med QA\nlicense: mit\n---\n# Med QA\n', { name: 'medqa' })
  assert.deepEqual([ds.record.kind, ds.record.toObject().title], ['dataset', 'Med QA'])
})

test('importHfCard: warnings are located in the card', () => {
  const card = '\n---\nlicense: not-a-hub-licence\n-license: mit\n---\n# X\n'
  const { record, warnings } = umr.importHfCard(card, { name: 'x', file: 'README.md' })
  const byCode = Object.fromEntries(warnings.map((w) => [w.code, w]))
  for (const code of ['W_HF_LEADING_BLANK', 'W_HF_LICENSE', 'W_HF_KEY']) assert.ok(byCode[code], code)
  assert.ok(warnings.every((w) => w.severity === 'warning' && w.file === 'README.md'))
  assert.deepEqual([byCode.W_HF_KEY.line, byCode.W_HF_KEY.column, byCode.W_HF_KEY.help], [4, 1, 'did you mean `license`?'])
  assert.equal(record.toObject().license, 'LicenseRef-not-a-hub-licence')
})

test('importHfCard: cards that cannot be read throw located ValidationErrors', () => {
  const check = (fn, code, line) => {
    assert.throws(fn, (err) => {
      assert.ok(err instanceof umr.ValidationError, String(err))
      assert.equal(err.code, code)
      if (line !== undefined) assert.equal(err.line, line)
      return true
    })
  }
  check(() => umr.importHfCard('---\n[]\n---\n', { name: 'x', file: 'README.md' }), 'E_HF_FRONT_MATTER_TYPE', 2)
  check(() => umr.importHfCard('---\nlicense: mit\n', { name: 'x' }), 'E_HF_UNCLOSED_FRONT_MATTER', 1)
  check(() => umr.importHfCard('# no front matter, no name\n'), 'E_HF_NAME')
  check(() => umr.importHfCard(CARD, { name: 'x', version: 'one' }), 'E_SEMVER')
  check(() => umr.exportHfCard({ kind: 'model' }), 'E_REQUIRED')
})

test('exportHfCard: a dataset record is a dataset card', () => {
  const rec = umr.Record.fromObject({
    format_version: '1.0', kind: 'dataset', name: 'medqa', version: '1.0.0', title: 'MedQA',
    license: 'MIT', card: { limitations: 'English only.' },
  })
  const card = umr.exportHfCard(rec)
  assert.ok(card.startsWith('---\n') && card.includes('license: mit') && card.includes('pretty_name: MedQA'))
  const back = umr.importHfCard(card, { name: 'medqa' }).record
  assert.deepEqual([back.kind, back.toObject().card], ['dataset', { limitations: 'English only.' }])
})

test('registry.exportHf: effective by default, own on request; as the command line', { skip: skipCli }, () => {
  const reg = new umr.Registry(EXAMPLES)
  const effective = reg.exportHf('acme/llama2-7b-med')
  const own = reg.exportHf('acme/llama2-7b-med', false)
  assert.notEqual(effective, own)
  assert.ok(effective.includes('license: llama2') && !own.includes('license: llama2'))
  assert.equal(reg.exportHf('acme/llama2-7b-med', true), effective)
  assert.equal(reg.exportHf('acme/llama2-7b-med', null), effective)
  assert.equal(effective, cliText('export', 'hf', 'acme/llama2-7b-med', '--registry', EXAMPLES))
  assert.equal(own, cliText('export', 'hf', 'acme/llama2-7b-med', '--own', '--registry', EXAMPLES))
  assert.throws(() => reg.exportHf('nothing'), umr.ResolveError)
})

test('HF cards of the corpus import as with the command line', { skip: skipCli || !fs.existsSync(CARDS) }, () => {
  const cards = fs.readdirSync(CARDS).filter((f) => f.endsWith('.md')).sort().slice(0, 12)
  let imported = 0
  for (const name of cards) {
    const file = path.join(CARDS, name)
    const text = fs.readFileSync(file, 'utf8')
    let result
    try {
      result = umr.importHfCard(text, { file })
    } catch (err) {
      assert.ok(err instanceof umr.ValidationError, name)
      assert.equal(cliJson(['import', 'hf', file, '--format', 'json'], { allowFail: true }).code, err.code, name)
      continue
    }
    const out = cliJson(['import', 'hf', file, '--format', 'json'])
    assert.deepEqual(result.record.toObject(), out.record, name)
    assert.deepEqual(result.warnings, out.warnings, name)
    imported++
  }
  assert.ok(imported >= 10)
})

test('registry.exportCyclonedx: core defaults, options, as the command line', { skip: skipCli }, () => {
  const reg = new umr.Registry(EXAMPLES)
  const bom = reg.exportCyclonedx('acme/llama2-7b-med')
  assert.deepEqual([bom.bomFormat, bom.specVersion], ['CycloneDX', '1.6'])
  assert.ok(!('timestamp' in bom.metadata))
  assert.deepEqual(reg.exportCyclonedx('acme/llama2-7b-med', {}), bom)
  assert.deepEqual(reg.exportCyclonedx('acme/llama2-7b-med', { lineage: undefined, timestamp: null }), bom)
  assert.deepEqual(bom, cliJson(['export', 'cyclonedx', 'acme/llama2-7b-med', '--registry', EXAMPLES]))
  const full = reg.exportCyclonedx('acme/llama2-7b-med', {
    specVersion: '1.7', lineage: true, effective: false, timestamp: '2024-05-01T00:00:00Z',
  })
  assert.deepEqual([full.specVersion, full.metadata.timestamp], ['1.7', '2024-05-01T00:00:00Z'])
  assert.deepEqual(full, cliJson([
    'export', 'cyclonedx', 'acme/llama2-7b-med', '--registry', EXAMPLES,
    '--spec-version', '1.7', '--lineage', '--own', '--created', '2024-05-01T00:00:00Z',
  ]))
})

test('registry.exportSpdx: core defaults, options, as the command line', { skip: skipCli }, () => {
  const reg = new umr.Registry(EXAMPLES)
  const doc = reg.exportSpdx('acme/path-clip', { created: '2024-05-01T00:00:00Z' })
  assert.equal(doc['@context'], 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld')
  const types = new Set(doc['@graph'].map((e) => e.type))
  for (const t of ['ai_AIPackage', 'SpdxDocument', 'Relationship']) assert.ok(types.has(t), t)
  assert.deepEqual(doc, cliJson(['export', 'spdx', 'acme/path-clip', '--registry', EXAMPLES, '--created', '2024-05-01T00:00:00Z']))
  const other = reg.exportSpdx('acme/path-clip', { namespace: 'https://example.org/umr/', lineage: true })
  assert.match(other['@graph'].find((e) => e.type === 'CreationInfo').created, /Z$/) // the core's default: now
  assert.ok(other['@graph'].some((e) => (e.spdxId ?? '').startsWith('https://example.org/umr/')))
  assert.ok(other['@graph'].some((e) => e.type === 'dataset_DatasetPackage'))
  assert.throws(() => reg.exportSpdx('nothing'), umr.ResolveError)
})

test('importCyclonedx: records and warnings, name and version for a single record', () => {
  const reg = new umr.Registry(EXAMPLES)
  const bom = reg.exportCyclonedx('acme/path-clip', { lineage: true })
  const result = umr.importCyclonedx(JSON.stringify(bom), { file: 'bom.json' })
  assert.deepEqual(Object.keys(result), ['records', 'warnings'])
  assert.ok(result.records.every((r) => r instanceof umr.Record))
  assert.equal(result.records[0].name, 'acme/path-clip')
  assert.ok(result.records.some((r) => r.name === 'laion-5b'))
  const one = reg.exportCyclonedx('laion-5b')
  const [only] = umr.importCyclonedx(JSON.stringify(one), { name: 'org/laion', version: '5.0.0' }).records
  assert.deepEqual([only.id, only.kind], ['org/laion@5.0.0', 'dataset'])
  assert.throws(() => umr.importCyclonedx('{"bomFormat": "CycloneDX",', { file: 'bom.json' }), (err) => {
    assert.ok(err instanceof umr.ValidationError)
    assert.deepEqual([err.code, err.diagnostics[0].file], ['E_JSON_SYNTAX', 'bom.json'])
    return true
  })
  assert.throws(
    () => umr.importCyclonedx('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}'),
    (err) => err instanceof umr.ValidationError && err.code === 'E_CDX_NO_MODEL',
  )
})

test('importCyclonedx: the official ML examples import', { skip: !fs.existsSync(BOMS) }, () => {
  for (const f of fs.readdirSync(BOMS).filter((x) => x.endsWith('.json'))) {
    const { records } = umr.importCyclonedx(fs.readFileSync(path.join(BOMS, f), 'utf8'), { file: f })
    assert.ok(records.length > 0, f)
  }
})

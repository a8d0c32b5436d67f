'use strict'
// Interoperability (umr_core::interop): Hugging Face cards in and out, CycloneDX ML-BOM out
// and in, SPDX 3.0.1 out. Options objects pass through to the core's option structs
// (camelCase here, snake_case in the core), so the defaults are the core's; the results
// equal the command line's and the Python package's.
//
// Two tiers: the project's own fixtures (tests/fixtures: the Hugging Face cards listed in
// hf/FEATURES.tsv, the CycloneDX BOMs) always run; the third-party corpus ($UMR_CORPUS, else
// ../shared/corpus beside the checkout) adds its cards and BOMs when it is present.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { REPO, CORPUS, nativeUmr, cliJson, cliText, cliSkip } = require('./helpers.js')

const umr = nativeUmr()
const EXAMPLES = path.join(REPO, 'examples', 'registry')
// the second tier: $UMR_CORPUS when set (even to a folder that does not exist), else the
// corpus beside the checkout
const SHARED_CORPUS = process.env.UMR_CORPUS
  ? path.resolve(REPO, process.env.UMR_CORPUS)
  : path.join(CORPUS, '..')
const CARDS = path.join(SHARED_CORPUS, 'hf-model-cards')
const BOMS = path.join(SHARED_CORPUS, 'cyclonedx', 'examples')
const corpusSkip = (dir) =>
  fs.existsSync(dir) ? false : `corpus tier: ${SHARED_CORPUS} is absent (set UMR_CORPUS=DIR); the fixture tier ran`
const skipCli = cliSkip()

// the first tier: the project's own fixtures
const HF_FIXTURES = path.join(REPO, 'tests', 'fixtures', 'hf')
const CDX_FIXTURES = path.join(REPO, 'tests', 'fixtures', 'cyclonedx')

/** Rows of tests/fixtures/hf/FEATURES.tsv: { file, kind ('-': must not import), options, diagnostics }. */
function fixtureCards() {
  const lines = fs.readFileSync(path.join(HF_FIXTURES, 'FEATURES.tsv'), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#'))
  const [header, ...rows] = lines
  assert.deepEqual(header.split('\t'), ['file', 'kind', 'options', 'diagnostics', 'covers'])
  return rows.map((l) => {
    const [file, kind, options, diagnostics] = l.split('\t')
    return {
      file: path.join(HF_FIXTURES, file),
      kind,
      options: options === '-' ? [] : options.split(' '),
      diagnostics: diagnostics === '-' ? [] : diagnostics.split(',').map((d) => {
        const [code, line] = d.split('@')
        return [code, Number(line)]
      }),
    }
  })
}

const kindOf = (options) => (options.includes('--kind') ? options[options.indexOf('--kind') + 1] : undefined)
const sortPairs = (a) => [...a].sort((x, y) => (x[0] + x[1]).localeCompare(y[0] + y[1]))

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

test('HF cards of the corpus import as with the command line', { skip: skipCli || corpusSkip(CARDS) }, () => {
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

test('importCyclonedx: the official ML examples import', { skip: corpusSkip(BOMS) }, () => {
  for (const f of fs.readdirSync(BOMS).filter((x) => x.endsWith('.json'))) {
    const { records } = umr.importCyclonedx(fs.readFileSync(path.join(BOMS, f), 'utf8'), { file: f })
    assert.ok(records.length > 0, f)
  }
})

// ---- the project's fixtures ----------------------------------------------------------------

test('fixture cards: the listed diagnostics, as the command line', { skip: skipCli }, () => {
  const cases = fixtureCards()
  assert.ok(cases.length >= 40)
  for (const c of cases) {
    const name = path.relative(HF_FIXTURES, c.file)
    const text = fs.readFileSync(c.file, 'utf8')
    const opts = { file: c.file, kind: kindOf(c.options) }
    const cli = cliJson(['import', 'hf', c.file, '--format', 'json', ...c.options], { allowFail: true })
    if (c.kind === '-') {
      assert.throws(() => umr.importHfCard(text, opts), (err) => {
        assert.ok(err instanceof umr.ValidationError, name)
        assert.deepEqual([err.code, err.line], c.diagnostics[0], name)
        assert.equal(err.diagnostics[0].file, c.file)
        return true
      })
      assert.deepEqual([cli.code, cli.line], c.diagnostics[0], name)
      continue
    }
    const { record, warnings } = umr.importHfCard(text, opts)
    assert.equal(record.kind, c.kind, name)
    assert.deepEqual(sortPairs(warnings.map((w) => [w.code, w.line])), sortPairs(c.diagnostics), name)
    assert.deepEqual(record.toObject(), cli.record, name)
    assert.deepEqual(warnings, cli.warnings, name)
  }
})

test('fixture cards: card → record → card → record is stable', () => {
  let n = 0
  for (const c of fixtureCards()) {
    if (c.kind === '-') continue
    const text = fs.readFileSync(c.file, 'utf8')
    const kind = kindOf(c.options)
    const { record } = umr.importHfCard(text, { file: c.file, kind })
    const card = umr.exportHfCard(record)
    assert.ok(!card.includes('\r'), c.file)
    const back = umr.importHfCard(card, { name: record.name, kind }).record
    assert.deepEqual(back.toObject(), record.toObject(), c.file)
    assert.equal(umr.exportHfCard(back), card, c.file)
    n++
  }
  assert.ok(n >= 30)
})

test('fixture cards: the tour card maps as documented', () => {
  const text = fs.readFileSync(path.join(HF_FIXTURES, 'model-cards', 'heron-med-13b.md'), 'utf8')
  const { record, warnings } = umr.importHfCard(text, { name: 'fernhollow/heron-med-13b' })
  assert.deepEqual(warnings, [])
  const obj = record.toObject()
  assert.equal(obj.license.id, 'LicenseRef-heron-community-licence')
  assert.deepEqual(obj.upstream.map((u) => u.relation), ['finetune', 'trained_on', 'trained_on'])
  assert.equal(obj.evaluations.length, 5)
})

test('fixture BOMs import as with the command line', { skip: skipCli }, () => {
  const boms = fs.readdirSync(CDX_FIXTURES).filter((f) => f.endsWith('.json')).sort()
  assert.ok(boms.length >= 5)
  for (const f of boms) {
    const file = path.join(CDX_FIXTURES, f)
    const { records, warnings } = umr.importCyclonedx(fs.readFileSync(file, 'utf8'), { file })
    const cli = cliJson(['import', 'cyclonedx', file, '--format', 'json'])
    assert.deepEqual(records.map((r) => r.toObject()), cli.records ?? [cli.record], f)
    assert.deepEqual(warnings, cli.warnings, f)
  }
  const { records } = umr.importCyclonedx(fs.readFileSync(path.join(CDX_FIXTURES, 'ml-bom-1.7.json'), 'utf8'))
  assert.deepEqual(records.map((r) => [r.name, r.kind, r.version]), [
    ['fernhollow/kestrel-asr-small', 'model', '3.0.0'],
    ['marsh-speech', 'dataset', '1.0.0'],
  ])
})

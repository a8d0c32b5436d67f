'use strict'
// Transparency scoring (umr_core::score): the editions, a record's own score, a registry
// record's own and effective scores. The results equal `umr score --format json` (and the
// Python package's dicts) field for field.

const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { REPO, CORPUS, nativeUmr, corpusSkip, cliJson, cliSkip } = require('./helpers.js')

const umr = nativeUmr()
const EXAMPLES = path.join(REPO, 'examples', 'registry')

const record = (name, transparency) =>
  umr.Record.fromObject({ format_version: '1.0', kind: 'model', name, version: '1.0.0', ...(transparency ? { transparency } : {}) })

test('editions: the indicator sets', () => {
  const eds = umr.editions()
  assert.deepEqual(eds.map((e) => e.name), ['fmti2023', 'fmti2025'])
  const [first] = eds
  for (const k of ['name', 'aliases', 'title', 'published', 'note', 'source', 'license', 'attribution', 'domains', 'subdomains', 'indicators']) {
    assert.ok(k in first, k)
  }
  assert.equal(first.indicators.length, 100)
  assert.deepEqual(first.domains.map((d) => d.key), ['upstream', 'model', 'downstream'])
  assert.deepEqual(Object.keys(first.indicators[0]).slice(0, 5), ['key', 'domain', 'subdomain', 'name', 'definition'])
})

test('scoreRecord: own answers, the declared edition, the core default', () => {
  const r = record('m', { edition: 'fmti2023', answers: { model_architecture: true, model_size: false, data_sources: null } })
  const s = umr.scoreRecord(r)
  assert.equal(s.edition, 'fmti2023')
  assert.deepEqual(s.total, { score: 1, answered: 2, unknown: 98, indicators: 100 })
  assert.deepEqual(Object.keys(s), ['edition', 'total', 'domains', 'indicators', 'diagnostics'])
  const model = s.domains.find((d) => d.key === 'model')
  assert.equal(model.score, 1)
  assert.deepEqual(Object.keys(model), ['key', 'name', 'score', 'answered', 'unknown', 'indicators', 'subdomains'])
  const arch = s.indicators.find((i) => i.key === 'model_architecture')
  assert.equal(arch.answer, true)
  const unknown = s.indicators.find((i) => i.key === 'data_sources')
  assert.deepEqual([unknown.answer, unknown.source], [null, 'm@1.0.0']) // answered "unknown"
  const unanswered = s.indicators.find((i) => i.key === 'compute_usage')
  assert.equal(unanswered.answer, null) // null, not absent, as in the core's JSON
  assert.deepEqual(Object.keys(unanswered), ['key', 'domain', 'subdomain', 'answer']) // the rest absent
  assert.deepEqual(s.diagnostics, [])
  assert.equal(umr.scoreRecord(record('n')).edition, 'fmti2023')
  assert.equal(umr.scoreRecord(r, '2025').edition, 'fmti2025')
  assert.deepEqual(umr.scoreRecord(r, null), s)
  const warned = umr.scoreRecord(record('w', { answers: { not_an_indicator: true } }))
  assert.deepEqual(warned.diagnostics.map((d) => [d.code, d.severity]), [['W_SCORE_UNKNOWN_INDICATOR', 'warning']])
  assert.throws(() => umr.scoreRecord(r.toObject()), (err) => !(err instanceof umr.UmrError)) // a Record is needed
})

test('registry.score: own, effective and inherited, as the command line', { skip: cliSkip() }, () => {
  const reg = new umr.Registry(EXAMPLES)
  const report = reg.score('llama2-7b')
  assert.deepEqual(Object.keys(report), ['record', 'edition', 'own', 'effective', 'inherited'])
  assert.equal(report.record, 'llama2-7b@1.0.0')
  assert.equal(report.own.total.answered, 0)
  assert.deepEqual(report.effective.total, umr.scoreRecord(reg.find('llama2')).total)
  assert.deepEqual(report.inherited, { 'llama2@1.0.0': report.effective.total.answered })
  assert.deepEqual(report, cliJson(['score', 'llama2-7b', '--registry', EXAMPLES, '--format', 'json']))
  assert.equal(reg.score('llama2-7b', 'fmti2025').edition, 'fmti2025')
  assert.throws(() => reg.score('nothing'), umr.ResolveError)
  assert.throws(() => reg.score('llama2-7b', 'nope'), (err) => err instanceof umr.ArgumentError && err.code === 'E_EDITION')
})

test('registry.score over the corpus: the published FMTI total of Llama 2', { skip: corpusSkip() }, () => {
  const report = new umr.Registry(CORPUS).score('llama2-7b')
  assert.equal(report.effective.total.score, 54)
  assert.equal(report.own.total.score, 0)
})

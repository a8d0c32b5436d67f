'use strict'
// Transparency scoring (umr_core::score): the editions, a record's own score, a registry
// record's own and effective scores. The results equal `umr score --format json` (and the
// Python package's dicts) field for field. Scores of records in the prototype's dialect: the
// project's tests/fixtures/legacy-registry always (expectations read from its files), the
// prototype's records of the corpus tier when present.

const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const fs = require('node:fs')
const { REPO, CORPUS, LEGACY_FIXTURE, nativeUmr, corpusSkip, cliJson, cliSkip } = require('./helpers.js')

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

/** The 0/1 answers of a prototype-dialect file, by indicator key (aliases mapped). */
function rawAnswers(file) {
  const [ed] = umr.editions()
  const keyOf = new Map()
  for (const i of ed.indicators) {
    keyOf.set(i.key, i.key)
    for (const a of i.aliases ?? []) keyOf.set(a, i.key)
  }
  // the answers are `    key: 0|1` lines under the three sections of `mr:`
  const out = {}
  let section = null
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const sec = /^ {2}(upstream|model|downstream):\s*$/.exec(line)
    if (sec) section = sec[1]
    else if (/^ {2}\S/.test(line)) section = null
    const m = /^ {4}([a-z0-9_]+): ([01])\s*$/.exec(line)
    if (section && m) {
      assert.ok(keyOf.has(m[1]), `${m[1]} is an fmti2023 indicator or alias`)
      out[keyOf.get(m[1])] = m[2] === '1'
    }
  }
  return out
}

test('registry.score over the legacy fixture: inherited answers, counted from the files', { skip: cliSkip() }, () => {
  const family = rawAnswers(path.join(LEGACY_FIXTURE, 'corvid', 'corvid-1.0.0.yaml'))
  const own9 = rawAnswers(path.join(LEGACY_FIXTURE, 'corvid-9b', 'corvid-9b-1.0.0.yaml'))
  assert.equal(Object.keys(family).length, 100)
  const n9 = Object.keys(own9).length
  assert.ok(n9 > 0 && n9 < 100)
  const ones = (answers) => Object.values(answers).filter(Boolean).length
  const reg = new umr.Registry(LEGACY_FIXTURE)
  const fam = reg.score('corvid')
  assert.deepEqual(fam.own, fam.effective)
  assert.deepEqual(fam.inherited, {})
  assert.equal(fam.own.total.score, ones(family))
  const member = reg.score('corvid-3b')
  assert.deepEqual(member.own.total, { score: 0, answered: 0, unknown: 100, indicators: 100 })
  assert.deepEqual(member.effective.total, fam.own.total)
  assert.deepEqual(member.inherited, { 'corvid@1.0.0': 100 })
  const merged = { ...family, ...own9 }
  const chat = reg.score('corvid-9b-chat')
  assert.equal(chat.effective.total.score, ones(merged))
  assert.deepEqual(chat.inherited, { 'corvid-9b@1.0.0': n9, 'corvid@1.0.0': 100 - n9 })
  for (const ind of chat.effective.indicators) {
    assert.equal(ind.answer, merged[ind.key], ind.key)
    assert.equal(ind.source, ind.key in own9 ? 'corvid-9b@1.0.0' : 'corvid@1.0.0', ind.key)
  }
  // a model trained on datasets only inherits no answers
  assert.equal(reg.score('histo-lens').effective.total.answered, 0)
  assert.deepEqual(chat, cliJson(['score', 'corvid-9b-chat', '--registry', LEGACY_FIXTURE, '--format', 'json']))
})

test('registry.score over the corpus: the published FMTI total of Llama 2', { skip: corpusSkip() }, () => {
  const report = new umr.Registry(CORPUS).score('llama2-7b')
  assert.equal(report.effective.total.score, 54)
  assert.equal(report.own.total.score, 0)
})

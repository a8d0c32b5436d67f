'use strict'
// The 88 records of the prototype (../shared/corpus/modelrecords-poc beside the checkout):
// loading, resolution with provenance, lineage, risk propagation (LAION-5B → PLIP), and
// the async registry operations. Skipped with a message when the corpus is absent.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { CORPUS, corpusSkip, nativeUmr } = require('./helpers.js')

const umr = nativeUmr()
const skip = corpusSkip()
if (skip) console.log(`# skipped: ${skip}`)

function recordFiles() {
  const out = []
  for (const dir of fs.readdirSync(CORPUS, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue
    for (const f of fs.readdirSync(path.join(CORPUS, dir.name))) {
      if (/\.ya?ml$/.test(f)) out.push(path.join(CORPUS, dir.name, f))
    }
  }
  return out.sort()
}

test('corpus: all 88 records load and validate without errors', { skip }, () => {
  const files = recordFiles()
  assert.equal(files.length, 88)
  for (const f of files) {
    const rec = umr.load(f)
    assert.ok(rec instanceof umr.Record)
    assert.equal(rec.file, f)
    assert.match(rec.id, /^[^@]+@\d+\.\d+\.\d+/)
    const errors = umr.validateFile(f).filter((d) => d.severity === 'error')
    assert.deepEqual(errors, [], f)
  }
})

test('corpus: the registry indexes every record', { skip }, () => {
  const reg = new umr.Registry(CORPUS)
  assert.equal(reg.size, 88)
  assert.equal(reg.length, 88)
  assert.equal(reg.loadReport.files, 88)
  assert.equal(reg.loadReport.records, 88)
  assert.ok(reg.names().includes('llama2-7b'))
  assert.deepEqual(reg.names(), [...reg.names()].sort())
  // a list of folders is accepted too
  assert.equal(new umr.Registry([CORPUS]).size, 88)
})

test('corpus: llama2-7b resolves with provenance', { skip }, () => {
  const reg = new umr.Registry(CORPUS)
  const eff = reg.resolve('llama2-7b')
  assert.ok(eff instanceof umr.Effective)
  assert.equal(eff.record.id, 'llama2-7b@1.0.0')
  assert.equal(eff.provenanceOf('card.intended_use'), 'llama2@1.0.0')
  assert.equal(eff.provenance['card.intended_use'], 'llama2@1.0.0')
  assert.equal(eff.provenanceOf('name'), 'llama2-7b@1.0.0')
  assert.equal(eff.provenanceOf('no.such.field'), null)
  // the effective record holds the inherited section; the record as written does not
  assert.ok(eff.record.toObject().card.intended_use)
  assert.equal(reg.find('llama2-7b').toObject().card?.intended_use, undefined)
  // provenance keys come in record order
  const keys = Object.keys(eff.provenance)
  assert.equal(keys[0], 'format_version')
})

test('corpus: affected(laion-5b) lists plip and rrt-mil with chains', { skip }, () => {
  const reg = new umr.Registry(CORPUS)
  const affected = reg.affected('laion-5b')
  const byName = Object.fromEntries(affected.map((a) => [a.name, a]))
  assert.deepEqual(byName.plip.chain, ['laion-5b@1.0.0', 'plip@1.0.0'])
  assert.deepEqual(byName['rrt-mil'].chain, ['laion-5b@1.0.0', 'plip@1.0.0', 'rrt-mil@1.0.0'])
  for (const a of [byName.plip, byName['rrt-mil']]) {
    assert.ok(a.risks.length > 0)
    for (const r of a.risks) {
      assert.equal(r.origin, 'laion-5b@1.0.0')
      assert.equal(r.chain.at(-1), `${a.name}@${a.version}`)
    }
  }
  // filtered by one risk
  const riskId = byName.plip.risks[0].id
  const only = reg.affected('laion-5b', riskId)
  assert.ok(only.every((a) => a.risks.every((r) => r.id === riskId)))
  assert.ok(only.some((a) => a.name === 'rrt-mil'))
  // risks seen from downstream
  const risks = reg.risks('rrt-mil')
  assert.ok(risks.some((r) => r.origin === 'laion-5b@1.0.0' && r.chain.join(' ') === 'laion-5b@1.0.0 plip@1.0.0 rrt-mil@1.0.0'))
})

test('corpus: lineage as data and as text', { skip }, () => {
  const reg = new umr.Registry(CORPUS)
  const lin = reg.lineage('plip')
  assert.equal(lin.root, 'plip@1.0.0')
  assert.equal(lin.root_kind, 'model')
  const laion = lin.ancestors.find((a) => a.name === 'laion-5b')
  assert.equal(laion.relation, 'trained_on')
  assert.equal(laion.depth, 1)
  assert.equal(laion.has_risks, true)
  assert.ok(lin.descendants.some((d) => d.name === 'rrt-mil'))
  assert.ok(lin.edges.some((e) => e.child === 'plip@1.0.0' && e.parent === 'laion-5b@1.0.0'))
  assert.deepEqual(reg.lineage('plip', 'json'), lin)
  assert.match(reg.lineage('plip', 'dot'), /^digraph lineage \{/)
  assert.match(reg.lineage('plip', 'mermaid'), /^flowchart LR/)
  assert.match(reg.lineage('plip', 'tree'), /^plip@1\.0\.0 \(model\)\nupstream:/)
})

test('corpus: resolveAll and lock cover every record', { skip }, () => {
  const reg = new umr.Registry(CORPUS)
  const all = reg.resolveAll()
  assert.equal(all.length, 88)
  for (const r of all) {
    assert.equal(r.error, null, `${r.id}: ${r.error?.message}`)
    assert.ok(r.effective instanceof umr.Effective)
    assert.equal(r.effective.record.id, r.id)
  }
  const lock = reg.lock()
  assert.equal(lock.lock_version, 1)
  assert.equal(Object.keys(lock.records).length, 88)
  const plip = lock.records['plip@1.0.0']
  assert.match(plip.digest, /^sha256:[0-9a-f]{64}$/)
  assert.ok(plip.upstream.some((u) => u.resolved === 'laion-5b@1.0.0'))
})

test('corpus: openAsync and resolveAllAsync run off the event loop with the same results', { skip }, async () => {
  const pending = umr.Registry.openAsync(CORPUS)
  assert.ok(pending instanceof Promise)
  const [reg, reg2] = await Promise.all([pending, umr.Registry.openAsync([CORPUS])])
  assert.ok(reg instanceof umr.Registry)
  assert.equal(reg.size, 88)
  assert.equal(reg2.size, 88)
  assert.deepEqual(reg.loadReport, new umr.Registry(CORPUS).loadReport)
  const all = await reg.resolveAllAsync()
  const sync = reg.resolveAll()
  assert.deepEqual(
    all.map((r) => [r.id, r.error, r.effective.record.toJson()]),
    sync.map((r) => [r.id, r.error, r.effective.record.toJson()]),
  )
})

'use strict'
// Registries of records in the prototype's dialect (root key `mr:`): loading, resolution with
// provenance, lineage, risk propagation (the paper's case study, LAION-5B → PLIP → RRT-MIL),
// locks and the async registry operations. Every check runs on two tiers:
//   fixture  tests/fixtures/legacy-registry, the project's own registry in the dialect (see its
//            README.md), always; its case study: scrapeweb-2b → histo-lens → histo-mil 1.0.0
//            → histo-mil-tiny;
//   corpus   the prototype's 88 records ($UMR_CORPUS/modelrecords-poc, else
//            ../shared/corpus/…), skipped with the reason when absent.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { CORPUS, LEGACY_FIXTURE, corpusSkip, nativeUmr } = require('./helpers.js')

const umr = nativeUmr()

function recordFiles(root) {
  const out = []
  for (const dir of fs.readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue
    for (const f of fs.readdirSync(path.join(root, dir.name))) {
      if (/\.ya?ml$/.test(f)) out.push(path.join(root, dir.name, f))
    }
  }
  return out.sort()
}

const TIERS = [
  {
    tier: 'fixture',
    root: LEGACY_FIXTURE,
    skip: false,
    count: () => recordFiles(LEGACY_FIXTURE).length,
    family: 'corvid',
    member: 'corvid-3b',
    chain: ['scrapeweb-2b@1.0.0', 'histo-lens@1.0.0', 'histo-mil@1.0.0', 'histo-mil-tiny@1.0.0'],
    risks: ['sexual_content', 'abuse_material', 'graphic_violence'],
    clean: true, // no diagnostic at all, every record resolves
  },
  {
    tier: 'corpus',
    root: CORPUS,
    skip: corpusSkip(),
    count: () => 88,
    family: 'llama2',
    member: 'llama2-7b',
    chain: ['laion-5b@1.0.0', 'plip@1.0.0', 'rrt-mil@1.0.0'],
    risks: ['nsfw', 'csam', 'violence'],
    clean: false,
  },
]

const nameOf = (id) => id.slice(0, id.lastIndexOf('@'))

for (const c of TIERS) {
  const { tier, root, skip } = c

  test(`${tier}: every record loads and validates without errors`, { skip }, () => {
    const files = recordFiles(root)
    assert.equal(files.length, c.count())
    assert.ok(files.length >= 20)
    for (const f of files) {
      const rec = umr.load(f)
      assert.ok(rec instanceof umr.Record)
      assert.equal(rec.file, f)
      // name and version from `<name>/<name>-<version>.yaml`
      assert.equal(path.basename(f), `${rec.name}-${rec.version}.yaml`)
      assert.equal(path.basename(path.dirname(f)), rec.name)
      assert.match(rec.id, /^[^@]+@\d+\.\d+\.\d+/)
      const diags = umr.validateFile(f)
      assert.deepEqual(diags.filter((d) => d.severity === 'error'), [], f)
      if (c.clean) assert.deepEqual(diags, [], f)
    }
  })

  test(`${tier}: the registry indexes every record`, { skip }, () => {
    const n = c.count()
    const reg = new umr.Registry(root)
    assert.equal(reg.size, n)
    assert.equal(reg.length, n)
    assert.equal(reg.loadReport.files, n)
    assert.equal(reg.loadReport.records, n)
    if (c.clean) assert.deepEqual(reg.loadReport.diagnostics, [])
    assert.ok(reg.names().includes(c.member))
    for (const id of c.chain) assert.ok(reg.names().includes(nameOf(id)), id)
    assert.deepEqual(reg.names(), [...reg.names()].sort())
    // a list of folders is accepted too
    assert.equal(new umr.Registry([root]).size, n)
  })

  test(`${tier}: a family member resolves with provenance`, { skip }, () => {
    const reg = new umr.Registry(root)
    const family = `${c.family}@1.0.0`
    const eff = reg.resolve(c.member)
    assert.ok(eff instanceof umr.Effective)
    assert.equal(eff.record.id, `${c.member}@1.0.0`)
    assert.equal(eff.provenanceOf('card.intended_use'), family)
    assert.equal(eff.provenance['card.intended_use'], family)
    assert.equal(eff.provenanceOf('name'), eff.record.id)
    assert.equal(eff.provenanceOf('description'), eff.record.id)
    assert.equal(eff.provenanceOf('no.such.field'), null)
    // the effective record holds the inherited section; the record as written does not
    assert.deepEqual(eff.record.toObject().card.intended_use, reg.find(c.family).toObject().card.intended_use)
    assert.equal(reg.find(c.member).toObject().card?.intended_use, undefined)
    // provenance keys come in record order
    assert.equal(Object.keys(eff.provenance)[0], 'format_version')
  })

  test(`${tier}: the dataset's risks reach every record downstream, with chains`, { skip }, () => {
    const reg = new umr.Registry(root)
    const origin = c.chain[0]
    const dataset = nameOf(origin)
    const byId = Object.fromEntries(reg.affected(dataset).map((a) => [`${a.name}@${a.version}`, a]))
    for (let k = 2; k <= c.chain.length; k++) {
      const a = byId[c.chain[k - 1]]
      assert.ok(a, `${c.chain[k - 1]} is affected`)
      assert.deepEqual(a.chain, c.chain.slice(0, k))
      assert.deepEqual(a.risks.map((r) => r.id), c.risks)
      for (const r of a.risks) {
        assert.equal(r.origin, origin)
        assert.equal(r.chain.at(-1), `${a.name}@${a.version}`)
      }
    }
    // filtered by one risk
    const only = reg.affected(dataset, c.risks[1])
    assert.deepEqual(only.map((a) => `${a.name}@${a.version}`).sort(), Object.keys(byId).sort())
    assert.ok(only.every((a) => a.risks.every((r) => r.id === c.risks[1])))
    assert.deepEqual(reg.affected(dataset, 'no-such-risk'), [])
    // risks seen from downstream
    const last = c.chain.at(-1)
    const risks = reg.risks(nameOf(last)).filter((r) => r.origin === origin)
    assert.deepEqual(risks.map((r) => r.id), c.risks)
    assert.ok(risks.every((r) => r.chain.join(' ') === c.chain.join(' ')))
    assert.deepEqual(reg.risks(c.family), [])
  })

  test(`${tier}: lineage as data and as text`, { skip }, () => {
    const reg = new umr.Registry(root)
    const model = nameOf(c.chain[1])
    const lin = reg.lineage(model)
    assert.equal(lin.root, c.chain[1])
    assert.equal(lin.root_kind, 'model')
    const origin = lin.ancestors.find((a) => a.name === nameOf(c.chain[0]))
    assert.equal(origin.relation, 'trained_on')
    assert.equal(origin.depth, 1)
    assert.equal(origin.has_risks, true)
    assert.ok(lin.descendants.some((d) => d.name === nameOf(c.chain.at(-1))))
    assert.ok(lin.edges.some((e) => e.child === c.chain[1] && e.parent === c.chain[0] && e.relation === 'trained_on'))
    assert.deepEqual(reg.lineage(model, 'json'), lin)
    assert.match(reg.lineage(model, 'dot'), /^digraph lineage \{/)
    assert.match(reg.lineage(model, 'mermaid'), /^flowchart LR/)
    assert.ok(reg.lineage(model, 'tree').startsWith(`${c.chain[1]} (model)\nupstream:`))
  })

  test(`${tier}: resolveAll and lock cover every record`, { skip }, () => {
    const n = c.count()
    const reg = new umr.Registry(root)
    const all = reg.resolveAll()
    assert.equal(all.length, n)
    for (const r of all) {
      assert.equal(r.error, null, `${r.id}: ${r.error?.message}`)
      assert.ok(r.effective instanceof umr.Effective)
      assert.equal(r.effective.record.id, r.id)
    }
    // an ancestor before its descendants
    const ids = all.map((r) => r.id)
    assert.ok(ids.indexOf(`${c.family}@1.0.0`) < ids.indexOf(`${c.member}@1.0.0`))
    const pos = c.chain.map((id) => ids.indexOf(id))
    assert.deepEqual(pos, [...pos].sort((a, b) => a - b))
    const lock = reg.lock()
    assert.equal(lock.lock_version, 1)
    assert.equal(Object.keys(lock.records).length, n)
    const model = lock.records[c.chain[1]]
    assert.match(model.digest, /^sha256:[0-9a-f]{64}$/)
    assert.ok(model.upstream.some((u) => u.resolved === c.chain[0]))
  })

  test(`${tier}: openAsync and resolveAllAsync run off the event loop with the same results`, { skip }, async () => {
    const n = c.count()
    const pending = umr.Registry.openAsync(root)
    assert.ok(pending instanceof Promise)
    const [reg, reg2] = await Promise.all([pending, umr.Registry.openAsync([root])])
    assert.ok(reg instanceof umr.Registry)
    assert.equal(reg.size, n)
    assert.equal(reg2.size, n)
    assert.deepEqual(reg.loadReport, new umr.Registry(root).loadReport)
    const all = await reg.resolveAllAsync()
    const sync = reg.resolveAll()
    assert.equal(all.length, n)
    assert.deepEqual(
      all.map((r) => [r.id, r.error, r.effective.record.toJson()]),
      sync.map((r) => [r.id, r.error, r.effective.record.toJson()]),
    )
  })
}

// ---- fixture tier only -------------------------------------------------------------------

test('fixture: several versions, an exact pin, and every relation kind of the dialect', () => {
  const reg = new umr.Registry(LEGACY_FIXTURE)
  assert.equal(reg.find('histo-mil').id, 'histo-mil@1.1.0') // the highest by default
  assert.equal(reg.find('sandbox').version, '1.2.0')
  const [pin] = reg.lock().records['histo-mil-tiny@1.0.0'].upstream
  assert.deepEqual([pin.requirement, pin.resolved], ['histo-mil==1.0.0', 'histo-mil@1.0.0'])
  // relation kinds are inferred from the kinds of both records
  const kinds = new Set()
  for (const n of reg.names()) for (const e of reg.lineage(n).edges) kinds.add(e.relation)
  assert.deepEqual([...kinds].sort(), ['derived_from', 'member_of', 'trained_on'])
  // trained-on does not inherit: nothing of the datasets reaches the model
  const from = Object.values(reg.resolve('histo-lens').provenance)
  assert.ok(!from.some((s) => s.startsWith('scrapeweb-2b@') || s.startsWith('slide-chatter@')), from.join(' '))
  // a false risk flag is dropped; a second origin reaches the same model
  assert.deepEqual(reg.find('scrapeweb-2b').toObject().risks.map((r) => r.id), TIERS[0].risks)
  assert.ok(reg.risks('histo-mil-tiny').some((r) => r.id === 'legal' && r.origin === 'slide-chatter@1.0.0'))
})

'use strict'
// Parity with Rust: the same inputs give identical results from the WebAssembly package
// and from the Rust core. The Rust side is crates/umr-wasm/examples/parity.rs, run here
// with the host cargo (or read from UMR_WASM_PARITY_JSON, a file it wrote); every vector
// in tests/vectors (every diagnostic field, the canonical YAML and JSON, the HTML, Markdown
// and SVG renderings, the error data) and the example registry (resolution with
// provenance, lineage in every format, renderings, Hugging Face cards, risks, affected
// records, the lock, diffs and bumps) are compared as whole values.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { REPO, wasmUmr, errorData, rustAnswers, loadVectors } = require('./helpers.cjs')

const umr = wasmUmr()

const rust = rustAnswers()

/** Run `fn`; its value, or `{error: ErrorData}` when it throws an UmrError. */
function outcome(fn) {
  try {
    return fn()
  } catch (err) {
    if (!(err instanceof umr.UmrError)) throw err
    assert.ok(err instanceof umr[err.kind], `${err.kind} class`)
    return { error: errorData(err) }
  }
}

test('the same library version and transparency editions', () => {
  assert.equal(umr.VERSION, rust.version)
  assert.deepEqual(umr.editions(), rust.editions)
})

test('vectors: identical diagnostics, canonical text and errors', () => {
  const vectors = loadVectors()
  assert.deepEqual(vectors.map(([name]) => name).sort(), Object.keys(rust.vectors).sort())
  assert.ok(vectors.length >= 40)
  for (const [name, v] of vectors) {
    const want = rust.vectors[name]
    const file = v.file ?? undefined
    assert.deepEqual(umr.validate(v.input, { syntax: v.syntax, file }), want.diagnostics, `${name}: diagnostics`)
    const result = outcome(() => {
      const r = v.syntax === 'json' ? umr.Record.fromJson(v.input, file) : umr.Record.fromYaml(v.input, file)
      return {
        yaml: r.toYaml(),
        json: r.toJson(),
        warnings: r.warnings,
        html: r.render('html'),
        markdown: r.render('markdown'),
        svg: r.render('svg'),
      }
    })
    assert.deepEqual(result, want.result, `${name}: record or error`)
  }
})

test('registry: resolution, provenance, lineage, risks, affected, lock, diffs', () => {
  const want = rust.registry
  const records = want.files.map((f) => {
    const text = fs.readFileSync(path.join(REPO, f), 'utf8')
    return f.endsWith('.json') ? umr.Record.fromJson(text, f) : umr.Record.fromYaml(text, f)
  })
  const reg = umr.Registry.fromRecords(records)
  assert.deepEqual(reg.names(), want.names)
  assert.deepEqual(reg.lock(), want.lock)
  const ids = records.map((r) => r.id)
  assert.deepEqual(ids, Object.keys(want.resolve))
  for (const id of ids) {
    const resolved = outcome(() => {
      const e = reg.resolve(id)
      return { json: e.record.toJson(), provenance: e.provenance }
    })
    assert.deepEqual(resolved, want.resolve[id], `${id}: resolve`)
    const lineage = outcome(() => ({
      json: reg.lineage(id),
      dot: reg.lineage(id, 'dot'),
      mermaid: reg.lineage(id, 'mermaid'),
      tree: reg.lineage(id, 'tree'),
      svg: reg.lineage(id, 'svg'),
    }))
    assert.deepEqual(lineage, want.lineage[id], `${id}: lineage`)
    const rendered = outcome(() => ({ html: reg.render(id, 'html'), markdown: reg.render(id, 'markdown') }))
    assert.deepEqual(rendered, want.render[id], `${id}: render`)
    assert.deepEqual(outcome(() => reg.exportHf(id)), want.hf[id], `${id}: Hugging Face card`)
    assert.deepEqual(outcome(() => reg.score(id)), want.score[id], `${id}: transparency score`)
    assert.deepEqual(outcome(() => reg.risks(id)), want.risks[id], `${id}: risks`)
    assert.deepEqual(outcome(() => reg.affected(id)), want.affected[id], `${id}: affected`)
  }
  for (const [pair, expected] of Object.entries(want.diffs)) {
    const [a, b] = pair.split(' ').map((id) => reg.find(id))
    assert.deepEqual(umr.diff(a, b), expected.changes, `${pair}: diff`)
    assert.deepEqual(umr.diff(a.toObject(), b.toObject()), expected.changes, `${pair}: diff of objects`)
    assert.equal(umr.requiredBump(a, b), expected.bump, `${pair}: bump`)
  }
})

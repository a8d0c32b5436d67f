'use strict'
// The WebAssembly package against the native Node package (crates/umr-node, napi-rs):
// the same calls give the same values, object shapes and error data. Skipped when the
// native addon is not built (scripts/test.d/40-node.sh builds it before this suite runs).

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { REPO, REGISTRY, wasmUmr, errorData, loadVectors, minimalYaml } = require('./helpers.cjs')

const wasm = wasmUmr()
let native = null
let skip = false
try {
  native = require(path.join(REPO, 'crates', 'umr-node', 'umr.js'))
} catch (err) {
  skip = `the native package cannot be loaded (${err.message.split('\n')[0]})`
}

/** Run `fn(umr)`; its value, or `{error}` with the error's class and data. */
function outcome(umr, fn) {
  try {
    return fn(umr)
  } catch (err) {
    if (!(err instanceof umr.UmrError)) throw err
    return { error: { class: err.constructor.name, ...errorData(err) } }
  }
}

function same(fn, what) {
  assert.deepEqual(outcome(wasm, fn), outcome(native, fn), what)
}

function registryFiles() {
  const out = []
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.(ya?ml|json)$/.test(e.name)) out.push(path.relative(REPO, p))
    }
  }
  walk(path.join(REPO, REGISTRY))
  return out.sort()
}

test('the shared names have the same kind of value', { skip }, () => {
  for (const name of Object.keys(wasm)) {
    if (name.startsWith('__') || name === 'FEATURES') continue
    if (name in native) assert.equal(typeof wasm[name], typeof native[name], name)
  }
  for (const cls of ['Record', 'Registry', 'Effective']) {
    for (const key of Object.getOwnPropertyNames(native[cls].prototype)) {
      if (key === 'constructor' || key === 'save' || key.endsWith('Async')) continue
      const d = Object.getOwnPropertyDescriptor(native[cls].prototype, key)
      const w = Object.getOwnPropertyDescriptor(wasm[cls].prototype, key)
      if (!w) continue // reported below
      assert.equal(typeof w.value, typeof d.value, `${cls}.${key}`)
      assert.equal(typeof w.get, typeof d.get, `${cls}.${key} getter`)
    }
  }
})

test('vectors: the same diagnostics, records and errors', { skip }, () => {
  for (const [name, v] of loadVectors()) {
    const file = v.file ?? undefined
    same((umr) => umr.validate(v.input, { syntax: v.syntax, file }), `${name}: validate`)
    same((umr) => {
      const r = v.syntax === 'json' ? umr.Record.fromJson(v.input, file) : umr.Record.fromYaml(v.input, file)
      return { object: r.toObject(), yaml: r.toYaml(), json: r.toJson(), warnings: r.warnings, id: r.id, kind: r.kind, file: r.file }
    }, `${name}: record`)
  }
})

test('the example registry: the same answers', { skip }, () => {
  const files = registryFiles()
  const load = (umr) => umr.Registry.fromRecords(files.map((f) => umr.Record.fromYaml(fs.readFileSync(path.join(REPO, f), 'utf8'), f)))
  const regs = new Map([[wasm, load(wasm)], [native, load(native)]])
  const ids = regs.get(wasm).resolveAll().map((r) => r.id)
  same((umr) => regs.get(umr).resolveAll().map((r) => ({ id: r.id, json: r.effective?.record.toJson() ?? null, error: r.error })), 'resolveAll')
  same((umr) => regs.get(umr).lock(), 'lock')
  same((umr) => regs.get(umr).names(), 'names')
  for (const id of ids) {
    same((umr) => {
      const e = regs.get(umr).resolve(id)
      return { json: e.record.toJson(), provenance: e.provenance, card: e.provenanceOf('card') }
    }, `${id}: resolve`)
    for (const format of [undefined, 'json', 'dot', 'mermaid', 'tree']) {
      same((umr) => regs.get(umr).lineage(id, format), `${id}: lineage ${format}`)
    }
    same((umr) => regs.get(umr).risks(id), `${id}: risks`)
    same((umr) => regs.get(umr).affected(id), `${id}: affected`)
    for (const format of ['html', 'md', 'svg']) {
      same((umr) => regs.get(umr).render(id, format), `${id}: render ${format}`)
    }
    same((umr) => regs.get(umr).exportHf(id), `${id}: exportHf`)
    same((umr) => regs.get(umr).score(id), `${id}: score`)
  }
})

test('records, cards, scores and errors: the same values', { skip }, () => {
  same((umr) => umr.editions(), 'editions')
  const text = minimalYaml('demo', '1.0.0', 'license: mit\ntransparency:\n  answers:\n    data_size: 1\n    nonsense: true\n')
  same((umr) => umr.scoreRecord(umr.Record.fromYaml(text)), 'scoreRecord')
  same((umr) => umr.Record.fromYaml(text).render('html'), 'render html')
  same((umr) => umr.Record.fromYaml(text).render('markdown'), 'render markdown')
  same((umr) => umr.Record.fromYaml(text).render('nope'), 'render: unknown format')
  same((umr) => umr.Record.fromYaml(text).derive('demo-ft', '1.0.0', 'adapter', { description: 'x' }).toObject(), 'derive')
  const card = '---\nlicense: apache-2.0\nbase_model: acme/base-7b\nlanguage: en\ntags: [chat]\n---\n\n# Acme Chat\n\nA chat model.\n'
  same((umr) => {
    const { record, warnings } = umr.importHfCard(card, { name: 'acme/chat', file: 'README.md' })
    return { json: record.toJson(), warnings, back: umr.exportHfCard(record) }
  }, 'importHfCard / exportHfCard')
  same((umr) => umr.importHfCard(card, { file: 'README.md' }), 'importHfCard without a name')
  same((umr) => umr.Record.fromObject({ kind: 'model' }), 'fromObject error')
  same((umr) => umr.validate('x', { syntax: 'toml' }), 'validate: bad syntax')
  same((umr) => umr.Registry.fromRecords([umr.Record.fromYaml(text), umr.Record.fromYaml(text)]), 'duplicate records')
  same((umr) => umr.diff(umr.Record.fromYaml(text), { ...umr.Record.fromYaml(text).toObject(), license: 'Apache-2.0' }), 'diff')
  same((umr) => umr.requiredBump({ kind: 'model' }, { kind: 'dataset' }), 'requiredBump')
})

test('what the WebAssembly package leaves out of the Node API', { skip }, (t) => {
  const missing = Object.keys(native).filter((k) => !(k in wasm) && !k.startsWith('__'))
  t.diagnostic(`not in the WebAssembly package: ${missing.join(', ')}`)
  // file-system functions, and the formats the issue leaves to the native packages
  const expected = new Set(['load', 'validateFile', 'importCyclonedx', 'exportCyclonedx', 'exportSpdx'])
  for (const k of missing) assert.ok(expected.has(k), `${k} is in the Node package but not here`)
  for (const cls of ['Record', 'Registry', 'Effective']) {
    const methods = Object.getOwnPropertyNames(native[cls].prototype).filter((k) => !(k in wasm[cls].prototype))
    if (methods.length) t.diagnostic(`${cls} methods not in the WebAssembly package: ${methods.join(', ')}`)
    for (const k of methods) {
      assert.ok(['save', 'resolveAllAsync', 'exportCyclonedx', 'exportSpdx'].includes(k), `${cls}.${k} is in the Node package but not here`)
    }
  }
})

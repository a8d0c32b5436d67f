'use strict'
// The lite flavour of the WebAssembly package (crates/umr-wasm/pkg/node-lite: built without
// the `render` and `hf` features): the Node package's API, the same answers as the full
// flavour, and a clear E_UNSUPPORTED error from the parts it leaves out.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { PKG, minimalYaml, thrown } = require('./helpers.cjs')

const LITE = path.join(PKG, 'node-lite', 'umr_wasm.js')
const FULL = path.join(PKG, 'node', 'umr_wasm.js')
const skip = fs.existsSync(LITE) ? false : `${LITE} was not built`
const lite = skip ? null : require(LITE)
const full = skip ? null : require(FULL)

test('lite: the features it has, and the same API otherwise', { skip }, () => {
  assert.deepEqual(lite.FEATURES, [])
  assert.deepEqual(full.FEATURES, ['render', 'hf', 'score'])
  assert.equal(lite.VERSION, full.VERSION)
  assert.deepEqual(Object.keys(lite).sort(), Object.keys(full).sort())
  const text = minimalYaml('demo', '1.0.0', 'upstream:\n  - base\n')
  const base = minimalYaml('base')
  for (const umr of [lite, full]) {
    assert.deepEqual(umr.validate(minimalYaml('demo', '1.0')).map((d) => [d.code, d.line, d.column]), [['E_SEMVER', 4, 10]])
  }
  const reg = (umr) => umr.Registry.fromRecords([umr.Record.fromYaml(text), umr.Record.fromYaml(base)])
  assert.deepEqual(reg(lite).lineage('demo'), reg(full).lineage('demo'))
  assert.equal(reg(lite).lineage('demo', 'mermaid'), reg(full).lineage('demo', 'mermaid'))
  assert.equal(reg(lite).resolve('demo').record.toJson(), reg(full).resolve('demo').record.toJson())
})

test('lite: the parts left out throw E_UNSUPPORTED', { skip }, () => {
  const rec = lite.Record.fromYaml(minimalYaml())
  const reg = lite.Registry.fromRecords([rec])
  for (const fn of [
    () => rec.render('html'),
    () => reg.render('demo', 'html'),
    () => reg.exportHf('demo'),
    () => reg.lineage('demo', 'svg'),
    () => lite.importHfCard('---\nlicense: mit\n---\n', { name: 'x' }),
    () => lite.exportHfCard(rec),
    () => lite.editions(),
    () => lite.scoreRecord(rec),
    () => reg.score('demo'),
  ]) {
    const err = thrown(fn)
    assert.ok(err instanceof lite.ArgumentError, String(err))
    assert.equal(err.code, 'E_UNSUPPORTED')
    assert.match(err.message, /not in this build/)
  }
})

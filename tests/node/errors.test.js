'use strict'
// The error model: every failure is an UmrError subclass carrying the core's error data,
// and a Rust panic becomes a thrown error instead of a crashed process.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { nativeUmr, tempDir, minimalYaml } = require('./helpers.js')

const umr = nativeUmr()

/** Call `fn`, return what it threw (fails when it does not throw). */
function thrown(fn) {
  try {
    fn()
  } catch (err) {
    return err
  }
  assert.fail('expected an error')
}

const FIELDS = ['kind', 'code', 'message', 'path', 'line', 'column', 'diagnostics', 'chain']

function assertShape(err, Class) {
  assert.ok(err instanceof Class, `${err} is not a ${Class.name}`)
  assert.ok(err instanceof umr.UmrError)
  assert.ok(err instanceof Error)
  assert.equal(err.name, Class.name)
  assert.equal(err.kind, Class.name)
  for (const f of FIELDS) assert.ok(f in err, `missing ${f}`)
  assert.ok(Array.isArray(err.diagnostics) && Array.isArray(err.chain))
  assert.ok(typeof err.stack === 'string')
}

test('a validation error carries code, path, line, column and every diagnostic', () => {
  const text = "format_version: '1.0'\nkind: model\nname: demo\nversion: '1.0'\nlicense: [\n"
  const err = thrown(() => umr.Record.fromYaml(minimalYaml('demo', "'1.0'"), 'demo.yaml'))
  assertShape(err, umr.ValidationError)
  assert.equal(err.code, 'E_SEMVER')
  assert.equal(err.path, 'version')
  assert.equal(err.line, 4)
  assert.equal(err.column, 10)
  assert.match(err.message, /^demo\.yaml:4:10: error \[E_SEMVER\] at version/)
  assert.deepEqual(err.chain, [])
  assert.equal(err.diagnostics.length, 1)
  assert.deepEqual(Object.keys(err.diagnostics[0]), ['file', 'path', 'line', 'column', 'code', 'severity', 'message', 'help'])
  assert.equal(err.diagnostics[0].file, 'demo.yaml')
  assert.equal(err.diagnostics[0].help, null)
  // several errors: the first one names the error, all are listed
  const many = thrown(() => umr.Record.fromYaml("format_version: '1.0'\nkind: modle\nname: ../x\nversion: 1.0.0\n"))
  assert.ok(many.diagnostics.filter((d) => d.severity === 'error').length >= 2)
  assert.equal(many.code, many.diagnostics.find((d) => d.severity === 'error').code)
  // syntax errors too
  const syntax = thrown(() => umr.Record.fromYaml(text))
  assertShape(syntax, umr.ValidationError)
  assert.equal(syntax.code, 'E_YAML_SYNTAX')
  assert.equal(typeof syntax.line, 'number')
  const json = thrown(() => umr.Record.fromJson('{"kind": }'))
  assert.equal(json.code, 'E_JSON_SYNTAX')
  assert.deepEqual([json.line, json.column], [1, 10])
  // from an object: no locations
  const obj = thrown(() => umr.Record.fromObject({ format_version: '1.0', kind: 'model', name: 'x', version: 'one' }))
  assertShape(obj, umr.ValidationError)
  assert.deepEqual([obj.code, obj.path, obj.line, obj.column], ['E_SEMVER', 'version', null, null])
})

test('load: a file that cannot be read is an IoError (code E_IO), not an invalid record', () => {
  const dir = tempDir()
  const missing = path.join(dir, 'missing.yaml')
  const err = thrown(() => umr.load(missing))
  assertShape(err, umr.IoError)
  assert.equal(err.code, 'E_IO')
  assert.ok(err.message.includes(missing))
  assert.deepEqual(err.diagnostics, [])
  assertShape(thrown(() => umr.load(dir)), umr.IoError) // a folder
  // validateFile still reports it as a diagnostic
  assert.deepEqual(umr.validateFile(missing).map((d) => d.code), ['E_IO'])
})

test('IoError: a registry folder that does not exist', async () => {
  const missing = path.join(tempDir(), 'missing')
  assertShape(thrown(() => new umr.Registry(missing)), umr.IoError)
  assert.equal(thrown(() => new umr.Registry([missing])).code, 'E_IO')
  await assert.rejects(umr.Registry.openAsync(missing), (err) => {
    assertShape(err, umr.IoError)
    return err.code === 'E_IO'
  })
})

test('IoError: saving where a file is in the way', () => {
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, 'file'), 'x')
  const err = thrown(() => umr.Record.fromYaml(minimalYaml()).save(path.join(dir, 'file', 'demo.yaml')))
  assertShape(err, umr.IoError)
  assert.equal(err.code, 'E_IO')
})

test('ResolveError: unknown names and missing parents, with chains', () => {
  const child = umr.Record.fromYaml(minimalYaml('child', '1.0.0', 'upstream:\n  - parent>=1.0.0\n'))
  const reg = umr.Registry.fromRecords([child])
  const notFound = thrown(() => reg.resolve('nothing'))
  assertShape(notFound, umr.ResolveError)
  assert.equal(notFound.code, 'E_NOT_FOUND')
  const missing = thrown(() => reg.resolve('child'))
  assertShape(missing, umr.ResolveError)
  assert.equal(missing.code, 'E_MISSING_PARENT')
  assert.deepEqual(missing.chain, ['child@1.0.0'])
  const unsatisfied = thrown(() => reg.find('child>=2'))
  assert.equal(unsatisfied.code, 'E_UNSATISFIED')
  // the same data in resolveAll, and UmrError.fromData makes the error
  const [entry] = reg.resolveAll()
  assert.equal(entry.id, 'child@1.0.0')
  assert.equal(entry.effective, null)
  assert.equal(entry.error.kind, 'ResolveError')
  const fromData = umr.UmrError.fromData(entry.error)
  assertShape(fromData, umr.ResolveError)
  assert.deepEqual([fromData.code, fromData.chain, fromData.message], [missing.code, missing.chain, missing.message])
})

test('CycleError: the cycle is named', () => {
  const a = umr.Record.fromYaml(minimalYaml('a', '1.0.0', 'upstream:\n  - b\n'))
  const b = umr.Record.fromYaml(minimalYaml('b', '1.0.0', 'upstream:\n  - a\n'))
  const err = thrown(() => umr.Registry.fromRecords([a, b]).resolve('a'))
  assertShape(err, umr.CycleError)
  assert.equal(err.code, 'E_CYCLE')
  assert.equal(err.chain.length, 3)
  assert.equal(err.chain[0], err.chain[2])
  assert.deepEqual([...err.chain.slice(0, 2)].sort(), ['a@1.0.0', 'b@1.0.0'])
})

test('RefusedError: the same record twice', () => {
  const r = umr.Record.fromYaml(minimalYaml())
  const err = thrown(() => umr.Registry.fromRecords([r, r]))
  assertShape(err, umr.RefusedError)
  assert.equal(err.code, 'E_DUPLICATE_RECORD')
})

test('ArgumentError: bad options and references', () => {
  const rec = umr.Record.fromYaml(minimalYaml())
  const reg = umr.Registry.fromRecords([rec])
  for (const [fn, code] of [
    [() => reg.lineage('demo', 'svg'), 'E_ENUM'],
    [() => umr.validate('x: 1', { syntax: 'toml' }), 'E_ENUM'],
    [() => rec.derive('demo-ft', '1.0.0', 'sideways'), 'E_ENUM'],
    [() => reg.find('../etc/passwd'), 'E_REFERENCE'],
    [() => reg.find('demo>=banana'), 'E_REFERENCE'],
    [() => reg.lineage('demo', 'SVG'), 'E_ENUM'],
    [() => reg.score('demo', 'fmti2099'), 'E_EDITION'],
    [() => umr.scoreRecord(rec, 'nope'), 'E_EDITION'],
    [() => reg.exportCyclonedx('demo', { specVersion: '2.0' }), 'E_OPTIONS'],
    [() => reg.exportCyclonedx('demo', { bogus: true }), 'E_OPTIONS'],
    [() => reg.exportCyclonedx('demo', { lineage: 'yes' }), 'E_OPTIONS'],
    [() => reg.exportCyclonedx('demo', { timestamp: 'yesterday' }), 'E_TIMESTAMP'],
    [() => reg.exportSpdx('demo', { created: '2024-05-01' }), 'E_TIMESTAMP'],
    [() => reg.exportSpdx('demo', { specVersion: '1.6' }), 'E_OPTIONS'],
    [() => umr.importHfCard('# x\n', { name: 'x', kind: 'robot' }), 'E_OPTIONS'],
    [() => umr.importCyclonedx('{}', { kind: 'model' }), 'E_OPTIONS'],
  ]) {
    const err = thrown(fn)
    assertShape(err, umr.ArgumentError)
    assert.equal(err.code, code)
  }
})

test('values built in memory are held to the core limits (as in Python)', () => {
  const base = { format_version: '1.0', kind: 'model', name: 'x', version: '1.0.0' }
  const nest = (n) => {
    const root = {}
    let cur = root
    for (let i = 0; i < n; i++) cur = cur.x = {}
    return root
  }
  const deep = thrown(() => umr.Record.fromObject({ ...base, extensions: nest(100) }))
  assertShape(deep, umr.ValidationError)
  assert.equal(deep.code, 'E_LIMIT_DEPTH')
  assert.deepEqual(deep.diagnostics.map((d) => d.code), ['E_LIMIT_DEPTH'])
  const long = thrown(() => umr.Record.fromObject({ ...base, description: 'x'.repeat(2 << 20) }))
  assert.equal(long.code, 'E_LIMIT_STRING')
  // the same limits wherever an object is converted: diff, requiredBump, derive overrides
  assertShape(thrown(() => umr.diff(base, { ...base, extensions: nest(100) })), umr.ValidationError)
  assertShape(thrown(() => umr.requiredBump({ ...base, extensions: nest(100) }, base)), umr.ValidationError)
  const rec = umr.Record.fromObject(base)
  assertShape(thrown(() => rec.derive('y', '1.0.0', null, { extensions: nest(100) })), umr.ValidationError)
  // at the limit itself a value is accepted
  assert.equal(umr.Record.fromObject({ ...base, extensions: nest(62) }).name, 'x')
})

test('errors napi raises while converting arguments pass through unchanged', () => {
  const err = thrown(() => umr.validate(42))
  assert.ok(err instanceof Error)
  assert.ok(!(err instanceof umr.UmrError))
  assert.throws(() => new umr.Record(), (e) => !(e instanceof umr.UmrError))
})

test('a Rust panic becomes a thrown InternalError, and the process keeps working', () => {
  for (let i = 0; i < 3; i++) {
    const err = thrown(() => umr.__debugPanic())
    assertShape(err, umr.InternalError)
    assert.equal(err.code, 'E_PANIC')
    assert.match(err.message, /deliberate panic from __debugPanic/)
  }
  assert.equal(umr.Record.fromYaml(minimalYaml()).id, 'demo@1.0.0')
})

test('a Rust panic in an async task rejects the promise', async () => {
  await assert.rejects(umr.__debugPanicAsync(), (err) => {
    assertShape(err, umr.InternalError)
    assert.equal(err.code, 'E_PANIC')
    return true
  })
  assert.equal(umr.Record.fromYaml(minimalYaml()).id, 'demo@1.0.0')
})

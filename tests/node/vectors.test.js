'use strict'
// The language-neutral conformance vectors (tests/vectors/*.json, format in
// tests/vectors/README.md), with the comparisons of crates/umr-core/tests/vectors.rs:
// validity, the normalised value as JSON text (key order and number form count), every
// error (code, path, line, column) and every warning (code, path), `help` only where a
// vector names one.
// Every vector must pass (none is marked `known_bug` any more).
//
// Only `validate`, `Record.fromYaml` / `Record.fromJson` and `toObject` are needed
// (`toJson`, when present, adds the number-form comparison), so the
// same file runs against the WebAssembly build: `UMR_IMPL=wasm node --test tests/node/`
// loads crates/umr-wasm/pkg/node/umr_wasm.js instead of the native addon.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { REPO, selectedImpl } = require('./helpers.js')

const MIN_VECTORS = 40
const DIR = path.join(REPO, 'tests', 'vectors')
const { name: IMPL, umr } = selectedImpl()

function loadVectors() {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const text = fs.readFileSync(path.join(DIR, f), 'utf8')
      return [path.basename(f, '.json'), JSON.parse(text), text]
    })
}

const errorView = (d, withHelp) => ({
  code: d.code,
  path: d.path,
  line: d.line ?? null,
  column: d.column ?? null,
  ...(withHelp ? { help: d.help ?? null } : {}),
})
const warningView = (d, withHelp) => ({
  code: d.code,
  path: d.path,
  ...(withHelp ? { help: d.help ?? null } : {}),
})
const view = (list, expected, fn) => list.map((d, i) => fn(d, expected[i] !== undefined && 'help' in expected[i]))

// JSON text as a token list, compacted: numbers keep their int/float kind (as serde_json
// reads them: `1` is an integer, `1.0` and `1e3` are floats), strings are decoded. JS
// numbers cannot tell `1` from `1.0`, so this is how the number form is compared.
const TOKEN = /\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|[{}[\]:,])/gy
function jsonTokens(text) {
  const out = []
  let end = 0
  TOKEN.lastIndex = 0
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const t = m[1]
    if (t[0] === '"') out.push(JSON.stringify(JSON.parse(t)))
    else if (/^-?\d/.test(t)) out.push(/[.eE]/.test(t) ? `float:${Number(t)}` : `int:${BigInt(t)}`)
    else out.push(t)
    end = TOKEN.lastIndex
  }
  assert.equal(text.slice(end).trim(), '', 'not JSON text')
  return out
}

// The tokens of the value of `expect.normalized` in a vector file's text.
function normalizedTokens(fileText) {
  const tokens = jsonTokens(fileText)
  let depth = 0
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]
    if (t === '{' || t === '[') depth++
    else if (t === '}' || t === ']') depth--
    else if (depth === 2 && t === '"normalized"' && tokens[i + 1] === ':') {
      let d = 0
      for (let j = i + 2; j < tokens.length; j++) {
        if (tokens[j] === '{' || tokens[j] === '[') d++
        else if (tokens[j] === '}' || tokens[j] === ']') d--
        if (d === 0) return tokens.slice(i + 2, j + 1)
      }
    }
  }
  return null
}

function parse(v) {
  const file = v.file ?? undefined
  return v.syntax === 'json' ? umr.Record.fromJson(v.input, file) : umr.Record.fromYaml(v.input, file)
}

function runVector(v, fileText) {
  const diags = umr.validate(v.input, { syntax: v.syntax, file: v.file ?? undefined })
  const errors = diags.filter((d) => d.severity === 'error')
  const warnings = diags.filter((d) => d.severity !== 'error')
  const expect = v.expect
  const expErrors = expect.errors ?? []
  const expWarnings = expect.warnings ?? []

  assert.equal(errors.length === 0, expect.valid, `valid: expected ${expect.valid}`)
  assert.deepEqual(view(errors, expErrors, errorView), expErrors, 'errors differ')
  assert.deepEqual(view(warnings, expWarnings, warningView), expWarnings, 'warnings differ')

  if (expect.valid) {
    const rec = parse(v)
    assert.equal(JSON.stringify(rec.toObject()), JSON.stringify(expect.normalized), 'normalized value differs')
    if (typeof rec.toJson === 'function') {
      assert.deepEqual(jsonTokens(rec.toJson()), normalizedTokens(fileText), 'normalized JSON text differs (number form)')
    }
  } else {
    // the loading functions throw, with the same diagnostics
    let thrown
    try {
      parse(v)
    } catch (err) {
      thrown = err
    }
    assert.ok(thrown, 'loading an invalid vector did not throw')
    assert.equal(thrown.code, errors[0].code, 'the thrown error carries the first error code')
    assert.deepEqual(thrown.diagnostics, diags, 'the thrown error carries every diagnostic')
  }
}

const vectors = loadVectors()

test(`${IMPL}: at least ${MIN_VECTORS} vectors`, () => {
  assert.ok(vectors.length >= MIN_VECTORS, `found ${vectors.length} in ${DIR}`)
})

// every vector must pass
for (const [name, v, text] of vectors) {
  test(`${IMPL}: ${name}`, () => runVector(v, text))
}

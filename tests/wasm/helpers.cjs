'use strict'
// Shared helpers of the WebAssembly test suite (not a test file itself).

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const REPO = path.resolve(__dirname, '..', '..')
// UMR_WASM_PKG: another build of the package (a folder holding node/ and web/)
const PKG = process.env.UMR_WASM_PKG ? path.resolve(process.env.UMR_WASM_PKG) : path.join(REPO, 'crates', 'umr-wasm', 'pkg')
const NODE_ENTRY = path.join(PKG, 'node', 'umr_wasm.js')

/** The Node build of the package (crates/umr-wasm/pkg/node, made by build.sh). */
function wasmUmr() {
  if (!fs.existsSync(NODE_ENTRY)) {
    throw new Error(`${NODE_ENTRY} does not exist: run crates/umr-wasm/build.sh first`)
  }
  return require(NODE_ENTRY)
}

/** A minimal valid record as YAML text. */
function minimalYaml(name = 'demo', version = '1.0.0', extra = '') {
  return `format_version: '1.0'\nkind: model\nname: ${name}\nversion: ${version}\n${extra}`
}

/** Call `fn`, return what it threw (fails when it does not throw). */
function thrown(fn) {
  try {
    fn()
  } catch (err) {
    return err
  }
  return assert.fail('expected an error')
}

/** The fields every UmrError carries (those of the core's ErrorData). */
const ERROR_FIELDS = ['kind', 'code', 'message', 'path', 'line', 'column', 'diagnostics', 'chain']

/** The ErrorData of an UmrError (what the Rust core's `to_data()` serialises). */
function errorData(err) {
  return Object.fromEntries(ERROR_FIELDS.map((f) => [f, err[f]]))
}

/** The inputs of the parity checks, relative to the repository. */
const VECTORS = path.join('tests', 'vectors')
const REGISTRY = path.join('examples', 'registry')

/**
 * What the Rust core answers for the parity inputs (crates/umr-wasm/examples/parity.rs):
 * read from UMR_WASM_PARITY_JSON when set (scripts/test.d/70-wasm.sh writes it once), else
 * computed now with the host cargo.
 */
function rustAnswers() {
  const file = process.env.UMR_WASM_PARITY_JSON
  const text = file
    ? fs.readFileSync(file, 'utf8')
    : execFileSync('cargo', ['run', '-q', '-p', 'umr-wasm', '--example', 'parity', '--', VECTORS, REGISTRY], {
        cwd: REPO,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
      })
  return JSON.parse(text)
}

/** Every vector file: `[name, vector]`, sorted by name. */
function loadVectors() {
  const dir = path.join(REPO, VECTORS)
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f.slice(0, -5), JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))])
}

module.exports = {
  REPO,
  PKG,
  NODE_ENTRY,
  VECTORS,
  REGISTRY,
  wasmUmr,
  minimalYaml,
  thrown,
  ERROR_FIELDS,
  errorData,
  rustAnswers,
  loadVectors,
}

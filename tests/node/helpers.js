'use strict'
// Shared helpers of the Node test suite (not a test file itself).

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const REPO = path.resolve(__dirname, '..', '..')

/** The prototype corpus beside the checkout (`../shared/corpus/modelrecords-poc`). */
const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus', 'modelrecords-poc')

/** The native package entry. */
const NATIVE_ENTRY = path.join(REPO, 'crates', 'umr-node', 'umr.js')

/** Implementations the conformance tests can run against (`UMR_IMPL`). */
const IMPLS = {
  native: NATIVE_ENTRY,
  wasm: path.join(REPO, 'crates', 'umr-wasm', 'pkg', 'node', 'umr_wasm.js'),
}

/** The native package. */
function nativeUmr() {
  return require(NATIVE_ENTRY)
}

/**
 * The implementation chosen by `UMR_IMPL`: `native` (default), `wasm`, or a path to a
 * module with the same API. Returns `{ name, umr }`.
 */
function selectedImpl() {
  const name = process.env.UMR_IMPL || 'native'
  const entry = IMPLS[name] ?? path.resolve(name)
  if (!fs.existsSync(entry)) {
    throw new Error(`UMR_IMPL=${name}: ${entry} does not exist (build that package first)`)
  }
  return { name, umr: require(entry) }
}

/** Skip reason for corpus tests, or false when the corpus is present. */
function corpusSkip() {
  return fs.existsSync(CORPUS) ? false : `the prototype corpus is not present at ${CORPUS}`
}

/** A fresh temporary folder, removed when the process exits. */
function tempDir(prefix = 'umr-node-test-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A minimal valid record as YAML text. */
function minimalYaml(name = 'demo', version = '1.0.0', extra = '') {
  return `format_version: '1.0'\nkind: model\nname: ${name}\nversion: ${version}\n${extra}`
}

module.exports = { REPO, CORPUS, IMPLS, nativeUmr, selectedImpl, corpusSkip, tempDir, minimalYaml }

'use strict'
// Shared helpers of the Node test suite (not a test file itself).

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const REPO = path.resolve(__dirname, '..', '..')

/**
 * The second-tier corpus of third-party documents: `$UMR_CORPUS` when set (a relative path is
 * taken from the repository root; a folder that does not exist means the tier does not run),
 * else `../shared/corpus` beside the checkout. Users do not have it.
 */
const CORPUS_ROOT = process.env.UMR_CORPUS
  ? path.resolve(REPO, process.env.UMR_CORPUS)
  : path.resolve(REPO, '..', 'shared', 'corpus')

/** The prototype's 88 records in the corpus tier. */
const CORPUS = path.join(CORPUS_ROOT, 'modelrecords-poc')

/** The project's own registry in the prototype's dialect (always there; see its README.md). */
const LEGACY_FIXTURE = path.join(REPO, 'tests', 'fixtures', 'legacy-registry')

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

/** Skip reason for corpus-tier tests, or false when the corpus is present. */
function corpusSkip() {
  return fs.existsSync(CORPUS) ? false : `corpus tier not run: ${CORPUS} is absent (set UMR_CORPUS=DIR to run it)`
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

/**
 * The `umr` command line of this checkout: `$UMR_BIN`; else `$CARGO_TARGET_DIR/debug/umr`
 * (relative to the repository root); else in the target folder `cargo metadata` reports.
 */
function cliPath() {
  const exe = process.platform === 'win32' ? 'umr.exe' : 'umr'
  if (process.env.UMR_BIN) return path.resolve(REPO, process.env.UMR_BIN)
  if (process.env.CARGO_TARGET_DIR) return path.resolve(REPO, process.env.CARGO_TARGET_DIR, 'debug', exe)
  const meta = spawnSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
  if (meta.status !== 0) return path.join(REPO, 'target', 'debug', exe) // no cargo: the default
  return path.join(JSON.parse(meta.stdout).target_directory, 'debug', exe)
}

const CLI = cliPath()

/** Skip reason for tests that compare with the command line, or false when it is built. */
function cliSkip() {
  if (process.env.UMR_BIN) return false // named explicitly: a missing binary is a failure
  return fs.existsSync(CLI) ? false : `the umr command line is not built at ${CLI} (cargo build -p umr-cli)`
}

function runCli(args, { allowFail = false } = {}) {
  const run = spawnSync(CLI, args, { encoding: 'utf8', maxBuffer: 64 << 20 })
  if (!allowFail && run.status !== 0) throw new Error(`umr ${args.join(' ')} exited ${run.status}:\n${run.stderr}`)
  return run.stdout
}

/** The command line's JSON output. */
function cliJson(args, opts) {
  return JSON.parse(runCli(args, opts))
}

/** The command line's text output. */
function cliText(...args) {
  return runCli(args)
}

module.exports = {
  REPO, CORPUS, CORPUS_ROOT, LEGACY_FIXTURE, IMPLS, CLI, nativeUmr, selectedImpl, corpusSkip, cliSkip, cliJson, cliText,
  tempDir, minimalYaml,
}

// Smoke test of an installed WebAssembly tarball for browsers (@umr/wasm-web,
// @umr/wasm-web-lite) in Node, with the documented manual initialisation: initSync with the
// module's bytes (docs/wasm.md). Run from a fresh npm project holding only that tarball
// (scripts/test.d/95-dist.sh).
// usage: node smoke-wasm-web.mjs <package name> <examples/registry> <expected version> <repository root>
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import wasmChecks from './wasm-checks.cjs'

const [name, registryDir, version, repo] = process.argv.slice(2)
const entry = fs.realpathSync(fileURLToPath(import.meta.resolve(name)))
assert.ok(entry.startsWith(path.join(fs.realpathSync(process.cwd()), 'node_modules') + path.sep), `${name} resolved to ${entry}`)
assert.ok(!entry.startsWith(fs.realpathSync(repo) + path.sep), `${name} resolved into the source tree: ${entry}`)
const umr = await import(name)
assert.equal(typeof umr.default, 'function', 'the web package exports init() as its default')
const bytes = fs.readFileSync(fileURLToPath(import.meta.resolve(`${name}/umr_wasm_raw_bg.wasm`)))
umr.initSync({ module: bytes })
console.log(wasmChecks.check(umr, name, registryDir, version, repo) + ` (initSync, from ${entry})`)

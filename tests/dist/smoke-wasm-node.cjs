'use strict'
// Smoke test of an installed WebAssembly tarball for Node (@umr/wasm-node, @umr/wasm-node-lite),
// run from a fresh npm project holding only that tarball (scripts/test.d/95-dist.sh).
// usage: node smoke-wasm-node.cjs <package name> <examples/registry> <expected version> <repository root>
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { check } = require('./wasm-checks.cjs')

const [name, registryDir, version, repo] = process.argv.slice(2)
const where = fs.realpathSync(require.resolve(name))
assert.ok(where.startsWith(path.join(fs.realpathSync(process.cwd()), 'node_modules') + path.sep), `${name} resolved to ${where}`)
assert.ok(!where.startsWith(fs.realpathSync(repo) + path.sep), `${name} resolved into the source tree: ${where}`)
console.log(check(require(name), name, registryDir, version, repo) + ` (from ${where})`)

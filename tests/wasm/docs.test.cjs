'use strict'
// The JavaScript examples of docs/wasm.md are executed: every ```js block, in order, as
// one script, with `require('@umr/wasm')` pointing at the Node build of this checkout.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { REPO, NODE_ENTRY } = require('./helpers.cjs')

const DOC = path.join(REPO, 'docs', 'wasm.md')

function jsBlocks(markdown) {
  const blocks = []
  const re = /^```js\n([\s\S]*?)^```$/gm
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) blocks.push(m[1])
  return blocks
}

test('docs/wasm.md: the JavaScript examples run', () => {
  const blocks = jsBlocks(fs.readFileSync(DOC, 'utf8'))
  assert.ok(blocks.length >= 1, 'docs/wasm.md has no ```js block')
  const script = blocks.join('\n').replaceAll("require('@umr/wasm')", `require(${JSON.stringify(NODE_ENTRY)})`)
  assert.ok(script.includes(NODE_ENTRY), "the examples import the package as require('@umr/wasm')")
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umr-wasm-docs-'))
  try {
    const file = path.join(dir, 'wasm-md-examples.js')
    fs.writeFileSync(file, script)
    const run = spawnSync(process.execPath, [file], { cwd: REPO, encoding: 'utf8' })
    assert.equal(run.status, 0, `the examples failed:\n${run.stdout}\n${run.stderr}`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

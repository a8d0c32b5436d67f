'use strict'
// The JavaScript examples of docs/node.md are executed: every ```js block, in order, as
// one script, with `require('@umr/node')` pointing at the package entry of this checkout.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { REPO, tempDir } = require('./helpers.js')

const DOC = path.join(REPO, 'docs', 'node.md')
const ENTRY = path.join(REPO, 'crates', 'umr-node', 'umr.js')

function jsBlocks(markdown) {
  const blocks = []
  const re = /^```js\n([\s\S]*?)^```$/gm
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) blocks.push(m[1])
  return blocks
}

test('docs/node.md: the JavaScript examples run', () => {
  const blocks = jsBlocks(fs.readFileSync(DOC, 'utf8'))
  assert.ok(blocks.length >= 1, 'docs/node.md has no ```js block')
  const script = blocks.join('\n').replaceAll("require('@umr/node')", `require(${JSON.stringify(ENTRY)})`)
  assert.ok(script.includes(ENTRY), "the examples import the package as require('@umr/node')")
  const file = path.join(tempDir(), 'node-md-examples.js')
  fs.writeFileSync(file, script)
  const run = spawnSync(process.execPath, [file], { cwd: REPO, encoding: 'utf8' })
  assert.equal(run.status, 0, `the examples failed:\n${run.stdout}\n${run.stderr}`)
})

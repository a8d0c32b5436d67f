'use strict'
// The web build in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core),
// through the static validator page web/validator/ served from 127.0.0.1 by a tiny Node
// server: type an invalid record and see the located error, fix it and see the card, open
// several documents and see the lineage, import a model card, the shared vectors and the
// panic boundary in the browser — with no console error and no request leaving the page's
// origin. Needs crates/umr-wasm/build.sh to have run (it copies pkg/web into the page).

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { chromium } = require('playwright-core')
const { serve } = require('./server.cjs')
const { REPO, rustAnswers, loadVectors } = require('./helpers.cjs')

const PAGE_DIR = path.join(REPO, 'web', 'validator')
const CHROMIUM = process.env.UMR_CHROMIUM ?? '/usr/bin/chromium'
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
]

const INVALID = `format_version: '1.0'
kind: model
name: acme-chat
version: 1.0
title: Acme Chat
license: Apache-2.0
card:
  intended_use: Customer support drafts.
`

const BASE = `format_version: '1.0'
kind: model
name: acme-base
version: 2.1.0
title: Acme Base
license: Apache-2.0
card:
  limitations: Trained on English text only.
risks:
  - id: pii
    title: Personal data in the training set
    status: confirmed
    severity: high
`

const CHILD = `format_version: '1.0'
kind: model
name: acme-chat
version: 1.0.0
title: Acme Chat
upstream:
  - name: acme-base
    version: ^2.0
    relation: finetune
card:
  intended_use: Customer support drafts.
`

const CARD = `---
license: apache-2.0
base_model: acme/base-7b
language:
  - en
---

# Acme Chat 7B

A chat model.
`

let context
let page
let server
let profile
const consoleErrors = []
const foreignRequests = []

test.before(async () => {
  assert.ok(fs.existsSync(path.join(PAGE_DIR, 'pkg', 'umr_wasm.js')), 'web/validator/pkg is missing: run crates/umr-wasm/build.sh')
  server = await serve(PAGE_DIR)
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'umr-wasm-chromium-'))
  context = await chromium.launchPersistentContext(profile, { headless: true, executablePath: CHROMIUM, args: ARGS })
  page = context.pages()[0] ?? (await context.newPage())
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text())
  })
  page.on('pageerror', (err) => consoleErrors.push(`page error: ${err.message}`))
  context.on('request', (req) => {
    const url = req.url()
    if (!url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('about:') && !url.startsWith('blob:')) {
      foreignRequests.push(url)
    }
  })
  await page.goto(server.url)
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 })
})

test.after(async () => {
  await context?.close()
  await server?.close()
  if (profile) fs.rmSync(profile, { recursive: true, force: true })
})

async function statusText() {
  return (await page.textContent('#status')).trim()
}

/**
 * Wait until the page has checked the editor's current text — no check is scheduled: the
 * editor has no `data-pending` (an edit sets it at once, the check and its rendering clear
 * it) — and then until `pred` (run in the page) holds of what it shows.
 */
async function checked(pred) {
  await page.waitForFunction(() => !document.querySelector('#source').dataset.pending)
  await page.waitForFunction(pred)
}

/**
 * Wait until the card frame shows the card of `id` ('' for none): the page has put that
 * card in the frame (its `data-card`), the frame's document is that one (its
 * `<meta name="umr-card">` carries the same counter) and, for a card, its title is visible.
 * Returns the frame.
 */
async function cardShows(id) {
  await page.waitForFunction((want) => document.querySelector('#card-frame').dataset.card === want, id)
  const n = await page.getAttribute('#card-frame', 'data-card-n')
  const card = page.frameLocator('#card-frame')
  await card.locator(`meta[name="umr-card"][data-n="${n}"]`).waitFor({ state: 'attached' })
  assert.equal(await card.locator('meta[name="umr-card"]').getAttribute('content'), id)
  assert.ok(await page.isVisible('#card-frame'), 'the card frame is shown')
  if (id) await card.locator('h1').waitFor({ state: 'visible' })
  return card
}

test('the page loads the module from its own folder', async () => {
  assert.match(await page.textContent('#version'), /^umr \d+\.\d+\.\d+ \(WebAssembly\)$/)
  assert.ok(server.requests.includes('/pkg/umr_wasm_raw_bg.wasm'), 'the module was fetched')
  // the sample record is valid
  assert.match(await statusText(), /^✔ valid model record my-model@1\.0\.0/)
})

test('type an invalid record: the located error is shown; fix it: the card is shown', async () => {
  const source = page.locator('#source')
  await source.fill('')
  await source.pressSequentially(INVALID, { delay: 0 })
  // the check of the whole text (none pending) finds the version
  await checked(() => document.querySelector('#problems li.err')?.dataset.code === 'E_SEMVER')
  const problem = page.locator('#problems li.err').first()
  assert.equal(await problem.getAttribute('data-code'), 'E_SEMVER')
  assert.equal(await problem.getAttribute('data-line'), '4')
  assert.equal(await problem.getAttribute('data-column'), '10')
  assert.match(await problem.textContent(), /4:10\s+E_SEMVER\s+version:/)
  assert.match(await statusText(), /^✖ 1 error/)
  // the gutter marks line 4 and only it
  assert.deepEqual(await page.$$eval('#gutter div.err', (ds) => ds.map((d) => d.dataset.line)), ['4'])
  assert.match(await page.getAttribute('#gutter div.err', 'title'), /E_SEMVER/)
  assert.match(await page.textContent('#card-note'), /Fix the problems/)
  await cardShows('')
  // clicking the problem puts the caret on it
  await problem.locator('button.where').click()
  const caret = await source.evaluate((t) => t.value.slice(0, t.selectionStart).split('\n'))
  assert.deepEqual([caret.length, caret.at(-1).length + 1], [4, 10])
  // fix it: version 1.0 → 1.0.0
  await page.keyboard.press('End')
  await page.keyboard.type('.0')
  await checked(() => document.querySelector('#status').textContent.startsWith('✔'))
  assert.match(await statusText(), /^✔ valid model record acme-chat@1\.0\.0/)
  assert.equal(await page.locator('#gutter div.err').count(), 0)
  assert.match(await page.textContent('#problems'), /No problems/)
  // the card
  const card = await cardShows('acme-chat@1.0.0')
  assert.equal((await card.locator('h1').textContent()).trim(), 'Acme Chat')
  assert.match(await card.locator('body').textContent(), /Customer support drafts\./)
  // the normalised record
  await page.click('#tab-record')
  assert.match(await page.textContent('#normalised'), /^format_version: '1\.0'\nkind: model\nname: acme-chat\nversion: 1\.0\.0\n/)
  await page.check('input[name="norm-format"][value="json"]')
  assert.equal(JSON.parse(await page.textContent('#normalised')).version, '1.0.0')
  await page.click('#tab-card')
})

test('several documents: the lineage graph and the effective card', async () => {
  await page.click('#tab-card')
  await page.setInputFiles('#open-files', [
    { name: 'acme-base-2.1.0.yaml', mimeType: 'application/yaml', buffer: Buffer.from(BASE) },
    { name: 'acme-chat-1.0.0.yaml', mimeType: 'application/yaml', buffer: Buffer.from(CHILD) },
  ])
  await page.waitForFunction(() => document.querySelector('#doc-name').value === 'acme-base-2.1.0.yaml')
  const labels = await page.$$eval('#doc-list button', (bs) => bs.map((b) => b.textContent))
  assert.ok(labels.some((l) => l.includes('acme-base@2.1.0')) && labels.some((l) => l.includes('acme-chat@1.0.0')))
  // the first document (from the editor) is also acme-chat@1.0.0: a duplicate
  await page.locator('#doc-list button', { hasText: 'acme-chat@1.0.0' }).last().click()
  await page.waitForFunction(() => document.querySelector('#doc-list button[aria-current="true"]')?.textContent.includes('acme-chat@1.0.0'))
  await page.click('#tab-lineage')
  const img = page.locator('#lineage-graph img')
  await img.waitFor()
  // the drawing is decoded (a data: URL image loads asynchronously)
  await page.waitForFunction(() => {
    const i = document.querySelector('#lineage-graph img')
    return i?.complete && i.naturalWidth > 0
  })
  const svg = decodeURIComponent((await img.getAttribute('src')).replace(/^data:image\/svg\+xml;charset=utf-8,/, ''))
  assert.match(svg, /<svg/)
  assert.match(svg, /acme-base/)
  assert.match(await page.textContent('#lineage-note'), /1 upstream record/)
  assert.match(await page.textContent('#lineage-mermaid'), /^flowchart LR/)
  assert.match(await page.textContent('#lineage-problems'), /defined twice/)
  // the effective card shows the inherited limitation and the risk from upstream
  await page.click('#tab-card')
  const card = await cardShows('acme-chat@1.0.0')
  assert.match(await page.textContent('#card-note'), /effective record/)
  const body = await card.locator('body').textContent()
  assert.match(body, /Trained on English text only\./)
  assert.match(body, /Personal data in the training set/)
})

test('files dropped on the page become documents', async () => {
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer()
    dt.items.add(new File([text], 'dropped.yaml', { type: 'application/yaml' }))
    return dt
  }, "format_version: '1.0'\nkind: dataset\nname: dropped-set\nversion: 0.1.0\n")
  await page.dispatchEvent('body', 'dragenter', { dataTransfer })
  assert.ok(await page.isVisible('#drop-overlay'))
  await page.dispatchEvent('body', 'drop', { dataTransfer })
  await page.waitForFunction(() => document.querySelector('#doc-name').value === 'dropped.yaml')
  assert.ok(await page.isHidden('#drop-overlay'))
  assert.match(await statusText(), /^✔ valid dataset record dropped-set@0\.1\.0/)
})

test('a Hugging Face model card is imported', async () => {
  await page.click('#tab-card')
  await page.setInputFiles('#open-files', [{ name: 'README.md', mimeType: 'text/markdown', buffer: Buffer.from(CARD) }])
  await page.waitForFunction(() => document.querySelector('#doc-name').value === 'README.md')
  // a README.md says nothing about its name: the importer asks for one
  await page.locator('#problems li.err[data-code="E_HF_NAME"]').waitFor()
  assert.ok(await page.isVisible('#card-name'))
  await page.fill('#card-name', 'acme/chat-7b')
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('model card'))
  assert.match(await statusText(), /^✔ valid model record acme\/chat-7b@1\.0\.0 \(imported from a model card\)/)
  const card = await cardShows('acme/chat-7b@1.0.0')
  assert.match(await card.locator('h1').textContent(), /acme\/chat-7b/) // no title: the name
  await page.click('#tab-record')
  assert.match(await page.textContent('#normalised'), /acme\/base-7b/)
  await page.click('#tab-card')
  // a broken card: the error is located in the card
  const source = page.locator('#source')
  await source.fill('---\nlicense: [apache-2.0\n---\n\n# Broken\n')
  await checked(() => document.querySelector('#problems li.err') !== null)
  assert.match(await statusText(), /^✖/)
  await cardShows('')
})

test('the shared vectors give the results of the Rust core in the browser', async () => {
  const rust = rustAnswers()
  const vectors = loadVectors()
  const got = await page.evaluate(async (list) => {
    const umr = await import('./pkg/umr_wasm.js')
    const out = {}
    for (const [name, v] of list) {
      const file = v.file ?? undefined
      let result
      try {
        const r = v.syntax === 'json' ? umr.Record.fromJson(v.input, file) : umr.Record.fromYaml(v.input, file)
        result = { yaml: r.toYaml(), json: r.toJson(), warnings: r.warnings, html: r.render('html'), markdown: r.render('markdown'), svg: r.render('svg') }
        r.free()
      } catch (err) {
        if (!(err instanceof umr.UmrError)) throw err
        const { kind, code, message, path, line, column, diagnostics, chain } = err
        result = { error: { kind, code, message, path, line, column, diagnostics, chain } }
      }
      out[name] = { diagnostics: umr.validate(v.input, { syntax: v.syntax, file }), result }
    }
    return out
  }, vectors)
  assert.equal(Object.keys(got).length, vectors.length)
  for (const [name] of vectors) assert.deepEqual(got[name], rust.vectors[name], name)
})

test('a panic in the browser is an UmrError and the page keeps working', async () => {
  const result = await page.evaluate(async () => {
    const umr = await import('./pkg/umr_wasm.js')
    let caught
    try {
      umr.__debugPanic()
    } catch (err) {
      caught = { isUmr: err instanceof umr.UmrError && err instanceof umr.InternalError, code: err.code, message: err.message }
    }
    return { caught, after: umr.validate("format_version: '1.0'\nkind: model\nname: x\nversion: 1.0.0\n").length }
  })
  assert.deepEqual(result.caught.isUmr, true)
  assert.equal(result.caught.code, 'E_PANIC')
  assert.match(result.caught.message, /deliberate panic/)
  assert.equal(result.after, 0)
  // the page itself still validates (its records were made again after the reset)
  await page.click('#new-doc')
  await page.locator('#source').fill(INVALID)
  await checked(() => document.querySelector('#problems li.err')?.dataset.code === 'E_SEMVER')
  assert.match(await statusText(), /^✖ 1 error/)
  // and every document was checked again
  const labels = await page.$$eval('#doc-list button', (bs) => bs.map((b) => b.textContent))
  assert.ok(labels.some((l) => l.includes('acme-base@2.1.0')), labels.join(', '))
})

test('no console errors and no request outside the page origin', () => {
  assert.deepEqual(consoleErrors, [])
  assert.deepEqual(foreignRequests, [])
})

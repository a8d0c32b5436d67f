'use strict'
// Rendering (umr_core::render): a record alone, or a registry record with its provenance,
// lineage and risks, to HTML, Markdown, LaTeX, SVG (strings) and PDF (a Buffer). The
// documents equal `umr render`'s byte for byte.

const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { REPO, CLI, nativeUmr, cliSkip, minimalYaml } = require('./helpers.js')

const umr = nativeUmr()
const EXAMPLES = path.join(REPO, 'examples', 'registry')

function cliRender(spec, to) {
  const run = spawnSync(CLI, ['render', spec, '--registry', EXAMPLES, '--to', to], { maxBuffer: 64 << 20 })
  assert.equal(run.status, 0, String(run.stderr))
  return run.stdout
}

test('record.render: the record alone, every format', () => {
  const rec = umr.Record.fromYaml(minimalYaml('demo', '1.0.0', 'title: <b>Demo</b>\nupstream:\n  - base\ncard:\n  limitations: English only.\n'))
  const page = rec.render('html')
  assert.equal(typeof page, 'string')
  assert.ok(page.startsWith('<!DOCTYPE html>'))
  assert.ok(page.includes('&lt;b&gt;Demo&lt;/b&gt;') && !page.includes('<b>Demo</b>')) // escaped
  assert.ok(page.includes('English only.'))
  const md = rec.render('md')
  assert.ok(md.includes('English only.'))
  assert.equal(rec.render('markdown'), md)
  assert.equal(rec.render('MD'), md) // the core's names, any case
  assert.ok(rec.render('tex').includes('\\documentclass'))
  assert.equal(rec.render('latex'), rec.render('tex'))
  assert.match(rec.render('svg').trimStart(), /^<(svg|\?xml)/)
  const pdf = rec.render('pdf')
  assert.ok(Buffer.isBuffer(pdf))
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
})

test('registry.render equals umr render', { skip: cliSkip() }, () => {
  const reg = new umr.Registry(EXAMPLES)
  for (const to of ['html', 'md', 'tex', 'svg']) {
    const out = reg.render('acme/llama2-7b-med', to)
    assert.equal(typeof out, 'string')
    assert.ok(Buffer.from(out).equals(cliRender('acme/llama2-7b-med', to)), to)
  }
  const pdf = reg.render('acme/llama2-7b-med', 'pdf')
  assert.ok(Buffer.isBuffer(pdf))
  assert.ok(pdf.equals(cliRender('acme/llama2-7b-med', 'pdf')))
  const page = reg.render('acme/llama2-7b-med', 'html')
  assert.ok(page.includes('inherited from')) // a registry view has provenance
  assert.notEqual(page, reg.find('acme/llama2-7b-med').render('html'))
})

test('render: unknown formats and records', () => {
  const reg = new umr.Registry(EXAMPLES)
  const rec = reg.find('llama2')
  for (const fn of [() => rec.render('docx'), () => reg.render('llama2', 'rtf')]) {
    assert.throws(fn, (err) => {
      assert.ok(err instanceof umr.ArgumentError)
      assert.equal(err.code, 'E_FORMAT')
      assert.match(err.message, /pdf/)
      return true
    })
  }
  assert.throws(() => reg.render('nothing', 'html'), umr.ResolveError)
  assert.throws(() => rec.render(), (err) => !(err instanceof umr.UmrError)) // napi: a string is needed
})

'use strict'
// The calls the smoke tests of the WebAssembly tarballs make (scripts/test.d/95-dist.sh),
// shared by smoke-wasm-node.cjs (CommonJS packages) and smoke-wasm-web.mjs (ES module
// packages, after initSync). The packages have no file system access: the example
// registry's files are read here and given to Registry.fromRecords.
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) yield* walk(p)
    else if (/\.(ya?ml|json)$/.test(e.name)) yield p
  }
}

/** Throws (an AssertionError with a message) when the package misbehaves. */
function check(umr, name, registryDir, version, repo) {
  const full = !name.endsWith('-lite')
  assert.equal(umr.VERSION, version)
  assert.deepEqual(umr.FEATURES, full ? ['render', 'hf', 'score'] : [])

  const text = fs.readFileSync(path.join(repo, 'tests', 'dist', 'smoke-record.yaml'), 'utf8')
  const rec = umr.Record.fromYaml(text, 'smoke.yaml')
  assert.equal(rec.id, 'acme/smoke@1.0.0')
  const [problem] = umr.validate(text.replace('version: 1.0.0', 'version: 1.0'), { file: 'bad.yaml' })
  assert.deepEqual([problem.code, problem.path, problem.line], ['E_SEMVER', 'version', 4])
  assert.throws(
    () => umr.Record.fromYaml("format_version: '1.0'\nkind: modle\nname: x\nversion: 1.0.0\n"),
    (err) => err instanceof umr.ValidationError && err.code === 'E_ENUM',
  )

  const records = []
  for (const f of walk(registryDir)) {
    const src = fs.readFileSync(f, 'utf8')
    assert.deepEqual(umr.validate(src, { file: f }).filter((d) => d.severity === 'error'), [], f)
    records.push(umr.Record.fromYaml(src, path.relative(registryDir, f)))
  }
  const registry = umr.Registry.fromRecords([...records, rec])
  const eff = registry.resolve('acme/llama2-7b-med-gguf')
  assert.equal(eff.record.toObject().license.id, 'LicenseRef-llama2')
  assert.equal(eff.provenanceOf('license'), 'llama2@1.0.0')
  assert.equal(registry.resolve('acme/smoke').provenanceOf('details.context_length'), 'llama2@1.0.0')
  const hits = registry.affected('laion-5b')
  assert.ok(hits.some((h) => h.name === 'acme/path-clip'), JSON.stringify(hits))
  let md = ''
  if (full) {
    md = registry.render('acme/llama2-7b-med', 'md')
    assert.ok(md.startsWith('# ') && md.includes('inherited from'), md.slice(0, 200))
    const card = '---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-2-7b-hf\n---\n# Demo\n'
    assert.equal(umr.exportHfCard(umr.importHfCard(card, { name: 'acme/demo' }).record), card)
  } else {
    assert.throws(() => registry.render('acme/llama2-7b-med', 'md'), (err) => err.code === 'E_UNSUPPORTED')
  }
  return `${name} ok: ${umr.VERSION}, ${records.length} records, ${hits.length} affected by laion-5b` +
    (full ? `, ${md.length} chars of Markdown` : ', rendering refused as a lite package should')
}

module.exports = { check }

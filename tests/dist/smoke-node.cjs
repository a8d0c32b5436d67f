'use strict'
// Smoke test of the installed @umr/node tarball (scripts/test.d/95-dist.sh): run with node
// from a fresh npm project holding only that tarball.
// usage: node smoke-node.cjs <examples/registry> <expected version> <repository root>
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const [registryDir, version, repo] = process.argv.slice(2)
const where = fs.realpathSync(require.resolve('@umr/node'))
const here = fs.realpathSync(process.cwd())
assert.ok(where.startsWith(path.join(here, 'node_modules') + path.sep), `@umr/node resolved to ${where}`)
assert.ok(!where.startsWith(fs.realpathSync(repo) + path.sep), `@umr/node resolved into the source tree: ${where}`)
const umr = require('@umr/node')
assert.equal(umr.VERSION, version)

// a record: parse, validate, save, load
const text = fs.readFileSync(path.join(repo, 'tests', 'dist', 'smoke-record.yaml'), 'utf8')
const rec = umr.Record.fromYaml(text, 'smoke.yaml')
assert.equal(rec.id, 'acme/smoke@1.0.0')
assert.deepEqual(rec.validate().filter((d) => d.severity === 'error'), [])
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'umr-smoke-'))
try {
  const saved = rec.save(tmp)
  assert.equal(umr.load(saved).id, rec.id)
  const [problem] = umr.validate(text.replace('version: 1.0.0', 'version: 1.0'), { file: 'bad.yaml' })
  assert.deepEqual([problem.code, problem.path, problem.line], ['E_SEMVER', 'version', 4])
  assert.throws(
    () => umr.Record.fromYaml("format_version: '1.0'\nkind: modle\nname: x\nversion: 1.0.0\n"),
    (err) => err instanceof umr.ValidationError && err.code === 'E_ENUM',
  )

  // the example registry
  const registry = new umr.Registry(registryDir)
  assert.ok(registry.names().length >= 8, `${registry.names()}`)
  const eff = registry.resolve('acme/llama2-7b-med-gguf')
  assert.equal(eff.record.toObject().license.id, 'LicenseRef-llama2')
  assert.equal(eff.provenanceOf('license'), 'llama2@1.0.0')
  const hits = registry.affected('laion-5b')
  assert.ok(hits.some((h) => h.name === 'acme/path-clip'), JSON.stringify(hits))
  const md = registry.render('acme/llama2-7b-med', 'md')
  assert.ok(md.startsWith('# ') && md.includes('inherited from'), md.slice(0, 200))
  const pdf = registry.render('acme/path-clip', 'pdf')
  assert.equal(Buffer.from(pdf).subarray(0, 5).toString(), '%PDF-')
  for (const f of walk(registryDir)) {
    assert.deepEqual(umr.validateFile(f).filter((d) => d.severity === 'error'), [], f)
  }

  // layered over the example registry: the new record inherits
  const layered = new umr.Registry([tmp, registryDir])
  assert.equal(layered.resolve('acme/smoke').provenanceOf('license'), 'acme/smoke@1.0.0')

  // interop
  const card = '---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-2-7b-hf\n---\n# Demo\n'
  const { record } = umr.importHfCard(card, { name: 'acme/demo' })
  assert.equal(umr.exportHfCard(record), card)
  assert.equal(registry.exportCyclonedx('acme/path-clip', { lineage: true }).bomFormat, 'CycloneDX')

  console.log(`@umr/node ok: ${umr.VERSION} from ${where}; ${hits.length} affected by laion-5b, ` +
    `${md.length} chars of Markdown, ${pdf.length} bytes of PDF`)
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) yield* walk(p)
    else if (/\.(ya?ml|json)$/.test(e.name)) yield p
  }
}

// Compiled with `tsc --noEmit` (strict) by scripts/test.d/40-node.sh, never run: it uses the
// whole API through the package's types (umr.d.ts, which re-exports the napi-generated
// index.d.ts), so a type that drifts from the addon fails the build.

import * as umr from '../../crates/umr-node/umr'
import {
  Affected,
  BomImport,
  CardImport,
  Change,
  Diagnostic,
  DomainScore,
  Edition,
  Effective,
  ErrorData,
  Exposure,
  IndicatorAnswer,
  InternalError,
  Lineage,
  LoadReport,
  Lock,
  Record,
  Registry,
  Resolved,
  Score,
  ScoreReport,
  UmrError,
  ValidationError,
} from '../../crates/umr-node/umr'

// no @types/node here: the package's types need nothing from Node
declare const console: { log(...args: unknown[]): void }

const version: string = umr.VERSION

// functions
const rec: Record = umr.load('model.yaml')
const diags: Diagnostic[] = umr.validate('kind: model', { syntax: 'yaml', file: 'm.yaml' })
const diags2: Diagnostic[] = umr.validate('{}')
const diags3: Diagnostic[] = umr.validateFile('m.yaml')
for (const d of [...diags, ...diags2, ...diags3]) {
  const where: string = `${d.file ?? '-'}:${d.line ?? 0}:${d.column ?? 0} ${d.path}`
  const sev: 'error' | 'warning' = d.severity
  const help: string | null = d.help
  console.log(where, sev, d.code, d.message, help)
}
const changes: Change[] = umr.diff(rec, { ...rec.toObject(), license: 'MIT' })
for (const c of changes) {
  const op: 'added' | 'removed' | 'changed' = c.op
  console.log(c.path, op, c.old, c.new, c.bump, c.rule)
}
const bump: 'none' | 'patch' | 'minor' | 'major' = umr.requiredBump(rec.toObject(), rec)

// Record
const a: Record = Record.fromYaml('...', 'a.yaml')
const b: Record = umr.Record.fromJson('{}')
const c: Record = Record.fromObject(a.toObject())
const obj: { [field: string]: any } = c.toObject()
const text: string = a.toYaml() + b.toJson()
const saved: string = a.save('out')
const ident: string = `${a.name} ${a.version} ${a.id}`
const kind: 'model' | 'family' | 'dataset' = a.kind
const file: string | null = a.file
const warnings: Diagnostic[] = a.warnings.concat(a.validate())
const derived: Record = a.derive('ft', '1.0.0')
const adapter: Record = a.derive('lora', '1.0.0', 'adapter', { description: 'x' })
const defaulted: Record = a.derive('ft2', '1.0.0', null, { description: 'y' })

// Registry
const reg: Registry = new Registry('registry')
const layered: Registry = new umr.Registry(['one', 'two'])
const inMemory: Registry = Registry.fromRecords([a, b, derived])
const eff: Effective = reg.resolve('llama2-7b')
const effRecord: Record = eff.record
const provenance: { [path: string]: string } = eff.provenance
const who: string | null = eff.provenanceOf('card.intended_use')
const fromEffective: Record = eff.derive('ft3', '1.0.0', 'finetune', { title: 'FT 3' })
const found: Record = reg.find('llama2>=1.0.0')
const lineage = reg.lineage('plip')
if (typeof lineage !== 'string') {
  const l: Lineage = lineage
  console.log(l.root, l.root_kind, l.ancestors[0]?.has_risks, l.edges[0]?.relation)
}
const dot: Lineage | string = reg.lineage('plip', 'dot')
const affected: Affected[] = reg.affected('laion-5b')
const affectedBy: Affected[] = reg.affected('laion-5b', 'csam')
const exposures: Exposure[] = reg.risks('plip').concat(affected[0]?.risks ?? [])
const all: Resolved[] = reg.resolveAll()
const lock: Lock = reg.lock()
const digest: string | undefined = lock.records['plip@1.0.0']?.digest
const names: string[] = reg.names()
const count: number = reg.size + reg.length
const report: LoadReport | null = reg.loadReport

// transparency scores
const editions: Edition[] = umr.editions()
const own: Score = umr.scoreRecord(a, 'fmti2023')
const ownDefault: Score = umr.scoreRecord(a)
const scored: ScoreReport = reg.score('llama2-7b')
const scored2025: ScoreReport = reg.score('llama2-7b', 'fmti2025')
const domain: DomainScore | undefined = scored.effective.domains[0]
const answer: IndicatorAnswer | undefined = own.indicators[0]
const yes: boolean | null | undefined = answer?.answer
const inherited: number | undefined = scored.inherited['llama2@1.0.0']
console.log(editions[0]?.indicators.length, ownDefault.total.score, scored2025.edition, domain?.subdomains, yes, inherited)

// rendering
const page: string = a.render('html')
const markdown: string = a.render('md') + reg.render('plip', 'tex') + reg.render('plip', 'svg')
const pdf: Uint8Array = reg.render('plip', 'pdf')
const recordPdf: Uint8Array = a.render('pdf')
const either: string | Uint8Array = a.render(String('html'))
console.log(page, markdown, pdf.byteLength, recordPdf.length, either)

// interoperability
const imported: CardImport = umr.importHfCard('---\nlicense: mit\n---\n', { name: 'x', kind: 'model', file: 'README.md' })
const importedRecord: Record = imported.record
const importedWarnings: Diagnostic[] = umr.importHfCard('# x\n', { name: 'x' }).warnings
const card: string = umr.exportHfCard(a) + umr.exportHfCard(a.toObject()) + reg.exportHf('plip') + reg.exportHf('plip', false)
const bom: { [key: string]: any } = reg.exportCyclonedx('plip', { specVersion: '1.7', lineage: true, effective: false, timestamp: null })
const spdx: { [key: string]: any } = reg.exportSpdx('plip', { namespace: 'urn:x:', created: '2024-01-01T00:00:00Z' })
const boms: BomImport = umr.importCyclonedx(JSON.stringify(bom), { name: 'x', version: '1.0.0', file: 'bom.json' })
const bomRecords: Record[] = boms.records
console.log(importedRecord, importedWarnings, card, spdx, bomRecords, boms.warnings, defaulted, fromEffective)

async function asyncUse(): Promise<number> {
  const opened: Registry = await Registry.openAsync(['registry'])
  const single: Registry = await umr.Registry.openAsync('registry')
  const resolved: Resolved[] = await opened.resolveAllAsync()
  for (const r of resolved) {
    if (r.error !== null) {
      const data: ErrorData = r.error
      const err: UmrError = UmrError.fromData(data)
      throw err
    }
    const e: Effective | null = r.effective
    console.log(r.id, e?.record.id)
  }
  return single.size
}

// errors
try {
  Record.fromYaml('version: 1.0')
} catch (err) {
  if (err instanceof ValidationError) {
    const first: Diagnostic | undefined = err.diagnostics[0]
    const loc: [string, string | null, number | null, number | null] = [err.code, err.path, err.line, err.column]
    console.log(first, loc, err.kind, err.message)
  } else if (err instanceof umr.CycleError || err instanceof umr.ResolveError) {
    const chain: string[] = err.chain
    console.log(chain)
  } else if (err instanceof umr.IoError || err instanceof umr.RefusedError || err instanceof umr.ArgumentError) {
    console.log(err.code)
  } else if (err instanceof InternalError) {
    const code: string = err.code // E_INTERNAL or E_PANIC
    console.log(code)
  }
}

console.log(
  version, bump, c, obj, text, saved, ident, kind, file, warnings, adapter, layered, inMemory, eff, effRecord,
  provenance, who, found, dot, affectedBy, exposures, all, digest, names, count, report, asyncUse,
)

// misuse is a type error
// @ts-expect-error an unknown lineage format
reg.lineage('plip', 'svg')
// @ts-expect-error validate takes text
umr.validate(42)
// @ts-expect-error an unknown CycloneDX version
reg.exportCyclonedx('plip', { specVersion: '2.0' })
// @ts-expect-error an unknown kind
umr.importHfCard('', { kind: 'robot' })
// @ts-expect-error a PDF is not a string
const notText: string = a.render('pdf')
console.log(notText)
// @ts-expect-error scoreRecord takes a Record
umr.scoreRecord({ name: 'x' })

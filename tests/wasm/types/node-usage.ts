// Compiled with `tsc --noEmit` (strict) by scripts/test.d/70-wasm.sh, never run: it uses the
// whole API of the Node build through its types (crates/umr-wasm/pkg/node/umr_wasm.d.ts,
// from crates/umr-wasm/js/api.d.ts), so a type that drifts from the package fails.

import * as umr from '../../../crates/umr-wasm/pkg/node/umr_wasm'
import {
  Affected,
  Change,
  Diagnostic,
  Effective,
  ErrorData,
  Exposure,
  CardImport,
  Edition,
  InternalError,
  Score,
  ScoreReport,
  Lineage,
  Lock,
  Record,
  Registry,
  Resolved,
  UmrError,
  ValidationError,
} from '../../../crates/umr-wasm/pkg/node/umr_wasm'

declare const console: { log(...args: unknown[]): void }

const version: string = umr.VERSION

const diags: Diagnostic[] = umr.validate('kind: model', { syntax: 'yaml', file: 'm.yaml' })
const diags2: Diagnostic[] = umr.validate('{}', null)
for (const d of [...diags, ...diags2]) {
  const where: string = `${d.file ?? '-'}:${d.line ?? 0}:${d.column ?? 0} ${d.path}`
  const sev: 'error' | 'warning' = d.severity
  const help: string | null = d.help
  console.log(where, sev, d.code, d.message, help)
}

const a: Record = Record.fromYaml('...', 'a.yaml')
const b: Record = umr.Record.fromJson('{}')
const c: Record = Record.fromObject(a.toObject())
const text: string = a.toYaml() + b.toJson() + c.render('html') + c.render('md')
const ident: string = `${a.name} ${a.version} ${a.id}`
const kind: 'model' | 'family' | 'dataset' = a.kind
const file: string | null = a.file
const warnings: Diagnostic[] = a.warnings.concat(a.validate())
const derived: Record = a.derive('ft', '1.0.0')
const adapter: Record = a.derive('lora', '1.0.0', 'adapter', { description: 'x' })

const changes: Change[] = umr.diff(a, { ...a.toObject(), license: 'MIT' })
for (const ch of changes) {
  const op: 'added' | 'removed' | 'changed' = ch.op
  console.log(ch.path, op, ch.old, ch.new, ch.bump, ch.rule)
}
const bump: 'none' | 'patch' | 'minor' | 'major' = umr.requiredBump(a.toObject(), a)

const reg: Registry = Registry.fromRecords([a, b, derived, adapter])
const eff: Effective = reg.resolve('ft')
const effRecord: Record = eff.record
const provenance: { [path: string]: string } = eff.provenance
const who: string | null = eff.provenanceOf('card.intended_use')
const found: Record = reg.find('ft>=1.0.0')
const lineage: Lineage = reg.lineage('ft')
console.log(lineage.root, lineage.root_kind, lineage.ancestors[0]?.has_risks, lineage.edges[0]?.relation)
const svg: string = reg.lineage('ft', 'svg')
const mermaid: string = reg.lineage('ft', 'mermaid')
const either: Lineage | string = reg.lineage('ft', Math.random() > 0.5 ? 'dot' : 'json')
const affected: Affected[] = reg.affected('ft', null)
const exposures: Exposure[] = reg.risks('ft').concat(affected[0]?.risks ?? [])
const all: Resolved[] = reg.resolveAll()
const lock: Lock = reg.lock()
const digest: string | undefined = lock.records['ft@1.0.0']?.digest
const page: string = reg.render('ft', 'html') + reg.exportHf('ft') + reg.exportHf('ft', false)
const names: string[] = reg.names()
const size: number = reg.size + reg.length
reg.free()

const imported: CardImport = umr.importHfCard('---\nlicense: mit\n---\n', { name: 'x', kind: 'model' })
const card: string = umr.exportHfCard(imported.record) + umr.exportHfCard(imported.record.toObject())
const eds: Edition[] = umr.editions()
const own: Score = umr.scoreRecord(a, eds[0]?.name ?? null)
const report: ScoreReport = reg.score('ft')
const features: ReadonlyArray<'render' | 'hf' | 'score'> = umr.FEATURES
console.log(own.total.score, report.effective.domains[0]?.subdomains[0]?.answered, features)

try {
  Record.fromYaml('kind: [')
} catch (err) {
  if (err instanceof ValidationError) {
    const data: ErrorData = err
    console.log(data.code, data.path, data.line, data.column, data.diagnostics, data.chain)
  } else if (err instanceof InternalError) {
    console.log(err.code)
  } else if (err instanceof UmrError) {
    console.log(err.kind, err.code)
  }
}
const fromData: UmrError = UmrError.fromData({ kind: 'ResolveError', code: 'E_NOT_FOUND', message: 'x' })

console.log(version, text, ident, kind, file, warnings, bump, effRecord, provenance, who, found, svg, mermaid)
console.log(either, exposures, all, digest, page, names, size, card, fromData)

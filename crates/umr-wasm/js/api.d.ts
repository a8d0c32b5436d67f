// Types of the UMR WebAssembly package entry `umr_wasm.js` (Node and web builds).
// Hand-written to match js/api.js and src/*.rs; checked by `tsc --noEmit` over
// tests/wasm/typed-usage.ts (scripts/test.d/70-wasm.sh). The names and shapes are those
// of the Node package (crates/umr-node/index.d.ts, umr.d.ts), without the file-system
// functions (`load`, `validateFile`, `Record.save`, `new Registry(paths)`, the async
// variants).

/** The version of the library. */
export declare const VERSION: string

/**
 * The optional parts this build of the package has: `render` (HTML and Markdown cards,
 * SVG lineage), `hf` (Hugging Face cards) and `score` (transparency scores). A function
 * of a part that is missing throws an `ArgumentError` with code `E_UNSUPPORTED`.
 */
export declare const FEATURES: ReadonlyArray<'render' | 'hf' | 'score'>

/** One located problem in a document. Absent values are `null`. */
export interface Diagnostic {
  /** The file, when a file name was given. */
  file: string | null
  /** Field path inside the record, e.g. `upstream[0].version` (empty for the document). */
  path: string
  /** 1-based line. */
  line: number | null
  /** 1-based column (in characters). */
  column: number | null
  /** Stable code, e.g. `E_SEMVER`. */
  code: string
  /** `error` or `warning`. */
  severity: 'error' | 'warning'
  /** What is wrong. */
  message: string
  /** A suggestion, when there is one. */
  help: string | null
}

/** Options of `validate`. */
export interface ValidateOptions {
  /** `yaml` or `json`; detected from `file` or the text when absent. */
  syntax?: string | null
  /** The file name used in diagnostics (and to detect the syntax). */
  file?: string | null
}

/**
 * Check a document and return every diagnostic, errors and warnings, located. Never
 * throws for a bad document (only for a bad `syntax` option).
 */
export declare function validate(text: string, options?: ValidateOptions | null): Array<Diagnostic>

/** A plain object holding a record's fields. */
export type RecordObject = { [field: string]: any }

/**
 * One record: a model, a family or a dataset. Always valid (construction validates);
 * immutable.
 */
export declare class Record {
  private constructor()
  /**
   * Parse YAML text (the native format or the prototype's `mr:` dialect). `file` names
   * the source in diagnostics. Throws a `ValidationError` for a bad document.
   */
  static fromYaml(text: string, file?: string | null): Record
  /** Parse JSON text. Throws a `ValidationError` for a bad document. */
  static fromJson(text: string, file?: string | null): Record
  /**
   * Build from a plain object (as returned by `toObject()`). Throws a `ValidationError`
   * (without line numbers) for a bad record.
   */
  static fromObject(obj: RecordObject): Record
  /** The record as a plain object, keys in the order written, unknown fields kept. */
  toObject(): RecordObject
  /** Canonical YAML text. */
  toYaml(): string
  /** Canonical JSON text. */
  toJson(): string
  /** The record name. */
  get name(): string
  /** The record version (semver text). */
  get version(): string
  /** `model`, `family` or `dataset`. */
  get kind(): 'model' | 'family' | 'dataset'
  /** `name@version`. */
  get id(): string
  /** The file name given when the record was read, or `null`. */
  get file(): string | null
  /** Warnings found while loading (located). */
  get warnings(): Array<Diagnostic>
  /** Every diagnostic of this record: its warnings (a `Record` has no errors). */
  validate(): Array<Diagnostic>
  /**
   * Render this record alone (its own fields; its declared upstream as the graph):
   * `html` (a standalone page: inline CSS, no scripts, no external requests), `md` /
   * `markdown`, or `svg` (the lineage graph). LaTeX and PDF are not in this build.
   */
  render(format: RenderFormat): string
  /**
   * Derive a new record from this one: it names this record as upstream with `relation`
   * (default `finetune`) and keeps only the values of `overrides` that differ from this
   * record. Throws a `ValidationError` when the result is invalid.
   */
  derive(name: string, version: string, relation?: string | null, overrides?: RecordObject | null): Record
  /** Release the memory of this object now (otherwise a finalizer does it). */
  free(): void
}

/**
 * The effective record of a registry entry (the record over its inheriting ancestors)
 * with the provenance of every field.
 */
export declare class Effective {
  private constructor()
  /** The effective record. */
  get record(): Record
  /** `field path → name@version` that supplied it, for every leaf, in record order. */
  get provenance(): { [path: string]: string }
  /**
   * Which record (`name@version`) supplied the value at `path` (or the nearest enclosing
   * path), or `null`.
   */
  provenanceOf(path: string): string | null
  /** Release the memory of this object now. */
  free(): void
}

/** One record reached from the root of a lineage query. */
export interface LineageEntry {
  /** Record name. */
  name: string
  /** Record version. */
  version: string
  /** Record kind. */
  kind: string
  /** Relation of the edge by which it was first reached. */
  relation: string
  /** Distance from the root (1 = direct). */
  depth: number
  /** `name@version` on the other side of that edge. */
  via: string
  /** Whether the record carries risks of its own. */
  has_risks: boolean
}

/** An edge of the lineage graph: `child` relates to `parent` by `relation`. */
export interface GraphEdge {
  /** Downstream record, `name@version`. */
  child: string
  /** Upstream record, `name@version`. */
  parent: string
  /** Relation kind. */
  relation: string
  /** Whether fields inherit along the edge. */
  inherit: boolean
}

/** The lineage of one record. */
export interface Lineage {
  /** The record asked about, `name@version`. */
  root: string
  /** Kind of the root. */
  root_kind: string
  /** Whether the root carries risks of its own. */
  root_has_risks: boolean
  /** Upstream records, breadth-first. */
  ancestors: Array<LineageEntry>
  /** Downstream records, breadth-first. */
  descendants: Array<LineageEntry>
  /** Every edge among them. */
  edges: Array<GraphEdge>
}

/** A mitigation of an inherited risk. */
export interface Mitigation {
  /** The record that declared it, `name@version`. */
  by: string
  /** Why the risk is mitigated. */
  justification: string
}

/** A risk a record is exposed to. */
export interface Exposure {
  /** Risk identifier. */
  id: string
  /** The record the risk was declared on, `name@version`. */
  origin: string
  /** The path it travelled: origin first, the exposed record last. */
  chain: Array<string>
  /** Status at this record (`confirmed`, `suspected`, `mitigated`, …). */
  status: string
  /** Severity (`low`, `medium`, `high`, `critical`). */
  severity: string
  /** Title, when given. */
  title?: string
  /** Description, when given. */
  description?: string
  /** The mitigation in force, when mitigated. */
  mitigation?: Mitigation
}

/** A record downstream of the record asked about. */
export interface Affected {
  /** Record name. */
  name: string
  /** Record version. */
  version: string
  /** The path from the upstream record to this one. */
  chain: Array<string>
  /** The upstream record's risks as they stand at this record. */
  risks: Array<Exposure>
}

/** The data of an error, as every `UmrError` carries it (`kind` names the class). */
export interface ErrorData {
  /**
   * `ValidationError`, `ResolveError`, `CycleError`, `IoError`, `RefusedError`,
   * `ArgumentError` or `InternalError`.
   */
  kind: string
  /** Stable code. */
  code: string
  /** Human message. */
  message: string
  /** Field path of the first error diagnostic. */
  path: string | null
  /** Line of the first error diagnostic. */
  line: number | null
  /** Column of the first error diagnostic. */
  column: number | null
  /** Every diagnostic (validation errors). */
  diagnostics: Array<Diagnostic>
  /** The chain of records, or the cycle, for resolution errors. */
  chain: Array<string>
}

/** The outcome of resolving one record of a registry. */
export interface Resolved {
  /** `name@version`. */
  id: string
  /** The effective record, or `null` when resolution failed. */
  effective: Effective | null
  /** Why resolution failed (`UmrError.fromData(error)` makes the error), or `null`. */
  error: ErrorData | null
}

/** One resolved upstream relation in a lock. */
export interface LockedUpstream {
  /** The requirement as written. */
  requirement: string
  /** The record it resolved to, `name@version`. */
  resolved: string
  /** Position in the record's `upstream` list. */
  index: number
}

/** One locked record. */
export interface LockEntry {
  /** `sha256:` digest of the record's canonical JSON. */
  digest: string
  /** Resolved upstream relations. */
  upstream: Array<LockedUpstream>
}

/** A lock: every record's digest and resolved upstreams (the `umr.lock` format). */
export interface Lock {
  /** Format version of the lock (1). */
  lock_version: number
  /** Entries by `name@version`, sorted. */
  records: { [id: string]: LockEntry }
}

/** What loading a registry from folders found (never produced in this build). */
export interface LoadReport {
  /** Files read. */
  files: number
  /** Records indexed. */
  records: number
  /** Every diagnostic of every file. */
  diagnostics: Array<Diagnostic>
}

/** Lineage output formats (`svg`: a standalone SVG drawing). */
export type LineageFormat = 'json' | 'dot' | 'mermaid' | 'tree' | 'svg'

/** Output formats of `render` in this build. */
export type RenderFormat = 'html' | 'htm' | 'md' | 'markdown' | 'svg'

/** A set of records in memory with their resolved upstream graph. */
export declare class Registry {
  private constructor()
  /**
   * A registry of records in memory (the records stay usable). Two records with the same
   * name and version are a `RefusedError` (`E_DUPLICATE_RECORD`).
   */
  static fromRecords(records: Iterable<Record>): Registry
  /** The effective record of a reference (`name`, `name>=1.0`, `name@1.2.0`, …). */
  resolve(spec: string): Effective
  /** The record (as written) of a reference. */
  find(spec: string): Record
  /**
   * The lineage of a reference: an object for `json` (the default), text for `dot`,
   * `mermaid`, `tree` or `svg`.
   */
  lineage(spec: string): Lineage
  lineage(spec: string, format: 'json' | null | undefined): Lineage
  lineage(spec: string, format: Exclude<LineageFormat, 'json'>): string
  lineage(spec: string, format?: LineageFormat | null): Lineage | string
  /**
   * Every record downstream of `spec`, with the chain from it and `spec`'s risks as they
   * stand there; with `risk`, only the records exposed to that risk.
   */
  affected(spec: string, risk?: string | null): Array<Affected>
  /** The risks a record is exposed to: its own and every upstream record's. */
  risks(spec: string): Array<Exposure>
  /**
   * Render the effective record of a reference with its provenance, lineage, risk
   * exposures, versions and downstream records: `html`, `md` / `markdown`, or `svg`.
   */
  render(spec: string, format: RenderFormat): string
  /**
   * A reference's record as a Hugging Face card `README.md`: its effective record
   * (`effective`, the default) or its own, with upstream relation kinds as resolved.
   */
  exportHf(spec: string, effective?: boolean | null): string
  /**
   * Own and effective transparency scores of a record. `edition` defaults to the one the
   * effective record declares, else the core's default edition.
   */
  score(spec: string, edition?: string | null): ScoreReport
  /** Resolve every record: one entry per record, in topological order (ancestors first). */
  resolveAll(): Array<Resolved>
  /** A lock of every record as resolved now (the `umr.lock` content). */
  lock(): Lock
  /** Record names, sorted. */
  names(): Array<string>
  /** Number of records. */
  get size(): number
  /** Number of records (same as `size`). */
  get length(): number
  /** Always `null` (a registry here is built from records, not read from folders). */
  get loadReport(): LoadReport | null
  /** Release the memory of this object now. */
  free(): void
}

/** One change between two records. */
export interface Change {
  /** Field path (list items with an identity are named by it, e.g. `risks["csam"]`). */
  path: string
  /** `added`, `removed` or `changed`. */
  op: 'added' | 'removed' | 'changed'
  /** The old value (absent when added). */
  old?: any
  /** The new value (absent when removed). */
  new?: any
  /** The bump this change requires. */
  bump: 'none' | 'patch' | 'minor' | 'major'
  /** The id of the rule that classified it. */
  rule: string
}

/**
 * The structured diff between two records (`Record`s or plain objects); `version` is not
 * compared. Each change names the bump it requires and the rule that decided it.
 */
export declare function diff(oldRecord: Record | RecordObject, newRecord: Record | RecordObject): Array<Change>

/** The smallest semver bump that going from `oldRecord` to `newRecord` requires. */
export declare function requiredBump(
  oldRecord: Record | RecordObject,
  newRecord: Record | RecordObject,
): 'none' | 'patch' | 'minor' | 'major'

/** Options of `importHfCard`. */
export interface HfImportOptions {
  /**
   * Record name (`name` or `org/name`). Default: the card's `model_name`, its
   * `model-index` name, its `pretty_name`, or the file name, cleaned into a valid name.
   */
  name?: string | null
  /** Record version (default `1.0.0`). */
  version?: string | null
  /** `model`, `family` or `dataset`; detected from the card's keys when absent. */
  kind?: 'model' | 'family' | 'dataset' | null
  /** File name, for diagnostics and the default name. */
  file?: string | null
}

/** What `importHfCard` read: the record and the warnings (located in the card). */
export interface CardImport {
  /** The imported record. */
  record: Record
  /** Warnings, located in the card. */
  warnings: Array<Diagnostic>
}

/**
 * Import a Hugging Face card (`README.md`: YAML front matter + Markdown body) into a
 * record. Throws a `ValidationError` (located in the card) when it cannot be read.
 */
export declare function importHfCard(text: string, options?: HfImportOptions | null): CardImport

/** A record as a Hugging Face card `README.md` (a dataset card for datasets). */
export declare function exportHfCard(record: Record | RecordObject): string

/** Counts for a set of indicators. */
export interface Tally {
  /** Indicators answered true: the score. */
  score: number
  /** Indicators answered true or false. */
  answered: number
  /** Indicators with no answer or an explicit unknown. */
  unknown: number
  /** Number of indicators. */
  indicators: number
}

/** Score of one subdomain (its counts inline, as in the core's JSON). */
export interface SubdomainScore extends Tally {
  /** Subdomain key. */
  key: string
  /** Published name. */
  name: string
}

/** Score of one domain, with its subdomains (counts inline). */
export interface DomainScore extends Tally {
  /** Domain key. */
  key: string
  /** Published name. */
  name: string
  /** Subdomains, in published order. */
  subdomains: Array<SubdomainScore>
}

/** The answer counted for one indicator. Optional fields are absent when not set. */
export interface IndicatorAnswer {
  /** Indicator key. */
  key: string
  /** Domain key. */
  domain: string
  /** Subdomain key. */
  subdomain: string
  /** `true`, `false`, or `null` for unknown / not answered. */
  answer: boolean | null
  /** Evidence URL given with the answer. */
  evidence?: string
  /** Note given with the answer. */
  note?: string
  /** `name@version` of the record that supplied the answer. */
  source?: string
  /** The alias key the answer was written under, when not the indicator key. */
  written_as?: string
}

/** A transparency score in one edition. */
export interface Score {
  /** Edition name (canonical, e.g. `fmti2023`). */
  edition: string
  /** Totals over every indicator. */
  total: Tally
  /** Per domain, with per-subdomain counts, in published order. */
  domains: Array<DomainScore>
  /** Every indicator of the edition, in published order, with the answer counted. */
  indicators: Array<IndicatorAnswer>
  /** Warnings (unknown indicator keys, answers of another edition, …). */
  diagnostics: Array<Diagnostic>
}

/** Own and effective transparency scores of a registry record. */
export interface ScoreReport {
  /** `name@version` of the record. */
  record: string
  /** Edition scored. */
  edition: string
  /** The record's own answers. */
  own: Score
  /** The effective record's answers (own and inherited). */
  effective: Score
  /** Answers supplied by ancestors: `name@version` → number of indicators, nearest first. */
  inherited: { [id: string]: number }
}

/** A domain of an edition. */
export interface EditionDomain {
  /** Stable snake_case key. */
  key: string
  /** Published name. */
  name: string
}

/** A subdomain of an edition. */
export interface EditionSubdomain {
  /** Stable snake_case key. */
  key: string
  /** Published name. */
  name: string
  /** Key of its domain. */
  domain: string
}

/** One indicator of an edition. */
export interface Indicator {
  /** Stable snake_case key: the answer key in records. */
  key: string
  /** Domain key. */
  domain: string
  /** Subdomain key. */
  subdomain: string
  /** Published name. */
  name: string
  /** Published definition (the question the indicator asks). */
  definition: string
  /** Other keys that mean this indicator (absent when there are none). */
  aliases?: Array<string>
}

/** A transparency edition: an indicator set. */
export interface Edition {
  /** Registry name, e.g. `fmti2023`. */
  name: string
  /** Other names of the same indicator set. */
  aliases: Array<string>
  /** Display title. */
  title: string
  /** Publication month, `YYYY-MM`. */
  published: string
  /** A note on the edition. */
  note: string
  /** Where the indicator definitions come from. */
  source: string
  /** Licence of the indicator definitions. */
  license: string
  /** Attribution required by the licence. */
  attribution: string
  /** Domains, in published order. */
  domains: Array<EditionDomain>
  /** Subdomains, in published order. */
  subdomains: Array<EditionSubdomain>
  /** Indicators, in published order. */
  indicators: Array<Indicator>
}

/** The transparency editions (indicator sets) the library scores in. */
export declare function editions(): Array<Edition>

/**
 * The transparency score of a record's own answers. `edition` defaults to the one the
 * record declares, else the core's default edition; an unknown one throws an
 * `ArgumentError` (`E_EDITION`).
 */
export declare function scoreRecord(record: Record, edition?: string | null): Score

/** The class names an error's `kind` can take. */
export type ErrorKind =
  | 'UmrError'
  | 'ValidationError'
  | 'ResolveError'
  | 'CycleError'
  | 'IoError'
  | 'RefusedError'
  | 'ArgumentError'
  | 'InternalError'

/** Base class of every error the library reports. */
export declare class UmrError extends Error {
  constructor(data: ErrorData)
  /** The error for an ErrorData object (as in `Resolved.error`), of the class `kind` names. */
  static fromData(data: Partial<ErrorData> & { kind: string; code: string; message: string }): UmrError
  /** The class name (`ValidationError`, …). */
  kind: ErrorKind | string
  /** Stable code, e.g. `E_SEMVER`, `E_NOT_FOUND`, `E_CYCLE`, `E_PANIC`. */
  code: string
  /** Field path of the first error diagnostic, or `null`. */
  path: string | null
  /** Line of the first error diagnostic, or `null`. */
  line: number | null
  /** Column of the first error diagnostic, or `null`. */
  column: number | null
  /** Every diagnostic (validation errors; empty otherwise). */
  diagnostics: Diagnostic[]
  /** The chain of records that led to a resolution error, or the cycle. */
  chain: string[]
}

/** A document that is not a valid record (syntax or validation errors). */
export declare class ValidationError extends UmrError {}
/** A reference or requirement that does not resolve to a record. */
export declare class ResolveError extends UmrError {}
/** A cycle in upstream relations (`chain` names it). */
export declare class CycleError extends UmrError {}
/** A file system operation that failed (not produced by this build). */
export declare class IoError extends UmrError {}
/** A refused operation (duplicate record, limit exceeded, bump too small, …). */
export declare class RefusedError extends UmrError {}
/** A bad argument to an API call. */
export declare class ArgumentError extends UmrError {}
/**
 * A bug in the library: code `E_INTERNAL`, or `E_PANIC` for a Rust panic caught at the
 * boundary (the module is then re-instantiated; an object created before it throws one
 * with code `E_STALE`).
 */
export declare class InternalError extends UmrError {}

// Types of the package entry `umr.js`: everything of the napi-generated `index.d.ts`, plus
// the error classes.

export * from './index'
import type { Diagnostic, ErrorData } from './index'

/** The text formats of `render` (`pdf` is binary). */
export type TextFormat = 'html' | 'htm' | 'md' | 'markdown' | 'tex' | 'latex' | 'svg'

// `render` returns a string for a text format and a Buffer (typed as the Uint8Array it
// extends, so these types need nothing from @types/node) for `pdf`: these overloads, merged
// into the napi-generated classes, let TypeScript pick the right one from the format.
declare module './index' {
  interface Record {
    render(format: 'pdf'): Uint8Array
    render(format: TextFormat): string
  }
  interface Registry {
    render(spec: string, format: 'pdf'): Uint8Array
    render(spec: string, format: TextFormat): string
  }
}

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
  static fromData(data: ErrorData): UmrError
  /** The class name (`ValidationError`, …). */
  kind: ErrorKind | string
  /** Stable code, e.g. `E_SEMVER`, `E_NOT_FOUND`, `E_CYCLE`. */
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
/** A file system operation that failed. */
export declare class IoError extends UmrError {}
/** A refused operation (duplicate record, limit exceeded, bump too small, …). */
export declare class RefusedError extends UmrError {}
/** A bad argument to an API call (an unknown option, format, edition, …). */
export declare class ArgumentError extends UmrError {}
/** A bug in the library: code `E_INTERNAL`, or `E_PANIC` for a Rust panic caught at the boundary. */
export declare class InternalError extends UmrError {}

// The API of the UMR WebAssembly package, shared by the Node (CommonJS) and web (ES
// module) entries: build.sh wraps this file between js/node-head.cjs / js/node-tail.cjs
// and js/web-head.mjs / js/web-tail.mjs to make `umr_wasm.js`. It defines one function,
// `createApi(raw, version, features)`, over the wasm-bindgen glue `raw` (umr_wasm_raw.js);
// `features` lists the optional parts the module was built with (`render`, `hf`, `score`).
//
// The names, shapes and error classes are those of the Node package (crates/umr-node,
// umr.js). What this file does, and nothing more:
// - every export, method and getter of the glue is wrapped so that an error thrown by
//   Rust (a JS Error carrying the core's ErrorData fields) reaches the caller as the
//   UmrError subclass its `kind` names (`toUmrError`, the one conversion);
// - a trap (a Rust panic under panic = "abort", which wasm reports as a
//   WebAssembly.RuntimeError) becomes an InternalError with code E_PANIC carrying the
//   panic message, and the module is re-instantiated so that the page or process keeps
//   working. Objects created before the reset then throw an InternalError (E_STALE);
// - arguments are adapted where the JS API differs from what wasm-bindgen can express
//   (`validate`'s options object, `Registry.fromRecords`, records-or-objects in `diff`).

/* eslint-disable no-unused-vars */
function createApi(raw, version, features) {
  'use strict'

  /** Base class of every error the library reports; carries the core's error data. */
  class UmrError extends Error {
    constructor(data) {
      super(data.message)
      this.kind = data.kind
      this.code = data.code
      this.path = data.path ?? null
      this.line = data.line ?? null
      this.column = data.column ?? null
      this.diagnostics = data.diagnostics ?? []
      this.chain = data.chain ?? []
    }

    /** The error for an ErrorData object (as in `Resolved.error`). */
    static fromData(data) {
      const Class = Object.hasOwn(ERROR_CLASSES, data.kind) ? ERROR_CLASSES[data.kind] : UmrError
      return new Class(data)
    }
  }

  /** A document that is not a valid record (syntax or validation errors). */
  class ValidationError extends UmrError {}
  /** A reference or requirement that does not resolve to a record. */
  class ResolveError extends UmrError {}
  /** A cycle in upstream relations (`chain` names it). */
  class CycleError extends UmrError {}
  /** A file system operation that failed. */
  class IoError extends UmrError {}
  /** A refused operation (duplicate record, limit exceeded, bump too small, …). */
  class RefusedError extends UmrError {}
  /** A bad argument to an API call. */
  class ArgumentError extends UmrError {}
  /** A bug in the library: code `E_INTERNAL`, or `E_PANIC` for a Rust panic caught at the boundary. */
  class InternalError extends UmrError {}

  const ERROR_CLASSES = {
    UmrError,
    ValidationError,
    ResolveError,
    CycleError,
    IoError,
    RefusedError,
    ArgumentError,
    InternalError,
  }
  for (const [name, Class] of Object.entries(ERROR_CLASSES)) {
    Object.defineProperty(Class.prototype, 'name', { value: name, writable: true, configurable: true })
  }

  // The message of the error the glue throws when an object of an instance that was reset
  // is used (wasm-bindgen's --experimental-reset-state-function).
  const STALE_MESSAGE = 'Invalid stale object from previous Wasm instance'

  function internal(code, message, cause) {
    const err = UmrError.fromData({ kind: 'InternalError', code, message })
    if (cause !== undefined) Object.defineProperty(err, 'cause', { value: cause, configurable: true, writable: true })
    return err
  }

  function isTrap(err) {
    if (typeof WebAssembly !== 'undefined' && err instanceof WebAssembly.RuntimeError) return true
    // the engine's stack overflowed inside the module (not in JavaScript)
    return err instanceof RangeError && /call stack/i.test(err.message) && /wasm:\/\/|wasm-function/.test(err.stack ?? '')
  }

  // How many times the module was re-instantiated: the glue's instance id, which every
  // object records at creation (`__wbg_inst`).
  let resets = 0

  // A trap leaves the instance unusable (its stack pointer and borrow flags are wherever
  // the panic left them): read the panic message, then start a fresh instance.
  function panicError(trap) {
    let what = null
    try {
      what = raw.__takePanic()
    } catch {
      // the trapped instance could not even answer: report the trap itself
    }
    resets += 1 // the reset counts its instance first, whatever happens next
    try {
      raw.__wbg_reset_state()
    } catch {
      // nothing more can be done; the next call reports its own error
    }
    return internal('E_PANIC', `internal error in umr (please report it): ${what ?? trap.message}`, trap)
  }

  /** The one conversion: an error from the glue becomes its UmrError class. */
  function toUmrError(err) {
    if (err instanceof UmrError) return err
    if (isTrap(err)) return panicError(err)
    if (!(err instanceof Error)) return err
    if (
      Object.hasOwn(ERROR_CLASSES, err.name) &&
      typeof err.code === 'string' &&
      Array.isArray(err.diagnostics) &&
      Array.isArray(err.chain)
    ) {
      return UmrError.fromData(err)
    }
    if (err.message === STALE_MESSAGE) {
      return internal(
        'E_STALE',
        'this object was created before the module was reset after an internal error; create it again',
        err,
      )
    }
    return err // the glue's own argument errors, or not ours
  }

  function wrapFunction(fn) {
    const wrapped = function (...args) {
      try {
        return fn.apply(this, args)
      } catch (err) {
        throw toUmrError(err)
      }
    }
    Object.defineProperty(wrapped, 'name', { value: fn.name })
    Object.defineProperty(wrapped, 'length', { value: fn.length })
    return wrapped
  }

  // `free()` of an object from before a reset must not free memory of the new instance:
  // such an object is just let go.
  function safeFree(free) {
    return function () {
      if (this.__wbg_inst !== undefined && this.__wbg_inst !== resets) {
        this.__wbg_ptr = 0
        return
      }
      free.call(this)
    }
  }

  // Wrap the methods, getters and static functions of a glue class in place, so that the
  // instances the glue creates are covered too. Internal members (`__wrap`, …) are left.
  function wrapClass(Class) {
    const free = Class.prototype.free
    if (typeof free === 'function') {
      const safe = safeFree(free)
      Object.defineProperty(Class.prototype, 'free', { value: safe, writable: true, configurable: true })
      if (typeof Symbol.dispose === 'symbol') {
        Object.defineProperty(Class.prototype, Symbol.dispose, { value: safe, writable: true, configurable: true })
      }
    }
    for (const target of [Class, Class.prototype]) {
      for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(target))) {
        if (key === 'constructor' || key === 'prototype' || key.startsWith('__') || !d.configurable) continue
        if (typeof d.value === 'function') {
          Object.defineProperty(target, key, { ...d, value: wrapFunction(d.value) })
        } else if (d.get) {
          Object.defineProperty(target, key, { ...d, get: wrapFunction(d.get) })
        }
      }
    }
    return Class
  }

  function typeError(message) {
    return new TypeError(message)
  }

  function text(value, what) {
    if (typeof value !== 'string') throw typeError(`${what} must be a string, got ${value === null ? 'null' : typeof value}`)
    return value
  }

  function optionalText(value, what) {
    return value === undefined || value === null ? undefined : text(value, what)
  }

  const Record = wrapClass(raw.Record)
  const Registry = wrapClass(raw.Registry)
  const Effective = wrapClass(raw.Effective)
  wrapClass(raw.__RegistryBuilder)

  // Text arguments are checked here: the glue would otherwise turn a number into its text.
  for (const name of ['fromYaml', 'fromJson']) {
    const inner = Record[name]
    Object.defineProperty(Record, name, {
      value: function (source, file) {
        return inner.call(this, text(source, 'text'), optionalText(file, 'file'))
      },
      writable: true,
      configurable: true,
    })
  }

  /** A registry of records in memory (the records stay usable). */
  Object.defineProperty(Registry, 'fromRecords', {
    value: wrapFunction(function fromRecords(records) {
      if (records === null || typeof records !== 'object' || typeof records[Symbol.iterator] !== 'function') {
        throw typeError('records must be an array of Record')
      }
      const builder = new raw.__RegistryBuilder()
      let i = 0
      try {
        for (const r of records) {
          if (!(r instanceof Record)) {
            throw ArgumentError.fromData({
              kind: 'ArgumentError',
              code: 'E_ARGUMENT',
              message: `records[${i}] is not a Record`,
            })
          }
          builder.add(r)
          i += 1
        }
      } catch (err) {
        if (!isTrap(err)) builder.free()
        throw err
      }
      return builder.build() // consumes the builder
    }),
    writable: true,
    configurable: true,
  })

  // A Record or a plain object, as JSON text (a Record's own canonical JSON keeps its key
  // order exactly).
  function recordText(value, what) {
    if (value instanceof Record) return value.toJson()
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw typeError(`${what} must be a Record or an object`)
    }
    return JSON.stringify(value)
  }

  /**
   * Check a document and return every diagnostic, errors and warnings, located. Never
   * throws for a bad document (only for a bad `syntax` option).
   */
  const validate = wrapFunction(function validate(source, options) {
    const o = options ?? {}
    if (typeof o !== 'object') throw typeError('options must be an object')
    return raw.validate(text(source, 'text'), optionalText(o.syntax, 'options.syntax'), optionalText(o.file, 'options.file'))
  })

  /** The structured diff between two records (`Record`s or plain objects). */
  const diff = wrapFunction(function diff(oldRecord, newRecord) {
    return raw.diff(recordText(oldRecord, 'oldRecord'), recordText(newRecord, 'newRecord'))
  })

  /** The smallest semver bump that going from `oldRecord` to `newRecord` requires. */
  const requiredBump = wrapFunction(function requiredBump(oldRecord, newRecord) {
    return raw.requiredBump(recordText(oldRecord, 'oldRecord'), recordText(newRecord, 'newRecord'))
  })

  // A part the module was built without: its functions say so when called.
  function unsupported(what, feature) {
    return function () {
      throw ArgumentError.fromData({
        kind: 'ArgumentError',
        code: 'E_UNSUPPORTED',
        message: `${what} is not in this build of the package (built without the \`${feature}\` feature)`,
      })
    }
  }
  function ensure(target, name, what, feature) {
    if (typeof target[name] !== 'function') {
      Object.defineProperty(target, name, { value: unsupported(what, feature), writable: true, configurable: true })
    }
  }
  ensure(Record.prototype, 'render', 'rendering', 'render')
  ensure(Registry.prototype, 'render', 'rendering', 'render')
  ensure(Registry.prototype, 'exportHf', 'Hugging Face card export', 'hf')
  ensure(Registry.prototype, 'score', 'transparency scoring', 'score')

  /** The transparency editions (indicator sets) the library scores in. */
  const editions = typeof raw.editions === 'function' ? wrapFunction(raw.editions) : unsupported('transparency scoring', 'score')

  /** The transparency score of a record's own answers (`edition`: default the record's own, else the core's default). */
  const scoreRecord = typeof raw.scoreRecord === 'function'
    ? wrapFunction(function scoreRecord(record, edition) {
      if (!(record instanceof Record)) throw typeError('record must be a Record')
      return raw.scoreRecord(record, optionalText(edition, 'edition'))
    })
    : unsupported('transparency scoring', 'score')

  /**
   * Import a Hugging Face card (`README.md`: YAML front matter + Markdown body) into a
   * record: `{ record, warnings }`. Options: `name`, `version`, `kind`, `file`.
   */
  const importHfCard = wrapFunction(function importHfCard(source, options) {
    if (typeof raw.__importHfCard !== 'function') unsupported('Hugging Face card import', 'hf')()
    const o = options ?? {}
    if (typeof o !== 'object') throw typeError('options must be an object')
    return raw.__importHfCard(
      text(source, 'text'),
      optionalText(o.name, 'options.name'),
      optionalText(o.version, 'options.version'),
      optionalText(o.kind, 'options.kind'),
      optionalText(o.file, 'options.file'),
    )
  })

  /** A record (`Record` or plain object) as a Hugging Face card `README.md`. */
  const exportHfCard = wrapFunction(function exportHfCard(record) {
    if (typeof raw.__exportHfCard !== 'function') unsupported('Hugging Face card export', 'hf')()
    return raw.__exportHfCard(recordText(record, 'record'))
  })

  // Test hook: a deliberate Rust panic (see docs/wasm.md).
  const __debugPanic = wrapFunction(function __debugPanic() {
    return raw.__debugPanic()
  })

  // The classes have no public constructor (objects come from the factories); `new` says
  // which factory to use instead of making an object without a Rust value behind it.
  function factoriesOnly(Class, hint) {
    return new Proxy(Class, {
      construct() {
        throw typeError(`${Class.name} has no public constructor: ${hint}`)
      },
    })
  }

  return {
    VERSION: version,
    FEATURES: Object.freeze([...features]),
    validate,
    diff,
    requiredBump,
    importHfCard,
    exportHfCard,
    editions,
    scoreRecord,
    Record: factoriesOnly(Record, 'use Record.fromYaml, Record.fromJson or Record.fromObject'),
    Registry: factoriesOnly(Registry, 'use Registry.fromRecords(records) (this build reads no folders)'),
    Effective: factoriesOnly(Effective, 'use registry.resolve(spec)'),
    __debugPanic,
    ...ERROR_CLASSES,
  }
}

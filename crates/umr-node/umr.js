'use strict'
// @umr/node — Unified Model Records for Node.js.
//
// The package entry. It re-exports the native addon (loaded by the napi-generated
// `index.js`) and adds the error classes. The addon reports every failure as an `Error`
// whose message is ERROR_MARK followed by the core's ErrorData as JSON; every exported
// function, method, getter, constructor and promise is wrapped here so that such an error
// reaches the caller as the UmrError subclass its `kind` names (`toUmrError`). There is no
// other logic in this file.

const native = require('./index.js')

// Keep in sync with `ERROR_MARK` in src/error.rs.
const ERROR_MARK = 'umr-error-data:'

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

/** The one conversion: a native error carrying ErrorData becomes its UmrError class. */
function toUmrError(err) {
  if (!(err instanceof Error) || typeof err.message !== 'string' || !err.message.startsWith(ERROR_MARK)) {
    return err // napi's own argument conversion errors, or not ours
  }
  let data
  try {
    data = JSON.parse(err.message.slice(ERROR_MARK.length))
  } catch {
    return err
  }
  return UmrError.fromData(data)
}

function rethrow(err) {
  throw toUmrError(err)
}

function wrapFunction(fn) {
  const wrapped = function (...args) {
    let result
    try {
      result = fn.apply(this, args)
    } catch (err) {
      rethrow(err)
    }
    return result instanceof Promise ? result.catch(rethrow) : result
  }
  Object.defineProperty(wrapped, 'name', { value: fn.name })
  Object.defineProperty(wrapped, 'length', { value: fn.length })
  return wrapped
}

// A native class, wrapped: the methods and getters of its prototype in place (so that the
// instances the addon creates are covered too), its static functions and its constructor in
// a subclass that keeps `instanceof` true for every instance of the native class.
function wrapClass(Native) {
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(Native.prototype))) {
    if (key === 'constructor' || !d.configurable) continue
    if (typeof d.value === 'function') {
      Object.defineProperty(Native.prototype, key, { ...d, value: wrapFunction(d.value) })
    } else if (d.get) {
      Object.defineProperty(Native.prototype, key, { ...d, get: wrapFunction(d.get) })
    }
  }
  const Wrapped = class extends Native {
    constructor(...args) {
      try {
        super(...args)
      } catch (err) {
        rethrow(err)
      }
    }

    static [Symbol.hasInstance](value) {
      return value instanceof Native
    }
  }
  Object.defineProperty(Wrapped, 'name', { value: Native.name })
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(Native))) {
    if (key !== 'prototype' && typeof d.value === 'function') {
      Object.defineProperty(Wrapped, key, { value: wrapFunction(d.value), writable: true, configurable: true })
    }
  }
  return Wrapped
}

const api = {}
for (const [name, value] of Object.entries(native)) {
  if (typeof value !== 'function') api[name] = value
  else if (/^[A-Z]/.test(name)) api[name] = wrapClass(value)
  else api[name] = wrapFunction(value)
}

module.exports = { ...api, ...ERROR_CLASSES }

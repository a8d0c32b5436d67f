
const api = createApi(raw, '@UMR_VERSION@', @UMR_FEATURES@)

/**
 * Fetch and instantiate the module. `options` is wasm-bindgen's: `{ module_or_path }` (a
 * URL, Response, BufferSource or WebAssembly.Module; default: umr_wasm_raw_bg.wasm next
 * to this file). Call it once before anything else; later calls do nothing.
 */
export default async function init(options) {
  await raw.default(options)
}

/** Instantiate synchronously from `{ module }` (a BufferSource or WebAssembly.Module). */
export function initSync(options) {
  raw.initSync(options)
}

export const {
  VERSION,
  FEATURES,
  validate,
  diff,
  requiredBump,
  importHfCard,
  exportHfCard,
  editions,
  scoreRecord,
  Record,
  Registry,
  Effective,
  UmrError,
  ValidationError,
  ResolveError,
  CycleError,
  IoError,
  RefusedError,
  ArgumentError,
  InternalError,
  __debugPanic,
} = api

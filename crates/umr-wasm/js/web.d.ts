
// ---- web build only ---------------------------------------------------------------------

/** What `init` accepts (wasm-bindgen's): where to get the module from. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module

/**
 * Fetch and instantiate the module; call it once before anything else (later calls do
 * nothing). Default: `umr_wasm_raw_bg.wasm` next to `umr_wasm.js`.
 */
export default function init(options?: { module_or_path?: InitInput | Promise<InitInput> }): Promise<void>

/** Instantiate synchronously. */
export declare function initSync(options: { module: BufferSource | WebAssembly.Module }): void

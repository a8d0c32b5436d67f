// Compiled with `tsc --noEmit` (strict, DOM types) by scripts/test.d/70-wasm.sh: the web
// build's types (crates/umr-wasm/pkg/web/umr_wasm.d.ts) as a page would use them.

import init, { initSync, validate, Record, Registry, UmrError, VERSION } from '../../../crates/umr-wasm/pkg/web/umr_wasm.js'

async function main(): Promise<void> {
  await init()
  await init({ module_or_path: new URL('umr_wasm_raw_bg.wasm', 'https://example.invalid/pkg/') })
  initSync({ module: new Uint8Array(8) })
  const diags = validate('kind: model', { syntax: 'yaml' })
  const rec = Record.fromYaml("format_version: '1.0'\nkind: model\nname: x\nversion: 1.0.0\n")
  const reg = Registry.fromRecords([rec])
  const html: string = reg.render(rec.id, 'html')
  try {
    reg.resolve('missing')
  } catch (err) {
    if (err instanceof UmrError) document.title = `${err.code} ${diags.length} ${html.length} ${VERSION}`
  }
}

void main()

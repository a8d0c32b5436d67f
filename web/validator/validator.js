// The UMR record validator: a static page over the WebAssembly package (./pkg/, a copy of
// crates/umr-wasm/pkg/web made by crates/umr-wasm/build.sh). No server, no request leaves
// the page's origin. All checking, rendering and graph drawing is the library's; this file
// only wires the editor to it.

import init, * as umr from './pkg/umr_wasm.js'

const SAMPLE = `format_version: '1.0'
kind: model
name: my-model
version: 1.0.0
title: My model
description: A short description of the model.
license: Apache-2.0
card:
  intended_use: Research on text classification.
  limitations: English text only.
`

const $ = (id) => document.getElementById(id)
const el = {
  status: $('status'),
  app: $('app'),
  version: $('version'),
  docList: $('doc-list'),
  newDoc: $('new-doc'),
  openFiles: $('open-files'),
  docName: $('doc-name'),
  docSyntax: $('doc-syntax'),
  cardName: $('card-name'),
  cardNameLabel: $('card-name-label'),
  removeDoc: $('remove-doc'),
  gutter: $('gutter'),
  source: $('source'),
  problems: $('problems'),
  cardNote: $('card-note'),
  cardFrame: $('card-frame'),
  normalised: $('normalised'),
  copy: $('copy-normalised'),
  download: $('download-normalised'),
  lineageNote: $('lineage-note'),
  lineageGraph: $('lineage-graph'),
  lineageMermaid: $('lineage-mermaid'),
  lineageProblems: $('lineage-problems'),
  overlay: $('drop-overlay'),
}

/** @type {{docs: Array<Doc>, current: number, nextId: number}} */
const state = { docs: [], current: 0, nextId: 1 }

/**
 * @typedef {object} Doc
 * @property {number} id
 * @property {string} name      file name (used in diagnostics and to detect the syntax)
 * @property {string} text
 * @property {string} syntax    'auto' | 'yaml' | 'json' | 'card'
 * @property {string} cardName  record name for a model card (empty: the importer's default)
 * @property {Result|null} result
 *
 * @typedef {object} Result
 * @property {string} mode      'yaml' | 'json' | 'card'
 * @property {Array<object>} diagnostics
 * @property {object|null} record   an umr.Record when the document is valid
 */

// ---- checking --------------------------------------------------------------------------

/** How to read a document: the user's choice, else by file name, else by content. */
function modeOf(doc) {
  if (doc.syntax !== 'auto') return doc.syntax
  const name = doc.name.toLowerCase()
  if (name.endsWith('.md') || name.endsWith('.markdown')) return 'card'
  if (name.endsWith('.json')) return 'json'
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'yaml'
  // YAML front matter followed by a Markdown body: a model card
  const m = /^\uFEFF?---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n([\s\S]*))?$/.exec(doc.text)
  if (m && (m[1] ?? '').trim() !== '') return 'card'
  const first = doc.text.replace(/^\uFEFF/, '').trimStart()[0]
  return first === '{' || first === '[' ? 'json' : 'yaml'
}

/** An UmrError without diagnostics, as one diagnostic. */
function asDiagnostic(err) {
  return {
    file: null,
    path: err.path ?? '',
    line: err.line ?? null,
    column: err.column ?? null,
    code: err.code ?? 'E_INTERNAL',
    severity: 'error',
    message: err.message,
    help: null,
  }
}

function fromError(err) {
  if (!(err instanceof umr.UmrError)) throw err
  return err.diagnostics.length ? err.diagnostics : [asDiagnostic(err)]
}

/** Check one document: diagnostics and, when it is valid, the record. */
function check(doc) {
  const mode = modeOf(doc)
  const file = doc.name.trim() || null
  if (mode === 'card') {
    try {
      const { record, warnings } = umr.importHfCard(doc.text, { file, name: doc.cardName.trim() || null })
      return { mode, diagnostics: warnings, record }
    } catch (err) {
      return { mode, diagnostics: fromError(err), record: null }
    }
  }
  let diagnostics
  try {
    diagnostics = umr.validate(doc.text, { syntax: mode, file })
  } catch (err) {
    return { mode, diagnostics: fromError(err), record: null }
  }
  let record = null
  if (!diagnostics.some((d) => d.severity === 'error')) {
    try {
      record = mode === 'json' ? umr.Record.fromJson(doc.text, file) : umr.Record.fromYaml(doc.text, file)
    } catch (err) {
      diagnostics = diagnostics.concat(fromError(err))
    }
  }
  return { mode, diagnostics, record }
}

function recheck(doc) {
  const old = doc.result?.record
  doc.result = check(doc)
  if (old) old.free()
}

// ---- the registry of every valid document ----------------------------------------------

/**
 * Registry over the valid documents. When two documents hold the same name and version,
 * the one being edited wins, else the first.
 */
function buildRegistry() {
  const seen = new Map()
  const duplicates = []
  const order = [current(), ...state.docs.filter((d) => d !== current())]
  for (const doc of order) {
    const rec = doc.result?.record
    if (!rec) continue
    if (seen.has(rec.id)) duplicates.push(`${rec.id} (${doc.name || 'untitled'})`)
    else seen.set(rec.id, rec)
  }
  if (seen.size === 0) return { registry: null, duplicates }
  try {
    return { registry: umr.Registry.fromRecords([...seen.values()]), duplicates }
  } catch (err) {
    return { registry: null, duplicates, error: fromError(err)[0] }
  }
}

// ---- rendering the page ------------------------------------------------------------------

function current() {
  return state.docs[state.current]
}

function text(node, value) {
  node.textContent = value
}

function counts(diags) {
  const errors = diags.filter((d) => d.severity === 'error').length
  return { errors, warnings: diags.length - errors }
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function docLabel(doc) {
  const rec = doc.result?.record
  if (rec) return rec.id
  return doc.name.trim() || 'untitled'
}

function renderDocList() {
  el.docList.replaceChildren(
    ...state.docs.map((doc, i) => {
      const li = document.createElement('li')
      const b = document.createElement('button')
      b.type = 'button'
      const { errors, warnings } = counts(doc.result?.diagnostics ?? [])
      b.className = errors ? 'bad' : warnings ? 'warn' : 'good'
      b.setAttribute('aria-current', i === state.current ? 'true' : 'false')
      const mark = document.createElement('span')
      mark.className = 'mark'
      text(mark, errors ? '✖' : warnings ? '!' : '✔')
      const label = document.createElement('span')
      text(label, docLabel(doc))
      b.append(mark, label)
      b.title = errors ? plural(errors, 'error') : warnings ? plural(warnings, 'warning') : 'valid'
      b.addEventListener('click', () => select(i))
      li.append(b)
      return li
    }),
  )
}

/** Line numbers, with a marker on every line that has a problem. */
function renderGutter(doc) {
  const lines = doc.text.split('\n').length
  const byLine = new Map()
  for (const d of doc.result?.diagnostics ?? []) {
    if (d.line == null) continue
    const list = byLine.get(d.line) ?? []
    list.push(d)
    byLine.set(d.line, list)
  }
  const rows = []
  for (let n = 1; n <= lines; n++) {
    const row = document.createElement('div')
    row.dataset.line = String(n)
    text(row, String(n))
    const list = byLine.get(n)
    if (list) {
      row.className = list.some((d) => d.severity === 'error') ? 'err' : 'warn'
      row.title = list.map((d) => `${d.code}: ${d.message}`).join('\n')
    }
    rows.push(row)
  }
  // problems located past the end of the text (e.g. at end of input)
  for (const [line, list] of byLine) {
    if (line > lines) rows[rows.length - 1].className = list.some((d) => d.severity === 'error') ? 'err' : 'warn'
  }
  el.gutter.replaceChildren(...rows)
  el.gutter.scrollTop = el.source.scrollTop
}

function where(d) {
  if (d.line == null) return ''
  return d.column == null ? `${d.line}` : `${d.line}:${d.column}`
}

function problemItem(d, onClick) {
  const li = document.createElement('li')
  li.className = d.severity === 'error' ? 'err' : 'warn'
  if (d.line != null) li.dataset.line = String(d.line)
  if (d.column != null) li.dataset.column = String(d.column)
  li.dataset.code = d.code
  const head = document.createElement(onClick ? 'button' : 'span')
  if (onClick) {
    head.type = 'button'
    head.addEventListener('click', onClick)
  }
  head.className = 'where'
  text(head, `${d.severity === 'error' ? '✖' : '!'} ${where(d) || '—'}`)
  const code = document.createElement('code')
  text(code, d.code)
  const msg = document.createElement('span')
  msg.className = 'msg'
  text(msg, d.path ? `${d.path}: ${d.message}` : d.message)
  li.append(head, ' ', code, ' ', msg)
  if (d.help) {
    const help = document.createElement('span')
    help.className = 'help'
    text(help, d.help)
    li.append(' ', help)
  }
  return li
}

function renderProblems(doc) {
  const diags = doc.result?.diagnostics ?? []
  if (diags.length === 0) {
    const li = document.createElement('li')
    li.className = 'ok'
    text(li, doc.text.trim() ? 'No problems.' : 'Type or paste a record.')
    el.problems.replaceChildren(li)
    return
  }
  el.problems.replaceChildren(...diags.map((d) => problemItem(d, d.line != null ? () => goTo(d.line, d.column) : null)))
}

function renderStatus(doc) {
  const { errors, warnings } = counts(doc.result?.diagnostics ?? [])
  const rec = doc.result?.record
  el.status.className = `status ${errors ? 'bad' : warnings ? 'warn' : 'good'}`
  if (errors) text(el.status, `✖ ${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''}`)
  else if (rec) {
    const from = doc.result.mode === 'card' ? ' (imported from a model card)' : ''
    text(el.status, `✔ valid ${rec.kind} record ${rec.id}${from}${warnings ? ` — ${plural(warnings, 'warning')}` : ''}`)
  } else text(el.status, 'Empty document')
}

function normalisedFormat() {
  return document.querySelector('input[name="norm-format"]:checked')?.value ?? 'yaml'
}

function renderNormalised(doc) {
  const rec = doc.result?.record
  el.copy.disabled = el.download.disabled = !rec
  text(el.normalised, rec ? (normalisedFormat() === 'json' ? rec.toJson() : rec.toYaml()) : 'Fix the problems to see the normalised record.')
}

function escapeAttr(value) {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * Put a document in the card frame: a record's card, or an empty page when there is none
 * (`id` ''). The frame is never hidden (`display: none`): Chromium renders the sandboxed
 * frame in a process of its own, and a frame made visible again in the same task that
 * navigates it could keep its new document unlaid out, a blank card for good. Which card
 * is shown, for scripts and tests: the frame's `data-card` (the record id, '' for none) and
 * `data-card-n` (a counter of the documents put in), and the same two in the document's
 * `<meta name="umr-card" content="ID" data-n="N">` once it has loaded. Links open in a new
 * tab (the frame is sandboxed).
 */
let cardCount = 0
function showCard(id, html) {
  cardCount += 1
  const marker = `<meta name="umr-card" content="${escapeAttr(id)}" data-n="${cardCount}"><base target="_blank">`
  const doc = /<head>/i.test(html)
    ? html.replace(/<head>/i, `<head>${marker}`)
    : `<!doctype html><html><head><meta charset="utf-8">${marker}</head><body></body></html>`
  el.cardFrame.classList.toggle('empty', id === '')
  el.cardFrame.dataset.card = id
  el.cardFrame.dataset.cardN = String(cardCount)
  el.cardFrame.srcdoc = doc
}

function renderCard(doc, reg) {
  const rec = doc.result?.record
  if (!rec) {
    text(el.cardNote, 'Fix the problems to see the rendered card.')
    showCard('', '')
    return
  }
  let html = null
  let note = 'The card of this record alone.'
  if (reg.registry) {
    try {
      html = reg.registry.render(rec.id, 'html')
      note = state.docs.filter((d) => d.result?.record).length > 1
        ? 'The card of the effective record: inherited fields come from the other documents.'
        : 'The card of this record.'
    } catch (err) {
      if (!(err instanceof umr.UmrError)) throw err
      note = `Showing this record's own fields: ${err.message}`
    }
  }
  if (html === null) html = rec.render('html')
  text(el.cardNote, note)
  showCard(rec.id, html)
}

function renderLineage(doc, reg) {
  const rec = doc.result?.record
  el.lineageGraph.replaceChildren()
  text(el.lineageMermaid, '')
  const problems = []
  if (reg.error) problems.push(reg.error)
  for (const dup of reg.duplicates) {
    problems.push({ severity: 'warning', code: 'W_DUPLICATE', path: '', line: null, column: null, message: `${dup} is defined twice; the document being edited (or else the first) is used`, help: null })
  }
  if (!rec || !reg.registry) {
    text(el.lineageNote, rec ? 'The lineage cannot be computed.' : 'Fix the problems to see the lineage.')
    el.lineageProblems.replaceChildren(...problems.map((d) => problemItem(d, null)))
    return
  }
  try {
    const svg = reg.registry.lineage(rec.id, 'svg')
    const img = document.createElement('img')
    img.alt = `Lineage of ${rec.id}`
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
    el.lineageGraph.append(img)
    text(el.lineageMermaid, reg.registry.lineage(rec.id, 'mermaid'))
    const lin = reg.registry.lineage(rec.id)
    const n = lin.ancestors.length + lin.descendants.length
    text(el.lineageNote, n
      ? `${rec.id}: ${plural(lin.ancestors.length, 'upstream record')}, ${plural(lin.descendants.length, 'downstream record')} among the documents.`
      : `${rec.id} has no upstream or downstream record among the documents. Add more documents to see the graph grow.`)
    try {
      reg.registry.resolve(rec.id)
    } catch (err) {
      problems.push(...fromError(err).map((d) => ({ ...d, severity: 'warning' })))
    }
  } catch (err) {
    problems.push(...fromError(err))
    text(el.lineageNote, 'The lineage cannot be computed.')
  }
  el.lineageProblems.replaceChildren(...problems.map((d) => problemItem(d, null)))
}

let registryCache = null
function registry() {
  if (registryCache === null) registryCache = buildRegistry()
  return registryCache
}
function invalidateRegistry() {
  registryCache?.registry?.free()
  registryCache = null
}

function renderOutputs() {
  const doc = current()
  const reg = registry()
  renderCard(doc, reg)
  renderNormalised(doc)
  renderLineage(doc, reg)
}

function renderAll() {
  const doc = current()
  el.cardNameLabel.hidden = doc.result?.mode !== 'card'
  renderDocList()
  renderGutter(doc)
  renderProblems(doc)
  renderStatus(doc)
  renderOutputs()
}

/** Check every document again (after the module was reset by an internal error). */
function recheckAll() {
  for (const doc of state.docs) recheck(doc)
  invalidateRegistry()
}

function report(err) {
  el.status.className = 'status bad'
  text(el.status, `Internal error: ${err.message}`)
  console.error(err)
}

/**
 * Run a page update. After an internal error the module starts afresh and the records made
 * before it are gone (E_STALE): make them again and retry once.
 */
function guarded(fn) {
  try {
    fn()
  } catch (err) {
    if (!(err instanceof umr.UmrError) || (err.code !== 'E_STALE' && err.code !== 'E_PANIC')) {
      report(err)
      return
    }
    try {
      recheckAll()
      fn()
    } catch (again) {
      report(again)
    }
  }
}

// ---- editing ---------------------------------------------------------------------------------

/** Put the caret at a 1-based line and column (columns count characters, not UTF-16 units). */
function goTo(line, column) {
  const lines = el.source.value.split('\n')
  let offset = 0
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1
  const chars = Array.from(lines[Math.min(line - 1, lines.length - 1)] ?? '')
  offset += chars.slice(0, Math.max(0, (column ?? 1) - 1)).join('').length
  el.source.focus()
  el.source.setSelectionRange(offset, offset)
  const lineHeight = parseFloat(getComputedStyle(el.source).lineHeight) || 18
  el.source.scrollTop = Math.max(0, (line - 3) * lineHeight)
}

let timer = 0
function onEdit() {
  const doc = current()
  doc.text = el.source.value
  clearTimeout(timer)
  // validate as you type; a short pause keeps fast typing smooth on big documents. While a
  // check is scheduled the editor carries `data-pending` (what is shown is not yet of this text)
  el.source.dataset.pending = 'true'
  timer = setTimeout(() => {
    guarded(() => {
      recheck(doc)
      invalidateRegistry()
      renderAll()
    })
    delete el.source.dataset.pending
  }, doc.text.length > 20000 ? 250 : 60)
  renderGutterLinesOnly(doc)
}

/** Keep line numbers in step while typing, before the next check. */
function renderGutterLinesOnly(doc) {
  const lines = doc.text.split('\n').length
  if (el.gutter.childElementCount !== lines) renderGutter(doc)
}

function select(i) {
  state.current = i
  invalidateRegistry()
  const doc = current()
  el.source.value = doc.text
  el.docName.value = doc.name
  el.docSyntax.value = doc.syntax
  el.cardName.value = doc.cardName
  el.source.scrollTop = 0
  guarded(renderAll)
}

function addDoc(name, textValue, syntax = 'auto') {
  const doc = { id: state.nextId++, name, text: textValue, syntax, cardName: '', result: null }
  recheck(doc)
  state.docs.push(doc)
  return state.docs.length - 1
}

async function openFiles(files) {
  const list = [...files]
  if (list.length === 0) return
  // an untouched empty document is replaced
  const only = state.docs.length === 1 && state.docs[0].text.trim() === '' ? state.docs[0] : null
  let first = -1
  for (const f of list) {
    const body = await f.text()
    const i = addDoc(f.name, body)
    if (first < 0) first = i
  }
  if (only) {
    state.docs.splice(state.docs.indexOf(only), 1)
    only.result?.record?.free()
    first -= 1
  }
  invalidateRegistry()
  select(first)
}

function wire() {
  el.source.addEventListener('input', onEdit)
  el.source.addEventListener('scroll', () => {
    el.gutter.scrollTop = el.source.scrollTop
  })
  el.source.addEventListener('keydown', (e) => {
    // Tab inserts two spaces (YAML has no tabs)
    if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault()
      const { selectionStart: s, selectionEnd: t, value } = el.source
      el.source.value = value.slice(0, s) + '  ' + value.slice(t)
      el.source.setSelectionRange(s + 2, s + 2)
      onEdit()
    }
  })
  el.docName.addEventListener('input', () => {
    current().name = el.docName.value
    guarded(() => {
      recheck(current())
      invalidateRegistry()
      renderAll()
    })
  })
  el.cardName.addEventListener('input', () => {
    current().cardName = el.cardName.value
    guarded(() => {
      recheck(current())
      invalidateRegistry()
      renderAll()
    })
  })
  el.docSyntax.addEventListener('change', () => {
    current().syntax = el.docSyntax.value
    guarded(() => {
      recheck(current())
      invalidateRegistry()
      renderAll()
    })
  })
  el.newDoc.addEventListener('click', () => {
    select(addDoc('', ''))
    el.source.focus()
  })
  el.removeDoc.addEventListener('click', () => {
    const [gone] = state.docs.splice(state.current, 1)
    gone.result?.record?.free()
    if (state.docs.length === 0) addDoc('', '')
    invalidateRegistry()
    select(Math.min(state.current, state.docs.length - 1))
  })
  el.openFiles.addEventListener('change', () => {
    openFiles(el.openFiles.files).finally(() => {
      el.openFiles.value = ''
    })
  })
  for (const r of document.querySelectorAll('input[name="norm-format"]')) {
    r.addEventListener('change', () => guarded(() => renderNormalised(current())))
  }
  el.copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(el.normalised.textContent)
      text(el.copy, 'Copied')
    } catch {
      text(el.copy, 'Copy failed')
    }
    setTimeout(() => text(el.copy, 'Copy'), 1500)
  })
  el.download.addEventListener('click', () => {
    const rec = current().result?.record
    if (!rec) return
    // the text shown is the record's normalised form: save exactly that
    const json = normalisedFormat() === 'json'
    const blob = new Blob([el.normalised.textContent], { type: json ? 'application/json' : 'application/yaml' })
    const a = document.createElement('a')
    a.href = URL.createObjectURL(blob)
    a.download = `${(el.docName.value.trim() || 'record').replace(/\.[^.]*$/, '').split('/').pop()}.normalised.${json ? 'json' : 'yaml'}`
    a.click()
    setTimeout(() => URL.revokeObjectURL(a.href), 1000)
  })
  // tabs
  const tabs = [...document.querySelectorAll('[role="tab"]')]
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      for (const t of tabs) {
        const on = t === tab
        t.setAttribute('aria-selected', String(on))
        $(t.getAttribute('aria-controls')).hidden = !on
      }
    })
  }
  // drop files anywhere
  let depth = 0
  document.addEventListener('dragenter', (e) => {
    if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return
    depth += 1
    el.overlay.hidden = false
  })
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1)
    if (depth === 0) el.overlay.hidden = true
  })
  document.addEventListener('dragover', (e) => e.preventDefault())
  document.addEventListener('drop', (e) => {
    e.preventDefault()
    depth = 0
    el.overlay.hidden = true
    if (e.dataTransfer?.files?.length) openFiles(e.dataTransfer.files)
  })
}

async function main() {
  try {
    await init()
  } catch (err) {
    el.status.className = 'status bad'
    text(el.status, `The WebAssembly module could not be loaded: ${err.message}`)
    return
  }
  text(el.version, `umr ${umr.VERSION} (WebAssembly)`)
  addDoc('my-model.yaml', SAMPLE)
  wire()
  el.app.hidden = false
  select(0)
  document.documentElement.dataset.ready = 'true'
}

main()

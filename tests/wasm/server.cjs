'use strict'
// A tiny static file server for the browser tests (and for trying the validator page):
// GET/HEAD only, 127.0.0.1 only, files under one folder only, the right media types
// (application/wasm for the module). No directory listings.
//
//   node tests/wasm/server.cjs [folder] [port]     (default: web/validator, a free port)

const http = require('node:http')
const fs = require('node:fs')
const path = require('node:path')

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
  '.yaml': 'application/yaml',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * Serve `root` on 127.0.0.1. Resolves to `{ url, requests, close() }`; `requests` lists
 * every path asked for (a test can check that nothing unexpected was fetched).
 */
function serve(root, port = 0) {
  const base = fs.realpathSync(root)
  const requests = []
  const server = http.createServer((req, res) => {
    requests.push(req.url)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    let rel
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname)
    } catch {
      res.writeHead(400).end()
      return
    }
    if (rel.endsWith('/')) rel += 'index.html'
    const file = path.resolve(base, `.${rel}`)
    let real
    try {
      real = fs.realpathSync(file)
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
      return
    }
    if ((real !== base && !real.startsWith(base + path.sep)) || !fs.statSync(real).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
      return
    }
    const body = fs.readFileSync(real)
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address()
      resolve({
        url: `http://127.0.0.1:${p}/`,
        requests,
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
  })
}

module.exports = { serve }

if (require.main === module) {
  const root = process.argv[2] ?? path.join(__dirname, '..', '..', 'web', 'validator')
  serve(root, Number(process.argv[3] ?? 0)).then(({ url }) => {
    console.log(`serving ${path.resolve(root)} at ${url} (Ctrl-C to stop)`)
  })
}

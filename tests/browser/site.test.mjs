// The static site of `umr site` in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core): every page loads without console errors, no request leaves
// 127.0.0.1, every link resolves (pages, fragments and downloads; the whole site is
// crawled), search and filters work, dark and print styles apply, and injection payloads
// stay text. Sites built: the example registry, the injection registry, the project's own
// registry in the prototype's dialect (tests/fixtures/legacy-registry) and, when present, the
// prototype's records of the corpus tier ($UMR_CORPUS/modelrecords-poc, else
// ../shared/corpus/…; skipped with the reason otherwise).
//
// Env: UMR_BIN (else $CARGO_TARGET_DIR/debug/umr, else the target folder `cargo metadata`
// reports), UMR_CORPUS, UMR_SCREENSHOTS=<dir> to save screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";

const REPO = resolve(new URL("../..", import.meta.url).pathname);
const SHOTS = process.env.UMR_SCREENSHOTS || "";
const CORPUS = resolve(REPO, process.env.UMR_CORPUS || "../shared/corpus", "modelrecords-poc");
const LEGACY_FIXTURE = join(REPO, "tests/fixtures/legacy-registry");

/** The `umr` binary: $UMR_BIN, $CARGO_TARGET_DIR/debug/umr, or cargo's target folder. */
function umrBin() {
  if (process.env.UMR_BIN) return resolve(REPO, process.env.UMR_BIN);
  if (process.env.CARGO_TARGET_DIR) return resolve(REPO, process.env.CARGO_TARGET_DIR, "debug/umr");
  const meta = execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return join(JSON.parse(meta).target_directory, "debug/umr");
}
const UMR = umrBin();

const work = mkdtempSync(join(tmpdir(), "umr-browser-"));
let context;

function build(registry, name, title) {
  const out = join(work, name);
  execFileSync(UMR, ["site", "--registry", registry, "--out", out, "--title", title], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  return out;
}

before(async () => {
  context = await chromium.launchPersistentContext(join(work, "profile"), {
    headless: true,
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
});

after(async () => {
  if (context) await context.close();
  rmSync(work, { recursive: true, force: true });
});

/** Open a page that records console errors, page errors, dialogs and outside requests. */
async function watchedPage(base) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", async (d) => {
    problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  await page.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(base + "/") || u.startsWith("data:")) return route.continue();
    problems.push(`outside request: ${u}`);
    return route.abort();
  });
  return { page, problems };
}

/** Crawl a site from index.html: every page, fragment and download must resolve. */
async function crawl(base) {
  const { page, problems } = await watchedPage(base);
  const queue = [`${base}/index.html`];
  const seen = new Set(queue);
  const files = new Set();
  const fragments = []; // [pageUrl, id, from]
  const pageIds = new Map();
  let pages = 0;
  while (queue.length) {
    const url = queue.shift();
    const t0 = Date.now();
    const resp = await page.goto(url, { waitUntil: "load" });
    assert.equal(resp.status(), 200, `${url} status`);
    pages += 1;
    const info = await page.evaluate(() => ({
      pwned: window.__pwned,
      ids: Array.from(document.querySelectorAll("[id]"), (e) => e.id),
      links: Array.from(document.querySelectorAll("a"), (a) => a.getAttribute("href")).filter(
        (h) => h !== null,
      ),
    }));
    assert.equal(info.pwned, undefined, `${url}: a payload ran`);
    pageIds.set(url, new Set(info.ids));
    if (process.env.UMR_DEBUG) console.log("crawl", url, Date.now() - t0, "ms");
    for (const href of info.links) {
      const abs = new URL(href, url);
      if (abs.protocol === "mailto:" || (abs.origin !== base && /^https?:$/.test(abs.protocol))) {
        continue; // an external reference from a record: never requested
      }
      assert.equal(abs.origin, base, `${url}: link ${href} leaves the site`);
      const target = abs.origin + abs.pathname;
      if (abs.hash) fragments.push([target, decodeURIComponent(abs.hash.slice(1)), url]);
      if (target.endsWith(".html")) {
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      } else {
        files.add(target);
      }
    }
  }
  for (const [target, id, from] of fragments) {
    assert.ok(pageIds.get(target)?.has(id), `${from}: #${id} is not on ${target}`);
  }
  const tf = Date.now();
  for (const f of files) {
    const r = await fetch(f);
    assert.equal(r.status, 200, `download ${f}`);
    const body = await r.arrayBuffer();
    assert.ok(body.byteLength > 0, `empty download ${f}`);
  }
  if (process.env.UMR_DEBUG) console.log("downloads", files.size, Date.now() - tf, "ms");
  await page.close();
  assert.deepEqual(problems, [], `problems while crawling ${base}`);
  return { pages, files: files.size };
}

async function visibleRows(page) {
  return page.$$eval("#records tbody tr", (rows) =>
    rows.filter((r) => !r.hidden).map((r) => ({ ...r.dataset })),
  );
}

test("example registry: search, filters, styles, every link", async () => {
  const out = build(join(REPO, "examples/registry"), "examples", "Example registry");
  const srv = await serve(out);
  try {
    const { page, problems } = await watchedPage(srv.url);
    await page.goto(`${srv.url}/index.html`, { waitUntil: "load" });
    const all = await visibleRows(page);
    assert.equal(all.length, 11);
    assert.match(await page.textContent("#count"), /11 of 11/);

    await page.fill("#q", "llama");
    let rows = await visibleRows(page);
    assert.ok(rows.length > 0 && rows.length < 11, "search narrows");
    assert.ok(rows.every((r) => r.text.includes("llama")));

    await page.fill("#q", "zzz-no-such-thing");
    assert.equal((await visibleRows(page)).length, 0);
    assert.equal(await page.isVisible("#none"), true);
    await page.fill("#q", "");

    await page.selectOption("#f-kind", "dataset");
    rows = await visibleRows(page);
    assert.deepEqual(rows.map((r) => r.kind), ["dataset", "dataset", "dataset"]);
    await page.selectOption("#f-kind", "");

    await page.selectOption("#f-publisher", "ACME Health AI");
    rows = await visibleRows(page);
    assert.equal(rows.length, 5);
    assert.ok(rows.every((r) => r.publisher === "ACME Health AI"));
    await page.selectOption("#f-publisher", "");

    await page.selectOption("#f-license", "CC-BY-4.0");
    rows = await visibleRows(page);
    assert.ok(rows.length >= 1 && rows.every((r) => r.license === "CC-BY-4.0"));
    await page.selectOption("#f-license", "");

    await page.selectOption("#f-risk", "open");
    rows = await visibleRows(page);
    assert.ok(rows.length >= 1 && rows.every((r) => r.risk === "open"));
    await page.selectOption("#f-risk", "mitigated");
    rows = await visibleRows(page);
    assert.ok(rows.every((r) => r.risk === "mitigated"));
    await page.selectOption("#f-risk", "");

    await page.check("#f-latest");
    rows = await visibleRows(page);
    assert.equal(rows.length, 9, "older versions and the pre-release are hidden");
    assert.ok(rows.every((r) => r.latest === "1"));
    await page.uncheck("#f-latest");

    // combined: search + kind
    await page.fill("#q", "llama");
    await page.selectOption("#f-kind", "family");
    rows = await visibleRows(page);
    assert.deepEqual(rows.map((r) => r.kind), ["family"]);

    // pressing Enter in the search box does not navigate
    await page.press("#q", "Enter");
    assert.equal(page.url(), `${srv.url}/index.html`);

    // dark and print styles
    const record = `${srv.url}/r/acme~2Fllama2-7b-med/1.1.0/index.html`;
    await page.goto(record, { waitUntil: "load" });
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, "record-light.png"), fullPage: true });
    }
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(light, dark);
    assert.equal(dark, "rgb(15, 20, 26)");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "record-dark.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "light", media: "print" });
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector(".site-nav")).display), "none");
    await page.emulateMedia({ media: "screen" });
    // the lineage graph is inline SVG with links to the records
    const nodes = await page.$$eval("figure.graph svg a", (as) => as.map((a) => a.getAttribute("href")));
    assert.ok(nodes.length >= 4, "graph nodes link to records");
    await page.goto(`${srv.url}/index.html`, { waitUntil: "load" });
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "index.png"), fullPage: false });
    await page.close();
    assert.deepEqual(problems, []);

    const stats = await crawl(srv.url);
    assert.ok(stats.pages >= 11 * 2 + 2, `crawled ${stats.pages} pages`);
    assert.ok(stats.files >= 11 * 8, `checked ${stats.files} downloads`);
  } finally {
    await srv.close();
  }
});

test("injection registry: payloads stay text on every page", async () => {
  const out = build(join(REPO, "tests/render/injection"), "injection", "<script>alert(1)</script>");
  const srv = await serve(out);
  try {
    const { page, problems } = await watchedPage(srv.url);
    for (const p of ["index.html", "r/evil/1.0.0/index.html", "r/evil-base/1.0.0/exposure.html", "risks.html"]) {
      await page.goto(`${srv.url}/${p}`, { waitUntil: "load" });
      assert.equal(await page.evaluate(() => window.__pwned), undefined, p);
      assert.equal(await page.$$eval("script", (s) => s.length), p === "index.html" ? 1 : 0, `${p}: scripts`);
      assert.equal(await page.$$eval("img", (s) => s.length), 0, `${p}: images`);
    }
    await page.goto(`${srv.url}/r/evil/1.0.0/index.html`, { waitUntil: "load" });
    const h1 = await page.textContent("h1");
    assert.ok(h1.includes("<script>window.__pwned=1</script>"), "payload shown as text");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "injection.png"), fullPage: false });
    // search works with payload text in the data
    await page.goto(`${srv.url}/index.html`, { waitUntil: "load" });
    await page.fill("#q", "<script>");
    assert.equal((await visibleRows(page)).length, 3);
    await page.close();
    assert.deepEqual(problems, []);
    await crawl(srv.url);
  } finally {
    await srv.close();
  }
});

/** The kind of every record file of a prototype-dialect registry (its `type:` line). */
function legacyKinds(root) {
  const kinds = [];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(root, dir.name)).filter((f) => f.endsWith(".yaml"))) {
      const m = /^ {2}type: (\w+)\s*$/m.exec(readFileSync(join(root, dir.name, f), "utf8"));
      assert.ok(m, `${f}: no type`);
      kinds.push(m[1]);
    }
  }
  return kinds;
}

test("legacy fixture registry publishes: filters, the risk chain, every page and download", async () => {
  const kinds = legacyKinds(LEGACY_FIXTURE);
  const n = kinds.length;
  assert.ok(n >= 20, `${n} records`);
  const out = build(LEGACY_FIXTURE, "legacy", "legacy-registry");
  const srv = await serve(out);
  try {
    const { page, problems } = await watchedPage(srv.url);
    await page.goto(`${srv.url}/index.html`, { waitUntil: "load" });
    assert.equal((await visibleRows(page)).length, n);
    assert.match(await page.textContent("#count"), new RegExp(`${n} of ${n}`));
    for (const kind of ["model", "family", "dataset"]) {
      await page.selectOption("#f-kind", kind);
      const rows = await visibleRows(page);
      assert.equal(rows.length, kinds.filter((k) => k === kind).length, kind);
      assert.ok(rows.every((r) => r.kind === kind));
    }
    await page.selectOption("#f-kind", "");
    // two names with two versions each: the latest filter hides the older ones
    await page.check("#f-latest");
    assert.equal((await visibleRows(page)).length, n - 2);
    await page.uncheck("#f-latest");
    await page.fill("#q", "histo");
    const rows = await visibleRows(page);
    assert.equal(rows.length, 4, "histo-lens, histo-mil 1.0.0 and 1.1.0, histo-mil-tiny");
    await page.fill("#q", "");
    // the dataset's exposure page names the last model of the chain; its page shows the risk
    await page.goto(`${srv.url}/r/scrapeweb-2b/1.0.0/exposure.html`, { waitUntil: "load" });
    assert.match(await page.textContent("body"), /histo-mil-tiny@1\.0\.0/);
    await page.goto(`${srv.url}/r/histo-mil-tiny/1.0.0/index.html`, { waitUntil: "load" });
    const body = await page.textContent("body");
    for (const id of ["sexual_content", "abuse_material", "graphic_violence", "legal"]) {
      assert.ok(body.includes(id), `${id} on the page of histo-mil-tiny`);
    }
    await page.close();
    assert.deepEqual(problems, []);
    const stats = await crawl(srv.url);
    // every record version has a page, an exposure page and its downloads
    assert.ok(stats.pages >= n * 2, `crawled ${stats.pages} pages`);
    assert.ok(stats.files >= n * 8, `checked ${stats.files} downloads`);
  } finally {
    await srv.close();
  }
});

test("prototype corpus publishes; every page and download resolves", async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`corpus tier not run: ${CORPUS} is absent (set UMR_CORPUS=DIR to run it)`);
    return;
  }
  const out = build(CORPUS, "corpus", "modelrecords-poc");
  const srv = await serve(out);
  try {
    const stats = await crawl(srv.url);
    // every record version has a page, an exposure page and its downloads
    assert.ok(stats.pages >= 88 * 2, `crawled ${stats.pages} pages`);
    assert.ok(stats.files >= 88 * 8, `checked ${stats.files} downloads`);
  } finally {
    await srv.close();
  }
});

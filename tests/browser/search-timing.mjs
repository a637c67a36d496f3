// Time from a keystroke to the first results on the search page, in
// Debian's headless Chromium, for the search benchmark
// (tests/benches/search.rs). HANDBOK_SITE names a built site with search on.
// The page and the index runtime are loaded first (one query), as a reader's
// first search does; then each query is typed into an empty field and timed
// until the first result is in the list. Prints one line; asserts nothing.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const SITE = path.resolve(process.env.HANDBOK_SITE || 'public');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PAGE = process.env.SEARCH_PAGE || '/sok/';
// Words of the synthetic vocabulary, each on nearly every page (the worst
// case: pagefind scores every page), and selective queries (a document id,
// a title) as readers type them in a real handbook.
const QUERY_SETS = {
  'common words': ['incident', 'behörighet', 'rutin', 'klassning', 'leverantör', 'åtgärd', 'risk', 'översyn', 'dataskydd'],
  'selective queries': ['SYN-RUT-00512', 'SYN-RUT-09876', 'rutin 4711', 'rutin 123', 'rutin 9001', 'SYN-RUT-00042', 'rutin 77', 'SYN-RUT-05000', 'rutin 2500'],
};

const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  let file = path.resolve(SITE, '.' + rel);
  if (!file.startsWith(SITE)) { res.writeHead(403).end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
  const type = file.endsWith('.html') ? 'text/html; charset=utf-8'
    : file.endsWith('.js') ? 'text/javascript' : file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  res.writeHead(200, { 'content-type': type });
  res.end(fs.readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('requestfailed', (r) => console.error(`request failed: ${r.url()}`));
  await page.goto(base + PAGE, { waitUntil: 'load' });
  const loadStart = Date.now();
  await page.fill('#search-q', 'informationssäkerhet');
  await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 0, null, { timeout: 60000 });
  const firstLoad = Date.now() - loadStart;
  const report = [];
  for (const [name, queries] of Object.entries(QUERY_SETS)) {
    const times = [];
    for (const q of queries) {
      await page.fill('#search-q', '');
      await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length === 0);
      const ms = await page.evaluate((term) => new Promise((resolve) => {
        const input = document.getElementById('search-q');
        const list = document.getElementById('search-results');
        const start = performance.now();
        const obs = new MutationObserver(() => {
          if (list.children.length > 0) { obs.disconnect(); resolve(performance.now() - start); }
        });
        obs.observe(list, { childList: true });
        input.value = term;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }), q);
      times.push(Math.round(ms));
    }
    const sorted = [...times].sort((a, b) => a - b);
    report.push(`${name}: median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted[sorted.length - 1]} ms (${times.join(', ')})`);
  }
  console.log(`        browser: first query (loading the index runtime) ${firstLoad} ms; keystroke to first results, ${report.join('; ')}`);
} finally {
  await browser.close();
  server.close();
}

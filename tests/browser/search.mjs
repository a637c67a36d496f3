// Browser tests of the bundled handbook's search page (/sok/) in Debian's
// headless Chromium: Swedish queries with the expected first results
// (stemming, compound parts, an abbreviation both ways), filters by kind and
// role, a superseded document ranked last and marked, the query kept in the
// address, results announced in a live region, the page without
// JavaScript, the header field on every page, and axe-core with results
// shown at 1280 and 320 px. Also times the first results after a keystroke
// (reported, never asserted: timings on shared machines are not tests).
//
// HANDBOK_SITE names the built site: tests/it/browser_search.rs builds the
// bundled handbook plus one superseded document for the ranking test and
// runs this file (it is not a *.test.mjs, so the plain build skips it).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const SITE = path.resolve(process.env.HANDBOK_SITE || path.join(here, '..', '..', 'public'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

// The built site on loopback; directories serve index.html, nothing outside
// the site folder is read.
function serve(root) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    let file = path.resolve(root, '.' + rel);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
    });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server;
let browser;
let base;
const outside = [];

before(async () => {
  assert.ok(fs.existsSync(path.join(SITE, 'sok', 'index.html')), `no search page in ${SITE}`);
  server = await serve(SITE);
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await new Promise((r) => server.close(r));
  assert.deepEqual(outside, [], 'every request stays on the site');
});

async function open(urlPath, { width = 1280, javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:')) outside.push(u);
  });
  await page.goto(base + urlPath, { waitUntil: 'load' });
  return { context, page, errors };
}

// Waits until the live region reports a count, then gives the results.
async function results(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status-text');
    return s && /träff|result/i.test(s.textContent) && !/Söker/.test(s.textContent);
  }, null, { timeout: 15000 });
  return page.evaluate(() => Array.from(document.querySelectorAll('#search-results > li')).map((li) => ({
    title: li.querySelector('h2 a').textContent,
    href: li.querySelector('h2 a').getAttribute('href'),
    meta: (li.querySelector('.search-result__meta') || { textContent: '' }).textContent,
    outdated: li.classList.contains('search-result--outdated'),
    marked: !!li.querySelector('.search-result__excerpt mark'),
  })));
}

async function query(q, extra = '') {
  const s = await open(`/sok/?q=${encodeURIComponent(q)}${extra}`);
  const found = await results(s.page);
  await s.context.close();
  assert.deepEqual(s.errors, [], `script errors for ${q}`);
  return found;
}

function axeViolations(page) {
  return page.addScriptTag({ content: AXE_SOURCE }).then(() => page.evaluate(async (values) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, WCAG_TAGS));
}

const INCIDENT = '/styrdokument/incidenthantering/';

describe('Swedish queries find the expected first result', () => {
  for (const q of ['incident', 'incidenter', 'rapportera']) {
    it(`"${q}" finds the incident instruction first`, async () => {
      const found = await query(q);
      assert.ok(found.length > 0, `no results for ${q}`);
      assert.equal(found[0].href, INCIDENT, `first for ${q}: ${JSON.stringify(found.slice(0, 3))}`);
      assert.ok(found[0].marked, 'the snippet marks the match');
      assert.match(found[0].meta, /Anvisning/);
      assert.match(found[0].meta, /UTB-ANV-002/);
      assert.match(found[0].meta, /Gällande/);
    });
  }

  it('"behörigheter" finds the access routine by its stem', async () => {
    const found = await query('behörigheter');
    assert.equal(found[0].href, '/styrdokument/behorighetshantering/', JSON.stringify(found.slice(0, 3)));
  });

  it('"samordnare" finds ISAM\'s role page by a part of its compound title', async () => {
    const found = await query('samordnare');
    assert.equal(found[0].href, '/roller/isam/', JSON.stringify(found.slice(0, 3)));
  });

  it('"ISAM" finds the page of the Informationssäkerhetssamordnare', async () => {
    const found = await query('ISAM');
    assert.ok(found.slice(0, 3).some((r) => r.href === '/roller/isam/'), JSON.stringify(found.slice(0, 3)));
  });

  it('the expansion finds pages that only say the abbreviation', async () => {
    const pagesSayingOnlyIsam = fs.readdirSync(path.join(SITE, 'styrdokument'))
      .filter((d) => fs.existsSync(path.join(SITE, 'styrdokument', d, 'index.html')));
    assert.ok(pagesSayingOnlyIsam.length > 0);
    const found = await query('informationssäkerhetssamordnare');
    assert.ok(found.length >= 3, `few results: ${found.length}`);
    assert.ok(found.some((r) => r.href === '/roller/isam/'));
  });

  it('å, ä and ö are kept: "övergripande" finds documents with that word', async () => {
    const found = await query('övergripande');
    assert.ok(found.length > 0);
  });
});

describe('filters', () => {
  it('by kind: only routines are listed, and the address keeps the filter', async () => {
    const s = await open('/sok/?q=informationss%C3%A4kerhet&kind=rutin');
    const found = await results(s.page);
    assert.ok(found.length > 0, 'some routines');
    for (const r of found) assert.match(r.meta, /Rutin/, JSON.stringify(r));
    assert.equal(await s.page.inputValue('#search-kind'), 'rutin');
    await s.context.close();
  });

  it('by role: choosing a role narrows the results and updates the address', async () => {
    const s = await open('/sok/?q=informationss%C3%A4kerhet');
    const all = await results(s.page);
    await s.page.selectOption('#search-role', 'stadsledningskontoret');
    await s.page.waitForFunction(() => window.location.search.includes('role=stadsledningskontoret'));
    const narrowed = await results(s.page);
    assert.ok(narrowed.length > 0 && narrowed.length < all.length, `${narrowed.length} of ${all.length}`);
    assert.ok(narrowed.some((r) => r.href === '/styrdokument/stadens-riktlinje-informationssakerhet/'));
    await s.context.close();
  });
});

describe('superseded documents', () => {
  it('rank below documents in force and are marked', async () => {
    const s = await open('/sok/?q=incident');
    await results(s.page);
    // Every result: "show more" until the list is whole.
    while (await s.page.$('button.search-more')) {
      const before = await s.page.evaluate(() => document.querySelectorAll('#search-results > li').length);
      await s.page.click('button.search-more');
      await s.page.waitForFunction((n) => document.querySelectorAll('#search-results > li').length > n, before);
    }
    const found = await results(s.page);
    await s.context.close();
    const old = found.findIndex((r) => r.outdated);
    assert.ok(old >= 0, `the superseded document is found: ${JSON.stringify(found)}`);
    assert.ok(found.slice(old).every((r) => r.outdated), 'every document in force comes first');
    assert.match(found[old].meta, /Ersatt/);
  });
});

describe('the search page', () => {
  for (const width of [1280, 320]) {
    it(`has no WCAG 2.1 A/AA violations with results shown at ${width} px`, async () => {
      const s = await open('/sok/?q=incident', { width });
      await results(s.page);
      const violations = await axeViolations(s.page);
      assert.deepEqual(violations, []);
      const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(overflow <= width, `scrollWidth ${overflow} at ${width}`);
      await s.context.close();
    });
  }

  it('announces the number of results in a polite live region', async () => {
    const s = await open('/sok/?q=incident');
    await results(s.page);
    const live = await s.page.evaluate(() => {
      const el = document.getElementById('search-status-text');
      return { live: el.getAttribute('aria-live'), role: el.getAttribute('role'), text: el.textContent };
    });
    assert.equal(live.live, 'polite');
    assert.equal(live.role, 'status');
    assert.match(live.text, /\d+ träff/);
    await s.context.close();
  });

  it('is keyboard operable: type in the field, Tab reaches the first result', async () => {
    const s = await open('/sok/');
    await s.page.focus('#search-q');
    await s.page.keyboard.type('incident');
    await results(s.page);
    assert.ok((await s.page.evaluate(() => window.location.search)).includes('q=incident'));
    let reached = false;
    for (let i = 0; i < 8 && !reached; i++) {
      await s.page.keyboard.press('Tab');
      reached = await s.page.evaluate(() => !!document.activeElement.closest('#search-results'));
    }
    assert.ok(reached, 'Tab reaches the results');
    await s.context.close();
  });

  it('without JavaScript says so and links the document register', async () => {
    const s = await open('/sok/?q=incident', { javaScriptEnabled: false });
    const facts = await s.page.evaluate(() => {
      const n = document.querySelector('noscript');
      const a = n && n.querySelector('a');
      return { text: n ? n.textContent : '', href: a ? a.getAttribute('href') : '' };
    });
    assert.match(facts.text, /JavaScript/);
    assert.equal(facts.href, '/dokumentregister/');
    await s.context.close();
  });

  it('the header on every page has a search field that goes to the search page', async () => {
    const s = await open(INCIDENT);
    await s.page.fill('#header-search-q', 'rapportera');
    await Promise.all([s.page.waitForURL(/\/sok\/\?q=rapportera/), s.page.press('#header-search-q', 'Enter')]);
    const found = await results(s.page);
    assert.equal(found[0].href, INCIDENT);
    await s.context.close();
  });

  it('reports the time to first results after a keystroke', async () => {
    const s = await open('/sok/');
    // Load the index runtime first, as a reader's first query does.
    await s.page.fill('#search-q', 'a');
    await results(s.page);
    const times = [];
    for (const q of ['incident', 'behörighet', 'samordnare', 'rutin', 'klassning']) {
      await s.page.fill('#search-q', '');
      await s.page.waitForFunction(() => document.querySelectorAll('#search-results > li').length === 0);
      const ms = await s.page.evaluate((term) => new Promise((resolve) => {
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
    times.sort((a, b) => a - b);
    console.log(`search: time to first results after a keystroke (ms): ${times.join(', ')}; median ${times[2]}`);
    await s.context.close();
  });
});

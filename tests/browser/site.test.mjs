// Browser tests of the bundled handbook in Debian's headless Chromium.
//
// The site must already be built: HANDBOK_SITE names the output folder
// (default: ../../public, relative to this file). `run.sh` builds it with a
// fixed date and runs these tests. Nothing here downloads a browser: the
// Chromium is the system's (CHROMIUM, default /usr/bin/chromium).
//
// What is tested, per page type: axe-core with the WCAG 2.1 A and AA rules
// (any violation fails), reflow at 320 CSS px (also with WCAG 1.4.12 text
// spacing), one h1, lang, titles, no request leaving the site. Then the
// keyboard (skip link first, visible focus, menu toggle, tooltip Esc), the
// click-throughs an auditor makes, the reading list in localStorage and
// without JavaScript, the print layout of the yearly review (A4 PDF), and
// screenshots at 375 and 1280 px kept in tests/artifacts/.

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
const ARTIFACTS = path.resolve(here, '..', 'artifacts');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// One page of every type the site has (DIGG's sample: start page, the
// statement, contact, pages with tables, documents), plus the 404 page.
const PAGE_TYPES = [
  { type: 'start', path: '/' },
  { type: 'section', path: '/styrdokument/' },
  { type: 'role section', path: '/roller/' },
  { type: 'document', path: '/styrdokument/incidenthantering/' },
  { type: 'draft document', path: '/styrdokument/behorighetshantering/' },
  { type: 'role', path: '/roller/isam/' },
  { type: 'register', path: '/dokumentregister/' },
  { type: 'matrix', path: '/ansvarsmatris/' },
  { type: 'review status', path: '/granskning/' },
  { type: 'activities', path: '/aktiviteter/' },
  { type: 'glossary', path: '/ordlista/' },
  { type: 'review report', path: '/genomgangar/2025/' },
  { type: 'onboarding', path: '/introduktion/chefer/' },
  { type: 'accessibility statement', path: '/tillganglighet/' },
  { type: 'contact', path: '/kontakt/' },
  { type: 'history', path: '/styrdokument/lokal-anvisning-informationssakerhet/historik/' },
  { type: 'recent changes', path: '/andringar/' },
  { type: '404', path: '/den-har-sidan-finns-inte/', status: 404 },
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// A tiny static server for the built site: directories serve index.html,
// anything missing the site's 404.html with status 404; nothing outside the
// site folder is ever read.
function serve(root) {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.resolve(root, '.' + rel);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    } catch { /* missing: handled below */ }
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      const notFound = path.join(root, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : 'Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

let server;
let browser;
let base;
const outside = [];

before(async () => {
  assert.ok(fs.existsSync(path.join(SITE, 'index.html')),
    `no built site in ${SITE}: build it first (tests/browser/run.sh does) or set HANDBOK_SITE`);
  assert.ok(fs.existsSync(CHROMIUM),
    `no Chromium at ${CHROMIUM}: apt-get install chromium chromium-driver, or set CHROMIUM`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  server = await serve(SITE);
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await new Promise((r) => server.close(r));
});

// A page in a fresh context; every request must stay on the test server.
async function open(urlPath, { width = 1280, height = 900, javaScriptEnabled = true, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    javaScriptEnabled,
    colorScheme,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('about:')) outside.push(`${urlPath} → ${u}`);
  });
  const response = await page.goto(base + urlPath, { waitUntil: 'load' });
  return { context, page, response, errors };
}

function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 5).map((n) => {
      const why = (n.failureSummary || '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
      return `      at ${n.target.join(' ')}\n        ${n.html.slice(0, 160)}\n        ${why}`;
    }).join('\n');
    const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : '';
    return `  ✗ ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
  }).join('\n');
}

async function runAxe(page, tags) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (values) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  }, tags);
}

const titles = new Map();

for (const { type, path: p, status } of PAGE_TYPES) {
  describe(`${type} page (${p})`, () => {
    let session;
    before(async () => { session = await open(p); });
    after(async () => { if (session) await session.context.close(); });

    it('answers and runs without script errors', () => {
      assert.equal(session.response.status(), status || 200, `${p} answered ${session.response.status()}`);
      assert.deepEqual(session.errors, [], `script errors on ${p}`);
    });

    it('has no WCAG 2.1 A/AA violations (axe-core) at 1280 px', async () => {
      const violations = await runAxe(session.page, WCAG_TAGS);
      assert.equal(violations.length, 0,
        `axe-core found ${violations.length} WCAG violation(s) on ${p} at 1280 px:\n${formatViolations(violations)}`);
    });

    it('has lang="sv", one h1, the title pattern, unique ids, landmarks, the skip link and the statement link', async () => {
      const facts = await session.page.evaluate(() => ({
        lang: document.documentElement.lang,
        h1: Array.from(document.querySelectorAll('h1')).map((h) => h.textContent.trim()),
        title: document.title,
        header: document.querySelectorAll('body > header').length,
        nav: document.querySelectorAll('nav#site-nav').length,
        main: document.querySelectorAll('main#main').length,
        footer: document.querySelectorAll('body > footer').length,
        skip: document.querySelector('body a')?.getAttribute('href'),
        skipText: document.querySelector('body a')?.textContent.trim(),
        statement: Array.from(document.querySelectorAll('footer a')).some((a) => a.textContent.trim() === 'Tillgänglighetsredogörelse' && a.getAttribute('href') === '/tillganglighet/'),
        duplicateIds: (() => {
          const seen = new Set();
          const dup = new Set();
          for (const el of document.querySelectorAll('[id]')) { if (seen.has(el.id)) dup.add(el.id); seen.add(el.id); }
          return [...dup];
        })(),
      }));
      assert.equal(facts.lang, 'sv');
      assert.deepEqual(facts.duplicateIds, [], 'no duplicate ids (4.1.1, still in EN 301 549)');
      assert.equal(facts.h1.length, 1, `expected one h1, got ${JSON.stringify(facts.h1)}`);
      assert.match(facts.title, / – Utbildningsförvaltningen$/);
      if (p !== '/') assert.ok(facts.title.startsWith(`${facts.h1[0]} – Handbok – `), `title "${facts.title}" should start with the h1 "${facts.h1[0]}"`);
      assert.ok(!titles.has(facts.title), `${p} has the same title as ${titles.get(facts.title)}: "${facts.title}"`);
      titles.set(facts.title, p);
      assert.deepEqual([facts.header, facts.nav, facts.main, facts.footer], [1, 1, 1, 1], 'header, nav, main and footer landmarks');
      assert.equal(facts.skip, '#main');
      assert.equal(facts.skipText, 'Till huvudinnehåll');
      assert.ok(facts.statement, 'the footer links to the accessibility statement');
    });

    it('has no WCAG 2.1 A/AA violations at 320 px', async () => {
      await session.page.setViewportSize({ width: 320, height: 640 });
      await session.page.waitForTimeout(200); // the table regions re-check their overflow on resize
      const violations = await runAxe(session.page, WCAG_TAGS);
      assert.equal(violations.length, 0,
        `axe-core found ${violations.length} WCAG violation(s) on ${p} at 320 px:\n${formatViolations(violations)}`);
    });

    it('reflows at 320 px without horizontal scrolling, also with WCAG 1.4.12 text spacing', async () => {
      const page = session.page;
      await page.setViewportSize({ width: 320, height: 640 });
      const plain = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(plain <= 320, `${p} is ${plain} px wide at a 320 px viewport (horizontal scrolling)`);
      await page.addStyleTag({
        content: '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }',
      });
      const spaced = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(spaced <= 320, `${p} is ${spaced} px wide at 320 px with text spacing (1.4.12)`);
    });
  });
}

describe('keyboard', () => {
  it('the first Tab focuses the skip link, visibly; Enter moves to main', async () => {
    const { context, page } = await open('/styrdokument/incidenthantering/');
    try {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement;
        const cs = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return {
          cls: el.className, text: el.textContent.trim(),
          outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
          inView: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.width > 0 && r.height > 0,
        };
      });
      assert.equal(focus.cls, 'skip-link');
      assert.equal(focus.text, 'Till huvudinnehåll');
      assert.ok(focus.inView, 'the focused skip link is shown on screen');
      assert.notEqual(focus.outline, 'none', 'the skip link has a focus outline');
      assert.ok(focus.width >= 2, `focus outline is ${focus.width}px`);
      await page.keyboard.press('Enter');
      const target = await page.evaluate(() => ({ hash: location.hash, active: document.activeElement.id }));
      assert.equal(target.hash, '#main');
      assert.equal(target.active, 'main');
    } finally {
      await context.close();
    }
  });

  it('every element reached with Tab shows a focus indicator', async () => {
    const { context, page } = await open('/styrdokument/incidenthantering/');
    try {
      const seen = [];
      for (let i = 0; i < 40; i += 1) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const cs = getComputedStyle(el);
          const visible = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || (cs.boxShadow && cs.boxShadow !== 'none');
          return { tag: el.tagName, text: (el.textContent || '').trim().slice(0, 40), visible };
        });
        if (!f) continue;
        seen.push(f);
        assert.ok(f.visible, `no visible focus on <${f.tag}> "${f.text}" (Tab ${i + 1})`);
      }
      assert.ok(seen.length >= 20, `only ${seen.length} focusable elements reached`);
    } finally {
      await context.close();
    }
  });

  it('on a narrow screen the menu is a button with aria-expanded; Esc closes it', async () => {
    const { context, page } = await open('/', { width: 375, height: 740 });
    try {
      const button = page.locator('button.nav-toggle');
      assert.ok(await button.isVisible(), 'menu button visible at 375 px');
      assert.equal(await button.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.locator('#site-nav').isVisible(), false, 'menu collapsed');
      await button.focus();
      await page.keyboard.press('Enter');
      assert.equal(await button.getAttribute('aria-expanded'), 'true');
      assert.ok(await page.locator('#site-nav').isVisible(), 'menu open');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Escape');
      assert.equal(await button.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'nav-toggle', 'focus back on the button');
    } finally {
      await context.close();
    }
  });

  it('an abbreviation shows its expansion on focus and Esc dismisses it', async () => {
    const { context, page } = await open('/genomgangar/2025/');
    try {
      const term = page.locator('main a.term').first();
      assert.ok(await term.count() > 0, 'the review marks abbreviations');
      await term.focus();
      const tip = term.locator('.term-tip');
      assert.ok(await tip.isVisible(), 'tooltip visible on focus');
      const describedBy = await term.getAttribute('aria-describedby');
      assert.equal(describedBy, await tip.getAttribute('id'));
      await page.keyboard.press('Escape');
      assert.equal(await tip.isVisible(), false, 'Esc hides the tooltip');
    } finally {
      await context.close();
    }
  });
});

describe('click-throughs', () => {
  it('start page → an instruction', async () => {
    const { context, page } = await open('/');
    try {
      await page.locator('main a[href^="/styrdokument/incidenthantering/"]').first().click();
      await page.waitForLoadState('load');
      assert.match(page.url(), /\/styrdokument\/incidenthantering\/(#.*)?$/);
      assert.equal(await page.locator('h1').textContent(), 'Anvisning för hantering av informationssäkerhetsincidenter');
      assert.ok(await page.locator('.id-block dl').isVisible(), 'the instruction shows its identification block');
    } finally {
      await context.close();
    }
  });

  it('a document → its owner role page', async () => {
    const { context, page } = await open('/styrdokument/lokal-anvisning-informationssakerhet/');
    try {
      const owner = page.locator('.id-block dt', { hasText: /^Ägare$/ }).locator('xpath=following-sibling::dd[1]//a');
      const name = (await owner.textContent()).trim();
      await owner.click();
      await page.waitForLoadState('load');
      assert.match(page.url(), /\/roller\/isam\/$/);
      assert.equal((await page.locator('h1').textContent()).trim(), name);
      const owns = await page.locator('#hb-dokument ~ * a, section[aria-labelledby="hb-dokument"] a').allTextContents();
      assert.ok(owns.includes('Lokal anvisning för informationssäkerhet'), 'the role page lists the document it owns');
    } finally {
      await context.close();
    }
  });

  it('a back-link ("Hänvisas från") leads to the referring page', async () => {
    const { context, page } = await open('/styrdokument/kontinuitetsplan/');
    try {
      const link = page.locator('section[aria-labelledby="hb-hanvisas"] > ul > li > a').first();
      const title = (await link.textContent()).trim();
      await link.click();
      await page.waitForLoadState('load');
      assert.equal((await page.locator('h1').textContent()).trim(), title);
    } finally {
      await context.close();
    }
  });

  it('a role page → an activity row of the review, anchored', async () => {
    const { context, page } = await open('/roller/isam/');
    try {
      const link = page.locator('section[aria-labelledby="hb-aktiviteter"] a[href*="#aktivitet-"]').first();
      const href = await link.getAttribute('href');
      await link.click();
      await page.waitForLoadState('load');
      const id = href.split('#')[1];
      assert.ok(await page.locator(`[id="${id}"]`).isVisible(), `row #${id} exists on the review`);
      const roles = await page.locator(`[id="${id}"] a[href^="/roller/"]`).count();
      assert.ok(roles > 0, 'the activity row links its responsible roles');
    } finally {
      await context.close();
    }
  });

  it('an abbreviation → its glossary entry', async () => {
    const { context, page } = await open('/styrdokument/lokal-anvisning-informationssakerhet/');
    try {
      const term = page.locator('main a.term').first();
      const abbr = (await term.locator('abbr').textContent()).trim();
      await term.click();
      await page.waitForLoadState('load');
      const hash = new URL(page.url()).hash.slice(1);
      assert.match(hash, /^term-/);
      const entry = page.locator(`[id="${hash}"]`);
      assert.ok(await entry.isVisible(), `glossary entry #${hash} exists`);
      assert.equal((await entry.locator('dfn').textContent()).trim(), abbr);
      assert.ok(await entry.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }), 'the entry is scrolled into view');
    } finally {
      await context.close();
    }
  });
});

describe('content and data', () => {
  it('the review report shows its figures in Swedish format, charts with text alternatives', async () => {
    const { context, page } = await open('/genomgangar/2025/');
    try {
      const text = (await page.locator('main').innerText()).replace(/[\u00a0\u202f]/g, ' ');
      for (const figure of ['17 722', '1 357', '7,66 %', '10 516', '59,34 %', '1 485', '8,38 %', '4 364', '24,62 %',
        '1 403', '7,92 %', '12 489', '70,47 %', '1 036', '5,85 %', '2 794', '15,77 %', '41 incidenter', 'IMY']) {
        assert.ok(text.includes(figure), `the review shows ${figure}`);
      }
      const charts = await page.evaluate(() => Array.from(document.querySelectorAll('svg[role="img"]')).map((svg) => ({
        label: (svg.getAttribute('aria-labelledby') || '').split(' ').map((id) => document.getElementById(id)?.textContent || '').join(' ').trim(),
        title: svg.querySelector('title')?.textContent || '',
      })));
      assert.ok(charts.length >= 3, `expected charts for two courses and incidents, got ${charts.length}`);
      for (const c of charts) {
        assert.ok(c.title.length > 10 && c.label.length > 20, `chart has a title and description: ${JSON.stringify(c)}`);
      }
      const rows = await page.locator('tr[id^="aktivitet-2026-"]').count();
      const later = await page.locator('tr[id^="aktivitet-2027"]').count();
      const events = await page.locator('tr[id^="handelse-"]').count();
      assert.equal(rows, 10, 'ten activities for 2026');
      assert.equal(later, 8, 'eight activities for 2027–2028');
      assert.equal(events, 5, 'five undesired events');
    } finally {
      await context.close();
    }
  });

  it('the matrix scrolls inside a labelled, focusable region', async () => {
    const { context, page } = await open('/ansvarsmatris/', { width: 375 });
    try {
      const region = page.locator('.table-scroll--matrix');
      const info = await region.evaluate((el) => ({
        tabindex: el.getAttribute('tabindex'), role: el.getAttribute('role'),
        label: document.getElementById(el.getAttribute('aria-labelledby') || '')?.textContent || el.getAttribute('aria-label'),
        scrolls: el.scrollWidth > el.clientWidth,
      }));
      assert.equal(info.tabindex, '0');
      assert.equal(info.role, 'region');
      assert.ok(info.label && info.label.length > 5, 'the region has a name');
      assert.ok(info.scrolls, 'the matrix scrolls sideways inside its region');
      await region.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((el) => el.scrollLeft > 0, await region.elementHandle(), { timeout: 3000 })
        .catch(() => assert.fail('arrow keys scroll the focused region'));
    } finally {
      await context.close();
    }
  });

  it('the glossary has an A–Ö index and an entry for every abbreviation of the review', async () => {
    const { context, page } = await open('/ordlista/');
    try {
      for (const t of ['LIS', 'ISAM', 'DSO', 'RSA', 'VoR', 'IKP', 'NIS2', 'MSB', 'IMY', 'SKR', 'KLASSA', 'GDPR', 'IKT']) {
        const n = await page.locator('.term-entry dfn', { hasText: new RegExp(`^${t}$`) }).count();
        assert.equal(n, 1, `glossary entry for ${t}`);
      }
      const letters = await page.locator('nav.letters li').allTextContents();
      assert.equal(letters.map((l) => l.trim()).join(''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ');
      await page.locator('nav.letters a', { hasText: 'K' }).click();
      assert.match(page.url(), /#bokstav-k$/);
    } finally {
      await context.close();
    }
  });
});

describe('reading list', () => {
  it('checkboxes keep progress in localStorage', async () => {
    const { context, page } = await open('/introduktion/chefer/');
    try {
      const boxes = page.locator('.reading-check input[type="checkbox"]');
      const n = await boxes.count();
      assert.equal(n, 6, 'one checkbox per document on the reading list for managers');
      const status = page.locator('[data-reading-status]');
      assert.match(await status.textContent(), /0 av 6/);
      await boxes.nth(0).check();
      await boxes.nth(2).check();
      assert.match(await status.textContent(), /2 av 6/);
      await page.reload();
      assert.ok(await page.locator('.reading-check input').nth(0).isChecked(), 'kept after reload');
      assert.match(await page.locator('[data-reading-status]').textContent(), /2 av 6/);
      // The same document counts on another reading list.
      await page.goto(`${base}/introduktion/alla/`);
      assert.match(await page.locator('[data-reading-status]').textContent(), /1 av 2/);
      await page.goto(`${base}/introduktion/chefer/`);
      await page.locator('[data-reading-reset]').click();
      assert.match(await page.locator('[data-reading-status]').textContent(), /0 av 6/);
    } finally {
      await context.close();
    }
  });

  it('without JavaScript the reading list is plain links and the site reads fine', async () => {
    const { context, page } = await open('/introduktion/chefer/', { javaScriptEnabled: false });
    try {
      assert.equal(await page.locator('.reading-check').count(), 0, 'no checkboxes without JavaScript');
      assert.equal(await page.locator('[data-reading-progress]').isVisible(), false, 'no progress box without JavaScript');
      const links = await page.locator('main ol li > a[href^="/styrdokument/"]').count();
      assert.ok(links >= 6, `the documents are plain links (${links})`);
      assert.ok(await page.locator('#site-nav').isVisible(), 'the menu is shown without JavaScript');
    } finally {
      await context.close();
    }
  });
});

describe('print', () => {
  it('the review prints as a clean A4 document with tables and charts', async () => {
    const { context, page } = await open('/genomgangar/2025/');
    try {
      await page.emulateMedia({ media: 'print' });
      const state = await page.evaluate(() => {
        const shown = (el) => !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
        const link = document.querySelector('main .report-body a[href^="/"]:not(.term)');
        return {
          header: shown(document.querySelector('body > header')),
          nav: shown(document.querySelector('#site-nav')),
          breadcrumbs: shown(document.querySelector('.breadcrumbs')),
          footer: shown(document.querySelector('body > footer')),
          tables: Array.from(document.querySelectorAll('main table')).filter(shown).length,
          charts: Array.from(document.querySelectorAll('main svg[role="img"]')).filter(shown).length,
          linkUrl: link ? getComputedStyle(link, '::after').content : 'none',
          breakBefore: getComputedStyle(document.querySelector('.report-body > h2:nth-of-type(2)')).breakBefore,
        };
      });
      assert.equal(state.header, false, 'header hidden in print');
      assert.equal(state.nav, false, 'navigation hidden in print');
      assert.equal(state.breadcrumbs, false, 'breadcrumbs hidden in print');
      assert.equal(state.footer, false, 'footer hidden in print');
      assert.ok(state.tables >= 8, `tables printed (${state.tables})`);
      assert.ok(state.charts >= 3, `charts printed (${state.charts})`);
      assert.notEqual(state.linkUrl, 'none', 'link addresses are printed after links');
      assert.equal(state.breakBefore, 'page', 'main sections start on a new page');
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      fs.writeFileSync(path.join(ARTIFACTS, 'ledningens-genomgang-2025.pdf'), pdf);
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      assert.ok(pdf.length > 50000, `the PDF has content (${pdf.length} bytes)`);
    } finally {
      await context.close();
    }
  });
});

describe('screenshots', () => {
  for (const [name, p] of [['start', '/'], ['dokument', '/styrdokument/lokal-anvisning-informationssakerhet/'], ['genomgang', '/genomgangar/2025/']]) {
    it(`${name} at 375 and 1280 px`, async () => {
      for (const width of [375, 1280]) {
        const { context, page } = await open(p, { width, height: 900 });
        try {
          const file = path.join(ARTIFACTS, `${name}-${width}.png`);
          await page.screenshot({ path: file, fullPage: true });
          assert.ok(fs.statSync(file).size > 10000);
        } finally {
          await context.close();
        }
      }
    });
  }
});

describe('links', () => {
  // Every internal link and anchor of every page type leads somewhere: the
  // file exists in the built site, and a #fragment names an id there.
  it('internal links and their anchors resolve', async () => {
    const htmlOf = (urlPath) => {
      let file = path.join(SITE, decodeURIComponent(urlPath));
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    };
    const broken = [];
    for (const { path: p } of PAGE_TYPES) {
      const { context, page } = await open(p);
      const { hrefs, missing } = await page.evaluate(() => {
        const all = Array.from(document.querySelectorAll('a[href]')).map((a) => a.getAttribute('href'));
        return {
          hrefs: all.filter((h) => !h.startsWith('#')),
          missing: all.filter((h) => h.startsWith('#') && !document.getElementById(decodeURIComponent(h.slice(1)))),
        };
      });
      await context.close();
      for (const href of missing) broken.push(`${p} → ${href}: no such id on the page`);
      for (const href of hrefs) {
        if (href === '') { broken.push(`${p}: empty href`); continue; }
        if (/^[a-z]+:/i.test(href)) continue; // external (mailto:, https:) links are not followed
        const u = new URL(href, base + p);
        const html = htmlOf(u.pathname);
        if (html === null) { broken.push(`${p} → ${href}: no such page`); continue; }
        if (u.hash) {
          const id = decodeURIComponent(u.hash.slice(1));
          if (!html.includes(`id="${id}"`)) broken.push(`${p} → ${href}: no id "${id}"`);
        }
      }
    }
    assert.deepEqual([...new Set(broken)], []);
  });
});

describe('English', () => {
  it('the English start page uses the English strings and passes axe-core', async () => {
    const { context, page, response } = await open('/en/');
    try {
      assert.equal(response.status(), 200);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      assert.equal((await page.locator('.skip-link').textContent()).trim(), 'Skip to main content');
      assert.equal((await page.locator('#site-nav').getAttribute('aria-label')), 'Main menu');
      const violations = await runAxe(page, WCAG_TAGS);
      assert.equal(violations.length, 0, `axe-core on /en/:\n${formatViolations(violations)}`);
    } finally {
      await context.close();
    }
  });
});

describe('nothing is loaded from outside the site', () => {
  it('no request left the test server', () => {
    assert.deepEqual(outside, []);
  });
});

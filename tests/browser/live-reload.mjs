// Live reload of `handbok serve` in Debian's headless Chromium: a page that
// is open in the browser reloads by itself when its Markdown file is
// edited, and comes back at the scroll position it had.
//
// Not one of the *.test.mjs files (those test a site built beforehand):
// this one needs a running `handbok serve`. tests/it/browser_reload.rs
// starts one on a copy of tests/fixtures/serve-reload and runs
//
//   node --test live-reload.mjs
//
// with HANDBOK_SERVE_PAGE, the URL of the page, and HANDBOK_SERVE_EDIT, its
// Markdown file, which this test rewrites (so: a copy, never a real site).
// CHROMIUM as in site.test.mjs (default /usr/bin/chromium).
//
// Only what a user sees is relied on: the page is never reloaded from
// here; waiting is bounded polling, never a fixed sleep.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const PAGE_URL = process.env.HANDBOK_SERVE_PAGE;
const EDIT = process.env.HANDBOK_SERVE_EDIT;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The word of the page's first paragraph that the edit replaces.
const PLACEHOLDER = 'ORIGINAL-TEXT';
// How far down the page is scrolled, and how far off it may come back.
const SCROLL_TO = 2000;
const SCROLL_SLACK = 40;
// Generous bounds: the machine running the tests may be busy building.
const CONNECT_MS = 20_000;
const RELOAD_MS = 30_000;
const RESTORE_MS = 10_000;

// Calls `probe` every 100 ms until it returns { ok: true, … } and returns
// that; fails after `ms` with what it saw last. A probe that throws (the
// page is between two documents) is tried again.
async function poll(what, ms, probe) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last.ok) return last;
    } catch (e) {
      last = { error: e.message.split('\n')[0] };
    }
    if (Date.now() > deadline) assert.fail(`${what} within ${ms / 1000} s; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a served page reloads by itself after an edit and keeps its scroll position', { timeout: 180_000 }, async () => {
  assert.ok(PAGE_URL && EDIT,
    'set HANDBOK_SERVE_PAGE (a page of a running handbok serve) and HANDBOK_SERVE_EDIT (its Markdown file); tests/it/browser_reload.rs does');
  assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install chromium chromium-driver, or set CHROMIUM`);
  const original = fs.readFileSync(EDIT, 'utf8');
  assert.ok(original.includes(PLACEHOLDER), `${EDIT} does not contain ${PLACEHOLDER}`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const loads = [];
    page.on('load', () => loads.push(page.url()));
    // Open event streams (server-sent events): the page listens for builds.
    let streams = 0;
    page.on('response', (r) => {
      if (r.request().resourceType() === 'eventsource' && r.ok()) streams += 1;
    });

    const response = await page.goto(PAGE_URL, { waitUntil: 'load' });
    assert.equal(response.status(), 200, `${PAGE_URL} answered ${response.status()}`);
    assert.ok(!(await page.locator('body').innerText()).includes('live-reload-marker'), 'the page starts unedited');
    // An edit made before the page listens could go unnoticed; wait until
    // the server has answered the page's event stream.
    await poll('the page opens its live-reload event stream', CONNECT_MS, async () => ({ ok: streams > 0, streams }));

    await page.evaluate((y) => window.scrollTo(0, y), SCROLL_TO);
    const before = await poll('the page scrolls down', RESTORE_MS, async () => {
      const y = await page.evaluate(() => window.scrollY);
      return { ok: y > 0, y };
    });
    assert.ok(before.y >= SCROLL_TO / 2, `the page is too short to test scrolling (scrollY ${before.y})`);
    // Gone once the document is replaced: proves a reload, not a patch.
    await page.evaluate(() => { window.handbokBeforeEdit = true; });

    const marker = `live-reload-marker-${process.pid}-${Date.now()}`;
    fs.writeFileSync(EDIT, original.replace(PLACEHOLDER, marker));

    const after = await poll('the page reloads by itself and shows the edit', RELOAD_MS, async () => {
      const s = await page.evaluate((m) => ({
        fresh: window.handbokBeforeEdit !== true,
        marker: document.body.innerText.includes(m),
        ready: document.readyState,
      }), marker);
      return { ...s, ok: s.fresh && s.marker && s.ready === 'complete', loads: loads.length };
    });
    assert.ok(after.loads >= 2, `the page loaded again (${after.loads} loads)`);
    assert.equal(page.url(), response.url(), 'the reload stays on the same page');

    await poll(`the scroll position comes back to about ${before.y}`, RESTORE_MS, async () => {
      const y = await page.evaluate(() => window.scrollY);
      return { ok: Math.abs(y - before.y) <= SCROLL_SLACK, y };
    });
    assert.deepEqual(errors, [], 'no script errors');
    await context.close();
  } finally {
    await browser.close();
  }
});

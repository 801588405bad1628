// Transfer budgets (../shared/DESIGN.md, "Budgets"): what a page downloads, gzipped at level 9 as
// the release is served, until the network is idle. A page without tools may take 100 KB, a page
// with one tool 170 KB, and one with two or three tools 260 KB. Every page of the catalogue is
// checked, so an embed added to a long page cannot slip past the budget its tool page meets.
//
// The sizes are the responses' bodies gzipped here plus 200 bytes of headers each: within a few
// hundred bytes of what `node ../shared/measure/budgets.mjs` reads from the network.
import { test, expect } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { catalogue } from './site.js';

// Pattern pages over their budget when this test was written (2026-12-06): each embeds a tool
// whose own page fits 170 KB, plus 4 to 5 KB of the pattern's text and diagram. Marked as known
// failures, so the suite stays green and flags each one the day it fits (then remove it here).
// The fix planned: load an embedded tool when it comes near the screen, not with the page.
const KNOWN_OVER = new Set(['patterns/thundering-herd/', 'patterns/cache-crash-recovery/', 'patterns/api-security/']);

const COMPRESSED = /\.(html|css|js|wasm|svg|json|xml|txt|webmanifest)$|\/$/;
const HEADERS = 200;
const budgetFor = (tools) => (tools === 0 ? 100 : tools === 1 ? 170 : 260);

for (const entry of catalogue()) {
  test(`${entry.url} transfers within its budget`, async ({ page }) => {
    test.fail([...KNOWN_OVER].some((known) => entry.url.endsWith(known)), 'over its budget when the test was written');
    let bytes = 0;
    const bodies = [];
    page.on('response', (response) => bodies.push(response));
    await page.goto(entry.url, { waitUntil: 'networkidle' });
    for (const response of bodies) {
      const body = await response.body().catch(() => Buffer.alloc(0));
      const path = new URL(response.url()).pathname;
      bytes += HEADERS + (COMPRESSED.test(path) ? gzipSync(body, { level: 9 }).length : body.length);
    }
    const tools = await page.evaluate(() => new Set([...document.querySelectorAll('[data-viz]')].map((tool) => tool.dataset.viz)).size);
    const kb = bytes / 1024;
    expect(kb, `${entry.url} with ${tools} tool(s): ${kb.toFixed(1)} KB`).toBeLessThanOrEqual(budgetFor(tools));
  });
}

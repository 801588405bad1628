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

// Pages over their budget when this test was written (2026-12-06), marked as known failures so
// the suite stays green and flags each one the day it fits (then remove it here). The Kafka,
// replication lag and storage engines bundles are 153.6, 154.4 and 154.8 KB gzipped, 5 to 9 KB
// more than most tools', which puts their own pages 1.5 to 2.6 KB over 170 KB and the pattern
// pages that embed them 3 to 5 KB over (kafka deep dive 173.8, PostgreSQL ecosystem 174.4,
// database data structures 174.0). Their models and views have to get smaller.
const KNOWN_OVER = new Set([
  'visualizers/kafka-partitions/', 'patterns/kafka-deep-dive/', 'patterns/change-data-capture/', 'patterns/communication-patterns/',
  'visualizers/replication-lag/', 'patterns/postgresql-ecosystem/',
  'visualizers/storage-engines/', 'patterns/database-data-structures/',
]);

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

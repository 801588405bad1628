// Posters: before the WebAssembly runs, every tool shows its first frame, drawn at build time
// from its model (components/src/viz/poster.rs). Checked with the wasm blocked, on a 360 px
// phone and a 1280 px desktop, by the same drawing rules as the live tools (drawing-rules.js).
import { test, expect } from '@playwright/test';
import { catalogue, embeddingPages } from './site.js';
import { inspectDrawings } from './drawing-rules.js';

const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1280, height: 900 },
];
// The offline worker would fetch the bundles itself, past the blocked route.
test.use({ serviceWorkers: 'block' });

const visualizers = catalogue().filter((entry) => entry.kind === 'visualizer');

for (const viewport of VIEWPORTS) {
  test(`at ${viewport.width} px every tool shows its first frame before the app loads, legible and inside its canvas`, async ({ page }) => {
    await page.setViewportSize(viewport);
    // Asset URLs carry a content hash in the query (`…_bg.wasm?v=…`).
    await page.route(/\.wasm(\?|$)/, (route) => route.abort());
    const problems = [];
    // Each tool on its own page, then each embedded in the first page that shows it (at its preset).
    const stops = [...visualizers.map((entry) => ({ slug: entry.slug, url: entry.url, tool: '.viz' })),
      ...[...embeddingPages()].map(([slug, url]) => ({ slug: `${slug} embedded`, url, tool: `.viz--embedded[data-viz="${slug}"]` }))];
    for (const entry of stops) {
      await page.goto(entry.url);
      const poster = page.locator(`${entry.tool} .viz__poster svg[role="img"]`).first();
      await expect(poster, entry.slug).toBeVisible();
      expect(await poster.getAttribute('aria-label'), entry.slug).toMatch(/\w{3,}.*\./);
      await page.evaluate(() => document.fonts.ready);
      const result = await page.evaluate(inspectDrawings, { toolSelector: `${entry.tool} .viz__poster`, minimumPx: 11 });
      expect(result.textCount, `${entry.slug}: the poster has labels`).toBeGreaterThan(0);
      problems.push(...result.problems.map((problem) => `${entry.slug} poster @${viewport.width}px: ${problem}`));
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
}

// The visualizers' own SVG drawings, checked the way the diagram renderer lints diagrams: on a
// 360 px phone and a 1280 px desktop, every label of every drawing is inside the drawing, fits the
// box it is written in, and renders at 11 CSS px or more; on the phone the drawing and the Play
// button share the tool's first screen. The tools come from the catalogue, so a new tool is
// checked without touching this file.
//
// The rules are written out in drawing-rules.js, next to the code that measures them.
import { test, expect } from '@playwright/test';
import { catalogue, embeddingPages, tools } from './site.js';
import { inspectDrawings, inspectFirstScreen, watchFittedLayout } from './drawing-rules.js';

const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1280, height: 900 },
];
const visualizers = catalogue().filter((entry) => entry.kind === 'visualizer');
// At 360 px a staged tool's drawings are checked by stages.spec.js in the same visit that plays
// its stage (as loaded, the first screen, and after a run at 8x); the rest are checked here.
const staged = new Set(tools().filter((tool) => tool.staged).map((tool) => tool.slug));
const checkedHere = (viewport) => visualizers.filter((entry) => viewport.width >= 1000 || !staged.has(entry.slug));

const fitWatched = new WeakSet();

async function openTool(page, url, viewport, toolSelector) {
  await page.setViewportSize(viewport);
  if (viewport.width >= 1000 && !fitWatched.has(page)) {
    fitWatched.add(page);
    await page.addInitScript(watchFittedLayout);
  }
  await page.goto(url);
  // A problem's tool sits in its solution, and a long page fetches a tool only when the reader
  // comes near it: open the solution and scroll there, as a reader would.
  await page.evaluate(() => document.querySelectorAll('details.solution').forEach((details) => { details.open = true; }));
  await page.locator(toolSelector).first().scrollIntoViewIfNeeded();
  await expect(page.locator(toolSelector).first()).toBeVisible();
  await expect(page.locator(`${toolSelector} .viz__loading`)).toHaveCount(0, { timeout: 15_000 });
  await page.evaluate(() => document.fonts.ready);
}

/** What the fitted-layout watcher saw on this page since it loaded (nothing below 1000 px). */
const fitMismatches = (page) => page.evaluate(() => window.__fitMismatches ?? []);

for (const viewport of VIEWPORTS) {
  for (const entry of checkedHere(viewport)) {
    test(`${entry.slug} at ${viewport.width} px: every drawing's labels are inside it, fit their boxes and read at 11 px`, async ({ page }) => {
      await openTool(page, entry.url, viewport, '.viz');
      const result = await page.evaluate(inspectDrawings, { toolSelector: '.viz', minimumPx: 11 });
      const problems = [...result.problems, ...(await fitMismatches(page))].map((problem) => `${entry.slug} @${viewport.width}px: ${problem}`);
      if (viewport.width <= 400) {
        const screen = await page.evaluate(inspectFirstScreen);
        problems.push(...screen.problems.map((problem) => `${entry.slug} @${viewport.width}px: ${problem}`));
        console.log(`${entry.slug} @${viewport.width}px: ${result.svgCount} drawings, ${result.textCount} labels; first screen checked for ${screen.parts.join(' and ') || 'nothing'}; page ${screen.pageHeight} px tall`);
      }
      // Labels change as a run goes on (counts, states, siblings): the rules must hold later too.
      const play = page.locator('.viz .harness__play').first();
      if ((await play.count()) > 0) {
        await page.locator('.viz .harness__speed select').first().selectOption('8');
        await play.click();
        await page.waitForTimeout(1500);
        if ((await play.getAttribute('aria-pressed')) === 'true') await play.click();
        const later = await page.evaluate(inspectDrawings, { toolSelector: '.viz', minimumPx: 11 });
        const time = await page.locator('.viz .harness__time').first().textContent();
        problems.push(...later.problems.map((problem) => `${entry.slug} @${viewport.width}px after playing to ${time}: ${problem}`));
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }

  test(`embedded tools at ${viewport.width} px: the same rules hold inside the text`, async ({ page }) => {
    test.setTimeout(180_000);
    const pages = embeddingPages();
    expect(pages.size, 'pattern pages embed tools (see embeds.spec.js)').toBeGreaterThan(0);
    const problems = [];
    for (const [slug, url] of pages) {
      const selector = `.viz--embedded[data-viz="${slug}"]`;
      await openTool(page, url, viewport, selector);
      const result = await page.evaluate(inspectDrawings, { toolSelector: selector, minimumPx: 11 });
      problems.push(...[...result.problems, ...(await fitMismatches(page))].map((problem) => `${slug} embedded in ${url} @${viewport.width}px: ${problem}`));
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
}

// The checker itself must be able to fail: a drawing with each defect is planted in a tool.
test('the drawing checker reports a clipped label, a label wider than its box, a clipped box and a label too small to read', async ({ page }) => {
  await openTool(page, visualizers[0].url, { width: 360, height: 740 }, '.viz');
  await page.evaluate(() => {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'planted');
    svg.setAttribute('viewBox', '0 0 240 100');
    svg.setAttribute('width', '240');
    svg.innerHTML = `
      <text x="-20" y="20" font-size="14">clipped at the left</text>
      <g><rect x="60" y="40" width="40" height="24" /><text x="80" y="56" text-anchor="middle" font-size="14">Authorization server</text></g>
      <g><circle cx="200" cy="60" r="20" /><text x="200" y="65" text-anchor="middle" font-size="14">1 | 2 | 3</text></g>
      <g><rect x="150" y="-10" width="60" height="30" /><text x="180" y="16" text-anchor="middle" font-size="12">cut box</text></g>
      <text x="10" y="90" font-size="6">tiny</text>`;
    document.querySelector('.viz').append(svg);
  });
  const result = await page.evaluate(inspectDrawings, { toolSelector: '.viz', minimumPx: 11 });
  const planted = result.problems.filter((problem) => problem.startsWith('svg.planted'));
  expect(planted.find((problem) => problem.includes('"clipped at the left" is clipped by the viewBox'))).toContain('past the left');
  expect(planted.find((problem) => problem.includes('"Authorization server" overflows its <rect>'))).toContain('past the right');
  expect(planted.find((problem) => problem.includes('"1 | 2 | 3" overflows its <circle>'))).toBeTruthy();
  expect(planted.find((problem) => problem.includes('"tiny" renders at 6 px'))).toBeTruthy();
  expect(planted.find((problem) => problem.includes('"cut box" sits in a <rect>'))).toContain('10 past the top');
  expect(planted).toHaveLength(5);
});

test('the fitted-layout watcher reports a drawing laid out wider than its container', async ({ page }) => {
  await openTool(page, visualizers[0].url, { width: 1280, height: 900 }, '.viz');
  expect(await fitMismatches(page), 'the tool as it loaded').toEqual([]);
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.style.width = '300px';
    box.innerHTML = '<svg class="planted fitted" viewBox="0 0 760 100"></svg>';
    document.querySelector('.viz').append(box);
  });
  await expect.poll(() => fitMismatches(page)).toEqual(['svg.planted.fitted laid out 760 wide in a 300 px container']);
});

// Tools embedded in pages: every pattern page that shows a tool mounts it cleanly, its URL keys
// are scoped so a link restores it, the text does not move when it mounts, and a paused tool
// requests no animation frames.
import { test, expect } from '@playwright/test';
import { BASE, pagesWithEmbeds } from './site.js';
import { seriousViolations, watchProblems } from './helpers.js';

// Case studies and problems fetch their tools when the reader comes near one: long-pages.spec.js.
const pagesThatEmbed = pagesWithEmbeds().filter((entry) => !['case-study', 'problem', 'reference'].includes(entry.kind));

test('every embedded tool on a pattern or module page mounts; a pattern shows its tool right after its diagram', async ({ page }) => {
  test.setTimeout(300_000);
  // At the last count by hand (2026-12-06, before the seed's later phases), 30 patterns listed a
  // published visualizer first, the Netflix case embedded the CDN in its text, the foundations
  // module CAP and the reliability module three tools; pages have only been added since.
  expect(pagesThatEmbed.length).toBeGreaterThanOrEqual(33);
  const problems = watchProblems(page);
  await problems.ready;
  for (const entry of pagesThatEmbed) {
    await page.goto(entry.url);
    const embedded = page.locator('.viz--embedded');
    await expect(embedded.first(), entry.url).toBeAttached();
    // On a pattern page, a tool it lists comes right after the diagram and before the
    // explanation; a page may also place tools in its text (the Netflix case's CDN in push mode).
    const listed = await page.locator('.viz-embed:not(.pattern-body .viz-embed)').count();
    if (entry.kind === 'pattern' && listed > 0) await expect(page.locator('figure.diagram + .viz-embed').first()).toBeVisible();
    await expect(embedded.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
    expect(problems, entry.url).toEqual([]);
  }
});

test('a page with three different tools loads one bundle that carries the three, and each runs on its own', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  const wasm = [];
  page.on('request', (request) => { if (request.url().includes('.wasm')) wasm.push(new URL(request.url()).pathname); });
  await page.goto(`${BASE}modules/reliability/`);
  const tools = page.locator('.viz--embedded');
  await expect(tools).toHaveCount(3);
  await expect(tools.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
  expect(wasm).toEqual([`${BASE}viz-circuit-breaker--rate-limiters--retries_bg.wasm`]);
  // Each has its own controls and keys: changing one tool's seed leaves the others' alone.
  const retries = page.locator('.viz--embedded[data-viz="retries"]');
  await retries.getByLabel('Seed').fill('11');
  await retries.getByLabel('Seed').press('Enter');
  await expect(page).toHaveURL(/retries\.seed=11/);
  expect(page.url()).not.toMatch(/(circuit-breaker|rate-limiters)\.seed=11/);
  for (const slug of ['circuit-breaker', 'rate-limiters']) {
    await expect(page.locator(`.viz--embedded[data-viz="${slug}"]`).getByRole('button', { name: 'Play' })).toBeVisible();
  }
  await page.reload();
  await expect(retries.getByLabel('Seed')).toHaveValue('11', { timeout: 15_000 });
  expect(await seriousViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('an embedded tool keeps its keys under its scope, and a reload restores it', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(`${BASE}patterns/discord-storage-evolution/?other=kept`);
  const tool = page.locator('.viz--embedded[data-viz="consistent-hashing"]');
  await expect(tool.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
  const nodes = tool.getByLabel(/^Nodes/);
  await nodes.fill('7');
  await nodes.press('Enter');
  await expect(page).toHaveURL(/consistent-hashing\.nodes=7/);
  await expect(page).toHaveURL(/other=kept/);
  expect(page.url()).not.toMatch(/[?&]nodes=7/);
  // Ids are scoped too, so a second tool on the page could never collide.
  await expect(tool.locator('#consistent-hashing-param-nodes')).toHaveCount(1);
  await page.reload();
  await expect(tool.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
  await expect(tool.getByLabel(/^Nodes/)).toHaveValue('7');
  expect(await seriousViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('the text below an embedded tool does not move when the tool mounts', async ({ page }) => {
  await page.addInitScript(() => {
    window.__shifts = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shifts += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${BASE}patterns/discord-storage-evolution/`);
  await expect(page.locator('.viz--embedded .viz__loading')).toHaveCount(0, { timeout: 15_000 });
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => window.__shifts)).toBeLessThan(0.05);
});

test('a paused tool requests no animation frames; a playing one does', async ({ page }) => {
  await page.addInitScript(() => {
    window.__frames = 0;
    const original = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (callback) => { window.__frames += 1; return original(callback); };
  });
  await page.goto(`${BASE}visualizers/cache-stampede/`);
  await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
  await page.waitForTimeout(500);
  const idleStart = await page.evaluate(() => window.__frames);
  await page.waitForTimeout(2000);
  expect(await page.evaluate(() => window.__frames) - idleStart).toBe(0);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(1000);
  const playing = await page.evaluate(() => window.__frames);
  expect(playing - idleStart).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForTimeout(300);
  const paused = await page.evaluate(() => window.__frames);
  await page.waitForTimeout(2000);
  expect(await page.evaluate(() => window.__frames)).toBe(paused);
});

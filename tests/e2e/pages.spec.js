// Every page in catalogue.json, at phone and desktop width, in light and dark. One navigation
// per page: the viewport and colour scheme change in place, as they do for a reader. Layout is
// checked in all four combinations; axe runs once per theme (light on the phone, dark on the
// desktop), because it is the slow part and the markup is the same at both widths. Tools
// embedded in a page's text are left out of axe here: they are the same views axe checks on the
// tools' own pages in both themes, and embeds.spec.js runs it on pages with scoped embeds; on a
// page with three tools that halves the time axe takes (1.3 → 0.6 s, measured 2026-12-05).
//
// Pages are checked a handful at a time in one tab, as a reader goes from page to page, with the
// browser cache off (each page downloads everything, as on a first visit) and service workers
// blocked (offline.spec.js tests those), so the renderer process and its compiled copy of axe are
// reused. Measured 2026-12-06 on 14 pattern pages, one worker: 31.0 s as one test per page in a
// fresh browser context, 17.6 s this way. A failure names its page, and the other pages of its
// group are still checked.
//
// The same navigation checks the transfer budgets (../shared/DESIGN.md, "Budgets"): what the page
// downloads until the app has started and no request is in flight. A page without tools may take 100 KB, a page with one tool
// 170 KB, and one with two or three tools 260 KB. Every page is checked, so an embed added to a
// long page cannot slip past the budget its tool page meets.
import { test, expect } from '@playwright/test';
import { catalogue } from './site.js';
import { diagramLabelProblems, recordTransfer, seriousViolations, waitForApp, watchProblems } from './helpers.js';

// Pages over their budget. For these the check is reversed, so that it fails the day the page
// fits: then take it off this list. Empty since the tool bundles left the search to the core
// bundle (2026-12-06), which took 6.9 KB gzipped off every page with a tool.
const KNOWN_OVER = new Set([]);
const budgetFor = (tools) => (tools === 0 ? 100 : tools === 1 ? 170 : 260);

const viewports = [
  { name: '360px', width: 360, height: 780 },
  { name: '1280px', width: 1280, height: 900 },
];
const schemes = ['light', 'dark'];

/** Checks one page in `page`, throwing at the first thing wrong with it. */
async function checkPage(page, transfer, entry) {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.emulateMedia({ colorScheme: 'light' });
  transfer.reset();
  const response = await page.goto(entry.url);
  expect(response.status(), 'HTTP status').toBe(200);
  await waitForApp(page);
  await transfer.settled();
  const kb = transfer.kilobytes();
  // The quiz, practice, progress and certificate pages run the learning bundle, an interactive
  // tool in its own right (it checks and schedules answers, draws certificates, generates
  // questions from the models): they are held to the budget of a page with one tool.
  const tools = await page.evaluate(() => new Set([...document.querySelectorAll('[data-viz]')].map((tool) => tool.dataset.viz)).size + ([...document.querySelectorAll('script[type=module]')].some((script) => /viz-(learn|practice)/.test(script.textContent)) ? 1 : 0));
  const within = kb <= budgetFor(tools);
  const known = [...KNOWN_OVER].some((over) => entry.url.endsWith(over));
  expect(within, `${kb.toFixed(1)} KB with ${tools} tool(s), budget ${budgetFor(tools)} KB${known ? ': now within it, take the page off KNOWN_OVER' : ''}`).toBe(!known);
  await expect(page.locator('h1')).toHaveCount(1);
  await expect(page).toHaveTitle(new RegExp(entry.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // Diagrams: each labelled inside its boxes as rendered, and a pattern's titled for screen readers.
  expect(await page.evaluate(diagramLabelProblems), 'diagram labels outside their boxes').toEqual([]);
  if (entry.kind === 'pattern') {
    // Its own diagram, and any placed in its text with a ```diagram block: each titled.
    const drawings = await page.locator('figure.diagram svg.dg').count();
    expect(drawings).toBeGreaterThan(0);
    await expect(page.locator('figure.diagram svg.dg > title')).toHaveCount(drawings);
  }

  for (const viewport of viewports) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    for (const scheme of schemes) {
      await page.emulateMedia({ colorScheme: scheme });
      const where = `${viewport.name} ${scheme}`;
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `page scrolls sideways at ${where}`).toBeLessThanOrEqual(0);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = background.match(/\d+/g).map(Number);
      const luminance = (r + g + b) / 3;
      expect(scheme === 'dark' ? luminance < 60 : luminance > 200, `background ${background} at ${where}`).toBe(true);
      const axeHere = (scheme === 'light') === (viewport.width === 360);
      if (axeHere) expect(await seriousViolations(page, { exclude: '.viz--embedded' }), `axe at ${where}`).toEqual([]);
    }
  }
}

const PAGES_PER_TAB = 7;
const entries = catalogue();
for (let start = 0; start < entries.length; start += PAGES_PER_TAB) {
  const group = entries.slice(start, start + PAGES_PER_TAB);
  test(`pages ${start + 1}-${start + group.length}: ${group.map((entry) => entry.url.replace(/^\/[^/]+\//, '/')).join(' ')}`, async ({ browser }) => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await problems.ready;
    const transfer = await recordTransfer(page);
    const failures = [];
    for (const entry of group) {
      const before = problems.length;
      await test.step(`${entry.kind} ${entry.url}`, async () => {
        try {
          await checkPage(page, transfer, entry);
        } catch (error) {
          failures.push(`${entry.url}: ${error.message}`);
        }
        const seen = problems.slice(before);
        if (seen.length > 0) failures.push(`${entry.url}: ${seen.join('; ')}`);
      });
    }
    await context.close();
    expect(failures, failures.join('\n\n')).toEqual([]);
  });
}

// The accessibility check must be able to fail: violations are planted in a page, one inside the
// part it is told to leave out.
test('the accessibility check reports planted violations and leaves out what it is told to', async ({ page }) => {
  await page.goto(catalogue()[0].url);
  await waitForApp(page);
  expect(await seriousViolations(page)).toEqual([]);
  await page.evaluate(() => {
    const main = document.querySelector('main');
    main.insertAdjacentHTML('beforeend', '<button class="planted-button"></button><div class="planted-excluded"><img src="data:," class="planted-image"></div>');
  });
  const all = await seriousViolations(page);
  expect(all.map((violation) => violation.id).sort()).toEqual(['button-name', 'image-alt']);
  expect(all.find((violation) => violation.id === 'button-name').targets).toEqual(['.planted-button']);
  const some = await seriousViolations(page, { exclude: '.planted-excluded' });
  expect(some.map((violation) => violation.id)).toEqual(['button-name']);
});

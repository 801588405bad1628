// Every page in catalogue.json, at phone and desktop width, in light and dark. One navigation
// per page: the viewport and colour scheme change in place, as they do for a reader. Layout is
// checked in all four combinations; axe runs once per theme (light on the phone, dark on the
// desktop), because it is the slow part and the markup is the same at both widths. Tools
// embedded in a page's text are left out of axe here: they are the same views axe checks on the
// tools' own pages in both themes, and embeds.spec.js runs it on pages with scoped embeds; on a
// page with three tools that halves the time axe takes (1.3 → 0.6 s, measured 2026-12-05).
import { test, expect } from '@playwright/test';
import { catalogue } from './site.js';
import { diagramLabelProblems, seriousViolations, waitForApp, watchProblems } from './helpers.js';

const viewports = [
  { name: '360px', width: 360, height: 780 },
  { name: '1280px', width: 1280, height: 900 },
];
const schemes = ['light', 'dark'];

for (const entry of catalogue()) {
  test(`${entry.kind} ${entry.url}`, async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.emulateMedia({ colorScheme: 'light' });
    const problems = watchProblems(page);
    await problems.ready;

    const response = await page.goto(entry.url);
    expect(response.status(), 'HTTP status').toBe(200);
    await waitForApp(page);
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page).toHaveTitle(new RegExp(entry.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // Diagrams: each labelled inside its boxes as rendered, and a pattern's titled for screen readers.
    expect(await page.evaluate(diagramLabelProblems), 'diagram labels outside their boxes').toEqual([]);
    if (entry.kind === 'pattern') await expect(page.locator('figure.diagram svg.dg title')).toHaveCount(1);

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
    expect(problems).toEqual([]);
  });
}

// Every page in catalogue.json, at phone and desktop width, in light and dark. One navigation
// per page: the viewport and colour scheme change in place, as they do for a reader. Layout is
// checked in all four combinations; axe runs once per theme (light on the phone, dark on the
// desktop), because it is the slow part and the markup is the same at both widths.
import { test, expect } from '@playwright/test';
import { catalogue } from './site.js';
import { seriousViolations, waitForApp, watchProblems } from './helpers.js';

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
        if (axeHere) expect(await seriousViolations(page), `axe at ${where}`).toEqual([]);
      }
    }
    expect(problems).toEqual([]);
  });
}

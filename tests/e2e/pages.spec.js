// Every page in catalogue.json, at phone and desktop width, in light and dark.
import { test, expect } from '@playwright/test';
import { catalogue } from './site.js';
import { seriousViolations, waitForApp, watchProblems } from './helpers.js';

const viewports = [
  { name: '360px', width: 360, height: 780 },
  { name: '1280px', width: 1280, height: 900 },
];
const schemes = ['light', 'dark'];

for (const entry of catalogue()) {
  for (const viewport of viewports) {
    for (const scheme of schemes) {
      test(`${entry.kind} ${entry.url} at ${viewport.name} in ${scheme}`, async ({ page }) => {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await page.emulateMedia({ colorScheme: scheme });
        const problems = watchProblems(page);

        const response = await page.goto(entry.url);
        expect(response.status(), 'HTTP status').toBe(200);
        await waitForApp(page);

        await expect(page.locator('h1')).toHaveCount(1);
        await expect(page).toHaveTitle(new RegExp(entry.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, 'page scrolls sideways').toBeLessThanOrEqual(0);
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const [r, g, b] = background.match(/\d+/g).map(Number);
        const luminance = (r + g + b) / 3;
        expect(scheme === 'dark' ? luminance < 60 : luminance > 200, `background ${background} in ${scheme}`).toBe(true);

        expect(await seriousViolations(page)).toEqual([]);
        expect(problems).toEqual([]);
      });
    }
  }
}

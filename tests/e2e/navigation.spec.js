// Navigation that feels instant: hovering a link prefetches its page (speculation rules), and
// moving between pages is a view transition unless the reader asks for less motion.
import { test, expect } from '@playwright/test';
import { BASE, catalogue } from './site.js';
import { waitForApp, watchProblems } from './helpers.js';

const pages = catalogue();
const moduleEntry = pages.find((entry) => entry.kind === 'module');

test('hovering a link prefetches its page, and the click uses the prefetch', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  const session = await page.context().newCDPSession(page);
  await session.send('Preload.enable');
  const prefetched = [];
  session.on('Preload.prefetchStatusUpdated', (event) => {
    if (event.status === 'Ready') prefetched.push(event.prefetchUrl);
  });
  await page.goto(BASE);
  await waitForApp(page);
  const link = page.locator('main a[href$="/modules/"]').first();
  const target = new URL(await link.getAttribute('href'), page.url()).href;
  // Nothing is fetched ahead without a sign of intent ("moderate" eagerness)...
  await page.waitForTimeout(500);
  expect(prefetched).not.toContain(target);
  // ...and a hover is one.
  await link.hover();
  await expect.poll(() => prefetched, { timeout: 10_000 }).toContain(target);
  await link.click();
  await expect(page).toHaveURL(target);
  const delivery = await page.evaluate(() => performance.getEntriesByType('navigation')[0].deliveryType);
  expect(delivery).toBe('navigational-prefetch');
  expect(problems).toEqual([]);
});

test('the speculation rules stay inside the site', async ({ page }) => {
  await page.goto(BASE);
  const rules = JSON.parse(await page.locator('script[type="speculationrules"]').textContent());
  const [rule] = rules.prefetch;
  expect(rule.eagerness).toBe('moderate');
  expect(rule.source).toBe('document');
  expect(rule.where.and[0]).toEqual({ href_matches: `${BASE}*` });
});

for (const motion of ['no-preference', 'reduce']) {
  test(`a navigation between pages ${motion === 'reduce' ? 'has no' : 'is a'} view transition (prefers-reduced-motion: ${motion})`, async ({ page }) => {
    const problems = watchProblems(page);
    await problems.ready;
    await page.emulateMedia({ reducedMotion: motion });
    // `pagereveal` tells the new page whether it arrived through a view transition.
    await page.addInitScript(() => {
      addEventListener('pagereveal', (event) => {
        window.__viewTransition = Boolean(event.viewTransition);
      });
    });
    await page.goto(BASE);
    await waitForApp(page);
    await page.locator(`main a[href="${moduleEntry.url}"]`).first().click();
    await expect(page.locator('h1')).toHaveText(moduleEntry.title);
    await expect.poll(() => page.evaluate(() => window.__viewTransition)).toBe(motion !== 'reduce');
    expect(problems).toEqual([]);
  });
}

test('a view transition the browser skips is not a page error', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  // Chromium skips a transition on its own when the new page is already shown; skipping it here
  // rejects the same promises, which must not surface as an uncaught error.
  await page.addInitScript(() => {
    addEventListener('pagereveal', (event) => {
      if (event.viewTransition) {
        window.__skipped = true;
        event.viewTransition.skipTransition();
      }
    });
  });
  await page.goto(BASE);
  await waitForApp(page);
  await page.locator(`main a[href="${moduleEntry.url}"]`).first().click();
  await expect(page.locator('h1')).toHaveText(moduleEntry.title);
  await expect.poll(() => page.evaluate(() => window.__skipped)).toBe(true);
  await page.waitForTimeout(300);
  expect(problems).toEqual([]);
});

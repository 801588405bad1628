// The app shell: sub-path links, deep links, not-found, theme memory, keyboard, no-JS reading, panics.
import { test, expect } from '@playwright/test';
import { BASE, catalogue } from './site.js';
import { waitForApp, watchProblems } from './helpers.js';

const pages = catalogue();
const moduleEntry = pages.find((entry) => entry.kind === 'module');

test('catalogue lists the home page, the module index and all ten modules', () => {
  expect(pages.find((entry) => entry.kind === 'home').url).toBe(BASE);
  const modules = pages.filter((entry) => entry.kind === 'module');
  expect(modules).toHaveLength(10);
  for (const entry of pages) {
    expect(entry.url.startsWith(BASE), entry.url).toBe(true);
    for (const field of ['kind', 'id', 'slug', 'title', 'category', 'url']) expect(entry[field], `${entry.url} ${field}`).toBeTruthy();
  }
});

test('every internal link on every page carries the base path and resolves, to an anchor that exists', async ({ request }) => {
  test.setTimeout(180_000);
  const known = new Set(pages.map((entry) => entry.url));
  const html = new Map();
  const page = async (url) => {
    if (!html.has(url)) html.set(url, await (await request.get(url)).text());
    return html.get(url);
  };
  const assets = new Set();
  for (const entry of pages) {
    const links = [...(await page(entry.url)).matchAll(/\b(?:href|src)="(\/[^"#]*)(?:#([^"]*))?"/g)];
    expect(links.length).toBeGreaterThan(0);
    for (const [, href, anchor] of links) {
      expect(href.startsWith(BASE), `${entry.url} links to ${href}`).toBe(true);
      if (href.endsWith('/')) {
        expect(known.has(href), `${entry.url} links to unknown page ${href}`).toBe(true);
        // A link into a section (a module topic covered by a reference document) finds it.
        if (anchor) expect(await page(href), `${entry.url} links to ${href}#${anchor}`).toContain(`id="${anchor}"`);
      } else if (!assets.has(href)) {
        // Each asset once: every page links the same stylesheets and scripts.
        assets.add(href);
        expect((await request.get(href)).status(), `${entry.url} asset ${href}`).toBe(200);
      }
    }
  }
});

test('sitemap lists every catalogue page', async ({ request }) => {
  const sitemap = await (await request.get(`${BASE}sitemap.xml`)).text();
  for (const entry of pages) expect(sitemap).toContain(`${entry.url}</loc>`);
});

test('a deep link survives a reload and renders its content before the app starts', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(moduleEntry.url);
  await expect(page.locator('h1')).toHaveText(moduleEntry.title);
  await page.reload();
  await expect(page.locator('h1')).toHaveText(moduleEntry.title);
  await waitForApp(page);
  expect(problems).toEqual([]);
});

test('pages read without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(moduleEntry.url);
  await expect(page.locator('h1')).toHaveText(moduleEntry.title);
  await expect(page.locator('main .objectives li').first()).toBeVisible();
  expect(await page.locator('main .topic').count()).toBeGreaterThanOrEqual(10);
  await context.close();
});

test('an unknown address gets the not-found page with ways out', async ({ page }) => {
  const response = await page.goto(`${BASE}patterns/no-such-pattern/`);
  expect(response.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
  await expect(page.getByRole('link', { name: 'All learning modules' })).toHaveAttribute('href', `${BASE}modules/`);
  await waitForApp(page);
});

test('the theme choice applies at once and survives a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(BASE);
  await waitForApp(page);
  const theme = page.getByLabel('Theme');
  await expect(theme).toHaveValue('system');
  await theme.selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await waitForApp(page);
  await expect(page.getByLabel('Theme')).toHaveValue('dark');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(17, 20, 24)');
  await page.getByLabel('Theme').selectOption('system');
  await page.reload();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
});

test('a stored theme that is garbage falls back to the system theme', async ({ page }) => {
  await page.goto(BASE);
  await page.evaluate(() => localStorage.setItem('atlas-theme', '<img src=x onerror=alert(1)>'));
  await page.reload();
  await waitForApp(page);
  await expect(page.getByLabel('Theme')).toHaveValue('system');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
});

test('keyboard: the skip link is first and moves focus to the content', async ({ page }) => {
  await page.goto(moduleEntry.url);
  await waitForApp(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  // Tabbing onwards reaches the first link inside the content, with a visible focus ring.
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  expect(outline).toBe('solid');
  expect(await page.evaluate(() => document.activeElement.closest('main') !== null)).toBe(true);
});

test('a panic shows a visible message with a reload link', async ({ page }) => {
  await page.goto(moduleEntry.url);
  await waitForApp(page);
  await page.evaluate(() => {
    try { window.wasmBindings.debug_panic(); } catch { /* the trap surfaces as an exception here */ }
  });
  const banner = page.getByRole('alert');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Something went wrong');
  await expect(banner.getByRole('link', { name: 'Reload the page' })).toHaveAttribute('href', new RegExp(`${moduleEntry.url}$`));
});

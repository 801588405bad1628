// Offline reading and installing: the service worker keeps visited pages, "Save the whole atlas"
// keeps everything, a new deploy is offered with "Reload", and nothing breaks where service
// workers are unavailable. Each test has its own browser context, so its own worker and caches.
import { test, expect, chromium } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, DIST, PORT, catalogue } from './site.js';
import { waitForApp, watchProblems } from './helpers.js';

const pages = catalogue();
const home = pages.find((entry) => entry.kind === 'home');
const [firstPattern, secondPattern] = pages.filter((entry) => entry.kind === 'pattern');
const [firstTool, secondTool] = pages.filter((entry) => entry.kind === 'visualizer');
const unvisitedModule = pages.filter((entry) => entry.kind === 'module').at(-1);
const repo = new URL('../..', import.meta.url).pathname;

/** Waits until the service worker is active and controls the page. */
async function waitForWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

/** Waits until the page at `url` is stored for offline reading. */
async function waitUntilStored(page, url) {
  await expect
    .poll(() => page.evaluate(async (address) => Boolean(await caches.match(new URL(address, location.href).href)), url), { message: `${url} stored` })
    .toBe(true);
}

/**
 * Cuts the network for the whole context. In Chromium this reaches the service worker's own
 * fetches too (an unvisited page then gets the offline page, which it could not if the worker
 * still reached the server).
 */
async function goOffline(context) {
  await context.setOffline(true);
}

test('visited pages read offline, and an unvisited page gets the offline page', async ({ page, context }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(home.url);
  await waitForApp(page);
  await waitForWorker(page);
  for (const entry of [firstPattern, firstTool]) {
    await page.goto(entry.url);
    await waitForApp(page);
  }
  for (const entry of [home, firstPattern, firstTool]) await waitUntilStored(page, entry.url);

  await goOffline(context);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await page.reload();
  await expect(page.locator('h1')).toHaveText(firstTool.title);
  await waitForApp(page);
  for (const entry of [home, firstPattern]) {
    await page.goto(entry.url);
    await expect(page).toHaveTitle(new RegExp(entry.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await waitForApp(page);
  }
  // The very first page was opened before the worker existed; it is stored all the same.
  await page.goto(home.url);
  await expect(page.locator('main h1')).toHaveText(home.title);

  await page.goto(unvisitedModule.url);
  await expect(page.locator('h1')).toHaveText("You're offline");
  const saved = page.locator('[data-offline-pages] a');
  await expect(saved.filter({ hasText: firstPattern.title })).toHaveAttribute('href', firstPattern.url);
  await expect(saved.filter({ hasText: firstTool.title })).toHaveAttribute('href', firstTool.url);
  await expect(saved.filter({ hasText: unvisitedModule.title })).toHaveCount(0);
  await saved.filter({ hasText: firstPattern.title }).click();
  await expect(page.locator('h1')).toHaveText(firstPattern.title);
  expect(problems).toEqual([]);
});

test('"Save the whole atlas" shows progress, says when done, and then every page reads offline', async ({ page, context, request }) => {
  const problems = watchProblems(page);
  await problems.ready;
  const list = await (await request.get(`${BASE}offline-manifest.json`)).json();
  const total = list.files.length;
  expect(total).toBeGreaterThan(pages.length);

  await page.goto(home.url);
  await waitForApp(page);
  await waitForWorker(page);
  const section = page.locator('[data-offline-save]');
  const start = section.getByRole('button', { name: 'Save the whole atlas for offline' });
  await start.scrollIntoViewIfNeeded();
  const box = await start.boundingBox();
  expect(box.height).toBeGreaterThanOrEqual(44);
  const started = Date.now();
  await start.click();
  await expect(section.locator('[data-offline-progress]')).toContainText(new RegExp(`^\\d+ of ${total} files · [\\d.]+ MB of [\\d.]+ MB$`));
  const status = section.getByRole('status');
  await expect(status).toContainText(`Done: the whole atlas (${total} files,`, { timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  await expect(section.locator('[data-offline-progress]')).toHaveText(new RegExp(`^${total} of ${total} files`));
  await expect(section.locator('progress')).toHaveAttribute('value', String(total));
  console.log(`saved the whole atlas: ${total} files, ${(list.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);

  await goOffline(context);
  // Pages and tools this reader never opened, with their WebAssembly.
  for (const entry of [secondPattern, secondTool, unvisitedModule]) {
    await page.goto(entry.url);
    await expect(page.locator('h1')).toHaveText(entry.title);
    await waitForApp(page);
  }
  expect(problems).toEqual([]);
});

test('saving can be cancelled, and what was saved stays', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(home.url);
  await waitForApp(page);
  await waitForWorker(page);
  // Cancel as soon as a few files are in: a click from the test could arrive after the end.
  await page.evaluate(() => {
    const progress = document.querySelector('[data-offline-progress]');
    new MutationObserver((_, observer) => {
      if (Number.parseInt(progress.textContent, 10) >= 5) {
        observer.disconnect();
        document.querySelector('[data-offline-cancel]').click();
      }
    }).observe(progress, { childList: true, characterData: true, subtree: true });
  });
  const section = page.locator('[data-offline-save]');
  await section.getByRole('button', { name: 'Save the whole atlas for offline' }).click();
  await expect(section.getByRole('status')).toContainText('Cancelled.');
  await expect(section.getByRole('button', { name: 'Cancel' })).toBeHidden();
  await expect(section.getByRole('button', { name: 'Save the whole atlas for offline' })).toBeEnabled();
  expect(problems).toEqual([]);
});

test('a new deploy shows "A new version is available", and Reload brings it in', async ({ browser }) => {
  // A copy of the site on a server of its own, so it can be changed like a deploy.
  const site = mkdtempSync(join(tmpdir(), 'atlas-deploy-'));
  cpSync(join(repo, DIST), site, { recursive: true });
  const port = PORT + 2;
  const server = spawn('node', [join(repo, 'tests/e2e/serve.mjs'), '--dir', site, '--base', BASE, '--port', String(port)], { stdio: 'pipe' });
  const context = await browser.newContext();
  try {
    await new Promise((resolve, reject) => {
      server.stdout.on('data', resolve);
      server.on('exit', reject);
    });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await problems.ready;
    const origin = `http://127.0.0.1:${port}`;
    await page.goto(`${origin}${home.url}`);
    await waitForApp(page);
    await waitForWorker(page);
    const notice = page.locator('[data-sw-update]');
    await expect(notice).toBeEmpty();
    const oldVersion = JSON.parse(readFileSync(join(site, 'offline-manifest.json'), 'utf8')).version;

    // The deploy: a page changes, and the build's last step runs again.
    const index = join(site, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace(`<h1>${home.title}</h1>`, `<h1>${home.title}, revised</h1>`));
    execFileSync('cargo', ['run', '--quiet', '-p', 'atlas-sitegen', '--', 'offline', site, BASE], { cwd: repo, stdio: 'pipe' });
    const newVersion = JSON.parse(readFileSync(join(site, 'offline-manifest.json'), 'utf8')).version;
    expect(newVersion).not.toBe(oldVersion);
    // A file the list names goes missing, so saving has something to report.
    rmSync(join(site, firstPattern.url.slice(BASE.length), 'index.html'));

    // Reading on: the browser checks for a new worker on navigation.
    await page.reload();
    await expect(page.getByRole('status').filter({ hasText: 'A new version of the atlas is available.' })).toBeVisible({ timeout: 20_000 });
    await expect(page.locator('main h1')).toHaveText(`${home.title}, revised`); // pages are network-first
    // "Later" puts the notice away for now; the next visit offers it again.
    await notice.getByRole('button', { name: 'Later' }).click();
    await expect(notice).toBeEmpty();
    await page.reload();
    await expect(notice).toContainText('A new version of the atlas is available.');
    const reload = notice.getByRole('button', { name: 'Reload' });
    expect((await reload.boundingBox()).height).toBeGreaterThanOrEqual(44);
    await Promise.all([page.waitForEvent('load'), reload.click()]);
    await waitForApp(page);
    await expect(notice).toBeEmpty();
    const caches = await page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('atlas:')));
    expect(caches).toEqual([`atlas:${BASE}:${newVersion}`]);

    // Saving reports the file that could not be fetched.
    const section = page.locator('[data-offline-save]');
    await section.getByRole('button', { name: 'Save the whole atlas for offline' }).click();
    await expect(section.getByRole('status')).toContainText('1 could not be downloaded', { timeout: 120_000 });
    await expect(section.getByRole('status')).toContainText(firstPattern.url.slice(BASE.length - 1));
    await expect(section.getByRole('button', { name: 'Try again' })).toBeVisible();
    // The only problems are the deliberately missing file's 404 (as a response and in the console).
    const expected404 = 'console: Failed to load resource: the server responded with a status of 404 (Not Found)';
    expect(problems.filter((problem) => !problem.includes(firstPattern.url) && problem !== expected404)).toEqual([]);
  } finally {
    await context.close();
    server.kill();
    rmSync(site, { recursive: true, force: true });
  }
});

test('where service workers are unavailable (plain http off localhost), pages work and the save control stays hidden', async () => {
  // The same server under a made-up host name: http there is not a secure context.
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--host-resolver-rules=MAP atlas.invalid 127.0.0.1'],
  });
  try {
    const page = await browser.newPage();
    const problems = watchProblems(page);
    await problems.ready;
    await page.goto(`http://atlas.invalid:${PORT}${home.url}`);
    await waitForApp(page);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    expect(await page.evaluate(() => 'serviceWorker' in navigator)).toBe(false);
    await expect(page.locator('[data-offline-save]')).toBeHidden();
    await expect(page.locator('main h1')).toHaveText(home.title);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('the web app manifest is scoped to the base path and its icons load', async ({ page, request }) => {
  await page.goto(home.url);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await request.get(href)).json();
  expect(manifest.start_url).toBe(BASE);
  expect(manifest.scope).toBe(BASE);
  expect(manifest.name).toBe('System Design Atlas');
  expect(manifest.short_name.length).toBeLessThanOrEqual(12);
  await expect(page.locator('meta[name="theme-color"][media="(prefers-color-scheme: light)"]')).toHaveCount(1);
  await expect(page.locator('meta[name="theme-color"][media="(prefers-color-scheme: dark)"]')).toHaveCount(1);
  const sizes = await page.evaluate(
    (icons) =>
      Promise.all(
        icons.map(
          (icon) =>
            new Promise((resolve) => {
              const image = new Image();
              image.onload = () => resolve(`${icon.sizes} ${image.naturalWidth}x${image.naturalHeight}`);
              image.onerror = () => resolve(`${icon.sizes} failed`);
              image.src = icon.src;
            }),
        ),
      ),
    manifest.icons.filter((icon) => icon.type === 'image/png'),
  );
  expect(sizes).toContain('192x192 192x192');
  expect(sizes).toContain('512x512 512x512');
  expect(sizes.filter((size) => size.endsWith('failed'))).toEqual([]);
});

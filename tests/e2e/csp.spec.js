// The Content Security Policy: on every page, strict, and actually enforced.
// (Every other test also fails on any violation: see watchProblems in helpers.js.)
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { BASE, catalogue } from './site.js';
import { waitForApp, watchProblems } from './helpers.js';

const pages = catalogue();
const policyPattern = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/;

/** Every inline <script> of a page, by a plain reading of the HTML (independent of sitegen's). */
function inlineScripts(html) {
  return [...html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g)]
    .filter((match) => !/\ssrc=/.test(match[1] ?? ''))
    .map((match) => match[2]);
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

test('every page carries a strict policy that allows exactly its inline scripts', async ({ request }) => {
  test.setTimeout(240_000);
  const urls = [...pages.map((entry) => entry.url), `${BASE}offline.html`, `${BASE}404.html`];
  for (const url of urls) {
    const html = await (await request.get(url)).text();
    const found = html.match(policyPattern);
    expect(found, `${url} has no CSP meta`).not.toBeNull();
    // It governs everything after it, so it must come before any script or stylesheet.
    expect(html.indexOf(found[0]), url).toBeLessThan(html.indexOf('<script'));
    expect(html.indexOf(found[0]), url).toBeLessThan(html.indexOf('<link'));
    const directives = Object.fromEntries(found[1].split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives['default-src'], url).toEqual(["'self'"]);
    expect(directives['object-src'], url).toEqual(["'none'"]);
    expect(directives['base-uri'], url).toEqual(["'self'"]);
    for (const directive of ['script-src', 'style-src']) {
      for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'data:']) {
        expect(directives[directive], `${url} ${directive}`).not.toContain(unsafe);
      }
    }
    // No third-party origin anywhere in the policy.
    expect(found[1], url).not.toMatch(/https?:\/\//);
    const scripts = inlineScripts(html);
    expect(scripts.length, `${url} inline scripts`).toBeGreaterThanOrEqual(2);
    for (const script of scripts) expect(directives['script-src'], `${url}: hash of ${script.slice(0, 60)}`).toContain(sha256(script));
    const hashes = directives['script-src'].filter((value) => value.startsWith("'sha256-"));
    expect(hashes.length, `${url} has hashes for scripts it does not contain`).toBe(new Set(scripts.map(sha256)).size);
  }
});

test('an injected inline script is blocked and reported', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(pages.find((entry) => entry.kind === 'module').url);
  await waitForApp(page);
  expect(problems).toEqual([]);
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.body.append(script);
    const handler = document.createElement('img');
    handler.setAttribute('onerror', 'window.__injected = true');
    handler.src = 'data:,not-an-image';
    document.body.append(handler);
  });
  await expect.poll(() => problems.filter((problem) => problem.startsWith('CSP violation')).length).toBeGreaterThanOrEqual(2);
  expect(await page.evaluate(() => window.__injected)).toBeUndefined();
  expect(problems.join('\n')).toContain('script-src-elem blocked inline `window.__injected = true;`');
});

test('the page scripts all ran under the policy: theme, app, speculation rules, offline support', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(BASE);
  await waitForApp(page);
  expect(await page.evaluate(() => document.documentElement.classList.contains('js'))).toBe(true);
  await expect(page.locator('[data-offline-save]')).toBeVisible();
  expect(await page.evaluate(() => HTMLScriptElement.supports?.('speculationrules'))).toBe(true);
  expect(problems).toEqual([]);
});

// Shared steps for the browser tests.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from '@playwright/test';

/**
 * Collects console errors, uncaught page errors, failed requests and Content Security Policy
 * violations while a test runs. Call it before the first navigation.
 */
export function watchProblems(page) {
  const problems = [];
  // Every document the page opens reports each CSP violation (with what was blocked and which
  // directive blocked it) through this binding, so a violation fails the test even where the
  // browser would not log it as a console error.
  const binding = page
    .exposeBinding('__atlasReportCspViolation', (_source, violation) => problems.push(`CSP violation: ${violation}`))
    .catch(() => {});
  const listener = page
    .addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const blocked = event.blockedURI || 'inline';
        const sample = event.sample ? ` \`${event.sample}\`` : '';
        window.__atlasReportCspViolation?.(`${event.effectiveDirective} blocked ${blocked}${sample} at ${event.sourceFile || document.URL}:${event.lineNumber}`);
      });
    })
    .catch(() => {});
  // Both registrations are asynchronous: a test that must see a violation on its first document
  // awaits `problems.ready` before navigating.
  // Not enumerable, so `expect(problems).toEqual([])` still compares only the problems.
  Object.defineProperty(problems, 'ready', { value: Promise.all([binding, listener]), enumerable: false });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  // One rejection is Chromium's, not the site's: a cross-document view transition skipped because
  // the new page was already shown. The pages mark those promises handled on both sides of the
  // navigation (`TRANSITION_BOOT` in sitegen/src/render/layout.rs), yet twice in a few thousand
  // navigations (fresh-clone runs of 2026-12-06 and 2026-12-07, a search result opened with Enter)
  // Playwright still reported it from the page being left, after the next page had loaded. No
  // reader can see it; every other page error still fails the test.
  page.on('pageerror', (error) => {
    const skippedTransition = /^Transition was aborted because of invalid state\. Page already revealed$/.test(error.message);
    if (!skippedTransition) problems.push(`page error: ${error.message}`);
  });
  page.on('response', (response) => {
    const expected404 = response.request().resourceType() === 'document' && response.status() === 404;
    if (response.status() >= 400 && !expected404) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** Waits until the WebAssembly app has started and mounted its islands. */
export async function waitForApp(page) {
  await expect(page.locator('.theme-switch select')).toBeVisible({ timeout: 15_000 });
}

// axe runs inside the page, injected once per document. @axe-core/playwright's AxeBuilder
// injects the 560 KB script again at every analyze() and then opens a blank page to finish the
// run across frames; measured 2026-12-06 on six of our pages, 1.0 to 1.6 s a call against 0.4 to
// 0.8 s for the first axe.run here and 0.1 to 0.35 s for the second. The site has no frames,
// so a run in the top document sees every element.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21aa'];

/**
 * Runs axe for WCAG 2.1 AA and returns the violations of serious or critical impact, leaving out
 * the elements matching `exclude` (a selector), if given.
 */
export async function seriousViolations(page, { exclude } = {}) {
  if (!(await page.evaluate(() => typeof window.axe?.run === 'function'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(
    async ({ exclude, tags }) => {
      const context = exclude ? { exclude: [[exclude]] } : document;
      const results = await window.axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
      }));
    },
    { exclude: exclude ?? null, tags: WCAG_AA },
  );
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(({ id, help, targets }) => ({ id, help, targets }));
}

/**
 * Records what the page transfers from now on, the way `node ../shared/measure/budgets.mjs`
 * checks the budgets: the DevTools protocol's `encodedDataLength` of every response the page
 * receives, headers and body as they crossed the network (gzipped by the server, as a static
 * host serves the site). The favicon's fetch is counted, there as here. The tab's cache is
 * turned off, so each page navigated to in it downloads everything, as on a first visit.
 */
export async function recordTransfer(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const bytes = new Map();
  const pending = new Set();
  cdp.on('Network.requestWillBeSent', (event) => pending.add(event.requestId));
  cdp.on('Network.responseReceived', (event) => bytes.set(event.requestId, 0));
  cdp.on('Network.loadingFinished', (event) => {
    pending.delete(event.requestId);
    if (bytes.has(event.requestId)) bytes.set(event.requestId, event.encodedDataLength);
  });
  cdp.on('Network.loadingFailed', (event) => pending.delete(event.requestId));
  return {
    /**
     * Waits until no request of the page is in flight. After the app has started this is what
     * `waitUntil: 'networkidle'` waits for, without its 500 ms of quiet (half a second a page).
     */
    async settled() {
      await expect.poll(() => pending.size, { message: 'requests still in flight', timeout: 10_000, intervals: [25, 50, 100] }).toBe(0);
    },
    kilobytes() {
      return [...bytes.values()].reduce((sum, size) => sum + size, 0) / 1024;
    },
    /** Forgets what was counted so far: for the next page navigated to in the same tab. */
    reset() {
      bytes.clear();
    },
  };
}

/**
 * Runs in the page: every label of every diagram (`svg.dg`) that is not inside its node's box,
 * its edge's label plate (or the viewBox) or its group's box, measured with getBBox. The build
 * lints labels with estimated widths; this measures the fonts the browser really uses.
 */
export const diagramLabelProblems = () => {
  const problems = [];
  const inside = (inner, outer, slack = 0.5) =>
    inner.x >= outer.x - slack && inner.y >= outer.y - slack &&
    inner.x + inner.width <= outer.x + outer.width + slack && inner.y + inner.height <= outer.y + outer.height + slack;
  for (const svg of document.querySelectorAll('svg.dg')) {
    const view = svg.viewBox.baseVal;
    const canvas = { x: view.x, y: view.y, width: view.width, height: view.height };
    for (const node of svg.querySelectorAll('.dg-node')) {
      // A state machine's start dot has no box and no text.
      const box = node.querySelector('.dg-box')?.getBBox();
      for (const text of node.querySelectorAll('text')) {
        // A timeline's duration sits beside its box, after its bar: inside the drawing is the rule.
        const room = text.classList.contains('dg-beside') ? canvas : box;
        if (!room || !inside(text.getBBox(), room)) problems.push(`${node.dataset.id}: "${text.textContent}"`);
      }
    }
    for (const edge of svg.querySelectorAll('.dg-edge')) {
      const plate = edge.querySelector('.dg-label-plate');
      const text = edge.querySelector('text');
      if (!text) continue;
      const room = plate ? plate.getBBox() : { x: view.x, y: view.y, width: view.width, height: view.height };
      if (!inside(text.getBBox(), room)) problems.push(`edge ${edge.dataset.id}: "${text.textContent}"`);
    }
    for (const group of svg.querySelectorAll('.dg-group')) {
      if (!inside(group.querySelector('text').getBBox(), group.querySelector('.dg-group-box').getBBox())) problems.push(`group ${group.dataset.id}`);
    }
  }
  return problems;
};

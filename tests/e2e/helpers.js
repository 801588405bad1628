// Shared steps for the browser tests.
import AxeBuilder from '@axe-core/playwright';
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
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
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

/** Runs axe for WCAG 2.1 AA and returns the violations of serious or critical impact. */
export async function seriousViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
}

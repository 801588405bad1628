// Case studies and interview problems: the template's promises hold in the browser. A problem's
// solution stays closed until the reader opens it (a <details>, so it works without JavaScript),
// and the capacity planner inside it then shows the figures the text quotes; a case study's hints
// and worked answer open one by one; both index pages list what exists and nothing else.
import { test, expect } from '@playwright/test';
import { BASE, catalogue } from './site.js';
import { seriousViolations, watchProblems } from './helpers.js';

const of = (kind) => catalogue().filter((entry) => entry.kind === kind);

test('every interview problem hides its solution until asked, and its planner shows the numbers its text quotes', async ({ page }) => {
  expect(of('problem').length).toBeGreaterThan(0);
  const problems = watchProblems(page);
  await problems.ready;
  for (const entry of of('problem')) {
    await page.goto(entry.url);
    const solution = page.locator('details.solution');
    await expect(page.getByRole('heading', { name: 'Requirements', level: 2 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'A 45-minute plan', level: 2 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'API', level: 2 })).toBeHidden();
    // Opened from the keyboard, as a reader without a mouse would.
    await solution.locator(':scope > summary').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'API', level: 2 })).toBeVisible();
    const planner = solution.locator('.viz--embedded[data-viz="capacity-planner"]');
    await expect(planner.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
    // The rates, volumes and costs the estimate quotes are on the planner's face: the text's
    // numbers are the planner's, so a reader who changes an assumption sees every one move.
    const estimate = await solution.locator('h2#back-of-envelope-estimation ~ p').first().evaluate((first) => {
      let text = '';
      for (let node = first; node && node.tagName !== 'H2'; node = node.nextElementSibling) text += ` ${node.textContent}`;
      return text;
    });
    const quoted = [...estimate.matchAll(/\d{1,3}(?:,\d{3})+(?= a second)|\$\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)? (?:TB|MB\/s|kB\/s)/g)].map((match) => match[0].replace('$', ''));
    expect(quoted.length, `${entry.url} quotes the planner's figures`).toBeGreaterThanOrEqual(4);
    const face = await planner.innerText();
    for (const figure of quoted) expect(face, `${entry.url}: the planner shows ${figure}`).toContain(figure);
    expect(await seriousViolations(page), entry.url).toEqual([]);
  }
  expect(problems).toEqual([]);
});

test('every case study opens its hints and worked answer one at a time, after its metrics with years and sources', async ({ page }) => {
  expect(of('case-study').length).toBeGreaterThan(0);
  const problems = watchProblems(page);
  await problems.ready;
  for (const entry of of('case-study')) {
    await page.goto(entry.url);
    const rows = page.locator('table.metrics tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    for (const row of await rows.all()) {
      await expect(row.locator('td').nth(1)).toHaveText(/^(19|20)\d\d$/);
      await expect(row.getByRole('link', { name: /^Source: / })).toHaveAttribute('href', /^https:\/\//);
    }
    const answer = page.locator('details.challenge__answer');
    await expect(answer.locator(':scope > div')).toBeHidden();
    const hints = page.locator('details.challenge__hint');
    await hints.first().locator(':scope > summary').click();
    await expect(hints.first().locator(':scope > p')).toBeVisible();
    await expect(hints.nth(1).locator(':scope > p')).toBeHidden();
    await answer.locator(':scope > summary').click();
    await expect(answer.locator(':scope > div')).toBeVisible();
    await expect(page.locator('.viz--embedded .viz__loading')).toHaveCount(0, { timeout: 15_000 });
    expect(await seriousViolations(page), entry.url).toEqual([]);
  }
  expect(problems).toEqual([]);
});

test('the index pages list every case study and problem, with the comparison of the case studies', async ({ page }) => {
  await page.goto(`${BASE}case-studies/`);
  const matrix = page.locator('table.matrix tbody tr');
  await expect(matrix).toHaveCount(of('case-study').length);
  for (const entry of of('case-study')) await expect(page.locator(`table.matrix a[href="${entry.url}"]`)).toHaveCount(1);
  await page.goto(`${BASE}problems/`);
  for (const entry of of('problem')) await expect(page.locator(`main a[href="${entry.url}"]`)).toHaveCount(1);
  // A module's reading list links a case study the day it exists, and not before.
  await page.goto(`${BASE}modules/case-studies/`);
  for (const entry of of('case-study')) await expect(page.locator(`main a[href="${entry.url}"]`).first()).toBeVisible();
});

// Case studies, interview problems and cheat sheets: their templates' promises hold in the
// browser. A problem's solution stays closed until the reader opens it (a <details>, so it works
// without JavaScript), and the capacity planner inside it then shows the figures the text quotes;
// a case study's hints and worked answer open one by one; the index pages list what exists and
// nothing else; a cheat sheet's PDFs are one page each.
import { test, expect } from '@playwright/test';
import { BASE, catalogue, searchEntries } from './site.js';
import { seriousViolations, waitForApp, watchProblems } from './helpers.js';
import { pageCount } from '../../scripts/pdf-pages.mjs';

const of = (kind) => catalogue().filter((entry) => entry.kind === kind);

test('every interview problem hides its solution until asked, and its planner shows the numbers its text quotes', async ({ page }) => {
  test.setTimeout(240_000);
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
    await planner.scrollIntoViewIfNeeded();
    await expect(planner.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
    // The estimate's figures are the planner's: the fleet and the monthly bill the planner
    // shows for design A are the ones the text works out, so a reader who changes an assumption
    // sees the text's numbers move. (The text may add arithmetic of its own beside them.)
    const estimate = await solution.locator('h2#back-of-envelope-estimation').evaluate((heading) => {
      let text = '';
      for (let node = heading.nextElementSibling; node && node.tagName !== 'H2'; node = node.nextElementSibling) if (!node.matches('.viz-embed')) text += ` ${node.textContent}`;
      return text;
    });
    const face = await planner.innerText();
    const servers = face.match(/Design A: [^\n]+\n([\d,]+) app servers?\n/)?.[1];
    const bill = face.match(/Monthly cost\t(\$[\d,]+)\/month/)?.[1];
    expect(servers && bill, `${entry.url}: the planner shows design A's fleet and bill`).toBeTruthy();
    expect(estimate, `${entry.url}: the text works out ${servers} servers`).toMatch(new RegExp(`(^|[^\\d,])${servers}(?![\\d,])[^.]{0,20}(servers?|nodes?)`));
    expect(estimate, `${entry.url}: the text works out the bill`).toContain(bill);
    expect(await seriousViolations(page), entry.url).toEqual([]);
  }
  expect(problems).toEqual([]);
});

test('code is highlighted by the build, and an example in several languages is a keyboard-operable set of tabs', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(`${BASE}problems/url-shortener/`);
  await page.locator('details.solution > summary').click();
  // Highlighted at build time: token spans in the served HTML, and no highlighter script.
  const sql = page.locator('pre code.language-sql').first();
  await expect(sql.locator('.tk-k').first()).toBeVisible();
  const colours = await sql.evaluate((code) => {
    const keyword = code.querySelector('.tk-k');
    return [getComputedStyle(keyword).color, getComputedStyle(code).color];
  });
  expect(colours[0], 'a keyword has its own colour').not.toBe(colours[1]);
  // The code stylesheet comes with the code: a page without any does not download it.
  await expect(page.locator('link[rel="stylesheet"][href*="/code-"]')).toHaveCount(1);
  const withoutCode = await (await page.request.get(`${BASE}modules/foundations/`)).text();
  expect(withoutCode.split('<main')[1]).not.toContain('<pre');
  expect(withoutCode).not.toMatch(/href="[^"]*\/code-[0-9a-f]+\.css"/);
  const tabs = page.getByRole('radiogroup', { name: /The same example in HTTP, curl/ });
  await expect(tabs).toHaveCount(1);
  const http = tabs.getByRole('radio', { name: 'HTTP' });
  const curl = tabs.getByRole('radio', { name: 'curl' });
  await expect(http).toBeChecked();
  await expect(tabs.locator('code.language-http')).toBeVisible();
  await expect(tabs.locator('code.language-bash')).toBeHidden();
  // The keyboard: Tab reaches the checked tab, an arrow key moves to the next.
  await http.focus();
  await page.keyboard.press('ArrowRight');
  await expect(curl).toBeChecked();
  await expect(tabs.locator('code.language-bash')).toBeVisible();
  await expect(tabs.locator('code.language-http')).toBeHidden();
  await expect(tabs.locator('code.language-bash')).toContainText("curl https://s.example/api/v1/links");
  // Printed, every tab shows.
  await page.emulateMedia({ media: 'print' });
  await expect(tabs.locator('code.language-http')).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  expect(await seriousViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('every case study opens its hints and worked answer one at a time, after its metrics with years and sources', async ({ page }) => {
  test.setTimeout(240_000);
  expect(of('case-study').length).toBeGreaterThan(0);
  const problems = watchProblems(page);
  await problems.ready;
  for (const entry of of('case-study')) {
    const wasm = [];
    const record = (request) => { if (request.url().includes('.wasm')) wasm.push(new URL(request.url()).pathname.replace(BASE, '')); };
    page.on('request', record);
    await page.goto(entry.url);
    // The page runs on the core bundle; its tools' bundle waits until the reader comes near a tool.
    await expect(page.locator('html')).toHaveAttribute('data-tools', 'deferred');
    await page.getByLabel('Theme').waitFor();
    await page.waitForLoadState('networkidle');
    expect(wasm.length, `${entry.url}: ${wasm}`).toBe(1);
    expect(wasm[0], entry.url).toMatch(/^atlas-[^/]*_bg\.wasm$/);
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
    // Reaching the challenge has brought the reader near the tool, which sits just before it.
    await page.locator('.viz--embedded').first().scrollIntoViewIfNeeded();
    await expect(page.locator('.viz--embedded .viz__loading')).toHaveCount(0, { timeout: 15_000 });
    expect(wasm.filter((file) => file.startsWith('viz-')).length, `${entry.url}: ${wasm}`).toBe(1);
    // The page's islands ran once: one theme switch, one search, not a second copy from the tool's bundle.
    await expect(page.locator('[data-island="theme"] select')).toHaveCount(1);
    page.off('request', record);
    expect(await seriousViolations(page), entry.url).toEqual([]);
  }
  expect(problems).toEqual([]);
});

test('every reference document links each of its sections from its contents and ends with its references', async ({ page }) => {
  test.setTimeout(240_000);
  const docs = of('reference');
  expect(docs.length).toBeGreaterThan(0);
  const problems = watchProblems(page);
  await problems.ready;
  for (const entry of docs) {
    await page.goto(entry.url);
    const links = await page.locator('nav.toc a').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
    expect(links.length, entry.url).toBeGreaterThan(9);
    for (const href of links) await expect(page.locator(`[id="${href.slice(1)}"]`), `${entry.url}: ${href}`).toHaveCount(1);
    await expect(page.getByRole('heading', { name: 'References', level: 2 })).toBeVisible();
    expect(await page.locator('#references + ol > li a[href^="https://"], #references ~ ol > li a[href^="http"]').count(), entry.url).toBeGreaterThanOrEqual(10);
    expect(await seriousViolations(page), entry.url).toEqual([]);
  }
  expect(problems).toEqual([]);
});

test('the search finds a section inside a reference document and lands on it', async ({ page }) => {
  const sections = searchEntries().filter((entry) => entry.kind === 'section');
  expect(sections.length).toBeGreaterThan(50);
  const target = sections.find((entry) => entry.title === 'Idempotency and idempotency keys');
  expect(target, 'the REST API document has its idempotency section').toBeTruthy();
  await page.goto(BASE);
  await waitForApp(page);
  await page.keyboard.press('/');
  await page.getByRole('combobox', { name: 'Search the atlas' }).fill('idempotency key');
  const option = page.getByRole('option').filter({ hasText: 'Idempotency and idempotency keys' }).first();
  await expect(option).toContainText(`Section · ${target.category}`);
  await option.click();
  await expect(page).toHaveURL(new RegExp(`${target.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  await expect(page.getByRole('heading', { name: 'Idempotency and idempotency keys' })).toBeInViewport();
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

// The build prints each sheet (scripts/cheatsheet-pdfs.mjs); here the files it left are checked
// the way a reader meets them: from the page's own links.

test('every cheat sheet links its one-page PDFs in A4 and US Letter, with selectable text and working links', async ({ page }) => {
  expect(of('cheatsheet').length).toBeGreaterThan(0);
  const problems = watchProblems(page);
  await problems.ready;
  for (const entry of of('cheatsheet')) {
    await page.goto(entry.url);
    for (const name of ['A4', 'US Letter']) {
      const link = page.locator('.cheatsheet__downloads').getByRole('link', { name, exact: true });
      const response = await page.request.get(new URL(await link.getAttribute('href'), page.url()).href);
      expect(response.status(), `${entry.url} ${name}`).toBe(200);
      expect(response.headers()['content-type']).toBe('application/pdf');
      const pdf = await response.body();
      const text = pdf.toString('latin1');
      expect(pageCount(pdf), `${entry.url} ${name} pages`).toBe(1);
      expect(text, 'the text is text, with fonts, not an image').toMatch(/\/Font/);
      expect(text, 'the sources are links').toMatch(/\/URI \(https:\/\//);
      expect(text, 'no link leads to the server that printed it').not.toMatch(/127\.0\.0\.1|localhost/);
    }
    // On paper: the sheet alone, with nothing set in colour only (the print stylesheet is black).
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.site-header')).toBeHidden();
    await expect(page.locator('.cheatsheet__downloads')).toBeHidden();
    await page.emulateMedia({ media: 'screen' });
    expect(await seriousViolations(page), entry.url).toEqual([]);
  }
  expect(problems).toEqual([]);
});

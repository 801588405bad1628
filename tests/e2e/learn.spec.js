// The learning loop: the quiz hub, module quizzes with every kind of question, certificates and
// their check, practice sets, generated questions, spaced review (offline too), and the progress
// page with export, import, forgetting, and a corrupted store set aside.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { BASE, DIST } from './site.js';
import { seriousViolations, waitForApp, watchProblems } from './helpers.js';

const STORE = 'atlas-progress';
const quizUrl = (module) => `${BASE}quiz/${module}/`;
const written = readFileSync(new URL(`../../${DIST}/quiz/bank/index.txt`, import.meta.url), 'utf8').trim().split('\n');

/** Answers a question's form right or wrong, whatever its kind, from its `data-key`, and checks it. */
async function answer(form, right) {
  const kind = await form.getAttribute('data-kind');
  const key = await form.getAttribute('data-key');
  if (kind === 'single' || kind === 'diagram') {
    const radios = form.locator('input[type=radio]');
    const index = right ? Number(key) : (Number(key) + 1) % (await radios.count());
    await radios.nth(index).check();
  } else if (kind === 'multiple') {
    const set = key.split(' ').map(Number);
    for (const index of right ? set : set.slice(1)) await form.locator('input[type=checkbox]').nth(index).check();
  } else if (kind === 'order') {
    // Shown shuffled and never already in order; put right, one "move up" press at a time.
    const count = Number(key);
    for (let target = 0; right && target < count; target++) {
      const order = await form.locator('.quiz__step').evaluateAll((steps) => steps.map((step) => Number(step.dataset.step)));
      for (let at = order.indexOf(target); at > target; at--) await form.locator('.quiz__step').nth(at).locator('.quiz__move').first().click();
    }
  } else if (kind === 'number') {
    const value = Number(key.split(' ')[0]);
    await form.locator('input[type=text]').fill(String(right ? value : value * 10));
  }
  await form.getByRole('button', { name: 'Check answer' }).click();
  await expect(form).toHaveAttribute('data-result', right ? 'right' : 'wrong');
}

test('the hub lists every written question and filters them by words, home, difficulty and kind', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(`${BASE}quiz/`);
  await waitForApp(page);
  const items = page.locator('.question-list > li');
  await expect(items).toHaveCount(written.length);
  expect(written.length).toBeGreaterThanOrEqual(300);
  const filter = page.locator('form.question-filter');
  await filter.getByLabel('Kind').selectOption('number');
  await expect(filter.getByRole('status')).toContainText(/Showing \d+ of/);
  const numbers = await items.locator(':scope:not([hidden])').count();
  expect(numbers).toBeGreaterThan(10);
  expect(await page.locator('.question-list > li:not([hidden])[data-kind="number"]').count()).toBe(numbers);
  await filter.getByLabel('From').selectOption('module-foundations');
  await filter.getByLabel('Difficulty').selectOption('beginner');
  const narrowed = await items.locator(':scope:not([hidden])').count();
  expect(narrowed).toBeGreaterThan(0);
  expect(narrowed).toBeLessThan(numbers);
  await filter.getByLabel('Words').fill('zzzz-nothing-matches');
  await expect(filter.getByRole('status')).toHaveText('No question matches; loosen a filter.');
  expect(await seriousViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('a module quiz scores every kind, records a pass, and makes a certificate the check page accepts', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(quizUrl('foundations'));
  await waitForApp(page);
  const forms = page.locator('main form.quiz');
  const total = await forms.count();
  expect(total).toBeGreaterThanOrEqual(12);
  const kinds = new Set(await forms.evaluateAll((all) => all.map((form) => form.dataset.kind)));
  expect([...kinds].sort()).toEqual(['diagram', 'multiple', 'number', 'order', 'single']);
  for (let index = 0; index < total; index++) await answer(forms.nth(index), index !== 0);
  const panel = page.locator('.module-quiz');
  await expect(panel.getByRole('status')).toHaveText(`${total} of ${total} answered, ${total - 1} right.`);
  await expect(panel.locator('.module-quiz__verdict')).toContainText(`Passed: ${total - 1} of ${total}`);
  // A wrong answer shows why, for the option picked.
  await expect(forms.first().locator('.quiz__reveal')).toBeVisible();
  await expect(forms.first().getByRole('status')).toContainText('Not quite');

  await panel.getByRole('button', { name: 'Make my certificate' }).click();
  await expect(panel.locator('.certificate__output')).toHaveText('Type a name first.');
  await panel.getByLabel('Your name, as the certificate should show it').fill('  Ada   <b>Lovelace</b> ');
  await panel.getByRole('button', { name: 'Make my certificate' }).click();
  const image = panel.locator('img.certificate__image');
  await expect(image).toHaveAttribute('src', /^data:image\/svg\+xml/);
  expect(await image.evaluate((img) => img.complete && img.naturalWidth)).toBe(1123);
  const svg = decodeURIComponent((await image.getAttribute('src')).split(',')[1]);
  expect(svg).toContain('Ada &lt;b&gt;Lovelace&lt;/b&gt;');
  const png = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download PNG' }).click();
  expect((await png).suggestedFilename()).toMatch(/^system-design-atlas-foundations-\d{4}-\d{2}-\d{2}\.png$/);
  const code = await panel.locator('.certificate__output code').textContent();
  expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);

  await panel.getByRole('link', { name: 'check it' }).click();
  await waitForApp(page);
  const verify = page.locator('form.verify');
  await expect(verify.getByRole('status')).toContainText('✓ The code matches.');
  await verify.getByLabel('Right').fill(String(total));
  await verify.getByRole('button', { name: 'Check' }).click();
  await expect(verify.getByRole('status')).toContainText('✗ The code does not match.');
  await verify.getByLabel('Date (year-month-day)').fill('07/12/2026');
  await verify.getByRole('button', { name: 'Check' }).click();
  await expect(verify.getByRole('status')).toContainText('year-month-day');
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto(`${BASE}progress/`);
  await waitForApp(page);
  await expect(page.locator('tr[data-module="foundations"] [data-cell="score"]')).toContainText(`${total - 1} of ${total}`);
  await expect(page.locator('tr[data-module="foundations"] [data-cell="score"]')).toContainText('passed, 1 attempt');
  expect(problems).toEqual([]);
});

test('steps move by keyboard, a typed number that is not one is explained, and the diagram picks its option', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(quizUrl('foundations'));
  await waitForApp(page);
  const order = page.locator('form.quiz[data-kind="order"]').first();
  const before = await order.locator('.quiz__step').evaluateAll((steps) => steps.map((step) => step.dataset.step));
  const down = order.locator('.quiz__step').first().getByRole('button', { name: /down$/ });
  await down.focus();
  await page.keyboard.press('Enter');
  const after = await order.locator('.quiz__step').evaluateAll((steps) => steps.map((step) => step.dataset.step));
  expect(after).toEqual([before[1], before[0], ...before.slice(2)]);
  await expect(order.locator('.quiz__step').nth(1).getByRole('button', { name: /down$/ })).toBeFocused();

  const number = page.locator('form.quiz[data-kind="number"]').first();
  await number.locator('input[type=text]').fill('twelve');
  await number.getByRole('button', { name: 'Check answer' }).click();
  await expect(number.getByRole('status')).toContainText('“twelve” is not a number');
  await expect(number).not.toHaveAttribute('data-result');

  const diagram = page.locator('form.quiz[data-kind="diagram"]').first();
  const key = Number(await diagram.getAttribute('data-key'));
  const target = await diagram.locator('.quiz__option').nth(key).getAttribute('data-pick');
  await diagram.locator(`.quiz__diagram .dg-el[data-id="${target}"]`).first().click({ force: true });
  await expect(diagram.locator('input[type=radio]').nth(key)).toBeChecked();
  expect(problems).toEqual([]);
});

test('practice: a quick 10, the questions got wrong, and generated questions a link reproduces', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(`${BASE}quiz/practice/?mode=wrong`);
  await waitForApp(page);
  await expect(page.locator('.practice__status')).toContainText('Nothing to retry yet');

  await page.goto(`${BASE}quiz/practice/?mode=quick`);
  await waitForApp(page);
  const forms = page.locator('.practice__questions form.quiz');
  await expect(forms).toHaveCount(10);
  const missed = await forms.first().getAttribute('data-id');
  await answer(forms.first(), false);
  await expect(page.locator('.practice__score')).toHaveText('1 of 10 answered, 0 right.');

  await page.goto(`${BASE}quiz/practice/?mode=wrong`);
  await waitForApp(page);
  await expect(page.locator('.practice__questions form.quiz')).toHaveCount(1);
  await expect(page.locator('.practice__questions form.quiz')).toHaveAttribute('data-id', missed);

  const link = `${BASE}quiz/practice/?mode=generated&generator=token-bucket&seed=42`;
  await page.goto(link);
  await waitForApp(page);
  const prompt = await page.locator('.practice__questions legend').textContent();
  await page.reload();
  await waitForApp(page);
  await expect(page.locator('.practice__questions legend')).toHaveText(prompt);
  await answer(page.locator('.practice__questions form.quiz'), true);
  await page.getByRole('button', { name: 'Another question' }).click();
  await expect(page).not.toHaveURL(/seed=42$/);
  await expect(page.locator('.practice__questions form.quiz')).not.toHaveAttribute('data-result');
  await page.goto(`${BASE}quiz/practice/?mode=generated&generator=<img src=x>`);
  await waitForApp(page);
  await expect(page.locator('.practice__status')).toContainText('There is no generator called “<img src=x>”');
  await expect(page.locator('ul.generators li')).toHaveCount(13);
  expect(await seriousViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('a review comes due, shows in the header, and can be taken offline', async ({ page, context }) => {
  const problems = watchProblems(page);
  await problems.ready;
  const pattern = `${BASE}patterns/thundering-herd/`;
  await page.goto(pattern);
  await waitForApp(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  });
  await answer(page.locator('form.quiz').first(), true);
  const due = page.locator('.due-badge');
  await expect(due).toBeHidden();
  // Move the card's due date into the past, as if its interval had gone by.
  await page.evaluate((key) => {
    const text = localStorage.getItem(key);
    localStorage.setItem(key, text.replace(/^card (\S+) (\d+) /m, (_, id) => `card ${id} 1000 `));
  }, STORE);
  await page.goto(`${BASE}quiz/practice/?mode=review`);
  await waitForApp(page);
  await expect(page.getByRole('link', { name: /^Quiz\s+1 due$/ })).toBeVisible();
  await expect(page.locator('.practice__questions form.quiz')).toHaveCount(1);
  for (const path of [`${BASE}quiz/practice/`, `${BASE}quiz/bank/pattern-thundering-herd.html`]) {
    await expect.poll(() => page.evaluate(async (address) => Boolean(await caches.match(new URL(address, location.href).href)), path), { message: `${path} stored` }).toBe(true);
  }

  await context.setOffline(true);
  await page.reload();
  await waitForApp(page);
  const form = page.locator('.practice__questions form.quiz');
  await expect(form).toHaveCount(1);
  await answer(form, true);
  await expect(due).toBeHidden();
  await context.setOffline(false);
  expect(problems.filter((problem) => !problem.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
});

test('a corrupted store is set aside and reported, never lost, and recording starts afresh', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(`${BASE}quiz/verify/`);
  await page.evaluate((key) => localStorage.setItem(key, '{"not":"ours"} <script>alert(1)</script>'), STORE);
  await page.goto(`${BASE}progress/`);
  await waitForApp(page);
  const aside = page.locator('.progress__set-aside');
  await expect(aside).toContainText('not a System Design Atlas progress file');
  const download = page.waitForEvent('download');
  await aside.getByRole('button', { name: 'Download' }).click();
  const saved = readFileSync(await (await download).path(), 'utf8');
  expect(saved).toBe('{"not":"ours"} <script>alert(1)</script>');
  // Recording starts afresh on the next page.
  await page.reload();
  await waitForApp(page);
  const stored = await page.evaluate((key) => localStorage.getItem(key), STORE);
  expect(stored).toMatch(/^atlas-progress 1\nread \/progress\/ \d+\n$/);
  await aside.getByRole('button', { name: 'Delete' }).click();
  await expect(aside.locator('li')).toHaveCount(0);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('atlas-progress-set-aside-')))).toEqual([]);
  expect(problems.filter((problem) => !problem.startsWith('console: the stored progress'))).toEqual([]);
});

test('progress exports to a file, forgets everything, and imports the file back', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(`${BASE}patterns/`);
  await waitForApp(page);
  await page.goto(`${BASE}progress/`);
  await waitForApp(page);
  const status = page.locator('.progress__status');
  await expect(status).toContainText('2 pages read');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export to a file' }).click();
  const file = await (await download).path();
  const text = readFileSync(file, 'utf8');
  expect(text).toMatch(/^atlas-progress 1\nread \/patterns\/ \d+\nread \/progress\/ \d+\n$/);

  await page.getByRole('button', { name: 'Forget everything…' }).click();
  await page.getByRole('button', { name: 'Yes, forget everything' }).click();
  await expect(status).toContainText('Nothing is stored yet');
  await expect(page.locator('.progress__messages')).toContainText('Forgotten');

  await page.locator('input[type=file]').setInputFiles({ name: 'broken.txt', mimeType: 'text/plain', buffer: Buffer.from('atlas-progress 1\nread /x/ soon\n') });
  await expect(page.locator('.progress__messages')).toContainText('was not imported, and nothing changed: line 2');
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.locator('.progress__messages')).toContainText('Imported');
  await expect(status).toContainText('2 pages read');
  expect(await seriousViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('each module and the whole site have an Anki deck to download', async ({ request }) => {
  for (const deck of ['foundations', 'all']) {
    const response = await request.get(`${BASE}quiz/decks/${deck}.apkg`);
    expect(response.status()).toBe(200);
    const body = await response.body();
    expect(body.subarray(0, 2).toString()).toBe('PK');
  }
});

test('without JavaScript a module quiz still shows each answer and its reasons', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(quizUrl('security'));
  const form = page.locator('form.quiz[data-kind="multiple"]').first();
  await form.locator('.quiz__reveal summary').click();
  await expect(form.locator('.quiz__whys li').first()).toBeVisible();
  await expect(form.locator('.quiz__explanation')).toBeVisible();
  await context.close();
});

test('a tool page loads the core only after the first use of a tool, which the core then records', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  const cores = [];
  page.on('request', (request) => { if (/\/atlas-[0-9a-f]+_bg\.wasm/.test(request.url())) cores.push(request.url()); });
  await page.goto(`${BASE}visualizers/retries/`);
  await waitForApp(page);
  await page.waitForTimeout(500);
  expect(cores, 'no core bundle before the reader works the tool').toEqual([]);
  await page.getByRole('button', { name: 'Play' }).first().click();
  // The tool's bundle asks the page to load the core once the page is idle; the core records the tool.
  await expect.poll(() => page.evaluate((key) => localStorage.getItem(key) ?? '', STORE)).toMatch(/^tool retries \d+$/m);
  expect(await page.evaluate((key) => localStorage.getItem(key), STORE)).toMatch(/^read \/visualizers\/retries\/ \d+$/m);
  expect(cores).toHaveLength(1);
  expect(problems).toEqual([]);
});

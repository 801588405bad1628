// Pattern pages, their diagrams, step-through and quizzes; the catalogue filters; global search.
import { test, expect } from '@playwright/test';
import { BASE, catalogue } from './site.js';
import { waitForApp, watchProblems } from './helpers.js';

// Phase 1 of the seed's catalogue (sections 1.1 to 1.10).
const PHASE_ONE = [
  'CACHE-001', 'CACHE-002', 'CACHE-003', 'CACHE-004', 'CACHE-005', 'K8S-001', 'K8S-002', 'K8S-003', 'K8S-004',
  'NET-001', 'NET-002', 'NET-003', 'NET-004', 'NET-005', 'NET-006', 'NET-007', 'SEC-001', 'SEC-002', 'SEC-003',
  'SEC-004', 'SEC-005', 'SEC-006', 'SEC-007', 'DB-001', 'DB-002', 'DB-003', 'DB-004', 'DB-005', 'DB-006',
  'MICRO-001', 'MICRO-002', 'MICRO-003', 'MICRO-004', 'MICRO-005', 'MICRO-006', 'CLOUD-001', 'CLOUD-002',
  'CLOUD-003', 'CLOUD-004', 'CLOUD-005', 'CASE-001', 'CASE-002', 'CASE-003', 'CASE-004', 'CASE-005', 'APP-001',
  'APP-002', 'APP-003', 'APP-004', 'DATA-001', 'DATA-002', 'DATA-003', 'DATA-004', 'SEARCH-001', 'SEARCH-002', 'AI-001',
];

const patterns = catalogue().filter((entry) => entry.kind === 'pattern');
const byId = (id) => patterns.find((entry) => entry.id === id);

test('catalogue.json lists every Phase 1 pattern with its seed ID, and every ID once', () => {
  const ids = patterns.map((entry) => entry.id);
  for (const id of PHASE_ONE) expect(ids, `${id} is in the seed's first phase`).toContain(id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^[A-Z0-9]+-\d{3}$/);
  for (const entry of patterns) expect(entry.url).toBe(`${BASE}patterns/${entry.slug}/`);
});

test('the diagram steps through by keyboard', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(byId('CACHE-001').url);
  await waitForApp(page);
  const figure = page.locator('figure.diagram');
  const steps = await figure.locator('ol.dg-steps > li').count();
  expect(steps).toBeGreaterThanOrEqual(3);
  const start = figure.getByRole('button', { name: 'Start' });
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(figure.locator('.stepper__position')).toHaveText(`Step 1 of ${steps}`);
  await expect(figure.locator('svg.dg')).toHaveClass(/is-stepping/);
  const firstLit = await figure.locator('svg.dg .is-on').count();
  expect(firstLit).toBeGreaterThan(0);
  await page.keyboard.press('ArrowRight');
  await expect(figure.locator('.stepper__position')).toHaveText(`Step 2 of ${steps}`);
  await expect(figure.locator('ol.dg-steps > li').nth(1)).toHaveAttribute('aria-current', 'step');
  const caption = await figure.locator('.stepper__caption').textContent();
  expect(caption).toContain(await figure.locator('ol.dg-steps > li:nth-child(2) strong').textContent());
  await page.keyboard.press('ArrowLeft');
  await expect(figure.locator('.stepper__position')).toHaveText(`Step 1 of ${steps}`);
  await page.keyboard.press('End');
  await expect(figure.locator('.stepper__position')).toHaveText(`Step ${steps} of ${steps}`);
  await page.keyboard.press('Escape');
  await expect(figure.locator('svg.dg')).not.toHaveClass(/is-stepping/);
  expect(problems).toEqual([]);
});

test('a sequence diagram steps message by message', async ({ page }) => {
  await page.goto(byId('SEC-001').url);
  await waitForApp(page);
  const figure = page.locator('figure.diagram');
  await expect(figure.locator('svg.dg')).toHaveClass(/dg--sequence/);
  await figure.getByRole('button', { name: 'Start' }).click();
  await expect(figure.locator('svg.dg .dg-edge.is-on')).toHaveCount(1);
  await expect(figure.locator('svg.dg .dg-edge.is-on')).toHaveAttribute('data-id', 'm1');
  await figure.getByRole('button', { name: 'Next' }).click();
  await expect(figure.locator('svg.dg .dg-edge.is-on')).toHaveAttribute('data-id', 'm2');
});

test('a state machine placed in the text steps on its own, beside the page\'s own diagram', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(byId('NET-006').url);
  await waitForApp(page);
  await expect(page.locator('figure.diagram')).toHaveCount(2);
  const [own, states] = [page.locator('figure.diagram').first(), page.locator('figure.diagram[data-diagram="tcp-connection-states"]')];
  await expect(states.locator('svg.dg')).toHaveClass(/dg--states/);
  await expect(states.locator('svg.dg .dg-dot')).toHaveCount(1);
  await states.getByRole('button', { name: 'Start' }).click();
  await expect(states.locator('svg.dg')).toHaveClass(/is-stepping/);
  await expect(states.locator('svg.dg .dg-node.is-on[data-id="syn-sent"]')).toHaveCount(1);
  await expect(states.locator('svg.dg .dg-edge.is-on[data-id="active-open"]')).toHaveCount(1);
  await expect(own.locator('svg.dg')).not.toHaveClass(/is-stepping/);
  expect(problems).toEqual([]);
});

test('a tree and a timeline draw as their kinds and step through', async ({ page }) => {
  await page.goto(byId('LINUX-002').url);
  await waitForApp(page);
  const tree = page.locator('figure.diagram').first();
  await expect(tree.locator('svg.dg')).toHaveClass(/dg--tree/);
  await expect(tree.locator('svg.dg .dg-edge[data-from="usr"]')).toHaveCount(4);
  await page.goto(byId('LINUX-001').url);
  await waitForApp(page);
  const timeline = page.locator('figure.diagram').first();
  await expect(timeline.locator('svg.dg')).toHaveClass(/dg--timeline/);
  const phases = await timeline.locator('svg.dg .dg-node').count();
  await expect(timeline.locator('ol.dg-steps > li')).toHaveCount(phases);
  await timeline.getByRole('button', { name: 'Start' }).click();
  await expect(timeline.locator('svg.dg .dg-node.is-on')).toHaveAttribute('data-id', 'fw');
  await timeline.getByRole('button', { name: 'Next' }).click();
  await expect(timeline.locator('svg.dg .dg-node.is-on')).toHaveAttribute('data-id', 'loader');
});

test('the quiz gives feedback that explains the answer', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(byId('CACHE-002').url);
  await waitForApp(page);
  const [first, second] = [page.locator('form.quiz').nth(0), page.locator('form.quiz').nth(1)];
  // On a page with a tool, the questions are the page's own until the reader works one; then
  // the core bundle loads and mounts them.
  await expect(first.locator('.quiz__reveal')).toBeVisible();
  await first.locator('input[type=radio]').first().focus();
  await expect(first.getByRole('button', { name: 'Check answer' })).toBeVisible();
  await expect(first.locator('.quiz__reveal')).toBeHidden();
  await first.getByRole('button', { name: 'Check answer' }).click();
  await expect(first.getByRole('status')).toContainText('Pick one of the options first');
  const answer = Number(await first.getAttribute('data-key'));
  await first.locator('input[type=radio]').nth(answer === 0 ? 1 : 0).check();
  await first.getByRole('button', { name: 'Check answer' }).click();
  await expect(first.getByRole('status')).toContainText('Not quite');
  await expect(first.locator('.quiz__option.is-correct')).toHaveCount(1);
  await expect(first.locator('.quiz__option.is-wrong')).toHaveCount(1);
  await expect(first.locator('.quiz__explanation')).toBeVisible();
  // One answer per question: the checked question is closed.
  await expect(first.getByRole('button', { name: 'Check answer' })).toBeDisabled();
  await second.locator('input[type=radio]').nth(Number(await second.getAttribute('data-key'))).check();
  await second.getByRole('button', { name: 'Check answer' }).click();
  await expect(second.getByRole('status')).toContainText('Right');
  expect(await page.evaluate(() => localStorage.getItem('atlas-progress'))).toMatch(/^answer pattern\/[a-z-]+\/2 \d+ 1$/m);
  expect(problems).toEqual([]);
});

test('the answer is reachable without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(byId('CACHE-002').url);
  await page.locator('.quiz__reveal summary').first().click();
  await expect(page.locator('.quiz__explanation').first()).toBeVisible();
  await context.close();
});

test('the catalogue filters by combinable categories kept in the URL, and by search', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(`${BASE}patterns/?category=caching`);
  await waitForApp(page);
  const visible = page.locator('li.pattern-card:visible');
  const caching = patterns.filter((entry) => entry.category === 'Caching').length;
  await expect(visible).toHaveCount(caching);
  await page.getByRole('button', { name: /Security/ }).click();
  const security = patterns.filter((entry) => entry.category === 'Security').length;
  await expect(visible).toHaveCount(caching + security);
  await expect(page).toHaveURL(/category=caching%2Csecurity|category=caching,security/);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(visible).toHaveCount(patterns.length);
  await page.getByLabel('Search patterns').fill('stampede');
  await expect(visible.first()).toContainText('Thundering herd');
  await page.getByLabel('Search patterns').fill('qqqqqq');
  await expect(page.locator('[data-no-results]')).toBeVisible();
  expect(problems).toEqual([]);
});

test('a garbage filter in the URL is ignored with a note, not a crash', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(`${BASE}patterns/?category=%3Cscript%3E,caching&q=${'x'.repeat(500)}`);
  await waitForApp(page);
  await expect(page.locator('.filter__note')).toContainText('<script>');
  await expect(page.locator('.filter__note script')).toHaveCount(0);
  expect((await page.getByLabel('Search patterns').inputValue()).length).toBeLessThanOrEqual(100);
  expect(problems).toEqual([]);
});

test('global search: / focuses, arrows and Enter pick, Escape closes', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(BASE);
  await waitForApp(page);
  await page.keyboard.press('/');
  const input = page.getByRole('combobox', { name: 'Search the atlas' });
  await expect(input).toBeFocused();
  await input.fill('thundering');
  await expect(page.getByRole('option').first()).toContainText('Thundering herd');
  await page.keyboard.press('Escape');
  await expect(input).toBeHidden();
  await page.keyboard.press('/');
  await input.fill('herd');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${byId('CACHE-001').url}$`));
  expect(problems).toEqual([]);
});

test('on a tool page the search loads when asked for: / and the button open it, and it finds pages', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  const core = [];
  page.on('request', (request) => { if (/\/atlas-[0-9a-f]+(_bg\.wasm|\.js)$/.test(new URL(request.url()).pathname)) core.push(request.url()); });
  await page.goto(`${BASE}visualizers/kafka-partitions/`);
  await waitForApp(page);
  await page.waitForLoadState('networkidle');
  expect(core, 'the core bundle is not loaded with a tool page').toEqual([]);
  await page.keyboard.press('/');
  const input = page.getByRole('combobox', { name: 'Search the atlas' });
  await expect(input).toBeFocused();
  expect(core.length, 'the core bundle came when asked for').toBeGreaterThan(0);
  await input.fill('thundering');
  await expect(page.getByRole('option').first()).toContainText('Thundering herd');
  await page.keyboard.press('Escape');
  await expect(input).toBeHidden();
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(input).toBeFocused();
  // The tool keeps working beside the search.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Play' }).first()).toBeVisible();
  expect(problems).toEqual([]);
});

test.describe(() => {
  // The offline worker would answer the core's request itself, past the route that fails it.
  test.use({ serviceWorkers: 'block' });
  test('on a tool page, a search that cannot load says so and can be asked for again', async ({ page }) => {
    await page.route(/\/atlas-[0-9a-f]+\.js$/, (route) => route.abort());
    await page.goto(`${BASE}visualizers/kafka-partitions/`);
    await waitForApp(page);
    await page.getByRole('button', { name: 'Search' }).click();
    const failed = page.getByRole('button', { name: 'Search unavailable, try again' });
    await expect(failed).toBeVisible();
    await page.unroute(/\/atlas-[0-9a-f]+\.js$/);
    await failed.click();
    await expect(page.getByRole('combobox', { name: 'Search the atlas' })).toBeFocused();
  });
});

const mentions = (entry, word) => `${entry.title} ${(entry.tags ?? []).join(' ')}`.toLowerCase().includes(word);
const expectations = [
  ['stampede', (entry) => entry.id === 'CACHE-001' || entry.slug === 'cache-stampede'],
  ['thundering', (entry) => entry.id === 'CACHE-001'],
  ['herd', (entry) => entry.id === 'CACHE-001'],
  ['jwt', (entry) => mentions(entry, 'jwt')],
  ['raft', (entry) => mentions(entry, 'raft')],
];
for (const [query, isRight] of expectations) {
  test(`searching "${query}" finds the right page first`, async ({ page }) => {
    await page.goto(BASE);
    await waitForApp(page);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('combobox', { name: 'Search the atlas' }).fill(query);
    const first = (await page.getByRole('option').first().locator('.search-result__title').textContent()).trim();
    const entry = catalogue().find((candidate) => candidate.title === first);
    expect(entry && isRight(entry), `first result for ${query}: ${first}`).toBe(true);
  });
}

test('printing keeps the diagram and drops the chrome', async ({ page }) => {
  await page.goto(byId('NET-001').url);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('.site-footer')).toBeHidden();
  await expect(page.locator('figure.diagram svg.dg')).toBeVisible();
});

// Stages: every tool the registry marks `staged` draws the system it simulates, first on the
// screen. The picture shows the model's entities, moves while the run plays, holds still while it
// is paused, comes back exactly from the address bar's link, fits a 360 px phone's first screen
// with Play, and follows the same drawing rules as the other drawings (drawing-rules.js).
// For a staged tool this visit is also its 360 px drawings check (every drawing of the tool, at
// load and after playing at 8x), which drawings.spec.js leaves to it: one visit, not two.
import { test, expect } from '@playwright/test';
import { BASE, tools } from './site.js';
import { watchProblems } from './helpers.js';
import { inspectDrawings, inspectFirstScreen } from './drawing-rules.js';

const STAGED = tools().filter((tool) => tool.staged).map((tool) => tool.slug);

test('the registry marks at least one tool as staged', () => {
  expect(STAGED.length).toBeGreaterThan(0);
});

const picture = (page) => page.locator('.viz__scene svg[role="img"]').first();
// The picture, without the empty comments Leptos leaves as placeholders (a view built at once and
// one updated differ in them), and the pixels of the requests' canvas laid over it (see
// Layers::markup) where the stage has one (the calculators' pictures are all SVG): the canvas
// shown, which while a run plays is the worker's sheet (sitegen/js/stage-still.js), hidden, with
// the markup it adds, once paused.
const drawing = (page) => page.locator('.viz__scene').first().evaluate((scene) => {
  const copy = scene.cloneNode(true);
  copy.querySelectorAll('canvas[hidden]').forEach((hidden) => hidden.remove());
  return copy.innerHTML.replaceAll('<!---->', '') + (scene.querySelector('canvas.pv-overlay:not([hidden])')?.toDataURL() ?? '');
});
// How many of the shown requests' canvas pixels are painted; copied to be read, as the worker's
// sheet gives the page no context to read it with.
const paintedPixels = (page) => page.locator('.viz__scene canvas.pv-overlay:not([hidden])').first().evaluate((canvas) => {
  const copy = new OffscreenCanvas(canvas.width, canvas.height).getContext('2d');
  copy.drawImage(canvas, 0, 0);
  const { data } = copy.getImageData(0, 0, canvas.width, canvas.height);
  let painted = 0;
  for (let alpha = 3; alpha < data.length; alpha += 4) if (data[alpha] > 0) painted += 1;
  return painted;
});
// Whether the canvas shown over the stage is one the page handed to a worker, which then has
// no context here.
const handedToWorker = (page) => page.locator('.viz__scene canvas.pv-overlay:not([hidden])').first().evaluate((canvas) => {
  try {
    canvas.getContext('2d');
    return false;
  } catch (error) {
    return error.name === 'InvalidStateError';
  }
});

// How many elements the stage's SVG picture holds (none while the canvas shows it).
const pictureGroupSize = (page) => page.locator('.viz__scene svg.pv > g').first().evaluate((group) => group.childElementCount);

// Opens a tool's page on a phone and checks its picture is there: visible, labelled in words,
// drawn with parts. Returns the page's problem watcher and the picture.
async function openPicture(page, slug) {
  await page.setViewportSize({ width: 360, height: 740 });
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(`${BASE}visualizers/${slug}/`);
  await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
  const stage = picture(page);
  await expect(stage).toBeVisible();
  expect(await stage.getAttribute('aria-label')).toMatch(/\w{3,}.*\./);
  // Entities: the system's parts as shapes, on the picture and the requests' sheet over it.
  expect(await page.locator('.viz__scene').first().locator('rect, circle, path, line').count(), 'parts drawn').toBeGreaterThan(3);
  return { problems, stage };
}

for (const slug of STAGED) {
  test(`${slug}: the stage moves while playing, holds still when paused and comes back from its link`, async ({ page }) => {
    const { problems, stage } = await openPicture(page, slug);
    expect(await stage.locator('text').count(), 'labels drawn').toBeGreaterThan(3);

    // With the tool scrolled to the top, a phone's first screen holds the picture and Play.
    const play = page.getByRole('button', { name: 'Play' }).first();
    await page.locator('.viz').first().evaluate((tool) => tool.scrollIntoView({ block: 'start' }));
    const [stageBox, playBox] = [await stage.boundingBox(), await play.boundingBox()];
    expect(stageBox.y + stageBox.height, 'the stage ends on the first screen').toBeLessThanOrEqual(740);
    expect(playBox.y + playBox.height, 'Play is on the first screen').toBeLessThanOrEqual(740);

    // Every drawing of the tool, on the phone, as it loads and after a run at 8x.
    const atLoad = await page.evaluate(inspectDrawings, { toolSelector: '.viz', minimumPx: 11 });
    expect(atLoad.problems, `${slug} @360px as loaded`).toEqual([]);
    expect((await page.evaluate(inspectFirstScreen)).problems, `${slug} @360px first screen`).toEqual([]);
    await page.locator('.viz .harness__speed select').first().selectOption('8');

    const start = await drawing(page);
    await play.click();
    await page.waitForTimeout(1_500);
    const playing = await drawing(page);
    expect(playing, 'the picture moves while the run plays').not.toEqual(start);
    // Traffic comes in bursts in some tools, so requests are looked for over a few seconds of
    // play rather than at one instant (at one instant, a lull failed about 1 run in 12).
    // A request's glyph is 7 units across, 30 to 90 painted pixels at the canvas's 1.5 pixels a
    // unit (a cross or a ring fewer than a dot), so more than 150 means several requests.
    await expect.poll(() => paintedPixels(page), { message: 'requests are drawn while traffic flows', timeout: 5_000 }).toBeGreaterThan(150);
    // While the run plays, the rest of the picture is painted under the requests, not written
    // into the page (sitegen/js/stage-still.js): its SVG group is empty and the canvas carries
    // the parts and words, far more pixels than the requests alone.
    await expect.poll(() => pictureGroupSize(page), { message: 'the picture moves to the canvas while playing' }).toBe(0);
    expect(await paintedPixels(page), 'parts and words painted under the requests').toBeGreaterThan(5_000);
    // Painted off the page's thread, by a worker running the same painter, on a canvas of its own
    // (the requests too, every frame).
    expect(page.workers().map((worker) => new URL(worker.url()).pathname), 'the picture is painted in a worker').toEqual([expect.stringMatching(/stage-still\.js$/)]);
    expect(await handedToWorker(page), 'the canvas shown while playing is the worker\'s').toBe(true);
    await page.getByRole('button', { name: 'Pause' }).first().click();
    expect(await pictureGroupSize(page), 'paused, the picture is SVG again').toBeGreaterThan(3);
    expect(await handedToWorker(page), 'paused, the page paints the requests again').toBe(false);
    const paused = await drawing(page);
    const later = await page.evaluate(inspectDrawings, { toolSelector: '.viz', minimumPx: 11 });
    const time = await page.locator('.viz .harness__time').first().textContent();
    expect(later.problems, `${slug} @360px after playing to ${time}`).toEqual([]);
    await page.waitForTimeout(700);
    expect(await drawing(page), 'the picture holds still while paused').toEqual(paused);

    // The address bar is the share link: a reload draws the very same picture.
    await expect(page).toHaveURL(/[?&]t=\d+/);
    await page.reload();
    await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
    await expect.poll(() => drawing(page), { message: 'the link restores the picture' }).toEqual(paused);

    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.evaluate(() => document.fonts.ready);
      const result = await page.evaluate(inspectDrawings, { toolSelector: '.viz__scene', minimumPx: 11 });
      expect(result.problems, `${slug} stage @${width}px`).toEqual([]);
    }
    expect(problems).toEqual([]);
  });
}

// The share of pixels of two screenshots of the same size that differ clearly (by more than a
// quarter of the range in some channel), as decoded by the page.
const differingShare = (page, first, second) => page.evaluate(async ([first, second]) => {
  const pixels = async (base64) => {
    // Decoded here rather than fetched from a data: address, which the page's CSP refuses.
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    return context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  };
  const [a, b] = [await pixels(first), await pixels(second)];
  let differ = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (Math.max(Math.abs(a[i] - b[i]), Math.abs(a[i + 1] - b[i + 1]), Math.abs(a[i + 2] - b[i + 2])) > 64) differ += 1;
  }
  return differ / (a.length / 4);
}, [first.toString('base64'), second.toString('base64')]);

// While a run plays, the stage paints its picture on the canvas (stage-still.js) instead of
// writing it as SVG: the two must look the same, or Play and Pause would make the picture jump.
// The same moment of the run, shown as SVG and then painted, differs in under 1% of its pixels
// (the edges of shapes and letters, anti-aliased a little differently).
for (const slug of ['retries', 'cache-stampede', 'circuit-breaker']) {
  test(`${slug}: the picture painted while playing looks as its SVG does`, async ({ page }) => {
    const problems = watchProblems(page);
    await problems.ready;
    await page.goto(`${BASE}visualizers/${slug}/?t=700`);
    await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
    const scene = page.locator('.viz__scene').first();
    await page.evaluate(() => document.fonts.ready);
    const asSvg = await scene.screenshot();
    // Read once: the painter lets the SVG go when its picture shows, as a playing stage's would.
    const [markup, height] = await scene.evaluate((stage) => {
      const svg = stage.querySelector('svg.pv');
      return [svg.firstElementChild.innerHTML, Number(svg.getAttribute('viewBox').split(' ')[3])];
    });
    const paint = () => scene.evaluate((stage, [markup, height]) => globalThis.atlasPaintStill(stage.querySelector('canvas.pv-overlay'), markup, height), [markup, height]);
    // The painter comes on first use.
    await expect.poll(paint, { message: 'the picture painter loads and paints' }).toBe(true);
    await scene.evaluate((stage) => {
      stage.querySelector('svg.pv').firstElementChild.replaceChildren();
      // Repaints the requests over the painted picture, as the next frame would.
      dispatchEvent(new Event('atlas-theme-change'));
    });
    // The worker paints on its own canvas and the compositor shows its frames as they come.
    const share = async () => differingShare(page, asSvg, await scene.screenshot());
    await expect.poll(share, { message: 'share of pixels that differ between the SVG and the painting' }).toBeLessThan(0.01);
    expect(await handedToWorker(page), 'painted by the worker, on a canvas of its own').toBe(true);
    expect(problems).toEqual([]);
  });
}

// Where no worker can paint, the page's thread paints the picture, and it looks the same.
test('without workers, the picture is painted on the page and still looks as its SVG does', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.addInitScript(() => { delete globalThis.Worker; });
  await page.goto(`${BASE}visualizers/circuit-breaker/?t=700`);
  await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
  const scene = page.locator('.viz__scene').first();
  await page.evaluate(() => document.fonts.ready);
  const asSvg = await scene.screenshot();
  await page.getByRole('button', { name: 'Play' }).first().click();
  await expect.poll(() => pictureGroupSize(page), { message: 'the picture moves to the canvas while playing' }).toBe(0);
  expect(page.workers()).toEqual([]);
  expect(await paintedPixels(page), 'parts and words painted under the requests').toBeGreaterThan(5_000);
  await page.getByRole('button', { name: 'Pause' }).first().click();
  expect(await pictureGroupSize(page), 'paused, the picture is SVG again').toBeGreaterThan(3);
  // The same moment painted here: asked for twice, as a run's rounds would (the first asks).
  const paint = () => scene.evaluate((stage) => {
    const svg = stage.querySelector('svg.pv');
    return globalThis.atlasPaintStill(stage.querySelector('canvas.pv-overlay'), svg.firstElementChild.innerHTML, Number(svg.getAttribute('viewBox').split(' ')[3]));
  });
  await page.goto(`${BASE}visualizers/circuit-breaker/?t=700`);
  await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(paint, { message: 'painted on the page' }).toBe(true);
  await scene.evaluate((stage) => {
    stage.querySelector('svg.pv').firstElementChild.replaceChildren();
    dispatchEvent(new Event('atlas-theme-change'));
  });
  expect(await differingShare(page, asSvg, await scene.screenshot()), 'share of pixels that differ between the SVG and the painting').toBeLessThan(0.01);
  expect(problems).toEqual([]);
});

// The requests are painted on a canvas, which the stylesheet cannot recolour: the stage repaints
// them in the new theme's inks when the reader switches theme in the header or the system does,
// and each theme gives the same pixels as a page opened in it.
test('a stage repaints its requests in the inks of the theme in force', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  const slug = STAGED.includes('retries') ? 'retries' : STAGED[0];
  const canvas = () => page.locator('.viz__scene canvas.pv-overlay').first().evaluate((sheet) => sheet.toDataURL());
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${BASE}visualizers/${slug}/?t=900`);
  await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(() => paintedPixels(page), { message: 'requests are drawn at 9 s' }).toBeGreaterThan(150);
  const light = await canvas();
  await page.getByLabel('Theme').selectOption('dark');
  await expect.poll(canvas, { message: 'the header switch repaints the requests' }).not.toEqual(light);
  const dark = await canvas();
  await page.getByLabel('Theme').selectOption('system');
  await expect.poll(canvas, { message: 'back to the light system theme' }).toEqual(light);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(canvas, { message: 'the system switch repaints the requests' }).toEqual(dark);
  await page.reload();
  await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(canvas, { message: 'a page opened in the dark theme paints the same' }).toEqual(dark);
  expect(problems).toEqual([]);
});

// While a run plays, the blocks around the stage are redrawn in rounds, a block to a frame
// (`Phase` in src/harness/mod.rs): a frame that rewrote the figures, the charts and the clock at
// once took 30 to 48 ms with the CPU throttled 4x. Each block's changes are counted by the frame
// they happen in (a counter advanced by the first animation-frame callback of every frame).
// Replication lag has two grids of figures, which shared a frame until 2026-12-07.
for (const slug of ['kafka-partitions', 'replication-lag']) {
  test(`${slug}: while playing, each grid of figures, each chart and the clock change in frames of their own`, async ({ page }) => {
    const problems = watchProblems(page);
    await problems.ready;
    await page.addInitScript(() => {
      globalThis.atlasTestFrame = 0;
      const count = () => {
        globalThis.atlasTestFrame += 1;
        requestAnimationFrame(count);
      };
      requestAnimationFrame(count);
    });
    await page.goto(`${BASE}visualizers/${slug}/`);
    await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
    await page.locator('.viz .harness__speed select').first().selectOption('8');
    const blocks = await page.evaluate(() => {
      const tool = document.querySelector('.viz');
      const named = (selector, name) => [...tool.querySelectorAll(selector)].map((block, index) => [`${name} ${index + 1}`, block]);
      const blocks = [...named('.stat-grid', 'figures'), ...named('.harness__time', 'clock'), ...named('figure.chart', 'chart')];
      globalThis.atlasTestChanges = [];
      for (const [name, block] of blocks) {
        new MutationObserver(() => globalThis.atlasTestChanges.push([globalThis.atlasTestFrame, name])).observe(block, { subtree: true, childList: true, characterData: true, attributes: true });
      }
      return blocks.map(([name]) => name);
    });
    await page.getByRole('button', { name: 'Play' }).first().click();
    await page.waitForTimeout(3_000);
    // Read before Pause, which redraws every block at once.
    const changes = await page.evaluate(() => globalThis.atlasTestChanges);
    const byFrame = new Map();
    for (const [frame, name] of changes) byFrame.set(frame, new Set([...(byFrame.get(frame) ?? []), name]));
    expect(new Set(changes.map(([, name]) => name)), 'every block changed while playing').toEqual(new Set(blocks));
    const crowded = [...byFrame].filter(([, names]) => names.size > 1).map(([frame, names]) => `frame ${frame}: ${[...names].join(', ')}`);
    expect(crowded, 'frames in which more than one block changed').toEqual([]);
    expect(problems).toEqual([]);
  });
}

// A grid of figures that a run redraws keeps its rows and rewrites only its values (show_stats in
// src/widgets.rs): new elements each round cost the grid's frame about 3.5 ms more with the CPU
// throttled 4x. A mark set on a row before playing survives the run.
test('kafka-partitions: the grid of figures changes its values in place while playing', async ({ page }) => {
  const problems = watchProblems(page);
  await problems.ready;
  await page.goto(`${BASE}visualizers/kafka-partitions/`);
  await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
  const grid = page.locator('.viz .stat-grid').first();
  const labels = () => grid.locator('dt').allTextContents();
  const [before, shown] = [await grid.locator('dd').allTextContents(), await labels()];
  expect(shown.length, 'rows shown').toBeGreaterThan(3);
  await grid.evaluate((dl) => { for (const row of dl.children) row.dataset.testMark = 'kept'; });
  await page.locator('.viz .harness__speed select').first().selectOption('8');
  await page.getByRole('button', { name: 'Play' }).first().click();
  await expect.poll(() => grid.locator('dd').allTextContents(), { message: 'the figures change while playing' }).not.toEqual(before);
  await page.getByRole('button', { name: 'Pause' }).first().click();
  expect(await labels(), 'the same rows').toEqual(shown);
  expect(await grid.evaluate((dl) => [...dl.children].every((row) => row.dataset.testMark === 'kept')), 'every row is the element it was').toBe(true);
  expect(problems).toEqual([]);
});

// A chart a run redraws every round keeps its elements and changes their path data and numbers:
// a rewritten legend laid out the whole page in every chart's frame (src/harness/chart.rs). Each
// legend number sits in a box of fixed size, which must still hold the longest number written.
const CHARTED = [
  { slug: 'circuit-breaker', kept: '.chart__line, .chart__legend li', moving: '.chart__line', numbers: '.chart__value' },
  { slug: 'retries', kept: '.retries-chart path, .retries-row__label', moving: 'path.retries-line', numbers: '.retries-row__label' },
];
for (const { slug, kept, moving, numbers } of CHARTED) {
  test(`${slug}: the charts change their lines and numbers in place while playing`, async ({ page }) => {
    const problems = watchProblems(page);
    await problems.ready;
    await page.goto(`${BASE}visualizers/${slug}/`);
    await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
    await page.locator('.viz .harness__speed select').first().selectOption('8');
    await page.getByRole('button', { name: 'Play' }).first().click();
    const elements = page.locator(`.viz ${kept}`);
    await expect.poll(() => elements.count(), { message: 'the charts are drawn' }).toBeGreaterThan(4);
    const count = await elements.count();
    await elements.evaluateAll((all) => { for (const element of all) element.dataset.testMark = 'kept'; });
    const read = () => page.locator(`.viz ${moving}`).evaluateAll((all) => all.map((line) => line.getAttribute('d')));
    const [lines, texts] = [await read(), await page.locator(`.viz ${numbers}`).allTextContents()];
    await expect.poll(read, { message: 'the lines move while playing' }).not.toEqual(lines);
    await expect.poll(() => page.locator(`.viz ${numbers}`).allTextContents(), { message: 'the numbers change while playing' }).not.toEqual(texts);
    await page.getByRole('button', { name: 'Pause' }).first().click();
    expect(await elements.count(), 'as many elements').toBe(count);
    expect(await elements.evaluateAll((all) => all.filter((element) => element.dataset.testMark !== 'kept').length), 'elements written anew').toBe(0);
    // Every number is wider than nothing and no wider than its box (which clips what overflows).
    const fits = await page.locator('.viz .chart__value').evaluateAll((all) => all.map((box) => {
      const range = document.createRange();
      range.selectNodeContents(box);
      return { text: box.textContent, width: range.getBoundingClientRect().width, room: box.clientWidth };
    }));
    for (const { text, width, room } of fits) expect(width > 0 && width <= room, `"${text}" fits its box (${width} of ${room} px)`).toBe(true);
    expect(problems).toEqual([]);
  });
}

// Blocks a playing run rewrites as text (grids of figures, tables, cards, a line of words) sit in
// islands, boxes laid out on their own, whose height a script keeps equal to their content's
// (src/harness/fit.rs, `island`): one a pixel short clips what it holds or lets it spill over the
// block below. The clock's row has the fixed height of its slider, which must hold the clock.
const ISLANDS = ['cache-stampede', 'rate-limiters', 'kafka-partitions', 'retries'];
for (const slug of ISLANDS) {
  test(`${slug}: the blocks laid out on their own are as tall as what they hold, at 1280 and 360 px`, async ({ page }) => {
    const problems = watchProblems(page);
    await problems.ready;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${BASE}visualizers/${slug}/`);
    await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
    await page.locator('.viz .harness__speed select').first().selectOption('8');
    await page.getByRole('button', { name: 'Play' }).first().click();
    await page.waitForTimeout(2_000);
    await page.getByRole('button', { name: 'Pause' }).first().click();
    // Each as a reader comes to it: scrolled to, two frames later (a block far off the screen is
    // neither laid out nor drawn until it comes near, and then in the same frame as its island).
    const measure = () => page.locator('.viz .viz__island').evaluateAll(async (all) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const seen = [];
      for (const island of all) {
        island.scrollIntoView({ block: 'center' });
        await frame();
        await frame();
        const [box, content] = [island.getBoundingClientRect(), island.firstElementChild.getBoundingClientRect()];
        const next = island.nextElementSibling?.getBoundingClientRect();
        // What overflows the island (a margin collapsing out of its content, say) shows as a
        // scroll height beyond its own, in whole pixels.
        seen.push({ what: island.firstElementChild.className || island.firstElementChild.tagName, height: box.height, content: content.height, spill: island.scrollHeight - island.clientHeight, gap: next ? next.top - box.bottom : null });
      }
      return seen;
    });
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      // A resize reaches the observers by the next frame: wait until every island has followed.
      await expect.poll(async () => (await measure()).every(({ height, content }) => Math.abs(height - content) < 0.5), { message: `islands follow their content at ${width} px` }).toBe(true);
      const islands = await measure();
      expect(islands.length, 'islands on the page').toBeGreaterThan(0);
      for (const { what, height, content, spill, gap } of islands) {
        expect(spill, `${what} at ${width} px: nothing spills out of its island`).toBeLessThanOrEqual(1);
        expect(height, `${what} at ${width} px holds something`).toBeGreaterThan(10);
        expect(Math.abs(height - content), `${what} at ${width} px: ${height} px for ${content} px of content`).toBeLessThan(0.5);
        if (gap !== null) expect(gap, `${what} at ${width} px stays above the block after it`).toBeGreaterThanOrEqual(0);
      }
      const row = await page.locator('.viz .harness__timeline').first().evaluate((label) => {
        const [box, time, slider] = [label, label.querySelector('.harness__time'), label.querySelector('input')].map((element) => element.getBoundingClientRect());
        return { box, time, slider };
      });
      expect(row.time.right, `the clock ends before the slider at ${width} px`).toBeLessThanOrEqual(row.slider.left);
      for (const part of [row.time, row.slider]) expect(part.top >= row.box.top - 0.5 && part.bottom <= row.box.bottom + 0.5, `the clock's row holds its parts at ${width} px`).toBe(true);
    }
    expect(problems).toEqual([]);
  });
}

// The three tools drawn before the stage kit keep their own pictures; they answer to the same
// promise. Each starts the way a reader would set its picture moving: a write, then Play, for
// CAP (its messages travel); a new node for the ring (which plays by itself while its moved keys
// fly to their new owner); Play for OAuth (its messages travel one after another).
const play = (page) => page.getByRole('button', { name: 'Play' }).first().click();
const DRAWN = [
  { slug: 'cap-theorem', picture: 'svg.cap-stage', start: async (page) => { await page.locator('.cap-client-panel').first().getByRole('button', { name: /^Write/ }).click(); await play(page); } },
  { slug: 'consistent-hashing', picture: '.ring-stage', start: (page) => page.getByRole('button', { name: 'Add a node' }).click() },
  { slug: 'oauth-flows', picture: 'svg.oauth-seq', start: play },
];

for (const { slug, picture: selector, start: begin } of DRAWN) {
  test(`${slug}: its picture moves while playing, holds still when paused and comes back from its link`, async ({ page }) => {
    const problems = watchProblems(page);
    await problems.ready;
    await page.goto(`${BASE}visualizers/${slug}/`);
    await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
    const shown = page.locator(selector).first();
    await expect(shown).toBeVisible();
    expect(await shown.locator('rect, circle, path, line').count(), 'parts drawn').toBeGreaterThan(3);
    // The markup without the empty comments Leptos leaves as placeholders, which differ between
    // a view built at once and one updated step by step while drawing the same picture.
    const html = async () => (await shown.innerHTML()).replaceAll('<!---->', '');
    const start = await html();
    await begin(page);
    await page.waitForTimeout(1_500);
    expect(await html(), 'the picture moves while the run plays').not.toEqual(start);
    // The ring stops by itself once its keys have landed; the others are paused by hand.
    const pause = page.getByRole('button', { name: 'Pause' }).first();
    if (await pause.isVisible()) await pause.click();
    const paused = await html();
    await page.waitForTimeout(700);
    expect(await html(), 'the picture holds still while paused').toEqual(paused);
    await expect(page).toHaveURL(/[?&]t=\d+/);
    await page.reload();
    await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
    await expect.poll(html, { message: 'the link restores the picture' }).toEqual(paused);
    expect(problems).toEqual([]);
  });
}

// The calculators have no clock, so their pictures move with the reader's inputs instead: the
// picture answers an edit at once, and the link the edit leaves in the address bar draws it again
// (except the JWT decoder's: a token is a credential and never goes into a link).
const CALCULATORS = [
  { slug: 'jwt-decoder', linked: false, edit: async (page) => { await page.getByLabel('Start from an example').selectOption({ index: 1 }); } },
  { slug: 'capacity-planner', edit: async (page) => { const users = page.locator('.capacity-inputs input').first(); await users.fill('900000000'); await users.press('Enter'); } },
  { slug: 'availability', edit: async (page) => { const percent = page.getByLabel('Availability (%)').first(); await percent.fill('95'); await percent.press('Enter'); } },
];

for (const { slug, edit, linked = true } of CALCULATORS) {
  test(`${slug}: its picture follows an edit and comes back from its link`, async ({ page }) => {
    const { problems, stage } = await openPicture(page, slug);
    const before = await drawing(page);
    await edit(page);
    await expect.poll(() => drawing(page), { message: 'the picture follows the edit' }).not.toEqual(before);
    if (linked) {
      const edited = await drawing(page);
      await page.reload();
      await expect(page.locator('.viz__loading')).toHaveCount(0, { timeout: 15_000 });
      await expect.poll(() => drawing(page), { message: 'the link restores the picture' }).toEqual(edited);
    } else {
      expect(page.url(), 'nothing of the token in the address').not.toMatch(/ey[A-Za-z0-9_-]{10}/);
    }
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      const result = await page.evaluate(inspectDrawings, { toolSelector: '.viz__scene', minimumPx: 11 });
      expect(result.problems, `${slug} picture @${width}px`).toEqual([]);
    }
    expect(problems).toEqual([]);
  });
}

// The frames of one round of sampled redraws (src/harness/mod.rs, `Phase`): a 4-second Chromium
// trace of a staged tool playing at a speed with the CPU throttled, its frames grouped by their
// place in the round (0 is the stage's picture, which the page marks by wrapping the picture
// painter; then the numbers, then a block a frame), with the main thread's time per kind of work.
// Serve a release build first (node tests/e2e/serve.mjs --dir target/e2e-dist --base /atlas-e2e/ --port 4190 --gzip).
//
//   node tests/e2e/bench/round-trace.mjs http://127.0.0.1:4190/atlas-e2e/visualizers/retries/ [throttle 4] [speed 8] [extra CSS]
//
// `frame` is the whole task of a frame; it varies with the host's load: compare runs of one sitting.
import { playing } from './playing.mjs';
const [url, rate = '4', speedArg = '8', css = ''] = process.argv.slice(2);
// The page marks each stage picture it paints (the start of a round) for the trace.
const markStage = (page) => page.evaluate(() => {
  const paint = globalThis.atlasPaintStill;
  if (paint) globalThis.atlasPaintStill = (...args) => { performance.mark('stage'); return paint(...args); };
});
const { browser, page } = await playing(url, { rate, speed: speedArg, css, before: markStage });
await page.waitForTimeout(600);
await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
await page.waitForTimeout(4000);
const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
const main = events.find((event) => event.name === 'thread_name' && event.args.name === 'CrRendererMain');
const onMain = events.filter((event) => event.pid === main.pid && event.tid === main.tid && event.ph === 'X').sort((a, b) => a.ts - b.ts);
const marks = events.filter((event) => event.name === 'stage').map((event) => event.ts);
const within = (task) => (event) => event !== task && event.ts >= task.ts && event.ts + (event.dur ?? 0) <= task.ts + task.dur;
const frames = onMain.filter((task) => task.name === 'RunTask' && onMain.some((event) => event.name === 'FireAnimationFrame' && within(task)(event)));
const KINDS = ['FunctionCall', 'ParseHTML', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit'];
const places = [];
const longOnes = [];
let place = -1;
for (const frame of frames) {
  const startsRound = marks.some((mark) => mark >= frame.ts && mark <= frame.ts + frame.dur);
  place = startsRound && (place < 0 || place >= 6) ? 0 : place < 0 ? -1 : place + 1;
  const kinds = {};
  for (const event of onMain.filter(within(frame))) if (KINDS.includes(event.name)) kinds[event.name] = (kinds[event.name] ?? 0) + event.dur / 1000;
  if (frame.dur > 16_000) longOnes.push({ place, ms: frame.dur / 1000, kinds });
  if (place < 0 || place > 8) continue;
  const sums = (places[place] ??= { frames: 0, total: 0 });
  sums.frames += 1;
  sums.total += frame.dur / 1000;
  for (const [kind, ms] of Object.entries(kinds)) sums[kind] = (sums[kind] ?? 0) + ms;
}
const sorted = frames.map((frame) => frame.dur / 1000).sort((a, b) => a - b);
const at = (share) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]?.toFixed(1);
console.log(`${url.split('/').slice(-2)[0]} x${rate} ${speedArg}x: ${frames.length} frames (median ${at(0.5)}, 95th ${at(0.95)}, max ${at(1)} ms), ${longOnes.length} over 16 ms${marks.length ? '' : ' (no stage painted: no rounds found)'}`);
places.forEach((sums, index) => {
  if (!sums) return;
  const kinds = KINDS.filter((kind) => sums[kind]).map((kind) => `${kind} ${(sums[kind] / sums.frames).toFixed(1)}`).join(', ');
  console.log(`  frame ${index} of the round (${sums.frames}): ${(sums.total / sums.frames).toFixed(1)} ms; ${kinds}`);
});
// Each frame over 16 ms, with its place in the round and its work: an outlier shows which block it was.
for (const { place: inRound, ms, kinds } of longOnes) {
  console.log(`  over 16 ms: frame ${inRound} of the round, ${ms.toFixed(1)} ms; ${KINDS.filter((kind) => kinds[kind]).map((kind) => `${kind} ${kinds[kind].toFixed(1)}`).join(', ')}`);
}
await browser.close();

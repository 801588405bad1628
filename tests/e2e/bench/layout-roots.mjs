// Where a playing tool's layouts start: a 2-second Chromium trace of the tool at a speed with the
// CPU throttled, each layout over 0.8 ms with its dirty and total objects, whether it was
// partial (from a relayout boundary) or of the whole document, and the element it started at.
// A change inside a box that is not a relayout boundary lays out the page from its root: for such
// a layout, the changes that made it (the trace's layout invalidations: node and reason) follow.
//
//   node tests/e2e/bench/layout-roots.mjs http://127.0.0.1:4190/atlas-e2e/visualizers/circuit-breaker/ [throttle 4] [speed 8] [extra CSS]
import { playing } from './playing.mjs';
const [url, rate = '4', speedArg = '8', css = ''] = process.argv.slice(2);
const { browser, page, cdp } = await playing(url, { rate, speed: speedArg, css });
await page.waitForTimeout(600);
await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.invalidationTracking'] });
await page.waitForTimeout(2000);
const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents.sort((a, b) => a.ts - b.ts);
const nodes = new Map();
let invalidated = [];
let shown = 0;
for (const event of events) {
  if (event.name === 'LayoutInvalidationTracking') { invalidated.push(event.args.data); continue; }
  if (event.name !== 'Layout' || event.ph !== 'X') continue;
  const causes = invalidated;
  invalidated = [];
  if (event.dur <= 800 || shown++ >= 12) continue;
  const roots = event.args?.endData?.layoutRoots ?? [];
  console.log((event.dur / 1000).toFixed(1), 'ms', JSON.stringify(event.args.beginData), roots.map((root) => root.nodeId).join(','));
  for (const root of roots) nodes.set(root.nodeId, 1);
  if (!event.args.beginData.partialLayout) {
    console.log('   made by', [...new Set(causes.map((cause) => `${cause.nodeName} ${cause.nodeId}: ${cause.reason}`))].slice(0, 8).join(' | '));
    for (const cause of causes.slice(0, 8)) nodes.set(cause.nodeId, 1);
  }
}
await cdp.send('DOM.getDocument', { depth: 0 });
for (const id of nodes.keys()) {
  try {
    const { nodeIds } = await cdp.send('DOM.pushNodesByBackendIdsToFrontend', { backendNodeIds: [id] });
    const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId: nodeIds[0] });
    console.log(id, outerHTML.slice(0, 160).replace(/\n/g, ' '));
  } catch (error) { console.log(id, String(error).slice(0, 100)); }
}
await browser.close();

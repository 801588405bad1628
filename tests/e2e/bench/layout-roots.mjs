// Where a playing tool's layouts start: a 2-second Chromium trace of the tool at a speed with the
// CPU throttled, each layout over 0.8 ms with its dirty and total objects, whether it was
// partial (from a relayout boundary) or of the whole document, and the element it started at.
// A change inside a box that is not a relayout boundary lays out the page from its root.
//
//   node tests/e2e/bench/layout-roots.mjs http://127.0.0.1:4190/atlas-e2e/visualizers/circuit-breaker/ [throttle 4] [speed 8]
import { playing } from './playing.mjs';
const [url, rate = '4', speedArg = '8'] = process.argv.slice(2);
const { browser, page, cdp } = await playing(url, { rate, speed: speedArg });
await page.waitForTimeout(600);
await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
await page.waitForTimeout(2000);
const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
const layouts = events.filter((e) => e.name === 'Layout' && e.ph === 'X' && e.dur > 800);
const nodes = new Map();
for (const e of layouts.slice(0, 12)) {
  const roots = e.args?.endData?.layoutRoots ?? [];
  console.log((e.dur / 1000).toFixed(1), 'ms', JSON.stringify(e.args.beginData), roots.map((r) => r.nodeId).join(','));
  for (const r of roots) nodes.set(r.nodeId, 1);
}
const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
for (const id of nodes.keys()) {
  try {
    const { nodeIds } = await cdp.send('DOM.pushNodesByBackendIdsToFrontend', { backendNodeIds: [id] });
    const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId: nodeIds[0] });
    console.log(id, outerHTML.slice(0, 160).replace(/\n/g, ' '));
  } catch (error) { console.log(id, String(error).slice(0, 100)); }
}
await browser.close();

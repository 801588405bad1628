// Where a playing tool's frames go: a 3-second Chromium trace of the tool at a speed, with the
// CPU throttled, summed per trace event and divided by the frames drawn. Serve a release build
// first (node tests/e2e/serve.mjs --dir target/e2e-dist --base /atlas-e2e/ --port 4190 --gzip).
//
//   node tests/e2e/bench/frame-trace.mjs http://127.0.0.1:4190/atlas-e2e/visualizers/retries/ [throttle 4] [speed 8] [extra CSS]
//
// RunTask is all the main thread's work; FireAnimationFrame the tool's own frame callback (a
// second, tiny callback counts the frames). The figures vary with the host's load: repeat and
// compare the lowest.
import { playing } from './playing.mjs';
const [url, rate = '4', speedArg = '8', css = ''] = process.argv.slice(2);
const { browser: b, page: p } = await playing(url, { rate, speed: speedArg, css, play: !process.env.NOPLAY });
await p.waitForTimeout(600);
await b.startTracing(p, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
const frames = await p.evaluate(() => new Promise((r) => { let n = 0; const t0 = performance.now(); const f = () => { n++; if (performance.now() - t0 < 3000) requestAnimationFrame(f); else r(n); }; requestAnimationFrame(f); }));
const buf = await b.stopTracing();
const events = JSON.parse(buf.toString()).traceEvents;
const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain');
const ev = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
const names = ['FunctionCall', 'FireAnimationFrame', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'Commit', 'ParseHTML', 'HitTest', 'RunTask', 'TimerFire', 'EventDispatch', 'IntersectionObserverController::computeIntersections', 'UpdateLayer', 'PaintImage'];
const sum = {};
for (const e of ev) { sum[e.name] = (sum[e.name] || 0) + (e.dur || 0) / 1000; }
const top = Object.entries(sum).sort((a, b) => b[1] - a[1]).slice(0, 18).map(([k, v]) => `${k}=${(v / frames).toFixed(2)}`);
console.log(url.split('/').slice(-2)[0], `x${rate} throttle, ${speedArg}x speed, ${frames} frames, per frame:`, top.join(' '));
const fires = ev.filter((e) => e.name === 'FireAnimationFrame').map((e) => e.dur / 1000).sort((a, b) => a - b);
const med = fires[Math.floor(fires.length / 2)];
const heavy = fires.filter((d) => d > 2 * med);
console.log(`  rAF callbacks: median ${med.toFixed(2)} ms, ${heavy.length} heavy (>2x median) summing ${heavy.reduce((a, x) => a + x, 0).toFixed(0)} ms of ${fires.reduce((a, x) => a + x, 0).toFixed(0)} ms; top ${fires.slice(-3).map((x) => x.toFixed(1)).join(', ')}`);
const layouts = ev.filter((e) => e.name === 'Layout');
const dirty = layouts.reduce((a, e) => a + (e.args?.beginData?.dirtyObjects ?? 0), 0) / frames;
const total = layouts.reduce((a, e) => a + (e.args?.beginData?.totalObjects ?? 0), 0) / frames;
const partial = layouts.filter((e) => e.args?.beginData?.partialLayout).length;
console.log(`  layouts/frame ${(layouts.length / frames).toFixed(2)}, dirty objects/frame ${dirty.toFixed(0)}, total objects/frame ${total.toFixed(0)}, partial ${partial}/${layouts.length}`);
await b.close();

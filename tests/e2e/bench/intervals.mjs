// What a reader sees of a playing tool: the intervals between the frames Chromium presents (rAF
// timestamps), over 4 s of the tool playing at a speed with the CPU throttled. At 60 Hz a frame
// that misses its 16.7 ms slot shows as a 33 ms interval.
//
//   node tests/e2e/bench/intervals.mjs http://127.0.0.1:4190/atlas-e2e/visualizers/retries/ [throttle 4] [speed 8]
import { playing } from './playing.mjs';
const [url, rate = '4', speedArg = '8'] = process.argv.slice(2);
const { browser: b, page: p } = await playing(url, { rate, speed: speedArg });
await p.waitForTimeout(1500);
const gaps = await p.evaluate(() => new Promise((resolve) => { const out = []; let last; const start = performance.now(); const frame = (now) => { if (last !== undefined) out.push(now - last); last = now; if (now - start < 4000) requestAnimationFrame(frame); else resolve(out); }; requestAnimationFrame(frame); }));
gaps.sort((a, b) => a - b);
const at = (q) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))].toFixed(1);
const missed = gaps.reduce((sum, gap) => sum + Math.max(0, Math.round(gap / 16.67) - 1), 0);
console.log(`${url.split('/').slice(-2)[0]} x${rate} ${speedArg}x: ${gaps.length} frames in 4 s, ${missed} slots missed; intervals p50 ${at(0.5)} p90 ${at(0.9)} p95 ${at(0.95)} max ${gaps.at(-1).toFixed(1)} ms`);
await b.close();

// Where a playing tool's main thread goes, by function: a 4-second CPU profile (DevTools
// protocol, 200 µs sampling) of the tool playing at 8x, self and inclusive time per second.
// Function names need a bundle that kept them: copy the release build and put wasm-bindgen's
// output (target/wasm-bindgen/release/viz-<slug>.js and _bg.wasm, before wasm-opt) in place of
// the tool's files, then serve the copy without --gzip.
//
//   node tests/e2e/bench/cpu-profile.mjs http://127.0.0.1:4191/atlas-e2e/visualizers/cache-stampede/ [cpu throttle]
//   WHO=measureText node tests/e2e/bench/cpu-profile.mjs URL 4   → also who calls the functions named so
import { chromium } from 'playwright-core';
const [url, rate = '1'] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const ctx = await b.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
const p = await ctx.newPage();
await p.goto(url);
await p.getByRole('button', { name: 'Play' }).first().waitFor();
await p.waitForTimeout(1000);
const cdp = await ctx.newCDPSession(p);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(rate) });
const speed = p.getByLabel('Speed').first();
const o = (await speed.locator('option').allTextContents()).find((x) => x.startsWith('8')); await speed.selectOption({ label: o });
await p.getByRole('button', { name: 'Play' }).first().click();
await p.waitForTimeout(1500);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
await p.waitForTimeout(4000);
const { profile } = await cdp.send('Profiler.stop');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map(); const total = new Map();
let i = 0;
for (const s of profile.samples) {
  const d = (profile.timeDeltas[i++] || 0) / 1000;
  const n = byId.get(s); const name = n.callFrame.functionName || '(anon)';
  self.set(name, (self.get(name) || 0) + d);
  const seen = new Set(); let id = s;
  while (id !== undefined) { const nm = byId.get(id).callFrame.functionName || '(anon)'; if (!seen.has(nm)) { seen.add(nm); total.set(nm, (total.get(nm) || 0) + d); } id = parent.get(id); }
}
const fmt = (m) => [...m].filter(([k]) => !['(idle)', '(program)', '(root)'].includes(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 25)).map(([k, v]) => `${(v / 4).toFixed(1).padStart(6)} ms/s  ${k.replace(/\[[0-9a-f]{16}\]/g, '').slice(0, 150)}`).join('\n');
if (process.env.WHO) {
  // Time in the functions whose name matches WHO, by their six nearest named callers.
  const chains = new Map();
  profile.samples.forEach((sample, index) => {
    if (!(byId.get(sample).callFrame.functionName || '').match(process.env.WHO)) return;
    const names = [];
    for (let id = parent.get(sample); id !== undefined && names.length < 6; id = parent.get(id)) {
      const name = byId.get(id).callFrame.functionName;
      if (name && !name.includes('shim') && name !== 'wasm-to-js') names.push(name.replace(/\[[0-9a-f]{16}\]/g, '').slice(0, 90));
    }
    const chain = names.join(' < ');
    chains.set(chain, (chains.get(chain) || 0) + (profile.timeDeltas[index] || 0) / 1000);
  });
  console.log(`CALLERS of /${process.env.WHO}/\n` + [...chains].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([chain, ms]) => `${(ms / 4).toFixed(1).padStart(6)} ms/s  ${chain}`).join('\n'));
}
console.log('SELF\n' + fmt(self)); console.log('TOTAL (inclusive)\n' + fmt(total));
await b.close();

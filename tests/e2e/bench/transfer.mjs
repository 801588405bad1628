// What a page transfers, file by file, measured as ../shared/measure/budgets.mjs measures it
// (412 x 823 viewport, DevTools protocol encodedDataLength, networkidle + 500 ms):
//   node tests/e2e/bench/transfer.mjs http://127.0.0.1:4190/atlas-e2e/ visualizers/kafka-partitions/ ...
import { chromium } from 'playwright-core';
const [base, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
for (const path of paths) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map();
  const sizes = new Map();
  cdp.on('Network.responseReceived', (event) => urls.set(event.requestId, event.response.url));
  cdp.on('Network.loadingFinished', (event) => sizes.set(event.requestId, event.encodedDataLength));
  await page.goto(new URL(path, base).href, { waitUntil: 'networkidle' });
  await page.waitForTimeout(500);
  await context.close();
  const files = [...urls].map(([id, url]) => [new URL(url).pathname.split('/').pop() || 'index.html', (sizes.get(id) ?? 0) / 1024]);
  const total = files.reduce((sum, [, kb]) => sum + kb, 0);
  console.log(`${path}: ${total.toFixed(1)} KB  ${files.sort((a, b) => b[1] - a[1]).map(([name, kb]) => `${name.replace(/\?.*/, '')} ${kb.toFixed(1)}`).join(', ')}`);
}
await browser.close();

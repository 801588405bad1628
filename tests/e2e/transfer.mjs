// Prints what a page downloads: every response with its encoded (transferred) size.
//   node tests/e2e/transfer.mjs http://127.0.0.1:4180/atlas/
import { chromium } from '@playwright/test';

const url = process.argv[2];
const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage();
const session = await page.context().newCDPSession(page);
await session.send('Network.enable');
const sizes = new Map();
session.on('Network.responseReceived', (event) => sizes.set(event.requestId, { url: event.response.url, bytes: 0 }));
session.on('Network.loadingFinished', (event) => {
  const entry = sizes.get(event.requestId);
  if (entry) entry.bytes = event.encodedDataLength;
});
await page.goto(url, { waitUntil: 'networkidle' });
await browser.close();
let total = 0;
for (const { url: resource, bytes } of sizes.values()) {
  total += bytes;
  console.log(`${String(bytes).padStart(8)}  ${resource}`);
}
console.log(`${String(total).padStart(8)}  total transferred (bytes, compressed as served)`);

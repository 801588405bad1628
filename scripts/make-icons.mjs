// Draws the app icons (assets/icon-192.png, assets/icon-512.png) from assets/favicon.svg with the
// Debian Chromium, so they stay in step with the mark. The PNGs are committed; run this again
// only after changing the mark:
//   node scripts/make-icons.mjs
// The mark sits on an opaque light square and fills about 78 % of it, so its farthest point stays
// inside the central circle (40 % radius) that a "maskable" icon may be cropped to.
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const mark = readFileSync(new URL('assets/favicon.svg', root), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
for (const size of [192, 512]) {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  const inner = Math.round(size * 0.78);
  const svg = mark.replace('<svg ', `<svg width="${inner}" height="${inner}" `);
  await page.setContent(
    `<html><body style="margin:0;width:${size}px;height:${size}px;display:grid;place-items:center;background:#ffffff">${svg}</body></html>`,
  );
  await page.screenshot({ path: new URL(`assets/icon-${size}.png`, root).pathname, omitBackground: false });
  await page.close();
  console.log(`assets/icon-${size}.png`);
}
await browser.close();

// The prologue the frame benches share: Chromium without a GPU, a 1280×900 page of a tool,
// `css` added, `before(page)` run, the CPU throttled `rate` times, the speed set to `speed`, and
// Play pressed (unless `play` is false). The caller waits, measures and closes `browser`.
import { chromium } from 'playwright-core';

export async function playing(url, { rate = '4', speed = '8', css = '', before, play = true } = {}) {
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForTimeout(800);
  if (before) await before(page);
  if (css) await page.addStyleTag({ content: css });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(rate) });
  const select = page.getByLabel('Speed').first();
  const option = (await select.locator('option').allTextContents()).find((label) => label.startsWith(speed));
  await select.selectOption({ label: option });
  if (play) await page.getByRole('button', { name: 'Play' }).first().click();
  return { browser, context, page, cdp };
}

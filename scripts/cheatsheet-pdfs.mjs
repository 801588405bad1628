// Prints every cheat sheet of a built site to PDF, in A4 and in US Letter, next to its page
// (`<dist>/cheatsheets/<slug>/<slug>-a4.pdf`, `-letter.pdf`), and fails if a sheet does not fit
// exactly one page in either size. Chromium prints the page itself with the print stylesheet, so
// the PDF's text is selectable and its links work (links into the site lead to ATLAS_SITE_ORIGIN,
// which the build also uses for sitemap.xml). Run by scripts/build-release.sh after trunk:
//   node scripts/cheatsheet-pdfs.mjs DIST BASE
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { pageCount } from './pdf-pages.mjs';

const [dist, base] = process.argv.slice(2);
if (!dist || !base) { console.error('usage: cheatsheet-pdfs.mjs DIST BASE'); process.exit(2); }
const sheets = JSON.parse(readFileSync(join(dist, 'catalogue.json'), 'utf8')).filter((entry) => entry.kind === 'cheatsheet');
if (sheets.length === 0) process.exit(0);


const port = 4300 + Math.floor(Math.random() * 500);
const server = spawn(process.execPath, ['tests/e2e/serve.mjs', '--dir', dist, '--base', base, '--port', String(port)], { stdio: 'ignore' });
let failed = false;
try {
  for (let tries = 0; ; tries += 1) {
    try { await fetch(`http://127.0.0.1:${port}${base}`); break; } catch { if (tries > 50) throw new Error('the static server did not start'); await new Promise((done) => setTimeout(done, 100)); }
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage();
  for (const sheet of sheets) {
    await page.goto(`http://127.0.0.1:${port}${sheet.url}`, { waitUntil: 'networkidle' });
    await page.emulateMedia({ media: 'print', colorScheme: 'light' });
    // A link to this site must lead to the published site, not to the server that printed it:
    // to ATLAS_SITE_ORIGIN when the build knows it, else it is printed as plain text.
    await page.evaluate((origin) => {
      for (const link of document.querySelectorAll('a[href]')) {
        const url = new URL(link.href);
        if (url.origin !== location.origin) continue;
        if (origin) link.href = origin + url.pathname + url.hash;
        else link.removeAttribute('href');
      }
    }, process.env.ATLAS_SITE_ORIGIN?.replace(/\/+$/, '') ?? '');
    for (const [size, format] of [['a4', 'A4'], ['letter', 'Letter']]) {
      const pdf = await page.pdf({ format, printBackground: false, preferCSSPageSize: true, tagged: true });
      const pages = pageCount(pdf);
      const file = join(dist, sheet.url.slice(base.length), `${sheet.slug}-${size}.pdf`);
      writeFileSync(file, pdf);
      console.log(`printed ${file}: ${pages} page(s), ${pdf.length} bytes`);
      if (pages !== 1) { console.error(`${sheet.url} takes ${pages} pages in ${format}: a cheat sheet must fit one (shorten it)`); failed = true; }
    }
  }
  await browser.close();
} finally {
  server.kill();
}
process.exit(failed ? 1 : 0);

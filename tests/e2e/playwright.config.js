// Browser tests in the Debian Chromium (Playwright cannot download its own browsers here).
import { defineConfig } from '@playwright/test';
import { BASE, PORT, DIST } from './site.js';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.js/,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    // Gzip, as a real host serves the site: the transfer budgets read what crosses the network.
    command: `node tests/e2e/serve.mjs --dir ${DIST} --base ${BASE} --port ${PORT} --gzip`,
    url: `http://127.0.0.1:${PORT}${BASE}`,
    reuseExistingServer: false,
    cwd: new URL('../..', import.meta.url).pathname,
  },
});

// Where the browser tests find the release build: scripts/test.sh builds it for this base path.
import { readFileSync } from 'node:fs';

export const BASE = process.env.ATLAS_E2E_BASE ?? '/atlas-e2e/';
export const PORT = Number(process.env.ATLAS_E2E_PORT ?? 4173);
export const DIST = process.env.ATLAS_E2E_DIST ?? 'target/e2e-dist';

/** Every page the build wrote, as listed in its catalogue.json (whose "section" entries, the
 * search's way into long documents, are parts of those pages, not pages). */
export function catalogue() {
  return searchEntries().filter((entry) => entry.kind !== 'section');
}

/** Everything the search can find, sections of long documents included. */
export function searchEntries() {
  const root = new URL(`../../${DIST}/catalogue.json`, import.meta.url);
  return JSON.parse(readFileSync(root, 'utf8'));
}

/** The tool registry the build wrote (components/src/registry.rs as data). */
export function tools() {
  const root = new URL(`../../${DIST}/tools.json`, import.meta.url);
  return JSON.parse(readFileSync(root, 'utf8'));
}

/** Each catalogued page that is not a tool's own, with its prerendered HTML. */
function* prerenderedPages() {
  for (const entry of catalogue()) {
    if (entry.kind === 'visualizer') continue;
    try {
      yield [entry, readFileSync(new URL(`../../${DIST}/${entry.url.slice(BASE.length)}index.html`, import.meta.url), 'utf8')];
    } catch {
      // A catalogue entry without a page of its own (none today) embeds nothing.
    }
  }
}

/**
 * For each tool, the first catalogued page that embeds it, read from the built HTML, so the
 * embedded (and possibly compact) instances are checked too without a list of pages here.
 */
export function embeddingPages() {
  const found = new Map();
  for (const [entry, html] of prerenderedPages()) {
    for (const match of html.matchAll(/class="viz viz--embedded[^"]*"[^>]*data-viz="([a-z0-9-]+)"/g)) {
      if (!found.has(match[1])) found.set(match[1], entry.url);
    }
  }
  return found;
}

/** The catalogue entries of the pages (not tool pages) whose prerendered HTML holds an embedded tool. */
export function pagesWithEmbeds() {
  return [...prerenderedPages()].filter(([, html]) => html.includes('viz viz--embedded')).map(([entry]) => entry);
}

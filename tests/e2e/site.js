// Where the browser tests find the release build: scripts/test.sh builds it for this base path.
import { readFileSync } from 'node:fs';

export const BASE = process.env.ATLAS_E2E_BASE ?? '/atlas-e2e/';
export const PORT = Number(process.env.ATLAS_E2E_PORT ?? 4173);
export const DIST = process.env.ATLAS_E2E_DIST ?? 'target/e2e-dist';

/** Every page the build wrote, as listed in its catalogue.json. */
export function catalogue() {
  const root = new URL(`../../${DIST}/catalogue.json`, import.meta.url);
  return JSON.parse(readFileSync(root, 'utf8'));
}

/** The tool registry the build wrote (components/src/registry.rs as data). */
export function tools() {
  const root = new URL(`../../${DIST}/tools.json`, import.meta.url);
  return JSON.parse(readFileSync(root, 'utf8'));
}

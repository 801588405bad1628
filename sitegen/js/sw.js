// The atlas's service worker: reading offline, and clean updates.
//
// atlas-sitegen writes this file as `sw.js` at the root of the built site, filling in VERSION
// (a hash of every other file of the build, so any change to any page or asset gives a new worker
// and so a new cache), SHELL (what every page needs) and OFFLINE_PAGE. It is plain JavaScript
// because a service worker has to be, and it works under any base path: the path comes from the
// registration's scope.
//
// - Pages: network first, so a reader online always gets the newest text; each page read is
//   stored, and served from the store when the network fails. An unsaved page gets OFFLINE_PAGE.
// - Hashed assets (trunk's `name-<hash>.ext`, and `?v=<hash>` URLs): cache first, since a given
//   URL never changes.
// - Everything else (catalogue.json, the web manifest, icons): network first, like pages.
// - A new version waits until the reader chooses "Reload" (message `skip-waiting`); on activation
//   it deletes the caches of older versions of this site only.
'use strict';

const VERSION = '__ATLAS_VERSION__';
const SHELL = __ATLAS_SHELL__;
const OFFLINE_PAGE = '__ATLAS_OFFLINE_PAGE__';

const SCOPE = new URL(self.registration.scope).pathname;
// Caches are per origin; the scope in the name keeps two sites on one origin (two GitHub Pages
// project sites of one user) from deleting each other's.
const PREFIX = `atlas:${SCOPE}:`;
const CACHE = PREFIX + VERSION;

// The shell is stored on install. Hashed assets the page has just loaded come from the HTTP
// cache (`force-cache`: a hashed URL never changes), so a first visit does not download the
// WebAssembly twice; the rest is revalidated.
self.addEventListener('install', (event) => {
  const request = (url) => new Request(url, { cache: isImmutable(new URL(url, self.location.href)) ? 'force-cache' : 'no-cache' });
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL.map(request))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'skip-waiting') {
    self.skipWaiting();
  } else if (data.type === 'cache-info' && event.ports[0]) {
    event.ports[0].postMessage({ cache: CACHE, version: VERSION });
  } else if (data.type === 'cache-visited') {
    event.waitUntil(cacheVisited(data.page, data.assets));
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) return;
  if (request.mode === 'navigate') event.respondWith(page(event, url));
  else if (isImmutable(url)) event.respondWith(cacheFirst(event, request));
  else event.respondWith(networkFirst(event, request, request));
});

function isImmutable(url) {
  return url.searchParams.has('v') || /-[0-9a-f]{16,}(_bg)?\.[a-z0-9]+$/.test(url.pathname);
}

// A page is stored under its address without the query: `?seed=3` is read by the app, the
// document is the same.
function pageKey(url) {
  return url.origin + url.pathname;
}

async function page(event, url) {
  const key = pageKey(url);
  const response = await networkFirst(event, event.request, key);
  if (response) return response;
  const cache = await caches.open(CACHE);
  // `/patterns/x` is served as `/patterns/x/` by static hosts (a redirect); do the same offline.
  if (!key.endsWith('/') && (await cache.match(`${key}/`))) return Response.redirect(`${url.pathname}/${url.search}`, 301);
  return (await cache.match(OFFLINE_PAGE)) || Response.error();
}

// Network first; stores what it got (under `key`) and falls back to the store. For a page it
// returns null when there is nothing, so `page` can offer the offline page instead.
async function networkFirst(event, request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.status < 500) {
      if (response.ok && response.type === 'basic') event.waitUntil(cache.put(key, response.clone()));
      return response;
    }
  } catch (error) {
    // Offline, or the host is unreachable: fall through to the store.
  }
  const stored = await cache.match(key, { ignoreSearch: true });
  if (stored) return stored;
  return request.mode === 'navigate' ? null : Response.error();
}

async function cacheFirst(event, request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  try {
    const response = await fetch(request);
    if (response.ok) event.waitUntil(cache.put(request, response.clone()));
    return response;
  } catch (error) {
    // "Save the whole atlas" stores assets without their `?v=`; within one version they are the
    // same file.
    return (await cache.match(request, { ignoreSearch: true })) || Response.error();
  }
}

// The page a reader opened before this worker controlled it (the very first visit) did not go
// through `fetch` above; offline.js sends its address and its assets so they are stored too.
// They were just loaded, so the HTTP cache normally answers without touching the network.
async function cacheVisited(pageUrl, assets) {
  const cache = await caches.open(CACHE);
  const store = async (address, asPage) => {
    let url;
    try {
      url = new URL(address, self.location.href);
    } catch (error) {
      return;
    }
    if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) return;
    const key = asPage ? pageKey(url) : url.href;
    if (await cache.match(key)) return;
    try {
      const response = await fetch(key, { cache: 'force-cache' });
      if (response.ok && !response.redirected) await cache.put(key, response);
    } catch (error) {
      // Offline again already: it will be stored on the next visit.
    }
  };
  const work = [];
  if (typeof pageUrl === 'string') work.push(store(pageUrl, true));
  if (Array.isArray(assets)) for (const asset of assets.slice(0, 200)) if (typeof asset === 'string') work.push(store(asset, false));
  await Promise.all(work);
}

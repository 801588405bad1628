// Offline reading for the atlas, on every page: registers the service worker (sw.js), shows "A new
// version is available" when a deploy is waiting, and runs "Save the whole atlas for offline".
//
// Plain JavaScript, and an external file rather than part of the WebAssembly app, on purpose:
// offline reading must keep working when the app fails to load, the worker it talks to is
// JavaScript anyway, and an external file keeps the Content Security Policy free of inline code.
// Nothing here may break a page: where service workers are unavailable (plain http off
// localhost, some private modes), it does nothing and the controls stay hidden.
const base = document.documentElement.dataset.base || '/';
const kind = document.body.dataset.kind;
let reloadRequested = false;

if ('serviceWorker' in navigator && window.isSecureContext && 'caches' in window) {
  start().catch(() => {
    // Registration refused (private mode, storage disabled): the page reads as before.
  });
}

async function start() {
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloadRequested) {
      reloadRequested = false;
      location.reload();
    }
  });
  // After the page has loaded: installing the worker downloads the shell, which must not
  // compete with the page's own WebAssembly.
  await loaded();
  const registration = await navigator.serviceWorker.register(`${base}sw.js`, { scope: base });
  offerUpdates(registration);
  setUpSaveAll(registration);
  if (kind === 'offline') listSavedPages();
  rememberThisPage();
}

function loaded() {
  return document.readyState === 'complete' ? Promise.resolve() : new Promise((done) => addEventListener('load', done, { once: true }));
}

// The first page a reader opens is loaded before the worker exists; ask it to store that page
// and what it loaded, so it too reads offline. (Not the not-found or offline pages: they stand in
// for addresses that have no page.)
async function rememberThisPage() {
  if (kind === 'not-found' || kind === 'offline') return;
  const registration = await navigator.serviceWorker.ready;
  const assets = performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => name.startsWith(location.origin + base));
  registration.active?.postMessage({ type: 'cache-visited', page: location.href.split('#')[0], assets });
}

// A new deploy installs a new worker, which waits; the notice lets the reader switch when it
// suits them. "Reload" activates the waiting worker, and the page reloads once it controls it.
function offerUpdates(registration) {
  const offer = (worker) => {
    if (worker && navigator.serviceWorker.controller) showUpdateNotice(worker);
  };
  offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed') offer(worker);
    });
  });
}

function showUpdateNotice(worker) {
  const notice = document.querySelector('[data-sw-update]');
  if (!notice || notice.childElementCount > 0) return;
  const message = document.createElement('span');
  message.textContent = 'A new version of the atlas is available.';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.className = 'button';
  reload.textContent = 'Reload';
  reload.addEventListener('click', () => {
    reload.disabled = true;
    if (worker.state === 'activated') {
      // Another tab already switched to it.
      location.reload();
      return;
    }
    reloadRequested = true;
    worker.postMessage({ type: 'skip-waiting' });
  });
  // "Later" clears the notice (it sits over the bottom of the page); the new version then
  // arrives the next time every tab of the atlas has been closed.
  const later = document.createElement('button');
  later.type = 'button';
  later.className = 'button';
  later.textContent = 'Later';
  later.addEventListener('click', () => notice.replaceChildren());
  const actions = document.createElement('span');
  actions.className = 'update-notice__actions';
  actions.append(reload, later);
  notice.append(message, actions);
}

// Asks the active worker a question and waits for its answer (or gives up after 5 s).
function ask(worker, message) {
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => reject(new Error('the service worker did not answer')), 5000);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

// The list of files to save, checked before use: only addresses inside this site, sizes as numbers.
function readOfflineManifest(json) {
  if (!json || typeof json.version !== 'string' || !Array.isArray(json.files)) throw new Error('the list of files is malformed');
  const files = json.files
    .filter((file) => file && typeof file.url === 'string' && file.url.startsWith(base) && Number.isFinite(file.bytes))
    .map((file) => ({ url: file.url, bytes: Math.max(0, file.bytes) }));
  return { version: json.version, files };
}

function setUpSaveAll(registration) {
  const section = document.querySelector('[data-offline-save]');
  if (!section) return;
  const startButton = section.querySelector('[data-offline-start]');
  const cancelButton = section.querySelector('[data-offline-cancel]');
  const progress = section.querySelector('progress');
  const progressText = section.querySelector('[data-offline-progress]');
  const status = section.querySelector('[data-offline-status]');
  let running = null;

  const finish = (message) => {
    running = null;
    status.textContent = message;
    cancelButton.hidden = true;
    startButton.disabled = false;
    if (section.contains(document.activeElement) || document.activeElement === document.body) startButton.focus();
  };

  cancelButton.addEventListener('click', () => running?.abort());
  startButton.addEventListener('click', async () => {
    if (running) return;
    running = new AbortController();
    const { signal } = running;
    startButton.disabled = true;
    cancelButton.hidden = false;
    cancelButton.focus();
    status.textContent = 'Preparing to save the whole atlas…';
    try {
      const worker = (await navigator.serviceWorker.ready).active;
      const info = await ask(worker, { type: 'cache-info' });
      const response = await fetch(`${base}offline-manifest.json`, { cache: 'no-store', signal });
      if (!response.ok) throw new Error(`the list of files answered ${response.status}`);
      const manifest = readOfflineManifest(await response.json());
      if (manifest.version !== info.version) {
        registration.update().catch(() => {});
        finish('A newer version of the atlas has been published. Reload the page, then save again.');
        return;
      }
      const cache = await caches.open(info.cache);
      const total = manifest.files.length;
      const totalBytes = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
      let done = 0;
      let doneBytes = 0;
      const failed = [];
      progress.max = total;
      progress.value = 0;
      progress.hidden = false;
      const show = () => {
        progress.value = done;
        progressText.textContent = `${done} of ${total} files · ${megabytes(doneBytes)} of ${megabytes(totalBytes)}`;
      };
      show();
      status.textContent = `Saving ${total} files (${megabytes(totalBytes)})…`;
      const queue = manifest.files.slice();
      // Four downloads at a time: quick on a good connection, gentle on a slow one.
      const worker4 = async () => {
        for (let file = queue.shift(); file && !signal.aborted; file = queue.shift()) {
          try {
            if (!(await cache.match(file.url))) {
              const fetched = await fetch(file.url, { cache: 'no-cache', signal });
              if (!fetched.ok) throw new Error(`HTTP ${fetched.status}`);
              await cache.put(file.url, fetched);
            }
            done += 1;
            doneBytes += file.bytes;
          } catch (error) {
            if (!signal.aborted) failed.push(file.url);
          }
          show();
        }
      };
      await Promise.all([worker4(), worker4(), worker4(), worker4()]);
      if (signal.aborted) {
        finish(`Cancelled. ${done} of ${total} files are saved and stay available offline; saving again fetches the rest.`);
      } else if (failed.length > 0) {
        const shown = failed.slice(0, 3).map((url) => url.slice(base.length - 1)).join(', ');
        finish(`Saved ${done} of ${total} files; ${failed.length} could not be downloaded (${shown}${failed.length > 3 ? ', …' : ''}). Try again to fetch the rest.`);
        startButton.textContent = 'Try again';
      } else {
        navigator.storage?.persist?.().catch(() => {});
        finish(`Done: the whole atlas (${total} files, ${megabytes(totalBytes)}) is saved on this device and works offline.`);
        startButton.textContent = 'Save again';
      }
    } catch (error) {
      finish(signal.aborted ? 'Cancelled.' : `Saving for offline failed: ${error.message}. Check the connection and try again.`);
    }
  });
  section.hidden = false;
}

// On the offline page: the pages this device has saved, by title, as links.
async function listSavedPages() {
  const list = document.querySelector('[data-offline-pages]');
  if (!list) return;
  const prefix = `atlas:${base}:`;
  const pages = new Set();
  for (const name of await caches.keys()) {
    if (!name.startsWith(prefix)) continue;
    for (const request of await (await caches.open(name)).keys()) {
      const path = new URL(request.url).pathname;
      if (path.startsWith(base) && path.endsWith('/')) pages.add(path);
    }
  }
  let titles = new Map();
  try {
    const catalogue = await (await fetch(`${base}catalogue.json`)).json();
    if (Array.isArray(catalogue)) titles = new Map(catalogue.filter((entry) => typeof entry?.url === 'string').map((entry) => [entry.url, String(entry.title ?? entry.url)]));
  } catch (error) {
    // No catalogue saved: the addresses are shown instead of titles.
  }
  const items = [...pages].map((path) => ({ path, title: titles.get(path) ?? path })).sort((a, b) => a.title.localeCompare(b.title));
  list.replaceChildren(
    ...items.map(({ path, title }) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = path;
      link.textContent = title;
      item.append(link);
      return item;
    }),
  );
  const none = document.querySelector('[data-offline-none]');
  if (none) none.hidden = items.length > 0;
  list.hidden = items.length === 0;
}

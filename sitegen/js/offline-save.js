// "Save the whole atlas for offline" and the offline page's list of saved pages: loaded by
// offline.js only when a reader asks to save, or on the offline page, so the script every page
// loads stays small. The page gives this file's hashed address in `data-offline-script`.
let running = null;

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
function readOfflineManifest(json, base) {
  if (!json || typeof json.version !== 'string' || !Array.isArray(json.files)) throw new Error('the list of files is malformed');
  const files = json.files
    .filter((file) => file && typeof file.url === 'string' && file.url.startsWith(base) && Number.isFinite(file.bytes))
    .map((file) => ({ url: file.url, bytes: Math.max(0, file.bytes) }));
  return { version: json.version, files };
}

/** Downloads every file of the site into the worker's cache, with progress, in `section`. */
export async function saveAll(section, registration, base) {
  const startButton = section.querySelector('[data-offline-start]');
  const cancelButton = section.querySelector('[data-offline-cancel]');
  const progress = section.querySelector('progress');
  const progressText = section.querySelector('[data-offline-progress]');
  const status = section.querySelector('[data-offline-status]');

  const finish = (message) => {
    running = null;
    status.textContent = message;
    cancelButton.hidden = true;
    startButton.disabled = false;
    if (section.contains(document.activeElement) || document.activeElement === document.body) startButton.focus();
  };

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
    const manifest = readOfflineManifest(await response.json(), base);
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
}

/** Stops a download in progress; what was saved stays. */
export function cancel() {
  running?.abort();
}

// On the offline page: the pages this device has saved, by title, as links.
export async function listSavedPages(base) {
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

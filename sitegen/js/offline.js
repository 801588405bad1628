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
  if (kind === 'offline') saving().then((module) => module.listSavedPages(base)).catch(() => {});
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

// The footer's "Save the whole atlas" control: shown once this browser can do it; the code that
// saves is fetched on the first click (offline-save.js).
function setUpSaveAll(registration) {
  const section = document.querySelector('[data-offline-save]');
  if (!section) return;
  const run = (action) => () =>
    saving().then(action, () => {
      section.querySelector('[data-offline-status]').textContent = 'Saving for offline needs a connection to fetch its script. Try again online.';
    });
  section.querySelector('[data-offline-start]').addEventListener('click', run((module) => module.saveAll(section, registration, base)));
  section.querySelector('[data-offline-cancel]').addEventListener('click', run((module) => module.cancel()));
  section.hidden = false;
}

function saving() {
  return import(document.querySelector('[data-offline-script]').dataset.offlineScript);
}

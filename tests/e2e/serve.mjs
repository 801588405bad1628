// A plain static file server, like a static host: no rewrites, no SPA fallback.
// A directory is served through its index.html (a slash-less directory URL is redirected,
// as GitHub Pages does), anything missing gets the site's 404.html with status 404.
//   node tests/e2e/serve.mjs --dir dist-e2e --base /atlas-e2e/ --port 4173 [--gzip]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]?.startsWith('--') || all[i + 1] === undefined ? true : all[i + 1]]);
    return pairs;
  }, []),
);
const root = resolve(args.dir ?? 'dist');
const base = `/${String(args.base ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
const port = Number(args.port ?? 4173);
const gzip = Boolean(args.gzip);

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json', '.pdf': 'application/pdf',
};
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.xml', '.svg', '.txt', '.webmanifest']);

async function fileAt(path) {
  try {
    const info = await stat(path);
    return info.isFile() ? 'file' : info.isDirectory() ? 'dir' : null;
  } catch {
    return null;
  }
}

// Level 9, as the budgets assume; each file is compressed once (the suite loads the same
// bundles hundreds of times), and again only if it changes on disk.
const gzipped = new Map();
function compressed(path, body) {
  const key = `${path}\0${body.length}`;
  const hit = gzipped.get(path);
  if (hit?.key === key && hit.source.equals(body)) return hit.body;
  const entry = { key, source: body, body: gzipSync(body, { level: 9 }) };
  gzipped.set(path, entry);
  return entry.body;
}

async function send(req, res, status, path) {
  let body = await readFile(path);
  const ext = extname(path);
  const headers = { 'content-type': types[ext] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
  if (gzip && compressible.has(ext) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
    body = compressed(path, body);
    headers['content-encoding'] = 'gzip';
    headers.vary = 'accept-encoding';
  }
  headers['content-length'] = body.length;
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function notFound(req, res) {
  const page = join(root, '404.html');
  if (await fileAt(page)) return send(req, res, 404, page);
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}

createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    const pathname = decodeURIComponent(url.pathname);
    if (!pathname.startsWith(base) && `${pathname}/` !== base) return notFound(req, res);
    const relative = pathname.slice(base.length - 1);
    const target = normalize(join(root, relative));
    if (target !== root && !target.startsWith(root + sep)) return notFound(req, res);
    const kind = await fileAt(target);
    if (kind === 'file') return send(req, res, 200, target);
    if (kind === 'dir') {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: `${pathname}/${url.search}` }).end();
        return;
      }
      const index = join(target, 'index.html');
      if (await fileAt(index)) return send(req, res, 200, index);
    }
    return notFound(req, res);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  }
}).listen(port, '127.0.0.1', () => {
  console.log(`serving ${root} at http://127.0.0.1:${port}${base}${gzip ? ' (gzip)' : ''}`);
});

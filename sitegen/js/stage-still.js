// Paints a stage's picture (its parts, meters and words) on a canvas while its run plays.
//
// Why: written into the page as SVG, the picture cost the frame it changed in 10 to 17 ms of
// parsing, styling, layout and painting with the CPU throttled 4x, on top of the 6 ms of a frame
// that only moves the requests (the retries tool at 8x, Chromium trace, 2026-12-07); a canvas
// is painted without touching the page's style or layout. Paused, the stage shows the SVG again
// (src/harness/scene.rs), which the browser tests read and check.
//
// The picture comes as the SVG the model's `Sketch` writes (components/src/viz/poster.rs): a few
// kinds of element (rect, circle, line, path, text, and g around some), each with classes. Its
// inks are the stylesheet's, read once per kind and classes from a never-displayed copy, again
// after the theme changes. Loaded by the page's request painter (stage.js) the first time a run
// plays, so pages pay nothing for it until then.
//
// The painting itself happens in a worker running this same file, on an OffscreenCanvas, and
// comes back as a bitmap: the worker reads the markup and draws, and the page's thread only
// answers its questions about inks, which need the stylesheet. A canvas is rasterised on the thread that draws on it, where
// the SVG it replaces was rasterised off the page's thread; drawn in the page's thread, the
// picture took 4.5 to 5 ms of the round's first frame with the CPU throttled 4x (retries and
// circuit breaker at 8x, 2026-12-07). Where a worker cannot paint (no OffscreenCanvas, or it
// failed), the page's thread paints as before.
let inks = new Map();
let swatches;

// What an element's ink depends on: its kind, its classes and those of the groups around it.
const keyOf = (tag, classes, groups) => `${groups.join('>')}>${tag}.${classes}`;

// The computed style of an element of `tag` with `classes` inside groups with `groups`' classes.
const inkOf = (tag, classes, groups) => {
  const key = keyOf(tag, classes, groups);
  let ink = inks.get(key);
  if (ink) return ink;
  if (!swatches?.isConnected) {
    swatches = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    swatches.setAttribute('class', 'pv');
    swatches.setAttribute('aria-hidden', 'true');
    swatches.style.display = 'none';
    document.body.append(swatches);
  }
  let parent = swatches;
  for (const group of groups) {
    const g = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    g.setAttribute('class', group);
    parent.append(g);
    parent = g;
  }
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  element.setAttribute('class', classes);
  parent.append(element);
  const style = getComputedStyle(element);
  const dashes = style.strokeDasharray === 'none' ? [] : style.strokeDasharray.split(/[\s,]+/).map(parseFloat).filter((n) => n >= 0);
  ink = {
    fill: style.fill === 'none' ? null : style.fill,
    stroke: style.stroke === 'none' ? null : style.stroke,
    width: parseFloat(style.strokeWidth) || 1,
    cap: style.strokeLinecap,
    dashes,
    alpha: parseFloat(style.opacity),
    font: `${style.fontWeight} SIZEpx ${style.fontFamily}`,
  };
  inks.set(key, ink);
  return ink;
};

// The picture's elements, read from the markup the `Sketch` writes: `<tag a="…"/>`,
// `<text a="…">words</text>`, `<g a="…">…</g>` (or as the browser writes the same SVG back). A scan of that known shape rather than DOMParser, which took 0.5 of the
// 0.8 ms a paint of the retries stage took (Chromium, 2026-12-07). Answers null if the markup is
// not of that shape.
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: '\u00a0' };
const unescape = (text) => text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name) => ENTITIES[name]);
const TAG = /<(\/?)([a-z]+)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>([^<]*)/gy;
const ATTRIBUTE = /([\w-]+)="([^"]*)"/g;
const parse = (markup) => {
  const root = { children: [] };
  const open = [root];
  TAG.lastIndex = 0;
  while (TAG.lastIndex < markup.length) {
    const match = TAG.exec(markup);
    if (!match) return null;
    const [, closing, tag, attributes, selfClosing, text] = match;
    if (closing) {
      if (open.length < 2 || open.pop().tag !== tag) return null;
      continue;
    }
    const element = { tag, attributes: {}, children: [], text: unescape(text) };
    for (const [, name, value] of attributes.matchAll(ATTRIBUTE)) element.attributes[name] = unescape(value);
    open.at(-1).children.push(element);
    if (!selfClosing) open.push(element);
  }
  return open.length === 1 ? root.children : null;
};

const number = (element, name) => parseFloat(element.attributes[name]) || 0;

// What to draw for `element` and what it holds, with the inks `inkFor` gives, appended to `ops`;
// `groups` are the classes of the groups around it. An element without an ink is left out.
const opsOf = (element, groups, ops, inkFor) => {
  const { tag, attributes } = element;
  if (tag === 'g') {
    const inner = [...groups, attributes.class ?? ''];
    for (const child of element.children) opsOf(child, inner, ops, inkFor);
    return ops;
  }
  if (!['text', 'rect', 'circle', 'line', 'path'].includes(tag)) return ops;
  const ink = inkFor(tag, attributes.class ?? '', groups);
  if (!ink) return ops;
  const at = (...names) => names.map((name) => number(element, name));
  const anchor = attributes['text-anchor'];
  ops.push({
    tag,
    ink: tag === 'text' ? { ...ink, font: ink.font.replace('SIZE', number(element, 'font-size') || 12) } : ink,
    at: tag === 'text' ? at('x', 'y') : tag === 'rect' ? at('x', 'y', 'width', 'height', 'rx') : tag === 'circle' ? at('cx', 'cy', 'r') : tag === 'line' ? at('x1', 'y1', 'x2', 'y2') : [],
    d: attributes.d ?? '',
    text: tag === 'text' ? element.text : '',
    align: anchor === 'middle' ? 'center' : anchor === 'end' ? 'right' : 'left',
  });
  return ops;
};

// Draws `ops` on `context`, in either thread.
const draw = (context, ops) => {
  for (const { tag, ink, at, d, text, align } of ops) {
    context.globalAlpha = Number.isFinite(ink.alpha) ? ink.alpha : 1;
    if (tag === 'text') {
      context.font = ink.font;
      context.textAlign = align;
      context.fillStyle = ink.fill ?? 'transparent';
      context.fillText(text, at[0], at[1]);
      continue;
    }
    const shape = new Path2D(tag === 'path' ? d : undefined);
    if (tag === 'rect') shape.roundRect(...at);
    else if (tag === 'circle') shape.arc(at[0], at[1], at[2], 0, 2 * Math.PI);
    else if (tag === 'line') {
      shape.moveTo(at[0], at[1]);
      shape.lineTo(at[2], at[3]);
    }
    if (ink.fill && tag !== 'line') {
      context.fillStyle = ink.fill;
      context.fill(shape);
    }
    if (ink.stroke) {
      context.strokeStyle = ink.stroke;
      context.lineWidth = ink.width;
      context.lineCap = ink.cap;
      context.setLineDash(ink.dashes);
      context.stroke(shape);
    }
  }
};

// Paints `ops` on `canvas`, a picture `height` units tall at `scale` pixels a unit, over the
// bitmap `under` if one is given.
const onto = (canvas, ops, height, scale, under) => {
  const width = Math.round(320 * scale), tall = Math.round(height * scale);
  if (canvas.width !== width || canvas.height !== tall) [canvas.width, canvas.height] = [width, tall];
  const context = canvas.getContext('2d');
  context.setTransform(scale, 0, 0, scale, 0, 0);
  context.clearRect(0, 0, 320, height);
  if (under) context.drawImage(under, 0, 0, 320, height);
  draw(context, ops);
};

// The picture of `markup`, as what to draw, with the inks `inkFor` gives; null if it did not parse.
const opsFor = (markup, inkFor) => {
  const elements = parse(markup);
  if (!elements) return null;
  const ops = [];
  for (const element of elements) opsOf(element, [], ops, inkFor);
  return ops;
};

// In the worker: reads and paints each picture it is sent, and sends it back as a bitmap. It asks
// the page for the inks it does not know yet (the page's thread has the stylesheet) and paints
// the picture when they come.
//
// Where the page can hand a canvas to a worker, the worker also paints a playing stage's
// requests, every frame, on a canvas the page has handed it (its `sheet`), over the latest
// picture, which it then keeps rather than sends. Why: a canvas the page's thread paints is
// copied for the compositor in every frame's commit, which took 3.5 to 4 of the 7 to 8 ms of a
// frame that only moves the requests (retries at 8x, CPU throttled 4x, Chromium without a GPU,
// 2026-12-07); a worker's canvas goes to the compositor from the worker.
if (!globalThis.document) {
  const canvas = globalThis.OffscreenCanvas && new OffscreenCanvas(1, 1);
  const known = new Map();
  // The inks asked for and not yet answered, so that a frame does not ask again.
  const asked = new Set();
  // The latest picture asked for, by stage, until painted.
  const waiting = new Map();
  // The stages painted here: by id, the sheet, the outcomes' classes (in the order of the
  // requests' path data), the latest picture (once painted), whether the sheet shows it, and the
  // latest requests.
  const sheets = new Map();
  // What `build` makes to draw with the inks it asks for; null if that is null (markup that does
  // not parse); undefined, having asked the page for the inks not known yet, while some are not.
  const read = (build) => {
    const missing = new Map();
    let unknown = false;
    const ops = build((tag, classes, groups) => {
      const key = keyOf(tag, classes, groups);
      const ink = known.get(key);
      if (!ink) {
        unknown = true;
        if (!asked.has(key)) missing.set(key, [tag, classes, groups]);
      }
      return ink;
    });
    if (missing.size) {
      for (const key of missing.keys()) asked.add(key);
      globalThis.postMessage({ need: [...missing.values()] });
    }
    return unknown ? undefined : ops;
  };
  // Paints a stage's sheet: its requests (a path per outcome, drawn as the picture's paths are),
  // over its picture once it shows.
  const show = (stage) => {
    if (!stage.requests) return;
    const { paths, height, scale } = stage.requests;
    const data = paths.split('|');
    const ops = read((inkFor) => stage.classes.reduce((ops, classes, index) => (data[index] ? opsOf({ tag: 'path', attributes: { class: classes, d: data[index] } }, [], ops, inkFor) : ops), []));
    if (ops !== undefined) onto(stage.sheet, ops, height, scale, stage.showing && stage.picture);
  };
  const attempt = (request) => {
    const ops = read((inkFor) => opsFor(request.markup, inkFor));
    if (ops === undefined) return;
    waiting.delete(request.id);
    // Markup that did not parse is not painted: the page lets the stage's last picture go.
    if (!ops) {
      globalThis.postMessage({ id: request.id, unreadable: true });
      return;
    }
    onto(canvas, ops, request.height, request.scale);
    const bitmap = canvas.transferToImageBitmap();
    const stage = sheets.get(request.id);
    if (!stage) {
      globalThis.postMessage({ id: request.id, bitmap }, [bitmap]);
      return;
    }
    stage.picture?.close();
    stage.picture = bitmap;
    if (!stage.showing) {
      stage.showing = true;
      // Sent once the sheet shows the picture, for the page to let the SVG go only then.
      setTimeout(() => globalThis.postMessage({ id: request.id, shown: request.run }));
    }
    show(stage);
  };
  globalThis.onmessage = ({ data }) => {
    const stage = sheets.get(data.id);
    if (data.inks) {
      for (const [key, ink] of data.inks) {
        known.set(key, ink);
        asked.delete(key);
      }
      waiting.forEach(attempt);
      sheets.forEach(show);
    } else if (data.forget) {
      known.clear();
      asked.clear();
    } else if (data.sheet) {
      sheets.set(data.id, { sheet: data.sheet, classes: data.classes, picture: null, showing: false, requests: null });
    } else if (data.drop) {
      // The run paused: the page shows its own canvas and the SVG again. The sheet keeps the
      // requests alone, for the moment it shows again.
      waiting.delete(data.id);
      stage.picture?.close();
      Object.assign(stage, { picture: null, showing: false });
      show(stage);
    } else if (data.requests !== undefined) {
      stage.requests = { paths: data.requests, height: data.height, scale: data.scale };
      show(stage);
    } else {
      waiting.set(data.id, data);
      attempt(data);
    }
  };
  if (!canvas?.getContext('2d')) globalThis.postMessage({ unable: true });
}

// In the page: each stage canvas's latest request, by id, for the worker's answers and the theme.
const wanted = new Map();
const ids = new WeakMap();
let nextId = 0;
const idOf = (canvas) => {
  if (!ids.has(canvas)) ids.set(canvas, nextId++);
  return ids.get(canvas);
};
// A stage's first bitmap of a run, held back until the stage has let its SVG go (the next time
// it asks, when `paint` answers true): shown at once, it would lie over the same picture as SVG.
const first = new Map();
// The stages whose run the worker paints (see the worker's part), by id: the `sheet` handed to
// it, laid over the stage's own `canvas` (which shows while paused, the sheet hidden); the
// scale; the run, counted so
// that the worker's answer about an earlier run is not taken for this one's; and whether the
// sheet shows the picture yet (`shown`).
const live = new Map();
// The worker, made on first use; null once it has failed (the page's thread paints from then on).
let worker;
const painter = () => {
  if (worker !== undefined || !globalThis.Worker) return worker ?? null;
  try {
    worker = new Worker(import.meta.url, { type: 'module' });
  } catch {
    return (worker = null);
  }
  const fail = () => {
    worker = null;
    // The sheets went with the worker: each stage shows its own canvas again, and what was
    // asked for is painted here instead.
    live.forEach(({ sheet, canvas }) => {
      canvas.hidden = false;
      sheet.remove();
    });
    live.clear();
    wanted.forEach(send);
  };
  worker.onmessage = ({ data: { id, bitmap, need, unable, unreadable, shown } }) => {
    if (unable) return fail();
    if (unreadable) return forget(wanted.get(id));
    if (need) {
      worker?.postMessage({ inks: need.map(([tag, classes, groups]) => [keyOf(tag, classes, groups), inkOf(tag, classes, groups)]) });
      return;
    }
    if (shown !== undefined) {
      const stage = live.get(id);
      // The sheet shows the picture: the SVG under it goes now rather than with the stage's next
      // redraw, up to a round later, so that the two never lie one over the other for long, and
      // the picture never goes missing between them.
      if (stage?.run === shown && !stage.sheet.hidden) {
        stage.shown = true;
        stage.sheet.parentNode.querySelector('svg.pv > g')?.replaceChildren();
      }
      return;
    }
    const request = wanted.get(id);
    if (!request) {
      bitmap.close();
      return;
    }
    const { pictures, canvas } = request;
    if (!pictures.has(canvas)) {
      first.get(canvas)?.close();
      first.set(canvas, bitmap);
      return;
    }
    pictures.get(canvas).close?.();
    pictures.set(canvas, bitmap);
    request.again(canvas);
  };
  worker.onerror = worker.onmessageerror = fail;
  return worker;
};

// Has the worker paint `canvas`'s stage from now on (its requests, and its picture when it comes),
// on a sheet laid over the canvas; made and handed over the first time.
const handOver = (away, id, canvas, scale) => {
  let stage = live.get(id);
  if (!stage) {
    const sheet = canvas.cloneNode(false);
    sheet.hidden = true;
    canvas.after(sheet);
    const classes = [...canvas.parentNode.querySelectorAll('.pv-swatches path')].map((path) => path.getAttribute('class'));
    const offscreen = sheet.transferControlToOffscreen();
    // With the requests' inks, so that its first frame need not wait for them.
    away.postMessage({ inks: classes.map((names) => [keyOf('path', names, []), inkOf('path', names, [])]) });
    away.postMessage({ id, sheet: offscreen, classes }, [offscreen]);
    live.set(id, (stage = { sheet, canvas, run: 0, shown: false }));
  }
  stage.scale = scale;
  if (stage.sheet.hidden) {
    stage.sheet.hidden = false;
    canvas.hidden = true;
  }
};

// Lets a stage's picture go, for the stage to be written as SVG from its next redraw on; a stage
// the worker paints shows its own canvas again.
const forget = (request) => {
  if (!request) return;
  first.get(request.canvas)?.close();
  first.delete(request.canvas);
  request.pictures.get(request.canvas)?.close?.();
  request.pictures.delete(request.canvas);
  const id = ids.get(request.canvas);
  const stage = live.get(id);
  if (stage && !stage.sheet.hidden) {
    Object.assign(stage, { run: stage.run + 1, shown: false });
    stage.sheet.hidden = true;
    request.canvas.hidden = false;
    worker?.postMessage({ id, drop: true });
  }
};

// Has a request painted: by the worker (the markup goes as it is, read there), or here.
const send = (request) => {
  const away = painter();
  if (away) {
    away.postMessage({ id: request.id, markup: request.markup, height: request.height, scale: request.scale, run: live.get(request.id)?.run });
    return;
  }
  const ops = opsFor(request.markup, inkOf);
  if (!ops) return forget(request);
  const { pictures, canvas } = request;
  const target = pictures.get(canvas) instanceof HTMLCanvasElement ? pictures.get(canvas) : document.createElement('canvas');
  onto(target, ops, request.height, request.scale);
  pictures.set(canvas, target);
};

// For the request painter (stage.js): has `markup` painted as the picture under `canvas`'s
// requests, kept in `pictures` (then calls `again(canvas)` for the requests to be painted over
// it), or with no markup (the run paused) lets the picture go. Answers whether a picture is there
// to show: the worker's first comes a moment after it is asked for, and none comes for markup
// that does not parse; until one is there, the stage writes SVG.
export const paint = (pictures, scale, canvas, markup, height, again = () => {}) => {
  const id = idOf(canvas);
  if (!markup) {
    forget({ pictures, canvas });
    wanted.delete(id);
    return true;
  }
  const request = { id, pictures, scale, canvas, markup, height, again };
  wanted.set(id, request);
  const away = painter();
  if (away && canvas.transferControlToOffscreen) handOver(away, id, canvas, scale);
  send(request);
  if (live.has(id)) return live.get(id).shown;
  if (first.has(canvas)) {
    pictures.set(canvas, first.get(canvas));
    first.delete(canvas);
  }
  return pictures.has(canvas);
};

// For the request painter (stage.js): has the worker paint `canvas`'s requests (`paths`, one
// outcome's path data after another, joined by `|`) if it paints that stage now. Answers whether
// it does; if not, the page's thread paints them.
export const requests = (canvas, paths, height) => {
  const id = ids.get(canvas);
  const stage = live.get(id);
  if (!worker || !stage || stage.sheet.hidden) return false;
  worker.postMessage({ id, requests: paths, height, scale: stage.scale });
  return true;
};

// Repaints the pictures in the new theme's inks; the request painter shows them as they come.
const repaint = () => {
  inks = new Map();
  worker?.postMessage({ forget: true });
  wanted.forEach(send);
};
if (globalThis.document) {
  addEventListener('atlas-theme-change', repaint);
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', repaint);
}

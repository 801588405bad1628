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
let inks = new Map();
let swatches;
// The pictures painted, with what they show, for a change of theme, until their run pauses.
const shown = new Map();

// The computed style of an element of `tag` with `classes` inside groups with `groups`' classes.
const inkOf = (tag, classes, groups) => {
  const key = `${groups.join('>')}>${tag}.${classes}`;
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

// Draws `element` and what it holds; `groups` are the classes of the groups around it.
const draw = (context, element, groups) => {
  const { tag, attributes } = element;
  if (tag === 'g') {
    const inner = [...groups, attributes.class ?? ''];
    for (const child of element.children) draw(context, child, inner);
    return;
  }
  const ink = inkOf(tag, attributes.class ?? '', groups);
  context.globalAlpha = Number.isFinite(ink.alpha) ? ink.alpha : 1;
  if (tag === 'text') {
    context.font = ink.font.replace('SIZE', number(element, 'font-size') || 12);
    const anchor = attributes['text-anchor'];
    context.textAlign = anchor === 'middle' ? 'center' : anchor === 'end' ? 'right' : 'left';
    context.fillStyle = ink.fill ?? 'transparent';
    context.fillText(element.text, number(element, 'x'), number(element, 'y'));
    return;
  }
  let shape;
  if (tag === 'rect') {
    shape = new Path2D();
    shape.roundRect(number(element, 'x'), number(element, 'y'), number(element, 'width'), number(element, 'height'), number(element, 'rx'));
  } else if (tag === 'circle') {
    shape = new Path2D();
    shape.arc(number(element, 'cx'), number(element, 'cy'), number(element, 'r'), 0, 2 * Math.PI);
  } else if (tag === 'line') {
    shape = new Path2D();
    shape.moveTo(number(element, 'x1'), number(element, 'y1'));
    shape.lineTo(number(element, 'x2'), number(element, 'y2'));
  } else if (tag === 'path') {
    shape = new Path2D(attributes.d ?? '');
  } else {
    return;
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
};

// Paints `markup` (the picture's elements, as the stage's SVG group holds them), `height` units
// tall, at `scale` pixels a unit, on `target` (or on a new canvas, never shown itself: the
// request painter copies it under the requests). Returns the canvas, or null, having painted
// nothing, if the markup is not of the `Sketch`'s shape.
const picture = (markup, height, scale, target) => {
  const elements = parse(markup);
  if (!elements) return null;
  const canvas = target ?? document.createElement('canvas');
  const width = Math.round(320 * scale), tall = Math.round(height * scale);
  if (canvas.width !== width || canvas.height !== tall) [canvas.width, canvas.height] = [width, tall];
  const context = canvas.getContext('2d');
  context.setTransform(scale, 0, 0, scale, 0, 0);
  context.clearRect(0, 0, 320, height);
  for (const element of elements) draw(context, element, []);
  shown.set(canvas, [markup, height, scale]);
  return canvas;
};

// For the request painter (stage.js): paints `markup` as the picture under `canvas`'s requests,
// kept in `pictures`, or with no markup (the run paused) lets the picture go. Answers false if
// the markup did not parse: the stage then writes it as SVG.
export const paint = (pictures, scale, canvas, markup, height) => {
  const painted = markup && picture(markup, height, scale, pictures.get(canvas));
  if (painted) pictures.set(canvas, painted);
  else {
    shown.delete(pictures.get(canvas));
    pictures.delete(canvas);
  }
  return !markup || !!painted;
};

// Repaints the pictures in the new theme's inks; the request painter shows them from its next frame.
const repaint = () => {
  inks = new Map();
  shown.forEach(([markup, height, scale], canvas) => picture(markup, height, scale, canvas));
};
addEventListener('atlas-theme-change', repaint);
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', repaint);

// Paints a live stage's requests on the canvas laid over its picture (src/harness/scene.rs says
// why a canvas). Written here, inlined in the loader of every page whose bundle has a staged tool,
// because the same painter in Rust added about 2.7 KB to every staged bundle (gzipped, before
// wasm-opt's passes, 2026-12-06) and the three heaviest tools' pages have less room than that under their 170 KB.
// The inks are the stylesheet's: read from the stage's never-displayed swatches (one path per
// outcome, in the order of the paths' data), again whenever the theme changes.
{
  const shown = new Map();
  const inks = new WeakMap();
  // While a run plays, the rest of its picture, painted on a canvas of its own by stage-still.js
  // and copied under the requests: one canvas for the browser to take each frame, not two.
  const pictures = new Map();
  const pixelsPerUnit = () => 1.5 * Math.min(Math.max(devicePixelRatio, 1), 2);
  const paint = (canvas, paths, height) => {
    if (handed?.(canvas, paths, height)) return;
    const scale = pixelsPerUnit();
    const width = Math.round(320 * scale), tall = Math.round(height * scale);
    if (canvas.width !== width || canvas.height !== tall) [canvas.width, canvas.height] = [width, tall];
    let swatches = inks.get(canvas);
    if (!swatches) inks.set(canvas, swatches = [...canvas.parentNode.querySelectorAll('.pv-swatches path')].map((path) => getComputedStyle(path)).map(({ fill, stroke, strokeWidth, strokeLinecap }) => ({ fill, stroke, width: parseFloat(strokeWidth) || 1, cap: strokeLinecap })));
    const context = canvas.getContext('2d');
    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.clearRect(0, 0, 320, height);
    const picture = pictures.get(canvas);
    if (picture) context.drawImage(picture, 0, 0, 320, height);
    paths.split('|').forEach((data, index) => {
      const ink = swatches[index];
      if (!data || !ink) return;
      const path = new Path2D(data);
      if (ink.fill !== 'none') { context.fillStyle = ink.fill; context.fill(path); }
      if (ink.stroke !== 'none') { context.strokeStyle = ink.stroke; context.lineWidth = ink.width; context.lineCap = ink.cap; context.stroke(path); }
    });
  };
  globalThis.atlasPaintRequests = (canvas, paths, height) => { shown.set(canvas, [paths, height]); paint(canvas, paths, height); };
  // The picture's painter for a playing run (stage-still.js, which keeps `pictures`), fetched the
  // first time one plays; until it is here, and on this page for good if it fails to come (the
  // browser keeps a module that failed to load as failed), the stage writes its picture as SVG.
  // Answers whether it has a picture to show (or, with no markup, stopped painting). While a run
  // plays, stage-still.js may also paint its requests (`handed`), in its worker.
  let still, handed, loading;
  globalThis.atlasPaintStill = (canvas, markup, height) => still ? still(pictures, pixelsPerUnit(), canvas, markup, height, again) : !markup || (loading ??= import('STAGE_STILL_URL').then((module) => { ({ paint: still, requests: handed } = module); }, () => {}), false);
  // The requests again over a picture that has just come (stage-still.js paints it in a worker).
  const again = (canvas) => { const last = shown.get(canvas); if (last) paint(canvas, ...last); };
  const repaint = () => shown.forEach(([paths, height], canvas) => { inks.delete(canvas); paint(canvas, paths, height); });
  addEventListener('atlas-theme-change', repaint);
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', repaint);
}

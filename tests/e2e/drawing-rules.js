// What a visualizer's drawing must satisfy, measured in the page (each function is passed to
// page.evaluate, so it must not use anything from this module's scope).
//
// The rules, per <svg> inside a tool (`.viz`, which includes the embedded `.viz--embedded`),
// skipping svgs that are not rendered (zero size, e.g. inside a closed <details>) and texts that
// are empty or not rendered:
//  1. Inside the viewBox. A <text>'s getBBox, mapped into the svg's viewBox coordinates through
//     its own screen CTM and the inverse of the svg's, lies within the viewBox (0.5 units slack).
//     The viewBox is what every layout is computed against; anything past it is clipped or, at
//     best, drawn on the page's margin.
//  2. Inside its box. A <text> is written in a box when its parent <g> has a <rect> or <circle>
//     child that contains the text's anchor point (its x, y: where text-anchor pins it); the box
//     is the first such shape in paint order (the backdrop). The text's box must lie inside the
//     rect's box, or have all four corners inside the circle (0.5 units slack), and the box itself
//     must lie inside the viewBox (a label inside a clipped box is still cut off on screen). A
//     label drawn beside a shape (anchor outside it) is not in a box and only rule 1 applies.
//  3. Readable. Computed font-size × the vertical scale of the text's screen CTM (user units to
//     CSS px) is at least 11 CSS px (DESIGN.md: no text under 11 px as rendered).
//  4. First screen (360 px, the tool's own page). With the tool's top scrolled to the top of the
//     viewport, the bottom of its drawing and of its Play button is within one viewport height
//     of the tool's top. The drawing is the tool's stage (`.viz__scene`, the system drawn live)
//     when it has one, else the svg in the element a view marks `.viz__drawing` (or
//     that element, when it is not an svg: the stampede's drawing is a list of keys), else the
//     tool's first svg at least 100 px wide. A tool with neither (a calculator, the JWT
//     decoder) has nothing to check here.
// Rules 1 to 3 are checked once the tool has mounted (`.viz__loading` gone) and, for a tool with
// a Play button, again after it has played at 8× for 1.5 s, since labels change as a run goes on.

/**
 * Runs in the page: measures every text of every rendered svg under `toolSelector` and returns
 * the broken rules as sentences, plus how much was measured.
 */
export function inspectDrawings({ toolSelector, minimumPx }) {
  const SLACK = 0.5;
  const problems = [];
  let svgCount = 0;
  let textCount = 0;
  const round = (value) => Math.round(value * 10) / 10;
  const showBox = (box) => `x ${round(box.left)}…${round(box.right)}, y ${round(box.top)}…${round(box.bottom)}`;

  for (const tool of document.querySelectorAll(toolSelector)) {
    for (const svg of tool.querySelectorAll('svg')) {
      const shown = svg.getBoundingClientRect();
      if (shown.width === 0 || shown.height === 0 || svg.parentElement.closest('svg')) continue;
      svgCount += 1;
      const name = `svg.${svg.getAttribute('class') ?? '(no class)'}`;
      const viewBox = svg.viewBox.baseVal && svg.viewBox.baseVal.width > 0
        ? svg.viewBox.baseVal
        : { x: 0, y: 0, width: svg.width.baseVal.value, height: svg.height.baseVal.value };
      const toViewBox = svg.getScreenCTM().inverse();
      // An element's own user space → the svg's viewBox space.
      const matrixOf = (element) => toViewBox.multiply(element.getScreenCTM());
      const mapPoint = (matrix, x, y) => new DOMPoint(x, y).matrixTransform(matrix);
      const boxOf = (element) => {
        const box = element.getBBox();
        const matrix = matrixOf(element);
        const corners = [[box.x, box.y], [box.x + box.width, box.y], [box.x, box.y + box.height], [box.x + box.width, box.y + box.height]]
          .map(([x, y]) => mapPoint(matrix, x, y));
        return {
          left: Math.min(...corners.map((p) => p.x)), right: Math.max(...corners.map((p) => p.x)),
          top: Math.min(...corners.map((p) => p.y)), bottom: Math.max(...corners.map((p) => p.y)),
        };
      };
      const circleOf = (circle) => {
        const matrix = matrixOf(circle);
        const centre = mapPoint(matrix, circle.cx.baseVal.value, circle.cy.baseVal.value);
        return { x: centre.x, y: centre.y, r: circle.r.baseVal.value * Math.hypot(matrix.a, matrix.b) };
      };
      const shapeContains = (shape, point) => {
        if (shape.tagName === 'circle') {
          const circle = circleOf(shape);
          return Math.hypot(point.x - circle.x, point.y - circle.y) <= circle.r;
        }
        const box = boxOf(shape);
        return point.x >= box.left && point.x <= box.right && point.y >= box.top && point.y <= box.bottom;
      };

      for (const text of svg.querySelectorAll('text')) {
        const content = text.textContent.replace(/\s+/g, ' ').trim();
        if (!content || text.getClientRects().length === 0) continue;
        textCount += 1;
        const where = `${name} text "${content}"`;
        const box = boxOf(text);

        // 1. Inside the viewBox.
        const view = { left: viewBox.x, right: viewBox.x + viewBox.width, top: viewBox.y, bottom: viewBox.y + viewBox.height };
        const overflow = {
          left: view.left - box.left, right: box.right - view.right, top: view.top - box.top, bottom: box.bottom - view.bottom,
        };
        const sides = Object.entries(overflow).filter(([, by]) => by > SLACK).map(([side, by]) => `${round(by)} past the ${side}`);
        if (sides.length > 0) {
          problems.push(`${where} is clipped by the viewBox (0 0 ${round(viewBox.width)} ${round(viewBox.height)}): text box ${showBox(box)}, ${sides.join(', ')}`);
        }

        // 2. Inside its box.
        const parent = text.parentElement;
        if (parent && parent.tagName === 'g') {
          const anchor = mapPoint(matrixOf(text), text.x.baseVal.numberOfItems ? text.x.baseVal.getItem(0).value : 0, text.y.baseVal.numberOfItems ? text.y.baseVal.getItem(0).value : 0);
          const backdrop = [...parent.children].find((child) => (child.tagName === 'rect' || child.tagName === 'circle') && shapeContains(child, anchor));
          if (backdrop) {
            const shape = boxOf(backdrop);
            const cut = [['left', view.left - shape.left], ['right', shape.right - view.right], ['top', view.top - shape.top], ['bottom', shape.bottom - view.bottom]]
              .filter(([, by]) => by > SLACK);
            if (cut.length > 0) {
              problems.push(`${where} sits in a <${backdrop.tagName}> (${showBox(shape)}) that the viewBox clips: ${cut.map(([side, by]) => `${round(by)} past the ${side}`).join(', ')}`);
            }
          }
          if (backdrop && backdrop.tagName === 'rect') {
            const outer = boxOf(backdrop);
            const out = [
              ['left', outer.left - box.left], ['right', box.right - outer.right], ['top', outer.top - box.top], ['bottom', box.bottom - outer.bottom],
            ].filter(([, by]) => by > SLACK);
            if (out.length > 0) {
              problems.push(`${where} overflows its <rect> (${showBox(outer)}): text box ${showBox(box)}, ${out.map(([side, by]) => `${round(by)} past the ${side}`).join(', ')}`);
            }
          } else if (backdrop) {
            const circle = circleOf(backdrop);
            const farthest = Math.max(...[[box.left, box.top], [box.right, box.top], [box.left, box.bottom], [box.right, box.bottom]]
              .map(([x, y]) => Math.hypot(x - circle.x, y - circle.y)));
            if (farthest > circle.r + SLACK) {
              problems.push(`${where} overflows its <circle> (r ${round(circle.r)}): a corner of its text box (${round(box.right - box.left)} × ${round(box.bottom - box.top)}) is ${round(farthest)} from the centre`);
            }
          }
        }

        // 3. Readable.
        const fontPx = parseFloat(getComputedStyle(text).fontSize);
        const screen = text.getScreenCTM();
        const scale = Math.hypot(screen.c, screen.d);
        const rendered = fontPx * scale;
        if (rendered < minimumPx - 0.05) {
          problems.push(`${where} renders at ${round(rendered)} px (font-size ${round(fontPx)} × scale ${Math.round(scale * 1000) / 1000}); it needs ${minimumPx} px`);
        }
      }
    }
  }
  return { problems, svgCount, textCount };
}

/** Runs in the page: where the tool's drawing and Play button end, against its first screen. */
export function inspectFirstScreen() {
  const tool = document.querySelector('.viz:not(.viz--embedded)');
  const top = tool.getBoundingClientRect().top + window.scrollY;
  const limit = top + window.innerHeight;
  // A tool's stage (the system drawn live) is its main drawing; else what its view marks.
  const marked = tool.querySelector('.viz__scene') ?? tool.querySelector('.viz__drawing');
  const drawing = marked ? (marked.querySelector('svg') ?? marked) : [...tool.querySelectorAll('svg')].find((svg) => svg.getBoundingClientRect().width >= 100);
  const play = tool.querySelector('.harness__play');
  const problems = [];
  const parts = [];
  for (const [what, element] of [['drawing', drawing], ['Play button', play]]) {
    if (!element) continue;
    const bottom = element.getBoundingClientRect().bottom + window.scrollY;
    parts.push(what);
    if (bottom > limit + 1) {
      problems.push(`the ${what} ends ${Math.round(bottom - top)} px below the tool's top; the first screen is ${window.innerHeight} px (${Math.round(bottom - limit)} px too low)`);
    }
  }
  return { problems, parts, pageHeight: document.body.scrollHeight };
}


// A drawing laid out for its container (svg.fitted, src/harness/fit.rs) must be laid out for the
// container's width from the first moment a script can see it: a drawing still at the guessed
// width shrinks its labels below 11 px. Installed before the page loads, it looks after every
// task (a zero-delay timer, clamped to about 4 ms) and keeps each mismatch it sees in
// `window.__fitMismatches`. Only for wide viewports: a container narrower than the drawing's
// minimum is allowed to scale it down, and on a desktop every container is wider than that.
export function watchFittedLayout() {
  const found = [];
  const seen = new Set();
  window.__fitMismatches = found;
  const look = () => {
    for (const svg of document.querySelectorAll('svg.fitted')) {
      const laidOut = svg.viewBox.baseVal?.width ?? 0;
      const room = svg.parentElement?.clientWidth ?? 0;
      if (room > 0 && laidOut > room + 1) {
        const message = `svg.${svg.getAttribute('class').replace(/ /g, '.')} laid out ${laidOut} wide in a ${room} px container`;
        if (!seen.has(message)) {
          seen.add(message);
          found.push(message);
        }
      }
    }
    setTimeout(look, 0);
  };
  look();
}

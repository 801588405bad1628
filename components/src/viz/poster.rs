//! Posters: each tool's first frame, drawn at build time into the prerendered page, so a reader
//! sees the system the tool simulates before the WebAssembly has loaded (and a reader without
//! JavaScript sees it at all). A poster is drawn from the tool's own model at its preset (or its
//! defaults), never from a hand-made picture, so it cannot disagree with the tool.
//!
//! Only the site generator calls [`poster`]; nothing in the app refers to it, so the drawings
//! are not linked into any bundle.
//!
//! A poster is a small SVG on a fixed 320-unit-wide canvas. The page shows it at most 1.5 times
//! that size and, on a 360 px phone, at about 0.9 times, so the 12-unit minimum for text keeps
//! every label at 11 px or more as rendered. [`Sketch`] refuses what the browser suite would
//! catch later: text smaller than that, outside the canvas, or wider than its box.

use crate::diagram::svg::escape;
use crate::diagram::text::text_width;
use crate::sim::query::{parse_query, seed_in, DEFAULT_SEED};
use crate::sim::{ParamSpec, Params, Simulation};
use std::fmt::Write;

/// The canvas width every poster is drawn on.
pub const WIDTH: f32 = 320.0;
/// The smallest font size a poster may use (see the module documentation).
pub const MIN_FONT: f32 = 12.0;

/// The poster of the tool `slug` at the preset `query` (`nodes=5&seed=7`; empty for defaults),
/// or `None` for a slug without one. Unknown or invalid preset values fall back to defaults, as
/// the tool itself does; the content compiler has already refused them in a page.
pub fn poster(slug: &str, query: &str) -> Option<Poster> {
    let pairs = parse_query(query);
    let tool = crate::registry::find(slug)?;
    Some((tool.poster)(&pairs).finish())
}

/// A simulation at its start as a link or preset describes it, read the way the app reads it:
/// invalid values fall back to defaults (the content compiler has refused them in a page).
pub fn start<S: Simulation>(schema: &'static [ParamSpec], pairs: &[(String, String)]) -> S {
    let (params, _) = Params::from_pairs(schema, pairs);
    S::new(&params, seed_in(pairs).unwrap_or(DEFAULT_SEED))
}

/// The first of `options` (longest first) that fits `room` units at `size`, else the last.
pub fn first_that_fits(options: &[String], size: f32, room: f32) -> String {
    options.iter().find(|option| text_width(option, size) <= room).or(options.last()).cloned().unwrap_or_default()
}

/// Pairs from literals, for tests.
#[cfg(test)]
pub(crate) fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect()
}

/// A poster's spoken label, for tests.
#[cfg(test)]
pub(crate) fn aria_label(svg: &str) -> &str {
    svg.split("aria-label=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("")
}

/// A finished poster: its SVG, and what [`Sketch`] found wrong with it (empty when it is fine).
#[derive(Debug, Clone)]
pub struct Poster {
    pub svg: String,
    pub problems: Vec<String>,
}

/// Where a text's `x` lies: its start, middle or end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A colour of the site's series palette (`--series-1` to `--series-5`), or none (the page's
/// muted ink). Colour is never the only difference: pair it with a label or a shape.
pub type Tone = Option<u8>;

/// Writes a poster's SVG and checks its text as it goes.
#[derive(Debug)]
pub struct Sketch {
    height: f32,
    label: String,
    body: String,
    problems: Vec<String>,
}

impl Sketch {
    /// A canvas [`WIDTH`] wide and `height` tall; `label` is what a screen reader announces (a
    /// sentence saying what the picture shows).
    pub fn new(height: f32, label: &str) -> Self {
        Self { height, label: label.to_string(), body: String::with_capacity(2048), problems: Vec::new() }
    }

    pub fn height(&self) -> f32 {
        self.height
    }

    fn tone_class(base: &str, tone: Tone) -> String {
        match tone {
            Some(n) => format!("{base} {base}--{n}"),
            None => base.to_string(),
        }
    }

    /// A box (a service, a client, a cache…), outlined in `tone`.
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, radius: f32, tone: Tone) {
        self.within("a box", x, y, x + width, y + height);
        let _ = write!(self.body, r#"<rect class="{}" x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" rx="{radius:.1}"/>"#, Self::tone_class("pv-box", tone));
    }

    /// A filled disc (a node, a request, a key).
    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, tone: Tone) {
        self.within("a circle", cx - r, cy - r, cx + r, cy + r);
        let _ = write!(self.body, r#"<circle class="{}" cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}"/>"#, Self::tone_class("pv-dot", tone));
    }

    /// An outlined circle (a ring, a boundary).
    pub fn ring(&mut self, cx: f32, cy: f32, r: f32) {
        self.within("a ring", cx - r, cy - r, cx + r, cy + r);
        let _ = write!(self.body, r#"<circle class="pv-ring" cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}"/>"#);
    }

    /// A link between two points; `dashed` for a broken or optional one.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, dashed: bool) {
        self.within("a line", x1.min(x2), y1.min(y2), x1.max(x2), y1.max(y2));
        let class = if dashed { "pv-line pv-line--dashed" } else { "pv-line" };
        let _ = write!(self.body, r#"<line class="{class}" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}"/>"#);
    }

    /// A link with an arrowhead at (`x2`, `y2`).
    pub fn arrow(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.line(x1, y1, x2, y2, false);
        let (dx, dy) = (x2 - x1, y2 - y1);
        let length = (dx * dx + dy * dy).sqrt().max(f32::EPSILON);
        let (ux, uy) = (dx / length, dy / length);
        let (bx, by) = (x2 - ux * 7.0, y2 - uy * 7.0);
        let _ = write!(
            self.body,
            r#"<path class="pv-head" d="M{x2:.1} {y2:.1}L{:.1} {:.1}L{:.1} {:.1}Z"/>"#,
            bx - uy * 3.5,
            by + ux * 3.5,
            bx + uy * 3.5,
            by - ux * 3.5
        );
    }

    /// A free path in `tone` (a tick mark, an arc); the caller keeps it on the canvas.
    pub fn path(&mut self, d: &str, tone: Tone) {
        let _ = write!(self.body, r#"<path class="{}" d="{d}"/>"#, Self::tone_class("pv-path", tone));
    }

    /// One line of text whose baseline starts at (`x`, `y`). `strong` sets it bold in the page's
    /// ink; otherwise it is muted. Text never wraps: keep it short.
    pub fn text(&mut self, x: f32, y: f32, size: f32, anchor: Anchor, strong: bool, text: &str) {
        if size < MIN_FONT {
            self.problems.push(format!("\"{text}\" is set at {size} units, under the {MIN_FONT} minimum"));
        }
        let width = text_width(text, size);
        let left = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - width / 2.0,
            Anchor::End => x - width,
        };
        self.within(&format!("\"{text}\""), left, y - size, left + width, y + size * 0.25);
        let anchor = match anchor {
            Anchor::Start => "",
            Anchor::Middle => r#" text-anchor="middle""#,
            Anchor::End => r#" text-anchor="end""#,
        };
        let class = if strong { "pv-text pv-text--strong" } else { "pv-text" };
        let _ = write!(self.body, r#"<text class="{class}" x="{x:.1}" y="{y:.1}" font-size="{size}"{anchor}>{}</text>"#, escape(text));
    }

    /// A labelled box: the text centred inside it, which must fit with 4 units to spare a side.
    /// Grouped, so the browser suite's drawing rules check the label against its box too.
    pub fn labelled_box(&mut self, x: f32, y: f32, width: f32, height: f32, tone: Tone, size: f32, label: &str) {
        self.body.push_str("<g>");
        self.rect(x, y, width, height, 6.0, tone);
        if text_width(label, size) > width - 8.0 {
            self.problems.push(format!("\"{label}\" is wider than its {width}-unit box"));
        }
        self.text(x + width / 2.0, y + height / 2.0 + size * 0.35, size, Anchor::Middle, true, label);
        self.body.push_str("</g>");
    }

    fn within(&mut self, what: &str, left: f32, top: f32, right: f32, bottom: f32) {
        if left < 0.0 || top < 0.0 || right > WIDTH || bottom > self.height {
            self.problems.push(format!("{what} reaches outside the {WIDTH}×{} canvas ({left:.0},{top:.0})–({right:.0},{bottom:.0})", self.height));
        }
    }

    pub fn finish(self) -> Poster {
        let svg = format!(
            r#"<svg class="pv" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" role="img" aria-label="{label}">{body}</svg>"#,
            h = self.height,
            label = escape(&self.label),
            body = self.body
        );
        Poster { svg, problems: self.problems }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::TOOLS;

    #[test]
    fn every_tool_has_a_poster_that_fits_its_canvas() {
        for tool in TOOLS {
            let poster = poster(tool.slug, "").unwrap_or_else(|| panic!("{} has no poster", tool.slug));
            assert!(poster.problems.is_empty(), "{}: {:?}", tool.slug, poster.problems);
            assert!(poster.svg.starts_with("<svg") && poster.svg.contains(r#"role="img""#) && poster.svg.contains("<text"), "{}: {}", tool.slug, poster.svg);
            // Posters travel in every page that shows the tool: keep them small.
            assert!(poster.svg.len() < 8_000, "{}: {} bytes", tool.slug, poster.svg.len());
        }
    }

    #[test]
    fn the_sketch_reports_small_clipped_and_overflowing_text() {
        let mut sketch = Sketch::new(100.0, "test");
        sketch.text(10.0, 50.0, 10.0, Anchor::Start, false, "tiny");
        sketch.text(315.0, 50.0, 12.0, Anchor::Start, false, "off the edge");
        sketch.labelled_box(100.0, 10.0, 30.0, 20.0, Some(1), 12.0, "Authorization server");
        sketch.circle(5.0, 95.0, 10.0, None);
        let problems = sketch.finish().problems;
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("under the 12 minimum"), "{problems:?}");
        assert!(problems[1].contains("outside"), "{problems:?}");
        assert!(problems[2].contains("wider than its 30-unit box"), "{problems:?}");
        assert!(problems[3].contains("a circle reaches outside"), "{problems:?}");
    }

    #[test]
    fn text_is_escaped_and_the_label_is_announced() {
        let mut sketch = Sketch::new(40.0, "A <b> & \"c\"");
        sketch.text(10.0, 20.0, 12.0, Anchor::Start, true, "<script>");
        let svg = sketch.finish().svg;
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
        assert!(svg.contains(r#"aria-label="A &lt;b&gt; &amp; &quot;c&quot;""#));
    }
}

//! Posters: each tool's first frame, drawn at build time into the prerendered page, so a reader
//! sees the system the tool simulates before the WebAssembly has loaded (and a reader without
//! JavaScript sees it at all). A poster is drawn from the tool's own model at its preset (or its
//! defaults), never from a hand-made picture, so it cannot disagree with the tool.
//!
//! Only the site generator calls [`poster`]. A tool whose picture is live draws the same way in
//! the app: a simulation's stage (`viz/<model>/stage.rs`, the system at the current tick, whose
//! poster is the stage at the start) or a calculator's diagram (the availability tool's block
//! diagram), so what the page shows before and after the WebAssembly loads is one drawing.
//!
//! A poster is a small SVG on a fixed 320-unit-wide canvas. The page shows it at most 1.5 times
//! that size and, on a 360 px phone, at about 0.9 times, so the 12-unit minimum for text keeps
//! every label at 11 px or more as rendered. [`Sketch`] refuses what the browser suite would
//! catch later: text smaller than that, outside the canvas, or wider than its box.

use crate::chart::Tenths;
use crate::diagram::svg::escape;
use crate::diagram::text::text_width;
use crate::sim::query::{parse_query, seed_in, DEFAULT_SEED};
use crate::sim::{ParamSpec, Params, Simulation};
use std::cell::Cell;
use std::fmt::{self, Write};

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

/// Presets at a schema's extremes, for the stages' tests: every parameter at its lowest, every
/// one at its highest, then each alone at either end (a choice's first and last option, a
/// switch off and on).
#[cfg(test)]
pub(crate) fn extreme_presets(schema: &'static [ParamSpec]) -> Vec<Vec<(&'static str, String)>> {
    use crate::sim::{ParamKind, Value};
    let end = |spec: &ParamSpec, high: bool| match spec.kind {
        ParamKind::Int { min, max } => Value::Int(if high { max } else { min }).to_text(),
        ParamKind::Float { min, max } => Value::Float(if high { max } else { min }).to_text(),
        ParamKind::Choice(options) => options[usize::from(high) * (options.len() - 1)].0.to_string(),
        ParamKind::Bool => Value::Bool(high).to_text(),
    };
    let corners = [false, true].map(|high| schema.iter().map(|spec| (spec.key, end(spec, high))).collect());
    let singles = schema.iter().flat_map(|spec| [false, true].map(|high| vec![(spec.key, end(spec, high))]));
    corners.into_iter().chain(singles).collect()
}

/// Every request a drawing shows, as its outcome and centre, read back from the SVG's paths
/// (one per outcome, a subpath per request), for tests.
#[cfg(test)]
pub(crate) fn drawn_requests(svg: &str) -> Vec<(Outcome, f32, f32)> {
    const R: f32 = 3.5;
    let mut found = Vec::new();
    for outcome in Outcome::ALL {
        let opening = format!(r#"<path class="{}" d=""#, outcome.class());
        let Some(data) = svg.split(opening.as_str()).nth(1).and_then(|rest| rest.split('"').next()) else { continue };
        for start in data.split('M').skip(1) {
            let mut numbers = start.split(|ch: char| !(ch.is_ascii_digit() || ch == '.' || ch == '-')).filter(|part| !part.is_empty()).map(|part| part.parse::<f32>().unwrap_or(f32::NAN));
            let (x, y) = (numbers.next().unwrap_or(f32::NAN), numbers.next().unwrap_or(f32::NAN));
            // Where each shape starts: see `Sketch::request`.
            let centre = match outcome {
                Outcome::Ok | Outcome::TimedOut => (x + R, y),
                Outcome::Retried => (x, y + R),
                _ => (x + R, y + R),
            };
            found.push((outcome, centre.0, centre.1));
        }
    }
    found
}

/// Checks that a stage is a pure function of its run's state, for the stages' tests: at tick
/// `from` the same state draws the same bytes (twice, and from a clone); over the next 20 ticks
/// the requests move on every tick; and scrubbing away and back, or rebuilding the run the way a
/// shared link does, draws the first picture again. Leaves `timeline` at `from` and returns the
/// picture drawn there.
#[cfg(test)]
pub(crate) fn check_stage_is_pure<S: crate::sim::Simulation>(timeline: &mut crate::sim::Timeline<S>, from: u64, draw: impl Fn(&S) -> String) -> String {
    timeline.seek(from);
    let first = draw(timeline.state());
    assert_eq!(first, draw(timeline.state()), "drawing twice gives the same picture");
    assert_eq!(first, draw(&timeline.state().clone()));
    let mut previous = first.clone();
    for _ in 0..20 {
        timeline.step_forward();
        let next = draw(timeline.state());
        assert_ne!(drawn_requests(&next), drawn_requests(&previous), "the dots move every tick at {}", timeline.tick());
        previous = next;
    }
    timeline.step_back();
    timeline.seek(from + 700);
    timeline.seek(from);
    assert_eq!(draw(timeline.state()), first, "scrubbing back draws the same picture");
    let shared = crate::sim::Timeline::<S>::replay(timeline.params().clone(), timeline.seed(), timeline.limit(), timeline.actions().to_vec(), from);
    assert_eq!(draw(shared.state()), first, "a shared link draws the same picture");
    first
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

/// A stage's drawing split for the browser: the requests, which move every frame, and the
/// rest (parts, meters, words), which a reader cannot follow at sixty changes a second.
#[derive(Debug, Clone, PartialEq)]
pub struct Layers {
    /// The requests' path data, one per outcome in `Outcome::ALL` order (empty when none).
    pub moving: [String; 6],
    pub rest: String,
    pub label: String,
    pub height: f32,
}

impl Layers {
    /// The whole drawing for a live stage: the rest as an `<svg>` (in a group, so the stage can
    /// replace its children), then a `<canvas>` of the same size laid over it on which the
    /// browser paints the requests (`.pv-overlay`, hidden from screen readers: the picture's label
    /// says what they show), then six unpainted paths, one per outcome, which only carry the
    /// inks the stylesheet gives each outcome (`.pv-swatches`, never displayed), so the canvas
    /// is painted in the same colours as a poster and follows the theme.
    ///
    /// A canvas rather than a second `<svg>` because a frame that changes a path's data makes the
    /// browser restyle, lay out, hit-test and repaint it: on the retries stage at 8× that was
    /// about 2 ms of every frame's 5 (traced in Chromium, 2026-12-06), where painting a canvas
    /// touches neither style nor layout.
    pub fn markup(&self) -> String {
        let mut swatches = String::new();
        for outcome in Outcome::ALL {
            let _ = write!(swatches, r#"<path class="{}"/>"#, outcome.class());
        }
        let rest = svg(self.height, &self.label, &format!("<g>{}</g>", self.rest));
        let height = self.height;
        format!(
            r#"{rest}<canvas class="pv-overlay" width="{WIDTH}" height="{height}" aria-hidden="true"></canvas><svg class="pv-swatches" aria-hidden="true" focusable="false">{swatches}</svg>"#
        )
    }
}

/// The `<svg>` every poster and stage is: the canvas, `height` tall, announced as `label`.
fn svg(height: f32, label: &str, body: &str) -> String {
    format!(r#"<svg class="pv" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{}">{body}</svg>"#, escape(label))
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

/// What became of a request drawn on a stage. Each has its own shape, not only its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// On its way, not answered yet: a small arrowhead in the page's ink.
    InFlight,
    /// Answered: a green dot.
    Ok,
    /// Failed and will be tried again: an amber diamond.
    Retried,
    /// Refused or failed for good: a red cross.
    Rejected,
    /// Given up on after waiting too long: a hollow ring.
    TimedOut,
    /// Answered from an old copy: a square.
    Stale,
}

impl Outcome {
    /// Every outcome, in the order of their discriminants.
    pub const ALL: [Outcome; 6] = [Self::InFlight, Self::Ok, Self::Retried, Self::Rejected, Self::TimedOut, Self::Stale];

    pub(crate) fn class(self) -> &'static str {
        match self {
            Self::InFlight => "pv-req",
            Self::Ok => "pv-req pv-req--ok",
            Self::Retried => "pv-req pv-req--retried",
            Self::Rejected => "pv-req pv-req--rejected",
            Self::TimedOut => "pv-req pv-req--timeout",
            Self::Stale => "pv-req pv-req--stale",
        }
    }

    /// The outcome in a word, for a legend.
    pub fn word(self) -> &'static str {
        match self {
            Self::InFlight => "sent",
            Self::Ok => "answered",
            Self::Retried => "will retry",
            Self::Rejected => "failed",
            Self::TimedOut => "timed out",
            Self::Stale => "stale",
        }
    }
}

/// How a component of the system is doing, drawn as a change of shape (see [`Sketch::component`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Up,
    Degraded,
    Down,
}

/// The point `progress` (0 to 1, clamped) of the way from `from` to `to`: where a request
/// travelling along a link is drawn.
pub fn along(from: (f32, f32), to: (f32, f32), progress: f32) -> (f32, f32) {
    let t = if progress.is_finite() { progress.clamp(0.0, 1.0) } else { 0.0 };
    (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t)
}

/// The round numbers 1, 2, 5, 10, 20, 50, 100… (while they fit in a `u64`): how many requests
/// one dot may stand for when a stage has too many to draw each one. Round, so "1 dot = 20"
/// reads at a glance; each stage takes the first its picture fits at.
pub fn round_units() -> impl Iterator<Item = u64> {
    // Up to 5 × 10^18: the next, 10^19, would overflow.
    (0..57u32).map(|step| [1, 2, 5][(step % 3) as usize] * 10u64.pow(step / 3))
}

/// A class and its tone's modifier (`pv-box pv-box--2`), written only when the drawing is.
struct ToneClass(&'static str, Tone);

impl fmt::Display for ToneClass {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(n) => write!(out, "{0} {0}--{n}", self.0),
            None => out.write_str(self.0),
        }
    }
}

thread_local! {
    /// Set while [`requests_only`] runs: sketches begun then write only their requests.
    static REQUESTS_ONLY: Cell<bool> = const { Cell::new(false) };
}

/// Runs `draw`; if `only`, every [`Sketch`] it begins writes only the requests' shapes: the
/// parts, meters and words are laid out as usual (every size and position a drawing reads back
/// is the same) but not written out. A live stage shows its parts and words only with the
/// charts (every few frames) and its requests every frame; in the frames between, formatting
/// the rest is wasted (measured natively on the retries stage, 2026-12-06: 164 µs a drawing
/// whole, 96 µs with the requests only). The requests come out exactly as a full drawing has
/// them. One function for both cases, so that a caller needs only one call of `draw`.
pub fn requests_only<T>(only: bool, draw: impl FnOnce() -> T) -> T {
    /// Clears the flag however `draw` ends.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            REQUESTS_ONLY.with(|flag| flag.set(false));
        }
    }
    REQUESTS_ONLY.with(|flag| flag.set(only));
    let _reset = Reset;
    draw()
}

/// Writes a poster's SVG and checks its text as it goes.
#[derive(Debug)]
pub struct Sketch {
    height: f32,
    label: String,
    body: String,
    problems: Vec<String>,
    /// The requests' shapes, one path's data per outcome (in `Outcome::ALL` order): a stage
    /// redraws them every frame, and a hundred elements cost the browser far more style,
    /// layout and paint than six paths (measured 2026-12 on the retries stage).
    glyphs: [String; 6],
    /// Begun inside [`requests_only`]: nothing but the requests is written.
    requests_only: bool,
}

impl Sketch {
    /// A canvas [`WIDTH`] wide and `height` tall; `label` is what a screen reader announces (a
    /// sentence saying what the picture shows).
    pub fn new(height: f32, label: &str) -> Self {
        let requests_only = REQUESTS_ONLY.with(Cell::get);
        let body = if requests_only { String::new() } else { String::with_capacity(2048) };
        Self { height, label: label.to_string(), body, problems: Vec::new(), glyphs: Default::default(), requests_only }
    }

    /// Writes to the drawing's body, unless only the requests are being drawn: the arguments
    /// are formatted only here, so skipped parts cost no formatting.
    fn put(&mut self, args: fmt::Arguments) {
        if !self.requests_only {
            let _ = self.body.write_fmt(args);
        }
    }

    fn put_str(&mut self, text: &str) {
        if !self.requests_only {
            self.body.push_str(text);
        }
    }

    pub fn height(&self) -> f32 {
        self.height
    }

    fn tone_class(base: &'static str, tone: Tone) -> ToneClass {
        ToneClass(base, tone)
    }

    /// A box (a service, a client, a cache…), outlined in `tone`.
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, radius: f32, tone: Tone) {
        self.within("a box", x, y, x + width, y + height);
        self.put(format_args!(r#"<rect class="{}" x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" rx="{radius:.1}"/>"#, Self::tone_class("pv-box", tone)));
    }

    /// A filled disc (a node, a request, a key).
    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, tone: Tone) {
        self.within("a circle", cx - r, cy - r, cx + r, cy + r);
        self.put(format_args!(r#"<circle class="{}" cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}"/>"#, Self::tone_class("pv-dot", tone)));
    }

    /// An outlined circle (a ring, a boundary).
    pub fn ring(&mut self, cx: f32, cy: f32, r: f32) {
        self.within("a ring", cx - r, cy - r, cx + r, cy + r);
        self.put(format_args!(r#"<circle class="pv-ring" cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}"/>"#));
    }

    /// A link between two points; `dashed` for a broken or optional one.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, dashed: bool) {
        self.within("a line", x1.min(x2), y1.min(y2), x1.max(x2), y1.max(y2));
        let class = if dashed { "pv-line pv-line--dashed" } else { "pv-line" };
        self.put(format_args!(r#"<line class="{class}" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}"/>"#));
    }

    /// A link with an arrowhead at (`x2`, `y2`).
    pub fn arrow(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.line(x1, y1, x2, y2, false);
        let (dx, dy) = (x2 - x1, y2 - y1);
        let length = (dx * dx + dy * dy).sqrt().max(f32::EPSILON);
        let (ux, uy) = (dx / length, dy / length);
        let (bx, by) = (x2 - ux * 7.0, y2 - uy * 7.0);
        self.put(format_args!(
            r#"<path class="pv-head" d="M{x2:.1} {y2:.1}L{:.1} {:.1}L{:.1} {:.1}Z"/>"#,
            bx - uy * 3.5,
            by + ux * 3.5,
            bx + uy * 3.5,
            by - ux * 3.5
        ));
    }

    /// A free path in `tone` (a tick mark, an arc); the caller keeps it on the canvas.
    pub fn path(&mut self, d: &str, tone: Tone) {
        self.put(format_args!(r#"<path class="{}" d="{d}"/>"#, Self::tone_class("pv-path", tone)));
    }

    /// A free filled shape in `tone` (many small cells as one path); the caller keeps it on
    /// the canvas.
    pub fn fill(&mut self, d: &str, tone: Tone) {
        self.put(format_args!(r#"<path class="{}" d="{d}"/>"#, Self::tone_class("pv-fill", tone)));
    }

    /// One line of text whose baseline starts at (`x`, `y`). `strong` sets it bold in the page's
    /// ink; otherwise it is muted. Text never wraps: keep it short.
    pub fn text(&mut self, x: f32, y: f32, size: f32, anchor: Anchor, strong: bool, text: &str) {
        if self.requests_only {
            return;
        }
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
        self.put(format_args!(r#"<text class="{class}" x="{x:.1}" y="{y:.1}" font-size="{size}"{anchor}>{}</text>"#, escape(text)));
    }

    /// A labelled box: the text centred inside it, which must fit with 4 units to spare a side.
    /// Grouped, so the browser suite's drawing rules check the label against its box too.
    pub fn labelled_box(&mut self, x: f32, y: f32, width: f32, height: f32, tone: Tone, size: f32, label: &str) {
        self.put_str("<g>");
        self.rect(x, y, width, height, 6.0, tone);
        if text_width(label, size) > width - 8.0 {
            self.problems.push(format!("\"{label}\" is wider than its {width}-unit box"));
        }
        self.text(x + width / 2.0, y + height / 2.0 + size * 0.35, size, Anchor::Middle, true, label);
        self.put_str("</g>");
    }

    /// A request on a stage, drawn by its outcome: each outcome has a shape of its own as well
    /// as a colour, so the picture reads without colour (see [`Outcome`]).
    pub fn request(&mut self, x: f32, y: f32, outcome: Outcome) {
        const R: f32 = 3.5;
        self.within("a request", x - R, y - R, x + R, y + R);
        // Written every frame for every request: the coordinates through `Tenths`, and the
        // shapes' fixed sizes (R = 3.5, 2R = 7) as literal text, not through the float formatter.
        let (x, y, left, top) = (Tenths(f64::from(x)), Tenths(f64::from(y)), Tenths(f64::from(x - R)), Tenths(f64::from(y - R)));
        let data = &mut self.glyphs[outcome as usize];
        let _ = match outcome {
            Outcome::InFlight => write!(data, "M{left} {top}l7 3.5l-7 3.5Z"),
            Outcome::Ok | Outcome::TimedOut => write!(data, "M{left} {y}a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0-7 0Z"),
            Outcome::Retried => write!(data, "M{x} {top}l3.5 3.5l-3.5 3.5l-3.5-3.5Z"),
            Outcome::Rejected => write!(data, "M{left} {top}l7 7m0-7l-7 7"),
            Outcome::Stale => write!(data, "M{left} {top}h7v7h-7Z"),
        };
    }

    /// A gauge: an outlined bar filled `share` of the way (0 to 1, clamped), from the left when
    /// it is wider than tall, else from the bottom (a queue, a bucket, a pool, a budget).
    pub fn meter(&mut self, x: f32, y: f32, width: f32, height: f32, share: f32, tone: Tone) {
        self.within("a meter", x, y, x + width, y + height);
        let share = if share.is_finite() { share.clamp(0.0, 1.0) } else { 0.0 };
        let fill = Self::tone_class("pv-fill", tone);
        self.put(format_args!(r#"<rect class="pv-meter" x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" rx="2"/>"#));
        if width >= height {
            self.put(format_args!(r#"<rect class="{fill}" x="{x:.1}" y="{y:.1}" width="{:.1}" height="{height:.1}" rx="2"/>"#, width * share));
        } else {
            self.put(format_args!(r#"<rect class="{fill}" x="{x:.1}" y="{:.1}" width="{width:.1}" height="{:.1}" rx="2"/>"#, y + height * (1.0 - share), height * share));
        }
    }

    /// A small bar chart as one shape: a bar per share (0 to 1, clamped) side by side from `x`,
    /// each `bar_width` wide and up to `height` tall, standing on a baseline at `bottom`. One
    /// path rather than a box per bar, since a stage redraws it every frame.
    pub fn bars(&mut self, x: f32, bottom: f32, bar_width: f32, height: f32, shares: &[f32], tone: Tone) {
        if self.requests_only {
            return;
        }
        let right = x + bar_width * shares.len() as f32;
        self.within("a bar chart", x, bottom - height, right, bottom);
        let mut d = String::with_capacity(24 * shares.len());
        for (index, share) in shares.iter().enumerate() {
            let tall = if share.is_finite() { share.clamp(0.0, 1.0) * height } else { 0.0 };
            if tall > 0.0 {
                let _ = write!(d, "M{:.1} {bottom:.1}v-{tall:.1}h{:.1}v{tall:.1}Z", x + index as f32 * bar_width + 1.0, bar_width - 2.0);
            }
        }
        let fill = Self::tone_class("pv-fill", tone);
        self.put(format_args!(r#"<path class="pv-line" d="M{x:.1} {bottom:.1}H{right:.1}"/><path class="{fill}" d="{d}"/>"#));
    }

    /// A clock face that fills clockwise from twelve o'clock as `share` goes from 0 to 1 (a
    /// backoff timer, a TTL running out, a window's progress).
    pub fn clock(&mut self, cx: f32, cy: f32, r: f32, share: f32, tone: Tone) {
        self.within("a clock", cx - r, cy - r, cx + r, cy + r);
        let share = if share.is_finite() { share.clamp(0.0, 1.0) } else { 0.0 };
        self.put(format_args!(r#"<circle class="pv-meter" cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}"/>"#));
        let fill = Self::tone_class("pv-fill", tone);
        if share >= 0.999 {
            self.put(format_args!(r#"<circle class="{fill}" cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}"/>"#));
        } else if share > 0.0 {
            let angle = share * std::f32::consts::TAU;
            let (ex, ey) = (cx + r * angle.sin(), cy - r * angle.cos());
            let large = u8::from(share > 0.5);
            self.put(format_args!(r#"<path class="{fill}" d="M{cx:.1} {cy:.1}V{:.1}A{r:.1} {r:.1} 0 {large} 1 {ex:.1} {ey:.1}Z"/>"#, cy - r));
        }
    }

    /// A component of the system (a server, a cache, a database) as a labelled box whose fill
    /// deepens with `load` (0 to 1) and whose outline changes shape with its health: dashed when
    /// degraded, dashed and crossed out when down, so a failure never shows by colour alone.
    pub fn component(&mut self, x: f32, y: f32, width: f32, height: f32, health: Health, load: f32, size: f32, label: &str) {
        let level = if load.is_finite() { (load.clamp(0.0, 1.0) * 4.0).round() as u8 } else { 0 };
        let health_class = match health {
            Health::Up => "",
            Health::Degraded => " pv-part--degraded",
            Health::Down => " pv-part--down",
        };
        self.put(format_args!(r#"<g class="pv-part pv-load-{level}{health_class}">"#));
        self.rect(x, y, width, height, 6.0, None);
        if health == Health::Down {
            self.put(format_args!(r#"<path class="pv-cross" d="M{x:.1} {y:.1}l{width:.1} {height:.1}m0-{height:.1}l-{width:.1} {height:.1}"/>"#));
        }
        if text_width(label, size) > width - 8.0 {
            self.problems.push(format!("\"{label}\" is wider than its {width}-unit box"));
        }
        self.text(x + width / 2.0, y + size + 4.0, size, Anchor::Middle, true, label);
        self.put_str("</g>");
    }

    /// A row of the outcomes' shapes with their usual names, from (`x`, `y`); returns its width.
    pub fn legend(&mut self, x: f32, y: f32, outcomes: &[Outcome]) -> f32 {
        let named: Vec<(Outcome, &str)> = outcomes.iter().map(|outcome| (*outcome, outcome.word())).collect();
        self.legend_with(x, y, &named)
    }

    /// A legend in the tool's own words ("let through", "refused"); returns its width.
    pub fn legend_with(&mut self, x: f32, y: f32, entries: &[(Outcome, &str)]) -> f32 {
        let mut left = x;
        for (outcome, word) in entries {
            self.request(left + 4.0, y - 4.0, *outcome);
            self.text(left + 11.0, y, MIN_FONT, Anchor::Start, false, word);
            left += 11.0 + text_width(word, MIN_FONT) + 10.0;
        }
        left - 10.0 - x
    }

    fn within(&mut self, what: &str, left: f32, top: f32, right: f32, bottom: f32) {
        if left < 0.0 || top < 0.0 || right > WIDTH || bottom > self.height {
            self.problems.push(format!("{what} reaches outside the {WIDTH}×{} canvas ({left:.0},{top:.0})–({right:.0},{bottom:.0})", self.height));
        }
    }

    /// The requests' paths: what moves on a stage from one frame to the next.
    fn moving(&self) -> String {
        let mut out = String::new();
        for (outcome, data) in Outcome::ALL.iter().zip(&self.glyphs) {
            if !data.is_empty() {
                let _ = write!(out, r#"<path class="{}" d="{data}"/>"#, outcome.class());
            }
        }
        out
    }

    /// The drawing in two layers for a live stage: what moves every frame (the requests), and
    /// the rest, with the spoken label and the height (see `harness::stage` in the app).
    pub fn layers(self) -> Layers {
        Layers { moving: self.glyphs, rest: self.body, label: self.label, height: self.height }
    }

    pub fn finish(mut self) -> Poster {
        // The requests go on top of everything else, one path per outcome.
        let moving = self.moving();
        self.body.push_str(&moving);
        let svg = svg(self.height, &self.label, &self.body);
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
    fn requests_are_drawn_as_one_path_per_outcome_and_read_back_where_they_were_put() {
        let mut sketch = Sketch::new(60.0, "requests");
        let placed = [(Outcome::InFlight, 10.0, 10.0), (Outcome::Ok, 20.0, 10.0), (Outcome::Ok, 30.0, 12.5), (Outcome::Retried, 40.0, 10.0), (Outcome::Rejected, 50.0, 10.0), (Outcome::TimedOut, 60.0, 10.0), (Outcome::Stale, 70.0, 10.0)];
        for (outcome, x, y) in placed {
            sketch.request(x, y, outcome);
        }
        let poster = sketch.finish();
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert_eq!(poster.svg.matches("<path class=\"pv-req").count(), 6, "{}", poster.svg);
        let mut read = drawn_requests(&poster.svg);
        read.sort_by(|a, b| a.1.total_cmp(&b.1));
        assert_eq!(read.len(), placed.len());
        for ((outcome, x, y), (read_outcome, read_x, read_y)) in placed.iter().zip(&read) {
            assert_eq!(outcome, read_outcome);
            assert!((x - read_x).abs() < 0.06 && (y - read_y).abs() < 0.06, "{outcome:?} at ({x}, {y}) read as ({read_x}, {read_y})");
        }
        let mut sketch = Sketch::new(60.0, "layers");
        sketch.text(10.0, 30.0, 12.0, Anchor::Start, true, "server");
        sketch.request(10.0, 50.0, Outcome::Ok);
        let layers = sketch.layers();
        assert!(layers.rest.contains(">server<") && !layers.rest.contains("pv-req"));
        assert!(!layers.moving[Outcome::Ok as usize].is_empty() && layers.moving.iter().enumerate().all(|(index, data)| index == Outcome::Ok as usize || data.is_empty()));
        let markup = layers.markup();
        let (rest, overlay) = markup.split_once("</svg>").expect("the picture, then the requests' sheet");
        assert!(rest.starts_with("<svg") && rest.contains(r#"aria-label="layers""#) && rest.contains(">server<") && !rest.contains("pv-req"), "{markup}");
        assert!(overlay.starts_with(r#"<canvas class="pv-overlay" width="320" height="60" aria-hidden="true">"#), "{markup}");
        let swatches = overlay.split_once("</canvas>").expect("a canvas, then the inks").1;
        assert!(swatches.starts_with(r#"<svg class="pv-swatches" aria-hidden="true""#) && !swatches.contains(" d="), "{markup}");
        for outcome in Outcome::ALL {
            assert!(swatches.contains(&format!(r#"<path class="{}"/>"#, outcome.class())), "an ink for {outcome:?}: {markup}");
        }
    }

    /// Every primitive once, with requests before, between and after them.
    fn everything(sketch: &mut Sketch) -> f32 {
        sketch.request(20.0, 20.0, Outcome::InFlight);
        sketch.rect(10.0, 30.0, 40.0, 20.0, 4.0, Some(2));
        sketch.circle(80.0, 40.0, 6.0, None);
        sketch.ring(100.0, 40.0, 6.0);
        sketch.arrow(120.0, 40.0, 160.0, 40.0);
        sketch.path("M0 0h4", Some(1));
        sketch.fill("M0 0h4v4Z", None);
        sketch.text(10.0, 70.0, MIN_FONT, Anchor::Start, false, "a <word> & more");
        sketch.request(60.0, 70.0, Outcome::Retried);
        sketch.labelled_box(10.0, 80.0, 90.0, 24.0, Some(3), MIN_FONT, "server");
        sketch.meter(120.0, 80.0, 60.0, 10.0, 0.4, Some(1));
        sketch.bars(200.0, 120.0, 8.0, 30.0, &[0.2, 1.0, 0.5], Some(4));
        sketch.clock(250.0, 40.0, 10.0, 0.6, Some(5));
        sketch.component(10.0, 130.0, 90.0, 40.0, Health::Down, 0.7, MIN_FONT, "db");
        let width = sketch.legend(10.0, 190.0, &Outcome::ALL);
        sketch.request(300.0, 190.0, Outcome::Stale);
        width
    }

    #[test]
    fn a_requests_only_drawing_has_the_same_requests_sizes_and_label_and_nothing_else() {
        let mut full = Sketch::new(200.0, "all of it");
        let full_width = everything(&mut full);
        let (mut sparse, sparse_width) = requests_only(true, || {
            let mut sketch = Sketch::new(200.0, "all of it");
            let width = everything(&mut sketch);
            (sketch, width)
        });
        assert_eq!(sparse_width, full_width, "a legend's width is measured either way");
        // Begun after `requests_only` returned, or inside it when not `only`: full drawings.
        let mut after = Sketch::new(200.0, "all of it");
        everything(&mut after);
        let not_only = requests_only(false, || {
            let mut sketch = Sketch::new(200.0, "all of it");
            everything(&mut sketch);
            sketch.layers()
        });
        sparse.problems.clear();
        let (full, sparse, after) = (full.layers(), sparse.layers(), after.layers());
        assert!(full.rest.contains(">server<") && full.rest.contains("pv-cross") && full.rest.contains("pv-fill pv-fill--4"), "{}", full.rest);
        assert_eq!(sparse.rest, "");
        assert_eq!(sparse.moving, full.moving);
        assert!(full.moving.iter().all(|data| !data.is_empty()));
        assert_eq!((sparse.label, sparse.height), (full.label.clone(), full.height));
        assert_eq!(after, full);
        assert_eq!(not_only, full);
    }

    #[test]
    fn every_tool_draws_the_same_requests_when_it_draws_only_them() {
        for tool in TOOLS {
            for preset in std::iter::once(Vec::new()).chain(extreme_presets(tool.params)) {
                let pairs: Vec<(String, String)> = preset.iter().map(|(key, value)| (key.to_string(), value.clone())).collect();
                let full = (tool.poster)(&pairs).layers();
                let sparse = requests_only(true, || (tool.poster)(&pairs)).layers();
                assert_eq!((&sparse.moving, &sparse.label, sparse.height), (&full.moving, &full.label, full.height), "{} at {preset:?}", tool.slug);
                assert!(sparse.rest.is_empty(), "{}: {}", tool.slug, sparse.rest);
            }
        }
    }

    #[test]
    fn extreme_presets_take_every_parameter_to_each_end_together_then_alone() {
        const SCHEMA: &[ParamSpec] = &[
            ParamSpec { key: "n", label: "N", kind: crate::sim::ParamKind::Int { min: 1, max: 9 }, default: crate::sim::Value::Int(3) },
            ParamSpec { key: "mode", label: "Mode", kind: crate::sim::ParamKind::Choice(&[("a", "A"), ("b", "B"), ("c", "C")]), default: crate::sim::Value::Choice("b") },
            ParamSpec { key: "on", label: "On", kind: crate::sim::ParamKind::Bool, default: crate::sim::Value::Bool(false) },
        ];
        fn text(list: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
            list.iter().map(|(key, value)| (*key, value.to_string())).collect()
        }
        assert_eq!(
            extreme_presets(SCHEMA),
            vec![
                text(&[("n", "1"), ("mode", "a"), ("on", "0")]),
                text(&[("n", "9"), ("mode", "c"), ("on", "1")]),
                text(&[("n", "1")]),
                text(&[("n", "9")]),
                text(&[("mode", "a")]),
                text(&[("mode", "c")]),
                text(&[("on", "0")]),
                text(&[("on", "1")]),
            ]
        );
    }

    #[test]
    fn round_units_go_one_two_five_without_overflowing() {
        let first: Vec<u64> = round_units().take(7).collect();
        assert_eq!(first, [1, 2, 5, 10, 20, 50, 100]);
        assert_eq!(round_units().last(), Some(5_000_000_000_000_000_000));
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

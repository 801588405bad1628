//! A small line chart in plain SVG. Series colours are CSS variables and each series also has
//! its own dash pattern, so lines differ without relying on colour.

use super::fit::{fitted_width, FitWidth};
use super::Phase;
use atlas_components::chart::{nice_ticks, path, short_number, Scale};
use atlas_components::diagram::svg::escape;
use std::fmt::Write as _;
use leptos::prelude::*;

#[derive(Clone, PartialEq)]
pub struct Series {
    pub label: &'static str,
    /// A CSS colour, normally `var(--series-N)`.
    pub colour: &'static str,
    /// An SVG dash array; empty for a solid line.
    pub dash: &'static str,
    pub points: Vec<(f64, f64)>,
}

/// A colour and a dash for each of up to six lines on one chart, so lines that compare the same
/// measure across strategies (policies, balancers) differ without relying on colour.
pub const LINE_STYLES: [(&str, &str); 6] = [
    ("var(--series-1)", ""),
    ("var(--series-2)", "6 3"),
    ("var(--series-3)", "2 3"),
    ("var(--series-4)", "10 3 2 3"),
    ("var(--series-5)", "4 2 1 2"),
    ("var(--text)", "8 2"),
];

/// Laid out at the width it is shown at (so its 11 px labels stay 11 px), up to 760 px.
const FIT: FitWidth = FitWidth { min: 240.0, max: 760.0 };
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 10.0;
const RIGHT: f64 = 10.0;

/// A chart with a title, y axis ticks and a legend. `y_max` fixes the top of the scale (or
/// `None` to fit the data); the x axis spans `x_range`. `unit` follows each tick's number and
/// must be one character (`%`, `×`): the left margin holds a short number and that, so a longer
/// unit belongs in the title ("… (ms)").
#[component]
pub fn LineChart(
    title: &'static str,
    #[prop(into)] series: Signal<Vec<Series>>,
    #[prop(into)] x_range: Signal<(f64, f64)>,
    #[prop(optional)] y_max: Option<f64>,
    #[prop(optional)] unit: &'static str,
) -> impl IntoView {
    let container = NodeRef::new();
    let width = fitted_width(container, FIT);
    // Each chart is redrawn in a frame of its own while the run plays.
    let phase = Phase::block();
    let layout = move || {
        let series = read_in(phase, series);
        let data_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
        let top = y_max.unwrap_or(if data_max <= 0.0 { 1.0 } else { data_max * 1.1 });
        let (x0, x1) = read_in(phase, x_range);
        let width = width.get();
        let x = Scale::new((x0, x1), (LEFT, width - RIGHT));
        let y = Scale::new((0.0, top), (HEIGHT - BOTTOM, TOP));
        (series, x, y, top, width)
    };
    // The drawing and the legend are written as markup rather than built node by node: the
    // same elements, and 4.4 KB gzipped less of the kafka-partitions bundle, which has three
    // charts (2026-12-07). Every text in them is the code's own (labels, units, numbers), escaped
    // all the same. While the series keep their labels and inks, a round only changes the lines'
    // path data and the legend's numbers, in place; see `redraw`.
    let (grid, lines, legend) = (NodeRef::<leptos::svg::G>::new(), NodeRef::<leptos::svg::G>::new(), NodeRef::<leptos::html::Ul>::new());
    let drawn = std::cell::RefCell::new(Drawn::default());
    super::redraw(move |_| {
        let (series, x, y, top, width) = layout();
        if let (Some(grid), Some(lines), Some(legend)) = (grid.get(), lines.get(), legend.get()) {
            drawn.borrow_mut().redraw(&series, x, y, top, width, unit, [grid.as_ref(), lines.as_ref()], legend.as_ref());
        }
    });
    view! {
        <figure class="chart">
            <figcaption class="chart__title">{title}</figcaption>
            <div class="chart__fit" node_ref=container>
            <svg class="chart__svg fitted" viewBox=move || format!("0 0 {} {HEIGHT}", width.get()) role="img" aria-label=title>
                <g class="chart__grid" node_ref=grid></g>
                <g node_ref=lines></g>
            </svg>
            </div>
            <ul class="chart__legend" node_ref=legend></ul>
        </figure>
    }
}

/// What a chart last wrote: its grid's markup, and its series' labels and inks.
#[derive(Default)]
struct Drawn {
    grid: String,
    series: Vec<(&'static str, &'static str, &'static str)>,
    paths: Vec<String>,
    /// The most characters a legend's number has had: the width its numbers' boxes keep.
    chars: usize,
}

impl Drawn {
    /// Writes the grid when its markup changed, and the lines and the legend whole when the
    /// series changed; otherwise rewrites only each line's path data and each legend entry's
    /// number that changed. Each number sits in a box of fixed size that the browser lays out
    /// alone (`.chart__value`), so a new number no longer lays out the whole page. On the circuit
    /// breaker at 8x with the CPU throttled 4x, its first chart's frame took 17.2 to 18.1 ms
    /// written whole and 13.4 to 14.7 ms in place; its layout, 2.6 to 3.0 ms and 1.0 to 1.3 ms
    /// (Chromium trace, three alternating pairs, 2026-12-07).
    #[allow(clippy::too_many_arguments)]
    fn redraw(&mut self, series: &[Series], x: Scale, y: Scale, top: f64, width: f64, unit: &str, [grid, lines]: [&web_sys::Element; 2], legend: &web_sys::HtmlElement) {
        let mut markup = String::new();
        for tick in nice_ticks(0.0, top, 4) {
            let py = y.map(tick);
            let _ = write!(
                markup,
                r#"<line x1="{LEFT}" x2="{}" y1="{py}" y2="{py}"></line><text x="{}" y="{}" text-anchor="end">{}</text>"#,
                width - RIGHT,
                LEFT - 6.0,
                py + 4.0,
                escape(&format!("{}{unit}", short_number(tick)))
            );
        }
        in_place::write(grid, &mut self.grid, markup);
        let paths = series.iter().map(|s| path(&s.points, x, y));
        let values: Vec<String> = series
            .iter()
            .map(|s| {
                let last = s.points.iter().rev().map(|p| p.1).find(|value| value.is_finite());
                last.map_or_else(|| "—".to_string(), |value| format!("{}{unit}", short_number((value * 100.0).round() / 100.0)))
            })
            .collect();
        // The boxes widen to the longest number yet, and never narrow, so entries hold still.
        let widest = values.iter().map(|value| value.chars().count()).max().unwrap_or(0);
        if widest > self.chars {
            self.chars = widest;
            let _ = legend.style().set_property("--chart-value-chars", &widest.to_string());
        }
        let inks: Vec<_> = series.iter().map(|s| (s.label, s.colour, s.dash)).collect();
        if inks == self.series {
            for ((line, last), data) in in_place::children(lines).zip(&mut self.paths).zip(paths) {
                in_place::set_attribute(&line, "d", last, data);
            }
            for (value, text) in in_place::children(legend).filter_map(|entry| entry.last_element_child()).zip(&values) {
                in_place::set_text(&value, text);
            }
            return;
        }
        let (mut drawing, mut entries) = (String::new(), String::new());
        self.paths = paths.collect();
        for ((s, data), value) in series.iter().zip(&self.paths).zip(values) {
            let _ = write!(drawing, r#"<path class="chart__line" d="{data}" stroke="{}" stroke-dasharray="{}"></path>"#, s.colour, s.dash);
            let _ = write!(
                entries,
                r#"<li><svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke="{}" stroke-width="3" stroke-dasharray="{}"></line></svg>{}: <span class="chart__value">{}</span></li>"#,
                s.colour,
                s.dash,
                escape(s.label),
                escape(&value)
            );
        }
        lines.set_inner_html(&drawing);
        legend.set_inner_html(&entries);
        self.series = inks;
    }
}

/// Changing a drawing that a run redraws every round without writing it anew: a rewritten
/// element is parsed, styled, laid out and painted whole, and one that is no longer the same
/// element lays out its ancestors up to the page (Chromium keeps a layout root at an SVG root or
/// a box of fixed size only while the element stays).
pub mod in_place {
    /// `parent`'s child elements, in order.
    pub fn children(parent: &web_sys::Element) -> impl Iterator<Item = web_sys::Element> {
        std::iter::successors(parent.first_element_child(), web_sys::Element::next_element_sibling)
    }

    /// `parent`'s child elements when it has one for each of `keys`, in order, each one's first
    /// child reading its key (a grid's rows by label, a list's cards by name): the elements a
    /// redraw can change in place. `None` when they must be written anew.
    pub fn keyed<'a>(parent: &web_sys::Element, keys: impl IntoIterator<Item = &'a str>) -> Option<Vec<web_sys::Element>> {
        let (mut elements, mut next) = (Vec::new(), parent.first_element_child());
        for key in keys {
            let element = next.filter(|element| element.first_element_child().and_then(|first| first.text_content()).as_deref() == Some(key))?;
            next = element.next_element_sibling();
            elements.push(element);
        }
        next.is_none().then_some(elements)
    }

    /// Writes `markup` into `parent` unless it is what `last` says was written there.
    pub fn write(parent: &web_sys::Element, last: &mut String, markup: String) {
        if markup != *last {
            parent.set_inner_html(&markup);
            *last = markup;
        }
    }

    /// Sets `element`'s `name` attribute to `value` unless `last`, the value set there last, is
    /// the same. Reading a line's path data back from the page would copy it through JS.
    pub fn set_attribute(element: &web_sys::Element, name: &str, last: &mut String, value: String) {
        if value != *last {
            let _ = element.set_attribute(name, &value);
            *last = value;
        }
    }

    /// Sets `element`'s text to `text` unless it reads that already. An element holding one
    /// text node keeps it and changes its characters: `textContent` would put a new node in its
    /// place, which the browser must take out of its layout tree and build anew (style and all),
    /// where a changed node only has its text laid out again.
    pub fn set_text(element: &web_sys::Element, text: &str) {
        let only_text = element.first_child().filter(|node| node.node_type() == web_sys::Node::TEXT_NODE && node.next_sibling().is_none());
        match only_text {
            Some(node) if node.node_value().as_deref() != Some(text) => node.set_node_value(Some(text)),
            Some(_) => {}
            None if element.text_content().as_deref() != Some(text) => element.set_text_content(Some(text)),
            None => {}
        }
    }
}

/// `signal`'s value, read in `phase`. Out of line: read inside the chart's closures, the phase's
/// guard cost 0.44 KB gzipped of a bundle with two charts (2026-12-07).
#[inline(never)]
fn read_in<T: Clone + Send + Sync + 'static>(phase: Phase, signal: Signal<T>) -> T {
    let _in_phase = phase.enter();
    signal.get()
}

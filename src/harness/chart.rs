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
    // charts (its frames took as long either way; 2026-12-07). Every text in them is the code's
    // own (labels, units, numbers), escaped all the same.
    let drawing = move || {
        let (series, x, y, top, width) = layout();
        let mut markup = String::from(r#"<g class="chart__grid">"#);
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
        markup.push_str("</g>");
        for s in series {
            let _ = write!(markup, r#"<path class="chart__line" d="{}" stroke="{}" stroke-dasharray="{}"></path>"#, path(&s.points, x, y), s.colour, s.dash);
        }
        markup
    };
    let legend = move || {
        let mut markup = String::new();
        for s in read_in(phase, series) {
            let last = s.points.iter().rev().map(|p| p.1).find(|value| value.is_finite());
            let value = last.map_or_else(|| "—".to_string(), |value| format!("{}{unit}", short_number((value * 100.0).round() / 100.0)));
            let _ = write!(
                markup,
                r#"<li><svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke="{}" stroke-width="3" stroke-dasharray="{}"></line></svg>{}: {}</li>"#,
                s.colour,
                s.dash,
                escape(s.label),
                escape(&value)
            );
        }
        markup
    };
    view! {
        <figure class="chart">
            <figcaption class="chart__title">{title}</figcaption>
            <div class="chart__fit" node_ref=container>
            <svg class="chart__svg fitted" viewBox=move || format!("0 0 {} {HEIGHT}", width.get()) role="img" aria-label=title inner_html=drawing></svg>
            </div>
            <ul class="chart__legend" inner_html=legend></ul>
        </figure>
    }
}

/// `signal`'s value, read in `phase`. Out of line: read inside the chart's closures, the phase's
/// guard cost 0.44 KB gzipped of a bundle with two charts (2026-12-07).
#[inline(never)]
fn read_in<T: Clone + Send + Sync + 'static>(phase: Phase, signal: Signal<T>) -> T {
    let _in_phase = phase.enter();
    signal.get()
}

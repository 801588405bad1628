//! The circuit-breaker visualizer: users → A → B → C, each service with a bounded pool, a
//! breaker that can sit on either hop, and C's latency and failure rate under the reader's hand.

use super::widgets::{ParamField, Stat, ValidatedField};
use crate::harness::{Controls, LineChart, Runner, Series};
use atlas_components::sim::number::NumberRule;
use atlas_components::viz::breaker::{
    format_ms, Action, BreakerChain, BreakerState, CircuitBreaker, Hop, Metric, PoolView, Service, BREAKER_PARAMS, MAX_LATENCY_MS, SAMPLE_MS, START_LATENCY_MS, TICK_MS,
};
use crate::harness::fit::{fitted_width, FitWidth};
use crate::harness::kit::{self, scoped_id};
use crate::harness::ruler::{self, Font};
use atlas_components::diagram::svg::escape;
use leptos::prelude::*;
use std::fmt::Write;
use web_sys::HtmlElement;

/// Ten-millisecond ticks: 100 per second is real time at 1×.
const TICKS_PER_SECOND: f64 = 100.0;
/// Three simulated minutes.
const LIMIT: u64 = 18_000;
/// The charts show the last minute.
const WINDOW_SAMPLES: usize = (60_000 / SAMPLE_MS) as usize;
/// The chain is drawn for the width it is shown at (one unit per CSS px): in a row from
/// `ROW_FROM` px, else as a column, the way a phone shows it.
const FIT: FitWidth = FitWidth { min: 280.0, max: 760.0 };
const ROW_FROM: f64 = 600.0;
/// Fonts as in the stylesheet (`.breaker-service__name`, `__note`, `.breaker-gauge__label`).
const NAME_FONT: Font = Font::bold(16.0);
const NOTE_FONT: Font = Font::sans(12.0);
const GAUGE_FONT: Font = Font::mono(11.0);
const PADDING: f64 = 8.0;

/// Row layout: the users, then A, B and C left to right with a breaker's switch in each gap.
const ROW_HEIGHT: f64 = 200.0;
const USERS_WIDTH: f64 = 62.0;
const SWITCH_GAP: f64 = 84.0;
const BOX_TOP: f64 = 34.0;
const BOX_HEIGHT: f64 = 130.0;
const MIDDLE: f64 = BOX_TOP + 52.0;
/// A breaker's state sits in the gap under its switch; its details, wider than the gap, below
/// the boxes.
const LABEL_Y: f64 = BOX_TOP + BOX_HEIGHT + 20.0;

/// Column layout: the users on top, then A, B and C downwards, each switch turned upright in
/// the gap below its caller with its words beside it.
const COLUMN_BOX_HEIGHT: f64 = 62.0;
const COLUMN_GAP: f64 = 58.0;
const COLUMN_TOP: f64 = 48.0;
const SWITCH_X: f64 = 36.0;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<BreakerChain>::start(&tool, BREAKER_PARAMS, TICKS_PER_SECOND, LIMIT)));
}

/// Where the three services sit at one width.
#[derive(Clone, Copy)]
enum ChainLayout {
    Row { box_width: f64 },
    Column { width: f64 },
}

impl ChainLayout {
    fn for_width(width: f64) -> Self {
        if width >= ROW_FROM {
            Self::Row { box_width: ((width - USERS_WIDTH - 30.0 - 2.0 * SWITCH_GAP) / 3.0).min(170.0) }
        } else {
            Self::Column { width }
        }
    }

    fn size(self) -> (f64, f64) {
        match self {
            Self::Row { box_width } => (USERS_WIDTH + 30.0 + 3.0 * box_width + 2.0 * SWITCH_GAP, ROW_HEIGHT),
            Self::Column { width } => (width, COLUMN_TOP + 3.0 * COLUMN_BOX_HEIGHT + 2.0 * COLUMN_GAP + 4.0),
        }
    }

    fn index(service: Service) -> f64 {
        match service {
            Service::A => 0.0,
            Service::B => 1.0,
            Service::C => 2.0,
        }
    }

    /// The service's box: left, top, width, height.
    fn service_box(self, service: Service) -> (f64, f64, f64, f64) {
        let index = Self::index(service);
        match self {
            Self::Row { box_width } => (USERS_WIDTH + 24.0 + index * (box_width + SWITCH_GAP), BOX_TOP, box_width, BOX_HEIGHT),
            Self::Column { width } => (4.0, COLUMN_TOP + index * (COLUMN_BOX_HEIGHT + COLUMN_GAP), width - 8.0, COLUMN_BOX_HEIGHT),
        }
    }
}

fn percent(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part.min(whole)) / f64::from(whole)
    }
}

// The stage is written as one string of SVG and set as the drawing's children: it is redrawn
// whole on every tick anyway, and as typed Leptos views these three functions compiled to
// several KB of the bundle (measured 2026-12). Every text goes through `escape`.

/// `<text>` with a class, a position and optional extra attributes, its words escaped.
fn text(out: &mut String, class: &str, x: f64, y: f64, extra: &str, words: &str) {
    let _ = write!(out, r#"<text class="{class}" x="{x:.1}" y="{y:.1}"{extra}>{}</text>"#, escape(words));
}

/// One service: its name, what it is, and gauges for its threads and its waiting room. `notes`
/// are ways to say what it is, longest first; the first that fits is drawn.
fn service_box(out: &mut String, layout: ChainLayout, service: Service, pool: PoolView, notes: Vec<String>) {
    let (x, y, width, height) = layout.service_box(service);
    let full = pool.is_saturated();
    let name = format!("{}{}", service.name(), if full { "  FULL" } else { "" });
    let counts = |what: &str, used: u32, of: u32| vec![format!("{what} {used} / {of}"), format!("{what} {used}/{of}"), format!("{used}/{of}")];
    let gauge = |out: &mut String, left: f64, top: f64, room: f64, labels: Vec<String>, share: f64| {
        text(out, "breaker-gauge__label", left, top - 4.0, "", ruler::first_that_fits(&labels, GAUGE_FONT, room));
        let _ = write!(out, r#"<rect class="breaker-gauge" x="{left:.1}" y="{top:.1}" width="{room:.1}" height="10" rx="3"/>"#);
        let _ = write!(out, r#"<rect class="breaker-gauge__fill" x="{left:.1}" y="{top:.1}" width="{:.1}" height="10" rx="3"/>"#, room * share);
    };
    let threads = counts("threads", pool.busy, pool.threads);
    let waiting = counts("waiting", pool.queued, pool.queue_limit);
    let (busy, queued) = (percent(pool.busy, pool.threads), percent(pool.queued, pool.queue_limit));
    let _ = write!(out, r#"<g class="breaker-service{}"><rect x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" rx="10"/>"#, if full { " breaker-service--full" } else { "" });
    match layout {
        ChainLayout::Row { .. } => {
            let room = width - 2.0 * PADDING;
            text(out, "breaker-service__name", x + PADDING, y + 22.0, "", &name);
            text(out, "breaker-service__note", x + PADDING, y + 40.0, "", ruler::first_that_fits(&notes, NOTE_FONT, room));
            gauge(out, x + PADDING, y + 70.0, room, threads, busy);
            gauge(out, x + PADDING, y + 108.0, room, waiting, queued);
        }
        ChainLayout::Column { .. } => {
            // The name and note on the first line, the two gauges side by side below.
            let note_x = x + PADDING + ruler::text_width(&name, NAME_FONT) + 10.0;
            let half = (width - 3.0 * PADDING) / 2.0;
            text(out, "breaker-service__name", x + PADDING, y + 21.0, "", &name);
            text(out, "breaker-service__note", note_x, y + 20.0, "", ruler::first_that_fits(&notes, NOTE_FONT, x + width - PADDING - note_x));
            gauge(out, x + PADDING, y + height - 18.0, half, threads, busy);
            gauge(out, x + 2.0 * PADDING + half, y + height - 18.0, half, waiting, queued);
        }
    }
    out.push_str("</g>");
}

/// A breaker drawn as a switch, so its state shows in shape as well as words: closed joins the
/// two contacts, open lifts the lever high, half-open lifts it a little with a dashed line. In
/// the column layout the switch is turned upright and its words sit beside it; `note` (how long
/// the caller waits) joins them there, as the row layout writes it above the boxes.
fn breaker_switch(out: &mut String, layout: ChainLayout, hop: Hop, breaker: Option<&CircuitBreaker>, now_ms: u64, note: Option<String>) {
    let (caller_x, caller_y, caller_width, caller_height) = layout.service_box(hop.caller());
    let (callee_x, callee_y, _, _) = layout.service_box(hop.callee());
    // The switch is drawn level, from `left` to `right` on the line `axis`, then turned.
    let (centre, axis, half_span, turn) = match layout {
        ChainLayout::Row { .. } => ((caller_x + caller_width + callee_x) / 2.0, MIDDLE, (callee_x - caller_x - caller_width) / 2.0, String::new()),
        ChainLayout::Column { .. } => {
            let middle = (caller_y + caller_height + callee_y) / 2.0;
            (SWITCH_X, middle, (callee_y - caller_y - caller_height) / 2.0, format!("rotate(90 {SWITCH_X} {middle:.1})"))
        }
    };
    let (left, right) = (centre - half_span, centre + half_span);
    let (pin_a, pin_b) = (centre - 20.0, centre + 20.0);
    let (state, title, detail) = match breaker {
        None => (None, "no breaker".to_string(), None),
        Some(breaker) => {
            let settings = breaker.settings();
            let detail = match breaker.state() {
                BreakerState::Closed => {
                    let (calls, failures) = breaker.window_totals();
                    format!("{failures} of {calls} failed")
                }
                BreakerState::Open => {
                    let reopen_ms = u64::from(breaker.since() + settings.open_ticks) * u64::from(TICK_MS);
                    format!("probes in {}", format_ms(reopen_ms.saturating_sub(now_ms) as f64))
                }
                BreakerState::HalfOpen => {
                    let (out, succeeded) = breaker.probes();
                    format!("probes: {succeeded} ok, {out} out of {}", settings.probes)
                }
            };
            let title = match breaker.state() {
                BreakerState::Closed => "CLOSED",
                BreakerState::HalfOpen => "HALF-OPEN",
                BreakerState::Open => "OPEN",
            };
            (Some(breaker.state()), title.to_string(), Some(detail))
        }
    };
    let (angle, class) = match state {
        None => (0.0, "breaker-switch breaker-switch--none"),
        Some(BreakerState::Closed) => (0.0, "breaker-switch breaker-switch--closed"),
        Some(BreakerState::HalfOpen) => (18.0, "breaker-switch breaker-switch--half"),
        Some(BreakerState::Open) => (45.0, "breaker-switch breaker-switch--open"),
    };
    let radians = f64::to_radians(angle);
    let lever_end = (pin_a + 40.0 * radians.cos(), axis - 40.0 * radians.sin());
    let title_class = if state.is_some() { "breaker-switch__title" } else { "breaker-switch__label" };
    let _ = write!(out, r#"<g class="{class}"><g transform="{turn}">"#);
    let wire = |out: &mut String, from: f64, to: f64| {
        let _ = write!(out, r#"<line class="breaker-wire" x1="{from:.1}" x2="{to:.1}" y1="{axis:.1}" y2="{axis:.1}"/>"#);
    };
    match state {
        None => wire(out, left, right),
        Some(_) => {
            wire(out, left, pin_a);
            wire(out, pin_b, right);
            for pin in [pin_a, pin_b] {
                let _ = write!(out, r#"<circle class="breaker-pin" cx="{pin:.1}" cy="{axis:.1}" r="4"/>"#);
            }
            let _ = write!(out, r#"<line class="breaker-lever" x1="{pin_a:.1}" y1="{axis:.1}" x2="{:.1}" y2="{:.1}"/>"#, lever_end.0, lever_end.1);
        }
    }
    out.push_str("</g>");
    match layout {
        ChainLayout::Row { .. } => {
            text(out, title_class, centre, MIDDLE + 28.0, r#" text-anchor="middle""#, &title);
            if let Some(detail) = detail {
                text(out, "breaker-switch__label", centre, LABEL_Y, r#" text-anchor="middle""#, &detail);
            }
        }
        ChainLayout::Column { .. } => {
            let lines: Vec<(&str, String)> = std::iter::once((title_class, title)).chain(detail.map(|detail| ("breaker-switch__label", detail))).chain(note.map(|note| ("breaker-switch__label", note))).collect();
            let first = axis - (lines.len() as f64 - 1.0) * 7.0 + 4.0;
            for (line, (class, words)) in lines.into_iter().enumerate() {
                text(out, class, SWITCH_X + 30.0, first + line as f64 * 14.0, "", &words);
            }
        }
    }
    out.push_str("</g>");
}

fn stage(runner: Runner<BreakerChain>, width: Signal<f64>) -> impl IntoView {
    move || {
        let layout = ChainLayout::for_width(width.get());
        let (view_width, view_height) = layout.size();
        runner.timeline.with(|timeline| {
            let chain = timeline.state();
            let config = chain.config();
            let now_ms = chain.time_ms();
            let waits_for_b = format!("A waits {} for B", format_ms(f64::from(config.timeout_ms(Hop::AB))));
            let waits_for_c = format_ms(f64::from(config.timeout_ms(Hop::BC)));
            let notes = |service: Service| match service {
                Service::A => vec![format!("{:.0}% need B", (1.0 - config.local_share) * 100.0)],
                Service::B => vec![format!("waits {waits_for_c} for C"), format!("waits {waits_for_c}")],
                Service::C => vec![
                    format!("{} ms, {}% fail", chain.latency_ms(), chain.failure_percent()),
                    format!("{}, {}% fail", format_ms(f64::from(chain.latency_ms())), chain.failure_percent()),
                    format!("{}% fail", chain.failure_percent()),
                ],
            };
            let label = Service::ALL
                .iter()
                .map(|&service| {
                    let pool = chain.pool(service);
                    format!("{}: {} of {} threads busy, {} waiting", service.name(), pool.busy, pool.threads, pool.queued)
                })
                .chain(Hop::BOTH.iter().map(|&hop| format!("breaker on {}: {}", hop.label(), chain.breaker(hop).map_or("none", |breaker| breaker.state().label()))))
                .collect::<Vec<_>>()
                .join("; ");
            let (a_x, a_y, _, _) = layout.service_box(Service::A);
            let column = matches!(layout, ChainLayout::Column { .. });
            let mut svg = String::with_capacity(4096);
            if column {
                let _ = write!(svg, r#"<g class="breaker-users"><rect x="{:.1}" y="4" width="{USERS_WIDTH}" height="32" rx="16"/>"#, SWITCH_X - USERS_WIDTH / 2.0);
                text(&mut svg, "breaker-users__name", SWITCH_X, 25.0, r#" text-anchor="middle""#, "Users");
                let _ = write!(svg, r#"</g><line class="breaker-wire" x1="{SWITCH_X}" x2="{SWITCH_X}" y1="36" y2="{a_y:.1}"/>"#);
            } else {
                let _ = write!(svg, r#"<g class="breaker-users"><rect x="6" y="{:.1}" width="{USERS_WIDTH}" height="40" rx="20"/>"#, MIDDLE - 20.0);
                text(&mut svg, "breaker-users__name", 6.0 + USERS_WIDTH / 2.0, MIDDLE + 5.0, r#" text-anchor="middle""#, "Users");
                let _ = write!(svg, r#"</g><line class="breaker-wire" x1="{:.1}" x2="{a_x:.1}" y1="{MIDDLE:.1}" y2="{MIDDLE:.1}"/>"#, 6.0 + USERS_WIDTH);
                text(&mut svg, "breaker-service__note", a_x, BOX_TOP - 10.0, "", &waits_for_b);
            }
            for hop in Hop::BOTH {
                breaker_switch(&mut svg, layout, hop, chain.breaker(hop), now_ms, (column && hop == Hop::AB).then(|| waits_for_b.clone()));
            }
            for service in Service::ALL {
                service_box(&mut svg, layout, service, chain.pool(service), notes(service));
            }
            view! {
                <svg class="breaker-stage fitted" viewBox=format!("0 0 {view_width} {view_height}") role="img" aria-label=label inner_html=svg></svg>
            }
        })
    }
}

/// Chart lines from the model's series. A window with no value (no answer to time, no breaker)
/// is NaN and breaks the line; trailing ones are dropped so the legend, which shows the last
/// point, never reads "NaN".
fn series(runner: Runner<BreakerChain>, lines: &'static [(Metric, &'static str, &'static str, &'static str)]) -> Signal<Vec<Series>> {
    runner.sampled(move |timeline| {
        let series = timeline.state().series();
        lines
            .iter()
            .map(|(metric, label, colour, dash)| {
                let mut points = series.points(*metric, WINDOW_SAMPLES);
                while points.last().is_some_and(|(_, value)| !value.is_finite()) {
                    points.pop();
                }
                Series { label, colour, dash, points }
            })
            .collect()
    })
}

/// A live setting of C typed as a number: checked by `rule` before it becomes an action.
fn live_number(rule: NumberRule, apply: impl Fn(u32) + Send + Sync + 'static) -> Callback<String, Result<(), String>> {
    Callback::new(move |raw: String| rule.parse(&raw).map(|value| apply(value as u32)))
}

fn view(runner: Runner<BreakerChain>) -> impl IntoView {
    let x_range = runner.sampled(|t| {
        let now = t.state().time_ms() as f64 / 1000.0;
        ((now - 60.0).max(0.0), now.max(10.0))
    });
    let stat = move |read: fn(&BreakerChain) -> String| Signal::derive(move || runner.timeline.with(|t| read(t.state())));
    let set_c = move |latency_ms: u32, failure_percent: u32| {
        let (latency, failure) = runner.with_state(|chain| (chain.latency_ms(), chain.failure_percent()));
        if latency != latency_ms {
            runner.act(Action::SetLatency(latency_ms));
        }
        if failure != failure_percent {
            runner.act(Action::SetFailureRate(failure_percent));
        }
    };
    let container = NodeRef::new();
    let width = fitted_width(container, FIT);
    let presets: [(&str, u32, u32); 4] = [("Healthy", START_LATENCY_MS, 0), ("Slow: 3 s", 3_000, 0), ("Failing: all errors", START_LATENCY_MS, 100), ("Flaky: half errors", START_LATENCY_MS, 50)];
    view! {
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.2} s", tick as f64 * f64::from(TICK_MS) / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <div class="viz__drawing" node_ref=container>{stage(runner, width)}</div>
                <LineChart title="Users' requests per second" x_range=x_range series=series(runner, &[
                    (Metric::SucceededPerSecond, "succeeded", "var(--series-3)", ""),
                    (Metric::FailedPerSecond, "failed (error or timeout)", "var(--series-4)", "6 3"),
                    (Metric::RejectedFastPerSecond, "rejected fast by a breaker", "var(--series-2)", "2 3"),
                    (Metric::TurnedAwayPerSecond, "turned away (A full)", "var(--series-5)", "10 3 2 3"),
                ]) />
                <LineChart title="Threads busy (% of each pool)" x_range=x_range y_max=100.0 unit="%" series=series(runner, &[
                    (Metric::PoolUsePercent(Service::A), "A", "var(--series-1)", ""),
                    (Metric::PoolUsePercent(Service::B), "B", "var(--series-2)", "6 3"),
                    (Metric::PoolUsePercent(Service::C), "C", "var(--series-5)", "2 3"),
                ]) />
                <LineChart title="Users' latency (ms)" x_range=x_range series=series(runner, &[
                    (Metric::P50Ms, "p50", "var(--series-3)", ""),
                    (Metric::P99Ms, "p99", "var(--series-4)", "6 3"),
                ]) />
                <LineChart title="Breaker state (0 closed · 1 half-open · 2 open; gap: no breaker)" x_range=x_range y_max=2.0 series=series(runner, &[
                    (Metric::BreakerLevel(Hop::AB), "A → B", "var(--series-1)", ""),
                    (Metric::BreakerLevel(Hop::BC), "B → C", "var(--series-4)", "6 3"),
                ]) />
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Dependency C (changes live)"</legend>
                    <div class="button-row">
                        {presets.map(|(label, latency, failure)| view! {
                            <button type="button" class="chip"
                                aria-pressed=move || runner.timeline.with(|t| (t.state().latency_ms() == latency && t.state().failure_percent() == failure).to_string())
                                on:click=move |_| set_c(latency, failure)>
                                {label}
                            </button>
                        })}
                    </div>
                    <ValidatedField id=scoped_id("breaker-latency") label="C's latency (ms, 1–10,000)" inputmode="numeric"
                        current=Memo::new(move |_| runner.timeline.with(|t| t.state().latency_ms().to_string()))
                        commit=live_number(NumberRule::integer(1.0, f64::from(MAX_LATENCY_MS)), move |ms| if runner.with_state(|chain| chain.latency_ms()) != ms { runner.act(Action::SetLatency(ms)) }) />
                    <ValidatedField id=scoped_id("breaker-failure") label="C's failure rate (%, 0–100)" inputmode="numeric"
                        current=Memo::new(move |_| runner.timeline.with(|t| t.state().failure_percent().to_string()))
                        commit=live_number(NumberRule::integer(0.0, 100.0), move |percent| if runner.with_state(|chain| chain.failure_percent()) != percent { runner.act(Action::SetFailureRate(percent)) }) />
                </fieldset>
                <fieldset>
                    <legend>"Circuit breakers (switch them live)"</legend>
                    {Hop::BOTH.map(|hop| view! {
                        <label class="toggle">
                            <input type="checkbox"
                                prop:checked=move || runner.timeline.with(|t| t.state().breaker(hop).is_some())
                                on:change=move |event| runner.act(Action::SetBreaker(hop, event_target_checked(&event))) />
                            <span>{format!("Breaker on {}", hop.label())}</span>
                        </label>
                    })}
                </fieldset>
                <dl class="stat-grid">
                    <Stat label="Requests" value=stat(|s| s.totals().requests.to_string()) />
                    <Stat label="Succeeded" value=stat(|s| s.totals().succeeded.to_string()) />
                    <Stat label="Failed" value=stat(|s| s.totals().failed.to_string()) />
                    <Stat label="Rejected fast" value=stat(|s| s.totals().rejected_fast.to_string()) />
                    <Stat label="Turned away" value=stat(|s| s.totals().turned_away.to_string()) />
                    <Stat label="Calls that reached C" value=stat(|s| s.totals().calls_to_c.to_string()) />
                </dl>
                <fieldset>
                    <legend>"Breaker settings (start a new run)"</legend>
                    <ParamField runner=runner key="threshold" />
                    <ParamField runner=runner key="min_calls" />
                    <ParamField runner=runner key="window" />
                    <ParamField runner=runner key="open" />
                    <ParamField runner=runner key="probes" />
                </fieldset>
                <fieldset>
                    <legend>"Services (start a new run)"</legend>
                    <ParamField runner=runner key="rate" />
                    <ParamField runner=runner key="local" />
                    <ParamField runner=runner key="pool_a" />
                    <ParamField runner=runner key="pool_b" />
                    <ParamField runner=runner key="pool_c" />
                    <ParamField runner=runner key="queue" />
                    <ParamField runner=runner key="timeout_ab" />
                    <ParamField runner=runner key="timeout_bc" />
                </fieldset>
            </div>
        </div>
    }
}

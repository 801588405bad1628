//! The retries visualizer: five groups of clients race against their own copy of a server in a
//! brownout, each retrying its own way. Attempts per tick show the storms and the waves; the
//! table compares load amplification, success and time to success.

use atlas::widgets::{ParamSet, ValidatedField};
use atlas::harness::{in_place, redraw, stage, Controls, Phase, Runner};
use atlas_components::chart::{nice_ticks, path, short_number, Scale, Tenths};
use atlas_components::diagram::svg::escape;
use std::fmt::Write as _;
use atlas_components::sim::number::NumberRule;
use atlas_components::viz::retries::{stage::stage as draw_stage, Action, LaneView, RetryRace, TickSample, LANES, RETRY_PARAMS, TICKS_PER_SECOND, TICK_MS};
use atlas::harness::fit::{fitted_width, island, panel_beside_stage, FitWidth};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::ruler::{self, Font};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// Ten-millisecond ticks: 100 per second is real time at 1×.
const PLAY_TICKS_PER_SECOND: f64 = 100.0;
/// Two simulated minutes.
const LIMIT: u64 = 12_000;
/// The chart shows the last 15 s, a point every 2 px of its width at most, each the busiest tick
/// of its group (so no burst is lost).
const WINDOW_TICKS: usize = 1_500;
const PX_PER_POINT: f64 = 2.0;
/// The chart is drawn for the width it is shown at (one unit per CSS px); on a phone (narrower
/// than `TALL_ROWS_FROM`) its rows are shorter, so it shares the first screen with the controls.
const FIT: FitWidth = FitWidth { min: 280.0, max: 760.0 };
const TALL_ROWS_FROM: f64 = 480.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 10.0;
const ROW_GAP: f64 = 18.0;
const TOP: f64 = 4.0;
const AXIS: f64 = 22.0;
/// Fonts as `.retries-row__label` and `.retries-axis` set them.
const LABEL_FONT: Font = Font { px: 12.0, bold: true, mono: false };
const AXIS_FONT: Font = Font::mono(11.0);

fn row_height(width: f64) -> f64 {
    if width >= TALL_ROWS_FROM { 64.0 } else { 36.0 }
}

fn chart_height(width: f64) -> f64 {
    TOP + LANES as f64 * (row_height(width) + ROW_GAP) + AXIS
}
/// Each lane's colour. Colour is only a second cue: every row of the chart and the table is
/// named, and a dashed spiky line would be harder to read than a solid one.
const LANE_COLOURS: [&str; LANES] = ["var(--series-4)", "var(--series-1)", "var(--series-2)", "var(--series-3)", "var(--series-5)"];

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<RetryRace>::start(&tool, RETRY_PARAMS, PLAY_TICKS_PER_SECOND, LIMIT)));
}

/// Attempts on a log scale, so a base load of a few per tick and a burst of a thousand both show.
fn log_height(attempts: f64) -> f64 {
    (1.0 + attempts.max(0.0)).log10()
}

fn milliseconds(ms: Option<u32>) -> String {
    match ms {
        None => "–".to_string(),
        Some(u32::MAX) => "> 60 s".to_string(),
        Some(ms) if ms >= 1_000 => format!("≤ {} s", short_number(f64::from(ms) / 1000.0)),
        Some(ms) => format!("≤ {ms} ms"),
    }
}

fn ratio(value: Option<f64>, format: impl Fn(f64) -> String) -> String {
    value.filter(|value| value.is_finite()).map_or_else(|| "–".to_string(), format)
}

/// Attempts per tick for every lane over the last `WINDOW_TICKS`, as small multiples sharing one
/// time axis and one log scale, with each server's capacity dashed: the layers of the drawing as
/// markup, and what changes in each row every round (see `Waves::draw`).
struct Waves {
    /// Each row's decades, grid lines and their labels, which change with the scale's top; and
    /// before the run starts, the hint to press Play.
    grid: String,
    /// The time axis, its labels' places and texts: it slides with the window every round.
    axis: Vec<[String; 2]>,
    /// Each row's label, capacity path and line path, and where the row's label sits.
    rows: Vec<([String; 3], f64)>,
    axis_y: f64,
}

fn waves(samples: &[TickSample], lanes: &[LaneView], width: f64) -> Waves {
    let (row_height, height) = (row_height(width), chart_height(width));
    let first = samples.first().map_or(0, |sample| sample.tick);
    let last = samples.last().map_or(1, |sample| sample.tick);
    let end_seconds = (f64::from(last) / f64::from(TICKS_PER_SECOND)).max(WINDOW_TICKS as f64 / f64::from(TICKS_PER_SECOND));
    let start_seconds = end_seconds - WINDOW_TICKS as f64 / f64::from(TICKS_PER_SECOND);
    let x = Scale::new((start_seconds, end_seconds), (LEFT, width - RIGHT));
    let peak = samples.iter().flat_map(|sample| sample.attempts.iter().map(|&a| f64::from(a)).chain([sample.capacity_per_tick])).fold(9.0, f64::max);
    // The scale's top is rounded up to a quarter of a decade, so it (and the grid) holds still
    // from round to round instead of following every new peak.
    let top = (log_height(peak) * 4.0).ceil() / 4.0;
    let seconds = |tick: u32| f64::from(tick) / f64::from(TICKS_PER_SECOND);
    // The capacity only changes at brownouts: keep the corners of its steps, not every tick.
    let mut capacity: Vec<(f64, f64)> = Vec::new();
    for sample in samples {
        let point = (seconds(sample.tick), log_height(sample.capacity_per_tick));
        if let Some(&(_, previous)) = capacity.last() {
            if previous != point.1 {
                capacity.push((point.0, previous));
                capacity.push(point);
            }
        } else {
            capacity.push(point);
        }
    }
    if let Some(last) = samples.last() {
        capacity.push((seconds(last.tick), log_height(last.capacity_per_tick)));
    }
    let decades: Vec<f64> = [1.0, 10.0, 100.0, 1_000.0, 10_000.0].into_iter().filter(|&value| log_height(value) <= top).collect();
    // Ticks are grouped from tick 0 on, not from the window's start, so a group keeps its ticks
    // (and the line its shape) as the window slides. At a point every two ticks (750 a lane, more
    // than the chart has pixels), this redraw was the round's longest frame, 22 to 25 ms with the
    // CPU throttled 4x; at one every 2 px, its script fell by 1 to 1.5 ms of 7 to 9 (Chromium
    // trace, 2026-12-07).
    let per_point = ((WINDOW_TICKS as f64 * PX_PER_POINT / (width - LEFT - RIGHT)).ceil() as u32).max(1);
    let mut grid = String::new();
    let rows = (0..LANES).map(|lane| {
        let row_top = TOP + lane as f64 * (row_height + ROW_GAP) + ROW_GAP;
        let y = Scale::new((0.0, top), (row_top + row_height, row_top));
        let points: Vec<(f64, f64)> = samples
            .chunk_by(|a, b| a.tick / per_point == b.tick / per_point)
            .map(|group| {
                let busiest = group.iter().map(|sample| sample.attempts[lane]).max().unwrap_or(0);
                (seconds(group[0].tick), log_height(f64::from(busiest)))
            })
            .collect();
        let peak_here = samples.iter().map(|sample| sample.attempts[lane]).max().unwrap_or(0);
        // What tells the lanes apart is how much load each one adds, not the burst they share.
        let name = lanes.get(lane).map(LaneView::label).unwrap_or_default();
        let load = lanes.get(lane).and_then(|lane| lane.totals.amplification()).filter(|value| value.is_finite());
        let options = match load {
            Some(load) => vec![format!("{name} · {load:.2}× load · peak {peak_here} per tick"), format!("{name} · {load:.2}× load"), name.clone()],
            None => vec![name.clone()],
        };
        let label = ruler::first_that_fits(&options, LABEL_FONT, width - LEFT - RIGHT).to_string();
        // Every decade gets its grid line; labels only where they have room (12 px apart).
        let mut last_label_y = f64::INFINITY;
        for &value in &decades {
            let py = Tenths(y.map(log_height(value)));
            let _ = write!(grid, r#"<line class="retries-grid" x1="{LEFT}" x2="{}" y1="{py}" y2="{py}"></line>"#, width - RIGHT);
            if last_label_y - py.0 >= 12.0 {
                last_label_y = py.0;
                let _ = write!(grid, r#"<text class="retries-axis" x="{}" y="{}" text-anchor="end">{}</text>"#, LEFT - 5.0, Tenths(py.0 + 4.0), short_number(value));
            }
        }
        ([label, path(&capacity, x, y), path(&points, x, y)], row_top - 3.0)
    }).collect();
    let axis_y = height - AXIS + 14.0;
    let mut axis = Vec::new();
    for tick in nice_ticks(start_seconds.max(0.0), end_seconds, ((width - LEFT - RIGHT) / 70.0).clamp(2.0, 6.0) as usize) {
        // Centred under its time, but kept inside the drawing.
        let text = format!("{} s", short_number(tick));
        let half = ruler::text_width(&text, AXIS_FONT) / 2.0;
        axis.push([Tenths(x.map(tick).clamp(half + 2.0, width - half - 2.0)).to_string(), text]);
    }
    if first == 0 && last <= 1 {
        let _ = write!(grid, r#"<text class="retries-axis" x="{}" y="{}" text-anchor="middle">Press Play to start the run.</text>"#, width / 2.0, height / 2.0);
    }
    Waves { grid, axis, axis_y, rows }
}

/// What the wave chart last wrote in its layers.
#[derive(Default)]
struct Drawn {
    grid: String,
    axis: Vec<[String; 2]>,
    /// Where the rows' labels sat, which the rows' markup fixes.
    tops: Vec<f64>,
    /// Each row's capacity and line path data, as last set.
    paths: Vec<[String; 2]>,
}

impl Drawn {
    /// Writes each layer whose markup changed, and the rows whole when they moved; otherwise
    /// sets only each row's label and path data, and the axis labels' places and texts. The
    /// chart's `<svg>` stays, so the browser lays out the drawing alone. Built in the view, the
    /// chart was also mostly changed in place (Leptos updates the attributes of a view of the
    /// same shape), and its frame took as long: 14.2 to 15.3 ms against 13.6 to 16.0 at 8x with
    /// the CPU throttled 4x (Chromium trace, 2026-12-07). Written as markup, its code is 1.9 KB
    /// gzipped smaller.
    fn draw(&mut self, waves: Waves, [grid, rows, axis]: [&web_sys::Element; 3]) {
        in_place::write(grid, &mut self.grid, waves.grid);
        if waves.axis.len() == self.axis.len() {
            for (text, ([x, label], [last_x, _])) in in_place::children(axis).zip(waves.axis.into_iter().zip(&mut self.axis)) {
                in_place::set_attribute(&text, "x", last_x, x);
                in_place::set_text(&text, &label);
            }
        } else {
            let mut markup = String::new();
            for [x, label] in &waves.axis {
                let _ = write!(markup, r#"<text class="retries-axis" x="{x}" y="{}" text-anchor="middle">{label}</text>"#, waves.axis_y);
            }
            axis.set_inner_html(&markup);
            self.axis = waves.axis;
        }
        let tops: Vec<f64> = waves.rows.iter().map(|row| row.1).collect();
        if tops == self.tops {
            let mut elements = in_place::children(rows);
            for (([label, capacity, line], _), [last_capacity, last_line]) in waves.rows.into_iter().zip(&mut self.paths) {
                let (Some(text), Some(dashed), Some(solid)) = (elements.next(), elements.next(), elements.next()) else { break };
                in_place::set_text(&text, &label);
                in_place::set_attribute(&dashed, "d", last_capacity, capacity);
                in_place::set_attribute(&solid, "d", last_line, line);
            }
            return;
        }
        let mut markup = String::new();
        for (lane, ([label, capacity, line], label_y)) in waves.rows.iter().enumerate() {
            let _ = write!(
                markup,
                r#"<text class="retries-row__label" x="{LEFT}" y="{label_y}">{}</text><path class="retries-capacity" d="{capacity}"></path><path class="retries-line" d="{line}" stroke="{}"></path>"#,
                escape(label),
                LANE_COLOURS[lane % LANES]
            );
        }
        self.paths = waves.rows.into_iter().map(|([_, capacity, line], _)| [capacity, line]).collect();
        rows.set_inner_html(&markup);
        self.tops = tops;
    }
}

fn table_row(lane: LaneView) -> impl IntoView {
    let totals = lane.totals;
    let colour = LANE_COLOURS[lane.index % LANES];
    let given_up = totals.exhausted + totals.denied_by_budget;
    view! {
        <tr>
            <th scope="row">
                <svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke=colour stroke-width="3" /></svg>
                " "{lane.label()}
            </th>
            <td>{ratio(totals.amplification(), |value| format!("{value:.2}×"))}</td>
            <td>{ratio(totals.success_rate(), |value| format!("{:.1}%", value * 100.0))}</td>
            <td>{milliseconds(totals.completion.percentile(0.5))}</td>
            <td>{milliseconds(totals.completion.percentile(0.99))}</td>
            <td>{given_up.to_string()}</td>
            <td>{lane.pending_retries.to_string()}</td>
        </tr>
    }
}

fn view(runner: Runner<RetryRace>) -> impl IntoView {
    let set_capacity = Callback::new(move |raw: String| {
        let percent = NumberRule::integer(0.0, 100.0).parse(&raw)? as u32;
        if runner.with_state(|race| race.capacity_percent()) != percent {
            runner.act(if percent == 100 { Action::Recover } else { Action::Brownout(percent) });
        }
        Ok(())
    });
    // A memo, so the field is rewritten only when the capacity changes, not on every tick.
    let capacity_now = Memo::new(move |_| runner.with_sampled(|t| t.state().capacity_percent().to_string()));
    let container = NodeRef::new();
    let width = fitted_width(container, FIT);
    // The chart and the table follow the run at the charts' pace; the stage above moves every frame.
    let recent = runner.sampled(|timeline| timeline.state().series().recent(WINDOW_TICKS).copied().collect::<Vec<TickSample>>());
    let lanes = runner.sampled(|timeline| timeline.state().lanes().collect::<Vec<LaneView>>());
    // The chart and the table are redrawn in frames of their own while the run plays.
    let (chart_phase, table_phase) = (Phase::block(), Phase::block());
    let (grid, rows, axis) = (NodeRef::<leptos::svg::G>::new(), NodeRef::<leptos::svg::G>::new(), NodeRef::<leptos::svg::G>::new());
    let drawn = std::cell::RefCell::new(Drawn::default());
    let summary = RwSignal::new(String::new());
    redraw(move |_| {
        let _in_phase = chart_phase.enter();
        let width = width.get();
        let lanes = lanes.get();
        let waves = recent.with(|samples| {
            summary.set(
                lanes
                    .iter()
                    .map(|lane| format!("{}: peak {} attempts in a tick", lane.label(), samples.iter().map(|sample| sample.attempts[lane.index]).max().unwrap_or(0)))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            waves(samples, &lanes, width)
        });
        if let (Some(grid), Some(rows), Some(axis)) = (grid.get(), rows.get(), axis.get()) {
            drawn.borrow_mut().draw(waves, [grid.as_ref(), rows.as_ref(), axis.as_ref()]);
        }
    });
    let chart = view! {
        <svg class="retries-chart fitted" viewBox=move || format!("0 0 {} {}", width.get(), chart_height(width.get())) role="img"
            aria-label=move || format!("Attempts per tick over the last 15 seconds, log scale, capacity dashed. {}.", summary.get())>
            <g node_ref=grid></g>
            <g node_ref=rows></g>
            <g node_ref=axis></g>
        </svg>
    };
    let open = panel_beside_stage();
    let table_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.2} s", tick as f64 * f64::from(TICK_MS) / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <h3>"Attempts per tick, last 15 s (log scale; dashed: what the server can answer)"</h3>
                <div class="viz__drawing viz__figure" node_ref=container>{chart}</div>
                <div class="viz__island" node_ref=table_island><div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways on narrow screens)">
                    <table class="retries-table">
                        <caption>"Since the start of the run"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Lane"</th>
                                <th scope="col">"Attempts per request"</th>
                                <th scope="col">"Succeeded"</th>
                                <th scope="col">"Time to success, p50"</th>
                                <th scope="col">"p99"</th>
                                <th scope="col">"Gave up"</th>
                                <th scope="col">"Waiting"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || { let _in_phase = table_phase.enter(); lanes.get() }.into_iter().map(table_row).collect_view()}
                        </tbody>
                    </table>
                </div></div>
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"The server (changes live)"</legend>
                    <p class="retries-capacity-now" aria-live="polite">{move || runner.with_sampled(|t| {
                        let race = t.state();
                        let percent = race.capacity_percent();
                        let per_second = u64::from(race.config().capacity_per_second) * u64::from(percent) / 100;
                        format!("Capacity now: {percent}% ({per_second} attempts per second){}", if percent < 100 { " — BROWNOUT" } else { "" })
                    })}</p>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| {
                            let level = runner.with_state(|race| race.config().brownout_percent);
                            runner.act(Action::Brownout(level));
                        }>{move || runner.with_sampled(|t| format!("Brown out to {}%", t.state().config().brownout_percent))}</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Recover)>"Recover"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Burst)>
                            {move || runner.with_sampled(|t| format!("Burst: {} clients send now", t.state().config().clients))}
                        </button>
                    </div>
                    <ValidatedField id=scoped_id("retries-capacity") label="Capacity now (% of normal, 0–100)" inputmode="numeric"
                        current=capacity_now commit=set_capacity />
                    <label class="toggle">
                        <input type="checkbox"
                            prop:checked=move || runner.with_sampled(|t| t.state().budget_everywhere())
                            on:change=move |event| runner.act(Action::BudgetEverywhere(event_target_checked(&event))) />
                        <span>"Retry budget on every lane"</span>
                    </label>
                </fieldset>
                <details class="viz__fold" open=open>
                <summary>"Traffic, brownout and retry settings"</summary>
                <ParamSet runner=runner legend="Traffic and brownout (start a new run)" keys=&["rate", "clients", "capacity", "level", "start", "length", "burst"] />
                <ParamSet runner=runner legend="Retries (start a new run)" keys=&["attempts", "base", "cap", "budget"] />
                </details>
            </div>
        </div>
    }
}

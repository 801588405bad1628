//! The cache eviction visualizer: six policies fed the same requests, their caches drawn on the
//! stage, their hit ratios charted over time, and, on request, the hit ratio each reaches at
//! every cache size beside Bélády's optimum. All the counting lives in the model
//! (`viz::eviction`); this file lays it out.

use atlas::widgets::{ParamSet, show_stats, ValidatedField};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::{redraw, stage, Controls, LineChart, Phase, Runner, Series, LINE_STYLES};
use atlas_components::diagram::svg::escape;
use atlas_components::sim::number::NumberRule;
use atlas_components::viz::eviction::{curve_sizes, hit_ratio_curve, stage::stage as draw_stage, Action, Eviction, Kind, EVICTION_PARAMS, MAX_CACHE, MIN_CACHE, TICK_SECONDS};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// Ten ticks a second at 1×, each 20 requests by default: slow enough to follow one request's
/// fate on the stage, and the model's events stay in the narration for a second.
const TICKS_PER_SECOND: f64 = 1.0 / TICK_SECONDS;
/// Twenty simulated minutes.
const LIMIT: u64 = 12_000;
/// The chart shows the last minute.
const WINDOW_SAMPLES: usize = 600;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Eviction>::start(&tool, EVICTION_PARAMS, TICKS_PER_SECOND, LIMIT)));
}

fn view(runner: Runner<Eviction>) -> impl IntoView {
    let x_range = runner.sampled(|t| {
        let now = t.state().series().last().map_or(0.0, |sample| f64::from(sample.tick) * TICK_SECONDS);
        ((now - 60.0).max(0.0), now.max(10.0))
    });
    let lines = runner.sampled(|t| {
        let series = t.state().series();
        Kind::ONLINE
            .iter()
            .zip(LINE_STYLES)
            .enumerate()
            .map(|(lane, (kind, (colour, dash)))| Series { label: kind.label(), colour, dash, points: series.points(lane, WINDOW_SAMPLES).into_iter().map(|(x, y)| (x, y * 100.0)).collect() })
            .collect::<Vec<_>>()
    });
    // The figures have a frame of their own while the run plays.
    let stats_phase = Phase::block();
    let stats = NodeRef::new();
    redraw(move |_| {
        runner.with_sampled_in(stats_phase, |t| {
            let eviction = t.state();
            let rows: Vec<(&str, String)> = eviction
                .lanes()
                .iter()
                .enumerate()
                .map(|(lane, counts)| {
                    let ratio = counts.hit_ratio().map_or("—".to_string(), |ratio| format!("{:.1}%", ratio * 100.0));
                    (counts.kind().label(), format!("{ratio} · {}/{} popular", eviction.popular_cached(lane), eviction.capacity()))
                })
                .collect();
            show_stats(stats, &rows)
        })
    });
    let capacity = Memo::new(move |_| runner.timeline.with(|t| t.state().capacity().to_string()));
    let resize = Callback::new(move |raw: String| {
        NumberRule::integer(f64::from(MIN_CACHE), f64::from(MAX_CACHE)).parse(&raw).map(|size| {
            if runner.with_state(|eviction| eviction.capacity()) != size as u32 {
                runner.act(Action::Capacity(size as u32));
            }
        })
    });
    // The curves replay 20,000 requests through every policy at every size: worked out only
    // when the reader opens them, and again only when the run's settings change.
    let curves_open = RwSignal::new(false);
    let run = Memo::new(move |_| runner.timeline.with(|t| (t.params().clone(), t.seed())));
    let curves = Memo::new(move |_| curves_open.get().then(|| run.with(|(params, seed)| curve_table(params, *seed))));
    let open = panel_beside_stage();
    let table_island = island();
    let stats_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.1} s", tick as f64 * TICK_SECONDS)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <LineChart title="Hit ratio over each policy's last 1,000 requests (%)" x_range=x_range y_max=100.0 unit="%" series=lines />
                <details class="viz__fold" on:toggle=move |event| curves_open.set(event_target::<web_sys::HtmlDetailsElement>(&event).open())>
                    <summary><h3>"Hit ratio against cache size"</h3></summary>
                    <p class="muted">"The first 20,000 requests of this run's stream, replayed at each size through every policy and through Bélády's optimum, which knows the future and bounds them all."</p>
                    <div class="viz__island" node_ref=table_island><div class="table-scroll" tabindex="0" role="region" aria-label="Hit ratio by cache size (scrolls sideways on narrow screens)" inner_html=move || curves.get().unwrap_or_default()></div></div>
                </details>
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Change the running caches"</legend>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Scan)>"Start a scan now"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Shift)>"Move the hot set"</button>
                    </div>
                    <ValidatedField id=scoped_id("eviction-size") label=format!("Cache size, every policy (objects, {MIN_CACHE}–{MAX_CACHE})") inputmode="numeric" current=capacity commit=resize />
                </fieldset>
                <div class="viz__island" node_ref=stats_island><dl class="stat-grid" aria-label="Each policy: its hit ratio since the start, and how many of its cached objects are popular keys rather than a scan's" node_ref=stats></dl></div>
                <details class="viz__fold" open=open>
                    <summary>"Requests (start a new run)"</summary>
                    <ParamSet runner=runner legend="The request stream" keys=&["trace", "keys", "skew", "rate", "scan", "every", "cache"] />
                </details>
            </div>
        </div>
    }
}

/// The curves as a table: a row per cache size, a column per policy and the optimum, in
/// percent. One string, every text escaped.
fn curve_table(params: &atlas_components::sim::Params, seed: u64) -> String {
    let sizes = curve_sizes(params);
    let curves = hit_ratio_curve(params, seed, &sizes);
    let mut html = String::from(r#"<table class="eviction-curves"><thead><tr><th scope="col">Cache size</th>"#);
    for curve in &curves {
        html.push_str(&format!(r#"<th scope="col">{}</th>"#, escape(curve.kind.label())));
    }
    html.push_str("</tr></thead><tbody>");
    for (row, size) in sizes.iter().enumerate() {
        html.push_str(&format!(r#"<tr><th scope="row">{size}</th>"#));
        for curve in &curves {
            let ratio = curve.ratios.get(row).copied().unwrap_or(f64::NAN);
            html.push_str(&if ratio.is_finite() { format!("<td>{:.1}%</td>", ratio * 100.0) } else { "<td>—</td>".to_string() });
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    html
}

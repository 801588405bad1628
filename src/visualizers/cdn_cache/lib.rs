//! The CDN cache visualizer: users in three regions, their edges with the hottest objects'
//! freshness clocks, an optional origin shield and the origin, requests travelling as far as
//! they must; purges, publishes, an origin outage and a CDN failover under the reader's hand,
//! and every setting live. All of it comes from the model (`viz::cdn`); this file lays it out.

use atlas::widgets::{show_stats, Live, ParamSet};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::{redraw, stage, Controls, LineChart, Phase, Runner, Series, LINE_STYLES};
use atlas_components::viz::cdn::stage::stage as draw_stage;
use atlas_components::viz::cdn::{cdn_name, object_name, Action, Cdn, Measure, Metric, Region, CDNS, CDN_LIMIT, CDN_PARAMS, CDN_TICKS_PER_SECOND, TICK_MS};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// The charts show the last minute of simulated time (samples every 500 ms).
const WINDOW_SAMPLES: usize = 120;
/// Objects the picker offers: the most popular ones, where purges and publishes show.
const PICKABLE: usize = 10;
/// Every setting is live: a change acts on the running model (`Action::from_param`).
const LIVE: Live<Cdn> = Live { current: |cdn, key| cdn.config().value(key), action: Action::from_param };

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Cdn>::start(&tool, CDN_PARAMS, CDN_TICKS_PER_SECOND, CDN_LIMIT)));
}

fn view(runner: Runner<Cdn>) -> impl IntoView {
    let x_range = runner.sampled(|t| {
        let now = t.state().time_ms() as f64 / 1000.0;
        ((now - 60.0).max(0.0), now.max(5.0))
    });
    let per_region = move |measure: Measure| {
        runner.sampled(move |t| {
            let series = t.state().series();
            let mut lines: Vec<Series> = Region::ALL
                .iter()
                .zip(LINE_STYLES)
                .map(|(region, (colour, dash))| Series { label: region.name(), colour, dash, points: series.points(Metric { measure, region: Some(*region) }, WINDOW_SAMPLES) })
                .collect();
            if measure == Measure::OriginPerSecond {
                let (colour, dash) = LINE_STYLES[Region::ALL.len()];
                lines.push(Series { label: "All regions", colour, dash, points: series.points(Metric { measure, region: None }, WINDOW_SAMPLES) });
            }
            lines
        })
    };
    // The figures have a frame of their own while the run plays.
    let stats_phase = Phase::block();
    let stats = NodeRef::new();
    redraw(move |_| {
        runner.with_sampled_in(stats_phase, |t| {
            let cdn = t.state();
            let mut rows: Vec<(String, String)> = Region::ALL
                .iter()
                .map(|region| {
                    let recent = cdn.recent(*region);
                    let ratio = recent.hit_ratio().map_or("no requests".to_string(), |ratio| format!("{:.0}% answered from a cached copy", ratio * 100.0));
                    let latency = match (recent.p50_ms, recent.p99_ms) {
                        (Some(p50), Some(p99)) => format!(", p50 {p50} ms, p99 {p99} ms"),
                        _ => String::new(),
                    };
                    let trouble = match (recent.counts.stale(), recent.counts.errors) {
                        (0, 0) => String::new(),
                        (stale, errors) => format!(", {stale} stale, {errors} errors"),
                    };
                    (region.name().to_string(), format!("{ratio}{latency}{trouble}"))
                })
                .collect();
            rows.push(("Origin fetches".to_string(), format!("{:.1} per second", cdn.origin_per_second())));
            rows.push(("Serving".to_string(), cdn_name(cdn.serving()).to_string()));
            show_stats(stats, &rows.iter().map(|(label, value)| (label.as_str(), value.clone())).collect::<Vec<_>>())
        })
    });
    let objects = Memo::new(move |_| runner.timeline.with(|t| t.state().config().objects.min(PICKABLE)));
    let chosen = RwSignal::new(0u16);
    let on_chosen = move |make: fn(u16) -> Action| runner.act(make(chosen.get_untracked()));
    let origin_up = Memo::new(move |_| runner.timeline.with(|t| t.state().origin_up()));
    let cdn_up = Memo::new(move |_| runner.timeline.with(|t| (0..CDNS).map(|cdn| t.state().cdn_up(cdn)).collect::<Vec<_>>()));
    let picker = scoped_id("cdn-object");
    let open = panel_beside_stage();
    let stats_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.2} s", tick as f64 * f64::from(TICK_MS) / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <div class="viz__island" node_ref=stats_island><dl class="stat-grid stat-grid--sentences" aria-label="The last 5 simulated seconds, by region" node_ref=stats></dl></div>
                <LineChart title="Share answered from a cached copy, fresh or stale, by region" x_range=x_range series=per_region(Measure::HitRatio) y_max=1.0 />
                <LineChart title="Origin fetches per second" x_range=x_range series=per_region(Measure::OriginPerSecond) />
                <LineChart title="p99 latency by region (ms)" x_range=x_range series=per_region(Measure::P99Ms) />
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Content (acts on the running CDN)"</legend>
                    <div class="field">
                        <label for=picker.clone()>"Object (most popular first)"</label>
                        <select id=picker on:change=move |event| chosen.set(event_target_value(&event).parse().unwrap_or(0)) prop:value=move || chosen.get().to_string()>
                            {move || (0..objects.get()).map(|object| view! { <option value=object.to_string()>{object_name(object)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Publish)>"Publish a new version"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Purge)>"Purge"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::SoftPurge)>"Soft purge"</button>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Failures"</legend>
                    <div class="button-row">
                        <button type="button" class="button button--primary" on:click=move |_| runner.act(if origin_up.get_untracked() { Action::OriginDown } else { Action::OriginUp })>
                            {move || if origin_up.get() { "Take the origin down" } else { "Bring the origin back" }}
                        </button>
                        {(0..CDNS).map(|cdn| view! {
                            <button type="button" class="button" on:click=move |_| {
                                let up = cdn_up.with_untracked(|up| up.get(cdn).copied().unwrap_or(true));
                                runner.act(if up { Action::FailCdn(cdn as u8) } else { Action::RestoreCdn(cdn as u8) });
                            }>
                                {move || format!("{} {}", if cdn_up.with(|up| up.get(cdn).copied().unwrap_or(true)) { "Fail" } else { "Restore" }, cdn_name(cdn))}
                            </button>
                        }).collect_view()}
                    </div>
                </fieldset>
                <details class="viz__fold" open=open>
                    <summary>"Cache-Control, shield and traffic (change the running CDN)"</summary>
                    <ParamSet runner=runner legend="Cache-Control, shield and traffic (change the running CDN)" keys=&["ttl", "swr", "sie", "shield", "mode", "coalesce", "rate", "objects", "skew"] live=LIVE />
                </details>
            </div>
        </div>
    }
}

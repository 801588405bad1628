//! The B-tree vs LSM tree visualizer: one stream of operations through both engines, drawn over
//! one key axis (pages splitting and merging, the memtable flushing, tables compacting down the
//! levels, Bloom filters letting reads skip tables), with the write, read and space
//! amplification each pays charted beside it. Every setting but the page size acts on the
//! running engines. All of it comes from the model (`viz::storage`); this file lays it out.

use atlas::widgets::{show_stats, Live, ParamSet};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas::harness::kit;
use atlas::harness::{redraw, stage, Controls, LineChart, Runner, Series, LINE_STYLES};
use atlas_components::viz::storage::stage::stage as draw_stage;
use atlas_components::viz::storage::{Action, Engine, Measure, Metric, Storage, STORAGE_LIMIT, STORAGE_PARAMS, STORAGE_TICKS_PER_SECOND, TICK_MS};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// The charts show the last two minutes of simulated time (a sample a second).
const WINDOW_SAMPLES: usize = 120;
/// Every setting but the page size is live: a change acts on the running model.
const LIVE: Live<Storage> = Live { current: |storage, key| storage.config().value(key), action: Action::from_param };

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Storage>::start(&tool, STORAGE_PARAMS, STORAGE_TICKS_PER_SECOND, STORAGE_LIMIT)));
}

fn view(runner: Runner<Storage>) -> impl IntoView {
    let x_range = runner.sampled(|t| {
        let now = t.state().time_ms() as f64 / 1000.0;
        ((now - 120.0).max(0.0), now.max(10.0))
    });
    let by_engine = move |measure: Measure| {
        runner.sampled(move |t| {
            let series = t.state().series();
            Engine::ALL.iter().zip(LINE_STYLES).map(|(engine, (colour, dash))| Series { label: engine.name(), colour, dash, points: series.points(Metric { measure, engine: *engine }, WINDOW_SAMPLES) }).collect::<Vec<_>>()
        })
    };
    let stats = NodeRef::new();
    redraw(move |_| runner.with_sampled(|t| show_stats(stats, &t.state().figures())));
    let open = panel_beside_stage();
    let stats_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.2} s", tick as f64 * f64::from(TICK_MS) / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <div class="viz__island" node_ref=stats_island><dl class="stat-grid stat-grid--sentences" aria-label="What each engine pays for the same operations" node_ref=stats></dl></div>
                <LineChart title="Write amplification over the last 30 s: records written to disk per record written" x_range=x_range series=by_engine(Measure::Write) unit="×" />
                <LineChart title="Pages or blocks read per point read, over the last 30 s" x_range=x_range series=by_engine(Measure::Get) />
                <LineChart title="Space amplification: records stored per live record" x_range=x_range series=by_engine(Measure::Space) unit="×" />
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Act on the running engines"</legend>
                    <div class="button-row">
                        <button type="button" class="button button--primary" on:click=move |_| runner.act(Action::DeleteRange)>{Action::DeleteRange.label()}</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Flush)>{Action::Flush.label()}</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Compact)>{Action::Compact.label()}</button>
                    </div>
                </fieldset>
                <ParamSet runner=runner legend="LSM tree (changes the running engine)" keys=&["memtable", "ratio", "bloom"] live=LIVE />
                <ParamSet runner=runner legend="B-tree (starts a new run)" keys=&["page"] />
                <details class="viz__fold" open=open>
                    <summary>"Workload (changes the running system)"</summary>
                    <ParamSet runner=runner legend="Workload (changes the running system)" keys=&["insert", "update", "delete", "get", "scan", "dist", "rate"] live=LIVE />
                </details>
            </div>
        </div>
    }
}

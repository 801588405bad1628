//! The load balancer visualizer: one arrival stream fed to six balancers, each with its own
//! copy of the servers; the one in focus drawn on the stage with its queues and travelling
//! requests, all six compared by p50 and p99, and the servers under the reader's hand (kill,
//! revive, slow down, add, drain; sticky sessions). All of it comes from the model
//! (`viz::balancer`); this file lays it out.

use atlas::widgets::{show_stats, ParamSet};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::{redraw, stage, Controls, LineChart, Phase, Runner, Series, LINE_STYLES};
use atlas_components::viz::balancer::stage::{failed_share, pair, stage as draw_stage};
use atlas_components::viz::balancer::{name, Action, Algorithm, Balancer, BALANCER_LIMIT, BALANCER_PARAMS, BALANCER_TICKS_PER_SECOND, TICK_MS};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// The chart shows the last ten simulated seconds (100 s at 1×).
const WINDOW_SAMPLES: usize = 100;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Balancer>::start(&tool, BALANCER_PARAMS, BALANCER_TICKS_PER_SECOND, BALANCER_LIMIT)));
}

fn view(runner: Runner<Balancer>) -> impl IntoView {
    let x_range = runner.sampled(|t| {
        let now = t.state().time_ms() as f64 / 1000.0;
        ((now - 10.0).max(0.0), now.max(2.0))
    });
    let lines = runner.sampled(|t| {
        let series = t.state().series();
        Algorithm::ALL.iter().zip(LINE_STYLES).map(|(algorithm, (colour, dash))| Series { label: algorithm.label(), colour, dash, points: series.points(algorithm.index(), WINDOW_SAMPLES) }).collect::<Vec<_>>()
    });
    // The figures have a frame of their own while the run plays.
    let stats_phase = Phase::block();
    let stats = NodeRef::new();
    redraw(move |_| {
        runner.with_sampled_in(stats_phase, |t| {
            let balancer = t.state();
            let rows: Vec<(&str, String)> = Algorithm::ALL
                .iter()
                .map(|algorithm| {
                    let fleet = balancer.fleet(*algorithm);
                    let latencies = fleet.latencies();
                    let failed = failed_share(fleet).map_or(String::new(), |share| format!(" · {share} failed"));
                    (algorithm.label(), format!("{}{failed}", pair(latencies.percentile(0.5), latencies.percentile(0.99))))
                })
                .collect();
            show_stats(stats, &rows)
        })
    });
    // The servers still in the pool, for the picker: (slot, "S3 (40 ms, slowed)").
    let servers = Memo::new(move |_| {
        runner.timeline.with(|t| {
            t.state()
                .servers()
                .iter()
                .enumerate()
                .filter(|(_, server)| !server.gone)
                .map(|(slot, server)| {
                    let mut state = vec![format!("{} ms", server.mean_ms())];
                    if server.dead {
                        state.push("dead".to_string());
                    }
                    if server.draining {
                        state.push("draining".to_string());
                    }
                    (slot as u8, format!("{} ({})", name(slot), state.join(", ")))
                })
                .collect::<Vec<_>>()
        })
    });
    let chosen = RwSignal::new(0u8);
    let on_chosen = move |make: fn(u8) -> Action| runner.act(make(chosen.get_untracked()));
    let sticky = Memo::new(move |_| runner.timeline.with(|t| t.state().sticky()));
    let picker = scoped_id("balancer-server");
    let open = panel_beside_stage();
    let stats_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.3} s", tick as f64 * f64::from(TICK_MS) / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <LineChart title="p99 latency over the last second, per balancer (ms)" x_range=x_range series=lines />
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"The servers (changes the running fleets)"</legend>
                    <div class="field">
                        <label for=picker.clone()>"Server"</label>
                        <select id=picker on:change=move |event| chosen.set(event_target_value(&event).parse().unwrap_or(0)) prop:value=move || chosen.get().to_string()>
                            {move || servers.get().into_iter().map(|(slot, label)| view! { <option value=slot.to_string()>{label}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Kill)>"Kill"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Revive)>"Revive"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Slow)>"Slow down ×4"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Restore)>"Restore speed"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Drain)>"Drain and remove"</button>
                        <button type="button" class="button button--primary" on:click=move |_| runner.act(Action::Add)>"Add a server"</button>
                    </div>
                    <label class="toggle">
                        <input type="checkbox" prop:checked=move || sticky.get() on:change=move |event| runner.act(Action::Sticky(event_target_checked(&event))) />
                        <span>"Sticky sessions (a user returns to the server it last used)"</span>
                    </label>
                </fieldset>
                <div class="viz__island" node_ref=stats_island><dl class="stat-grid" aria-label="Each balancer since the start: p50 and p99 latency, and the share of requests that failed" node_ref=stats></dl></div>
                <details class="viz__fold" open=open>
                    <summary>"Traffic and health checks (start a new run)"</summary>
                    <ParamSet runner=runner legend="Traffic and health checks (start a new run)" keys=&["focus", "speeds", "load", "workers", "interval", "unhealthy", "healthy"] />
                </details>
            </div>
        </div>
    }
}

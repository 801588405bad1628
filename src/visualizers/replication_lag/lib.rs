//! The replication lag visualizer: a leader streaming its log to followers that lag behind,
//! users posting and loading a thread through a read router, the anomalies that lag causes and
//! the guarantees that prevent them, the price each replication mode charges in write latency,
//! and a failover that loses what was never copied. Every control acts on the running cluster.
//! All of it comes from the model (`viz::replication`); this file lays it out.

use atlas::widgets::{show_stats, ParamSet, ValidatedField};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::{redraw, stage, Controls, LineChart, Phase, Runner, Series, LINE_STYLES};
use atlas_components::sim::number::NumberRule;
use atlas_components::viz::replication::stage::stage as draw_stage;
use atlas_components::viz::replication::{
    capitalised as capital, format_ms, name, Action, Guarantee, Mode, Replication, Role, LAG_MAX, LAG_MIN, MAX_NODES, MAX_READ_TENTHS, MAX_WRITE_TENTHS, PEOPLE, REPLICATION_LIMIT, REPLICATION_PARAMS, REPLICATION_TICKS_PER_SECOND,
};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// The chart shows the last ten simulated seconds (samples every 100 ms).
const WINDOW_SAMPLES: usize = 100;
/// What "Slow down" does to a node.
const SLOWDOWN: u8 = 4;
/// The chart's line labels, one per node slot (a `Series` label is static).
const NODE_LABELS: [&str; MAX_NODES] = ["db1", "db2", "db3", "db4", "db5"];

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Replication>::start(&tool, REPLICATION_PARAMS, REPLICATION_TICKS_PER_SECOND, REPLICATION_LIMIT)));
}

fn view(runner: Runner<Replication>) -> impl IntoView {
    let settings = Memo::new(move |_| runner.timeline.with(|t| *t.state().settings()));
    let x_range = runner.sampled(|t| {
        let now = t.state().time_ms() as f64 / 1000.0;
        ((now - 10.0).max(0.0), now.max(2.0))
    });
    let lines = runner.sampled(|t| {
        let model = t.state();
        let series = model.series();
        (0..MAX_NODES)
            .filter(|node| model.nodes()[*node].role != Role::Absent)
            .map(|node| {
                let (colour, dash) = LINE_STYLES[node % LINE_STYLES.len()];
                Series { label: NODE_LABELS[node], colour, dash, points: series.points(node, WINDOW_SAMPLES) }
            })
            .collect::<Vec<_>>()
    });
    // Each grid of figures has a frame of its own while the run plays.
    let (latency_phase, anomaly_phase) = (Phase::block(), Phase::block());
    let latency_rows = NodeRef::new();
    redraw(move |_| {
        runner.with_sampled_in(latency_phase, |t| {
            let model = t.state();
            let now = model.settings().mode;
            let rows: Vec<(String, String)> = Mode::ALL
                .iter()
                .map(|mode| {
                    let latencies = model.latencies(*mode);
                    let value = match (latencies.percentile(0.5), latencies.percentile(0.99)) {
                        (Some(p50), Some(p99)) => format!("{} / {}", format_ms(p50), format_ms(p99)),
                        _ => "no writes yet".to_string(),
                    };
                    let label = if *mode == now { format!("{} (in force)", capital(mode.label())) } else { capital(mode.label()) };
                    (label, value)
                })
                .collect();
            show_stats(latency_rows, &rows.iter().map(|(label, value)| (label.as_str(), value.clone())).collect::<Vec<_>>())
        })
    });
    let anomaly_rows = NodeRef::new();
    redraw(move |_| {
        runner.with_sampled_in(anomaly_phase, |t| {
            let model = t.state();
            let counts = model.counts();
            let on = model.settings().guarantees;
            let mut rows: Vec<(String, String)> = Guarantee::ALL
                .iter()
                .map(|guarantee| {
                    let state = if on.is_on(*guarantee) { "on" } else { "off" };
                    (format!("Broke {} ({state})", guarantee.label()), counts.stale[guarantee.index()].to_string())
                })
                .collect();
            rows.push(("Page loads".to_string(), counts.reads.to_string()));
            rows.push(("Acknowledged writes lost at failover".to_string(), counts.lost_acknowledged_total().to_string()));
            rows.push(("Unacknowledged writes lost".to_string(), counts.lost_unacknowledged.to_string()));
            rows.push(("Writes: sent / acknowledged".to_string(), format!("{} / {}", counts.writes, counts.acknowledged)));
            show_stats(anomaly_rows, &rows.iter().map(|(label, value)| (label.as_str(), value.clone())).collect::<Vec<_>>())
        })
    });
    // The nodes in the cluster, for the picker: (slot, "db2 (follower, 150 ms behind)").
    let nodes = Memo::new(move |_| {
        runner.timeline.with(|t| {
            let model = t.state();
            model
                .nodes()
                .iter()
                .enumerate()
                .filter(|(_, node)| node.role != Role::Absent)
                .map(|(slot, node)| {
                    let role = match node.role {
                        Role::Leader => "leader".to_string(),
                        Role::Follower if node.speed > 1 => format!("follower, {}× slower", node.speed),
                        Role::Follower => "follower".to_string(),
                        _ => "down".to_string(),
                    };
                    (slot as u8, format!("{} ({role})", name(slot)))
                })
                .collect::<Vec<_>>()
        })
    });
    let chosen = RwSignal::new(1u8);
    let on_chosen = move |make: fn(u8) -> Action| runner.act(make(chosen.get_untracked()));
    let picker = scoped_id("replication-node");
    let user = RwSignal::new(0u8);
    let user_picker = scoped_id("replication-user");
    let mode_name = scoped_id("replication-mode");
    let open = panel_beside_stage();
    let latency_rows_island = island();
    let anomaly_rows_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.3} s", tick as f64 / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <h3>"Write acknowledged after (p50 / p99), the same writes under each mode"</h3>
                <div class="viz__island" node_ref=latency_rows_island><dl class="stat-grid" node_ref=latency_rows></dl></div>
                <h3>"What readers saw"</h3>
                <div class="viz__island" node_ref=anomaly_rows_island><dl class="stat-grid" node_ref=anomaly_rows></dl></div>
                <LineChart title="How far behind the leader each follower is (ms)" x_range=x_range series=lines />
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"What the leader waits for before it says OK"</legend>
                    {Mode::ALL.into_iter().map(|mode| {
                        let name = mode_name.clone();
                        view! {
                            <label class="toggle">
                                <input type="radio" name=name prop:checked=move || settings.get().mode == mode on:change=move |_| runner.act(Action::Mode(mode)) />
                                <span>{format!("{}: {}", capital(mode.label()), mode.waits_for())}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <fieldset>
                    <legend>"Read guarantees the router keeps"</legend>
                    {Guarantee::ALL.into_iter().map(|guarantee| view! {
                        <label class="toggle">
                            <input type="checkbox" prop:checked=move || settings.get().guarantees.is_on(guarantee) on:change=move |event| runner.act(Action::Set(guarantee, event_target_checked(&event))) />
                            <span>{capital(guarantee.label())}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset>
                    <legend>"Lag and traffic (change the running cluster)"</legend>
                    <ValidatedField
                        id=scoped_id("replication-lag")
                        label=format!("Replication lag, mean ({LAG_MIN} to {LAG_MAX} ms)")
                        current=Signal::derive(move || settings.get().lag_ms.to_string())
                        inputmode="numeric"
                        commit=Callback::new(move |text: String| {
                            let ms = NumberRule::integer(f64::from(LAG_MIN), f64::from(LAG_MAX)).parse(&text)?;
                            runner.act(Action::Lag(ms as u16));
                            Ok(())
                        })
                    />
                    <ValidatedField
                        id=scoped_id("replication-writes")
                        label=format!("Writes per second (0 to {})", MAX_WRITE_TENTHS / 10)
                        current=Signal::derive(move || format!("{}", settings.get().writes_per_second()))
                        inputmode="decimal"
                        commit=Callback::new(move |text: String| {
                            let rate = NumberRule::new(0.0, f64::from(MAX_WRITE_TENTHS) / 10.0).parse(&text)?;
                            runner.act(Action::Writes((rate * 10.0).round() as u8));
                            Ok(())
                        })
                    />
                    <ValidatedField
                        id=scoped_id("replication-reads")
                        label=format!("Page loads per second (0 to {})", MAX_READ_TENTHS / 10)
                        current=Signal::derive(move || format!("{}", settings.get().reads_per_second()))
                        inputmode="decimal"
                        commit=Callback::new(move |text: String| {
                            let rate = NumberRule::new(0.0, f64::from(MAX_READ_TENTHS) / 10.0).parse(&text)?;
                            runner.act(Action::Reads((rate * 10.0).round() as u8));
                            Ok(())
                        })
                    />
                </fieldset>
                <fieldset>
                    <legend>"Nodes (act on the running cluster)"</legend>
                    <div class="button-row">
                        <button type="button" class="button button--primary" on:click=move |_| runner.act(Action::Fail(None))>"Fail the leader"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Add)>"Add a follower"</button>
                    </div>
                    <div class="field">
                        <label for=picker.clone()>"Node"</label>
                        <select id=picker on:change=move |event| chosen.set(event_target_value(&event).parse().unwrap_or(0)) prop:value=move || chosen.get().to_string()>
                            {move || nodes.get().into_iter().map(|(slot, label)| view! { <option value=slot.to_string()>{label}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| on_chosen(|node| Action::Fail(Some(node)))>"Fail the leader, promote this node"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(|node| Action::Speed(node, SLOWDOWN))>"Slow down ×4"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(|node| Action::Speed(node, 1))>"Restore speed"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Rejoin)>"Rejoin as a follower"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Remove)>"Remove"</button>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"A user, by hand"</legend>
                    <div class="field">
                        <label for=user_picker.clone()>"User"</label>
                        <select id=user_picker on:change=move |event| user.set(event_target_value(&event).parse().unwrap_or(0)) prop:value=move || user.get().to_string()>
                            {PEOPLE.iter().enumerate().map(|(index, person)| view! { <option value=index.to_string()>{person.name}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Post(user.get_untracked()))>"Post"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Read(user.get_untracked()))>"Load the page"</button>
                    </div>
                </fieldset>
                <details class="viz__fold" open=open>
                    <summary>"Cluster at the start (start a new run)"</summary>
                    <ParamSet runner=runner legend="Cluster at the start (start a new run)" keys=&["followers", "slow"] />
                </details>
            </div>
        </div>
    }
}

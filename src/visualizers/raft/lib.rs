//! The Raft visualizer: servers on a ring electing a leader and replicating a log, messages
//! travelling between them, and the reader's faults (stop, restart, time out, drop, split).
//! All of it comes from the model (`viz::raft`); this file lays it out.

use atlas::widgets::{show_stats, ParamSet};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::{redraw, stage, Controls, Phase, Runner};
use atlas_components::viz::raft::{name, stage::stage as draw_stage, Action, Raft, RAFT_LIMIT, RAFT_PARAMS, RAFT_TICKS_PER_SECOND};
use leptos::prelude::*;
use web_sys::HtmlElement;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Raft>::start(&tool, RAFT_PARAMS, RAFT_TICKS_PER_SECOND, RAFT_LIMIT)));
}

fn view(runner: Runner<Raft>) -> impl IntoView {
    let count = Memo::new(move |_| runner.timeline.with(|t| t.state().servers().len()));
    let chosen = RwSignal::new(0u8);
    let on_chosen = move |make: fn(u8) -> Action| runner.act(make(chosen.get_untracked()));
    // The split the reader builds: the servers ticked go to one side, the rest to the other.
    let side = RwSignal::new(0b11u8);
    // The figures have a frame of their own while the run plays.
    let stats_phase = Phase::block();
    let stats = NodeRef::new();
    redraw(move |_| {
        runner.with_sampled_in(stats_phase, |t| {
            let raft = t.state();
            let leader = raft.leader().map_or("none".to_string(), name);
            show_stats(stats, &[
                ("Leader", leader),
                ("Elections", raft.elections().to_string()),
                ("Committed entries", raft.committed().to_string()),
                ("Messages in flight", raft.messages().len().to_string()),
                ("Dropped", raft.dropped().to_string()),
            ])
        })
    });
    let picker = scoped_id("raft-server");
    let open = panel_beside_stage();
    let stats_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{tick} ms")) />
        <div class="viz__grid">
            <div class="viz__stage">
                <div class="viz__island" node_ref=stats_island><dl class="stat-grid" node_ref=stats></dl></div>
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Faults and requests (act on the running cluster)"</legend>
                    <div class="field">
                        <label for=picker.clone()>"Server"</label>
                        <select id=picker on:change=move |event| chosen.set(event_target_value(&event).parse().unwrap_or(0)) prop:value=move || chosen.get().to_string()>
                            {move || (0..count.get()).map(|server| view! { <option value=server.to_string()>{name(server)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Stop)>"Stop"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Restart)>"Restart"</button>
                        <button type="button" class="button" on:click=move |_| on_chosen(Action::Timeout)>"Time out now"</button>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button button--primary" on:click=move |_| runner.act(Action::Request)>"Client request"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::DropAll)>"Drop the messages in flight"</button>
                    </div>
                    <fieldset>
                        <legend>"Split the cluster: these servers on one side"</legend>
                        <div class="button-row">
                            {move || (0..count.get()).map(|server| view! {
                                <label class="toggle">
                                    <input type="checkbox" prop:checked=move || side.get() & (1 << server) != 0
                                        on:change=move |event| side.update(|mask| if event_target_checked(&event) { *mask |= 1 << server } else { *mask &= !(1 << server) }) />
                                    <span>{name(server)}</span>
                                </label>
                            }).collect_view()}
                        </div>
                        <div class="button-row">
                            <button type="button" class="button" on:click=move |_| runner.act(Action::Partition(side.get_untracked()))>"Split"</button>
                            <button type="button" class="button" on:click=move |_| runner.act(Action::Heal)>"Heal"</button>
                        </div>
                    </fieldset>
                </fieldset>
                <details class="viz__fold" open=open>
                    <summary>"Cluster and timing (start a new run)"</summary>
                    <ParamSet runner=runner legend="Cluster and timing (start a new run)" keys=&["servers", "tmin", "tmax", "beat", "dmin", "dmax", "rate"] />
                </details>
            </div>
        </div>
    }
}

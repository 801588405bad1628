//! The CAP theorem visualizer: a replicated register on 3 to 5 nodes, links to cut and heal,
//! clients on both sides, CP or AP, quorums, PACELC latency and a decision helper.

use super::widgets::{ParamField, Stat};
use crate::harness::{Controls, Runner};
use atlas_components::sim::Simulation;
use atlas_components::viz::cap::decision::{recommend, QUESTIONS};
use atlas_components::viz::cap::{node_name, Availability, CapAction, CapCluster, Freshness, Mode, Outcome, Replication, Side, CAP_PARAMS};
use crate::harness::kit::{self, scoped_id};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// One simulated millisecond per tick; 1× shows 100 ms of the system per second.
const TICKS_PER_SECOND: f64 = 100.0;
const LIMIT: u64 = 600_000;
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 330.0;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<CapCluster>::start(&tool, CAP_PARAMS, TICKS_PER_SECOND, LIMIT)));
}

fn node_position(node: usize, count: usize) -> (f64, f64) {
    // A regular polygon, first node on the left, so the left client sits next to node A.
    let angle = std::f64::consts::PI + node as f64 * std::f64::consts::TAU / count as f64;
    (WIDTH / 2.0 + 125.0 * angle.cos(), HEIGHT / 2.0 + 115.0 * angle.sin())
}

fn outcome_text(outcome: &Option<Outcome>) -> String {
    match outcome {
        None => "No request yet.".to_string(),
        Some(Outcome::Wrote { value, acks, wanted, latency_ms, .. }) => {
            let short = if acks < wanted { format!(" — short of its quorum ({acks} of {wanted})") } else { String::new() };
            format!("Wrote {value} in {latency_ms} ms{short}.")
        }
        Some(Outcome::Read { versions, freshness, latency_ms, .. }) => {
            let values: Vec<String> = versions.iter().map(|version| version.value.to_string()).collect();
            let shown = if values.is_empty() { "nothing (never written)".to_string() } else { values.join(" and ") };
            let verdict = match freshness {
                Freshness::Current => "current".to_string(),
                Freshness::Stale { missed } => format!("STALE: missed write #{missed}"),
                Freshness::Overruled { missed } => format!("write #{missed} was overruled and is gone"),
            };
            format!("Read {shown} in {latency_ms} ms — {verdict}.")
        }
        Some(Outcome::Refused { reason, latency_ms, .. }) => format!("ERROR after {latency_ms} ms: {}.", reason.describe()),
    }
}

fn availability_text(availability: Availability) -> &'static str {
    match availability {
        Availability::Quorum => "serves with a full quorum",
        Availability::ShortOfQuorum => "answers short of its quorum (may be stale)",
        Availability::Refused => "refuses (no quorum reachable)",
    }
}

fn view(runner: Runner<CapCluster>) -> impl IntoView {
    let state = move |read: fn(&CapCluster) -> String| Signal::derive(move || runner.timeline.with(|t| read(t.state())));
    let next_value = move || runner.with_state(|cluster| cluster.writes().len() as u32 + 1);
    let nodes = move || runner.timeline.with(|t| t.state().node_count());
    let answers = RwSignal::new(vec![None::<bool>; QUESTIONS.len()]);

    let stage = move || {
        runner.timeline.with(|timeline| {
            let cluster = timeline.state();
            let count = cluster.node_count();
            let now = cluster.tick();
            let links: Vec<_> = cluster.links().collect();
            let left_home = node_position(cluster.home(Side::Left), count);
            let right_home = node_position(cluster.home(Side::Right), count);
            view! {
                <svg class="cap-stage" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="group" aria-label="The cluster: click a link to cut or heal it">
                    <line class="cap-client-link" x1=60 y1=HEIGHT / 2.0 x2=left_home.0 y2=left_home.1 />
                    <line class="cap-client-link" x1=WIDTH - 60.0 y1=HEIGHT / 2.0 x2=right_home.0 y2=right_home.1 />
                    {links.into_iter().map(|link| {
                        let (a, b) = (link.a, link.b);
                        let (pa, pb) = (node_position(a, count), node_position(b, count));
                        let mid = ((pa.0 + pb.0) / 2.0, (pa.1 + pb.1) / 2.0);
                        let label = format!("{} link {}–{}", if link.up { "Cut" } else { "Heal" }, node_name(a), node_name(b));
                        let action = if link.up { CapAction::CutLink(a, b) } else { CapAction::HealLink(a, b) };
                        view! {
                            <g class=if link.up { "cap-link" } else { "cap-link cap-link--cut" } role="button" tabindex="0" aria-label=label
                                on:click=move |_| runner.act(action)
                                on:keydown=move |event| if event.key() == "Enter" || event.key() == " " { event.prevent_default(); runner.act(action); }
                            >
                                <line class="cap-link__hit" x1=pa.0 y1=pa.1 x2=pb.0 y2=pb.1 />
                                <line class="cap-link__line" x1=pa.0 y1=pa.1 x2=pb.0 y2=pb.1 />
                                {(!link.up).then(|| view! { <text class="cap-link__cut" x=mid.0 y=mid.1 + 5.0 text-anchor="middle">"✕"</text> })}
                            </g>
                        }
                    }).collect_view()}
                    {cluster.messages().map(|message| {
                        let (pa, pb) = (node_position(message.from, count), node_position(message.to, count));
                        let progress = if message.lost { message.progress(now).min(0.5) } else { message.progress(now) };
                        let (x, y) = (pa.0 + (pb.0 - pa.0) * progress, pa.1 + (pb.1 - pa.1) * progress);
                        let class = format!("cap-message cap-message--{}{}", message.kind().label().replace(' ', "-"), if message.lost { " cap-message--lost" } else { "" });
                        view! { <circle class=class cx=x cy=y r=6 /> }
                    }).collect_view()}
                    {(0..count).map(|node| {
                        let (x, y) = node_position(node, count);
                        let replica = cluster.replica(node);
                        let values: Vec<String> = replica.map(|r| r.siblings().iter().map(|v| v.value.to_string()).collect()).unwrap_or_default();
                        let shown = if values.is_empty() { "∅".to_string() } else { values.join(" | ") };
                        let siblings = values.len() > 1;
                        view! {
                            <g class=if siblings { "cap-node cap-node--siblings" } else { "cap-node" }>
                                <circle cx=x cy=y r=30 />
                                <text class="cap-node__name" x=x y=y - 4.0 text-anchor="middle">{node_name(node).to_string()}</text>
                                <text class="cap-node__value" x=x y=y + 14.0 text-anchor="middle">{shown}</text>
                            </g>
                        }
                    }).collect_view()}
                    <g class="cap-client">
                        <rect x=8 y=HEIGHT / 2.0 - 22.0 width=104 height=44 rx=22 />
                        <text x=60 y=HEIGHT / 2.0 + 5.0 text-anchor="middle">"Left client"</text>
                    </g>
                    <g class="cap-client">
                        <rect x=WIDTH - 112.0 y=HEIGHT / 2.0 - 22.0 width=104 height=44 rx=22 />
                        <text x=WIDTH - 60.0 y=HEIGHT / 2.0 + 5.0 text-anchor="middle">"Right client"</text>
                    </g>
                </svg>
            }
        })
    };

    let client_panel = move |side: Side| {
        let name = if side == Side::Left { "Left" } else { "Right" };
        view! {
            <div class="cap-client-panel">
                <h3>{name}" client"</h3>
                <div class="button-row">
                    <button type="button" class="button" on:click=move |_| runner.act(CapAction::Write { side, value: next_value() })>
                        {move || format!("Write {}", runner.timeline.with(|t| t.state().writes().len() + 1))}
                    </button>
                    <button type="button" class="button" on:click=move |_| runner.act(CapAction::Read { side })>"Read"</button>
                </div>
                <p class="cap-outcome" aria-live="polite">{move || runner.timeline.with(|t| outcome_text(&t.state().client(side).last))}</p>
                <p class="muted">{move || runner.timeline.with(|t| format!("Writes {}; reads {}.", availability_text(t.state().write_availability(side)), availability_text(t.state().read_availability(side))))}</p>
            </div>
        }
    };

    let set_quorum = move |read: Option<usize>, write: Option<usize>| {
        let quorum = runner.with_state(|cluster| cluster.quorum());
        runner.act(CapAction::SetQuorum { read: read.unwrap_or(quorum.read), write: write.unwrap_or(quorum.write) });
    };

    view! {
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{tick} ms")) />
        <div class="viz__grid">
            <div class="viz__stage">
                {stage}
                <div class="cap-clients">{client_panel(Side::Left)}{client_panel(Side::Right)}</div>
                <h3>"Event log"</h3>
                <ol class="cap-log" reversed tabindex="0" aria-label="Event log, newest first">
                    {move || runner.timeline.with(|t| t.state().events().rev().take(8).map(|event| view! { <li>{format!("{} ms — {}", event.at, event.describe())}</li> }).collect_view())}
                </ol>
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Network"</legend>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| runner.act(CapAction::Partition { left: 2 })>"Split 2 | rest"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(CapAction::Partition { left: 1 })>"Isolate A"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(CapAction::Partition { left: nodes() - 1 })>"Isolate the last node"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(CapAction::HealAll)>"Heal all"</button>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"During a partition"</legend>
                    <div class="button-row" role="radiogroup" aria-label="Mode">
                        {[Mode::Cp, Mode::Ap].into_iter().map(|mode| view! {
                            <button type="button" class="chip" role="radio"
                                aria-checked=move || (runner.timeline.with(|t| t.state().mode()) == mode).to_string()
                                on:click=move |_| runner.act(CapAction::SetMode(mode))>
                                {if mode == Mode::Cp { "CP: refuse without a quorum" } else { "AP: answer on every side" }}
                            </button>
                        }).collect_view()}
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Quorums"</legend>
                    <div class="field">
                        <label for=scoped_id("cap-r")>"Read quorum R"</label>
                        <select id=scoped_id("cap-r") prop:value=move || runner.timeline.with(|t| t.state().quorum().read.to_string())
                            on:change=move |event| set_quorum(event_target_value(&event).parse().ok(), None)>
                            {move || (1..=nodes()).map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=scoped_id("cap-w")>"Write quorum W"</label>
                        <select id=scoped_id("cap-w") prop:value=move || runner.timeline.with(|t| t.state().quorum().write.to_string())
                            on:change=move |event| set_quorum(None, event_target_value(&event).parse().ok())>
                            {move || (1..=nodes()).map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> }).collect_view()}
                        </select>
                    </div>
                    <p class="cap-rule" aria-live="polite">{move || runner.timeline.with(|t| {
                        let q = t.state().quorum();
                        let overlap = q.overlaps();
                        format!("R + W = {} {} N = {}: {}", q.read + q.write, if overlap { ">" } else { "≤" }, q.nodes,
                            if overlap { "every read quorum meets every write quorum, so reads see the latest acknowledged write." } else { "a read can miss the latest write entirely." })
                    })}</p>
                </fieldset>
                <fieldset>
                    <legend>"PACELC: else, latency or consistency?"</legend>
                    <div class="button-row" role="radiogroup" aria-label="Replication">
                        {[Replication::Sync, Replication::Async].into_iter().map(|replication| view! {
                            <button type="button" class="chip" role="radio"
                                aria-checked=move || (runner.timeline.with(|t| t.state().replication()) == replication).to_string()
                                on:click=move |_| runner.act(CapAction::SetReplication(replication))>
                                {if replication == Replication::Sync { "Synchronous" } else { "Asynchronous" }}
                            </button>
                        }).collect_view()}
                    </div>
                    <dl class="stat-grid">
                        <Stat label="CP write" value=state(|c| format!("{} ms", c.expected_write_latency_ms(Mode::Cp, c.replication()))) />
                        <Stat label="AP sync write" value=state(|c| format!("{} ms", c.expected_write_latency_ms(Mode::Ap, Replication::Sync))) />
                        <Stat label="AP async write" value=state(|c| format!("{} ms", c.expected_write_latency_ms(Mode::Ap, Replication::Async))) />
                        <Stat label="Read" value=state(|c| format!("{} ms", c.expected_read_latency_ms())) />
                    </dl>
                    <p>{move || runner.timeline.with(|t| { let class = t.state().pacelc_class(); format!("These settings are {}: {}", class.label(), class.summary()) })}</p>
                </fieldset>
                <fieldset>
                    <legend>"Cluster (starts a new run)"</legend>
                    <ParamField runner=runner key="nodes" />
                    <ParamField runner=runner key="reconcile" />
                    <ParamField runner=runner key="latency" />
                    <ParamField runner=runner key="skew" />
                </fieldset>
            </div>
        </div>
        <section class="cap-decide" aria-labelledby=scoped_id("cap-decide-title")>
            <h3 id=scoped_id("cap-decide-title")>"Which should your system choose?"</h3>
            {QUESTIONS.iter().enumerate().map(|(index, question)| {
                let name = format!("cap-q-{}", question.id);
                view! {
                    <fieldset class="cap-question">
                        <legend>{question.text}</legend>
                        <p class="muted">{question.why}</p>
                        {[(Some(true), "Yes"), (Some(false), "No"), (None, "Not sure")].into_iter().map(|(value, label)| {
                            let name = name.clone();
                            view! {
                                <label class="toggle">
                                    <input type="radio" name=name prop:checked=move || answers.get()[index] == value
                                        on:change=move |_| answers.update(|all| all[index] = value) />
                                    {label}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
            <div class="cap-recommendation" aria-live="polite">
                {move || {
                    let recommendation = recommend(&answers.get());
                    view! {
                        <p><strong>{format!("{} — {}", recommendation.class.label(), recommendation.class.cap_label())}</strong>
                            {if recommendation.settled { "" } else { " (answer more questions to be sure)" }}</p>
                        <p>{recommendation.class.summary()}</p>
                        <ul>{recommendation.reasons.iter().map(|reason| view! { <li>{*reason}</li> }).collect_view()}</ul>
                        {(!recommendation.tensions.is_empty()).then(|| view! { <p class="muted">{recommendation.tensions.join(" ")}</p> })}
                        <p>"Systems that chose this:"</p>
                        <ul>{recommendation.systems().map(|system| view! {
                            <li><strong>{system.name}</strong>{format!(" — {}{}", system.reason, system.as_of.map(|year| format!(" ({year})")).unwrap_or_default())}</li>
                        }).collect_view()}</ul>
                    }
                }}
            </div>
        </section>
    }
}

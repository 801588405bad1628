//! The CAP theorem visualizer: a replicated register on 3 to 5 nodes, links to cut and heal,
//! clients on both sides, CP or AP, quorums, PACELC latency and a decision helper.

use atlas::widgets::{ParamSet, Stat};
use atlas::harness::{Controls, Runner};
use atlas_components::sim::Simulation;
use atlas_components::viz::cap::decision::{recommend, QUESTIONS};
use atlas_components::viz::cap::{node_name, Availability, CapAction, CapCluster, Freshness, Mode, Outcome, Replication, Side, CAP_PARAMS};
use atlas::harness::fit::{fitted_width, island, panel_beside_stage, FitWidth};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::ruler::{self, Font};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// One simulated millisecond per tick; 1× shows 100 ms of the system per second.
const TICKS_PER_SECOND: f64 = 100.0;
const LIMIT: u64 = 600_000;
/// The cluster is drawn for the width it is shown at, one unit per CSS px, so its labels keep
/// their size on a phone.
const FIT: FitWidth = FitWidth { min: 280.0, max: 760.0 };
/// Narrower than this, the clients sit above the cluster instead of on either side of it.
const SIDE_BY_SIDE_FROM: f64 = 560.0;
const CLIENT_WIDTH: f64 = 104.0;
/// The replica's value line, as `.cap-node__value` sets it.
const VALUE_FONT: Font = Font::mono(12.0);
/// The value line's baseline below the node's centre.
const VALUE_BELOW: f64 = 14.0;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<CapCluster>::start(&tool, CAP_PARAMS, TICKS_PER_SECOND, LIMIT)));
}

/// Where everything of the cluster drawing goes at one width.
#[derive(Clone, Copy)]
struct StageLayout {
    width: f64,
    height: f64,
    centre: (f64, f64),
    radius: (f64, f64),
    node_radius: f64,
    client_height: f64,
    left_client: (f64, f64),
    right_client: (f64, f64),
}

impl StageLayout {
    fn for_width(width: f64) -> Self {
        if width >= SIDE_BY_SIDE_FROM {
            // Clients left and right of the cluster, level with its middle.
            let height = 330.0;
            let middle = height / 2.0;
            Self { width, height, centre: (width / 2.0, middle), radius: (125.0, 115.0), node_radius: 30.0, client_height: 44.0, left_client: (60.0, middle), right_client: (width - 60.0, middle) }
        } else {
            // A phone: clients in the top corners, the cluster below them, as wide as it can be.
            let node_radius = 28.0;
            let client_height = 36.0;
            let radius_x = (width / 2.0 - node_radius - 8.0).min(125.0);
            let radius_y = radius_x.min(100.0);
            let centre_y = 6.0 + client_height + 12.0 + radius_y + node_radius;
            let client_y = 6.0 + client_height / 2.0;
            Self {
                width,
                height: centre_y + radius_y + node_radius + 8.0,
                centre: (width / 2.0, centre_y),
                radius: (radius_x, radius_y),
                node_radius,
                client_height,
                left_client: (CLIENT_WIDTH / 2.0 + 4.0, client_y),
                right_client: (width - CLIENT_WIDTH / 2.0 - 4.0, client_y),
            }
        }
    }

    fn node(&self, node: usize, count: usize) -> (f64, f64) {
        // A regular polygon, first node on the left, so the left client sits next to node A.
        let angle = std::f64::consts::PI + node as f64 * std::f64::consts::TAU / count as f64;
        (self.centre.0 + self.radius.0 * angle.cos(), self.centre.1 + self.radius.1 * angle.sin())
    }

    /// How wide the value line may be and stay inside the node's circle (its text box reaches
    /// about 3 px below the baseline).
    fn value_room(&self) -> f64 {
        let lowest = VALUE_BELOW + 3.0;
        2.0 * (self.node_radius * self.node_radius - lowest * lowest).max(0.0).sqrt() - 4.0
    }
}

/// A replica's values as fits its circle: every sibling spelled out, else their count.
fn value_text(values: &[String], room: f64) -> String {
    if values.is_empty() {
        return "∅".to_string();
    }
    let candidates = [values.join(" | "), values.join("|"), format!("{} vals", values.len()), format!("{}×", values.len())];
    ruler::first_that_fits(&candidates, VALUE_FONT, room).to_string()
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

/// What a side does with writes and reads now, as one sentence.
fn availability_text(writes: Availability, reads: Availability) -> String {
    let write = match writes {
        Availability::Quorum => "Writes reach a full quorum",
        Availability::ShortOfQuorum => "Writes are accepted short of a quorum (the sides may diverge)",
        Availability::Refused => "Writes are refused (no quorum reachable)",
    };
    let read = match reads {
        Availability::Quorum => "reads reach a full quorum",
        Availability::ShortOfQuorum => "reads are answered short of a quorum (they may be stale)",
        Availability::Refused => "reads are refused (no quorum reachable)",
    };
    format!("{write}; {read}.")
}

fn view(runner: Runner<CapCluster>) -> impl IntoView {
    let state = move |read: fn(&CapCluster) -> String| Signal::derive(move || runner.timeline.with(|t| read(t.state())));
    let next_value = move || runner.with_state(|cluster| cluster.writes().len() as u32 + 1);
    let nodes = move || runner.timeline.with(|t| t.state().node_count());
    let answers = RwSignal::new(vec![None::<bool>; QUESTIONS.len()]);

    let container = NodeRef::new();
    let width = fitted_width(container, FIT);
    let stage = move || {
        let layout = StageLayout::for_width(width.get());
        runner.timeline.with(|timeline| {
            let cluster = timeline.state();
            let count = cluster.node_count();
            let now = cluster.tick();
            let links: Vec<_> = cluster.links().collect();
            let left_home = layout.node(cluster.home(Side::Left), count);
            let right_home = layout.node(cluster.home(Side::Right), count);
            let client = |(x, y): (f64, f64), name: &'static str| view! {
                <g class="cap-client">
                    <rect x=x - CLIENT_WIDTH / 2.0 y=y - layout.client_height / 2.0 width=CLIENT_WIDTH height=layout.client_height rx=layout.client_height / 2.0 />
                    <text x=x y=y + 5.0 text-anchor="middle">{name}</text>
                </g>
            };
            view! {
                <svg class="cap-stage fitted" viewBox=format!("0 0 {} {}", layout.width, layout.height) role="group" aria-label="The cluster: click a link to cut or heal it">
                    <line class="cap-client-link" x1=layout.left_client.0 y1=layout.left_client.1 x2=left_home.0 y2=left_home.1 />
                    <line class="cap-client-link" x1=layout.right_client.0 y1=layout.right_client.1 x2=right_home.0 y2=right_home.1 />
                    {links.into_iter().map(|link| {
                        let (a, b) = (link.a, link.b);
                        let (pa, pb) = (layout.node(a, count), layout.node(b, count));
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
                        let (pa, pb) = (layout.node(message.from, count), layout.node(message.to, count));
                        let progress = if message.lost { message.progress(now).min(0.5) } else { message.progress(now) };
                        let (x, y) = (pa.0 + (pb.0 - pa.0) * progress, pa.1 + (pb.1 - pa.1) * progress);
                        let class = format!("cap-message cap-message--{}{}", message.kind().label().replace(' ', "-"), if message.lost { " cap-message--lost" } else { "" });
                        view! { <circle class=class cx=x cy=y r=6 /> }
                    }).collect_view()}
                    {(0..count).map(|node| {
                        let (x, y) = layout.node(node, count);
                        let replica = cluster.replica(node);
                        let values: Vec<String> = replica.map(|r| r.siblings().iter().map(|v| v.value.to_string()).collect()).unwrap_or_default();
                        let shown = value_text(&values, layout.value_room());
                        let siblings = values.len() > 1;
                        let name = node_name(node).to_string();
                        view! {
                            <g class=if siblings { "cap-node cap-node--siblings" } else { "cap-node" }>
                                <title>{format!("{name}: {}", if values.is_empty() { "never written".to_string() } else { values.join(" | ") })}</title>
                                <circle cx=x cy=y r=layout.node_radius />
                                <text class="cap-node__name" x=x y=y - 4.0 text-anchor="middle">{name}</text>
                                <text class="cap-node__value" x=x y=y + VALUE_BELOW text-anchor="middle">{shown}</text>
                            </g>
                        }
                    }).collect_view()}
                    {client(layout.left_client, "Left client")}
                    {client(layout.right_client, "Right client")}
                </svg>
            }
        })
    };
    // On a phone the log, the settings and the decision helper start folded.
    let open = panel_beside_stage();

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
                <p class="muted">{move || runner.timeline.with(|t| availability_text(t.state().write_availability(side), t.state().read_availability(side)))}</p>
            </div>
        }
    };

    let set_quorum = move |read: Option<usize>, write: Option<usize>| {
        let quorum = runner.with_state(|cluster| cluster.quorum());
        runner.act(CapAction::SetQuorum { read: read.unwrap_or(quorum.read), write: write.unwrap_or(quorum.write) });
    };

    let figures_island = island();

    view! {
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{tick} ms")) />
        <div class="viz__grid">
            <div class="viz__stage">
                <div class="viz__drawing" node_ref=container>{stage}</div>
                <div class="cap-clients">{client_panel(Side::Left)}{client_panel(Side::Right)}</div>
                <details class="viz__fold" open=open>
                    <summary>"Event log"</summary>
                    <ol class="cap-log" reversed tabindex="0" aria-label="Event log, newest first">
                        {move || runner.timeline.with(|t| t.state().events().rev().take(8).map(|event| view! { <li>{format!("{} ms — {}", event.at, event.describe())}</li> }).collect_view())}
                    </ol>
                </details>
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
                <details class="viz__fold" open=open>
                <summary>"Quorums, PACELC and the cluster"</summary>
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
                    <div class="viz__island" node_ref=figures_island><dl class="stat-grid">
                        <Stat label="CP write" value=state(|c| format!("{} ms", c.expected_write_latency_ms(Mode::Cp, c.replication()))) />
                        <Stat label="AP sync write" value=state(|c| format!("{} ms", c.expected_write_latency_ms(Mode::Ap, Replication::Sync))) />
                        <Stat label="AP async write" value=state(|c| format!("{} ms", c.expected_write_latency_ms(Mode::Ap, Replication::Async))) />
                        <Stat label="Read" value=state(|c| format!("{} ms", c.expected_read_latency_ms())) />
                    </dl></div>
                    <p>{move || runner.timeline.with(|t| { let class = t.state().pacelc_class(); format!("These settings are {}: {}", class.label(), class.summary()) })}</p>
                </fieldset>
                <ParamSet runner=runner legend="Cluster (starts a new run)" keys=&["nodes", "reconcile", "latency", "skew"] />
                </details>
            </div>
        </div>
        <section class="cap-decide" aria-labelledby=scoped_id("cap-decide-title")>
            <details class="viz__fold" open=open>
            <summary><h3 id=scoped_id("cap-decide-title")>"Which should your system choose?"</h3></summary>
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
            </details>
        </section>
    }
}

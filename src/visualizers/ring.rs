//! The consistent hashing visualizer: the ring with its virtual nodes and keys, add / remove /
//! weight nodes and see exactly the keys that move, next to modulo hashing and jump or
//! rendezvous hashing; look up a key to see its clockwise walk and replicas.

use super::widgets::{ParamField, Stat};
use crate::harness::{Controls, Runner};
use atlas_components::sim::number::NumberRule;
use atlas_components::viz::ring::{angle_fraction, NodeId, RingAction, RingSimulation, RING_PARAMS};
use crate::harness::kit::{self, scoped_id};
use leptos::prelude::*;
use std::fmt::Write;
use web_sys::HtmlElement;

const TICKS_PER_SECOND: f64 = 30.0;
const LIMIT: u64 = 100_000;
const SIZE: f64 = 420.0;
const CENTER: f64 = SIZE / 2.0;
const RADIUS: f64 = 150.0;
/// Drawing every one of 100,000 keys would stall a phone; beyond this, keys are binned.
const MAX_DRAWN_KEYS: usize = 1500;
const BINS: usize = 180;
const PALETTE: usize = 8;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<RingSimulation>::start(&tool, RING_PARAMS, TICKS_PER_SECOND, LIMIT)));
}

fn point_at(fraction: f64, radius: f64) -> (f64, f64) {
    let angle = fraction * std::f64::consts::TAU - std::f64::consts::FRAC_PI_2;
    (CENTER + radius * angle.cos(), CENTER + radius * angle.sin())
}

fn colour_class(node: NodeId) -> String {
    format!("ring-node-{}", node.0 as usize % PALETTE)
}

fn percent(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

/// The static part of the ring (virtual-node ticks and the key density), rebuilt only when the
/// ring or the keys change, not on every animation frame.
fn ring_layer(sim: &RingSimulation) -> String {
    let mut svg = String::new();
    let mut paths: Vec<String> = vec![String::new(); PALETTE];
    let points = sim.ring().points();
    let step = (points.len() / 3000).max(1);
    for point in points.iter().step_by(step) {
        let fraction = angle_fraction(point.position);
        let (x1, y1) = point_at(fraction, RADIUS - 8.0);
        let (x2, y2) = point_at(fraction, RADIUS + 8.0);
        let _ = write!(paths[point.node.0 as usize % PALETTE], "M{x1:.1} {y1:.1}L{x2:.1} {y2:.1}");
    }
    for (index, path) in paths.iter().enumerate() {
        if !path.is_empty() {
            let _ = write!(svg, r#"<path class="ring-tick ring-node-{index}" d="{path}"/>"#);
        }
    }
    let keys = sim.keys();
    if keys.len() > MAX_DRAWN_KEYS {
        let mut bins = [0u32; BINS];
        for &hash in keys.hashes() {
            let bin = ((angle_fraction(hash) * BINS as f64) as usize).min(BINS - 1);
            bins[bin] += 1;
        }
        let most = bins.iter().copied().max().unwrap_or(1).max(1) as f64;
        let mut density = String::new();
        for (bin, count) in bins.iter().enumerate() {
            let fraction = (bin as f64 + 0.5) / BINS as f64;
            let (x1, y1) = point_at(fraction, RADIUS + 14.0);
            let (x2, y2) = point_at(fraction, RADIUS + 14.0 + 30.0 * f64::from(*count) / most);
            let _ = write!(density, "M{x1:.1} {y1:.1}L{x2:.1} {y2:.1}");
        }
        let _ = write!(svg, r#"<path class="ring-density" d="{density}"/>"#);
    } else {
        let mut dots = String::new();
        for &hash in keys.hashes() {
            let (x, y) = point_at(angle_fraction(hash), RADIUS + 18.0);
            let _ = write!(dots, "M{x:.1} {y:.1}h0.01");
        }
        let _ = write!(svg, r#"<path class="ring-key" d="{dots}"/>"#);
    }
    svg
}

/// Applies a change and plays the clock so the moved keys animate to their new owners.
fn change(runner: Runner<RingSimulation>, action: RingAction) {
    runner.act(action);
    runner.playing.set(true);
}

fn view(runner: Runner<RingSimulation>) -> impl IntoView {
    let ring_version = Memo::new(move |_| runner.timeline.with(|t| (t.state().ring().points().len(), t.state().last_change().map(|c| c.tick), t.tick() == 0, t.params().clone())));
    let ring_svg = Memo::new(move |_| {
        ring_version.track();
        runner.timeline.with_untracked(|t| ring_layer(t.state()))
    });
    // The ring only moves while keys animate to their new owners; then the clock stops.
    Effect::new(move |_| {
        let settled = runner.timeline.with(|t| t.state().move_progress().is_some_and(|progress| progress >= 1.0));
        if settled && runner.playing.get_untracked() {
            runner.playing.set(false);
        }
    });
    let selected = RwSignal::new(None::<u32>);
    let lookup_error = RwSignal::new(None::<String>);
    let lookup_text = RwSignal::new(String::from("42"));
    let stat = move |read: fn(&RingSimulation) -> String| Signal::derive(move || runner.timeline.with(|t| read(t.state())));

    let moving = move || {
        runner.timeline.with(|timeline| {
            let sim = timeline.state();
            let (Some(change), Some(progress)) = (sim.last_change(), sim.move_progress()) else { return String::new() };
            if progress >= 1.0 {
                return String::new();
            }
            let mut svg = String::new();
            let step = (change.moves.len() / MAX_DRAWN_KEYS).max(1);
            for key_move in change.moves.iter().step_by(step) {
                let Some(hash) = sim.keys().hash(key_move.key as usize) else { continue };
                let fraction = angle_fraction(hash);
                // Each moved key leaves the ring towards the centre in its old owner's colour and
                // comes back in its new owner's: exactly the keys that changed hands move.
                let out = (progress * std::f64::consts::PI).sin();
                let (x, y) = point_at(fraction, RADIUS - 20.0 - 60.0 * out);
                let owner = if progress < 0.5 { key_move.from } else { key_move.to };
                let _ = write!(svg, r#"<circle class="ring-moving {}" cx="{x:.1}" cy="{y:.1}" r="3"/>"#, colour_class(owner));
            }
            svg
        })
    };

    let walk = move || {
        runner.timeline.with(|timeline| {
            let sim = timeline.state();
            let Some(lookup) = sim.lookup() else { return String::new() };
            let start = angle_fraction(lookup.hash);
            let mut svg = String::new();
            let (kx, ky) = point_at(start, RADIUS);
            let _ = write!(svg, r#"<circle class="ring-lookup-key" cx="{kx:.1}" cy="{ky:.1}" r="7"/>"#);
            let mut previous = start;
            for step in &lookup.walk {
                let end = angle_fraction(step.point.position);
                let sweep = if end >= previous { end - previous } else { end + 1.0 - previous };
                let (x1, y1) = point_at(previous, RADIUS - 26.0);
                let (x2, y2) = point_at(end, RADIUS - 26.0);
                let large = if sweep > 0.5 { 1 } else { 0 };
                let _ = write!(svg, r#"<path class="ring-walk" d="M{x1:.1} {y1:.1}A{r} {r} 0 {large} 1 {x2:.1} {y2:.1}"/>"#, r = RADIUS - 26.0);
                if step.new_owner {
                    let (x, y) = point_at(end, RADIUS);
                    let _ = write!(svg, r#"<circle class="ring-owner {}" cx="{x:.1}" cy="{y:.1}" r="8"/>"#, colour_class(step.point.node));
                }
                previous = end;
            }
            svg
        })
    };

    let look_up = move || {
        let total = runner.with_state(|sim| sim.keys().len());
        match NumberRule::integer(0.0, total.saturating_sub(1) as f64).parse(&lookup_text.get_untracked()) {
            Ok(index) => {
                lookup_error.set(None);
                runner.act(RingAction::LookUp(index as u32));
            }
            Err(message) => lookup_error.set(Some(message)),
        }
    };

    view! {
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("step {tick}")) />
        <div class="viz__grid">
            <div class="viz__stage">
                <svg class="ring-stage" viewBox=format!("0 0 {SIZE} {SIZE}") role="img"
                    aria-label=move || runner.timeline.with(|t| format!("A hash ring with {} nodes and {} virtual-node points holding {} keys", t.state().ring().nodes().len(), t.state().ring().points().len(), t.state().keys().len()))>
                    <circle class="ring-circle" cx=CENTER cy=CENTER r=RADIUS />
                    <g inner_html=move || ring_svg.get()></g>
                    <g inner_html=walk></g>
                    <g inner_html=moving></g>
                </svg>
                <p class="muted">{move || runner.timeline.with(|t| {
                    let keys = t.state().keys().len();
                    if keys > MAX_DRAWN_KEYS { format!("{keys} keys, drawn as density around the ring; moving keys are sampled.") } else { format!("{keys} keys, one dot each.") }
                })}</p>
                <h3>"Keys per node"</h3>
                {move || runner.timeline.with(|t| bars(t.state()))}
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Change the ring"</legend>
                    <div class="button-row">
                        <button type="button" class="button button--primary" on:click=move |_| change(runner, RingAction::AddNode)>"Add a node"</button>
                    </div>
                    <div class="field">
                        <label for=scoped_id("ring-node")>"Node"</label>
                        <select id=scoped_id("ring-node") on:change=move |event| selected.set(event_target_value(&event).parse().ok())
                            prop:value=move || selected.get().map(|id| id.to_string()).unwrap_or_default()>
                            <option value="">"Choose a node"</option>
                            {move || runner.timeline.with(|t| t.state().ring().nodes().iter().map(|node| view! {
                                <option value=node.id.0.to_string()>{format!("{} (weight {})", node.id, node.weight)}</option>
                            }).collect_view())}
                        </select>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button" aria-disabled=move || selected.get().is_none().to_string()
                            on:click=move |_| if let Some(id) = selected.get_untracked() { change(runner, RingAction::RemoveNode(NodeId(id))); selected.set(None); }>"Remove it"</button>
                        <button type="button" class="button" aria-disabled=move || selected.get().is_none().to_string()
                            on:click=move |_| if let Some(id) = selected.get_untracked() {
                                let weight = runner.with_state(|sim| sim.ring().node(NodeId(id)).map(|n| n.weight).unwrap_or(1));
                                change(runner, RingAction::SetWeight(NodeId(id), (weight % 10) + 1));
                            }>"Weight +1"</button>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Last change"</legend>
                    <dl class="stat-grid">
                        <Stat label="Keys moved (ring)" value=stat(|s| s.last_change().map(|c| percent(c.ring_fraction())).unwrap_or("—".into())) />
                        <Stat label="Ideal" value=stat(|s| s.last_change().map(|c| percent(c.ideal_fraction)).unwrap_or("—".into())) />
                        <Stat label="Modulo hashing" value=stat(|s| s.last_change().map(|c| percent(c.modulo_fraction())).unwrap_or("—".into())) />
                        <Stat label="Alternative" value=stat(|s| s.last_change().map(|c| percent(c.alternative_fraction())).unwrap_or("—".into())) />
                    </dl>
                </fieldset>
                <fieldset>
                    <legend>"Balance"</legend>
                    <dl class="stat-grid">
                        <Stat label="Max / mean (ring)" value=stat(|s| format!("{:.2}", s.ring_stats().max_over_mean)) />
                        <Stat label="Std deviation" value=stat(|s| format!("{:.0}", s.ring_stats().std_dev)) />
                        <Stat label="Max / mean (alt.)" value=stat(|s| format!("{:.2}", s.alternative_stats().max_over_mean)) />
                        <Stat label="Mean keys" value=stat(|s| format!("{:.0}", s.ring_stats().mean)) />
                    </dl>
                </fieldset>
                <fieldset>
                    <legend>"Look up a key"</legend>
                    <div class="field">
                        <label for=scoped_id("ring-key")>{move || runner.timeline.with(|t| format!("Key number (user:0 to user:{})", t.state().keys().len().saturating_sub(1)))}</label>
                        <input id=scoped_id("ring-key") type="text" inputmode="numeric" prop:value=move || lookup_text.get()
                            aria-invalid=move || lookup_error.get().is_some().to_string() aria-describedby=scoped_id("ring-key-error")
                            on:input=move |event| lookup_text.set(event_target_value(&event))
                            on:keydown=move |event| if event.key() == "Enter" { look_up(); } />
                        <span class="field__error" id=scoped_id("ring-key-error") role="alert">{move || lookup_error.get()}</span>
                    </div>
                    <button type="button" class="button" on:click=move |_| look_up()>"Look up"</button>
                    <p>{move || runner.timeline.with(|t| t.state().lookup().map(|lookup| format!(
                        "user:{} → owner {}; replicas {}.",
                        lookup.key,
                        lookup.replicas.first().map(|id| id.to_string()).unwrap_or_default(),
                        lookup.replicas.iter().skip(1).map(|id| id.to_string()).collect::<Vec<_>>().join(", "),
                    )))}</p>
                </fieldset>
                <fieldset>
                    <legend>"Setup (starts a new run)"</legend>
                    <ParamField runner=runner key="nodes" />
                    <ParamField runner=runner key="vnodes" />
                    <ParamField runner=runner key="keys" />
                    <ParamField runner=runner key="hash" />
                    <ParamField runner=runner key="replication" />
                    <ParamField runner=runner key="compare" />
                </fieldset>
            </div>
        </div>
    }
}

/// A bar per node (up to 40 drawn), with each node's fair share marked.
fn bars(sim: &RingSimulation) -> impl IntoView {
    let stats = sim.ring_stats();
    let loads: Vec<_> = stats.loads.iter().take(40).cloned().collect();
    let most = loads.iter().map(|load| f64::from(load.keys).max(load.fair_share)).fold(1.0, f64::max);
    let width = 560.0;
    let bar = width / loads.len().max(1) as f64;
    view! {
        <svg class="ring-bars" viewBox=format!("0 0 {width} 160") role="img" aria-label=format!("Keys per node: most {}, fewest {}", stats.max, stats.min)>
            {loads.into_iter().enumerate().map(|(index, load)| {
                let height = 140.0 * f64::from(load.keys) / most;
                let fair = 150.0 - 140.0 * load.fair_share / most;
                let x = index as f64 * bar;
                view! {
                    <g>
                        <rect class=format!("ring-bar {}", colour_class(load.node)) x=x + 1.0 y=150.0 - height width=(bar - 2.0).max(1.0) height=height>
                            <title>{format!("{}: {} keys (fair share {:.0})", load.node, load.keys, load.fair_share)}</title>
                        </rect>
                        <line class="ring-fair" x1=x x2=x + bar y1=fair y2=fair />
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

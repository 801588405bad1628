//! The consistent hashing visualizer: the ring with its virtual nodes and keys, add / remove /
//! weight nodes and see exactly the keys that move, next to modulo hashing and jump or
//! rendezvous hashing; look up a key to see its clockwise walk and replicas.

use atlas::widgets::{ParamSet, Stat};
use atlas::harness::{Controls, Runner};
use atlas_components::sim::number::NumberRule;
use atlas_components::sim::Simulation;
use atlas_components::viz::ring::{angle_fraction, Change, LoadStats, NodeId, RingAction, RingSimulation, RING_PARAMS};
use atlas::harness::kit::{self, scoped_id};
use leptos::prelude::*;
use std::fmt::Write;
use wasm_bindgen::{closure::Closure, JsCast};
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

/// At most this many virtual-node ticks are drawn, whatever the ring holds: each node draws
/// every `tick_stride`-th replica, so a node's ticks depend only on the node and the run, and a
/// change redraws only the node it touched.
const MAX_DRAWN_TICKS: u64 = 3000;

fn tick_stride(sim: &RingSimulation) -> u32 {
    let settings = sim.settings();
    let points = settings.nodes as u64 * u64::from(settings.virtual_nodes);
    points.div_ceil(MAX_DRAWN_TICKS).max(1) as u32
}

/// One node's virtual-node ticks as one path.
fn node_ticks(sim: &RingSimulation, node: NodeId) -> String {
    let stride = tick_stride(sim);
    let mut path = String::new();
    for point in sim.ring().points().iter().filter(|point| point.node == node && point.replica % stride == 0) {
        let fraction = angle_fraction(point.position);
        let (x1, y1) = point_at(fraction, RADIUS - 8.0);
        let (x2, y2) = point_at(fraction, RADIUS + 8.0);
        let _ = write!(path, "M{x1:.1} {y1:.1}L{x2:.1} {y2:.1}");
    }
    path
}

/// The keys around the ring: one dot each, or, beyond [`MAX_DRAWN_KEYS`], a density band.
/// Keys never change within a run, so this is drawn once per run.
fn key_layer(sim: &RingSimulation) -> (&'static str, String) {
    let keys = sim.keys();
    let mut path = String::new();
    if keys.len() > MAX_DRAWN_KEYS {
        let mut bins = [0u32; BINS];
        for &hash in keys.hashes() {
            let bin = ((angle_fraction(hash) * BINS as f64) as usize).min(BINS - 1);
            bins[bin] += 1;
        }
        let most = bins.iter().copied().max().unwrap_or(1).max(1) as f64;
        for (bin, count) in bins.iter().enumerate() {
            let fraction = (bin as f64 + 0.5) / BINS as f64;
            let (x1, y1) = point_at(fraction, RADIUS + 14.0);
            let (x2, y2) = point_at(fraction, RADIUS + 14.0 + 30.0 * f64::from(*count) / most);
            let _ = write!(path, "M{x1:.1} {y1:.1}L{x2:.1} {y2:.1}");
        }
        ("ring-density", path)
    } else {
        for &hash in keys.hashes() {
            let (x, y) = point_at(angle_fraction(hash), RADIUS + 18.0);
            let _ = write!(path, "M{x:.1} {y:.1}h0.01");
        }
        ("ring-key", path)
    }
}

/// The keys on their way to a new owner, as one path of dots per palette colour (not a
/// circle element each): a frame of the animation rewrites eight attributes.
fn moving_dots(sim: &RingSimulation) -> [String; PALETTE] {
    let mut paths: [String; PALETTE] = Default::default();
    let (Some(change), Some(progress)) = (sim.last_change(), sim.move_progress()) else { return paths };
    if progress >= 1.0 {
        return paths;
    }
    let step = (change.moves.len() / MAX_DRAWN_KEYS).max(1);
    // Each moved key leaves the ring towards the centre in its old owner's colour and comes
    // back in its new owner's: exactly the keys that changed hands move.
    let out = (progress * std::f64::consts::PI).sin();
    for key_move in change.moves.iter().step_by(step) {
        let Some(hash) = sim.keys().hash(key_move.key as usize) else { continue };
        let (x, y) = point_at(angle_fraction(hash), RADIUS - 20.0 - 60.0 * out);
        let owner = if progress < 0.5 { key_move.from } else { key_move.to };
        let _ = write!(paths[owner.0 as usize % PALETTE], "M{x:.1} {y:.1}h0.01");
    }
    paths
}

/// Applies a change and plays the clock so the moved keys animate to their new owners.
fn change(runner: Runner<RingSimulation>, action: RingAction) {
    // Playing first: an act while playing leaves the address bar to the end of the animation,
    // which writes it once, instead of writing it here too, on the click's way to its frame.
    runner.playing.set(true);
    runner.act(action);
}

/// Compiles the code of a change before the reader's first one. V8 compiles a WebAssembly
/// function the first time it runs: on the heaviest preset (100 nodes × 200 virtual nodes,
/// 100,000 keys) that was about 10 ms of the first click's 14 ms handler, against 5 ms for every
/// later click (traced 2026-12-07), and put the first click-to-paint at 28 to 44 ms. Right after
/// the first frame is painted (a timer set from an animation frame, so the picture is not held
/// back), a node is added to a copy of the run and removed again, and what the view would draw
/// is computed and dropped: nothing on the page changes, and the heap has grown to the size a
/// change needs. Not left for an idle moment: a reader's (or a test's) click can come first.
fn warm_up(runner: Runner<RingSimulation>) {
    let run = move || {
        // The reader may have left the page (its signals disposed) before the timer fired.
        let Some(mut sim) = runner.timeline.try_with_untracked(|timeline| timeline.state().clone()) else { return };
        sim.apply(&RingAction::AddNode);
        let added = sim.ring().nodes().last().map(|node| node.id);
        sim.step();
        std::hint::black_box((moving_dots(&sim), added.map(|id| node_ticks(&sim, id)), sim.ring_stats().max_over_mean));
        if let Some(id) = added {
            sim.apply(&RingAction::RemoveNode(id));
        }
        std::hint::black_box(sim);
    };
    let after_paint = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(Closure::once_into_js(run).unchecked_ref());
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(after_paint.unchecked_ref());
    }
}

fn view(runner: Runner<RingSimulation>) -> impl IntoView {
    warm_up(runner);
    // Derived values are memos: each is computed once per state and wakes its readers only
    // when it really changed, so the 30 animation ticks after a change touch only the moving
    // dots, and a change redraws only what it changed.
    let nodes = Memo::new(move |_| runner.timeline.with(|t| t.state().ring().nodes().to_vec()));
    let point_count = Memo::new(move |_| runner.timeline.with(|t| t.state().ring().points().len()));
    let key_count = Memo::new(move |_| runner.timeline.with(|t| t.state().keys().len()));
    let run = Memo::new(move |_| runner.timeline.with(|t| t.params().clone()));
    // Counts runs: a node's ticks depend on the run's hash function and virtual nodes too, so
    // the keyed list below starts afresh when a parameter changes.
    let run_number = Memo::new(move |previous: Option<&u64>| {
        run.track();
        previous.map_or(0, |number| number + 1)
    });
    let keys_drawn = Memo::new(move |_| {
        run.track();
        runner.timeline.with_untracked(|t| key_layer(t.state()))
    });
    let ring_stats = Memo::new(move |_| runner.timeline.with(|t| t.state().ring_stats().clone()));
    let alternative_stats = Memo::new(move |_| runner.timeline.with(|t| t.state().alternative_stats().clone()));
    let last_change = Memo::new(move |_| runner.timeline.with(|t| t.state().last_change().cloned()));
    let moving = Memo::new(move |_| runner.timeline.with(|t| moving_dots(t.state())));
    // The ring only moves while keys animate to their new owners; then the clock stops.
    Effect::new(move |_| {
        let settled = runner.timeline.with(|t| t.state().move_progress().is_some_and(|progress| progress >= 1.0));
        if settled && runner.playing.get_untracked() {
            runner.playing.set(false);
            // As a pause by hand does: the address bar then holds the settled picture, not
            // the moment the change was made.
            runner.paused();
        }
    });
    let selected = RwSignal::new(None::<u32>);
    let lookup_error = RwSignal::new(None::<String>);
    let lookup_text = RwSignal::new(String::from("42"));
    let change_stat = move |read: fn(&Change) -> f64| Signal::derive(move || last_change.with(|change| change.as_ref().map(|c| percent(read(c))).unwrap_or("—".into())));

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
                <div class="ring-stage">
                    <svg viewBox=format!("0 0 {SIZE} {SIZE}") role="img"
                        aria-label=move || format!("A hash ring with {} nodes and {} virtual-node points holding {} keys", nodes.with(Vec::len), point_count.get(), key_count.get())>
                        <circle class="ring-circle" cx=CENTER cy=CENTER r=RADIUS />
                        // One path per node, keyed by id and weight: adding a node draws one
                        // new path; the others stay as they are.
                        <For each=move || { let run = run_number.get(); nodes.get().into_iter().map(move |node| (run, node)).collect::<Vec<_>>() }
                            key=|(run, node)| (*run, node.id, node.weight) let((_, node))>
                            <path class=format!("ring-tick {}", colour_class(node.id)) d=runner.with_state(|sim| node_ticks(sim, node.id)) />
                        </For>
                        <path class=move || keys_drawn.with(|(class, _)| *class) d=move || keys_drawn.with(|(_, path)| path.clone()) />
                    </svg>
                    // The animated layer sits on its own SVG (and compositing layer), so a frame
                    // of the animation does not repaint the thousands of ticks under it.
                    <svg class="ring-overlay" viewBox=format!("0 0 {SIZE} {SIZE}") aria-hidden="true">
                        <g inner_html=walk></g>
                        {(0..PALETTE).map(|colour| view! {
                            <path class=format!("ring-moving-dots ring-node-{colour}") d=move || moving.with(|paths| paths[colour].clone()) />
                        }).collect_view()}
                    </svg>
                </div>
                <p class="muted">{move || {
                    let keys = key_count.get();
                    if keys > MAX_DRAWN_KEYS { format!("{keys} keys, drawn as density around the ring; moving keys are sampled.") } else { format!("{keys} keys, one dot each.") }
                }}</p>
                <h3>"Keys per node"</h3>
                {move || ring_stats.with(bars)}
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Change the ring"</legend>
                    <div class="button-row">
                        <button type="button" class="button button--primary" on:click=move |_| change(runner, RingAction::AddNode)>"Add a node"</button>
                    </div>
                    <div class="field">
                        <label for=scoped_id("ring-node")>"Node"</label>
                        <select id=scoped_id("ring-node") class="ring-node-select" on:change=move |event| selected.set(event_target_value(&event).parse().ok())
                            prop:value=move || selected.get().map(|id| id.to_string()).unwrap_or_default()>
                            <option value="">"Choose a node"</option>
                            <For each=move || nodes.get() key=|node| (node.id, node.weight) let(node)>
                                <option value=node.id.0.to_string()>{format!("{} (weight {})", node.id, node.weight)}</option>
                            </For>
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
                        <Stat label="Keys moved (ring)" value=change_stat(Change::ring_fraction) />
                        <Stat label="Ideal" value=change_stat(|c| c.ideal_fraction) />
                        <Stat label="Modulo hashing" value=change_stat(Change::modulo_fraction) />
                        <Stat label="Alternative" value=change_stat(Change::alternative_fraction) />
                    </dl>
                </fieldset>
                <fieldset>
                    <legend>"Balance"</legend>
                    <dl class="stat-grid">
                        <Stat label="Max / mean (ring)" value=Signal::derive(move || ring_stats.with(|s| format!("{:.2}", s.max_over_mean))) />
                        <Stat label="Std deviation" value=Signal::derive(move || ring_stats.with(|s| format!("{:.0}", s.std_dev))) />
                        <Stat label="Max / mean (alt.)" value=Signal::derive(move || alternative_stats.with(|s| format!("{:.2}", s.max_over_mean))) />
                        <Stat label="Mean keys" value=Signal::derive(move || ring_stats.with(|s| format!("{:.0}", s.mean))) />
                    </dl>
                </fieldset>
                <fieldset>
                    <legend>"Look up a key"</legend>
                    <div class="field">
                        <label for=scoped_id("ring-key")>{move || format!("Key number (user:0 to user:{})", key_count.get().saturating_sub(1))}</label>
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
                <ParamSet runner=runner legend="Setup (starts a new run)" keys=&["nodes", "vnodes", "keys", "hash", "replication", "compare"] />
            </div>
        </div>
    }
}

/// A bar per node (up to 40 drawn), with each node's fair share marked. Written as one string
/// of SVG: it is redrawn whole after every change, and one `innerHTML` costs less than building
/// 160 elements one by one (it sits on the click-to-paint path of a 100-node ring).
fn bars(stats: &LoadStats) -> impl IntoView {
    let loads = &stats.loads[..stats.loads.len().min(40)];
    let most = loads.iter().map(|load| f64::from(load.keys).max(load.fair_share)).fold(1.0, f64::max);
    let width = 560.0;
    let bar = width / loads.len().max(1) as f64;
    let mut inner = String::with_capacity(loads.len() * 220);
    for (index, load) in loads.iter().enumerate() {
        let height = 140.0 * f64::from(load.keys) / most;
        let fair = 150.0 - 140.0 * load.fair_share / most;
        let x = index as f64 * bar;
        let _ = write!(
            inner,
            r#"<g><rect class="ring-bar {}" x="{:.1}" y="{:.1}" width="{:.1}" height="{height:.1}"><title>{}: {} keys (fair share {:.0})</title></rect><line class="ring-fair" x1="{x:.1}" x2="{:.1}" y1="{fair:.1}" y2="{fair:.1}"/></g>"#,
            colour_class(load.node),
            x + 1.0,
            150.0 - height,
            (bar - 2.0).max(1.0),
            load.node,
            load.keys,
            load.fair_share,
            x + bar
        );
    }
    view! {
        <svg class="ring-bars" viewBox=format!("0 0 {width} 160") role="img" aria-label=format!("Keys per node: most {}, fewest {}", stats.max, stats.min) inner_html=inner></svg>
    }
}

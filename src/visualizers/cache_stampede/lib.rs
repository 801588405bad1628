//! The cache stampede visualizer: clients, a cache of hot keys with TTLs, and a database with
//! limited concurrency. Expiries send herds; the fixes switch on and off during the run.

use atlas::widgets::{ParamSet, Stat};
use atlas::harness::{in_place, redraw, stage, Controls, LineChart, Phase, Runner, Series};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas_components::viz::stampede::{stage::stage as draw_stage, Action, Fix, KeyStatus, Metric, Stampede, SAMPLE_MS, STAMPEDE_PARAMS, TICK_MS};
use atlas::harness::kit;
use atlas_components::diagram::svg::escape;
use leptos::prelude::*;
use web_sys::HtmlElement;

/// Ten-millisecond ticks: 100 per second is real time at 1×.
const TICKS_PER_SECOND: f64 = 100.0;
/// Five simulated minutes.
const LIMIT: u64 = 30_000;
/// The charts show the last minute.
const WINDOW_SAMPLES: usize = (60_000 / SAMPLE_MS) as usize;



pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Stampede>::start(&tool, STAMPEDE_PARAMS, TICKS_PER_SECOND, LIMIT)));
}

fn series(runner: Runner<Stampede>, lines: &'static [(Metric, &'static str, &'static str, &'static str)]) -> Signal<Vec<Series>> {
    runner.sampled(move |timeline| {
        let series = timeline.state().series();
        lines.iter().map(|(metric, label, colour, dash)| Series { label, colour, dash, points: series.points(*metric, WINDOW_SAMPLES) }).collect()
    })
}

fn view(runner: Runner<Stampede>) -> impl IntoView {
    let x_range = runner.sampled(|t| {
        let now = t.state().time_ms() as f64 / 1000.0;
        ((now - 60.0).max(0.0), now.max(10.0))
    });
    let stat = move |read: fn(&Stampede) -> String| Signal::derive(move || runner.with_sampled(|t| read(t.state())));
    let open = panel_beside_stage();
    // The hot keys and the database line are redrawn in frames of their own while the run plays:
    // together they made the round's longest frame, 21 to 33 ms with the CPU throttled 4x
    // (Chromium trace, 2026-12-07). The keys take two frames, half of the cards in each: all in
    // one, theirs was still the longest, 20 to 25 ms on a busy host, a third of it script.
    // A `div` around the list, as every drawing's container is (a `NodeRef` of another kind of
    // element costs its own copy of the node reference's code). It is laid out on its own.
    let keys_holder = island();
    for half in [Half::First, Half::Second] {
        let phase = Phase::block();
        redraw(move |_| {
            let cards = {
                let _in_phase = phase.enter();
                runner.with_sampled(|t| hot_key_cards(t.state()))
            };
            if let Some(list) = keys_holder.get().and_then(|holder| holder.first_element_child()) {
                show_cards(&list, &cards, half);
            }
        });
    }
    let database_phase = Phase::block();
    // The database line is written anew each round: on its own, that laid out the whole page.
    let database_island = island();
    let figures_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.2} s", tick as f64 * f64::from(TICK_MS) / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <h3>"Hot keys"</h3>
                // The cards (see `show_cards`) and the database line are redrawn with the charts, as
                // HTML: typed views for them cost this bundle about 1 KB gzipped more (2026-12-06).
                <div class="stampede-cards viz__figure viz__island" node_ref=keys_holder><ul class="stampede-keys viz__drawing"></ul></div>
                <div class="stampede-db viz__figure viz__island" aria-label="Database" node_ref=database_island>
                    <div class="stampede-db__line" inner_html=move || runner.with_sampled_in(database_phase, |t| database_line(t.state()))></div>
                </div>
                <LineChart title="Database load" series=series(runner, &[(Metric::DbRunning, "running", "var(--series-2)", ""), (Metric::DbQueued, "queued", "var(--series-4)", "6 3")]) x_range=x_range />
                <LineChart title="Latency (ms)" series=series(runner, &[(Metric::P50Ms, "p50", "var(--series-3)", ""), (Metric::P99Ms, "p99", "var(--series-4)", "6 3")]) x_range=x_range />
                <LineChart title="Cache hit ratio" series=series(runner, &[(Metric::HitRatio, "hit ratio", "var(--series-1)", "")]) x_range=x_range y_max=1.0 />
                <LineChart title="Failures per second" series=series(runner, &[(Metric::TimeoutsPerSecond, "timeouts", "var(--series-4)", ""), (Metric::RefusedPerSecond, "refused", "var(--series-5)", "2 3")]) x_range=x_range />
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Fixes (switch them during the run)"</legend>
                    {Fix::ALL.into_iter().map(|fix| view! {
                        <label class="toggle">
                            <input type="checkbox"
                                prop:checked=move || runner.with_sampled(|t| t.state().fixes().is_on(fix))
                                on:change=move |event| runner.act(Action::Set(fix, event_target_checked(&event))) />
                            <span>{fix.label()}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset>
                    <legend>"Events"</legend>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| runner.act(Action::ExpireHotKeys)>"Expire the hot keys"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::RestartCache)>"Restart the cache (cold)"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::WarmUp)>"Warm up"</button>
                    </div>
                </fieldset>
                <div class="viz__island" node_ref=figures_island><dl class="stat-grid">
                    <Stat label="Requests" value=stat(|s| s.totals().requests.to_string()) />
                    <Stat label="Hits" value=stat(|s| s.totals().hits.to_string()) />
                    <Stat label="DB queries" value=stat(|s| s.totals().queries_sent.to_string()) />
                    <Stat label="Timeouts" value=stat(|s| s.totals().timeouts.to_string()) />
                    <Stat label="Stale served" value=stat(|s| s.totals().stale_served.to_string()) />
                    <Stat label="Bloom rejected" value=stat(|s| s.totals().bloom_rejected.to_string()) />
                </dl></div>
                <details class="viz__fold" open=open>
                <summary>"Workload settings"</summary>
                <ParamSet runner=runner legend="Workload (starts a new run)" keys=&["variant", "rate", "keys", "skew", "ttl", "cost", "conc", "timeout", "missing", "beta", "jitter", "start"] />
                </details>
            </div>
        </div>
    }
}

/// The hot keys as cards: name, freshness, and the herd on each (its recomputations and waiters).
/// One hot key's card: its state in words and the share of the herd bar it fills.
struct Card {
    class: &'static str,
    name: String,
    status: String,
    load: String,
    herd: f64,
}

fn hot_key_cards(stampede: &Stampede) -> Vec<Card> {
    stampede
        .hot_keys()
        .map(|key| {
            let (class, status) = match key.status {
                KeyStatus::Fresh => ("fresh", format!("fresh, {:.1} s left", key.expires_in_ms.unwrap_or(0) as f64 / 1000.0)),
                KeyStatus::Expired => ("expired", "expired".to_string()),
                KeyStatus::Empty => ("empty", "not cached".to_string()),
            };
            let waiting = key.waiting();
            let waiting = if waiting > 0 { format!(" · {waiting} waiting") } else { String::new() };
            Card {
                class,
                name: key.name.clone(),
                status,
                load: format!("{} recomputing{waiting}", key.recomputations_in_flight),
                herd: (key.recomputations_in_flight as f64).min(50.0) / 50.0,
            }
        })
        .collect()
}

/// Which of the cards a redraw changes in place (all of them when they are written anew).
#[derive(Clone, Copy)]
enum Half {
    First,
    Second,
}

/// Shows `cards` in `list`, or the `half` of them a frame redraws. The same keys as last time
/// (every redraw while a run plays, bar a reset) change only their words, class and bar in place:
/// written anew as HTML at every redraw, the cards made the round's longest frame, 29 to 34 ms with
/// the CPU throttled 4x, most of it the browser styling and laying out some sixty new elements
/// (Chromium trace, 2026-12-07). Bars are drawn in SVG: a `style` attribute written as markup would
/// break the page's CSP. As HTML rather than typed views: those cost this bundle about 1 KB gzipped
/// more (2026-12-06).
fn show_cards(list: &web_sys::Element, cards: &[Card], half: Half) {
    // Each card's element, if the list holds one per card, in the same order of keys. Walked
    // with the element-sibling calls the harness uses (`in_place::keyed`): `children()` and
    // `className` brought this bundle 1.6 KB gzipped of their own glue (2026-12-07).
    let Some(items) = in_place::keyed(list, cards.iter().map(|card| card.name.as_str())) else {
        let mut html = String::new();
        for card in cards {
            html.push_str(&format!(
                r#"<li class="stampede-key stampede-key--{}"><span class="stampede-key__name">{}</span><span class="stampede-key__status">{}</span><span class="stampede-key__load">{}</span><svg class="stampede-key__bar" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true"><rect width="{}" height="1"/></svg></li>"#,
                card.class,
                escape(&card.name),
                card.status,
                card.load,
                card.herd
            ));
        }
        list.set_inner_html(&html);
        return;
    };
    let middle = cards.len().div_ceil(2);
    let (from, to) = match half {
        Half::First => (0, middle),
        Half::Second => (middle, cards.len()),
    };
    for (item, card) in items[from..to].iter().zip(&cards[from..to]) {
        let class = format!("stampede-key stampede-key--{}", card.class);
        if item.get_attribute("class").as_ref() != Some(&class) {
            let _ = item.set_attribute("class", &class);
        }
        let status = item.first_element_child().and_then(|name| name.next_element_sibling());
        let load = status.as_ref().and_then(|status| status.next_element_sibling());
        let bar = load.as_ref().and_then(|load| load.next_element_sibling()).and_then(|svg| svg.first_element_child());
        for (part, text) in [(status, &card.status), (load, &card.load)] {
            if let Some(part) = part {
                in_place::set_text(&part, text);
            }
        }
        let herd = card.herd.to_string();
        if let Some(bar) = bar.filter(|bar| bar.get_attribute("width").as_ref() != Some(&herd)) {
            let _ = bar.set_attribute("width", &herd);
        }
    }
}

/// The database's pool and queue in words, over a meter of its busy connections.
fn database_line(stampede: &Stampede) -> String {
    let db = stampede.database();
    format!(
        r#"<p><strong>Database: </strong>{} of {} connections busy, {} queued, queries {:.1}× slower than idle</p><svg class="stampede-db__meter" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true"><rect class="stampede-db__running" width="{}" height="1"/></svg>"#,
        db.running,
        db.concurrency,
        db.queued,
        db.slowdown,
        100.0 * f64::from(db.running) / f64::from(db.concurrency.max(1))
    )
}

//! The journey-of-a-request visualizer: a browser loading a page again and again, each load
//! travelling through DNS, the handshakes, the CDN edge, the load balancer, the service, its
//! cache and the database and back, with its waterfall filling in; the last load's total beside
//! it, and what each choice would make the next one take. Every setting acts on the next load.
//! All of it comes from the model (`viz::journey`); this file lays it out.

use atlas::widgets::{show_stats, Live, ParamSet};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas::harness::kit;
use atlas::harness::{redraw, stage, Controls, LineChart, Phase, Runner, Series, LINE_STYLES};
use atlas_components::viz::journey::stage::stage as draw_stage;
use atlas_components::viz::journey::{Action, Journey, Measure, JOURNEY_LIMIT, JOURNEY_PARAMS, JOURNEY_TICKS_PER_SECOND, TICK_MS};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// The chart shows the last 20 simulated seconds (a load ends about every half second).
const WINDOW_S: f64 = 20.0;
const CHART_LOADS: usize = 64;
/// Every setting is live: a change shapes the next page load (`Action::from_param`).
const LIVE: Live<Journey> = Live { current: |journey, key| journey.config().value(key), action: Action::from_param };

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Journey>::start(&tool, JOURNEY_PARAMS, JOURNEY_TICKS_PER_SECOND, JOURNEY_LIMIT)));
}

/// A difference in ms with its sign ("+80 ms", "−30 ms"), or "the same".
fn change(ms: i64) -> String {
    match ms {
        0 => "the same".to_string(),
        more if more > 0 => format!("+{more} ms"),
        less => format!("−{} ms", -less),
    }
}

fn view(runner: Runner<Journey>) -> impl IntoView {
    let x_range = runner.sampled(|t| {
        let now = t.state().time_ms() as f64 / 1000.0;
        ((now - WINDOW_S).max(0.0), now.max(5.0))
    });
    let loads = runner.sampled(|t| {
        let history = t.state().history();
        [(Measure::Total, "Whole load"), (Measure::Page, "The page itself"), (Measure::Setup, "DNS and handshakes")]
            .into_iter()
            .zip(LINE_STYLES)
            .map(|((measure, label), (colour, dash))| Series { label, colour, dash, points: history.points(measure, CHART_LOADS) })
            .collect::<Vec<_>>()
    });
    // The figures have a frame of their own while the run plays.
    let stats_phase = Phase::block();
    let stats = NodeRef::new();
    redraw(move |_| {
        runner.with_sampled_in(stats_phase, |t| {
            let journey = t.state();
            let (load, plan) = (journey.load(), &journey.load().plan);
            let now = if journey.finished_load() {
                format!("{} ms: the page at {} ms, {} ms of DNS and handshakes ({} round trips)", plan.total, plan.page_ms, plan.setup_ms(), plan.handshake_round_trips())
            } else {
                format!("{} ms so far", journey.elapsed_ms())
            };
            let mut rows = vec![(format!("Load {}", load.number), now)];
            if let Some(previous) = journey.previous() {
                rows.push((format!("Load {}", previous.number), format!("{} ms", previous.total_ms)));
            }
            let next = journey.next_plan().total;
            rows.push(("Next load, as set now".to_string(), format!("{next} ms")));
            for (action, total) in journey.comparisons() {
                rows.push((action.label(), format!("{total} ms ({})", change(i64::from(total) - i64::from(next)))));
            }
            show_stats(stats, &rows.iter().map(|(label, value)| (label.as_str(), value.clone())).collect::<Vec<_>>())
        })
    });
    let open = panel_beside_stage();
    let stats_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.3} s", (tick * u64::from(TICK_MS)) as f64 / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <div class="viz__island" node_ref=stats_island><dl class="stat-grid" aria-label="This load, the last one, and the next one under each choice" node_ref=stats></dl></div>
                <LineChart title="Each load's time (ms), drawn when it ended" x_range=x_range series=loads />
            </div>
            <div class="viz__panel">
                <ParamSet runner=runner legend="Choices (each shapes the next page load)" keys=&["keepalive", "proto", "tls", "zerortt", "dns", "cdnhit", "cachehit", "xregion"] live=LIVE />
                <fieldset>
                    <legend>"The browser"</legend>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| runner.act(Action::NewVisitor)>"New visitor: forget connections and tickets"</button>
                    </div>
                </fieldset>
                <details class="viz__fold" open=open>
                    <summary>"The page, round trips and work (illustrative values)"</summary>
                    <ParamSet runner=runner legend="The page, round trips and work (each shapes the next page load)" keys=&["assets", "rtt", "originrtt", "dnsrtt", "nsrtt", "dcrtt", "xrtt", "service", "queries", "querytime", "jitter"] live=LIVE />
                </details>
            </div>
        </div>
    }
}

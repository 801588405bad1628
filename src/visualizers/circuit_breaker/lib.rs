//! The circuit-breaker visualizer: users → A → B → C, each service with a bounded pool, a
//! breaker that can sit on either hop, and C's latency and failure rate under the reader's hand.

use atlas::widgets::{ParamSet, Stat, ValidatedField};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::{stage, Controls, LineChart, Phase, Runner, Series};
use atlas_components::sim::number::NumberRule;
use atlas_components::viz::breaker::{stage::stage as draw_stage, Action, BreakerChain, Hop, Metric, Service, BREAKER_PARAMS, MAX_LATENCY_MS, SAMPLE_MS, START_LATENCY_MS, TICK_MS};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// Ten-millisecond ticks: 100 per second is real time at 1×.
const TICKS_PER_SECOND: f64 = 100.0;
/// Three simulated minutes.
const LIMIT: u64 = 18_000;
/// The charts show the last minute.
const WINDOW_SAMPLES: usize = (60_000 / SAMPLE_MS) as usize;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<BreakerChain>::start(&tool, BREAKER_PARAMS, TICKS_PER_SECOND, LIMIT)));
}

/// Chart lines from the model's series. A window with no value (no answer to time, no breaker)
/// is NaN and breaks the line; trailing ones are dropped so the legend, which shows the last
/// point, never reads "NaN".
fn series(runner: Runner<BreakerChain>, lines: &'static [(Metric, &'static str, &'static str, &'static str)]) -> Signal<Vec<Series>> {
    runner.sampled(move |timeline| {
        let series = timeline.state().series();
        lines
            .iter()
            .map(|(metric, label, colour, dash)| {
                let mut points = series.points(*metric, WINDOW_SAMPLES);
                while points.last().is_some_and(|(_, value)| !value.is_finite()) {
                    points.pop();
                }
                Series { label, colour, dash, points }
            })
            .collect()
    })
}

/// A live setting of C typed as a number: checked by `rule` before it becomes an action.
fn live_number(rule: NumberRule, apply: impl Fn(u32) + Send + Sync + 'static) -> Callback<String, Result<(), String>> {
    Callback::new(move |raw: String| rule.parse(&raw).map(|value| apply(value as u32)))
}

fn view(runner: Runner<BreakerChain>) -> impl IntoView {
    let x_range = runner.sampled(|t| {
        let now = t.state().time_ms() as f64 / 1000.0;
        ((now - 60.0).max(0.0), now.max(10.0))
    });
    // The figures have a frame of their own while the run plays.
    let stats_phase = Phase::block();
    let stat = move |read: fn(&BreakerChain) -> String| Signal::derive(move || runner.with_sampled_in(stats_phase, |t| read(t.state())));
    let set_c = move |latency_ms: u32, failure_percent: u32| {
        let (latency, failure) = runner.with_state(|chain| (chain.latency_ms(), chain.failure_percent()));
        if latency != latency_ms {
            runner.act(Action::SetLatency(latency_ms));
        }
        if failure != failure_percent {
            runner.act(Action::SetFailureRate(failure_percent));
        }
    };
    let open = panel_beside_stage();
    let presets: [(&str, u32, u32); 4] = [("Healthy", START_LATENCY_MS, 0), ("Slow: 3 s", 3_000, 0), ("Failing: all errors", START_LATENCY_MS, 100), ("Flaky: half errors", START_LATENCY_MS, 50)];
    let figures_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.2} s", tick as f64 * f64::from(TICK_MS) / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <LineChart title="Users' requests per second" x_range=x_range series=series(runner, &[
                    (Metric::SucceededPerSecond, "succeeded", "var(--series-3)", ""),
                    (Metric::FailedPerSecond, "failed (error or timeout)", "var(--series-4)", "6 3"),
                    (Metric::RejectedFastPerSecond, "rejected fast by a breaker", "var(--series-2)", "2 3"),
                    (Metric::TurnedAwayPerSecond, "turned away (A full)", "var(--series-5)", "10 3 2 3"),
                ]) />
                <LineChart title="Threads busy (% of each pool)" x_range=x_range y_max=100.0 unit="%" series=series(runner, &[
                    (Metric::PoolUsePercent(Service::A), "A", "var(--series-1)", ""),
                    (Metric::PoolUsePercent(Service::B), "B", "var(--series-2)", "6 3"),
                    (Metric::PoolUsePercent(Service::C), "C", "var(--series-5)", "2 3"),
                ]) />
                <LineChart title="Users' latency (ms)" x_range=x_range series=series(runner, &[
                    (Metric::P50Ms, "p50", "var(--series-3)", ""),
                    (Metric::P99Ms, "p99", "var(--series-4)", "6 3"),
                ]) />
                <LineChart title="Breaker state (0 closed · 1 half-open · 2 open; gap: no breaker)" x_range=x_range y_max=2.0 series=series(runner, &[
                    (Metric::BreakerLevel(Hop::AB), "A → B", "var(--series-1)", ""),
                    (Metric::BreakerLevel(Hop::BC), "B → C", "var(--series-4)", "6 3"),
                ]) />
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Dependency C (changes live)"</legend>
                    <div class="button-row">
                        {presets.map(|(label, latency, failure)| view! {
                            <button type="button" class="chip"
                                aria-pressed=move || runner.timeline.with(|t| (t.state().latency_ms() == latency && t.state().failure_percent() == failure).to_string())
                                on:click=move |_| set_c(latency, failure)>
                                {label}
                            </button>
                        })}
                    </div>
                    <ValidatedField id=scoped_id("breaker-latency") label="C's latency (ms, 1–10,000)" inputmode="numeric"
                        current=Memo::new(move |_| runner.timeline.with(|t| t.state().latency_ms().to_string()))
                        commit=live_number(NumberRule::integer(1.0, f64::from(MAX_LATENCY_MS)), move |ms| if runner.with_state(|chain| chain.latency_ms()) != ms { runner.act(Action::SetLatency(ms)) }) />
                    <ValidatedField id=scoped_id("breaker-failure") label="C's failure rate (%, 0–100)" inputmode="numeric"
                        current=Memo::new(move |_| runner.timeline.with(|t| t.state().failure_percent().to_string()))
                        commit=live_number(NumberRule::integer(0.0, 100.0), move |percent| if runner.with_state(|chain| chain.failure_percent()) != percent { runner.act(Action::SetFailureRate(percent)) }) />
                </fieldset>
                <fieldset>
                    <legend>"Circuit breakers (switch them live)"</legend>
                    {Hop::BOTH.map(|hop| view! {
                        <label class="toggle">
                            <input type="checkbox"
                                prop:checked=move || runner.timeline.with(|t| t.state().breaker(hop).is_some())
                                on:change=move |event| runner.act(Action::SetBreaker(hop, event_target_checked(&event))) />
                            <span>{format!("Breaker on {}", hop.label())}</span>
                        </label>
                    })}
                </fieldset>
                <div class="viz__island" node_ref=figures_island><dl class="stat-grid">
                    <Stat label="Requests" value=stat(|s| s.totals().requests.to_string()) />
                    <Stat label="Succeeded" value=stat(|s| s.totals().succeeded.to_string()) />
                    <Stat label="Failed" value=stat(|s| s.totals().failed.to_string()) />
                    <Stat label="Rejected fast" value=stat(|s| s.totals().rejected_fast.to_string()) />
                    <Stat label="Turned away" value=stat(|s| s.totals().turned_away.to_string()) />
                    <Stat label="Calls that reached C" value=stat(|s| s.totals().calls_to_c.to_string()) />
                </dl></div>
                <details class="viz__fold" open=open>
                <summary>"Breaker and service settings"</summary>
                <ParamSet runner=runner legend="Breaker settings (start a new run)" keys=&["threshold", "min_calls", "window", "open", "probes"] />
                <ParamSet runner=runner legend="Services (start a new run)" keys=&["rate", "local", "pool_a", "pool_b", "pool_c", "queue", "timeout_ab", "timeout_bc"] />
                </details>
            </div>
        </div>
    }
}

//! The circuit-breaker visualizer: users → A → B → C, each service with a bounded pool, a
//! breaker that can sit on either hop, and C's latency and failure rate under the reader's hand.

use super::widgets::{ParamField, Stat};
use crate::harness::{Controls, LineChart, Runner, Series};
use atlas_components::sim::number::NumberRule;
use atlas_components::viz::breaker::{
    Action, BreakerChain, BreakerState, CircuitBreaker, Hop, Metric, PoolView, Service, BREAKER_PARAMS, MAX_LATENCY_MS, SAMPLE_MS, START_LATENCY_MS, TICK_MS,
};
use crate::harness::kit::{self, scoped_id};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// Ten-millisecond ticks: 100 per second is real time at 1×.
const TICKS_PER_SECOND: f64 = 100.0;
/// Three simulated minutes.
const LIMIT: u64 = 18_000;
/// The charts show the last minute.
const WINDOW_SAMPLES: usize = (60_000 / SAMPLE_MS) as usize;
const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 200.0;
const BOX_WIDTH: f64 = 150.0;
const BOX_TOP: f64 = 34.0;
const BOX_HEIGHT: f64 = 130.0;
const MIDDLE: f64 = BOX_TOP + 52.0;
/// A breaker's state sits in the gap under its switch; its details, wider than the gap, below
/// the boxes.
const LABEL_Y: f64 = BOX_TOP + BOX_HEIGHT + 20.0;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<BreakerChain>::start(&tool, BREAKER_PARAMS, TICKS_PER_SECOND, LIMIT)));
}

fn box_left(service: Service) -> f64 {
    match service {
        Service::A => 100.0,
        Service::B => 345.0,
        Service::C => 590.0,
    }
}

fn seconds(ms: f64) -> String {
    if ms.is_finite() {
        format!("{:.1} s", ms.max(0.0) / 1000.0)
    } else {
        "–".to_string()
    }
}

fn percent(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part.min(whole)) / f64::from(whole)
    }
}

/// One service: its name, what it is, and gauges for its threads and its waiting room.
fn service_box(service: Service, pool: PoolView, subtitle: String) -> impl IntoView {
    let x = box_left(service);
    let full = pool.is_saturated();
    let gauge = move |y: f64, label: String, share: f64| {
        view! {
            <text class="breaker-gauge__label" x=x + 10.0 y=y - 4.0>{label}</text>
            <rect class="breaker-gauge" x=x + 10.0 y=y width=BOX_WIDTH - 20.0 height=10 rx=3 />
            <rect class="breaker-gauge__fill" x=x + 10.0 y=y width=(BOX_WIDTH - 20.0) * share height=10 rx=3 />
        }
    };
    view! {
        <g class=if full { "breaker-service breaker-service--full" } else { "breaker-service" }>
            <rect x=x y=BOX_TOP width=BOX_WIDTH height=BOX_HEIGHT rx=10 />
            <text class="breaker-service__name" x=x + 10.0 y=BOX_TOP + 22.0>{service.name()}{if full { "  FULL" } else { "" }}</text>
            <text class="breaker-service__note" x=x + 10.0 y=BOX_TOP + 40.0>{subtitle}</text>
            {gauge(BOX_TOP + 70.0, format!("threads {} / {}", pool.busy, pool.threads), percent(pool.busy, pool.threads))}
            {gauge(BOX_TOP + 108.0, format!("waiting {} / {}", pool.queued, pool.queue_limit), percent(pool.queued, pool.queue_limit))}
        </g>
    }
}

/// A breaker drawn as a switch, so its state shows in shape as well as words: closed joins the
/// two contacts, open lifts the lever high, half-open lifts it a little with a dashed line.
fn breaker_switch(hop: Hop, breaker: Option<&CircuitBreaker>, now_ms: u64) -> impl IntoView {
    let left = box_left(hop.caller()) + BOX_WIDTH;
    let right = box_left(hop.callee());
    let centre = (left + right) / 2.0;
    let (pin_a, pin_b) = (centre - 20.0, centre + 20.0);
    let Some(breaker) = breaker else {
        return view! {
            <g class="breaker-switch breaker-switch--none">
                <line class="breaker-wire" x1=left x2=right y1=MIDDLE y2=MIDDLE />
                <text class="breaker-switch__label" x=centre y=MIDDLE + 28.0 text-anchor="middle">"no breaker"</text>
            </g>
        }
        .into_any();
    };
    let state = breaker.state();
    let settings = breaker.settings();
    let (angle, class, title): (f64, &str, &str) = match state {
        BreakerState::Closed => (0.0, "breaker-switch breaker-switch--closed", "CLOSED"),
        BreakerState::HalfOpen => (18.0, "breaker-switch breaker-switch--half", "HALF-OPEN"),
        BreakerState::Open => (45.0, "breaker-switch breaker-switch--open", "OPEN"),
    };
    let radians = angle.to_radians();
    let lever_end = (pin_a + 40.0 * radians.cos(), MIDDLE - 40.0 * radians.sin());
    let detail = match state {
        BreakerState::Closed => {
            let (calls, failures) = breaker.window_totals();
            format!("{failures} of {calls} failed")
        }
        BreakerState::Open => {
            let reopen_ms = u64::from(breaker.since() + settings.open_ticks) * u64::from(TICK_MS);
            format!("probes in {}", seconds(reopen_ms.saturating_sub(now_ms) as f64))
        }
        BreakerState::HalfOpen => {
            let (out, succeeded) = breaker.probes();
            format!("probes: {succeeded} ok, {out} out of {}", settings.probes)
        }
    };
    view! {
        <g class=class>
            <line class="breaker-wire" x1=left x2=pin_a y1=MIDDLE y2=MIDDLE />
            <line class="breaker-wire" x1=pin_b x2=right y1=MIDDLE y2=MIDDLE />
            <circle class="breaker-pin" cx=pin_a cy=MIDDLE r=4 />
            <circle class="breaker-pin" cx=pin_b cy=MIDDLE r=4 />
            <line class="breaker-lever" x1=pin_a y1=MIDDLE x2=lever_end.0 y2=lever_end.1 />
            <text class="breaker-switch__title" x=centre y=MIDDLE + 28.0 text-anchor="middle">{title}</text>
            <text class="breaker-switch__label" x=centre y=LABEL_Y text-anchor="middle">{detail}</text>
        </g>
    }
    .into_any()
}

fn stage(runner: Runner<BreakerChain>) -> impl IntoView {
    move || {
        runner.timeline.with(|timeline| {
            let chain = timeline.state();
            let config = chain.config();
            let now_ms = chain.time_ms();
            let subtitle = |service: Service| match service {
                Service::A => format!("{:.0}% need B", (1.0 - config.local_share) * 100.0),
                Service::B => format!("waits {} for C", seconds(f64::from(config.timeout_ms(Hop::BC)))),
                Service::C => format!("{} ms, {}% fail", chain.latency_ms(), chain.failure_percent()),
            };
            let label = Service::ALL
                .iter()
                .map(|&service| {
                    let pool = chain.pool(service);
                    format!("{}: {} of {} threads busy, {} waiting", service.name(), pool.busy, pool.threads, pool.queued)
                })
                .chain(Hop::BOTH.iter().map(|&hop| format!("breaker on {}: {}", hop.label(), chain.breaker(hop).map_or("none", |breaker| breaker.state().label()))))
                .collect::<Vec<_>>()
                .join("; ");
            view! {
                <svg class="breaker-stage" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label>
                    <g class="breaker-users">
                        <rect x=6 y=MIDDLE - 20.0 width=70 height=40 rx=20 />
                        <text x=41 y=MIDDLE + 5.0 text-anchor="middle">"Users"</text>
                    </g>
                    <line class="breaker-wire" x1=76 x2=box_left(Service::A) y1=MIDDLE y2=MIDDLE />
                    {Hop::BOTH.map(|hop| breaker_switch(hop, chain.breaker(hop), now_ms))}
                    {Service::ALL.map(|service| service_box(service, chain.pool(service), subtitle(service)))}
                    <text class="breaker-service__note" x=box_left(Service::A) y=BOX_TOP - 10.0>
                        {format!("A waits {} for B", seconds(f64::from(config.timeout_ms(Hop::AB))))}
                    </text>
                </svg>
            }
        })
    }
}

/// Chart lines from the model's series. A window with no value (no answer to time, no breaker)
/// is NaN and breaks the line; trailing ones are dropped so the legend, which shows the last
/// point, never reads "NaN".
fn series(runner: Runner<BreakerChain>, lines: &'static [(Metric, &'static str, &'static str, &'static str)]) -> Signal<Vec<Series>> {
    Signal::derive(move || {
        runner.timeline.with(|timeline| {
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
    })
}

/// A number typed for a live setting of C: checked before it becomes an action, with the
/// reason shown next to the field when it is refused. `current` should be a memo, so a run that
/// plays on does not overwrite what the reader is typing.
#[component]
fn LiveNumber(id: String, label: &'static str, rule: NumberRule, #[prop(into)] current: Signal<String>, #[prop(into)] on_valid: Callback<u32>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                inputmode="numeric"
                autocomplete="off"
                prop:value=current
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                on:change=move |event| match rule.parse(&event_target_value(&event)) {
                    Ok(value) => {
                        error.set(None);
                        on_valid.run(value as u32);
                    }
                    Err(message) => error.set(Some(message)),
                }
            />
            <span class="field__error" id=error_id role="alert">{move || error.get()}</span>
        </div>
    }
}

fn view(runner: Runner<BreakerChain>) -> impl IntoView {
    let x_range = Signal::derive(move || {
        let now = runner.timeline.with(|t| t.state().time_ms()) as f64 / 1000.0;
        ((now - 60.0).max(0.0), now.max(10.0))
    });
    let stat = move |read: fn(&BreakerChain) -> String| Signal::derive(move || runner.timeline.with(|t| read(t.state())));
    let set_c = move |latency_ms: u32, failure_percent: u32| {
        let (latency, failure) = runner.with_state(|chain| (chain.latency_ms(), chain.failure_percent()));
        if latency != latency_ms {
            runner.act(Action::SetLatency(latency_ms));
        }
        if failure != failure_percent {
            runner.act(Action::SetFailureRate(failure_percent));
        }
    };
    let presets: [(&str, u32, u32); 4] = [("Healthy", START_LATENCY_MS, 0), ("Slow: 3 s", 3_000, 0), ("Failing: all errors", START_LATENCY_MS, 100), ("Flaky: half errors", START_LATENCY_MS, 50)];
    view! {
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.2} s", tick as f64 * f64::from(TICK_MS) / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                {stage(runner)}
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
                    <LiveNumber id=scoped_id("breaker-latency") label="C's latency (ms, 1–10,000)" rule=NumberRule::integer(1.0, f64::from(MAX_LATENCY_MS))
                        current=Memo::new(move |_| runner.timeline.with(|t| t.state().latency_ms().to_string()))
                        on_valid=Callback::new(move |ms: u32| if runner.with_state(|chain| chain.latency_ms()) != ms { runner.act(Action::SetLatency(ms)) }) />
                    <LiveNumber id=scoped_id("breaker-failure") label="C's failure rate (%, 0–100)" rule=NumberRule::integer(0.0, 100.0)
                        current=Memo::new(move |_| runner.timeline.with(|t| t.state().failure_percent().to_string()))
                        on_valid=Callback::new(move |percent: u32| if runner.with_state(|chain| chain.failure_percent()) != percent { runner.act(Action::SetFailureRate(percent)) }) />
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
                <dl class="stat-grid">
                    <Stat label="Requests" value=stat(|s| s.totals().requests.to_string()) />
                    <Stat label="Succeeded" value=stat(|s| s.totals().succeeded.to_string()) />
                    <Stat label="Failed" value=stat(|s| s.totals().failed.to_string()) />
                    <Stat label="Rejected fast" value=stat(|s| s.totals().rejected_fast.to_string()) />
                    <Stat label="Turned away" value=stat(|s| s.totals().turned_away.to_string()) />
                    <Stat label="Calls that reached C" value=stat(|s| s.totals().calls_to_c.to_string()) />
                </dl>
                <fieldset>
                    <legend>"Breaker settings (start a new run)"</legend>
                    <ParamField runner=runner key="threshold" />
                    <ParamField runner=runner key="min_calls" />
                    <ParamField runner=runner key="window" />
                    <ParamField runner=runner key="open" />
                    <ParamField runner=runner key="probes" />
                </fieldset>
                <fieldset>
                    <legend>"Services (start a new run)"</legend>
                    <ParamField runner=runner key="rate" />
                    <ParamField runner=runner key="local" />
                    <ParamField runner=runner key="pool_a" />
                    <ParamField runner=runner key="pool_b" />
                    <ParamField runner=runner key="pool_c" />
                    <ParamField runner=runner key="queue" />
                    <ParamField runner=runner key="timeout_ab" />
                    <ParamField runner=runner key="timeout_bc" />
                </fieldset>
            </div>
        </div>
    }
}

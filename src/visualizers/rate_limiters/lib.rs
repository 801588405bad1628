//! The rate limiters visualizer: one stream of requests offered to a token bucket, a leaky
//! bucket, a fixed window, a sliding-window log and a sliding-window counter with the same limit,
//! each drawn with what it accepted and rejected, plus the delay the leaky bucket adds.

use atlas::widgets::{ParamField, Stat};
use atlas::harness::{stage, Controls, LineChart, Phase, Runner, Series};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas_components::viz::limiters::{stage::stage as draw_stage, format_ms, Action, DelayView, Kind, Line, LimiterView, Pattern, RateLimiters, LIMITER_PARAMS, SAMPLE_MS, TICK_MS};
use atlas::harness::kit;
use leptos::prelude::*;
use web_sys::HtmlElement;

/// Ten-millisecond ticks: 100 per second is real time at 1×.
const TICKS_PER_SECOND: f64 = 100.0;
/// Five simulated minutes.
const LIMIT: u64 = 30_000;
/// The charts show the last 20 seconds: five bursts at the default one-second window.
const WINDOW_SECONDS: f64 = 20.0;
const WINDOW_SAMPLES: usize = (WINDOW_SECONDS as u64 * 1000 / SAMPLE_MS) as usize;

const ACCEPTED: (&str, &str) = ("var(--series-3)", "");
const REJECTED: (&str, &str) = ("var(--series-4)", "6 3");
const SENT_ON: (&str, &str) = ("var(--series-2)", "2 3");

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<RateLimiters>::start(&tool, LIMITER_PARAMS, TICKS_PER_SECOND, LIMIT)));
}

/// Chart lines: `(line, legend, (colour, dash))`.
type LineSpec = (Line, &'static str, (&'static str, &'static str));

fn series(runner: Runner<RateLimiters>, lines: Vec<LineSpec>) -> Signal<Vec<Series>> {
    runner.sampled(move |timeline| {
        let history = timeline.state().history();
        lines.iter().map(|&(line, label, (colour, dash))| Series { label, colour, dash, points: history.points(line, WINDOW_SAMPLES) }).collect()
    })
}

fn chart_title(kind: Kind) -> &'static str {
    match kind {
        Kind::TokenBucket => "Token bucket: requests per second",
        Kind::LeakyBucket => "Leaky bucket: requests per second",
        Kind::FixedWindow => "Fixed window: requests per second",
        Kind::SlidingLog => "Sliding-window log: requests per second",
        Kind::SlidingCounter => "Sliding-window counter: requests per second",
    }
}

fn how_it_works(kind: Kind) -> &'static str {
    match kind {
        Kind::TokenBucket => "Spends a token per request; tokens refill at the limit's rate up to a full bucket.",
        Kind::LeakyBucket => "Queues requests and sends them on at the limit's rate; a full queue refuses.",
        Kind::FixedWindow => "Counts requests from each window's start and forgets them at the boundary.",
        Kind::SlidingLog => "Remembers when each accepted request came and counts those of the last window.",
        Kind::SlidingCounter => "Adds this window's count to the previous window's, weighted by how much of it overlaps.",
    }
}

/// Milliseconds, or a dash when there is nothing to measure yet.
fn optional_ms(ms: Option<u64>) -> String {
    ms.map_or_else(|| "–".to_string(), format_ms)
}

fn limiter_card(runner: Runner<RateLimiters>, kind: Kind) -> impl IntoView {
    // The card's words are redrawn in a frame of their own while the run plays (its chart too).
    let phase = Phase::block();
    let view_of = move || runner.with_sampled_in(phase, |t| t.state().limiter(kind));
    let stat = move |read: fn(&LimiterView, u32) -> String| {
        Signal::derive(move || runner.with_sampled_in(phase, |t| read(&t.state().limiter(kind), t.state().config().limit)))
    };
    let mut lines: Vec<LineSpec> = vec![(Line::Accepted(kind), "accepted", ACCEPTED), (Line::Rejected(kind), "rejected", REJECTED)];
    if kind == Kind::LeakyBucket {
        lines.push((Line::LeakySent, "sent on", SENT_ON));
    }
    let x_range = x_range(runner);
    let state_island = island();
    let figures_island = island();
    view! {
        <section class="limiters-card viz__figure" aria-label=kind.label()>
            <h3 class="limiters-card__title">{kind.label()}</h3>
            <p class="muted limiters-card__how">{how_it_works(kind)}</p>
            <div class="viz__island" node_ref=state_island><p class="limiters-card__state">"Now: "{move || view_of().state}</p></div>
            <div class="viz__island" node_ref=figures_island><dl class="stat-grid">
                <Stat label="Accepted" value=stat(|v, _| v.accepted.to_string()) />
                <Stat label="Rejected" value=stat(|v, _| v.rejected.to_string()) />
                <Stat
                    label=if kind == Kind::LeakyBucket { "Most sent on in any window" } else { "Most let through in any window" }
                    value=stat(|v, limit| if v.most_in_window > u64::from(limit) { format!("{} ▲ over {limit}", v.most_in_window) } else { v.most_in_window.to_string() })
                />
            </dl></div>
            <LineChart title=chart_title(kind) series=series(runner, lines) x_range=x_range />
        </section>
    }
}

fn x_range(runner: Runner<RateLimiters>) -> Signal<(f64, f64)> {
    runner.sampled(|t| {
        let now = t.state().time_ms() as f64 / 1000.0;
        ((now - WINDOW_SECONDS).max(0.0), now.max(10.0))
    })
}

fn view(runner: Runner<RateLimiters>) -> impl IntoView {
    let delays = move |read: fn(&DelayView) -> String| Signal::derive(move || runner.with_sampled(|t| read(&t.state().leaky_delays())));
    let settings = move || {
        runner.with_sampled(|t| {
            let config = *t.state().config();
            let (limit, seconds) = (config.limit, config.window_seconds());
            let rate = t.state().token_bucket().rate().requests_per_second();
            format!(
                "Every limiter allows {limit} requests per {seconds} s. Token bucket: {limit} tokens, refilled at {} per second. Leaky bucket: a queue of {limit}, sent on at {} per second. Windows: {seconds} s, counting to {limit}.",
                format_rate(rate),
                format_rate(rate)
            )
        })
    };
    let open = panel_beside_stage();
    // The totals table is redrawn in a frame of its own while the run plays.
    let table_phase = Phase::block();
    let delays_island = island();
    let table_island = island();
    let arrivals_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.2} s", (tick * TICK_MS) as f64 / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <LineChart title="Traffic offered to every limiter (requests per second)" series=series(runner, vec![(Line::Arrivals, "arrivals", ("var(--series-1)", ""))]) x_range=x_range(runner) />
                <div class="limiters-edge" role="note" aria-label="The edge burst">
                    <p class="limiters-edge__title"><strong>"The burst at a window edge"</strong></p>
                    <p>{move || runner.with_sampled(|t| t.state().edge_story()).unwrap_or_else(|| {
                        "No burst has crossed a window boundary yet. Choose “Burst at a window edge”: half the burst lands in the last 10 ms of a window and half in the first 10 ms of the next, and the fixed window lets both halves through.".to_string()
                    })}</p>
                </div>
                <div class="limiters-cards">
                    {Kind::ALL.into_iter().map(|kind| limiter_card(runner, kind)).collect_view()}
                </div>
                <section class="limiters-card limiters-card--wide viz__figure" aria-label="Latency the leaky bucket adds">
                    <h3 class="limiters-card__title">"Latency the leaky bucket adds"</h3>
                    <p class="muted">"A request waits for the requests queued ahead of it: queue ÷ rate. The percentiles cover the last "{move || runner.with_sampled(|t| t.state().leaky_delays().recent)}" requests it sent on."</p>
                    <div class="viz__island" node_ref=delays_island><dl class="stat-grid">
                        <Stat label="p50 wait" value=delays(|d| optional_ms(d.p50_ms)) />
                        <Stat label="p99 wait" value=delays(|d| optional_ms(d.p99_ms)) />
                        <Stat label="Mean wait" value=delays(|d| d.mean_ms.filter(|ms| ms.is_finite()).map_or_else(|| "–".to_string(), |ms| format_ms(ms.round() as u64))) />
                        <Stat label="Longest wait" value=delays(|d| format_ms(d.max_ms)) />
                        <Stat label="Queued now" value=delays(|d| format!("{} of {}", d.queued, d.capacity)) />
                        <Stat label="Queue drains in" value=delays(|d| format_ms(d.drain_ms)) />
                    </dl></div>
                    <LineChart
                        title="Leaky bucket: wait of the oldest queued request (ms)"
                        series=series(runner, vec![(Line::LeakyOldestWaitMs, "oldest wait (ms)", ("var(--series-5)", ""))])
                        x_range=x_range(runner)
                    />
                </section>
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Traffic (switch it during the run)"</legend>
                    <div class="button-row" role="radiogroup" aria-label="Traffic pattern">
                        {Pattern::ALL.into_iter().map(|pattern| view! {
                            <button type="button" class="chip" role="radio"
                                aria-checked=move || (runner.with_sampled(|t| t.state().pattern()) == pattern).to_string()
                                on:click=move |_| runner.act(Action::SetPattern(pattern))>
                                {pattern.label()}
                            </button>
                        }).collect_view()}
                    </div>
                    <div class="button-row limiters-burst">
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Burst)>
                            {move || format!("Burst now ({} requests)", runner.with_sampled(|t| t.state().config().burst))}
                        </button>
                    </div>
                </fieldset>
                <details class="viz__fold" open=open>
                <summary>"Limit and traffic settings"</summary>
                <fieldset>
                    <legend>"Limit and traffic (starts a new run)"</legend>
                    <ParamField runner=runner key="limit" />
                    <ParamField runner=runner key="window" />
                    <ParamField runner=runner key="rate" />
                    <ParamField runner=runner key="burst" />
                    <p class="muted limiters-settings">{settings}</p>
                </fieldset>
                </details>
                <div class="viz__island" node_ref=table_island><div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways on narrow screens)">
                    <table class="limiters-totals">
                        <caption>"Totals since the start"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Limiter"</th>
                                <th scope="col">"Accepted"</th>
                                <th scope="col">"Rejected"</th>
                                <th scope="col">"Most in any window"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || { runner.with_sampled_in(table_phase, |t| {
                                let limit = u64::from(t.state().config().limit);
                                Kind::ALL.into_iter().map(|kind| {
                                    let v = t.state().limiter(kind);
                                    let over = v.most_in_window > limit;
                                    view! {
                                        <tr>
                                            <th scope="row">{kind.label()}</th>
                                            <td>{v.accepted}</td>
                                            <td>{v.rejected}</td>
                                            <td class=("badge--warn", over)>{if over { format!("{} ▲ over the limit", v.most_in_window) } else { v.most_in_window.to_string() }}</td>
                                        </tr>
                                    }
                                }).collect_view()
                            }) }}
                        </tbody>
                    </table>
                </div></div>
                <div class="viz__island" node_ref=arrivals_island><p class="muted">{move || format!("Arrivals so far: {}. Every limiter accepted or rejected each one.", runner.with_sampled(|t| t.state().totals().arrivals))}</p></div>
            </div>
        </div>
    }
}

/// A rate such as 10 or 3.33 per second, without trailing zeros; a dash if not finite.
fn format_rate(rate: f64) -> String {
    if !rate.is_finite() {
        return "–".to_string();
    }
    let text = format!("{rate:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

//! The sharding visualizer: one data set and one workload split five ways at once (range, hash
//! mod N, consistent hashing, fixed partitions, a directory), the focused one drawn with its
//! shards' load and data and requests travelling to their owners, the others compared beside it;
//! the shard count sized from data and traffic with its working shown; a celebrity key, salting,
//! splitting and adding or removing shards under the reader's hand. All of it comes from the
//! model (`viz::sharding`); this file lays it out.

use atlas::widgets::{stat_rows, Live, ParamSet};
use atlas::harness::fit::panel_beside_stage;
use atlas::harness::kit;
use atlas::harness::{stage, Controls, Runner};
use atlas_components::viz::sharding::format::{data, duration, percent, times};
use atlas_components::viz::sharding::stage::stage as draw_stage;
use atlas_components::viz::sharding::{shard_name, Action, Setting, Sharding, Strategy, HOT_DEFAULT, SALT_DEFAULT, SHARDING_LIMIT, SHARDING_PARAMS, SHARDING_TICKS_PER_SECOND};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// The traffic, capacity, bandwidth and focus change the running model; the key space and the
/// strategies' own shapes start a new run.
const LIVE: Live<Sharding> = Live { current: |model, key| model.config().value(key), action: Action::from_param };

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Sharding>::start(&tool, SHARDING_PARAMS, SHARDING_TICKS_PER_SECOND, SHARDING_LIMIT)));
}

fn view(runner: Runner<Sharding>) -> impl IntoView {
    let sizing = move || {
        runner.with_sampled(|t| {
            let model = t.state();
            let sizing = model.sizing();
            let lines = sizing.formula(model.config());
            view! {
                <p>{format!("{} shards needed ({}): ", sizing.shards, sizing.bound())}</p>
                <ol class="sharding-formula">{lines.into_iter().map(|line| view! { <li><code>{line}</code></li> }).collect_view()}</ol>
            }
        })
    };
    let comparison = move || {
        runner.with_sampled(|t| {
            let model = t.state();
            let capacity = model.config().shard_qps;
            let bandwidth = model.config().bandwidth_mbps;
            Strategy::ALL
                .iter()
                .map(|strategy| {
                    let plan = model.plan(*strategy);
                    let moved = plan.last().map_or("nothing moved yet".to_string(), |last| format!("last move {} in {}", data(last.gb), duration(last.seconds(bandwidth))));
                    view! {
                        <tr class:sharding-focus=*strategy == model.focus()>
                            <th scope="row">{strategy.label()}</th>
                            <td>{times(plan.hottest_over_fair())}</td>
                            <td>{percent(plan.throttled(capacity))}</td>
                            <td>{moved}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let stats = move || {
        runner.with_sampled(|t| {
            let model = t.state();
            let plan = model.plan(model.focus());
            let (hottest, load) = plan.hottest();
            stat_rows(&[
                ("Shards", model.shards().to_string()),
                ("Requests the shards get", format!("{:.0}/s, {:.0}/s each if even", model.shard_rate(), model.shard_rate() / model.shards().max(1) as f64)),
                ("Busiest shard", format!("{} at {load:.0}/s", shard_name(hottest))),
                ("Throttled", percent(plan.throttled(model.config().shard_qps))),
            ])
        })
    };
    let open = panel_beside_stage();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.1} s", tick as f64 / 10.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <dl class="stat-grid" inner_html=stats></dl>
                <h3>"Every strategy on the same keys and traffic"</h3>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Strategies compared (scrolls sideways on narrow screens)">
                    <table>
                        <thead><tr><th scope="col">"Strategy"</th><th scope="col">"Busiest shard ÷ fair share"</th><th scope="col">"Requests throttled"</th><th scope="col">"Rebalancing"</th></tr></thead>
                        <tbody>{comparison}</tbody>
                    </table>
                </div>
                <h3>"How many shards"</h3>
                {sizing}
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Hot keys and shards (act on the running cluster)"</legend>
                    <div class="button-row">
                        <button type="button" class="button button--primary" on:click=move |_| runner.act(Action::Set(Setting::Hot, HOT_DEFAULT))>{format!("Make one user a celebrity ({HOT_DEFAULT}% of requests)")}</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Salt(SALT_DEFAULT))>{format!("Salt the hot key over {SALT_DEFAULT}")}</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Salt(1))>"Unsalt"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::SplitHotRange)>"Split the hot range"</button>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| runner.act(Action::AddShard)>"Add a shard"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::RemoveShard)>"Remove the last shard"</button>
                    </div>
                </fieldset>
                <ParamSet runner=runner legend="Strategy drawn, traffic and capacity (change the running cluster)" keys=&["focus", "rate", "skew", "hot", "reads", "data", "qps", "disk", "headroom", "bandwidth"] live=LIVE />
                <details class="viz__fold" open=open>
                    <summary>"Keys and shapes (start a new run)"</summary>
                    <ParamSet runner=runner legend="Keys and shapes (start a new run)" keys=&["shards", "keys", "order", "vnodes", "partitions"] />
                </details>
            </div>
        </div>
    }
}

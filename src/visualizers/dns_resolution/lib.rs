//! The DNS resolution visualizer: clients in two regions, their stub caches and recursive
//! resolvers, and the root, `.com` and example.com servers above; queries walking down the
//! hierarchy, answers cached with their TTLs, a migration that takes effect only as caches
//! expire, negative caching, geo-routing and a health-checked failover. Every setting acts on the
//! running system. All of it comes from the model (`viz::dns`); this file lays it out.

use atlas::widgets::{show_stats, Live, ParamSet};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas::harness::kit;
use atlas::harness::{redraw, stage, Controls, LineChart, Phase, Runner, Series, LINE_STYLES};
use atlas_components::viz::dns::stage::stage as draw_stage;
use atlas_components::viz::dns::{Action, Dns, Level, Measure, Metric, Region, DNS_LIMIT, DNS_PARAMS, DNS_TICKS_PER_SECOND, TICK_MS};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// The charts show the last minute of simulated time (samples every 500 ms).
const WINDOW_SAMPLES: usize = 120;
/// Every setting is live: a change acts on the running model (`Action::from_param`).
const LIVE: Live<Dns> = Live { current: |dns, key| dns.config().value(key), action: Action::from_param };

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Dns>::start(&tool, DNS_PARAMS, DNS_TICKS_PER_SECOND, DNS_LIMIT)));
}

fn view(runner: Runner<Dns>) -> impl IntoView {
    let x_range = runner.sampled(|t| {
        let now = t.state().time_ms() as f64 / 1000.0;
        ((now - 60.0).max(0.0), now.max(5.0))
    });
    let by_region = move |measure: Measure| {
        runner.sampled(move |t| {
            let series = t.state().series();
            Region::ALL.iter().zip(LINE_STYLES).map(|(region, (colour, dash))| Series { label: region.name(), colour, dash, points: series.points(Metric { measure, region: Some(*region) }, WINDOW_SAMPLES) }).collect::<Vec<_>>()
        })
    };
    // The figures have a frame of their own while the run plays.
    let stats_phase = Phase::block();
    let stats = NodeRef::new();
    redraw(move |_| {
        runner.with_sampled_in(stats_phase, |t| {
            let dns = t.state();
            let mut rows: Vec<(String, String)> = Vec::new();
            for region in Region::ALL {
                let recent = dns.recent(region);
                let hits = recent.resolver_hit_ratio().map_or("no queries reached it".to_string(), |ratio| format!("{:.0}% answered from its cache", ratio * 100.0));
                rows.push((format!("{}: resolver", region.name()), hits));
                if let (Some(p50), Some(p99)) = (recent.p50_ms, recent.p99_ms) {
                    rows.push((format!("{}: lookups", region.name()), format!("p50 {p50} ms, p99 {p99} ms (0 ms from the client's own cache)")));
                }
                let clients = dns.clients(region).len();
                let down = dns.on_down_server(region);
                let down = if down > 0 { format!(", {down} on a failed server") } else { String::new() };
                rows.push((format!("{}: clients", region.name()), format!("{} of {clients} on an old address{down}; example.com answers {}", dns.old_clients(region), dns.answer_for(region).ip())));
            }
            for level in Level::ALL {
                rows.push((format!("Queries to {}", level.name()), format!("{:.1} per second", dns.per_second(level))));
            }
            show_stats(stats, &rows.iter().map(|(label, value)| (label.as_str(), value.clone())).collect::<Vec<_>>())
        })
    });
    let up = Memo::new(move |_| runner.timeline.with(|t| Region::ALL.map(|region| t.state().server_up(region))));
    let open = panel_beside_stage();
    let stats_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.3} s", (tick * u64::from(TICK_MS)) as f64 / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <div class="viz__island" node_ref=stats_island><dl class="stat-grid stat-grid--sentences" aria-label="The last 5 simulated seconds" node_ref=stats></dl></div>
                <LineChart title="Share of clients on an old address, by region" x_range=x_range series=by_region(Measure::OldShare) y_max=1.0 />
                <LineChart title="Share of lookups the resolver answers from its cache, by region" x_range=x_range series=by_region(Measure::ResolverHitRatio) y_max=1.0 />
                <LineChart title="Queries a second to example.com's servers, by region" x_range=x_range series=by_region(Measure::Queries(Level::Auth)) />
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Changes and failures (act on the running system)"</legend>
                    <div class="button-row">
                        <button type="button" class="button button--primary" on:click=move |_| runner.act(Action::Migrate)>"Move www to new addresses"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Misspell)>"Look up a misspelt name"</button>
                    </div>
                    <div class="button-row">
                        {Region::ALL.into_iter().map(|region| view! {
                            <button type="button" class="button" on:click=move |_| {
                                let is_up = up.with_untracked(|up| up[region.index()]);
                                runner.act(if is_up { Action::Fail(region) } else { Action::Recover(region) });
                            }>{move || format!("{} the {} server", if up.with(|up| up[region.index()]) { "Fail" } else { "Bring back" }, region.short())}</button>
                            <button type="button" class="button" on:click=move |_| runner.act(Action::Flush(region))>{format!("Flush the {} resolver", region.short())}</button>
                        }).collect_view()}
                    </div>
                </fieldset>
                <ParamSet runner=runner legend="Records and TTLs (change the running system)" keys=&["ttl", "negttl", "tldttl", "rootttl"] live=LIVE />
                <details class="viz__fold" open=open>
                    <summary>"Clients, routing and health checks (change the running system)"</summary>
                    <ParamSet runner=runner legend="Clients, routing and health checks (change the running system)" keys=&["clients", "rate", "stub", "sticky", "geo", "interval", "threshold"] live=LIVE />
                </details>
            </div>
        </div>
    }
}

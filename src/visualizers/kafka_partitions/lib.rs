//! The Kafka visualizer: producers writing keyed records to a topic's partitions, leaders and
//! their in-sync replicas on the brokers, a consumer group sharing the partitions with its lag
//! per partition; brokers and consumers fail under the reader's hand, and the producers' and
//! consumers' settings change the running cluster. All of it comes from the model
//! (`viz::kafka`); this file lays it out.

use atlas::widgets::{show_stats, Live, ParamSet};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::{redraw, stage, Controls, LineChart, Phase, Runner, Series, LINE_STYLES};
use atlas_components::sim::Simulation;
use atlas_components::viz::kafka::stage::stage as draw_stage;
use atlas_components::viz::kafka::{broker_name, consumer_name, Action, Kafka, Metric, KAFKA_LIMIT, KAFKA_PARAMS, KAFKA_TICKS_PER_SECOND, TICK_MS};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// The charts show the last 30 simulated seconds (a sample every half second).
const WINDOW_SAMPLES: usize = 60;
/// The producers' and consumers' settings change the running cluster; the cluster's shape
/// (brokers, partitions, replication, consumers at the start) starts a new run.
const LIVE: Live<Kafka> = Live { current: |kafka, key| kafka.settings().value(key), action: Action::from_param };

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Kafka>::start(&tool, KAFKA_PARAMS, KAFKA_TICKS_PER_SECOND, KAFKA_LIMIT)));
}

fn view(runner: Runner<Kafka>) -> impl IntoView {
    let x_range = runner.sampled(|t| {
        let now = t.state().tick() as f64 * TICK_MS as f64 / 1000.0;
        ((now - 30.0).max(0.0), now.max(5.0))
    });
    let lines = move |metrics: &'static [(Metric, &'static str)]| {
        runner.sampled(move |t| {
            let series = t.state().series();
            metrics.iter().zip(LINE_STYLES).map(|((metric, label), (colour, dash))| Series { label, colour, dash, points: series.points(*metric, WINDOW_SAMPLES) }).collect::<Vec<_>>()
        })
    };
    // The figures have a frame of their own while the run plays.
    let stats_phase = Phase::block();
    let stats = NodeRef::new();
    redraw(move |_| runner.with_sampled_in(stats_phase, |t| show_stats(stats, &t.state().stats())));
    let brokers = Memo::new(move |_| runner.timeline.with(|t| t.state().brokers().iter().map(|broker| broker.up).collect::<Vec<_>>()));
    let consumers = Memo::new(move |_| runner.timeline.with(|t| t.state().consumers().iter().map(|consumer| consumer.id).collect::<Vec<_>>()));
    let broker = RwSignal::new(0u8);
    let consumer = RwSignal::new(0u8);
    let broker_picker = scoped_id("kafka-broker");
    let consumer_picker = scoped_id("kafka-consumer");
    let open = panel_beside_stage();
    let stats_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.2} s", (tick * TICK_MS) as f64 / 1000.0)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <div class="viz__island" node_ref=stats_island><dl class="stat-grid" node_ref=stats></dl></div>
                <LineChart title="Records per second, written and read" x_range=x_range series=lines(&[(Metric::Written, "written"), (Metric::Read, "read")]) />
                <LineChart title="Consumer lag (records not yet processed)" x_range=x_range series=lines(&[(Metric::Lag, "lag")]) />
                <LineChart title="Records lost, written twice and processed again (since the start)" x_range=x_range series=lines(&[(Metric::Lost, "lost after an acknowledgement"), (Metric::WrittenTwice, "written twice"), (Metric::Reprocessed, "processed again")]) />
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Brokers (act on the running cluster)"</legend>
                    <div class="field">
                        <label for=broker_picker.clone()>"Broker"</label>
                        <select id=broker_picker on:change=move |event| broker.set(event_target_value(&event).parse().unwrap_or(0)) prop:value=move || broker.get().to_string()>
                            {move || brokers.get().into_iter().enumerate().map(|(index, up)| view! {
                                <option value=index.to_string()>{format!("{} ({})", broker_name(index), if up { "up" } else { "down" })}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Kill(broker.get_untracked()))>"Kill"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::Restart(broker.get_untracked()))>"Restart"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::LoseAck)>"Lose the next acknowledgement"</button>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Consumer group (acts on the running group)"</legend>
                    <div class="field">
                        <label for=consumer_picker.clone()>"Consumer"</label>
                        <select id=consumer_picker on:change=move |event| consumer.set(event_target_value(&event).parse().unwrap_or(0)) prop:value=move || consumer.get().to_string()>
                            {move || consumers.get().into_iter().enumerate().map(|(slot, id)| view! { <option value=slot.to_string()>{consumer_name(id)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button button--primary" on:click=move |_| runner.act(Action::AddConsumer)>"Add a consumer"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::RemoveConsumer(consumer.get_untracked()))>"Leave cleanly"</button>
                        <button type="button" class="button" on:click=move |_| runner.act(Action::CrashConsumer(consumer.get_untracked()))>"Crash"</button>
                    </div>
                </fieldset>
                <ParamSet runner=runner legend="Producers and consumers (change the running cluster)" keys=&["acks", "minisr", "idem", "rate", "consume"] live=LIVE />
                <details class="viz__fold" open=open>
                    <summary>"Cluster shape (start a new run)"</summary>
                    <ParamSet runner=runner legend="Cluster shape (start a new run)" keys=&["brokers", "partitions", "rf", "consumers"] />
                </details>
            </div>
        </div>
    }
}

//! The Bloom filter visualizer: the bit array on the stage with the last item's positions, the
//! sizing worked out with its numbers, the measured false-positive rate charted beside the
//! formula's, and a field to add, test or remove an item of the reader's own. All of it comes
//! from the model (`viz::bloom`); this file lays it out.

use atlas::widgets::{ParamSet, show_stats};
use atlas::harness::fit::{island, panel_beside_stage};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::{redraw, stage, Controls, LineChart, Phase, Runner, Series};
use atlas_components::sim::number::group_thousands;
use atlas_components::viz::bloom::{check_item, percent, stage::stage as draw_stage, Action, Bloom, Metric, Variant, BLOOM_PARAMS};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// Ten operations a second at 1×: slow enough to read each verdict (the model keeps a reader's
/// own operation on the stage for 30 ticks).
const TICKS_PER_SECOND: f64 = 10.0;
/// Filling takes at most 400 ticks; the rest tests fresh items.
const LIMIT: u64 = 6_000;
const SAMPLES: usize = 4_096;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Bloom>::start(&tool, BLOOM_PARAMS, TICKS_PER_SECOND, LIMIT)));
}

fn view(runner: Runner<Bloom>) -> impl IntoView {
    let x_range = runner.sampled(|t| (0.0, (t.tick() as f64).max(100.0)));
    let lines = runner.sampled(|t| {
        let series = t.state().series();
        vec![
            Series { label: "measured false positives", colour: "var(--series-4)", dash: "", points: series.points(Metric::MeasuredPercent, SAMPLES) },
            Series { label: "formula at this fill", colour: "var(--series-2)", dash: "6 3", points: series.points(Metric::FormulaPercent, SAMPLES) },
        ]
    });
    // The figures have a frame of their own while the run plays.
    let stats_phase = Phase::block();
    let stats = NodeRef::new();
    redraw(move |_| {
        runner.with_sampled_in(stats_phase, |t| {
            let bloom = t.state();
            let sizing = bloom.sizing();
            let tally = bloom.tally();
            show_stats(stats, &[
                ("Items in", group_thousands(bloom.inserted() as f64)),
                ("Positions set", format!("{:.1}%", bloom.fill() * 100.0)),
                ("Fresh items tested", group_thousands(tally.tests as f64)),
                ("False positives", format!("{} ({})", group_thousands(tally.false_positives as f64), tally.rate().map_or("—".to_string(), percent))),
                ("Formula now", percent(bloom.formula_rate())),
                ("Size", format!("{} {} · k = {}", group_thousands(sizing.bits as f64), if bloom.variant() == Variant::Counting { "counters" } else { "bits" }, sizing.hashes)),
            ])
        })
    });
    let formulas = Memo::new(move |_| runner.timeline.with(|t| t.state().sizing().formula_lines()));
    let counting = Memo::new(move |_| runner.timeline.with(|t| t.state().variant() == Variant::Counting));
    let item = RwSignal::new(String::from("alice"));
    let error = RwSignal::new(None::<String>);
    let field = scoped_id("bloom-item");
    let error_id = scoped_id("bloom-item-error");
    let act = move |make: fn(String) -> Action| {
        let text = item.get_untracked();
        match check_item(&text) {
            Ok(()) => {
                error.set(None);
                runner.act(make(text));
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let open = panel_beside_stage();
    let stats_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("step {tick}")) />
        <div class="viz__grid">
            <div class="viz__stage">
                <LineChart title="False positives among fresh items (%)" x_range=x_range unit="%" series=lines />
                <h3>"The sizing, worked out"</h3>
                <ol class="bloom-formulas">
                    {move || formulas.get().into_iter().map(|line| view! { <li><code>{line}</code></li> }).collect_view()}
                </ol>
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Your own item"</legend>
                    <div class="field">
                        <label for=field.clone()>"Item (any text, up to 64 characters)"</label>
                        <input id=field type="text" autocomplete="off" spellcheck="false" prop:value=move || item.get()
                            aria-invalid=move || error.get().is_some().to_string() aria-describedby=error_id.clone()
                            on:input=move |event| item.set(event_target_value(&event))
                            on:keydown=move |event| if event.key() == "Enter" { act(Action::Test) } />
                        <span class="field__error" id=error_id role="alert">{move || error.get()}</span>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button button--primary" on:click=move |_| act(Action::Add)>"Add"</button>
                        <button type="button" class="button" on:click=move |_| act(Action::Test)>"Test"</button>
                        <button type="button" class="button" on:click=move |_| act(Action::Remove)
                            title=move || if counting.get() { "Remove it (counting filter)" } else { "A standard filter cannot remove: try it to see why" }>"Remove"</button>
                    </div>
                </fieldset>
                <div class="viz__island" node_ref=stats_island><dl class="stat-grid" node_ref=stats></dl></div>
                <details class="viz__fold" open=open>
                    <summary>"Filter settings (start a new run)"</summary>
                    <ParamSet runner=runner legend="Size it" keys=&["items", "fp", "variant", "batch"] />
                </details>
            </div>
        </div>
    }
}

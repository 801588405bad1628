//! The controls every simulation shares: play/pause (Space), step back and forward (← →),
//! speed, reset, a timeline that scrubs through recorded history, and Share.

use super::{Phase, Runner, SPEEDS};
use crate::dom;
use atlas_components::sim::number::NumberRule;
use atlas_components::sim::Simulation;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Binds the keyboard shortcuts on `root` (the visualizer's section), ignoring keys typed into
/// fields and the keys a focused slider or button needs for itself. The listener belongs to the
/// tool's reactive owner and is removed with it.
pub fn bind_keys<S: Simulation + 'static>(runner: Runner<S>, root: &web_sys::Element) {
    let listener = dom::on_keydown(root, move |event| {
        let target = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok());
        let tag = target.as_ref().map(|element| element.tag_name()).unwrap_or_default();
        let input_type = target.as_ref().and_then(|element| element.get_attribute("type")).unwrap_or_default();
        let in_field = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA") || target.as_ref().is_some_and(|element| element.get_attribute("contenteditable").is_some());
        match event.key().as_str() {
            " " if !in_field && tag != "BUTTON" && tag != "SUMMARY" && tag != "A" => {
                event.prevent_default();
                runner.playing.update(|playing| *playing = !*playing);
                if !runner.playing.get_untracked() {
                    runner.paused();
                }
            }
            "ArrowRight" if !in_field || input_type == "checkbox" => {
                event.prevent_default();
                runner.playing.set(false);
                runner.step_forward();
            }
            "ArrowLeft" if !in_field || input_type == "checkbox" => {
                event.prevent_default();
                runner.step_back();
            }
            _ => {}
        }
    });
    StoredValue::new_local(listener);
}

/// The control bar. `format_time` turns a tick into the clock text ("12.30 s").
#[component]
pub fn Controls<S: Simulation + 'static>(runner: Runner<S>, #[prop(into)] format_time: Callback<u64, String>) -> impl IntoView {
    let copied = RwSignal::new(String::new());
    let seed_error_id = super::use_tool().id("harness-seed-error");
    let seed_field_error_id = seed_error_id.clone();
    let seed_error = RwSignal::new(None::<String>);
    let tick = move || runner.timeline.with(|timeline| timeline.tick());
    let limit = runner.timeline.with_untracked(|timeline| timeline.limit());
    // The clock's text and the slider's end are redrawn in a frame of their own while the run
    // plays: with the numbers beside the stage they made the round's longest frame after the
    // picture's, 17 to 19 ms with the CPU throttled 4x (circuit breaker at 8x, 2026-12-07).
    let phase = Phase::block();
    let share = move |_| {
        let url = runner.share_url();
        runner.sync_url();
        copy_to_clipboard(url.clone(), copied, "Link copied.", format!("Copy this link: {url}"));
    };
    view! {
        <div class="harness" role="group" aria-label="Simulation controls">
            <div class="harness__row">
                <button
                    type="button"
                    class="button button--primary harness__play"
                    aria-pressed=move || if runner.playing.get() { "true" } else { "false" }
                    on:click=move |_| {
                        runner.playing.update(|playing| *playing = !*playing);
                        if !runner.playing.get_untracked() {
                            runner.paused();
                        }
                    }
                >
                    {move || if runner.playing.get() { "Pause" } else { "Play" }}
                </button>
                <button type="button" class="button" aria-label="Step back" title="Step back (←)" on:click=move |_| runner.step_back() aria-disabled=move || { (tick() == 0).to_string() }>
                    <span aria-hidden="true">"◀︎"</span>
                </button>
                <button type="button" class="button" aria-label="Step forward" title="Step forward (→)" on:click=move |_| { runner.playing.set(false); runner.step_forward(); } aria-disabled=move || { (tick() >= limit).to_string() }>
                    <span aria-hidden="true">"▶︎"</span>
                </button>
                <label class="harness__speed">
                    <span>"Speed"</span>
                    <select
                        prop:value=move || runner.speed.get().to_string()
                        on:change=move |event| {
                            if let Ok(speed) = event_target_value(&event).parse::<f64>() {
                                if SPEEDS.contains(&speed) {
                                    runner.speed.set(speed);
                                }
                            }
                        }
                    >
                        {SPEEDS.iter().map(|speed| view! { <option value=speed.to_string()>{format!("{speed}×")}</option> }).collect_view()}
                    </select>
                </label>
                <button type="button" class="button" on:click=move |_| runner.reset()>"Reset"</button>
                // A model that draws nothing at random (`Simulation::SEEDED`) offers no seed.
                {S::SEEDED.then(|| view! {
                    <label class="harness__seed">
                        <span>"Seed"</span>
                        <input
                            type="text"
                            inputmode="numeric"
                            size="6"
                            prop:value=move || runner.with_sampled(|timeline| timeline.seed().to_string())
                            aria-invalid=move || seed_error.get().is_some().to_string()
                            aria-describedby=seed_field_error_id
                            on:change=move |event| match NumberRule::integer(0.0, 1e15).parse(&event_target_value(&event)) {
                                Ok(seed) => {
                                    seed_error.set(None);
                                    runner.set_seed(seed as u64);
                                }
                                Err(message) => seed_error.set(Some(message)),
                            }
                        />
                    </label>
                })}
                <button type="button" class="button" on:click=share>"Share"</button>
            </div>
            // The slider's thumb moves every frame; its end, its spoken value and the clock's
            // text follow the charts (every 150 ms while playing, at once on a step, a scrub or
            // a pause): at the live end the thumb sits at the end either way, a screen reader
            // does not need 60 announcements a second, and nobody reads digits that change 60
            // times a second. A new text every frame cost 0.4 ms of layout a frame on the Kafka
            // page at 8x (Chromium trace, 2026-12-06), a tenth of the frame budget.
            <label class="harness__timeline">
                <span class="harness__time">{move || runner.with_sampled_in(phase, |timeline| format_time.run(timeline.tick()))}</span>
                <span class="sr-only">"Timeline"</span>
                <input
                    type="range"
                    min="0"
                    prop:max=move || runner.with_sampled_in(phase, |timeline| timeline.recorded().max(timeline.tick()).max(1).to_string())
                    prop:value=move || tick().to_string()
                    aria-valuetext=move || runner.with_sampled_in(phase, |timeline| format_time.run(timeline.tick()))
                    on:input=move |event| {
                        if let Ok(target) = event_target_value(&event).parse::<u64>() {
                            runner.playing.set(false);
                            runner.seek(target);
                        }
                    }
                />
            </label>
            {S::SEEDED.then(|| view! {
                <p class="field__error" id=seed_error_id role="alert">{move || seed_error.get().map(|message| format!("Seed: {message}"))}</p>
            })}
            <p class="harness__copied" role="status">{move || copied.get()}</p>
            <ul class="harness__notes">
                {move || runner.notes.get().into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}
            </ul>
            <p class="harness__narration" aria-live="polite">{move || runner.narration.get()}</p>
        </div>
    }
}

/// Copies `text` and reports how it went into `status`: `done`, or `refused` when the browser
/// will not copy (no permission, an insecure origin).
pub fn copy_to_clipboard(text: String, status: RwSignal<String>, done: &'static str, refused: String) {
    let promise = dom::window().navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        status.try_set(if copied { done.to_string() } else { refused });
    });
}

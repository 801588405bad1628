//! Small controls the visualizers share: a parameter field that validates what is typed, a
//! stat tile, and the frame around a visualizer.

use crate::harness::Runner;
use atlas_components::sim::{ParamKind, Simulation};
use leptos::prelude::*;

/// A labelled control for one parameter. Numbers are validated as typed and an error appears
/// next to the field; a valid change starts a new run with the same seed.
#[component]
pub fn ParamField<S: Simulation + 'static>(runner: Runner<S>, key: &'static str) -> impl IntoView {
    let spec = runner.params().schema().iter().copied().find(|spec| spec.key == key).expect("the parameter exists in its schema");
    let error = RwSignal::new(None::<String>);
    // A memo, so a playing run does not rewrite the field on every tick while someone types.
    let current = Memo::new(move |_| runner.timeline.with(|timeline| timeline.params().value(key).to_text()));
    let tool = crate::harness::use_tool();
    let id = tool.id(&format!("param-{key}"));
    let error_id = tool.id(&format!("param-{key}-error"));
    let commit = move |raw: String| match runner.set_param(key, &raw) {
        Ok(()) => error.set(None),
        Err(message) => error.set(Some(message)),
    };
    let control = match spec.kind {
        ParamKind::Choice(options) => view! {
            <select id=id.clone() prop:value=current on:change=move |event| commit(event_target_value(&event))>
                {options.iter().map(|(value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
            </select>
        }
        .into_any(),
        ParamKind::Bool => view! {
            <select id=id.clone() prop:value=current on:change=move |event| commit(event_target_value(&event))>
                <option value="0">"Off"</option>
                <option value="1">"On"</option>
            </select>
        }
        .into_any(),
        ParamKind::Int { .. } | ParamKind::Float { .. } => view! {
            <input
                id=id.clone()
                type="text"
                inputmode="decimal"
                autocomplete="off"
                prop:value=current
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                on:change=move |event| commit(event_target_value(&event))
            />
        }
        .into_any(),
    };
    let range = match spec.kind {
        ParamKind::Int { min, max } => format!(" ({min}–{max})"),
        ParamKind::Float { min, max } => format!(" ({min}–{max})"),
        _ => String::new(),
    };
    view! {
        <div class="field">
            <label for=id>{spec.label}{range}</label>
            {control}
            <span class="field__error" id=error_id role="alert">{move || error.get()}</span>
        </div>
    }
}

/// A labelled number in the stats grid.
#[component]
pub fn Stat(label: &'static str, #[prop(into)] value: Signal<String>) -> impl IntoView {
    view! {
        <div class="stat">
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}

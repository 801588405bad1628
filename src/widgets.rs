//! Small controls the visualizers share: the validated field, a parameter's control, a stat tile,
//! copying to the clipboard.

use crate::harness::{in_place, Runner};
use atlas_components::sim::{ParamKind, Simulation, Value};
use atlas_components::diagram::svg::escape;
use leptos::prelude::*;

/// For a tool whose parameters are also live settings: the value a parameter has in the running
/// model now, and the action that changes it (`None` when the model has no such setting).
pub struct Live<S: Simulation> {
    pub current: fn(&S, &str) -> Option<Value>,
    pub action: fn(&str, Value) -> Option<S::Action>,
}

impl<S: Simulation> Clone for Live<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: Simulation> Copy for Live<S> {}

/// A labelled control for one parameter. Numbers are validated as typed and an error appears
/// next to the field; a valid change starts a new run with the same seed, or, given `live`,
/// changes the running model at once (and the field shows the model's value).
#[component]
pub fn ParamField<S: Simulation + 'static>(runner: Runner<S>, key: &'static str, #[prop(default = None)] live: Option<Live<S>>) -> impl IntoView {
    let spec = runner.params().schema().iter().copied().find(|spec| spec.key == key).expect("the parameter exists in its schema");
    // A memo, so a playing run does not rewrite the field on every tick while someone types;
    // read at the charts' pace (at once after the reader's own change), not on every frame.
    let current = Memo::new(move |_| {
        runner.with_sampled(|timeline| live.and_then(|live| (live.current)(timeline.state(), key)).unwrap_or_else(|| timeline.params().value(key)).to_text())
    });
    let tool = crate::harness::use_tool();
    let id = tool.id(&format!("param-{key}"));
    let range = match spec.kind {
        ParamKind::Int { min, max } => format!(" ({min}–{max})"),
        ParamKind::Float { min, max } => format!(" ({min}–{max})"),
        _ => String::new(),
    };
    let choices: Option<Vec<(&'static str, &'static str)>> = match spec.kind {
        ParamKind::Choice(options) => Some(options.to_vec()),
        ParamKind::Bool => Some(vec![("0", "Off"), ("1", "On")]),
        ParamKind::Int { .. } | ParamKind::Float { .. } => None,
    };
    let commit = Callback::new(move |raw: String| match live {
        None => runner.set_param(key, &raw),
        Some(live) => {
            let value = spec.parse(&raw)?;
            runner.act((live.action)(key, value).ok_or_else(|| format!("{} cannot change while the run goes", spec.label))?);
            Ok(())
        }
    });
    match choices {
        None => view! { <ValidatedField id=id label=format!("{}{range}", spec.label) current=current inputmode="decimal" commit=commit /> }.into_any(),
        Some(options) => {
            let error = RwSignal::new(None::<String>);
            view! {
                <div class="field">
                    <label for=id.clone()>{spec.label}</label>
                    <select id=id prop:value=current on:change=move |event| error.set(commit.run(event_target_value(&event)).err())>
                        {options.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                    <span class="field__error" role="alert">{move || error.get()}</span>
                </div>
            }
            .into_any()
        }
    }
}

/// The parameters `keys` as one fieldset under `legend`, each its `ParamField`: the settings
/// panel every simulated tool has, written once.
#[component]
pub fn ParamSet<S: Simulation + 'static>(runner: Runner<S>, legend: &'static str, keys: &'static [&'static str], #[prop(optional)] live: Option<Live<S>>) -> impl IntoView {
    view! {
        <fieldset>
            <legend>{legend}</legend>
            {keys.iter().map(|key| view! { <ParamField runner=runner key=*key live=live /> }).collect_view()}
        </fieldset>
    }
}

/// The one accessible validated text field: a label, the input, and the reason a value was
/// refused, tied together (`for`, `aria-invalid`, `aria-describedby`, an alert). `commit` checks
/// and applies what was typed when it changes; its error stays until a value is accepted.
/// `current` should be a memo, so a run that plays on does not overwrite what the reader types.
///
/// By default the field keeps its own error. A caller whose errors outlive the field or are
/// cleared from elsewhere (the capacity planner forgets them when a template replaces the
/// inputs) passes `error` and records `commit`'s refusals itself.
#[component]
pub fn ValidatedField(
    id: String,
    #[prop(into)] label: String,
    #[prop(into)] current: Signal<String>,
    /// The on-screen keyboard to offer: `numeric` (digits), `decimal`, or `text` (names and codes,
    /// never spell-checked).
    inputmode: &'static str,
    commit: Callback<String, Result<(), String>>,
    #[prop(optional)] error: Option<Signal<Option<String>>>,
    /// For a field whose heading is elsewhere (a table's column and row): the label is read by
    /// screen readers but not shown.
    #[prop(optional)]
    hide_label: bool,
) -> impl IntoView {
    let own = RwSignal::new(None::<String>);
    let controlled = error.is_some();
    let error = error.unwrap_or_else(|| own.into());
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone() class=hide_label.then_some("sr-only")>{label}</label>
            <input
                id=id
                type="text"
                inputmode=inputmode
                autocomplete="off"
                spellcheck="false"
                prop:value=current
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                on:change=move |event| {
                    let outcome = commit.run(event_target_value(&event));
                    if !controlled {
                        own.set(outcome.err());
                    }
                }
            />
            <span class="field__error" id=error_id role="alert">{move || error.get()}</span>
        </div>
    }
}

/// A whole stats grid's rows as markup, for a `<dl class="stat-grid">` that a run redraws with its
/// charts: one string for all its numbers instead of a reactive component per number, which
/// cost a bundle about 0.4 KB gzipped each (measured 2026-12 on the SLO tool). Values are escaped.
pub fn stat_rows(items: &[(&str, String)]) -> String {
    items.iter().map(|(label, value)| format!(r#"<div class="stat"><dt>{}</dt><dd>{}</dd></div>"#, escape(label), escape(value))).collect()
}

/// Shows `items` in `grid`, a `<dl class="stat-grid">` a run redraws, as [`stat_rows`] writes
/// them: while the grid shows the same labels in the same order, only the values that changed
/// are rewritten, as text; otherwise the rows are written anew. Written anew each round, the
/// kafka-partitions grid's frame took 17.6 to 19.8 ms at 8x with the CPU throttled 4x, against
/// 14.5 to 15.9 ms in place: new elements are parsed, styled, laid out and painted whole
/// (Chromium trace, 2026-12-07). For a `harness::redraw`, which runs again once the grid is on
/// the page.
pub fn show_stats(grid: NodeRef<leptos::html::Dl>, items: &[(&str, String)]) {
    let Some(grid) = grid.get() else { return };
    let Some(rows) = in_place::keyed(&grid, items.iter().map(|(label, _)| *label)) else {
        grid.set_inner_html(&stat_rows(items));
        return;
    };
    for (row, (_, value)) in rows.iter().zip(items) {
        if let Some(figure) = row.first_element_child().and_then(|term| term.next_element_sibling()) {
            in_place::set_text(&figure, value);
        }
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

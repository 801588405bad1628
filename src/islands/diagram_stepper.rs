//! Step-through for a diagram: Previous / Next buttons and the arrow keys walk the steps the
//! build listed under the figure, lighting the elements each step names.

use crate::dom;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

struct DiagramStep {
    title: String,
    caption: String,
    highlight: Vec<String>,
    item: HtmlElement,
}

/// Reads the steps from the prerendered list and mounts the controls above it.
pub fn mount(figure: HtmlElement) {
    let items = dom::query_all(&figure, "ol.dg-steps > li");
    if items.is_empty() {
        return;
    }
    let steps: Vec<DiagramStep> = items
        .into_iter()
        .map(|item| {
            let title = item.query_selector("strong").ok().flatten().and_then(|strong| strong.text_content()).unwrap_or_default();
            let full = item.text_content().unwrap_or_default();
            let caption = full.trim_start().strip_prefix(title.as_str()).unwrap_or(&full).trim().to_string();
            let highlight = item.get_attribute("data-highlight").unwrap_or_default().split_whitespace().map(str::to_string).collect();
            DiagramStep { title, caption, highlight, item }
        })
        .collect();
    let walk = figure.query_selector(".diagram__walk").ok().flatten();
    let prerendered = figure.query_selector(".diagram__controls").ok().flatten().and_then(|slot| slot.dyn_into::<HtmlElement>().ok());
    let Some(slot) = prerendered.or_else(|| dom::insert_slot(&figure, walk.as_ref(), "diagram__controls")) else { return };
    let svg = figure.query_selector("svg.dg").ok().flatten();
    let elements = svg.as_ref().map(|svg| dom::query_all_elements(svg, "[data-id]")).unwrap_or_default();
    leptos::mount::mount_to(slot, move || stepper(figure, steps, svg, elements)).forget();
}

fn stepper(figure: HtmlElement, steps: Vec<DiagramStep>, svg: Option<web_sys::Element>, elements: Vec<web_sys::Element>) -> impl IntoView {
    let count = steps.len();
    // `None` shows the whole diagram; `Some(i)` is step i.
    let current = RwSignal::new(None::<usize>);
    let steps = StoredValue::new_local(steps);

    Effect::new(move |_| {
        let at = current.get();
        steps.with_value(|steps| {
            let lit: Vec<&str> = at.map(|i| steps[i].highlight.iter().map(String::as_str).collect()).unwrap_or_default();
            if let Some(svg) = &svg {
                let _ = svg.class_list().toggle_with_force("is-stepping", at.is_some());
            }
            for element in &elements {
                let id = element.get_attribute("data-id").unwrap_or_default();
                let _ = element.class_list().toggle_with_force("is-on", lit.contains(&id.as_str()));
            }
            for (index, step) in steps.iter().enumerate() {
                if Some(index) == at {
                    let _ = step.item.set_attribute("aria-current", "step");
                } else {
                    let _ = step.item.remove_attribute("aria-current");
                }
            }
        });
    });

    let next = move || current.update(|at| *at = Some(at.map_or(0, |i| (i + 1).min(count - 1))));
    let previous = move || current.update(|at| *at = at.map(|i| i.saturating_sub(1)));
    // Removed with the island's reactive owner.
    StoredValue::new_local(dom::on_keydown(figure.unchecked_ref(), move |event| {
        let handled = match event.key().as_str() {
            "ArrowRight" => {
                next();
                true
            }
            "ArrowLeft" => {
                previous();
                true
            }
            "Home" => {
                current.set(Some(0));
                true
            }
            "End" => {
                current.set(Some(count - 1));
                true
            }
            "Escape" => {
                current.set(None);
                true
            }
            _ => false,
        };
        if handled {
            event.prevent_default();
        }
    }));

    let at_start = move || current.get().is_none_or(|i| i == 0);
    let at_end = move || current.get() == Some(count - 1);
    let position = move || match current.get() {
        Some(i) => format!("Step {} of {count}", i + 1),
        None => format!("{count} steps"),
    };
    let caption = move || {
        current.get().map(|i| steps.with_value(|steps| (steps[i].title.clone(), steps[i].caption.clone())))
    };
    view! {
        <div class="stepper" role="group" aria-label="Walk through the diagram">
            <div class="stepper__buttons">
                // aria-disabled rather than disabled: a button that disables itself under the
                // keyboard focus would drop the focus to the page and lose the arrow keys.
                <button type="button" class="button" on:click=move |_| previous() aria-disabled=move || { at_start().to_string() }>
                    <span aria-hidden="true">"← "</span>"Previous"
                </button>
                <span class="stepper__position">{position}</span>
                <button type="button" class="button button--primary" on:click=move |_| next() aria-disabled=move || { at_end().to_string() }>
                    {move || if current.get().is_none() { "Start" } else { "Next" }}<span aria-hidden="true">" →"</span>
                </button>
                <button type="button" class="button stepper__all" on:click=move |_| current.set(None) aria-disabled=move || { current.get().is_none().to_string() }>
                    "Show all"
                </button>
            </div>
            <p class="stepper__caption" aria-live="polite">
                {move || match caption() {
                    Some((title, text)) => view! { <strong>{title}</strong>" "{text} }.into_any(),
                    None => view! { <span class="muted">"Press Start, or use the arrow keys, to walk through the diagram one step at a time."</span> }.into_any(),
                }}
            </p>
        </div>
    }
}

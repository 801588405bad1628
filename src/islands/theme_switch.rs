//! The theme switch in the header: light, dark, or follow the system; remembered across visits.

use crate::dom;
use atlas_components::theme::Theme;
use leptos::prelude::*;

const STORAGE_KEY: &str = "atlas-theme";

fn stored_theme() -> Theme {
    let stored = dom::local_storage().and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
    Theme::parse(stored.as_deref())
}

fn apply(theme: Theme) {
    let root = dom::document().document_element().expect("a document has a root element");
    let _ = match theme.attribute() {
        Some(value) => root.set_attribute("data-theme", value),
        None => root.remove_attribute("data-theme"),
    };
    if let Some(storage) = dom::local_storage() {
        let _ = match theme {
            Theme::System => storage.remove_item(STORAGE_KEY),
            other => storage.set_item(STORAGE_KEY, other.as_str()),
        };
    }
}

/// A labelled select; the choice applies at once and is stored for the next visit.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let theme = RwSignal::new(stored_theme());
    view! {
        <label class="theme-switch">
            <span class="theme-switch__label">"Theme"</span>
            <select
                on:change=move |event| {
                    let chosen = Theme::parse(Some(&event_target_value(&event)));
                    theme.set(chosen);
                    apply(chosen);
                }
                prop:value=move || theme.get().as_str()
            >
                {Theme::ALL
                    .into_iter()
                    .map(|option| view! { <option value=option.as_str()>{option.label()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

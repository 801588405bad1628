//! The theme switch in the header: light, dark, or follow the system; remembered across visits.
//!
//! Stored through `web-sys`'s `Storage` rather than `gloo-storage`: gloo-storage keeps values as
//! JSON (`"dark"` with quotes), so it would misread the plain `dark` every returning reader already
//! has stored (and that the inline boot script reads before first paint), and it links
//! `serde_json` (+20.9 KB of wasm, measured 2026-12).

use crate::dom::{self, El};
use atlas_components::theme::{Theme, THEME_CHANGED};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlSelectElement};

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
    if let Ok(changed) = web_sys::Event::new(THEME_CHANGED) {
        let _ = dom::window().dispatch_event(&changed);
    }
}

/// A labelled select; the choice applies at once and is stored for the next visit.
pub fn mount(slot: HtmlElement) {
    let select = Theme::ALL
        .into_iter()
        .fold(El::new("select"), |select, option| select.child(El::new("option").attr("value", option.as_str()).text(option.label())))
        .on("change", |event| {
            if let Some(select) = event.target().and_then(|target| target.dyn_into::<HtmlSelectElement>().ok()) {
                apply(Theme::parse(Some(&select.value())));
            }
        })
        .build()
        .unchecked_into::<HtmlSelectElement>();
    select.set_value(stored_theme().as_str());
    let label = El::new("label").class("theme-switch").child(El::new("span").class("theme-switch__label").text("Theme")).child(&select);
    let _ = slot.append_child(label.as_ref());
}

//! Small helpers over `web-sys`, so the rest of the app reads as what it does.

use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement, Storage, Window};

pub fn window() -> Window {
    web_sys::window().expect("the app runs in a browser window")
}

pub fn document() -> Document {
    window().document().expect("the window has a document")
}

/// `localStorage`, or `None` where it is blocked (private modes, sandboxed frames).
pub fn local_storage() -> Option<Storage> {
    window().local_storage().ok().flatten()
}

/// Every element carrying `data-island`, with the island's name.
pub fn islands() -> Vec<(String, HtmlElement)> {
    let Ok(nodes) = document().query_selector_all("[data-island]") else {
        return Vec::new();
    };
    (0..nodes.length())
        .filter_map(|index| nodes.item(index))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .filter_map(|element| element.get_attribute("data-island").map(|name| (name, element)))
        .collect()
}

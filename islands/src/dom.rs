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

/// Whether the page loads its tools' bundle only when the reader comes near a tool
/// (`<html data-tools="deferred">`, written by sitegen on long pages): the core bundle then runs
/// the page and the tools' bundle mounts the tools alone.
pub fn tools_deferred() -> bool {
    document().document_element().is_some_and(|root| root.get_attribute("data-tools").as_deref() == Some("deferred"))
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

/// The elements under `root` matching `selector`, as `T` (`HtmlElement`, or `Element` to include
/// SVG); nodes of another kind are skipped.
pub fn query_all<T: JsCast>(root: &web_sys::Element, selector: &str) -> Vec<T> {
    let Ok(nodes) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..nodes.length()).filter_map(|index| nodes.item(index)).filter_map(|node| node.dyn_into::<T>().ok()).collect()
}

/// Runs `handler` for every `event` on `target` for as long as the page lives (islands are never
/// unmounted). Not passive, so a handler may call `prevent_default`.
pub fn listen(target: &web_sys::EventTarget, event: &'static str, handler: impl FnMut(&web_sys::Event) + 'static) {
    gloo_events::EventListener::new_with_options(target, event, gloo_events::EventListenerOptions::enable_prevent_default(), handler).forget();
}

/// Runs `handler` for every `keydown` on `target` until the returned listener is dropped.
pub fn on_keydown(target: &web_sys::EventTarget, mut handler: impl FnMut(web_sys::KeyboardEvent) + 'static) -> gloo_events::EventListener {
    gloo_events::EventListener::new_with_options(target, "keydown", gloo_events::EventListenerOptions::enable_prevent_default(), move |event| {
        if let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() {
            handler(event.clone());
        }
    })
}

/// A new `div` inserted into `parent` before `before` (or at the end), to mount an island into.
pub fn insert_slot(parent: &web_sys::Element, before: Option<&web_sys::Element>, class: &str) -> Option<HtmlElement> {
    let slot = document().create_element("div").ok()?.dyn_into::<HtmlElement>().ok()?;
    slot.set_class_name(class);
    let before: Option<&web_sys::Node> = before.map(|element| element.as_ref());
    parent.insert_before(&slot, before).ok()?;
    Some(slot)
}

/// The site's base path (`/` or `/sub/path/`), written into `<html data-base>` by the build.
pub fn base_path() -> String {
    document().document_element().and_then(|root| root.get_attribute("data-base")).unwrap_or_else(|| "/".to_string())
}

/// A small element builder for the islands.
///
/// The islands (theme, search, diagram steps, quizzes, catalogue filter) are written against
/// `web-sys` directly instead of Leptos: they are on every page, and Leptos's runtime and views
/// made the content pages' WebAssembly 99 KB gzipped against a 100 KB budget for the whole page
/// (measured 2026-12; the visualizers, which do need reactive views, still use Leptos). Each island
/// keeps its state in one struct and redraws the parts that depend on it after each event.
pub struct El(web_sys::Element);

impl El {
    pub fn new(tag: &str) -> Self {
        Self(document().create_element(tag).expect("creating an element with a static tag name"))
    }

    pub fn class(self, class: &str) -> Self {
        self.0.set_class_name(class);
        self
    }

    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Appends text (never parsed as HTML).
    pub fn text(self, text: &str) -> Self {
        let _ = self.0.append_with_str_1(text);
        self
    }

    pub fn child(self, child: impl AsRef<web_sys::Node>) -> Self {
        let _ = self.0.append_child(child.as_ref());
        self
    }

    /// Listens for `event` for as long as the page lives (see [`listen`]).
    pub fn on(self, event: &'static str, handler: impl FnMut(&web_sys::Event) + 'static) -> Self {
        listen(&self.0, event, handler);
        self
    }

    pub fn build(self) -> web_sys::Element {
        self.0
    }
}

impl AsRef<web_sys::Node> for El {
    fn as_ref(&self) -> &web_sys::Node {
        &self.0
    }
}

/// Sets or removes a boolean attribute such as `hidden`.
pub fn toggle_attr(element: &web_sys::Element, name: &str, on: bool) {
    let _ = if on { element.set_attribute(name, "") } else { element.remove_attribute(name) };
}

/// `"true"` or `"false"`, for `aria-*` states.
pub fn aria_bool(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// Logs a warning to the browser console.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}

//! Drawings laid out for the width they are given. A visualizer's SVG computes its viewBox from
//! the rendered width of its container, one user unit per CSS px (wider than `max` it scales up),
//! so a label set in 12 px renders at 12 px on a 360 px phone and a 1280 px desktop alike,
//! instead of a fixed 720-unit drawing shrinking its text to 5 px on a phone.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The width to lay a drawing out at: the container's width in CSS px, at least `min` (a
/// narrower container scales the drawing down a little rather than break its layout) and at
/// most `max` (beyond it the drawing scales up).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FitWidth {
    pub min: f64,
    pub max: f64,
}

impl FitWidth {
    pub fn clamp(self, measured: f64) -> f64 {
        measured.clamp(self.min, self.max).floor()
    }
}

/// Watches `container` (a wrapper that lives as long as the tool, not the redrawn svg inside
/// it) and returns its width clamped by `fit`. Until the first measurement it assumes the tool
/// section's content width, which is exact on a phone, where the tool is one column. The
/// container is measured as soon as it is in the page (the effect that sees it runs before the
/// browser gets back to its event loop), so the guess is never painted nor seen by a script; the
/// observer follows later resizes.
pub fn fitted_width(container: NodeRef<Div>, fit: FitWidth) -> Signal<f64> {
    let width = RwSignal::new(fit.clamp(section_content_width()));
    // The observer belongs to the tool's reactive owner and is disconnected with it.
    let observer = StoredValue::new_local(None::<Observer>);
    container.on_load(move |element| {
        let element: web_sys::Element = element.into();
        let observed = element.clone();
        let measure = move || {
            let measured = f64::from(observed.client_width());
            // Zero while hidden (a closed <details>): keep the last layout.
            if measured > 0.0 && width.try_get_untracked().is_some_and(|current| (fit.clamp(measured) - current).abs() >= 1.0) {
                width.try_set(fit.clamp(measured));
            }
        };
        // A desktop lays the tool out in two columns, where the guess is too wide: correct it now
        // rather than at the observer's first report, one frame later.
        measure();
        observer.set_value(Observer::new(&element, Box::new(measure)));
    });
    width.into()
}

fn section_content_width() -> f64 {
    let Some(tool) = use_context::<super::ToolContext>() else { return 720.0 };
    let section = &tool.section;
    let padding = crate::dom::window()
        .get_computed_style(section)
        .ok()
        .flatten()
        .map(|style| ["padding-left", "padding-right"].iter().filter_map(|side| style.get_property_value(side).ok()?.trim_end_matches("px").parse::<f64>().ok()).sum())
        .unwrap_or(0.0);
    f64::from(section.client_width()) - padding
}

/// A resize observer and its callback, disconnected when the tool's reactive owner drops it.
struct Observer {
    observer: web_sys::ResizeObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Observer {
    /// Calls `changed` after each change of `element`'s size. Boxed, so that every caller shares
    /// one copy of the callback's code.
    fn new(element: &web_sys::Element, mut changed: Box<dyn FnMut()>) -> Option<Self> {
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| changed());
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(element);
        Some(Self { observer, _callback: callback })
    }
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Whether the tool is shown wide enough for its panel to sit beside its stage (the stylesheet's
/// `.viz__grid` breakpoint). Secondary sections of a tool start open there and folded on a
/// phone, where they would push the rest of the page thousands of pixels down.
pub fn panel_beside_stage() -> bool {
    crate::dom::window().match_media("(min-width: 64rem)").ok().flatten().is_some_and(|query| query.matches())
}

/// A holder for a box whose redraws lay out only itself: give it to a `div` with the class
/// `viz__island` around one element. A frame that changes text in an
/// ordinary box lays out the whole page, since the box's height (and so everything below it)
/// may follow the text: with the CPU throttled 4x that was 4.0 to 4.4 ms of the cache
/// stampede's key-cards frame, on a page of some 620 boxes (Chromium trace, 2026-12-07). A box
/// of fixed size with size and layout containment (`.viz__island`) is where Chromium starts
/// such a layout instead, but its height cannot be fixed in the stylesheet: the text wraps with
/// the width. So it is kept equal to its content's (the holder's first child's): a resize observer
/// reports each change of that height (the first when the content is first laid out), and its
/// callback runs after layout and before paint, so a changed height is laid out again in the
/// same frame and never painted wrong. The holder must be neither a grid nor a flex item, which
/// Chromium always lays out with their container.
pub fn island() -> NodeRef<Div> {
    let holder = NodeRef::<Div>::new();
    let observer = StoredValue::new_local(None::<Observer>);
    holder.on_load(move |holder| {
        let holder: web_sys::HtmlElement = holder.into();
        let Some(content) = holder.first_element_child() else { return };
        let observed = content.clone();
        let follow = move || {
            // Fractional, as laid out: a height rounded down would clip a last border's bottom.
            let height = observed.get_bounding_client_rect().height();
            let _ = holder.style().set_property("height", &format!("{height}px"));
        };
        observer.set_value(Observer::new(&content, Box::new(follow)));
    });
    holder
}

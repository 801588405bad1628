//! Step-through for a diagram: Previous / Next buttons and the arrow keys walk the steps the
//! build listed under the figure, lighting the elements each step names.

use crate::dom::{self, El};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

struct DiagramStep {
    title: String,
    caption: String,
    highlight: Vec<String>,
    item: HtmlElement,
}

/// The stepper's state (`None` shows the whole diagram; `Some(i)` is step i) and everything it
/// redraws when that changes.
struct Stepper {
    at: Cell<Option<usize>>,
    steps: Vec<DiagramStep>,
    svg: Option<Element>,
    elements: Vec<Element>,
    previous: Element,
    next: Element,
    all: Element,
    position: Element,
    caption: Element,
}

/// Reads the steps from the prerendered list and mounts the controls above it.
pub fn mount(figure: HtmlElement) {
    let items = dom::query_all::<HtmlElement>(&figure, "ol.dg-steps > li");
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
    let elements = svg.as_ref().map(|svg| dom::query_all(svg, "[data-id]")).unwrap_or_default();

    // aria-disabled rather than disabled: a button that disables itself under the keyboard focus
    // would drop the focus to the page and lose the arrow keys.
    let button = |class: &str| El::new("button").attr("type", "button").class(class).build();
    let stepper = Rc::new(Stepper {
        at: Cell::new(None),
        steps,
        svg,
        elements,
        previous: button("button"),
        next: button("button button--primary"),
        all: button("button stepper__all"),
        position: El::new("span").class("stepper__position").build(),
        caption: El::new("p").class("stepper__caption").attr("aria-live", "polite").build(),
    });
    let _ = stepper.previous.append_child(El::new("span").attr("aria-hidden", "true").text("← ").as_ref());
    let _ = stepper.previous.append_with_str_1("Previous");
    stepper.all.set_text_content(Some("Show all"));
    let on = |element: &Element, action: fn(&Stepper)| {
        let stepper = Rc::clone(&stepper);
        dom::listen(element, "click", move |_| action(&stepper));
    };
    on(&stepper.previous, Stepper::previous);
    on(&stepper.next, Stepper::next);
    on(&stepper.all, |stepper| stepper.go(None));
    let group = El::new("div")
        .class("stepper")
        .attr("role", "group")
        .attr("aria-label", "Walk through the diagram")
        .child(El::new("div").class("stepper__buttons").child(&stepper.previous).child(&stepper.position).child(&stepper.next).child(&stepper.all))
        .child(&stepper.caption);
    let _ = slot.append_child(group.as_ref());
    stepper.render();

    let keys = Rc::clone(&stepper);
    dom::on_keydown(figure.unchecked_ref(), move |event| {
        let last = keys.steps.len() - 1;
        match event.key().as_str() {
            "ArrowRight" => keys.next(),
            "ArrowLeft" => keys.previous(),
            "Home" => keys.go(Some(0)),
            "End" => keys.go(Some(last)),
            "Escape" => keys.go(None),
            _ => return,
        }
        event.prevent_default();
    })
    .forget();
}

impl Stepper {
    fn next(&self) {
        let last = self.steps.len() - 1;
        self.go(Some(self.at.get().map_or(0, |i| (i + 1).min(last))));
    }

    fn previous(&self) {
        self.go(self.at.get().map(|i| i.saturating_sub(1)));
    }

    fn go(&self, at: Option<usize>) {
        self.at.set(at);
        self.render();
    }

    fn render(&self) {
        let at = self.at.get();
        let count = self.steps.len();
        let lit: Vec<&str> = at.map(|i| self.steps[i].highlight.iter().map(String::as_str).collect()).unwrap_or_default();
        if let Some(svg) = &self.svg {
            let _ = svg.class_list().toggle_with_force("is-stepping", at.is_some());
        }
        for element in &self.elements {
            let id = element.get_attribute("data-id").unwrap_or_default();
            let _ = element.class_list().toggle_with_force("is-on", lit.contains(&id.as_str()));
        }
        for (index, step) in self.steps.iter().enumerate() {
            let _ = if Some(index) == at { step.item.set_attribute("aria-current", "step") } else { step.item.remove_attribute("aria-current") };
        }
        let _ = self.previous.set_attribute("aria-disabled", dom::aria_bool(at.is_none_or(|i| i == 0)));
        let _ = self.next.set_attribute("aria-disabled", dom::aria_bool(at == Some(count - 1)));
        let _ = self.all.set_attribute("aria-disabled", dom::aria_bool(at.is_none()));
        self.next.set_text_content(Some(if at.is_none() { "Start" } else { "Next" }));
        let _ = self.next.append_child(El::new("span").attr("aria-hidden", "true").text(" →").as_ref());
        self.position.set_text_content(Some(&match at {
            Some(i) => format!("Step {} of {count}", i + 1),
            None => format!("{count} steps"),
        }));
        self.caption.set_text_content(None);
        let caption = match at {
            Some(i) => El::new("strong").text(&self.steps[i].title).build(),
            None => El::new("span").class("muted").text("Press Start, or use the arrow keys, to walk through the diagram one step at a time.").build(),
        };
        let _ = self.caption.append_child(&caption);
        if let Some(i) = at {
            let _ = self.caption.append_with_str_1(&format!(" {}", self.steps[i].caption));
        }
    }
}

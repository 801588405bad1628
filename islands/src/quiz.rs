//! One question (`atlas_components::learn::form` prints it). Without JavaScript its answer waits
//! behind "Show the answer"; with it, the reader answers, checks, and gets the verdict with the
//! reasons for every option. The answer is recorded for review, and an `atlas-answered` event
//! (the form's `data-result` says right or wrong) lets a quiz around it keep score.

use crate::dom::{self, El};
use crate::store;
use atlas_components::learn::form::parse_key;
use atlas_components::learn::question::{self, Key, Response};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

/// Fired on a question's form, bubbling, once it is checked.
pub const ANSWERED_EVENT: &str = "atlas-answered";

/// On a page run by the core or a tool's bundle, which do not carry the questions' code: the
/// first time the reader works a question (a click, a key, a focus inside it), the page's loader
/// is asked for the questions' bundle, which mounts them. Until then each answer waits behind
/// "Show the answer", as without JavaScript.
pub fn wake_on_use() {
    for event in ["pointerdown", "keydown", "input", "focusin"] {
        dom::listen(&dom::document(), event, |event| {
            let question = event.target().and_then(|target| target.dyn_into::<Element>().ok()).and_then(|element| element.closest("form.quiz:not([data-mounted])").ok().flatten());
            if question.is_some() {
                if let Ok(load) = web_sys::Event::new(atlas_components::learn::QUIZ_LOAD_EVENT) {
                    let _ = dom::window().dispatch_event(&load);
                }
            }
        });
    }
}

/// The questions' bundle (`viz-quiz`): mounts every question of the page.
pub fn start() {
    for (name, element) in dom::islands() {
        if name == "quiz" {
            mount(element);
        }
    }
}

pub fn mount(form: HtmlElement) {
    if form.has_attribute("data-mounted") {
        return;
    }
    let attr = |name: &str| form.get_attribute(name).unwrap_or_default();
    let Some(key) = parse_key(&attr("data-kind"), &attr("data-key")) else {
        dom::warn("a quiz question without a readable key");
        return;
    };
    let _ = form.set_attribute("data-mounted", "");
    let id = attr("data-id");
    let reveal = form.query_selector(".quiz__reveal").ok().flatten();
    if let Some(reveal) = &reveal {
        dom::toggle_attr(reveal, "hidden", true);
    }
    if matches!(key, Key::Order(_)) {
        add_move_buttons(&form);
    }
    if form.query_selector(".quiz__diagram").ok().flatten().is_some() {
        pick_on_the_diagram(&form);
    }
    // A number is checked with Enter as well; a form would otherwise submit and reload.
    dom::listen(&form, "submit", |event| event.prevent_default());
    let Some(slot) = dom::insert_slot(&form, reveal.as_ref(), "quiz__check") else { return };
    let feedback = El::new("div").class("quiz__feedback").attr("role", "status").attr("aria-live", "polite").build();
    let shown = feedback.clone();
    let form_for_check = form.clone();
    let check = El::new("button").attr("type", "submit").class("button").text("Check answer").build();
    let button = check.clone();
    dom::listen(&form, "submit", move |_| {
        let form = &form_for_check;
        if form.has_attribute("data-result") {
            return;
        }
        shown.set_text_content(None);
        let response = match read_response(form, &key) {
            Ok(response) => response,
            Err(message) => {
                let _ = shown.append_child(El::new("p").class("quiz__verdict").text(&message).as_ref());
                return;
            }
        };
        let verdict = question::check(&key, &response);
        mark(form, &key, &response);
        let line = if verdict.correct {
            El::new("p").class("quiz__verdict quiz__verdict--right").child(El::new("strong").text("✓ Right."))
        } else {
            El::new("p").class("quiz__verdict quiz__verdict--wrong").child(El::new("strong").text("✗ Not quite.")).text(" The answer and the reasons are below.")
        };
        let _ = shown.append_child(line.as_ref());
        if let Some(ratio) = verdict.ratio.filter(|_| matches!(response, Response::Number(_))) {
            // Whole numbers only: the core formats no floats (see learn::progress).
            let percent = (ratio * 100.0).round() as i64;
            let off = match percent {
                100 => "spot on".to_string(),
                200.. => format!("about {} times the answer", (ratio).round() as i64),
                _ => format!("{percent}% of the answer"),
            };
            let typed = form.query_selector("input[type=text]").ok().flatten().and_then(|input| input.dyn_into::<HtmlInputElement>().ok()).map(|input| input.value()).unwrap_or_default();
            let _ = shown.append_child(El::new("p").text(&format!("You said {}: {off}.", typed.trim())).as_ref());
        }
        if let Some(reveal) = &reveal {
            dom::toggle_attr(reveal, "hidden", false);
            let _ = reveal.set_attribute("open", "");
        }
        let _ = form.set_attribute("data-result", if verdict.correct { "right" } else { "wrong" });
        for control in dom::query_all::<Element>(form, "input, .quiz__move") {
            dom::toggle_attr(&control, "disabled", true);
        }
        dom::toggle_attr(&button, "disabled", true);
        record(&id, verdict.correct);
        if let Ok(event) = web_sys::Event::new_with_event_init_dict(ANSWERED_EVENT, &{
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            init
        }) {
            let _ = form.dispatch_event(&event);
        }
    });
    let _ = slot.append_child(&check);
    let _ = slot.append_child(&feedback);
}

/// Records the answer and fetches the question's bank, so the service worker has it for a
/// review taken offline.
fn record(id: &str, correct: bool) {
    if let Err(error) = store::record_answer(id, correct) {
        dom::warn(&format!("the answer was not recorded: {error}"));
    }
    if let Some(bank) = question::bank_of(id) {
        let fetched = dom::window().fetch_with_str(&format!("{}quiz/bank/{bank}.html", dom::base_path()));
        // Awaited only so that a failure (offline, and not saved) is handled rather than reported.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(fetched).await;
        });
    }
}

fn read_response(form: &HtmlElement, key: &Key) -> Result<Response, String> {
    let checked: Vec<usize> = dom::query_all::<HtmlInputElement>(form, "input[type=radio], input[type=checkbox]")
        .into_iter()
        .filter(|input| input.checked())
        .filter_map(|input| input.value().parse().ok())
        .collect();
    match key {
        Key::One(_) => checked.first().copied().map(Response::One).ok_or_else(|| "Pick one of the options first.".to_string()),
        Key::Set(_) if checked.is_empty() => Err("Pick at least one option first.".to_string()),
        Key::Set(_) => Ok(Response::Set(checked)),
        Key::Order(_) => Ok(Response::Order(dom::query_all::<Element>(form, ".quiz__step").iter().filter_map(|step| step.get_attribute("data-step")?.parse().ok()).collect())),
        Key::Number { .. } => {
            let typed = form.query_selector("input[type=text]").ok().flatten().and_then(|input| input.dyn_into::<HtmlInputElement>().ok()).map(|input| input.value()).unwrap_or_default();
            question::parse_number(&typed).map(Response::Number)
        }
    }
}

/// Marks the options (or steps) right and wrong, in words as well as colour (CSS adds "✓ answer"
/// and "✗ your pick").
fn mark(form: &HtmlElement, key: &Key, response: &Response) {
    match (key, response) {
        (Key::One(_) | Key::Set(_), _) => {
            let right = |index: usize| match key {
                Key::One(answer) => *answer == index,
                Key::Set(answers) => answers.contains(&index),
                _ => false,
            };
            let chosen = |index: usize| match response {
                Response::One(pick) => *pick == index,
                Response::Set(picks) => picks.contains(&index),
                _ => false,
            };
            for (index, label) in dom::query_all::<Element>(form, ".quiz__option").into_iter().enumerate() {
                let classes = label.class_list();
                let _ = classes.toggle_with_force("is-correct", right(index));
                let _ = classes.toggle_with_force("is-wrong", chosen(index) && !right(index));
            }
        }
        (Key::Order(_), Response::Order(placed)) => {
            for (at, step) in dom::query_all::<Element>(form, ".quiz__step").into_iter().enumerate() {
                let in_place = placed.get(at) == Some(&at);
                let _ = step.class_list().toggle_with_force("is-correct", in_place);
                let _ = step.class_list().toggle_with_force("is-wrong", !in_place);
            }
        }
        _ => {}
    }
}

/// Each step gets "Move up" and "Move down" buttons, named after the step for screen readers.
fn add_move_buttons(form: &HtmlElement) {
    for step in dom::query_all::<Element>(form, ".quiz__step") {
        let text = step.text_content().unwrap_or_default();
        let controls = El::new("span").class("quiz__moves");
        let controls = [("up", "↑", -1i32), ("down", "↓", 1)].into_iter().fold(controls, |controls, (word, arrow, by)| {
            let item = step.clone();
            let list = form.clone();
            controls.child(
                El::new("button")
                    .attr("type", "button")
                    .class("quiz__move")
                    .attr("aria-label", &format!("Move “{}” {word}", text.trim()))
                    .text(arrow)
                    .on("click", move |event| {
                        event.prevent_default();
                        move_step(&list, &item, by);
                    }),
            )
        });
        let _ = step.append_child(controls.as_ref());
    }
}

fn move_step(form: &HtmlElement, step: &Element, by: i32) {
    let Some(list) = step.parent_element() else { return };
    let sibling = if by < 0 { step.previous_element_sibling() } else { step.next_element_sibling().and_then(|next| next.next_element_sibling()) };
    let moved = match (by < 0, sibling) {
        (true, Some(before)) => list.insert_before(step, Some(&before)).is_ok(),
        (true, None) => false,
        (false, Some(after)) => list.insert_before(step, Some(&after)).is_ok(),
        (false, None) => step.next_element_sibling().is_some() && list.append_child(step).is_ok(),
    };
    if moved {
        // Keep the keyboard on the button that was pressed, now in its new place.
        let selector = if by < 0 { ".quiz__move:first-child" } else { ".quiz__move:last-child" };
        if let Some(button) = step.query_selector(selector).ok().flatten().and_then(|button| button.dyn_into::<HtmlElement>().ok()) {
            let _ = button.focus();
        }
    }
    let _ = form;
}

/// A click on a component or arrow of the diagram picks the matching option.
fn pick_on_the_diagram(form: &HtmlElement) {
    let Some(diagram) = form.query_selector(".quiz__diagram").ok().flatten() else { return };
    let form = form.clone();
    dom::listen(&diagram, "click", move |event| {
        let Some(element) = event.target().and_then(|target| target.dyn_into::<Element>().ok()).and_then(|target| target.closest(".dg-el[data-id]").ok().flatten()) else {
            return;
        };
        let id = element.get_attribute("data-id").unwrap_or_default();
        for label in dom::query_all::<Element>(&form, ".quiz__option[data-pick]") {
            if label.get_attribute("data-pick").as_deref() == Some(id.as_str()) {
                if let Some(input) = label.query_selector("input").ok().flatten().and_then(|input| input.dyn_into::<HtmlInputElement>().ok()) {
                    if !input.disabled() {
                        input.set_checked(true);
                        let _ = input.focus();
                    }
                }
            }
        }
    });
}

//! The quiz hub: how many reviews are due and how many questions to retry, each module's best
//! score, and the filter over every question.

use crate::dom::{self, El};
use crate::store;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

pub fn mount_counts(list: HtmlElement) {
    let Ok(progress) = store::load() else { return };
    let now = store::now();
    let due = progress.due(now).len();
    let wrong = progress.last_wrong().len();
    let plural = |count: usize| if count == 1 { "" } else { "s" };
    if let Ok(Some(span)) = list.query_selector("[data-count=review]") {
        span.set_text_content(Some(&match due {
            0 if progress.cards.is_empty() => "none yet: answer a few questions and they come back here when they are due".to_string(),
            0 => "none due now".to_string(),
            count => format!("{count} question{} due now", plural(count)),
        }));
    }
    if let Ok(Some(span)) = list.query_selector("[data-count=wrong]") {
        span.set_text_content(Some(&match wrong {
            0 => "nothing to retry".to_string(),
            count => format!("{count} question{} whose last answer was wrong", plural(count)),
        }));
    }
    for cell in dom::query_all::<Element>(&dom::document().document_element().expect("a document"), "[data-best]") {
        let module = cell.get_attribute("data-best").unwrap_or_default();
        if let Some(score) = progress.best_score(&module) {
            let passed = atlas_components::learn::certificate::passes(score.right, score.total);
            cell.set_text_content(Some(&format!("· your best: {} of {}{}", score.right, score.total, if passed { ", passed" } else { "" })));
        }
    }
}

struct Item {
    element: Element,
    text: String,
    home: String,
    difficulty: String,
    kind: String,
}

pub fn mount_filter(form: HtmlElement) {
    let Some(list) = dom::document().query_selector(".question-list").ok().flatten() else { return };
    let items: Vec<Item> = dom::query_all::<Element>(&list, "li")
        .into_iter()
        .map(|element| {
            let attr = |name: &str| element.get_attribute(name).unwrap_or_default();
            Item { text: element.text_content().unwrap_or_default().to_lowercase(), home: attr("data-home"), difficulty: attr("data-difficulty"), kind: attr("data-kind"), element }
        })
        .collect();
    let count = form.query_selector(".question-filter__count").ok().flatten();
    let total = items.len();
    let form_for_apply = form.clone();
    let apply = move || {
        let value = |name: &str| -> String {
            let Some(field) = form_for_apply.query_selector(&format!("[name={name}]")).ok().flatten() else { return String::new() };
            if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                input.value()
            } else if let Some(select) = field.dyn_ref::<HtmlSelectElement>() {
                select.value()
            } else {
                String::new()
            }
        };
        let words: Vec<String> = value("q").to_lowercase().split_whitespace().take(12).map(str::to_string).collect();
        let (home, difficulty, kind) = (value("home"), value("difficulty"), value("kind"));
        let mut shown = 0;
        for item in &items {
            let visible = words.iter().all(|word| item.text.contains(word.as_str()))
                && (home.is_empty() || item.home == home || (home == "pattern" && item.home.starts_with("pattern-")))
                && (difficulty.is_empty() || item.difficulty == difficulty)
                && (kind.is_empty() || item.kind == kind);
            dom::toggle_attr(&item.element, "hidden", !visible);
            shown += usize::from(visible);
        }
        if let Some(count) = &count {
            count.set_text_content(None);
            let text = if shown == total { format!("{total} questions") } else if shown == 0 { "No question matches; loosen a filter.".to_string() } else { format!("Showing {shown} of {total} questions") };
            let _ = count.append_child(El::new("span").text(&text).as_ref());
        }
    };
    apply();
    let on_change = std::rc::Rc::new(apply);
    for event in ["input", "change"] {
        let on_change = on_change.clone();
        dom::listen(&form, event, move |_| on_change());
    }
    dom::listen(&form, "submit", |event| event.prevent_default());
}

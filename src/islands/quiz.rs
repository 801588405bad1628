//! A quiz question on a pattern page. Without JavaScript the answer sits behind a "Show the
//! answer" disclosure; with it, the reader picks an option, checks it, and gets feedback that
//! explains the answer.

use crate::dom;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};

pub fn mount(form: HtmlElement) {
    let Some(answer) = form.get_attribute("data-answer").and_then(|value| value.parse::<usize>().ok()) else {
        return;
    };
    let reveal = form.query_selector(".quiz__reveal").ok().flatten();
    // The explanation is the build's own HTML (links, code), so it can be shown as HTML.
    let explanation = form.query_selector(".quiz__explanation").ok().flatten().map(|p| p.inner_html()).unwrap_or_default();
    let options = dom::query_all(&form, ".quiz__option");
    let answer_text = options.get(answer).and_then(|label| label.text_content()).unwrap_or_default().trim().to_string();
    if let Some(reveal) = &reveal {
        let _ = reveal.set_attribute("hidden", "");
    }
    let Some(slot) = dom::insert_slot(&form, reveal.as_ref(), "quiz__check") else { return };
    leptos::mount::mount_to(slot, move || check(form, options, answer, answer_text, explanation)).forget();
}

#[derive(Clone, PartialEq)]
enum Feedback {
    None,
    NoChoice,
    Right,
    Wrong,
}

fn check(form: HtmlElement, options: Vec<HtmlElement>, answer: usize, answer_text: String, explanation: String) -> impl IntoView {
    let feedback = RwSignal::new(Feedback::None);
    let options = StoredValue::new_local(options);
    let on_check = move |_| {
        let chosen = dom::query_all(&form, "input[type=radio]")
            .into_iter()
            .filter_map(|input| input.dyn_into::<HtmlInputElement>().ok())
            .find(|input| input.checked())
            .and_then(|input| input.value().parse::<usize>().ok());
        options.with_value(|labels| {
            for (index, label) in labels.iter().enumerate() {
                let classes = label.class_list();
                let _ = classes.toggle_with_force("is-correct", chosen.is_some() && index == answer);
                let _ = classes.toggle_with_force("is-wrong", chosen == Some(index) && index != answer);
            }
        });
        feedback.set(match chosen {
            None => Feedback::NoChoice,
            Some(index) if index == answer => Feedback::Right,
            Some(_) => Feedback::Wrong,
        });
    };
    view! {
        <button type="button" class="button" on:click=on_check>"Check answer"</button>
        <div class="quiz__feedback" role="status" aria-live="polite">
            {move || match feedback.get() {
                Feedback::None => ().into_any(),
                Feedback::NoChoice => view! { <p>"Pick one of the options first."</p> }.into_any(),
                Feedback::Right => view! {
                    <p class="quiz__verdict quiz__verdict--right"><strong>"✓ Correct."</strong></p>
                    <p inner_html=explanation.clone()></p>
                }.into_any(),
                Feedback::Wrong => view! {
                    <p class="quiz__verdict quiz__verdict--wrong"><strong>"✗ Not quite."</strong>" The answer is: "{answer_text.clone()}</p>
                    <p inner_html=explanation.clone()></p>
                }.into_any(),
            }}
        </div>
    }
}

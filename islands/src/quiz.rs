//! A quiz question on a pattern page. Without JavaScript the answer sits behind a "Show the
//! answer" disclosure; with it, the reader picks an option, checks it, and gets feedback that
//! explains the answer.

use crate::dom::{self, El};
use web_sys::{HtmlElement, HtmlInputElement};

pub fn mount(form: HtmlElement) {
    let Some(answer) = form.get_attribute("data-answer").and_then(|value| value.parse::<usize>().ok()) else {
        return;
    };
    let reveal = form.query_selector(".quiz__reveal").ok().flatten();
    // The explanation is the build's own HTML (links, code), so it can be shown as HTML.
    let explanation = form.query_selector(".quiz__explanation").ok().flatten().map(|p| p.inner_html()).unwrap_or_default();
    let options = dom::query_all::<HtmlElement>(&form, ".quiz__option");
    let answer_text = options.get(answer).and_then(|label| label.text_content()).unwrap_or_default().trim().to_string();
    if let Some(reveal) = &reveal {
        let _ = reveal.set_attribute("hidden", "");
    }
    let Some(slot) = dom::insert_slot(&form, reveal.as_ref(), "quiz__check") else { return };
    let feedback = El::new("div").class("quiz__feedback").attr("role", "status").attr("aria-live", "polite").build();
    let shown = feedback.clone();
    let check = El::new("button").attr("type", "button").class("button").text("Check answer").on("click", move |_| {
        let chosen = dom::query_all::<HtmlInputElement>(&form, "input[type=radio]")
            .into_iter()
            .find(|input| input.checked())
            .and_then(|input| input.value().parse::<usize>().ok());
        for (index, label) in options.iter().enumerate() {
            let classes = label.class_list();
            let _ = classes.toggle_with_force("is-correct", chosen.is_some() && index == answer);
            let _ = classes.toggle_with_force("is-wrong", chosen == Some(index) && index != answer);
        }
        shown.set_text_content(None);
        let verdict = match chosen {
            None => El::new("p").text("Pick one of the options first."),
            Some(index) if index == answer => El::new("p").class("quiz__verdict quiz__verdict--right").child(El::new("strong").text("✓ Correct.")),
            Some(_) => El::new("p").class("quiz__verdict quiz__verdict--wrong").child(El::new("strong").text("✗ Not quite.")).text(" The answer is: ").text(&answer_text),
        };
        let _ = shown.append_child(verdict.as_ref());
        if chosen.is_some() {
            let paragraph = El::new("p").build();
            paragraph.set_inner_html(&explanation);
            let _ = shown.append_child(&paragraph);
        }
    });
    let _ = slot.append_child(check.as_ref());
    let _ = slot.append_child(&feedback);
}

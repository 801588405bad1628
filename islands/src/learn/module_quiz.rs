//! A module quiz's score: it counts the questions checked and the right ones, records the score
//! when every question has an answer, and offers a certificate for a pass.

use crate::dom::{self, El};
use crate::quiz::ANSWERED_EVENT;
use crate::store;
use atlas_components::learn::certificate::{passes, PASS_PERCENT};
use std::cell::Cell;
use std::rc::Rc;
use web_sys::{Element, HtmlElement};

pub fn mount(panel: HtmlElement) {
    let module = panel.get_attribute("data-module").unwrap_or_default();
    let title = panel.get_attribute("data-title").unwrap_or_default();
    let Some(main) = dom::document().query_selector("main").ok().flatten() else { return };
    let status = panel.query_selector(".module-quiz__score").ok().flatten().unwrap_or_else(|| El::new("p").build());
    let result = El::new("div").class("module-quiz__result").build();
    let _ = panel.append_child(&result);
    let recorded = Rc::new(Cell::new(false));
    let update = move || {
        let forms = dom::query_all::<Element>(&main, "form.quiz[data-id]");
        let total = forms.len() as u32;
        let answered = forms.iter().filter(|form| form.has_attribute("data-result")).count() as u32;
        let right = forms.iter().filter(|form| form.get_attribute("data-result").as_deref() == Some("right")).count() as u32;
        status.set_text_content(Some(&format!("{answered} of {total} answered, {right} right.")));
        if answered < total || total == 0 || recorded.get() {
            return;
        }
        recorded.set(true);
        let saved = store::update(|progress| {
            progress.record_score(&module, right, total, store::now());
        });
        let percent = right * 100 / total;
        result.set_text_content(None);
        let mut verdict = El::new("p").class("module-quiz__verdict");
        verdict = if passes(right, total) {
            verdict.child(El::new("strong").text(&format!("Passed: {right} of {total}, {percent}%.")))
        } else {
            verdict.child(El::new("strong").text(&format!("{right} of {total}, {percent}%.")))
                .text(&format!(" A certificate needs {PASS_PERCENT}%. The reasons under each question say what to revisit; "))
                .child(El::new("a").attr("href", &dom::window().location().pathname().unwrap_or_default()).text("take the quiz again"))
                .text(" when you are ready.")
        };
        let _ = result.append_child(verdict.as_ref());
        if let Err(error) = saved {
            let _ = result.append_child(El::new("p").text(&format!("The score was not saved: {error}.")).as_ref());
        }
        if passes(right, total) {
            super::certificate::offer(&result, &module, &title, right, total);
        }
        if let Ok(Some(heading)) = result.query_selector("strong") {
            let _ = heading.set_attribute("tabindex", "-1");
        }
        result.scroll_into_view();
    };
    update();
    dom::listen(&dom::document(), ANSWERED_EVENT, move |_| update());
}

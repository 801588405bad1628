//! The practice page: a quick 10 from anywhere, the questions last answered wrong, the reviews
//! due, or generated questions. Written questions come from the banks the build writes
//! (`quiz/bank/<bank>.html`, the same forms as on their pages); generated ones are printed here
//! with the same form function.

use super::fetch;
use crate::dom::{self, El};
use crate::quiz::{self, ANSWERED_EVENT};
use crate::store;
use atlas_components::learn::form::{self, FormView};
use atlas_components::learn::generate::{self, Generated, GENERATORS};
use atlas_components::learn::question::bank_of;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, UrlSearchParams};

/// How many questions a set holds at most.
const SET_SIZE: usize = 10;
const LONG_SET_SIZE: usize = 20;

pub fn mount(root: HtmlElement) {
    let banks = root.get_attribute("data-banks").unwrap_or_default();
    let params = UrlSearchParams::new_with_str(&dom::window().location().search().unwrap_or_default()).ok();
    let param = |name: &str| params.as_ref().and_then(|params| params.get(name)).unwrap_or_default();
    let status = root.query_selector(".practice__status").ok().flatten().unwrap_or_else(|| El::new("p").build());
    let list = El::new("div").class("practice__questions").build();
    let score = El::new("p").class("practice__score").attr("role", "status").build();
    let _ = root.append_child(&list);
    let _ = root.append_child(&score);
    let scored = list.clone();
    dom::listen(&dom::document(), ANSWERED_EVENT, move |_| {
        let forms = dom::query_all::<Element>(&scored, "form.quiz");
        let answered = forms.iter().filter(|form| form.has_attribute("data-result")).count();
        let right = forms.iter().filter(|form| form.get_attribute("data-result").as_deref() == Some("right")).count();
        score.set_text_content(Some(&format!("{answered} of {} answered, {right} right.", forms.len())));
    });
    let mode = param("mode");
    let progress = store::load();
    let say = |text: &str| status.set_text_content(Some(text));
    match mode.as_str() {
        "generated" => generated(&root, &status, &list, &param("generator"), param("seed").parse().ok()),
        "wrong" | "review" => {
            let progress = match progress {
                Ok(progress) => progress,
                Err(error) => return say(&format!("Nothing to show: {error}.")),
            };
            let now = store::now();
            let ids: Vec<String> = if mode == "wrong" { progress.last_wrong() } else { progress.due(now) }.into_iter().take(LONG_SET_SIZE).map(str::to_string).collect();
            if ids.is_empty() {
                let next = progress.cards.values().map(|card| card.due).filter(|due| *due > now).min();
                let message = match (mode.as_str(), next) {
                    ("wrong", _) if progress.answers.is_empty() => "Nothing to retry yet: answer some questions first, on the quiz page or at the end of any pattern page.".to_string(),
                    ("wrong", _) => "Nothing to retry: the last answer to every question you have tried was right.".to_string(),
                    (_, Some(next)) => format!("No reviews are due. The next one is due on {}.", super::day_of(next)),
                    _ => "No reviews yet: every question you answer joins your review queue, and comes back here when it is due.".to_string(),
                };
                return say(&message);
            }
            say(&if mode == "wrong" { format!("The {} question{} whose last answer was wrong, most recent first.", ids.len(), plural(ids.len())) } else { format!("{} question{} due for review, most overdue first.", ids.len(), plural(ids.len())) });
            show_ids(&list, &banks, ids);
        }
        "quick" => {
            say("Ten questions drawn at random from every quiz and pattern page.");
            let list = list.clone();
            let status = status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match fetch::text(&format!("{banks}index.txt")).await {
                    Ok(index) => {
                        let mut ids: Vec<String> = index.lines().filter(|line| !line.is_empty()).map(str::to_string).collect();
                        let mut chosen = Vec::new();
                        while chosen.len() < SET_SIZE && !ids.is_empty() {
                            let at = (js_sys::Math::random() * ids.len() as f64) as usize % ids.len();
                            chosen.push(ids.swap_remove(at));
                        }
                        show_ids(&list, &banks, chosen);
                    }
                    Err(error) => status.set_text_content(Some(&format!("The question list could not be loaded: {error}."))),
                }
            });
        }
        _ => {
            // No set asked for (or one this page does not know): offer them, fetching nothing.
            say("Choose a set:");
            let choices = [("quick", "A quick 10 from anywhere"), ("review", "Reviews due"), ("wrong", "What I got wrong"), ("generated", "Generated questions")]
                .into_iter()
                .fold(El::new("ul").class("practice-modes"), |list, (mode, label)| list.child(El::new("li").child(El::new("a").class("button").attr("href", &format!("?mode={mode}")).text(label))));
            let _ = root.insert_before(choices.as_ref(), Some(&list));
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// Shows the questions `ids` in order: generated ones at once, written ones as their banks arrive.
fn show_ids(list: &Element, banks: &str, ids: Vec<String>) {
    let mut wanted: BTreeMap<String, Vec<(String, Element)>> = BTreeMap::new();
    for id in ids {
        let slot = El::new("div").class("practice__slot").build();
        let _ = list.append_child(&slot);
        if let Some(question) = generate::from_id(&id) {
            place(&slot, &generated_form(&question));
        } else if let Some(bank) = bank_of(&id) {
            let _ = slot.append_child(El::new("p").class("muted").text("Loading…").as_ref());
            wanted.entry(bank).or_default().push((id, slot));
        } else {
            let _ = slot.append_child(El::new("p").class("muted").text("A question in your history is no longer on the site.").as_ref());
        }
    }
    for (bank, slots) in wanted {
        let url = format!("{banks}{bank}.html");
        wasm_bindgen_futures::spawn_local(async move {
            match fetch::text(&url).await {
                Ok(html) => {
                    // The bank is this site's own build output, from its own origin.
                    let template = dom::document().create_element("template").ok().and_then(|template| template.dyn_into::<web_sys::HtmlTemplateElement>().ok());
                    let Some(template) = template else { return };
                    template.set_inner_html(&html);
                    let content = template.content();
                    for (id, slot) in slots {
                        match content.query_selector(&format!("#{}", form::dom_id(&id))).ok().flatten() {
                            Some(question) => {
                                slot.set_text_content(None);
                                let _ = slot.append_child(&question);
                                if let Ok(question) = question.dyn_into::<HtmlElement>() {
                                    quiz::mount(question);
                                }
                            }
                            None => slot.set_text_content(Some("A question in your history is no longer on the site.")),
                        }
                    }
                }
                Err(error) => {
                    for (_, slot) in slots {
                        slot.set_text_content(Some(&format!("This question could not be loaded: {error}. Open this page again when you are online.")));
                    }
                }
            }
        });
    }
}

/// Puts a form's markup (printed by `form::render` from escaped text) into `slot` and mounts it.
fn place(slot: &Element, html: &str) {
    slot.set_inner_html(html);
    if let Some(question) = slot.query_selector("form.quiz").ok().flatten().and_then(|form| form.dyn_into::<HtmlElement>().ok()) {
        quiz::mount(question);
    }
}

/// Escapes a generated text and shows its `backticked` parts as code.
fn plain_to_html(text: &str) -> String {
    let escaped = form::escape(text);
    let mut out = String::with_capacity(escaped.len() + 16);
    for (index, part) in escaped.split('`').enumerate() {
        if index % 2 == 1 {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

fn generated_form(question: &Generated) -> String {
    let options: Vec<String> = question.options.iter().map(|option| plain_to_html(option)).collect();
    let see = format!("{}{}/", dom::base_path(), question.see.trim_start_matches('/'));
    let see_title = format!("the {} tool", question.see.rsplit('/').next().unwrap_or_default().replace('-', " "));
    form::render(&FormView {
        id: &question.id,
        number: None,
        kind: question.kind,
        difficulty: question.difficulty,
        prompt: &plain_to_html(&question.prompt),
        options: &options,
        why: &[],
        key: &question.key,
        unit: &form::escape(question.unit),
        explanation: &plain_to_html(&question.explanation),
        see: Some((&see, &form::escape(&see_title))),
        diagram: None,
    })
}

fn generated(root: &HtmlElement, status: &Element, list: &Element, slug: &str, seed: Option<u64>) {
    let Some(generator) = generate::find(slug) else {
        status.set_text_content(None);
        let choices = GENERATORS.iter().fold(El::new("ul").class("generators"), |list, generator| {
            list.child(El::new("li").child(El::new("a").attr("href", &format!("?mode=generated&generator={}", generator.slug)).text(generator.title)))
        });
        let intro = if slug.is_empty() { "Pick a kind of generated question:".to_string() } else { format!("There is no generator called “{}”. Pick one of these:", slug.chars().take(40).collect::<String>()) };
        let _ = status.append_child(El::new("span").text(&intro).as_ref());
        let _ = root.insert_before(choices.as_ref(), Some(list));
        return;
    };
    let show = {
        let list = list.clone();
        let status = status.clone();
        move |seed: u64| {
            let question = (generator.make)(seed);
            list.set_text_content(None);
            let slot = El::new("div").class("practice__slot").build();
            let _ = list.append_child(&slot);
            place(&slot, &generated_form(&question));
            let query = format!("?mode=generated&generator={}&seed={seed}", generator.slug);
            let _ = dom::window().history().map(|history| history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&query)));
            status.set_text_content(None);
            let _ = status.append_child(
                El::new("span")
                    .text(&format!("{}: question {seed}. ", generator.title))
                    .child(El::new("a").attr("href", &query).text("Link to this question"))
                    .text(" (the same link always gives the same question).")
                    .as_ref(),
            );
        }
    };
    let random_seed = || (js_sys::Math::random() * 1_000_000.0) as u64;
    show(seed.filter(|seed| *seed <= u32::MAX as u64).unwrap_or_else(random_seed));
    let another = El::new("button").attr("type", "button").class("button button--primary").text("Another question").on("click", move |_| show(random_seed()));
    let _ = root.append_child(El::new("p").child(another).as_ref());
}

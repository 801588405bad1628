//! Search and category chips for the pattern catalogue. Filters the prerendered cards in place
//! and keeps the query and the chosen categories in the URL, so a filtered view can be shared.

use crate::dom::{self, El};
use atlas_components::search::SearchDoc;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, UrlSearchParams};

struct Card {
    element: HtmlElement,
    category: String,
    doc: SearchDoc,
}

struct Category {
    slug: String,
    name: String,
    count: usize,
    section: HtmlElement,
}

pub fn mount(slot: HtmlElement) {
    let main = dom::document().query_selector("main").ok().flatten();
    let Some(main) = main else { return };
    let cards: Vec<Card> = dom::query_all::<HtmlElement>(&main, "li.pattern-card")
        .into_iter()
        .map(|element| {
            let attr = |name: &str| element.get_attribute(name).unwrap_or_default();
            let tags: Vec<String> = attr("data-tags").split(", ").filter(|tag| !tag.is_empty()).map(str::to_string).collect();
            let summary = element.query_selector("p:not(.card__eyebrow)").ok().flatten().and_then(|p| p.text_content()).unwrap_or_default();
            let doc = SearchDoc::new(&attr("data-title"), &tags, &summary, &format!("{} {}", attr("data-id"), attr("data-category")));
            Card { category: attr("data-category"), doc, element }
        })
        .collect();
    let categories: Vec<Category> = dom::query_all::<HtmlElement>(&main, "section.pattern-category")
        .into_iter()
        .map(|section| {
            let slug = section.get_attribute("data-category").unwrap_or_default();
            let name = section.query_selector("h2").ok().flatten().and_then(|h2| h2.text_content()).unwrap_or_default();
            let count = cards.iter().filter(|card| card.category == slug).count();
            Category { slug, name, count, section }
        })
        .collect();
    if let Ok(Some(index)) = main.query_selector(".category-index") {
        let _ = index.set_attribute("hidden", "");
    }
    let no_results = main.query_selector("[data-no-results]").ok().flatten();
    filter(&slot, cards, categories, no_results);
}

/// The query and categories from the URL. Unknown categories are dropped and reported.
fn read_url(known: &[String]) -> (String, Vec<String>, Vec<String>) {
    let search = dom::window().location().search().unwrap_or_default();
    let Ok(params) = UrlSearchParams::new_with_str(&search) else {
        return (String::new(), Vec::new(), Vec::new());
    };
    let query: String = params.get("q").unwrap_or_default().chars().take(100).collect();
    let (mut chosen, mut unknown) = (Vec::new(), Vec::new());
    for slug in params.get("category").unwrap_or_default().split(',').map(str::trim).filter(|slug| !slug.is_empty()) {
        if known.iter().any(|known| known == slug) {
            if !chosen.iter().any(|c| c == slug) {
                chosen.push(slug.to_string());
            }
        } else {
            unknown.push(slug.chars().take(40).collect());
        }
    }
    (query, chosen, unknown)
}

fn write_url(query: &str, chosen: &[String]) {
    let Ok(params) = UrlSearchParams::new() else { return };
    if !query.trim().is_empty() {
        params.append("q", query.trim());
    }
    if !chosen.is_empty() {
        params.append("category", &chosen.join(","));
    }
    let search = String::from(params.to_string());
    let location = dom::window().location();
    let path = location.pathname().unwrap_or_default();
    let url = if search.is_empty() { path } else { format!("{path}?{search}") };
    if let Ok(history) = dom::window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The filter's state and the elements it redraws.
struct Filter {
    query: RefCell<String>,
    chosen: RefCell<Vec<String>>,
    cards: Vec<Card>,
    categories: Vec<Category>,
    no_results: Option<Element>,
    input: HtmlInputElement,
    chips: Vec<(String, Element)>,
    status: Element,
    clear: Element,
}

fn filter(slot: &HtmlElement, cards: Vec<Card>, categories: Vec<Category>, no_results: Option<Element>) {
    let known: Vec<String> = categories.iter().map(|category| category.slug.clone()).collect();
    let (initial_query, initial_chosen, unknown) = read_url(&known);
    let input = El::new("input").attr("type", "search").attr("placeholder", "stampede, jwt, sharding…").attr("autocomplete", "off").build().unchecked_into::<HtmlInputElement>();
    input.set_value(&initial_query);
    let chips = categories
        .iter()
        .map(|category| {
            let chip = El::new("button")
                .attr("type", "button")
                .class("chip")
                .child(El::new("span").class("chip__check").attr("aria-hidden", "true"))
                .text(&category.name)
                .child(El::new("span").class("chip__count").text(&category.count.to_string()))
                .build();
            (category.slug.clone(), chip)
        })
        .collect();
    let filter = Rc::new(Filter {
        query: RefCell::new(initial_query),
        chosen: RefCell::new(initial_chosen),
        cards,
        categories,
        no_results,
        input,
        chips,
        status: El::new("span").build(),
        clear: El::new("button").attr("type", "button").class("link-button").text("Clear filters").build(),
    });

    let chip_group = filter.chips.iter().fold(El::new("div").class("chips").attr("role", "group").attr("aria-label", "Filter by category"), |group, (slug, chip)| {
        let (filter, slug) = (Rc::clone(&filter), slug.clone());
        dom::listen(chip, "click", move |_| {
            {
                let mut chosen = filter.chosen.borrow_mut();
                match chosen.iter().position(|c| *c == slug) {
                    Some(at) => {
                        chosen.remove(at);
                    }
                    None => chosen.push(slug.clone()),
                }
            }
            filter.apply();
        });
        group.child(chip)
    });
    let typed = Rc::clone(&filter);
    dom::listen(&filter.input, "input", move |_| {
        *typed.query.borrow_mut() = typed.input.value();
        typed.apply();
    });
    let cleared = Rc::clone(&filter);
    dom::listen(&filter.clear, "click", move |_| {
        cleared.query.borrow_mut().clear();
        cleared.chosen.borrow_mut().clear();
        cleared.input.set_value("");
        cleared.apply();
    });

    let note = (!unknown.is_empty()).then(|| format!("Ignored unknown categor{} in the link: {}.", if unknown.len() == 1 { "y" } else { "ies" }, unknown.join(", ")));
    let mut view = El::new("div")
        .class("filter")
        .child(El::new("label").class("filter__search").child(El::new("span").text("Search patterns")).child(&filter.input))
        .child(chip_group)
        .child(El::new("p").class("filter__status").attr("role", "status").attr("aria-live", "polite").child(&filter.status).text(" ").child(&filter.clear));
    if let Some(note) = note {
        view = view.child(El::new("p").class("filter__note").text(&note));
    }
    let _ = slot.append_child(view.as_ref());
    filter.apply();
}

impl Filter {
    /// Shows the cards and categories that match, and redraws the controls.
    fn apply(&self) {
        let query = self.query.borrow();
        let chosen = self.chosen.borrow();
        write_url(&query, &chosen);
        let mut visible_count = 0;
        let mut visible_in: Vec<&str> = Vec::new();
        for card in &self.cards {
            let in_category = chosen.is_empty() || chosen.contains(&card.category);
            let matches = query.trim().is_empty() || card.doc.score(&query).is_some();
            let visible = in_category && matches;
            card.element.set_hidden(!visible);
            if visible {
                visible_count += 1;
                visible_in.push(&card.category);
            }
        }
        for category in &self.categories {
            category.section.set_hidden(!visible_in.contains(&category.slug.as_str()));
        }
        if let Some(message) = &self.no_results {
            dom::toggle_attr(message, "hidden", visible_count != 0);
        }
        for (slug, chip) in &self.chips {
            let pressed = chosen.contains(slug);
            let _ = chip.set_attribute("aria-pressed", dom::aria_bool(pressed));
            if let Some(check) = chip.first_element_child() {
                check.set_text_content(Some(if pressed { "✓ " } else { "" }));
            }
        }
        self.status.set_text_content(Some(&format!("Showing {visible_count} of {} patterns", self.cards.len())));
        dom::toggle_attr(&self.clear, "hidden", query.is_empty() && chosen.is_empty());
    }
}

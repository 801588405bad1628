//! Search and category chips for the pattern catalogue. Filters the prerendered cards in place
//! and keeps the query and the chosen categories in the URL, so a filtered view can be shared.

use crate::dom;
use atlas_components::search::SearchDoc;
use leptos::prelude::*;
use web_sys::{HtmlElement, UrlSearchParams};

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
    let cards: Vec<Card> = dom::query_all(&main, "li.pattern-card")
        .into_iter()
        .map(|element| {
            let attr = |name: &str| element.get_attribute(name).unwrap_or_default();
            let tags: Vec<String> = attr("data-tags").split(", ").filter(|tag| !tag.is_empty()).map(str::to_string).collect();
            let summary = element.query_selector("p:not(.card__eyebrow)").ok().flatten().and_then(|p| p.text_content()).unwrap_or_default();
            let doc = SearchDoc::new(&attr("data-title"), &tags, &summary, &format!("{} {}", attr("data-id"), attr("data-category")));
            Card { category: attr("data-category"), doc, element }
        })
        .collect();
    let categories: Vec<Category> = dom::query_all(&main, "section.pattern-category")
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
    leptos::mount::mount_to(slot, move || filter(cards, categories, no_results)).forget();
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

fn filter(cards: Vec<Card>, categories: Vec<Category>, no_results: Option<web_sys::Element>) -> impl IntoView {
    let total = cards.len();
    let known: Vec<String> = categories.iter().map(|category| category.slug.clone()).collect();
    let (initial_query, initial_chosen, unknown) = read_url(&known);
    let query = RwSignal::new(initial_query);
    let chosen = RwSignal::new(initial_chosen);
    let shown = RwSignal::new(total);
    let chips: Vec<(String, String, usize)> = categories.iter().map(|c| (c.slug.clone(), c.name.clone(), c.count)).collect();
    let cards = StoredValue::new_local(cards);
    let categories = StoredValue::new_local(categories);

    Effect::new(move |_| {
        let query = query.get();
        let chosen = chosen.get();
        write_url(&query, &chosen);
        let mut visible_count = 0;
        cards.with_value(|cards| {
            let mut visible_in: Vec<&str> = Vec::new();
            for card in cards {
                let in_category = chosen.is_empty() || chosen.contains(&card.category);
                let matches = query.trim().is_empty() || card.doc.score(&query).is_some();
                let visible = in_category && matches;
                card.element.set_hidden(!visible);
                if visible {
                    visible_count += 1;
                    visible_in.push(&card.category);
                }
            }
            categories.with_value(|categories| {
                for category in categories {
                    category.section.set_hidden(!visible_in.contains(&category.slug.as_str()));
                }
            });
        });
        if let Some(message) = &no_results {
            let _ = if visible_count == 0 { message.remove_attribute("hidden") } else { message.set_attribute("hidden", "") };
        }
        shown.set(visible_count);
    });

    let toggle = move |slug: String| {
        chosen.update(|chosen| {
            if let Some(at) = chosen.iter().position(|c| *c == slug) {
                chosen.remove(at);
            } else {
                chosen.push(slug);
            }
        })
    };
    let clear = move |_| {
        query.set(String::new());
        chosen.set(Vec::new());
    };
    let note = (!unknown.is_empty()).then(|| format!("Ignored unknown categor{} in the link: {}.", if unknown.len() == 1 { "y" } else { "ies" }, unknown.join(", ")));

    view! {
        <div class="filter">
            <label class="filter__search">
                <span>"Search patterns"</span>
                <input
                    type="search"
                    placeholder="stampede, jwt, sharding…"
                    autocomplete="off"
                    prop:value=move || query.get()
                    on:input=move |event| query.set(event_target_value(&event))
                />
            </label>
            <div class="chips" role="group" aria-label="Filter by category">
                {chips
                    .into_iter()
                    .map(|(slug, name, count)| {
                        let pressed_slug = slug.clone();
                        let pressed = Memo::new(move |_| chosen.get().contains(&pressed_slug));
                        view! {
                            <button
                                type="button"
                                class="chip"
                                aria-pressed=move || if pressed.get() { "true" } else { "false" }
                                on:click=move |_| toggle(slug.clone())
                            >
                                <span class="chip__check" aria-hidden="true">{move || if pressed.get() { "✓ " } else { "" }}</span>
                                {name}
                                <span class="chip__count">{count}</span>
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="filter__status" role="status" aria-live="polite">
                {move || format!("Showing {} of {total} patterns", shown.get())}
                " "
                <button
                    type="button"
                    class="link-button"
                    on:click=clear
                    hidden=move || query.get().is_empty() && chosen.get().is_empty()
                >
                    "Clear filters"
                </button>
            </p>
            {note.map(|note| view! { <p class="filter__note">{note}</p> })}
        </div>
    }
}

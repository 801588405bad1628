//! The search box in the header: `/` opens it, arrows pick, Enter goes, Escape closes. It
//! searches every page in `catalogue.json`, fetched the first time it opens.

use crate::dom;
use atlas_components::search::{search, SearchDoc};
use js_sys::{Array, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlElement, Response};

const MAX_RESULTS: usize = 8;

#[derive(Clone, PartialEq)]
struct Entry {
    title: String,
    kind: String,
    category: String,
    summary: String,
    url: String,
    doc: SearchDoc,
}

#[derive(Clone)]
enum Catalogue {
    NotLoaded,
    Loading,
    Ready(Arc<Vec<Entry>>),
    Failed(String),
}

pub fn mount(slot: HtmlElement) {
    // The prerendered fallback (a link to the catalogue) gives way to the real search.
    slot.set_inner_html("");
    leptos::mount::mount_to(slot, SiteSearch).forget();
}

async fn load_catalogue() -> Result<Vec<Entry>, String> {
    let url = format!("{}catalogue.json", dom::base_path());
    let response = JsFuture::from(dom::window().fetch_with_str(&url)).await.map_err(|_| "the network request failed".to_string())?;
    let response: Response = response.dyn_into().map_err(|_| "unexpected response".to_string())?;
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    let json = JsFuture::from(response.json().map_err(|_| "unreadable response".to_string())?).await.map_err(|_| "the catalogue is not valid JSON".to_string())?;
    let items: Array = json.dyn_into().map_err(|_| "the catalogue is not a list".to_string())?;
    let text = |item: &JsValue, key: &str| Reflect::get(item, &JsValue::from_str(key)).ok().and_then(|value| value.as_string()).unwrap_or_default();
    Ok(items
        .iter()
        .filter_map(|item| {
            let url = text(&item, "url");
            let title = text(&item, "title");
            if url.is_empty() || title.is_empty() {
                return None;
            }
            let tags: Vec<String> = Reflect::get(&item, &JsValue::from_str("tags"))
                .ok()
                .and_then(|tags| tags.dyn_into::<Array>().ok())
                .map(|tags| tags.iter().filter_map(|tag| tag.as_string()).collect())
                .unwrap_or_default();
            let (kind, category, summary) = (text(&item, "kind"), text(&item, "category"), text(&item, "summary"));
            let doc = SearchDoc::new(&title, &tags, &summary, &format!("{} {kind} {category}", text(&item, "id")));
            Some(Entry { title, kind, category, summary, url, doc })
        })
        .collect())
}

impl AsRef<SearchDoc> for Entry {
    fn as_ref(&self) -> &SearchDoc {
        &self.doc
    }
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "module" => "Module",
        "pattern" => "Pattern",
        "visualizer" => "Visualizer",
        "quiz" => "Quiz",
        _ => "Page",
    }
}

#[component]
fn SiteSearch() -> impl IntoView {
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let catalogue = RwSignal::new(Catalogue::NotLoaded);
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let button_ref = NodeRef::<leptos::html::Button>::new();

    // A memo: the search runs once per query, not once per element that reads the results,
    // and the catalogue is borrowed rather than cloned.
    let results = Memo::new(move |_| {
        let query = query.get();
        catalogue.with(|catalogue| match catalogue {
            Catalogue::Ready(entries) => search(entries, &query, MAX_RESULTS).into_iter().map(|index| entries[index].clone()).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    });

    let show = move || {
        open.set(true);
        if matches!(catalogue.get_untracked(), Catalogue::NotLoaded | Catalogue::Failed(_)) {
            catalogue.set(Catalogue::Loading);
            spawn_local(async move {
                let loaded = match load_catalogue().await {
                    Ok(entries) => Catalogue::Ready(Arc::new(entries)),
                    Err(message) => Catalogue::Failed(message),
                };
                catalogue.try_set(loaded);
            });
        }
    };
    let hide = move |return_focus: bool| {
        open.set(false);
        if return_focus {
            if let Some(button) = button_ref.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    Effect::new(move |_| {
        if open.get() {
            if let Some(input) = input_ref.get() {
                let _ = input.focus();
            }
        }
    });

    // `/` anywhere outside a text field opens the search.
    // Removed with the island's reactive owner.
    StoredValue::new_local(dom::on_keydown(dom::window().unchecked_ref(), move |event| {
        if event.key() != "/" || event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let editing = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlElement>().ok())
            .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || element.is_content_editable());
        if !editing {
            event.prevent_default();
            show();
        }
    }));

    let go = move |index: usize| {
        if let Some(entry) = results.get_untracked().get(index) {
            let _ = dom::window().location().assign(&entry.url);
        }
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        let count = results.get_untracked().len();
        match event.key().as_str() {
            "ArrowDown" if count > 0 => {
                event.prevent_default();
                active.update(|at| *at = (*at + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                event.prevent_default();
                active.update(|at| *at = (*at + count - 1) % count);
            }
            "Enter" => {
                event.prevent_default();
                go(active.get_untracked());
            }
            "Escape" => {
                event.prevent_default();
                hide(true);
            }
            _ => {}
        }
    };

    let status = move || match catalogue.get() {
        Catalogue::NotLoaded | Catalogue::Loading => "Loading the catalogue…".to_string(),
        Catalogue::Failed(message) => format!("Search is unavailable: {message}. Try again in a moment."),
        Catalogue::Ready(_) if query.get().trim().is_empty() => "Type to search every page.".to_string(),
        Catalogue::Ready(_) => match results.get().len() {
            0 => "No page matches. Try fewer or other words.".to_string(),
            1 => "1 result. Press Enter to open it.".to_string(),
            n => format!("{n} results. Use the arrow keys and Enter."),
        },
    };

    view! {
        <button type="button" class="search-button" aria-label="Search" node_ref=button_ref aria-expanded=move || if open.get() { "true" } else { "false" } aria-controls="site-search-panel" on:click=move |_| if open.get_untracked() { hide(false) } else { show() }>
            <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false"><circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M13 13l4.5 4.5" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>
            <span class="search-button__label">"Search"</span>
            <kbd class="search-button__key" aria-hidden="true">"/"</kbd>
        </button>
        <div class="search-panel" id="site-search-panel" hidden=move || !open.get()>
            <div class="search-panel__backdrop" on:click=move |_| hide(false)></div>
            <div class="search-panel__box" role="search">
                <label class="search-panel__label" for="site-search-input">"Search the atlas"</label>
                <input
                    id="site-search-input"
                    type="search"
                    role="combobox"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="stampede, jwt, raft…"
                    aria-autocomplete="list"
                    aria-controls="site-search-results"
                    aria-expanded=move || if results.get().is_empty() { "false" } else { "true" }
                    aria-activedescendant=move || (!results.get().is_empty()).then(|| format!("site-search-option-{}", active.get()))
                    node_ref=input_ref
                    prop:value=move || query.get()
                    on:input=move |event| {
                        query.set(event_target_value(&event));
                        active.set(0);
                    }
                    on:keydown=on_keydown
                />
                <p class="search-panel__status" role="status" aria-live="polite">{status}</p>
                <ul class="search-results" id="site-search-results" role="listbox" aria-label="Results">
                    {move || results.get().into_iter().enumerate().map(|(index, entry)| {
                        let url = entry.url.clone();
                        view! {
                            <li
                                id=format!("site-search-option-{index}")
                                role="option"
                                class="search-result"
                                aria-selected=move || if active.get() == index { "true" } else { "false" }
                                on:mousemove=move |_| active.set(index)
                                on:click=move |_| { let _ = dom::window().location().assign(&url); }
                            >
                                <span class="search-result__title">{entry.title.clone()}</span>
                                <span class="search-result__meta">{kind_label(&entry.kind)}" · "{entry.category.clone()}</span>
                                <span class="search-result__summary">{entry.summary.clone()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        </div>
    }
}

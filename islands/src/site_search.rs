//! The search box in the header: `/` opens it, arrows pick, Enter goes, Escape closes. It
//! searches every page in `catalogue.json`, fetched the first time it opens.

use crate::dom::{self, El};
use atlas_components::search::{search, SearchDoc, FAILED_EVENT, LOAD_EVENT};
use js_sys::{Array, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, HtmlInputElement, Response};

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

enum Catalogue {
    NotLoaded,
    Loading,
    Ready(Vec<Entry>),
    Failed(String),
}

pub fn mount(slot: HtmlElement) {
    // The prerendered fallback (a link to the catalogue) gives way to the real search.
    slot.set_inner_html("");
    let search = build(&slot);
    // Asked for before it was here (see `stand_in`): open it now.
    if slot.has_attribute(ASKED) {
        let _ = slot.remove_attribute(ASKED);
        search.show();
    }
}

/// Set on the slot while the reader waits for the search they asked for.
const ASKED: &str = "data-asked";

/// The search button on a page with tools, standing in for the search until the reader asks for
/// it. The search (the catalogue's loading, the ranking, the results) was 6.9 KB of every tool
/// bundle, gzipped (measured 2026-12-06 on kafka-partitions: 150.7 → 143.8 KB); a tool's page
/// now leaves it to the core bundle, which its reader has usually cached from another page, and
/// loads that the first time the button is pressed or `/` typed. The stand-in looks and answers
/// like the real button; the real one replaces it and opens at once.
pub fn stand_in(slot: HtmlElement) {
    slot.set_inner_html("");
    let button = search_button();
    let _ = button.set_attribute("aria-haspopup", "dialog");
    let _ = slot.append_child(&button);
    let ask = {
        let (slot, button) = (slot.clone(), button.clone());
        move || {
            if !button.is_connected() {
                return false;
            }
            let _ = slot.set_attribute(ASKED, "");
            let _ = button.set_attribute("aria-busy", "true");
            set_label(&button, "Loading search…");
            if let Ok(event) = web_sys::Event::new(LOAD_EVENT) {
                let _ = dom::window().dispatch_event(&event);
            }
            true
        }
    };
    let click = ask.clone();
    dom::listen(&button, "click", move |_| {
        click();
    });
    dom::listen(dom::window().unchecked_ref(), "keydown", move |event| {
        if is_shortcut(event) && ask() {
            event.prevent_default();
        }
    });
    dom::listen(dom::window().unchecked_ref(), FAILED_EVENT, move |_| {
        let _ = button.remove_attribute("aria-busy");
        let _ = slot.remove_attribute(ASKED);
        set_label(&button, "Search unavailable, try again");
    });
}

/// The button that opens the search, closed.
fn search_button() -> Element {
    let button = El::new("button")
        .attr("type", "button")
        .class("search-button")
        .attr("aria-label", "Search")
        .attr("aria-expanded", "false")
        .attr("aria-controls", "site-search-panel")
        .build();
    // Static markup of our own; no reader input goes through `inner_html`.
    button.set_inner_html(
        r#"<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false"><circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M13 13l4.5 4.5" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg><span class="search-button__label">Search</span><kbd class="search-button__key" aria-hidden="true">/</kbd>"#,
    );
    button
}

/// Says `text` on the stand-in button, to eyes and to screen readers.
fn set_label(button: &Element, text: &str) {
    let _ = button.set_attribute("aria-label", text);
    if let Ok(Some(label)) = button.query_selector(".search-button__label") {
        label.set_text_content(Some(text));
    }
}

/// `/` typed outside a text field: the search's shortcut.
fn is_shortcut(event: &web_sys::Event) -> bool {
    let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return false };
    if event.key() != "/" || event.ctrl_key() || event.meta_key() || event.alt_key() {
        return false;
    }
    let editing = event
        .target()
        .and_then(|target| target.dyn_into::<HtmlElement>().ok())
        .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || element.is_content_editable());
    !editing
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
            // A section of a long document also carries the words under its heading.
            let doc = SearchDoc::new(&title, &tags, &summary, &format!("{} {kind} {category} {}", text(&item, "id"), text(&item, "keywords")));
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
        "case-study" => "Case study",
        "problem" => "Interview problem",
        "cheatsheet" => "Cheat sheet",
        "reference" => "Reference",
        "section" => "Section",
        _ => "Page",
    }
}

/// The search's state and the elements it redraws. The results are computed once per query (or
/// when the catalogue arrives), not once per element that shows them.
struct Search {
    open: Cell<bool>,
    active: Cell<usize>,
    catalogue: RefCell<Catalogue>,
    results: RefCell<Vec<Entry>>,
    button: Element,
    panel: Element,
    input: HtmlInputElement,
    status: Element,
    list: Element,
}

fn build(slot: &HtmlElement) -> Rc<Search> {
    let button = search_button();
    let input = El::new("input")
        .attr("id", "site-search-input")
        .attr("type", "search")
        .attr("role", "combobox")
        .attr("autocomplete", "off")
        .attr("spellcheck", "false")
        .attr("placeholder", "stampede, jwt, raft…")
        .attr("aria-autocomplete", "list")
        .attr("aria-controls", "site-search-results")
        .attr("aria-expanded", "false")
        .build()
        .unchecked_into::<HtmlInputElement>();
    let search = Rc::new(Search {
        open: Cell::new(false),
        active: Cell::new(0),
        catalogue: RefCell::new(Catalogue::NotLoaded),
        results: RefCell::new(Vec::new()),
        panel: El::new("div").class("search-panel").attr("id", "site-search-panel").attr("hidden", "").build(),
        status: El::new("p").class("search-panel__status").attr("role", "status").attr("aria-live", "polite").build(),
        list: El::new("ul").class("search-results").attr("id", "site-search-results").attr("role", "listbox").attr("aria-label", "Results").build(),
        button,
        input,
    });
    let on = |target: &web_sys::EventTarget, event: &'static str, handler: fn(&Rc<Search>, &web_sys::Event)| {
        let search = Rc::clone(&search);
        dom::listen(target, event, move |e| handler(&search, e));
    };
    on(&search.button, "click", |search, _| if search.open.get() { search.hide(false) } else { search.show() });
    on(&search.input, "input", |search, _| search.run_query());
    on(&search.input, "keydown", |search, event| {
        if let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() {
            search.on_key(event);
        }
    });
    // `/` anywhere outside a text field opens the search.
    on(dom::window().unchecked_ref(), "keydown", |search, event| {
        if is_shortcut(event) {
            event.prevent_default();
            search.show();
        }
    });
    let backdrop = El::new("div").class("search-panel__backdrop").build();
    on(&backdrop, "click", |search, _| search.hide(false));
    let boxed = El::new("div")
        .class("search-panel__box")
        .attr("role", "search")
        .child(El::new("label").class("search-panel__label").attr("for", "site-search-input").text("Search the atlas"))
        .child(&search.input)
        .child(&search.status)
        .child(&search.list);
    let _ = search.panel.append_child(&backdrop);
    let _ = search.panel.append_child(boxed.as_ref());
    let _ = slot.append_child(&search.button);
    let _ = slot.append_child(&search.panel);
    search.render_status();
    search
}

impl Search {
    fn show(self: &Rc<Self>) {
        self.open.set(true);
        dom::toggle_attr(&self.panel, "hidden", false);
        let _ = self.button.set_attribute("aria-expanded", "true");
        let _ = self.input.focus();
        if matches!(*self.catalogue.borrow(), Catalogue::NotLoaded | Catalogue::Failed(_)) {
            *self.catalogue.borrow_mut() = Catalogue::Loading;
            self.render_status();
            let search = Rc::clone(self);
            wasm_bindgen_futures::spawn_local(async move {
                *search.catalogue.borrow_mut() = match load_catalogue().await {
                    Ok(entries) => Catalogue::Ready(entries),
                    Err(message) => Catalogue::Failed(message),
                };
                search.run_query();
            });
        }
    }

    fn hide(&self, return_focus: bool) {
        self.open.set(false);
        dom::toggle_attr(&self.panel, "hidden", true);
        let _ = self.button.set_attribute("aria-expanded", "false");
        if return_focus {
            if let Some(button) = self.button.dyn_ref::<HtmlElement>() {
                let _ = button.focus();
            }
        }
    }

    /// Searches for what is in the box, then redraws the results and the status line.
    fn run_query(self: &Rc<Self>) {
        let query = self.input.value();
        let results = match &*self.catalogue.borrow() {
            Catalogue::Ready(entries) => search(entries, &query, MAX_RESULTS).into_iter().map(|index| entries[index].clone()).collect(),
            _ => Vec::new(),
        };
        *self.results.borrow_mut() = results;
        self.active.set(0);
        self.list.set_text_content(None);
        for (index, entry) in self.results.borrow().iter().enumerate() {
            let url = entry.url.clone();
            let item = El::new("li")
                .attr("id", &format!("site-search-option-{index}"))
                .attr("role", "option")
                .class("search-result")
                .child(El::new("span").class("search-result__title").text(&entry.title))
                .child(El::new("span").class("search-result__meta").text(kind_label(&entry.kind)).text(" · ").text(&entry.category))
                .child(El::new("span").class("search-result__summary").text(&entry.summary))
                .on("click", move |_| {
                    let _ = dom::window().location().assign(&url);
                });
            let search = Rc::clone(self);
            let _ = self.list.append_child(item.on("mousemove", move |_| search.set_active(index)).as_ref());
        }
        self.render_active();
        self.render_status();
    }

    fn on_key(&self, event: &web_sys::KeyboardEvent) {
        let count = self.results.borrow().len();
        match event.key().as_str() {
            "ArrowDown" if count > 0 => self.set_active((self.active.get() + 1) % count),
            "ArrowUp" if count > 0 => self.set_active((self.active.get() + count - 1) % count),
            "Enter" => {
                if let Some(entry) = self.results.borrow().get(self.active.get()) {
                    let _ = dom::window().location().assign(&entry.url);
                }
            }
            "Escape" => self.hide(true),
            _ => return,
        }
        event.prevent_default();
    }

    fn set_active(&self, index: usize) {
        if self.active.replace(index) != index {
            self.render_active();
        }
    }

    fn render_active(&self) {
        let count = self.results.borrow().len();
        let active = self.active.get();
        let _ = self.input.set_attribute("aria-expanded", dom::aria_bool(count > 0));
        let _ = if count > 0 {
            self.input.set_attribute("aria-activedescendant", &format!("site-search-option-{active}"))
        } else {
            self.input.remove_attribute("aria-activedescendant")
        };
        for (index, item) in dom::query_all::<Element>(&self.list, "li").iter().enumerate() {
            let _ = item.set_attribute("aria-selected", dom::aria_bool(index == active));
        }
    }

    fn render_status(&self) {
        let text = match &*self.catalogue.borrow() {
            Catalogue::NotLoaded | Catalogue::Loading => "Loading the catalogue…".to_string(),
            Catalogue::Failed(message) => format!("Search is unavailable: {message}. Try again in a moment."),
            Catalogue::Ready(_) if self.input.value().trim().is_empty() => "Type to search every page.".to_string(),
            Catalogue::Ready(_) => match self.results.borrow().len() {
                0 => "No page matches. Try fewer or other words.".to_string(),
                1 => "1 result. Press Enter to open it.".to_string(),
                n => format!("{n} results. Use the arrow keys and Enter."),
            },
        };
        self.status.set_text_content(Some(&text));
    }
}

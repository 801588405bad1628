//! The progress page: what this browser remembers, by module; export to a file, import one back
//! (merged, never replacing), forget everything; and any stored value that could not be read,
//! set aside, with why, to download or delete.

use crate::dom::{self, El};
use crate::store;
use atlas_components::learn::progress::{self, Progress};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, HtmlInputElement};

pub fn mount(root: HtmlElement) {
    let status = root.query_selector(".progress__status").ok().flatten().unwrap_or_else(|| El::new("p").build());
    let messages = El::new("div").class("progress__messages").attr("role", "status").attr("aria-live", "polite").build();
    let _ = root.insert_before(&messages, status.next_sibling().as_ref());
    render(&root, &status);
    controls(&root, &status, &messages);
    set_aside(&root, &status, &messages);
}

fn plural(count: usize, word: &str) -> String {
    format!("{count} {word}{}", if count == 1 { "" } else { "s" })
}

fn render(root: &HtmlElement, status: &Element) {
    let progress = match store::load() {
        Ok(progress) => progress,
        Err(error) => {
            status.set_text_content(Some(&format!("Nothing can be shown: {error}.")));
            return;
        }
    };
    let now = store::now();
    let answers: usize = progress.answers.values().map(Vec::len).sum();
    let right = progress.answers.values().flatten().filter(|answer| answer.correct).count();
    let summary = if progress == Progress::default() {
        "Nothing is stored yet. Read a page, use a tool or answer a question, and it shows here.".to_string()
    } else {
        format!(
            "This browser remembers {} read, {} used, {} ({} right) on {}, and {} due for review now.",
            plural(progress.read.len(), "page"),
            plural(progress.tools.len(), "tool"),
            plural(answers, "answer"),
            right,
            plural(progress.answers.len(), "question"),
            plural(progress.due(now).len(), "question")
        )
    };
    status.set_text_content(Some(&summary));
    for row in dom::query_all::<Element>(root, "tr[data-module]") {
        let module = row.get_attribute("data-module").unwrap_or_default();
        let routes = row.get_attribute("data-routes").unwrap_or_default();
        let routes: Vec<&str> = routes.split(' ').filter(|route| !route.is_empty()).collect();
        let read = routes.iter().filter(|route| progress.read.contains_key(**route)).count();
        if let Ok(Some(cell)) = row.query_selector("[data-cell=read]") {
            cell.set_text_content(Some(&format!("{read} of {}", routes.len())));
        }
        if let (Ok(Some(cell)), Some(score)) = (row.query_selector("[data-cell=score]"), progress.best_score(&module)) {
            let attempts = progress.scores.iter().filter(|attempt| attempt.module == module).count();
            let passed = atlas_components::learn::certificate::passes(score.right, score.total);
            cell.set_text_content(Some(&format!("{} of {} ({}%){}, {}", score.right, score.total, score.percent(), if passed { ", passed" } else { "" }, plural(attempts, "attempt"))));
        }
    }
    let tools = root.query_selector(".progress__tools").ok().flatten().unwrap_or_else(|| {
        let list = El::new("div").class("progress__tools").build();
        let _ = root.append_child(&list);
        list
    });
    tools.set_text_content(None);
    let _ = tools.append_child(El::new("h2").text("Tools used").as_ref());
    if progress.tools.is_empty() {
        let _ = tools.append_child(El::new("p").text("None yet. Every visualizer counts once you press one of its controls.").as_ref());
    } else {
        let list = progress.tools.keys().fold(El::new("ul").class("chips"), |list, slug| {
            list.child(El::new("li").child(El::new("a").attr("href", &format!("{}visualizers/{slug}/", dom::base_path())).text(slug)))
        });
        let _ = tools.append_child(list.as_ref());
    }
}

fn say(messages: &Element, text: &str) {
    messages.set_text_content(None);
    let _ = messages.append_child(El::new("p").text(text).as_ref());
}

fn controls(root: &HtmlElement, status: &Element, messages: &Element) {
    let export = El::new("button").attr("type", "button").class("button").text("Export to a file").on("click", {
        let messages = messages.clone();
        move |_| match store::load() {
            Ok(progress) => {
                super::download(&format!("system-design-atlas-progress-{}.txt", super::today()), "text/plain", &progress.to_text());
                say(&messages, "Exported. Import the file on the progress page of any browser to carry this progress there.");
            }
            Err(error) => say(&messages, &format!("Nothing to export: {error}.")),
        }
    });
    let import_id = "progress-import";
    let import = El::new("input").attr("type", "file").attr("id", import_id).attr("accept", ".txt,text/plain").class("progress__file").build();
    let (root_for_import, status_for_import, messages_for_import) = (root.clone(), status.clone(), messages.clone());
    dom::listen(&import, "change", move |event| {
        let Some(input) = event.target().and_then(|target| target.dyn_into::<HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        let (root, status, messages) = (root_for_import.clone(), status_for_import.clone(), messages_for_import.clone());
        wasm_bindgen_futures::spawn_local(async move {
            if file.size() > progress::MAX_BYTES as f64 {
                return say(&messages, &format!("“{}” is too large to be a progress file; nothing changed.", file.name()));
            }
            let text = match JsFuture::from(file.text()).await.ok().and_then(|text| text.as_string()) {
                Some(text) => text,
                None => return say(&messages, "That file could not be read; nothing changed."),
            };
            match progress::parse(&text) {
                Err(error) => say(&messages, &format!("“{}” was not imported, and nothing changed: {error}.", file.name())),
                Ok(imported) => {
                    let summary = format!("{}, {} and {}", plural(imported.read.len(), "page"), plural(imported.answers.len(), "question"), plural(imported.scores.len(), "quiz score"));
                    match store::update(|progress| progress.merge(imported)) {
                        Ok(_) => say(&messages, &format!("Imported “{}”: {summary}, added to what was here.", file.name())),
                        Err(error) => say(&messages, &format!("Not imported: {error}.")),
                    }
                    render(&root, &status);
                }
            }
        });
    });
    let confirm = El::new("button").attr("type", "button").class("button button--danger").attr("hidden", "").text("Yes, forget everything").build();
    let ask = El::new("button").attr("type", "button").class("button").text("Forget everything…").build();
    let (asked, confirmed) = (ask.clone(), confirm.clone());
    dom::listen(&ask, "click", {
        let confirm = confirm.clone();
        let messages = messages.clone();
        move |_| {
            dom::toggle_attr(&confirm, "hidden", false);
            say(&messages, "This deletes every page read, answer, review and score this browser remembers, and anything set aside. Export first to keep a copy.");
            if let Some(confirm) = confirm.dyn_ref::<HtmlElement>() {
                let _ = confirm.focus();
            }
        }
    });
    let (root_for_forget, status_for_forget, messages_for_forget) = (root.clone(), status.clone(), messages.clone());
    dom::listen(&confirmed, "click", move |_| {
        store::forget(None);
        if let Some(button) = asked.dyn_ref::<HtmlElement>() {
            let _ = button.focus();
        }
        if let Ok(Some(section)) = root_for_forget.query_selector(".progress__set-aside") {
            section.remove();
        }
        render(&root_for_forget, &status_for_forget);
        say(&messages_for_forget, "Forgotten: this browser no longer remembers anything of your progress.");
    });
    let hide = confirm.clone();
    dom::listen(&confirm, "click", move |_| dom::toggle_attr(&hide, "hidden", true));
    let panel = El::new("div")
        .class("progress__controls")
        .child(export)
        .child(El::new("label").attr("for", import_id).class("button").text("Import a file"))
        .child(import)
        .child(ask)
        .child(confirm);
    let _ = root.insert_before(panel.as_ref(), status.next_sibling().as_ref());
}

/// Values that did not parse, with the reason, to download or delete.
fn set_aside(root: &HtmlElement, status: &Element, messages: &Element) {
    let kept = store::set_aside();
    if kept.is_empty() {
        return;
    }
    let section = El::new("section").class("progress__set-aside").child(El::new("h2").text("Set aside")).child(El::new("p").text(
        "This browser held progress the site could not read. It was not deleted: it is kept here, untouched, and a fresh record was started. Download it to look at it or to import it after fixing it.",
    ));
    let list = El::new("ul").build();
    for (key, value) in kept {
        let reason = match progress::parse(&value) {
            Err(error) => error.to_string(),
            Ok(_) => "it reads now (fixed by hand?); import it to merge it".to_string(),
        };
        let stamp: String = key.trim_start_matches(progress::SET_ASIDE_PREFIX).chars().take(13).collect();
        let when = stamp.parse::<i64>().map(|ms| super::day_of(ms / 1000)).unwrap_or_default();
        let item = El::new("li").build();
        let download_value = value.clone();
        let (delete_key, delete_item, root_for_delete, status_for_delete, messages_for_delete) = (key.clone(), item.clone(), root.clone(), status.clone(), messages.clone());
        let content = El::new("span")
            .text(&format!("Set aside {when}, {} characters: ", value.chars().count()))
            .child(El::new("em").text(&reason))
            .text(" ")
            .child(El::new("button").attr("type", "button").class("button").text("Download").on("click", move |_| super::download("system-design-atlas-set-aside.txt", "text/plain", &download_value)))
            .text(" ")
            .child(El::new("button").attr("type", "button").class("button").text("Delete").on("click", move |_| {
                store::forget(Some(&delete_key));
                delete_item.remove();
                render(&root_for_delete, &status_for_delete);
                say(&messages_for_delete, "Deleted the value that was set aside.");
            }));
        let _ = item.append_child(content.as_ref());
        let _ = list.append_child(&item);
    }
    let section = section.child(list);
    let _ = root.insert_before(section.as_ref(), status.next_sibling().as_ref());
}

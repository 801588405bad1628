//! The learning loop's islands, in the `viz-learn` bundle that the quiz, practice, progress and
//! certificate pages load: the hub's counts and question filter, a module quiz's score and
//! certificate, the practice sets, the progress page, and the certificate check.

mod certificate;
mod fetch;
mod hub;
mod module_quiz;
mod practice;
mod progress_page;
mod verify;

/// Mounts a learning island; false for a name that is not one. The practice page has a bundle
/// of its own ([`mount_with_practice`]): its question generators run the site's models, which
/// would double what the hub, quiz, progress and certificate pages download (measured
/// 2026-12-07: 125 KB gzipped with them).
pub fn mount(name: &str, element: web_sys::HtmlElement) -> bool {
    match name {
        "quiz-hub" => hub::mount_counts(element),
        "question-filter" => hub::mount_filter(element),
        "module-quiz" => module_quiz::mount(element),
        "progress" => progress_page::mount(element),
        "verify" => verify::mount(element),
        _ => return false,
    }
    true
}

/// The practice page's bundle: its island alone (the others would cost its page 10 KB).
pub fn mount_with_practice(name: &str, element: web_sys::HtmlElement) -> bool {
    if name == "practice" {
        practice::mount(element);
        return true;
    }
    false
}

/// Today's date on the reader's clock, `YYYY-MM-DD`.
pub fn today() -> String {
    let date = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", date.get_full_year(), date.get_month() + 1, date.get_date())
}

/// A date and time on the reader's clock from Unix seconds, `YYYY-MM-DD`.
pub fn day_of(seconds: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(seconds as f64 * 1000.0));
    format!("{:04}-{:02}-{:02}", date.get_full_year(), date.get_month() + 1, date.get_date())
}

/// Starts a download of `text` as a file named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    let href = format!("data:{mime};charset=utf-8,{}", String::from(js_sys::encode_uri_component(text)));
    download_url(name, &href);
}

pub fn download_url(name: &str, href: &str) {
    use wasm_bindgen::JsCast;
    let link = crate::dom::El::new("a").attr("href", href).attr("download", name).attr("hidden", "").build();
    if let Some(body) = crate::dom::document().body() {
        let _ = body.append_child(&link);
        if let Ok(link) = link.dyn_into::<web_sys::HtmlElement>() {
            link.click();
            link.remove();
        }
    }
}

//! A panic stops the WebAssembly instance. Instead of leaving a page whose buttons silently do
//! nothing, tell the reader, keep the prerendered text readable, and offer a reload.

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_banner(&info.to_string());
    }));
}

fn show_banner(detail: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Some(banner) = document.get_element_by_id("atlas-panic") else {
        return;
    };
    let href = document.location().and_then(|location| location.href().ok()).unwrap_or_default();
    // Built from static markup; the panic text goes in through `text_content`, never as HTML.
    banner.set_inner_html(
        "<p><strong>Something went wrong in the interactive part of this page.</strong> \
         The text is still here; reload to bring the controls back.</p>\
         <p><a class=\"button button--primary\" data-reload>Reload the page</a></p>\
         <details><summary>Technical detail</summary><pre></pre></details>",
    );
    if let Ok(Some(link)) = banner.query_selector("[data-reload]") {
        // A plain link to the same address reloads without needing any more WebAssembly.
        let _ = link.set_attribute("href", &href);
    }
    if let Ok(Some(pre)) = banner.query_selector("pre") {
        pre.set_text_content(Some(detail));
    }
    let _ = banner.remove_attribute("hidden");
}

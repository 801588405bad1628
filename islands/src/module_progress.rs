//! A module page's line of progress: pages of the module read, and the best quiz score.

use crate::dom::{self, El};
use crate::store;
use atlas_components::learn::progress::lines;
use web_sys::HtmlElement;

pub fn mount(slot: HtmlElement) {
    let Some(text) = store::text() else { return };
    let module = slot.get_attribute("data-module").unwrap_or_default();
    let routes = slot.get_attribute("data-routes").unwrap_or_default();
    let routes: Vec<&str> = routes.split(' ').filter(|route| !route.is_empty()).collect();
    let read = routes.iter().filter(|route| lines::has(&text, "read", route)).count();
    let mut line = format!("You have read {read} of this module's {} pages", routes.len());
    match lines::best_score(&text, &module) {
        Some((right, total)) => line.push_str(&format!(", and your best quiz score is {right} of {total} ({}%).", right * 100 / total)),
        None => line.push_str(", and not taken its quiz yet."),
    }
    slot.set_text_content(None);
    let _ = slot.append_child(El::new("p").text(&line).text(" ").child(El::new("a").attr("href", &format!("{}progress/", dom::base_path())).text("Your progress")).as_ref());
    dom::toggle_attr(&slot, "hidden", false);
}

//! The header's "due" count, inside its Quiz link: how many answered questions the review
//! schedule says are due now. Hidden when none are, or when nothing can be stored.

use crate::dom;
use crate::store;
use web_sys::HtmlElement;

pub fn mount(badge: HtmlElement) {
    let show = move || {
        let due = store::due_now();
        // Read as part of the link's name: "Quiz 3 due".
        badge.set_text_content(Some(&format!("{due} due")));
        dom::toggle_attr(&badge, "hidden", due == 0);
    };
    show();
    dom::listen(&dom::document(), crate::quiz::ANSWERED_EVENT, move |_| show());
}

//! The certificate check: recomputes the code from the fields typed (or given in the link a
//! certificate page makes) and says whether it matches, and what that does and does not prove.

use crate::dom::{self, El};
use atlas_components::learn::certificate::Certificate;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

fn field(form: &HtmlElement, name: &str) -> Option<web_sys::Element> {
    form.query_selector(&format!("[name={name}]")).ok().flatten()
}

fn value(form: &HtmlElement, name: &str) -> String {
    match field(form, name) {
        Some(element) => match element.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.value(),
            None => element.dyn_ref::<HtmlSelectElement>().map(|select| select.value()).unwrap_or_default(),
        },
        None => String::new(),
    }
}

pub fn mount(form: HtmlElement) {
    // A link from a certificate fills the fields; each value is set as a field's text, never as markup.
    let search = dom::window().location().search().unwrap_or_default();
    let mut prefilled = false;
    if let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) {
        for name in ["name", "module", "date", "right", "total", "code"] {
            if let (Some(given), Some(element)) = (params.get(name), field(&form, name)) {
                let given: String = given.chars().take(80).collect();
                if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                    input.set_value(&given);
                    prefilled = true;
                } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                    select.set_value(&given);
                }
            }
        }
    }
    let result = form.query_selector(".verify__result").ok().flatten().unwrap_or_else(|| El::new("p").build());
    let check = {
        let form = form.clone();
        move || {
            let number = |name: &str| value(&form, name).trim().parse::<u32>().ok();
            let certificate = Certificate {
                name: atlas_components::learn::certificate::clean_name(&value(&form, "name")),
                module: value(&form, "module"),
                date: value(&form, "date").trim().to_string(),
                right: number("right").unwrap_or(u32::MAX),
                total: number("total").unwrap_or(0),
            };
            result.set_text_content(None);
            let line = match certificate.validate() {
                Err(message) => El::new("span").text(&message),
                Ok(()) if value(&form, "code").trim().is_empty() => El::new("span").text("Type the code printed on the certificate."),
                Ok(()) if certificate.matches(&value(&form, "code")) => El::new("span")
                    .child(El::new("strong").text("✓ The code matches."))
                    .text(" These are the name, module, date and score the certificate was made with. The site keeps no records, so this cannot show who took the quiz or that they passed it: anyone who reads the site's code can make a matching certificate."),
                Ok(()) => El::new("span")
                    .child(El::new("strong").text("✗ The code does not match."))
                    .text(" One of the fields differs from the certificate as it was made (check the spelling of the name and the date), or the certificate was edited."),
            };
            let _ = result.append_child(line.as_ref());
        }
    };
    if prefilled {
        check();
    }
    dom::listen(&form, "submit", move |event| {
        event.prevent_default();
        check();
    });
}

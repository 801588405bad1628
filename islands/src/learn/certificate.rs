//! Making a certificate in the browser: the reader types a name, the page draws the SVG
//! (`atlas_components::learn::certificate::svg`) and offers it as SVG and as PNG.

use crate::dom::{self, El};
use atlas_components::learn::certificate::{clean_name, svg, Certificate};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

pub fn offer(parent: &Element, module: &str, title: &str, right: u32, total: u32) {
    let input_id = "certificate-name";
    let output = El::new("div").class("certificate__output").attr("aria-live", "polite").build();
    let input = El::new("input").attr("type", "text").attr("id", input_id).attr("name", "name").attr("maxlength", "80").attr("autocomplete", "name").build();
    let (module, title) = (module.to_string(), title.to_string());
    let field = input.clone();
    let shown = output.clone();
    let form = El::new("form")
        .class("certificate")
        .child(El::new("label").attr("for", input_id).text("Your name, as the certificate should show it"))
        .child(input)
        .child(El::new("button").attr("type", "submit").class("button button--primary").text("Make my certificate"))
        .on("submit", move |event| {
            event.prevent_default();
            let name = field.dyn_ref::<HtmlInputElement>().map(|input| clean_name(&input.value())).unwrap_or_default();
            shown.set_text_content(None);
            if name.is_empty() {
                let _ = shown.append_child(El::new("p").text("Type a name first.").as_ref());
                return;
            }
            let certificate = Certificate { name, module: module.clone(), date: super::today(), right, total };
            show(&shown, &certificate, &title);
        })
        .build();
    let _ = parent.append_child(&form);
    let _ = parent.append_child(&output);
}

fn show(output: &Element, certificate: &Certificate, title: &str) {
    let origin = dom::window().location().origin().unwrap_or_default();
    let verify_page = format!("{origin}{}quiz/verify/", dom::base_path());
    let image = svg(certificate, title, &verify_page);
    let href = format!("data:image/svg+xml;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&image)));
    let file = format!("system-design-atlas-{}-{}", certificate.module, certificate.date);
    let query = web_sys::UrlSearchParams::new().ok();
    let check_link = query
        .map(|params| {
            params.append("name", &certificate.name);
            params.append("module", &certificate.module);
            params.append("date", &certificate.date);
            params.append("right", &certificate.right.to_string());
            params.append("total", &certificate.total.to_string());
            params.append("code", &certificate.code());
            format!("{verify_page}?{}", String::from(params.to_string()))
        })
        .unwrap_or(verify_page);
    let png_source = href.clone();
    let png_name = format!("{file}.png");
    let picture = El::new("img").class("certificate__image").attr("src", &href).attr("alt", &format!("Certificate for {}: {title}, {} of {}, {}", certificate.name, certificate.right, certificate.total, certificate.date)).attr("width", "1123").attr("height", "794");
    let actions = El::new("p")
        .class("certificate__actions")
        .child(El::new("a").class("button").attr("href", &href).attr("download", &format!("{file}.svg")).text("Download SVG"))
        .text(" ")
        .child(El::new("button").attr("type", "button").class("button").text("Download PNG").on("click", move |_| download_png(&png_source, &png_name)));
    let code = El::new("p").text("Its code is ").child(El::new("code").text(&certificate.code())).text(". Anyone can ").child(El::new("a").attr("href", &check_link).text("check it")).text(" against the name, module, date and score.");
    let _ = output.append_child(picture.as_ref());
    let _ = output.append_child(actions.as_ref());
    let _ = output.append_child(code.as_ref());
}

/// Draws the SVG on a canvas at its own size and downloads the canvas as PNG.
fn download_png(svg_url: &str, name: &str) {
    let Ok(image) = web_sys::HtmlImageElement::new() else { return };
    let source = image.clone();
    let name = name.to_string();
    let loaded = Closure::once_into_js(move || {
        let Some(canvas) = dom::document().create_element("canvas").ok().and_then(|canvas| canvas.dyn_into::<web_sys::HtmlCanvasElement>().ok()) else { return };
        canvas.set_width(1123);
        canvas.set_height(794);
        let Some(context) = canvas.get_context("2d").ok().flatten().and_then(|context| context.dyn_into::<web_sys::CanvasRenderingContext2d>().ok()) else { return };
        if context.draw_image_with_html_image_element(&source, 0.0, 0.0).is_ok() {
            if let Ok(png) = canvas.to_data_url_with_type("image/png") {
                super::download_url(&name, &png);
            }
        }
    });
    image.set_onload(Some(loaded.unchecked_ref()));
    image.set_src(svg_url);
}

//! How wide a label will be, measured with the page's own fonts (a canvas `measureText`), so a
//! drawing can wrap, shorten or move a label before it overflows its box or the viewBox,
//! instead of guessing from the number of characters.

use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

/// The font a label is drawn in. Sizes are CSS px; each view's stylesheet rules use the same.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Font {
    pub px: f64,
    pub bold: bool,
    pub mono: bool,
}

impl Font {
    pub const fn bold(px: f64) -> Self {
        Self { px, bold: true, mono: false }
    }
    pub const fn mono(px: f64) -> Self {
        Self { px, bold: false, mono: true }
    }
}

struct Ruler {
    context: Option<CanvasRenderingContext2d>,
    sans: String,
    mono: String,
}

thread_local! {
    static RULER: RefCell<Option<Ruler>> = const { RefCell::new(None) };
}

fn new_ruler() -> Ruler {
    let document = crate::dom::document();
    let context = document
        .create_element("canvas")
        .ok()
        .and_then(|canvas| canvas.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        .and_then(|canvas| canvas.get_context("2d").ok().flatten())
        .and_then(|context| context.dyn_into::<CanvasRenderingContext2d>().ok());
    // The families the stylesheet sets (`--font-sans`, `--font-mono` on :root).
    let style = document.document_element().and_then(|root| crate::dom::window().get_computed_style(&root).ok().flatten());
    let family = |name: &str, fallback: &str| {
        style.as_ref().and_then(|style| style.get_property_value(name).ok()).map(|value| value.trim().to_string()).filter(|value| !value.is_empty()).unwrap_or_else(|| fallback.to_string())
    };
    Ruler { context, sans: family("--font-sans", "sans-serif"), mono: family("--font-mono", "monospace") }
}

/// The advance width of `text` in `font`, in CSS px.
pub fn text_width(text: &str, font: Font) -> f64 {
    RULER.with(|cell| {
        let mut ruler = cell.borrow_mut();
        let ruler = ruler.get_or_insert_with(new_ruler);
        let family = if font.mono { &ruler.mono } else { &ruler.sans };
        match &ruler.context {
            Some(context) => {
                context.set_font(&format!("{} {}px {}", if font.bold { 700 } else { 400 }, font.px, family));
                context.measure_text(text).map(|metrics| metrics.width()).unwrap_or_else(|_| estimate(text, font))
            }
            None => estimate(text, font),
        }
    })
}

/// Without a canvas: a generous average advance, so an estimate errs towards wrapping.
fn estimate(text: &str, font: Font) -> f64 {
    text.chars().count() as f64 * font.px * if font.mono { 0.61 } else if font.bold { 0.7 } else { 0.64 }
}

/// The first of `candidates` that fits in `room` px, or the last one (the shortest, by
/// convention) when none does.
pub fn first_that_fits(candidates: &[String], font: Font, room: f64) -> &str {
    candidates.iter().find(|text| text_width(text, font) <= room).or(candidates.last()).map_or("", String::as_str)
}

/// `text` broken at spaces into lines no wider than `room` (a word longer than the room gets a
/// line of its own).
pub fn wrap(text: &str, font: Font, room: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), font) <= room => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

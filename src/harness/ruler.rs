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
    /// The font the context was last set to: setting it parses the font string again, which
    /// cost as much as the measuring when a chart measured its labels every round.
    font: Option<Font>,
    /// The advance of the mono font's ASCII characters, by size: one measure for every label.
    mono_advance: Vec<(f64, f64)>,
    /// Widths measured: text with its digits written as 0 (see `text_width`), font, width. A
    /// few dozen labels at most, searched in order.
    known: Vec<(String, u32, f64)>,
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
    Ruler { context, sans: family("--font-sans", "sans-serif"), mono: family("--font-mono", "monospace"), font: None, mono_advance: Vec::new(), known: Vec::new() }
}

/// The advance width of `text` in `font`, in CSS px.
pub fn text_width(text: &str, font: Font) -> f64 {
    RULER.with(|cell| {
        let mut ruler = cell.borrow_mut();
        let ruler = ruler.get_or_insert_with(new_ruler);
        // A monospaced font gives every ASCII character one advance (others may come from a
        // fallback font, so they are measured).
        let ascii_mono = font.mono && !font.bold && text.is_ascii();
        if let Some(&(_, advance)) = ruler.mono_advance.iter().find(|(px, _)| ascii_mono && *px == font.px) {
            return text.len() as f64 * advance;
        }
        // A label a run redraws every round changes its numbers, not its words: a width is
        // measured once for every text that differs only in its digits, measured with zeros.
        // Most of the stylesheet's fonts give digits one advance; where they do not, a zero is
        // among the widest, so a label errs towards its shorter form. The retries chart measured
        // 15 labels a round, 1.3 ms of its frame with the CPU throttled 4x (2026-12-07).
        let font_code = (font.px * 4.0) as u32 * 4 + u32::from(font.bold) * 2 + u32::from(font.mono);
        let zeroed: String = text.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).collect();
        if let Some(&(_, _, width)) = ruler.known.iter().find(|(text, code, _)| *code == font_code && *text == zeroed) {
            return width;
        }
        let Some(context) = &ruler.context else { return estimate(text, font) };
        if ruler.font != Some(font) {
            let family = if font.mono { &ruler.mono } else { &ruler.sans };
            context.set_font(&format!("{} {}px {}", if font.bold { 700 } else { 400 }, font.px, family));
            ruler.font = Some(font);
        }
        let measure = |text: &str| context.measure_text(text).map(|metrics| metrics.width()).ok();
        if ascii_mono {
            // Measured over ten characters, so the advance keeps its fraction of a pixel.
            if let Some(advance) = measure("0000000000").map(|width| width / 10.0) {
                ruler.mono_advance.push((font.px, advance));
                return text.len() as f64 * advance;
            }
        }
        let width = measure(&zeroed).unwrap_or_else(|| estimate(text, font));
        if ruler.known.len() >= 64 {
            ruler.known.remove(0);
        }
        ruler.known.push((zeroed, font_code, width));
        width
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

//! The first frame of the tool, drawn at build time (see `viz::poster`): the two designs the
//! page opens with, side by side as its tables are, from two inputs that drive everything to
//! the outputs a reader looks for first.

use super::{format_bytes, format_count, format_dollars, outputs, ByteUnits, Design, InputKey, Output, Scenario};
use crate::diagram::text::{text_width, wrap};
use crate::viz::poster::{Anchor, Sketch, Tone, WIDTH};

const LEFT: f32 = 6.0;
const RIGHT: f32 = WIDTH - 6.0;
/// Between the labels and the first column, and between the columns.
const GAP: f32 = 14.0;
const SIZE: f32 = 12.0;
const ROW: f32 = 20.0;
const SIDES: [&str; 2] = ["Design A", "Design B"];
/// Design A and B in two series colours, each also named.
const TONES: [Tone; 2] = [Some(2), Some(1)];

/// The inputs shown: how many use it and how read-heavy it is, which drive every output.
const INPUTS: [(InputKey, &str); 2] = [(InputKey::DailyActiveUsers, "Daily users"), (InputKey::ReadWriteRatio, "Read : write")];
/// The outputs shown, by the model's keys, with a label short enough for the canvas.
const OUTPUTS: [(&str, &str); 4] = [("qps", "Average QPS"), ("storage_total", "Stored"), ("servers", "Servers"), ("cost_total", "Monthly cost")];

/// How wide each design's column is: what the labels leave, shared by the two.
fn column_width() -> f32 {
    let labels = INPUTS.iter().map(|(_, label)| *label).chain(OUTPUTS.iter().map(|(_, label)| *label)).map(|label| text_width(label, SIZE)).fold(0.0, f32::max);
    (RIGHT - LEFT - labels - 2.0 * GAP) / 2.0
}

/// The right edge of a design's column.
fn column_right(side: usize) -> f32 {
    RIGHT - (1 - side) as f32 * (column_width() + GAP)
}

/// `text` if it fits a column, else `value` in exponent form: only inputs far beyond any real
/// system (billions of users each making thousands of requests) produce figures that long.
fn fitted(text: String, value: f64, prefix: &str, suffix: &str) -> String {
    if text_width(&text, SIZE) <= column_width() {
        text
    } else {
        format!("{prefix}{value:.2e}{suffix}")
    }
}

fn input_text(design: &Design, key: InputKey) -> String {
    let value = design.inputs.get(key);
    // The ratio reads as the form shows it ("100 : 1"); counts need no unit beside their label.
    let suffix = if key == InputKey::ReadWriteRatio { format!(" {}", key.spec().unit) } else { String::new() };
    fitted(format!("{}{suffix}", format_count(value)), value, "", &suffix)
}

/// An output's value without its unit words, which the row's label already gives.
fn output_text(output: &Output, units: ByteUnits) -> String {
    match output.key {
        "storage_total" => fitted(format_bytes(output.value, units), output.value, "", " B"),
        "cost_total" => fitted(format_dollars(output.value), output.value, "$", ""),
        _ => fitted(format_count(output.value), output.value, "", ""),
    }
}

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    // The tool reads its designs from the link the same way; anything it cannot read keeps the
    // default (a URL shortener beside a feed).
    let (scenario, _) = Scenario::from_pairs(pairs);
    let designs = [&scenario.a, &scenario.b];
    let results = designs.map(|design| outputs(&design.inputs, scenario.units));
    let output = |side: usize, key: &str| results[side].iter().find(|output| output.key == key);
    let width = column_width();
    let names = designs.map(|design| wrap(design.template.name, SIZE, width - 4.0));
    let name_lines = names.iter().map(Vec::len).max().unwrap_or(1) as f32;

    let first_row = 24.0 + 16.0 * name_lines + ROW;
    let outputs_top = first_row + ROW * INPUTS.len() as f32 + 6.0;
    let height = outputs_top + ROW * (OUTPUTS.len() as f32 - 1.0) + 8.0;

    let summary = |side: usize| {
        let value = |key: &str| output(side, key).map(|output| output.text(scenario.units)).unwrap_or_default();
        format!(
            "{} ({}) serves {} daily users at {} with {}, {} stored, for {}",
            SIDES[side],
            designs[side].template.name,
            format_count(designs[side].inputs.daily_active_users),
            value("qps"),
            value("servers"),
            value("storage_total"),
            value("cost_total")
        )
    };
    let mut sketch = Sketch::new(height, &format!("Two capacity plans side by side: {}; {}.", summary(0), summary(1)));

    // Each design's heading and the template it starts from, as the page's two pickers show.
    sketch.text(LEFT, 38.0, SIZE, Anchor::Start, false, "Starts from");
    for side in 0..2 {
        let right = column_right(side);
        sketch.labelled_box(right - width, 2.0, width, 20.0, TONES[side], SIZE, SIDES[side]);
        for (line, text) in names[side].iter().enumerate() {
            sketch.text(right - width / 2.0, 38.0 + 16.0 * line as f32, SIZE, Anchor::Middle, false, text);
        }
    }

    for (row, (key, label)) in INPUTS.iter().enumerate() {
        let y = first_row + ROW * row as f32;
        sketch.text(LEFT, y, SIZE, Anchor::Start, false, label);
        for side in 0..2 {
            sketch.text(column_right(side), y, SIZE, Anchor::End, false, &input_text(designs[side], *key));
        }
    }
    // Inputs above the rule, what follows from them below it, in bold.
    sketch.line(LEFT, outputs_top - ROW + 2.0, RIGHT, outputs_top - ROW + 2.0, false);
    for (row, (key, label)) in OUTPUTS.iter().enumerate() {
        let y = outputs_top + ROW * row as f32;
        sketch.text(LEFT, y, SIZE, Anchor::Start, false, label);
        for side in 0..2 {
            let text = output(side, key).map(|output| output_text(output, scenario.units)).unwrap_or_default();
            sketch.text(column_right(side), y, SIZE, Anchor::End, true, &text);
        }
    }
    sketch
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::pairs;
    use crate::viz::capacity::{Inputs, INPUT_SPECS, TEMPLATES};


    /// The texts of the drawing, in order.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text ").skip(1).map(|text| text.split('>').nth(1).unwrap().trim_end_matches("</text").to_string()).collect()
    }

    #[test]
    fn the_default_compares_the_first_two_templates_as_the_model_computes_them() {
        let poster = poster(&[]).finish();
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert!(poster.svg.len() < 3_000, "{} bytes", poster.svg.len());
        let texts = texts(&poster.svg);
        for (template, column) in TEMPLATES.iter().take(2).zip(0..) {
            assert!(texts.join(" ").contains(template.name), "{}: {texts:?}", template.name);
            let results = outputs(&template.inputs, ByteUnits::Decimal);
            let cost = results.iter().find(|output| output.key == "cost_total").unwrap();
            assert!(texts.contains(&format_dollars(cost.value)), "{column}: {texts:?}");
            assert!(texts.contains(&format_count(template.inputs.daily_active_users)), "{texts:?}");
        }
        // A shortener is far lighter than a feed: its QPS is drawn before the feed's, and smaller.
        let qps = |inputs: &Inputs| outputs(inputs, ByteUnits::Decimal).into_iter().find(|output| output.key == "qps").unwrap().value;
        assert!(qps(&TEMPLATES[0].inputs) < qps(&TEMPLATES[1].inputs));
        let shown_a = texts.iter().position(|text| *text == format_count(qps(&TEMPLATES[0].inputs))).unwrap();
        let shown_b = texts.iter().position(|text| *text == format_count(qps(&TEMPLATES[1].inputs))).unwrap();
        assert_eq!(shown_b, shown_a + 1, "{texts:?}");
    }

    #[test]
    fn the_link_changes_the_designs_units_and_inputs() {
        let default = poster(&[]).finish().svg;
        let video = poster(&pairs(&[("a", "video"), ("b", "chat"), ("units", "binary")])).finish();
        assert!(video.problems.is_empty(), "{:?}", video.problems);
        let words = texts(&video.svg).join(" ");
        assert!(words.contains("Video service") && words.contains("Chat service"), "{words}");
        assert!(video.svg.contains("iB<"), "binary units: {}", video.svg);
        let edited = poster(&pairs(&[("a.dau", "1000")])).finish().svg;
        assert_ne!(edited, default);
        assert!(texts(&edited).contains(&"1,000".to_string()), "{edited}");
    }

    #[test]
    fn every_pair_of_templates_fits_in_both_units() {
        for a in &TEMPLATES {
            for b in &TEMPLATES {
                for units in ["decimal", "binary"] {
                    let poster = poster(&pairs(&[("a", a.id), ("b", b.id), ("units", units)])).finish();
                    assert!(poster.problems.is_empty(), "{} {} {units}: {:?}", a.id, b.id, poster.problems);
                }
            }
        }
    }

    #[test]
    fn the_largest_inputs_allowed_still_fit_their_columns() {
        // Every input at its rule's maximum gives the widest figures the model can produce.
        let mut query = Vec::new();
        for spec in &INPUT_SPECS {
            let maximum = format!("{}", spec.rule.max);
            query.push((format!("a.{}", spec.id), maximum.clone()));
            query.push((format!("b.{}", spec.id), maximum));
        }
        let poster = poster(&query).finish();
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        let values: Vec<String> = texts(&poster.svg).into_iter().filter(|text| text.starts_with(|c: char| c.is_ascii_digit() || c == '$')).collect();
        assert_eq!(values.len(), 2 * (INPUTS.len() + OUTPUTS.len()), "{values:?}");
        for text in values {
            assert!(text_width(&text, SIZE) <= column_width(), "{text} overflows its column");
            assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
        }
    }

    #[test]
    fn garbage_pairs_fall_back_to_the_defaults() {
        let defaults = poster(&[]).finish().svg;
        assert_eq!(poster(&pairs(&[("a", "nope"), ("b.dau", "-5"), ("units", "furlongs"), ("a.peak", "NaN")])).finish().svg, defaults);
    }
}

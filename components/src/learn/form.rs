//! The markup of one question, written once for the site generator (written questions, whose
//! texts are already HTML from Markdown) and for the browser (generated questions, whose plain
//! texts it escapes first). Without JavaScript a question is a form whose answer waits behind
//! "Show the answer"; the quiz island reads its `data-*` attributes to check responses.

use super::question::{Difficulty, Key, Kind};
use std::fmt::Write as _;

/// A question ready to print. Every text field is HTML the caller vouches for.
pub struct FormView<'a> {
    pub id: &'a str,
    /// Its number on the page (1-based), or `None` where it stands alone.
    pub number: Option<usize>,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub prompt: &'a str,
    /// Choices, diagram elements' labels, or the steps in their right order.
    pub options: &'a [String],
    /// One per option: why it is right or wrong (may be empty).
    pub why: &'a [String],
    pub key: &'a Key,
    pub unit: &'a str,
    pub explanation: &'a str,
    /// A link to where the topic is taught: (URL, its text).
    pub see: Option<(&'a str, &'a str)>,
    /// For a diagram question: the diagram's SVG and each option's element id.
    pub diagram: Option<(&'a str, &'a [String])>,
}

/// Escapes plain text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The key as the island reads it from `data-key`: `2`; `0 2`; `5` (steps); `11574.07 0.2`.
pub fn key_attribute(key: &Key) -> String {
    match key {
        Key::One(index) => index.to_string(),
        Key::Set(indices) => indices.iter().map(usize::to_string).collect::<Vec<_>>().join(" "),
        Key::Order(count) => count.to_string(),
        Key::Number { value, tolerance } => format!("{value} {tolerance}"),
    }
}

/// Reads `data-kind` and `data-key` back; `None` for anything malformed.
pub fn parse_key(kind: &str, text: &str) -> Option<Key> {
    let numbers = || text.split(' ').map(|part| part.parse::<usize>().ok()).collect::<Option<Vec<usize>>>();
    match Kind::from_key(kind)? {
        Kind::Single | Kind::Diagram => Some(Key::One(text.parse().ok()?)),
        Kind::Multiple => numbers().filter(|set| !set.is_empty()).map(Key::Set),
        Kind::Order => Some(Key::Order(text.parse().ok()?)),
        Kind::Number => {
            let (value, tolerance) = text.split_once(' ')?;
            Some(Key::Number { value: super::question::parse_decimal(value)?, tolerance: super::question::parse_decimal(tolerance)? })
        }
    }
}

/// The form's HTML id and input names: the question id with its slashes made safe.
pub fn dom_id(id: &str) -> String {
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    format!("q-{safe}")
}

/// The question's markup.
pub fn render(view: &FormView) -> String {
    let dom = dom_id(view.id);
    let mut out = String::with_capacity(1024 + view.options.iter().map(String::len).sum::<usize>() * 2);
    let _ = write!(
        out,
        r#"<form class="quiz" id="{dom}" data-island="quiz" data-id="{id}" data-kind="{kind}" data-key="{key}"><fieldset><legend>"#,
        kind = view.kind.key(),
        id = escape(view.id),
        key = key_attribute(view.key),
    );
    if let Some(number) = view.number {
        let _ = write!(out, r#"<span class="quiz__number">{number}. </span>"#);
    }
    out.push_str(view.prompt);
    // A single choice needs no "One answer" tag: its radio buttons say so.
    let _ = write!(out, r#"</legend><p class="quiz__meta"><span class="quiz__tag">{}</span>"#, view.difficulty.label());
    if view.kind != Kind::Single {
        let _ = write!(out, r#" <span class="quiz__tag">{}</span>"#, view.kind.label());
    }
    out.push_str("</p>");
    if let Some((svg, _)) = view.diagram {
        let _ = write!(out, r#"<div class="quiz__diagram">{svg}</div>"#);
    }
    match view.kind {
        Kind::Single | Kind::Multiple | Kind::Diagram => {
            let input = if view.kind == Kind::Multiple { "checkbox" } else { "radio" };
            if view.kind == Kind::Multiple {
                out.push_str(r#"<p class="quiz__hint">Select all that apply.</p>"#);
            }
            for (index, option) in view.options.iter().enumerate() {
                let pick = view.diagram.and_then(|(_, ids)| ids.get(index)).map(|id| format!(r#" data-pick="{}""#, escape(id))).unwrap_or_default();
                // A radio group is scoped to its form, so one short name serves every question.
                let _ = write!(out, r#"<label class="quiz__option"{pick}><input type="{input}" name="answer" value="{index}"> <span>{option}</span></label>"#);
            }
        }
        Kind::Order => {
            out.push_str(r#"<p class="quiz__hint">Put the steps in order, first at the top.</p><ol class="quiz__steps">"#);
            for index in super::question::shuffled_order(view.options.len(), super::question::seed_of(view.id)) {
                let _ = write!(out, r#"<li class="quiz__step" data-step="{index}"><span>{}</span></li>"#, view.options[index]);
            }
            out.push_str("</ol>");
        }
        Kind::Number => {
            let _ = write!(
                out,
                r#"<label class="quiz__number-field"><span>Your estimate, in {unit}</span> <input type="text" inputmode="decimal" autocomplete="off" name="answer" aria-describedby="{dom}-format"></label><p class="quiz__hint" id="{dom}-format">Digits, with or without separators; 12k and 3.5M work too.</p>"#,
                unit = view.unit
            );
        }
    }
    out.push_str(r#"</fieldset><details class="quiz__reveal"><summary>Show the answer</summary><div class="quiz__answer">"#);
    match view.key {
        Key::One(index) => {
            let _ = write!(out, "<p><strong>Answer:</strong> {}</p>", view.options.get(*index).map_or("", String::as_str));
        }
        Key::Set(indices) => {
            out.push_str("<p><strong>Answer:</strong></p><ul>");
            for index in indices {
                let _ = write!(out, "<li>{}</li>", view.options.get(*index).map_or("", String::as_str));
            }
            out.push_str("</ul>");
        }
        Key::Order(_) => {
            out.push_str("<p><strong>The order:</strong></p><ol>");
            for step in view.options {
                let _ = write!(out, "<li>{step}</li>");
            }
            out.push_str("</ol>");
        }
        Key::Number { value, tolerance } if *tolerance == 0.0 => {
            let _ = write!(out, "<p><strong>Answer:</strong> {} {}</p>", crate::sim::number::whole_number(*value), view.unit);
        }
        Key::Number { value, tolerance } => {
            let _ = write!(
                out,
                "<p><strong>Answer:</strong> about {} {} (anything within {}% counts)</p>",
                super::generate::group_significant(*value),
                view.unit,
                (tolerance * 100.0).round()
            );
        }
    }
    if !view.why.is_empty() {
        out.push_str(r#"<ul class="quiz__whys">"#);
        for (index, (option, why)) in view.options.iter().zip(view.why).enumerate() {
            let right = match view.key {
                Key::One(answer) => *answer == index,
                Key::Set(answers) => answers.contains(&index),
                _ => false,
            };
            let _ = write!(out, r#"<li data-option="{index}"><strong>{}</strong> {option}: {why}</li>"#, if right { "✓" } else { "✗" });
        }
        out.push_str("</ul>");
    }
    let _ = write!(out, r#"<p class="quiz__explanation">{}</p>"#, view.explanation);
    if let Some((url, text)) = view.see {
        let _ = write!(out, r#"<p class="quiz__see">Learn it in <a href="{}">{text}</a>.</p>"#, escape(url));
    }
    out.push_str("</div></details></form>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(kind: Kind, key: &'a Key, options: &'a [String]) -> FormView<'a> {
        FormView {
            id: "foundations/peak-qps",
            number: Some(3),
            kind,
            difficulty: Difficulty::Intermediate,
            prompt: "How many?",
            options,
            why: &[],
            key,
            unit: "requests per second",
            explanation: "Because.",
            see: Some(("/atlas/modules/foundations/", "Foundations")),
            diagram: None,
        }
    }

    #[test]
    fn the_key_round_trips_through_its_attribute() {
        for (kind, key) in [
            (Kind::Single, Key::One(2)),
            (Kind::Diagram, Key::One(0)),
            (Kind::Multiple, Key::Set(vec![0, 3])),
            (Kind::Order, Key::Order(5)),
            (Kind::Number, Key::Number { value: 11_574.074074074075, tolerance: 0.2 }),
        ] {
            match (parse_key(kind.key(), &key_attribute(&key)), &key) {
                (Some(Key::Number { value, tolerance }), Key::Number { value: written, tolerance: band }) => {
                    assert!((value - written).abs() < 1e-9 && (tolerance - band).abs() < 1e-12);
                }
                (read, _) => assert_eq!(read, Some(key)),
            }
        }
        assert_eq!(parse_key("single", "x"), None);
        assert_eq!(parse_key("multiple", ""), None);
        assert_eq!(parse_key("essay", "1"), None);
    }

    #[test]
    fn each_kind_gets_its_inputs_and_its_answer_behind_the_disclosure() {
        let options: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let single = render(&view(Kind::Single, &Key::One(1), &options));
        assert_eq!(single.matches(r#"type="radio""#).count(), 3);
        assert!(single.contains(r#"id="q-foundations_peak-qps""#) && single.contains(r#"data-key="1""#));
        assert!(single.contains("<strong>Answer:</strong> b"));
        let multiple = render(&view(Kind::Multiple, &Key::Set(vec![0, 2]), &options));
        assert_eq!(multiple.matches(r#"type="checkbox""#).count(), 3);
        let order = render(&view(Kind::Order, &Key::Order(3), &options));
        assert_eq!(order.matches(r#"class="quiz__step""#).count(), 3);
        assert!(!order.contains(r#"data-step="0"><span>a</span></li><li class="quiz__step" data-step="1"><span>b</span></li><li class="quiz__step" data-step="2""#), "shown shuffled");
        let number = render(&view(Kind::Number, &Key::Number { value: 11_574.07, tolerance: 0.2 }, &[]));
        assert!(number.contains(r#"inputmode="decimal""#) && number.contains("about 11,600 requests per second (anything within 20% counts)"), "{number}");
    }
}

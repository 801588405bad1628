//! The first frame of the tool, drawn at build time (see `viz::poster`): the chosen flow's
//! participants with their lifelines, and its first messages as the sequence starts, the first
//! one current, as the live view lays them out on a phone.

use super::{messages, Actor, FlowInputs, FlowWalk, Message, MessageKind, PARAMS};
use crate::diagram::text::{text_width, wrap};
use crate::viz::poster::{start, Anchor, Sketch, WIDTH};
use std::fmt::Write;

/// The poster draws the first few messages, as many as fit this many bytes (the flows with
/// five participants cost more), and counts the rest below them.
const MOST_SHOWN: usize = 3;
const BUDGET: usize = 3_000;
const FONT: f32 = 12.0;
const LINE: f32 = 14.0;
const EDGE: f32 = 4.0;
const BOX_PADDING: f32 = 6.0;
const WIDEST_BOX: f32 = 160.0;
const TITLE_HEIGHT: f32 = 24.0;

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    let walk: FlowWalk = start(PARAMS, pairs);
    let list = messages(walk.flow, walk.failure, &FlowInputs::default());
    let fits = |shown: usize| shown == 1 || draw(&walk, &list, shown).finish().svg.len() < BUDGET;
    let shown = (1..=MOST_SHOWN).rev().find(|shown| fits(*shown)).unwrap_or(1);
    draw(&walk, &list, shown)
}

/// The sequence with its first `shown` messages.
fn draw(walk: &FlowWalk, list: &[Message], shown: usize) -> Sketch {
    let actors = walk.flow.actors();
    let lane_width = WIDTH / actors.len().max(1) as f32;
    let lane = |actor: Actor| actors.iter().position(|candidate| *candidate == actor).unwrap_or(0) as f32 * lane_width + lane_width / 2.0;
    let headers = lay_out_headers(actors, TITLE_HEIGHT);

    // Each shown message: its label on its own lines above its arrow, as in the live view.
    let mut top = headers.bottom + 8.0;
    let rows: Vec<_> = list
        .iter()
        .take(shown)
        .enumerate()
        .map(|(index, message)| {
            let label = format!("{}{}. {}", if message.is_error { "✗ " } else { "" }, index + 1, message.summary);
            let lines = wrap(&label, FONT, WIDTH - 2.0 * EDGE);
            let arrow_y = top + lines.len() as f32 * LINE + 6.0;
            let row = (message, lines, top, arrow_y);
            top = arrow_y + 10.0 + if message.from == message.to { 12.0 } else { 0.0 };
            row
        })
        .collect();
    let more = list.len().saturating_sub(shown);
    let height = top + if more > 0 { 22.0 } else { 0.0 };

    let names: Vec<&str> = actors.iter().map(|actor| actor.label()).collect();
    let first = list.first().map_or(String::new(), |message| format!(", starting with “{}”", message.summary));
    let label = format!("{}: the first {} of {} messages between {}{first}.", walk.flow.label(), shown.min(list.len()), list.len(), names.join(", "));
    let mut sketch = Sketch::new(height, &label);
    sketch.text(WIDTH / 2.0, 16.0, 13.0, Anchor::Middle, true, walk.flow.label());

    // The lifelines as one path, broken where a label crosses them: the page sets no halo
    // behind the labels, and a line through the words would make them hard to read.
    let mut lifelines = String::new();
    for (index, actor) in actors.iter().enumerate() {
        let x = lane(*actor);
        let mut from = headers.boxes.get(index).map_or(headers.bottom, |(_, top, _, _)| top + headers.box_height);
        for (_, lines, row_top, _) in &rows {
            let _ = write!(lifelines, "M{x:.0} {from:.0}V{:.0}", row_top - 2.0);
            from = row_top + lines.len() as f32 * LINE + 1.0;
        }
        let _ = write!(lifelines, "M{x:.0} {from:.0}V{:.0}", height - if more > 0 { 22.0 } else { 2.0 });
    }
    sketch.path(&lifelines, None);
    for ((left, box_top, width, lines), _) in headers.boxes.iter().zip(actors) {
        sketch.rect(*left, *box_top, *width, headers.box_height, 6.0, None);
        let first_baseline = box_top + headers.box_height / 2.0 - (lines.len() as f32 - 1.0) * LINE / 2.0 + FONT * 0.35;
        for (index, line) in lines.iter().enumerate() {
            sketch.text(left + width / 2.0, first_baseline + index as f32 * LINE, FONT, Anchor::Middle, true, line);
        }
    }

    for (index, (message, lines, row_top, y)) in rows.into_iter().enumerate() {
        let (x1, x2) = (lane(message.from), lane(message.to));
        // The first message is the one on screen: its label is set strong, the rest muted.
        let current = index == 0;
        let label_width = lines.iter().map(|line| text_width(line, FONT)).fold(0.0, f32::max);
        let middle = if x1 == x2 { x1 + 13.0 } else { (x1 + x2) / 2.0 };
        let label_x = middle.clamp(EDGE + label_width / 2.0, (WIDTH - EDGE - label_width / 2.0).max(EDGE + label_width / 2.0));
        for (line, text) in lines.iter().enumerate() {
            sketch.text(label_x, row_top + (line + 1) as f32 * LINE - 3.0, FONT, Anchor::Middle, current, text);
        }
        if x1 == x2 {
            sketch.path(&format!("M{x1:.1} {:.1}h26v12h-18", y - 6.0), None);
            sketch.arrow(x1 + 8.0, y + 6.0, x1 + 1.0, y + 6.0);
        } else if message.kind == MessageKind::Request {
            sketch.arrow(x1, y, x2, y);
        } else {
            // Answers, redirects and what a person does are dashed, as in the live view; the
            // head is drawn solid on its own.
            let head = x2 - (x2 - x1).signum() * 7.0;
            sketch.line(x1, y, head, y, true);
            sketch.arrow(head, y, x2, y);
        }
    }
    if more > 0 {
        sketch.text(WIDTH / 2.0, height - 6.0, FONT, Anchor::Middle, false, &format!("{more} more message{}", if more == 1 { " follows" } else { "s follow" }));
    }
    sketch
}

/// The name the live view falls back to in a narrow lane.
fn short_label(actor: Actor) -> &'static str {
    match actor {
        Actor::AuthorizationServer => "Auth server",
        Actor::ResourceServer => "API",
        other => other.label(),
    }
}

/// An actor's name as lines that fit `room`: the full name on one or two lines, else the short
/// one; `None` when neither fits.
fn actor_lines(actor: Actor, room: f32) -> Option<Vec<String>> {
    [actor.label(), short_label(actor)].into_iter().find_map(|name| {
        let lines = wrap(name, FONT, room);
        (lines.len() <= 2 && lines.iter().all(|line| text_width(line, FONT) <= room)).then_some(lines)
    })
}

struct Headers {
    /// Per actor: its box's left edge, top and width, and the lines of its name.
    boxes: Vec<(f32, f32, f32, Vec<String>)>,
    box_height: f32,
    bottom: f32,
}

/// The live view's header rule: one row of boxes when every name fits its lane, else two
/// staggered rows of boxes up to twice as wide. A box at the edge is cut to the canvas rather
/// than shifted, so boxes in the same row never overlap.
fn lay_out_headers(actors: &[Actor], top: f32) -> Headers {
    let lane = WIDTH / actors.len().max(1) as f32;
    let extent = |index: usize, width: f32| {
        let centre = lane * (index as f32 + 0.5);
        let (left, right) = ((centre - width / 2.0).max(2.0), (centre + width / 2.0).min(WIDTH - 2.0));
        (left, right - left)
    };
    let try_width = |width: f32| {
        actors.iter().enumerate().map(|(index, actor)| {
            let (left, width) = extent(index, width);
            actor_lines(*actor, width - 2.0 * BOX_PADDING).map(|lines| (left, width, lines))
        }).collect::<Option<Vec<_>>>()
    };
    let single = (lane - 6.0).min(WIDEST_BOX);
    let (names, staggered) = match try_width(single) {
        Some(names) => (names, false),
        None => {
            let double = (2.0 * lane - 6.0).min(WIDEST_BOX);
            let fallback = || actors.iter().enumerate().map(|(index, actor)| {
                let (left, width) = extent(index, double);
                (left, width, vec![short_label(*actor).to_string()])
            }).collect();
            (try_width(double).unwrap_or_else(fallback), true)
        }
    };
    let lines = names.iter().map(|(_, _, lines)| lines.len()).max().unwrap_or(1) as f32;
    let box_height = lines * LINE + 2.0 * BOX_PADDING;
    let row = |index: usize| if staggered && index % 2 == 1 { box_height + 6.0 } else { 0.0 };
    let boxes = names.into_iter().enumerate().map(|(index, (left, width, lines))| (left, top + row(index), width, lines)).collect();
    let bottom = top + box_height + if staggered { box_height + 6.0 } else { 0.0 };
    Headers { boxes, box_height, bottom }
}

#[cfg(test)]
mod tests {
    use super::super::{Failure, Flow};
    use super::*;
    use crate::viz::poster::Poster;

    fn draw(query: &[(&str, &str)]) -> Poster {
        let pairs: Vec<(String, String)> = query.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect();
        poster(&pairs).finish()
    }

    /// Every box's text, as the lines drawn inside the actors' boxes (the boxes come first).
    fn boxes(svg: &str) -> usize {
        svg.matches("<rect ").count()
    }

    #[test]
    fn each_flow_draws_its_own_participants() {
        for flow in Flow::ALL {
            let poster = draw(&[("flow", flow.slug())]);
            assert!(poster.problems.is_empty(), "{}: {:?}", flow.slug(), poster.problems);
            assert!(poster.svg.len() < 3_000, "{}: {} bytes", flow.slug(), poster.svg.len());
            assert_eq!(boxes(&poster.svg), flow.actors().len(), "{}", flow.slug());
            assert!(poster.svg.contains(&format!(">{}</text>", flow.label())), "the flow is named");
            for actor in [Actor::User, Actor::Browser, Actor::Client] {
                assert_eq!(poster.svg.contains(&format!(">{}</text>", actor.label())), flow.actors().contains(&actor), "{}: {actor:?}", flow.slug());
            }
        }
        let code = draw(&[]);
        let service = draw(&[("flow", "client-credentials")]);
        assert!(code.svg.contains(">Browser</text>") && !service.svg.contains(">Browser</text>"));
    }

    #[test]
    fn shows_the_first_messages_and_counts_the_rest() {
        for flow in Flow::ALL {
            let list = messages(flow, Failure::None, &FlowInputs::default());
            let poster = draw(&[("flow", flow.slug())]);
            let text: String = poster.svg.split("<text").skip(1).filter_map(|part| part.split('>').nth(1)).map(|part| part.trim_end_matches("</text")).collect::<Vec<_>>().join(" ");
            let first_words: Vec<&str> = list[0].summary.split(' ').take(3).collect();
            assert!(text.contains(&format!("1. {}", first_words.join(" "))), "{}: {text}", flow.slug());
            // One arrowhead per message drawn, the rest counted.
            let shown = poster.svg.matches("pv-head").count();
            assert!((2..=MOST_SHOWN).contains(&shown), "{}: {shown} messages drawn", flow.slug());
            assert!(text.contains(&format!("{shown}. ")) && !text.contains(&format!("{}. ", shown + 1)), "{}: {text}", flow.slug());
            assert!(text.contains(&format!("{} more message", list.len() - shown)), "{}: {text}", flow.slug());
        }
    }

    #[test]
    fn a_failure_that_changes_the_start_is_drawn() {
        let normal = draw(&[("flow", "code-pkce")]);
        let crafted = draw(&[("flow", "code-pkce"), ("failure", "redirect-uri-mismatch")]);
        assert_ne!(normal.svg, crafted.svg);
        assert!(crafted.problems.is_empty(), "{:?}", crafted.problems);
        // A failure from another flow is ignored, as the tool ignores it.
        assert_eq!(draw(&[("flow", "client-credentials"), ("failure", "wrong-verifier")]).svg, draw(&[("flow", "client-credentials")]).svg);
        for failure in Failure::ALL {
            for flow in Flow::ALL {
                let poster = draw(&[("flow", flow.slug()), ("failure", failure.slug())]);
                assert!(poster.problems.is_empty(), "{} / {}: {:?}", flow.slug(), failure.slug(), poster.problems);
                assert!(poster.svg.len() < 3_000, "{} / {}: {} bytes", flow.slug(), failure.slug(), poster.svg.len());
            }
        }
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        assert_eq!(draw(&[("flow", "saml"), ("failure", "<b>"), ("seed", "many")]).svg, draw(&[]).svg);
        assert!(draw(&[]).svg.contains(">Authorization code with PKCE</text>"));
    }
}

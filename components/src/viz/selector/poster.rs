//! The selector's picture: the five best-ranked kinds of store for the answers given, each with
//! its score as a bar, the shortlisted ones in the page's ink and the rest muted, a cross where a
//! store cannot meet a requirement, and under them the first answer whose removal would change
//! who comes first. The app redraws it on every answer; the prerendered page shows it at the
//! preset (see `viz::poster`).

use super::{signed, verdict, Answers, Scored, Verdict, SHORTLIST_MAX};
use crate::sim::number::counted;
use crate::viz::poster::{first_that_fits, Anchor, Sketch, MIN_FONT};

const TOP: f32 = 28.0;
const ROW: f32 = 38.0;
/// Always five rows, so the picture keeps its height as the shortlist grows and shrinks.
pub const HEIGHT: f32 = TOP + ROW * SHORTLIST_MAX as f32 + 22.0;
const NAME_X: f32 = 26.0;
const METER_X: f32 = 206.0;
const METER_WIDTH: f32 = 72.0;
const RIGHT: f32 = 312.0;
const NAME: f32 = 13.0;

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    // The tool reads its answers from the link the same way; anything unreadable is "not sure".
    let (answers, _) = Answers::from_pairs(pairs);
    picture(&verdict(&answers))
}

/// The ranking drawn, a pure function of the verdict.
pub fn picture(verdict: &Verdict) -> Sketch {
    let answered = verdict.answers.given().count();
    let mut sketch = Sketch::new(HEIGHT, &spoken(verdict, answered));
    sketch.text(8.0, 17.0, NAME, Anchor::Start, true, "Best fits, ranked");
    let status = if answered == 0 { "no answers yet".to_string() } else { format!("{} of 6", counted(answered as u64, "answer")) };
    sketch.text(RIGHT, 17.0, MIN_FONT, Anchor::End, false, &status);
    let top = verdict.first().score.max(1) as f32;
    for (index, scored) in verdict.ranking.iter().take(SHORTLIST_MAX).enumerate() {
        row(&mut sketch, TOP + ROW * index as f32, index, scored, index < verdict.shortlist_len, top);
    }
    let footer = match (answered, verdict.what_ifs.first()) {
        (0, _) => vec!["Answer the questions to change the order.".to_string()],
        (_, None) => vec!["No single answer decides who comes first.".to_string()],
        (_, Some(what_if)) => {
            let first = what_if.first.candidate();
            vec![
                format!("Without “{}”, {} would come first.", what_if.dropped.short(), first.name),
                format!("Without “{}”: {} first.", what_if.dropped.short(), first.short),
                "Dropping one answer changes the first.".to_string(),
            ]
        }
    };
    sketch.text(8.0, HEIGHT - 8.0, MIN_FONT, Anchor::Start, false, &first_that_fits(&footer, MIN_FONT, RIGHT - 8.0));
    sketch
}

fn row(sketch: &mut Sketch, y: f32, index: usize, scored: &Scored, shortlisted: bool, top: f32) {
    let candidate = scored.candidate();
    let baseline = y + 15.0;
    sketch.text(14.0, baseline, NAME, Anchor::Middle, shortlisted, &(index + 1).to_string());
    let names = [candidate.name.to_string(), candidate.short.to_string()];
    sketch.text(NAME_X, baseline, NAME, Anchor::Start, shortlisted, &first_that_fits(&names, NAME, METER_X - NAME_X - 8.0));
    let detail_room = RIGHT - NAME_X;
    if scored.cannot.is_empty() {
        // The examples, as many as fit.
        let lists: Vec<String> = (1..=candidate.examples.len()).rev().map(|count| candidate.examples[..count].join(", ")).collect();
        sketch.text(NAME_X, y + 31.0, MIN_FONT, Anchor::Start, false, &first_that_fits(&lists, MIN_FONT, detail_room));
    } else {
        let (x, top_y) = (NAME_X + 1.0, y + 22.0);
        sketch.path(&format!("M{x:.1} {top_y:.1}l8 8m0-8l-8 8"), Some(4));
        let needs: Vec<&str> = scored.cannot.iter().map(|(answer, _)| answer.short()).collect();
        let options = [format!("cannot meet: {}", needs.join(", ")), "cannot meet a requirement".to_string()];
        sketch.text(NAME_X + 14.0, y + 31.0, MIN_FONT, Anchor::Start, false, &first_that_fits(&options, MIN_FONT, detail_room - 14.0));
    }
    let share = scored.score.max(0) as f32 / top;
    sketch.meter(METER_X, y + 5.0, METER_WIDTH, 12.0, share, if shortlisted { Some(if index == 0 { 3 } else { 2 }) } else { None });
    sketch.text(RIGHT, baseline, MIN_FONT, Anchor::End, shortlisted, &signed(scored.score));
}

/// What a screen reader hears: the shortlist in order, with scores.
fn spoken(verdict: &Verdict, answered: usize) -> String {
    let list: Vec<String> = verdict.shortlist().iter().enumerate().map(|(index, scored)| format!("{} {} ({})", index + 1, scored.candidate().name, signed(scored.score))).collect();
    let given = if answered == 0 { "no answers".to_string() } else { counted(answered as u64, "answer") };
    format!("Data stores ranked for {given} given: {}.", list.join(", "))
}

//! The stage: the handshake so far as a sequence diagram. The client and the server are two
//! columns with lifelines; each message played so far is an arrow between them, one row each,
//! labelled with its name (the one on screen in bold). A message in the clear is a solid arrow;
//! an encrypted one is dashed, with a padlock before its name and a square near its head (0-RTT
//! data a diamond; a hello the server declined gets a cross). A dot beside a lifeline marks a
//! computation by that side, a ring around it the one on screen. The left margin brackets the rows of each round trip. Below,
//! the key schedule as a ladder, Early → Handshake → Master Secret (TLS 1.2: pre-master →
//! master secret → key block): a rung is dashed until its secret is known, then solid with the
//! secret's first bytes; under each rung its traffic secrets, a dot once known, a ring before.
//!
//! The full hex values are for the text below the picture; the stage shows 4-byte prefixes.
//! Everything is read from the model at this tick, so scrubbing and a shared link draw the same.

use crate::diagram::text::text_width;
use crate::viz::poster::{first_that_fits, Anchor, Outcome, Sketch, MIN_FONT, WIDTH};

use super::keys::hex_prefix;
use super::{Handshake, Mode, Protection, SecretKind, Side, Step, StepKind};

pub const HEIGHT: f32 = 356.0;
/// The lifelines.
const CLIENT_X: f32 = 64.0;
const SERVER_X: f32 = 288.0;
const HEADER_TOP: f32 = 22.0;
const HEADER_W: f32 = 56.0;
const HEADER_H: f32 = 20.0;
/// The message rows: the most any walk has (TLS 1.2's eleven messages).
pub(super) const ROWS_TOP: f32 = 48.0;
pub(super) const ROW: f32 = 18.0;
const MAX_ROWS: usize = 11;
/// The round-trip brackets in the left margin: the bracket's back.
const BRACKET_X: f32 = 40.0;
/// How far from the receiving lifeline a message's shape sits, clear of the centred label.
const SHAPE_INSET: f32 = 16.0;
/// A computation's dot, just outside its side's lifeline.
const COMPUTE_OFFSET: f32 = 12.0;
const STATUS_Y: f32 = 264.0;
/// The key schedule ladder.
const LADDER_TOP: f32 = 274.0;
const RUNG_W: f32 = 92.0;
const RUNG_H: f32 = 34.0;
const RUNG_LEFTS: [f32; 3] = [8.0, 114.0, 220.0];
const SUB_Y: f32 = 326.0;
const LEGEND_Y: f32 = 348.0;

/// The shape a message gets near its head: none in the clear (a plain solid arrow), a square
/// when encrypted, a diamond for 0-RTT data, a cross for a hello the server declined.
fn shape(step: &Step, declined: bool) -> Option<Outcome> {
    match step.protection() {
        _ if declined => Some(Outcome::Rejected),
        Some(Protection::EarlyData) => Some(Outcome::Retried),
        Some(Protection::Clear) | None => None,
        Some(_) => Some(Outcome::Stale),
    }
}

/// The row of each message among `steps` (computations get none).
fn rows(steps: &[Step]) -> impl Iterator<Item = (usize, usize, &Step)> {
    steps.iter().enumerate().filter(|(_, step)| step.sender().is_some()).enumerate().map(|(row, (index, step))| (row, index, step))
}

fn row_top(row: usize) -> f32 {
    ROWS_TOP + row.min(MAX_ROWS) as f32 * ROW
}

/// The handshake at its current step.
pub fn stage(model: &Handshake) -> Sketch {
    let mut sketch = Sketch::new(HEIGHT, &summary(model));
    draw_title(&mut sketch, model);
    for (x, name) in [(CLIENT_X, "Client"), (SERVER_X, "Server")] {
        sketch.labelled_box(x - HEADER_W / 2.0, HEADER_TOP, HEADER_W, HEADER_H, None, MIN_FONT, name);
    }
    let bottom = row_top(MAX_ROWS) + 4.0;
    sketch.line(CLIENT_X, HEADER_TOP + HEADER_H, CLIENT_X, bottom, false);
    sketch.line(SERVER_X, HEADER_TOP + HEADER_H, SERVER_X, bottom, false);
    let shown = model.shown();
    if rows(shown).next().is_none() {
        sketch.text((CLIENT_X + SERVER_X) / 2.0, row_top(3), MIN_FONT, Anchor::Middle, false, "Messages appear here");
    }
    draw_round_trips(&mut sketch, shown);
    draw_messages(&mut sketch, model, shown);
    draw_computations(&mut sketch, model, shown);
    let step = model.step_now();
    let (number, total) = (model.current() + 1, model.steps().len());
    let status = first_that_fits(&[format!("Step {number} of {total}: {}", step.title), format!("{number}/{total}: {}", step.title), step.title.to_string()], MIN_FONT, WIDTH - 8.0);
    sketch.text(4.0, STATUS_Y, MIN_FONT, Anchor::Start, true, &status);
    draw_ladder(&mut sketch, model);
    draw_legend(&mut sketch, model.mode());
    sketch
}

/// What a screen reader hears for the picture.
fn summary(model: &Handshake) -> String {
    let step = model.step_now();
    let trips = model.mode().data_round_trips();
    let known: Vec<&str> = model.known().map(|secret| secret.kind.label()).collect();
    let known = if known.is_empty() { "none yet".to_string() } else { known.join(", ") };
    format!(
        "{}: the messages between client and server so far, step {} of {}: {}. The client can send data after {trips} round trip{} ({} ms). Secrets known: {known}.",
        model.mode().label(),
        model.current() + 1,
        model.steps().len(),
        step.title,
        if trips == 1 { "" } else { "s" },
        super::time_to_data_ms(model.mode(), model.rtt_ms()),
    )
}

fn draw_title(sketch: &mut Sketch, model: &Handshake) {
    let title = model.mode().short();
    sketch.text(4.0, 15.0, MIN_FONT, Anchor::Start, true, title);
    let trips = model.mode().data_round_trips();
    let ms = super::time_to_data_ms(model.mode(), model.rtt_ms());
    let options = match trips {
        0 => vec!["first data with the hello (0 RTT)".to_string(), "data with the hello".to_string(), "0 RTT".to_string()],
        _ => {
            let unit = if trips == 1 { "RTT" } else { "RTTs" };
            vec![format!("first data after {trips} {unit}, {ms} ms"), format!("data after {trips} {unit}, {ms} ms"), format!("data: {trips} {unit}")]
        }
    };
    let room = WIDTH - 16.0 - text_width(title, MIN_FONT);
    sketch.text(WIDTH - 4.0, 15.0, MIN_FONT, Anchor::End, false, &first_that_fits(&options, MIN_FONT, room));
}

/// A bracket in the margin beside each round trip's rows.
fn draw_round_trips(sketch: &mut Sketch, shown: &[Step]) {
    let rows: Vec<(usize, u32)> = rows(shown).map(|(row, _, step)| (row, step.round_trip)).collect();
    let last = rows.iter().map(|(_, trip)| *trip).max().unwrap_or(0);
    for trip in 1..=last {
        let in_trip: Vec<usize> = rows.iter().filter(|(_, t)| *t == trip).map(|(row, _)| *row).collect();
        let (Some(first), Some(end)) = (in_trip.first(), in_trip.last()) else { continue };
        let (top, bottom) = (row_top(*first) + 4.0, row_top(*end + 1) - 2.0);
        sketch.path(&format!("M{:.1} {top:.1}h-4V{bottom:.1}h4", BRACKET_X + 4.0), None);
        sketch.text(2.0, (top + bottom) / 2.0 + 4.0, MIN_FONT, Anchor::Start, false, &format!("RTT {trip}"));
    }
}

fn draw_messages(sketch: &mut Sketch, model: &Handshake, shown: &[Step]) {
    let current = model.current();
    // The first ClientHello of a retry was declined once the HelloRetryRequest is shown.
    let retried = model.mode() == Mode::HelloRetry && rows(shown).count() > 1;
    for (row, index, step) in rows(shown).take(MAX_ROWS) {
        let StepKind::Send { from, protection } = step.kind else { continue };
        let (x1, x2) = if from == Side::Client { (CLIENT_X, SERVER_X) } else { (SERVER_X, CLIENT_X) };
        let top = row_top(row);
        let y = top + 14.0;
        let direction = (x2 - x1).signum();
        if protection.encrypted() {
            let head = x2 - direction * 8.0;
            sketch.line(x1, y, head, y, true);
            sketch.arrow(head, y, x2, y);
        } else {
            sketch.arrow(x1, y, x2, y);
        }
        if let Some(outcome) = shape(step, retried && row == 0) {
            sketch.request(x2 - direction * SHAPE_INSET, y, outcome);
        }
        let label = step.title;
        let middle = (CLIENT_X + SERVER_X) / 2.0;
        sketch.text(middle, top + 10.0, MIN_FONT, Anchor::Middle, index == current, label);
        if protection.encrypted() {
            draw_lock(sketch, middle - text_width(label, MIN_FONT) / 2.0 - 14.0, top + 10.0);
        }
    }
}

/// A padlock 8 units wide whose body sits on the baseline `y`.
fn draw_lock(sketch: &mut Sketch, x: f32, y: f32) {
    sketch.rect(x, y - 6.0, 8.0, 6.0, 1.0, None);
    sketch.path(&format!("M{:.1} {:.1}v-2.5a2.5 2.5 0 0 1 5 0v2.5", x + 1.5, y - 6.0), None);
}

/// A dot beside the lifeline of each side that computes, at the row boundary where it does;
/// a second computation at the same boundary sits a little lower.
fn draw_computations(sketch: &mut Sketch, model: &Handshake, shown: &[Step]) {
    let (mut messages, mut stacked) = (0usize, 0.0);
    for (index, step) in shown.iter().enumerate() {
        let StepKind::Compute { by } = step.kind else {
            messages += 1;
            stacked = 0.0;
            continue;
        };
        let y = row_top(messages) + 4.0 + stacked;
        stacked += 8.0;
        for (side, x) in [(Side::Client, CLIENT_X - COMPUTE_OFFSET), (Side::Server, SERVER_X + COMPUTE_OFFSET)] {
            if by.includes(side) {
                sketch.circle(x, y, 3.5, Some(2));
                if index == model.current() {
                    sketch.ring(x, y, 6.5);
                }
            }
        }
    }
}

/// A rung of the ladder: its name, its secret and the traffic secrets under it.
struct Rung {
    name: &'static str,
    secret: SecretKind,
    below: &'static [(SecretKind, &'static str)],
    /// Said under the rung when it has no traffic secrets in this handshake.
    remark: &'static str,
}

fn rung(name: &'static str, secret: SecretKind, below: &'static [(SecretKind, &'static str)], remark: &'static str) -> Rung {
    Rung { name, secret, below, remark }
}

fn rungs(mode: Mode) -> [Rung; 3] {
    use SecretKind::*;
    match mode {
        Mode::Tls12 => [rung("Pre-master", Shared, &[], "X25519"), rung("Master", Tls12Master, &[], "PRF"), rung("Key block", Tls12KeyBlock, &[], "keys and IVs")],
        _ => {
            let early: &'static [(SecretKind, &'static str)] = match mode {
                Mode::Resumption => &[(Binder, "binder")],
                Mode::ZeroRtt => &[(Binder, "binder"), (ClientEarly, "c e")],
                _ => &[],
            };
            [
                rung("Early", Early, early, "no PSK"),
                rung("Handshake", Handshake, &[(ClientHandshake, "c hs"), (ServerHandshake, "s hs")], ""),
                rung("Master", Master, &[(ClientApplication, "c ap"), (ServerApplication, "s ap")], ""),
            ]
        }
    }
}

fn draw_ladder(sketch: &mut Sketch, model: &Handshake) {
    for (index, (rung, left)) in rungs(model.mode()).iter().zip(RUNG_LEFTS).enumerate() {
        let known = model.secret(rung.secret);
        let (right, bottom) = (left + RUNG_W, LADDER_TOP + RUNG_H);
        match known {
            Some(_) => sketch.rect(left, LADDER_TOP, RUNG_W, RUNG_H, 4.0, Some(3)),
            None => {
                sketch.line(left, LADDER_TOP, right, LADDER_TOP, true);
                sketch.line(right, LADDER_TOP, right, bottom, true);
                sketch.line(left, bottom, right, bottom, true);
                sketch.line(left, LADDER_TOP, left, bottom, true);
            }
        }
        let middle = left + RUNG_W / 2.0;
        sketch.text(middle, LADDER_TOP + 14.0, MIN_FONT, Anchor::Middle, known.is_some(), rung.name);
        let value = known.map_or("not yet".to_string(), |secret| hex_prefix(&secret.value, 4));
        sketch.text(middle, LADDER_TOP + 29.0, MIN_FONT, Anchor::Middle, false, &value);
        if index > 0 {
            sketch.arrow(left - 14.0, LADDER_TOP + RUNG_H / 2.0, left - 1.0, LADDER_TOP + RUNG_H / 2.0);
        }
        if rung.below.is_empty() {
            sketch.text(middle, SUB_Y, MIN_FONT, Anchor::Middle, false, rung.remark);
            continue;
        }
        // Each name after its marker, the group centred under the rung.
        let widths: Vec<f32> = rung.below.iter().map(|(_, name)| 10.0 + text_width(name, MIN_FONT)).collect();
        let mut x = middle - (widths.iter().sum::<f32>() + 8.0 * (widths.len() - 1) as f32) / 2.0;
        for ((kind, name), width) in rung.below.iter().zip(widths) {
            let has = model.secret(*kind).is_some();
            if has {
                sketch.circle(x + 3.5, SUB_Y - 4.0, 3.5, Some(3));
            } else {
                sketch.ring(x + 3.5, SUB_Y - 4.0, 3.0);
            }
            sketch.text(x + 10.0, SUB_Y, MIN_FONT, Anchor::Start, has, name);
            x += width + 8.0;
        }
    }
}

/// A solid arrow for a message in the clear, the shapes of the others, and the computations'
/// dot.
fn draw_legend(sketch: &mut Sketch, mode: Mode) {
    sketch.arrow(4.0, LEGEND_Y - 4.0, 18.0, LEGEND_Y - 4.0);
    sketch.text(22.0, LEGEND_Y, MIN_FONT, Anchor::Start, false, "clear");
    let mut entries = vec![(Outcome::Stale, "encrypted")];
    match mode {
        Mode::ZeroRtt => entries.push((Outcome::Retried, "0-RTT")),
        Mode::HelloRetry => entries.push((Outcome::Rejected, "declined")),
        _ => {}
    }
    let start = 32.0 + text_width("clear", MIN_FONT);
    let width = sketch.legend_with(start, LEGEND_Y, &entries);
    let x = start + width + 10.0;
    sketch.circle(x + 3.5, LEGEND_Y - 4.0, 3.5, Some(2));
    sketch.text(x + 11.0, LEGEND_Y, MIN_FONT, Anchor::Start, false, "computed");
}


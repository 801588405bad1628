//! The capacity plan as a picture rather than a table: what the numbers mean when built.
//!
//! **The fleet.** For each design, its app servers and its cache nodes as small boxes in a grid,
//! so 3 servers beside 300 is seen at a glance. Each kind has room for `CAP` boxes per design;
//! past that one box stands for several servers, the first of 1, 2, 5, 10, 20, … that fits every
//! grid, and the same for both designs and both kinds, so the two rows still compare box for
//! box. The exact counts are written under each grid.
//!
//! **Storage growth.** Stored bytes, every copy counted, against time since launch, for both
//! designs on the same axes: a design's data grows by its daily writes times its copies until
//! the retention period is full, then stays flat, because from then on old data is deleted as
//! fast as new data arrives. The time axis runs a quarter past the longer retention, so the
//! flat part shows; each line is marked where it levels off and ends with its total.
//!
//! Design A is drawn solid in series colour 2 and B dashed in colour 1, as the poster tells them
//! apart, so the picture reads without colour.

use super::outputs::Plan;
use super::{format_bytes, format_count, ByteUnits, Design, Scenario};
use crate::diagram::text::text_width;
use crate::viz::poster::{first_that_fits, round_units, Anchor, Sketch, Tone, MIN_FONT, WIDTH};
use std::fmt::Write;

const HEIGHT: f32 = 310.0;
const LEFT: f32 = 8.0;
const RIGHT: f32 = WIDTH - 8.0;
const SIZE: f32 = MIN_FONT;
const SIDES: [&str; 2] = ["A", "B"];
const TONES: [Tone; 2] = [Some(2), Some(1)];

/// The most boxes one kind of server has in one design: ten to a row, four rows.
const CAP: u64 = 40;
const COLUMNS: usize = 10;
const PITCH_X: f32 = 14.0;
const PITCH_Y: f32 = 11.0;
/// A box is as wide as `Sketch::bars` fills a bar of `PITCH_X` (it leaves 1 unit a side).
const GLYPH_W: f32 = PITCH_X - 2.0;
const GLYPH_H: f32 = 8.0;
/// Where the app servers' grid and the cache nodes' grid start, and how wide their counts may be.
const BLOCKS: [f32; 2] = [LEFT, 168.0];
const COUNT_ROOM: f32 = RIGHT - 168.0;
const ROW_TOP: f32 = 22.0;
const ROW_HEIGHT: f32 = 78.0;

const CHART_HEAD: f32 = 196.0;
const PLOT_LEFT: f32 = 10.0;
const PLOT_RIGHT: f32 = 236.0;
const PLOT_TOP: f32 = 220.0;
const PLOT_BOTTOM: f32 = 290.0;
/// The totals are written right of the plot, from here to the canvas edge.
const END_X: f32 = PLOT_RIGHT + 4.0;
/// How far past the longer retention the time axis runs, and its span when neither design
/// keeps anything (a year, so the flat lines at zero still read as time passing).
const SPAN_PAST: f64 = 1.25;
const EMPTY_SPAN_DAYS: f64 = 365.0;
/// Units of time in days, largest first; a span reads in the largest it holds twice.
const TIME_UNITS: [(f64, &str); 4] = [(365.0, "year"), (1.0, "day"), (1.0 / 24.0, "hour"), (1.0 / 1_440.0, "minute")];

/// The capacity plans of `scenario` drawn: the fleets above, the storage growth below (see the
/// module documentation). Its label says the same in words, with the numbers.
pub fn picture(scenario: &Scenario) -> Sketch {
    let designs = [&scenario.a, &scenario.b];
    let plans = designs.map(|design| Plan::new(&design.inputs));
    let worth = glyph_worth(&plans);
    let mut sketch = Sketch::new(HEIGHT, &summary(designs, &plans, scenario.units, worth));
    draw_fleet(&mut sketch, designs, &plans, worth);
    draw_growth(&mut sketch, designs, &plans, scenario.units);
    sketch
}

/// A count of servers as a whole number. The model's counts are already whole (they are
/// ceilings) and finite; `as` saturates, so even a count past `u64` cannot wrap.
fn whole(count: f64) -> u64 {
    count as u64
}

/// How many servers one box stands for: the first round number at which no grid needs more than
/// `CAP` boxes. At five billion billion every count the rules allow needs at most two, so the
/// search ends before `u64::MAX`, which is only a guard.
fn glyph_worth(plans: &[Plan; 2]) -> u64 {
    round_units()
        .find(|&worth| plans.iter().all(|plan| whole(plan.app_servers).div_ceil(worth) <= CAP && whole(plan.cache_nodes).div_ceil(worth) <= CAP))
        .unwrap_or(u64::MAX)
}

/// "1 app server", "12 app servers".
fn counted(count: f64, one: &str, many: &str) -> String {
    let number = format_count(count);
    let noun = if number == "1" { one } else { many };
    format!("{number} {noun}")
}

/// A number for a time: whole from 10 up, else to one decimal ("2.5", "10", "100").
fn short_number(value: f64) -> String {
    if value >= 9.95 {
        format_count(value.round())
    } else {
        let text = format!("{value:.1}");
        text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
    }
}

/// The unit a span of `days` reads in: the largest it holds at least twice (minutes below that).
fn time_unit(days: f64) -> (f64, &'static str) {
    TIME_UNITS.into_iter().find(|(unit, _)| days >= 2.0 * unit).unwrap_or(TIME_UNITS[3])
}

/// A retention in words: "5 years", "400 days", "36 hours". Whole years read as years, so a
/// year's retention says "1 year" rather than "365 days".
fn duration(days: f64) -> String {
    let (unit, name) = if days > 0.0 && days % 365.0 == 0.0 { TIME_UNITS[0] } else { time_unit(days) };
    let number = short_number(days / unit);
    let plural = if number == "1" { "" } else { "s" };
    format!("{number} {name}{plural}")
}

/// Bytes as the model writes them, or in exponent form where that would not fit `room` (only
/// inputs far past any real system store more than a thousand exabytes).
fn bytes_within(prefix: &str, bytes: f64, units: ByteUnits, room: f32) -> String {
    first_that_fits(&[format!("{prefix}{}", format_bytes(bytes, units)), format!("{prefix}{bytes:.1e} B")], SIZE, room)
}

/// The picture in words for a screen reader: each design's fleet, its storage at steady state
/// and when it gets there, then what a box stands for.
fn summary(designs: [&Design; 2], plans: &[Plan; 2], units: ByteUnits, worth: u64) -> String {
    let mut label = String::with_capacity(512);
    label.push_str("The two capacity plans drawn as fleets of servers and as stored data over time since launch. ");
    for side in 0..2 {
        let (plan, inputs) = (&plans[side], &designs[side].inputs);
        let _ = write!(
            label,
            "Design {} ({}) runs {} and {}",
            SIDES[side],
            designs[side].template.name,
            counted(plan.app_servers, "app server", "app servers"),
            counted(plan.cache_nodes, "cache node", "cache nodes")
        );
        let _ = if plan.stored_total > 0.0 {
            write!(
                label,
                "; its data grows by {} a day, counting every copy, until it levels off at {} after {}, when old data is deleted as fast as new data arrives. ",
                format_bytes(plan.stored_per_day * inputs.replication, units),
                format_bytes(plan.stored_total, units),
                duration(inputs.retention_days)
            )
        } else if inputs.retention_days == 0.0 {
            write!(label, " and keeps no data. ")
        } else {
            write!(label, " and stores no data. ")
        };
    }
    let _ = write!(label, "Each box stands for {}.", counted(worth as f64, "server", "servers"));
    label
}

/// A line through `points` as path data, solid or dashed. The canvas has no dashed stroke in a
/// series colour, so a dashed line is drawn as pieces 5 long with gaps of 4, the rhythm of
/// the canvas's own dashed lines.
fn polyline(points: &[(f32, f32)], dashed: bool) -> String {
    let mut d = String::with_capacity(if dashed { 640 } else { 48 });
    if !dashed {
        for (index, (x, y)) in points.iter().enumerate() {
            let _ = write!(d, "{}{x:.1} {y:.1}", if index == 0 { 'M' } else { 'L' });
        }
        return d;
    }
    for pair in points.windows(2) {
        let ((x1, y1), (x2, y2)) = (pair[0], pair[1]);
        let length = (x2 - x1).hypot(y2 - y1);
        let mut at = 0.0;
        while at < length {
            let (start, end) = (at / length, (at + 5.0).min(length) / length);
            let _ = write!(d, "M{:.1} {:.1}L{:.1} {:.1}", x1 + (x2 - x1) * start, y1 + (y2 - y1) * start, x1 + (x2 - x1) * end, y1 + (y2 - y1) * end);
            at += 9.0;
        }
    }
    d
}

fn draw_fleet(sketch: &mut Sketch, designs: [&Design; 2], plans: &[Plan; 2], worth: u64) {
    const HEADING: &str = "The fleet";
    sketch.text(LEFT, 14.0, SIZE, Anchor::Start, true, HEADING);
    let servers = if worth == 1 { "server" } else { "servers" };
    let room = RIGHT - LEFT - text_width(HEADING, SIZE) - 12.0;
    let each = first_that_fits(&[format!("1 box = {} {servers}", format_count(worth as f64)), format!("1 box = {worth:e} {servers}")], SIZE, room);
    sketch.text(RIGHT, 14.0, SIZE, Anchor::End, false, &each);
    for side in 0..2 {
        let top = ROW_TOP + side as f32 * ROW_HEIGHT;
        // A sample of the design's line in the chart below, so the two parts read as one key.
        sketch.path(&polyline(&[(LEFT, top + 8.0), (LEFT + 18.0, top + 8.0)], side == 1), TONES[side]);
        let (letter, name) = (SIDES[side], designs[side].template.name);
        let title = first_that_fits(&[format!("Design {letter}: {name}"), format!("Design {letter}")], SIZE, RIGHT - LEFT - 26.0);
        sketch.text(LEFT + 26.0, top + 12.0, SIZE, Anchor::Start, true, &title);
        let kinds = [(plans[side].app_servers, "app server", "app servers"), (plans[side].cache_nodes, "cache node", "cache nodes")];
        for ((count, one, many), x) in kinds.into_iter().zip(BLOCKS) {
            // The count over its grid: the rows kept free for a larger fleet stay blank below it.
            draw_glyphs(sketch, x, top + 34.0, whole(count), worth, TONES[side]);
            let words = first_that_fits(&[counted(count, one, many), format!("{count:.2e} {many}")], SIZE, COUNT_ROOM);
            sketch.text(x, top + 29.0, SIZE, Anchor::Start, false, &words);
        }
    }
}

/// `count` servers as boxes of `worth` each, ten to a row from (`x`, `top`): outlines as one
/// path, fills as one bar chart a row. Every box but the last stands for `worth` servers and is
/// filled; the last stands for what is left and is filled that share of the way up, so a box
/// never claims servers that are not there (rounding up would draw 20 for 1).
fn draw_glyphs(sketch: &mut Sketch, x: f32, top: f32, count: u64, worth: u64, tone: Tone) {
    let drawn = count.div_ceil(worth).min(CAP) as usize;
    if drawn == 0 {
        return;
    }
    let rest = count % worth;
    let last = if rest == 0 { 1.0 } else { (rest as f64 / worth as f64) as f32 };
    let mut outline = String::with_capacity(26 * drawn);
    for index in 0..drawn {
        let (left, y) = (x + 1.0 + (index % COLUMNS) as f32 * PITCH_X, top + (index / COLUMNS) as f32 * PITCH_Y);
        let _ = write!(outline, "M{left:.1} {y:.1}h{GLYPH_W}v{GLYPH_H}h-{GLYPH_W}Z");
    }
    sketch.path(&outline, tone);
    for row in 0..drawn.div_ceil(COLUMNS) {
        let in_row = (drawn - row * COLUMNS).min(COLUMNS);
        let mut shares = [1.0f32; COLUMNS];
        if row * COLUMNS + in_row == drawn {
            shares[in_row - 1] = last;
        }
        sketch.bars(x, top + row as f32 * PITCH_Y + GLYPH_H, PITCH_X, GLYPH_H, &shares[..in_row], tone);
    }
}

fn draw_growth(sketch: &mut Sketch, designs: [&Design; 2], plans: &[Plan; 2], units: ByteUnits) {
    sketch.text(LEFT, CHART_HEAD, SIZE, Anchor::Start, true, "Data stored since launch, all copies");
    let retention = designs.map(|design| design.inputs.retention_days);
    let totals = [plans[0].stored_total, plans[1].stored_total];
    let longest = retention[0].max(retention[1]);
    let span = if longest > 0.0 { longest * SPAN_PAST } else { EMPTY_SPAN_DAYS };
    let tallest = totals[0].max(totals[1]);
    let x = |days: f64| PLOT_LEFT + (days / span).clamp(0.0, 1.0) as f32 * (PLOT_RIGHT - PLOT_LEFT);
    let y = |bytes: f64| if tallest > 0.0 && tallest.is_finite() { PLOT_BOTTOM - (bytes / tallest).clamp(0.0, 1.0) as f32 * (PLOT_BOTTOM - PLOT_TOP) } else { PLOT_BOTTOM };

    sketch.line(PLOT_LEFT, PLOT_TOP - 4.0, PLOT_LEFT, PLOT_BOTTOM, false);
    sketch.line(PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM, false);
    draw_ticks(sketch, span);

    let knees = [0, 1].map(|side| (x(retention[side]), y(totals[side])));
    for (side, (kx, ky)) in knees.into_iter().enumerate() {
        // Where the data stops growing, dropped to the time axis to read off when.
        if ky < PLOT_BOTTOM {
            sketch.line(kx, ky, kx, PLOT_BOTTOM, true);
        }
        sketch.path(&polyline(&[(PLOT_LEFT, PLOT_BOTTOM), (kx, ky), (PLOT_RIGHT, ky)], side == 1), TONES[side]);
    }
    for (side, (kx, ky)) in knees.into_iter().enumerate() {
        sketch.circle(kx, ky, 3.0, TONES[side]);
    }
    draw_knee_words(sketch, &retention, &knees);

    // Each total at its line's end, a line apart from the other's when the two are close.
    let mut ends = knees.map(|(_, ky)| ky + 4.0);
    let (upper, lower) = if ends[0] <= ends[1] { (0, 1) } else { (1, 0) };
    if ends[lower] - ends[upper] < 14.0 {
        let middle = (ends[0] + ends[1]) / 2.0;
        (ends[upper], ends[lower]) = (middle - 7.0, middle + 7.0);
    }
    let (highest, lowest) = (CHART_HEAD + 4.0 + SIZE, PLOT_BOTTOM - 2.0);
    if ends[lower] > lowest {
        (ends[upper], ends[lower]) = (ends[upper].min(lowest - 14.0), lowest);
    }
    if ends[upper] < highest {
        (ends[upper], ends[lower]) = (highest, ends[lower].max(highest + 14.0));
    }
    for side in 0..2 {
        let words = bytes_within(&format!("{} ", SIDES[side]), totals[side], units, WIDTH - 2.0 - END_X);
        sketch.text(END_X, ends[side], SIZE, Anchor::Start, true, &words);
    }
}

/// The time axis: 0, then up to four round marks in the largest unit the span holds twice,
/// the last with its unit ("0  2  4  6 years").
fn draw_ticks(sketch: &mut Sketch, span: f64) {
    let baseline = PLOT_BOTTOM + 14.0;
    sketch.text(PLOT_LEFT, baseline, SIZE, Anchor::Middle, false, "0");
    let (unit, name) = time_unit(span);
    let units = span / unit;
    let Some(step) = round_units().map(|step| step as f64).find(|step| units / step < 5.0) else { return };
    let marks = (units / step).floor() as u32;
    for mark in 1..=marks {
        let at = PLOT_LEFT + (f64::from(mark) * step / units) as f32 * (PLOT_RIGHT - PLOT_LEFT);
        sketch.line(at, PLOT_BOTTOM, at, PLOT_BOTTOM + 3.0, false);
        let number = format_count(f64::from(mark) * step);
        let words = if mark == marks { format!("{number} {name}s") } else { number };
        sketch.text(at, baseline, SIZE, Anchor::Middle, false, &words);
    }
}

/// "kept 5 years" beside each line's knee: above it to the left, else to the right, else below,
/// whichever is first on the plot and clear of both lines, the other knee's drop to the axis
/// and the other design's words. When both keep data equally long one label, at the higher
/// knee, says it for both.
fn draw_knee_words(sketch: &mut Sketch, retention: &[f64; 2], knees: &[(f32, f32); 2]) {
    let words = retention.map(|days| if days > 0.0 { format!("kept {}", duration(days)) } else { "nothing kept".to_string() });
    let sides: &[usize] = if words[0] != words[1] {
        &[0, 1]
    } else if knees[1].1 < knees[0].1 {
        &[1]
    } else {
        &[0]
    };
    // The box of the words placed so far: left, top, right, bottom.
    let mut placed: Option<[f32; 4]> = None;
    for &side in sides {
        let (kx, ky) = knees[side];
        let width = text_width(&words[side], SIZE);
        let boxed = |(left, baseline): (f32, f32)| [left, baseline - SIZE, left + width, baseline + 3.0];
        let on_plot = |&spot: &(f32, f32)| {
            let [left, top, right, bottom] = boxed(spot);
            left >= 0.0 && right <= PLOT_RIGHT + 2.0 && top >= CHART_HEAD + 4.0 && bottom <= PLOT_BOTTOM - 1.0
        };
        let clear = |spot: &(f32, f32)| {
            let [left, top, right, bottom] = boxed(*spot);
            // A line only rises from left to right, so over the words it spans its heights at
            // their two ends.
            let crosses = |&(x, y): &(f32, f32)| {
                let height = |at: f32| if at >= x || x <= PLOT_LEFT { y } else { PLOT_BOTTOM + (y - PLOT_BOTTOM) * (at - PLOT_LEFT).max(0.0) / (x - PLOT_LEFT) };
                height(right) <= bottom && height(left) >= top
            };
            let (other_x, other_y) = knees[1 - side];
            let drop = left <= other_x && other_x <= right && bottom >= other_y;
            !knees.iter().any(crosses) && !drop && placed.is_none_or(|[l, t, r, b]| right < l || left > r || bottom < t || top > b)
        };
        let spots = [(kx - 4.0 - width, ky - 5.0), (kx + 4.0, ky - 5.0), (kx + 4.0, ky + 15.0), (kx - 4.0 - width, ky + 15.0)];
        let spot = spots.iter().find(|spot| on_plot(spot) && clear(spot)).or_else(|| spots.iter().find(|spot| on_plot(spot))).copied().unwrap_or(spots[0]);
        sketch.text(spot.0, spot.1, SIZE, Anchor::Start, false, &words[side]);
        placed = Some(boxed(spot));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::capacity::{InputKey, Inputs, Template, INPUT_SPECS, TEMPLATES};
    use crate::viz::poster::aria_label;
    use proptest::prelude::*;

    fn scenario(a: Inputs, b: Inputs, units: ByteUnits) -> Scenario {
        Scenario { a: Design { template: &TEMPLATES[0], inputs: a }, b: Design { template: &TEMPLATES[1], inputs: b }, units }
    }

    fn template(id: &str) -> Inputs {
        Template::by_id(id).unwrap_or_else(|| panic!("no template {id}")).inputs
    }

    fn with(mut inputs: Inputs, key: InputKey, value: f64) -> Inputs {
        inputs.set(key, value).unwrap_or_else(|error| panic!("{key:?} = {value}: {error}"));
        inputs
    }

    /// Every text of the drawing with where its baseline starts, as written in the SVG.
    fn texts(svg: &str) -> Vec<(f32, f32, String)> {
        svg.split("<text ")
            .skip(1)
            .map(|text| {
                let attribute = |name: &str| text.split(&format!(" {name}=\"")).nth(1).and_then(|rest| rest.split('"').next()).and_then(|value| value.parse().ok()).unwrap_or(f32::NAN);
                let words = text.split('>').nth(1).unwrap_or("").trim_end_matches("</text").to_string();
                (attribute("x"), attribute("y"), words)
            })
            .collect()
    }

    fn has_text(svg: &str, wanted: &str) -> bool {
        texts(svg).iter().any(|(_, _, words)| words == wanted)
    }

    /// The path data in series colour `tone` of the given class ("pv-path" or "pv-fill").
    fn toned_paths<'a>(svg: &'a str, class: &str, tone: u8) -> Vec<&'a str> {
        let opening = format!(r#"<path class="{class} {class}--{tone}" d=""#);
        svg.split(opening.as_str()).skip(1).filter_map(|rest| rest.split('"').next()).collect()
    }

    fn numbers(text: &str) -> Vec<f32> {
        text.split(|ch: char| !(ch.is_ascii_digit() || ch == '.' || ch == '-')).filter(|part| !part.is_empty() && *part != "-").map(|part| part.parse().unwrap_or(f32::NAN)).collect()
    }

    /// Server boxes read back from the SVG, for A and B, app servers then cache nodes: paths in
    /// the design's colour made only of box outlines, sorted into grids by where they start.
    fn boxes(svg: &str) -> [[u64; 2]; 2] {
        let mut found = [[0; 2]; 2];
        for (side, tone) in [(0, 2), (1, 1)] {
            for d in toned_paths(svg, "pv-path", tone) {
                let pieces: Vec<&str> = d.split('M').skip(1).collect();
                if pieces.is_empty() || !pieces.iter().all(|piece| piece.ends_with(&format!("h{GLYPH_W}v{GLYPH_H}h-{GLYPH_W}Z"))) {
                    continue;
                }
                let kind = usize::from(numbers(pieces[0])[0] >= WIDTH / 2.0);
                assert_eq!(found[side][kind], 0, "one path per grid: {svg}");
                found[side][kind] = pieces.len() as u64;
            }
        }
        found
    }

    /// How much of the boxes is filled, in boxes, per design and kind, read from the fills' heights.
    fn filled(svg: &str) -> [[f64; 2]; 2] {
        let mut found = [[0.0; 2]; 2];
        for (side, tone) in [(0, 2), (1, 1)] {
            for d in toned_paths(svg, "pv-fill", tone) {
                for piece in d.split('M').skip(1) {
                    let x = numbers(piece)[0];
                    let tall: f32 = piece.split("v-").nth(1).map(|rest| numbers(rest)[0]).unwrap_or(f32::NAN);
                    found[side][usize::from(x >= WIDTH / 2.0)] += f64::from(tall / GLYPH_H);
                }
            }
        }
        found
    }

    /// What one box stands for, read from the words that say so.
    fn worth_said(svg: &str) -> u64 {
        let text = texts(svg).into_iter().map(|(_, _, words)| words).find(|words| words.starts_with("1 box = ")).unwrap_or_else(|| panic!("no worth in {svg}"));
        let number = text["1 box = ".len()..].split(' ').next().unwrap().replace(',', "");
        number.parse::<f64>().unwrap_or_else(|_| panic!("{text}")) as u64
    }

    /// Where each design's line levels off: its marker, a dot in its colour.
    fn knee(svg: &str, tone: u8) -> (f32, f32) {
        let opening = format!(r#"<circle class="pv-dot pv-dot--{tone}" "#);
        let rest = svg.split(opening.as_str()).nth(1).unwrap_or_else(|| panic!("no knee in colour {tone}"));
        let values = numbers(rest.split("/>").next().unwrap());
        (values[0], values[1])
    }

    /// The points of a design's storage line (its paths in the chart below the fleet).
    fn line_points(svg: &str, tone: u8) -> Vec<(f32, f32)> {
        let mut points = Vec::new();
        for d in toned_paths(svg, "pv-path", tone).into_iter().filter(|d| !d.contains('h')) {
            let values = numbers(d);
            points.extend(values.chunks(2).map(|pair| (pair[0], pair[1])).filter(|(_, y)| *y > CHART_HEAD));
        }
        points
    }

    /// Draws `scenario` and checks what must hold whatever the inputs; returns the SVG.
    fn check(scenario: &Scenario) -> String {
        let poster = picture(scenario).finish();
        let context = format!("{:?}", [scenario.a.inputs, scenario.b.inputs]);
        assert!(poster.problems.is_empty(), "{context}: {:?}", poster.problems);
        assert!(!poster.svg.contains("NaN") && !poster.svg.contains("inf"), "{context}: {}", poster.svg);
        assert!(poster.svg.len() < 16_000, "{context}: {} bytes", poster.svg.len());
        let svg = poster.svg;

        // Both designs' boxes share one worth, a round number, and between them cover every
        // server with less than one box to spare.
        let worth = worth_said(&svg);
        assert!(round_units().any(|unit| unit == worth), "{context}: a box is worth {worth}");
        let plans = [Plan::new(&scenario.a.inputs), Plan::new(&scenario.b.inputs)];
        let counts = plans.map(|plan| [plan.app_servers, plan.cache_nodes].map(|count| count as u128));
        let drawn = boxes(&svg);
        let shares = filled(&svg);
        for side in 0..2 {
            for kind in 0..2 {
                let (count, boxes, worth) = (counts[side][kind], u128::from(drawn[side][kind]), u128::from(worth));
                assert!(boxes * worth >= count && boxes * worth < count + worth, "{context}: {boxes} boxes of {worth} for {count}");
                assert!(boxes <= 40, "{context}: {boxes} boxes");
                // The fills add up to the count: each height is written to a tenth of a unit (a little
                // more for the rounding of `f32`).
                let tolerance = boxes as f64 * f64::from(0.06 / GLYPH_H);
                let expected = count as f64 / worth as f64;
                assert!((shares[side][kind] - expected).abs() <= tolerance, "{context}: filled {} boxes for {expected}", shares[side][kind]);
            }
        }
        // Any smaller round worth would overflow some grid.
        if let Some(smaller) = round_units().take_while(|unit| *unit < worth).last() {
            assert!(counts.iter().flatten().any(|count| count.div_ceil(u128::from(smaller)) > 40), "{context}: {smaller} would do");
        }

        // The totals at the lines' ends are a line apart, so neither covers the other.
        let ends: Vec<f32> = texts(&svg).iter().filter(|(x, _, _)| *x == END_X).map(|(_, y, _)| *y).collect();
        assert_eq!(ends.len(), 2, "{context}");
        assert!((ends[0] - ends[1]).abs() >= 13.9, "{context}: {ends:?}");

        // Each line rises to its knee and is flat after it.
        for tone in [2, 1] {
            let (kx, ky) = knee(&svg, tone);
            let points = line_points(&svg, tone);
            assert!(!points.is_empty() || kx <= PLOT_LEFT + 0.1, "{context}: no line in colour {tone}");
            for (x, y) in points {
                if x > kx + 0.1 {
                    assert!((y - ky).abs() <= 0.1, "{context}: colour {tone} moves after its knee at ({x}, {y})");
                } else {
                    assert!(y >= ky - 0.1, "{context}: colour {tone} rises above its plateau at ({x}, {y})");
                }
            }
        }

        let label = aria_label(&svg);
        for (plan, letter) in plans.iter().zip(["A", "B"]) {
            assert!(label.contains(&format!("Design {letter}")), "{label}");
            assert!(label.contains(&format_count(plan.app_servers)) && label.contains(&format_count(plan.cache_nodes)), "{label}");
        }
        svg
    }

    #[test]
    fn the_default_plans_draw_as_worked_by_hand() {
        let svg = check(&Scenario::default());
        // The shortener needs 7 app servers and 2 cache nodes (see the model's tests). The feed
        // needs ⌈26.25 × 10⁹ ÷ 86,400 × 3 ÷ 2,000⌉ = 456 app servers and ⌈0.9^7.21 × 25.7 × 10⁹
        // reads × 1 kB ÷ 64 GB⌉ = 189 cache nodes. 456 would need 46 boxes of 10: a box is 20.
        assert_eq!(worth_said(&svg), 20);
        assert!(has_text(&svg, "1 box = 20 servers"), "{svg}");
        assert_eq!(boxes(&svg), [[1, 1], [23, 10]]);
        for words in ["7 app servers", "2 cache nodes", "456 app servers", "189 cache nodes", "kept 5 years", "kept 10 years", "A 27.1 TB", "B 1.69 PB"] {
            assert!(has_text(&svg, words), "{words}: {:?}", texts(&svg));
        }
        assert!(has_text(&svg, "Design A: URL shortener") && has_text(&svg, "Design B: Twitter-like feed"), "{svg}");
        let label = aria_label(&svg);
        assert!(label.contains("Design A (URL shortener) runs 7 app servers and 2 cache nodes"), "{label}");
        assert!(label.contains("Design B (Twitter-like feed) runs 456 app servers and 189 cache nodes"), "{label}");
        assert!(label.contains("levels off at 27.1 TB after 5 years") && label.contains("levels off at 1.69 PB after 10 years"), "{label}");
        assert!(label.ends_with("Each box stands for 20 servers."), "{label}");
        // The feed stores more, so its plateau is higher (nearer the top of the canvas).
        assert!(knee(&svg, 1).1 < knee(&svg, 2).1);
    }

    #[test]
    fn every_pair_of_templates_fits_in_both_units() {
        for a in &TEMPLATES {
            for b in &TEMPLATES {
                for units in [ByteUnits::Decimal, ByteUnits::Binary] {
                    check(&Scenario { a: Design::from_template(a), b: Design::from_template(b), units });
                }
            }
        }
    }

    #[test]
    fn every_input_at_its_limits_fits() {
        let all = |pick_max: bool| {
            let mut inputs = template("feed");
            for spec in &INPUT_SPECS {
                inputs = with(inputs, spec.key, if pick_max { spec.rule.max } else { spec.rule.min });
            }
            inputs
        };
        let (highest, lowest) = (all(true), all(false));
        for (a, b) in [(highest, highest), (lowest, lowest), (highest, lowest), (lowest, highest)] {
            check(&scenario(a, b, ByteUnits::Decimal));
            check(&scenario(a, b, ByteUnits::Binary));
        }
        for spec in &INPUT_SPECS {
            for limit in [spec.rule.min, spec.rule.max] {
                for (index, base) in TEMPLATES.iter().enumerate() {
                    let edited = with(base.inputs, spec.key, limit);
                    let other = TEMPLATES[(index + 1) % TEMPLATES.len()].inputs;
                    check(&scenario(edited, other, ByteUnits::Decimal));
                    check(&scenario(other, edited, ByteUnits::Binary));
                    check(&scenario(edited, edited, ByteUnits::Decimal));
                }
            }
        }
    }

    #[test]
    fn no_users_draw_empty_grids_that_say_so() {
        let none = with(template("url-shortener"), InputKey::DailyActiveUsers, 0.0);
        let svg = check(&scenario(none, none, ByteUnits::Decimal));
        assert_eq!(boxes(&svg), [[0, 0], [0, 0]]);
        assert!(has_text(&svg, "1 box = 1 server"), "{svg}");
        let said = |wanted: &str| texts(&svg).iter().filter(|(_, _, words)| words == wanted).count();
        assert_eq!((said("0 app servers"), said("0 cache nodes"), said("A 0 B"), said("B 0 B")), (2, 2, 1, 1), "{:?}", texts(&svg));
        assert!(aria_label(&svg).contains("runs 0 app servers and 0 cache nodes and stores no data"), "{}", aria_label(&svg));
        // Keeping nothing is said as such, and the lines lie on the time axis.
        let kept_nothing = with(template("chat"), InputKey::RetentionDays, 0.0);
        let svg = check(&scenario(kept_nothing, kept_nothing, ByteUnits::Decimal));
        assert!(has_text(&svg, "nothing kept") && aria_label(&svg).contains("keeps no data"), "{svg}");
        assert_eq!(knee(&svg, 2).1, PLOT_BOTTOM);
    }

    #[test]
    fn one_box_is_worth_the_same_in_both_designs() {
        // A: 1,000 users need one app server; B: 300 × 5,000 requests/s at peak need 300.
        let small = with(template("url-shortener"), InputKey::DailyActiveUsers, 1_000.0);
        let large = with(with(template("url-shortener"), InputKey::ServerQps, 1.0), InputKey::DailyActiveUsers, 864_000.0);
        assert_eq!((Plan::new(&small).app_servers, Plan::new(&large).app_servers), (1.0, 300.0));
        let svg = check(&scenario(small, large, ByteUnits::Decimal));
        // 300 ÷ 40 = 7.5, so the first round worth that fits is 10: 30 boxes beside 1.
        assert_eq!(worth_said(&svg), 10);
        assert_eq!(boxes(&svg)[0][0], 1);
        assert_eq!(boxes(&svg)[1][0], 30);
        // A's one server fills a tenth of its box.
        assert!((filled(&svg)[0][0] - 0.1).abs() < 0.01, "{:?}", filled(&svg));
        // Swapping the designs keeps the worth.
        assert_eq!(worth_said(&check(&scenario(large, small, ByteUnits::Decimal))), 10);
    }

    #[test]
    fn a_longer_retention_levels_off_further_right() {
        let year = with(template("chat"), InputKey::RetentionDays, 365.0);
        let decade = with(template("chat"), InputKey::RetentionDays, 3_650.0);
        for (short_side, (a, b)) in [(0, (year, decade)), (1, (decade, year))] {
            let svg = check(&scenario(a, b, ByteUnits::Decimal));
            let tones = [2, 1];
            let (short, long) = (knee(&svg, tones[short_side]), knee(&svg, tones[1 - short_side]));
            assert!(short.0 < long.0, "{short:?} {long:?}");
            // The knees stand in proportion to the retentions (a tenth), the longer a fifth
            // short of the axis's end, so the flat part shows.
            assert!(((short.0 - PLOT_LEFT) / (long.0 - PLOT_LEFT) - 0.1).abs() < 0.01, "{short:?} {long:?}");
            assert!(((long.0 - PLOT_LEFT) / (PLOT_RIGHT - PLOT_LEFT) - 0.8).abs() < 0.01, "{long:?}");
            // Ten times as long keeps ten times as much: the short line's plateau is a tenth as high.
            assert!(((PLOT_BOTTOM - short.1) / (PLOT_BOTTOM - long.1) - 0.1).abs() < 0.01, "{short:?} {long:?}");
            assert!(has_text(&svg, "kept 1 year") && has_text(&svg, "kept 10 years"), "{:?}", texts(&svg));
            // Time reads in years: 12.5 of them, marked every 5.
            assert!(has_text(&svg, "5") && has_text(&svg, "10 years"), "{:?}", texts(&svg));
        }
        // Short retentions read in days and hours.
        let days = with(template("chat"), InputKey::RetentionDays, 30.0);
        let hours = with(template("chat"), InputKey::RetentionDays, 0.5);
        let svg = check(&scenario(days, hours, ByteUnits::Decimal));
        assert!(has_text(&svg, "kept 30 days") && has_text(&svg, "kept 12 hours") && has_text(&svg, "30 days"), "{:?}", texts(&svg));
    }

    #[test]
    fn different_inputs_draw_different_pictures() {
        let base = Scenario::default();
        let mut more_users = base;
        more_users.a.inputs = with(base.a.inputs, InputKey::DailyActiveUsers, 300_000_000.0);
        let mut longer = base;
        longer.b.inputs = with(base.b.inputs, InputKey::RetentionDays, 7_300.0);
        let mut binary = base;
        binary.units = ByteUnits::Binary;
        let pictures: Vec<String> = [base, more_users, longer, binary].iter().map(check).collect();
        for (index, first) in pictures.iter().enumerate() {
            for second in &pictures[index + 1..] {
                assert_ne!(first, second);
            }
        }
        assert_eq!(check(&base), pictures[0], "the same plans draw the same picture");
        assert!(has_text(&pictures[3], "A 24.7 TiB"), "{:?}", texts(&pictures[3]));
    }

    /// Any value each rule accepts: its limits, anywhere between, or near the bottom.
    fn any_inputs() -> impl Strategy<Value = Inputs> {
        let fields: Vec<BoxedStrategy<f64>> = INPUT_SPECS
            .iter()
            .map(|spec| {
                let (min, max, integer) = (spec.rule.min, spec.rule.max, spec.rule.integer);
                prop_oneof![Just(min), Just(max), min..=max, min..=(min + (max - min) * 1e-6)].prop_map(move |value: f64| if integer { value.round() } else { value }).boxed()
            })
            .collect();
        fields.prop_map(|values| INPUT_SPECS.iter().zip(values).fold(template("url-shortener"), |inputs, (spec, value)| with(inputs, spec.key, value)))
    }

    proptest! {
        #[test]
        fn any_valid_designs_draw_cleanly(a in any_inputs(), b in any_inputs(), binary in any::<bool>()) {
            check(&scenario(a, b, if binary { ByteUnits::Binary } else { ByteUnits::Decimal }));
        }
    }
}

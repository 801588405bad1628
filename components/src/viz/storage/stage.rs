//! The stage: both engines at the current tick, drawn over one key axis (keys 0 to 99 from left
//! to right), so that an operation falls straight down through both at its key.
//!
//! Above, the B-tree, drawn as nested ranges: the root spans every key, each page below spans the
//! keys its parent's separators give it, and the leaves tile the key axis at the bottom. Each page
//! fills from the bottom as it fills with keys. A page a split just made is orange with a
//! triangle over it, a page that just took a separator from below is outlined in orange, a page
//! that just merged or borrowed is pink with a triangle under it, and a page just written is
//! outlined in green.
//!
//! Below, the LSM tree: the memtable, a row of its entries; L0's tables one under another
//! (newest on top, as they overlap); then each deeper level's tables side by side, each over its
//! key range. Every record is a tick at its key, a tombstone a taller tick in vermilion; a table
//! just written is outlined in orange, one just moved down whole in green, and an arrow shows
//! the last flush or compaction for a moment.
//!
//! Operations fall from the top of each engine at their key: a write (arrowhead) or a delete
//! (cross) to the B-tree's leaf and to the LSM's memtable; a point read (dot) down to the leaf, and
//! down the LSM's levels as far as it looked; a range scan (a bar of squares) likewise. As it
//! passes, each leaf or block it read from disk is marked with a diamond (the B-tree's upper pages
//! and the LSM's filters and indexes are in memory), and each table a Bloom filter let it skip
//! with a ring: the diamonds of one read are its read amplification. On the right, each row's
//! count: pages, memtable writes of its limit, L0 tables of the trigger, a level's records of its
//! target.

use super::btree::Change;
use super::lsm::{Origin, ProbeOutcome, L0_TRIGGER, LEVELS};
use super::{Engine, Flight, Key, OpKind, Storage, Work, KEYS, WALK_TICKS};
use crate::diagram::text::text_width;
use crate::sim::number::{compact_count, counted};
use crate::sim::Simulation;
use crate::viz::poster::{first_that_fits, Anchor, Outcome, Sketch, MIN_FONT};
use std::fmt::Write;

/// The canvas height: the stage and the play controls fit a 360 px phone's first screen.
pub const HEIGHT: f32 = 318.0;
const LEFT: f32 = 6.0;
const RIGHT: f32 = 314.0;
/// The key axis: row labels to its left, counts to its right.
const AXIS_LEFT: f32 = 44.0;
const AXIS_RIGHT: f32 = 270.0;
const SLOT: f32 = (AXIS_RIGHT - AXIS_LEFT) / KEYS as f32;
const HEADING_Y: f32 = 13.0;

/// The B-tree: its title, then four rows (the deepest a tree of 100 keys gets with pages of at
/// least 4: see the tests), leaves at the bottom.
const BTREE_TITLE_Y: f32 = 33.0;
const BTREE_ROWS: u32 = 4;
const BTREE_TOP: f32 = 42.0;
const BTREE_PITCH: f32 = 20.0;
const INNER_HEIGHT: f32 = 13.0;
const LEAF_HEIGHT: f32 = 17.0;

/// The LSM: its title, the memtable, L0's sub-rows, the deeper levels.
const LSM_TITLE_Y: f32 = 142.0;
const MEM_TOP: f32 = 151.0;
const MEM_HEIGHT: f32 = 12.0;
const L0_TOP: f32 = 169.0;
const L0_PITCH: f32 = 8.0;
const L0_HEIGHT: f32 = 6.0;
const LEVEL_TOP: f32 = 204.0;
const LEVEL_PITCH: f32 = 17.0;
const LEVEL_HEIGHT: f32 = 12.0;

const LEGEND_Y: f32 = 292.0;
const KEY_LEGEND_Y: f32 = 311.0;

/// How long a page, table or piece of work stays marked as new.
const HIGHLIGHT_TICKS: u32 = 30;
/// Where a falling operation starts: inside its engine's first row, whole.
const LEAD: f32 = 4.0;
/// The last ticks of its walk an operation rests where it ended, every mark of its reads shown.
const REST_TICKS: u32 = 4;

/// The left edge of a key's slot on the axis (`KEYS` gives the axis's end).
fn slot_x(key: u16) -> f32 {
    AXIS_LEFT + f32::from(key.min(KEYS)) * SLOT
}

/// The middle of a key's slot.
fn key_x(key: Key) -> f32 {
    slot_x(u16::from(key)) + SLOT / 2.0
}

/// The top of a B-tree row (row 0 at the top; the leaves always in the last row).
fn btree_row_top(row: u32) -> f32 {
    BTREE_TOP + row as f32 * BTREE_PITCH
}

fn btree_row_height(row: u32) -> f32 {
    if row == BTREE_ROWS - 1 {
        LEAF_HEIGHT
    } else {
        INNER_HEIGHT
    }
}

/// The row of a page at `depth` in a tree of `height` levels.
fn btree_row(depth: u32, height: u32) -> u32 {
    (BTREE_ROWS + depth).saturating_sub(height).min(BTREE_ROWS - 1)
}

/// The top and height of an LSM table's row: L0 by its slot (0 the newest), the rest by level.
fn lsm_row(level: usize, slot: usize) -> (f32, f32) {
    if level == 0 {
        (L0_TOP + slot.min(L0_TRIGGER - 1) as f32 * L0_PITCH, L0_HEIGHT)
    } else {
        (LEVEL_TOP + (level - 1) as f32 * LEVEL_PITCH, LEVEL_HEIGHT)
    }
}

fn is_recent(now: u32, at: u32) -> bool {
    now.saturating_sub(at) < HIGHLIGHT_TICKS
}

/// A rectangle as path data, to draw many as one path.
fn rect_path(path: &mut String, x: f32, y: f32, width: f32, height: f32) {
    let _ = write!(path, "M{x:.1} {y:.1}h{width:.1}v{height:.1}h-{width:.1}Z");
}

pub fn stage(model: &Storage) -> Sketch {
    let mut sketch = Sketch::new(HEIGHT, &describe(model));
    let config = model.config();
    let heading = [
        format!("Same operations to both: {}, {:.1}/s", config.dist.words(), config.rate()),
        format!("{}, {:.1} ops/s", config.dist.words(), config.rate()),
        config.dist.words().to_string(),
    ];
    sketch.text(LEFT, HEADING_Y, MIN_FONT, Anchor::Start, false, &first_that_fits(&heading, MIN_FONT, RIGHT - LEFT));
    draw_title(&mut sketch, model, Engine::BTree, BTREE_TITLE_Y);
    draw_btree(&mut sketch, model);
    draw_title(&mut sketch, model, Engine::Lsm, LSM_TITLE_Y);
    draw_lsm(&mut sketch, model);
    for flight in model.flights() {
        draw_flight(&mut sketch, model, flight);
    }
    sketch.legend_with(LEFT, LEGEND_Y, &[(Outcome::InFlight, "write"), (Outcome::Rejected, "delete"), (Outcome::Ok, "get"), (Outcome::Stale, "scan"), (Outcome::Retried, "read")]);
    draw_key_legend(&mut sketch);
    sketch
}

/// An engine's name and what it pays over the last 30 s, in the longest form that fits.
fn draw_title(sketch: &mut Sketch, model: &Storage, engine: Engine, y: f32) {
    sketch.text(LEFT, y, MIN_FONT, Anchor::Start, true, engine.name());
    let recent = model.recent(engine);
    let number = |value: Option<f64>, unit: &str| value.map_or("–".to_string(), |value| format!("{value:.1}{unit}"));
    let (write, get, scan, space) = (number(recent.write_amp(), "×"), number(recent.get_amp(), ""), number(recent.scan_amp(), ""), number(model.space(engine).amp(), "×"));
    let options = [
        format!("write {write}, get {get}, scan {scan}, space {space}"),
        format!("write {write}, get {get}, space {space}"),
        format!("write {write}, space {space}"),
        format!("write {write}"),
    ];
    let room = RIGHT - LEFT - text_width(engine.name(), MIN_FONT) - 10.0;
    sketch.text(RIGHT, y, MIN_FONT, Anchor::End, false, &first_that_fits(&options, MIN_FONT, room));
}

/// A count in the right-hand column of a row, in the longest form that fits.
fn draw_count(sketch: &mut Sketch, top: f32, height: f32, options: &[String]) {
    let text = first_that_fits(options, MIN_FONT, RIGHT - AXIS_RIGHT - 4.0);
    sketch.text(RIGHT, top + height / 2.0 + 4.0, MIN_FONT, Anchor::End, false, &text);
}

fn draw_row_label(sketch: &mut Sketch, top: f32, height: f32, label: &str) {
    sketch.text(LEFT, top + height / 2.0 + 4.0, MIN_FONT, Anchor::Start, false, label);
}

fn draw_btree(sketch: &mut Sketch, model: &Storage) {
    let tree = model.btree();
    let now = model.tick() as u32;
    let capacity = tree.capacity() as f32;
    let height = tree.height();
    let mut outlines = String::new();
    // Fills by what happened to the page lately: 0 nothing, then split, rebalanced.
    let mut fills = [String::new(), String::new(), String::new()];
    let mut written = String::new();
    let mut raised = String::new();
    let mut new_marks = String::new();
    let mut merge_marks = String::new();
    for (depth, pages) in tree.levels(KEYS).iter().enumerate() {
        let row = btree_row(depth as u32, height);
        let (top, tall) = (btree_row_top(row), btree_row_height(row));
        for page in pages {
            let (left, right) = (slot_x(page.lower) + 0.5, slot_x(page.upper) - 0.5);
            let width = (right - left).max(1.0);
            rect_path(&mut outlines, left, top, width, tall);
            let recent = page.changed.is_some_and(|changed| is_recent(now, changed));
            let tone = match page.change {
                Change::Split if recent => 1,
                Change::Rebalanced if recent => 2,
                _ => 0,
            };
            let filled = (tall * page.keys as f32 / capacity).min(tall);
            if filled > 0.0 {
                rect_path(&mut fills[tone], left, top + tall - filled, width, filled);
            }
            match page.change {
                Change::Split if recent => new_marks.push_str(&split_mark(left + width / 2.0, top - 1.0)),
                Change::Rebalanced if recent => merge_marks.push_str(&merge_mark(left + width / 2.0, top + tall + 1.0)),
                Change::Separator if recent => rect_path(&mut raised, left, top, width, tall),
                Change::Written if recent => rect_path(&mut written, left, top, width, tall),
                _ => {}
            }
        }
        let label = match (depth, row) {
            (_, 3) => "leaf",
            (0, _) => "root",
            _ => "",
        };
        if !label.is_empty() {
            draw_row_label(sketch, top, tall, label);
        }
        draw_count(sketch, top, tall, &[format!("{} pg", pages.len()), pages.len().to_string()]);
    }
    sketch.fill(&fills[0], Some(2));
    sketch.fill(&fills[1], Some(1));
    sketch.fill(&fills[2], Some(5));
    sketch.path(&outlines, None);
    sketch.path(&written, Some(3));
    sketch.path(&raised, Some(1));
    sketch.fill(&new_marks, Some(1));
    sketch.fill(&merge_marks, Some(5));
}

fn draw_lsm(sketch: &mut Sketch, model: &Storage) {
    let lsm = model.lsm();
    let now = model.tick() as u32;
    let settings = lsm.settings();
    let (mut values, mut tombstones) = (Ticks::default(), Ticks::default());
    // The memtable: its entries on one row.
    draw_row_label(sketch, MEM_TOP, MEM_HEIGHT, "mem");
    sketch.rect(AXIS_LEFT, MEM_TOP, AXIS_RIGHT - AXIS_LEFT, MEM_HEIGHT, 2.0, None);
    for (key, value) in lsm.memtable() {
        tick(&mut values, &mut tombstones, *key, value.is_none(), MEM_TOP, MEM_HEIGHT);
    }
    draw_count(sketch, MEM_TOP, MEM_HEIGHT, &[format!("{}/{}", lsm.logged(), settings.memtable), lsm.logged().to_string()]);
    let mut outlines = String::new();
    let mut fresh = String::new();
    let mut moved = String::new();
    for level in 0..LEVELS {
        let tables = lsm.level(level);
        let (top, tall) = lsm_row(level, 0);
        let label_height = if level == 0 { L0_PITCH * L0_TRIGGER as f32 - (L0_PITCH - L0_HEIGHT) } else { tall };
        draw_row_label(sketch, top, label_height, &format!("L{level}"));
        if level > 0 {
            // A faint baseline, so an empty level still reads as a level.
            sketch.line(AXIS_LEFT, top + tall, AXIS_RIGHT, top + tall, true);
        }
        for (slot, table) in tables.iter().enumerate() {
            let (top, tall) = lsm_row(level, slot);
            let (left, right) = (slot_x(u16::from(table.min())) + 0.3, slot_x(u16::from(table.max()) + 1) - 0.3);
            let outline = match table.origin {
                _ if !is_recent(now, table.born) => &mut outlines,
                Origin::Moved => &mut moved,
                Origin::Flush | Origin::Compaction => &mut fresh,
            };
            rect_path(outline, left, top, right - left, tall);
            for record in table.records() {
                tick(&mut values, &mut tombstones, record.key, record.value.is_none(), top, tall);
            }
        }
        let count = match (level, lsm.target(level)) {
            (0, _) => vec![format!("{}/{L0_TRIGGER}", tables.len())],
            (_, Some(target)) => vec![format!("{}/{}", lsm.level_records(level), compact_count(target)), lsm.level_records(level).to_string()],
            (_, None) => vec![lsm.level_records(level).to_string()],
        };
        draw_count(sketch, top, label_height, &count);
    }
    sketch.path(&outlines, None);
    sketch.path(&fresh, Some(1));
    sketch.path(&moved, Some(3));
    sketch.path(&values.path, Some(2));
    sketch.path(&tombstones.path, Some(4));
    draw_work(sketch, model);
}

/// The records' ticks, as path data written short: a tick after another on the same row moves
/// relative to it (a full level holds a hundred ticks, redrawn with the stage).
#[derive(Default)]
struct Ticks {
    path: String,
    /// Where the pen is: the last tick's foot, and its row's top.
    pen: Option<(f32, f32, f32)>,
}

impl Ticks {
    fn add(&mut self, x: f32, top: f32, length: f32) {
        match self.pen {
            Some((last, bottom, row)) if row == top => {
                let _ = write!(self.path, "m{:.1} {:.1}v{length}", x - last, top - bottom);
            }
            _ => {
                let _ = write!(self.path, "M{x:.1} {top:.1}v{length}");
            }
        }
        self.pen = Some((x, top + length, top));
    }
}

/// A record's tick in a row: a value inside it, a tombstone standing out above it.
fn tick(values: &mut Ticks, tombstones: &mut Ticks, key: Key, tombstone: bool, top: f32, height: f32) {
    let x = key_x(key);
    if tombstone {
        tombstones.add(x, top - 2.5, height + 1.5);
    } else {
        values.add(x, top + 1.5, height - 3.0);
    }
}

/// The last flush or compaction, while it is new: an arrow in the margin between the row labels
/// and the key axis, from the row the data came from to the row it went to (the tables it wrote
/// are outlined in their rows).
fn draw_work(sketch: &mut Sketch, model: &Storage) {
    let now = model.tick() as u32;
    let Some(work) = model.lsm().work().iter().rev().find(|work| is_recent(now, work.at())) else { return };
    let middle = |level: usize| {
        let (top, tall) = lsm_row(level, 0);
        top + tall / 2.0
    };
    let (from, to) = match *work {
        Work::Flush { .. } => (MEM_TOP + MEM_HEIGHT, middle(0)),
        Work::Full { into, .. } => (MEM_TOP + MEM_HEIGHT, middle(usize::from(into))),
        // L0's rows: from the middle of the four.
        Work::Compaction { from: 0, .. } | Work::Move { from: 0, .. } => (L0_TOP + (L0_PITCH * L0_TRIGGER as f32 - (L0_PITCH - L0_HEIGHT)) / 2.0, middle(1)),
        Work::Compaction { from, .. } | Work::Move { from, .. } => (middle(usize::from(from)), middle(usize::from(from) + 1)),
    };
    sketch.arrow(AXIS_LEFT - 4.0, from, AXIS_LEFT - 4.0, to);
}

/// What a falling operation looks like, by kind.
fn shape(kind: OpKind) -> Outcome {
    match kind {
        OpKind::Insert | OpKind::Update => Outcome::InFlight,
        OpKind::Delete => Outcome::Rejected,
        OpKind::Get => Outcome::Ok,
        OpKind::Scan => Outcome::Stale,
    }
}

/// The keys a falling operation is drawn at: its key, or every other key of a scan's range.
fn drawn_keys(flight: &Flight) -> Vec<Key> {
    match flight.op.kind {
        OpKind::Scan => (flight.op.key..=flight.op.high).step_by(2).chain(std::iter::once(flight.op.high)).collect(),
        _ => vec![flight.op.key],
    }
}

/// One operation on its way down both engines, with the marks of what it read so far.
fn draw_flight(sketch: &mut Sketch, model: &Storage, flight: &Flight) {
    let now = model.tick() as u32;
    let progress = (now.saturating_sub(flight.at) as f32 + 0.5) / (WALK_TICKS - REST_TICKS) as f32;
    let outcome = shape(flight.op.kind);
    let keys = drawn_keys(flight);
    // The B-tree: from its root down to the leaves.
    let height = model.btree().height();
    let root_row = btree_row(0, height);
    let start = btree_row_top(root_row) + LEAD;
    let leaf_row = BTREE_ROWS - 1;
    let end = btree_row_top(leaf_row) + LEAF_HEIGHT / 2.0;
    let y = start + (end - start) * progress.min(1.0);
    for key in &keys {
        sketch.request(key_x(*key), y, outcome);
    }
    // The pages above the leaves are in memory: a read's diamonds are the leaves it read.
    let leaf_middle = btree_row_top(leaf_row) + LEAF_HEIGHT / 2.0;
    if !flight.op.kind.writes() && y >= leaf_middle {
        match flight.op.kind {
            OpKind::Scan => {
                for (lower, upper) in &flight.leaves {
                    let (low, high) = ((*lower).max(u16::from(flight.op.key)), (*upper).min(u16::from(flight.op.high) + 1));
                    sketch.request((slot_x(low) + slot_x(high)) / 2.0, leaf_middle, Outcome::Retried);
                }
            }
            _ => sketch.request(key_x(flight.op.key), leaf_middle, Outcome::Retried),
        }
    }
    // The LSM: from the memtable down to the deepest table it read.
    let start = MEM_TOP + LEAD;
    let probes = flight.probes.as_deref().unwrap_or(&[]);
    let end = probes.iter().map(|probe| {
        let (top, tall) = lsm_row(usize::from(probe.level), usize::from(probe.slot));
        top + tall / 2.0
    });
    let end = end.fold(MEM_TOP + MEM_HEIGHT / 2.0, f32::max);
    let y = start + (end - start) * progress.min(1.0);
    for key in &keys {
        sketch.request(key_x(*key), y, outcome);
    }
    for probe in probes {
        let (top, tall) = lsm_row(usize::from(probe.level), usize::from(probe.slot));
        let middle = top + tall / 2.0;
        if y < middle {
            continue;
        }
        let mark = if probe.outcome == ProbeOutcome::Skipped { Outcome::TimedOut } else { Outcome::Retried };
        sketch.request((key_x(probe.low) + key_x(probe.high)) / 2.0, middle, mark);
    }
}

/// The triangle over a page a split just made, its base at `bottom`, centred on `x`.
fn split_mark(x: f32, bottom: f32) -> String {
    format!("M{:.1} {bottom:.1}l3 -4l3 4Z", x - 3.0)
}

/// The triangle under a page that just merged or borrowed, its base at `top`.
fn merge_mark(x: f32, top: f32) -> String {
    format!("M{:.1} {top:.1}l3 4l3 -4Z", x - 3.0)
}

/// The second legend row: the filter's skip, and the marks on pages and records.
fn draw_key_legend(sketch: &mut Sketch) {
    let y = KEY_LEGEND_Y;
    let mut x = LEFT + sketch.legend_with(LEFT, y, &[(Outcome::TimedOut, "filtered")]) + 10.0;
    for words in ["split", "merged", "tombstone"] {
        match words {
            "split" => sketch.fill(&split_mark(x + 4.0, y - 2.0), Some(1)),
            "merged" => sketch.fill(&merge_mark(x + 4.0, y - 7.0), Some(5)),
            _ => sketch.path(&format!("M{:.1} {:.1}V{:.1}", x + 4.0, y - 11.0, y + 1.0), Some(4)),
        }
        sketch.text(x + 11.0, y, MIN_FONT, Anchor::Start, false, words);
        x += 11.0 + text_width(words, MIN_FONT) + 10.0;
    }
}

/// What the picture shows, for a screen reader.
fn describe(model: &Storage) -> String {
    let config = model.config();
    let tree = model.btree();
    let lsm = model.lsm();
    let levels: Vec<String> = (0..LEVELS)
        .filter(|level| !lsm.level(*level).is_empty())
        .map(|level| format!("L{level} {} with {}", counted(lsm.level(level).len() as u32, "table"), counted(lsm.level_records(level), "record")))
        .collect();
    let amp = |value: Option<f64>, unit: &str| value.map_or("none yet".to_string(), |value| format!("{value:.1}{unit}"));
    let (btree, lsm_counts) = (model.recent(Engine::BTree), model.recent(Engine::Lsm));
    format!(
        "The same operations go to a B-tree (above) and an LSM tree (below), {:.1} a second on {} from 0 to 99: {}. B-tree: {} tall, {} of {} records for {}. LSM tree: memtable {} of {} writes; {}. Over the last 30 s, write amplification {} against {}; leaves or blocks read per point read {} against {}; space amplification now {} against {}.",
        config.rate(),
        config.dist.words(),
        super::narration::mix_words(config),
        counted(tree.height(), "level"),
        counted(tree.pages() as u64, "page"),
        tree.capacity(),
        counted(model.live_keys(), "live key"),
        lsm.logged(),
        lsm.settings().memtable,
        if levels.is_empty() { "no tables yet".to_string() } else { levels.join(", ") },
        amp(btree.write_amp(), "×"),
        amp(lsm_counts.write_amp(), "×"),
        amp(btree.get_amp(), ""),
        amp(lsm_counts.get_amp(), ""),
        amp(model.space(Engine::BTree).amp(), "×"),
        amp(model.space(Engine::Lsm).amp(), "×"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Timeline};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, extreme_presets, pairs, Poster};
    use crate::viz::storage::{Action, Setting, STORAGE_LIMIT, STORAGE_PARAMS};

    fn params(list: &[(&str, &str)]) -> Params {
        Params::from_pairs(STORAGE_PARAMS, &pairs(list)).0
    }

    fn draw(model: &Storage) -> Poster {
        stage(model).finish()
    }

    /// Every action the reader can take, spread over `ticks`.
    fn actions(ticks: u32) -> Vec<(u32, Action)> {
        let at = |share: u32| ticks * share / 100;
        vec![
            (at(20), Action::DeleteRange),
            (at(30), Action::Flush),
            (at(40), Action::Set(Setting::Ratio, 2)),
            (at(45), Action::Set(Setting::Memtable, 2)),
            (at(50), Action::Compact),
            (at(60), Action::Set(Setting::Dist, 1)),
            (at(65), Action::Set(Setting::Bloom, 0)),
            (at(70), Action::Set(Setting::Rate, 200)),
            (at(80), Action::Set(Setting::Memtable, 32)),
            (at(85), Action::Set(Setting::Dist, 2)),
            (at(90), Action::Set(Setting::Mix(OpKind::Insert), 0)),
        ]
    }

    /// The shapes drawn above the legend: the operations and their marks.
    fn glyphs(svg: &str) -> Vec<(Outcome, f32, f32)> {
        drawn_requests(svg).into_iter().filter(|(_, _, y)| *y < LEGEND_Y - 8.0).collect()
    }

    #[test]
    fn every_parameter_extreme_draws_cleanly_through_every_action() {
        let ticks = 1_500;
        for values in extreme_presets(STORAGE_PARAMS) {
            let list: Vec<(&str, &str)> = values.iter().map(|(key, value)| (*key, value.as_str())).collect();
            let mut model = Storage::new(&params(&list), DEFAULT_SEED);
            let actions = actions(ticks);
            for tick in 0..=ticks {
                for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                    model.apply(action);
                }
                if tick % 7 == 0 {
                    let poster = draw(&model);
                    let context = format!("{list:?} at {tick}");
                    assert!(poster.problems.is_empty(), "{context}: {:?}", poster.problems);
                    // The parts and words are rewritten with the charts (every 150 ms while
                    // playing): keep them small. The operations' paths change their `d` alone.
                    let rest = stage(&model).layers().rest.len();
                    assert!(rest < 14_000 && poster.svg.len() < 20_000, "{context}: {rest} bytes of parts, {} in all", poster.svg.len());
                    assert!(aria_label(&poster.svg).starts_with("The same operations go to a B-tree (above) and an LSM tree (below)"), "{context}");
                }
                model.step();
            }
        }
    }

    #[test]
    fn the_picture_moves_with_the_operations_and_depends_only_on_the_state() {
        let mut timeline = Timeline::<Storage>::new(params(&[("rate", "20")]), DEFAULT_SEED, STORAGE_LIMIT);
        for (at, action) in actions(3_000) {
            timeline.seek(u64::from(at));
            timeline.act(action);
        }
        check_stage_is_pure(&mut timeline, 1_000, |model| draw(model).svg);
        check_stage_is_pure(&mut timeline, 2_100, |model| draw(model).svg);
    }

    #[test]
    fn a_point_read_leaves_a_diamond_per_leaf_or_block_read_and_a_ring_per_table_skipped() {
        // Writes fill both engines, then only point reads come, one every few seconds, so each
        // can be followed alone to the end of its walk.
        let mut timeline = Timeline::<Storage>::new(params(&[]), DEFAULT_SEED, STORAGE_LIMIT);
        timeline.seek(3_000);
        for action in [Action::Set(Setting::Rate, 5), Action::Set(Setting::Mix(OpKind::Insert), 0), Action::Set(Setting::Mix(OpKind::Update), 0), Action::Set(Setting::Mix(OpKind::Delete), 0), Action::Set(Setting::Mix(OpKind::Scan), 0)] {
            timeline.act(action);
        }
        let mut checked = [0; 2];
        for _ in 0..3_000 {
            timeline.step_forward();
            let model = timeline.state();
            let now = model.tick() as u32;
            let [flight] = model.flights() else { continue };
            if now - flight.at != WALK_TICKS - 1 {
                continue;
            }
            let drawn = glyphs(&draw(model).svg);
            let x = key_x(flight.op.key);
            let at_key = |outcome: Outcome, above: f32, below: f32| drawn.iter().filter(|(shape, gx, gy)| *shape == outcome && (gx - x).abs() < 0.06 && (above..below).contains(gy)).count();
            // The B-tree reads its leaf from disk, the pages above it being in memory.
            assert_eq!(at_key(Outcome::Retried, BTREE_TOP, LSM_TITLE_Y), 1, "{flight:?}");
            // The LSM reads a block per table its filter lets through, and skips the rest.
            let probes = flight.probes.as_deref().unwrap_or(&[]);
            let read = probes.iter().filter(|probe| probe.blocks > 0).count();
            let skipped = probes.iter().filter(|probe| probe.outcome == ProbeOutcome::Skipped).count();
            assert_eq!((at_key(Outcome::Retried, MEM_TOP, LEGEND_Y), at_key(Outcome::TimedOut, MEM_TOP, LEGEND_Y)), (read, skipped), "{flight:?}");
            // The read itself: a dot at its key at the end of each walk.
            assert_eq!(at_key(Outcome::Ok, 0.0, LEGEND_Y), 2);
            checked[usize::from(skipped > 0)] += 1;
        }
        assert!(checked[0] > 5 && checked[1] > 5, "reads with and without skips: {checked:?}");
    }

    #[test]
    fn pages_and_tables_are_drawn_over_their_key_ranges_and_a_split_is_marked() {
        let mut model = Storage::new(&params(&[]), DEFAULT_SEED);
        let mut splits_seen = 0;
        for _ in 0..2_000 {
            model.step();
            let svg = draw(&model).svg;
            let now = model.tick() as u32;
            let height = model.btree().height();
            for (depth, pages) in model.btree().levels(KEYS).iter().enumerate() {
                let row = btree_row(depth as u32, height);
                for page in pages {
                    let (left, right) = (slot_x(page.lower) + 0.5, slot_x(page.upper) - 0.5);
                    let outline = format!("M{left:.1} {:.1}h{:.1}v{:.1}", btree_row_top(row), right - left, btree_row_height(row));
                    assert!(svg.contains(&outline), "page {page:?} not drawn at {outline}");
                    if page.change == Change::Split && page.changed == Some(now) {
                        assert!(svg.contains(&split_mark((left + right) / 2.0, btree_row_top(row) - 1.0)), "split page {page:?} unmarked");
                        splits_seen += 1;
                    }
                }
            }
            for level in 0..LEVELS {
                for (slot, table) in model.lsm().level(level).iter().enumerate() {
                    let (top, tall) = lsm_row(level, slot);
                    let left = slot_x(u16::from(table.min())) + 0.3;
                    let outline = format!("M{left:.1} {top:.1}h{:.1}v{tall:.1}", slot_x(u16::from(table.max()) + 1) - 0.3 - left);
                    assert!(svg.contains(&outline), "L{level} table {} not drawn at {outline}", table.id);
                }
            }
        }
        assert!(splits_seen > 10, "{splits_seen}");
    }
}

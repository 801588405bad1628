//! The stage: the filter as it stands at the model's current tick. At the top, the last item
//! and what came of it; under it the array, one cell per position while they fit (up to 2,040)
//! and otherwise one cell per 2, 5, 10, 20… positions, filled by the share that is set. A set
//! bit is a filled block; in the counting variant a cell fills a quarter per count (full at four
//! or more), with the count written in when the cells are large. From the item, a line runs to
//! each of its k cells, which are ringed: solid where the position was non-zero when the
//! operation looked, dashed where it was zero (for a remove: where it is zero now). The item and
//! the end of each line carry the outcome's shape. Under the array: the items in and the fill,
//! the measured false-positive rate beside the formula's, what a cell stands for, and the sizing.
//!
//! Everything is read from the state, so scrubbing and shared links draw the same picture.

use std::fmt::Write;

use crate::chart::Tenths;

use crate::sim::number::group_thousands;
use crate::viz::poster::{first_that_fits, round_units, Anchor, Outcome, Sketch, MIN_FONT};

use super::{percent, quoted, Bloom, Kind, Operation, Refusal, Variant, Verdict};

/// The canvas height: the stage and the play controls fit a 360 px phone's first screen.
const HEIGHT: f32 = 326.0;
const LEFT: f32 = 8.0;
const RIGHT: f32 = 312.0;
const TITLE: f32 = 13.0;
/// The item's two lines, and where its lines to the cells start.
const HEAD: [f32; 2] = [15.0, 31.0];
const ORIGIN: (f32, f32) = (160.0, 41.0);
/// The array's area; cells are square, from `MAX_PITCH` units down to `MIN_PITCH`.
const GRID_TOP: f32 = 48.0;
const GRID_WIDTH: f32 = RIGHT - LEFT;
const GRID_HEIGHT: f32 = 170.0;
const MAX_PITCH: f32 = 24.0;
const MIN_PITCH: f32 = 5.0;
/// Counting cells at least this large carry their count as a digit.
const DIGIT_PITCH: f32 = 20.0;
/// The lines of numbers under the array, then the legend's two rows.
const NUMBERS: [f32; 4] = [234.0, 250.0, 266.0, 282.0];
const LEGEND: [f32; 2] = [302.0, 320.0];

/// The shape each verdict is drawn in (the legend names them).
pub fn outcome(verdict: Verdict) -> Outcome {
    match verdict {
        Verdict::Added => Outcome::InFlight,
        Verdict::Member => Outcome::Ok,
        Verdict::FalsePositive => Outcome::Stale,
        Verdict::DefinitelyNot | Verdict::Refused(Refusal::NotThere) => Outcome::Rejected,
        Verdict::Removed | Verdict::RemovedStranger => Outcome::Retried,
        // A standard filter never has false negatives, so its legend lends this shape to
        // "can't delete"; the counting one never refuses for that reason.
        Verdict::FalseNegative | Verdict::Refused(Refusal::Standard) => Outcome::TimedOut,
    }
}

/// The legend's two rows for a variant.
pub fn legend(variant: Variant) -> [&'static [(Outcome, &'static str)]; 2] {
    const FIRST: &[(Outcome, &str)] = &[(Outcome::InFlight, "added"), (Outcome::Ok, "in set"), (Outcome::Stale, "false positive")];
    match variant {
        Variant::Standard => [FIRST, &[(Outcome::Rejected, "definitely not"), (Outcome::TimedOut, "can't delete")]],
        Variant::Counting => [FIRST, &[(Outcome::Rejected, "definitely not"), (Outcome::Retried, "removed"), (Outcome::TimedOut, "false negative")]],
    }
}

/// How the array is laid out: `per` positions a cell, `cells` cells in rows of `columns`, each
/// `pitch` units square, the block centred in its area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    pub per: u64,
    pub cells: u64,
    pub columns: u64,
    pub rows: u64,
    pub pitch: f32,
    pub left: f32,
    pub top: f32,
}

impl Grid {
    pub fn new(size: u64) -> Self {
        let fits = |pitch: f32| (GRID_WIDTH / pitch).floor() as u64 * (GRID_HEIGHT / pitch).floor() as u64;
        let most = fits(MIN_PITCH);
        // Round worths, so "1 cell = 20 bits" reads at a glance; at 5 × 10^18 any size fits.
        let per = round_units().find(|per| size.div_ceil(*per) <= most).unwrap_or(u64::MAX);
        let cells = size.div_ceil(per).max(1);
        // The largest pitch, in quarter units, at which every cell fits.
        let pitch = (0..=((MAX_PITCH - MIN_PITCH) * 4.0) as u32).map(|step| MAX_PITCH - step as f32 / 4.0).find(|pitch| fits(*pitch) >= cells).unwrap_or(MIN_PITCH);
        let columns = ((GRID_WIDTH / pitch).floor() as u64).clamp(1, cells);
        let rows = cells.div_ceil(columns);
        let left = LEFT + (GRID_WIDTH - columns as f32 * pitch) / 2.0;
        let top = GRID_TOP + (GRID_HEIGHT - rows as f32 * pitch) / 2.0;
        Self { per, cells, columns, rows, pitch, left, top }
    }

    /// The centre of the cell holding `position`.
    pub fn centre(&self, position: u64) -> (f32, f32) {
        let cell = position / self.per;
        let (column, row) = ((cell % self.columns) as f32, (cell / self.columns) as f32);
        (self.left + (column + 0.5) * self.pitch, self.top + (row + 0.5) * self.pitch)
    }
}

/// How full a cell is drawn (0 to 1).
fn share(bloom: &Bloom, grid: &Grid, cell: u64) -> f32 {
    let filter = bloom.filter();
    if grid.per == 1 {
        let count = f32::from(filter.count(cell));
        return if filter.variant() == Variant::Counting { count.min(4.0) / 4.0 } else { count };
    }
    let start = cell * grid.per;
    let end = (start + grid.per).min(filter.size());
    filter.occupied_in(start, end) as f32 / (end - start).max(1) as f32
}

/// The filter at the model's current tick, on a 320 × 326 canvas (see the module
/// documentation). Its label says in words what the picture shows.
pub fn stage(bloom: &Bloom) -> Sketch {
    let grid = Grid::new(bloom.filter().size());
    let mut sketch = Sketch::new(HEIGHT, &summary(bloom, &grid));
    let [title, verdict] = head(bloom);
    sketch.text(LEFT, HEAD[0], TITLE, Anchor::Start, true, &title);
    sketch.text(LEFT, HEAD[1], MIN_FONT, Anchor::Start, false, &verdict);
    draw_cells(&mut sketch, bloom, &grid);
    if let Some(op) = bloom.last() {
        draw_probes(&mut sketch, &grid, op);
    }
    for (y, line) in NUMBERS.iter().zip(numbers(bloom, &grid)) {
        sketch.text(LEFT, *y, MIN_FONT, Anchor::Start, false, &line);
    }
    for (y, row) in LEGEND.iter().zip(legend(bloom.variant())) {
        sketch.legend_with(LEFT, *y, row);
    }
    sketch
}

fn draw_cells(sketch: &mut Sketch, bloom: &Bloom, grid: &Grid) {
    let pitch = grid.pitch;
    sketch.rect(grid.left - 2.0, grid.top - 2.0, grid.columns as f32 * pitch + 4.0, grid.rows as f32 * pitch + 4.0, 2.0, None);
    let digits = bloom.variant() == Variant::Counting && grid.per == 1 && pitch >= DIGIT_PITCH;
    // A digit takes the top 14 units of its cell; the bar stands under it.
    let tall = if digits { pitch - 14.0 } else { pitch - 1.5 };
    let width = Tenths(f64::from((pitch - 1.0).max(0.5)));
    // Every cell's fill, rising from its floor by its share, as one path: no shelf under each
    // row, so the set positions read as dots on an empty array.
    let mut cells = String::with_capacity(24 * grid.cells.min(4_096) as usize);
    for row in 0..grid.rows {
        let first = row * grid.columns;
        let bottom = grid.top + (row + 1) as f32 * pitch;
        for cell in first..(first + grid.columns).min(grid.cells) {
            let height = share(bloom, grid, cell).clamp(0.0, 1.0) * tall;
            if height > 0.0 {
                let x = grid.left + (cell - first) as f32 * pitch + 0.5;
                let (x, bottom, height) = (Tenths(f64::from(x)), Tenths(f64::from(bottom)), Tenths(f64::from(height)));
                let _ = write!(cells, "M{x} {bottom}v-{height}h{width}v{height}Z");
            }
        }
    }
    sketch.fill(&cells, Some(2));
    for row in 0..grid.rows {
        let first = row * grid.columns;
        let bottom = grid.top + (row + 1) as f32 * pitch;
        if digits {
            for cell in first..(first + grid.columns).min(grid.cells) {
                let count = bloom.filter().count(cell);
                if count > 0 {
                    let (x, _) = grid.centre(cell);
                    sketch.text(x, bottom - pitch + 13.0, MIN_FONT, Anchor::Middle, true, &count.to_string());
                }
            }
        }
    }
}

/// A line from the item to each of its cells, solid or dashed by what the position held, the
/// cell ringed, and the outcome's shape on the item and where each line arrives. The rings, the
/// solid lines and the dashed ones are three paths in the first series colour, so they stand
/// out from the array; the dashes are drawn as segments, which the path style has no option for.
fn draw_probes(sketch: &mut Sketch, grid: &Grid, op: &Operation) {
    let shape = outcome(op.verdict);
    let (ox, oy) = ORIGIN;
    let ring = grid.pitch / 2.0 + 2.0;
    let t = |value: f32| Tenths(f64::from(value));
    let (r, across) = (t(ring), t(2.0 * ring));
    let mut paths = [String::new(), String::new(), String::new()];
    for (index, position) in op.positions.iter().enumerate() {
        let (cx, cy) = grid.centre(*position);
        let (dx, dy) = (cx - ox, cy - oy);
        let distance = (dx * dx + dy * dy).sqrt().max(f32::EPSILON);
        let (ux, uy) = (dx / distance, dy / distance);
        let _ = write!(paths[0], "M{} {}a{r} {r} 0 1 0 {across} 0a{r} {r} 0 1 0-{across} 0", t(cx - ring), t(cy));
        let reach = (distance - ring).max(0.0);
        if op.empty & 1 << index == 0 {
            let _ = write!(paths[1], "M{} {}L{} {}", t(ox), t(oy), t(ox + ux * reach), t(oy + uy * reach));
        } else {
            // Dashes of 5 with gaps of 4, from the item.
            let mut at = 0.0;
            while at < reach {
                let end = (at + 5.0).min(reach);
                let _ = write!(paths[2], "M{} {}L{} {}", t(ox + ux * at), t(oy + uy * at), t(ox + ux * end), t(oy + uy * end));
                at += 9.0;
            }
        }
        // Just outside the ring, so the shape never hides the cell it points at.
        let at = (distance - ring - 4.5).max(0.0);
        sketch.request(ox + ux * at, oy + uy * at, shape);
    }
    for path in &paths {
        sketch.path(path, Some(1));
    }
    sketch.request(ox, oy, shape);
}

/// The item with the verb, then the verdict in short; longest wording first, then shorter.
fn head(bloom: &Bloom) -> [String; 2] {
    let (m, k) = (group_thousands(bloom.filter().size() as f64), bloom.filter().hashes());
    let slots = format!("{}s", bloom.variant().slot());
    let Some(op) = bloom.last() else {
        let kind = if bloom.variant() == Variant::Counting { "counting" } else { "standard" };
        let n = group_thousands(bloom.sizing().items as f64);
        return [format!("An empty {kind} Bloom filter"), fit(&[format!("{m} {slots}, {k} per item; {n} items to add"), format!("{m} {slots}, {k} per item")])];
    };
    let verb = match (op.kind, op.by_reader) {
        (Kind::Add, false) => "Add",
        (Kind::Test, false) => "Test",
        (Kind::Add, true) => "You add",
        (Kind::Test, true) => "You test",
        (Kind::Remove, _) => "You remove",
    };
    let more = if op.batch > 1 { format!(" (+{} more)", group_thousands((op.batch - 1) as f64)) } else { String::new() };
    // The whole item if it fits, else its start, shorter and shorter.
    let titles: Vec<String> = std::iter::once(quoted(&op.item))
        .chain([32, 16, 8, 4].into_iter().filter(|keep| op.item.chars().count() > *keep).map(|keep| quoted(&format!("{}…", op.item.chars().take(keep).collect::<String>()))))
        .map(|item| format!("{verb} {item}{more}"))
        .collect();
    let title = first_that_fits(&titles, TITLE, RIGHT - LEFT);
    let (k, empty) = (op.positions.len(), op.empty.count_ones());
    let verdict = match op.verdict {
        Verdict::Added if bloom.variant() == Variant::Counting => vec![format!("added: {k} counters up by one ({empty} were 0)"), format!("added: {k} counters up by one")],
        Verdict::Added => vec![format!("added: {empty} of its {k} bits were clear, now set"), format!("added: {empty} of {k} bits newly set")],
        Verdict::Member => vec![format!("maybe: all {k} {slots} set, and it was added"), "maybe, and it was added".to_string()],
        Verdict::FalsePositive => vec![format!("false positive: all {k} {slots} set, never added"), format!("false positive: all {k} set, never added"), "false positive: never added".to_string()],
        Verdict::DefinitelyNot => vec![format!("definitely not in the set: {empty} of {k} {slots} are 0"), format!("definitely not: {empty} of {k} are 0")],
        Verdict::FalseNegative => vec![format!("false negative: added, yet {empty} of {k} are 0"), "false negative!".to_string()],
        Verdict::Removed => vec![format!("removed: {k} counters down by one, {empty} now 0"), "removed".to_string()],
        Verdict::RemovedStranger => vec!["removed, but never added: others lose counts".to_string(), "removed, but it was never added".to_string()],
        Verdict::Refused(Refusal::Standard) => vec!["refused: a standard filter cannot delete".to_string(), "refused: cannot delete".to_string()],
        Verdict::Refused(Refusal::NotThere) => vec![format!("refused: {empty} of {k} counters are 0, never added"), "refused: never added".to_string()],
    };
    [title, fit(&verdict)]
}

fn fit(options: &[String]) -> String {
    first_that_fits(options, MIN_FONT, RIGHT - LEFT)
}

/// The lines under the array: what is in, false positives against the formula, what a cell
/// and a dashed line mean, and the sizing (or the stuck counters, once there are any). Each
/// line has shorter wordings for large numbers; the first that fits is drawn.
fn numbers(bloom: &Bloom, grid: &Grid) -> [String; 4] {
    let filter = bloom.filter();
    let variant = bloom.variant();
    let (m, k, slot) = (group_thousands(filter.size() as f64), filter.hashes(), variant.slot());
    let inserted = group_thousands(bloom.inserted() as f64);
    let (occupied, fill) = (group_thousands(filter.occupied() as f64), percent(bloom.fill()));
    let formula = percent(bloom.formula_rate());
    let tally = bloom.tally();
    let rate = match tally.rate() {
        Some(rate) => {
            let (rate, found, tests) = (percent(rate), group_thousands(tally.false_positives as f64), group_thousands(tally.tests as f64));
            vec![format!("false positives {rate} ({found} in {tests}) · formula {formula}"), format!("false positives {rate} · formula {formula}"), format!("measured {rate} · formula {formula}")]
        }
        None => vec![format!("false positives: none yet · formula {formula}"), format!("none tested · formula {formula}")],
    };
    // A remove's dashed lines go to the counters it emptied; everyone else's to zeros it met.
    let dashed = if bloom.last().is_some_and(|op| matches!(op.verdict, Verdict::Removed | Verdict::RemovedStranger)) { "now 0" } else { "was 0" };
    let cell = match (grid.per, variant) {
        (1, Variant::Standard) => vec![format!("1 cell = 1 bit · dashed line: the bit {dashed}"), format!("1 cell = 1 bit · dashed: {dashed}")],
        (1, Variant::Counting) => vec![format!("1 cell = 1 counter, ¼ per count · dashed: {dashed}"), format!("1 cell = 1 counter · dashed line: {dashed}")],
        (per, _) => {
            let per = group_thousands(per as f64);
            vec![format!("1 cell = {per} {slot}s, by share set · dashed: {dashed}"), format!("1 cell = {per} {slot}s · dashed line: {dashed}"), format!("1 cell = {per} {slot}s")]
        }
    };
    let sizing = bloom.sizing();
    let last = if filter.saturated() > 0 {
        vec![format!("{} counters stuck at 15: never lowered again", group_thousands(filter.saturated() as f64)), format!("{} counters stuck at 15", group_thousands(filter.saturated() as f64))]
    } else {
        // The target as the reader typed it: 1%, 0.01%, 50%.
        let p = format!("{:.4}", sizing.target * 100.0);
        let (n, p) = (group_thousands(sizing.items as f64), format!("{}%", p.trim_end_matches('0').trim_end_matches('.')));
        vec![format!("n = {n}, p = {p}: m = {m} {slot}s, k = {k}"), format!("n = {n}, p = {p}: m = {m}, k = {k}"), format!("m = {m} {slot}s, k = {k}")]
    };
    [
        fit(&[format!("{inserted} in · {occupied} of {m} {slot}s set ({fill})"), format!("{inserted} in · {fill} of {m} {slot}s set"), format!("{inserted} in · {fill} set")]),
        fit(&rate),
        fit(&cell),
        fit(&last),
    ]
}

/// What the picture shows, for a screen reader.
fn summary(bloom: &Bloom, grid: &Grid) -> String {
    let filter = bloom.filter();
    let slot = bloom.variant().slot();
    let kind = if bloom.variant() == Variant::Counting { "A counting" } else { "A standard" };
    let scale = if grid.per == 1 { format!("one cell per {slot}") } else { format!("one cell per {} {slot}s, filled by the share set", group_thousands(grid.per as f64)) };
    let last = bloom.last().map_or_else(|| "Nothing has been added yet.".to_string(), |op| bloom.sentence(op));
    let tally = bloom.tally();
    let measured = match tally.rate() {
        Some(rate) => format!("{} false positives in {} tests ({})", group_thousands(tally.false_positives as f64), group_thousands(tally.tests as f64), percent(rate)),
        None => "no tests yet".to_string(),
    };
    format!(
        "{kind} Bloom filter of {} {slot}s, {} per item, drawn {scale}: {} items in, {} {slot}s set ({}). {last} Since the filter last changed: {measured}; the formula predicts {}.",
        group_thousands(filter.size() as f64),
        filter.hashes(),
        group_thousands(bloom.inserted() as f64),
        group_thousands(filter.occupied() as f64),
        percent(bloom.fill()),
        percent(bloom.formula_rate())
    )
}

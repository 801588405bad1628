//! The stage: the strategy in focus as it stands at the current tick, with every strategy's
//! numbers underneath.
//!
//! At the top, the router (the directory, for the directory strategy), with what the sizing
//! formula asks for at its left and the key to the bars at its right. The shards stand in a row
//! under it, one column each: the wider bar fills with the requests a second it gets as a share
//! of what it can serve, the thinner one with the data it stores as a share of its disk. A shard
//! over its capacity is drawn with a dashed outline and its bar in another colour; the busiest
//! shard's number is bold with a triangle under it. Requests travel from the router to the shard
//! that owns their key: a dot when served, a cross when the shard throttles it, a diamond for one
//! of the sub-requests of a salted read (which asks every sub-key). Each dot stands for 1, 2,
//! 5… requests (said at the right of the legend).
//!
//! Under the shards, the focus strategy's last rebalance as arrows from shard to shard with the
//! data each carried (its largest two flows), the busiest shard in words, and what the rebalance
//! moved in all and how long copying it takes. Then one row per strategy: its busiest shard over
//! the fair share, the share of requests throttled, and its last rebalance's share of the data
//! and copy time. The focus row is bold with a bar at its left.
//!
//! Every shape comes from the model's state at this tick: a dot is a request the model sampled
//! and keeps until it arrives, so scrubbing, stepping back and a shared link draw the same.

use std::fmt::Write;

use crate::diagram::text::text_width;
use crate::sim::number::{compact_count, group_thousands};
use crate::sim::Simulation;
use crate::viz::poster::{along, first_that_fits, Anchor, Outcome, Sketch, MIN_FONT};

use super::format::{data, duration, percent, times, users, whole};
use super::narration::capacity_share;
use super::{shard_name, Cause, Dot, Plan, Rebalance, Sharding, Strategy, TRAVEL_TICKS};

/// The canvas height: the stage and the play controls fit a 360 px phone's first screen.
pub const HEIGHT: f32 = 338.0;
const LEFT: f32 = 8.0;
const RIGHT: f32 = 314.0;
const HEADING_Y: f32 = 14.0;
const LEGEND_Y: f32 = 31.0;
/// The router's box, and the two lines of words either side of it.
const ROUTER_LEFT: f32 = 122.0;
const ROUTER_RIGHT: f32 = 198.0;
const ROUTER_TOP: f32 = 37.0;
const ROUTER_BOTTOM: f32 = 59.0;
const SIDE_LINES: [f32; 2] = [47.0, 61.0];
/// The shards' columns, their numbers under them and the busiest one's mark.
const SHARD_TOP: f32 = 100.0;
const SHARD_BOTTOM: f32 = 160.0;
const MAX_COLUMN: f32 = 40.0;
const NAME_Y: f32 = 174.0;
const MARK_TOP: f32 = 177.0;
/// The largest flows of the last rebalance, one row each.
const ARROW_ROWS: [f32; 2] = [194.0, 208.0];
const BUSIEST_Y: f32 = 227.0;
const MOVED_Y: f32 = 243.0;
/// The comparison: its heading's baseline, then a row per strategy, and its columns.
const TABLE_HEAD: f32 = 262.0;
const ROW_PITCH: f32 = 14.0;
const BUSIEST_X: f32 = 98.0;
const THROTTLED_X: f32 = 166.0;
const MOVED_X: f32 = 228.0;

/// The strategies at the current tick, on a 320 × 338 canvas (see the module documentation).
pub fn stage(model: &Sharding) -> Sketch {
    let plan = model.plan(model.focus());
    let per = model.dot_worth();
    let mut sketch = Sketch::new(HEIGHT, &summary(model, per));
    heading(&mut sketch, model, per);
    router(&mut sketch, model);
    let gone = gone(model, plan);
    let columns = Columns::new(model.shards() + usize::from(gone.is_some()));
    draw_shards(&mut sketch, model, plan, &columns);
    if let Some(shard) = gone {
        draw_gone(&mut sketch, &columns, shard);
    }
    for dot in model.dots() {
        if let Some((x, y, outcome)) = place(model, plan, dot, &columns) {
            sketch.request(x, y, outcome);
        }
    }
    draw_moves(&mut sketch, plan, &columns, model);
    draw_comparison(&mut sketch, model);
    sketch
}

/// Where the shards' columns stand: evenly over the width, at most `MAX_COLUMN` wide.
struct Columns {
    count: usize,
    pitch: f32,
    width: f32,
}

impl Columns {
    fn new(count: usize) -> Self {
        let pitch = (RIGHT - LEFT) / count.max(1) as f32;
        Self { count, pitch, width: (pitch - 5.0).min(MAX_COLUMN) }
    }

    fn centre(&self, shard: usize) -> f32 {
        LEFT + self.pitch * (shard as f32 + 0.5)
    }

    /// "S3" where it fits under the column, else "3".
    fn name(&self, shard: usize) -> String {
        first_that_fits(&[shard_name(shard), (shard + 1).to_string()], MIN_FONT, self.pitch - 2.0)
    }
}

fn strategy_name(model: &Sharding) -> [String; 2] {
    let config = model.config();
    let label = model.focus().label();
    let detailed = match model.focus() {
        Strategy::Ring => format!("{label} ({} vnodes)", config.vnodes),
        Strategy::Fixed => format!("{label} ({})", config.partitions),
        _ => label.to_string(),
    };
    [detailed, model.focus().short().to_string()]
}

/// The heading, the legend and what a dot stands for.
fn heading(sketch: &mut Sketch, model: &Sharding, per: u64) {
    let shards = match model.shards() {
        1 => "1 shard".to_string(),
        count => format!("{count} shards"),
    };
    let rate = whole(f64::from(model.config().rate));
    let mut options = Vec::new();
    for name in strategy_name(model) {
        options.push(format!("{name}: {shards}, {rate} requests/s"));
        options.push(format!("{name}: {shards}, {rate}/s"));
        options.push(format!("{name}: {shards}"));
    }
    sketch.text(LEFT, HEADING_Y, MIN_FONT, Anchor::Start, true, &first_that_fits(&options, MIN_FONT, RIGHT - LEFT));
    let legend = sketch.legend_with(LEFT, LEGEND_Y, &[(Outcome::Ok, "served"), (Outcome::Rejected, "throttled"), (Outcome::Retried, "fan-out")]);
    let note = first_that_fits(&[format!("1 dot = {}", group_thousands(per as f64)), format!("1 dot = {}", compact_count(per))], MIN_FONT, RIGHT - LEFT - legend - 8.0);
    sketch.text(RIGHT, LEGEND_Y, MIN_FONT, Anchor::End, false, &note);
}

/// The router, what sizing asks for at its left, and the bars' key at its right.
fn router(sketch: &mut Sketch, model: &Sharding) {
    let label = if model.focus() == Strategy::Directory { "directory" } else { "router" };
    sketch.labelled_box(ROUTER_LEFT, ROUTER_TOP, ROUTER_RIGHT - ROUTER_LEFT, ROUTER_BOTTOM - ROUTER_TOP, None, MIN_FONT, label);
    let room = ROUTER_LEFT - 6.0 - LEFT;
    sketch.text(LEFT, SIDE_LINES[0], MIN_FONT, Anchor::Start, false, "sizing says");
    let shards = model.sizing().shards;
    let count = [format!("{} shard{}", group_thousands(shards as f64), if shards == 1 { "" } else { "s" }), compact_count(shards)];
    sketch.text(LEFT, SIDE_LINES[1], MIN_FONT, Anchor::Start, true, &first_that_fits(&count, MIN_FONT, room));
    sketch.text(RIGHT, SIDE_LINES[0], MIN_FONT, Anchor::End, false, "bar: requests");
    sketch.text(RIGHT, SIDE_LINES[1], MIN_FONT, Anchor::End, false, "thin bar: data");
}

/// The shard whose leaving was the focus strategy's last rebalance, while it is the last to
/// have left: drawn crossed out where it stood, so its data's arrows have somewhere to start.
fn gone(model: &Sharding, plan: &Plan) -> Option<usize> {
    match plan.last()?.cause {
        Cause::Removed(shard) if usize::from(shard) == model.shards() => Some(usize::from(shard)),
        _ => None,
    }
}

/// A shard that has left: a dashed, crossed-out outline over its number.
fn draw_gone(sketch: &mut Sketch, columns: &Columns, shard: usize) {
    let left = columns.centre(shard) - columns.width / 2.0;
    let (right, top, bottom) = (left + columns.width, SHARD_TOP, SHARD_BOTTOM);
    dashed_outline(sketch, left, top, right, bottom);
    sketch.line(left, top, right, bottom, true);
    sketch.line(right, top, left, bottom, true);
    sketch.text(columns.centre(shard), NAME_Y, MIN_FONT, Anchor::Middle, false, &columns.name(shard));
}

fn dashed_outline(sketch: &mut Sketch, left: f32, top: f32, right: f32, bottom: f32) {
    sketch.line(left, top, right, top, true);
    sketch.line(right, top, right, bottom, true);
    sketch.line(right, bottom, left, bottom, true);
    sketch.line(left, bottom, left, top, true);
}

/// Each shard's column: its outline (dashed when over capacity), its two bars, its number,
/// and the busiest one's mark. The outlines and each kind of bar are one path apiece, so a
/// frame of sixteen shards stays small.
fn draw_shards(sketch: &mut Sketch, model: &Sharding, plan: &Plan, columns: &Columns) {
    let config = model.config();
    let busiest = plan.hottest().0;
    let (top, bottom) = (SHARD_TOP, SHARD_BOTTOM);
    let tall = bottom - top - 4.0;
    let inner = columns.width - 6.0;
    let (mut outlines, mut served, mut overloaded, mut stored) = (String::new(), String::new(), String::new(), String::new());
    for shard in 0..model.shards() {
        let left = columns.centre(shard) - columns.width / 2.0;
        let load = plan.loads().get(shard).copied().unwrap_or(0.0);
        let over = load > f64::from(config.shard_qps);
        if over {
            dashed_outline(sketch, left, top, left + columns.width, bottom);
        } else {
            let _ = write!(outlines, "M{left:.1} {top:.1}h{:.1}v{:.1}h-{:.1}Z", columns.width, bottom - top, columns.width);
        }
        let share = (load / f64::from(config.shard_qps.max(1))) as f32;
        bar(if over { &mut overloaded } else { &mut served }, left + 2.0, bottom - 2.0, inner * 0.6, tall * share.clamp(0.0, 1.0));
        let data = (plan.stored().get(shard).copied().unwrap_or(0.0) / f64::from(config.shard_gb.max(1))) as f32;
        bar(&mut stored, left + 4.0 + inner * 0.6, bottom - 2.0, inner * 0.4, tall * data.clamp(0.0, 1.0));
        sketch.text(columns.centre(shard), NAME_Y, MIN_FONT, Anchor::Middle, shard == busiest, &columns.name(shard));
    }
    sketch.path(&outlines, None);
    sketch.fill(&served, Some(1));
    sketch.fill(&overloaded, Some(4));
    sketch.fill(&stored, Some(2));
    sketch.fill(&format!("M{:.1} {MARK_TOP:.1}l4 7h-8Z", columns.centre(busiest)), Some(4));
}

/// A bar standing on `bottom`, `height` tall (nothing when it has no height).
fn bar(path: &mut String, left: f32, bottom: f32, width: f32, height: f32) {
    if height > 0.05 {
        let _ = write!(path, "M{left:.1} {bottom:.1}v-{height:.1}h{width:.1}v{height:.1}Z");
    }
}

/// Where a dot is drawn now, and its shape: `None` once it has arrived, or when its shard has
/// left since it was sent.
fn place(model: &Sharding, plan: &Plan, dot: &Dot, columns: &Columns) -> Option<(f32, f32, Outcome)> {
    let shard = usize::from(dot.owners[plan.strategy().index()]);
    if shard >= model.shards() {
        return None;
    }
    let age = (model.tick() as u32).checked_sub(dot.sent).filter(|age| *age < TRAVEL_TICKS)?;
    let progress = (age + 1) as f32 / TRAVEL_TICKS as f32;
    let from = ((ROUTER_LEFT + ROUTER_RIGHT) / 2.0, ROUTER_BOTTOM + 5.0);
    let to = (columns.centre(shard), SHARD_TOP - 6.0);
    let (x, y) = along(from, to, progress);
    let load = plan.loads().get(shard).copied().unwrap_or(0.0);
    let refused = if load > 0.0 { 1.0 - f64::from(model.config().shard_qps) / load } else { 0.0 };
    let outcome = if f64::from(dot.draw) < refused {
        Outcome::Rejected
    } else if dot.fan_out {
        Outcome::Retried
    } else {
        Outcome::Ok
    };
    Some((x, y, outcome))
}

/// The last rebalance of the focus strategy: its two largest flows as arrows, the busiest
/// shard in words, and the totals.
fn draw_moves(sketch: &mut Sketch, plan: &Plan, columns: &Columns, model: &Sharding) {
    match plan.last() {
        Some(last) => {
            for (flow, y) in last.flows.iter().zip(ARROW_ROWS).filter(|(flow, _)| usize::from(flow.from.max(flow.to)) < columns.count) {
                flow_arrow(sketch, columns, usize::from(flow.from), usize::from(flow.to), y, flow.gb);
            }
            if last.flows.is_empty() {
                sketch.text(LEFT, ARROW_ROWS[0] + 4.0, MIN_FONT, Anchor::Start, false, "The last change moved no data");
            }
        }
        None => {
            let options = ["No data moved yet: add or remove a shard".to_string(), "No data moved yet".to_string()];
            sketch.text(LEFT, ARROW_ROWS[0] + 4.0, MIN_FONT, Anchor::Start, false, &first_that_fits(&options, MIN_FONT, RIGHT - LEFT));
        }
    }
    let (busiest, load) = plan.hottest();
    let name = shard_name(busiest);
    let capacity = capacity_share(model, plan, busiest);
    let rate = whole(load);
    sketch.fill(&format!("M{LEFT:.1} {:.1}l4 7h-8Z", BUSIEST_Y - 9.0), Some(4));
    let options = [
        format!("{name} busiest: {rate} requests/s, {capacity} of capacity"),
        format!("{name} busiest: {rate}/s, {capacity} of capacity"),
        format!("{name} busiest: {capacity} of capacity"),
    ];
    sketch.text(LEFT + 8.0, BUSIEST_Y, MIN_FONT, Anchor::Start, false, &first_that_fits(&options, MIN_FONT, RIGHT - LEFT - 8.0));
    if let Some(last) = plan.last() {
        sketch.text(LEFT, MOVED_Y, MIN_FONT, Anchor::Start, true, &first_that_fits(&moved_words(model, last), MIN_FONT, RIGHT - LEFT));
    }
}

/// What a rebalance moved and how long copying it takes, longest first.
fn moved_words(model: &Sharding, last: &Rebalance) -> Vec<String> {
    let why = match last.cause {
        Cause::Added(shard) => format!("{} joined", shard_name(usize::from(shard))),
        Cause::Removed(shard) => format!("{} left", shard_name(usize::from(shard))),
        Cause::Split => "Split".to_string(),
    };
    let (keys, size, time) = (users(last.keys), data(last.gb), duration(last.seconds(model.config().bandwidth_mbps)));
    vec![
        format!("{why}: moved {keys}, {size}, {time} to copy"),
        format!("{why}: {keys}, {size}, {time} to copy"),
        format!("{why}: {size} moved, {time} to copy"),
        format!("{why}: {size}, {time}"),
    ]
}

/// An arrow from one column to another with the data it carried, written in a gap in the
/// arrow when it is long enough, else beside it.
fn flow_arrow(sketch: &mut Sketch, columns: &Columns, from: usize, to: usize, y: f32, gb: f64) {
    let (x1, x2) = (columns.centre(from), columns.centre(to));
    let label = data(gb);
    let width = text_width(&label, MIN_FONT);
    let (low, high) = (x1.min(x2), x1.max(x2));
    if high - low >= width + 24.0 {
        let middle = (low + high) / 2.0;
        let (gap_low, gap_high) = (middle - width / 2.0 - 4.0, middle + width / 2.0 + 4.0);
        if x1 < x2 {
            sketch.line(x1, y, gap_low, y, false);
            sketch.arrow(gap_high, y, x2, y);
        } else {
            sketch.line(x1, y, gap_high, y, false);
            sketch.arrow(gap_low, y, x2, y);
        }
        sketch.text(middle, y + 4.0, MIN_FONT, Anchor::Middle, false, &label);
        return;
    }
    // Too short for the words inside (neighbouring columns): the arrow, at least 10 long so its
    // head shows, and the words on whichever side has room.
    let direction = if x2 >= x1 { 1.0 } else { -1.0 };
    let (start, end) = if high - low < 10.0 { ((x1 + x2) / 2.0 - 5.0 * direction, (x1 + x2) / 2.0 + 5.0 * direction) } else { (x1, x2) };
    sketch.arrow(start, y, end, y);
    let (left, right) = (start.min(end), start.max(end));
    if RIGHT - right >= width + 4.0 {
        sketch.text(right + 4.0, y + 4.0, MIN_FONT, Anchor::Start, false, &label);
    } else if left - LEFT >= width + 4.0 {
        sketch.text(left - 4.0, y + 4.0, MIN_FONT, Anchor::End, false, &label);
    }
}

/// One row per strategy: its busiest shard over the fair share, the requests throttled, and
/// its last rebalance's share of the data with the copy time.
fn draw_comparison(sketch: &mut Sketch, model: &Sharding) {
    let config = model.config();
    sketch.text(LEFT, TABLE_HEAD, MIN_FONT, Anchor::Start, true, "Strategy");
    sketch.text(BUSIEST_X, TABLE_HEAD, MIN_FONT, Anchor::Start, false, "busiest");
    sketch.text(THROTTLED_X, TABLE_HEAD, MIN_FONT, Anchor::Start, false, "throttled");
    sketch.text(MOVED_X, TABLE_HEAD, MIN_FONT, Anchor::Start, false, "last move");
    let total = f64::from(config.data_gb);
    for (index, plan) in model.plans().iter().enumerate() {
        let y = TABLE_HEAD + ROW_PITCH * (index + 1) as f32;
        let focused = plan.strategy() == model.focus();
        if focused {
            sketch.rect(2.0, y - 10.0, 3.0, 12.0, 1.0, Some(1));
        }
        sketch.text(LEFT, y, MIN_FONT, Anchor::Start, focused, plan.strategy().short());
        sketch.text(BUSIEST_X, y, MIN_FONT, Anchor::Start, focused, &format!("{} fair", times(plan.hottest_over_fair())));
        sketch.text(THROTTLED_X, y, MIN_FONT, Anchor::Start, focused, &percent(plan.throttled(config.shard_qps)));
        let moved = match plan.last() {
            Some(last) => {
                let (share, time) = (percent(last.gb / total), duration(last.seconds(config.bandwidth_mbps)));
                first_that_fits(&[format!("{share}, {time}"), share], MIN_FONT, RIGHT - MOVED_X)
            }
            None => "–".to_string(),
        };
        sketch.text(MOVED_X, y, MIN_FONT, Anchor::Start, focused, &moved);
    }
}

/// What the picture shows, for a screen reader.
fn summary(model: &Sharding, per: u64) -> String {
    let config = model.config();
    let plan = model.plan(model.focus());
    let (busiest, load) = plan.hottest();
    let quietest = (0..model.shards()).min_by(|a, b| plan.loads()[*a].total_cmp(&plan.loads()[*b]).then(a.cmp(b))).unwrap_or(0);
    let stored = |pick: fn(f64, f64) -> f64| plan.stored().iter().copied().reduce(pick).unwrap_or(0.0);
    let shards = format!(
        "the busiest shard, {}, gets {} requests/s ({} of its capacity, {} its fair share), the quietest, {}, {}; each stores {} to {}",
        shard_name(busiest),
        whole(load),
        capacity_share(model, plan, busiest),
        times(plan.hottest_over_fair()),
        shard_name(quietest),
        whole(plan.loads().get(quietest).copied().unwrap_or(0.0)),
        data(stored(f64::min)),
        data(stored(f64::max))
    );
    let compared: Vec<String> = model
        .plans()
        .iter()
        .map(|plan| {
            let moved = plan.last().map_or(String::new(), |last| format!(", last move {} in {}", data(last.gb), duration(last.seconds(config.bandwidth_mbps))));
            format!("{} busiest shard {} its fair share, {} throttled{moved}", plan.strategy().label(), times(plan.hottest_over_fair()), percent(plan.throttled(config.shard_qps)))
        })
        .collect();
    let salt = if model.workload().salted() { format!(", salted over {} sub-keys", model.workload().salt()) } else { String::new() };
    let hot = if config.hot_percent > 0 { format!(" {} gets {}% of requests{salt}.", super::workload::key_name(model.workload().hot_key()), config.hot_percent) } else { String::new() };
    format!(
        "At {:.1} s, {} over {} shards at {} requests a second (sizing says {}): {}.{hot} Compared: {}. Each dot stands for {} request{}.",
        model.time_ms() as f64 / 1000.0,
        model.focus().label(),
        model.shards(),
        whole(f64::from(config.rate)),
        group_thousands(model.sizing().shards as f64),
        shards,
        compared.join("; "),
        group_thousands(per as f64),
        if per == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::svg::escape;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Timeline};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests};
    use crate::viz::sharding::{Action, Setting, SHARDING_LIMIT, SHARDING_PARAMS};

    fn params(list: &[(&str, &str)]) -> Params {
        let mut params = Params::defaults(SHARDING_PARAMS);
        for (key, value) in list {
            params.set_text(key, value).unwrap_or_else(|message| panic!("{key}={value}: {message}"));
        }
        params
    }

    fn model(list: &[(&str, &str)]) -> Sharding {
        Sharding::new(&params(list), DEFAULT_SEED)
    }

    /// The requests drawn travelling: everything below the legend's row.
    fn travelling(svg: &str) -> Vec<(Outcome, f32, f32)> {
        drawn_requests(svg).into_iter().filter(|(_, _, y)| *y > ROUTER_BOTTOM).collect()
    }

    /// A fill path's data, by its tone.
    fn fill_path(svg: &str, tone: u8) -> String {
        svg.split(&format!(r#"<path class="pv-fill pv-fill--{tone}" d=""#)).nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("").to_string()
    }

    /// The heights of the bars in a fill path, in order.
    fn heights(path: &str) -> Vec<f32> {
        path.split('v').skip(1).step_by(2).filter_map(|rest| rest.trim_start_matches('-').split('h').next()?.parse().ok()).collect()
    }

    const FAULTS: [(u64, Action); 9] = [
        (10, Action::Set(Setting::Hot, 90)),
        (20, Action::AddShard),
        (30, Action::Salt(16)),
        (40, Action::SplitHotRange),
        (50, Action::RemoveShard),
        (60, Action::Set(Setting::Focus, 2)),
        (70, Action::RemoveShard),
        (80, Action::Set(Setting::Focus, 4)),
        (90, Action::Salt(1)),
    ];

    #[test]
    fn every_setting_draws_within_its_canvas_through_actions() {
        let extremes: [&[(&str, &str)]; 9] = [
            &[],
            &[("shards", "1")],
            &[("shards", "16"), ("focus", "hash"), ("rate", "1000000"), ("qps", "100")],
            &[("shards", "16"), ("focus", "fixed"), ("partitions", "1"), ("keys", "100")],
            &[("shards", "15"), ("focus", "ring"), ("vnodes", "1"), ("data", "1000000"), ("disk", "1"), ("bandwidth", "1")],
            &[("focus", "directory"), ("rate", "100"), ("qps", "1000000"), ("headroom", "0"), ("skew", "2")],
            &[("focus", "range"), ("order", "random"), ("skew", "0"), ("hot", "90"), ("reads", "100")],
            &[("shards", "9"), ("data", "1"), ("disk", "100000"), ("bandwidth", "100000"), ("headroom", "90")],
            &[("shards", "2"), ("keys", "100000"), ("rate", "999999"), ("hot", "1")],
        ];
        for list in extremes {
            let mut model = model(list);
            for tick in 0..120u64 {
                for (_, action) in FAULTS.iter().filter(|(at, _)| *at == tick) {
                    model.apply(action);
                }
                if tick % 5 == 0 {
                    let drawn = stage(&model).finish();
                    assert!(drawn.problems.is_empty(), "{list:?} tick {tick}: {:?}", drawn.problems);
                    assert!(drawn.svg.len() < 16_000, "{list:?} tick {tick}: {} bytes", drawn.svg.len());
                    assert!(travelling(&drawn.svg).len() <= crate::viz::sharding::MAX_DOTS);
                }
                model.step();
            }
        }
    }

    #[test]
    fn the_stage_is_a_pure_function_of_the_run() {
        let mut timeline = Timeline::<Sharding>::new(params(&[]), DEFAULT_SEED, SHARDING_LIMIT);
        for (at, action) in FAULTS {
            timeline.seek(at);
            timeline.act(action);
        }
        check_stage_is_pure(&mut timeline, 150, |model| stage(model).finish().svg);
    }

    #[test]
    fn each_request_travels_from_the_router_to_the_shard_that_owns_its_key() {
        let mut model = model(&[("hot", "40"), ("qps", "3000")]);
        let mut checked = 0;
        for tick in 0..200u64 {
            match tick {
                50 => model.apply(&Action::Salt(4)),
                100 => model.apply(&Action::Set(Setting::Focus, 1)),
                150 => model.apply(&Action::AddShard),
                _ => {}
            }
            model.step();
            let svg = stage(&model).finish().svg;
            let drawn = travelling(&svg);
            let plan = model.plan(model.focus());
            let columns = Columns::new(model.shards());
            assert_eq!(drawn.len(), model.dots().iter().filter(|dot| usize::from(dot.owners[plan.strategy().index()]) < model.shards()).count(), "tick {tick}");
            for dot in model.dots() {
                let shard = usize::from(dot.owners[plan.strategy().index()]);
                let load = plan.loads()[shard];
                let throttled = f64::from(dot.draw) < 1.0 - 3000.0 / load;
                let expected = if throttled { Outcome::Rejected } else if dot.fan_out { Outcome::Retried } else { Outcome::Ok };
                let (from, to) = ((160.0, ROUTER_BOTTOM + 5.0), (columns.centre(shard), SHARD_TOP - 6.0));
                let progress = (model.tick() as u32 - dot.sent + 1) as f32 / TRAVEL_TICKS as f32;
                let at = along(from, to, progress);
                assert!(drawn.iter().any(|(outcome, x, y)| *outcome == expected && (x - at.0).abs() < 0.1 && (y - at.1).abs() < 0.1), "tick {tick}: {dot:?} not drawn at {at:?}");
                checked += 1;
            }
        }
        assert!(checked > 2_000, "{checked}");
    }

    #[test]
    fn the_bars_show_requests_over_capacity_and_data_over_disk() {
        let model = model(&[]);
        let svg = stage(&model).finish().svg;
        let plan = model.plan(model.focus());
        let tall = SHARD_BOTTOM - SHARD_TOP - 4.0;
        // Range at the defaults: S1 to S3 under capacity (one path), S4 over it (another).
        let served = heights(&fill_path(&svg, 1));
        let expected: Vec<f32> = plan.loads()[..3].iter().map(|load| tall * (*load / 4_000.0) as f32).collect();
        assert_eq!(served.len(), 3, "{svg}");
        for (drawn, expected) in served.iter().zip(&expected) {
            assert!((drawn - expected).abs() < 0.06, "{drawn} against {expected}");
        }
        assert_eq!(heights(&fill_path(&svg, 4)), [tall], "the overloaded bar is full");
        let stored = heights(&fill_path(&svg, 2));
        for (drawn, gb) in stored.iter().zip(plan.stored()) {
            assert!((drawn - tall * (*gb / 500.0) as f32).abs() < 0.06, "{drawn} for {gb} GB");
        }
        // Only S4 is over capacity: its outline alone is dashed, and it is the one marked.
        assert_eq!(svg.matches("pv-line--dashed").count(), 4);
        assert!(svg.contains(&format!(r#"pv-text--strong" x="{:.1}" y="{NAME_Y:.1}" font-size="12" text-anchor="middle">S4<"#, Columns::new(4).centre(3))), "{svg}");
        assert_eq!(svg.matches("l4 7h-8Z").count(), 2, "the mark under S4 and beside the busiest line");
        for words in [">Range partitioning: 4 shards, 10,000/s<", ">sizing says<", ">4 shards<", ">1 dot = 500<", ">No data moved yet: add or remove a shard<", ">S4 busiest: 8,584/s, 215% of capacity<"] {
            assert!(svg.contains(words), "{words} missing: {svg}");
        }
        let label = aria_label(&svg);
        assert!(label.starts_with("At 0.0 s, Range partitioning over 4 shards at 10,000 requests a second (sizing says 4): the busiest shard, S4, gets 8,584 requests/s (215% of its capacity, 3.4× its fair share), the quietest, S1, 294;"), "{label}");
    }

    #[test]
    fn a_rebalance_is_drawn_as_arrows_and_costed() {
        let mut model = model(&[("focus", "ring")]);
        model.apply(&Action::AddShard);
        let svg = stage(&model).finish().svg;
        let last = model.plan(Strategy::Ring).last().expect("a record").clone();
        // The ring moves everything onto S5: the two largest flows end at its column.
        let columns = Columns::new(5);
        assert_eq!(svg.matches("pv-head").count(), 2);
        for flow in last.flows.iter().take(2) {
            assert_eq!(flow.to, 4);
            assert!(svg.contains(&format!(">{}<", data(flow.gb))), "{}", data(flow.gb));
            assert!(svg.contains(&format!(r#"<path class="pv-head" d="M{:.1} "#, columns.centre(4))), "{svg}");
        }
        let words = format!("S5 joined: {} moved, {} to copy", data(last.gb), duration(last.gb * 10.0));
        assert!(svg.contains(&format!(">{words}<")), "{words}: {svg}");
        // Removing it again: S5 stays drawn, dashed and crossed out, and its data leaves it.
        model.apply(&Action::RemoveShard);
        let svg = stage(&model).finish().svg;
        let ghost = Columns::new(5);
        let left = ghost.centre(4) - ghost.width / 2.0;
        assert!(svg.contains(&format!(r#"<line class="pv-line pv-line--dashed" x1="{left:.1}" y1="{SHARD_TOP:.1}" x2="{:.1}" y2="{SHARD_BOTTOM:.1}"/>"#, left + ghost.width)), "{svg}");
        for flow in model.plan(Strategy::Ring).last().expect("a record").flows.iter().take(2) {
            assert_eq!(flow.from, 4, "only the leaving shard's data moves");
        }
        assert!(svg.contains(">S5 left: "), "{svg}");
        // Another add: the ghost is gone.
        model.apply(&Action::AddShard);
        let svg = stage(&model).finish().svg;
        assert_eq!(svg.matches("pv-line--dashed").count(), 0, "{svg}");
    }

    #[test]
    fn the_comparison_has_a_row_per_strategy_with_the_focus_in_bold() {
        let mut model = model(&[("focus", "fixed")]);
        model.apply(&Action::AddShard);
        let svg = stage(&model).finish().svg;
        for (index, plan) in model.plans().iter().enumerate() {
            let focused = plan.strategy() == Strategy::Fixed;
            let class = if focused { "pv-text pv-text--strong" } else { "pv-text" };
            let y = TABLE_HEAD + ROW_PITCH * (index + 1) as f32;
            let cell = |x: f32, words: &str| format!(r#"<text class="{class}" x="{x:.1}" y="{y:.1}" font-size="12">{}</text>"#, escape(words));
            let last = plan.last().expect("a record");
            for (x, words) in [
                (LEFT, plan.strategy().short().to_string()),
                (BUSIEST_X, format!("{} fair", times(plan.hottest_over_fair()))),
                (THROTTLED_X, percent(plan.throttled(4_000))),
                (MOVED_X, format!("{}, {}", percent(last.gb / 1_000.0), duration(last.seconds(100)))),
            ] {
                assert!(svg.contains(&cell(x, &words)), "{:?}: {words}", plan.strategy());
            }
        }
        assert!(svg.contains(">Fixed partitions (64): 5 shards, 10,000/s<"), "{svg}");
        assert_eq!(svg.matches("pv-box pv-box--1").count(), 1, "one focus bar");
    }
}

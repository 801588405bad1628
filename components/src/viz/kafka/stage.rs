//! The stage: the cluster at the current tick, and each partition's log underneath.
//!
//! Top: the two producers at the left (a meter under each: the records it holds, unsent or
//! unanswered, of what its buffers can hold), the brokers as tall boxes side by side (a dead one
//! dashed and crossed out), the consumer group at the right. A row runs across the brokers per
//! partition: each replica is a chip in its broker's column, the leader filled, an in-sync
//! follower outlined, a follower out of sync struck through; an offline partition's row is
//! crossed by a dashed line and has no filled chip. A line joins each partition's row to the
//! consumer that owns it; during a rebalance there are none, and the consumers are dashed.
//! Messages travel as shapes: batches from a producer to a leader (arrowhead, or diamond when
//! sent again), answers back (dot, or cross for an error), copies from a leader to its followers
//! (square) and records to a consumer (ring). Fetch requests and empty answers are not drawn.
//!
//! Bottom: each partition's log as read (its leader's, or while offline its last in-sync
//! replica's), newest at the right: a cell per record, outlined in its producer's colour with
//! its key's letter; a record above the high-water mark (not yet on every in-sync replica) is a
//! short cell, and a record written twice has a bar along its top. A tall line marks the
//! high-water mark and a bar under the cells runs from the group's committed offset to it: the
//! lag, also written at the right. When a row would need more than `CELLS` cells, one cell
//! stands for 2, 5, 10… records, the same for every row, and the caption says so (duplicates are
//! then not marked).
//!
//! Everything is read from the model at this tick, so scrubbing, stepping back and a shared link
//! draw the same picture.

use std::fmt::Write;

use crate::diagram::text::text_width;
use crate::viz::poster::{along, first_that_fits, round_units, Anchor, Health, Outcome, Sketch, MIN_FONT};

use super::narration::counted;
use super::{broker_name, consumer_name, partition_name, producer_name, Body, Kafka, Message, Place, Reply, MAX_WAITING, PRODUCERS};

pub const HEIGHT: f32 = 348.0;
const LEGEND_Y: f32 = 14.0;
/// The brokers' boxes, and the partitions' rows across them.
const BOX_TOP: f32 = 22.0;
const BOX_BOTTOM: f32 = 180.0;
const ROWS_TOP: f32 = 46.0;
const ROWS_BOTTOM: f32 = 178.0;
const BROKERS_LEFT: f32 = 64.0;
const BROKERS_RIGHT: f32 = 250.0;
const ROW_LABEL_END: f32 = 61.0;
const PRODUCER_X: f32 = 4.0;
const PRODUCER_W: f32 = 34.0;
const PRODUCER_H: f32 = 22.0;
const CONSUMER_X: f32 = 276.0;
const CONSUMER_W: f32 = 40.0;
/// Where the lines to the consumers leave the rows.
const LINK_X: f32 = 253.0;
const KEY_Y: f32 = 196.0;
/// The logs: a caption, then a row per partition.
const CAPTION_Y: f32 = 214.0;
const LOG_TOP: f32 = 219.0;
const LOG_BOTTOM: f32 = 347.0;
const CELLS_LEFT: f32 = 24.0;
const CELL_PITCH: f32 = 17.0;
const CELL_W: f32 = 15.0;
/// Cells a log row shows.
pub const CELLS: u64 = 13;
const RIGHT: f32 = 316.0;
/// The most messages drawn at once.
pub const MAX_DRAWN: usize = 120;

const LEGEND: [(Outcome, &str); 6] = [(Outcome::InFlight, "send"), (Outcome::Retried, "retry"), (Outcome::Ok, "ack"), (Outcome::Rejected, "error"), (Outcome::Stale, "copy"), (Outcome::TimedOut, "read")];

/// Where things sit for this cluster's shape.
struct Layout {
    brokers: usize,
    partitions: usize,
    consumers: usize,
}

impl Layout {
    fn of(model: &Kafka) -> Self {
        Self { brokers: model.brokers().len().max(1), partitions: model.partitions().len().max(1), consumers: model.consumers().len() }
    }

    fn column_width(&self) -> f32 {
        (BROKERS_RIGHT - BROKERS_LEFT) / self.brokers as f32
    }

    fn column_x(&self, broker: usize) -> f32 {
        BROKERS_LEFT + self.column_width() * (broker as f32 + 0.5)
    }

    fn row_pitch(&self) -> f32 {
        (ROWS_BOTTOM - ROWS_TOP) / self.partitions as f32
    }

    fn row_y(&self, partition: usize) -> f32 {
        ROWS_TOP + self.row_pitch() * (partition as f32 + 0.5)
    }

    fn chip(&self) -> (f32, f32) {
        ((self.column_width() - 10.0).min(28.0).floor(), (self.row_pitch() - 3.0).min(13.0).floor())
    }

    fn producer_y(&self, producer: usize) -> f32 {
        ROWS_TOP + (ROWS_BOTTOM - ROWS_TOP) * (0.25 + 0.5 * producer as f32)
    }

    fn consumer_pitch(&self) -> f32 {
        (ROWS_BOTTOM - ROWS_TOP) / self.consumers.max(1) as f32
    }

    fn consumer_y(&self, slot: usize) -> f32 {
        ROWS_TOP + self.consumer_pitch() * (slot as f32 + 0.5)
    }

    fn log_pitch(&self) -> f32 {
        ((LOG_BOTTOM - LOG_TOP) / self.partitions as f32).min(18.0)
    }
}

/// How a message is drawn, if at all.
pub fn shape(body: &Body) -> Option<Outcome> {
    match body {
        Body::Produce { attempt: 0, .. } => Some(Outcome::InFlight),
        Body::Produce { .. } => Some(Outcome::Retried),
        Body::Answer { reply: Reply::Ok { .. }, .. } => Some(Outcome::Ok),
        Body::Answer { .. } => Some(Outcome::Rejected),
        Body::Copy { records, .. } if !records.is_empty() => Some(Outcome::Stale),
        Body::Read { records, .. } if !records.is_empty() => Some(Outcome::TimedOut),
        _ => None,
    }
}

/// The records one log cell stands for: the first round number at which every partition's
/// stretch from its committed offset to its log end fits in `CELLS` cells.
pub fn records_per_cell(model: &Kafka) -> u64 {
    let widest = model.partitions().iter().enumerate().map(|(index, partition)| {
        let end = partition.main_log().len();
        end - model.group().committed.get(index).copied().unwrap_or(0).min(end)
    });
    let widest = widest.max().unwrap_or(0);
    round_units().find(|unit| widest.div_ceil(*unit) <= CELLS).unwrap_or(1)
}

/// The cluster at its current tick.
pub fn stage(model: &Kafka) -> Sketch {
    let layout = Layout::of(model);
    let mut sketch = Sketch::new(HEIGHT, &summary(model));
    sketch.legend_with(8.0, LEGEND_Y, &LEGEND);
    draw_brokers(&mut sketch, model, &layout);
    draw_rows(&mut sketch, model, &layout);
    draw_producers(&mut sketch, model, &layout);
    draw_consumers(&mut sketch, model, &layout);
    draw_key(&mut sketch);
    draw_logs(&mut sketch, model, &layout);
    for message in model.messages().iter().take(MAX_DRAWN) {
        draw_message(&mut sketch, model, &layout, message);
    }
    sketch
}

fn draw_brokers(sketch: &mut Sketch, model: &Kafka, layout: &Layout) {
    let width = layout.column_width() - 6.0;
    for (index, broker) in model.brokers().iter().enumerate() {
        let health = if broker.up { Health::Up } else { Health::Down };
        sketch.component(layout.column_x(index) - width / 2.0, BOX_TOP, width, BOX_BOTTOM - BOX_TOP, health, 0.0, MIN_FONT, &broker_name(index));
    }
}

/// A rectangle's outline as path data (sizes to the unit: these are redrawn every frame).
fn outline(d: &mut String, x: f32, y: f32, width: f32, height: f32) {
    let _ = write!(d, "M{x:.1} {y:.1}h{width:.0}v{height:.0}h-{width:.0}Z");
}

/// An out-of-sync replica: its outline struck through.
fn slashed(d: &mut String, x: f32, y: f32, width: f32, height: f32) {
    outline(d, x, y, width, height);
    let _ = write!(d, "M{x:.1} {:.1}l{width:.0}-{height:.0}", y + height);
}

fn dashed_box(sketch: &mut Sketch, x: f32, y: f32, width: f32, height: f32) {
    sketch.line(x, y, x + width, y, true);
    sketch.line(x + width, y, x + width, y + height, true);
    sketch.line(x, y + height, x + width, y + height, true);
    sketch.line(x, y, x, y + height, true);
}

/// Each partition's replicas as chips on its row, and its name at the left.
fn draw_rows(sketch: &mut Sketch, model: &Kafka, layout: &Layout) {
    let (chip_w, chip_h) = layout.chip();
    let (mut leaders, mut outlines) = (String::new(), String::new());
    for (index, partition) in model.partitions().iter().enumerate() {
        let y = layout.row_y(index);
        sketch.text(ROW_LABEL_END, y + 4.0, MIN_FONT, Anchor::End, partition.offline(), &partition_name(index));
        if partition.offline() {
            sketch.line(BROKERS_LEFT, y, BROKERS_RIGHT, y, true);
        }
        for replica in &partition.replicas {
            let (x, top) = (layout.column_x(usize::from(*replica)) - chip_w / 2.0, y - chip_h / 2.0);
            if partition.leader == Some(*replica) {
                outline(&mut leaders, x, top, chip_w, chip_h);
                outline(&mut outlines, x, top, chip_w, chip_h);
            } else if partition.in_sync(*replica) {
                outline(&mut outlines, x, top, chip_w, chip_h);
            } else {
                slashed(&mut outlines, x, top, chip_w, chip_h);
            }
        }
    }
    if !leaders.is_empty() {
        sketch.fill(&leaders, Some(3));
    }
    if !outlines.is_empty() {
        sketch.path(&outlines, None);
    }
}

fn draw_producers(sketch: &mut Sketch, model: &Kafka, layout: &Layout) {
    let capacity = (MAX_WAITING * model.partitions().len()).max(1) as f32;
    for (index, producer) in model.producers().iter().enumerate().take(PRODUCERS) {
        let top = layout.producer_y(index) - PRODUCER_H / 2.0;
        sketch.labelled_box(PRODUCER_X, top, PRODUCER_W, PRODUCER_H, Some(index as u8 + 1), MIN_FONT, &producer_name(index));
        let held: usize = producer.lanes.iter().map(|lane| lane.held()).sum();
        sketch.meter(PRODUCER_X, top + PRODUCER_H + 3.0, PRODUCER_W, 5.0, held as f32 / capacity, Some(index as u8 + 1));
    }
}

fn draw_consumers(sketch: &mut Sketch, model: &Kafka, layout: &Layout) {
    let heading = if model.rebalancing() { "paused" } else { "group" };
    sketch.text(RIGHT, 36.0, MIN_FONT, Anchor::End, model.rebalancing(), heading);
    if model.consumers().is_empty() {
        sketch.text(RIGHT, layout.consumer_y(0) + 4.0, MIN_FONT, Anchor::End, false, "none");
        return;
    }
    let height = (layout.consumer_pitch() - 3.0).min(22.0).floor();
    let (mut boxes, mut links) = (String::new(), String::new());
    for (slot, consumer) in model.consumers().iter().enumerate() {
        let y = layout.consumer_y(slot);
        if model.rebalancing() {
            dashed_box(sketch, CONSUMER_X, y - height / 2.0, CONSUMER_W, height);
        } else {
            outline(&mut boxes, CONSUMER_X, y - height / 2.0, CONSUMER_W, height);
        }
        sketch.text(CONSUMER_X + CONSUMER_W / 2.0, y + 4.2, MIN_FONT, Anchor::Middle, true, &consumer_name(consumer.id));
        for owned in &consumer.owned {
            let _ = write!(links, "M{LINK_X:.1} {:.1}L{CONSUMER_X:.1} {y:.1}", layout.row_y(usize::from(owned.partition)));
        }
    }
    for d in [boxes, links].iter().filter(|d| !d.is_empty()) {
        sketch.path(d, None);
    }
}

/// What the chips mean.
fn draw_key(sketch: &mut Sketch) {
    let mut x = 8.0;
    for (index, word) in ["leader", "in sync", "not in sync"].iter().enumerate() {
        let top = KEY_Y - 10.0;
        match index {
            0 => {
                let mut d = String::new();
                outline(&mut d, x, top, 14.0, 10.0);
                sketch.fill(&d, Some(3));
                sketch.path(&d, None);
            }
            1 => {
                let mut d = String::new();
                outline(&mut d, x, top, 14.0, 10.0);
                sketch.path(&d, None);
            }
            _ => {
                let mut d = String::new();
                slashed(&mut d, x, top, 14.0, 10.0);
                sketch.path(&d, None);
            }
        }
        sketch.text(x + 18.0, KEY_Y, MIN_FONT, Anchor::Start, false, word);
        x += 18.0 + text_width(word, MIN_FONT) + 12.0;
    }
}

fn draw_logs(sketch: &mut Sketch, model: &Kafka, layout: &Layout) {
    let unit = records_per_cell(model);
    // The key at the right: a lag bar, then a high-water line.
    let hw_word = "high-water";
    let hw_x = RIGHT - text_width(hw_word, MIN_FONT);
    sketch.text(RIGHT, CAPTION_Y, MIN_FONT, Anchor::End, false, hw_word);
    sketch.line(hw_x - 5.0, CAPTION_Y - 11.0, hw_x - 5.0, CAPTION_Y + 2.0, false);
    let lag_x = hw_x - 12.0 - text_width("lag", MIN_FONT);
    sketch.text(lag_x, CAPTION_Y, MIN_FONT, Anchor::Start, false, "lag");
    sketch.fill(&format!("M{:.1} {:.1}h14v3h-14Z", lag_x - 18.0, CAPTION_Y - 4.0), None);
    let caption = if unit == 1 {
        vec!["Logs, newest at the right".to_string(), "Logs, newest right".to_string(), "Logs".to_string()]
    } else {
        vec![format!("Logs, 1 cell = {unit} records"), format!("Logs, 1 cell = {unit}"), format!("1 cell = {unit}")]
    };
    sketch.text(8.0, CAPTION_Y, MIN_FONT, Anchor::Start, true, &first_that_fits(&caption, MIN_FONT, lag_x - 26.0));

    let pitch = layout.log_pitch();
    let cell_h = (pitch - 4.0).min(12.0);
    let mut tones: [String; 3] = Default::default();
    let mut marks = String::new();
    let mut lines = String::new();
    for (index, partition) in model.partitions().iter().enumerate() {
        let top = LOG_TOP + pitch * index as f32;
        sketch.text(4.0, top + cell_h - 1.0, MIN_FONT, Anchor::Start, false, &partition_name(index));
        let log = partition.main_log();
        let end = log.len();
        let first = end.saturating_sub(CELLS * unit);
        let boundary = |offset: u64| CELLS_LEFT - 1.0 + (offset.saturating_sub(first)) as f32 / unit as f32 * CELL_PITCH;
        for cell in 0..CELLS {
            let (from, to) = (first + cell * unit, (first + (cell + 1) * unit).min(end));
            if from >= end {
                break;
            }
            let x = CELLS_LEFT + cell as f32 * CELL_PITCH;
            let safe = to <= partition.hw;
            let (y, height) = if safe { (top, cell_h) } else { (top + cell_h / 2.0, cell_h / 2.0) };
            let record = log.get(from).filter(|_| unit == 1);
            let tone = record.map_or(0, |record| usize::from(record.producer % 2) + 1);
            outline(&mut tones[tone], x, y, CELL_W, height);
            if let Some(record) = record {
                if record.dup {
                    let _ = write!(marks, "M{x:.1} {top:.1}h{CELL_W}v2.5h-{CELL_W}Z");
                }
                if safe {
                    sketch.text(x + CELL_W / 2.0, top + cell_h - 1.5, MIN_FONT, Anchor::Middle, true, &super::hash::key_letter(record.key).to_string());
                }
            }
        }
        let (hw_x, committed) = (boundary(partition.hw), model.group().committed.get(index).copied().unwrap_or(0));
        if end > 0 {
            let _ = write!(lines, "M{hw_x:.1} {:.1}V{:.1}", top - 1.5, top + cell_h + 3.0);
        }
        if committed < partition.hw {
            let start = boundary(committed);
            let _ = write!(marks, "M{start:.1} {:.1}H{hw_x:.1}v2.5H{start:.1}Z", top + cell_h + 0.5);
        }
        let right = if partition.offline() { "offline".to_string() } else { format!("lag {}", model.lag(index)) };
        sketch.text(RIGHT, top + cell_h - 1.0, MIN_FONT, Anchor::End, partition.offline(), &right);
    }
    for (tone, d) in tones.iter().enumerate().filter(|(_, d)| !d.is_empty()) {
        sketch.path(d, (tone > 0).then_some(tone as u8));
    }
    if !marks.is_empty() {
        sketch.fill(&marks, None);
    }
    if !lines.is_empty() {
        sketch.path(&lines, None);
    }
}

/// Where a message is now, on the straight line between its two ends.
fn draw_message(sketch: &mut Sketch, model: &Kafka, layout: &Layout, message: &Message) {
    let Some(outcome) = shape(&message.body) else { return };
    let partition = usize::from(message.partition);
    let (chip_w, _) = layout.chip();
    let point = |place: Place| -> Option<(f32, f32)> {
        match place {
            Place::Producer(producer) => Some((PRODUCER_X + PRODUCER_W + 5.0, layout.producer_y(usize::from(producer)))),
            Place::Broker(broker) => Some((layout.column_x(usize::from(broker)), layout.row_y(partition))),
            Place::Consumer(id) => model.consumers().iter().position(|consumer| consumer.id == id).map(|slot| (CONSUMER_X - 5.0, layout.consumer_y(slot))),
        }
    };
    let (Some(from), Some(to)) = (point(message.from), point(message.to)) else { return };
    // Off the chips' middles, so a shape leaving or reaching a chip is seen beside it.
    let inset = |a: (f32, f32), b: (f32, f32), place: Place| if matches!(place, Place::Broker(_)) { along(a, b, (chip_w / 2.0 + 4.0) / distance(a, b)) } else { a };
    let (start, end) = (inset(from, to, message.from), inset(to, from, message.to));
    let (x, y) = along(start, end, model.progress(message));
    sketch.request(x, y, outcome);
}

fn distance(a: (f32, f32), b: (f32, f32)) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt().max(1.0)
}

/// What the picture shows, in words, for a screen reader.
fn summary(model: &Kafka) -> String {
    let settings = model.settings();
    let config = model.config();
    let mut parts = vec![format!(
        "Kafka: {} brokers, a topic of {}, each copied {} times; acks={}, min.insync.replicas={}, {}.",
        model.brokers().len(),
        counted(model.partitions().len() as u64, "partition"),
        config.replication,
        settings.acks.key(),
        settings.min_insync,
        if settings.idempotent() { "idempotent producers" } else { "producers without idempotence" }
    )];
    let down: Vec<String> = (0..model.brokers().len()).filter(|broker| !model.brokers()[*broker].up).map(broker_name).collect();
    if !down.is_empty() {
        parts.push(format!("Down: {}.", down.join(", ")));
    }
    let names = |test: &dyn Fn(usize) -> bool| (0..model.partitions().len()).filter(|index| test(*index)).map(partition_name).collect::<Vec<_>>();
    let offline = names(&|index| model.partitions()[index].offline());
    let short = names(&|index| !model.partitions()[index].offline() && model.partitions()[index].isr_size() < model.partitions()[index].replicas.len());
    match (offline.is_empty(), short.is_empty()) {
        (true, true) => parts.push("Every partition has a leader and all its replicas in sync.".to_string()),
        _ => {
            if !offline.is_empty() {
                parts.push(format!("Offline: {}.", offline.join(", ")));
            }
            if !short.is_empty() {
                parts.push(format!("Short of in-sync replicas: {}.", short.join(", ")));
            }
        }
    }
    let unread = names(&|index| model.owner(index).is_none());
    let lagging: Vec<String> = (0..model.partitions().len()).filter(|index| model.lag(*index) > 0).map(|index| format!("{} {}", partition_name(index), model.lag(index))).collect();
    parts.push(format!("{} in the group; lag {}{}.", counted(model.consumers().len() as u64, "consumer"), model.total_lag(), if lagging.is_empty() { String::new() } else { format!(" ({})", lagging.join(", ")) }));
    if !unread.is_empty() && !model.rebalancing() {
        parts.push(format!("Nobody reads {}.", unread.join(", ")));
    }
    if model.rebalancing() {
        parts.push("The group is rebalancing.".to_string());
    }
    let totals = model.totals();
    parts.push(format!("Lost after an acknowledgement: {}; written twice: {}; processed again: {}; per-key order violations: {}.", totals.lost, totals.written_twice, totals.reprocessed, totals.order_violations));
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Simulation, Timeline};
    use crate::viz::kafka::{Acks, Action, KAFKA_LIMIT, KAFKA_PARAMS, KAFKA_TICKS_PER_SECOND};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, pairs};

    fn model(list: &[(&str, &str)], seed: u64) -> Kafka {
        Kafka::new(&Params::from_pairs(KAFKA_PARAMS, &pairs(list)).0, seed)
    }

    fn run(model: &mut Kafka, schedule: &[(u64, Action)], until: u64) {
        while model.tick() < until {
            model.step();
            let now = model.tick();
            for (_, action) in schedule.iter().filter(|(at, _)| *at == now) {
                model.apply(action);
            }
        }
    }

    /// The shapes drawn for messages: everything below the legend's row.
    fn messages_drawn(svg: &str) -> Vec<(Outcome, f32, f32)> {
        drawn_requests(svg).into_iter().filter(|(_, _, y)| *y > LEGEND_Y + 4.0).collect()
    }

    /// Every text of the drawing: (x, y, words).
    fn texts(svg: &str) -> Vec<(f32, f32, String)> {
        let number = |tag: &str, key: &str| tag.split(&format!(" {key}=\"")).nth(1).and_then(|rest| rest.split('"').next()).and_then(|value| value.parse().ok()).unwrap_or(f32::NAN);
        svg.split("<text ")
            .skip(1)
            .map(|part| {
                let (tag, rest) = part.split_once('>').unwrap_or((part, ""));
                (number(tag, "x"), number(tag, "y"), rest.split("</text>").next().unwrap_or("").to_string())
            })
            .collect()
    }

    #[test]
    fn every_setting_draws_within_its_canvas_through_faults() {
        let extremes: [&[(&str, &str)]; 6] = [
            &[],
            &[("brokers", "5"), ("partitions", "8"), ("rf", "3"), ("consumers", "8"), ("rate", "100"), ("consume", "1")],
            &[("brokers", "3"), ("partitions", "1"), ("rf", "1"), ("consumers", "1"), ("rate", "100"), ("consume", "100")],
            &[("brokers", "4"), ("partitions", "7"), ("rf", "2"), ("consumers", "3"), ("acks", "0"), ("rate", "100")],
            &[("brokers", "5"), ("partitions", "3"), ("rf", "3"), ("consumers", "8"), ("acks", "1"), ("idem", "0"), ("minisr", "3")],
            &[("brokers", "many"), ("partitions", "-3"), ("rate", "NaN"), ("acks", "2"), ("seed", "x")],
        ];
        let faults = [(300, Action::Kill(0)), (500, Action::LoseAck), (700, Action::Kill(1)), (800, Action::CrashConsumer(0)), (1000, Action::Restart(0)), (1100, Action::AddConsumer), (1300, Action::SetAcks(Acks::Zero)), (1500, Action::Kill(2)), (1700, Action::Restart(1)), (1900, Action::Restart(2)), (2000, Action::SetSpeed(1))];
        for list in extremes {
            let mut model = model(list, DEFAULT_SEED);
            for until in (0..3000).step_by(7) {
                run(&mut model, &faults, until);
                let drawn = stage(&model).finish();
                assert!(drawn.problems.is_empty(), "{list:?} tick {until}: {:?}", drawn.problems);
                assert!(drawn.svg.len() < 24_000, "{list:?} tick {until}: {} bytes", drawn.svg.len());
            }
        }
    }

    #[test]
    fn the_first_records_move_within_a_second_of_play_and_keep_moving() {
        let mut model = model(&[], DEFAULT_SEED);
        while messages_drawn(&stage(&model).finish().svg).is_empty() {
            model.step();
        }
        assert!(model.tick() as f64 <= KAFKA_TICKS_PER_SECOND, "the first record travels only after {} ticks", model.tick());
        let (mut with, mut total) = (0, 0);
        while model.tick() < 2000 {
            model.step();
            total += 1;
            with += usize::from(!messages_drawn(&stage(&model).finish().svg).is_empty());
        }
        assert!(with * 10 >= total * 9, "messages drawn on {with} of {total} ticks");
    }

    #[test]
    fn each_message_is_drawn_by_its_kind_on_its_way() {
        for list in [&[][..], &[("brokers", "5"), ("partitions", "8"), ("consumers", "3"), ("rate", "60"), ("idem", "0")][..]] {
            let mut model = model(list, 3);
            let faults = [(400, Action::Kill(1)), (420, Action::LoseAck), (700, Action::Restart(1))];
            let mut seen = [0usize; 6];
            for until in (1..1200).step_by(3) {
                run(&mut model, &faults, until);
                let svg = stage(&model).finish().svg;
                let drawn = messages_drawn(&svg);
                // Each partition's row, from its label in the cluster (the first of its name).
                let rows: Vec<f32> = (0..model.partitions().len()).map(|index| texts(&svg).into_iter().find(|(_, _, words)| *words == partition_name(index)).map_or(f32::NAN, |(_, y, _)| y - 4.0)).collect();
                for outcome in Outcome::ALL {
                    let expected: Vec<&Message> = model.messages().iter().filter(|message| shape(&message.body) == Some(outcome)).collect();
                    let found: Vec<&(Outcome, f32, f32)> = drawn.iter().filter(|(kind, _, _)| *kind == outcome).collect();
                    assert_eq!(found.len(), expected.len(), "{list:?} tick {until}: {outcome:?}");
                    seen[outcome as usize] += found.len();
                    for (_, x, y) in found {
                        let ok = match outcome {
                            // Copies run along their partition's row, between brokers.
                            Outcome::Stale => rows.iter().any(|row| (row - y).abs() < 0.2) && (BROKERS_LEFT..=BROKERS_RIGHT).contains(x),
                            // Reads run from a broker to a consumer.
                            Outcome::TimedOut => (BROKERS_LEFT..=CONSUMER_X).contains(x),
                            // Batches and answers run between a producer and a broker.
                            _ => (PRODUCER_X + PRODUCER_W..=BROKERS_RIGHT).contains(x),
                        };
                        assert!(ok, "{list:?} tick {until}: {outcome:?} at ({x}, {y})");
                    }
                }
            }
            for outcome in [Outcome::InFlight, Outcome::Retried, Outcome::Ok, Outcome::Stale, Outcome::TimedOut] {
                assert!(seen[outcome as usize] > 0, "{list:?}: never saw {outcome:?}");
            }
        }
    }

    #[test]
    fn the_logs_show_each_record_s_key_the_high_water_mark_and_the_lag() {
        let mut model = model(&[], 2);
        run(&mut model, &[], 700);
        assert_eq!(records_per_cell(&model), 1);
        let svg = stage(&model).finish().svg;
        let texts = texts(&svg);
        let pitch = Layout::of(&model).log_pitch();
        for (index, partition) in model.partitions().iter().enumerate() {
            let letters_y = LOG_TOP + pitch * index as f32 + 12.0 - 1.5;
            let drawn: String = texts.iter().filter(|(x, y, _)| (y - letters_y).abs() < 0.06 && *x > CELLS_LEFT).map(|(_, _, words)| words.as_str()).collect();
            let log = partition.main_log();
            let expected: String = (log.len().saturating_sub(CELLS)..partition.hw).map(|offset| super::super::hash::key_letter(log.get(offset).unwrap().key)).collect();
            assert_eq!(drawn, expected, "p{index}");
            assert!(texts.iter().any(|(_, _, words)| *words == format!("lag {}", model.lag(index))), "p{index}");
        }
        assert!(svg.contains(">Logs, newest at the right<"));

        // Consumers far behind: one cell stands for several records, the same in every row.
        let mut slow = self::model(&[("consume", "1"), ("rate", "50")], 2);
        run(&mut slow, &[], 1500);
        let widest = (0..4).map(|index| slow.partitions()[index].main_log().len() - slow.group().committed[index]).max().unwrap();
        let unit = [1, 2, 5, 10, 20, 50, 100, 200].into_iter().find(|unit| widest.div_ceil(*unit) <= 13).unwrap();
        assert!(unit >= 20, "{widest}");
        assert_eq!(records_per_cell(&slow), unit);
        assert!(stage(&slow).finish().svg.contains(&format!(">Logs, 1 cell = {unit} records<")));
    }

    #[test]
    fn dead_brokers_offline_partitions_and_rebalances_are_drawn_and_said() {
        let mut model = model(&[("rf", "2")], 5);
        run(&mut model, &[(300, Action::Kill(1)), (400, Action::Kill(0)), (480, Action::AddConsumer)], 500);
        let svg = stage(&model).finish().svg;
        assert_eq!(svg.matches("pv-part--down").count(), 2, "two brokers crossed out");
        // p0 (B1, B2) lost both; p1 (B2, B3) and p3 (B1, B2) too, depending on who was left in sync.
        let offline: Vec<usize> = (0..4).filter(|index| model.partitions()[*index].offline()).collect();
        assert!(offline.contains(&0));
        assert_eq!(svg.matches(">offline<").count(), offline.len());
        assert!(svg.contains(">paused<"), "the group is rebalancing");
        let label = aria_label(&svg);
        let names: Vec<String> = offline.iter().map(|index| partition_name(*index)).collect();
        assert!(label.starts_with(&format!("Kafka: 3 brokers, a topic of 4 partitions, each copied 2 times; acks=all, min.insync.replicas=2, idempotent producers. Down: B1, B2. Offline: {}.", names.join(", "))), "{label}");
        assert!(label.contains("3 consumers in the group") && label.contains("The group is rebalancing."), "{label}");
        run(&mut model, &[], 600);
        let svg = stage(&model).finish().svg;
        assert!(svg.contains(">group<") && !svg.contains(">paused<"));
        assert!(!aria_label(&svg).contains("rebalancing"));
    }

    #[test]
    fn the_stage_is_a_pure_function_of_the_run() {
        let mut timeline = Timeline::<Kafka>::new(Params::defaults(KAFKA_PARAMS), DEFAULT_SEED, KAFKA_LIMIT);
        for (at, action) in [(200, Action::Kill(2)), (300, Action::LoseAck), (350, Action::AddConsumer), (500, Action::Restart(2)), (600, Action::SetRate(60))] {
            timeline.seek(at);
            timeline.act(action);
        }
        check_stage_is_pure(&mut timeline, 700, |model| stage(model).finish().svg);
    }
}

//! The stage: the cluster at the current tick. The four users are on the left; the leader is in
//! the middle with a second outline (its middle line says "new leader" after a failover), and
//! the read router under it; every other node is on the right, in slot order: a follower with
//! its lag in ms and a row of cells, one per entry it has not applied yet (up to `CELLS`),
//! dashed while slowed; a dead node crossed out, saying how many writes only it holds.
//!
//! Posts travel from a user to the leader as arrowheads and the OK comes back as a dot. Log
//! entries travel from the leader to each follower as diamonds, in order, and the follower's
//! acknowledgement comes back as a ring. A page load goes through the router to the replicas
//! its two queries were routed to (the leader when no follower qualified) as two arrowheads,
//! and each half comes back as a dot, or a square when it broke a guarantee (missing the
//! user's post, missing something seen before, or missing the question of an answer shown). A
//! dead node's refusal comes back as a cross. A link with more than `MAX_SHIPS` entries on
//! their way draws one diamond for every so many (said above the picture: "1 dot = 5 entries").
//!
//! Underneath: the p50 and p99 of write acknowledgement under each mode for the same writes, in
//! ms (the mode in force in bold), the stale page loads per guarantee (bold when the guarantee is
//! on), the writes lost at failovers, and the traffic so far.
//!
//! Everything is read from the model at this tick, so scrubbing, stepping back and a shared link
//! draw the same picture.

use std::fmt::Write;

use crate::diagram::text::text_width;
use crate::viz::poster::{along, first_that_fits, round_units, Anchor, Health, Outcome, Sketch, MIN_FONT, WIDTH};

use super::{capitalised, counted, format_ms, name, Guarantee, Mode, Replication, Role, TripKind, MAX_NODES, PEOPLE, USERS};

pub const HEIGHT: f32 = 342.0;
/// The legend's baseline, then the line saying what the leader waits for.
pub const LEGEND_Y: f32 = 14.0;
const STATUS_Y: f32 = 32.0;
/// Users: boxes down the left.
const USER_X: f32 = 4.0;
const USER_W: f32 = 54.0;
const USER_H: f32 = 24.0;
const USER_TOP: f32 = 52.0;
const USER_PITCH: f32 = 44.0;
/// The leader's box, and the router's under it.
pub const LEADER_X: f32 = 100.0;
pub const LEADER_Y: f32 = 52.0;
pub const MIDDLE_W: f32 = 84.0;
const LEADER_H: f32 = 56.0;
const ROUTER_Y: f32 = 176.0;
const ROUTER_H: f32 = 26.0;
const RULES_Y: f32 = 219.0;
/// The other nodes: a column of rows on the right.
pub const COLUMN_X: f32 = 232.0;
const COLUMN_TOP: f32 = 46.0;
const ROW_H: f32 = 44.0;
const ROW_PITCH: f32 = 48.0;
/// Where replication enters a row's box, and where reads do, below its top.
const SHIP_IN: f32 = 12.0;
const READ_IN: f32 = 32.0;
/// A travelling shape stops this far short of a box.
const GAP: f32 = 5.0;
/// Cells a follower's row shows for the entries it lacks.
pub const CELLS: u32 = 12;
/// The most diamonds one link draws at once.
pub const MAX_SHIPS: usize = 30;
/// The numbers: headings, then three rows, then two lines.
const TABLE_Y: f32 = 250.0;
const TABLE_PITCH: f32 = 15.0;
const LATENCY_END: f32 = 166.0;
const STALE_X: f32 = 176.0;
const RIGHT: f32 = 314.0;
const LOST_Y: f32 = 318.0;
const TRAFFIC_Y: f32 = 334.0;

const LEGEND: [(Outcome, &str); 6] = [(Outcome::InFlight, "sent"), (Outcome::Ok, "ok"), (Outcome::Stale, "stale"), (Outcome::Retried, "entry"), (Outcome::TimedOut, "ack"), (Outcome::Rejected, "failed")];

/// Where a user's box is, top left.
pub fn user_box(user: usize) -> (f32, f32) {
    (USER_X, USER_TOP + user as f32 * USER_PITCH)
}

/// The top of each node's row on the right (the leader has none), centred in the column.
pub fn rows(model: &Replication) -> [Option<f32>; MAX_NODES] {
    let mut tops = [None; MAX_NODES];
    let others: Vec<usize> = (0..MAX_NODES).filter(|slot| *slot != model.leader() && model.nodes()[*slot].role != Role::Absent).collect();
    let offset = (MAX_NODES - 1 - others.len()) as f32 * ROW_PITCH / 2.0;
    for (row, slot) in others.into_iter().enumerate() {
        tops[slot] = Some(COLUMN_TOP + offset + row as f32 * ROW_PITCH);
    }
    tops
}

/// The fixed points the paths run through.
struct Points {
    rows: [Option<f32>; MAX_NODES],
    leader: usize,
}

impl Points {
    fn user(&self, user: u8) -> (f32, f32) {
        let (x, y) = user_box(usize::from(user));
        (x + USER_W + GAP, y + USER_H / 2.0)
    }

    fn row(&self, node: u8) -> Option<f32> {
        self.rows.get(usize::from(node)).copied().flatten()
    }

    /// A post's way from a user to a node: the leader, or a node that has died since (one that
    /// has left the cluster too is drawn going to the leader's box).
    fn write_path(&self, user: u8, node: u8) -> [(f32, f32); 2] {
        let end = match self.row(node) {
            Some(top) if usize::from(node) != self.leader => (COLUMN_X - GAP, top + ROW_H / 2.0),
            _ => (LEADER_X - GAP, LEADER_Y + LEADER_H / 2.0),
        };
        [self.user(user), end]
    }

    /// A page query's way: the user, the router, the replica (a node that has left the cluster
    /// on the way is drawn at the router).
    fn read_path(&self, user: u8, node: u8) -> [(f32, f32); 4] {
        let router_left = (LEADER_X - GAP, ROUTER_Y + ROUTER_H / 2.0);
        let router_right = (LEADER_X + MIDDLE_W + GAP, ROUTER_Y + ROUTER_H / 2.0);
        let (turn, end) = match self.row(node) {
            _ if usize::from(node) == self.leader => ((LEADER_X + MIDDLE_W / 2.0, ROUTER_Y - GAP), (LEADER_X + MIDDLE_W / 2.0, LEADER_Y + LEADER_H + GAP)),
            Some(top) => (router_right, (COLUMN_X - GAP, top + READ_IN)),
            None => (router_right, router_right),
        };
        [self.user(user), router_left, turn, end]
    }

    /// Replication's way from the leader to a node on the right.
    fn ship_path(&self, node: u8) -> Option<[(f32, f32); 2]> {
        Some([(LEADER_X + MIDDLE_W + GAP, LEADER_Y + 16.0), (COLUMN_X - GAP, self.row(node)? + SHIP_IN)])
    }
}

/// The point `progress` of the way along a path of straight pieces, by length.
fn along_path(path: &[(f32, f32)], progress: f32) -> (f32, f32) {
    let pieces = || path.windows(2).map(|pair| (pair[0], pair[1], ((pair[1].0 - pair[0].0).powi(2) + (pair[1].1 - pair[0].1).powi(2)).sqrt()));
    let total: f32 = pieces().map(|(_, _, length)| length).sum();
    let mut left = total * progress.clamp(0.0, 1.0);
    for (from, to, length) in pieces() {
        if left <= length {
            return along(from, to, left / length.max(f32::EPSILON));
        }
        left -= length;
    }
    path.last().copied().unwrap_or((0.0, 0.0))
}

/// Draws a shape `progress` of the way along `path`, or back along it when `back`.
fn travel(sketch: &mut Sketch, path: &[(f32, f32)], progress: f32, back: bool, outcome: Outcome) {
    let (x, y) = along_path(path, if back { 1.0 - progress } else { progress });
    sketch.request(x, y, outcome);
}

/// The cluster at its current tick.
pub fn stage(model: &Replication) -> Sketch {
    let points = Points { rows: rows(model), leader: model.leader() };
    let mut sketch = Sketch::new(HEIGHT, &summary(model));
    sketch.legend_with(8.0, LEGEND_Y, &LEGEND);
    let per_dot = ship_unit(model);
    draw_status(&mut sketch, model, per_dot);
    draw_links(&mut sketch, model, &points);
    draw_users(&mut sketch);
    draw_leader(&mut sketch, model);
    draw_router(&mut sketch, model);
    draw_rows(&mut sketch, model, &points);
    draw_numbers(&mut sketch, model);
    draw_travellers(&mut sketch, model, &points, per_dot);
    sketch
}

/// How many entries a diamond stands for: the first round number that keeps every link within
/// `MAX_SHIPS`. A diamond is a shipment whose last entry is a multiple of it, so it keeps its
/// place from tick to tick.
pub fn ship_unit(model: &Replication) -> u64 {
    let mut busiest = [0usize; MAX_NODES];
    for ship in model.ships() {
        busiest[usize::from(ship.to) % MAX_NODES] += 1;
    }
    let most = busiest.into_iter().max().unwrap_or(0) as u64;
    round_units().find(|unit| most.div_ceil(*unit) <= MAX_SHIPS as u64).unwrap_or(1)
}

fn draw_status(sketch: &mut Sketch, model: &Replication, per_dot: u64) {
    let mut room = WIDTH - 16.0;
    if per_dot > 1 {
        let note = format!("1 dot = {per_dot} entries");
        sketch.text(RIGHT, STATUS_Y, MIN_FONT, Anchor::End, false, &note);
        room -= text_width(&note, MIN_FONT) + 10.0;
    }
    let mode = model.settings().mode;
    let options = [format!("{}: OK after {}", capitalised(mode.short()), mode.waits_for()), format!("{}: OK after {}", capitalised(mode.short()), ["leader", "1 follower", "all"][mode.index()]), capitalised(mode.short())];
    sketch.text(8.0, STATUS_Y, MIN_FONT, Anchor::Start, true, &first_that_fits(&options, MIN_FONT, room));
}

/// Every link, under the boxes: users to the leader and to the router, the router to the
/// leader, and the leader and router to each node on the right (dashed to a dead node, which
/// nothing is sent to).
fn draw_links(sketch: &mut Sketch, model: &Replication, points: &Points) {
    let mut solid = String::new();
    for user in 0..USERS as u8 {
        let [from, to] = points.write_path(user, model.leader() as u8);
        let _ = write!(solid, "M{:.1} {:.1}L{:.1} {:.1}", from.0 - GAP, from.1, to.0 + GAP, to.1);
        let (from, to) = (points.user(user), (LEADER_X, ROUTER_Y + ROUTER_H / 2.0));
        let _ = write!(solid, "M{:.1} {:.1}L{:.1} {:.1}", from.0 - GAP, from.1, to.0, to.1);
    }
    let middle = LEADER_X + MIDDLE_W / 2.0;
    let _ = write!(solid, "M{middle:.1} {:.1}V{ROUTER_Y:.1}", LEADER_Y + LEADER_H);
    for (slot, top) in points.rows.iter().enumerate() {
        let Some(top) = top else { continue };
        let (x1, x2) = (LEADER_X + MIDDLE_W, COLUMN_X);
        if model.nodes()[slot].serving() {
            let _ = write!(solid, "M{x1:.1} {:.1}L{x2:.1} {:.1}", LEADER_Y + 16.0, top + SHIP_IN);
            let _ = write!(solid, "M{x1:.1} {:.1}L{x2:.1} {:.1}", ROUTER_Y + ROUTER_H / 2.0, top + READ_IN);
        } else {
            sketch.line(x1, LEADER_Y + 16.0, x2, top + SHIP_IN, true);
        }
    }
    sketch.path(&solid, None);
}

fn draw_users(sketch: &mut Sketch) {
    for (user, person) in PEOPLE.iter().enumerate() {
        let (x, y) = user_box(user);
        sketch.labelled_box(x, y, USER_W, USER_H, None, MIN_FONT, person.name);
    }
}

fn draw_leader(sketch: &mut Sketch, model: &Replication) {
    let (x, y) = (LEADER_X, LEADER_Y);
    sketch.rect(x - 3.0, y - 3.0, MIDDLE_W + 6.0, LEADER_H + 6.0, 8.0, Some(3));
    sketch.component(x, y, MIDDLE_W, LEADER_H, Health::Up, 0.0, MIN_FONT, &name(model.leader()));
    let role = if model.epoch() > 1 { "new leader" } else { "leader" };
    sketch.text(x + MIDDLE_W / 2.0, y + 31.0, MIN_FONT, Anchor::Middle, false, role);
    let log = first_that_fits(&[format!("log {}", model.log_len()), model.log_len().to_string()], MIN_FONT, MIDDLE_W - 8.0);
    sketch.text(x + MIDDLE_W / 2.0, y + 46.0, MIN_FONT, Anchor::Middle, false, &log);
}

fn draw_router(sketch: &mut Sketch, model: &Replication) {
    sketch.labelled_box(LEADER_X, ROUTER_Y, MIDDLE_W, ROUTER_H, None, MIN_FONT, "router");
    let guarantees = model.settings().guarantees;
    let on: Vec<&str> = Guarantee::ALL.iter().zip(["RYW", "monotonic", "prefix"]).filter(|(guarantee, _)| guarantees.is_on(**guarantee)).map(|(_, word)| word).collect();
    let options = if on.is_empty() {
        vec!["reads: any follower".to_string(), "any follower".to_string()]
    } else {
        vec![format!("reads: {}", on.join(" + ")), on.join(" + "), on.join("+")]
    };
    // Centred under the router, clear of the users' boxes and the column.
    let room = 2.0 * (LEADER_X + MIDDLE_W / 2.0 - USER_X - USER_W - 4.0);
    sketch.text(LEADER_X + MIDDLE_W / 2.0, RULES_Y, MIN_FONT, Anchor::Middle, false, &first_that_fits(&options, MIN_FONT, room));
}

/// The nodes on the right: followers with their lag, dead nodes crossed out.
fn draw_rows(sketch: &mut Sketch, model: &Replication, points: &Points) {
    let mut cells = String::new();
    let room = MIDDLE_W - 8.0;
    for (slot, top) in points.rows.iter().enumerate() {
        let Some(y) = *top else { continue };
        let node = model.nodes()[slot];
        let x = COLUMN_X;
        let label = if node.speed > 1 { format!("{} ×{}", name(slot), node.speed) } else { name(slot) };
        if node.role == Role::Down {
            sketch.component(x, y, MIDDLE_W, ROW_H, Health::Down, 0.0, MIN_FONT, &label);
            let note = if node.extra > 0 { vec![format!("{} lost", node.extra), format!("+{}", node.extra)] } else { vec!["down".to_string()] };
            sketch.text(x + MIDDLE_W / 2.0, y + 31.0, MIN_FONT, Anchor::Middle, false, &first_that_fits(&note, MIN_FONT, room));
            continue;
        }
        let health = if node.speed > 1 { Health::Degraded } else { Health::Up };
        sketch.component(x, y, MIDDLE_W, ROW_H, health, 0.0, MIN_FONT, &label);
        let pending = model.pending(slot);
        let lag = if pending == 0 {
            vec!["in sync".to_string()]
        } else {
            let behind = format_ms(model.behind_ms(slot));
            vec![format!("lag {behind}"), behind]
        };
        sketch.text(x + MIDDLE_W / 2.0, y + 30.0, MIN_FONT, Anchor::Middle, false, &first_that_fits(&lag, MIN_FONT, room));
        for cell in 0..pending.min(CELLS) {
            let _ = write!(cells, "M{:.1} {:.1}h5v4h-5Z", x + 6.0 + cell as f32 * 6.0, y + 35.0);
        }
    }
    if !cells.is_empty() {
        sketch.fill(&cells, Some(1));
    }
}

/// The numbers that compare the choices, under the picture.
fn draw_numbers(sketch: &mut Sketch, model: &Replication) {
    let current = model.settings().mode;
    sketch.text(8.0, TABLE_Y, MIN_FONT, Anchor::Start, true, "Write OK");
    sketch.text(LATENCY_END, TABLE_Y, MIN_FONT, Anchor::End, true, "p50 / p99 ms");
    for (row, mode) in Mode::ALL.iter().enumerate() {
        let y = TABLE_Y + (row + 1) as f32 * TABLE_PITCH;
        let strong = *mode == current;
        let latencies = model.latencies(*mode);
        let shown = |quantile: f64| latencies.percentile(quantile).map_or("–".to_string(), |ms| ms.to_string());
        sketch.text(8.0, y, MIN_FONT, Anchor::Start, strong, mode.short());
        // Both, or only p99 when a slow run makes the numbers too long to sit beside the name.
        let room = LATENCY_END - 8.0 - text_width(mode.short(), MIN_FONT) - 8.0;
        let options = [format!("{} / {}", shown(0.5), shown(0.99)), format!("p99 {}", shown(0.99))];
        sketch.text(LATENCY_END, y, MIN_FONT, Anchor::End, strong, &first_that_fits(&options, MIN_FONT, room));
    }
    let counts = model.counts();
    sketch.text(STALE_X, TABLE_Y, MIN_FONT, Anchor::Start, true, &first_that_fits(&["Stale page loads".to_string(), "Stale loads".to_string()], MIN_FONT, RIGHT - STALE_X));
    let names: [&[&str]; 3] = [&["read-your-writes", "own posts", "RYW"], &["monotonic reads", "monotonic", "mono"], &["consistent prefix", "prefix"]];
    for (row, guarantee) in Guarantee::ALL.iter().enumerate() {
        let y = TABLE_Y + (row + 1) as f32 * TABLE_PITCH;
        let count = counts.stale[guarantee.index()].to_string();
        sketch.text(RIGHT, y, MIN_FONT, Anchor::End, true, &count);
        let room = RIGHT - STALE_X - text_width(&count, MIN_FONT) - 6.0;
        let options: Vec<String> = names[row].iter().map(|word| word.to_string()).collect();
        sketch.text(STALE_X, y, MIN_FONT, Anchor::Start, model.settings().guarantees.is_on(*guarantee), &first_that_fits(&options, MIN_FONT, room));
    }
    let (acked, unacked) = (counts.lost_acknowledged_total(), counts.lost_unacknowledged);
    let lost = [format!("Lost at failovers: {acked} acknowledged, {unacked} not"), format!("Lost: {acked} acknowledged, {unacked} not"), format!("Lost: {acked} acked, {unacked} not")];
    sketch.text(8.0, LOST_Y, MIN_FONT, Anchor::Start, acked > 0, &first_that_fits(&lost, MIN_FONT, RIGHT - 8.0));
    let traffic = [
        format!("{}, {}, {} from the leader", counted(counts.writes, "post"), counted(counts.reads, "page load"), counts.reads_from_leader),
        format!("{} posts, {} loads, {} from leader", counts.writes, counts.reads, counts.reads_from_leader),
        format!("{} posts, {} loads", counts.writes, counts.reads),
    ];
    sketch.text(8.0, TRAFFIC_Y, MIN_FONT, Anchor::Start, false, &first_that_fits(&traffic, MIN_FONT, RIGHT - 8.0));
}

/// Everything on its way, drawn last so it sits on top.
fn draw_travellers(sketch: &mut Sketch, model: &Replication, points: &Points, per_dot: u64) {
    for ship in model.ships().iter().filter(|ship| u64::from(ship.last) % per_dot == 0) {
        if let Some(path) = points.ship_path(ship.to) {
            travel(sketch, &path, model.progress(ship.sent, ship.arrives), false, Outcome::Retried);
        }
    }
    for ack in model.acks() {
        if let Some(path) = points.ship_path(ack.from) {
            travel(sketch, &path, model.progress(ack.sent, ack.arrives), true, Outcome::TimedOut);
        }
    }
    for read in model.reads() {
        for node in read.targets {
            travel(sketch, &points.read_path(read.user, node), model.progress(read.sent, read.arrives), false, Outcome::InFlight);
        }
    }
    for trip in model.trips() {
        let progress = model.progress(trip.sent, trip.arrives);
        let (read, outcome) = match trip.kind {
            TripKind::Write(_) => (false, Outcome::InFlight),
            TripKind::Ok { .. } => (false, Outcome::Ok),
            TripKind::Refused { read } => (read, Outcome::Rejected),
            TripKind::Reply { stale } => (true, if stale { Outcome::Stale } else { Outcome::Ok }),
        };
        if read {
            travel(sketch, &points.read_path(trip.user, trip.node), progress, true, outcome);
        } else {
            let forward = matches!(trip.kind, TripKind::Write(_));
            travel(sketch, &points.write_path(trip.user, trip.node), progress, !forward, outcome);
        }
    }
}

/// What the picture shows, in words, for a screen reader.
pub fn summary(model: &Replication) -> String {
    let settings = model.settings();
    let mut others = Vec::new();
    for slot in (0..MAX_NODES).filter(|slot| *slot != model.leader()) {
        let node = model.nodes()[slot];
        let slowed = if node.speed > 1 { format!("slowed ×{}, ", node.speed) } else { String::new() };
        match node.role {
            Role::Follower => others.push(format!("follower {} ({slowed}{} behind, {} pending)", name(slot), format_ms(model.behind_ms(slot)), counted(model.pending(slot), "entry"))),
            Role::Down => others.push(format!("{} down with {} only it has", name(slot), counted(node.extra, "write"))),
            Role::Leader | Role::Absent => {}
        }
    }
    let others = if others.is_empty() { "no other node".to_string() } else { others.join(", ") };
    let on: Vec<&str> = Guarantee::ALL.iter().filter(|guarantee| settings.guarantees.is_on(**guarantee)).map(|guarantee| guarantee.label()).collect();
    let reads = if on.is_empty() { "any follower".to_string() } else { on.join(", ") };
    let latencies: Vec<String> = Mode::ALL
        .iter()
        .map(|mode| {
            let latencies = model.latencies(*mode);
            let shown = |quantile: f64| latencies.percentile(quantile).map_or("none yet".to_string(), format_ms);
            format!("{} {} / {}", mode.short(), shown(0.5), shown(0.99))
        })
        .collect();
    let counts = model.counts();
    format!(
        "{} replication: leader {} with {others}. Reads: {reads}. {}, {} and {} on their way. Write OK p50 / p99: {}. Stale page loads: {} read-your-writes, {} monotonic, {} consistent prefix. Acknowledged writes lost at failovers: {}.",
        capitalised(settings.mode.label()),
        name(model.leader()),
        counted(model.trips().iter().filter(|trip| matches!(trip.kind, TripKind::Write(_))).count() as u32, "post"),
        counted(model.reads().len() as u32, "page load"),
        counted(model.ships().len() as u32, "shipment"),
        latencies.join(", "),
        counts.stale[0],
        counts.stale[1],
        counts.stale[2],
        counts.lost_acknowledged_total()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Simulation, Timeline};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, pairs};
    use crate::viz::replication::{Action, Kind, Mode, Trip, NET_MS, REPLICATION_LIMIT, REPLICATION_PARAMS, REPLICATION_TICKS_PER_SECOND};

    fn params(list: &[(&str, &str)]) -> Params {
        Params::from_pairs(REPLICATION_PARAMS, &pairs(list)).0
    }

    fn model(list: &[(&str, &str)], seed: u64) -> Replication {
        Replication::new(&params(list), seed)
    }

    /// The shapes drawn for things on their way: everything below the legend's row.
    fn travelling(svg: &str) -> Vec<(Outcome, f32, f32)> {
        drawn_requests(svg).into_iter().filter(|(_, _, y)| *y > LEGEND_Y + 4.0).collect()
    }

    fn count(drawn: &[(Outcome, f32, f32)], outcome: Outcome) -> usize {
        drawn.iter().filter(|(kind, _, _)| *kind == outcome).count()
    }

    /// How far (x, y) lies from the segment from `a` to `b`.
    fn off_segment((x, y): (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let length = (dx * dx + dy * dy).max(f32::EPSILON);
        let t = (((x - a.0) * dx + (y - a.1) * dy) / length).clamp(0.0, 1.0);
        ((x - a.0 - t * dx).powi(2) + (y - a.1 - t * dy).powi(2)).sqrt()
    }

    #[test]
    fn every_setting_draws_within_its_canvas_through_failures() {
        let extremes: [&[(&str, &str)]; 6] = [
            &[("followers", "1")],
            &[("followers", "4"), ("writes", "10"), ("reads", "20")],
            &[("followers", "4"), ("lag", "2000"), ("slow", "20"), ("writes", "10"), ("reads", "20"), ("mode", "sync")],
            &[("followers", "3"), ("lag", "10"), ("slow", "1"), ("writes", "10"), ("mode", "semi"), ("ryw", "1"), ("mono", "1"), ("prefix", "1")],
            &[("followers", "2"), ("writes", "0"), ("reads", "0")],
            &[("followers", "many"), ("lag", "-3"), ("writes", "NaN"), ("seed", "x")],
        ];
        let faults = [
            (300, Action::Speed(1, 20)),
            (500, Action::Fail(None)),
            (700, Action::Add),
            (800, Action::Post(0)),
            (900, Action::Fail(None)),
            (1100, Action::Rejoin(0)),
            (1300, Action::Remove(2)),
            (1500, Action::Fail(Some(3))),
            (1800, Action::Mode(Mode::Sync)),
            (2000, Action::Set(Guarantee::ReadYourWrites, true)),
            (2200, Action::Lag(2000)),
            (2500, Action::Rejoin(1)),
            (2600, Action::Add),
            (2700, Action::Add),
        ];
        for list in extremes {
            let mut model = model(list, DEFAULT_SEED);
            for tick in 0..4000u64 {
                for (_, action) in faults.iter().filter(|(at, _)| *at == tick) {
                    model.apply(action);
                }
                if tick % 7 == 0 {
                    let drawn = stage(&model).finish();
                    assert!(drawn.problems.is_empty(), "{list:?} tick {tick}: {:?}", drawn.problems);
                    assert!(drawn.svg.len() < 24_000, "{list:?} tick {tick}: {} bytes", drawn.svg.len());
                }
                model.step();
            }
        }
    }

    #[test]
    fn everything_on_its_way_is_drawn_once_by_its_kind() {
        let mut model = model(&[("followers", "3"), ("writes", "6"), ("reads", "10")], 5);
        let mut checked = 0;
        for tick in 0..6000u64 {
            match tick {
                2000 => model.apply(&Action::Fail(None)),
                3000 => model.apply(&Action::Rejoin(0)),
                4000 => model.apply(&Action::Speed(2, 10)),
                _ => {}
            }
            model.step();
            if tick % 3 != 0 {
                continue;
            }
            let svg = stage(&model).finish().svg;
            let drawn = travelling(&svg);
            let unit = ship_unit(&model);
            let trips = |keep: fn(&Trip) -> bool| model.trips().iter().filter(|trip| keep(trip)).count();
            let posts = trips(|trip| matches!(trip.kind, TripKind::Write(_)));
            assert_eq!(count(&drawn, Outcome::InFlight), posts + 2 * model.reads().len(), "tick {tick}");
            assert_eq!(count(&drawn, Outcome::Retried), model.ships().iter().filter(|ship| u64::from(ship.last) % unit == 0).count(), "tick {tick}");
            assert_eq!(count(&drawn, Outcome::TimedOut), model.acks().len(), "tick {tick}");
            assert_eq!(count(&drawn, Outcome::Ok), trips(|trip| matches!(trip.kind, TripKind::Ok { .. } | TripKind::Reply { stale: false })), "tick {tick}");
            assert_eq!(count(&drawn, Outcome::Stale), trips(|trip| trip.kind == TripKind::Reply { stale: true }), "tick {tick}");
            assert_eq!(count(&drawn, Outcome::Rejected), trips(|trip| matches!(trip.kind, TripKind::Refused { .. })), "tick {tick}");
            // Each shipment on the line from the leader to its follower's row.
            let tops = rows(&model);
            for ship in model.ships().iter().filter(|ship| u64::from(ship.last) % unit == 0) {
                let to = (COLUMN_X - GAP, tops[usize::from(ship.to)].unwrap() + SHIP_IN);
                let on_line = drawn.iter().any(|(outcome, x, y)| *outcome == Outcome::Retried && off_segment((*x, *y), (LEADER_X + MIDDLE_W + GAP, LEADER_Y + 16.0), to) < 0.2);
                assert!(on_line, "tick {tick}: {ship:?}");
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked} shipments checked");
    }

    #[test]
    fn a_stale_half_page_comes_back_to_its_user_as_a_square() {
        // As in the model's test: Alice's reload reaches db2 at 90 ms, before her post does.
        let mut model = model(&[("followers", "1"), ("lag", "500"), ("slow", "1"), ("writes", "0"), ("reads", "0")], 4);
        model.apply(&Action::Post(0));
        while model.tick() < 91 {
            model.step();
        }
        let row = rows(&model)[1].unwrap();
        let at_db2 = (COLUMN_X - GAP, row + READ_IN);
        let alice = (USER_X + USER_W + GAP, USER_TOP + USER_H / 2.0);
        let near = |svg: &str, outcome: Outcome, point: (f32, f32)| travelling(svg).iter().any(|(kind, x, y)| *kind == outcome && (x - point.0).abs() < 12.0 && (y - point.1).abs() < 12.0);
        let svg = stage(&model).finish().svg;
        assert_eq!(count(&travelling(&svg), Outcome::Stale), 1, "{svg}");
        assert!(near(&svg, Outcome::Stale, at_db2) && near(&svg, Outcome::Ok, at_db2), "both halves leave db2");
        while model.tick() < 119 {
            model.step();
        }
        let svg = stage(&model).finish().svg;
        assert!(near(&svg, Outcome::Stale, alice), "the stale half reaches Alice");
        assert!(svg.contains(">1</text>"), "one read-your-writes anomaly counted");
        assert!(aria_label(&svg).contains("Stale page loads: 1 read-your-writes, 0 monotonic, 0 consistent prefix."));
    }

    #[test]
    fn a_failover_crosses_out_the_dead_leader_and_marks_the_new_one() {
        let mut model = model(&[("followers", "2"), ("lag", "2000"), ("slow", "1"), ("writes", "0"), ("reads", "0")], 8);
        for user in 0..3 {
            model.apply(&Action::Post(user));
        }
        while model.tick() < 100 {
            model.step();
        }
        let before = stage(&model).finish().svg;
        assert!(before.contains(">leader<") && before.contains(">log 3<") && !before.contains("pv-part--down"));
        assert_eq!(before.matches("h5v4h-5Z").count(), 6, "three pending cells on each follower's row");
        model.apply(&Action::Fail(None));
        let drawn = stage(&model).finish();
        assert!(drawn.problems.is_empty(), "{:?}", drawn.problems);
        let svg = drawn.svg;
        assert_eq!(svg.matches("pv-part--down").count(), 1);
        for words in [">new leader<", ">log 0<", ">3 lost<", ">Lost at failovers: 3 acknowledged, 0 not<"] {
            assert!(svg.contains(words), "{words}: {svg}");
        }
        assert!(svg.contains(r#"class="pv-line pv-line--dashed""#), "nothing is sent to the dead node");
        let label = aria_label(&svg);
        assert!(label.starts_with("Asynchronous replication: leader db2 with db1 down with 3 writes only it has, follower db3 (0 ms behind, 0 entries pending)."), "{label}");
        model.apply(&Action::Rejoin(0));
        let svg = stage(&model).finish().svg;
        assert_eq!(svg.matches("pv-part--down").count(), 0);
        assert!(!svg.contains("pv-line--dashed"));
    }

    #[test]
    fn a_post_is_watchable_and_something_moves_soon_after_play() {
        // A post takes NET_MS to reach the leader: at least a quarter of a real second at 1×.
        assert!(NET_MS as f64 / REPLICATION_TICKS_PER_SECOND >= 0.25);
        let mut model = model(&[], DEFAULT_SEED);
        let first = (1..=200).find(|_| {
            model.step();
            !travelling(&stage(&model).finish().svg).is_empty()
        });
        assert!(first.is_some(), "nothing drawn moving in the first two real seconds");
    }

    #[test]
    fn a_busy_link_draws_one_diamond_for_several_entries_and_says_so() {
        let mut model = model(&[("followers", "1"), ("lag", "2000"), ("slow", "20"), ("writes", "10"), ("reads", "0")], 3);
        while model.tick() < 20_000 {
            model.step();
        }
        let unit = ship_unit(&model);
        assert!(model.ships().len() > MAX_SHIPS && unit > 1, "{} shipments", model.ships().len());
        let svg = stage(&model).finish().svg;
        assert!(svg.contains(&format!(">1 dot = {unit} entries<")), "{svg}");
        assert!(count(&travelling(&svg), Outcome::Retried) <= MAX_SHIPS);
        assert_eq!(svg.matches("h5v4h-5Z").count(), CELLS as usize, "a full row of pending cells");
    }

    #[test]
    fn the_stage_is_a_pure_function_of_the_run() {
        let mut timeline = Timeline::<Replication>::new(params(&[]), DEFAULT_SEED, REPLICATION_LIMIT);
        for (at, action) in [(600, Action::Post(1)), (800, Action::Mode(Mode::Semi)), (1100, Action::Fail(None)), (1300, Action::Speed(2, 8)), (1500, Action::Rejoin(0)), (1600, Action::Set(Guarantee::Monotonic, true))] {
            timeline.seek(at);
            timeline.act(action);
        }
        // Just as a post leaves, so something moves for the next 20 ticks.
        timeline.seek(1700);
        while !timeline.state().trips().iter().any(|trip| trip.sent == timeline.tick() && matches!(trip.kind, TripKind::Write(Kind::Question | Kind::Answer))) {
            timeline.step_forward();
        }
        let from = timeline.tick();
        check_stage_is_pure(&mut timeline, from, |model| stage(model).finish().svg);
    }
}

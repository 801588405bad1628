//! The stage: the balancer in focus and its servers as they stand at the current tick, with
//! every balancer's latencies so far underneath.
//!
//! The balancer is the tall box at the left; a link runs from it to each server in its pool.
//! Requests travel out along the upper side of a link as arrowheads and come back along the
//! lower side as green dots (answered) or red crosses (failed). Each server has its queue drawn
//! as a row of cells just before it, filled from the front (the right), with the count written
//! when it is not empty, and its box is tinted by how many of its workers are busy, dashed while
//! slowed and crossed out while dead. A link is dashed once the balancer stops sending on it and
//! says why: the health checks marked the server down, or it is draining. A dead server still
//! marked up keeps a solid link: the requests sent there bounce back as failures.
//!
//! Underneath, one row per balancer: its p50 (upper bar) and p99 (lower bar) over every answer
//! so far, on a log scale up to the slowest p99, with the numbers and the share of requests that
//! failed. The one in focus is framed.
//!
//! The model has no network time (see the module documentation of `balancer`), so a request's
//! journey is drawn over `TRAVEL_TICKS` from the tick it was sent; its answer leaves when it is
//! given, but not before the request has been drawn arriving. A dot is a trip whose number in
//! its fleet is a multiple of what a dot is worth, so it keeps its place from tick to tick, and
//! scrubbing, stepping back and a shared link draw the same picture.

use crate::sim::number::group_thousands;
use crate::sim::Simulation;
use crate::viz::poster::{first_that_fits, round_units, Anchor, Health, Outcome, Sketch, MIN_FONT};

use super::{format_ms, name, Balancer, Fleet, Server, Station, Trip, TripKind, TICK_MS, TRAVEL_TICKS};

const HEIGHT: f32 = 330.0;
const RIGHT: f32 = 314.0;
/// The fleet: its rows between these, each at most `MAX_PITCH` tall.
const FLEET_TOP: f32 = 40.0;
const FLEET_BOTTOM: f32 = 218.0;
const MAX_PITCH: f32 = 44.0;
const LB_LEFT: f32 = 6.0;
const LB_RIGHT: f32 = 58.0;
/// Where a travelling request's centre starts and stops, and where the link ends.
const WIRE_FROM: f32 = 63.0;
const WIRE_TO: f32 = 142.0;
const LINK_END: f32 = 146.0;
/// A link's requests go out on it and come back this far below it; its words sit above it.
const LANE: f32 = 7.0;
const NOTE_ABOVE: f32 = 4.0;
/// The queue: its count ends at `COUNT_END`, then `CELLS` cells, then the server's box.
const COUNT_END: f32 = 172.0;
const CELLS_LEFT: f32 = 176.0;
const CELL: f32 = 7.0;
pub const CELLS: usize = 8;
const BOX_LEFT: f32 = 236.0;
const BOX_WIDTH: f32 = 80.0;
/// The comparison: its heading's baseline, then a row per balancer.
const STRIP_HEAD: f32 = 238.0;
const STRIP_PITCH: f32 = 14.0;
const NAME_X: f32 = 8.0;
const BARS_LEFT: f32 = 112.0;
const BARS_WIDTH: f32 = 70.0;
const NUMBERS_X: f32 = 186.0;
/// What a dot is worth is set by the run's rate so it holds through a run: on average at most
/// `EXPECTED_DOTS` travelling; a burst beyond `MAX_DOTS` (a killed server's queue failing at
/// once) takes a larger dot while it lasts.
const EXPECTED_DOTS: f64 = 20.0;
pub const MAX_DOTS: usize = 60;

/// The balancers at the current tick, on a 320 × 330 canvas (see the module documentation).
pub fn stage(balancer: &Balancer) -> Sketch {
    let fleet = balancer.fleet(balancer.focus());
    let rows = rows(fleet);
    let now = balancer.tick() as u32;
    let per = dot_size(balancer, fleet, &rows);
    let mut sketch = Sketch::new(HEIGHT, &summary(balancer, &rows, per));

    let algorithm = balancer.focus().label();
    let rate = group_thousands(balancer.config().rate_per_second().round());
    let sticky = if balancer.sticky() { ", sticky" } else { "" };
    let count = rows.slots.len();
    let servers = if count == 1 { "1 server".to_string() } else { format!("{count} servers") };
    let heading = [format!("{algorithm}{sticky}: {rate} requests/s to {servers}"), format!("{algorithm}{sticky}: {rate}/s to {servers}"), format!("{algorithm}{sticky}: {rate}/s")];
    sketch.text(NAME_X, 14.0, MIN_FONT, Anchor::Start, true, &first_that_fits(&heading, MIN_FONT, RIGHT - NAME_X));
    let legend = sketch.legend_with(NAME_X, 32.0, &[(Outcome::InFlight, "sent"), (Outcome::Ok, "answered"), (Outcome::Rejected, "failed")]);
    let note = first_that_fits(&[format!("1 dot = {}", requests(per)), format!("1 dot = {}", group_thousands(per as f64))], MIN_FONT, RIGHT - NAME_X - legend - 8.0);
    sketch.text(RIGHT, 32.0, MIN_FONT, Anchor::End, false, &note);

    sketch.rect(LB_LEFT, FLEET_TOP, LB_RIGHT - LB_LEFT, FLEET_BOTTOM - FLEET_TOP, 6.0, None);
    sketch.labelled_box(LB_LEFT, FLEET_TOP, LB_RIGHT - LB_LEFT, 30.0, None, MIN_FONT, balancer.focus().short());
    if rows.slots.is_empty() {
        sketch.text(WIRE_FROM, FLEET_TOP + 20.0, MIN_FONT, Anchor::Start, false, "Every server has left");
    }
    let mut cells = String::new();
    for (row, slot) in rows.slots.iter().enumerate() {
        draw_server(&mut sketch, balancer, fleet, *slot, rows.mid(row), rows.pitch, &mut cells);
    }
    sketch.fill(&cells, Some(1));
    for trip in fleet.trips().filter(|trip| trip.seq % per == 0) {
        if let Some((x, y, outcome)) = place(trip, now, &rows) {
            sketch.request(x, y, outcome);
        }
    }
    draw_comparison(&mut sketch, balancer);
    sketch
}

/// The servers still in the focus fleet, top to bottom, and how tall each row is.
struct Rows {
    slots: Vec<usize>,
    pitch: f32,
}

impl Rows {
    fn mid(&self, row: usize) -> f32 {
        FLEET_TOP + self.pitch * (row as f32 + 0.5)
    }

    fn mid_of(&self, slot: u8) -> Option<f32> {
        self.slots.iter().position(|each| *each == usize::from(slot)).map(|row| self.mid(row))
    }
}

fn rows(fleet: &Fleet) -> Rows {
    let slots: Vec<usize> = fleet.stations().iter().enumerate().filter(|(_, station)| !station.left).map(|(slot, _)| slot).collect();
    let pitch = ((FLEET_BOTTOM - FLEET_TOP) / slots.len().max(1) as f32).min(MAX_PITCH);
    Rows { slots, pitch }
}

/// Where a trip is drawn now, and its shape; `None` once it has arrived, or before it leaves.
fn place(trip: &Trip, now: u32, rows: &Rows) -> Option<(f32, f32, Outcome)> {
    let travel = TRAVEL_TICKS as f32;
    let departs = trip.departs();
    let age = now.checked_sub(departs).filter(|age| *age < TRAVEL_TICKS)?;
    let progress = (age + 1) as f32 / travel;
    let Some(slot) = trip.server else {
        // Refused at the balancer, with no server in rotation: it drops down inside the box.
        let top = FLEET_TOP + 38.0;
        return Some(((LB_LEFT + LB_RIGHT) / 2.0, top + (FLEET_BOTTOM - 8.0 - top) * progress, Outcome::Rejected));
    };
    let mid = rows.mid_of(slot)?;
    let span = WIRE_TO - WIRE_FROM;
    Some(match trip.kind {
        TripKind::Sent => (WIRE_FROM + span * progress, mid, Outcome::InFlight),
        TripKind::Answered => (WIRE_TO - span * progress, mid + LANE, Outcome::Ok),
        TripKind::Failed => (WIRE_TO - span * progress, mid + LANE, Outcome::Rejected),
    })
}

/// How many trips one dot stands for: 1, 2, 5, 10… (see `EXPECTED_DOTS`). At five billion a
/// trip at most is drawn, so the search ends.
fn dot_size(balancer: &Balancer, fleet: &Fleet, rows: &Rows) -> u64 {
    let expected = balancer.config().rate_per_second() * f64::from(TRAVEL_TICKS * TICK_MS) / 1000.0 * 2.0;
    let now = balancer.tick() as u32;
    round_units()
        .find(|&per| expected / per as f64 <= EXPECTED_DOTS && fleet.trips().filter(|trip| trip.seq % per == 0 && place(trip, now, rows).is_some()).count() <= MAX_DOTS)
        .unwrap_or(u64::MAX)
}

/// How a server is drawn: crossed out while dead, dashed while slowed.
fn health(server: &Server) -> Health {
    if server.dead {
        Health::Down
    } else if server.slow {
        Health::Degraded
    } else {
        Health::Up
    }
}

/// Why the balancer is not sending to a server, or that it still is to a dead one.
fn link_note(server: &Server) -> &'static [&'static str] {
    if server.draining {
        &["draining"]
    } else if !server.marked_up {
        &["marked down", "down"]
    } else if server.dead {
        &["still marked up", "marked up"]
    } else {
        &[]
    }
}

/// One server's row: its link, its queue and its box. Filled cells go into `cells`, one shape
/// for every row.
fn draw_server(sketch: &mut Sketch, balancer: &Balancer, fleet: &Fleet, slot: usize, mid: f32, pitch: f32, cells: &mut String) {
    let server = &balancer.servers()[slot];
    let station = &fleet.stations()[slot];
    sketch.line(LB_RIGHT, mid, LINK_END, mid, !server.in_rotation());
    let queued = station.queued();
    let note = link_note(server);
    if !note.is_empty() {
        let room = if queued > 0 { COUNT_END - 30.0 } else { COUNT_END } - WIRE_FROM;
        let options: Vec<String> = note.iter().map(|words| words.to_string()).collect();
        sketch.text(WIRE_FROM, mid - NOTE_ABOVE, MIN_FONT, Anchor::Start, false, &first_that_fits(&options, MIN_FONT, room));
    }
    if queued > 0 {
        sketch.text(COUNT_END, mid + 4.0, MIN_FONT, Anchor::End, true, &queued.to_string());
    }
    sketch.rect(CELLS_LEFT, mid - 5.0, CELLS as f32 * CELL, 10.0, 1.0, None);
    for cell in 0..queued.min(CELLS) {
        let x = CELLS_LEFT + (CELLS - 1 - cell) as f32 * CELL + 1.0;
        cells.push_str(&format!("M{x:.1} {:.1}h5v8h-5Z", mid - 4.0));
    }
    let label = if server.dead { format!("{} dead", name(slot)) } else { format!("{} {}ms", name(slot), server.mean_ms()) };
    let height = (pitch - 3.0).min(26.0);
    let load = station.in_service() as f32 / balancer.config().workers.max(1) as f32;
    let label = first_that_fits(&[label, name(slot)], MIN_FONT, BOX_WIDTH - 8.0);
    sketch.component(BOX_LEFT, mid - height / 2.0, BOX_WIDTH, height, health(server), load, MIN_FONT, &label);
}

/// One row per balancer: p50 and p99 so far as bars on a log scale, their numbers, and the
/// share of requests that failed.
fn draw_comparison(sketch: &mut Sketch, balancer: &Balancer) {
    sketch.text(NAME_X, STRIP_HEAD, MIN_FONT, Anchor::Start, true, "So far");
    sketch.text(BARS_LEFT, STRIP_HEAD, MIN_FONT, Anchor::Start, false, "p50 / p99 (log scale)");
    sketch.text(RIGHT, STRIP_HEAD, MIN_FONT, Anchor::End, false, "failed");
    let slowest = balancer.fleets().iter().filter_map(|fleet| fleet.latencies().percentile(0.99)).max().unwrap_or(0).max(100);
    let share = |ms: Option<u32>| ms.map_or(0.0, |ms| (f64::from(ms.max(1)).ln() / f64::from(slowest).ln()) as f32);
    for (index, fleet) in balancer.fleets().iter().enumerate() {
        let y = STRIP_HEAD + STRIP_PITCH * (index + 1) as f32;
        let focused = fleet.algorithm() == balancer.focus();
        if focused {
            // A bar at the row's left edge, not a frame: rows sit 14 apart, too close to box
            // 12-unit text without touching it.
            sketch.rect(2.0, y - 10.0, 3.0, 12.0, 1.0, Some(1));
        }
        sketch.text(NAME_X, y, MIN_FONT, Anchor::Start, focused, fleet.algorithm().label());
        let (p50, p99) = (fleet.latencies().percentile(0.5), fleet.latencies().percentile(0.99));
        sketch.meter(BARS_LEFT, y - 9.0, BARS_WIDTH, 4.0, share(p50), Some(2));
        sketch.meter(BARS_LEFT, y - 4.0, BARS_WIDTH, 4.0, share(p99), Some(4));
        sketch.text(NUMBERS_X, y, MIN_FONT, Anchor::Start, focused, &pair(p50, p99));
        if let Some(failed) = failed_share(fleet) {
            sketch.text(RIGHT, y, MIN_FONT, Anchor::End, false, &failed);
        }
    }
}

/// p50 and p99 together: `45/320 ms`, `0.3/2.5 s`, `–` before any answer.
pub fn pair(p50: Option<u32>, p99: Option<u32>) -> String {
    let (Some(p50), Some(p99)) = (p50, p99) else { return "–".to_string() };
    if p99 < 1000 {
        return format!("{p50}/{p99} ms");
    }
    let seconds = |ms: u32| if ms < 10_000 { format!("{:.1}", f64::from(ms) / 1000.0) } else { (ms / 1000).to_string() };
    if p50 < 1000 {
        return format!("{p50} ms/{} s", seconds(p99));
    }
    format!("{}/{} s", seconds(p50), seconds(p99))
}

/// The share of ended requests that failed, in whole percent (`<1%` for a few); `None` when
/// none did.
pub fn failed_share(fleet: &Fleet) -> Option<String> {
    let ended = fleet.answered() + fleet.failed();
    if fleet.failed() == 0 || ended == 0 {
        return None;
    }
    let percent = fleet.failed() as f64 * 100.0 / ended as f64;
    Some(if percent < 1.0 { "<1%".to_string() } else { format!("{percent:.0}%") })
}

/// One server in words, for the label.
fn describe(server: &Server, station: &Station, slot: usize) -> String {
    let state = match (server.dead, server.marked_up, server.draining) {
        (_, _, true) => ", draining",
        (true, true, _) => ", dead but still marked up",
        (true, false, _) => ", dead and marked down",
        (false, false, _) => ", marked down",
        _ if server.slow => ", slowed",
        _ => "",
    };
    format!("{} ({} ms{state}): {} waiting, {} in service", name(slot), server.mean_ms(), station.queued(), station.in_service())
}

/// What the picture shows, for a screen reader.
fn summary(balancer: &Balancer, rows: &Rows, per: u64) -> String {
    let fleet = balancer.fleet(balancer.focus());
    let servers: Vec<String> = rows.slots.iter().map(|slot| describe(&balancer.servers()[*slot], &fleet.stations()[*slot], *slot)).collect();
    let servers = if servers.is_empty() { "no servers left".to_string() } else { servers.join("; ") };
    let compared: Vec<String> = balancer
        .fleets()
        .iter()
        .map(|fleet| {
            let latencies = fleet.latencies();
            let numbers = match (latencies.percentile(0.5), latencies.percentile(0.99)) {
                (Some(p50), Some(p99)) => format!("p50 {}, p99 {}", format_ms(p50), format_ms(p99)),
                _ => "no answers yet".to_string(),
            };
            let failed = failed_share(fleet).map_or(String::new(), |share| format!(", {share} failed"));
            format!("{} {numbers}{failed}", fleet.algorithm().label())
        })
        .collect();
    format!(
        "At {:.3} s the balancer in focus, {}{}, spreads {:.0} requests a second over its servers: {servers}. So far: {}. Each dot stands for {}.",
        balancer.time_ms() as f64 / 1000.0,
        balancer.focus().label(),
        if balancer.sticky() { " with sticky sessions" } else { "" },
        balancer.config().rate_per_second(),
        compared.join("; "),
        requests(per)
    )
}

/// `1 request`, `5 requests`, `1,000 requests`.
fn requests(count: u64) -> String {
    format!("{} request{}", group_thousands(count as f64), if count == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Timeline};
    use crate::viz::balancer::{Action, Algorithm, BALANCER_PARAMS};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, extreme_presets, pairs, Poster};

    fn params(list: &[(&str, &str)]) -> Params {
        Params::from_pairs(BALANCER_PARAMS, &pairs(list)).0
    }

    fn draw(balancer: &Balancer) -> Poster {
        stage(balancer).finish()
    }

    /// The requests drawn on the fleet's links, not the legend's.
    fn travelling(svg: &str) -> Vec<(Outcome, f32, f32)> {
        drawn_requests(svg).into_iter().filter(|(_, _, y)| *y > FLEET_TOP).collect()
    }

    /// Kills, a slowdown, new servers, a drain and sticky sessions, spread over `ticks`.
    fn faults(ticks: u64) -> Vec<(u64, Action)> {
        let at = |share: u64| ticks * share / 100;
        vec![
            (at(10), Action::Kill(1)),
            (at(15), Action::Slow(2)),
            (at(20), Action::Add),
            (at(20), Action::Add),
            (at(25), Action::Add),
            (at(25), Action::Add),
            (at(40), Action::Drain(3)),
            (at(45), Action::Sticky(true)),
            (at(50), Action::Revive(1)),
            (at(55), Action::Kill(0)),
            (at(60), Action::Restore(2)),
            (at(70), Action::Drain(5)),
        ]
    }

    /// Runs to `ticks` with `actions`, checking the picture every `every` ticks; returns the most
    /// travelling dots seen in one picture.
    fn check_run(list: &[(&str, &str)], actions: &[(u64, Action)], ticks: u64, every: u64) -> usize {
        let mut balancer = Balancer::new(&params(list), DEFAULT_SEED);
        let mut most = 0;
        for tick in 0..=ticks {
            for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                balancer.apply(action);
            }
            if tick % every == 0 {
                let poster = draw(&balancer);
                let context = format!("{list:?} at {tick}");
                assert!(poster.problems.is_empty(), "{context}: {:?}", poster.problems);
                assert!(poster.svg.len() < 16_000, "{context}: {} bytes", poster.svg.len());
                let dots = travelling(&poster.svg).len();
                assert!(dots <= MAX_DOTS, "{context}: {dots} dots");
                assert!(aria_label(&poster.svg).starts_with("At ") && aria_label(&poster.svg).contains("So far: Round robin"), "{context}");
                most = most.max(dots);
            }
            balancer.step();
        }
        most
    }

    #[test]
    fn every_parameter_extreme_draws_cleanly_through_faults() {
        let foci = Algorithm::ALL.iter().map(|algorithm| vec![("focus", algorithm.key().to_string()), ("load", "150".to_string()), ("workers", "4".to_string())]);
        for values in extreme_presets(BALANCER_PARAMS).into_iter().chain(foci) {
            let list: Vec<(&str, &str)> = values.iter().map(|(key, value)| (*key, value.as_str())).collect();
            check_run(&list, &faults(1_500), 1_500, 10);
        }
    }

    #[test]
    fn every_server_leaving_and_every_server_down_draw_cleanly() {
        let drains: Vec<(u64, Action)> = (0..4).map(|slot| (100, Action::Drain(slot))).collect();
        check_run(&[("focus", "hash")], &drains, 600, 5);
        let balancer = Timeline::<Balancer>::replay(params(&[]), DEFAULT_SEED, 10_000, drains, 3_000);
        let svg = draw(balancer.state()).svg;
        assert!(svg.contains(">Every server has left<") && svg.contains("to 0 servers"), "{svg}");
        let kills: Vec<(u64, Action)> = (0..4).map(|slot| (100, Action::Kill(slot))).collect();
        let balancer = Timeline::<Balancer>::replay(params(&[("interval", "10"), ("unhealthy", "1")]), DEFAULT_SEED, 10_000, kills, 400);
        let svg = draw(balancer.state()).svg;
        assert_eq!(svg.matches(">marked down<").count(), 4);
        // With nothing in rotation, requests fail at the balancer: crosses inside its box.
        assert!(travelling(&svg).iter().any(|(outcome, x, _)| *outcome == Outcome::Rejected && *x < LB_RIGHT), "{svg}");
    }

    #[test]
    fn each_server_row_says_what_the_model_holds() {
        let actions = faults(6_000);
        let mut balancer = Balancer::new(&params(&[("focus", "least"), ("interval", "300")]), DEFAULT_SEED);
        let mut seen = [false; 4];
        for tick in 0..=6_000u64 {
            for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                balancer.apply(action);
            }
            if tick % 20 == 0 {
                let svg = draw(&balancer).svg;
                let fleet = balancer.fleet(Algorithm::LeastRequests);
                let present: Vec<usize> = (0..fleet.stations().len()).filter(|slot| !fleet.stations()[*slot].left).collect();
                let servers = balancer.servers();
                let count = |test: &dyn Fn(&Server) -> bool| present.iter().filter(|slot| test(&servers[**slot])).count();
                let context = format!("tick {tick}");
                assert!(svg.contains(&format!("to {} server", present.len())), "{context}");
                assert_eq!(svg.matches("pv-part--down").count(), count(&|server| server.dead), "{context}");
                assert_eq!(svg.matches("pv-part--degraded").count(), count(&|server| server.slow && !server.dead), "{context}");
                assert_eq!(svg.matches(">draining<").count(), count(&|server| server.draining), "{context}");
                assert_eq!(svg.matches(">marked down<").count(), count(&|server| !server.marked_up && !server.draining), "{context}");
                assert_eq!(svg.matches(">still marked up<").count(), count(&|server| server.dead && server.marked_up && !server.draining), "{context}");
                for slot in &present {
                    let server = &servers[*slot];
                    let label = if server.dead { format!(">S{} dead<", slot + 1) } else { format!(">S{} {}ms<", slot + 1, server.speed_ms * if server.slow { 4 } else { 1 }) };
                    assert!(svg.contains(&label), "{context}: {label}");
                }
                // The queue's cells: one filled per waiting request, up to eight a row.
                let cells = svg.split(r#"<path class="pv-fill pv-fill--1" d=""#).nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("");
                let expected: usize = present.iter().map(|slot| fleet.stations()[*slot].queued().min(8)).sum();
                assert_eq!(cells.matches('M').count(), expected, "{context}");
                for (state, test) in [(0, server_dead_marked_up as fn(&Server) -> bool), (1, |s: &Server| !s.marked_up), (2, |s: &Server| s.draining), (3, |s: &Server| s.slow)] {
                    seen[state] |= count(&test) > 0;
                }
            }
            balancer.step();
        }
        assert_eq!(seen, [true; 4], "every state was drawn at least once");
    }

    fn server_dead_marked_up(server: &Server) -> bool {
        server.dead && server.marked_up
    }

    #[test]
    fn requests_to_a_dead_server_bounce_until_it_is_marked_down() {
        let mut balancer = Balancer::new(&params(&[("focus", "least")]), DEFAULT_SEED);
        for _ in 0..2_000 {
            balancer.step();
        }
        balancer.apply(&Action::Kill(1));
        let rows = rows(balancer.fleet(Algorithm::LeastRequests));
        let mid = rows.mid(1);
        let (mut bounced, mut after) = (0, 0);
        while balancer.tick < 3_000 {
            balancer.step();
            let on_row: Vec<(Outcome, f32, f32)> = travelling(&draw(&balancer).svg).into_iter().filter(|(_, _, y)| (*y - mid).abs() < 10.0).collect();
            let down_for = balancer.servers()[1].marked_up.then_some(0);
            if down_for.is_some() {
                bounced += usize::from(on_row.iter().any(|(outcome, _, y)| *outcome == Outcome::Rejected && (*y - mid - LANE).abs() < 0.01));
            } else {
                after += 1;
                // Once marked down, nothing new goes out on its link (what was sent before it
                // has arrived: at least `TRAVEL_TICKS` have passed since the last send).
                if after > TRAVEL_TICKS as usize {
                    assert!(on_row.iter().all(|(outcome, _, _)| *outcome != Outcome::InFlight), "tick {}: {on_row:?}", balancer.tick);
                }
            }
        }
        // Least requests sends nearly everything to the dead server: it looks idle.
        assert!(bounced > 300, "crosses came back in {bounced} ticks");
        assert!(after > 300);
    }

    #[test]
    fn the_picture_moves_with_the_traffic_and_depends_only_on_the_state() {
        let mut timeline = Timeline::<Balancer>::new(params(&[]), DEFAULT_SEED, 20_000);
        for (at, action) in faults(2_000) {
            timeline.seek(at);
            timeline.act(action);
        }
        check_stage_is_pure(&mut timeline, 2_500, |balancer| draw(balancer).svg);
        // From one tick to the next, a request on its way keeps its lane and moves on by one
        // step of its journey.
        let step = (WIRE_TO - WIRE_FROM) / TRAVEL_TICKS as f32;
        let sent = |svg: &str| -> Vec<(f32, f32)> { travelling(svg).into_iter().filter(|(outcome, _, _)| *outcome == Outcome::InFlight).map(|(_, x, y)| (x, y)).collect() };
        let mut followed = 0;
        for _ in 0..200 {
            let before = sent(&draw(timeline.state()).svg);
            timeline.step_forward();
            let after = sent(&draw(timeline.state()).svg);
            for (x, y) in before.iter().filter(|(x, _)| *x + step < WIRE_TO) {
                assert!(after.iter().any(|(x2, y2)| (x2 - x - step).abs() < 0.15 && (y2 - y).abs() < 0.01), "tick {}: ({x}, {y}) did not move on: {after:?}", timeline.tick());
                followed += 1;
            }
        }
        assert!(followed > 200, "{followed}");
    }

    #[test]
    fn requests_are_on_the_picture_nearly_always_once_traffic_starts() {
        let mut balancer = Balancer::new(&params(&[]), DEFAULT_SEED);
        let (mut empty, mut most_early) = (0, 0);
        for _ in 0..10_000 {
            balancer.step();
            let dots = travelling(&draw(&balancer).svg).len();
            // 1.5 s of play at 1×.
            if balancer.tick <= 150 {
                most_early = most_early.max(dots);
            }
            empty += usize::from(balancer.arrivals() > 0 && dots == 0);
        }
        assert!(most_early >= 3, "{most_early}");
        // Only when no request was sent or answered for 30 ms: about 0.3% of the ticks.
        assert!(empty < 50, "{empty} ticks without a request drawn");
    }

    #[test]
    fn the_comparison_shows_every_balancer_so_far() {
        let mut balancer = Balancer::new(&params(&[("speeds", "equal"), ("focus", "p2c")]), DEFAULT_SEED);
        for _ in 0..8_000 {
            balancer.step();
        }
        let svg = draw(&balancer).svg;
        let mut p99s = Vec::new();
        for fleet in balancer.fleets() {
            let (p50, p99) = (fleet.latencies().percentile(0.5).unwrap_or(0), fleet.latencies().percentile(0.99).unwrap_or(0));
            assert!(p99 < 1000 && svg.contains(&format!(">{p50}/{p99} ms<")), "{:?}: {p50}/{p99}", fleet.algorithm());
            p99s.push(p99);
        }
        assert!(svg.contains(r#"font-size="12">Two choices<"#) && svg.contains(r#"pv-text--strong" x="8.0""#), "the focus is in bold");
        // The p99 bars: log scale, the slowest full.
        let widths: Vec<f32> = svg
            .split(r#"<rect class="pv-fill pv-fill--4""#)
            .skip(1)
            .filter_map(|rest| rest.split("width=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect();
        let slowest = p99s.iter().copied().max().unwrap_or(1).max(100) as f32;
        assert_eq!(widths.len(), 6);
        for (width, p99) in widths.iter().zip(&p99s) {
            let expected = BARS_WIDTH * (*p99 as f32).ln() / slowest.ln();
            assert!((width - expected).abs() < 0.06, "{width} for {p99} ms");
        }
        let label = aria_label(&svg);
        assert!(label.contains("the balancer in focus, Two choices, spreads 93 requests a second"), "{label}");
    }

    #[test]
    fn numbers_read_short() {
        assert_eq!(pair(None, Some(3)), "–");
        assert_eq!(pair(Some(40), Some(300)), "40/300 ms");
        assert_eq!(pair(Some(40), Some(1_500)), "40 ms/1.5 s");
        assert_eq!(pair(Some(1_000), Some(20_000)), "1.0/20 s");
        assert_eq!([12, 999, 1_000, 1_500, 10_000, 60_000].map(format_ms), ["12 ms", "999 ms", "1 s", "1.5 s", "10 s", "60 s"]);
    }
}

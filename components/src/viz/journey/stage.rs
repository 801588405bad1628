//! The stage: the path a request takes, drawn at the current tick, with the load's waterfall
//! filling in under it.
//!
//! At the top, three columns of parts: the browser above its resolver and the DNS servers (a
//! root, `.com` and the site's own, as one box); the CDN edge above the database (in the
//! origin's region) or, when the database is in another region, below it and outside the
//! region's dashed outline; the load balancer above the service and its cache. The part at work
//! now has a coloured halo. The links that cost most carry their round trips.
//!
//! The load's messages travel at their true progress: a DNS message as a square, a handshake
//! message as a diamond (there and back once per round trip), a request as an arrowhead and a
//! response as a dot, requests on one side of their link and responses on the other. While the
//! service or the database works, the request waits at its edge. The sub-resources travel
//! between the browser and the edge side by side: one lane per HTTP/1.1 connection, or all of
//! them in rows of six on the one HTTP/2 or HTTP/3 connection.
//!
//! Under the parts, the waterfall: a row per kind of work (DNS, the transport's handshake, TLS,
//! browser ↔ edge, edge ↔ origin, the service, the cache, the database, the sub-resources) with
//! each phase drawn as far as it has gone, on a scale that fits this load and the one before
//! (a dashed line marks where that one ended), and each row's milliseconds so far at its end.
//! The sub-resources' row shows each connection as a strip of its own.

use super::plan::{round_trip_ms, Lane, Link, Phase, Row, Step};
use super::{Journey, Proto, Transport};
use crate::viz::poster::{along, first_that_fits, Anchor, Health, Outcome, Sketch, MIN_FONT};

/// The canvas height: the stage and the play controls fit a 360 px phone's first screen.
pub const HEIGHT: f32 = 318.0;
const LEFT: f32 = 6.0;
const RIGHT: f32 = 314.0;
const HEADING_Y: f32 = 13.0;

/// The parts' grid: three columns, three rows of boxes.
const BOX_WIDTH: f32 = 72.0;
const BOX_HEIGHT: f32 = 22.0;
const COLUMNS: [f32; 3] = [6.0, 124.0, 242.0];
const ROWS: [f32; 3] = [20.0, 68.0, 116.0];

/// The waterfall: its rows' baselines, where the bars run, and the milliseconds column.
const WATERFALL_TOP: f32 = 148.0;
const ROW_PITCH: f32 = 14.0;
const FIRST_ROW_Y: f32 = 160.0;
const BARS_LEFT: f32 = 58.0;
const BARS_RIGHT: f32 = 250.0;
const BAR_HEIGHT: f32 = 8.0;
const TOTALS_Y: f32 = 292.0;
const LEGEND_Y: f32 = 312.0;

/// How far from each end of a link a travelling shape stays, and how far to the side of its
/// link it goes (requests on one side, responses on the other).
const INSET: f32 = 4.0;
const SIDE: f32 = 3.0;
/// The gap between the sub-resources' lanes on the browser ↔ edge link, and between the
/// columns of a train of HTTP/2 or HTTP/3 requests.
const LANE_GAP: f32 = 4.0;
const TRAIN_GAP: f32 = 8.0;

/// A part of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Browser,
    Resolver,
    NameServers,
    Edge,
    Database,
    FarDatabase,
    Balancer,
    Service,
    Cache,
}

impl Part {
    /// Its column and row.
    fn cell(self) -> (usize, usize) {
        match self {
            Part::Browser => (0, 0),
            Part::Resolver => (0, 1),
            Part::NameServers => (0, 2),
            Part::Edge => (1, 0),
            Part::Database => (1, 1),
            Part::FarDatabase => (1, 2),
            Part::Balancer => (2, 0),
            Part::Service => (2, 1),
            Part::Cache => (2, 2),
        }
    }

    fn left_top(self) -> (f32, f32) {
        let (column, row) = self.cell();
        (COLUMNS[column], ROWS[row])
    }

    fn label(self) -> &'static str {
        match self {
            Part::Browser => "Browser",
            Part::Resolver => "Resolver",
            Part::NameServers => "DNS tree",
            Part::Edge => "Edge",
            Part::Database => "Database",
            Part::FarDatabase => "DB far",
            Part::Balancer => "LB",
            Part::Service => "Service",
            Part::Cache => "Cache",
        }
    }
}

/// A link's ends: from the part nearer the browser to the one further away.
fn ends(link: Hop) -> ((f32, f32), (f32, f32)) {
    let (x0, x1, x2) = (COLUMNS[0], COLUMNS[1], COLUMNS[2]);
    let (y0, y1, y2) = (ROWS[0], ROWS[1], ROWS[2]);
    let middle = |row: f32| row + BOX_HEIGHT / 2.0;
    match link {
        Hop::Resolver => ((x0 + 14.0, y0 + BOX_HEIGHT), (x0 + 14.0, y1)),
        Hop::NameServers => ((x0 + 14.0, y1 + BOX_HEIGHT), (x0 + 14.0, y2)),
        Hop::Edge => ((x0 + BOX_WIDTH, middle(y0)), (x1, middle(y0))),
        Hop::Origin => ((x1 + BOX_WIDTH, middle(y0)), (x2, middle(y0))),
        Hop::Service => ((x2 + BOX_WIDTH / 2.0, y0 + BOX_HEIGHT), (x2 + BOX_WIDTH / 2.0, y1)),
        Hop::Cache => ((x2 + BOX_WIDTH / 2.0, y1 + BOX_HEIGHT), (x2 + BOX_WIDTH / 2.0, y2)),
        Hop::Database => ((x2, middle(y1)), (x1 + BOX_WIDTH, middle(y1))),
        Hop::FarDatabase => ((x2, y1 + BOX_HEIGHT), (x1 + BOX_WIDTH, y2)),
    }
}

/// A link as the picture draws it (the load balancer ↔ service hop and the cache's have their
/// own, though they share the region's round trip).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hop {
    Resolver,
    NameServers,
    Edge,
    Origin,
    Service,
    Cache,
    Database,
    FarDatabase,
}

impl Hop {
    const ALL: [Hop; 8] = [Hop::Resolver, Hop::NameServers, Hop::Edge, Hop::Origin, Hop::Service, Hop::Cache, Hop::Database, Hop::FarDatabase];
}

/// A point `progress` of the way along a hop, outward (away from the browser) or back, on its
/// side of the link: requests to the left of the outward direction, responses to the right.
fn on_hop(hop: Hop, outward: bool, progress: f32) -> (f32, f32) {
    on_lane(hop, outward, progress, if outward { -SIDE } else { SIDE })
}

/// The same, `across` from the link's line (to the right of the outward direction when
/// positive): the sub-resources' lanes.
fn on_lane(hop: Hop, outward: bool, progress: f32, across: f32) -> (f32, f32) {
    let (near, far) = ends(hop);
    let (dx, dy) = (far.0 - near.0, far.1 - near.1);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / length, dy / length);
    let (px, py) = (-uy * across, ux * across);
    let start = (near.0 + ux * INSET + px, near.1 + uy * INSET + py);
    let end = (far.0 - ux * INSET + px, far.1 - uy * INSET + py);
    if outward {
        along(start, end, progress)
    } else {
        along(end, start, progress)
    }
}

/// Where a message making `trips` round trips over `elapsed` of `duration` is, and whether it
/// is on its way out.
fn shuttle(elapsed: u32, duration: u32, trips: u32) -> (bool, f32) {
    let trips = trips.max(1) as f32;
    let share = (elapsed as f32 + 0.5) / duration.max(1) as f32;
    let within = (share * trips).fract();
    if within < 0.5 {
        (true, within * 2.0)
    } else {
        (false, within * 2.0 - 1.0)
    }
}

/// The system at the model's current tick, on a 320 × 318 canvas (see the module
/// documentation). Its label says in words what the picture shows.
pub fn stage(model: &Journey) -> Sketch {
    let mut sketch = Sketch::new(HEIGHT, &describe(model));
    sketch.text(LEFT + 2.0, HEADING_Y, MIN_FONT, Anchor::Start, true, &heading(model));
    draw_parts(&mut sketch, model);
    draw_messages(&mut sketch, model);
    draw_waterfall(&mut sketch, model);
    sketch.text(LEFT + 2.0, TOTALS_Y, MIN_FONT, Anchor::Start, true, &totals(model));
    sketch.legend_with(LEFT + 2.0, LEGEND_Y, &[(Outcome::InFlight, "request"), (Outcome::Ok, "response"), (Outcome::Retried, "handshake"), (Outcome::Stale, "DNS")]);
    sketch
}

/// The load's number and how it goes, in the longest form that fits.
fn heading(model: &Journey) -> String {
    let load = model.load();
    let config = &load.config;
    let transport = match Transport::of(config) {
        Transport::Quic => "QUIC",
        Transport::Tls13 => "TLS 1.3",
        Transport::Tls12 => "TLS 1.2",
    };
    let reuse = if config.keep_alive { "keep-alive" } else { "no keep-alive" };
    let zero = if config.zero_rtt && Transport::of(config).has_zero_rtt() { ", 0-RTT" } else { "" };
    let options = [
        format!("Load {} · {} · {transport} · {reuse}{zero}", load.number, config.proto.name()),
        format!("Load {} · {} · {transport}", load.number, config.proto.name()),
        format!("Load {}", load.number),
    ];
    first_that_fits(&options, MIN_FONT, RIGHT - LEFT - 4.0)
}

/// A duration, short: "236 ms", "12.5 s".
fn duration(ms: u32) -> String {
    if ms < 10_000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", f64::from(ms) / 1000.0)
    }
}

/// The part at work during a step.
fn busy_part(model: &Journey, step: Step) -> Part {
    match step {
        Step::DnsQuery | Step::DnsAnswer => Part::Resolver,
        Step::DnsWalk => Part::NameServers,
        Step::Tcp | Step::Tls { .. } | Step::Quic { .. } | Step::Request { .. } | Step::Response | Step::Assets | Step::Fetch { .. } => Part::Edge,
        Step::ToOrigin | Step::FromOrigin => Part::Balancer,
        Step::ToService | Step::Service | Step::FromService => Part::Service,
        Step::Cache => Part::Cache,
        Step::Query { .. } => database(model),
    }
}

/// Where the database is drawn for the load under way.
fn database(model: &Journey) -> Part {
    if model.load().config.cross_region {
        Part::FarDatabase
    } else {
        Part::Database
    }
}

fn draw_parts(sketch: &mut Sketch, model: &Journey) {
    let load = model.load();
    let config = &load.config;
    let far = config.cross_region;
    // The origin's region: the load balancer's column, and the database's cell beside the
    // service while the database is in the region.
    let (inner, outer) = (COLUMNS[1] - 3.0, COLUMNS[2] - 3.0);
    let (top, bottom, right) = (ROWS[0] - 3.0, ROWS[2] + BOX_HEIGHT + 3.0, RIGHT + 3.0);
    let (step_top, step_bottom) = (ROWS[1] - 3.0, ROWS[1] + BOX_HEIGHT + 3.0);
    let outline: &[(f32, f32)] = if far {
        &[(outer, top), (right, top), (right, bottom), (outer, bottom), (outer, top)]
    } else {
        &[(outer, top), (right, top), (right, bottom), (outer, bottom), (outer, step_bottom), (inner, step_bottom), (inner, step_top), (outer, step_top), (outer, top)]
    };
    for pair in outline.windows(2) {
        sketch.line(pair[0].0, pair[0].1, pair[1].0, pair[1].1, true);
    }
    let busy = model.phase_now().map(|phase| busy_part(model, phase.step));
    let parts = [Part::Browser, Part::Resolver, Part::NameServers, Part::Edge, Part::Balancer, Part::Service, Part::Cache, database(model)];
    for part in parts {
        let (x, y) = part.left_top();
        if busy == Some(part) {
            sketch.rect(x - 2.0, y - 2.0, BOX_WIDTH + 4.0, BOX_HEIGHT + 4.0, 7.0, Some(1));
        }
        sketch.component(x, y, BOX_WIDTH, BOX_HEIGHT, Health::Up, 0.0, MIN_FONT, part.label());
    }
    for hop in Hop::ALL {
        if (hop == Hop::Database && far) || (hop == Hop::FarDatabase && !far) {
            continue;
        }
        let (near, away) = ends(hop);
        sketch.line(near.0, near.1, away.0, away.1, false);
    }
    // The round trips that matter most, beside their links.
    let rtt = |link| duration(round_trip_ms(config, &super::STEADY, link));
    let gap = |column: usize| COLUMNS[column] + BOX_WIDTH + (COLUMNS[column + 1] - COLUMNS[column] - BOX_WIDTH) / 2.0;
    let below_row = |row: usize| ROWS[row] + BOX_HEIGHT + 16.0;
    sketch.text(gap(0), below_row(0), MIN_FONT, Anchor::Middle, false, &rtt(Link::Edge));
    sketch.text(gap(1), below_row(0), MIN_FONT, Anchor::Middle, false, &rtt(Link::Origin));
    // Clear of the DNS messages, which pass on either side of the link.
    let beside = COLUMNS[0] + 24.0;
    sketch.text(beside, below_row(0) + 4.0, MIN_FONT, Anchor::Start, false, &rtt(Link::Resolver));
    sketch.text(beside, below_row(1) + 4.0, MIN_FONT, Anchor::Start, false, &rtt(Link::NameServers));
    if far {
        // Above the diagonal link's upper end, in the cell the database leaves.
        sketch.text(COLUMNS[2] - 26.0, ROWS[1] + BOX_HEIGHT - 2.0, MIN_FONT, Anchor::End, false, &rtt(Link::Database));
    } else {
        sketch.text(gap(1), below_row(1), MIN_FONT, Anchor::Middle, false, &rtt(Link::Database));
    }
}

/// The load's messages where they are now (see the module documentation).
fn draw_messages(sketch: &mut Sketch, model: &Journey) {
    let load = model.load();
    let Some(phase) = model.phase_now() else { return };
    let elapsed = model.elapsed_ms();
    let into = elapsed - phase.start;
    let progress = (into as f32 + 0.5) / phase.duration().max(1) as f32;
    let far = load.config.cross_region;
    let database_hop = if far { Hop::FarDatabase } else { Hop::Database };
    let mut put = |hop: Hop, outward: bool, progress: f32, outcome: Outcome| {
        let (x, y) = on_hop(hop, outward, progress);
        sketch.request(x, y, outcome);
    };
    match phase.step {
        Step::DnsQuery => put(Hop::Resolver, true, progress, Outcome::Stale),
        Step::DnsAnswer => put(Hop::Resolver, false, progress, Outcome::Stale),
        Step::DnsWalk => {
            let (outward, progress) = shuttle(into, phase.duration(), 3);
            put(Hop::NameServers, outward, progress, Outcome::Stale);
        }
        Step::Tcp | Step::Quic { .. } | Step::Tls { .. } => {
            let trips = match phase.step {
                Step::Tls { round_trips, .. } => u32::from(round_trips),
                _ => 1,
            };
            let (outward, progress) = shuttle(into, phase.duration(), trips);
            put(Hop::Edge, outward, progress, Outcome::Retried);
        }
        Step::Request { .. } => put(Hop::Edge, true, progress, Outcome::InFlight),
        Step::ToOrigin => put(Hop::Origin, true, progress, Outcome::InFlight),
        Step::ToService => put(Hop::Service, true, progress, Outcome::InFlight),
        // The request waits at the service while it works.
        Step::Service => put(Hop::Service, true, 1.0, Outcome::InFlight),
        Step::Cache => {
            let (outward, progress) = shuttle(into, phase.duration(), 1);
            put(Hop::Cache, outward, progress, if outward { Outcome::InFlight } else { Outcome::Ok });
        }
        Step::Query { .. } => {
            // Out for half the round trip, the database's work, back for the other half.
            let (up, work) = (phase.wire / 2, phase.duration() - phase.wire);
            if into < up {
                put(database_hop, true, (into as f32 + 0.5) / up.max(1) as f32, Outcome::InFlight);
            } else if into < up + work {
                put(database_hop, true, 1.0, Outcome::InFlight);
            } else {
                let back = phase.wire - up;
                put(database_hop, false, (into - up - work) as f32 / back.max(1) as f32, Outcome::Ok);
            }
        }
        Step::FromService => put(Hop::Service, false, progress, Outcome::Ok),
        Step::FromOrigin => put(Hop::Origin, false, progress, Outcome::Ok),
        Step::Response => put(Hop::Edge, false, progress, Outcome::Ok),
        Step::Assets => draw_lanes(sketch, model, elapsed),
        Step::Fetch { .. } => {}
    }
}

/// The sub-resources' messages on the browser ↔ edge link: a lane per connection.
fn draw_lanes(sketch: &mut Sketch, model: &Journey, elapsed: u32) {
    let load = model.load();
    let multiplexed = load.config.proto.multiplexed();
    let lanes = &load.plan.lanes;
    for (index, lane) in lanes.iter().enumerate() {
        let Some(phase) = lane.phases.iter().find(|phase| phase.start <= elapsed && elapsed < phase.end) else { continue };
        let into = elapsed - phase.start;
        match phase.step {
            Step::Fetch { .. } if multiplexed => {
                // Every request at once: rows of six, each row a little behind the one before.
                for (asset, _) in lane.phases.iter().enumerate() {
                    let (outward, progress) = shuttle(into, phase.duration(), 1);
                    let slot = (asset % 6) as f32 - 2.5;
                    let behind = (asset / 6) as f32 * TRAIN_GAP;
                    let (x, y) = on_lane(Hop::Edge, outward, progress, slot * LANE_GAP);
                    let x = if outward { x - behind } else { x + behind };
                    sketch.request(x.clamp(LEFT + 4.0, RIGHT - 4.0), y, if outward { Outcome::InFlight } else { Outcome::Ok });
                }
            }
            step => {
                let trips = match step {
                    Step::Tls { round_trips, .. } => u32::from(round_trips),
                    _ => 1,
                };
                let (outward, progress) = shuttle(into, phase.duration(), trips);
                let slot = index as f32 - (lanes.len() as f32 - 1.0) / 2.0;
                let outcome = match step {
                    Step::Fetch { .. } if outward => Outcome::InFlight,
                    Step::Fetch { .. } => Outcome::Ok,
                    _ => Outcome::Retried,
                };
                let (x, y) = on_lane(Hop::Edge, outward, progress, slot * LANE_GAP);
                sketch.request(x, y, outcome);
            }
        }
    }
}

/// A row's name on the waterfall.
fn row_label(row: Row, proto: Proto) -> &'static str {
    match row {
        Row::Dns => "DNS",
        Row::Connect if proto == Proto::H3 => "QUIC",
        Row::Connect => "TCP",
        Row::Tls => "TLS",
        Row::Edge => "Edge",
        Row::Origin => "Origin",
        Row::Service => "Service",
        Row::Cache => "Cache",
        Row::Database => "DB",
        Row::Assets => "Assets",
    }
}

/// The colour a row's bars take: DNS in the DNS messages' colour, handshakes in the handshake
/// messages', travel (the sub-resources' fetches too) in another, work in a fourth.
fn row_tone(row: Row) -> u8 {
    match row {
        Row::Dns => 5,
        Row::Connect | Row::Tls => 1,
        Row::Edge | Row::Origin | Row::Assets => 2,
        Row::Service | Row::Cache | Row::Database => 3,
    }
}

fn draw_waterfall(sketch: &mut Sketch, model: &Journey) {
    let load = model.load();
    let plan = &load.plan;
    let elapsed = model.elapsed_ms();
    let previous = model.previous().map(|summary| summary.total_ms);
    let span = plan.total.max(previous.unwrap_or(0)).max(1) as f32;
    let x = |ms: u32| BARS_LEFT + (BARS_RIGHT - BARS_LEFT) * ms as f32 / span;
    let mut bars: [String; 6] = Default::default();
    let mut bar = |tone: u8, from: u32, to: u32, top: f32, height: f32| {
        if to > from {
            bars[usize::from(tone)].push_str(&format!("M{:.1} {top:.1}H{:.1}v{height:.1}H{:.1}Z", x(from), x(to), x(from)));
        }
    };
    for (index, row) in Row::ALL.into_iter().enumerate() {
        let y = FIRST_ROW_Y + ROW_PITCH * index as f32;
        sketch.text(LEFT + 2.0, y, MIN_FONT, Anchor::Start, false, row_label(row, load.config.proto));
        let mut spent = 0;
        for phase in plan.phases.iter().filter(|phase| phase.step.row() == row && phase.start < elapsed) {
            let to = phase.end.min(elapsed);
            spent += to - phase.start;
            if row != Row::Assets {
                bar(row_tone(row), phase.start, to, y - BAR_HEIGHT - 1.0, BAR_HEIGHT);
            }
        }
        if row == Row::Assets {
            draw_strips(&mut bar, &plan.lanes, elapsed, y);
        }
        if spent > 0 {
            sketch.text(RIGHT, y, MIN_FONT, Anchor::End, false, &duration(spent));
        }
    }
    for (tone, data) in bars.iter().enumerate().filter(|(_, data)| !data.is_empty()) {
        sketch.fill(data, Some(tone as u8));
    }
    let bottom = FIRST_ROW_Y + ROW_PITCH * (Row::ALL.len() - 1) as f32 + 3.0;
    sketch.line(BARS_LEFT, WATERFALL_TOP, BARS_LEFT, bottom, false);
    if let Some(previous) = previous {
        sketch.line(x(previous), WATERFALL_TOP, x(previous), bottom, true);
    }
}

/// The sub-resources' row: a strip per connection, its handshakes in the setting-up colour and
/// its fetches in the row's own, as far as they have gone.
fn draw_strips(bar: &mut impl FnMut(u8, u32, u32, f32, f32), lanes: &[Lane], elapsed: u32, baseline: f32) {
    let count = lanes.len().max(1) as f32;
    let (top, height) = (baseline - ROW_PITCH + 2.0, ROW_PITCH - 1.0);
    let strip = height / count;
    for (index, lane) in lanes.iter().enumerate() {
        let y = top + strip * index as f32;
        for phase in lane.phases.iter().filter(|phase: &&Phase| phase.start < elapsed) {
            let tone = if phase.step.is_setup() { row_tone(Row::Connect) } else { row_tone(Row::Assets) };
            bar(tone, phase.start, phase.end.min(elapsed), y, (strip - 0.4).max(0.8));
        }
    }
}

/// This load's time, so far or in all, and the last one's.
fn totals(model: &Journey) -> String {
    let load = model.load();
    let now = if model.finished_load() { format!("Load {}: {}", load.number, duration(load.plan.total)) } else { format!("Load {}: {} so far", load.number, duration(model.elapsed_ms())) };
    match model.previous() {
        Some(previous) => {
            let (number, took) = (previous.number, duration(previous.total_ms));
            let options = [format!("{now} · load {number}: {took} (dashed)"), format!("{now} · load {number}: {took}"), format!("{now} · last {took}"), now.clone()];
            first_that_fits(&options, MIN_FONT, RIGHT - LEFT - 4.0)
        }
        None => now,
    }
}

/// What the picture shows, for a screen reader.
fn describe(model: &Journey) -> String {
    let load = model.load();
    let config = &load.config;
    let rtt = |link| round_trip_ms(config, &super::STEADY, link);
    let database = if config.cross_region { format!("a database in another region, {} ms away", rtt(Link::Database)) } else { "a database in the region".to_string() };
    let transport = match Transport::of(config) {
        Transport::Quic => "QUIC",
        Transport::Tls13 => "TCP and TLS 1.3",
        Transport::Tls12 => "TCP and TLS 1.2",
    };
    let setup = format!(
        "A browser loads a page with {} sub-resources again and again over {} on {transport}, keep-alive {}, through a CDN edge {} ms away to an origin {} ms behind it: a load balancer, a service, its cache and {database}.",
        config.assets,
        config.proto.name(),
        if config.keep_alive { "on" } else { "off" },
        rtt(Link::Edge),
        rtt(Link::Origin)
    );
    let rows: Vec<String> = Row::ALL.iter().filter(|row| load.plan.row_ms(**row) > 0).map(|row| format!("{} {} ms", row_label(*row, config.proto), load.plan.row_ms(*row))).collect();
    let waterfall = format!(" Load {}'s waterfall: {}, {} ms in all.", load.number, rows.join(", "), load.plan.total);
    format!("{setup} {}{waterfall}", model.tell_now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Simulation, Timeline};
    use crate::viz::journey::{Action, Setting, JOURNEY_LIMIT, JOURNEY_PARAMS};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, pairs, Poster};

    fn params(list: &[(&str, &str)]) -> Params {
        Params::from_pairs(JOURNEY_PARAMS, &pairs(list)).0
    }

    fn at(list: &[(&str, &str)], actions: &[(u64, Action)], tick: u64) -> Journey {
        Timeline::<Journey>::replay(params(list), DEFAULT_SEED, JOURNEY_LIMIT, actions.to_vec(), tick).state().clone()
    }

    fn draw(model: &Journey) -> Poster {
        stage(model).finish()
    }

    /// The message shapes drawn above the legend.
    fn glyphs(svg: &str) -> Vec<(Outcome, f32, f32)> {
        drawn_requests(svg).into_iter().filter(|(_, _, y)| *y < LEGEND_Y - 8.0).collect()
    }

    /// The choices a reader flips, spread over `ticks`.
    fn actions(ticks: u64) -> Vec<(u64, Action)> {
        let at = |share: u64| ticks * share / 100;
        vec![
            (at(10), Action::Set(Setting::KeepAlive, 0)),
            (at(20), Action::Set(Setting::Proto, 0)),
            (at(30), Action::Set(Setting::Dns, 2)),
            (at(40), Action::Set(Setting::CdnHit, 1)),
            (at(50), Action::Set(Setting::Proto, 2)),
            (at(55), Action::Set(Setting::ZeroRtt, 1)),
            (at(60), Action::NewVisitor),
            (at(65), Action::Set(Setting::CdnHit, 0)),
            (at(70), Action::Set(Setting::CacheHit, 0)),
            (at(75), Action::Set(Setting::CrossRegion, 1)),
            (at(80), Action::Set(Setting::Tls, 1)),
            (at(85), Action::Set(Setting::Proto, 0)),
            (at(90), Action::Set(Setting::KeepAlive, 1)),
        ]
    }

    /// Every setting at its lowest, every one at its highest, and each alone at each end of its
    /// range, set live at tick 0 (so they shape load 1, see `Journey::apply`).
    fn extremes() -> Vec<Vec<Action>> {
        let end = |setting: Setting, high: bool| {
            let (low, top) = setting.range();
            Action::Set(setting, if high { top } else { low })
        };
        let corners = [false, true].map(|high| Setting::ALL.iter().map(|setting| end(*setting, high)).collect());
        let singles = Setting::ALL.iter().flat_map(|setting| [false, true].map(|high| vec![end(*setting, high)]));
        corners.into_iter().chain(singles).collect()
    }

    #[test]
    fn every_setting_at_its_ends_draws_cleanly_through_every_action() {
        let ticks = 6_000;
        for settings in extremes() {
            let mut model = Journey::new(&params(&[]), DEFAULT_SEED);
            settings.iter().for_each(|action| model.apply(action));
            let actions = actions(ticks);
            for tick in 0..=ticks {
                for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                    model.apply(action);
                }
                if tick % 7 == 0 {
                    let poster = draw(&model);
                    let context = format!("{settings:?} at {tick}");
                    assert!(poster.problems.is_empty(), "{context}: {:?}", poster.problems);
                    assert!(poster.svg.len() < 16_000, "{context}: {} bytes", poster.svg.len());
                    // At most one message per sub-resource (or the page's one).
                    assert!(glyphs(&poster.svg).len() <= crate::viz::journey::MAX_ASSETS.max(1), "{context}");
                    assert!(aria_label(&poster.svg).starts_with("A browser loads a page"), "{context}");
                }
                model.step();
            }
        }
    }

    #[test]
    fn the_picture_moves_with_the_request_and_depends_only_on_the_state() {
        let mut timeline = Timeline::<Journey>::new(params(&[]), DEFAULT_SEED, JOURNEY_LIMIT);
        for (at, action) in actions(4_000) {
            timeline.seek(at);
            timeline.act(action);
        }
        // Load 1's TCP handshake, then a later load's handshakes and fetches.
        check_stage_is_pure(&mut timeline, 25, |model| draw(model).svg);
        let busy = (4_000..8_000).find(|tick| {
            timeline.seek(*tick);
            let model = timeline.state();
            let elapsed = model.elapsed_ms();
            // Twenty ticks of the same moving phase ahead.
            model.phase_now().is_some_and(|phase| phase.step != Step::Service && phase.end >= elapsed + 21 && phase.wire > 0)
        });
        check_stage_is_pure(&mut timeline, busy.expect("a moving phase"), |model| draw(model).svg);
    }

    #[test]
    fn each_message_is_drawn_on_its_hop_going_its_way_in_its_shape() {
        // Every step of a cold load with a DNS walk, a CDN miss, a cache miss and HTTP/1.1.
        let list = [("proto", "h1"), ("dns", "walk"), ("cachehit", "0"), ("tls", "12")];
        let model = at(&list, &[], 0);
        let plan = model.load().plan.clone();
        let mut seen = Vec::new();
        for phase in &plan.phases {
            for tick in [phase.start, (phase.start + phase.end) / 2, phase.end - 1] {
                let model = at(&list, &[], u64::from(tick));
                let drawn = glyphs(&draw(&model).svg);
                let (hop, outcome) = match phase.step {
                    Step::DnsQuery | Step::DnsAnswer => (Some(Hop::Resolver), Outcome::Stale),
                    Step::DnsWalk => (Some(Hop::NameServers), Outcome::Stale),
                    Step::Tcp | Step::Tls { .. } => (Some(Hop::Edge), Outcome::Retried),
                    Step::Request { .. } => (Some(Hop::Edge), Outcome::InFlight),
                    Step::Response => (Some(Hop::Edge), Outcome::Ok),
                    Step::ToOrigin => (Some(Hop::Origin), Outcome::InFlight),
                    Step::FromOrigin => (Some(Hop::Origin), Outcome::Ok),
                    Step::ToService | Step::Service => (Some(Hop::Service), Outcome::InFlight),
                    Step::FromService => (Some(Hop::Service), Outcome::Ok),
                    Step::Cache | Step::Query { .. } => (None, Outcome::InFlight),
                    _ => (None, Outcome::InFlight),
                };
                seen.push(phase.step.row());
                let Some(hop) = hop else {
                    assert!(!drawn.is_empty(), "{phase:?} at {tick}: nothing drawn");
                    continue;
                };
                // One message, on its hop: between the link's ends (a little slack for the side
                // it travels on), in its shape.
                assert_eq!(drawn.len(), 1, "{phase:?} at {tick}: {drawn:?}");
                let (shape, x, y) = drawn[0];
                let (near, far) = ends(hop);
                let within = |value: f32, a: f32, b: f32| value >= a.min(b) - SIDE - 0.1 && value <= a.max(b) + SIDE + 0.1;
                assert!(within(x, near.0, far.0) && within(y, near.1, far.1), "{phase:?} at {tick}: ({x}, {y}) is off {hop:?} {near:?}–{far:?}");
                let expected = match phase.step {
                    Step::Tcp | Step::Tls { .. } | Step::DnsWalk => shape,
                    _ => outcome,
                };
                assert_eq!(shape, expected, "{phase:?} at {tick}");
                if matches!(phase.step, Step::Tcp | Step::Tls { .. }) {
                    assert_eq!(shape, Outcome::Retried);
                }
            }
        }
        for row in [Row::Dns, Row::Connect, Row::Tls, Row::Edge, Row::Origin, Row::Service, Row::Cache, Row::Database] {
            assert!(seen.contains(&row), "{row:?} never seen");
        }
        // The sub-resources over HTTP/1.1: a message per busy connection, in its own lane.
        let assets = plan.phases.last().expect("phases");
        assert_eq!(assets.step, Step::Assets);
        let model = at(&list, &[], u64::from(assets.start) + 1);
        let busy = model.load().plan.lanes.iter().filter(|lane| lane.phases.iter().any(|phase| phase.start <= assets.start + 1 && assets.start + 1 < phase.end)).count();
        let drawn = glyphs(&draw(&model).svg);
        assert_eq!(drawn.len(), busy, "{drawn:?}");
        let mut ys: Vec<i32> = drawn.iter().map(|(_, _, y)| (y * 10.0).round() as i32).collect();
        ys.sort_unstable();
        ys.dedup();
        assert_eq!(ys.len(), busy, "each connection has its own lane: {drawn:?}");
    }

    #[test]
    fn http2_sends_every_sub_resource_at_once_and_the_waterfall_fills_in() {
        let model = at(&[], &[], 0);
        let assets = *model.load().plan.phases.last().expect("phases");
        let during = at(&[], &[], u64::from(assets.start) + 2);
        let drawn = glyphs(&draw(&during).svg);
        assert_eq!(drawn.len(), 12, "the twelve requests travel together: {drawn:?}");
        assert!(drawn.iter().all(|(shape, ..)| *shape == Outcome::InFlight));
        // At the start nothing is filled in; when the load ends every row that took time shows
        // its milliseconds, and they add up to the total.
        let cold = draw(&model).svg;
        assert_eq!(cold.matches(" ms</text>").count(), 5, "only the five links' round trips: {cold}");
        let done = at(&[], &[], u64::from(assets.end));
        let svg = draw(&done).svg;
        let plan = &done.load().plan;
        let mut sum = 0;
        for row in Row::ALL {
            let ms = plan.row_ms(row);
            sum += ms;
            if ms > 0 {
                assert!(svg.contains(&format!(">{ms} ms</text>")), "{row:?} {ms}: {svg}");
            }
        }
        assert_eq!(sum, plan.total);
        assert!(svg.contains(&format!(">Load 1: {} ms<", plan.total)), "{svg}");
    }

    #[test]
    fn the_next_load_shows_the_last_one_beside_it_and_the_label_says_what_happens() {
        let model = at(&[], &[], 0);
        let first = model.load().plan.total;
        let second = at(&[], &[], u64::from(first + crate::viz::journey::PAUSE_MS + 10));
        assert_eq!(second.load().number, 2);
        let svg = draw(&second).svg;
        assert!(svg.contains(&format!("load 1: {first} ms")), "{svg}");
        assert_eq!(svg.matches("pv-line pv-line--dashed").count(), 8 + 1, "the region's L-shaped outline and the last load's end");
        let label = aria_label(&svg).to_string();
        assert!(label.starts_with("A browser loads a page with 12 sub-resources again and again over HTTP/2 on TCP and TLS 1.3, keep-alive on, through a CDN edge 30 ms away to an origin 80 ms behind it"), "{label}");
        assert!(label.contains("Load 2, 10 ms in: the request goes to the CDN edge over the connection left open"), "{label}");
        // The database in another region moves out of the region's outline.
        let far = draw(&at(&[("xregion", "1")], &[], 0)).svg;
        assert!(far.contains(">DB far<") && !far.contains(">Database<") && far.contains(">70 ms<"), "{far}");
        assert_eq!(far.matches("pv-line pv-line--dashed").count(), 4, "a rectangle around the load balancer, service and cache: {far}");
    }
}

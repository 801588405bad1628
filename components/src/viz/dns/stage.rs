//! The stage: the hierarchy as it stands at the current tick. The root, `.com` and example.com's
//! servers are at the top, each with the queries a second it gets; example.com also shows the
//! address it gives each region now, with a health marker for the primary server behind it (a
//! dot while up, a crossed ring while down, and the count of checks in a row that disagree with
//! what the checker believes). Under them each region's resolver shows its cache: `.com`'s and
//! example.com's delegations, www.example.com's address (struck through once example.com gives
//! another) and the NXDOMAIN for the misspelt name, each with a clock that drains as its TTL
//! runs out (a bare ring when not cached). At the bottom each client's stub cache is a clock for
//! its copy of www.example.com (full and in another colour for a client that ignores TTLs),
//! with a bar under it while it uses an old address and a warning triangle while the server it
//! is sent to is down.
//!
//! Every message is drawn where the model has it, at its true progress along its link: a query
//! is an arrowhead going up (on the left of its link), an answer comes down on the right in its
//! own shape: a referral as a diamond, an address as a dot, an old address as a square, an
//! NXDOMAIN as a cross. A client's lookup climbs its own lane to the resolver and waits at the
//! top of it while a walk is in flight (the row of arrowheads under a resolver is its queue). An
//! answer from a client's own cache never leaves it: it hops up from the clock for a moment. Each
//! client has at most one lookup and each resolver at most one walk per name, so every message
//! is drawn: no sampling.

use super::{Answer, Client, Dns, Entry, Level, Lookup, LookupLeg, Record, Region, Resolution, REGIONS};
use crate::diagram::text::text_width;
use crate::sim::Simulation;
use crate::viz::poster::{along, first_that_fits, Anchor, Health, Outcome, Sketch, MIN_FONT};

/// The canvas height: the stage and the play controls fit a 360 px phone's first screen.
pub const HEIGHT: f32 = 346.0;
const LEFT: f32 = 6.0;
const RIGHT: f32 = 314.0;
const HEADING_Y: f32 = 13.0;

#[derive(Debug, Clone, Copy)]
struct Span {
    left: f32,
    right: f32,
}

impl Span {
    fn width(self) -> f32 {
        self.right - self.left
    }

    fn centre(self) -> f32 {
        (self.left + self.right) / 2.0
    }
}

/// The servers' row: the root, `.com`, example.com; their text lines' baselines.
const SERVERS_TOP: f32 = 20.0;
const SERVERS_BOTTOM: f32 = 80.0;
const SERVERS: [Span; 3] = [Span { left: 6.0, right: 66.0 }, Span { left: 72.0, right: 138.0 }, Span { left: 144.0, right: 314.0 }];
const LINES_Y: [f32; 3] = [36.0, 54.0, 72.0];

/// The resolvers: one column per region, the title and the cache's four rows.
const RESOLVER_TOP: f32 = 144.0;
const RESOLVER_BOTTOM: f32 = 226.0;
const COLUMNS: [Span; REGIONS] = [Span { left: 6.0, right: 156.0 }, Span { left: 164.0, right: 314.0 }];
const TITLE_Y: f32 = 158.0;
const ROWS_Y: [f32; 4] = [175.0, 190.0, 205.0, 220.0];
const CLOCK_R: f32 = 5.5;

/// The clients: their clocks' centre line and spacing, the old-address marks under them, and
/// the two lines of numbers under each region.
const STUB_Y: f32 = 282.0;
const STUB_PITCH: f32 = 15.0;
const MARK_Y: f32 = 293.0;
const OLD_Y: f32 = 308.0;
const LATENCY_Y: f32 = 324.0;
const LEGEND_Y: f32 = 341.0;

/// How far from each end of a link a travelling shape stays; how far to the side of its link
/// a walk's messages go (queries left, replies right), and a lookup's in its lane.
const INSET: f32 = 6.0;
const LANE: f32 = 4.0;
const SIDE: f32 = 3.0;
/// How long an answer from a client's own cache is shown, and how far it hops.
const HOP_TICKS: u32 = 20;
const HOP_RISE: f32 = 12.0;

/// The system at the model's current tick, on a 320 × 346 canvas (see the module
/// documentation). Its label says in words what the picture shows.
pub fn stage(model: &Dns) -> Sketch {
    let mut sketch = Sketch::new(HEIGHT, &describe(model));
    sketch.text(LEFT + 2.0, HEADING_Y, MIN_FONT, Anchor::Start, true, &heading(model));
    draw_servers(&mut sketch, model);
    for region in Region::ALL {
        for level in Level::ALL {
            let (low, high) = link(region, level);
            sketch.line(low.0, low.1, high.0, high.1, false);
        }
        draw_resolver(&mut sketch, model, region);
        draw_clients(&mut sketch, model, region);
    }
    for walk in model.resolutions() {
        let (x, y) = on_link(walk, model.tick() as u32);
        sketch.request(x, y, walk.reply.map_or(Outcome::InFlight, |reply| shape(model, walk.region, reply.answer)));
    }
    for lookup in model.lookups() {
        let (x, y, outcome) = in_lane(model, lookup);
        sketch.request(x, y, outcome);
    }
    sketch.legend_with(LEFT + 2.0, LEGEND_Y, &[(Outcome::InFlight, "query"), (Outcome::Ok, "answer"), (Outcome::Retried, "referral"), (Outcome::Rejected, "NX"), (Outcome::Stale, "old addr")]);
    sketch
}

/// The record's TTL, the negative TTL and geo-routing, in the longest form that fits.
fn heading(model: &Dns) -> String {
    let config = model.config();
    let (ttl, negative, geo) = (config.ttl_s, config.neg_ttl_s, if config.geo { "on" } else { "off" });
    let options = [format!("TTL {ttl} s, negative TTL {negative} s, geo-routing {geo}"), format!("TTL {ttl} s, negative {negative} s, geo {geo}"), format!("TTL {ttl} s")];
    first_that_fits(&options, MIN_FONT, RIGHT - LEFT - 4.0)
}

/// A rate in queries a second, short.
fn rate(per_second: f64) -> String {
    if per_second < 10.0 {
        format!("{per_second:.1}/s")
    } else {
        format!("{per_second:.0}/s")
    }
}

fn draw_servers(sketch: &mut Sketch, model: &Dns) {
    let height = SERVERS_BOTTOM - SERVERS_TOP;
    for (level, label) in [(Level::Root, "Root"), (Level::Tld, ".com")] {
        let span = SERVERS[level.index()];
        sketch.component(span.left, SERVERS_TOP, span.width(), height, Health::Up, 0.0, MIN_FONT, label);
        sketch.text(span.centre(), LINES_Y[1], MIN_FONT, Anchor::Middle, false, &rate(model.per_second(level)));
        sketch.text(span.centre(), LINES_Y[2], MIN_FONT, Anchor::Middle, false, "queries");
    }
    let auth = SERVERS[Level::Auth.index()];
    let title = first_that_fits(&[format!("example.com {}", rate(model.per_second(Level::Auth))), "example.com".to_string()], MIN_FONT, auth.width() - 8.0);
    sketch.component(auth.left, SERVERS_TOP, auth.width(), height, Health::Up, 0.0, MIN_FONT, &title);
    for region in Region::ALL {
        let y = LINES_Y[1 + region.index()];
        let site = model.site_for(region);
        let marker = (auth.right - 10.0, y - 4.0);
        if model.server_up(site) {
            sketch.circle(marker.0, marker.1, 4.0, Some(3));
        } else {
            sketch.ring(marker.0, marker.1, 4.0);
            sketch.path(&cross(marker.0, marker.1, 4.0), Some(4));
        }
        let checks = model.failed_checks(site);
        let mut room = marker.0 - 8.0 - (auth.left + 6.0);
        if checks > 0 {
            let count = format!("{checks}/{}", model.config().threshold);
            sketch.text(marker.0 - 8.0, y, MIN_FONT, Anchor::End, false, &count);
            room -= text_width(&count, MIN_FONT) + 6.0;
        }
        let ip = model.answer_for(region).ip();
        let text = first_that_fits(&[format!("{} {ip}", region.short()), ip.clone()], MIN_FONT, room);
        sketch.text(auth.left + 6.0, y, MIN_FONT, Anchor::Start, false, &text);
    }
}

/// A cross `r` from its centre each way, as path data.
fn cross(x: f32, y: f32, r: f32) -> String {
    let d = 2.0 * r;
    format!("M{:.1} {:.1}l{d:.1} {d:.1}m0-{d:.1}l-{d:.1} {d:.1}", x - r, y - r)
}

/// The link from a region's resolver (low end) up to a level's servers (high end). Each
/// resolver's three links leave its top a third of its width apart and end apart on the
/// servers, so no two links share an end.
fn link(region: Region, level: Level) -> ((f32, f32), (f32, f32)) {
    let column = COLUMNS[region.index()];
    let low = (column.left + 25.0 + 50.0 * level.index() as f32, RESOLVER_TOP);
    let spread = if level == Level::Auth { 30.0 } else { 10.0 };
    let side = if region == Region::Europe { -spread } else { spread };
    (low, (SERVERS[level.index()].centre() + side, SERVERS_BOTTOM))
}

/// A walk's message on its link: the query up on the left, the reply down on the right, at its
/// true progress, inset from both ends.
fn on_link(walk: &Resolution, now: u32) -> (f32, f32) {
    let length = walk.arrives.saturating_sub(walk.sent).max(1) as f32;
    let progress = (now.saturating_sub(walk.sent) as f32 + 0.5) / length;
    let (low, high) = link(walk.region, walk.level);
    let (dx, dy) = (high.0 - low.0, high.1 - low.1);
    let span = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / span, dy / span);
    let down = walk.reply.is_some();
    let side = if down { LANE } else { -LANE };
    // Perpendicular to the link: to its right (going up) for a positive side.
    let (px, py) = (-uy * side, ux * side);
    let start = (low.0 + ux * INSET + px, low.1 + uy * INSET + py);
    let end = (high.0 - ux * INSET + px, high.1 - uy * INSET + py);
    if down {
        along(end, start, progress)
    } else {
        along(start, end, progress)
    }
}

/// The shape of an answer: a referral, an address (old or current) or an NXDOMAIN.
fn shape(model: &Dns, region: Region, answer: Answer) -> Outcome {
    match answer {
        Answer::Referral(_) => Outcome::Retried,
        Answer::NxDomain => Outcome::Rejected,
        Answer::Address(address) if model.is_old(region, address) => Outcome::Stale,
        Answer::Address(_) => Outcome::Ok,
    }
}

/// Where a region's client sits: the row is centred under its resolver.
fn client_x(region: Region, client: usize, clients: usize) -> f32 {
    COLUMNS[region.index()].centre() + (client as f32 - (clients as f32 - 1.0) / 2.0) * STUB_PITCH
}

/// The top and bottom of the clients' lanes, where a lookup's shape stops.
const LANE_TOP: f32 = RESOLVER_BOTTOM + INSET;
const LANE_BOTTOM: f32 = STUB_Y - CLOCK_R - 1.0 - INSET;

/// A lookup in its client's lane: up on the left, waiting at the top, back down on the right.
fn in_lane(model: &Dns, lookup: &Lookup) -> (f32, f32, Outcome) {
    let x = client_x(lookup.region, usize::from(lookup.client), model.clients(lookup.region).len());
    let now = model.tick() as u32;
    let progress = (now.saturating_sub(lookup.sent) as f32 + 0.5) / lookup.arrives.saturating_sub(lookup.sent).max(1) as f32;
    match lookup.leg {
        LookupLeg::Up => (x - SIDE, LANE_BOTTOM + (LANE_TOP - LANE_BOTTOM) * progress.clamp(0.0, 1.0), Outcome::InFlight),
        LookupLeg::Waiting => (x - SIDE, LANE_TOP, Outcome::InFlight),
        LookupLeg::Down { answer, .. } => (x + SIDE, LANE_TOP + (LANE_BOTTOM - LANE_TOP) * progress.clamp(0.0, 1.0), shape(model, lookup.region, answer)),
    }
}

fn draw_resolver(sketch: &mut Sketch, model: &Dns, region: Region) {
    let column = COLUMNS[region.index()];
    sketch.rect(column.left, RESOLVER_TOP, column.width(), RESOLVER_BOTTOM - RESOLVER_TOP, 6.0, None);
    let title = format!("{} resolver", region.short());
    sketch.text(column.left + 6.0, TITLE_Y, MIN_FONT, Anchor::Start, true, &title);
    let hits = model.recent(region).resolver_hit_ratio().map_or("–".to_string(), |ratio| format!("{:.0}%", ratio * 100.0));
    let room = column.width() - 18.0 - text_width(&title, MIN_FONT);
    sketch.text(column.right - 6.0, TITLE_Y, MIN_FONT, Anchor::End, false, &first_that_fits(&[format!("{hits} hits"), format!("hit {hits}"), hits.clone()], MIN_FONT, room));
    let now = model.tick() as u32;
    for (record, y) in Record::ALL.into_iter().zip(ROWS_Y) {
        let cx = column.left + 12.0;
        let copy = model.resolver_cache(region, record).filter(|entry| entry.is_fresh(now));
        match copy {
            Some(entry) => sketch.clock(cx, y - 4.0, CLOCK_R, entry.left(now), Some(3)),
            None => sketch.ring(cx, y - 4.0, CLOCK_R),
        }
        let left = column.left + 22.0;
        let text = first_that_fits(&row_text(record, copy), MIN_FONT, column.right - 4.0 - left);
        sketch.text(left, y, MIN_FONT, Anchor::Start, copy.is_some(), &text);
        if let Some(Entry { answer: Answer::Address(address), .. }) = copy {
            if model.is_old(region, address) {
                sketch.path(&format!("M{left:.1} {:.1}h{:.1}", y - 4.0, text_width(&text, MIN_FONT)), Some(4));
            }
        }
    }
}

/// A resolver cache row's words, longest first.
fn row_text(record: Record, copy: Option<Entry>) -> Vec<String> {
    let words = |list: &[&str]| list.iter().map(|word| word.to_string()).collect();
    match (record, copy.map(|entry| entry.answer)) {
        (Record::ComNs, _) => words(&[".com NS"]),
        (Record::ExampleNs, _) => words(&["example.com NS", "example NS"]),
        (Record::Www, Some(Answer::Address(address))) => vec![format!("www {}", address.ip()), address.ip()],
        (Record::Www, _) => words(&["www"]),
        (Record::Typo, Some(_)) => words(&["wwww NXDOMAIN", "wwww NX"]),
        (Record::Typo, None) => words(&["wwww"]),
    }
}

fn draw_clients(sketch: &mut Sketch, model: &Dns, region: Region) {
    let clients = model.clients(region);
    let now = model.tick() as u32;
    let mut lanes = String::with_capacity(24 * clients.len());
    for (index, client) in clients.iter().enumerate() {
        let x = client_x(region, index, clients.len());
        lanes.push_str(&format!("M{x:.1} {RESOLVER_BOTTOM:.1}V{:.1}", STUB_Y - CLOCK_R - 1.0));
        draw_stub(sketch, model, x, client, model.sticky(index));
        if let Some((at, answer)) = client.last_hit.filter(|(at, _)| now.saturating_sub(*at) < HOP_TICKS) {
            let rise = HOP_RISE * now.saturating_sub(at) as f32 / HOP_TICKS as f32;
            sketch.request(x, STUB_Y - CLOCK_R - 4.5 - rise, shape(model, region, answer));
        }
        match client.address {
            Some(address) if model.is_down(address) => sketch.path(&format!("M{x:.1} {:.1}l4 7h-8Z", MARK_Y - 4.0), Some(4)),
            Some(address) if model.is_old(region, address) => sketch.path(&format!("M{:.1} {MARK_Y:.1}h10", x - 5.0), Some(4)),
            _ => {}
        }
    }
    sketch.path(&lanes, None);
    let column = COLUMNS[region.index()];
    let (count, down, old) = (clients.len(), model.on_down_server(region), model.old_clients(region));
    let options = if down > 0 {
        [format!("{down} of {count} on a dead server"), format!("{down}/{count} on a dead server"), format!("{down}/{count} on dead server")]
    } else {
        [format!("{old} of {count} on an old address"), format!("{old}/{count} on old address"), format!("{old}/{count} old")]
    };
    sketch.text(column.centre(), OLD_Y, MIN_FONT, Anchor::Middle, false, &first_that_fits(&options, MIN_FONT, column.width() - 4.0));
    let recent = model.recent(region);
    let (p50, p99) = (recent.p50_ms.map_or("–".to_string(), |ms| ms.to_string()), recent.p99_ms.map_or("–".to_string(), |ms| ms.to_string()));
    let options = [format!("p50 {p50} ms, p99 {p99} ms"), format!("p50/p99 {p50}/{p99}"), format!("p99 {p99} ms")];
    sketch.text(column.centre(), LATENCY_Y, MIN_FONT, Anchor::Middle, false, &first_that_fits(&options, MIN_FONT, column.width() - 4.0));
}

/// A client's copy of www.example.com as a clock: draining with its TTL, full in another colour
/// for a client that keeps it past its TTL, a bare ring when it has none fresh.
fn draw_stub(sketch: &mut Sketch, model: &Dns, x: f32, client: &Client, sticky: bool) {
    let now = model.tick() as u32;
    match client.copy(super::Name::Www) {
        Some(_) if sticky => sketch.clock(x, STUB_Y, CLOCK_R, 1.0, Some(2)),
        Some(entry) if entry.is_fresh(now) => sketch.clock(x, STUB_Y, CLOCK_R, entry.left(now), Some(3)),
        _ => sketch.ring(x, STUB_Y, CLOCK_R),
    }
}

/// What the picture shows, for a screen reader.
fn describe(model: &Dns) -> String {
    let config = model.config();
    let stub = if config.stub { "their own cache, then " } else { "" };
    let setup = format!(
        "{} clients in Europe and {} in the US look up www.example.com through {stub}the resolver of their region, which asks the root, then .com, then example.com. example.com answers Europe with {} and the US with {}, TTL {} s{}.",
        model.clients(Region::Europe).len(),
        model.clients(Region::Us).len(),
        model.answer_for(Region::Europe).ip(),
        model.answer_for(Region::Us).ip(),
        config.ttl_s,
        if config.geo { ", routed by region" } else { ", the US servers for everyone" }
    );
    let state: Vec<String> = Region::ALL
        .iter()
        .filter(|site| !model.server_up(**site))
        .map(|site| format!("The {} server is down{}. ", site.short(), if model.seen_healthy(*site) { ", not yet noticed by the health checks" } else { "; example.com answers with the backup instead" }))
        .collect();
    let regions: Vec<String> = Region::ALL
        .iter()
        .map(|region| {
            let recent = model.recent(*region);
            let hits = recent.resolver_hit_ratio().map_or("no queries to the resolver in the last 5 s".to_string(), |ratio| format!("resolver cache hits {:.0}%", ratio * 100.0));
            let latency = match (recent.p50_ms, recent.p99_ms) {
                (Some(p50), Some(p99)) => format!(", lookups p50 {p50} ms, p99 {p99} ms"),
                _ => String::new(),
            };
            format!("{}: {} of {} clients on an old address, {} on a dead server, {hits}{latency}", region.short(), model.old_clients(*region), model.clients(*region).len(), model.on_down_server(*region))
        })
        .collect();
    format!(
        "{setup} {}At {:.2} s: {}. Queries a second: root {:.1}, .com {:.1}, example.com {:.1}.",
        state.concat(),
        model.time_ms() as f64 / 1000.0,
        regions.join("; "),
        model.per_second(Level::Root),
        model.per_second(Level::Tld),
        model.per_second(Level::Auth)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Timeline};
    use crate::viz::dns::{Action, Address, Setting, DNS_LIMIT, DNS_PARAMS, MAX_CLIENTS, TICKS_PER_SIM_SECOND};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, extreme_presets, pairs, Poster};

    const SECOND: u64 = TICKS_PER_SIM_SECOND as u64;

    fn params(list: &[(&str, &str)]) -> Params {
        Params::from_pairs(DNS_PARAMS, &pairs(list)).0
    }

    fn at(list: &[(&str, &str)], actions: &[(u64, Action)], tick: u64) -> Dns {
        Timeline::<Dns>::replay(params(list), DEFAULT_SEED, DNS_LIMIT, actions.to_vec(), tick).state().clone()
    }

    fn draw(model: &Dns) -> Poster {
        stage(model).finish()
    }

    /// The message shapes drawn above the legend.
    fn glyphs(svg: &str) -> Vec<(Outcome, f32, f32)> {
        drawn_requests(svg).into_iter().filter(|(_, _, y)| *y < LEGEND_Y - 8.0).collect()
    }

    /// Every action the reader can take, spread over `ticks`.
    fn actions(ticks: u64) -> Vec<(u64, Action)> {
        let at = |share: u64| ticks * share / 100;
        vec![
            (at(10), Action::Misspell),
            (at(20), Action::Migrate),
            (at(25), Action::Fail(Region::Europe)),
            (at(30), Action::Flush(Region::Us)),
            (at(40), Action::Set(Setting::Geo, 0)),
            (at(45), Action::Fail(Region::Us)),
            (at(50), Action::Set(Setting::Interval, 1)),
            (at(55), Action::Set(Setting::Threshold, 1)),
            (at(60), Action::Set(Setting::Stub, 0)),
            (at(65), Action::Set(Setting::Sticky, 50)),
            (at(70), Action::Set(Setting::Rate, 100)),
            (at(75), Action::Recover(Region::Europe)),
            (at(80), Action::Set(Setting::Clients, 1)),
            (at(85), Action::Set(Setting::Clients, 10)),
            (at(90), Action::Set(Setting::NegTtl, 0)),
            (at(92), Action::Misspell),
        ]
    }

    #[test]
    fn every_parameter_extreme_draws_cleanly_through_every_action() {
        let ticks = 1_000;
        for values in extreme_presets(DNS_PARAMS) {
            let list: Vec<(&str, &str)> = values.iter().map(|(key, value)| (*key, value.as_str())).collect();
            let mut model = Dns::new(&params(&list), DEFAULT_SEED);
            let actions = actions(ticks);
            for tick in 0..=ticks {
                for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                    model.apply(action);
                }
                if tick % 9 == 0 {
                    let poster = draw(&model);
                    let context = format!("{list:?} at {tick}");
                    assert!(poster.problems.is_empty(), "{context}: {:?}", poster.problems);
                    assert!(poster.svg.len() < 16_000, "{context}: {} bytes", poster.svg.len());
                    // At most a lookup and a cached answer's hop per client, and a walk per name per resolver.
                    assert!(glyphs(&poster.svg).len() <= 4 * MAX_CLIENTS + 4, "{context}");
                    assert!(aria_label(&poster.svg).contains("look up www.example.com"), "{context}");
                }
                model.step();
            }
        }
    }

    #[test]
    fn the_picture_moves_with_the_lookups_and_depends_only_on_the_state() {
        let mut timeline = Timeline::<Dns>::new(params(&[("stub", "0"), ("rate", "10")]), DEFAULT_SEED, DNS_LIMIT);
        for (at, action) in actions(2_000) {
            timeline.seek(at);
            timeline.act(action);
        }
        check_stage_is_pure(&mut timeline, 2_100, |model| draw(model).svg);
        check_stage_is_pure(&mut timeline, 300, |model| draw(model).svg);
    }

    /// The shape a message should have, read from the model.
    fn expected(model: &Dns, region: Region, answer: Option<Answer>) -> Outcome {
        match answer {
            None => Outcome::InFlight,
            Some(Answer::Referral(_)) => Outcome::Retried,
            Some(Answer::NxDomain) => Outcome::Rejected,
            Some(Answer::Address(address)) if address != model.answer_for(region) => Outcome::Stale,
            Some(Answer::Address(_)) => Outcome::Ok,
        }
    }

    #[test]
    fn each_message_is_drawn_on_its_link_or_lane_going_its_way_in_its_shape() {
        // Short TTLs and no stub caches keep walks and lookups going; misspellings and moves
        // bring NXDOMAINs and old addresses.
        let list = [("stub", "0"), ("rate", "3"), ("ttl", "1"), ("negttl", "1"), ("rootttl", "2"), ("tldttl", "3")];
        let actions: Vec<(u64, Action)> = (1..12).flat_map(|n| [(n * 250, Action::Misspell), (n * 250 + 120, Action::Migrate)]).collect();
        let mut model = Dns::new(&params(&list), DEFAULT_SEED);
        let mut seen = [0usize; 5];
        for tick in 0..3_000u64 {
            for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                model.apply(action);
            }
            model.step();
            if tick % 3 != 0 {
                continue;
            }
            let drawn = glyphs(&draw(&model).svg);
            let now = model.tick() as u32;
            for walk in model.resolutions() {
                let outcome = expected(&model, walk.region, walk.reply.map(|reply| reply.answer));
                seen[Outcome::ALL.iter().position(|each| *each == outcome).unwrap_or(0).min(4)] += 1;
                let (low, high) = link(walk.region, walk.level);
                let (dx, dy) = (high.0 - low.0, high.1 - low.1);
                let length = (dx * dx + dy * dy).sqrt();
                // Where it is during this tick by the model's clock, on a way running `INSET`
                // inside each end of the link.
                let leg = (walk.arrives - walk.sent) as f32;
                let share = |ticks: u32| (INSET + (length - 2.0 * INSET) * ticks as f32 / leg) / length;
                let (from, to) = (share(now - walk.sent) - 0.01, share(now - walk.sent + 1) + 0.01);
                let down = walk.reply.is_some();
                let found = drawn.iter().any(|(shape, x, y)| {
                    let along = ((x - low.0) * dx + (y - low.1) * dy) / (length * length);
                    let across = ((x - low.0) * dy - (y - low.1) * dx) / length;
                    let travelled = if down { 1.0 - along } else { along };
                    // Queries on one side of the link, replies on the other.
                    *shape == outcome && (across > 0.0) != down && (across.abs() - LANE).abs() < 0.2 && (from..=to).contains(&travelled)
                });
                assert!(found, "tick {tick}: {walk:?} not drawn on its link: {drawn:?}");
            }
            for lookup in model.lookups() {
                let (answer, up) = match lookup.leg {
                    LookupLeg::Down { answer, .. } => (Some(answer), false),
                    _ => (None, true),
                };
                let outcome = expected(&model, lookup.region, answer);
                let x = client_x(lookup.region, usize::from(lookup.client), model.clients(lookup.region).len()) + if up { -SIDE } else { SIDE };
                let found = drawn.iter().any(|(shape, gx, gy)| {
                    let in_lane = (gx - x).abs() < 0.06 && (LANE_TOP - 0.06..=LANE_BOTTOM + 0.06).contains(gy);
                    // Waiting at the top; otherwise nearer the end it left while under half way.
                    let placed = match lookup.leg {
                        LookupLeg::Waiting => (gy - LANE_TOP).abs() < 0.06,
                        _ => {
                            let progress = (now - lookup.sent) as f32 / (lookup.arrives - lookup.sent) as f32;
                            let from_start = if up { (LANE_BOTTOM - gy) / (LANE_BOTTOM - LANE_TOP) } else { (gy - LANE_TOP) / (LANE_BOTTOM - LANE_TOP) };
                            from_start >= progress - 0.01 && from_start <= progress + 1.0 / (lookup.arrives - lookup.sent) as f32 + 0.01
                        }
                    };
                    *shape == outcome && in_lane && placed
                });
                assert!(found, "tick {tick}: {lookup:?} not drawn in its lane: {drawn:?}");
            }
        }
        // Queries, answers, referrals, NXDOMAINs and old addresses were all seen on the links.
        assert!(seen.iter().filter(|count| **count > 0).count() >= 4, "{seen:?}");
    }

    #[test]
    fn caches_show_their_copies_as_clocks_and_old_addresses_are_marked() {
        // At the start every cache is empty: four rings per resolver, one per client.
        let cold = draw(&at(&[], &[], 0)).svg;
        assert_eq!(cold.matches(r#"<circle class="pv-ring""#).count(), 2 * 4 + 20);
        assert_eq!(cold.matches(r#"<circle class="pv-meter""#).count(), 0);
        // Running: a clock for every fresh copy, a ring for the rest.
        let model = at(&[], &[], 3 * SECOND);
        let now = model.tick() as u32;
        let fresh_resolver = Region::ALL.iter().flat_map(|region| Record::ALL.map(|record| model.resolver_cache(*region, record))).filter(|copy| copy.is_some_and(|entry| entry.is_fresh(now))).count();
        let fresh_stub = Region::ALL.iter().flat_map(|region| model.clients(*region)).filter(|client| client.copy(super::super::Name::Www).is_some_and(|entry| entry.is_fresh(now))).count();
        assert_eq!(fresh_resolver, 6, "both delegations and the address, in each region");
        let svg = draw(&model).svg;
        assert_eq!(svg.matches(r#"<circle class="pv-meter""#).count(), fresh_resolver + fresh_stub);
        assert_eq!(svg.matches(r#"<circle class="pv-ring""#).count(), 2 * 4 + 20 - fresh_resolver - fresh_stub);
        assert!(svg.contains(">www 192.0.2.1<") && svg.contains(">www 192.0.2.101<") && svg.contains(">example.com NS<"), "{svg}");
        // After a move: both resolvers' rows and every client's address are marked old.
        let moved = at(&[], &[(10 * SECOND, Action::Migrate)], 10 * SECOND + 1);
        let svg = draw(&moved).svg;
        let with_address = Region::ALL.iter().flat_map(|region| moved.clients(*region)).filter(|client| client.address.is_some()).count();
        assert_eq!((moved.old_clients(Region::Europe) + moved.old_clients(Region::Us)) as usize, with_address);
        assert_eq!(svg.matches(r#"<path class="pv-path pv-path--4" d="M"#).count(), 2 + with_address, "two struck rows, a bar per client");
        assert!(svg.contains(&format!(">{}/10 on old address<", moved.old_clients(Region::Europe))), "{svg}");
        // A failed server: its marker is crossed out and its clients get a warning instead.
        let failed = at(&[], &[(10 * SECOND, Action::Fail(Region::Us))], 10 * SECOND + 1);
        let svg = draw(&failed).svg;
        let dead = failed.on_down_server(Region::Us);
        assert!(dead > 5 && failed.on_down_server(Region::Europe) == 0);
        assert_eq!(svg.matches("l4 7h-8Z").count(), dead as usize);
        assert!(svg.contains(&format!(">{dead}/10 on dead server<")) || svg.contains(&format!(">{dead}/10 on a dead server<")), "{svg}");
        // Clients that ignore TTLs hold full clocks in another colour.
        let sticky = at(&[("sticky", "100")], &[], 30 * SECOND);
        let held = Region::ALL.iter().flat_map(|region| sticky.clients(*region)).filter(|client| client.copy(super::super::Name::Www).is_some()).count();
        assert!(held > 15);
        assert_eq!(draw(&sticky).svg.matches(r#"<circle class="pv-fill pv-fill--2""#).count(), held);
    }

    #[test]
    fn example_com_shows_its_answers_and_the_health_checks_count_up_to_the_failover() {
        let list: [(&str, &str); 0] = [];
        let failed = [(5 * SECOND, Action::Fail(Region::Europe))];
        // Checks at 10 and 20 s fail; the third, at 30 s, fails over.
        let svg = draw(&at(&list, &failed, 25 * SECOND)).svg;
        assert!(svg.contains(">2/3<") && svg.contains(">EU 192.0.2.1<"), "{svg}");
        assert_eq!(svg.matches(r#"<circle class="pv-ring" cx="304.0""#).count(), 1, "one crossed marker");
        let svg = draw(&at(&list, &failed, 30 * SECOND)).svg;
        assert!(svg.contains(">EU 192.0.2.254<") && !svg.contains(">2/3<") && svg.contains(">US 192.0.2.101<"), "{svg}");
        let label = aria_label(&svg).to_string();
        assert!(label.contains("The EU server is down; example.com answers with the backup instead."), "{label}");
        assert!(label.contains("example.com answers Europe with 192.0.2.254 and the US with 192.0.2.101, TTL 20 s, routed by region."), "{label}");
        let svg = draw(&at(&[("geo", "0")], &[], 0)).svg;
        assert!(svg.contains(">EU 192.0.2.101<") && svg.contains(">TTL 20 s, negative TTL 10 s, geo-routing off<"), "{svg}");
    }

    #[test]
    fn the_label_says_what_each_region_sees() {
        let model = at(&[], &[], 30 * SECOND);
        let label = aria_label(&draw(&model).svg).to_string();
        assert!(label.starts_with("10 clients in Europe and 10 in the US look up www.example.com through their own cache, then the resolver of their region, which asks the root, then .com, then example.com."), "{label}");
        for region in Region::ALL {
            let recent = model.recent(region);
            let hits = recent.resolver_hit_ratio().map_or("no queries to the resolver in the last 5 s".to_string(), |ratio| format!("resolver cache hits {:.0}%", ratio * 100.0));
            assert!(label.contains(&format!("{}: 0 of 10 clients on an old address, 0 on a dead server, {hits}", region.short())), "{label}");
        }
        assert!(label.ends_with(&format!("Queries a second: root {:.1}, .com {:.1}, example.com {:.1}.", model.per_second(Level::Root), model.per_second(Level::Tld), model.per_second(Level::Auth))), "{label}");
        assert_eq!(model.answer_for(Region::Europe), Address::Primary { site: Region::Europe, generation: 0 });
    }
}

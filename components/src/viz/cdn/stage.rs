//! The stage: the CDN users are sent to, drawn as it stands at the current tick. The origin is
//! at the top, the shield under it (when on), the three regions' edges under that and their
//! users at the bottom. Requests go up from the users to their edge; answers come back down,
//! each in its outcome's shape: a hit as a dot, a miss (answered by a fetch) as a diamond, a
//! stale copy as a square, an error as a cross. A miss's fetch travels up the links to the
//! shield and the origin as an arrowhead and comes back in the shape of what it carries; fetches
//! waiting on another (at the shield) and those being generated (at the origin) queue beside
//! their box. Each edge shows its four most requested objects as clocks that drain as their
//! max-age runs out (full and in another colour when pushed, struck through once stale, a bare
//! ring when not cached, an arc while a fetch for it is in flight), the version it holds under
//! each (struck through when the origin has a newer one), and the requests waiting on a fetch.
//! The origin is crossed out while down; an edge and the shield while their CDN is.
//!
//! Fetches are drawn where the model has them, at their true progress along their link (the
//! legs to Asia are the longest). The users' links are too short to watch (10 ms each way), so
//! the requests and answers of the last `TRAIL_TICKS` ticks are replayed along them, one row
//! per tick. A dot is a request (or fetch) whose number is a multiple of what a dot is worth, so
//! it keeps its place from tick to tick, and scrubbing, stepping back and a shared link draw the
//! same picture. When traffic is heavy a dot stands for 1, 2, 5, 10… requests: the smallest that
//! keeps every row, queue and the whole picture within what it can draw.

use super::{cdn_name, object_name, Cdn, Counts, Entry, Fetch, Leg, Region, RegionStats, Reply, HOT_OBJECTS, REGIONS, REGION_SHARE, TICK_MS, TRAIL_TICKS};
use crate::diagram::text::text_width;
use crate::sim::number::group_thousands;
use crate::sim::Simulation;
use crate::viz::poster::{along, first_that_fits, round_units, Anchor, Health, Outcome, Sketch, MIN_FONT};

/// The canvas height: the stage and the play controls fit a 360 px phone's first screen.
pub const HEIGHT: f32 = 328.0;
const LEFT: f32 = 6.0;
const RIGHT: f32 = 314.0;
const HEADING_Y: f32 = 13.0;

const MID_X: f32 = 160.0;
const ORIGIN: Rect = Rect { left: 110.0, top: 20.0, right: 210.0, bottom: 44.0 };
const SHIELD: Rect = Rect { left: 120.0, top: 70.0, right: 200.0, bottom: 92.0 };
const EDGE_TOP: f32 = 128.0;
const EDGE_BOTTOM: f32 = 206.0;
const USERS_TOP: f32 = 246.0;
const USERS_BOTTOM: f32 = 266.0;
/// The regions' columns: their centres, each `COLUMN` wide.
const COLUMNS: [f32; REGIONS] = [56.0, 160.0, 264.0];
const COLUMN: f32 = 100.0;
const NUMBERS_Y: f32 = 282.0;
const LEGEND_Y: f32 = 302.0;
const CAPTION_Y: f32 = 320.0;

/// Inside an edge: its clocks' centre line, their radius and spacing; the versions' baseline;
/// the waiting requests' row.
const CLOCKS_Y: f32 = 160.0;
const CLOCK_R: f32 = 8.0;
const CLOCK_PITCH: f32 = 22.0;
const ARC_GAP: f32 = 3.0;
const VERSIONS_Y: f32 = 184.0;
const WAITING_Y: f32 = 196.0;
const WAITING_MOST: u64 = 6;

/// Where the queues beside the origin and the shield start, and how long they may grow.
const QUEUE_LEFT: f32 = 222.0;
const QUEUE_GAP: f32 = 8.0;
const QUEUE_MOST: usize = 10;

/// The users' links: requests up on the left of each column, answers down on the right, each
/// spread over four columns a dot wide; one row per replayed tick.
const USER_LANE: f32 = 20.0;
const USER_SPREAD: [f32; 4] = [-10.5, -3.5, 3.5, 10.5];
/// How far from each end of a link a travelling dot stays, and how far apart a link's two ways.
const INSET: f32 = 6.0;
const LANE: f32 = 4.0;
/// The most dots the picture draws (the legend's aside), and how many the busiest users' link
/// carries on average.
pub const MAX_DOTS: usize = 72;
const LANE_EXPECTED: f64 = 10.0;
/// A dot's radius, as `Sketch::request` draws it.
const DOT: f32 = 3.5;

#[derive(Debug, Clone, Copy)]
struct Rect {
    left: f32,
    top: f32,
    right: f32,
    bottom: f32,
}

/// The CDN users are sent to, at the model's current tick, on a 320 × 328 canvas (see the
/// module documentation). Its label says in words what the picture shows.
pub fn stage(model: &Cdn) -> Sketch {
    let scene = Scene::of(model);
    let recent = Region::ALL.map(|region| model.recent(region));
    let mut sketch = Sketch::new(HEIGHT, &summary(model, &recent, scene.per));
    let shown = model.serving();
    let cdn_down = !model.cdn_up(shown);
    sketch.text(LEFT + 2.0, HEADING_Y, MIN_FONT, Anchor::Start, true, &heading(model));
    draw_links(&mut sketch, model.config().shield);
    draw_origin(&mut sketch, model, &recent);
    if model.config().shield {
        let health = if cdn_down { Health::Down } else { Health::Up };
        let label = first_that_fits(&[format!("Shield {}", &cdn_name(shown)[4..]), "Shield".to_string()], MIN_FONT, SHIELD.right - SHIELD.left - 8.0);
        sketch.component(SHIELD.left, SHIELD.top, SHIELD.right - SHIELD.left, SHIELD.bottom - SHIELD.top, health, 0.0, MIN_FONT, &label);
    }
    for region in Region::ALL {
        draw_edge(&mut sketch, model, region, &recent[region.index()], cdn_down);
        draw_users(&mut sketch, model, region);
    }
    draw_latencies(&mut sketch, &recent);
    for dot in &scene.dots {
        sketch.request(dot.x, dot.y, dot.outcome);
    }
    sketch.legend_with(LEFT + 2.0, LEGEND_Y, &[(Outcome::InFlight, "sent"), (Outcome::Ok, "hit"), (Outcome::Retried, "miss"), (Outcome::Stale, "stale"), (Outcome::Rejected, "error")]);
    let worth = group_thousands(scene.per as f64);
    let caption = [format!("1 dot = {worth} · clocks: TTL left of #1–#{HOT_OBJECTS}"), format!("1 dot = {worth} · clocks: TTL of #1–#{HOT_OBJECTS}"), format!("1 dot = {worth}")];
    sketch.text(LEFT + 2.0, CAPTION_Y, MIN_FONT, Anchor::Start, false, &first_that_fits(&caption, MIN_FONT, RIGHT - LEFT - 2.0));
    sketch
}

/// The CDN in use, the mode and the directives, or the failover under way.
fn heading(model: &Cdn) -> String {
    let config = model.config();
    let shown = model.serving();
    let other = 1 - shown;
    let cdn = match model.steering() {
        Some((target, ms)) => format!("{} down: users to {} in {:.1} s", cdn_name(shown), cdn_name(target), f64::from(ms) / 1000.0),
        None if !model.cdn_up(shown) && !model.cdn_up(other) => "CDN A and CDN B down".to_string(),
        None if !model.cdn_up(other) => format!("{} ({} down)", cdn_name(shown), &cdn_name(other)[4..]),
        None => cdn_name(shown).to_string(),
    };
    let mode = if config.push { "push" } else { "pull" };
    let (age, swr, sie) = (config.max_age_s, config.swr_s, config.sie_s);
    let options = [
        format!("{cdn}, {mode}: max-age {age} s, swr {swr} s, sie {sie} s"),
        format!("{cdn}, {mode}: max-age {age}, swr {swr}, sie {sie}"),
        format!("{cdn}, {mode}: max-age {age} s"),
        cdn.clone(),
    ];
    first_that_fits(&options, MIN_FONT, RIGHT - LEFT - 4.0)
}

/// Where a column's edge meets the link up, and where that link ends above.
fn up_link(region: Region, shield: bool) -> ((f32, f32), (f32, f32)) {
    let top = if shield { SHIELD.bottom } else { ORIGIN.bottom };
    ((COLUMNS[region.index()], EDGE_TOP), (MID_X, top))
}

fn draw_links(sketch: &mut Sketch, shield: bool) {
    if shield {
        sketch.line(MID_X, ORIGIN.bottom, MID_X, SHIELD.top, false);
    }
    for region in Region::ALL {
        let (from, to) = up_link(region, shield);
        sketch.line(from.0, from.1, to.0, to.1, false);
        let x = COLUMNS[region.index()];
        sketch.arrow(x - USER_LANE, USERS_TOP, x - USER_LANE, EDGE_BOTTOM);
        sketch.arrow(x + USER_LANE, EDGE_BOTTOM, x + USER_LANE, USERS_TOP);
    }
}

/// Fetches reaching the origin per second over the last 5 s, all regions together.
fn origin_per_second(recent: &[RegionStats; REGIONS]) -> f64 {
    recent.iter().map(RegionStats::origin_per_second).sum()
}

fn draw_origin(sketch: &mut Sketch, model: &Cdn, recent: &[RegionStats; REGIONS]) {
    let (health, label) = if model.origin_up() { (Health::Up, "Origin") } else { (Health::Down, "Origin down") };
    sketch.component(ORIGIN.left, ORIGIN.top, ORIGIN.right - ORIGIN.left, ORIGIN.bottom - ORIGIN.top, health, 0.0, MIN_FONT, label);
    let rate = origin_per_second(recent);
    let rate = if rate < 10.0 { format!("{rate:.1}") } else { group_thousands(rate.round()) };
    let options = [format!("{rate} fetches/s"), format!("{rate}/s")];
    sketch.text(ORIGIN.left - 6.0, ORIGIN.bottom - 8.0, MIN_FONT, Anchor::End, false, &first_that_fits(&options, MIN_FONT, ORIGIN.left - 6.0 - LEFT));
}

/// One region's edge: its name and hit ratio, its hot objects' clocks and versions.
fn draw_edge(sketch: &mut Sketch, model: &Cdn, region: Region, recent: &RegionStats, cdn_down: bool) {
    let x = COLUMNS[region.index()];
    let left = x - COLUMN / 2.0;
    let ratio = recent.hit_ratio().map(|ratio| format!("{:.0}%", ratio * 100.0));
    let options = match (cdn_down, ratio) {
        (true, _) => vec![format!("{} down", region.name()), format!("{} down", region.short())],
        (false, Some(ratio)) => vec![format!("{} {ratio}", region.name()), format!("{} {ratio}", region.short())],
        (false, None) => vec![region.name().to_string(), region.short().to_string()],
    };
    let health = if cdn_down { Health::Down } else { Health::Up };
    sketch.component(left, EDGE_TOP, COLUMN, EDGE_BOTTOM - EDGE_TOP, health, 0.0, MIN_FONT, &first_that_fits(&options, MIN_FONT, COLUMN - 8.0));
    let (now, cdn) = (model.tick() as u32, model.serving());
    let hot = model.config().objects.min(HOT_OBJECTS);
    for object in 0..hot {
        let cx = x + (object as f32 - (hot as f32 - 1.0) / 2.0) * CLOCK_PITCH;
        let copy = model.edge_copy(cdn, region, object);
        draw_clock(sketch, cx, copy, now);
        if model.edge_fetching(cdn, region, object) {
            let arc = CLOCK_R + ARC_GAP;
            sketch.path(&format!("M{cx:.1} {:.1}A{arc:.1} {arc:.1} 0 1 1 {:.1} {CLOCKS_Y:.1}", CLOCKS_Y - arc, cx - arc), Some(1));
        }
        if let Some(copy) = copy {
            let text = first_that_fits(&[format!("v{}", copy.version), copy.version.to_string()], MIN_FONT, CLOCK_PITCH - 2.0);
            sketch.text(cx, VERSIONS_Y, MIN_FONT, Anchor::Middle, copy.version < model.version(object), &text);
            if copy.version < model.version(object) {
                sketch.path(&format!("M{:.1} {:.1}h{:.1}", cx - 9.0, VERSIONS_Y - 4.0, 18.0), Some(4));
            }
        }
    }
}

/// A copy as a clock: draining as its max-age runs out, full (another colour) when pushed,
/// struck through once stale, a bare ring when there is none.
fn draw_clock(sketch: &mut Sketch, cx: f32, copy: Option<Entry>, now: u32) {
    match copy {
        None => sketch.ring(cx, CLOCKS_Y, CLOCK_R),
        Some(copy) if copy.pushed => sketch.clock(cx, CLOCKS_Y, CLOCK_R, 1.0, Some(2)),
        Some(copy) if copy.is_fresh(now) => sketch.clock(cx, CLOCKS_Y, CLOCK_R, copy.freshness_left(now), Some(3)),
        Some(_) => {
            sketch.clock(cx, CLOCKS_Y, CLOCK_R, 0.0, None);
            let d = CLOCK_R * 0.7;
            sketch.path(&format!("M{:.1} {:.1}L{:.1} {:.1}", cx - d, CLOCKS_Y + d, cx + d, CLOCKS_Y - d), Some(4));
        }
    }
}

fn draw_users(sketch: &mut Sketch, model: &Cdn, region: Region) {
    let x = COLUMNS[region.index()];
    let rate = f64::from(model.config().rate) * REGION_SHARE[region.index()];
    let rate = if rate < 10.0 { format!("{rate:.1}") } else { group_thousands(rate.round()) };
    let label = first_that_fits(&[format!("users {rate}/s"), "users".to_string()], MIN_FONT, COLUMN - 8.0);
    sketch.labelled_box(x - COLUMN / 2.0, USERS_TOP, COLUMN, USERS_BOTTOM - USERS_TOP, None, MIN_FONT, &label);
}

/// Each region's p50 and p99 over the last 5 s under its users (or only p99, the one that
/// shows the misses), all in the longest form that fits every column.
fn draw_latencies(sketch: &mut Sketch, recent: &[RegionStats; REGIONS]) {
    let forms: Vec<[String; 3]> = recent
        .iter()
        .map(|recent| {
            let (p50, p99) = (recent.p50_ms.map_or("–".to_string(), |ms| ms.to_string()), recent.p99_ms.map_or("–".to_string(), |ms| ms.to_string()));
            [format!("p50 {p50}, p99 {p99} ms"), format!("p50/99 {p50}/{p99}"), format!("p99 {p99} ms")]
        })
        .collect();
    let form = (0..3).find(|form| forms.iter().all(|each| text_width(&each[*form], MIN_FONT) <= COLUMN - 4.0)).unwrap_or(2);
    for (region, each) in Region::ALL.iter().zip(&forms) {
        sketch.text(COLUMNS[region.index()], NUMBERS_Y, MIN_FONT, Anchor::Middle, false, &each[form]);
    }
}

/// A request or fetch drawn on the stage.
#[derive(Debug, Clone, Copy)]
struct Dot {
    x: f32,
    y: f32,
    outcome: Outcome,
}

/// The dots of one tick, and how many requests each stands for.
struct Scene {
    per: u64,
    dots: Vec<Dot>,
}

impl Scene {
    /// The smallest `per` of 1, 2, 5, 10… at which everything fits: set by the run's rate so it
    /// holds through a run (the busiest users' link carries at most `LANE_EXPECTED` dots on
    /// average), and larger while a burst would overfill a queue or the picture. By 5 × 10^9
    /// every queue has at most one dot, so the search ends.
    fn of(model: &Cdn) -> Self {
        let trail: Vec<[Counts; REGIONS]> = (0..=TRAIL_TICKS).map(|ago| model.trail(ago)).collect();
        let busiest = REGION_SHARE.iter().fold(0.0_f64, |most, share| most.max(*share));
        let expected = f64::from(model.config().rate) * busiest * (TRAIL_TICKS as u32 * TICK_MS) as f64 / 1000.0;
        round_units()
            .take(30)
            .filter(|per| expected / *per as f64 <= LANE_EXPECTED)
            .find_map(|per| {
                let mut dots = Vec::with_capacity(MAX_DOTS + 1);
                users(&trail, per, &mut dots);
                let fits = fetches(model, per, &mut dots) && waiting(model, per, &mut dots);
                (fits && dots.len() <= MAX_DOTS).then_some(Scene { per, dots })
            })
            .unwrap_or(Scene { per: 1, dots: Vec::new() })
    }
}

/// The numbers in `(before, upto]` that are multiples of `per`.
fn sampled(before: u64, upto: u64, per: u64) -> impl Iterator<Item = u64> {
    (before / per + 1..=upto / per).map(move |nth| nth * per)
}

/// The users' requests and answers of the last ticks, a row per tick (newest at the start of
/// its link). Each takes the column its number gives it, so neighbours in time sit apart; each
/// kind of answer starts its columns elsewhere, so a cross rarely lands on a dot.
fn users(trail: &[[Counts; REGIONS]], per: u64, dots: &mut Vec<Dot>) {
    let kinds: [(Outcome, fn(&Counts) -> u64); 5] = [(Outcome::InFlight, |c| c.requests), (Outcome::Ok, |c| c.hits), (Outcome::Retried, |c| c.misses), (Outcome::Stale, |c| c.stale()), (Outcome::Rejected, |c| c.errors)];
    let (low, high) = (USERS_TOP - INSET, EDGE_BOTTOM + INSET);
    for ago in 0..TRAIL_TICKS {
        let progress = (ago as f32 + 0.5) / TRAIL_TICKS as f32;
        let (now, before) = (&trail[ago], &trail[ago + 1]);
        for region in Region::ALL {
            let (x, index) = (COLUMNS[region.index()], region.index());
            for (salt, (outcome, count)) in kinds.iter().enumerate() {
                let up = *outcome == Outcome::InFlight;
                let (lane, y) = if up { (x - USER_LANE, low + (high - low) * progress) } else { (x + USER_LANE, high + (low - high) * progress) };
                for nth in sampled(count(&before[index]), count(&now[index]), per) {
                    let column = ((nth / per) as usize + salt) % USER_SPREAD.len();
                    dots.push(Dot { x: lane + USER_SPREAD[column], y, outcome: *outcome });
                }
            }
        }
    }
}

/// Fetches of the CDN in use on their links, parked at the shield, and being generated at the
/// origin (of either CDN); false when a queue is longer than it can draw.
fn fetches(model: &Cdn, per: u64, dots: &mut Vec<Dot>) -> bool {
    let (now, shown) = (model.tick() as u32, model.serving());
    let (mut parked, mut at_origin) = (0, 0);
    for fetch in model.fetches().iter().filter(|fetch| u64::from(fetch.id) % per == 0) {
        match fetch.leg {
            Leg::AtOrigin => {
                dots.push(Dot { x: QUEUE_LEFT + DOT + at_origin as f32 * QUEUE_GAP, y: (ORIGIN.top + ORIGIN.bottom) / 2.0, outcome: Outcome::InFlight });
                at_origin += 1;
            }
            _ if usize::from(fetch.cdn) != shown => {}
            Leg::Parked => {
                dots.push(Dot { x: QUEUE_LEFT + DOT + parked as f32 * QUEUE_GAP, y: (SHIELD.top + SHIELD.bottom) / 2.0, outcome: Outcome::InFlight });
                parked += 1;
            }
            _ => dots.push(on_link(fetch, now)),
        }
        if parked > QUEUE_MOST || at_origin > QUEUE_MOST || dots.len() > MAX_DOTS {
            return false;
        }
    }
    true
}

/// A fetch on its link: up on one side, down on the other, at its true progress.
fn on_link(fetch: &Fetch, now: u32) -> Dot {
    let length = fetch.arrives.saturating_sub(fetch.sent).max(1) as f32;
    let progress = (now.saturating_sub(fetch.sent) as f32 + 0.5) / length;
    let origin_end = (MID_X, ORIGIN.bottom);
    let (low, high) = match fetch.leg {
        Leg::ShieldToOrigin | Leg::OriginToShield => ((MID_X, SHIELD.top), origin_end),
        Leg::EdgeToShield | Leg::ShieldToEdge => up_link(fetch.region, true),
        _ => up_link(fetch.region, false),
    };
    // Inset from both ends, and moved to its side of the link.
    let (dx, dy) = (high.0 - low.0, high.1 - low.1);
    let span = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / span, dy / span);
    let side = if fetch.leg.is_down() { LANE } else { -LANE };
    let start = (low.0 + ux * INSET - uy * side, low.1 + uy * INSET + ux * side);
    let end = (high.0 - ux * INSET - uy * side, high.1 - uy * INSET + ux * side);
    let (x, y) = if fetch.leg.is_down() { along(end, start, progress) } else { along(start, end, progress) };
    let outcome = match fetch.reply {
        Some(Reply::Copy(_)) => Outcome::Retried,
        Some(Reply::StaleWhileRevalidate(_) | Reply::StaleIfError(_)) => Outcome::Stale,
        Some(Reply::Error) => Outcome::Rejected,
        None => Outcome::InFlight,
    };
    Dot { x, y, outcome }
}

/// Requests waiting at each edge for a fetch in flight, in a row at the foot of the edge.
fn waiting(model: &Cdn, per: u64, dots: &mut Vec<Dot>) -> bool {
    for region in Region::ALL {
        let shown = model.waiting(model.serving(), region).div_ceil(per);
        if shown > WAITING_MOST {
            return false;
        }
        let left = COLUMNS[region.index()] - COLUMN / 2.0 + 8.0 + DOT;
        dots.extend((0..shown).map(|n| Dot { x: left + n as f32 * QUEUE_GAP, y: WAITING_Y, outcome: Outcome::InFlight }));
    }
    true
}

/// What the picture shows, for a screen reader.
fn summary(model: &Cdn, recent: &[RegionStats; REGIONS], per: u64) -> String {
    let config = model.config();
    let shown = model.serving();
    let shield = if config.shield { "an origin shield" } else { "no shield" };
    let mode = if config.push { "push" } else { "pull" };
    let coalescing = if config.coalesce { "with" } else { "without" };
    let setup = format!(
        "{} requests a second from users in Europe, North America and Asia reach their nearest edge of {}, with {shield}, in {mode} mode, {coalescing} request coalescing; responses carry max-age {} s, stale-while-revalidate {} s, stale-if-error {} s.",
        group_thousands(f64::from(config.rate)),
        cdn_name(shown),
        config.max_age_s,
        config.swr_s,
        config.sie_s
    );
    let mut state = Vec::new();
    if !model.origin_up() {
        state.push("The origin is down.".to_string());
    }
    if !model.cdn_up(shown) {
        state.push(match model.steering() {
            Some((target, ms)) => format!("{} is down; its users get errors until steering moves them to {} in {:.1} s.", cdn_name(shown), cdn_name(target), f64::from(ms) / 1000.0),
            None => "Both CDNs are down; every request fails.".to_string(),
        });
    }
    let regions: Vec<String> = Region::ALL.iter().map(|region| describe(model, *region, &recent[region.index()])).collect();
    format!(
        "{setup} {}At {:.2} s, over the last 5 s: {}. The origin answers {:.1} fetches a second. Each dot stands for {} {}.",
        state.iter().map(|line| format!("{line} ")).collect::<String>(),
        model.time_ms() as f64 / 1000.0,
        regions.join("; "),
        origin_per_second(recent),
        group_thousands(per as f64),
        if per == 1 { "request" } else { "requests" }
    )
}

/// One region in words: its hit ratio, latencies, stale and errors, and its hottest object.
fn describe(model: &Cdn, region: Region, recent: &RegionStats) -> String {
    let ratio = recent.hit_ratio().map_or("no answers yet".to_string(), |ratio| format!("hit ratio {:.0}%", ratio * 100.0));
    let latency = match (recent.p50_ms, recent.p99_ms) {
        (Some(p50), Some(p99)) => format!(", p50 {p50} ms, p99 {p99} ms"),
        _ => String::new(),
    };
    let trouble = match (recent.counts.stale(), recent.counts.errors) {
        (0, 0) => String::new(),
        (stale, 0) => format!(", {stale} served stale"),
        (0, errors) => format!(", {errors} errors"),
        (stale, errors) => format!(", {stale} served stale, {errors} errors"),
    };
    let now = model.tick() as u32;
    let hottest = match model.edge_copy(model.serving(), region, 0) {
        Some(copy) if copy.pushed => format!(", {} v{} pushed", object_name(0), copy.version),
        Some(copy) if copy.is_fresh(now) => format!(", {} v{} fresh for {:.1} s more", object_name(0), copy.version, f64::from(copy.expires - now) * f64::from(TICK_MS) / 1000.0),
        Some(copy) => format!(", {} v{} stale", object_name(0), copy.version),
        None => format!(", {} not cached", object_name(0)),
    };
    format!("{} {ratio}{latency}{trouble}{hottest}", region.name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Timeline};
    use crate::viz::cdn::{Action, Setting, CDN_LIMIT, CDN_PARAMS};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, extreme_presets, pairs, Poster};

    fn params(list: &[(&str, &str)]) -> Params {
        Params::from_pairs(CDN_PARAMS, &pairs(list)).0
    }

    fn at(list: &[(&str, &str)], actions: &[(u64, Action)], tick: u64) -> Cdn {
        Timeline::<Cdn>::replay(params(list), DEFAULT_SEED, CDN_LIMIT, actions.to_vec(), tick).state().clone()
    }

    fn draw(model: &Cdn) -> Poster {
        stage(model).finish()
    }

    /// The request glyphs drawn above the legend.
    fn glyphs(svg: &str) -> Vec<(Outcome, f32, f32)> {
        drawn_requests(svg).into_iter().filter(|(_, _, y)| *y < LEGEND_Y - 8.0).collect()
    }

    /// Every fault the reader can cause, spread over `ticks`.
    fn faults(ticks: u64) -> Vec<(u64, Action)> {
        let at = |share: u64| ticks * share / 100;
        vec![
            (at(10), Action::Purge(0)),
            (at(15), Action::SoftPurge(1)),
            (at(20), Action::Publish(2)),
            (at(25), Action::OriginDown),
            (at(35), Action::FailCdn(0)),
            (at(40), Action::Set(Setting::Shield, 0)),
            (at(45), Action::OriginUp),
            (at(50), Action::Set(Setting::Push, 1)),
            (at(55), Action::Publish(0)),
            (at(60), Action::RestoreCdn(0)),
            (at(65), Action::Set(Setting::Coalesce, 0)),
            (at(70), Action::Set(Setting::Rate, 5_000)),
            (at(75), Action::Set(Setting::Push, 0)),
            (at(80), Action::FailCdn(1)),
            (at(85), Action::FailCdn(0)),
            (at(90), Action::Set(Setting::Objects, 1)),
        ]
    }

    /// Steps to `ticks` with `actions`, checking the picture every `every` ticks.
    fn check_run(list: &[(&str, &str)], actions: &[(u64, Action)], ticks: u64, every: u64) {
        let mut model = Cdn::new(&params(list), DEFAULT_SEED);
        for tick in 0..=ticks {
            for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                model.apply(action);
            }
            if tick % every == 0 {
                let poster = draw(&model);
                let context = format!("{list:?} at {tick}");
                assert!(poster.problems.is_empty(), "{context}: {:?}", poster.problems);
                assert!(poster.svg.len() < 16_000, "{context}: {} bytes", poster.svg.len());
                assert!(glyphs(&poster.svg).len() <= MAX_DOTS, "{context}");
                assert!(aria_label(&poster.svg).contains("requests a second from users in Europe"), "{context}");
            }
            model.step();
        }
    }

    #[test]
    fn every_parameter_extreme_draws_cleanly_through_every_fault() {
        for values in extreme_presets(CDN_PARAMS) {
            let list: Vec<(&str, &str)> = values.iter().map(|(key, value)| (*key, value.as_str())).collect();
            check_run(&list, &faults(1_200), 1_200, 7);
        }
    }

    #[test]
    fn the_picture_moves_with_the_traffic_and_depends_only_on_the_state() {
        let mut timeline = Timeline::<Cdn>::new(params(&[]), DEFAULT_SEED, CDN_LIMIT);
        for (at, action) in faults(2_000) {
            timeline.seek(at);
            timeline.act(action);
        }
        check_stage_is_pure(&mut timeline, 2_100, |model| draw(model).svg);
        check_stage_is_pure(&mut timeline, 300, |model| draw(model).svg);
    }

    /// The end of a link a fetch on `leg` from `region` travels, low and high.
    fn link(leg: Leg, region: Region) -> ((f32, f32), (f32, f32)) {
        match leg {
            Leg::ShieldToOrigin | Leg::OriginToShield => ((MID_X, SHIELD.top), (MID_X, ORIGIN.bottom)),
            Leg::EdgeToShield | Leg::ShieldToEdge => ((COLUMNS[region.index()], EDGE_TOP), (MID_X, SHIELD.bottom)),
            _ => ((COLUMNS[region.index()], EDGE_TOP), (MID_X, ORIGIN.bottom)),
        }
    }

    #[test]
    fn each_fetch_is_drawn_on_its_link_going_its_way_in_the_shape_of_what_it_carries() {
        // Purges and expiries keep fetches going; the origin down sends errors and stale copies.
        let actions: Vec<(u64, Action)> = (1..40).map(|n| (n * 97, if n % 3 == 0 { Action::SoftPurge(n as u16 % 5) } else { Action::Purge(n as u16 % 7) })).chain([(1_500, Action::OriginDown), (2_500, Action::OriginUp), (2_600, Action::Set(Setting::Shield, 0))]).collect();
        let mut model = Cdn::new(&params(&[("ttl", "2"), ("sie", "30")]), DEFAULT_SEED);
        let mut seen = [0usize; 4];
        for tick in 0..3_800u64 {
            for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                model.apply(action);
            }
            model.step();
            if tick % 3 != 0 {
                continue;
            }
            let svg = draw(&model).svg;
            let drawn = glyphs(&svg);
            let now = model.tick() as u32;
            let per = per(&svg);
            for fetch in model.fetches().iter().filter(|fetch| fetch.id as u64 % per == 0 && usize::from(fetch.cdn) == model.serving()) {
                if matches!(fetch.leg, Leg::Parked | Leg::AtOrigin) {
                    continue;
                }
                let expected = match fetch.reply {
                    None => Outcome::InFlight,
                    Some(Reply::Copy(_)) => Outcome::Retried,
                    Some(Reply::StaleWhileRevalidate(_) | Reply::StaleIfError(_)) => Outcome::Stale,
                    Some(Reply::Error) => Outcome::Rejected,
                };
                seen[[Outcome::InFlight, Outcome::Retried, Outcome::Stale, Outcome::Rejected].iter().position(|outcome| *outcome == expected).unwrap_or(0)] += 1;
                let (low, high) = link(fetch.leg, fetch.region);
                let (dx, dy) = (high.0 - low.0, high.1 - low.1);
                let length = (dx * dx + dy * dy).sqrt();
                // Where it is during this tick, by the model's clock: between these shares of its
                // way (which runs `INSET` inside each end of the link).
                let leg = (fetch.arrives - fetch.sent) as f32;
                let share = |ticks: u32| (INSET + (length - 2.0 * INSET) * ticks as f32 / leg) / length;
                let (from, to) = (share(now - fetch.sent) - 0.01, share(now - fetch.sent + 1) + 0.01);
                let found = drawn.iter().any(|(outcome, x, y)| {
                    let along = ((x - low.0) * dx + (y - low.1) * dy) / (length * length);
                    let across = ((x - low.0) * dy - (y - low.1) * dx) / length;
                    let travelled = if fetch.leg.is_down() { 1.0 - along } else { along };
                    // Up on one side of the link, down on the other.
                    let side = (across > 0.0) != fetch.leg.is_down();
                    *outcome == expected && side && (across.abs() - LANE).abs() < 0.2 && (from..=to).contains(&travelled)
                });
                assert!(found, "tick {tick}: {fetch:?} not drawn on its link: {drawn:?}");
            }
        }
        assert!(seen.iter().all(|count| *count > 20), "every kind of fetch was seen: {seen:?}");
    }

    /// How many requests the stage says a dot stands for.
    fn per(svg: &str) -> u64 {
        let note = svg.split(">1 dot = ").nth(1).and_then(|rest| rest.split([' ', '<']).next()).unwrap_or("");
        note.replace(',', "").parse().unwrap_or_else(|_| panic!("no dot note in {svg}"))
    }

    #[test]
    fn the_users_requests_go_up_and_their_answers_come_down_in_their_shapes() {
        let model = at(&[], &[], 1_000);
        let drawn = glyphs(&draw(&model).svg);
        let lane = |x: f32, y: f32, centre: f32| (x - centre).abs() <= 11.0 && y > EDGE_BOTTOM && y < USERS_TOP;
        for region in Region::ALL {
            let column = COLUMNS[region.index()];
            let up = drawn.iter().filter(|(outcome, x, y)| *outcome == Outcome::InFlight && lane(*x, *y, column - USER_LANE)).count();
            let hits = drawn.iter().filter(|(outcome, x, y)| *outcome == Outcome::Ok && lane(*x, *y, column + USER_LANE)).count();
            // The requests of the last eight ticks, each drawn once (a dot is one request here).
            let (now, then) = (model.trail(0)[region.index()], model.trail(TRAIL_TICKS)[region.index()]);
            assert_eq!(up as u64, now.requests - then.requests, "{region:?}");
            assert_eq!(hits as u64, now.hits - then.hits, "{region:?}");
        }
        // When the origin is down with nothing stale to serve, errors come back as crosses; with
        // stale-if-error, as squares.
        let down = [(0, Action::OriginDown)];
        assert!(glyphs(&draw(&at(&[], &down, 300)).svg).iter().any(|(outcome, x, _)| *outcome == Outcome::Rejected && (x - COLUMNS[1] - USER_LANE).abs() < 11.0));
        let sie = [(1_000, Action::OriginDown), (1_000, Action::Set(Setting::Swr, 0))];
        assert!((1_200..1_400).step_by(10).any(|tick| glyphs(&draw(&at(&[], &sie, tick)).svg).iter().any(|(outcome, _, y)| *outcome == Outcome::Stale && *y > EDGE_BOTTOM)));
    }

    #[test]
    fn heavy_traffic_is_sampled_and_says_what_a_dot_is_worth() {
        let model = at(&[("rate", "5000"), ("objects", "200"), ("skew", "0"), ("coalesce", "0")], &[], 600);
        let svg = draw(&model).svg;
        assert!(per(&svg) >= 5, "{}", per(&svg));
        assert!(glyphs(&svg).len() <= MAX_DOTS && glyphs(&svg).len() > 10);
        assert!(aria_label(&svg).ends_with(&format!("Each dot stands for {} requests.", per(&svg))));
    }

    #[test]
    fn failures_change_shapes_and_the_heading_tells_the_failover() {
        let svg = draw(&at(&[], &[(100, Action::OriginDown)], 200)).svg;
        assert_eq!(svg.matches("pv-part--down").count(), 1);
        assert!(svg.contains(">Origin down<") && aria_label(&svg).contains("The origin is down."));

        let failed = at(&[], &[(100, Action::FailCdn(0))], 200);
        let svg = draw(&failed).svg;
        assert_eq!(svg.matches("pv-part--down").count(), 4, "three edges and the shield");
        assert!(svg.contains(">CDN A down: users to CDN B in 2.0 s<"), "{svg}");
        assert!(svg.contains(">Europe down<"));
        let moved = at(&[], &[(100, Action::FailCdn(0))], 450);
        let svg = draw(&moved).svg;
        assert_eq!(svg.matches("pv-part--down").count(), 0);
        assert!(svg.contains(">CDN B (A down), pull: max-age 10"), "{svg}");
        assert!(svg.contains(">Shield B<"));

        let svg = draw(&at(&[], &[(100, Action::Set(Setting::Shield, 0))], 200)).svg;
        assert!(!svg.contains(">Shield") && aria_label(&svg).contains("with no shield"));
    }

    #[test]
    fn each_edge_shows_its_hot_objects_copies_as_clocks_and_versions() {
        // At the start of a pull run nothing is cached: a bare ring per hot object per edge.
        let cold = draw(&at(&[], &[], 0)).svg;
        assert_eq!(cold.matches(r#"<circle class="pv-ring""#).count(), 12);
        let pushed = draw(&at(&[("mode", "push")], &[], 0)).svg;
        assert_eq!(pushed.matches(r#"<circle class="pv-fill pv-fill--2""#).count(), 12, "full, in the pushed colour");
        assert_eq!(pushed.matches(">v1<").count(), 12);
        // Filled and running: a clock for each cached copy, draining.
        let model = at(&[], &[], 1_000);
        let svg = draw(&model).svg;
        let cached = Region::ALL.iter().flat_map(|region| (0..HOT_OBJECTS).map(move |object| (*region, object))).filter(|(region, object)| model.edge_copy(0, *region, *object).is_some()).count();
        assert_eq!(svg.matches(r#"<circle class="pv-meter""#).count(), cached);
        assert_eq!(svg.matches(r#"<circle class="pv-ring""#).count(), 12 - cached);
        // A publish in pull mode: the edges' v1 of #1 is struck through until they refetch.
        let published = at(&[("swr", "0")], &[(1_000, Action::Publish(0))], 1_001);
        let svg = draw(&published).svg;
        let outdated = Region::ALL.iter().filter(|region| published.edge_copy(0, **region, 0).is_some_and(|copy| copy.version == 1)).count();
        assert!(outdated > 0);
        assert_eq!(svg.matches("h18.0\"").count(), outdated);
        // Only the hot objects that exist are drawn.
        let one = draw(&at(&[("objects", "1")], &[], 0)).svg;
        assert_eq!(one.matches(r#"<circle class="pv-ring""#).count(), 3);
    }

    #[test]
    fn the_label_says_what_each_region_sees() {
        let model = at(&[], &[], 1_500);
        let label = aria_label(&draw(&model).svg).to_string();
        assert!(label.starts_with("200 requests a second from users in Europe, North America and Asia reach their nearest edge of CDN A, with an origin shield, in pull mode, with request coalescing"), "{label}");
        for region in Region::ALL {
            let recent = model.recent(region);
            let ratio = format!("{} hit ratio {:.0}%", region.name(), recent.hit_ratio().unwrap_or(0.0) * 100.0);
            assert!(label.contains(&ratio), "{ratio}: {label}");
        }
        assert!(label.contains(&format!("The origin answers {:.1} fetches a second.", model.origin_per_second())), "{label}");
    }
}

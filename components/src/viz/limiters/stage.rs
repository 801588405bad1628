//! The stage: the five limiters drawn as they are at the model's current tick, with the
//! requests moving through them. The same arrivals come down one bus into five rows; in each
//! row the requests on their way reach the limiter's box, and leave it by that limiter's own
//! decision: let through to the right, refused back to the left (or, at the leaky bucket,
//! queued). Inside each box is what the limiter keeps: the token bucket's level with the next
//! token dripping in, the leaky bucket's queue with the clock of its next leak, and the windows
//! as boxes on a time axis of two windows, with their counts and where now is.
//!
//! Everything is read from the state at this tick (the requests moving on from the model's
//! last few ticks, those on their way from copies of its traffic), so scrubbing, stepping back
//! and a shared link all show the same picture. When there are too many requests to draw one
//! by one, each dot stands for up to a round number of them, and the picture says so.

use crate::diagram::text::text_width;
use crate::sim::Simulation;
use crate::viz::poster::{first_that_fits, round_units, Anchor, Outcome, Sketch, MIN_FONT, WIDTH};

use super::{format_ms, one_decimal, trimmed, Kind, Pattern, RateLimiters, TickOutcome, RECENT_TICKS};

const HEIGHT: f32 = 332.0;
/// The bus every request comes down, from the clients to every row.
const BUS: f32 = 12.0;
const FIRST_ROW: f32 = 52.0;
const ROW_HEIGHT: f32 = 52.0;
/// Where a row's words start, right of the bus.
const TEXT_LEFT: f32 = 20.0;
/// The limiter's box in each row: requests reach its left side and leave by its right.
const GATE_IN: f32 = 92.0;
const GATE_OUT: f32 = 240.0;
const BOX_TOP: f32 = 18.0;
const BOX_HEIGHT: f32 = 32.0;
/// Where the links that carry requests on end, with an arrowhead.
const LINK_END: f32 = 316.0;
/// From a row's top: the lane requests travel in and on, and below it the lane refused ones
/// go back on.
const LANE: f32 = 28.0;
const BACK_LANE: f32 = 42.0;
/// Ticks of requests drawn: on their way in, going back refused, going on past the limiter.
const COMING: usize = 4;
const GOING_BACK: u64 = 3;
const GOING_ON: u64 = RECENT_TICKS as u64;
/// The distance a request moves in a tick, on the way in (and back) and on the way out.
const IN_PITCH: f32 = 16.0;
const OUT_PITCH: f32 = 11.0;
/// One tick's requests in one lane are drawn as a block of at most this many dots, two high.
const BLOCK: u64 = 4;
const DOT_PITCH: f32 = 7.0;
/// The most request dots a stage draws (the legend adds three). Every lane of every row with
/// requests in each tick drawn still fits: 5 × (4 coming + 3 back + 6 on) + 1 queued = 66.
const MOST_DOTS: u64 = 66;
/// The time axis of the window rows: the previous window, then the current one.
const AXIS_LEFT: f32 = 98.0;
const AXIS_MIDDLE: f32 = 166.0;
const AXIS_RIGHT: f32 = 234.0;
/// The leaky bucket's queue, its exit on the right.
const QUEUE_LEFT: f32 = 114.0;
const QUEUE_RIGHT: f32 = 172.0;
/// A queue this long or shorter is drawn as one slot per request.
const MOST_SLOTS: u32 = 16;
/// What the legend calls each shape, in the words of a rate limiter.
const KEY: [(Outcome, &str); 3] = [(Outcome::InFlight, "on the way"), (Outcome::Ok, "let through"), (Outcome::Rejected, "refused")];

/// The system at the model's current tick, on the poster's canvas (see the module notes).
pub fn stage(model: &RateLimiters) -> Sketch {
    let coming = model.upcoming(COMING);
    let groups = groups(model, &coming);
    let per_dot = per_dot(&groups);
    let mut sketch = Sketch::new(HEIGHT, &summary(model, &coming, per_dot));
    let config = model.config();
    sketch.labelled_box(4.0, 4.0, 64.0, 28.0, None, 13.0, "Clients");
    sketch.text(78.0, 16.0, MIN_FONT, Anchor::Start, false, &first_that_fits(&traffic(model), MIN_FONT, WIDTH - 4.0 - 78.0));
    sketch.text(78.0, 31.0, MIN_FONT, Anchor::Start, true, &format!("each allows {} per {} s", config.limit, config.window_seconds()));
    sketch.text(78.0, 46.0, MIN_FONT, Anchor::Start, false, &sample_words(per_dot));

    // One path for every link: the bus, each row's way in, and its way on with an arrowhead.
    let last_lane = row_top(Kind::ALL.len() - 1) + LANE;
    let mut links = format!("M{BUS} 32V{last_lane}");
    for index in 0..Kind::ALL.len() {
        let lane = row_top(index) + LANE;
        links.push_str(&format!("M{BUS} {lane}H{GATE_IN}M{GATE_OUT} {lane}H{LINK_END}m-6-3.5l6 3.5l-6 3.5"));
    }
    sketch.path(&links, None);

    for (index, kind) in Kind::ALL.into_iter().enumerate() {
        let top = row_top(index);
        let name = kind.label();
        sketch.text(TEXT_LEFT, top + 13.0, MIN_FONT, Anchor::Start, true, name);
        sketch.text(LINK_END - 2.0, top + 13.0, MIN_FONT, Anchor::End, false, &state(model, kind));
        sketch.rect(GATE_IN, top + BOX_TOP, GATE_OUT - GATE_IN, BOX_HEIGHT, 4.0, None);
        match kind {
            Kind::TokenBucket => token_bucket(&mut sketch, model, top),
            Kind::LeakyBucket => leaky_bucket(&mut sketch, model, top),
            Kind::FixedWindow | Kind::SlidingLog | Kind::SlidingCounter => window(&mut sketch, model, kind, top),
        }
    }
    for group in &groups {
        let dots = u64::from(group.count).div_ceil(per_dot);
        for dot in 0..dots {
            let (x, y) = if dots == 1 { (group.x, group.y) } else { (group.x + group.step * (dot / 2) as f32, group.y - DOT_PITCH / 2.0 + DOT_PITCH * (dot % 2) as f32) };
            sketch.request(x, y, group.outcome);
        }
    }

    sketch.legend_with(4.0, HEIGHT - 6.0, &KEY);
    sketch
}

fn row_top(index: usize) -> f32 {
    FIRST_ROW + index as f32 * ROW_HEIGHT
}

/// The requests of one tick in one lane of one row: where the first is drawn, which way the
/// rest of its block grows (behind it as it travels, or on into the queue), and what became of
/// them.
#[derive(Debug, Clone, Copy)]
struct Group {
    x: f32,
    y: f32,
    step: f32,
    outcome: Outcome,
    count: u32,
}

/// Every group the stage draws, at their places for this tick: a request's place is how many
/// ticks ago its limiter decided (or how many ticks it still has to go) times the pitch.
/// `coming` holds the arrivals of the next ticks, the next first.
fn groups(model: &RateLimiters, coming: &[u32]) -> Vec<Group> {
    let recent: Vec<TickOutcome> = (0..GOING_ON).map_while(|ago| model.recent_tick(ago)).collect();
    let mut groups = Vec::new();
    for (index, kind) in Kind::ALL.into_iter().enumerate() {
        let (lane, back) = (row_top(index) + LANE, row_top(index) + BACK_LANE);
        for (ahead, &count) in coming.iter().enumerate() {
            groups.push(Group { x: GATE_IN - 6.0 - ahead as f32 * IN_PITCH, y: lane, step: -DOT_PITCH, outcome: Outcome::InFlight, count });
        }
        for (ago, tick) in recent.iter().enumerate() {
            let accepted = tick.accepted[kind.index()];
            let passed = if kind == Kind::LeakyBucket { tick.leaky_sent } else { accepted };
            groups.push(Group { x: GATE_OUT + 11.0 + ago as f32 * OUT_PITCH, y: lane, step: -DOT_PITCH, outcome: Outcome::Ok, count: passed });
            if (ago as u64) < GOING_BACK {
                groups.push(Group { x: GATE_IN - 11.0 - ago as f32 * IN_PITCH, y: back, step: DOT_PITCH, outcome: Outcome::Rejected, count: tick.arrivals.saturating_sub(accepted) });
            }
            if ago == 0 && kind == Kind::LeakyBucket {
                // Through the door and into the queue.
                groups.push(Group { x: GATE_IN + 8.0, y: lane, step: DOT_PITCH, outcome: Outcome::InFlight, count: accepted });
            }
        }
    }
    groups.retain(|group| group.count > 0);
    groups
}

/// Requests per dot: 1 while every request can be drawn, else the smallest of 2, 5, 10, 20, 50…
/// that keeps each tick's block and the whole picture within bounds. A dot stands for up to
/// that many, so a lane with any request always shows at least one dot.
fn per_dot(groups: &[Group]) -> u64 {
    let largest = groups.iter().map(|group| u64::from(group.count)).max().unwrap_or(0);
    let fits = |per_dot: u64| {
        let dots = |group: &Group| u64::from(group.count).div_ceil(per_dot);
        groups.iter().all(|group| dots(group) <= BLOCK) && groups.iter().map(dots).sum::<u64>() <= MOST_DOTS
    };
    // At `largest` every group is one dot, and there are never more groups than `MOST_DOTS`.
    round_units().find(|&per_dot| per_dot >= largest || fits(per_dot)).unwrap_or(u64::MAX)
}

fn sample_words(per_dot: u64) -> String {
    if per_dot == 1 {
        "1 dot = 1 request".to_string()
    } else {
        format!("1 dot = up to {per_dot} requests")
    }
}

/// The traffic every limiter gets, longest wording first.
pub(super) fn traffic(model: &RateLimiters) -> Vec<String> {
    let config = model.config();
    let (noun, rate, burst) = (model.pattern().noun(), config.rate_per_second, config.burst);
    match model.pattern() {
        Pattern::Steady | Pattern::Poisson => vec![format!("{noun} traffic, {rate} requests/s"), format!("{noun}: {rate}/s")],
        Pattern::Bursts => vec![format!("{noun} traffic: {rate}/s + bursts of {burst}"), format!("{noun}: {rate}/s + bursts of {burst}"), format!("{rate}/s + bursts of {burst}")],
        Pattern::EdgeBursts => vec![format!("{noun} traffic: bursts of {burst}"), format!("bursts of {burst}")],
    }
}

/// A limiter's state in the model's own words when they fit beside its name, else shorter.
fn state(model: &RateLimiters, kind: Kind) -> String {
    first_that_fits(&state_words(model, kind), MIN_FONT, state_room(kind))
}

/// The room for a row's state: from its name (and a gap) to the end of the links.
fn state_room(kind: Kind) -> f32 {
    LINK_END - 2.0 - TEXT_LEFT - text_width(kind.label(), MIN_FONT) - 10.0
}

/// A limiter's state, longest wording first; the first is the tool's own.
fn state_words(model: &RateLimiters, kind: Kind) -> Vec<String> {
    let (limit, now) = (model.config().limit, model.tick());
    let own = model.limiter(kind).state;
    let shorter = match kind {
        Kind::TokenBucket => {
            let (tokens, capacity) = (one_decimal(model.token_bucket().tokens()), model.token_bucket().capacity());
            vec![format!("{tokens}/{capacity} tokens"), format!("{tokens}/{capacity}")]
        }
        Kind::LeakyBucket => {
            let (queued, capacity) = (model.leaky_bucket().queued(), model.leaky_bucket().capacity());
            vec![format!("{queued}/{capacity} queued"), format!("{queued}/{capacity}")]
        }
        Kind::FixedWindow => {
            let used = model.fixed_window().used_at(now);
            vec![format!("{used} of {limit} used"), format!("{used}/{limit} used")]
        }
        Kind::SlidingLog => {
            let counted = model.sliding_log().in_window_at(now);
            vec![format!("{counted} of {limit} in {} s", model.config().window_seconds()), format!("{counted}/{limit}")]
        }
        Kind::SlidingCounter => {
            let estimate = one_decimal(model.sliding_counter().estimate(now));
            vec![format!("≈ {estimate} of {limit}"), format!("≈ {estimate}/{limit}")]
        }
    };
    std::iter::once(own).chain(shorter).collect()
}

/// The bucket, filled to its tokens, with the next token dripping in while it is not full, and
/// the rate it refills at.
fn token_bucket(sketch: &mut Sketch, model: &RateLimiters, top: f32) {
    let bucket = model.token_bucket();
    let share = (bucket.tokens() / bucket.capacity().max(1) as f64) as f32;
    let (left, rim, depth) = (GATE_IN + 6.0, top + BOX_TOP + 2.0, BOX_HEIGHT - 4.0);
    sketch.meter(left, rim, 18.0, depth, share, Some(1));
    let per_token = bucket.rate().per_ticks;
    if bucket.token_units() < bucket.capacity_units() {
        // How much of the next token has dripped in: the drop falls from the rim to the level.
        let dripped = (bucket.token_units() % per_token) as f32 / per_token as f32;
        let level = rim + depth * (1.0 - share.clamp(0.0, 1.0));
        let fall = (level - rim - 6.0).max(0.0);
        sketch.circle(left + 9.0, rim + 3.0 + fall * dripped, 2.0, Some(1));
    }
    sketch.text(GATE_IN + 32.0, top + BOX_TOP + BOX_HEIGHT / 2.0 + 4.0, MIN_FONT, Anchor::Start, false, &format!("refills {}/s", trimmed(bucket.rate().requests_per_second(), 2)));
}

/// The queue, one slot per request when it is short, filled from its exit; the clock of its
/// next leak beside the exit; and under it the fixed rate it leaks at.
fn leaky_bucket(sketch: &mut Sketch, model: &RateLimiters, top: f32) {
    let bucket = model.leaky_bucket();
    let (queued, capacity) = (bucket.queued(), bucket.capacity().max(1));
    let (lane, length) = (top + LANE, QUEUE_RIGHT - QUEUE_LEFT);
    sketch.rect(QUEUE_LEFT, lane - 6.0, length, 12.0, 2.0, Some(2));
    if queued > 0 {
        let filled = length * (f64::from(queued) / f64::from(capacity)).min(1.0) as f32;
        sketch.meter(QUEUE_RIGHT - filled, lane - 6.0, filled, 12.0, 1.0, Some(2));
    }
    if capacity <= MOST_SLOTS {
        let slots: String = (1..capacity).map(|slot| format!("M{:.1} {}v12", QUEUE_LEFT + length * slot as f32 / capacity as f32, lane - 6.0)).collect();
        if !slots.is_empty() {
            sketch.path(&slots, None);
        }
    }
    sketch.clock(QUEUE_RIGHT + 11.0, lane, 6.0, bucket.leak_progress() as f32, Some(2));
    sketch.text(QUEUE_LEFT, top + 47.0, MIN_FONT, Anchor::Start, false, &format!("leaks {}/s", trimmed(bucket.rate().requests_per_second(), 2)));
}

/// A count against the limit, as wide as a window's box allows.
fn count_words(count: u32, limit: u32) -> String {
    first_that_fits(&[format!("{count} / {limit}"), format!("{count}/{limit}"), count.to_string()], MIN_FONT, AXIS_MIDDLE - AXIS_LEFT - 8.0)
}

/// A window limiter on a time axis of two windows, the previous and the current one, with a
/// mark where now is: the fixed window's count in the current window; the sliding log's count
/// over the window ending now, with a tick for each moment it logged; the sliding counter's
/// previous and current counts and the span its estimate weighs.
fn window(sketch: &mut Sketch, model: &RateLimiters, kind: Kind, top: f32) {
    let (limit, window_ticks, now) = (model.config().limit, model.config().window_ticks.max(1), model.tick());
    let half = AXIS_MIDDLE - AXIS_LEFT;
    let x_now = AXIS_MIDDLE + half * (now % window_ticks) as f32 / window_ticks as f32;
    let (boxes, height, axis) = (top + 20.0, 17.0, top + 47.0);
    sketch.path(&format!("M{AXIS_LEFT} {axis}H{AXIS_RIGHT}M{AXIS_LEFT} {}v6M{AXIS_MIDDLE} {}v6M{AXIS_RIGHT} {}v6", axis - 3.0, axis - 3.0, axis - 3.0), None);
    let tone = Some(kind.index() as u8 + 1);
    let mut marks = format!("M{x_now:.1} {}V{}", top + 38.0, top + BOX_TOP + BOX_HEIGHT);
    match kind {
        Kind::FixedWindow => sketch.labelled_box(AXIS_MIDDLE, boxes, half, height, tone, MIN_FONT, &count_words(model.fixed_window().used_at(now), limit)),
        Kind::SlidingLog => {
            let log = model.sliding_log();
            sketch.labelled_box(x_now - half, boxes, half, height, tone, MIN_FONT, &count_words(log.in_window_at(now), limit));
            // One tick per two units of axis, at most: a real log keeps a time per request.
            let mut places: Vec<i32> = log.logged().filter(|(at, _)| at + window_ticks > now).map(|(at, _)| ((x_now - half * (now - at) as f32 / window_ticks as f32) / 2.0).round() as i32 * 2).collect();
            places.dedup();
            for x in places {
                marks.push_str(&format!("M{x} {}v5", top + 39.0));
            }
        }
        // The sliding counter.
        _ => {
            let (previous, current) = model.sliding_counter().counts_at(now);
            sketch.labelled_box(AXIS_LEFT, boxes, half, height, None, MIN_FONT, &count_words(previous, limit));
            sketch.labelled_box(AXIS_MIDDLE, boxes, half, height, tone, MIN_FONT, &count_words(current, limit));
            marks.push_str(&format!("M{:.1} {}V{}H{x_now:.1}", x_now - half, top + 39.0, top + 43.0));
        }
    }
    sketch.path(&marks, tone);
}

/// "1 request", "3 requests".
fn requests(count: u64) -> String {
    if count == 1 {
        "1 request".to_string()
    } else {
        format!("{count} requests")
    }
}

/// What the picture shows, as one passage for a screen reader: the latest tick's arrivals,
/// what each limiter did with them and holds now, what is on its way (`coming`), and the sample.
fn summary(model: &RateLimiters, coming: &[u32], per_dot: u64) -> String {
    let config = model.config();
    let (limit, window) = (config.limit, config.window_seconds());
    let traffic = traffic(model).swap_remove(0);
    let latest = model.recent_tick(0);
    let lead = match latest {
        Some(tick) => format!(
            "At {}, {} five rate limiters, each allowing {limit} requests per {window} s, under {traffic}",
            format_ms(model.time_ms()),
            if tick.arrivals == 0 { "no new request reached".to_string() } else { format!("{} just reached", requests(u64::from(tick.arrivals))) }
        ),
        None => format!("Five rate limiters, each allowing {limit} requests per {window} s, before the first request of {traffic}"),
    };
    let clauses: Vec<String> = Kind::ALL
        .into_iter()
        .map(|kind| {
            let (name, state) = (kind.label(), model.limiter(kind).state);
            let Some(tick) = latest else { return format!(" {name}: {state}.") };
            let accepted = tick.accepted[kind.index()];
            let refused = tick.arrivals.saturating_sub(accepted);
            let mut did = Vec::new();
            if tick.arrivals > 0 {
                did.push(if kind == Kind::LeakyBucket { format!("queued {accepted}") } else { format!("let {accepted} through") });
                did.push(format!("refused {refused}"));
            }
            if kind == Kind::LeakyBucket && tick.leaky_sent > 0 {
                did.push(format!("sent {} on", tick.leaky_sent));
            }
            if did.is_empty() {
                format!(" {name}: {state}.")
            } else {
                format!(" {name}: {}; {state}.", did.join(", "))
            }
        })
        .collect();
    let coming: u64 = coming.iter().map(|&count| u64::from(count)).sum();
    let on_the_way = match coming {
        0 => String::new(),
        1 => " 1 more request is on its way.".to_string(),
        _ => format!(" {coming} more requests are on their way."),
    };
    let sample = if per_dot > 1 { format!(" Each dot stands for up to {per_dot} requests.") } else { String::new() };
    format!("{lead}.{}{on_the_way}{sample}", clauses.concat())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Timeline};
    use crate::viz::limiters::{Action, LIMITER_PARAMS};
    use crate::viz::poster::{aria_label, drawn_requests, pairs, start, Poster};

    /// The app's run: five simulated minutes.
    const RUN_TICKS: u64 = 30_000;
    /// The most a stage may weigh: the tool redraws it at every frame it plays.
    const MOST_BYTES: usize = 12_000;
    const MOST_GLYPHS: usize = 80;

    fn model(list: &[(&str, &str)]) -> RateLimiters {
        let (params, _) = Params::from_pairs(LIMITER_PARAMS, &pairs(list));
        RateLimiters::new(&params, DEFAULT_SEED)
    }

    /// The stage, finished, with what is wrong with it.
    fn check(model: &RateLimiters, what: &str) -> Poster {
        let drawn = stage(model).finish();
        assert!(drawn.problems.is_empty(), "{what} at tick {}: {:?}", model.tick(), drawn.problems);
        assert!(drawn.svg.len() < MOST_BYTES, "{what} at tick {}: {} bytes", model.tick(), drawn.svg.len());
        let glyphs = glyphs(&drawn.svg);
        assert!(glyphs <= MOST_GLYPHS, "{what} at tick {}: {glyphs} requests drawn", model.tick());
        for kind in Kind::ALL {
            let words = state(model, kind);
            assert!(text_width(&words, MIN_FONT) <= state_room(kind), "{what} at tick {}: \"{words}\" runs into \"{}\"", model.tick(), kind.label());
        }
        drawn
    }

    /// Request glyphs drawn, the legend's three included.
    fn glyphs(svg: &str) -> usize {
        drawn_requests(svg).len()
    }

    /// Which rows (by index) show a request of `class`, read back from where the SVG draws them.
    fn rows_showing(svg: &str, class: &str) -> [bool; 5] {
        let mut rows = [false; 5];
        for (outcome, _, y) in drawn_requests(svg) {
            if outcome.class() == class && y < HEIGHT - 20.0 {
                rows[((y - FIRST_ROW) / ROW_HEIGHT) as usize] = true;
            }
        }
        rows
    }

    #[test]
    fn the_whole_default_run_draws_cleanly_and_within_bounds() {
        let mut limiters = model(&[]);
        let mut sampled = 0;
        while limiters.tick() <= RUN_TICKS {
            if limiters.tick() % 25 == 0 {
                let drawn = check(&limiters, "defaults");
                if drawn.svg.contains("1 dot = up to") {
                    sampled += 1;
                }
            }
            limiters.step();
        }
        // The bursts of 20 reach all five rows at once: too many to draw one by one.
        assert!(sampled > 0, "the bursts were never sampled");
    }

    #[test]
    fn each_row_tells_its_limiters_real_state() {
        let mut limiters = model(&[]);
        // Through the first burst (halfway through the second window) and the window after.
        for tick in 0..=260 {
            if matches!(tick, 0 | 120 | 151 | 152 | 175 | 200 | 201 | 260) {
                let svg = check(&limiters, "defaults").svg;
                let now = limiters.tick();
                let tokens = limiters.token_bucket().tokens();
                let queued = limiters.leaky_bucket().queued();
                let used = limiters.fixed_window().used_at(now);
                let logged = limiters.sliding_log().in_window_at(now);
                let (previous, current) = limiters.sliding_counter().counts_at(now);
                let expected = [
                    ">Token bucket<".to_string(),
                    format!(">{} of 10 tokens<", one_decimal(tokens)),
                    ">Leaky bucket<".to_string(),
                    format!(">{queued} of 10 queued<"),
                    ">Fixed window<".to_string(),
                    format!(">{used} of 10 used"),
                    format!(">{used} / 10<"),
                    ">Sliding-window log<".to_string(),
                    format!(">{logged} of 10 in the last 1 s<"),
                    format!(">{logged} / 10<"),
                    ">Sliding-window counter<".to_string(),
                    format!(">{previous} / 10<"),
                    format!(">{current} / 10<"),
                    format!(">estimate {} of 10<", one_decimal(limiters.sliding_counter().estimate(now))),
                ];
                for words in expected {
                    assert!(svg.contains(&words), "tick {now}: {words} missing: {svg}");
                }
                // The bucket's level is its share of tokens, the queue's fill its share of slots.
                let level = 28.0 * tokens / 10.0;
                assert!(svg.contains(&format!(r#"class="pv-fill pv-fill--1" x="98.0" y="{:.1}" width="18.0" height="{level:.1}""#, row_top(0) + BOX_TOP + 2.0 + 28.0 - level as f32)), "tick {now}: {svg}");
                assert_eq!(svg.contains(r#"class="pv-fill pv-fill--2" x="#), queued > 0, "tick {now}: {svg}");
            }
            limiters.step();
        }
        // The burst filled the queue and emptied the bucket: the picture was not only at rest.
        assert!(limiters.totals().rejected.iter().all(|&refused| refused > 0), "{:?}", limiters.totals());
    }

    /// The requests drawn, in the order drawn.
    #[test]
    fn the_picture_moves_with_the_traffic_and_is_the_same_for_the_same_state() {
        // Steady traffic of 30 a second: a request every three or four ticks, never the same
        // pattern of ticks from one tick to the next, so the requests must move every tick.
        let mut limiters = model(&[("rate", "30")]);
        limiters.apply(&Action::SetPattern(Pattern::Steady));
        let mut before = stage(&limiters).finish().svg;
        for _ in 0..300 {
            let copy = limiters.clone();
            limiters.step();
            let now = stage(&limiters).finish().svg;
            assert_ne!(drawn_requests(&now), drawn_requests(&before), "tick {}: no request moved", limiters.tick());
            // The same state draws the same picture, byte for byte, and drawing changes nothing.
            assert_eq!(stage(&limiters).finish().svg, now);
            assert_eq!(stage(&copy).finish().svg, before);
            before = now;
        }
        // Stepping back through the timeline and forward again, or rebuilding a shared run,
        // lands on the same picture.
        let (params, _) = Params::from_pairs(LIMITER_PARAMS, &pairs(&[]));
        let mut timeline = Timeline::<RateLimiters>::new(params.clone(), 7, RUN_TICKS);
        for _ in 0..170 {
            timeline.step_forward();
        }
        timeline.act(Action::Burst);
        for _ in 0..40 {
            timeline.step_forward();
        }
        let seen = stage(timeline.state()).finish().svg;
        for _ in 0..90 {
            timeline.step_back();
        }
        timeline.seek(210);
        assert_eq!(stage(timeline.state()).finish().svg, seen);
        let shared = Timeline::<RateLimiters>::replay(params, 7, RUN_TICKS, timeline.actions().to_vec(), 210);
        assert_eq!(stage(shared.state()).finish().svg, seen);
    }

    #[test]
    fn refusals_are_drawn_where_the_model_refused_and_nowhere_else() {
        // A limit of 10 a second; 10 requests just before a window boundary and 10 just after.
        // The fixed window has forgotten the first 10 and lets the next 10 through; the others
        // all refuse (the leaky bucket's queue has room for one).
        let mut limiters = model(&[]);
        while limiters.tick() < 99 {
            limiters.step_scripted(0);
        }
        limiters.step_scripted(10);
        limiters.step_scripted(10);
        let drawn = check(&limiters, "the edge");
        assert_eq!(limiters.last_tick().accepted, [0, 1, 10, 0, 0]);
        assert_eq!(rows_showing(&drawn.svg, "pv-req pv-req--rejected"), [true, true, false, true, true], "{}", drawn.svg);
        // All five let the first 10 through (the leaky bucket sent one on at once).
        assert_eq!(rows_showing(&drawn.svg, "pv-req pv-req--ok"), [true; 5], "{}", drawn.svg);

        // And through a real run: a row shows refusals exactly when its limiter refused in one
        // of the ticks drawn, and requests going on exactly when it let some through.
        let mut limiters = model(&[("rate", "30"), ("burst", "60")]);
        for _ in 0..1_200 {
            limiters.step();
            let svg = stage(&limiters).finish().svg;
            let (refused, passed) = (rows_showing(&svg, "pv-req pv-req--rejected"), rows_showing(&svg, "pv-req pv-req--ok"));
            for kind in Kind::ALL {
                let index = kind.index();
                let ticks = |count: u64| (0..count).filter_map(|ago| limiters.recent_tick(ago)).collect::<Vec<_>>();
                let did_refuse = ticks(GOING_BACK).iter().any(|tick| tick.accepted[index] < tick.arrivals);
                let did_pass = ticks(GOING_ON).iter().any(|tick| if kind == Kind::LeakyBucket { tick.leaky_sent > 0 } else { tick.accepted[index] > 0 });
                assert_eq!(refused[index], did_refuse, "{kind:?} at tick {}", limiters.tick());
                assert_eq!(passed[index], did_pass, "{kind:?} at tick {}", limiters.tick());
            }
        }
    }

    #[test]
    fn every_extreme_draws_cleanly() {
        let ranges: [(&str, [&str; 2]); 4] = [("limit", ["1", "1000"]), ("window", ["1", "10"]), ("rate", ["0", "1000"]), ("burst", ["0", "5000"])];
        for corner in 0..16 {
            let list: Vec<(&str, &str)> = ranges.iter().enumerate().map(|(bit, (key, values))| (*key, values[(corner >> bit) & 1])).collect();
            for pattern in Pattern::ALL {
                let mut limiters = model(&list);
                limiters.apply(&Action::SetPattern(pattern));
                for tick in 0..230 {
                    // Two bursts asked for at once, on top of the pattern's own.
                    if tick == 30 {
                        limiters.apply(&Action::Burst);
                        limiters.apply(&Action::Burst);
                    }
                    if tick % 3 == 0 || (28..40).contains(&tick) || (195..205).contains(&tick) {
                        check(&limiters, &format!("{list:?} {pattern:?}"));
                    }
                    limiters.step();
                }
            }
        }
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = pairs(&[("limit", "0"), ("window", "1.5"), ("rate", "fast"), ("burst", "-2"), ("seed", "?"), ("other", "1")]);
        let mut limiters = start::<RateLimiters>(LIMITER_PARAMS, &garbage);
        let mut defaults = start::<RateLimiters>(LIMITER_PARAMS, &[]);
        for _ in 0..200 {
            assert_eq!(check(&limiters, "garbage").svg, stage(&defaults).finish().svg);
            limiters.step();
            defaults.step();
        }
        assert!(aria_label(&stage(&limiters).finish().svg).contains("10 requests per 1 s"));
    }

    #[test]
    fn the_sample_is_a_round_number_that_keeps_the_picture_readable() {
        // The worst case: every lane of every row busy in every tick drawn.
        let mut limiters = model(&[("limit", "500"), ("rate", "1000"), ("burst", "5000")]);
        for _ in 0..160 {
            limiters.step();
        }
        let groups = groups(&limiters, &limiters.upcoming(COMING));
        let per_dot = per_dot(&groups);
        let drawn = check(&limiters, "busy").svg;
        let dots = glyphs(&drawn) - KEY.len();
        assert!(dots as u64 <= MOST_DOTS && per_dot > 1, "{dots} dots at 1 per {per_dot}");
        assert!(drawn.contains(&format!(">1 dot = up to {per_dot} requests<")), "{drawn}");
        assert!(aria_label(&drawn).contains(&format!("Each dot stands for up to {per_dot} requests.")), "{drawn}");
        // One size smaller would have been too many.
        let smaller = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].into_iter().take_while(|&size| size < per_dot).last().unwrap_or(1);
        let too_many: u64 = groups.iter().map(|group| u64::from(group.count).div_ceil(smaller)).sum();
        assert!(too_many > MOST_DOTS || groups.iter().any(|group| u64::from(group.count).div_ceil(smaller) > BLOCK), "{smaller} would have fitted");
    }

    #[test]
    fn the_summary_tells_what_the_picture_shows() {
        let mut limiters = model(&[]);
        let label = aria_label(&stage(&limiters).finish().svg).to_string();
        assert!(label.starts_with("Five rate limiters, each allowing 10 requests per 1 s, before the first request of bursty traffic"), "{label}");
        assert!(label.contains(". Token bucket: 10 of 10 tokens. Leaky bucket: 0 of 10 queued. Fixed window: 0 of 10 used"), "{label}");
        while limiters.tick() <= 150 {
            limiters.step();
        }
        let tick = limiters.last_tick();
        let label = aria_label(&stage(&limiters).finish().svg).to_string();
        // The burst came in the tick that ended at 1.51 s.
        assert!(label.starts_with(&format!("At 1.51 s, {} requests just reached five rate limiters", tick.arrivals)), "{label}");
        let [token, leaky, ..] = tick.accepted;
        assert!(label.contains(&format!("Token bucket: let {token} through, refused {}; 0 of 10 tokens.", tick.arrivals - token)), "{label}");
        let queued = limiters.leaky_bucket().queued();
        assert!(label.contains(&format!("Leaky bucket: queued {leaky}, refused {}, sent 1 on; {queued} of 10 queued.", tick.arrivals - leaky)), "{label}");
    }
}

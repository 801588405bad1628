//! The stage: the system drawn as it stands at the model's current tick. Clients at the top send
//! requests down to the cache, whose hot keys are clocks that drain as their TTL runs out; what
//! the cache cannot answer goes on down to the database, whose connections fill up and whose
//! queue grows. Answers, stale answers, timeouts and refusals travel back up to the clients, each
//! drawn in its own shape. A herd is the cache's clocks emptying together, a burst of queries
//! down to the database and a queue of dots; with a lock or single flight the same burst waits
//! under its key in the cache instead, and one query per key goes down.
//!
//! Everything is read from the model's state, so scrubbing, stepping back and a shared link show
//! the same picture. The model keeps counts, not requests, so the moving dots replay the last
//! closed 100 ms window of the series one window late: the window's requests of each kind are
//! spread evenly over the next 100 ms and each crosses its link in `TRAVEL_TICKS`. A dot is the
//! `per`-th request of its kind counted since the start of the run, so a dot keeps its place from
//! one tick to the next. Waiting requests and queued queries are drawn where they wait, as they
//! are now. When traffic is heavy a dot stands for `per` requests (1, 2, 5, 10, 20, …), the
//! smallest that keeps the picture to `MAX_DOTS` dots and every group to the room it has; a group
//! with any request in it shows at least one dot, and the stage says what a dot is worth.

use super::narration::format_ms;
use super::{KeyStatus, KeyView, Sample, Stampede, HOT_KEY_COUNT, MAX_QUEUED_QUERIES, MAX_SLOWDOWN, TICKS_PER_SAMPLE, TICKS_PER_SECOND, TICK_MS};
use crate::diagram::text::text_width;
use crate::sim::number::group_thousands;
use crate::viz::poster::{along, first_that_fits, round_units, Anchor, Health, Outcome, Sketch, MIN_FONT};

/// The canvas height: the stage and the play controls fit a 360 px phone's first screen.
const HEIGHT: f32 = 326.0;
const LEFT: f32 = 8.0;
const RIGHT: f32 = 312.0;
const TITLE: f32 = 13.0;

const CLIENTS_TOP: f32 = 4.0;
const CLIENTS_BOTTOM: f32 = 30.0;
const CACHE_TOP: f32 = 94.0;
const CACHE_BOTTOM: f32 = 184.0;
const DATABASE_TOP: f32 = 232.0;
const DATABASE_BOTTOM: f32 = 302.0;
const LEGEND_Y: f32 = 320.0;

/// The middle of each lane: requests down to the cache, answers back up, queries down to the
/// database.
const REQUESTS_X: f32 = 100.0;
const ANSWERS_X: f32 = 220.0;
const QUERIES_X: f32 = 110.0;
/// Where dots go across a lane, from its middle, so a stream of them does not pile up. Answers
/// and the other ways back (stale, timed out, refused) take alternate columns on the way up, so
/// a ring or a cross never lands on a green dot.
const DOWN_COLUMNS: [f32; 5] = [-18.0, -9.0, 0.0, 9.0, 18.0];
const ANSWER_COLUMNS: [f32; 4] = [-25.5, -8.5, 8.5, 25.5];
const TROUBLE_COLUMNS: [f32; 3] = [-17.0, 0.0, 17.0];
/// How far from each end of a link a dot starts and stops.
const LANE_INSET: f32 = 6.0;
/// How long a dot takes to cross a link: one window, so each lane holds about one window's worth.
const TRAVEL_TICKS: f64 = TICKS_PER_SAMPLE as f64;

/// The cache's slots: a clock per hot key, and one column for the other keys' waiting requests.
const SLOTS_LEFT: f32 = 14.0;
const SLOTS_RIGHT: f32 = 306.0;
const CLOCKS_Y: f32 = 134.0;
const LARGEST_CLOCK: f32 = 10.0;
/// The recomputation arc's distance outside its clock.
const ARC_GAP: f32 = 3.0;
/// Requests waiting on a key's lock or single flight, under its clock: three dots a row, two rows.
const WAITING_Y: f32 = 154.0;
const WAITING_COLUMNS: u64 = 3;
const WAITING_MOST: u64 = 6;
const NAMES_Y: f32 = 180.0;

/// The database's rows: what runs (a bar cut into connection slots) and what queues (dots).
const ROW_TEXT_X: f32 = 16.0;
const ROW_LEFT: f32 = 146.0;
const ROW_RIGHT: f32 = 304.0;
const POOL_Y: f32 = 257.0;
const POOL_HEIGHT: f32 = 12.0;
/// The most slots the connection bar is cut into; a larger pool groups its connections.
const POOL_SLOTS: u32 = 20;
const QUEUE_Y: f32 = 285.0;
const QUEUE_GAP: f32 = 8.0;
const QUEUE_MOST: u64 = 20;

/// The most request dots a stage draws (the legend's and the sample note's aside): enough to see
/// a stream, few enough to read and to keep the drawing small.
const MAX_DOTS: usize = 56;
/// A dot's radius, as `Sketch::request` draws it.
const DOT: f32 = 3.5;

/// The system at the model's current tick, on a 320 × 326 canvas (see the module documentation).
/// Its label says in words what the picture shows.
pub fn stage(model: &Stampede) -> Sketch {
    let hot: Vec<KeyView> = model.hot_keys().collect();
    let scene = Scene::of(model);
    let mut sketch = Sketch::new(HEIGHT, &summary(model, &hot, scene.per));
    draw_clients(&mut sketch, model);
    draw_links(&mut sketch, scene.per);
    draw_cache(&mut sketch, model, &hot);
    draw_database(&mut sketch, model);
    for dot in &scene.dots {
        sketch.request(dot.x, dot.y, dot.outcome);
    }
    sketch.legend(LEFT, LEGEND_Y, &[Outcome::Ok, Outcome::Stale, Outcome::TimedOut, Outcome::Rejected]);
    sketch
}

fn draw_clients(sketch: &mut Sketch, model: &Stampede) {
    let config = model.config();
    let rate = group_thousands(f64::from(config.requests_per_second));
    let options = if config.penetration {
        let missing = percent(config.missing_share);
        vec![format!("Clients: {rate} req/s, {missing} for missing keys"), format!("Clients: {rate}/s, {missing} for missing keys"), format!("Clients: {rate}/s, {missing} missing")]
    } else {
        vec![format!("Clients: {rate} requests a second"), format!("Clients: {rate} req/s")]
    };
    let label = first_that_fits(&options, TITLE, RIGHT - LEFT - 8.0);
    sketch.component(LEFT, CLIENTS_TOP, RIGHT - LEFT, CLIENTS_BOTTOM - CLIENTS_TOP, Health::Up, 0.0, TITLE, &label);
}

/// The three links with their names, and what a dot is worth beside the queries' link.
fn draw_links(sketch: &mut Sketch, per: u64) {
    let half = |columns: &[f32]| columns.iter().fold(0.0_f32, |widest, x| widest.max(x.abs())) + DOT + 4.0;
    let upper = (CLIENTS_BOTTOM + CACHE_TOP) / 2.0 + 4.0;
    sketch.arrow(REQUESTS_X, CLIENTS_BOTTOM, REQUESTS_X, CACHE_TOP);
    sketch.text(REQUESTS_X - half(&DOWN_COLUMNS), upper, MIN_FONT, Anchor::End, false, "requests");
    sketch.arrow(ANSWERS_X, CACHE_TOP, ANSWERS_X, CLIENTS_BOTTOM);
    sketch.text(ANSWERS_X + half(&ANSWER_COLUMNS), upper, MIN_FONT, Anchor::Start, false, "answers");
    let lower = (CACHE_BOTTOM + DATABASE_TOP) / 2.0 + 4.0;
    sketch.arrow(QUERIES_X, CACHE_BOTTOM, QUERIES_X, DATABASE_TOP);
    sketch.text(QUERIES_X - half(&DOWN_COLUMNS), lower, MIN_FONT, Anchor::End, false, "queries");
    // Set from its start, next to its dot: the measure is a conservative estimate, so a
    // right-aligned note would leave a gap after the dot.
    let worth = format!("= {}", requests(per));
    let left = RIGHT - text_width(&worth, MIN_FONT);
    sketch.request(left - DOT - 3.0, lower - 4.0, Outcome::InFlight);
    sketch.text(left, lower, MIN_FONT, Anchor::Start, false, &worth);
}

/// Where slot `index` of `columns` is centred.
fn slot_x(index: usize, columns: usize) -> f32 {
    let pitch = (SLOTS_RIGHT - SLOTS_LEFT) / columns.max(1) as f32;
    SLOTS_LEFT + pitch * (index as f32 + 0.5)
}

/// The cache's columns: one per hot key, and one for the rest of the keys if there are more.
fn slot_columns(model: &Stampede) -> usize {
    let hot = model.keys.len().min(HOT_KEY_COUNT);
    hot + usize::from(model.keys.len() > hot)
}

/// The cache and its hot keys, most requested first, each drawn by what the cache holds for it:
/// a clock that drains as its TTL runs out (full when just filled, empty at expiry), an empty
/// face struck through once expired, or a bare ring when nothing is stored. An arc around a key
/// says the database is recomputing it. The more requested a key, the larger its clock.
fn draw_cache(sketch: &mut Sketch, model: &Stampede, hot: &[KeyView]) {
    let config = model.config();
    let fresh_hot = hot.iter().any(|key| key.status == KeyStatus::Fresh);
    let health = if fresh_hot { Health::Up } else { Health::Degraded };
    let title = format!("Cache: {}, TTL {} s", key_count(model.keys.len()), config.ttl_ticks / TICKS_PER_SECOND);
    sketch.component(LEFT, CACHE_TOP, RIGHT - LEFT, CACHE_BOTTOM - CACHE_TOP, health, 0.0, TITLE, &title);
    let columns = slot_columns(model);
    let room = (SLOTS_RIGHT - SLOTS_LEFT) / columns.max(1) as f32 / 2.0 - ARC_GAP - 1.0;
    let most = hot.first().map_or(1.0, |key| key.share).max(f64::MIN_POSITIVE);
    let ttl_ms = f64::from(config.ttl_ticks * TICK_MS);
    for (index, key) in hot.iter().enumerate() {
        let (x, y) = (slot_x(index, columns), CLOCKS_Y);
        let r = (LARGEST_CLOCK * (0.5 + 0.5 * (key.share / most) as f32)).min(room);
        match key.status {
            KeyStatus::Fresh => {
                let remaining = key.expires_in_ms.map_or(0.0, |ms| ms as f64 / ttl_ms);
                sketch.clock(x, y, r, remaining as f32, Some(3));
            }
            KeyStatus::Expired => {
                sketch.clock(x, y, r, 0.0, None);
                let d = r * 0.7;
                sketch.path(&format!("M{:.1} {:.1}L{:.1} {:.1}", x - d, y + d, x + d, y - d), Some(4));
            }
            KeyStatus::Empty => sketch.ring(x, y, r),
        }
        if key.recomputations_in_flight > 0 {
            let arc = r + ARC_GAP;
            sketch.path(&format!("M{x:.1} {:.1}A{arc:.1} {arc:.1} 0 1 1 {:.1} {y:.1}", y - arc, x - arc), Some(1));
        }
    }
    let rest = model.keys.len().saturating_sub(hot.len());
    let more = if rest > 0 { format!("+{} more {}", group_thousands(rest as f64), if rest == 1 { "key" } else { "keys" }) } else { String::new() };
    if let Some(first) = hot.first() {
        // Say what the share is of, as fully as the room beside "+N more keys" allows.
        let share = percent(first.share * (1.0 - config.missing_share));
        let room = SLOTS_RIGHT - SLOTS_LEFT - text_width(&more, MIN_FONT) - 12.0;
        let name = &first.name;
        let options = [format!("{name} draws {share} of requests"), format!("{name}: {share} of requests"), format!("{name}: {share}")];
        sketch.text(SLOTS_LEFT, NAMES_Y, MIN_FONT, Anchor::Start, true, &first_that_fits(&options, MIN_FONT, room));
    }
    if rest > 0 {
        sketch.text(SLOTS_RIGHT, NAMES_Y, MIN_FONT, Anchor::End, false, &more);
    }
}

/// The database, tinted by how much its load slows each query (and outlined dashed once that is
/// twice its idle cost): a bar of connection slots filled as queries run, and its queue.
fn draw_database(sketch: &mut Sketch, model: &Stampede) {
    let config = model.config();
    let database = model.database();
    let load = ((database.slowdown - 1.0) / f64::from(MAX_SLOWDOWN - 1)) as f32;
    let health = if database.slowdown >= 2.0 { Health::Degraded } else { Health::Up };
    let connections = group_thousands(f64::from(database.concurrency));
    let options = if database.slowdown >= 1.05 {
        let slower = format!("{:.1}× slower", database.slowdown);
        vec![format!("Database: queries {slower} than idle"), format!("Database: queries {slower}"), "Database".to_string()]
    } else {
        vec![format!("Database: {} ms a query", config.recompute_ms), "Database".to_string()]
    };
    let title = first_that_fits(&options, TITLE, RIGHT - LEFT - 8.0);
    sketch.component(LEFT, DATABASE_TOP, RIGHT - LEFT, DATABASE_BOTTOM - DATABASE_TOP, health, load, TITLE, &title);

    let width = ROW_RIGHT - ROW_LEFT;
    sketch.text(ROW_TEXT_X, POOL_Y + 10.0, MIN_FONT, Anchor::Start, true, &format!("{} of {connections} busy", database.running));
    sketch.meter(ROW_LEFT, POOL_Y, width, POOL_HEIGHT, database.running as f32 / database.concurrency.max(1) as f32, Some(2));
    // One slot per connection, or per group of them when the pool is larger than the bar's slots.
    let group = database.concurrency.div_ceil(POOL_SLOTS).max(1);
    let mut dividers = String::new();
    for slot in 1..database.concurrency.div_ceil(group) {
        let x = ROW_LEFT + width * (slot * group) as f32 / database.concurrency as f32;
        dividers.push_str(&format!("M{x:.1} {POOL_Y}v{POOL_HEIGHT}"));
    }
    if !dividers.is_empty() {
        sketch.path(&dividers, None);
    }
    let full = if database.queued >= MAX_QUEUED_QUERIES { ", full" } else { "" };
    sketch.text(ROW_TEXT_X, QUEUE_Y + 4.0, MIN_FONT, Anchor::Start, true, &format!("queue {}{full}", group_thousands(f64::from(database.queued))));
}

/// A request drawn on the stage.
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
    /// The smallest `per` of 1, 2, 5, 10, 20, 50, … at which everything fits. At five billion
    /// every group and every window has at most one dot, so the search always ends.
    fn of(model: &Stampede) -> Self {
        let samples: Vec<&Sample> = model.series.iter().rev().take(2).collect();
        let flows = flows(model);
        let columns = slot_columns(model);
        let mut waiting: Vec<(f32, u64)> = model.keys.iter().take(HOT_KEY_COUNT).enumerate().map(|(index, key)| (slot_x(index, columns), u64::from(key.attached + key.polling))).collect();
        if model.keys.len() > HOT_KEY_COUNT {
            let rest = model.keys.iter().skip(HOT_KEY_COUNT).map(|key| u64::from(key.attached + key.polling)).sum();
            waiting.push((slot_x(HOT_KEY_COUNT, columns), rest));
        }
        let queued = u64::from(model.database.queued);
        round_units()
            .take(30)
            .find_map(|per| {
                let mut dots = Vec::with_capacity(MAX_DOTS + 1);
                for &(x, count) in &waiting {
                    let shown = count.div_ceil(per);
                    if shown > WAITING_MOST {
                        return None;
                    }
                    dots.extend((0..shown).map(|n| Dot {
                        x: x + ((n % WAITING_COLUMNS) as f32 - 1.0) * (2.0 * DOT + 0.5),
                        y: WAITING_Y + (n / WAITING_COLUMNS) as f32 * (2.0 * DOT + 1.0),
                        outcome: Outcome::InFlight,
                    }));
                }
                let shown = queued.div_ceil(per);
                if shown > QUEUE_MOST {
                    return None;
                }
                dots.extend((0..shown).map(|n| Dot { x: ROW_LEFT + DOT + n as f32 * QUEUE_GAP, y: QUEUE_Y, outcome: Outcome::InFlight }));
                for flow in &flows {
                    if !flow.travel(&samples, f64::from(model.tick), per, &mut dots) {
                        return None;
                    }
                }
                Some(Scene { per, dots })
            })
            .unwrap_or(Scene { per: 1, dots: Vec::new() })
    }
}

/// One kind of request the moving dots replay: its lane, its shape, and how many there have been
/// in all, in the window still open, and in each closed window.
struct Flow {
    outcome: Outcome,
    x: f32,
    from: f32,
    to: f32,
    /// The columns it may take across its lane, and where in them it starts, so kinds sharing
    /// columns take turns rather than land on each other.
    columns: &'static [f32],
    salt: u64,
    total: u64,
    open: u32,
    count: fn(&Sample) -> u32,
}

/// Every kind of request that travels: arrivals down to the cache; answers (hits, answers after
/// a wait, and the Bloom filter's "no such key"), stale answers, timeouts and refusals back up
/// to the clients; and queries down to the database.
fn flows(model: &Stampede) -> [Flow; 6] {
    let (totals, open) = (model.ledger.totals, model.ledger.window);
    let (top, bottom) = (CLIENTS_BOTTOM + LANE_INSET, CACHE_TOP - LANE_INSET);
    let up = |outcome: Outcome, columns: &'static [f32], salt: u64, total: u64, open: u32, count: fn(&Sample) -> u32| Flow { outcome, x: ANSWERS_X, from: bottom, to: top, columns, salt, total, open, count };
    let answered = |sample: &Sample| sample.hits.saturating_add(sample.answered_after_wait).saturating_add(sample.bloom_rejected);
    [
        Flow { outcome: Outcome::InFlight, x: REQUESTS_X, from: top, to: bottom, columns: &DOWN_COLUMNS, salt: 0, total: totals.requests, open: open.requests, count: |sample: &Sample| sample.requests },
        up(Outcome::Ok, &ANSWER_COLUMNS, 0, totals.hits + totals.answered_after_wait + totals.bloom_rejected, open.hits.saturating_add(open.answered_after_wait).saturating_add(open.bloom_rejected), answered),
        up(Outcome::Stale, &TROUBLE_COLUMNS, 0, totals.stale_served, open.stale_served, |sample: &Sample| sample.stale_served),
        up(Outcome::TimedOut, &TROUBLE_COLUMNS, 1, totals.timeouts, open.timeouts, |sample: &Sample| sample.timeouts),
        up(Outcome::Rejected, &TROUBLE_COLUMNS, 2, totals.refused, open.refused, |sample: &Sample| sample.refused),
        Flow {
            outcome: Outcome::InFlight,
            x: QUERIES_X,
            from: CACHE_BOTTOM + LANE_INSET,
            to: DATABASE_TOP - LANE_INSET,
            columns: &DOWN_COLUMNS,
            salt: 0,
            total: totals.queries_sent,
            open: open.queries_sent,
            count: |sample: &Sample| sample.queries_sent,
        },
    ]
}

impl Flow {
    /// Adds this kind's dots on its link at tick `now` from the closed windows `samples` (newest
    /// first), one for every `per`-th request; false once the stage has more than it can draw.
    fn travel(&self, samples: &[&Sample], now: f64, per: u64, dots: &mut Vec<Dot>) -> bool {
        let window = f64::from(TICKS_PER_SAMPLE);
        // Requests counted before the open window; each closed window ends where the next starts.
        let mut end = self.total.saturating_sub(u64::from(self.open));
        for sample in samples {
            let count = (self.count)(sample);
            let start = end.saturating_sub(u64::from(count));
            if count > 0 {
                // Request `start + i` is replayed at `closed + spacing × (i + ½)`, in the window
                // after its own; it is on the link for the `TRAVEL_TICKS` after that.
                let closed = sample.time_ms as f64 / f64::from(TICK_MS);
                let spacing = window / f64::from(count);
                let oldest = ((now - TRAVEL_TICKS - closed) / spacing - 0.5).ceil().max(0.0) as u64;
                for nth in (start + oldest) / per + 1..=end / per {
                    let age = now - (closed + spacing * ((nth * per - 1 - start) as f64 + 0.5));
                    if age < 0.0 {
                        break;
                    }
                    if age <= TRAVEL_TICKS {
                        // Seven is prime to every column count, so neighbours in time sit apart.
                        let column = self.columns.get(((nth * 7 + self.salt) % self.columns.len().max(1) as u64) as usize).copied().unwrap_or(0.0);
                        let x = self.x + column;
                        let (x, y) = along((x, self.from), (x, self.to), (age / TRAVEL_TICKS) as f32);
                        dots.push(Dot { x, y, outcome: self.outcome });
                        if dots.len() > MAX_DOTS {
                            return false;
                        }
                    }
                }
            }
            end = start;
        }
        true
    }
}

/// What the picture shows, for a screen reader: the system's setup, then the state at this tick
/// and what went through it in the window the moving dots replay.
fn summary(model: &Stampede, hot: &[KeyView], per: u64) -> String {
    let config = model.config();
    let database = model.database();
    let hottest = hot.first().map_or(String::new(), |key| format!("; {} draws {} of them", key.name, percent(key.share * (1.0 - config.missing_share))));
    let missing = if config.penetration { format!(", and {} ask for keys that do not exist", percent(config.missing_share)) } else { String::new() };
    let setup = format!(
        "{} requests a second read {} through a cache with a {} s TTL, in front of a database that runs {} queries at once ({} ms each when idle){hottest}{missing}.",
        group_thousands(f64::from(config.requests_per_second)),
        key_count(model.keys.len()),
        config.ttl_ticks / TICKS_PER_SECOND,
        database.concurrency,
        config.recompute_ms,
    );
    let waiting = if model.waiting > 0 { format!("; {} requests wait at the cache for another request's recomputation", group_thousands(f64::from(model.waiting))) } else { String::new() };
    let queued = match database.queued {
        0 => "none queued".to_string(),
        queued if queued >= MAX_QUEUED_QUERIES => format!("{} queued, its queue full, so it refuses more", group_thousands(f64::from(queued))),
        queued => format!("{} queued", group_thousands(f64::from(queued))),
    };
    let slower = if database.slowdown >= 1.05 { format!(", each {:.1} times slower than when idle", database.slowdown) } else { String::new() };
    let at_database = match model.pending_requests().saturating_sub(u64::from(model.waiting)) {
        0 => "the database".to_string(),
        1 => "1 request waits for the database, which".to_string(),
        many => format!("{} requests wait for the database, which", group_thousands(many as f64)),
    };
    let now = format!(
        "At {:.2} s, {}{waiting}; {at_database} runs {} of {} queries with {queued}{slower}.",
        model.time_ms() as f64 / 1000.0,
        cache_state(model, hot),
        database.running,
        database.concurrency,
    );
    let window = model.series.last().map_or(String::new(), |sample| format!(" {}", replayed(sample)));
    format!("{setup} {now}{window} Each dot stands for {}.", requests(per))
}

/// What the cache holds now, in words.
fn cache_state(model: &Stampede, hot: &[KeyView]) -> String {
    let keys = &model.keys;
    let fresh = keys.iter().filter(|key| key.is_fresh(model.tick)).count();
    let first_expiry = keys.first().and_then(|key| key.expires_at);
    if keys.iter().all(|key| key.expires_at.is_none()) {
        return "the cache is empty, so every first read misses".to_string();
    }
    if fresh == keys.len() && keys.iter().all(|key| key.expires_at == first_expiry) {
        let at = first_expiry.map_or(String::new(), |tick| format!("{:.1} s", f64::from(tick * TICK_MS) / 1000.0));
        return if keys.len() == 1 { format!("the key is fresh until {at}") } else { format!("all {} keys are fresh and expire together at {at}", keys.len()) };
    }
    let mut state = format!("{fresh} of {} are fresh", key_count(keys.len()));
    if let Some(key) = hot.iter().find(|key| key.status == KeyStatus::Expired) {
        let ago = key.expires_in_ms.map_or(0, |ms| ms.unsigned_abs());
        state.push_str(&if ago == 0 { format!(", {} expired just now", key.name) } else { format!(", {} expired {} ago", key.name, format_ms(ago)) });
    } else if let Some(key) = hot.iter().find(|key| key.status == KeyStatus::Empty) {
        state.push_str(&format!(", {} is not cached", key.name));
    }
    match keys.iter().filter(|key| key.in_flight > 0).count() {
        0 => {}
        1 => state.push_str(", 1 key is being recomputed"),
        many => state.push_str(&format!(", {many} keys are being recomputed")),
    }
    state
}

/// What went through the system in the window the moving dots replay.
fn replayed(sample: &Sample) -> String {
    let number = |count: u32| group_thousands(f64::from(count));
    let parts = [
        (sample.hits, "answered from the cache"),
        (sample.answered_after_wait, "answered after a wait"),
        (sample.bloom_rejected, "turned away by the Bloom filter"),
        (sample.stale_served, "given a stale value"),
        (sample.timeouts, "timed out"),
        (sample.refused, "refused"),
    ];
    let outcomes: Vec<String> = parts.iter().filter(|(count, _)| *count > 0).map(|(count, what)| format!("{} {what}", number(*count))).collect();
    let outcomes = if outcomes.is_empty() { String::new() } else { format!("; {}", outcomes.join(", ")) };
    format!(
        "In the 100 ms to {:.2} s, {} requests arrived{outcomes}; {} queries went to the database.",
        sample.time_ms as f64 / 1000.0,
        number(sample.requests),
        number(sample.queries_sent)
    )
}

fn requests(count: u64) -> String {
    format!("{} {}", group_thousands(count as f64), if count == 1 { "request" } else { "requests" })
}

fn key_count(count: usize) -> String {
    format!("{} {}", group_thousands(count as f64), if count == 1 { "key" } else { "keys" })
}

/// Whole percents, with a decimal below 10% so a thin share does not read as 0%.
fn percent(share: f64) -> String {
    match share * 100.0 {
        none if none <= 0.0 => "0%".to_string(),
        tiny if tiny < 0.05 => "under 0.1%".to_string(),
        small if small < 9.95 => format!("{small:.1}%"),
        large => format!("{large:.0}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Simulation, Timeline};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, extreme_presets, pairs, start, Poster};
    use crate::viz::stampede::{Action, Fix, STAMPEDE_PARAMS};

    /// The app's run: five simulated minutes.
    const RUN_TICKS: u64 = 30_000;

    fn params(list: &[(&str, &str)]) -> Params {
        Params::from_pairs(STAMPEDE_PARAMS, &pairs(list)).0
    }

    fn at(list: &[(&str, &str)], actions: &[(u64, Action)], tick: u64) -> Stampede {
        Timeline::<Stampede>::replay(params(list), DEFAULT_SEED, RUN_TICKS, actions.to_vec(), tick).state().clone()
    }

    fn draw(model: &Stampede) -> Poster {
        stage(model).finish()
    }

    /// Every request glyph as (x, y, class), centred; the legend's and the sample note's too.
    fn glyphs(svg: &str) -> Vec<(f32, f32, &'static str)> {
        drawn_requests(svg).into_iter().map(|(outcome, x, y)| (x, y, outcome.class())).collect()
    }

    /// Glyphs on their way to the database or queued in it (not the sample note beside the link).
    fn at_database(svg: &str) -> usize {
        glyphs(svg).iter().filter(|(x, y, _)| *y > CACHE_BOTTOM && *y < DATABASE_BOTTOM && (*y > DATABASE_TOP || *x < QUERIES_X + 30.0)).count()
    }

    /// Glyphs waiting in the cache for a lock or single flight.
    fn at_cache(svg: &str) -> usize {
        glyphs(svg).iter().filter(|(_, y, _)| *y > CACHE_TOP && *y < CACHE_BOTTOM).count()
    }

    /// How many requests the stage says a dot stands for.
    fn per(svg: &str) -> u64 {
        let note = svg.split(">= ").nth(1).and_then(|rest| rest.split(' ').next()).unwrap_or("");
        note.replace(',', "").parse().unwrap_or_else(|_| panic!("no sample note in {svg}"))
    }

    /// Steps a model to `ticks`, applying `actions` at their ticks, and checks the stage every
    /// `every` ticks; returns the most request glyphs seen in one picture.
    fn check_run(list: &[(&str, &str)], actions: &[(u64, Action)], ticks: u64, every: u64) -> usize {
        let mut model = Stampede::new(&params(list), DEFAULT_SEED);
        let mut most = 0;
        for tick in 0..=ticks {
            for (_, action) in actions.iter().filter(|(when, _)| *when == tick) {
                model.apply(action);
            }
            if tick % every == 0 {
                let poster = draw(&model);
                let context = format!("{list:?} {actions:?} at tick {tick}");
                assert!(poster.problems.is_empty(), "{context}: {:?}", poster.problems);
                assert!(poster.svg.len() < 12_000, "{context}: {} bytes", poster.svg.len());
                let drawn = glyphs(&poster.svg).len();
                assert!(drawn <= 80, "{context}: {drawn} request glyphs");
                assert!(aria_label(&poster.svg).starts_with(&group_thousands(f64::from(model.config().requests_per_second))), "{context}");
                most = most.max(drawn);
            }
            model.step();
        }
        most
    }

    #[test]
    fn every_25th_tick_of_the_default_run_draws_cleanly() {
        let most = check_run(&[], &[], RUN_TICKS, 25);
        assert!(most >= 40, "traffic at the defaults fills the lanes: at most {most} glyphs");
        // The same run with every action and fix, and the penetration variant with its filter.
        let actions = [
            (1_500, Action::ExpireHotKeys),
            (2_500, Action::Set(Fix::Lock, true)),
            (3_000, Action::ExpireHotKeys),
            (4_000, Action::Set(Fix::Lock, false)),
            (4_000, Action::Set(Fix::StaleWhileRevalidate, true)),
            (5_000, Action::ExpireHotKeys),
            (6_000, Action::RestartCache),
            (7_000, Action::Set(Fix::StaleWhileRevalidate, false)),
            (7_000, Action::Set(Fix::Coalesce, true)),
            (8_000, Action::RestartCache),
            (9_000, Action::Set(Fix::EarlyRecompute, true)),
            (9_000, Action::Set(Fix::TtlJitter, true)),
            (12_000, Action::WarmUp),
            (15_000, Action::Set(Fix::Coalesce, false)),
            (15_000, Action::RestartCache),
        ];
        check_run(&[], &actions, RUN_TICKS / 2, 25);
        check_run(&[("variant", "penetration")], &[(3_000, Action::Set(Fix::BloomFilter, true)), (4_000, Action::ExpireHotKeys)], RUN_TICKS / 4, 25);
    }

    #[test]
    fn draws_every_hot_key_connection_slot_and_the_queue() {
        // In the herd after the warm keys expire together at 10 s, and in a quiet moment.
        for (list, tick) in [(vec![], 1_030), (vec![], 700), (vec![("keys", "3"), ("conc", "7")], 1_040), (vec![("keys", "1"), ("conc", "1")], 1_020), (vec![("conc", "200"), ("rate", "20000")], 1_050)] {
            let model = at(&list, &[], tick);
            let svg = draw(&model).svg;
            let context = format!("{list:?} at {tick}");
            let keys = svg.matches(r#"<circle class="pv-meter""#).count() + svg.matches(r#"<circle class="pv-ring""#).count();
            assert_eq!(keys, model.key_count().min(HOT_KEY_COUNT), "{context}: a slot per hot key");
            let database = model.database();
            let dividers = svg.split(r#"<path class="pv-path" d=""#).nth(1).map_or(0, |path| path.split('"').next().unwrap_or("").matches('M').count());
            let slots = if database.concurrency <= POOL_SLOTS { database.concurrency } else { POOL_SLOTS };
            assert_eq!(dividers as u32 + 1, slots, "{context}: a slot per connection, or per ten of 200");
            assert!(svg.contains(&format!(">{} of {} busy<", database.running, database.concurrency)), "{context}");
            assert!(svg.contains(&format!(">queue {}", group_thousands(f64::from(database.queued)))), "{context}: {}", database.queued);
            let queued = glyphs(&svg).iter().filter(|(_, y, _)| *y == QUEUE_Y).count() as u64;
            assert_eq!(queued, u64::from(database.queued).div_ceil(per(&svg)), "{context}: the queue at the stated sample");
            let label = aria_label(&svg);
            assert!(label.contains(&format!("runs {} of {} queries", database.running, database.concurrency)), "{context}: {label}");
        }
        // The herd itself: the warm keys expired, the pool is full and a queue has formed.
        let herd = at(&[], &[], 1_030);
        assert!(herd.database().queued > 100 && herd.database().running == herd.database().concurrency, "{:?}", herd.database());
        let svg = draw(&herd).svg;
        assert!(svg.contains("pv-path--4") && svg.contains("pv-part--degraded"), "struck-through keys and a dashed database: {svg}");
    }

    #[test]
    fn the_picture_moves_with_the_traffic_and_depends_only_on_the_state() {
        let mut timeline: Timeline<Stampede> = Timeline::new(params(&[]), DEFAULT_SEED, RUN_TICKS);
        let first = check_stage_is_pure(&mut timeline, 500, |model| draw(model).svg);
        // The model stepped on its own to the same tick draws it too.
        assert_eq!(draw(&at(&[], &[], 500)).svg, first, "a shared link draws the same picture");
        // From one tick to the next a request keeps its column and moves a tenth of its link.
        let lane = |svg: &str| -> Vec<(f32, f32)> { glyphs(svg).into_iter().filter(|(x, y, _)| (*x - REQUESTS_X).abs() < 25.0 && *y < CACHE_TOP).map(|(x, y, _)| (x, y)).collect() };
        timeline.seek(501);
        let before = draw(timeline.state()).svg;
        timeline.step_forward();
        let after = draw(timeline.state()).svg;
        assert_eq!(per(&before), per(&after));
        let step = (CACHE_TOP - CLIENTS_BOTTOM - 2.0 * LANE_INSET) / TRAVEL_TICKS as f32;
        let (before, after) = (lane(&before), lane(&after));
        let staying: Vec<_> = before.iter().filter(|(_, y)| *y + step <= CACHE_TOP - LANE_INSET).collect();
        assert!(staying.len() > 5, "requests on their way to the cache: {before:?}");
        for (x, y) in staying {
            assert!(after.iter().any(|(x2, y2)| (x2 - x).abs() < 0.01 && (y2 - y - step).abs() < 0.15), "({x}, {y}) does not move on by {step}: {after:?}");
        }
    }

    #[test]
    fn the_herd_goes_to_the_database_without_a_fix_and_waits_in_the_cache_with_one() {
        // The warm keys all expire at 10 s (tick 1000); at 25 s the reader expires the hot keys.
        for tick in [1_010, 1_020, 2_505, 2_510] {
            let expire = [(2_500, Action::ExpireHotKeys)];
            let none = draw(&at(&[], &expire, tick)).svg;
            assert_eq!(at_cache(&none), 0, "nothing waits in the cache without a fix");
            for fix in [Fix::Lock, Fix::Coalesce] {
                let fixed = draw(&at(&[], &[(0, Action::Set(fix, true)), expire[0]], tick)).svg;
                assert!(at_database(&none) > 2 * at_database(&fixed), "{fix:?} at {tick}: {} glyphs at the database without it, {} with it", at_database(&none), at_database(&fixed));
                let (herd, held) = (at_database(&none) as u64 * per(&none), at_database(&fixed) as u64 * per(&fixed));
                assert!(herd > 5 * held, "{fix:?} at {tick}: {herd} requests at the database without it, {held} with it");
                assert!(at_cache(&fixed) > 0, "{fix:?} at {tick}: the herd waits in the cache");
            }
        }
    }

    #[test]
    fn every_outcome_is_drawn_when_it_happens() {
        let seen = |list: &[(&str, &str)], actions: &[(u64, Action)], ticks: std::ops::Range<u64>, class: &str| {
            ticks.step_by(5).any(|tick| glyphs(&draw(&at(list, actions, tick)).svg).iter().filter(|(_, _, drawn)| *drawn == class).count() > 1)
        };
        let (ok, stale, timeout, refused) = ("pv-req pv-req--ok", "pv-req pv-req--stale", "pv-req pv-req--timeout", "pv-req pv-req--rejected");
        assert!(seen(&[], &[], 300..320, ok), "hits return to the clients");
        assert!(seen(&[], &[], 1_100..1_200, timeout), "the herd times out");
        assert!(seen(&[("rate", "20000")], &[], 1_000..1_050, refused), "a full queue refuses");
        let stale_while_revalidate = [(0, Action::Set(Fix::StaleWhileRevalidate, true))];
        assert!(seen(&[], &stale_while_revalidate, 1_000..1_040, stale), "stale answers while the keys refresh");
        assert!(!seen(&[], &stale_while_revalidate, 1_000..1_040, timeout), "and nobody waits for the database");
        let label = aria_label(&draw(&at(&[], &stale_while_revalidate, 1_015)).svg).to_string();
        assert!(label.contains("given a stale value"), "{label}");
        let label = aria_label(&draw(&at(&[], &[(0, Action::Set(Fix::Lock, true))], 1_015)).svg).to_string();
        assert!(label.contains("requests wait at the cache") && label.contains("expired"), "{label}");
    }

    #[test]
    fn every_parameter_extreme_draws_cleanly() {
        let actions = [(0, Action::Set(Fix::StaleWhileRevalidate, true)), (120, Action::ExpireHotKeys), (200, Action::Set(Fix::StaleWhileRevalidate, false)), (200, Action::ExpireHotKeys)];
        for values in extreme_presets(STAMPEDE_PARAMS) {
            let list: Vec<(&str, &str)> = values.iter().map(|(key, value)| (*key, value.as_str())).collect();
            check_run(&list, &[], 300, 10);
            check_run(&list, &actions, 300, 10);
        }
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = pairs(&[("rate", "fast"), ("keys", "0"), ("ttl", "-1"), ("skew", "NaN"), ("variant", "x"), ("start", ""), ("missing", "inf"), ("seed", "¿")]);
        let (mut odd, mut plain): (Stampede, Stampede) = (start(STAMPEDE_PARAMS, &garbage), start(STAMPEDE_PARAMS, &[]));
        for _ in 0..3 {
            let drawn = draw(&odd);
            assert!(drawn.problems.is_empty(), "{:?}", drawn.problems);
            assert_eq!(drawn.svg, draw(&plain).svg);
            for _ in 0..400 {
                odd.step();
                plain.step();
            }
        }
    }
}

//! The stage: the chain drawn as it stands at the model's current tick. Users at the top send
//! requests down to A, which calls B, which calls C. Each service is a box tinted by how many of
//! its threads are busy, with its threads and its waiting room as gauges; its outline turns
//! dashed when new requests must wait and is crossed out when it can help nobody (see
//! [`health`]). A hop with a breaker shows it as a switch on the wire, drawn in the shape of its
//! state: closed joins the two contacts, half-open lifts the lever a little and draws it broken,
//! open swings it wide; its state and what it counts are written beside it.
//!
//! Requests travel down the left lane of each link, answers come back up the right one, each in
//! its outcome's shape: answered, failed, or timed out (drawn on the link where the caller gave
//! up). A call an open breaker refuses travels down to the switch and bounces straight back as a
//! failure, so nothing new passes below an open breaker, and while it is half-open only its
//! probes do.
//!
//! Everything is read from the model's state at this tick: its pools, its breakers, and its
//! counts of what crossed each link in the last `TRAFFIC_TICKS` ticks. The model answers most
//! requests within a tick, so their travel is drawn, not modelled: a request takes
//! `TRAVEL_TICKS` to cross a link, a tick's requests spread evenly through it. A dot is the
//! `per`-th request of its kind counted on its link since the start of the run, so it keeps its
//! place from one tick to the next, and scrubbing, stepping back and a shared link draw the same
//! picture. When traffic is heavy a dot stands for `per` requests (1, 2, 5, 10, 20, …), set by
//! the run's rate so that it keeps its worth through a run, and larger in a burst that would put
//! more than `MAX_DOTS` on the picture; the stage says what a dot is worth.

use crate::sim::number::compact_count;
use crate::sim::number::group_thousands;
use crate::viz::poster::{first_that_fits, round_units, Anchor, Health, Outcome, Sketch, MIN_FONT};

use super::{format_ms, BreakerChain, BreakerState, CircuitBreaker, Crossing, Hop, Service, TICKS_PER_SAMPLE, TICKS_PER_SECOND, TICK_MS, TRAFFIC_TICKS, USER_TIMEOUT_MS};

/// The canvas height: the stage and the play controls fit a 360 px phone's first screen.
const HEIGHT: f32 = 330.0;
const LEFT: f32 = 8.0;
const RIGHT: f32 = 312.0;
const TITLE: f32 = 13.0;

/// The users' box, then A, B and C downwards, each `BOX_HEIGHT` tall with a link `GAP` long
/// between two; the legend's baseline at the bottom.
const USERS_TOP: f32 = 4.0;
const USERS_BOTTOM: f32 = 26.0;
const FIRST_BOX: f32 = 78.0;
const BOX_HEIGHT: f32 = 40.0;
const GAP: f32 = 54.0;
const LEGEND_Y: f32 = 323.0;

/// A link's lanes: requests go down at `DOWN_X`, where a breaker's switch sits; calls an open
/// breaker refuses bounce back up at `BOUNCE_X`; answers come up at `UP_X`. The link's words
/// start at `WORDS_X`.
const DOWN_X: f32 = 36.0;
const BOUNCE_X: f32 = 54.0;
const UP_X: f32 = 72.0;
const WORDS_X: f32 = 90.0;
/// A lane's dots take turns in three columns along it, so a stream does not pile up.
const COLUMNS: [f32; 3] = [-6.0, 0.0, 6.0];
/// How far from each end of a link a dot starts and stops.
const INSET: f32 = 6.0;
/// How far down its link a switch sits (a share of the link), so a refused call has room to be
/// seen going down to it; half the distance between its two contacts; and how far above the
/// upper one a refused call turns back.
const SWITCH_AT: f32 = 0.6;
const PIN: f32 = 8.0;
const TURN: f32 = 4.0;
/// Ticks a request takes to cross a link: the model remembers that many ticks of traffic.
const TRAVEL_TICKS: u32 = TRAFFIC_TICKS as u32;
/// What a dot is worth is set by the run's rate, so it stays put through a run: the smallest that
/// puts on average at most `EXPECTED_DOTS` dots on the picture and `EXPECTED_LANE_DOTS` on the
/// users' lanes, the busiest (see [`dot_size`]). Each arrival crosses up to six lanes at once,
/// so the count swings with the arrivals: an average of about half the cap below leaves room
/// for the swings, and the worth does not flicker (in the default run it never changes).
const EXPECTED_DOTS: f64 = 36.0;
const EXPECTED_LANE_DOTS: f64 = 10.0;
/// And never more than `MAX_DOTS` dots (the legend's aside), nor `MAX_LANE_DOTS` on one lane: a
/// burst larger than that takes a larger dot.
const MAX_DOTS: u64 = 70;
const MAX_LANE_DOTS: u64 = 24;

/// The chain at the model's current tick, on a 320 × 330 canvas (see the module documentation).
/// Its label says in words what the picture shows.
pub fn stage(chain: &BreakerChain) -> Sketch {
    let flows = flows(chain);
    let per = dot_size(chain, &flows);
    let mut sketch = Sketch::new(HEIGHT, &summary(chain, per));
    let rate = group_thousands(f64::from(chain.config().requests_per_second));
    let users = first_that_fits(&[format!("Users send {rate} requests a second"), format!("Users: {rate} requests/s")], TITLE, RIGHT - LEFT - 8.0);
    sketch.labelled_box(LEFT, USERS_TOP, RIGHT - LEFT, USERS_BOTTOM - USERS_TOP, None, TITLE, &users);
    for service in Service::ALL {
        draw_link(&mut sketch, chain, service, per);
        draw_service(&mut sketch, chain, service);
    }
    for flow in &flows {
        flow.draw(&mut sketch, per);
    }
    sketch.legend_with(LEFT, LEGEND_Y, &[(Outcome::InFlight, "request"), (Outcome::Ok, "answer"), (Outcome::Rejected, "failure"), (Outcome::TimedOut, "timed out")]);
    sketch
}

fn box_top(service: Service) -> f32 {
    FIRST_BOX + service.index() as f32 * (BOX_HEIGHT + GAP)
}

/// The link into `service`, top and bottom: from its caller's box (the users' for A) to its own.
fn link_span(service: Service) -> (f32, f32) {
    let bottom = box_top(service);
    (if service == Service::A { USERS_BOTTOM } else { bottom - GAP }, bottom)
}

/// The middle of a switch on the link from `top` to `bottom`.
fn switch_y(top: f32, bottom: f32) -> f32 {
    top + (bottom - top) * SWITCH_AT
}

/// How a service is drawn (see `Sketch::component`). Down when it can help nobody: every thread
/// busy and its waiting room full, so it turns new requests away at once; or, for C, every answer
/// an error, or slower than B waits for it, so every call to it fails. Degraded when new
/// requests must wait for a thread, or some of C's answers are errors. Both are read from the
/// model as it is now (its pools, C's latency and failure rate, B's timeout).
fn health(chain: &BreakerChain, service: Service) -> Health {
    let pool = chain.pool(service);
    let refuses = pool.is_saturated() && pool.queued >= pool.queue_limit;
    let is_c = service == Service::C;
    let hopeless = is_c && (chain.failure_percent() >= 100 || chain.latency_ms() >= chain.config().timeout_ms(Hop::BC));
    if refuses || hopeless {
        Health::Down
    } else if pool.is_saturated() || (is_c && chain.failure_percent() > 0) {
        Health::Degraded
    } else {
        Health::Up
    }
}

/// One service: its box, with its name (FULL while every thread is busy) and what it does, and
/// its threads and waiting room as counts over gauges.
fn draw_service(sketch: &mut Sketch, chain: &BreakerChain, service: Service) {
    let top = box_top(service);
    let pool = chain.pool(service);
    let name = format!("{}{}", service.name(), if pool.is_saturated() { " FULL" } else { "" });
    let (latency, failure) = (chain.latency_ms(), chain.failure_percent());
    let notes = match service {
        Service::A => vec![format!("{}% need B", need_b(chain))],
        Service::B => vec!["calls C".to_string()],
        Service::C => vec![format!("{latency} ms, {failure}% fail"), format!("{}, {failure}% fail", format_ms(f64::from(latency))), format!("{failure}% fail")],
    };
    let titles: Vec<String> = notes.iter().map(|note| format!("{name}: {note}")).chain(std::iter::once(name.clone())).collect();
    let title = first_that_fits(&titles, TITLE, RIGHT - LEFT - 8.0);
    sketch.component(LEFT, top, RIGHT - LEFT, BOX_HEIGHT, health(chain, service), share(pool.busy, pool.threads), TITLE, &title);
    let waiting = if pool.queue_limit == 0 { "no waiting room".to_string() } else { format!("waiting {}/{}", pool.queued, pool.queue_limit) };
    let half = (RIGHT - LEFT) / 2.0;
    let gauges = [(format!("threads {}/{}", pool.busy, pool.threads), share(pool.busy, pool.threads), Some(2)), (waiting, share(pool.queued, pool.queue_limit), Some(5))];
    for (index, (words, filled, tone)) in gauges.into_iter().enumerate() {
        let x = LEFT + 8.0 + index as f32 * half;
        sketch.text(x, top + 30.0, MIN_FONT, Anchor::Start, false, &words);
        sketch.meter(x, top + 33.0, half - 16.0, 4.0, filled, tone);
    }
}

/// The link into `service`: its lanes, its breaker's switch if the hop has one, and its words
/// (the breaker's state, how long the caller waits; on the users' link, what a dot is worth).
fn draw_link(sketch: &mut Sketch, chain: &BreakerChain, service: Service, per: u64) {
    let (top, bottom) = link_span(service);
    let middle = (top + bottom) / 2.0;
    sketch.arrow(UP_X, bottom, UP_X, top);
    let room = RIGHT - WORDS_X;
    let fit = |options: &[String]| first_that_fits(options, MIN_FONT, room);
    let mut lines: Vec<(bool, String)> = Vec::with_capacity(3);
    match service.upstream() {
        None => {
            lines.push((false, format!("users give up after {}", format_ms(f64::from(USER_TIMEOUT_MS)))));
            lines.push((false, format!("1 dot = {}", requests(per))));
            sketch.arrow(DOWN_X, top, DOWN_X, bottom);
        }
        Some(hop) => {
            match chain.breaker(hop) {
                None => {
                    sketch.arrow(DOWN_X, top, DOWN_X, bottom);
                    lines.push((false, "no breaker".to_string()));
                    lines.push((false, "every call goes through".to_string()));
                }
                Some(breaker) => {
                    draw_switch(sketch, breaker.state(), top, bottom);
                    let state = breaker.state().label().to_uppercase();
                    let detail = breaker_detail(chain, breaker);
                    lines.push((true, fit(&[format!("{state}: {detail}"), format!("{state}: {}", short_detail(chain, breaker)), state])));
                    lines.push((false, fit(&breaker_note(hop, breaker))));
                }
            }
            let waits = format_ms(f64::from(chain.config().timeout_ms(hop)));
            lines.push((false, format!("{} waits {waits} for {}", hop.caller().name(), hop.callee().name())));
        }
    }
    let first = middle - (lines.len() as f32 - 1.0) * 7.0 + 4.0;
    for (index, (strong, words)) in lines.iter().enumerate() {
        sketch.text(WORDS_X, first + index as f32 * 14.0, MIN_FONT, Anchor::Start, *strong, words);
    }
}

/// A breaker as a switch on the requests' lane, as the app draws it: closed, the lever joins the
/// two contacts; half-open, it is lifted a little and drawn broken (probes only); open, it swings
/// wide, towards the lane where refused calls bounce back. The shape, not only the colour, tells
/// the three apart.
fn draw_switch(sketch: &mut Sketch, state: BreakerState, top: f32, bottom: f32) {
    let (upper, lower) = (switch_y(top, bottom) - PIN, switch_y(top, bottom) + PIN);
    sketch.line(DOWN_X, top, DOWN_X, upper, false);
    sketch.arrow(DOWN_X, lower, DOWN_X, bottom);
    sketch.circle(DOWN_X, upper, 2.5, None);
    sketch.circle(DOWN_X, lower, 2.5, None);
    let (degrees, tone): (f32, _) = match state {
        BreakerState::Closed => (0.0, Some(3)),
        BreakerState::HalfOpen => (20.0, Some(1)),
        BreakerState::Open => (55.0, Some(4)),
    };
    let length = 2.0 * PIN;
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (dx, dy) = (length * sin, length * cos);
    let lever = if state == BreakerState::HalfOpen {
        let (a, b) = (0.4, 0.2);
        format!("M{DOWN_X:.1} {upper:.1}l{:.1} {:.1}m{:.1} {:.1}l{:.1} {:.1}", dx * a, dy * a, dx * b, dy * b, dx * a, dy * a)
    } else {
        format!("M{DOWN_X:.1} {upper:.1}l{dx:.1} {dy:.1}")
    };
    sketch.path(&lever, tone);
}

/// What the breaker counts in its state: the same words on the canvas and in the spoken label.
fn breaker_detail(chain: &BreakerChain, breaker: &CircuitBreaker) -> String {
    match breaker.state() {
        BreakerState::Closed => {
            let (calls, failures) = breaker.window_totals();
            format!("{failures} of {calls} calls failed")
        }
        BreakerState::Open => format!("probes in {}", seconds_left(chain, breaker)),
        BreakerState::HalfOpen => {
            let (_, succeeded) = breaker.probes();
            format!("{succeeded} of {} probes ok", breaker.settings().probes)
        }
    }
}

/// [`breaker_detail`] for a narrow line.
fn short_detail(chain: &BreakerChain, breaker: &CircuitBreaker) -> String {
    match breaker.state() {
        BreakerState::Closed => {
            let (calls, failures) = breaker.window_totals();
            format!("{}/{} failed", compact_count(u64::from(failures)), compact_count(u64::from(calls)))
        }
        BreakerState::Open => seconds_left(chain, breaker),
        BreakerState::HalfOpen => {
            let (_, succeeded) = breaker.probes();
            format!("{succeeded}/{} ok", breaker.settings().probes)
        }
    }
}

/// What the state means for the calls, longest wording first: the rule that trips a closed
/// breaker, what an open one does, how many probes a half-open one has out.
fn breaker_note(hop: Hop, breaker: &CircuitBreaker) -> Vec<String> {
    let settings = breaker.settings();
    let callee = hop.callee().name();
    match breaker.state() {
        BreakerState::Closed => {
            let (percent, calls, window) = (settings.failure_threshold_percent, settings.minimum_calls, settings.window_ticks / TICKS_PER_SECOND);
            vec![format!("trips at {percent}% of {calls}+ calls in {window} s"), format!("trips at {percent}% of {calls}+ in {window} s"), format!("trips at {percent}%")]
        }
        BreakerState::Open => vec![format!("calls to {callee} fail at once"), "calls fail at once".to_string()],
        BreakerState::HalfOpen => {
            let (out, _) = breaker.probes();
            let probes = if out == 1 { "probe" } else { "probes" };
            match out {
                0 => vec!["the next calls go through as probes".to_string(), "next calls are probes".to_string()],
                _ => vec![format!("{out} {probes} out, other calls fail at once"), format!("{out} {probes} out, the rest fail"), format!("{out} out")],
            }
        }
    }
}

/// The time until an open breaker lets probes through, in tenths of a second rounded up, so it
/// never reads 0.0 s while the breaker is still open.
fn seconds_left(chain: &BreakerChain, breaker: &CircuitBreaker) -> String {
    let reopen_ms = u64::from(breaker.since().saturating_add(breaker.settings().open_ticks)) * u64::from(TICK_MS);
    let tenths = reopen_ms.saturating_sub(chain.time_ms()).div_ceil(100);
    format!("{}.{} s", tenths / 10, tenths % 10)
}

/// One kind of crossing on one link, as the stage replays it: its counts in the ticks a request
/// of its stays on the picture (newest first), and its total since the start, which numbers its
/// requests.
struct Flow {
    crossing: Crossing,
    /// The link's down lane in `dot_size`'s count; its up lane and its bounce lane follow.
    lane: usize,
    /// For how many ticks a request stays on the picture after it crossed.
    lifetime: f32,
    counts: Vec<u32>,
    total: u64,
    /// Where a dot starts and stops on the link, how far it moves a tick, and where a refused
    /// call turns back at the switch.
    first: f32,
    last: f32,
    step: f32,
    turn: f32,
}

/// Every kind of crossing on every link. A refused call goes down to the switch and back, the
/// rest cross the whole link; there is no breaker between the users and A.
fn flows(chain: &BreakerChain) -> Vec<Flow> {
    let traffic = chain.traffic();
    let now = chain.tick;
    let mut flows = Vec::with_capacity(14);
    for service in Service::ALL {
        let (top, bottom) = link_span(service);
        let (first, last) = (top + INSET, bottom - INSET);
        let step = (last - first) / TRAVEL_TICKS as f32;
        let turn = switch_y(top, bottom) - PIN - TURN;
        for crossing in Crossing::ALL {
            if service == Service::A && crossing == Crossing::Refused {
                continue;
            }
            let lifetime = if crossing == Crossing::Refused { 2.0 * (turn - first) / step } else { TRAVEL_TICKS as f32 };
            let ticks = (lifetime.ceil() as u32).min(TRAVEL_TICKS);
            let counts = (0..ticks).map(|ago| traffic.at(now, ago, service, crossing)).collect();
            flows.push(Flow { crossing, lane: 3 * service.index(), lifetime, counts, total: traffic.total(service, crossing), first, last, step, turn });
        }
    }
    flows
}

/// How many requests one dot stands for: the first of 1, 2, 5, 10, 20, … that keeps the run's
/// average traffic to `EXPECTED_DOTS` dots (every request crosses the users' link down and up,
/// and one that needs B two more links each way, within `TRAVEL_TICKS`), and the picture now to
/// `MAX_DOTS` and `MAX_LANE_DOTS`. Set by the average, a dot keeps its worth from tick to tick
/// while the traffic varies as it does; only a burst beyond the caps changes it. At five
/// billion each flow has at most one dot, so the search ends.
fn dot_size(chain: &BreakerChain, flows: &[Flow]) -> u64 {
    let config = chain.config();
    let arrivals = f64::from(config.requests_per_second) * f64::from(TRAVEL_TICKS) / f64::from(TICKS_PER_SECOND);
    let expected = arrivals * (2.0 + 4.0 * (1.0 - config.local_share));
    round_units()
        .find(|&per| {
            let mut lanes = [0u64; 9];
            for flow in flows {
                let dots = flow.dots(per);
                // A refused call is drawn on the way down, then on the way back: count it on both.
                match flow.crossing {
                    Crossing::Sent => lanes[flow.lane] += dots,
                    Crossing::Refused => {
                        lanes[flow.lane] += dots;
                        lanes[flow.lane + 2] += dots;
                    }
                    _ => lanes[flow.lane + 1] += dots,
                }
            }
            expected / per as f64 <= EXPECTED_DOTS && arrivals / per as f64 <= EXPECTED_LANE_DOTS && lanes.iter().sum::<u64>() <= MAX_DOTS && lanes.iter().all(|dots| *dots <= MAX_LANE_DOTS)
        })
        .unwrap_or(u64::MAX)
}

impl Flow {
    /// Requests counted before the oldest tick on the picture.
    fn before(&self) -> u64 {
        self.total.saturating_sub(self.counts.iter().map(|count| u64::from(*count)).sum())
    }

    /// How many dots this flow has on the picture at `per` requests a dot (at most: a request in
    /// the oldest tick may just have left).
    fn dots(&self, per: u64) -> u64 {
        self.total / per - self.before() / per
    }

    /// Draws a dot for every `per`-th request of this flow still on its link.
    fn draw(&self, sketch: &mut Sketch, per: u64) {
        let mut end = self.total;
        for (ago, count) in self.counts.iter().enumerate() {
            let start = end.saturating_sub(u64::from(*count));
            for nth in start / per + 1..=end / per {
                // Request `nth × per` crossed this far through its tick: a tick's requests spread
                // evenly through it, so a busy tick does not draw one clump.
                let within = ((nth * per - start) as f32 - 0.5) / *count as f32;
                let age = ago as f32 + 1.0 - within;
                if age < self.lifetime {
                    let (x, y, outcome) = self.place(age, nth);
                    sketch.request(x, y, outcome);
                }
            }
            end = start;
        }
    }

    /// Where the `nth` dot of this flow is `age` ticks after it crossed, and its shape then.
    fn place(&self, age: f32, nth: u64) -> (f32, f32, Outcome) {
        let column = |salt: u64| COLUMNS[((nth + salt) % COLUMNS.len() as u64) as usize];
        let down = self.first + self.step * age;
        let up = self.last - self.step * age;
        match self.crossing {
            Crossing::Sent => (DOWN_X + column(0), down, Outcome::InFlight),
            Crossing::Refused if down < self.turn => (DOWN_X + column(1), down, Outcome::InFlight),
            Crossing::Refused => (BOUNCE_X, 2.0 * self.turn - down, Outcome::Rejected),
            Crossing::Answered => (UP_X + column(0), up, Outcome::Ok),
            Crossing::Failed => (UP_X + column(1), up, Outcome::Rejected),
            Crossing::TimedOut => (UP_X + column(2), up, Outcome::TimedOut),
        }
    }
}

/// What the picture shows, for a screen reader: the time and the chain's setup, each pool, each
/// breaker, how the users fared in the last second, and what crossed each link while the dots
/// on it were sent.
fn summary(chain: &BreakerChain, per: u64) -> String {
    let config = chain.config();
    let setup = format!(
        "At {:.2} s users send {} requests a second to A; {}% of them need B, which calls C, answering in {} with {}% errors.",
        chain.time_ms() as f64 / 1000.0,
        group_thousands(f64::from(config.requests_per_second)),
        need_b(chain),
        format_ms(f64::from(chain.latency_ms())),
        chain.failure_percent()
    );
    let pools: Vec<String> = Service::ALL
        .iter()
        .map(|&service| {
            let pool = chain.pool(service);
            let state = match health(chain, service) {
                Health::Down if pool.is_saturated() && pool.queued >= pool.queue_limit => ", so it turns new requests away",
                Health::Down => ", and every call to it fails",
                Health::Degraded if pool.is_saturated() => ", so new requests wait",
                _ => "",
            };
            format!("{} has {} of {} threads busy and {} of {} waiting{state}", service.name(), pool.busy, pool.threads, pool.queued, pool.queue_limit)
        })
        .collect();
    let breakers: Vec<String> = Hop::BOTH
        .iter()
        .map(|&hop| match chain.breaker(hop) {
            None => format!("no breaker on {}", hop.label()),
            Some(breaker) => format!("the breaker on {} is {}, {}", hop.label(), breaker.state().label(), breaker_detail(chain, breaker)),
        })
        .collect();
    format!("{setup} {}. Breakers: {}.{}{} Each dot stands for {}.", pools.join("; "), breakers.join("; "), last_second(chain), moving(chain), requests(per))
}

/// How the users fared in the last second of closed 100 ms windows; nothing before the first.
fn last_second(chain: &BreakerChain) -> String {
    let (mut answered, mut failed, mut fast, mut away) = (0u64, 0u64, 0u64, 0u64);
    for sample in chain.series().recent((TICKS_PER_SECOND / TICKS_PER_SAMPLE) as usize) {
        answered += u64::from(sample.succeeded);
        failed += u64::from(sample.failed);
        fast += u64::from(sample.rejected_fast);
        away += u64::from(sample.turned_away);
    }
    let all = answered + failed + fast + away;
    if all == 0 {
        return String::new();
    }
    let percent = ((failed + fast + away) as f64 * 100.0 / all as f64).round();
    format!(" In the last second {percent}% of the users' requests failed: {answered} answered, {failed} failed, {fast} failed fast at a breaker, {away} turned away by A.")
}

/// What crossed each link while the dots on it were sent: the moving part of the picture.
/// Nothing while nothing has (before the first request).
fn moving(chain: &BreakerChain) -> String {
    let traffic = chain.traffic();
    let recent = |service: Service, crossing: Crossing| -> u64 { (0..TRAVEL_TICKS).map(|ago| u64::from(traffic.at(chain.tick, ago, service, crossing))).sum() };
    if Service::ALL.iter().all(|&service| Crossing::ALL.iter().all(|&crossing| recent(service, crossing) == 0)) {
        return String::new();
    }
    let links: Vec<String> = Service::ALL
        .iter()
        .map(|&service| {
            let back: Vec<String> = [(Crossing::Answered, "answered"), (Crossing::Failed, "failed"), (Crossing::TimedOut, "timed out")]
                .iter()
                .filter_map(|&(crossing, word)| Some(recent(service, crossing)).filter(|count| *count > 0).map(|count| format!("{count} {word}")))
                .collect();
            let back = if back.is_empty() { String::new() } else { format!(" ({})", back.join(", ")) };
            let refused = Some(recent(service, Crossing::Refused)).filter(|count| *count > 0).map_or(String::new(), |count| format!(", {count} refused by the breaker"));
            format!("{} sent to {}{back}{refused}", recent(service, Crossing::Sent), service.name())
        })
        .collect();
    format!(" In the last {} s: {}.", f64::from(TRAVEL_TICKS * TICK_MS) / 1000.0, links.join("; "))
}

/// The share of users' requests A passes on to B, in whole percent.
fn need_b(chain: &BreakerChain) -> u32 {
    ((1.0 - chain.config().local_share) * 100.0).round() as u32
}

/// `part` of `whole` as a share from 0 to 1 (0 of nothing).
fn share(part: u32, whole: u32) -> f32 {
    if whole == 0 {
        0.0
    } else {
        part.min(whole) as f32 / whole as f32
    }
}

fn requests(count: u64) -> String {
    format!("{} {}", group_thousands(count as f64), if count == 1 { "request" } else { "requests" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Simulation, Timeline};
    use crate::viz::breaker::{state_level, Action, BREAKER_PARAMS};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, extreme_presets, pairs, start, Poster};

    /// The app's run: three simulated minutes.
    const RUN_TICKS: u64 = 18_000;

    fn params(list: &[(&str, &str)]) -> Params {
        Params::from_pairs(BREAKER_PARAMS, &pairs(list)).0
    }

    fn chain(list: &[(&str, &str)]) -> BreakerChain {
        BreakerChain::new(&params(list), DEFAULT_SEED)
    }

    fn draw(chain: &BreakerChain) -> Poster {
        stage(chain).finish()
    }

    /// Both breakers on, then C fails every call for 12 s and heals: each breaker trips open,
    /// probes while C still fails, and closes again once it is healthy.
    fn failing_c() -> Vec<(u64, Action)> {
        vec![(0, Action::SetBreaker(Hop::AB, true)), (0, Action::SetBreaker(Hop::BC, true)), (300, Action::SetFailureRate(100)), (1_500, Action::SetFailureRate(0))]
    }

    /// The request glyphs on the link into `service` (not the legend's), as (outcome, x, y).
    fn on_link(svg: &str, service: Service) -> Vec<(Outcome, f32, f32)> {
        let (top, bottom) = link_span(service);
        drawn_requests(svg).into_iter().filter(|(_, x, y)| *x < WORDS_X && *y > top && *y < bottom).collect()
    }

    /// How many requests the stage says a dot stands for.
    fn per(svg: &str) -> u64 {
        let note = svg.split(">1 dot = ").nth(1).and_then(|rest| rest.split(' ').next()).unwrap_or("");
        note.replace(',', "").parse().unwrap_or_else(|_| panic!("no sample note in {svg}"))
    }

    /// The breakers' levers as the SVG draws them, A → B's first: how far each reaches across
    /// and down from its upper contact, and in how many pieces.
    fn levers(svg: &str) -> Vec<(f32, f32, usize)> {
        svg.split(r#"<path class="pv-path"#)
            .skip(1)
            .filter_map(|rest| rest.split("d=\"").nth(1)?.split('"').next())
            .map(|d| {
                let moves: Vec<f32> = d.split(['l', 'm']).skip(1).flat_map(|pair| pair.split(' ').map(|number| number.parse::<f32>().unwrap_or(f32::NAN))).collect();
                let across = moves.iter().step_by(2).sum();
                let down = moves.iter().skip(1).step_by(2).sum();
                (across, down, d.matches('l').count())
            })
            .collect()
    }

    /// Steps a chain to `ticks`, applying `actions` at their ticks, and checks the stage every
    /// `every` ticks; returns what a dot stood for in each picture and the most glyphs in one.
    fn check_run(list: &[(&str, &str)], actions: &[(u64, Action)], ticks: u64, every: u64) -> (Vec<u64>, usize) {
        let mut chain = chain(list);
        let (mut sizes, mut most) = (Vec::new(), 0);
        for tick in 0..=ticks {
            for (_, action) in actions.iter().filter(|(when, _)| *when == tick) {
                chain.apply(action);
            }
            if tick % every == 0 {
                let poster = draw(&chain);
                let context = format!("{list:?} {actions:?} at tick {tick}");
                assert!(poster.problems.is_empty(), "{context}: {:?}", poster.problems);
                assert!(poster.svg.len() < 16_000, "{context}: {} bytes", poster.svg.len());
                let glyphs = drawn_requests(&poster.svg).len();
                // The legend's four and at most `MAX_DOTS` requests.
                assert!(glyphs <= 80, "{context}: {glyphs} request glyphs");
                let size = per(&poster.svg);
                assert!(aria_label(&poster.svg).starts_with("At ") && aria_label(&poster.svg).ends_with(&format!("Each dot stands for {}.", requests(size))), "{context}");
                sizes.push(size);
                most = most.max(glyphs);
            }
            chain.step();
        }
        (sizes, most)
    }

    #[test]
    fn every_25th_tick_of_the_default_run_draws_cleanly() {
        let (sizes, most) = check_run(&[], &[], RUN_TICKS, 25);
        assert!(most >= 40, "the default traffic fills the links: at most {most} glyphs");
        // 100 requests a second: a dot stands for five, all run long, whatever the traffic does.
        assert!(sizes.iter().all(|size| *size == 5), "{sizes:?}");
        // The same run with breakers, C failing and healing, then C slow with a breaker off.
        let mut actions = failing_c();
        actions.extend([(2_500, Action::SetLatency(3_000)), (4_000, Action::SetBreaker(Hop::AB, false)), (5_000, Action::SetLatency(20))]);
        check_run(&[], &actions, RUN_TICKS / 3, 25);
    }

    #[test]
    fn the_services_and_breakers_say_what_the_model_holds() {
        let actions = failing_c();
        let mut chain = chain(&[]);
        let mut shapes: Vec<(BreakerState, (f32, f32, usize))> = Vec::new();
        for tick in 0..3_000u64 {
            for (_, action) in actions.iter().filter(|(when, _)| *when == tick) {
                chain.apply(action);
            }
            let svg = draw(&chain).svg;
            let label = aria_label(&svg);
            let context = format!("tick {tick}");
            for service in Service::ALL {
                let pool = chain.pool(service);
                for words in [format!(">threads {}/{}<", pool.busy, pool.threads), format!(">waiting {}/{}<", pool.queued, pool.queue_limit)] {
                    assert!(svg.contains(&words), "{context}: {words} missing");
                }
                assert_eq!(svg.contains(&format!(">{} FULL", service.name())), pool.is_saturated(), "{context}: {service:?}");
                assert!(label.contains(&format!("{} has {} of {} threads busy and {} of {} waiting", service.name(), pool.busy, pool.threads, pool.queued, pool.queue_limit)), "{context}: {label}");
            }
            for hop in Hop::BOTH {
                let Some(breaker) = chain.breaker(hop) else { panic!("{context}: {hop:?} has no breaker") };
                let words = match breaker.state() {
                    BreakerState::Closed => {
                        let (calls, failures) = breaker.window_totals();
                        format!(">CLOSED: {failures} of {calls} calls failed<")
                    }
                    BreakerState::Open => {
                        let left_ms = u64::from(breaker.since() + breaker.settings().open_ticks) * 10 - chain.time_ms();
                        format!(">OPEN: probes in {:.1} s<", (left_ms as f64 / 100.0).ceil() / 10.0)
                    }
                    BreakerState::HalfOpen => format!(">HALF-OPEN: {} of 3 probes ok<", breaker.probes().1),
                };
                assert!(svg.contains(&words), "{context}: {hop:?} {words} missing");
                assert!(label.contains(&format!("the breaker on {} is {}", hop.label(), breaker.state().label())), "{context}: {label}");
                let lever = levers(&svg)[hop.index()];
                if !shapes.iter().any(|(state, _)| *state == breaker.state()) {
                    shapes.push((breaker.state(), lever));
                }
            }
            chain.step();
        }
        // Each state has its own shape: closed joins the contacts, half-open is lifted a little
        // and broken, open swings wide.
        shapes.sort_by_key(|(state, _)| state_level(*state) as u8);
        let [(BreakerState::Closed, closed), (BreakerState::HalfOpen, half_open), (BreakerState::Open, open)] = shapes[..] else { panic!("not every state was seen: {shapes:?}") };
        assert_eq!(closed, (0.0, 2.0 * PIN, 1), "closed");
        assert!(half_open.2 == 2 && half_open.0 > 1.0 && half_open.0 < 8.0, "half-open: {half_open:?}");
        assert!(open.2 == 1 && open.0 > 10.0, "open: {open:?}");

        // C stalls and no breaker helps: it is slower than B waits, B's threads are all taken and
        // A fills up and turns users away. The two that help nobody are crossed out; B, whose
        // calls only wait, is dashed.
        let stalled = Timeline::<BreakerChain>::replay(params(&[]), DEFAULT_SEED, RUN_TICKS, vec![(0, Action::SetLatency(10_000))], 400).state().clone();
        let svg = draw(&stalled).svg;
        let full = |service: Service| stalled.pool(service).is_saturated() && stalled.pool(service).queued == stalled.pool(service).queue_limit;
        // B's threads all wait on C; A's threads all wait on B, so B has no queue, and A's fills.
        assert!(full(Service::A) && stalled.pool(Service::B).is_saturated() && !full(Service::B), "{:?} {:?}", stalled.pool(Service::A), stalled.pool(Service::B));
        let down = Service::ALL.iter().filter(|&&service| full(service) || service == Service::C).count();
        let waiting = Service::ALL.iter().filter(|&&service| !full(service) && service != Service::C && stalled.pool(service).is_saturated()).count();
        assert_eq!(svg.matches("pv-part--down").count(), down, "{svg}");
        assert_eq!(svg.matches("pv-cross").count(), down);
        assert_eq!(svg.matches("pv-part--degraded").count(), waiting);
        assert!(aria_label(&svg).contains("so it turns new requests away") && aria_label(&svg).contains("every call to it fails"), "{}", aria_label(&svg));
    }

    #[test]
    fn the_picture_moves_with_the_traffic_and_depends_only_on_the_state() {
        let mut timeline: Timeline<BreakerChain> = Timeline::new(params(&[]), DEFAULT_SEED, RUN_TICKS);
        check_stage_is_pure(&mut timeline, 500, |chain| draw(chain).svg);
        // From one tick to the next a request keeps its column and moves on a thirtieth of its link.
        let (top, bottom) = link_span(Service::A);
        let step = (bottom - top - 2.0 * INSET) / TRAVEL_TICKS as f32;
        let sent = |svg: &str| -> Vec<(f32, f32)> { on_link(svg, Service::A).into_iter().filter(|(outcome, _, _)| *outcome == Outcome::InFlight).map(|(_, x, y)| (x, y)).collect() };
        for _ in 0..10 {
            let before = draw(timeline.state()).svg;
            timeline.step_forward();
            let after = draw(timeline.state()).svg;
            assert_eq!(per(&before), per(&after));
            let (before, after) = (sent(&before), sent(&after));
            let staying: Vec<_> = before.iter().filter(|(_, y)| *y + step < bottom - INSET).collect();
            assert!(staying.len() >= 3, "requests on their way to A: {before:?}");
            for (x, y) in staying {
                assert!(after.iter().any(|(x2, y2)| (x2 - x).abs() < 0.01 && (y2 - y - step).abs() < 0.15), "tick {}: ({x}, {y}) does not move on by {step}: {after:?}", timeline.tick());
            }
        }
    }

    #[test]
    fn an_open_breaker_stops_calls_at_its_switch_and_a_slow_dependency_times_out() {
        let (top, bottom) = link_span(Service::C);
        let upper = switch_y(top, bottom) - PIN;
        let below = |svg: &str| on_link(svg, Service::C).into_iter().filter(|(_, _, y)| *y > upper).count();
        let mut chain = chain(&[]);
        chain.apply(&Action::SetBreaker(Hop::BC, true));
        for _ in 0..100 {
            chain.step();
        }
        assert!(below(&draw(&chain).svg) > 3, "while closed and C healthy, calls and answers pass the switch");
        chain.apply(&Action::SetFailureRate(100));
        let state = |chain: &BreakerChain| chain.breaker(Hop::BC).map(CircuitBreaker::state);
        for _ in 0..2_000 {
            if state(&chain) == Some(BreakerState::Open) {
                break;
            }
            chain.step();
        }
        assert_eq!(state(&chain), Some(BreakerState::Open));
        // Once the calls let through before it opened have crossed, nothing new passes the switch:
        // calls go down to it and bounce back as failures, at the switch.
        for _ in 0..TRAVEL_TICKS + 5 {
            chain.step();
        }
        let (mut checked, mut bounced) = (0, 0);
        while state(&chain) == Some(BreakerState::Open) {
            let svg = draw(&chain).svg;
            let context = format!("tick {}", chain.tick);
            assert_eq!(below(&svg), 0, "{context}: {:?}", on_link(&svg, Service::C));
            let refused: Vec<_> = on_link(&svg, Service::C).into_iter().filter(|(outcome, _, _)| *outcome == Outcome::Rejected).collect();
            assert!(refused.iter().all(|(_, x, y)| *x == BOUNCE_X && *y <= upper), "{context}: {refused:?}");
            assert!(aria_label(&svg).contains("the breaker on B → C is open") && aria_label(&svg).contains("refused by the breaker"), "{context}");
            checked += 1;
            bounced += usize::from(!refused.is_empty());
            chain.step();
        }
        assert!(checked > 400 && bounced * 10 > checked * 9, "failures bounce at the switch in {bounced} of {checked} ticks");

        // C slows to 3 s with the breaker closed: B gives up on each call after 1 s, and the
        // timeouts come back up the link to C, until they trip the breaker.
        let mut chain = self::chain(&[]);
        chain.apply(&Action::SetBreaker(Hop::BC, true));
        for _ in 0..100 {
            chain.step();
        }
        chain.apply(&Action::SetLatency(3_000));
        let mut first_ring = None;
        for after in 1..=300u32 {
            chain.step();
            if state(&chain) != Some(BreakerState::Closed) {
                break;
            }
            let rings: Vec<_> = on_link(&draw(&chain).svg, Service::C).into_iter().filter(|(outcome, _, _)| *outcome == Outcome::TimedOut).collect();
            assert!(rings.iter().all(|(_, x, _)| (x - UP_X).abs() <= 6.0), "{rings:?}");
            if !rings.is_empty() && first_ring.is_none() {
                first_ring = Some(after);
            }
        }
        let first_ring = first_ring.unwrap_or_else(|| panic!("no timeout drawn while the breaker was closed"));
        assert!((100..=110).contains(&first_ring), "B waits 1 s before it gives up: the first ring came {first_ring} ticks after C slowed");
    }

    #[test]
    fn every_parameter_extreme_draws_cleanly() {
        let mut actions = failing_c();
        actions.extend([(150, Action::SetLatency(10_000)), (250, Action::SetFailureRate(0)), (300, Action::SetLatency(20))]);
        for values in extreme_presets(BREAKER_PARAMS) {
            let list: Vec<(&str, &str)> = values.iter().map(|(key, value)| (*key, value.as_str())).collect();
            let actions: Vec<(u64, Action)> = actions.iter().map(|(tick, action)| (tick / 4, *action)).collect();
            check_run(&list, &actions, 400, 10);
        }
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = pairs(&[("rate", "lots"), ("local", "2"), ("pool_a", "-1"), ("queue", "NaN"), ("timeout_ab", "1e99"), ("open", ""), ("probes", "inf"), ("seed", "¿"), ("nope", "1")]);
        let (mut odd, mut plain): (BreakerChain, BreakerChain) = (start(BREAKER_PARAMS, &garbage), start(BREAKER_PARAMS, &[]));
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

//! Rate limiters side by side: a token bucket, a leaky bucket, a fixed window, a sliding-window
//! log and a sliding-window counter, all set to the same limit (`limit` requests per `window`)
//! and fed the very same requests: steady, Poisson, bursts, or a burst split across a window
//! boundary, which lets the fixed window pass twice its limit in a fraction of a second.
//!
//! Time moves in ticks of 10 ms. Each tick draws one batch of arrivals from the seeded generator
//! and offers it to all five. Every limiter counts in exact whole numbers (see `buckets` and
//! `windows`), so worked examples in the tests hold to the request.
//!
//! For the view: drive it with `Timeline<RateLimiters>` (parameters `LIMITER_PARAMS`, actions
//! `Action`), then draw `history()` (one `Sample` per 100 ms; `History::points` gives chart
//! points for any `Line`), `limiter(kind)` for each `Kind` (totals, the busiest window, its state
//! in words), `leaky_delays()` for the added latency, `last_burst()` for what the latest burst
//! did, and `narrate()` for the live region.

use crate::sim::{Params, SimRng, Simulation};

mod buckets;
mod controls;
mod metrics;
#[cfg(test)]
mod tests;
mod traffic;
mod windows;
pub mod poster;
pub mod stage;

pub use buckets::{Leaked, LeakyBucket, Rate, TokenBucket};
pub use controls::{Action, Config, Pattern, LIMITER_PARAMS};
pub use metrics::{History, Kind, Line, Sample, Totals, MAX_SAMPLES, RECENT_DELAYS};
use metrics::{BusiestWindow, Open, RecentDelays};
pub use traffic::{Arrivals, BURST_EVERY_WINDOWS};
use traffic::Traffic;
pub use windows::{FixedWindow, SlidingCounter, SlidingLog};

/// Simulated time per tick.
pub const TICK_MS: u64 = 10;
pub const TICKS_PER_SECOND: u64 = 1000 / TICK_MS;
/// Ticks per sample: the charts get one point per 100 ms.
pub const TICKS_PER_SAMPLE: u64 = 10;
pub const SAMPLE_MS: u64 = TICK_MS * TICKS_PER_SAMPLE;
/// The pattern a run starts with.
pub const START_PATTERN: Pattern = Pattern::Bursts;
/// Ticks the model remembers one by one (see `RateLimiters::recent_tick`): as long as the stage
/// draws a request moving on after its limiter decided, and no longer, since keyframes copy it.
pub const RECENT_TICKS: usize = 6;

/// What one tick did to every limiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TickOutcome {
    pub arrivals: u32,
    /// Per limiter, in `Kind::ALL` order.
    pub accepted: [u32; 5],
    pub leaky_sent: u32,
}

/// What the latest burst did: the ticks in a row that carried burst requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BurstReport {
    pub first_tick: u64,
    pub last_tick: u64,
    /// Every request that arrived in those ticks (background included).
    pub arrivals: u32,
    /// Per limiter, in `Kind::ALL` order (the leaky bucket's count is what it queued).
    pub accepted: [u32; 5],
    /// The burst began in one window and ended in the next.
    pub crossed_boundary: bool,
}

impl BurstReport {
    pub fn start_ms(&self) -> u64 {
        self.first_tick * TICK_MS
    }

    /// From the first request to the last, inclusive of the last tick.
    pub fn span_ms(&self) -> u64 {
        (self.last_tick - self.first_tick + 1) * TICK_MS
    }
}

/// One limiter's numbers for its tile.
#[derive(Debug, Clone, PartialEq)]
pub struct LimiterView {
    pub kind: Kind,
    pub accepted: u64,
    pub rejected: u64,
    /// The most it let through in any span of one window (for the leaky bucket: sent on).
    pub most_in_window: u64,
    /// When that busiest window ended.
    pub most_ending_ms: u64,
    /// Its state now, in words ("7.5 of 10 tokens").
    pub state: String,
}

/// The leaky bucket's added latency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DelayView {
    pub queued: u32,
    pub capacity: u32,
    /// How many recent requests the percentiles cover (at most `RECENT_DELAYS`).
    pub recent: u32,
    /// Of the last `recent` requests sent on, nearest rank.
    pub p50_ms: Option<u64>,
    pub p99_ms: Option<u64>,
    pub mean_ms: Option<f64>,
    pub max_ms: u64,
    /// How long the queue now takes to drain: queue / rate.
    pub drain_ms: u64,
}

/// The whole model: one traffic stream, five limiters and their metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimiters {
    config: Config,
    tick: u64,
    rng: SimRng,
    traffic: Traffic,
    token_bucket: TokenBucket,
    leaky_bucket: LeakyBucket,
    fixed_window: FixedWindow,
    sliding_log: SlidingLog,
    sliding_counter: SlidingCounter,
    busiest: [BusiestWindow; 5],
    delays: RecentDelays,
    totals: Totals,
    open: Open,
    history: History,
    last: TickOutcome,
    /// The last `RECENT_TICKS` ticks' outcomes, tick `t` at `t % RECENT_TICKS`: what the stage
    /// draws still moving away from each limiter. A fixed array, so it costs a keyframe nothing
    /// to copy and never grows.
    recent: [TickOutcome; RECENT_TICKS],
    last_burst: Option<BurstReport>,
    /// The latest burst that crossed a window boundary.
    last_edge_burst: Option<BurstReport>,
    /// The latest action and the tick it came at, for the narration.
    last_action: Option<(u64, Action)>,
}

impl RateLimiters {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let (limit, window) = (config.limit, config.window_ticks);
        let rate = Rate::new(u64::from(limit), window);
        Self {
            config,
            tick: 0,
            rng: SimRng::new(seed),
            traffic: Traffic::new(&config, START_PATTERN),
            token_bucket: TokenBucket::new(limit, rate),
            leaky_bucket: LeakyBucket::new(limit, rate),
            fixed_window: FixedWindow::new(limit, window),
            sliding_log: SlidingLog::new(limit, window),
            sliding_counter: SlidingCounter::new(limit, window),
            busiest: std::array::from_fn(|_| BusiestWindow::new(window)),
            delays: RecentDelays::default(),
            totals: Totals::default(),
            open: Open::default(),
            history: History::default(),
            last: TickOutcome::default(),
            recent: [TickOutcome::default(); RECENT_TICKS],
            last_burst: None,
            last_edge_burst: None,
            last_action: None,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn pattern(&self) -> Pattern {
        self.traffic.pattern()
    }

    pub fn time_ms(&self) -> u64 {
        self.tick * TICK_MS
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn totals(&self) -> Totals {
        self.totals
    }

    /// What the last tick did.
    pub fn last_tick(&self) -> TickOutcome {
        self.last
    }

    pub fn last_burst(&self) -> Option<BurstReport> {
        self.last_burst
    }

    /// What the latest burst across a window boundary did, in words, for the highlighted note.
    pub fn edge_story(&self) -> Option<String> {
        self.last_edge_burst.map(|report| self.narrate_burst(&report))
    }

    pub fn token_bucket(&self) -> &TokenBucket {
        &self.token_bucket
    }

    pub fn leaky_bucket(&self) -> &LeakyBucket {
        &self.leaky_bucket
    }

    /// Read-only, for the stage to draw the current window's count.
    pub fn fixed_window(&self) -> &FixedWindow {
        &self.fixed_window
    }

    /// Read-only, for the stage to draw the times the log holds.
    pub fn sliding_log(&self) -> &SlidingLog {
        &self.sliding_log
    }

    /// Read-only, for the stage to draw the two counts the estimate weighs.
    pub fn sliding_counter(&self) -> &SlidingCounter {
        &self.sliding_counter
    }

    /// What the tick `ago` ticks before the latest did (0 is the latest one), while it is among
    /// the last `RECENT_TICKS`; `None` further back or before the first tick. The stage draws
    /// each tick's requests moving on from this, so the picture needs nothing but the state.
    pub fn recent_tick(&self, ago: u64) -> Option<TickOutcome> {
        (ago < RECENT_TICKS as u64 && ago < self.tick).then(|| self.recent[((self.tick - 1 - ago) % RECENT_TICKS as u64) as usize])
    }

    /// The arrivals of the next `ticks` ticks, first the next, as they will come unless the
    /// reader acts (switches the pattern or asks for a burst): the requests the stage draws on
    /// their way in. Drawn from copies of the traffic and its generator, so the run is untouched.
    pub fn upcoming(&self, ticks: usize) -> Vec<u32> {
        let (mut traffic, mut rng) = (self.traffic.clone(), self.rng.clone());
        (0..ticks as u64).map(|ahead| traffic.next(self.tick + ahead, &mut rng).total()).collect()
    }

    /// Advances one tick with exactly `arrivals` requests instead of the pattern's (a pending
    /// "Burst now" waits). For worked examples.
    pub fn step_scripted(&mut self, arrivals: u32) {
        self.offer(Arrivals { background: arrivals, burst: 0 });
    }

    fn offer(&mut self, arrivals: Arrivals) {
        let now = self.tick;
        let count = arrivals.total();
        let delays = &mut self.delays;
        let totals = &mut self.totals;
        let open = &mut self.open;
        let leaked = self.leaky_bucket.offer(now, count, |waited, sent| {
            delays.record(waited, sent);
            totals.leaky_delay_ticks += waited * u64::from(sent);
            totals.leaky_max_delay_ticks = totals.leaky_max_delay_ticks.max(waited);
            open.record_delay(waited);
        });
        let accepted = [
            self.token_bucket.offer(now, count),
            leaked.accepted,
            self.fixed_window.offer(now, count),
            self.sliding_log.offer(now, count),
            self.sliding_counter.offer(now, count),
        ];
        self.last = TickOutcome { arrivals: count, accepted, leaky_sent: leaked.sent };
        self.recent[(now % RECENT_TICKS as u64) as usize] = self.last;
        self.count(now, arrivals);
        self.tick += 1;
        if self.tick % TICKS_PER_SAMPLE == 0 {
            self.close_sample();
        }
    }

    fn count(&mut self, now: u64, arrivals: Arrivals) {
        let TickOutcome { arrivals: count, accepted, leaky_sent } = self.last;
        self.totals.arrivals += u64::from(count);
        self.totals.leaky_sent += u64::from(leaky_sent);
        let sample = &mut self.open.0;
        sample.arrivals += count;
        sample.leaky_sent += leaky_sent;
        for kind in Kind::ALL {
            let (index, passed) = (kind.index(), accepted[kind.index()]);
            self.totals.accepted[index] += u64::from(passed);
            self.totals.rejected[index] += u64::from(count - passed);
            sample.accepted[index] += passed;
            sample.rejected[index] += count - passed;
            let let_through = if kind == Kind::LeakyBucket { leaky_sent } else { passed };
            self.busiest[index].record(now, let_through);
        }
        if arrivals.burst > 0 {
            self.note_burst(now, count, accepted);
        }
    }

    fn note_burst(&mut self, now: u64, count: u32, accepted: [u32; 5]) {
        let window = self.config.window_ticks;
        match &mut self.last_burst {
            Some(report) if report.last_tick + 1 == now => {
                report.last_tick = now;
                report.arrivals += count;
                for (sum, passed) in report.accepted.iter_mut().zip(accepted) {
                    *sum += passed;
                }
                report.crossed_boundary = report.first_tick / window != now / window;
            }
            _ => self.last_burst = Some(BurstReport { first_tick: now, last_tick: now, arrivals: count, accepted, crossed_boundary: false }),
        }
        self.last_edge_burst = self.last_burst.filter(|report| report.crossed_boundary).or(self.last_edge_burst);
    }

    fn close_sample(&mut self) {
        let mut sample = std::mem::take(&mut self.open).0;
        sample.time_ms = self.time_ms();
        sample.leaky_queued = self.leaky_bucket.queued();
        sample.leaky_oldest_wait_ms = self.leaky_bucket.oldest_wait(self.tick).unwrap_or(0) * TICK_MS;
        self.history.push(sample);
    }

    /// One limiter's totals, busiest window and state.
    pub fn limiter(&self, kind: Kind) -> LimiterView {
        let index = kind.index();
        let busiest = &self.busiest[index];
        LimiterView {
            kind,
            accepted: self.totals.accepted[index],
            rejected: self.totals.rejected[index],
            most_in_window: busiest.most,
            most_ending_ms: (busiest.most_ending_at + 1) * TICK_MS,
            state: self.describe(kind),
        }
    }

    fn describe(&self, kind: Kind) -> String {
        let limit = self.config.limit;
        let now = self.tick;
        match kind {
            Kind::TokenBucket => format!("{} of {} tokens", one_decimal(self.token_bucket.tokens()), self.token_bucket.capacity()),
            Kind::LeakyBucket => format!("{} of {} queued", self.leaky_bucket.queued(), self.leaky_bucket.capacity()),
            Kind::FixedWindow => {
                let resets_in = self.fixed_window.resets_in(now) * TICK_MS;
                // Before the next tick the window may already have rolled over.
                let used = if now % self.config.window_ticks == 0 { 0 } else { self.fixed_window.used() };
                format!("{used} of {limit} used, resets in {}", format_ms(resets_in))
            }
            Kind::SlidingLog => format!("{} of {limit} in the last {} s", self.sliding_log.in_window_at(now), self.config.window_seconds()),
            Kind::SlidingCounter => format!("estimate {} of {limit}", one_decimal(self.sliding_counter.estimate(now))),
        }
    }

    /// The leaky bucket's queue and the delay it adds.
    pub fn leaky_delays(&self) -> DelayView {
        let sent = self.totals.leaky_sent;
        let [p50_ms, p99_ms] = self.delays.percentiles_ms([0.5, 0.99]);
        DelayView {
            recent: self.delays.count(),
            queued: self.leaky_bucket.queued(),
            capacity: self.leaky_bucket.capacity(),
            p50_ms,
            p99_ms,
            mean_ms: (sent > 0).then(|| self.totals.leaky_delay_ticks as f64 * TICK_MS as f64 / sent as f64),
            max_ms: self.totals.leaky_max_delay_ticks * TICK_MS,
            drain_ms: self.leaky_bucket.drain_ticks() * TICK_MS,
        }
    }

    fn narrate_burst(&self, report: &BurstReport) -> String {
        let limit = self.config.limit;
        let window = self.config.window_seconds();
        let [token, leaky, fixed, log, counter] = report.accepted;
        let (at, span) = (format_ms(report.start_ms()), format_ms(report.span_ms()));
        let count = report.arrivals;
        let shape = if report.crossed_boundary {
            let boundary = report.last_tick / self.config.window_ticks * self.config.window_ticks * TICK_MS;
            format!("{count} requests arrived in {span} across the window boundary at {}", format_ms(boundary))
        } else if report.first_tick == report.last_tick {
            format!("{count} requests arrived at once")
        } else {
            format!("{count} requests arrived in {span}")
        };
        let mut sentence = format!(
            "{at}: {shape}. Let through: token bucket {token}, fixed window {fixed}, sliding log {log}, sliding counter {counter}; the leaky bucket queued {leaky}."
        );
        if fixed > limit {
            sentence.push_str(&format!(" The fixed window passed more than its limit of {limit} per {window} s because its count reset at the boundary."));
        }
        sentence
    }
}

fn one_decimal(value: f64) -> String {
    trimmed(value, 1)
}

/// `value` with at most `decimals` decimals and no trailing zeros; a dash if not finite.
fn trimmed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// `250 ms`, `1 s`, `1.99 s`.
pub fn format_ms(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{} s", trimmed(ms as f64 / 1000.0, 2))
    }
}

impl Simulation for RateLimiters {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    fn step(&mut self) {
        let arrivals = self.traffic.next(self.tick, &mut self.rng);
        self.offer(arrivals);
    }

    fn apply(&mut self, action: &Action) {
        match *action {
            Action::SetPattern(pattern) => self.traffic.set_pattern(pattern),
            Action::Burst => self.traffic.inject_burst(),
        }
        self.last_action = Some((self.tick, *action));
    }

    fn tick(&self) -> u64 {
        self.tick
    }

    fn narrate(&self) -> String {
        let recent = |tick: u64| self.tick.saturating_sub(tick) <= 2 * TICKS_PER_SECOND;
        if let Some(report) = self.last_burst.filter(|report| recent(report.last_tick)) {
            return self.narrate_burst(&report);
        }
        let Config { limit, rate_per_second, burst, .. } = self.config;
        let window = self.config.window_seconds();
        let now = format_ms(self.time_ms());
        match self.last_action {
            Some((at, Action::SetPattern(pattern))) if recent(at) => format!("{now}: switched to {} traffic.", pattern.noun()),
            Some((at, Action::Burst)) if recent(at) => format!("{now}: a burst of {burst} requests is on its way."),
            _ if self.tick == 0 => format!(
                "Five limiters, each allowing {limit} requests per {window} s, get the same {} traffic: {rate_per_second} requests per second in the background, bursts of {burst}.",
                self.pattern().noun()
            ),
            _ => format!("{now}: {} traffic against a limit of {limit} per {window} s.", self.pattern().noun()),
        }
    }

    /// See `Action::encode`.
    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }
}

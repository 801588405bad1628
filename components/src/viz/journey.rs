//! The journey of a request: one browser loads the same page again and again, and each load
//! travels browser → resolver → CDN edge → load balancer → service → cache → database and back,
//! then fetches the page's sub-resources. Each load is worked out in full when it starts, from
//! the settings at that moment and what the browser kept from the loads before (open
//! connections, session tickets), so a setting the reader flips shows in the very next load's
//! waterfall, beside the last one's total.
//!
//! For the view: drive it with `Timeline<Journey>` (parameters `JOURNEY_PARAMS`, actions
//! `Action`, `JOURNEY_TICKS_PER_SECOND`, `JOURNEY_LIMIT`); draw `stage::stage`. Every parameter
//! is live: send a control's change as `Action::from_param(key, value)` and show the current
//! value with `config().value(key)`. Numbers beside the picture: `load()` (the load under way,
//! its `plan` with its phases and `total`), `elapsed_ms()`, `previous()` (the last load
//! finished before it), `history()` (every finished load, for a chart: `Series::points(Measure,
//! n)`), `next_plan()` (the next load with the settings now) and `comparisons()` (the next load
//! with one setting flipped). `narrate()` for the live region.
//!
//! **Time.** One tick is a simulated millisecond; the app plays `JOURNEY_TICKS_PER_SECOND` =
//! 100 a second at 1×, a tenth of real time, so a 300 ms load takes 3 s to watch. A load starts
//! `PAUSE_MS` after the last one ended (time to read its waterfall), and a run lasts a simulated
//! minute.
//!
//! **What a load does** (see `plan` for the round-trip counts and their RFCs):
//! - A load that finds no open connection it can use (the first, or any with keep-alive off, or
//!   after a change of protocol) looks the address up (nothing, one round trip to the resolver,
//!   or that plus three from the resolver to a root, a `.com` and the site's name server), then
//!   opens a connection to the edge: TCP then TLS, or QUIC. A browser holding a session ticket
//!   for that transport from an earlier load resumes, and with 0-RTT on sends the request with
//!   its first handshake message.
//! - The request reaches the edge. A CDN hit answers there; a miss goes on to the origin's load
//!   balancer and a service, which works, asks its cache and, on a miss, runs its queries one
//!   after another against the database, in the region or in another one. The page comes back
//!   the same way.
//! - Then the sub-resources, which the edge always has: HTTP/2 and HTTP/3 request them all at
//!   once on the one connection; HTTP/1.1 one at a time per connection, over up to six.
//!
//! Model choices worth knowing:
//! - Latency only: no bandwidth, no packet loss, no congestion windows, so a response takes a
//!   round trip whatever its size. That is why HTTP/2 is never slower than HTTP/1.1 here; on a
//!   lossy link one lost TCP segment stalls every HTTP/2 stream behind it, which HTTP/3 avoids.
//! - The browser's parsing and rendering take no time; the sub-resources are all requested the
//!   moment the page arrives. The page's own DNS answer serves every connection of that load.
//! - The DNS setting says where the lookup of a new connection is answered; the model does not
//!   age cached answers (the DNS resolution tool does).
//! - The edge keeps warm connections to the origin, and the origin's parts to each other, so
//!   only their round trips count. The edge and the load balancer add no time of their own.
//! - Session tickets never expire within a run, and keep-alive connections never time out.
//!   HTTP/3 is used from the first load, as if the browser already knew the site offers it
//!   (from an HTTPS DNS record, RFC 9460; otherwise it learns from an Alt-Svc header, RFC 7838,
//!   on an HTTP/2 response first).
//!
//! **Cost.** A tick is a comparison; a load's plan is worked out once (a few dozen phases). A
//! keyframe holds the plan and the history's open chunk, about 3 KB.

use crate::sim::{Params, SimRng, Simulation};

mod controls;
mod narration;
pub mod plan;
pub mod poster;
pub mod stage;
#[cfg(test)]
mod tests;

pub use controls::{Action, Config, DnsAnswer, Proto, Setting, TlsVersion, JOURNEY_PARAMS, MAX_ASSETS, MAX_QUERIES};
pub use plan::{handshake_round_trips, Browser, Jitter, Lane, Link, Phase, Plan, Pool, Row, Step, Transport, MAX_H1_CONNECTIONS, STEADY};

/// Simulated milliseconds per tick.
pub const TICK_MS: u32 = 1;
/// Ticks the app plays per second at 1×: a tenth of real time.
pub const JOURNEY_TICKS_PER_SECOND: f64 = 100.0;
/// A simulated minute (ten at 1×, 75 s at 8×).
pub const JOURNEY_LIMIT: u64 = 60_000;
/// The gap between one load's end and the next one's start.
pub const PAUSE_MS: u32 = 300;
/// Finished loads kept for the chart: more than a run can hold (each takes at least `PAUSE_MS`).
pub const MAX_HISTORY: usize = 256;
/// How long the reader's last change stays the narration.
const NARRATE_TICKS: u32 = 400;

/// A page load: its number (from 1), when it started, the settings and browser state it was
/// worked out from, its jitter, and the result.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    pub number: u32,
    pub start: u32,
    pub config: Config,
    pub before: Browser,
    pub jitter: Jitter,
    pub plan: Plan,
}

impl Load {
    fn new(number: u32, start: u32, config: Config, before: Browser, jitter: Jitter) -> Self {
        let plan = plan::plan(&config, &before, &jitter);
        Self { number, start, config, before, jitter, plan }
    }
}

/// A finished load, as the history keeps it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub number: u32,
    /// Simulated time when it ended.
    pub end_ms: u64,
    pub total_ms: u32,
    /// When the page itself had arrived.
    pub page_ms: u32,
    /// DNS and the page connection's handshakes.
    pub setup_ms: u32,
    pub proto: Proto,
    pub reused: bool,
}

/// What a history chart line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// The whole load, sub-resources included.
    Total,
    /// Until the page itself arrived.
    Page,
    /// DNS and handshakes.
    Setup,
}

impl crate::sim::series::Sampled for Summary {
    type Metric = Measure;

    fn time_seconds(&self) -> f64 {
        self.end_ms as f64 / 1000.0
    }

    fn value(&self, measure: Measure) -> f64 {
        f64::from(match measure {
            Measure::Total => self.total_ms,
            Measure::Page => self.page_ms,
            Measure::Setup => self.setup_ms,
        })
    }
}

pub type History = crate::sim::series::Series<Summary, MAX_HISTORY>;

/// Something worth telling, kept with its tick for the narration.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    Started,
    Acted(Action),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    config: Config,
    tick: u32,
    rng: SimRng,
    load: Load,
    /// What the browser holds once the current load is over: what the next one finds.
    browser: Browser,
    /// The next load's jitter, drawn ahead so the comparisons beside the picture are exact.
    next_jitter: Jitter,
    history: History,
    event: (u32, Event),
}

/// One jitter draw per link (see `plan::Jitter`).
fn draw_jitter(rng: &mut SimRng) -> Jitter {
    std::array::from_fn(|_| rng.below(2_001) as i16 - 1_000)
}

impl Journey {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let mut rng = SimRng::new(seed);
        let jitter = draw_jitter(&mut rng);
        let next_jitter = draw_jitter(&mut rng);
        let load = Load::new(1, 0, config, Browser::default(), jitter);
        let browser = load.plan.after;
        Self { config, tick: 0, rng, load, browser, next_jitter, history: History::default(), event: (0, Event::Started) }
    }

    // ---- What the view and the stage read -------------------------------------------------

    /// The settings now (the parameters, as changed since by actions).
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn time_ms(&self) -> u64 {
        u64::from(self.tick) * u64::from(TICK_MS)
    }

    /// The load under way, or the one just finished while the next waits to start.
    pub fn load(&self) -> &Load {
        &self.load
    }

    /// How far into the current load the run is, in ms (its total once it has finished).
    pub fn elapsed_ms(&self) -> u32 {
        (self.tick - self.load.start).min(self.load.plan.total)
    }

    /// Whether the current load has finished (the run waits `PAUSE_MS` before the next).
    pub fn finished_load(&self) -> bool {
        self.tick - self.load.start >= self.load.plan.total
    }

    /// The phase under way now, if the current load has not finished.
    pub fn phase_now(&self) -> Option<&Phase> {
        self.load.plan.phase_at(self.tick - self.load.start)
    }

    /// Every finished load, oldest first.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The last load that finished before the current one started.
    pub fn previous(&self) -> Option<Summary> {
        self.history.iter().rev().find(|summary| summary.number < self.load.number).copied()
    }

    /// What the browser holds for the next load.
    pub fn browser(&self) -> &Browser {
        &self.browser
    }

    /// The next load as the settings now would make it.
    pub fn next_plan(&self) -> Plan {
        self.plan_with(&self.config)
    }

    /// The next load with other settings, and the same network.
    pub fn plan_with(&self, config: &Config) -> Plan {
        plan::plan(config, &self.browser, &self.next_jitter)
    }

    /// For each choice that shapes a load (keep-alive, the protocols, 0-RTT, DNS, CDN and cache
    /// hits, the database's region), each value other than the current one, as the action that
    /// sets it and the total the next load would then take.
    pub fn comparisons(&self) -> Vec<(Action, u32)> {
        const CHOICES: [Setting; 8] = [Setting::KeepAlive, Setting::Proto, Setting::Tls, Setting::ZeroRtt, Setting::Dns, Setting::CdnHit, Setting::CacheHit, Setting::CrossRegion];
        let mut found = Vec::new();
        for setting in CHOICES {
            let (low, high) = setting.range();
            for value in (low..=high).filter(|value| *value != self.config.get(setting)) {
                found.push((Action::Set(setting, value), self.plan_with(&self.config.with(setting, value)).total));
            }
        }
        found
    }

    // ---- One tick ----------------------------------------------------------------------------

    /// The next load starts now: with the settings now, what the last one left, and the jitter
    /// drawn for it.
    fn begin_load(&mut self) {
        let jitter = std::mem::replace(&mut self.next_jitter, draw_jitter(&mut self.rng));
        self.load = Load::new(self.load.number + 1, self.tick, self.config, self.browser, jitter);
        self.browser = self.load.plan.after;
    }

    /// A change made at the very tick a load starts, before anything of it has moved, applies to
    /// that load (so settings changed before pressing Play shape the first one).
    fn replan_if_unstarted(&mut self) {
        if self.tick == self.load.start {
            self.load = Load::new(self.load.number, self.load.start, self.config, self.load.before, self.load.jitter);
            self.browser = self.load.plan.after;
        }
    }

    fn record(&mut self) {
        let plan = &self.load.plan;
        self.history.push(Summary { number: self.load.number, end_ms: self.time_ms(), total_ms: plan.total, page_ms: plan.page_ms, setup_ms: plan.setup_ms(), proto: self.load.config.proto, reused: plan.reused });
    }
}

impl Simulation for Journey {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    fn step(&mut self) {
        self.tick = self.tick.saturating_add(1);
        let end = self.load.start + self.load.plan.total;
        if self.tick == end {
            self.record();
        }
        if self.tick >= end + PAUSE_MS {
            self.begin_load();
        }
    }

    fn apply(&mut self, action: &Action) {
        match *action {
            Action::Set(setting, value) => self.config.set(setting, value),
            Action::NewVisitor => {
                self.browser = Browser::default();
                if self.tick == self.load.start {
                    self.load.before = Browser::default();
                }
            }
        }
        self.replan_if_unstarted();
        self.event = (self.tick, Event::Acted(*action));
    }

    fn tick(&self) -> u64 {
        u64::from(self.tick)
    }

    fn narrate(&self) -> String {
        match self.event {
            (at, Event::Acted(action)) if self.tick.saturating_sub(at) <= NARRATE_TICKS => self.tell_action(action),
            (at, Event::Started) if self.tick.saturating_sub(at) <= NARRATE_TICKS / 4 => self.tell_start(),
            _ => self.tell_now(),
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

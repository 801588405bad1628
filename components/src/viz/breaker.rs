//! Circuit breaker: users call service A, which calls B, which calls C. Each service has a
//! bounded pool of threads and a small waiting room; each caller has a timeout. The reader
//! makes C slow or failing while the run goes, and switches a circuit breaker on either hop.
//!
//! Without breakers a slow C holds B's threads until B's timeout; B's waiting room fills; A's
//! threads wait on B in turn, and soon A turns users away, even those whose request never
//! needed C (the cascade). With a breaker, the failures trip it open: calls fail at once
//! instead of waiting, threads come back, and A keeps serving what it can (the containment).
//!
//! Time moves in ticks of 10 ms. Requests are individual jobs, which is cheap because every
//! job holds a thread or a place in a waiting room, and both are bounded.
//!
//! For the view: drive it with `Timeline<BreakerChain>` (parameters `BREAKER_PARAMS`, actions
//! `Action`), then draw `pool(service)`, `breaker(hop)`, `latency_ms()`/`failure_percent()`
//! for C, `series()` (one `Sample` per 100 ms; `Series::points` gives chart points for a
//! `Metric`), `totals()`, and `narrate()` for the live region.
//!
//! Model choices worth knowing:
//! - A and B spend `SERVICE_WORK_MS` on their own work, then call downstream while holding the
//!   thread. C's thread is held for C's latency; an error comes back after the same latency.
//! - A full pool puts a request in the waiting room; a full waiting room refuses it at once,
//!   which the caller (and its breaker) counts as a failure.
//! - A caller that times out stops waiting: a request of its still in the waiting room is
//!   dropped, one already running runs on, holding its thread, and its answer is ignored.
//! - Users give up after `USER_TIMEOUT_MS`. Network time is zero.
//! - The breaker counts timeouts, errors and refusals as failures; only calls it let through
//!   count, and an answer that arrives after the breaker moved on is ignored.

use crate::sim::{Params, SimRng, Simulation};

mod controls;
pub mod machine;
mod metrics;
mod narration;
mod service;
#[cfg(test)]
mod tests;
pub mod poster;
pub mod stage;

/// A duration as the tool prints it: `250 ms`, `2 s`, `1.5 s` (tenths of a second alone would
/// print 10 ms as "0.0 s"); "–" when there is none.
pub fn format_ms(ms: f64) -> String {
    if !ms.is_finite() {
        return "–".to_string();
    }
    let ms = ms.max(0.0).round();
    if ms < 1000.0 {
        return format!("{ms} ms");
    }
    let text = format!("{:.2}", ms / 1000.0);
    format!("{} s", text.trim_end_matches('0').trim_end_matches('.'))
}

pub use controls::{Action, Config, BREAKER_PARAMS, MAX_LATENCY_MS, START_LATENCY_MS};
pub use machine::{is_legal_edge, Admission, BreakerSettings, BreakerState, CircuitBreaker, Reason, Transition};
pub use metrics::{state_level, Crossing, LatencyHistogram, Metric, Sample, Series, Totals, Traffic, UserOutcome, LATENCY_BUCKETS_MS, MAX_SAMPLES, TRAFFIC_TICKS};
use metrics::Ledger;
use narration::{Event, Narrator};
use service::{Job, Phase, Pool};

/// Simulated time per tick.
pub const TICK_MS: u32 = 10;
/// Ticks per chart sample: one point per 100 ms.
pub const TICKS_PER_SAMPLE: u32 = 10;
pub const SAMPLE_MS: u32 = TICK_MS * TICKS_PER_SAMPLE;
/// The breaker's rolling window is kept in buckets of this many ticks (100 ms).
pub const TICKS_PER_BUCKET: u32 = 10;
/// What A and B spend on a request themselves, besides waiting on the next service.
pub const SERVICE_WORK_MS: u32 = 10;
/// How long a user waits for A before giving up.
pub const USER_TIMEOUT_MS: u32 = 5_000;
/// The most arrivals `step_scripted` accepts in one tick.
pub const MAX_SCRIPTED_ARRIVALS: u32 = 10_000;

const TICKS_PER_SECOND: u32 = 1000 / TICK_MS;

/// The three services, in call order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    A,
    B,
    C,
}

impl Service {
    pub const ALL: [Service; 3] = [Service::A, Service::B, Service::C];

    pub fn name(self) -> &'static str {
        match self {
            Service::A => "A",
            Service::B => "B",
            Service::C => "C",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Service::A => 0,
            Service::B => 1,
            Service::C => 2,
        }
    }

    fn downstream(self) -> Option<Hop> {
        match self {
            Service::A => Some(Hop::AB),
            Service::B => Some(Hop::BC),
            Service::C => None,
        }
    }

    fn upstream(self) -> Option<Hop> {
        match self {
            Service::A => None,
            Service::B => Some(Hop::AB),
            Service::C => Some(Hop::BC),
        }
    }
}

/// A call from one service to the next: where a breaker can sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hop {
    /// A calls B.
    AB,
    /// B calls C.
    BC,
}

impl Hop {
    pub const BOTH: [Hop; 2] = [Hop::AB, Hop::BC];

    pub fn index(self) -> usize {
        match self {
            Hop::AB => 0,
            Hop::BC => 1,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Hop::AB => "A → B",
            Hop::BC => "B → C",
        }
    }

    pub fn caller(self) -> Service {
        match self {
            Hop::AB => Service::A,
            Hop::BC => Service::B,
        }
    }

    pub fn callee(self) -> Service {
        match self {
            Hop::AB => Service::B,
            Hop::BC => Service::C,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Hop::AB => "ab",
            Hop::BC => "bc",
        }
    }
}

/// Why a call failed; it travels up the chain with the failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    /// C answered with an error.
    Error,
    /// A caller stopped waiting.
    Timeout,
    /// The next service's threads and waiting room were full.
    Busy,
    /// A breaker refused the call.
    Rejected,
}

type Answer = Result<(), Cause>;

/// One service's pool, for drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolView {
    pub threads: u32,
    pub busy: u32,
    pub queued: u32,
    pub queue_limit: u32,
}

impl PoolView {
    pub fn is_saturated(&self) -> bool {
        self.busy >= self.threads
    }
}

/// The whole model: three pools, two optional breakers, C's health and the metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakerChain {
    config: Config,
    tick: u32,
    rng: SimRng,
    latency_ms: u32,
    failure_percent: u32,
    pools: [Pool; 3],
    breakers: [Option<CircuitBreaker>; 2],
    next_job: u64,
    ledger: Ledger,
    series: Series,
    /// What crossed each link in the last ticks, for the stage; it decides nothing.
    traffic: Traffic,
    /// Whether each pool was full at the last sample (to tell when that changes).
    was_full: [bool; 3],
    narrator: Narrator,
}

impl BreakerChain {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let pool = |index: usize| Pool::new(config.pools[index], config.queue);
        let started = Event::Started {
            requests_per_second: config.requests_per_second,
            chain_percent: ((1.0 - config.local_share) * 100.0).round() as u32,
            latency_ms: START_LATENCY_MS,
        };
        Self {
            config,
            tick: 0,
            rng: SimRng::new(seed),
            latency_ms: START_LATENCY_MS,
            failure_percent: 0,
            pools: [pool(0), pool(1), pool(2)],
            breakers: [None, None],
            next_job: 0,
            ledger: Ledger::default(),
            series: Series::default(),
            traffic: Traffic::default(),
            was_full: [false; 3],
            narrator: Narrator::new(started),
        }
    }

    /// The parameters as the model read them (clamped).
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn time_ms(&self) -> u64 {
        u64::from(self.tick) * u64::from(TICK_MS)
    }

    /// C's latency now, in ms.
    pub fn latency_ms(&self) -> u32 {
        self.latency_ms
    }

    /// The percentage of C's answers that are errors now.
    pub fn failure_percent(&self) -> u32 {
        self.failure_percent
    }

    /// The breaker on a hop, if one is switched on.
    pub fn breaker(&self, hop: Hop) -> Option<&CircuitBreaker> {
        self.breakers[hop.index()].as_ref()
    }

    pub fn pool(&self, service: Service) -> PoolView {
        let pool = &self.pools[service.index()];
        PoolView { threads: pool.threads, busy: pool.running.len() as u32, queued: pool.queue.len() as u32, queue_limit: pool.queue_limit }
    }

    /// One sample per 100 ms, oldest first.
    pub fn series(&self) -> &Series {
        &self.series
    }

    pub fn totals(&self) -> Totals {
        self.ledger.totals
    }

    /// What crossed each link in the last `TRAFFIC_TICKS` ticks (see `Traffic`).
    pub fn traffic(&self) -> &Traffic {
        &self.traffic
    }

    /// Users still waiting for an answer from A.
    pub fn users_waiting(&self) -> u64 {
        let pool = &self.pools[Service::A.index()];
        pool.queue.len() as u64 + pool.running.iter().filter(|job| job.caller_waiting).count() as u64
    }

    /// Advances one tick with exactly `arrivals` new requests at A instead of a random number,
    /// for worked examples (capped at `MAX_SCRIPTED_ARRIVALS`).
    pub fn step_scripted(&mut self, arrivals: u32) {
        self.begin_tick();
        self.arrive(arrivals.min(MAX_SCRIPTED_ARRIVALS));
        self.end_tick();
    }

    fn begin_tick(&mut self) {
        self.tick = self.tick.saturating_add(1);
        let now = self.tick;
        self.traffic.begin(now);
        for breaker in self.breakers.iter_mut().flatten() {
            breaker.advance(now);
        }
        // Leaf first, so an answer climbs the whole chain within the tick it is given.
        for service in [Service::C, Service::B, Service::A] {
            self.process(service);
        }
    }

    fn end_tick(&mut self) {
        self.users_give_up();
        self.tell_transitions();
        if self.tick % TICKS_PER_SAMPLE == 0 {
            self.close_window();
        }
    }

    fn arrive(&mut self, count: u32) {
        for _ in 0..count {
            self.ledger.arrived();
            let local_only = self.config.local_share > 0.0 && self.rng.chance(self.config.local_share);
            let job = self.new_job(None, local_only);
            if self.offer(Service::A, job) {
                self.traffic.add(self.tick, Service::A, Crossing::Sent, 1);
            } else {
                self.traffic.add(self.tick, Service::A, Crossing::Failed, 1);
                self.ledger.answered(UserOutcome::TurnedAway, 0);
            }
        }
    }

    fn new_job(&mut self, parent: Option<u64>, local_only: bool) -> Job {
        self.next_job += 1;
        Job { id: self.next_job, parent, arrived: self.tick, caller_waiting: true, local_only, phase: Phase::Queued }
    }

    /// Hands a request to a service: a free thread takes it, or it waits, or (both full) it
    /// is refused and `false` comes back.
    fn offer(&mut self, service: Service, job: Job) -> bool {
        let pool = &mut self.pools[service.index()];
        if pool.has_free_thread() {
            self.start(service, job);
            true
        } else if pool.has_room_to_wait() {
            pool.queue.push_back(job);
            true
        } else {
            false
        }
    }

    /// A thread takes the job now.
    fn start(&mut self, service: Service, mut job: Job) {
        let now = self.tick;
        job.phase = match service {
            Service::C => {
                let chance = f64::from(self.failure_percent) / 100.0;
                let fails = chance >= 1.0 || (chance > 0.0 && self.rng.chance(chance));
                Phase::Working { until: now + self.latency_ms.div_ceil(TICK_MS).max(1), fails }
            }
            _ => Phase::Working { until: now + SERVICE_WORK_MS / TICK_MS, fails: false },
        };
        self.pools[service.index()].running.push(job);
    }

    /// Finishes the work that is due at one service, then the calls that have timed out.
    fn process(&mut self, service: Service) {
        let now = self.tick;
        let running = &self.pools[service.index()].running;
        let done: Vec<u64> = running.iter().filter(|job| matches!(job.phase, Phase::Working { until, .. } if until <= now)).map(|job| job.id).collect();
        for id in done {
            self.finish_work(service, id);
        }
        let running = &self.pools[service.index()].running;
        let late: Vec<u64> = running.iter().filter(|job| matches!(job.phase, Phase::Calling { deadline, .. } if deadline <= now)).map(|job| job.id).collect();
        for id in late {
            self.time_out(service, id);
        }
    }

    fn finish_work(&mut self, service: Service, id: u64) {
        let Some(job) = self.pools[service.index()].job_mut(id) else { return };
        let (local_only, fails) = match job.phase {
            Phase::Working { fails, .. } => (job.local_only, fails),
            _ => return,
        };
        match service.downstream() {
            Some(hop) if !local_only => self.call(hop, id),
            Some(_) => self.complete(service, id, Ok(())),
            None => self.complete(service, id, if fails { Err(Cause::Error) } else { Ok(()) }),
        }
    }

    /// The caller's job `id` calls the next service through the hop's breaker, if any.
    fn call(&mut self, hop: Hop, id: u64) {
        let now = self.tick;
        let ticket = match self.breakers[hop.index()].as_mut().map(|breaker| breaker.admit(now)) {
            None => None,
            Some(Admission::Pass(ticket) | Admission::Probe(ticket)) => Some(ticket),
            Some(Admission::Reject) => {
                self.traffic.add(now, hop.callee(), Crossing::Refused, 1);
                self.complete(hop.caller(), id, Err(Cause::Rejected));
                return;
            }
        };
        let child = self.new_job(Some(id), false);
        let call = child.id;
        if !self.offer(hop.callee(), child) {
            self.traffic.add(now, hop.callee(), Crossing::Failed, 1);
            self.record(hop, ticket, false);
            self.complete(hop.caller(), id, Err(Cause::Busy));
            return;
        }
        self.traffic.add(now, hop.callee(), Crossing::Sent, 1);
        if hop == Hop::BC {
            self.ledger.called_c();
        }
        let deadline = now + self.config.timeout_ticks[hop.index()];
        if let Some(job) = self.pools[hop.caller().index()].job_mut(id) {
            job.phase = Phase::Calling { call, deadline, ticket };
        }
    }

    fn record(&mut self, hop: Hop, ticket: Option<machine::Ticket>, succeeded: bool) {
        let now = self.tick;
        if let (Some(breaker), Some(ticket)) = (self.breakers[hop.index()].as_mut(), ticket) {
            breaker.record(now, ticket, succeeded);
        }
    }

    /// The caller stops waiting on its call: the breaker counts a failure, the callee's job is
    /// dropped if it still waits for a thread (or runs on unheard), and the caller fails.
    fn time_out(&mut self, service: Service, id: u64) {
        let Some(hop) = service.downstream() else { return };
        let Some(Phase::Calling { call, ticket, .. }) = self.pools[service.index()].job_mut(id).map(|job| job.phase) else { return };
        self.traffic.add(self.tick, hop.callee(), Crossing::TimedOut, 1);
        self.record(hop, ticket, false);
        let callee = &mut self.pools[hop.callee().index()];
        if let Some(position) = callee.queue.iter().position(|job| job.id == call) {
            callee.queue.remove(position);
        } else if let Some(job) = callee.job_mut(call) {
            job.caller_waiting = false;
        }
        self.complete(service, id, Err(Cause::Timeout));
    }

    /// A job ends with `answer`: its thread takes the next waiting job, and the answer climbs
    /// to whoever still waits for it, ending each caller's job in turn.
    fn complete(&mut self, service: Service, id: u64, answer: Answer) {
        let (mut service, mut id) = (service, id);
        loop {
            let now = self.tick;
            let pool = &mut self.pools[service.index()];
            let Some(position) = pool.position(id) else { return };
            let job = pool.running.swap_remove(position);
            if let Some(next) = pool.queue.pop_front() {
                self.start(service, next);
            }
            if !job.caller_waiting {
                return;
            }
            let crossing = if answer.is_ok() { Crossing::Answered } else { Crossing::Failed };
            let Some(hop) = service.upstream() else {
                self.traffic.add(now, service, crossing, 1);
                let outcome = match answer {
                    Ok(()) => UserOutcome::Succeeded,
                    Err(Cause::Rejected) => UserOutcome::RejectedFast,
                    Err(_) => UserOutcome::Failed,
                };
                self.ledger.answered(outcome, now.saturating_sub(job.arrived) * TICK_MS);
                return;
            };
            let Some(parent) = job.parent else { return };
            let ticket = match self.pools[hop.caller().index()].job_mut(parent).map(|caller| caller.phase) {
                Some(Phase::Calling { call, ticket, .. }) if call == job.id => ticket,
                _ => return,
            };
            self.traffic.add(now, service, crossing, 1);
            self.record(hop, ticket, answer.is_ok());
            service = hop.caller();
            id = parent;
        }
    }

    /// Users who have waited `USER_TIMEOUT_MS` give up: a request still in A's waiting room is
    /// dropped; one A is working on runs on, unheard.
    fn users_give_up(&mut self) {
        let now = self.tick;
        let limit = USER_TIMEOUT_MS / TICK_MS;
        let pool = &mut self.pools[Service::A.index()];
        let before = pool.queue.len();
        pool.queue.retain(|job| now.saturating_sub(job.arrived) < limit);
        let mut gave_up = before - pool.queue.len();
        for job in pool.running.iter_mut().filter(|job| job.caller_waiting && now.saturating_sub(job.arrived) >= limit) {
            job.caller_waiting = false;
            gave_up += 1;
        }
        self.traffic.add(now, Service::A, Crossing::TimedOut, gave_up as u32);
        for _ in 0..gave_up {
            self.ledger.user_gave_up(USER_TIMEOUT_MS);
        }
    }

    fn tell_transitions(&mut self) {
        let now = self.tick;
        let time_ms = self.time_ms();
        for hop in Hop::BOTH {
            let Some(breaker) = self.breakers[hop.index()].as_ref() else { continue };
            let settings = breaker.settings();
            let moves: Vec<Transition> = breaker.transitions().filter(|transition| transition.at == now).copied().collect();
            for transition in moves {
                let event = Event::Moved {
                    hop,
                    transition,
                    window_seconds: settings.window_ticks / TICKS_PER_SECOND,
                    open_ms: settings.open_ticks * TICK_MS,
                    probes: settings.probes,
                };
                self.narrator.tell(event, time_ms);
            }
        }
    }

    fn close_window(&mut self) {
        let views = Service::ALL.map(|service| self.pool(service));
        let window = self.ledger.window;
        self.series.push(Sample {
            time_ms: self.time_ms(),
            succeeded: window.succeeded,
            failed: window.failed,
            rejected_fast: window.rejected_fast,
            turned_away: window.turned_away,
            busy: views.map(|view| view.busy),
            queued: views.map(|view| view.queued),
            pools: views.map(|view| view.threads),
            calls_to_c: window.calls_to_c,
            p50_ms: window.latency.percentile(0.5),
            p99_ms: window.latency.percentile(0.99),
            breakers: Hop::BOTH.map(|hop| self.breaker(hop).map(CircuitBreaker::state)),
        });
        let time_ms = self.time_ms();
        for service in Service::ALL {
            let view = views[service.index()];
            let full = view.is_saturated();
            if full != self.was_full[service.index()] {
                let event = if full { Event::PoolFull { service, threads: view.threads, queued: view.queued } } else { Event::PoolFreed { service } };
                self.narrator.tell(event, time_ms);
            }
            self.was_full[service.index()] = full;
        }
        self.ledger.window = Default::default();
    }

    fn set_breaker(&mut self, hop: Hop, on: bool) {
        if self.breakers[hop.index()].is_some() == on {
            return;
        }
        self.breakers[hop.index()] = on.then(|| CircuitBreaker::new(self.config.breaker, self.tick));
        // Calls out now were admitted by no breaker, or by the one just removed: their answers
        // must not count in the new one.
        for job in &mut self.pools[hop.caller().index()].running {
            if let Phase::Calling { ticket, .. } = &mut job.phase {
                *ticket = None;
            }
        }
    }
}

impl Simulation for BreakerChain {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    fn step(&mut self) {
        self.begin_tick();
        let per_tick = f64::from(self.config.requests_per_second) / f64::from(TICKS_PER_SECOND);
        let arrivals = self.rng.poisson(per_tick);
        self.arrive(arrivals);
        self.end_tick();
    }

    fn apply(&mut self, action: &Action) {
        match *action {
            Action::SetLatency(ms) => self.latency_ms = ms.clamp(1, MAX_LATENCY_MS),
            Action::SetFailureRate(percent) => self.failure_percent = percent.min(100),
            Action::SetBreaker(hop, on) => self.set_breaker(hop, on),
        }
        self.narrator.tell(Event::Acted(*action), self.time_ms());
    }

    fn tick(&self) -> u64 {
        u64::from(self.tick)
    }

    fn narrate(&self) -> String {
        self.narrator.sentence()
    }

    /// See `Action::encode`.
    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }
}

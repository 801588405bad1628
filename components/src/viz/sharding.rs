//! Sharding: a data set of users (the partition key is the user id) split over shards five ways
//! at once, on the same keys and the same seeded traffic, so their hot spots and their
//! rebalancing costs compare fairly: range partitioning by id, hash mod N, consistent hashing
//! with virtual nodes, fixed partitions moved whole, and a directory (a lookup table). Users'
//! activity is Zipf-skewed; the reader makes one user a celebrity (a hot key), salts it over
//! sub-keys, splits the hot range, adds and removes shards, and sizes the cluster.
//!
//! For the view: drive it with `Timeline<Sharding>` (parameters `SHARDING_PARAMS`, actions
//! `Action`, `SHARDING_TICKS_PER_SECOND`, `SHARDING_LIMIT`); draw `stage::stage`
//! (`stage::HEIGHT` tall; the poster is `poster::poster`). The traffic,
//! capacity, bandwidth and focus parameters are live (`focus`, `rate`, `skew`, `hot`, `reads`,
//! `data`, `qps`, `disk`, `headroom`, `bandwidth`): send a control's change as
//! `Action::from_param(key, value)` and show `config().value(key)`; the others (`shards`,
//! `keys`, `order`, `vnodes`, `partitions`) start a new run. Buttons: `Action::AddShard`,
//! `Action::RemoveShard`, `Action::SplitHotRange`, `Action::Salt(k)` (`MAX_SALT`, 1 unsalts;
//! `SALT_DEFAULT` for a one-click button), and "make a celebrity" as
//! `Action::Set(Setting::Hot, HOT_DEFAULT)`. Numbers beside the picture: `sizing()` with
//! `Sizing::formula(config())` (the exact shard count and its working), and per strategy
//! `plans()`: `loads()` and `stored()` per shard, `hottest()`, `hottest_over_fair()`,
//! `throttled(config().shard_qps)`, `last()` (keys, GB, `seconds(bandwidth)`, flows). Names:
//! `shard_name`, `workload::key_name(workload().hot_key())`; numbers as the picture writes them
//! in `format` (`data`, `duration`, `times`, `percent`); `narrate()` for the live region.
//!
//! **Time.** One tick is 100 simulated ms and the app plays `SHARDING_TICKS_PER_SECOND` = 10
//! a second: real time. Nothing but the requests moves with time; the loads are the traffic's
//! expected rates, exact for the settings, and a rebalance is done at once and costed as the
//! time its copying would take (`bytes ÷ bandwidth`), not played out.
//!
//! Model choices worth knowing:
//! - Each user's share of requests is Zipf by its popularity rank, and `hot`% of all requests go
//!   to one seeded user on top. With `order=newest` the busiest users are the highest ids (as
//!   with auto-increment ids or timestamp keys), which is what makes range partitioning's last
//!   range hot; with `random` they are scattered over the ids.
//! - Each user holds a seeded share of the data (a floor plus an exponential spread), so data is
//!   uneven too, and not tied to how busy a user is.
//! - Hash mod N, the ring and the fixed partitions place a key by its MurmurHash3 (the
//!   consistent-hashing tool's `Ring` and `Keys`); the ring gives each shard `vnodes` points.
//! - Range: the ids are cut into equal ranges at the start. A new shard takes the upper half
//!   (by requests) of the busiest range of two or more ids. "Split the hot range" cuts the
//!   busiest range the same way and gives the upper half to the least loaded other shard
//!   (load-based splitting); when that range is a single id it is refused, since one key cannot
//!   be split (salt it). A leaving shard's ranges each go to the least loaded shard.
//!   Neighbouring ranges of one shard merge.
//! - Fixed partitions: `partitions` of them, dealt round-robin at the start. A new shard takes
//!   whole partitions, one at a time from the shard holding most, until it holds
//!   `partitions ÷ shards` (rounded down); a leaving shard's go one at a time to the shard
//!   holding fewest. Counts are balanced, not load: a hot partition stays hot wherever it goes.
//!   With more shards than partitions, some shards hold nothing.
//! - Directory: placed at the start heaviest first on the shard each leaves least full (in
//!   requests or data, whichever is fuller). A new shard gets the busiest keys that fit from
//!   shards above their fair share of requests, then the keys with most data for their traffic
//!   from shards above their fair share of data; a leaving shard's keys go, busiest first, where
//!   they fit best. It never moves anything else, and needs a lookup for every request.
//! - Salting (Kleppmann, *Designing Data-Intensive Applications*, ch. 6, "Skewed Workloads and
//!   Relieving Hot Spots"): the hot key's requests go to `k` sub-keys `user:<id>#0..k−1`, each
//!   placed like any key (in range partitioning as if the salt were a prefix, so they spread
//!   evenly over the ids). A write goes to one sub-key; a read must ask all `k`, so shards see
//!   `(k − 1)` × the hot key's reads on top of the rate. The data already stored stays where it
//!   is (the sub-keys start empty), so salting copies nothing.
//! - A shard serves up to `qps` requests a second; the excess is throttled (the share of
//!   requests over capacity). Moves count users and their data; sub-keys hold none.
//! - All five strategies start with `shards` shards and add or remove together, so their moves
//!   compare like for like; "split the hot range" only concerns range partitioning.
//!
//! **Cost.** Building a run hashes every user once and sorts them for the directory; an action
//! re-places every item under every strategy, O(users × 5), half a million lookups at most.
//! A step samples a handful of requests (one dot stands for `dot_worth()` requests). The big
//! per-user tables sit behind `Arc`, so the timeline's keyframes share them; a keyframe holds
//! the five plans' per-shard numbers, the ranges, the partition table and at most `MAX_DOTS`.

use crate::sim::{Params, SimRng, Simulation};
use crate::viz::poster::round_units;

mod controls;
pub mod format;
mod narration;
pub mod poster;
pub mod sizing;
pub mod stage;
mod strategies;
#[cfg(test)]
mod tests;
pub mod workload;

pub use controls::{Action, Config, Setting, SHARDING_PARAMS};
pub use sizing::Sizing;
pub use strategies::{Cause, Flow, Placement, Plan, Rebalance, Span, Split, SplitRefusal, Strategy, MAX_FLOWS, MAX_SPANS};
pub use workload::Workload;

use strategies::World;

/// Simulated milliseconds per tick.
pub const TICK_MS: u32 = 100;
/// Ticks the app plays per second at 1×: real time.
pub const SHARDING_TICKS_PER_SECOND: f64 = 10.0;
/// Ten simulated minutes.
pub const SHARDING_LIMIT: u64 = 6_000;
/// The most shards: 16 columns still fit the picture with their numbers under them.
pub const MAX_SHARDS: usize = 16;
/// The most sub-keys the hot key can be salted over.
pub const MAX_SALT: u8 = 16;
/// A one-click salt, and a one-click celebrity's share of all requests (%).
pub const SALT_DEFAULT: u8 = 8;
pub const HOT_DEFAULT: u32 = 30;
pub const STRATEGIES: usize = 5;
/// Ticks a request is drawn travelling from the router to its shard.
pub const TRAVEL_TICKS: u32 = 8;
/// Dots sent a tick on average: one dot stands for enough requests to keep to this.
pub const DOTS_PER_TICK: f64 = 2.0;
/// The most dots in flight, and the most sent in one tick (a burst of salted reads).
pub const MAX_DOTS: usize = 64;
const MAX_NEW_DOTS: usize = 24;
/// How long an event stays the narration before a summary replaces it.
const NARRATE_TICKS: u32 = 30;

/// "S1" for shard 0.
pub fn shard_name(shard: usize) -> String {
    format!("S{}", shard + 1)
}

/// A sampled request on its way from the router to a shard: where it goes under each
/// strategy (fixed when it is sent), and a draw that decides whether an overloaded shard
/// throttles it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    pub sent: u32,
    /// Its shard under each strategy, in `Strategy::ALL` order.
    pub owners: [u8; STRATEGIES],
    /// Uniform in [0, 1): throttled when below the share its shard cannot serve.
    pub draw: f32,
    /// One of the sub-requests of a salted read, which asks every sub-key.
    pub fan_out: bool,
}

/// Something worth telling.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    Started,
    Set(Setting, u32),
    Added(u8),
    Removed(u8),
    Split(Split),
    SplitRefused(SplitRefusal),
    Salted(u8),
    Full,
    LastShard,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sharding {
    config: Config,
    tick: u32,
    shards: usize,
    workload: Workload,
    /// One per strategy, in `Strategy::ALL` order.
    plans: Vec<Plan>,
    /// Requests a second all shards together get (the rate plus salted reads' fan-out).
    shard_rate: f64,
    dots: Vec<Dot>,
    /// Samples the requests drawn, apart from the data set's own draws.
    traffic: SimRng,
    event: (u32, Event),
}

impl Sharding {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let mut rng = SimRng::new(seed);
        let workload = Workload::new(&config, &mut rng);
        let (loads, sizes) = (workload.item_loads(&config), workload.item_sizes(&config));
        let world = World { workload: &workload, loads: &loads, sizes: &sizes, shards: config.shards };
        let plans = Strategy::ALL.iter().map(|strategy| Plan::new(*strategy, &config, &world)).collect();
        let shard_rate = loads.iter().sum();
        Self { config, tick: 0, shards: config.shards, workload, plans, shard_rate, dots: Vec::new(), traffic: SimRng::new(seed ^ 0x5A4D_0C0F_FEE0_D0D5), event: (0, Event::Started) }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn time_ms(&self) -> u64 {
        u64::from(self.tick) * u64::from(TICK_MS)
    }

    /// Shards now.
    pub fn shards(&self) -> usize {
        self.shards
    }

    pub fn workload(&self) -> &Workload {
        &self.workload
    }

    pub fn focus(&self) -> Strategy {
        self.config.focus
    }

    /// One per strategy, in `Strategy::ALL` order.
    pub fn plans(&self) -> &[Plan] {
        &self.plans
    }

    pub fn plan(&self, strategy: Strategy) -> &Plan {
        &self.plans[strategy.index()]
    }

    /// The requests on their way now.
    pub fn dots(&self) -> &[Dot] {
        &self.dots
    }

    /// Requests a second all shards get together: the rate, plus `(k − 1)` × the hot key's
    /// reads while it is salted over `k`.
    pub fn shard_rate(&self) -> f64 {
        self.shard_rate
    }

    pub fn sizing(&self) -> Sizing {
        Sizing::of(&self.config)
    }

    /// How many shard requests one dot stands for: 1, 2, 5, 10…, the first that keeps the dots
    /// sent a tick to `DOTS_PER_TICK` on average (a hair over it allowed, for rounding).
    pub fn dot_worth(&self) -> u64 {
        let per_tick = self.shard_rate * f64::from(TICK_MS) / 1000.0;
        round_units().find(|per| per_tick / *per as f64 <= DOTS_PER_TICK * (1.0 + 1e-9)).unwrap_or(u64::MAX)
    }

    /// Every plan's shard totals again, after the traffic or the data changed.
    fn retally(&mut self) {
        let (loads, sizes) = (self.workload.item_loads(&self.config), self.workload.item_sizes(&self.config));
        let world = World { workload: &self.workload, loads: &loads, sizes: &sizes, shards: self.shards };
        for plan in &mut self.plans {
            plan.tally(&world);
        }
        self.shard_rate = loads.iter().sum();
    }

    fn add_shard(&mut self) -> Event {
        if self.shards >= MAX_SHARDS {
            return Event::Full;
        }
        self.shards += 1;
        let (loads, sizes) = (self.workload.item_loads(&self.config), self.workload.item_sizes(&self.config));
        let world = World { workload: &self.workload, loads: &loads, sizes: &sizes, shards: self.shards };
        for plan in &mut self.plans {
            plan.add_shard(&world, self.tick);
        }
        Event::Added((self.shards - 1) as u8)
    }

    fn remove_shard(&mut self) -> Event {
        if self.shards <= 1 {
            return Event::LastShard;
        }
        self.shards -= 1;
        let (loads, sizes) = (self.workload.item_loads(&self.config), self.workload.item_sizes(&self.config));
        let world = World { workload: &self.workload, loads: &loads, sizes: &sizes, shards: self.shards };
        for plan in &mut self.plans {
            plan.remove_shard(&world, self.tick);
        }
        Event::Removed(self.shards as u8)
    }

    fn split(&mut self) -> Event {
        let (loads, sizes) = (self.workload.item_loads(&self.config), self.workload.item_sizes(&self.config));
        let world = World { workload: &self.workload, loads: &loads, sizes: &sizes, shards: self.shards };
        match self.plans[Strategy::Range.index()].split_hot_range(&world, self.tick) {
            Ok(split) => Event::Split(split),
            Err(refusal) => Event::SplitRefused(refusal),
        }
    }

    fn salt(&mut self, salt: u8) -> Event {
        let salt = salt.clamp(1, MAX_SALT);
        self.workload.set_salt(salt);
        let (loads, sizes) = (self.workload.item_loads(&self.config), self.workload.item_sizes(&self.config));
        let world = World { workload: &self.workload, loads: &loads, sizes: &sizes, shards: self.shards };
        for plan in &mut self.plans {
            plan.resalt(&world);
        }
        self.shard_rate = loads.iter().sum();
        Event::Salted(salt)
    }

    fn set(&mut self, setting: Setting, value: u32) -> Event {
        self.config.set(setting, value);
        match setting {
            Setting::Skew => {
                self.workload.set_skew(self.config.skew());
                self.retally();
            }
            Setting::Rate | Setting::Hot | Setting::Reads | Setting::Data => self.retally(),
            Setting::Focus | Setting::Qps | Setting::Disk | Setting::Headroom | Setting::Bandwidth => {}
        }
        Event::Set(setting, self.config.get(setting))
    }

    /// Sends this tick's sampled requests on their way.
    fn send(&mut self) {
        let per = self.dot_worth() as f64;
        let requests = self.traffic.poisson(f64::from(self.config.rate) * f64::from(TICK_MS) / 1000.0 / per) as usize;
        let mut sent = 0;
        for _ in 0..requests {
            let request = self.workload.sample(&self.config, &mut self.traffic);
            for item in request.first..request.first + request.count {
                if sent == MAX_NEW_DOTS {
                    return;
                }
                let owners = std::array::from_fn(|strategy| self.plans[strategy].owners().get(item as usize).copied().unwrap_or(0));
                let draw = self.traffic.next_f64() as f32;
                self.dots.push(Dot { sent: self.tick, owners, draw, fan_out: request.fan_out });
                sent += 1;
            }
        }
    }
}

impl Simulation for Sharding {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    /// 100 ms: the requests that have arrived leave the picture and this tick's are sent.
    fn step(&mut self) {
        self.tick = self.tick.saturating_add(1);
        let now = self.tick;
        self.dots.retain(|dot| now - dot.sent < TRAVEL_TICKS);
        self.send();
        if self.dots.len() > MAX_DOTS {
            let extra = self.dots.len() - MAX_DOTS;
            self.dots.drain(..extra);
        }
    }

    fn apply(&mut self, action: &Action) {
        let event = match *action {
            Action::Set(setting, value) => self.set(setting, value),
            Action::AddShard => self.add_shard(),
            Action::RemoveShard => self.remove_shard(),
            Action::SplitHotRange => self.split(),
            Action::Salt(salt) => self.salt(salt),
        };
        self.event = (self.tick, event);
    }

    fn tick(&self) -> u64 {
        u64::from(self.tick)
    }

    /// The latest event for three simulated seconds, then the strategy in focus in a sentence.
    fn narrate(&self) -> String {
        let (at, event) = self.event;
        if self.tick.saturating_sub(at) < NARRATE_TICKS {
            narration::describe(self, event)
        } else {
            narration::state(self)
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

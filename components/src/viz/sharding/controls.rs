//! What the reader controls: the parameters (declared once for the controls and the URL), the
//! settings that also change while the run goes, and the actions with their compact URL form.
//!
//! The traffic, the capacities, the copy bandwidth and the strategy in focus are live: the view
//! sends a control's change as [`Action::from_param`] and shows [`Config::value`]. The shape of
//! the data set (`shards`, `keys`, `order`, `vnodes`, `partitions`) starts a new run.

use crate::sim::{ParamKind, ParamSpec, Params, Value};

use super::{Strategy, MAX_SALT, MAX_SHARDS};

const STRATEGIES: &[(&str, &str)] = &[
    ("range", "Range of ids"),
    ("hash", "Hash mod N"),
    ("ring", "Consistent hashing (ring with virtual nodes)"),
    ("fixed", "Fixed partitions, moved whole"),
    ("directory", "Directory (a lookup table)"),
];

const ORDERS: &[(&str, &str)] = &[("newest", "The newest users are the most active (sequential ids)"), ("random", "Activity has nothing to do with the id")];

/// The parameters, declared once for the controls and the URL:
///
/// - `focus`: the strategy drawn (all five always run on the same keys and traffic).
/// - `shards`, `keys`: shards at the start, and users, whose id is the partition key.
/// - `order`: which users are busy. `newest` gives the most requests to the highest ids (an
///   auto-increment id or a timestamp key, where new rows get the traffic), so range
///   partitioning piles them onto the last range; `random` scatters the busy users over the ids.
/// - `skew`: user activity falls off as 1 / rank^`skew` (Zipf; 0 makes every user equally busy).
/// - `rate`: requests per second at peak, all users together; `data`: the whole data set, split
///   over the users by a seeded spread of sizes.
/// - `qps`, `disk`, `headroom`: what one shard can serve and store, and the share of both kept
///   free when sizing (see `sizing`).
/// - `hot`: the share of all requests that goes to one celebrity user; `reads`: how many of that
///   user's requests are reads, which matters once it is salted (a read must ask every sub-key).
/// - `vnodes`: points per shard on the consistent-hashing ring; `partitions`: how many fixed
///   partitions the keys are hashed into (more than shards, so whole partitions can move).
/// - `bandwidth`: how fast a rebalance copies data, for the whole move.
pub const SHARDING_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "focus", label: "Strategy drawn", kind: ParamKind::Choice(STRATEGIES), default: Value::Choice("range") },
    ParamSpec { key: "shards", label: "Shards at the start", kind: ParamKind::Int { min: 1, max: MAX_SHARDS as i64 }, default: Value::Int(4) },
    ParamSpec { key: "keys", label: "Users (partition keys)", kind: ParamKind::Int { min: 100, max: 100_000 }, default: Value::Int(10_000) },
    ParamSpec { key: "order", label: "Who is busy", kind: ParamKind::Choice(ORDERS), default: Value::Choice("newest") },
    ParamSpec { key: "skew", label: "Activity skew (Zipf exponent)", kind: ParamKind::Float { min: 0.0, max: 2.0 }, default: Value::Float(1.0) },
    ParamSpec { key: "rate", label: "Peak requests per second", kind: ParamKind::Int { min: 100, max: 1_000_000 }, default: Value::Int(10_000) },
    ParamSpec { key: "data", label: "Data set (GB)", kind: ParamKind::Int { min: 1, max: 1_000_000 }, default: Value::Int(1_000) },
    ParamSpec { key: "qps", label: "Requests per second one shard can serve", kind: ParamKind::Int { min: 100, max: 1_000_000 }, default: Value::Int(4_000) },
    ParamSpec { key: "disk", label: "Storage per shard (GB)", kind: ParamKind::Int { min: 1, max: 100_000 }, default: Value::Int(500) },
    ParamSpec { key: "headroom", label: "Headroom kept free on each shard (%)", kind: ParamKind::Int { min: 0, max: 90 }, default: Value::Int(30) },
    ParamSpec { key: "hot", label: "Hot key's share of all requests (%)", kind: ParamKind::Int { min: 0, max: 90 }, default: Value::Int(0) },
    ParamSpec { key: "reads", label: "Reads among the hot key's requests (%)", kind: ParamKind::Int { min: 0, max: 100 }, default: Value::Int(50) },
    ParamSpec { key: "vnodes", label: "Virtual nodes per shard (ring)", kind: ParamKind::Int { min: 1, max: 500 }, default: Value::Int(100) },
    ParamSpec { key: "partitions", label: "Fixed partitions", kind: ParamKind::Int { min: 1, max: 1_024 }, default: Value::Int(64) },
    ParamSpec { key: "bandwidth", label: "Copy bandwidth for a rebalance (MB/s)", kind: ParamKind::Int { min: 1, max: 100_000 }, default: Value::Int(100) },
];

/// The settings of a run as the model uses them, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub focus: Strategy,
    /// Shards at the start (the reader adds and removes them while the run goes).
    pub shards: usize,
    pub keys: usize,
    /// The busiest users are the newest ids (`order=newest`).
    pub newest_busiest: bool,
    /// The Zipf exponent in hundredths (100 is 1.0), so a setting round-trips a URL exactly.
    pub skew_hundredths: u32,
    pub rate: u32,
    pub data_gb: u32,
    pub shard_qps: u32,
    pub shard_gb: u32,
    pub headroom_percent: u32,
    pub hot_percent: u32,
    pub reads_percent: u32,
    pub vnodes: u32,
    pub partitions: u32,
    pub bandwidth_mbps: u32,
}

impl Config {
    /// Reads the parameters defensively (see `Params::number_in`): a missing key, a wrong kind
    /// or an out-of-range value falls back or clamps.
    pub fn from_params(params: &Params) -> Self {
        let whole = |key: &str| params.number_in(SHARDING_PARAMS, key).round() as u32;
        let focus = params.choice_in(SHARDING_PARAMS, "focus");
        Self {
            focus: Strategy::ALL.into_iter().find(|strategy| strategy.key() == focus).unwrap_or(Strategy::Range),
            shards: whole("shards").clamp(1, MAX_SHARDS as u32) as usize,
            keys: whole("keys").max(1) as usize,
            newest_busiest: params.choice_in(SHARDING_PARAMS, "order") != "random",
            skew_hundredths: (params.number_in(SHARDING_PARAMS, "skew") * 100.0).round() as u32,
            rate: whole("rate"),
            data_gb: whole("data").max(1),
            shard_qps: whole("qps").max(1),
            shard_gb: whole("disk").max(1),
            headroom_percent: whole("headroom").min(90),
            hot_percent: whole("hot"),
            reads_percent: whole("reads"),
            vnodes: whole("vnodes").max(1),
            partitions: whole("partitions").max(1),
            bandwidth_mbps: whole("bandwidth").max(1),
        }
    }

    pub fn skew(&self) -> f64 {
        f64::from(self.skew_hundredths) / 100.0
    }

    /// The setting's value as an action carries it.
    pub fn get(&self, setting: Setting) -> u32 {
        match setting {
            Setting::Focus => self.focus.index() as u32,
            Setting::Rate => self.rate,
            Setting::Skew => self.skew_hundredths,
            Setting::Hot => self.hot_percent,
            Setting::Reads => self.reads_percent,
            Setting::Data => self.data_gb,
            Setting::Qps => self.shard_qps,
            Setting::Disk => self.shard_gb,
            Setting::Headroom => self.headroom_percent,
            Setting::Bandwidth => self.bandwidth_mbps,
        }
    }

    /// The setting of the parameter `key` as a parameter's value, the inverse of
    /// [`Action::from_param`]: what a live control shows. `None` for a key that is not live.
    pub fn value(&self, key: &str) -> Option<Value> {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == key)?;
        Some(match setting {
            Setting::Focus => Value::Choice(self.focus.key()),
            Setting::Skew => Value::Float(self.skew()),
            _ => Value::Int(i64::from(self.get(setting))),
        })
    }

    /// Changes one setting, clamped to its range.
    pub(super) fn set(&mut self, setting: Setting, value: u32) {
        let (low, high) = setting.range();
        let value = value.clamp(low, high);
        match setting {
            Setting::Focus => self.focus = Strategy::ALL[value as usize % Strategy::ALL.len()],
            Setting::Rate => self.rate = value,
            Setting::Skew => self.skew_hundredths = value,
            Setting::Hot => self.hot_percent = value,
            Setting::Reads => self.reads_percent = value,
            Setting::Data => self.data_gb = value,
            Setting::Qps => self.shard_qps = value,
            Setting::Disk => self.shard_gb = value,
            Setting::Headroom => self.headroom_percent = value,
            Setting::Bandwidth => self.bandwidth_mbps = value,
        }
    }
}

/// One live parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// The strategy's index in `Strategy::ALL`.
    Focus,
    Rate,
    /// In hundredths of the Zipf exponent.
    Skew,
    Hot,
    Reads,
    Data,
    Qps,
    Disk,
    Headroom,
    Bandwidth,
}

impl Setting {
    pub const ALL: [Setting; 10] = [Setting::Focus, Setting::Rate, Setting::Skew, Setting::Hot, Setting::Reads, Setting::Data, Setting::Qps, Setting::Disk, Setting::Headroom, Setting::Bandwidth];

    /// The parameter it comes from.
    pub fn key(self) -> &'static str {
        match self {
            Setting::Focus => "focus",
            Setting::Rate => "rate",
            Setting::Skew => "skew",
            Setting::Hot => "hot",
            Setting::Reads => "reads",
            Setting::Data => "data",
            Setting::Qps => "qps",
            Setting::Disk => "disk",
            Setting::Headroom => "headroom",
            Setting::Bandwidth => "bandwidth",
        }
    }

    fn code(self) -> char {
        match self {
            Setting::Focus => 'f',
            Setting::Rate => 'q',
            Setting::Skew => 'k',
            Setting::Hot => 'h',
            Setting::Reads => 'e',
            Setting::Data => 'd',
            Setting::Qps => 'c',
            Setting::Disk => 'g',
            Setting::Headroom => 'm',
            Setting::Bandwidth => 'b',
        }
    }

    /// The lowest and highest value an action may carry, read from the parameters' ranges.
    pub fn range(self) -> (u32, u32) {
        SHARDING_PARAMS.iter().find(|spec| spec.key == self.key()).map_or((0, 1), |spec| spec.action_range(100.0))
    }
}

/// What the reader does to the running system. Each happens to all five strategies at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Changes a live setting from now on (see [`Setting`] for the units).
    Set(Setting, u32),
    /// A new, empty shard joins; each strategy moves data onto it its own way.
    AddShard,
    /// The last shard leaves; each strategy moves its data to the others.
    RemoveShard,
    /// Range partitioning splits its hottest range at the middle of its traffic and moves the
    /// upper half to the least loaded shard (the other strategies have no ranges to split).
    SplitHotRange,
    /// Spreads the hot key over this many sub-keys (1 takes the salt off again).
    Salt(u8),
}

impl Action {
    /// The action for a control's new value: a parameter's key and value as the controls hold
    /// them; `None` for a key that is not live or a value of the wrong kind.
    pub fn from_param(key: &str, value: Value) -> Option<Action> {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == key)?;
        let number = match (setting, value) {
            (Setting::Skew, Value::Float(skew)) if skew.is_finite() => (skew.max(0.0) * 100.0).round() as u32,
            (Setting::Focus, Value::Choice(key)) => Strategy::ALL.into_iter().find(|strategy| strategy.key() == key)?.index() as u32,
            (Setting::Skew | Setting::Focus, _) => return None,
            (_, Value::Int(whole)) => whole.clamp(0, i64::from(u32::MAX)) as u32,
            _ => return None,
        };
        let (low, high) = setting.range();
        Some(Action::Set(setting, number.clamp(low, high)))
    }

    /// Button text.
    pub fn label(&self) -> String {
        match *self {
            Action::Set(setting, value) => match setting {
                Setting::Focus => format!("Show {}", Strategy::ALL[value as usize % Strategy::ALL.len()].label()),
                Setting::Rate => format!("{value} requests/s"),
                Setting::Skew => format!("Skew {:.2}", f64::from(value) / 100.0),
                Setting::Hot => format!("Hot key {value}%"),
                Setting::Reads => format!("Hot key reads {value}%"),
                Setting::Data => format!("{value} GB of data"),
                Setting::Qps => format!("{value} requests/s a shard"),
                Setting::Disk => format!("{value} GB a shard"),
                Setting::Headroom => format!("Headroom {value}%"),
                Setting::Bandwidth => format!("Copy at {value} MB/s"),
            },
            Action::AddShard => "Add a shard".to_string(),
            Action::RemoveShard => "Remove the last shard".to_string(),
            Action::SplitHotRange => "Split the hot range".to_string(),
            Action::Salt(1) => "Unsalt the hot key".to_string(),
            Action::Salt(salt) => format!("Salt the hot key over {salt}"),
        }
    }

    /// Compact text for the URL: `a` adds a shard, `r` removes the last, `p` splits the hot
    /// range, `s8` salts the hot key over 8 sub-keys (`s1` unsalts); a setting is its letter and
    /// value: `f0`–`f4` focus (in `Strategy::ALL` order), `q` rate, `k` skew in hundredths, `h`
    /// hot key %, `e` reads %, `d` data GB, `c` requests/s a shard, `g` GB a shard, `m`
    /// headroom %, `b` bandwidth MB/s.
    pub fn encode(&self) -> String {
        match *self {
            Action::Set(setting, value) => format!("{}{value}", setting.code()),
            Action::AddShard => "a".to_string(),
            Action::RemoveShard => "r".to_string(),
            Action::SplitHotRange => "p".to_string(),
            Action::Salt(salt) => format!("s{salt}"),
        }
    }

    /// Reads exactly what `encode` writes (numbers without a sign or a leading zero, within
    /// their ranges); anything else is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        match text {
            "a" => return Some(Action::AddShard),
            "r" => return Some(Action::RemoveShard),
            "p" => return Some(Action::SplitHotRange),
            _ => {}
        }
        let (tag, rest) = text.split_at_checked(1)?;
        let number = crate::sim::query::canonical_number(rest)?;
        if tag == "s" {
            return u8::try_from(number).ok().filter(|salt| (1..=MAX_SALT).contains(salt)).map(Action::Salt);
        }
        let setting = Setting::ALL.into_iter().find(|setting| setting.code().to_string() == tag)?;
        let (low, high) = setting.range();
        (low..=high).contains(&number).then_some(Action::Set(setting, number))
    }
}


//! What the reader controls: the parameters (declared once for the controls and the URL), the
//! fixes that can be switched during a run, and the actions with their compact URL form.

use crate::sim::{ParamKind, ParamSpec, Params, Value};

use super::{TICKS_PER_SECOND, TICK_MS};

/// The parameters, declared once for the controls and the URL:
///
/// - `rate` requests per second; `keys` how many existing keys, whose popularity falls off as
///   1 / rank^`skew` (Zipf; 0 makes every key equally popular).
/// - `ttl` seconds a value stays fresh; `cost` the base milliseconds one recomputation (or one
///   lookup of a missing key) costs the database; `conc` queries it runs at once; `timeout`
///   how long a client waits before giving up.
/// - `variant` `penetration` adds requests for keys that do not exist, a `missing` share of
///   the traffic (ignored in the `normal` variant).
/// - `beta` tunes early recomputation (higher recomputes earlier); `jitter` is the ± percent
///   TTL jitter applies when that fix is on.
/// - `start` `warm` loads every key at tick 0, so all of them expire together one TTL later
///   (the synchronized expiry to watch); `cold` starts empty.
///
/// The default cost is 50 ms rather than a slower 200 ms: with 2,000 requests per second and 20
/// connections, 200 ms queries overload the database even when keys expire one at a time (each
/// hot key's own herd is too big), so the run never calms down between herds and TTL jitter
/// looks useless. At 50 ms the steady state is calm and the synchronized expiry is a clear herd.
pub const STAMPEDE_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "rate", label: "Requests per second", kind: ParamKind::Int { min: 100, max: 20_000 }, default: Value::Int(2_000) },
    ParamSpec { key: "keys", label: "Keys", kind: ParamKind::Int { min: 1, max: 1_000 }, default: Value::Int(50) },
    ParamSpec { key: "skew", label: "Popularity skew (Zipf exponent)", kind: ParamKind::Float { min: 0.0, max: 2.0 }, default: Value::Float(1.0) },
    ParamSpec { key: "ttl", label: "TTL (seconds)", kind: ParamKind::Int { min: 1, max: 120 }, default: Value::Int(10) },
    ParamSpec { key: "cost", label: "Recompute cost (ms)", kind: ParamKind::Int { min: 10, max: 2_000 }, default: Value::Int(50) },
    ParamSpec { key: "conc", label: "Database concurrency", kind: ParamKind::Int { min: 1, max: 200 }, default: Value::Int(20) },
    ParamSpec { key: "timeout", label: "Client timeout (ms)", kind: ParamKind::Int { min: 100, max: 10_000 }, default: Value::Int(1_000) },
    ParamSpec {
        key: "variant",
        label: "Variant",
        kind: ParamKind::Choice(&[("normal", "Hot keys expire"), ("penetration", "Penetration: requests for keys that do not exist")]),
        default: Value::Choice("normal"),
    },
    ParamSpec { key: "missing", label: "Share of requests for missing keys", kind: ParamKind::Float { min: 0.0, max: 0.9 }, default: Value::Float(0.2) },
    ParamSpec { key: "beta", label: "Early recompute beta", kind: ParamKind::Float { min: 0.1, max: 5.0 }, default: Value::Float(1.0) },
    ParamSpec { key: "jitter", label: "TTL jitter (± percent)", kind: ParamKind::Int { min: 0, max: 50 }, default: Value::Int(20) },
    ParamSpec {
        key: "start",
        label: "Cache at start",
        kind: ParamKind::Choice(&[("warm", "Warm: every key loaded at once"), ("cold", "Cold: empty")]),
        default: Value::Choice("warm"),
    },
];

/// The parameters as numbers the model uses, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub requests_per_second: u32,
    pub keys: usize,
    pub skew: f64,
    pub ttl_ticks: u32,
    pub recompute_ms: u32,
    pub concurrency: u32,
    pub timeout_ticks: u32,
    /// Some requests ask for keys that do not exist (cache penetration).
    pub penetration: bool,
    /// Share of requests for missing keys, 0 unless `penetration`.
    pub missing_share: f64,
    pub beta: f64,
    pub jitter_percent: u32,
    pub warm_start: bool,
}

impl Config {
    /// Reads the parameters defensively: a missing key, a wrong kind or an out-of-range value
    /// (a `Params` built from another schema, or set without validation) falls back or clamps.
    pub fn from_params(params: &Params) -> Self {
        let whole = |key: &str| number(params, key).round() as u32;
        let penetration = choice(params, "variant") == "penetration";
        Self {
            requests_per_second: whole("rate"),
            keys: whole("keys").max(1) as usize,
            skew: number(params, "skew"),
            ttl_ticks: whole("ttl") * TICKS_PER_SECOND,
            recompute_ms: whole("cost"),
            concurrency: whole("conc").max(1),
            timeout_ticks: whole("timeout").div_ceil(TICK_MS).max(1),
            penetration,
            missing_share: if penetration { number(params, "missing") } else { 0.0 },
            beta: number(params, "beta"),
            jitter_percent: whole("jitter"),
            warm_start: choice(params, "start") != "cold",
        }
    }

    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ticks * TICK_MS
    }
}

fn number(params: &Params, key: &str) -> f64 {
    params.number_in(STAMPEDE_PARAMS, key)
}

fn choice(params: &Params, key: &str) -> &'static str {
    params.choice_in(STAMPEDE_PARAMS, key)
}

/// A remedy the reader can switch on or off while the run goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// The first request to miss takes a lock and recomputes; the others poll every 50 ms.
    Lock,
    /// Single flight: requests for a key being recomputed attach to that query.
    Coalesce,
    /// XFetch: a read may recompute before expiry, with probability rising as expiry nears.
    EarlyRecompute,
    /// An expired value is served at once while one background refresh runs.
    StaleWhileRevalidate,
    /// Every TTL set varies by ± the jitter percentage.
    TtlJitter,
    /// Requests for keys that do not exist are turned away before the database.
    BloomFilter,
}

impl Fix {
    pub const ALL: [Fix; 6] = [Fix::Lock, Fix::Coalesce, Fix::EarlyRecompute, Fix::StaleWhileRevalidate, Fix::TtlJitter, Fix::BloomFilter];

    pub fn label(self) -> &'static str {
        match self {
            Fix::Lock => "Lock",
            Fix::Coalesce => "Single flight (coalescing)",
            Fix::EarlyRecompute => "Early recomputation (XFetch)",
            Fix::StaleWhileRevalidate => "Stale-while-revalidate",
            Fix::TtlJitter => "TTL jitter",
            Fix::BloomFilter => "Bloom filter",
        }
    }

    fn code(self) -> char {
        match self {
            Fix::Lock => 'L',
            Fix::Coalesce => 'C',
            Fix::EarlyRecompute => 'E',
            Fix::StaleWhileRevalidate => 'S',
            Fix::TtlJitter => 'J',
            Fix::BloomFilter => 'B',
        }
    }
}

/// Which fixes are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fixes {
    pub lock: bool,
    pub coalesce: bool,
    pub early_recompute: bool,
    pub stale_while_revalidate: bool,
    pub ttl_jitter: bool,
    pub bloom_filter: bool,
}

impl Fixes {
    pub fn is_on(&self, fix: Fix) -> bool {
        match fix {
            Fix::Lock => self.lock,
            Fix::Coalesce => self.coalesce,
            Fix::EarlyRecompute => self.early_recompute,
            Fix::StaleWhileRevalidate => self.stale_while_revalidate,
            Fix::TtlJitter => self.ttl_jitter,
            Fix::BloomFilter => self.bloom_filter,
        }
    }

    pub(super) fn set(&mut self, fix: Fix, on: bool) {
        let slot = match fix {
            Fix::Lock => &mut self.lock,
            Fix::Coalesce => &mut self.coalesce,
            Fix::EarlyRecompute => &mut self.early_recompute,
            Fix::StaleWhileRevalidate => &mut self.stale_while_revalidate,
            Fix::TtlJitter => &mut self.ttl_jitter,
            Fix::BloomFilter => &mut self.bloom_filter,
        };
        *slot = on;
    }

    /// Whether some fix keeps a key to one recomputation at a time.
    pub(super) fn single_recompute(&self) -> bool {
        self.lock || self.coalesce
    }
}

/// What the reader does to the running system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Switches a fix on (`true`) or off.
    Set(Fix, bool),
    /// The hot keys expire together now (their values stay, stale).
    ExpireHotKeys,
    /// Cold start: every cache entry is lost (locks and flights live in the app and survive).
    RestartCache,
    /// Preloads the hottest keys, covering `WARM_UP_SHARE` of the traffic, as a warm-up job would.
    WarmUp,
}

impl Action {
    /// Button text.
    pub fn label(&self) -> String {
        match self {
            Action::Set(fix, on) => format!("{} {}", fix.label(), if *on { "on" } else { "off" }),
            Action::ExpireHotKeys => "Expire hot keys".to_string(),
            Action::RestartCache => "Restart cache".to_string(),
            Action::WarmUp => "Warm up".to_string(),
        }
    }
}

impl Action {
    /// Compact text for the URL: `L1` / `L0` switch a fix (L lock, C single flight, E early
    /// recomputation, S stale-while-revalidate, J jitter, B Bloom filter); `x` expires the hot
    /// keys, `r` restarts the cache, `w` warms it up.
    pub fn encode(&self) -> String {
        match self {
            Action::Set(fix, on) => format!("{}{}", fix.code(), u8::from(*on)),
            Action::ExpireHotKeys => "x".to_string(),
            Action::RestartCache => "r".to_string(),
            Action::WarmUp => "w".to_string(),
        }
    }

    /// Reads what `encode` wrote; anything else is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        match text {
            "x" => return Some(Action::ExpireHotKeys),
            "r" => return Some(Action::RestartCache),
            "w" => return Some(Action::WarmUp),
            _ => {}
        }
        let mut chars = text.chars();
        let (code, state, rest) = (chars.next()?, chars.next()?, chars.next());
        if rest.is_some() {
            return None;
        }
        let fix = Fix::ALL.into_iter().find(|fix| fix.code() == code)?;
        match state {
            '1' => Some(Action::Set(fix, true)),
            '0' => Some(Action::Set(fix, false)),
            _ => None,
        }
    }
}

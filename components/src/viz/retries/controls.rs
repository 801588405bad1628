//! What the reader controls: the parameters (declared once for the controls and the URL), and
//! the live actions (brownouts, bursts, the budget) with their compact URL form.

use crate::sim::{ParamKind, ParamSpec, Params, Value};

use super::TICKS_PER_SECOND;

/// The parameters. Changing one starts a new run.
///
/// - `rate` new requests per second (Poisson), the same for every lane; `clients` how many
///   clients send at once in a burst.
/// - `capacity` attempts per second the server can answer when healthy; `level` the share of it
///   left during a brownout.
/// - `start` and `length` schedule one brownout (length 0: none); `burst` makes every client
///   send at the moment it starts, as clients reconnecting after a blip do.
/// - `attempts` the most attempts per request, first one included; `base` and `cap` the
///   backoff's base and cap in ms; `budget` the retries allowed per 100 requests in the window.
///
/// With the defaults the brownout leaves 500 attempts per second for 200 new requests: room for
/// the requests, not for a burst of 1,000 and its retries, which must find the spare capacity
/// over the following seconds. With `rate` above what the brownout leaves, no schedule helps.
pub const RETRY_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "rate", label: "New requests per second", kind: ParamKind::Int { min: 1, max: 2_000 }, default: Value::Int(200) },
    ParamSpec { key: "clients", label: "Clients in a burst", kind: ParamKind::Int { min: 0, max: 5_000 }, default: Value::Int(1_000) },
    ParamSpec { key: "capacity", label: "Server capacity (attempts per second)", kind: ParamKind::Int { min: 10, max: 5_000 }, default: Value::Int(1_000) },
    ParamSpec { key: "level", label: "Capacity left in a brownout (%)", kind: ParamKind::Int { min: 0, max: 100 }, default: Value::Int(50) },
    ParamSpec { key: "start", label: "Brownout starts at (s)", kind: ParamKind::Int { min: 0, max: 120 }, default: Value::Int(5) },
    ParamSpec { key: "length", label: "Brownout lasts (s, 0 for none)", kind: ParamKind::Int { min: 0, max: 120 }, default: Value::Int(30) },
    ParamSpec { key: "burst", label: "Every client sends when the brownout starts", kind: ParamKind::Bool, default: Value::Bool(true) },
    ParamSpec { key: "attempts", label: "Most attempts per request", kind: ParamKind::Int { min: 1, max: 10 }, default: Value::Int(6) },
    ParamSpec { key: "base", label: "Backoff base (ms)", kind: ParamKind::Int { min: 10, max: 10_000 }, default: Value::Int(200) },
    ParamSpec { key: "cap", label: "Backoff cap (ms)", kind: ParamKind::Int { min: 10, max: 60_000 }, default: Value::Int(10_000) },
    ParamSpec { key: "budget", label: "Retry budget (retries per 100 requests)", kind: ParamKind::Int { min: 0, max: 100 }, default: Value::Int(10) },
];

/// The parameters as numbers the model uses, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub requests_per_second: u32,
    pub clients: u32,
    pub capacity_per_second: u32,
    pub brownout_percent: u32,
    /// The scheduled brownout as `[start, end)` ticks; `None` when its length is 0.
    pub brownout_ticks: Option<(u32, u32)>,
    pub burst_at_brownout: bool,
    pub max_attempts: u32,
    pub base_ms: u32,
    pub cap_ms: u32,
    pub budget_percent: u32,
}

impl Config {
    /// Reads the parameters defensively: a missing key, a wrong kind or an out-of-range value
    /// (a `Params` built from another schema, or set without validation) falls back or clamps.
    pub fn from_params(params: &Params) -> Self {
        let whole = |key: &str| number(params, key).round() as u32;
        let (start, length) = (whole("start") * TICKS_PER_SECOND, whole("length") * TICKS_PER_SECOND);
        Self {
            requests_per_second: whole("rate"),
            clients: whole("clients"),
            capacity_per_second: whole("capacity"),
            brownout_percent: whole("level"),
            brownout_ticks: (length > 0).then_some((start, start + length)),
            burst_at_brownout: flag(params, "burst"),
            max_attempts: whole("attempts").max(1),
            base_ms: whole("base"),
            cap_ms: whole("cap"),
            budget_percent: whole("budget"),
        }
    }
}

fn number(params: &Params, key: &str) -> f64 {
    params.number_in(RETRY_PARAMS, key)
}

fn flag(params: &Params, key: &str) -> bool {
    params.flag_in(RETRY_PARAMS, key)
}

/// What the reader does to the running system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The server browns out now: its capacity drops to this percentage (0 to 100) of normal.
    Brownout(u32),
    /// The server is healthy again: full capacity.
    Recover,
    /// Every client sends a request at once (on the next tick).
    Burst,
    /// Applies the retry budget to every lane (`true`), or only to the budget lane.
    BudgetEverywhere(bool),
}

impl Action {
    /// Compact text for the URL: `b50` browns the server out to 50%, `r` recovers it, `x` is a
    /// burst, `g1`/`g0` switch the budget on every lane on and off.
    pub fn encode(&self) -> String {
        match self {
            Action::Brownout(percent) => format!("b{percent}"),
            Action::Recover => "r".to_string(),
            Action::Burst => "x".to_string(),
            Action::BudgetEverywhere(on) => format!("g{}", u8::from(*on)),
        }
    }

    /// Reads what `encode` wrote; anything else (or a value out of range) is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        match text {
            "r" => return Some(Action::Recover),
            "x" => return Some(Action::Burst),
            "g1" => return Some(Action::BudgetEverywhere(true)),
            "g0" => return Some(Action::BudgetEverywhere(false)),
            _ => {}
        }
        let digits = text.strip_prefix('b')?;
        if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().filter(|percent| *percent <= 100).map(Action::Brownout)
    }
}

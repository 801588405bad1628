//! What the reader controls: the parameters (declared once for the fields and the URL), the
//! traffic patterns, and the actions with their compact URL form.

use crate::sim::{ParamKind, ParamSpec, Params, Value};

use super::TICKS_PER_SECOND;

/// The parameters:
///
/// - `limit` requests allowed per `window` seconds, the one limit all five limiters enforce:
///   windows count to `limit`; both buckets run at `limit / window`; the token bucket holds
///   `limit` tokens and the leaky bucket queues at most `limit` requests.
/// - `rate` requests per second of background traffic (steady, Poisson, and under the bursts).
/// - `burst` requests in each burst, and in "Burst now".
///
/// The window stops at 10 s: each limiter keeps up to one entry per tick of a window (to find
/// the most it let through in any window), and the timeline copies that state often.
pub const LIMITER_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "limit", label: "Limit (requests per window)", kind: ParamKind::Int { min: 1, max: 1_000 }, default: Value::Int(10) },
    ParamSpec { key: "window", label: "Window (seconds)", kind: ParamKind::Int { min: 1, max: 10 }, default: Value::Int(1) },
    ParamSpec { key: "rate", label: "Background traffic (requests per second)", kind: ParamKind::Int { min: 0, max: 1_000 }, default: Value::Int(8) },
    ParamSpec { key: "burst", label: "Burst size (requests)", kind: ParamKind::Int { min: 0, max: 5_000 }, default: Value::Int(20) },
];

/// The parameters as the model uses them, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub limit: u32,
    pub window_ticks: u64,
    pub rate_per_second: u32,
    pub burst: u32,
}

impl Config {
    /// Reads the parameters defensively: a missing key, a wrong kind or an out-of-range value
    /// (a `Params` from another schema, or set without validation) falls back or clamps.
    pub fn from_params(params: &Params) -> Self {
        Self {
            limit: whole(params, "limit") as u32,
            window_ticks: whole(params, "window") as u64 * TICKS_PER_SECOND,
            rate_per_second: whole(params, "rate") as u32,
            burst: whole(params, "burst") as u32,
        }
    }

    pub fn window_seconds(&self) -> u64 {
        self.window_ticks / TICKS_PER_SECOND
    }
}

fn whole(params: &Params, key: &str) -> i64 {
    let Some(spec) = LIMITER_PARAMS.iter().find(|spec| spec.key == key) else { return 0 };
    let (ParamKind::Int { min, max }, Value::Int(default)) = (spec.kind, spec.default) else { return 0 };
    let given = params.schema().iter().any(|spec| spec.key == key).then(|| params.value(key));
    let value = match given {
        Some(Value::Int(value)) => value,
        Some(Value::Float(value)) if value.is_finite() => value.round().clamp(min as f64, max as f64) as i64,
        _ => default,
    };
    value.clamp(min, max)
}

/// The shape of the traffic every limiter receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// `rate` requests per second, evenly spaced.
    Steady,
    /// `rate` requests per second on average, at random (a Poisson process).
    Poisson,
    /// Poisson background plus a burst in the middle of every fourth window.
    Bursts,
    /// Nothing but bursts split across a window boundary: half in the last tick of a window,
    /// half in the first tick of the next, every fourth window.
    EdgeBursts,
}

impl Pattern {
    pub const ALL: [Pattern; 4] = [Pattern::Steady, Pattern::Poisson, Pattern::Bursts, Pattern::EdgeBursts];

    pub fn label(self) -> &'static str {
        match self {
            Pattern::Steady => "Steady",
            Pattern::Poisson => "Poisson",
            Pattern::Bursts => "Bursts",
            Pattern::EdgeBursts => "Burst at a window edge",
        }
    }

    /// The traffic, as the narration names it: "{noun} traffic".
    pub fn noun(self) -> &'static str {
        match self {
            Pattern::Steady => "steady",
            Pattern::Poisson => "Poisson",
            Pattern::Bursts => "bursty",
            Pattern::EdgeBursts => "edge-burst",
        }
    }

    fn code(self) -> char {
        match self {
            Pattern::Steady => 's',
            Pattern::Poisson => 'p',
            Pattern::Bursts => 'b',
            Pattern::EdgeBursts => 'e',
        }
    }
}

/// What the reader does to the running system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Switches the traffic pattern from now on.
    SetPattern(Pattern),
    /// `burst` requests arrive at once, now, on top of the pattern.
    Burst,
}

impl Action {
    /// Compact text for the URL: `ps`, `pp`, `pb`, `pe` switch the pattern (steady, Poisson,
    /// bursts, edge); `b` is a burst now.
    pub fn encode(&self) -> String {
        match self {
            Action::SetPattern(pattern) => format!("p{}", pattern.code()),
            Action::Burst => "b".to_string(),
        }
    }

    /// Reads what `encode` wrote; anything else is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        if text == "b" {
            return Some(Action::Burst);
        }
        let mut chars = text.chars();
        let (kind, code, rest) = (chars.next()?, chars.next()?, chars.next());
        if kind != 'p' || rest.is_some() {
            return None;
        }
        Pattern::ALL.into_iter().find(|pattern| pattern.code() == code).map(Action::SetPattern)
    }
}

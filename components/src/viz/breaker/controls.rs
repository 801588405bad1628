//! What the reader controls: the parameters (declared once for the controls and the URL), the
//! live actions on C and on the breakers, and the actions' compact URL form.

use crate::sim::{ParamKind, ParamSpec, Params, Value};

use super::machine::BreakerSettings;
use super::{Hop, TICK_MS};

/// The most C's latency can be set to, in ms.
pub const MAX_LATENCY_MS: u32 = 10_000;
/// C's latency when the run starts, in ms.
pub const START_LATENCY_MS: u32 = 20;

/// The parameters. Changing one starts a new run; C's health and the breaker switches are
/// actions instead, so they land on the timeline.
///
/// - `rate` requests per second reach A (Poisson); `local` is the share A answers by itself,
///   without calling B (its other endpoints), which shows who else a cascade takes down.
/// - `pool_a`, `pool_b`, `pool_c` threads per service; `queue` how many requests each service
///   lets wait for a thread before it refuses more.
/// - `timeout_ab` how long A waits for B, `timeout_bc` how long B waits for C.
/// - `threshold`, `min_calls`, `window`, `open`, `probes`: the breakers' settings (both hops).
///
/// Defaults follow Hystrix's: trip at 50% failures with at least 20 calls in a 10 s window,
/// stay open 5 s. Hystrix sends one probe; three make the half-open state easier to watch.
pub const BREAKER_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "rate", label: "Requests per second to A", kind: ParamKind::Int { min: 1, max: 2_000 }, default: Value::Int(100) },
    ParamSpec { key: "local", label: "Share A answers without calling B", kind: ParamKind::Float { min: 0.0, max: 0.9 }, default: Value::Float(0.2) },
    ParamSpec { key: "pool_a", label: "A's threads", kind: ParamKind::Int { min: 1, max: 200 }, default: Value::Int(20) },
    ParamSpec { key: "pool_b", label: "B's threads", kind: ParamKind::Int { min: 1, max: 200 }, default: Value::Int(20) },
    ParamSpec { key: "pool_c", label: "C's threads", kind: ParamKind::Int { min: 1, max: 200 }, default: Value::Int(200) },
    ParamSpec { key: "queue", label: "Waiting room per service", kind: ParamKind::Int { min: 0, max: 200 }, default: Value::Int(20) },
    ParamSpec { key: "timeout_ab", label: "A's timeout on B (ms)", kind: ParamKind::Int { min: 10, max: 10_000 }, default: Value::Int(2_000) },
    ParamSpec { key: "timeout_bc", label: "B's timeout on C (ms)", kind: ParamKind::Int { min: 10, max: 10_000 }, default: Value::Int(1_000) },
    ParamSpec { key: "threshold", label: "Failure threshold (%)", kind: ParamKind::Int { min: 1, max: 100 }, default: Value::Int(50) },
    ParamSpec { key: "min_calls", label: "Minimum calls in the window", kind: ParamKind::Int { min: 1, max: 1_000 }, default: Value::Int(20) },
    ParamSpec { key: "window", label: "Rolling window (s)", kind: ParamKind::Int { min: 1, max: 60 }, default: Value::Int(10) },
    ParamSpec { key: "open", label: "Open for (ms)", kind: ParamKind::Int { min: 100, max: 60_000 }, default: Value::Int(5_000) },
    ParamSpec { key: "probes", label: "Half-open probes", kind: ParamKind::Int { min: 1, max: 20 }, default: Value::Int(3) },
];

/// The parameters as numbers the model uses, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub requests_per_second: u32,
    pub local_share: f64,
    /// Threads of A, B and C.
    pub pools: [u32; 3],
    pub queue: u32,
    /// A's timeout on B and B's on C, in ticks.
    pub timeout_ticks: [u32; 2],
    pub breaker: BreakerSettings,
}

impl Config {
    /// Reads the parameters defensively: a missing key, a wrong kind or an out-of-range value
    /// (a `Params` built from another schema, or set without validation) falls back or clamps.
    pub fn from_params(params: &Params) -> Self {
        let whole = |key: &str| number(params, key).round() as u32;
        let ticks = |key: &str| whole(key).div_ceil(TICK_MS).max(1);
        Self {
            requests_per_second: whole("rate"),
            local_share: number(params, "local"),
            pools: [whole("pool_a").max(1), whole("pool_b").max(1), whole("pool_c").max(1)],
            queue: whole("queue"),
            timeout_ticks: [ticks("timeout_ab"), ticks("timeout_bc")],
            breaker: BreakerSettings {
                failure_threshold_percent: whole("threshold"),
                minimum_calls: whole("min_calls"),
                window_ticks: whole("window") * 1000 / TICK_MS,
                open_ticks: ticks("open"),
                probes: whole("probes"),
            },
        }
    }

    pub fn timeout_ms(&self, hop: Hop) -> u32 {
        self.timeout_ticks[hop.index()] * TICK_MS
    }
}

fn number(params: &Params, key: &str) -> f64 {
    params.number_in(BREAKER_PARAMS, key)
}

/// What the reader does to the running system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// C's latency from now on, in ms (1 to `MAX_LATENCY_MS`).
    SetLatency(u32),
    /// The percentage of C's answers that are errors from now on (0 to 100).
    SetFailureRate(u32),
    /// Installs a fresh, closed breaker on a hop (`true`) or removes it.
    SetBreaker(Hop, bool),
}

impl Action {
    /// Button text.
    pub fn label(&self) -> String {
        match self {
            Action::SetLatency(ms) => format!("C's latency {ms} ms"),
            Action::SetFailureRate(percent) => format!("C fails {percent}%"),
            Action::SetBreaker(hop, on) => format!("Breaker on {} {}", hop.label(), if *on { "on" } else { "off" }),
        }
    }

    /// Compact text for the URL: `L3000` sets C's latency, `F50` its failure rate, `ab1`/`ab0`
    /// and `bc1`/`bc0` switch the breakers on A→B and B→C.
    pub fn encode(&self) -> String {
        match self {
            Action::SetLatency(ms) => format!("L{ms}"),
            Action::SetFailureRate(percent) => format!("F{percent}"),
            Action::SetBreaker(hop, on) => format!("{}{}", hop.code(), u8::from(*on)),
        }
    }

    /// Reads what `encode` wrote; anything else (or a value out of range) is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        let digits = |rest: &str| -> Option<u32> {
            if rest.is_empty() || rest.len() > 6 || !rest.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            rest.parse().ok()
        };
        if let Some(rest) = text.strip_prefix('L') {
            return digits(rest).filter(|ms| (1..=MAX_LATENCY_MS).contains(ms)).map(Action::SetLatency);
        }
        if let Some(rest) = text.strip_prefix('F') {
            return digits(rest).filter(|percent| *percent <= 100).map(Action::SetFailureRate);
        }
        for hop in Hop::BOTH {
            match text.strip_prefix(hop.code()) {
                Some("1") => return Some(Action::SetBreaker(hop, true)),
                Some("0") => return Some(Action::SetBreaker(hop, false)),
                _ => {}
            }
        }
        None
    }
}

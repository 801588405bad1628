//! What the reader controls: the parameters (declared once for the fields and the URL), the
//! incidents they inject with their compact URL form, and the presets.

use crate::sim::{ParamKind, ParamSpec, Params, Value};

use super::{MAX_WINDOW_DAYS, MINUTES_PER_DAY, PPB};

/// The parameters:
///
/// - `slo` the target, as the percentage of requests that must succeed over the window.
/// - `days` the SLO window (the workbook's burn-rate thresholds assume 30 days).
/// - `rate` requests per second: it turns shares into request counts and changes nothing else,
///   because the load is steady and every share is errors over requests.
/// - `base` the error rate outside incidents.
pub const SLO_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "slo", label: "SLO target (%)", kind: ParamKind::Float { min: 90.0, max: 99.999 }, default: Value::Float(99.9) },
    ParamSpec { key: "days", label: "SLO window (days)", kind: ParamKind::Int { min: 1, max: MAX_WINDOW_DAYS as i64 }, default: Value::Int(30) },
    ParamSpec { key: "rate", label: "Requests per second", kind: ParamKind::Int { min: 1, max: 1_000_000 }, default: Value::Int(100) },
    ParamSpec { key: "base", label: "Baseline error rate (%)", kind: ParamKind::Float { min: 0.0, max: 100.0 }, default: Value::Float(0.0) },
];

/// The parameters as the model uses them, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// The error share the SLO allows, in parts per billion (1,000,000 for 99.9%).
    pub allowed_ppb: u64,
    pub window_minutes: u64,
    pub requests_per_second: u64,
    /// Errors outside incidents, in parts per billion.
    pub baseline_ppb: u64,
}

impl Config {
    /// Reads the parameters defensively: a missing key, a wrong kind or an out-of-range value
    /// falls back to the default or clamps.
    pub fn from_params(params: &Params) -> Self {
        let slo = number(params, "slo");
        Self {
            // Rounded to whole ppb so 100 − 99.9 = 0.09999999999999432 becomes exactly 10^6.
            allowed_ppb: ((100.0 - slo) * 1e7).round().max(1.0) as u64,
            window_minutes: number(params, "days").round() as u64 * MINUTES_PER_DAY,
            requests_per_second: number(params, "rate").round() as u64,
            baseline_ppb: percent_to_ppb(number(params, "base")),
        }
    }

    /// The SLO as a percentage (for text).
    pub fn slo_percent(&self) -> f64 {
        100.0 - self.allowed_ppb as f64 / 1e7
    }

    /// The whole budget in "minutes of total outage": window × allowed error share.
    pub fn budget_minutes(&self) -> f64 {
        self.window_minutes as f64 * self.allowed_ppb as f64 / PPB as f64
    }

    /// The whole budget in failed requests.
    pub fn budget_requests(&self) -> f64 {
        self.budget_minutes() * 60.0 * self.requests_per_second as f64
    }

    /// The burn rate a given error share means: `error / allowed`.
    pub fn burn_rate(&self, error_ppb: u64) -> f64 {
        error_ppb as f64 / self.allowed_ppb as f64
    }
}

fn number(params: &Params, key: &str) -> f64 {
    params.number_in(SLO_PARAMS, key)
}

/// A percentage (0–100) as parts per billion, clamped.
pub fn percent_to_ppb(percent: f64) -> u64 {
    if !percent.is_finite() {
        return 0;
    }
    (percent.clamp(0.0, 100.0) * 1e7).round() as u64
}

/// Parts per billion as the shortest exact percentage text: 2,000,000 → `0.2`.
pub fn ppb_to_percent_text(ppb: u64) -> String {
    let (whole, fraction) = (ppb / 10_000_000, ppb % 10_000_000);
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:07}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// An incident: from the tick it is injected at, `error_ppb` of requests fail for `minutes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncidentSpec {
    pub minutes: u64,
    pub error_ppb: u64,
}

/// The longest incident: the longest window.
pub const MAX_INCIDENT_MINUTES: u64 = MAX_WINDOW_DAYS * MINUTES_PER_DAY;

/// What the reader does to the running system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Errors start now, for a while (clamped to 1 minute – 90 days and 0–100%).
    Inject(IncidentSpec),
    /// Every incident still going ends now: the fix has landed.
    Resolve,
}

impl Action {
    /// Compact text for the URL: `i20:100` is 20 minutes at 100% errors; `r` resolves.
    pub fn encode(&self) -> String {
        match self {
            Action::Inject(spec) => format!("i{}:{}", spec.minutes, ppb_to_percent_text(spec.error_ppb)),
            Action::Resolve => "r".to_string(),
        }
    }

    /// Reads what `encode` wrote; anything else (or out of range) is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        if text == "r" {
            return Some(Action::Resolve);
        }
        let (minutes, percent) = text.strip_prefix('i')?.split_once(':')?;
        let minutes: u64 = minutes.parse().ok().filter(|minutes| (1..=MAX_INCIDENT_MINUTES).contains(minutes))?;
        let percent: f64 = percent.parse().ok().filter(|percent: &f64| percent.is_finite() && (0.0..=100.0).contains(percent))?;
        Some(Action::Inject(IncidentSpec { minutes, error_ppb: percent_to_ppb(percent) }))
    }
}

/// Ready-made incident timelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    ShortOutage,
    SlowBurn,
    BriefSpike,
    ElevatedWeek,
}

impl Preset {
    pub const ALL: [Preset; 4] = [Preset::ShortOutage, Preset::SlowBurn, Preset::BriefSpike, Preset::ElevatedWeek];

    pub fn label(self) -> &'static str {
        match self {
            Preset::ShortOutage => "A short total outage: 100% errors for 20 minutes",
            Preset::SlowBurn => "A slow burn: 0.2% errors for 5 days",
            Preset::BriefSpike => "A brief spike: 5% errors for 10 minutes",
            Preset::ElevatedWeek => "A week of elevated errors: 0.5% for 7 days",
        }
    }

    /// `(start minute, incident)` pairs, in a 30-day window. A shorter window starts them at a
    /// quarter of its length at the latest, so something always happens.
    pub fn incidents(self, window_minutes: u64) -> Vec<(u64, IncidentSpec)> {
        let (start, minutes, error_ppb) = match self {
            Preset::ShortOutage => (MINUTES_PER_DAY + 9 * 60, 20, PPB),
            Preset::SlowBurn => (MINUTES_PER_DAY, 5 * MINUTES_PER_DAY, 2_000_000),
            Preset::BriefSpike => (MINUTES_PER_DAY + 9 * 60, 10, 50_000_000),
            Preset::ElevatedWeek => (2 * MINUTES_PER_DAY, 7 * MINUTES_PER_DAY, 5_000_000),
        };
        vec![(start.min(window_minutes / 4), IncidentSpec { minutes, error_ppb })]
    }
}

//! How long a client waits before retrying, exactly as in Marc Brooker's "Exponential Backoff
//! And Jitter" (AWS Architecture Blog, March 2015). `retry` counts retries from 0, so the first
//! retry of an exponential client waits `base`, the second `2·base`, and so on.

/// A retry schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// Retry at once (on the next tick).
    Immediate,
    /// `min(cap, base · 2^retry)`.
    Exponential,
    /// `random_between(0, min(cap, base · 2^retry))`.
    FullJitter,
    /// `min(cap, random_between(base, previous · 3))`, starting from `previous = base`.
    DecorrelatedJitter,
}

impl Strategy {
    pub const ALL: [Strategy; 4] = [Strategy::Immediate, Strategy::Exponential, Strategy::FullJitter, Strategy::DecorrelatedJitter];

    pub fn label(self) -> &'static str {
        match self {
            Strategy::Immediate => "Immediate",
            Strategy::Exponential => "Exponential backoff",
            Strategy::FullJitter => "Full jitter",
            Strategy::DecorrelatedJitter => "Decorrelated jitter",
        }
    }

    /// The wait before retry number `retry` (0 for the first), in ms. `previous_ms` is the last
    /// wait (decorrelated jitter grows from it; pass `base_ms` before the first retry) and `draw`
    /// a uniform number in [0, 1). Never negative, never above `cap_ms`.
    pub fn delay_ms(self, retry: u32, previous_ms: f64, draw: f64, base_ms: f64, cap_ms: f64) -> f64 {
        let (base, cap) = (base_ms.max(0.0), cap_ms.max(0.0));
        let draw = if draw.is_finite() { draw.clamp(0.0, 1.0) } else { 0.0 };
        let exponential = || (base * 2f64.powi(retry.min(62) as i32)).min(cap);
        let between = |low: f64, high: f64| low + draw * (high - low);
        match self {
            Strategy::Immediate => 0.0,
            Strategy::Exponential => exponential(),
            Strategy::FullJitter => between(0.0, exponential()),
            Strategy::DecorrelatedJitter => between(base, previous_ms.max(base) * 3.0).min(cap),
        }
    }

    /// Whether the wait needs a random draw (so the others leave the random stream alone).
    pub fn is_random(self) -> bool {
        matches!(self, Strategy::FullJitter | Strategy::DecorrelatedJitter)
    }
}

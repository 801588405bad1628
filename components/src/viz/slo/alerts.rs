//! Multi-window, multi-burn-rate alerts as the Google SRE workbook (chapter 5, "Alerting on
//! SLOs", 2018) recommends for a 30-day SLO: each rule fires while the burn rate over its long
//! window AND over its short window are both above its threshold. The long window makes the
//! alert significant (a real share of the budget is gone); the short one makes it reset soon
//! after the errors stop.

/// How urgent a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Page,
    Ticket,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Page => "page",
            Severity::Ticket => "ticket",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertRule {
    pub severity: Severity,
    /// The threshold in tenths, so comparisons stay in whole numbers: 144 is 14.4×.
    pub burn_rate_tenths: u64,
    pub long_minutes: u64,
    pub short_minutes: u64,
}

/// The workbook's three rules.
pub const RULES: [AlertRule; 3] = [
    AlertRule { severity: Severity::Page, burn_rate_tenths: 144, long_minutes: 60, short_minutes: 5 },
    AlertRule { severity: Severity::Page, burn_rate_tenths: 60, long_minutes: 360, short_minutes: 30 },
    AlertRule { severity: Severity::Ticket, burn_rate_tenths: 10, long_minutes: 3 * 1440, short_minutes: 360 },
];

/// The distinct window lengths the rules use, shortest first; `WindowSums` keeps one sum each.
pub const WINDOW_MINUTES: [u64; 5] = [5, 30, 60, 360, 3 * 1440];

impl AlertRule {
    pub fn burn_rate(&self) -> f64 {
        self.burn_rate_tenths as f64 / 10.0
    }

    /// "Page: 14.4× over 1 h and 5 min".
    pub fn describe(&self) -> String {
        format!(
            "{}: {}× over {} and {}",
            self.severity.label(),
            super::format_rate(self.burn_rate()),
            super::format_minutes(self.long_minutes),
            super::format_minutes(self.short_minutes)
        )
    }

    /// The share of a window's budget this rule's long window burns at exactly its threshold:
    /// 2% for the first rule over 30 days.
    pub fn budget_share(&self, window_minutes: u64) -> f64 {
        self.burn_rate() * self.long_minutes as f64 / window_minutes.max(1) as f64
    }

    /// Whether a window of `minutes` holding `sum_ppb` error-minutes burns faster than the
    /// threshold: `sum / (minutes × allowed) > threshold`, in integers.
    pub(super) fn exceeded(&self, sum_ppb: u64, minutes: u64, allowed_ppb: u64) -> bool {
        u128::from(sum_ppb) * 10 > u128::from(self.burn_rate_tenths) * u128::from(minutes) * u128::from(allowed_ppb)
    }
}

/// The last few window lengths' error sums (error share × minutes, in ppb), kept by adding
/// each new minute and subtracting the one that leaves: O(1) per window per tick. The minute
/// that leaves is recomputed from the incidents rather than stored, which is exact because
/// past minutes never change, and keeps each timeline keyframe a few hundred bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WindowSums {
    pub sums: [u64; WINDOW_MINUTES.len()],
}

impl WindowSums {
    /// Before the window starts the service ran at its baseline, so every window starts full
    /// of baseline minutes rather than empty (an empty window would read as zero errors).
    pub fn new(baseline_ppb: u64) -> Self {
        Self { sums: WINDOW_MINUTES.map(|minutes| minutes * baseline_ppb) }
    }

    /// Adds minute `now`'s errors; `error_at(m)` gives any earlier minute's.
    pub fn push(&mut self, now: u64, error_ppb: u64, error_at: impl Fn(i64) -> u64) {
        for (sum, minutes) in self.sums.iter_mut().zip(WINDOW_MINUTES) {
            let leaving = error_at(now as i64 - minutes as i64);
            *sum = (*sum + error_ppb).saturating_sub(leaving);
        }
    }

    pub fn sum(&self, minutes: u64) -> u64 {
        WINDOW_MINUTES.iter().position(|&length| length == minutes).map_or(0, |index| self.sums[index])
    }
}

/// One time a rule fired.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Firing {
    /// The minute it fired.
    pub at: u64,
    /// The minute it stopped firing, if it has.
    pub until: Option<u64>,
    /// The incident that burned most of the budget in the rule's long window, by index.
    pub incident: Option<usize>,
    /// Minutes from that incident's start to the alert.
    pub delay_minutes: Option<u64>,
    /// The share of the whole budget spent when it fired (above 1 when overspent).
    pub budget_spent: f64,
}

/// At most this many firings are kept per rule (the first ones), bounding the state.
pub const MAX_FIRINGS: usize = 20;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlertState {
    pub firing: bool,
    pub firings: Vec<Firing>,
    /// Firings beyond `MAX_FIRINGS`, counted only.
    pub more_firings: u32,
}

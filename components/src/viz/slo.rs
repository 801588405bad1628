//! SLO and error budget: an SLO target and window give an error budget; incidents (injected
//! error rates) burn it, and the Google SRE workbook's multi-window, multi-burn-rate alerts
//! watch the burn. The model shows the budget remaining over time, which alert fires when, how
//! long after the incident began, and how much budget was gone by then.
//!
//! Time moves in ticks of one minute; a 30-day window is 43,200 ticks. The load is steady, so
//! every quantity is a share of requests: a minute at 100% errors spends one "minute of total
//! outage", and the whole budget is `window × (1 − SLO)` such minutes (43.2 at 99.9% over 30
//! days). Shares are kept as whole parts per billion, so sums never drift and thresholds are
//! compared exactly.
//!
//! For the view: drive it with `Timeline<Slo>` (parameters `SLO_PARAMS`, limit
//! `TIMELINE_LIMIT`, actions `Action`); draw `budget_points()` and `burn_points(window)` (exact
//! lines, a point wherever they bend), `incidents()` for the incident timeline, `alerts()` for
//! the table, and `narrate()` for the live region. `schedule` rebuilds a run with actions placed
//! anywhere in time (the reader's form, a `Preset`) without dropping the others.
//!
//! Model choices worth knowing:
//! - An incident starts at the tick its action is applied and covers the minutes after it.
//!   Overlapping causes fail requests independently: `1 − (1 − baseline) Π (1 − incident)`.
//! - Before the window starts the service ran at its baseline error rate, so the alert
//!   windows start full of baseline minutes.
//! - The budget is for one window from its start (a calendar window); after the window ends
//!   the clock stops.
//! - The alert thresholds are the workbook's for a 30-day window; with another window they
//!   stay the same and the table shows the budget each one lets go.

mod alerts;
mod controls;
mod history;
mod narration;
pub mod schedule;
#[cfg(test)]
mod tests;
pub mod poster;
pub mod stage;

use crate::sim::{Params, Simulation};

pub use alerts::{AlertRule, AlertState, Firing, Severity, MAX_FIRINGS, RULES, WINDOW_MINUTES};
use alerts::WindowSums;
pub use controls::{percent_to_ppb, ppb_to_percent_text, Action, Config, IncidentSpec, Preset, MAX_INCIDENT_MINUTES, SLO_PARAMS};
pub use narration::{format_clock, format_minutes, format_rate, format_share};
use narration::Event;

pub const MINUTES_PER_DAY: u64 = 1_440;
pub const MAX_WINDOW_DAYS: u64 = 90;
/// The timeline's limit: the longest window. A shorter window finishes earlier.
pub const TIMELINE_LIMIT: u64 = MAX_WINDOW_DAYS * MINUTES_PER_DAY;
/// Shares are kept in parts per billion.
pub const PPB: u64 = 1_000_000_000;
/// The most incidents one run holds (more are refused, and the narration says so).
pub const MAX_INCIDENTS: usize = 20;

/// An incident as it happened: it covers the minutes `start + 1 ..= start + minutes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incident {
    pub start: u64,
    pub minutes: u64,
    pub error_ppb: u64,
}

impl Incident {
    pub fn end(&self) -> u64 {
        self.start + self.minutes
    }

    fn covers(&self, minute: u64) -> bool {
        minute > self.start && minute <= self.end()
    }
}

/// One alert rule as the view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertView<'a> {
    pub rule: AlertRule,
    pub state: &'a AlertState,
    /// The burn rates over the rule's windows now.
    pub long_burn: f64,
    pub short_burn: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Slo {
    config: Config,
    tick: u64,
    incidents: Vec<Incident>,
    sums: WindowSums,
    /// Error-minutes spent since the window began, in ppb (one minute at 100% is 10^9).
    spent_ppb: u64,
    last_error_ppb: u64,
    alerts: [AlertState; RULES.len()],
    last_event: Option<(u64, Event)>,
}

impl Slo {
    fn build(params: &Params) -> Self {
        let config = Config::from_params(params);
        Self {
            config,
            tick: 0,
            incidents: Vec::new(),
            sums: WindowSums::new(config.baseline_ppb),
            spent_ppb: 0,
            last_error_ppb: config.baseline_ppb,
            alerts: Default::default(),
            last_event: None,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Every incident injected so far, in order.
    pub fn incidents(&self) -> &[Incident] {
        &self.incidents
    }

    /// The error share in minute `minute` (1 is the window's first minute; earlier is baseline).
    pub fn error_ppb_at(&self, minute: i64) -> u64 {
        error_ppb_at(&self.incidents, self.config.baseline_ppb, minute)
    }

    /// The error share of the last minute, in ppb.
    pub fn error_ppb_now(&self) -> u64 {
        self.last_error_ppb
    }

    /// The burn rate of the last minute: the error share over the allowed share.
    pub fn burn_rate_now(&self) -> f64 {
        self.config.burn_rate(self.last_error_ppb)
    }

    /// The burn rate over one of `WINDOW_MINUTES` ending now (0 for other lengths).
    pub fn burn_rate(&self, window_minutes: u64) -> f64 {
        self.sums.sum(window_minutes) as f64 / (window_minutes.max(1) as f64 * self.config.allowed_ppb as f64)
    }

    pub(crate) fn budget_ppb(&self) -> u64 {
        self.config.window_minutes * self.config.allowed_ppb
    }

    /// The share of the whole budget spent; above 1 when overspent.
    pub fn budget_spent(&self) -> f64 {
        self.spent_ppb as f64 / self.budget_ppb() as f64
    }

    /// The share of the budget left: `1 − spent`, negative when overspent.
    pub fn budget_remaining(&self) -> f64 {
        1.0 - self.budget_spent()
    }

    /// Minutes of total outage the budget still allows (negative when overspent).
    pub fn budget_remaining_minutes(&self) -> f64 {
        (self.budget_ppb() as f64 - self.spent_ppb as f64) / PPB as f64
    }

    /// Failed requests so far.
    pub fn failed_requests(&self) -> f64 {
        self.spent_ppb as f64 / PPB as f64 * 60.0 * self.config.requests_per_second as f64
    }

    /// Each rule with its state and current burn rates.
    pub fn alerts(&self) -> impl Iterator<Item = AlertView<'_>> + '_ {
        RULES.iter().zip(&self.alerts).map(|(rule, state)| AlertView {
            rule: *rule,
            state,
            long_burn: self.burn_rate(rule.long_minutes),
            short_burn: self.burn_rate(rule.short_minutes),
        })
    }

    fn check_alerts(&mut self) {
        let now = self.tick;
        for (index, rule) in RULES.iter().enumerate() {
            let allowed = self.config.allowed_ppb;
            let firing = rule.exceeded(self.sums.sum(rule.long_minutes), rule.long_minutes, allowed)
                && rule.exceeded(self.sums.sum(rule.short_minutes), rule.short_minutes, allowed);
            let was_firing = self.alerts[index].firing;
            if firing && !was_firing {
                let incident = self.main_incident(now, rule.long_minutes);
                let firing_record = Firing {
                    at: now,
                    until: None,
                    incident,
                    delay_minutes: incident.and_then(|index| self.incidents.get(index)).map(|incident| now - incident.start),
                    budget_spent: self.budget_spent(),
                };
                let state = &mut self.alerts[index];
                if state.firings.len() < MAX_FIRINGS {
                    state.firings.push(firing_record);
                } else {
                    state.more_firings += 1;
                }
                self.last_event = Some((now, Event::Fired(index)));
            } else if !firing && was_firing {
                if let Some(last) = self.alerts[index].firings.last_mut().filter(|last| last.until.is_none()) {
                    last.until = Some(now);
                }
                self.last_event = Some((now, Event::Stopped(index)));
            }
            self.alerts[index].firing = firing;
        }
    }

    /// The incident that put the most errors into the `window` minutes ending at `now`.
    fn main_incident(&self, now: u64, window: u64) -> Option<usize> {
        let from = now.saturating_sub(window);
        let mut best: Option<(usize, u128)> = None;
        for (index, incident) in self.incidents.iter().enumerate() {
            let overlap = incident.end().min(now).saturating_sub(incident.start.max(from));
            let errors = u128::from(overlap) * u128::from(incident.error_ppb);
            if errors > 0 && best.is_none_or(|(_, most)| errors >= most) {
                best = Some((index, errors));
            }
        }
        best.map(|(index, _)| index)
    }
}

/// `1 − (1 − baseline) Π (1 − incident)` over the incidents covering `minute`, in ppb. The same
/// inputs always give the same integer, which is what lets `WindowSums` subtract old minutes.
fn error_ppb_at(incidents: &[Incident], baseline_ppb: u64, minute: i64) -> u64 {
    let Ok(minute) = u64::try_from(minute) else { return baseline_ppb };
    let mut active = incidents.iter().filter(|incident| minute > 0 && incident.covers(minute)).peekable();
    if active.peek().is_none() {
        return baseline_ppb;
    }
    let share = |ppb: u64| ppb.min(PPB) as f64 / PPB as f64;
    let succeeding = active.fold(1.0 - share(baseline_ppb), |ok, incident| ok * (1.0 - share(incident.error_ppb)));
    ((1.0 - succeeding) * PPB as f64).round().clamp(0.0, PPB as f64) as u64
}

impl Simulation for Slo {
    type Action = Action;
    const SEEDED: bool = false;

    /// The model has no randomness: the seed is ignored.
    fn new(params: &Params, _seed: u64) -> Self {
        Self::build(params)
    }

    fn step(&mut self) {
        self.tick += 1;
        if self.tick > self.config.window_minutes {
            return;
        }
        let now = self.tick;
        let error = self.error_ppb_at(now as i64);
        let (incidents, baseline) = (&self.incidents, self.config.baseline_ppb);
        self.sums.push(now, error, |minute| error_ppb_at(incidents, baseline, minute));
        let budget = self.budget_ppb();
        let was_within = self.spent_ppb <= budget;
        self.spent_ppb += error;
        self.last_error_ppb = error;
        if was_within && self.spent_ppb > budget {
            self.last_event = Some((now, Event::Exhausted));
        }
        self.check_alerts();
    }

    fn apply(&mut self, action: &Action) {
        let now = self.tick;
        let event = match *action {
            Action::Inject(spec) if self.incidents.len() >= MAX_INCIDENTS => Event::Refused(spec),
            Action::Inject(spec) => {
                let spec = IncidentSpec { minutes: spec.minutes.clamp(1, MAX_INCIDENT_MINUTES), error_ppb: spec.error_ppb.min(PPB) };
                self.incidents.push(Incident { start: now, minutes: spec.minutes, error_ppb: spec.error_ppb });
                Event::Injected(spec)
            }
            Action::Resolve => {
                let mut ended = 0;
                for incident in self.incidents.iter_mut().filter(|incident| incident.end() > now) {
                    // Only minutes after now change: the past stays as it was.
                    incident.minutes = now.saturating_sub(incident.start);
                    ended += 1;
                }
                Event::Resolved(ended)
            }
        };
        self.last_event = Some((now, event));
    }

    fn tick(&self) -> u64 {
        self.tick
    }

    fn narrate(&self) -> String {
        narration::sentence(self)
    }

    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }

    fn finished(&self) -> bool {
        self.tick >= self.config.window_minutes
    }
}

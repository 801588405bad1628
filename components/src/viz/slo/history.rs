//! The run so far as exact lines for the charts. The error share only changes where an
//! incident starts or ends, so cumulative errors are piecewise linear between those minutes;
//! the budget and every windowed burn rate are then straight between a handful of known
//! minutes. A chart of a month costs a few dozen points, all exact.

use super::Slo;

/// Cumulative error-minutes (ppb) from the window's start, as a function of the minute.
pub(super) struct Cumulative {
    /// Minutes where the error share may change, sorted, from 0 to now.
    breaks: Vec<u64>,
    /// Cumulative errors at each break.
    totals: Vec<u128>,
    /// The error share in the minutes after each break, up to the next.
    shares: Vec<u64>,
    baseline_ppb: u64,
}

impl Cumulative {
    pub fn new(slo: &Slo) -> Self {
        let now = slo.tick.min(slo.config.window_minutes);
        let mut breaks = vec![0, now];
        for incident in &slo.incidents {
            breaks.extend([incident.start.min(now), incident.end().min(now)]);
        }
        breaks.sort_unstable();
        breaks.dedup();
        let mut totals = vec![0u128];
        let mut shares = Vec::with_capacity(breaks.len());
        for pair in breaks.windows(2) {
            // Every minute in (from, to] has the same share, so the last one stands for all.
            let share = slo.error_ppb_at(pair[1] as i64);
            shares.push(share);
            let last = totals.last().copied().unwrap_or(0);
            totals.push(last + u128::from(share) * u128::from(pair[1] - pair[0]));
        }
        shares.push(slo.config.baseline_ppb);
        Self { breaks, totals, shares, baseline_ppb: slo.config.baseline_ppb }
    }

    pub fn breaks(&self) -> &[u64] {
        &self.breaks
    }

    fn now(&self) -> u64 {
        self.breaks.last().copied().unwrap_or(0)
    }

    /// Errors in minutes `1..=minute`; negative before the start (baseline minutes), and
    /// flat after now.
    pub fn at(&self, minute: i64) -> i128 {
        if minute <= 0 {
            return i128::from(minute) * i128::from(self.baseline_ppb);
        }
        let minute = (minute as u64).min(self.now());
        let index = self.breaks.partition_point(|&at| at <= minute).saturating_sub(1);
        let (from, total) = (self.breaks[index], self.totals[index]);
        (total + u128::from(self.shares[index]) * u128::from(minute - from)) as i128
    }
}

impl Slo {
    /// `(minute, budget remaining)` from the start to now, exact: a point wherever the rate
    /// of spending changes, straight lines between.
    pub fn budget_points(&self) -> Vec<(u64, f64)> {
        let cumulative = Cumulative::new(self);
        let budget = self.budget_ppb() as f64;
        cumulative.breaks().iter().map(|&minute| (minute, 1.0 - cumulative.at(minute as i64) as f64 / budget)).collect()
    }

    /// `(minute, burn rate over the trailing window)` from the start to now, exact. The burn
    /// bends where an incident boundary enters the window and again where it leaves it.
    pub fn burn_points(&self, window_minutes: u64) -> Vec<(u64, f64)> {
        let window = window_minutes.max(1);
        let cumulative = Cumulative::new(self);
        let now = cumulative.now();
        let mut minutes: Vec<u64> = cumulative.breaks().iter().flat_map(|&at| [at, at + window]).filter(|&at| at <= now).collect();
        minutes.sort_unstable();
        minutes.dedup();
        let scale = window as f64 * self.config.allowed_ppb as f64;
        minutes
            .into_iter()
            .map(|minute| {
                let errors = cumulative.at(minute as i64) - cumulative.at(minute as i64 - window as i64);
                (minute, errors as f64 / scale)
            })
            .collect()
    }
}

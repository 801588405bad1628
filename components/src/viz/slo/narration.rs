//! The words: the live region's sentence, and the time and number formats the view shares.
//! Nothing here prints NaN or infinity.

use super::{IncidentSpec, Slo, MINUTES_PER_DAY, RULES};
use super::controls::ppb_to_percent_text;

/// Something worth saying, with the minute it happened kept beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Event {
    Injected(IncidentSpec),
    Refused(IncidentSpec),
    Resolved(usize),
    /// A rule (by index into `RULES`) started firing.
    Fired(usize),
    Stopped(usize),
    Exhausted,
}

pub(super) fn sentence(slo: &Slo) -> String {
    let status = status(slo);
    match slo.last_event {
        None => format!("{}. {status}", format_clock(slo.tick)),
        Some((at, event)) => format!("{}: {}. {status}", format_clock(at), describe(slo, event)),
    }
}

fn describe(slo: &Slo, event: Event) -> String {
    match event {
        Event::Injected(spec) => format!(
            "{}% errors start, for {} ({}× the allowed rate)",
            ppb_to_percent_text(spec.error_ppb),
            format_minutes(spec.minutes),
            format_rate(slo.config.burn_rate(spec.error_ppb))
        ),
        Event::Refused(_) => format!("no room for another incident (at most {})", super::MAX_INCIDENTS),
        Event::Resolved(0) => "nothing was going on to resolve".to_string(),
        Event::Resolved(count) => format!("resolved {count} incident{}", if count == 1 { "" } else { "s" }),
        Event::Fired(index) => {
            let rule = &RULES[index];
            let spent = slo.alerts[index].firings.last().map_or(String::new(), |firing| format!(", {} of the budget spent", format_share(firing.budget_spent)));
            format!("the {} fired{spent}", rule.describe())
        }
        Event::Stopped(index) => format!("the {} stopped firing", RULES[index].describe()),
        Event::Exhausted => "the error budget is used up".to_string(),
    }
}

fn status(slo: &Slo) -> String {
    let remaining = slo.budget_remaining();
    let budget = if remaining < 0.0 { format!("budget overspent by {}", format_share(-remaining)) } else { format!("{} of the budget left", format_share(remaining)) };
    format!("Errors {}% ({}× burn); {budget}.", ppb_to_percent_text(slo.last_error_ppb), format_rate(slo.burn_rate_now()))
}

/// Elapsed time as a clock: `day 2, 09:14` (day 1 starts the window).
pub fn format_clock(minute: u64) -> String {
    let day = minute / MINUTES_PER_DAY + 1;
    let in_day = minute % MINUTES_PER_DAY;
    format!("day {day}, {:02}:{:02}", in_day / 60, in_day % 60)
}

/// A length of time: `5 min`, `1 h`, `36 h 1 min`, `3 days`, `7 days 2 h`.
pub fn format_minutes(minutes: u64) -> String {
    let (days, hours, rest) = (minutes / MINUTES_PER_DAY, minutes % MINUTES_PER_DAY / 60, minutes % 60);
    let mut parts = Vec::new();
    if days > 0 && (days >= 3 || hours == 0) {
        parts.push(format!("{days} day{}", if days == 1 { "" } else { "s" }));
        if hours > 0 {
            parts.push(format!("{hours} h"));
        }
    } else if days > 0 || hours > 0 {
        parts.push(format!("{} h", days * 24 + hours));
    }
    if rest > 0 || parts.is_empty() {
        parts.push(format!("{rest} min"));
    }
    parts.join(" ")
}

/// A burn rate or multiple: `14.4`, `1000`, `0.25`, at most two decimals.
pub fn format_rate(rate: f64) -> String {
    if !rate.is_finite() {
        return "—".to_string();
    }
    let text = format!("{rate:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A share as a percentage to one decimal: `54.2%` (`—` for a non-number).
pub fn format_share(share: f64) -> String {
    if !share.is_finite() {
        return "—".to_string();
    }
    format!("{:.1}%", share * 100.0 + 0.0)
}

//! Turning nanoseconds and human-scale seconds into words, and placing them on a log axis.
//! Every function here answers something readable for any input, NaN and infinity included.

use crate::sim::number::group_thousands;

const MINUTE: f64 = 60.0;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;
/// A Julian year, so that months and years agree (12 months = 1 year).
const YEAR: f64 = 365.25 * DAY;
const MONTH: f64 = YEAR / 12.0;

/// One decimal below 10 ("4.3"), whole numbers with thousands separators above ("1,570").
/// The decimal is dropped when it is zero ("2", not "2.0"); below 1, two decimals ("0.25").
pub(crate) fn round_for_reading(value: f64) -> String {
    if value < 0.995 {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else if value < 9.95 {
        let text = format!("{value:.1}");
        text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
    } else {
        grouped_below_1e15(value.round())
    }
}

/// A duration in the largest unit that keeps it at least 1: "0.5 ns", "17 µs", "1.6 ms", "1 s".
pub fn format_duration(nanos: f64) -> String {
    if !nanos.is_finite() || nanos < 0.0 {
        return "—".to_string();
    }
    let (value, unit) = if nanos < 999.5 {
        (nanos, "ns")
    } else if nanos < 999_500.0 {
        (nanos / 1e3, "µs")
    } else if nanos < 999_500_000.0 {
        (nanos / 1e6, "ms")
    } else {
        (nanos / 1e9, "s")
    };
    format!("{} {unit}", round_for_reading(value))
}

/// Seconds in the largest calendar unit that keeps the number at least 1: "50 seconds",
/// "3.3 minutes", "12 days", "7.6 months", "9.5 years".
pub fn format_human(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "—".to_string();
    }
    let (value, unit) = if seconds < MINUTE {
        (seconds, "second")
    } else if seconds < HOUR {
        (seconds / MINUTE, "minute")
    } else if seconds < DAY {
        (seconds / HOUR, "hour")
    } else if seconds < MONTH {
        (seconds / DAY, "day")
    } else if seconds < YEAR {
        (seconds / MONTH, "month")
    } else {
        (seconds / YEAR, "year")
    };
    let number = round_for_reading(value);
    let plural = if number == "1" { "" } else { "s" };
    format!("{number} {unit}{plural}")
}

/// How `now` compares with `then` (both in ns): "3.3× faster than in 2012", "2× slower than
/// in 2012", or "about the same as in 2012" within 10%.
pub fn format_ratio(now: f64, then: f64, then_year: u16) -> String {
    if !(now.is_finite() && then.is_finite() && now > 0.0 && then > 0.0) {
        return String::new();
    }
    let ratio = then / now;
    if (1.0 / 1.1..=1.1).contains(&ratio) {
        format!("about the same as in {then_year}")
    } else if ratio > 1.0 {
        format!("{}× faster than in {then_year}", round_for_reading(ratio))
    } else {
        format!("{}× slower than in {then_year}", round_for_reading(1.0 / ratio))
    }
}

/// A base-10 logarithmic axis spanning whole decades of nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogAxis {
    /// The axis starts at 10^`low` ns …
    pub low: i32,
    /// … and ends at 10^`high` ns.
    pub high: i32,
}

impl LogAxis {
    /// The whole decades that contain every value in `shortest..=longest`.
    pub fn covering(shortest: f64, longest: f64) -> LogAxis {
        let decade = |value: f64, round: fn(f64) -> f64, fallback: i32| {
            if value.is_finite() && value > 0.0 {
                (round(value.log10()) as i32).clamp(-3, 12)
            } else {
                fallback
            }
        };
        let low = decade(shortest, f64::floor, 0);
        let high = decade(longest, f64::ceil, 9).max(low + 1);
        LogAxis { low, high }
    }

    /// Where `nanos` sits between the ends, from 0 to 1 (clamped; 0 for nonsense).
    pub fn fraction(&self, nanos: f64) -> f64 {
        if !(nanos.is_finite() && nanos > 0.0) {
            return 0.0;
        }
        ((nanos.log10() - f64::from(self.low)) / f64::from(self.high - self.low)).clamp(0.0, 1.0)
    }

    /// A tick at every decade, labelled in ns, µs, ms or s.
    pub fn ticks(&self) -> Vec<(f64, String)> {
        (self.low..=self.high).map(|exponent| 10f64.powi(exponent)).map(|nanos| (nanos, format_duration(nanos))).collect()
    }
}

/// Latency tables switch to scientific notation from 10^15, earlier than the shared helper.
fn grouped_below_1e15(whole: f64) -> String {
    if whole >= 1e15 {
        format!("{whole:.3e}")
    } else {
        group_thousands(whole)
    }
}

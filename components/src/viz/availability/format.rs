//! Numbers as the reader sees them: percentages with the digits that matter, nines, and
//! durations in the unit that reads best. Nothing here ever prints NaN or infinity.

use super::Availability;

/// Significant digits of the downtime share shown after the run of nines: 99.8001%, 99.9999%.
const DOWNTIME_DIGITS: i32 = 4;
const MAX_DECIMALS: i32 = 12;

/// The availability as a percentage, with enough decimals to show four significant digits of
/// the downtime (trailing zeros dropped): `99.8001%`, `99.99667%`, `50%`, `100%`.
pub fn format_percent(availability: Availability) -> String {
    let down_percent = availability.down * 100.0;
    if !down_percent.is_finite() || !availability.up.is_finite() {
        return "—".to_string();
    }
    if down_percent <= 0.0 {
        return "100%".to_string();
    }
    let first_digit = down_percent.log10().floor() as i32;
    let decimals = (DOWNTIME_DIGITS - 1 - first_digit).clamp(0, MAX_DECIMALS);
    let shown = format!("{:.*}", decimals as usize, 100.0 - down_percent);
    let shown = if shown.contains('.') { shown.trim_end_matches('0').trim_end_matches('.') } else { &shown };
    if shown == "100" {
        // Rounded up to 100 though some downtime remains: say so rather than claim perfection.
        return format!("> 99.{}%", "9".repeat(MAX_DECIMALS as usize));
    }
    format!("{shown}%")
}

/// The number of nines to one decimal (`+ 0.0` turns −0 into 0) (`3.3` for 99.95%), or `∞` when nothing is ever down.
pub fn format_nines(availability: Availability) -> String {
    match availability.nines() {
        Some(nines) if nines.is_finite() => format!("{:.1}", nines.max(0.0) + 0.0),
        _ => "∞".to_string(),
    }
}

/// A duration in the unit that reads best, to two decimals at most: `52.56 min`, `8.64 s`.
pub fn format_duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "—".to_string();
    }
    if seconds == 0.0 {
        return "none".to_string();
    }
    let (value, unit) = if seconds < 1e-6 {
        return "under 1 µs".to_string();
    } else if seconds < 1e-3 {
        (seconds * 1e6, "µs")
    } else if seconds < 1.0 {
        (seconds * 1e3, "ms")
    } else if seconds < 60.0 {
        (seconds, "s")
    } else if seconds < 3_600.0 {
        (seconds / 60.0, "min")
    } else if seconds < 86_400.0 {
        (seconds / 3_600.0, "h")
    } else {
        (seconds / 86_400.0, "days")
    };
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {unit}")
}

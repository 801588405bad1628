//! The registered claims of RFC 7519 §4.1, explained, and the date arithmetic to show
//! NumericDate values as UTC dates (written out here rather than pulling in a date crate).

use crate::viz::json::Json;

/// One registered claim found in the payload, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The claim's name in the payload: `exp`.
    pub name: &'static str,
    /// Its name in words: "Expiration time".
    pub label: &'static str,
    /// The value for a reader: an ISO-8601 UTC date for times, the text for strings, the
    /// audiences joined by ", ".
    pub value_text: String,
    /// The value as it is in the payload (compact JSON): `1300819380`.
    pub raw: String,
    /// For time claims, the distance from now: "in 59 minutes", "3 days ago".
    pub relative: Option<String>,
    /// What the claim is for, in one line.
    pub meaning: &'static str,
    pub status: ClaimStatus,
}

/// Whether a claim lets the token be accepted now.
#[derive(Debug, Clone, PartialEq)]
pub enum ClaimStatus {
    Fine,
    /// `exp` is now or in the past.
    Expired,
    /// `nbf` is still in the future.
    NotYetValid,
    /// `iat` is in the future: a wrong clock at the issuer, or a forged token.
    IssuedInFuture,
    /// The value has the wrong type or an implausible size; says what is wrong.
    Malformed(String),
}

impl ClaimStatus {
    /// A short flag for the view ("expired"), `None` when the claim is fine.
    pub fn flag(&self) -> Option<&'static str> {
        match self {
            ClaimStatus::Fine => None,
            ClaimStatus::Expired => Some("expired"),
            ClaimStatus::NotYetValid => Some("not yet valid"),
            ClaimStatus::IssuedInFuture => Some("issued in the future"),
            ClaimStatus::Malformed(_) => Some("malformed"),
        }
    }
}

/// `(name, label, meaning)` of every registered claim, in the order the view lists them.
const REGISTERED: &[(&str, &str, &str)] = &[
    ("iss", "Issuer", "Who created and signed the token; a verifier accepts only issuers it trusts."),
    ("sub", "Subject", "Whom the token is about, usually a user ID that is unique at the issuer."),
    ("aud", "Audience", "Which services the token is meant for; a service must refuse a token not addressed to it."),
    ("exp", "Expiration time", "The moment from which the token must be refused."),
    ("nbf", "Not before", "The moment before which the token must be refused."),
    ("iat", "Issued at", "When the token was created, which tells how old it is."),
    ("jti", "JWT ID", "A unique ID for this one token, so a server can spot a replay or revoke it."),
];

/// Beyond this many seconds (about the year 5138) a NumericDate is almost certainly a
/// millisecond timestamp written by mistake.
const PLAUSIBLE_SECONDS: f64 = 1e11;

pub(super) fn registered_claims(payload: &Json, now: i64) -> Vec<Claim> {
    REGISTERED
        .iter()
        .filter_map(|&(name, label, meaning)| {
            let value = payload.get(name)?;
            let mut claim = Claim { name, label, value_text: String::new(), raw: value.compact(), relative: None, meaning, status: ClaimStatus::Fine };
            match name {
                "exp" | "nbf" | "iat" => time_claim(&mut claim, value, now),
                "aud" => audience_claim(&mut claim, value),
                _ => text_claim(&mut claim, value),
            }
            Some(claim)
        })
        .collect()
}

fn text_claim(claim: &mut Claim, value: &Json) {
    match value {
        Json::String(text) => claim.value_text = text.clone(),
        other => {
            claim.value_text = claim.raw.clone();
            claim.status = ClaimStatus::Malformed(format!("{} should be a string, but it is {}.", claim.name, other.kind_name()));
        }
    }
}

fn audience_claim(claim: &mut Claim, value: &Json) {
    match value {
        Json::String(text) => claim.value_text = text.clone(),
        Json::Array(items) if !items.is_empty() && items.iter().all(|item| item.as_str().is_some()) => {
            claim.value_text = items.iter().filter_map(Json::as_str).collect::<Vec<_>>().join(", ");
        }
        other => {
            claim.value_text = claim.raw.clone();
            claim.status = ClaimStatus::Malformed(format!("aud should be a string or a non-empty array of strings, but it is {}.", other.kind_name()));
        }
    }
}

fn time_claim(claim: &mut Claim, value: &Json, now: i64) {
    claim.value_text = claim.raw.clone();
    let name = claim.name;
    let Some(seconds) = value.as_f64() else {
        let quoted_number = value.as_str().is_some_and(|text| text.trim().parse::<f64>().is_ok());
        let mut message = format!("{name} should be a number of seconds since 1970-01-01 UTC, but it is {}", value.kind_name());
        if quoted_number {
            message.push_str(" (a number in quotes; many libraries will reject or ignore it)");
        }
        message.push('.');
        claim.status = ClaimStatus::Malformed(message);
        return;
    };
    if !seconds.is_finite() || seconds.abs() >= PLAUSIBLE_SECONDS {
        let mut message = format!("{name} is too far from today to be a date in seconds.");
        if seconds.is_finite() && (seconds / 1000.0).abs() < PLAUSIBLE_SECONDS {
            message = format!(
                "{name} looks like milliseconds: NumericDate counts seconds. Read as milliseconds it would be {}.",
                format_unix_seconds((seconds / 1000.0).floor() as i64)
            );
        }
        claim.status = ClaimStatus::Malformed(message);
        return;
    }
    let whole_seconds = seconds.floor() as i64;
    claim.value_text = format_unix_seconds(whole_seconds);
    let distance = whole_seconds - now;
    claim.relative = Some(match distance {
        0 => "now".to_string(),
        future if future > 0 => format!("in {}", describe_duration(future.unsigned_abs())),
        past => format!("{} ago", describe_duration(past.unsigned_abs())),
    });
    // RFC 7519: the current time must be before exp, and at or after nbf.
    let now = now as f64;
    claim.status = match name {
        "exp" if now >= seconds => ClaimStatus::Expired,
        "nbf" if now < seconds => ClaimStatus::NotYetValid,
        "iat" if seconds > now => ClaimStatus::IssuedInFuture,
        _ => ClaimStatus::Fine,
    };
}

/// Seconds since 1970-01-01T00:00:00Z as an ISO-8601 UTC date: `2023-11-14T22:13:20Z`.
/// Defined for every `i64` (years outside 0–9999 print without padding).
pub fn format_unix_seconds(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    let year_text = if (0..=9999).contains(&year) { format!("{year:04}") } else { year.to_string() };
    format!("{year_text}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// The proleptic Gregorian date `days` after 1970-01-01, as (year, month 1–12, day 1–31).
///
/// Counts from 0000-03-01 so the leap day falls at the end of each year, then splits the day
/// count into 400-year eras (146 097 days each, which repeat exactly), years within the era,
/// and a March-based day of year, from which the month follows by the 153-days-per-5-months
/// pattern of month lengths (31 30 31 30 31).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = i128::from(days) + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097); // 0..=146_096
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // 0..=399
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // 0..=365, from March 1st
    let month_from_march = (5 * day_of_year + 2) / 153; // 0..=11
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i128::from(month <= 2);
    (year as i64, month as u32, day as u32)
}

/// A duration in words, at most two units: "45 seconds", "1 hour 30 minutes", "3 days".
pub fn describe_duration(seconds: u64) -> String {
    const UNITS: [(u64, &str); 5] = [(365 * 86_400, "year"), (86_400, "day"), (3600, "hour"), (60, "minute"), (1, "second")];
    let plural = |count: u64, unit: &str| format!("{count} {unit}{}", if count == 1 { "" } else { "s" });
    for (index, (size, unit)) in UNITS.iter().enumerate() {
        let count = seconds / size;
        if count == 0 {
            continue;
        }
        let mut text = plural(count, unit);
        if let Some((smaller, smaller_unit)) = UNITS.get(index + 1) {
            let rest = seconds % size / smaller;
            if count < 10 && rest > 0 {
                text.push(' ');
                text.push_str(&plural(rest, smaller_unit));
            }
        }
        return text;
    }
    "0 seconds".to_string()
}

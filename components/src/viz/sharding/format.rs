//! Numbers as the tool writes them, in the picture, the narration and beside the stage. Data
//! units are decimal (1 GB = 1,000 MB), as disks and network links count them.

use crate::sim::number::group_thousands;

/// `0 GB`, `350 MB`, `12 GB`, `1,000 GB`, `12.3 TB`, `3.4 PB`.
pub fn data(gb: f64) -> String {
    let gb = if gb.is_finite() { gb.max(0.0) } else { 0.0 };
    if gb == 0.0 {
        "0 GB".to_string()
    } else if gb < 1.0 {
        format!("{} MB", group_thousands((gb * 1000.0).round().max(1.0)))
    } else if gb < 9_999.5 {
        format!("{} GB", group_thousands(gb.round()))
    } else if gb < 999_500.0 {
        format!("{:.1} TB", gb / 1000.0)
    } else {
        format!("{:.1} PB", gb / 1e6)
    }
}

/// A copy's duration: `under 1 s`, `40 s`, `42 min`, `2.1 h`, `3.5 days`.
pub fn duration(seconds: f64) -> String {
    let seconds = if seconds.is_finite() { seconds.max(0.0) } else { 0.0 };
    if seconds == 0.0 {
        "0 s".to_string()
    } else if seconds < 1.0 {
        "under 1 s".to_string()
    } else if seconds < 59.5 {
        format!("{} s", seconds.round())
    } else if seconds < 3_570.0 {
        format!("{} min", (seconds / 60.0).round())
    } else if seconds < 172_800.0 {
        format!("{:.1} h", seconds / 3_600.0)
    } else {
        format!("{:.1} days", seconds / 86_400.0)
    }
}

/// A rate or a count, rounded, with thousands commas: `8,600`.
pub fn whole(value: f64) -> String {
    group_thousands(if value.is_finite() { value.max(0.0).round() } else { 0.0 })
}

/// `1 user`, `2,512 users`.
pub fn users(count: u32) -> String {
    format!("{} user{}", group_thousands(f64::from(count)), if count == 1 { "" } else { "s" })
}

/// A multiple of the fair share: `1.0×`, `3.4×`, `16×`.
pub fn times(ratio: f64) -> String {
    if ratio < 9.95 {
        format!("{ratio:.1}×")
    } else {
        format!("{ratio:.0}×")
    }
}

/// A share in whole percent, `<1%` for a sliver and `0%` for none.
pub fn percent(share: f64) -> String {
    let percent = share * 100.0;
    if percent <= 0.0 || !percent.is_finite() {
        "0%".to_string()
    } else if percent < 0.5 {
        "<1%".to_string()
    } else {
        format!("{percent:.0}%")
    }
}

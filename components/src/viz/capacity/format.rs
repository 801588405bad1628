//! Numbers for reading: counts with thousands separators, bytes in decimal (kB … EB) or binary
//! (KiB … EiB) units, bit rates, and dollars. Anything that is not a finite number reads "—".

use crate::sim::number::group_thousands;

/// Whether byte sizes are shown in powers of 1,000 (kB, MB) or of 1,024 (KiB, MiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ByteUnits {
    #[default]
    Decimal,
    Binary,
}

impl ByteUnits {
    pub fn key(self) -> &'static str {
        match self {
            ByteUnits::Decimal => "decimal",
            ByteUnits::Binary => "binary",
        }
    }

    pub fn from_key(key: &str) -> Option<ByteUnits> {
        match key {
            "decimal" => Some(ByteUnits::Decimal),
            "binary" => Some(ByteUnits::Binary),
            _ => None,
        }
    }
}

const DASH: &str = "—";

/// Whole numbers with separators from 100 up ("11,574"), two decimals at most below
/// ("3.5", "0.25"), so that small rates and ratios stay readable.
pub fn format_count(value: f64) -> String {
    if !value.is_finite() {
        return DASH.to_string();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let magnitude = value.abs();
    if magnitude >= 99.995 {
        return format!("{sign}{}", group_thousands(magnitude.round()));
    }
    let text = format!("{magnitude:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "0" {
        "0".to_string()
    } else {
        format!("{sign}{text}")
    }
}

/// Three significant figures, trailing zeros dropped: "1.23", "12.3", "123", "1.5".
fn three_figures(value: f64) -> String {
    let decimals = if value < 9.995 {
        2
    } else if value < 99.95 {
        1
    } else {
        0
    };
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// "512 B", "45.5 GB", "27.1 TB" (decimal) or "42.4 GiB", "24.7 TiB" (binary).
pub fn format_bytes(bytes: f64, units: ByteUnits) -> String {
    if !bytes.is_finite() || bytes < 0.0 {
        return DASH.to_string();
    }
    let (base, names): (f64, [&str; 7]) = match units {
        ByteUnits::Decimal => (1000.0, ["B", "kB", "MB", "GB", "TB", "PB", "EB"]),
        ByteUnits::Binary => (1024.0, ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]),
    };
    let mut value = bytes;
    let mut index = 0;
    while value >= base && index < names.len() - 1 {
        value /= base;
        index += 1;
    }
    if index == 0 {
        format!("{} B", format_count(value.round()))
    } else if value >= 1000.0 {
        // Only past the largest unit (more than 1,000 EB): keep separators.
        format!("{} {}", format_count(value), names[index])
    } else {
        format!("{} {}", three_figures(value), names[index])
    }
}

/// A network rate from bytes per second, in bits and always decimal, as links are sold:
/// "4.21 Mbit/s", "9.6 Gbit/s".
pub fn format_bits_per_second(bytes_per_second: f64) -> String {
    if !bytes_per_second.is_finite() || bytes_per_second < 0.0 {
        return DASH.to_string();
    }
    let names = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s", "Pbit/s", "Ebit/s"];
    let mut value = bytes_per_second * 8.0;
    let mut index = 0;
    while value >= 1000.0 && index < names.len() - 1 {
        value /= 1000.0;
        index += 1;
    }
    if value >= 1000.0 {
        format!("{} {}", format_count(value), names[index])
    } else {
        format!("{} {}", three_figures(value), names[index])
    }
}

/// Dollars: "$0.023" or "$0.20" for unit prices, "$12.50" below $100, "$2,058" above.
pub fn format_dollars(value: f64) -> String {
    if !value.is_finite() {
        return DASH.to_string();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let magnitude = value.abs();
    if magnitude >= 99.995 {
        format!("{sign}${}", group_thousands(magnitude.round()))
    } else if magnitude >= 1.0 || magnitude == 0.0 {
        format!("{sign}${magnitude:.2}")
    } else {
        // Unit prices keep cents and up to four decimals: "$0.20", "$0.023", "$0.0001".
        let mut text = format!("{magnitude:.4}");
        while text.ends_with('0') && text.len() > "0.00".len() {
            text.pop();
        }
        format!("{sign}${text}")
    }
}

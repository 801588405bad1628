//! How many shards the data and the traffic need, worked out exactly and shown as a formula.
//!
//! A shard is planned to run at most `100% − headroom` full, on disk and in requests, so that
//! uneven spread, growth and a lost shard's share have somewhere to go:
//!
//! `shards = ⌈max(data ÷ (disk × (1 − headroom)), rate ÷ (qps × (1 − headroom)))⌉`
//!
//! Everything is whole numbers (GB, requests/s, percent), so the count is computed in integers,
//! `⌈a ÷ b⌉ = (a + b − 1) div b` with both sides scaled by 100, and no rounding can give a shard
//! too few or too many. The formula assumes the load spreads evenly: the stage shows what skew
//! does to the hottest shard of a cluster sized this way.

use crate::sim::number::group_thousands;

use super::Config;

/// The shard count and the two bounds it is the larger of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizing {
    /// Shards the data needs: `⌈data × 100 ÷ (disk × (100 − headroom))⌉`.
    pub for_data: u64,
    /// Shards the peak rate needs: `⌈rate × 100 ÷ (qps × (100 − headroom))⌉`.
    pub for_rate: u64,
    /// The larger of the two, and at least 1.
    pub shards: u64,
}

/// The usable share of a shard, in percent: never below 10 (headroom is at most 90%).
fn usable_percent(config: &Config) -> u64 {
    100 - u64::from(config.headroom_percent.min(90))
}

fn ceil_div(numerator: u64, denominator: u64) -> u64 {
    numerator.div_ceil(denominator.max(1))
}

impl Sizing {
    pub fn of(config: &Config) -> Self {
        let usable = usable_percent(config);
        let for_data = ceil_div(u64::from(config.data_gb) * 100, u64::from(config.shard_gb) * usable);
        let for_rate = ceil_div(u64::from(config.rate) * 100, u64::from(config.shard_qps) * usable);
        Self { for_data, for_rate, shards: for_data.max(for_rate).max(1) }
    }

    /// What sets the count, in words.
    pub fn bound(&self) -> &'static str {
        match self.for_data.cmp(&self.for_rate) {
            std::cmp::Ordering::Greater => "data",
            std::cmp::Ordering::Less => "throughput",
            std::cmp::Ordering::Equal => "data and throughput alike",
        }
    }

    /// The working, one line each, with the reader's numbers in it:
    ///
    /// ```text
    /// usable share of a shard = 100% − 30% headroom = 70%
    /// for data: ⌈1,000 GB ÷ (500 GB × 70%)⌉ = ⌈2.86⌉ = 3
    /// for throughput: ⌈10,000/s ÷ (4,000/s × 70%)⌉ = ⌈3.57⌉ = 4
    /// shards = max(3, 4) = 4
    /// ```
    pub fn formula(&self, config: &Config) -> [String; 4] {
        let usable = usable_percent(config);
        let number = |value: u32| group_thousands(f64::from(value));
        [
            format!("usable share of a shard = 100% − {}% headroom = {usable}%", config.headroom_percent.min(90)),
            format!(
                "for data: ⌈{} GB ÷ ({} GB × {usable}%)⌉ = ⌈{}⌉ = {}",
                number(config.data_gb),
                number(config.shard_gb),
                quotient(u64::from(config.data_gb) * 100, u64::from(config.shard_gb) * usable),
                group_thousands(self.for_data as f64)
            ),
            format!(
                "for throughput: ⌈{}/s ÷ ({}/s × {usable}%)⌉ = ⌈{}⌉ = {}",
                number(config.rate),
                number(config.shard_qps),
                quotient(u64::from(config.rate) * 100, u64::from(config.shard_qps) * usable),
                group_thousands(self.for_rate as f64)
            ),
            format!("shards = max({}, {}) = {}", group_thousands(self.for_data as f64), group_thousands(self.for_rate as f64), group_thousands(self.shards as f64)),
        ]
    }
}

/// `a ÷ b` for the formula: whole when it divides, else two decimals, or as many more as it
/// takes not to read as a whole number (so `⌈3.0001⌉ = 4` never shows as `⌈3.00⌉ = 4`).
pub fn quotient(numerator: u64, denominator: u64) -> String {
    let denominator = denominator.max(1);
    if numerator % denominator == 0 {
        return group_thousands((numerator / denominator) as f64);
    }
    let value = numerator as f64 / denominator as f64;
    (2..=9).map(|places| format!("{value:.places$}")).find(|text| text.split_once('.').is_some_and(|(_, fraction)| fraction.bytes().any(|digit| digit != b'0'))).unwrap_or_else(|| format!("{value}"))
}

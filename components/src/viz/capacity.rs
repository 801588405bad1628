//! The back-of-envelope capacity planner's model: from a handful of inputs (users, requests,
//! sizes, retention, prices) to QPS, storage, bandwidth, cache, servers and monthly cost, each
//! output carrying the formula that produced it with the numbers filled in.
//!
//! **Assumptions, stated once.** A user makes `actions_per_user` requests a day; a read:write
//! ratio of `R` means that of every `R + 1` requests, `R` are reads and one is a write. Every
//! write stores `write_bytes`; every read returns `read_bytes`. Data is kept `retention_days`
//! and stored `replication` times. The cache holds the most-read share of a day's read volume
//! that serves the hit target, assuming reads follow the 80/20 rule as a power law (the top
//! share `x` of the read volume serves `x^(ln 0.8 / ln 0.2)` of reads, so 20% serves 80%). App
//! servers are sized for peak requests; a month is 30 days; gigabytes are billed as 10⁹ bytes.
//!
//! Everything is a pure function of [`Inputs`]: no I/O, no state, and every input is checked
//! with its [`NumberRule`] before it reaches a formula.

mod exchange;
mod format;
pub mod link;
mod outputs;
mod templates;
#[cfg(test)]
mod tests;
pub mod poster;
pub mod picture;

use crate::sim::number::NumberRule;

pub use exchange::{export_design, import_design};
pub use format::{format_bits_per_second, format_bytes, format_count, format_dollars, ByteUnits};
pub use link::Scenario;
pub use outputs::{outputs, Difference, Output, Plan, Unit};
pub use templates::{Template, TEMPLATES};

/// Seconds in a day: the divisor that turns daily totals into per-second rates.
pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// Days in the month that costs and monthly transfer are counted over.
pub const DAYS_PER_MONTH: f64 = 30.0;

/// Everything one design is sized from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inputs {
    pub daily_active_users: f64,
    pub actions_per_user: f64,
    /// Reads per write: 100 means 100:1.
    pub read_write_ratio: f64,
    /// Peak traffic ÷ average traffic.
    pub peak_factor: f64,
    pub write_bytes: f64,
    pub read_bytes: f64,
    pub retention_days: f64,
    pub replication: f64,
    /// Share of reads the cache should answer, in percent.
    pub cache_hit_percent: f64,
    /// Requests per second one app server handles.
    pub server_qps: f64,
    /// What one cache node holds, in GB (RAM for a key-value cache, SSD for a CDN-style one).
    pub cache_node_gb: f64,
    pub server_dollars_per_month: f64,
    pub cache_node_dollars_per_month: f64,
    pub storage_dollars_per_gb_month: f64,
    pub egress_dollars_per_gb: f64,
}

/// Names one input, for generic code (fields, JSON, the URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKey {
    DailyActiveUsers,
    ActionsPerUser,
    ReadWriteRatio,
    PeakFactor,
    WriteBytes,
    ReadBytes,
    RetentionDays,
    Replication,
    CacheHitPercent,
    ServerQps,
    CacheNodeGb,
    ServerDollarsPerMonth,
    CacheNodeDollarsPerMonth,
    StorageDollarsPerGbMonth,
    EgressDollarsPerGb,
}

/// How one input is labelled, named in JSON and URLs, and validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InputSpec {
    pub key: InputKey,
    /// The name in exported JSON and in the URL (`a.dau`).
    pub id: &'static str,
    pub label: &'static str,
    /// The unit shown after the field.
    pub unit: &'static str,
    pub rule: NumberRule,
}

impl InputSpec {
    const fn new(key: InputKey, id: &'static str, label: &'static str, unit: &'static str, rule: NumberRule) -> Self {
        Self { key, id, label, unit, rule }
    }
}

/// Every input, in the order the form shows them. The limits keep every product finite
/// (the largest output is far below 10³⁰⁸) while allowing any system that exists.
pub const INPUT_SPECS: [InputSpec; 15] = [
    InputSpec::new(InputKey::DailyActiveUsers, "dau", "Daily active users", "users", NumberRule::integer(0.0, 10_000_000_000.0)),
    InputSpec::new(InputKey::ActionsPerUser, "actions", "Requests per user per day", "requests", NumberRule::new(0.0, 100_000.0)),
    InputSpec::new(InputKey::ReadWriteRatio, "read_ratio", "Reads per write (read:write ratio)", ": 1", NumberRule::new(0.0, 1_000_000.0)),
    InputSpec::new(InputKey::PeakFactor, "peak", "Peak ÷ average traffic", "×", NumberRule::new(1.0, 100.0)),
    InputSpec::new(InputKey::WriteBytes, "write_bytes", "Bytes stored per write", "bytes", NumberRule::new(0.0, 1e12)),
    InputSpec::new(InputKey::ReadBytes, "read_bytes", "Bytes returned per read", "bytes", NumberRule::new(0.0, 1e12)),
    InputSpec::new(InputKey::RetentionDays, "retention_days", "Retention", "days", NumberRule::new(0.0, 36_500.0)),
    InputSpec::new(InputKey::Replication, "replication", "Replication factor", "copies", NumberRule::integer(1.0, 10.0)),
    InputSpec::new(InputKey::CacheHitPercent, "cache_hit", "Cache hit target", "%", NumberRule::new(0.0, 100.0)),
    InputSpec::new(InputKey::ServerQps, "server_qps", "Requests one app server handles", "per second", NumberRule::new(1.0, 10_000_000.0)),
    InputSpec::new(InputKey::CacheNodeGb, "cache_node_gb", "Capacity per cache node", "GB", NumberRule::new(0.1, 100_000.0)),
    InputSpec::new(InputKey::ServerDollarsPerMonth, "server_price", "App server price", "$ per month", NumberRule::new(0.0, 1_000_000.0)),
    InputSpec::new(InputKey::CacheNodeDollarsPerMonth, "cache_node_price", "Cache node price", "$ per month", NumberRule::new(0.0, 1_000_000.0)),
    InputSpec::new(InputKey::StorageDollarsPerGbMonth, "storage_price", "Storage price", "$ per GB-month", NumberRule::new(0.0, 1_000.0)),
    InputSpec::new(InputKey::EgressDollarsPerGb, "egress_price", "Egress price", "$ per GB", NumberRule::new(0.0, 1_000.0)),
];

impl InputKey {
    pub fn spec(self) -> &'static InputSpec {
        &INPUT_SPECS[self as usize]
    }

    pub fn from_id(id: &str) -> Option<InputKey> {
        INPUT_SPECS.iter().find(|spec| spec.id == id).map(|spec| spec.key)
    }
}

impl Inputs {
    pub fn get(&self, key: InputKey) -> f64 {
        match key {
            InputKey::DailyActiveUsers => self.daily_active_users,
            InputKey::ActionsPerUser => self.actions_per_user,
            InputKey::ReadWriteRatio => self.read_write_ratio,
            InputKey::PeakFactor => self.peak_factor,
            InputKey::WriteBytes => self.write_bytes,
            InputKey::ReadBytes => self.read_bytes,
            InputKey::RetentionDays => self.retention_days,
            InputKey::Replication => self.replication,
            InputKey::CacheHitPercent => self.cache_hit_percent,
            InputKey::ServerQps => self.server_qps,
            InputKey::CacheNodeGb => self.cache_node_gb,
            InputKey::ServerDollarsPerMonth => self.server_dollars_per_month,
            InputKey::CacheNodeDollarsPerMonth => self.cache_node_dollars_per_month,
            InputKey::StorageDollarsPerGbMonth => self.storage_dollars_per_gb_month,
            InputKey::EgressDollarsPerGb => self.egress_dollars_per_gb,
        }
    }

    fn slot(&mut self, key: InputKey) -> &mut f64 {
        match key {
            InputKey::DailyActiveUsers => &mut self.daily_active_users,
            InputKey::ActionsPerUser => &mut self.actions_per_user,
            InputKey::ReadWriteRatio => &mut self.read_write_ratio,
            InputKey::PeakFactor => &mut self.peak_factor,
            InputKey::WriteBytes => &mut self.write_bytes,
            InputKey::ReadBytes => &mut self.read_bytes,
            InputKey::RetentionDays => &mut self.retention_days,
            InputKey::Replication => &mut self.replication,
            InputKey::CacheHitPercent => &mut self.cache_hit_percent,
            InputKey::ServerQps => &mut self.server_qps,
            InputKey::CacheNodeGb => &mut self.cache_node_gb,
            InputKey::ServerDollarsPerMonth => &mut self.server_dollars_per_month,
            InputKey::CacheNodeDollarsPerMonth => &mut self.cache_node_dollars_per_month,
            InputKey::StorageDollarsPerGbMonth => &mut self.storage_dollars_per_gb_month,
            InputKey::EgressDollarsPerGb => &mut self.egress_dollars_per_gb,
        }
    }

    /// Sets an input from what a person typed; on error the old value stays and the message
    /// says what is wrong ("Must not be negative.").
    pub fn set_text(&mut self, key: InputKey, raw: &str) -> Result<(), String> {
        let value = key.spec().rule.parse(raw)?;
        *self.slot(key) = value;
        Ok(())
    }

    /// Sets an input from a number, checked by the same rule as typed text.
    pub fn set(&mut self, key: InputKey, value: f64) -> Result<(), String> {
        self.set_text(key, &number_text(value))
    }

    /// The inputs whose values differ between two designs.
    pub fn differences(&self, other: &Inputs) -> Vec<InputKey> {
        INPUT_SPECS.iter().map(|spec| spec.key).filter(|key| self.get(*key) != other.get(*key)).collect()
    }
}

/// A number as exported and put in links: the shortest text that reads back to the same
/// `f64` ("100000000", "0.2"), never an exponent for the values the rules allow.
pub fn number_text(value: f64) -> String {
    if value.is_finite() {
        format!("{value}")
    } else {
        // Let the rule reject it with its own message.
        "inf".to_string()
    }
}

/// One side of the comparison: the template it started from and its current inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Design {
    pub template: &'static Template,
    pub inputs: Inputs,
}

impl Design {
    pub fn from_template(template: &'static Template) -> Self {
        Self { template, inputs: template.inputs }
    }

    /// The inputs changed from the template's values.
    pub fn edits(&self) -> Vec<InputKey> {
        self.template.inputs.differences(&self.inputs)
    }
}

//! The arithmetic, and each result written out as the formula that produced it.

use super::format::{format_bits_per_second, format_bytes, format_count, format_dollars, ByteUnits};
use super::{Inputs, DAYS_PER_MONTH, SECONDS_PER_DAY};

/// The exponent that turns a hit ratio into the share of read volume to cache under the
/// 80/20 rule taken as a power law: share = hit^(ln 0.2 / ln 0.8), so 80% needs 20%.
pub fn hot_share(hit_ratio: f64) -> f64 {
    let exponent = 0.2f64.ln() / 0.8f64.ln();
    hit_ratio.clamp(0.0, 1.0).powf(exponent)
}

const BYTES_PER_GB: f64 = 1e9;
const SECONDS_PER_MONTH: f64 = SECONDS_PER_DAY * DAYS_PER_MONTH;

/// Every number the planner derives, before any formatting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    pub requests_per_day: f64,
    pub average_qps: f64,
    pub average_read_qps: f64,
    pub average_write_qps: f64,
    pub peak_read_qps: f64,
    pub peak_write_qps: f64,
    pub writes_per_day: f64,
    pub reads_per_day: f64,
    pub stored_per_day: f64,
    pub stored_total: f64,
    pub ingress_average: f64,
    pub ingress_peak: f64,
    pub egress_average: f64,
    pub egress_peak: f64,
    pub hot_share: f64,
    pub cache_bytes: f64,
    pub peak_reads_past_cache: f64,
    pub app_servers: f64,
    pub cache_nodes: f64,
    pub egress_per_month: f64,
    pub compute_cost: f64,
    pub cache_cost: f64,
    pub storage_cost: f64,
    pub egress_cost: f64,
    pub total_cost: f64,
}

impl Plan {
    pub fn new(inputs: &Inputs) -> Plan {
        let write_share = 1.0 / (inputs.read_write_ratio + 1.0);
        let read_share = inputs.read_write_ratio * write_share;
        let requests_per_day = inputs.daily_active_users * inputs.actions_per_user;
        let average_qps = requests_per_day / SECONDS_PER_DAY;
        let average_read_qps = average_qps * read_share;
        let average_write_qps = average_qps * write_share;
        let peak_read_qps = average_read_qps * inputs.peak_factor;
        let peak_write_qps = average_write_qps * inputs.peak_factor;
        let writes_per_day = requests_per_day * write_share;
        let reads_per_day = requests_per_day * read_share;
        let stored_per_day = writes_per_day * inputs.write_bytes;
        let stored_total = stored_per_day * inputs.retention_days * inputs.replication;
        let hit_ratio = inputs.cache_hit_percent / 100.0;
        let hot = hot_share(hit_ratio);
        let cache_bytes = hot * reads_per_day * inputs.read_bytes;
        let app_servers = ((peak_read_qps + peak_write_qps) / inputs.server_qps).ceil();
        let cache_nodes = (cache_bytes / (inputs.cache_node_gb * BYTES_PER_GB)).ceil();
        let egress_average = average_read_qps * inputs.read_bytes;
        let egress_per_month = egress_average * SECONDS_PER_MONTH;
        let compute_cost = app_servers * inputs.server_dollars_per_month;
        let cache_cost = cache_nodes * inputs.cache_node_dollars_per_month;
        let storage_cost = stored_total / BYTES_PER_GB * inputs.storage_dollars_per_gb_month;
        let egress_cost = egress_per_month / BYTES_PER_GB * inputs.egress_dollars_per_gb;
        Plan {
            requests_per_day,
            average_qps,
            average_read_qps,
            average_write_qps,
            peak_read_qps,
            peak_write_qps,
            writes_per_day,
            reads_per_day,
            stored_per_day,
            stored_total,
            ingress_average: average_write_qps * inputs.write_bytes,
            ingress_peak: peak_write_qps * inputs.write_bytes,
            egress_average,
            egress_peak: peak_read_qps * inputs.read_bytes,
            hot_share: hot,
            cache_bytes,
            peak_reads_past_cache: peak_read_qps * (1.0 - hit_ratio),
            app_servers,
            cache_nodes,
            egress_per_month,
            compute_cost,
            cache_cost,
            storage_cost,
            egress_cost,
            total_cost: compute_cost + cache_cost + storage_cost + egress_cost,
        }
    }
}

/// What an output counts, which decides how its value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// `noun` per day ("requests").
    PerDay(&'static str),
    /// `noun` per second ("reads").
    PerSecond(&'static str),
    Bytes,
    BytesPerSecond,
    BytesPerMonth,
    Percent,
    /// A whole number of `noun` ("servers").
    Count(&'static str),
    DollarsPerMonth,
}

impl Unit {
    pub fn format(self, value: f64, units: ByteUnits) -> String {
        match self {
            Unit::PerDay(noun) => format!("{} {noun}/day", format_count(value)),
            Unit::PerSecond(noun) => format!("{} {noun}/s", format_count(value)),
            Unit::Bytes => format_bytes(value, units),
            Unit::BytesPerSecond => format!("{}/s ({})", format_bytes(value, units), format_bits_per_second(value)),
            Unit::BytesPerMonth => format!("{}/month", format_bytes(value, units)),
            Unit::Percent => format!("{}%", format_count(value * 100.0)),
            Unit::Count(noun) => counted(value, noun),
            Unit::DollarsPerMonth => format!("{}/month", format_dollars(value)),
        }
    }

    /// A signed difference in this unit: "+1,234 reads/s", "−45.5 GB".
    pub fn format_signed(self, delta: f64, units: ByteUnits) -> String {
        let sign = if delta > 0.0 {
            "+"
        } else if delta < 0.0 {
            "−"
        } else {
            ""
        };
        format!("{sign}{}", self.format(delta.abs(), units))
    }
}

/// "1 copy", "3 copies", "1 day": `plural` loses its ending when the count reads as 1.
fn counted(value: f64, plural: &'static str) -> String {
    let number = format_count(value);
    if number != "1" {
        return format!("{number} {plural}");
    }
    let singular = match plural {
        "copies" => "copy",
        other => other.strip_suffix('s').unwrap_or(other),
    };
    format!("1 {singular}")
}

/// One result: its value, what it counts, and the formula with the numbers filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub key: &'static str,
    pub label: &'static str,
    pub value: f64,
    pub unit: Unit,
    pub formula: String,
}

impl Output {
    pub fn text(&self, units: ByteUnits) -> String {
        self.unit.format(self.value, units)
    }
}

/// How design B differs from design A on one output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    pub delta: f64,
    /// B ÷ A, when A is not zero.
    pub ratio: Option<f64>,
}

impl Difference {
    pub fn between(a: f64, b: f64) -> Difference {
        let ratio = (a != 0.0 && a.is_finite() && b.is_finite()).then(|| b / a);
        Difference { delta: b - a, ratio }
    }

    /// "same", or "+1,234 reads/s (×2.5)".
    pub fn text(&self, unit: Unit, units: ByteUnits) -> String {
        if self.delta == 0.0 {
            return "same".to_string();
        }
        let signed = unit.format_signed(self.delta, units);
        match self.ratio {
            Some(ratio) => format!("{signed} (×{})", format_count(ratio)),
            None => signed,
        }
    }
}

/// Every output of `inputs`, in reading order, with byte sizes in `units`.
pub fn outputs(inputs: &Inputs, units: ByteUnits) -> Vec<Output> {
    let plan = Plan::new(inputs);
    let count = format_count;
    let bytes = |value: f64| format_bytes(value, units);
    let rate = |value: f64| Unit::BytesPerSecond.format(value, units);
    let ratio = inputs.read_write_ratio;
    let output = |key, label, value, unit, formula: String| Output { key, label, value, unit, formula };
    vec![
        output(
            "requests_per_day",
            "Requests per day",
            plan.requests_per_day,
            Unit::PerDay("requests"),
            format!("{} users × {} requests = {}", count(inputs.daily_active_users), count(inputs.actions_per_user), count(plan.requests_per_day)),
        ),
        output(
            "qps",
            "Average QPS",
            plan.average_qps,
            Unit::PerSecond("requests"),
            format!("{} requests ÷ 86,400 s = {}/s", count(plan.requests_per_day), count(plan.average_qps)),
        ),
        output(
            "read_qps",
            "Average read QPS",
            plan.average_read_qps,
            Unit::PerSecond("reads"),
            format!("{} × {} ÷ ({} + 1) = {}/s", count(plan.average_qps), count(ratio), count(ratio), count(plan.average_read_qps)),
        ),
        output(
            "write_qps",
            "Average write QPS",
            plan.average_write_qps,
            Unit::PerSecond("writes"),
            format!("{} ÷ ({} + 1) = {}/s", count(plan.average_qps), count(ratio), count(plan.average_write_qps)),
        ),
        output(
            "peak_read_qps",
            "Peak read QPS",
            plan.peak_read_qps,
            Unit::PerSecond("reads"),
            format!("{} × peak factor {} = {}/s", count(plan.average_read_qps), count(inputs.peak_factor), count(plan.peak_read_qps)),
        ),
        output(
            "peak_write_qps",
            "Peak write QPS",
            plan.peak_write_qps,
            Unit::PerSecond("writes"),
            format!("{} × peak factor {} = {}/s", count(plan.average_write_qps), count(inputs.peak_factor), count(plan.peak_write_qps)),
        ),
        output(
            "storage_per_day",
            "New data per day",
            plan.stored_per_day,
            Unit::Bytes,
            format!("{} writes × {} = {}", count(plan.writes_per_day), bytes(inputs.write_bytes), bytes(plan.stored_per_day)),
        ),
        output(
            "storage_total",
            "Stored over the retention period",
            plan.stored_total,
            Unit::Bytes,
            format!(
                "{}/day × {} × {} = {}",
                bytes(plan.stored_per_day),
                counted(inputs.retention_days, "days"),
                counted(inputs.replication, "copies"),
                bytes(plan.stored_total)
            ),
        ),
        output(
            "ingress",
            "Ingress, average",
            plan.ingress_average,
            Unit::BytesPerSecond,
            format!("{} writes/s × {} = {}", count(plan.average_write_qps), bytes(inputs.write_bytes), rate(plan.ingress_average)),
        ),
        output(
            "ingress_peak",
            "Ingress, peak",
            plan.ingress_peak,
            Unit::BytesPerSecond,
            format!("{} writes/s × {} = {}", count(plan.peak_write_qps), bytes(inputs.write_bytes), rate(plan.ingress_peak)),
        ),
        output(
            "egress",
            "Egress, average",
            plan.egress_average,
            Unit::BytesPerSecond,
            format!("{} reads/s × {} = {}", count(plan.average_read_qps), bytes(inputs.read_bytes), rate(plan.egress_average)),
        ),
        output(
            "egress_peak",
            "Egress, peak",
            plan.egress_peak,
            Unit::BytesPerSecond,
            format!("{} reads/s × {} = {}", count(plan.peak_read_qps), bytes(inputs.read_bytes), rate(plan.egress_peak)),
        ),
        output(
            "hot_share",
            "Hot share of daily reads to cache",
            plan.hot_share,
            Unit::Percent,
            format!(
                "{}% ^ 7.21 = {}%, where 7.21 = ln 0.2 ÷ ln 0.8 (the 80/20 rule: the most-read 20% serves 80% of reads)",
                count(inputs.cache_hit_percent),
                count(plan.hot_share * 100.0)
            ),
        ),
        output(
            "cache",
            "Cache for the hot set",
            plan.cache_bytes,
            Unit::Bytes,
            format!(
                "{}% × {} reads/day × {} = {} (an upper bound: repeated reads of one item count again)",
                count(plan.hot_share * 100.0),
                count(plan.reads_per_day),
                bytes(inputs.read_bytes),
                bytes(plan.cache_bytes)
            ),
        ),
        output(
            "reads_past_cache",
            "Peak reads that miss the cache",
            plan.peak_reads_past_cache,
            Unit::PerSecond("reads"),
            format!("{} × (1 − {}%) = {}/s", count(plan.peak_read_qps), count(inputs.cache_hit_percent), count(plan.peak_reads_past_cache)),
        ),
        output(
            "app_servers",
            "App servers",
            plan.app_servers,
            Unit::Count("servers"),
            format!(
                "⌈({} + {}) requests/s ÷ {} per server⌉ = {}",
                count(plan.peak_read_qps),
                count(plan.peak_write_qps),
                count(inputs.server_qps),
                count(plan.app_servers)
            ),
        ),
        output(
            "cache_nodes",
            "Cache nodes",
            plan.cache_nodes,
            Unit::Count("nodes"),
            format!("⌈{} ÷ {} per node⌉ = {}", bytes(plan.cache_bytes), bytes(inputs.cache_node_gb * BYTES_PER_GB), count(plan.cache_nodes)),
        ),
        output(
            "servers",
            "Servers needed",
            plan.app_servers + plan.cache_nodes,
            Unit::Count("servers"),
            format!("{} app + {} cache = {}", count(plan.app_servers), count(plan.cache_nodes), count(plan.app_servers + plan.cache_nodes)),
        ),
        output(
            "egress_month",
            "Egress per month",
            plan.egress_per_month,
            Unit::BytesPerMonth,
            format!("{}/s × 2,592,000 s (30 days) = {}", bytes(plan.egress_average), bytes(plan.egress_per_month)),
        ),
        output(
            "cost_compute",
            "Cost: app servers",
            plan.compute_cost,
            Unit::DollarsPerMonth,
            format!("{} × {} = {}", count(plan.app_servers), format_dollars(inputs.server_dollars_per_month), format_dollars(plan.compute_cost)),
        ),
        output(
            "cost_cache",
            "Cost: cache",
            plan.cache_cost,
            Unit::DollarsPerMonth,
            format!("{} × {} = {}", count(plan.cache_nodes), format_dollars(inputs.cache_node_dollars_per_month), format_dollars(plan.cache_cost)),
        ),
        output(
            "cost_storage",
            "Cost: storage",
            plan.storage_cost,
            Unit::DollarsPerMonth,
            format!(
                "{} GB × {} per GB-month = {} (once the retention period is full)",
                count(plan.stored_total / BYTES_PER_GB),
                format_dollars(inputs.storage_dollars_per_gb_month),
                format_dollars(plan.storage_cost)
            ),
        ),
        output(
            "cost_egress",
            "Cost: egress",
            plan.egress_cost,
            Unit::DollarsPerMonth,
            format!(
                "{} GB × {} per GB = {}",
                count(plan.egress_per_month / BYTES_PER_GB),
                format_dollars(inputs.egress_dollars_per_gb),
                format_dollars(plan.egress_cost)
            ),
        ),
        output(
            "cost_total",
            "Monthly cost",
            plan.total_cost,
            Unit::DollarsPerMonth,
            format!(
                "{} + {} + {} + {} = {}",
                format_dollars(plan.compute_cost),
                format_dollars(plan.cache_cost),
                format_dollars(plan.storage_cost),
                format_dollars(plan.egress_cost),
                format_dollars(plan.total_cost)
            ),
        ),
    ]
}

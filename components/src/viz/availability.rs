//! Availability calculator: components combined in series (all must be up) and in parallel (one
//! is enough), in a small tree the reader builds. It gives the resulting availability, its
//! number of nines and the downtime that allows per year, month, week and day; and the
//! reverse: what each component must reach for a target.
//!
//! For the view: keep a `Node` (the tree) and change it only through `Node::apply(Edit)`, which
//! checks the limits and leaves the tree unchanged on error. `Node::evaluate` gives an
//! `Availability` for the whole tree or any group in it; `format` turns numbers into the text
//! shown (never NaN or infinity). The tree travels in the URL as text (`Node::to_text`,
//! `Node::parse`), and `AVAILABILITY_PARAMS` holds the target for the reverse calculation.
//!
//! Model choices worth knowing:
//! - Failures are independent and fail-over is instant and perfect: the textbook formulas.
//!   Real replicas share power, deploys and bugs, so they do worse than this says.
//! - Availabilities are typed and stored as percentages, exactly as the reader wrote them.
//! - The downtime month is 30 days and the year 365 days.

mod format;
mod reverse;
mod text;
mod tree;
#[cfg(test)]
mod tests;
pub mod poster;

use crate::sim::{ParamKind, ParamSpec, Value};

pub use format::{format_duration, format_nines, format_percent};
pub use reverse::{each_in_parallel, each_in_series, required_uniform, MAX_REPLICAS};
pub use text::ParseError;
pub use tree::{Component, Edit, GroupKind, Node, Path, DEFAULT_COMPONENT_PERCENT};

/// The deepest a tree may nest (the root is level 1).
pub const MAX_DEPTH: usize = 6;
/// The most nodes (components and groups together) in one tree.
pub const MAX_NODES: usize = 40;
/// The longest component name, in characters.
pub const MAX_NAME_CHARS: usize = 24;
/// The longest tree text accepted from a link or the text field, in characters.
pub const MAX_TEXT_CHARS: usize = 1_200;

/// The tree a first visit shows: a load balancer, two app servers and a database.
pub const DEFAULT_TREE: &str = "s(c:lb:99.99,p(c:app1:99.9,c:app2:99.9),c:db:99.95)";

/// Ready-made trees to start from: `(label, text)`.
pub const PRESETS: &[(&str, &str)] = &[
    ("Two 99.9% components in series", "s(c:a:99.9,c:b:99.9)"),
    ("Two 99.9% replicas in parallel", "p(c:a:99.9,c:b:99.9)"),
    ("Load balancer, two app servers, one database", DEFAULT_TREE),
    ("Every tier redundant", "s(p(c:lb1:99.99,c:lb2:99.99),p(c:app1:99.9,c:app2:99.9,c:app3:99.9),p(c:db:99.95,c:replica:99.95))"),
    ("A chain of ten 99.9% services", "s(c:s1:99.9,c:s2:99.9,c:s3:99.9,c:s4:99.9,c:s5:99.9,c:s6:99.9,c:s7:99.9,c:s8:99.9,c:s9:99.9,c:s10:99.9)"),
    ("Two regions, each a full stack", "p(s(c:lb-east:99.99,c:app-east:99.9,c:db-east:99.95),s(c:lb-west:99.99,c:app-west:99.9,c:db-west:99.95))"),
];

/// The target of the reverse calculation, as a percentage.
pub const AVAILABILITY_PARAMS: &[ParamSpec] = &[ParamSpec {
    key: "target",
    label: "Target availability (%)",
    kind: ParamKind::Float { min: 50.0, max: 99.99999 },
    default: Value::Float(99.99),
}];

/// A length of time downtime is counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Year,
    Month,
    Week,
    Day,
}

impl Period {
    pub const ALL: [Period; 4] = [Period::Year, Period::Month, Period::Week, Period::Day];

    pub fn seconds(self) -> f64 {
        const DAY: f64 = 86_400.0;
        match self {
            Period::Year => 365.0 * DAY,
            Period::Month => 30.0 * DAY,
            Period::Week => 7.0 * DAY,
            Period::Day => DAY,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Period::Year => "Per year (365 days)",
            Period::Month => "Per month (30 days)",
            Period::Week => "Per week",
            Period::Day => "Per day",
        }
    }
}

/// How available something is. Both shares are kept, each computed directly, because
/// `1 − availability` loses the digits that matter for "five nines" and beyond.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Availability {
    /// The share of time up, in `[0, 1]`.
    pub up: f64,
    /// The share of time down, in `[0, 1]`; `up + down` is 1 up to rounding.
    pub down: f64,
}

impl Availability {
    pub const PERFECT: Availability = Availability { up: 1.0, down: 0.0 };

    /// From a percentage such as 99.95 (clamped to 0–100; a non-number counts as 0).
    pub fn from_percent(percent: f64) -> Self {
        let percent = if percent.is_finite() { percent.clamp(0.0, 100.0) } else { 0.0 };
        Self { up: percent / 100.0, down: (100.0 - percent) / 100.0 }
    }

    /// From the share of time down (clamped to `[0, 1]`).
    pub fn from_down(down: f64) -> Self {
        let down = if down.is_finite() { down.clamp(0.0, 1.0) } else { 1.0 };
        Self { up: 1.0 - down, down }
    }

    pub fn percent(self) -> f64 {
        self.up * 100.0
    }

    /// `−log10(down)`: 99.9% is 3 nines, 99.95% about 3.3. `None` when nothing is ever down.
    pub fn nines(self) -> Option<f64> {
        (self.down > 0.0).then(|| -self.down.log10())
    }

    /// The downtime this allows over a period, in seconds.
    pub fn downtime_seconds(self, period: Period) -> f64 {
        self.down * period.seconds()
    }
}

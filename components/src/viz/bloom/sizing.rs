//! Sizing a Bloom filter from what the reader expects: how many items it will hold (n) and how
//! often a "maybe" may be wrong (p). These are the textbook formulas for the best bit count and
//! hash count, exact as written (no table, no approximation beyond `f64`).

use crate::sim::number::group_thousands;
use std::f64::consts::LN_2;

/// Bits needed for `items` at a false-positive rate `target` (a fraction, 0 < p < 1):
/// m = ⌈−n · ln p / (ln 2)²⌉. At least one bit, so a filter always has somewhere to write.
pub fn optimal_bits(items: u64, target: f64) -> u64 {
    let n = items.max(1) as f64;
    let p = clamp_rate(target);
    ((-n * p.ln()) / (LN_2 * LN_2)).ceil().max(1.0) as u64
}

/// Hash positions per item that minimise false positives for `bits` and `items`:
/// k = max(1, round((m / n) · ln 2)).
pub fn optimal_hashes(bits: u64, items: u64) -> u32 {
    let ratio = bits.max(1) as f64 / items.max(1) as f64;
    (ratio * LN_2).round().max(1.0) as u32
}

/// The chance that an item never added still finds all its positions set, once `inserted`
/// items are in a filter of `bits` with `hashes` positions each: (1 − e^(−k·n/m))^k. It treats
/// positions as independent, which is what the sizing formulas assume too.
pub fn false_positive_rate(bits: u64, inserted: u64, hashes: u32) -> f64 {
    let (m, n, k) = (bits.max(1) as f64, inserted as f64, f64::from(hashes.max(1)));
    (1.0 - (-k * n / m).exp()).powf(k)
}

/// Keeps a rate inside (0, 1), where its logarithm is finite and negative.
fn clamp_rate(rate: f64) -> f64 {
    if rate.is_finite() {
        rate.clamp(1e-12, 0.999_999)
    } else {
        0.01
    }
}

/// A filter sized for `items` at `target`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sizing {
    pub items: u64,
    /// The target false-positive rate, as a fraction (0.01 for 1%).
    pub target: f64,
    /// m, the bits (or counters, in the counting variant).
    pub bits: u64,
    /// k, the positions each item sets.
    pub hashes: u32,
    /// The bit array's size in bytes, rounded up; the counting variant needs four times this.
    pub bytes: u64,
    /// The rate the formula predicts once all `items` are in (a little under the target, since
    /// m and k are rounded).
    pub expected: f64,
}

impl Sizing {
    pub fn new(items: u64, target: f64) -> Self {
        let items = items.max(1);
        let target = clamp_rate(target);
        let bits = optimal_bits(items, target);
        let hashes = optimal_hashes(bits, items);
        Self { items, target, bits, hashes, bytes: bits.div_ceil(8), expected: false_positive_rate(bits, items, hashes) }
    }

    pub fn bits_per_item(&self) -> f64 {
        self.bits as f64 / self.items as f64
    }

    /// The three formulas with this filter's numbers put in, one line each, for the page.
    pub fn formula_lines(&self) -> [String; 3] {
        let (n, m, k) = (group_thousands(self.items as f64), group_thousands(self.bits as f64), self.hashes);
        [
            format!("m = ⌈−n × ln p ÷ (ln 2)²⌉ = ⌈−{n} × ln {} ÷ 0.4805⌉ = {m} bits ({} bytes)", fraction(self.target), group_thousands(self.bytes as f64)),
            format!("k = round(m ÷ n × ln 2) = round({m} ÷ {n} × 0.6931) = {k}"),
            format!("false positives ≈ (1 − e^(−k × n ÷ m))^k = (1 − e^(−{k} × {n} ÷ {m}))^{k} = {}", percent(self.expected)),
        ]
    }
}

/// A rate as a plain decimal fraction with no trailing zeros: 0.01, 0.0001, 0.5.
fn fraction(rate: f64) -> String {
    let text = format!("{rate:.8}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A rate as a percentage with about three significant digits: 1.00%, 0.0100%, 39.3%.
pub fn percent(rate: f64) -> String {
    if !rate.is_finite() {
        return "–".to_string();
    }
    let value = rate * 100.0;
    if value > 0.0 && value < 0.0001 {
        return "<0.0001%".to_string();
    }
    let decimals = match value {
        v if v >= 10.0 => 1,
        v if v >= 1.0 => 2,
        v if v >= 0.1 => 3,
        v if v > 0.0 => 4,
        _ => 0,
    };
    format!("{value:.decimals$}%")
}

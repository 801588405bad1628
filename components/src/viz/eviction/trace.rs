//! The request streams every policy is fed, seeded so a run and its replay ask for the same keys.
//!
//! Keys `0..keys` are the popular population: each request draws a popularity rank from a Zipf
//! distribution and maps it to a key. Keys from `keys` upwards are cold: each is asked for once,
//! by a scan, and never again.
//!
//! - `Zipf`: ranks map to keys by a fixed rotation (none until the reader shifts the hot set).
//! - `Scan`: the same, and after every `every` popular requests a scan reads `scan_length`
//!   fresh cold keys in a row, as a backup or a report walking a table does.
//! - `Shift`: the rotation moves on every `every` popular requests, so the keys that were hot
//!   become lukewarm and others become hot, as a news site's front page does.

use crate::sim::SimRng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceKind {
    Zipf,
    Scan,
    Shift,
}

/// Draws ranks 1 to `n` with probability proportional to `1 / rank^exponent`, by
/// rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-inversion to generate variates
/// from monotone discrete distributions", 1996): constant time and no table, however many keys.
/// It inverts the integral `H` of the continuous hat `h(x) = x^-exponent` and accepts a draw
/// when it lands under the true probability of its rank.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Zipf {
    n: f64,
    exponent: f64,
    h_first: f64,
    h_last: f64,
    /// Draws this close to their rank are accepted without evaluating `H` again.
    squeeze: f64,
}

impl Zipf {
    pub fn new(n: u32, exponent: f64) -> Self {
        let exponent = if exponent.is_finite() { exponent.max(0.0) } else { 0.0 };
        let n = f64::from(n.max(1));
        let mut zipf = Self { n, exponent, h_first: 0.0, h_last: 0.0, squeeze: 0.0 };
        zipf.h_first = zipf.integral(1.5) - 1.0;
        zipf.h_last = zipf.integral(n + 0.5);
        zipf.squeeze = 2.0 - zipf.inverse(zipf.integral(2.5) - zipf.hat(2.0));
        zipf
    }

    /// A rank from 1 (the most popular) to `n`.
    pub fn sample(&self, rng: &mut SimRng) -> u32 {
        loop {
            let u = self.h_last + rng.next_f64() * (self.h_first - self.h_last);
            let x = self.inverse(u);
            let rank = (x + 0.5).floor().clamp(1.0, self.n);
            if rank - x <= self.squeeze || u >= self.integral(rank + 0.5) - self.hat(rank) {
                return rank as u32;
            }
        }
    }

    fn hat(&self, x: f64) -> f64 {
        (-self.exponent * x.ln()).exp()
    }

    /// `H(x) = (x^(1-e) - 1) / (1 - e)`, written to stay exact as `e` nears 1 (where it is ln x).
    fn integral(&self, x: f64) -> f64 {
        let log_x = x.ln();
        expm1_over((1.0 - self.exponent) * log_x) * log_x
    }

    fn inverse(&self, x: f64) -> f64 {
        // Rounding can push the argument a hair below -1, where the logarithm is undefined.
        let t = (x * (1.0 - self.exponent)).max(-1.0);
        (ln1p_over(t) * x).exp()
    }
}

/// `ln(1 + x) / x`, by its series near 0.
fn ln1p_over(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        x.ln_1p() / x
    } else {
        1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
    }
}

/// `(e^x - 1) / x`, by its series near 0.
fn expm1_over(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        x.exp_m1() / x
    } else {
        1.0 + x * 0.5 * (1.0 + x / 3.0 * (1.0 + 0.25 * x))
    }
}

/// Cold keys count up from the population; in the (unreachable in practice) case of running
/// out of `u32`, they start again from the population rather than collide with `EMPTY`.
const LAST_COLD: u32 = u32::MAX - 2;

#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    kind: TraceKind,
    keys: u32,
    every: u32,
    scan_length: u32,
    zipf: Zipf,
    rng: SimRng,
    /// Popular requests drawn so far.
    drawn: u64,
    /// Popular requests until the next scheduled scan (`Scan` only).
    until_scan: u32,
    /// Cold keys still to come in the current scan.
    scan_left: u32,
    next_cold: u32,
    /// Shifts the reader asked for.
    shifts: u32,
    /// Scans started so far, scheduled or asked for.
    scans: u32,
}

impl Trace {
    pub fn new(kind: TraceKind, keys: u32, skew: f64, scan_length: u32, every: u32, seed: u64) -> Self {
        let keys = keys.max(1);
        let every = every.max(1);
        Self { kind, keys, every, scan_length, zipf: Zipf::new(keys, skew), rng: SimRng::new(seed), drawn: 0, until_scan: every, scan_left: 0, next_cold: keys, shifts: 0, scans: 0 }
    }

    pub fn kind(&self) -> TraceKind {
        self.kind
    }

    /// The next key requested.
    pub fn next_key(&mut self) -> u32 {
        if self.scan_left > 0 {
            self.scan_left -= 1;
            let key = self.next_cold;
            self.next_cold = if key >= LAST_COLD { self.keys } else { key + 1 };
            return key;
        }
        let rank = self.zipf.sample(&mut self.rng) - 1;
        let key = self.key_of(rank);
        self.drawn += 1;
        if self.kind == TraceKind::Scan {
            self.until_scan -= 1;
            if self.until_scan == 0 {
                self.until_scan = self.every;
                self.start_scan();
            }
        }
        key
    }

    /// The first `count` keys of a fresh copy of this trace.
    pub fn take(&self, count: usize) -> Vec<u32> {
        let mut copy = self.clone();
        (0..count).map(|_| copy.next_key()).collect()
    }

    /// Queues a scan of `scan_length` fresh cold keys, starting with the next request.
    pub fn start_scan(&mut self) {
        self.scan_left = self.scan_left.saturating_add(self.scan_length);
        self.scans = self.scans.saturating_add(1);
    }

    pub fn scans(&self) -> u32 {
        self.scans
    }

    /// Moves the hot set now.
    pub fn shift(&mut self) {
        self.shifts = self.shifts.saturating_add(1);
    }

    pub fn scanning(&self) -> bool {
        self.scan_left > 0
    }

    /// How many times the hot set has moved: the reader's shifts, plus one per `every` popular
    /// requests in a `Shift` trace.
    pub fn epoch(&self) -> u64 {
        let scheduled = if self.kind == TraceKind::Shift { self.drawn / u64::from(self.every) } else { 0 };
        u64::from(self.shifts) + scheduled
    }

    /// Each move rotates ranks onto keys by about 38% of the population, so the old hot keys
    /// land well down the tail and the new ones come from it.
    fn offset(&self) -> u32 {
        let step = (u64::from(self.keys) * 382 / 1000).max(1);
        (self.epoch() % u64::from(self.keys) * step % u64::from(self.keys)) as u32
    }

    fn key_of(&self, rank: u32) -> u32 {
        ((u64::from(rank) + u64::from(self.offset())) % u64::from(self.keys)) as u32
    }

    /// The popularity rank of `key` now, 0 for the hottest; `None` for a cold key.
    pub fn rank(&self, key: u32) -> Option<u32> {
        (key < self.keys).then(|| ((u64::from(key) + u64::from(self.keys) - u64::from(self.offset())) % u64::from(self.keys)) as u32)
    }

    pub fn keys(&self) -> u32 {
        self.keys
    }
}

//! The reverse question: for a target, what must each component reach?

use super::{Availability, Node};

/// The most identical components the reverse tables consider.
pub const MAX_REPLICAS: u32 = 10;

/// Each of `count` identical components in series must reach `target^(1/count)`.
pub fn each_in_series(target: Availability, count: u32) -> Availability {
    let count = f64::from(count.clamp(1, MAX_REPLICAS));
    // ln(up) as ln_1p(−down) keeps the digits of a target like 99.999%.
    let log_up = (-target.down).ln_1p() / count;
    Availability { up: log_up.exp(), down: -log_up.exp_m1() }.clamped()
}

/// Each of `count` identical replicas in parallel must reach `1 − (1 − target)^(1/count)`.
pub fn each_in_parallel(target: Availability, count: u32) -> Availability {
    let count = f64::from(count.clamp(1, MAX_REPLICAS));
    let log_down = target.down.ln() / count;
    Availability { up: -log_down.exp_m1(), down: log_down.exp() }.clamped()
}

/// What every component of `tree` must reach, all at the same availability, for the whole to
/// meet `target`. `None` when the target is 100% (no finite answer). Found by bisection on the
/// logarithm of each component's downtime: the tree gets strictly worse as that grows.
pub fn required_uniform(tree: &Node, target: Availability) -> Option<Availability> {
    if target.down <= 0.0 {
        return None;
    }
    let tree_down = |log_down: f64| {
        let each = Availability::from_down(10f64.powf(log_down));
        tree.evaluate_with(&mut |_| each).down
    };
    // 10^-30 down meets any target a person types; 10^0 (always down) meets none below 100%.
    let (mut good, mut bad) = (-30.0_f64, 0.0_f64);
    if tree_down(good) > target.down {
        return None;
    }
    for _ in 0..80 {
        let middle = (good + bad) / 2.0;
        if tree_down(middle) <= target.down {
            good = middle;
        } else {
            bad = middle;
        }
    }
    Some(Availability::from_down(10f64.powf(good)))
}

impl Availability {
    fn clamped(self) -> Self {
        let fix = |share: f64| if share.is_finite() { share.clamp(0.0, 1.0) } else { 0.0 };
        Availability { up: fix(self.up), down: fix(self.down) }
    }
}

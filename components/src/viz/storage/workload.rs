//! The workload's draws: which kind of operation comes next, and which key it names.

use super::{Dist, Key, OpKind, KEYS, NEWEST};
use crate::sim::SimRng;

/// A kind of operation with a chance proportional to its weight; `None` when all are zero.
pub(super) fn pick_kind(mix: &[u32; 5], rng: &mut SimRng) -> Option<OpKind> {
    let total: u32 = mix.iter().sum();
    if total == 0 {
        return None;
    }
    let mut pick = rng.below(u64::from(total)) as u32;
    for (kind, weight) in OpKind::ALL.into_iter().zip(mix) {
        if pick < *weight {
            return Some(kind);
        }
        pick -= weight;
    }
    None
}

/// The key of rank `rank` (1 the most popular) under Zipf: consecutive ranks 37 keys apart
/// (37 and 100 have no common factor, so every key has one rank), so the hot keys fall in
/// different pages and tables rather than all in the first.
pub fn zipf_key(rank: u16) -> Key {
    ((rank * 37 + 5) % KEYS) as Key
}

/// A key drawn from the distribution: any key alike; one of the `NEWEST` keys before the
/// sequential cursor; or the key of a rank drawn with a chance proportional to 1/rank.
pub(super) fn draw_key(dist: Dist, cursor: Key, rng: &mut SimRng) -> Key {
    match dist {
        Dist::Uniform => rng.below(u64::from(KEYS)) as Key,
        Dist::Sequential => {
            let back = 1 + rng.below(NEWEST) as u16;
            ((u16::from(cursor) + KEYS - back) % KEYS) as Key
        }
        Dist::Zipf => {
            let harmonic: f64 = (1..=KEYS).map(|rank| 1.0 / f64::from(rank)).sum();
            let mut left = rng.next_f64() * harmonic;
            for rank in 1..=KEYS {
                left -= 1.0 / f64::from(rank);
                if left < 0.0 {
                    return zipf_key(rank);
                }
            }
            zipf_key(KEYS)
        }
    }
}

//! Latency percentiles without sorting: a few fixed buckets, counted. A percentile is reported
//! as the upper bound of the bucket that holds it, which is exact enough to draw p50 and p99.

use std::marker::PhantomData;

/// The buckets' upper bounds, in milliseconds, ascending; the last bucket also takes anything
/// slower.
pub trait Buckets<const N: usize> {
    const BOUNDS_MS: [u32; N];
}

pub struct Histogram<B, const N: usize> {
    counts: [u32; N],
    buckets: PhantomData<B>,
}

impl<B: Buckets<N>, const N: usize> Histogram<B, N> {
    /// Records `count` requests that each took `latency_ms`.
    pub fn record_many(&mut self, latency_ms: u32, count: u32) {
        let bucket = B::BOUNDS_MS.partition_point(|&bound| bound < latency_ms).min(N.saturating_sub(1));
        if let Some(slot) = self.counts.get_mut(bucket) {
            *slot = slot.saturating_add(count);
        }
    }

    pub fn record(&mut self, latency_ms: u32) {
        self.record_many(latency_ms, 1);
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().map(|&count| u64::from(count)).sum()
    }

    /// The upper bound of the bucket holding the `quantile` (0..=1) latency; `None` when empty.
    pub fn percentile(&self, quantile: f64) -> Option<u32> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let rank = ((quantile.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (bound, &count) in B::BOUNDS_MS.iter().zip(&self.counts) {
            seen += u64::from(count);
            if seen >= rank {
                return Some(*bound);
            }
        }
        B::BOUNDS_MS.last().copied()
    }
}

// Written out because a derive would demand the same of the marker type `B`.
impl<B, const N: usize> Default for Histogram<B, N> {
    fn default() -> Self {
        Self { counts: [0; N], buckets: PhantomData }
    }
}

impl<B, const N: usize> Clone for Histogram<B, N> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B, const N: usize> Copy for Histogram<B, N> {}

impl<B, const N: usize> PartialEq for Histogram<B, N> {
    fn eq(&self, other: &Self) -> bool {
        self.counts == other.counts
    }
}

impl<B, const N: usize> Eq for Histogram<B, N> {}

impl<B, const N: usize> std::fmt::Debug for Histogram<B, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Histogram").field("counts", &self.counts).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Tens;
    impl Buckets<3> for Tens {
        const BOUNDS_MS: [u32; 3] = [10, 20, 30];
    }

    #[test]
    fn percentiles_come_from_bucket_bounds() {
        let mut histogram = Histogram::<Tens, 3>::default();
        assert_eq!(histogram.percentile(0.5), None);
        histogram.record_many(5, 98);
        histogram.record(25);
        histogram.record(1_000);
        assert_eq!(histogram.total(), 100);
        assert_eq!(histogram.percentile(0.5), Some(10));
        assert_eq!(histogram.percentile(0.99), Some(30));
        assert_eq!(histogram.percentile(1.0), Some(30), "slower than the last bound lands in the last bucket");
    }
}

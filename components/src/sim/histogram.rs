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

    /// Adds another histogram's counts, as if its requests had been recorded here too.
    pub fn merge(&mut self, other: &Self) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            *mine = mine.saturating_add(theirs);
        }
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

/// Latencies in the open window and in the last `W` closed ones, for "p50 and p99 over the last
/// few seconds" beside a picture, without keeping every request.
pub struct Recent<B, const N: usize, const W: usize> {
    window: Histogram<B, N>,
    /// The closed windows, oldest overwritten first.
    closed: [Histogram<B, N>; W],
    count: u64,
}

impl<B: Buckets<N>, const N: usize, const W: usize> Recent<B, N, W> {
    pub fn record_many(&mut self, latency_ms: u32, count: u32) {
        self.window.record_many(latency_ms, count);
    }

    pub fn record(&mut self, latency_ms: u32) {
        self.window.record(latency_ms);
    }

    /// Closes the open window; returns its p50 and p99.
    pub fn close(&mut self) -> (Option<u32>, Option<u32>) {
        let window = std::mem::take(&mut self.window);
        if W > 0 {
            self.closed[(self.count % W as u64) as usize] = window;
        }
        self.count += 1;
        (window.percentile(0.5), window.percentile(0.99))
    }

    /// p50 and p99 over the last `W` closed windows (fewer early on).
    pub fn percentiles(&self) -> (Option<u32>, Option<u32>) {
        let mut merged = Histogram::<B, N>::default();
        for window in self.closed.iter().take(self.count.min(W as u64) as usize) {
            merged.merge(window);
        }
        (merged.percentile(0.5), merged.percentile(0.99))
    }
}

// Written out for the same reason as `Histogram`'s: derives would bound the marker type `B`.
impl<B, const N: usize, const W: usize> Default for Recent<B, N, W> {
    fn default() -> Self {
        Self { window: Histogram::default(), closed: [Histogram::default(); W], count: 0 }
    }
}

impl<B, const N: usize, const W: usize> Clone for Recent<B, N, W> {
    fn clone(&self) -> Self {
        Self { window: self.window, closed: self.closed, count: self.count }
    }
}

impl<B, const N: usize, const W: usize> PartialEq for Recent<B, N, W> {
    fn eq(&self, other: &Self) -> bool {
        (self.window, self.closed, self.count) == (other.window, other.closed, other.count)
    }
}

impl<B, const N: usize, const W: usize> std::fmt::Debug for Recent<B, N, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recent").field("window", &self.window).field("closed", &self.closed).field("count", &self.count).finish()
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
        let mut other = Histogram::<Tens, 3>::default();
        other.record_many(15, 200);
        histogram.merge(&other);
        assert_eq!((histogram.total(), histogram.percentile(0.5)), (300, Some(20)), "merged: 98 under 10 ms, 200 at 15 ms, 2 slower");
    }

    #[test]
    fn recent_forgets_windows_older_than_its_span() {
        let mut recent = Recent::<Tens, 3, 2>::default();
        assert_eq!(recent.percentiles(), (None, None), "nothing closed yet");
        recent.record_many(25, 10);
        assert_eq!(recent.close(), (Some(30), Some(30)));
        recent.record_many(5, 10);
        assert_eq!(recent.close(), (Some(10), Some(10)));
        // Two windows held: ten at 25 ms and ten at 5 ms, so the median is the tenth, under 10 ms.
        assert_eq!(recent.percentiles(), (Some(10), Some(30)));
        recent.record(15);
        assert_eq!(recent.percentiles(), (Some(10), Some(30)), "the open window does not count");
        recent.close();
        // The 25 ms window has dropped out: ten at 5 ms and one at 15 ms.
        assert_eq!(recent.percentiles(), (Some(10), Some(20)));
    }
}

//! A bounded, cheaply cloned history of samples: full chunks are frozen behind `Arc`, so the
//! timeline's keyframe clones share them instead of copying the whole history.

use std::sync::Arc;

const CHUNK: usize = 64;

/// Samples oldest first, at most `MAX` (the oldest chunk is dropped first).
#[derive(Debug, Clone, PartialEq)]
pub struct Series<S, const MAX: usize> {
    chunks: Vec<Arc<[S]>>,
    tail: Vec<S>,
    /// Samples dropped from the front to respect the cap.
    dropped: u64,
}

impl<S, const MAX: usize> Default for Series<S, MAX> {
    fn default() -> Self {
        Self { chunks: Vec::new(), tail: Vec::new(), dropped: 0 }
    }
}

/// A sample that charts can read: its time and one of its metrics.
pub trait Sampled {
    type Metric: Copy;
    fn time_seconds(&self) -> f64;
    fn value(&self, metric: Self::Metric) -> f64;
}

impl<S, const MAX: usize> Series<S, MAX> {
    pub fn push(&mut self, sample: S) {
        self.tail.push(sample);
        if self.tail.len() >= CHUNK {
            self.chunks.push(Arc::from(std::mem::take(&mut self.tail)));
        }
        if self.len() > MAX && !self.chunks.is_empty() {
            let oldest = self.chunks.remove(0);
            self.dropped += oldest.len() as u64;
        }
    }

    pub fn len(&self) -> usize {
        self.chunks.iter().map(|chunk| chunk.len()).sum::<usize>() + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many of the oldest samples were dropped to stay under `MAX`.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Every kept sample, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &S> + '_ {
        self.chunks.iter().flat_map(|chunk| chunk.iter()).chain(self.tail.iter())
    }

    pub fn last(&self) -> Option<&S> {
        self.tail.last().or_else(|| self.chunks.last().and_then(|chunk| chunk.last()))
    }

    /// The newest `count` samples, oldest first.
    pub fn recent(&self, count: usize) -> impl Iterator<Item = &S> + '_ {
        self.iter().skip(self.len().saturating_sub(count))
    }

    /// Whether `other` shares this series' first frozen chunk (clones do).
    pub fn shares_history_with(&self, other: &Self) -> bool {
        matches!((self.chunks.first(), other.chunks.first()), (Some(a), Some(b)) if Arc::ptr_eq(a, b))
    }
}

impl<S: Sampled, const MAX: usize> Series<S, MAX> {
    /// `(seconds, value)` points of one metric over the newest `count` samples, ready for
    /// `chart::path` (NaN values break the line).
    pub fn points(&self, metric: S::Metric, count: usize) -> Vec<(f64, f64)> {
        self.recent(count).map(|sample| (sample.time_seconds(), sample.value(metric))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_at_most_max_dropping_whole_old_chunks() {
        let mut series = Series::<u32, 200>::default();
        for value in 0..1000 {
            series.push(value);
        }
        assert!(series.len() <= 200 && series.len() > 200 - CHUNK, "{}", series.len());
        assert_eq!(series.dropped() + series.len() as u64, 1000);
        assert_eq!(series.last(), Some(&999));
        assert_eq!(series.recent(3).copied().collect::<Vec<_>>(), [997, 998, 999]);
        let copy = series.clone();
        assert!(copy.shares_history_with(&series));
    }
}

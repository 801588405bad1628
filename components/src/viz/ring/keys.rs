//! The keys placed on the ring: `user:0`, `user:1`, … hashed once with the chosen function.

use super::hash::HashFunction;
use std::fmt::Write;

pub const MIN_KEYS: usize = 1;
pub const MAX_KEYS: usize = 100_000;

/// Built once per run and shared (behind an `Arc`) by every state of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Keys {
    hash_function: HashFunction,
    /// `hashes[i]` is the hash of `user:i`: its position on the ring.
    hashes: Vec<u64>,
    /// `(hash, index)` sorted clockwise, so a sweep can meet keys and points in order.
    clockwise: Vec<(u64, u32)>,
}

impl Keys {
    /// `count` keys, clamped to `1..=100,000`.
    pub fn new(count: usize, hash_function: HashFunction) -> Self {
        let count = count.clamp(MIN_KEYS, MAX_KEYS);
        let mut name = String::new();
        let hashes: Vec<u64> = (0..count)
            .map(|index| {
                name.clear();
                let _ = write!(name, "user:{index}");
                hash_function.hash(name.as_bytes())
            })
            .collect();
        Self::from_hashes(hash_function, hashes)
    }

    /// Keys at chosen positions, for tests worked out on paper.
    pub(crate) fn from_hashes(hash_function: HashFunction, hashes: Vec<u64>) -> Self {
        let mut clockwise: Vec<(u64, u32)> = hashes.iter().enumerate().map(|(index, &hash)| (hash, index as u32)).collect();
        clockwise.sort_unstable();
        Self { hash_function, hashes, clockwise }
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Never true (there is always at least one key); here because `len` is.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    pub fn hash_function(&self) -> HashFunction {
        self.hash_function
    }

    /// The name of key `index`: `user:<index>`.
    pub fn name(index: usize) -> String {
        format!("user:{index}")
    }

    /// The hash (ring position) of key `index`, if there is such a key.
    pub fn hash(&self, index: usize) -> Option<u64> {
        self.hashes.get(index).copied()
    }

    /// Every key's hash, by key index.
    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    /// `(hash, key index)` in clockwise order: handy for drawing keys as a density band.
    pub fn clockwise(&self) -> &[(u64, u32)] {
        &self.clockwise
    }
}

#[cfg(test)]
mod tests {
    use super::super::hash::fnv1a_64;
    use super::*;

    #[test]
    fn keys_are_named_users_hashed_with_the_chosen_function() {
        let keys = Keys::new(3, HashFunction::Fnv1a);
        assert_eq!(keys.len(), 3);
        assert_eq!(Keys::name(2), "user:2");
        assert_eq!(keys.hash(2), Some(fnv1a_64(b"user:2")));
        assert_eq!(keys.hash(3), None);
        assert!(keys.clockwise().windows(2).all(|pair| pair[0].0 <= pair[1].0));
        assert_eq!(Keys::new(0, HashFunction::Murmur3).len(), 1);
        assert_eq!(Keys::new(usize::MAX, HashFunction::Murmur3).len(), MAX_KEYS);
    }
}

//! The data set and its traffic: users `user:0` to `user:N−1` (the partition key is the id),
//! each with a seeded share of the data, each as busy as its Zipf rank says, one of them a
//! possible celebrity (the hot key), which the reader can salt into sub-keys.
//!
//! Everything a strategy places is an *item*: items `0..N` are the users, and while the hot key
//! is salted over `k` sub-keys, items `N..N+k` are `user:<hot>#0` to `user:<hot>#k−1`.

use std::sync::Arc;

use crate::sim::SimRng;
use crate::viz::eviction::Zipf;
use crate::viz::ring::{HashFunction, Keys};

use super::Config;

/// The part of every user's data that is not spread at random: no user holds nothing.
const SIZE_FLOOR: f64 = 0.05;

#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Every user's MurmurHash3 (the consistent-hashing tool's keys, `user:<id>`).
    keys: Arc<Keys>,
    /// `key_of_rank[r]` is the user of popularity rank `r + 1`.
    key_of_rank: Arc<Vec<u32>>,
    /// Each user's share of the requests (Zipf by rank), summing to 1.
    popularity: Arc<Vec<f64>>,
    /// Each user's share of the data, summing to 1.
    size_share: Arc<Vec<f64>>,
    zipf: Zipf,
    hot_key: u32,
    /// Sub-keys of the hot key: 1 while it is not salted.
    salt: u8,
    /// The sub-keys' hashes (empty while not salted).
    sub_hashes: Vec<u64>,
}

/// What one request reads or writes: `count` items from `first` (a salted read asks them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub first: u32,
    pub count: u32,
    pub fan_out: bool,
}

impl Workload {
    pub fn new(config: &Config, rng: &mut SimRng) -> Self {
        let count = config.keys.clamp(1, crate::viz::ring::MAX_KEYS);
        let keys = Keys::new(count, HashFunction::Murmur3);
        let key_of_rank: Vec<u32> = if config.newest_busiest {
            (0..count as u32).rev().collect()
        } else {
            let mut order: Vec<u32> = (0..count as u32).collect();
            for index in (1..count).rev() {
                let other = rng.below(index as u64 + 1) as usize;
                order.swap(index, other);
            }
            order
        };
        let sizes: Vec<f64> = (0..count).map(|_| SIZE_FLOOR + rng.exponential(1.0)).collect();
        let total: f64 = sizes.iter().sum();
        let size_share = sizes.into_iter().map(|size| size / total).collect();
        let hot_key = rng.below(count as u64) as u32;
        let mut workload = Self {
            keys: Arc::new(keys),
            key_of_rank: Arc::new(key_of_rank),
            popularity: Arc::new(Vec::new()),
            size_share: Arc::new(size_share),
            zipf: Zipf::new(count as u32, config.skew()),
            hot_key,
            salt: 1,
            sub_hashes: Vec::new(),
        };
        workload.set_skew(config.skew());
        workload
    }

    /// Users' popularity follows `1 / rank^skew`, normalised.
    pub fn set_skew(&mut self, skew: f64) {
        let count = self.key_of_rank.len();
        let weights: Vec<f64> = (1..=count).map(|rank| (rank as f64).powf(-skew)).collect();
        let total: f64 = weights.iter().sum();
        let mut popularity = vec![0.0; count];
        for (weight, key) in weights.iter().zip(self.key_of_rank.iter()) {
            popularity[*key as usize] = weight / total;
        }
        self.popularity = Arc::new(popularity);
        self.zipf = Zipf::new(count as u32, skew);
    }

    /// Spreads the hot key over `salt` sub-keys (1: none), each placed by its own hash.
    pub fn set_salt(&mut self, salt: u8) {
        self.salt = salt.max(1);
        self.sub_hashes = if self.salt < 2 {
            Vec::new()
        } else {
            (0..self.salt).map(|sub| HashFunction::Murmur3.hash(sub_key_name(self.hot_key, sub).as_bytes())).collect()
        };
    }

    /// Users.
    pub fn keys(&self) -> usize {
        self.key_of_rank.len()
    }

    /// Users and sub-keys: everything a strategy places.
    pub fn items(&self) -> usize {
        self.keys() + self.sub_hashes.len()
    }

    pub fn hot_key(&self) -> u32 {
        self.hot_key
    }

    /// 1 while the hot key is not salted.
    pub fn salt(&self) -> u8 {
        self.salt
    }

    pub fn salted(&self) -> bool {
        self.salt >= 2
    }

    /// A user's share of the requests, before the hot key takes its share.
    pub fn popularity(&self, key: usize) -> f64 {
        self.popularity.get(key).copied().unwrap_or(0.0)
    }

    /// A user's share of the data.
    pub fn size_share(&self, key: usize) -> f64 {
        self.size_share.get(key).copied().unwrap_or(0.0)
    }

    /// The user of popularity rank `rank` (from 1).
    pub fn key_of_rank(&self, rank: usize) -> Option<u32> {
        rank.checked_sub(1).and_then(|index| self.key_of_rank.get(index)).copied()
    }

    /// The item's MurmurHash3: what hash mod N, the ring and the fixed partitions place.
    pub fn hash(&self, item: usize) -> u64 {
        match item.checked_sub(self.keys()) {
            None => self.keys.hashes()[item],
            Some(sub) => self.sub_hashes.get(sub).copied().unwrap_or(0),
        }
    }

    /// Where the item sorts in the key space, for range partitioning: a user at its id; a
    /// sub-key as if its salt were a prefix, which spreads the `k` of them evenly over the ids
    /// (sub-key 0 where the user is).
    pub fn position(&self, item: usize) -> usize {
        let keys = self.keys();
        match item.checked_sub(keys) {
            None => item,
            Some(sub) => (self.hot_key as usize + sub * keys / usize::from(self.salt.max(1))) % keys.max(1),
        }
    }

    /// Requests a second to each item. A salted hot key gets none itself: its writes go to one
    /// sub-key each (a `1/k` share apiece) and each of its reads asks every sub-key, so every
    /// sub-key gets all the reads. The sum is the rate, plus `(k − 1)` × the hot key's reads.
    pub fn item_loads(&self, config: &Config) -> Vec<f64> {
        let rate = f64::from(config.rate);
        let hot = f64::from(config.hot_percent.min(100)) / 100.0;
        let mut loads: Vec<f64> = self.popularity.iter().map(|share| rate * (1.0 - hot) * share).collect();
        let Some(hot_load) = loads.get_mut(self.hot_key as usize) else { return loads };
        *hot_load += rate * hot;
        if self.salted() {
            let whole = std::mem::take(hot_load);
            let reads = f64::from(config.reads_percent.min(100)) / 100.0;
            let each = whole * ((1.0 - reads) / f64::from(self.salt) + reads);
            loads.extend(std::iter::repeat_n(each, self.sub_hashes.len()));
        }
        loads
    }

    /// Each item's data in GB. Salting sends the hot key's requests to its sub-keys but leaves
    /// its data where it is (the sub-keys start empty), so sub-keys hold none.
    pub fn item_sizes(&self, config: &Config) -> Vec<f64> {
        let data = f64::from(config.data_gb);
        let mut sizes: Vec<f64> = self.size_share.iter().map(|share| share * data).collect();
        sizes.extend(std::iter::repeat_n(0.0, self.sub_hashes.len()));
        sizes
    }

    /// One request: the hot key with its share of the traffic, else a user by Zipf rank; to a
    /// salted hot key, a write to one sub-key or a read of all of them.
    pub fn sample(&self, config: &Config, rng: &mut SimRng) -> Request {
        let single = |item: usize| Request { first: item as u32, count: 1, fan_out: false };
        let key = if rng.chance(f64::from(config.hot_percent) / 100.0) {
            self.hot_key
        } else {
            let rank = self.zipf.sample(rng) as usize;
            self.key_of_rank(rank).unwrap_or(0)
        };
        if key != self.hot_key || !self.salted() {
            return single(key as usize);
        }
        let salt = u64::from(self.salt);
        if rng.chance(f64::from(config.reads_percent) / 100.0) {
            Request { first: self.keys() as u32, count: salt as u32, fan_out: true }
        } else {
            single(self.keys() + rng.below(salt) as usize)
        }
    }
}

/// `user:42`.
pub fn key_name(key: u32) -> String {
    format!("user:{key}")
}

/// `user:42#3`: sub-key 3 of a salted key.
pub fn sub_key_name(key: u32, sub: u8) -> String {
    format!("user:{key}#{sub}")
}

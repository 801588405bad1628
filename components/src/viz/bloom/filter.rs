//! The filter itself: m positions, each a bit (standard) or a 4-bit counter (counting), and k
//! positions per item from one 128-bit hash by double hashing.

use std::sync::Arc;

use crate::viz::ring::murmur3_x64_128;

/// The largest value a counter holds. A counter that reaches it is stuck there: its true count
/// is no longer known, so a remove never lowers it. It can only err towards "maybe present",
/// which keeps the promise of no false negatives at the price of a few more false positives.
pub const COUNTER_MAX: u8 = 15;

/// The two kinds of filter the tool offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// One bit per position: small, but nothing can be taken out, because a bit may be
    /// shared by several items.
    Standard,
    /// A 4-bit counter per position (four times the memory): an add counts up, a remove counts
    /// down, so items can be deleted.
    Counting,
}

impl Variant {
    /// Bits of storage per position.
    fn width(self) -> u64 {
        match self {
            Variant::Standard => 1,
            Variant::Counting => 4,
        }
    }

    /// What one position is called on the page.
    pub fn slot(self) -> &'static str {
        match self {
            Variant::Standard => "bit",
            Variant::Counting => "counter",
        }
    }
}

/// Why a remove was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A standard filter cannot delete.
    Standard,
    /// Some of the item's counters are at zero, so it was never added.
    NotThere,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    variant: Variant,
    size: u64,
    hashes: u32,
    seed: u32,
    /// Positions packed into words: 64 bits, or 16 counters, a word. Behind an `Arc` so the
    /// timeline's saved states share one array until a write copies it (once per saved state,
    /// and only while items go in: tests never write).
    words: Arc<Vec<u64>>,
    occupied: u64,
    saturated: u64,
}

impl Filter {
    /// An empty filter of `size` positions, `hashes` per item (1 to 32: the masks below are
    /// `u32`, and sizing never asks for more than 14), hashing with `seed`.
    pub fn new(variant: Variant, size: u64, hashes: u32, seed: u32) -> Self {
        let size = size.max(1);
        let words = (size * variant.width()).div_ceil(64) as usize;
        Self { variant, size, hashes: hashes.clamp(1, 32), seed, words: Arc::new(vec![0; words]), occupied: 0, saturated: 0 }
    }

    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// m, the number of positions.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// k, the positions per item.
    pub fn hashes(&self) -> u32 {
        self.hashes
    }

    /// Positions that are not zero (set bits, or counters above zero).
    pub fn occupied(&self) -> u64 {
        self.occupied
    }

    /// Counters stuck at `COUNTER_MAX` (always 0 for the standard variant).
    pub fn saturated(&self) -> u64 {
        self.saturated
    }

    /// The item's k positions (Kirsch and Mitzenmacher's double hashing): one MurmurHash3 gives
    /// two 64-bit halves h1 and h2, and position i is (h1 + i·h2) mod m. Two hashes do the work
    /// of k with no measurable loss. Positions may repeat (when h2 mod m is 0, all of them do).
    pub fn positions(&self, item: &str) -> impl Iterator<Item = u64> {
        let (h1, h2) = murmur3_x64_128(item.as_bytes(), self.seed);
        let (start, step, size) = (h1 % self.size, h2 % self.size, self.size);
        // Both below m (at most a few million), so start + i·step cannot overflow.
        (0..u64::from(self.hashes)).map(move |i| (start + i * step) % size)
    }

    /// The value at a position: 0 or 1 for a bit, 0 to 15 for a counter.
    pub fn count(&self, position: u64) -> u8 {
        let (word, shift, mask) = self.locate(position);
        ((self.words[word] >> shift) & mask) as u8
    }

    fn locate(&self, position: u64) -> (usize, u64, u64) {
        let width = self.variant.width();
        let per_word = 64 / width;
        ((position / per_word) as usize, (position % per_word) * width, (1 << width) - 1)
    }

    fn put(&mut self, position: u64, value: u8) {
        let (word, shift, mask) = self.locate(position);
        let words = Arc::make_mut(&mut self.words);
        words[word] = (words[word] & !(mask << shift)) | ((u64::from(value) & mask) << shift);
    }

    /// "Maybe present" when every position is non-zero; "definitely not" (false) otherwise.
    pub fn contains(&self, item: &str) -> bool {
        self.positions(item).all(|position| self.count(position) > 0)
    }

    /// A mask of which of the item's positions (bit i for the i-th) hold zero now.
    pub fn empty_mask(&self, item: &str) -> u32 {
        self.positions(item).enumerate().fold(0, |mask, (i, position)| if self.count(position) == 0 { mask | 1 << i } else { mask })
    }

    /// Sets the item's bits, or counts its counters up (a stuck counter stays stuck). Returns
    /// which positions were zero before.
    pub fn add(&mut self, item: &str) -> u32 {
        let before = self.empty_mask(item);
        let limit = match self.variant {
            Variant::Standard => 1,
            Variant::Counting => COUNTER_MAX,
        };
        for position in self.positions(item) {
            let value = self.count(position);
            if value < limit {
                self.put(position, value + 1);
                self.occupied += u64::from(value == 0);
                self.saturated += u64::from(self.variant == Variant::Counting && value + 1 == COUNTER_MAX);
            }
        }
        before
    }

    /// Counts the item's counters down (counting variant only), leaving stuck ones alone.
    /// Refused when the filter cannot delete, or when a counter is already zero: then the item
    /// is certainly absent, and lowering the others would steal counts from other items.
    /// Returns which positions reached zero.
    pub fn remove(&mut self, item: &str) -> Result<u32, Refusal> {
        if self.variant == Variant::Standard {
            return Err(Refusal::Standard);
        }
        if self.empty_mask(item) != 0 {
            return Err(Refusal::NotThere);
        }
        let mut emptied = 0;
        // Collected first: the positions borrow the filter, and the writes need it mutably.
        let positions: Vec<u64> = self.positions(item).collect();
        for (i, position) in positions.into_iter().enumerate() {
            let value = self.count(position);
            // A repeated position may already have reached zero: never wrap below it.
            if value > 0 && value < COUNTER_MAX {
                self.put(position, value - 1);
                if value == 1 {
                    self.occupied -= 1;
                    emptied |= 1 << i;
                }
            }
        }
        Ok(emptied)
    }

    /// How many positions in `start..end` are non-zero, a word at a time.
    pub fn occupied_in(&self, start: u64, end: u64) -> u64 {
        let width = self.variant.width();
        let per_word = 64 / width;
        let (mut position, end) = (start, end.min(self.size));
        let mut total = 0;
        while position < end {
            let word = position / per_word;
            let base = word * per_word;
            let (first, last) = (position - base, (end - base).min(per_word));
            let mut bits = self.words[word as usize];
            if width == 4 {
                // Fold each counter's four bits onto its lowest: one bit per non-zero counter.
                bits = (bits | bits >> 1 | bits >> 2 | bits >> 3) & 0x1111_1111_1111_1111;
            }
            let high = if last * width == 64 { u64::MAX } else { (1 << (last * width)) - 1 };
            let low = (1u64 << (first * width)) - 1;
            total += u64::from((bits & high & !low).count_ones());
            position = base + last;
        }
        total
    }
}

//! What the view draws besides the charts: each key's state and the database's.

use super::HOT_KEY_COUNT;

/// What the cache holds for a key, as the view draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    /// A value younger than its TTL: reads hit.
    Fresh,
    /// An expired value is still stored: a miss, unless stale-while-revalidate serves it.
    Expired,
    /// Nothing is stored (cold start, or never loaded).
    Empty,
}

/// One key's state for drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyView {
    /// 0 is the most popular key.
    pub index: usize,
    /// `hot:3` for the hot keys, `key:42` for the rest.
    pub name: String,
    /// Share of the requests for existing keys that ask for this one.
    pub share: f64,
    pub status: KeyStatus,
    /// Time until the value expires (negative once expired); `None` when nothing is stored.
    pub expires_in_ms: Option<i64>,
    /// Recomputations of this key in the database, queued or running.
    pub recomputations_in_flight: u32,
    /// A lock, single flight or background refresh holds the key.
    pub held: bool,
    /// Requests waiting on the key's single flight.
    pub attached: u32,
    /// Requests polling the cache while another holds the key's lock.
    pub polling: u32,
}

impl KeyView {
    /// Requests waiting on this key's lock or single flight. (Unprotected misses wait inside
    /// their own queries: see `recomputations_in_flight`.)
    pub fn waiting(&self) -> u32 {
        self.attached + self.polling
    }
}

/// The database's state for drawing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DatabaseView {
    pub running: u32,
    pub queued: u32,
    pub concurrency: u32,
    /// How much slower than its base cost a query starting now would run.
    pub slowdown: f64,
}

/// The name the narration and the view use for a key.
pub fn key_name(index: usize) -> String {
    if index < HOT_KEY_COUNT {
        format!("hot:{index}")
    } else {
        format!("key:{index}")
    }
}

//! The live region's sentence: the last notable event, not a running commentary. Each closed
//! window is checked for the start of an episode (a wave of expired reads, or failures) and for
//! its end, so a screen reader hears one sentence per episode rather than one per 100 ms.

use super::metrics::Window;
use super::{key_name, Action, Fix, SAMPLE_MS};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Event {
    Started { warm: bool, penetration: bool, missing_percent: u32, ttl_seconds: u32 },
    Acted(Action),
    /// Expired reads went straight to the database.
    Herd { key: u16, other_keys: u32, sent: u32, queue: u32 },
    /// Expired reads waited on one recomputation per key.
    Absorbed { key: u16, other_keys: u32, missed: u32, recomputations: u32, coalesced: bool },
    /// Expired reads were answered with the stale value.
    ServedStale { key: u16, other_keys: u32, stale: u32 },
    Failing { timeouts: u32, refused: u32, timeout_ms: u32, queue: u32 },
    /// The end of an episode with failures, with what it cost.
    Recovered { lasted_ms: u64, peak_queue: u32, timeouts: u64, refused: u64, p99_ms: Option<u32> },
}

/// What the closed window looked like, gathered by the model.
pub(super) struct WindowSummary {
    pub window: Window,
    pub queue: u32,
    pub p99_ms: Option<u32>,
    /// The key with the most expired reads in the window, and how many other keys had some.
    pub top_key: Option<(u16, u32)>,
    pub coalescing: bool,
    pub timeout_ms: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Narrator {
    pub last: Event,
    pub last_at_ms: u64,
    in_episode: bool,
    failing: bool,
    episode: EpisodeCost,
}

/// What the current episode has cost so far, told when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct EpisodeCost {
    started_ms: u64,
    peak_queue: u32,
    timeouts: u64,
    refused: u64,
}

impl Narrator {
    pub fn new(first: Event) -> Self {
        Self { last: first, last_at_ms: 0, in_episode: false, failing: false, episode: EpisodeCost::default() }
    }

    pub fn tell(&mut self, event: Event, at_ms: u64) {
        self.last = event;
        self.last_at_ms = at_ms;
    }

    pub fn close_window(&mut self, summary: &WindowSummary, at_ms: u64) {
        let window = &summary.window;
        let expired_reads = window.misses + window.stale_served;
        let wave = expired_reads >= 10 && expired_reads * 20 >= window.lookups;
        let failing = window.timeouts + window.refused > 0;
        let calm = !wave && !failing && summary.queue == 0;
        let failure = Event::Failing { timeouts: window.timeouts, refused: window.refused, timeout_ms: summary.timeout_ms, queue: summary.queue };
        if !self.in_episode && (wave || failing) {
            self.in_episode = true;
            self.failing = false;
            self.episode = EpisodeCost { started_ms: at_ms.saturating_sub(SAMPLE_MS.into()), ..EpisodeCost::default() };
            if let Some(event) = Self::wave_event(summary).filter(|_| wave) {
                // The wave is the better sentence; its failures are told when it ends.
                self.tell(event, at_ms);
                self.failing = failing;
            }
        }
        if !self.in_episode {
            return;
        }
        self.episode.peak_queue = self.episode.peak_queue.max(summary.queue);
        self.episode.timeouts += u64::from(window.timeouts);
        self.episode.refused += u64::from(window.refused);
        if failing && !self.failing {
            self.failing = true;
            self.tell(failure, at_ms);
        } else if calm {
            if self.failing {
                let cost = self.episode;
                let lasted_ms = at_ms.saturating_sub(cost.started_ms);
                self.tell(
                    Event::Recovered { lasted_ms, peak_queue: cost.peak_queue, timeouts: cost.timeouts, refused: cost.refused, p99_ms: summary.p99_ms },
                    at_ms,
                );
            }
            self.in_episode = false;
            self.failing = false;
        }
    }

    fn wave_event(summary: &WindowSummary) -> Option<Event> {
        let window = &summary.window;
        let (key, other_keys) = summary.top_key?;
        Some(if window.stale_served >= window.misses {
            Event::ServedStale { key, other_keys, stale: window.stale_served }
        } else if window.misses_sent * 2 >= window.misses {
            Event::Herd { key, other_keys, sent: window.misses_sent, queue: summary.queue }
        } else {
            Event::Absorbed { key, other_keys, missed: window.misses, recomputations: window.held_queries_sent, coalesced: summary.coalescing }
        })
    }

    pub fn sentence(&self) -> String {
        format!("{}: {}", format_ms(self.last_at_ms), describe(&self.last))
    }
}

fn describe(event: &Event) -> String {
    let window = format_ms(SAMPLE_MS.into());
    match *event {
        Event::Started { warm, penetration, missing_percent, ttl_seconds } => {
            let cache = if warm {
                format!("every key was loaded at once, so all of them expire together at {ttl_seconds} s unless something spreads them")
            } else {
                "the cache starts empty, so the first request for every key goes to the database".to_string()
            };
            if penetration {
                format!("Start: {cache}. {missing_percent}% of requests ask for keys that do not exist; the cache can never hold those, so each one reaches the database.")
            } else {
                format!("Start: {cache}.")
            }
        }
        Event::Acted(action) => action.explanation().to_string(),
        Event::Herd { key, other_keys, sent, queue } => format!(
            "{} expired: {sent} requests missed in {window} and went to the database; queue {queue}.",
            keys_phrase(key, other_keys)
        ),
        Event::Absorbed { key, other_keys, missed, recomputations, coalesced } => {
            let how = if coalesced {
                "the rest wait for it and complete with it (single flight)"
            } else {
                "the rest re-check the cache every 50 ms until it is filled (lock)"
            };
            format!(
                "{} expired: {missed} requests missed in {window}, but only {recomputations} {} went to the database; {how}.",
                keys_phrase(key, other_keys),
                if recomputations == 1 { "recomputation" } else { "recomputations" }
            )
        }
        Event::ServedStale { key, other_keys, stale } => format!(
            "{} expired: {stale} requests got the stale value at once while one background refresh per key runs.",
            keys_phrase(key, other_keys)
        ),
        Event::Failing { timeouts, refused, timeout_ms, queue } => {
            let mut parts = Vec::new();
            if timeouts > 0 {
                parts.push(format!("{timeouts} requests gave up after {}", format_ms(timeout_ms.into())));
            }
            if refused > 0 {
                parts.push(format!("{refused} were refused because the database queue was full"));
            }
            format!("Failures: {} in {window}; the database queue holds {queue} queries.", parts.join(" and "))
        }
        Event::Recovered { lasted_ms, peak_queue, timeouts, refused, p99_ms } => {
            let refused = if refused > 0 { format!(", {refused} were refused") } else { String::new() };
            format!(
                "Back to normal after {}: the queue peaked at {peak_queue} queries, {timeouts} requests timed out{refused}; p99 is {} again.",
                format_ms(lasted_ms),
                format_optional_ms(p99_ms)
            )
        }
    }
}

fn keys_phrase(key: u16, other_keys: u32) -> String {
    match other_keys {
        0 => key_name(key.into()),
        1 => format!("{} and 1 other key", key_name(key.into())),
        more => format!("{} and {more} other keys", key_name(key.into())),
    }
}

/// "250 ms", "1.2 s".
pub(super) fn format_ms(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        let seconds = format!("{:.1}", ms as f64 / 1000.0);
        format!("{} s", seconds.trim_end_matches(".0"))
    }
}

fn format_optional_ms(ms: Option<u32>) -> String {
    ms.map_or_else(|| "not measured".to_string(), |ms| format_ms(ms.into()))
}

impl Fix {
    /// What switching this fix on does, in one sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            Fix::Lock => "Lock on: the first request to miss a key takes a lock and recomputes it; the others re-check the cache every 50 ms until it is filled or they time out.",
            Fix::Coalesce => "Single flight on: requests for a key that is being recomputed attach to that one query and complete with it.",
            Fix::EarlyRecompute => "Early recomputation on: each read may recompute a key shortly before it expires (XFetch), more likely the closer the expiry and the slower the last recompute, so expiry rarely arrives.",
            Fix::StaleWhileRevalidate => "Stale-while-revalidate on: an expired value is served at once while one background refresh runs.",
            Fix::TtlJitter => "TTL jitter on: every TTL set from now varies by the jitter percentage, so keys written together stop expiring together.",
            Fix::BloomFilter => "Bloom filter on: requests for keys that do not exist are turned away before the database; about 1 in 100 slips through as a false positive.",
        }
    }
}

impl Action {
    /// What the action did, in one sentence, for the live region.
    pub fn explanation(&self) -> &'static str {
        match self {
            Action::Set(fix, true) => fix.explanation(),
            Action::Set(Fix::Lock, false) => "Lock off: every request that misses recomputes the key itself.",
            Action::Set(Fix::Coalesce, false) => "Single flight off: every request that misses sends its own query.",
            Action::Set(Fix::EarlyRecompute, false) => "Early recomputation off: keys are recomputed only after they expire.",
            Action::Set(Fix::StaleWhileRevalidate, false) => "Stale-while-revalidate off: an expired value is a miss again.",
            Action::Set(Fix::TtlJitter, false) => "TTL jitter off: every key gets exactly the TTL again.",
            Action::Set(Fix::BloomFilter, false) => "Bloom filter off: requests for missing keys reach the database again.",
            Action::ExpireHotKeys => "The hot keys expired together just now.",
            Action::RestartCache => "The cache restarted cold: every entry is gone.",
            Action::WarmUp => "Warm-up loaded the hottest keys (90% of the traffic) before requests reached them.",
        }
    }
}

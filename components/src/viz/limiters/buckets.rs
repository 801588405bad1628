//! The two buckets. A token bucket lets a burst through up to its capacity and then the refill
//! rate; a leaky bucket queues what arrives and lets it out at a constant rate, turning bursts
//! into delay instead of passing them on.
//!
//! Both count in exact integer units so tests can be worked by hand: one token (or one request's
//! worth of drain) is `rate.per_ticks` units and every tick adds `rate.requests` units. A rate
//! such as 10 requests per 3 s then needs no rounding at all.

use std::collections::VecDeque;

use super::TICKS_PER_SECOND;

/// `requests` every `per_ticks` ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub requests: u64,
    pub per_ticks: u64,
}

impl Rate {
    /// Both parts at least 1, so a rate never divides by zero or stands still.
    pub fn new(requests: u64, per_ticks: u64) -> Self {
        Self { requests: requests.max(1), per_ticks: per_ticks.max(1) }
    }

    pub fn per_second(requests: u64) -> Self {
        Self::new(requests, TICKS_PER_SECOND)
    }

    pub fn requests_per_second(&self) -> f64 {
        self.requests as f64 * TICKS_PER_SECOND as f64 / self.per_ticks as f64
    }
}

/// Holds up to `capacity` tokens, gains `rate` tokens, and spends one per accepted request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenBucket {
    rate: Rate,
    capacity_units: u64,
    units: u64,
    /// The tick the refill was last counted up to.
    refilled_at: u64,
}

impl TokenBucket {
    /// A full bucket at tick 0.
    pub fn new(capacity: u32, rate: Rate) -> Self {
        let rate = Rate::new(rate.requests, rate.per_ticks);
        let capacity_units = u64::from(capacity).saturating_mul(rate.per_ticks);
        Self { rate, capacity_units, units: capacity_units, refilled_at: 0 }
    }

    /// `count` requests arrive at tick `now` (never earlier than the last offer); returns how
    /// many found a token.
    pub fn offer(&mut self, now: u64, count: u32) -> u32 {
        self.refill(now);
        let affordable = self.units / self.rate.per_ticks;
        let accepted = u64::from(count).min(affordable);
        self.units -= accepted * self.rate.per_ticks;
        accepted as u32
    }

    fn refill(&mut self, now: u64) {
        if now > self.refilled_at {
            let gained = (now - self.refilled_at).saturating_mul(self.rate.requests);
            self.units = self.units.saturating_add(gained).min(self.capacity_units);
            self.refilled_at = now;
        }
    }

    /// Tokens left after the last offer (fractions included).
    pub fn tokens(&self) -> f64 {
        self.units as f64 / self.rate.per_ticks as f64
    }

    pub fn capacity(&self) -> u64 {
        self.capacity_units / self.rate.per_ticks
    }

    /// The exact count: tokens × `rate.per_ticks`.
    pub fn token_units(&self) -> u64 {
        self.units
    }

    pub fn capacity_units(&self) -> u64 {
        self.capacity_units
    }

    pub fn rate(&self) -> Rate {
        self.rate
    }
}

/// Requests queued in the same tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Queued {
    arrived: u64,
    count: u32,
}

/// What one offer to the leaky bucket did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Leaked {
    /// Arrivals that found room in the queue (they will all be sent on, later).
    pub accepted: u32,
    /// Requests sent on since the previous offer, this tick included.
    pub sent: u32,
}

/// A queue of at most `capacity` requests, drained at `rate`. It never sends faster than its
/// rate; a request waits about (requests ahead of it) / rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeakyBucket {
    rate: Rate,
    capacity: u32,
    queue: VecDeque<Queued>,
    queued: u32,
    /// Drain credit in units: a request leaves when a whole `rate.per_ticks` is available.
    credit: u64,
    /// The first tick not processed yet.
    next_tick: u64,
}

impl LeakyBucket {
    /// An empty bucket at tick 0, ready to send the first request at once.
    pub fn new(capacity: u32, rate: Rate) -> Self {
        let rate = Rate::new(rate.requests, rate.per_ticks);
        let mut bucket = Self { rate, capacity, queue: VecDeque::new(), queued: 0, credit: 0, next_tick: 0 };
        bucket.credit = bucket.idle_credit();
        bucket
    }

    /// `count` requests arrive at tick `now`; as many as fit join the queue, then the queue
    /// drains. Ticks skipped since the last offer are drained first, as ticks with no arrivals.
    /// `on_sent(waited_ticks, count)` hears every request sent, with how long it waited.
    pub fn offer(&mut self, now: u64, count: u32, mut on_sent: impl FnMut(u64, u32)) -> Leaked {
        let now = now.max(self.next_tick.saturating_sub(1));
        let mut sent = self.run_empty_ticks(now, &mut on_sent);
        let accepted = count.min(self.capacity.saturating_sub(self.queued));
        if accepted > 0 {
            match self.queue.back_mut() {
                Some(last) if last.arrived == now => last.count += accepted,
                _ => self.queue.push_back(Queued { arrived: now, count: accepted }),
            }
            self.queued += accepted;
        }
        if self.next_tick == now {
            self.credit = self.credit.saturating_add(self.rate.requests);
            self.next_tick = now + 1;
        }
        sent += self.drain(now, &mut on_sent);
        Leaked { accepted, sent }
    }

    /// The most credit an idle bucket keeps: one tick short of a whole request, so the next
    /// arrival leaves at once (its tick adds the rest) but idling never banks a burst.
    fn idle_credit(&self) -> u64 {
        self.rate.per_ticks.saturating_sub(self.rate.requests.min(self.rate.per_ticks))
    }

    /// Processes the ticks from `next_tick` up to (not including) `end` with no arrivals,
    /// jumping from one departure to the next.
    fn run_empty_ticks(&mut self, end: u64, on_sent: &mut impl FnMut(u64, u32)) -> u32 {
        let mut sent = 0;
        while self.next_tick < end {
            let remaining = end - self.next_tick;
            if self.queued == 0 {
                self.credit = self.credit.saturating_add(remaining.saturating_mul(self.rate.requests)).min(self.idle_credit());
                self.next_tick = end;
                break;
            }
            // With requests waiting, the credit is below one request after every tick.
            let wait = self.rate.per_ticks.saturating_sub(self.credit).div_ceil(self.rate.requests).max(1);
            if wait > remaining {
                self.credit = self.credit.saturating_add(remaining * self.rate.requests);
                self.next_tick = end;
                break;
            }
            let tick = self.next_tick + wait - 1;
            self.credit = self.credit.saturating_add(wait * self.rate.requests);
            sent += self.drain(tick, on_sent);
            self.next_tick = tick + 1;
        }
        sent
    }

    /// Sends as many queued requests as the credit pays for, oldest first.
    fn drain(&mut self, tick: u64, on_sent: &mut impl FnMut(u64, u32)) -> u32 {
        let mut sent = 0;
        while let Some(front) = self.queue.front_mut() {
            let affordable = self.credit / self.rate.per_ticks;
            if affordable == 0 {
                break;
            }
            let leaving = u64::from(front.count).min(affordable) as u32;
            self.credit -= u64::from(leaving) * self.rate.per_ticks;
            front.count -= leaving;
            self.queued -= leaving;
            sent += leaving;
            on_sent(tick.saturating_sub(front.arrived), leaving);
            if front.count == 0 {
                self.queue.pop_front();
            }
        }
        if self.queued == 0 {
            self.credit = self.credit.min(self.idle_credit());
        }
        sent
    }

    /// How long the oldest waiting request has waited by tick `now`; `None` when none waits.
    pub fn oldest_wait(&self, now: u64) -> Option<u64> {
        self.queue.front().map(|oldest| now.saturating_sub(oldest.arrived))
    }

    /// How far (0 to 1) the bucket has come towards letting the next request out, at its fixed
    /// pace: the drain credit as a share of one request. An idle bucket sits just short of 1,
    /// ready to send the next arrival at once.
    pub fn leak_progress(&self) -> f64 {
        (self.credit as f64 / self.rate.per_ticks as f64).min(1.0)
    }

    /// Requests waiting to be sent on.
    pub fn queued(&self) -> u32 {
        self.queued
    }

    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// How long the queue takes to drain at the rate: queue / rate, in ticks (rounded up).
    pub fn drain_ticks(&self) -> u64 {
        (u64::from(self.queued) * self.rate.per_ticks).div_ceil(self.rate.requests)
    }
}

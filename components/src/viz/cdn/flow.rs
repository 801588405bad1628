//! One tick of the network: fetches move from cache to cache, replies come back down, and the
//! users' requests reach their edges. Each cache applies RFC 9111 freshness and RFC 5861's two
//! stale windows (see the model's documentation).

use super::*;

impl Cdn {
    /// The CDN users should be on: A while it is up, else B while it is up, else where they are.
    pub(super) fn steering_target(&self) -> u8 {
        if self.cdn_up[0] {
            0
        } else if self.cdn_up[1] {
            1
        } else {
            self.serving
        }
    }

    /// Moves users once the CDN they should use has differed from the one they use for
    /// `FAILOVER_MS`.
    pub(super) fn steer(&mut self) {
        let target = self.steering_target();
        if target == self.serving {
            self.steer_since = None;
            return;
        }
        let since = *self.steer_since.get_or_insert(self.tick);
        if self.tick - since >= ticks(FAILOVER_MS) {
            self.serving = target;
            self.steer_since = None;
            self.event = (self.tick, Event::Steered(target));
        }
    }

    /// Every fetch whose leg ends this tick goes on to its next one (or ends).
    pub(super) fn move_fetches(&mut self) {
        let now = self.tick;
        let mut index = 0;
        while index < self.fetches.len() {
            let fetch = self.fetches[index];
            if fetch.arrives == now && !fetch.ended {
                self.fetches[index] = self.arrive(fetch);
            }
            index += 1;
        }
        self.fetches.retain(|fetch| !fetch.ended);
    }

    /// A fetch at the end of its leg: what the cache (or origin) there does with it.
    pub(super) fn arrive(&mut self, fetch: Fetch) -> Fetch {
        match fetch.leg {
            Leg::EdgeToShield => self.up_at_shield(fetch),
            Leg::ShieldToOrigin | Leg::EdgeToOrigin => self.at_origin(fetch),
            Leg::AtOrigin => self.leave_origin(fetch),
            Leg::OriginToShield => self.down_at_shield(fetch),
            Leg::ShieldToEdge | Leg::OriginToEdge => self.down_at_edge(fetch),
            Leg::Parked => fetch,
        }
    }

    /// `fetch` starting `leg` now (with `reply` on the way down).
    pub(super) fn onto(&self, fetch: Fetch, leg: Leg, reply: Option<Reply>) -> Fetch {
        let length = match leg {
            Leg::EdgeToShield | Leg::ShieldToEdge | Leg::EdgeToOrigin | Leg::OriginToEdge => fetch.region.edge_leg(),
            Leg::ShieldToOrigin | Leg::OriginToShield => ticks(SHIELD_RTT_MS / 2),
            Leg::AtOrigin => ticks(ORIGIN_MS),
            Leg::Parked => u32::MAX - self.tick,
        };
        Fetch { leg, sent: self.tick, arrives: self.tick + length.max(1), reply, ..fetch }
    }

    pub(super) fn ended(fetch: Fetch) -> Fetch {
        Fetch { ended: true, ..fetch }
    }

    /// The first leg up from an edge, through the shield if it is on.
    pub(super) fn up_from_edge(&self, fetch: Fetch) -> Fetch {
        let via_shield = self.config.shield;
        self.onto(Fetch { via_shield, ..fetch }, if via_shield { Leg::EdgeToShield } else { Leg::EdgeToOrigin }, None)
    }

    /// An edge's fetch reaches the shield: a fresh copy goes back down; a stale one within
    /// stale-while-revalidate goes back down while the shield revalidates (RFC 5861 §3);
    /// otherwise it waits on the shield's fetch in flight, or goes on to the origin.
    pub(super) fn up_at_shield(&mut self, fetch: Fetch) -> Fetch {
        let (now, node) = (self.tick, shield(fetch.cdn));
        let slot = *self.slot_mut(node, fetch.object);
        match slot.entry {
            Some(entry) if entry.is_fresh(now) => self.onto(fetch, Leg::ShieldToEdge, Some(Reply::Copy(entry))),
            Some(entry) if entry.within_swr(now) => {
                self.revalidate_at_shield(fetch.cdn, fetch.object, fetch.region);
                self.onto(fetch, Leg::ShieldToEdge, Some(Reply::StaleWhileRevalidate(entry)))
            }
            _ if self.config.coalesce && slot.in_flight > 0 => self.onto(fetch, Leg::Parked, None),
            _ => {
                self.slot_mut(node, fetch.object).in_flight += 1;
                self.onto(fetch, Leg::ShieldToOrigin, None)
            }
        }
    }

    /// The shield's own background fetch, unless one is in flight.
    pub(super) fn revalidate_at_shield(&mut self, cdn: u8, object: u16, region: Region) {
        let slot = self.slot_mut(shield(cdn), object);
        if slot.in_flight > 0 {
            return;
        }
        slot.in_flight += 1;
        let fetch = self.new_fetch(cdn, object, region, 0, true);
        let fetch = self.onto(fetch, Leg::ShieldToOrigin, None);
        self.fetches.push(fetch);
    }

    /// A new fetch (its first leg is set by the caller), numbered in sending order.
    pub(super) fn new_fetch(&mut self, cdn: u8, object: u16, region: Region, requests: u32, from_shield: bool) -> Fetch {
        let id = self.next_fetch;
        self.next_fetch = self.next_fetch.wrapping_add(1);
        let now = self.tick;
        Fetch { id, object, cdn, region, leg: Leg::Parked, sent: now, arrives: now, requests, arrived: now, reply: None, via_shield: from_shield, from_shield, ended: false }
    }

    /// A fetch reaches the origin: it starts generating, or, down, answers an error at once.
    pub(super) fn at_origin(&mut self, fetch: Fetch) -> Fetch {
        self.ledger.origin_fetch(fetch.region);
        #[cfg(test)]
        self.origin_log.push(OriginVisit { tick: self.tick, cdn: fetch.cdn, object: fetch.object, via_shield: fetch.via_shield, up: self.origin_up });
        if self.origin_up {
            self.onto(fetch, Leg::AtOrigin, None)
        } else {
            self.origin_errors += 1;
            self.back_from_origin(fetch, Reply::Error)
        }
    }

    /// The origin answers: a new copy with the `Cache-Control` it sends now, or, if it went
    /// down meanwhile, an error.
    pub(super) fn leave_origin(&mut self, fetch: Fetch) -> Fetch {
        if !self.origin_up {
            self.origin_errors += 1;
            return self.back_from_origin(fetch, Reply::Error);
        }
        let entry = self.generate(fetch.object, false);
        #[cfg(test)]
        self.generated.push(OriginVisit { tick: self.tick, cdn: fetch.cdn, object: fetch.object, via_shield: fetch.via_shield, up: true });
        self.back_from_origin(fetch, Reply::Copy(entry))
    }

    pub(super) fn back_from_origin(&self, fetch: Fetch, reply: Reply) -> Fetch {
        self.onto(fetch, if fetch.via_shield { Leg::OriginToShield } else { Leg::OriginToEdge }, Some(reply))
    }

    /// A new copy of the object's current version, with the directives the origin sends now.
    pub(super) fn generate(&mut self, object: u16, pushed: bool) -> Entry {
        let serial = self.next_serial;
        self.next_serial = self.next_serial.saturating_add(1);
        let now = self.tick;
        let in_ticks = |seconds: u32| u16::try_from(seconds * (1000 / TICK_MS)).unwrap_or(u16::MAX);
        let max_age = in_ticks(self.config.max_age_s);
        Entry {
            version: self.version(usize::from(object)),
            serial,
            born: now,
            expires: now.saturating_add(u32::from(max_age)),
            max_age,
            swr: in_ticks(self.config.swr_s),
            sie: in_ticks(self.config.sie_s),
            pushed,
        }
    }

    /// Whether a copy was made before the object's last hard purge.
    pub(super) fn hard_purged(&self, object: u16, entry: &Entry) -> bool {
        entry.serial < self.hard_purged_below[usize::from(object)]
    }

    /// Whether a copy sent as fresh was made before the object's last purge, hard or soft: a
    /// soft purge made it stale, so it may not arrive as fresh.
    pub(super) fn outdated_as_fresh(&self, object: u16, entry: &Entry) -> bool {
        self.hard_purged(object, entry) || entry.serial < self.soft_purged_below[usize::from(object)]
    }

    /// Keeps a copy unless the cache holds a newer one.
    pub(super) fn store(&mut self, node: usize, object: u16, entry: Entry) {
        let slot = self.slot_mut(node, object);
        if slot.entry.is_none_or(|held| entry.serial > held.serial) {
            slot.entry = Some(entry);
        }
    }

    /// The origin's reply reaches the shield: a copy is kept and answers the fetches parked on
    /// it; an error is answered with a stale copy within stale-if-error (RFC 5861 §4), or passed
    /// on. A copy made before a purge is thrown away and fetched again.
    pub(super) fn down_at_shield(&mut self, fetch: Fetch) -> Fetch {
        let (now, node) = (self.tick, shield(fetch.cdn));
        let slot = self.slot_mut(node, fetch.object);
        slot.in_flight = slot.in_flight.saturating_sub(1);
        let answer = match fetch.reply {
            Some(Reply::Copy(entry)) if self.outdated_as_fresh(fetch.object, &entry) => {
                self.slot_mut(node, fetch.object).in_flight += 1;
                return self.onto(fetch, Leg::ShieldToOrigin, None);
            }
            Some(Reply::Copy(entry)) => {
                self.store(node, fetch.object, entry);
                Reply::Copy(entry)
            }
            // Another fetch may have filled the shield meanwhile (without coalescing).
            _ => match self.slot_mut(node, fetch.object).entry {
                Some(entry) if entry.is_fresh(now) => Reply::Copy(entry),
                Some(entry) if entry.within_sie(now) => Reply::StaleIfError(entry),
                _ => Reply::Error,
            },
        };
        for index in 0..self.fetches.len() {
            let parked = self.fetches[index];
            if parked.leg == Leg::Parked && parked.cdn == fetch.cdn && parked.object == fetch.object && !parked.ended {
                self.fetches[index] = self.onto(parked, Leg::ShieldToEdge, Some(answer));
            }
        }
        if fetch.from_shield {
            Self::ended(fetch)
        } else {
            self.onto(fetch, Leg::ShieldToEdge, Some(answer))
        }
    }

    /// A reply reaches the edge: it answers the requests riding on the fetch and those waiting
    /// on it. A copy is kept; an error is answered with the edge's own stale copy within
    /// stale-if-error, or passed on to the users. A copy made before a purge is thrown away and
    /// fetched again, the requests still waiting.
    pub(super) fn down_at_edge(&mut self, fetch: Fetch) -> Fetch {
        let (now, node) = (self.tick, edge(fetch.cdn, fetch.region));
        let slot = self.slot_mut(node, fetch.object);
        slot.in_flight = slot.in_flight.saturating_sub(1);
        let decided_upstream = fetch.sent;
        let (served, copy, decided) = match fetch.reply {
            Some(Reply::Copy(entry)) if self.outdated_as_fresh(fetch.object, &entry) => {
                self.slot_mut(node, fetch.object).in_flight += 1;
                return self.up_from_edge(fetch);
            }
            Some(Reply::StaleWhileRevalidate(entry) | Reply::StaleIfError(entry)) if self.hard_purged(fetch.object, &entry) => {
                self.slot_mut(node, fetch.object).in_flight += 1;
                return self.up_from_edge(fetch);
            }
            Some(Reply::Copy(entry)) => {
                self.store(node, fetch.object, entry);
                // A newer copy may have been pushed meanwhile: answer with the newest.
                let held = self.slot_mut(node, fetch.object).entry.filter(|held| held.serial > entry.serial && held.is_fresh(now));
                (Served::Miss, Some(held.unwrap_or(entry)), now)
            }
            Some(Reply::StaleWhileRevalidate(entry)) => {
                self.store(node, fetch.object, entry);
                (Served::StaleWhileRevalidate, Some(entry), decided_upstream)
            }
            Some(Reply::StaleIfError(entry)) => {
                self.store(node, fetch.object, entry);
                (Served::StaleIfError, Some(entry), decided_upstream)
            }
            Some(Reply::Error) | None => match self.slot_mut(node, fetch.object).entry {
                Some(entry) if entry.is_fresh(now) => (Served::Miss, Some(entry), now),
                Some(entry) if entry.within_sie(now) => (Served::StaleIfError, Some(entry), now),
                _ => (Served::Error, None, now),
            },
        };
        let how = Answer { cdn: fetch.cdn, region: fetch.region, object: fetch.object, served, copy, decided, revalidating: true };
        if fetch.requests > 0 {
            self.answer(&how, fetch.requests, fetch.arrived);
        }
        self.release_waiters(node, &how);
        Self::ended(fetch)
    }

    /// Answers every request waiting at `node` for the object.
    pub(super) fn release_waiters(&mut self, node: usize, how: &Answer) {
        let mut waiters = std::mem::take(&mut self.waiters);
        waiters.retain(|waiter| {
            let mine = usize::from(waiter.node) == node && waiter.object == how.object;
            if mine {
                self.answer(how, waiter.count, waiter.arrived);
            }
            !mine
        });
        self.waiters = waiters;
    }

    pub(super) fn answer(&mut self, how: &Answer, count: u32, arrived: u32) {
        let latency = self.tick.saturating_sub(arrived) * TICK_MS + USER_RTT_MS;
        self.ledger.served(how.region, how.served, u64::from(count), latency);
        #[cfg(test)]
        self.journal.push(Delivery {
            tick: self.tick,
            region: how.region,
            cdn: how.cdn,
            object: how.object,
            served: how.served,
            count,
            copy: how.copy,
            decided: how.decided,
            revalidating: how.revalidating,
        });
    }

    pub(super) fn draw_arrivals(&mut self) {
        let last = self.config.objects.min(self.popularity.len()).saturating_sub(1);
        for region in Region::ALL {
            let mean = f64::from(self.config.rate) * REGION_SHARE[region.index()] * f64::from(TICK_MS) / 1000.0;
            for _ in 0..self.rng.poisson(mean) {
                let draw = self.rng.next_f64();
                let object = self.popularity.partition_point(|&cumulative| cumulative <= draw).min(last);
                self.request(region, object as u16);
            }
        }
    }

    /// One user request reaches its edge.
    pub(super) fn request(&mut self, region: Region, object: u16) {
        let (now, cdn) = (self.tick, self.serving);
        self.ledger.arrived(region, 1);
        let mut how = Answer { cdn, region, object, served: Served::Error, copy: None, decided: now, revalidating: false };
        if !self.cdn_up[usize::from(cdn)] {
            self.answer(&how, 1, now);
            return;
        }
        let node = edge(cdn, region);
        let slot = *self.slot_mut(node, object);
        match slot.entry {
            Some(entry) if entry.is_fresh(now) => {
                how.served = Served::Hit;
                how.copy = Some(entry);
                self.answer(&how, 1, now);
            }
            Some(entry) if entry.within_swr(now) => {
                if slot.in_flight == 0 {
                    self.send_from_edge(cdn, region, object, 0);
                }
                how = Answer { served: Served::StaleWhileRevalidate, copy: Some(entry), revalidating: true, ..how };
                self.answer(&how, 1, now);
            }
            _ if self.config.coalesce && slot.in_flight > 0 => self.wait(node as u8, object),
            _ => self.send_from_edge(cdn, region, object, 1),
        }
    }

    pub(super) fn send_from_edge(&mut self, cdn: u8, region: Region, object: u16, requests: u32) {
        self.slot_mut(edge(cdn, region), object).in_flight += 1;
        let fetch = self.new_fetch(cdn, object, region, requests, false);
        let fetch = self.up_from_edge(fetch);
        self.fetches.push(fetch);
    }

    pub(super) fn wait(&mut self, node: u8, object: u16) {
        let now = self.tick;
        match self.waiters.iter_mut().find(|waiter| waiter.node == node && waiter.object == object && waiter.arrived == now) {
            Some(waiter) => waiter.count += 1,
            None => self.waiters.push(Waiter { node, object, arrived: now, count: 1 }),
        }
    }

    pub(super) fn close_window(&mut self) {
        let sample = self.ledger.close(self.time_ms());
        self.series.push(sample);
    }
}

//! One tick of the system, in order: the health checks, the resolvers' walks (a query reaching
//! its server is answered; a reply reaching its resolver is cached and either sends the next
//! query down or answers every lookup waiting on it), the clients' lookups (at the resolver:
//! answered from its cache, joined to a walk in flight, or a new walk; back at the client:
//! cached and counted), and the lookups the clients make now. Then the reader's actions.

use super::*;
use metrics::Source;

impl Dns {
    // ---- Health checks -----------------------------------------------------------------------

    /// Every `interval` seconds the checker probes each primary; `threshold` results in a row
    /// that disagree with what it believes change its mind (Route 53's failure threshold counts
    /// both ways).
    pub(super) fn check_health(&mut self) {
        let every = self.config.interval_s.saturating_mul(TICKS_PER_SIM_SECOND).max(1);
        if self.tick % every != 0 {
            return;
        }
        for site in Region::ALL {
            let index = site.index();
            let up = self.server_up[index];
            if up == self.healthy[index] {
                self.streak[index] = 0;
                continue;
            }
            self.streak[index] = self.streak[index].saturating_add(1);
            if u32::from(self.streak[index]) >= self.config.threshold {
                self.healthy[index] = up;
                self.streak[index] = 0;
                self.event = (self.tick, Event::Health { site, healthy: up });
            }
        }
    }

    // ---- The resolvers' walks ----------------------------------------------------------------

    /// What a server of `level` answers a region's resolver asking for `name`, with its TTL.
    fn serve(&self, level: Level, region: Region, name: Name) -> Reply {
        let seconds = |s: u32| s.saturating_mul(TICKS_PER_SIM_SECOND);
        match (level, name) {
            (Level::Root, _) => Reply { answer: Answer::Referral(Level::Tld), ttl: seconds(self.config.root_ttl_s) },
            (Level::Tld, _) => Reply { answer: Answer::Referral(Level::Auth), ttl: seconds(self.config.tld_ttl_s) },
            (Level::Auth, Name::Www) => Reply { answer: Answer::Address(self.answer_for(region)), ttl: seconds(self.config.ttl_s) },
            // RFC 2308 §3: the SOA in the authority section carries the negative TTL.
            (Level::Auth, Name::Typo) => Reply { answer: Answer::NxDomain, ttl: seconds(self.config.neg_ttl_s) },
        }
    }

    /// The closest servers a region's resolver knows for example.com's names: the deepest
    /// delegation it has fresh, else the root (RFC 1034 §5.3.3, step 2).
    pub(super) fn closest(&self, region: Region) -> Level {
        let fresh = |record: Record| self.caches[region.index()][record.index()].is_some_and(|entry| entry.is_fresh(self.tick));
        if fresh(Record::ExampleNs) {
            Level::Auth
        } else if fresh(Record::ComNs) {
            Level::Tld
        } else {
            Level::Root
        }
    }

    /// Sends a query of a walk to `level` now, and counts it.
    fn ask(&mut self, region: Region, name: Name, level: Level) -> Resolution {
        #[cfg(test)]
        {
            // A walk's first query: the walk is not in the list yet.
            let first = !self.resolutions.iter().any(|walk| walk.region == region && walk.name == name);
            let cache = &self.caches[region.index()];
            self.journal.push(Note::Asked { tick: self.tick, region, name, level, first, com: cache[Record::ComNs.index()], example: cache[Record::ExampleNs.index()] });
        }
        self.ledger.count(
            region,
            match level {
                Level::Root => |counts| &mut counts.root,
                Level::Tld => |counts| &mut counts.tld,
                Level::Auth => |counts| &mut counts.auth,
            },
        );
        Resolution { region, name, level, sent: self.tick, arrives: self.tick + level.leg(region), reply: None }
    }

    /// Puts a copy in a region's resolver cache, arriving now with `ttl` ticks to live; with a
    /// TTL of 0 it is used for this answer only (RFC 1035 §3.2.1).
    fn store(&mut self, region: Region, record: Record, reply: Reply) {
        if reply.ttl == 0 {
            return;
        }
        let entry = Entry { answer: reply.answer, expires: self.tick.saturating_add(reply.ttl), full: reply.ttl };
        self.caches[region.index()][record.index()] = Some(entry);
        #[cfg(test)]
        self.journal.push(Note::Stored { tick: self.tick, region, client: None, record, entry });
    }

    pub(super) fn move_resolutions(&mut self) {
        let now = self.tick;
        let mut index = 0;
        while index < self.resolutions.len() {
            let walk = self.resolutions[index];
            if walk.arrives > now {
                index += 1;
                continue;
            }
            let Some(reply) = walk.reply else {
                // At the server: the reply goes back the same way.
                let reply = self.serve(walk.level, walk.region, walk.name);
                self.resolutions[index] = Resolution { sent: now, arrives: now + walk.level.leg(walk.region), reply: Some(reply), ..walk };
                index += 1;
                continue;
            };
            match reply.answer {
                Answer::Referral(next) => {
                    let record = if next == Level::Tld { Record::ComNs } else { Record::ExampleNs };
                    self.store(walk.region, record, reply);
                    // Follow the referral one level down.
                    self.resolutions[index] = self.ask(walk.region, walk.name, next);
                    index += 1;
                }
                _ => {
                    self.store(walk.region, walk.name.record(), reply);
                    self.resolutions.remove(index);
                    self.answer_waiting(walk.region, walk.name, reply);
                }
            }
        }
    }

    /// A walk ended: every lookup waiting on it goes back with its answer, the TTL whole.
    fn answer_waiting(&mut self, region: Region, name: Name, reply: Reply) {
        let now = self.tick;
        for lookup in self.lookups.iter_mut().filter(|lookup| lookup.region == region && lookup.name == name && lookup.leg == LookupLeg::Waiting) {
            lookup.leg = LookupLeg::Down { answer: reply.answer, ttl: reply.ttl, full: reply.ttl, from_cache: false };
            lookup.sent = now;
            lookup.arrives = now + ticks(STUB_MS);
        }
    }

    // ---- The clients' lookups ----------------------------------------------------------------

    pub(super) fn move_lookups(&mut self) {
        let now = self.tick;
        let mut index = 0;
        while index < self.lookups.len() {
            let lookup = self.lookups[index];
            if lookup.arrives > now || lookup.leg == LookupLeg::Waiting {
                index += 1;
                continue;
            }
            match lookup.leg {
                LookupLeg::Down { answer, ttl, full, from_cache } => {
                    self.lookups.remove(index);
                    let source = if from_cache { Source::Resolver } else { Source::Walk };
                    self.deliver(&lookup, Entry { answer, expires: now.saturating_add(ttl), full }, source);
                }
                _ => {
                    self.lookups[index] = self.at_resolver(lookup);
                    index += 1;
                }
            }
        }
    }

    /// A lookup reaching its resolver: answered from the cache with the TTL that is left
    /// (RFC 1035 §6.1.3), or waiting on a walk, in flight already or started now.
    fn at_resolver(&mut self, lookup: Lookup) -> Lookup {
        let (now, region) = (self.tick, lookup.region);
        self.ledger.count(region, |counts| &mut counts.resolver_queries);
        let record = lookup.name.record();
        if let Some(entry) = self.caches[region.index()][record.index()].filter(|entry| entry.is_fresh(now)) {
            #[cfg(test)]
            self.journal.push(Note::Served { tick: now, region, client: None, record, entry });
            let leg = LookupLeg::Down { answer: entry.answer, ttl: entry.expires - now, full: entry.full, from_cache: true };
            return Lookup { sent: now, arrives: now + ticks(STUB_MS), leg, ..lookup };
        }
        self.ledger.count(region, |counts| &mut counts.resolver_misses);
        if self.resolutions.iter().any(|walk| walk.region == region && walk.name == lookup.name) {
            self.ledger.count(region, |counts| &mut counts.coalesced);
        } else {
            let walk = self.ask(region, lookup.name, self.closest(region));
            self.resolutions.push(walk);
        }
        Lookup { sent: now, arrives: now, leg: LookupLeg::Waiting, ..lookup }
    }

    /// An answer reaching its client (or found in its own cache): kept in its stub cache, and
    /// counted.
    fn deliver(&mut self, lookup: &Lookup, entry: Entry, source: Source) {
        let (now, region) = (self.tick, lookup.region);
        let sticky = self.sticky(usize::from(lookup.client));
        let fetched = matches!(source, Source::Resolver | Source::Walk);
        let keep = fetched && (self.config.stub || (sticky && lookup.name == Name::Www)) && entry.is_fresh(now);
        let old = matches!(entry.answer, Answer::Address(address) if self.is_old(region, address));
        let Some(client) = self.clients[region.index()].get_mut(usize::from(lookup.client)) else { return };
        client.busy = false;
        if !fetched {
            client.last_hit = Some((now, entry.answer));
        }
        if keep {
            client.cache[lookup.name.index()] = Some(entry);
        }
        if let Answer::Address(address) = entry.answer {
            client.address = Some(address);
        }
        #[cfg(test)]
        {
            if keep {
                self.journal.push(Note::Stored { tick: now, region, client: Some(lookup.client), record: lookup.name.record(), entry });
            }
            self.journal.push(Note::Answered { tick: now, region, client: lookup.client, name: lookup.name, answer: entry.answer, source, sticky });
        }
        self.ledger.answered(region, source, entry.answer == Answer::NxDomain, old, (now - lookup.asked) * TICK_MS);
    }

    /// A client looks up a name now: from its own cache if it can (a client that ignores TTLs
    /// keeps its address whatever its age), else it asks its resolver.
    pub(super) fn look_up(&mut self, region: Region, client: usize, name: Name) {
        let now = self.tick;
        self.ledger.count(region, |counts| &mut counts.lookups);
        let held = self.sticky(client) && name == Name::Www;
        let copy = self.clients[region.index()][client].cache[name.index()];
        let lookup = Lookup { region, client: client as u8, name, asked: now, sent: now, arrives: now + ticks(STUB_MS), leg: LookupLeg::Up };
        match copy {
            Some(entry) if self.config.stub && entry.is_fresh(now) => {
                #[cfg(test)]
                self.journal.push(Note::Served { tick: now, region, client: Some(client as u8), record: name.record(), entry });
                self.deliver(&lookup, entry, Source::Stub);
            }
            Some(entry) if held => self.deliver(&lookup, entry, Source::Held),
            _ => {
                self.clients[region.index()][client].busy = true;
                self.lookups.push(lookup);
            }
        }
    }

    /// The lookups falling due now: a misspelt one first, else the client's next one of
    /// www.example.com (skipped while it waits on one already).
    pub(super) fn start_lookups(&mut self) {
        let now = self.tick;
        for region in Region::ALL {
            for client in 0..self.clients[region.index()].len() {
                let state = &self.clients[region.index()][client];
                let (busy, misspell, due) = (state.busy, state.misspell_at.is_some_and(|at| at <= now), state.next_lookup <= now);
                if due {
                    let next = self.next_lookup();
                    self.clients[region.index()][client].next_lookup = next;
                }
                if busy {
                    continue;
                }
                if misspell {
                    self.clients[region.index()][client].misspell_at = None;
                    self.look_up(region, client, Name::Typo);
                } else if due {
                    self.look_up(region, client, Name::Www);
                }
            }
        }
    }

    /// When a client's next lookup falls due: the gaps of a Poisson process at the rate.
    fn next_lookup(&mut self) -> u32 {
        let mean = f64::from(TICKS_PER_SIM_SECOND) * 10.0 / f64::from(self.config.rate_tenths.max(1));
        self.tick.saturating_add((self.rng.exponential(mean).round() as u32).max(1))
    }

    // ---- Numbers ---------------------------------------------------------------------------

    pub(super) fn close_window(&mut self) {
        let old = Region::ALL.map(|region| (self.old_clients(region), self.clients(region).len() as u32));
        let sample = self.ledger.close(self.time_ms(), old);
        self.series.push(sample);
    }

    /// Tells when the last client moves to the address example.com gives.
    pub(super) fn watch_convergence(&mut self) {
        let old: u32 = Region::ALL.iter().map(|region| self.old_clients(*region)).sum();
        if self.old_clients > 0 && old == 0 {
            self.event = (self.tick, Event::Converged);
        }
        self.old_clients = old;
    }

    // ---- The reader's actions --------------------------------------------------------------

    /// Gives each region `count` clients: new ones start with empty caches; the lookups of those
    /// taken away are dropped.
    pub(super) fn resize(&mut self, count: usize) {
        for region in Region::ALL {
            while self.clients[region.index()].len() < count {
                let next_lookup = self.next_lookup();
                self.clients[region.index()].push(Client { cache: [None; 2], address: None, busy: false, last_hit: None, next_lookup, misspell_at: None });
            }
            self.clients[region.index()].truncate(count);
        }
        self.lookups.retain(|lookup| usize::from(lookup.client) < count);
    }

    /// Switching the stub caches off empties them, but for the addresses the clients that ignore
    /// TTLs hold on to.
    fn empty_stub_caches(&mut self) {
        let pct = self.config.sticky_pct;
        for clients in &mut self.clients {
            for (index, client) in clients.iter_mut().enumerate() {
                let held = client.cache[Name::Www.index()].filter(|_| is_sticky(index, pct));
                client.cache = [held, None];
            }
        }
    }

    /// Carries out an action; false when it changed nothing (and the narration says so).
    pub(super) fn act(&mut self, action: &Action) -> bool {
        match *action {
            Action::Set(setting, value) => {
                self.config.set(setting, value);
                match setting {
                    Setting::Clients => self.resize(self.config.clients),
                    Setting::Stub if !self.config.stub => self.empty_stub_caches(),
                    Setting::Rate => {
                        for region in Region::ALL {
                            for client in 0..self.clients[region.index()].len() {
                                let next = self.next_lookup();
                                self.clients[region.index()][client].next_lookup = next;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Action::Migrate if self.generation >= MAX_GENERATION => return false,
            Action::Migrate => self.generation += 1,
            Action::Fail(region) | Action::Recover(region) => {
                let up = matches!(action, Action::Recover(_));
                if self.server_up[region.index()] == up {
                    return false;
                }
                self.server_up[region.index()] = up;
            }
            Action::Misspell => {
                let spread = ticks(MISSPELL_SPREAD_MS) as u64;
                for region in Region::ALL {
                    for client in 0..self.clients[region.index()].len() {
                        let at = self.tick + 1 + self.rng.below(spread) as u32;
                        self.clients[region.index()][client].misspell_at = Some(at);
                    }
                }
            }
            Action::Flush(region) => self.caches[region.index()] = [None; 4],
        }
        true
    }
}

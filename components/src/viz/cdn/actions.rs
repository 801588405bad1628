//! The reader's actions on the running system: settings, purges, publishes and failures.

use super::*;

impl Cdn {
    /// Places the object's current version on every edge and shield of both CDNs.
    pub(super) fn push(&mut self, object: usize) {
        let Ok(object) = u16::try_from(object) else { return };
        let entry = self.generate(object, true);
        for slots in &mut self.caches {
            if let Some(slot) = slots.get_mut(usize::from(object)) {
                slot.entry = Some(entry);
            }
        }
    }

    /// Changes a setting from now on; a bigger catalogue or a switch to push places copies.
    pub(super) fn set(&mut self, setting: Setting, value: u32) {
        let before = self.config;
        self.config.set(setting, value);
        let config = self.config;
        match setting {
            Setting::Objects | Setting::Skew => {
                self.grow(config.objects);
                self.popularity = popularity(config.objects, config.skew());
                if setting == Setting::Objects && config.push {
                    (before.objects..config.objects).for_each(|object| self.push(object));
                }
            }
            Setting::Push if config.push && !before.push => (0..config.objects).for_each(|object| self.push(object)),
            Setting::Push if !config.push => {
                for slot in self.caches.iter_mut().flatten() {
                    if let Some(entry) = &mut slot.entry {
                        entry.pushed = false;
                    }
                }
            }
            _ => {}
        }
    }

    /// Makes room for `objects` objects (the per-object state never shrinks within a run).
    pub(super) fn grow(&mut self, objects: usize) {
        if objects <= self.versions.len() {
            return;
        }
        self.versions.resize(objects, 1);
        self.hard_purged_below.resize(objects, 0);
        self.soft_purged_below.resize(objects, 0);
        for slots in &mut self.caches {
            slots.resize(objects, Slot::default());
        }
    }

    /// Every copy gone at once; copies made before now that are still on their way are thrown
    /// away where they arrive (see `hard_purged`).
    pub(super) fn hard_purge(&mut self, object: usize) {
        self.hard_purged_below[object] = self.next_serial;
        for slots in &mut self.caches {
            slots[object].entry = None;
        }
    }

    /// Every copy marked stale now (a pushed one is no longer held); copies made before now that
    /// are still on their way may not arrive as fresh (see `outdated_as_fresh`).
    pub(super) fn soft_purge(&mut self, object: usize) {
        let now = self.tick;
        self.soft_purged_below[object] = self.next_serial;
        for slots in &mut self.caches {
            if let Some(entry) = &mut slots[object].entry {
                entry.expires = entry.expires.min(now);
                entry.pushed = false;
            }
        }
    }

    /// A new version at the origin, placed everywhere at once in push mode.
    pub(super) fn publish(&mut self, object: usize) {
        self.versions[object] = self.versions[object].saturating_add(1);
        if self.config.push {
            self.push(object);
        }
    }

    /// A CDN fails: what its edges were doing fails with it (requests riding on its fetches and
    /// waiting at its edges get errors); its caches keep their copies.
    pub(super) fn fail(&mut self, cdn: u8) {
        self.cdn_up[usize::from(cdn)] = false;
        let now = self.tick;
        let mut fetches = std::mem::take(&mut self.fetches);
        fetches.retain(|fetch| {
            let lost = fetch.cdn == cdn;
            if lost && fetch.requests > 0 && !fetch.ended {
                let how = Answer { cdn, region: fetch.region, object: fetch.object, served: Served::Error, copy: None, decided: now, revalidating: false };
                self.answer(&how, fetch.requests, fetch.arrived);
            }
            !lost
        });
        self.fetches = fetches;
        let mut waiters = std::mem::take(&mut self.waiters);
        waiters.retain(|waiter| {
            let region = Region::ALL[usize::from(waiter.node) % REGIONS];
            let lost = usize::from(waiter.node) / REGIONS == usize::from(cdn);
            if lost {
                let how = Answer { cdn, region, object: waiter.object, served: Served::Error, copy: None, decided: now, revalidating: false };
                self.answer(&how, waiter.count, waiter.arrived);
            }
            !lost
        });
        self.waiters = waiters;
        for node in Region::ALL.map(|region| edge(cdn, region)).into_iter().chain([shield(cdn)]) {
            self.caches[node].iter_mut().for_each(|slot| slot.in_flight = 0);
        }
    }

    /// Carries out an action; false when it named an object outside the catalogue.
    pub(super) fn act(&mut self, action: &Action) -> bool {
        let in_catalogue = |object: u16| usize::from(object) < self.config.objects;
        match *action {
            Action::Set(setting, value) => self.set(setting, value),
            Action::Purge(object) | Action::SoftPurge(object) | Action::Publish(object) if !in_catalogue(object) => return false,
            Action::Purge(object) => self.hard_purge(usize::from(object)),
            Action::SoftPurge(object) => self.soft_purge(usize::from(object)),
            Action::Publish(object) => self.publish(usize::from(object)),
            Action::OriginDown => self.origin_up = false,
            Action::OriginUp => self.origin_up = true,
            Action::FailCdn(cdn) => {
                if self.cdn_up[usize::from(cdn.min(1))] {
                    self.fail(cdn.min(1));
                }
            }
            Action::RestoreCdn(cdn) => self.cdn_up[usize::from(cdn.min(1))] = true,
        }
        // The steering's delay runs from the failure (or the return), not from the next tick.
        if self.steering_target() != self.serving && self.steer_since.is_none() {
            self.steer_since = Some(self.tick);
        }
        true
    }
}

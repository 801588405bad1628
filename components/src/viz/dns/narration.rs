//! The live region's sentence: the last thing the reader did (or the health checks decided),
//! for two simulated seconds, then a summary of who is still on an old address and how busy
//! each level of the hierarchy is.

use super::*;

impl Dns {
    /// An event in one sentence.
    pub(super) fn tell(&self, event: Event) -> String {
        match event {
            Event::Started => "Every cache starts empty, so each resolver's first lookup walks from the root down to example.com.".to_string(),
            Event::Acted(action) => self.tell_action(action),
            Event::Ignored(Action::Migrate) => format!("Nothing happened: the site has moved {MAX_GENERATION} times, the most this model counts."),
            Event::Ignored(Action::Fail(region)) => format!("Nothing happened: the {} server is already down.", region.short()),
            Event::Ignored(Action::Recover(region)) => format!("Nothing happened: the {} server is already up.", region.short()),
            Event::Ignored(_) => "Nothing happened.".to_string(),
            Event::Health { site, healthy: false } => format!("Health checks marked the {} server down: example.com now answers with the backup, {}, for those it sent there.", site.short(), Address::Backup.ip()),
            Event::Health { site, healthy: true } => format!("Health checks see the {} server again: example.com answers with {} once more.", site.short(), Address::Primary { site, generation: self.generation }.ip()),
            Event::Converged => "Every client now uses the address example.com gives its region.".to_string(),
        }
    }

    fn tell_action(&self, action: Action) -> String {
        let config = &self.config;
        match action {
            Action::Set(setting, _) => self.tell_setting(setting),
            Action::Migrate => {
                let moved = format!("www.example.com moved: example.com now answers {} in Europe and {} in the US", self.answer_for(Region::Europe).ip(), self.answer_for(Region::Us).ip());
                let sticky = if config.sticky_pct > 0 { " Clients that ignore TTLs keep theirs for good." } else { "" };
                match self.longest_cached_ttl_s() {
                    0 => format!("{moved}, and no cache holds the old addresses.{sticky}"),
                    left => format!("{moved}, but caches keep the old addresses for up to {left} s.{sticky}"),
                }
            }
            Action::Fail(region) => format!(
                "The {} server is down. Health checks every {} s mark it down after {} in a row; until then, and for a TTL after, clients are still sent to it.",
                region.short(),
                config.interval_s,
                crate::sim::number::counted(config.threshold, "failure")
            ),
            Action::Recover(region) => format!("The {} server is back; {} passing checks in a row and example.com answers with it again.", region.short(), config.threshold),
            Action::Misspell if config.neg_ttl_s == 0 => format!("Every client looks up {}, which does not exist; with a negative TTL of 0 no one caches the NXDOMAIN.", Name::Typo.text()),
            Action::Misspell => format!("Every client looks up {}, which does not exist; each resolver asks once and caches the NXDOMAIN for {} s.", Name::Typo.text(), config.neg_ttl_s),
            Action::Flush(region) => format!("The {} resolver's cache is empty: its next lookup walks from the root again.", region.short()),
        }
    }

    fn tell_setting(&self, setting: Setting) -> String {
        let config = &self.config;
        let on = |flag: bool| if flag { "on" } else { "off" };
        match setting {
            Setting::Clients => format!("{} clients in each region now.", config.clients),
            Setting::Rate => format!("Each client now looks up www.example.com {:.1} times a second.", config.rate()),
            Setting::Ttl => format!("example.com now gives its A record a TTL of {} s; copies already cached keep the TTL they came with.", config.ttl_s),
            Setting::NegTtl => format!("NXDOMAIN answers now carry a negative TTL of {} s.", config.neg_ttl_s),
            Setting::RootTtl => format!("The root now gives .com's delegation a TTL of {} s.", config.root_ttl_s),
            Setting::TldTtl => format!(".com now gives example.com's delegation a TTL of {} s.", config.tld_ttl_s),
            Setting::Stub => format!("The clients' own caches are {}.", on(config.stub)),
            Setting::Geo if config.geo => "Geo-routing is on: each region's resolver gets its own region's servers as its copies expire.".to_string(),
            Setting::Geo => "Geo-routing is off: every resolver gets the US servers as its copies expire.".to_string(),
            Setting::Sticky => format!("{}% of clients now ignore the TTL and keep the first address they got.", config.sticky_pct),
            Setting::Interval => format!("Health checks now run every {} s.", config.interval_s),
            Setting::Threshold => format!("{} checks in a row now change a server's health.", config.threshold),
        }
    }

    /// The longest a copy of www.example.com's address now cached anywhere still has to live,
    /// in whole seconds rounded up (the copies clients that ignore TTLs hold count by their TTL).
    pub fn longest_cached_ttl_s(&self) -> u32 {
        let now = self.tick;
        let resolvers = self.caches.iter().filter_map(|cache| cache[Record::Www.index()]);
        let stubs = self.clients.iter().flatten().filter_map(|client| client.cache[Name::Www.index()]);
        let left = resolvers.chain(stubs).map(|entry| entry.expires.saturating_sub(now)).max().unwrap_or(0);
        left.div_ceil(TICKS_PER_SIM_SECOND)
    }

    /// The state in one sentence: who is on an old address, and the queries each level gets.
    pub(super) fn summary(&self) -> String {
        let clients: usize = Region::ALL.iter().map(|region| self.clients(*region).len()).sum();
        let old: u32 = Region::ALL.iter().map(|region| self.old_clients(*region)).sum();
        let ratios: Vec<String> = Region::ALL
            .iter()
            .map(|region| match self.recent(*region).resolver_hit_ratio() {
                Some(ratio) => format!("{} {:.0}%", region.short(), ratio * 100.0),
                None => format!("{} no queries in the last 5 s", region.short()),
            })
            .collect();
        format!(
            "At {:.1} s, {old} of {clients} clients are on an old address. Resolver cache hits over the last 5 s: {}. Queries a second: root {:.1}, .com {:.1}, example.com {:.1}.",
            self.time_ms() as f64 / 1000.0,
            ratios.join(", "),
            self.per_second(Level::Root),
            self.per_second(Level::Tld),
            self.per_second(Level::Auth)
        )
    }
}

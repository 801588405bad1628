//! The live region's sentence: the last thing the reader did (or the steering), for a couple of
//! simulated seconds, then a summary of each region's hit ratio and the origin's load.

use super::*;

impl Cdn {
    /// An event in one sentence.
    pub(super) fn tell(&self, event: Event) -> String {
        let config = &self.config;
        match event {
            Event::Started if config.push => "Every object is pushed to every edge; users in three regions start sending requests.".to_string(),
            Event::Started => "The edges start empty; the first requests in each region miss and fill them.".to_string(),
            Event::Ignored(object) => format!("There is no object {} in a catalogue of {}; nothing happened.", object_name(usize::from(object)), config.objects),
            Event::Steered(cdn) => {
                let cold = if config.push { "" } else { ", which starts cold: its first requests miss" };
                format!("Steering now sends every user to {}{cold}.", cdn_name(usize::from(cdn)))
            }
            Event::Acted(action) => self.tell_action(action),
        }
    }

    pub(super) fn tell_action(&self, action: Action) -> String {
        let config = &self.config;
        let name = |object: u16| object_name(usize::from(object));
        match action {
            Action::Set(setting, _) => self.tell_setting(setting),
            Action::Purge(object) => format!("Hard purge of {}: every cached copy is gone, so its next request at each edge misses.", name(object)),
            Action::SoftPurge(object) if config.swr_s > 0 => format!("Soft purge of {}: its copies are marked stale and served for up to {} s while one revalidation goes to the origin.", name(object), config.swr_s),
            Action::SoftPurge(object) => format!("Soft purge of {}: its copies are marked stale; with no stale-while-revalidate its next requests wait for the origin.", name(object)),
            Action::Publish(object) if config.push => format!("{} v{} is pushed to every edge at once.", name(object), self.version(usize::from(object))),
            Action::Publish(object) => format!("The origin now has {} v{}; edges serve their old copies until those expire or are purged.", name(object), self.version(usize::from(object))),
            Action::OriginDown if config.sie_s > 0 => format!("The origin is down: edges serve stale copies up to {} s past expiry (stale-if-error), then errors.", config.sie_s),
            Action::OriginDown => "The origin is down: with no stale-if-error, every miss is an error.".to_string(),
            Action::OriginUp => "The origin is back up.".to_string(),
            Action::FailCdn(cdn) if usize::from(cdn) == self.serving() => format!("{} fails: its users get errors until steering moves them, in {} s.", cdn_name(usize::from(cdn)), FAILOVER_MS / 1000),
            Action::FailCdn(cdn) => format!("{} fails; no user is on it.", cdn_name(usize::from(cdn))),
            Action::RestoreCdn(cdn) => format!("{} is back.", cdn_name(usize::from(cdn))),
        }
    }

    pub(super) fn tell_setting(&self, setting: Setting) -> String {
        let config = &self.config;
        let on = |flag: bool| if flag { "on" } else { "off" };
        match setting {
            Setting::Rate => format!("Users now send {} requests a second.", config.rate),
            Setting::Objects => format!("The catalogue now has {} objects.", config.objects),
            Setting::Skew => format!("Popularity skew is now {:.2}.", config.skew()),
            Setting::MaxAge => format!("New responses carry max-age={}; cached copies keep theirs.", config.max_age_s),
            Setting::Swr => format!("New responses carry stale-while-revalidate={}.", config.swr_s),
            Setting::Sie => format!("New responses carry stale-if-error={}.", config.sie_s),
            Setting::Shield if config.shield => "The origin shield is on: edges' misses go to the shield first.".to_string(),
            Setting::Shield => "The origin shield is off: every edge's misses go straight to the origin.".to_string(),
            Setting::Push if config.push => "Push: every object's current version is placed on every edge now and on each publish.".to_string(),
            Setting::Push => "Pull: edges fill on a miss; pushed copies now expire by their max-age.".to_string(),
            Setting::Coalesce => format!("Request coalescing is {}.", on(config.coalesce)),
        }
    }

    /// The state in one sentence: each region's hit ratio and the origin's load.
    pub(super) fn summary(&self) -> String {
        let ratios: Vec<String> = Region::ALL
            .iter()
            .map(|region| match self.recent(*region).hit_ratio() {
                Some(ratio) => format!("{} {:.0}%", region.name(), ratio * 100.0),
                None => format!("{} none yet", region.name()),
            })
            .collect();
        let origin = if self.origin_up { format!("the origin answers {:.0} fetches a second", self.origin_per_second()) } else { "the origin is down".to_string() };
        format!("Hit ratio over the last 5 s: {}; {origin}.", ratios.join(", "))
    }
}

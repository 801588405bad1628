//! What the reader controls: the parameters (declared once for the controls and the URL), the
//! settings each of them becomes during a run, and the actions with their compact URL form.
//!
//! Every parameter is also a live setting: `Action::Set` changes it in the running system at
//! once (the parameters only say where a run starts), so the view can send a control's change
//! as an action with [`Action::from_param`].

use crate::sim::{ParamKind, ParamSpec, Params, Value};

/// The most objects a catalogue can have (and the largest object number an action may name).
pub const MAX_OBJECTS: usize = 200;

/// The parameters, declared once for the controls and the URL:
///
/// - `rate` requests per second from the users of all three regions together (half of them in
///   North America, 30% in Europe, 20% in Asia); `objects` how many objects the site serves,
///   whose popularity falls off as 1 / rank^`skew` (Zipf; 0 makes every object equally
///   popular).
/// - `ttl`, `swr` and `sie` are the `Cache-Control` the origin sends with every response:
///   `max-age` (RFC 9111 §5.2.2.1), `stale-while-revalidate` and `stale-if-error` (RFC 5861 §3
///   and §4), in seconds. A change applies to responses generated from then on; copies already
///   cached keep the directives they arrived with, as a real cache does.
/// - `shield` puts an origin shield between the edges and the origin; `mode` chooses pull (an
///   edge fills on a miss) or push (every version is placed on every edge when published);
///   `coalesce` lets a cache send one fetch per object at a time, the other misses waiting on it.
pub const CDN_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "rate", label: "Requests per second (all regions)", kind: ParamKind::Int { min: 10, max: 5_000 }, default: Value::Int(200) },
    ParamSpec { key: "objects", label: "Objects in the catalogue", kind: ParamKind::Int { min: 1, max: MAX_OBJECTS as i64 }, default: Value::Int(100) },
    ParamSpec { key: "skew", label: "Popularity skew (Zipf exponent)", kind: ParamKind::Float { min: 0.0, max: 2.0 }, default: Value::Float(1.0) },
    ParamSpec { key: "ttl", label: "Cache-Control max-age (s)", kind: ParamKind::Int { min: 1, max: 300 }, default: Value::Int(10) },
    ParamSpec { key: "swr", label: "stale-while-revalidate (s)", kind: ParamKind::Int { min: 0, max: 300 }, default: Value::Int(5) },
    ParamSpec { key: "sie", label: "stale-if-error (s)", kind: ParamKind::Int { min: 0, max: 600 }, default: Value::Int(60) },
    ParamSpec { key: "shield", label: "Origin shield", kind: ParamKind::Bool, default: Value::Bool(true) },
    ParamSpec {
        key: "mode",
        label: "Mode",
        kind: ParamKind::Choice(&[("pull", "Pull: an edge fills on a miss"), ("push", "Push: each version placed on every edge when published")]),
        default: Value::Choice("pull"),
    },
    ParamSpec { key: "coalesce", label: "Request coalescing (one fetch per object at a time)", kind: ParamKind::Bool, default: Value::Bool(true) },
];

/// The settings of a run as the model uses them, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub rate: u32,
    pub objects: usize,
    /// The Zipf exponent in hundredths (100 is 1.0), so a setting round-trips a URL exactly.
    pub skew_hundredths: u32,
    pub max_age_s: u32,
    pub swr_s: u32,
    pub sie_s: u32,
    pub shield: bool,
    pub push: bool,
    pub coalesce: bool,
}

impl Config {
    /// Reads the parameters defensively (see `Params::number_in`): a missing key, a wrong kind
    /// or an out-of-range value falls back or clamps.
    pub fn from_params(params: &Params) -> Self {
        let whole = |key: &str| params.number_in(CDN_PARAMS, key).round() as u32;
        Self {
            rate: whole("rate"),
            objects: whole("objects").max(1) as usize,
            skew_hundredths: (params.number_in(CDN_PARAMS, "skew") * 100.0).round() as u32,
            max_age_s: whole("ttl").max(1),
            swr_s: whole("swr"),
            sie_s: whole("sie"),
            shield: params.flag_in(CDN_PARAMS, "shield"),
            push: params.choice_in(CDN_PARAMS, "mode") == "push",
            coalesce: params.flag_in(CDN_PARAMS, "coalesce"),
        }
    }

    pub fn skew(&self) -> f64 {
        f64::from(self.skew_hundredths) / 100.0
    }

    /// The setting's value as an action carries it.
    pub fn get(&self, setting: Setting) -> u32 {
        match setting {
            Setting::Rate => self.rate,
            Setting::Objects => self.objects as u32,
            Setting::Skew => self.skew_hundredths,
            Setting::MaxAge => self.max_age_s,
            Setting::Swr => self.swr_s,
            Setting::Sie => self.sie_s,
            Setting::Shield => u32::from(self.shield),
            Setting::Push => u32::from(self.push),
            Setting::Coalesce => u32::from(self.coalesce),
        }
    }

    /// The setting of the parameter `key` as a parameter's value, the inverse of
    /// [`Action::from_param`]: what a live control shows. `None` for an unknown key.
    pub fn value(&self, key: &str) -> Option<Value> {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == key)?;
        let number = self.get(setting);
        Some(match setting {
            Setting::Skew => Value::Float(self.skew()),
            Setting::Push => Value::Choice(if self.push { "push" } else { "pull" }),
            Setting::Shield | Setting::Coalesce => Value::Bool(number == 1),
            _ => Value::Int(i64::from(number)),
        })
    }

    /// Changes one setting, clamped to its range.
    pub(super) fn set(&mut self, setting: Setting, value: u32) {
        let (low, high) = setting.range();
        let value = value.clamp(low, high);
        match setting {
            Setting::Rate => self.rate = value,
            Setting::Objects => self.objects = value as usize,
            Setting::Skew => self.skew_hundredths = value,
            Setting::MaxAge => self.max_age_s = value,
            Setting::Swr => self.swr_s = value,
            Setting::Sie => self.sie_s = value,
            Setting::Shield => self.shield = value == 1,
            Setting::Push => self.push = value == 1,
            Setting::Coalesce => self.coalesce = value == 1,
        }
    }
}

/// One parameter as a live setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Rate,
    Objects,
    /// In hundredths of the Zipf exponent.
    Skew,
    MaxAge,
    Swr,
    Sie,
    Shield,
    /// 1 for push, 0 for pull.
    Push,
    Coalesce,
}

impl Setting {
    pub const ALL: [Setting; 9] = [Setting::Rate, Setting::Objects, Setting::Skew, Setting::MaxAge, Setting::Swr, Setting::Sie, Setting::Shield, Setting::Push, Setting::Coalesce];

    /// The parameter it comes from.
    pub fn key(self) -> &'static str {
        match self {
            Setting::Rate => "rate",
            Setting::Objects => "objects",
            Setting::Skew => "skew",
            Setting::MaxAge => "ttl",
            Setting::Swr => "swr",
            Setting::Sie => "sie",
            Setting::Shield => "shield",
            Setting::Push => "mode",
            Setting::Coalesce => "coalesce",
        }
    }

    fn code(self) -> char {
        match self {
            Setting::Rate => 'r',
            Setting::Objects => 'o',
            Setting::Skew => 'k',
            Setting::MaxAge => 't',
            Setting::Swr => 'w',
            Setting::Sie => 'e',
            Setting::Shield => 's',
            Setting::Push => 'm',
            Setting::Coalesce => 'c',
        }
    }

    /// The lowest and highest value an action may carry, read from the parameters' ranges.
    pub fn range(self) -> (u32, u32) {
        CDN_PARAMS.iter().find(|spec| spec.key == self.key()).map_or((0, 1), |spec| spec.action_range(100.0))
    }
}

/// What the reader does to the running system. Objects are numbered from 0 (the most popular);
/// a number past the catalogue is ignored (and said so), never a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Changes a setting from now on (see [`Setting`] for the units).
    Set(Setting, u32),
    /// Hard purge: every cached copy of the object is gone at once, everywhere.
    Purge(u16),
    /// Soft purge (Fastly's): every cached copy is marked stale, to be revalidated.
    SoftPurge(u16),
    /// The origin has a new version of the object (pushed to every edge in push mode).
    Publish(u16),
    OriginDown,
    OriginUp,
    /// CDN 0 (A, the primary) or 1 (B) fails, or comes back.
    FailCdn(u8),
    RestoreCdn(u8),
}

impl Action {
    /// The action for a control's new value: a parameter's key and value as the controls hold
    /// them; `None` for an unknown key or a value of the wrong kind.
    pub fn from_param(key: &str, value: Value) -> Option<Action> {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == key)?;
        let number = match (setting, value) {
            (Setting::Skew, Value::Float(skew)) if skew.is_finite() => (skew.max(0.0) * 100.0).round() as u32,
            (Setting::Push, Value::Choice(mode)) => u32::from(mode == "push"),
            (_, Value::Bool(on)) => u32::from(on),
            (_, Value::Int(whole)) => whole.max(0) as u32,
            _ => return None,
        };
        let (low, high) = setting.range();
        Some(Action::Set(setting, number.clamp(low, high)))
    }

    /// Button text.
    pub fn label(&self) -> String {
        match *self {
            Action::Set(setting, value) => {
                let on = if value == 1 { "on" } else { "off" };
                match setting {
                    Setting::Rate => format!("{value} requests/s"),
                    Setting::Objects => format!("{value} objects"),
                    Setting::Skew => format!("Skew {:.2}", f64::from(value) / 100.0),
                    Setting::MaxAge => format!("max-age={value}"),
                    Setting::Swr => format!("stale-while-revalidate={value}"),
                    Setting::Sie => format!("stale-if-error={value}"),
                    Setting::Shield => format!("Shield {on}"),
                    Setting::Push => if value == 1 { "Push" } else { "Pull" }.to_string(),
                    Setting::Coalesce => format!("Coalescing {on}"),
                }
            }
            Action::Purge(object) => format!("Purge {}", super::object_name(usize::from(object))),
            Action::SoftPurge(object) => format!("Soft purge {}", super::object_name(usize::from(object))),
            Action::Publish(object) => format!("Publish a new {}", super::object_name(usize::from(object))),
            Action::OriginDown => "Origin down".to_string(),
            Action::OriginUp => "Origin up".to_string(),
            Action::FailCdn(cdn) => format!("{} fails", super::cdn_name(usize::from(cdn))),
            Action::RestoreCdn(cdn) => format!("{} back", super::cdn_name(usize::from(cdn))),
        }
    }

    /// Compact text for the URL: a setting is its letter and value (`r300` rate, `o50` objects,
    /// `k100` skew in hundredths, `t10` max-age, `w5` stale-while-revalidate, `e60`
    /// stale-if-error, `s1` shield, `m1` push / `m0` pull, `c1` coalescing); `x3` purges object
    /// 3, `y3` soft-purges it, `v3` publishes it; `d` takes the origin down and `u` up; `f0`
    /// fails CDN A (`f1` B) and `h0` heals it.
    pub fn encode(&self) -> String {
        match *self {
            Action::Set(setting, value) => format!("{}{value}", setting.code()),
            Action::Purge(object) => format!("x{object}"),
            Action::SoftPurge(object) => format!("y{object}"),
            Action::Publish(object) => format!("v{object}"),
            Action::OriginDown => "d".to_string(),
            Action::OriginUp => "u".to_string(),
            Action::FailCdn(cdn) => format!("f{cdn}"),
            Action::RestoreCdn(cdn) => format!("h{cdn}"),
        }
    }

    /// Reads exactly what `encode` writes (numbers without a sign or a leading zero, within
    /// their ranges); anything else is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        match text {
            "d" => return Some(Action::OriginDown),
            "u" => return Some(Action::OriginUp),
            _ => {}
        }
        let (tag, rest) = text.split_at_checked(1)?;
        let number = crate::sim::query::canonical_number(rest)?;
        let object = || u16::try_from(number).ok().filter(|object| usize::from(*object) < MAX_OBJECTS);
        let cdn = || u8::try_from(number).ok().filter(|cdn| *cdn < 2);
        match tag {
            "x" => object().map(Action::Purge),
            "y" => object().map(Action::SoftPurge),
            "v" => object().map(Action::Publish),
            "f" => cdn().map(Action::FailCdn),
            "h" => cdn().map(Action::RestoreCdn),
            _ => {
                let setting = Setting::ALL.into_iter().find(|setting| setting.code().to_string() == tag)?;
                let (low, high) = setting.range();
                (low..=high).contains(&number).then_some(Action::Set(setting, number))
            }
        }
    }
}


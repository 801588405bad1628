//! What the reader controls: the parameters (declared once for the controls and the URL), the
//! settings each of them becomes during a run, and the actions with their compact URL form.
//!
//! Every parameter is also a live setting: `Action::Set` changes it in the running system at
//! once (the parameters only say where a run starts), so the view can send a control's change
//! as an action with [`Action::from_param`] and show the current value with [`Config::value`].

use super::Region;
use crate::sim::{ParamKind, ParamSpec, Params, Value};

/// The most clients in a region: each is drawn with its own stub cache and lane.
pub const MAX_CLIENTS: usize = 10;

/// The parameters, declared once for the controls and the URL:
///
/// - `clients` per region and `rate`, the lookups of www.example.com each client makes a
///   second (a browser opening pages).
/// - `ttl` is the TTL example.com serves its A record with, `negttl` how long a resolver may
///   cache "no such name": the SOA's negative TTL, the smaller of its MINIMUM field and its own
///   TTL (RFC 2308 §3 and §5). 0 means a negative answer is not cached.
/// - `rootttl` and `tldttl` are the TTLs of the two delegations a resolver learns on its way
///   down: `.com`'s NS records in the root zone, and example.com's in the `.com` zone. Both are
///   172800 s (two days) on the real Internet (`dig +trace` shows `com. 172800 IN NS
///   a.gtld-servers.net.` from the root and 172800 for a `.com` delegation); the defaults are
///   short so that the root and the TLD are asked again within a run.
/// - `stub` turns on the clients' own caches (the OS's or the browser's), `geo` geo-routing:
///   example.com answers each region's resolvers with that region's servers (as Route 53's
///   geolocation and latency records do); off, everyone is sent to the US servers.
/// - `sticky` is the share of clients that ignore the TTL and keep the first address they got
///   (an application that resolves once at start-up, a JVM caching lookups forever).
/// - `interval` and `threshold`: the health checks of the primary servers run every `interval`
///   seconds, and `threshold` checks in a row must fail (or pass) to change a server's status.
///   Route 53 checks every 30 s (or 10 s, "fast") with a threshold of 3 by default (Route 53 API
///   reference, `HealthCheckConfig`).
pub const DNS_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "clients", label: "Clients per region", kind: ParamKind::Int { min: 1, max: MAX_CLIENTS as i64 }, default: Value::Int(10) },
    ParamSpec { key: "rate", label: "Lookups per second per client", kind: ParamKind::Float { min: 0.1, max: 10.0 }, default: Value::Float(1.0) },
    ParamSpec { key: "ttl", label: "TTL of www.example.com's A record (s)", kind: ParamKind::Int { min: 1, max: 3_600 }, default: Value::Int(20) },
    ParamSpec { key: "negttl", label: "Negative TTL, from the SOA (s)", kind: ParamKind::Int { min: 0, max: 3_600 }, default: Value::Int(10) },
    ParamSpec { key: "rootttl", label: "TTL of .com's delegation in the root zone (s; 172800 in reality)", kind: ParamKind::Int { min: 1, max: 172_800 }, default: Value::Int(120) },
    ParamSpec { key: "tldttl", label: "TTL of example.com's delegation in .com (s; 172800 in reality)", kind: ParamKind::Int { min: 1, max: 172_800 }, default: Value::Int(60) },
    ParamSpec { key: "stub", label: "Clients cache answers (OS or browser cache)", kind: ParamKind::Bool, default: Value::Bool(true) },
    ParamSpec { key: "geo", label: "Geo-routing (each region gets its nearest servers)", kind: ParamKind::Bool, default: Value::Bool(true) },
    ParamSpec { key: "sticky", label: "Clients that ignore the TTL (%)", kind: ParamKind::Int { min: 0, max: 100 }, default: Value::Int(0) },
    ParamSpec { key: "interval", label: "Health check every (s)", kind: ParamKind::Int { min: 1, max: 60 }, default: Value::Int(10) },
    ParamSpec { key: "threshold", label: "Checks in a row to change a server's health", kind: ParamKind::Int { min: 1, max: 10 }, default: Value::Int(3) },
];

/// The settings of a run as the model uses them, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub clients: usize,
    /// Lookups per second per client, in tenths (10 is one a second), so a setting round-trips
    /// a URL exactly.
    pub rate_tenths: u32,
    pub ttl_s: u32,
    pub neg_ttl_s: u32,
    pub root_ttl_s: u32,
    pub tld_ttl_s: u32,
    pub stub: bool,
    pub geo: bool,
    pub sticky_pct: u32,
    pub interval_s: u32,
    pub threshold: u32,
}

impl Config {
    /// Reads the parameters defensively (see `Params::number_in`): a missing key, a wrong kind
    /// or an out-of-range value falls back or clamps.
    pub fn from_params(params: &Params) -> Self {
        let whole = |key: &str| params.number_in(DNS_PARAMS, key).round() as u32;
        Self {
            clients: whole("clients").max(1) as usize,
            rate_tenths: ((params.number_in(DNS_PARAMS, "rate") * 10.0).round() as u32).max(1),
            ttl_s: whole("ttl").max(1),
            neg_ttl_s: whole("negttl"),
            root_ttl_s: whole("rootttl").max(1),
            tld_ttl_s: whole("tldttl").max(1),
            stub: params.flag_in(DNS_PARAMS, "stub"),
            geo: params.flag_in(DNS_PARAMS, "geo"),
            sticky_pct: whole("sticky"),
            interval_s: whole("interval").max(1),
            threshold: whole("threshold").max(1),
        }
    }

    /// Lookups per second per client.
    pub fn rate(&self) -> f64 {
        f64::from(self.rate_tenths) / 10.0
    }

    /// The setting's value as an action carries it.
    pub fn get(&self, setting: Setting) -> u32 {
        match setting {
            Setting::Clients => self.clients as u32,
            Setting::Rate => self.rate_tenths,
            Setting::Ttl => self.ttl_s,
            Setting::NegTtl => self.neg_ttl_s,
            Setting::RootTtl => self.root_ttl_s,
            Setting::TldTtl => self.tld_ttl_s,
            Setting::Stub => u32::from(self.stub),
            Setting::Geo => u32::from(self.geo),
            Setting::Sticky => self.sticky_pct,
            Setting::Interval => self.interval_s,
            Setting::Threshold => self.threshold,
        }
    }

    /// The setting of the parameter `key` as a parameter's value, the inverse of
    /// [`Action::from_param`]: what a live control shows. `None` for an unknown key.
    pub fn value(&self, key: &str) -> Option<Value> {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == key)?;
        Some(match setting {
            Setting::Rate => Value::Float(self.rate()),
            Setting::Stub => Value::Bool(self.stub),
            Setting::Geo => Value::Bool(self.geo),
            _ => Value::Int(i64::from(self.get(setting))),
        })
    }

    /// Changes one setting, clamped to its range.
    pub(super) fn set(&mut self, setting: Setting, value: u32) {
        let (low, high) = setting.range();
        let value = value.clamp(low, high);
        match setting {
            Setting::Clients => self.clients = value as usize,
            Setting::Rate => self.rate_tenths = value,
            Setting::Ttl => self.ttl_s = value,
            Setting::NegTtl => self.neg_ttl_s = value,
            Setting::RootTtl => self.root_ttl_s = value,
            Setting::TldTtl => self.tld_ttl_s = value,
            Setting::Stub => self.stub = value == 1,
            Setting::Geo => self.geo = value == 1,
            Setting::Sticky => self.sticky_pct = value,
            Setting::Interval => self.interval_s = value,
            Setting::Threshold => self.threshold = value,
        }
    }
}

/// One parameter as a live setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Clients,
    /// In tenths of a lookup a second.
    Rate,
    Ttl,
    NegTtl,
    RootTtl,
    TldTtl,
    Stub,
    Geo,
    Sticky,
    Interval,
    Threshold,
}

impl Setting {
    pub const ALL: [Setting; 11] = [Setting::Clients, Setting::Rate, Setting::Ttl, Setting::NegTtl, Setting::RootTtl, Setting::TldTtl, Setting::Stub, Setting::Geo, Setting::Sticky, Setting::Interval, Setting::Threshold];

    /// The parameter it comes from.
    pub fn key(self) -> &'static str {
        match self {
            Setting::Clients => "clients",
            Setting::Rate => "rate",
            Setting::Ttl => "ttl",
            Setting::NegTtl => "negttl",
            Setting::RootTtl => "rootttl",
            Setting::TldTtl => "tldttl",
            Setting::Stub => "stub",
            Setting::Geo => "geo",
            Setting::Sticky => "sticky",
            Setting::Interval => "interval",
            Setting::Threshold => "threshold",
        }
    }

    fn code(self) -> char {
        match self {
            Setting::Clients => 'c',
            Setting::Rate => 'r',
            Setting::Ttl => 't',
            Setting::NegTtl => 'n',
            Setting::RootTtl => 'o',
            Setting::TldTtl => 'd',
            Setting::Stub => 's',
            Setting::Geo => 'g',
            Setting::Sticky => 'k',
            Setting::Interval => 'i',
            Setting::Threshold => 'h',
        }
    }

    /// The lowest and highest value an action may carry, read from the parameters' ranges.
    pub fn range(self) -> (u32, u32) {
        DNS_PARAMS.iter().find(|spec| spec.key == self.key()).map_or((0, 1), |spec| spec.action_range(10.0))
    }
}

/// What the reader does to the running system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Changes a setting from now on (see [`Setting`] for the units).
    Set(Setting, u32),
    /// Moves www.example.com to new servers: example.com answers with new addresses from now on.
    Migrate,
    /// The region's primary server fails (the health checks notice it in time), or comes back.
    Fail(Region),
    Recover(Region),
    /// Every client looks up a misspelt name, wwww.example.com, within the next two seconds.
    Misspell,
    /// The region's resolver drops everything it has cached.
    Flush(Region),
}

impl Action {
    /// The action for a control's new value: a parameter's key and value as the controls hold
    /// them; `None` for an unknown key or a value of the wrong kind.
    pub fn from_param(key: &str, value: Value) -> Option<Action> {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == key)?;
        let number = match (setting, value) {
            (Setting::Rate, Value::Float(rate)) if rate.is_finite() => (rate.max(0.0) * 10.0).round() as u32,
            (Setting::Stub | Setting::Geo, Value::Bool(on)) => u32::from(on),
            (Setting::Rate | Setting::Stub | Setting::Geo, _) => return None,
            (_, Value::Int(whole)) => whole.clamp(0, i64::from(u32::MAX)) as u32,
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
                    Setting::Clients => format!("{value} clients per region"),
                    Setting::Rate => format!("{:.1} lookups/s per client", f64::from(value) / 10.0),
                    Setting::Ttl => format!("TTL {value} s"),
                    Setting::NegTtl => format!("Negative TTL {value} s"),
                    Setting::RootTtl => format!(".com delegation TTL {value} s"),
                    Setting::TldTtl => format!("example.com delegation TTL {value} s"),
                    Setting::Stub => format!("Stub caches {on}"),
                    Setting::Geo => format!("Geo-routing {on}"),
                    Setting::Sticky => format!("{value}% ignore the TTL"),
                    Setting::Interval => format!("Health check every {value} s"),
                    Setting::Threshold => format!("{value} checks to change health"),
                }
            }
            Action::Migrate => "Move to new addresses".to_string(),
            Action::Fail(region) => format!("Fail the {} server", region.short()),
            Action::Recover(region) => format!("Bring the {} server back", region.short()),
            Action::Misspell => "Look up a misspelt name".to_string(),
            Action::Flush(region) => format!("Flush the {} resolver", region.short()),
        }
    }

    /// Compact text for the URL: a setting is its letter and value (`c10` clients, `r10` rate in
    /// tenths, `t20` TTL, `n10` negative TTL, `o120` the root's delegation TTL, `d60` the TLD's,
    /// `s1` stub caches, `g1` geo-routing, `k10` sticky %, `i10` check interval, `h3` threshold);
    /// `m` migrates, `w` sends the misspelt lookups; `f0` fails Europe's server (`f1` the US's),
    /// `u0` brings it back, `x0` flushes Europe's resolver.
    pub fn encode(&self) -> String {
        match *self {
            Action::Set(setting, value) => format!("{}{value}", setting.code()),
            Action::Migrate => "m".to_string(),
            Action::Misspell => "w".to_string(),
            Action::Fail(region) => format!("f{}", region.index()),
            Action::Recover(region) => format!("u{}", region.index()),
            Action::Flush(region) => format!("x{}", region.index()),
        }
    }

    /// Reads exactly what `encode` writes (numbers without a sign or a leading zero, within
    /// their ranges); anything else is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        match text {
            "m" => return Some(Action::Migrate),
            "w" => return Some(Action::Misspell),
            _ => {}
        }
        let (tag, rest) = text.split_at_checked(1)?;
        let number = crate::sim::query::canonical_number(rest)?;
        let region = || Region::ALL.get(number as usize).copied();
        match tag {
            "f" => region().map(Action::Fail),
            "u" => region().map(Action::Recover),
            "x" => region().map(Action::Flush),
            _ => {
                let setting = Setting::ALL.into_iter().find(|setting| setting.code().to_string() == tag)?;
                let (low, high) = setting.range();
                (low..=high).contains(&number).then_some(Action::Set(setting, number))
            }
        }
    }
}


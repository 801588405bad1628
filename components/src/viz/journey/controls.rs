//! What the reader controls: the parameters (declared once for the controls and the URL), the
//! settings each of them becomes during a run, and the actions with their compact URL form.
//!
//! Every parameter is also a live setting: `Action::Set` changes it in the running model (the
//! parameters only say where a run starts), and the next page load is planned with it, so the
//! view sends a control's change as an action with [`Action::from_param`] and shows the current
//! value with [`Config::value`].

use crate::sim::{ParamKind, ParamSpec, Params, Value};

/// The parameters, declared once for the controls and the URL. Every time and round trip is
/// illustrative, a value to reason with rather than a measurement; the reader sets their own.
///
/// - `proto` is the HTTP version the browser and the CDN edge speak: HTTP/1.1 or HTTP/2 over
///   TCP and TLS, or HTTP/3 over QUIC, which always carries TLS 1.3 (RFC 9001). `tls` picks TLS
///   1.3 or 1.2 for the two over TCP.
/// - `keepalive`: the connections the last page load used are still open for the next one. Off,
///   every load opens new ones (and pays DNS and the handshakes again).
/// - `zerortt`: a browser holding a session ticket from an earlier connection sends its first
///   request with its first handshake message, as TLS 1.3 and QUIC allow (RFC 8446 §2.3, RFC
///   9001 §4.6). TLS 1.2 has no such mode.
/// - `dns`: where the lookup that opens a new connection finds the address: in the browser's
///   own cache, in the recursive resolver's, or nowhere, so the resolver walks from the root.
/// - `cdnhit`: the edge has a fresh copy of the page; off, it forwards the request to the origin.
///   `cachehit`: the service finds the data in its cache; off, it runs `queries` database
///   queries one after another. `xregion`: that database is in another region.
/// - `assets`: the sub-resources (style sheets, scripts, images) the page needs once it arrives,
///   all served by the edge.
/// - The round trips: browser ↔ edge (`rtt`), edge ↔ origin (`originrtt`), browser ↔ resolver
///   (`dnsrtt`), resolver ↔ each name server (`nsrtt`), inside the origin's region (`dcrtt`: load
///   balancer ↔ service, service ↔ cache, service ↔ a database in the region) and service ↔ a
///   database in another region (`xrtt`). Their ranges meet at 10 ms, so the database in
///   another region is never nearer than one in the region.
/// - `service` is the service's own work on a request, `querytime` the database's on a query.
/// - `jitter` varies every round trip of a load by up to that share either way (see `plan`).
pub const JOURNEY_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "proto", label: "HTTP version", kind: ParamKind::Choice(PROTO_CHOICES), default: Value::Choice("h2") },
    ParamSpec { key: "tls", label: "TLS version (HTTP/1.1 and HTTP/2; HTTP/3 always uses TLS 1.3)", kind: ParamKind::Choice(TLS_CHOICES), default: Value::Choice("13") },
    ParamSpec { key: "keepalive", label: "Keep-alive (the next load reuses open connections)", kind: ParamKind::Bool, default: Value::Bool(true) },
    ParamSpec { key: "zerortt", label: "0-RTT on resumption (TLS 1.3 and QUIC)", kind: ParamKind::Bool, default: Value::Bool(false) },
    ParamSpec { key: "dns", label: "Where the DNS lookup finds the address", kind: ParamKind::Choice(DNS_CHOICES), default: Value::Choice("resolver") },
    ParamSpec { key: "cdnhit", label: "CDN hit (the edge has the page)", kind: ParamKind::Bool, default: Value::Bool(false) },
    ParamSpec { key: "cachehit", label: "Cache hit (the service's cache has the data)", kind: ParamKind::Bool, default: Value::Bool(true) },
    ParamSpec { key: "xregion", label: "Database in another region", kind: ParamKind::Bool, default: Value::Bool(false) },
    ParamSpec { key: "assets", label: "Sub-resources the page needs", kind: ParamKind::Int { min: 0, max: MAX_ASSETS as i64 }, default: Value::Int(12) },
    ParamSpec { key: "rtt", label: "Browser ↔ CDN edge round trip (ms, illustrative)", kind: ParamKind::Int { min: 1, max: 500 }, default: Value::Int(30) },
    ParamSpec { key: "originrtt", label: "CDN edge ↔ origin round trip (ms, illustrative)", kind: ParamKind::Int { min: 1, max: 500 }, default: Value::Int(80) },
    ParamSpec { key: "dnsrtt", label: "Browser ↔ resolver round trip (ms, illustrative)", kind: ParamKind::Int { min: 1, max: 500 }, default: Value::Int(20) },
    ParamSpec { key: "nsrtt", label: "Resolver ↔ each name server round trip (ms, illustrative)", kind: ParamKind::Int { min: 1, max: 500 }, default: Value::Int(40) },
    ParamSpec { key: "dcrtt", label: "Round trip inside the origin's region (ms, illustrative)", kind: ParamKind::Int { min: 0, max: 10 }, default: Value::Int(1) },
    ParamSpec { key: "xrtt", label: "Round trip to a database in another region (ms, illustrative)", kind: ParamKind::Int { min: 10, max: 500 }, default: Value::Int(70) },
    ParamSpec { key: "service", label: "Service work per request (ms, illustrative)", kind: ParamKind::Int { min: 0, max: 2_000 }, default: Value::Int(20) },
    ParamSpec { key: "queries", label: "Database queries on a cache miss", kind: ParamKind::Int { min: 1, max: MAX_QUERIES as i64 }, default: Value::Int(3) },
    ParamSpec { key: "querytime", label: "Database work per query (ms, illustrative)", kind: ParamKind::Int { min: 0, max: 1_000 }, default: Value::Int(5) },
    ParamSpec { key: "jitter", label: "Jitter on every round trip (± %)", kind: ParamKind::Int { min: 0, max: 50 }, default: Value::Int(0) },
];

/// The most sub-resources a page may have, and database queries a request may make.
pub const MAX_ASSETS: usize = 30;
pub const MAX_QUERIES: usize = 20;

const PROTO_CHOICES: &[(&str, &str)] = &[("h1", "HTTP/1.1 over TCP"), ("h2", "HTTP/2 over TCP"), ("h3", "HTTP/3 over QUIC")];
const TLS_CHOICES: &[(&str, &str)] = &[("13", "TLS 1.3"), ("12", "TLS 1.2")];
const DNS_CHOICES: &[(&str, &str)] = &[("browser", "In the browser's cache"), ("resolver", "In the resolver's cache"), ("walk", "Nowhere: the resolver walks from the root")];

/// The HTTP version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proto {
    H1,
    H2,
    H3,
}

impl Proto {
    pub const ALL: [Proto; 3] = [Proto::H1, Proto::H2, Proto::H3];

    pub fn name(self) -> &'static str {
        match self {
            Proto::H1 => "HTTP/1.1",
            Proto::H2 => "HTTP/2",
            Proto::H3 => "HTTP/3",
        }
    }

    /// Whether one connection carries every request at once (HTTP/2's streams, HTTP/3's).
    pub fn multiplexed(self) -> bool {
        self != Proto::H1
    }
}

/// The TLS version of a connection over TCP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TlsVersion {
    V13,
    V12,
}

/// Where the lookup that opens a new connection finds the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DnsAnswer {
    /// The browser's (or the operating system's) cache: no message at all.
    Browser,
    /// The recursive resolver's cache: one round trip to it.
    Resolver,
    /// Nowhere: the resolver asks a root server, a `.com` server and the site's own.
    Walk,
}

impl DnsAnswer {
    pub const ALL: [DnsAnswer; 3] = [DnsAnswer::Browser, DnsAnswer::Resolver, DnsAnswer::Walk];
}

/// The settings of a run as the model uses them, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub proto: Proto,
    pub tls: TlsVersion,
    pub keep_alive: bool,
    pub zero_rtt: bool,
    pub dns: DnsAnswer,
    pub cdn_hit: bool,
    pub cache_hit: bool,
    pub cross_region: bool,
    pub assets: u32,
    pub rtt_ms: u32,
    pub origin_rtt_ms: u32,
    pub dns_rtt_ms: u32,
    pub ns_rtt_ms: u32,
    pub dc_rtt_ms: u32,
    pub cross_rtt_ms: u32,
    pub service_ms: u32,
    pub queries: u32,
    pub query_ms: u32,
    pub jitter_pct: u32,
}

impl Config {
    /// Reads the parameters defensively (see `Params::number_in`): a missing key, a wrong kind
    /// or an out-of-range value falls back or clamps. Built through [`Config::set`], so a setting
    /// means the same read from a link as sent by a control.
    pub fn from_params(params: &Params) -> Self {
        let mut config = Self::DEFAULT;
        for setting in Setting::ALL {
            let key = setting.key();
            let value = match setting.options() {
                Some(options) => {
                    let chosen = params.choice_in(JOURNEY_PARAMS, key);
                    options.iter().position(|(option, _)| *option == chosen).unwrap_or(0) as u32
                }
                None if setting.is_switch() => u32::from(params.flag_in(JOURNEY_PARAMS, key)),
                None => params.number_in(JOURNEY_PARAMS, key).round() as u32,
            };
            config.set(setting, value);
        }
        config
    }

    /// The starting point `from_params` overwrites field by field.
    const DEFAULT: Config = Config {
        proto: Proto::H2,
        tls: TlsVersion::V13,
        keep_alive: true,
        zero_rtt: false,
        dns: DnsAnswer::Resolver,
        cdn_hit: false,
        cache_hit: true,
        cross_region: false,
        assets: 0,
        rtt_ms: 1,
        origin_rtt_ms: 1,
        dns_rtt_ms: 1,
        ns_rtt_ms: 1,
        dc_rtt_ms: 0,
        cross_rtt_ms: 10,
        service_ms: 0,
        queries: 1,
        query_ms: 0,
        jitter_pct: 0,
    };

    /// The setting's value as an action carries it (a choice by its option's position).
    pub fn get(&self, setting: Setting) -> u32 {
        match setting {
            Setting::Proto => Proto::ALL.iter().position(|proto| *proto == self.proto).unwrap_or(0) as u32,
            Setting::Tls => u32::from(self.tls == TlsVersion::V12),
            Setting::KeepAlive => u32::from(self.keep_alive),
            Setting::ZeroRtt => u32::from(self.zero_rtt),
            Setting::Dns => DnsAnswer::ALL.iter().position(|dns| *dns == self.dns).unwrap_or(0) as u32,
            Setting::CdnHit => u32::from(self.cdn_hit),
            Setting::CacheHit => u32::from(self.cache_hit),
            Setting::CrossRegion => u32::from(self.cross_region),
            Setting::Assets => self.assets,
            Setting::Rtt => self.rtt_ms,
            Setting::OriginRtt => self.origin_rtt_ms,
            Setting::DnsRtt => self.dns_rtt_ms,
            Setting::NsRtt => self.ns_rtt_ms,
            Setting::DcRtt => self.dc_rtt_ms,
            Setting::CrossRtt => self.cross_rtt_ms,
            Setting::Service => self.service_ms,
            Setting::Queries => self.queries,
            Setting::QueryTime => self.query_ms,
            Setting::Jitter => self.jitter_pct,
        }
    }

    /// The setting of the parameter `key` as a parameter's value, the inverse of
    /// [`Action::from_param`]: what a live control shows. `None` for an unknown key.
    pub fn value(&self, key: &str) -> Option<Value> {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == key)?;
        let number = self.get(setting);
        Some(match setting.options() {
            Some(options) => Value::Choice(options.get(number as usize).map_or("", |(option, _)| *option)),
            None if setting.is_switch() => Value::Bool(number == 1),
            None => Value::Int(i64::from(number)),
        })
    }

    /// Changes one setting, clamped to its range.
    pub fn set(&mut self, setting: Setting, value: u32) {
        let (low, high) = setting.range();
        let value = value.clamp(low, high);
        let on = value == 1;
        match setting {
            Setting::Proto => self.proto = Proto::ALL[value as usize % Proto::ALL.len()],
            Setting::Tls => self.tls = if on { TlsVersion::V12 } else { TlsVersion::V13 },
            Setting::KeepAlive => self.keep_alive = on,
            Setting::ZeroRtt => self.zero_rtt = on,
            Setting::Dns => self.dns = DnsAnswer::ALL[value as usize % DnsAnswer::ALL.len()],
            Setting::CdnHit => self.cdn_hit = on,
            Setting::CacheHit => self.cache_hit = on,
            Setting::CrossRegion => self.cross_region = on,
            Setting::Assets => self.assets = value,
            Setting::Rtt => self.rtt_ms = value,
            Setting::OriginRtt => self.origin_rtt_ms = value,
            Setting::DnsRtt => self.dns_rtt_ms = value,
            Setting::NsRtt => self.ns_rtt_ms = value,
            Setting::DcRtt => self.dc_rtt_ms = value,
            Setting::CrossRtt => self.cross_rtt_ms = value,
            Setting::Service => self.service_ms = value,
            Setting::Queries => self.queries = value,
            Setting::QueryTime => self.query_ms = value,
            Setting::Jitter => self.jitter_pct = value,
        }
    }

    /// The same settings with one changed: what the comparisons beside the picture ask about.
    pub fn with(mut self, setting: Setting, value: u32) -> Self {
        self.set(setting, value);
        self
    }
}

/// One parameter as a live setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Proto,
    Tls,
    KeepAlive,
    ZeroRtt,
    Dns,
    CdnHit,
    CacheHit,
    CrossRegion,
    Assets,
    Rtt,
    OriginRtt,
    DnsRtt,
    NsRtt,
    DcRtt,
    CrossRtt,
    Service,
    Queries,
    QueryTime,
    Jitter,
}

impl Setting {
    pub const ALL: [Setting; 19] = [
        Setting::Proto,
        Setting::Tls,
        Setting::KeepAlive,
        Setting::ZeroRtt,
        Setting::Dns,
        Setting::CdnHit,
        Setting::CacheHit,
        Setting::CrossRegion,
        Setting::Assets,
        Setting::Rtt,
        Setting::OriginRtt,
        Setting::DnsRtt,
        Setting::NsRtt,
        Setting::DcRtt,
        Setting::CrossRtt,
        Setting::Service,
        Setting::Queries,
        Setting::QueryTime,
        Setting::Jitter,
    ];

    /// The parameter it comes from.
    pub fn key(self) -> &'static str {
        self.spec().map_or("", |spec| spec.key)
    }

    /// Its parameter, found by position: `Setting::ALL` lists them in `JOURNEY_PARAMS`' order (a
    /// test holds the two together).
    fn spec(self) -> Option<&'static ParamSpec> {
        JOURNEY_PARAMS.get(self as usize)
    }

    /// A choice's options, in the order an action numbers them.
    fn options(self) -> Option<&'static [(&'static str, &'static str)]> {
        match self.spec()?.kind {
            ParamKind::Choice(options) => Some(options),
            _ => None,
        }
    }

    fn is_switch(self) -> bool {
        matches!(self.spec().map(|spec| spec.kind), Some(ParamKind::Bool))
    }

    /// Its letter in the URL.
    fn code(self) -> char {
        match self {
            Setting::Proto => 'p',
            Setting::Tls => 't',
            Setting::KeepAlive => 'k',
            Setting::ZeroRtt => 'z',
            Setting::Dns => 'd',
            Setting::CdnHit => 'c',
            Setting::CacheHit => 'h',
            Setting::CrossRegion => 'x',
            Setting::Assets => 'a',
            Setting::Rtt => 'r',
            Setting::OriginRtt => 'o',
            Setting::DnsRtt => 'v',
            Setting::NsRtt => 'w',
            Setting::DcRtt => 'i',
            Setting::CrossRtt => 'g',
            Setting::Service => 's',
            Setting::Queries => 'q',
            Setting::QueryTime => 'u',
            Setting::Jitter => 'j',
        }
    }

    /// The lowest and highest value an action may carry, read from the parameters' ranges.
    pub fn range(self) -> (u32, u32) {
        self.spec().map_or((0, 1), |spec| spec.action_range(1.0))
    }
}

/// What the reader does to the running system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Changes a setting from the next page load on (see [`Setting`]; a choice is its option's
    /// position, a switch 0 or 1).
    Set(Setting, u32),
    /// A new visitor: the browser forgets its open connections and its session tickets.
    NewVisitor,
}

impl Action {
    /// The action for a control's new value: a parameter's key and value as the controls hold
    /// them; `None` for an unknown key or a value of the wrong kind.
    pub fn from_param(key: &str, value: Value) -> Option<Action> {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == key)?;
        let number = match (setting.options(), value) {
            (Some(options), Value::Choice(chosen)) => options.iter().position(|(option, _)| *option == chosen)? as u32,
            (None, Value::Bool(on)) if setting.is_switch() => u32::from(on),
            (None, Value::Int(whole)) if !setting.is_switch() => whole.clamp(0, i64::from(u32::MAX)) as u32,
            _ => return None,
        };
        let (low, high) = setting.range();
        Some(Action::Set(setting, number.clamp(low, high)))
    }

    /// Button text, and the name of a comparison beside the picture.
    pub fn label(&self) -> String {
        let Action::Set(setting, value) = *self else { return "New visitor".to_string() };
        let on = if value == 1 { "on" } else { "off" };
        match setting {
            Setting::Proto => Proto::ALL[value as usize % 3].name().to_string(),
            Setting::Tls if value == 1 => "TLS 1.2".to_string(),
            Setting::Tls => "TLS 1.3".to_string(),
            Setting::KeepAlive => format!("Keep-alive {on}"),
            Setting::ZeroRtt => format!("0-RTT {on}"),
            Setting::Dns => match DnsAnswer::ALL[value as usize % 3] {
                DnsAnswer::Browser => "DNS answer in the browser's cache",
                DnsAnswer::Resolver => "DNS answer in the resolver's cache",
                DnsAnswer::Walk => "DNS walk from the root",
            }
            .to_string(),
            Setting::CdnHit if value == 1 => "CDN hit".to_string(),
            Setting::CdnHit => "CDN miss".to_string(),
            Setting::CacheHit if value == 1 => "Cache hit".to_string(),
            Setting::CacheHit => "Cache miss".to_string(),
            Setting::CrossRegion if value == 1 => "Database in another region".to_string(),
            Setting::CrossRegion => "Database in the region".to_string(),
            Setting::Assets => format!("{value} sub-resources"),
            Setting::Rtt => format!("Browser ↔ edge {value} ms"),
            Setting::OriginRtt => format!("Edge ↔ origin {value} ms"),
            Setting::DnsRtt => format!("Browser ↔ resolver {value} ms"),
            Setting::NsRtt => format!("Resolver ↔ name server {value} ms"),
            Setting::DcRtt => format!("In-region round trip {value} ms"),
            Setting::CrossRtt => format!("Cross-region round trip {value} ms"),
            Setting::Service => format!("Service work {value} ms"),
            Setting::Queries => format!("{value} queries on a miss"),
            Setting::QueryTime => format!("Query work {value} ms"),
            Setting::Jitter => format!("Jitter ±{value}%"),
        }
    }

    /// Compact text for the URL: a setting is its letter and value (`p2` HTTP/3, `t1` TLS 1.2,
    /// `k0` keep-alive off, `z1` 0-RTT on, `d2` a DNS walk, `c1` CDN hit, `h0` cache miss, `x1`
    /// a database in another region, `a12` sub-resources, `r30` `o80` `v20` `w40` `i1` `g70` the
    /// round trips in ms, `s20` service work, `q3` queries, `u5` query work, `j10` jitter);
    /// `n` is a new visitor.
    pub fn encode(&self) -> String {
        match *self {
            Action::Set(setting, value) => format!("{}{value}", setting.code()),
            Action::NewVisitor => "n".to_string(),
        }
    }

    /// Reads exactly what `encode` writes (numbers without a sign or a leading zero, within
    /// their ranges); anything else is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        if text == "n" {
            return Some(Action::NewVisitor);
        }
        let (tag, rest) = text.split_at_checked(1)?;
        let number = crate::sim::query::canonical_number(rest)?;
        let setting = Setting::ALL.into_iter().find(|setting| setting.code().to_string() == tag)?;
        let (low, high) = setting.range();
        (low..=high).contains(&number).then_some(Action::Set(setting, number))
    }
}

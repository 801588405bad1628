//! The live region's sentence: the reader's last change for a few simulated seconds, else what
//! the current load is doing now, or, between loads, how long the last one took against the one
//! before.

use super::*;

/// A count of round trips in words.
fn round_trips(count: u32) -> String {
    crate::sim::number::counted(count, "round trip")
}

impl Journey {
    /// At the start of a run.
    pub(super) fn tell_start(&self) -> String {
        format!("Load 1 starts cold: no open connection and no session ticket, so the browser looks up the address and shakes hands first. {}", self.tell_now())
    }

    /// The reader's change, and what it does to the next load.
    pub(super) fn tell_action(&self, action: Action) -> String {
        // A change at the tick a load starts shapes that load (see `Journey::apply`).
        let (when, total) = if self.tick == self.load.start { ("This load", self.load.plan.total) } else { ("The next load", self.next_plan().total) };
        let what = match action {
            Action::NewVisitor => "A new visitor: the browser has no open connection and no session ticket.".to_string(),
            Action::Set(..) => format!("{}.", action.label()),
        };
        let note = match action {
            Action::Set(Setting::ZeroRtt, 1) if !Transport::of(&self.config).has_zero_rtt() => " TLS 1.2 has no 0-RTT, so it changes nothing here.",
            Action::Set(Setting::ZeroRtt, 1) if self.browser.reusable(&self.config) > 0 => " It only helps a new connection; keep-alive reuses the open one.",
            Action::Set(Setting::Tls, _) if self.config.proto == Proto::H3 => " HTTP/3 always runs TLS 1.3 inside QUIC, so it changes nothing until you pick HTTP/1.1 or HTTP/2.",
            Action::Set(Setting::CacheHit | Setting::CrossRegion | Setting::Queries | Setting::QueryTime | Setting::Service | Setting::OriginRtt | Setting::DcRtt | Setting::CrossRtt, _) if self.config.cdn_hit => " A CDN hit answers at the edge, so the origin's side changes nothing.",
            _ => "",
        };
        format!("{what}{note} {when} takes {total} ms with these settings.")
    }

    /// What the current load is doing now, or how the last one went.
    pub(super) fn tell_now(&self) -> String {
        let load = &self.load;
        let Some(phase) = self.phase_now() else { return self.tell_finished() };
        let rtt = |link| plan::round_trip_ms(&load.config, &load.jitter, link);
        let config = &load.config;
        let doing = match phase.step {
            Step::DnsQuery => format!("the browser asks its resolver for the address ({} ms round trip)", rtt(Link::Resolver)),
            Step::DnsWalk => format!("the resolver has no copy, so it asks a root server, a .com server and the site's own: {} of {} ms", round_trips(3), rtt(Link::NameServers)),
            Step::DnsAnswer => "the address comes back from the resolver".to_string(),
            Step::Tcp => format!("TCP's three-way handshake, SYN out and SYN-ACK back: one round trip ({} ms) before any data", rtt(Link::Edge)),
            Step::Tls { round_trips: count, resumed: false } => format!("a full TLS {} handshake: {}", if config.tls == TlsVersion::V12 { "1.2" } else { "1.3" }, round_trips(u32::from(count))),
            Step::Tls { resumed: true, .. } => format!("TLS resumes the last session with its ticket: {}", round_trips(1)),
            Step::Quic { resumed: false } => "QUIC's handshake sets up the connection and TLS 1.3 together in one round trip".to_string(),
            Step::Quic { resumed: true } => "QUIC resumes the last session with its ticket in one round trip".to_string(),
            Step::Request { early: true } => "the request rides the first handshake flight as 0-RTT early data, to the CDN edge".to_string(),
            Step::Request { early: false } if load.plan.reused => "the request goes to the CDN edge over the connection left open: no DNS, no handshake".to_string(),
            Step::Request { early: false } => "the request goes to the CDN edge".to_string(),
            Step::ToOrigin => format!("the edge has no copy (a CDN miss) and forwards the request to the origin's load balancer ({} ms round trip)", rtt(Link::Origin)),
            Step::ToService => "the load balancer hands the request to a service instance".to_string(),
            Step::Service => format!("the service works on the request ({} ms)", config.service_ms),
            Step::Cache if config.cache_hit => "the service asks its cache, which has the data".to_string(),
            Step::Cache => "the service asks its cache, which misses".to_string(),
            Step::Query { index } => {
                let place = if config.cross_region { "in another region" } else { "in the region" };
                format!("query {} of {} to the database {place} ({} ms round trip, {} ms of work)", index + 1, config.queries, phase.wire, config.query_ms)
            }
            Step::FromService | Step::FromOrigin => "the page goes back through the load balancer to the edge".to_string(),
            Step::Response if config.cdn_hit => "the edge answers from its cache".to_string(),
            Step::Response => "the edge sends the page on to the browser".to_string(),
            Step::Assets if config.proto.multiplexed() => format!("all {} sub-resources go at once over the one {} connection: one round trip", config.assets, config.proto.name()),
            Step::Assets => {
                let lanes = load.plan.lanes.len();
                let new = match load.plan.new_lanes() {
                    0 => String::new(),
                    count => format!(", {} of them new, each with its own handshakes", count),
                };
                format!("the {} sub-resources go one at a time over each of {} HTTP/1.1 connections{new}", config.assets, lanes)
            }
            Step::Fetch { .. } => "a sub-resource is on its way".to_string(),
        };
        format!("Load {}, {} ms in: {doing}.", load.number, self.elapsed_ms())
    }

    /// Between loads: the one that finished, against the one before.
    fn tell_finished(&self) -> String {
        let plan = &self.load.plan;
        let before = match self.previous() {
            Some(previous) => format!(" (load {}: {} ms)", previous.number, previous.total_ms),
            None => String::new(),
        };
        let assets = if self.load.config.assets > 0 { format!(", the sub-resources {} ms more", plan.total - plan.page_ms) } else { String::new() };
        format!(
            "Load {} took {} ms{before}: {} ms of DNS and handshakes, the page arrived at {} ms{assets}. The next starts shortly.",
            self.load.number,
            plan.total,
            plan.setup_ms(),
            plan.page_ms
        )
    }
}

//! The sentence the live region reads: the latest thing that changed, in words.

use super::controls::Action;
use super::machine::{BreakerState, Reason, Transition};
use super::{Hop, Service};

/// Something worth telling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Event {
    Started { requests_per_second: u32, chain_percent: u32, latency_ms: u32 },
    Acted(Action),
    Moved { hop: Hop, transition: Transition, window_seconds: u32, open_ms: u32, probes: u32 },
    PoolFull { service: Service, threads: u32, queued: u32 },
    PoolFreed { service: Service },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Narrator {
    sentence: String,
}

impl Narrator {
    pub fn new(started: Event) -> Self {
        let mut narrator = Self::default();
        narrator.tell(started, 0);
        narrator
    }

    pub fn sentence(&self) -> String {
        self.sentence.clone()
    }

    pub fn tell(&mut self, event: Event, time_ms: u64) {
        let when = format!("{:.1} s: ", time_ms as f64 / 1000.0);
        self.sentence = match event {
            Event::Started { requests_per_second, chain_percent, latency_ms } => format!(
                "Users send {requests_per_second} requests per second to A; {chain_percent}% of them need B, which calls C. C answers in {latency_ms} ms. No breakers yet: switch them on, then make C slow or failing."
            ),
            Event::Acted(action) => format!("{when}{}", describe_action(action)),
            Event::Moved { hop, transition, window_seconds, open_ms, probes } => {
                format!("{when}{}", describe_transition(hop, transition, window_seconds, open_ms, probes))
            }
            Event::PoolFull { service, threads, queued } => {
                let cause = match service {
                    Service::A => " The trouble downstream has cascaded up to the service users talk to.",
                    _ => "",
                };
                format!("{when}every one of {}'s {threads} threads is busy and {queued} requests wait.{cause}", service.name())
            }
            Event::PoolFreed { service } => format!("{when}{} has free threads again.", service.name()),
        };
    }
}

fn describe_action(action: Action) -> String {
    match action {
        Action::SetLatency(ms) => format!("C now takes {ms} ms to answer."),
        Action::SetFailureRate(percent) => format!("C now fails {percent}% of the calls it answers."),
        Action::SetBreaker(hop, true) => format!("A circuit breaker now guards {}; it starts closed.", hop.label()),
        Action::SetBreaker(hop, false) => format!("The breaker on {} is gone: every call goes through and waits.", hop.label()),
    }
}

fn describe_transition(hop: Hop, transition: Transition, window_seconds: u32, open_ms: u32, probes: u32) -> String {
    let name = format!("the breaker on {}", hop.label());
    let open_for = format!("{:.1} s", f64::from(open_ms) / 1000.0);
    match (transition.to, transition.reason) {
        (BreakerState::Open, Reason::Tripped { failures, calls }) => format!(
            "{name} opened: {failures} of the last {calls} calls in {window_seconds} s failed. Calls to {} now fail at once for {open_for}.",
            hop.callee().name()
        ),
        (BreakerState::Open, _) => format!("{name} opened again: a probe failed. Another {open_for} of fast failures."),
        (BreakerState::HalfOpen, _) => format!("{name} is half-open: it lets {probes} probe call{} through to test {}.", if probes == 1 { "" } else { "s" }, hop.callee().name()),
        (BreakerState::Closed, _) => format!("{name} closed again: {probes} probe{} succeeded.", if probes == 1 { "" } else { "s" }),
    }
}

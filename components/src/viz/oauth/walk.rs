//! Stepping through a flow with the shared harness: the tick is the message being shown, so
//! the timeline, the arrow keys and the share link all work as they do for the simulations.

use super::{messages, selection, Failure, Flow, FlowInputs};
use crate::sim::{Params, Simulation};

#[derive(Debug, Clone, PartialEq)]
pub struct FlowWalk {
    pub flow: Flow,
    pub failure: Failure,
    /// The message shown, 0-based; past the last message it stays on the last one.
    tick: u64,
    message_count: u64,
    summaries: Vec<String>,
}

impl FlowWalk {
    /// The index of the message on screen.
    pub fn current(&self) -> usize {
        self.tick.min(self.message_count.saturating_sub(1)) as usize
    }

    pub fn message_count(&self) -> usize {
        self.message_count as usize
    }
}

impl Simulation for FlowWalk {
    type Action = ();
    const SEEDED: bool = false;

    fn new(params: &Params, _seed: u64) -> Self {
        let (flow, failure) = selection(params);
        let summaries: Vec<String> = messages(flow, failure, &FlowInputs::default()).into_iter().map(|message| message.summary).collect();
        Self { flow, failure, tick: 0, message_count: summaries.len() as u64, summaries }
    }

    fn step(&mut self) {
        self.tick += 1;
    }

    fn apply(&mut self, _action: &()) {}

    fn tick(&self) -> u64 {
        self.tick
    }

    fn narrate(&self) -> String {
        match self.summaries.get(self.current()) {
            Some(summary) => format!("Step {} of {}: {summary}", self.current() + 1, self.message_count),
            None => "This flow has no messages.".to_string(),
        }
    }

    fn encode_action(_action: &()) -> String {
        String::new()
    }

    fn decode_action(_text: &str) -> Option<()> {
        None
    }

    fn finished(&self) -> bool {
        self.tick + 1 >= self.message_count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Timeline;

    #[test]
    fn the_walk_stops_at_the_last_message_and_steps_back() {
        let mut params = Params::defaults(super::super::PARAMS);
        params.set_text("failure", "wrong-verifier").unwrap();
        let mut timeline = Timeline::<FlowWalk>::new(params, 1, 100);
        let count = timeline.state().message_count();
        assert!(count >= 5);
        for _ in 0..200 {
            timeline.step_forward();
        }
        assert_eq!(timeline.state().current(), count - 1, "the walk does not run past its end");
        assert!(timeline.at_end());
        timeline.step_back();
        assert_eq!(timeline.state().current(), count - 2);
        assert!(timeline.state().narrate().starts_with(&format!("Step {} of {count}", count - 1)));
    }
}

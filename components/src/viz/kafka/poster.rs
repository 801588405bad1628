//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes (every replica in sync, every log empty, nothing sent yet), so
//! the prerendered picture is the one the app sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Kafka, KAFKA_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Kafka>(KAFKA_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_the_cluster_before_anything_is_sent() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">B1<", ">B3<", ">P1<", ">P2<", ">C1<", ">C2<", ">p0<", ">p3<", ">group<", ">send<", ">copy<", ">leader<", ">not in sync<", ">Logs, newest at the right<", ">lag 0<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        assert!(!poster.svg.contains(">B4<") && !poster.svg.contains(">C3<") && !poster.svg.contains(">p4<"));
        assert_eq!(poster.svg.matches(">lag 0<").count(), 4);
        assert_eq!(drawn_requests(&poster.svg).len(), 6, "only the legend's shapes: nothing sent yet");
        let label = aria_label(&poster.svg);
        assert!(label.starts_with("Kafka: 3 brokers, a topic of 4 partitions, each copied 3 times; acks=all, min.insync.replicas=2, idempotent producers. Every partition has a leader and all its replicas in sync. 2 consumers in the group; lag 0. Lost after an acknowledgement: 0; written twice: 0; processed again: 0; per-key order violations: 0."), "{label}");
    }

    #[test]
    fn the_poster_follows_its_parameters_and_ignores_garbage() {
        for (brokers, partitions, consumers) in [(3, 1, 1), (4, 5, 8), (5, 8, 8), (5, 8, 1), (3, 8, 3)] {
            let poster = draw_with(&[("brokers", &brokers.to_string()), ("partitions", &partitions.to_string()), ("consumers", &consumers.to_string())]);
            assert!(poster.problems.is_empty(), "{brokers} {partitions} {consumers}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{brokers} {partitions} {consumers}: {} bytes", poster.svg.len());
            assert!(poster.svg.contains(&format!(">B{brokers}<")) && !poster.svg.contains(&format!(">B{}<", brokers + 1)));
            assert!(poster.svg.contains(&format!(">C{consumers}<")) && !poster.svg.contains(&format!(">C{}<", consumers + 1)));
            assert_eq!(poster.svg.matches(">lag 0<").count(), partitions);
        }
        let garbage = draw_with(&[("brokers", "99"), ("rf", "NaN"), ("acks", "2"), ("rate", "-1"), ("seed", "x"), ("zzz", "1")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg, "a value out of range keeps its default, as the tool does");
    }
}

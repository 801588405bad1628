//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes (the leader and its followers with empty logs, nothing sent
//! yet, no numbers), so the prerendered picture is the one the app sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Replication, REPLICATION_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Replication>(REPLICATION_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_a_leader_two_followers_and_no_numbers_yet() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">db1<", ">leader<", ">log 0<", ">db2<", ">db3 ×4<", ">router<", ">reads: any follower<", ">Async: OK after the leader alone<", ">Alice<", ">Dan<", ">Write OK<", ">Lost at failovers: 0 acknowledged, 0 not<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        assert!(!poster.svg.contains(">db4<"), "two followers by default");
        assert_eq!(poster.svg.matches(">in sync<").count(), 2);
        assert_eq!(poster.svg.matches(">– / –<").count(), 3, "no latencies before any write");
        assert_eq!(drawn_requests(&poster.svg).len(), 6, "only the legend's shapes: nothing sent yet");
        let label = aria_label(&poster.svg);
        assert!(label.starts_with("Asynchronous replication: leader db1 with follower db2 (0 ms behind, 0 entries pending), follower db3 (slowed ×4, 0 ms behind, 0 entries pending). Reads: any follower."), "{label}");
    }

    #[test]
    fn the_poster_follows_its_parameters_and_ignores_garbage() {
        for followers in 1..=4 {
            let poster = draw_with(&[("followers", &followers.to_string()), ("mode", "sync"), ("ryw", "1"), ("prefix", "1")]);
            assert!(poster.problems.is_empty(), "{followers}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{followers}: {} bytes", poster.svg.len());
            assert_eq!(poster.svg.matches(">in sync<").count(), followers);
            assert!(poster.svg.contains(&format!(">db{} ×4<", followers + 1)), "the last follower is the slow one");
            assert!(poster.svg.contains(">Sync: OK after every follower<") && poster.svg.contains(">reads: RYW + prefix<"), "{}", poster.svg);
        }
        let garbage = draw_with(&[("followers", "9"), ("mode", "quorum"), ("lag", "NaN"), ("slow", "-1"), ("seed", "x"), ("zzz", "1")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}

//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes (every server a follower in term 0 with an empty log and its
//! election timer just started), so the prerendered picture is the one the app sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Raft, RAFT_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Raft>(RAFT_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_five_followers_waiting_for_an_election() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">S1<", ">S5<", ">No leader yet<", ">commit index 0<", ">Logs: empty so far<", ">committed<", ">vote?<", ">beat<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        assert!(!poster.svg.contains(">S6<"));
        assert_eq!(poster.svg.matches(">follower<").count(), 5);
        assert_eq!(poster.svg.matches(">term 0<").count(), 5);
        // Only the legend's six shapes: nothing has been sent yet.
        assert_eq!(drawn_requests(&poster.svg).len(), 6);
        let label = aria_label(&poster.svg);
        assert!(label.starts_with("5 Raft servers on a ring. No server leads yet."), "{label}");
    }

    #[test]
    fn the_poster_follows_its_parameters_and_ignores_garbage() {
        for servers in 3..=7 {
            let poster = draw_with(&[("servers", &servers.to_string())]);
            assert!(poster.problems.is_empty(), "{servers}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{servers}: {} bytes", poster.svg.len());
            assert_eq!(poster.svg.matches(">follower<").count(), servers);
            assert!(poster.svg.contains(&format!(">S{servers}<")) && !poster.svg.contains(&format!(">S{}<", servers + 1)));
        }
        let garbage = draw_with(&[("servers", "99"), ("tmin", "NaN"), ("rate", "-1"), ("seed", "x"), ("zzz", "1")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}

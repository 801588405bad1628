//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage (see
//! `stage`) at tick 0, so the page shows the very picture the tool starts from: one stream of
//! requests on its way to the five limiters side by side, all set to the same limit, each with
//! its state in the model's own words (a full token bucket, an empty leaky bucket, windows
//! with nothing counted yet).

use crate::viz::poster::{start, Sketch};

use super::stage::stage;
use super::{RateLimiters, LIMITER_PARAMS};

/// The stage at tick 0 of the run a preset (or the defaults) describes: the poster cannot
/// disagree with the tool, because it is the tool's own first picture.
pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<RateLimiters>(LIMITER_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Simulation};
    use crate::viz::limiters::stage::traffic;
    use crate::viz::limiters::{Action, Kind, Pattern};
    use crate::viz::poster::{aria_label, pairs, Poster};

    /// What the shared poster test allows every poster.
    const MOST_BYTES: usize = 8_000;

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    fn model(list: &[(&str, &str)]) -> RateLimiters {
        let (params, _) = Params::from_pairs(LIMITER_PARAMS, &pairs(list));
        RateLimiters::new(&params, DEFAULT_SEED)
    }

    #[test]
    fn the_defaults_draw_five_limiters_and_a_full_token_bucket() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert!(poster.svg.len() < MOST_BYTES, "{} bytes", poster.svg.len());
        for kind in Kind::ALL {
            assert!(poster.svg.contains(&format!(">{}<", kind.label())), "{} missing", kind.label());
        }
        // A full bucket: its fill is as tall as the bucket. An empty queue: no fill, ten slots.
        assert!(poster.svg.contains(r#"class="pv-fill pv-fill--1" x="98.0" y="72.0" width="18.0" height="28.0""#), "{}", poster.svg);
        assert!(!poster.svg.contains(r#"class="pv-fill pv-fill--2" x="#), "{}", poster.svg);
        for words in [">10 of 10 tokens<", ">refills 10/s<", ">0 of 10 queued<", ">leaks 10/s<", ">each allows 10 per 1 s<", "bursts of 20", ">1 dot = 1 request<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        // Nothing has been decided yet: requests are only on their way.
        // (The legend shows one of each.)
        let drawn = crate::viz::poster::drawn_requests(&poster.svg);
        assert_eq!(drawn.iter().filter(|(outcome, _, _)| *outcome == crate::viz::poster::Outcome::Ok).count(), 1, "{}", poster.svg);
        assert_eq!(drawn.iter().filter(|(outcome, _, _)| *outcome == crate::viz::poster::Outcome::Rejected).count(), 1, "{}", poster.svg);
        let label = aria_label(&poster.svg);
        assert!(label.contains("10 requests per 1 s") && label.contains("10 of 10 tokens"), "{label}");
    }

    #[test]
    fn the_poster_follows_the_limit_window_and_traffic() {
        let other = draw_with(&[("limit", "4"), ("window", "3"), ("rate", "30"), ("burst", "99")]);
        assert!(other.problems.is_empty(), "{:?}", other.problems);
        // Four tokens refilled over 3 s: 1.33 a second.
        for words in [">4 of 4 tokens<", ">refills 1.33/s<", ">leaks 1.33/s<", ">each allows 4 per 3 s<", "30/s + bursts of 99", ">0 of 4 used, resets in 3 s<", ">0 / 4<"] {
            assert!(other.svg.contains(words), "{words} missing: {}", other.svg);
        }
        assert!(aria_label(&other.svg).contains("4 requests per 3 s"));
        // A queue too long for a slot per request is drawn without them.
        let big = draw_with(&[("limit", "500")]);
        assert!(big.svg.contains(">500 of 500 tokens<") && big.svg.contains(">0 of 500 queued<"), "{}", big.svg);
        assert!(draw_with(&[]).svg.contains("v12M") && !big.svg.contains("v12M"), "{}", big.svg);
    }

    #[test]
    fn the_traffic_is_worded_for_each_pattern() {
        let mut limiters = model(&[]);
        let mut seen = Vec::new();
        for pattern in Pattern::ALL {
            limiters.apply(&Action::SetPattern(pattern));
            let words = traffic(&limiters);
            assert!(words.iter().all(|option| option.contains(&limiters.config().burst.to_string()) == matches!(pattern, Pattern::Bursts | Pattern::EdgeBursts)), "{pattern:?}: {words:?}");
            let poster = stage(&limiters).finish();
            assert!(poster.problems.is_empty(), "{pattern:?}: {:?}", poster.problems);
            seen.push(aria_label(&poster.svg).to_string());
        }
        seen.dedup();
        assert_eq!(seen.len(), Pattern::ALL.len(), "every pattern is told apart: {seen:?}");
    }

    #[test]
    fn every_extreme_fits_the_canvas() {
        let ranges: [(&str, [&str; 2]); 4] = [("limit", ["1", "1000"]), ("window", ["1", "10"]), ("rate", ["0", "1000"]), ("burst", ["0", "5000"])];
        for corner in 0..16 {
            let list: Vec<(&str, &str)> = ranges.iter().enumerate().map(|(bit, (key, values))| (*key, values[(corner >> bit) & 1])).collect();
            let poster = draw_with(&list);
            assert!(poster.problems.is_empty(), "{list:?}: {:?}", poster.problems);
            assert!(poster.svg.len() < MOST_BYTES, "{list:?}: {} bytes", poster.svg.len());
        }
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = draw_with(&[("limit", "0"), ("window", "1.5"), ("rate", "fast"), ("burst", "-2"), ("seed", "?"), ("other", "1")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}

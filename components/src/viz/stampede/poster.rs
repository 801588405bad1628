//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage (see
//! `stage`) as the model stands before the first tick, so the page opens on the very picture the
//! tool then sets moving: warm keys with full clocks that will all expire together, or an empty
//! cache, and an idle database.

use super::stage::stage;
use super::{Stampede, STAMPEDE_PARAMS};
use crate::viz::poster::{start, Sketch};

/// The stage at tick 0 for the preset `pairs` (invalid values fall back to the defaults).
pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Stampede>(STAMPEDE_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ParamKind, Value};
    use crate::viz::poster::{aria_label, pairs, Poster};
    use crate::viz::stampede::HOT_KEY_COUNT;

    fn draw(query: &[(&str, &str)]) -> Poster {
        poster(&pairs(query)).finish()
    }

    /// The radii of the hot keys' clocks, most requested first.
    fn clocks(svg: &str) -> Vec<f32> {
        svg.split(r#"<circle class="pv-meter""#)
            .skip(1)
            .map(|clock| clock.split(r#"r=""#).nth(1).and_then(|rest| rest.split('"').next()).and_then(|r| r.parse().ok()).unwrap_or(0.0))
            .collect()
    }

    #[test]
    fn the_poster_is_the_stage_before_the_first_tick() {
        for query in [vec![], vec![("start", "cold"), ("keys", "3")], vec![("variant", "penetration"), ("rate", "20000")]] {
            let model: Stampede = start(STAMPEDE_PARAMS, &pairs(&query));
            assert_eq!(draw(&query).svg, stage(&model).finish().svg, "{query:?}");
        }
    }

    #[test]
    fn draws_the_hot_keys_the_model_has() {
        assert_eq!(clocks(&draw(&[]).svg).len(), HOT_KEY_COUNT);
        assert_eq!(clocks(&draw(&[("keys", "3")]).svg).len(), 3);
        let seven = draw(&[("keys", "7")]);
        assert_eq!(clocks(&seven.svg).len(), 7);
        assert!(!seven.svg.contains("more key"), "every key is a hot key: {}", seven.svg);
        assert!(draw(&[]).svg.contains(">+40 more keys</text>"));
        let one = draw(&[("keys", "1")]);
        assert_eq!(clocks(&one.svg).len(), 1);
        assert!(one.svg.contains(">hot:0 draws 100% of requests</text>"), "{}", one.svg);
        // Popular keys have larger clocks, and with no skew every key is as popular as the next.
        let skewed = clocks(&draw(&[("skew", "2")]).svg);
        assert!(skewed.windows(2).all(|pair| pair[0] >= pair[1]) && skewed[0] > 1.5 * skewed[9], "{skewed:?}");
        let flat = clocks(&draw(&[("skew", "0")]).svg);
        assert!(flat.iter().all(|r| *r == flat[0]), "{flat:?}");
    }

    #[test]
    fn says_what_the_cache_holds_at_the_start() {
        let warm = draw(&[("ttl", "30")]);
        assert!(aria_label(&warm.svg).contains("all 50 keys are fresh and expire together at 30.0 s"), "{}", warm.svg);
        assert_eq!(warm.svg.matches("pv-fill--3").count(), HOT_KEY_COUNT, "every clock is full and green");
        let cold = draw(&[("start", "cold")]);
        assert!(aria_label(&cold.svg).contains("the cache is empty, so every first read misses"), "{}", cold.svg);
        assert!(!cold.svg.contains("pv-fill--3") && cold.svg.matches(r#"<circle class="pv-ring""#).count() == HOT_KEY_COUNT, "{}", cold.svg);
        assert!(cold.svg.contains("pv-part--degraded"), "an empty cache answers nothing: {}", cold.svg);
        // Popularity follows the skew: with none, each of 50 keys gets a fiftieth.
        assert!(draw(&[("skew", "0")]).svg.contains(">hot:0: 2.0% of requests</text>"), "beside +40 more keys, the shorter form");
        let missing = draw(&[("variant", "penetration"), ("missing", "0.5"), ("skew", "0"), ("keys", "10")]);
        assert!(missing.svg.contains("50% for missing keys</text>") && missing.svg.contains(">hot:0 draws 5.0% of requests</text>"), "{}", missing.svg);
        assert!(!draw(&[("missing", "0.5")]).svg.contains("missing keys"), "the share is ignored outside the penetration variant");
        let busy = draw(&[("conc", "7"), ("rate", "20000"), ("cost", "2000")]);
        for words in [">0 of 7 busy<", ">queue 0<", "20,000 requests a second", "Database: 2000 ms a query"] {
            assert!(busy.svg.contains(words), "{words}: {}", busy.svg);
        }
        let label = aria_label(&busy.svg);
        assert!(label.contains("20,000 requests a second") && label.contains("runs 7 queries at once (2000 ms each when idle)") && label.contains("runs 0 of 7 queries with none queued"), "{label}");
    }

    #[test]
    fn fits_at_the_extremes_and_survives_garbage() {
        let bound = |key: &str, high: bool| -> String {
            let spec = STAMPEDE_PARAMS.iter().find(|spec| spec.key == key).unwrap();
            match spec.kind {
                ParamKind::Int { min, max } => Value::Int(if high { max } else { min }).to_text(),
                ParamKind::Float { min, max } => Value::Float(if high { max } else { min }).to_text(),
                ParamKind::Choice(options) => options[usize::from(high) * (options.len() - 1)].0.to_string(),
                ParamKind::Bool => Value::Bool(high).to_text(),
            }
        };
        for high in [false, true] {
            let values: Vec<(&str, String)> = STAMPEDE_PARAMS.iter().map(|spec| (spec.key, bound(spec.key, high))).collect();
            let query: Vec<(&str, &str)> = values.iter().map(|(key, value)| (*key, value.as_str())).collect();
            let poster = draw(&query);
            assert!(poster.problems.is_empty(), "{query:?}: {:?}", poster.problems);
            // Posters travel in every page that shows the tool (see `viz::poster`).
            assert!(poster.svg.len() < 8_000, "{query:?}: {} bytes", poster.svg.len());
        }
        let garbage = draw(&[("rate", "fast"), ("keys", "0"), ("ttl", "-1"), ("variant", "x"), ("start", ""), ("seed", "¿")]);
        assert_eq!(garbage.svg, draw(&[]).svg);
        assert!(draw(&[]).problems.is_empty());
    }
}

//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at minute 0
//! of the run the preset describes, so the prerendered picture is the system the tool simulates
//! as it starts: the service answering, the whole error budget in its reservoir, the alerts quiet.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Slo, SLO_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Slo>(SLO_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Outcome, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_show_the_workbook_budget_whole() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // 99.9% over 30 days at 100 requests per second: 43.2 minutes, 259,200 requests.
        assert!(poster.svg.contains("SLO 99.9% over 30 days"), "{}", poster.svg);
        assert!(poster.svg.contains(">100.0% of 43.2 min left<") && poster.svg.contains("= 259,200 failed requests"), "{}", poster.svg);
        assert!(poster.svg.contains(">day 1, 00:00<") && poster.svg.contains("no errors: not draining"), "{}", poster.svg);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        let label = aria_label(&poster.svg);
        assert!(label.contains("99.9%") && label.contains("30-day") && label.contains("43.2 minutes"), "{label}");
    }

    #[test]
    fn the_poster_follows_the_target_window_and_rate() {
        let stricter = draw_with(&[("slo", "99.99"), ("days", "7"), ("rate", "50")]);
        assert!(stricter.problems.is_empty(), "{:?}", stricter.problems);
        // 0.01% of 7 days is 1.008 minutes; at 50 requests per second, 3,024 requests.
        assert!(stricter.svg.contains("SLO 99.99% over 7 days") && stricter.svg.contains("of 1.01 min") && stricter.svg.contains("3,024"), "{}", stricter.svg);
        assert!(!stricter.svg.contains("43.2"), "the default budget must not leak into another preset");
        assert_ne!(aria_label(&stricter.svg), aria_label(&draw_with(&[]).svg));
        assert!(draw_with(&[("days", "1")]).svg.contains("over 1 day<"), "one day, not one days");
    }

    #[test]
    fn at_the_start_the_reservoir_is_full_the_stream_answered_and_the_alerts_quiet() {
        let svg = draw_with(&[]).svg;
        assert!(svg.contains(r#"class="pv-fill pv-fill--2" x="44.0" y="108.0" width="50.0" height="88.0""#), "a full reservoir: {svg}");
        let failed = |svg: &str| drawn_requests(svg).iter().filter(|(outcome, _, _)| *outcome == Outcome::Rejected).count();
        assert_eq!(failed(&svg), 1, "only the legend's cross");
        assert_eq!(svg.matches(">quiet<").count(), 3, "{svg}");
        // With every request failing from the start (a 100% baseline) every mark is a cross,
        // and only the legend's dot is green.
        let failing = draw_with(&[("base", "100")]).svg;
        assert_eq!(drawn_requests(&failing).len() - failed(&failing), 1, "{failing}");
    }

    #[test]
    fn every_extreme_fits_the_canvas() {
        for slo in ["90", "99.999"] {
            for days in ["1", "90"] {
                for rate in ["1", "1000000"] {
                    for base in ["0", "100", "0.0001"] {
                        let poster = draw_with(&[("slo", slo), ("days", days), ("rate", rate), ("base", base)]);
                        assert!(poster.problems.is_empty(), "slo={slo} days={days} rate={rate} base={base}: {:?}", poster.problems);
                        assert!(poster.svg.len() < 8_000, "slo={slo} days={days} rate={rate} base={base}: {} bytes", poster.svg.len());
                    }
                }
            }
        }
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = draw_with(&[("slo", "a lot"), ("days", "-3"), ("rate", "NaN"), ("base", "<b>"), ("seed", "x"), ("zzz", "1")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}

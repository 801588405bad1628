//! The first frame of the tool, drawn at build time (see `viz::poster`): the target and its
//! window, the whole error budget still unspent (a full bar), and what that budget is worth in
//! minutes of total outage and in failed requests, all read from the model at minute 0.

use crate::diagram::text::text_width;
use crate::sim::Simulation;
use crate::sim::number::whole_number;
use crate::viz::poster::{start, first_that_fits, Anchor, Sketch};

use super::{format_clock, format_rate, format_share, ppb_to_percent_text, Slo, MINUTES_PER_DAY, PPB, SLO_PARAMS};

const HEIGHT: f32 = 196.0;
const LEFT: f32 = 12.0;
const RIGHT: f32 = 308.0;
/// The budget bar.
const BAR_TOP: f32 = 54.0;
const BAR_HEIGHT: f32 = 26.0;
/// The two figure boxes under it.
const BOX_TOP: f32 = 110.0;
const BOX_WIDTH: f32 = 144.0;
const BOX_HEIGHT: f32 = 56.0;

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    draw(&start::<Slo>(SLO_PARAMS, pairs))
}

fn draw(slo: &Slo) -> Sketch {
    let config = slo.config();
    let target = ppb_to_percent_text(PPB - config.allowed_ppb.min(PPB));
    let days = config.window_minutes / MINUTES_PER_DAY;
    let window = format!("{days} day{}", if days == 1 { "" } else { "s" });
    let left = slo.budget_remaining();
    let minutes = format_rate(config.budget_minutes());
    let requests = whole_number(config.budget_requests());
    let rate = whole_number(config.requests_per_second as f64);
    let label = format!(
        "An SLO of {target}% over {window}: an error budget of {minutes} minutes of total outage, or {requests} failed requests at {rate} requests per second, with {} of it left at the start.",
        format_share(left)
    );
    let mut sketch = Sketch::new(HEIGHT, &label);
    sketch.text(LEFT, 24.0, 16.0, Anchor::Start, true, &format!("SLO {target}% over {window}"));
    sketch.text(LEFT, 44.0, 12.0, Anchor::Start, false, &format!("Error budget: {}% of requests may fail", ppb_to_percent_text(config.allowed_ppb)));

    // The bar is the whole budget; the hatched part is what is left of it (all, at minute 0).
    sketch.rect(LEFT, BAR_TOP, RIGHT - LEFT, BAR_HEIGHT, 4.0, Some(2));
    let filled = (RIGHT - LEFT - 8.0) * left.clamp(0.0, 1.0) as f32;
    let hatch: String = (0..).map(|step| LEFT + 4.0 + step as f32 * 7.0).take_while(|x| *x <= LEFT + 4.0 + filled).map(|x| format!("M{x:.0} {:.0}v{:.0}", BAR_TOP + 4.0, BAR_HEIGHT - 8.0)).collect();
    if left > 0.0 && !hatch.is_empty() {
        sketch.path(&hatch, Some(2));
    }
    sketch.text(LEFT, 98.0, 12.0, Anchor::Start, true, &format!("{} of the budget left", format_share(left)));
    sketch.text(RIGHT, 98.0, 12.0, Anchor::End, false, &format!("now: {}", format_clock(slo.tick())));

    figure(&mut sketch, LEFT, &format!("{minutes} min"), "of total outage");
    figure(&mut sketch, RIGHT - BOX_WIDTH, &requests, if requests == "1" { "failed request" } else { "failed requests" });

    let baseline = ppb_to_percent_text(config.baseline_ppb);
    let requests_per = if config.requests_per_second == 1 { "request/s" } else { "requests/s" };
    let setting = first_that_fits(&[format!("at {rate} {requests_per}, baseline errors {baseline}%"), format!("at {rate} req/s, baseline {baseline}%")], 12.0, RIGHT - LEFT);
    sketch.text(LEFT, 186.0, 12.0, Anchor::Start, false, &setting);
    sketch
}

/// A box with a figure and what it counts; the figure is set as large as fits, down to 12.
fn figure(sketch: &mut Sketch, x: f32, value: &str, caption: &str) {
    sketch.rect(x, BOX_TOP, BOX_WIDTH, BOX_HEIGHT, 6.0, None);
    let size = figure_size(value);
    sketch.text(x + BOX_WIDTH / 2.0, BOX_TOP + 24.0, size, Anchor::Middle, true, value);
    sketch.text(x + BOX_WIDTH / 2.0, BOX_TOP + 44.0, 12.0, Anchor::Middle, false, caption);
}

fn figure_size(value: &str) -> f32 {
    [16.0, 14.0, 12.0].into_iter().find(|size| text_width(value, *size) <= BOX_WIDTH - 8.0).unwrap_or(12.0)
}



#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::aria_label;
    use crate::viz::poster::Poster;

    fn draw_with(pairs: &[(&str, &str)]) -> Poster {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        poster(&pairs).finish()
    }

    #[test]
    fn the_defaults_show_the_workbook_budget_whole() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // 99.9% over 30 days at 100 requests per second: 43.2 minutes, 259,200 requests.
        assert!(poster.svg.contains("SLO 99.9% over 30 days"), "{}", poster.svg);
        assert!(poster.svg.contains("43.2 min") && poster.svg.contains("259,200"), "{}", poster.svg);
        assert!(poster.svg.contains("100.0% of the budget left"), "{}", poster.svg);
        assert!(poster.svg.len() < 3_000, "{} bytes", poster.svg.len());
        let label = aria_label(&poster.svg);
        assert!(label.contains("99.9%") && label.contains("30 days") && label.contains("43.2 minutes"), "{label}");
    }

    #[test]
    fn the_poster_follows_the_target_window_and_rate() {
        let stricter = draw_with(&[("slo", "99.99"), ("days", "7"), ("rate", "50")]);
        assert!(stricter.problems.is_empty(), "{:?}", stricter.problems);
        // 0.01% of 7 days is 1.008 minutes; at 50 requests per second, 3,024 requests.
        assert!(stricter.svg.contains("SLO 99.99% over 7 days") && stricter.svg.contains("1.01 min") && stricter.svg.contains("3,024"), "{}", stricter.svg);
        assert!(!stricter.svg.contains("43.2"), "the default budget must not leak into another preset");
        assert_ne!(aria_label(&stricter.svg), aria_label(&draw_with(&[]).svg));
        assert!(draw_with(&[("days", "1")]).svg.contains("over 1 day<"), "one day, not one days");
    }

    #[test]
    fn the_bar_is_hatched_for_the_share_left() {
        // At minute 0 the whole budget is left, so the hatching runs the bar's length.
        let svg = draw_with(&[]).svg;
        let hatch = svg.split(r#"<path class="pv-path pv-path--2" d=""#).nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("");
        let strokes = hatch.matches('M').count();
        assert!(strokes >= ((RIGHT - LEFT - 8.0) / 7.0) as usize, "{strokes} hatch strokes: {svg}");
    }

    #[test]
    fn every_extreme_fits_the_canvas() {
        for slo in ["90", "99.999"] {
            for days in ["1", "90"] {
                for rate in ["1", "1000000"] {
                    for base in ["0", "100", "0.0001"] {
                        let poster = draw_with(&[("slo", slo), ("days", days), ("rate", rate), ("base", base)]);
                        assert!(poster.problems.is_empty(), "slo={slo} days={days} rate={rate} base={base}: {:?}", poster.problems);
                        assert!(poster.svg.len() < 8_000);
                    }
                }
            }
        }
    }

    #[test]
    fn the_figures_fit_their_boxes() {
        // The largest budget in requests the parameters allow: 10% of 90 days at a million a second.
        let widest = whole_number(90.0 * 1440.0 * 0.1 * 60.0 * 1_000_000.0);
        assert!(text_width(&widest, figure_size(&widest)) <= BOX_WIDTH - 8.0, "{widest}");
        assert_eq!(whole_number(1234567.0), "1,234,567");
        assert_eq!(whole_number(999.0), "999");
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = draw_with(&[("slo", "a lot"), ("days", "-3"), ("rate", "NaN"), ("base", "<b>"), ("seed", "x"), ("zzz", "1")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}

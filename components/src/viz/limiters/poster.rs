//! The first frame of the tool, drawn at build time (see `viz::poster`): one stream of
//! requests offered to the five limiters side by side, all set to the same limit, each with its
//! state in the model's own words (a full token bucket drawn with its tokens, an empty leaky
//! bucket), and what they accept going on to the service. Read from the model at tick 0.

use crate::viz::poster::{start, first_that_fits, Anchor, Sketch, Tone};

use super::{trimmed, Kind, Pattern, RateLimiters, LIMITER_PARAMS};

const HEIGHT: f32 = 288.0;
/// The limiters' rows, one panel between the bus from the clients (left) and the bus to the
/// service (right). (One panel rather than five boxes keeps the poster under 3 KB.)
const ROW_LEFT: f32 = 28.0;
const ROW_RIGHT: f32 = 292.0;
const FIRST_ROW: f32 = 48.0;
const ROW_HEIGHT: f32 = 40.0;
const IN_BUS: f32 = 18.0;
const OUT_BUS: f32 = 304.0;
/// Where a bucket is drawn in its row, and the most tokens drawn one by one.
const BUCKET_LEFT: f32 = 212.0;
const BUCKET_WIDTH: f32 = 72.0;
const MAX_DRAWN_TOKENS: u64 = 10;

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    draw(&start::<RateLimiters>(LIMITER_PARAMS, pairs))
}

fn row_top(index: usize) -> f32 {
    FIRST_ROW + index as f32 * ROW_HEIGHT
}

/// The traffic every limiter gets, longest wording first.
fn traffic(limiters: &RateLimiters) -> Vec<String> {
    let config = limiters.config();
    let (noun, rate, burst) = (limiters.pattern().noun(), config.rate_per_second, config.burst);
    match limiters.pattern() {
        Pattern::Steady | Pattern::Poisson => vec![format!("{noun} traffic, {rate} requests/s"), format!("{noun}: {rate}/s")],
        Pattern::Bursts => vec![format!("{noun} traffic: {rate}/s + bursts of {burst}"), format!("{noun}: {rate}/s + bursts of {burst}"), format!("{rate}/s + bursts of {burst}")],
        Pattern::EdgeBursts => vec![format!("{noun} traffic: bursts of {burst}"), format!("bursts of {burst}")],
    }
}

/// A limiter's second line: its state as the tool words it, with the rate a bucket runs at.
fn state_line(limiters: &RateLimiters, kind: Kind) -> String {
    let state = limiters.limiter(kind).state;
    match kind {
        Kind::TokenBucket => format!("{state}, +{}/s", trimmed(limiters.token_bucket().rate().requests_per_second(), 2)),
        Kind::LeakyBucket => format!("{state}, out {}/s", trimmed(limiters.leaky_bucket().rate().requests_per_second(), 2)),
        _ => state,
    }
}

fn draw(limiters: &RateLimiters) -> Sketch {
    let config = limiters.config();
    let (limit, window) = (config.limit, config.window_seconds());
    let token = limiters.limiter(Kind::TokenBucket).state;
    let leaky = limiters.limiter(Kind::LeakyBucket).state;
    let label = format!(
        "Clients send {} to five rate limiters, each allowing {limit} requests per {window} s: a token bucket ({token}), a leaky bucket ({leaky}), a fixed window, a sliding-window log and a sliding-window counter, before the service.",
        traffic(limiters)[0]
    );
    let mut sketch = Sketch::new(HEIGHT, &label);
    sketch.labelled_box(6.0, 6.0, 70.0, 30.0, None, 13.0, "Clients");
    sketch.text(86.0, 18.0, 12.0, Anchor::Start, false, &first_that_fits(&traffic(limiters), 12.0, 320.0 - 4.0 - 86.0));
    sketch.text(86.0, 33.0, 12.0, Anchor::Start, true, &format!("each allows {limit} per {window} s"));

    // The same requests reach every limiter: one bus in, one bus out to the service.
    let middles: Vec<f32> = (0..Kind::ALL.len()).map(|index| row_top(index) + ROW_HEIGHT / 2.0).collect();
    let last = middles.last().copied().unwrap_or(FIRST_ROW);
    let service_top = last + ROW_HEIGHT / 2.0 + 10.0;
    sketch.rect(ROW_LEFT, FIRST_ROW, ROW_RIGHT - ROW_LEFT, ROW_HEIGHT * Kind::ALL.len() as f32, 6.0, None);
    // The dividers between the rows go in the same path.
    let mut bus: String = (1..Kind::ALL.len()).map(|index| format!("M{ROW_LEFT} {:.0}H{ROW_RIGHT}", row_top(index))).collect();
    bus.push_str(&format!("M{IN_BUS} 36V{last:.0}M{OUT_BUS} {:.0}V{service_top:.0}", middles[0]));
    for middle in &middles {
        bus.push_str(&format!("M{IN_BUS} {middle:.0}H{ROW_LEFT}M{ROW_RIGHT} {middle:.0}H{OUT_BUS}"));
    }
    sketch.path(&bus, None);
    for (index, kind) in Kind::ALL.into_iter().enumerate() {
        let top = row_top(index);
        sketch.text(ROW_LEFT + 8.0, top + 16.0, 12.0, Anchor::Start, true, kind.label());
        sketch.text(ROW_LEFT + 8.0, top + 32.0, 12.0, Anchor::Start, false, &state_line(limiters, kind));
        match kind {
            Kind::TokenBucket => {
                let bucket = limiters.token_bucket();
                bucket_outline(&mut sketch, top + 1.0, Some(1));
                if bucket.capacity() <= MAX_DRAWN_TOKENS {
                    // One disc per token, a ring for each one spent.
                    let held = bucket.tokens().floor() as u64;
                    let pitch = (BUCKET_WIDTH - 4.0) / bucket.capacity().max(1) as f32;
                    for slot in 0..bucket.capacity() {
                        let x = BUCKET_LEFT + 2.0 + pitch * (slot as f32 + 0.5);
                        if slot < held {
                            sketch.circle(x, top + 13.0, 2.5, Some(1));
                        } else {
                            sketch.ring(x, top + 13.0, 2.5);
                        }
                    }
                } else {
                    level(&mut sketch, top + 1.0, bucket.tokens() / bucket.capacity().max(1) as f64, Some(1));
                }
            }
            Kind::LeakyBucket => {
                let bucket = limiters.leaky_bucket();
                bucket_outline(&mut sketch, top + 1.0, Some(2));
                level(&mut sketch, top + 1.0, f64::from(bucket.queued()) / f64::from(bucket.capacity().max(1)), Some(2));
                // The drip: it sends on at a constant rate.
                sketch.circle(BUCKET_LEFT + BUCKET_WIDTH / 2.0, top + 24.0, 2.0, Some(2));
            }
            _ => {}
        }
    }
    sketch.labelled_box(212.0, service_top, 100.0, 26.0, None, 13.0, "Service");
    sketch
}

/// A bucket drawn open at the top, in its row's first line.
fn bucket_outline(sketch: &mut Sketch, top: f32, tone: Tone) {
    sketch.path(&format!("M{BUCKET_LEFT} {:.0}v14h{BUCKET_WIDTH}v-14", top + 4.0), tone);
}

/// Hatching for how full a bucket is, from its floor up.
fn level(sketch: &mut Sketch, top: f32, share: f64, tone: Tone) {
    let filled = (BUCKET_WIDTH - 6.0) * share.clamp(0.0, 1.0) as f32;
    let strokes: String = (0..).map(|step| BUCKET_LEFT + 3.0 + step as f32 * 5.0).take_while(|x| *x <= BUCKET_LEFT + 3.0 + filled).map(|x| format!("M{x:.0} {:.0}v10", top + 7.0)).collect();
    if share > 0.0 && !strokes.is_empty() {
        sketch.path(&strokes, tone);
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, pairs};
    use crate::diagram::text::text_width;
    use crate::sim::Simulation;
    use crate::sim::Params;
    use crate::sim::query::DEFAULT_SEED;
    use crate::viz::limiters::Action;
    use crate::viz::poster::Poster;

    /// Room for the words of a row.
    const ROW_ROOM: f32 = ROW_RIGHT - ROW_LEFT - 16.0;


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
        assert!(poster.svg.len() < 3_000, "{} bytes", poster.svg.len());
        for kind in Kind::ALL {
            assert!(poster.svg.contains(&format!(">{}<", kind.label())), "{} missing", kind.label());
        }
        // Ten tokens, all there at the start: ten orange discs and no spent ones.
        assert_eq!(poster.svg.matches("pv-dot pv-dot--1").count(), 10, "{}", poster.svg);
        assert_eq!(poster.svg.matches("pv-ring").count(), 0);
        assert!(poster.svg.contains("10 of 10 tokens, +10/s") && poster.svg.contains("0 of 10 queued, out 10/s"), "{}", poster.svg);
        assert!(poster.svg.contains("each allows 10 per 1 s") && poster.svg.contains("bursts of 20"), "{}", poster.svg);
        let label = aria_label(&poster.svg);
        assert!(label.contains("10 requests per 1 s") && label.contains("10 of 10 tokens"), "{label}");
    }

    #[test]
    fn the_poster_follows_the_limit_window_and_traffic() {
        let other = draw_with(&[("limit", "4"), ("window", "3"), ("rate", "30"), ("burst", "99")]);
        assert!(other.problems.is_empty(), "{:?}", other.problems);
        // Four tokens refilled over 3 s: 1.33 a second.
        assert_eq!(other.svg.matches("pv-dot pv-dot--1").count(), 4, "{}", other.svg);
        for words in ["4 of 4 tokens, +1.33/s", "each allows 4 per 3 s", "30/s + bursts of 99", "0 of 4 used, resets in 3 s"] {
            assert!(other.svg.contains(words), "{words} missing: {}", other.svg);
        }
        assert!(aria_label(&other.svg).contains("4 requests per 3 s"));
        // Too many tokens to draw one by one: the bucket is hatched full instead.
        let big = draw_with(&[("limit", "500")]);
        assert_eq!(big.svg.matches("pv-dot pv-dot--1").count(), 0);
        assert!(big.svg.contains("500 of 500 tokens") && big.svg.contains("pv-path pv-path--1"), "{}", big.svg);
    }

    #[test]
    fn the_traffic_is_worded_for_each_pattern() {
        let mut limiters = model(&[]);
        let mut seen = Vec::new();
        for pattern in Pattern::ALL {
            limiters.apply(&Action::SetPattern(pattern));
            let words = traffic(&limiters);
            assert!(words.iter().all(|option| option.contains(&limiters.config().burst.to_string()) == matches!(pattern, Pattern::Bursts | Pattern::EdgeBursts)), "{pattern:?}: {words:?}");
            let poster = draw(&limiters).finish();
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
            let limiters = model(&list);
            let poster = draw(&limiters).finish();
            assert!(poster.problems.is_empty(), "{list:?}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{list:?}: {} bytes", poster.svg.len());
            // The Sketch checks the canvas; the rows' own width is checked here.
            for kind in Kind::ALL {
                let line = state_line(&limiters, kind);
                assert!(text_width(&line, 12.0) <= ROW_ROOM, "{list:?}: {line}");
                if matches!(kind, Kind::TokenBucket | Kind::LeakyBucket) {
                    assert!(ROW_LEFT + 8.0 + text_width(kind.label(), 12.0) < BUCKET_LEFT, "{}", kind.label());
                }
            }
        }
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = draw_with(&[("limit", "0"), ("window", "1.5"), ("rate", "fast"), ("burst", "-2"), ("seed", "?"), ("other", "1")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}

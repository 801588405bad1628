//! The first frame of the tool, drawn at build time (see `viz::poster`): the same new requests
//! reaching five lanes of clients, each lane retrying its own way against a server of its own,
//! with the waits each strategy would use, and the brownout the run has scheduled. Everything
//! is read from the model at tick 0.

use crate::viz::poster::{start, first_that_fits, Anchor, Sketch};

use super::{LaneView, RetryRace, Strategy, RETRY_PARAMS, TICKS_PER_SECOND};

const HEIGHT: f32 = 300.0;
/// The lanes' rows, in one panel; each lane's server in a column to its right.
const ROW_LEFT: f32 = 28.0;
const ROW_RIGHT: f32 = 236.0;
const SERVER_LEFT: f32 = 252.0;
const SERVER_RIGHT: f32 = 312.0;
const FIRST_ROW: f32 = 48.0;
const ROW_HEIGHT: f32 = 40.0;
const BUS: f32 = 18.0;
/// Room for the words of a row.
const ROW_ROOM: f32 = ROW_RIGHT - ROW_LEFT - 16.0;
/// The most waits a row lists.
const WAITS_SHOWN: u32 = 3;

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    draw(&start::<RetryRace>(RETRY_PARAMS, pairs))
}

fn row_top(index: usize) -> f32 {
    FIRST_ROW + index as f32 * ROW_HEIGHT
}

/// The lowest and highest wait before each of the first `count` retries, in ms, from the
/// strategy itself: the jittered ones at the two ends of their random draw.
fn wait_ranges(race: &RetryRace, strategy: Strategy, count: u32) -> Vec<(f64, f64)> {
    let config = race.config();
    let (base, cap) = (f64::from(config.base_ms), f64::from(config.cap_ms));
    let (mut low, mut high) = (base, base);
    (0..count)
        .map(|retry| {
            low = strategy.delay_ms(retry, low, 0.0, base, cap);
            high = strategy.delay_ms(retry, high, 1.0, base, cap);
            (low, high)
        })
        .collect()
}

/// How a lane retries, longest wording first: "waits 200, 400, 800 ms…".
fn schedule(race: &RetryRace, lane: &LaneView) -> Vec<String> {
    let config = race.config();
    let retries = config.max_attempts.saturating_sub(1);
    if retries == 0 {
        return vec!["no retries: one attempt".to_string()];
    }
    if lane.strategy == Strategy::Immediate {
        let budget = config.budget_percent;
        return if lane.budgeted {
            vec![format!("at once, ≤ {budget} retries per 100"), format!("at once, budget {budget}%")]
        } else {
            vec!["retries at once".to_string()]
        };
    }
    (1..=retries.min(WAITS_SHOWN))
        .rev()
        .map(|shown| {
            let ranges = wait_ranges(race, lane.strategy, shown);
            // One unit for the whole list: ms while every wait shown is under a second.
            let in_seconds = ranges.iter().any(|(_, high)| *high >= 1000.0);
            let number = |ms: f64| if in_seconds { trimmed(ms / 1000.0) } else { format!("{ms:.0}") };
            let listed: Vec<String> = ranges.iter().map(|&(low, high)| if (high - low).abs() < 0.5 { number(low) } else { format!("{}–{}", number(low), number(high)) }).collect();
            let more = if shown < retries { "…" } else { "" };
            format!("waits {} {}{more}", listed.join(", "), if in_seconds { "s" } else { "ms" })
        })
        .collect()
}

fn trimmed(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The scheduled brownout, in one or two lines that fit under the lanes.
fn brownout(race: &RetryRace) -> Vec<String> {
    let config = race.config();
    let Some((start, end)) = config.brownout_ticks else { return vec!["No brownout scheduled.".to_string()] };
    let (start, length, level) = (start / TICKS_PER_SECOND, (end - start) / TICKS_PER_SECOND, config.brownout_percent);
    let first = first_that_fits(&[format!("At {start} s the servers drop to {level}% for {length} s"), format!("At {start} s: servers at {level}% for {length} s")], 12.0, SERVER_RIGHT - ROW_LEFT);
    let mut lines = vec![first];
    if config.burst_at_brownout {
        lines.push(format!("and all {} clients send at once.", config.clients));
    }
    lines
}

fn draw(race: &RetryRace) -> Sketch {
    let config = race.config();
    let lanes: Vec<LaneView> = race.lanes().collect();
    let capacity = u64::from(config.capacity_per_second) * u64::from(race.capacity_percent()) / 100;
    let label = format!(
        "{} lanes of clients send {} new requests a second, each lane to its own server of {capacity} attempts a second, with up to {} attempts a request: {}. {}",
        lanes.len(),
        config.requests_per_second,
        config.max_attempts,
        lanes.iter().map(LaneView::label).collect::<Vec<_>>().join(", "),
        brownout(race).join(" ")
    );
    let mut sketch = Sketch::new(HEIGHT, &label);
    sketch.labelled_box(6.0, 6.0, 70.0, 30.0, None, 13.0, "Clients");
    sketch.text(86.0, 18.0, 12.0, Anchor::Start, false, &format!("{} new requests/s to every lane", config.requests_per_second));
    sketch.text(86.0, 33.0, 12.0, Anchor::Start, true, &format!("up to {} attempts each", config.max_attempts));

    // The same new requests reach every lane (one bus), and each lane calls its own server;
    // the rows' and the servers' dividers share the path.
    let middles: Vec<f32> = (0..lanes.len()).map(|index| row_top(index) + ROW_HEIGHT / 2.0).collect();
    let bottom = row_top(lanes.len());
    let mut wires = format!("M{BUS} 36V{:.0}", middles.last().copied().unwrap_or(FIRST_ROW));
    for index in 1..lanes.len() {
        let y = row_top(index);
        wires.push_str(&format!("M{ROW_LEFT} {y:.0}H{ROW_RIGHT}M{SERVER_LEFT} {y:.0}H{SERVER_RIGHT}"));
    }
    for middle in &middles {
        wires.push_str(&format!("M{BUS} {middle:.0}H{ROW_LEFT}M{ROW_RIGHT} {middle:.0}H{SERVER_LEFT}"));
    }
    sketch.rect(ROW_LEFT, FIRST_ROW, ROW_RIGHT - ROW_LEFT, bottom - FIRST_ROW, 6.0, None);
    sketch.rect(SERVER_LEFT, FIRST_ROW, SERVER_RIGHT - SERVER_LEFT, bottom - FIRST_ROW, 6.0, None);
    sketch.path(&wires, None);
    sketch.text((SERVER_LEFT + SERVER_RIGHT) / 2.0, FIRST_ROW - 4.0, 12.0, Anchor::Middle, false, "server");
    for (index, lane) in lanes.iter().enumerate() {
        let top = row_top(index);
        sketch.text(ROW_LEFT + 8.0, top + 16.0, 12.0, Anchor::Start, true, &lane.label());
        sketch.text(ROW_LEFT + 8.0, top + 32.0, 12.0, Anchor::Start, false, &first_that_fits(&schedule(race, lane), 12.0, ROW_ROOM));
        sketch.text((SERVER_LEFT + SERVER_RIGHT) / 2.0, top + 25.0, 12.0, Anchor::Middle, true, &format!("{capacity}/s"));
    }
    for (line, words) in brownout(race).iter().enumerate() {
        sketch.text(ROW_LEFT, bottom + 20.0 + line as f32 * 16.0, 12.0, Anchor::Start, false, words);
    }
    sketch
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, pairs};
    use crate::diagram::text::text_width;
    use crate::sim::Simulation;
    use crate::sim::Params;
    use crate::sim::query::DEFAULT_SEED;
    use crate::viz::poster::Poster;
    use crate::viz::retries::Action;


    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    fn model(list: &[(&str, &str)]) -> RetryRace {
        let (params, _) = Params::from_pairs(RETRY_PARAMS, &pairs(list));
        RetryRace::new(&params, DEFAULT_SEED)
    }

    #[test]
    fn the_defaults_draw_five_lanes_their_servers_and_the_brownout() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert!(poster.svg.len() < 3_000, "{} bytes", poster.svg.len());
        for lane in model(&[]).lanes() {
            assert!(poster.svg.contains(&format!(">{}<", lane.label())), "{} missing: {}", lane.label(), poster.svg);
        }
        assert_eq!(poster.svg.matches(">1000/s<").count(), 5, "a server per lane: {}", poster.svg);
        // Brooker's schedules at base 200 ms: doubling, jittered below the doubling, or
        // decorrelated (from the base up to three times the last wait).
        for words in ["waits 200, 400, 800 ms…", "waits 0–200, 0–400", "retries at once", "200 new requests/s", "up to 6 attempts each", "At 5 s the servers drop to 50% for 30 s", "all 1000 clients send at once"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        assert!(poster.svg.contains("waits 0.2–0.6, 0.2–1.8"), "decorrelated jitter grows by three: {}", poster.svg);
        let label = aria_label(&poster.svg);
        assert!(label.contains("200 new requests") && label.contains("1000 attempts") && label.contains("Decorrelated jitter") && label.contains("retry budget"), "{label}");
    }

    #[test]
    fn the_poster_follows_its_parameters() {
        let other = draw_with(&[("rate", "50"), ("capacity", "300"), ("attempts", "3"), ("base", "50"), ("cap", "80"), ("length", "0"), ("budget", "25")]);
        assert!(other.problems.is_empty(), "{:?}", other.problems);
        // Two retries, and the cap holds the doubling at 80 ms.
        for words in ["50 new requests/s", ">300/s<", "up to 3 attempts each", "waits 50, 80 ms<", "waits 0–50, 0–80 ms<", "25", "No brownout scheduled."] {
            assert!(other.svg.contains(words), "{words} missing: {}", other.svg);
        }
        assert!(!other.svg.contains("…"), "every retry is listed");
        assert!(!other.svg.contains("clients send at once"));
        let quiet = draw_with(&[("burst", "0")]);
        assert!(quiet.svg.contains("drop to 50%") && !quiet.svg.contains("clients send at once"), "{}", quiet.svg);
        assert_ne!(aria_label(&quiet.svg), aria_label(&draw_with(&[]).svg));
        let single = draw_with(&[("attempts", "1")]);
        assert_eq!(single.svg.matches("no retries").count(), 5, "{}", single.svg);
    }

    #[test]
    fn a_lane_under_the_budget_says_so() {
        let mut race = model(&[]);
        race.apply(&Action::BudgetEverywhere(true));
        let poster = draw(&race).finish();
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert!(poster.svg.contains("Exponential backoff (budget on)"), "{}", poster.svg);
    }

    #[test]
    fn every_extreme_fits_the_canvas() {
        let ranges: [(&str, [&str; 2]); 11] = [
            ("rate", ["1", "2000"]),
            ("clients", ["0", "5000"]),
            ("capacity", ["10", "5000"]),
            ("level", ["0", "100"]),
            ("start", ["0", "120"]),
            ("length", ["0", "120"]),
            ("burst", ["0", "1"]),
            ("attempts", ["1", "10"]),
            ("base", ["10", "10000"]),
            ("cap", ["10", "60000"]),
            ("budget", ["0", "100"]),
        ];
        let corners: Vec<Vec<(&str, &str)>> = (0..2).map(|end| ranges.iter().map(|(key, values)| (*key, values[end])).collect()).collect();
        let singles = ranges.iter().flat_map(|(key, values)| values.iter().map(move |value| vec![(*key, *value)]));
        // Waits in ms, in seconds, and crossing from one to the other.
        let mixed = [vec![("base", "300"), ("cap", "60000")], vec![("base", "999"), ("cap", "1000")], vec![("base", "10000"), ("cap", "60000"), ("attempts", "10")]];
        for list in corners.into_iter().chain(singles).chain(mixed) {
            let race = model(&list);
            let poster = draw(&race).finish();
            assert!(poster.problems.is_empty(), "{list:?}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{list:?}: {} bytes", poster.svg.len());
            // The Sketch checks the canvas; the rows' own width is checked here.
            for lane in race.lanes() {
                let chosen = first_that_fits(&schedule(&race, &lane), 12.0, ROW_ROOM);
                assert!(text_width(&chosen, 12.0) <= ROW_ROOM, "{list:?}: {chosen}");
                assert!(text_width(&lane.label(), 12.0) <= ROW_ROOM, "{}", lane.label());
            }
        }
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = draw_with(&[("rate", "0"), ("capacity", "many"), ("burst", "maybe"), ("attempts", "2.5"), ("seed", "-1"), ("x", "y")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}

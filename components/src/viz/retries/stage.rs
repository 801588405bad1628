//! The stage: the race drawn as it stands at the current tick. Each lane is a row: its clients'
//! attempts travel right to their server as dots, the answers travel back as green dots or red
//! crosses, the server's fill deepens with its load and its outline turns dashed in a brownout,
//! and a strip of bars shows the lane's retries waiting by when they will fire. That strip is
//! where the strategies differ at a glance: immediate retries pile into the first bar, plain
//! backoff comes back in clumps, jitter spreads them out.
//!
//! Everything is read from the model at this tick (the last ticks' samples and the pending
//! retries), so scrubbing, stepping back and a shared link draw the same picture.

use crate::sim::number::compact_count;
use crate::viz::poster::{along, round_units, Anchor, Health, Outcome, Sketch};

use super::{LaneView, RetryRace, TickSample, LANES, TICKS_PER_SECOND};

const HEIGHT: f32 = 330.0;
const FIRST_LANE: f32 = 66.0;
const LANE_HEIGHT: f32 = 52.0;
/// Where the clients' side and the servers' side of a lane are.
const CLIENT_X: f32 = 14.0;
const SERVER_LEFT: f32 = 252.0;
const SERVER_WIDTH: f32 = 62.0;
const WIRE_END: f32 = SERVER_LEFT - 6.0;
/// Ticks an attempt takes to cross to the server, and its answer to come back. Drawn, not
/// modelled: the model answers an attempt within its tick.
pub const TRAVEL_TICKS: u32 = 30;
/// The most dots one lane draws; beyond it one dot stands for several attempts.
const DOTS_PER_LANE: u64 = 20;
/// The waiting strip: this many bars of this many ticks each, the last one for anything later.
pub const WAIT_BINS: usize = 8;
pub const WAIT_BIN_TICKS: u32 = 25;
const BARS_LEFT: f32 = 100.0;
const BAR_HEIGHT: f32 = 11.0;
/// Dots of one tick are drawn in a short train, this far apart.
const TRAIN_GAP: f32 = 5.0;

/// The race at its current tick.
pub fn stage(race: &RetryRace) -> Sketch {
    let recent: Vec<&TickSample> = race.series().recent(2 * TRAVEL_TICKS as usize).collect();
    let per_dot = dot_size(&recent);
    let lanes: Vec<LaneView> = race.lanes().collect();
    let amplification = race.recent_amplification();
    let config = race.config();
    let capacity = u64::from(config.capacity_per_second) * u64::from(race.capacity_percent()) / 100;
    let mut waiting = [[0u32; WAIT_BINS]; LANES];
    for (lane, counts) in waiting.iter_mut().enumerate() {
        race.waiting_by_due(lane, WAIT_BIN_TICKS, counts);
    }

    let mut sketch = Sketch::new(HEIGHT, &summary(race, &lanes, &amplification, capacity, per_dot));
    sketch.labelled_box(6.0, 6.0, 64.0, 28.0, None, 13.0, "Clients");
    sketch.text(80.0, 18.0, 12.0, Anchor::Start, false, &format!("{} new requests/s to each lane", config.requests_per_second));
    let servers = if race.capacity_percent() < 100 { format!("servers browned out to {capacity}/s") } else { format!("each server answers {capacity}/s") };
    sketch.text(80.0, 33.0, 12.0, Anchor::Start, true, &servers);
    let width = sketch.legend(8.0, 54.0, &[Outcome::InFlight, Outcome::Ok, Outcome::Rejected]);
    let unit = if per_dot == 1 { "1 dot = 1 attempt".to_string() } else { format!("1 dot = {per_dot}") };
    sketch.text(314.0, 54.0, 12.0, Anchor::End, false, if width + 8.0 + crate::diagram::text::text_width(&unit, 12.0) < 306.0 { &unit } else { "" });

    for lane in &lanes {
        let top = FIRST_LANE + lane.index as f32 * LANE_HEIGHT;
        draw_lane(&mut sketch, race, lane, top, &recent, per_dot, amplification[lane.index], &waiting[lane.index]);
    }
    sketch
}

/// How many attempts one dot stands for: 1, 2, 5, 10, 20, 50… so that no lane draws more than
/// [`DOTS_PER_LANE`] dots for the attempts and answers on its wires.
fn dot_size(recent: &[&TickSample]) -> u64 {
    let busiest = (0..LANES).map(|lane| recent.iter().map(|sample| u64::from(sample.attempts[lane])).sum::<u64>()).max().unwrap_or(0);
    round_units().find(|size| busiest <= size.saturating_mul(DOTS_PER_LANE)).unwrap_or(u64::MAX)
}

/// Splits counts per tick into dots without losing any to rounding: a tick gets the dots its
/// running total crosses, so 40 ticks of 1 attempt at 1 dot = 20 draw 2 dots, not 0.
fn dots_per_tick(counts: impl Iterator<Item = u64>, per_dot: u64) -> Vec<u64> {
    let mut total = 0u64;
    counts
        .map(|count| {
            let before = total / per_dot;
            total += count;
            total / per_dot - before
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn draw_lane(sketch: &mut Sketch, race: &RetryRace, lane: &LaneView, top: f32, recent: &[&TickSample], per_dot: u64, amplification: Option<f64>, waiting: &[u32; WAIT_BINS]) {
    let index = lane.index;
    let going_y = top + 38.0;
    let coming_y = top + 48.0;
    sketch.text(8.0, top + 13.0, 12.0, Anchor::Start, true, &lane.label());
    if let Some(value) = amplification.filter(|value| value.is_finite()) {
        sketch.text(WIRE_END, top + 13.0, 12.0, Anchor::End, false, &format!("×{value:.1}"));
    }
    sketch.line(CLIENT_X - 6.0, going_y, WIRE_END, going_y, false);
    sketch.line(CLIENT_X - 6.0, coming_y, WIRE_END, coming_y, true);

    // The waiting strip: one bar per slot of time, scaled to the lane's own fullest slot.
    let total: u64 = waiting.iter().map(|count| u64::from(*count)).sum();
    sketch.text(8.0, top + 28.0, 12.0, Anchor::Start, false, &format!("{} waiting", compact_count(total)));
    let fullest = waiting.iter().copied().max().unwrap_or(0).max(1);
    let shares = waiting.map(|count| count as f32 / fullest as f32);
    sketch.bars(BARS_LEFT, top + 28.0, (WIRE_END - BARS_LEFT) / WAIT_BINS as f32, BAR_HEIGHT, &shares, Some(1));

    // Attempts on their way (the last `TRAVEL_TICKS` ticks), then their answers coming back.
    let now = race.series().last().map_or(0, |sample| sample.tick);
    let client = (CLIENT_X, going_y);
    let server = (WIRE_END - 4.0, going_y);
    let attempts = dots_per_tick(recent.iter().map(|sample| u64::from(sample.attempts[index])), per_dot);
    let answered = dots_per_tick(recent.iter().map(|sample| u64::from(sample.succeeded[index])), per_dot);
    let failed = dots_per_tick(recent.iter().map(|sample| u64::from(sample.attempts[index].saturating_sub(sample.succeeded[index]))), per_dot);
    for (position, sample) in recent.iter().enumerate() {
        let age = now.saturating_sub(sample.tick);
        if age < TRAVEL_TICKS {
            let (x, y) = along(client, server, (age + 1) as f32 / TRAVEL_TICKS as f32);
            train(sketch, x, y, attempts[position], Outcome::InFlight, -1.0);
        } else if age < 2 * TRAVEL_TICKS {
            let progress = (age - TRAVEL_TICKS + 1) as f32 / TRAVEL_TICKS as f32;
            let (x, y) = along((server.0, coming_y), (client.0, coming_y), progress);
            let ok = answered[position];
            train(sketch, x, y, ok, Outcome::Ok, 1.0);
            train(sketch, x + ok as f32 * TRAIN_GAP, y, failed[position], Outcome::Rejected, 1.0);
        }
    }

    let load = recent.last().map_or(0.0, |sample| if sample.capacity_per_tick > 0.0 { sample.attempts[index] as f64 / sample.capacity_per_tick } else if sample.attempts[index] > 0 { 1.0 } else { 0.0 });
    let health = if race.capacity_percent() == 0 { Health::Down } else if race.capacity_percent() < 100 { Health::Degraded } else { Health::Up };
    sketch.component(SERVER_LEFT, top + 18.0, SERVER_WIDTH, 32.0, health, load as f32, 12.0, "server");
    let per_second: u64 = recent.iter().rev().take(TICKS_PER_SECOND as usize).map(|sample| u64::from(sample.attempts[index])).sum::<u64>() * u64::from(TICKS_PER_SECOND) / (recent.len().clamp(1, TICKS_PER_SECOND as usize) as u64);
    sketch.text(SERVER_LEFT + SERVER_WIDTH / 2.0, top + 46.0, 12.0, Anchor::Middle, false, &format!("{}/s", compact_count(per_second)));
}

/// `count` dots from (`x`, `y`), each `TRAIN_GAP` further in `direction` (kept on the wire).
fn train(sketch: &mut Sketch, x: f32, y: f32, count: u64, outcome: Outcome, direction: f32) {
    for dot in 0..count.min(DOTS_PER_LANE) {
        let dot_x = (x + direction * dot as f32 * TRAIN_GAP).clamp(CLIENT_X, WIRE_END - 4.0);
        sketch.request(dot_x, y, outcome);
    }
}

fn summary(race: &RetryRace, lanes: &[LaneView], amplification: &[Option<f64>; LANES], capacity: u64, per_dot: u64) -> String {
    let seconds = race.time_ms() as f64 / 1000.0;
    let state = if race.capacity_percent() < 100 { format!("the servers are browned out to {capacity} attempts a second") } else { format!("each server answers up to {capacity} attempts a second") };
    let parts: Vec<String> = lanes
        .iter()
        .map(|lane| {
            let load = amplification[lane.index].filter(|value| value.is_finite()).map_or(String::new(), |value| format!("{value:.1} attempts per new request, "));
            format!("{}: {load}{} retries waiting", lane.label(), lane.pending_retries)
        })
        .collect();
    let unit = if per_dot > 1 { format!(" Each dot stands for {per_dot} attempts.") } else { String::new() };
    format!("At {seconds:.1} s {state}. {}.{unit}", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Simulation};
    use crate::viz::poster::{aria_label, drawn_requests, pairs};
    use crate::viz::retries::{Action, RETRY_PARAMS};

    fn race(list: &[(&str, &str)]) -> RetryRace {
        let (params, _) = Params::from_pairs(RETRY_PARAMS, &pairs(list));
        RetryRace::new(&params, DEFAULT_SEED)
    }

    fn run(race: &mut RetryRace, ticks: u32) {
        for _ in 0..ticks {
            race.step();
        }
    }

    #[test]
    fn the_dot_size_steps_through_one_two_five() {
        let sample = |attempts: u32| TickSample { attempts: [attempts; LANES], ..TickSample::default() };
        let sizes: Vec<u64> = [0, 20, 21, 40, 41, 100, 101, 200, 1_000, 1_001].iter().map(|total| dot_size(&[&sample(*total)])).collect();
        assert_eq!(sizes, [1, 1, 2, 2, 5, 5, 10, 10, 50, 100]);
    }

    #[test]
    fn dots_per_tick_lose_nothing_to_rounding() {
        let counts = [1u64, 1, 1, 7, 0, 13, 2];
        for per_dot in [1, 2, 5, 10] {
            let dots = dots_per_tick(counts.iter().copied(), per_dot);
            assert_eq!(dots.iter().sum::<u64>(), counts.iter().sum::<u64>() / per_dot, "{per_dot}: {dots:?}");
        }
    }

    #[test]
    fn every_tick_of_the_default_run_draws_within_its_canvas_and_its_dot_budget() {
        let mut race = race(&[]);
        for tick in 0..6_000u32 {
            if tick % 25 == 0 {
                let drawn = stage(&race).finish();
                assert!(drawn.problems.is_empty(), "tick {tick}: {:?}", drawn.problems);
                assert!(drawn.svg.len() < 20_000, "tick {tick}: {} bytes", drawn.svg.len());
                let dots = drawn_requests(&drawn.svg).len();
                // Five lanes of at most 20 on each wire, and the legend's three.
                assert!(dots <= 5 * 2 * DOTS_PER_LANE as usize + 3, "tick {tick}: {dots} dots");
            }
            race.step();
        }
    }

    #[test]
    fn the_lanes_servers_and_waiting_retries_are_drawn() {
        let mut race = race(&[]);
        run(&mut race, 700);
        let drawn = stage(&race).finish();
        for lane in race.lanes() {
            assert!(drawn.svg.contains(&format!(">{}<", lane.label())), "{}", lane.label());
            let mut counts = [0; WAIT_BINS];
            race.waiting_by_due(lane.index, WAIT_BIN_TICKS, &mut counts);
            assert_eq!(counts.iter().map(|count| u64::from(*count)).sum::<u64>(), lane.pending_retries as u64, "every waiting retry is in a bar");
            assert!(drawn.svg.contains(&format!(">{} waiting<", compact_count(lane.pending_retries as u64))), "{}: {}", lane.label(), lane.pending_retries);
        }
        assert_eq!(drawn.svg.matches(">server<").count(), LANES);
        // 7 s into the default run the servers are in their brownout: dashed, not only tinted.
        assert_eq!(drawn.svg.matches("pv-part--degraded").count(), LANES);
        assert!(drawn.svg.contains("browned out to 500/s"), "{}", drawn.svg);
        let label = aria_label(&drawn.svg);
        assert!(label.starts_with("At 7.0 s the servers are browned out") && label.contains("retries waiting"), "{label}");
    }

    #[test]
    fn immediate_retries_wait_in_the_first_bar_and_backoff_spreads_them() {
        let mut race = race(&[]);
        run(&mut race, 800);
        let mut immediate = [0; WAIT_BINS];
        let mut jitter = [0; WAIT_BINS];
        race.waiting_by_due(0, WAIT_BIN_TICKS, &mut immediate);
        race.waiting_by_due(2, WAIT_BIN_TICKS, &mut jitter);
        assert!(immediate.iter().skip(1).all(|count| *count == 0), "immediate retries are all due at once: {immediate:?}");
        assert!(jitter.iter().filter(|count| **count > 0).count() >= 4, "full jitter spreads its retries: {jitter:?}");
    }

    #[test]
    fn the_picture_moves_while_playing_and_is_the_same_for_the_same_state() {
        let mut race = race(&[]);
        run(&mut race, 300);
        let before = stage(&race).finish().svg;
        assert_eq!(before, stage(&race.clone()).finish().svg, "a pure function of the state");
        race.step();
        assert_ne!(before, stage(&race).finish().svg, "requests travel from one tick to the next");
    }

    #[test]
    fn a_server_that_is_down_is_crossed_out() {
        let mut race = race(&[]);
        race.apply(&Action::Brownout(0));
        run(&mut race, 50);
        let drawn = stage(&race).finish();
        assert!(drawn.problems.is_empty(), "{:?}", drawn.problems);
        assert_eq!(drawn.svg.matches("pv-part--down").count(), LANES);
        assert_eq!(drawn.svg.matches("pv-cross").count(), LANES);
        let answered = drawn_requests(&drawn.svg).into_iter().filter(|(outcome, _, y)| *outcome == Outcome::Ok && *y > FIRST_LANE).count();
        assert_eq!(answered, 0, "nothing is answered by a dead server");
        assert!(drawn_requests(&drawn.svg).iter().any(|(outcome, _, y)| *outcome == Outcome::Rejected && *y > FIRST_LANE), "but attempts fail");
    }

    #[test]
    fn every_extreme_draws_within_its_canvas() {
        let extremes: [&[(&str, &str)]; 6] = [
            &[("rate", "2000"), ("clients", "5000"), ("capacity", "10"), ("attempts", "10"), ("base", "10"), ("cap", "10")],
            &[("rate", "1"), ("capacity", "5000"), ("attempts", "1")],
            &[("rate", "2000"), ("capacity", "5000"), ("level", "0"), ("start", "0"), ("length", "120")],
            &[("base", "10000"), ("cap", "60000"), ("attempts", "10"), ("level", "0")],
            &[("budget", "0"), ("burst", "1"), ("clients", "5000"), ("start", "0")],
            &[("rate", "many"), ("capacity", "-3"), ("seed", "x")],
        ];
        for list in extremes {
            let mut race = race(list);
            for tick in 0..1_500u32 {
                if tick % 50 == 0 {
                    let drawn = stage(&race).finish();
                    assert!(drawn.problems.is_empty(), "{list:?} tick {tick}: {:?}", drawn.problems);
                }
                race.step();
            }
        }
    }

    #[test]
    fn compact_counts_stay_short() {
        assert_eq!([0, 999, 1_000, 1_234, 45_600, 2_500_000].map(compact_count), ["0", "999", "1.0k", "1.2k", "45k", "2.5M"]);
    }
}

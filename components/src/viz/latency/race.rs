//! The latency numbers as a race: every operation the poster shows starts at once on one clock,
//! and each lane finishes when its latency has elapsed. The times span nine decades, so the
//! clock speeds up tenfold at a steady pace (see [`elapsed_ns`]) while the lanes are drawn on a
//! linear axis from 0 to now. The axis therefore keeps zooming out: by the time a disk seek is
//! done, the memory reference that finished long before is a sliver at the left edge. That
//! shrinking is the lesson, so the axis is deliberately not logarithmic here.
//!
//! Nothing is random and the reader cannot act on the race; the state is only the tick and the
//! two choices it was started with, and everything else is worked out from the figures.

use super::poster::{operations, tone};
use super::{format_duration, format_human, snapshot_for, Operation, Snapshot};
use crate::diagram::text::text_width;
use crate::sim::{Params, Simulation};
use crate::viz::poster::{first_that_fits, Anchor, Outcome, Sketch, MIN_FONT, WIDTH};

/// Ticks the browser plays per second at 1× speed.
pub const RACE_TICKS_PER_SECOND: f64 = 20.0;
/// Ticks for the clock to run ten times faster: 40, so at 1× it speeds up tenfold every 2 s
/// and the whole table (under a nanosecond to 150 ms) plays in about 16 s.
pub const TICKS_PER_DECADE: u64 = 40;
/// Ticks the finished picture stays up before the run counts as over, so the reader sees the
/// last lane arrive (one second at 1×).
pub const HOLD_TICKS: u64 = 20;
/// Enough ticks for the slowest lane of any year and any question, plus the hold: 150 ms is
/// reached at tick 328 (a test checks every combination).
pub const RACE_LIMIT: u64 = 360;

/// Real nanoseconds elapsed at `tick`: `10^(tick / TICKS_PER_DECADE) − 1`. It is 0 at the start
/// and then grows tenfold every `TICKS_PER_DECADE` ticks (the −1 only matters in the first few),
/// so a 1 ns L1 hit is done at tick 13, about 0.65 s in at 1×, and 150 ms at tick 328.
pub fn elapsed_ns(tick: u64) -> f64 {
    10f64.powf(tick as f64 / TICKS_PER_DECADE as f64) - 1.0
}

/// The header's words for the scale; they must agree with the constants above (a test checks).
const SCALE_NOTE: &str = "L1 hit = 1 s; clock speeds up 10× every 2 s";

/// The reader cannot do anything to a race, so it has no actions; an enum with no variants
/// says so in the type, and matching on it needs no arms.
#[derive(Debug, Clone, PartialEq)]
pub enum NoAction {}

/// One operation's lane: it finishes when the clock reaches `nanos`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lane {
    pub operation: Operation,
    pub nanos: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Race {
    tick: u64,
    snapshot: &'static Snapshot,
    asked: Operation,
}

impl Race {
    pub fn snapshot(&self) -> &'static Snapshot {
        self.snapshot
    }

    /// The operation the reader asked about; its lane is emphasised.
    pub fn asked(&self) -> Operation {
        self.asked
    }

    /// The poster's operations plus the asked one, in chart order, without any the year has no
    /// figure for.
    pub fn lanes(&self) -> Vec<Lane> {
        operations(self.asked).into_iter().filter_map(|operation| self.snapshot.figure(operation).map(|figure| Lane { operation, nanos: figure.nanos })).collect()
    }

    /// The clock, in real nanoseconds. It stops at the slowest lane's figure, so the last bar
    /// ends exactly at the right edge and the hold shows the final picture rather than every
    /// bar shrinking away on a clock with nothing left to time.
    pub fn now_ns(&self) -> f64 {
        elapsed_ns(self.tick).min(self.slowest())
    }

    /// The L1 figure the human scale divides by (1 if a year ever lacked one, so it still reads).
    pub fn l1_ns(&self) -> f64 {
        self.snapshot.figure(Operation::L1Cache).map(|figure| figure.nanos).filter(|nanos| *nanos > 0.0).unwrap_or(1.0)
    }

    fn slowest(&self) -> f64 {
        self.lanes().iter().fold(0.0, |slowest, lane| lane.nanos.max(slowest))
    }
}

impl Simulation for Race {
    type Action = NoAction;
    const SEEDED: bool = false;

    /// Reads the year and the asked operation (`LATENCY_PARAMS`) as the poster does; the seed
    /// is unused because the race is the same every time.
    fn new(params: &Params, _seed: u64) -> Self {
        Race { tick: 0, snapshot: snapshot_for(params.choice("year")), asked: Operation::from_key(params.choice("ask")).unwrap_or(Operation::DiskSeek) }
    }

    fn step(&mut self) {
        self.tick += 1;
    }

    fn apply(&mut self, action: &NoAction) {
        match *action {}
    }

    fn tick(&self) -> u64 {
        self.tick
    }

    fn narrate(&self) -> String {
        let lanes = self.lanes();
        if self.tick == 0 {
            return format!("{} operations from {} are about to start together; an L1 cache reference counts as 1 second, and the clock speeds up 10× every 2 seconds.", lanes.len(), self.snapshot.year);
        }
        let now = self.now_ns();
        // The most recent arrival is the slowest lane done so far. Naming it, rather than the
        // clock, keeps the sentence the same between arrivals, so the live region speaks once
        // per arrival instead of every time the harness samples it.
        let last = lanes.iter().filter(|lane| lane.nanos <= now).fold(None, |last: Option<&Lane>, lane| if last.is_some_and(|last| last.nanos >= lane.nanos) { last } else { Some(lane) });
        match last {
            None => format!("{} in, {} at human scale: nothing has finished yet.", format_duration(now), format_human(now / self.l1_ns())),
            Some(lane) => {
                let ending = if lanes.iter().all(|other| other.nanos <= now) { "; that was the last one" } else { "" };
                let human = self.snapshot.human_seconds(lane.operation).unwrap_or(f64::NAN);
                format!("{} done: {}, which at human scale is {}{ending}.", lane.operation.label(), format_duration(lane.nanos), format_human(human))
            }
        }
    }

    fn encode_action(action: &NoAction) -> String {
        match *action {}
    }

    fn decode_action(_text: &str) -> Option<NoAction> {
        None
    }

    /// Over once the last lane has been done for `HOLD_TICKS`: the clock was already past the
    /// slowest figure that many ticks ago (the clock only grows, so this is the same test).
    fn finished(&self) -> bool {
        self.tick >= HOLD_TICKS && elapsed_ns(self.tick - HOLD_TICKS) >= self.slowest()
    }
}

const LEFT: f32 = 6.0;
const RIGHT: f32 = WIDTH - 6.0;
/// Bars start and end a little in, so a request drawn at either end stays on the canvas.
const PLOT_LEFT: f32 = 10.0;
const PLOT_RIGHT: f32 = WIDTH - 10.0;
/// The first lane's top; each lane is a line of words with its bar under it.
const TOP: f32 = 44.0;
const ROW: f32 = 30.0;
const BAR: f32 = 8.0;

/// The race at its current tick: the clock, a lane per operation on a linear axis from 0 to
/// now, the axis, and a legend. Its height depends only on how many lanes there are (at most
/// seven, 294 units), so it never changes during a run.
pub fn stage(race: &Race) -> Sketch {
    let lanes = race.lanes();
    let now = race.now_ns();
    let human_now = format_human(now / race.l1_ns());
    let real_now = format_duration(now);
    let axis_y = TOP + ROW * lanes.len() as f32;
    let mut sketch = Sketch::new(axis_y + 40.0, &summary(race, &lanes, now, &human_now, &real_now));

    sketch.text(LEFT, 17.0, 14.0, Anchor::Start, true, &format!("Human time: {human_now}"));
    sketch.text(RIGHT, 17.0, MIN_FONT, Anchor::End, false, &format!("real {real_now}"));
    sketch.text(LEFT, 35.0, MIN_FONT, Anchor::Start, false, SCALE_NOTE);

    let span = PLOT_RIGHT - PLOT_LEFT;
    for (index, lane) in lanes.iter().enumerate() {
        let top = TOP + ROW * index as f32;
        let asked = lane.operation == race.asked;
        let label = lane.operation.label();
        sketch.text(LEFT, top + 12.0, MIN_FONT, Anchor::Start, asked, label);
        let done = lane.nanos <= now;
        // Linear: a lane's bar is the share of the time so far it took (all of it while running).
        let share = if now > 0.0 { (lane.nanos.min(now) / now) as f32 } else { 0.0 };
        let bar_y = top + 16.0;
        sketch.meter(PLOT_LEFT, bar_y, span, BAR, share, tone(lane.operation.category()));
        sketch.request(PLOT_LEFT + share * span, bar_y + BAR / 2.0, if done { Outcome::Ok } else { Outcome::InFlight });
        if done {
            // On the label's line, flush right: with the real time too when both fit beside the label.
            let human = format_human(race.snapshot.human_seconds(lane.operation).unwrap_or(f64::NAN));
            let room = RIGHT - LEFT - text_width(label, MIN_FONT) - 10.0;
            let time = first_that_fits(&[format!("{human} · {}", format_duration(lane.nanos)), human], MIN_FONT, room);
            sketch.text(RIGHT, top + 12.0, MIN_FONT, Anchor::End, asked, &time);
        }
    }

    sketch.path(&format!("M{PLOT_LEFT} {axis_y}H{PLOT_RIGHT}M{PLOT_LEFT} {axis_y}v4M{PLOT_RIGHT} {axis_y}v4"), None);
    // The axis's start, and the reminder that it is linear, kept left so the right end has room.
    sketch.text(LEFT, axis_y + 16.0, MIN_FONT, Anchor::Start, false, "0 · linear scale");
    sketch.text(RIGHT, axis_y + 16.0, MIN_FONT, Anchor::End, false, &format!("now: {human_now}"));
    sketch.legend_with(LEFT, axis_y + 34.0, &[(Outcome::InFlight, "still running"), (Outcome::Ok, "done")]);
    sketch
}

/// The picture in words: the clock, then which lanes are done and which still run.
fn summary(race: &Race, lanes: &[Lane], now: f64, human_now: &str, real_now: &str) -> String {
    let (mut done, mut running) = (String::new(), String::new());
    for lane in lanes {
        let list = if lane.nanos <= now { &mut done } else { &mut running };
        if !list.is_empty() {
            list.push_str(", ");
        }
        list.push_str(lane.operation.label());
        if lane.operation == race.asked {
            list.push_str(" (the one asked about)");
        }
    }
    let none = |list: String| if list.is_empty() { "none".to_string() } else { list };
    format!(
        "A race of {} operations from {} on a linear clock, an L1 cache reference stretched to 1 second: {human_now} of human time so far ({real_now} real). Done: {}. Still running: {}.",
        lanes.len(),
        race.snapshot.year,
        none(done),
        none(running)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{ParamKind, Timeline};
    use crate::viz::latency::{LATENCY_PARAMS, SNAPSHOTS};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, pairs};

    fn race(year: &str, ask: &str) -> Race {
        let (params, _) = Params::from_pairs(LATENCY_PARAMS, &pairs(&[("year", year), ("ask", ask)]));
        Race::new(&params, DEFAULT_SEED)
    }

    fn years() -> impl Iterator<Item = String> {
        SNAPSHOTS.iter().map(|snapshot| snapshot.year.to_string())
    }

    fn asks() -> &'static [(&'static str, &'static str)] {
        match LATENCY_PARAMS.iter().find(|spec| spec.key == "ask").map(|spec| spec.kind) {
            Some(ParamKind::Choice(options)) => options,
            _ => panic!("ask is a choice"),
        }
    }

    /// Every text's baseline and horizontal extent, read back from the SVG with the same width
    /// estimate the sketch checks against.
    fn text_boxes(svg: &str) -> Vec<(f32, f32, f32, String)> {
        svg.split("<text ")
            .skip(1)
            .map(|element| {
                let attribute = |name: &str| element.split(&format!("{name}=\"")).nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("");
                let content = element.split('>').nth(1).and_then(|rest| rest.split('<').next()).unwrap_or("").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
                let (x, y, size): (f32, f32, f32) = (attribute("x").parse().unwrap(), attribute("y").parse().unwrap(), attribute("font-size").parse().unwrap());
                let width = text_width(&content, size);
                let left = match attribute("text-anchor") {
                    "middle" => x - width / 2.0,
                    "end" => x - width,
                    _ => x,
                };
                (y, left, left + width, content)
            })
            .collect()
    }

    /// Requests drawn on the lanes, leaving out the legend's two under the axis.
    fn lane_requests(svg: &str, race: &Race) -> Vec<(Outcome, f32, f32)> {
        let axis_y = TOP + ROW * race.lanes().len() as f32;
        drawn_requests(svg).into_iter().filter(|(_, _, y)| *y < axis_y).collect()
    }

    #[test]
    fn every_year_and_question_fits_the_canvas_at_every_tick_without_words_colliding() {
        for year in years() {
            for (ask, _) in asks() {
                let mut race = race(&year, ask);
                let lanes = race.lanes().len();
                while !race.finished() {
                    let sketch = stage(&race);
                    assert!(sketch.height() <= 300.0, "{year} {ask}: {}", sketch.height());
                    let drawn = sketch.finish();
                    assert!(drawn.problems.is_empty(), "{year} {ask} tick {}: {:?}", race.tick, drawn.problems);
                    assert!(drawn.svg.len() < 6_000, "{year} {ask}: {} bytes", drawn.svg.len());
                    assert_eq!(lane_requests(&drawn.svg, &race).len(), lanes, "one moving request per lane");
                    let boxes = text_boxes(&drawn.svg);
                    for (index, a) in boxes.iter().enumerate() {
                        for b in &boxes[index + 1..] {
                            let same_line = (a.0 - b.0).abs() < 12.0;
                            assert!(!same_line || a.2 + 4.0 <= b.1 || b.2 + 4.0 <= a.1, "{year} {ask} tick {}: {:?} runs into {:?}", race.tick, a.3, b.3);
                        }
                    }
                    race.step();
                }
            }
        }
    }

    #[test]
    fn the_clock_starts_at_zero_grows_tenfold_a_decade_and_outruns_every_figure_in_time() {
        assert_eq!(elapsed_ns(0), 0.0);
        for tick in 0..RACE_LIMIT {
            assert!(elapsed_ns(tick + 1) > elapsed_ns(tick), "tick {tick}");
        }
        let ratio = (elapsed_ns(200 + TICKS_PER_DECADE) + 1.0) / (elapsed_ns(200) + 1.0);
        assert!((ratio - 10.0).abs() < 1e-9, "{ratio}");
        // The header's words agree with the pace.
        assert_eq!(TICKS_PER_DECADE as f64 / RACE_TICKS_PER_SECOND, 2.0);
        assert!(SCALE_NOTE.contains("10× every 2 s"));
        // The quickest lane is done within about half a second at 1×.
        let quickest = SNAPSHOTS.iter().flat_map(|snapshot| snapshot.figures).map(|figure| figure.nanos).fold(f64::MAX, f64::min);
        let first = (0..).find(|tick| elapsed_ns(*tick) >= quickest).unwrap();
        assert!(first as f64 / RACE_TICKS_PER_SECOND <= 0.7, "the first lane finishes at tick {first}");
        // Every year and every question is over, hold included, before the limit.
        for year in years() {
            for (ask, _) in asks() {
                let slowest = race(&year, ask).lanes().iter().map(|lane| lane.nanos).fold(0.0, f64::max);
                let last = (0..).find(|tick| elapsed_ns(*tick) >= slowest).unwrap();
                assert!(last + HOLD_TICKS <= RACE_LIMIT, "{year} {ask}: the last lane is done at tick {last}");
                let mut timeline: Timeline<Race> = Timeline::new(Params::from_pairs(LATENCY_PARAMS, &pairs(&[("year", &year), ("ask", ask)])).0, DEFAULT_SEED, RACE_LIMIT);
                while !timeline.at_end() {
                    timeline.step_forward();
                }
                assert!(timeline.state().finished(), "{year} {ask}: the limit cut the race short at {}", timeline.tick());
            }
        }
    }

    #[test]
    fn a_lane_is_drawn_done_exactly_when_the_clock_has_passed_its_figure() {
        for year in years() {
            let snapshot = snapshot_for(&year);
            for (ask, _) in asks() {
                let mut race = race(&year, ask);
                let asked = Operation::from_key(ask).unwrap();
                // Which operations run, and how many are done, straight from the figures.
                let running: Vec<f64> = Operation::ALL.iter().filter(|operation| operations(asked).contains(operation)).filter_map(|operation| snapshot.figure(*operation)).map(|figure| figure.nanos).collect();
                let slowest = running.iter().copied().fold(0.0, f64::max);
                while !race.finished() {
                    let drawn = stage(&race).finish().svg;
                    let requests = lane_requests(&drawn, &race);
                    let elapsed = elapsed_ns(race.tick);
                    let expected_done = running.iter().filter(|nanos| **nanos <= elapsed).count();
                    let done = requests.iter().filter(|(outcome, _, _)| *outcome == Outcome::Ok).count();
                    let still = requests.iter().filter(|(outcome, _, _)| *outcome == Outcome::InFlight).count();
                    assert_eq!((done, still), (expected_done, running.len() - expected_done), "{year} {ask} tick {}", race.tick);
                    for (outcome, x, _) in &requests {
                        if race.tick == 0 {
                            assert!((x - PLOT_LEFT).abs() < 0.06, "everything starts at the left edge");
                        } else if *outcome == Outcome::InFlight {
                            assert!((x - PLOT_RIGHT).abs() < 0.06, "a running lane reaches now");
                        }
                    }
                    // A done lane ends where its figure falls on a linear axis from 0 to now.
                    let now = elapsed.min(slowest);
                    let mut ends: Vec<f32> = requests.iter().filter(|(outcome, _, _)| *outcome == Outcome::Ok).map(|(_, x, _)| *x).collect();
                    let mut expected: Vec<f32> = running.iter().filter(|nanos| **nanos <= now).map(|nanos| PLOT_LEFT + (nanos / now) as f32 * (PLOT_RIGHT - PLOT_LEFT)).collect();
                    ends.sort_by(f32::total_cmp);
                    expected.sort_by(f32::total_cmp);
                    for (end, want) in ends.iter().zip(&expected) {
                        assert!((end - want).abs() < 0.11, "{year} {ask} tick {}: {ends:?} vs {expected:?}", race.tick);
                    }
                    race.step();
                }
            }
        }
    }

    #[test]
    fn the_asked_lane_is_emphasised_and_the_clock_reads_in_human_time() {
        let mut race = race("2012", "compress");
        for _ in 0..200 {
            race.step();
        }
        let svg = stage(&race).finish().svg;
        assert!(svg.contains(&format!(r#"pv-text--strong" x="{LEFT:.1}" y="{:.1}" font-size="12">{}<"#, TOP + ROW * 2.0 + 12.0, Operation::Compress1Kb.label())), "{svg}");
        assert_eq!(svg.matches(&format!(">{}<", Operation::MainMemory.label())).count(), 1);
        assert!(!svg.contains(&format!(r#"strong" x="{LEFT:.1}" y="{:.1}" font-size="12">{}<"#, TOP + ROW + 12.0, Operation::MainMemory.label())), "other lanes are not emphasised");
        // 2012's L1 hit is 0.5 ns, so human seconds are twice the real nanoseconds.
        let human = format_human(elapsed_ns(200) * 2.0);
        assert!(svg.contains(&format!(">Human time: {human}<")) && svg.contains(&format!(">now: {human}<")), "{svg}");
        let label = aria_label(&svg);
        assert!(label.contains(&human) && label.contains("Compress 1 KB (the one asked about)"), "{label}");
        let memory = format_human(Snapshot::by_year(2012).unwrap().human_seconds(Operation::MainMemory).unwrap());
        assert!(svg.contains(&format!(">{memory} · 100 ns<")) || svg.contains(&format!(">{memory}<")), "{svg}");
        // Done and running lanes are told apart in words, with the figures deciding which is which.
        let (done, running) = label.split_once("Still running:").unwrap();
        assert!(done.contains(Operation::MainMemory.label()) && running.contains(Operation::DiskSeek.label()), "{label}");
    }

    #[test]
    fn the_picture_is_a_pure_function_of_the_tick() {
        let (params, _) = Params::from_pairs(LATENCY_PARAMS, &[]);
        let mut timeline: Timeline<Race> = Timeline::new(params, DEFAULT_SEED, RACE_LIMIT);
        let first = check_stage_is_pure(&mut timeline, 40, |race| stage(race).finish().svg);
        assert_eq!(first, stage(&race("2024", "disk-seek").clone_at(40)).finish().svg, "the seed and the path there do not matter");
        let other_seed = Timeline::<Race>::replay(Params::from_pairs(LATENCY_PARAMS, &[]).0, 99, RACE_LIMIT, Vec::new(), 40);
        assert_eq!(stage(other_seed.state()).finish().svg, first);
    }

    #[test]
    fn the_race_ends_only_after_every_lane_is_done_and_the_hold() {
        for year in years() {
            for (ask, _) in asks() {
                let mut race = race(&year, ask);
                let mut quiet = 0;
                while !race.finished() {
                    let now = race.now_ns();
                    quiet = if race.lanes().iter().all(|lane| lane.nanos <= now) { quiet + 1 } else { 0 };
                    race.step();
                }
                assert_eq!(quiet, HOLD_TICKS, "{year} {ask}: held the finished picture for {quiet} ticks");
                assert!(race.lanes().iter().all(|lane| lane.nanos <= race.now_ns()));
            }
        }
        assert_eq!(Race::decode_action(""), None);
        assert_eq!(Race::decode_action("0"), None);
    }

    #[test]
    fn the_narration_is_never_empty_and_names_each_arrival() {
        for year in years() {
            for (ask, _) in asks() {
                let mut race = race(&year, ask);
                let snapshot = race.snapshot();
                assert!(race.narrate().contains("about to start"), "{}", race.narrate());
                let mut before = 0.0;
                while !race.finished() {
                    let text = race.narrate();
                    assert!(!text.trim().is_empty(), "{year} {ask} tick {}", race.tick);
                    let now = race.now_ns();
                    // The slowest lane to arrive on this tick is the one named, with its human time.
                    let arrived = race.lanes().into_iter().filter(|lane| lane.nanos > before && lane.nanos <= now).fold(None, |last: Option<Lane>, lane| if last.is_some_and(|last| last.nanos > lane.nanos) { last } else { Some(lane) });
                    if let Some(lane) = arrived {
                        let human = format_human(snapshot.human_seconds(lane.operation).unwrap());
                        assert!(text.starts_with(lane.operation.label()) && text.contains(&human), "{year} {ask} tick {}: {text}", race.tick);
                    }
                    before = now;
                    race.step();
                }
            }
        }
    }

    impl Race {
        /// The same race moved straight to `tick`, without stepping through it.
        fn clone_at(&self, tick: u64) -> Race {
            Race { tick, ..self.clone() }
        }
    }
}

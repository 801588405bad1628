//! The stage: the six caches drawn as they stand at the current tick, one lane each. A lane is a
//! row of places in the policy's own order (the newest or safest at the left, the next to be
//! evicted at the right; Random has no order), each filled with a bar as tall as its key is
//! popular, so a scan shows as a row of short stubs pushing the tall bars out of LRU and FIFO,
//! and a moved hot set as tall bars shrinking in LFU. Above the row, the last request: a green
//! dot over the place where a hit was found, a red cross over the place where a miss was put,
//! and a hollow ring at the row's end when a key was evicted for it.
//!
//! With more places than fit, one cell stands for several (1, 2, 5, 10… at a time, said in the
//! header) and its bar is the average over them, empty places counting as nothing.
//!
//! Everything is read from the model at this tick, so scrubbing, stepping back and a shared link
//! draw the same picture.

use crate::diagram::text::text_width;
use crate::viz::poster::{first_that_fits, round_units, Anchor, Outcome, Sketch, MIN_FONT};

use super::{Access, Eviction, Kind, TraceKind, LANES};

const HEIGHT: f32 = 330.0;
const FIRST_LANE: f32 = 52.0;
const LANE_HEIGHT: f32 = 46.0;
const ROW_LEFT: f32 = 8.0;
const ROW_RIGHT: f32 = 300.0;
/// Within a lane: the title's baseline, the request's centre, and the row's top and height.
const TITLE_Y: f32 = 12.0;
const REQUEST_Y: f32 = 19.0;
const ROW_TOP: f32 = 24.0;
const ROW_HEIGHT: f32 = 18.0;
/// Where the evicted key's ring goes, past the row's end.
const EVICTED_X: f32 = 309.0;
/// The most cells a row draws; beyond it one cell stands for several places.
pub const MAX_CELLS: u32 = 50;
/// The height of a cold key's bar, as a share of the row: visible, and shorter than the least
/// popular key's ([`LEAST_POPULAR`]), so a scan's keys stand out by height as well as colour.
const COLD_SHARE: f32 = 0.1;
const LEAST_POPULAR: f32 = 0.25;

/// The caches at their current tick.
pub fn stage(model: &Eviction) -> Sketch {
    let capacity = model.capacity();
    let unit = cell_size(capacity);
    let mut sketch = Sketch::new(HEIGHT, &summary(model));

    let config = model.config();
    let caches = format!("caches of {capacity}");
    sketch.text(312.0, 14.0, MIN_FONT, Anchor::End, false, &caches);
    let (population, every, skew) = (config.keys, config.every, crate::sim::Value::Float(config.skew).to_text());
    let heading: Vec<String> = if model.trace().scanning() {
        vec!["A scan is passing through".to_string(), "Scan under way".to_string()]
    } else {
        match config.trace {
            TraceKind::Zipf => vec![format!("Zipf α {skew}, {population} keys"), format!("Zipf α {skew}")],
            TraceKind::Scan => vec![format!("Scans of {} every {every}", config.scan_length), "Periodic scans".to_string()],
            TraceKind::Shift => vec![format!("Hot set moves every {every}"), "Moving hot set".to_string()],
        }
    };
    let room = 304.0 - text_width(&caches, MIN_FONT) - 10.0;
    sketch.text(8.0, 14.0, MIN_FONT, Anchor::Start, true, &first_that_fits(&heading, MIN_FONT, room));

    let legend = sketch.legend_with(8.0, 31.0, &[(Outcome::Ok, "hit"), (Outcome::Rejected, "miss"), (Outcome::TimedOut, "evicted")]);
    let scale = if unit == 1 { vec!["tall bar = popular key".to_string(), "tall = popular".to_string()] } else { vec![format!("1 cell = {unit} keys, tall = popular"), format!("1 cell = {unit} keys"), format!("1 cell = {unit}")] };
    sketch.text(312.0, 31.0, MIN_FONT, Anchor::End, false, &first_that_fits(&scale, MIN_FONT, 312.0 - 18.0 - legend));

    let request = match model.last_request() {
        None => vec!["Nothing requested yet: every cache is empty".to_string()],
        Some(last) => match last.rank {
            Some(rank) => vec![format!("Last request: key {}, popularity rank {}", last.key, rank + 1), format!("Last request: key {}, rank {}", last.key, rank + 1), format!("Key {}, rank {}", last.key, rank + 1)],
            None => vec![format!("Last request: key {}, read once by a scan", last.key), format!("Last request: key {}, from a scan", last.key), format!("Key {}, from a scan", last.key)],
        },
    };
    sketch.text(8.0, 48.0, MIN_FONT, Anchor::Start, false, &first_that_fits(&request, MIN_FONT, 304.0));

    let mut keys = Vec::with_capacity(capacity as usize);
    for (index, lane) in model.lanes().iter().enumerate() {
        let top = FIRST_LANE + index as f32 * LANE_HEIGHT;
        let divider = lane.policy.layout(&mut keys);
        let access = model.last_request().map(|last| last.access[index]);
        draw_lane(&mut sketch, model, lane.kind(), lane.hit_ratio(), top, &keys, divider, access, unit);
    }
    sketch
}

/// How many places one cell stands for: 1, 2, 5, 10… so no row has more than [`MAX_CELLS`].
pub fn cell_size(capacity: u32) -> u32 {
    round_units().find(|size| u64::from(capacity) <= size * u64::from(MAX_CELLS)).unwrap_or(1) as u32
}

/// How tall a key's bar is: 1 for the hottest key, falling with the log of its rank to
/// [`LEAST_POPULAR`] for the least popular; [`COLD_SHARE`] for a key only a scan asks for.
fn height_of(model: &Eviction, key: u32) -> f32 {
    let keys = model.config().keys.max(1) as f32;
    match model.trace().rank(key) {
        Some(rank) => LEAST_POPULAR + (1.0 - LEAST_POPULAR) * (1.0 - (1.0 + rank as f32).ln() / (1.0 + keys).ln()).max(0.0),
        None => COLD_SHARE,
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_lane(sketch: &mut Sketch, model: &Eviction, kind: Kind, ratio: Option<f64>, top: f32, keys: &[u32], divider: Option<usize>, access: Option<Access>, unit: u32) {
    let name = kind.label();
    sketch.text(ROW_LEFT, top + TITLE_Y, MIN_FONT, Anchor::Start, true, name);
    let after_name = ROW_LEFT + text_width(name, MIN_FONT) + 6.0;
    let ratio_text = ratio.map_or("no requests yet".to_string(), |ratio| format!("{:.0}% hits", ratio * 100.0));
    sketch.text(after_name, top + TITLE_Y, MIN_FONT, Anchor::Start, false, &ratio_text);

    // Cells: each bar the average height of the places it stands for, split by whether its
    // keys are mostly popular ones (tone 1) or mostly a scan's (tone 3).
    let capacity = model.capacity();
    let cells = capacity.div_ceil(unit).max(1) as usize;
    let width = (ROW_RIGHT - ROW_LEFT) / cells as f32;
    let mut popular = vec![0.0f32; cells];
    let mut cold = vec![0.0f32; cells];
    for cell in 0..cells {
        let from = cell * unit as usize;
        let to = (from + unit as usize).min(capacity as usize);
        let places = keys.get(from..to.min(keys.len())).unwrap_or(&[]);
        let total: f32 = places.iter().map(|key| height_of(model, *key)).sum();
        let scanned = places.iter().filter(|key| model.trace().rank(**key).is_none()).count();
        let share = total / (to - from).max(1) as f32;
        if scanned * 2 > places.len() {
            cold[cell] = share;
        } else {
            popular[cell] = share;
        }
    }
    let row_top = top + ROW_TOP;
    let bottom = row_top + ROW_HEIGHT;
    sketch.rect(ROW_LEFT, row_top, ROW_RIGHT - ROW_LEFT, ROW_HEIGHT, 2.0, None);
    sketch.bars(ROW_LEFT, bottom - 1.0, width, ROW_HEIGHT - 3.0, &popular, Some(1));
    sketch.bars(ROW_LEFT, bottom - 1.0, width, ROW_HEIGHT - 3.0, &cold, Some(3));
    if let Some(split) = divider.filter(|split| *split > 0 && *split < keys.len()) {
        let x = ROW_LEFT + split as f32 / unit as f32 * width;
        sketch.line(x, row_top - 2.0, x, bottom + 2.0, true);
    }

    let Some(access) = access else { return };
    if let Some(slot) = access.slot {
        let x = (ROW_LEFT + ((slot / unit) as f32 + 0.5) * width).clamp(ROW_LEFT + 4.0, ROW_RIGHT - 4.0);
        sketch.request(x, top + REQUEST_Y, if access.hit { Outcome::Ok } else { Outcome::Rejected });
    }
    if access.evicted.is_some() {
        sketch.request(EVICTED_X, row_top + ROW_HEIGHT / 2.0, Outcome::TimedOut);
    }
    let words: Vec<String> = match (access.hit, access.evicted) {
        (true, _) => vec!["hit".to_string()],
        (false, None) => vec!["miss, room to spare".to_string(), "miss".to_string()],
        (false, Some(key)) if access.evictions > 1 => vec![format!("miss, evicted {key} + {} more", access.evictions - 1), format!("miss, evicted {}", access.evictions), "miss".to_string()],
        (false, Some(key)) => vec![format!("miss, evicted key {key}"), format!("miss, evicted {key}"), "miss".to_string()],
    };
    let room = 312.0 - after_name - text_width(&ratio_text, MIN_FONT) - 10.0;
    sketch.text(312.0, top + TITLE_Y, MIN_FONT, Anchor::End, false, &first_that_fits(&words, MIN_FONT, room));
}

/// What the picture shows, in words, for a screen reader.
fn summary(model: &Eviction) -> String {
    let capacity = model.capacity();
    let description = model.config().describe();
    let ratios: Vec<String> = model.lanes().iter().filter_map(|lane| lane.hit_ratio().map(|ratio| format!("{} {:.0}%", lane.kind().label(), ratio * 100.0))).collect();
    let state = match model.last_request() {
        None => format!("{description}. Six empty caches of {capacity} objects; nothing has been requested yet."),
        Some(last) => {
            let requests = model.lanes().first().map_or(0, |lane| lane.requests);
            let key = match last.rank {
                Some(rank) => format!("key {} (popularity rank {})", last.key, rank + 1),
                None => format!("key {}, read once by a scan", last.key),
            };
            let hits: Vec<&str> = Kind::ONLINE.iter().zip(&last.access).filter(|(_, seen)| seen.hit).map(|(kind, _)| kind.label()).collect();
            let outcome = if hits.is_empty() { "no cache had it".to_string() } else if hits.len() == LANES { "every cache had it".to_string() } else { format!("it was a hit for {}", hits.join(", ")) };
            let scan = if model.trace().scanning() { " A scan is passing through." } else { "" };
            format!("{description}; six caches of {capacity} objects. After {requests} requests the hit ratios are {}. The last request was {key}: {outcome}.{scan}", ratios.join(", "))
        }
    };
    format!("{state} Each cache is a row, newest or safest at the left and next to be evicted at the right (SLRU: protected then probation; S3-FIFO: small then main queue); a bar's height shows how popular its key is, and a short stub is a key read once by a scan.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Simulation, Timeline};
    use crate::viz::eviction::{Action, EVICTION_PARAMS};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, pairs};

    fn params(list: &[(&str, &str)]) -> Params {
        Params::from_pairs(EVICTION_PARAMS, &pairs(list)).0
    }

    fn model(list: &[(&str, &str)]) -> Eviction {
        Eviction::new(&params(list), DEFAULT_SEED)
    }

    fn lane_of(y: f32) -> usize {
        ((y - FIRST_LANE) / LANE_HEIGHT).floor() as usize
    }

    #[test]
    fn cells_stand_for_one_two_five_places() {
        let sizes: Vec<u32> = [4, 50, 51, 100, 101, 250, 251, 2_000].map(cell_size).to_vec();
        assert_eq!(sizes, [1, 1, 2, 2, 5, 5, 10, 50]);
    }

    #[test]
    fn every_lane_shows_its_last_request_on_every_tick_after_the_first() {
        for trace in ["zipf", "scan", "shift"] {
            let mut model = model(&[("trace", trace), ("every", "300")]);
            for tick in 0..400u32 {
                let drawn = stage(&model).finish();
                assert!(drawn.problems.is_empty(), "{trace} tick {tick}: {:?}", drawn.problems);
                let requests: Vec<(Outcome, f32, f32)> = drawn_requests(&drawn.svg).into_iter().filter(|(_, _, y)| *y > FIRST_LANE).collect();
                let mut per_lane = [0; LANES];
                for (outcome, _, y) in &requests {
                    if *outcome != Outcome::TimedOut {
                        per_lane[lane_of(*y)] += 1;
                    }
                }
                let expected = if tick == 0 { [0; LANES] } else { [1; LANES] };
                assert_eq!(per_lane, expected, "{trace} tick {tick}");
                // A hit is drawn as a dot, a miss as a cross, matching the model.
                if let Some(last) = model.last_request() {
                    for (outcome, _, y) in requests.iter().filter(|(outcome, _, _)| *outcome != Outcome::TimedOut) {
                        assert_eq!(*outcome == Outcome::Ok, last.access[lane_of(*y)].hit);
                    }
                }
                model.step();
            }
        }
    }

    #[test]
    fn a_fifo_hit_is_drawn_over_the_cell_that_holds_the_key() {
        // FIFO never moves a key on a hit, so where the dot is drawn must be where the key sits
        // in the row after the tick. 120 places at 1 cell = 5 (24 cells of 292/24 units).
        let mut model = model(&[("cache", "120")]);
        let fifo = Kind::ONLINE.iter().position(|kind| *kind == Kind::Fifo).unwrap();
        let mut checked = 0;
        for _ in 0..300 {
            model.step();
            let last = *model.last_request().unwrap();
            if !last.access[fifo].hit {
                continue;
            }
            let mut keys = Vec::new();
            model.lanes()[fifo].policy.layout(&mut keys);
            let place = keys.iter().position(|key| *key == last.key).unwrap();
            let width = (ROW_RIGHT - ROW_LEFT) / 24.0;
            let expected = (ROW_LEFT + (place / 5) as f32 * width + width / 2.0).clamp(ROW_LEFT + 4.0, ROW_RIGHT - 4.0);
            let drawn = drawn_requests(&stage(&model).finish().svg).into_iter().find(|(outcome, _, y)| *outcome == Outcome::Ok && lane_of(*y) == fifo && *y > FIRST_LANE);
            let (_, x, _) = drawn.expect("a dot in FIFO's lane");
            assert!((x - expected).abs() < 0.1, "key {} at place {place}: drawn at {x}, expected {expected}", last.key);
            checked += 1;
        }
        assert!(checked > 30, "{checked}");
    }

    #[test]
    fn the_stage_is_a_pure_function_of_the_run() {
        for trace in ["zipf", "scan", "shift"] {
            let mut timeline = Timeline::<Eviction>::new(params(&[("trace", trace)]), DEFAULT_SEED, 5_000);
            timeline.seek(200);
            timeline.act(Action::Scan);
            timeline.seek(230);
            timeline.act(Action::Capacity(120));
            check_stage_is_pure(&mut timeline, 260, |model| stage(model).finish().svg);
        }
    }

    #[test]
    fn a_scan_fills_lru_with_stubs_while_s3_fifo_keeps_its_popular_keys() {
        let mut model = model(&[("cache", "100"), ("scan", "400")]);
        for _ in 0..300 {
            model.step();
        }
        model.apply(&Action::Scan);
        for _ in 0..10 {
            model.step();
        }
        let lru = model.popular_cached(0);
        let s3 = model.popular_cached(5);
        assert_eq!(lru, 0, "200 one-time keys (of the scan's 400) flushed LRU");
        assert!(s3 >= 85, "S3-FIFO's main queue kept its popular keys: {s3}");
        let drawn = stage(&model).finish();
        assert!(drawn.problems.is_empty(), "{:?}", drawn.problems);
        assert!(drawn.svg.contains(">A scan is passing through<"), "{}", drawn.svg);
        assert!(aria_label(&drawn.svg).contains("A scan is passing through."));
    }

    #[test]
    fn every_extreme_draws_within_its_canvas() {
        let extremes: [&[(&str, &str)]; 7] = [
            &[("keys", "100"), ("cache", "4"), ("rate", "1"), ("skew", "0")],
            &[("keys", "100000"), ("cache", "2000"), ("rate", "200"), ("skew", "2")],
            &[("trace", "scan"), ("keys", "100000"), ("cache", "2000"), ("scan", "20000"), ("every", "100")],
            &[("trace", "scan"), ("keys", "100"), ("cache", "4"), ("scan", "10"), ("every", "100"), ("rate", "200")],
            &[("trace", "shift"), ("keys", "100000"), ("cache", "1999"), ("every", "100000"), ("skew", "0.01")],
            &[("trace", "shift"), ("keys", "99999"), ("cache", "7"), ("every", "100"), ("rate", "3")],
            &[("keys", "many"), ("cache", "-3"), ("seed", "x"), ("trace", "<b>")],
        ];
        for list in extremes {
            let mut model = model(list);
            for tick in 0..300u32 {
                if tick % 20 == 0 || tick < 3 {
                    let drawn = stage(&model).finish();
                    assert!(drawn.problems.is_empty(), "{list:?} tick {tick}: {:?}", drawn.problems);
                    assert!(drawn.svg.len() < 24_000, "{list:?} tick {tick}: {} bytes", drawn.svg.len());
                }
                if tick == 150 {
                    model.apply(&Action::Capacity(crate::viz::eviction::MIN_CACHE));
                }
                model.step();
            }
        }
    }
}


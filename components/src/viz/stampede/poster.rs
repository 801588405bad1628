//! The first frame of the tool, drawn at build time (see `viz::poster`): clients, the cache with
//! its hot keys, and the database behind it, as the model stands before the first tick (warm
//! keys all expiring at once, or an empty cache).

use super::{KeyStatus, Stampede, HOT_KEY_COUNT, STAMPEDE_PARAMS, TICK_MS};
use crate::sim::number::group_thousands;
use crate::viz::poster::{start, Anchor, Sketch, Tone, WIDTH};

const MARGIN: f32 = 8.0;
const BAR_HEIGHT: f32 = 30.0;
const BAR_GAP: f32 = 4.0;

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    let sim: Stampede = start(STAMPEDE_PARAMS, pairs);
    let config = *sim.config();
    let database = sim.database();
    let keys: Vec<_> = (0..sim.key_count()).filter_map(|index| sim.key(index)).collect();
    let hot = &keys[..keys.len().min(HOT_KEY_COUNT)];
    let rate = group_thousands(f64::from(config.requests_per_second));
    // The hottest key's share of all requests, those for missing keys included.
    let hottest = hot.first().map(|key| (key.name.clone(), percent(key.share * (1.0 - config.missing_share))));
    let expiries: Vec<Option<i64>> = keys.iter().map(|key| (key.status == KeyStatus::Fresh).then_some(key.expires_in_ms).flatten()).collect();
    let cache_state = match expiries.first().copied().flatten() {
        Some(first) if keys.len() == 1 => format!("Fresh, expiring at {}", seconds(first)),
        Some(first) if expiries.iter().all(|expiry| *expiry == Some(first)) => {
            format!("All {} fresh, expiring together at {}", group_thousands(keys.len() as f64), seconds(first))
        }
        _ if keys.iter().all(|key| key.status == KeyStatus::Empty) => "Empty: every first read misses".to_string(),
        _ => format!("{} of {} keys fresh", expiries.iter().flatten().count(), keys.len()),
    };
    let missing = config.penetration.then(|| format!("{} for missing keys", percent(config.missing_share)));

    let ttl_seconds = config.ttl_ticks * TICK_MS / 1000;
    let key_count = format!("{} key{}", group_thousands(keys.len() as f64), if keys.len() == 1 { "" } else { "s" });
    let label = format!(
        "{rate} requests a second read {key_count} through a cache with a {} s TTL, in front of a database that runs {} queries at once ({} ms each when idle); {}{}. {cache_state}.",
        ttl_seconds,
        database.concurrency,
        config.recompute_ms,
        hottest.as_ref().map_or(String::new(), |(name, share)| format!("{name} draws {share} of them")),
        missing.as_ref().map_or(String::new(), |missing| format!(", and {missing}")),
    );

    let cache_top = 62.0;
    let bars_top = cache_top + 26.0;
    let cache_bottom = bars_top + BAR_HEIGHT + 58.0;
    let database_top = cache_bottom + 26.0;
    let height = database_top + 34.0 + MARGIN;
    let mut sketch = Sketch::new(height, &label);

    sketch.labelled_box(60.0, 6.0, WIDTH - 120.0, 32.0, None, 13.0, &format!("Clients: {rate} req/s"));
    sketch.arrow(WIDTH / 2.0, 38.0, WIDTH / 2.0, cache_top);
    if let Some(missing) = &missing {
        sketch.text(WIDTH / 2.0 + 8.0, cache_top - 7.0, 12.0, Anchor::Start, false, missing);
    }

    sketch.rect(MARGIN, cache_top, WIDTH - 2.0 * MARGIN, cache_bottom - cache_top, 6.0, None);
    sketch.text(MARGIN + 8.0, cache_top + 18.0, 13.0, Anchor::Start, true, &format!("Cache: {key_count}, TTL {ttl_seconds} s"));
    // The hot keys in the live view's order, most popular first, each as tall as its share of
    // the traffic (so the hot key stands out) and outlined by what the cache holds for it:
    // fresh (green), expired (vermillion) or nothing (ink); the line below says it in words.
    let (left, right) = (MARGIN + 4.0, WIDTH - MARGIN - 4.0);
    let bar_width = (right - left - (hot.len() as f32 - 1.0) * BAR_GAP) / hot.len().max(1) as f32;
    let most = hot.first().map_or(1.0, |key| key.share).max(f64::MIN_POSITIVE);
    for (index, key) in hot.iter().enumerate() {
        let tall = (BAR_HEIGHT * (key.share / most) as f32).max(4.0);
        let x = left + index as f32 * (bar_width + BAR_GAP);
        sketch.rect(x, bars_top + BAR_HEIGHT - tall, bar_width, tall, 3.0, status_tone(key.status));
    }
    let names_y = bars_top + BAR_HEIGHT + 16.0;
    if let Some((name, share)) = &hottest {
        sketch.text(left, names_y, 12.0, Anchor::Start, true, &format!("{name}: {share} of requests"));
    }
    if let Some(last) = hot.get(1..).and_then(<[_]>::last) {
        sketch.text(right, names_y, 12.0, Anchor::End, true, &last.name);
    }
    sketch.text(left, names_y + 20.0, 12.0, Anchor::Start, false, &cache_state);

    sketch.arrow(WIDTH / 2.0, cache_bottom, WIDTH / 2.0, database_top);
    sketch.text(WIDTH / 2.0 + 8.0, database_top - 8.0, 12.0, Anchor::Start, false, &format!("misses, {} ms each", config.recompute_ms));
    let busy = format!("Database: {} of {} busy, {} queued", database.running, database.concurrency, database.queued);
    sketch.labelled_box(MARGIN, database_top, WIDTH - 2.0 * MARGIN, 34.0, None, 13.0, &busy);
    sketch
}

/// The seed the harness would use for these pairs: the last `seed`, else its default.

fn status_tone(status: KeyStatus) -> Tone {
    match status {
        KeyStatus::Fresh => Some(3),
        KeyStatus::Expired => Some(4),
        KeyStatus::Empty => None,
    }
}

/// Whole percents, with a decimal below 10% so a thin share does not read as 0%.
fn percent(share: f64) -> String {
    match share * 100.0 {
        tiny if tiny < 0.05 => "under 0.1%".to_string(),
        small if small < 9.95 => format!("{small:.1}%"),
        large => format!("{large:.0}%"),
    }
}

fn seconds(ms: i64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ParamKind, Value};
    use crate::viz::poster::Poster;

    fn draw(query: &[(&str, &str)]) -> Poster {
        let pairs: Vec<(String, String)> = query.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect();
        poster(&pairs).finish()
    }

    /// The hot keys' bars: the only boxes drawn with 3-unit corners.
    fn bars(svg: &str) -> Vec<f32> {
        svg.split("<rect ").skip(1).filter(|rect| rect.contains(r#"rx="3.0""#)).map(|rect| {
            rect.split(r#"height=""#).nth(1).and_then(|rest| rest.split('"').next()).and_then(|height| height.parse().ok()).unwrap_or(0.0)
        }).collect()
    }

    #[test]
    fn draws_the_hot_keys_the_model_has() {
        assert_eq!(bars(&draw(&[]).svg).len(), HOT_KEY_COUNT.min(50));
        assert_eq!(bars(&draw(&[("keys", "3")]).svg).len(), 3);
        let seven = draw(&[("keys", "7")]);
        assert_eq!(bars(&seven.svg).len(), 7);
        assert!(seven.svg.contains(">hot:6</text>") && !seven.svg.contains("hot:7"), "the last hot key is named");
        let one = draw(&[("keys", "1")]);
        assert_eq!(bars(&one.svg).len(), 1);
        assert!(one.svg.contains(">hot:0: 100% of requests</text>"), "{}", one.svg);
        // Popular keys stand taller, and with no skew every key is as popular as the next.
        let skewed = bars(&draw(&[("skew", "2")]).svg);
        assert!(skewed.windows(2).all(|pair| pair[0] >= pair[1]) && skewed[0] > 2.0 * skewed[1], "{skewed:?}");
        let flat = bars(&draw(&[("skew", "0")]).svg);
        assert!(flat.iter().all(|height| *height == flat[0]), "{flat:?}");
    }

    #[test]
    fn says_what_the_cache_holds_at_the_start() {
        let warm = draw(&[("ttl", "30")]);
        assert!(warm.svg.contains("All 50 fresh, expiring together at 30.0 s"), "{}", warm.svg);
        assert_eq!(warm.svg.matches("pv-box--3").count(), HOT_KEY_COUNT, "fresh keys are outlined green");
        let cold = draw(&[("start", "cold")]);
        assert!(cold.svg.contains("Empty: every first read misses") && !cold.svg.contains("pv-box--3"), "{}", cold.svg);
        // Popularity follows the skew: with none, each of 50 keys gets a fiftieth.
        assert!(draw(&[("skew", "0")]).svg.contains(">hot:0: 2.0% of requests</text>"));
        let missing = draw(&[("variant", "penetration"), ("missing", "0.5"), ("skew", "0"), ("keys", "10")]);
        assert!(missing.svg.contains(">50% for missing keys</text>") && missing.svg.contains(">hot:0: 5.0% of requests</text>"), "{}", missing.svg);
        assert!(!draw(&[("missing", "0.5")]).svg.contains("missing keys"), "the share is ignored outside the penetration variant");
        let busy = draw(&[("conc", "7"), ("rate", "20000"), ("cost", "2000")]);
        assert!(busy.svg.contains("Database: 0 of 7 busy, 0 queued") && busy.svg.contains("20,000 req/s") && busy.svg.contains("misses, 2000 ms each"), "{}", busy.svg);
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
            assert!(poster.svg.len() < 3_000, "{query:?}: {} bytes", poster.svg.len());
        }
        let garbage = draw(&[("rate", "fast"), ("keys", "0"), ("ttl", "-1"), ("variant", "x"), ("start", ""), ("seed", "¿")]);
        assert_eq!(garbage.svg, draw(&[]).svg);
        assert!(draw(&[]).problems.is_empty());
    }
}

use std::collections::HashMap;

use proptest::prelude::*;

use super::stage::{legend, outcome, stage, Grid};
use super::*;
use crate::sim::query::DEFAULT_SEED;
use crate::sim::Timeline;
use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, pairs, round_units, Outcome};
use crate::viz::ring::murmur3_x64_128;

fn bloom(list: &[(&str, &str)]) -> Bloom {
    let (params, notes) = Params::from_pairs(BLOOM_PARAMS, &pairs(list));
    assert!(notes.is_empty(), "{notes:?}");
    Bloom::new(&params, DEFAULT_SEED)
}

fn steps(bloom: &mut Bloom, count: u64) {
    for _ in 0..count {
        bloom.step();
    }
}

// ---- Sizing ------------------------------------------------------------------------------------

#[test]
fn sizing_matches_values_worked_by_hand() {
    // n = 1,000,000, p = 1%: ln 0.01 = −4.605170, (ln 2)² = 0.480453, so m = ⌈10^6 × 4.605170 /
    // 0.480453⌉ = ⌈9,585,058.4⌉ = 9,585,059 bits; k = round(9.585059 × 0.693147) = round(6.644) = 7.
    assert_eq!(optimal_bits(1_000_000, 0.01), 9_585_059);
    assert_eq!(optimal_hashes(9_585_059, 1_000_000), 7);
    // n = 1,000, p = 0.1%: ln 0.001 = −6.907755; 6.907755 / 0.480453 = 14.37759, so m = 14,378 and
    // k = round(14.378 × 0.693147) = round(9.966) = 10.
    let thousand = Sizing::new(1_000, 0.001);
    assert_eq!((thousand.bits, thousand.hashes, thousand.bytes), (14_378, 10, 1_798));
    // The defaults: 200 × 9.585058 = 1,917.01, so 1,918 bits (240 bytes); 9.59 × 0.693 = 6.65, so 7.
    let defaults = Sizing::new(200, 0.01);
    assert_eq!((defaults.bits, defaults.hashes, defaults.bytes), (1_918, 7, 240));
    // One item at 50%: 1 / ln 2 = 1.44, so 2 bits; 2 × 0.693 = 1.39, so one hash.
    assert_eq!((optimal_bits(1, 0.5), optimal_hashes(2, 1)), (2, 1));
    // The tool's extremes: 100,000 items at 0.01% need 19.17 bits an item and 13 hashes.
    let largest = Sizing::new(100_000, 0.0001);
    assert_eq!((largest.bits, largest.hashes), (1_917_012, 13));
}

#[test]
fn the_false_positive_formula_matches_a_hand_calculation() {
    // 200 items, 1,918 bits, 7 hashes: k·n/m = 1400/1918 = 0.729927; e^−0.729927 = 0.481936;
    // (1 − 0.481936)^7 = 0.518064^7 = e^(7 × −0.657654) = e^−4.603578 = 0.010016.
    let rate = false_positive_rate(1_918, 200, 7);
    assert!((rate - 0.010016).abs() < 2e-6, "{rate}");
    assert_eq!(false_positive_rate(1_918, 0, 7), 0.0, "an empty filter never says maybe");
    assert!(false_positive_rate(100, 100_000, 3) > 0.999, "an overfull one nearly always does");
    // With one hash it is the chance that one given bit is set: 1 − (1 − 1/m)^n ≈ 1 − e^(−n/m).
    assert!((false_positive_rate(1_000, 1_000, 1) - (1.0 - (-1.0f64).exp())).abs() < 1e-12);
}

#[test]
fn the_formulas_are_written_out_with_the_numbers() {
    let lines = Sizing::new(200, 0.01).formula_lines();
    assert!(lines[0].contains("−200 × ln 0.01") && lines[0].ends_with("= 1,918 bits (240 bytes)"), "{}", lines[0]);
    assert!(lines[1].contains("round(1,918 ÷ 200 × 0.6931) = 7"), "{}", lines[1]);
    assert!(lines[2].contains("(1 − e^(−7 × 200 ÷ 1,918))^7 = 1.00%"), "{}", lines[2]);
    assert!(Sizing::new(5, 0.0001).formula_lines()[0].contains("ln 0.0001"));
    assert_eq!(percent(0.39347), "39.3%");
    assert_eq!(percent(0.0001), "0.0100%");
    assert_eq!(percent(0.0), "0%");
}

// ---- The filter --------------------------------------------------------------------------------

#[test]
fn positions_come_from_double_hashing_one_murmur3() {
    let filter = Filter::new(Variant::Standard, 1_918, 7, 42);
    for item in ["user:0", "visitor:9", "ünïcødé ✓", ""] {
        // Worked out here in 128-bit arithmetic, without the filter's overflow-free shortcut.
        let (h1, h2) = murmur3_x64_128(item.as_bytes(), 42);
        let expected: Vec<u64> = (0..7u128).map(|i| ((u128::from(h1) + i * u128::from(h2)) % 1_918) as u64).collect();
        assert_eq!(filter.positions(item).collect::<Vec<_>>(), expected, "{item}");
    }
    let other_seed = Filter::new(Variant::Standard, 1_918, 7, 43);
    assert_ne!(filter.positions("user:0").collect::<Vec<_>>(), other_seed.positions("user:0").collect::<Vec<_>>());
}

#[test]
fn a_saturated_counter_is_never_lowered_so_no_false_negative_appears() {
    let mut filter = Filter::new(Variant::Counting, 64, 4, 1);
    let item = "hot";
    let distinct: std::collections::BTreeSet<u64> = filter.positions(item).collect();
    for _ in 0..20 {
        filter.add(item);
    }
    assert!(distinct.iter().all(|position| filter.count(*position) == COUNTER_MAX));
    assert_eq!(filter.saturated(), distinct.len() as u64);
    // Twenty removes of twenty adds: the counters' true count is lost, so they stay up.
    for _ in 0..20 {
        assert!(filter.remove(item).is_ok());
        assert!(filter.contains(item));
    }
    assert!(distinct.iter().all(|position| filter.count(*position) == COUNTER_MAX));
}

#[test]
fn removes_are_refused_when_they_cannot_be_right() {
    let mut standard = Filter::new(Variant::Standard, 100, 3, 1);
    standard.add("a");
    let before = standard.clone();
    assert_eq!(standard.remove("a"), Err(Refusal::Standard));
    assert_eq!(standard, before);
    let mut counting = Filter::new(Variant::Counting, 1_000, 3, 1);
    counting.add("a");
    let before = counting.clone();
    let absent = (0..).map(|i| format!("b{i}")).find(|item| !counting.contains(item)).unwrap();
    assert_eq!(counting.remove(&absent), Err(Refusal::NotThere));
    assert_eq!(counting, before);
    assert!(counting.remove("a").is_ok());
    assert_eq!(counting.occupied(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The running counts agree with a count of every position; set positions never exceed
    /// k per add; and the word-at-a-time range count agrees with counting one by one.
    #[test]
    fn counts_agree_with_a_position_by_position_count(
        counting in any::<bool>(),
        size in 1u64..700,
        hashes in 1u32..9,
        items in proptest::collection::vec(0u32..300, 0..120),
        ranges in proptest::collection::vec((0u64..700, 0u64..700), 1..12),
    ) {
        let variant = if counting { Variant::Counting } else { Variant::Standard };
        let mut filter = Filter::new(variant, size, hashes, 7);
        for (adds, item) in items.iter().enumerate() {
            let item = format!("i{item}");
            let before: Vec<u8> = (0..size).map(|position| filter.count(position)).collect();
            filter.add(&item);
            let touched: Vec<u64> = filter.positions(&item).collect();
            for position in 0..size {
                let (old, new) = (before[position as usize], filter.count(position));
                if touched.contains(&position) {
                    let top = if counting { COUNTER_MAX } else { 1 };
                    prop_assert!(new > 0 && new >= old && new <= top, "{} then {}", old, new);
                } else {
                    prop_assert_eq!(old, new, "an add touched only its own positions");
                }
            }
            let nonzero = (0..size).filter(|position| filter.count(*position) > 0).count() as u64;
            prop_assert_eq!(filter.occupied(), nonzero);
            prop_assert!(nonzero <= u64::from(hashes) * (adds as u64 + 1));
        }
        for (a, b) in ranges {
            let (start, end) = (a.min(b), a.max(b));
            let one_by_one = (start..end.min(size)).filter(|position| filter.count(*position) > 0).count() as u64;
            prop_assert_eq!(filter.occupied_in(start, end), one_by_one);
        }
    }

    /// A standard filter only ever gains bits: once "maybe", always "maybe".
    #[test]
    fn a_standard_filter_never_takes_back_a_maybe(
        size in 1u64..400,
        hashes in 1u32..6,
        adds in proptest::collection::vec(0u32..1_000, 1..80),
    ) {
        let mut filter = Filter::new(Variant::Standard, size, hashes, 3);
        let probes: Vec<String> = (0..60).map(|i| format!("probe{i}")).collect();
        let mut maybe = vec![false; probes.len()];
        for item in adds {
            filter.add(&format!("a{item}"));
            for (index, probe) in probes.iter().enumerate() {
                let now = filter.contains(probe);
                prop_assert!(now || !maybe[index], "{} went from maybe to definitely not", probe);
                maybe[index] = now;
            }
        }
    }

    /// Whatever the reader adds, tests and removes (removing only what they added), and however
    /// far the workload has got, every item in the set tests "maybe". The true set is kept here,
    /// apart from the model's.
    #[test]
    fn no_false_negatives_while_only_added_items_are_removed(
        counting in any::<bool>(),
        items in 1u32..60,
        fp in prop_oneof![Just("0.5"), Just("5"), Just("30")],
        ops in proptest::collection::vec((0u8..4, 0u32..30), 1..150),
    ) {
        let variant = if counting { "counting" } else { "standard" };
        let items_text = items.to_string();
        let mut model = bloom(&[("items", &items_text), ("fp", fp), ("variant", variant)]);
        let mut copies: HashMap<String, u32> = HashMap::new();
        for (op, which) in ops {
            let item = format!("w{which}");
            match op {
                0 => {
                    model.apply(&Action::Add(item.clone()));
                    *copies.entry(item).or_default() += 1;
                }
                1 => {
                    model.apply(&Action::Test(item.clone()));
                    let present = copies.get(&item).is_some_and(|count| *count > 0);
                    let verdict = model.last().unwrap().verdict;
                    prop_assert!(if present { verdict == Verdict::Member } else { matches!(verdict, Verdict::FalsePositive | Verdict::DefinitelyNot) }, "{:?}", verdict);
                }
                2 => {
                    let present = copies.get(&item).is_some_and(|count| *count > 0);
                    if present || !counting {
                        model.apply(&Action::Remove(item.clone()));
                        let verdict = model.last().unwrap().verdict;
                        if counting {
                            prop_assert_eq!(verdict, Verdict::Removed);
                            *copies.get_mut(&item).unwrap() -= 1;
                        } else {
                            prop_assert_eq!(verdict, Verdict::Refused(Refusal::Standard));
                        }
                    }
                }
                _ => {
                    steps(&mut model, 40);
                }
            }
            for (item, count) in &copies {
                prop_assert_eq!(model.is_member(item), *count > 0);
                if *count > 0 {
                    prop_assert!(model.filter().contains(item), "{} was added and not removed", item);
                }
            }
            // Once the workload has added its items, they all test "maybe" too.
            if !model.filling() {
                for index in 0..items {
                    let item = format!("user:{index}");
                    prop_assert!(model.filter().contains(&item), "{} was added by the workload", item);
                }
            }
            prop_assert!(model.filter().occupied() <= u64::from(model.filter().hashes()) * model.adds());
        }
    }

    /// Anything typed survives the link: any characters, up to the limit.
    #[test]
    fn actions_round_trip_through_the_link(chars in proptest::collection::vec(any::<char>(), 1..=MAX_ITEM_CHARS), kind in 0u8..3) {
        let item: String = chars.into_iter().collect();
        let action = match kind {
            0 => Action::Add(item),
            1 => Action::Test(item),
            _ => Action::Remove(item),
        };
        let text = Bloom::encode_action(&action);
        prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'%'), "{}", text);
        prop_assert_eq!(Bloom::decode_action(&text), Some(action));
    }

    /// Garbage never panics, and what is accepted is exactly what encoding would write.
    #[test]
    fn decoding_garbage_never_panics(text in "\\PC{0,80}", raw in "[atrx%0-9A-Fa-f]{0,20}") {
        for text in [text, raw] {
            if let Some(action) = Bloom::decode_action(&text) {
                prop_assert_eq!(Bloom::encode_action(&action), text);
            }
        }
    }

    /// Tighter targets need more bits, more items need more bits, and rounding m and k up or
    /// down costs at most a few percent of the target.
    #[test]
    fn sizing_grows_as_it_should(items in 1u64..100_000, a in 0.0001f64..0.5, b in 0.0001f64..0.5) {
        let (tight, loose) = (a.min(b), a.max(b));
        prop_assert!(optimal_bits(items, tight) >= optimal_bits(items, loose));
        prop_assert!(optimal_bits(items + 1, tight) >= optimal_bits(items, tight));
        let sizing = Sizing::new(items, tight);
        prop_assert!((1..=14).contains(&sizing.hashes), "{:?}", sizing);
        prop_assert!(sizing.expected <= tight * 1.05, "{:?}", sizing);
        // m/n bits an item is −ln p / (ln 2)², to within the rounding up of m.
        let ideal = -tight.ln() / (std::f64::consts::LN_2 * std::f64::consts::LN_2);
        prop_assert!(sizing.bits_per_item() >= ideal - 1e-9 && sizing.bits_per_item() < ideal + 1.0 / items as f64 + 1e-9);
    }
}

// ---- The model ---------------------------------------------------------------------------------

#[test]
fn the_measured_false_positive_rate_lands_near_the_formula() {
    let mut model = bloom(&[("items", "1000"), ("fp", "1"), ("batch", "1000")]);
    while model.tally().tests < 20_000 {
        model.step();
    }
    assert_eq!(model.inserted(), 1_000);
    let measured = model.tally().rate().unwrap();
    assert!((0.005..=0.02).contains(&measured), "{measured}");
    // 20,000 tests at 1% have a standard deviation of 0.07 points: 30% off is many of them.
    let formula = model.formula_rate();
    assert!((measured / formula - 1.0).abs() < 0.3, "measured {measured}, formula {formula}");
    let last = model.series().last().unwrap();
    assert_eq!(last.measured, measured);
    assert_eq!(last.formula, formula);
}

#[test]
fn the_workload_fills_one_item_a_tick_then_tests_fresh_items() {
    let mut model = bloom(&[]);
    assert!(model.last().is_none());
    model.step();
    let op = model.last().unwrap();
    assert_eq!((op.kind, op.item.as_str(), op.verdict, op.positions.len()), (Kind::Add, "user:0", Verdict::Added, 7));
    assert_eq!(op.empty, 0b111_1111, "into an empty filter every position was clear, unless one repeats");
    steps(&mut model, 199);
    assert_eq!((model.last().unwrap().item.as_str(), model.inserted(), model.filling()), ("user:199", 200, false));
    assert!(model.narrate().starts_with("All 200 items are in"), "{}", model.narrate());
    model.step();
    let op = model.last().unwrap();
    assert_eq!((op.kind, op.item.as_str()), (Kind::Test, "visitor:0"));
    assert!(matches!(op.verdict, Verdict::DefinitelyNot | Verdict::FalsePositive));
    assert_eq!(model.series().len(), 201);
    // However many items are expected, filling takes at most FILL_TICKS ticks.
    let mut big = bloom(&[("items", "100000"), ("fp", "0.01")]);
    steps(&mut big, FILL_TICKS);
    assert!(!big.filling() && big.inserted() == 100_000);
}

#[test]
fn the_reader_acts_and_the_stream_waits_for_them() {
    let mut model = bloom(&[("variant", "counting")]);
    steps(&mut model, 250);
    model.apply(&Action::Add("alice".into()));
    assert_eq!(model.last().unwrap().verdict, Verdict::Added);
    assert!(model.narrate().starts_with("Added “alice”: its 7 counters went up by one"), "{}", model.narrate());
    for _ in 1..HOLD_TICKS {
        model.step();
        assert_eq!(model.last().unwrap().item, "alice");
    }
    model.step();
    assert!(model.last().unwrap().item.starts_with("visitor:"));
    model.apply(&Action::Test("alice".into()));
    assert_eq!(model.last().unwrap().verdict, Verdict::Member);
    model.apply(&Action::Remove("alice".into()));
    assert_eq!(model.last().unwrap().verdict, Verdict::Removed);
    assert!(!model.is_member("alice"));
    model.apply(&Action::Test("user:0".into()));
    assert_eq!(model.last().unwrap().verdict, Verdict::Member);
    // "user:00" is another item: only the canonical spelling is the workload's.
    model.apply(&Action::Test("user:00".into()));
    assert_ne!(model.last().unwrap().verdict, Verdict::Member);
    let mut standard = bloom(&[]);
    standard.apply(&Action::Remove("x".into()));
    assert_eq!(standard.last().unwrap().verdict, Verdict::Refused(Refusal::Standard));
    assert!(standard.narrate().contains("cannot delete"));
    let before = standard.clone();
    standard.apply(&Action::Add(String::new()));
    assert_eq!(standard, before, "an empty item does nothing");
}

#[test]
fn removing_an_item_never_added_can_cause_false_negatives() {
    // A small counting filter, full enough that strangers often look present.
    let mut model = bloom(&[("items", "20"), ("fp", "30"), ("variant", "counting")]);
    steps(&mut model, 20);
    let stranger = (0..).map(|i| format!("stranger{i}")).find(|item| model.filter().contains(item)).unwrap();
    model.apply(&Action::Remove(stranger.clone()));
    assert_eq!(model.last().unwrap().verdict, Verdict::RemovedStranger);
    assert!(model.narrate().contains("never added"));
    // Its counts belonged to members; at least one now lost a position to zero.
    let victims: Vec<String> = (0..20).map(|i| format!("user:{i}")).filter(|item| !model.filter().contains(item)).collect();
    let emptied = model.last().unwrap().empty;
    assert_eq!(victims.is_empty(), emptied == 0, "a member can only lose a counter the remove brought to zero");
    if let Some(victim) = victims.first() {
        model.apply(&Action::Test(victim.clone()));
        assert_eq!(model.last().unwrap().verdict, Verdict::FalseNegative);
        assert_eq!(outcome(Verdict::FalseNegative), Outcome::TimedOut);
    }
}

#[test]
fn garbage_links_are_rejected() {
    let long = format!("a{}", "x".repeat(MAX_ITEM_CHARS + 1));
    for text in ["", "a", "x41", "A41", "a%4", "a%zz", "a%41%", "a%c3%28", "a%3a", "aA%41", "a%41", "a hi", "a~", "tuser:1", long.as_str()] {
        assert_eq!(Bloom::decode_action(text), None, "{text:?}");
    }
    assert_eq!(Bloom::decode_action("auser%3A7"), Some(Action::Add("user:7".into())));
    assert_eq!(Bloom::decode_action("r%E2%9C%93"), Some(Action::Remove("✓".into())));
    // Through the timeline's own link format, separators inside items included.
    let mut timeline: Timeline<Bloom> = Timeline::new(Params::defaults(BLOOM_PARAMS), DEFAULT_SEED, 2_000);
    timeline.seek(10);
    timeline.act(Action::Add("a.b~c 12".into()));
    timeline.seek(50);
    timeline.act(Action::Test("a.b~c 12".into()));
    let (actions, skipped) = Timeline::<Bloom>::decode_actions(&timeline.encode_actions());
    assert_eq!((actions.as_slice(), skipped), (timeline.actions(), 0));
    assert_eq!(check_item(&"é".repeat(MAX_ITEM_CHARS)), Ok(()));
    assert!(check_item(&"é".repeat(MAX_ITEM_CHARS + 1)).is_err() && check_item("").is_err());
}

// ---- The stage ---------------------------------------------------------------------------------

/// The data of the stage's three probe paths: the rings, the solid lines, the dashed lines.
fn probe_paths(svg: &str) -> [String; 3] {
    let mut found = svg.split(r#"<path class="pv-path pv-path--1" d=""#).skip(1).map(|rest| rest.split('"').next().unwrap_or("").to_string());
    [(); 3].map(|_| found.next().unwrap_or_default())
}

/// Requests drawn above the legend: the item and the end of each of its lines.
fn moving(svg: &str) -> Vec<(Outcome, f32, f32)> {
    drawn_requests(svg).into_iter().filter(|(_, _, y)| *y < 290.0).collect()
}

#[test]
fn the_poster_shows_the_empty_filter_sized_from_the_preset() {
    let poster = super::poster::poster(&[]).finish();
    assert!(poster.problems.is_empty(), "{:?}", poster.problems);
    assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
    for words in [">An empty standard Bloom filter<", ">1,918 bits, 7 per item; 200 items to add<", ">n = 200, p = 1%: m = 1,918 bits, k = 7<", ">1 cell = 1 bit · dashed line: the bit was 0<", ">0 in · 0 of 1,918 bits set (0%)<", ">false positives: none yet · formula 0%<"] {
        assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
    }
    assert!(moving(&poster.svg).is_empty());
    assert_eq!(drawn_requests(&poster.svg).len(), 5, "the legend's shapes only");
    assert!(aria_label(&poster.svg).starts_with("A standard Bloom filter of 1,918 bits, 7 per item, drawn one cell per bit: 0 items in"), "{}", aria_label(&poster.svg));
    let counting = super::poster::poster(&pairs(&[("variant", "counting"), ("items", "5000")])).finish();
    assert!(counting.problems.is_empty() && counting.svg.contains("1 cell = 50 counters"), "{}", counting.svg);
    assert_eq!(super::poster::poster(&pairs(&[("items", "lots"), ("fp", "0"), ("seed", "x")])).finish().svg, poster.svg, "garbage falls back to the defaults");
}

#[test]
fn the_array_is_drawn_a_cell_per_position_while_they_fit() {
    for size in [1, 2, 20, 120, 1_918, 2_040, 2_041, 14_378, 958_506, 1_917_012] {
        let grid = Grid::new(size);
        // The smallest round worth that fits, checked against the next smaller one.
        assert!(grid.cells <= 2_040 && grid.cells * grid.per >= size, "{size}: {grid:?}");
        if let Some(smaller) = round_units().take_while(|per| *per < grid.per).last() {
            assert!(size.div_ceil(smaller) > 2_040, "{size}: {smaller} a cell would have fitted");
        }
        assert!(grid.left >= 8.0 && grid.left + grid.columns as f32 * grid.pitch <= 312.01, "{size}: {grid:?}");
        assert!(grid.top >= 48.0 && grid.top + grid.rows as f32 * grid.pitch <= 218.01, "{size}: {grid:?}");
        let (x, y) = grid.centre(size - 1);
        assert!(x < grid.left + grid.columns as f32 * grid.pitch && y < grid.top + grid.rows as f32 * grid.pitch);
    }
    assert_eq!(Grid::new(1_918).per, 1);
    assert_eq!(Grid::new(2_041).per, 2);
    assert_eq!(Grid::new(1_917_012).per, 1_000);
}

#[test]
fn the_item_points_at_its_cells_and_shows_its_outcome() {
    let mut model = bloom(&[]);
    steps(&mut model, 260);
    for _ in 0..300 {
        let op = model.last().unwrap().clone();
        let sketch = stage(&model).finish();
        assert!(sketch.problems.is_empty(), "{:?}", sketch.problems);
        let shapes = moving(&sketch.svg);
        assert_eq!(shapes.len(), op.positions.len() + 1, "the item and one per line");
        assert!(shapes.iter().all(|(shape, _, _)| *shape == outcome(op.verdict)));
        let [rings, solid, dashed] = probe_paths(&sketch.svg);
        let grid = Grid::new(model.filter().size());
        for position in &op.positions {
            // Worked out here from the layout: the cell's column and row, then its centre.
            let (column, row) = ((position / grid.per % grid.columns) as f32, (position / grid.per / grid.columns) as f32);
            let (x, y) = (grid.left + (column + 0.5) * grid.pitch, grid.top + (row + 0.5) * grid.pitch);
            let r = grid.pitch / 2.0 + 2.0;
            let t = |value: f32| crate::chart::Tenths(f64::from(value));
            assert!(rings.contains(&format!("M{} {}a{}", t(x - r), t(y), t(r))), "no ring around {position} at ({x}, {y}): {rings}");
        }
        // Every line starts at the item; a dashed one is many short segments, only its first there.
        let lines = |d: &str| d.matches("M160 41L").count() as u32;
        assert_eq!(lines(&solid) + lines(&dashed), op.positions.len() as u32);
        assert_eq!(lines(&dashed), op.empty.count_ones(), "a dashed line per clear bit");
        let words = match op.verdict {
            Verdict::FalsePositive => "false positive: all 7 bits set, never added".to_string(),
            Verdict::DefinitelyNot => format!("definitely not in the set: {} of 7 bits are 0", op.empty.count_ones()),
            other => panic!("a fresh item came back {other:?}"),
        };
        assert!(sketch.svg.contains(&format!(">{words}<")) && sketch.svg.contains(&format!(">Test “{}”<", op.item)), "{}", sketch.svg);
        model.step();
    }
}

#[test]
fn counting_cells_carry_their_counts_when_large() {
    let mut model = bloom(&[("items", "3"), ("fp", "10"), ("variant", "counting")]);
    steps(&mut model, 3);
    model.apply(&Action::Add("user:0".into()));
    let grid = Grid::new(model.filter().size());
    assert!(grid.pitch >= 20.0, "{grid:?}");
    let svg = stage(&model).finish().svg;
    // "user:0" went in twice, so each of its counters is at least 2, and written in its cell.
    for position in model.filter().positions("user:0") {
        let count = model.filter().count(position);
        assert!(count >= 2 && svg.contains(&format!(r#"text-anchor="middle">{count}<"#)), "{count}: {svg}");
    }
}

#[test]
fn the_stage_is_a_pure_function_of_the_state() {
    for variant in ["standard", "counting"] {
        let (params, _) = Params::from_pairs(BLOOM_PARAMS, &pairs(&[("variant", variant)]));
        let mut timeline: Timeline<Bloom> = Timeline::new(params, DEFAULT_SEED, 2_000);
        check_stage_is_pure(&mut timeline, 100, |bloom| stage(bloom).finish().svg);
        timeline.act(Action::Add("ü".into()));
        check_stage_is_pure(&mut timeline, 400, |bloom| stage(bloom).finish().svg);
    }
}

#[test]
fn every_extreme_fits_the_canvas_through_a_run() {
    let wide = "界".repeat(MAX_ITEM_CHARS);
    let actions = [Action::Add(wide.clone()), Action::Test(wide.clone()), Action::Remove(wide.clone()), Action::Remove("never".into()), Action::Test("user:0".into()), Action::Add("\u{7}\n".into())];
    for items in ["1", "100000"] {
        for fp in ["0.01", "50"] {
            for variant in ["standard", "counting"] {
                for batch in ["1", "1000"] {
                    let list = [("items", items), ("fp", fp), ("variant", variant), ("batch", batch)];
                    let mut model = bloom(&list);
                    let legend_shapes = legend(model.variant()).iter().map(|row| row.len()).sum::<usize>();
                    for tick in 0..460u64 {
                        if tick % 75 == 7 {
                            model.apply(&actions[(tick / 75) as usize % actions.len()]);
                        }
                        let sketch = stage(&model);
                        assert!(sketch.height() <= 330.0);
                        let drawn = sketch.finish();
                        assert!(drawn.problems.is_empty(), "{list:?} tick {tick}: {:?}", drawn.problems);
                        assert!(!drawn.svg.contains('\u{7}'), "control characters are not drawn");
                        let shapes = drawn_requests(&drawn.svg).len();
                        assert!(tick == 0 || shapes > legend_shapes, "{list:?} tick {tick}: nothing moving");
                        model.step();
                    }
                }
            }
        }
    }
}

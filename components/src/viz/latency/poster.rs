//! The first frame of the tool, drawn at build time (see `viz::poster`): the human-scale
//! sentence, then a handful of operations on the same logarithmic axis the chart uses, for the
//! year shown, with the comparison year's values as markers.

use super::{comparison_for, shared_axis, snapshot_for, Category, Figure, Operation, LATENCY_PARAMS};
use crate::diagram::text::wrap;
use crate::sim::Params;
use crate::viz::poster::{Anchor, Sketch, Tone, WIDTH};

/// One of each kind of wait, from a cache hit to a trip across an ocean: enough to show the
/// nine decades without the sixteen rows of the chart.
const SHOWN: [Operation; 6] = [
    Operation::L1Cache,
    Operation::MainMemory,
    Operation::SsdRandomRead,
    Operation::DatacenterRoundTrip,
    Operation::DiskSeek,
    Operation::IntercontinentalRoundTrip,
];

const LEFT: f32 = 6.0;
const RIGHT: f32 = WIDTH - 6.0;
/// Bars start a little in, so a marker at the axis's low end stays on the canvas.
const PLOT_LEFT: f32 = 10.0;
const PLOT_RIGHT: f32 = WIDTH - 10.0;
const SIZE: f32 = 12.0;
const LINE: f32 = 16.0;
const ROW: f32 = 28.0;
const BAR: f32 = 9.0;

/// The chart's colour for each family (`.latency-bar--cpu` and so on).
fn tone(category: Category) -> Tone {
    Some(match category {
        Category::Cpu => 1,
        Category::Memory => 2,
        Category::Storage => 3,
        Category::Network => 5,
    })
}

/// The operations drawn: the fixed few, plus the one the human scale asks about, in chart order.
fn operations(asked: Operation) -> Vec<Operation> {
    Operation::ALL.into_iter().filter(|operation| SHOWN.contains(operation) || *operation == asked).collect()
}

/// "If an L1 …" → "if an L1 …", so the sentence can follow a semicolon.
fn lowercase_first(sentence: &str) -> String {
    let mut chars = sentence.chars();
    chars.next().map(|first| first.to_lowercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    let (params, _) = Params::from_pairs(LATENCY_PARAMS, pairs);
    let shown = snapshot_for(params.choice("year"));
    let compared = comparison_for(params.choice("vs"), shown);
    let asked = Operation::from_key(params.choice("ask")).unwrap_or(Operation::DiskSeek);
    let axis = shared_axis();
    let x_of = |nanos: f64| PLOT_LEFT + axis.fraction(nanos) as f32 * (PLOT_RIGHT - PLOT_LEFT);

    let rows: Vec<(Operation, &Figure)> = operations(asked).into_iter().filter_map(|operation| shown.figure(operation).map(|figure| (operation, figure))).collect();
    let sentence = wrap(&shown.human_sentence(asked), SIZE, RIGHT - LEFT);
    let rows_top = LINE * sentence.len() as f32 + 8.0;
    // The axis line just under the last bar, its labels under that, then the key.
    let base = rows_top + ROW * rows.len() as f32 + 1.0;
    let axis_y = base + 15.0;
    let height = axis_y + LINE + 6.0;

    let label = format!(
        "Logarithmic bars of {} latencies in {}{}; {}",
        rows.len(),
        shown.year,
        compared.map(|snapshot| format!(", with diamonds where they were in {}", snapshot.year)).unwrap_or_default(),
        lowercase_first(&shown.human_sentence(asked))
    );
    let mut sketch = Sketch::new(height, &label);
    for (index, line) in sentence.iter().enumerate() {
        sketch.text(LEFT, 16.0 + LINE * index as f32, SIZE, Anchor::Start, true, line);
    }

    // The comparison year's diamonds, as the chart marks them, all in one path.
    let mut diamonds = String::new();
    for (index, (operation, figure)) in rows.iter().enumerate() {
        let y = rows_top + ROW * index as f32;
        sketch.text(LEFT, y + 12.0, SIZE, Anchor::Start, false, operation.label());
        sketch.text(RIGHT, y + 12.0, SIZE, Anchor::End, true, &figure.value_label());
        let bar_top = y + 16.0;
        sketch.rect(PLOT_LEFT, bar_top, (x_of(figure.nanos) - PLOT_LEFT).max(1.0), BAR, 2.0, tone(operation.category()));
        if let Some(before) = compared.and_then(|snapshot| snapshot.figure(*operation)) {
            diamonds.push_str(&format!("M{:.1} {:.1}l3.4 4.5-3.4 4.5-3.4-4.5z", x_of(before.nanos), bar_top + BAR / 2.0 - 4.5));
        }
    }
    if !diamonds.is_empty() {
        sketch.path(&diamonds, None);
    }

    // An axis under the bars, ticked and labelled at every third decade (1 ns, 1 µs, 1 ms, 1 s):
    // enough to read a log scale by without grid lines running through the names.
    let mut ticks = format!("M{PLOT_LEFT:.1} {base:.1}H{PLOT_RIGHT:.1}");
    for (nanos, text) in axis.ticks() {
        if nanos.log10().round() as i32 % 3 == 0 {
            let x = x_of(nanos);
            ticks.push_str(&format!("M{x:.1} {base:.1}v3"));
            let anchor = if x < PLOT_LEFT + 12.0 { Anchor::Start } else if x > PLOT_RIGHT - 12.0 { Anchor::End } else { Anchor::Middle };
            sketch.text(x, axis_y, SIZE, anchor, false, &text);
        }
    }
    sketch.path(&ticks, None);
    // The key says which year the bars are, and which the diamonds.
    let key = match compared {
        Some(snapshot) => format!("Bars: {} · ◆ where it was in {}", shown.year, snapshot.year),
        None => shown.title.to_string(),
    };
    sketch.text(LEFT, axis_y + LINE + 2.0, SIZE, Anchor::Start, false, &key);
    sketch
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::pairs;
    use super::super::{format_duration, Snapshot, SourceKind, SNAPSHOTS};
    use crate::diagram::text::text_width;
    use crate::sim::ParamKind;


    fn choices(key: &str) -> &'static [(&'static str, &'static str)] {
        match LATENCY_PARAMS.iter().find(|spec| spec.key == key).map(|spec| spec.kind) {
            Some(ParamKind::Choice(options)) => options,
            _ => panic!("{key} is not a choice"),
        }
    }

    /// The width of each bar drawn, in drawing order.
    fn bar_widths(svg: &str) -> Vec<f32> {
        svg.split("<rect ").skip(1).map(|rect| rect.split("width=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().parse().unwrap()).collect()
    }

    #[test]
    fn the_default_draws_2024_against_2012_from_the_data() {
        let poster = poster(&[]).finish();
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert!(poster.svg.len() < 3_000, "{} bytes", poster.svg.len());
        let year = Snapshot::by_year(2024).unwrap();
        for operation in SHOWN {
            let figure = year.figure(operation).unwrap();
            assert!(poster.svg.contains(&format!(">{}</text>", figure.value_label())), "{operation:?}: {}", poster.svg);
        }
        assert!(poster.svg.contains("in 2012"), "{}", poster.svg);
        // Log scale: the bars grow with the time, and the longest is nowhere near 10⁸ times the shortest.
        let widths = bar_widths(&poster.svg);
        assert_eq!(widths.len(), SHOWN.len());
        assert!(widths[0] < widths[1] && widths[1] < widths[widths.len() - 1], "{widths:?}");
        assert!(widths[widths.len() - 1] / widths[0] < 100.0, "{widths:?}");
    }

    #[test]
    fn values_say_which_are_estimates_and_which_computed() {
        for snapshot in &SNAPSHOTS {
            for figure in snapshot.figures {
                let label = figure.value_label();
                assert!(label.ends_with(&format_duration(figure.nanos)), "{label}");
                assert_eq!(label.starts_with("≈ "), figure.source.kind == SourceKind::Estimate, "{label}");
                assert_eq!(label.starts_with("= "), figure.source.kind == SourceKind::Computed, "{label}");
            }
        }
        // The axis holds every figure of every year, from under a nanosecond to over 100 ms.
        let axis = shared_axis();
        assert!(axis.low <= -1 && axis.high >= 9, "{axis:?}");
    }

    #[test]
    fn another_year_draws_other_figures() {
        let classic = poster(&pairs(&[("year", "2012"), ("vs", "none")])).finish();
        let default = poster(&[]).finish();
        assert_ne!(bar_widths(&classic.svg), bar_widths(&default.svg));
        let disk_seek = Snapshot::by_year(2012).unwrap().figure(Operation::DiskSeek).unwrap();
        assert!(classic.svg.contains(&format_duration(disk_seek.nanos)));
        assert!(classic.svg.contains(Snapshot::by_year(2012).unwrap().title), "the key names the year: {}", classic.svg);
        assert!(!classic.svg.contains("◆") && default.svg.contains("◆ where it was in 2012"), "no comparison, no markers: {}", classic.svg);
        let diamonds = |svg: &str| svg.matches("l3.4 4.5").count();
        assert_eq!(diamonds(&classic.svg), 0);
        assert_eq!(diamonds(&default.svg), SHOWN.len(), "every row has a 2012 figure to mark");
    }

    #[test]
    fn the_operation_asked_about_joins_the_bars() {
        let poster = poster(&pairs(&[("ask", "compress")])).finish();
        assert!(poster.svg.contains(Operation::Compress1Kb.label()), "{}", poster.svg);
        assert_eq!(bar_widths(&poster.svg).len(), SHOWN.len() + 1);
        assert!(poster.svg.contains("compressing 1 KB"), "the sentence asks about it: {}", poster.svg);
    }

    #[test]
    fn every_choice_fits_and_names_never_run_into_values() {
        for (year, _) in choices("year") {
            for (vs, _) in choices("vs") {
                for (ask, _) in choices("ask") {
                    let sketch = poster(&pairs(&[("year", year), ("vs", vs), ("ask", ask)]));
                    assert!(sketch.height() <= 320.0, "{year} {vs} {ask}: {}", sketch.height());
                    let poster = sketch.finish();
                    assert!(poster.problems.is_empty(), "{year} {vs} {ask}: {:?}", poster.problems);
                    assert!(poster.svg.len() < 4_000, "{year} {vs} {ask}: {} bytes", poster.svg.len());
                }
            }
        }
        for snapshot in &SNAPSHOTS {
            for figure in snapshot.figures {
                let used = text_width(figure.operation.label(), SIZE) + text_width(&figure.value_label(), SIZE) + 8.0;
                assert!(used <= RIGHT - LEFT, "{} in {}: {used}", figure.operation.label(), snapshot.year);
            }
        }
    }

    #[test]
    fn garbage_pairs_fall_back_to_the_defaults() {
        let defaults = poster(&[]).finish().svg;
        assert_eq!(poster(&pairs(&[("year", "1999"), ("vs", "x"), ("ask", ""), ("zzz", "1")])).finish().svg, defaults);
    }
}

//! The first frame of the tool, drawn at build time (see `viz::poster`): the race (see
//! [`super::race`]) at its start for the year and question the preset names, so the
//! prerendered picture is the one the app then sets running. The logarithmic chart of every
//! figure follows it on the page.

use super::race::{stage, Race};
use super::{Category, Operation, LATENCY_PARAMS};
use crate::viz::poster::{start, Sketch, Tone};

/// One of each kind of wait, from a cache hit to a trip across an ocean: enough to show the
/// nine decades without the sixteen rows of the chart below the race.
const SHOWN: [Operation; 6] = [
    Operation::L1Cache,
    Operation::MainMemory,
    Operation::SsdRandomRead,
    Operation::DatacenterRoundTrip,
    Operation::DiskSeek,
    Operation::IntercontinentalRoundTrip,
];

/// The chart's colour for each family (`.latency-bar--cpu` and so on); the race's lanes use it too.
pub(super) fn tone(category: Category) -> Tone {
    Some(match category {
        Category::Cpu => 1,
        Category::Memory => 2,
        Category::Storage => 3,
        Category::Network => 5,
    })
}

/// The operations drawn: the fixed few, plus the one the human scale asks about, in chart order.
/// The race runs the same ones, so the poster and the animation tell one story.
pub(super) fn operations(asked: Operation) -> Vec<Operation> {
    Operation::ALL.into_iter().filter(|operation| SHOWN.contains(operation) || *operation == asked).collect()
}

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Race>(LATENCY_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use super::super::{format_duration, shared_axis, SourceKind, SNAPSHOTS};
    use crate::viz::poster::pairs;

    #[test]
    fn the_poster_is_the_race_at_its_start_with_every_lane_waiting() {
        let poster = poster(&pairs(&[("ask", "compress")])).finish();
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 6_000, "{} bytes", poster.svg.len());
        assert!(poster.svg.contains(Operation::Compress1Kb.label()), "the asked operation joins the lanes: {}", poster.svg);
        for operation in SHOWN {
            assert!(poster.svg.contains(operation.label()), "{operation:?}: {}", poster.svg);
        }
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
    fn garbage_pairs_fall_back_to_the_defaults() {
        let defaults = poster(&[]).finish().svg;
        assert_eq!(poster(&pairs(&[("year", "1999"), ("vs", "x"), ("ask", ""), ("zzz", "1")])).finish().svg, defaults);
        assert_ne!(poster(&pairs(&[("year", "2012")])).finish().svg, defaults, "another year times other figures");
    }
}

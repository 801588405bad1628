//! The first frame of the tool, drawn at build time (see `viz::poster`): the picture of the two
//! designs the link describes (their fleets and their storage over time, see
//! [`super::picture`]), which the app then redraws as the reader edits them. The tables of
//! every input and output follow it on the page.

use super::{picture::picture, Scenario};
use crate::viz::poster::Sketch;

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    // The tool reads its designs from the link the same way; anything it cannot read keeps the
    // default (a URL shortener beside a feed).
    let (scenario, _) = Scenario::from_pairs(pairs);
    picture(&scenario)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::pairs;

    #[test]
    fn the_link_changes_the_designs_units_and_inputs() {
        let default = poster(&[]).finish();
        assert!(default.problems.is_empty(), "{:?}", default.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(default.svg.len() < 8_000, "{} bytes", default.svg.len());
        let video = poster(&pairs(&[("a", "video"), ("b", "chat"), ("units", "binary")])).finish();
        assert!(video.problems.is_empty(), "{:?}", video.problems);
        assert!(video.svg.contains("Video service") && video.svg.contains("Chat service"), "{}", video.svg);
        assert!(video.svg.contains("iB"), "binary units: {}", video.svg);
        assert_ne!(poster(&pairs(&[("a.dau", "1000")])).finish().svg, default.svg);
    }

    #[test]
    fn garbage_pairs_fall_back_to_the_defaults() {
        let defaults = poster(&[]).finish().svg;
        assert_eq!(poster(&pairs(&[("a", "nope"), ("b.dau", "-5"), ("units", "furlongs"), ("a.peak", "NaN")])).finish().svg, defaults);
    }
}

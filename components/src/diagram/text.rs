//! Conservative text measurement, so the build can tell whether a label fits without a browser.
//!
//! Widths are the widest advance, per character, of DejaVu Sans and Liberation Sans in regular
//! and bold (measured from the font files): the fonts a Linux browser falls back to for
//! `system-ui`, and wider than the system fonts of macOS and Windows. The browser suite checks
//! the real rendering with `getBBox`.

/// Advance widths in thousandths of an em for ASCII 32..=126.
const ASCII_WIDTHS: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696,
    696, 696, 696, 400, 400, 838, 838, 838, 611, 1015, 774, 762, 734, 830, 683, 683, 821, 837, 372, 556, 775, 637, 995,
    837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 556, 500, 675, 716, 593, 716,
    678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712,
    365, 712, 838,
];

/// Anything outside ASCII (×, →, é, …) is assumed to be a full em wide.
const OTHER_WIDTH: u16 = 1000;

/// Estimated width in pixels of `text` set at `font_size` pixels.
pub fn text_width(text: &str, font_size: f32) -> f32 {
    let thousandths: u32 = text
        .chars()
        .map(|ch| {
            let code = ch as u32;
            if (32..=126).contains(&code) {
                u32::from(ASCII_WIDTHS[(code - 32) as usize])
            } else {
                u32::from(OTHER_WIDTH)
            }
        })
        .sum();
    thousandths as f32 * font_size / 1000.0
}

/// Greedy word wrap into lines no wider than `max_width`. A single word wider than the line
/// stays on its own line; the caller's lint reports it.
pub fn wrap(text: &str, font_size: f32, max_width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if line.is_empty() || text_width(&candidate, font_size) <= max_width {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_letters_measure_wider_than_narrow_ones() {
        assert!(text_width("WWWW", 14.0) > text_width("iiii", 14.0) * 2.0);
        assert_eq!(text_width("", 14.0), 0.0);
        // "M" in DejaVu Sans Bold is just under an em.
        assert!((text_width("M", 10.0) - 9.95).abs() < 0.01);
    }

    #[test]
    fn wraps_at_word_boundaries_within_the_width() {
        let lines = wrap("Authorization server issues tokens", 14.0, 130.0);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(text_width(line, 14.0) <= 130.0 || !line.contains(' '), "{line}");
        }
        assert_eq!(lines.join(" "), "Authorization server issues tokens");
    }

    #[test]
    fn explicit_newlines_break_lines() {
        assert_eq!(wrap("a\nb", 14.0, 500.0), ["a", "b"]);
    }
}

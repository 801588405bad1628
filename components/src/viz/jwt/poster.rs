//! The first frame of the tool, drawn at build time (see `viz::poster`), and the picture the
//! live tool draws of any token (see [`anatomy`]): the example token the
//! page opens with, cut at its dots into header, payload and signature, and what the decoder
//! reads out of each part.

use super::{decode, parse_secret, sample_tokens, verify_hmac, SampleToken, VerificationOutcome};
use crate::diagram::text::text_width;
use crate::viz::poster::{Anchor, Sketch, Tone, WIDTH};

/// The clock the example is made and read with. The page uses the reader's clock, but the
/// picture is the same at any moment (issued now, expiring in 15 minutes), and a fixed one
/// keeps the built page identical from one build to the next.
const NOW: i64 = 1_700_000_000;

/// The parts in the colours decoders traditionally give them (red, purple, blue), each also
/// named in its box.
const PARTS: [(&str, Tone); 3] = [("header", Some(4)), ("payload", Some(5)), ("signature", Some(2))];

const MARGIN: f32 = 6.0;
/// Room between two segments for the dot that separates them in the token.
const DOT_GAP: f32 = 10.0;
const SEGMENT_TOP: f32 = 26.0;
const SEGMENT_HEIGHT: f32 = 28.0;
/// The first characters of each part, under its segment, as the token reads in the text box.
const EXCERPT_Y: f32 = SEGMENT_TOP + SEGMENT_HEIGHT + 16.0;
const ROW_TOP: f32 = EXCERPT_Y + 26.0;
const ROW_STEP: f32 = 22.0;
/// Where the decoded values start, right of the part names.
const VALUE_X: f32 = 96.0;
const SIZE: f32 = 12.0;

pub fn poster(_pairs: &[(String, String)]) -> Sketch {
    // The tool takes no parameters: it always opens on the first example.
    match sample_tokens(NOW).first() {
        Some(sample) => draw(sample),
        None => Sketch::new(40.0, "The JWT decoder."),
    }
}

/// Segment widths for parts of `lengths` characters: each wide enough for its name, the room
/// left shared in proportion to length, so the long payload reads as long.
fn segment_widths(lengths: [usize; 3]) -> [f32; 3] {
    let minimum = PARTS.map(|(name, _)| text_width(name, SIZE) + 12.0);
    let room = (WIDTH - 2.0 * MARGIN - 2.0 * DOT_GAP - minimum.iter().sum::<f32>()).max(0.0);
    let total = lengths.iter().sum::<usize>().max(1) as f32;
    let mut widths = minimum;
    for (width, length) in widths.iter_mut().zip(lengths) {
        *width += room * length as f32 / total;
    }
    widths
}

/// As much of `part` as fits in `width`, with an ellipsis when it is cut.
fn excerpt(part: &str, width: f32) -> String {
    if text_width(part, SIZE) <= width {
        return part.to_string();
    }
    let mut shown = String::new();
    for ch in part.chars() {
        shown.push(ch);
        if text_width(&format!("{shown}…"), SIZE) > width {
            shown.pop();
            break;
        }
    }
    if shown.is_empty() { shown } else { format!("{shown}…") }
}

/// The example as the poster draws it, checked with its own secret.
fn draw(sample: &SampleToken) -> Sketch {
    // The page fills in the example's secret and checks the signature at once.
    let verdict = sample.secret.as_ref().and_then(|(text, encoding)| parse_secret(text, *encoding).ok()).and_then(|secret| decode(&sample.token).ok().map(|jwt| verify_hmac(&jwt, &secret).outcome));
    anatomy(&sample.token, &format!("Example: {}", sample.name), verdict.as_ref(), NOW).unwrap_or_else(|| Sketch::new(40.0, "The JWT decoder."))
}

/// Any token, cut at its dots into its three parts, with what the decoder reads out of each
/// and, when a key has been checked against it, the verdict: the live tool draws the reader's
/// token with it, the poster the first example. `title` names the token at the top ("Example:
/// …", "Your token"). `None` when the token does not decode (the page says why beside the box).
/// Every text is cut to its room: the token and its claims are the reader's, of any length.
pub fn anatomy(token: &str, title: &str, verdict: Option<&VerificationOutcome>, now: i64) -> Option<Sketch> {
    let jwt = decode(token).ok()?;
    let claims = jwt.claims(now);
    let claim = |name: &str| claims.iter().find(|claim| claim.name == name);
    let header = match &jwt.typ {
        Some(typ) => format!("alg {} · typ {typ}", jwt.alg),
        None => format!("alg {}", jwt.alg),
    };
    // What the payload says first on the page: whom it is about and when it stops being valid.
    let mut payload: Vec<String> = Vec::new();
    if let Some(subject) = claim("sub") {
        payload.push(format!("sub {}", subject.value_text));
    }
    if let Some(expiry) = claim("exp") {
        payload.push(format!("exp {}", expiry.relative.clone().unwrap_or_else(|| expiry.value_text.clone())));
    }
    let (signature, signature_words) = match (jwt.signature.len(), verdict) {
        (0, _) => ("empty".to_string(), "is empty".to_string()),
        (bytes, Some(VerificationOutcome::Valid)) => (format!("{bytes} bytes · ✓ valid"), format!("is {bytes} bytes that the key given verifies")),
        (bytes, Some(VerificationOutcome::Invalid)) => (format!("{bytes} bytes · ✗ invalid"), format!("is {bytes} bytes that the key given does not verify")),
        (bytes, _) => (format!("{bytes} bytes"), format!("is {bytes} bytes")),
    };

    let mut rows: Vec<(usize, String)> = vec![(0, header)];
    rows.extend(payload.iter().map(|line| (1, line.clone())));
    rows.push((2, signature));
    let height = ROW_TOP + ROW_STEP * (rows.len() as f32 - 1.0) + 12.0;
    let label = format!(
        "{title}, cut at its dots into header, payload and signature: the header names {}{}, and the signature {signature_words}.",
        jwt.alg,
        if payload.is_empty() { String::new() } else { format!(", the payload says {}", payload.join(" and ")) },
    );
    let mut sketch = Sketch::new(height, &label);
    sketch.text(MARGIN, 16.0, SIZE, Anchor::Start, false, &excerpt(title, WIDTH - 2.0 * MARGIN));

    let parts: Vec<&str> = token.trim().split('.').collect();
    let mut lengths = [0usize; 3];
    for (slot, part) in lengths.iter_mut().zip(&parts) {
        *slot = part.len();
    }
    let mut x = MARGIN;
    for (index, (width, (name, tone))) in segment_widths(lengths).into_iter().zip(PARTS).enumerate() {
        if index > 0 {
            sketch.text(x - DOT_GAP / 2.0, SEGMENT_TOP + SEGMENT_HEIGHT - 4.0, 16.0, Anchor::Middle, true, ".");
        }
        sketch.labelled_box(x, SEGMENT_TOP, width, SEGMENT_HEIGHT, tone, SIZE, name);
        let excerpt = excerpt(parts.get(index).copied().unwrap_or(""), width);
        if !excerpt.is_empty() {
            sketch.text(x, EXCERPT_Y, SIZE, Anchor::Start, false, &excerpt);
        }
        x += width + DOT_GAP;
    }

    for (row, (part, text)) in rows.iter().enumerate() {
        let y = ROW_TOP + ROW_STEP * row as f32;
        let (name, tone) = PARTS[*part];
        // The part's name once, at its first row; its colour on every row.
        if row == 0 || rows[row - 1].0 != *part {
            sketch.text(MARGIN + 14.0, y, SIZE, Anchor::Start, false, name);
        }
        sketch.circle(MARGIN + 4.0, y - 4.0, 4.0, tone);
        sketch.text(VALUE_X, y, SIZE, Anchor::Start, true, &excerpt(text, WIDTH - MARGIN - VALUE_X));
    }
    Some(sketch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::pairs;


    #[test]
    fn the_default_shows_the_first_example_as_the_decoder_reads_it() {
        let sample = &sample_tokens(NOW)[0];
        let jwt = decode(&sample.token).unwrap();
        let poster = poster(&[]).finish();
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert!(poster.svg.len() < 3_000, "{} bytes", poster.svg.len());
        for name in ["header", "payload", "signature"] {
            assert!(poster.svg.contains(&format!(">{name}</text>")), "{name} is not labelled: {}", poster.svg);
        }
        assert!(poster.svg.contains(&format!("alg {}", jwt.alg)), "{}", poster.svg);
        // The example is issued at the clock it is read with and lasts 15 minutes.
        assert!(poster.svg.contains("exp in 15 minutes"), "{}", poster.svg);
        assert!(poster.svg.contains(&format!("{} bytes · ✓ valid", jwt.signature.len())), "{}", poster.svg);
    }

    #[test]
    fn every_example_draws_what_its_own_token_says() {
        for sample in sample_tokens(NOW) {
            let jwt = decode(&sample.token).unwrap();
            let poster = draw(&sample).finish();
            assert!(poster.problems.is_empty(), "{}: {:?}", sample.name, poster.problems);
            assert!(poster.svg.contains(&format!("alg {}", jwt.alg)), "{}: {}", sample.name, poster.svg);
            assert_eq!(poster.svg.contains("✓ valid"), sample.name != "alg: none", "{}: {}", sample.name, poster.svg);
        }
        let samples = sample_tokens(NOW);
        let expired = samples.iter().find(|sample| sample.name == "Expired").unwrap();
        assert!(draw(expired).finish().svg.contains("exp 1 hour ago"));
        let unsigned = samples.iter().find(|sample| sample.name == "alg: none").unwrap();
        let svg = draw(unsigned).finish().svg;
        assert!(svg.contains("alg none") && svg.contains(">empty<"), "{svg}");
    }

    #[test]
    fn segments_fit_their_names_and_grow_with_their_part() {
        let widths = segment_widths([36, 250, 43]);
        let total: f32 = widths.iter().sum();
        assert!((total + 2.0 * MARGIN + 2.0 * DOT_GAP - WIDTH).abs() < 0.01, "{widths:?}");
        for ((name, _), width) in PARTS.iter().zip(widths) {
            assert!(width >= text_width(name, SIZE) + 8.0, "{name} does not fit {width}");
        }
        assert!(widths[1] > widths[0] && widths[1] > widths[2], "{widths:?}");
        let longer_header = segment_widths([120, 250, 43]);
        assert!(longer_header[0] > widths[0] && longer_header[1] < widths[1], "{longer_header:?}");
    }

    #[test]
    fn each_segment_shows_the_start_of_its_part() {
        let sample = &sample_tokens(NOW)[0];
        let svg = poster(&[]).finish().svg;
        for part in sample.token.split('.') {
            let start: String = part.chars().take(4).collect();
            assert!(svg.contains(&format!(">{start}")), "{start}: {svg}");
        }
        assert_eq!(excerpt("eyJhbGciOiJIUzI1NiJ9", 1000.0), "eyJhbGciOiJIUzI1NiJ9");
        let cut = excerpt("eyJhbGciOiJIUzI1NiJ9", 50.0);
        assert!(cut.ends_with('…') && text_width(&cut, SIZE) <= 50.0 && cut.len() > 3, "{cut}");
        assert_eq!(excerpt("abc", 1.0), "");
    }

    #[test]
    fn any_token_a_reader_pastes_is_drawn_within_the_canvas_and_as_text() {
        use crate::viz::jwt::{encode_hs, HmacAlg};
        let long = "x".repeat(400);
        let payload = format!(r#"{{"sub":"<script>alert(1)</script>{long}","exp":99999999999}}"#);
        let token = encode_hs(r#"{"alg":"HS256","typ":"JWT"}"#, &payload, HmacAlg::Hs256, b"secret").unwrap();
        for verdict in [None, Some(VerificationOutcome::Valid), Some(VerificationOutcome::Invalid)] {
            let poster = anatomy(&token, &format!("Your token {long}"), verdict.as_ref(), NOW).unwrap().finish();
            assert!(poster.problems.is_empty(), "{:?}", poster.problems);
            assert!(!poster.svg.contains("<script>") && poster.svg.contains("&lt;script&gt;"), "the reader's text stays text: {}", poster.svg);
            assert!(poster.svg.contains("sub &lt;script&gt;") && poster.svg.contains('…'), "a long claim is cut, not dropped: {}", poster.svg);
            assert_eq!(poster.svg.contains("✓ valid"), verdict == Some(VerificationOutcome::Valid));
            assert_eq!(poster.svg.contains("✗ invalid"), verdict == Some(VerificationOutcome::Invalid));
        }
        assert!(anatomy("not a token", "Your token", None, NOW).is_none(), "the page explains a token that does not decode");
    }

    #[test]
    fn garbage_pairs_change_nothing() {
        let defaults = poster(&[]).finish().svg;
        assert_eq!(poster(&pairs(&[("token", "x.y"), ("seed", "-1"), ("", "\u{0}")])).finish().svg, defaults);
    }
}

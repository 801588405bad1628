//! Plain-SVG line charts: scales, "nice" tick values and path data. The app draws them with
//! colours from CSS variables, so charts follow the theme.

/// A linear mapping from data values to pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        // A flat domain would divide by zero; widen it so a constant series sits mid-chart.
        let domain = if (domain.1 - domain.0).abs() < f64::EPSILON { (domain.0 - 1.0, domain.1 + 1.0) } else { domain };
        Self { domain, range }
    }

    pub fn map(&self, value: f64) -> f64 {
        let t = (value - self.domain.0) / (self.domain.1 - self.domain.0);
        self.range.0 + t.clamp(-0.05, 1.05) * (self.range.1 - self.range.0)
    }
}

/// About `count` round tick values covering `min..=max` (1, 2 or 5 times a power of ten apart).
pub fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    if !min.is_finite() || !max.is_finite() || max <= min || count == 0 {
        return vec![if min.is_finite() { min } else { 0.0 }];
    }
    let raw = (max - min) / count as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|step| *step >= raw).unwrap_or(10.0 * power);
    let start = (min / step).ceil() * step;
    let mut ticks = Vec::new();
    let mut value = start;
    while value <= max + step * 1e-9 && ticks.len() < 50 {
        ticks.push(if value.abs() < step * 1e-9 { 0.0 } else { value });
        value += step;
    }
    ticks
}

/// SVG path data for a series; non-finite points break the line instead of poisoning it.
pub fn path(points: &[(f64, f64)], x: Scale, y: Scale) -> String {
    let mut data = String::with_capacity(points.len() * 14);
    let mut pen_down = false;
    for &(px, py) in points {
        if !px.is_finite() || !py.is_finite() {
            pen_down = false;
            continue;
        }
        data.push(if pen_down { 'L' } else { 'M' });
        push_tenths(&mut data, x.map(px));
        data.push(' ');
        push_tenths(&mut data, y.map(py));
        pen_down = true;
    }
    data
}

/// `value` rounded to a tenth, as SVG reads it: `12.3`, `-0.5`, `7` (no `.0`).
///
/// Written by hand on top of `itoa` because `{:.1}` runs Rust's exact float formatter (Grisu,
/// with a bignum fallback), which took a quarter of a playing tool's script time in the browser
/// (cache stampede at 8×, CPU profile, 2026-12-06), and most of the Bloom filter stage's (its
/// cells and probes: 112 of 179 ms a second at 8×, 2026-12-06). Halves round away from zero
/// where `{:.1}` rounds them to even: a twentieth of a pixel either way. Beyond ±10⁹, and for
/// NaN and infinities, it falls back to the formatter.
#[derive(Clone, Copy, Debug)]
pub struct Tenths(pub f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = self.0;
        let tenths = (value * 10.0).round();
        if !tenths.is_finite() || tenths.abs() >= 1e10 {
            return write!(out, "{value:.1}");
        }
        let tenths = tenths as i64;
        if tenths < 0 {
            out.write_str("-")?;
        }
        let magnitude = tenths.unsigned_abs();
        out.write_str(itoa::Buffer::new().format(magnitude / 10))?;
        match (magnitude % 10) as u8 {
            0 => Ok(()),
            fraction => write!(out, ".{}", char::from(b'0' + fraction)),
        }
    }
}

/// Appends [`Tenths`] of `value`.
pub fn push_tenths(out: &mut String, value: f64) {
    use std::fmt::Write;
    let _ = write!(out, "{}", Tenths(value));
}

/// A short label for a tick value: 1.5k, 2M, 0.25.
pub fn short_number(value: f64) -> String {
    let magnitude = value.abs();
    let (scaled, suffix) = if magnitude >= 1e9 {
        (value / 1e9, "G")
    } else if magnitude >= 1e6 {
        (value / 1e6, "M")
    } else if magnitude >= 1e3 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    // Two decimals, or for a small value as many as its first two significant digits need, so
    // ticks of 0.0002 and 0.0004 do not both read "0".
    let decimals = if magnitude > 0.0 && magnitude < 0.01 { (1.0 - magnitude.log10().floor()) as usize } else { 2 };
    let text = if scaled.fract().abs() < 1e-9 { format!("{scaled:.0}") } else { format!("{scaled:.decimals$}") };
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text };
    format!("{text}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tenths_are_written_as_svg_reads_them() {
        let written = |value: f64| {
            let mut out = String::new();
            push_tenths(&mut out, value);
            out
        };
        assert_eq!(written(12.34), "12.3");
        assert_eq!(written(12.36), "12.4");
        assert_eq!(written(7.0), "7");
        assert_eq!(written(6.96), "7");
        assert_eq!(written(-0.5), "-0.5");
        assert_eq!(written(-0.04), "0");
        assert_eq!(written(-1234.56), "-1234.6");
        assert_eq!(written(0.05), "0.1");
        assert_eq!(written(f64::NAN), "NaN");
        assert_eq!(written(1e12), "1000000000000.0");
    }

    proptest! {
        /// Read back, a tenth is within a twentieth of the value, and it agrees with `{:.1}`
        /// except where the value sits on a half (which `{:.1}` rounds to even).
        #[test]
        fn tenths_read_back_within_a_twentieth(value in -1.0e8f64..1.0e8) {
            let mut out = String::new();
            push_tenths(&mut out, value);
            let read: f64 = out.parse().unwrap();
            prop_assert!((read - value).abs() <= 0.05 + value.abs() * 1e-12, "{value} written {out}");
            let standard: f64 = format!("{value:.1}").parse().unwrap();
            let on_a_half = ((value * 10.0).fract().abs() - 0.5).abs() < 1e-6;
            prop_assert!(on_a_half || read == standard, "{value}: {out} against {standard}");
        }
    }

    #[test]
    fn scale_maps_ends_to_ends() {
        let scale = Scale::new((0.0, 10.0), (100.0, 0.0));
        assert_eq!(scale.map(0.0), 100.0);
        assert_eq!(scale.map(10.0), 0.0);
        assert_eq!(scale.map(5.0), 50.0);
        let flat = Scale::new((3.0, 3.0), (0.0, 10.0));
        assert_eq!(flat.map(3.0), 5.0);
    }

    #[test]
    fn small_values_keep_their_significant_digits() {
        assert_eq!(short_number(0.0002), "0.0002");
        assert_eq!(short_number(0.00035), "0.00035");
        assert_eq!(short_number(0.004), "0.004");
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(-0.003), "-0.003");
        assert_eq!(short_number(0.0), "0");
        let ticks: Vec<String> = nice_ticks(0.0, 0.0008, 4).into_iter().map(short_number).collect();
        let mut distinct = ticks.clone();
        distinct.dedup();
        assert_eq!(ticks, distinct, "every tick reads differently: {ticks:?}");
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(nice_ticks(0.0, 10.0, 5), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(nice_ticks(0.0, 1.0, 4), [0.0, 0.5, 1.0]);
        assert_eq!(nice_ticks(0.0, 1000.0, 4), [0.0, 500.0, 1000.0]);
        assert_eq!(nice_ticks(f64::NAN, 1.0, 4), [0.0]);
    }

    #[test]
    fn paths_skip_gaps() {
        let scale = Scale::new((0.0, 1.0), (0.0, 100.0));
        assert_eq!(path(&[(0.0, 0.0), (1.0, 1.0)], scale, scale), "M0 0L100 100");
        assert_eq!(path(&[(0.0, 0.0), (0.5, f64::NAN), (1.0, 1.0)], scale, scale), "M0 0M100 100");
        assert_eq!(path(&[(0.123, 0.5)], scale, scale), "M12.3 50");
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short_number(1500.0), "1.5k");
        assert_eq!(short_number(2_000_000.0), "2M");
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(42.0), "42");
    }
}

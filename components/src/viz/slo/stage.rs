//! The stage: the service, its error budget and its alerts drawn as they stand at the model's
//! current minute. At the top the service's answers stream out to its users, a mark per round
//! number of requests: green dots while it is healthy, red crosses as an incident fails them. In
//! the middle the error budget is a reservoir whose level is the budget left, with a dashed mark
//! where it stood when the latest incident began, so the drain an incident causes reads at a
//! glance. At the bottom is the time before now, with the incidents as shaded spans and each
//! alert's long and short windows as brackets ending at now: a bracket is solid while its window
//! burns faster than the alert's threshold and dashed while it does not, and an alert fires (a
//! filled bar, and the word) only while both are solid.
//!
//! The time axis is logarithmic in the time before now, so the five-minute window and the
//! three-day one are both wide enough to see: a window's bracket keeps its length as time passes,
//! and an incident that ends slides out of the short windows first, which is why those alerts
//! stop soon after the errors do.
//!
//! Everything is read from the model at this minute, so scrubbing, stepping back and a shared
//! link draw the same picture. A mark is the `per`-th request counted from the window's start
//! (the minutes before it ran at the baseline), failed when the failed requests counted so far
//! pass another multiple of `per` inside it, so a mark keeps its place and its outcome from one
//! minute to the next, and the share of red marks is the share of failed requests.

use crate::diagram::text::text_width;
use crate::sim::number::whole_number;
use crate::viz::poster::{first_that_fits, round_units, Anchor, Health, Outcome, Sketch, MIN_FONT};

use super::history::Cumulative;
use super::{format_clock, format_minutes, format_rate, format_share, ppb_to_percent_text, AlertView, Slo, MINUTES_PER_DAY, PPB, WINDOW_MINUTES};

/// The canvas height: the stage and the play controls fit a 360 px phone's first screen.
const HEIGHT: f32 = 322.0;
const LEFT: f32 = 4.0;
const RIGHT: f32 = 316.0;

/// The service and the stream of its answers.
const SERVICE_TOP: f32 = 24.0;
const SERVICE_WIDTH: f32 = 66.0;
const SERVICE_HEIGHT: f32 = 40.0;
const WIRE_Y: f32 = 44.0;
const STREAM_LEFT: f32 = 84.0;
const MARK_PITCH: f32 = 8.0;
/// Two rows of marks, either side of the wire.
const ROWS: [f32; 2] = [WIRE_Y - 7.0, WIRE_Y + 7.0];
const COLUMNS: usize = 27;
/// The marks in the stream; with the legend's two, well under the 80 a stage may draw.
const MARKS: usize = COLUMNS * ROWS.len();
/// A minute's requests take at most this many marks, so the stream shows the last 7 to 17
/// minutes, whatever the rate.
const MARKS_PER_MINUTE: u64 = 8;
const ERRORS_Y: f32 = 80.0;
const LEGEND_Y: f32 = 96.0;

/// The reservoir, and its words on the right.
const TANK_LEFT: f32 = 44.0;
const TANK_WIDTH: f32 = 50.0;
const TANK_TOP: f32 = 108.0;
const TANK_HEIGHT: f32 = 88.0;
const WORDS_LEFT: f32 = 108.0;
const WORDS_TOP: f32 = 114.0;
const LINE: f32 = 16.0;

/// The alerts, a row each, over the time axis.
const ALERTS_TOP: f32 = 204.0;
const ALERT_ROW: f32 = 28.0;
const STRIP_TOP: f32 = 292.0;
const AXIS_Y: f32 = 304.0;
const AXIS_LEFT: f32 = 8.0;
const AXIS_RIGHT: f32 = 312.0;
/// The axis reaches back as far as the longest alert window (3 days).
const AXIS_MINUTES: u64 = WINDOW_MINUTES[WINDOW_MINUTES.len() - 1];
/// The tone of the budget's water, of incidents, and of a firing alert's bar.
const WATER: u8 = 2;
const INCIDENT: u8 = 4;
const FIRING: u8 = 1;

/// The SLO at the model's current minute, on the poster's canvas (see the module notes).
pub fn stage(slo: &Slo) -> Sketch {
    let now = now(slo);
    let per = per_mark(slo);
    let mut sketch = Sketch::new(HEIGHT, &summary(slo, per));
    let config = slo.config();
    let days = config.window_minutes / MINUTES_PER_DAY;
    sketch.text(LEFT, 15.0, 14.0, Anchor::Start, true, &format_clock(now));
    let target = format!("SLO {}% over {days} day{}", ppb_to_percent_text(PPB - config.allowed_ppb.min(PPB)), if days == 1 { "" } else { "s" });
    sketch.text(RIGHT, 15.0, MIN_FONT, Anchor::End, false, &target);

    draw_stream(&mut sketch, slo, per);
    draw_reservoir(&mut sketch, slo);
    // The rows' words in the same form, the fullest that every row has room for.
    let words: Vec<[String; ALERT_TIERS]> = slo.alerts().map(|alert| alert_words(&alert)).collect();
    let room = RIGHT - LEFT - text_width("FIRING", MIN_FONT) - 8.0;
    let tier = (0..ALERT_TIERS).find(|tier| words.iter().all(|row| text_width(&row[*tier], MIN_FONT) <= room)).unwrap_or(ALERT_TIERS - 1);
    for ((index, alert), row) in slo.alerts().enumerate().zip(&words) {
        draw_alert(&mut sketch, slo, &alert, &row[tier], ALERTS_TOP + index as f32 * ALERT_ROW);
    }
    draw_axis(&mut sketch, slo);
    sketch
}

/// The model's minute; its clock stops at the window's end.
fn now(slo: &Slo) -> u64 {
    slo.tick.min(slo.config.window_minutes)
}

/// How many requests one mark stands for: 1, 2, 5, 10, 20, 50… so that a minute's requests take
/// at most [`MARKS_PER_MINUTE`] marks.
fn per_mark(slo: &Slo) -> u64 {
    let per_minute = slo.config.requests_per_second.saturating_mul(60);
    round_units().find(|size| per_minute <= size.saturating_mul(MARKS_PER_MINUTE)).unwrap_or(u64::MAX)
}

/// Whether each of the last [`MARKS`] marks failed, the newest first (see the module notes).
fn stream(slo: &Slo, per: u64) -> Vec<bool> {
    let per_minute = i128::from(slo.config.requests_per_second.saturating_mul(60)).max(1);
    let per = i128::from(per).max(1);
    let cumulative = Cumulative::new(slo);
    // Failed requests among the window's first `requests`, in billionths of a request: the whole
    // minutes before the last of them, then the share of the minute it falls in.
    let failed = |requests: i128| {
        let minute = requests.div_euclid(per_minute);
        let into = requests - minute * per_minute;
        let minute = i64::try_from(minute).unwrap_or(i64::MIN);
        cumulative.at(minute) * per_minute + into * i128::from(slo.error_ppb_at(minute.saturating_add(1)))
    };
    let unit = per * i128::from(PPB);
    let served = (i128::from(now(slo)) * per_minute).div_euclid(per);
    (1..=MARKS as i128)
        .map(|back| {
            let mark = served - back;
            failed((mark + 1) * per).div_euclid(unit) > failed(mark * per).div_euclid(unit)
        })
        .collect()
}

fn draw_stream(sketch: &mut Sketch, slo: &Slo, per: u64) {
    let config = slo.config();
    let error = slo.error_ppb_now();
    let health = if error >= PPB {
        Health::Down
    } else if error > config.allowed_ppb {
        Health::Degraded
    } else {
        Health::Up
    };
    sketch.arrow(LEFT + SERVICE_WIDTH, WIRE_Y, RIGHT, WIRE_Y);
    sketch.component(LEFT, SERVICE_TOP, SERVICE_WIDTH, SERVICE_HEIGHT, health, (error as f64 / PPB as f64) as f32, MIN_FONT, "Service");
    sketch.text(LEFT + SERVICE_WIDTH / 2.0, SERVICE_TOP + SERVICE_HEIGHT - 6.0, MIN_FONT, Anchor::Middle, false, &format!("{}/s", compact(config.requests_per_second)));
    // The marks snake down and up the two rows (top, bottom, bottom, top…), so a steady share
    // of failures is spread over both rows rather than lined up in one.
    for (slot, failed) in stream(slo, per).into_iter().enumerate() {
        let column = slot / ROWS.len();
        let x = STREAM_LEFT + column as f32 * MARK_PITCH;
        sketch.request(x, ROWS[(slot + column) % ROWS.len()], if failed { Outcome::Rejected } else { Outcome::Ok });
    }
    let errors = format!("{}%", ppb_to_percent_text(error));
    let allowed = format!("{}%", ppb_to_percent_text(config.allowed_ppb));
    let words = first_that_fits(&[format!("errors now {errors}; the SLO allows {allowed}"), format!("errors now {errors}, allowed {allowed}"), format!("errors now {errors}")], MIN_FONT, RIGHT - LEFT);
    sketch.text(LEFT, ERRORS_Y, MIN_FONT, Anchor::Start, true, &words);
    let width = sketch.legend_with(LEFT, LEGEND_Y, &[(Outcome::Ok, "answered"), (Outcome::Rejected, "failed")]);
    let count = whole_number(per as f64);
    let unit = first_that_fits(&[format!("1 mark = {count} request{}", if per == 1 { "" } else { "s" }), format!("1 mark = {count}")], MIN_FONT, RIGHT - LEFT - width - 8.0);
    sketch.text(RIGHT, LEGEND_Y, MIN_FONT, Anchor::End, false, &unit);
}

/// The latest incident begun by now: its start, the budget's level then (the share left,
/// negative when overspent already), and whether it is still going on.
fn incident_mark(slo: &Slo) -> Option<(u64, f64, bool)> {
    let now = now(slo);
    let incident = slo.incidents().iter().rev().find(|incident| incident.minutes > 0 && incident.start < now)?;
    let level = slo.budget_points().into_iter().find(|(minute, _)| *minute == incident.start).map(|(_, left)| left)?;
    Some((incident.start, level, incident.end() > now))
}

fn draw_reservoir(sketch: &mut Sketch, slo: &Slo) {
    let config = slo.config();
    let left = slo.budget_remaining();
    sketch.text(TANK_LEFT - 4.0, TANK_TOP + 4.0, MIN_FONT, Anchor::End, false, "100%");
    sketch.text(TANK_LEFT - 4.0, TANK_TOP + TANK_HEIGHT + 4.0, MIN_FONT, Anchor::End, false, "0%");
    sketch.meter(TANK_LEFT, TANK_TOP, TANK_WIDTH, TANK_HEIGHT, left as f32, Some(WATER));
    let mut lines: Vec<(bool, String)> = vec![(true, "Error budget".to_string())];
    let budget = budget_words(slo).0;
    let room = RIGHT - WORDS_LEFT;
    if left < 0.0 {
        lines.push((true, first_that_fits(&[format!("overspent by {} of {budget}", format_share(-left)), format!("overspent by {}", format_share(-left))], MIN_FONT, room)));
        lines.push((false, "the SLO is missed".to_string()));
    } else {
        lines.push((true, first_that_fits(&[format!("{} of {budget} of outage left", format_share(left)), format!("{} of {budget} left", format_share(left))], MIN_FONT, room)));
        let requests = config.budget_requests() * left;
        lines.push((false, first_that_fits(&[format!("= {} failed requests", whole_number(requests)), format!("= {} requests", whole_number(requests)), format!("= {} requests", compact(requests.round() as u64))], MIN_FONT, room)));
    }
    let error = slo.error_ppb_now();
    let burn = format_rate(slo.burn_rate_now());
    if now(slo) >= config.window_minutes {
        let over = if left < 0.0 { vec!["the window is over".to_string()] } else { vec!["the window is over: SLO met".to_string(), "window over: SLO met".to_string()] };
        lines.push((true, first_that_fits(&over, MIN_FONT, room)));
    } else if error == 0 {
        lines.push((false, "no errors: not draining".to_string()));
    } else {
        lines.push((false, first_that_fits(&[format!("draining {burn}× as fast as allowed"), format!("draining at {burn}× burn"), format!("burn {burn}×")], MIN_FONT, room)));
        if let Some(minutes) = empty_in(slo) {
            lines.push((false, first_that_fits(&[format!("empty in {} at this rate", format_minutes(minutes)), format!("empty in {}", format_minutes(minutes))], MIN_FONT, room)));
        } else if left >= 0.0 {
            lines.push((false, first_that_fits(&["at this rate it lasts the window".to_string(), "lasts the window".to_string()], MIN_FONT, room)));
        }
    }
    for (index, (strong, line)) in lines.iter().enumerate() {
        sketch.text(WORDS_LEFT, WORDS_TOP + index as f32 * LINE, MIN_FONT, Anchor::Start, *strong, line);
    }
    if let Some((_, level, going)) = incident_mark(slo) {
        let y = TANK_TOP + TANK_HEIGHT * (1.0 - level.clamp(0.0, 1.0) as f32);
        sketch.line(TANK_LEFT - 3.0, y, TANK_LEFT + TANK_WIDTH + 3.0, y, true);
        let baseline = WORDS_TOP + 5.0 * LINE;
        sketch.line(WORDS_LEFT, baseline - 4.0, WORDS_LEFT + 14.0, baseline - 4.0, true);
        let words = first_that_fits(&level_words(level, going), MIN_FONT, room - 18.0);
        sketch.text(WORDS_LEFT + 18.0, baseline, MIN_FONT, Anchor::Start, false, &words);
    }
}

/// The whole budget as time at total outage, short (`43.2 min`; `0.86 s` under a minute, `36 h`
/// from 100 minutes) and in words for a sentence.
fn budget_words(slo: &Slo) -> (String, String) {
    let minutes = slo.config.budget_minutes();
    if minutes >= 100.0 {
        let long = format_minutes(minutes.round() as u64);
        (long.clone(), long)
    } else if minutes >= 1.0 {
        (format!("{} min", format_rate(minutes)), format!("{} minutes", format_rate(minutes)))
    } else {
        (format!("{} s", format_rate(minutes * 60.0)), format!("{} seconds", format_rate(minutes * 60.0)))
    }
}

/// Minutes until the budget is gone if the errors go on as now, or `None` when it lasts to
/// the window's end (or is gone already).
fn empty_in(slo: &Slo) -> Option<u64> {
    let error = slo.error_ppb_now();
    let budget = slo.budget_ppb();
    if error == 0 || slo.spent_ppb > budget {
        return None;
    }
    let minutes = (budget - slo.spent_ppb) / error + 1;
    (minutes <= slo.config.window_minutes - now(slo)).then_some(minutes)
}

/// Where a moment `ago` minutes before now lies on the axis (logarithmic, see the module notes).
fn ago_x(ago: f64) -> f32 {
    let scale = (AXIS_RIGHT - AXIS_LEFT) as f64 / (1.0 + AXIS_MINUTES as f64).ln();
    AXIS_RIGHT - (scale * (1.0 + ago.clamp(0.0, AXIS_MINUTES as f64)).ln()) as f32
}

/// A burn rate in few characters: whole from 100× up (the thresholds, 14.4, 6 and 1, keep
/// their decimals below it, so a burn just over one reads as over).
fn burn(rate: f64) -> String {
    if rate >= 100.0 && rate.is_finite() {
        format!("{rate:.0}")
    } else {
        format_rate(rate)
    }
}

/// The budget's level when the latest incident began: a share left, or overspent already.
fn level_words(level: f64, going: bool) -> Vec<String> {
    let which = if going { "this" } else { "the last" };
    if level < 0.0 {
        vec![format!("overspent {} before {which} incident", format_share(-level)), format!("overspent {} before it", format_share(-level)), "overspent before it".to_string()]
    } else {
        vec![format!("{} left before {which} incident", format_share(level)), format!("{} before {which} incident", format_share(level)), format!("{} before it", format_share(level))]
    }
}

/// How many forms [`alert_words`] gives.
const ALERT_TIERS: usize = 4;

/// One alert's words in [`ALERT_TIERS`] forms, longest first: its severity and threshold, then
/// the burn over each of its windows.
fn alert_words(alert: &AlertView) -> [String; ALERT_TIERS] {
    let rule = alert.rule;
    let (long, short) = (format_minutes(rule.long_minutes), format_minutes(rule.short_minutes));
    let burns = format!("{long} {}×, {short} {}×", burn(alert.long_burn), burn(alert.short_burn));
    let severity = rule.severity.label();
    let mut capital = severity.chars();
    let severity = capital.next().map(|first| first.to_uppercase().chain(capital).collect::<String>()).unwrap_or_default();
    let threshold = format_rate(rule.burn_rate());
    [format!("{severity} if > {threshold}×: {burns}"), format!("{severity} > {threshold}×: {burns}"), format!("> {threshold}×: {burns}"), burns]
}

fn draw_alert(sketch: &mut Sketch, slo: &Slo, alert: &AlertView, words: &str, top: f32) {
    let rule = alert.rule;
    let state = if alert.state.firing { "FIRING" } else { "quiet" };
    sketch.text(RIGHT, top + 12.0, MIN_FONT, Anchor::End, alert.state.firing, state);
    sketch.text(LEFT, top + 12.0, MIN_FONT, Anchor::Start, false, words);
    let allowed = slo.config.allowed_ppb;
    for (minutes, y) in [(rule.long_minutes, top + 18.0), (rule.short_minutes, top + 24.0)] {
        let from = ago_x(minutes as f64);
        if alert.state.firing && minutes == rule.long_minutes {
            sketch.meter(from, y - 2.5, AXIS_RIGHT - from, 5.0, 1.0, Some(FIRING));
        } else {
            let over = rule.exceeded(slo.sums.sum(minutes), minutes, allowed);
            sketch.line(from, y, AXIS_RIGHT, y, !over);
            sketch.path(&format!("M{from:.1} {:.1}v5M{AXIS_RIGHT:.1} {:.1}v5", y - 2.5, y - 2.5), None);
        }
    }
}

fn draw_axis(sketch: &mut Sketch, slo: &Slo) {
    let now = now(slo);
    let strip = AXIS_Y - STRIP_TOP;
    for incident in slo.incidents().iter().filter(|incident| incident.minutes > 0 && incident.start < now) {
        let (from, to) = ((now - incident.start) as f64, now.saturating_sub(incident.end()) as f64);
        if to >= AXIS_MINUTES as f64 {
            continue;
        }
        // Height on the app chart's log scale: 0.001% errors is a sliver, 100% fills the strip.
        let share = ((incident.error_ppb.max(1) as f64).log10() - 4.0) / 5.0;
        let tall = strip * share.clamp(0.25, 1.0) as f32;
        let (x1, x2) = (ago_x(from), ago_x(to));
        sketch.meter(x1, AXIS_Y - tall, (x2 - x1).max(2.0).min(AXIS_RIGHT - x1), tall, 1.0, Some(INCIDENT));
    }
    sketch.line(AXIS_LEFT, AXIS_Y, AXIS_RIGHT, AXIS_Y, false);
    sketch.line(AXIS_RIGHT, ALERTS_TOP + 14.0, AXIS_RIGHT, AXIS_Y, true);
    let mut ticks = String::new();
    for (minutes, label, anchor) in [(AXIS_MINUTES, "3 days ago", Anchor::Start), (360, "6 h", Anchor::Middle), (60, "1 h", Anchor::Middle), (5, "5 min", Anchor::Middle), (0, "now", Anchor::End)] {
        let x = ago_x(minutes as f64);
        ticks.push_str(&format!("M{x:.1} {AXIS_Y:.1}v4"));
        let x = match anchor {
            Anchor::Start => x.max(LEFT),
            Anchor::End => (x + 4.0).min(RIGHT),
            Anchor::Middle => x,
        };
        sketch.text(x, AXIS_Y + 15.0, MIN_FONT, anchor, false, label);
    }
    sketch.path(&ticks, None);
}

/// 950, 1.2k, 34k, 1.5M, 2.6B: counts in few characters.
fn compact(count: u64) -> String {
    match count {
        0..=999 => count.to_string(),
        1_000..=9_999 => format!("{:.1}k", count as f64 / 1e3),
        10_000..=999_999 => format!("{}k", count / 1_000),
        1_000_000..=999_999_999 => format!("{:.1}M", count as f64 / 1e6),
        _ => format!("{:.1}B", count as f64 / 1e9),
    }
}

/// What the picture shows, in sentences with its numbers, for a screen reader.
fn summary(slo: &Slo, per: u64) -> String {
    let config = slo.config();
    let days = config.window_minutes / MINUTES_PER_DAY;
    let error = slo.error_ppb_now();
    let traffic = if error == 0 {
        "no requests are failing".to_string()
    } else {
        format!("{}% of requests are failing, {} times the rate the SLO allows", ppb_to_percent_text(error), format_rate(slo.burn_rate_now()))
    };
    let left = slo.budget_remaining();
    let budget = budget_words(slo).1;
    let level = if left < 0.0 {
        format!("The error budget of {budget} of total outage is overspent by {}, so the SLO is missed", format_share(-left))
    } else {
        let end = match empty_in(slo) {
            Some(minutes) => format!(", and would be gone in {} at this rate", format_minutes(minutes)),
            None => String::new(),
        };
        format!("{} of the error budget of {budget} of total outage is left{end}", format_share(left))
    };
    let incident = incident_mark(slo).map_or(String::new(), |(start, level, going)| {
        let then = if level < 0.0 { format!("the budget already overspent by {}", format_share(-level)) } else { format!("{} of the budget left", format_share(level)) };
        format!(" {} incident began at {}, with {then}.", if going { "The current" } else { "The last" }, format_clock(start))
    });
    let alerts: Vec<String> = slo
        .alerts()
        .map(|alert| {
            let rule = alert.rule;
            format!(
                "the {} for {}× over {} and {} is {} (burn {}× and {}×)",
                rule.severity.label(),
                format_rate(rule.burn_rate()),
                format_minutes(rule.long_minutes),
                format_minutes(rule.short_minutes),
                if alert.state.firing { "firing" } else { "quiet" },
                burn(alert.long_burn),
                burn(alert.short_burn)
            )
        })
        .collect();
    let over = if now(slo) >= config.window_minutes { " The window is over." } else { "" };
    format!(
        "At {} of a {days}-day window with an SLO of {}%, {traffic}; each mark in the stream stands for {} request{}. {level}.{incident}{over} Alerts: {}.",
        format_clock(now(slo)),
        ppb_to_percent_text(PPB - config.allowed_ppb.min(PPB)),
        whole_number(per as f64),
        if per == 1 { "" } else { "s" },
        alerts.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Params, Simulation, Timeline};
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Poster};
    use crate::viz::slo::{percent_to_ppb, Action, IncidentSpec, SLO_PARAMS, TIMELINE_LIMIT};

    fn inject(minutes: u64, percent: f64) -> Action {
        Action::Inject(IncidentSpec { minutes, error_ppb: percent_to_ppb(percent) })
    }

    /// A month of trouble at the parameters `list`: a 20-minute total outage on day 2, a slow
    /// burn of 0.2% for 5 days, a week at 0.5% that overspends the budget, and a 10% incident
    /// resolved after 100 minutes.
    fn month(list: &[(&str, &str)]) -> Timeline<Slo> {
        let (params, _) = Params::from_pairs(SLO_PARAMS, &pairs(list));
        let actions = vec![(2_100, inject(20, 100.0)), (3_000, inject(5 * MINUTES_PER_DAY, 0.2)), (12_000, inject(7 * MINUTES_PER_DAY, 0.5)), (25_000, inject(600, 10.0)), (25_100, Action::Resolve)];
        Timeline::replay(params, 1, TIMELINE_LIMIT, actions, 0)
    }

    fn at(timeline: &mut Timeline<Slo>, tick: u64) -> Poster {
        timeline.seek(tick);
        stage(timeline.state()).finish()
    }

    /// The stream's marks (not the legend's) by outcome: (answered, failed).
    fn marks(svg: &str) -> (usize, usize) {
        let stream: Vec<Outcome> = drawn_requests(svg).into_iter().filter(|(_, _, y)| *y < ERRORS_Y).map(|(outcome, _, _)| outcome).collect();
        (stream.iter().filter(|outcome| **outcome == Outcome::Ok).count(), stream.iter().filter(|outcome| **outcome == Outcome::Rejected).count())
    }

    /// The height of the water in the reservoir.
    fn water(svg: &str) -> f32 {
        let opening = format!(r#"<rect class="pv-fill pv-fill--{WATER}" x="{TANK_LEFT:.1}""#);
        svg.split(opening.as_str()).nth(1).and_then(|rest| rest.split("height=\"").nth(1)).and_then(|rest| rest.split('"').next()).and_then(|height| height.parse().ok()).unwrap_or(f32::NAN)
    }

    /// The state word an alert's row shows, as drawn at its place.
    fn state_drawn(svg: &str, index: usize, state: &str) -> bool {
        let y = ALERTS_TOP + index as f32 * ALERT_ROW + 12.0;
        svg.contains(&format!(r#"x="{RIGHT:.1}" y="{y:.1}" font-size="12" text-anchor="end">{state}<"#))
    }

    /// Whether an alert's bracket for `minutes` is drawn solid (over its threshold) at `y`.
    fn bracket(svg: &str, minutes: u64, y: f32, solid: bool) -> bool {
        let class = if solid { "pv-line" } else { "pv-line pv-line--dashed" };
        svg.contains(&format!(r#"<line class="{class}" x1="{:.1}" y1="{y:.1}""#, ago_x(minutes as f64)))
    }

    #[test]
    fn every_sampled_minute_of_the_default_month_draws_cleanly() {
        let mut timeline = month(&[]);
        let window = timeline.state().config().window_minutes;
        for tick in (0..=window).step_by(97).chain([window, window + 5]) {
            let drawn = at(&mut timeline, tick);
            assert!(drawn.problems.is_empty(), "minute {tick}: {:?}", drawn.problems);
            assert!(drawn.svg.len() < 16_000, "minute {tick}: {} bytes", drawn.svg.len());
            let glyphs = drawn_requests(&drawn.svg).len();
            assert!(glyphs <= 80 && glyphs == MARKS + 2, "minute {tick}: {glyphs} marks");
            assert!(aria_label(&drawn.svg).starts_with(&format!("At {} of a 30-day window", format_clock(tick.min(window)))), "{}", aria_label(&drawn.svg));
        }
    }

    #[test]
    fn a_mark_is_a_round_number_of_requests_whatever_the_rate() {
        let per = |rate: &str| per_mark(&Slo::new(&Params::from_pairs(SLO_PARAMS, &pairs(&[("rate", rate)])).0, 0));
        // 60, 180, 6,000 and 60 million requests a minute, at most 8 marks a minute.
        assert_eq!(["1", "3", "100", "1000000"].map(per), [10, 50, 1_000, 10_000_000]);
        assert!(stage(&Slo::new(&Params::defaults(SLO_PARAMS), 0)).finish().svg.contains(">1 mark = 1,000 requests<"));
    }

    #[test]
    fn the_reservoir_and_the_alerts_say_what_the_model_says() {
        let mut timeline = month(&[]);
        let mut overspent = false;
        for tick in [0, 2_101, 2_110, 2_125, 2_200, 5_000, 12_500, 20_000, 25_050, 25_200, 40_000] {
            let svg = at(&mut timeline, tick).svg;
            let slo = timeline.state();
            let left = slo.budget_remaining();
            let words = if left < 0.0 { format!(">overspent by {}", format_share(-left)) } else { format!(">{} of 43.2 min left<", format_share(left)) };
            assert!(svg.contains(&words), "minute {tick}: {words} missing");
            overspent |= left < 0.0;
            assert!((water(&svg) - TANK_HEIGHT * left.clamp(0.0, 1.0) as f32).abs() < 0.06, "minute {tick}: water {} for {left}", water(&svg));
            for (index, alert) in slo.alerts().enumerate() {
                let firing = alert.state.firing;
                assert!(state_drawn(&svg, index, if firing { "FIRING" } else { "quiet" }) && !state_drawn(&svg, index, if firing { "quiet" } else { "FIRING" }), "minute {tick}: alert {index}");
                let rule = alert.rule;
                let burns = format!("{} {}×, {} {}×<", format_minutes(rule.long_minutes), burn(alert.long_burn), format_minutes(rule.short_minutes), burn(alert.short_burn));
                assert!(svg.contains(&burns), "minute {tick}: {burns} missing");
            }
        }
        assert!(overspent, "the month overspends its budget");
        assert_eq!(burn(166.666), "167");
        assert_eq!(burn(14.44), "14.44");
    }

    #[test]
    fn the_picture_moves_while_time_passes_and_is_the_same_for_the_same_state() {
        let mut timeline = month(&[]);
        let before = at(&mut timeline, 2_105).svg;
        assert_eq!(before, stage(&timeline.state().clone()).finish().svg, "a pure function of the state");
        let later = at(&mut timeline, 2_106).svg;
        assert_ne!(before, later, "a minute of the outage later");
        assert_ne!(drawn_requests(&before), drawn_requests(&later), "the marks flow on");
        assert_ne!(water(&before), water(&later), "the reservoir drains");
        timeline.step_back();
        assert_eq!(at(&mut timeline, 2_105).svg, before, "stepping back");
        at(&mut timeline, 30_000);
        assert_eq!(at(&mut timeline, 2_105).svg, before, "scrubbing forward and back");
        let link = Timeline::<Slo>::replay(timeline.params().clone(), 7, TIMELINE_LIMIT, timeline.actions().to_vec(), 2_105);
        assert_eq!(stage(link.state()).finish().svg, before, "a shared link");
        assert_ne!(at(&mut timeline, 100).svg, at(&mut timeline, 101).svg, "even a quiet minute moves the clock");
    }

    #[test]
    fn an_incident_turns_the_stream_red_and_fires_the_alerts_the_model_fires() {
        let mut timeline = month(&[]);
        assert_eq!(marks(&at(&mut timeline, 2_099).svg), (MARKS, 0), "all answered before the outage");
        // Ten minutes into a total outage the stream's nine minutes have all failed.
        assert_eq!(marks(&at(&mut timeline, 2_110).svg), (0, MARKS));
        let (answered, failed) = marks(&at(&mut timeline, 2_125).svg);
        assert!(answered > 0 && failed > 0, "five minutes after it the failures flow on ({answered}, {failed})");
        // At 10% errors about one mark in ten fails: 5.4 of 54.
        assert!(matches!(marks(&at(&mut timeline, 25_050).svg), (48 | 49, 5 | 6)), "{:?}", marks(&at(&mut timeline, 25_050).svg));
        for tick in [2_099, 2_101, 2_110, 2_125, 2_200, 5_000, 20_000, 25_050, 25_200, 40_000] {
            let svg = at(&mut timeline, tick).svg;
            let slo = timeline.state();
            let firing = slo.alerts().filter(|alert| alert.state.firing).count();
            assert_eq!(svg.matches(">FIRING<").count(), firing, "minute {tick}");
            assert_eq!(svg.matches(&format!("pv-fill pv-fill--{FIRING}")).count(), firing, "minute {tick}: a bar per firing alert");
        }
        // Five minutes after the outage: the fast page's hour still burns over 14.4× (solid),
        // its five minutes no longer do (dashed), so it has stopped; the others still fire.
        let svg = at(&mut timeline, 2_125).svg;
        assert!(state_drawn(&svg, 0, "quiet") && state_drawn(&svg, 1, "FIRING") && state_drawn(&svg, 2, "FIRING"));
        assert!(bracket(&svg, 60, ALERTS_TOP + 18.0, true) && bracket(&svg, 5, ALERTS_TOP + 24.0, false), "{svg}");
        assert!(aria_label(&svg).contains("the page for 14.4× over 1 h and 5 min is quiet (burn 333× and 0×)"), "{}", aria_label(&svg));
    }

    #[test]
    fn every_parameter_extreme_draws_cleanly() {
        for slo in ["90", "99.999"] {
            for days in ["1", "90"] {
                for rate in ["1", "1000000"] {
                    for base in ["0", "100"] {
                        let list = [("slo", slo), ("days", days), ("rate", rate), ("base", base)];
                        let (params, _) = Params::from_pairs(SLO_PARAMS, &pairs(&list));
                        let window = days.parse::<u64>().unwrap_or(1) * MINUTES_PER_DAY;
                        let actions = vec![(60, inject(30, 100.0)), (window / 2, inject(window / 4, 0.5)), (window / 2 + 90, inject(10, 100.0)), (window / 2 + 95, Action::Resolve)];
                        let mut timeline = Timeline::<Slo>::replay(params, 1, TIMELINE_LIMIT, actions, 0);
                        for tick in (0..=window).step_by((window / 60) as usize).chain([70, window / 2 + 93, window]) {
                            let drawn = at(&mut timeline, tick);
                            assert!(drawn.problems.is_empty(), "{list:?} minute {tick}: {:?}", drawn.problems);
                            assert!(drawn.svg.len() < 16_000 && drawn_requests(&drawn.svg).len() <= 80, "{list:?} minute {tick}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let mut garbage = month(&[("slo", "a lot"), ("days", "-3"), ("rate", "NaN"), ("base", "<b>"), ("seed", "x"), ("zzz", "1")]);
        let mut defaults = month(&[]);
        for tick in [0, 2_110, 20_000] {
            let drawn = at(&mut garbage, tick);
            assert!(drawn.problems.is_empty(), "{:?}", drawn.problems);
            assert_eq!(drawn.svg, at(&mut defaults, tick).svg);
        }
    }

}

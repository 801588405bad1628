//! The stage: the cluster at the current tick, as RaftScope draws it. The servers sit on an
//! ellipse, S1 at the top and the rest clockwise; each box says its name, role and term, with
//! its election timer as a clock filling up as the timeout nears (a leader runs none and is
//! drawn with a second outline; a stopped server is crossed out). Messages travel on the
//! straight line between two boxes, a shape per kind (said in the legend). A split network
//! shows as dashed lines between the servers it keeps apart. Below, each server's log is a row
//! of cells, one column per index so matching entries line up, coloured and labelled by term,
//! with a bar under each entry that server knows to be committed.
//!
//! Everything is read from the model at this tick, so scrubbing, stepping back and a shared link
//! draw the same picture.

use std::fmt::Write;

use crate::diagram::text::text_width;
use crate::viz::poster::{along, first_that_fits, Anchor, Health, Outcome, Sketch, MIN_FONT, WIDTH};

use super::{counted, name, Body, Message, Raft, Role};

pub const HEIGHT: f32 = 330.0;
/// A server's box, and the ellipse their centres sit on.
pub const BOX_W: f32 = 76.0;
pub const BOX_H: f32 = 44.0;
const RX: f32 = 116.0;
const RY: f32 = 66.0;
const CX: f32 = WIDTH / 2.0;
const CY: f32 = 109.0;
/// The legend's baseline, above the top server.
const LEGEND_Y: f32 = 14.0;
/// The logs: a caption, then a row per server.
const CAPTION_Y: f32 = 213.0;
const ROWS_TOP: f32 = 218.0;
const ROW_PITCH: f32 = 16.0;
const CELL_H: f32 = 15.0;
const CELLS_LEFT: f32 = 30.0;
const CELL_PITCH: f32 = 21.0;
const CELL_W: f32 = 19.0;
/// The most messages drawn at once.
pub const MAX_DRAWN: usize = 200;
/// Log cells a row shows: the newest entries, the same indexes in every row.
pub const CELLS: u32 = 13;

/// Seven boxes this size do not fit evenly spaced on the ellipse (two pairs would touch), so
/// seven sit in rows of three, two and two around the same centre, still in a ring.
const SEVEN: [(f32, f32); 7] = [(0.0, -RY), (100.0, -RY), (RX, 0.0), (55.0, RY), (-55.0, RY), (-RX, 0.0), (-100.0, -RY)];

/// Where a server's box is centred: S1 at the top, the rest clockwise.
pub fn server_centre(server: usize, count: usize) -> (f32, f32) {
    if count == SEVEN.len() {
        let (dx, dy) = SEVEN[server % 7];
        return (CX + dx, CY + dy);
    }
    let angle = -std::f32::consts::FRAC_PI_2 + server as f32 * std::f32::consts::TAU / count.max(1) as f32;
    (CX + RX * angle.cos(), CY + RY * angle.sin())
}

/// How a message is drawn, and its name in the legend.
pub fn shape(body: &Body) -> Outcome {
    match body {
        Body::RequestVote { .. } => Outcome::Retried,
        Body::Vote { granted: true, .. } => Outcome::Ok,
        Body::Vote { .. } | Body::Appended { success: false, .. } => Outcome::Rejected,
        Body::Append { entries, .. } if entries.is_empty() => Outcome::InFlight,
        Body::Append { .. } => Outcome::Stale,
        Body::Appended { .. } => Outcome::TimedOut,
    }
}

const LEGEND: [(Outcome, &str); 6] = [(Outcome::Retried, "vote?"), (Outcome::Ok, "yes"), (Outcome::Rejected, "no"), (Outcome::InFlight, "beat"), (Outcome::Stale, "entries"), (Outcome::TimedOut, "ok")];

/// The first log index the rows show: the newest [`CELLS`] entries of the longest log.
pub fn first_shown(model: &Raft) -> u32 {
    let longest = model.servers().iter().map(|server| server.last_index()).max().unwrap_or(0);
    longest.saturating_sub(CELLS - 1).max(1)
}

/// Where a message is now: the share `progress` of the way from the edge of its sender's box
/// to the edge of its receiver's, so it never hides under a box.
pub fn message_point(from: (f32, f32), to: (f32, f32), progress: f32) -> (f32, f32) {
    let (dx, dy) = ((to.0 - from.0).abs(), (to.1 - from.1).abs());
    let exit = |half: f32, span: f32| if span > 0.0 { half / span } else { f32::INFINITY };
    // The share of the centre-to-centre line inside one box, plus a little for the shape.
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let inside = (exit(BOX_W / 2.0, dx).min(exit(BOX_H / 2.0, dy)) + 5.0 / length).min(0.5);
    along(from, to, inside + (1.0 - 2.0 * inside) * progress)
}

/// The cluster at its current tick.
pub fn stage(model: &Raft) -> Sketch {
    let servers = model.servers();
    let count = servers.len();
    let centres: Vec<(f32, f32)> = (0..count).map(|server| server_centre(server, count)).collect();
    let mut sketch = Sketch::new(HEIGHT, &summary(model));
    sketch.legend_with(8.0, LEGEND_Y, &LEGEND);

    // Cut links first, so the boxes drawn over them hide their ends.
    for a in 0..count {
        for b in a + 1..count {
            if !model.linked(a, b) {
                sketch.line(centres[a].0, centres[a].1, centres[b].0, centres[b].1, true);
            }
        }
    }
    draw_status(&mut sketch, model, &centres);
    for (index, server) in servers.iter().enumerate() {
        let (x, y) = (centres[index].0 - BOX_W / 2.0, centres[index].1 - BOX_H / 2.0);
        if server.up && server.role == Role::Leader {
            sketch.rect(x - 3.0, y - 3.0, BOX_W + 6.0, BOX_H + 6.0, 8.0, Some(3));
        }
        let health = if server.up { Health::Up } else { Health::Down };
        sketch.component(x, y, BOX_W, BOX_H, health, 0.0, MIN_FONT, &name(index));
        if let Some(share) = model.timer_share(index) {
            sketch.clock(x + BOX_W - 12.0, y + 12.0, 7.0, share, Some(if server.role == Role::Candidate { 1 } else { 2 }));
        }
        let role = if server.up { server.role.word() } else { "stopped" };
        sketch.text(x + BOX_W / 2.0, y + 29.0, MIN_FONT, Anchor::Middle, false, role);
        let term = first_that_fits(&[format!("term {}", server.term), format!("t{}", server.term)], MIN_FONT, BOX_W - 8.0);
        sketch.text(x + BOX_W / 2.0, y + 41.0, MIN_FONT, Anchor::Middle, false, &term);
    }
    draw_logs(&mut sketch, model);
    // Past a few hundred, more shapes only pile up (a timeout far shorter than the delay sends
    // faster than messages arrive); the oldest are drawn and the label gives the true count.
    for message in model.messages().iter().take(MAX_DRAWN) {
        draw_message(&mut sketch, model, message, &centres);
    }
    sketch
}

fn draw_message(sketch: &mut Sketch, model: &Raft, message: &Message, centres: &[(f32, f32)]) {
    let (Some(from), Some(to)) = (centres.get(usize::from(message.from)), centres.get(usize::from(message.to))) else { return };
    let (x, y) = message_point(*from, *to, model.progress(message));
    sketch.request(x, y, shape(&message.body));
}

/// Who leads and the commit index, in the middle of the ring.
fn draw_status(sketch: &mut Sketch, model: &Raft, centres: &[(f32, f32)]) {
    let servers = model.servers();
    let lead = match model.leader() {
        Some(leader) => {
            let (who, term) = (name(leader), servers[leader].term);
            vec![format!("{who} leads term {term}"), format!("{who} leads, t{term}"), format!("{who} leads")]
        }
        None => match servers.iter().filter(|server| server.up && server.role == Role::Candidate).map(|server| server.term).max() {
            Some(term) => vec![format!("Electing: term {term}"), format!("Electing, t{term}"), "Electing".to_string()],
            None => vec!["No leader yet".to_string(), "No leader".to_string()],
        },
    };
    let committed = model.committed();
    let commit = vec![format!("commit index {committed}"), format!("commit {committed}"), format!("c {committed}")];
    for (baseline, options, strong) in [(CY - 4.0, lead, true), (CY + 12.0, commit, false)] {
        let room = free_width(centres, baseline - MIN_FONT, baseline + 3.0);
        sketch.text(CX, baseline, MIN_FONT, Anchor::Middle, strong, &first_that_fits(&options, MIN_FONT, room));
    }
}

/// The width free around the centre line between `top` and `bottom`, clear of every box.
fn free_width(centres: &[(f32, f32)], top: f32, bottom: f32) -> f32 {
    let half = centres
        .iter()
        .filter(|(_, y)| y - BOX_H / 2.0 - 3.0 < bottom && y + BOX_H / 2.0 + 3.0 > top)
        .map(|(x, _)| (x - CX).abs() - BOX_W / 2.0 - 6.0)
        .fold(140.0f32, f32::min);
    2.0 * half.max(0.0)
}

fn draw_logs(sketch: &mut Sketch, model: &Raft) {
    let first = first_shown(model);
    let longest = model.servers().iter().map(|server| server.last_index()).max().unwrap_or(0);
    // The key: a sample bar, then what it means.
    let key_x = 312.0 - text_width("committed", MIN_FONT);
    sketch.fill(&format!("M{:.1} {:.1}h12v3h-12Z", key_x - 16.0, CAPTION_Y - 4.0), None);
    sketch.text(312.0, CAPTION_Y, MIN_FONT, Anchor::End, false, "committed");
    let caption = if longest == 0 {
        vec!["Logs: empty so far".to_string(), "Logs: empty".to_string()]
    } else {
        let last = longest.min(first + CELLS - 1);
        vec![format!("Logs, entries {first}–{last}, by term"), format!("Logs, entries {first}–{last}"), format!("Entries {first}–{last}")]
    };
    sketch.text(8.0, CAPTION_Y, MIN_FONT, Anchor::Start, true, &first_that_fits(&caption, MIN_FONT, key_x - 26.0));

    // Outlines one path per colour, bars one path: a row of cells is many shapes, redrawn often.
    let mut outlines: [String; 5] = Default::default();
    let mut bars = String::new();
    let mut tracks = String::new();
    let right = CELLS_LEFT + (CELLS - 1) as f32 * CELL_PITCH + CELL_W;
    for (index, server) in model.servers().iter().enumerate() {
        let top = ROWS_TOP + index as f32 * ROW_PITCH;
        sketch.text(8.0, top + 11.0, MIN_FONT, Anchor::Start, server.up, &name(index));
        let _ = write!(tracks, "M{CELLS_LEFT:.1} {:.1}H{right:.1}", top + CELL_H);
        for log_index in first..(first + CELLS).min(server.last_index() + 1) {
            let term = server.term_at(log_index);
            let x = CELLS_LEFT + (log_index - first) as f32 * CELL_PITCH;
            let _ = write!(outlines[(term.max(1) as usize - 1) % 5], "M{x:.1} {top:.1}h{CELL_W}v{CELL_H}h-{CELL_W}Z");
            if log_index <= server.commit {
                let _ = write!(bars, "M{x:.1} {:.1}h{CELL_W}v3h-{CELL_W}Z", top + CELL_H - 3.0);
            }
            let text = term.to_string();
            if text_width(&text, MIN_FONT) <= CELL_W - 2.0 {
                sketch.text(x + CELL_W / 2.0, top + 10.5, MIN_FONT, Anchor::Middle, true, &text);
            }
        }
    }
    sketch.path(&tracks, None);
    for (tone, outline) in outlines.iter().enumerate().filter(|(_, outline)| !outline.is_empty()) {
        sketch.path(outline, Some(tone as u8 + 1));
    }
    if !bars.is_empty() {
        sketch.fill(&bars, None);
    }
}

/// What the picture shows, in words, for a screen reader.
fn summary(model: &Raft) -> String {
    let servers = model.servers();
    let lead = match model.leader() {
        Some(leader) => format!("{} leads term {}", name(leader), servers[leader].term),
        None => match servers.iter().filter(|server| server.up && server.role == Role::Candidate).map(|server| server.term).max() {
            Some(term) => format!("No server leads; an election for term {term} is under way"),
            None => "No server leads yet".to_string(),
        },
    };
    let down: Vec<String> = (0..servers.len()).filter(|server| !servers[*server].up).map(name).collect();
    let down = match down.len() {
        0 => String::new(),
        1 => format!(" {} is stopped.", down[0]),
        _ => format!(" {} are stopped.", down.join(", ")),
    };
    let split = match model.partition() {
        Some(side) => {
            let names = |inside: bool| (0..servers.len()).filter(|server| (side >> server) & 1 == u8::from(inside)).map(name).collect::<Vec<_>>().join(", ");
            format!(" The network is split: {} cannot reach {}.", names(true), names(false))
        }
        None => String::new(),
    };
    let terms: Vec<String> = servers.iter().enumerate().map(|(index, server)| format!("{} term {}, {}, {} committed", name(index), server.term, counted(server.last_index(), "entry"), server.commit)).collect();
    format!(
        "{} Raft servers on a ring. {lead}.{down}{split} The highest commit index is {}; {} in flight. Logs: {}.",
        servers.len(),
        model.committed(),
        counted(model.messages().len() as u32, "message"),
        terms.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::query::DEFAULT_SEED;
    use crate::sim::{Params, Simulation, Timeline};
    use crate::viz::poster::{aria_label, check_stage_is_pure, drawn_requests, pairs};
    use crate::viz::raft::{Action, RAFT_LIMIT, RAFT_PARAMS, RAFT_TICKS_PER_SECOND};

    fn params(list: &[(&str, &str)]) -> Params {
        Params::from_pairs(RAFT_PARAMS, &pairs(list)).0
    }

    fn model(list: &[(&str, &str)], seed: u64) -> Raft {
        Raft::new(&params(list), seed)
    }

    /// The requests drawn for messages: everything below the legend's row.
    fn messages_drawn(svg: &str) -> Vec<(Outcome, f32, f32)> {
        drawn_requests(svg).into_iter().filter(|(_, _, y)| *y > LEGEND_Y + 4.0).collect()
    }

    /// The servers' boxes as drawn, read back from the SVG: `(centre x, centre y)` in order.
    fn boxes(svg: &str) -> Vec<(f32, f32)> {
        let number = |text: &str, key: &str| -> f32 { text.split(&format!(" {key}=\"")).nth(1).and_then(|rest| rest.split('"').next()).and_then(|value| value.parse().ok()).unwrap_or(f32::NAN) };
        svg.split(r#"<g class="pv-part"#)
            .skip(1)
            .map(|part| {
                let rect = part.split("<rect").nth(1).unwrap_or("");
                (number(rect, "x") + number(rect, "width") / 2.0, number(rect, "y") + number(rect, "height") / 2.0)
            })
            .collect()
    }

    #[test]
    fn every_setting_draws_within_its_canvas_through_faults() {
        let extremes: [&[(&str, &str)]; 6] = [
            &[("servers", "3")],
            &[("servers", "7"), ("rate", "10")],
            &[("servers", "4"), ("tmin", "10"), ("tmax", "10"), ("beat", "1000"), ("dmin", "500"), ("dmax", "500"), ("rate", "10")],
            &[("servers", "6"), ("tmin", "10"), ("tmax", "30"), ("beat", "5"), ("dmin", "1"), ("dmax", "40"), ("rate", "10")],
            &[("servers", "7"), ("tmin", "2000"), ("tmax", "2000"), ("beat", "5"), ("dmin", "1"), ("dmax", "1"), ("rate", "0")],
            &[("servers", "many"), ("tmin", "-3"), ("rate", "NaN"), ("seed", "x")],
        ];
        let faults = [(300, Action::Timeout(1)), (700, Action::Stop(0)), (900, Action::Partition(0b0000110)), (1200, Action::Request), (1500, Action::Stop(2)), (1900, Action::Heal), (2200, Action::Restart(0)), (2600, Action::Timeout(2)), (2800, Action::Restart(2))];
        for list in extremes {
            let mut model = model(list, DEFAULT_SEED);
            for tick in 0..4000u64 {
                for (_, action) in faults.iter().filter(|(at, _)| *at == tick) {
                    model.apply(action);
                }
                if tick % 7 == 0 {
                    let drawn = stage(&model).finish();
                    assert!(drawn.problems.is_empty(), "{list:?} tick {tick}: {:?}", drawn.problems);
                    assert!(drawn.svg.len() < 24_000, "{list:?} tick {tick}: {} bytes", drawn.svg.len());
                }
                model.step();
            }
        }
    }

    #[test]
    fn the_first_election_is_seen_within_a_second_and_a_half_of_play_and_messages_keep_flowing() {
        let mut model = model(&[], DEFAULT_SEED);
        let mut seen = None;
        let mut previous = stage(&model).finish().svg;
        while seen.is_none() {
            model.step();
            let svg = stage(&model).finish().svg;
            assert_ne!(svg, previous, "the picture changes every tick (the timers fill) at {}", model.tick());
            if messages_drawn(&svg).len() >= 3 {
                seen = Some(model.tick());
            }
            previous = svg;
        }
        let seconds = seen.unwrap() as f64 / RAFT_TICKS_PER_SECOND;
        assert!(seconds <= 1.2, "three messages only after {seconds} s of play");
        // From the first election on, most ticks show a message on its way.
        let (mut with, mut total) = (0, 0);
        while model.tick() < 6000 {
            model.step();
            total += 1;
            with += usize::from(!messages_drawn(&stage(&model).finish().svg).is_empty());
        }
        assert!(with * 10 >= total * 8, "messages drawn on {with} of {total} ticks");
    }

    #[test]
    fn each_message_is_drawn_by_its_kind_between_its_two_servers() {
        for servers in ["3", "5", "7"] {
            let mut model = model(&[("servers", servers), ("rate", "10")], 5);
            let mut checked = 0;
            for tick in 0..3000u64 {
                if tick == 1500 {
                    model.apply(&Action::Timeout(1));
                }
                model.step();
                if tick % 3 != 0 {
                    continue;
                }
                let svg = stage(&model).finish().svg;
                let centres = boxes(&svg);
                assert_eq!(centres.len(), model.servers().len());
                let drawn = messages_drawn(&svg);
                assert_eq!(drawn.len(), model.messages().len(), "tick {tick}: one shape per message");
                for message in model.messages() {
                    let expected = match &message.body {
                        Body::RequestVote { .. } => Outcome::Retried,
                        Body::Vote { granted, .. } => if *granted { Outcome::Ok } else { Outcome::Rejected },
                        Body::Append { entries, .. } => if entries.is_empty() { Outcome::InFlight } else { Outcome::Stale },
                        Body::Appended { success, .. } => if *success { Outcome::TimedOut } else { Outcome::Rejected },
                    };
                    let (from, to) = (centres[usize::from(message.from)], centres[usize::from(message.to)]);
                    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
                    let length = (dx * dx + dy * dy).sqrt();
                    let progress = model.progress(message);
                    // On the segment, outside both boxes, and nearer the sender while less
                    // than half way.
                    let on_its_way = drawn.iter().any(|(outcome, x, y)| {
                        let along = ((x - from.0) * dx + (y - from.1) * dy) / (length * length);
                        let off = ((x - from.0) * dy - (y - from.1) * dx).abs() / length;
                        let outside = |(cx, cy): (f32, f32)| (x - cx).abs() > BOX_W / 2.0 || (y - cy).abs() > BOX_H / 2.0;
                        *outcome == expected && off < 0.2 && (0.0..=1.0).contains(&along) && outside(from) && outside(to) && ((progress - 0.5).abs() < 0.05 || (along < 0.5) == (progress < 0.5))
                    });
                    assert!(on_its_way, "{servers} servers, tick {tick}: {message:?} not drawn on its way");
                    checked += 1;
                }
            }
            assert!(checked > 1000, "{servers} servers: {checked}");
        }
    }

    #[test]
    fn the_logs_show_every_entry_its_term_and_the_commit_index() {
        // One leader, three commands: every server holds entries 1 to 3 of term 1, committed.
        let mut model = model(&[("rate", "0")], 2);
        while model.leader().is_none() {
            model.step();
        }
        let term = model.servers()[model.leader().unwrap()].term;
        for _ in 0..3 {
            model.apply(&Action::Request);
        }
        for _ in 0..300 {
            model.step();
        }
        let svg = stage(&model).finish().svg;
        assert_eq!(svg.matches(&format!(">{term}</text>")).count(), 15, "{svg}");
        assert_eq!(svg.matches("h19v3h-19Z").count(), 15, "every entry committed everywhere");

        // A long run with a stopped server: rows differ in length and commit index.
        let mut model = self::model(&[("rate", "10")], 4);
        for tick in 0..3000 {
            match tick {
                500 => model.apply(&Action::Stop(3)),
                1800 => model.apply(&Action::Timeout(0)),
                _ => {}
            }
            model.step();
        }
        let servers = model.servers().to_vec();
        let longest = servers.iter().map(|server| server.log.len() as u32).max().unwrap();
        let first = if longest > CELLS { longest - CELLS + 1 } else { 1 };
        let shown = |upto: u32| upto.saturating_sub(first - 1).min(CELLS) as usize;
        let cells: usize = servers.iter().map(|server| shown(server.log.len() as u32)).sum();
        let bars: usize = servers.iter().map(|server| shown(server.commit)).sum();
        let svg = stage(&model).finish().svg;
        assert!(longest > 20 && servers[3].log.len() < servers[0].log.len(), "the run needs long, uneven logs");
        assert_eq!(svg.matches("h19v15h-19Z").count(), cells);
        assert_eq!(svg.matches("h19v3h-19Z").count(), bars);
        assert!(svg.contains(&format!("entries {first}–{}", first + CELLS - 1)), "{svg}");
        model.step();
        assert!(stage(&model).finish().problems.is_empty());
    }

    #[test]
    fn stopped_servers_splits_and_leaders_are_drawn_and_said() {
        let mut model = model(&[], DEFAULT_SEED);
        for _ in 0..1000 {
            model.step();
        }
        // The test's own reading of who leads: the running leader of the highest term.
        let leader = (0..5).filter(|server| model.servers()[*server].up && model.servers()[*server].role == Role::Leader).max_by_key(|server| model.servers()[*server].term).expect("a leader");
        let svg = stage(&model).finish().svg;
        let label = aria_label(&svg).to_string();
        assert!(label.starts_with("5 Raft servers"), "{label}");
        assert!(label.contains(&format!("S{} leads term {}", leader + 1, model.servers()[leader].term)), "{label}");
        let commit = model.servers().iter().map(|server| server.commit).max().unwrap();
        assert!(label.contains(&format!("highest commit index is {commit}")), "{label}");
        assert_eq!(svg.matches("pv-box--3").count(), 1, "one leader outline");

        let follower = (leader + 1) % 5;
        model.apply(&Action::Stop(follower as u8));
        model.apply(&Action::Partition(0b00011));
        let svg = stage(&model).finish().svg;
        assert_eq!(svg.matches("pv-part--down").count(), 1);
        assert_eq!(svg.matches("pv-line--dashed").count(), 6, "2 × 3 links cut");
        let label = aria_label(&svg);
        assert!(label.contains(&format!(" S{} is stopped.", follower + 1)), "{label}");
        assert!(label.contains("The network is split: S1, S2 cannot reach S3, S4, S5."), "{label}");
        model.apply(&Action::Heal);
        assert_eq!(stage(&model).finish().svg.matches("pv-line--dashed").count(), 0);
    }

    #[test]
    fn the_stage_is_a_pure_function_of_the_run() {
        let mut timeline = Timeline::<Raft>::new(params(&[]), DEFAULT_SEED, RAFT_LIMIT);
        for (at, action) in [(600, Action::Request), (800, Action::Timeout(2)), (1100, Action::Stop(4)), (1300, Action::Partition(0b00001)), (1500, Action::Heal), (1600, Action::Drop(3))] {
            timeline.seek(at);
            timeline.act(action);
        }
        // Just as a leader sends its heartbeats, so messages are in flight for the next 20 ticks.
        timeline.seek(1700);
        while !timeline.state().messages().iter().any(|message| message.sent == timeline.tick() && matches!(message.body, Body::Append { .. })) {
            timeline.step_forward();
        }
        let from = timeline.tick();
        check_stage_is_pure(&mut timeline, from, |model| stage(model).finish().svg);
    }
}

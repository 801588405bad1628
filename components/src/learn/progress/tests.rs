use super::*;
use proptest::prelude::*;

const NOW: i64 = 1_796_644_800;

fn sample() -> Progress {
    let mut progress = Progress::default();
    progress.mark_read("/patterns/thundering-herd/", NOW);
    progress.mark_tool_used("cache-stampede", NOW + 5);
    progress.record_answer("foundations/peak-qps", true, NOW + 10);
    progress.record_answer("pattern/thundering-herd/1", false, NOW + 20);
    progress.record_score("foundations", 13, 15, NOW + 30);
    progress
}

#[test]
fn a_progress_survives_its_own_text() {
    let progress = sample();
    let text = progress.to_text();
    assert!(text.starts_with("atlas-progress 1\nread /patterns/thundering-herd/ 1796644800\n"), "{text}");
    let back = parse(&text).unwrap();
    assert_eq!(back.to_text(), text, "a second round changes nothing");
    assert_eq!((&back.read, &back.tools, &back.answers, &back.scores), (&progress.read, &progress.tools, &progress.answers, &progress.scores));
    // Stability and difficulty are kept in thousandths.
    let (stored, original) = (&back.cards["foundations/peak-qps"], &progress.cards["foundations/peak-qps"]);
    assert!((stored.stability - original.stability).abs() <= 0.0005 && stored.due == original.due);
}

#[test]
fn a_foreign_or_broken_value_is_refused_with_the_line_at_fault() {
    let not_ours = parse("{\"theme\":\"dark\"}").unwrap_err();
    assert_eq!(not_ours.line, 1);
    assert!(not_ours.message.contains("not a System Design Atlas progress file"));
    let newer = parse("atlas-progress 2\nread / 1\n").unwrap_err();
    assert!(newer.message.contains("another version"), "{newer}");
    let broken = parse("atlas-progress 1\nread / 1\nanswer q 12 yes\n").unwrap_err();
    assert_eq!(broken.line, 3);
    assert!(broken.message.contains("1 (right) or 0 (wrong)"));
    let truncated = parse("atlas-progress 1\ncard q 1 2.5\n").unwrap_err();
    assert!(truncated.message.contains("10"), "{truncated}");
    assert!(parse("atlas-progress 1\nscore m 16 15 1\n").is_err(), "more right than asked");
    assert!(parse("atlas-progress 1\nread /a\u{7}b 1\n").is_err(), "control characters");
}

#[test]
fn a_record_from_a_newer_site_is_kept_as_it_is() {
    let text = "atlas-progress 1\nread / 5\nbadge streak-7 1796644800\n";
    let progress = parse(text).unwrap();
    assert_eq!(progress.unknown, vec!["badge streak-7 1796644800".to_string()]);
    assert!(progress.to_text().ends_with("badge streak-7 1796644800\n"));
}

#[test]
fn review_and_mistakes_come_from_the_answers() {
    let progress = sample();
    assert!(progress.due(NOW).is_empty(), "nothing is due the moment it is answered");
    let later = NOW + 60 * super::super::review::DAY;
    assert_eq!(progress.due(later).len(), 2);
    assert_eq!(progress.due(later)[0], "pattern/thundering-herd/1", "the wrong one comes back first");
    assert_eq!(progress.last_wrong(), vec!["pattern/thundering-herd/1"]);
    let mut fixed = progress.clone();
    fixed.record_answer("pattern/thundering-herd/1", true, NOW + 100);
    assert!(fixed.last_wrong().is_empty(), "answered right since");
}

#[test]
fn an_import_adds_to_what_is_there_and_loses_nothing() {
    let mut here = sample();
    let mut there = Progress::default();
    there.mark_read("/patterns/thundering-herd/", NOW - 100);
    there.mark_read("/modules/networking/", NOW);
    there.record_score("networking", 9, 15, NOW);
    here.merge(there.clone());
    assert_eq!(here.read["/patterns/thundering-herd/"], NOW - 100, "the first read is the earlier one");
    assert!(here.read.contains_key("/modules/networking/"));
    assert_eq!(here.scores.len(), 2);
    let again = here.clone();
    here.merge(there);
    assert_eq!(here, again, "importing the same file twice changes nothing");
}

#[test]
fn the_best_score_is_the_highest_share() {
    let mut progress = sample();
    progress.record_score("foundations", 15, 15, NOW + 40);
    progress.record_score("foundations", 10, 15, NOW + 50);
    assert_eq!(progress.best_score("foundations").map(|score| score.right), Some(15));
    assert_eq!(progress.best_score("cloud"), None);
}

#[test]
fn each_question_keeps_its_latest_answers() {
    let mut progress = Progress::default();
    for at in 0..(MAX_ANSWERS_PER_QUESTION as i64 + 5) {
        progress.record_answer("q", at % 2 == 0, NOW + at);
    }
    let answers = &progress.answers["q"];
    assert_eq!(answers.len(), MAX_ANSWERS_PER_QUESTION);
    assert_eq!(answers.last().map(|answer| answer.at), Some(NOW + MAX_ANSWERS_PER_QUESTION as i64 + 4));
}

#[test]
fn line_edits_start_only_on_a_progress_value() {
    assert_eq!(lines::start(None).as_deref(), Some("atlas-progress 1\n"));
    assert_eq!(lines::start(Some(String::new())).as_deref(), Some("atlas-progress 1\n"));
    assert_eq!(lines::start(Some("atlas-progress 1\nread / 1\n".into())).as_deref(), Some("atlas-progress 1\nread / 1\n"));
    assert_eq!(lines::start(Some("atlas-progress 12\n".into())), None, "another version is not edited");
    assert_eq!(lines::start(Some("{\"x\":1}".into())), None);
}

#[test]
fn a_page_is_marked_read_once() {
    let mut text = lines::start(None).unwrap();
    assert!(lines::mark(&mut text, "read", "/patterns/", NOW));
    assert!(!lines::mark(&mut text, "read", "/patterns/", NOW + 5));
    assert!(lines::mark(&mut text, "read", "/patterns/x/", NOW + 5), "a longer route is another route");
    assert!(!lines::mark(&mut text, "read", "has space", NOW));
    assert_eq!(parse(&text).unwrap().read.len(), 2);
}

proptest! {
    #[test]
    fn parsing_anything_never_panics(text in "\\PC{0,300}") {
        let _ = parse(&text);
        let _ = parse(&format!("{HEADER}\n{text}"));
    }

    #[test]
    fn editing_lines_agrees_with_the_full_model(events in proptest::collection::vec((0u8..3, "[a-c]", any::<bool>(), 0i64..200), 0..30)) {
        let mut text = lines::start(None).unwrap();
        let mut model = Progress::default();
        let mut now = NOW;
        for (kind, name, flag, gap) in events {
            now += gap * 3_600;
            let id = format!("m/{name}");
            match kind {
                0 => { lines::mark(&mut text, "read", &format!("/{name}/"), now); model.mark_read(&format!("/{name}/"), now); }
                1 => { lines::mark(&mut text, "tool", &name, now); model.mark_tool_used(&name, now); }
                _ => { lines::answer(&mut text, &id, flag, now); model.record_answer(&id, flag, now); }
            }
        }
        let read = parse(&text).unwrap();
        prop_assert_eq!(&read.read, &model.read);
        prop_assert_eq!(&read.tools, &model.tools);
        prop_assert_eq!(&read.answers, &model.answers);
        for (id, card) in &read.cards {
            let other = &model.cards[id];
            prop_assert_eq!((card.reps, card.lapses, card.state), (other.reps, other.lapses, other.state));
            // Thousandths of stability can move a due date by at most a day's rounding.
            prop_assert!((card.due - other.due).abs() <= 86_400, "{} vs {}", card.due, other.due);
        }
        for later in [0, 1, 3, 10, 100] {
            let at = now + later * 86_400;
            prop_assert_eq!(lines::due_count(&text, at), read.due(at).len());
        }
    }

    #[test]
    fn any_recorded_history_round_trips(events in proptest::collection::vec((0u8..5, "[a-z/-]{1,20}", any::<bool>(), 0i64..1_000_000), 0..40)) {
        let mut progress = Progress::default();
        for (kind, name, flag, offset) in events {
            let now = NOW + offset;
            match kind {
                0 => { progress.mark_read(&name, now); }
                1 => { progress.mark_tool_used(&name, now); }
                2 => { progress.record_answer(&name, flag, now); }
                3 => { progress.record_score(&name, u32::from(flag) * 7, 15, now); }
                _ => { progress.record_answer(&name, !flag, now + 1); }
            }
        }
        let text = progress.to_text();
        let back = parse(&text).unwrap();
        prop_assert_eq!(back.to_text(), text);
    }
}

#[test]
fn line_queries_read_what_the_full_model_reads() {
    let mut progress = sample();
    progress.record_score("foundations", 15, 15, NOW + 40);
    progress.record_score("foundations", 10, 15, NOW + 50);
    let text = progress.to_text();
    assert!(text.starts_with(&lines::start(None).unwrap()), "the line edits start with the same header");
    let best = progress.best_score("foundations").unwrap();
    assert_eq!(lines::best_score(&text, "foundations"), Some((best.right, best.total)));
    assert_eq!(lines::best_score(&text, "cloud"), None);
    assert!(lines::has(&text, "read", "/patterns/thundering-herd/"));
    assert!(!lines::has(&text, "read", "/patterns/"));
}

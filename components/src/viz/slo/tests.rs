//! Budgets and alert times worked out by hand, the properties the model promises (as
//! proptests), and the harness contracts: determinism, stepping, URL round trips.

use proptest::prelude::*;

use super::schedule::{with_action, with_params, with_preset, without_action};
use super::*;
use crate::sim::Timeline;

fn params(settings: &[(&str, &str)]) -> Params {
    let mut params = Params::defaults(SLO_PARAMS);
    for (key, value) in settings {
        params.set_text(key, value).expect("test settings are valid");
    }
    params
}

fn slo(settings: &[(&str, &str)]) -> Slo {
    Slo::new(&params(settings), 0)
}

fn run_until(slo: &mut Slo, minute: u64) {
    while slo.tick() < minute {
        slo.step();
    }
}

fn inject(minutes: u64, percent: f64) -> Action {
    Action::Inject(IncidentSpec { minutes, error_ppb: percent_to_ppb(percent) })
}

/// The first whole minute `k` of a steady burn at `burn`× for which a window of `window`
/// minutes holding `k` such minutes burns faster than `threshold`: `k / window × burn > threshold`.
fn first_minute_above(burn: f64, window: f64, threshold: f64) -> u64 {
    (threshold * window / burn).floor() as u64 + 1
}

fn first_firing(slo: &Slo, rule: usize) -> Option<Firing> {
    slo.alerts().nth(rule).and_then(|alert| alert.state.firings.first().copied())
}

// ---------------------------------------------------------------- budgets, worked by hand

#[test]
fn the_budget_is_window_times_allowed_errors() {
    // 99.9% over 30 days: 0.001 × 43,200 minutes = 43.2 minutes of total outage.
    let default = slo(&[]);
    assert!((default.config().budget_minutes() - 43.2).abs() < 1e-12);
    // At 100 requests per second that is 43.2 × 60 × 100 = 259,200 failed requests.
    assert!((default.config().budget_requests() - 259_200.0).abs() < 1e-6);
    assert_eq!(default.config().allowed_ppb, 1_000_000);
    // 99.99% over 28 days: 0.0001 × 40,320 = 4.032 minutes.
    let strict = slo(&[("slo", "99.99"), ("days", "28")]);
    assert!((strict.config().budget_minutes() - 4.032).abs() < 1e-12);
    // 99.999% allows 10 ppm, 90% allows 10%.
    assert_eq!(slo(&[("slo", "99.999")]).config().allowed_ppb, 10_000);
    assert_eq!(slo(&[("slo", "90")]).config().allowed_ppb, 100_000_000);
}

#[test]
fn a_full_outage_spends_one_minute_of_budget_per_minute() {
    let mut model = slo(&[]);
    model.apply(&inject(10, 100.0));
    run_until(&mut model, 10);
    // 10 of 43.2 minutes: 23.148…% spent.
    assert!((model.budget_spent() - 10.0 / 43.2).abs() < 1e-12);
    assert!((model.budget_remaining_minutes() - 33.2).abs() < 1e-9);
    assert!((model.failed_requests() - 10.0 * 60.0 * 100.0).abs() < 1e-6);
    run_until(&mut model, 100);
    assert!((model.budget_spent() - 10.0 / 43.2).abs() < 1e-12, "nothing more after the incident");
}

#[test]
fn overspending_shows_as_a_negative_budget() {
    // 0.5% errors for 7 days at 99.9%: 10,080 × 0.005 = 50.4 outage-minutes of 43.2.
    let mut model = slo(&[]);
    model.apply(&inject(7 * MINUTES_PER_DAY, 0.5));
    run_until(&mut model, 8 * MINUTES_PER_DAY);
    let expected = 1.0 - 50.4 / 43.2;
    assert!((model.budget_remaining() - expected).abs() < 1e-12, "{}", model.budget_remaining());
    assert!(model.budget_remaining() < 0.0);
    assert_eq!(model.budget_points().last().map(|point| point.1), Some(model.budget_remaining()));
    assert!(model.narrate().contains("overspent by 16.7%"), "{}", model.narrate());
}

// ---------------------------------------------------------------- alerts, worked by hand

#[test]
fn a_full_outage_pages_after_one_minute() {
    // At 100% errors and 99.9% the burn rate is 1000×. The 1 h window holds k minutes of it,
    // a burn of k / 60 × 1000, which passes 14.4 once k > 0.864: at the first minute. The
    // 5 min window (k / 5 × 1000) is past it already.
    assert_eq!(first_minute_above(1000.0, 60.0, 14.4), 1);
    assert_eq!(first_minute_above(1000.0, 5.0, 14.4), 1);
    let mut model = slo(&[]);
    model.apply(&inject(60, 100.0));
    run_until(&mut model, 60);
    let page = first_firing(&model, 0).expect("the fast page fires");
    assert_eq!((page.at, page.delay_minutes, page.incident), (1, Some(1), Some(0)));
    assert!((page.budget_spent - 1.0 / 43.2).abs() < 1e-12);
    // 6× over 6 h: k / 360 × 1000 > 6 once k > 2.16, so minute 3. 1× over 3 days: k > 4.32, minute 5.
    assert_eq!(first_firing(&model, 1).map(|firing| firing.at), Some(first_minute_above(1000.0, 360.0, 6.0)));
    assert_eq!(first_firing(&model, 1).map(|firing| firing.at), Some(3));
    assert_eq!(first_firing(&model, 2).map(|firing| firing.at), Some(5));
}

#[test]
fn a_ten_percent_incident_pages_after_nine_minutes() {
    // 10% errors at 99.9% burn 100×: 1 h window k / 60 × 100 > 14.4 ⇔ k > 8.64, so minute 9,
    // when 9 × 0.1 = 0.9 outage-minutes (2.083% of 43.2) are gone.
    let mut model = slo(&[]);
    run_until(&mut model, 600);
    model.apply(&inject(120, 10.0));
    run_until(&mut model, 800);
    let page = first_firing(&model, 0).unwrap();
    assert_eq!((page.at, page.delay_minutes), (609, Some(9)));
    assert!((page.budget_spent - 0.9 / 43.2).abs() < 1e-12);
    assert_eq!(first_firing(&model, 1).unwrap().delay_minutes, Some(first_minute_above(100.0, 360.0, 6.0)));
    assert_eq!(first_firing(&model, 1).unwrap().delay_minutes, Some(22));
    assert_eq!(first_firing(&model, 2).unwrap().delay_minutes, Some(44));
}

#[test]
fn a_slow_two_times_burn_only_raises_the_ticket() {
    // 0.2% at 99.9% is 2×: never above 14.4 or 6. The 3-day window passes 1× when
    // k / 4320 × 2 > 1 ⇔ k > 2160, so at minute 2161 (36 h 1 min), with 10.005% spent.
    let mut model = slo(&[]);
    model.apply(&inject(5 * MINUTES_PER_DAY, 0.2));
    run_until(&mut model, 10 * MINUTES_PER_DAY);
    assert!(first_firing(&model, 0).is_none() && first_firing(&model, 1).is_none());
    let ticket = first_firing(&model, 2).expect("the ticket fires");
    assert_eq!(ticket.at, 2161);
    assert_eq!(format_minutes(ticket.delay_minutes.unwrap()), "36 h 1 min");
    assert!((ticket.budget_spent - 2161.0 * 0.002 / 43.2).abs() < 1e-12);
    // After the burn stops at 7,200 the 6 h window drains: (360 − j) / 360 × 2 > 1 until j = 180.
    assert_eq!(ticket.until, Some(7_200 + 180));
}

#[test]
fn a_brief_spike_fires_nothing() {
    // 5% for 10 minutes (50×): the 1 h window reaches 10 / 60 × 50 = 8.3× < 14.4, the 6 h
    // window 1.4× < 6, the 3-day window 0.12× < 1. It spends 0.5 / 43.2 = 1.16% of the budget.
    let mut model = slo(&[]);
    model.apply(&inject(10, 5.0));
    run_until(&mut model, 2 * MINUTES_PER_DAY);
    assert!(model.alerts().all(|alert| alert.state.firings.is_empty()));
    assert!((model.budget_spent() - 0.5 / 43.2).abs() < 1e-12);
}

#[test]
fn a_high_baseline_fires_at_once_and_blames_no_incident() {
    // The windows start full of baseline: 0.2% at 99.9% is already 2× over 3 days and 6 h.
    let mut model = slo(&[("base", "0.2")]);
    run_until(&mut model, 10);
    let ticket = first_firing(&model, 2).unwrap();
    assert_eq!((ticket.at, ticket.incident, ticket.delay_minutes), (1, None, None));
}

#[test]
fn overlapping_causes_fail_requests_independently() {
    // Baseline 10%, incident 50%: 1 − 0.9 × 0.5 = 55%.
    let mut model = slo(&[("base", "10"), ("slo", "90")]);
    model.apply(&inject(5, 50.0));
    model.step();
    assert_eq!(model.error_ppb_at(1), 550_000_000);
    assert_eq!(model.error_ppb_at(6), 100_000_000);
    assert_eq!(model.error_ppb_at(0), 100_000_000);
}

#[test]
fn resolving_ends_what_is_going_on_and_leaves_the_past() {
    let mut model = slo(&[]);
    model.apply(&inject(600, 100.0));
    run_until(&mut model, 10);
    model.apply(&Action::Resolve);
    run_until(&mut model, 100);
    assert_eq!(model.incidents()[0].minutes, 10);
    assert!((model.budget_spent() - 10.0 / 43.2).abs() < 1e-12);
    // Each alert resets once the outage leaves its short window: the pages after 5 and 30
    // minutes, the ticket only when the 10 bad minutes leave its 6 h window, at minute 370.
    let firing = |model: &Slo| model.alerts().map(|alert| alert.state.firing).collect::<Vec<_>>();
    assert_eq!(firing(&model), [false, false, true]);
    assert_eq!(model.alerts().next().unwrap().state.firings[0].until, Some(10 + 5));
    run_until(&mut model, 369);
    assert_eq!(firing(&model), [false, false, true]);
    model.step();
    assert_eq!(firing(&model), [false, false, false]);
}

#[test]
fn presets_behave_as_their_labels_say() {
    let timeline = Timeline::<Slo>::new(Params::defaults(SLO_PARAMS), 1, TIMELINE_LIMIT);
    let fired = |preset: Preset| {
        let mut run = with_preset(&timeline, preset);
        run.seek(30 * MINUTES_PER_DAY);
        run.state().alerts().map(|alert| !alert.state.firings.is_empty()).collect::<Vec<_>>()
    };
    assert_eq!(fired(Preset::ShortOutage), [true, true, true]);
    assert_eq!(fired(Preset::SlowBurn), [false, false, true]);
    assert_eq!(fired(Preset::BriefSpike), [false, false, false]);
    assert_eq!(fired(Preset::ElevatedWeek), [false, false, true]);
    // A one-day window still sees each preset, a quarter of the way in.
    assert_eq!(Preset::ShortOutage.incidents(MINUTES_PER_DAY)[0].0, 360);
}

// ---------------------------------------------------------------- the chart lines

#[test]
fn chart_lines_bend_only_where_incidents_enter_or_leave() {
    // 20 minutes at 100% from minute 100, seen at minute 500. The 1 h burn climbs while the
    // outage enters the window (100 → 120), holds 20 / 60 × 1000 = 333.3× while the window
    // covers all of it (120 → 160), falls as it leaves (160 → 180), then stays at 0.
    let mut model = slo(&[]);
    run_until(&mut model, 100);
    model.apply(&inject(20, 100.0));
    run_until(&mut model, 500);
    let burn = model.burn_points(60);
    let minutes: Vec<u64> = burn.iter().map(|point| point.0).collect();
    assert_eq!(minutes, [0, 60, 100, 120, 160, 180, 500]);
    assert!((burn[3].1 - 20.0 / 60.0 * 1000.0).abs() < 1e-9 && (burn[4].1 - burn[3].1).abs() < 1e-9);
    assert_eq!((burn[2].1, burn[5].1, burn[6].1), (0.0, 0.0, 0.0));
    let budget = model.budget_points();
    assert_eq!(budget.iter().map(|point| point.0).collect::<Vec<_>>(), [0, 100, 120, 500]);
    assert!((budget[2].1 - (1.0 - 20.0 / 43.2)).abs() < 1e-12);
}

// ---------------------------------------------------------------- the harness

fn scenario() -> Timeline<Slo> {
    let mut timeline = Timeline::<Slo>::new(Params::defaults(SLO_PARAMS), 1, TIMELINE_LIMIT);
    timeline.seek(500);
    timeline.act(inject(30, 100.0));
    timeline.seek(3_000);
    timeline.act(inject(2_000, 0.4));
    timeline.seek(4_100);
    timeline.act(Action::Resolve);
    timeline.seek(6_000);
    timeline
}

#[test]
fn the_same_actions_replay_the_same_run() {
    let timeline = scenario();
    let (actions, skipped) = Timeline::<Slo>::decode_actions(&timeline.encode_actions());
    assert_eq!(skipped, 0);
    let replayed = Timeline::<Slo>::replay(Params::defaults(SLO_PARAMS), 99, TIMELINE_LIMIT, actions, 6_000);
    assert_eq!(replayed.state(), timeline.state(), "the seed does not matter either");
}

#[test]
fn stepping_back_then_forward_returns_to_the_same_state() {
    let mut timeline = scenario();
    let before = timeline.state().clone();
    for _ in 0..200 {
        timeline.step_back();
    }
    assert_eq!(timeline.tick(), 5_800);
    for _ in 0..200 {
        timeline.step_forward();
    }
    assert_eq!(timeline.state(), &before);
    timeline.seek(520);
    assert!(timeline.state().alerts().next().unwrap().state.firing, "scrubbing back shows the page firing");
}

#[test]
fn scheduling_in_the_past_equals_acting_then() {
    let mut direct = Timeline::<Slo>::new(Params::defaults(SLO_PARAMS), 1, TIMELINE_LIMIT);
    direct.seek(200);
    direct.act(inject(45, 20.0));
    direct.seek(1_000);
    let mut later = Timeline::<Slo>::new(Params::defaults(SLO_PARAMS), 1, TIMELINE_LIMIT);
    later.seek(1_000);
    let scheduled = with_action(&later, 200, inject(45, 20.0)).unwrap();
    assert_eq!(scheduled.tick(), 1_000);
    assert_eq!(scheduled.state(), direct.state());
    let removed = without_action(&scheduled, 0);
    assert_eq!(removed.state(), later.state());
}

#[test]
fn changing_the_slo_keeps_the_incidents() {
    let timeline = scenario();
    let mut strict = Params::defaults(SLO_PARAMS);
    strict.set_text("slo", "99.99").unwrap();
    let rebuilt = with_params(&timeline, strict);
    assert_eq!(rebuilt.actions(), timeline.actions());
    assert_eq!(rebuilt.tick(), 6_000);
    // The same errors spend ten times the share of a ten times smaller budget.
    assert!((rebuilt.state().budget_spent() - 10.0 * timeline.state().budget_spent()).abs() < 1e-9);
    let mut short = Params::defaults(SLO_PARAMS);
    short.set_text("days", "1").unwrap();
    assert_eq!(with_params(&timeline, short).tick(), MINUTES_PER_DAY, "time stops at the new window's end");
}

#[test]
fn the_clock_stops_at_the_end_of_the_window() {
    let mut timeline = Timeline::<Slo>::new(params(&[("days", "1")]), 1, TIMELINE_LIMIT);
    for _ in 0..2_000 {
        timeline.step_forward();
    }
    assert_eq!(timeline.tick(), MINUTES_PER_DAY);
    assert!(timeline.at_end());
}

#[test]
fn too_many_incidents_are_refused() {
    let mut timeline = Timeline::<Slo>::new(Params::defaults(SLO_PARAMS), 1, TIMELINE_LIMIT);
    for index in 0..MAX_INCIDENTS as u64 {
        timeline = with_action(&timeline, index * 10, inject(5, 0.0001)).unwrap();
    }
    assert!(with_action(&timeline, 5, inject(5, 0.0001)).err().is_some_and(|message| message.contains("at most")));
    timeline.seek(1_000);
    let mut model = timeline.state().clone();
    model.apply(&inject(5, 1.0));
    assert_eq!(model.incidents().len(), MAX_INCIDENTS);
    assert!(model.narrate().contains("no room"), "{}", model.narrate());
}

#[test]
fn actions_round_trip_and_garbage_is_refused() {
    for action in [inject(20, 100.0), inject(7 * MINUTES_PER_DAY, 0.2), inject(1, 0.0000001), inject(3, 12.3456789), Action::Resolve] {
        assert_eq!(Action::decode(&action.encode()), Some(action), "{}", action.encode());
    }
    assert_eq!(inject(20, 100.0).encode(), "i20:100");
    assert_eq!(inject(5, 0.2).encode(), "i5:0.2");
    for garbage in ["", "i", "i:5", "i5", "i5:", "i0:5", "i5:101", "i5:-1", "i5:NaN", "i5:inf", "i999999999:5", "x", "r1", "i5:5:5"] {
        assert_eq!(Action::decode(garbage), None, "{garbage}");
    }
}

#[test]
fn text_formats() {
    assert_eq!(format_clock(0), "day 1, 00:00");
    assert_eq!(format_clock(MINUTES_PER_DAY + 9 * 60 + 14), "day 2, 09:14");
    assert_eq!(format_minutes(5), "5 min");
    assert_eq!(format_minutes(60), "1 h");
    assert_eq!(format_minutes(865), "14 h 25 min");
    assert_eq!(format_minutes(4_320), "3 days");
    assert_eq!(format_minutes(MINUTES_PER_DAY), "1 day");
    assert_eq!(format_minutes(0), "0 min");
    assert_eq!(format_rate(14.4), "14.4");
    assert_eq!(format_rate(1000.0), "1000");
    assert_eq!(format_rate(f64::NAN), "—");
    assert_eq!(format_share(-0.0), "0.0%");
    assert_eq!(RULES[0].describe(), "page: 14.4× over 1 h and 5 min");
    assert!((RULES[0].budget_share(30 * MINUTES_PER_DAY) - 0.02).abs() < 1e-12);
    assert!((RULES[1].budget_share(30 * MINUTES_PER_DAY) - 0.05).abs() < 1e-12);
    assert!((RULES[2].budget_share(30 * MINUTES_PER_DAY) - 0.10).abs() < 1e-12);
}

// ---------------------------------------------------------------- properties

fn any_incidents() -> impl Strategy<Value = Vec<(u64, u64, f64)>> {
    prop::collection::vec((0u64..3_000, 1u64..2_000, 0.0..=100.0_f64), 0..6)
}

fn run_with(incidents: &[(u64, u64, f64)], baseline: f64, until: u64) -> Vec<Slo> {
    let mut settings = Params::defaults(SLO_PARAMS);
    settings.set_text("base", &baseline.to_string()).unwrap();
    let mut model = Slo::new(&settings, 0);
    let mut states = Vec::new();
    let mut sorted = incidents.to_vec();
    sorted.sort_by_key(|incident| incident.0);
    let mut next = sorted.into_iter().peekable();
    while model.tick() < until {
        while let Some((_, minutes, percent)) = next.next_if(|incident| incident.0 == model.tick()) {
            model.apply(&inject(minutes, percent));
        }
        model.step();
        states.push(model.clone());
    }
    states
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_budget_is_exactly_what_errors_consumed(incidents in any_incidents(), baseline in 0.0..0.5_f64) {
        let states = run_with(&incidents, baseline, 5_000);
        let last = states.last().unwrap();
        let consumed: u64 = (1..=5_000).map(|minute| last.error_ppb_at(minute)).sum();
        let budget = (30 * MINUTES_PER_DAY * last.config().allowed_ppb) as f64;
        prop_assert_eq!(last.budget_remaining(), 1.0 - consumed as f64 / budget);
        prop_assert_eq!(last.budget_points().last().map(|point| point.1), Some(last.budget_remaining()));
        for pair in states.windows(2) {
            prop_assert!(pair[1].budget_remaining() <= pair[0].budget_remaining());
        }
    }

    #[test]
    fn sliding_sums_match_sums_from_scratch(incidents in any_incidents(), baseline in 0.0..0.5_f64, checks in prop::collection::vec(1usize..5_000, 1..6)) {
        let states = run_with(&incidents, baseline, 5_000);
        for index in checks {
            let state = &states[index - 1];
            let now = state.tick() as i64;
            for minutes in WINDOW_MINUTES {
                let from_scratch: u64 = (now - minutes as i64 + 1..=now).map(|minute| state.error_ppb_at(minute)).sum();
                let burn = from_scratch as f64 / (minutes as f64 * state.config().allowed_ppb as f64);
                prop_assert_eq!(state.burn_rate(minutes), burn);
            }
            for minutes in WINDOW_MINUTES {
                for (at, burn) in state.burn_points(minutes) {
                    let at = at as i64;
                    let from_scratch: u64 = (at - minutes as i64 + 1..=at).map(|minute| state.error_ppb_at(minute)).sum();
                    prop_assert_eq!(burn, from_scratch as f64 / (minutes as f64 * state.config().allowed_ppb as f64));
                }
                prop_assert_eq!(state.burn_points(minutes).last().map(|point| point.1), Some(state.burn_rate(minutes)));
            }
            for alert in state.alerts() {
                let expected = alert.long_burn > alert.rule.burn_rate() && alert.short_burn > alert.rule.burn_rate();
                prop_assert_eq!(alert.state.firing, expected);
            }
        }
    }

    #[test]
    fn nothing_decoded_from_a_link_panics(text in "[ir0-9:.\\-a-z]{0,24}") {
        if let Some(action) = Action::decode(&text) {
            let mut model = slo(&[]);
            model.apply(&action);
            model.step();
            prop_assert!(model.budget_remaining() <= 1.0);
        }
    }
}

//! Numbers worked out by hand, the parser against garbage, the edits, and the properties the
//! calculator teaches (as proptests).

use proptest::prelude::*;

use super::*;

fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
    (actual - expected).abs() <= tolerance
}

fn tree(text: &str) -> Node {
    Node::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

// ---------------------------------------------------------------- worked by hand

#[test]
fn two_nines_nine_in_series_give_99_8001_percent() {
    // 0.999 × 0.999 = 0.998001.
    let result = tree("s(c:a:99.9,c:b:99.9)").evaluate();
    assert!(close(result.percent(), 99.8001, 1e-9), "{result:?}");
    assert!(close(result.down, 0.001999, 1e-15));
    assert_eq!(format_percent(result), "99.8001%");
}

#[test]
fn two_nines_nine_in_parallel_give_99_9999_percent() {
    // Down only when both are: 0.001 × 0.001 = 0.000001.
    let result = tree("p(c:a:99.9,c:b:99.9)").evaluate();
    assert!(close(result.percent(), 99.9999, 1e-9), "{result:?}");
    assert!(close(result.down, 1e-6, 1e-18));
    assert_eq!(format_percent(result), "99.9999%");
    assert_eq!(format_nines(result), "6.0");
}

#[test]
fn downtime_allowed_per_period() {
    // 99.99% over 365 days: 0.0001 × 525,600 minutes = 52.56 minutes.
    let four_nines = Availability::from_percent(99.99);
    assert!(close(four_nines.downtime_seconds(Period::Year) / 60.0, 52.56, 1e-9));
    assert_eq!(format_duration(four_nines.downtime_seconds(Period::Year)), "52.56 min");
    // 99.9% over a 30-day month: 0.001 × 43,200 minutes = 43.2 minutes.
    let three_nines = Availability::from_percent(99.9);
    assert!(close(three_nines.downtime_seconds(Period::Month) / 60.0, 43.2, 1e-9));
    assert_eq!(format_duration(three_nines.downtime_seconds(Period::Month)), "43.2 min");
    // 99.9% per week: 0.001 × 10,080 minutes = 10.08 minutes; per day 86.4 seconds.
    assert_eq!(format_duration(three_nines.downtime_seconds(Period::Week)), "10.08 min");
    assert_eq!(format_duration(three_nines.downtime_seconds(Period::Day)), "1.44 min");
    assert_eq!(format_duration(four_nines.downtime_seconds(Period::Day)), "8.64 s");
    assert_eq!(format_duration(Availability::from_percent(99.0).downtime_seconds(Period::Year)), "3.65 days");
    assert_eq!(format_duration(0.0), "none");
}

#[test]
fn nines_read_sensibly() {
    assert_eq!(format_nines(Availability::from_percent(99.9)), "3.0");
    assert_eq!(format_nines(Availability::from_percent(99.95)), "3.3");
    assert_eq!(format_nines(Availability::from_percent(99.99)), "4.0");
    assert_eq!(format_nines(Availability::from_percent(90.0)), "1.0");
    assert_eq!(format_nines(Availability::from_percent(100.0)), "∞");
    assert_eq!(format_nines(Availability::from_percent(0.0)), "0.0");
    assert_eq!(format_percent(Availability::from_percent(100.0)), "100%");
    assert_eq!(format_percent(Availability::from_percent(50.0)), "50%");
    assert_eq!(format_percent(Availability::from_down(1e-16)), "> 99.999999999999%");
}

#[test]
fn reverse_for_serial_components() {
    // 0.9999^(1/3) = 0.999966666… : each of three must beat four nines.
    let each = each_in_series(Availability::from_percent(99.99), 3);
    assert!(close(each.percent(), 99.996_666_4, 1e-6), "{each:?}");
    assert!(close(each.down, 3.333_444_4e-5, 1e-11));
    assert!(format_percent(each).starts_with("99.99666"), "{}", format_percent(each));
    // One component must simply reach the target.
    assert!(close(each_in_series(Availability::from_percent(99.9), 1).percent(), 99.9, 1e-12));
}

#[test]
fn reverse_for_parallel_replicas() {
    // 1 − (0.0001)^(1/2) = 1 − 0.01: two 99% replicas give 99.99%.
    let each = each_in_parallel(Availability::from_percent(99.99), 2);
    assert!(close(each.percent(), 99.0, 1e-9), "{each:?}");
    // Three: 1 − 0.0001^(1/3) = 1 − 0.046416 = 95.3584%.
    assert!(close(each_in_parallel(Availability::from_percent(99.99), 3).percent(), 95.358_41, 1e-4));
}

#[test]
fn reverse_for_the_readers_tree_matches_the_formulas() {
    let target = Availability::from_percent(99.99);
    let series = required_uniform(&tree("s(c:a:50,c:b:50,c:c:50)"), target).unwrap();
    assert!(close(series.percent(), each_in_series(target, 3).percent(), 1e-9), "{series:?}");
    assert!(series.down <= each_in_series(target, 3).down * (1.0 + 1e-9));
    let parallel = required_uniform(&tree("p(c:a:50,c:b:50)"), target).unwrap();
    assert!(close(parallel.percent(), 99.0, 1e-7), "{parallel:?}");
    assert_eq!(required_uniform(&tree("c:a:1"), Availability::PERFECT), None);
}

#[test]
fn what_if_a_component_were_perfect() {
    let system = tree("s(c:lb:99.99,p(c:app1:99.9,c:app2:99.9),c:db:99.95)");
    // Without the database's downtime: 0.9999 × 0.999999.
    let without_db = system.evaluate_if_perfect(&[2]);
    assert!(close(without_db.up, 0.9999 * 0.999_999, 1e-12));
    // A perfect app1 makes its parallel group perfect too: 0.9999 × 0.9995.
    assert!(close(system.evaluate_if_perfect(&[1, 0]).up, 0.9999 * 0.9995, 1e-12));
}

// ---------------------------------------------------------------- the text form

#[test]
fn text_round_trips() {
    for text in [DEFAULT_TREE, "c:api:99.95", "s(c:api:99.95,p(c:db:99.9,c:db2:99.9))", "p(s(c:a b:0,c:x-1_y.z:100),c:q:12.345678)"] {
        assert_eq!(tree(text).to_text(), text);
    }
    for (_, text) in PRESETS {
        assert_eq!(tree(text).to_text(), *text);
    }
    assert_eq!(tree(" S ( c : api : 99.9 , P( c:a:1 ) ) ").to_text(), "s(c:api:99.9,p(c:a:1))");
}

#[test]
fn parser_rejects_garbage_with_a_place_and_a_reason() {
    let cases: &[(&str, usize, &str)] = &[
        ("", 0, "empty"),
        ("x", 1, "expected c:"),
        ("c:api", 6, "expected “:” after the name"),
        ("c::99", 3, "Give the component a name"),
        ("c:api:abc", 7, "“abc” is not a number"),
        ("c:api:NaN", 7, "finite"),
        ("c:api:150", 7, "at most 100"),
        ("c:api:-1", 7, "negative"),
        ("c:api:", 7, "Enter a number"),
        ("s()", 3, "at least one component"),
        ("s(c:a:1", 8, "not closed"),
        ("s(c:a:1;c:b:2)", 7, "“1;c” is not a number"),
        ("s(c:a:1 c:b:2)", 7, "not a number"),
        ("s(c:a:1,s(c:b:2)x)", 17, "expected “,” or “)”"),
        ("s c:a:1", 3, "expected “(” after s"),
        ("c:a:1)", 6, "after the end"),
        ("c:<script>:1", 3, "not “<”"),
        ("c:aaaaaaaaaaaaaaaaaaaaaaaaa:1", 3, "at most 24"),
    ];
    for (text, at, fragment) in cases {
        let error = Node::parse(text).expect_err(text);
        assert_eq!(error.at, *at, "{text}: {error}");
        assert!(error.to_string().contains(fragment), "{text}: {error}");
    }
}

#[test]
fn parser_enforces_the_limits() {
    let deep = format!("{}c:a:1{}", "s(".repeat(MAX_DEPTH - 1), ")".repeat(MAX_DEPTH - 1));
    assert_eq!(tree(&deep).depth(), MAX_DEPTH);
    let too_deep = format!("{}c:a:1{}", "s(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(Node::parse(&too_deep).unwrap_err().message.contains("levels deep"));
    // Thousands of opening brackets stop at the depth limit, long before the stack matters.
    assert!(Node::parse(&"p(".repeat(500)).is_err());
    let many = format!("s({})", vec!["c:a:1"; MAX_NODES].join(","));
    assert!(Node::parse(&many).unwrap_err().message.contains("boxes"));
    let long = "c:a:1".repeat(MAX_TEXT_CHARS);
    assert_eq!(Node::parse(&long).unwrap_err().at, 0);
}

// ---------------------------------------------------------------- edits

#[test]
fn edits_change_the_tree_by_path() {
    let mut system = tree("s(c:api:99.95,c:db:99.9)");
    system.apply(&Edit::Replicate { path: vec![1] }).unwrap();
    assert_eq!(system.to_text(), "s(c:api:99.95,p(c:db:99.9,c:db-2:99.9))");
    system.apply(&Edit::Replicate { path: vec![1, 1] }).unwrap();
    assert_eq!(system.to_text(), "s(c:api:99.95,p(c:db:99.9,c:db-2:99.9,c:db-3:99.9))", "a replica joins its parallel parent");
    system.apply(&Edit::Rename { path: vec![0], name: " gateway ".into() }).unwrap();
    system.apply(&Edit::SetPercent { path: vec![0], percent: 99.5 }).unwrap();
    system.apply(&Edit::SetKind { path: vec![1], kind: GroupKind::Series }).unwrap();
    assert_eq!(system.to_text(), "s(c:gateway:99.5,s(c:db:99.9,c:db-2:99.9,c:db-3:99.9))");
    system.apply(&Edit::AddComponent { parent: vec![] }).unwrap();
    system.apply(&Edit::AddGroup { parent: vec![], kind: GroupKind::Parallel }).unwrap();
    assert_eq!(system.to_text(), "s(c:gateway:99.5,s(c:db:99.9,c:db-2:99.9,c:db-3:99.9),c:c1:99.9,p(c:c2:99.9))");
    system.apply(&Edit::Remove { path: vec![3, 0] }).unwrap();
    assert_eq!(system.to_text(), "s(c:gateway:99.5,s(c:db:99.9,c:db-2:99.9,c:db-3:99.9),c:c1:99.9)", "an emptied group goes too");
    system.apply(&Edit::Wrap { path: vec![0], kind: GroupKind::Parallel }).unwrap();
    assert_eq!(system.at(&[0]).map(Node::to_text).as_deref(), Some("p(c:gateway:99.5,c:c2:99.9)"));
}

#[test]
fn bad_edits_change_nothing_and_say_why() {
    let original = tree("s(c:a:99.9,c:b:99.9)");
    let refusals = [
        (Edit::Remove { path: vec![] }, "at least one component"),
        (Edit::Remove { path: vec![5] }, "no longer"),
        (Edit::AddComponent { parent: vec![0] }, "Only a group"),
        (Edit::SetPercent { path: vec![0], percent: f64::NAN }, "0 to 100"),
        (Edit::SetPercent { path: vec![0], percent: 100.5 }, "0 to 100"),
        (Edit::SetPercent { path: vec![], percent: 50.0 }, "is a group"),
        (Edit::Rename { path: vec![0], name: "a(b)".into() }, "not “(”"),
        (Edit::SetKind { path: vec![1], kind: GroupKind::Parallel }, "Only a group"),
        (Edit::Replicate { path: vec![] }, "Only a component"),
    ];
    for (edit, fragment) in refusals {
        let mut system = original.clone();
        let error = system.apply(&edit).expect_err(&format!("{edit:?}"));
        assert!(error.contains(fragment), "{edit:?}: {error}");
        assert_eq!(system, original);
    }
    let mut full = tree(&format!("s({})", vec!["c:a:1"; MAX_NODES - 1].join(",")));
    assert!(full.apply(&Edit::AddComponent { parent: vec![] }).unwrap_err().contains("at most"));
    let mut deep = tree(&format!("{}c:a:1{}", "s(".repeat(MAX_DEPTH - 1), ")".repeat(MAX_DEPTH - 1)));
    let innermost = vec![0; MAX_DEPTH - 1];
    assert!(deep.apply(&Edit::Wrap { path: innermost, kind: GroupKind::Series }).unwrap_err().contains("levels deep"));
}

#[test]
fn removing_the_only_child_of_the_root_is_refused() {
    let mut system = tree("s(c:a:1)");
    assert!(system.apply(&Edit::Remove { path: vec![0] }).is_err());
    assert_eq!(system.to_text(), "s(c:a:1)");
}

// ---------------------------------------------------------------- properties

fn any_tree() -> impl Strategy<Value = Node> {
    let leaf = (0.0..=100.0_f64).prop_map(|percent| Node::component("x", percent));
    leaf.prop_recursive(4, 30, 4, |inner| {
        (any::<bool>(), prop::collection::vec(inner, 1..4))
            .prop_map(|(series, children)| Node::Group(if series { GroupKind::Series } else { GroupKind::Parallel }, children))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn availability_stays_between_zero_and_one(system in any_tree()) {
        let result = system.evaluate();
        prop_assert!((0.0..=1.0).contains(&result.up) && (0.0..=1.0).contains(&result.down));
        prop_assert!((result.up + result.down - 1.0).abs() < 1e-9);
    }

    #[test]
    fn series_is_no_better_than_its_worst_and_parallel_no_worse_than_its_best(children in prop::collection::vec(any_tree(), 1..5)) {
        let parts: Vec<Availability> = children.iter().map(Node::evaluate).collect();
        let worst = parts.iter().map(|part| part.up).fold(1.0, f64::min);
        let best = parts.iter().map(|part| part.up).fold(0.0, f64::max);
        let series = Node::series(children.clone()).evaluate();
        let parallel = Node::parallel(children).evaluate();
        prop_assert!(series.up <= worst, "series {} > worst {}", series.up, worst);
        prop_assert!(parallel.up >= best, "parallel {} < best {}", parallel.up, best);
        prop_assert!(series.down >= parts.iter().map(|part| part.down).fold(0.0, f64::max));
    }

    #[test]
    fn text_round_trips_any_tree(system in any_tree()) {
        prop_assert_eq!(Node::parse(&system.to_text()), Ok(system));
    }

    #[test]
    fn the_parser_never_panics(text in "[cspCSP:(),.0-9a-z \\-]{0,60}") {
        let _ = Node::parse(&text);
    }

    #[test]
    fn reverse_answers_meet_the_target(percent in 50.0..99.99999_f64, count in 1u32..=MAX_REPLICAS) {
        let target = Availability::from_percent(percent);
        let each = each_in_series(target, count);
        let chain = Node::series(vec![Node::component("x", each.percent()); count as usize]).evaluate();
        prop_assert!((chain.up - target.up).abs() < 1e-9);
        let replica = each_in_parallel(target, count);
        let group = Node::parallel(vec![Node::component("x", replica.percent()); count as usize]).evaluate();
        prop_assert!((group.down - target.down).abs() <= target.down * 1e-6 + 1e-15);
    }
}

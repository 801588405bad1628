use super::outputs::{hot_share, Plan};
use super::*;
use proptest::prelude::*;

fn shortener() -> Inputs {
    Template::by_id("url-shortener").expect("the URL shortener template exists").inputs
}

fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
    (actual - expected).abs() <= tolerance
}

fn output<'a>(outputs: &'a [Output], key: &str) -> &'a Output {
    outputs.iter().find(|output| output.key == key).unwrap_or_else(|| panic!("no output {key}"))
}

#[test]
fn qps_worked_by_hand() {
    // 100M DAU × 10 requests = 10⁹ a day; ÷ 86,400 s = 11,574 per second; × 3 at peak = 34,722.
    let plan = Plan::new(&shortener());
    assert_eq!(plan.requests_per_day, 1e9);
    assert!(close(plan.average_qps, 11_574.07, 0.01));
    assert!(close(plan.peak_read_qps + plan.peak_write_qps, 34_722.2, 0.1));
    // 100:1 splits every 101 requests into 100 reads and 1 write.
    assert!(close(plan.average_read_qps, 11_574.07 * 100.0 / 101.0, 0.01));
    assert!(close(plan.average_write_qps, 114.59, 0.01));
    assert!(close(plan.peak_write_qps, 343.78, 0.01));
    let outputs = outputs(&shortener(), ByteUnits::Decimal);
    assert_eq!(output(&outputs, "requests_per_day").formula, "100,000,000 users × 10 requests = 1,000,000,000");
    assert_eq!(output(&outputs, "qps").formula, "1,000,000,000 requests ÷ 86,400 s = 11,574/s");
    assert_eq!(output(&outputs, "qps").text(ByteUnits::Decimal), "11,574 requests/s");
    assert_eq!(output(&outputs, "read_qps").formula, "11,574 × 100 ÷ (100 + 1) = 11,459/s");
    assert_eq!(output(&outputs, "peak_write_qps").formula, "115 × peak factor 3 = 344/s");
}

#[test]
fn storage_and_bandwidth_worked_by_hand() {
    let plan = Plan::new(&shortener());
    // 10⁹ ÷ 101 = 9,900,990 writes a day × 500 B = 4.95 GB a day.
    assert!(close(plan.writes_per_day, 9_900_990.1, 0.1));
    assert!(close(plan.stored_per_day, 4_950_495_049.5, 1.0));
    // × 1,825 days × 3 copies = 27.1 TB.
    assert!(close(plan.stored_total, 4_950_495_049.5 * 1_825.0 * 3.0, 1e3));
    // 114.6 writes/s × 500 B = 57.3 kB/s in; 11,459 reads/s × 500 B = 5.73 MB/s out.
    assert!(close(plan.ingress_average, 57_297.4, 0.1));
    assert!(close(plan.egress_average, 5_729_739.5, 0.5));
    // A 30-day month of that is 5,729,739.5 × 2,592,000 s = 14.85 TB.
    assert!(close(plan.egress_per_month, 14_851_485_148_514.0, 1e4));
    let outputs = outputs(&shortener(), ByteUnits::Decimal);
    assert_eq!(output(&outputs, "storage_per_day").formula, "9,900,990 writes × 500 B = 4.95 GB");
    assert_eq!(output(&outputs, "storage_total").formula, "4.95 GB/day × 1,825 days × 3 copies = 27.1 TB");
    assert_eq!(output(&outputs, "egress").text(ByteUnits::Decimal), "5.73 MB/s (45.8 Mbit/s)");
    assert_eq!(output(&outputs, "storage_total").text(ByteUnits::Binary), "24.7 TiB");
}

#[test]
fn cache_servers_and_cost_worked_by_hand() {
    // The 80/20 rule: an 80% hit target caches exactly 20% of the day's read volume.
    assert!(close(hot_share(0.8), 0.2, 1e-12));
    assert_eq!(hot_share(0.0), 0.0);
    assert_eq!(hot_share(1.0), 1.0);
    assert!(close(hot_share(0.9), 0.9f64.powf(7.2126), 1e-4));
    let plan = Plan::new(&shortener());
    // 20% × 990,099,010 reads × 500 B = 99.0 GB → ⌈99.0 ÷ 64⌉ = 2 cache nodes.
    assert!(close(plan.cache_bytes, 99_009_900_990.0, 1e3));
    assert_eq!(plan.cache_nodes, 2.0);
    // ⌈34,722 ÷ 5,000⌉ = 7 app servers.
    assert_eq!(plan.app_servers, 7.0);
    // 34,378 peak reads × (1 − 80%) = 6,876 reach the database.
    assert!(close(plan.peak_reads_past_cache, 6_875.7, 0.1));
    // 7 × $184 + 2 × $248 + 27,104 GB × $0.20 + 14,851 GB × $0.10 = 1,288 + 496 + 5,420.79 + 1,485.15.
    assert_eq!(plan.compute_cost, 1_288.0);
    assert_eq!(plan.cache_cost, 496.0);
    assert!(close(plan.storage_cost, 5_420.79, 0.01));
    assert!(close(plan.egress_cost, 1_485.15, 0.01));
    assert!(close(plan.total_cost, 8_689.94, 0.01));
    let outputs = outputs(&shortener(), ByteUnits::Decimal);
    assert_eq!(output(&outputs, "app_servers").formula, "⌈(34,378 + 344) requests/s ÷ 5,000 per server⌉ = 7");
    assert_eq!(output(&outputs, "cost_total").text(ByteUnits::Decimal), "$8,690/month");
    assert_eq!(output(&outputs, "cost_storage").formula, "27,104 GB × $0.20 per GB-month = $5,421 (once the retention period is full)");
}

#[test]
fn units_format_in_decimal_and_binary() {
    assert_eq!(format_bytes(512.0, ByteUnits::Decimal), "512 B");
    assert_eq!(format_bytes(1_000.0, ByteUnits::Decimal), "1 kB");
    assert_eq!(format_bytes(1_000.0, ByteUnits::Binary), "1,000 B");
    assert_eq!(format_bytes(1_024.0, ByteUnits::Binary), "1 KiB");
    assert_eq!(format_bytes(4_950_495_049.5, ByteUnits::Decimal), "4.95 GB");
    assert_eq!(format_bytes(4_950_495_049.5, ByteUnits::Binary), "4.61 GiB");
    assert_eq!(format_bytes(1.5e15, ByteUnits::Decimal), "1.5 PB");
    assert_eq!(format_bytes(1024f64.powi(5), ByteUnits::Binary), "1 PiB");
    assert_eq!(format_bytes(2e21, ByteUnits::Decimal), "2,000 EB");
    assert_eq!(format_bytes(f64::NAN, ByteUnits::Decimal), "—");
    assert_eq!(format_bits_per_second(57_297.4), "458 kbit/s");
    assert_eq!(format_bits_per_second(1.25e9), "10 Gbit/s");
    assert_eq!(format_count(11_574.07), "11,574");
    assert_eq!(format_count(3.5), "3.5");
    assert_eq!(format_count(0.25), "0.25");
    assert_eq!(format_count(0.0), "0");
    assert_eq!(format_count(f64::INFINITY), "—");
    assert_eq!(format_dollars(0.023), "$0.023");
    assert_eq!(format_dollars(12.5), "$12.50");
    assert_eq!(format_dollars(8_690.04), "$8,690");
    assert_eq!(format_dollars(0.0), "$0.00");
    assert_eq!(format_dollars(0.000_01), "$0.00");
    assert_eq!(format_dollars(0.2), "$0.20");
}

#[test]
fn differences_between_designs() {
    let unit = Unit::PerSecond("reads");
    assert_eq!(Difference::between(10.0, 25.0).text(unit, ByteUnits::Decimal), "+15 reads/s (×2.5)");
    assert_eq!(Difference::between(10.0, 4.0).text(unit, ByteUnits::Decimal), "−6 reads/s (×0.4)");
    assert_eq!(Difference::between(0.0, 5.0).text(unit, ByteUnits::Decimal), "+5 reads/s");
    assert_eq!(Difference::between(7.0, 7.0).text(unit, ByteUnits::Decimal), "same");
    let chat = outputs(&Template::by_id("chat").unwrap().inputs, ByteUnits::Decimal);
    assert_eq!(output(&chat, "cache_nodes").text(ByteUnits::Decimal), "1 node", "one reads as singular");
    assert_eq!(output(&chat, "storage_total").formula, "800 GB/day × 365 days × 3 copies = 876 TB");
    let mut edited = shortener();
    edited.set(InputKey::PeakFactor, 5.0).unwrap();
    assert_eq!(shortener().differences(&edited), vec![InputKey::PeakFactor]);
}

#[test]
fn inputs_are_validated_with_a_message() {
    let mut inputs = shortener();
    assert_eq!(inputs.set_text(InputKey::DailyActiveUsers, "-5"), Err("Must not be negative.".into()));
    assert_eq!(inputs.set_text(InputKey::DailyActiveUsers, "NaN"), Err("Enter a finite number.".into()));
    assert_eq!(inputs.set_text(InputKey::WriteBytes, "1e400"), Err("Enter a finite number.".into()));
    assert_eq!(inputs.set_text(InputKey::Replication, "2.5"), Err("Enter a whole number.".into()));
    assert_eq!(inputs.set_text(InputKey::PeakFactor, "0.5"), Err("Must be at least 1.".into()));
    assert_eq!(inputs.set_text(InputKey::DailyActiveUsers, "1e11"), Err("Must be at most 10,000,000,000.".into()));
    assert_eq!(inputs, shortener(), "rejected text changes nothing");
    assert_eq!(inputs.set_text(InputKey::DailyActiveUsers, "2,000,000"), Ok(()));
    assert_eq!(inputs.daily_active_users, 2e6);
}

#[test]
fn templates_are_valid_data() {
    let mut ids: Vec<&str> = TEMPLATES.iter().map(|template| template.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), TEMPLATES.len(), "template ids are unique");
    let mut input_ids: Vec<&str> = INPUT_SPECS.iter().map(|spec| spec.id).collect();
    input_ids.sort_unstable();
    input_ids.dedup();
    assert_eq!(input_ids.len(), INPUT_SPECS.len(), "input ids are unique");
    for (index, spec) in INPUT_SPECS.iter().enumerate() {
        assert_eq!(spec.key as usize, index, "INPUT_SPECS follows InputKey order");
    }
    for template in &TEMPLATES {
        assert!(template.prices_as_of.contains("2024"), "prices carry their year");
        for spec in &INPUT_SPECS {
            let value = template.inputs.get(spec.key);
            assert_eq!(spec.rule.parse(&number_text(value)), Ok(value), "{} {}", template.id, spec.id);
        }
    }
}

#[test]
fn json_round_trips_every_template_and_edits() {
    for template in &TEMPLATES {
        let design = Design::from_template(template);
        assert_eq!(import_design(&export_design(&design), &Scenario::default().a), Ok(design));
    }
    let mut design = Design::from_template(&TEMPLATES[2]);
    design.inputs.set(InputKey::StorageDollarsPerGbMonth, 0.023).unwrap();
    design.inputs.set(InputKey::WriteBytes, 1e12).unwrap();
    design.inputs.set(InputKey::CacheHitPercent, 99.9).unwrap();
    let text = export_design(&design);
    assert!(text.contains("\"storage_price\": 0.023") && text.contains("\"write_bytes\": 1000000000000"), "{text}");
    assert_eq!(import_design(&text, &Scenario::default().a), Ok(design));
}

#[test]
fn json_import_keeps_unnamed_fields() {
    let current = Design::from_template(&TEMPLATES[0]);
    let imported = import_design(r#"{"dau": 5000000}"#, &current).unwrap();
    assert_eq!(imported.inputs.daily_active_users, 5e6);
    assert_eq!(imported.inputs.actions_per_user, current.inputs.actions_per_user);
    let from_template = import_design(r#"{"template": "chat", "peak": 4}"#, &current).unwrap();
    assert_eq!(from_template.template.id, "chat");
    assert_eq!(from_template.inputs.peak_factor, 4.0);
    assert_eq!(from_template.inputs.read_write_ratio, 1.0, "unnamed fields come from the named template");
}

#[test]
fn json_import_rejects_garbage_with_a_clear_message() {
    let current = Scenario::default().a;
    let first = |text: &str| import_design(text, &current).unwrap_err().remove(0);
    assert_eq!(first("not json"), "This is not valid JSON: expected 'null' at line 1, column 2, found 'o'.");
    assert!(first("").contains("empty"));
    assert_eq!(first("[1, 2]"), "Expected a JSON object such as {\"dau\": 1000000}; this is an array.");
    assert!(first("{}").starts_with("The object is empty."));
    assert_eq!(first(r#"{"dau": -5}"#), "“dau” (Daily active users): Must not be negative.");
    assert_eq!(first(r#"{"dau": "100"}"#), "“dau” (Daily active users) must be a number, not a string.");
    assert_eq!(first(r#"{"write_bytes": 1e400}"#), "“write_bytes” (Bytes stored per write): Enter a finite number.");
    assert_eq!(first(r#"{"replication": 2.5}"#), "“replication” (Replication factor): Enter a whole number.");
    assert!(first(r#"{"foo": 1}"#).starts_with("Unknown field “foo”. Known fields: template, dau, actions"));
    assert_eq!(first(r#"{"dau": 1, "dau": 2}"#), "“dau” appears more than once; keep one.");
    assert!(first(r#"{"template": "nope"}"#).starts_with("“template” is “nope”, which is not one of: url-shortener"));
    assert!(first("{\"dau\": 1,}").contains("trailing comma"));
    let many = format!("{{{}}}", (0..20).map(|index| format!("\"x{index}\": 1")).collect::<Vec<_>>().join(","));
    let errors = import_design(&many, &current).unwrap_err();
    assert_eq!(errors.len(), 9);
    assert_eq!(errors.last().map(String::as_str), Some("…and 12 more."));
}

#[test]
fn scenarios_round_trip_through_the_link() {
    assert!(Scenario::default().to_pairs().is_empty(), "the default view has a bare URL");
    let mut scenario = Scenario::default();
    scenario.a.inputs.set(InputKey::DailyActiveUsers, 250_000_000.0).unwrap();
    scenario.b = Design::from_template(Template::by_id("video").unwrap());
    scenario.b.inputs.set(InputKey::EgressDollarsPerGb, 0.02).unwrap();
    scenario.units = ByteUnits::Binary;
    let pairs = scenario.to_pairs();
    assert_eq!(
        pairs,
        vec![
            ("a.dau".to_string(), "250000000".to_string()),
            ("b".to_string(), "video".to_string()),
            ("b.egress_price".to_string(), "0.02".to_string()),
            ("units".to_string(), "binary".to_string()),
        ]
    );
    let (back, notes) = Scenario::from_pairs(&pairs);
    assert_eq!(back, scenario);
    assert!(notes.is_empty());
}

#[test]
fn bad_links_keep_defaults_and_say_so() {
    let pairs: Vec<(String, String)> = [("a", "nope"), ("a.dau", "-1"), ("b.peak", "NaN"), ("units", "hex"), ("other", "x"), ("c.dau", "1")]
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
    let (scenario, notes) = Scenario::from_pairs(&pairs);
    assert_eq!(scenario, Scenario::default());
    assert_eq!(notes.len(), 4, "{notes:?}");
    assert!(notes[2].contains("Daily active users") && notes[2].contains("Must not be negative."), "{notes:?}");
}

/// Any value each rule accepts, drawn across its whole range.
fn valid_inputs() -> impl Strategy<Value = Inputs> {
    let fields: Vec<BoxedStrategy<f64>> = INPUT_SPECS
        .iter()
        .map(|spec| {
            let (min, max, integer) = (spec.rule.min, spec.rule.max, spec.rule.integer);
            // Half the draws near the bottom of the range, where most real values are.
            prop_oneof![min..=max, min..=(min + (max - min) * 1e-6)].prop_map(move |value: f64| if integer { value.round() } else { value }).boxed()
        })
        .collect();
    fields.prop_map(|values| {
        let mut inputs = shortener();
        for (spec, value) in INPUT_SPECS.iter().zip(values) {
            inputs.set(spec.key, value).expect("drawn inside the rule");
        }
        inputs
    })
}

proptest! {
    #[test]
    fn outputs_are_finite_and_never_negative(inputs in valid_inputs()) {
        for units in [ByteUnits::Decimal, ByteUnits::Binary] {
            for output in outputs(&inputs, units) {
                prop_assert!(output.value.is_finite() && output.value >= 0.0, "{} = {}", output.key, output.value);
                let text = output.text(units) + &output.formula;
                prop_assert!(!text.contains("NaN") && !text.contains("inf") && !text.contains('—'), "{}: {text}", output.key);
            }
        }
    }

    #[test]
    fn json_round_trips_any_valid_design(inputs in valid_inputs()) {
        let design = Design { template: &TEMPLATES[1], inputs };
        prop_assert_eq!(import_design(&export_design(&design), &Scenario::default().a), Ok(design));
    }

    #[test]
    fn importing_any_text_never_panics(text in ".{0,200}") {
        let _ = import_design(&text, &Scenario::default().a);
    }
}

#[test]
fn an_embedded_planner_preset_is_checked_as_the_planner_reads_it() {
    use super::link::check_pair;
    assert_eq!(check_pair("a", "url-shortener"), Ok(()));
    assert_eq!(check_pair("b.dau", "1000000000"), Ok(()));
    assert_eq!(check_pair("units", "binary"), Ok(()));
    for (key, value) in [("a", "no-such-template"), ("b.dau", "many"), ("units", "octal")] {
        assert!(check_pair(key, value).is_err_and(|message| message.contains("Ignored")), "{key} = {value}");
    }
    for key in ["c", "a.bogus", "c.dau", "seed"] {
        assert!(check_pair(key, "1").is_err_and(|message| message.contains(key)), "{key}");
    }
}

use super::*;
use crate::learn::question::{check, Response};
use proptest::prelude::*;

/// The right option's text, or the value as the explanations write numbers.
fn answer_texts(question: &Generated) -> Vec<String> {
    match &question.key {
        Key::One(index) => vec![question.options[*index].clone()],
        Key::Set(indices) => indices.iter().map(|index| question.options[*index].clone()).collect(),
        Key::Number { value, .. } => vec![whole_number(*value), decimal(*value, 1), decimal(*value, 2), decimal(*value, 4)],
        Key::Order(_) => Vec::new(),
    }
}

#[test]
fn there_are_at_least_ten_generators_with_unique_slugs_and_real_pages() {
    assert!(GENERATORS.len() >= 10);
    let mut slugs: Vec<&str> = GENERATORS.iter().map(|generator| generator.slug).collect();
    slugs.sort_unstable();
    slugs.dedup();
    assert_eq!(slugs.len(), GENERATORS.len());
    for generator in GENERATORS {
        let slug = generator.see.trim_start_matches("/visualizers/");
        assert!(crate::registry::find(slug).is_some(), "{} points at {}", generator.slug, generator.see);
    }
}

#[test]
fn an_id_reads_back_to_the_same_question() {
    for generator in GENERATORS {
        let question = (generator.make)(42);
        assert_eq!(question.id, format!("gen/{}/42", generator.slug));
        assert_eq!(from_id(&question.id), Some(question));
    }
    assert_eq!(from_id("gen/nope/1"), None);
    assert_eq!(from_id("gen/peak-qps/x"), None);
    assert_eq!(from_id("foundations/peak-qps"), None);
}

#[test]
fn worked_examples_match_a_hand_calculation() {
    // 100 M users × 10 requests / 86,400 s × 3 = 34,722 requests per second.
    let plan = viz::capacity::Plan::new(&capacity_inputs(100e6, 10.0, 100.0, 3.0, 1_000.0, 3.0));
    assert!(((plan.peak_read_qps + plan.peak_write_qps) - 34_722.2).abs() < 1.0);
    assert_eq!(whole_number(11_574.4), "11,574");
    assert_eq!(whole_number(999.0), "999");
    assert_eq!(whole_number(1_000_000.0), "1,000,000");
    assert_eq!(decimal(2.50, 2), "2.5");
    assert_eq!(decimal(43.0, 1), "43");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_generated_question_is_well_formed_and_explains_its_own_answer(seed in any::<u32>()) {
        for generator in GENERATORS {
            let question = (generator.make)(u64::from(seed));
            prop_assert_eq!(&(generator.make)(u64::from(seed)), &question, "{} is not deterministic", generator.slug);
            prop_assert!(!question.prompt.is_empty() && !question.explanation.is_empty());
            match &question.key {
                Key::One(index) => prop_assert!(*index < question.options.len()),
                Key::Set(indices) => prop_assert!(!indices.is_empty() && indices.iter().all(|index| *index < question.options.len())),
                Key::Number { value, tolerance } => prop_assert!(value.is_finite() && *value >= 0.0 && (0.0..=0.5).contains(tolerance)),
                Key::Order(_) => prop_assert!(false, "no generator asks for an order"),
            }
            let mut options = question.options.clone();
            options.sort();
            options.dedup();
            prop_assert_eq!(options.len(), question.options.len(), "{}: repeated options {:?}", generator.slug, question.options);
            let texts = answer_texts(&question);
            prop_assert!(
                texts.iter().any(|text| question.explanation.contains(text.as_str())) || matches!(question.key, Key::Set(_)),
                "{} seed {}: the explanation does not state the answer {:?}: {}", generator.slug, seed, texts, question.explanation
            );
            // The model's answer is right by its own check.
            let response = match &question.key {
                Key::One(index) => Response::One(*index),
                Key::Set(indices) => Response::Set(indices.clone()),
                Key::Number { value, .. } => Response::Number(*value),
                Key::Order(count) => Response::Order((0..*count).collect()),
            };
            prop_assert!(check(&question.key, &response).correct);
        }
    }

    #[test]
    fn the_estimates_the_explanations_teach_land_inside_the_band(seed in any::<u32>()) {
        let seed = u64::from(seed);
        for slug in ["modulo-moves", "ring-join"] {
            let question = generate(slug, seed).unwrap();
            let Key::Number { value, tolerance } = question.key else { unreachable!() };
            // The rule of thumb the explanation teaches, computed independently of the model.
            let servers: f64 = question.prompt.split_whitespace().find_map(|word| word.parse::<f64>().ok().filter(|n| *n < 100.0)).unwrap();
            let estimate = if slug == "modulo-moves" { 10_000.0 * servers / (servers + 1.0) } else { 10_000.0 / (servers + 1.0) };
            prop_assert!(crate::learn::question::within(estimate, value, tolerance), "{slug} seed {seed}: rule {estimate} vs model {value}");
        }
    }

    #[test]
    fn numbers_match_their_formulas(seed in any::<u32>()) {
        let seed = u64::from(seed);
        let bloom = generate("bloom-size", seed).unwrap();
        let Key::Number { value, .. } = bloom.key else { unreachable!() };
        let digits: Vec<f64> = bloom.prompt.replace(',', "").split_whitespace().filter_map(|word| word.trim_end_matches('%').parse::<f64>().ok()).collect();
        let (items, percent) = (digits[0], digits[1]);
        let formula = -items * (percent / 100.0).ln() / std::f64::consts::LN_2.powi(2) / 8.0 / 1e6;
        prop_assert!((value - formula).abs() / formula < 0.001, "{value} vs {formula}");

        let bucket = generate("token-bucket", seed).unwrap();
        let Key::Number { value, .. } = bucket.key else { unreachable!() };
        let numbers: Vec<u64> = bucket.prompt.split(|c: char| !c.is_ascii_digit()).filter_map(|word| word.parse().ok()).collect();
        let (capacity, rate, first, second, wait) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
        let expected = first.min(capacity) + second.min((wait * rate).min(capacity));
        prop_assert_eq!(value, expected as f64, "{}", bucket.prompt);
    }
}

use super::Answer::*;
use super::*;
use crate::viz::poster::{aria_label, pairs};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn ranked(answers: &[Answer]) -> Verdict {
    verdict(&Answers::of(answers))
}

fn stores(list: &[Scored]) -> Vec<Store> {
    list.iter().map(|scored| scored.store).collect()
}

fn scored(verdict: &Verdict, store: Store) -> &Scored {
    verdict.ranking.iter().find(|scored| scored.store == store).expect("every store is ranked")
}

/// The slugs of the pattern pages in `content/patterns`, read from their front matter the way
/// the site generator routes them (`/patterns/<slug>/`).
fn pattern_slugs() -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/patterns");
    let mut slugs = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("content/patterns exists") {
        let text = std::fs::read_to_string(entry.expect("a readable entry").path()).expect("a readable page");
        let slug = text.lines().find_map(|line| line.strip_prefix("slug = \"")).and_then(|rest| rest.strip_suffix('"'));
        slugs.insert(slug.expect("every pattern page has a slug").to_string());
    }
    slugs
}

// ---- The whole answer space --------------------------------------------------------------

#[test]
fn the_answer_space_is_every_combination_once() {
    // 5 shapes × 4 access patterns × 4 special queries × 4 guarantees × 4 scales × 4 ways to run
    // it, counting "not sure" in each.
    let all: Vec<Answers> = Answers::every().collect();
    assert_eq!(all.len(), 5 * 4 * 4 * 4 * 4 * 4);
    assert_eq!(all.iter().collect::<std::collections::HashSet<_>>().len(), all.len(), "no combination twice");
    assert_eq!(all.iter().filter(|answers| answers.given().count() == 0).count(), 1);
    assert_eq!(all.iter().filter(|answers| answers.given().count() == 6).count(), 4 * 3 * 3 * 3 * 3 * 3);
}

#[test]
fn every_path_shows_a_sound_shortlist() {
    for answers in Answers::every() {
        let verdict = verdict(&answers);
        let shortlist = verdict.shortlist();
        assert!((SHORTLIST_MIN..=SHORTLIST_MAX).contains(&shortlist.len()), "{answers:?}: {} shown", shortlist.len());
        assert_eq!(verdict.ranking.len(), Store::ALL.len());
        assert_eq!(stores(&verdict.ranking).into_iter().collect::<BTreeSet<_>>().len(), Store::ALL.len(), "{answers:?}: each store once");
        // Beyond the first three, only stores with something in their favour are shown.
        for extra in &shortlist[SHORTLIST_MIN..] {
            assert!(extra.score > 0, "{answers:?}: {:?} shown at {}", extra.store, extra.score);
        }
        if let Some(next) = verdict.ranking.get(shortlist.len()) {
            assert!(shortlist.len() == SHORTLIST_MAX || next.score <= 0, "{answers:?}: {:?} ({}) left out", next.store, next.score);
        }
    }
}

#[test]
fn every_reason_comes_from_an_answer_the_reader_gave() {
    for answers in Answers::every() {
        for scored in verdict(&answers).ranking {
            for rule in &scored.reasons {
                assert_eq!(rule.store, scored.store, "{answers:?}: a reason of another store");
                for needed in rule.when {
                    assert!(answers.has(*needed), "{answers:?}: {:?} gave “{}” although {needed:?} was not answered", scored.store, rule.reason);
                }
            }
            for (answer, _) in &scored.cannot {
                assert!(answers.has(*answer), "{answers:?}: {:?} fails {answer:?}, which was not asked for", scored.store);
            }
        }
    }
}

#[test]
fn every_score_adds_up_from_its_reasons() {
    // A reference sum over the whole table, written apart from the scorer: the prior, every
    // rule whose answers were all given, and the penalty for each requirement the store cannot
    // meet. It must equal the score and the shown reasons must be exactly those rules.
    for answers in Answers::every() {
        for scored in verdict(&answers).ranking {
            let candidate = scored.candidate();
            let fired: Vec<&Rule> = RULES.iter().filter(|rule| rule.store == scored.store && rule.when.iter().all(|answer| answers.get(answer.question()) == Some(*answer))).collect();
            let failed = candidate.cannot.iter().filter(|(answer, _)| answers.given().any(|given| given == *answer)).count() as i32;
            let expected = candidate.prior + fired.iter().map(|rule| rule.points).sum::<i32>() + REQUIREMENT_PENALTY * failed;
            assert_eq!(scored.score, expected, "{answers:?}: {:?}", scored.store);
            assert_eq!(scored.reasons, fired, "{answers:?}: {:?}", scored.store);
        }
    }
}

#[test]
fn a_store_that_cannot_meet_a_requirement_is_never_first_and_says_why() {
    let mut seen_lower_down = 0;
    for answers in Answers::every() {
        let verdict = verdict(&answers);
        assert!(verdict.first().cannot.is_empty(), "{answers:?}: {:?} is first but cannot meet {:?}", verdict.first().store, verdict.first().cannot);
        for (position, scored) in verdict.ranking.iter().enumerate() {
            for (answer, why) in scored.candidate().cannot {
                if !answers.has(*answer) {
                    continue;
                }
                assert!(answer.is_requirement(), "{:?}: {answer:?} is not a requirement", scored.store);
                assert!(scored.trade_off().contains(why) && scored.trade_off().contains(answer.short()), "{answers:?}: {:?}'s trade-off: {}", scored.store, scored.trade_off());
                if position < verdict.shortlist_len {
                    seen_lower_down += 1;
                }
            }
        }
    }
    // The rule must be able to bite: such stores do reach shortlists, just never the top.
    assert!(seen_lower_down > 100, "{seen_lower_down}");
}

#[test]
fn the_ranking_follows_the_documented_order() {
    // Sorted by score, then prior, then catalogue order, except that the first place goes to
    // the best store that can meet every requirement given. Checked pairwise on every path.
    let key = |scored: &Scored| (std::cmp::Reverse(scored.score), std::cmp::Reverse(scored.candidate().prior), scored.store);
    for answers in Answers::every() {
        let verdict = verdict(&answers);
        let rest = &verdict.ranking[1..];
        for pair in rest.windows(2) {
            assert!(key(&pair[0]) < key(&pair[1]), "{answers:?}: {:?} before {:?}", pair[0].store, pair[1].store);
        }
        let first = verdict.first();
        let best_able = verdict.ranking.iter().filter(|scored| scored.cannot.is_empty()).min_by_key(|scored| key(scored)).expect("a relational database meets every requirement");
        assert_eq!(first.store, best_able.store, "{answers:?}");
        // The first is also the best outright unless that best cannot meet a requirement.
        let best = verdict.ranking.iter().min_by_key(|scored| key(scored)).expect("stores exist");
        assert!(best.store == first.store || !best.cannot.is_empty(), "{answers:?}");
    }
}

#[test]
fn ties_go_to_the_higher_prior_then_to_the_catalogue_order() {
    // With nothing answered, every specialised store scores its prior of 0: they follow the
    // general-purpose three in catalogue order.
    let defaults = ranked(&[]);
    assert_eq!(stores(&defaults.ranking), Store::ALL.to_vec());
    // Keys looked up, stale reads acceptable: the managed key-value store (3 for lookups + 1
    // for eventual reads) and the in-memory one (3 + 1) tie at 4; the key-value store is listed
    // first in the catalogue, so it wins.
    let sessions = ranked(&[ByKey, Eventual]);
    assert_eq!(scored(&sessions, Store::KeyValue).score, 4);
    assert_eq!(scored(&sessions, Store::InMemory).score, 4);
    assert_eq!(stores(&sessions.ranking[..2]), [Store::KeyValue, Store::InMemory]);
}

#[test]
fn every_what_if_is_what_dropping_that_answer_really_does() {
    for answers in Answers::every() {
        let verdict = verdict(&answers);
        let mut seen = BTreeSet::new();
        for answer in answers.given() {
            // The ranking alone (no what-ifs of its own), with that question back at "not sure".
            let without = rank(&answers.without(answer.question()), RULES).remove(0);
            let what_if = verdict.what_ifs.iter().find(|what_if| what_if.dropped == answer);
            if without.store == verdict.first().store {
                assert!(what_if.is_none(), "{answers:?}: dropping {answer:?} changes nothing, but the page says so");
            } else {
                assert_eq!(what_if.map(|what_if| what_if.first), Some(without.store), "{answers:?}: dropping {answer:?}");
            }
            seen.insert(answer);
        }
        assert!(verdict.what_ifs.iter().all(|what_if| seen.contains(&what_if.dropped)), "{answers:?}: a what-if for an answer not given");
    }
}

#[test]
fn every_store_can_come_first_and_every_rule_can_fire() {
    let mut firsts = BTreeSet::new();
    let mut listed = BTreeSet::new();
    let mut fired = BTreeSet::new();
    for answers in Answers::every() {
        let verdict = verdict(&answers);
        firsts.insert(verdict.first().store);
        listed.extend(stores(verdict.shortlist()));
        for scored in &verdict.ranking {
            fired.extend(scored.reasons.iter().map(|rule| (rule.store, rule.reason)));
        }
    }
    assert_eq!(firsts.len(), Store::ALL.len(), "never first: {:?}", Store::ALL.iter().filter(|store| !firsts.contains(store)).collect::<Vec<_>>());
    assert_eq!(listed.len(), Store::ALL.len());
    for rule in RULES {
        assert!(fired.contains(&(rule.store, rule.reason)), "never fires: {:?} “{}”", rule.store, rule.reason);
    }
}

// ---- The tables themselves ------------------------------------------------------------------

#[test]
fn the_tables_are_consistent() {
    for question in Question::ALL {
        let choices = question.choices();
        assert_eq!(choices[0].0, NOT_SURE, "{question:?}: the neutral answer comes first");
        assert!((3..=5).contains(&choices.len()), "{question:?}: 2 to 4 answers and the neutral one");
        assert_eq!(question.answers().count(), choices.len() - 1, "{question:?}: every choice is an answer");
        assert!(question.answers().all(|answer| answer.question() == question));
    }
    assert_eq!(Answer::ALL.iter().map(|answer| answer.question()).collect::<BTreeSet<_>>().len(), Question::ALL.len());
    for answer in Answer::ALL {
        assert!(answer.question().answers().any(|listed| listed == answer), "{answer:?} is offered by its question");
        assert!(!answer.short().is_empty() && answer.label().len() > answer.short().len(), "{answer:?}");
    }
    for (index, store) in Store::ALL.into_iter().enumerate() {
        let candidate = store.candidate();
        assert_eq!(candidate.store, store, "the catalogue follows Store::ALL");
        assert_eq!(store as usize, index);
        assert!(!candidate.examples.is_empty() && !candidate.patterns.is_empty(), "{store:?}");
        assert!(candidate.trade_off.ends_with('.'), "{store:?}");
        for (answer, why) in candidate.cannot {
            assert!(answer.is_requirement() && why.ends_with('.'), "{store:?}: {answer:?}");
        }
    }
    for rule in RULES {
        let questions: BTreeSet<Question> = rule.when.iter().map(|answer| answer.question()).collect();
        assert_eq!(questions.len(), rule.when.len(), "“{}” needs two answers to one question and could never fire", rule.reason);
        assert!(rule.points != 0 && rule.points.abs() <= 5, "“{}”: {} points", rule.reason, rule.points);
        assert!(rule.reason.ends_with('.') && rule.reason.len() > 20, "“{}”", rule.reason);
    }
    let reasons: BTreeSet<(Store, &str)> = RULES.iter().map(|rule| (rule.store, rule.reason)).collect();
    assert_eq!(reasons.len(), RULES.len(), "each reason once per store");
}

#[test]
fn every_pattern_link_points_at_a_page_that_exists() {
    let slugs = pattern_slugs();
    assert!(slugs.contains("database-models"), "the reader found the pattern pages: {slugs:?}");
    for candidate in CATALOGUE {
        for (slug, title) in candidate.patterns {
            assert!(slugs.contains(*slug), "{:?} links /patterns/{slug}/ ({title}), which does not exist", candidate.store);
            assert!(!title.is_empty());
        }
    }
}

// ---- Named scenarios: each expectation argued from the workload, not read off the output ----

#[test]
fn with_nothing_answered_a_relational_database_comes_first() {
    // Knowing nothing, the safe pick is the general-purpose store: any query can be added later,
    // transactions are there if needed, it runs on one machine, and moving off it once the real
    // access patterns are known is easier than moving off a specialised store. Distributed SQL
    // and a document database are the other general-purpose picks, so they complete the three.
    let verdict = ranked(&[]);
    assert_eq!(stores(verdict.shortlist()), [Store::Relational, Store::DistributedSql, Store::Document]);
    assert!(verdict.first().reasons.is_empty() && verdict.what_ifs.is_empty(), "no reasons without answers");
}

#[test]
fn a_bank_ledger_gets_a_relational_database_or_distributed_sql() {
    // Accounts and entries that refer to each other, transfers that must move money atomically,
    // auditors' ad-hoc queries, a team fluent in SQL: everything a relational database promises.
    // By hand: 2 (prior) + 3 (tables) + 3 (ad hoc) + 3 (transactions) + 2 (one machine) + 2 (SQL)
    // = 15. Distributed SQL fits all but the size: 1 + 2 + 2 + 3 + 2 − 2 (one machine) = 8.
    let ledger = ranked(&[Tables, AdHoc, Transactions, OneMachine, Sql]);
    assert_eq!(ledger.first().store, Store::Relational);
    assert_eq!(ledger.first().score, 15);
    assert_eq!(ledger.ranking[1].store, Store::DistributedSql);
    assert_eq!(ledger.ranking[1].score, 8);
    // The same ledger written from several regions keeps its transactions only on distributed
    // SQL, which is built for exactly that: 1 + 2 + 3 + 3 + 2 (both together) = 11 against the
    // relational 2 + 3 + 3 − 2 = 6.
    let global = ranked(&[Tables, Transactions, MultiRegion]);
    assert_eq!(stores(&global.ranking[..2]), [Store::DistributedSql, Store::Relational]);
    assert_eq!((global.ranking[0].score, global.ranking[1].score), (11, 6));
    assert_eq!(global.what_ifs, [WhatIf { dropped: MultiRegion, first: Store::Relational }]);
    // Stores that cannot hold a transaction never lead a ledger's shortlist.
    for verdict in [&ledger, &global] {
        assert!(verdict.shortlist().iter().all(|scored| !matches!(scored.store, Store::WideColumn | Store::InMemory | Store::Search)));
    }
}

#[test]
fn chat_history_at_huge_write_scale_gets_a_wide_column_store() {
    // Messages are appended and read back newest first per channel, at more writes than one
    // machine takes, and a message showing up a moment late is fine: one partition per channel,
    // sorted by time, spread over many nodes, as Discord did with Cassandra and then ScyllaDB.
    let chat = ranked(&[Events, Ranges, Eventual, WriteScale]);
    assert_eq!(chat.first().store, Store::WideColumn);
    assert_eq!(chat.first().score, 2 + 2 + 2 + 3, "events, ranges, eventual, write scale");
    assert!(chat.first().candidate().patterns.iter().any(|(slug, _)| *slug == "discord-storage-evolution"));
    // Require multi-record transactions as well and the wide-column store can no longer lead:
    // it stays on the shortlist, says why in its trade-off, and the page says it would come
    // first without that requirement.
    let strict = ranked(&[Events, Ranges, Transactions, WriteScale]);
    assert_ne!(strict.first().store, Store::WideColumn);
    let wide = strict.shortlist().iter().find(|scored| scored.store == Store::WideColumn).expect("still shortlisted");
    assert!(wide.trade_off().starts_with("Cannot meet “transactions”"), "{}", wide.trade_off());
    assert!(strict.what_ifs.contains(&WhatIf { dropped: Transactions, first: Store::WideColumn }), "{:?}", strict.what_ifs);
}

#[test]
fn product_catalogue_search_puts_a_search_engine_on_the_list() {
    // Products are documents with attributes that vary by category, and shoppers type words:
    // relevance-ranked full-text search needs an inverted index, so a search engine must be on
    // the list, beside a primary store that holds the documents.
    let catalogue = ranked(&[Documents, FullText]);
    let shortlisted = stores(catalogue.shortlist());
    assert!(shortlisted.contains(&Store::Search), "{shortlisted:?}");
    assert!(shortlisted.contains(&Store::Document), "{shortlisted:?}");
    let search = scored(&catalogue, Store::Search);
    assert!(search.reasons.iter().any(|rule| rule.when == [FullText]));
    assert!(search.trade_off().contains("second store"), "the page says it does not replace the primary store");
}

#[test]
fn iot_sensor_readings_get_a_time_series_database_first() {
    // Devices append timestamped readings that are never edited, read back by time window and
    // rolled up into dashboards: the workload time-series engines are named after. By hand:
    // 3 (events) + 2 (ranges) + 2 (time-window aggregates) = 7, ahead of columnar analytics at
    // 1 + 5 = 6, which is built for the aggregates but not for windowed reads.
    let iot = ranked(&[Events, Ranges, Analytics]);
    assert_eq!(iot.first().store, Store::TimeSeries);
    assert_eq!((iot.ranking[0].score, iot.ranking[1].store, iot.ranking[1].score), (7, Store::Columnar, 6));
}

#[test]
fn a_social_graph_gets_a_graph_database_first() {
    // Friends of friends is a traversal of many-to-many links, two hops and more: a graph
    // database stores those links directly. Told only that the data is a graph, it scores 5
    // against the relational 2 + 1; on one server, where no traversal crosses machines, 7
    // against 2 + 1 + 2.
    for answers in [&[Links][..], &[Links, OneMachine]] {
        let verdict = ranked(answers);
        assert_eq!(verdict.first().store, Store::Graph, "{answers:?}");
        assert_eq!(verdict.ranking[1].store, Store::Relational, "{answers:?}: recursive SQL is the fallback");
    }
    // Spread the graph over many machines and it stops being the answer: a graph is hard to cut.
    assert_ne!(ranked(&[Links, WriteScale]).first().store, Store::Graph);
}

#[test]
fn a_shopping_cart_at_scale_goes_to_the_managed_key_value_store_unless_it_must_be_self_hosted() {
    // Carts are read and written whole by user id, traffic outgrows one machine at sales, and
    // the team wants nothing to operate: a serverless key-value store. By hand: 3 + 3 + 2 = 8.
    let cart = ranked(&[ByKey, WriteScale, Managed]);
    assert_eq!((cart.first().store, cart.first().score), (Store::KeyValue, 8));
    // DynamoDB cannot run on your own machines, so self-hosting takes it off the top and its
    // trade-off says why.
    let own = ranked(&[ByKey, WriteScale, SelfHosted]);
    assert_ne!(own.first().store, Store::KeyValue);
    assert!(scored(&own, Store::KeyValue).trade_off().contains("only as an AWS service"));
}

#[test]
fn semantic_search_gets_a_vector_index_with_postgres_close_behind() {
    // Retrieval for a language model looks documents up by the nearest embeddings: that needs a
    // nearest-neighbour index (5), and pgvector lets PostgreSQL do it next to the documents
    // themselves (2 + 1 for JSON documents + 1 for vectors = 4).
    let rag = ranked(&[Documents, Vectors]);
    assert_eq!(rag.first().store, Store::Vector);
    assert!(stores(rag.shortlist()).contains(&Store::Relational));
}

#[test]
fn sql_dashboards_over_events_get_columnar_analytics() {
    // Analysts aggregate months of immutable events in SQL: a column store reads only the
    // columns a query names. By hand: 1 (events) + 5 (analytics) + 2 (SQL) = 8, against the
    // time-series database's 3 + 2 + 1 = 6.
    let dashboards = ranked(&[Events, Analytics, Sql]);
    assert_eq!((dashboards.first().store, dashboards.first().score), (Store::Columnar, 8));
    assert_eq!(dashboards.ranking[1].store, Store::TimeSeries);
}

// ---- The link -----------------------------------------------------------------------------

#[test]
fn every_path_round_trips_through_the_link() {
    for answers in Answers::every() {
        let link: Vec<(String, String)> = answers.params().to_pairs().into_iter().map(|(key, value)| (key.to_string(), value)).collect();
        assert_eq!(link.len(), answers.given().count(), "only answered questions go in the link");
        let (back, notes) = Answers::from_pairs(&link);
        assert_eq!(back, answers);
        assert!(notes.is_empty(), "{notes:?}");
    }
}

#[test]
fn garbage_in_the_link_falls_back_to_not_sure_with_a_note() {
    let (answers, notes) = Answers::from_pairs(&pairs(&[("shape", "<script>alert(1)</script>"), ("ops", "SQL"), ("scale", "global"), ("zzz", "1"), ("access", "")]));
    assert_eq!(answers, Answers::of(&[MultiRegion]), "the one valid answer is kept");
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes[0].contains("What the data looks like") && notes[0].contains("Expected one of: any, tables, documents, graph, events."), "{}", notes[0]);
    // An answer that belongs to another question is refused too.
    let (answers, notes) = Answers::from_pairs(&pairs(&[("shape", "transactions")]));
    assert_eq!((answers, notes.len()), (Answers::none(), 1));
}

proptest! {
    #[test]
    fn any_link_reads_without_panicking(
        keys in prop::collection::vec(prop::sample::select(vec!["shape", "access", "special", "consistency", "scale", "ops", "other"]), 0..8),
        values in prop::collection::vec(prop_oneof![prop::sample::select(vec!["any", "graph", "key", "text", "strong", "one", "self", " sql "]).prop_map(str::to_string), "\\PC{0,12}"], 8),
    ) {
        let list: Vec<(String, String)> = keys.iter().zip(&values).map(|(key, value)| (key.to_string(), value.clone())).collect();
        let (answers, notes) = Answers::from_pairs(&list);
        // Each question takes the last value the link gives it that is one of its own choices
        // (spaces around it ignored); anything else leaves the answer before it in place.
        for question in Question::ALL {
            let valid = |value: &str| value.trim() == NOT_SURE || Answer::from_key(question, value.trim()).is_some();
            let expected = list.iter().rev().find(|(key, value)| key == question.key() && valid(value)).and_then(|(_, value)| Answer::from_key(question, value.trim()));
            prop_assert_eq!(answers.get(question), expected, "{:?}", list);
        }
        let refused = list.iter().filter(|(key, value)| Question::ALL.iter().any(|question| question.key() == key && value.trim() != NOT_SURE && Answer::from_key(*question, value.trim()).is_none())).count();
        prop_assert_eq!(notes.len(), refused, "one note per refused value: {:?}", notes);
        let poster = poster::poster(&list).finish();
        prop_assert!(poster.problems.is_empty(), "{:?}", poster.problems);
    }

    #[test]
    fn the_ranking_does_not_depend_on_the_order_of_the_rules(choice in prop::collection::vec(0usize..5, 6), shuffled in Just(RULES.to_vec()).prop_shuffle()) {
        let answers = Question::ALL.into_iter().zip(&choice).fold(Answers::none(), |answers, (question, pick)| match question.answers().nth(*pick) {
            Some(answer) => answers.with(answer),
            None => answers,
        });
        let reordered: &'static [Rule] = Box::leak(shuffled.into_boxed_slice());
        let order = |ranking: Vec<Scored>| ranking.into_iter().map(|scored| (scored.store, scored.score)).collect::<Vec<_>>();
        prop_assert_eq!(order(rank(&answers, reordered)), order(rank(&answers, RULES)));
    }
}

// ---- The picture ------------------------------------------------------------------------------

#[test]
fn the_picture_fits_its_canvas_on_every_path() {
    for answers in Answers::every() {
        let poster = poster::picture(&verdict(&answers)).finish();
        assert!(poster.problems.is_empty(), "{answers:?}: {:?}", poster.problems);
        assert!(poster.svg.len() < 8_000, "{answers:?}: {} bytes", poster.svg.len());
    }
}

#[test]
fn the_poster_shows_the_default_ranking_and_follows_its_link() {
    let defaults = poster::poster(&[]).finish();
    assert!(defaults.problems.is_empty(), "{:?}", defaults.problems);
    for words in [">Best fits, ranked<", ">no answers yet<", ">Relational database<", ">PostgreSQL, MySQL<", ">Answer the questions to change the order.<"] {
        assert!(defaults.svg.contains(words), "{words} missing: {}", defaults.svg);
    }
    assert_eq!(aria_label(&defaults.svg), "Data stores ranked for no answers given: 1 Relational database (+2), 2 Distributed SQL (+1), 3 Document database (+1).");
    // A chat workload that also needs transactions: the wide-column store is crossed out and the
    // footer says what dropping the requirement would do.
    let strict = poster::poster(&pairs(&[("shape", "events"), ("access", "range"), ("consistency", "transactions"), ("scale", "writes")])).finish();
    assert!(strict.problems.is_empty(), "{:?}", strict.problems);
    assert!(strict.svg.contains(">cannot meet: transactions<") && strict.svg.contains(">4 answers of 6<"), "{}", strict.svg);
    assert!(strict.svg.contains("pv-path pv-path--4"), "the cross is drawn: {}", strict.svg);
    // Garbage reads as "not sure" and draws the defaults.
    assert_eq!(poster::poster(&pairs(&[("shape", "blob"), ("ops", "<b>")])).finish().svg, defaults.svg);
}

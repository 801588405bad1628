//! Spaced review with FSRS, the Free Spaced Repetition Scheduler, through the `rs-fsrs` crate
//! (the open-spaced-repetition project's own Rust scheduler). Each question answered becomes a
//! card; a right answer rates it Good and a wrong one Again, and FSRS picks the next due date
//! from the card's memory state.
//!
//! The long-term scheduler is used (`enable_short_term = false`): its intervals are whole days,
//! at least one, which suits a site read between other things; the short-term one would ask
//! again after minutes, as Anki's learning steps do. No fuzz, so a schedule is reproducible.

use rs_fsrs::{Parameters, Rating};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// A question's memory state, as stored (times in Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Card {
    pub due: i64,
    pub stability: f64,
    pub difficulty: f64,
    pub reps: u32,
    pub lapses: u32,
    /// 0 new, 1 learning, 2 review, 3 relearning (FSRS's states; the long-term scheduler only
    /// ever moves a card to review).
    pub state: u8,
    pub last_review: i64,
    pub scheduled_days: i64,
}

impl Card {
    /// Whether the card is due at `now`.
    pub fn is_due(&self, now: i64) -> bool {
        self.due <= now
    }
}

fn parameters() -> Parameters {
    Parameters { enable_short_term: false, enable_fuzz: false, ..Parameters::default() }
}

/// The card after the reader answers at `now` (`card` is `None` the first time), right or wrong.
///
/// This is rs-fsrs's `LongtermScheduler` step written over the crate's own public formulas
/// (`init_*`, `next_difficulty`, `next_*_stability`, `next_interval`, `forgetting_curve`) and
/// whole days, rather than a call to `FSRS::next`. The reason is size: the scheduler works in
/// `chrono` dates, fills a `HashMap` with all four ratings and formats a float for its fuzz seed,
/// and cost every page's bundle 14.4 KB gzipped (measured 2026-12-07, 59.9 → 45.5 KB for the
/// core); these formulas cost a fraction of that. A property test checks this step against
/// `FSRS::next` itself over random histories, card for card.
pub fn review(card: Option<&Card>, now: i64, correct: bool) -> Card {
    let parameters = parameters();
    // A clock set back (or a file imported from a machine ahead of this one) must not make the
    // elapsed time negative: the forgetting curve is undefined there.
    let now = card.map_or(now, |card| now.max(card.last_review));
    let seen = card.filter(|card| card.state != 0);
    let elapsed_days = seen.map_or(0, |card| (now - card.last_review) / DAY);
    let rating = if correct { Rating::Good } else { Rating::Again };
    // Stability after Again, Hard and Good: the intervals of the three are tied together below.
    let (difficulty, stability) = match seen {
        None => (
            parameters.init_difficulty(rating),
            [Rating::Again, Rating::Hard, Rating::Good].map(|rating| parameters.init_stability(rating)),
        ),
        Some(card) => {
            let retrievability = Parameters::forgetting_curve(elapsed_days as f64, card.stability);
            (
                parameters.next_difficulty(card.difficulty, rating),
                [
                    parameters.next_forget_stability(card.difficulty, card.stability, retrievability),
                    parameters.next_recall_stability(card.difficulty, card.stability, retrievability, Rating::Hard),
                    parameters.next_recall_stability(card.difficulty, card.stability, retrievability, Rating::Good),
                ],
            )
        }
    };
    let interval = |stability: f64| parameters.next_interval(stability, elapsed_days);
    let again = interval(stability[0]).min(interval(stability[1]));
    let hard = interval(stability[1]).max(again + 1.0);
    let good = interval(stability[2]).max(hard + 1.0);
    let days = if correct { good } else { again } as i64;
    Card {
        due: now + days * DAY,
        stability: if correct { stability[2] } else { stability[0] },
        difficulty,
        reps: card.map_or(0, |card| card.reps) + 1,
        lapses: card.map_or(0, |card| card.lapses) + u32::from(seen.is_some() && !correct),
        state: 2,
        last_review: now,
        scheduled_days: days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOON: i64 = 1_796_644_800; // 2026-12-07 12:00 UTC

    #[test]
    fn a_right_answer_waits_longer_than_a_wrong_one() {
        let right = review(None, NOON, true);
        let wrong = review(None, NOON, false);
        assert!(right.due > wrong.due, "{right:?} {wrong:?}");
        assert!(wrong.due >= NOON + DAY, "the long-term scheduler waits at least a day: {wrong:?}");
        assert_eq!(right.reps, 1);
    }

    #[test]
    fn intervals_grow_while_the_reader_keeps_remembering_and_shrink_after_a_lapse() {
        let mut card = review(None, NOON, true);
        let mut last_interval = card.due - NOON;
        for _ in 0..4 {
            let now = card.due;
            card = review(Some(&card), now, true);
            let interval = card.due - now;
            assert!(interval > last_interval, "{interval} after {last_interval}");
            last_interval = interval;
        }
        let now = card.due;
        let lapsed = review(Some(&card), now, false);
        assert_eq!(lapsed.lapses, 1);
        assert!(lapsed.due - now < last_interval, "a forgotten card comes back sooner");
    }

    /// The crate's own long-term scheduler, in its own types, for comparison.
    fn by_the_crate(card: Option<&Card>, now: i64, correct: bool) -> Card {
        use rs_fsrs::{Card as FsrsCard, State, FSRS};
        let time = |seconds: i64| chrono::DateTime::from_timestamp(seconds, 0).unwrap();
        let now = card.map_or(now, |card| now.max(card.last_review));
        let fsrs_card = match card {
            None => FsrsCard { due: time(now), stability: 0.0, difficulty: 0.0, elapsed_days: 0, scheduled_days: 0, reps: 0, lapses: 0, state: State::New, last_review: time(now) },
            Some(card) => FsrsCard {
                due: time(card.due),
                stability: card.stability,
                difficulty: card.difficulty,
                elapsed_days: 0,
                scheduled_days: card.scheduled_days,
                reps: card.reps as i32,
                lapses: card.lapses as i32,
                state: State::Review,
                last_review: time(card.last_review),
            },
        };
        let next = FSRS::new(parameters()).next(fsrs_card, time(now), if correct { Rating::Good } else { Rating::Again }).card;
        Card {
            due: next.due.timestamp(),
            stability: next.stability,
            difficulty: next.difficulty,
            reps: next.reps as u32,
            lapses: next.lapses as u32,
            state: next.state as u8,
            last_review: next.last_review.timestamp(),
            scheduled_days: next.scheduled_days,
        }
    }

    proptest! {
        #[test]
        fn each_step_is_the_crates_long_term_scheduler(answers in proptest::collection::vec((any::<bool>(), 0i64..400_000_00), 1..15)) {
            let (mut ours, mut theirs): (Option<Card>, Option<Card>) = (None, None);
            let mut now = NOON;
            for (correct, gap) in answers {
                let (a, b) = (review(ours.as_ref(), now, correct), by_the_crate(theirs.as_ref(), now, correct));
                prop_assert_eq!(a, b);
                ours = Some(a);
                theirs = Some(b);
                now += gap;
            }
        }

        #[test]
        fn a_card_is_never_due_before_it_was_answered(answers in proptest::collection::vec(any::<bool>(), 1..12), gaps in proptest::collection::vec(0i64..90, 12)) {
            let mut now = NOON;
            let mut card: Option<Card> = None;
            for (at, correct) in answers.into_iter().enumerate() {
                let next = review(card.as_ref(), now, correct);
                prop_assert!(next.due > now, "{next:?} at {now}");
                prop_assert!(next.stability.is_finite() && next.stability > 0.0);
                prop_assert!((1.0..=10.0).contains(&next.difficulty), "{next:?}");
                card = Some(next);
                now += gaps[at] * DAY;
            }
        }
    }
}

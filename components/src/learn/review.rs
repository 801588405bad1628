//! Spaced review with FSRS, the Free Spaced Repetition Scheduler, through the `rs-fsrs` crate
//! (the open-spaced-repetition project's own Rust scheduler). Each question answered becomes a
//! card; a right answer rates it Good and a wrong one Again, and FSRS picks the next due date
//! from the card's memory state.
//!
//! The long-term scheduler is used (`enable_short_term = false`): its intervals are whole days,
//! at least one, which suits a site read between other things; the short-term one would ask
//! again after minutes, as Anki's learning steps do. No fuzz, so a schedule is reproducible.

use rs_fsrs::{Card as FsrsCard, Parameters, Rating, State, FSRS};

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
    /// 0 new, 1 learning, 2 review, 3 relearning (FSRS's states).
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

fn scheduler() -> FSRS {
    FSRS::new(Parameters { enable_short_term: false, enable_fuzz: false, ..Parameters::default() })
}

fn time(seconds: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

fn to_fsrs(card: Option<&Card>, now: i64) -> FsrsCard {
    match card {
        None => FsrsCard { due: time(now), last_review: time(now), ..blank() },
        Some(card) => FsrsCard {
            due: time(card.due),
            stability: card.stability,
            difficulty: card.difficulty,
            elapsed_days: ((now - card.last_review) / DAY).max(0),
            scheduled_days: card.scheduled_days,
            reps: card.reps as i32,
            lapses: card.lapses as i32,
            state: match card.state {
                1 => State::Learning,
                2 => State::Review,
                3 => State::Relearning,
                _ => State::New,
            },
            last_review: time(card.last_review),
        },
    }
}

/// `Card::new()` reads the clock; a blank card with the clock left out.
fn blank() -> FsrsCard {
    FsrsCard {
        due: time(0),
        stability: 0.0,
        difficulty: 0.0,
        elapsed_days: 0,
        scheduled_days: 0,
        reps: 0,
        lapses: 0,
        state: State::New,
        last_review: time(0),
    }
}

/// The card after the reader answers at `now` (`card` is `None` the first time), right or wrong.
pub fn review(card: Option<&Card>, now: i64, correct: bool) -> Card {
    // A clock set back (or a file imported from a machine ahead of this one) must not make the
    // elapsed time negative: FSRS's forgetting curve is undefined there.
    let now = card.map_or(now, |card| now.max(card.last_review));
    let rating = if correct { Rating::Good } else { Rating::Again };
    let next = scheduler().next(to_fsrs(card, now), time(now), rating).card;
    Card {
        due: next.due.timestamp(),
        stability: next.stability,
        difficulty: next.difficulty,
        reps: next.reps.max(0) as u32,
        lapses: next.lapses.max(0) as u32,
        state: next.state as u8,
        last_review: now,
        scheduled_days: next.scheduled_days,
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

    proptest! {
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

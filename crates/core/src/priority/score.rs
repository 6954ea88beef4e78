//! The score of a request, its breakdown, and the key that keeps a queue in score order at
//! every instant.
//!
//! Points are counted in whole thousandths ("milli-points") and summed as integers, so the
//! parts of a breakdown add up to the total exactly and a stored key orders exactly.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::cues::{CueKind, Cues, Language};
use super::reason::{Part, Reason};
use super::weights::Weights;

/// What is known about a request when it is scored.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals<'a> {
    /// When the response is due by its response-time target; `None` gives no time part.
    pub due_at: Option<Timestamp>,
    /// What the customer has bought in total, in cents; zero or less counts as nothing.
    pub lifetime_value_cents: i64,
    /// The customer's segment keys (`premium`); case and spaces around them do not matter.
    pub segments: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
    /// The text's language tag (`de`, `en-GB`); `None` or another language: cue words of
    /// both are looked for.
    pub language: Option<&'a str>,
    /// The channel key the request came through (`phone`).
    pub channel: &'a str,
    /// The customer's earlier contacts in the last seven days, counted by the caller.
    pub earlier_contacts: u32,
}

/// A request's score at one instant with the parts it is made of, largest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    /// The sum of the parts' points.
    pub total: f64,
    /// Largest absolute points first, gains before losses of the same size; parts worth
    /// nothing are left out.
    pub parts: Vec<Part>,
}

impl Score {
    /// The breakdown in words: "due in 40 min +73.3, premium customer +15, angry: 'wütend' +10".
    pub fn describe(&self, lang: &str) -> String {
        let parts: Vec<String> = self.parts.iter().map(|part| part.describe(lang)).collect();
        parts.join(", ")
    }
}

const MILLI_PER_POINT: f64 = 1000.0;
const MICROS_PER_HOUR: i128 = 3_600_000_000;
const MICROS_PER_MINUTE: i64 = 60_000_000;

/// `as` saturates and maps NaN to zero: weights that were never validated give odd scores,
/// never a panic.
fn to_milli(points: f64) -> i64 {
    (points * MILLI_PER_POINT).round() as i64
}

fn from_milli(milli: i64) -> f64 {
    milli as f64 / MILLI_PER_POINT
}

fn saturate(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// `time_per_hour` in milli-points per hour.
fn rate(weights: &Weights) -> i128 {
    i128::from(to_milli(weights.time_per_hour))
}

/// The milli-points the clock has given from the Unix epoch to `at`, rounded down. Every
/// instant's time part is a difference of two of these, so the rounding of the due time is
/// the same at every `now` and cannot reorder requests.
fn clock_milli(at: Timestamp, rate: i128) -> i64 {
    saturate((rate * i128::from(at.as_microsecond())).div_euclid(MICROS_PER_HOUR))
}

fn horizon_milli(weights: &Weights) -> i64 {
    (rate(weights) as f64 * weights.horizon_hours).round() as i64
}

/// The time part in milli-points: `time_per_hour × (horizon_hours − hours left)`.
fn time_milli(due_at: Timestamp, now: Timestamp, weights: &Weights) -> i64 {
    let rate = rate(weights);
    horizon_milli(weights)
        .saturating_add(clock_milli(now, rate))
        .saturating_sub(clock_milli(due_at, rate))
}

#[derive(Default)]
struct Tally {
    milli: i64,
    parts: Vec<Part>,
}

impl Tally {
    fn add(&mut self, reason: Reason, points: f64) {
        self.add_milli(reason, to_milli(points));
    }

    fn add_milli(&mut self, reason: Reason, milli: i64) {
        if milli != 0 {
            self.milli = self.milli.saturating_add(milli);
            self.parts.push(Part {
                reason,
                points: from_milli(milli),
            });
        }
    }

    fn sorted(mut self) -> (i64, Vec<Part>) {
        // Stable: parts of equal points keep the order they were added in.
        self.parts.sort_by(|a, b| {
            b.points
                .abs()
                .total_cmp(&a.points.abs())
                .then(b.points.total_cmp(&a.points))
        });
        (self.milli, self.parts)
    }
}

fn static_tally(signals: &Signals, weights: &Weights, cues: &Cues) -> Tally {
    let mut tally = Tally::default();
    if signals.lifetime_value_cents > 0 {
        let thousands_of_euros = signals.lifetime_value_cents as f64 / 100_000.0;
        tally.add(
            Reason::Value {
                lifetime_value_cents: signals.lifetime_value_cents,
            },
            (thousands_of_euros * weights.value_per_1000_eur).min(weights.value_cap),
        );
    }

    let mut segments_counted: Vec<&str> = Vec::new();
    for segment in signals.segments {
        let key = segment.trim().to_lowercase();
        if let Some((name, points)) = weights.segments.get_key_value(&key)
            && !segments_counted.contains(&name.as_str())
        {
            segments_counted.push(name);
            tally.add(Reason::Segment { name: name.clone() }, *points);
        }
    }

    let language = signals.language.and_then(Language::parse);
    let mut urgent_cue = None;
    let mut negative_cue = None;
    for text in [signals.subject, signals.body] {
        for hit in cues.detect_in(text, language) {
            if hit.negated {
                continue;
            }
            let first = match hit.kind {
                CueKind::Urgent => &mut urgent_cue,
                CueKind::Negative => &mut negative_cue,
            };
            first.get_or_insert(hit.word);
        }
    }
    if let Some(cue) = urgent_cue {
        tally.add(Reason::Urgent { cue }, weights.urgent);
    }
    if let Some(cue) = negative_cue {
        tally.add(Reason::Negative { cue }, weights.negative);
    }

    let channel = signals.channel.trim().to_lowercase();
    if let Some((name, points)) = weights.channels.get_key_value(&channel) {
        tally.add(Reason::Channel { name: name.clone() }, *points);
    }

    if signals.earlier_contacts > 0 {
        let counted = signals.earlier_contacts.min(weights.repeat_cap);
        tally.add(
            Reason::RepeatContact {
                count: signals.earlier_contacts,
            },
            weights.repeat_contact * f64::from(counted),
        );
    }
    tally
}

/// The points that do not change with time (everything but the due time), with their parts,
/// largest first. Compute them when a request arrives or changes, then keep its
/// [`rank_key`].
pub fn static_points(signals: &Signals, weights: &Weights, cues: &Cues) -> (f64, Vec<Part>) {
    let (milli, parts) = static_tally(signals, weights, cues).sorted();
    (from_milli(milli), parts)
}

/// The request's score at `now` with its breakdown: the static points plus
/// `time_per_hour × (horizon_hours − hours left until due_at)`, which keeps rising once the
/// request is overdue and is negative far before its due time.
pub fn score(signals: &Signals, weights: &Weights, cues: &Cues, now: Timestamp) -> Score {
    let mut tally = static_tally(signals, weights, cues);
    if let Some(due_at) = signals.due_at {
        let left = due_at.as_microsecond().saturating_sub(now.as_microsecond());
        let reason = if left >= 0 {
            Reason::DueIn {
                minutes: left / MICROS_PER_MINUTE,
            }
        } else {
            Reason::Overdue {
                minutes: left.saturating_neg() / MICROS_PER_MINUTE,
            }
        };
        tally.add_milli(reason, time_milli(due_at, now, weights));
    }
    let (milli, parts) = tally.sorted();
    Score {
        total: from_milli(milli),
        parts,
    }
}

/// The key that orders a queue by score at every instant, in milli-points (thousandths of a
/// point): the score the request would have had at the Unix epoch.
///
/// The time part grows by `time_per_hour` for every request alike, so
/// `score(now) = (rank_key + time_per_hour × hours since the epoch) / 1000` and sorting by
/// the key, descending, sorts by score at any `now`, exactly: index it once, never re-sort
/// as time passes. `static_points` is the first value [`static_points`] returns. A request
/// without a due time has no time part and so no place in this order; give it one (a default
/// response-time target) to queue it. Keys of requests scored with different weights do not
/// compare.
pub fn rank_key(static_points: f64, due_at: Timestamp, weights: &Weights) -> i64 {
    to_milli(static_points)
        .saturating_add(horizon_milli(weights))
        .saturating_sub(clock_milli(due_at, rate(weights)))
}

/// The score total at `now` of a request stored with `rank_key`, without scoring it again;
/// equal to the total of [`score`] at `now`.
pub fn score_at(rank_key: i64, now: Timestamp, weights: &Weights) -> f64 {
    from_milli(rank_key.saturating_add(clock_milli(now, rate(weights))))
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use jiff::SignedDuration;
    use proptest::prelude::*;

    use super::*;

    static CUES: LazyLock<Cues> = LazyLock::new(Cues::new);

    const NOW: &str = "2026-03-02T09:00:00Z";

    fn at(instant: &str) -> Timestamp {
        instant.parse().expect("an instant")
    }

    fn in_minutes(minutes: i64) -> Timestamp {
        at(NOW)
            .checked_add(SignedDuration::from_mins(minutes))
            .expect("in range")
    }

    fn scored(signals: &Signals) -> Score {
        score(signals, &Weights::default(), &CUES, at(NOW))
    }

    /// The parts as (reason, points).
    fn parts(signals: &Signals) -> Vec<(Reason, f64)> {
        scored(signals)
            .parts
            .into_iter()
            .map(|part| (part.reason, part.points))
            .collect()
    }

    #[test]
    fn time_gives_points_by_the_hours_left() {
        // 10 points an hour, zero at 8 hours before the due time.
        let due = |minutes| Signals {
            due_at: Some(in_minutes(minutes)),
            ..Signals::default()
        };
        assert_eq!(parts(&due(45)), vec![(Reason::DueIn { minutes: 45 }, 72.5)]);
        assert_eq!(
            parts(&due(-126)),
            vec![(Reason::Overdue { minutes: 126 }, 101.0)]
        );
        assert_eq!(
            parts(&due(24 * 60)),
            vec![(Reason::DueIn { minutes: 1440 }, -160.0)]
        );
        assert_eq!(parts(&due(0)), vec![(Reason::DueIn { minutes: 0 }, 80.0)]);
        // Exactly at the horizon the time part is worth nothing and left out.
        assert!(parts(&due(8 * 60)).is_empty());
        // 40 minutes are 6.6666… points: the due time's thousandths are rounded down, so
        // the request gets the fraction.
        assert_eq!(
            parts(&due(40)),
            vec![(Reason::DueIn { minutes: 40 }, 73.334)]
        );
    }

    #[test]
    fn minutes_are_whole_and_overdue_counts_up() {
        let due_at = at("2026-03-02T09:40:30Z");
        let signals = Signals {
            due_at: Some(due_at),
            ..Signals::default()
        };
        let weights = Weights::default();
        let reason = |now: &str| {
            score(&signals, &weights, &CUES, at(now)).parts[0]
                .reason
                .clone()
        };
        assert_eq!(reason(NOW), Reason::DueIn { minutes: 40 });
        assert_eq!(reason("2026-03-02T09:40:30Z"), Reason::DueIn { minutes: 0 });
        assert_eq!(
            reason("2026-03-02T09:41:00Z"),
            Reason::Overdue { minutes: 0 }
        );
        assert_eq!(
            reason("2026-03-02T11:46:00Z"),
            Reason::Overdue { minutes: 125 }
        );
    }

    #[test]
    fn lifetime_value_gives_points_up_to_the_cap() {
        let value = |cents| {
            parts(&Signals {
                lifetime_value_cents: cents,
                ..Signals::default()
            })
        };
        let reason = |cents| Reason::Value {
            lifetime_value_cents: cents,
        };
        assert_eq!(value(1_250_000), vec![(reason(1_250_000), 12.5)]);
        assert_eq!(value(5_000_000), vec![(reason(5_000_000), 20.0)]);
        assert!(value(0).is_empty());
        assert!(value(-10_000).is_empty());
    }

    #[test]
    fn each_known_segment_counts_once() {
        let segments = ["Premium ", "vip", "gold", "premium"].map(String::from);
        let signals = Signals {
            segments: &segments,
            ..Signals::default()
        };
        assert_eq!(
            parts(&signals),
            vec![
                (Reason::Segment { name: "vip".into() }, 25.0),
                (
                    Reason::Segment {
                        name: "premium".into()
                    },
                    15.0
                ),
            ]
        );
    }

    #[test]
    fn urgency_and_anger_count_once_named_by_the_first_cue() {
        let signals = Signals {
            subject: "DRINGEND",
            body: "Das ist unverschämt und eine Frechheit. Bitte sofort!",
            ..Signals::default()
        };
        assert_eq!(
            parts(&signals),
            vec![
                (
                    Reason::Urgent {
                        cue: "DRINGEND".into()
                    },
                    20.0
                ),
                (
                    Reason::Negative {
                        cue: "unverschämt".into()
                    },
                    10.0
                ),
            ]
        );
    }

    #[test]
    fn negated_cues_give_nothing_and_are_no_reason() {
        let signals = Signals {
            subject: "Keine Eile",
            body: "Es ist kein Notfall und ich bin nicht enttäuscht.",
            language: Some("de"),
            ..Signals::default()
        };
        assert!(parts(&signals).is_empty());
        let signals = Signals {
            body: "This is not urgent, but I am disappointed.",
            language: Some("en"),
            ..Signals::default()
        };
        assert_eq!(
            parts(&signals),
            vec![(
                Reason::Negative {
                    cue: "disappointed".into()
                },
                10.0
            )]
        );
    }

    #[test]
    fn a_later_cue_counts_when_the_first_is_negated() {
        let signals = Signals {
            subject: "nicht dringend",
            body: "Jetzt aber dringend!",
            ..Signals::default()
        };
        assert_eq!(
            parts(&signals),
            vec![(
                Reason::Urgent {
                    cue: "dringend".into()
                },
                20.0
            )]
        );
    }

    #[test]
    fn channels_give_or_take_points() {
        let channel = |name| {
            parts(&Signals {
                channel: name,
                ..Signals::default()
            })
        };
        assert_eq!(
            channel("Phone"),
            vec![(
                Reason::Channel {
                    name: "phone".into()
                },
                5.0
            )]
        );
        assert_eq!(
            channel("letter"),
            vec![(
                Reason::Channel {
                    name: "letter".into()
                },
                -5.0
            )]
        );
        assert!(channel("email").is_empty());
    }

    #[test]
    fn earlier_contacts_count_up_to_the_cap() {
        let repeat = |count| {
            parts(&Signals {
                earlier_contacts: count,
                ..Signals::default()
            })
        };
        assert_eq!(repeat(2), vec![(Reason::RepeatContact { count: 2 }, 10.0)]);
        assert_eq!(repeat(7), vec![(Reason::RepeatContact { count: 7 }, 15.0)]);
        assert!(repeat(0).is_empty());
    }

    fn segments_premium() -> Vec<String> {
        vec!["premium".to_owned()]
    }

    fn full_request(segments: &[String]) -> Signals<'_> {
        Signals {
            due_at: Some(in_minutes(45)),
            lifetime_value_cents: 1_250_000,
            segments,
            subject: "Bestellung 4711",
            body: "Das ist unverschämt, ich brauche die Ware dringend.",
            language: Some("de"),
            channel: "letter",
            earlier_contacts: 1,
        }
    }

    #[test]
    fn the_breakdown_goes_from_largest_to_smallest() {
        let segments = segments_premium();
        let score = scored(&full_request(&segments));
        assert_eq!(score.total, 130.0);
        assert_eq!(
            score.describe("en"),
            "due in 45 min +72.5, urgent: 'dringend' +20, premium customer +15, \
             customer value €12,500 +12.5, angry: 'unverschämt' +10, 1 earlier contact +5, \
             channel: Letter -5"
        );
        assert_eq!(
            score.describe("de"),
            "fällig in 45 Min. +72,5, dringend: „dringend“ +20, Kundensegment premium +15, \
             Kundenwert 12.500 € +12,5, verärgert: „unverschämt“ +10, 1 früherer Kontakt +5, \
             Kanal: Brief -5"
        );
    }

    #[test]
    fn static_points_leave_out_the_time() {
        let segments = segments_premium();
        let (points, parts) = static_points(&full_request(&segments), &Weights::default(), &CUES);
        assert_eq!(points, 57.5);
        assert_eq!(parts.len(), 6);
        assert!(
            parts
                .iter()
                .all(|part| !matches!(part.reason, Reason::DueIn { .. }))
        );
    }

    #[test]
    fn without_a_due_time_the_score_stands_still() {
        let signals = Signals {
            channel: "phone",
            ..Signals::default()
        };
        let weights = Weights::default();
        let early = score(&signals, &weights, &CUES, at(NOW));
        let late = score(&signals, &weights, &CUES, at("2027-01-01T00:00:00Z"));
        assert_eq!(early, late);
        assert_eq!(early.total, 5.0);
    }

    #[test]
    fn the_rank_key_is_the_score_at_the_epoch() {
        let weights = Weights::default();
        // 12.5 static + 10 × (8 − 5 hours left at the epoch) = 42.5 points.
        let key = rank_key(12.5, at("1970-01-01T05:00:00Z"), &weights);
        assert_eq!(key, 42_500);
        // An hour later the request is overdue by one hour: 12.5 + 10 × (8 + 1).
        assert_eq!(score_at(key, at("1970-01-01T06:00:00Z"), &weights), 102.5);
    }

    #[test]
    fn a_stored_key_gives_the_score_of_now() {
        let segments = segments_premium();
        let signals = full_request(&segments);
        let weights = Weights::default();
        let key = rank_key(
            static_points(&signals, &weights, &CUES).0,
            in_minutes(45),
            &weights,
        );
        for now in [at(NOW), in_minutes(300), at("2030-01-01T00:00:00Z")] {
            assert_eq!(
                score_at(key, now, &weights),
                score(&signals, &weights, &CUES, now).total
            );
        }
    }

    const TEXTS: [&str; 6] = [
        "",
        "Bitte dringend prüfen",
        "nicht dringend",
        "This is unacceptable!",
        "Kündigung zum Monatsende",
        "no rush, thanks again",
    ];
    const CHANNELS: [&str; 4] = ["phone", "letter", "email", "chat"];

    #[derive(Debug, Clone)]
    struct Request {
        lifetime_value_cents: i64,
        segments: Vec<String>,
        text: &'static str,
        channel: &'static str,
        earlier_contacts: u32,
        due_in_micros: i64,
    }

    impl Request {
        fn signals(&self, base: Timestamp) -> Signals<'_> {
            Signals {
                due_at: Some(base + SignedDuration::from_micros(self.due_in_micros)),
                lifetime_value_cents: self.lifetime_value_cents,
                segments: &self.segments,
                subject: "",
                body: self.text,
                language: None,
                channel: self.channel,
                earlier_contacts: self.earlier_contacts,
            }
        }
    }

    const THIRTY_DAYS_MICROS: i64 = 30 * 24 * 3_600_000_000;

    fn request() -> impl Strategy<Value = Request> {
        (
            0i64..10_000_000,
            prop::sample::select(vec![
                vec![],
                vec!["premium".to_owned()],
                vec!["VIP".to_owned()],
                vec!["premium".to_owned(), "vip".to_owned()],
            ]),
            prop::sample::select(TEXTS.to_vec()),
            prop::sample::select(CHANNELS.to_vec()),
            0u32..6,
            -THIRTY_DAYS_MICROS..THIRTY_DAYS_MICROS,
        )
            .prop_map(
                |(lifetime_value_cents, segments, text, channel, earlier_contacts, due)| Request {
                    lifetime_value_cents,
                    segments,
                    text,
                    channel,
                    earlier_contacts,
                    due_in_micros: due,
                },
            )
    }

    fn weights() -> impl Strategy<Value = Weights> {
        (0.0f64..100.0, 0.0f64..48.0, 0.0f64..50.0).prop_map(
            |(time_per_hour, horizon_hours, urgent)| Weights {
                time_per_hour,
                horizon_hours,
                urgent,
                ..Weights::default()
            },
        )
    }

    proptest! {
        /// Ordering by the stored key, descending, is ordering by the score at any instant:
        /// for every pair the key comparison and the score comparison agree, ties included.
        #[test]
        fn the_rank_key_orders_as_the_score_at_every_instant(
            requests in prop::collection::vec(request(), 2..12),
            nows in prop::collection::vec(-2 * THIRTY_DAYS_MICROS..2 * THIRTY_DAYS_MICROS, 1..5),
            weights in weights(),
        ) {
            let base = at(NOW);
            let keys: Vec<i64> = requests
                .iter()
                .map(|r| {
                    let signals = r.signals(base);
                    let (points, _) = static_points(&signals, &weights, &CUES);
                    rank_key(points, signals.due_at.expect("has a due time"), &weights)
                })
                .collect();
            for offset in nows {
                let now = base + SignedDuration::from_micros(offset);
                let scores: Vec<Score> = requests
                    .iter()
                    .map(|r| score(&r.signals(base), &weights, &CUES, now))
                    .collect();
                for (i, a) in scores.iter().enumerate() {
                    prop_assert_eq!(a.total, score_at(keys[i], now, &weights));
                    let parts_milli: i64 = a.parts.iter().map(|p| to_milli(p.points)).sum();
                    prop_assert_eq!(parts_milli, to_milli(a.total));
                    for (j, b) in scores.iter().enumerate() {
                        prop_assert_eq!(keys[i].cmp(&keys[j]), a.total.total_cmp(&b.total));
                    }
                }
            }
        }

        /// Time moves every request alike: the later instant never swaps two of them.
        #[test]
        fn time_passing_keeps_the_order(
            a in request(),
            b in request(),
            earlier in -THIRTY_DAYS_MICROS..THIRTY_DAYS_MICROS,
            later_by in 0i64..THIRTY_DAYS_MICROS,
        ) {
            let base = at(NOW);
            let weights = Weights::default();
            let now = base + SignedDuration::from_micros(earlier);
            let then = now + SignedDuration::from_micros(later_by);
            let at_now = |r: &Request, t| score(&r.signals(base), &weights, &CUES, t).total;
            prop_assert_eq!(
                at_now(&a, now).total_cmp(&at_now(&b, now)),
                at_now(&a, then).total_cmp(&at_now(&b, then))
            );
        }
    }
}

//! Survey answers and customer events made up for the demo company and for benchmarks:
//! deterministic, so two runs give the same data.
//!
//! Both generators are iterators that yield exactly the number of items asked for, in time
//! order, without holding them: ten million answers stream through a few kilobytes of state
//! (customer events keep one entry per customer, not per event).
//!
//! What makes the data look real:
//! - every touchpoint has its own quality level, so some stand out as strong and a few as
//!   weak; about four in ten improve slowly over the range;
//! - volume varies by weekday (Saturdays busy, Sundays quiet) and by season (the weeks before
//!   Christmas busiest), and more important touchpoints collect more answers;
//! - some answers carry a German comment, mostly at the ends of the scale, and some a customer
//!   number like `K-10042`;
//! - customers join over time, are active and buy, a few percent cancel per quarter and some
//!   of those come back.

use jiff::Timestamp;

use crate::kpi::{CustomerEventKind, Metric};
use crate::survey::{CustomerEventFields, ResponseFields};
use crate::touchpoint::Importance;

/// What to make up: how many answers and customer events, between `from` (inclusive) and
/// `until` (exclusive), from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleSpec {
    pub seed: u64,
    pub from: Timestamp,
    pub until: Timestamp,
    pub answers: usize,
    pub events: usize,
}

/// A touchpoint answers are made up for: its survey's metric and, if it has one, the survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleTouchpoint {
    pub id: i64,
    pub channel: String,
    pub importance: Importance,
    pub metric: Metric,
    pub survey_id: Option<i64>,
}

/// SplitMix64 (Steele, Lea, Flood 2014; the seeding generator of `java.util.SplittableRandom`
/// and of xoshiro): tiny, fast and statistically good enough for made-up data. Kept here
/// rather than a dependency because the output must never change under a version bump.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n); 0 for n = 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // Multiply-shift (Lemire): no modulo, bias below 2^-64 · n.
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Roughly standard normal: the sum of four uniforms, centred and scaled (Irwin–Hall).
    fn normal(&mut self) -> f64 {
        let sum: f64 = (0..4).map(|_| self.unit()).sum();
        (sum - 2.0) * 3f64.sqrt()
    }
}

const DAY: i64 = 86_400;

/// How busy the days of the range are: instants at quantiles of the volume, so that
/// evenly spread quantiles give busy days more items and stay in time order.
#[derive(Debug, Clone)]
struct Calendar {
    /// (start, end) in seconds of each slice of a UTC day within the range.
    slices: Vec<(i64, i64)>,
    /// Running total of the slices' volume weights.
    cumulative: Vec<f64>,
}

impl Calendar {
    fn new(from: Timestamp, until: Timestamp, weekly: bool) -> Self {
        let (start, end) = (from.as_second(), until.as_second().max(from.as_second()));
        let mut slices = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0.0;
        let mut day = start.div_euclid(DAY);
        while day * DAY < end {
            let slice = ((day * DAY).max(start), ((day + 1) * DAY).min(end));
            if slice.1 > slice.0 {
                // 1970-01-01 was a Thursday: (day + 3) mod 7 counts from Monday.
                let weekday = match (day + 3).rem_euclid(7) {
                    5 if weekly => 1.25,
                    6 if weekly => 0.55,
                    _ => 1.0,
                };
                // Busiest in mid-December (day 350 of the year), quietest in June.
                let season =
                    1.0 + 0.25 * (std::f64::consts::TAU * ((day + 17) as f64 / 365.2425)).cos();
                total += weekday * season * (slice.1 - slice.0) as f64 / DAY as f64;
                slices.push(slice);
                cumulative.push(total);
            }
            day += 1;
        }
        Calendar { slices, cumulative }
    }

    /// The instant at quantile `q` in [0, 1) of the volume, in whole seconds; monotone in `q`.
    fn at(&self, q: f64) -> i64 {
        let Some(&total) = self.cumulative.last() else {
            return 0;
        };
        let target = q * total;
        let i = self
            .cumulative
            .partition_point(|&c| c <= target)
            .min(self.slices.len() - 1);
        let before = if i == 0 { 0.0 } else { self.cumulative[i - 1] };
        let width = self.cumulative[i] - before;
        let f = if width > 0.0 {
            ((target - before) / width).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (start, end) = self.slices[i];
        let length = end - start;
        // Whole days: answers come between 05:00 and 22:00 UTC, when people are awake.
        let offset = if length == DAY {
            5 * 3_600 + (f * (17 * 3_600) as f64) as i64
        } else {
            (f * length as f64) as i64
        };
        (start + offset).min(end - 1)
    }
}

fn instant(seconds: i64, fallback: Timestamp) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(fallback)
}

/// How a touchpoint fares: its quality from −1 (weak) to 1 (strong) at the start of the range
/// and how much it improves until the end.
#[derive(Debug, Clone, Copy)]
struct Profile {
    quality: f64,
    improvement: f64,
}

fn profile(seed: u64, touchpoint_id: i64) -> Profile {
    let mut rng =
        SplitMix64::new(seed ^ (touchpoint_id as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let kind = rng.unit();
    let quality = if kind < 0.15 {
        -0.9 + 0.5 * rng.unit()
    } else if kind < 0.7 {
        -0.1 + 0.5 * rng.unit()
    } else {
        0.5 + 0.45 * rng.unit()
    };
    let improvement = if rng.chance(0.4) {
        0.2 + 0.35 * rng.unit()
    } else {
        0.0
    };
    Profile {
        quality,
        improvement,
    }
}

/// A score on the metric's scale for a touchpoint of quality `quality` in [−1, 1].
fn score(rng: &mut SplitMix64, metric: Metric, quality: f64) -> u8 {
    let (mean, spread) = match metric {
        Metric::Nps => (7.3 + 2.3 * quality, 1.9),
        Metric::Csat => (3.9 + 0.9 * quality, 0.85),
        Metric::Ces => (5.0 + 1.4 * quality, 1.2),
    };
    let (low, high) = metric.scale();
    let value = (mean + spread * rng.normal()).round();
    value.clamp(f64::from(low), f64::from(high)) as u8
}

const PRAISE: [&str; 8] = [
    "Sehr freundliche und kompetente Beratung, gerne wieder.",
    "Alles hat reibungslos geklappt, vielen Dank!",
    "Schnell, unkompliziert und super nett.",
    "Die Lieferung kam pünktlich und die Monteure waren top.",
    "Endlich mal ein Service, der mitdenkt.",
    "Tolle Auswahl und ehrliche Beratung.",
    "Hat genau so funktioniert, wie es beschrieben war.",
    "Ich empfehle Nordlicht jedem in meinem Freundeskreis.",
];

const COMPLAINTS: [&str; 8] = [
    "Viel zu lange Wartezeit in der Hotline.",
    "Niemand hat sich zurückgemeldet, obwohl es versprochen war.",
    "Die Lieferung kam zwei Wochen zu spät.",
    "Das Formular ist umständlich und bricht ständig ab.",
    "Unfreundlich und schlecht informiert.",
    "Die Preise auf der Website und im Laden waren verschieden.",
    "Die Montage war unvollständig, es fehlten Schrauben.",
    "Ich musste dreimal anrufen, bis mir jemand helfen konnte.",
];

/// Whether a score is at the low or high end of its scale: comments come mostly from there.
fn comment_for(rng: &mut SplitMix64, metric: Metric, score: u8) -> String {
    let (low, high) = metric.scale();
    let third = (high - low) / 3;
    let pool = if score <= low + third {
        &COMPLAINTS
    } else if score >= high - third {
        &PRAISE
    } else {
        return String::new();
    };
    if rng.chance(0.12) {
        pool[rng.below(pool.len())].to_owned()
    } else {
        String::new()
    }
}

/// Customer numbers as the demo company writes them.
fn customer_ref(number: usize) -> String {
    format!("KD-{}", 10_000 + number)
}

/// Made-up answers for `touchpoints`; see [`answers`].
#[derive(Debug, Clone)]
pub struct Answers {
    rng: SplitMix64,
    calendar: Calendar,
    touchpoints: Vec<(SampleTouchpoint, Profile)>,
    cumulative_weight: Vec<f64>,
    from: i64,
    span: f64,
    fallback: Timestamp,
    customers: usize,
    next: usize,
    total: usize,
}

/// Exactly `spec.answers` answers for `touchpoints` (none without touchpoints), in time
/// order, each scored on its touchpoint's metric.
pub fn answers(spec: &SampleSpec, touchpoints: &[SampleTouchpoint]) -> Answers {
    let mut cumulative_weight = Vec::with_capacity(touchpoints.len());
    let mut total = 0.0;
    for t in touchpoints {
        // Important touchpoints see more customers, and so more answers.
        total += t.importance.overall().max(1.0).powi(2);
        cumulative_weight.push(total);
    }
    let (from, until) = (spec.from.as_second(), spec.until.as_second());
    Answers {
        rng: SplitMix64::new(spec.seed),
        calendar: Calendar::new(spec.from, spec.until, true),
        touchpoints: touchpoints
            .iter()
            .map(|t| (t.clone(), profile(spec.seed, t.id)))
            .collect(),
        cumulative_weight,
        from,
        span: (until - from).max(1) as f64,
        fallback: spec.from,
        customers: (spec.answers / 8).max(100),
        next: 0,
        total: if touchpoints.is_empty() || until <= from {
            0
        } else {
            spec.answers
        },
    }
}

impl Iterator for Answers {
    type Item = ResponseFields;

    fn next(&mut self) -> Option<ResponseFields> {
        if self.next >= self.total {
            return None;
        }
        let rng = &mut self.rng;
        let q = (self.next as f64 + rng.unit()) / self.total as f64;
        self.next += 1;
        let at = self.calendar.at(q);
        let progress = ((at - self.from) as f64 / self.span).clamp(0.0, 1.0);

        let weight = rng.unit() * self.cumulative_weight.last().copied().unwrap_or(0.0);
        let i = self
            .cumulative_weight
            .partition_point(|&c| c <= weight)
            .min(self.touchpoints.len() - 1);
        let (touchpoint, profile) = &self.touchpoints[i];
        let quality = (profile.quality + profile.improvement * progress + 0.15 * rng.normal())
            .clamp(-1.0, 1.0);
        let score = score(rng, touchpoint.metric, quality);
        let comment = comment_for(rng, touchpoint.metric, score);
        let customer_ref = rng
            .chance(0.4)
            .then(|| customer_ref(rng.below(self.customers)));
        Some(ResponseFields {
            touchpoint_id: touchpoint.id,
            survey_id: touchpoint.survey_id,
            metric: touchpoint.metric,
            score,
            comment,
            answered_at: instant(at, self.fallback),
            channel: None,
            customer_ref,
            external_id: None,
            request_id: None,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.total - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Answers {}

/// Share of events that bring a new customer.
const JOIN_SHARE: f64 = 0.06;
/// Share of active customers who cancel per quarter.
const CHURN_PER_QUARTER: f64 = 0.04;
/// Share of former customers won back per quarter.
const WIN_BACK_PER_QUARTER: f64 = 0.08;
/// Share of a customer's events that are purchases.
const PURCHASE_SHARE: f64 = 0.35;

/// Made-up customer events; see [`customer_events`].
#[derive(Debug, Clone)]
pub struct CustomerEvents {
    rng: SplitMix64,
    calendar: Calendar,
    fallback: Timestamp,
    /// Events expected per quarter, to turn quarterly rates into per-event chances.
    events_per_quarter: f64,
    active: Vec<u32>,
    former: Vec<u32>,
    customers: u32,
    next: usize,
    total: usize,
}

/// Exactly `spec.events` customer events in time order: a customer's first event makes them
/// one, later ones are activity and purchases (amounts in cents, now and then a refund), a few
/// percent cancel per quarter and some of those return.
pub fn customer_events(spec: &SampleSpec) -> CustomerEvents {
    let (from, until) = (spec.from.as_second(), spec.until.as_second());
    let quarters = ((until - from).max(1) as f64 / (91.3 * DAY as f64)).max(1e-9);
    CustomerEvents {
        rng: SplitMix64::new(spec.seed ^ 0x5EED_C057_0E12_0000),
        calendar: Calendar::new(spec.from, spec.until, false),
        fallback: spec.from,
        events_per_quarter: (spec.events as f64 / quarters).max(1.0),
        active: Vec::new(),
        former: Vec::new(),
        customers: 0,
        next: 0,
        total: if until <= from { 0 } else { spec.events },
    }
}

/// An amount as a furniture store sees them: mostly accessories, some furniture, a few
/// kitchens; prices end in ,90 or ,99.
fn amount(rng: &mut SplitMix64) -> i64 {
    let euros = match rng.unit() {
        r if r < 0.55 => 9 + rng.below(90),
        r if r < 0.9 => 149 + rng.below(850),
        _ => 999 + rng.below(4_000),
    } as i64;
    let cents = if rng.chance(0.5) { 90 } else { 99 };
    let total = euros * 100 + cents;
    if rng.chance(0.01) { -total } else { total }
}

impl Iterator for CustomerEvents {
    type Item = CustomerEventFields;

    fn next(&mut self) -> Option<CustomerEventFields> {
        if self.next >= self.total {
            return None;
        }
        let rng = &mut self.rng;
        let q = (self.next as f64 + rng.unit()) / self.total as f64;
        self.next += 1;
        let at = instant(self.calendar.at(q), self.fallback);

        let churn = CHURN_PER_QUARTER * self.active.len() as f64 / self.events_per_quarter;
        let win_back = WIN_BACK_PER_QUARTER * self.former.len() as f64 / self.events_per_quarter;
        let r = rng.unit();
        let (customer, kind) = if self.active.is_empty() || r < JOIN_SHARE {
            let customer = self.customers;
            self.customers += 1;
            self.active.push(customer);
            (customer, None)
        } else if r < JOIN_SHARE + churn {
            let customer = self.active.swap_remove(rng.below(self.active.len()));
            self.former.push(customer);
            (customer, Some(CustomerEventKind::Churn))
        } else if r < JOIN_SHARE + churn + win_back && !self.former.is_empty() {
            let customer = self.former.swap_remove(rng.below(self.former.len()));
            self.active.push(customer);
            (customer, None)
        } else {
            (self.active[rng.below(self.active.len())], None)
        };
        let kind = kind.unwrap_or_else(|| {
            if rng.chance(PURCHASE_SHARE) {
                CustomerEventKind::Purchase
            } else {
                CustomerEventKind::Activity
            }
        });
        let amount_cents = match kind {
            CustomerEventKind::Purchase => amount(rng),
            _ => 0,
        };
        Some(CustomerEventFields {
            customer_ref: customer_ref(customer as usize),
            kind,
            at,
            amount_cents,
            external_id: None,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.total - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for CustomerEvents {}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::kpi::Tally;

    fn spec(answers: usize, events: usize) -> SampleSpec {
        SampleSpec {
            seed: 42,
            from: "2025-01-01T00:00:00Z".parse().unwrap(),
            until: "2026-07-01T00:00:00Z".parse().unwrap(),
            answers,
            events,
        }
    }

    fn touchpoints() -> Vec<SampleTouchpoint> {
        (1..=12)
            .map(|id| SampleTouchpoint {
                id,
                channel: "store".into(),
                importance: Importance {
                    experience: (id % 5) as u8 + 1,
                    loyalty: 3,
                    referral: 3,
                },
                metric: Metric::ALL[id as usize % 3],
                survey_id: Some(100 + id),
            })
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let a: Vec<_> = answers(&spec(2_000, 0), &touchpoints()).collect();
        let b: Vec<_> = answers(&spec(2_000, 0), &touchpoints()).collect();
        assert_eq!(a, b);
        let other = SampleSpec {
            seed: 7,
            ..spec(2_000, 0)
        };
        assert_ne!(a, answers(&other, &touchpoints()).collect::<Vec<_>>());
        let e: Vec<_> = customer_events(&spec(0, 2_000)).collect();
        assert_eq!(e, customer_events(&spec(0, 2_000)).collect::<Vec<_>>());
    }

    #[test]
    fn answers_are_counted_exactly_in_scale_and_time_order() {
        let spec = spec(10_001, 0);
        let touchpoints = touchpoints();
        let all: Vec<_> = answers(&spec, &touchpoints).collect();
        assert_eq!(all.len(), 10_001);
        assert_eq!(answers(&spec, &touchpoints).len(), 10_001);
        for pair in all.windows(2) {
            assert!(pair[0].answered_at <= pair[1].answered_at);
        }
        for answer in &all {
            assert!(spec.from <= answer.answered_at && answer.answered_at < spec.until);
            let t = touchpoints
                .iter()
                .find(|t| t.id == answer.touchpoint_id)
                .unwrap();
            assert_eq!(answer.metric, t.metric);
            assert_eq!(answer.survey_id, t.survey_id);
            let (low, high) = answer.metric.scale();
            assert!((low..=high).contains(&answer.score), "{answer:?}");
        }
        assert!(all.iter().any(|a| !a.comment.is_empty()));
        let with_ref = all.iter().filter(|a| a.customer_ref.is_some()).count();
        assert!((3_000..5_000).contains(&with_ref), "{with_ref}");
        assert!(
            all.iter()
                .filter_map(|a| a.customer_ref.as_deref())
                .all(|r| r.starts_with("KD-1"))
        );
        assert_eq!(answers(&spec, &[]).count(), 0);
    }

    #[test]
    fn touchpoints_differ_visibly() {
        let all: Vec<_> = answers(&spec(60_000, 0), &touchpoints()).collect();
        let mut tallies: HashMap<i64, Tally> = HashMap::new();
        for a in &all {
            tallies.entry(a.touchpoint_id).or_default().add(a.score);
        }
        // Compare CSAT touchpoints (scale 1–5) by their share of 4s and 5s.
        let shares: Vec<f64> = touchpoints()
            .iter()
            .filter(|t| t.metric == Metric::Csat)
            .map(|t| {
                let tally = &tallies[&t.id];
                tally.count_between(4, 5) as f64 / tally.n() as f64
            })
            .collect();
        let (low, high) = shares
            .iter()
            .fold((1.0f64, 0.0f64), |(l, h), &s| (l.min(s), h.max(s)));
        assert!(high - low > 0.15, "{shares:?}");
    }

    #[test]
    fn saturdays_are_busier_than_sundays() {
        let all: Vec<_> = answers(&spec(50_000, 0), &touchpoints()).collect();
        let weekday = |a: &ResponseFields| (a.answered_at.as_second().div_euclid(DAY) + 3) % 7;
        let saturdays = all.iter().filter(|a| weekday(a) == 5).count();
        let sundays = all.iter().filter(|a| weekday(a) == 6).count();
        assert!(saturdays > sundays * 2, "{saturdays} vs {sundays}");
    }

    #[test]
    fn customer_events_make_a_plausible_customer_base() {
        let spec = spec(0, 20_000);
        let events: Vec<_> = customer_events(&spec).collect();
        assert_eq!(events.len(), 20_000);
        for pair in events.windows(2) {
            assert!(pair[0].at <= pair[1].at);
        }
        let mut state: HashMap<&str, bool> = HashMap::new();
        let (mut churns, mut win_backs) = (0, 0);
        for e in &events {
            assert!(spec.from <= e.at && e.at < spec.until);
            match e.kind {
                CustomerEventKind::Purchase => assert_ne!(e.amount_cents, 0),
                _ => assert_eq!(e.amount_cents, 0),
            }
            let was = state.get(e.customer_ref.as_str()).copied();
            match (was, e.kind) {
                (None, kind) => assert_ne!(kind, CustomerEventKind::Churn, "first event"),
                (Some(true), CustomerEventKind::Churn) => churns += 1,
                (Some(false), CustomerEventKind::Churn) => panic!("churned twice"),
                (Some(false), _) => win_backs += 1,
                (Some(true), _) => {}
            }
            state.insert(&e.customer_ref, e.kind != CustomerEventKind::Churn);
        }
        let customers = state.len();
        assert!((900..1_500).contains(&customers), "{customers}");
        // A few percent per quarter over six quarters of a growing base.
        assert!((40..400).contains(&churns), "{churns}");
        assert!(win_backs > 0);
    }

    #[test]
    fn an_empty_range_gives_nothing() {
        let empty = SampleSpec {
            until: spec(0, 0).from,
            ..spec(10, 10)
        };
        assert_eq!(answers(&empty, &touchpoints()).count(), 0);
        assert_eq!(customer_events(&empty).count(), 0);
    }
}

//! Who relies on touchpoints a retire action would take away: of the customers who used
//! them in a window, those who used no other touchpoint there (the only channel they had),
//! and the other touchpoints the rest also used — where they can be sent instead.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

/// A customer's contacts at one touchpoint in the window, as the store counts them. A
/// customer is whoever the contacts name: a profile for requests, the customer reference for
/// survey answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contacts {
    pub customer: String,
    /// `None` for a request that reached no touchpoint: no alternative to offer.
    pub touchpoint_id: Option<i64>,
    pub count: u64,
}

/// Another touchpoint that customers of the retiring ones also used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alternative {
    pub touchpoint_id: i64,
    /// Customers of the retiring touchpoints who used this one too.
    pub customers: u64,
}

/// Who relies on the retiring touchpoints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reliance {
    /// Customers who used any of the retiring touchpoints.
    pub customers: u64,
    /// Of those, the customers who used no other touchpoint: retiring takes away the only
    /// one they had.
    pub only_here: u64,
    /// The other touchpoints they used, the most shared first (ties by id), at most
    /// [`ALTERNATIVES_MAX`].
    pub alternatives: Vec<Alternative>,
}

/// The alternatives a retirement proposes, at most.
pub const ALTERNATIVES_MAX: usize = 5;

/// Sums up the contacts of every customer who used one of the `retiring` touchpoints (the
/// store passes the contacts of these customers only; others are ignored all the same).
pub fn reliance(contacts: &[Contacts], retiring: &[i64]) -> Reliance {
    let retiring: HashSet<i64> = retiring.iter().copied().collect();
    let mut elsewhere: HashMap<&str, HashSet<i64>> = HashMap::new();
    for c in contacts.iter().filter(|c| c.count > 0) {
        let others = elsewhere.entry(c.customer.as_str()).or_default();
        if let Some(tp) = c.touchpoint_id.filter(|tp| !retiring.contains(tp)) {
            others.insert(tp);
        }
    }
    let users: HashSet<&str> = contacts
        .iter()
        .filter(|c| c.count > 0 && c.touchpoint_id.is_some_and(|tp| retiring.contains(&tp)))
        .map(|c| c.customer.as_str())
        .collect();
    let mut shared: BTreeMap<i64, u64> = BTreeMap::new();
    let mut only_here = 0;
    for customer in &users {
        let others = &elsewhere[customer];
        if others.is_empty() {
            only_here += 1;
        }
        for tp in others {
            *shared.entry(*tp).or_default() += 1;
        }
    }
    let mut alternatives: Vec<Alternative> = shared
        .into_iter()
        .map(|(touchpoint_id, customers)| Alternative {
            touchpoint_id,
            customers,
        })
        .collect();
    alternatives.sort_by(|a, b| {
        b.customers
            .cmp(&a.customers)
            .then(a.touchpoint_id.cmp(&b.touchpoint_id))
    });
    alternatives.truncate(ALTERNATIVES_MAX);
    Reliance {
        customers: users.len() as u64,
        only_here,
        alternatives,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn c(customer: &str, touchpoint_id: Option<i64>, count: u64) -> Contacts {
        Contacts {
            customer: customer.to_owned(),
            touchpoint_id,
            count,
        }
    }

    #[test]
    fn customers_without_another_touchpoint_rely_on_the_retiring_ones() {
        // Retiring 7 and 8. p1 used 7 and 3; p2 used 7 and 8 only; r:KD-1 used 8 and 3 and 4;
        // p3 used 7 and a request without touchpoint; p4 used only 3 (not a customer of 7/8).
        let contacts = [
            c("p1", Some(7), 2),
            c("p1", Some(3), 1),
            c("p2", Some(7), 1),
            c("p2", Some(8), 4),
            c("rKD-1", Some(8), 1),
            c("rKD-1", Some(3), 2),
            c("rKD-1", Some(4), 1),
            c("p3", Some(7), 1),
            c("p3", None, 1),
            c("p4", Some(3), 9),
        ];
        let reliance = reliance(&contacts, &[7, 8]);
        assert_eq!(reliance.customers, 4, "p1, p2, rKD-1, p3");
        assert_eq!(reliance.only_here, 2, "p2 and p3");
        assert_eq!(
            reliance.alternatives,
            vec![
                Alternative {
                    touchpoint_id: 3,
                    customers: 2
                },
                Alternative {
                    touchpoint_id: 4,
                    customers: 1
                },
            ],
            "p4's use of 3 does not count: p4 never used 7 or 8"
        );
    }

    #[test]
    fn nobody_relies_on_unused_touchpoints() {
        assert_eq!(reliance(&[], &[1]), Reliance::default());
        assert_eq!(
            reliance(&[c("p1", Some(2), 3), c("p1", Some(1), 0)], &[1]),
            Reliance::default()
        );
    }

    #[test]
    fn the_alternatives_are_the_most_shared_five() {
        let mut contacts = Vec::new();
        for customer in 0..10 {
            contacts.push(c(&format!("p{customer}"), Some(100), 1));
            // Touchpoint t is shared by the customers below t: 1 by 1, 2 by 2, …
            for tp in (customer + 1)..=8 {
                contacts.push(c(&format!("p{customer}"), Some(tp), 1));
            }
        }
        let reliance = reliance(&contacts, &[100]);
        assert_eq!(reliance.customers, 10);
        assert_eq!(
            reliance.only_here, 2,
            "p8 and p9 use no touchpoint above their number"
        );
        let ids: Vec<i64> = reliance
            .alternatives
            .iter()
            .map(|a| a.touchpoint_id)
            .collect();
        assert_eq!(ids, vec![8, 7, 6, 5, 4]);
        assert_eq!(reliance.alternatives[0].customers, 8);
    }

    proptest! {
        /// Every customer of the retiring touchpoints either relies on them alone or is
        /// counted at one alternative at least; no alternative has more customers than there
        /// are, and none is a retiring touchpoint.
        #[test]
        fn only_here_and_alternatives_add_up(
            rows in proptest::collection::vec((0u8..12, proptest::option::of(0i64..8), 0u64..3), 0..60),
            retiring in proptest::collection::hash_set(0i64..8, 1..3),
        ) {
            let contacts: Vec<Contacts> =
                rows.iter().map(|(who, tp, n)| c(&format!("p{who}"), *tp, *n)).collect();
            let retiring: Vec<i64> = retiring.into_iter().collect();
            let r = reliance(&contacts, &retiring);
            prop_assert!(r.only_here <= r.customers);
            for a in &r.alternatives {
                prop_assert!(!retiring.contains(&a.touchpoint_id));
                prop_assert!(a.customers >= 1 && a.customers <= r.customers - r.only_here);
            }
            if r.customers > r.only_here {
                prop_assert!(!r.alternatives.is_empty());
            }
        }
    }
}

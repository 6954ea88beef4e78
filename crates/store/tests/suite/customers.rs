//! Customer profiles: identity resolution, merges and their undoing, reads by id, on both
//! backends.

use touchpoints_core::audit::AuditFilter;
use touchpoints_core::customer::{CustomerFields, Identifier, IdentifierKind};
use touchpoints_store::{Store, StoreError};

use crate::requests::request;

store_suite!(
    queue_requests_of_one_person_join_one_profile,
    queue_linking_identifiers_merge_and_unmerge_restores_exactly,
    customers_are_read_by_many_ids_at_once,
);

async fn queue_requests_of_one_person_join_one_profile(store: &dyn Store) {
    let by_mail = store
        .intake(
            &[request(
                "email",
                Some("Anna.Schulz@Example.de"),
                None,
                "Wo bleibt mein Sofa?",
            )],
            "token:mail",
        )
        .await
        .expect("intake");
    // Later by phone: the agent noted both the number and the address.
    let by_phone = store
        .intake(
            &[request(
                "phone",
                Some("anna.schulz@example.de"),
                Some("0171 1234567"),
                "Anruf",
            )],
            "token:phone",
        )
        .await
        .expect("intake");
    // And a chat that knows only the number, written another way.
    let by_chat = store
        .intake(
            &[request("chat", None, Some("+49 171 1234567"), "Hallo?")],
            "token:chat",
        )
        .await
        .expect("intake");
    let customer = by_mail[0].customer_id.expect("profile");
    assert_eq!(by_phone[0].customer_id, Some(customer));
    assert_eq!(by_chat[0].customer_id, Some(customer));
    let profile = store.customer(customer).await.expect("profile");
    assert_eq!(profile.fields.name, "Anna Schulz");
    assert_eq!(
        profile.identifiers,
        vec![
            Identifier {
                kind: IdentifierKind::Email,
                value: "anna.schulz@example.de".into()
            },
            Identifier {
                kind: IdentifierKind::Phone,
                value: "+491711234567".into()
            },
        ]
    );
    let history = store.customer_requests(customer).await.expect("history");
    let channels: Vec<&str> = history.iter().map(|r| r.channel.as_str()).collect();
    assert_eq!(channels, ["chat", "phone", "email"]);
    assert_eq!(history[0].earlier_contacts, 2);
    let found = store
        .find_customer(&Identifier {
            kind: IdentifierKind::Phone,
            value: "+491711234567".into(),
        })
        .await
        .expect("find");
    assert_eq!(found.map(|p| p.id), Some(customer));
}

async fn queue_linking_identifiers_merge_and_unmerge_restores_exactly(store: &dyn Store) {
    let old = store
        .intake(
            &[request("email", Some("anna@example.de"), None, "eins")],
            "t",
        )
        .await
        .expect("intake")[0];
    let young = store
        .intake(&[request("phone", None, Some("0171 1234567"), "zwei")], "t")
        .await
        .expect("intake")[0];
    let (a, b) = (old.customer_id.expect("a"), young.customer_id.expect("b"));
    assert_ne!(a, b);
    let young_fields = CustomerFields {
        name: "A. Schulz".into(),
        language: "de".into(),
        segments: vec!["Premium".into()],
        lifetime_value_cents: 5_000,
        ..CustomerFields::default()
    };
    store
        .update_customer(b, &young_fields, "agent")
        .await
        .expect("update");
    let before_a = store.customer(a).await.expect("a");
    let before_b = store.customer(b).await.expect("b");

    // A request naming both identifiers links the two: the older profile survives.
    let link = store
        .intake(
            &[request(
                "chat",
                Some("anna@example.de"),
                Some("+491711234567"),
                "drei",
            )],
            "t",
        )
        .await
        .expect("intake")[0];
    assert_eq!(link.customer_id, Some(a));
    let merged = store.customer(a).await.expect("a");
    assert_eq!(merged.identifiers.len(), 2);
    assert_eq!(merged.fields.name, "Anna Schulz");
    assert_eq!(merged.fields.language, "de");
    assert_eq!(merged.fields.segments, ["Premium"]);
    assert_eq!(store.customer(b).await.expect("b").merged_into, Some(a));
    assert_eq!(store.customer_requests(a).await.expect("requests").len(), 3);
    assert!(
        store
            .customer_requests(b)
            .await
            .expect("requests")
            .is_empty()
    );
    let merges = store.merges(a).await.expect("merges");
    assert_eq!(merges.len(), 1);
    let entries = store
        .audit_log(
            &AuditFilter {
                action: Some("customer.merge".into()),
                ..AuditFilter::default()
            },
            10,
        )
        .await
        .expect("audit");
    assert_eq!(entries.len(), 1);

    // The admin undoes it: both profiles as they were, the linking request stays with the
    // survivor.
    let undone = store.unmerge(merges[0].id, "admin").await.expect("unmerge");
    assert!(undone.undone_at.is_some());
    let after_a = store.customer(a).await.expect("a");
    let after_b = store.customer(b).await.expect("b");
    assert_eq!(after_a.fields, before_a.fields);
    assert_eq!(after_a.identifiers, before_a.identifiers);
    assert_eq!(after_b.fields, before_b.fields);
    assert_eq!(after_b.identifiers, before_b.identifiers);
    assert_eq!(after_b.merged_into, None);
    let b_requests: Vec<i64> = store
        .customer_requests(b)
        .await
        .expect("b")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(b_requests, [young.id]);
    assert_eq!(store.customer_requests(a).await.expect("a").len(), 2);
    // Twice is a conflict naming the merge.
    match store.unmerge(merges[0].id, "admin").await {
        Err(StoreError::Conflict(p)) => assert_eq!(p.0[0].field, "merge"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // By hand, too: the older survives whichever is named first.
    let by_hand = store.merge_customers(b, a, "admin").await.expect("merge");
    assert_eq!((by_hand.survivor_id, by_hand.absorbed_id), (a, b));
}

async fn customers_are_read_by_many_ids_at_once(store: &dyn Store) {
    let email = |value: &str| Identifier {
        kind: IdentifierKind::Email,
        value: value.into(),
    };
    let phone = Identifier {
        kind: IdentifierKind::Phone,
        value: "+491711234567".into(),
    };
    let named = |name: &str| CustomerFields {
        name: name.into(),
        segments: vec!["Premium".into()],
        lifetime_value_cents: 1_200,
        ..CustomerFields::default()
    };
    let anna = store
        .create_customer(
            &named("Anna Schulz"),
            &[email("anna@example.de"), phone.clone()],
            "agent",
        )
        .await
        .expect("create")
        .id;
    let bare = store
        .create_customer(&named("Ohne Kennung"), &[], "agent")
        .await
        .expect("create")
        .id;
    let later = store
        .create_customer(
            &named("A. Schulz"),
            &[email("a.schulz@example.de")],
            "agent",
        )
        .await
        .expect("create")
        .id;
    // A profile merged into another is read too, as `customer` reads it.
    store
        .merge_customers(anna, later, "admin")
        .await
        .expect("merge");
    let one_by_one = [
        store.customer(anna).await.expect("anna"),
        store.customer(bare).await.expect("bare"),
        store.customer(later).await.expect("later"),
    ];
    assert_eq!(one_by_one[0].identifiers.len(), 3);
    assert!(one_by_one[1].identifiers.is_empty());
    assert_eq!(one_by_one[2].merged_into, Some(anna));

    // Any order, duplicates and unknown ids: each known profile once, by ascending id.
    let unknown = later + 1_000;
    let many = store
        .customers_by_id(&[later, anna, unknown, bare, anna, later])
        .await
        .expect("many");
    assert_eq!(many, one_by_one);
    assert_eq!(
        store.customers_by_id(&[bare]).await.expect("one"),
        [one_by_one[1].clone()]
    );
    assert!(
        store
            .customers_by_id(&[unknown, -1])
            .await
            .expect("unknown")
            .is_empty()
    );
    assert!(store.customers_by_id(&[]).await.expect("none").is_empty());
}

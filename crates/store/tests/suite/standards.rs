//! Service standards, stories and recorded interactions, on both backends.

use jiff::{SignedDuration, Timestamp};
use touchpoints_core::standards::Measure;
use touchpoints_core::{Role, Subject};
use touchpoints_store::{
    Example, ImportSummary, InteractionInput, StandardFields, Store, StoreError, StoryFields,
};

use crate::harness::{
    after, assert_audited, assert_not_audited, audit_mark, audited_since, fields, invalid_fields,
    micros, user,
};

store_suite!(
    standards_are_kept_with_references_checked,
    stories_keep_their_touchpoint_and_standard,
    interactions_are_recorded_all_or_nothing,
    a_customers_interactions_are_exported_and_erased,
);

fn standard(title: &str, channel: Option<&str>, measure: Option<Measure>) -> StandardFields {
    StandardFields {
        title: title.into(),
        text: format!("{title}: so machen wir es."),
        mandatory: true,
        touchpoint_id: None,
        channel: channel.map(str::to_owned),
        measure,
    }
}

async fn standards_are_kept_with_references_checked(store: &dyn Store) {
    assert!(store.standards().await.expect("standards").is_empty());
    let hotline = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create touchpoint");
    let mark = audit_mark(store).await;
    let named = store
        .create_standard(
            &standard(
                "Kunden mit Namen ansprechen",
                Some("email"),
                Some(Measure::AddressedByName),
            ),
            "carla",
        )
        .await
        .expect("create standard");
    let id = named.id.to_string();
    let entry = assert_audited(store, mark, "standard.create", "carla", "standard", &id).await;
    assert_eq!(entry.summary, "Kunden mit Namen ansprechen");
    let mut fast = standard(
        "Antwort binnen 4 Stunden",
        None,
        Some(Measure::FirstResponseWithin { hours: 4 }),
    );
    fast.touchpoint_id = Some(hotline.id);
    fast.mandatory = false;
    let fast = store.create_standard(&fast, "carla").await.expect("create");
    let phrases = store
        .create_standard(
            &standard(
                "Äußerst höflich",
                None,
                Some(Measure::PhrasesAbsent {
                    phrases: vec!["leider nicht möglich".into()],
                }),
            ),
            "carla",
        )
        .await
        .expect("create");
    // By title without case, measures read back whole.
    assert_eq!(
        store.standards().await.expect("standards"),
        [fast.clone(), named.clone(), phrases.clone()]
    );
    assert_eq!(named.to_standard().channel.as_deref(), Some("email"));

    // An update replaces every field.
    let mut changed = named.fields.clone();
    changed.channel = None;
    changed.measure = Some(Measure::PhrasesPresent {
        phrases: vec!["Ihr Nordlicht-Team".into()],
    });
    let mark = audit_mark(store).await;
    let updated = store
        .update_standard(named.id, &changed, "dora")
        .await
        .expect("update");
    assert_eq!(updated.fields, changed);
    assert_eq!(updated.created_at, named.created_at);
    assert_audited(store, mark, "standard.update", "dora", "standard", &id).await;

    // Unknown references are field problems and write nothing.
    let mark = audit_mark(store).await;
    let before = store.standards().await.expect("standards");
    assert_eq!(
        invalid_fields(
            store
                .create_standard(&standard("Fax", Some("fax"), None), "carla")
                .await
        ),
        ["channel"]
    );
    let mut nowhere = standard("Nirgends", None, None);
    nowhere.touchpoint_id = Some(hotline.id + 1000);
    assert_eq!(
        invalid_fields(store.update_standard(named.id, &nowhere, "carla").await),
        ["touchpoint_id"]
    );
    assert_eq!(store.standards().await.expect("standards"), before);
    assert_not_audited(store, mark, "a refused standard").await;
    assert!(matches!(
        store.update_standard(999_999, &changed, "carla").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_standard(999_999, "carla").await,
        Err(StoreError::NotFound { .. })
    ));

    // A standard goes with its touchpoint, and can be deleted by itself.
    store
        .delete_touchpoint(hotline.id, "t")
        .await
        .expect("delete touchpoint");
    assert_eq!(
        store.standards().await.expect("standards"),
        [updated.clone(), phrases.clone()]
    );
    let mark = audit_mark(store).await;
    store
        .delete_standard(phrases.id, "dora")
        .await
        .expect("delete");
    assert_audited(
        store,
        mark,
        "standard.delete",
        "dora",
        "standard",
        &phrases.id.to_string(),
    )
    .await;
    assert_eq!(store.standards().await.expect("standards"), [updated]);
}

async fn stories_keep_their_touchpoint_and_standard(store: &dyn Store) {
    user(store, "anna", Role::Admin).await;
    let erika = user(store, "erika", Role::Manager).await;
    let hotline = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create touchpoint");
    let filiale = store
        .create_touchpoint(&fields("Filiale", "store", "during-purchase"), "t")
        .await
        .expect("create touchpoint");
    let named = store
        .create_standard(&standard("Mit Namen", None, None), "t")
        .await
        .expect("standard");
    let mark = audit_mark(store).await;
    let good = store
        .create_story(
            &StoryFields {
                touchpoint_id: hotline.id,
                title: "Frau Becker bedankt sich".into(),
                text: "Sie wurde mit Namen begrüßt.".into(),
                example: Example::Good,
                standard_id: Some(named.id),
            },
            "erika",
        )
        .await
        .expect("create story");
    let entry = assert_audited(
        store,
        mark,
        "story.create",
        "erika",
        "story",
        &good.id.to_string(),
    )
    .await;
    assert_eq!(entry.summary, "Frau Becker bedankt sich (good)");
    assert_eq!(good.created_by, "erika");
    let bad = store
        .create_story(
            &StoryFields {
                touchpoint_id: filiale.id,
                title: "Warten ohne Gruß".into(),
                text: "Niemand sagte etwas.".into(),
                example: Example::Bad,
                standard_id: None,
            },
            "anna",
        )
        .await
        .expect("create story");
    // Newest first.
    assert_eq!(
        store.stories().await.expect("stories"),
        [bad.clone(), good.clone()]
    );

    // Unknown references are field problems and write nothing.
    let mark = audit_mark(store).await;
    let mut unknown = good.fields.clone();
    unknown.touchpoint_id = filiale.id + 1000;
    assert_eq!(
        invalid_fields(store.create_story(&unknown, "anna").await),
        ["touchpoint_id"]
    );
    let mut unknown = good.fields.clone();
    unknown.standard_id = Some(named.id + 1000);
    assert_eq!(
        invalid_fields(store.create_story(&unknown, "anna").await),
        ["standard_id"]
    );
    assert_not_audited(store, mark, "a refused story").await;
    assert_eq!(store.stories().await.expect("stories").len(), 2);

    // Deleting the standard keeps the story; deleting the touchpoint takes it along.
    store
        .delete_standard(named.id, "t")
        .await
        .expect("delete standard");
    let stories = store.stories().await.expect("stories");
    assert_eq!(stories[1].id, good.id);
    assert_eq!(stories[1].fields.standard_id, None);
    store
        .delete_touchpoint(filiale.id, "t")
        .await
        .expect("delete touchpoint");
    assert_eq!(
        store
            .stories()
            .await
            .expect("stories")
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        [good.id]
    );

    // The teller is staff: erased, the story stays under the pseudonym.
    store
        .erase_personal_data(&Subject::Staff("erika".into()), "anna")
        .await
        .expect("erase");
    let stories = store.stories().await.expect("stories");
    assert_eq!(stories[0].created_by, format!("erased-user:{}", erika.id));

    let mark = audit_mark(store).await;
    store.delete_story(good.id, "anna").await.expect("delete");
    assert_audited(
        store,
        mark,
        "story.delete",
        "anna",
        "story",
        &good.id.to_string(),
    )
    .await;
    assert!(store.stories().await.expect("stories").is_empty());
    assert!(matches!(
        store.delete_story(good.id, "anna").await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn interactions_are_recorded_all_or_nothing(store: &dyn Store) {
    let hotline = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create touchpoint");
    let start = micros(Timestamp::now());
    let call = |external: Option<&str>, hours: i64, reply: &str| InteractionInput {
        external_id: external.map(str::to_owned),
        touchpoint_id: Some(hotline.id),
        channel: "phone".into(),
        customer_name: Some("Anna Becker".into()),
        received_at: after(start, hours),
        first_response_at: Some(after(start, hours + 1)),
        resolved_at: None,
        reply: reply.into(),
    };
    let mut mail = call(None, 2, "Guten Tag.");
    mail.channel = "email".into();
    mail.touchpoint_id = None;
    mail.customer_name = None;

    // One bad row refuses the whole batch, naming the row and field.
    let mut fax = call(Some("T-3"), 3, "x");
    fax.channel = "fax".into();
    let mut lost = call(Some("T-4"), 4, "x");
    lost.touchpoint_id = Some(hotline.id + 1000);
    let mark = audit_mark(store).await;
    assert_eq!(
        invalid_fields(
            store
                .record_interactions(&[call(Some("T-1"), 0, "Hallo"), fax, lost], "import")
                .await
        ),
        ["[1].channel", "[2].touchpoint_id"]
    );
    assert_not_audited(store, mark, "a refused import").await;
    async fn all(store: &dyn Store, start: Timestamp) -> Vec<touchpoints_store::StoredInteraction> {
        store
            .interactions(after(start, -100), after(start, 100))
            .await
            .expect("interactions")
    }
    assert!(all(store, start).await.is_empty());

    let summary = store
        .record_interactions(
            &[
                call(Some("T-1"), 0, "Hallo Frau Becker"),
                mail.clone(),
                call(Some("T-2"), 5, "Guten Tag"),
            ],
            "import",
        )
        .await
        .expect("record");
    assert_eq!(
        summary,
        ImportSummary {
            created: 3,
            updated: 0,
            unchanged: 0
        }
    );
    let entries = audited_since(store, mark).await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0].action, "interactions.import");
    assert_eq!(entries[0].actor, "import");
    let stored = all(store, start).await;
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[0].external_id.as_deref(), Some("T-1"));
    assert_eq!(stored[0].interaction.reply, "Hallo Frau Becker");
    assert_eq!(stored[0].interaction.touchpoint, Some(hotline.id));
    assert_eq!(stored[0].interaction.received_at, start);
    assert_eq!(
        stored[0].interaction.first_response_at,
        Some(after(start, 1))
    );
    assert_eq!(stored[1].external_id, None);
    assert_eq!(stored[1].interaction.customer_name, None);
    assert_eq!(stored[1].interaction.channel, "email");

    // Importing a known external id again updates it.
    let summary = store
        .record_interactions(&[call(Some("T-1"), 0, "Hallo Anna")], "import")
        .await
        .expect("record");
    assert_eq!((summary.created, summary.updated), (0, 1));
    let stored = all(store, start).await;
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[0].interaction.reply, "Hallo Anna");

    // The period counts from its start (inclusive) to its end (exclusive).
    let window = store
        .interactions(after(start, 2), after(start, 5))
        .await
        .expect("interactions");
    assert_eq!(window.len(), 1);
    assert_eq!(window[0].interaction.channel, "email");

    // A deleted touchpoint leaves its interactions, unassigned.
    store
        .delete_touchpoint(hotline.id, "t")
        .await
        .expect("delete");
    assert!(
        all(store, start)
            .await
            .iter()
            .all(|i| i.interaction.touchpoint.is_none())
    );
}

async fn a_customers_interactions_are_exported_and_erased(store: &dyn Store) {
    let now = Timestamp::now();
    let call = |name: &str, reply: &str| InteractionInput {
        external_id: None,
        touchpoint_id: None,
        channel: "phone".into(),
        customer_name: Some(name.into()),
        received_at: now,
        first_response_at: None,
        resolved_at: None,
        reply: reply.into(),
    };
    store
        .record_interactions(
            &[
                call(
                    "Anna Becker",
                    "Guten Tag Frau Becker, Ihr Paket kommt morgen.",
                ),
                call("Bernd Kurz", "Hallo Herr Kurz."),
            ],
            "tests",
        )
        .await
        .expect("record");
    let anna = Subject::Customer("anna becker".into());
    let export = store.export_personal_data(&anna).await.expect("export");
    let held = export["places"]["interactions"]
        .as_array()
        .expect("interactions");
    assert_eq!(held.len(), 1);
    assert!(
        held[0]["reply"]
            .as_str()
            .is_some_and(|r| r.contains("Frau Becker"))
    );

    let erasure = store
        .erase_personal_data(&anna, "admin")
        .await
        .expect("erase");
    assert!(
        erasure.places.contains(&("interactions".to_owned(), 1)),
        "{erasure:?}"
    );
    let day = SignedDuration::from_hours(24);
    let left = store
        .interactions(
            now.checked_sub(day).expect("time"),
            now.checked_add(day).expect("time"),
        )
        .await
        .expect("interactions");
    assert_eq!(left.len(), 2, "the requests stay for the counts");
    assert!(left.iter().all(|i| !i.interaction.reply.contains("Becker")));
    assert!(
        left.iter()
            .any(|i| i.interaction.customer_name.as_deref() == Some("Bernd Kurz"))
    );
    assert!(matches!(
        store.erase_personal_data(&anna, "admin").await,
        Err(StoreError::NotFound { .. })
    ));
}

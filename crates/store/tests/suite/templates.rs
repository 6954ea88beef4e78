//! Message templates, and the customer data they are filled with, on both backends.

use touchpoints_core::kpi::CustomerEventKind;
use touchpoints_core::message_template::TemplateFields;
use touchpoints_core::survey::CustomerEventFields;
use touchpoints_store::{Store, StoreError};

use crate::harness::audit_mark;

store_suite!(
    templates_are_listed_by_name_and_language_and_audited,
    the_last_purchase_is_the_newest_under_each_reference,
);

fn template(name: &str, language: &str, body: &str) -> TemplateFields {
    TemplateFields {
        name: name.into(),
        language: language.into(),
        subject: String::new(),
        body: body.into(),
    }
}

async fn templates_are_listed_by_name_and_language_and_audited(store: &dyn Store) {
    let mark = audit_mark(store).await;
    let delay = store
        .put_message_template(
            None,
            &template("Lieferverzug", "de", "{{ greeting }},"),
            "mara",
        )
        .await
        .expect("create");
    let english = store
        .put_message_template(
            None,
            &template("Lieferverzug", "en", "{{ greeting }},"),
            "mara",
        )
        .await
        .expect("the same name in another language");
    store
        .put_message_template(None, &template("Bestätigung", "de", "Danke"), "mara")
        .await
        .expect("create");
    let names: Vec<(String, String)> = store
        .message_templates()
        .await
        .expect("list")
        .into_iter()
        .map(|t| (t.fields.name, t.fields.language))
        .collect();
    assert_eq!(
        names,
        [
            ("Bestätigung".into(), "de".into()),
            ("Lieferverzug".into(), "de".into()),
            ("Lieferverzug".into(), "en".into()),
        ]
    );

    let changed = TemplateFields {
        subject: "Ihre Bestellung".into(),
        body: "{{ greeting }},\nes dauert.".into(),
        ..delay.fields.clone()
    };
    let updated = store
        .put_message_template(Some(delay.id), &changed, "mara")
        .await
        .expect("update");
    assert_eq!(updated.fields, changed);
    assert_eq!(
        store.message_template(delay.id).await.expect("read").fields,
        changed
    );
    assert!(matches!(
        store
            .put_message_template(Some(999_999), &changed, "mara")
            .await,
        Err(StoreError::NotFound { .. })
    ));

    store
        .delete_message_template(english.id, "mara")
        .await
        .expect("delete");
    assert!(matches!(
        store.message_template(english.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_message_template(english.id, "mara").await,
        Err(StoreError::NotFound { .. })
    ));

    let log = store
        .audit_log(&Default::default(), 100)
        .await
        .expect("audit");
    let actions: Vec<&str> = log
        .iter()
        .filter(|e| e.id > mark)
        .map(|e| e.action.as_str())
        .rev()
        .collect();
    assert_eq!(
        actions,
        [
            "template.create",
            "template.create",
            "template.create",
            "template.update",
            "template.delete"
        ]
    );
}

fn event(reference: &str, kind: CustomerEventKind, at: &str, cents: i64) -> CustomerEventFields {
    CustomerEventFields {
        customer_ref: reference.into(),
        kind,
        at: at.parse().expect("instant"),
        amount_cents: cents,
        external_id: None,
    }
}

async fn the_last_purchase_is_the_newest_under_each_reference(store: &dyn Store) {
    use CustomerEventKind::{Activity, Purchase};
    store
        .record_customer_events(
            &[
                event("KD-1", Purchase, "2026-02-01T10:00:00Z", 1_000),
                event("KD-1", Purchase, "2026-03-01T10:00:00Z", 4_900),
                event("anna@example.de", Purchase, "2026-04-02T10:00:00Z", 12_050),
                event("KD-1", Activity, "2026-05-01T10:00:00Z", 0),
                event("KD-2", Purchase, "2026-06-01T10:00:00Z", 99_900),
            ],
            "cli",
        )
        .await
        .expect("events");
    let refs = [
        "KD-1".to_owned(),
        "anna@example.de".to_owned(),
        "KD-9".to_owned(),
    ];
    let newest = store.last_purchases(&refs).await.expect("read");
    let mut found: Vec<(&str, String, i64)> = newest
        .iter()
        .map(|(r, (at, cents))| (r.as_str(), at.to_string(), *cents))
        .collect();
    found.sort();
    // Each reference's newest purchase; an activity is none, another customer's not asked
    // for, a reference without purchases absent.
    assert_eq!(
        found,
        [
            ("KD-1", "2026-03-01T10:00:00Z".to_owned(), 4_900),
            ("anna@example.de", "2026-04-02T10:00:00Z".to_owned(), 12_050),
        ]
    );
    assert!(store.last_purchases(&[]).await.expect("read").is_empty());
}

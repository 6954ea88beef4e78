//! Segments and campaigns on both backends: what a segment's customers are known by, a
//! campaign sent once per customer and only with consent, the unsubscribe, and a customer's
//! campaign mails in their export and erasure.

use touchpoints_core::Subject;
use touchpoints_core::campaign::CampaignFields;
use touchpoints_core::customer::{CustomerFields, Identifier, IdentifierKind};
use touchpoints_core::kpi::Metric;
use touchpoints_core::mail::{Composed, MailStatus};
use touchpoints_core::message_template::TemplateFields;
use touchpoints_core::segment::{Combine, NpsCategory, SegmentFields, SegmentRule};
use touchpoints_core::survey::ResponseFields;
use touchpoints_store::{CampaignMailOut, CampaignSend, Store, StoreError};

use crate::harness::fields;

store_suite!(
    segments_have_unique_names_and_stay_while_campaigns_use_them,
    a_campaign_reaches_each_consenting_customer_once_and_is_erased_with_them,
    a_profile_that_absorbed_a_recipient_is_not_sent_the_campaign_again,
    a_customers_latest_nps_answer_decides_their_category,
);

fn segment(name: &str) -> SegmentFields {
    SegmentFields {
        name: name.into(),
        combine: Combine::Any,
        rules: vec![SegmentRule {
            field: "segment".into(),
            op: "has".into(),
            value: "premium".into(),
        }],
    }
}

async fn campaign(store: &dyn Store, name: &str) -> i64 {
    let segment = store
        .put_segment(None, &segment(&format!("{name} segment")), "mara")
        .await
        .expect("a segment");
    let template = TemplateFields {
        name: format!("{name} template"),
        language: "de".into(),
        subject: "Neu".into(),
        body: "{{ greeting }},".into(),
    };
    let template = store
        .put_message_template(None, &template, "mara")
        .await
        .expect("a template");
    let fields = CampaignFields {
        name: name.into(),
        segment_id: segment.id,
        template_id: template.id,
        per_minute: 60,
    };
    store
        .create_campaign(&fields, "mara")
        .await
        .expect("a campaign")
        .id
}

async fn customer(store: &dyn Store, email: &str, consent: bool) -> i64 {
    let mut fields = CustomerFields {
        name: email.split('@').next().unwrap_or_default().into(),
        segments: vec!["premium".into()],
        ..CustomerFields::default()
    };
    fields.consent.email_marketing = consent;
    let identifier = Identifier::parse(IdentifierKind::Email, email).expect("an address");
    store
        .create_customer(&fields, &[identifier], "mara")
        .await
        .expect("a customer")
        .id
}

fn mail(customer_id: i64, to: &str) -> CampaignMailOut {
    CampaignMailOut {
        customer_id,
        recipient: to.into(),
        composed: Composed {
            subject: "Neu".into(),
            text: format!("Hallo {to}"),
            html: String::new(),
        },
        unsubscribe: format!("https://tp.example/u/1/{customer_id}/x"),
    }
}

async fn segments_have_unique_names_and_stay_while_campaigns_use_them(store: &dyn Store) {
    let first = store
        .put_segment(None, &segment("Premium"), "mara")
        .await
        .expect("create");
    let taken = store.put_segment(None, &segment("premium"), "mara").await;
    assert!(
        matches!(&taken, Err(StoreError::Conflict(p)) if p.0[0].field == "name"),
        "{taken:?}"
    );
    let stored = store.segment(first.id).await.expect("read back");
    assert_eq!(stored.fields, segment("Premium"));
    // Renaming keeps its own name free to it.
    store
        .put_segment(Some(first.id), &segment("Premium"), "mara")
        .await
        .expect("the same name again");

    let id = campaign(store, "Frühjahr").await;
    let used = store.campaign(id).await.expect("the campaign").fields;
    let in_use = store.delete_segment(used.segment_id, "mara").await;
    assert!(
        matches!(&in_use, Err(StoreError::Conflict(p)) if p.0[0].field == "segment_id"),
        "{in_use:?}"
    );
    let in_use = store
        .delete_message_template(used.template_id, "mara")
        .await;
    assert!(
        matches!(&in_use, Err(StoreError::Conflict(p)) if p.0[0].field == "template_id"),
        "{in_use:?}"
    );
    store
        .delete_segment(first.id, "mara")
        .await
        .expect("unused");
    assert!(matches!(
        store.segment(first.id).await,
        Err(StoreError::NotFound { .. })
    ));
    let unknown = CampaignFields {
        name: "Ohne".into(),
        segment_id: first.id,
        template_id: used.template_id,
        per_minute: 60,
    };
    let refused = store.create_campaign(&unknown, "mara").await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(p)) if p.0[0].field == "segment_id"),
        "{refused:?}"
    );
}

async fn a_campaign_reaches_each_consenting_customer_once_and_is_erased_with_them(
    store: &dyn Store,
) {
    let id = campaign(store, "Herbst").await;
    let anna = customer(store, "anna@example.de", true).await;
    let ben = customer(store, "ben@example.de", true).await;
    let clara = customer(store, "clara@example.de", false).await;
    let facts = store.customer_facts().await.expect("facts");
    assert_eq!(
        facts
            .iter()
            .map(|f| (f.id, f.has_email, f.reachable()))
            .collect::<Vec<_>>(),
        [(anna, true, true), (ben, true, true), (clara, true, false)]
    );

    let at = jiff::Timestamp::now();
    let sent = store
        .send_campaign(
            id,
            &[
                mail(anna, "anna@example.de"),
                mail(clara, "clara@example.de"),
            ],
            "mara",
            at,
        )
        .await
        .expect("send");
    // Clara's consent is read again in the send's own transaction.
    assert_eq!(
        sent,
        CampaignSend {
            queued: 1,
            already: 0,
            without_consent: 1
        }
    );
    let again = store
        .send_campaign(
            id,
            &[mail(anna, "anna@example.de"), mail(ben, "ben@example.de")],
            "mara",
            at,
        )
        .await
        .expect("send again");
    assert_eq!(
        again,
        CampaignSend {
            queued: 1,
            already: 1,
            without_consent: 0
        }
    );
    let recipients = store.campaign_recipients(id).await.expect("recipients");
    assert_eq!(
        recipients
            .iter()
            .map(|r| (r.customer_id, r.status))
            .collect::<Vec<_>>(),
        [(anna, MailStatus::Held), (ben, MailStatus::Held)],
        "held: no mail server is configured"
    );
    let campaign = store.campaign(id).await.expect("the campaign");
    assert!(campaign.sent_at.is_some());
    assert_eq!(campaign.mails, [(MailStatus::Held, 2)]);
    let (mails, _) = store.outbox(10).await.expect("the outbox");
    assert!(
        mails
            .iter()
            .all(|m| m.unsubscribe.starts_with("https://tp.example/u/1/"))
    );

    // The unsubscribe withdraws the consent once.
    assert!(store.unsubscribe(anna, id).await.expect("unsubscribe"));
    assert!(!store.unsubscribe(anna, id).await.expect("again"));
    let anna_now = store.customer(anna).await.expect("anna");
    assert!(!anna_now.fields.consent.email_marketing);

    // Ben's export names the campaign; his erasure takes its mail with it.
    let subject = Subject::Customer("ben@example.de".into());
    let export = store.export_personal_data(&subject).await.expect("export");
    let text = export.to_string();
    assert!(text.contains("Herbst"), "{text}");
    assert!(text.contains("campaign_mails"), "{text}");
    store
        .erase_personal_data(&subject, "mara")
        .await
        .expect("erase");
    let (mails, _) = store.outbox(10).await.expect("the outbox");
    assert!(
        mails.iter().all(|m| m.recipient != "ben@example.de"),
        "{mails:?}"
    );
    assert_eq!(
        store
            .campaign_recipients(id)
            .await
            .expect("recipients")
            .len(),
        1
    );
}

async fn a_profile_that_absorbed_a_recipient_is_not_sent_the_campaign_again(store: &dyn Store) {
    let id = campaign(store, "Winter").await;
    // The older profile survives a merge: Dora's, then her shop account's, then her phone's.
    let dora = customer(store, "dora@example.de", true).await;
    let shop = customer(store, "dora.shop@example.de", true).await;
    let other = customer(store, "dora.alt@example.de", true).await;
    let emil = customer(store, "emil@example.de", true).await;
    let at = jiff::Timestamp::now();
    let first = store
        .send_campaign(id, &[mail(other, "dora.alt@example.de")], "mara", at)
        .await
        .expect("send");
    assert_eq!(first.queued, 1);
    // Merged along a chain: the recipient into the shop profile, that one into Dora's.
    store
        .merge_customers(shop, other, "mara")
        .await
        .expect("merge the recipient");
    store
        .merge_customers(dora, shop, "mara")
        .await
        .expect("merge again");
    let again = store
        .send_campaign(
            id,
            &[mail(dora, "dora@example.de"), mail(emil, "emil@example.de")],
            "mara",
            at,
        )
        .await
        .expect("send again");
    assert_eq!(
        again,
        CampaignSend {
            queued: 1,
            already: 1,
            without_consent: 0
        },
        "Dora got it as her other profile"
    );
    let recipients: Vec<i64> = store
        .campaign_recipients(id)
        .await
        .expect("recipients")
        .iter()
        .map(|r| r.customer_id)
        .collect();
    assert_eq!(recipients, [other, emil]);
}

async fn a_customers_latest_nps_answer_decides_their_category(store: &dyn Store) {
    let anna = customer(store, "anna@example.de", true).await;
    let ben = customer(store, "ben@example.de", true).await;
    let touchpoint = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "mara")
        .await
        .expect("a touchpoint")
        .id;
    let answer = |score: u8, minutes: i64| ResponseFields {
        touchpoint_id: touchpoint,
        survey_id: None,
        metric: Metric::Nps,
        score,
        comment: String::new(),
        answered_at: jiff::Timestamp::now() - jiff::SignedDuration::from_mins(minutes),
        channel: None,
        customer_ref: Some("anna@example.de".into()),
        external_id: None,
        request_id: None,
    };
    store
        .record_responses(&[answer(3, 10), answer(10, 60)], Some("mara"))
        .await
        .expect("answers");
    let facts = store.customer_facts().await.expect("facts");
    let nps: Vec<(i64, Option<NpsCategory>)> = facts.iter().map(|f| (f.id, f.nps)).collect();
    assert_eq!(nps, [(anna, Some(NpsCategory::Detractor)), (ben, None)]);
}

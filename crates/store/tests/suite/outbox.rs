//! The outbox: a step's mail is queued in the step's transaction, threaded after the
//! request's earlier mails; claims are leases no two callers share; a
//! customer's mails are exported and erased with them. On both backends.

use jiff::{SignedDuration, Timestamp};
use touchpoints_core::Subject;
use touchpoints_core::mail::{Composed, MailKind, MailSettings, MailStatus, Security, not_sent};
use touchpoints_core::request::RequestAction;
use touchpoints_store::{NewMail, StepWith, Store, StoreError};

use crate::harness::{audit_mark, audited_since};
use crate::requests::request;

store_suite!(
    outbox_a_reply_queues_its_mail_threaded_after_the_earlier_ones,
    outbox_without_server_or_address_the_reply_is_kept_and_the_mail_not_sent,
    outbox_a_claim_is_a_lease_no_two_callers_share,
    outbox_a_failed_try_is_queued_again_or_ends,
    outbox_mails_are_exported_and_erased_with_the_customer,
    outbox_a_step_sends_its_mail_in_its_transaction_and_surveys_are_dated,
    outbox_a_failed_mail_is_tried_again_on_request,
);

fn settings() -> MailSettings {
    MailSettings {
        host: "127.0.0.1".into(),
        port: 2525,
        security: Security::None,
        username: String::new(),
        from_address: "service@nordlicht.example".into(),
        from_name: "Nordlicht Kundenservice".into(),
        survey_after_resolution: true,
        survey_interval_days: 30,
        public_url: "https://service.nordlicht.example".into(),
        senders: Vec::new(),
    }
}

/// An instant as the store keeps it: to the microsecond.
fn stored(at: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(at.as_microsecond()).expect("instant")
}

/// A request by `channel` from a customer with `address`, or with a phone number alone.
async fn email_request(store: &dyn Store, address: Option<&str>, channel: &str) -> i64 {
    let phone = address.is_none().then_some("+491519999999");
    store
        .intake(
            &[request(channel, address, phone, "Wo ist mein Paket?")],
            "t",
        )
        .await
        .expect("intake")[0]
        .id
}

/// A reply with its mail to the request's customer, as the app writes it.
async fn reply(store: &dyn Store, id: i64, body: &str) {
    let request = store.request(id).await.expect("request");
    let customer = match request.customer_id {
        Some(c) => store.customer(c).await.expect("customer"),
        None => panic!("a request without customer"),
    };
    let address = customer
        .identifiers
        .iter()
        .find(|i| i.kind == touchpoints_core::customer::IdentifierKind::Email)
        .map(|i| i.value.clone())
        .unwrap_or_default();
    let with = StepWith {
        note: String::new(),
        mail: Some(NewMail {
            kind: MailKind::Reply,
            recipient: address,
            composed: Composed {
                subject: format!("Re: {}", request.subject),
                text: body.to_owned(),
                html: format!("<p>{body}</p>"),
            },
        }),
    };
    let action = RequestAction::Reply { body: body.into() };
    store
        .act_with(id, &action, "agent", &with)
        .await
        .expect("reply");
}

async fn outbox_a_reply_queues_its_mail_threaded_after_the_earlier_ones(store: &dyn Store) {
    assert_eq!(store.mail_settings().await.expect("settings"), None);
    let mark = audit_mark(store).await;
    store
        .put_mail_settings(&settings(), "admin")
        .await
        .expect("put");
    assert_eq!(
        store.mail_settings().await.expect("settings"),
        Some(settings())
    );
    let actions: Vec<String> = audited_since(store, mark)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["mail.settings"]);

    let id = email_request(store, Some("Anna.Schulz@example.de"), "email").await;
    reply(store, id, "Guten Tag Frau Schulz,\ndas Paket kommt morgen.").await;
    store
        .act(
            id,
            &RequestAction::Note {
                body: "intern".into(),
            },
            "agent",
        )
        .await
        .expect("note");
    reply(store, id, "Es ist angekommen?").await;

    let mails = store.request_mails(id).await.expect("mails");
    assert_eq!(mails.len(), 2, "a note sends nothing: {mails:?}");
    let steps = store.request_messages(id).await.expect("steps");
    let replies: Vec<i64> = steps
        .iter()
        .filter(|s| s.kind == "reply")
        .map(|s| s.id)
        .collect();
    let (first, second) = (&mails[0], &mails[1]);
    assert_eq!(
        mails.iter().map(|m| m.step_id).collect::<Vec<_>>(),
        replies.iter().copied().map(Some).collect::<Vec<_>>()
    );
    assert_eq!(first.recipient, "anna.schulz@example.de");
    assert_eq!(first.sender, "service@nordlicht.example");
    assert_eq!(first.status, MailStatus::Queued);
    assert_eq!(first.subject, "Re: Lieferung");
    assert!(
        first
            .body_text
            .starts_with("Guten Tag Frau Schulz,\ndas Paket kommt morgen.")
    );
    assert!(
        first.message_id.ends_with("@nordlicht.example>"),
        "{}",
        first.message_id
    );
    assert_eq!(first.in_reply_to, "");
    assert!(first.references.is_empty());
    assert_eq!(second.in_reply_to, first.message_id);
    assert_eq!(second.references, std::slice::from_ref(&first.message_id));
    assert_ne!(first.message_id, second.message_id);

    // A step without a mail sends none.
    let phone = email_request(store, Some("b@example.de"), "phone").await;
    let said = RequestAction::Reply {
        body: "Wie besprochen.".into(),
    };
    store.act(phone, &said, "agent").await.expect("reply");
    assert!(store.request_mails(phone).await.expect("mails").is_empty());
}

async fn outbox_without_server_or_address_the_reply_is_kept_and_the_mail_not_sent(
    store: &dyn Store,
) {
    let held = email_request(store, Some("a@example.de"), "email").await;
    reply(store, held, "Antwort ohne Mailserver").await;
    let mail = &store.request_mails(held).await.expect("mails")[0];
    assert_eq!(
        (mail.status, mail.last_error.as_str()),
        (MailStatus::Held, not_sent::NO_SERVER)
    );

    store
        .put_mail_settings(&settings(), "admin")
        .await
        .expect("put");
    let far = Timestamp::now() + SignedDuration::from_hours(24 * 400);
    // Held mails stay held once a server is configured: a days-old reply is not sent late.
    let claimed = store.claim_mails(far, far, 10).await.expect("claim");
    assert!(claimed.is_empty(), "{claimed:?}");

    let nobody = email_request(store, None, "email").await;
    reply(store, nobody, "Antwort ohne Adresse").await;
    let mail = &store.request_mails(nobody).await.expect("mails")[0];
    assert_eq!(
        (mail.status, mail.last_error.as_str()),
        (MailStatus::Failed, not_sent::NO_ADDRESS)
    );
    let steps = store.request_messages(nobody).await.expect("steps");
    assert!(
        steps
            .iter()
            .any(|s| s.kind == "reply" && s.body == "Antwort ohne Adresse")
    );
    let (_, counts) = store.outbox(10).await.expect("outbox");
    assert_eq!(counts, [(MailStatus::Failed, 1), (MailStatus::Held, 1)]);
}

async fn outbox_a_claim_is_a_lease_no_two_callers_share(store: &dyn Store) {
    store
        .put_mail_settings(&settings(), "admin")
        .await
        .expect("put");
    let id = email_request(store, Some("a@example.de"), "email").await;
    reply(store, id, "eins").await;
    reply(store, id, "zwei").await;
    let now = stored(Timestamp::now() + SignedDuration::from_secs(1));
    let lease = now + SignedDuration::from_mins(5);
    let (a, b) = tokio::join!(
        store.claim_mails(now, lease, 10),
        store.claim_mails(now, lease, 10)
    );
    let (a, b) = (a.expect("claim a"), b.expect("claim b"));
    let mut ids: Vec<i64> = a.iter().chain(&b).map(|m| m.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(a.len() + b.len(), 2, "each mail claimed once: {a:?} {b:?}");
    assert_eq!(ids.len(), 2);
    assert!(
        a.iter()
            .chain(&b)
            .all(|m| m.status == MailStatus::Sending && m.attempts == 1)
    );
    // While the lease lasts nobody else gets them; once it ended, the next does.
    assert!(
        store
            .claim_mails(now, lease, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    let after = lease + SignedDuration::from_secs(1);
    let again = store
        .claim_mails(after, after + SignedDuration::from_mins(5), 10)
        .await
        .expect("claim");
    assert_eq!(again.len(), 2);
    assert!(again.iter().all(|m| m.attempts == 2));
    assert!(store.mail_sent(again[0].id, 2, after).await.expect("sent"));
    assert!(
        !store
            .mail_sent(again[0].id, 2, after)
            .await
            .expect("sent twice"),
        "only a claimed mail"
    );
    // The first claimant of the other mail reports late, after the second took it over: its
    // record does not count, the second's does.
    let other = again[1].id;
    assert!(
        !store
            .mail_not_sent(other, 1, "timeout", Some(after))
            .await
            .expect("late")
    );
    assert!(!store.mail_sent(other, 1, after).await.expect("late"));
    let late = store.request_mails(id).await.expect("mails");
    let late = late.iter().find(|m| m.id == other).expect("mail");
    assert_eq!((late.status, late.attempts), (MailStatus::Sending, 2));
    assert!(store.mail_sent(other, 2, after).await.expect("sent"));
    let mails = store.request_mails(id).await.expect("mails");
    let sent = mails.iter().find(|m| m.id == again[0].id).expect("mail");
    assert_eq!((sent.status, sent.sent_at), (MailStatus::Sent, Some(after)));
}

async fn outbox_a_failed_try_is_queued_again_or_ends(store: &dyn Store) {
    store
        .put_mail_settings(&settings(), "admin")
        .await
        .expect("put");
    let id = email_request(store, Some("a@example.de"), "email").await;
    reply(store, id, "eins").await;
    let now = stored(Timestamp::now() + SignedDuration::from_secs(1));
    let lease = now + SignedDuration::from_mins(5);
    let mail = store
        .claim_mails(now, lease, 10)
        .await
        .expect("claim")
        .remove(0);
    let retry = now + SignedDuration::from_mins(1);
    store
        .mail_not_sent(mail.id, 1, "Connection refused", Some(retry))
        .await
        .expect("not sent");
    let queued = store.request_mails(id).await.expect("mails").remove(0);
    assert_eq!(
        (
            queued.status,
            queued.next_attempt_at,
            queued.last_error.as_str()
        ),
        (MailStatus::Queued, retry, "Connection refused")
    );
    assert!(
        store
            .claim_mails(now, lease, 10)
            .await
            .expect("claim")
            .is_empty(),
        "not yet due"
    );
    let mail = store
        .claim_mails(retry, retry + SignedDuration::from_mins(5), 10)
        .await
        .expect("claim")
        .remove(0);
    store
        .mail_not_sent(mail.id, 2, "550 no such user", None)
        .await
        .expect("not sent");
    let failed = store.request_mails(id).await.expect("mails").remove(0);
    assert_eq!((failed.status, failed.attempts), (MailStatus::Failed, 2));
    let far = retry + SignedDuration::from_hours(24 * 400);
    assert!(
        store
            .claim_mails(far, far, 10)
            .await
            .expect("claim")
            .is_empty(),
        "failed for good"
    );
}

async fn outbox_mails_are_exported_and_erased_with_the_customer(store: &dyn Store) {
    store
        .put_mail_settings(&settings(), "admin")
        .await
        .expect("put");
    let id = email_request(store, Some("anna@example.de"), "email").await;
    reply(store, id, "Ihre Erstattung ist unterwegs.").await;
    let subject = Subject::Customer("anna@example.de".into());
    let export = store.export_personal_data(&subject).await.expect("export");
    let mails = &export["places"]["customer_requests"][0]["mails"];
    assert_eq!(mails[0]["recipient"], "anna@example.de", "{export}");
    assert_eq!(mails[0]["status"], "queued");
    assert!(
        mails[0]["body"]
            .as_str()
            .is_some_and(|b| b.contains("Erstattung"))
    );
    store
        .erase_personal_data(&subject, "admin")
        .await
        .expect("erase");
    assert!(store.request_mails(id).await.expect("mails").is_empty());
    let far = Timestamp::now() + SignedDuration::from_hours(1);
    assert!(
        store
            .claim_mails(far, far, 10)
            .await
            .expect("claim")
            .is_empty(),
        "nothing left to send"
    );
}

async fn outbox_a_step_sends_its_mail_in_its_transaction_and_surveys_are_dated(store: &dyn Store) {
    store
        .put_mail_settings(&settings(), "admin")
        .await
        .expect("put");
    let id = email_request(store, Some("anna@example.de"), "email").await;
    let customer = store
        .request(id)
        .await
        .expect("request")
        .customer_id
        .expect("customer");
    assert_eq!(store.last_survey_mail(customer).await.expect("last"), None);
    reply(store, id, "Erledigt.").await;
    let survey = NewMail {
        kind: MailKind::Survey,
        recipient: "anna@example.de".into(),
        composed: Composed {
            subject: "Wie zufrieden waren Sie?".into(),
            text: "Link".into(),
            html: "<p>Link</p>".into(),
        },
    };
    let with = StepWith {
        note: String::new(),
        mail: Some(survey.clone()),
    };
    store
        .act_with(id, &RequestAction::Resolve, "agent", &with)
        .await
        .expect("resolve");
    let mails = store.request_mails(id).await.expect("mails");
    assert_eq!(mails.len(), 2);
    let (reply_mail, survey_mail) = (&mails[0], &mails[1]);
    assert_eq!(
        (reply_mail.kind, survey_mail.kind),
        (MailKind::Reply, MailKind::Survey)
    );
    assert_eq!(survey_mail.subject, "Wie zufrieden waren Sie?");
    assert_eq!(survey_mail.in_reply_to, reply_mail.message_id, "threaded");
    let steps = store.request_messages(id).await.expect("steps");
    assert_eq!(
        survey_mail.step_id,
        steps.last().map(|s| s.id),
        "the resolution sent it"
    );
    assert_eq!(
        store.last_survey_mail(customer).await.expect("last"),
        Some(survey_mail.created_at)
    );
    // A step refused takes its mail with it.
    let refused = store
        .act_with(id, &RequestAction::Resolve, "agent", &with)
        .await;
    assert!(refused.is_err(), "resolved already");
    assert_eq!(store.request_mails(id).await.expect("mails").len(), 2);
}

async fn outbox_a_failed_mail_is_tried_again_on_request(store: &dyn Store) {
    store
        .put_mail_settings(&settings(), "admin")
        .await
        .expect("put");
    let id = email_request(store, Some("anna@example.de"), "email").await;
    reply(store, id, "eins").await;
    let now = stored(Timestamp::now() + SignedDuration::from_secs(1));
    let mail = store
        .claim_mails(now, now + SignedDuration::from_mins(5), 1)
        .await
        .expect("claim")
        .remove(0);
    let conflict = store.retry_mail(mail.id, now, "admin").await;
    assert!(
        matches!(conflict, Err(StoreError::Conflict(_))),
        "{conflict:?}"
    );
    assert!(
        store
            .mail_not_sent(mail.id, 1, "550 mailbox full", None)
            .await
            .expect("failed")
    );
    let mark = audit_mark(store).await;
    let later = now + SignedDuration::from_hours(2);
    store
        .retry_mail(mail.id, later, "admin")
        .await
        .expect("retry");
    let again = store.request_mails(id).await.expect("mails").remove(0);
    assert_eq!(
        (
            again.status,
            again.attempts,
            again.next_attempt_at,
            again.last_error.as_str()
        ),
        (MailStatus::Queued, 0, later, "")
    );
    let actions: Vec<String> = audited_since(store, mark)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["mail.retry"]);
    let missing = store.retry_mail(mail.id + 1000, later, "admin").await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
}

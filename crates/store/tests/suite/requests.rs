//! Customer requests: intake, the queue, agents' steps and SLA policies, on both backends.

use jiff::Timestamp;
use touchpoints_core::catalog::{default_channels, default_phases};
use touchpoints_core::customer::{Identifier, IdentifierKind};
use touchpoints_core::queue::SlaPolicy;
use touchpoints_core::request::{
    NewRequest, Priority, RequestAction, RequestCustomer, RequestInput, RequestStatus,
};
use touchpoints_core::{Role, Subject};
use touchpoints_store::{QueueFilter, QueueView, SourceMapping, Store, StoreError};

use crate::harness::{audit_mark, audited_since, fields, user};

store_suite!(
    queue_intake_is_idempotent_by_external_id,
    queue_a_bad_batch_stores_nothing,
    queue_requests_are_worked_to_resolution,
    queue_policies_set_due_times_and_order,
    queue_customer_data_is_exported_and_erased,
    queue_one_batch_links_and_merges_profiles,
    queue_concurrent_intakes_are_answered_one_by_one,
    queue_concurrent_steps_are_answered_one_by_one,
    queue_replies_are_judged_by_the_standards_like_recorded_interactions,
);

pub(crate) fn request(
    channel: &str,
    email: Option<&str>,
    phone: Option<&str>,
    body: &str,
) -> NewRequest {
    let catalog = touchpoints_core::Catalog {
        channels: default_channels(),
        phases: default_phases(),
    };
    RequestInput {
        channel: channel.into(),
        customer: RequestCustomer {
            name: Some("Anna Schulz".into()),
            email: email.map(str::to_owned),
            phone: phone.map(str::to_owned),
            ..RequestCustomer::default()
        },
        subject: "Lieferung".into(),
        body: body.into(),
        ..RequestInput::default()
    }
    .validate(&catalog, Timestamp::now())
    .expect("valid request")
}

fn with_external(mut r: NewRequest, id: &str) -> NewRequest {
    r.external_id = Some(id.into());
    r
}

async fn count_requests(store: &dyn Store) -> usize {
    store
        .queue(&QueueFilter {
            limit: 1000,
            ..QueueFilter::default()
        })
        .await
        .expect("queue")
        .len()
}

async fn queue_intake_is_idempotent_by_external_id(store: &dyn Store) {
    let first = store
        .intake(
            &[with_external(
                request("email", Some("a@example.de"), None, "Text"),
                "m-1",
            )],
            "t",
        )
        .await
        .expect("intake");
    assert!(first[0].created);
    // The webhook retries: same id, nothing new.
    let again = store
        .intake(
            &[with_external(
                request("email", Some("a@example.de"), None, "Text"),
                "m-1",
            )],
            "t",
        )
        .await
        .expect("retry");
    assert_eq!(again[0].id, first[0].id);
    assert!(!again[0].created);
    // The same id with another content is a conflict naming the field; nothing is stored,
    // also not the valid request beside it.
    let before = count_requests(store).await;
    let clash = store
        .intake(
            &[
                with_external(request("email", Some("b@example.de"), None, "neu"), "m-2"),
                with_external(
                    request("email", Some("a@example.de"), None, "anders"),
                    "m-1",
                ),
            ],
            "t",
        )
        .await;
    match clash {
        Err(StoreError::Conflict(p)) => assert_eq!(p.0[0].field, "[1].body"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(count_requests(store).await, before);
    assert!(
        store
            .find_customer(&Identifier {
                kind: IdentifierKind::Email,
                value: "b@example.de".into()
            })
            .await
            .expect("find")
            .is_none()
    );
    // Twice in one batch: stored once.
    let twice = store
        .intake(
            &[
                with_external(request("chat", Some("c@example.de"), None, "x"), "c-1"),
                with_external(request("chat", Some("c@example.de"), None, "x"), "c-1"),
            ],
            "t",
        )
        .await
        .expect("intake");
    assert_eq!(twice[0].id, twice[1].id);
    assert_eq!((twice[0].created, twice[1].created), (true, false));
}

async fn queue_a_bad_batch_stores_nothing(store: &dyn Store) {
    let mut bad = request("email", Some("x@example.de"), None, "b");
    bad.touchpoint_id = Some(999_999);
    let result = store
        .intake(
            &[request("email", Some("y@example.de"), None, "a"), bad],
            "t",
        )
        .await;
    match result {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "[1].touchpoint_id"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert_eq!(count_requests(store).await, 0);
    assert!(store.customers("", 10).await.expect("customers").is_empty());
}

async fn queue_requests_are_worked_to_resolution(store: &dyn Store) {
    user(store, "berta", Role::Agent).await;
    user(store, "vera", Role::Viewer).await;
    let id = store
        .intake(
            &[request("email", Some("a@example.de"), None, "Hilfe")],
            "t",
        )
        .await
        .expect("intake")[0]
        .id;
    let assigned = store
        .act(
            id,
            &RequestAction::Assign {
                to: Some("berta".into()),
            },
            "berta",
        )
        .await
        .expect("assign");
    assert_eq!(assigned.assignee.as_deref(), Some("berta"));
    // Nobody by that name, and a viewer, who cannot work requests.
    for name in ["nobody", "vera"] {
        match store
            .act(
                id,
                &RequestAction::Assign {
                    to: Some(name.into()),
                },
                "berta",
            )
            .await
        {
            Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "to", "{name}"),
            other => panic!("{name}: expected invalid input, got {other:?}"),
        }
    }
    let mine = store
        .queue(&QueueFilter {
            view: QueueView::Mine("berta".into()),
            ..QueueFilter::default()
        })
        .await
        .expect("queue");
    assert_eq!(mine.len(), 1);
    assert_eq!(
        store.queue_counts("berta").await.expect("counts"),
        (1, 0, 1)
    );
    let replied = store
        .act(
            id,
            &RequestAction::Reply {
                body: "Guten Tag Frau Schulz".into(),
            },
            "berta",
        )
        .await
        .expect("reply");
    let first = replied.first_response_at.expect("first response");
    let again = store
        .act(
            id,
            &RequestAction::Reply {
                body: "Nachtrag".into(),
            },
            "berta",
        )
        .await
        .expect("reply");
    assert_eq!(
        again.first_response_at,
        Some(first),
        "the first response stays"
    );
    let waiting = store
        .act(id, &RequestAction::Wait, "berta")
        .await
        .expect("wait");
    assert_eq!(waiting.status, RequestStatus::Waiting);
    assert_eq!(waiting.pauses.len(), 1);
    match store.act(id, &RequestAction::Wait, "berta").await {
        Err(StoreError::Conflict(p)) => assert_eq!(p.0[0].field, "status"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let resumed = store
        .act(id, &RequestAction::Resume, "berta")
        .await
        .expect("resume");
    assert!(resumed.pauses[0].1.is_some());
    let resolved = store
        .act(id, &RequestAction::Resolve, "berta")
        .await
        .expect("resolve");
    assert_eq!(resolved.status, RequestStatus::Resolved);
    assert_eq!(count_requests(store).await, 0);
    let reopened = store
        .act(id, &RequestAction::Reopen, "berta")
        .await
        .expect("reopen");
    assert_eq!(reopened.status, RequestStatus::Open);
    assert_eq!(reopened.resolved_at, None);
    let steps: Vec<String> = store
        .request_messages(id)
        .await
        .expect("messages")
        .into_iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(
        steps,
        [
            "assign", "reply", "reply", "wait", "resume", "resolve", "reopen"
        ]
    );
}

async fn queue_policies_set_due_times_and_order(store: &dyn Store) {
    let policy = |channel: &str, priority, first| SlaPolicy {
        channel: channel.into(),
        priority,
        first_response_minutes: first,
        resolution_minutes: first * 10,
        around_the_clock: true,
    };
    let received: Timestamp = "2026-11-23T09:00:00Z".parse().expect("instant");
    let mut slow = request("letter", Some("a@example.de"), None, "Brief");
    slow.received_at = Some(received);
    let slow = store.intake(&[slow], "t").await.expect("intake")[0].id;
    let mut fast = request("chat", Some("b@example.de"), None, "Chat");
    fast.received_at = Some(received);
    let fast = store.intake(&[fast], "t").await.expect("intake")[0].id;
    assert_eq!(store.request(fast).await.expect("request").next_due, None);
    // A policy plans the open requests anew: the chat is due first and ranks first.
    store
        .put_sla_policy(&policy("letter", Priority::Normal, 24 * 60), "manager")
        .await
        .expect("policy");
    store
        .put_sla_policy(&policy("chat", Priority::Normal, 30), "manager")
        .await
        .expect("policy");
    let chat = store.request(fast).await.expect("request");
    assert_eq!(
        chat.first_response_due,
        Some("2026-11-23T09:30:00Z".parse().expect("instant"))
    );
    let order: Vec<i64> = store
        .queue(&QueueFilter::default())
        .await
        .expect("queue")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(order, [fast, slow]);
    let policies = store.sla_policies().await.expect("policies");
    let channels: Vec<&str> = policies.iter().map(|p| p.channel.as_str()).collect();
    assert_eq!(channels, ["chat", "letter"]);
    match store
        .put_sla_policy(&policy("fax", Priority::Normal, 5), "manager")
        .await
    {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "channel"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    // Breached at 10:00: the chat's first response was due at 09:30, the letter's a day later.
    let breached = store
        .queue(&QueueFilter {
            due_before: Some("2026-11-23T10:00:00Z".parse().expect("instant")),
            ..QueueFilter::default()
        })
        .await
        .expect("breached");
    assert_eq!(breached.iter().map(|r| r.id).collect::<Vec<_>>(), [fast]);
    // At risk at 09:00 within the hour: the chat, not yet breached then.
    let at_risk = store
        .queue(&QueueFilter {
            due_before: Some("2026-11-23T10:00:00Z".parse().expect("instant")),
            due_from: Some("2026-11-23T09:00:00Z".parse().expect("instant")),
            ..QueueFilter::default()
        })
        .await
        .expect("at risk");
    assert_eq!(at_risk.iter().map(|r| r.id).collect::<Vec<_>>(), [fast]);
    let none = store
        .queue(&QueueFilter {
            due_before: Some("2026-11-23T10:00:00Z".parse().expect("instant")),
            due_from: Some("2026-11-23T09:45:00Z".parse().expect("instant")),
            ..QueueFilter::default()
        })
        .await
        .expect("at risk");
    assert!(none.is_empty());
    let records = store
        .response_records(received, Timestamp::now())
        .await
        .expect("records");
    assert_eq!(records.len(), 2);
    // An intake plans by the policies in force, and routes by the sources' touchpoints.
    let chat_help = store
        .create_touchpoint(&fields("Chat-Hilfe", "chat", "after-purchase"), "t")
        .await
        .expect("touchpoint")
        .id;
    store
        .put_source_mapping(
            &SourceMapping {
                channel: "chat".into(),
                source: "Webseite".into(),
                touchpoint_id: chat_help,
            },
            "manager",
        )
        .await
        .expect("mapping");
    let mut routed = request("chat", Some("c@example.de"), None, "Noch ein Chat");
    routed.received_at = Some(received);
    routed.source = "webseite".into();
    let routed = store.intake(&[routed], "t").await.expect("intake")[0].id;
    let routed = store.request(routed).await.expect("request");
    assert_eq!(routed.touchpoint_id, Some(chat_help));
    assert_eq!(
        routed.first_response_due,
        Some("2026-11-23T09:30:00Z".parse().expect("instant"))
    );
}

async fn queue_customer_data_is_exported_and_erased(store: &dyn Store) {
    let mut r = request(
        "email",
        Some("anna@example.de"),
        None,
        "Meine Adresse ist Hauptstr. 1",
    );
    r.identifiers.push(Identifier {
        kind: IdentifierKind::CustomerNumber,
        value: "KD-10042".into(),
    });
    let id = store.intake(&[r], "t").await.expect("intake")[0].id;
    store
        .act(
            id,
            &RequestAction::Reply {
                body: "Danke, Frau Schulz".into(),
            },
            "admin",
        )
        .await
        .expect("reply");
    let subject = Subject::Customer("kd-10042".into());
    let export = store.export_personal_data(&subject).await.expect("export");
    let places = export["places"].as_object().expect("places");
    assert_eq!(places["customer_profiles"][0]["name"], "Anna Schulz");
    assert_eq!(
        places["customer_requests"][0]["body"],
        "Meine Adresse ist Hauptstr. 1"
    );
    assert_eq!(
        places["customer_requests"][0]["steps"][0]["body"],
        "Danke, Frau Schulz"
    );
    store
        .erase_personal_data(&subject, "admin")
        .await
        .expect("erase");
    let after = store
        .export_personal_data(&Subject::Customer("anna@example.de".into()))
        .await
        .expect("export");
    assert_eq!(after["places"], serde_json::json!({}));
    // The request stays for the statistics, without what identifies the person.
    let kept = store.request(id).await.expect("request");
    assert_eq!((kept.customer_id, kept.body.as_str()), (None, ""));
    assert!(
        store
            .request_messages(id)
            .await
            .expect("steps")
            .iter()
            .all(|m| m.body.is_empty())
    );
}

async fn queue_one_batch_links_and_merges_profiles(store: &dyn Store) {
    let mut unnamed = request("chat", None, Some("0171 1234567"), "Hallo?");
    unnamed.customer_name = String::new();
    let batch = [
        request(
            "email",
            Some("anna@example.de"),
            None,
            "Wo bleibt mein Sofa?",
        ),
        // A second new profile, without a name yet.
        unnamed,
        // Links the two profiles made in this batch: they merge into the first.
        request(
            "phone",
            Some("anna@example.de"),
            Some("0171 1234567"),
            "Anruf",
        ),
        request("letter", None, Some("+49 171 1234567"), "Brief"),
        // Someone else entirely.
        request("email", Some("ben@example.de"), None, "Rechnung"),
    ];
    let outcomes = store.intake(&batch, "token:batch").await.expect("intake");
    let anna = outcomes[0].customer_id.expect("profile");
    let ids: Vec<Option<i64>> = outcomes.iter().map(|o| o.customer_id).collect();
    assert_eq!(ids[..4], [Some(anna); 4]);
    assert_ne!(ids[4], Some(anna));
    assert!(outcomes.iter().all(|o| o.created));
    let profiles = store.customers("", 10).await.expect("customers");
    assert_eq!(profiles.len(), 2);
    let profile = store.customer(anna).await.expect("profile");
    assert_eq!(profile.fields.name, "Anna Schulz");
    assert_eq!(
        profile.identifiers,
        vec![
            Identifier {
                kind: IdentifierKind::Email,
                value: "anna@example.de".into()
            },
            Identifier {
                kind: IdentifierKind::Phone,
                value: "+491711234567".into()
            },
        ]
    );
    let history = store.customer_requests(anna).await.expect("history");
    let contacts: Vec<(&str, i64)> = history
        .iter()
        .map(|r| (r.channel.as_str(), r.earlier_contacts))
        .collect();
    assert_eq!(
        contacts,
        [("letter", 3), ("phone", 2), ("chat", 0), ("email", 0)]
    );
    // The merge is recorded and can be undone: the chat goes back to its own profile.
    let merges = store.merges(anna).await.expect("merges");
    assert_eq!(merges.len(), 1);
    let merge = merges[0].id;
    store.unmerge(merge, "admin").await.expect("unmerge");
    let absorbed = merge_absorbed(store, merge).await;
    let restored: Vec<i64> = store
        .customer_requests(absorbed)
        .await
        .expect("requests")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(restored, [outcomes[1].id]);
}

async fn merge_absorbed(store: &dyn Store, merge: i64) -> i64 {
    let profiles = store.customers("", 10).await.expect("customers");
    for p in profiles {
        if let Some(m) = store
            .merges(p.id)
            .await
            .expect("merges")
            .into_iter()
            .find(|m| m.id == merge)
        {
            return m.absorbed_id;
        }
    }
    panic!("merge {merge} not found")
}

/// Single intakes sent at once share commits (group commit), yet each caller hears its own
/// answer: a refused one does not take the others down, a retry racing its original is
/// stored once, and the audit log names each writer with what it sent.
async fn queue_concurrent_intakes_are_answered_one_by_one(store: &dyn Store) {
    let before = count_requests(store).await;
    let mark = audit_mark(store).await;
    let calls: Vec<(String, NewRequest)> = (0..40)
        .map(|i| {
            let mut r = with_external(
                request(
                    "email",
                    Some(&format!("group{i}@example.de")),
                    None,
                    &format!("Nachricht {i}"),
                ),
                &format!("group-{i}"),
            );
            match i {
                // Refused: no such touchpoint.
                7 => r.touchpoint_id = Some(999_999),
                // A webhook's retry racing its original: the same id and content.
                21 => {
                    r = with_external(
                        request("email", Some("group20@example.de"), None, "Nachricht 20"),
                        "group-20",
                    )
                }
                // The same id with other content: one of the two is a conflict.
                31 => {
                    r = with_external(
                        request("email", Some("group30@example.de"), None, "anders"),
                        "group-30",
                    )
                }
                _ => {}
            }
            (format!("hook-{}", i % 3), r)
        })
        .collect();
    let results = futures::future::join_all(
        calls
            .iter()
            .map(|(actor, r)| store.intake(std::slice::from_ref(r), actor)),
    )
    .await;
    match &results[7] {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "[0].touchpoint_id"),
        other => panic!("expected the unknown touchpoint refused, got {other:?}"),
    }
    let (a, b) = (&results[20], &results[21]);
    let (a, b) = (a.as_ref().expect("original"), b.as_ref().expect("retry"));
    assert_eq!(a[0].id, b[0].id, "the retry found the original");
    assert_eq!(
        usize::from(a[0].created) + usize::from(b[0].created),
        1,
        "stored once"
    );
    let clashes: Vec<&StoreError> = [&results[30], &results[31]]
        .into_iter()
        .filter_map(|r| r.as_ref().err())
        .collect();
    match clashes.as_slice() {
        [StoreError::Conflict(p)] => assert_eq!(p.0[0].field, "[0].body"),
        other => panic!("expected one conflict of the two, got {other:?}"),
    }
    for (i, result) in results.iter().enumerate() {
        if [7, 21, 30, 31].contains(&i) {
            continue;
        }
        let outcome = &result.as_ref().expect("stored")[0];
        let stored = store.request(outcome.id).await.expect("request");
        assert_eq!(
            stored.body,
            format!("Nachricht {i}"),
            "caller {i} got its own id"
        );
    }
    // 40 calls: one refused, one retry, one conflict.
    assert_eq!(count_requests(store).await, before + 37);
    let entries = audited_since(store, mark).await;
    for hook in ["hook-0", "hook-1", "hook-2"] {
        assert!(
            entries
                .iter()
                .any(|e| e.actor == hook && e.action == "requests.intake"),
            "{hook} is not in the audit log: {entries:?}"
        );
    }
    assert!(
        entries.iter().all(|e| e.action == "requests.intake"),
        "{entries:?}"
    );

    // Thirty more, all fine, from one writer: they share transactions, each of which writes
    // one audit entry.
    let mark = audit_mark(store).await;
    let calls: Vec<NewRequest> = (0..30)
        .map(|i| {
            request(
                "chat",
                Some(&format!("shared{i}@example.de")),
                None,
                "Hallo",
            )
        })
        .collect();
    let results = futures::future::join_all(
        calls
            .iter()
            .map(|r| store.intake(std::slice::from_ref(r), "hook-0")),
    )
    .await;
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().is_ok_and(|o| o[0].created))
    );
    let entries = audited_since(store, mark).await;
    assert!(
        entries.len() < 30,
        "30 concurrent intakes made {} commits",
        entries.len()
    );
    assert_eq!(count_requests(store).await, before + 67);
}

/// Agents' steps taken at once share commits (group commit), yet each caller hears its own
/// outcome: a refused step among them refuses only itself, and two steps on one request
/// both land, in order.
async fn queue_concurrent_steps_are_answered_one_by_one(store: &dyn Store) {
    user(store, "berta", Role::Agent).await;
    let calls: Vec<NewRequest> = (0..20)
        .map(|i| request("email", Some(&format!("step{i}@example.de")), None, "Hallo"))
        .collect();
    let ids: Vec<i64> = store
        .intake(&calls, "hook")
        .await
        .expect("intake")
        .iter()
        .map(|o| o.id)
        .collect();
    let resolved = ids[19];
    store
        .act(resolved, &RequestAction::Resolve, "berta")
        .await
        .expect("resolve");

    let mut steps: Vec<(i64, RequestAction)> = ids[..19]
        .iter()
        .map(|&id| {
            (
                id,
                RequestAction::Reply {
                    body: format!("Antwort auf {id}"),
                },
            )
        })
        .collect();
    // A reply to a resolved request is refused; a note on the first request lands after its
    // reply.
    steps.push((
        resolved,
        RequestAction::Reply {
            body: "zu spät".into(),
        },
    ));
    steps.push((
        ids[0],
        RequestAction::Note {
            body: "Rückruf vereinbart".into(),
        },
    ));
    let results =
        futures::future::join_all(steps.iter().map(|(id, step)| store.act(*id, step, "berta")))
            .await;
    for ((id, step), result) in steps.iter().zip(&results) {
        match (id == &resolved, result) {
            (false, Ok(stored)) => {
                assert_eq!(stored.id, *id);
                assert!(stored.first_response_at.is_some(), "{step:?}");
            }
            (true, Err(StoreError::Conflict(_))) => {}
            (_, other) => panic!("{id} {step:?}: {other:?}"),
        }
    }
    for &id in &ids[..19] {
        let kinds: Vec<String> = store
            .request_messages(id)
            .await
            .expect("messages")
            .into_iter()
            .map(|m| m.kind)
            .filter(|kind| kind == "reply" || kind == "note")
            .collect();
        let expected = if id == ids[0] {
            vec!["reply", "note"]
        } else {
            vec!["reply"]
        };
        assert_eq!(kinds, expected, "request {id}");
    }
    let last = store.request_messages(resolved).await.expect("messages");
    assert!(
        last.iter().all(|m| m.kind != "reply"),
        "the refused reply left nothing: {last:?}"
    );
}

async fn queue_replies_are_judged_by_the_standards_like_recorded_interactions(store: &dyn Store) {
    let since = Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(1))
        .expect("an hour ago");
    let id = store
        .intake(
            &[request(
                "email",
                Some("a@example.de"),
                None,
                "Wo bleibt das Sofa?",
            )],
            "t",
        )
        .await
        .expect("intake")[0]
        .id;
    // A note is no answer to the customer.
    store
        .act(
            id,
            &RequestAction::Note {
                body: "intern".into(),
            },
            "t",
        )
        .await
        .expect("note");
    assert!(queued(store, since).await.is_empty());

    let first = RequestAction::Reply {
        body: "Sehr geehrte Frau Schulz, es kommt morgen.".into(),
    };
    let replied = store.act(id, &first, "t").await.expect("reply");
    let judged = queued(store, since).await;
    assert_eq!(judged.len(), 1);
    let interaction = &judged[0];
    assert_eq!(interaction.external_id, Some(format!("queue:{id}")));
    assert_eq!(interaction.interaction.channel, "email");
    assert_eq!(
        interaction.interaction.customer_name.as_deref(),
        Some("Anna Schulz")
    );
    assert_eq!(interaction.interaction.received_at, replied.received_at);
    assert_eq!(
        interaction.interaction.first_response_at,
        replied.first_response_at
    );
    assert_eq!(interaction.interaction.resolved_at, None);

    let second = RequestAction::Reply {
        body: "Der Fahrer ruft vorher an.".into(),
    };
    store.act(id, &second, "t").await.expect("reply");
    let resolved = store
        .act(id, &RequestAction::Resolve, "t")
        .await
        .expect("resolve");
    let judged = queued(store, since).await;
    assert_eq!(judged.len(), 1, "one interaction per request");
    assert_eq!(
        judged[0].interaction.reply,
        "Sehr geehrte Frau Schulz, es kommt morgen.\n\nDer Fahrer ruft vorher an."
    );
    assert_eq!(judged[0].interaction.resolved_at, resolved.resolved_at);
    assert_eq!(
        judged[0].interaction.first_response_at, replied.first_response_at,
        "the first reply stays the first"
    );

    // The replies of the period, each with its request, author and customer; no note.
    let until = Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(1))
        .expect("in an hour");
    let replies = store.replies(since, until).await.expect("replies");
    let seen: Vec<(i64, &str, &str, &str, Option<i64>)> = replies
        .iter()
        .map(|r| {
            (
                r.request_id,
                r.author.as_str(),
                r.body.as_str(),
                r.channel.as_str(),
                r.customer_id,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                id,
                "t",
                "Sehr geehrte Frau Schulz, es kommt morgen.",
                "email",
                replied.customer_id
            ),
            (
                id,
                "t",
                "Der Fahrer ruft vorher an.",
                "email",
                replied.customer_id
            ),
        ]
    );
    assert!(
        store
            .replies(until, until)
            .await
            .expect("replies")
            .is_empty(),
        "an empty period has none"
    );

    // A later request without a name, answered: erasing the customer by the address clears
    // both requests' interactions, whatever name each came with.
    let nameless = NewRequest {
        customer_name: String::new(),
        ..request("email", Some("a@example.de"), None, "Und die Rechnung?")
    };
    let second_id = store.intake(&[nameless], "t").await.expect("intake")[0].id;
    store
        .act(
            second_id,
            &RequestAction::Reply {
                body: "Die Rechnung kommt mit dem Sofa, Kundennummer KD-77.".into(),
            },
            "t",
        )
        .await
        .expect("reply");
    assert_eq!(queued(store, since).await.len(), 2);
    store
        .erase_personal_data(&Subject::Customer("a@example.de".into()), "dpo")
        .await
        .expect("erase");
    let left: Vec<(Option<String>, String)> = queued(store, since)
        .await
        .into_iter()
        .map(|i| (i.interaction.customer_name, i.interaction.reply))
        .collect();
    assert_eq!(left, [(None, String::new()), (None, String::new())]);

    // An import cannot take the queue's ids.
    let import = touchpoints_store::InteractionInput {
        external_id: Some(format!("queue:{id}")),
        touchpoint_id: None,
        channel: "email".into(),
        customer_name: Some("Jemand".into()),
        received_at: since,
        first_response_at: None,
        resolved_at: None,
        reply: "überschrieben".into(),
    };
    match store.record_interactions(&[import], "t").await {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "[0].external_id"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert_eq!(queued(store, since).await[0].interaction.reply, "");
}

/// The interactions a queue's replies made, received since `since`.
async fn queued(store: &dyn Store, since: Timestamp) -> Vec<touchpoints_store::StoredInteraction> {
    let until = Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(1))
        .expect("in an hour");
    store
        .interactions(since, until)
        .await
        .expect("interactions")
        .into_iter()
        .filter(|i| {
            i.external_id
                .as_deref()
                .is_some_and(|e| e.starts_with("queue:"))
        })
        .collect()
}

//! The guideline, the content library and documented findings, on both backends.

use touchpoints_core::Problem;
use touchpoints_core::consistency::check::{Finding, FindingKind, Place};
use touchpoints_core::consistency::guideline::{Fact, Guideline, TermRule};
use touchpoints_core::consistency::library::{ContentFields, FindingStatus};
use touchpoints_core::consistency::tone::Address;
use touchpoints_core::consistency::value::ValueKind;
use touchpoints_store::{Store, StoreError, StoredFinding};

use crate::harness::{assert_audited, assert_not_audited, audit_mark, fields};

store_suite!(
    guideline_is_empty_then_stored_whole,
    content_is_kept_with_references_checked,
    deleting_a_channel_or_touchpoint_unlinks_content,
    findings_keep_their_status_across_runs,
    deleting_content_retires_its_findings,
    an_accepted_finding_opens_again_when_it_is_found_in_more_places,
    what_a_check_left_out_of_a_finding_is_kept_with_it,
    a_nul_character_is_invalid_input_on_every_store,
);

async fn guideline_is_empty_then_stored_whole(store: &dyn Store) {
    assert_eq!(
        store.guideline().await.expect("guideline"),
        Guideline::default()
    );
    let mut guideline = Guideline::default();
    guideline.facts.push(Fact {
        key: "return-period".into(),
        label: "Rückgabefrist".into(),
        kind: ValueKind::Duration,
        value: Some("30 Tage".into()),
        keywords: vec!["Rückgabe".into(), "return".into()],
        valid_from: Some(jiff::civil::date(2025, 1, 1)),
        valid_until: None,
    });
    guideline.facts.push(Fact {
        key: "hotline".into(),
        label: "Hotline".into(),
        kind: ValueKind::Phone,
        value: None,
        keywords: vec!["Hotline".into()],
        valid_from: None,
        valid_until: None,
    });
    guideline.tone.address = Some(Address::Formal);
    guideline.tone.forbidden.push(TermRule {
        term: "leider nicht möglich".into(),
        instead: Some("gern prüfen wir".into()),
        channels: vec!["email".into()],
    });
    let mark = audit_mark(store).await;
    store
        .put_guideline(&guideline, "carla")
        .await
        .expect("put guideline");
    assert_eq!(store.guideline().await.expect("guideline"), guideline);
    let entry = assert_audited(store, mark, "guideline.put", "carla", "guideline", "").await;
    assert_eq!(entry.summary, "2 facts");
    // A second write replaces the first.
    guideline.facts.truncate(1);
    let mark = audit_mark(store).await;
    store
        .put_guideline(&guideline, "dora")
        .await
        .expect("replace guideline");
    assert_eq!(store.guideline().await.expect("guideline"), guideline);
    let entry = assert_audited(store, mark, "guideline.put", "dora", "guideline", "").await;
    assert_eq!(entry.summary, "1 facts");
}

fn text(title: &str, channel: Option<&str>) -> ContentFields {
    ContentFields {
        title: title.into(),
        channel: channel.map(str::to_owned),
        touchpoint_id: None,
        url: format!("https://example.com/{}", title.to_lowercase()),
        language: "de".into(),
        body: format!("{title}: Rückgabe binnen 30 Tagen."),
        valid_from: Some(jiff::civil::date(2026, 1, 1)),
        valid_until: None,
    }
}

/// PostgreSQL's text cannot hold NUL; a value with one is the caller's invalid input on
/// both stores, never a database failure, and nothing is stored.
async fn a_nul_character_is_invalid_input_on_every_store(store: &dyn Store) {
    let entry = text("faq", Some("phone\u{0}"));
    let error = store
        .put_content(None, &entry, "carla")
        .await
        .expect_err("a channel key with NUL");
    assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
    assert!(store.contents().await.expect("contents").is_empty());
}

async fn content_is_kept_with_references_checked(store: &dyn Store) {
    assert!(store.contents().await.expect("contents").is_empty());
    let touchpoint = store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create touchpoint");
    let mark = audit_mark(store).await;
    let mut faq = text("faq", Some("phone"));
    faq.touchpoint_id = Some(touchpoint.id);
    let faq = store
        .put_content(None, &faq, "carla")
        .await
        .expect("create content");
    let id = faq.id.to_string();
    let entry = assert_audited(store, mark, "content.create", "carla", "content", &id).await;
    assert_eq!(entry.summary, "faq");
    assert_eq!(store.content(faq.id).await.expect("read"), faq);
    let agb = store
        .put_content(None, &text("AGB", None), "carla")
        .await
        .expect("create content");
    let zebra = store
        .put_content(None, &text("Zebra", None), "carla")
        .await
        .expect("create content");
    // By title without case.
    assert_eq!(
        store.contents().await.expect("contents"),
        [agb.clone(), faq.clone(), zebra.clone()]
    );

    // An update replaces every field.
    let mut changed = faq.fields.clone();
    changed.title = "FAQ Rückgabe".into();
    changed.channel = None;
    changed.touchpoint_id = None;
    changed.body = "Rückgabe binnen 14 Tagen.".into();
    let mark = audit_mark(store).await;
    let updated = store
        .put_content(Some(faq.id), &changed, "dora")
        .await
        .expect("update content");
    assert_eq!(updated.id, faq.id);
    assert_eq!(updated.fields, changed);
    assert!(updated.updated_at >= faq.updated_at);
    assert_eq!(store.content(faq.id).await.expect("read"), updated);
    assert_audited(store, mark, "content.update", "dora", "content", &id).await;

    // Unknown references are field problems and write nothing.
    let mark = audit_mark(store).await;
    match store
        .put_content(None, &text("Fax", Some("fax")), "carla")
        .await
    {
        Err(StoreError::Invalid(p)) => {
            assert_eq!(p.0[0].field, "channel");
            assert!(
                matches!(&p.0[0].problem, Problem::Unknown { value, allowed } if value == "fax" && allowed.contains(&"phone".to_string())),
                "{p:?}"
            );
        }
        other => panic!("expected an unknown channel, got {other:?}"),
    }
    let mut orphan = text("Orphan", None);
    orphan.touchpoint_id = Some(touchpoint.id + 1000);
    match store.put_content(Some(faq.id), &orphan, "carla").await {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "touchpoint_id"),
        other => panic!("expected an unknown touchpoint, got {other:?}"),
    }
    match store.put_content(None, &orphan, "carla").await {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "touchpoint_id"),
        other => panic!("expected an unknown touchpoint, got {other:?}"),
    }
    assert_not_audited(store, mark, "content with unknown references").await;
    assert_eq!(store.contents().await.expect("contents").len(), 3);
    assert_eq!(store.content(faq.id).await.expect("read"), updated);

    // Unknown ids.
    assert!(matches!(
        store.content(9999).await,
        Err(StoreError::NotFound { entity: "content" })
    ));
    assert!(matches!(
        store
            .put_content(Some(9999), &text("X", None), "carla")
            .await,
        Err(StoreError::NotFound { entity: "content" })
    ));
    assert!(matches!(
        store.delete_content(9999, "carla").await,
        Err(StoreError::NotFound { entity: "content" })
    ));
    assert_not_audited(store, mark, "writes to unknown content").await;

    let mark = audit_mark(store).await;
    store
        .delete_content(zebra.id, "carla")
        .await
        .expect("delete");
    let entry = assert_audited(
        store,
        mark,
        "content.delete",
        "carla",
        "content",
        &zebra.id.to_string(),
    )
    .await;
    assert_eq!(entry.summary, "Zebra");
    assert!(matches!(
        store.content(zebra.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.contents().await.expect("contents"), [agb, updated]);
}

async fn deleting_a_channel_or_touchpoint_unlinks_content(store: &dyn Store) {
    let touchpoint = store
        .create_touchpoint(&fields("Brief", "email", "after-purchase"), "t")
        .await
        .expect("create touchpoint");
    let mut letter = text("Anschreiben", Some("letter"));
    letter.touchpoint_id = Some(touchpoint.id);
    let letter = store
        .put_content(None, &letter, "carla")
        .await
        .expect("create content");
    store
        .delete_channel("letter", "carla")
        .await
        .expect("a channel used only by content can go");
    let read = store.content(letter.id).await.expect("read");
    assert_eq!(read.fields.channel, None);
    assert_eq!(read.fields.touchpoint_id, Some(touchpoint.id));
    store
        .delete_touchpoint(touchpoint.id, "carla")
        .await
        .expect("delete touchpoint");
    let read = store.content(letter.id).await.expect("read");
    assert_eq!(read.fields.touchpoint_id, None);
    assert_eq!(read.fields.title, "Anschreiben");
}

fn finding(kind: FindingKind, rule: &str, source: &str, message: &str) -> Finding {
    Finding {
        kind,
        rule: rule.into(),
        message: message.into(),
        places: vec![Place {
            source: source.into(),
            title: format!("Title of {source}"),
            channel: Some("phone".into()),
            line: 3,
            column: 7,
            excerpt: format!("{rule} stated in {source}"),
            written: Some("30 Tage".into()),
            violation: None,
        }],
        suggestion: Some("30 Tage".into()),
        unlisted: 0,
        unlisted_places: 0,
    }
}

async fn deleting_content_retires_its_findings(store: &dyn Store) {
    let mut ids = Vec::new();
    for title in ["Newsletter", "FAQ"] {
        let content = store
            .put_content(
                None,
                &ContentFields {
                    title: title.into(),
                    body: "Rückgabe in 14 Tagen.".into(),
                    ..ContentFields::default()
                },
                "carla",
            )
            .await
            .expect("content");
        ids.push(content.id);
    }
    let (first, second) = (ids[0], ids[1]);
    let gone = finding(
        FindingKind::ContradictsGuideline,
        "return-period",
        &format!("content/{first}"),
        "14 Tage statt 30 Tage",
    );
    // The other text keeps its finding.
    let stays = finding(
        FindingKind::ForbiddenTerm,
        "leider",
        &format!("content/{second}"),
        "forbidden",
    );
    store
        .sync_findings(&[gone.clone(), stays.clone()], "checker")
        .await
        .expect("run");
    store.delete_content(first, "carla").await.expect("delete");
    let after = store.findings().await.expect("findings");
    assert!(!by_fingerprint(&after, &gone).current, "{after:#?}");
    assert!(by_fingerprint(&after, &stays).current, "{after:#?}");
}

async fn what_a_check_left_out_of_a_finding_is_kept_with_it(store: &dyn Store) {
    let mut term = finding(
        FindingKind::ForbiddenTerm,
        "leider",
        "content/1",
        "forbidden",
    );
    term.unlisted = 37;
    let mut hotline = finding(
        FindingKind::UnknownContact,
        "+49 40123",
        "content/2",
        "phone",
    );
    hotline.unlisted_places = 4;
    let stored = store
        .sync_findings(&[term.clone(), hotline.clone()], "checker")
        .await
        .expect("run");
    assert_eq!(by_fingerprint(&stored, &term).finding, term);
    assert_eq!(by_fingerprint(&stored, &hotline).finding, hotline);
    // The next run found fewer: the stored findings say so.
    term.unlisted = 2;
    hotline.unlisted_places = 0;
    store
        .sync_findings(&[term.clone(), hotline.clone()], "checker")
        .await
        .expect("run");
    let again = store.findings().await.expect("findings");
    assert_eq!(again.len(), 2, "{again:#?}");
    assert_eq!(by_fingerprint(&again, &term).finding.unlisted, 2);
    assert_eq!(by_fingerprint(&again, &hotline).finding.unlisted_places, 0);
}

async fn an_accepted_finding_opens_again_when_it_is_found_in_more_places(store: &dyn Store) {
    let two = {
        let mut f = finding(
            FindingKind::ContradictsChannel,
            "hotline",
            "content/1",
            "two numbers",
        );
        let mut second = f.places[0].clone();
        second.source = "content/2".into();
        second.excerpt = "hotline stated in content/2".into();
        f.places.push(second);
        f
    };
    let first = store
        .sync_findings(std::slice::from_ref(&two), "checker")
        .await
        .expect("first run");
    let id = by_fingerprint(&first, &two).id;
    store
        .set_finding_status(id, FindingStatus::Accepted, "carla")
        .await
        .expect("accept");
    // Another text says it too: the accepted finding, with the new place, is open again.
    let mut three = two.clone();
    let mut third = two.places[0].clone();
    third.source = "content/3".into();
    third.excerpt = "hotline stated in content/3".into();
    three.places.push(third);
    assert_ne!(three.fingerprint(), two.fingerprint());
    let unrelated = finding(
        FindingKind::ContradictsChannel,
        "hotline",
        "content/9",
        "two other numbers",
    );
    let mark = audit_mark(store).await;
    let second = store
        .sync_findings(&[three.clone(), unrelated.clone()], "checker")
        .await
        .expect("second run");
    assert_eq!(
        second.len(),
        2,
        "no finding beside the grown one: {second:#?}"
    );
    let grown = by_fingerprint(&second, &three);
    assert_eq!(grown.id, id);
    assert_eq!(grown.finding.places.len(), 3);
    assert_eq!(grown.status, FindingStatus::Open);
    assert!(grown.current);
    assert_eq!(grown.first_seen, by_fingerprint(&first, &two).first_seen);
    assert_ne!(by_fingerprint(&second, &unrelated).id, id);
    let entry = assert_audited(
        store,
        mark,
        "finding.reopen",
        "checker",
        "finding",
        &id.to_string(),
    )
    .await;
    assert!(
        entry
            .summary
            .contains("accepted → open, found in more places"),
        "{entry:?}"
    );
    // Found again as it now is, it stays as it is.
    let mark = audit_mark(store).await;
    store
        .sync_findings(std::slice::from_ref(&three), "checker")
        .await
        .expect("third run");
    assert_not_audited(store, mark, "the same finding again").await;
}

fn by_fingerprint<'a>(all: &'a [StoredFinding], f: &Finding) -> &'a StoredFinding {
    let fingerprint = f.fingerprint();
    all.iter()
        .find(|s| s.fingerprint == fingerprint)
        .unwrap_or_else(|| panic!("finding {fingerprint} stored: {all:#?}"))
}

async fn findings_keep_their_status_across_runs(store: &dyn Store) {
    assert!(store.findings().await.expect("findings").is_empty());
    let period = finding(
        FindingKind::ContradictsGuideline,
        "return-period",
        "content/1",
        "14 Tage statt 30 Tage",
    );
    let hotline = finding(
        FindingKind::ContradictsChannel,
        "hotline",
        "content/2",
        "two numbers",
    );
    let term = finding(
        FindingKind::ForbiddenTerm,
        "leider",
        "content/3",
        "forbidden",
    );

    // The first run inserts every finding as open and current.
    let mark = audit_mark(store).await;
    let first = store
        .sync_findings(&[term.clone(), period.clone(), hotline.clone()], "checker")
        .await
        .expect("first run");
    assert_not_audited(store, mark, "a run that reopens nothing").await;
    assert_eq!(first.len(), 3);
    let kinds: Vec<FindingKind> = first.iter().map(|f| f.finding.kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort_by_key(|k| k.as_str());
    assert_eq!(kinds, sorted, "ordered by kind");
    for f in [&period, &hotline, &term] {
        let stored = by_fingerprint(&first, f);
        assert_eq!(&stored.finding, f);
        assert_eq!(stored.status, FindingStatus::Open);
        assert_eq!(stored.status_by, None);
        assert_eq!(stored.first_seen, stored.last_seen);
        assert!(stored.current);
    }
    assert_eq!(store.findings().await.expect("findings"), first);
    let period_id = by_fingerprint(&first, &period).id;
    let hotline_first = by_fingerprint(&first, &hotline).clone();

    // Accepting records who and what.
    let mark = audit_mark(store).await;
    let accepted = store
        .set_finding_status(period_id, FindingStatus::Accepted, "carla")
        .await
        .expect("accept");
    assert_eq!(accepted.status, FindingStatus::Accepted);
    assert_eq!(accepted.status_by.as_deref(), Some("carla"));
    let entry = assert_audited(
        store,
        mark,
        "finding.status",
        "carla",
        "finding",
        &period_id.to_string(),
    )
    .await;
    assert_eq!(entry.summary, "open → accepted");

    // The second run: the term is gone, the period found again at another line with another
    // message (same fingerprint), the hotline again.
    let mut moved = period.clone();
    moved.message = "14 Tage statt 30 Tage (moved)".into();
    moved.places[0].line = 12;
    assert_eq!(moved.fingerprint(), period.fingerprint());
    let second = store
        .sync_findings(&[hotline.clone(), moved.clone()], "checker")
        .await
        .expect("second run");
    assert_eq!(second.len(), 3);
    let current: Vec<bool> = second.iter().map(|f| f.current).collect();
    assert_eq!(current, [true, true, false], "current first: {second:#?}");
    let gone = by_fingerprint(&second, &term);
    assert!(!gone.current);
    assert_eq!(gone.last_seen, gone.first_seen);
    let again = by_fingerprint(&second, &moved);
    assert_eq!(again.id, period_id);
    assert_eq!(again.finding, moved);
    assert_eq!(again.status, FindingStatus::Accepted, "accepted stays");
    assert_eq!(again.status_by.as_deref(), Some("carla"));
    let hotline_again = by_fingerprint(&second, &hotline);
    assert_eq!(hotline_again.first_seen, hotline_first.first_seen);
    assert!(hotline_again.last_seen >= hotline_first.last_seen);
    assert_eq!(store.findings().await.expect("findings"), second);

    // Fixed, then found again: open again, with an entry saying so.
    let hotline_id = hotline_again.id;
    store
        .set_finding_status(hotline_id, FindingStatus::Fixed, "dora")
        .await
        .expect("fix");
    let mark = audit_mark(store).await;
    let third = store
        .sync_findings(&[hotline.clone(), hotline.clone()], "checker")
        .await
        .expect("third run");
    let reopened = by_fingerprint(&third, &hotline);
    assert_eq!(reopened.id, hotline_id);
    assert_eq!(reopened.status, FindingStatus::Open);
    assert!(reopened.current);
    assert_eq!(third.iter().filter(|f| f.current).count(), 1, "{third:#?}");
    assert_eq!(
        by_fingerprint(&third, &moved).status,
        FindingStatus::Accepted
    );
    let entry = assert_audited(
        store,
        mark,
        "finding.reopen",
        "checker",
        "finding",
        &hotline_id.to_string(),
    )
    .await;
    assert!(entry.summary.contains("fixed → open"), "{entry:?}");

    // A term found anew after it was gone is current again, with its first sighting kept.
    let fourth = store
        .sync_findings(std::slice::from_ref(&term), "checker")
        .await
        .expect("fourth run");
    let back = by_fingerprint(&fourth, &term);
    assert!(back.current);
    assert_eq!(back.first_seen, gone.first_seen);
    assert_eq!(back.status, FindingStatus::Open);

    // Unknown ids.
    let mark = audit_mark(store).await;
    assert!(matches!(
        store
            .set_finding_status(9999, FindingStatus::Accepted, "carla")
            .await,
        Err(StoreError::NotFound { entity: "finding" })
    ));
    assert_not_audited(store, mark, "a status for an unknown finding").await;
    // An empty run leaves every finding stored, none current.
    let none = store
        .sync_findings(&[], "checker")
        .await
        .expect("empty run");
    assert_eq!(none.len(), 3);
    assert!(none.iter().all(|f| !f.current));
}

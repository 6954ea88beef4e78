//! Touchpoints, their history, the catalog and imports, on both backends.

use std::collections::BTreeSet;

use touchpoints_core::catalog::{default_channels, default_phases};
use touchpoints_core::history::Action;
use touchpoints_core::kpi::Metric;
use touchpoints_core::touchpoint::ImportanceInput;
use touchpoints_core::{Channel, Kind, Problem, Stage, Status, TouchpointFilter, TouchpointInput};
use touchpoints_store::{Import, ImportSummary, ReportWindow, Resolution, Store, StoreError};

use crate::harness::{
    assert_audited, assert_not_audited, audit_mark, audited_since, count, fields,
};

store_suite!(
    new_store_has_the_default_catalog,
    created_touchpoint_reads_back_whole,
    duplicate_name_is_a_conflict_and_writes_nothing,
    unknown_channel_is_named,
    update_records_changed_fields_only,
    retire_and_delete_keep_the_history,
    unknown_ids_are_not_found,
    filters_agree_with_the_core_definition,
    import_is_all_or_nothing_and_updates_by_name,
    catalog_entries_are_updated_and_protected_while_in_use,
    concurrent_writes_all_land,
    deleted_touchpoint_ids_are_not_reused,
    concurrent_updates_of_one_touchpoint_take_turns,
    updates_racing_a_delete_land_before_it_or_not_at_all,
    catalog_deletes_racing_touchpoint_writes_fail_cleanly,
);

async fn new_store_has_the_default_catalog(store: &dyn Store) {
    let catalog = store.catalog().await.expect("catalog");
    let keys: BTreeSet<String> = catalog.channels.iter().map(|c| c.key.clone()).collect();
    let expected: BTreeSet<String> = default_channels().into_iter().map(|c| c.key).collect();
    assert_eq!(keys, expected);
    assert_eq!(catalog.phases, default_phases());
    assert_eq!(count(store).await, 0);
}

async fn created_touchpoint_reads_back_whole(store: &dyn Store) {
    let catalog = store.catalog().await.expect("catalog");
    let input = TouchpointInput {
        name: "Beratung im Showroom „Küche“".into(),
        description: "Persönliche Küchenplanung – mit 3D-Entwurf.\nZweite Zeile.".into(),
        channel: "store".into(),
        kind: Some(Kind::Physical),
        phase: "before-purchase".into(),
        owner: "Filialvertrieb Süd".into(),
        target_groups: vec!["Familien".into(), "Best Ager".into(), "Ärzte".into()],
        regions: vec!["Süd".into(), "Österreich".into()],
        status: Some(Status::Planned),
        importance: ImportanceInput {
            experience: 5,
            loyalty: 4,
            referral: 2,
        },
        brand_fit: 1,
        notes: "Wartezeit > 20 min; 50% Rabatt-Aktion".into(),
    };
    let fields = input.validate(&catalog).expect("valid");
    let mark = audit_mark(store).await;
    let created = store
        .create_touchpoint(&fields, "tester")
        .await
        .expect("create");
    assert_eq!(created.fields, fields);
    assert_audited(
        store,
        mark,
        "touchpoint.create",
        "tester",
        "touchpoint",
        &created.id.to_string(),
    )
    .await;
    let read = store.touchpoint(created.id).await.expect("read");
    assert_eq!(
        read, created,
        "labels keep their order, instants their microseconds"
    );
    let history = store.history(created.id).await.expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, Action::Created);
    assert_eq!(history[0].actor, "tester");
    assert!(
        history[0]
            .changes
            .iter()
            .any(|c| c.field == "name" && c.after == fields.name)
    );
}

async fn duplicate_name_is_a_conflict_and_writes_nothing(store: &dyn Store) {
    let mark = audit_mark(store).await;
    let first = store
        .create_touchpoint(&fields("Kundenhotline", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    assert_audited(
        store,
        mark,
        "touchpoint.create",
        "t",
        "touchpoint",
        &first.id.to_string(),
    )
    .await;
    let mark = audit_mark(store).await;
    let again = fields("  KUNDENHOTLINE ", "email", "before-purchase");
    let err = store
        .create_touchpoint(&again, "t")
        .await
        .expect_err("duplicate");
    match err {
        StoreError::Conflict(p) => {
            assert_eq!(p.0[0].field, "name");
            assert!(matches!(p.0[0].problem, Problem::Duplicate { .. }));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_not_audited(store, mark, "a duplicate create").await;
    // Renaming another touchpoint onto the name fails too and leaves it as it was.
    let other = store
        .create_touchpoint(&fields("Rückrufservice", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    let mut renamed = other.fields.clone();
    renamed.name = "kundenhotline".into();
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.update_touchpoint(other.id, &renamed, "t").await,
        Err(StoreError::Conflict(_))
    ));
    assert_not_audited(store, mark, "a rename onto a taken name").await;
    assert_eq!(store.touchpoint(other.id).await.expect("read"), other);
    assert_eq!(store.history(other.id).await.expect("history").len(), 1);
    assert_eq!(count(store).await, 2);
    assert_eq!(store.touchpoint(first.id).await.expect("read"), first);
}

async fn unknown_channel_is_named(store: &dyn Store) {
    let mut bad = fields("Faxabruf", "phone", "after-purchase");
    bad.channel = "fax".into();
    let mark = audit_mark(store).await;
    match store.create_touchpoint(&bad, "t").await {
        Err(StoreError::Invalid(p)) => {
            assert_eq!(p.0[0].field, "channel");
            assert!(
                matches!(&p.0[0].problem, Problem::Unknown { value, allowed } if value == "fax" && allowed.contains(&"phone".to_string()))
            );
        }
        other => panic!("expected invalid channel, got {other:?}"),
    }
    assert_eq!(count(store).await, 0);
    assert_not_audited(store, mark, "a create with an unknown channel").await;
    // An update onto an unknown phase fails the same way, and records nothing either.
    let good = store
        .create_touchpoint(&fields("Faxabruf", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    let mut bad = good.fields.clone();
    bad.phase = "never".into();
    let mark = audit_mark(store).await;
    match store.update_touchpoint(good.id, &bad, "t").await {
        Err(StoreError::Invalid(p)) => assert_eq!(p.0[0].field, "phase"),
        other => panic!("expected invalid phase, got {other:?}"),
    }
    assert_not_audited(store, mark, "an update with an unknown phase").await;
    assert_eq!(store.touchpoint(good.id).await.expect("read"), good);
}

async fn update_records_changed_fields_only(store: &dyn Store) {
    let created = store
        .create_touchpoint(
            &fields("Newsletter", "newsletter", "after-purchase"),
            "anna",
        )
        .await
        .expect("create");
    let mark = audit_mark(store).await;
    let unchanged = store
        .update_touchpoint(created.id, &created.fields, "ben")
        .await
        .expect("no-op update");
    assert_eq!(
        unchanged, created,
        "an update without changes changes nothing"
    );
    assert_not_audited(store, mark, "an update without changes").await;

    let mut next = created.fields.clone();
    next.owner = "CRM & Loyalty".into();
    next.regions = vec!["Nord".into()];
    let updated = store
        .update_touchpoint(created.id, &next, "ben")
        .await
        .expect("update");
    let entry = assert_audited(
        store,
        mark,
        "touchpoint.update",
        "ben",
        "touchpoint",
        &created.id.to_string(),
    )
    .await;
    assert!(
        entry.summary.contains("owner") && entry.summary.contains("regions"),
        "the summary names the changed fields: {entry:?}"
    );
    assert_eq!(updated.fields, next);
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(updated.created_at, created.created_at);
    assert_eq!(store.touchpoint(created.id).await.expect("read"), updated);

    let history = store.history(created.id).await.expect("history");
    assert_eq!(history.len(), 2, "the no-op update is not in the history");
    assert_eq!(history[0].action, Action::Updated);
    assert_eq!(history[0].actor, "ben");
    let changed: Vec<&str> = history[0]
        .changes
        .iter()
        .map(|c| c.field.as_str())
        .collect();
    assert_eq!(changed, ["owner", "regions"]);
    assert_eq!(history[0].changes[1].after, "Nord");
}

async fn retire_and_delete_keep_the_history(store: &dyn Store) {
    let created = store
        .create_touchpoint(&fields("Printkatalog", "letter", "before-purchase"), "t")
        .await
        .expect("create");
    let id = created.id.to_string();
    let mark = audit_mark(store).await;
    let retired = store
        .retire_touchpoint(created.id, "rita")
        .await
        .expect("retire");
    assert_eq!(retired.fields.status, Status::Retired);
    assert_audited(store, mark, "touchpoint.retire", "rita", "touchpoint", &id).await;
    // Retiring twice is harmless and adds nothing.
    let mark = audit_mark(store).await;
    store
        .retire_touchpoint(created.id, "t")
        .await
        .expect("retire again");
    assert_not_audited(store, mark, "retiring a retired touchpoint").await;
    store
        .delete_touchpoint(created.id, "dora")
        .await
        .expect("delete");
    let entry = assert_audited(store, mark, "touchpoint.delete", "dora", "touchpoint", &id).await;
    assert_eq!(
        entry.summary, "Printkatalog",
        "the summary names what is gone"
    );
    assert!(matches!(
        store.touchpoint(created.id).await,
        Err(StoreError::NotFound { .. })
    ));
    let actions: Vec<Action> = store
        .history(created.id)
        .await
        .expect("history of a deleted touchpoint")
        .into_iter()
        .map(|h| h.action)
        .collect();
    assert_eq!(actions, [Action::Deleted, Action::Retired, Action::Created]);
    assert_eq!(count(store).await, 0);
}

async fn unknown_ids_are_not_found(store: &dyn Store) {
    let f = fields("Egal", "phone", "after-purchase");
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.touchpoint(999).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.update_touchpoint(999, &f, "t").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.retire_touchpoint(999, "t").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_touchpoint(999, "t").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.history(999).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(count(store).await, 0);
    assert_not_audited(store, mark, "a write to an unknown touchpoint").await;
}

async fn filters_agree_with_the_core_definition(store: &dyn Store) {
    let rows = [
        (
            "Küchenplanung",
            "store",
            "before-purchase",
            "Filiale Nord",
            &["Familien"][..],
            &["Nord"][..],
            Status::Active,
            "Beratung mit 3D",
        ),
        (
            "Onlineshop Suche",
            "online-shop",
            "before-purchase",
            "E-Commerce",
            &["Junge Berufstätige"],
            &["Online"],
            Status::Active,
            "Suche findet keine Umlaute",
        ),
        (
            "Checkout",
            "online-shop",
            "during-purchase",
            "e-commerce",
            &["Familien", "Best Ager"],
            &["Online"],
            Status::Active,
            "50% Abbruch_rate",
        ),
        (
            "Kundenhotline",
            "phone",
            "after-purchase",
            "Kundenservice",
            &["Best Ager"],
            &["Nord", "Süd"],
            Status::Active,
            "Wartezeit samstags",
        ),
        (
            "Rückrufservice",
            "phone",
            "after-purchase",
            "Kundenservice",
            &[],
            &["ÖSTERREICH"],
            Status::Planned,
            "",
        ),
        (
            "Printkatalog",
            "letter",
            "before-purchase",
            "Marketing",
            &["Best Ager"],
            &[],
            Status::Retired,
            "zu teuer",
        ),
    ];
    for (name, channel, phase, owner, groups, regions, status, notes) in rows {
        let mut f = fields(name, channel, phase);
        f.owner = owner.into();
        f.target_groups = groups.iter().map(|s| s.to_string()).collect();
        f.regions = regions.iter().map(|s| s.to_string()).collect();
        f.status = status;
        f.notes = notes.into();
        store.create_touchpoint(&f, "t").await.expect("create");
    }
    let all = store
        .list_touchpoints(&TouchpointFilter::default())
        .await
        .expect("list");
    let names: Vec<&str> = all.iter().map(|t| t.fields.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Checkout",
            "Küchenplanung",
            "Kundenhotline",
            "Onlineshop Suche",
            "Printkatalog",
            "Rückrufservice"
        ],
        "ordered by name"
    );
    // The names alone, by id, as a report reads them: every touchpoint whatever its status.
    let by_id: std::collections::HashMap<i64, String> =
        all.iter().map(|t| (t.id, t.fields.name.clone())).collect();
    let day = jiff::civil::date(2026, 1, 1);
    let window = ReportWindow {
        previous_from: day,
        from: day,
        until: day,
    };
    let report = store
        .report_tallies(Resolution::Day, Metric::Nps, window, true)
        .await
        .expect("names");
    assert_eq!(report.names, by_id);
    let s = |v: &str| Some(v.to_string());
    let filters = [
        TouchpointFilter {
            channel: s("online-shop"),
            ..Default::default()
        },
        TouchpointFilter {
            phase: s("after-purchase"),
            ..Default::default()
        },
        TouchpointFilter {
            status: Some(Status::Retired),
            ..Default::default()
        },
        TouchpointFilter {
            kind: Some(Kind::Communication),
            ..Default::default()
        },
        TouchpointFilter {
            owner: s("E-COMMERCE"),
            ..Default::default()
        },
        TouchpointFilter {
            group: s("best ager"),
            ..Default::default()
        },
        TouchpointFilter {
            region: s("österreich"),
            ..Default::default()
        },
        TouchpointFilter {
            region: s("nord"),
            group: s("familien"),
            ..Default::default()
        },
        TouchpointFilter {
            q: s("KÜCHEN"),
            ..Default::default()
        },
        TouchpointFilter {
            q: s("50%"),
            ..Default::default()
        },
        TouchpointFilter {
            q: s("abbruch_"),
            ..Default::default()
        },
        TouchpointFilter {
            q: s("%"),
            ..Default::default()
        },
        TouchpointFilter {
            q: s("kundenservice samstags"),
            ..Default::default()
        },
        TouchpointFilter {
            channel: s("phone"),
            status: Some(Status::Active),
            ..Default::default()
        },
        TouchpointFilter {
            channel: s("nonexistent"),
            ..Default::default()
        },
    ];
    for filter in filters {
        let got: Vec<i64> = store
            .list_touchpoints(&filter)
            .await
            .expect("list")
            .into_iter()
            .map(|t| t.id)
            .collect();
        let want: Vec<i64> = all
            .iter()
            .filter(|t| filter.matches(&t.fields))
            .map(|t| t.id)
            .collect();
        assert_eq!(got, want, "{filter:?}");
    }
    // The reference is not trivially empty or full for the interesting cases.
    let by_group = TouchpointFilter {
        group: s("best ager"),
        ..Default::default()
    };
    assert_eq!(
        all.iter().filter(|t| by_group.matches(&t.fields)).count(),
        3
    );
}

async fn import_is_all_or_nothing_and_updates_by_name(store: &dyn Store) {
    let existing = store
        .create_touchpoint(&fields("Kundenhotline", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    let new_channel = Channel {
        key: "marketplace".into(),
        label_de: "Marktplatz".into(),
        label_en: "Marketplace".into(),
        kind: Kind::Digital,
        position: 55,
    };
    let mut hotline = existing.fields.clone();
    hotline.owner = "Kundenservice".into();
    // A duplicate at the end must undo the channel, the update and the rows before it, and
    // their audit entries.
    let bad = Import {
        channels: vec![new_channel.clone()],
        phases: vec![],
        touchpoints: vec![
            hotline.clone(),
            fields("Marktplatz-Shop", "online-shop", "during-purchase"),
            fields("Chat", "chat", "after-purchase"),
            fields("chat", "chat", "after-purchase"),
        ],
    };
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.import(&bad, "import").await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(count(store).await, 1);
    assert_eq!(store.touchpoint(existing.id).await.expect("read"), existing);
    assert!(
        store
            .catalog()
            .await
            .expect("catalog")
            .channel("marketplace")
            .is_none()
    );
    assert_not_audited(store, mark, "an import with a duplicate").await;
    // So must a reference to an unknown channel.
    let mut unknown = fields("Fax", "phone", "after-purchase");
    unknown.channel = "fax".into();
    let bad = Import {
        channels: vec![new_channel.clone()],
        phases: vec![],
        touchpoints: vec![hotline.clone(), unknown],
    };
    assert!(matches!(
        store.import(&bad, "import").await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.touchpoint(existing.id).await.expect("read"), existing);
    assert_not_audited(store, mark, "an import with an unknown channel").await;
    assert_eq!(store.history(existing.id).await.expect("history").len(), 1);
    let mut market = fields("Marktplatz-Shop", "online-shop", "during-purchase");
    market.channel = "marketplace".into();
    let good = Import {
        channels: vec![new_channel],
        phases: vec![],
        touchpoints: vec![
            hotline.clone(),
            market,
            fields("Chat", "chat", "after-purchase"),
        ],
    };
    let summary = store.import(&good, "import").await.expect("import");
    assert_eq!(
        summary,
        ImportSummary {
            created: 2,
            updated: 1,
            unchanged: 0
        }
    );
    let entries = audited_since(store, mark).await;
    let imports = entries
        .iter()
        .filter(|e| e.action == "inventory.import")
        .count();
    assert_eq!(imports, 1, "one inventory.import entry: {entries:#?}");
    assert!(
        entries.iter().all(|e| e.actor == "import"),
        "every entry of the import names its actor: {entries:#?}"
    );
    assert_eq!(
        store.touchpoint(existing.id).await.expect("read").fields,
        hotline
    );
    let again = store.import(&good, "import").await.expect("re-import");
    assert_eq!(
        again,
        ImportSummary {
            created: 0,
            updated: 0,
            unchanged: 3
        }
    );
    assert_eq!(count(store).await, 3);
}

async fn catalog_entries_are_updated_and_protected_while_in_use(store: &dyn Store) {
    let mut phone = store
        .catalog()
        .await
        .expect("catalog")
        .channel("phone")
        .cloned()
        .expect("default phone channel");
    phone.label_de = "Telefon-Hotline".into();
    let mark = audit_mark(store).await;
    store
        .put_channel(&phone, "carla")
        .await
        .expect("update channel");
    assert_eq!(
        store.catalog().await.expect("catalog").channel("phone"),
        Some(&phone)
    );
    let entry = assert_audited(store, mark, "channel.put", "carla", "channel", "phone").await;
    assert!(entry.summary.contains("Telefon-Hotline"), "{entry:?}");
    store
        .create_touchpoint(&fields("Hotline", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    let mark = audit_mark(store).await;
    match store.delete_channel("phone", "carla").await {
        Err(StoreError::Conflict(p)) => {
            assert_eq!(p.0[0].problem, Problem::InUse { count: 1 })
        }
        other => panic!("expected in-use conflict, got {other:?}"),
    }
    assert!(matches!(
        store.delete_phase("after-purchase", "carla").await,
        Err(StoreError::Conflict(_))
    ));
    assert_not_audited(store, mark, "deleting a catalog entry in use").await;
    store
        .delete_channel("letter", "carla")
        .await
        .expect("unused channel");
    assert_audited(store, mark, "channel.delete", "carla", "channel", "letter").await;
    assert_eq!(
        store.catalog().await.expect("catalog").channel("letter"),
        None,
        "a deleted channel is gone from the catalog at once"
    );
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.delete_channel("letter", "carla").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_phase("never", "carla").await,
        Err(StoreError::NotFound { .. })
    ));
    assert_not_audited(store, mark, "deleting an unknown catalog entry").await;
    let phase = touchpoints_core::Phase {
        key: "awareness".into(),
        label_de: "Aufmerksamkeit".into(),
        label_en: "Awareness".into(),
        stage: Stage::BeforePurchase,
        position: 5,
    };
    store.put_phase(&phase, "carla").await.expect("add phase");
    assert_audited(store, mark, "phase.put", "carla", "phase", "awareness").await;
    let catalog = store.catalog().await.expect("catalog");
    assert_eq!(catalog.phases_in_order()[0], &phase);
    assert!(catalog.channel("letter").is_none());
    let mark = audit_mark(store).await;
    store
        .delete_phase("awareness", "carla")
        .await
        .expect("unused phase");
    assert_audited(store, mark, "phase.delete", "carla", "phase", "awareness").await;
}

async fn concurrent_writes_all_land(store: &dyn Store) {
    // Sixteen writers at once: SQLite serialises them, PostgreSQL runs them side by side;
    // neither may lose one or fail with a lock error.
    let mark = audit_mark(store).await;
    let writes = (0..16).map(|i| {
        let f = fields(&format!("Filiale {i}"), "store", "during-purchase");
        async move { store.create_touchpoint(&f, "t").await }
    });
    let mut ids = BTreeSet::new();
    for result in futures::future::join_all(writes).await {
        ids.insert(result.expect("concurrent create").id.to_string());
    }
    assert_eq!(count(store).await, 16);
    // Each write recorded its own audit entry.
    let audited: BTreeSet<String> = audited_since(store, mark)
        .await
        .into_iter()
        .filter(|e| e.action == "touchpoint.create")
        .map(|e| e.entity_id)
        .collect();
    assert_eq!(audited, ids);
}

async fn deleted_touchpoint_ids_are_not_reused(store: &dyn Store) {
    // A deleted touchpoint keeps its history under its id: a new one must not take the id and
    // inherit that history.
    let old = store
        .create_touchpoint(&fields("Printkatalog", "letter", "before-purchase"), "t")
        .await
        .expect("create");
    store.delete_touchpoint(old.id, "t").await.expect("delete");
    let new = store
        .create_touchpoint(
            &fields("Onlinekatalog", "online-shop", "before-purchase"),
            "t",
        )
        .await
        .expect("create");
    let history: Vec<Action> = store
        .history(new.id)
        .await
        .expect("history")
        .into_iter()
        .map(|h| h.action)
        .collect();
    assert_eq!(
        history,
        [Action::Created],
        "a new touchpoint starts its own history"
    );
    assert_ne!(
        new.id, old.id,
        "the id of a deleted touchpoint is taken again"
    );
}

async fn concurrent_updates_of_one_touchpoint_take_turns(store: &dyn Store) {
    // Eight editors save the same touchpoint at once, each with another owner. Every save
    // lands, one after the other: each compares against what the one before wrote, so no
    // change is lost and the history's "before" values chain.
    let created = store
        .create_touchpoint(&fields("Kundenhotline", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    let mark = audit_mark(store).await;
    let owners: Vec<String> = (0..8).map(|i| format!("Team {i}")).collect();
    let writes = owners.iter().enumerate().map(|(i, owner)| {
        let mut next = created.fields.clone();
        next.owner = owner.clone();
        async move {
            let actor = format!("editor-{i}");
            let updated = store.update_touchpoint(created.id, &next, &actor).await;
            (next, updated)
        }
    });
    for (next, updated) in futures::future::join_all(writes).await {
        let updated = updated.expect("concurrent update");
        assert_eq!(updated.fields, next, "each save returns what it saved");
    }

    let mut history = store.history(created.id).await.expect("history");
    history.reverse();
    assert_eq!(history[0].action, Action::Created);
    let updates = &history[1..];
    assert_eq!(
        updates.len(),
        8,
        "every save is in the history: {history:#?}"
    );
    let mut owner = created.fields.owner.clone();
    let mut at = history[0].at;
    for entry in updates {
        assert_eq!(entry.action, Action::Updated);
        assert_eq!(entry.changes.len(), 1, "{entry:?}");
        let change = &entry.changes[0];
        assert_eq!(change.field, "owner");
        assert_eq!(
            change.before, owner,
            "each entry starts where the one before ended: {history:#?}"
        );
        assert!(entry.at >= at, "the saves are recorded in time order");
        owner = change.after.clone();
        at = entry.at;
    }
    let afters: BTreeSet<&str> = updates
        .iter()
        .map(|e| e.changes[0].after.as_str())
        .collect();
    let expected: BTreeSet<&str> = owners.iter().map(String::as_str).collect();
    assert_eq!(afters, expected, "every owner was set once");
    let stored = store.touchpoint(created.id).await.expect("read");
    assert_eq!(stored.fields.owner, owner, "the last save is what stays");
    let audited = audited_since(store, mark).await;
    assert_eq!(
        audited
            .iter()
            .filter(|e| e.action == "touchpoint.update")
            .count(),
        8,
        "{audited:#?}"
    );
}

async fn updates_racing_a_delete_land_before_it_or_not_at_all(store: &dyn Store) {
    // An update and a delete of one touchpoint at once: either the update comes first and
    // the delete after it, or the update finds nothing. It never records a change to a
    // touchpoint that is gone.
    let mut last = None;
    for round in 0..12 {
        let tp = store
            .create_touchpoint(
                &fields(&format!("Aktion {round}"), "email", "before-purchase"),
                "t",
            )
            .await
            .expect("create");
        let mut next = tp.fields.clone();
        next.owner = "Marketing".into();
        let mark = audit_mark(store).await;
        let (updated, deleted) = futures::join!(
            store.update_touchpoint(tp.id, &next, "u"),
            store.delete_touchpoint(tp.id, "d")
        );
        deleted.expect("the delete succeeds either way");
        let mut actions: Vec<Action> = store
            .history(tp.id)
            .await
            .expect("history")
            .into_iter()
            .map(|h| h.action)
            .collect();
        actions.reverse();
        let audited: Vec<String> = audited_since(store, mark)
            .await
            .into_iter()
            .map(|e| e.action)
            .collect();
        match updated {
            Ok(t) => {
                assert_eq!(t.fields, next);
                assert_eq!(actions, [Action::Created, Action::Updated, Action::Deleted]);
                assert_eq!(audited, ["touchpoint.update", "touchpoint.delete"]);
            }
            Err(StoreError::NotFound {
                entity: "touchpoint",
            }) => {
                assert_eq!(actions, [Action::Created, Action::Deleted], "round {round}");
                assert_eq!(audited, ["touchpoint.delete"], "round {round}");
            }
            Err(other) => panic!("round {round}: expected success or not found, got {other:?}"),
        }
        assert!(matches!(
            store.touchpoint(tp.id).await,
            Err(StoreError::NotFound { .. })
        ));
        last = Some(tp);
    }

    // After the delete, every write of it finds nothing and records nothing.
    let tp = last.expect("a round");
    let history = store.history(tp.id).await.expect("history");
    let mark = audit_mark(store).await;
    assert!(matches!(
        store.update_touchpoint(tp.id, &tp.fields, "u").await,
        Err(StoreError::NotFound { .. })
    ));
    let mut renamed = tp.fields.clone();
    renamed.name = "Aktion neu".into();
    assert!(matches!(
        store.update_touchpoint(tp.id, &renamed, "u").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.retire_touchpoint(tp.id, "u").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_touchpoint(tp.id, "u").await,
        Err(StoreError::NotFound { .. })
    ));
    assert_not_audited(store, mark, "a write to a deleted touchpoint").await;
    assert_eq!(store.history(tp.id).await.expect("history"), history);
    assert_eq!(count(store).await, 0);
}

async fn catalog_deletes_racing_touchpoint_writes_fail_cleanly(store: &dyn Store) {
    // A channel is deleted while a touchpoint is written onto it. Either the write comes
    // first and the delete is refused as in use, or the delete comes first and the write is
    // refused as invalid; never both, never neither, never a database error.
    let moving = store
        .create_touchpoint(&fields("Wanderer", "phone", "after-purchase"), "t")
        .await
        .expect("create");
    for round in 0..16 {
        let key = format!("race-{round}");
        let channel = Channel {
            key: key.clone(),
            label_de: format!("Kanal {round}"),
            label_en: format!("Channel {round}"),
            kind: Kind::Digital,
            position: 200 + round,
        };
        store.put_channel(&channel, "c").await.expect("put channel");
        // Even rounds create a touchpoint on the channel, odd ones move one onto it.
        let mut f = if round % 2 == 0 {
            fields(&format!("Neu {round}"), "phone", "after-purchase")
        } else {
            store.touchpoint(moving.id).await.expect("read").fields
        };
        f.channel = key.clone();
        let write = async {
            if round % 2 == 0 {
                store.create_touchpoint(&f, "t").await.map(|t| t.id)
            } else {
                store
                    .update_touchpoint(moving.id, &f, "t")
                    .await
                    .map(|t| t.id)
            }
        };
        let (written, deleted) = futures::join!(write, store.delete_channel(&key, "c"));
        let still_there = store
            .catalog()
            .await
            .expect("catalog")
            .channel(&key)
            .is_some();
        match (written, deleted) {
            (Ok(id), Err(StoreError::Conflict(p))) => {
                assert!(still_there, "round {round}");
                assert_eq!(p.0[0].field, "key");
                assert!(matches!(p.0[0].problem, Problem::InUse { .. }), "{p:?}");
                let stored = store.touchpoint(id).await.expect("read");
                assert_eq!(stored.fields.channel, key);
                if round % 2 == 0 {
                    store.delete_touchpoint(id, "t").await.expect("clean up");
                } else {
                    let mut back = stored.fields;
                    back.channel = "phone".into();
                    store.update_touchpoint(id, &back, "t").await.expect("back");
                }
            }
            (Err(StoreError::Invalid(p)), Ok(())) => {
                assert!(!still_there, "round {round}");
                assert_eq!(p.0[0].field, "channel", "{p:?}");
                assert_eq!(
                    store
                        .touchpoint(moving.id)
                        .await
                        .expect("read")
                        .fields
                        .channel,
                    "phone"
                );
            }
            other => panic!("round {round}: {other:?}"),
        }
        let on_channel = TouchpointFilter {
            channel: Some(key.clone()),
            ..TouchpointFilter::default()
        };
        assert!(
            store
                .list_touchpoints(&on_channel)
                .await
                .expect("list")
                .is_empty(),
            "round {round}"
        );
    }
}

//! The organisation's name and logo, on both backends.

use touchpoints_core::branding::{Branding, Logo};
use touchpoints_store::Store;

use crate::harness::audit_all;

store_suite!(the_company_name_and_logo_are_kept_and_removed,);

async fn the_company_name_and_logo_are_kept_and_removed(store: &dyn Store) {
    assert_eq!(store.branding().await.expect("read"), Branding::default());
    // Every byte value, so that nothing is lost on the way through text.
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    let branding = Branding {
        company_name: Some("Nordlicht Wohnen GmbH".into()),
        logo: Some(Logo::from_upload(bytes).expect("a PNG")),
    };
    store
        .set_branding(&branding, "admin")
        .await
        .expect("store the branding");
    assert_eq!(store.branding().await.expect("read"), branding);

    let renamed = Branding {
        company_name: Some("Nordlicht".into()),
        logo: None,
    };
    store
        .set_branding(&renamed, "admin")
        .await
        .expect("remove the logo");
    assert_eq!(store.branding().await.expect("read"), renamed);
    let audit = audit_all(store).await;
    let changes: Vec<_> = audit
        .iter()
        .filter(|entry| entry.action == "settings.branding")
        .collect();
    assert_eq!(changes.len(), 2, "{audit:?}");
    assert!(changes.iter().all(|entry| entry.actor == "admin"));
    assert!(
        changes
            .iter()
            .any(|entry| entry.summary.contains("logo: –")),
        "{changes:?}"
    );
}

//! The organisation's name and logo, kept in the settings table: the logo as its content
//! type and its bytes in base64, one text value.

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use touchpoints_core::audit::Said;
use touchpoints_core::branding::{Branding, Logo};

use super::sql::{SqlStore, corrupt, now};
use super::sql_audit::audit_said;
use crate::{Organisation, Result};

const COMPANY_NAME_KEY: &str = "company_name";
const LOGO_KEY: &str = "logo";

#[async_trait]
impl Organisation for SqlStore {
    async fn branding(&self) -> Result<Branding> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT key, value FROM settings WHERE key IN ($1, $2)")
                .bind(COMPANY_NAME_KEY)
                .bind(LOGO_KEY)
                .fetch_all(&self.pool)
                .await?;
        let mut branding = Branding::default();
        for (key, value) in rows {
            if key == COMPANY_NAME_KEY {
                branding.company_name = Some(value);
            } else if let Some((content_type, data)) = value.split_once(';') {
                let bytes = STANDARD
                    .decode(data)
                    .map_err(|e| corrupt("settings", format!("the logo: {e}")))?;
                branding.logo = Some(Logo {
                    content_type: content_type.to_owned(),
                    bytes,
                });
            }
        }
        Ok(branding)
    }

    async fn set_branding(&self, branding: &Branding, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let values = [
            (COMPANY_NAME_KEY, branding.company_name.clone()),
            (
                LOGO_KEY,
                branding
                    .logo
                    .as_ref()
                    .map(|logo| format!("{};{}", logo.content_type, STANDARD.encode(&logo.bytes))),
            ),
        ];
        for (key, value) in values {
            match value {
                Some(value) => {
                    sqlx::query(
                        "INSERT INTO settings (key, value) VALUES ($1, $2) \
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    )
                    .bind(key)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM settings WHERE key = $1")
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        let summary = format!(
            "company name: {}; logo: {}",
            branding.company_name.as_deref().unwrap_or("–"),
            branding.logo.as_ref().map_or_else(
                || "–".to_owned(),
                |logo| format!("{}, {} bytes", logo.content_type, logo.bytes.len())
            ),
        );
        audit_said(
            &mut tx,
            now(),
            actor,
            "settings.branding",
            "settings",
            "branding",
            &summary,
            &branding_said(branding),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// What the log says of a change of the organisation's name and logo.
fn branding_said(branding: &Branding) -> Said {
    let name = branding.company_name.as_deref().unwrap_or("–");
    match &branding.logo {
        Some(logo) => Said::new("audit-branding-logo")
            .text("name", name)
            .text("type", logo.content_type.as_str())
            .number("bytes", logo.bytes.len() as f64),
        None => Said::new("audit-branding").text("name", name),
    }
}

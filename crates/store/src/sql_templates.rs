//! Message templates in SQL, compiled once per backend like `sql.rs`.

use async_trait::async_trait;
use sqlx::AssertSqlSafe;
use touchpoints_core::message_template::TemplateFields;

use super::sql::{SqlStore, instant, now};
use super::sql_audit::audit;
use crate::{Result, StoreError, StoredTemplate, Templates};

#[derive(sqlx::FromRow)]
struct TemplateRow {
    id: i64,
    name: String,
    language: String,
    subject: String,
    body: String,
    updated_at: i64,
}

const COLUMNS: &str = "id, name, language, subject, body, updated_at";

impl TemplateRow {
    fn into_template(self) -> Result<StoredTemplate> {
        Ok(StoredTemplate {
            id: self.id,
            fields: TemplateFields {
                name: self.name,
                language: self.language,
                subject: self.subject,
                body: self.body,
            },
            updated_at: instant("message_templates", self.updated_at)?,
        })
    }
}

const NOT_FOUND: StoreError = StoreError::NotFound { entity: "template" };

#[async_trait]
impl Templates for SqlStore {
    async fn message_templates(&self) -> Result<Vec<StoredTemplate>> {
        let rows: Vec<TemplateRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM message_templates ORDER BY name_key, language, id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(TemplateRow::into_template).collect()
    }

    async fn message_template(&self, id: i64) -> Result<StoredTemplate> {
        let row: Option<TemplateRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM message_templates WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.ok_or(NOT_FOUND)?.into_template()
    }

    async fn put_message_template(
        &self,
        id: Option<i64>,
        fields: &TemplateFields,
        actor: &str,
    ) -> Result<StoredTemplate> {
        let at = now();
        let mut tx = self.begin().await?;
        let (id, action) = match id {
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO message_templates \
                     (name, name_key, language, subject, body, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                )
                .bind(&fields.name)
                .bind(fields.name.to_lowercase())
                .bind(&fields.language)
                .bind(&fields.subject)
                .bind(&fields.body)
                .bind(at.as_microsecond())
                .fetch_one(&mut *tx)
                .await?;
                (id, "template.create")
            }
            Some(id) => {
                let changed = sqlx::query(
                    "UPDATE message_templates SET name = $1, name_key = $2, language = $3, \
                     subject = $4, body = $5, updated_at = $6 WHERE id = $7",
                )
                .bind(&fields.name)
                .bind(fields.name.to_lowercase())
                .bind(&fields.language)
                .bind(&fields.subject)
                .bind(&fields.body)
                .bind(at.as_microsecond())
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if changed.rows_affected() == 0 {
                    return Err(NOT_FOUND);
                }
                (id, "template.update")
            }
        };
        audit(
            &mut tx,
            at,
            actor,
            action,
            "template",
            &id.to_string(),
            &fields.name,
        )
        .await?;
        tx.commit().await?;
        Ok(StoredTemplate {
            id,
            fields: fields.clone(),
            updated_at: instant("message_templates", at.as_microsecond())?,
        })
    }

    async fn delete_message_template(&self, id: i64, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let used: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE template_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if used > 0 {
            return Err(StoreError::in_use("template_id", used.unsigned_abs()));
        }
        let name: Option<String> =
            sqlx::query_scalar("DELETE FROM message_templates WHERE id = $1 RETURNING name")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let name = name.ok_or(NOT_FOUND)?;
        audit(
            &mut tx,
            now(),
            actor,
            "template.delete",
            "template",
            &id.to_string(),
            &name,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

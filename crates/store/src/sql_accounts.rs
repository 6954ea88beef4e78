//! Staff accounts, sessions, login links, API tokens and data-protection requests in SQL,
//! compiled once per backend like `sql.rs`.

use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;
use jiff::Timestamp;
use touchpoints_core::{ApiToken, Problem, Problems, Role, Scope, Subject, User};

use super::Backend;
use super::sql::{Conn, SqlStore, corrupt, instant, now};
use super::sql_audit::audit;
use crate::dialect::Dialect;
use crate::error::OnViolation;
use crate::{Accounts, Erasure, NewAccount, PersonalData, Result, StoreError};

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    disabled: i32,
    created_at: i64,
}

macro_rules! user_columns {
    () => {
        "u.id, u.username, u.display_name, u.role, u.disabled, u.created_at"
    };
}

impl UserRow {
    fn into_user(self) -> Result<User> {
        Ok(User {
            role: Role::parse(&self.role)
                .ok_or_else(|| corrupt("users", format!("role {}", self.role)))?,
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            disabled: self.disabled != 0,
            created_at: instant("users", self.created_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    name: String,
    scope: String,
    created_by: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl TokenRow {
    fn into_token(self) -> Result<ApiToken> {
        let optional = |v: Option<i64>| v.map(|m| instant("api_tokens", m)).transpose();
        Ok(ApiToken {
            scope: Scope::parse(&self.scope)
                .ok_or_else(|| corrupt("api_tokens", format!("scope {}", self.scope)))?,
            id: self.id,
            name: self.name,
            created_by: self.created_by,
            created_at: instant("api_tokens", self.created_at)?,
            last_used_at: optional(self.last_used_at)?,
            revoked_at: optional(self.revoked_at)?,
        })
    }
}

const TOKEN_COLUMNS: &str = "id, name, scope, created_by, created_at, last_used_at, revoked_at";

async fn user_by_name(conn: &mut Conn, username: &str) -> Result<User> {
    let row: Option<UserRow> = sqlx::query_as(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users u WHERE u.username = $1"
    ))
    .bind(username.trim().to_lowercase())
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(StoreError::NotFound { entity: "user" })?
        .into_user()
}

/// Fails if the change would leave no active admin: someone must be able to administer.
async fn keep_an_admin(conn: &mut Conn, user: &User, role: Role, disabled: bool) -> Result<()> {
    let stays_admin = role == Role::Admin && !disabled;
    if user.role != Role::Admin || user.disabled || stays_admin {
        return Ok(());
    }
    let admins: Vec<i64> = sqlx::query_scalar(Backend::ACTIVE_ADMINS)
        .fetch_all(&mut *conn)
        .await?;
    if admins.iter().all(|&id| id == user.id) {
        return Err(StoreError::Conflict(Problems::single(
            "role",
            Problem::rule(
                "last-admin",
                "the last active admin must stay an active admin",
            ),
        )));
    }
    Ok(())
}

async fn end_sessions(conn: &mut Conn, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM login_links WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Revokes every live API token the account created, each with a `token.revoke` entry naming
/// why: a token acts for its creator and must not outlive the creator's access.
async fn revoke_tokens_of(
    conn: &mut Conn,
    username: &str,
    at: Timestamp,
    actor: &str,
    why: &str,
) -> Result<()> {
    let mut ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE api_tokens SET revoked_at = $1 WHERE created_by = $2 AND revoked_at IS NULL \
         RETURNING id",
    )
    .bind(at.as_microsecond())
    .bind(username)
    .fetch_all(&mut *conn)
    .await?;
    ids.sort_unstable();
    for id in ids {
        audit(
            conn,
            at,
            actor,
            "token.revoke",
            "token",
            &id.to_string(),
            why,
        )
        .await?;
    }
    Ok(())
}

#[async_trait]
impl Accounts for SqlStore {
    async fn count_users(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n.unsigned_abs())
    }

    async fn create_user(&self, account: &NewAccount, actor: &str) -> Result<User> {
        let at = now();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, password_hash, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(&account.username)
        .bind(&account.display_name)
        .bind(account.role.as_str())
        .bind(&account.password_hash)
        .bind(at.as_microsecond())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            StoreError::from_violation(
                e,
                [OnViolation::unique(StoreError::duplicate(
                    "username",
                    &account.username,
                ))],
            )
        })?;
        let summary = format!("{} as {}", account.username, account.role.as_str());
        audit(
            &mut tx,
            at,
            actor,
            "user.create",
            "user",
            &account.username,
            &summary,
        )
        .await?;
        tx.commit().await?;
        Ok(User {
            id,
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            role: account.role,
            disabled: false,
            created_at: at,
        })
    }

    async fn users(&self) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u ORDER BY u.username"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(UserRow::into_user).collect()
    }

    async fn credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        let mut conn = self.pool.acquire().await?;
        let user = match user_by_name(&mut conn, username).await {
            Ok(user) => user,
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(&mut *conn)
            .await?;
        Ok(Some((user, hash)))
    }

    async fn set_role(&self, username: &str, role: Role, actor: &str) -> Result<User> {
        let at = now();
        let mut tx = self.begin().await?;
        let user = user_by_name(&mut tx, username).await?;
        keep_an_admin(&mut tx, &user, role, user.disabled).await?;
        sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
            .bind(role.as_str())
            .bind(at.as_microsecond())
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        let summary = format!("{} → {}", user.role.as_str(), role.as_str());
        audit(
            &mut tx,
            at,
            actor,
            "user.role",
            "user",
            &user.username,
            &summary,
        )
        .await?;
        tx.commit().await?;
        Ok(User { role, ..user })
    }

    async fn set_password(&self, username: &str, password_hash: &str, actor: &str) -> Result<()> {
        let at = now();
        let mut tx = self.begin().await?;
        let user = user_by_name(&mut tx, username).await?;
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(at.as_microsecond())
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        end_sessions(&mut tx, user.id).await?;
        audit(
            &mut tx,
            at,
            actor,
            "user.password",
            "user",
            &user.username,
            "sessions ended",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_disabled(&self, username: &str, disabled: bool, actor: &str) -> Result<User> {
        let at = now();
        let mut tx = self.begin().await?;
        let user = user_by_name(&mut tx, username).await?;
        keep_an_admin(&mut tx, &user, user.role, disabled).await?;
        sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
            .bind(i32::from(disabled))
            .bind(at.as_microsecond())
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            end_sessions(&mut tx, user.id).await?;
        }
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        audit(&mut tx, at, actor, action, "user", &user.username, "").await?;
        if disabled {
            // Enabling again does not bring them back: new ones are made deliberately.
            revoke_tokens_of(&mut tx, &user.username, at, actor, "creator disabled").await?;
        }
        tx.commit().await?;
        Ok(User { disabled, ..user })
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: Timestamp,
    ) -> Result<()> {
        let at = now();
        let mut tx = self.begin().await?;
        // Expired sessions of everyone go as a new one comes: the table stays small without a
        // background job.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(at.as_microsecond())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(at.as_microsecond())
        .bind(expires_at.as_microsecond())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_user(&self, token_hash: &str, now: Timestamp) -> Result<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(concat!(
            "SELECT ",
            user_columns!(),
            " FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
        ))
        .bind(token_hash)
        .bind(now.as_microsecond())
        .fetch_optional(&self.pool)
        .await?;
        row.map(UserRow::into_user).transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_login_link(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO login_links (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(expires_at.as_microsecond())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn take_login_link(&self, token_hash: &str, now: Timestamp) -> Result<Option<User>> {
        let mut tx = self.begin().await?;
        let user_id: Option<i64> = sqlx::query_scalar(
            "DELETE FROM login_links WHERE token_hash = $1 AND expires_at > $2 RETURNING user_id",
        )
        .bind(token_hash)
        .bind(now.as_microsecond())
        .fetch_optional(&mut *tx)
        .await?;
        let user = match user_id {
            None => None,
            Some(id) => {
                let row: Option<UserRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM users u WHERE u.id = $1 AND u.disabled = 0"
                ))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                row.map(UserRow::into_user).transpose()?
            }
        };
        tx.commit().await?;
        Ok(user)
    }

    async fn create_api_token(
        &self,
        name: &str,
        token_hash: &str,
        scope: Scope,
        actor: &str,
    ) -> Result<ApiToken> {
        let at = now();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (name, token_hash, scope, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(name)
        .bind(token_hash)
        .bind(scope.as_str())
        .bind(actor)
        .bind(at.as_microsecond())
        .fetch_one(&mut *tx)
        .await?;
        let summary = format!("{name} ({})", scope.as_str());
        audit(
            &mut tx,
            at,
            actor,
            "token.create",
            "token",
            &id.to_string(),
            &summary,
        )
        .await?;
        tx.commit().await?;
        Ok(ApiToken {
            id,
            name: name.to_owned(),
            scope,
            created_by: actor.to_owned(),
            created_at: at,
            last_used_at: None,
            revoked_at: None,
        })
    }

    async fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        let rows: Vec<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id DESC"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(TokenRow::into_token).collect()
    }

    async fn use_api_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<ApiToken>> {
        let row: Option<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(mut row) = row else {
            return Ok(None);
        };
        // Noting the use at most once a minute keeps a busy integration from turning every
        // call into a write.
        let minute_ago = now.as_microsecond() - 60_000_000;
        if row.last_used_at.is_none_or(|last| last < minute_ago) {
            sqlx::query(
                "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 \
                 AND revoked_at IS NULL",
            )
            .bind(token_hash)
            .bind(now.as_microsecond())
            .execute(&self.pool)
            .await?;
            row.last_used_at = Some(now.as_microsecond());
        }
        row.into_token().map(Some)
    }

    async fn revoke_api_token(&self, id: i64, actor: &str) -> Result<ApiToken> {
        let at = now();
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(at.as_microsecond())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let row: Option<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let token = row
            .ok_or(StoreError::NotFound { entity: "token" })?
            .into_token()?;
        audit(
            &mut tx,
            at,
            actor,
            "token.revoke",
            "token",
            &id.to_string(),
            &token.name,
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }
}

type Export<'a> = Pin<Box<dyn Future<Output = Result<serde_json::Value>> + Send + 'a>>;
type Erase<'a> = Pin<Box<dyn Future<Output = Result<u64>> + Send + 'a>>;

/// One place that holds personal data: how to export and how to erase what it holds about a
/// subject. Every table with personal data adds itself to [`PLACES`].
struct Place {
    name: &'static str,
    export: for<'a> fn(&'a mut Conn, &'a Subject) -> Export<'a>,
    erase: for<'a> fn(&'a mut Conn, &'a Subject, &'a str) -> Erase<'a>,
}

/// Staff actions are kept in the history and the audit log under a pseudonym after an
/// erasure, so the counts stay and the person is gone. The ':' is in no user name (see
/// `check_username`), so no account can be named like an erased one and inherit its past.
fn pseudonym(user_id: i64) -> String {
    format!("erased-user:{user_id}")
}

const PLACES: &[Place] = &[
    Place {
        name: "staff_account",
        export: |conn, subject| {
            Box::pin(async move {
                let Subject::Staff(name) = subject else {
                    return Ok(serde_json::Value::Null);
                };
                match user_by_name(conn, name).await {
                    Ok(user) => {
                        Ok(serde_json::to_value(user)
                            .map_err(|e| corrupt("users", e.to_string()))?)
                    }
                    Err(StoreError::NotFound { .. }) => Ok(serde_json::Value::Null),
                    Err(e) => Err(e),
                }
            })
        },
        erase: |conn, subject, actor| {
            Box::pin(async move {
                let Subject::Staff(name) = subject else {
                    return Ok(0);
                };
                let user = match user_by_name(conn, name).await {
                    Ok(user) => user,
                    Err(StoreError::NotFound { .. }) => return Ok(0),
                    Err(e) => return Err(e),
                };
                keep_an_admin(conn, &user, Role::Viewer, true).await?;
                // The tokens stay listed (under the pseudonym, below) but work no more.
                revoke_tokens_of(conn, &user.username, now(), actor, "creator erased").await?;
                let alias = pseudonym(user.id);
                // Sessions and login links go with the account (ON DELETE CASCADE).
                sqlx::query("DELETE FROM users WHERE id = $1")
                    .bind(user.id)
                    .execute(&mut *conn)
                    .await?;
                let mut changed = 1;
                for table_column in [
                    ("audit_log", "actor"),
                    ("touchpoint_history", "actor"),
                    ("api_tokens", "created_by"),
                    ("findings", "status_by"),
                    ("guideline", "updated_by"),
                    ("stories", "created_by"),
                ] {
                    let (table, column) = table_column;
                    changed += sqlx::query(sqlx::AssertSqlSafe(format!(
                        "UPDATE {table} SET {column} = $1 WHERE {column} = $2"
                    )))
                    .bind(&alias)
                    .bind(&user.username)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                }
                // The audit log names accounts as their subject too.
                changed += sqlx::query(
                    "UPDATE audit_log SET entity_id = $1, summary = '' \
                     WHERE entity = 'user' AND entity_id = $2",
                )
                .bind(&alias)
                .bind(&user.username)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                Ok(changed)
            })
        },
    },
    Place {
        name: "activity",
        export: |conn, subject| {
            Box::pin(async move {
                let Subject::Staff(name) = subject else {
                    return Ok(serde_json::Value::Null);
                };
                let name = name.trim().to_lowercase();
                let audit_entries: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE actor = $1")
                        .bind(&name)
                        .fetch_one(&mut *conn)
                        .await?;
                let history_entries: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM touchpoint_history WHERE actor = $1")
                        .bind(&name)
                        .fetch_one(&mut *conn)
                        .await?;
                let tokens: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM api_tokens WHERE created_by = $1")
                        .bind(&name)
                        .fetch_all(&mut *conn)
                        .await?;
                if audit_entries == 0 && history_entries == 0 && tokens.is_empty() {
                    // Nothing held here: no place to report.
                    return Ok(serde_json::Value::Null);
                }
                Ok(serde_json::json!({
                    "audit_log_entries": audit_entries,
                    "touchpoint_changes": history_entries,
                    "api_tokens_created": tokens,
                }))
            })
        },
        // Anonymised together with the account, under the same pseudonym.
        erase: |_, _, _| Box::pin(async { Ok(0) }),
    },
    Place {
        name: "interactions",
        export: |conn, subject| {
            Box::pin(async move {
                let ids = customer_interactions(conn, subject).await?;
                if ids.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                let mut rows = Vec::with_capacity(ids.len());
                for id in ids {
                    let (channel, received_at, reply): (String, i64, String) = sqlx::query_as(
                        "SELECT channel, received_at, reply FROM interactions WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await?;
                    rows.push(serde_json::json!({
                        "channel": channel,
                        "received_at": instant("interactions", received_at)?.to_string(),
                        "reply": reply,
                    }));
                }
                Ok(serde_json::Value::Array(rows))
            })
        },
        // The requests stay for the counts of the standards; who asked and what was
        // answered go.
        erase: |conn, subject, _| {
            Box::pin(async move {
                let ids = customer_interactions(conn, subject).await?;
                for id in &ids {
                    sqlx::query(
                        "UPDATE interactions SET customer_name = NULL, reply = '' WHERE id = $1",
                    )
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                }
                Ok(u64::try_from(ids.len()).unwrap_or(u64::MAX))
            })
        },
    },
    // Before the profiles: the requests are found through them.
    Place {
        name: "customer_requests",
        export: |conn, subject| {
            Box::pin(async move {
                let ids = super::sql_customers::subject_customers(conn, subject).await?;
                let requests = super::sql_requests::export_customer_requests(conn, &ids).await?;
                Ok(match requests.as_array() {
                    Some(list) if !list.is_empty() => requests,
                    _ => serde_json::Value::Null,
                })
            })
        },
        // The requests stay for the response-time statistics; who sent them and what they
        // and the agents said go.
        erase: |conn, subject, _| {
            Box::pin(async move {
                let ids = super::sql_customers::subject_customers(conn, subject).await?;
                super::sql_requests::erase_customer_requests(conn, &ids).await
            })
        },
    },
    Place {
        name: "customer_profiles",
        export: |conn, subject| {
            Box::pin(async move {
                let ids = super::sql_customers::subject_customers(conn, subject).await?;
                if ids.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                super::sql_customers::export_customers(conn, &ids).await
            })
        },
        erase: |conn, subject, _| {
            Box::pin(async move {
                let ids = super::sql_customers::subject_customers(conn, subject).await?;
                super::sql_customers::erase_customers(conn, &ids).await
            })
        },
    },
    Place {
        name: "survey_responses",
        export: |conn, subject| {
            Box::pin(async move {
                let Subject::Customer(reference) = subject else {
                    return Ok(serde_json::Value::Null);
                };
                let rows: Vec<(i64, String, i32, String, i64)> = sqlx::query_as(
                    "SELECT touchpoint_id, metric, score, comment, answered_at FROM responses \
                     WHERE customer_ref = $1 ORDER BY answered_at, id",
                )
                .bind(reference.trim())
                .fetch_all(&mut *conn)
                .await?;
                if rows.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                rows.into_iter()
                    .map(|(touchpoint_id, metric, score, comment, at)| {
                        Ok(serde_json::json!({
                            "touchpoint_id": touchpoint_id,
                            "metric": metric,
                            "score": score,
                            "comment": comment,
                            "answered_at": instant("responses", at)?.to_string(),
                        }))
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(serde_json::Value::Array)
            })
        },
        // The scores stay, so the KPIs of the past do not change; who answered and what they
        // wrote go.
        erase: |conn, subject, _| {
            Box::pin(async move {
                let Subject::Customer(reference) = subject else {
                    return Ok(0);
                };
                Ok(sqlx::query(
                    "UPDATE responses SET customer_ref = NULL, comment = '' WHERE customer_ref = $1",
                )
                .bind(reference.trim())
                .execute(&mut *conn)
                .await?
                .rows_affected())
            })
        },
    },
    Place {
        name: "customer_events",
        export: |conn, subject| {
            Box::pin(async move {
                let Subject::Customer(reference) = subject else {
                    return Ok(serde_json::Value::Null);
                };
                let rows: Vec<(String, i64, i64)> = sqlx::query_as(
                    "SELECT kind, at, amount_cents FROM customer_events \
                     WHERE customer_ref = $1 ORDER BY at, id",
                )
                .bind(reference.trim())
                .fetch_all(&mut *conn)
                .await?;
                if rows.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                rows.into_iter()
                    .map(|(kind, at, amount_cents)| {
                        Ok(serde_json::json!({
                            "kind": kind,
                            "at": instant("customer_events", at)?.to_string(),
                            "amount_cents": amount_cents,
                        }))
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(serde_json::Value::Array)
            })
        },
        // The events stay under a pseudonym, so that retention and revenue of the past keep
        // their counts and a recount of the roll-ups still sees one customer.
        erase: |conn, subject, _| {
            Box::pin(async move {
                let Subject::Customer(reference) = subject else {
                    return Ok(0);
                };
                let first: Option<i64> = sqlx::query_scalar(
                    "SELECT MIN(id) FROM customer_events WHERE customer_ref = $1",
                )
                .bind(reference.trim())
                .fetch_one(&mut *conn)
                .await?;
                let Some(first) = first else {
                    return Ok(0);
                };
                Ok(sqlx::query(
                    "UPDATE customer_events SET customer_ref = $1, external_id = NULL \
                     WHERE customer_ref = $2",
                )
                .bind(format!("erased-customer:{first}"))
                .bind(reference.trim())
                .execute(&mut *conn)
                .await?
                .rows_affected())
            })
        },
    },
];

/// The recorded interactions of a customer. Until customer profiles exist, a customer is
/// found by the name the interactions carry, compared without case.
async fn customer_interactions(conn: &mut Conn, subject: &Subject) -> Result<Vec<i64>> {
    let Subject::Customer(name) = subject else {
        return Ok(Vec::new());
    };
    let wanted = name.trim().to_lowercase();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, customer_name FROM interactions WHERE customer_name IS NOT NULL ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, n)| n.trim().to_lowercase() == wanted)
        .map(|(id, _)| id)
        .collect())
}

#[async_trait]
impl PersonalData for SqlStore {
    async fn export_personal_data(&self, subject: &Subject) -> Result<serde_json::Value> {
        let mut conn = self.pool.acquire().await?;
        let mut places = serde_json::Map::new();
        for place in PLACES {
            let value = (place.export)(&mut conn, subject).await?;
            if !value.is_null() {
                places.insert(place.name.to_owned(), value);
            }
        }
        Ok(serde_json::json!({
            "subject": subject,
            "exported_at": now().to_string(),
            "places": places,
        }))
    }

    async fn erase_personal_data(&self, subject: &Subject, actor: &str) -> Result<Erasure> {
        let at = now();
        let mut tx = self.begin().await?;
        let mut erasure = Erasure::default();
        for place in PLACES {
            let changed = (place.erase)(&mut tx, subject, actor).await?;
            erasure.places.push((place.name.to_owned(), changed));
        }
        let (kind, id) = match subject {
            Subject::Staff(name) => ("staff", name.as_str()),
            Subject::Customer(id) => ("customer", id.as_str()),
        };
        let total: u64 = erasure.places.iter().map(|(_, n)| n).sum();
        if total == 0 {
            // Nothing held about the subject (an unknown name, a mistyped one, a customer
            // while no place holds customer data): say so rather than report an erasure.
            return Err(StoreError::NotFound { entity: "person" });
        }
        // The entry names no person: the subject's identifier is what was erased.
        let summary = format!("{kind} subject; {total} records deleted or anonymised");
        audit(&mut tx, at, actor, "gdpr.erase", kind, "", &summary).await?;
        let _ = id;
        tx.commit().await?;
        Ok(erasure)
    }
}

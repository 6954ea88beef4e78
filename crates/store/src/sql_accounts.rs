//! Staff accounts, sessions, login links and API tokens in SQL, compiled once per backend
//! like `sql.rs`.

use async_trait::async_trait;
use jiff::Timestamp;
use touchpoints_core::audit::Said;
use touchpoints_core::{ApiToken, Problem, Problems, Role, Scope, User};

use super::Backend;
use super::sql::{Conn, SqlStore, corrupt, instant, now};
use super::sql_audit::{audit, audit_said};
use crate::dialect::Dialect;
use crate::error::OnViolation;
use crate::{Accounts, NewAccount, Result, StoreError};

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

pub(super) async fn user_by_name(conn: &mut Conn, username: &str) -> Result<User> {
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
pub(super) async fn keep_an_admin(
    conn: &mut Conn,
    user: &User,
    role: Role,
    disabled: bool,
) -> Result<()> {
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
/// Why a creator's tokens end with a change to the creator's account.
#[derive(Debug, Clone, Copy)]
pub(super) enum Revocation {
    Demoted,
    PasswordChanged,
    Disabled,
    Erased,
}

impl Revocation {
    fn summary(self) -> &'static str {
        match self {
            Revocation::Demoted => "creator demoted",
            Revocation::PasswordChanged => "creator's password changed",
            Revocation::Disabled => "creator disabled",
            Revocation::Erased => "creator erased",
        }
    }

    fn said(self) -> Said {
        Said::new(match self {
            Revocation::Demoted => "audit-token-creator-demoted",
            Revocation::PasswordChanged => "audit-token-creator-password",
            Revocation::Disabled => "audit-token-creator-disabled",
            Revocation::Erased => "audit-token-creator-erased",
        })
    }
}

pub(super) async fn revoke_tokens_of(
    conn: &mut Conn,
    username: &str,
    at: Timestamp,
    actor: &str,
    why: Revocation,
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
        audit_said(
            conn,
            at,
            actor,
            "token.revoke",
            "token",
            &id.to_string(),
            why.summary(),
            &why.said(),
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
        audit_said(
            &mut tx,
            at,
            actor,
            "user.create",
            "user",
            &account.username,
            &summary,
            &Said::new("audit-user-create")
                .text("user", account.username.as_str())
                .label("role", format!("role-{}", account.role.as_str())),
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
        audit_said(
            &mut tx,
            at,
            actor,
            "user.role",
            "user",
            &user.username,
            &summary,
            &Said::new("audit-user-role")
                .label("before", format!("role-{}", user.role.as_str()))
                .label("after", format!("role-{}", role.as_str())),
        )
        .await?;
        if role < user.role {
            // A token acts with the power its creator had when making it: a demotion ends it.
            revoke_tokens_of(&mut tx, &user.username, at, actor, Revocation::Demoted).await?;
        }
        tx.commit().await?;
        self.remembered.tokens.forget_all();
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
        audit_said(
            &mut tx,
            at,
            actor,
            "user.password",
            "user",
            &user.username,
            "sessions ended",
            &Said::new("audit-sessions-ended"),
        )
        .await?;
        // A new password answers a suspicion as often as a forgotten one: whatever the old
        // one opened ends, the creator's API tokens included.
        revoke_tokens_of(
            &mut tx,
            &user.username,
            at,
            actor,
            Revocation::PasswordChanged,
        )
        .await?;
        tx.commit().await?;
        self.remembered.tokens.forget_all();
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
            revoke_tokens_of(&mut tx, &user.username, at, actor, Revocation::Disabled).await?;
        }
        tx.commit().await?;
        self.remembered.tokens.forget_all();
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
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM login_links WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO login_links (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(expires_at.as_microsecond())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
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
        audit_said(
            &mut tx,
            at,
            actor,
            "token.create",
            "token",
            &id.to_string(),
            &summary,
            &Said::new("audit-token-create")
                .text("name", name)
                .label("scope", format!("scope-{}", scope.as_str())),
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
        // Noting the use at most once a minute keeps a busy integration from turning every
        // call into a write.
        let minute_ago = now.as_microsecond() - 60_000_000;
        let noted = |token: &ApiToken| {
            token
                .last_used_at
                .is_some_and(|last| last.as_microsecond() >= minute_ago)
        };
        let key = token_hash.to_owned();
        if let Some(token) = self.remembered.tokens.get(&key)
            && noted(&token)
        {
            return Ok(Some(token));
        }
        let started = self.remembered.tokens.begin();
        let row: Option<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(mut row) = row else {
            return Ok(None);
        };
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
        let token = row.into_token()?;
        self.remembered.tokens.keep(started, key, token.clone());
        Ok(Some(token))
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
        self.remembered.tokens.forget_all();
        Ok(token)
    }
}

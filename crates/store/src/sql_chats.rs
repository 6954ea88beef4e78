//! The chat's widgets, conversations and transcripts in SQL, compiled once per backend like
//! `sql.rs`.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use touchpoints_core::audit::Said;
use touchpoints_core::request::RequestAction;

use super::sql::{Conn, SqlStore, corrupt, instant};
use super::sql_audit::audit_said;
use crate::{
    ChatAuthor, ChatFigures, ChatMessage, ChatWidget, Chats, NewChatMessage, NewConversation,
    Result, StoreError, StoredConversation,
};

const NOT_FOUND: StoreError = StoreError::NotFound {
    entity: "conversation",
};

#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: i64,
    touchpoint_id: i64,
    language: String,
    origin: String,
    request_id: Option<i64>,
    bot_answers: i64,
    customer_messages: i64,
    rating: Option<i64>,
    by_email: i32,
    started_at: i64,
    updated_at: i64,
    closed_at: Option<i64>,
}

const CONVERSATION: &str = "SELECT c.id, c.touchpoint_id, c.language, c.origin, c.request_id, \
     CAST(c.bot_answers AS BIGINT) AS bot_answers, \
     (SELECT COUNT(*) FROM chat_messages m \
      WHERE m.conversation_id = c.id AND m.author = 'customer') AS customer_messages, \
     CAST(c.rating AS BIGINT) AS rating, CAST(c.by_email AS INTEGER) AS by_email, c.started_at, c.updated_at, c.closed_at \
     FROM chat_conversations c";

impl ConversationRow {
    fn into_conversation(self) -> Result<StoredConversation> {
        Ok(StoredConversation {
            id: self.id,
            touchpoint_id: self.touchpoint_id,
            language: self.language,
            origin: self.origin,
            request_id: self.request_id,
            bot_answers: self.bot_answers,
            customer_messages: self.customer_messages,
            rating: self.rating,
            by_email: self.by_email != 0,
            started_at: instant("chat_conversations", self.started_at)?,
            updated_at: instant("chat_conversations", self.updated_at)?,
            closed_at: self
                .closed_at
                .map(|at| instant("chat_conversations", at))
                .transpose()?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    author: String,
    agent: Option<String>,
    body: String,
    source: Option<String>,
    at: i64,
}

impl MessageRow {
    fn into_message(self) -> Result<ChatMessage> {
        Ok(ChatMessage {
            id: self.id,
            author: ChatAuthor::parse(&self.author)
                .ok_or_else(|| corrupt("chat_messages", format!("author {}", self.author)))?,
            agent: self.agent,
            body: self.body,
            source: self
                .source
                .map(|s| serde_json::from_str(&s))
                .transpose()
                .map_err(|e| corrupt("chat_messages", e.to_string()))?,
            at: instant("chat_messages", self.at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct WidgetRow {
    touchpoint_id: i64,
    origins: String,
    enabled: i32,
}

impl WidgetRow {
    fn into_widget(self) -> Result<ChatWidget> {
        Ok(ChatWidget {
            touchpoint_id: self.touchpoint_id,
            origins: serde_json::from_str(&self.origins)
                .map_err(|e| corrupt("chat_widgets", e.to_string()))?,
            enabled: self.enabled != 0,
        })
    }
}

async fn conversation_where(
    conn: &mut Conn,
    condition: &str,
    bind: impl for<'q> sqlx::Encode<'q, super::sql::Db> + sqlx::Type<super::sql::Db> + Send,
) -> Result<Option<StoredConversation>> {
    let row: Option<ConversationRow> =
        sqlx::query_as(AssertSqlSafe(format!("{CONVERSATION} WHERE {condition}")))
            .bind(bind)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(ConversationRow::into_conversation).transpose()
}

/// After an agent's step on request `id` in the step's transaction: a reply to a chat request
/// joins its transcript, and resolving the request ends the conversation.
pub(super) async fn follow_step(
    tx: &mut Conn,
    id: i64,
    action: &RequestAction,
    actor: &str,
    at: Timestamp,
) -> Result<()> {
    match action {
        RequestAction::Reply { body } => {
            sqlx::query(
                "INSERT INTO chat_messages (conversation_id, author, agent, body, at) \
                 SELECT id, 'agent', $1, $2, $3 FROM chat_conversations WHERE request_id = $4",
            )
            .bind(actor)
            .bind(body)
            .bind(at.as_microsecond())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        RequestAction::Resolve => {
            sqlx::query(
                "UPDATE chat_conversations SET closed_at = $1, updated_at = $1 \
                 WHERE request_id = $2 AND closed_at IS NULL",
            )
            .bind(at.as_microsecond())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        _ => {}
    }
    Ok(())
}

/// The transcripts of the chats that opened `requests`, for a data-protection export;
/// `null` when there are none.
pub(super) async fn export_transcripts(
    conn: &mut Conn,
    requests: &[i64],
) -> Result<serde_json::Value> {
    let mut out = Vec::new();
    for request in requests {
        let Some(conversation) = conversation_where(conn, "c.request_id = $1", *request).await?
        else {
            continue;
        };
        let rows: Vec<MessageRow> = sqlx::query_as(
            "SELECT id, author, agent, body, source, at FROM chat_messages \
             WHERE conversation_id = $1 ORDER BY id",
        )
        .bind(conversation.id)
        .fetch_all(&mut *conn)
        .await?;
        let messages = rows
            .into_iter()
            .map(MessageRow::into_message)
            .collect::<Result<Vec<_>>>()?;
        out.push(serde_json::json!({
            "conversation": conversation.id,
            "request_id": request,
            "started_at": conversation.started_at,
            "origin": conversation.origin,
            "rating": conversation.rating,
            "messages": messages,
        }));
    }
    Ok(if out.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::Value::Array(out)
    })
}

/// Deletes the chats that opened `requests`, with their transcripts; returns how many.
pub(super) async fn erase_transcripts(conn: &mut Conn, requests: &[i64]) -> Result<u64> {
    let mut erased = 0;
    for request in requests {
        erased += sqlx::query("DELETE FROM chat_conversations WHERE request_id = $1")
            .bind(request)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(erased)
}

#[async_trait]
impl Chats for SqlStore {
    async fn chat_widgets(&self) -> Result<Vec<ChatWidget>> {
        let rows: Vec<WidgetRow> = sqlx::query_as(
            "SELECT touchpoint_id, origins, CAST(enabled AS INTEGER) AS enabled \
             FROM chat_widgets ORDER BY touchpoint_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(WidgetRow::into_widget).collect()
    }

    async fn chat_widget(&self, touchpoint_id: i64) -> Result<Option<ChatWidget>> {
        let row: Option<WidgetRow> = sqlx::query_as(
            "SELECT touchpoint_id, origins, CAST(enabled AS INTEGER) AS enabled \
             FROM chat_widgets WHERE touchpoint_id = $1",
        )
        .bind(touchpoint_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(WidgetRow::into_widget).transpose()
    }

    async fn put_chat_widget(&self, widget: &ChatWidget, actor: &str) -> Result<()> {
        let at = super::sql::now();
        let mut tx = self.begin().await?;
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM touchpoints WHERE id = $1")
            .bind(widget.touchpoint_id)
            .fetch_optional(&mut *tx)
            .await?;
        let name = name.ok_or(StoreError::NotFound {
            entity: "touchpoint",
        })?;
        let origins = serde_json::to_string(&widget.origins)
            .map_err(|e| corrupt("chat_widgets", e.to_string()))?;
        sqlx::query(
            "INSERT INTO chat_widgets (touchpoint_id, origins, enabled, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (touchpoint_id) DO UPDATE SET \
             origins = excluded.origins, enabled = excluded.enabled, \
             updated_at = excluded.updated_at",
        )
        .bind(widget.touchpoint_id)
        .bind(&origins)
        .bind(i32::from(widget.enabled))
        .bind(at.as_microsecond())
        .execute(&mut *tx)
        .await?;
        let summary = match (widget.enabled, widget.origins.is_empty()) {
            (false, _) => format!("{name}: off"),
            (true, true) => format!("{name}: on, no website allowed"),
            (true, false) => format!("{name}: on for {}", widget.origins.join(", ")),
        };
        audit_said(
            &mut tx,
            at,
            actor,
            "chat.widget",
            "touchpoint",
            &widget.touchpoint_id.to_string(),
            &summary,
            &match (widget.enabled, widget.origins.is_empty()) {
                (false, _) => Said::new("audit-chat-widget-off"),
                (true, true) => Said::new("audit-chat-widget-nowhere"),
                (true, false) => {
                    Said::new("audit-chat-widget-on").text("origins", widget.origins.join(", "))
                }
            }
            .text("name", name.as_str()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn start_chat(&self, new: &NewConversation) -> Result<StoredConversation> {
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO chat_conversations (token_hash, touchpoint_id, language, origin, \
             bot_answers, started_at, updated_at) VALUES ($1, $2, $3, $4, 0, $5, $5) \
             RETURNING id",
        )
        .bind(&new.token_hash)
        .bind(new.touchpoint_id)
        .bind(&new.language)
        .bind(&new.origin)
        .bind(new.at.as_microsecond())
        .fetch_one(&mut *tx)
        .await?;
        let stored = conversation_where(&mut tx, "c.id = $1", id)
            .await?
            .ok_or(NOT_FOUND)?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn chat_by_token(&self, token_hash: &str) -> Result<Option<StoredConversation>> {
        let mut conn = self.pool.acquire().await?;
        conversation_where(&mut conn, "c.token_hash = $1", token_hash.to_owned()).await
    }

    async fn chat_of_request(&self, request_id: i64) -> Result<Option<StoredConversation>> {
        let mut conn = self.pool.acquire().await?;
        conversation_where(&mut conn, "c.request_id = $1", request_id).await
    }

    async fn add_chat_messages(
        &self,
        conversation_id: i64,
        messages: &[NewChatMessage],
        at: Timestamp,
    ) -> Result<Vec<ChatMessage>> {
        // At the precision the database keeps, so the messages returned equal those read.
        let at = instant("chat_messages", at.as_microsecond())?;
        let mut tx = self.begin().await?;
        let request_id: Option<Option<i64>> =
            sqlx::query_scalar("SELECT request_id FROM chat_conversations WHERE id = $1")
                .bind(conversation_id)
                .fetch_optional(&mut *tx)
                .await?;
        let request_id = request_id.ok_or(NOT_FOUND)?;
        let mut added = Vec::with_capacity(messages.len());
        for message in messages {
            let source = message
                .source
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(|e| corrupt("chat_messages", e.to_string()))?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO chat_messages (conversation_id, author, body, source, at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(conversation_id)
            .bind(message.author.as_str())
            .bind(&message.body)
            .bind(&source)
            .bind(at.as_microsecond())
            .fetch_one(&mut *tx)
            .await?;
            if let (ChatAuthor::Customer, Some(request_id)) = (message.author, request_id) {
                sqlx::query(
                    "INSERT INTO request_messages (request_id, kind, author, body, at) \
                     VALUES ($1, 'customer', 'customer', $2, $3)",
                )
                .bind(request_id)
                .bind(&message.body)
                .bind(at.as_microsecond())
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE requests SET updated_at = $1 WHERE id = $2")
                    .bind(at.as_microsecond())
                    .bind(request_id)
                    .execute(&mut *tx)
                    .await?;
            }
            added.push(ChatMessage {
                id,
                author: message.author,
                agent: None,
                body: message.body.clone(),
                source: message.source.clone(),
                at,
            });
        }
        let bot_answers = messages
            .iter()
            .filter(|m| m.author == ChatAuthor::Bot && m.source.is_some())
            .count() as i64;
        sqlx::query(
            "UPDATE chat_conversations SET bot_answers = bot_answers + $1, updated_at = $2 \
             WHERE id = $3",
        )
        .bind(bot_answers)
        .bind(at.as_microsecond())
        .bind(conversation_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn chat_messages(
        &self,
        conversation_id: i64,
        after: i64,
        limit: u32,
    ) -> Result<Vec<ChatMessage>> {
        let rows: Vec<MessageRow> = sqlx::query_as(
            "SELECT id, author, agent, body, source, at FROM chat_messages \
             WHERE conversation_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(conversation_id)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(MessageRow::into_message).collect()
    }

    async fn link_chat_request(
        &self,
        conversation_id: i64,
        request_id: i64,
        by_email: bool,
        at: Timestamp,
    ) -> Result<StoredConversation> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE chat_conversations SET request_id = $1, by_email = $2, updated_at = $3 \
             WHERE id = $4 AND request_id IS NULL",
        )
        .bind(request_id)
        .bind(i32::from(by_email))
        .bind(at.as_microsecond())
        .bind(conversation_id)
        .execute(&mut *tx)
        .await?;
        let stored = conversation_where(&mut tx, "c.id = $1", conversation_id)
            .await?
            .ok_or(NOT_FOUND)?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn rate_chat(&self, conversation_id: i64, rating: u8, at: Timestamp) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed =
            sqlx::query("UPDATE chat_conversations SET rating = $1, updated_at = $2 WHERE id = $3")
                .bind(i32::from(rating))
                .bind(at.as_microsecond())
                .bind(conversation_id)
                .execute(&mut *tx)
                .await?;
        if changed.rows_affected() == 0 {
            return Err(NOT_FOUND);
        }
        tx.commit().await?;
        Ok(())
    }

    async fn close_chat(&self, conversation_id: i64, at: Timestamp) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE chat_conversations SET closed_at = $1, updated_at = $1 \
             WHERE id = $2 AND closed_at IS NULL",
        )
        .bind(at.as_microsecond())
        .bind(conversation_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn chat_figures(&self, from: Timestamp, until: Timestamp) -> Result<ChatFigures> {
        let (conversations, with_questions, handed_over, answered_by_bot): (i64, i64, i64, i64) =
            sqlx::query_as(
                "SELECT COUNT(*), \
                 COALESCE(SUM(CASE WHEN asked THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN request_id IS NOT NULL THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN asked AND request_id IS NULL AND bot_answers > 0 \
                              THEN 1 ELSE 0 END), 0) \
                 FROM (SELECT c.request_id, c.bot_answers, EXISTS (SELECT 1 FROM chat_messages m \
                       WHERE m.conversation_id = c.id AND m.author = 'customer') AS asked \
                       FROM chat_conversations c \
                       WHERE c.started_at >= $1 AND c.started_at < $2) AS t",
            )
            .bind(from.as_microsecond())
            .bind(until.as_microsecond())
            .fetch_one(&self.pool)
            .await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(ChatFigures {
            conversations: count(conversations),
            with_questions: count(with_questions),
            handed_over: count(handed_over),
            answered_by_bot: count(answered_by_bot),
        })
    }

    async fn purge_chats(&self, before: Timestamp, actor: &str) -> Result<u64> {
        let at = super::sql::now();
        let mut tx = self.begin().await?;
        let deleted = sqlx::query("DELETE FROM chat_conversations WHERE started_at < $1")
            .bind(before.as_microsecond())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted > 0 {
            audit_said(
                &mut tx,
                at,
                actor,
                "chat.purge",
                "chat",
                "",
                &format!("{deleted} conversations started before {before} deleted"),
                &Said::new("audit-chat-purge")
                    .number("count", deleted as f64)
                    .text("before", before.to_string()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(deleted)
    }
}

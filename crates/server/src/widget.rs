//! The chat widget's side of the server: the script a company's website embeds (`/chat.js`)
//! and the public JSON API it talks to under `/chat/v1`.
//!
//! Websites embed the widget from another origin, so every answer under `/chat/v1` carries
//! CORS headers for the origins a touchpoint's widget allows, and a request from any other
//! origin is refused before its handler. A conversation is reached by its token, sent in the
//! `X-Chat-Token` header: the widget holds it, the store keeps only its digest. Errors are the
//! API's JSON body. Live messages reach the widget as Server-Sent Events, read with `fetch`
//! so the token stays out of the URL; a person's reply or typing arrives through the queue's
//! announcements, which cross app servers on PostgreSQL.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::Stream;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use touchpoints_app::chat::{self, Contact, Origin};
use touchpoints_app::json;
use touchpoints_store::{ChatMessage, Store, StoredConversation};

use crate::AppState;
use crate::background::{Background, Turn};
use crate::error::ApiError;

/// Where the widget's API lives.
pub const PREFIX: &str = "/chat/v1/";

/// The header that carries a conversation's token.
const TOKEN_HEADER: &str = "x-chat-token";

/// How often a quiet stream sends a comment that keeps proxies from closing it.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/chat.js", get(script))
        .route("/chat/v1/conversations", post(start))
        .route("/chat/v1/messages", get(messages).post(send))
        .route("/chat/v1/handover", post(hand_over))
        .route("/chat/v1/rating", post(rate))
        .route("/chat/v1/close", post(close))
        .route("/chat/v1/events", get(events))
        .route("/chat/preview", get(preview))
}

#[derive(Deserialize)]
struct PreviewQuery {
    #[serde(default)]
    touchpoint: Option<i64>,
    #[serde(default)]
    lang: Option<String>,
}

/// A page with a touchpoint's chat widget on it, as a website would show it: for trying the
/// widget and the bot (the demo's live chat, or your own) before it goes on the website. The
/// touchpoint given, or the first whose widget is on; not found while none is.
async fn preview(
    State(state): State<AppState>,
    Query(query): Query<PreviewQuery>,
) -> Result<Response, ApiError> {
    let Some(widget) = state
        .store
        .chat_widgets()
        .await?
        .into_iter()
        .filter(|w| w.enabled)
        .find(|w| query.touchpoint.is_none_or(|id| id == w.touchpoint_id))
    else {
        return Err(ApiError::NotFound { entity: "chat" });
    };
    let name = state
        .store
        .touchpoint(widget.touchpoint_id)
        .await?
        .fields
        .name;
    let name = escape(&name);
    let english = query.lang.as_deref() == Some("en");
    let (lang, title, text) = if english {
        (
            "en",
            format!("Chat preview: {name}"),
            "This page shows the chat widget as your website will show it: bottom right.",
        )
    } else {
        (
            "de",
            format!("Chat-Vorschau: {name}"),
            "Diese Seite zeigt das Chat-Widget, wie es auf Ihrer Website erscheint: unten rechts.",
        )
    };
    let page = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{style}\"></head>\n\
         <body><main class=\"chat-preview\"><h1>{title}</h1><p>{text}</p></main>\n\
         <script src=\"/chat.js\" data-touchpoint=\"{}\" async></script></body></html>\n",
        widget.touchpoint_id,
        style = crate::assets::url("style.css"),
    );
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response())
}

/// Text for HTML: a touchpoint's name is anyone's to write.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The widget's script: small, without dependencies, cached for an hour.
async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../assets/chat.js"),
    )
        .into_response()
}

/// The origin of a request, if a browser sent one.
fn request_origin(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .and_then(chat::origin)
}

/// Whether `origin` is this server's own: the page that asks was served by it.
fn is_own(origin: &str, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        == Some(&host)
}

/// CORS for the widget's API: a preflight is answered here; any other request from an
/// origin that no enabled widget allows is refused before its handler, and the answers to
/// the others name their origin as allowed.
pub async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with(PREFIX) {
        return next.run(request).await;
    }
    let origin = request_origin(request.headers());
    let foreign = match &origin {
        Some(origin) if !is_own(origin, request.headers()) => Some(origin.clone()),
        _ => None,
    };
    if let Some(origin) = &foreign {
        let allowed = match state.store.chat_widgets().await {
            Ok(widgets) => widgets
                .iter()
                .any(|w| w.enabled && w.origins.iter().any(|o| o == origin)),
            Err(e) => return ApiError::from(e).into_response(),
        };
        if !allowed {
            return ApiError::Forbidden("this website may not embed the chat".into())
                .into_response();
        }
    }
    let preflight = request.method() == Method::OPTIONS;
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = foreign.and_then(|o| HeaderValue::from_str(&o).ok()) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if preflight {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("content-type, x-chat-token"),
            );
            headers.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
    }
    response
}

fn token_of(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The conversation a request's token opens, from the origin it was started on.
struct Conversation(StoredConversation);

impl FromRequestParts<AppState> for Conversation {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = token_of(&parts.headers)
            .ok_or_else(|| ApiError::Unauthorized("send the conversation's X-Chat-Token".into()))?;
        let conversation = chat::conversation(&*state.store, token, Timestamp::now()).await?;
        // A token works only where its conversation started: another site that got hold of
        // it cannot read the transcript from its pages.
        let asked_from = request_origin(&parts.headers)
            .filter(|o| !is_own(o, &parts.headers))
            .unwrap_or_default();
        if !asked_from.is_empty() && asked_from != conversation.origin {
            return Err(ApiError::Forbidden(
                "this conversation was started on another website".into(),
            ));
        }
        Ok(Conversation(conversation))
    }
}

fn read<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    Ok(json::parse(body)?)
}

fn client(request_extensions: &axum::http::Extensions) -> Option<std::net::IpAddr> {
    crate::auth::client_address(request_extensions)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Start {
    touchpoint_id: i64,
    #[serde(default)]
    language: Option<String>,
}

#[derive(Serialize)]
struct Started {
    token: String,
    welcome: String,
    language: String,
}

async fn start(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let address = client(request.extensions());
    let origin = request_origin(request.headers()).filter(|o| !is_own(o, request.headers()));
    let body = axum::body::to_bytes(request.into_body(), crate::BODY_LIMIT)
        .await
        .map_err(|_| ApiError::PayloadTooLarge)?;
    let start: Start = read(&body)?;
    if let Some(address) = address
        && !state.limits.chat_allowed(&*state.store, address).await?
    {
        return Err(ApiError::TooManyRequests);
    }
    let opened = chat::open(
        &*state.store,
        start.touchpoint_id,
        origin.as_deref().map_or(Origin::Own, Origin::Site),
        start.language.as_deref().unwrap_or("de"),
        Timestamp::now(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Started {
            token: opened.token,
            welcome: opened.welcome,
            language: opened.conversation.language,
        }),
    )
        .into_response())
}

/// Where a conversation stands, for the widget to show.
#[derive(Serialize)]
struct Standing {
    handed_over: bool,
    closed: bool,
    rated: bool,
}

impl Standing {
    fn of(conversation: &StoredConversation) -> Standing {
        Standing {
            handed_over: conversation.request_id.is_some(),
            closed: conversation.closed_at.is_some(),
            rated: conversation.rating.is_some(),
        }
    }
}

#[derive(Serialize)]
struct Transcript {
    messages: Vec<ChatMessage>,
    #[serde(flatten)]
    standing: Standing,
}

#[derive(Deserialize)]
struct After {
    #[serde(default)]
    after: i64,
}

async fn messages(
    State(state): State<AppState>,
    Conversation(conversation): Conversation,
    Query(after): Query<After>,
) -> Result<Json<Transcript>, ApiError> {
    let messages = state
        .store
        .chat_messages(conversation.id, after.after, chat::TRANSCRIPT_PAGE)
        .await?;
    Ok(Json(Transcript {
        messages,
        standing: Standing::of(&conversation),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Said {
    text: String,
}

#[derive(Serialize)]
struct Answered {
    messages: Vec<ChatMessage>,
    /// The bot is not sure, or the customer asked for a person: the widget offers one.
    offers_person: bool,
}

async fn send(
    State(state): State<AppState>,
    Conversation(conversation): Conversation,
    body: Bytes,
) -> Result<Json<Answered>, ApiError> {
    let said: Said = read(&body)?;
    let quota = state
        .store
        .hit(
            "chat-message",
            &conversation.id.to_string(),
            MESSAGES_PER_MINUTE,
            jiff::SignedDuration::from_secs(60),
            Timestamp::now(),
        )
        .await?;
    if quota.count > MESSAGES_PER_MINUTE {
        return Err(ApiError::TooManyRequests);
    }
    let asked = chat::ask(
        &*state.store,
        &state.chat_bot,
        &conversation,
        &said.text,
        Timestamp::now(),
    )
    .await?;
    if let Some(request_id) = asked.request_id {
        state.queue_events.send(request_id, "customer").await;
    }
    Ok(Json(Answered {
        messages: asked.added,
        offers_person: asked.offers_person,
    }))
}

/// Messages one conversation may send in a minute: more than anyone types.
const MESSAGES_PER_MINUTE: u64 = 20;

#[derive(Serialize)]
struct HandedOver {
    message: ChatMessage,
    /// When the first response is due by the chat's target.
    due: Option<Timestamp>,
    /// Requests ahead in the queue.
    ahead: usize,
    open_now: bool,
    next_open: Option<Timestamp>,
}

async fn hand_over(
    State(state): State<AppState>,
    Conversation(conversation): Conversation,
    body: Bytes,
) -> Result<Json<HandedOver>, ApiError> {
    let contact: Contact = if body.iter().all(u8::is_ascii_whitespace) {
        Contact::default()
    } else {
        read(&body)?
    };
    let handed = chat::hand_over(&*state.store, &conversation, &contact, Timestamp::now()).await?;
    state.queue_events.send(handed.request_id, "intake").await;
    Ok(Json(HandedOver {
        message: handed.message,
        due: handed.due,
        ahead: handed.ahead,
        open_now: handed.open_now,
        next_open: handed.next_open,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rating {
    score: i64,
}

async fn rate(
    State(state): State<AppState>,
    Conversation(conversation): Conversation,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let rating: Rating = read(&body)?;
    chat::rate(&*state.store, &conversation, rating.score, Timestamp::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn close(
    State(state): State<AppState>,
    Conversation(conversation): Conversation,
) -> Result<StatusCode, ApiError> {
    chat::close(&*state.store, &conversation, Timestamp::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A conversation's live events: `message` with each new message of the transcript,
/// `typing` and `read` from the person who took it over, and `closed` when the request is
/// resolved. Each event follows an announcement of the conversation's request; the messages
/// themselves are read from the store, so every server sends the same.
async fn events(
    State(state): State<AppState>,
    Conversation(conversation): Conversation,
    headers: HeaderMap,
    Query(after): Query<After>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut listener = Listener {
        token: token_of(&headers).unwrap_or_default().to_owned(),
        receiver: state.queue_events.subscribe(),
        state,
        conversation: conversation.id,
        request_id: conversation.request_id,
        last: after.after,
        tick: tokio::time::interval_at(tokio::time::Instant::now() + KEEP_ALIVE, KEEP_ALIVE),
        pending: Vec::new(),
    };
    // What came since the widget last read is sent first.
    listener.catch_up().await;
    Sse::new(futures::stream::unfold(
        listener,
        |mut listener| async move {
            let event = listener.next().await?;
            Some((Ok(event), listener))
        },
    ))
}

struct Listener {
    state: AppState,
    token: String,
    receiver: tokio::sync::broadcast::Receiver<crate::live::QueueEvent>,
    conversation: i64,
    request_id: Option<i64>,
    /// The last message sent.
    last: i64,
    tick: tokio::time::Interval,
    pending: Vec<Event>,
}

impl Listener {
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.pending.pop() {
                return Some(event);
            }
            tokio::select! {
                received = self.receiver.recv() => {
                    let kind = match received {
                        Ok(event) if self.concerns(event.request_id, &event.kind) => event.kind,
                        Ok(_) => continue,
                        Err(RecvError::Lagged(_)) => "resync".to_owned(),
                        Err(RecvError::Closed) => return None,
                    };
                    self.refresh().await;
                    match kind.as_str() {
                        "typing" | "read" => {
                            self.pending.insert(0, Event::default().event(kind).data("{}"));
                        }
                        "resolve" => self.pending.insert(0, Event::default().event("closed").data("{}")),
                        _ => {}
                    }
                    self.catch_up().await;
                }
                _ = self.tick.tick() => return Some(Event::default().comment("")),
            }
        }
    }

    /// Whether an announcement may be about this conversation's request. Before a handover
    /// only a new request may be (the handover's own); its request is then looked up.
    fn concerns(&self, request_id: i64, kind: &str) -> bool {
        match self.request_id {
            Some(id) => request_id == id,
            None => kind == "intake",
        }
    }

    /// Queues the transcript's messages after the last one sent.
    async fn catch_up(&mut self) {
        if let Ok(messages) = self
            .state
            .store
            .chat_messages(self.conversation, self.last, chat::TRANSCRIPT_PAGE)
            .await
        {
            for message in messages {
                self.last = self.last.max(message.id);
                let data = serde_json::to_string(&message).unwrap_or_default();
                self.pending
                    .insert(0, Event::default().event("message").data(data));
            }
        }
    }

    /// Learns the request a handover opened since the stream began.
    async fn refresh(&mut self) {
        if self.request_id.is_none()
            && let Ok(conversation) =
                chat::conversation(&*self.state.store, &self.token, Timestamp::now()).await
        {
            self.request_id = conversation.request_id;
        }
    }
}

/// The deletion of old chat transcripts, once an hour on the one server of a shared
/// database whose turn it is, until the returned task is dropped.
pub(crate) fn retention(store: Arc<dyn Store>, days: u32, holder: Arc<str>) -> Background {
    const EVERY: Duration = Duration::from_secs(3600);
    if days == 0 {
        return Background::none();
    }
    let keep = jiff::SignedDuration::from_hours(24 * i64::from(days));
    let turn = Turn::new("chat-retention", holder, EVERY);
    Background::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            if !turn.take(store.as_ref()).await {
                continue;
            }
            if let Err(e) = store.purge_chats(Timestamp::now() - keep, "system").await {
                tracing::warn!(error = %e, "cannot delete old chat transcripts");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_touchpoints_name_is_text_on_the_preview_page() {
        assert_eq!(
            escape(r#"<img src=x onerror="go()">&'"#),
            "&lt;img src=x onerror=&quot;go()&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn only_the_servers_own_origin_is_its_own() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("tp.example:8080"));
        assert!(is_own("http://tp.example:8080", &headers));
        assert!(is_own("https://tp.example:8080", &headers));
        assert!(!is_own("https://tp.example", &headers));
        assert!(!is_own("https://evil.example", &headers));
    }
}

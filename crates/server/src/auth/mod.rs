//! Who is calling and whether they may: sessions and API tokens, the route rules, CSRF
//! protection for forms, and rate limits for endpoints anyone can reach.
//!
//! One middleware ([`guard`]) runs on every routed request: it identifies the caller by
//! session cookie or `Authorization: Bearer` token, looks up the route's rule in
//! [`policy::ROUTES`], answers 401/403 (or sends a browser to the login page), checks the
//! CSRF token of every state-changing request made with cookies, and hands the caller to the
//! handler as [`Caller`].

pub mod limits;
pub mod policy;

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use touchpoints_core::{ApiToken, Role, User};

use crate::AppState;
use crate::cookies::cookie;
use crate::error::ApiError;
use crate::refusal::{Refusal, is_api};
use policy::Access;
use touchpoints_app::secrets;

/// The names and attributes of the login and CSRF cookies. Behind HTTPS they carry the
/// `__Host-` prefix, which a browser accepts only from a secure origin, for the whole host
/// and without a `Domain`: no subdomain and no plain-HTTP page can plant one.
#[derive(Debug, Clone, Copy)]
pub struct Cookies {
    pub session: &'static str,
    pub csrf: &'static str,
    /// `; Secure`, or nothing.
    pub secure: &'static str,
}

impl Cookies {
    pub fn new(secure: bool) -> Cookies {
        if secure {
            Cookies {
                session: "__Host-tp_session",
                csrf: "__Host-tp_csrf",
                secure: "; Secure",
            }
        } else {
            Cookies {
                session: "tp_session",
                csrf: "tp_csrf",
                secure: "",
            }
        }
    }

    /// The token a state-changing request with these cookies must present: the one of its
    /// session, or, before a login (the login and setup forms), the double-submit cookie's.
    /// `None` when there is neither, and nothing can match.
    pub fn expected_csrf(&self, headers: &HeaderMap) -> Option<String> {
        match cookie(headers, self.session).filter(|s| !s.is_empty()) {
            Some(session) => Some(secrets::csrf_token_of_session(session)),
            None => cookie(headers, self.csrf)
                .filter(|t| secrets::is_secret(t))
                .map(str::to_owned),
        }
    }
}
/// The form field and header that carry the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a login lasts.
pub const SESSION_HOURS: i64 = 12;

/// Who is calling.
#[derive(Debug, Clone)]
pub enum Identity {
    Staff(User),
    Token(ApiToken),
}

impl Identity {
    /// The role the caller acts with; none for a metrics token, which no route but
    /// `/metrics` lets in.
    pub fn role(&self) -> Option<Role> {
        match self {
            Identity::Staff(user) => Some(user.role),
            Identity::Token(token) => token.scope.role(),
        }
    }

    /// How the caller is named in the audit log and the history.
    pub fn actor(&self) -> String {
        match self {
            Identity::Staff(user) => user.username.clone(),
            Identity::Token(token) => format!("token:{}", token.name),
        }
    }
}

/// The caller of a request, as the guard found it: nobody on public routes without a login.
#[derive(Debug, Clone)]
pub struct Caller(pub Option<Identity>);

impl Caller {
    pub fn actor(&self) -> String {
        self.0
            .as_ref()
            .map_or_else(|| "anonymous".to_owned(), Identity::actor)
    }

    pub fn user(&self) -> Option<&User> {
        match &self.0 {
            Some(Identity::Staff(user)) => Some(user),
            _ => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.0.as_ref().and_then(Identity::role)
    }

    /// How a message to a customer is signed for this caller: a staff member's display name
    /// (their user name if they have none); nobody for an API token.
    pub fn signature(&self) -> String {
        self.user()
            .map(|u| {
                if u.display_name.trim().is_empty() {
                    u.username.clone()
                } else {
                    u.display_name.clone()
                }
            })
            .unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Caller>()
            .cloned()
            .unwrap_or(Caller(None)))
    }
}

/// The address a request came from, when the server knows it.
pub fn client_address(parts_extensions: &axum::http::Extensions) -> Option<IpAddr> {
    parts_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Identifies the caller: an API token on API routes, else a session cookie.
async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
) -> Result<Option<Identity>, Response> {
    let now = jiff::Timestamp::now();
    if is_api(path)
        && let Some(token) = bearer(headers)
    {
        return match state
            .store
            .use_api_token(&secrets::digest(token), now)
            .await
        {
            Ok(Some(token)) => Ok(Some(Identity::Token(token))),
            Ok(None) => Err(unauthorized("unknown or revoked API token")),
            Err(e) => Err(ApiError::from(e).into_response()),
        };
    }
    match cookie(headers, state.cookies.session) {
        Some(session) => match state
            .store
            .session_user(&secrets::digest(session), now)
            .await
        {
            Ok(user) => Ok(user.map(Identity::Staff)),
            Err(e) => Err(ApiError::from(e).into_response()),
        },
        None => Ok(None),
    }
}

pub(crate) fn unauthorized(message: &str) -> Response {
    let mut response = ApiError::Unauthorized(message.to_owned()).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        axum::http::HeaderValue::from_static("Bearer"),
    );
    response
}

/// The middleware described in the module docs.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(route) = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
    else {
        return next.run(request).await;
    };
    let path = request.uri().path().to_owned();
    let Some(access) = policy::access(request.method(), &route) else {
        // The route serves other methods: this one is not allowed. A method that is routed
        // but has no rule lands here too and is unreachable, which its tests reveal.
        if is_api(&path) {
            return ApiError::MethodNotAllowed.into_response();
        }
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    };
    let identity = match identify(&state, request.headers(), &path).await {
        Ok(identity) => identity,
        Err(response) => return response,
    };
    if let Access::Least(role) = access {
        match &identity {
            None if is_api(&path) => return unauthorized("log in or send an API token"),
            None => {
                let target = request
                    .uri()
                    .path_and_query()
                    .map_or("/", |pq| pq.as_str())
                    .to_owned();
                let next_param =
                    form_urlencoded::byte_serialize(target.as_bytes()).collect::<String>();
                return Redirect::to(&format!("/login?next={next_param}")).into_response();
            }
            Some(who) if who.role().is_none_or(|own| own < role) => {
                return Refusal::Forbidden(role).answer(&state, &path, request.headers());
            }
            Some(_) => {}
        }
    }
    let by_token = matches!(identity, Some(Identity::Token(_)));
    let mut request = request;
    if is_unsafe(request.method())
        && !by_token
        && !policy::ANONYMOUS_FORMS.contains(&route.as_str())
    {
        request = match check_csrf(request, state.cookies).await {
            Ok(request) => request,
            Err((refusal, headers)) => return refusal.answer(&state, &path, &headers),
        };
    }
    request.extensions_mut().insert(Caller(identity));
    request.extensions_mut().insert(state.cookies);
    next.run(request).await
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A state-changing request made with cookies must carry, in the `_csrf` form field or the
/// `X-CSRF-Token` header, the token [`Cookies::expected_csrf`] names: its session's, or
/// before a login the double-submit cookie's. A page of another site can make the browser
/// send the cookies but can read neither them nor the token to fill the field.
async fn check_csrf(request: Request, cookies: Cookies) -> Result<Request, (Refusal, HeaderMap)> {
    let expected = cookies.expected_csrf(request.headers());
    let from_header = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    // A file upload from a page (the action plan's import) is a multipart form.
    let is_upload = content_type.starts_with("multipart/form-data");
    let (request, presented) = match from_header {
        Some(token) => (request, Some(token)),
        None if is_form || is_upload => {
            let (parts, body) = request.into_parts();
            let bytes = axum::body::to_bytes(body, crate::BODY_LIMIT)
                .await
                .map_err(|_| (Refusal::TooLarge, parts.headers.clone()))?;
            let token = if is_form {
                form_urlencoded::parse(&bytes)
                    .find(|(k, _)| k == CSRF_FIELD)
                    .map(|(_, v)| v.into_owned())
            } else {
                crate::multipart::field(&parts.headers, bytes.clone(), CSRF_FIELD)
                    .await
                    .and_then(|token| String::from_utf8(token.to_vec()).ok())
            };
            (Request::from_parts(parts, Body::from(bytes)), token)
        }
        None => (request, None),
    };
    match (expected, presented) {
        (Some(expected), Some(presented)) if secrets::same_secret(&expected, &presented) => {
            Ok(request)
        }
        _ => Err((Refusal::Csrf, request.headers().clone())),
    }
}

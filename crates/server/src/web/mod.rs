//! The web UI: server-rendered pages that work without JavaScript, in German or English.

mod account;
mod action_budget;
mod action_import;
mod action_review;
mod action_settings;
mod actions;
mod admin;
mod campaigns;
mod catalog;
mod channel_names;
mod chat_widgets;
mod consistency;
mod dashboard;
mod export;
mod journey;
mod mail;
mod numbers;
pub(crate) mod organisation;
mod outcome;
mod programme;
mod public_survey;
mod queue;
mod reply_templates;
mod standards;
mod survey_answers;
mod surveys;
mod time;
mod touchpoints;
mod webhooks;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use fluent_bundle::{FluentArgs, FluentValue};
use minijinja::value::{Kwargs, Serde};
use minijinja::{Environment, State as TemplateState, Value};
use touchpoints_app::AppError;
use touchpoints_core::{FieldProblem, Problems};

use touchpoints_core::Role;

pub use outcome::error_pages;
pub use outcome::{Id, PageResult};

use crate::AppState;
use crate::auth::{Caller, Cookies};
use crate::cookies::{LANG_COOKIE, cookie, set_cookie};
use crate::error::InternalDetail;
use crate::i18n::{Lang, Messages};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
        .route("/api/docs", get(api_docs))
        .merge(crate::assets::routes())
        .merge(touchpoints::routes())
        .merge(journey::routes())
        .merge(catalog::routes())
        .merge(admin::routes())
        .merge(organisation::routes())
        .merge(mail::routes())
        .merge(webhooks::routes())
        .merge(chat_widgets::routes())
        .merge(consistency::routes())
        .merge(standards::routes())
        .merge(dashboard::routes())
        .merge(surveys::routes())
        .merge(queue::routes())
        .merge(reply_templates::routes())
        .merge(campaigns::routes())
        .merge(actions::routes())
        .merge(action_settings::routes())
        .merge(programme::routes())
        .merge(action_review::routes())
        .merge(action_budget::routes())
        .merge(action_import::routes())
}

/// The pages anyone can reach, rate-limited per client address.
pub fn public_routes() -> Router<AppState> {
    account::routes().merge(campaigns::unsubscribe_routes())
}

/// The survey pages customers answer on, rate-limited per client address and survey.
pub fn survey_routes() -> Router<AppState> {
    public_survey::routes()
}

/// Liveness: the process answers. It asks nothing of the database, so that a database
/// outage does not get a server restarted that would only wait for it again.
async fn health() -> Response {
    (StatusCode::OK, "ok\n").into_response()
}

/// How long readiness waits for the database.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

/// Readiness: within [`READY_WITHIN`] the database answers, and its schema is at exactly the
/// migrations this build carries. The server migrated it before it began to listen; a newer
/// server sharing the database may have migrated it further since, and this one, speaking
/// the older schema, should take no more traffic. The answer says nothing about what failed
/// or what the server runs on; the log says what failed.
async fn ready(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    use touchpoints_store::SchemaState;
    let ready = match tokio::time::timeout(READY_WITHIN, state.store.schema_state()).await {
        Ok(Ok(SchemaState::Current)) => true,
        Ok(Ok(SchemaState::Ahead(version))) => {
            tracing::warn!(
                version,
                "not ready: the database holds a migration this build does not know; \
                 a newer server migrated it"
            );
            false
        }
        Ok(Ok(SchemaState::Behind(version))) => {
            tracing::warn!(
                version,
                "not ready: a migration this build carries is not applied to the database"
            );
            false
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: the database did not tell its schema");
            false
        }
        Err(_) => {
            tracing::warn!(
                "not ready: the database did not answer within {} s",
                READY_WITHIN.as_secs()
            );
            false
        }
    };
    readiness(ready)
}

fn readiness(ready: bool) -> Response {
    if ready {
        (StatusCode::OK, "ready\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response()
    }
}

/// The API's OpenAPI document for people: every operation with its parameters, body and
/// responses, without any script or asset from outside the binary.
async fn api_docs(
    axum::extract::State(state): axum::extract::State<AppState>,
    page: Page,
) -> Response {
    page.render(
        &state,
        "api_docs.html",
        minijinja::context! { section => "api", api => Serde(state.api_document.as_ref()) },
    )
}

/// Every file of `templates/`, compiled in by the build script; a broken one fails every test
/// that starts a server.
#[allow(unused_qualifications)] // the generated loader names `minijinja::Environment` in full
fn load_templates(env: &mut Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// The page templates, compiled into the binary, with the page functions and filters.
pub fn templates(messages: Arc<Messages>) -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    load_templates(&mut env);
    // t("key", name=value…): the message in the page's language.
    env.add_function(
        "t",
        move |state: &TemplateState,
              key: &str,
              kwargs: Kwargs|
              -> Result<String, minijinja::Error> {
            let lang = page_lang(state);
            let mut args = FluentArgs::new();
            for name in kwargs.args() {
                let value: Value = kwargs.get(name)?;
                match value.as_i64() {
                    Some(n) => args.set(name.to_owned(), FluentValue::from(n)),
                    None => args.set(name.to_owned(), FluentValue::from(value.to_string())),
                }
            }
            Ok(messages.get(lang, key, Some(&args)))
        },
    );
    // asset("style.css"): the address the page links the asset by, with its digest.
    env.add_function("asset", |name: &str| {
        Value::from_safe_string(crate::assets::url(name))
    });
    // label(channel_or_phase): its label in the page's language.
    env.add_function(
        "label",
        |state: &TemplateState, item: Value| -> Result<Value, minijinja::Error> {
            let field = match page_lang(state) {
                Lang::De => "label_de",
                Lang::En => "label_en",
            };
            item.get_attr(field)
        },
    );
    // instant(seconds=false): a timestamp as a <time> element, its text the organisation's
    // local time in the page's language ("04.12.2026, 15:00"), its `datetime` in UTC.
    env.add_filter(
        "instant",
        |state: &TemplateState, value: Serde<jiff::Timestamp>, seconds: Option<bool>| {
            let precision = match seconds {
                Some(true) => time::Precision::Seconds,
                _ => time::Precision::Minutes,
            };
            let zone = time::of_template(state);
            Value::from_safe_string(time::time_element(
                value.0,
                &zone.0,
                page_lang(state),
                precision,
            ))
        },
    );
    // channel: a channel's key as its label in the page's language ("E-Mail").
    // relative: a timestamp as a <time> element that says how far it lies from now ("in 40
    // Min."), its local time as the tooltip.
    env.add_filter(
        "relative",
        |state: &TemplateState, value: Serde<jiff::Timestamp>| {
            let zone = time::of_template(state);
            Value::from_safe_string(time::relative_element(
                value.0,
                jiff::Timestamp::now(),
                &zone.0,
                page_lang(state),
            ))
        },
    );
    env.add_filter("channel", |state: &TemplateState, key: &str| {
        channel_names::ChannelNames::of_template(state).label(key, page_lang(state))
    });
    // minutes: a span of minutes in hours or days ("4 Std.").
    env.add_filter("minutes", |state: &TemplateState, total: i64| {
        numbers::minutes(total, page_lang(state))
    });
    // number(places): a decimal number as the page's language writes it ("3,7").
    env.add_filter(
        "number",
        |state: &TemplateState, value: f64, places: usize| {
            numbers::number(value, places, page_lang(state))
        },
    );
    // euros: an amount of cents as money in the page's language ("1.234,50 €").
    env.add_filter("euros", |state: &TemplateState, cents: i64| {
        numbers::euros(cents, page_lang(state))
    });
    // day: a calendar day ("2026-12-20") as the page's language writes it ("20.12.2026").
    env.add_filter("day", |state: &TemplateState, day: &str| {
        day.parse::<jiff::civil::Date>()
            .map_or_else(|_| day.to_owned(), |d| numbers::day(d, page_lang(state)))
    });
    Ok(env)
}

fn page_lang(state: &TemplateState) -> Lang {
    match state.lookup("lang").as_ref().and_then(Value::as_str) {
        Some("en") => Lang::En,
        _ => Lang::De,
    }
}

/// Where the product opens: agents work the queue, everyone else starts from the journey
/// map; nobody logged in is asked to.
async fn home(caller: Caller) -> Redirect {
    match caller.role() {
        Some(Role::Agent) => Redirect::to("/queue"),
        Some(_) => Redirect::to("/journey"),
        None => Redirect::to("/login"),
    }
}

/// What every page needs to know about its request: the language, where it is, who asks,
/// and the CSRF token its forms carry.
pub struct Page {
    pub lang: Lang,
    /// Set when the request chose the language with `?lang=`, to remember it in a cookie.
    remember: bool,
    uri: Uri,
    pub caller: Caller,
    csrf: String,
    /// Set when the browser had no CSRF cookie yet and gets one with this page.
    new_csrf: bool,
    /// The organisation's time zone, which the page shows instants in.
    pub zone: time::Zone,
    /// The channels' labels, which the page names channels by.
    pub channel_names: channel_names::ChannelNames,
    /// The organisation's name and logo.
    brand: organisation::Brand,
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| *k == "lang")
                .and_then(|(_, v)| Lang::from_code(v))
        });
        let from_cookie = || cookie(&parts.headers, LANG_COOKIE).and_then(Lang::from_code);
        let from_header = || {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::negotiate)
        };
        let lang = from_query
            .or_else(from_cookie)
            .or_else(from_header)
            .unwrap_or(Lang::De);
        let cookies = parts
            .extensions
            .get::<Cookies>()
            .copied()
            .unwrap_or(Cookies::new(false));
        let (csrf, new_csrf) = match cookies.expected_csrf(&parts.headers) {
            Some(token) => (token, false),
            // Without randomness no form can be protected; the forms then fail their check.
            None => (
                touchpoints_app::secrets::new_secret().unwrap_or_default(),
                true,
            ),
        };
        let caller = parts
            .extensions
            .get::<Caller>()
            .cloned()
            .unwrap_or(Caller(None));
        Ok(Page {
            lang,
            remember: from_query.is_some(),
            uri: parts.uri.clone(),
            caller,
            csrf,
            new_csrf,
            zone: parts
                .extensions
                .get::<time::Zone>()
                .cloned()
                .unwrap_or_else(time::Zone::fallback),
            channel_names: parts
                .extensions
                .get::<channel_names::ChannelNames>()
                .cloned()
                .unwrap_or_default(),
            brand: parts
                .extensions
                .get::<organisation::Brand>()
                .cloned()
                .unwrap_or_default(),
        })
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for Page {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(Some(
            <Page as FromRequestParts<S>>::from_request_parts(parts, state).await?,
        ))
    }
}

impl Page {
    /// The current address with the language switched to `lang`, other parameters kept.
    fn switch_to(&self, lang: Lang) -> String {
        let mut query: Vec<String> = self
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .map(str::to_owned)
            .collect();
        query.push(format!("lang={}", lang.code()));
        format!("{}?{}", self.uri.path(), query.join("&"))
    }

    /// An instant as the page's reader reads it: "04.12.2026, 15:00" in the organisation's
    /// time zone, for texts built before the template (`|instant` in templates).
    pub fn local_time(&self, at: jiff::Timestamp) -> String {
        time::local_time(at, &self.zone.0, self.lang, time::Precision::Minutes)
    }

    pub fn render(&self, state: &AppState, template: &str, context: Value) -> Response {
        self.render_with_status(state, StatusCode::OK, template, context)
    }

    pub fn render_with_status(
        &self,
        state: &AppState,
        status: StatusCode,
        template: &str,
        context: Value,
    ) -> Response {
        let other = match self.lang {
            Lang::De => Lang::En,
            Lang::En => Lang::De,
        };
        let user = self.caller.user();
        let role = self.caller.role();
        let page = minijinja::context! {
            csrf => self.csrf.clone(),
            user => Serde(user),
            can_edit => role.is_some_and(|r| r >= Role::Manager),
            can_work => role.is_some_and(|r| r >= Role::Agent),
            is_admin => role == Some(Role::Admin),
            lang => self.lang.code(),
            path => self.uri.path(),
            switch_lang => other.code(),
            switch_url => self.switch_to(other),
            zone => self.zone.value(),
            channel_names => self.channel_names.value(),
            brand => Serde(&self.brand),
            ..context
        };
        let html = state
            .pages
            .get_template(template)
            .and_then(|t| t.render(page));
        let mut response = match html {
            Ok(html) => (status, axum::response::Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, template, "page failed to render");
                (StatusCode::INTERNAL_SERVER_ERROR, "page failed to render").into_response()
            }
        };
        if self.remember {
            let cookie = format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
                self.lang.code()
            );
            set_cookie(&mut response, &cookie);
        }
        if self.new_csrf {
            let cookies = state.cookies;
            let cookie = format!(
                "{}={}; Path=/; SameSite=Lax; HttpOnly{}",
                cookies.csrf, self.csrf, cookies.secure
            );
            set_cookie(&mut response, &cookie);
        }
        response
    }

    /// Field problems as messages in the page's language, by field, for inline errors.
    pub fn field_errors(
        &self,
        state: &AppState,
        problems: &[FieldProblem],
    ) -> BTreeMap<String, String> {
        let mut errors: BTreeMap<String, String> = BTreeMap::new();
        for p in problems {
            // `importance.loyalty` is the form field `importance_loyalty`; list entries
            // (`regions[2]`) belong to the list's field.
            let field = p
                .field
                .split('[')
                .next()
                .unwrap_or(&p.field)
                .replace('.', "_");
            let text = state.messages.problem(self.lang, &p.problem);
            errors
                .entry(field)
                .and_modify(|e| {
                    e.push(' ');
                    e.push_str(&text);
                })
                .or_insert(text);
        }
        errors
    }

    /// The error page of a use case's error, in the page's language, with the same status
    /// the API gives the same error.
    pub fn error(&self, state: &AppState, error: impl Into<AppError>) -> Response {
        let error = error.into();
        let (status, key) = match &error {
            AppError::Malformed(_) => (StatusCode::BAD_REQUEST, "error-conflict"),
            AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "error-conflict"),
            AppError::NotFound { .. } => (StatusCode::NOT_FOUND, "error-not-found"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "error-conflict"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "error-forbidden"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "error-internal"),
        };
        let detail = self
            .field_errors(state, error.problems())
            .into_values()
            .collect::<Vec<_>>()
            .join(" ");
        let mut response = self.render_with_status(
            state,
            status,
            "error.html",
            minijinja::context! { message_key => key, detail => detail },
        );
        if let AppError::Internal(detail) = error {
            response.extensions_mut().insert(InternalDetail(detail));
        }
        response
    }
}

/// An optional form field that must parse as `T`: empty is `None`; anything else that does
/// not parse is a problem named `reason` for the field.
fn optional<T: std::str::FromStr>(
    problems: &mut Problems,
    field: &str,
    text: &str,
    rule: &str,
    reason: impl FnOnce(&str) -> String,
) -> Option<T> {
    match text.trim() {
        "" => None,
        text => text.parse().map(Some).unwrap_or_else(|_| {
            problems.push(field, touchpoints_core::Problem::rule(rule, &reason(text)));
            None
        }),
    }
}

/// Splits a comma- or semicolon-separated form field into labels.
fn split_labels(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every touchpoint's name by its id, retired ones included, to name the ids a page shows.
async fn touchpoint_names(
    state: &AppState,
) -> Result<std::collections::HashMap<i64, String>, touchpoints_store::StoreError> {
    Ok(state
        .store
        .list_touchpoints(&touchpoints_core::TouchpointFilter::default())
        .await?
        .into_iter()
        .map(|t| (t.id, t.fields.name))
        .collect())
}

/// Problems of a write that belong in a form, or the error page for the rest.
fn form_problems(error: impl Into<AppError>) -> Result<Problems, AppError> {
    form_refusal(error).map(|(_, problems)| problems)
}

/// [`form_problems`] with the status the API gives the same refusal: a conflict with what is
/// stored, or bad input.
fn form_refusal(error: impl Into<AppError>) -> Result<(StatusCode, Problems), AppError> {
    match error.into() {
        AppError::Invalid(p) => Ok((StatusCode::UNPROCESSABLE_ENTITY, p)),
        AppError::Conflict(p) => Ok((StatusCode::CONFLICT, p)),
        other => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn readiness_answers_without_details() {
        for (ready, status, body) in [
            (true, StatusCode::OK, "ready\n"),
            (false, StatusCode::SERVICE_UNAVAILABLE, "not ready\n"),
        ] {
            let response = readiness(ready);
            assert_eq!(response.status(), status);
            let bytes = axum::body::to_bytes(response.into_body(), 64)
                .await
                .expect("body");
            assert_eq!(&bytes[..], body.as_bytes());
        }
    }
}

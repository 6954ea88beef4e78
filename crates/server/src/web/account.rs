//! Logging in and out: the login form, one-time login links, and the first-run setup page
//! that creates the first admin.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_core::access::{NewUserInput, check_username};
use touchpoints_core::audit::Said;
use touchpoints_core::{Problem, Problems, Role, User};
use touchpoints_store::NewAccount;

use super::{Page, PageResult};
use crate::AppState;
use crate::auth::{SESSION_HOURS, client_address};
use crate::cookies::cookie;
use crate::cookies::set_cookie;
use touchpoints_app::secrets;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/login/link/{token}", get(login_link))
        .route("/setup", get(setup_form).post(setup))
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct LoginForm {
    username: String,
    #[serde(skip_serializing)]
    password: String,
    next: String,
}

/// Where to go after the login: only a path on this server, never another site.
fn safe_next(next: &str) -> &str {
    let header_safe = next.bytes().all(|b| b.is_ascii_graphic());
    if header_safe && next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/"
    }
}

fn login_page(
    state: &AppState,
    page: &Page,
    form: &LoginForm,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    page.render_with_status(
        state,
        status,
        "login.html",
        minijinja::context! { form => Serde(form), error => error },
    )
}

async fn login_form(
    State(state): State<AppState>,
    page: Page,
    Query(form): Query<LoginForm>,
) -> PageResult {
    if state.store.count_users().await? == 0 {
        return Ok(page.render(
            &state,
            "setup.html",
            minijinja::context! { needs_token => true },
        ));
    }
    Ok(login_page(&state, &page, &form, StatusCode::OK, None))
}

/// Starts a session for the user: a new random token in an HttpOnly cookie, its digest in
/// the store.
async fn start_session(state: &AppState, user: &User, next: &str) -> PageResult {
    let token = secrets::new_secret()?;
    let expires = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(SESSION_HOURS))
        .unwrap_or(jiff::Timestamp::MAX);
    state
        .store
        .create_session(&secrets::digest(&token), user.id, expires)
        .await?;
    let cookies = state.cookies;
    let mut response = Redirect::to(safe_next(next)).into_response();
    // The session's forms carry a token derived from it: one planted before the login is
    // worth nothing after it.
    set_cookie(
        &mut response,
        &format!(
            "{}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
            cookies.session,
            SESSION_HOURS * 3600,
            cookies.secure
        ),
    );
    Ok(response)
}

async fn login(
    State(state): State<AppState>,
    page: Page,
    extensions: axum::http::Extensions,
    axum::Form(form): axum::Form<LoginForm>,
) -> PageResult {
    let address = client_address(&extensions);
    let mut problems = Problems::default();
    let username = check_username(&mut problems, "username", &form.username);
    if !problems.is_empty() {
        // No account has such a name: answer as for a wrong password, but keep the made-up
        // name out of the audit log and the rate limiter, which anyone could flood with it.
        secrets::burn_time(form.password.clone()).await;
        let text = state.messages.get(page.lang, "login-failed", None);
        return Ok(login_page(
            &state,
            &page,
            &form,
            StatusCode::UNAUTHORIZED,
            Some(&text),
        ));
    }
    if !state
        .limits
        .login_allowed(&*state.store, &username, address)
        .await?
    {
        let _ = state
            .store
            .record("anonymous", "login.throttled", "user", &username, "", None)
            .await;
        let text = state.messages.get(page.lang, "login-throttled", None);
        let mut response = login_page(
            &state,
            &page,
            &form,
            StatusCode::TOO_MANY_REQUESTS,
            Some(&text),
        );
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("60"),
        );
        return Ok(response);
    }
    let user = match state.store.credentials(&username).await? {
        Some((user, hash)) if !user.disabled => {
            if secrets::verify_password(form.password.clone(), hash).await {
                Some(user)
            } else {
                None
            }
        }
        _ => {
            secrets::burn_time(form.password.clone()).await;
            None
        }
    };
    match user {
        Some(user) => {
            state
                .limits
                .login_succeeded(&*state.store, &username, address)
                .await?;
            state
                .store
                .record(
                    &user.username,
                    "login",
                    "user",
                    &user.username,
                    "password",
                    Some(&Said::new("audit-login-password")),
                )
                .await?;
            start_session(&state, &user, &form.next).await
        }
        None => {
            let _ = state
                .store
                .record("anonymous", "login.failed", "user", &username, "", None)
                .await;
            let text = state.messages.get(page.lang, "login-failed", None);
            Ok(login_page(
                &state,
                &page,
                &form,
                StatusCode::UNAUTHORIZED,
                Some(&text),
            ))
        }
    }
}

async fn logout(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let cookies = state.cookies;
    if let Some(token) = cookie(&headers, cookies.session)
        && let Err(e) = state.store.delete_session(&secrets::digest(token)).await
    {
        tracing::error!(error = %e, "cannot end a session");
    }
    let mut response = Redirect::to("/login").into_response();
    set_cookie(
        &mut response,
        &format!(
            "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
            cookies.session, cookies.secure
        ),
    );
    response
}

async fn login_link(
    State(state): State<AppState>,
    page: Page,
    method: axum::http::Method,
    Path(token): Path<String>,
) -> PageResult {
    // Link previews and scanners ask with HEAD: they must not use up the link.
    if method == axum::http::Method::HEAD {
        return Ok(StatusCode::OK.into_response());
    }
    let taken = state
        .store
        .take_login_link(&secrets::digest(&token), jiff::Timestamp::now())
        .await?;
    let Some(user) = taken else {
        let text = state.messages.get(page.lang, "login-link-invalid", None);
        return Ok(login_page(
            &state,
            &page,
            &LoginForm::default(),
            StatusCode::NOT_FOUND,
            Some(&text),
        ));
    };
    state
        .store
        .record(
            &user.username,
            "login",
            "user",
            &user.username,
            "one-time link",
            Some(&Said::new("audit-login-link")),
        )
        .await?;
    start_session(&state, &user, "/").await
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct SetupForm {
    token: String,
    username: String,
    display_name: String,
    #[serde(skip_serializing)]
    password: String,
    #[serde(skip_serializing)]
    password_repeat: String,
}

/// The setup page exists only while no account does, and only for who holds the secret
/// printed on the server's console.
async fn setup_allowed(
    state: &AppState,
    token: &str,
) -> Result<bool, touchpoints_store::StoreError> {
    Ok(state.store.count_users().await? == 0 && secrets::same_secret(token, &state.setup_token))
}

async fn setup_form(
    State(state): State<AppState>,
    page: Page,
    Query(form): Query<SetupForm>,
) -> PageResult {
    if !setup_allowed(&state, &form.token).await? {
        return Ok(Redirect::to("/login").into_response());
    }
    Ok(page.render(
        &state,
        "setup.html",
        minijinja::context! { form => Serde(&form), errors => Serde(std::collections::BTreeMap::<String, String>::new()), needs_token => false },
    ))
}

async fn setup(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<SetupForm>,
) -> PageResult {
    if !setup_allowed(&state, &form.token).await? {
        return Ok(Redirect::to("/login").into_response());
    }
    let input = NewUserInput {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        role: Role::Admin,
        password: form.password.clone(),
    };
    let mut problems = Problems::default();
    let valid = input.validate();
    if form.password != form.password_repeat {
        problems.push(
            "password_repeat",
            Problem::rule("password-mismatch", "does not match the password"),
        );
    }
    let new_user = match valid {
        Ok(user) if problems.is_empty() => user,
        Ok(_) => return Ok(setup_problems(&state, &page, &form, &problems)),
        Err(more) => {
            problems.0.extend(more.0);
            return Ok(setup_problems(&state, &page, &form, &problems));
        }
    };
    let hash = secrets::hash_password(new_user.password.clone()).await?;
    let account = NewAccount {
        username: new_user.username,
        display_name: new_user.display_name,
        role: Role::Admin,
        password_hash: hash,
    };
    let user = state.store.create_user(&account, "setup").await?;
    start_session(&state, &user, "/").await
}

fn setup_problems(
    state: &AppState,
    page: &Page,
    form: &SetupForm,
    problems: &Problems,
) -> Response {
    page.render_with_status(
        state,
        StatusCode::UNPROCESSABLE_ENTITY,
        "setup.html",
        minijinja::context! {
            form => Serde(form),
            errors => Serde(page.field_errors(state, &problems.0)),
            needs_token => false,
        },
    )
}

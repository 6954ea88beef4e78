//! Administration pages for admins (the guard enforces the role from `auth::policy::ROUTES`):
//! staff accounts with their roles, passwords and state; API tokens, each shown once at
//! creation; and the audit log with a filter and a CSV download.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_core::access::{NewUserInput, check_password};
use touchpoints_core::audit::{AuditEntry, AuditFilter, to_csv};
use touchpoints_core::problem::check_text;
use touchpoints_core::{ApiToken, FieldProblem, Problem, Problems, Role, Scope};
use touchpoints_store::{NewAccount, StoreError};

use super::{Id, Page, PageResult, form_problems};
use crate::AppState;
use touchpoints_app::secrets;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users).post(create_user))
        .route("/admin/users/{username}/role", post(set_role))
        .route("/admin/users/{username}/password", post(set_password))
        .route("/admin/users/{username}/disabled", post(set_disabled))
        .route("/admin/tokens", get(tokens).post(create_token))
        .route("/admin/tokens/{id}/revoke", post(revoke_token))
        .route("/admin/audit", get(audit))
        .route("/admin/audit.csv", get(audit_csv))
}

const USER_NOT_FOUND: StoreError = StoreError::NotFound { entity: "user" };

/// Most audit entries on the page; the CSV download takes up to [`AUDIT_CSV_LIMIT`].
const AUDIT_PAGE_LIMIT: u32 = 500;
const AUDIT_CSV_LIMIT: u32 = 100_000;
/// Longest name of an API token.
const TOKEN_NAME_MAX: usize = 80;

// ---------------------------------------------------------------------------------------
// Accounts

/// The form to create an account, as the browser sends it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct NewUserForm {
    username: String,
    display_name: String,
    role: String,
    /// Never sent back to the browser.
    #[serde(skip_serializing)]
    password: String,
}

/// The forms of one account's row: each has one field.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RowForm {
    role: String,
    password: String,
    disabled: String,
}

/// A problem with one of the forms in an account's row, shown in that row.
#[derive(Debug, Serialize)]
struct RowProblem {
    username: String,
    /// Which form: `role`, `password` or `disabled`.
    form: &'static str,
    /// The value entered, kept for the role; empty for passwords.
    value: String,
    message: String,
}

/// What the users page shows besides the accounts: a form with problems, if any.
enum UsersProblem<'a> {
    None,
    Create(&'a NewUserForm, &'a [FieldProblem]),
    Row(RowProblem),
}

/// A user name from the address, compared as the store compares it.
fn folded(username: &str) -> String {
    username.trim().to_lowercase()
}

fn unknown_role(value: &str) -> Problem {
    if value.trim().is_empty() {
        Problem::Required
    } else {
        Problem::Unknown {
            value: value.to_owned(),
            allowed: Role::ALL.map(|r| r.as_str().to_owned()).to_vec(),
        }
    }
}

async fn users_page(state: &AppState, page: &Page, problem: UsersProblem<'_>) -> PageResult {
    let users = state.store.users().await?;
    let blank = NewUserForm {
        role: Role::Viewer.as_str().to_owned(),
        ..NewUserForm::default()
    };
    let (status, form, errors, row) = match problem {
        UsersProblem::None => (StatusCode::OK, &blank, BTreeMap::new(), None),
        UsersProblem::Create(form, problems) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            form,
            page.field_errors(state, problems),
            None,
        ),
        UsersProblem::Row(row) => {
            // A problem for an account that does not exist is no problem but a wrong address.
            if !users.iter().any(|u| u.username == row.username) {
                return Err(USER_NOT_FOUND.into());
            }
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                &blank,
                BTreeMap::new(),
                Some(row),
            )
        }
    };
    Ok(page.render_with_status(
        state,
        status,
        "users.html",
        minijinja::context! {
            section => "admin",
            users => Serde(users),
            roles => Serde(Role::ALL.map(Role::as_str)),
            form => Serde(form),
            errors => Serde(errors),
            row => Serde(row),
        },
    ))
}

/// The users page with a problem in one account's row.
async fn row_problem(
    state: &AppState,
    page: &Page,
    username: &str,
    form: &'static str,
    value: &str,
    problems: &Problems,
) -> PageResult {
    let message = page
        .field_errors(state, &problems.0)
        .into_values()
        .collect::<Vec<_>>()
        .join(" ");
    let row = RowProblem {
        username: folded(username),
        form,
        value: value.to_owned(),
        message,
    };
    users_page(state, page, UsersProblem::Row(row)).await
}

/// Back to the list on success; the row's problem, or the error page, otherwise.
async fn row_result<T>(
    state: &AppState,
    page: &Page,
    username: &str,
    form: &'static str,
    value: &str,
    result: Result<T, StoreError>,
) -> PageResult {
    match result {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            row_problem(state, page, username, form, value, &problems).await
        }
    }
}

async fn users(State(state): State<AppState>, page: Page) -> PageResult {
    users_page(&state, &page, UsersProblem::None).await
}

async fn create_user(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<NewUserForm>,
) -> PageResult {
    let mut problems = Problems::default();
    let role = Role::parse(form.role.trim());
    if role.is_none() {
        problems.push("role", unknown_role(&form.role));
    }
    let input = NewUserInput {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        role: role.unwrap_or(Role::Viewer),
        password: form.password.clone(),
    };
    let new_user = match input.validate() {
        Ok(user) if problems.is_empty() => user,
        Ok(_) => return users_page(&state, &page, UsersProblem::Create(&form, &problems.0)).await,
        Err(more) => {
            problems.0.extend(more.0);
            return users_page(&state, &page, UsersProblem::Create(&form, &problems.0)).await;
        }
    };
    let password_hash = secrets::hash_password(new_user.password).await?;
    let account = NewAccount {
        username: new_user.username,
        display_name: new_user.display_name,
        role: new_user.role,
        password_hash,
    };
    match state
        .store
        .create_user(&account, &page.caller.actor())
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            users_page(&state, &page, UsersProblem::Create(&form, &problems.0)).await
        }
    }
}

async fn set_role(
    State(state): State<AppState>,
    page: Page,
    Path(username): Path<String>,
    axum::Form(form): axum::Form<RowForm>,
) -> PageResult {
    let Some(role) = Role::parse(form.role.trim()) else {
        let problems = Problems::single("role", unknown_role(&form.role));
        return row_problem(&state, &page, &username, "role", &form.role, &problems).await;
    };
    let result = state
        .store
        .set_role(&username, role, &page.caller.actor())
        .await;
    row_result(&state, &page, &username, "role", &form.role, result).await
}

async fn set_password(
    State(state): State<AppState>,
    page: Page,
    Path(username): Path<String>,
    axum::Form(form): axum::Form<RowForm>,
) -> PageResult {
    let mut problems = Problems::default();
    check_password(
        &mut problems,
        "password",
        &form.password,
        &folded(&username),
    );
    if !problems.is_empty() {
        return row_problem(&state, &page, &username, "password", "", &problems).await;
    }
    let hash = secrets::hash_password(form.password.clone()).await?;
    let result = state
        .store
        .set_password(&username, &hash, &page.caller.actor())
        .await;
    row_result(&state, &page, &username, "password", "", result).await
}

async fn set_disabled(
    State(state): State<AppState>,
    page: Page,
    Path(username): Path<String>,
    axum::Form(form): axum::Form<RowForm>,
) -> PageResult {
    let disabled = match form.disabled.trim() {
        "1" => true,
        "0" => false,
        other => {
            let problem = if other.is_empty() {
                Problem::Required
            } else {
                Problem::Unknown {
                    value: other.to_owned(),
                    allowed: vec!["0".into(), "1".into()],
                }
            };
            let problems = Problems::single("disabled", problem);
            return row_problem(&state, &page, &username, "disabled", "", &problems).await;
        }
    };
    let result = state
        .store
        .set_disabled(&username, disabled, &page.caller.actor())
        .await;
    row_result(&state, &page, &username, "disabled", "", result).await
}

// ---------------------------------------------------------------------------------------
// API tokens

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct TokenForm {
    name: String,
    scope: String,
}

/// A token just created: its secret, shown this once.
#[derive(Debug, Serialize)]
struct CreatedToken {
    name: String,
    scope: Scope,
    token: String,
}

async fn tokens_page(
    state: &AppState,
    page: &Page,
    form: Option<(&TokenForm, &[FieldProblem])>,
    created: Option<CreatedToken>,
) -> PageResult {
    let tokens: Vec<ApiToken> = state.store.api_tokens().await?;
    let blank = TokenForm {
        scope: Scope::Read.as_str().to_owned(),
        ..TokenForm::default()
    };
    let (status, form, errors) = match form {
        Some((form, problems)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            form,
            page.field_errors(state, problems),
        ),
        None => (StatusCode::OK, &blank, BTreeMap::new()),
    };
    let shows_secret = created.is_some();
    let mut response = page.render_with_status(
        state,
        status,
        "tokens.html",
        minijinja::context! {
            section => "admin",
            tokens => Serde(tokens),
            scopes => Serde(Scope::ALL.map(Scope::as_str)),
            form => Serde(form),
            errors => Serde(errors),
            created => Serde(created),
        },
    );
    if shows_secret {
        // The secret must not linger in a cache or come back with the browser's history.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

async fn tokens(State(state): State<AppState>, page: Page) -> PageResult {
    tokens_page(&state, &page, None, None).await
}

async fn create_token(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<TokenForm>,
) -> PageResult {
    let mut problems = Problems::default();
    let name = check_text(&mut problems, "name", &form.name, TOKEN_NAME_MAX, true);
    let scope = Scope::parse(form.scope.trim());
    if scope.is_none() {
        problems.push(
            "scope",
            if form.scope.trim().is_empty() {
                Problem::Required
            } else {
                Problem::Unknown {
                    value: form.scope.clone(),
                    allowed: Scope::ALL.map(|s| s.as_str().to_owned()).to_vec(),
                }
            },
        );
    }
    let Some(scope) = scope.filter(|_| problems.is_empty()) else {
        return tokens_page(&state, &page, Some((&form, &problems.0)), None).await;
    };
    let token = secrets::new_api_token()?;
    let digest = secrets::digest(&token);
    match state
        .store
        .create_api_token(&name, &digest, scope, &page.caller.actor())
        .await
    {
        Ok(created) => {
            let created = CreatedToken {
                name: created.name,
                scope: created.scope,
                token,
            };
            tokens_page(&state, &page, None, Some(created)).await
        }
        Err(e) => {
            let problems = form_problems(e)?;
            tokens_page(&state, &page, Some((&form, &problems.0)), None).await
        }
    }
}

async fn revoke_token(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    state
        .store
        .revoke_api_token(id, &page.caller.actor())
        .await?;
    Ok(Redirect::to("/admin/tokens").into_response())
}

// ---------------------------------------------------------------------------------------
// Audit log

/// The audit filter as the form sends it: every field, empty when unused; dates as
/// `YYYY-MM-DD`, meaning whole days in UTC.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct AuditForm {
    actor: String,
    entity: String,
    action: String,
    from: String,
    until: String,
}

impl AuditForm {
    /// The filter, or messages for the fields that are malformed.
    fn filter(
        &self,
        state: &AppState,
        page: &Page,
    ) -> Result<AuditFilter, BTreeMap<String, String>> {
        let mut errors = BTreeMap::new();
        let mut message = |field: &str, key: &str| {
            errors.insert(field.to_owned(), state.messages.get(page.lang, key, None));
        };
        let from = super::time::day_start(&self.from, false, &page.zone.0).unwrap_or_else(|()| {
            message("from", "audit-date-invalid");
            None
        });
        let until = super::time::day_start(&self.until, true, &page.zone.0).unwrap_or_else(|()| {
            message("until", "audit-date-invalid");
            None
        });
        if let (Some(from), Some(until)) = (from, until)
            && until <= from
        {
            message("until", "audit-until-before-from");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(AuditFilter {
            actor: text(&self.actor),
            entity: text(&self.entity),
            action: text(&self.action),
            from,
            until,
        })
    }
}

/// The entries with their accounts in the reader's language where the catalogue words them;
/// a channel is named by its label from the catalog of channels.
fn in_words(state: &AppState, page: &Page, mut entries: Vec<AuditEntry>) -> Vec<AuditEntry> {
    let channel = |key: &str| page.channel_names.label(key, page.lang);
    for entry in &mut entries {
        if let Some(words) = entry
            .said
            .as_ref()
            .and_then(|said| crate::wording::said(&state.messages, page.lang, said, channel))
        {
            entry.summary = words;
        }
    }
    entries
}

fn audit_page(
    state: &AppState,
    page: &Page,
    form: &AuditForm,
    entries: &[AuditEntry],
    errors: BTreeMap<String, String>,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.render_with_status(
        state,
        status,
        "audit.html",
        minijinja::context! {
            section => "admin",
            filter => Serde(form),
            errors => Serde(errors),
            entries => Serde(entries),
            limit => AUDIT_PAGE_LIMIT,
            limited => entries.len() >= AUDIT_PAGE_LIMIT as usize,
        },
    )
}

async fn audit(
    State(state): State<AppState>,
    page: Page,
    Query(form): Query<AuditForm>,
) -> PageResult {
    let filter = match form.filter(&state, &page) {
        Ok(filter) => filter,
        Err(errors) => return Ok(audit_page(&state, &page, &form, &[], errors)),
    };
    let entries = in_words(
        &state,
        &page,
        state.store.audit_log(&filter, AUDIT_PAGE_LIMIT).await?,
    );
    Ok(audit_page(&state, &page, &form, &entries, BTreeMap::new()))
}

async fn audit_csv(
    State(state): State<AppState>,
    page: Page,
    Query(form): Query<AuditForm>,
) -> PageResult {
    let filter = match form.filter(&state, &page) {
        Ok(filter) => filter,
        Err(errors) => return Ok(audit_page(&state, &page, &form, &[], errors)),
    };
    let entries = in_words(
        &state,
        &page,
        state.store.audit_log(&filter, AUDIT_CSV_LIMIT).await?,
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit.csv\"",
            ),
        ],
        to_csv(&entries),
    )
        .into_response())
}

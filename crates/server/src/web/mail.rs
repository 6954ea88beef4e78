//! The mail page for admins: the mail server replies go out through, a test mail, and the
//! outbox with where each mail stands. Validation and sending are the core's and the app's.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::outbox::{self, TestMail};
use touchpoints_core::mail::{MailSettingsInput, SURVEY_INTERVAL_DEFAULT, Sender, not_sent};
use touchpoints_core::{FieldProblem, Problem, Problems};
use touchpoints_store::OutboxMail;

use super::{Page, PageResult, form_problems};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/mail", get(show).post(save))
        .route("/admin/mail/test", post(test))
        .route("/admin/mail/{id}/retry", post(retry))
        .route("/admin/mail/release", post(release))
}

/// How many of the newest mails the page lists.
const LISTED: u32 = 50;

/// A mail's standing as pages show it, under a reply and in the outbox.
#[derive(Debug, Serialize)]
pub(super) struct MailView {
    pub id: i64,
    pub request_id: Option<i64>,
    pub status: &'static str,
    pub recipient: String,
    pub subject: String,
    pub attempts: i64,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    /// The message key of a reason the product names (no server, no address) …
    pub error_key: Option<&'static str>,
    /// … or the mail server's own words.
    pub error: String,
}

impl MailView {
    pub(super) fn new(mail: &OutboxMail) -> MailView {
        let error_key = match mail.last_error.as_str() {
            not_sent::NO_SERVER => Some("mail-error-no-server"),
            not_sent::NO_ADDRESS => Some("mail-error-no-address"),
            _ => None,
        };
        MailView {
            id: mail.id,
            request_id: mail.request_id,
            status: mail.status.as_str(),
            recipient: mail.recipient.clone(),
            subject: mail.subject.clone(),
            attempts: mail.attempts,
            created_at: mail.created_at,
            sent_at: mail.sent_at,
            error_key,
            error: match error_key {
                Some(_) => String::new(),
                None => mail.last_error.clone(),
            },
        }
    }
}

/// The settings form as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct SettingsForm {
    host: String,
    port: String,
    security: String,
    username: String,
    from_address: String,
    from_name: String,
    /// A checkbox: present when ticked.
    survey_after_resolution: Option<String>,
    survey_interval_days: String,
    public_url: String,
    /// Other senders, one a line: a channel key or a touchpoint's name, a colon, and the
    /// sender as a mail client writes it (`Nordlicht Shop <shop@nordlicht.example>`).
    senders: String,
}

/// What a sender's line may name: the catalog's channel keys and the touchpoints by name.
struct SenderNames {
    channels: Vec<String>,
    touchpoints: Vec<(i64, String)>,
}

impl SenderNames {
    async fn load(state: &AppState) -> Result<SenderNames, touchpoints_app::AppError> {
        let channels = state.store.catalog().await?.channels;
        let touchpoints = state
            .store
            .list_touchpoints(&touchpoints_core::TouchpointFilter::default())
            .await?;
        Ok(SenderNames {
            channels: channels.into_iter().map(|c| c.key).collect(),
            touchpoints: touchpoints
                .into_iter()
                .map(|t| (t.id, t.fields.name))
                .collect(),
        })
    }

    /// The senders of the settings as the form writes them, one a line.
    fn lines(&self, senders: &[Sender]) -> String {
        senders
            .iter()
            .map(|s| {
                let whom = match s.touchpoint_id {
                    Some(id) => self
                        .touchpoints
                        .iter()
                        .find(|(tp, _)| *tp == id)
                        .map_or_else(|| format!("#{id}"), |(_, name)| name.clone()),
                    None => s.channel.clone(),
                };
                match s.from_name.as_str() {
                    "" => format!("{whom}: {}", s.from_address),
                    name => format!("{whom}: {name} <{}>", s.from_address),
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The senders a form's lines name: a channel key, else a touchpoint's name (in any
    /// case); a line without a colon is the field's problem, an unknown name the line's.
    fn parse(&self, text: &str) -> Result<Vec<Sender>, Problems> {
        let mut senders = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let Some((whom, who)) = line.split_once(':') else {
                return Err(Problems::single(
                    "senders",
                    Problem::rule(
                        "sender-line",
                        &format!("\"{line}\" is not \"channel or touchpoint: sender\""),
                    ),
                ));
            };
            let whom = whom.trim();
            let touchpoint = self
                .touchpoints
                .iter()
                .find(|(_, name)| name.to_lowercase() == whom.to_lowercase())
                .map(|(id, _)| *id);
            let (channel, touchpoint_id) =
                match (self.channels.iter().any(|c| c == whom), touchpoint) {
                    (true, _) | (false, None) => (whom.to_owned(), None),
                    (false, Some(id)) => (String::new(), Some(id)),
                };
            let who = who.trim();
            let (from_name, from_address) = match who.rsplit_once('<') {
                Some((name, address)) => (
                    name.trim().trim_matches('"').to_owned(),
                    address.trim_end_matches('>').trim().to_owned(),
                ),
                None => (String::new(), who.to_owned()),
            };
            senders.push(Sender {
                channel,
                touchpoint_id,
                from_address,
                from_name,
            });
        }
        Ok(senders)
    }
}

impl SettingsForm {
    fn input(&self, names: &SenderNames) -> Result<MailSettingsInput, Problems> {
        let whole = |field: &str, text: &str| match text.trim() {
            "" => Err(Problems::single(field, Problem::Required)),
            text => text.parse::<i64>().map_err(|_| {
                Problems::single(field, Problem::rule("whole-number", "is no whole number"))
            }),
        };
        Ok(MailSettingsInput {
            host: self.host.clone(),
            port: whole("port", &self.port)?,
            security: self.security.clone(),
            username: self.username.clone(),
            from_address: self.from_address.clone(),
            from_name: self.from_name.clone(),
            survey_after_resolution: self.survey_after_resolution.is_some(),
            survey_interval_days: whole("survey_interval_days", &self.survey_interval_days)?,
            public_url: self.public_url.clone(),
            senders: names.parse(&self.senders)?,
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TestForm {
    to: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    saved: Option<String>,
}

/// What the page shows beyond the stored state: the settings form as typed with its
/// problems, or the test mail's outcome with the address it went to.
#[derive(Default)]
struct Shown<'a> {
    form: Option<&'a SettingsForm>,
    problems: &'a [FieldProblem],
    test_to: &'a str,
    test: Option<TestMail>,
    saved: bool,
}

async fn render(state: &AppState, page: &Page, status: StatusCode, shown: Shown<'_>) -> PageResult {
    let stored = state.store.mail_settings().await?;
    let form = match shown.form {
        Some(form) => Serde(form),
        None => Serde(&match &stored {
            Some(s) => SettingsForm {
                host: s.host.clone(),
                port: s.port.to_string(),
                security: s.security.as_str().to_owned(),
                username: s.username.clone(),
                from_address: s.from_address.clone(),
                from_name: s.from_name.clone(),
                survey_after_resolution: s.survey_after_resolution.then(|| "on".to_owned()),
                survey_interval_days: s.survey_interval_days.to_string(),
                public_url: s.public_url.clone(),
                senders: SenderNames::load(state).await?.lines(&s.senders),
            },
            None => SettingsForm {
                port: "587".into(),
                security: "starttls".into(),
                survey_interval_days: SURVEY_INTERVAL_DEFAULT.to_string(),
                ..SettingsForm::default()
            },
        }),
    };
    let (mails, counts) = state.store.outbox(LISTED).await?;
    let mails: Vec<MailView> = mails.iter().map(MailView::new).collect();
    let counts: Vec<(&str, u64)> = counts.into_iter().map(|(s, n)| (s.as_str(), n)).collect();
    Ok(page.render_with_status(
        state,
        status,
        "mail.html",
        minijinja::context! {
            section => "admin",
            configured => stored.is_some(),
            password_set => state.settings.smtp_password.is_some(),
            form => form,
            errors => Serde(page.field_errors(state, shown.problems)),
            test_to => shown.test_to,
            test => Serde(shown.test),
            saved => shown.saved,
            mails => Serde(mails),
            counts => counts,
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    axum::extract::Query(query): axum::extract::Query<ShowQuery>,
) -> PageResult {
    let shown = Shown {
        saved: query.saved.is_some(),
        ..Shown::default()
    };
    render(&state, &page, StatusCode::OK, shown).await
}

/// Saves the settings; on problems shows the form again as typed, each problem at its field,
/// and stores nothing.
async fn save(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<SettingsForm>,
) -> PageResult {
    let names = SenderNames::load(&state).await?;
    let written = match form.input(&names) {
        Ok(input) => outbox::put_settings(state.store.as_ref(), &input, &page.caller.actor())
            .await
            .map(|_| ()),
        Err(problems) => Err(touchpoints_app::AppError::Invalid(problems)),
    };
    match written {
        Ok(()) => Ok(Redirect::to("/admin/mail?saved=1").into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            let shown = Shown {
                form: Some(&form),
                problems: &problems.0,
                ..Shown::default()
            };
            render(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, shown).await
        }
    }
}

async fn test(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<TestForm>,
) -> PageResult {
    let password = state.settings.smtp_password.as_ref().map(|p| p.expose());
    match outbox::send_test_mail(state.store.as_ref(), password, &form.to, Timestamp::now()).await {
        Ok(test) => {
            let shown = Shown {
                test_to: &form.to,
                test: Some(test),
                ..Shown::default()
            };
            render(&state, &page, StatusCode::OK, shown).await
        }
        Err(e) => {
            let problems = form_problems(e)?;
            let shown = Shown {
                test_to: &form.to,
                problems: &problems.0,
                ..Shown::default()
            };
            render(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, shown).await
        }
    }
}

/// Queues a failed mail again and shows the outbox.
async fn retry(State(state): State<AppState>, page: Page, super::Id(id): super::Id) -> PageResult {
    state
        .store
        .retry_mail(id, Timestamp::now(), &page.caller.actor())
        .await?;
    state.outbox.wake();
    Ok(Redirect::to("/admin/mail#outbox").into_response())
}

/// Sends the mails held while no mail server was configured; a refusal (no server, no public
/// address for campaign links) shows on the page as the API gives it.
async fn release(State(state): State<AppState>, page: Page) -> PageResult {
    match state
        .store
        .release_held_mails(Timestamp::now(), &page.caller.actor())
        .await
    {
        Ok(_) => {
            state.outbox.wake();
            Ok(Redirect::to("/admin/mail#outbox").into_response())
        }
        Err(e) => Ok(page.error(&state, e)),
    }
}

//! Mails to customers go out through the outbox: the mail server's settings, a test mail,
//! and the round of the outbox worker that sends the mails that are due.
//!
//! The password of the mail server is never stored: the front end that runs the worker
//! passes it in, taken from its environment.

use std::time::{Duration, SystemTime};

use jiff::{SignedDuration, Timestamp};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, Message};
use touchpoints_core::mail::{self, MailSettings, MailSettingsInput};
use touchpoints_core::{Problem, Problems};
use touchpoints_store::{OutboxMail, Store};

use crate::smtp::{Failure, Session};
use crate::{AppError, Result};

/// How many mails one round claims.
const ROUND: u32 = 20;

/// How long a claimed mail is this server's: longer than a send with its timeouts takes, so
/// that no other server takes it over while the first still sends.
const LEASE: SignedDuration = SignedDuration::from_mins(5);

/// How long a connection to the mail server, and each of its commands, may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// The same for a test mail, which an admin waits for: short enough that the answer comes
/// well within a page request's time.
const TEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Validates and stores the mail server's settings.
pub async fn put_settings(
    store: &dyn Store,
    input: &MailSettingsInput,
    actor: &str,
) -> Result<MailSettings> {
    let settings = input.validate()?;
    // The channels and touchpoints other senders name must exist.
    let mut problems = Problems::default();
    if !settings.senders.is_empty() {
        let channels: Vec<String> = store
            .catalog()
            .await?
            .channels
            .into_iter()
            .map(|c| c.key)
            .collect();
        for (i, sender) in settings.senders.iter().enumerate() {
            if let Some(id) = sender.touchpoint_id {
                match store.touchpoint(id).await {
                    Ok(_) => {}
                    Err(touchpoints_store::StoreError::NotFound { .. }) => problems.push(
                        format!("senders[{i}].touchpoint_id"),
                        Problem::Invalid {
                            reason: format!("no touchpoint has the id {id}"),
                        },
                    ),
                    Err(e) => return Err(e.into()),
                }
            } else if !channels.contains(&sender.channel) {
                problems.push(
                    format!("senders[{i}].channel"),
                    Problem::Unknown {
                        value: sender.channel.clone(),
                        allowed: channels.clone(),
                    },
                );
            }
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    store.put_mail_settings(&settings, actor).await?;
    Ok(settings)
}

/// What a test mail found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestMail {
    /// Whether the mail server accepted the mail.
    pub sent: bool,
    /// The recipient, as it was addressed.
    pub recipient: String,
    /// Why it was not accepted, in the mail server's or the connection's words.
    pub error: Option<String>,
}

/// Sends a test mail to `to` at once, past the outbox, so the admin sees at once whether the
/// settings work. Invalid naming `to` for an address that is none; a conflict naming `host`
/// while no mail server is configured.
pub async fn send_test_mail(
    store: &dyn Store,
    password: Option<&str>,
    to: &str,
    now: Timestamp,
) -> Result<TestMail> {
    let recipient =
        mail::address(to).map_err(|problem| AppError::Invalid(Problems::single("to", problem)))?;
    let Some(settings) = store.mail_settings().await? else {
        return Err(AppError::Conflict(Problems::single(
            "host",
            Problem::rule(
                "no-mail-server",
                "no mail server is configured: save the settings first",
            ),
        )));
    };
    let text = "Diese Testmail kommt von Touchpoints: der Versand an Kunden funktioniert.\n\n\
                This test mail comes from Touchpoints: mails to customers can be sent.\n";
    let message = Message::builder()
        .from(sender(&settings.from_name, &settings.from_address).map_err(AppError::Internal)?)
        .to(Mailbox::new(
            None,
            parse_address(&recipient).map_err(invalid_to)?,
        ))
        .subject("Touchpoints: Testmail / test mail")
        .date(SystemTime::from(now))
        .body(text.to_owned())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let error = match Session::open(&settings, password, TEST_TIMEOUT).await {
        Ok(mut session) => {
            let sent = session.send(message).await;
            session.close().await;
            sent.err().map(|f| f.reason)
        }
        Err(failure) => Some(failure.reason),
    };
    Ok(TestMail {
        sent: error.is_none(),
        recipient,
        error,
    })
}

/// What one round of the outbox worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    /// Failed tries that will be tried again.
    pub retried: usize,
    /// Mails that failed for good.
    pub failed: usize,
}

impl Round {
    /// Whether the round took every mail it could: another may find more due.
    pub fn was_full(&self) -> bool {
        self.sent + self.retried + self.failed >= ROUND as usize
    }
}

/// Sends up to a round's mails that are due, one after the other: claims each at the instant
/// `clock` tells (so that a slow mail server delays no mail past its own lease), hands it to
/// the mail server and records how it went. A failure the server calls permanent (a 5xx
/// answer, an address it refuses) ends the mail at once; any other is tried again later,
/// until the last try (see `touchpoints_core::mail::retry_delay`). Without configured
/// settings it sends nothing and leaves every mail as it is. A record that fails is logged
/// and the round goes on: the mail's lease ends and it is taken up again.
pub async fn deliver_due(
    store: &dyn Store,
    password: Option<&str>,
    clock: impl Fn() -> Timestamp,
) -> Result<Round> {
    let mut round = Round::default();
    let Some(settings) = store.mail_settings().await? else {
        return Ok(round);
    };
    let mut session: Option<Session> = None;
    for _ in 0..ROUND {
        let now = clock();
        let lease_until = now.saturating_add(LEASE).unwrap_or(now);
        let Some(m) = store.claim_mails(now, lease_until, 1).await?.pop() else {
            break;
        };
        let outcome = match message(&m, now) {
            Err(reason) => Err(Failure {
                reason,
                permanent: true,
            }),
            Ok(message) => {
                let open = match session.take() {
                    Some(open) => Ok(open),
                    None => Session::open(&settings, password, SMTP_TIMEOUT).await,
                };
                match open {
                    Err(failure) => Err(failure),
                    Ok(mut open) => {
                        let sent = open.send(message).await;
                        // A failed send leaves the session spent; the next mail opens another.
                        if sent.is_ok() {
                            session = Some(open);
                        }
                        sent
                    }
                }
            }
        };
        let done = clock();
        let recorded = match outcome {
            Ok(()) => {
                round.sent += 1;
                store.mail_sent(m.id, m.attempts, done).await
            }
            Err(Failure { reason, permanent }) => {
                let attempts = u32::try_from(m.attempts).unwrap_or(u32::MAX);
                let retry_at = match permanent {
                    true => None,
                    false => mail::retry_delay(attempts).and_then(|d| done.checked_add(d).ok()),
                };
                tracing::warn!(mail = m.id, request = m.request_id, error = %reason, retry = retry_at.is_some(), "a mail was not sent");
                match retry_at {
                    Some(_) => round.retried += 1,
                    None => round.failed += 1,
                }
                store
                    .mail_not_sent(m.id, m.attempts, &reason, retry_at)
                    .await
            }
        };
        match recorded {
            Ok(true) => {}
            // Its lease ended during the try, and another server took it over.
            Ok(false) => tracing::warn!(mail = m.id, "a mail's try was recorded by another server"),
            Err(e) => {
                tracing::error!(mail = m.id, error = %e, "a mail's try could not be recorded")
            }
        }
    }
    if let Some(session) = session {
        session.close().await;
    }
    Ok(round)
}

/// The mail of an outbox entry, with the headers that thread it.
fn message(m: &OutboxMail, now: Timestamp) -> std::result::Result<Message, String> {
    let mut builder = Message::builder()
        .from(sender(&m.sender_name, &m.sender)?)
        .to(Mailbox::new(None, parse_address(&m.recipient)?))
        .subject(m.subject.clone())
        .message_id(Some(m.message_id.clone()))
        .date(SystemTime::from(m.created_at.min(now)));
    if !m.in_reply_to.is_empty() {
        builder = builder.in_reply_to(m.in_reply_to.clone());
    }
    if !m.references.is_empty() {
        builder = builder.references(m.references.join(" "));
    }
    if !m.unsubscribe.is_empty() {
        // RFC 8058: mail clients offer their own "unsubscribe" button, which POSTs
        // `List-Unsubscribe=One-Click` to the link.
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{}>", m.unsubscribe),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            m.body_text.clone(),
            m.body_html.clone(),
        ))
        .map_err(|e| e.to_string())
}

/// The From of every mail: the sender's name, when there is one, and address.
fn sender(name: &str, address: &str) -> std::result::Result<Mailbox, String> {
    Ok(Mailbox::new(
        (!name.is_empty()).then(|| name.to_owned()),
        parse_address(address)?,
    ))
}

fn parse_address(raw: &str) -> std::result::Result<Address, String> {
    raw.parse::<Address>()
        .map_err(|e| format!("\"{raw}\" is not an address a mail server takes: {e}"))
}

fn invalid_to(reason: String) -> AppError {
    AppError::Invalid(Problems::single("to", Problem::Invalid { reason }))
}

//! Mails to customers: the mail server an admin configures, a reply composed as plain text
//! and HTML in the customer's language, the headers that thread a conversation in the
//! customer's mail client, and when a send that failed is tried again.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::customer::normalize_email;
use crate::problem::{Problem, Problems};

/// How the connection to the mail server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or network, and never with a password.
    None,
}

impl Security {
    pub const ALL: [Security; 3] = [Security::Starttls, Security::Tls, Security::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Security::Starttls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }

    pub fn parse(raw: &str) -> Option<Security> {
        Security::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What a mail to a customer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MailKind {
    /// An agent's reply to a request.
    Reply,
    /// The survey after a resolved request.
    Survey,
    /// A campaign's message to a member of its segment.
    Campaign,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Reply => "reply",
            MailKind::Survey => "survey",
            MailKind::Campaign => "campaign",
        }
    }

    pub fn parse(text: &str) -> Option<MailKind> {
        [MailKind::Reply, MailKind::Survey, MailKind::Campaign]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// Where a mail stands in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MailStatus {
    /// Waiting for its next try.
    Queued,
    /// A server is trying to send it now.
    Sending,
    /// The mail server accepted it.
    Sent,
    /// Not sent, for good: the last try failed, or it cannot be sent (see `not_sent`).
    Failed,
    /// Kept unsent because no mail server was configured when it was written.
    Held,
}

impl MailStatus {
    pub const ALL: [MailStatus; 5] = [
        MailStatus::Queued,
        MailStatus::Sending,
        MailStatus::Sent,
        MailStatus::Failed,
        MailStatus::Held,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
            MailStatus::Held => "held",
        }
    }

    pub fn parse(text: &str) -> Option<MailStatus> {
        MailStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The mail server and sender, as an admin configured them. The password is not part of it:
/// it comes from the server's environment, so it is never stored, exported or shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The account to log in with; empty for a relay that needs no login.
    pub username: String,
    /// The sender address of every mail, and where customers' answers go.
    pub from_address: String,
    /// The sender's name customers see ("Nordlicht Kundenservice").
    pub from_name: String,
    /// Whether a resolved request's customer gets the survey of its touchpoint by mail.
    #[serde(default)]
    pub survey_after_resolution: bool,
    /// At most one such survey per customer within this many days.
    #[serde(default = "default_survey_interval")]
    pub survey_interval_days: u32,
    /// Where customers reach this server (`https://touchpoints.example`), for the links in
    /// mails; empty while unknown.
    #[serde(default)]
    pub public_url: String,
    /// Other senders for the mails about requests of a touchpoint or a channel.
    #[serde(default)]
    pub senders: Vec<Sender>,
}

/// The sender of the mails about the requests of one touchpoint or one channel, instead of the
/// settings' own: `service@` for the hotline, `shop@` for the web shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sender {
    /// A channel key; empty when the sender is a touchpoint's.
    #[serde(default)]
    pub channel: String,
    /// A touchpoint; none when the sender is a channel's.
    #[serde(default)]
    pub touchpoint_id: Option<i64>,
    pub from_address: String,
    #[serde(default)]
    pub from_name: String,
}

/// The most senders besides the settings' own.
pub const SENDERS_MAX: usize = 50;

impl MailSettings {
    /// The sender (address, name) of a mail about a request of `touchpoint` on `channel`: the
    /// touchpoint's, else the channel's, else the settings' own.
    pub fn sender_for(&self, touchpoint: Option<i64>, channel: &str) -> (&str, &str) {
        let by_touchpoint =
            touchpoint.and_then(|tp| self.senders.iter().find(|s| s.touchpoint_id == Some(tp)));
        let by_channel = || {
            self.senders.iter().find(|s| {
                s.touchpoint_id.is_none() && !s.channel.is_empty() && s.channel == channel
            })
        };
        match by_touchpoint.or_else(by_channel) {
            Some(s) => (&s.from_address, &s.from_name),
            None => (&self.from_address, &self.from_name),
        }
    }
}

fn default_survey_interval() -> u32 {
    SURVEY_INTERVAL_DEFAULT
}

/// Days between two surveys to one customer unless an admin says otherwise, and the most.
pub const SURVEY_INTERVAL_DEFAULT: u32 = 30;
pub const SURVEY_INTERVAL_MAX: u32 = 365;

impl MailSettings {
    /// The domain of the sender address, which names the mails' `Message-ID`s.
    pub fn domain(&self) -> &str {
        sender_domain(&self.from_address)
    }
}

/// Mail settings as submitted by the API or a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailSettingsInput {
    #[serde(default)]
    pub host: String,
    /// 1 to 65535.
    #[serde(default)]
    pub port: i64,
    /// `starttls`, `tls` or `none`.
    #[serde(default)]
    pub security: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub from_address: String,
    #[serde(default)]
    pub from_name: String,
    /// Send the survey of its touchpoint when a request is resolved.
    #[serde(default)]
    pub survey_after_resolution: bool,
    /// 1 to 365; 30 when left out.
    #[serde(default = "default_survey_interval_input")]
    pub survey_interval_days: i64,
    /// `https://…` (or `http://…`), where customers reach this server; needed for surveys.
    #[serde(default)]
    pub public_url: String,
    /// At most 50 other senders, each for one touchpoint or one channel.
    #[serde(default)]
    pub senders: Vec<Sender>,
}

fn default_survey_interval_input() -> i64 {
    i64::from(SURVEY_INTERVAL_DEFAULT)
}

impl Default for MailSettingsInput {
    fn default() -> Self {
        MailSettingsInput {
            host: String::new(),
            port: 0,
            security: String::new(),
            username: String::new(),
            from_address: String::new(),
            from_name: String::new(),
            survey_after_resolution: false,
            survey_interval_days: default_survey_interval_input(),
            public_url: String::new(),
            senders: Vec::new(),
        }
    }
}

impl MailSettingsInput {
    pub fn validate(&self) -> Result<MailSettings, Problems> {
        let mut problems = Problems::default();
        let host = self.host.trim();
        if host.is_empty() {
            problems.push("host", Problem::Required);
        } else if host.chars().count() > 253 {
            problems.push("host", Problem::TooLong { max: 253 });
        } else if !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        {
            problems.push(
                "host",
                Problem::rule("not-a-host", "is not a host name or IP address"),
            );
        }
        let port = u16::try_from(self.port).ok().filter(|p| *p > 0);
        if port.is_none() {
            problems.push("port", Problem::OutOfRange { min: 1, max: 65535 });
        }
        let security = Security::parse(self.security.trim());
        if security.is_none() {
            problems.push(
                "security",
                Problem::Unknown {
                    value: self.security.clone(),
                    allowed: Security::ALL
                        .iter()
                        .map(|s| s.as_str().to_owned())
                        .collect(),
                },
            );
        }
        let username = self.username.trim();
        if username.chars().count() > 254 {
            problems.push("username", Problem::TooLong { max: 254 });
        } else if security == Some(Security::None) && !username.is_empty() {
            problems.push(
                "username",
                Problem::Rule {
                    rule: "login-needs-encryption".into(),
                    reason: "a login is sent only over an encrypted connection: choose starttls \
                             or tls, or leave the user empty"
                        .into(),
                },
            );
        }
        let from_address = address(&self.from_address).unwrap_or_else(|problem| {
            problems.push("from_address", problem);
            String::new()
        });
        let from_name = sender_name(&mut problems, "from_name", &self.from_name);
        let senders = self.senders(&mut problems);
        let interval = u32::try_from(self.survey_interval_days)
            .ok()
            .filter(|d| (1..=SURVEY_INTERVAL_MAX).contains(d));
        if interval.is_none() {
            problems.push(
                "survey_interval_days",
                Problem::OutOfRange {
                    min: 1,
                    max: i64::from(SURVEY_INTERVAL_MAX),
                },
            );
        }
        let public_url = self.public_url.trim().trim_end_matches('/');
        if public_url.is_empty() {
            if self.survey_after_resolution {
                problems.push(
                    "public_url",
                    Problem::rule(
                        "survey-needs-public-url",
                        "surveys after resolution link to this server: say where customers reach it",
                    ),
                );
            }
        } else if !is_public_url(public_url) {
            problems.push(
                "public_url",
                Problem::rule(
                    "not-a-web-address",
                    "is no http:// or https:// address without query or fragment",
                ),
            );
        }
        match (port, security, interval) {
            (Some(port), Some(security), Some(interval)) if problems.is_empty() => {
                Ok(MailSettings {
                    host: host.to_owned(),
                    port,
                    security,
                    username: username.to_owned(),
                    from_address,
                    from_name,
                    survey_after_resolution: self.survey_after_resolution,
                    survey_interval_days: interval,
                    public_url: public_url.to_owned(),
                    senders,
                })
            }
            _ => Err(problems),
        }
    }
}

/// An e-mail address a field requires, normalised; the problem when it is empty or none.
pub fn address(raw: &str) -> Result<String, Problem> {
    normalize_email(raw).map_err(|reason| {
        if raw.trim().is_empty() {
            Problem::Required
        } else {
            Problem::Invalid { reason }
        }
    })
}

/// An `http://` or `https://` address with a host, without spaces, query or fragment.
fn is_public_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split('/').next().unwrap_or_default();
        !host.is_empty()
            && url.len() <= 500
            && !url.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '"' | '<' | '>')
            })
    })
}

impl MailSettingsInput {
    /// The other senders, checked: each for a channel or a touchpoint (not both), with an
    /// address, and no channel or touchpoint twice. Problems are named `senders[i].…`.
    fn senders(&self, problems: &mut Problems) -> Vec<Sender> {
        if self.senders.len() > SENDERS_MAX {
            problems.push("senders", Problem::TooMany { max: SENDERS_MAX });
            return Vec::new();
        }
        let mut seen = std::collections::HashSet::new();
        let mut senders = Vec::with_capacity(self.senders.len());
        for (i, sender) in self.senders.iter().enumerate() {
            let at = |part: &str| format!("senders[{i}].{part}");
            let channel = sender.channel.trim();
            let whom = match (channel.is_empty(), sender.touchpoint_id) {
                (false, None) => format!("channel {channel}"),
                (true, Some(tp)) => format!("touchpoint {tp}"),
                _ => {
                    problems.push(
                        at("channel"),
                        Problem::rule(
                            "channel-or-touchpoint",
                            "name either a channel or a touchpoint for this sender",
                        ),
                    );
                    continue;
                }
            };
            if !seen.insert(whom.clone()) {
                problems.push(at("channel"), Problem::Duplicate { value: whom });
            }
            let from_address = address(&sender.from_address).unwrap_or_else(|problem| {
                problems.push(at("from_address"), problem);
                String::new()
            });
            senders.push(Sender {
                channel: channel.to_owned(),
                touchpoint_id: sender.touchpoint_id,
                from_address,
                from_name: sender_name(problems, &at("from_name"), &sender.from_name),
            });
        }
        senders
    }
}

/// A sender's name: one line of at most 100 characters.
fn sender_name(problems: &mut Problems, field: &str, name: &str) -> String {
    let name = name.trim();
    if name.chars().count() > 100 {
        problems.push(field, Problem::TooLong { max: 100 });
    } else if name.chars().any(char::is_control) {
        problems.push(
            field,
            Problem::rule("one-line", "must be one line without control characters"),
        );
    }
    name.to_owned()
}

/// Why a resolved request's customer gets no survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoSurvey {
    /// Surveys after resolution are off, or no mail server is configured.
    Off,
    /// The request's touchpoint has no active survey.
    NoSurvey,
    NoAddress,
    /// The customer has not agreed to mails beyond the service itself.
    NoConsent,
    /// The customer got one within the interval.
    Recently,
}

/// Whether the customer of a resolved request gets its survey by mail: when surveys after
/// resolution are on, the touchpoint has a survey, the customer an address and their consent
/// to e-mails beyond the service (`email_marketing`: a survey asks something of them), and
/// no survey went to them within the interval before `now`.
pub fn survey_after_resolution(
    settings: Option<&MailSettings>,
    has_survey: bool,
    has_address: bool,
    consent: &crate::customer::Consent,
    last_survey: Option<Timestamp>,
    now: Timestamp,
) -> Result<(), NoSurvey> {
    let settings = settings
        .filter(|s| s.survey_after_resolution && !s.public_url.is_empty())
        .ok_or(NoSurvey::Off)?;
    if !has_survey {
        return Err(NoSurvey::NoSurvey);
    }
    if !has_address {
        return Err(NoSurvey::NoAddress);
    }
    if !consent.email_marketing {
        return Err(NoSurvey::NoConsent);
    }
    let interval = SignedDuration::from_hours(24 * i64::from(settings.survey_interval_days));
    match last_survey {
        Some(last) if now.duration_since(last) < interval => Err(NoSurvey::Recently),
        _ => Ok(()),
    }
}

/// What the survey mail after a resolved request is made of.
#[derive(Debug, Clone, Copy)]
pub struct SurveyMail<'a> {
    /// How the mail greets the customer ("Sehr geehrte Frau Schulz"; see `greeting`).
    pub greeting: &'a str,
    pub request_id: i64,
    pub request_subject: &'a str,
    /// The survey's question in the customer's language.
    pub question: &'a str,
    /// The survey's signed link, absolute.
    pub link: &'a str,
    /// `de` or `en`; anything else is German.
    pub language: &'a str,
    pub sender_name: &'a str,
}

/// The mail that asks a customer about their resolved request, with the survey's question
/// and its link, as plain text and HTML.
pub fn compose_survey(survey: &SurveyMail<'_>) -> Composed {
    let english = survey.language.trim().eq_ignore_ascii_case("en");
    let id = survey.request_id;
    let topic = one_line(survey.request_subject);
    let (subject, opening, link_text) = if english {
        (
            format!("How did we do? Your request #{id}"),
            match topic.as_str() {
                "" => "Your request has been resolved.".to_owned(),
                t => format!("Your request \"{t}\" has been resolved."),
            },
            "Answer in a minute",
        )
    } else {
        (
            format!("Wie zufrieden waren Sie? Ihre Anfrage #{id}"),
            match topic.as_str() {
                "" => "Ihre Anfrage ist erledigt.".to_owned(),
                t => format!("Ihre Anfrage „{t}“ ist erledigt."),
            },
            "In einer Minute beantwortet",
        )
    };
    let footer = signature(english, id, survey.sender_name);
    let question = one_line(survey.question);
    let greeting = one_line(survey.greeting);
    let text = format!(
        "{greeting},\n\n{opening}\n\n{question}\n\n{link_text}: {}\n\n-- \n{footer}\n",
        survey.link
    );
    let body = format!(
        "<p>{},</p>\n<p>{}</p>\n<p><strong>{}</strong></p>\n<p><a href=\"{}\">{}</a></p>\n",
        escape_html(&greeting),
        escape_html(&opening),
        escape_html(&question),
        escape_html(survey.link),
        escape_html(link_text),
    );
    let html = html_mail(english, &subject, &body, &footer);
    Composed {
        subject,
        text,
        html,
    }
}

/// The part of an address after its last `@`, or the address when it has none.
pub fn sender_domain(address: &str) -> &str {
    address
        .rsplit_once('@')
        .map_or(address, |(_, domain)| domain)
}

/// The `Message-ID` of the mail a request's step sends: unique by the request, the step and
/// the instant it was queued, and the same on every try, so that a mail client shows a copy
/// sent again as the one message it is.
pub fn message_id(request_id: i64, step_id: i64, queued_at: Timestamp, domain: &str) -> String {
    format!(
        "<touchpoints.{request_id}.{step_id}.{}@{domain}>",
        queued_at.as_microsecond()
    )
}

/// The threading headers of a new mail in a conversation whose earlier mails carried
/// `earlier` (`Message-ID`s, oldest first): it answers the last and refers to all.
pub fn thread(earlier: &[String]) -> (Option<String>, Vec<String>) {
    (earlier.last().cloned(), earlier.to_vec())
}

/// A mail's subject and bodies, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What a reply to a request is made of.
#[derive(Debug, Clone, Copy)]
pub struct Reply<'a> {
    pub request_id: i64,
    /// The request's subject; empty when it came without one.
    pub request_subject: &'a str,
    /// What the agent wrote, as plain text.
    pub body: &'a str,
    /// `de` or `en`; anything else is German, the organisation's language.
    pub language: &'a str,
    /// The sender's name, signed under the text; empty for none.
    pub sender_name: &'a str,
}

/// The mail of an agent's reply: the request's subject answered (`Re: …`), the agent's text
/// as plain text and as HTML with every character escaped, signed with the sender's name and
/// the request's number, so that customers and staff find it again.
pub fn compose_reply(reply: &Reply<'_>) -> Composed {
    let english = reply.language.trim().eq_ignore_ascii_case("en");
    let id = reply.request_id;
    let subject = one_line(reply.request_subject);
    let subject = strip_reply_prefixes(&subject);
    let subject = match (subject.is_empty(), english) {
        (true, true) => format!("Your request #{id}"),
        (true, false) => format!("Ihre Anfrage #{id}"),
        // The subject as the customer wrote it, so that every mail client groups the reply
        // with their mail; the request's number stands under the text.
        (false, _) => format!("Re: {subject}"),
    };
    let footer = signature(english, id, reply.sender_name);
    let body = reply.body.replace("\r\n", "\n");
    let body = body.trim();
    let text = format!("{body}\n\n-- \n{footer}\n");
    let html = html_mail(english, &subject, &paragraphs(body), &footer);
    Composed {
        subject,
        text,
        html,
    }
}

/// Plain text as HTML paragraphs, every character escaped: a blank line parts paragraphs, a
/// line break stays one.
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(escape_html).collect();
            format!("<p>{}</p>\n", lines.join("<br>\n"))
        })
        .collect()
}

/// What a campaign's message to one customer is made of.
#[derive(Debug, Clone, Copy)]
pub struct CampaignMail<'a> {
    /// The campaign template's subject and text, filled for the customer.
    pub subject: &'a str,
    pub body: &'a str,
    /// `de` or `en`; anything else is German.
    pub language: &'a str,
    pub sender_name: &'a str,
    /// The customer's own link that withdraws their consent to marketing mails, absolute.
    pub unsubscribe: &'a str,
}

/// A campaign's mail: the filled template as plain text and HTML, and under it the sender and
/// the link that ends such mails (which the `List-Unsubscribe` header carries as well).
pub fn compose_campaign(campaign: &CampaignMail<'_>) -> Composed {
    let english = campaign.language.trim().eq_ignore_ascii_case("en");
    let subject = one_line(campaign.subject);
    let body = campaign.body.replace("\r\n", "\n");
    let body = body.trim();
    let leave = match english {
        true => "No more such mails? Unsubscribe",
        false => "Keine solchen Mails mehr? Abmelden",
    };
    let sender = campaign.sender_name.trim();
    let text = format!(
        "{body}\n\n-- \n{sender}\n{leave}: {}\n",
        campaign.unsubscribe
    );
    let with_link = format!(
        "{}<p><a href=\"{}\">{}</a></p>\n",
        paragraphs(body),
        escape_html(campaign.unsubscribe),
        escape_html(leave)
    );
    let html = html_mail(english, &subject, &with_link, sender);
    Composed {
        subject,
        text,
        html,
    }
}

/// The `Message-ID` of a campaign's mail to one customer: the same however often the campaign
/// is sent, so that no customer gets it twice.
pub fn campaign_message_id(campaign_id: i64, customer_id: i64, domain: &str) -> String {
    format!("<touchpoints.campaign.{campaign_id}.{customer_id}@{domain}>")
}

/// How long to wait before try `attempts + 1` after `attempts` failed ones; `None` once the
/// mail has had its last try. Six tries span about seventeen hours, so a mail server down
/// over night still gets the morning's mail.
pub fn retry_delay(attempts: u32) -> Option<SignedDuration> {
    const DELAYS_MINUTES: [i64; 5] = [1, 5, 30, 120, 900];
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    DELAYS_MINUTES
        .get(index)
        .map(|m| SignedDuration::from_mins(*m))
}

/// Why a mail was not sent, as stored: a code the pages translate, or the mail server's
/// own words after `smtp:`.
pub mod not_sent {
    /// No mail server is configured: the mail is kept in the outbox, unsent.
    pub const NO_SERVER: &str = "no-server";
    /// The customer has no e-mail address.
    pub const NO_ADDRESS: &str = "no-address";
}

/// What a mail is signed with: the sender's name, when there is one, and the request's
/// number.
fn signature(english: bool, request_id: i64, sender_name: &str) -> String {
    let request = match english {
        true => format!("Your request #{request_id}"),
        false => format!("Ihre Anfrage #{request_id}"),
    };
    match sender_name.trim() {
        "" => request,
        name => format!("{name} · {request}"),
    }
}

/// The HTML part of a mail: `body` (HTML already) under the escaped subject as its title, and
/// the escaped footer in grey.
fn html_mail(english: bool, subject: &str, body: &str, footer: &str) -> String {
    let lang = if english { "en" } else { "de" };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n\
         <body style=\"font-family: sans-serif; line-height: 1.5; color: #1a1a1a\">\n{body}\
         <p style=\"color: #666; font-size: 90%\">{}</p>\n</body>\n</html>\n",
        escape_html(subject),
        escape_html(footer),
    )
}

fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control())
        .filter(|part| !part.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

fn strip_reply_prefixes(subject: &str) -> String {
    let mut rest = subject.trim();
    loop {
        let lower = rest.to_lowercase();
        match ["re:", "aw:", "antw:"]
            .iter()
            .find(|p| lower.starts_with(*p))
        {
            Some(prefix) => rest = rest[prefix.len()..].trim_start(),
            None => return rest.to_owned(),
        }
    }
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> MailSettingsInput {
        MailSettingsInput {
            host: " mail.nordlicht.example ".into(),
            port: 587,
            security: "starttls".into(),
            username: "service@nordlicht.example".into(),
            from_address: "Service@Nordlicht.example".into(),
            from_name: "Nordlicht Kundenservice".into(),
            ..MailSettingsInput::default()
        }
    }

    #[test]
    fn settings_are_trimmed_and_the_sender_normalised() {
        let settings = input().validate().expect("valid");
        assert_eq!(settings.host, "mail.nordlicht.example");
        assert_eq!(settings.port, 587);
        assert_eq!(settings.security, Security::Starttls);
        assert_eq!(settings.from_address, "service@nordlicht.example");
        assert_eq!(settings.domain(), "nordlicht.example");
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = MailSettingsInput {
            host: "mail server".into(),
            port: 70000,
            security: "ssl".into(),
            username: String::new(),
            from_address: "service".into(),
            from_name: "Zeile\nzwei".into(),
            ..MailSettingsInput::default()
        };
        let problems = bad.validate().expect_err("invalid");
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["host", "port", "security", "from_address", "from_name"]
        );
        assert_eq!(
            MailSettingsInput::default()
                .validate()
                .expect_err("empty")
                .0[0]
                .problem,
            Problem::Required
        );
    }

    fn sender(channel: &str, touchpoint_id: Option<i64>, address: &str) -> Sender {
        Sender {
            channel: channel.into(),
            touchpoint_id,
            from_address: address.into(),
            from_name: String::new(),
        }
    }

    #[test]
    fn a_touchpoints_sender_comes_before_its_channels_and_both_before_the_default() {
        let settings = MailSettingsInput {
            senders: vec![
                sender("website", None, " Shop@Nordlicht.Example "),
                sender("", Some(7), "hotline@nordlicht.example"),
            ],
            ..input()
        }
        .validate()
        .expect("valid");
        assert_eq!(settings.senders[0].from_address, "shop@nordlicht.example");
        assert_eq!(
            settings.sender_for(Some(7), "website").0,
            "hotline@nordlicht.example"
        );
        assert_eq!(
            settings.sender_for(Some(8), "website").0,
            "shop@nordlicht.example"
        );
        assert_eq!(settings.sender_for(None, "email").0, settings.from_address);
    }

    #[test]
    fn a_sender_names_a_channel_or_a_touchpoint_once_with_an_address() {
        let problems = MailSettingsInput {
            senders: vec![
                sender("", None, "a@nordlicht.example"),
                sender("website", Some(3), "b@nordlicht.example"),
                sender("email", None, "kein-at"),
                sender("email", None, "c@nordlicht.example"),
            ],
            ..input()
        }
        .validate()
        .expect_err("invalid");
        let named: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            named,
            [
                "senders[0].channel",
                "senders[1].channel",
                "senders[2].from_address",
                "senders[3].channel"
            ]
        );
        let too_many = MailSettingsInput {
            senders: vec![sender("email", None, "a@nordlicht.example"); SENDERS_MAX + 1],
            ..input()
        };
        let problems = too_many.validate().expect_err("too many");
        assert_eq!(problems.0[0].field, "senders");
    }

    #[test]
    fn a_login_is_refused_without_encryption() {
        let plain = MailSettingsInput {
            security: "none".into(),
            ..input()
        };
        let problems = plain.validate().expect_err("login in clear");
        assert_eq!(problems.0[0].field, "username");
        let relay = MailSettingsInput {
            security: "none".into(),
            username: String::new(),
            ..input()
        };
        assert_eq!(relay.validate().expect("relay").security, Security::None);
    }

    #[test]
    fn a_reply_answers_the_subject_and_escapes_the_text() {
        let mail = compose_reply(&Reply {
            request_id: 42,
            request_subject: "AW: Re: Lieferung <verspätet>",
            body: "Guten Tag Frau Schulz,\r\nIhre Lieferung kommt morgen.\n\n\nViele Grüße & bis bald",
            language: "de",
            sender_name: "Nordlicht Kundenservice",
        });
        assert_eq!(mail.subject, "Re: Lieferung <verspätet>");
        assert_eq!(
            mail.text,
            "Guten Tag Frau Schulz,\nIhre Lieferung kommt morgen.\n\n\nViele Grüße & bis bald\n\n\
             -- \nNordlicht Kundenservice · Ihre Anfrage #42\n"
        );
        assert!(mail.html.contains(
            "<p>Guten Tag Frau Schulz,<br>\nIhre Lieferung kommt morgen.</p>\n<p>Viele Grüße &amp; bis bald</p>"
        ));
        assert!(
            mail.html
                .contains("<title>Re: Lieferung &lt;verspätet&gt;</title>")
        );
        assert!(mail.html.contains("<html lang=\"de\">"));
    }

    #[test]
    fn a_reply_without_subject_names_the_request_in_the_customers_language() {
        let reply = Reply {
            request_id: 7,
            request_subject: " \r\n",
            body: "Done.",
            language: "EN",
            sender_name: "",
        };
        let mail = compose_reply(&reply);
        assert_eq!(mail.subject, "Your request #7");
        assert!(mail.text.ends_with("-- \nYour request #7\n"));
        let german = compose_reply(&Reply {
            language: "fr",
            ..reply
        });
        assert_eq!(german.subject, "Ihre Anfrage #7");
    }

    #[test]
    fn a_subject_with_line_breaks_becomes_one_line() {
        let mail = compose_reply(&Reply {
            request_id: 1,
            request_subject: "Rechnung\r\nBcc: jemand@example.org",
            body: "x",
            language: "de",
            sender_name: "",
        });
        assert_eq!(mail.subject, "Re: Rechnung Bcc: jemand@example.org");
    }

    #[test]
    fn message_ids_thread_the_conversation() {
        let at = Timestamp::from_microsecond(1_700_000_000_000_000).expect("instant");
        let first = message_id(3, 10, at, "nordlicht.example");
        assert_eq!(
            first,
            "<touchpoints.3.10.1700000000000000@nordlicht.example>"
        );
        assert_eq!(thread(&[]), (None, vec![]));
        let second = message_id(3, 11, at, "nordlicht.example");
        let (in_reply_to, references) = thread(&[first.clone(), second.clone()]);
        assert_eq!(in_reply_to, Some(second.clone()));
        assert_eq!(references, [first, second]);
    }

    #[test]
    fn retries_back_off_and_end() {
        let minutes: Vec<Option<i64>> = (0..=6)
            .map(|n| retry_delay(n).map(|d| d.as_secs() / 60))
            .collect();
        assert_eq!(
            minutes,
            [None, Some(1), Some(5), Some(30), Some(120), Some(900), None]
        );
    }

    #[test]
    fn surveys_after_resolution_need_a_public_url_and_a_sane_interval() {
        let on = MailSettingsInput {
            survey_after_resolution: true,
            ..input()
        };
        let problems = on.validate().expect_err("no public url");
        assert_eq!(problems.0[0].field, "public_url");
        let settings = MailSettingsInput {
            public_url: " https://service.nordlicht.example/ ".into(),
            ..on.clone()
        }
        .validate()
        .expect("valid");
        assert_eq!(settings.public_url, "https://service.nordlicht.example");
        assert_eq!(settings.survey_interval_days, 30);
        for (url, days) in [
            ("ftp://x", 30),
            ("https://x?a=1", 30),
            ("https://x", 0),
            ("https://x", 366),
        ] {
            let bad = MailSettingsInput {
                public_url: url.into(),
                survey_interval_days: days,
                ..on.clone()
            };
            assert!(bad.validate().is_err(), "{url} {days}");
        }
        // Settings stored before the survey fields existed read with their defaults.
        let old: MailSettings = serde_json::from_str(
            r#"{"host":"h","port":25,"security":"none","username":"","from_address":"a@b.de","from_name":""}"#,
        )
        .expect("old settings");
        assert!(!old.survey_after_resolution);
        assert_eq!(old.survey_interval_days, 30);
    }

    #[test]
    fn a_survey_goes_only_with_consent_an_address_and_not_twice_in_the_interval() {
        let settings = MailSettings {
            survey_after_resolution: true,
            public_url: "https://s.example".into(),
            survey_interval_days: 30,
            ..input().validate().expect("valid")
        };
        let yes = crate::customer::Consent {
            email_marketing: true,
            ..Default::default()
        };
        let no = crate::customer::Consent::default();
        let now = Timestamp::from_second(1_790_000_000).expect("instant");
        let days = |n: i64| now - SignedDuration::from_hours(24 * n);
        let rule = |settings: Option<&MailSettings>, survey, address, consent, last| {
            survey_after_resolution(settings, survey, address, consent, last, now)
        };
        assert_eq!(rule(Some(&settings), true, true, &yes, None), Ok(()));
        assert_eq!(
            rule(Some(&settings), true, true, &yes, Some(days(31))),
            Ok(())
        );
        assert_eq!(
            rule(Some(&settings), true, true, &yes, Some(days(29))),
            Err(NoSurvey::Recently)
        );
        assert_eq!(
            rule(Some(&settings), true, true, &no, None),
            Err(NoSurvey::NoConsent)
        );
        assert_eq!(
            rule(Some(&settings), true, false, &yes, None),
            Err(NoSurvey::NoAddress)
        );
        assert_eq!(
            rule(Some(&settings), false, true, &yes, None),
            Err(NoSurvey::NoSurvey)
        );
        assert_eq!(rule(None, true, true, &yes, None), Err(NoSurvey::Off));
        let off = MailSettings {
            survey_after_resolution: false,
            ..settings.clone()
        };
        assert_eq!(rule(Some(&off), true, true, &yes, None), Err(NoSurvey::Off));
    }

    #[test]
    fn the_survey_mail_asks_the_question_and_links_in_both_parts() {
        let mail = compose_survey(&SurveyMail {
            greeting: "Sehr geehrte Frau Schulz",
            request_id: 9,
            request_subject: "Sofa <grau>",
            question: "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?",
            link: "https://s.example/s/ab12cd34?c=K-1&r=9&sig=00",
            language: "de",
            sender_name: "Nordlicht",
        });
        assert_eq!(mail.subject, "Wie zufrieden waren Sie? Ihre Anfrage #9");
        assert!(
            mail.text.starts_with(
                "Sehr geehrte Frau Schulz,\n\nIhre Anfrage „Sofa <grau>“ ist erledigt.\n\nWie wahrscheinlich"
            )
        );
        assert!(mail.text.contains(
            "In einer Minute beantwortet: https://s.example/s/ab12cd34?c=K-1&r=9&sig=00\n"
        ));
        assert!(
            mail.html
                .contains("<a href=\"https://s.example/s/ab12cd34?c=K-1&amp;r=9&amp;sig=00\">")
        );
        assert!(mail.html.contains("Sofa &lt;grau&gt;"));
        let english = compose_survey(&SurveyMail {
            language: "en",
            request_subject: "",
            ..SurveyMail {
                greeting: "Hello",
                request_id: 9,
                request_subject: "",
                question: "How likely?",
                link: "https://s.example/s/x",
                language: "en",
                sender_name: "",
            }
        });
        assert_eq!(english.subject, "How did we do? Your request #9");
        assert!(
            english
                .text
                .starts_with("Hello,\n\nYour request has been resolved.\n\nHow likely?")
        );
    }
}

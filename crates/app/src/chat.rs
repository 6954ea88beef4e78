//! The 24/7 chat, whichever front end serves it: the widget's settings, a conversation's
//! start on an allowed website, the bot's answers, the handover that opens a request in the
//! queue, the customer's messages to the person who took it over, and the rating at the end.

use std::sync::{Arc, Mutex, PoisonError};

use jiff::{SignedDuration, Timestamp};
use touchpoints_core::chat::{Bot, LibraryText, Reply};
use touchpoints_core::kpi::Metric;
use touchpoints_core::priority::Language;
use touchpoints_core::request::{RequestCustomer, RequestInput};
use touchpoints_core::sla::{Hours, next_open};
use touchpoints_core::survey::ResponseFields;
use touchpoints_core::{Problem, Problems};
use touchpoints_store::{
    ChatAuthor, ChatMessage, ChatWidget, NewChatMessage, NewConversation, QueueFilter, Store,
    StoredConversation,
};

use crate::{AppError, Result, secrets};

/// The longest message a customer may send, in characters.
pub const MESSAGE_MAX: usize = 2_000;
/// The most messages a customer may send in one conversation.
pub const CUSTOMER_MESSAGES_MAX: i64 = 200;
/// How long a conversation stays open without a word from either side.
pub const IDLE_LIFETIME: SignedDuration = SignedDuration::from_hours(24);
/// How long the bot answers from the sources it read before it reads them again.
const BOT_FRESH_FOR: SignedDuration = SignedDuration::from_secs(30);
/// The most transcript messages one read returns.
pub const TRANSCRIPT_PAGE: u32 = 200;

/// Where a widget asks from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin<'a> {
    /// A page of this server (the demo's website page), which may show any enabled widget.
    Own,
    /// Another website: `https://shop.example`.
    Site(&'a str),
}

/// The bot over the sources of a moment, read again when it is older than 30 seconds, so a
/// changed guideline or library reaches the chat within that.
#[derive(Default)]
pub struct ChatBot {
    read: Mutex<Option<(Timestamp, Arc<Bot>)>>,
}

impl ChatBot {
    pub async fn get(&self, store: &dyn Store, now: Timestamp) -> Result<Arc<Bot>> {
        if let Some((at, bot)) = self
            .read
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            && now.duration_since(*at) < BOT_FRESH_FOR
        {
            return Ok(bot.clone());
        }
        let guideline = store.guideline().await?;
        let contents = store.contents().await?;
        let library: Vec<LibraryText<'_>> = contents
            .iter()
            .map(|c| LibraryText {
                id: c.id,
                fields: &c.fields,
            })
            .collect();
        let today = crate::reports::today(&store.time_zone().await?, now);
        let bot = Arc::new(Bot::new(&guideline, &library, true, today));
        *self.read.lock().unwrap_or_else(PoisonError::into_inner) = Some((now, bot.clone()));
        Ok(bot)
    }
}

/// A web origin as a browser sends it: scheme, host and port, lower case, no path.
pub fn origin(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches('/').to_lowercase();
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))?;
    let valid = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then_some(text)
}

/// Saves a touchpoint's widget: the origins are checked one by one (`origins[2]`).
pub async fn save_widget(
    store: &dyn Store,
    touchpoint_id: i64,
    origins: &[String],
    enabled: bool,
    actor: &str,
) -> Result<ChatWidget> {
    let mut problems = Problems::default();
    let mut checked: Vec<String> = Vec::new();
    for (i, given) in origins.iter().enumerate() {
        if given.trim().is_empty() {
            continue;
        }
        match origin(given) {
            Some(o) if !checked.contains(&o) => checked.push(o),
            Some(_) => {}
            None => problems.push(
                format!("origins[{i}]"),
                Problem::rule(
                    "not-a-web-origin",
                    "is no web origin such as https://shop.example (scheme and host, no path)",
                ),
            ),
        }
    }
    if checked.len() > 20 {
        problems.push("origins", Problem::TooMany { max: 20 });
    }
    let widget = ChatWidget {
        touchpoint_id,
        origins: checked,
        enabled,
    };
    problems.into_result(())?;
    store.put_chat_widget(&widget, actor).await?;
    Ok(widget)
}

/// A conversation just started: its token (the widget's alone; the store keeps its digest)
/// and the bot's first words.
#[derive(Debug, Clone)]
pub struct Opened {
    pub token: String,
    pub conversation: StoredConversation,
    pub welcome: String,
}

fn language_of(tag: &str) -> Language {
    Language::parse(tag).unwrap_or(Language::De)
}

fn say(language: Language, de: &str, en: &str) -> String {
    match language {
        Language::De => de.to_owned(),
        Language::En => en.to_owned(),
    }
}

/// Starts a conversation with the widget of touchpoint `touchpoint_id`, if that widget is on
/// and `origin` may embed it. A widget that is off, or missing, is not found; a website not
/// on its list is forbidden.
pub async fn open(
    store: &dyn Store,
    touchpoint_id: i64,
    origin: Origin<'_>,
    language: &str,
    now: Timestamp,
) -> Result<Opened> {
    let widget = store
        .chat_widget(touchpoint_id)
        .await?
        .filter(|w| w.enabled)
        .ok_or(AppError::NotFound { entity: "chat" })?;
    let origin = match origin {
        Origin::Own => String::new(),
        Origin::Site(site) => {
            let site = self::origin(site).unwrap_or_default();
            if !widget.origins.contains(&site) {
                return Err(AppError::Forbidden(
                    "this website may not embed the chat".into(),
                ));
            }
            site
        }
    };
    let language = language_of(language);
    let token = secrets::new_secret()?;
    let conversation = store
        .start_chat(&NewConversation {
            token_hash: secrets::digest(&token),
            touchpoint_id,
            language: match language {
                Language::De => "de",
                Language::En => "en",
            }
            .into(),
            origin,
            at: now,
        })
        .await?;
    Ok(Opened {
        token,
        conversation,
        welcome: say(
            language,
            "Hallo! Ich beantworte Fragen aus unseren Hilfeseiten und nenne dazu die Quelle. Sie können jederzeit mit einer Person sprechen.",
            "Hello! I answer questions from our help pages and name the source. You can talk to a person at any time.",
        ),
    })
}

/// The conversation a token opens: not found for an unknown token, a conflict naming
/// `token` when it has been idle too long.
pub async fn conversation(
    store: &dyn Store,
    token: &str,
    now: Timestamp,
) -> Result<StoredConversation> {
    let conversation =
        store
            .chat_by_token(&secrets::digest(token))
            .await?
            .ok_or(AppError::NotFound {
                entity: "conversation",
            })?;
    if now.duration_since(conversation.updated_at) > IDLE_LIFETIME
        && conversation.request_id.is_none()
    {
        return Err(AppError::Conflict(Problems::single(
            "token",
            Problem::Invalid {
                reason: "the conversation has expired; start a new one".into(),
            },
        )));
    }
    Ok(conversation)
}

/// The chat's opening hours: around the clock when its response target is counted so, else
/// the organisation's calendar.
pub async fn hours(store: &dyn Store) -> Result<Hours> {
    let around_the_clock = store
        .sla_policies()
        .await?
        .iter()
        .any(|p| p.channel == "chat" && p.around_the_clock);
    Ok(if around_the_clock {
        Hours::AlwaysOpen
    } else {
        Hours::Business(store.queue_settings().await?.calendar)
    })
}

/// What a message brought: the messages added to the transcript, and whether the bot offers
/// a person (it is not sure, or the customer asked for one).
#[derive(Debug, Clone)]
pub struct Asked {
    pub added: Vec<ChatMessage>,
    pub offers_person: bool,
    /// The request the conversation went to, whose live pages hear of the message.
    pub request_id: Option<i64>,
}

fn checked_text(text: &str) -> Result<String> {
    let text = text.trim();
    let fault = if text.is_empty() {
        Some(Problem::Required)
    } else if text.chars().count() > MESSAGE_MAX {
        Some(Problem::TooLong { max: MESSAGE_MAX })
    } else {
        None
    };
    match fault {
        Some(problem) => Err(Problems::single("text", problem).into()),
        None => Ok(text.to_owned()),
    }
}

fn still_open(conversation: &StoredConversation) -> Result<()> {
    if conversation.closed_at.is_some() {
        return Err(AppError::Conflict(Problems::single(
            "conversation",
            Problem::Invalid {
                reason: "has ended".into(),
            },
        )));
    }
    if conversation.customer_messages >= CUSTOMER_MESSAGES_MAX {
        return Err(AppError::Conflict(Problems::single(
            "text",
            Problem::Invalid {
                reason: format!(
                    "a conversation holds at most {CUSTOMER_MESSAGES_MAX} messages; start a new one"
                ),
            },
        )));
    }
    Ok(())
}

/// The customer's message: before a handover the bot answers it from the sources; after
/// it, it goes to the person in the request.
pub async fn ask(
    store: &dyn Store,
    bot: &ChatBot,
    conversation: &StoredConversation,
    text: &str,
    now: Timestamp,
) -> Result<Asked> {
    let text = checked_text(text)?;
    still_open(conversation)?;
    let customer = NewChatMessage {
        author: ChatAuthor::Customer,
        body: text.clone(),
        source: None,
    };
    if conversation.request_id.is_some() {
        let added = store
            .add_chat_messages(conversation.id, &[customer], now)
            .await?;
        return Ok(Asked {
            added,
            offers_person: false,
            request_id: conversation.request_id,
        });
    }
    let language = language_of(&conversation.language);
    let hours = hours(store).await?;
    let reply = bot
        .get(store, now)
        .await?
        .reply(&text, language, Some(&hours), now);
    let source = match &reply {
        Reply::Answer { source, .. } => {
            Some(serde_json::to_value(source).map_err(|e| AppError::Internal(e.to_string()))?)
        }
        _ => None,
    };
    let offers_person = matches!(reply, Reply::NotSure { .. } | Reply::Person { .. });
    let answer = NewChatMessage {
        author: ChatAuthor::Bot,
        body: reply.text().to_owned(),
        source,
    };
    let added = store
        .add_chat_messages(conversation.id, &[customer, answer], now)
        .await?;
    Ok(Asked {
        added,
        offers_person,
        request_id: None,
    })
}

/// How the customer may be reached after a handover.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub customer_number: Option<String>,
    /// The widget's id of the browser, so that one browser's chats meet in one profile.
    #[serde(default)]
    pub device: Option<String>,
}

/// A handover: the request it opened and what the customer is told about the wait.
#[derive(Debug, Clone)]
pub struct HandedOver {
    pub conversation: StoredConversation,
    pub request_id: i64,
    /// When the first response is due by the chat's target.
    pub due: Option<Timestamp>,
    /// How many requests of the queue come before it.
    pub ahead: usize,
    /// Whether a person is there now; if not, when one is.
    pub open_now: bool,
    pub next_open: Option<Timestamp>,
    /// The estimate the customer reads, also added to the transcript.
    pub message: ChatMessage,
}

fn given(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The transcript as the request's text: who said what, in order.
fn transcript_text(messages: &[ChatMessage], language: Language) -> String {
    let mut text = String::new();
    for m in messages {
        let who = match (m.author, language) {
            (ChatAuthor::Customer, Language::De) => "Kunde",
            (ChatAuthor::Customer, Language::En) => "Customer",
            (ChatAuthor::Bot, _) => "Bot",
            (ChatAuthor::Agent, _) => "Team",
        };
        text.push_str(who);
        text.push_str(": ");
        text.push_str(&m.body);
        text.push('\n');
    }
    text
}

/// Hands the conversation to a person: a chat request with the transcript joins the queue,
/// under the customer's profile if the contact finds one, with the chat's target and score.
/// Handing over twice opens no second request.
pub async fn hand_over(
    store: &dyn Store,
    conversation: &StoredConversation,
    contact: &Contact,
    now: Timestamp,
) -> Result<HandedOver> {
    still_open(conversation)?;
    let language = language_of(&conversation.language);
    let transcript = store
        .chat_messages(conversation.id, 0, TRANSCRIPT_PAGE)
        .await?;
    let request_id = match conversation.request_id {
        Some(id) => id,
        None => {
            let first = transcript
                .iter()
                .find(|m| m.author == ChatAuthor::Customer)
                .map(|m| m.body.as_str())
                .unwrap_or_default();
            let subject: String = first.chars().take(80).collect();
            let body = transcript_text(&transcript, language);
            let input = RequestInput {
                channel: "chat".into(),
                touchpoint_id: Some(conversation.touchpoint_id),
                customer: RequestCustomer {
                    name: given(&contact.name),
                    email: given(&contact.email),
                    customer_number: given(&contact.customer_number),
                    // Without any identifier the conversation itself stands for the customer.
                    device: given(&contact.device).or_else(|| {
                        (given(&contact.email).is_none()
                            && given(&contact.customer_number).is_none())
                        .then(|| format!("chat:{}", conversation.id))
                    }),
                    ..RequestCustomer::default()
                },
                subject: if subject.is_empty() {
                    "Chat".into()
                } else {
                    subject
                },
                body: if body.is_empty() { "Chat".into() } else { body },
                language: Some(conversation.language.clone()),
                external_id: Some(format!("chat:{}", conversation.id)),
                ..RequestInput::default()
            };
            let catalog = store.catalog().await?;
            let new = input.validate(&catalog, now)?;
            store.intake(&[new], "chat").await?[0].id
        }
    };
    let hours = hours(store).await?;
    let next = next_open(&hours, now);
    let open_now = next.is_some_and(|at| at <= now);
    // Nobody is there to answer while the customer waits: with an address the answer goes by
    // e-mail too, whenever it comes.
    let by_email = !open_now && given(&contact.email).is_some();
    let conversation = store
        .link_chat_request(conversation.id, request_id, by_email, now)
        .await?;
    let request = store.request(request_id).await?;
    let ahead = store
        .queue(&QueueFilter {
            limit: 500,
            ..QueueFilter::default()
        })
        .await?
        .iter()
        .take_while(|r| r.id != request_id)
        .count();
    let time_zone =
        jiff::tz::TimeZone::get(&store.time_zone().await?).unwrap_or(jiff::tz::TimeZone::UTC);
    let at = |t: Timestamp| {
        let local = t.to_zoned(time_zone.clone());
        let day = touchpoints_core::written::weekday(local.weekday(), language == Language::En);
        format!("{day}, {:02}:{:02}", local.hour(), local.minute())
    };
    let text = match (open_now, next, request.first_response_due) {
        (true, _, Some(due)) => say(
            language,
            &format!(
                "Ich habe Sie an unser Team übergeben. Vor Ihnen warten {ahead} Anfragen; eine Person antwortet spätestens {} Uhr.",
                at(due)
            ),
            &format!(
                "I've handed you over to our team. {ahead} requests are ahead of you; a person answers by {} at the latest.",
                at(due)
            ),
        ),
        (false, Some(open), _) => say(
            language,
            &format!(
                "Gerade ist niemand aus unserem Team da. Ihre Anfrage ist aufgenommen; eine Person antwortet ab {} Uhr – hier{}.",
                at(open),
                if by_email {
                    " und per E-Mail"
                } else {
                    " oder per E-Mail, wenn Sie uns Ihre Adresse nennen"
                }
            ),
            &format!(
                "Nobody from our team is here right now. Your request is taken; a person answers from {} – here{}.",
                at(open),
                if by_email {
                    " and by e-mail"
                } else {
                    ", or by e-mail if you give us your address"
                }
            ),
        ),
        _ => say(
            language,
            "Ich habe Sie an unser Team übergeben; eine Person meldet sich hier.",
            "I've handed you over to our team; a person answers here.",
        ),
    };
    let message = store
        .add_chat_messages(
            conversation.id,
            &[NewChatMessage {
                author: ChatAuthor::Bot,
                body: text,
                source: None,
            }],
            now,
        )
        .await?
        .remove(0);
    Ok(HandedOver {
        conversation,
        request_id,
        due: request.first_response_due,
        ahead,
        open_now,
        next_open: next,
        message,
    })
}

/// The customer's rating of the chat, 1–5: kept with the conversation and counted as a CSAT
/// answer at the chat's touchpoint (once per conversation).
pub async fn rate(
    store: &dyn Store,
    conversation: &StoredConversation,
    score: i64,
    now: Timestamp,
) -> Result<()> {
    let score = u8::try_from(score)
        .ok()
        .filter(|s| (1..=5).contains(s))
        .ok_or_else(|| Problems::single("score", Problem::OutOfRange { min: 1, max: 5 }))?;
    store.rate_chat(conversation.id, score, now).await?;
    store
        .record_responses(
            &[ResponseFields {
                touchpoint_id: conversation.touchpoint_id,
                survey_id: None,
                metric: Metric::Csat,
                score,
                comment: String::new(),
                answered_at: now,
                channel: Some("chat".into()),
                customer_ref: None,
                external_id: Some(format!("chat:{}", conversation.id)),
                request_id: conversation.request_id,
            }],
            Some("chat"),
        )
        .await?;
    Ok(())
}

/// The customer ends the conversation; one handed over stays open in the queue until the
/// person resolves it.
pub async fn close(
    store: &dyn Store,
    conversation: &StoredConversation,
    now: Timestamp,
) -> Result<()> {
    Ok(store.close_chat(conversation.id, now).await?)
}

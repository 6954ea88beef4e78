//! Persistence of Touchpoints behind one interface, [`Store`], with two backends that pass the
//! same test suite: SQLite (the embedded default, one file) and PostgreSQL (production, many
//! app servers on one database).
//!
//! Every write is one transaction: a write either happens whole or not at all. Validation of
//! content is the core's job; the store enforces what only it can see (unique names, keys that
//! exist, keys still in use) and reports it as field problems.

mod dialect;
mod error;
mod group_commit;
mod plan;
mod postgres;
mod programme;
mod remembered;
mod sqlite;
mod writer_cpu;

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::SqlStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use touchpoints_core::action_plan::{ActionFields, ActionStatus, StatusChange};
use touchpoints_core::audit::{AuditEntry, AuditFilter};
use touchpoints_core::consistency::check::Finding;
use touchpoints_core::consistency::guideline::Guideline;
use touchpoints_core::consistency::library::{ContentFields, FindingStatus};
use touchpoints_core::customer::{CustomerFields, Identifier};
use touchpoints_core::dashboard::TallyRow;
use touchpoints_core::history::HistoryEntry;
use touchpoints_core::mail::{Composed, MailKind, MailSettings, MailStatus};
use touchpoints_core::queue::{QueueOptions, SlaPolicy};
use touchpoints_core::queue_stats::ResponseRecord;
use touchpoints_core::request::{NewRequest, Priority, RequestAction, RequestStatus};
use touchpoints_core::standards::{Interaction, Measure, Standard};
use touchpoints_core::survey::{CustomerEventFields, ResponseFields, SurveyFields};
use touchpoints_core::webhook::{DeliveryStatus, Event, EventKind, SubscriptionFields};
use touchpoints_core::{
    ApiToken, Catalog, Channel, Phase, Role, Scope, Subject, Touchpoint, TouchpointFields,
    TouchpointFilter, User,
};

pub use error::StoreError;
pub use plan::{Calendar, Weights};
pub use postgres::PostgresStore;
pub use programme::{Programme, ProgrammeTick, StoredProgramme};
pub use sqlite::SqliteStore;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What one import brings, written in one transaction: catalog entries first (inserted or
/// updated by key), then touchpoints (inserted, or updated when one of the same name exists).
#[derive(Debug, Clone, Default)]
pub struct Import {
    pub channels: Vec<Channel>,
    pub phases: Vec<Phase>,
    pub touchpoints: Vec<TouchpointFields>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// The persistence interface: every part below, on one database. Implementations are cheap
/// to share (`Arc<dyn Store>`).
pub trait Store:
    Inventory
    + Accounts
    + AuditLog
    + PersonalData
    + Library
    + Standards
    + Customers
    + Requests
    + Surveys
    + Keys
    + Throttles
    + Turns
    + Announcements
    + Actions
    + Programme
    + Outbox
    + Templates
    + Chats
    + Campaigns
    + Organisation
    + Webhooks
{
}

impl<
    T: Inventory
        + Accounts
        + AuditLog
        + PersonalData
        + Library
        + Standards
        + Customers
        + Requests
        + Surveys
        + Keys
        + Throttles
        + Turns
        + Announcements
        + Actions
        + Programme
        + Outbox
        + Templates
        + Chats
        + Campaigns
        + Organisation
        + Webhooks,
> Store for T
{
}

/// How the organisation presents itself to its customers: its name and logo.
#[async_trait]
pub trait Organisation: Send + Sync + 'static {
    /// The company name and logo; empty until an admin sets them.
    async fn branding(&self) -> Result<touchpoints_core::branding::Branding>;
    /// Replaces the company name and logo. Audit `settings.branding`.
    async fn set_branding(
        &self,
        branding: &touchpoints_core::branding::Branding,
        actor: &str,
    ) -> Result<()>;
}

/// Touchpoints and the catalog they are filed under. Every write names its actor and is
/// recorded in the audit log in the same transaction.
#[async_trait]
pub trait Inventory: Send + Sync + 'static {
    /// The name of the backend, for logs and the health endpoint.
    fn backend(&self) -> &'static str;
    /// Where the database's schema stands against the migrations this build carries, for
    /// readiness: a server whose schema another build moved on should take no traffic. Fails
    /// when the database does not answer or keeps no migration bookkeeping.
    async fn schema_state(&self) -> Result<SchemaState>;

    /// Channels, and phases in journey order.
    async fn catalog(&self) -> Result<Catalog>;
    /// Inserts the channel, or updates the one with the same key.
    async fn put_channel(&self, channel: &Channel, actor: &str) -> Result<()>;
    /// Fails with a conflict while a touchpoint uses the channel.
    async fn delete_channel(&self, key: &str, actor: &str) -> Result<()>;
    /// Inserts the phase, or updates the one with the same key.
    async fn put_phase(&self, phase: &Phase, actor: &str) -> Result<()>;
    /// Fails with a conflict while a touchpoint uses the phase.
    async fn delete_phase(&self, key: &str, actor: &str) -> Result<()>;

    /// Touchpoints matching the filter, ordered by name.
    async fn list_touchpoints(&self, filter: &TouchpointFilter) -> Result<Vec<Touchpoint>>;
    async fn touchpoint(&self, id: i64) -> Result<Touchpoint>;
    async fn create_touchpoint(&self, fields: &TouchpointFields, actor: &str)
    -> Result<Touchpoint>;
    /// Replaces the content of a touchpoint; records the changed fields in its history.
    async fn update_touchpoint(
        &self,
        id: i64,
        fields: &TouchpointFields,
        actor: &str,
    ) -> Result<Touchpoint>;
    /// Sets the status to retired; the touchpoint stays in the inventory and its history.
    async fn retire_touchpoint(&self, id: i64, actor: &str) -> Result<Touchpoint>;
    /// Removes the touchpoint; its history stays, ending with the deletion.
    async fn delete_touchpoint(&self, id: i64, actor: &str) -> Result<()>;
    /// The history of a touchpoint, newest first; also for a deleted one.
    async fn history(&self, id: i64) -> Result<Vec<HistoryEntry>>;

    /// Writes everything or nothing; see [`Import`].
    async fn import(&self, import: &Import, actor: &str) -> Result<ImportSummary>;
}

/// A staff account to create, with its password already hashed.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// A PHC string (argon2); empty for an account that logs in by link only.
    pub password_hash: String,
}

/// Staff accounts, their sessions and one-time login links, and API tokens. Secrets are
/// handed in and looked up only as hashes.
#[async_trait]
pub trait Accounts: Send + Sync + 'static {
    async fn count_users(&self) -> Result<u64>;
    /// Fails with a conflict on a user name already taken.
    async fn create_user(&self, account: &NewAccount, actor: &str) -> Result<User>;
    async fn users(&self) -> Result<Vec<User>>;
    /// The account and its password hash, for a login; `None` for an unknown name.
    async fn credentials(&self, username: &str) -> Result<Option<(User, String)>>;
    /// Refuses to take the admin role from the last active admin.
    async fn set_role(&self, username: &str, role: Role, actor: &str) -> Result<User>;
    /// Ends every session of the account.
    async fn set_password(&self, username: &str, password_hash: &str, actor: &str) -> Result<()>;
    /// Disabling ends every session; refuses to disable the last active admin.
    async fn set_disabled(&self, username: &str, disabled: bool, actor: &str) -> Result<User>;

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: Timestamp,
    ) -> Result<()>;
    /// The account of a live session; `None` if unknown, expired or the account disabled.
    async fn session_user(&self, token_hash: &str, now: Timestamp) -> Result<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    /// A new login link for the account; it voids the account's earlier links, so a link
    /// printed again (each `serve --demo`) leaves only the newest one usable.
    async fn create_login_link(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: Timestamp,
    ) -> Result<()>;
    /// Uses up a login link: the account it logs in, once; `None` if unknown or expired.
    async fn take_login_link(&self, token_hash: &str, now: Timestamp) -> Result<Option<User>>;

    async fn create_api_token(
        &self,
        name: &str,
        token_hash: &str,
        scope: Scope,
        actor: &str,
    ) -> Result<ApiToken>;
    async fn api_tokens(&self) -> Result<Vec<ApiToken>>;
    /// The live token with this hash, noting its use; `None` if unknown or revoked.
    async fn use_api_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<ApiToken>>;
    async fn revoke_api_token(&self, id: i64, actor: &str) -> Result<ApiToken>;
}

/// The audit log. Writes of the other parts record themselves; this records events that
/// write nothing else (a login, a failed login, an export) and reads the log.
#[async_trait]
pub trait AuditLog: Send + Sync + 'static {
    /// Records a change; `said` is its account in the catalogue's words where the summary is
    /// more than names and values.
    async fn record(
        &self,
        actor: &str,
        action: &str,
        entity: &str,
        entity_id: &str,
        summary: &str,
        said: Option<&touchpoints_core::audit::Said>,
    ) -> Result<()>;
    /// Matching entries, newest first, at most `limit`.
    async fn audit_log(&self, filter: &AuditFilter, limit: u32) -> Result<Vec<AuditEntry>>;
}

/// Keys the product keeps for itself, such as the one that signs personalised survey links.
/// A key is made once, on first use, and every app server on the database gets the same.
/// Keys hold no personal data and are part of no export; nothing logs them.
#[async_trait]
pub trait Keys: Send + Sync + 'static {
    /// The key of this name. The first call stores `candidate` (a fresh random secret) as
    /// the key; every later call, and every call racing with it from any app server, gets
    /// the key that was stored first.
    async fn key(&self, name: &str, candidate: &str) -> Result<String>;
}

/// What a window's count says after a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hits {
    /// Hits in the current window, the one just counted included.
    pub count: u64,
    /// When the current window ends and counting starts again from nothing.
    pub window_ends: Timestamp,
}

/// Counts of hits (login attempts, requests) per subject in fixed windows, kept in the
/// database so that every app server on it counts against the same limit: with N servers an
/// account still gets its five attempts a minute, not 5 × N.
///
/// A subject is what the caller counts by, such as a client address. It is stored as given:
/// callers pass a keyed digest of personal data, never the data itself. Counts are no staff
/// writes and go to no audit log; a window that has ended counts nothing, and
/// [`Throttles::purge_throttles`] deletes its row.
#[async_trait]
pub trait Throttles: Send + Sync + 'static {
    /// Whether other app servers may count on this database too (PostgreSQL). SQLite's
    /// database belongs to one server, whose memory then holds the whole count.
    fn counts_shared(&self) -> bool;

    /// Counts one hit of `subject` under `kind`, atomically on any number of app servers,
    /// and returns the window's count. A window begins with the first hit after the last
    /// one ended and lasts `window`; the hit that reaches `limit` begins the window anew, so
    /// that what comes past the limit waits a whole window after it.
    async fn hit(
        &self,
        kind: &str,
        subject: &str,
        limit: u64,
        window: jiff::SignedDuration,
        now: Timestamp,
    ) -> Result<Hits>;

    /// Takes back one hit of the window that is current at `now`, such as a login attempt
    /// that succeeded; nothing when the window has ended.
    async fn forgive(&self, kind: &str, subject: &str, now: Timestamp) -> Result<()>;

    /// Deletes the counts whose window ended at `now` or before; returns how many.
    async fn purge_throttles(&self, now: Timestamp) -> Result<u64>;
}

/// Turns at the background tasks of app servers sharing a database, so that each periodic
/// task runs on one server at a time. A turn is held until a moment; the holder renews it
/// each round, and once it has ended (the holder stopped or died) the next server to ask
/// takes it.
#[async_trait]
pub trait Turns: Send + Sync + 'static {
    /// Takes or renews `task`'s turn for `holder` until `until`, unless another holder's
    /// turn runs at `now`; returns whether `holder` has the turn. One statement, atomic on
    /// any number of servers: of servers asking at once, one gets the turn.
    async fn take_turn(
        &self,
        task: &str,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool>;
}

/// A change announced to every app server on the database: the request changed (0 for a
/// change of many) and what happened to it (`intake`, `reply`, `rules`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub request_id: i64,
    pub what: String,
}

/// Changes announced to every app server on the database, so that pages following the queue
/// on any of them hear of a change made through another. On PostgreSQL an announcement is a
/// notification that every server following the database hears, the announcing one included;
/// SQLite has one process per database and nothing to follow, so its servers keep their
/// changes to themselves.
#[async_trait]
pub trait Announcements: Send + Sync + 'static {
    /// Announces changes, in their order, to every follower of the database (none on
    /// SQLite); announcing several at once costs one round trip and one commit.
    async fn announce(&self, announcements: &[Announcement]) -> Result<()>;
    /// The announcements of every app server on the database, this one included, from now
    /// on; `None` when the backend has no followers to tell (SQLite). A lost connection is
    /// logged and made again, and reported as an announcement of `resync` for request 0,
    /// as what was announced meanwhile is lost. The following stops when the receiver is
    /// dropped.
    async fn follow(&self) -> Result<Option<tokio::sync::mpsc::Receiver<Announcement>>>;
}

/// What an erasure did, per place that held personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Erasure {
    /// (place, records deleted or anonymised)
    pub places: Vec<(String, u64)>,
}

/// Data-protection requests over every place that holds personal data. Each store of
/// personal data registers itself in the backend's list of places, so that export and
/// erasure reach it without anyone remembering to.
///
/// A customer may be named by any identifier their profile holds (e-mail address, phone
/// number, customer number, device id, social handle, in any spelling): the subject resolves
/// to that profile and the profiles merged with it, and every place is searched for every
/// identifier and name those hold, so that answers and events stored under the customer
/// number are found by the e-mail address too. A customer reference or a name that no
/// profile holds finds the answers, events and interactions stored under it.
#[async_trait]
pub trait PersonalData: Send + Sync + 'static {
    /// Everything held about the subject, by place (DSGVO Art. 15), read from one snapshot.
    async fn export_personal_data(&self, subject: &Subject) -> Result<serde_json::Value>;
    /// Deletes or anonymises the subject everywhere in one transaction, keeps aggregate
    /// counts (answers and events stay, anonymised, so the KPIs of the past do not change),
    /// and records the erasure in the audit log (DSGVO Art. 17). `NotFound` when no place
    /// held anything about the subject; then nothing is recorded.
    async fn erase_personal_data(&self, subject: &Subject, actor: &str) -> Result<Erasure>;
}

/// A text of the content library as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredContent {
    pub id: i64,
    #[serde(flatten)]
    pub fields: ContentFields,
    pub updated_at: Timestamp,
}

impl StoredContent {
    /// The text as the checker reads it, named by its place in the library.
    pub fn to_checked(&self) -> touchpoints_core::consistency::Content {
        touchpoints_core::consistency::Content {
            source: format!("content/{}", self.id),
            title: self.fields.title.clone(),
            channel: self.fields.channel.clone(),
            text: self.fields.body.clone(),
        }
    }
}

/// A finding of the checker as documented: its status and when it was seen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredFinding {
    pub id: i64,
    pub fingerprint: String,
    pub finding: Finding,
    pub status: FindingStatus,
    pub status_by: Option<String>,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    /// Found by the latest run of the checker.
    pub current: bool,
}

/// What the consistency checker works with: the guideline, the content library, and the
/// documented findings with their status. Every write is recorded in the audit log in the
/// same transaction.
#[async_trait]
pub trait Library: Send + Sync + 'static {
    /// The guideline; an empty one before anyone wrote it.
    async fn guideline(&self) -> Result<Guideline>;
    /// Replaces the guideline (stored as one JSON document); audit `guideline.put` with a
    /// summary "N facts".
    async fn put_guideline(&self, guideline: &Guideline, actor: &str) -> Result<()>;

    /// Every text, by title without case (then by id).
    async fn contents(&self) -> Result<Vec<StoredContent>>;
    async fn content(&self, id: i64) -> Result<StoredContent>;
    /// Inserts (`id` None) or replaces (`id` Some; `NotFound` if missing) a text. An unknown
    /// channel key is invalid input naming `channel`, an unknown touchpoint id one naming
    /// `touchpoint_id`. Audit `content.create` / `content.update`.
    async fn put_content(
        &self,
        id: Option<i64>,
        fields: &ContentFields,
        actor: &str,
    ) -> Result<StoredContent>;
    /// Audit `content.delete`.
    async fn delete_content(&self, id: i64, actor: &str) -> Result<()>;

    /// Records the findings of one full run of the checker, in one transaction: a finding
    /// whose fingerprint ([`Finding::fingerprint`]) is known is updated (message, places,
    /// last seen now, current; a fixed one found again opens again, audit `finding.reopen`);
    /// a new one is inserted as open; every other stored finding becomes not current.
    /// Returns all stored findings (current first, then by kind, rule and id).
    async fn sync_findings(&self, findings: &[Finding], actor: &str) -> Result<Vec<StoredFinding>>;
    /// All stored findings, in the order of [`Library::sync_findings`].
    async fn findings(&self) -> Result<Vec<StoredFinding>>;
    /// Audit `finding.status` with "open → accepted" as summary.
    async fn set_finding_status(
        &self,
        id: i64,
        status: FindingStatus,
        actor: &str,
    ) -> Result<StoredFinding>;
}

/// A service standard as written: the do or don't, whether it is mandatory, where it applies
/// (a touchpoint, a channel, or everywhere when both are empty) and what makes it measurable.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StandardFields {
    pub title: String,
    pub text: String,
    pub mandatory: bool,
    pub touchpoint_id: Option<i64>,
    pub channel: Option<String>,
    pub measure: Option<Measure>,
}

/// A standard as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredStandard {
    pub id: i64,
    #[serde(flatten)]
    pub fields: StandardFields,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl StoredStandard {
    /// The standard as the core's engine judges it.
    pub fn to_standard(&self) -> Standard {
        Standard {
            id: self.id,
            title: self.fields.title.clone(),
            text: self.fields.text.clone(),
            mandatory: self.fields.mandatory,
            touchpoint: self.fields.touchpoint_id,
            channel: self.fields.channel.clone(),
            measure: self.fields.measure.clone(),
        }
    }
}

/// Whether a story shows how to do it or how not to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Example {
    Good,
    Bad,
}

impl Example {
    pub const ALL: [Example; 2] = [Example::Good, Example::Bad];

    pub fn as_str(self) -> &'static str {
        match self {
            Example::Good => "good",
            Example::Bad => "bad",
        }
    }

    pub fn parse(text: &str) -> Option<Example> {
        Example::ALL.into_iter().find(|e| e.as_str() == text)
    }
}

/// A story from a touchpoint, told as a good or bad example of a standard.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoryFields {
    pub touchpoint_id: i64,
    pub title: String,
    pub text: String,
    pub example: Example,
    pub standard_id: Option<i64>,
}

/// A story as stored, with who told it and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredStory {
    pub id: i64,
    #[serde(flatten)]
    pub fields: StoryFields,
    pub created_by: String,
    pub created_at: Timestamp,
}

/// One recorded interaction to store; `external_id` identifies it in the system it came
/// from, so that importing it again updates it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InteractionInput {
    pub external_id: Option<String>,
    pub touchpoint_id: Option<i64>,
    pub channel: String,
    pub customer_name: Option<String>,
    pub received_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub reply: String,
}

/// An interaction as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredInteraction {
    pub external_id: Option<String>,
    #[serde(flatten)]
    pub interaction: Interaction,
}

/// Service standards, the stories that illustrate them and the interactions they are judged
/// by. Every write is recorded in the audit log in the same transaction.
#[async_trait]
pub trait Standards: Send + Sync + 'static {
    /// Every standard, by title without case (then by id).
    async fn standards(&self) -> Result<Vec<StoredStandard>>;
    /// An unknown channel is invalid input naming `channel`, an unknown touchpoint one
    /// naming `touchpoint_id`. Audit `standard.create`.
    async fn create_standard(&self, fields: &StandardFields, actor: &str)
    -> Result<StoredStandard>;
    /// `NotFound` if missing; references as for create. Audit `standard.update`.
    async fn update_standard(
        &self,
        id: i64,
        fields: &StandardFields,
        actor: &str,
    ) -> Result<StoredStandard>;
    /// Stories that illustrated it stay, without a standard. Audit `standard.delete`.
    async fn delete_standard(&self, id: i64, actor: &str) -> Result<()>;

    /// Every story, newest first.
    async fn stories(&self) -> Result<Vec<StoredStory>>;
    /// `created_by` is the actor. An unknown touchpoint is invalid input naming
    /// `touchpoint_id`, an unknown standard one naming `standard_id`. Audit `story.create`.
    async fn create_story(&self, fields: &StoryFields, actor: &str) -> Result<StoredStory>;
    /// Audit `story.delete`.
    async fn delete_story(&self, id: i64, actor: &str) -> Result<()>;

    /// Records interactions in one transaction, all or none: one with a known `external_id`
    /// is updated, the others inserted. Unknown channels and touchpoints are invalid input
    /// naming `[row].channel` / `[row].touchpoint_id` (rows from 0). Audit
    /// `interactions.import` with "N interactions".
    async fn record_interactions(
        &self,
        interactions: &[InteractionInput],
        actor: &str,
    ) -> Result<ImportSummary>;
    /// The interactions received from `from` (inclusive) until `until` (exclusive), oldest
    /// first.
    async fn interactions(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<StoredInteraction>>;
}

/// A customer profile as stored, with the identifiers that find it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerProfile {
    pub id: i64,
    #[serde(flatten)]
    pub fields: CustomerFields,
    pub identifiers: Vec<Identifier>,
    /// Set once the profile was merged into another; it then holds nothing of its own.
    pub merged_into: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// One merge of two profiles, kept so that an admin can undo it exactly.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeRecord {
    pub id: i64,
    pub survivor_id: i64,
    pub absorbed_id: i64,
    /// What caused it: the shared identifier, or "by hand".
    pub reason: String,
    pub actor: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub undone_at: Option<Timestamp>,
    pub undone_by: Option<String>,
}

/// Customer profiles and identity resolution. Every write is one transaction with its audit
/// entry; merges are recorded as [`MergeRecord`]s.
#[async_trait]
pub trait Customers: Send + Sync + 'static {
    /// The profile, also one merged into another (see `merged_into`).
    async fn customer(&self, id: i64) -> Result<CustomerProfile>;
    /// The profiles of many ids at once, each once and in ascending id order, with one query
    /// whatever the count; like [`Customers::customer`] also those merged into another.
    /// Duplicates are read once; an unknown id is simply absent from the result.
    async fn customers_by_id(&self, ids: &[i64]) -> Result<Vec<CustomerProfile>>;
    /// The live profile an identifier (in normal form) belongs to.
    async fn find_customer(&self, identifier: &Identifier) -> Result<Option<CustomerProfile>>;
    /// Live profiles whose name or identifier contains `search` (without case), newest
    /// first, at most `limit`.
    async fn customers(&self, search: &str, limit: u32) -> Result<Vec<CustomerProfile>>;
    /// Creates a profile with identifiers; identifiers of other profiles merge them into
    /// one (the oldest survives), as for a request. Audit `customer.create`.
    async fn create_customer(
        &self,
        fields: &CustomerFields,
        identifiers: &[Identifier],
        actor: &str,
    ) -> Result<CustomerProfile>;
    /// Replaces the fields of a live profile. Audit `customer.update`.
    async fn update_customer(
        &self,
        id: i64,
        fields: &CustomerFields,
        actor: &str,
    ) -> Result<CustomerProfile>;
    /// Adds identifiers to a live profile; one that belongs to another profile merges the
    /// two (the older survives). Returns the surviving profile.
    async fn add_identifiers(
        &self,
        id: i64,
        identifiers: &[Identifier],
        actor: &str,
    ) -> Result<CustomerProfile>;
    /// Merges two live profiles by hand: the older survives. Audit `customer.merge`.
    async fn merge_customers(&self, a: i64, b: i64, actor: &str) -> Result<MergeRecord>;
    /// The merges a profile took part in, newest first.
    async fn merges(&self, customer_id: i64) -> Result<Vec<MergeRecord>>;
    /// The newest purchase recorded under each of `refs` (as customer events name customers:
    /// by a customer number or e-mail address, as written) that has one: when, and the amount
    /// in cents. One query for any number of references.
    async fn last_purchases(
        &self,
        refs: &[String],
    ) -> Result<std::collections::HashMap<String, (Timestamp, i64)>>;
    /// Undoes a merge: both profiles get back their fields, and the absorbed one its
    /// identifiers and requests as they were at the merge. A merge into the survivor made
    /// later must be undone first (conflict naming `merge`). Audit `customer.unmerge`.
    async fn unmerge(&self, merge_id: i64, actor: &str) -> Result<MergeRecord>;
}

/// A customer request as stored, with its place in the queue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredRequest {
    pub id: i64,
    pub external_id: Option<String>,
    pub channel: String,
    pub touchpoint_id: Option<i64>,
    pub source: String,
    pub customer_id: Option<i64>,
    pub customer_name: String,
    pub subject: String,
    pub body: String,
    pub language: String,
    pub priority: Priority,
    pub status: RequestStatus,
    pub assignee: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub received_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub first_response_at: Option<Timestamp>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub resolved_at: Option<Timestamp>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub first_response_due: Option<Timestamp>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub resolution_due: Option<Timestamp>,
    /// The target that is next: first response until there is one, then resolution.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub next_due: Option<Timestamp>,
    /// The SLA clock stopped at these times (waiting for the customer); `until` is empty
    /// while the wait lasts.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<(String, Option<String>)>))]
    pub pauses: Vec<(Timestamp, Option<Timestamp>)>,
    /// The time-independent part of the priority score.
    pub static_points: f64,
    /// The queue's order: higher first; see the core's priority module.
    pub rank_key: i64,
    pub earlier_contacts: i64,
    /// The survey answer a follow-up request was opened for (closed-loop feedback).
    pub response_id: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// A step on a request after it came in: a reply, a note, or an event (assigned, resolved…).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestMessage {
    pub id: i64,
    pub request_id: i64,
    /// `reply`, `note`, the action of an event (`assign`, `wait`, `resolve`, …), or
    /// `customer` for what the customer wrote after the request arrived (in a chat).
    pub kind: String,
    pub author: String,
    pub body: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
}

/// What intake did with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IntakeOutcome {
    pub id: i64,
    pub customer_id: Option<i64>,
    /// False for a retry of a request already stored (same external id and content).
    pub created: bool,
}

/// Whose requests a queue shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum QueueView {
    /// Assigned to this user.
    Mine(String),
    /// Assigned to nobody: the team's to take.
    Team,
    #[default]
    All,
}

/// Which requests a queue lists.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueFilter {
    pub view: QueueView,
    pub channel: Option<String>,
    pub touchpoint_id: Option<i64>,
    /// `None`: open and waiting ones.
    pub status: Option<RequestStatus>,
    /// Only those whose next target is due before this instant (at risk, breached).
    pub due_before: Option<Timestamp>,
    /// Only those whose next target is due at or after this instant (at risk, not yet
    /// breached).
    pub due_from: Option<Timestamp>,
    pub limit: u32,
}

/// A mapping from where a request arrived to its touchpoint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceMapping {
    pub channel: String,
    /// A mailbox, hotline number, store… as integrations send it in `source`; compared
    /// without case.
    pub source: String,
    pub touchpoint_id: i64,
}

/// The queue's settings: the organisation's calendar (JSON of the core's calendar input),
/// the priority weights and the options.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QueueSettings {
    pub calendar: Calendar,
    pub weights: Weights,
    pub options: QueueOptions,
}

/// Customer requests from every channel, the queue they wait in, the SLA policies that set
/// their targets and the settings that rank them. Every write is one transaction with its
/// audit entry.
#[async_trait]
pub trait Requests: Send + Sync + 'static {
    /// Stores requests all or nothing, each joined to the customer profile its identifiers
    /// find (profiles they link merge, the oldest surviving). A request whose external id
    /// is stored is a retry: with the same content it is reported with `created` false;
    /// otherwise a conflict naming `[i].field`. Unknown touchpoints are invalid input naming
    /// `[i].touchpoint_id`. Audit `requests.intake`.
    async fn intake(&self, requests: &[NewRequest], actor: &str) -> Result<Vec<IntakeOutcome>>;
    async fn request(&self, id: i64) -> Result<StoredRequest>;
    /// The steps on a request, oldest first.
    async fn request_messages(&self, id: i64) -> Result<Vec<RequestMessage>>;
    /// The queue: open (or the given status) requests in priority order.
    async fn queue(&self, filter: &QueueFilter) -> Result<Vec<StoredRequest>>;
    /// Counts of open requests per view: (mine, team, all).
    async fn queue_counts(&self, user: &str) -> Result<(u64, u64, u64)>;
    /// A customer's requests (of every channel), newest first.
    async fn customer_requests(&self, customer_id: i64) -> Result<Vec<StoredRequest>>;
    /// An agent's step. Conflict naming `status` when the request's status forbids it;
    /// invalid naming `to` for an unknown user. Audit `request.ACTION`.
    async fn act(&self, id: i64, action: &RequestAction, actor: &str) -> Result<StoredRequest> {
        self.act_with(id, action, actor, &StepWith::default()).await
    }
    /// [`Requests::act`] with what goes with the step in its transaction: a note for the
    /// audit entry, a mail for the outbox.
    async fn act_with(
        &self,
        id: i64,
        action: &RequestAction,
        actor: &str,
        with: &StepWith,
    ) -> Result<StoredRequest>;
    /// The replies written from `from` until `until` (by when they were written), oldest
    /// first, each with its request's touchpoint, channel and customer.
    async fn replies(&self, from: Timestamp, until: Timestamp) -> Result<Vec<ReplyRecord>>;
    /// The requests received from `from` until `until`, for the statistics.
    async fn response_records(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<ResponseRecord>>;
    /// The requests at `touchpoint_ids` received from `from` until `until`: what
    /// [`Requests::response_records`] gives for them, found through the touchpoints' index.
    async fn touchpoint_response_records(
        &self,
        touchpoint_ids: &[i64],
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<ResponseRecord>>;
    /// Per touchpoint, of the requests received from `from` until `until`: how many have a
    /// first-response target decided at `now` (answered, or unanswered past it; see
    /// `touchpoints_core::queue_stats::met`) and how many of those missed it. Touchpoints
    /// without such a request are left out.
    async fn first_response_targets(
        &self,
        from: Timestamp,
        until: Timestamp,
        now: Timestamp,
    ) -> Result<std::collections::HashMap<i64, TargetCount>>;

    async fn sla_policies(&self) -> Result<Vec<SlaPolicy>>;
    /// Inserts or replaces the policy of its channel and priority, and plans the open
    /// requests anew. Audit `sla_policy.put`.
    async fn put_sla_policy(&self, policy: &SlaPolicy, actor: &str) -> Result<()>;
    async fn delete_sla_policy(&self, channel: &str, priority: Priority, actor: &str)
    -> Result<()>;

    async fn source_mappings(&self) -> Result<Vec<SourceMapping>>;
    async fn put_source_mapping(&self, mapping: &SourceMapping, actor: &str) -> Result<()>;
    async fn delete_source_mapping(&self, channel: &str, source: &str, actor: &str) -> Result<()>;

    async fn queue_settings(&self) -> Result<QueueSettings>;
    /// Stores the calendar and plans every open request anew. Audit `calendar.put`.
    async fn put_calendar(&self, calendar: &Calendar, actor: &str) -> Result<()>;
    /// Stores the weights and ranks every open request anew. Audit `weights.put`.
    async fn put_weights(&self, weights: &Weights, actor: &str) -> Result<()>;
    async fn put_queue_options(&self, options: &QueueOptions, actor: &str) -> Result<()>;
}

/// A survey as stored, with the short code of its public page (`/s/{slug}`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredSurvey {
    pub id: i64,
    pub slug: String,
    #[serde(flatten)]
    pub fields: SurveyFields,
    /// Answers recorded through this survey.
    pub responses: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An answer as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredResponse {
    pub id: i64,
    #[serde(flatten)]
    pub fields: ResponseFields,
}

/// Which answers to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseFilter {
    pub touchpoint_id: Option<i64>,
    pub survey_id: Option<i64>,
    /// Only answers that name this request.
    pub request_id: Option<i64>,
    /// Only answers with a comment.
    pub with_comment: bool,
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Scores from `min_score` to `max_score`, both included.
    pub min_score: Option<u8>,
    pub max_score: Option<u8>,
    /// Only answers whose comment contains this text, regardless of case (of ASCII letters
    /// on SQLite).
    pub search: Option<String>,
}

/// The counts of one metric's answers to requests of one assignee, per touchpoint of the
/// answers: what the dashboard's scores per agent and per team merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssigneeTally {
    /// The user name the request is assigned to; `None` for a request nobody holds.
    pub assignee: Option<String>,
    /// The touchpoint the answer is about (whose owner is the team).
    pub touchpoint_id: i64,
    pub metric: touchpoints_core::kpi::Metric,
    pub tally: touchpoints_core::kpi::Tally,
}

/// The roll-up a dashboard query reads: days, weeks (keyed by their Monday) or months (keyed
/// by their first day; quarter and year views read months).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Day,
    Week,
    Month,
}

/// The windows a metric's report compares: its own from `from` until `until`, and the one
/// before it from `previous_from` until `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportWindow {
    pub previous_from: jiff::civil::Date,
    pub from: jiff::civil::Date,
    pub until: jiff::civil::Date,
}

/// What a metric's report reads from the roll-ups, in one statement.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportTallies {
    /// Every metric by bucket over both windows, over all touchpoints and channels (the
    /// rows carry touchpoint 0 and channel ""): what tiles and trends need, one row per
    /// period however many places there are.
    pub buckets: Vec<TallyRow>,
    /// The metric by place in the report's window, as [`Surveys::tallies_by_place`] reads it.
    pub current: Vec<TallyRow>,
    /// The same for the window before.
    pub previous: Vec<TallyRow>,
    /// The touchpoints' names by id, if asked for; empty otherwise.
    pub names: std::collections::HashMap<i64, String>,
}

/// The customer base's changes and the revenue of one day of the organisation's calendar.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CustomerDay {
    pub day: jiff::civil::Date,
    pub gained: i64,
    pub lost: i64,
    pub revenue_cents: i64,
    pub purchases: i64,
}

/// The time zone the organisation's days, weeks and months are counted in until an admin
/// sets another.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Berlin";

/// Surveys, their answers and customer events, with the roll-ups that dashboards read
/// instead of scanning answers: counts per score by metric, day (and month), touchpoint and
/// channel; customers gained and lost and revenue per day. The roll-ups change in the same
/// transaction as what they count, so they are never behind.
#[async_trait]
pub trait Surveys: Send + Sync + 'static {
    /// Every survey, by touchpoint, metric and id.
    async fn surveys(&self) -> Result<Vec<StoredSurvey>>;
    async fn survey(&self, id: i64) -> Result<StoredSurvey>;
    async fn survey_by_slug(&self, slug: &str) -> Result<StoredSurvey>;
    /// The surveys with an answer at or after `since`, by id: a seek per survey.
    async fn surveys_answered_since(&self, since: Timestamp) -> Result<BTreeSet<i64>>;
    /// An unknown touchpoint or channel is invalid input naming `touchpoint_id` / `channel`;
    /// a slug already taken is a conflict naming `slug`. Audit `survey.create`.
    async fn create_survey(
        &self,
        slug: &str,
        fields: &SurveyFields,
        actor: &str,
    ) -> Result<StoredSurvey>;
    /// Audit `survey.update`.
    async fn update_survey(
        &self,
        id: i64,
        fields: &SurveyFields,
        actor: &str,
    ) -> Result<StoredSurvey>;
    /// Its answers stay, without a survey. Audit `survey.delete`.
    async fn delete_survey(&self, id: i64, actor: &str) -> Result<()>;

    /// Stores answers, all or none, and counts them into the roll-ups in the same
    /// transaction. An answer whose `external_id` is already stored (or repeated in the
    /// batch) is skipped and counted as unchanged, so a retried delivery changes nothing.
    /// Unknown touchpoints, surveys, requests and channels are invalid input naming
    /// `[row].touchpoint_id` etc. (rows from 0). An answer naming a request is recorded under
    /// the request's channel unless it names its own. A fresh answer that opens a follow-up
    /// (`touchpoints_core::follow_up`) opens it here, through the intake and its planning, in
    /// the same transaction, linked by the request's `response_id`, with audit
    /// `request.follow_up` naming the answer; a retried answer opens none. `actor` is `None` for the public survey page,
    /// whose answers are data rather than staff changes and are not audited one by one;
    /// otherwise audit `responses.import` with "N answers".
    async fn record_responses(
        &self,
        responses: &[ResponseFields],
        actor: Option<&str>,
    ) -> Result<ImportSummary>;
    /// One answer. `NotFound` when there is none.
    async fn response(&self, id: i64) -> Result<StoredResponse>;
    /// Matching answers, newest first, at most `limit`.
    async fn responses(&self, filter: &ResponseFilter, limit: u32) -> Result<Vec<StoredResponse>>;
    /// How many answers the filter finds, per score that has any, lowest score first.
    async fn score_counts(&self, filter: &ResponseFilter) -> Result<Vec<(u8, u64)>>;
    /// Every answer in the order stored, a page at a time: those with an id above
    /// `after_id`, at most `limit`. For exports of any size.
    async fn response_page(&self, after_id: i64, limit: u32) -> Result<Vec<StoredResponse>>;
    /// Customer events with their ids, like [`Surveys::response_page`].
    async fn customer_event_page(
        &self,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<(i64, CustomerEventFields)>>;
    /// Roll-up rows of every metric with a bucket in `[from, until)`; months are keyed by
    /// their first day.
    async fn tallies(
        &self,
        resolution: Resolution,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
    ) -> Result<Vec<TallyRow>>;

    /// Roll-up counts of one metric with a bucket in `[from, until)` merged in the database by
    /// touchpoint and channel (the rows carry `from` as their bucket): what a breakdown needs.
    async fn tallies_by_place(
        &self,
        resolution: Resolution,
        metric: touchpoints_core::kpi::Metric,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
    ) -> Result<Vec<TallyRow>>;

    /// What a report of `metric` over `window` reads, every metric's totals by bucket over both
    /// windows and [`Surveys::tallies_by_place`] over each, with the touchpoints' names if
    /// `names`: one statement, so one round trip to the database, where separate reads would
    /// each wake a connection of their own.
    async fn report_tallies(
        &self,
        resolution: Resolution,
        metric: touchpoints_core::kpi::Metric,
        window: ReportWindow,
        names: bool,
    ) -> Result<ReportTallies>;

    /// Counts of the answers given in `[from, until)` that name a request, by the request's
    /// assignee as it is now, touchpoint and metric; one row per group with answers. Unlike
    /// the roll-ups this reads the answers themselves, through an index of those that name a
    /// request.
    async fn tallies_by_assignee(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<AssigneeTally>>;

    /// Stores customer events, all or none, and updates the customer base and revenue per day
    /// in the same transaction; events may arrive out of order. A known `external_id` is
    /// skipped. Audit `customer_events.import` with "N events".
    async fn record_customer_events(
        &self,
        events: &[CustomerEventFields],
        actor: &str,
    ) -> Result<ImportSummary>;
    /// Days in `[from, until)` on which something changed, in order.
    async fn customer_days(
        &self,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
    ) -> Result<Vec<CustomerDay>>;
    /// Customers in the customer base at the start of `day`.
    async fn customers_before(&self, day: jiff::civil::Date) -> Result<i64>;

    /// The IANA name of the organisation's time zone ([`DEFAULT_TIME_ZONE`] until set).
    async fn time_zone(&self) -> Result<String>;
    /// Sets the time zone and recounts every roll-up in it, in one transaction. An unknown
    /// zone is invalid input naming `time_zone`. Audit `settings.time_zone`.
    async fn set_time_zone(&self, name: &str, actor: &str) -> Result<()>;
    /// Recounts every roll-up from the answers and events themselves. Audit
    /// `rollups.rebuild`.
    async fn rebuild_rollups(&self, actor: &str) -> Result<()>;
}

/// An action of the plan as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredAction {
    pub id: i64,
    #[serde(flatten)]
    pub fields: ActionFields,
    pub status: ActionStatus,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// One change of an action's status, its creation included.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionStatusEntry {
    pub id: i64,
    pub action_id: i64,
    /// `None` for the status the action was created in.
    pub from: Option<ActionStatus>,
    pub to: ActionStatus,
    pub actor: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub note: String,
}

/// Requests whose first-response target is decided, and how many of them missed it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TargetCount {
    pub decided: u64,
    pub missed: u64,
}

/// Who used a set of touchpoints in a window, each customer counted once however many of
/// the touchpoints they used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TouchpointUsage {
    /// Requests received in the window.
    pub requests: u64,
    /// Customer profiles those requests came from.
    pub request_customers: u64,
    /// Answers given in the window.
    pub answers: u64,
    /// Customer references those answers carry (anonymous answers carry none).
    pub answer_customers: u64,
    /// Requests open or waiting when counted, whenever they came in.
    pub open_requests: u64,
}

/// The action plan: actions that optimise, launch or retire touchpoints, the touchpoints
/// and documented findings they concern, their budgets and the history of their status.
/// Every write is one transaction with its audit entry; a change of status is recorded in
/// the history in the same transaction.
#[async_trait]
pub trait Actions: Send + Sync + 'static {
    /// Every action, by id.
    async fn actions(&self) -> Result<Vec<StoredAction>>;
    async fn action(&self, id: i64) -> Result<StoredAction>;
    /// Stores a validated action in `status` and records that status in its history. An
    /// unknown touchpoint or finding is invalid input naming `touchpoint_ids[i]` or
    /// `finding_ids[i]` (the place in the ascending list), an owner who is no account or
    /// no active agent, manager or admin one naming `owner`. Audit `action.create`.
    async fn create_action(
        &self,
        fields: &ActionFields,
        status: ActionStatus,
        actor: &str,
    ) -> Result<StoredAction>;
    /// Stores new actions, each as [`Actions::create_action`] would, in one transaction:
    /// all or none. A problem is named by the action's place in `actions`
    /// (`actions[3].owner`). Audit `action.create` for each.
    async fn create_actions(
        &self,
        actions: &[(ActionFields, ActionStatus)],
        actor: &str,
    ) -> Result<Vec<StoredAction>>;
    /// Replaces an action's fields (`NotFound` if missing; references as for create). A
    /// `status` other than the stored one changes it as [`Actions::set_action_status`]
    /// does, without a note. Audit `action.update`.
    async fn update_action(
        &self,
        id: i64,
        fields: &ActionFields,
        status: Option<ActionStatus>,
        actor: &str,
    ) -> Result<StoredAction>;
    /// Moves an action to another status and records the change with its note. A status
    /// that may not follow the stored one ([`ActionStatus::may_become`]) is a conflict
    /// naming `status`; the stored status itself changes and records nothing. Audit
    /// `action.status` with "planned → in_progress" as summary.
    async fn set_action_status(
        &self,
        id: i64,
        change: &StatusChange,
        actor: &str,
    ) -> Result<StoredAction>;
    /// Deletes an action with its links, budgets and history. Audit `action.delete`.
    async fn delete_action(&self, id: i64, actor: &str) -> Result<()>;
    /// The changes of an action's status, newest first; `NotFound` for an unknown action.
    async fn action_history(&self, id: i64) -> Result<Vec<ActionStatusEntry>>;
    /// Who used any of `touchpoint_ids` from `from` until `until` (exclusive): requests and
    /// answers with their customers; and the requests open there now.
    async fn touchpoint_usage(
        &self,
        touchpoint_ids: &[i64],
        from: Timestamp,
        until: Timestamp,
    ) -> Result<TouchpointUsage>;
    /// Every contact, at any touchpoint from `from` until `until` (exclusive), of the
    /// customers who used any of `touchpoint_ids` then: requests counted per profile
    /// (`p<id>`), survey answers per customer reference (`r<reference>`), by touchpoint.
    async fn reliance_contacts(
        &self,
        touchpoint_ids: &[i64],
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<touchpoints_core::action_plan::Contacts>>;
    /// The contacts from `from` until `until` (exclusive) of the customer profiles `members`
    /// (their requests, and the answers under their identifiers): at any of `touchpoint_ids`,
    /// and in all.
    async fn members_contacts(
        &self,
        members: &[i64],
        touchpoint_ids: &[i64],
        from: Timestamp,
        until: Timestamp,
    ) -> Result<(u64, u64)>;
    /// The plan's settings: group and region weights, the quick-win rule and the score's
    /// weights; the defaults until a manager sets them.
    async fn plan_settings(&self) -> Result<touchpoints_core::action_plan::PlanSettings>;
    /// Replaces the plan's settings (validated by the caller). Audit `action_plan.settings`.
    async fn set_plan_settings(
        &self,
        settings: &touchpoints_core::action_plan::PlanSettings,
        actor: &str,
    ) -> Result<()>;
}

/// Where a database's schema stands against the migrations a build carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaState {
    /// Every migration the build carries is applied, and no other.
    Current,
    /// The first migration the build carries that is not applied, or failed half-way.
    Behind(i64),
    /// A migration applied that the build does not carry: a newer build migrated further.
    Ahead(i64),
}

/// Compares the versions a build carries with those the bookkeeping lists as (version,
/// applied successfully). A newer build's migration is named first: it is the likelier cause
/// of both at once, and the one an operator acts on (this server is the old one).
fn schema_state(carried: &[i64], applied: &[(i64, bool)]) -> SchemaState {
    if let Some(&(unknown, _)) = applied.iter().find(|(v, _)| !carried.contains(v)) {
        return SchemaState::Ahead(unknown);
    }
    match carried
        .iter()
        .find(|&&v| !applied.iter().any(|&(a, success)| a == v && success))
    {
        Some(&missing) => SchemaState::Behind(missing),
        None => SchemaState::Current,
    }
}

/// The migrations of one backend as (version, description, SQL), applied in order.
fn migrator(migrations: &[(i64, &'static str, &'static str)]) -> Migrator {
    Migrator::with_migrations(
        migrations
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    description.into(),
                    MigrationType::Simple,
                    SqlStr::from_static(sql),
                    false,
                )
            })
            .collect(),
    )
}

/// Stops a background task of a store when the last clone of the store is dropped.
#[derive(Debug)]
pub(crate) struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Opens the store a URL names and brings its schema up to date: `sqlite://PATH` (the file is
/// created if missing), `sqlite::memory:`, or `postgres://…` / `postgresql://…`.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::open(url).await?))
    } else {
        // The URL may hold a password: name only its scheme.
        let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
        Err(StoreError::Config(format!(
            "unsupported database URL scheme \"{scheme}\": use sqlite://FILE or postgres://…"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::{SchemaState, schema_state};

    #[test]
    fn a_schema_is_current_with_exactly_the_carried_migrations() {
        let carried = [1, 2, 3];
        assert_eq!(
            schema_state(&carried, &[(1, true), (2, true), (3, true)]),
            SchemaState::Current
        );
        assert_eq!(
            schema_state(&carried, &[(1, true), (3, true)]),
            SchemaState::Behind(2)
        );
        assert_eq!(
            schema_state(&carried, &[(1, true), (2, true), (3, false)]),
            SchemaState::Behind(3)
        );
        assert_eq!(schema_state(&carried, &[]), SchemaState::Behind(1));
        assert_eq!(
            schema_state(&carried, &[(1, true), (2, true), (3, true), (4, true)]),
            SchemaState::Ahead(4)
        );
        assert_eq!(
            schema_state(&carried, &[(1, true), (4, true)]),
            SchemaState::Ahead(4)
        );
    }
}

/// What goes with an agent's step, written in its transaction.
#[derive(Debug, Clone, Default)]
pub struct StepWith {
    /// Added to the audit entry's summary: why the step was taken as it was (a reply sent
    /// despite the guideline's findings).
    pub note: String,
    /// A mail to the request's customer, threaded after the request's mails; queued when a
    /// mail server is configured, else held (and never sent).
    pub mail: Option<NewMail>,
}

/// A mail a step sends, composed.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub kind: MailKind,
    pub recipient: String,
    pub composed: Composed,
}

/// A mail in the outbox: what goes to the customer, and where its sending stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMail {
    pub id: i64,
    /// The request the mail answers.
    pub request_id: Option<i64>,
    /// The step (reply, resolution) that wrote it.
    pub step_id: Option<i64>,
    pub kind: MailKind,
    pub recipient: String,
    pub sender: String,
    pub sender_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// The `Message-ID` header, the same on every try.
    pub message_id: String,
    /// The `Message-ID` this mail answers; empty for the first of a conversation.
    pub in_reply_to: String,
    /// The conversation's earlier `Message-ID`s, oldest first.
    pub references: Vec<String>,
    pub status: MailStatus,
    /// Tries so far, the one under way included.
    pub attempts: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub next_attempt_at: Timestamp,
    /// Why the last try failed or why it is not sent: `no-server`, `no-address`, or the mail
    /// server's words.
    pub last_error: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub sent_at: Option<Timestamp>,
    /// A campaign mail's one-click link that ends marketing mails (`List-Unsubscribe`);
    /// empty for other mails.
    pub unsubscribe: String,
}

/// Mails to customers. A step's mail (a reply, a resolution's survey) is queued by
/// [`Requests::act_with`] in the step's own transaction; the outbox worker claims due mails,
/// sends them and records how it went. A claim is a lease: a server that dies while sending leaves the mail to be claimed
/// again once the lease ends, with the same `Message-ID`.
#[async_trait]
pub trait Outbox: Send + Sync + 'static {
    /// The mail server, or `None` while none is configured.
    async fn mail_settings(&self) -> Result<Option<MailSettings>>;
    /// Audit `mail.settings`.
    async fn put_mail_settings(&self, settings: &MailSettings, actor: &str) -> Result<()>;
    /// Claims up to `limit` mails due at `now` (queued and due, or sending with an ended
    /// lease) until `lease_until`, counting the try. No two callers get the same mail.
    async fn claim_mails(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutboxMail>>;
    /// Records that the mail server accepted try number `attempt` of a claimed mail. False
    /// when that try is not the mail's current one: its lease ended and another server took
    /// the mail over, and that server's record counts.
    async fn mail_sent(&self, id: i64, attempt: i64, at: Timestamp) -> Result<bool>;
    /// Records that try number `attempt` failed: queued again for `retry_at`, or failed for
    /// good without one. False, and nothing changed, as for [`Outbox::mail_sent`].
    async fn mail_not_sent(
        &self,
        id: i64,
        attempt: i64,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<bool>;
    /// Queues a mail that failed for good to be tried again from `now`, its tries counted
    /// afresh: after an outage outlasted its tries, or once its address was put right at the
    /// mail server. A conflict naming `status` for a mail that did not fail or has no
    /// recipient. Audit `mail.retry`.
    async fn retry_mail(&self, id: i64, now: Timestamp, actor: &str) -> Result<()>;
    /// Queues every mail held while no mail server was configured, to be sent from `now`
    /// through the server configured since, from its sender; a campaign mail's unsubscribe
    /// link, written as a path, becomes absolute under the settings' public address. A
    /// conflict naming `settings` while none are configured, or `public_url` while held
    /// campaign mails need one. The number of mails released. Audit `mail.release`.
    async fn release_held_mails(&self, now: Timestamp, actor: &str) -> Result<u64>;
    /// The mails of a request, oldest first.
    async fn request_mails(&self, request_id: i64) -> Result<Vec<OutboxMail>>;
    /// When the customer's requests last sent them a survey, if ever.
    async fn last_survey_mail(&self, customer_id: i64) -> Result<Option<Timestamp>>;
    /// The newest `limit` mails, with the counts of all mails per status.
    async fn outbox(&self, limit: u32) -> Result<(Vec<OutboxMail>, Vec<(MailStatus, u64)>)>;
}

/// A message template as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredTemplate {
    pub id: i64,
    #[serde(flatten)]
    pub fields: touchpoints_core::message_template::TemplateFields,
    pub updated_at: Timestamp,
}

/// Message templates. The store keeps them as given: the application checks a template
/// before it is saved.
#[async_trait]
pub trait Templates: Send + Sync + 'static {
    /// Every template, by name without case, then language.
    async fn message_templates(&self) -> Result<Vec<StoredTemplate>>;
    async fn message_template(&self, id: i64) -> Result<StoredTemplate>;
    /// Inserts (`id` None) or replaces (`id` Some; `NotFound` if missing) a template. Audit
    /// `template.create` / `template.update`.
    async fn put_message_template(
        &self,
        id: Option<i64>,
        fields: &touchpoints_core::message_template::TemplateFields,
        actor: &str,
    ) -> Result<StoredTemplate>;
    /// A conflict naming `template_id` while campaigns use it. Audit `template.delete`.
    async fn delete_message_template(&self, id: i64, actor: &str) -> Result<()>;
}

/// A segment as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredSegment {
    pub id: i64,
    #[serde(flatten)]
    pub fields: touchpoints_core::segment::SegmentFields,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// A campaign as stored, with how far its mails have gone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredCampaign {
    pub id: i64,
    #[serde(flatten)]
    pub fields: touchpoints_core::campaign::CampaignFields,
    pub created_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    /// When it was first sent; `None` while it is a draft.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub sent_at: Option<Timestamp>,
    pub sent_by: Option<String>,
    /// Its recipients' mails per status.
    pub mails: Vec<(MailStatus, u64)>,
}

/// One customer's mail of a campaign, ready for the outbox.
#[derive(Debug, Clone)]
pub struct CampaignMailOut {
    pub customer_id: i64,
    pub recipient: String,
    pub composed: Composed,
    /// The customer's one-click link that ends marketing mails.
    pub unsubscribe: String,
}

/// What sending a campaign did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignSend {
    /// Mails written to the outbox now.
    pub queued: u64,
    /// Customers who had got the campaign before: nothing written for them.
    pub already: u64,
    /// Customers whose consent was withdrawn in the meantime: nothing written for them.
    pub without_consent: u64,
}

/// One recipient of a campaign and where their mail stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignRecipient {
    pub customer_id: i64,
    pub customer_name: String,
    pub recipient: String,
    pub status: MailStatus,
    /// Why it was not sent, when it was not.
    pub last_error: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub sent_at: Option<Timestamp>,
}

/// Segments of customers and the campaigns sent to them. The store keeps segments as the
/// application checked them; which customers a segment holds the application decides from
/// [`Campaigns::customer_facts`].
#[async_trait]
pub trait Campaigns: Send + Sync + 'static {
    /// Every segment, by name without case.
    async fn segments(&self) -> Result<Vec<StoredSegment>>;
    async fn segment(&self, id: i64) -> Result<StoredSegment>;
    /// Inserts (`id` None) or replaces a segment; a conflict naming `name` when another has
    /// its name. Audit `segment.create` / `segment.update`.
    async fn put_segment(
        &self,
        id: Option<i64>,
        fields: &touchpoints_core::segment::SegmentFields,
        actor: &str,
    ) -> Result<StoredSegment>;
    /// A conflict naming `segment_id` while campaigns use it. Audit `segment.delete`.
    async fn delete_segment(&self, id: i64, actor: &str) -> Result<()>;
    /// Every customer profile not merged into another, with what their requests and answers
    /// say of them.
    async fn customer_facts(&self) -> Result<Vec<touchpoints_core::segment::CustomerFacts>>;
    /// Every campaign, newest first.
    async fn campaigns(&self) -> Result<Vec<StoredCampaign>>;
    async fn campaign(&self, id: i64) -> Result<StoredCampaign>;
    /// A new campaign, a draft; an invalid input naming `segment_id` or `template_id` when
    /// that does not exist. Audit `campaign.create`.
    async fn create_campaign(
        &self,
        fields: &touchpoints_core::campaign::CampaignFields,
        actor: &str,
    ) -> Result<StoredCampaign>;
    /// Writes the campaign's mails to the outbox in one transaction, spread from `at` at the
    /// campaign's pace, each to a customer who has not had it and (read again here) still
    /// consents to marketing mails. Held, not queued, while no mail server is configured.
    /// Audit `campaign.send`.
    async fn send_campaign(
        &self,
        id: i64,
        mails: &[CampaignMailOut],
        actor: &str,
        at: Timestamp,
    ) -> Result<CampaignSend>;
    /// Queues a test of the campaign's mail to `mail.recipient`, outside its recipients.
    /// Audit `campaign.test`.
    async fn test_campaign(
        &self,
        id: i64,
        mail: &CampaignMailOut,
        actor: &str,
        at: Timestamp,
    ) -> Result<()>;
    /// The campaign's recipients, by name.
    async fn campaign_recipients(&self, id: i64) -> Result<Vec<CampaignRecipient>>;
    /// Withdraws the customer's consent to marketing mails, as their unsubscribe link of
    /// campaign `campaign_id` asks; false when it was withdrawn already. `NotFound` for a
    /// customer who is gone. Audit `customer.unsubscribe`.
    async fn unsubscribe(&self, customer_id: i64, campaign_id: i64) -> Result<bool>;
}

/// The chat widget of a touchpoint: where it may be embedded, and whether it answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChatWidget {
    pub touchpoint_id: i64,
    /// The web origins allowed to embed it: `https://shop.example` (scheme, host, port).
    pub origins: Vec<String>,
    pub enabled: bool,
}

/// A conversation the widget starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConversation {
    /// SHA-256 of the conversation's token, in hex.
    pub token_hash: String,
    pub touchpoint_id: i64,
    pub language: String,
    pub origin: String,
    pub at: Timestamp,
}

/// A chat conversation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConversation {
    pub id: i64,
    pub touchpoint_id: i64,
    pub language: String,
    pub origin: String,
    /// The request its handover opened.
    pub request_id: Option<i64>,
    /// How many of the bot's answers it holds.
    pub bot_answers: i64,
    /// How many messages the customer wrote.
    pub customer_messages: i64,
    /// The customer's rating, 1–5.
    pub rating: Option<i64>,
    /// Handed over while nobody was there, with an e-mail address: replies go by e-mail too.
    pub by_email: bool,
    pub started_at: Timestamp,
    /// The last message or change.
    pub updated_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

/// Who wrote a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatAuthor {
    Customer,
    Bot,
    Agent,
}

impl ChatAuthor {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatAuthor::Customer => "customer",
            ChatAuthor::Bot => "bot",
            ChatAuthor::Agent => "agent",
        }
    }

    pub fn parse(s: &str) -> Option<ChatAuthor> {
        match s {
            "customer" => Some(ChatAuthor::Customer),
            "bot" => Some(ChatAuthor::Bot),
            "agent" => Some(ChatAuthor::Agent),
            _ => None,
        }
    }
}

/// A message of a chat's transcript.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChatMessage {
    pub id: i64,
    pub author: ChatAuthor,
    /// The user who wrote an agent's message.
    #[serde(skip)]
    pub agent: Option<String>,
    pub body: String,
    /// What a bot's answer cites.
    pub source: Option<serde_json::Value>,
    pub at: Timestamp,
}

/// A message the customer or the bot adds to a conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct NewChatMessage {
    pub author: ChatAuthor,
    pub body: String,
    pub source: Option<serde_json::Value>,
}

/// The chat's figures over the conversations started in a span of time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChatFigures {
    pub conversations: u64,
    /// Conversations the customer asked something in.
    pub with_questions: u64,
    /// Conversations handed over to a person.
    pub handed_over: u64,
    /// Conversations with questions, answered by the bot and never handed over.
    pub answered_by_bot: u64,
}

/// The 24/7 chat: the widget's settings, conversations and their transcripts. A person's
/// messages are an agent's replies on the request a handover opened: the step that stores a
/// reply to a chat request adds it to the transcript in its transaction, and resolving the
/// request closes the conversation.
#[async_trait]
pub trait Chats: Send + Sync + 'static {
    async fn chat_widgets(&self) -> Result<Vec<ChatWidget>>;
    async fn chat_widget(&self, touchpoint_id: i64) -> Result<Option<ChatWidget>>;
    /// Inserts or replaces a touchpoint's widget; `NotFound` without the touchpoint. Audit
    /// `chat.widget`.
    async fn put_chat_widget(&self, widget: &ChatWidget, actor: &str) -> Result<()>;
    async fn start_chat(&self, new: &NewConversation) -> Result<StoredConversation>;
    async fn chat_by_token(&self, token_hash: &str) -> Result<Option<StoredConversation>>;
    async fn chat_of_request(&self, request_id: i64) -> Result<Option<StoredConversation>>;
    /// Adds the customer's and the bot's messages in one transaction. A customer's message
    /// to a conversation handed over is added to its request too, as the customer's.
    async fn add_chat_messages(
        &self,
        conversation_id: i64,
        messages: &[NewChatMessage],
        at: Timestamp,
    ) -> Result<Vec<ChatMessage>>;
    /// The transcript after message `after`, oldest first, at most `limit`.
    async fn chat_messages(
        &self,
        conversation_id: i64,
        after: i64,
        limit: u32,
    ) -> Result<Vec<ChatMessage>>;
    /// Links the request a handover opened, and whether its replies go by e-mail too; the
    /// first link stays.
    async fn link_chat_request(
        &self,
        conversation_id: i64,
        request_id: i64,
        by_email: bool,
        at: Timestamp,
    ) -> Result<StoredConversation>;
    /// Records the customer's rating (1–5); a second rating replaces the first.
    async fn rate_chat(&self, conversation_id: i64, rating: u8, at: Timestamp) -> Result<()>;
    /// The customer ended the conversation; nothing when it had ended.
    async fn close_chat(&self, conversation_id: i64, at: Timestamp) -> Result<()>;
    async fn chat_figures(&self, from: Timestamp, until: Timestamp) -> Result<ChatFigures>;
    /// Deletes the conversations started before `before` and their transcripts; the requests
    /// they opened stay. Audit `chat.purge` when any were deleted.
    async fn purge_chats(&self, before: Timestamp, actor: &str) -> Result<u64>;
}

/// One reply to a customer, for judging how it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRecord {
    pub request_id: i64,
    pub touchpoint_id: Option<i64>,
    pub channel: String,
    pub customer_id: Option<i64>,
    /// The name the request came with.
    pub customer_name: String,
    /// Who wrote it: a user name, or `token:NAME`.
    pub author: String,
    pub body: String,
    pub at: Timestamp,
}

/// A webhook subscription as stored, without its secret: that is shown once, when it is
/// created, and read again only by the sender.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookSubscription {
    pub id: i64,
    #[serde(flatten)]
    pub fields: SubscriptionFields,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    pub created_by: String,
}

/// One event's delivery to one subscription, as its log shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    pub id: i64,
    pub subscription_id: i64,
    /// The event's id, the same on every try and for every subscription: receivers dedupe
    /// by it.
    pub event_id: String,
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub status: DeliveryStatus,
    /// Tries so far, the one under way included.
    pub attempts: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub next_attempt_at: Timestamp,
    /// Why the last try failed; empty after a delivery.
    pub last_error: String,
    /// The receiver's HTTP status on the last try, when it answered.
    pub last_status: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub delivered_at: Option<Timestamp>,
}

/// A delivery a sender claimed: where it goes, what it sends, and the secret that signs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedDelivery {
    pub id: i64,
    pub subscription_id: i64,
    pub attempts: i64,
    pub url: String,
    pub allow_private: bool,
    pub secret: String,
    pub event_id: String,
    /// The JSON body, the same bytes on every try.
    pub body: String,
}

/// Outbound webhooks. The events of intake, resolution, answers and campaign sends are
/// written by those writes in their own transactions, with a delivery for each active
/// subscription that wants them; the webhook worker claims due deliveries (a lease, as for
/// mails), posts them and records how it went.
#[async_trait]
pub trait Webhooks: Send + Sync + 'static {
    /// Every subscription, oldest first.
    async fn webhooks(&self) -> Result<Vec<WebhookSubscription>>;
    async fn webhook(&self, id: i64) -> Result<WebhookSubscription>;
    /// Stores a subscription signed with `secret`. Audit `webhook.create`.
    async fn create_webhook(
        &self,
        fields: &SubscriptionFields,
        secret: &str,
        actor: &str,
    ) -> Result<WebhookSubscription>;
    /// Changes a subscription; its secret stays. Audit `webhook.update`.
    async fn update_webhook(
        &self,
        id: i64,
        fields: &SubscriptionFields,
        actor: &str,
    ) -> Result<WebhookSubscription>;
    /// Removes a subscription with its deliveries. Audit `webhook.delete`.
    async fn delete_webhook(&self, id: i64, actor: &str) -> Result<()>;
    /// Writes `event` for subscription `id` alone, whatever it subscribed to (a test event);
    /// returns the delivery's id.
    async fn queue_webhook_event(&self, id: i64, event: &Event, at: Timestamp) -> Result<i64>;
    /// Claims up to `limit` deliveries of active subscriptions due at `now` (queued and due,
    /// or sending with an ended lease) until `lease_until`, counting the try. No two callers
    /// get the same delivery.
    async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedDelivery>>;
    /// Records that try `attempt` was answered with a 2xx `status`. False when that try is no
    /// longer the delivery's current one (its lease ended and another server took it over).
    async fn delivered(&self, id: i64, attempt: i64, status: u16, at: Timestamp) -> Result<bool>;
    /// Records that try `attempt` failed: queued again for `retry_at`, or failed for good
    /// without one. False, and nothing changed, as for [`Webhooks::delivered`].
    async fn not_delivered(
        &self,
        id: i64,
        attempt: i64,
        error: &str,
        status: Option<u16>,
        retry_at: Option<Timestamp>,
    ) -> Result<bool>;
    /// The newest `limit` deliveries of subscription `id`, newest first.
    async fn deliveries(&self, id: i64, limit: u32) -> Result<Vec<WebhookDelivery>>;
    /// Deletes the events written before `before` whose every delivery is finished
    /// (delivered or failed for good), with those deliveries: the log's retention. Events
    /// still to be delivered stay however old. Returns how many events went.
    async fn purge_webhook_events(&self, before: Timestamp) -> Result<u64>;
}

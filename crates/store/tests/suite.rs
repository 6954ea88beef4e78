//! The store suite: every behaviour is one function on `&dyn Store`, run once on SQLite and
//! once on PostgreSQL.
//!
//! The PostgreSQL half needs a server the tests may create schemas in, named by
//! `TOUCHPOINTS_TEST_POSTGRES`: its tests are marked ignored, so a plain `cargo test` lists
//! them as ignored rather than passed, and `scripts/test` starts a throwaway server and runs
//! them with `--include-ignored`. Run without the variable, they fail.

#[macro_use]
#[path = "suite/harness.rs"]
mod harness;

#[path = "suite/accounts.rs"]
mod accounts;
#[path = "suite/action_import.rs"]
mod action_import;
#[path = "suite/actions.rs"]
mod actions;
#[path = "suite/agent_scores.rs"]
mod agent_scores;
#[path = "suite/announcements.rs"]
mod announcements;
#[path = "suite/audit.rs"]
mod audit;
#[path = "suite/campaigns.rs"]
mod campaigns;
#[path = "suite/chats.rs"]
mod chats;
#[path = "suite/customers.rs"]
mod customers;
#[path = "suite/follow_ups.rs"]
mod follow_ups;
#[path = "suite/inventory.rs"]
mod inventory;
#[path = "suite/keys.rs"]
mod keys;
#[path = "suite/library.rs"]
mod library;
#[path = "suite/limits.rs"]
mod limits;
#[path = "suite/migrations.rs"]
mod migrations;
#[path = "suite/operations.rs"]
mod operations;
#[path = "suite/organisation.rs"]
mod organisation;
#[path = "suite/outbox.rs"]
mod outbox;
#[path = "suite/personal_data.rs"]
mod personal_data;
#[path = "suite/programme.rs"]
mod programme;
#[path = "suite/requests.rs"]
mod requests;
#[path = "suite/schema.rs"]
mod schema;
#[path = "suite/standards.rs"]
mod standards;
#[path = "suite/surveys.rs"]
mod surveys;
#[path = "suite/templates.rs"]
mod templates;
#[path = "suite/turns.rs"]
mod turns;
#[path = "suite/webhooks.rs"]
mod webhooks;

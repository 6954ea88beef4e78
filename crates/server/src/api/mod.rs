//! The JSON API under `/api/v1`, described by an OpenAPI document at
//! `/api/v1/openapi.json` and rendered for people at `/api/docs`.

mod action_budget;
mod action_import;
mod action_review;
mod actions;
mod audit;
mod campaigns;
mod catalog;
mod constraints;
mod customers;
mod docs;
pub mod extract;
mod fact_values;
mod library;
mod mail;
mod programme;
pub mod queue_rules;
pub mod requests;
pub mod surveys;
mod templates;
mod touchpoints;
mod webhooks;

use axum::Router;
use axum::routing::get;

use crate::AppState;

pub use docs::openapi_document;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/touchpoints",
            get(touchpoints::list).post(touchpoints::create),
        )
        .route(
            "/touchpoints/{id}",
            get(touchpoints::get)
                .put(touchpoints::update)
                .delete(touchpoints::delete),
        )
        .route(
            "/touchpoints/{id}/retire",
            axum::routing::post(touchpoints::retire),
        )
        .route("/touchpoints/{id}/history", get(touchpoints::history))
        .route("/journey-map", get(touchpoints::journey_map))
        .route("/channels", get(catalog::list_channels))
        .route(
            "/channels/{key}",
            axum::routing::put(catalog::put_channel).delete(catalog::delete_channel),
        )
        .route("/phases", get(catalog::list_phases))
        .route(
            "/phases/{key}",
            axum::routing::put(catalog::put_phase).delete(catalog::delete_phase),
        )
        .route("/audit", get(audit::list))
        .route(
            "/guideline",
            get(library::get_guideline).put(library::put_guideline),
        )
        .route(
            "/content",
            get(library::list_content).post(library::create_content),
        )
        .route(
            "/content/{id}",
            get(library::get_content)
                .put(library::update_content)
                .delete(library::delete_content),
        )
        .route("/findings", get(library::list_findings))
        .route("/findings/check", axum::routing::post(library::check))
        .route(
            "/findings/{id}/status",
            axum::routing::put(library::set_status),
        )
        .route("/surveys", get(surveys::list).post(surveys::create))
        .route(
            "/surveys/{id}",
            get(surveys::get)
                .put(surveys::update)
                .delete(surveys::delete),
        )
        .route("/surveys/{id}/links", axum::routing::post(surveys::link))
        .route(
            "/responses",
            get(surveys::list_responses).post(surveys::record_responses),
        )
        .route(
            "/customer-events",
            axum::routing::post(surveys::record_customer_events),
        )
        .route("/kpis", get(surveys::report))
        .route("/kpis/customers", get(surveys::customer_report))
        .route("/kpis/matrix", get(surveys::matrix))
        .route("/kpis/agents", get(surveys::agent_scores))
        .route("/requests", get(requests::list).post(requests::intake))
        .route("/requests/{id}", get(requests::get))
        .route("/requests/{id}/actions", axum::routing::post(requests::act))
        .route("/customers", get(customers::list))
        .route(
            "/customers/{id}",
            get(customers::get).put(customers::update),
        )
        .route(
            "/customers/{id}/identifiers",
            axum::routing::post(customers::add_identifiers),
        )
        .route(
            "/customers/{id}/merge",
            axum::routing::post(customers::merge),
        )
        .route(
            "/customer-merges/{id}/undo",
            axum::routing::post(customers::unmerge),
        )
        .route(
            "/sla-policies",
            get(queue_rules::list_policies).put(queue_rules::put_policy),
        )
        .route(
            "/sla-policies/{channel}/{priority}",
            axum::routing::delete(queue_rules::delete_policy),
        )
        .route(
            "/calendar",
            get(queue_rules::get_calendar).put(queue_rules::put_calendar),
        )
        .route(
            "/priority-weights",
            get(queue_rules::get_weights).put(queue_rules::put_weights),
        )
        .route(
            "/request-sources",
            get(queue_rules::list_sources).put(queue_rules::put_source),
        )
        .route("/queue-stats", get(queue_rules::get_stats))
        .route("/actions", get(actions::list).post(actions::create))
        .route(
            "/actions/{id}",
            get(actions::get)
                .put(actions::update)
                .delete(actions::delete),
        )
        .route(
            "/actions/{id}/status",
            axum::routing::post(actions::set_status),
        )
        .route("/actions/{id}/history", get(actions::history))
        .route("/actions/{id}/effect", get(actions::effect))
        .route("/action-plan", get(actions::plan))
        .route(
            "/mail/settings",
            get(mail::get_settings).put(mail::put_settings),
        )
        .route("/mail/test", axum::routing::post(mail::test))
        .route("/outbox", get(mail::list))
        .route("/outbox/{id}/retry", axum::routing::post(mail::retry))
        .route("/outbox/release", axum::routing::post(mail::release))
        .route("/requests/{id}/mails", get(mail::of_request))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route(
            "/webhooks/{id}",
            get(webhooks::get)
                .put(webhooks::update)
                .delete(webhooks::delete),
        )
        .route("/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route("/webhooks/{id}/test", axum::routing::post(webhooks::test))
        .route("/templates", get(templates::list).post(templates::create))
        .route(
            "/templates/preview",
            axum::routing::post(templates::preview),
        )
        .route(
            "/templates/{id}",
            get(templates::get)
                .put(templates::update)
                .delete(templates::delete),
        )
        .route(
            "/requests/{id}/templates/{template_id}",
            get(templates::for_request),
        )
        .route(
            "/action-plan/settings",
            get(actions::settings).put(actions::set_settings),
        )
        .route(
            "/action-plan/suggestions/{touchpoint_id}",
            axum::routing::post(actions::accept_suggestion),
        )
        .route("/programme", get(programme::get).post(programme::start))
        .route("/programme.ics", get(programme::calendar))
        .route(
            "/programme/tasks/{key}",
            axum::routing::post(programme::tick),
        )
        .route(
            "/actions/import",
            axum::routing::post(action_import::import),
        )
        .route("/action-review", get(action_review::review))
        .route("/action-budget", get(action_budget::budget))
        .route(
            "/segments",
            get(campaigns::list_segments).post(campaigns::create_segment),
        )
        .route(
            "/segments/preview",
            axum::routing::post(campaigns::preview_segment),
        )
        .route(
            "/segments/{id}",
            get(campaigns::get_segment)
                .put(campaigns::update_segment)
                .delete(campaigns::delete_segment),
        )
        .route(
            "/campaigns",
            get(campaigns::list_campaigns).post(campaigns::create_campaign),
        )
        .route("/campaigns/{id}", get(campaigns::get_campaign))
        .route(
            "/campaigns/{id}/test",
            axum::routing::post(campaigns::test_campaign),
        )
        .route(
            "/campaigns/{id}/send",
            axum::routing::post(campaigns::send_campaign),
        )
        .route("/openapi.json", get(docs::openapi_json))
        .method_not_allowed_fallback(|| async { crate::error::ApiError::MethodNotAllowed })
        .fallback(|| async {
            crate::error::ApiError::NotFound {
                entity: "API endpoint",
            }
        })
}

//! The OpenAPI document of the API, served as JSON; the web UI renders it for people.

use axum::http::Method;
use utoipa::OpenApi;

use crate::auth::policy::{self, Access};

use super::{
    action_budget, action_import, action_review, actions, audit, catalog, constraints, customers,
    library, queue_rules, requests, surveys, touchpoints,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Touchpoints API",
        description = "Customer touchpoint management: the inventory of touchpoints, its \
                       catalog of channels and journey phases, and the journey map. Calls \
                       carry an API token as `Authorization: Bearer …` (created by an admin; \
                       scope read or write). Errors share one body: a message and, for invalid input (422) or conflicts \
                       (409), one entry per field naming the field and the problem. A query \
                       parameter the operation does not know is refused (422) by its name."
    ),
    paths(
        touchpoints::list,
        touchpoints::get,
        touchpoints::create,
        touchpoints::update,
        touchpoints::retire,
        touchpoints::delete,
        touchpoints::history,
        touchpoints::journey_map,
        catalog::list_channels,
        catalog::put_channel,
        catalog::delete_channel,
        catalog::list_phases,
        catalog::put_phase,
        catalog::delete_phase,
        audit::list,
        library::get_guideline,
        library::put_guideline,
        library::list_content,
        library::create_content,
        library::get_content,
        library::update_content,
        library::delete_content,
        library::list_findings,
        library::check,
        library::set_status,
        surveys::list,
        surveys::get,
        surveys::create,
        surveys::update,
        surveys::delete,
        surveys::link,
        surveys::list_responses,
        surveys::record_responses,
        surveys::record_customer_events,
        surveys::report,
        surveys::customer_report,
        surveys::matrix,
        surveys::agent_scores,
        requests::intake,
        requests::list,
        requests::get,
        requests::act,
        customers::list,
        customers::get,
        customers::update,
        customers::add_identifiers,
        customers::merge,
        customers::unmerge,
        queue_rules::list_policies,
        queue_rules::put_policy,
        queue_rules::delete_policy,
        queue_rules::get_calendar,
        queue_rules::put_calendar,
        queue_rules::get_weights,
        queue_rules::put_weights,
        queue_rules::list_sources,
        queue_rules::put_source,
        queue_rules::get_stats,
        actions::list,
        actions::create,
        actions::get,
        actions::update,
        actions::delete,
        actions::set_status,
        actions::history,
        actions::effect,
        actions::plan,
        actions::settings,
        actions::set_settings,
        actions::accept_suggestion,
        super::programme::get,
        super::programme::start,
        super::programme::tick,
        super::programme::calendar,
        action_import::import,
        action_review::review,
        action_budget::budget,
        super::mail::get_settings,
        super::mail::put_settings,
        super::mail::test,
        super::mail::list,
        super::mail::retry,
        super::mail::release,
        super::mail::of_request,
        super::webhooks::list,
        super::webhooks::create,
        super::webhooks::get,
        super::webhooks::update,
        super::webhooks::delete,
        super::webhooks::deliveries,
        super::webhooks::test,
        super::templates::list,
        super::templates::create,
        super::templates::get,
        super::templates::update,
        super::templates::delete,
        super::templates::preview,
        super::templates::for_request,
        super::campaigns::list_segments,
        super::campaigns::create_segment,
        super::campaigns::get_segment,
        super::campaigns::update_segment,
        super::campaigns::delete_segment,
        super::campaigns::preview_segment,
        super::campaigns::list_campaigns,
        super::campaigns::create_campaign,
        super::campaigns::get_campaign,
        super::campaigns::test_campaign,
        super::campaigns::send_campaign,
    ),
    components(schemas(requests::RequestBatch)),
    modifiers(&BearerAuth, &Conventions),
    security(("bearer" = [])),
    tags(
        (name = "touchpoints", description = "The inventory"),
        (name = "catalog", description = "Channels and journey phases"),
        (name = "consistency", description = "Communication guideline, content library and findings"),
        (name = "surveys", description = "Surveys, answers from other tools and customer events"),
        (name = "kpis", description = "NPS, CSAT, CES, retention and revenue from roll-ups"),
        (name = "audit", description = "Who changed what and when (admins only)"),
        (name = "queue", description = "Customer requests from every channel, the queue, SLA policies, calendar and priority weights"),
        (name = "customers", description = "Customer profiles across channels, identity resolution and merges"),
        (name = "templates", description = "Reply templates with the customer's data, checked when saved"),
        (name = "campaigns", description = "Segments of customers by rules over their profile and history, and campaigns that send a message template to a segment's members who consented to marketing mails"),
        (name = "webhooks", description = "Signed HTTP POSTs of events (a request created or resolved, an answer, a detractor, a campaign sent) to the URLs integrations subscribe (admins)"),
        (name = "mail", description = "The mail server replies go out through (admins), and the outbox of mails to customers"),
        (name = "action plan", description = "Actions that optimise, launch or retire touchpoints, their status history, and the plan ranked from the customer's view with the quick win on top, and the 30-day programme"),
    )
)]
struct ApiDoc;

/// Declares the `Authorization: Bearer` API tokens every operation expects.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// Names every operation uniquely and adds to it the refusals it can meet before or beside
/// its own answers, each with the common error body: 401 and 403 from the access guard
/// (unless the route is public) and 500 anywhere; 400, 413, 415 and 422 for an operation
/// with a body; 404 for one whose path names a record; and 422 for one with query
/// parameters. An operation's own description of a status stays.
struct Conventions;

impl utoipa::Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let error = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build(),
            )
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let names_a_record = path.contains('{');
            for (method, operation) in [
                (Method::GET, &mut item.get),
                (Method::PUT, &mut item.put),
                (Method::POST, &mut item.post),
                (Method::DELETE, &mut item.delete),
                (Method::PATCH, &mut item.patch),
            ] {
                let Some(operation) = operation else {
                    continue;
                };
                // Handlers share names across resources (`list`, `get`): the id comes from
                // the method and path instead, unique as OpenAPI requires.
                operation.operation_id = Some(operation_id(&method, path));
                let public = policy::access(&method, path) == Some(Access::Public);
                let has_body = operation.request_body.is_some();
                let has_query = operation.parameters.iter().flatten().any(|p| {
                    matches!(p, RefOr::T(p) if p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
                });
                let mut add = |status: &str, description: &str| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| error(description));
                };
                if !public {
                    add("401", "No valid session or API token");
                    add(
                        "403",
                        "The caller's role does not allow this, or a request made with a \
                         session cookie lacks its CSRF token",
                    );
                }
                add(
                    "500",
                    "Internal error; the detail is in the server log, under the request id",
                );
                if has_body {
                    add("400", "The body is not JSON");
                    add("413", "The body is larger than the server accepts (4 MiB)");
                    add("415", "The body is not declared as JSON");
                    add(
                        "422",
                        "Invalid input; each field and problem named, nothing stored",
                    );
                }
                if has_query {
                    add(
                        "422",
                        "A query parameter is unknown or malformed; each one named",
                    );
                }
                if names_a_record {
                    add("404", "Not found");
                }
            }
        }
    }
}

/// `get_customers_id` for `GET /api/v1/customers/{id}`.
fn operation_id(method: &Method, path: &str) -> String {
    let words = path
        .trim_start_matches("/api/v1/")
        .split(['/', '-'])
        .map(|w| w.trim_matches(['{', '}']))
        .filter(|w| !w.is_empty());
    std::iter::once(method.as_str().to_lowercase())
        .chain(words.map(str::to_owned))
        .collect::<Vec<_>>()
        .join("_")
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`: utoipa's description of the
/// types and operations, with the constraints the server enforces (see [`constraints`])
/// merged in as JSON Schema.
pub fn openapi_document() -> serde_json::Value {
    // Serialising a document built from static descriptions cannot fail.
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises");
    constraints::apply(&mut doc);
    doc
}

pub async fn openapi_json() -> axum::Json<serde_json::Value> {
    axum::Json(openapi_document())
}

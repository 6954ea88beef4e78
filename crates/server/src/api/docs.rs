//! The OpenAPI document of the API, served as JSON; the web UI renders it for people.

use utoipa::OpenApi;

use super::{audit, catalog, customers, library, queue_rules, requests, surveys, touchpoints};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Touchpoints API",
        description = "Customer touchpoint management: the inventory of touchpoints, its \
                       catalog of channels and journey phases, and the journey map. Calls \
                       carry an API token as `Authorization: Bearer …` (created by an admin; \
                       scope read or write). Errors share one body: a message and, for invalid input (422) or conflicts \
                       (409), one entry per field naming the field and the problem."
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
    ),
    components(schemas(requests::RequestBatch)),
    modifiers(&BearerAuth),
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

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(openapi_document())
}

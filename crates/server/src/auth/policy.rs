//! Who may call which route: every route of the application with the least role it needs.
//! The access middleware refuses a route that is not listed here, so a new route without a
//! rule cannot be reached, and the route × role test walks this table.

use axum::http::Method;
use touchpoints_core::Role;

/// What a route requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not: login, setup, assets, health.
    Public,
    /// A staff member (or API token) with at least this role.
    Least(Role),
}

use Access::{Least, Public};
use Role::{Admin, Agent, Manager, Viewer};

/// (method, route as axum matches it, access)
pub const ROUTES: &[(Method, &str, Access)] = &[
    // Public pages and assets.
    (Method::GET, "/", Public),
    (Method::GET, "/healthz", Public),
    (Method::GET, "/readyz", Public),
    // Checks its callers itself (loopback or an admin): a scraper has neither session nor
    // login page, and a token is looked up outside the API too (see metrics.rs).
    (Method::GET, "/metrics", Public),
    (Method::GET, "/assets/{file}", Public),
    // The organisation's logo, shown on the survey pages and at login.
    (Method::GET, "/logo", Public),
    (Method::GET, "/login", Public),
    (Method::POST, "/login", Public),
    (Method::POST, "/logout", Public),
    (Method::GET, "/login/link/{token}", Public),
    (Method::GET, "/setup", Public),
    (Method::POST, "/setup", Public),
    (Method::GET, "/api/v1/openapi.json", Public),
    // The inventory: everyone reads, the CX manager writes.
    (Method::GET, "/journey", Least(Viewer)),
    (Method::GET, "/touchpoints", Least(Viewer)),
    (Method::POST, "/touchpoints", Least(Manager)),
    (Method::GET, "/touchpoints/new", Least(Manager)),
    (Method::GET, "/touchpoints/export.csv", Least(Viewer)),
    (Method::GET, "/touchpoints/export.json", Least(Viewer)),
    (Method::GET, "/touchpoints/{id}", Least(Viewer)),
    (Method::POST, "/touchpoints/{id}", Least(Manager)),
    (Method::GET, "/touchpoints/{id}/edit", Least(Manager)),
    (Method::POST, "/touchpoints/{id}/retire", Least(Manager)),
    (Method::POST, "/touchpoints/{id}/delete", Least(Manager)),
    (Method::GET, "/catalog", Least(Viewer)),
    (Method::POST, "/catalog/channels", Least(Manager)),
    (
        Method::POST,
        "/catalog/channels/{key}/delete",
        Least(Manager),
    ),
    (Method::POST, "/catalog/phases", Least(Manager)),
    (Method::POST, "/catalog/phases/{key}/delete", Least(Manager)),
    (Method::GET, "/api/docs", Least(Viewer)),
    // Consistency: everyone reads, the CX manager keeps guideline, content and findings.
    (Method::GET, "/consistency", Least(Viewer)),
    (Method::POST, "/consistency/run", Least(Manager)),
    (
        Method::POST,
        "/consistency/findings/{id}/status",
        Least(Manager),
    ),
    (Method::GET, "/guideline", Least(Viewer)),
    (Method::POST, "/guideline", Least(Manager)),
    (Method::GET, "/content", Least(Viewer)),
    (Method::POST, "/content", Least(Manager)),
    (Method::GET, "/content/new", Least(Manager)),
    (Method::GET, "/content/{id}", Least(Viewer)),
    (Method::POST, "/content/{id}", Least(Manager)),
    (Method::POST, "/content/{id}/delete", Least(Manager)),
    // Administration.
    (Method::GET, "/admin/users", Least(Admin)),
    (Method::GET, "/admin/organisation", Least(Admin)),
    (Method::POST, "/admin/organisation", Least(Admin)),
    (Method::GET, "/admin/mail", Least(Admin)),
    (Method::POST, "/admin/mail/release", Least(Admin)),
    (Method::POST, "/admin/mail", Least(Admin)),
    (Method::POST, "/admin/mail/test", Least(Admin)),
    (Method::POST, "/admin/mail/{id}/retry", Least(Admin)),
    (Method::GET, "/admin/webhooks", Least(Admin)),
    (Method::POST, "/admin/webhooks", Least(Admin)),
    (Method::POST, "/admin/webhooks/{id}/active", Least(Admin)),
    (Method::POST, "/admin/webhooks/{id}/delete", Least(Admin)),
    (Method::POST, "/admin/webhooks/{id}/test", Least(Admin)),
    (Method::POST, "/admin/users", Least(Admin)),
    (Method::POST, "/admin/users/{username}/role", Least(Admin)),
    (
        Method::POST,
        "/admin/users/{username}/password",
        Least(Admin),
    ),
    (
        Method::POST,
        "/admin/users/{username}/disabled",
        Least(Admin),
    ),
    (Method::GET, "/admin/tokens", Least(Admin)),
    (Method::POST, "/admin/tokens", Least(Admin)),
    (Method::POST, "/admin/tokens/{id}/revoke", Least(Admin)),
    (Method::GET, "/admin/audit", Least(Admin)),
    (Method::GET, "/admin/audit.csv", Least(Admin)),
    // The JSON API.
    (Method::GET, "/api/v1/touchpoints", Least(Viewer)),
    (Method::POST, "/api/v1/touchpoints", Least(Manager)),
    (Method::GET, "/api/v1/touchpoints/{id}", Least(Viewer)),
    (Method::PUT, "/api/v1/touchpoints/{id}", Least(Manager)),
    (Method::DELETE, "/api/v1/touchpoints/{id}", Least(Manager)),
    (
        Method::POST,
        "/api/v1/touchpoints/{id}/retire",
        Least(Manager),
    ),
    (
        Method::GET,
        "/api/v1/touchpoints/{id}/history",
        Least(Viewer),
    ),
    (Method::GET, "/api/v1/journey-map", Least(Viewer)),
    (Method::GET, "/api/v1/channels", Least(Viewer)),
    (Method::PUT, "/api/v1/channels/{key}", Least(Manager)),
    (Method::DELETE, "/api/v1/channels/{key}", Least(Manager)),
    (Method::GET, "/api/v1/phases", Least(Viewer)),
    (Method::PUT, "/api/v1/phases/{key}", Least(Manager)),
    (Method::DELETE, "/api/v1/phases/{key}", Least(Manager)),
    (Method::GET, "/api/v1/audit", Least(Admin)),
    (Method::GET, "/api/v1/guideline", Least(Viewer)),
    (Method::PUT, "/api/v1/guideline", Least(Manager)),
    (Method::GET, "/api/v1/content", Least(Viewer)),
    (Method::POST, "/api/v1/content", Least(Manager)),
    (Method::GET, "/api/v1/content/{id}", Least(Viewer)),
    (Method::PUT, "/api/v1/content/{id}", Least(Manager)),
    (Method::DELETE, "/api/v1/content/{id}", Least(Manager)),
    (Method::GET, "/api/v1/findings", Least(Viewer)),
    (Method::POST, "/api/v1/findings/check", Least(Manager)),
    (Method::PUT, "/api/v1/findings/{id}/status", Least(Manager)),
    // Service standards and stories: everyone reads, the CX manager writes.
    (Method::GET, "/standards", Least(Viewer)),
    (Method::POST, "/standards", Least(Manager)),
    (Method::POST, "/standards/{id}/delete", Least(Manager)),
    (Method::GET, "/stories", Least(Viewer)),
    (Method::POST, "/stories", Least(Manager)),
    (Method::POST, "/stories/{id}/delete", Least(Manager)),
    (Method::GET, "/digest", Least(Viewer)),
    // Surveys and KPIs: anyone answers a survey; everyone reads the dashboard; the CX manager
    // sets up surveys; answers and customer events come in with a write token.
    (Method::GET, "/s/{slug}", Public),
    (Method::POST, "/s/{slug}", Public),
    // The chat widget: anyone on a website its touchpoint allows; a conversation by its
    // token.
    (Method::GET, "/chat.js", Public),
    (Method::POST, "/chat/v1/conversations", Public),
    (Method::GET, "/chat/v1/messages", Public),
    (Method::POST, "/chat/v1/messages", Public),
    (Method::POST, "/chat/v1/handover", Public),
    (Method::POST, "/chat/v1/rating", Public),
    (Method::POST, "/chat/v1/close", Public),
    (Method::GET, "/chat/v1/events", Public),
    (Method::GET, "/chat/preview", Public),
    (Method::GET, "/dashboard", Least(Viewer)),
    (Method::GET, "/dashboard/export.csv", Least(Viewer)),
    (Method::GET, "/dashboard/export.xlsx", Least(Viewer)),
    (Method::GET, "/surveys", Least(Viewer)),
    (Method::POST, "/surveys", Least(Manager)),
    (Method::GET, "/surveys/new", Least(Manager)),
    (Method::GET, "/surveys/{id}/answers.csv", Least(Viewer)),
    (Method::GET, "/surveys/{id}/answers.xlsx", Least(Viewer)),
    (Method::GET, "/surveys/{id}", Least(Viewer)),
    (Method::POST, "/surveys/{id}", Least(Manager)),
    (Method::POST, "/surveys/{id}/delete", Least(Manager)),
    // A personalised link attributes answers to a customer: made by those who work with them.
    (Method::GET, "/surveys/{id}/link", Least(Agent)),
    (Method::GET, "/surveys/{id}/qr.svg", Least(Viewer)),
    (Method::GET, "/surveys/{id}/answers", Least(Viewer)),
    (Method::GET, "/api/v1/surveys", Least(Viewer)),
    (Method::POST, "/api/v1/surveys", Least(Manager)),
    (Method::GET, "/api/v1/surveys/{id}", Least(Viewer)),
    (Method::PUT, "/api/v1/surveys/{id}", Least(Manager)),
    (Method::DELETE, "/api/v1/surveys/{id}", Least(Manager)),
    (Method::POST, "/api/v1/surveys/{id}/links", Least(Manager)),
    (Method::GET, "/api/v1/responses", Least(Viewer)),
    (Method::POST, "/api/v1/responses", Least(Manager)),
    (Method::POST, "/api/v1/customer-events", Least(Manager)),
    (Method::GET, "/api/v1/kpis", Least(Viewer)),
    (Method::GET, "/api/v1/kpis/customers", Least(Viewer)),
    (Method::GET, "/api/v1/kpis/matrix", Least(Viewer)),
    // Scores of named colleagues are the managers' to read, as the queue's statistics are.
    (Method::GET, "/api/v1/kpis/agents", Least(Manager)),
    // The queue: agents work requests and see customers; the CX manager sets targets and
    // weights; admins set the calendar and undo merges. Integrations post requests with a
    // write token.
    (Method::GET, "/queue", Least(Agent)),
    (Method::GET, "/queue/events", Least(Agent)),
    (Method::GET, "/queue/stats", Least(Manager)),
    (Method::GET, "/queue/stats/export.csv", Least(Manager)),
    (Method::GET, "/queue/stats/export.xlsx", Least(Manager)),
    (Method::GET, "/queue/rules", Least(Agent)),
    (Method::GET, "/queue/templates", Least(Agent)),
    (Method::POST, "/queue/templates", Least(Manager)),
    (Method::GET, "/queue/templates/new", Least(Manager)),
    (Method::POST, "/queue/templates/preview", Least(Manager)),
    (Method::GET, "/queue/templates/{id}", Least(Agent)),
    (Method::POST, "/queue/templates/{id}", Least(Manager)),
    (Method::POST, "/queue/templates/{id}/delete", Least(Manager)),
    (Method::POST, "/queue/rules/policies", Least(Manager)),
    (Method::POST, "/queue/rules/policies/delete", Least(Manager)),
    (Method::POST, "/queue/rules/weights", Least(Manager)),
    (Method::POST, "/queue/rules/calendar", Least(Admin)),
    (Method::POST, "/queue/rules/options", Least(Manager)),
    (Method::GET, "/requests/{id}", Least(Agent)),
    (Method::POST, "/requests/{id}/act", Least(Agent)),
    (Method::POST, "/requests/{id}/typing", Least(Agent)),
    (Method::GET, "/queue/chat", Least(Manager)),
    (Method::POST, "/queue/chat/{id}", Least(Manager)),
    (Method::GET, "/customers/{id}", Least(Agent)),
    (Method::POST, "/customer-merges/{id}/undo", Least(Admin)),
    (Method::POST, "/api/v1/requests", Least(Manager)),
    (Method::GET, "/api/v1/requests", Least(Agent)),
    (Method::GET, "/api/v1/requests/{id}", Least(Agent)),
    (Method::GET, "/api/v1/requests/{id}/mails", Least(Agent)),
    (
        Method::GET,
        "/api/v1/requests/{id}/templates/{template_id}",
        Least(Agent),
    ),
    (Method::GET, "/api/v1/templates", Least(Agent)),
    (Method::POST, "/api/v1/templates", Least(Manager)),
    (Method::POST, "/api/v1/templates/preview", Least(Manager)),
    (Method::GET, "/api/v1/templates/{id}", Least(Agent)),
    (Method::PUT, "/api/v1/templates/{id}", Least(Manager)),
    (Method::DELETE, "/api/v1/templates/{id}", Least(Manager)),
    (Method::GET, "/api/v1/mail/settings", Least(Admin)),
    (Method::PUT, "/api/v1/mail/settings", Least(Admin)),
    (Method::POST, "/api/v1/mail/test", Least(Admin)),
    (Method::GET, "/api/v1/webhooks", Least(Admin)),
    (Method::POST, "/api/v1/webhooks", Least(Admin)),
    (Method::GET, "/api/v1/webhooks/{id}", Least(Admin)),
    (Method::PUT, "/api/v1/webhooks/{id}", Least(Admin)),
    (Method::DELETE, "/api/v1/webhooks/{id}", Least(Admin)),
    (
        Method::GET,
        "/api/v1/webhooks/{id}/deliveries",
        Least(Admin),
    ),
    (Method::POST, "/api/v1/webhooks/{id}/test", Least(Admin)),
    (Method::GET, "/api/v1/outbox", Least(Manager)),
    // Segments and campaigns: the CX manager's, since they read and write to customers.
    (Method::GET, "/api/v1/segments", Least(Manager)),
    (Method::POST, "/api/v1/segments", Least(Manager)),
    (Method::POST, "/api/v1/segments/preview", Least(Manager)),
    (Method::GET, "/api/v1/segments/{id}", Least(Manager)),
    (Method::PUT, "/api/v1/segments/{id}", Least(Manager)),
    (Method::DELETE, "/api/v1/segments/{id}", Least(Manager)),
    (Method::GET, "/api/v1/campaigns", Least(Manager)),
    (Method::POST, "/api/v1/campaigns", Least(Manager)),
    (Method::GET, "/api/v1/campaigns/{id}", Least(Manager)),
    (Method::POST, "/api/v1/campaigns/{id}/test", Least(Manager)),
    (Method::POST, "/api/v1/campaigns/{id}/send", Least(Manager)),
    (Method::GET, "/segments", Least(Manager)),
    (Method::POST, "/segments", Least(Manager)),
    (Method::GET, "/segments/new", Least(Manager)),
    (Method::POST, "/segments/preview", Least(Manager)),
    (Method::GET, "/segments/{id}", Least(Manager)),
    (Method::POST, "/segments/{id}", Least(Manager)),
    (Method::POST, "/segments/{id}/delete", Least(Manager)),
    (Method::GET, "/campaigns", Least(Manager)),
    (Method::POST, "/campaigns", Least(Manager)),
    (Method::GET, "/campaigns/{id}", Least(Manager)),
    (Method::POST, "/campaigns/{id}/test", Least(Manager)),
    (Method::POST, "/campaigns/{id}/send", Least(Manager)),
    // A customer's link out of marketing mails: its signature is its authority, and mail
    // clients post to it without cookies (RFC 8058).
    (Method::GET, "/u/{campaign}/{customer}/{sig}", Public),
    (Method::POST, "/u/{campaign}/{customer}/{sig}", Public),
    (Method::POST, "/api/v1/outbox/{id}/retry", Least(Manager)),
    (Method::POST, "/api/v1/outbox/release", Least(Manager)),
    (
        Method::POST,
        "/api/v1/requests/{id}/actions",
        Least(Manager),
    ),
    (Method::GET, "/api/v1/customers", Least(Agent)),
    (Method::GET, "/api/v1/customers/{id}", Least(Agent)),
    (Method::PUT, "/api/v1/customers/{id}", Least(Manager)),
    (
        Method::POST,
        "/api/v1/customers/{id}/identifiers",
        Least(Manager),
    ),
    (Method::POST, "/api/v1/customers/{id}/merge", Least(Manager)),
    (
        Method::POST,
        "/api/v1/customer-merges/{id}/undo",
        Least(Admin),
    ),
    (Method::GET, "/api/v1/sla-policies", Least(Viewer)),
    (Method::PUT, "/api/v1/sla-policies", Least(Manager)),
    (
        Method::DELETE,
        "/api/v1/sla-policies/{channel}/{priority}",
        Least(Manager),
    ),
    (Method::GET, "/api/v1/calendar", Least(Viewer)),
    (Method::PUT, "/api/v1/calendar", Least(Admin)),
    (Method::GET, "/api/v1/priority-weights", Least(Viewer)),
    (Method::PUT, "/api/v1/priority-weights", Least(Manager)),
    (Method::GET, "/api/v1/request-sources", Least(Viewer)),
    (Method::PUT, "/api/v1/request-sources", Least(Manager)),
    (Method::GET, "/api/v1/queue-stats", Least(Manager)),
    // The action plan: everyone reads it, the CX manager writes it.
    (Method::GET, "/api/v1/actions", Least(Viewer)),
    (Method::POST, "/api/v1/actions", Least(Manager)),
    (Method::GET, "/api/v1/actions/{id}", Least(Viewer)),
    (Method::PUT, "/api/v1/actions/{id}", Least(Manager)),
    (Method::DELETE, "/api/v1/actions/{id}", Least(Manager)),
    (Method::POST, "/api/v1/actions/{id}/status", Least(Manager)),
    (Method::GET, "/api/v1/actions/{id}/history", Least(Viewer)),
    (Method::GET, "/api/v1/actions/{id}/effect", Least(Viewer)),
    (Method::POST, "/api/v1/actions/import", Least(Manager)),
    (Method::GET, "/api/v1/action-review", Least(Viewer)),
    (Method::GET, "/api/v1/action-budget", Least(Viewer)),
    (Method::GET, "/api/v1/action-plan", Least(Viewer)),
    (Method::GET, "/api/v1/action-plan/settings", Least(Viewer)),
    (Method::PUT, "/api/v1/action-plan/settings", Least(Manager)),
    (
        Method::POST,
        "/api/v1/action-plan/suggestions/{touchpoint_id}",
        Least(Manager),
    ),
    // The 30-day programme: everyone reads it, the CX manager starts it and ticks tasks.
    (Method::GET, "/api/v1/programme", Least(Viewer)),
    (Method::POST, "/api/v1/programme", Least(Manager)),
    (Method::GET, "/api/v1/programme.ics", Least(Viewer)),
    (
        Method::POST,
        "/api/v1/programme/tasks/{key}",
        Least(Manager),
    ),
    (Method::GET, "/programme", Least(Viewer)),
    (Method::POST, "/programme", Least(Manager)),
    (Method::POST, "/programme/tasks/{key}", Least(Manager)),
    // The action plan's pages, as its API: everyone reads, the CX manager writes.
    (Method::GET, "/actions", Least(Viewer)),
    (Method::POST, "/actions", Least(Manager)),
    (Method::GET, "/actions/new", Least(Manager)),
    (Method::GET, "/actions/settings", Least(Manager)),
    (Method::POST, "/actions/settings", Least(Manager)),
    (
        Method::POST,
        "/actions/suggestions/{touchpoint_id}",
        Least(Manager),
    ),
    (Method::GET, "/actions/export.csv", Least(Viewer)),
    (Method::GET, "/actions/export.xlsx", Least(Viewer)),
    (Method::GET, "/actions/review", Least(Viewer)),
    (Method::GET, "/actions/review.xlsx", Least(Viewer)),
    (Method::GET, "/actions/budget", Least(Viewer)),
    (Method::POST, "/actions/import", Least(Manager)),
    (Method::GET, "/actions/{id}", Least(Viewer)),
    (Method::POST, "/actions/{id}", Least(Manager)),
    (Method::GET, "/actions/{id}/edit", Least(Manager)),
    (Method::POST, "/actions/{id}/status", Least(Manager)),
    (Method::POST, "/actions/{id}/delete", Least(Manager)),
];

/// Forms anyone may send from anywhere, without a session and so without a CSRF token: a
/// survey answer is the same whoever's browser sends it, so a forged one is just an answer
/// (and limited per address like every public request). A phone that refuses cookies can
/// still answer.
pub const ANONYMOUS_FORMS: &[&str] = &[
    "/s/{slug}",
    "/chat/v1/conversations",
    "/chat/v1/messages",
    "/chat/v1/handover",
    "/chat/v1/rating",
    "/chat/v1/close",
    "/u/{campaign}/{customer}/{sig}",
];

/// The rule for a matched route; `None` for a route nobody wrote a rule for. HEAD is served
/// by GET routes and needs what GET needs.
pub fn access(method: &Method, route: &str) -> Option<Access> {
    let method = if method == Method::HEAD {
        &Method::GET
    } else {
        method
    };
    ROUTES
        .iter()
        .find(|(m, r, _)| m == method && *r == route)
        .map(|(_, _, access)| *access)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_listed_once() {
        for (i, (method, route, _)) in ROUTES.iter().enumerate() {
            assert!(
                !ROUTES[i + 1..]
                    .iter()
                    .any(|(m, r, _)| m == method && r == route),
                "{method} {route} is listed twice"
            );
        }
    }

    #[test]
    fn writes_need_more_than_reading() {
        for (method, route, access) in ROUTES {
            if *method != Method::GET && route.starts_with("/api/v1/") {
                assert!(
                    matches!(access, Least(role) if *role >= Manager),
                    "{method} {route}"
                );
            }
        }
        assert_eq!(access(&Method::HEAD, "/journey"), Some(Least(Viewer)));
        assert_eq!(access(&Method::PATCH, "/journey"), None);
    }

    /// Every `.route(path, method_router)` written in the server's source, as (method, full
    /// path): the API's routes are nested under `/api/v1`. Read from the source because a
    /// router cannot list its routes; the guard refuses what has no rule, so this catches a
    /// route added without one before anyone finds it unreachable.
    fn routes_in_source() -> Vec<(Method, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        for (path, text) in crate::layers::sources(&root) {
            let prefix = if path.starts_with(root.join("api")) {
                "/api/v1"
            } else {
                ""
            };
            for (start, _) in text.match_indices(".route(") {
                let call = text[start + ".route(".len()..].trim_start();
                let Some(call) = call.strip_prefix('"') else {
                    continue;
                };
                let Some((route, rest)) = call.split_once('"') else {
                    continue;
                };
                // The method router is the rest of the call: up to its closing parenthesis.
                let mut depth = 1;
                let end = rest
                    .char_indices()
                    .find(|&(_, c)| {
                        match c {
                            '(' => depth += 1,
                            ')' => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .map_or(rest.len(), |(i, _)| i);
                let router = &rest[..end];
                for name in ["get", "post", "put", "delete", "patch"] {
                    let called = router.match_indices(&format!("{name}(")).any(|(i, _)| {
                        !router[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                    });
                    if called {
                        let method: Method = name.to_uppercase().parse().expect("method");
                        found.push((method, format!("{prefix}{route}")));
                    }
                }
            }
        }
        found
    }

    #[test]
    fn every_route_in_the_source_has_a_rule() {
        let routes = routes_in_source();
        assert!(routes.len() > 100, "the scan found the routes: {routes:?}");
        for (method, path) in &routes {
            assert!(
                access(method, path).is_some(),
                "{method} {path} has no rule in policy::ROUTES"
            );
        }
        // And every rule belongs to a route that exists.
        for (method, route, _) in ROUTES {
            assert!(
                routes.iter().any(|(m, p)| m == method && p == route),
                "{method} {route} has a rule but no route"
            );
        }
    }

    #[test]
    fn every_documented_api_operation_has_a_rule() {
        let doc = serde_json::to_value(crate::api::openapi_document()).expect("document");
        let paths = doc["paths"].as_object().expect("paths");
        for (path, item) in paths {
            for method in item.as_object().expect("operations").keys() {
                let method: Method = method.to_uppercase().parse().expect("method");
                assert!(access(&method, path).is_some(), "{method} {path}");
            }
        }
    }
}

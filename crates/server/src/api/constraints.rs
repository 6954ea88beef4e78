//! What the server enforces beyond the shapes of its types, stated in the OpenAPI document:
//! lengths, ranges, enumerations and formats. The input types live in the core, which knows
//! nothing of OpenAPI beyond their shape; this table adds, per schema property and per query
//! parameter, the rule the core's validation applies, naming the core's limits where they are
//! public. What only the stored data decides (a channel key of the catalog, a touchpoint id,
//! a name already taken) or the clock (an answer from the future) is no part of a schema and
//! is answered with 404, 409 or 422 as each operation documents.

use serde_json::{Value, json};
use touchpoints_core::consistency::value::ValueKind;
use touchpoints_core::{
    action_plan, campaign, consistency, customer, message_template, request, segment, survey,
    touchpoint, webhook,
};

use super::fact_values;

/// Characters `check_text` refuses anywhere in a text: controls other than tab, line feed and
/// carriage return (Rust's `char::is_control`, the Unicode category Cc).
const CONTROLS: &str = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F";

/// A free text: no control characters (tab and line breaks allowed); at most `max`
/// characters; blank is allowed.
fn text(max: usize) -> Value {
    json!({ "maxLength": max, "pattern": format!("^[^{CONTROLS}]*$") })
}

/// A free text that must hold more than spaces.
fn required_text(max: usize) -> Value {
    json!({
        "minLength": 1,
        "maxLength": max,
        "pattern": format!("^[^{CONTROLS}]*[^\\s{CONTROLS}][^{CONTROLS}]*$"),
    })
}

/// The white space `str::trim` removes (Unicode White_Space), spelled out: `\\s` differs
/// between regular expression dialects.
const BLANK: &str =
    r"\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// The key of a channel or phase as stored: lower-case letters, digits, `-` and `_`.
const KEY: &str = "^[a-z0-9_-]{1,40}$";

/// A reference to a channel or phase of the catalog by its key; which keys exist is data.
fn key_reference() -> Value {
    json!({ "minLength": 1, "maxLength": 40, "pattern": "^\\s*[A-Za-z0-9_-]+\\s*$" })
}

/// A day `YYYY-MM-DD` of the proleptic Gregorian calendar.
fn day() -> Value {
    json!({ "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" })
}

/// A day, or blank for the default.
fn day_or_blank() -> Value {
    json!({ "anyOf": [day(), { "pattern": format!("^[{BLANK}]*$") }] })
}

/// An RFC 3339 instant with its offset.
fn instant() -> Value {
    json!({ "format": "date-time" })
}

/// An identifier of a customer: blank (left out) or, trimmed, at most 200 characters
/// without control characters.
fn plain_identifier() -> Value {
    json!({
        "maxLength": customer::IDENTIFIER_MAX,
        "pattern": "^\\s*([^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F])?\\s*$",
    })
}

/// An e-mail address as the core reads it: one `@`, a local part, a domain of dot-separated
/// labels, no spaces; blank for none.
fn email() -> Value {
    let part = format!("[^@\\s.{CONTROLS}\\t\\n\\r]+");
    json!({
        "maxLength": customer::IDENTIFIER_MAX,
        "pattern": format!("^\\s*([^@\\s{CONTROLS}\\t\\n\\r]+@{part}(\\.{part})+)?\\s*$"),
    })
}

/// A phone number: `+` and the country code, `00` and the country code, or a German
/// national number starting with `0`; 7 to 15 digits with the country code, spaces, `-`,
/// `.`, `/` and brackets between them allowed; blank for none.
fn phone() -> Value {
    let sep = "[ ./()\\u00A0-]*";
    let digit = format!("{sep}[0-9]");
    json!({
        "maxLength": customer::IDENTIFIER_MAX,
        "pattern": format!(
            "^\\s*((\\+{sep}[1-9]({digit}){{6,14}}|{sep}0{sep}0{sep}[1-9]({digit}){{6,14}}|{sep}0{sep}[1-9]({digit}){{4,12}}){sep}|)\\s*$"
        ),
    })
}

/// A social media handle, optionally after its network and a colon; blank for none. The
/// first colon ends the network, so a handle without one has no colon, and a handle after
/// one may.
fn social() -> Value {
    json!({
        "maxLength": customer::IDENTIFIER_MAX,
        "pattern": format!(
            "^\\s*([^:{CONTROLS}\\t\\n\\r]*:[^\\S{CONTROLS}\\t\\n\\r]*@*[^\\s@{CONTROLS}][^\\s{CONTROLS}]*|@*[^\\s@:{CONTROLS}][^\\s:{CONTROLS}]*|)\\s*$"
        ),
    })
}

/// Every operator of a segment's rules, each once: fields share theirs (`is`, `at_least`).
fn segment_ops() -> Vec<&'static str> {
    let mut ops = segment::Field::ALL.map(|f| f.ops()).concat();
    ops.sort_unstable();
    ops.dedup();
    ops
}

/// A language code: two or three letters, optionally with a region (`de`, `en-GB`); blank
/// for none.
fn language() -> Value {
    json!({ "pattern": "^\\s*([A-Za-z]{2,3}([-_][A-Za-z]{2,3})?)?\\s*$" })
}

fn range(min: i64, max: i64) -> Value {
    json!({ "minimum": min, "maximum": max })
}

fn one_of(values: &[&str]) -> Value {
    json!({ "enum": values })
}

/// One of the values, or blank for the default.
fn one_of_or_blank(values: &[&str]) -> Value {
    json!({ "anyOf": [{ "enum": values }, { "pattern": format!("^[{BLANK}]*$") }] })
}

/// Labels such as target groups and regions: each a short text, blank ones dropped.
fn labels(max_items: usize, max_len: usize) -> Value {
    json!({ "maxItems": max_items, "items": text(max_len) })
}

/// `(schema, property, constraint)`: the constraint is merged into the property's schema; an
/// empty property names the schema itself, one starting with `/` a place inside it.
fn properties() -> Vec<(&'static str, &'static str, Value)> {
    use touchpoint::{DESCRIPTION_MAX, LABEL_MAX, LABELS_MAX, NAME_MAX, NOTES_MAX, OWNER_MAX};
    vec![
        // Touchpoints.
        ("TouchpointInput", "name", required_text(NAME_MAX)),
        ("TouchpointInput", "description", text(DESCRIPTION_MAX)),
        ("TouchpointInput", "channel", key_reference()),
        ("TouchpointInput", "phase", key_reference()),
        ("TouchpointInput", "owner", text(OWNER_MAX)),
        ("TouchpointInput", "notes", text(NOTES_MAX)),
        (
            "TouchpointInput",
            "target_groups",
            labels(LABELS_MAX, LABEL_MAX),
        ),
        ("TouchpointInput", "regions", labels(LABELS_MAX, LABEL_MAX)),
        ("TouchpointInput", "brand_fit", range(1, 5)),
        ("ImportanceInput", "experience", range(1, 5)),
        ("ImportanceInput", "loyalty", range(1, 5)),
        ("ImportanceInput", "referral", range(1, 5)),
        // The catalog.
        (
            "Channel",
            "key",
            json!({ "pattern": "^([a-z0-9_-]{1,40})?$" }),
        ),
        ("Channel", "label_de", required_text(60)),
        ("Channel", "label_en", required_text(60)),
        (
            "Phase",
            "key",
            json!({ "pattern": "^([a-z0-9_-]{1,40})?$" }),
        ),
        ("Phase", "label_de", required_text(60)),
        ("Phase", "label_en", required_text(60)),
        // The content library.
        (
            "ContentFields",
            "title",
            required_text(consistency::library::TITLE_MAX),
        ),
        (
            "ContentFields",
            "body",
            required_text(consistency::library::BODY_MAX),
        ),
        ("ContentFields", "url", text(500)),
        ("ContentFields", "language", text(10)),
        ("ContentFields", "valid_from", day()),
        ("ContentFields", "valid_until", day()),
        // Message templates; whether a text is a valid template is checked by the server
        // (each problem named with its line and column).
        (
            "TemplateFields",
            "name",
            required_text(message_template::NAME_MAX),
        ),
        ("TemplateFields", "language", one_of(&["de", "en"])),
        // Segments and campaigns; which fields an operator suits, and which segments and
        // templates exist, the server checks.
        ("SegmentFields", "name", required_text(segment::NAME_MAX)),
        (
            "SegmentFields",
            "rules",
            json!({ "maxItems": segment::RULES_MAX }),
        ),
        (
            "SegmentRule",
            "field",
            one_of(&segment::Field::ALL.map(segment::Field::as_str)),
        ),
        ("SegmentRule", "op", one_of(&segment_ops())),
        ("SegmentRule", "value", required_text(200)),
        ("CampaignFields", "name", required_text(campaign::NAME_MAX)),
        (
            "CampaignFields",
            "per_minute",
            range(1, i64::from(campaign::PER_MINUTE_MAX)),
        ),
        ("TestInput", "to", email()),
        ("SubscriptionInput", "url", required_text(webhook::URL_MAX)),
        (
            "SubscriptionInput",
            "events",
            json!({
                "minItems": 1,
                "items": one_of(&webhook::EventKind::SUBSCRIBABLE.map(webhook::EventKind::as_str)),
            }),
        ),
        (
            "TemplateFields",
            "subject",
            text(message_template::SUBJECT_MAX),
        ),
        (
            "TemplateFields",
            "body",
            required_text(message_template::MAX_SOURCE_CHARS),
        ),
        ("PreviewInput", "language", one_of(&["de", "en"])),
        (
            "PreviewInput",
            "subject",
            text(message_template::SUBJECT_MAX),
        ),
        (
            "PreviewInput",
            "body",
            required_text(message_template::MAX_SOURCE_CHARS),
        ),
        ("PreviewInput", "customer_id", json!({ "minimum": 1 })),
        // Surveys, answers and customer events.
        ("SurveyInput", "metric", one_of(&["nps", "csat", "ces"])),
        ("SurveyInput", "touchpoint_id", json!({ "minimum": 1 })),
        ("SurveyInput", "question_de", text(survey::QUESTION_MAX)),
        ("SurveyInput", "question_en", text(survey::QUESTION_MAX)),
        ("SurveyInput", "follow_up_de", text(survey::QUESTION_MAX)),
        ("SurveyInput", "follow_up_en", text(survey::QUESTION_MAX)),
        ("ResponseInput", "touchpoint_id", json!({ "minimum": 1 })),
        ("ResponseInput", "metric", one_of(&["nps", "csat", "ces"])),
        // The scale depends on the metric (NPS 0 to 10, CSAT 1 to 5, CES 1 to 7); a `oneOf`
        // per metric would state it, but leaves common generators unable to produce answers.
        ("ResponseInput", "score", range(0, 10)),
        ("ResponseInput", "comment", text(survey::COMMENT_MAX)),
        ("ResponseInput", "answered_at", instant()),
        ("ResponseInput", "channel", text(60)),
        (
            "ResponseInput",
            "customer_ref",
            text(survey::CUSTOMER_REF_MAX),
        ),
        (
            "ResponseInput",
            "external_id",
            text(survey::EXTERNAL_ID_MAX),
        ),
        ("ResponseInput", "request_id", json!({ "minimum": 1 })),
        (
            "CustomerEventInput",
            "customer_ref",
            required_text(survey::CUSTOMER_REF_MAX),
        ),
        (
            "CustomerEventInput",
            "kind",
            one_of(&["activity", "purchase", "churn"]),
        ),
        ("CustomerEventInput", "at", instant()),
        (
            "CustomerEventInput",
            "amount_cents",
            range(-survey::AMOUNT_CENTS_MAX, survey::AMOUNT_CENTS_MAX),
        ),
        // A purchase has an amount other than 0 (negative for a refund); the other kinds have
        // none.
        (
            "CustomerEventInput",
            "",
            json!({
                "if": { "properties": { "kind": { "const": "purchase" } } },
                "then": {
                    "required": ["amount_cents"],
                    "properties": { "amount_cents": { "type": "integer", "not": { "const": 0 } } },
                },
                "else": { "properties": { "amount_cents": { "type": "null" } } },
            }),
        ),
        (
            "CustomerEventInput",
            "external_id",
            text(survey::EXTERNAL_ID_MAX),
        ),
        ("LinkIn", "customer_ref", text(survey::CUSTOMER_REF_MAX)),
        // The communication guideline.
        (
            "Fact",
            "key",
            json!({ "pattern": format!("^[{BLANK}]*[a-z0-9_-]{{1,40}}[{BLANK}]*$") }),
        ),
        ("Fact", "label", required_text(120)),
        (
            "Fact",
            "keywords",
            json!({ "contains": { "type": "string", "pattern": format!("[^{BLANK}]") } }),
        ),
        ("TermRule", "term", required_text(200)),
        (
            "Guideline",
            "allowed_contacts",
            json!({ "items": text(consistency::guideline::CONTACT_MAX) }),
        ),
        // Customers.
        ("CustomerInput", "name", text(customer::NAME_MAX)),
        ("CustomerInput", "salutation", text(40)),
        ("CustomerInput", "language", language()),
        ("CustomerInput", "preferred_channel", text(60)),
        (
            "CustomerInput",
            "segments",
            labels(customer::SEGMENTS_MAX, customer::SEGMENT_MAX),
        ),
        (
            "CustomerInput",
            "attributes",
            json!({
                "maxProperties": customer::ATTRIBUTES_MAX,
                "propertyNames": required_text(60),
                "additionalProperties": text(customer::ATTRIBUTE_MAX),
            }),
        ),
        (
            "CustomerInput",
            "lifetime_value_cents",
            range(0, customer::LIFETIME_VALUE_CENTS_MAX),
        ),
        // Identifiers of customers, in a profile and in a request.
        ("IdentifiersInput", "email", email()),
        ("IdentifiersInput", "phone", phone()),
        ("IdentifiersInput", "customer_number", plain_identifier()),
        ("IdentifiersInput", "device", plain_identifier()),
        ("IdentifiersInput", "social", social()),
        ("RequestCustomer", "email", email()),
        ("RequestCustomer", "phone", phone()),
        ("RequestCustomer", "customer_number", plain_identifier()),
        ("RequestCustomer", "device", plain_identifier()),
        ("RequestCustomer", "social", social()),
        ("RequestCustomer", "name", text(customer::NAME_MAX)),
        (
            "RequestAction",
            "/oneOf/1/properties/body",
            required_text(request::BODY_MAX),
        ),
        (
            "RequestAction",
            "/oneOf/2/properties/body",
            required_text(request::BODY_MAX),
        ),
        ("RequestInput", "channel", key_reference()),
        ("RequestInput", "subject", text(request::SUBJECT_MAX)),
        ("RequestInput", "language", language()),
        ("RequestInput", "body", text(request::BODY_MAX)),
        (
            "RequestInput",
            "external_id",
            text(request::EXTERNAL_ID_MAX),
        ),
        ("RequestInput", "source", text(request::SOURCE_MAX)),
        ("RequestInput", "received_at", instant()),
        ("RequestInput", "touchpoint_id", json!({ "minimum": 1 })),
        (
            "RequestBatch",
            "requests",
            json!({ "minItems": 1, "maxItems": touchpoints_app::intake::BATCH_MAX }),
        ),
        // Queue rules.
        ("SlaPolicy", "channel", key_reference()),
        (
            "SlaPolicy",
            "first_response_minutes",
            range(1, touchpoints_core::queue::TARGET_MAX_MINUTES),
        ),
        (
            "SlaPolicy",
            "resolution_minutes",
            range(1, touchpoints_core::queue::TARGET_MAX_MINUTES),
        ),
        ("SourceMappingInput", "channel", key_reference()),
        (
            "SourceMappingInput",
            "source",
            required_text(request::SOURCE_MAX),
        ),
        (
            "SourceMappingInput",
            "touchpoint_id",
            json!({ "minimum": 1 }),
        ),
        // Priority weights: points within ±1000, tables of at most 100 keys.
        ("Weights", "time_per_hour", range(0, 1000)),
        ("Weights", "horizon_hours", range(0, 24 * 30)),
        ("Weights", "value_per_1000_eur", range(0, 1000)),
        ("Weights", "value_cap", range(0, 1000)),
        ("Weights", "urgent", range(0, 1000)),
        ("Weights", "negative", range(0, 1000)),
        ("Weights", "repeat_contact", range(0, 1000)),
        ("Weights", "repeat_cap", range(0, 100)),
        ("Weights", "segments", points_table()),
        ("Weights", "channels", points_table()),
        // The action plan.
        (
            "ActionInput",
            "title",
            required_text(action_plan::TITLE_MAX),
        ),
        ("ActionInput", "goal", text(action_plan::GOAL_MAX)),
        (
            "ActionInput",
            "owner",
            text(touchpoints_core::access::USERNAME_MAX),
        ),
        ("ActionInput", "team", text(action_plan::TEAM_MAX)),
        (
            "ActionInput",
            "person_days",
            range(0, action_plan::PERSON_DAYS_MAX),
        ),
        ("ActionInput", "start", day()),
        ("ActionInput", "due", day()),
        (
            "ActionInput",
            "touchpoint_ids",
            ids(action_plan::TOUCHPOINTS_MAX),
        ),
        ("ActionInput", "finding_ids", ids(action_plan::FINDINGS_MAX)),
        (
            "ActionInput",
            "budgets",
            json!({
                "maxProperties": action_plan::QUARTERS_MAX,
                "propertyNames": { "pattern": QUARTER },
            }),
        ),
        // An action that optimises or retires names the touchpoints it concerns.
        (
            "ActionInput",
            "",
            json!({
                "if": {
                    "required": ["kind"],
                    "properties": { "kind": { "enum": ["optimise", "retire"] } },
                },
                "then": {
                    "required": ["touchpoint_ids"],
                    "properties": { "touchpoint_ids": { "minItems": 1 } },
                },
            }),
        ),
        (
            "Budget",
            "planned_cents",
            range(0, action_plan::BUDGET_CENTS_MAX),
        ),
        (
            "Budget",
            "spent_cents",
            range(0, action_plan::BUDGET_CENTS_MAX),
        ),
        (
            "Target",
            "within_days",
            range(1, action_plan::WITHIN_DAYS_MAX),
        ),
        ("Target", "", target_ranges()),
        ("StatusChangeInput", "note", text(action_plan::NOTE_MAX)),
        ("PlanSettings", "target_groups", group_weights()),
        ("PlanSettings", "regions", group_weights()),
        (
            "QuickWinRule",
            "max_days",
            range(1, action_plan::QUICK_WIN_DAYS_MAX),
        ),
        (
            "QuickWinRule",
            "max_effort_days",
            json!({ "minimum": 0, "maximum": action_plan::QUICK_WIN_EFFORT_MAX }),
        ),
        (
            "PlanWeights",
            "target_nps",
            json!({ "minimum": -100, "maximum": 100 }),
        ),
        (
            "PlanWeights",
            "target_csat",
            json!({ "minimum": 0, "maximum": 100 }),
        ),
        (
            "PlanWeights",
            "target_ces",
            json!({ "minimum": 1, "maximum": 7 }),
        ),
        ("PlanWeights", "gap", points_weight()),
        ("PlanWeights", "falling", points_weight()),
        ("PlanWeights", "late", points_weight()),
        ("PlanWeights", "per_contradiction", points_weight()),
        ("PlanWeights", "max_contradictions", points_weight()),
        ("PlanWeights", "per_broken_standard", points_weight()),
        ("PlanWeights", "max_broken_standards", points_weight()),
        ("PlanWeights", "per_person_day", points_weight()),
        ("PlanWeights", "max_effort", points_weight()),
        (
            "PlanWeights",
            "reach_customers",
            range(0, action_plan::REACH_CUSTOMERS_MAX),
        ),
        (
            "PlanWeights",
            "day_rate_cents",
            range(0, action_plan::DAY_RATE_CENTS_MAX),
        ),
        ("StartInput", "start_day", day()),
    ]
}

/// Weights by target group or region: a name as a required text, a weight from 0.1 to 5.
fn group_weights() -> Value {
    json!({
        "maxProperties": action_plan::GROUP_WEIGHTS_MAX,
        "propertyNames": required_text(action_plan::GROUP_NAME_MAX),
        "additionalProperties": {
            "minimum": action_plan::GROUP_WEIGHT_MIN,
            "maximum": action_plan::GROUP_WEIGHT_MAX,
        },
    })
}

/// One points weight of the plan's score.
fn points_weight() -> Value {
    json!({ "minimum": 0, "maximum": action_plan::POINTS_MAX })
}

/// A quarter as `2027-Q1`.
const QUARTER: &str = "^[0-9]{4}-Q[1-4]$";

/// Ids of records, each at least 1, at most `max` of them (repeats counted).
fn ids(max: usize) -> Value {
    json!({ "maxItems": max, "items": { "minimum": 1 } })
}

/// A target's value lies in the range of its metric, and a count is a whole number.
fn target_ranges() -> Value {
    let rules: Vec<Value> = action_plan::TargetMetric::ALL
        .into_iter()
        .map(|metric| {
            let (min, max) = metric.range();
            let mut value = json!({ "minimum": min, "maximum": max });
            if metric.is_count() {
                value["multipleOf"] = json!(1);
            }
            json!({
                "if": {
                    "required": ["metric"],
                    "properties": { "metric": { "const": metric.as_str() } },
                },
                "then": { "properties": { "value": value } },
            })
        })
        .collect();
    json!({ "allOf": rules })
}

fn points_table() -> Value {
    json!({
        "maxProperties": 100,
        "propertyNames": { "pattern": KEY },
        "additionalProperties": range(-1000, 1000),
    })
}

/// `(path, parameter, constraint)` for parameters in the path or the query, for every
/// operation of the path that has it.
fn parameters() -> Vec<(&'static str, &'static str, Value)> {
    let kpis = [
        "/api/v1/kpis",
        "/api/v1/kpis/customers",
        "/api/v1/kpis/matrix",
        "/api/v1/kpis/agents",
    ];
    let mut out = Vec::new();
    for path in kpis {
        // The scores per agent are NPS and CSAT, both at once.
        if path != "/api/v1/kpis/agents" {
            out.push((path, "metric", one_of_or_blank(&["nps", "csat", "ces"])));
        }
        out.push((path, "from", day_or_blank()));
        out.push((path, "until", day_or_blank()));
        out.push((
            path,
            "granularity",
            one_of_or_blank(&["day", "week", "month", "quarter", "year"]),
        ));
    }
    // The matrix ignores `by`.
    for path in ["/api/v1/kpis", "/api/v1/kpis/customers"] {
        out.push((
            path,
            "by",
            one_of_or_blank(&["touchpoint", "channel", "phase", "target_group", "region"]),
        ));
    }
    out.extend([
        (
            "/api/v1/requests",
            "limit",
            json!({ "format": "int64", "minimum": 1, "maximum": 500 }),
        ),
        (
            "/api/v1/requests",
            "view",
            json!({ "enum": ["", "all", "team", "mine"] }),
        ),
        // Any number up to the largest the server reads; at most 1,000 answers come back.
        (
            "/api/v1/responses",
            "limit",
            json!({ "format": "int64", "minimum": 0, "maximum": u32::MAX }),
        ),
        ("/api/v1/channels/{key}", "key", json!({ "pattern": KEY })),
        (
            "/api/v1/actions/{id}/effect",
            "days",
            json!({ "format": "int64", "minimum": 1, "maximum": touchpoints_app::action_effect::MAX_DAYS }),
        ),
        (
            "/api/v1/action-plan",
            "lang",
            json!({ "enum": ["", "de", "en"] }),
        ),
        (
            "/api/v1/action-plan/suggestions/{touchpoint_id}",
            "lang",
            json!({ "enum": ["", "de", "en"] }),
        ),
        (
            "/api/v1/action-review",
            "days",
            json!({ "format": "int64", "minimum": 1, "maximum": touchpoints_app::action_effect::MAX_DAYS }),
        ),
        (
            "/api/v1/action-review",
            "lang",
            json!({ "enum": ["", "de", "en"] }),
        ),
        ("/api/v1/phases/{key}", "key", json!({ "pattern": KEY })),
        (
            "/api/v1/programme.ics",
            "lang",
            json!({ "enum": ["", "de", "en"] }),
        ),
        (
            "/api/v1/programme/tasks/{key}",
            "key",
            one_of(&["crm_training", "personal_templates", "personal_campaign", "review_done"]),
        ),
    ]);
    out
}

/// Merges the constraints into the document; a constraint whose schema, property or
/// parameter is missing is left out (a test names it).
pub(super) fn apply(doc: &mut Value) {
    close_tuples(doc);
    for (schema, property, constraint) in properties() {
        if let Some(target) = doc.pointer_mut(&pointer(schema, property)) {
            merge(target, &constraint);
        }
    }
    guideline_input(doc);
    no_nul_in_query_text(doc);
    for (path, name, constraint) in parameters() {
        let Some(item) = doc
            .pointer_mut(&format!(
                "/paths/{}",
                path.replace('~', "~0").replace('/', "~1")
            ))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for operation in item.values_mut() {
            let Some(params) = operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for param in params {
                if param.get("name").and_then(Value::as_str) == Some(name)
                    && let Some(schema) = param.get_mut("schema")
                {
                    merge(schema, &constraint);
                }
            }
        }
    }
}

/// The guideline as `PUT /api/v1/guideline` takes it: a fact's value in the form the API
/// reads for its kind (see [`super::fact_values`]), one `oneOf` branch per kind. The
/// guideline as it is answered keeps `Fact`, whose value may be in any form the core reads
/// (the editor and YAML files take them all).
fn guideline_input(doc: &mut Value) {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let (Some(fact), Some(guideline)) = (schemas.get("Fact"), schemas.get("Guideline")) else {
        return;
    };
    let branches: Vec<Value> = ValueKind::ALL
        .into_iter()
        .map(|kind| {
            let mut branch = fact.clone();
            branch.as_object_mut().map(|b| b.remove("description"));
            branch["title"] = json!(format!("Fact ({})", kind.as_str()));
            branch["properties"]["kind"] = json!({ "type": "string", "enum": [kind.as_str()] });
            merge(
                &mut branch["properties"]["value"],
                &json!({
                    "pattern": fact_values::pattern(kind),
                    "description": fact_values::description(kind),
                }),
            );
            branch
        })
        .collect();
    let input = json!({
        "description": format!(
            "{} Through the API the value is written in the plain form its kind states.",
            fact["description"].as_str().unwrap_or_default()
        ),
        "oneOf": branches,
    });
    let mut guideline_input = guideline.clone();
    guideline_input["properties"]["facts"]["items"] =
        json!({ "$ref": "#/components/schemas/FactInput" });
    schemas.insert("FactInput".into(), input);
    schemas.insert("GuidelineInput".into(), guideline_input);
    if let Some(body) = doc
        .pointer_mut("/paths/~1api~1v1~1guideline/put/requestBody/content/application~1json/schema")
    {
        *body = json!({ "$ref": "#/components/schemas/GuidelineInput" });
    }
}

/// A tuple (`prefixItems` with `items: false`, as utoipa writes one) says the same with
/// `maxItems` and, for the items a tuple cannot have beyond its prefix, the union of its
/// parts, which common client generators read; `items: false` they refuse.
fn close_tuples(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("items") == Some(&Value::Bool(false))
                && let Some(prefix) = map.get("prefixItems").and_then(Value::as_array).cloned()
            {
                map.insert("minItems".into(), json!(prefix.len()));
                map.insert("maxItems".into(), json!(prefix.len()));
                map.insert("items".into(), json!({ "anyOf": prefix }));
            }
            map.values_mut().for_each(close_tuples);
        }
        Value::Array(items) => items.iter_mut().for_each(close_tuples),
        _ => {}
    }
}

/// Every free-text query parameter refuses NUL (the `Query` extractor does); the table's own
/// constraints for a parameter are merged after this.
fn no_nul_in_query_text(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let operations = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut());
    for operation in operations {
        let Some(params) = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for param in params {
            if param.get("in").and_then(Value::as_str) == Some("query")
                && let Some(schema) = param.get_mut("schema").and_then(Value::as_object_mut)
                && schema.get("type").and_then(Value::as_str) == Some("string")
            {
                schema.insert("pattern".into(), json!("^[^\\u0000]*$"));
            }
        }
    }
}

fn pointer(schema: &str, property: &str) -> String {
    match property {
        "" => format!("/components/schemas/{schema}"),
        p if p.starts_with('/') => format!("/components/schemas/{schema}{p}"),
        p => format!("/components/schemas/{schema}/properties/{p}"),
    }
}

/// Adds the constraint's keywords to a schema; a nullable property (`oneOf` with `null`, or
/// a type list) keeps accepting null, as string and number keywords ignore other types.
fn merge(target: &mut Value, constraint: &Value) {
    let (Some(target), Some(constraint)) = (target.as_object_mut(), constraint.as_object()) else {
        return;
    };
    for (key, value) in constraint {
        match (target.get_mut(key), value) {
            (Some(existing @ Value::Object(_)), Value::Object(_)) => merge(existing, value),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use touchpoints_core::customer::{Identifier, IdentifierKind};

    /// Texts of the characters the identifier rules tell apart: white space inside and
    /// outside the trimmed value, controls, separators, digits and letters that change case.
    fn identifier_text() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            ' ', '\t', '\n', '\u{b}', '\u{a0}', '\u{3000}', '\u{1}', '\u{85}', '@', ':', '.', '+',
            '(', '-', '/', '0', '1', '4', '9', 'a', 'Z', '\u{130}', '\u{e9}',
        ]);
        prop::collection::vec(chars, 0..18).prop_map(|chars| chars.into_iter().collect())
    }

    /// Each identifier's pattern as the document states it, compiled once for every case.
    static IDENTIFIER_PATTERNS: std::sync::LazyLock<Vec<(IdentifierKind, regex::Regex)>> =
        std::sync::LazyLock::new(|| {
            [
                (IdentifierKind::Email, email()),
                (IdentifierKind::Phone, phone()),
                (IdentifierKind::CustomerNumber, plain_identifier()),
                (IdentifierKind::Device, plain_identifier()),
                (IdentifierKind::Social, social()),
            ]
            .into_iter()
            .map(|(kind, schema)| {
                let pattern = regex::Regex::new(schema["pattern"].as_str().expect("pattern"))
                    .expect("the pattern compiles");
                (kind, pattern)
            })
            .collect()
        });

    proptest! {
        /// A client that follows the document is never refused for an identifier's form, and
        /// one the core refuses breaks the document's pattern: blank counts as left out.
        #[test]
        fn identifier_patterns_accept_exactly_what_the_core_reads(text in identifier_text()) {
            for (kind, pattern) in IDENTIFIER_PATTERNS.iter() {
                let read = text.trim().is_empty() || Identifier::parse(*kind, &text).is_ok();
                prop_assert_eq!(pattern.is_match(&text), read, "{:?} {:?}", kind, text);
            }
        }
    }

    #[test]
    fn every_constraint_finds_its_property_or_parameter() {
        let doc = serde_json::to_value(super::super::openapi_document()).expect("json");
        for (schema, property, _) in properties() {
            assert!(
                doc.pointer(&pointer(schema, property)).is_some(),
                "{schema}.{property} is not in the document"
            );
        }
        for (path, name, _) in parameters() {
            let item = &doc["paths"][path];
            let found = item.as_object().into_iter().flatten().any(|(_, op)| {
                op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p["name"] == name)
            });
            assert!(found, "{path} has no parameter {name}");
        }
    }

    #[test]
    fn the_served_document_carries_the_constraints() {
        let doc = serde_json::to_value(super::super::openapi_document()).expect("json");
        let name = &doc["components"]["schemas"]["TouchpointInput"]["properties"]["name"];
        assert_eq!(name["maxLength"], touchpoint::NAME_MAX);
        assert_eq!(name["minLength"], 1);
        let limit = doc["paths"]["/api/v1/requests"]["get"]["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == "limit"))
            .map(|p| p["schema"].clone())
            .expect("limit");
        assert_eq!(limit["maximum"], 500);
    }
}

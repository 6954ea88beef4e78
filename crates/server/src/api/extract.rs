//! The extractors of the API. Unlike axum's own, they answer in the common error shape: a
//! body that is not JSON is a 400, JSON that does not fit a 422 naming the field with its path
//! (`importance.loyalty`); a bad path segment or query parameter is named the same way.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use touchpoints_core::{Problem, Problems};

use crate::error::ApiError;

pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonBody(bytes) = JsonBody::from_request(req, state).await?;
        parse(&bytes).map(Json)
    }
}

/// A body declared as JSON, as its bytes: for a handler that reads it more than one way.
pub struct JsonBody(pub Bytes);

impl<S> FromRequest<S> for JsonBody
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime == "application/json" || mime.ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType(
                "expected a body with Content-Type: application/json".into(),
            ));
        }
        Bytes::from_request(req, state)
            .await
            .map(JsonBody)
            .map_err(|e: BytesRejection| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::BadRequest(format!("cannot read the body: {e}"))
                }
            })
    }
}

pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(_) => Err(ApiError::NotFound { entity: "resource" }),
        }
    }
}

/// Query parameters; one that does not fit is a 422 naming the parameter.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Query)
            .map_err(|e| {
                let (field, problem) = data_problem(&e.path().to_string(), e.inner());
                ApiError::Unprocessable(Problems::single(field, problem))
            })
    }
}

/// Parses a JSON body into `T`, classifying errors as described in the module docs. Syntax is
/// checked first, so a broken body is a 400 whatever it contains.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let malformed = |e: serde_json::Error| {
        ApiError::BadRequest(format!(
            "malformed JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    };
    // One pass over the bytes: a syntax error anywhere is a bad request, a value of the wrong
    // shape in well-formed JSON an unprocessable one naming its field.
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if !inner.is_data() {
            return malformed(inner);
        }
        // The shape failed before the end was read: the rest must be JSON too.
        if let Err(syntax) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            return malformed(syntax);
        }
        let (field, problem) = data_problem(&path, &inner);
        ApiError::Unprocessable(Problems::single(field, problem))
    })?;
    deserializer.end().map_err(malformed)?;
    Ok(value)
}

/// Reads `T` from a part of a body that was JSON already, naming a field that does not fit
/// `{prefix}{path}` (`requests[3].channel`).
pub fn from_value<T: DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, Problems> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let (field, problem) = data_problem(&e.path().to_string(), e.inner());
        let field = match (prefix.strip_suffix('.'), field.is_empty()) {
            (Some(whole), true) => whole.to_owned(),
            _ => format!("{prefix}{field}"),
        };
        Problems::single(field, problem)
    })
}

/// Names the field of a data error. serde reports a missing or unknown field at the path of
/// the object that lacks or has it, so the field's own name is taken from the message.
fn data_problem(path: &str, error: &impl std::fmt::Display) -> (String, Problem) {
    let message = error.to_string();
    // serde_json appends " at line L column C"; the field name is enough for people.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned();
    let base = if path == "." { "" } else { path };
    let join = |name: &str| {
        if base.is_empty() {
            name.to_owned()
        } else {
            format!("{base}.{name}")
        }
    };
    let quoted = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    if let Some(name) = quoted("missing field `") {
        (join(&name), Problem::Required)
    } else if message.starts_with("unknown field `") {
        // Here serde's path already ends in the unknown field.
        (
            base.to_owned(),
            Problem::Invalid {
                reason: format!(
                    "unknown field{}",
                    message
                        .split_once(',')
                        .map_or(String::new(), |(_, rest)| format!(";{rest}"))
                ),
            },
        )
    } else {
        (base.to_owned(), Problem::Invalid { reason: message })
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use super::*;
    use touchpoints_core::TouchpointInput;

    fn problem(body: &str) -> (String, Problem) {
        match parse::<TouchpointInput>(body.as_bytes()) {
            Err(ApiError::Unprocessable(p)) => (p.0[0].field.clone(), p.0[0].problem.clone()),
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn wrong_type_names_the_nested_field() {
        let (field, problem) = problem(
            r#"{"name":"x","channel":"store","phase":"p","importance":{"loyalty":"hoch"}}"#,
        );
        assert_eq!(field, "importance.loyalty");
        assert!(matches!(problem, Problem::Invalid { reason } if reason.contains("invalid type")));
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        assert_eq!(problem(r#"{"channel":"store","phase":"p"}"#).0, "name");
        let (field, p) = problem(r#"{"name":"x","channel":"store","phase":"p","colour":1}"#);
        assert_eq!(field, "colour");
        assert!(matches!(p, Problem::Invalid { reason } if reason.starts_with("unknown field")));
    }

    #[test]
    fn unknown_enum_value_names_the_field() {
        let (field, p) =
            problem(r#"{"name":"x","channel":"store","phase":"p","status":"vielleicht"}"#);
        assert_eq!(field, "status");
        assert!(matches!(p, Problem::Invalid { reason } if reason.contains("planned")));
    }

    #[test]
    fn query_problems_name_the_parameter() {
        let uri: axum::http::Uri = "/x?status=vielleicht&channel=store".parse().expect("uri");
        let (mut parts, ()) = axum::http::Request::builder()
            .uri(uri)
            .body(())
            .expect("request")
            .into_parts();
        let result = block_on(
            Query::<touchpoints_core::TouchpointFilter>::from_request_parts(&mut parts, &()),
        );
        match result {
            Err(ApiError::Unprocessable(p)) => assert_eq!(p.0[0].field, "status"),
            Err(other) => panic!("expected 422, got {other:?}"),
            Ok(_) => panic!("expected 422, got a filter"),
        }
    }

    /// The extractor never awaits anything pending, so one poll completes it.
    fn block_on<F: Future>(future: F) -> F::Output {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut future = std::pin::pin!(future);
        match future.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(output) => output,
            std::task::Poll::Pending => panic!("the extractor awaited"),
        }
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        for body in [r#"{"name": "#, "nicht json", r#"{"name":"x"} trailing"#, ""] {
            assert!(
                matches!(
                    parse::<TouchpointInput>(body.as_bytes()),
                    Err(ApiError::BadRequest(_))
                ),
                "{body}"
            );
        }
    }
}

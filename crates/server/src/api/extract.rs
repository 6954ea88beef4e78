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
use touchpoints_app::AppError;
use touchpoints_app::json::{self, data_problem};
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
        // No key or name holds NUL, and PostgreSQL could not look one up.
        if parts.uri.path().contains("%00") {
            return Err(ApiError::NotFound { entity: "resource" });
        }
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(_) => Err(ApiError::NotFound { entity: "resource" }),
        }
    }
}

/// Query parameters; one that does not fit, that holds a NUL character, or that the
/// endpoint does not know is a 422 naming the parameter. Refusing unknown ones means a
/// misspelt filter (`touchpont_id`) is reported rather than silently widening the answer;
/// a type read here must therefore not use `#[serde(flatten)]`, which hides them.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        if let Some(problems) = crate::nul::nul_field(query.as_bytes()) {
            return Err(ApiError::Unprocessable(problems));
        }
        let mut unknown = None;
        let mut note_unknown = |path: serde_ignored::Path<'_>| {
            unknown.get_or_insert_with(|| path.to_string());
        };
        let deserializer = serde_ignored::Deserializer::new(
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes())),
            &mut note_unknown,
        );
        let value = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let (field, problem) = data_problem(&e.path().to_string(), e.inner());
            ApiError::Unprocessable(Problems::single(field, problem))
        })?;
        match unknown {
            None => Ok(Query(value)),
            Some(name) => {
                let reason = if name.is_empty() {
                    "a query parameter without a name"
                } else {
                    "unknown query parameter"
                };
                Err(ApiError::Unprocessable(Problems::single(
                    name,
                    Problem::Invalid {
                        reason: reason.into(),
                    },
                )))
            }
        }
    }
}

/// Parses a JSON body into `T`: a broken body is a 400, one of the wrong shape a 422 naming
/// the field. Every body the API reads is an object, so any other JSON value is refused as
/// such, whatever `T` would have made of it.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let read = json::parse(bytes);
    if !matches!(read, Err(AppError::Malformed(_))) && !bytes.trim_ascii_start().starts_with(b"{") {
        return Err(ApiError::Unprocessable(Problems::single(
            "",
            Problem::Invalid {
                reason: "the body must be a JSON object".into(),
            },
        )));
    }
    Ok(read?)
}

/// The language a query asks for with `lang`: `de` or `en`, `default` when it is left out or
/// blank; anything else is named as unknown.
pub fn query_lang(
    lang: Option<&str>,
    default: crate::i18n::Lang,
) -> Result<crate::i18n::Lang, Problems> {
    match lang {
        None | Some("") => Ok(default),
        Some(code) => crate::i18n::Lang::from_code(code)
            .filter(|l| l.code() == code)
            .ok_or_else(|| {
                Problems::single(
                    "lang",
                    Problem::Unknown {
                        value: code.to_owned(),
                        allowed: vec!["de".into(), "en".into()],
                    },
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use super::*;

    #[test]
    fn a_body_is_an_object_not_an_array_of_its_fields() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Settings {
            #[serde(default)]
            points: i64,
            #[serde(default)]
            name: String,
        }
        assert_eq!(
            parse::<Settings>(b" {\"points\": 3}")
                .map(|s| s.points)
                .ok(),
            Some(3)
        );
        for body in [&b"[]"[..], b" [3, \"x\"]"] {
            let Err(ApiError::Unprocessable(problems)) = parse::<Settings>(body) else {
                panic!("{} is read", String::from_utf8_lossy(body));
            };
            assert!(problems.to_string().contains("JSON object"), "{problems}");
        }
    }

    /// The field the first problem of a touchpoint filter read from `uri` names.
    fn filter_problem(uri: &str) -> String {
        let (mut parts, ()) = axum::http::Request::builder()
            .uri(uri)
            .body(())
            .expect("request")
            .into_parts();
        let result = block_on(
            Query::<touchpoints_core::TouchpointFilter>::from_request_parts(&mut parts, &()),
        );
        match result {
            Err(ApiError::Unprocessable(p)) => p.0[0].field.clone(),
            Err(other) => panic!("expected 422, got {other:?}"),
            Ok(_) => panic!("expected 422, got a filter"),
        }
    }

    #[test]
    fn query_problems_name_the_parameter() {
        assert_eq!(
            filter_problem("/x?status=vielleicht&channel=store"),
            "status"
        );
    }

    #[test]
    fn an_unknown_query_parameter_is_named() {
        assert_eq!(filter_problem("/x?channel=store&chanel=store"), "chanel");
        assert_eq!(filter_problem("/x?channel=store&=null"), "");
    }

    #[test]
    fn a_nul_in_a_query_parameter_is_named() {
        assert_eq!(filter_problem("/x?channel=store&q=a%00b"), "q");
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
}

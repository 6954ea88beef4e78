//! Multipart forms, read whole into memory before: the pages' file uploads, and the CSRF
//! field the guard looks for in them. Their size is bounded by the body limit.

use axum::body::Bytes;
use axum::http::{HeaderMap, header};

/// Every field of the form as name and bytes, in the order sent; empty when the body is no
/// multipart form. A field that cannot be read ends the list.
pub(crate) async fn fields(headers: &HeaderMap, body: Bytes) -> Vec<(String, Bytes)> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return Vec::new();
    };
    let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        match field.bytes().await {
            Ok(bytes) => fields.push((name, bytes)),
            Err(_) => break,
        }
    }
    fields
}

/// The bytes of the form's field `name`, if it has one.
pub(crate) async fn field(headers: &HeaderMap, body: Bytes, name: &str) -> Option<Bytes> {
    fields(headers, body)
        .await
        .into_iter()
        .find_map(|(field, bytes)| (field == name).then_some(bytes))
}

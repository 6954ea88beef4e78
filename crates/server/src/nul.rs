//! NUL characters in URL-encoded input, which the API's queries and the pages' forms and
//! queries refuse before any handler reads them.

use touchpoints_core::{Problem, Problems};

/// The field of URL-encoded input (a query or a form) whose value holds a NUL character, as
/// the problem to answer. PostgreSQL text cannot hold NUL, and no field means one. A NUL can
/// only be written `%00` or as a raw byte, so input without either costs one scan of its
/// bytes.
pub(crate) fn nul_field(encoded: &[u8]) -> Option<Problems> {
    if !encoded.contains(&0) && !encoded.windows(3).any(|w| w == b"%00") {
        return None;
    }
    let (name, _) = form_urlencoded::parse(encoded).find(|(_, value)| value.contains('\0'))?;
    Some(Problems::single(
        name,
        Problem::Invalid {
            reason: "contains a NUL character".into(),
        },
    ))
}

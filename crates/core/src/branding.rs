//! How the organisation presents itself on the pages its customers see: its name and logo,
//! set by an admin.

use serde::{Deserialize, Serialize};

use crate::problem::{Problem, Problems, check_text};

/// Longest company name, in characters.
pub const MAX_NAME: usize = 100;

/// Largest logo, in bytes: a logo for a page header, not a photo.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;

/// The organisation's name and logo; either may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    pub company_name: Option<String>,
    pub logo: Option<Logo>,
}

/// An image file for the page header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logo {
    /// `image/png`, `image/jpeg` or `image/webp`, read from the file's first bytes.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Logo {
    /// A logo from an uploaded file, recognised by its first bytes (a file's name or
    /// declared type says nothing). PNG, JPEG and WebP only: an SVG can carry scripts and
    /// links, and it would be served from the product's own address.
    pub fn from_upload(bytes: Vec<u8>) -> Result<Logo, Problem> {
        if bytes.len() > MAX_LOGO_BYTES {
            return Err(Problem::Rule {
                rule: "logo-too-large".into(),
                reason: format!("a logo has at most {} KB", MAX_LOGO_BYTES / 1024),
            });
        }
        let content_type = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            "image/jpeg"
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            "image/webp"
        } else {
            return Err(Problem::Rule {
                rule: "logo-format".into(),
                reason: "a logo is a PNG, JPEG or WebP image".into(),
            });
        };
        Ok(Logo {
            content_type: content_type.to_owned(),
            bytes,
        })
    }
}

/// The company name as entered: trimmed, `None` when empty; a problem under
/// `company_name` when it is too long or holds control characters.
pub fn company_name(problems: &mut Problems, text: &str) -> Option<String> {
    let name = check_text(problems, "company_name", text, MAX_NAME, false);
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_are_recognised_by_their_first_bytes() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        assert_eq!(
            Logo::from_upload(png).expect("a PNG").content_type,
            "image/png"
        );
        let jpeg = vec![0xff, 0xd8, 0xff, 0xe0, 0, 0x10];
        assert_eq!(
            Logo::from_upload(jpeg).expect("a JPEG").content_type,
            "image/jpeg"
        );
        let webp = b"RIFF\x24\0\0\0WEBPVP8 ".to_vec();
        assert_eq!(
            Logo::from_upload(webp).expect("a WebP").content_type,
            "image/webp"
        );
        for other in [
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
            b"GIF89a".to_vec(),
            Vec::new(),
        ] {
            assert!(
                matches!(Logo::from_upload(other), Err(Problem::Rule { rule, .. }) if rule == "logo-format")
            );
        }
        let mut large = b"\x89PNG\r\n\x1a\n".to_vec();
        large.resize(MAX_LOGO_BYTES + 1, 0);
        assert!(
            matches!(Logo::from_upload(large), Err(Problem::Rule { rule, .. }) if rule == "logo-too-large")
        );
    }

    #[test]
    fn the_company_name_is_trimmed_and_bounded() {
        let mut problems = Problems::default();
        assert_eq!(
            company_name(&mut problems, "  Nordlicht Wohnen GmbH "),
            Some("Nordlicht Wohnen GmbH".to_owned())
        );
        assert_eq!(company_name(&mut problems, "   "), None);
        assert!(problems.is_empty());
        company_name(&mut problems, &"x".repeat(MAX_NAME + 1));
        assert_eq!(problems.0[0].field, "company_name");
    }
}

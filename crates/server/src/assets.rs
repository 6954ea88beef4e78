//! The static files the pages load (style sheet, scripts, chart library, icon), compiled into
//! the binary.
//!
//! Pages link each file by a name that carries a digest of its content, such as
//! `/assets/style.1a2b3c4d5e6f7a8b.css`, and browsers may keep that for a year: a build that
//! changes the file links a new name, so nobody runs an old script against a new page. The
//! plain name (`/assets/style.css`) keeps working, cached for an hour, for links from
//! outside the pages.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::AppState;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../assets/style.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/app.js"),
    },
    Asset {
        name: "dashboard.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/dashboard.js"),
    },
    Asset {
        name: "action_budget.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/action_budget.js"),
    },
    // Apache ECharts, vendored unchanged (licence in `assets/vendor/echarts.LICENSE`).
    Asset {
        name: "echarts.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/vendor/echarts.min.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_str!("../assets/favicon.svg"),
    },
];

/// Each asset's name with its digest, in the order of [`ASSETS`].
static FINGERPRINTED: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|asset| {
            let digest = Sha256::digest(asset.body.as_bytes());
            let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
            match asset.name.rsplit_once('.') {
                Some((stem, extension)) => format!("{stem}.{hex}.{extension}"),
                None => format!("{}.{hex}", asset.name),
            }
        })
        .collect()
});

/// The address pages link the asset `name` by: with its digest when the binary carries it.
pub fn url(name: &str) -> String {
    match ASSETS.iter().position(|asset| asset.name == name) {
        Some(index) => format!("/assets/{}", FINGERPRINTED[index]),
        None => format!("/assets/{name}"),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/{file}", get(serve))
}

async fn serve(Path(file): Path<String>) -> Response {
    let (asset, cache) = if let Some(index) = FINGERPRINTED.iter().position(|f| *f == file) {
        (&ASSETS[index], "public, max-age=31536000, immutable")
    } else if let Some(asset) = ASSETS.iter().find(|asset| asset.name == file) {
        (asset, "public, max-age=3600")
    } else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, cache),
        ],
        asset.body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprinted_names_keep_the_extension_and_differ_by_content() {
        let style = url("style.css");
        assert!(style.starts_with("/assets/style."), "{style}");
        assert!(style.ends_with(".css"), "{style}");
        assert_eq!(style.len(), "/assets/style..css".len() + 16, "{style}");
        assert_ne!(
            FINGERPRINTED[0].split('.').nth(1),
            FINGERPRINTED[1].split('.').nth(1)
        );
        assert_eq!(url("unknown.js"), "/assets/unknown.js");
    }
}

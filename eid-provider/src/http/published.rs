//! What the provider publishes for anyone to read: the metadata (OpenID Connect Discovery 1.0
//! §4, RFC 8414 §3), the JSON Web Key Set, and the pages' static files.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::error::json_error;
use super::page::{FORM_POST_JS, STYLESHEET_CSS, static_file};
use crate::oauth_error::OAuthError;

/// A public JSON document: readable from any origin (browser-based clients fetch these),
/// cacheable for five minutes (the key ring publishes the next key ahead of use).
fn public_json(body: Bytes) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// The metadata document, serialised once when the router was built.
pub(crate) async fn metadata(State(shared): State<Arc<Shared>>) -> Response {
    public_json(shared.metadata_json.clone())
}

/// The JSON Web Key Set, as the key ring publishes it now (rotation shows at once).
pub(crate) async fn jwks(State(shared): State<Arc<Shared>>) -> Response {
    match serde_json::to_vec(&shared.provider.jwks()) {
        Ok(body) => public_json(Bytes::from(body)),
        Err(_) => json_error(
            &OAuthError::server_error("the JWKS could not be serialised"),
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        ),
    }
}

/// The pages' stylesheet.
pub(crate) async fn stylesheet() -> Response {
    static_file("text/css; charset=utf-8", STYLESHEET_CSS)
}

/// The form-post page's script.
pub(crate) async fn form_post_script() -> Response {
    static_file("text/javascript; charset=utf-8", FORM_POST_JS)
}

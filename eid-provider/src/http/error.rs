//! The one mapping from [`OAuthError`] to HTTP responses, by endpoint family.
//!
//! - Client endpoints (token, PAR, revocation, introspection): a JSON body
//!   `{"error", "error_description"}` (RFC 6749 §5.2) with `Cache-Control: no-store`; 401 for
//!   `invalid_client`, with `WWW-Authenticate: Basic realm="<issuer>"` when the client used
//!   Basic.
//! - UserInfo: the same body, and a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3): 401 for
//!   `invalid_token` (or no token at all, without an error code), 403 for `insufficient_scope`,
//!   400 for `invalid_request`.
//! - Browser endpoints (authorization, end session, logins): the HTML error page
//!   ([`super::page`]).
//!
//! `server_error` is 500 and `temporarily_unavailable` 503 everywhere. Their descriptions may
//! name internals (a store's failure): the detail is logged and the client sees a generic text.

use axum::Json;
use axum::http::header::{CACHE_CONTROL, PRAGMA, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::oauth_error::{OAuthError, OAuthErrorCode};

/// The status an error is answered with (without a more specific one, such as 413 or 415).
pub(crate) fn status_of(code: OAuthErrorCode) -> StatusCode {
    match code {
        OAuthErrorCode::InvalidClient | OAuthErrorCode::InvalidToken => StatusCode::UNAUTHORIZED,
        OAuthErrorCode::InsufficientScope => StatusCode::FORBIDDEN,
        OAuthErrorCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        OAuthErrorCode::TemporarilyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// The `error_description` the client sees: generic for internal failures (whose detail is
/// logged here), else the error's own, restricted to the characters RFC 6749 §5.2 allows
/// (`%x20-21 / %x23-5B / %x5D-7E`, so that it also fits in a quoted header value).
pub(crate) fn public_description(error: &OAuthError) -> String {
    match error.code() {
        OAuthErrorCode::ServerError => {
            tracing::error!(description = error.description(), "internal error");
            "an internal error occurred".to_owned()
        }
        OAuthErrorCode::TemporarilyUnavailable => {
            tracing::warn!(description = error.description(), "temporarily unavailable");
            "the service is temporarily unavailable; try again later".to_owned()
        }
        _ => error
            .description()
            .chars()
            .map(|c| match c {
                ' ' | '!' | '#'..='[' | ']'..='~' => c,
                _ => '?',
            })
            .collect(),
    }
}

/// Headers every protocol response that may carry a token or an error carries (RFC 6749 §5.1).
fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
}

/// `{"error", "error_description"}` with `status`, not stored.
pub(crate) fn json_error(error: &OAuthError, status: StatusCode) -> Response {
    let body = serde_json::json!({
        "error": error.code().as_str(),
        "error_description": public_description(error),
    });
    let mut response = (status, Json(body)).into_response();
    no_store(&mut response);
    response
}

/// A quoted-string for a challenge parameter (the value is already restricted to visible
/// ASCII without `"` and `\` by [`public_description`]; this is the belt to its braces).
fn quoted(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control() && *c != '"' && *c != '\\')
        .collect()
}

/// The error response of a client endpoint (token, PAR, revocation, introspection).
/// `basic_realm` is the realm to challenge with when the request used HTTP Basic.
pub(crate) fn client_error(error: &OAuthError, basic_realm: Option<&str>) -> Response {
    client_error_with_status(error, status_of(error.code()), basic_realm)
}

/// As [`client_error`], with a status chosen by the caller (413, 415).
pub(crate) fn client_error_with_status(
    error: &OAuthError,
    status: StatusCode,
    basic_realm: Option<&str>,
) -> Response {
    let mut response = json_error(error, status);
    if error.code() == OAuthErrorCode::InvalidClient
        && let Some(realm) = basic_realm
        && let Ok(challenge) = HeaderValue::from_str(&format!("Basic realm=\"{}\"", quoted(realm)))
    {
        response.headers_mut().insert(WWW_AUTHENTICATE, challenge);
    }
    response
}

/// The error response of the UserInfo endpoint (RFC 6750 §3.1).
pub(crate) fn bearer_error(error: &OAuthError) -> Response {
    bearer_error_with_status(error, status_of(error.code()))
}

/// As [`bearer_error`], with a status chosen by the caller (413, 415).
pub(crate) fn bearer_error_with_status(error: &OAuthError, status: StatusCode) -> Response {
    let mut response = json_error(error, status);
    let challenge = match error.code() {
        OAuthErrorCode::InvalidToken
        | OAuthErrorCode::InsufficientScope
        | OAuthErrorCode::InvalidRequest => format!(
            "Bearer error=\"{}\", error_description=\"{}\"",
            error.code().as_str(),
            quoted(&public_description(error)),
        ),
        _ => return response,
    };
    if let Ok(challenge) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(WWW_AUTHENTICATE, challenge);
    }
    response
}

/// The answer to a UserInfo request that carries no token at all: 401 with a bare challenge
/// (RFC 6750 §3.1: no error code when the request lacks authentication information).
pub(crate) fn bearer_missing() -> Response {
    let error = OAuthError::new(
        OAuthErrorCode::InvalidToken,
        "an access token is required (Authorization: Bearer, or access_token in a form body)",
    );
    let mut response = json_error(&error, StatusCode::UNAUTHORIZED);
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// Adds `Cache-Control: no-store` and `Pragma: no-cache` to a successful protocol response.
pub(crate) fn not_stored(mut response: Response) -> Response {
    no_store(&mut response);
    response
}

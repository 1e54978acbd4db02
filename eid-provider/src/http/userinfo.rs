//! The UserInfo endpoint (OIDC Core §5.3): the access token from `Authorization: Bearer` (GET
//! or POST) or from the form body's `access_token` (POST, RFC 6750 §2.2); never from the query
//! (RFC 6750 §2.3 leaks it into logs and histories), and never from two places at once
//! (RFC 6750 §2).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Method};
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::error::{bearer_error, bearer_error_with_status, bearer_missing, not_stored};
use super::request::{
    BearerToken, authorization_header, bearer_token, is_b64token, optional_form_parameters,
    query_parameters, refuse_repeats,
};
use crate::oauth_error::{OAuthError, OAuthErrorCode};
use crate::provider::UserInfoResponse;

/// The UserInfo endpoint.
pub(crate) async fn userinfo(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let reject = |rejection: super::request::Rejection| {
        bearer_error_with_status(&rejection.error, rejection.status)
    };
    // The query is read only to refuse a token in it.
    match query_parameters(&parts) {
        Ok(query) if query.contains("access_token") => {
            return bearer_error(&OAuthError::invalid_request(
                "the access token must not be sent in the query",
            ));
        }
        Ok(_) => {}
        Err(rejection) => return reject(rejection),
    }
    let header = match authorization_header(&parts.headers) {
        Ok(header) => header,
        Err(rejection) => return reject(rejection),
    };
    let from_header = bearer_token(header);
    let from_form = if parts.method == Method::POST {
        let form = match optional_form_parameters(&parts, body).await {
            Ok(form) => form,
            Err(rejection) => return reject(rejection),
        };
        if let Err(rejection) = refuse_repeats(&form) {
            return reject(rejection);
        }
        match form.single("access_token") {
            Ok(token) => token.map(str::to_owned),
            Err(error) => return bearer_error(&error),
        }
    } else {
        None
    };
    let token = match (from_header, from_form.as_deref()) {
        (BearerToken::Absent, None) => return bearer_missing(),
        (BearerToken::Malformed, _) => {
            return bearer_error(&OAuthError::new(
                OAuthErrorCode::InvalidToken,
                "the bearer token is malformed",
            ));
        }
        (BearerToken::Present(_), Some(_)) => {
            return bearer_error(&OAuthError::invalid_request(
                "the access token must be sent in one place only",
            ));
        }
        (BearerToken::Present(token), None) => token,
        (BearerToken::Absent, Some(token)) if is_b64token(token) => token,
        (BearerToken::Absent, Some(_)) => {
            return bearer_error(&OAuthError::new(
                OAuthErrorCode::InvalidToken,
                "the access token is malformed",
            ));
        }
    };
    match shared.provider.userinfo(token).await {
        Ok(UserInfoResponse::Json(claims)) => not_stored(Json(claims).into_response()),
        Ok(UserInfoResponse::Jwt(jwt)) => {
            let mut response = jwt.into_response();
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/jwt"));
            not_stored(response)
        }
        Err(error) => {
            tracing::info!(error = error.code().as_str(), "UserInfo request refused");
            bearer_error(&error)
        }
    }
}

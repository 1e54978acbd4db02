//! The endpoints clients call directly with a form POST and their credentials: token (RFC 6749
//! §3.2), pushed authorization requests (RFC 9126), revocation (RFC 7009) and introspection
//! (RFC 7662). Their answers are JSON and never stored.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::error::{client_error, client_error_with_status, not_stored};
use super::request::{client_credentials, form_parameters, is_basic, refuse_repeats};
use crate::client::ClientCredentials;
use crate::params::Parameters;

/// A client's request, read: its credentials, its parameters, and the realm to challenge with
/// if it used HTTP Basic.
struct ClientRequest {
    credentials: ClientCredentials,
    parameters: Parameters,
    basic_realm: Option<String>,
}

impl ClientRequest {
    /// Reads the form body and the credentials; a bad request is answered here, before the
    /// protocol logic sees it (and so before any state changes).
    async fn read(shared: &Shared, request: Request) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        let realm = shared.site.realm();
        let header_basic = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .is_some_and(is_basic);
        let basic_realm = header_basic.then(|| realm.to_owned());
        let reject = |rejection: super::request::Rejection| {
            client_error_with_status(&rejection.error, rejection.status, basic_realm.as_deref())
        };
        let parameters = form_parameters(&parts, body).await.map_err(reject)?;
        refuse_repeats(&parameters).map_err(reject)?;
        let credentials = client_credentials(&parts.headers, &parameters).map_err(reject)?;
        Ok(Self {
            credentials,
            parameters,
            basic_realm,
        })
    }

    fn error(&self, error: &crate::OAuthError) -> Response {
        tracing::info!(error = error.code().as_str(), "client request refused");
        client_error(error, self.basic_realm.as_deref())
    }
}

/// The token endpoint.
pub(crate) async fn token(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let request = match ClientRequest::read(&shared, request).await {
        Ok(request) => request,
        Err(response) => return response,
    };
    match shared
        .provider
        .token(&request.credentials, &request.parameters)
        .await
    {
        Ok(tokens) => not_stored(Json(tokens.to_json()).into_response()),
        Err(error) => request.error(&error),
    }
}

/// The pushed authorization request endpoint: 201 with `request_uri` and `expires_in`.
pub(crate) async fn par(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let request = match ClientRequest::read(&shared, request).await {
        Ok(request) => request,
        Err(response) => return response,
    };
    match shared
        .provider
        .push_authorization_request(&request.credentials, &request.parameters)
        .await
    {
        Ok(pushed) => not_stored((StatusCode::CREATED, Json(pushed)).into_response()),
        Err(error) => request.error(&error),
    }
}

/// The revocation endpoint: 200 with an empty body on success (RFC 7009 §2.2).
pub(crate) async fn revoke(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let request = match ClientRequest::read(&shared, request).await {
        Ok(request) => request,
        Err(response) => return response,
    };
    match shared
        .provider
        .revoke(&request.credentials, &request.parameters)
        .await
    {
        Ok(()) => not_stored(StatusCode::OK.into_response()),
        Err(error) => request.error(&error),
    }
}

/// The introspection endpoint: the JSON the provider answers (RFC 7662 §2.2).
pub(crate) async fn introspect(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let request = match ClientRequest::read(&shared, request).await {
        Ok(request) => request,
        Err(response) => return response,
    };
    match shared
        .provider
        .introspect(&request.credentials, &request.parameters)
        .await
    {
        Ok(body) => not_stored(Json(body).into_response()),
        Err(error) => request.error(&error),
    }
}

//! The HTTP layer of the provider: an axum [`Router`] serving every endpoint of a [`Provider`],
//! with one mapping from [`OAuthError`] to responses, and the
//! [`Authenticator`] seam through which the person's login is done.
//!
//! [`router`] serves, at the paths of the provider's metadata (the paths of its absolute
//! endpoint URLs):
//!
//! | endpoint | methods | answer |
//! |---|---|---|
//! | `/.well-known/openid-configuration` under the issuer, and RFC 8414's `/.well-known/oauth-authorization-server` before the issuer's path | GET | the metadata, JSON |
//! | `jwks_uri` | GET | the key set, JSON |
//! | `authorization_endpoint` | GET (query), POST (form) | a 303 to the client, the form-post page, the authenticator's login, or the HTML error page |
//! | `pushed_authorization_request_endpoint` | POST | 201, JSON |
//! | `token_endpoint` | POST | JSON, `Cache-Control: no-store` |
//! | `userinfo_endpoint` | GET, POST (`Authorization: Bearer`, or `access_token` in a POST form; never the query) | JSON or `application/jwt` |
//! | `end_session_endpoint` | GET, POST | a 303, the logged-out page, or the error page |
//! | `revocation_endpoint` | POST | 200, empty |
//! | `introspection_endpoint` | POST | JSON |
//! | `<issuer path>/static/eid.css`, `<issuer path>/static/form-post.js` | GET | the pages' stylesheet and form-post script |
//!
//! Requests are read strictly before the protocol logic sees them, so that a bad one changes no
//! state: POST bodies must be `application/x-www-form-urlencoded` (else 415) of at most
//! [`MAX_BODY_BYTES`] (else 413) and valid UTF-8 once decoded; the client endpoints refuse any
//! repeated parameter (RFC 6749 §3.1); a wrong method is a 405 with `Allow`, `OPTIONS` a 204
//! with `Allow`; `HEAD` is answered on the read-only endpoints only. Errors are answered in the
//! endpoint's format: JSON `{"error", "error_description"}` on the client endpoints (401 for
//! `invalid_client`, with `WWW-Authenticate: Basic` when Basic was used), a `Bearer`
//! challenge on UserInfo, the HTML error page on the browser endpoints; `server_error` is 500
//! and `temporarily_unavailable` 503, with a generic description (the detail is logged).
//!
//! The session cookie is [`SESSION_COOKIE`], suffixed with the issuer's port when it names one
//! ([`session_cookie_name`]), `HttpOnly`, `SameSite=Lax`, `Path=/`, `Secure` when the issuer is
//! `https`. Every response carries `X-Content-Type-Options: nosniff` and
//! `Referrer-Policy: no-referrer`; the pages also a strict Content-Security-Policy. Paths the
//! provider does not serve go to the authenticator's own routes.
//!
//! Requests are logged with [`tracing`] (method, path without the query, status); tokens,
//! codes, cookies and personal data never are.

use std::collections::HashSet;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::{ALLOW, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, get, on};

use crate::discovery::Endpoint;
use crate::oauth_error::OAuthError;
use crate::provider::Provider;

mod authenticator;
mod backchannel;
mod browser;
mod client_api;
mod error;
mod jwks_fetch;
mod locale;
mod page;
mod published;
mod request;
mod server;
mod site;
mod userinfo;

pub use authenticator::{Authenticator, Logins};
pub use jwks_fetch::HttpJwksFetcher;
pub use page::escape;
pub use request::{MAX_BODY_BYTES, SESSION_COOKIE, session_cookie_name};
pub use server::Server;

use backchannel::Backchannel;
use site::Site;

/// What every handler shares.
#[derive(Debug)]
pub(crate) struct Shared {
    provider: Arc<Provider>,
    authenticator: Arc<dyn Authenticator>,
    site: Site,
    backchannel: Backchannel,
    metadata_json: Bytes,
}

/// How an endpoint answers a request it refuses before reading it (a wrong method).
#[derive(Clone, Copy, Debug)]
enum Family {
    /// JSON `{"error", "error_description"}`.
    Json,
    /// The HTML error page.
    Page,
}

/// The router of every endpoint of `provider`, at the paths its metadata publishes; paths it
/// does not serve go to the authenticator's own routes.
///
/// The provider's paths come from its validated metadata. Should two endpoints share a path,
/// the discovery documents and static files keep it first, then the required endpoints
/// (authorization, token, UserInfo, JWKS), then PAR, end session, revocation and
/// introspection; an endpoint whose path is taken, or is one axum cannot route (a segment
/// starting with `:` or `*`), is left out, with an error logged.
pub fn router(provider: Arc<Provider>, authenticator: Arc<dyn Authenticator>) -> Router {
    let logins = Logins::new(Arc::clone(&provider));
    let authenticator_routes = Arc::clone(&authenticator).routes(logins);
    let site = Site::of(&provider);
    let metadata_json = match serde_json::to_vec(provider.metadata()) {
        Ok(json) => Bytes::from(json),
        Err(error) => {
            tracing::error!(%error, "the metadata could not be serialised");
            Bytes::new()
        }
    };
    let endpoint_urls =
        serde_json::from_slice::<serde_json::Value>(&metadata_json).unwrap_or_default();
    let shared = Arc::new(Shared {
        site: site.clone(),
        backchannel: Backchannel::new(),
        metadata_json,
        authenticator,
        provider: Arc::clone(&provider),
    });

    let mut routes: Vec<(String, &'static str, MethodRouter<Arc<Shared>>)> = vec![
        (
            path_of(&provider.issuer().openid_configuration_url()),
            "openid configuration",
            read_only(get(published::metadata), Family::Json),
        ),
        (
            path_of(&provider.issuer().oauth_authorization_server_url()),
            "authorization server metadata",
            read_only(get(published::metadata), Family::Json),
        ),
        (
            site.assets.path(page::STYLESHEET),
            "stylesheet",
            read_only(get(published::stylesheet), Family::Json),
        ),
        (
            site.assets.path(page::FORM_POST_SCRIPT),
            "form-post script",
            read_only(get(published::form_post_script), Family::Json),
        ),
    ];
    // The required endpoints first: on a clash they keep their path.
    let order = [
        Endpoint::Authorization,
        Endpoint::Token,
        Endpoint::UserInfo,
        Endpoint::Jwks,
        Endpoint::PushedAuthorizationRequest,
        Endpoint::EndSession,
        Endpoint::Revocation,
        Endpoint::Introspection,
    ];
    for endpoint in order {
        let Some(url) = endpoint_urls.get(endpoint.field()).and_then(|v| v.as_str()) else {
            continue;
        };
        let methods = match endpoint {
            Endpoint::Authorization => browser(browser::authorize),
            Endpoint::EndSession => browser(browser::end_session),
            Endpoint::Jwks => read_only(get(published::jwks), Family::Json),
            Endpoint::UserInfo => with_allow(
                on(MethodFilter::GET.or(MethodFilter::POST), userinfo::userinfo),
                "GET, HEAD, POST, OPTIONS",
                Family::Json,
            ),
            Endpoint::Token => post_only(client_api::token),
            Endpoint::PushedAuthorizationRequest => post_only(client_api::par),
            Endpoint::Revocation => post_only(client_api::revoke),
            Endpoint::Introspection => post_only(client_api::introspect),
        };
        routes.push((path_of(url), endpoint.field(), methods));
    }

    let mut router = Router::new();
    let mut taken = HashSet::new();
    for (path, name, methods) in routes {
        if !routable(&path) {
            tracing::error!(
                endpoint = name,
                path,
                "the endpoint's path cannot be routed"
            );
            continue;
        }
        if !taken.insert(path.clone()) {
            tracing::error!(endpoint = name, path, "another endpoint has the same path");
            continue;
        }
        router = router.route(&path, methods);
    }
    router
        .with_state(shared)
        .fallback_service(authenticator_routes)
        .layer(axum::middleware::from_fn(common_headers))
}

/// The error page for `error`, in the language the request prefers, for an authenticator that
/// must refuse something itself (an unknown or expired login).
pub fn error_page(error: &OAuthError, provider: &Provider, headers: &HeaderMap) -> Response {
    let site = Site::of(provider);
    page::error_page(error, site.locale(None, headers), &site.assets)
}

/// The path of an absolute URL (`/` when it cannot be parsed, which validated metadata rules
/// out).
fn path_of(url: &str) -> String {
    url::Url::parse(url).map_or_else(|_| "/".to_owned(), |url| url.path().to_owned())
}

/// Whether axum can route `path` literally (no capture or wildcard syntax).
fn routable(path: &str) -> bool {
    path.starts_with('/')
        && !path.contains(['{', '}'])
        && path
            .split('/')
            .all(|segment| !segment.starts_with(':') && !segment.starts_with('*'))
}

/// GET and POST to `handler` (HEAD refused: a browser endpoint changes state).
fn browser<H, T>(handler: H) -> MethodRouter<Arc<Shared>>
where
    H: axum::handler::Handler<T, Arc<Shared>> + Clone,
    T: 'static,
{
    let allow = "GET, POST, OPTIONS";
    let methods = on(MethodFilter::GET.or(MethodFilter::POST), handler).on(
        MethodFilter::HEAD,
        move |state: State<Arc<Shared>>, headers: HeaderMap| {
            not_allowed(state, headers, allow, Family::Page)
        },
    );
    with_allow(methods, allow, Family::Page)
}

/// POST only.
fn post_only<H, T>(handler: H) -> MethodRouter<Arc<Shared>>
where
    H: axum::handler::Handler<T, Arc<Shared>> + Clone,
    T: 'static,
{
    with_allow(axum::routing::post(handler), "POST, OPTIONS", Family::Json)
}

/// GET (and so HEAD) only.
fn read_only(methods: MethodRouter<Arc<Shared>>, family: Family) -> MethodRouter<Arc<Shared>> {
    with_allow(methods, "GET, HEAD, OPTIONS", family)
}

/// Adds `OPTIONS` (204 with `Allow`) and the 405 for every other method.
fn with_allow(
    methods: MethodRouter<Arc<Shared>>,
    allow: &'static str,
    family: Family,
) -> MethodRouter<Arc<Shared>> {
    methods
        .options(move || async move {
            let mut response = StatusCode::NO_CONTENT.into_response();
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static(allow));
            response
        })
        .fallback(move |state: State<Arc<Shared>>, headers: HeaderMap| {
            not_allowed(state, headers, allow, family)
        })
}

/// 405 with `Allow`, in the endpoint's format.
async fn not_allowed(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    allow: &'static str,
    family: Family,
) -> Response {
    let error = OAuthError::invalid_request(format!("the method is not allowed; use {allow}"));
    let mut response = match family {
        Family::Json => error::json_error(&error, StatusCode::METHOD_NOT_ALLOWED),
        Family::Page => page::error_page_with_status(
            &error,
            StatusCode::METHOD_NOT_ALLOWED,
            shared.site.locale(None, &headers),
            &shared.site.assets,
        ),
    };
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    response
}

/// Logs the request (method, path, status) and adds the headers every response carries.
async fn common_headers(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(X_CONTENT_TYPE_OPTIONS) {
        headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    }
    if !headers.contains_key(REFERRER_POLICY) {
        headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    }
    tracing::info!(%method, path, status = response.status().as_u16(), "request");
    response
}

#[cfg(test)]
mod tests;

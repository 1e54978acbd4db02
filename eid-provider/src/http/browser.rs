//! The endpoints the person's browser visits: authorization (GET query or POST form) and end
//! session; and the delivery of an authorization response to the client (a 303 redirect, or the
//! form-post page).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::locale::Locale;
use super::page::{error_page, error_page_with_status, form_post_page, logged_out_page};
use super::request::{Rejection, form_parameters, query_parameters, session_cookie};
use super::site::Site;
use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::provider::{
    AuthorizationResponse, AuthorizeOutcome, EndSession, EndSessionOutcome, ResponseMode,
};

/// A 303 to `location`, not stored (it may carry a code).
pub(crate) fn see_other(location: &str, site: &Site, locale: Locale) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(LOCATION, value);
            response
                .headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(_) => error_page(
            &OAuthError::server_error("the redirect location is not a valid header value"),
            locale,
            &site.assets,
        ),
    }
}

/// Delivers an authorization response to the client's redirect URI.
pub(crate) fn respond(response: &AuthorizationResponse, site: &Site, locale: Locale) -> Response {
    match response.mode {
        ResponseMode::FormPost => form_post_page(
            response.redirect_uri.as_str(),
            &response.parameters,
            locale,
            &site.assets,
        ),
        ResponseMode::Query | ResponseMode::Fragment => {
            see_other(&response.location(), site, locale)
        }
    }
}

/// The parameters of a browser request: the query of a GET, the form body of a POST.
async fn browser_parameters(parts: &Parts, body: Body) -> Result<Parameters, Rejection> {
    if parts.method == Method::POST {
        form_parameters(parts, body).await
    } else {
        query_parameters(parts)
    }
}

/// The page language of a browser request: `ui_locales` if it came once, else the headers.
fn locale_of(site: &Site, parameters: Option<&Parameters>, headers: &HeaderMap) -> Locale {
    let ui_locales = parameters.and_then(|p| p.single("ui_locales").ok().flatten());
    site.locale(ui_locales, headers)
}

/// The authorization endpoint (OIDC Core §3.1.2.1: GET and POST).
pub(crate) async fn authorize(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let site = &shared.site;
    let parameters = match browser_parameters(&parts, body).await {
        Ok(parameters) => parameters,
        Err(rejection) => {
            let locale = locale_of(site, None, &parts.headers);
            return error_page_with_status(
                &rejection.error,
                rejection.status,
                locale,
                &site.assets,
            );
        }
    };
    let locale = locale_of(site, Some(&parameters), &parts.headers);
    let session = session_cookie(&parts.headers, &site.session_cookie);
    let outcome = shared
        .provider
        .authorize(&parameters, session.as_ref())
        .await;
    answer_authorize(&shared, outcome, &parts.headers, locale).await
}

/// The response to an authorization request's outcome.
pub(crate) async fn answer_authorize(
    shared: &Shared,
    outcome: AuthorizeOutcome,
    headers: &HeaderMap,
    locale: Locale,
) -> Response {
    let site = &shared.site;
    match outcome {
        AuthorizeOutcome::ErrorPage(error) => {
            tracing::info!(
                error = error.code().as_str(),
                "authorization request refused"
            );
            error_page(&error, locale, &site.assets)
        }
        AuthorizeOutcome::Respond(response) => respond(&response, site, locale),
        AuthorizeOutcome::Login(pending) => shared.authenticator.begin(pending, headers).await,
    }
}

/// The end-session endpoint (RP-Initiated Logout 1.0 §2: GET and POST). Back-channel logout
/// tokens are delivered in the background; the browser does not wait for them.
pub(crate) async fn end_session(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let site = &shared.site;
    let parameters = match browser_parameters(&parts, body).await {
        Ok(parameters) => parameters,
        Err(rejection) => {
            let locale = locale_of(site, None, &parts.headers);
            return error_page_with_status(
                &rejection.error,
                rejection.status,
                locale,
                &site.assets,
            );
        }
    };
    let locale = locale_of(site, Some(&parameters), &parts.headers);
    let session = session_cookie(&parts.headers, &site.session_cookie);
    let end = shared
        .provider
        .end_session(&parameters, session.as_ref())
        .await;
    answer_end_session(&shared, end, locale)
}

/// The response to an end-session request's result; its back-channel logouts are started.
pub(crate) fn answer_end_session(shared: &Shared, end: EndSession, locale: Locale) -> Response {
    let site = &shared.site;
    if !end.backchannel.is_empty() {
        shared.backchannel.spawn(end.backchannel);
    }
    let mut response = match end.outcome {
        EndSessionOutcome::Redirect(location) => see_other(&location, site, locale),
        EndSessionOutcome::LoggedOut => logged_out_page(locale, &site.assets),
        EndSessionOutcome::Refused(error) => {
            tracing::info!(error = error.code().as_str(), "end-session request refused");
            error_page(&error, locale, &site.assets)
        }
    };
    if end.clear_session {
        site.clear_session(&mut response);
    }
    response
}

//! The mock's [`Authenticator`]: a login page listing the test persons, and the form post that
//! completes or cancels the login.
//!
//! 1. The engine hands a pending login to [`MockAuthenticator::begin`], which answers
//!    `303 See Other` to `/login?transaction=<id>` and sets the cookie `eid_login`
//!    (`HttpOnly`, `SameSite=Lax`, `Path=/login`, `Secure` for an `https` issuer) that binds
//!    the transaction to this browser.
//! 2. `GET /login?transaction=<id>` shows the page ([`page`]): Swedish or English by
//!    `ui_locales`, else `Accept-Language`, else Swedish; one radio button per person the
//!    profile offers (the `login_hint`, if it names one, preselected), a log-in and a cancel
//!    button.
//! 3. `POST /login` (`application/x-www-form-urlencoded`) with `transaction` and
//!    `person=<id>` logs that person in ([`Logins::complete`]), or with `cancel=1` cancels
//!    ([`Logins::abort`] with `access_denied`). The answer redirects the browser to the client.
//!    A [`Scenario`] queued or set for the person is applied here.
//!
//! Without a browser, a test does exactly what the form does: follow the authorization
//! redirect to `/login?transaction=…` keeping the `eid_login` cookie, and POST the form (see
//! the crate documentation for an example).

pub mod page;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::clock::UnixTime;
use eid_provider::http::{Authenticator, Logins};
use eid_provider::provider::PendingLogin;
use eid_provider::secret::SecretDigest;
use eid_provider::store::TransactionId;
use eid_provider::{OAuthError, OAuthErrorCode};
use ring::rand::SecureRandom as _;

use crate::scenario::Scenario;
use crate::scenario::rewrite::rewrite_location;
use crate::server::Shared;
use page::{Choice, Locale, LoginPage, Problem, error_response, html_response};

/// The path of the login page and its form.
pub const LOGIN_PATH: &str = "/login";

/// The cookie that binds a pending login to the browser that started it.
pub const LOGIN_COOKIE: &str = "eid_login";

/// The largest form body accepted.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The most pending logins remembered at once.
const MAX_PENDING: usize = 10_000;

/// The authenticator of the mock: see the [module documentation](self).
#[derive(Debug)]
pub struct MockAuthenticator {
    shared: Arc<Shared>,
}

impl MockAuthenticator {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

/// Which browser (by the digest of its `eid_login` cookie) started which pending login (by the
/// digest of the transaction id), until when.
#[derive(Debug, Default)]
pub(crate) struct Bindings(Mutex<HashMap<SecretDigest, (SecretDigest, UnixTime)>>);

impl Bindings {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SecretDigest, (SecretDigest, UnixTime)>> {
        // Every update is one call on the map: a poisoned lock still holds a valid map.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn bind(
        &self,
        transaction: &TransactionId,
        browser: &str,
        expires: UnixTime,
        now: UnixTime,
    ) -> bool {
        let mut map = self.lock();
        if map.len() >= MAX_PENDING {
            map.retain(|_, (_, until)| *until > now);
        }
        if map.len() >= MAX_PENDING {
            return false;
        }
        map.insert(transaction.digest(), (SecretDigest::of(browser), expires));
        true
    }

    fn is_bound(&self, transaction: &TransactionId, browser: Option<&str>, now: UnixTime) -> bool {
        let Some(browser) = browser else {
            return false;
        };
        self.lock()
            .get(&transaction.digest())
            .is_some_and(|(bound, until)| *until > now && *bound == SecretDigest::of(browser))
    }

    fn release(&self, transaction: &TransactionId) {
        self.lock().remove(&transaction.digest());
    }
}

/// The value of cookie `name` in `headers`.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// A browser id presented in the cookie: 43 base64url characters, as the mock makes them.
fn well_formed_browser_id(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The single value of each parameter; `None` if one is repeated or the input is malformed.
fn parameters(input: &[u8]) -> Option<HashMap<String, String>> {
    let mut map = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(input) {
        if map.insert(name.into_owned(), value.into_owned()).is_some() {
            return None;
        }
    }
    Some(map)
}

fn locale_of(headers: &HeaderMap, ui_locales: &[String]) -> Locale {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Locale::choose(ui_locales, accept)
}

#[async_trait]
impl Authenticator for MockAuthenticator {
    async fn begin(&self, login: PendingLogin, headers: &HeaderMap) -> Response {
        let shared = &self.shared;
        let locale = locale_of(headers, &login.ui_locales);
        let browser = match cookie(headers, LOGIN_COOKIE).filter(|v| well_formed_browser_id(v)) {
            Some(existing) => existing.to_owned(),
            None => {
                let mut bytes = [0_u8; 32];
                if shared.rng.fill(&mut bytes).is_err() {
                    return error_response(locale, Problem::Internal);
                }
                URL_SAFE_NO_PAD.encode(bytes)
            }
        };
        let now = shared.clock.now();
        let expires = now.saturating_add(shared.transaction_ttl);
        if !shared
            .bindings
            .bind(&login.transaction, &browser, expires, now)
        {
            return error_response(locale, Problem::Internal);
        }
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("transaction", login.transaction.expose_secret())
            .finish();
        let location = format!("{LOGIN_PATH}?{query}");
        let secure = if shared.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie =
            format!("{LOGIN_COOKIE}={browser}; HttpOnly; SameSite=Lax; Path={LOGIN_PATH}{secure}");
        let mut response = StatusCode::SEE_OTHER.into_response();
        let headers = response.headers_mut();
        match (
            HeaderValue::from_str(&location),
            HeaderValue::from_str(&cookie),
        ) {
            (Ok(location), Ok(cookie)) => {
                headers.insert(header::LOCATION, location);
                headers.insert(header::SET_COOKIE, cookie);
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            }
            _ => return error_response(locale, Problem::Internal),
        }
        response
    }

    fn routes(self: Arc<Self>, logins: Logins) -> Router {
        let state = LoginRoutes {
            authenticator: self,
            logins,
        };
        Router::new()
            .route(LOGIN_PATH, get(show).post(submit))
            .with_state(state)
    }
}

#[derive(Clone)]
struct LoginRoutes {
    authenticator: Arc<MockAuthenticator>,
    logins: Logins,
}

impl LoginRoutes {
    fn shared(&self) -> &Shared {
        &self.authenticator.shared
    }

    /// The transaction of `fields`, if well formed and bound to this browser.
    fn transaction(
        &self,
        fields: &HashMap<String, String>,
        headers: &HeaderMap,
    ) -> Result<TransactionId, Problem> {
        let transaction = fields
            .get("transaction")
            .and_then(|t| TransactionId::from_presented(t).ok())
            .ok_or(Problem::BadRequest)?;
        let shared = self.shared();
        if !shared.insecure_skip_login_binding
            && !shared.bindings.is_bound(
                &transaction,
                cookie(headers, LOGIN_COOKIE),
                shared.clock.now(),
            )
        {
            return Err(Problem::WrongBrowser);
        }
        Ok(transaction)
    }
}

/// `GET /login?transaction=…`: the page.
async fn show(
    State(routes): State<LoginRoutes>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let fallback = locale_of(&headers, &[]);
    let Some(fields) = parameters(query.unwrap_or_default().as_bytes()) else {
        return error_response(fallback, Problem::BadRequest);
    };
    let transaction = match routes.transaction(&fields, &headers) {
        Ok(transaction) => transaction,
        Err(problem) => return error_response(fallback, problem),
    };
    let pending = match routes.logins.pending(&transaction).await {
        Ok(Some(pending)) => pending,
        Ok(None) => return error_response(fallback, Problem::Expired),
        Err(_) => return error_response(fallback, Problem::Internal),
    };
    let shared = routes.shared();
    let locale = locale_of(&headers, &pending.ui_locales);
    let today = shared.clock.now().date();
    let choices: Vec<Choice<'_>> = shared
        .persons
        .iter()
        .filter(|person| shared.profile.offers(person))
        .map(|person| Choice {
            id: person.id().as_str(),
            name: person.display_name(),
            kind: person.kind(today),
        })
        .collect();
    let preselected = pending
        .login_hint
        .as_deref()
        .filter(|hint| choices.iter().any(|c| c.id == *hint));
    let page = LoginPage {
        locale,
        transaction: transaction.expose_secret(),
        client_id: pending.client_id.as_str(),
        choices,
        preselected,
    };
    html_response(StatusCode::OK, locale, page.render())
}

/// `POST /login`: log the chosen person in, or cancel.
async fn submit(State(routes): State<LoginRoutes>, headers: HeaderMap, body: Bytes) -> Response {
    let locale = locale_of(&headers, &[]);
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        let mut response = error_response(locale, Problem::BadRequest);
        *response.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        return response;
    }
    if body.len() > MAX_FORM_BYTES {
        let mut response = error_response(locale, Problem::BadRequest);
        *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return response;
    }
    let Some(fields) = parameters(&body) else {
        return error_response(locale, Problem::BadRequest);
    };
    let transaction = match routes.transaction(&fields, &headers) {
        Ok(transaction) => transaction,
        Err(problem) => return error_response(locale, problem),
    };
    let shared = routes.shared();
    let cancel = fields.get("cancel").map(String::as_str);
    let person_id = fields.get("person").map(String::as_str);
    let person = match (cancel, person_id) {
        (Some("1"), None) => {
            shared.bindings.release(&transaction);
            let error = OAuthError::new(
                OAuthErrorCode::AccessDenied,
                "the person cancelled the login",
            );
            return routes
                .logins
                .abort_with_headers(&transaction, error, &headers)
                .await;
        }
        (None, Some(id)) => match shared.persons.get(id).filter(|p| shared.profile.offers(p)) {
            Some(person) => person,
            None => return error_response(locale, Problem::UnknownPerson),
        },
        _ => return error_response(locale, Problem::BadRequest),
    };

    let scenario = shared
        .book
        .take_next()
        .or_else(|| person.scenario().cloned());
    let upstream_error = match &scenario {
        Some(Scenario::Cancel) => Some(OAuthError::new(
            OAuthErrorCode::AccessDenied,
            "the person cancelled the login",
        )),
        Some(Scenario::ServerError) => Some(OAuthError::new(
            OAuthErrorCode::ServerError,
            "the identity provider failed",
        )),
        Some(Scenario::TemporarilyUnavailable) => Some(OAuthError::new(
            OAuthErrorCode::TemporarilyUnavailable,
            "the identity provider is temporarily unavailable",
        )),
        _ => None,
    };
    if let Some(error) = upstream_error {
        shared.bindings.release(&transaction);
        return routes
            .logins
            .abort_with_headers(&transaction, error, &headers)
            .await;
    }
    if let Some(delay) = scenario.as_ref().and_then(Scenario::delay) {
        scripted_delay(delay).await;
    }

    let next = shared.take_next_claims();
    let now = shared.clock.now();
    let authentication = match shared
        .subject_key
        .subject(person.id())
        .map_err(Into::into)
        .and_then(|subject| {
            shared.profile.authenticate(
                person,
                subject,
                next.as_ref().map(|n| n.identity()),
                next.as_ref().and_then(|n| n.acr()),
                now,
            )
        }) {
        Ok(authentication) => authentication,
        Err(_) => return error_response(locale, Problem::Internal),
    };
    let (completion, mut response) = match routes
        .logins
        .complete(&transaction, authentication, &headers)
        .await
    {
        Ok(done) => done,
        Err(response) => return response,
    };
    shared.bindings.release(&transaction);
    if let Some(scenario) = scenario {
        if scenario.applies_after_login()
            && let Some(sid) = &completion.sid
        {
            shared.book.remember_session(sid, scenario.clone());
        }
        if scenario.alters_authorization_response() {
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(|v| rewrite_location(v, &scenario));
            if let Some(value) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
                response.headers_mut().insert(header::LOCATION, value);
            }
        }
    }
    response
}

/// Waits `delay`: the slow-login scenario is a deliberate, scripted delay of the answer, not a
/// synchronisation.
#[expect(
    clippy::disallowed_methods,
    reason = "the slow-login scenario delays the answer on purpose; nothing waits on it to synchronise"
)]
async fn scripted_delay(delay: std::time::Duration) {
    tokio::time::sleep(delay).await;
}

#[cfg(test)]
mod tests;

//! The broker's [`Authenticator`]: from a pending login to an upstream and back.
//!
//! 1. [`begin`](Authenticator::begin): the [`Policy`] makes a [`Plan`] (or the login is
//!    aborted with its error, typically `unmet_authentication_requirements`). With one
//!    upstream to use (named by the request, or the only one that can meet the level), the
//!    person goes straight upstream; otherwise to the choice page [`CHOOSE_PATH`], bound to
//!    this browser.
//! 2. Going upstream: the connector's [`Upstream::begin`] with the plan's levels for that
//!    upstream (never the client's `acr_values`), and the state kept in the [`FlowStore`]
//!    under a digest of the upstream `state`, bound to the browser (cookie
//!    [`BROWSER_COOKIE`]), for the upstream's login lifetime, taken once.
//! 3. [`CALLBACK_PATH`]: the state is taken; the browser must be the one that started; the
//!    plan is made again from the still-pending login; [`Upstream::finish`] checks the
//!    response; the asserted level is checked against the plan; the identity is normalised
//!    and checked (organisation, required claims); the subject is resolved; and the login is
//!    completed with [`Logins::complete`].
//!
//! Every failure aborts the login with [`Logins::abort_with_headers`] and the error the
//! client should see: `access_denied` when the person cancelled (here or upstream),
//! `temporarily_unavailable` or `server_error` when the upstream failed (as
//! [`UpstreamError::oauth_error_code`] says), `unmet_authentication_requirements` when the
//! level is not met. Nothing is issued half-way. Each finished login, whatever its outcome, is
//! reported to the [`Observers`] as a [`LoginEvent`] (no personal data).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::clock::{Clock, UnixTime};
use eid_provider::http::{Authenticator, Logins};
use eid_provider::provider::{Authentication, PendingLogin};
use eid_provider::store::TransactionId;
use eid_provider::{OAuthError, OAuthErrorCode};
use ring::rand::{SecureRandom as _, SystemRandom};

mod logout;
mod store;

pub use store::{FlowRecord, FlowStore, FlowStoreError, MemoryFlows};

use crate::audit::{LoginEvent, LoginObserver as _, LoginOutcome, Observers};
use crate::policy::{Candidate, Plan, Policy, UPSTREAM_HINT_PREFIX};
use crate::selection::{
    CHOICE_COOKIE, ChoicePage, Locale, PageError, ProviderOption, UiTexts, error_page,
    html_response,
};
use crate::subject::{SubjectError, SubjectResolver, SubjectType};
use crate::upstream::{Ask, CallbackParams, Prompt, Upstream, UpstreamError, UpstreamLogin};

/// The choice page's path.
pub const CHOOSE_PATH: &str = "/choose";
/// The upstream callback's path (one for all upstreams: the state finds the upstream).
pub const CALLBACK_PATH: &str = "/upstream/callback";
/// Where an upstream sends the person back after its logout.
pub const LOGGED_OUT_PATH: &str = "/upstream/logged-out";
/// The cookie that binds a login in progress to the browser that started it.
pub const BROWSER_COOKIE: &str = "eid_broker_browser";
/// How long a remembered choice lasts, in seconds (one year).
const REMEMBER_SECS: u64 = 365 * 24 * 3600;
/// How many parameters a callback or form may have.
const MAX_FIELDS: usize = 16;

/// What the pages show of each upstream.
#[derive(Clone, Debug, Default)]
pub struct Ui {
    /// The texts.
    pub texts: UiTexts,
    /// Logo URLs by upstream id.
    pub logos: HashMap<String, String>,
    /// The engine's stylesheet path.
    pub stylesheet: String,
}

/// The broker's authenticator: see [the module documentation](self).
pub struct Flow {
    policy: Policy,
    upstreams: Vec<Arc<Upstream>>,
    subject_types: HashMap<String, SubjectType>,
    subjects: SubjectResolver,
    flows: Arc<dyn FlowStore>,
    observers: Observers,
    clock: Arc<dyn Clock>,
    ui: Ui,
    secure_cookies: bool,
    issuer: String,
    session_ttl: Duration,
    transaction_ttl: Duration,
    rng: SystemRandom,
    logins: OnceLock<Logins>,
}

impl fmt::Debug for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Flow")
            .field(
                "upstreams",
                &self.upstreams.iter().map(|u| u.id()).collect::<Vec<_>>(),
            )
            .field("subjects", &self.subjects.mode())
            .finish_non_exhaustive()
    }
}

/// What a [`Flow`] is made of.
#[derive(Debug)]
#[non_exhaustive]
pub struct FlowParts {
    /// The policy.
    pub policy: Policy,
    /// The upstreams, in the policy's order.
    pub upstreams: Vec<Arc<Upstream>>,
    /// Each client's `sub` type; a client not listed gets a pairwise `sub` with its client
    /// id as the sector.
    pub subject_types: HashMap<String, SubjectType>,
    /// The subject resolver.
    pub subjects: SubjectResolver,
    /// The store of logins in progress.
    pub flows: Arc<dyn FlowStore>,
    /// The observers of finished logins.
    pub observers: Observers,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The pages.
    pub ui: Ui,
    /// Whether cookies are `Secure` (an `https` issuer).
    pub secure_cookies: bool,
    /// The broker's issuer (its logout return URL is under it).
    pub issuer: String,
    /// How long a broker session lasts (how long its upstream is remembered for logout).
    pub session_ttl: Duration,
    /// How long a pending login waits (how long the choice page is valid).
    pub transaction_ttl: Duration,
}

fn digest(value: &str) -> String {
    URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        value.as_bytes(),
    ))
}

fn choice_key(transaction: &TransactionId) -> String {
    format!("choice:{}", digest(transaction.expose_secret()))
}

fn upstream_key(state: &str) -> String {
    format!("upstream:{}", digest(state))
}

fn session_key(session: &str) -> String {
    format!("session:{}", digest(session))
}

fn logout_key(state: &str) -> String {
    format!("logout:{}", digest(state))
}

/// The value of cookie `name`.
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

/// Form or query fields; `None` when malformed, repeated or too many.
fn fields(input: &[u8]) -> Option<HashMap<String, String>> {
    let mut map = HashMap::new();
    for (count, (name, value)) in url::form_urlencoded::parse(input).enumerate() {
        if count >= MAX_FIELDS || map.insert(name.into_owned(), value.into_owned()).is_some() {
            return None;
        }
    }
    Some(map)
}

/// The outcome of a login refused with `code` for `reason`: cancelled only when the person
/// cancelled (here or upstream); other refusals with `access_denied` (an organisation, a
/// missing claim, another browser) are failures.
fn outcome_of(code: OAuthErrorCode, reason: &str) -> LoginOutcome {
    match code {
        OAuthErrorCode::AccessDenied if reason == "cancelled" => LoginOutcome::Cancelled,
        OAuthErrorCode::UnmetAuthenticationRequirements => LoginOutcome::Unmet,
        _ => LoginOutcome::Failed,
    }
}

/// A login's context while the flow runs.
struct Context<'a> {
    transaction: &'a TransactionId,
    client: &'a str,
    started_at: UnixTime,
    upstream: Option<&'a str>,
}

impl Flow {
    /// The flow of `parts`.
    pub fn new(parts: FlowParts) -> Self {
        Self {
            policy: parts.policy,
            upstreams: parts.upstreams,
            subject_types: parts.subject_types,
            subjects: parts.subjects,
            flows: parts.flows,
            observers: parts.observers,
            clock: parts.clock,
            ui: parts.ui,
            secure_cookies: parts.secure_cookies,
            issuer: parts.issuer.trim_end_matches('/').to_owned(),
            session_ttl: parts.session_ttl,
            transaction_ttl: parts.transaction_ttl,
            rng: SystemRandom::new(),
            logins: OnceLock::new(),
        }
    }

    /// The upstreams.
    pub fn upstreams(&self) -> &[Arc<Upstream>] {
        &self.upstreams
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    fn upstream(&self, id: &str) -> Option<&Arc<Upstream>> {
        self.upstreams.iter().find(|u| u.id() == id)
    }

    fn error(&self, headers: &HeaderMap, problem: PageError) -> Response {
        let locale = Locale::choose(&[], headers);
        let html = error_page(
            locale,
            self.ui.texts.of(locale),
            &self.ui.stylesheet,
            problem,
        );
        html_response(problem.status(), locale, html)
    }

    fn record(&self, context: &Context<'_>, outcome: LoginOutcome, reason: Option<&'static str>) {
        let elapsed = self
            .clock
            .now()
            .duration_since(context.started_at)
            .unwrap_or_default();
        let mut event = LoginEvent::new(outcome, context.client, elapsed);
        event.upstream = context.upstream.map(str::to_owned);
        event.reason = reason;
        self.observers.record(&event);
    }

    /// Aborts the login with `error`, reporting it.
    async fn fail(
        &self,
        logins: &Logins,
        context: &Context<'_>,
        error: OAuthError,
        reason: &'static str,
        headers: &HeaderMap,
    ) -> Response {
        tracing::info!(
            client = context.client,
            upstream = context.upstream,
            error = error.code().as_str(),
            reason,
            "login refused"
        );
        self.record(context, outcome_of(error.code(), reason), Some(reason));
        logins
            .abort_with_headers(context.transaction, error, headers)
            .await
    }

    /// A new browser id.
    fn new_browser_id(&self) -> Option<String> {
        let mut bytes = [0_u8; 32];
        self.rng.fill(&mut bytes).ok()?;
        Some(URL_SAFE_NO_PAD.encode(bytes))
    }

    fn browser_cookie(&self, browser: &str) -> Option<HeaderValue> {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{BROWSER_COOKIE}={browser}; HttpOnly; SameSite=Lax; Path=/{secure}"
        ))
        .ok()
    }

    fn redirect(location: &str, cookies: &[HeaderValue]) -> Option<Response> {
        let mut response = StatusCode::SEE_OTHER.into_response();
        let headers = response.headers_mut();
        headers.insert(header::LOCATION, HeaderValue::from_str(location).ok()?);
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        for value in cookies {
            headers.append(header::SET_COOKIE, value.clone());
        }
        Some(response)
    }

    /// Sends the person to `candidate`'s upstream.
    #[expect(clippy::too_many_arguments, reason = "one call site per entry point")]
    async fn go_upstream(
        &self,
        logins: &Logins,
        login: &PendingLogin,
        candidate: &Candidate,
        browser: &str,
        started_at: UnixTime,
        mut cookies: Vec<HeaderValue>,
        headers: &HeaderMap,
    ) -> Response {
        let context = Context {
            transaction: &login.transaction,
            client: login.client_id.as_str(),
            started_at,
            upstream: Some(&candidate.upstream),
        };
        let Some(upstream) = self.upstream(&candidate.upstream) else {
            let error = OAuthError::server_error("the upstream is not configured");
            return self
                .fail(logins, &context, error, "upstream_unknown", headers)
                .await;
        };
        let requirement = match candidate.ask() {
            Ok(requirement) => requirement,
            Err(error) => {
                return self
                    .fail(logins, &context, error, "no_levels", headers)
                    .await;
            }
        };
        let mut ask = Ask::new(requirement).with_ui_locales(login.ui_locales.iter().cloned());
        if let Some(hint) = login
            .login_hint
            .as_deref()
            .filter(|hint| !hint.starts_with(UPSTREAM_HINT_PREFIX))
        {
            ask = ask.with_login_hint(hint);
        }
        // A login the engine starts although the browser has a session (step-up to a higher
        // level, `max_age`, `prompt=login`) must be a fresh authentication upstream too, or
        // the upstream's own session would answer with its old `auth_time`.
        if login.prompt.login || login.subject_hint.is_some() {
            ask = ask.with_prompt(Prompt::Login);
        }
        if let Some(max_age) = login.max_age {
            ask = ask.with_max_age(Duration::from_secs(max_age));
        }
        let start = match upstream.begin(&ask).await {
            Ok(start) => start,
            Err(error) => {
                let reason = error.reason();
                let oauth = OAuthError::new(error.oauth_error_code(), reason);
                return self.fail(logins, &context, oauth, reason, headers).await;
            }
        };
        let record = FlowRecord {
            transaction: login.transaction.expose_secret().to_owned(),
            browser: digest(browser),
            client: login.client_id.as_str().to_owned(),
            started_at: started_at.as_secs(),
            upstream: Some(start.state.clone()),
            after: None,
        };
        let ttl = Duration::from_secs(upstream.config().login_lifetime_secs);
        let now = self.clock.now();
        if let Err(error) = self
            .flows
            .put(&upstream_key(start.state.state()), record, now, ttl)
            .await
        {
            let oauth = OAuthError::new(OAuthErrorCode::TemporarilyUnavailable, error.0);
            return self
                .fail(logins, &context, oauth, "flow_store", headers)
                .await;
        }
        if let Some(value) = self.browser_cookie(browser) {
            cookies.push(value);
        }
        match Self::redirect(start.url.as_str(), &cookies) {
            Some(response) => response,
            None => {
                let error = OAuthError::server_error("the upstream URL is not a header value");
                self.fail(logins, &context, error, "upstream_url", headers)
                    .await
            }
        }
    }

    /// The choice page's providers.
    fn options(&self, plan: &Plan) -> Vec<ProviderOption> {
        plan.candidates
            .iter()
            .filter_map(|candidate| {
                let upstream = self.upstream(&candidate.upstream)?;
                Some(ProviderOption {
                    id: candidate.upstream.clone(),
                    names: upstream.config().display_name.clone(),
                    logo: self.ui.logos.get(&candidate.upstream).cloned(),
                })
            })
            .collect()
    }

    /// The browser id of `headers`, if well formed and bound to the choice of `transaction`.
    async fn bound_choice(
        &self,
        transaction: &TransactionId,
        headers: &HeaderMap,
    ) -> Result<Option<FlowRecord>, FlowStoreError> {
        let Some(browser) = cookie(headers, BROWSER_COOKIE) else {
            return Ok(None);
        };
        let record = self
            .flows
            .get(&choice_key(transaction), self.clock.now())
            .await?;
        Ok(record.filter(|record| {
            bool::from(subtle::ConstantTimeEq::ct_eq(
                record.browser.as_bytes(),
                digest(browser).as_bytes(),
            ))
        }))
    }

    /// The login waiting at the choice page for `transaction`: the engine's handle, the flow's
    /// record (bound to this browser) and the pending login; or why the page cannot go on.
    async fn choosing(
        &self,
        transaction: &TransactionId,
        headers: &HeaderMap,
    ) -> Result<(&Logins, FlowRecord, PendingLogin), PageError> {
        let logins = self.logins.get().ok_or(PageError::NotReady)?;
        let record = self
            .bound_choice(transaction, headers)
            .await
            .map_err(|_| PageError::TryAgain)?
            .ok_or(PageError::OtherBrowser)?;
        let pending = logins
            .pending(transaction)
            .await
            .map_err(|_| PageError::TryAgain)?
            .ok_or(PageError::Expired)?;
        Ok((logins, record, pending))
    }

    async fn show_choice(&self, query: Option<String>, headers: HeaderMap) -> Response {
        let Some(transaction) = fields(query.unwrap_or_default().as_bytes())
            .and_then(|f| f.get("transaction").cloned())
            .and_then(|t| TransactionId::from_presented(&t).ok())
        else {
            return self.error(&headers, PageError::BadRequest);
        };
        let (_, _, pending) = match self.choosing(&transaction, &headers).await {
            Ok(found) => found,
            Err(problem) => return self.error(&headers, problem),
        };
        let Ok(plan) = self.policy.plan(&pending) else {
            return self.error(&headers, PageError::CannotBeMet);
        };
        let locale = Locale::choose(&pending.ui_locales, &headers);
        let options = self.options(&plan);
        let page = ChoicePage {
            locale,
            texts: self.ui.texts.of(locale),
            stylesheet: &self.ui.stylesheet,
            transaction: transaction.expose_secret(),
            options: &options,
            preselected: cookie(&headers, CHOICE_COOKIE),
        };
        html_response(StatusCode::OK, locale, page.render())
    }

    async fn submit_choice(&self, headers: HeaderMap, body: Bytes) -> Response {
        let Some(form) = fields(&body) else {
            return self.error(&headers, PageError::BadRequest);
        };
        let Some(transaction) = form
            .get("transaction")
            .and_then(|t| TransactionId::from_presented(t).ok())
        else {
            return self.error(&headers, PageError::BadRequest);
        };
        let (logins, record, pending) = match self.choosing(&transaction, &headers).await {
            Ok(found) => found,
            Err(problem) => return self.error(&headers, problem),
        };
        let started_at = UnixTime::from_secs(record.started_at);
        let context = Context {
            transaction: &transaction,
            client: pending.client_id.as_str(),
            started_at,
            upstream: None,
        };
        // The choice is used once, whatever happens next.
        if self
            .flows
            .take(&choice_key(&transaction), self.clock.now())
            .await
            .is_err()
        {
            return self.error(&headers, PageError::TryAgain);
        }
        if form.contains_key("cancel") {
            let error = OAuthError::new(
                OAuthErrorCode::AccessDenied,
                "the person cancelled the login",
            );
            return self
                .fail(logins, &context, error, "cancelled", &headers)
                .await;
        }
        let plan = match self.policy.plan(&pending) {
            Ok(plan) => plan,
            Err(error) => {
                return self.fail(logins, &context, error, "unmet", &headers).await;
            }
        };
        let Some(candidate) = form
            .get("upstream")
            .and_then(|chosen| plan.candidate(chosen))
        else {
            let error = OAuthError::invalid_request("no identity provider was chosen");
            return self
                .fail(logins, &context, error, "no_choice", &headers)
                .await;
        };
        let mut cookies = Vec::new();
        if form.get("remember").is_some_and(|v| v == "1") {
            let secure = if self.secure_cookies { "; Secure" } else { "" };
            if let Ok(value) = HeaderValue::from_str(&format!(
                "{CHOICE_COOKIE}={}; Max-Age={REMEMBER_SECS}; HttpOnly; SameSite=Lax; Path=/{secure}",
                candidate.upstream
            )) {
                cookies.push(value);
            }
        }
        let Some(browser) = cookie(&headers, BROWSER_COOKIE).map(str::to_owned) else {
            return self.error(&headers, PageError::BadRequest);
        };
        self.go_upstream(
            logins, &pending, candidate, &browser, started_at, cookies, &headers,
        )
        .await
    }

    async fn callback(&self, query: Option<String>, headers: HeaderMap) -> Response {
        let Some(logins) = self.logins.get() else {
            return self.error(&headers, PageError::NotReady);
        };
        let Some(mut query) = fields(query.unwrap_or_default().as_bytes()) else {
            return self.error(&headers, PageError::BadRequest);
        };
        let params = CallbackParams {
            code: query.remove("code"),
            state: query.remove("state"),
            iss: query.remove("iss"),
            error: query.remove("error"),
            error_description: query.remove("error_description"),
        };
        let Some(state) = params.state.as_deref() else {
            return self.error(&headers, PageError::BadRequest);
        };
        let now = self.clock.now();
        let record = match self.flows.take(&upstream_key(state), now).await {
            Ok(Some(record)) => record,
            Ok(None) => {
                return self.error(&headers, PageError::UnknownLogin);
            }
            Err(_) => {
                return self.error(&headers, PageError::TryAgain);
            }
        };
        let (Ok(transaction), Some(upstream_state)) = (
            TransactionId::from_presented(&record.transaction),
            record.upstream.as_ref(),
        ) else {
            return self.error(&headers, PageError::BadRequest);
        };
        let context = Context {
            transaction: &transaction,
            client: &record.client,
            started_at: UnixTime::from_secs(record.started_at),
            upstream: Some(upstream_state.upstream()),
        };
        let same_browser = cookie(&headers, BROWSER_COOKIE).is_some_and(|browser| {
            bool::from(subtle::ConstantTimeEq::ct_eq(
                record.browser.as_bytes(),
                digest(browser).as_bytes(),
            ))
        });
        if !same_browser {
            let error = OAuthError::new(
                OAuthErrorCode::AccessDenied,
                "the login was finished in another browser than it was started in",
            );
            return self
                .fail(logins, &context, error, "other_browser", &headers)
                .await;
        }
        let pending = match logins.pending(&transaction).await {
            Ok(Some(pending)) => pending,
            Ok(None) => {
                return self.error(&headers, PageError::Expired);
            }
            Err(_) => {
                return self.error(&headers, PageError::TryAgain);
            }
        };
        let plan = match self.policy.plan(&pending) {
            Ok(plan) => plan,
            Err(error) => {
                return self.fail(logins, &context, error, "unmet", &headers).await;
            }
        };
        let Some(upstream) = self.upstream(upstream_state.upstream()) else {
            let error = OAuthError::server_error("the upstream is no longer configured");
            return self
                .fail(logins, &context, error, "upstream_unknown", &headers)
                .await;
        };
        let login = match upstream.finish(&params, upstream_state).await {
            Ok(login) => login,
            Err(error) => {
                return self
                    .upstream_failed(logins, &context, &error, &headers)
                    .await;
            }
        };
        match self.authentication(&pending, &plan, &login, now).await {
            Ok((authentication, subject)) => {
                let level = authentication.acr;
                match logins
                    .complete(&transaction, authentication, &headers)
                    .await
                {
                    Ok((completion, response)) => {
                        let elapsed = self
                            .clock
                            .now()
                            .duration_since(context.started_at)
                            .unwrap_or_default();
                        let refused = completion.response.parameter("error");
                        if refused.is_none() {
                            self.remember_session(&completion, &login, &context).await;
                        }
                        let outcome = match refused {
                            None => LoginOutcome::Success,
                            Some(code) => code
                                .parse::<OAuthErrorCode>()
                                .map_or(LoginOutcome::Failed, |code| {
                                    outcome_of(code, "refused_by_engine")
                                }),
                        };
                        let mut event = LoginEvent::new(outcome, context.client, elapsed);
                        event.upstream = context.upstream.map(str::to_owned);
                        if refused.is_none() {
                            event.level = Some(level);
                            event.subject = Some(subject);
                        } else {
                            event.reason = Some("refused_by_engine");
                        }
                        self.observers.record(&event);
                        response
                    }
                    Err(response) => {
                        self.record(&context, LoginOutcome::Failed, Some("completion_refused"));
                        response
                    }
                }
            }
            Err((error, reason)) => self.fail(logins, &context, error, reason, &headers).await,
        }
    }

    async fn upstream_failed(
        &self,
        logins: &Logins,
        context: &Context<'_>,
        error: &UpstreamError,
        headers: &HeaderMap,
    ) -> Response {
        let reason = error.reason();
        let oauth = OAuthError::new(error.oauth_error_code(), reason);
        self.fail(logins, context, oauth, reason, headers).await
    }

    /// What the engine is told, and the `sub`, from an upstream login.
    async fn authentication(
        &self,
        pending: &PendingLogin,
        plan: &Plan,
        login: &UpstreamLogin,
        now: UnixTime,
    ) -> Result<(Authentication, String), (OAuthError, &'static str)> {
        let Some(level) = self.policy.accepts(plan, login.level) else {
            return Err((
                OAuthError::new(
                    OAuthErrorCode::UnmetAuthenticationRequirements,
                    "the level of assurance reached does not meet the requirement",
                ),
                "level_unmet",
            ));
        };
        let identity = login.identity(now.date()).map_err(|_| {
            (
                OAuthError::server_error("the identity provider sent malformed claims"),
                "claims_malformed",
            )
        })?;
        let client = pending.client_id.as_str();
        if let Some(policy) = self.policy.client(client) {
            policy
                .check_identity(&identity)
                .map_err(|error| (error, "identity_refused"))?;
        }
        let kind =
            self.subject_types
                .get(client)
                .cloned()
                .unwrap_or_else(|| SubjectType::Pairwise {
                    sector: client.to_owned(),
                });
        let subject =
            self.subjects
                .resolve(&identity, &kind)
                .await
                .map_err(|error| match error {
                    SubjectError::NoPersonKey => (
                        OAuthError::new(
                            OAuthErrorCode::AccessDenied,
                            "the identity provider did not say who the person is",
                        ),
                        "no_person_key",
                    ),
                    SubjectError::Store(_) => (
                        OAuthError::new(
                            OAuthErrorCode::TemporarilyUnavailable,
                            "the account store failed",
                        ),
                        "account_store",
                    ),
                    _ => (
                        OAuthError::server_error("no subject could be made"),
                        "subject",
                    ),
                })?;
        let sub = subject.as_str().to_owned();
        let authentication = Authentication::new(subject, level, identity)
            .with_amr(login.amr.clone())
            .with_auth_time(login.auth_time.unwrap_or(now));
        Ok((authentication, sub))
    }
}

#[async_trait]
impl Authenticator for Flow {
    async fn begin(&self, login: PendingLogin, headers: &HeaderMap) -> Response {
        let Some(logins) = self.logins.get() else {
            return self.error(headers, PageError::NotReady);
        };
        let started_at = self.clock.now();
        let context = Context {
            transaction: &login.transaction,
            client: login.client_id.as_str(),
            started_at,
            upstream: None,
        };
        let plan = match self.policy.plan(&login) {
            Ok(plan) => plan,
            Err(error) => return self.fail(logins, &context, error, "unmet", headers).await,
        };
        let browser = match cookie(headers, BROWSER_COOKIE).filter(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }) {
            Some(existing) => existing.to_owned(),
            None => match self.new_browser_id() {
                Some(fresh) => fresh,
                None => {
                    let error = OAuthError::server_error("the random source failed");
                    return self.fail(logins, &context, error, "random", headers).await;
                }
            },
        };
        if let Some(candidate) = plan.direct() {
            return self
                .go_upstream(
                    logins,
                    &login,
                    candidate,
                    &browser,
                    started_at,
                    Vec::new(),
                    headers,
                )
                .await;
        }
        if login.prompt.none {
            let error = OAuthError::new(
                OAuthErrorCode::InteractionRequired,
                "the person must choose an identity provider",
            );
            return self
                .fail(logins, &context, error, "interaction_required", headers)
                .await;
        }
        let record = FlowRecord {
            transaction: login.transaction.expose_secret().to_owned(),
            browser: digest(&browser),
            client: login.client_id.as_str().to_owned(),
            started_at: started_at.as_secs(),
            upstream: None,
            after: None,
        };
        if let Err(error) = self
            .flows
            .put(
                &choice_key(&login.transaction),
                record,
                started_at,
                self.transaction_ttl,
            )
            .await
        {
            let oauth = OAuthError::new(OAuthErrorCode::TemporarilyUnavailable, error.0);
            return self
                .fail(logins, &context, oauth, "flow_store", headers)
                .await;
        }
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("transaction", login.transaction.expose_secret())
            .finish();
        let cookies: Vec<HeaderValue> = self.browser_cookie(&browser).into_iter().collect();
        match Self::redirect(&format!("{CHOOSE_PATH}?{query}"), &cookies) {
            Some(response) => response,
            None => self.error(headers, PageError::TryAgain),
        }
    }

    fn routes(self: Arc<Self>, logins: Logins) -> Router {
        // The router is built once per flow; a second build keeps the first handle (the same
        // provider).
        let _ = self.logins.set(logins);
        Router::new()
            .route(
                CHOOSE_PATH,
                get(
                    |State(flow): State<Arc<Flow>>,
                     RawQuery(query): RawQuery,
                     headers: HeaderMap| async move {
                        flow.show_choice(query, headers).await
                    },
                )
                .post(
                    |State(flow): State<Arc<Flow>>, headers: HeaderMap, body: Bytes| async move {
                        flow.submit_choice(headers, body).await
                    },
                ),
            )
            .route(
                LOGGED_OUT_PATH,
                get(
                    |State(flow): State<Arc<Flow>>,
                     RawQuery(query): RawQuery,
                     headers: HeaderMap| async move {
                        flow.logged_out(query, headers).await
                    },
                ),
            )
            .route(
                CALLBACK_PATH,
                get(
                    |State(flow): State<Arc<Flow>>,
                     RawQuery(query): RawQuery,
                     headers: HeaderMap| async move {
                        flow.callback(query, headers).await
                    },
                ),
            )
            .with_state(self)
    }
}

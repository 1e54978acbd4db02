//! The seam between the provider and whoever authenticates the person.

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use axum::Router;
use axum::http::HeaderMap;
use axum::response::Response;

use super::browser::respond;
use super::locale::Locale;
use super::page::error_page;
use super::request::session_cookie;
use super::site::Site;
use crate::oauth_error::OAuthError;
use crate::provider::{Authentication, LoginCompletion, PendingLogin, Provider};
use crate::store::TransactionId;

/// Authenticates the person of a pending authorization: the mock IdP's login page, the broker's
/// provider choice and upstream login.
///
/// The provider calls [`begin`](Self::begin) when an authorization request needs a login. The
/// authenticator answers with a page or a redirect, runs its own routes (from
/// [`routes`](Self::routes)), and finishes through the [`Logins`] handle it was given: with
/// [`Logins::complete`] when the person authenticated or [`Logins::abort`] when not.
#[async_trait]
pub trait Authenticator: Send + Sync + Debug + 'static {
    /// Starts the login: a page to show, or a redirect. `headers` are the request's (for
    /// `Accept-Language`, cookies).
    async fn begin(&self, login: PendingLogin, headers: &HeaderMap) -> Response;

    /// The authenticator's own routes (form posts, upstream callbacks), merged into the
    /// provider's router. Their paths must not clash with the provider's endpoints.
    fn routes(self: Arc<Self>, logins: Logins) -> Router;
}

/// The handle an [`Authenticator`] finishes logins with. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Logins {
    provider: Arc<Provider>,
}

impl Logins {
    pub(crate) fn new(provider: Arc<Provider>) -> Self {
        Self { provider }
    }

    /// The provider.
    pub fn provider(&self) -> &Arc<Provider> {
        &self.provider
    }

    /// The pending login of `transaction`, if it still waits.
    ///
    /// # Errors
    /// An [`OAuthError`] when the store fails.
    pub async fn pending(
        &self,
        transaction: &TransactionId,
    ) -> Result<Option<PendingLogin>, OAuthError> {
        self.provider.pending_login(transaction).await
    }

    /// The language of the page that ends the login of `transaction` (the form post, or the
    /// error page): the `ui_locales` of its authorization request while it is pending, as on
    /// the pages before it, else the browser's.
    async fn locale(
        &self,
        site: &Site,
        transaction: &TransactionId,
        headers: &HeaderMap,
    ) -> Locale {
        let ui_locales = match self.provider.pending_login(transaction).await {
            Ok(Some(pending)) => Some(pending.ui_locales.join(" ")),
            _ => None,
        };
        site.locale(ui_locales.as_deref(), headers)
    }

    /// Completes the login of `transaction`: the response that delivers the authorization
    /// response to the client (a redirect, or a form post) and sets the session cookie, with
    /// the completion it was made from (its `sid`, for bookkeeping such as the mock's
    /// scenarios). `headers` are the browser's request headers (for the current session
    /// cookie).
    ///
    /// # Errors
    /// The error page response when the transaction is unknown, expired or already finished.
    pub async fn complete(
        &self,
        transaction: &TransactionId,
        authentication: Authentication,
        headers: &HeaderMap,
    ) -> Result<(LoginCompletion, Response), Response> {
        let site = Site::of(&self.provider);
        let locale = self.locale(&site, transaction, headers).await;
        let current = session_cookie(headers, &site.session_cookie);
        match self
            .provider
            .complete_login(transaction, authentication, current.as_ref())
            .await
        {
            Ok(completion) => {
                let mut response = respond(&completion.response, &site, locale);
                if let Some(session) = &completion.session {
                    site.set_session(&mut response, session);
                }
                Ok((completion, response))
            }
            Err(error) => {
                tracing::info!(error = error.code().as_str(), "login completion refused");
                Err(error_page(&error, locale, &site.assets))
            }
        }
    }

    /// Aborts the login of `transaction` with `error` (`access_denied` when the person
    /// cancelled): the response that delivers the error to the client, or the error page
    /// when the transaction is unknown.
    pub async fn abort(&self, transaction: &TransactionId, error: OAuthError) -> Response {
        self.abort_with_headers(transaction, error, &HeaderMap::new())
            .await
    }

    /// As [`abort`](Self::abort), with the browser's request headers, so that a page shown
    /// (the form post, or the error page) is in the language the person prefers.
    pub async fn abort_with_headers(
        &self,
        transaction: &TransactionId,
        error: OAuthError,
        headers: &HeaderMap,
    ) -> Response {
        let site = Site::of(&self.provider);
        let locale = self.locale(&site, transaction, headers).await;
        match self.provider.abort_login(transaction, error).await {
            Ok(response) => respond(&response, &site, locale),
            Err(error) => {
                tracing::info!(error = error.code().as_str(), "login abort refused");
                error_page(&error, locale, &site.assets)
            }
        }
    }
}

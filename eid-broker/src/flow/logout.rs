//! RP-initiated logout propagated to the upstream: the broker remembers, per broker session,
//! which upstream logged the person in (and its ID token, the `id_token_hint`), when that
//! upstream is configured with `end_session`. After the engine's end-session answer the person
//! goes to the upstream's end-session endpoint and comes back to [`LOGGED_OUT_PATH`], which
//! continues where the engine would have sent them (the client's registered post-logout URI),
//! or shows a logged-out page.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use super::{Context, Flow, FlowRecord, LOGGED_OUT_PATH, fields, logout_key, session_key};
use crate::selection::{Locale, PageError, html_response};
use crate::upstream::UpstreamLogin;

impl Flow {
    /// Keeps, for the broker session, which upstream logged the person in and its ID token,
    /// when that upstream's logout is to be propagated.
    pub(super) async fn remember_session(
        &self,
        completion: &eid_provider::provider::LoginCompletion,
        login: &UpstreamLogin,
        context: &Context<'_>,
    ) {
        let (Some(session), Some(upstream)) = (&completion.session, self.upstream(&login.upstream))
        else {
            return;
        };
        if !upstream.config().end_session {
            return;
        }
        let record = FlowRecord {
            transaction: String::new(),
            browser: String::new(),
            client: context.client.to_owned(),
            started_at: context.started_at.as_secs(),
            upstream: None,
            after: Some((login.upstream.clone(), login.id_token.clone())),
        };
        let now = self.clock.now();
        if self
            .flows
            .put(
                &session_key(session.expose_secret()),
                record,
                now,
                self.session_ttl,
            )
            .await
            .is_err()
        {
            tracing::warn!("the upstream session could not be kept for logout");
        }
    }

    /// After the engine's end-session answer `response` for the browser whose session cookie
    /// was `session`: when the session's upstream propagates logout, the person goes to the
    /// upstream's end-session endpoint first and comes back to [`LOGGED_OUT_PATH`], which
    /// continues where the engine would have sent them.
    pub(crate) async fn propagate_logout(
        &self,
        session: Option<&str>,
        response: Response,
    ) -> Response {
        let status = response.status();
        if status != StatusCode::SEE_OTHER && status != StatusCode::OK {
            return response;
        }
        let Some(session) = session else {
            return response;
        };
        let now = self.clock.now();
        let Ok(Some(record)) = self.flows.take(&session_key(session), now).await else {
            return response;
        };
        let Some((upstream_id, id_token)) = record.after else {
            return response;
        };
        let Some(upstream) = self.upstream(&upstream_id) else {
            return response;
        };
        let Some(state) = self.new_browser_id() else {
            return response;
        };
        let continue_to = if status == StatusCode::SEE_OTHER {
            response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        } else {
            String::new()
        };
        let Ok(back) = url::Url::parse(&format!("{}{LOGGED_OUT_PATH}", self.issuer)) else {
            return response;
        };
        let url = match upstream
            .end_session_url(&id_token, Some(&back), Some(&state))
            .await
        {
            Ok(url) => url,
            Err(error) => {
                tracing::info!(
                    upstream = upstream.id(),
                    reason = error.reason(),
                    "upstream logout skipped"
                );
                return response;
            }
        };
        let pending = FlowRecord {
            transaction: String::new(),
            browser: String::new(),
            client: record.client,
            started_at: now.as_secs(),
            upstream: None,
            after: Some((upstream_id, continue_to)),
        };
        if self
            .flows
            .put(&logout_key(&state), pending, now, Duration::from_secs(600))
            .await
            .is_err()
        {
            return response;
        }
        let (mut parts, body) = response.into_parts();
        let Ok(location) = HeaderValue::from_str(url.as_str()) else {
            return Response::from_parts(parts, body);
        };
        parts.status = StatusCode::SEE_OTHER;
        parts.headers.insert(header::LOCATION, location);
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        Response::from_parts(parts, axum::body::Body::empty())
    }

    pub(super) async fn logged_out(&self, query: Option<String>, headers: HeaderMap) -> Response {
        let Some(state) =
            fields(query.unwrap_or_default().as_bytes()).and_then(|f| f.get("state").cloned())
        else {
            return self.error(&headers, PageError::BadRequest);
        };
        let record = match self.flows.take(&logout_key(&state), self.clock.now()).await {
            Ok(Some(record)) => record,
            Ok(None) => {
                return self.error(&headers, PageError::UnknownLogout);
            }
            Err(_) => {
                return self.error(&headers, PageError::TryAgain);
            }
        };
        let continue_to = record.after.map(|(_, to)| to).unwrap_or_default();
        if !continue_to.is_empty()
            && let Some(response) = Self::redirect(&continue_to, &[])
        {
            return response;
        }
        let locale = Locale::choose(&[], &headers);
        let html = crate::selection::logged_out_page(locale, &self.ui.stylesheet);
        html_response(StatusCode::OK, locale, html)
    }
}

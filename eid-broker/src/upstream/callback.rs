//! Finishing an upstream login: the authorization response, the code exchange, the ID token,
//! the level it asserts and UserInfo.

use std::fmt;
use std::sync::Arc;

use eid_core::assurance::LevelOfAssurance;
use eid_core::claims::{ClaimsError, Identity};
use eid_core::clock::UnixTime;
use eid_core::verify::{IdTokenError, VerifiedIdToken};
use openidconnect::core::CoreTokenType;
use openidconnect::http;
use openidconnect::{AuthorizationCode, OAuth2TokenResponse, PkceCodeVerifier, RequestTokenError};
use serde::Deserialize;
use serde_json::{Map, Value};
use subtle::ConstantTimeEq as _;

use super::Upstream;
use super::authorization::UpstreamState;
use super::client::{JWT_BEARER, client_assertion, oidc_client};
use super::discovery::{Snapshot, http_error};
use super::error::{Endpoint, HttpFailure, UpstreamError};

/// The query (or form) parameters of the callback from the upstream. `Debug` hides the code.
#[non_exhaustive]
#[derive(Clone, Default, Deserialize)]
pub struct CallbackParams {
    /// `code`.
    pub code: Option<String>,
    /// `state`.
    pub state: Option<String>,
    /// `iss` (RFC 9207).
    pub iss: Option<String>,
    /// `error`.
    pub error: Option<String>,
    /// `error_description` (never shown to anyone: upstream text).
    pub error_description: Option<String>,
}

impl fmt::Debug for CallbackParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackParams")
            .field("code", &self.code.as_ref().map(|_| "[redacted]"))
            .field("state", &self.state.as_ref().map(|_| "[redacted]"))
            .field("iss", &self.iss)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// A successful upstream login. `Debug` shows claim names, never values.
#[non_exhaustive]
#[derive(Clone)]
pub struct UpstreamLogin {
    /// The upstream's id.
    pub upstream: String,
    /// The upstream's `sub`.
    pub subject: String,
    /// The broker level the upstream's `acr` maps to. It satisfies the requested levels, or
    /// covers one of them (a loa4 login answers an exact loa3 request, SC-RULES §1.2.3): the
    /// broker asserts [`Requirement::answer_for`](eid_core::assurance::Requirement::answer_for)
    /// of it.
    pub level: LevelOfAssurance,
    /// The upstream's `acr` as sent.
    pub upstream_acr: String,
    /// `amr` (an array, or one string as some upstreams send it).
    pub amr: Vec<String>,
    /// `auth_time`.
    pub auth_time: Option<UnixTime>,
    /// The upstream session id (`sid`), for logout.
    pub sid: Option<String>,
    /// The ID token's claims, with UserInfo claims the ID token does not have added.
    pub claims: Map<String, Value>,
    /// The compact ID token, for a later `id_token_hint` at the upstream's end-session
    /// endpoint.
    pub id_token: String,
}

impl UpstreamLogin {
    /// The claims normalised by eid-core, checked against the level (no personnummer at a
    /// `*-nonresident` level).
    ///
    /// # Errors
    ///
    /// As [`Identity::from_oidc_claims`] (malformed or contradictory claims) and
    /// [`Identity::check_level`].
    pub fn identity(&self, today: time::Date) -> Result<Identity, ClaimsError> {
        let identity = Identity::from_oidc_claims(&self.claims, today)?;
        identity.check_level(self.level)?;
        Ok(identity)
    }
}

impl fmt::Debug for UpstreamLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpstreamLogin")
            .field("upstream", &self.upstream)
            .field("subject", &"[redacted]")
            .field("level", &self.level)
            .field("upstream_acr", &self.upstream_acr)
            .field("amr", &self.amr)
            .field("auth_time", &self.auth_time)
            .field("claims", &self.claims.keys().collect::<Vec<_>>())
            .field("id_token", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl Upstream {
    /// Finishes a login from the callback's parameters and the state kept since
    /// [`Upstream::begin`].
    ///
    /// In order: the state belongs to this upstream and is not expired, `state` matches (in
    /// constant time), `iss` is this upstream's issuer (and present when the upstream
    /// advertises it, RFC 9207), an error response is mapped (`access_denied` → cancelled),
    /// the code is exchanged with the PKCE verifier and client authentication, the ID token
    /// passes every check of [`eid_core::verify`] (keys fetched again once on an unknown
    /// `kid`, rate limited), its `acr` maps to a broker level that answers the request
    /// ([`Requirement::answer_for`](eid_core::assurance::Requirement::answer_for)), and
    /// UserInfo (when configured) has the same `sub`.
    ///
    /// The broker keeps `state` single-use: it removes it from its store before calling this.
    ///
    /// # Errors
    ///
    /// The first check that fails, as an [`UpstreamError`]; nothing is returned half-done.
    pub async fn finish(
        &self,
        params: &CallbackParams,
        state: &UpstreamState,
    ) -> Result<UpstreamLogin, UpstreamError> {
        if state.upstream() != self.config.id {
            return Err(UpstreamError::StateOtherUpstream);
        }
        let returned = params.state.as_deref().unwrap_or_default();
        if !bool::from(returned.as_bytes().ct_eq(state.state().as_bytes())) {
            return Err(UpstreamError::StateMismatch);
        }
        let now = self.clock.now();
        let age = now.duration_since(state.created_at());
        if age.is_none_or(|age| age.as_secs() > self.config.login_lifetime_secs) {
            return Err(UpstreamError::StateExpired);
        }
        let requirement = state.requirement()?;
        let snapshot = self.discovery.snapshot(&self.http, now).await?;
        match params.iss.as_deref() {
            Some(iss) if iss != self.config.issuer => return Err(UpstreamError::IssuerMismatch),
            None if snapshot.endpoints.iss_parameter_supported => {
                return Err(UpstreamError::IssuerMissing);
            }
            _ => {}
        }
        if let Some(error) = params.error.as_deref() {
            if error == "access_denied" {
                return Err(UpstreamError::Cancelled);
            }
            return Err(UpstreamError::UpstreamRefused {
                code: error.parse().ok(),
            });
        }
        let code = params
            .code
            .as_deref()
            .filter(|code| !code.is_empty())
            .ok_or(UpstreamError::CodeMissing)?;

        let (id_token, access_token) = self.exchange(&snapshot, code, state, now).await?;
        let verified = self
            .verify(Arc::clone(&snapshot), &id_token, state.nonce(), now)
            .await?;

        let upstream_acr = match verified.claims().get("acr") {
            Some(Value::String(acr)) => acr.clone(),
            _ => return Err(UpstreamError::AcrMissing),
        };
        let level = self
            .config
            .acr
            .level_of(&upstream_acr)
            .ok_or(UpstreamError::AcrUnknown)?;
        if requirement.answer_for(level).is_none() {
            return Err(UpstreamError::AcrNotSatisfied { asserted: level });
        }

        let userinfo = match (&snapshot.endpoints.userinfo, self.config.userinfo) {
            (Some(endpoint), true) => Some(self.userinfo(endpoint, &access_token).await?),
            _ => None,
        };
        let subject = verified.subject().to_owned();
        let auth_time = verified.auth_time();
        let mut claims = verified.into_claims();
        if let Some(userinfo) = userinfo {
            if userinfo.get("sub").and_then(Value::as_str) != Some(subject.as_str()) {
                return Err(UpstreamError::UserInfoSubjectMismatch);
            }
            for (name, value) in userinfo {
                claims.entry(name).or_insert(value);
            }
        }
        let amr = match claims.get("amr") {
            Some(Value::Array(values)) => values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(value)) => vec![value.clone()],
            _ => Vec::new(),
        };
        let sid = claims.get("sid").and_then(Value::as_str).map(str::to_owned);
        Ok(UpstreamLogin {
            upstream: self.config.id.clone(),
            subject,
            level,
            upstream_acr,
            amr,
            auth_time,
            sid,
            claims,
            id_token,
        })
    }

    /// The code exchange: the compact ID token and the access token.
    async fn exchange(
        &self,
        snapshot: &Snapshot,
        code: &str,
        state: &UpstreamState,
        now: UnixTime,
    ) -> Result<(String, String), UpstreamError> {
        let client = oidc_client(
            &self.config.client_id,
            &self.config.issuer,
            &snapshot.endpoints.authorization,
            &snapshot.endpoints.token,
            &self.config.redirect_uri,
            &self.credentials,
        )?;
        let mut request = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(PkceCodeVerifier::new(state.pkce_verifier().to_owned()));
        if let Some(assertion) = client_assertion(
            &self.credentials,
            &self.config.client_id,
            &self.config.issuer,
            now,
        )? {
            request = request
                .add_extra_param("client_assertion_type", JWT_BEARER)
                .add_extra_param("client_assertion", assertion);
        }
        let response = request
            .request_async(&self.http)
            .await
            .map_err(|error| match error {
                RequestTokenError::ServerResponse(response) => UpstreamError::TokenRefused {
                    code: response.error().as_ref().parse().ok(),
                },
                RequestTokenError::Request(failure) => http_error(Endpoint::Token, failure.0),
                RequestTokenError::Parse(..) | RequestTokenError::Other(_) => {
                    UpstreamError::TokenResponse
                }
            })?;
        if *response.token_type() != CoreTokenType::Bearer {
            return Err(UpstreamError::TokenResponse);
        }
        let id_token = response
            .id_token()
            .ok_or(UpstreamError::IdTokenMissing)?
            .to_owned();
        Ok((id_token, response.access_token().secret().clone()))
    }

    /// Verifies the ID token; on an unknown `kid`, fetches the keys again (rate limited) and
    /// tries once more.
    async fn verify(
        &self,
        snapshot: Arc<Snapshot>,
        id_token: &str,
        nonce: &str,
        now: UnixTime,
    ) -> Result<VerifiedIdToken, UpstreamError> {
        let first = snapshot
            .verifier
            .clone()
            .expect_nonce(nonce)
            .verify(id_token, now);
        match first {
            Err(IdTokenError::UnknownKey) => {}
            other => return other.map_err(UpstreamError::IdToken),
        }
        let Some(refreshed) = self
            .discovery
            .refresh_keys(&self.http, &snapshot, now)
            .await?
        else {
            return Err(UpstreamError::IdToken(IdTokenError::UnknownKey));
        };
        refreshed
            .verifier
            .clone()
            .expect_nonce(nonce)
            .verify(id_token, now)
            .map_err(UpstreamError::IdToken)
    }

    /// The UserInfo response (a JSON object), fetched with the access token in the header.
    async fn userinfo(
        &self,
        endpoint: &url::Url,
        access_token: &str,
    ) -> Result<Map<String, Value>, UpstreamError> {
        let request = http::Request::builder()
            .method(http::Method::GET)
            .uri(endpoint.as_str())
            .header(http::header::ACCEPT, "application/json")
            .header(
                http::header::AUTHORIZATION,
                format!("Bearer {access_token}"),
            )
            .body(Vec::new())
            .map_err(|_| http_error(Endpoint::UserInfo, HttpFailure::Transport))?;
        let body = self
            .http
            .send_ok(request)
            .await
            .map_err(|failure| http_error(Endpoint::UserInfo, failure))?;
        let claims: Map<String, Value> =
            serde_json::from_slice(&body).map_err(|_| UpstreamError::UserInfoResponse)?;
        if !claims.get("sub").is_some_and(Value::is_string) {
            return Err(UpstreamError::UserInfoResponse);
        }
        Ok(claims)
    }
}

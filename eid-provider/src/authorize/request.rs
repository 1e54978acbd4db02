//! Validating an authorization request (OIDC Core §3.1.2.2) into a [`ValidatedRequest`].
//!
//! The checks run in the order that decides where an error may go:
//!
//! 1. `client_id` and `redirect_uri`: the client is known and the redirect URI is one it
//!    registered, by exact string comparison; otherwise the error is shown on a page and never
//!    redirected (OIDC Core §3.1.2.6, RFC 6749 §4.1.2.1).
//! 2. `response_mode` and `state`, so that every later error reaches the client with its
//!    `state`.
//! 3. Everything else, each failure redirected with its standard code: repeated parameters,
//!    `response_type` (`code` only), `scope` (with `openid`), PKCE (`S256` only), `prompt`,
//!    `max_age`, `id_token_hint`, `claims`, `acr_values`, the client's PAR obligation.
//!
//! Unknown parameters are ignored.

use std::fmt;
use std::sync::Arc;

use eid_core::assurance::{LevelOfAssurance, MAX_LEVELS, Matching, Requirement};
use eid_core::claims::{ClaimsRequest, Scopes};
use eid_core::clock::UnixTime;

use super::parameters::{RequestParameters, name};
use super::response::{Rejection, Reply, parse_response_mode};
use crate::client::{Client, RedirectUri};
use crate::id_token::Subject;
use crate::id_token::hint::verify_hint;
use crate::oauth_error::{OAuthError, OAuthErrorCode};
use crate::pkce::{CodeChallenge, CodeChallengeMethod};
use crate::provider::{Prompt, Provider, ResponseMode};

/// How the request reached the authorization endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Directly, or as a request object by value.
    Direct,
    /// By a `request_uri` of a pushed request (RFC 9126), or at the PAR endpoint itself.
    Pushed,
}

/// An authorization request that passed every check that does not depend on the browser's
/// session.
///
/// `Debug` leaves out `state`, `nonce`, hints and the `claims` request.
#[derive(Clone)]
pub(crate) struct ValidatedRequest {
    pub(crate) client: Arc<Client>,
    pub(crate) reply: Reply,
    pub(crate) code_challenge: CodeChallenge,
    pub(crate) nonce: Option<String>,
    /// The requested scopes the client may have, in the order requested, `openid` among them.
    pub(crate) scope: Vec<String>,
    pub(crate) prompt: Prompt,
    /// Whether `prompt` was present at all (the Sweden Connect rules treat none as `login`).
    pub(crate) prompt_given: bool,
    pub(crate) max_age: Option<u64>,
    /// The subject of a valid `id_token_hint`.
    pub(crate) hinted_subject: Option<Subject>,
    pub(crate) login_hint: Option<String>,
    pub(crate) ui_locales: Vec<String>,
    pub(crate) claims: Option<ClaimsRequest>,
    /// The known levels of `acr_values`, in the client's order.
    pub(crate) acr_values: Vec<LevelOfAssurance>,
    /// The essential `acr` of the `claims` request, if any.
    pub(crate) essential_acr: Option<Requirement>,
    pub(crate) authn_provider: Option<String>,
}

impl ValidatedRequest {
    /// The level the client asks for: the essential `acr` if any, else `acr_values`.
    pub(crate) fn requirement(&self, matching: Matching) -> Option<Requirement> {
        requirement(self.essential_acr.as_ref(), &self.acr_values, matching)
    }
}

/// The requirement of an essential `acr`, else of the known `acr_values`.
pub(crate) fn requirement(
    essential: Option<&Requirement>,
    acr_values: &[LevelOfAssurance],
    matching: Matching,
) -> Option<Requirement> {
    match essential {
        Some(essential) => Some(essential.clone()),
        None if acr_values.is_empty() => None,
        None => Requirement::new(acr_values.to_vec(), matching).ok(),
    }
}

/// The level to assert for a person who reached `reached`, under the client's `requirement`:
/// the requested level that `reached` covers ([`Requirement::answer_for`]: a loa4 login answers
/// a loa3 request with loa3, SC-RULES §1.2.3), else `reached` itself when the requirement is
/// voluntary (`acr_values`: OIDC Core lets the provider answer with another level), and `None`
/// when an `essential` requirement cannot be met.
pub(crate) fn asserted_level(
    requirement: Option<&Requirement>,
    essential: bool,
    reached: LevelOfAssurance,
) -> Option<LevelOfAssurance> {
    let Some(requirement) = requirement else {
        return Some(reached);
    };
    match requirement.answer_for(reached) {
        Some(level) => Some(level),
        None if essential => None,
        None => Some(reached),
    }
}

impl ValidatedRequest {
    /// The level to assert for a person who reached `reached` ([`asserted_level`]).
    pub(crate) fn asserted_level(
        &self,
        matching: Matching,
        reached: LevelOfAssurance,
    ) -> Option<LevelOfAssurance> {
        let requirement = self.requirement(matching);
        asserted_level(requirement.as_ref(), self.essential_acr.is_some(), reached)
    }

    /// Whether a person who reached `reached` meets every level requested, voluntary or not.
    pub(crate) fn is_met_by(&self, matching: Matching, reached: LevelOfAssurance) -> bool {
        self.requirement(matching)
            .is_none_or(|requirement| requirement.answer_for(reached).is_some())
    }
}

impl fmt::Debug for ValidatedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidatedRequest")
            .field("client", self.client.id())
            .field("reply", &self.reply)
            .field("scope", &self.scope)
            .field("prompt", &self.prompt)
            .field("max_age", &self.max_age)
            .field("acr_values", &self.acr_values)
            .field("essential_acr", &self.essential_acr)
            .finish_non_exhaustive()
    }
}

/// Where an error about `params` of `client` may go before the request is validated: to its
/// `redirect_uri` if that is registered for the client, with its `state`; else to a page.
pub(crate) fn best_effort_reply(client: &Client, params: &RequestParameters) -> Option<Reply> {
    if params.is_repeated(name::REDIRECT_URI) {
        return None;
    }
    let redirect_uri: RedirectUri = params.get(name::REDIRECT_URI)?.parse().ok()?;
    if !client.has_redirect_uri(&redirect_uri) {
        return None;
    }
    let mode = if params.is_repeated(name::RESPONSE_MODE) {
        ResponseMode::Query
    } else {
        parse_response_mode(params.get(name::RESPONSE_MODE)).unwrap_or_default()
    };
    let state = (!params.is_repeated(name::STATE))
        .then(|| params.get(name::STATE).map(str::to_owned))
        .flatten();
    Some(Reply {
        redirect_uri,
        mode,
        state,
    })
}

/// Validates `params` as an authorization request of `client`.
///
/// # Errors
/// A [`Rejection`]: on a page when the client or its redirect URI cannot be trusted, else at
/// the client.
pub(crate) fn validate(
    provider: &Provider,
    client: &Arc<Client>,
    params: &RequestParameters,
    origin: Origin,
    now: UnixTime,
) -> Result<ValidatedRequest, Rejection> {
    let reply = reply_of(client, params)?;
    let refuse = |error: OAuthError| Rejection::at(&reply, error);

    if let Some(repeated) = params.first_repeated() {
        return Err(refuse(OAuthError::invalid_request(format!(
            "parameter {repeated} is repeated"
        ))));
    }
    match params.get(name::RESPONSE_TYPE) {
        None => {
            return Err(refuse(OAuthError::invalid_request(
                "response_type is missing",
            )));
        }
        Some("code") => {}
        Some(_) => {
            return Err(refuse(OAuthError::new(
                OAuthErrorCode::UnsupportedResponseType,
                "only response_type=code is supported",
            )));
        }
    }
    if client.require_pushed_authorization_requests() && origin != Origin::Pushed {
        return Err(refuse(OAuthError::invalid_request(
            "this client must push its authorization requests (PAR)",
        )));
    }
    let scope = scope(client, params.get(name::SCOPE)).map_err(refuse)?;
    let code_challenge = code_challenge(params).map_err(refuse)?;
    let (prompt, prompt_given) = prompt(params.get(name::PROMPT)).map_err(refuse)?;
    let max_age = params
        .get(name::MAX_AGE)
        .map(|value| {
            value
                .parse::<u64>()
                .map_err(|_| OAuthError::invalid_request("max_age must be a number of seconds"))
        })
        .transpose()
        .map_err(refuse)?;
    let hinted_subject = match params.get(name::ID_TOKEN_HINT) {
        None => None,
        Some(hint) => Some(
            verify_hint(
                hint,
                provider.issuer(),
                client.id(),
                &provider.keys(),
                provider.config.max_clock_skew,
                now,
            )
            .ok()
            .and_then(|verified| verified.subject().parse().ok())
            .ok_or_else(|| {
                refuse(OAuthError::invalid_request(
                    "id_token_hint is not a valid ID token issued to this client",
                ))
            })?,
        ),
    };
    let claims = params
        .get(name::CLAIMS)
        .map(|json| {
            ClaimsRequest::from_json(json)
                .map_err(|_| OAuthError::invalid_request("the claims parameter is malformed"))
        })
        .transpose()
        .map_err(refuse)?;
    let matching = provider.acr_matching_of(client);
    let essential_acr = essential_acr(provider, claims.as_ref(), matching).map_err(refuse)?;
    let mut requested_acr_values = acr_values(params.get(name::ACR_VALUES));
    if requested_acr_values.is_empty() && essential_acr.is_none() {
        // The client's default levels stand in for a request that names none.
        requested_acr_values = client.default_acr_values().to_vec();
    }

    Ok(ValidatedRequest {
        client: Arc::clone(client),
        code_challenge,
        nonce: params.get(name::NONCE).map(str::to_owned),
        scope,
        prompt,
        prompt_given,
        max_age,
        hinted_subject,
        login_hint: params.get(name::LOGIN_HINT).map(str::to_owned),
        ui_locales: ui_locales(params.get(name::UI_LOCALES), &provider.config().ui_locales),
        claims,
        acr_values: requested_acr_values,
        essential_acr,
        authn_provider: params.get(name::AUTHN_PROVIDER).map(str::to_owned),
        reply,
    })
}

/// Steps 1 and 2: the client's redirect URI, the response mode and the state.
fn reply_of(client: &Client, params: &RequestParameters) -> Result<Reply, Rejection> {
    for trusted in [name::CLIENT_ID, name::REDIRECT_URI] {
        if params.is_repeated(trusted) {
            return Err(Rejection::page(OAuthError::invalid_request(format!(
                "parameter {trusted} is repeated"
            ))));
        }
    }
    if let Some(id) = params.get(name::CLIENT_ID)
        && id != client.id().as_str()
    {
        return Err(Rejection::page(OAuthError::invalid_request(
            "client_id does not match the client of the request",
        )));
    }
    let redirect_uri: RedirectUri = params
        .get(name::REDIRECT_URI)
        .ok_or_else(|| Rejection::page(OAuthError::invalid_request("redirect_uri is missing")))?
        .parse()
        .map_err(|_| Rejection::page(OAuthError::invalid_request("redirect_uri is malformed")))?;
    if !client.has_redirect_uri(&redirect_uri) {
        return Err(Rejection::page(OAuthError::invalid_request(
            "redirect_uri is not registered for this client",
        )));
    }
    let state = (!params.is_repeated(name::STATE))
        .then(|| params.get(name::STATE).map(str::to_owned))
        .flatten();
    let mut reply = Reply {
        redirect_uri,
        mode: ResponseMode::Query,
        state,
    };
    if params.is_repeated(name::RESPONSE_MODE) {
        return Err(Rejection::at(
            &reply,
            OAuthError::invalid_request("parameter response_mode is repeated"),
        ));
    }
    reply.mode = parse_response_mode(params.get(name::RESPONSE_MODE))
        .map_err(|error| Rejection::at(&reply, error))?;
    Ok(reply)
}

/// The requested scopes the client may have; `openid` must be among them.
fn scope(client: &Client, scope: Option<&str>) -> Result<Vec<String>, OAuthError> {
    let scope = scope.unwrap_or_default();
    Scopes::parse(scope)
        .map_err(|_| OAuthError::new(OAuthErrorCode::InvalidScope, "scope has too many values"))?;
    let mut granted: Vec<String> = Vec::new();
    for value in scope.split(' ').filter(|value| !value.is_empty()) {
        if client.allows_scope(value) && !granted.iter().any(|g| g == value) {
            granted.push(value.to_owned());
        }
    }
    if !granted.iter().any(|g| g == "openid") {
        return Err(OAuthError::new(
            OAuthErrorCode::InvalidScope,
            "scope must contain openid",
        ));
    }
    Ok(granted)
}

/// PKCE: a `code_challenge` with `code_challenge_method=S256` (RFC 7636 §4.3; an absent
/// method means `plain`, which is refused).
fn code_challenge(params: &RequestParameters) -> Result<CodeChallenge, OAuthError> {
    let challenge = params.get(name::CODE_CHALLENGE).ok_or_else(|| {
        OAuthError::invalid_request("code_challenge is required (PKCE with S256)")
    })?;
    let method = params.get(name::CODE_CHALLENGE_METHOD).unwrap_or("plain");
    CodeChallengeMethod::parse(method)
        .map_err(|error| OAuthError::invalid_request(error.to_string()))?;
    CodeChallenge::parse(challenge).map_err(|error| OAuthError::invalid_request(error.to_string()))
}

/// `prompt`: `none`, `login`, `consent`, `select_account`; `none` alone (OIDC Core §3.1.2.1).
fn prompt(value: Option<&str>) -> Result<(Prompt, bool), OAuthError> {
    let mut prompt = Prompt::default();
    let Some(value) = value else {
        return Ok((prompt, false));
    };
    let mut count = 0_usize;
    for token in value.split(' ').filter(|token| !token.is_empty()) {
        count = count.saturating_add(1);
        let flag = match token {
            "none" => &mut prompt.none,
            "login" => &mut prompt.login,
            "consent" => &mut prompt.consent,
            "select_account" => &mut prompt.select_account,
            _ => return Err(OAuthError::invalid_request("unsupported prompt value")),
        };
        *flag = true;
    }
    if prompt.none && count > 1 {
        return Err(OAuthError::invalid_request(
            "prompt=none cannot be combined with other values",
        ));
    }
    Ok((prompt, count > 0))
}

/// The essential `acr` of the `claims` request, which some level the provider offers must be
/// able to meet (OIDC-SE §2.2).
fn essential_acr(
    provider: &Provider,
    claims: Option<&ClaimsRequest>,
    matching: Matching,
) -> Result<Option<Requirement>, OAuthError> {
    let unmet = |description: &str| {
        OAuthError::new(OAuthErrorCode::UnmetAuthenticationRequirements, description)
    };
    let Some(claims) = claims else {
        return Ok(None);
    };
    let requirement = claims
        .essential_acr(matching)
        .map_err(|_| unmet("the essential acr names no level this provider knows"))?;
    if let Some(requirement) = &requirement {
        let offered = provider.metadata().acr_values_supported();
        if !offered.is_empty()
            && !offered
                .iter()
                .any(|level| requirement.answer_for(*level).is_some())
        {
            return Err(unmet(
                "no level this provider offers meets the essential acr",
            ));
        }
    }
    Ok(requirement)
}

/// The known levels of `acr_values`, unknown ones ignored (they are voluntary, OIDC-SE
/// §2.1.6), at most [`MAX_LEVELS`].
fn acr_values(value: Option<&str>) -> Vec<LevelOfAssurance> {
    let mut levels: Vec<LevelOfAssurance> = Vec::new();
    for level in value
        .unwrap_or_default()
        .split(' ')
        .filter_map(|uri| uri.parse::<LevelOfAssurance>().ok())
    {
        if levels.len() < MAX_LEVELS && !levels.contains(&level) {
            levels.push(level);
        }
    }
    levels
}

/// The requested `ui_locales` the provider offers, in the client's order: `sv-SE` selects
/// `sv`.
fn ui_locales(value: Option<&str>, offered: &[String]) -> Vec<String> {
    let mut locales: Vec<String> = Vec::new();
    for tag in value.unwrap_or_default().split(' ') {
        let primary = tag.split('-').next().unwrap_or_default();
        if let Some(found) = offered
            .iter()
            .find(|offer| offer.eq_ignore_ascii_case(tag) || offer.eq_ignore_ascii_case(primary))
            && !locales.contains(found)
        {
            locales.push(found.clone());
        }
    }
    locales
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_values() {
        assert_eq!(prompt(None).unwrap(), (Prompt::default(), false));
        let (p, given) = prompt(Some("login consent")).unwrap();
        assert!(given && p.login && p.consent && !p.none && !p.select_account);
        assert!(prompt(Some("none")).unwrap().0.none);
        assert_eq!(
            prompt(Some("none login")).unwrap_err().code(),
            OAuthErrorCode::InvalidRequest
        );
        assert_eq!(
            prompt(Some("create")).unwrap_err().code(),
            OAuthErrorCode::InvalidRequest
        );
    }

    #[test]
    fn locales_are_filtered_to_those_offered() {
        let offered = vec!["sv".to_owned(), "en".to_owned()];
        assert_eq!(ui_locales(Some("fr en-GB sv en"), &offered), ["en", "sv"]);
        assert!(ui_locales(Some("de"), &offered).is_empty());
        assert!(ui_locales(None, &offered).is_empty());
    }

    #[test]
    fn unknown_acr_values_are_ignored() {
        let levels = acr_values(Some(
            "urn:unknown http://id.elegnamnden.se/loa/1.0/loa3 http://id.elegnamnden.se/loa/1.0/loa3",
        ));
        assert_eq!(levels, [LevelOfAssurance::Loa3]);
        assert!(acr_values(None).is_empty());
    }
}

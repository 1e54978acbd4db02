//! The scenario rewriter: pure functions that make each faulty token or response, and the axum
//! middleware that applies them around the engine's router.
//!
//! The engine issues correct tokens; the middleware looks at the token endpoint's answer, finds
//! the scenario of the session by the ID token's `sid`, and replaces the ID token with
//! [`rewrite_id_token`]'s. For [`Scenario::UserInfoSubjectMismatch`] it remembers the access
//! token of that answer and alters the UserInfo answer for it ([`rewrite_userinfo_claims`]).
//! Authorization-response faults are applied by the login itself ([`rewrite_location`]).

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::assurance::LevelOfAssurance;
use eid_core::clock::{Clock, UnixTime};
use serde_json::{Map, Value, json};

use super::{Scenario, ScenarioBook};
use crate::keys::{KeysError, RawSigner};

/// The issuer put in tokens and responses that claim to come from another provider.
pub const OTHER_ISSUER: &str = "https://other-issuer.invalid";

/// The audience put in ID tokens meant for another client.
pub const OTHER_AUDIENCE: &str = "another-client";

/// How far in the past an [`Scenario::Expired`] token was issued (it expired five minutes
/// later, so five minutes ago).
pub const EXPIRED_ISSUED_AGO_SECS: u64 = 600;

/// The largest response body the middleware reads.
const MAX_BODY: usize = 1024 * 1024;

/// Why a token could not be rewritten.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum RewriteError {
    /// The token is not a compact JWS with JSON header and payload objects.
    #[error("not a JWS with JSON header and payload")]
    Malformed,
    /// Signing failed.
    #[error("re-signing: {0}")]
    Signing(#[from] KeysError),
}

/// The claims of a compact JWS, without verifying it (the mock reads its own tokens). The
/// header must be a JSON object and the signature base64url too.
///
/// # Errors
/// [`RewriteError::Malformed`].
pub fn decode_claims(token: &str) -> Result<Map<String, Value>, RewriteError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(RewriteError::Malformed);
    };
    let object = |part: &str| -> Result<Map<String, Value>, RewriteError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| RewriteError::Malformed)?;
        serde_json::from_slice(&bytes).map_err(|_| RewriteError::Malformed)
    };
    object(header)?;
    URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| RewriteError::Malformed)?;
    object(payload)
}

/// The standard header of the mock's signer.
fn standard_header(signer: &RawSigner) -> Value {
    json!({ "alg": signer.algorithm(), "kid": signer.kid(), "typ": "JWT" })
}

/// The level one step below `level`, within its framework (`loa4` → `loa3`, `eidas-nf-sub` →
/// `eidas-nf-low`, …); `loa1` for levels without a lower neighbour here.
pub fn lower_level(level: LevelOfAssurance) -> LevelOfAssurance {
    use LevelOfAssurance as L;
    match level {
        L::Loa4 => L::Loa3,
        L::Loa3 => L::Loa2,
        L::Loa4NonResident => L::Loa3NonResident,
        L::Loa3NonResident => L::Loa2NonResident,
        L::SwedenEidasNotifiedHigh => L::SwedenEidasNotifiedSubstantial,
        L::SwedenEidasNotifiedSubstantial => L::SwedenEidasNotifiedLow,
        L::SwedenEidasHigh => L::SwedenEidasSubstantial,
        L::SwedenEidasSubstantial => L::SwedenEidasLow,
        L::EidasHigh => L::EidasSubstantial,
        L::EidasSubstantial => L::EidasLow,
        L::UncertifiedLoa3 => L::UncertifiedLoa2,
        _ => L::Loa1,
    }
}

/// The ID token `token` (issued by the engine) altered as `scenario` says, re-signed with
/// `signer` (or unsigned for [`Scenario::AlgNone`]). Scenarios that do not alter the ID token
/// return it unchanged. `now` is the time of the token response.
///
/// # Errors
/// [`RewriteError`] when the token does not decode or signing fails.
pub fn rewrite_id_token(
    token: &str,
    scenario: &Scenario,
    signer: &RawSigner,
    now: UnixTime,
) -> Result<String, RewriteError> {
    if !scenario.alters_id_token() {
        return Ok(token.to_owned());
    }
    let mut claims = decode_claims(token)?;
    let mut header = standard_header(signer);
    match scenario {
        Scenario::AcrLowered => {
            let lowered = claims
                .get("acr")
                .and_then(Value::as_str)
                .and_then(|acr| acr.parse::<LevelOfAssurance>().ok())
                .map_or(LevelOfAssurance::Loa1, lower_level);
            claims.insert("acr".into(), lowered.as_uri().into());
        }
        Scenario::AlgNone => {
            let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
            let payload =
                URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).map_err(KeysError::Json)?);
            return Ok(format!("{header}.{payload}."));
        }
        Scenario::Expired => {
            let iat = now.as_secs().saturating_sub(EXPIRED_ISSUED_AGO_SECS);
            claims.insert("iat".into(), iat.into());
            claims.insert("exp".into(), iat.saturating_add(300).into());
            let auth_time = claims
                .get("auth_time")
                .and_then(Value::as_u64)
                .map_or(iat, |t| t.min(iat));
            claims.insert("auth_time".into(), auth_time.into());
        }
        Scenario::InvalidAudience => {
            claims.insert("aud".into(), OTHER_AUDIENCE.into());
            claims.remove("azp");
        }
        Scenario::InvalidIssuer => {
            claims.insert("iss".into(), OTHER_ISSUER.into());
        }
        Scenario::InvalidNonce => {
            let altered = match claims.get("nonce").and_then(Value::as_str) {
                Some(nonce) => format!("{nonce}-not-the-one-sent"),
                None => "not-the-nonce-sent".to_owned(),
            };
            claims.insert("nonce".into(), altered.into());
        }
        Scenario::InvalidSignature => {
            let signed = signer.sign(&header, &Value::Object(claims))?;
            return Ok(break_signature(&signed));
        }
        Scenario::KidAbsent => {
            header = json!({ "alg": signer.algorithm(), "typ": "JWT" });
        }
        Scenario::MissingIssuedAt => {
            claims.remove("iat");
        }
        Scenario::MissingSubject => {
            claims.remove("sub");
        }
        _ => {}
    }
    Ok(signer.sign(&header, &Value::Object(claims))?)
}

/// `token` with one bit of its signature flipped.
fn break_signature(token: &str) -> String {
    let Some((input, signature)) = token.rsplit_once('.') else {
        return token.to_owned();
    };
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap_or_default();
    if let Some(first) = bytes.first_mut() {
        *first ^= 0x01;
    } else {
        bytes.push(0);
    }
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// UserInfo claims with a `sub` that is not the ID token's.
pub fn rewrite_userinfo_claims(mut claims: Map<String, Value>) -> Map<String, Value> {
    let other = match claims.get("sub").and_then(Value::as_str) {
        Some(sub) => format!("another-{sub}"),
        None => "another-subject".to_owned(),
    };
    claims.insert("sub".into(), other.into());
    claims
}

/// The authorization response URL `location` altered as `scenario` says: `iss` removed
/// ([`Scenario::MissingIssuerInResponse`]) or set to [`OTHER_ISSUER`]
/// ([`Scenario::WrongIssuerInResponse`]). The parameters are read from the query (the default
/// `response_mode`); a location that is not an absolute URL is returned unchanged.
pub fn rewrite_location(location: &str, scenario: &Scenario) -> String {
    if !scenario.alters_authorization_response() {
        return location.to_owned();
    }
    let Ok(mut url) = url::Url::parse(location) else {
        return location.to_owned();
    };
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let altered = pairs.into_iter().filter_map(|(name, value)| {
        if name != "iss" {
            return Some((name, value));
        }
        match scenario {
            Scenario::WrongIssuerInResponse => Some((name, OTHER_ISSUER.to_owned())),
            _ => None,
        }
    });
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(altered)
        .finish();
    url.set_query((!query.is_empty()).then_some(query.as_str()));
    url.to_string()
}

/// What the middleware needs.
#[derive(Debug)]
pub(crate) struct Rewriter {
    pub(crate) book: Arc<ScenarioBook>,
    pub(crate) signer: Arc<RawSigner>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) token_path: String,
    pub(crate) userinfo_path: String,
}

/// The bearer token of an `Authorization: Bearer …` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The `access_token` of a form-encoded POST body (RFC 6750 §2.2), and the request rebuilt
/// with the same body for the engine.
async fn body_access_token(request: Request) -> Result<(Request, Option<String>), Response> {
    let is_form = request.method() == Method::POST
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    // The engine limits form bodies to 64 KiB; a larger one is refused there, not here.
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return Err((StatusCode::PAYLOAD_TOO_LARGE, "the body is too large").into_response());
    };
    let token = url::form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "access_token")
        .map(|(_, value)| value.into_owned());
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

/// The middleware: applies the scenarios of sessions to token and UserInfo responses.
pub(crate) async fn layer(
    State(rewriter): State<Arc<Rewriter>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if path == rewriter.userinfo_path {
        let (request, body_token) = match body_access_token(request).await {
            Ok(read) => read,
            Err(response) => return response,
        };
        let scenario = bearer(request.headers())
            .map(str::to_owned)
            .or(body_token)
            .and_then(|t| rewriter.book.for_access_token(&t));
        let response = next.run(request).await;
        return match scenario {
            Some(Scenario::UserInfoSubjectMismatch) => userinfo(&rewriter, response).await,
            _ => response,
        };
    }
    if path == rewriter.token_path && request.method() == Method::POST {
        let response = next.run(request).await;
        return token(&rewriter, response).await;
    }
    next.run(request).await
}

fn internal_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "the mock could not apply its scenario",
    )
        .into_response()
}

async fn token(rewriter: &Rewriter, response: Response) -> Response {
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return internal_error();
    };
    let Ok(Value::Object(mut json)) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let scenario = json
        .get("id_token")
        .and_then(Value::as_str)
        .and_then(|t| decode_claims(t).ok())
        .and_then(|claims| claims.get("sid").and_then(Value::as_str).map(str::to_owned))
        .and_then(|sid| rewriter.book.for_session(&sid));
    let Some(scenario) = scenario else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if scenario == Scenario::UserInfoSubjectMismatch
        && let Some(access_token) = json.get("access_token").and_then(Value::as_str)
    {
        rewriter
            .book
            .remember_access_token(access_token, scenario.clone());
    }
    if let Some(id_token) = json.get("id_token").and_then(Value::as_str) {
        match rewrite_id_token(id_token, &scenario, &rewriter.signer, rewriter.clock.now()) {
            Ok(rewritten) => {
                json.insert("id_token".into(), rewritten.into());
            }
            Err(_) => return internal_error(),
        }
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = Value::Object(json).to_string();
    Response::from_parts(parts, Body::from(body))
}

async fn userinfo(rewriter: &Rewriter, response: Response) -> Response {
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return internal_error();
    };
    let is_jwt = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/jwt"));
    let new_body = if is_jwt {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return internal_error();
        };
        let Ok(claims) = decode_claims(text.trim()) else {
            return internal_error();
        };
        let claims = rewrite_userinfo_claims(claims);
        match rewriter
            .signer
            .sign(&standard_header(&rewriter.signer), &Value::Object(claims))
        {
            Ok(token) => token,
            Err(_) => return internal_error(),
        }
    } else {
        let Ok(Value::Object(claims)) = serde_json::from_slice::<Value>(&bytes) else {
            return Response::from_parts(parts, Body::from(bytes));
        };
        Value::Object(rewrite_userinfo_claims(claims)).to_string()
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(new_body))
}

#[cfg(test)]
mod tests;

//! Signed request objects passed by value (`request`, OIDC Core §6.1, RFC 9101).
//!
//! A request object must be a compact JWS signed by one of the client's registered keys
//! ([`Client::jwks`]) with an algorithm of the provider's allow-list
//! (`ProviderConfig::request_object_algorithms`; never `none`, never HMAC), with
//! `iss` = the client id, `aud` naming our issuer or our authorization endpoint (OIDC-SE §2.1.7),
//! and an `exp` that has not passed and is at most [`MAX_REQUEST_OBJECT_LIFETIME`] ahead.
//! Unsigned request objects are answered with `request_not_supported`; encrypted ones (JWE)
//! and every other failure with `invalid_request_object`.
//!
//! Its claims become request parameters that win over the query's (OIDC Core §6.1);
//! `client_id` and `response_type` inside must equal those outside.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::clock::UnixTime;
use eid_core::jose::JwsAlgorithm;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::parameters::{RequestParameters, name};
use crate::client::Client;
use crate::client::keys::{ClientKeyError, ClientKeys};
use crate::oauth_error::{OAuthError, OAuthErrorCode};

/// How far in the future a request object's `exp` may be (FAPI 2.0 Message Signing: at most
/// 60 minutes after `nbf`).
pub(crate) const MAX_REQUEST_OBJECT_LIFETIME: Duration = Duration::from_secs(3600);

/// The JWT claims of a request object that are not authorization request parameters.
const JWT_CLAIMS: [&str; 6] = ["iss", "aud", "exp", "iat", "nbf", "jti"];

/// What the verification of a request object needs to know of the provider.
pub(crate) struct Expectations<'a> {
    /// Our issuer identifier.
    pub(crate) issuer: &'a str,
    /// Our authorization endpoint's URL (also accepted as `aud`).
    pub(crate) authorization_endpoint: &'a str,
    /// The algorithms accepted.
    pub(crate) algorithms: &'a [JwsAlgorithm],
    /// The clock skew tolerated.
    pub(crate) max_skew: Duration,
    /// The clients' keys.
    pub(crate) keys: &'a ClientKeys,
}

fn invalid(description: &str) -> OAuthError {
    OAuthError::new(OAuthErrorCode::InvalidRequestObject, description)
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
    crit: Option<Value>,
}

/// The parameters of `outer` with those of the request object `jwt` of `client` put over them.
///
/// # Errors
/// `request_not_supported` for an unsigned request object, `invalid_request_object` for any
/// other failure (see the module documentation).
pub(crate) async fn apply_request_object(
    jwt: &str,
    outer: RequestParameters,
    client: &Client,
    expect: &Expectations<'_>,
    now: UnixTime,
) -> Result<RequestParameters, OAuthError> {
    let inner = open(jwt, client, expect, now).await?;
    for bound in [name::CLIENT_ID, name::RESPONSE_TYPE] {
        if let (Some(inside), Some(outside)) = (inner.get(bound), outer.get(bound))
            && inside != outside
        {
            return Err(invalid(&format!(
                "{bound} in the request object differs from the request's"
            )));
        }
    }
    if !inner.contains_key(name::CLIENT_ID) && outer.get(name::CLIENT_ID).is_none() {
        return Err(OAuthError::invalid_request("client_id is missing"));
    }
    Ok(outer.without(name::REQUEST).overridden_by(inner))
}

/// The parameters of a request object that could not be verified, to choose where its
/// error goes (a registered redirect URI of the client, with the `state`): never used for
/// anything else.
pub(crate) fn unverified_parameters(jwt: &str) -> Option<BTreeMap<String, String>> {
    let payload = jwt.split('.').nth(1)?;
    let claims: Map<String, Value> = decode_json(payload)?;
    let wanted = [name::REDIRECT_URI, name::STATE, name::RESPONSE_MODE];
    Some(
        claims
            .into_iter()
            .filter(|(claim, _)| wanted.contains(&claim.as_str()))
            .filter_map(|(claim, value)| match value {
                Value::String(text) => Some((claim, text)),
                _ => None,
            })
            .collect(),
    )
}

/// Verifies the request object and returns its parameters.
async fn open(
    jwt: &str,
    client: &Client,
    expect: &Expectations<'_>,
    now: UnixTime,
) -> Result<BTreeMap<String, String>, OAuthError> {
    let parts: Vec<&str> = jwt.split('.').collect();
    let (header, payload, signature) = match parts.as_slice() {
        [header, payload, signature] => (*header, *payload, *signature),
        [_, _, _, _, _] => return Err(invalid("encrypted request objects are not supported")),
        _ => return Err(invalid("the request object is not a compact JWS")),
    };
    let header: Header =
        decode_json(header).ok_or_else(|| invalid("the request object header is malformed"))?;
    if header.alg == "none" {
        return Err(OAuthError::new(
            OAuthErrorCode::RequestNotSupported,
            "unsigned request objects are not supported",
        ));
    }
    if header.crit.is_some() {
        return Err(invalid("the request object has critical header extensions"));
    }
    let algorithm = header
        .alg
        .parse::<JwsAlgorithm>()
        .ok()
        .filter(|alg| expect.algorithms.contains(alg))
        .ok_or_else(|| invalid("the request object's algorithm is not allowed"))?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| invalid("the request object signature is malformed"))?;
    let message = jwt
        .rsplit_once('.')
        .map(|(message, _)| message)
        .ok_or_else(|| invalid("the request object is not a compact JWS"))?;
    expect
        .keys
        .verify(
            client,
            header.kid.as_deref(),
            algorithm,
            message.as_bytes(),
            &signature,
            now,
        )
        .await
        .map_err(|error| match error {
            ClientKeyError::NoKeys => {
                invalid("the client has registered no keys to sign request objects")
            }
            ClientKeyError::KeyNotFound => {
                invalid("no registered key of the client fits the request object")
            }
            ClientKeyError::Signature(_) => invalid("the request object signature is invalid"),
            _ => invalid("the client's keys could not be fetched"),
        })?;

    let claims: Map<String, Value> =
        decode_json(payload).ok_or_else(|| invalid("the request object claims are malformed"))?;
    check_claims(&claims, client, expect, now)?;
    parameters_of(claims)
}

fn decode_json<T: for<'de> Deserialize<'de>>(part: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A `NumericDate`, whole seconds; fractions dropped, anything else malformed.
fn numeric_date(claims: &Map<String, Value>, claim: &str) -> Result<Option<UnixTime>, OAuthError> {
    match claims.get(claim) {
        None => Ok(None),
        Some(value) => value
            .as_u64()
            .map(|secs| Some(UnixTime::from_secs(secs)))
            .ok_or_else(|| invalid(&format!("the request object's {claim} is malformed"))),
    }
}

fn check_claims(
    claims: &Map<String, Value>,
    client: &Client,
    expect: &Expectations<'_>,
    now: UnixTime,
) -> Result<(), OAuthError> {
    if claims.get("iss").and_then(Value::as_str) != Some(client.id().as_str()) {
        return Err(invalid("the request object's iss must be the client id"));
    }
    let accepted = [expect.issuer, expect.authorization_endpoint];
    let audience_ok = match claims.get("aud") {
        Some(Value::String(aud)) => accepted.contains(&aud.as_str()),
        Some(Value::Array(auds)) => auds
            .iter()
            .filter_map(Value::as_str)
            .any(|aud| accepted.contains(&aud)),
        _ => false,
    };
    if !audience_ok {
        return Err(invalid(
            "the request object is not addressed to this provider",
        ));
    }
    let exp =
        numeric_date(claims, "exp")?.ok_or_else(|| invalid("the request object has no exp"))?;
    if exp.saturating_add(expect.max_skew) <= now {
        return Err(invalid("the request object has expired"));
    }
    let latest = now
        .saturating_add(MAX_REQUEST_OBJECT_LIFETIME)
        .saturating_add(expect.max_skew);
    if exp > latest {
        return Err(invalid("the request object expires too far in the future"));
    }
    let horizon = now.saturating_add(expect.max_skew);
    for claim in ["nbf", "iat"] {
        if numeric_date(claims, claim)?.is_some_and(|time| time > horizon) {
            return Err(invalid(&format!(
                "the request object's {claim} is in the future"
            )));
        }
    }
    Ok(())
}

/// The request parameters among the claims: strings as they are, numbers (`max_age`) as
/// their decimal text, objects (`claims`) as JSON text. A nested `request` or `request_uri`
/// is refused (RFC 9101 §4).
fn parameters_of(claims: Map<String, Value>) -> Result<BTreeMap<String, String>, OAuthError> {
    let mut parameters = BTreeMap::new();
    for (claim, value) in claims {
        if JWT_CLAIMS.contains(&claim.as_str()) {
            continue;
        }
        if claim == name::REQUEST || claim == name::REQUEST_URI {
            return Err(invalid(
                "a request object must not contain request or request_uri",
            ));
        }
        let text = match value {
            Value::String(text) => text,
            Value::Number(number) => number.to_string(),
            Value::Object(_) => value.to_string(),
            Value::Null | Value::Bool(_) | Value::Array(_) => {
                if is_known(&claim) {
                    return Err(invalid(&format!(
                        "the request object's {claim} has the wrong type"
                    )));
                }
                continue;
            }
        };
        parameters.insert(claim, text);
    }
    Ok(parameters)
}

/// Whether `parameter` is one the provider reads.
fn is_known(parameter: &str) -> bool {
    [
        name::ACR_VALUES,
        name::AUTHN_PROVIDER,
        name::CLAIMS,
        name::CLIENT_ID,
        name::CODE_CHALLENGE,
        name::CODE_CHALLENGE_METHOD,
        name::ID_TOKEN_HINT,
        name::LOGIN_HINT,
        name::MAX_AGE,
        name::NONCE,
        name::PROMPT,
        name::REDIRECT_URI,
        name::RESPONSE_MODE,
        name::RESPONSE_TYPE,
        name::SCOPE,
        name::STATE,
        name::UI_LOCALES,
    ]
    .contains(&parameter)
}

//! `id_token_hint` (OIDC Core §3.1.2.1): an ID token we issued to this client, naming the
//! person the client expects.
//!
//! Verified with our own published keys (current, next and previous) by eid-core's
//! [`IdTokenVerifier`]: signature, `iss` = our issuer, `aud` = the client. An expired hint is
//! still a hint (the RP may hold an old ID token), so it is checked as of its own `iat`:
//! everything but the expiry must hold. `alg: none`, HMAC and foreign keys are refused.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::clock::UnixTime;
use eid_core::jose::{Jwks, JwsAlgorithm};
use eid_core::verify::{IdTokenError, IdTokenVerifier};

use crate::client::ClientId;
use crate::discovery::Issuer;
use crate::id_token::Subject;

/// The subject of `hint` if it is an ID token we issued to `client`.
///
/// # Errors
/// The [`IdTokenError`] of the first check that failed.
pub(crate) fn verify_id_token_hint(
    hint: &str,
    issuer: &Issuer,
    client: &ClientId,
    jwks: &Jwks,
    now: UnixTime,
) -> Result<Subject, IdTokenError> {
    let verifier =
        IdTokenVerifier::new(issuer.as_str(), client.as_str(), jwks, &JwsAlgorithm::ALL)?;
    let at = issued_at(hint).filter(|iat| *iat < now).unwrap_or(now);
    let verified = verifier.verify(hint, at)?;
    verified
        .subject()
        .parse()
        .map_err(|_| IdTokenError::InvalidClaim { claim: "sub" })
}

/// The unverified `iat` of a compact JWS, if it has one (only used to pick the time of the
/// check; the signature is verified after).
fn issued_at(token: &str) -> Option<UnixTime> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&bytes).ok()?;
    claims
        .get("iat")
        .and_then(serde_json::Value::as_u64)
        .map(UnixTime::from_secs)
}

//! `id_token_hint`: an ID token this provider issued, presented back by a client (OIDC Core
//! §3.1.2.1 at the authorization endpoint; RP-Initiated Logout 1.0 §2 at end-session).

use std::time::Duration;

use eid_core::clock::UnixTime;
use eid_core::verify::{IdTokenError, IdTokenVerifier, VerifiedIdToken};

use crate::client::ClientId;
use crate::discovery::Issuer;
use crate::keys::KeyRing;

/// Verifies `hint` as an ID token `issuer` issued to `client`, with every key the ring publishes
/// (current, next and previous) and only the algorithms it signs with: signature, `iss`, `aud`
/// and the times. An expired hint is still a hint (the client may hold an old ID token): it is
/// then verified as of just before it expired, so that everything but the expiry must hold.
/// `alg: none`, HMAC and foreign keys are refused.
///
/// # Errors
/// The [`IdTokenError`] of the first check that failed.
pub(crate) fn verify_hint(
    hint: &str,
    issuer: &Issuer,
    client: &ClientId,
    keys: &KeyRing,
    max_skew: Duration,
    now: UnixTime,
) -> Result<VerifiedIdToken, IdTokenError> {
    let verifier = IdTokenVerifier::new(
        issuer.as_str(),
        client.as_str(),
        keys.jwks(),
        &keys.algorithms(),
    )?
    .max_clock_skew(max_skew);
    match verifier.verify(hint, now) {
        Err(IdTokenError::Expired { expires_at, .. }) => {
            verifier.verify(hint, expires_at.saturating_sub(Duration::from_secs(1)))
        }
        other => other,
    }
}

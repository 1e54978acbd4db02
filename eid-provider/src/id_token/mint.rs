//! Building and signing the claims.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::clock::UnixTime;
use eid_core::jose::{JwsAlgorithm, SigningKey};
use ring::digest;
use ring::rand::SecureRandom;
use serde_json::{Map, Value, json};

use super::{IdTokenContent, LogoutTarget, LogoutTokenContent, MintError};
use crate::keys::KeyRing;

/// The longest ID token lifetime: five minutes (OIDC-SE §3.2.1). Longer requests are capped.
pub const MAX_ID_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// The longest logout token lifetime: two minutes (Back-Channel Logout 1.0 §2.4 recommends a
/// short one). Longer requests are capped.
pub const MAX_LOGOUT_TOKEN_LIFETIME: Duration = Duration::from_secs(120);

/// The event member of a logout token (Back-Channel Logout 1.0 §2.4).
pub const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// The `typ` header of a logout token (Back-Channel Logout 1.0 §2.4).
pub const LOGOUT_TOKEN_TYPE: &str = "logout+jwt";

/// Claims that identity claims must not overwrite.
const PROTOCOL_CLAIMS: [&str; 18] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nbf",
    "jti",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "azp",
    "sid",
    "at_hash",
    "c_hash",
    "s_hash",
    "events",
    "cnf",
];

/// Random bytes in a logout token's `jti`.
const JTI_BYTES: usize = 16;

/// Mints an ID token signed with the ring's current key for `algorithm`.
///
/// `iat` is `now`; `exp` is `now` plus `lifetime`, capped at [`MAX_ID_TOKEN_LIFETIME`].
///
/// # Errors
///
/// [`MintError::NoSigningKey`] if the ring does not sign with `algorithm`,
/// [`MintError::ZeroLifetime`], [`MintError::EmptyAudience`],
/// [`MintError::AuthTimeInFuture`] if `auth_time` is after `now`,
/// [`MintError::ReservedClaim`] if an identity claim is a protocol claim,
/// [`MintError::UnsupportedHashAlgorithm`] for `at_hash` with an algorithm without one,
/// [`MintError::Signing`] if signing fails.
pub fn mint_id_token(
    ring: &KeyRing,
    algorithm: JwsAlgorithm,
    content: &IdTokenContent,
    now: UnixTime,
    lifetime: Duration,
) -> Result<String, MintError> {
    let key = signer(ring, algorithm)?;
    let exp = expiry(now, lifetime, MAX_ID_TOKEN_LIFETIME)?;
    if content.audience.is_empty() {
        return Err(MintError::EmptyAudience);
    }
    if content.auth_time > now {
        return Err(MintError::AuthTimeInFuture);
    }
    let mut claims = Map::new();
    claims.insert("iss".into(), content.issuer.as_str().into());
    claims.insert("sub".into(), content.subject.as_str().into());
    claims.insert("aud".into(), content.audience.as_str().into());
    claims.insert("exp".into(), exp.as_secs().into());
    claims.insert("iat".into(), now.as_secs().into());
    claims.insert("auth_time".into(), content.auth_time.as_secs().into());
    if let Some(nonce) = &content.nonce {
        claims.insert("nonce".into(), nonce.as_str().into());
    }
    if let Some(acr) = content.acr {
        claims.insert("acr".into(), acr.as_uri().into());
    }
    if !content.amr.is_empty() {
        claims.insert("amr".into(), content.amr.clone().into());
    }
    if let Some(sid) = &content.sid {
        claims.insert("sid".into(), sid.as_str().into());
    }
    if let Some(token) = &content.access_token {
        claims.insert(
            "at_hash".into(),
            half_hash(algorithm, token.expose_secret())?.into(),
        );
    }
    for (name, value) in &content.identity {
        if PROTOCOL_CLAIMS.contains(&name.as_str()) {
            return Err(MintError::ReservedClaim { name: name.clone() });
        }
        claims.insert(name.clone(), value.clone());
    }
    key.sign_jwt(&Value::Object(claims))
        .map_err(MintError::Signing)
}

/// Mints a back-channel logout token (`typ: logout+jwt`) signed with the ring's current key for
/// `algorithm`.
///
/// It has `iss`, `aud`, `iat` (`now`), `exp` (`now` plus `lifetime`, capped at
/// [`MAX_LOGOUT_TOKEN_LIFETIME`]), a fresh random `jti` from `rng`, `events` with
/// [`BACKCHANNEL_LOGOUT_EVENT`], and `sub` and/or `sid` as the target says; never `nonce`.
///
/// # Errors
///
/// [`MintError::NoSigningKey`], [`MintError::ZeroLifetime`], [`MintError::EmptyAudience`],
/// [`MintError::Random`] if `rng` fails, [`MintError::Signing`].
pub fn mint_logout_token(
    ring: &KeyRing,
    algorithm: JwsAlgorithm,
    content: &LogoutTokenContent,
    rng: &dyn SecureRandom,
    now: UnixTime,
    lifetime: Duration,
) -> Result<String, MintError> {
    let key = signer(ring, algorithm)?;
    let exp = expiry(now, lifetime, MAX_LOGOUT_TOKEN_LIFETIME)?;
    if content.audience.is_empty() {
        return Err(MintError::EmptyAudience);
    }
    let mut jti = [0_u8; JTI_BYTES];
    rng.fill(&mut jti).map_err(|_| MintError::Random)?;
    let mut claims = Map::new();
    claims.insert("iss".into(), content.issuer.as_str().into());
    claims.insert("aud".into(), content.audience.as_str().into());
    claims.insert("iat".into(), now.as_secs().into());
    claims.insert("exp".into(), exp.as_secs().into());
    claims.insert("jti".into(), URL_SAFE_NO_PAD.encode(jti).into());
    claims.insert("events".into(), json!({ BACKCHANNEL_LOGOUT_EVENT: {} }));
    let (subject, sid) = match &content.target {
        LogoutTarget::Session { sid } => (None, Some(sid)),
        LogoutTarget::Subject(subject) => (Some(subject), None),
        LogoutTarget::SubjectSession { subject, sid } => (Some(subject), Some(sid)),
    };
    if let Some(subject) = subject {
        claims.insert("sub".into(), subject.as_str().into());
    }
    if let Some(sid) = sid {
        claims.insert("sid".into(), sid.as_str().into());
    }
    key.sign_jwt_with_type(LOGOUT_TOKEN_TYPE, &Value::Object(claims))
        .map_err(MintError::Signing)
}

fn signer(ring: &KeyRing, algorithm: JwsAlgorithm) -> Result<&SigningKey, MintError> {
    ring.signer(algorithm)
        .ok_or(MintError::NoSigningKey { algorithm })
}

/// `now + min(lifetime, cap)`, refusing a zero lifetime.
fn expiry(now: UnixTime, lifetime: Duration, cap: Duration) -> Result<UnixTime, MintError> {
    let lifetime = lifetime.min(cap);
    if lifetime.as_secs() == 0 {
        return Err(MintError::ZeroLifetime);
    }
    Ok(now.saturating_add(lifetime))
}

/// The left half of the hash of `value` with the hash of `algorithm`, base64url
/// (OpenID Connect Core §3.3.2.11; SHA-512 for EdDSA with Ed25519).
fn half_hash(algorithm: JwsAlgorithm, value: &str) -> Result<String, MintError> {
    let hash = match algorithm {
        JwsAlgorithm::Es256 | JwsAlgorithm::Rs256 | JwsAlgorithm::Ps256 => &digest::SHA256,
        JwsAlgorithm::Es384 => &digest::SHA384,
        JwsAlgorithm::EdDsa => &digest::SHA512,
        _ => return Err(MintError::UnsupportedHashAlgorithm { algorithm }),
    };
    let digest = digest::digest(hash, value.as_bytes());
    let bytes = digest.as_ref();
    let half = bytes.get(..bytes.len() / 2).unwrap_or(bytes);
    Ok(URL_SAFE_NO_PAD.encode(half))
}

//! Scenarios: how the next login (or every login of a person) misbehaves on purpose.
//!
//! A [`Scenario`] is chosen when the person picks who to log in as: first the next one queued
//! (by [`MockIdp::enqueue_scenario`](crate::MockIdp::enqueue_scenario) or the control API's
//! `POST /mock/scenario`), else the person's own (`scenario` in the persons file), else none.
//! Only a login takes a queued scenario: an authorization answered from an existing single
//! sign-on session leaves it queued (use a fresh browser, or `prompt=login`).
//!
//! | Scenario | What the relying party sees | Catches |
//! | --- | --- | --- |
//! | [`Cancel`](Scenario::Cancel) | `error=access_denied` | the user cancels |
//! | [`Slow`](Scenario::Slow) | the login answers after `delay_ms` | time-outs, spinners |
//! | [`ServerError`](Scenario::ServerError) | `error=server_error` | upstream failure |
//! | [`TemporarilyUnavailable`](Scenario::TemporarilyUnavailable) | `error=temporarily_unavailable` | upstream overload |
//! | [`InvalidIssuer`](Scenario::InvalidIssuer) | ID token `iss` of another provider | `oidcc-client-test-invalid-iss` |
//! | [`MissingSubject`](Scenario::MissingSubject) | ID token without `sub` | `-missing-sub` |
//! | [`InvalidAudience`](Scenario::InvalidAudience) | ID token for another client | `-invalid-aud` |
//! | [`MissingIssuedAt`](Scenario::MissingIssuedAt) | ID token without `iat` | `-missing-iat` |
//! | [`KidAbsent`](Scenario::KidAbsent) | ID token header without `kid` | `-kid-absent-single-jwks` with [`KeySet::Single`](crate::keys::KeySet::Single) (accept), `-kid-absent-multiple-jwks` with [`KeySet::Rotating`](crate::keys::KeySet::Rotating) (reject) |
//! | [`AlgNone`](Scenario::AlgNone) | unsigned ID token, `alg: none` | `-idtoken-sig-none` |
//! | [`InvalidSignature`](Scenario::InvalidSignature) | ID token signature broken | `-invalid-sig-*` |
//! | [`InvalidNonce`](Scenario::InvalidNonce) | ID token `nonce` not the one sent | `-nonce-invalid` |
//! | [`UserInfoSubjectMismatch`](Scenario::UserInfoSubjectMismatch) | UserInfo `sub` ≠ ID token `sub` | `-userinfo-invalid-sub` |
//! | [`Expired`](Scenario::Expired) | ID token issued and expired 10 minutes ago | expiry check |
//! | [`AcrLowered`](Scenario::AcrLowered) | ID token `acr` one level lower than reached | LoA downgrade |
//! | [`WrongIssuerInResponse`](Scenario::WrongIssuerInResponse) | authorization response `iss` of another provider | mix-up (RFC 9207) |
//! | [`MissingIssuerInResponse`](Scenario::MissingIssuerInResponse) | authorization response without `iss` | mix-up (RFC 9207) |
//!
//! Token faults are applied by the [`rewrite`] layer around the engine's router: the
//! scenario chosen at login is remembered under the session's `sid`, found again in the ID
//! token of the token response, and the token is altered and re-signed with the mock's own key
//! ([`RawSigner`](crate::keys::RawSigner)). The engine itself stays strict and unaware.
//!
//! The control API takes a scenario as JSON: `{"scenario": "invalid_issuer"}`,
//! `{"scenario": "slow", "delay_ms": 1500}`.

pub mod rewrite;

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The longest [`Scenario::Slow`] delay: a minute.
pub const MAX_DELAY: Duration = Duration::from_secs(60);

/// The most scenarios queued or remembered at once; beyond, the oldest is dropped.
pub const MAX_SCENARIOS: usize = 1024;

/// One scripted misbehaviour (see the [module documentation](self) for what each catches).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scenario", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scenario {
    /// The ID token has a wrong `acr`: one level below the level reached.
    AcrLowered,
    /// The ID token is unsigned (`alg: none`, empty signature).
    AlgNone,
    /// The person cancels: `access_denied`.
    Cancel,
    /// The ID token was issued and expired in the past.
    Expired,
    /// The ID token's `aud` is another client.
    InvalidAudience,
    /// The ID token's `iss` is another provider.
    InvalidIssuer,
    /// The ID token's `nonce` is not the one the client sent.
    InvalidNonce,
    /// The ID token's signature does not verify.
    InvalidSignature,
    /// The ID token's header has no `kid`.
    KidAbsent,
    /// The authorization response has no `iss`.
    MissingIssuerInResponse,
    /// The ID token has no `iat`.
    MissingIssuedAt,
    /// The ID token has no `sub`.
    MissingSubject,
    /// The upstream failed: `server_error`.
    ServerError,
    /// The login answers only after a delay (at most [`MAX_DELAY`]).
    Slow {
        /// The delay in milliseconds.
        delay_ms: u64,
    },
    /// The upstream is overloaded: `temporarily_unavailable`.
    TemporarilyUnavailable,
    /// UserInfo answers with another `sub` than the ID token's.
    UserInfoSubjectMismatch,
    /// The authorization response's `iss` is another provider.
    WrongIssuerInResponse,
}

impl Scenario {
    /// Whether it alters the ID token of the token response.
    pub fn alters_id_token(&self) -> bool {
        matches!(
            self,
            Self::AcrLowered
                | Self::AlgNone
                | Self::Expired
                | Self::InvalidAudience
                | Self::InvalidIssuer
                | Self::InvalidNonce
                | Self::InvalidSignature
                | Self::KidAbsent
                | Self::MissingIssuedAt
                | Self::MissingSubject
        )
    }

    /// Whether it alters the authorization response.
    pub fn alters_authorization_response(&self) -> bool {
        matches!(
            self,
            Self::MissingIssuerInResponse | Self::WrongIssuerInResponse
        )
    }

    /// Whether it must be remembered past the login, for the token or UserInfo endpoint.
    pub fn applies_after_login(&self) -> bool {
        self.alters_id_token() || matches!(self, Self::UserInfoSubjectMismatch)
    }

    /// The delay of a [`Scenario::Slow`], capped at [`MAX_DELAY`].
    pub fn delay(&self) -> Option<Duration> {
        match self {
            Self::Slow { delay_ms } => Some(Duration::from_millis(*delay_ms).min(MAX_DELAY)),
            _ => None,
        }
    }
}

/// The scenarios queued for the next logins, and those remembered for issued sessions and
/// access tokens. Bounded by [`MAX_SCENARIOS`] each.
#[derive(Debug, Default)]
pub struct ScenarioBook {
    queue: Mutex<VecDeque<Scenario>>,
    by_sid: Mutex<Remembered>,
    by_access_token: Mutex<Remembered>,
}

/// A bounded map that forgets its oldest entry first.
#[derive(Debug, Default)]
struct Remembered {
    map: HashMap<String, Scenario>,
    order: VecDeque<String>,
}

impl Remembered {
    fn insert(&mut self, key: String, scenario: Scenario) {
        if self.map.insert(key.clone(), scenario).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > MAX_SCENARIOS {
            if let Some(oldest) = self.order.pop_front() {
                self.map.remove(&oldest);
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock means a panic elsewhere while holding it; the data is still a valid
    // queue or map (every update is a single call).
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl ScenarioBook {
    /// Queues `scenario` for the next login.
    pub fn enqueue(&self, scenario: Scenario) {
        let mut queue = lock(&self.queue);
        queue.push_back(scenario);
        while queue.len() > MAX_SCENARIOS {
            queue.pop_front();
        }
    }

    /// Takes the scenario queued for this login, if any.
    pub fn take_next(&self) -> Option<Scenario> {
        lock(&self.queue).pop_front()
    }

    /// How many scenarios wait.
    pub fn queued(&self) -> usize {
        lock(&self.queue).len()
    }

    /// Remembers `scenario` for the session `sid` (the ID tokens issued in it).
    pub fn remember_session(&self, sid: &str, scenario: Scenario) {
        lock(&self.by_sid).insert(sid.to_owned(), scenario);
    }

    /// The scenario of the session `sid`.
    pub fn for_session(&self, sid: &str) -> Option<Scenario> {
        lock(&self.by_sid).map.get(sid).cloned()
    }

    /// Remembers `scenario` for an access token (by its SHA-256 digest; the token is not kept).
    pub fn remember_access_token(&self, access_token: &str, scenario: Scenario) {
        lock(&self.by_access_token).insert(token_key(access_token), scenario);
    }

    /// The scenario of an access token.
    pub fn for_access_token(&self, access_token: &str) -> Option<Scenario> {
        lock(&self.by_access_token)
            .map
            .get(&token_key(access_token))
            .cloned()
    }
}

fn token_key(token: &str) -> String {
    use base64::Engine as _;
    let digest = ring::digest::digest(&ring::digest::SHA256, token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_read_and_write_as_tagged_json() {
        let slow: Scenario =
            serde_json::from_str(r#"{"scenario":"slow","delay_ms":1500}"#).unwrap();
        assert_eq!(slow.delay(), Some(Duration::from_millis(1500)));
        let long: Scenario =
            serde_json::from_str(r#"{"scenario":"slow","delay_ms":3600000}"#).unwrap();
        assert_eq!(long.delay(), Some(MAX_DELAY));
        let fault: Scenario = serde_json::from_str(r#"{"scenario":"invalid_issuer"}"#).unwrap();
        assert_eq!(fault, Scenario::InvalidIssuer);
        assert_eq!(
            serde_json::to_string(&Scenario::UserInfoSubjectMismatch).unwrap(),
            r#"{"scenario":"user_info_subject_mismatch"}"#
        );
        assert!(serde_json::from_str::<Scenario>(r#"{"scenario":"explode"}"#).is_err());
        // (serde cannot refuse extra members next to a unit variant's tag; it does for `slow`.)
        assert!(
            serde_json::from_str::<Scenario>(r#"{"scenario":"slow","delay_ms":1,"x":1}"#).is_err()
        );
        assert!(serde_json::from_str::<Scenario>(r#"{"scenario":"slow"}"#).is_err());
    }

    #[test]
    fn the_book_queues_in_order_and_forgets_the_oldest() {
        let book = ScenarioBook::default();
        book.enqueue(Scenario::Cancel);
        book.enqueue(Scenario::Expired);
        assert_eq!(book.take_next(), Some(Scenario::Cancel));
        assert_eq!(book.take_next(), Some(Scenario::Expired));
        assert_eq!(book.take_next(), None);
        for i in 0..=MAX_SCENARIOS {
            book.remember_session(&format!("sid-{i}"), Scenario::KidAbsent);
        }
        assert_eq!(book.for_session("sid-0"), None);
        assert_eq!(
            book.for_session(&format!("sid-{MAX_SCENARIOS}")),
            Some(Scenario::KidAbsent)
        );
        book.remember_access_token("at-1", Scenario::UserInfoSubjectMismatch);
        assert_eq!(
            book.for_access_token("at-1"),
            Some(Scenario::UserInfoSubjectMismatch)
        );
        assert_eq!(book.for_access_token("at-2"), None);
    }
}

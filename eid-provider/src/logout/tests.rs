//! The RP-initiated logout plan of the conformance suite (`oidcc-rp-initiated-logout-…`), the
//! back-channel logout module, and the rest of the end-session rules.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::clock::UnixTime;
use eid_core::jose::{JwsAlgorithm, SigningKey};
use serde_json::json;

use crate::id_token::{BACKCHANNEL_LOGOUT_EVENT, IdTokenContent, Subject, mint_id_token};
use crate::keys::KeyRing;
use crate::oauth_error::OAuthErrorCode;
use crate::provider::{EndSession, EndSessionOutcome};
use crate::store::SessionId;
use crate::token::testing::*;

/// An ID token of ours for [`RP`] (from a code exchange), a session it belongs to, and the
/// fixture.
async fn logged_in() -> (Fixture, String, SessionId) {
    let f = Fixture::new();
    let id_token = f.tokens().await.id_token.unwrap();
    let session = f.session_with(&[RP]).await;
    (f, id_token, session)
}

async fn end(f: &Fixture, pairs: &[(&str, &str)], session: Option<&SessionId>) -> EndSession {
    f.provider.end_session(&params(pairs), session).await
}

async fn session_exists(f: &Fixture, session: &SessionId) -> bool {
    f.provider
        .stores()
        .sessions
        .session(session, f.now())
        .await
        .unwrap()
        .is_some()
}

/// Refused, with nothing changed.
async fn assert_refused(f: &Fixture, result: &EndSession, session: &SessionId) {
    assert!(
        matches!(&result.outcome, EndSessionOutcome::Refused(e) if e.code() == OAuthErrorCode::InvalidRequest),
        "{:?}",
        result.outcome
    );
    assert!(!result.clear_session);
    assert!(result.backchannel.is_empty());
    assert!(session_exists(f, session).await);
}

/// `oidcc-rp-initiated-logout` (base): redirect with `state`; the session is gone.
#[tokio::test]
async fn rp_initiated_logout_redirects_with_state_and_ends_the_session() {
    let (f, hint, session) = logged_in().await;
    let result = end(
        &f,
        &[
            ("id_token_hint", &hint),
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
            ("state", "af0 ifjsldkj"),
        ],
        Some(&session),
    )
    .await;
    let EndSessionOutcome::Redirect(location) = &result.outcome else {
        panic!("expected a redirect, got {:?}", result.outcome);
    };
    assert_eq!(location, "https://rp.example/logged-out?state=af0+ifjsldkj");
    assert!(result.clear_session);
    assert!(!session_exists(&f, &session).await);
}

/// `oidcc-rp-initiated-logout-no-state`: redirect to the URI as registered, no `state`.
#[tokio::test]
async fn rp_initiated_logout_no_state() {
    let (f, hint, session) = logged_in().await;
    let result = end(
        &f,
        &[
            ("id_token_hint", &hint),
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
        ],
        Some(&session),
    )
    .await;
    assert!(
        matches!(&result.outcome, EndSessionOutcome::Redirect(l) if l == POST_LOGOUT_URI),
        "{:?}",
        result.outcome
    );
    assert!(!session_exists(&f, &session).await);
}

/// `oidcc-rp-initiated-logout-bad-post-logout-redirect-uri`.
#[tokio::test]
async fn rp_initiated_logout_bad_post_logout_redirect_uri() {
    let (f, hint, session) = logged_in().await;
    for uri in [
        "https://evil.example/logged-out",
        "https://rp.example/logged-out/",
        // Registered for another client.
        "https://post.example/bye",
        // A redirect URI is not a post-logout redirect URI.
        REDIRECT_URI,
        "not a uri",
    ] {
        let result = end(
            &f,
            &[
                ("id_token_hint", &hint),
                ("post_logout_redirect_uri", uri),
                ("state", "s"),
            ],
            Some(&session),
        )
        .await;
        assert_refused(&f, &result, &session).await;
    }
}

/// `oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri`.
#[tokio::test]
async fn rp_initiated_logout_query_added_to_post_logout_redirect_uri() {
    let (f, hint, session) = logged_in().await;
    let uri = format!("{POST_LOGOUT_URI}?foo=bar");
    let result = end(
        &f,
        &[("id_token_hint", &hint), ("post_logout_redirect_uri", &uri)],
        Some(&session),
    )
    .await;
    assert_refused(&f, &result, &session).await;
}

/// `oidcc-rp-initiated-logout-modified-id-token-hint`: the hint altered to `alg: none`.
#[tokio::test]
async fn rp_initiated_logout_modified_id_token_hint() {
    let (f, hint, session) = logged_in().await;
    let mut parts = hint.split('.');
    let (_, payload) = (parts.next().unwrap(), parts.next().unwrap());
    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let modified = [
        format!("{none_header}.{payload}."),
        format!(
            "{none_header}.{payload}.{}",
            hint.rsplit('.').next().unwrap()
        ),
    ];
    // A changed payload under the original signature.
    let mut claims = claims_of(&hint);
    claims.insert("sub".into(), json!("someone-else"));
    let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    let (header, _) = hint.split_once('.').unwrap();
    let signature = hint.rsplit('.').next().unwrap();
    let tampered = format!("{header}.{forged_payload}.{signature}");
    for hint in modified.iter().chain([&tampered]) {
        let result = end(
            &f,
            &[
                ("id_token_hint", hint),
                ("post_logout_redirect_uri", POST_LOGOUT_URI),
            ],
            Some(&session),
        )
        .await;
        assert_refused(&f, &result, &session).await;
        // Without a redirect URI too: a bad hint is refused, not ignored.
        let result = end(&f, &[("id_token_hint", hint)], Some(&session)).await;
        assert_refused(&f, &result, &session).await;
    }
}

/// `oidcc-rp-initiated-logout-bad-id-token-hint`: the hint signed by another key.
#[tokio::test]
async fn rp_initiated_logout_bad_id_token_hint() {
    let (f, _, session) = logged_in().await;
    let foreign = KeyRing::ephemeral().unwrap();
    let content = IdTokenContent::new(
        ISSUER.parse().unwrap(),
        SUBJECT.parse::<Subject>().unwrap(),
        RP,
        f.now(),
    )
    .with_sid(SID);
    let hint = mint_id_token(
        &foreign,
        JwsAlgorithm::Es256,
        &content,
        f.now(),
        Duration::from_secs(300),
    )
    .unwrap();
    let result = end(
        &f,
        &[
            ("id_token_hint", &hint),
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
        ],
        Some(&session),
    )
    .await;
    assert_refused(&f, &result, &session).await;
}

/// `oidcc-rp-initiated-logout-no-id-token-hint`: a redirect URI without a hint is refused,
/// even with `client_id`.
#[tokio::test]
async fn rp_initiated_logout_no_id_token_hint() {
    let (f, _, session) = logged_in().await;
    for pairs in [
        vec![
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
            ("state", "s"),
        ],
        vec![
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
            ("client_id", RP),
        ],
    ] {
        let result = end(&f, &pairs, Some(&session)).await;
        assert_refused(&f, &result, &session).await;
    }
}

/// `oidcc-rp-initiated-logout-no-params`: logged out, a page is shown.
#[tokio::test]
async fn rp_initiated_logout_no_params() {
    let (f, _, session) = logged_in().await;
    let result = end(&f, &[], Some(&session)).await;
    assert!(matches!(result.outcome, EndSessionOutcome::LoggedOut));
    assert!(result.clear_session);
    assert!(!session_exists(&f, &session).await);
}

/// `oidcc-rp-initiated-logout-no-post-logout-redirect-uri`: a hint alone logs out.
#[tokio::test]
async fn rp_initiated_logout_no_post_logout_redirect_uri() {
    let (f, hint, session) = logged_in().await;
    let result = end(&f, &[("id_token_hint", &hint)], Some(&session)).await;
    assert!(matches!(result.outcome, EndSessionOutcome::LoggedOut));
    assert!(result.clear_session);
    assert!(!session_exists(&f, &session).await);
}

/// `oidcc-rp-initiated-logout-only-state`: logged out, a page is shown, no redirect.
#[tokio::test]
async fn rp_initiated_logout_only_state() {
    let (f, _, session) = logged_in().await;
    let result = end(&f, &[("state", "xyz")], Some(&session)).await;
    assert!(matches!(result.outcome, EndSessionOutcome::LoggedOut));
    assert!(!session_exists(&f, &session).await);
}

/// `oidcc-backchannel-rp-initiated-logout`: every client of the session with a back-channel
/// URI gets a logout token with `sid` and `sub`.
#[tokio::test]
async fn backchannel_rp_initiated_logout() {
    let f = Fixture::new();
    let hint = f.tokens().await.id_token.unwrap();
    let session = f.session_with(&[RP, RP_PUBLIC, RP_POST, RP]).await;
    let result = end(
        &f,
        &[
            ("id_token_hint", &hint),
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
            ("state", "s"),
        ],
        Some(&session),
    )
    .await;
    assert!(matches!(result.outcome, EndSessionOutcome::Redirect(_)));
    let targets: Vec<(&str, &str)> = result
        .backchannel
        .iter()
        .map(|b| (b.client_id.as_str(), b.uri.as_str()))
        .collect();
    assert_eq!(
        targets,
        [
            (RP, BACKCHANNEL_URI),
            (RP_POST, "https://post.example/backchannel")
        ]
    );
    for logout in &result.backchannel {
        let token = &logout.logout_token;
        let header = header_of(token);
        assert_eq!(header["typ"], "logout+jwt");
        assert_eq!(header["alg"], "ES256");
        let key = f
            .provider
            .jwks()
            .find(header["kid"].as_str().unwrap())
            .unwrap()
            .verifying_key(JwsAlgorithm::Es256)
            .unwrap();
        let (input, signature) = token.rsplit_once('.').unwrap();
        key.verify(
            input.as_bytes(),
            &URL_SAFE_NO_PAD.decode(signature).unwrap(),
        )
        .unwrap();
        let claims = claims_of(token);
        assert_eq!(claims["iss"], ISSUER);
        assert_eq!(claims["aud"], logout.client_id.as_str());
        assert_eq!(claims["sid"], SID);
        assert_eq!(claims["sub"], SUBJECT);
        assert_eq!(claims["iat"], START);
        assert!(claims["jti"].as_str().is_some_and(|j| !j.is_empty()));
        assert_eq!(claims["events"], json!({ BACKCHANNEL_LOGOUT_EVENT: {} }));
        assert!(!claims.contains_key("nonce"));
    }
    // The ID token of the session carried the same sid.
    assert_eq!(claims_of(&hint)["sid"], SID);
}

#[tokio::test]
async fn an_expired_hint_is_still_accepted() {
    let (f, hint, session) = logged_in().await;
    f.clock.advance(Duration::from_secs(3 * 3600));
    let result = end(
        &f,
        &[
            ("id_token_hint", &hint),
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
        ],
        Some(&session),
    )
    .await;
    assert!(matches!(result.outcome, EndSessionOutcome::Redirect(_)));
}

#[tokio::test]
async fn a_hint_signed_before_a_key_rotation_is_still_accepted() {
    let (f, hint, session) = logged_in().await;
    let previous = f.provider.jwks().keys().to_vec();
    let ring = KeyRing::new(vec![SigningKey::generate(JwsAlgorithm::Es256).unwrap()])
        .unwrap()
        .with_previous(previous)
        .unwrap();
    f.provider.replace_keys(ring);
    let result = end(
        &f,
        &[
            ("id_token_hint", &hint),
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
        ],
        Some(&session),
    )
    .await;
    assert!(
        matches!(result.outcome, EndSessionOutcome::Redirect(_)),
        "{:?}",
        result.outcome
    );
}

#[tokio::test]
async fn a_hint_from_another_issuer_or_for_an_unknown_client_is_refused() {
    let (f, _, session) = logged_in().await;
    let keys = f.provider.keys();
    let mint = |issuer: &str, audience: &str| {
        let content = IdTokenContent::new(
            issuer.parse().unwrap(),
            SUBJECT.parse::<Subject>().unwrap(),
            audience,
            f.now(),
        );
        mint_id_token(
            &keys,
            JwsAlgorithm::Es256,
            &content,
            f.now(),
            Duration::from_secs(300),
        )
        .unwrap()
    };
    for hint in [
        mint("https://other.example", RP),
        mint(ISSUER, "unknown-client"),
        "not.a.jwt".to_owned(),
        "garbage".to_owned(),
    ] {
        let result = end(&f, &[("id_token_hint", &hint)], Some(&session)).await;
        assert_refused(&f, &result, &session).await;
    }
    // Our own signature, issuer and client: accepted.
    let result = end(&f, &[("id_token_hint", &mint(ISSUER, RP))], Some(&session)).await;
    assert!(matches!(result.outcome, EndSessionOutcome::LoggedOut));
}

#[tokio::test]
async fn client_id_must_agree_with_the_hint() {
    let (f, hint, session) = logged_in().await;
    let result = end(
        &f,
        &[
            ("id_token_hint", &hint),
            ("client_id", RP_POST),
            ("post_logout_redirect_uri", "https://post.example/bye"),
        ],
        Some(&session),
    )
    .await;
    assert_refused(&f, &result, &session).await;
    let result = end(
        &f,
        &[
            ("id_token_hint", &hint),
            ("client_id", RP),
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
        ],
        Some(&session),
    )
    .await;
    assert!(matches!(result.outcome, EndSessionOutcome::Redirect(_)));
}

#[tokio::test]
async fn an_unknown_or_malformed_client_id_is_refused() {
    let (f, _, session) = logged_in().await;
    for client_id in ["nobody", "bad\u{7f}id"] {
        let result = end(&f, &[("client_id", client_id)], Some(&session)).await;
        assert_refused(&f, &result, &session).await;
    }
    let result = end(&f, &[("client_id", RP)], Some(&session)).await;
    assert!(matches!(result.outcome, EndSessionOutcome::LoggedOut));
}

#[tokio::test]
async fn repeated_parameters_are_refused() {
    let (f, hint, session) = logged_in().await;
    for pairs in [
        vec![("state", "a"), ("state", "b")],
        vec![
            ("id_token_hint", hint.as_str()),
            ("id_token_hint", hint.as_str()),
        ],
        vec![
            ("id_token_hint", hint.as_str()),
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
        ],
    ] {
        let result = end(&f, &pairs, Some(&session)).await;
        assert_refused(&f, &result, &session).await;
    }
}

#[tokio::test]
async fn without_a_session_cookie_nothing_is_cleared_or_notified() {
    let (f, hint, session) = logged_in().await;
    let result = end(
        &f,
        &[
            ("id_token_hint", &hint),
            ("post_logout_redirect_uri", POST_LOGOUT_URI),
        ],
        None,
    )
    .await;
    assert!(matches!(result.outcome, EndSessionOutcome::Redirect(_)));
    assert!(!result.clear_session);
    assert!(result.backchannel.is_empty());
    assert!(session_exists(&f, &session).await);
}

#[tokio::test]
async fn an_unknown_or_expired_session_clears_the_cookie_without_notifications() {
    let f = Fixture::new();
    let unknown = SessionId::generate(&f.rng).unwrap();
    let result = end(&f, &[], Some(&unknown)).await;
    assert!(matches!(result.outcome, EndSessionOutcome::LoggedOut));
    assert!(result.clear_session);
    assert!(result.backchannel.is_empty());

    let session = f.session_with(&[RP]).await;
    f.clock
        .advance(f.provider.config().session_ttl + Duration::from_secs(1));
    let result = end(&f, &[], Some(&session)).await;
    assert!(result.clear_session);
    assert!(result.backchannel.is_empty());
}

#[tokio::test]
async fn a_session_subject_that_is_not_a_subject_gets_a_sid_only_logout_token() {
    let f = Fixture::new();
    let session_id = SessionId::generate(&f.rng).unwrap();
    let mut session = crate::store::Session::new(
        SID.into(),
        "not a valid sub".into(),
        UnixTime::from_secs(START),
    );
    session.clients = vec![id(RP)];
    f.provider
        .stores()
        .sessions
        .put_session(&session_id, session, f.now(), Duration::from_secs(60))
        .await
        .unwrap();
    let result = end(&f, &[], Some(&session_id)).await;
    let claims = claims_of(&result.backchannel[0].logout_token);
    assert_eq!(claims["sid"], SID);
    assert!(!claims.contains_key("sub"));
}

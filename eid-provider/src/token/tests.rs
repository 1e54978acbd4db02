use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::assurance::LevelOfAssurance;
use eid_core::jose::JwsAlgorithm;
use eid_core::verify::IdTokenVerifier;
use serde_json::json;

use super::testing::*;
use crate::client::ClientCredentials;
use crate::oauth_error::OAuthErrorCode;
use crate::provider::{TokenResponse, UserInfoResponse};
use crate::secret::AccessToken;
use crate::store::AccessTokenStore as _;

fn code_of(result: Result<TokenResponse, crate::OAuthError>) -> OAuthErrorCode {
    result.unwrap_err().code()
}

/// Whether UserInfo still accepts `token`.
async fn access_token_works(f: &Fixture, token: &AccessToken) -> bool {
    f.provider.userinfo(token.expose_secret()).await.is_ok()
}

#[tokio::test]
async fn a_code_is_exchanged_for_an_id_token_an_access_token_and_a_refresh_token() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    let response = f.redeem(RP, &code).await.unwrap();

    assert_eq!(response.scope, "openid profile email");
    assert_eq!(response.expires_in, 600);
    assert!(response.refresh_token.is_some());
    let id_token = response.id_token.as_deref().unwrap();
    let verified = IdTokenVerifier::new(ISSUER, RP, &f.provider.jwks(), &[JwsAlgorithm::Es256])
        .unwrap()
        .expect_nonce(NONCE)
        .verify(id_token, f.now())
        .unwrap();
    assert_eq!(verified.subject(), SUBJECT);
    assert_eq!(verified.audiences(), [RP.to_owned()]);
    assert_eq!(verified.acr(), Some(LevelOfAssurance::Loa3));
    assert_eq!(verified.auth_time().unwrap().as_secs(), START - 20);
    assert_eq!(verified.issued_at(), f.now());
    assert_eq!(verified.expires_at().as_secs(), START + 300);
    let claims = verified.claims();
    assert_eq!(claims["sid"], SID);
    assert_eq!(claims["amr"], json!(["pwd"]));
    assert_eq!(claims["name"], "Tolvan Tolvansson");
    assert!(claims.get("email").is_none(), "email is a UserInfo claim");
    // at_hash: the left half of SHA-256 of the access token (ES256), base64url.
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        response.access_token.expose_secret().as_bytes(),
    );
    let half = URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16]);
    assert_eq!(claims["at_hash"], half);

    let body = response.to_json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["access_token"], response.access_token.expose_secret());
}

#[tokio::test]
async fn the_access_token_is_opaque_and_stored_with_the_userinfo_claims() {
    let f = Fixture::new();
    let response = f.tokens().await;
    assert_eq!(response.access_token.expose_secret().split('.').count(), 1);
    let stored = f
        .provider
        .stores()
        .access_tokens
        .access_token(&response.access_token.digest(), f.now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.client_id, id(RP));
    assert_eq!(stored.subject, SUBJECT);
    assert_eq!(stored.expires_at.as_secs(), START + 600);
    assert_eq!(stored.claims["email"], "tolvan@example.se");
    let Ok(UserInfoResponse::Json(claims)) = f
        .provider
        .userinfo(response.access_token.expose_secret())
        .await
    else {
        panic!("expected JSON UserInfo");
    };
    assert_eq!(claims["sub"], SUBJECT);
}

#[tokio::test]
async fn a_client_without_the_refresh_grant_gets_no_refresh_token() {
    let f = Fixture::new();
    let code = f.code_for(RP_POST, "https://post.example/cb").await;
    let response = f.redeem(RP_POST, &code).await.unwrap();
    assert!(response.refresh_token.is_none());
    assert!(response.id_token.is_some());
}

#[tokio::test]
async fn a_public_client_redeems_with_its_client_id_and_pkce() {
    let f = Fixture::new();
    let code = f.code_for(RP_PUBLIC, "http://127.0.0.1:8080/cb").await;
    let response = f.redeem(RP_PUBLIC, &code).await.unwrap();
    f.verify_id_token(RP_PUBLIC, response.id_token.as_deref().unwrap());
}

#[tokio::test]
async fn a_replayed_code_is_refused_and_revokes_what_it_issued() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    let first = f.redeem(RP, &code).await.unwrap();
    let refresh = first.refresh_token.clone().unwrap();
    assert!(access_token_works(&f, &first.access_token).await);

    let again = f.redeem(RP, &code).await.unwrap_err();
    assert_eq!(again.code(), OAuthErrorCode::InvalidGrant);
    assert!(again.description().contains("are revoked"));
    assert!(!access_token_works(&f, &first.access_token).await);
    let refreshed = f.refresh(RP, refresh.expose_secret(), &[]).await;
    assert_eq!(code_of(refreshed), OAuthErrorCode::InvalidGrant);
}

/// Conformance `oidcc-codereuse-30seconds`: the second use comes 30 s later.
#[tokio::test]
async fn a_code_replayed_30_seconds_later_revokes_the_first_access_token() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    let first = f.redeem(RP, &code).await.unwrap();
    f.clock.advance(Duration::from_secs(30));
    assert!(access_token_works(&f, &first.access_token).await);
    assert_eq!(
        code_of(f.redeem(RP, &code).await),
        OAuthErrorCode::InvalidGrant
    );
    assert!(!access_token_works(&f, &first.access_token).await);
}

#[tokio::test]
async fn replay_revocation_also_reaches_tokens_from_refreshes_of_the_grant() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    let first = f.redeem(RP, &code).await.unwrap();
    let second = f
        .refresh(RP, first.refresh_token.unwrap().expose_secret(), &[])
        .await
        .unwrap();
    f.redeem(RP, &code).await.unwrap_err();
    assert!(!access_token_works(&f, &second.access_token).await);
    let refreshed = f
        .refresh(RP, second.refresh_token.unwrap().expose_secret(), &[])
        .await;
    assert_eq!(code_of(refreshed), OAuthErrorCode::InvalidGrant);
}

#[tokio::test]
async fn a_wrong_code_verifier_is_refused_and_burns_the_code() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    let wrong = "w".repeat(43);
    let result = f
        .provider
        .token(
            &credentials(RP),
            &params(&[
                ("grant_type", "authorization_code"),
                ("code", code.code.expose_secret()),
                ("redirect_uri", REDIRECT_URI),
                ("code_verifier", &wrong),
            ]),
        )
        .await;
    let error = result.unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidGrant);
    assert!(error.description().contains("code_verifier"));
    assert_eq!(
        code_of(f.redeem(RP, &code).await),
        OAuthErrorCode::InvalidGrant
    );
}

#[tokio::test]
async fn a_missing_or_malformed_code_verifier_is_invalid_request_and_leaves_the_code() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    for verifier in [None, Some("short"), Some("x".repeat(129).leak() as &str)] {
        let mut pairs = vec![
            ("grant_type", "authorization_code"),
            ("code", code.code.expose_secret()),
            ("redirect_uri", REDIRECT_URI),
        ];
        if let Some(verifier) = verifier {
            pairs.push(("code_verifier", verifier));
        }
        let result = f.provider.token(&credentials(RP), &params(&pairs)).await;
        assert_eq!(code_of(result), OAuthErrorCode::InvalidRequest);
    }
    // The code was not consumed by the malformed requests.
    f.redeem(RP, &code).await.unwrap();
}

#[tokio::test]
async fn a_code_of_another_client_is_refused() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    let error = f.redeem(RP_PUBLIC, &code).await.unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidGrant);
    assert!(error.description().contains("another client"));
    // Taken: the rightful client cannot use a code that leaked either.
    assert_eq!(
        code_of(f.redeem(RP, &code).await),
        OAuthErrorCode::InvalidGrant
    );
}

#[tokio::test]
async fn the_redirect_uri_must_equal_exactly() {
    for other in [
        "https://rp.example/cb/",
        "https://rp.example/cb?x=1",
        "https://RP.example/cb",
        "https://rp.example/other",
    ] {
        let f = Fixture::new();
        let mut code = f.code_for(RP, REDIRECT_URI).await;
        code.redirect_uri = other.to_owned();
        let error = f.redeem(RP, &code).await.unwrap_err();
        assert_eq!(error.code(), OAuthErrorCode::InvalidGrant, "{other}");
        assert!(error.description().contains("redirect_uri"));
    }
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    f.clock.advance(Duration::from_secs(61));
    let error = f.redeem(RP, &code).await.unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidGrant);
    assert!(!error.description().contains("revoked"));
}

#[tokio::test]
async fn a_code_just_within_its_lifetime_is_accepted() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    f.clock.advance(Duration::from_secs(59));
    f.redeem(RP, &code).await.unwrap();
}

#[tokio::test]
async fn unknown_and_malformed_codes_are_invalid_grant() {
    let f = Fixture::new();
    let real = f.code_for(RP, REDIRECT_URI).await;
    for code in ["not-a-code-we-issued-0123456789", "has space", "å"] {
        let result = f
            .provider
            .token(
                &credentials(RP),
                &params(&[
                    ("grant_type", "authorization_code"),
                    ("code", code),
                    ("redirect_uri", REDIRECT_URI),
                    ("code_verifier", real.verifier.expose_secret()),
                ]),
            )
            .await;
        assert_eq!(code_of(result), OAuthErrorCode::InvalidGrant, "{code}");
    }
}

#[tokio::test]
async fn a_code_bound_to_a_dpop_key_is_refused() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    f.edit_grant(&code, |grant| {
        grant.dpop_jkt = Some("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I".into());
    })
    .await;
    assert_eq!(
        code_of(f.redeem(RP, &code).await),
        OAuthErrorCode::InvalidGrant
    );
}

#[tokio::test]
async fn grant_types_other_than_code_and_refresh_are_unsupported() {
    let f = Fixture::new();
    for grant_type in [
        "password",
        "client_credentials",
        "implicit",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "AUTHORIZATION_CODE",
    ] {
        let result = f
            .provider
            .token(&credentials(RP), &params(&[("grant_type", grant_type)]))
            .await;
        assert_eq!(
            code_of(result),
            OAuthErrorCode::UnsupportedGrantType,
            "{grant_type}"
        );
    }
}

#[tokio::test]
async fn missing_or_repeated_parameters_are_invalid_request_and_change_nothing() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    let secret = code.code.expose_secret();
    let verifier = code.verifier.expose_secret();
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("grant_type", "")],
        vec![
            ("grant_type", "authorization_code"),
            ("grant_type", "authorization_code"),
            ("code", secret),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", verifier),
        ],
        vec![
            ("grant_type", "authorization_code"),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", verifier),
        ],
        vec![
            ("grant_type", "authorization_code"),
            ("code", secret),
            ("code_verifier", verifier),
        ],
        vec![
            ("grant_type", "authorization_code"),
            ("code", secret),
            ("code", secret),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", verifier),
        ],
        vec![("grant_type", "refresh_token")],
        vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", "a"),
            ("refresh_token", "b"),
        ],
    ];
    for pairs in cases {
        let result = f.provider.token(&credentials(RP), &params(&pairs)).await;
        assert_eq!(code_of(result), OAuthErrorCode::InvalidRequest, "{pairs:?}");
    }
    f.redeem(RP, &code).await.unwrap();
}

#[tokio::test]
async fn a_client_that_fails_to_authenticate_is_invalid_client_and_keeps_the_code() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    let request = params(&[
        ("grant_type", "authorization_code"),
        ("code", code.code.expose_secret()),
        ("redirect_uri", REDIRECT_URI),
        ("code_verifier", code.verifier.expose_secret()),
    ]);
    let wrong_secret = ClientCredentials {
        authorization_header: Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{RP}:not-the-secret"))
        )),
        ..ClientCredentials::default()
    };
    let unknown = ClientCredentials {
        client_id: Some("nobody".into()),
        ..ClientCredentials::default()
    };
    // A confidential client may not pass itself off as public.
    let as_public = ClientCredentials {
        client_id: Some(RP.into()),
        ..ClientCredentials::default()
    };
    for credentials in [
        wrong_secret,
        unknown,
        as_public,
        ClientCredentials::default(),
    ] {
        let error = f.provider.token(&credentials, &request).await.unwrap_err();
        assert_eq!(error.code(), OAuthErrorCode::InvalidClient);
        assert!(!error.description().contains("not-the-secret"));
    }
    f.redeem(RP, &code).await.unwrap();
}

#[tokio::test]
async fn a_client_not_registered_for_refresh_is_unauthorized_client() {
    let f = Fixture::new();
    let result = f.refresh(RP_POST, "some-refresh-token", &[]).await;
    assert_eq!(code_of(result), OAuthErrorCode::UnauthorizedClient);
}

#[tokio::test]
async fn a_refresh_rotates_the_token_and_keeps_the_identity() {
    let f = Fixture::new();
    let first = f.tokens().await;
    let old = first.refresh_token.unwrap();
    f.clock.advance(Duration::from_secs(120));
    let second = f.refresh(RP, old.expose_secret(), &[]).await.unwrap();
    let new = second.refresh_token.clone().unwrap();
    assert!(!new.ct_eq(&old));
    assert!(!second.access_token.ct_eq(&first.access_token));
    assert_eq!(second.scope, "openid profile email");

    let verified = f.verify_id_token(RP, second.id_token.as_deref().unwrap());
    assert_eq!(verified.subject(), SUBJECT);
    assert_eq!(verified.auth_time().unwrap().as_secs(), START - 20);
    assert_eq!(verified.acr(), Some(LevelOfAssurance::Loa3));
    assert_eq!(verified.issued_at().as_secs(), START + 120);
    assert_eq!(verified.nonce(), None);
    assert_eq!(verified.claims()["sid"], SID);
    assert_eq!(verified.claims()["name"], "Tolvan Tolvansson");
    assert!(verified.claims().contains_key("at_hash"));
    assert!(access_token_works(&f, &second.access_token).await);

    // The old refresh token is gone; the new one works once.
    assert_eq!(
        code_of(f.refresh(RP, old.expose_secret(), &[]).await),
        OAuthErrorCode::InvalidGrant
    );
    f.refresh(RP, new.expose_secret(), &[]).await.unwrap();
    assert_eq!(
        code_of(f.refresh(RP, new.expose_secret(), &[]).await),
        OAuthErrorCode::InvalidGrant
    );
}

#[tokio::test]
async fn a_refresh_token_is_bound_to_its_client() {
    let f = Fixture::new();
    let refresh = f.tokens().await.refresh_token.unwrap();
    let error = f
        .refresh(RP_PUBLIC, refresh.expose_secret(), &[])
        .await
        .unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidGrant);
    assert!(error.description().contains("another client"));
    // Nothing changed: the rightful client still refreshes.
    f.refresh(RP, refresh.expose_secret(), &[]).await.unwrap();
}

#[tokio::test]
async fn a_refresh_may_narrow_the_scope_but_not_widen_it() {
    let f = Fixture::new();
    let refresh = f.tokens().await.refresh_token.unwrap();
    for wider in [
        "openid profile email phone",
        "openid address",
        "openid  profile",
    ] {
        let result = f
            .refresh(RP, refresh.expose_secret(), &[("scope", wider)])
            .await;
        assert_eq!(code_of(result), OAuthErrorCode::InvalidScope, "{wider}");
    }
    let narrowed = f
        .refresh(RP, refresh.expose_secret(), &[("scope", "openid profile")])
        .await
        .unwrap();
    assert_eq!(narrowed.scope, "openid profile");
    let Ok(UserInfoResponse::Json(claims)) = f
        .provider
        .userinfo(narrowed.access_token.expose_secret())
        .await
    else {
        panic!("expected JSON UserInfo");
    };
    assert_eq!(claims["name"], "Tolvan Tolvansson");
    assert!(claims.get("email").is_none(), "the email scope was dropped");

    // The rotated refresh token keeps the original scope.
    let again = f
        .refresh(
            RP,
            narrowed.refresh_token.unwrap().expose_secret(),
            &[("scope", "email openid")],
        )
        .await
        .unwrap();
    assert_eq!(again.scope, "email openid");
}

#[tokio::test]
async fn narrowing_drops_the_id_token_claims_of_the_dropped_scopes() {
    const NUMBER_SCOPE: &str = "https://id.oidc.se/scope/naturalPersonNumber";
    const NUMBER_CLAIM: &str = "https://id.oidc.se/claim/personalIdentityNumber";
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    f.edit_grant(&code, |grant| {
        grant.scope.push(NUMBER_SCOPE.into());
        grant
            .claims
            .insert(NUMBER_CLAIM.into(), json!("195001182046"));
    })
    .await;
    let first = f.redeem(RP, &code).await.unwrap();
    let claims = claims_of(first.id_token.as_deref().unwrap());
    assert_eq!(claims[NUMBER_CLAIM], "195001182046");

    let refresh = first.refresh_token.unwrap();
    let narrowed = f
        .refresh(RP, refresh.expose_secret(), &[("scope", "openid profile")])
        .await
        .unwrap();
    let claims = claims_of(narrowed.id_token.as_deref().unwrap());
    assert!(!claims.contains_key(NUMBER_CLAIM));
    // Asked for by the `claims` parameter, not by a scope: kept.
    assert_eq!(claims["name"], "Tolvan Tolvansson");

    let full = f
        .refresh(RP, narrowed.refresh_token.unwrap().expose_secret(), &[])
        .await
        .unwrap();
    let claims = claims_of(full.id_token.as_deref().unwrap());
    assert_eq!(claims[NUMBER_CLAIM], "195001182046");
}

#[tokio::test]
async fn a_refresh_without_openid_gives_no_id_token() {
    let f = Fixture::new();
    let refresh = f.tokens().await.refresh_token.unwrap();
    let response = f
        .refresh(RP, refresh.expose_secret(), &[("scope", "profile")])
        .await
        .unwrap();
    assert!(response.id_token.is_none());
    let error = f
        .provider
        .userinfo(response.access_token.expose_secret())
        .await
        .unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InsufficientScope);
}

#[tokio::test]
async fn an_expired_or_unknown_refresh_token_is_invalid_grant() {
    let f = Fixture::new();
    let refresh = f.tokens().await.refresh_token.unwrap();
    assert_eq!(
        code_of(f.refresh(RP, "unknown-refresh-token", &[]).await),
        OAuthErrorCode::InvalidGrant
    );
    assert_eq!(
        code_of(f.refresh(RP, "bad token", &[]).await),
        OAuthErrorCode::InvalidGrant
    );
    f.clock
        .advance(f.provider.config().refresh_token_ttl + Duration::from_secs(1));
    assert_eq!(
        code_of(f.refresh(RP, refresh.expose_secret(), &[]).await),
        OAuthErrorCode::InvalidGrant
    );
}

#[tokio::test]
async fn a_rotated_refresh_token_keeps_the_grants_absolute_expiry() {
    let f = Fixture::new();
    let refresh = f.tokens().await.refresh_token.unwrap();
    let ttl = f.provider.config().refresh_token_ttl;
    f.clock.advance(ttl - Duration::from_secs(10));
    let rotated = f
        .refresh(RP, refresh.expose_secret(), &[])
        .await
        .unwrap()
        .refresh_token
        .unwrap();
    f.clock.advance(Duration::from_secs(11));
    assert_eq!(
        code_of(f.refresh(RP, rotated.expose_secret(), &[]).await),
        OAuthErrorCode::InvalidGrant
    );
}

#[tokio::test]
async fn token_response_debug_redacts_the_tokens() {
    let f = Fixture::new();
    let response = f.tokens().await;
    let debug = format!("{response:?}");
    assert!(!debug.contains(response.access_token.expose_secret()));
    assert!(!debug.contains(response.id_token.as_deref().unwrap()));
}

/// An access token store that remembers which tokens were put into it.
#[derive(Debug)]
struct Recording {
    inner: crate::store::MemoryStore,
    puts: std::sync::Mutex<Vec<crate::secret::SecretDigest>>,
}

#[async_trait::async_trait]
impl crate::store::AccessTokenStore for Recording {
    async fn put_access_token(
        &self,
        digest: &crate::secret::SecretDigest,
        token: crate::store::StoredAccessToken,
        now: eid_core::clock::UnixTime,
        ttl: Duration,
    ) -> Result<(), crate::store::StoreError> {
        self.puts.lock().unwrap().push(*digest);
        self.inner.put_access_token(digest, token, now, ttl).await
    }

    async fn access_token(
        &self,
        digest: &crate::secret::SecretDigest,
        now: eid_core::clock::UnixTime,
    ) -> Result<Option<crate::store::StoredAccessToken>, crate::store::StoreError> {
        self.inner.access_token(digest, now).await
    }

    async fn revoke_access_token(
        &self,
        digest: &crate::secret::SecretDigest,
        now: eid_core::clock::UnixTime,
    ) -> Result<bool, crate::store::StoreError> {
        self.inner.revoke_access_token(digest, now).await
    }

    async fn revoke_access_tokens_of(
        &self,
        grant: &crate::store::GrantId,
        now: eid_core::clock::UnixTime,
    ) -> Result<usize, crate::store::StoreError> {
        self.inner.revoke_access_tokens_of(grant, now).await
    }
}

/// A replay that arrives while the first redemption is still issuing: the replay has recorded
/// the code as presented before the first redemption gets to, so the first redemption revokes
/// the tokens it has just stored and fails.
#[tokio::test]
async fn a_replay_racing_the_first_redemption_still_revokes_its_tokens() {
    let recording = std::sync::Arc::new(Recording {
        inner: crate::store::MemoryStore::new(),
        puts: std::sync::Mutex::new(Vec::new()),
    });
    let mut stores = crate::provider::Stores::memory();
    stores.access_tokens = recording.clone();
    let f = Fixture::with_stores(stores);
    let code = f.code_for(RP, REDIRECT_URI).await;
    let mut grant_id = None;
    f.edit_grant(&code, |grant| grant_id = Some(grant.grant_id().clone()))
        .await;
    // What the replay's request did first: record the code as presented.
    let key = format!("code_redeemed\u{0}{}", grant_id.unwrap().as_str());
    assert!(
        f.provider
            .stores()
            .replay
            .insert_if_absent(&key, f.now(), Duration::from_secs(120))
            .await
            .unwrap()
    );

    let error = f.redeem(RP, &code).await.unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidGrant);
    let puts = recording.puts.lock().unwrap().clone();
    assert_eq!(puts.len(), 1, "the access token was stored");
    for digest in puts {
        let found = recording.access_token(&digest, f.now()).await.unwrap();
        assert!(found.is_none(), "and then revoked");
    }
}

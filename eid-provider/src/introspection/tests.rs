use std::time::Duration;

use serde_json::json;

use crate::oauth_error::OAuthErrorCode;
use crate::token::testing::*;

async fn introspect(f: &Fixture, client: &str, pairs: &[(&str, &str)]) -> serde_json::Value {
    f.provider
        .introspect(&credentials(client), &params(pairs))
        .await
        .unwrap()
}

#[tokio::test]
async fn an_active_access_token_is_described() {
    let f = Fixture::new();
    let tokens = f.tokens().await;
    let body = introspect(&f, RP, &[("token", tokens.access_token.expose_secret())]).await;
    assert_eq!(
        body,
        json!({
            "active": true,
            "scope": "openid profile email",
            "client_id": RP,
            "sub": SUBJECT,
            "exp": START + 600,
            "iat": START,
            "iss": ISSUER,
            "aud": RP,
            "token_type": "Bearer",
        })
    );
}

#[tokio::test]
async fn an_active_refresh_token_is_described() {
    let f = Fixture::new();
    let refresh = f.tokens().await.refresh_token.unwrap();
    for hint in [None, Some("refresh_token"), Some("access_token")] {
        let mut pairs = vec![("token", refresh.expose_secret())];
        if let Some(hint) = hint {
            pairs.push(("token_type_hint", hint));
        }
        let body = introspect(&f, RP, &pairs).await;
        assert_eq!(body["active"], true);
        assert_eq!(body["token_type"], "refresh_token");
        assert_eq!(body["client_id"], RP);
        assert_eq!(body["sub"], SUBJECT);
        assert_eq!(body["exp"], START + 8 * 3600);
    }
}

#[tokio::test]
async fn revoked_expired_unknown_and_malformed_tokens_are_inactive() {
    let f = Fixture::new();
    let inactive = json!({ "active": false });

    let revoked = f.tokens().await.access_token;
    f.provider
        .revoke(
            &credentials(RP),
            &params(&[("token", revoked.expose_secret())]),
        )
        .await
        .unwrap();
    assert_eq!(
        introspect(&f, RP, &[("token", revoked.expose_secret())]).await,
        inactive
    );

    let rotated = f.tokens().await.refresh_token.unwrap();
    f.refresh(RP, rotated.expose_secret(), &[]).await.unwrap();
    assert_eq!(
        introspect(&f, RP, &[("token", rotated.expose_secret())]).await,
        inactive
    );

    let expiring = f.tokens().await.access_token;
    f.clock.advance(Duration::from_secs(600));
    assert_eq!(
        introspect(&f, RP, &[("token", expiring.expose_secret())]).await,
        inactive
    );

    for token in ["never-issued", "with space"] {
        assert_eq!(introspect(&f, RP, &[("token", token)]).await, inactive);
    }
}

#[tokio::test]
async fn a_replayed_codes_tokens_are_inactive() {
    let f = Fixture::new();
    let code = f.code_for(RP, REDIRECT_URI).await;
    let tokens = f.redeem(RP, &code).await.unwrap();
    f.redeem(RP, &code).await.unwrap_err();
    let inactive = json!({ "active": false });
    assert_eq!(
        introspect(&f, RP, &[("token", tokens.access_token.expose_secret())]).await,
        inactive
    );
    assert_eq!(
        introspect(
            &f,
            RP,
            &[("token", tokens.refresh_token.unwrap().expose_secret())]
        )
        .await,
        inactive
    );
}

#[tokio::test]
async fn another_clients_tokens_are_inactive_to_the_caller() {
    let f = Fixture::new();
    let tokens = f.tokens().await;
    let body = introspect(
        &f,
        RP_POST,
        &[("token", tokens.access_token.expose_secret())],
    )
    .await;
    assert_eq!(body, json!({ "active": false }));
    let refresh = tokens.refresh_token.unwrap();
    let body = introspect(&f, RP_POST, &[("token", refresh.expose_secret())]).await;
    assert_eq!(body, json!({ "active": false }));
}

#[tokio::test]
async fn public_and_unauthenticated_callers_are_refused() {
    let f = Fixture::new();
    let token = f.tokens().await.access_token;
    let request = params(&[("token", token.expose_secret())]);
    let error = f
        .provider
        .introspect(&credentials(RP_PUBLIC), &request)
        .await
        .unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::UnauthorizedClient);
    let error = f
        .provider
        .introspect(&crate::client::ClientCredentials::default(), &request)
        .await
        .unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidClient);
}

#[tokio::test]
async fn a_missing_or_repeated_token_is_invalid_request() {
    let f = Fixture::new();
    for pairs in [vec![], vec![("token", "a"), ("token", "b")]] {
        let error = f
            .provider
            .introspect(&credentials(RP), &params(&pairs))
            .await
            .unwrap_err();
        assert_eq!(error.code(), OAuthErrorCode::InvalidRequest);
    }
}

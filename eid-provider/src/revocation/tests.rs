use crate::oauth_error::OAuthErrorCode;
use crate::token::testing::*;

async fn revoke(
    f: &Fixture,
    client: &str,
    pairs: &[(&str, &str)],
) -> Result<(), crate::OAuthError> {
    f.provider
        .revoke(&credentials(client), &params(pairs))
        .await
}

async fn works(f: &Fixture, access_token: &str) -> bool {
    f.provider.userinfo(access_token).await.is_ok()
}

#[tokio::test]
async fn an_access_token_is_revoked_with_or_without_a_hint() {
    let f = Fixture::new();
    for hint in [
        None,
        Some("access_token"),
        Some("refresh_token"),
        Some("something_else"),
    ] {
        let token = f.tokens().await.access_token;
        let mut pairs = vec![("token", token.expose_secret())];
        if let Some(hint) = hint {
            pairs.push(("token_type_hint", hint));
        }
        revoke(&f, RP, &pairs).await.unwrap();
        assert!(!works(&f, token.expose_secret()).await, "{hint:?}");
    }
}

#[tokio::test]
async fn revoking_an_access_token_leaves_the_refresh_token() {
    let f = Fixture::new();
    let tokens = f.tokens().await;
    revoke(&f, RP, &[("token", tokens.access_token.expose_secret())])
        .await
        .unwrap();
    f.refresh(RP, tokens.refresh_token.unwrap().expose_secret(), &[])
        .await
        .unwrap();
}

#[tokio::test]
async fn revoking_a_refresh_token_revokes_the_grants_access_tokens() {
    let f = Fixture::new();
    for hint in [None, Some("refresh_token"), Some("access_token")] {
        let tokens = f.tokens().await;
        let refresh = tokens.refresh_token.unwrap();
        let mut pairs = vec![("token", refresh.expose_secret())];
        if let Some(hint) = hint {
            pairs.push(("token_type_hint", hint));
        }
        revoke(&f, RP, &pairs).await.unwrap();
        let refreshed = f.refresh(RP, refresh.expose_secret(), &[]).await;
        assert_eq!(refreshed.unwrap_err().code(), OAuthErrorCode::InvalidGrant);
        assert!(
            !works(&f, tokens.access_token.expose_secret()).await,
            "{hint:?}"
        );
    }
}

#[tokio::test]
async fn tokens_of_another_client_are_not_revoked_but_the_answer_is_ok() {
    let f = Fixture::new();
    let tokens = f.tokens().await;
    let refresh = tokens.refresh_token.unwrap();
    revoke(
        &f,
        RP_POST,
        &[("token", tokens.access_token.expose_secret())],
    )
    .await
    .unwrap();
    revoke(&f, RP_PUBLIC, &[("token", refresh.expose_secret())])
        .await
        .unwrap();
    assert!(works(&f, tokens.access_token.expose_secret()).await);
    f.refresh(RP, refresh.expose_secret(), &[]).await.unwrap();
}

#[tokio::test]
async fn unknown_and_malformed_tokens_are_ok() {
    let f = Fixture::new();
    for token in ["never-issued", "with space", "ä"] {
        revoke(&f, RP, &[("token", token)]).await.unwrap();
    }
}

#[tokio::test]
async fn the_client_must_authenticate_and_send_one_token() {
    let f = Fixture::new();
    let token = f.tokens().await.access_token;
    let error = f
        .provider
        .revoke(
            &crate::client::ClientCredentials::default(),
            &params(&[("token", token.expose_secret())]),
        )
        .await
        .unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidClient);
    for pairs in [
        vec![],
        vec![("token", "")],
        vec![("token", token.expose_secret()), ("token", "other")],
        vec![
            ("token", token.expose_secret()),
            ("token_type_hint", "access_token"),
            ("token_type_hint", "refresh_token"),
        ],
    ] {
        let error = revoke(&f, RP, &pairs).await.unwrap_err();
        assert_eq!(error.code(), OAuthErrorCode::InvalidRequest, "{pairs:?}");
    }
    assert!(works(&f, token.expose_secret()).await);
}

#[tokio::test]
async fn a_public_client_revokes_its_own_tokens() {
    let f = Fixture::new();
    let code = f.code_for(RP_PUBLIC, "http://127.0.0.1:8080/cb").await;
    let tokens = f.redeem(RP_PUBLIC, &code).await.unwrap();
    let refresh = tokens.refresh_token.unwrap();
    revoke(&f, RP_PUBLIC, &[("token", refresh.expose_secret())])
        .await
        .unwrap();
    assert!(!works(&f, tokens.access_token.expose_secret()).await);
}

use eid_core::jose::JwsAlgorithm;

use crate::oauth_error::OAuthErrorCode;
use crate::provider::UserInfoResponse;
use crate::token::testing::*;

#[tokio::test]
async fn userinfo_answers_sub_and_the_userinfo_claims() {
    let f = Fixture::new();
    let tokens = f.tokens().await;
    let Ok(UserInfoResponse::Json(claims)) = f
        .provider
        .userinfo(tokens.access_token.expose_secret())
        .await
    else {
        panic!("expected JSON");
    };
    assert_eq!(claims["sub"], SUBJECT);
    assert_eq!(claims["name"], "Tolvan Tolvansson");
    assert_eq!(claims["email"], "tolvan@example.se");
    assert_eq!(claims.len(), 3);
}

#[tokio::test]
async fn userinfo_always_has_sub_even_without_identity_claims() {
    let f = Fixture::new();
    let code = f.code_for(RP_PUBLIC, "http://127.0.0.1:8080/cb").await;
    f.edit_grant(&code, |grant| {
        grant.userinfo_claims.clear();
        grant.claims.clear();
    })
    .await;
    let tokens = f.redeem(RP_PUBLIC, &code).await.unwrap();
    let Ok(UserInfoResponse::Json(claims)) = f
        .provider
        .userinfo(tokens.access_token.expose_secret())
        .await
    else {
        panic!("expected JSON");
    };
    assert_eq!(claims.len(), 1);
    assert_eq!(claims["sub"], SUBJECT);
}

#[tokio::test]
async fn a_client_registered_for_it_gets_a_signed_userinfo_jwt() {
    let f = Fixture::new();
    let code = f.code_for(RP_POST, "https://post.example/cb").await;
    let tokens = f.redeem(RP_POST, &code).await.unwrap();
    let Ok(UserInfoResponse::Jwt(jwt)) = f
        .provider
        .userinfo(tokens.access_token.expose_secret())
        .await
    else {
        panic!("expected a signed JWT");
    };
    let header = header_of(&jwt);
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["alg"], "ES256");
    // It verifies with our published keys, for the client, from our issuer.
    let key = f
        .provider
        .jwks()
        .find(header["kid"].as_str().unwrap())
        .unwrap()
        .verifying_key(JwsAlgorithm::Es256)
        .unwrap();
    let (input, signature) = jwt.rsplit_once('.').unwrap();
    use base64::Engine as _;
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature)
        .unwrap();
    key.verify(input.as_bytes(), &signature).unwrap();
    let claims = claims_of(&jwt);
    assert_eq!(claims["iss"], ISSUER);
    assert_eq!(claims["aud"], RP_POST);
    assert_eq!(claims["sub"], SUBJECT);
    assert_eq!(claims["email"], "tolvan@example.se");
    assert_eq!(claims["iat"], START);
}

#[tokio::test]
async fn unknown_malformed_expired_and_revoked_tokens_are_invalid_token() {
    let f = Fixture::new();
    for token in ["", "unknown-token", "two words", "ö"] {
        let error = f.provider.userinfo(token).await.unwrap_err();
        assert_eq!(error.code(), OAuthErrorCode::InvalidToken, "{token:?}");
    }

    let expiring = f.tokens().await.access_token;
    f.provider.userinfo(expiring.expose_secret()).await.unwrap();
    f.clock.advance(f.provider.config().access_token_ttl);
    let error = f
        .provider
        .userinfo(expiring.expose_secret())
        .await
        .unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidToken);

    let revoked = f.tokens().await.access_token;
    f.provider
        .revoke(
            &credentials(RP),
            &params(&[("token", revoked.expose_secret())]),
        )
        .await
        .unwrap();
    let error = f
        .provider
        .userinfo(revoked.expose_secret())
        .await
        .unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidToken);
}

#[tokio::test]
async fn a_refresh_token_is_not_an_access_token() {
    let f = Fixture::new();
    let refresh = f.tokens().await.refresh_token.unwrap();
    let error = f
        .provider
        .userinfo(refresh.expose_secret())
        .await
        .unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidToken);
}

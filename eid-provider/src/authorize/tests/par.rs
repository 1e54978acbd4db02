//! Pushed authorization requests (RFC 9126) and `request_uri`.

use super::*;
use crate::client::JWT_BEARER_ASSERTION_TYPE;
use crate::provider::PushedAuthorization;

const PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

async fn push(
    f: &Fixture,
    credentials: &ClientCredentials,
    pairs: Vec<(String, String)>,
) -> Result<PushedAuthorization, OAuthError> {
    f.provider
        .push_authorization_request(credentials, &params(pairs))
        .await
}

fn by_reference(client: &str, request_uri: &str) -> Vec<(String, String)> {
    vec![
        ("client_id".to_owned(), client.to_owned()),
        ("request_uri".to_owned(), request_uri.to_owned()),
    ]
}

#[tokio::test]
async fn a_pushed_request_is_used_by_reference_until_its_authorization_completes() {
    let f = fixture();
    let pushed = push(&f, &f.basic(RP), with(base(), "client_id", None))
        .await
        .unwrap();
    assert!(pushed.request_uri.starts_with(PREFIX));
    assert_eq!(pushed.expires_in, 60);

    // A reload before the login completes works (FAPI 2.0: one-time use at authorization).
    let login = expect_login(
        f.authorize(by_reference(RP, &pushed.request_uri), None)
            .await,
    );
    expect_login(
        f.authorize(by_reference(RP, &pushed.request_uri), None)
            .await,
    );
    assert_eq!(login.scope, ["openid", "profile"]);
    let completion = f
        .provider
        .complete_login(
            &login.transaction,
            authentication("subject-1", LevelOfAssurance::Loa3),
            None,
        )
        .await
        .unwrap();
    assert_eq!(completion.response.parameter("state"), Some("state-1"));
    assert_eq!(completion.response.redirect_uri.as_str(), RP_CB);
    let grant = f.grant(&completion.response).await;
    assert_eq!(grant.nonce.as_deref(), Some("nonce-1"));

    // Used: a replay is refused, and so is the other transaction made from it.
    let error = expect_page(
        f.authorize(by_reference(RP, &pushed.request_uri), None)
            .await,
    );
    assert_eq!(error.code(), OAuthErrorCode::InvalidRequestUri);
}

#[tokio::test]
async fn a_second_transaction_from_one_pushed_request_cannot_complete() {
    let f = fixture();
    let pushed = push(&f, &f.basic(RP), base()).await.unwrap();
    let first = expect_login(
        f.authorize(by_reference(RP, &pushed.request_uri), None)
            .await,
    );
    let second = expect_login(
        f.authorize(by_reference(RP, &pushed.request_uri), None)
            .await,
    );
    let done = f
        .provider
        .complete_login(
            &first.transaction,
            authentication("s", LevelOfAssurance::Loa3),
            None,
        )
        .await
        .unwrap();
    assert!(done.response.parameter("code").is_some());
    let late = f
        .provider
        .complete_login(
            &second.transaction,
            authentication("s", LevelOfAssurance::Loa3),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        error_code(&late.response),
        OAuthErrorCode::InvalidRequestUri
    );
    assert!(late.session.is_none());
}

#[tokio::test]
async fn a_pushed_request_answered_from_the_session_is_used_up() {
    let f = fixture();
    let (_, cookie) = f
        .login(base(), None, "subject-1", LevelOfAssurance::Loa3)
        .await;
    let pushed = push(&f, &f.basic(RP), with(base(), "prompt", Some("none")))
        .await
        .unwrap();
    let response = expect_respond(
        f.authorize(by_reference(RP, &pushed.request_uri), cookie.as_ref())
            .await,
    );
    assert!(response.parameter("code").is_some());
    let error = expect_page(
        f.authorize(by_reference(RP, &pushed.request_uri), cookie.as_ref())
            .await,
    );
    assert_eq!(error.code(), OAuthErrorCode::InvalidRequestUri);
}

#[tokio::test]
async fn a_request_uri_is_bound_to_its_client_and_expires() {
    let f = fixture();
    let pushed = push(&f, &f.basic(RP), base()).await.unwrap();
    let error = expect_page(
        f.authorize(by_reference(JAR, &pushed.request_uri), None)
            .await,
    );
    assert_eq!(error.code(), OAuthErrorCode::InvalidRequestUri);
    f.advance(60);
    let error = expect_page(
        f.authorize(by_reference(RP, &pushed.request_uri), None)
            .await,
    );
    assert_eq!(error.code(), OAuthErrorCode::InvalidRequestUri);
    for unknown in [format!("{PREFIX}unknown"), format!("{PREFIX} bad")] {
        let error = expect_page(f.authorize(by_reference(RP, &unknown), None).await);
        assert_eq!(error.code(), OAuthErrorCode::InvalidRequestUri);
    }
}

#[tokio::test]
async fn only_our_request_uris_are_supported() {
    let f = fixture();
    let error = expect_page(
        f.authorize(by_reference(RP, "https://rp.example/request.jwt"), None)
            .await,
    );
    assert_eq!(error.code(), OAuthErrorCode::RequestUriNotSupported);
    // With a registered redirect URI outside, the error is redirected.
    let pairs = with(
        base(),
        "request_uri",
        Some("https://rp.example/request.jwt"),
    );
    let (code, response) = redirected_error(f.authorize(pairs, None).await);
    assert_eq!(code, OAuthErrorCode::RequestUriNotSupported);
    assert_eq!(response.parameter("state"), Some("state-1"));
}

#[tokio::test]
async fn the_par_endpoint_refuses_what_the_authorization_endpoint_would_and_stores_nothing() {
    let f = fixture();
    let mut wrong_secret = f.basic(RP);
    wrong_secret.authorization_header = Some(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("rp:wrong")
    ));
    let error = push(&f, &wrong_secret, base()).await.unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidClient);

    let cases: Vec<(Vec<(String, String)>, OAuthErrorCode)> = vec![
        (
            with(base(), "request_uri", Some(&format!("{PREFIX}x"))),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "code_challenge", None),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "redirect_uri", None),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "redirect_uri", Some("https://evil.example/cb")),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "client_id", Some(JAR)),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "response_type", Some("token")),
            OAuthErrorCode::UnsupportedResponseType,
        ),
        (
            with(base(), "scope", Some("profile")),
            OAuthErrorCode::InvalidScope,
        ),
        (
            {
                let mut pairs = base();
                pairs.push(("nonce".into(), "again".into()));
                pairs
            },
            OAuthErrorCode::InvalidRequest,
        ),
    ];
    for (pairs, expected) in cases {
        let error = push(&f, &f.basic(RP), pairs).await.unwrap_err();
        assert_eq!(error.code(), expected, "{}", error.description());
    }
    assert!(f.store.is_empty(), "refused pushes store nothing");
}

#[tokio::test]
async fn a_client_that_must_use_par_can_through_par() {
    let f = fixture();
    let pairs = with(base(), "client_id", Some(PAR_ONLY));
    let pairs = with(pairs, "redirect_uri", Some(PAR_ONLY_CB));
    let pairs = with(pairs, "scope", Some("openid"));
    let pushed = push(&f, &f.basic(PAR_ONLY), pairs).await.unwrap();
    let login = expect_login(
        f.authorize(by_reference(PAR_ONLY, &pushed.request_uri), None)
            .await,
    );
    assert_eq!(login.client_id.as_str(), PAR_ONLY);
}

#[tokio::test]
async fn a_signed_request_object_can_be_pushed_by_a_private_key_jwt_client() {
    let f = fixture();
    let now = f.now().as_secs();
    let assertion = f
        .jar_key
        .sign_jwt(&json!({
            "iss": JAR, "sub": JAR, "aud": ISSUER,
            "exp": now + 60, "iat": now, "jti": "assertion-1",
        }))
        .unwrap();
    let credentials = ClientCredentials {
        client_assertion_type: Some(JWT_BEARER_ASSERTION_TYPE.to_owned()),
        client_assertion: Some(assertion),
        ..ClientCredentials::default()
    };
    let jwt = f.request_object(&request_object_claims(f.now()));
    let pairs = vec![
        ("client_id".to_owned(), JAR.to_owned()),
        ("request".to_owned(), jwt),
    ];
    let pushed = push(&f, &credentials, pairs).await.unwrap();
    let login = expect_login(
        f.authorize(by_reference(JAR, &pushed.request_uri), None)
            .await,
    );
    let completion = f
        .provider
        .complete_login(
            &login.transaction,
            authentication("s", LevelOfAssurance::Loa3),
            None,
        )
        .await
        .unwrap();
    assert_eq!(completion.response.redirect_uri.as_str(), JAR_OTHER_CB);
    assert_eq!(completion.response.parameter("state"), Some("inner-state"));

    // An unsigned request object is refused at PAR.
    let jwt = unsigned(&request_object_claims(f.now()));
    let mut credentials = credentials.clone();
    credentials.client_assertion = Some(
        f.jar_key
            .sign_jwt(&json!({
                "iss": JAR, "sub": JAR, "aud": ISSUER,
                "exp": now + 60, "iat": now, "jti": "assertion-2",
            }))
            .unwrap(),
    );
    let pairs = vec![("request".to_owned(), jwt)];
    let error = push(&f, &credentials, pairs).await.unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::RequestNotSupported);
}

#[tokio::test]
async fn an_aborted_login_uses_up_its_pushed_request() {
    let f = fixture();
    let pushed = push(&f, &f.basic(RP), base()).await.unwrap();
    let login = expect_login(
        f.authorize(by_reference(RP, &pushed.request_uri), None)
            .await,
    );
    let response = f
        .provider
        .abort_login(
            &login.transaction,
            OAuthError::new(OAuthErrorCode::AccessDenied, "cancelled"),
        )
        .await
        .unwrap();
    assert_eq!(error_code(&response), OAuthErrorCode::AccessDenied);
    let error = expect_page(
        f.authorize(by_reference(RP, &pushed.request_uri), None)
            .await,
    );
    assert_eq!(error.code(), OAuthErrorCode::InvalidRequestUri);
}

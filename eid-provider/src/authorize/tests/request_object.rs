//! Signed request objects by value.

use super::*;

/// The outer parameters of a request object request of `jar`.
fn outer(jwt: &str) -> Vec<(String, String)> {
    [
        ("client_id", JAR),
        ("response_type", "code"),
        ("scope", "openid"),
        ("redirect_uri", JAR_CB),
        ("state", "outer-state"),
        ("request", jwt),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v.to_owned()))
    .collect()
}

fn claims_with(f: &Fixture, name: &str, value: serde_json::Value) -> serde_json::Value {
    let mut claims = request_object_claims(f.now());
    claims[name] = value;
    claims
}

#[tokio::test]
async fn the_request_objects_parameters_win() {
    let f = fixture();
    let jwt = f.request_object(&request_object_claims(f.now()));
    let pairs = with(outer(&jwt), "prompt", Some("login"));
    let login = expect_login(f.authorize(pairs, None).await);
    assert_eq!(login.scope, ["openid", "profile"]);
    // Outer parameters the object does not have still apply (OIDC Core §6.1).
    assert!(login.prompt.login);
    let completion = f
        .provider
        .complete_login(
            &login.transaction,
            authentication("subject-1", LevelOfAssurance::Loa3),
            None,
        )
        .await
        .unwrap();
    let response = completion.response;
    assert_eq!(response.redirect_uri.as_str(), JAR_OTHER_CB);
    assert_eq!(response.parameter("state"), Some("inner-state"));
    assert_eq!(
        f.grant(&response).await.nonce.as_deref(),
        Some("inner-nonce")
    );
}

#[tokio::test]
async fn the_authorization_endpoint_is_an_accepted_audience_and_max_age_may_be_a_number() {
    let f = fixture();
    let claims = claims_with(&f, "aud", json!(["https://op.example/authorize"]));
    let mut claims = claims;
    claims["max_age"] = json!(60);
    let jwt = f.request_object(&claims);
    let login = expect_login(f.authorize(outer(&jwt), None).await);
    assert_eq!(login.max_age, Some(60));
}

#[tokio::test]
async fn an_unsigned_request_object_is_not_supported() {
    let f = fixture();
    let jwt = unsigned(&request_object_claims(f.now()));
    let (code, response) = redirected_error(f.authorize(outer(&jwt), None).await);
    assert_eq!(code, OAuthErrorCode::RequestNotSupported);
    // The error goes to a redirect URI registered for the client, with the state it named.
    assert_eq!(response.redirect_uri.as_str(), JAR_OTHER_CB);
    assert_eq!(response.parameter("state"), Some("inner-state"));
    assert!(f.store.is_empty());
}

#[tokio::test]
async fn bad_request_objects_are_invalid() {
    let f = fixture();
    let now = f.now().as_secs();
    let foreign = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let es384 = SigningKey::generate(JwsAlgorithm::Es384).unwrap();
    let good = request_object_claims(f.now());
    let cases: Vec<(&str, String)> = vec![
        ("signed by another key", foreign.sign_jwt(&good).unwrap()),
        ("an algorithm not allowed", es384.sign_jwt(&good).unwrap()),
        (
            "iss is not the client",
            f.request_object(&claims_with(&f, "iss", json!("rp"))),
        ),
        ("no iss", {
            let mut claims = good.clone();
            claims.as_object_mut().unwrap().remove("iss");
            f.request_object(&claims)
        }),
        (
            "aud is another",
            f.request_object(&claims_with(&f, "aud", json!("https://other.example"))),
        ),
        (
            "expired",
            f.request_object(&claims_with(&f, "exp", json!(now - 3600))),
        ),
        ("no exp", {
            let mut claims = good.clone();
            claims.as_object_mut().unwrap().remove("exp");
            f.request_object(&claims)
        }),
        (
            "exp too far",
            f.request_object(&claims_with(&f, "exp", json!(now + 86_400))),
        ),
        (
            "iat in the future",
            f.request_object(&claims_with(&f, "iat", json!(now + 3600))),
        ),
        (
            "client_id differs",
            f.request_object(&claims_with(&f, "client_id", json!("rp"))),
        ),
        (
            "response_type differs",
            f.request_object(&claims_with(&f, "response_type", json!("token"))),
        ),
        (
            "nested request_uri",
            f.request_object(&claims_with(&f, "request_uri", json!("urn:x"))),
        ),
        ("not a JWS", "a.b".to_owned()),
        ("encrypted", "a.b.c.d.e".to_owned()),
        ("tampered", {
            let jwt = f.request_object(&good);
            let (message, _) = jwt.rsplit_once('.').unwrap();
            format!("{message}.AAAA")
        }),
    ];
    for (case, jwt) in cases {
        let (code, response) = redirected_error(f.authorize(outer(&jwt), None).await);
        assert_eq!(code, OAuthErrorCode::InvalidRequestObject, "{case}");
        assert!(
            [JAR_CB, JAR_OTHER_CB].contains(&response.redirect_uri.as_str()),
            "{case}"
        );
    }
    assert!(
        f.store.is_empty(),
        "invalid request objects change no state"
    );
}

#[tokio::test]
async fn a_client_without_keys_cannot_sign_request_objects() {
    let f = fixture();
    let mut claims = request_object_claims(f.now());
    claims["iss"] = json!(RP);
    claims["client_id"] = json!(RP);
    claims["redirect_uri"] = json!(RP_CB);
    let jwt = f.request_object(&claims);
    let pairs = with(base(), "request", Some(&jwt));
    let (code, response) = redirected_error(f.authorize(pairs, None).await);
    assert_eq!(code, OAuthErrorCode::InvalidRequestObject);
    assert_eq!(response.redirect_uri.as_str(), RP_CB);
}

#[tokio::test]
async fn an_unregistered_redirect_uri_inside_gets_an_error_page() {
    let f = fixture();
    let jwt = f.request_object(&claims_with(
        &f,
        "redirect_uri",
        json!("https://evil.example/cb"),
    ));
    let error = expect_page(f.authorize(outer(&jwt), None).await);
    assert_eq!(error.code(), OAuthErrorCode::InvalidRequest);
}

#[tokio::test]
async fn request_and_request_uri_together_are_refused() {
    let f = fixture();
    let jwt = f.request_object(&request_object_claims(f.now()));
    let pairs = with(
        outer(&jwt),
        "request_uri",
        Some("urn:ietf:params:oauth:request_uri:x"),
    );
    let (code, _) = redirected_error(f.authorize(pairs, None).await);
    assert_eq!(code, OAuthErrorCode::InvalidRequest);
}

#[tokio::test]
async fn a_claims_request_inside_is_read_as_json() {
    let f = fixture();
    let claims = claims_with(
        &f,
        "claims",
        json!({"id_token": {"acr": {"essential": true, "values": [LOA4]}}}),
    );
    let jwt = f.request_object(&claims);
    let login = expect_login(f.authorize(outer(&jwt), None).await);
    assert_eq!(
        login.requirement.unwrap().levels(),
        [LevelOfAssurance::Loa4]
    );

    // A parameter of the wrong type is refused, not ignored.
    let jwt = f.request_object(&claims_with(&f, "scope", json!(["openid"])));
    let (code, _) = redirected_error(f.authorize(outer(&jwt), None).await);
    assert_eq!(code, OAuthErrorCode::InvalidRequestObject);
}

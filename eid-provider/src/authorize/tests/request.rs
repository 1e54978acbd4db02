//! Validation of authorization requests at the authorization endpoint.

use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};

use super::*;
use crate::provider::ResponseMode;

#[tokio::test]
async fn a_valid_request_asks_for_a_login_and_completes_with_code_state_and_iss() {
    let f = fixture();
    let pairs = with(
        base(),
        "scope",
        Some(&format!("openid profile {PNR_SCOPE} email")),
    );
    let login = expect_login(f.authorize(pairs, None).await);
    assert_eq!(login.client_id.as_str(), RP);
    assert_eq!(login.scope, ["openid", "profile", PNR_SCOPE]);
    assert_eq!(login.requirement, None);
    assert!(!login.prompt.none && !login.prompt.login);
    let pending = f.provider.pending_login(&login.transaction).await.unwrap();
    assert_eq!(pending.unwrap().scope, login.scope);

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
    assert_eq!(response.redirect_uri.as_str(), RP_CB);
    assert_eq!(response.mode, ResponseMode::Query);
    let names: Vec<&str> = response
        .parameters
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(names, ["code", "state", "iss"]);
    assert_eq!(response.parameter("state"), Some("state-1"));
    assert_eq!(response.parameter("iss"), Some(ISSUER));
    assert!(
        response
            .location()
            .starts_with("https://rp.example/cb?code=")
    );
    assert!(completion.session.is_some());
    let sid = completion.sid.unwrap();

    let grant = f.grant(&response).await;
    assert_eq!(grant.client_id.as_str(), RP);
    assert_eq!(grant.redirect_uri.as_str(), RP_CB);
    assert_eq!(grant.code_challenge.to_base64url(), challenge());
    assert_eq!(grant.nonce.as_deref(), Some("nonce-1"));
    assert_eq!(grant.subject, "subject-1");
    assert_eq!(grant.auth_time, T0);
    assert_eq!(grant.acr.as_deref(), Some(LOA3));
    assert_eq!(grant.amr, ["pwd"]);
    assert_eq!(grant.sid.as_deref(), Some(sid.as_str()));
    assert_eq!(grant.scope, ["openid", "profile", PNR_SCOPE]);
    // naturalPersonNumber puts the number in the ID token; profile puts names at UserInfo.
    assert_eq!(grant.claims[PNR_CLAIM], "191212121212");
    assert_eq!(grant.userinfo_claims["given_name"], "Tolvan");
    assert!(!grant.claims.contains_key("given_name"));
    // The transaction is gone.
    assert!(
        f.provider
            .pending_login(&login.transaction)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn requests_that_cannot_be_answered_at_the_client_get_an_error_page() {
    let f = fixture();
    let cases = [
        with(base(), "client_id", None),
        with(base(), "client_id", Some("nobody")),
        with(base(), "redirect_uri", None),
        with(base(), "redirect_uri", Some("https://rp.example/cb/")),
        with(base(), "redirect_uri", Some("https://evil.example/cb")),
        with(base(), "redirect_uri", Some("not a uri")),
        {
            let mut pairs = base();
            pairs.push(("redirect_uri".into(), "https://evil.example/cb".into()));
            pairs
        },
        {
            let mut pairs = base();
            pairs.push(("client_id".into(), JAR.into()));
            pairs
        },
    ];
    for pairs in cases {
        let error = expect_page(f.authorize(pairs, None).await);
        assert_eq!(error.code(), OAuthErrorCode::InvalidRequest);
    }
    assert!(f.store.is_empty(), "invalid requests change no state");
}

#[tokio::test]
async fn invalid_requests_are_redirected_with_the_standard_code_and_state() {
    let f = fixture();
    let cases: Vec<(Vec<(String, String)>, OAuthErrorCode)> = vec![
        (
            with(base(), "response_type", None),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "response_type", Some("token")),
            OAuthErrorCode::UnsupportedResponseType,
        ),
        (
            with(base(), "response_type", Some("code id_token")),
            OAuthErrorCode::UnsupportedResponseType,
        ),
        (
            with(base(), "scope", Some("profile")),
            OAuthErrorCode::InvalidScope,
        ),
        (with(base(), "scope", None), OAuthErrorCode::InvalidScope),
        (
            with(base(), "code_challenge", None),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "code_challenge_method", Some("plain")),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "code_challenge_method", None),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "code_challenge", Some("too-short")),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "prompt", Some("none login")),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "prompt", Some("sometimes")),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "max_age", Some("-1")),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "max_age", Some("soon")),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "claims", Some("{not json")),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "id_token_hint", Some("a.b.c")),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            with(base(), "response_mode", Some("jwt")),
            OAuthErrorCode::InvalidRequest,
        ),
        (
            {
                let mut pairs = base();
                pairs.push(("scope".into(), "openid".into()));
                pairs
            },
            OAuthErrorCode::InvalidRequest,
        ),
        (
            {
                let mut pairs = base();
                pairs.push(("extra".into(), "1".into()));
                pairs.push(("extra".into(), "2".into()));
                pairs
            },
            OAuthErrorCode::InvalidRequest,
        ),
    ];
    for (pairs, expected) in cases {
        let (code, response) = redirected_error(f.authorize(pairs, None).await);
        assert_eq!(
            code,
            expected,
            "{:?}",
            response.parameter("error_description")
        );
        assert_eq!(response.parameter("state"), Some("state-1"));
        assert_eq!(response.redirect_uri.as_str(), RP_CB);
        assert_eq!(response.mode, ResponseMode::Query);
    }
    assert!(f.store.is_empty(), "invalid requests change no state");
}

#[tokio::test]
async fn a_repeated_state_is_refused_without_echoing_either_value() {
    let f = fixture();
    let mut pairs = base();
    pairs.push(("state".into(), "state-2".into()));
    let (code, response) = redirected_error(f.authorize(pairs, None).await);
    assert_eq!(code, OAuthErrorCode::InvalidRequest);
    assert_eq!(response.parameter("state"), None);
}

#[tokio::test]
async fn unknown_parameters_are_ignored_and_the_response_mode_is_kept() {
    let f = fixture();
    let pairs = with(base(), "extra", Some("foobar"));
    let pairs = with(pairs, "response_mode", Some("form_post"));
    let login = expect_login(f.authorize(pairs, None).await);
    let completion = f
        .provider
        .complete_login(
            &login.transaction,
            authentication("subject-1", LevelOfAssurance::Loa3),
            None,
        )
        .await
        .unwrap();
    assert_eq!(completion.response.mode, ResponseMode::FormPost);
    assert!(completion.response.parameter("code").is_some());

    let pairs = with(base(), "response_mode", Some("fragment"));
    let pairs = with(pairs, "response_type", Some("token"));
    let (code, response) = redirected_error(f.authorize(pairs, None).await);
    assert_eq!(code, OAuthErrorCode::UnsupportedResponseType);
    assert!(
        response
            .location()
            .starts_with("https://rp.example/cb#error=")
    );
}

#[tokio::test]
async fn hints_locales_acr_values_and_authn_provider_reach_the_login() {
    let f = fixture();
    let pairs = with(base(), "login_hint", Some("tolvan"));
    let pairs = with(pairs, "ui_locales", Some("fr en-GB sv"));
    let pairs = with(
        pairs,
        "acr_values",
        Some(&format!("urn:unknown {LOA4} {LOA3}")),
    );
    let pairs = with(
        pairs,
        "https://id.oidc.se/param/authnProvider",
        Some("https://bankid.example"),
    );
    let pairs = with(pairs, "max_age", Some("0"));
    let pairs = with(pairs, "prompt", Some("login consent"));
    let login = expect_login(f.authorize(pairs, None).await);
    assert_eq!(login.login_hint.as_deref(), Some("tolvan"));
    assert_eq!(login.ui_locales, ["en", "sv"]);
    assert_eq!(
        login.acr_values,
        [LevelOfAssurance::Loa4, LevelOfAssurance::Loa3]
    );
    assert_eq!(
        login.requirement,
        Some(
            Requirement::new(
                vec![LevelOfAssurance::Loa4, LevelOfAssurance::Loa3],
                Matching::Exact
            )
            .unwrap()
        )
    );
    assert_eq!(
        login.authn_provider.as_deref(),
        Some("https://bankid.example")
    );
    assert_eq!(login.max_age, Some(0));
    assert!(login.prompt.login && login.prompt.consent && !login.prompt.none);
    assert_eq!(login.subject_hint, None);
    // Debug shows no hint.
    assert!(!format!("{login:?}").contains("tolvan"));
}

#[tokio::test]
async fn an_essential_acr_no_offered_level_meets_is_unmet_at_once() {
    let f = fixture();
    // eIDAS levels are not Swedish ones, and no translation is made.
    let claims = json!({"id_token": {"acr": {"essential": true, "values": [
        "http://eidas.europa.eu/LoA/substantial"
    ]}}});
    let pairs = with(base(), "claims", Some(&claims.to_string()));
    let (code, response) = redirected_error(f.authorize(pairs, None).await);
    assert_eq!(code, OAuthErrorCode::UnmetAuthenticationRequirements);
    assert_eq!(response.parameter("state"), Some("state-1"));

    let unknown = json!({"id_token": {"acr": {"essential": true, "value": "urn:nobody:knows"}}});
    let pairs = with(base(), "claims", Some(&unknown.to_string()));
    let (code, _) = redirected_error(f.authorize(pairs, None).await);
    assert_eq!(code, OAuthErrorCode::UnmetAuthenticationRequirements);

    let offered = json!({"id_token": {"acr": {"essential": true, "values": [LOA4]}}});
    let pairs = with(base(), "claims", Some(&offered.to_string()));
    let login = expect_login(f.authorize(pairs, None).await);
    assert_eq!(
        login.requirement,
        Some(Requirement::new(vec![LevelOfAssurance::Loa4], Matching::Exact).unwrap())
    );
}

#[tokio::test]
async fn a_valid_id_token_hint_names_the_subject_and_a_foreign_one_is_refused() {
    let f = fixture();
    let hint = f.id_token(RP, "subject-1");
    let login = expect_login(
        f.authorize(with(base(), "id_token_hint", Some(&hint)), None)
            .await,
    );
    assert_eq!(login.subject_hint.unwrap().as_str(), "subject-1");

    // Expired hints are still hints.
    f.advance(3600);
    let login = expect_login(
        f.authorize(with(base(), "id_token_hint", Some(&hint)), None)
            .await,
    );
    assert_eq!(login.subject_hint.unwrap().as_str(), "subject-1");

    // Issued to another client, signed by another key, unsigned: refused.
    let other_client = f.id_token(JAR, "subject-1");
    let foreign_key = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let foreign = foreign_key
        .sign_jwt(&json!({"iss": ISSUER, "sub": "subject-1", "aud": RP,
            "iat": f.now().as_secs(), "exp": f.now().as_secs() + 300}))
        .unwrap();
    let none = unsigned(&json!({"iss": ISSUER, "sub": "subject-1", "aud": RP,
        "iat": f.now().as_secs(), "exp": f.now().as_secs() + 300}));
    for bad in [other_client, foreign, none] {
        let pairs = with(base(), "id_token_hint", Some(&bad));
        let (code, _) = redirected_error(f.authorize(pairs, None).await);
        assert_eq!(code, OAuthErrorCode::InvalidRequest);
    }
}

#[tokio::test]
async fn a_client_that_must_use_par_is_refused_a_plain_request() {
    let f = fixture();
    let pairs = with(base(), "client_id", Some(PAR_ONLY));
    let pairs = with(pairs, "redirect_uri", Some(PAR_ONLY_CB));
    let pairs = with(pairs, "scope", Some("openid"));
    let (code, response) = redirected_error(f.authorize(pairs, None).await);
    assert_eq!(code, OAuthErrorCode::InvalidRequest);
    assert_eq!(response.redirect_uri.as_str(), PAR_ONLY_CB);
}

//! Single sign-on: answering from the session, and the reasons to authenticate again.

use super::*;

/// A fixture with `subject-1` logged in at loa3 for `rp`: the session cookie.
async fn logged_in(f: &Fixture) -> SessionId {
    let (response, session) = f
        .login(base(), None, "subject-1", LevelOfAssurance::Loa3)
        .await;
    assert!(response.parameter("code").is_some());
    session.unwrap()
}

fn none() -> Vec<(String, String)> {
    with(base(), "prompt", Some("none"))
}

#[tokio::test]
async fn prompt_none_without_a_session_is_login_required() {
    let f = fixture();
    let (code, response) = redirected_error(f.authorize(none(), None).await);
    assert_eq!(code, OAuthErrorCode::LoginRequired);
    assert_eq!(response.parameter("state"), Some("state-1"));
    // An unknown cookie is no session.
    let stale = SessionId::from_presented("stale-cookie").unwrap();
    let (code, _) = redirected_error(f.authorize(none(), Some(&stale)).await);
    assert_eq!(code, OAuthErrorCode::LoginRequired);
    assert!(f.store.is_empty());
}

#[tokio::test]
async fn a_session_answers_silently_with_the_same_subject_auth_time_and_sid() {
    let f = fixture();
    let (first, cookie) = f
        .login(base(), None, "subject-1", LevelOfAssurance::Loa3)
        .await;
    let first = f.grant(&first).await;
    let cookie = cookie.unwrap();
    f.advance(30);

    for pairs in [none(), base()] {
        let pairs = with(pairs, "nonce", Some("nonce-2"));
        let pairs = with(pairs, "scope", Some(&format!("openid {PNR_SCOPE}")));
        let response = expect_respond(f.authorize(pairs, Some(&cookie)).await);
        assert_eq!(response.parameter("state"), Some("state-1"));
        assert_eq!(response.parameter("iss"), Some(ISSUER));
        let grant = f.grant(&response).await;
        assert_eq!(grant.subject, "subject-1");
        assert_eq!(grant.auth_time, first.auth_time);
        assert_eq!(grant.sid, first.sid);
        assert_eq!(grant.acr.as_deref(), Some(LOA3));
        assert_eq!(grant.amr, ["pwd"]);
        assert_eq!(grant.nonce.as_deref(), Some("nonce-2"));
        // Claims are released from the session's identity for this request's scopes.
        assert_eq!(grant.claims[PNR_CLAIM], "191212121212");
        assert!(!grant.userinfo_claims.contains_key("given_name"));
    }
}

#[tokio::test]
async fn prompt_login_and_interaction_prompts_ask_for_a_login_despite_the_session() {
    let f = fixture();
    let cookie = logged_in(&f).await;
    for prompt in ["login", "consent", "select_account"] {
        let login = expect_login(
            f.authorize(with(base(), "prompt", Some(prompt)), Some(&cookie))
                .await,
        );
        assert_eq!(login.subject_hint.unwrap().as_str(), "subject-1");
    }
}

#[tokio::test]
async fn max_age_forces_a_login_once_reached() {
    let f = fixture();
    let cookie = logged_in(&f).await;
    f.advance(10);
    expect_login(
        f.authorize(with(base(), "max_age", Some("10")), Some(&cookie))
            .await,
    );
    expect_login(
        f.authorize(with(base(), "max_age", Some("0")), Some(&cookie))
            .await,
    );
    expect_respond(
        f.authorize(with(base(), "max_age", Some("10000")), Some(&cookie))
            .await,
    );
    let (code, _) = redirected_error(
        f.authorize(with(none(), "max_age", Some("5")), Some(&cookie))
            .await,
    );
    assert_eq!(code, OAuthErrorCode::LoginRequired);

    // The new login renews the session: a later auth_time, the same sid, a new cookie.
    let old = f
        .grant(&expect_respond(f.authorize(base(), Some(&cookie)).await))
        .await;
    let (response, renewed) = f
        .login(
            with(base(), "max_age", Some("5")),
            Some(&cookie),
            "subject-1",
            LevelOfAssurance::Loa3,
        )
        .await;
    let grant = f.grant(&response).await;
    assert_eq!(grant.auth_time, T0.saturating_add(Duration::from_secs(10)));
    assert_eq!(grant.sid, old.sid);
    let renewed = renewed.unwrap();
    assert_ne!(renewed.expose_secret(), cookie.expose_secret());
    let (code, _) = redirected_error(f.authorize(none(), Some(&cookie)).await);
    assert_eq!(
        code,
        OAuthErrorCode::LoginRequired,
        "the old cookie is retired"
    );
    expect_respond(f.authorize(none(), Some(&renewed)).await);
}

#[tokio::test]
async fn another_person_logging_in_gets_a_new_session() {
    let f = fixture();
    let cookie = logged_in(&f).await;
    let old = f
        .grant(&expect_respond(f.authorize(none(), Some(&cookie)).await))
        .await;
    let (response, session) = f
        .login(
            with(base(), "prompt", Some("login")),
            Some(&cookie),
            "subject-2",
            LevelOfAssurance::Loa3,
        )
        .await;
    let grant = f.grant(&response).await;
    assert_eq!(grant.subject, "subject-2");
    assert_ne!(grant.sid, old.sid);
    let response = expect_respond(f.authorize(none(), session.as_ref()).await);
    assert_eq!(f.grant(&response).await.subject, "subject-2");
}

#[tokio::test]
async fn an_id_token_hint_must_name_the_sessions_person() {
    let f = fixture();
    let cookie = logged_in(&f).await;
    let same = f.id_token(RP, "subject-1");
    let response = expect_respond(
        f.authorize(with(none(), "id_token_hint", Some(&same)), Some(&cookie))
            .await,
    );
    assert_eq!(f.grant(&response).await.subject, "subject-1");

    let other = f.id_token(RP, "subject-2");
    let (code, _) = redirected_error(
        f.authorize(with(none(), "id_token_hint", Some(&other)), Some(&cookie))
            .await,
    );
    assert_eq!(code, OAuthErrorCode::LoginRequired);
    let login = expect_login(
        f.authorize(with(base(), "id_token_hint", Some(&other)), Some(&cookie))
            .await,
    );
    assert_eq!(login.subject_hint.unwrap().as_str(), "subject-2");
}

#[tokio::test]
async fn a_requirement_the_sessions_level_does_not_meet_asks_for_a_login() {
    let f = fixture();
    let cookie = logged_in(&f).await;
    // Voluntary acr_values: a login is tried, but prompt=none may answer with the session.
    expect_login(
        f.authorize(with(base(), "acr_values", Some(LOA4)), Some(&cookie))
            .await,
    );
    expect_respond(
        f.authorize(with(none(), "acr_values", Some(LOA4)), Some(&cookie))
            .await,
    );
    expect_respond(
        f.authorize(with(base(), "acr_values", Some(LOA3)), Some(&cookie))
            .await,
    );
    // Essential: login_required with prompt=none.
    let claims = json!({"id_token": {"acr": {"essential": true, "values": [LOA4]}}}).to_string();
    expect_login(
        f.authorize(with(base(), "claims", Some(&claims)), Some(&cookie))
            .await,
    );
    let (code, _) = redirected_error(
        f.authorize(with(none(), "claims", Some(&claims)), Some(&cookie))
            .await,
    );
    assert_eq!(code, OAuthErrorCode::LoginRequired);
}

#[tokio::test]
async fn a_session_ends_after_its_lifetime() {
    let f = fixture();
    let cookie = logged_in(&f).await;
    // Silent answers do not extend it.
    f.advance(1800);
    expect_respond(f.authorize(none(), Some(&cookie)).await);
    f.advance(1800);
    let (code, _) = redirected_error(f.authorize(none(), Some(&cookie)).await);
    assert_eq!(code, OAuthErrorCode::LoginRequired);
}

#[tokio::test]
async fn a_session_serves_other_clients_under_the_standard_rules() {
    let f = fixture();
    let cookie = logged_in(&f).await;
    let pairs = with(none(), "client_id", Some(JAR));
    let pairs = with(pairs, "redirect_uri", Some(JAR_CB));
    let response = expect_respond(f.authorize(pairs, Some(&cookie)).await);
    let grant = f.grant(&response).await;
    assert_eq!(grant.client_id.as_str(), JAR);
    let session = f
        .provider
        .stores()
        .sessions
        .session(&cookie, f.now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        session
            .clients
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
        [RP, JAR]
    );
}

#[tokio::test]
async fn sweden_connect_rules_require_a_login_without_prompt_and_a_known_client_for_none() {
    let f = fixture_with(sweden_connect());
    let cookie = logged_in(&f).await;
    // No prompt: a login, as prompt=login.
    let login = expect_login(f.authorize(base(), Some(&cookie)).await);
    assert!(
        !login.prompt.login,
        "the request's own prompt is reported as it was"
    );
    // prompt=none from the session's client: silent.
    expect_respond(f.authorize(none(), Some(&cookie)).await);
    // prompt=none from a client that has not taken part: login_required.
    let pairs = with(none(), "client_id", Some(JAR));
    let pairs = with(pairs, "redirect_uri", Some(JAR_CB));
    let (code, _) = redirected_error(f.authorize(pairs, Some(&cookie)).await);
    assert_eq!(code, OAuthErrorCode::LoginRequired);
}

#[tokio::test]
async fn sweden_connect_sessions_last_at_most_an_hour() {
    let mut config = sweden_connect();
    config.session_ttl = Duration::from_secs(7200);
    assert!(
        Provider::builder(
            ProviderMetadata::builder(ISSUER.parse().unwrap())
                .build()
                .unwrap(),
            Arc::new(StaticClients::default()),
            KeyRing::ephemeral().unwrap(),
        )
        .config(config)
        .build()
        .is_err()
    );
}

#[tokio::test]
async fn a_higher_session_level_answers_a_lower_request_silently_with_the_requested_level() {
    let f = fixture();
    let (_, cookie) = f
        .login(base(), None, "subject-1", LevelOfAssurance::Loa4)
        .await;
    let claims = json!({"id_token": {"acr": {"essential": true, "values": [LOA3]}}}).to_string();
    let response = expect_respond(
        f.authorize(with(none(), "claims", Some(&claims)), cookie.as_ref())
            .await,
    );
    assert_eq!(f.grant(&response).await.acr.as_deref(), Some(LOA3));
    let response = expect_respond(f.authorize(none(), cookie.as_ref()).await);
    assert_eq!(f.grant(&response).await.acr.as_deref(), Some(LOA4));
}

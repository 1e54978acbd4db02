//! Completing and aborting logins.

use super::*;
use crate::store::TransactionId;

#[tokio::test]
async fn a_transaction_completes_once() {
    let f = fixture();
    let login = expect_login(f.authorize(base(), None).await);
    let first = f
        .provider
        .complete_login(
            &login.transaction,
            authentication("subject-1", LevelOfAssurance::Loa3),
            None,
        )
        .await;
    assert!(first.is_ok());
    let again = f
        .provider
        .complete_login(
            &login.transaction,
            authentication("subject-1", LevelOfAssurance::Loa3),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(again.code(), OAuthErrorCode::InvalidRequest);
    let abort = f
        .provider
        .abort_login(
            &login.transaction,
            OAuthError::new(OAuthErrorCode::AccessDenied, "cancelled"),
        )
        .await
        .unwrap_err();
    assert_eq!(abort.code(), OAuthErrorCode::InvalidRequest);
}

#[tokio::test]
async fn an_unknown_transaction_is_refused() {
    let f = fixture();
    let unknown = TransactionId::from_presented("no-such-transaction").unwrap();
    assert!(f.provider.pending_login(&unknown).await.unwrap().is_none());
    let error = f
        .provider
        .complete_login(
            &unknown,
            authentication("subject-1", LevelOfAssurance::Loa3),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidRequest);
    assert!(f.store.is_empty());
}

#[tokio::test]
async fn an_expired_transaction_cannot_be_completed() {
    let f = fixture();
    let login = expect_login(f.authorize(base(), None).await);
    f.advance(f.provider.config().transaction_ttl.as_secs());
    assert!(
        f.provider
            .pending_login(&login.transaction)
            .await
            .unwrap()
            .is_none()
    );
    let error = f
        .provider
        .complete_login(
            &login.transaction,
            authentication("subject-1", LevelOfAssurance::Loa3),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidRequest);
}

#[tokio::test]
async fn an_abort_answers_the_client_with_the_error_state_and_iss() {
    let f = fixture();
    let login = expect_login(f.authorize(base(), None).await);
    let response = f
        .provider
        .abort_login(
            &login.transaction,
            OAuthError::new(OAuthErrorCode::AccessDenied, "the person cancelled"),
        )
        .await
        .unwrap();
    assert_eq!(error_code(&response), OAuthErrorCode::AccessDenied);
    assert_eq!(
        response.parameter("error_description"),
        Some("the person cancelled")
    );
    assert_eq!(response.parameter("state"), Some("state-1"));
    assert_eq!(response.redirect_uri.as_str(), RP_CB);
    assert!(
        f.provider
            .pending_login(&login.transaction)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn an_essential_acr_not_reached_is_unmet_and_opens_no_session() {
    let f = fixture();
    let claims = json!({"id_token": {"acr": {"essential": true, "values": [LOA4]}}});
    let pairs = with(base(), "claims", Some(&claims.to_string()));
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
    assert_eq!(
        error_code(&completion.response),
        OAuthErrorCode::UnmetAuthenticationRequirements
    );
    assert_eq!(completion.response.parameter("state"), Some("state-1"));
    assert!(completion.session.is_none() && completion.sid.is_none());
    assert!(f.store.is_empty(), "no session, no code");

    // Met: a code, with the acr reached.
    let pairs = with(base(), "claims", Some(&claims.to_string()));
    let (response, _) = f
        .login(pairs, None, "subject-1", LevelOfAssurance::Loa4)
        .await;
    assert_eq!(f.grant(&response).await.acr.as_deref(), Some(LOA4));
}

#[tokio::test]
async fn a_higher_level_answers_a_lower_request_with_the_requested_level() {
    let f = fixture();
    let essential = json!({"id_token": {"acr": {"essential": true, "values": [LOA3]}}});
    for pairs in [
        with(base(), "claims", Some(&essential.to_string())),
        with(base(), "acr_values", Some(LOA3)),
    ] {
        let (response, _) = f
            .login(pairs, None, "subject-1", LevelOfAssurance::Loa4)
            .await;
        assert_eq!(f.grant(&response).await.acr.as_deref(), Some(LOA3));
    }
}

#[tokio::test]
async fn an_identity_that_does_not_fit_its_level_is_refused() {
    let f = fixture();
    let (response, session) = f
        .login(base(), None, "subject-1", LevelOfAssurance::Loa3NonResident)
        .await;
    assert_eq!(error_code(&response), OAuthErrorCode::ServerError);
    assert!(session.is_none());
}

#[tokio::test]
async fn voluntary_acr_values_may_be_answered_with_another_level() {
    let f = fixture();
    let pairs = with(base(), "acr_values", Some(LOA4));
    let (response, session) = f
        .login(pairs, None, "subject-1", LevelOfAssurance::Loa3)
        .await;
    assert!(session.is_some());
    assert_eq!(f.grant(&response).await.acr.as_deref(), Some(LOA3));
}

#[tokio::test]
async fn a_login_by_another_person_than_the_id_token_hint_names_is_login_required() {
    let f = fixture();
    let hint = f.id_token(RP, "subject-1");
    let pairs = with(base(), "id_token_hint", Some(&hint));
    let (response, session) = f
        .login(pairs, None, "subject-2", LevelOfAssurance::Loa3)
        .await;
    assert_eq!(error_code(&response), OAuthErrorCode::LoginRequired);
    assert!(session.is_none());
}

#[tokio::test]
async fn claims_are_released_by_the_claims_request() {
    let f = fixture();
    let claims = json!({
        "id_token": {"given_name": {"essential": true}},
        "userinfo": {"family_name": null},
    });
    let pairs = with(base(), "scope", Some("openid"));
    let pairs = with(pairs, "claims", Some(&claims.to_string()));
    let (response, _) = f
        .login(pairs, None, "subject-1", LevelOfAssurance::Loa3)
        .await;
    let grant = f.grant(&response).await;
    assert_eq!(grant.claims["given_name"], "Tolvan");
    assert!(!grant.claims.contains_key(PNR_CLAIM));
    assert_eq!(grant.userinfo_claims["family_name"], "Tolvansson");
    assert!(!grant.userinfo_claims.contains_key("given_name"));
}

#[tokio::test]
async fn without_sso_sessions_nothing_about_the_person_is_kept_after_the_code() {
    let f = fixture_with(ProviderConfig {
        sso_sessions: false,
        ..ProviderConfig::default()
    });
    let login = expect_login(f.authorize(base(), None).await);
    let done = f
        .provider
        .complete_login(
            &login.transaction,
            authentication("subject-1", LevelOfAssurance::Loa3),
            None,
        )
        .await
        .unwrap();
    assert!(done.response.parameter("code").is_some());
    assert!(done.session.is_none(), "no session cookie");
    assert!(done.sid.is_none(), "no sid to put in tokens");

    // Nothing to answer silently from: the next request asks for a login, and prompt=none is
    // refused.
    expect_login(f.authorize(base(), None).await);
    let silent = expect_respond(
        f.authorize(with(base(), "prompt", Some("none")), None)
            .await,
    );
    assert_eq!(silent.parameter("error"), Some("login_required"));
}

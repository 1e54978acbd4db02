//! The RP-Initiated Logout OP plan (`oidcc-rp-initiated-logout-certification-test-plan`) and the
//! back-channel logout module (standards.md §9.2). "Refuse" means: no redirect back to the
//! client; an error page instead.

use reqwest::StatusCode;

use crate::rp::{Rp, Tokens, random_string};
use crate::{PERSON, fixture};

async fn signed_in(rp: &Rp) -> Tokens {
    rp.sign_in(&rp.request(), PERSON).await
}

/// After a logout, `prompt=none` must fail: the session is gone.
async fn assert_logged_out(rp: &Rp) {
    let request = rp.request().set("prompt", "none");
    let params = rp.authorize(&request).await.callback();
    assert_eq!(
        params.get("error").map(String::as_str),
        Some("login_required"),
        "{params:?}"
    );
}

/// After a refused logout, the session still stands.
async fn assert_still_logged_in(rp: &Rp) {
    let request = rp.request().set("prompt", "none");
    let params = rp.authorize(&request).await.callback();
    assert!(params.contains_key("code"), "{params:?}");
}

fn post_logout_uri(rp: &Rp) -> String {
    rp.client
        .post_logout_redirect_uri
        .clone()
        .expect("the logout client registers a post_logout_redirect_uri")
}

fn assert_refused(answer: &crate::rp::Answer) {
    assert!(answer.location().is_none(), "redirected: {answer:?}");
    assert!(answer.status.is_client_error(), "{answer:?}");
}

/// `oidcc-rp-initiated-logout`: redirect to the registered `post_logout_redirect_uri` with
/// `state`; then `prompt=none` fails.
#[tokio::test]
async fn oidcc_rp_initiated_logout() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let tokens = signed_in(rp).await;
    let uri = post_logout_uri(rp);
    let state = random_string();
    let answer = rp
        .end_session(&[
            ("id_token_hint", &tokens.id_token),
            ("post_logout_redirect_uri", &uri),
            ("state", &state),
        ])
        .await;
    assert!(answer.is_redirect(), "{answer:?}");
    let location = reqwest::Url::parse(answer.location().unwrap()).unwrap();
    assert!(location.as_str().starts_with(&uri));
    let got: Vec<_> = location.query_pairs().into_owned().collect();
    assert_eq!(got, vec![("state".to_owned(), state)]);
    assert_logged_out(rp).await;
}

/// `oidcc-rp-initiated-logout-bad-post-logout-redirect-uri`: an unregistered URI is refused.
#[tokio::test]
async fn oidcc_rp_initiated_logout_bad_post_logout_redirect_uri() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let tokens = signed_in(rp).await;
    let answer = rp
        .end_session(&[
            ("id_token_hint", &tokens.id_token),
            (
                "post_logout_redirect_uri",
                "https://attacker.example/logout",
            ),
            ("state", "x"),
        ])
        .await;
    assert_refused(&answer);
    assert_still_logged_in(rp).await;
}

/// `oidcc-rp-initiated-logout-modified-id-token-hint`: a hint changed to `alg: none` is
/// refused.
#[tokio::test]
async fn oidcc_rp_initiated_logout_modified_id_token_hint() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let tokens = signed_in(rp).await;
    let payload = tokens.id_token.split('.').nth(1).unwrap();
    let unsigned = format!("{}.{payload}.", crate::b64(br#"{"alg":"none"}"#));
    let answer = rp
        .end_session(&[
            ("id_token_hint", &unsigned),
            ("post_logout_redirect_uri", &post_logout_uri(rp)),
        ])
        .await;
    assert_refused(&answer);
    assert_still_logged_in(rp).await;
}

/// `oidcc-rp-initiated-logout-no-id-token-hint`: a redirect URI without a hint is refused.
#[tokio::test]
async fn oidcc_rp_initiated_logout_no_id_token_hint() {
    let fx = fixture().await;
    let rp = &fx.rp;
    signed_in(rp).await;
    let answer = rp
        .end_session(&[("post_logout_redirect_uri", &post_logout_uri(rp))])
        .await;
    assert_refused(&answer);
}

/// `oidcc-rp-initiated-logout-no-params`: logs out and shows a page.
#[tokio::test]
async fn oidcc_rp_initiated_logout_no_params() {
    let fx = fixture().await;
    let rp = &fx.rp;
    signed_in(rp).await;
    let answer = rp.end_session(&[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
    assert!(answer.location().is_none());
    assert_logged_out(rp).await;
}

/// `oidcc-rp-initiated-logout-no-post-logout-redirect-uri`: with a hint only: logs out and
/// shows a page.
#[tokio::test]
async fn oidcc_rp_initiated_logout_no_post_logout_redirect_uri() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let tokens = signed_in(rp).await;
    let answer = rp.end_session(&[("id_token_hint", &tokens.id_token)]).await;
    assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
    assert!(answer.location().is_none());
    assert_logged_out(rp).await;
}

/// `oidcc-rp-initiated-logout-no-state`: redirect without `state`; then `prompt=none` fails.
#[tokio::test]
async fn oidcc_rp_initiated_logout_no_state() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let tokens = signed_in(rp).await;
    let uri = post_logout_uri(rp);
    let answer = rp
        .end_session(&[
            ("id_token_hint", &tokens.id_token),
            ("post_logout_redirect_uri", &uri),
        ])
        .await;
    assert_eq!(answer.location(), Some(uri.as_str()));
    assert_logged_out(rp).await;
}

/// `oidcc-rp-initiated-logout-only-state`: logs out and shows a page (no redirect without a
/// URI).
#[tokio::test]
async fn oidcc_rp_initiated_logout_only_state() {
    let fx = fixture().await;
    let rp = &fx.rp;
    signed_in(rp).await;
    let answer = rp.end_session(&[("state", "only")]).await;
    assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
    assert!(answer.location().is_none());
    assert_logged_out(rp).await;
}

/// `oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri`: `?foo=bar` added to
/// the registered URI is refused.
#[tokio::test]
async fn oidcc_rp_initiated_logout_query_added_to_post_logout_redirect_uri() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let tokens = signed_in(rp).await;
    let uri = format!("{}?foo=bar", post_logout_uri(rp));
    let answer = rp
        .end_session(&[
            ("id_token_hint", &tokens.id_token),
            ("post_logout_redirect_uri", &uri),
        ])
        .await;
    assert_refused(&answer);
    assert_still_logged_in(rp).await;
}

/// `oidcc-rp-initiated-logout-bad-id-token-hint`: a hint signed by another key is refused.
#[tokio::test]
async fn oidcc_rp_initiated_logout_bad_id_token_hint() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let tokens = signed_in(rp).await;
    let claims = crate::rp::jwt_claims(&tokens.id_token);
    // Another key of the same algorithm as the provider's (the hint's header names its kid).
    let algorithm = match crate::rp::jwt_header(&tokens.id_token)["alg"].as_str() {
        Some("ES256") => eid_core::jose::JwsAlgorithm::Es256,
        _ => eid_core::jose::JwsAlgorithm::Es384,
    };
    let other = eid_core::jose::SigningKey::generate(algorithm).unwrap();
    let forged = other.sign_jwt(&claims).unwrap();
    let answer = rp
        .end_session(&[
            ("id_token_hint", &forged),
            ("post_logout_redirect_uri", &post_logout_uri(rp)),
        ])
        .await;
    assert_refused(&answer);
    assert_still_logged_in(rp).await;
}

/// `oidcc-backchannel-rp-initiated-logout`: the ID token carries `sid`; logout POSTs a valid
/// logout token with that `sid` to the client's `backchannel_logout_uri`, redirects, and
/// `prompt=none` then fails.
#[tokio::test]
async fn oidcc_backchannel_rp_initiated_logout() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let receiver = &fx.receiver;
    let tokens = signed_in(rp).await;
    let sid = crate::rp::jwt_claims(&tokens.id_token)["sid"]
        .as_str()
        .expect("sid in the ID token")
        .to_owned();
    let uri = post_logout_uri(rp);
    let answer = rp
        .end_session(&[
            ("id_token_hint", &tokens.id_token),
            ("post_logout_redirect_uri", &uri),
            ("state", "bc"),
        ])
        .await;
    assert!(answer.is_redirect(), "{answer:?}");
    let logout_token = receiver.next_token().await;
    let header = crate::rp::jwt_header(&logout_token);
    assert_eq!(header["typ"], "logout+jwt");
    let claims = crate::rp::jwt_claims(&logout_token);
    assert_eq!(claims["iss"], rp.issuer.as_str());
    assert_eq!(claims["aud"], rp.client.client_id.as_str());
    assert_eq!(claims["sid"], sid.as_str());
    assert!(claims.get("nonce").is_none());
    assert!(
        claims["events"]
            .get("http://schemas.openid.net/event/backchannel-logout")
            .is_some()
    );
    crate::verify_logout_token(rp, &logout_token).await;
    assert_logged_out(rp).await;
}

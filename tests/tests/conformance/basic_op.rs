//! The OpenID conformance suite's Basic OP plan (`oidcc-basic-certification-test-plan`), one
//! test per module, named after it (`oidcc-server` → `oidcc_server`). Each drives the mock IdP
//! over real HTTP and checks what the module checks (standards.md §9.1).

use std::time::Duration;

use reqwest::StatusCode;

use crate::rp::{Step, jwt_claims, jwt_header};
use crate::{PERSON, fixture};

/// `oidcc-server`: the happy path; the ID token, its nonce and the state are valid.
#[tokio::test]
async fn oidcc_server() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let request = rp.request();
    let tokens = rp.sign_in(&request, PERSON).await;
    assert_eq!(tokens.verified.nonce(), Some(request.nonce.as_str()));
    assert_eq!(tokens.verified.issuer(), rp.issuer);
    assert!(tokens.verified.auth_time().is_some());
    assert!(!tokens.verified.subject().is_empty());
    let claims = jwt_claims(&tokens.id_token);
    assert!(claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap() <= 300);
}

/// `oidcc-response-type-missing`: no `response_type` is an error, at the client or on a page.
#[tokio::test]
async fn oidcc_response_type_missing() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let request = rp.request().remove("response_type");
    match rp.authorize(&request).await {
        Step::Callback(params) => {
            let error = params.get("error").map(String::as_str);
            assert!(
                matches!(error, Some("invalid_request" | "unsupported_response_type")),
                "{params:?}"
            );
            assert_eq!(params.get("state"), Some(&request.state));
            assert_eq!(params.get("code"), None);
        }
        Step::Page(answer) => assert!(answer.status.is_client_error()),
        Step::Login { .. } => panic!("a request without response_type reached the login"),
    }
}

/// `oidcc-idtoken-signature`: the ID token is signed with RS256 by a published key, named by
/// `kid`.
#[tokio::test]
async fn oidcc_idtoken_signature() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let tokens = rp.sign_in(&rp.request(), PERSON).await;
    let header = jwt_header(&tokens.id_token);
    assert_eq!(header["alg"], "RS256");
    let kid = header["kid"].as_str().unwrap();
    assert!(rp.jwks().await.find(kid).is_some());
    // The signature was verified by `sign_in`; a flipped signature bit is refused.
    let mut forged = tokens.id_token.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    assert!(rp.verify(&forged, None).await.is_err());
}

/// `oidcc-idtoken-unsigned`: `alg: none` is correctly refused — it is not offered in discovery
/// and no ID token is ever unsigned.
#[tokio::test]
async fn oidcc_idtoken_unsigned() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let algs = rp.metadata["id_token_signing_alg_values_supported"]
        .as_array()
        .unwrap();
    assert!(!algs.is_empty());
    assert!(algs.iter().all(|alg| alg != "none"));
    let tokens = rp.sign_in(&rp.request(), PERSON).await;
    assert_ne!(jwt_header(&tokens.id_token)["alg"], "none");
}

async fn userinfo_case(kind: &str) {
    let fx = fixture().await;
    let rp = &fx.rp;
    let tokens = rp.sign_in(&rp.request(), PERSON).await;
    let answer = match kind {
        "get" => rp.userinfo_get(&tokens.access_token).await,
        "post-header" => rp.userinfo_post_header(&tokens.access_token).await,
        _ => rp.userinfo_post_body(&tokens.access_token).await,
    };
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["sub"], tokens.verified.subject());
}

/// `oidcc-userinfo-get`.
#[tokio::test]
async fn oidcc_userinfo_get() {
    userinfo_case("get").await;
}

/// `oidcc-userinfo-post-header`.
#[tokio::test]
async fn oidcc_userinfo_post_header() {
    userinfo_case("post-header").await;
}

/// `oidcc-userinfo-post-body`.
#[tokio::test]
async fn oidcc_userinfo_post_body() {
    userinfo_case("post-body").await;
}

/// `oidcc-ensure-request-without-nonce-succeeds-for-code-flow`.
#[tokio::test]
async fn oidcc_ensure_request_without_nonce_succeeds_for_code_flow() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let request = rp.request().remove("nonce");
    let tokens = rp.sign_in(&request, PERSON).await;
    assert_eq!(jwt_claims(&tokens.id_token).get("nonce"), None);
}

/// Signs in with `scope` and returns the UserInfo claims.
async fn scope_case(scope: &str) -> serde_json::Value {
    let fx = fixture().await;
    let rp = &fx.rp;
    let request = rp.request().set("scope", scope);
    let tokens = rp.sign_in(&request, PERSON).await;
    let answer = rp.userinfo_get(&tokens.access_token).await;
    assert_eq!(answer.status, StatusCode::OK);
    let mut claims = answer.json();
    // The ID token's identity claims count too (OIDC-SE delivers some there).
    if let (Some(userinfo), Some(id_token)) = (
        claims.as_object_mut(),
        jwt_claims(&tokens.id_token).as_object(),
    ) {
        for (name, value) in id_token {
            userinfo.entry(name.clone()).or_insert(value.clone());
        }
    }
    claims
}

/// `oidcc-scope-profile`.
#[tokio::test]
async fn oidcc_scope_profile() {
    let claims = scope_case("openid profile").await;
    assert!(claims["name"].is_string(), "{claims}");
    assert!(claims["family_name"].is_string());
    assert!(claims["given_name"].is_string());
}

/// `oidcc-scope-email`: email is delivered at UserInfo for the code flow.
#[tokio::test]
async fn oidcc_scope_email() {
    let claims = scope_case("openid email").await;
    assert!(claims["email"].is_string(), "{claims}");
}

/// `oidcc-scope-address`: judged not applicable — `address` is not in `scopes_supported`
/// (no Swedish eID delivers a postal address claim), so the module skips; the provider
/// must then not fail a request that names it.
#[tokio::test]
async fn oidcc_scope_address() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let scopes = rp.metadata["scopes_supported"].as_array().unwrap();
    assert!(scopes.iter().all(|s| s != "address"));
    let tokens = rp
        .sign_in(&rp.request().set("scope", "openid address"), PERSON)
        .await;
    assert!(!tokens.verified.subject().is_empty());
}

/// `oidcc-scope-phone`.
#[tokio::test]
async fn oidcc_scope_phone() {
    let claims = scope_case("openid phone").await;
    assert!(claims["phone_number"].is_string(), "{claims}");
}

/// `oidcc-scope-all`.
#[tokio::test]
async fn oidcc_scope_all() {
    let claims = scope_case("openid profile email phone").await;
    assert!(claims["name"].is_string(), "{claims}");
    assert!(claims["email"].is_string());
    assert!(claims["phone_number"].is_string());
}

/// `oidcc-alternate-happy-flow`: other scope order and parameter order work.
#[tokio::test]
async fn oidcc_alternate_happy_flow() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let mut request = rp.request().set("scope", "email profile openid");
    request.params.reverse();
    let tokens = rp.sign_in(&request, PERSON).await;
    assert!(!tokens.verified.subject().is_empty());
}

/// `oidcc-display-page`.
#[tokio::test]
async fn oidcc_display_page() {
    let fx = fixture().await;
    let rp = &fx.rp;
    rp.sign_in(&rp.request().set("display", "page"), PERSON)
        .await;
}

/// `oidcc-display-popup`.
#[tokio::test]
async fn oidcc_display_popup() {
    let fx = fixture().await;
    let rp = &fx.rp;
    rp.sign_in(&rp.request().set("display", "popup"), PERSON)
        .await;
}

/// `oidcc-prompt-login`: with a session, `prompt=login` asks again; `auth_time` is later.
#[tokio::test]
async fn oidcc_prompt_login() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let clock = &fx.clock;
    let first = rp.sign_in(&rp.request(), PERSON).await;
    clock.advance(Duration::from_secs(2));
    let request = rp.request().set("prompt", "login");
    let second = rp.sign_in(&request, PERSON).await;
    assert!(second.verified.auth_time() > first.verified.auth_time());
    assert_eq!(second.verified.subject(), first.verified.subject());
}

/// `oidcc-prompt-none-not-logged-in`: no session → `login_required` (or another
/// interaction error) at the client.
#[tokio::test]
async fn oidcc_prompt_none_not_logged_in() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let request = rp.request().set("prompt", "none");
    let params = rp.authorize(&request).await.callback();
    assert!(
        matches!(
            params.get("error").map(String::as_str),
            Some("login_required" | "interaction_required")
        ),
        "{params:?}"
    );
    assert_eq!(params.get("state"), Some(&request.state));
    assert_eq!(params.get("iss"), Some(&rp.issuer));
}

/// `oidcc-prompt-none-logged-in`: with a session, `prompt=none` succeeds silently with the same
/// `sub` and `auth_time`.
#[tokio::test]
async fn oidcc_prompt_none_logged_in() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let clock = &fx.clock;
    let first = rp.sign_in(&rp.request(), PERSON).await;
    clock.advance(Duration::from_secs(2));
    let request = rp.request().set("prompt", "none");
    let params = rp.authorize(&request).await.callback();
    let second = rp.finish(&request, &params).await;
    assert_eq!(second.verified.subject(), first.verified.subject());
    assert_eq!(second.verified.auth_time(), first.verified.auth_time());
}

/// `oidcc-max-age-1`: after more than a second, `max_age=1` forces a login, and `auth_time` is
/// present.
#[tokio::test]
async fn oidcc_max_age_1() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let clock = &fx.clock;
    let first = rp.sign_in(&rp.request(), PERSON).await;
    clock.advance(Duration::from_secs(2));
    let request = rp.request().set("max_age", "1");
    let second = rp.sign_in(&request, PERSON).await;
    assert!(second.verified.auth_time() > first.verified.auth_time());
}

/// `oidcc-max-age-10000`: no new login; same `sub` and `auth_time`.
#[tokio::test]
async fn oidcc_max_age_10000() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let clock = &fx.clock;
    let first = rp.sign_in(&rp.request(), PERSON).await;
    clock.advance(Duration::from_secs(2));
    let request = rp.request().set("max_age", "10000");
    let params = rp.authorize(&request).await.callback();
    let second = rp.finish(&request, &params).await;
    assert_eq!(second.verified.subject(), first.verified.subject());
    assert_eq!(second.verified.auth_time(), first.verified.auth_time());
}

/// `oidcc-ensure-request-with-unknown-parameter-succeeds`.
#[tokio::test]
async fn oidcc_ensure_request_with_unknown_parameter_succeeds() {
    let fx = fixture().await;
    let rp = &fx.rp;
    rp.sign_in(&rp.request().set("extra", "foobar"), PERSON)
        .await;
}

/// `oidcc-id-token-hint`: `prompt=none` with the previous ID token as `id_token_hint`
/// succeeds silently.
#[tokio::test]
async fn oidcc_id_token_hint() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let first = rp.sign_in(&rp.request(), PERSON).await;
    let request = rp
        .request()
        .set("prompt", "none")
        .set("id_token_hint", &first.id_token);
    let params = rp.authorize(&request).await.callback();
    let second = rp.finish(&request, &params).await;
    assert_eq!(second.verified.subject(), first.verified.subject());
}

/// `oidcc-login-hint`.
#[tokio::test]
async fn oidcc_login_hint() {
    let fx = fixture().await;
    let rp = &fx.rp;
    rp.sign_in(&rp.request().set("login_hint", PERSON), PERSON)
        .await;
}

/// `oidcc-ui-locales`: no error, and the login page honours the locale.
#[tokio::test]
async fn oidcc_ui_locales() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let request = rp.request().set("ui_locales", "sv");
    let transaction = rp.authorize(&request).await.transaction();
    let page = rp.login_page(&transaction).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("lang=\"sv\""), "{}", page.body);
    let params = rp.login(&transaction, PERSON).await.callback();
    rp.finish(&request, &params).await;
}

/// `oidcc-claims-locales`.
#[tokio::test]
async fn oidcc_claims_locales() {
    let fx = fixture().await;
    let rp = &fx.rp;
    rp.sign_in(&rp.request().set("claims_locales", "sv en"), PERSON)
        .await;
}

/// `oidcc-ensure-request-with-acr-values-succeeds`: the answer carries an `acr`.
#[tokio::test]
async fn oidcc_ensure_request_with_acr_values_succeeds() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let supported = rp.metadata["acr_values_supported"].as_array().unwrap();
    let acr = supported[0].as_str().unwrap().to_owned();
    let request = rp.request().set("acr_values", &format!("{acr} 1 2"));
    let tokens = rp.sign_in(&request, PERSON).await;
    assert!(tokens.verified.acr().is_some());
    assert_eq!(jwt_claims(&tokens.id_token)["acr"], acr.as_str());
}

/// `oidcc-codereuse`: a second redemption fails with `invalid_grant`.
#[tokio::test]
async fn oidcc_codereuse() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let request = rp.request();
    let transaction = rp.authorize(&request).await.transaction();
    let params = rp.login(&transaction, PERSON).await.callback();
    let code = params["code"].clone();
    assert_eq!(rp.redeem(&code, &request).await.status, StatusCode::OK);
    let again = rp.redeem(&code, &request).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.json()["error"], "invalid_grant");
}

/// `oidcc-codereuse-30seconds`: reused after 30 s, the code fails and the access token issued
/// from it is revoked.
#[tokio::test]
async fn oidcc_codereuse_30seconds() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let clock = &fx.clock;
    let request = rp.request();
    let transaction = rp.authorize(&request).await.transaction();
    let params = rp.login(&transaction, PERSON).await.callback();
    let code = params["code"].clone();
    let first = rp.redeem(&code, &request).await;
    assert_eq!(first.status, StatusCode::OK);
    let access_token = first.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(rp.userinfo_get(&access_token).await.status, StatusCode::OK);
    clock.advance(Duration::from_secs(30));
    let again = rp.redeem(&code, &request).await;
    assert_eq!(again.json()["error"], "invalid_grant");
    let after = rp.userinfo_get(&access_token).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert!(
        after
            .header("www-authenticate")
            .unwrap()
            .contains("invalid_token")
    );
}

/// `oidcc-ensure-registered-redirect-uri`: an unregistered redirect URI gets an error page,
/// never a redirect.
#[tokio::test]
async fn oidcc_ensure_registered_redirect_uri() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let registered = rp.client.redirect_uri.clone();
    for other in [
        format!("{registered}/extra"),
        format!("{registered}?x=1"),
        "https://attacker.example/cb".to_owned(),
    ] {
        let request = rp.request().set("redirect_uri", &other);
        let page = rp.authorize(&request).await.page();
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{other}");
        assert!(page.location().is_none());
    }
}

/// `oidcc-ensure-post-request-succeeds`: the authorization request by POST.
#[tokio::test]
async fn oidcc_ensure_post_request_succeeds() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let request = rp.request();
    let transaction = rp.authorize_post(&request).await.transaction();
    let params = rp.login(&transaction, PERSON).await.callback();
    rp.finish(&request, &params).await;
}

/// `oidcc-server-client-secret-post`: the happy path with `client_secret_post`.
#[tokio::test]
async fn oidcc_server_client_secret_post() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let rp = rp.with_client(crate::secret_post_client());
    let tokens = rp.sign_in(&rp.request(), PERSON).await;
    assert!(!tokens.verified.subject().is_empty());
}

/// `oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported`: a
/// `request_uri` that is not ours is rejected as unsupported.
#[tokio::test]
async fn oidcc_request_uri_unsigned_supported_correctly_or_rejected_as_unsupported() {
    let fx = fixture().await;
    let rp = &fx.rp;
    assert_ne!(rp.metadata["request_uri_parameter_supported"], true);
    let request = rp
        .request()
        .set("request_uri", "https://rp.example/request.jwt");
    let params = rp.authorize(&request).await.callback();
    assert_eq!(
        params.get("error").map(String::as_str),
        Some("request_uri_not_supported"),
        "{params:?}"
    );
}

/// `oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported`: an
/// unsigned request object is rejected, never silently ignored.
#[tokio::test]
async fn oidcc_unsigned_request_object_supported_correctly_or_rejected_as_unsupported() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let request = rp.request();
    let mut object = serde_json::Map::new();
    for (name, value) in &request.params {
        object.insert(name.clone(), value.clone().into());
    }
    let unsigned = format!(
        "{}.{}.",
        crate::b64(br#"{"alg":"none"}"#),
        crate::b64(serde_json::Value::Object(object).to_string().as_bytes())
    );
    let request = request.set("request", &unsigned);
    let params = rp.authorize(&request).await.callback();
    assert!(
        matches!(
            params.get("error").map(String::as_str),
            Some("request_not_supported" | "invalid_request_object")
        ),
        "{params:?}"
    );
    assert_eq!(params.get("code"), None);
}

/// `oidcc-claims-essential`: an essential `name` claim is delivered.
#[tokio::test]
async fn oidcc_claims_essential() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let claims = r#"{"userinfo":{"name":{"essential":true}}}"#;
    let request = rp.request().set("claims", claims);
    let tokens = rp.sign_in(&request, PERSON).await;
    let userinfo = rp.userinfo_get(&tokens.access_token).await.json();
    assert!(userinfo["name"].is_string(), "{userinfo}");
}

/// `oidcc-ensure-request-object-with-redirect-uri`: the request object's `redirect_uri` wins
/// over the outer one.
#[tokio::test]
async fn oidcc_ensure_request_object_with_redirect_uri() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let rp = rp.with_client(crate::private_key_jwt_client());
    let request = rp.request();
    let signed = crate::request_object(&rp, &request);
    let outer = request
        .clone()
        .set("redirect_uri", "https://rp.example/not-registered")
        .set("request", &signed);
    let params = rp.authorize(&outer).await;
    let params = match params {
        Step::Login { transaction } => rp.login(&transaction, PERSON).await.callback(),
        other => other.callback(),
    };
    rp.finish(&request, &params).await;
}

/// `oidcc-refresh-token`: a refresh token works, and only for its client.
#[tokio::test]
async fn oidcc_refresh_token() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let tokens = rp.sign_in(&rp.request(), PERSON).await;
    let refresh_token = tokens.json["refresh_token"]
        .as_str()
        .expect("the conformance client may refresh")
        .to_owned();
    let refreshed = rp
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh_token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK);
    let json: serde_json::Value = refreshed.json().await.unwrap();
    let id_token = json["id_token"].as_str().unwrap();
    let verified = rp.verify(id_token, None).await.unwrap();
    assert_eq!(verified.subject(), tokens.verified.subject());
    // Another client cannot use it.
    let other = rp.with_client(crate::secret_post_client());
    let stolen = other
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", json["refresh_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(stolen.status(), StatusCode::BAD_REQUEST);
    let json: serde_json::Value = stolen.json().await.unwrap();
    assert_eq!(json["error"], "invalid_grant");
}

/// `oidcc-ensure-request-with-valid-pkce-succeeds`; a wrong verifier fails.
#[tokio::test]
async fn oidcc_ensure_request_with_valid_pkce_succeeds() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let request = rp.request();
    rp.sign_in(&request, PERSON).await;
    // The session from the first login answers the second request without a login page.
    let mut wrong = rp.request();
    let params = rp.authorize(&wrong).await.callback();
    wrong.pkce = crate::rp::Pkce::new();
    let answer = rp.redeem(&params["code"], &wrong).await;
    assert_eq!(answer.json()["error"], "invalid_grant");
}

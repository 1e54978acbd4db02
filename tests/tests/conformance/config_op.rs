//! The Config OP plan (`oidcc-config-certification-test-plan`) and the discovery modules of
//! the logout plans (standards.md §9.1, §9.2).

use reqwest::StatusCode;

use crate::fixture;

/// `oidcc-discovery-endpoint-verification`: required fields, https-or-loopback endpoints under
/// the issuer, valid keys at `jwks_uri`, `scopes_supported` ∋ `openid`, response and subject
/// types, ID token algorithms without `none`, the claims parameter, and `issuer` equal to the
/// URL the document was fetched from. The RFC 8414 document says the same.
#[tokio::test]
async fn oidcc_discovery_endpoint_verification() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let metadata = &rp.metadata;
    assert_eq!(metadata["issuer"], rp.issuer.as_str());
    for field in [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
    ] {
        let url = metadata[field].as_str().unwrap();
        assert!(url.starts_with(&rp.issuer), "{field}: {url}");
    }
    let scopes = metadata["scopes_supported"].as_array().unwrap();
    assert!(scopes.iter().any(|s| s == "openid"));
    assert_eq!(
        metadata["response_types_supported"],
        serde_json::json!(["code"])
    );
    assert!(
        !metadata["subject_types_supported"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let algs = metadata["id_token_signing_alg_values_supported"]
        .as_array()
        .unwrap();
    assert!(algs.iter().any(|a| a == "RS256"));
    assert!(algs.iter().all(|a| a != "none"));
    assert_eq!(metadata["claims_parameter_supported"], true);
    assert_eq!(
        metadata["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    let auth_methods = metadata["token_endpoint_auth_methods_supported"]
        .as_array()
        .unwrap();
    assert!(auth_methods.iter().any(|m| m == "private_key_jwt"));
    let ui_locales = metadata["ui_locales_supported"].as_array().unwrap();
    assert!(ui_locales.iter().any(|l| l == "sv") && ui_locales.iter().any(|l| l == "en"));
    assert!(
        !metadata["acr_values_supported"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let jwks = rp.jwks().await;
    assert!(!jwks.keys().is_empty());
    for key in jwks.keys() {
        assert!(key.kid().is_some());
    }

    let rfc8414 = rp
        .get(&format!(
            "{}/.well-known/oauth-authorization-server",
            rp.issuer
        ))
        .await;
    assert_eq!(rfc8414.status, StatusCode::OK);
    assert_eq!(rfc8414.json()["issuer"], rp.issuer.as_str());
    assert_eq!(rfc8414.json()["token_endpoint"], metadata["token_endpoint"]);
}

/// `oidcc-rp-initiated-logout-discovery-endpoint-verification`: `end_session_endpoint`.
#[tokio::test]
async fn oidcc_rp_initiated_logout_discovery_endpoint_verification() {
    let fx = fixture().await;
    let rp = &fx.rp;
    let url = rp.metadata["end_session_endpoint"].as_str().unwrap();
    assert!(url.starts_with(&rp.issuer));
}

/// `oidcc-backchannel-logout-discovery-endpoint-verification`: back-channel logout with
/// `sid`, and the end-session endpoint.
#[tokio::test]
async fn oidcc_backchannel_logout_discovery_endpoint_verification() {
    let fx = fixture().await;
    let rp = &fx.rp;
    assert_eq!(rp.metadata["backchannel_logout_supported"], true);
    assert_eq!(rp.metadata["backchannel_logout_session_supported"], true);
    assert!(rp.metadata["end_session_endpoint"].is_string());
}

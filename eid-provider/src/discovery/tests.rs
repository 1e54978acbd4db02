use eid_core::assurance::LevelOfAssurance;
use eid_core::jose::JwsAlgorithm;
use serde_json::{Value, json};

use super::{
    DiscoveryError, Endpoint, Issuer, MAX_METADATA_JSON_BYTES, ProviderMetadata, UrlProblem,
};
use crate::keys::KeyRing;

fn issuer() -> Issuer {
    "https://eid.example".parse().unwrap()
}

fn metadata() -> ProviderMetadata {
    ProviderMetadata::builder(issuer())
        .id_token_signing_algorithms(vec![JwsAlgorithm::Rs256, JwsAlgorithm::Es256])
        .acr_values(vec![LevelOfAssurance::Loa3, LevelOfAssurance::Loa4])
        .build()
        .unwrap()
}

fn json_of(metadata: &ProviderMetadata) -> Value {
    serde_json::to_value(metadata).unwrap()
}

/// Serialises `metadata`, lets `edit` change the JSON, and reads it back.
fn reread(
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> Result<ProviderMetadata, DiscoveryError> {
    let mut value = json_of(&metadata());
    edit(value.as_object_mut().unwrap());
    ProviderMetadata::from_json(&serde_json::to_vec(&value).unwrap(), &issuer())
}

#[test]
fn document_has_every_required_field() {
    let json = json_of(&metadata());
    let required = [
        // OpenID Connect Discovery 1.0 §3 and RFC 8414 §2 REQUIRED.
        "issuer",
        "authorization_endpoint",
        "token_endpoint",
        "jwks_uri",
        "response_types_supported",
        "subject_types_supported",
        "id_token_signing_alg_values_supported",
        // OIDC-SE §5.2 and SC-OIDC §2.1.
        "userinfo_endpoint",
        "scopes_supported",
        "acr_values_supported",
        "token_endpoint_auth_methods_supported",
        "token_endpoint_auth_signing_alg_values_supported",
        "claims_supported",
        "claims_parameter_supported",
        "request_parameter_supported",
        "code_challenge_methods_supported",
        "ui_locales_supported",
        // Logout, RFC 9207, PAR.
        "end_session_endpoint",
        "backchannel_logout_supported",
        "backchannel_logout_session_supported",
        "frontchannel_logout_supported",
        "authorization_response_iss_parameter_supported",
        "pushed_authorization_request_endpoint",
    ];
    for field in required {
        assert!(json.get(field).is_some(), "{field} missing");
    }
    assert_eq!(json["issuer"], "https://eid.example");
    assert_eq!(
        json["authorization_endpoint"],
        "https://eid.example/authorize"
    );
    assert_eq!(json["token_endpoint"], "https://eid.example/token");
    assert_eq!(json["userinfo_endpoint"], "https://eid.example/userinfo");
    assert_eq!(json["jwks_uri"], "https://eid.example/jwks");
    assert_eq!(json["end_session_endpoint"], "https://eid.example/logout");
    assert_eq!(json["response_types_supported"], json!(["code"]));
    assert_eq!(json["subject_types_supported"], json!(["public"]));
    assert_eq!(
        json["id_token_signing_alg_values_supported"],
        json!(["RS256", "ES256"])
    );
    assert_eq!(
        json["token_endpoint_auth_methods_supported"],
        json!(["private_key_jwt"])
    );
    assert_eq!(
        json["token_endpoint_auth_signing_alg_values_supported"],
        json!(["RS256", "ES256", "PS256", "EdDSA"])
    );
    assert_eq!(json["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(json["ui_locales_supported"], json!(["sv", "en"]));
    assert_eq!(
        json["acr_values_supported"],
        json!([
            "http://id.elegnamnden.se/loa/1.0/loa3",
            "http://id.elegnamnden.se/loa/1.0/loa4"
        ])
    );
    assert_eq!(json["claims_parameter_supported"], true);
    assert_eq!(json["request_parameter_supported"], true);
    assert_eq!(json["request_uri_parameter_supported"], false);
    assert_eq!(json["authorization_response_iss_parameter_supported"], true);
    assert_eq!(json["backchannel_logout_supported"], true);
    assert_eq!(json["backchannel_logout_session_supported"], true);
    assert_eq!(json["frontchannel_logout_supported"], false);
    let scopes = json["scopes_supported"].as_array().unwrap();
    assert!(scopes.contains(&json!("openid")));
    assert!(scopes.contains(&json!("https://id.oidc.se/scope/naturalPersonNumber")));
    let claims = json["claims_supported"].as_array().unwrap();
    for claim in [
        "sub",
        "acr",
        "sid",
        "https://id.oidc.se/claim/personalIdentityNumber",
    ] {
        assert!(claims.contains(&json!(claim)), "{claim}");
    }
    // No oidc.se flag unless the parameter is supported.
    assert!(
        !json
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.starts_with("https://id.oidc.se/disco/"))
    );
}

#[test]
fn document_round_trips_through_serde() {
    let metadata = ProviderMetadata::builder(issuer())
        .user_message_supported(["text/plain", "text/markdown"])
        .authn_provider_supported(true)
        .original_client_id_supported(true)
        .original_client_token_supported(true)
        .service_documentation("https://eid.example/docs")
        .pairwise_subjects()
        .refresh_tokens()
        .require_pushed_authorization_requests(true)
        .request_uri_parameter_supported(true)
        .build()
        .unwrap();
    let text = serde_json::to_string(&metadata).unwrap();
    let back: ProviderMetadata = serde_json::from_str(&text).unwrap();
    assert_eq!(back, metadata);
    assert_eq!(
        ProviderMetadata::from_json(text.as_bytes(), &issuer()).unwrap(),
        metadata
    );
}

#[test]
fn oidc_se_flags_are_published_when_supported() {
    let metadata = ProviderMetadata::builder(issuer())
        .user_message_supported(["text/plain", "text/markdown"])
        .authn_provider_supported(true)
        .original_client_id_supported(true)
        .original_client_token_supported(true)
        .build()
        .unwrap();
    let json = json_of(&metadata);
    assert_eq!(json["https://id.oidc.se/disco/userMessageSupported"], true);
    assert_eq!(
        json["https://id.oidc.se/disco/userMessageSupportedMimeTypes"],
        json!(["text/plain", "text/markdown"])
    );
    assert_eq!(
        json["https://id.oidc.se/disco/authnProviderSupported"],
        true
    );
    assert_eq!(
        json["https://id.oidc.se/disco/originalClientIdSupported"],
        true
    );
    assert_eq!(
        json["https://id.oidc.se/disco/originalClientTokenSupported"],
        true
    );
}

#[test]
fn endpoints_follow_the_issuer_and_paths() {
    let issuer: Issuer = "https://eid.example/op/".parse().unwrap();
    let metadata = ProviderMetadata::builder(issuer)
        .endpoint(Endpoint::Token, "/oauth2/token")
        .without(Endpoint::Introspection)
        .without(Endpoint::Jwks) // required: stays
        .build()
        .unwrap();
    assert_eq!(
        metadata.token_endpoint(),
        "https://eid.example/op/oauth2/token"
    );
    assert_eq!(metadata.jwks_uri(), "https://eid.example/op/jwks");
    assert_eq!(
        metadata.pushed_authorization_request_endpoint(),
        Some("https://eid.example/op/par")
    );
    assert!(json_of(&metadata).get("introspection_endpoint").is_none());
}

#[test]
fn key_ring_algorithms_feed_the_document() {
    let ring = KeyRing::ephemeral().unwrap();
    let metadata = ProviderMetadata::builder(issuer())
        .id_token_signing_algorithms(ring.algorithms())
        .build()
        .unwrap();
    assert_eq!(metadata.id_token_signing_algorithms(), ring.algorithms());
}

#[test]
fn loopback_http_is_allowed_for_development() {
    for url in [
        "http://127.0.0.1:8080",
        "http://localhost:3000/op",
        "http://[::1]:8443",
        "http://127.1.2.3",
    ] {
        let issuer: Issuer = url.parse().unwrap();
        let metadata = ProviderMetadata::builder(issuer.clone()).build().unwrap();
        assert!(metadata.token_endpoint().starts_with("http://"));
        let text = serde_json::to_vec(&metadata).unwrap();
        ProviderMetadata::from_json(&text, &issuer).unwrap();
    }
}

#[test]
fn bad_issuers_are_refused() {
    let cases = [
        ("http://eid.example", UrlProblem::NotHttps),
        ("http://10.0.0.1", UrlProblem::NotHttps),
        ("ftp://eid.example", UrlProblem::NotHttps),
        ("eid.example", UrlProblem::NotAbsoluteUrl),
        ("/op", UrlProblem::NotAbsoluteUrl),
        ("", UrlProblem::NotAbsoluteUrl),
        ("https://eid.example?a=b", UrlProblem::Query),
        ("https://eid.example?", UrlProblem::Query),
        ("https://eid.example#x", UrlProblem::Fragment),
        ("https://eid.example#", UrlProblem::Fragment),
        ("https://user:pw@eid.example", UrlProblem::UserInfo),
        (" https://eid.example", UrlProblem::NotAbsoluteUrl),
        ("https://eid.example/\n", UrlProblem::NotAbsoluteUrl),
        ("https://eid.example/a b", UrlProblem::NotAbsoluteUrl),
        ("https://eid.exämple", UrlProblem::NotAbsoluteUrl),
    ];
    for (url, expected) in cases {
        let err = url.parse::<Issuer>().unwrap_err();
        assert!(
            matches!(err, DiscoveryError::InvalidIssuer { problem } if problem == expected),
            "{url}: {err:?}"
        );
        assert_eq!(err.reason(), "invalid_issuer");
    }
}

#[test]
fn issuer_is_kept_exactly() {
    let issuer: Issuer = "https://EID.example:443/Op".parse().unwrap();
    assert_eq!(issuer.as_str(), "https://EID.example:443/Op");
    assert_eq!(issuer.to_string(), "https://EID.example:443/Op");
    assert_ne!(issuer, "https://eid.example/Op".parse().unwrap());
}

#[test]
fn well_known_urls() {
    let root = issuer();
    assert_eq!(
        root.openid_configuration_url(),
        "https://eid.example/.well-known/openid-configuration"
    );
    assert_eq!(
        root.oauth_authorization_server_url(),
        "https://eid.example/.well-known/oauth-authorization-server"
    );
    let tenant: Issuer = "https://eid.example/tenant/".parse().unwrap();
    assert_eq!(
        tenant.openid_configuration_url(),
        "https://eid.example/tenant/.well-known/openid-configuration"
    );
    assert_eq!(
        tenant.oauth_authorization_server_url(),
        "https://eid.example/.well-known/oauth-authorization-server/tenant"
    );
}

#[test]
fn builder_refuses_what_the_profile_forbids() {
    let err = ProviderMetadata::builder(issuer())
        .scopes(["profile"])
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        DiscoveryError::MissingValue {
            field: "scopes_supported",
            value: "openid"
        }
    ));
    let err = ProviderMetadata::builder(issuer())
        .token_endpoint_auth_methods(["client_secret_basic"])
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        DiscoveryError::MissingValue {
            field: "token_endpoint_auth_methods_supported",
            ..
        }
    ));
    let err = ProviderMetadata::builder(issuer())
        .client_assertion_algorithms(vec![JwsAlgorithm::Es256])
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        DiscoveryError::MissingValue { value: "RS256", .. }
    ));
    let err = ProviderMetadata::builder(issuer())
        .id_token_signing_algorithms(Vec::new())
        .build()
        .unwrap_err();
    assert_eq!(err.reason(), "missing_value");
    let err = ProviderMetadata::builder(issuer())
        .endpoint(Endpoint::Token, "/token#frag")
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        DiscoveryError::InvalidEndpoint {
            field: "token_endpoint",
            problem: UrlProblem::Fragment
        }
    ));
    let err = ProviderMetadata::builder(issuer())
        .endpoint(Endpoint::Token, "token")
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        DiscoveryError::InvalidEndpoint {
            field: "token_endpoint",
            problem: UrlProblem::PathNotAbsolute
        }
    ));
    // The conformance client may add client_secret_basic beside private_key_jwt.
    ProviderMetadata::builder(issuer())
        .token_endpoint_auth_methods(["private_key_jwt", "client_secret_basic"])
        .build()
        .unwrap();
}

#[test]
fn read_documents_are_checked() {
    let err = reread(|d| {
        d.insert(
            "code_challenge_methods_supported".into(),
            json!(["S256", "plain"]),
        );
    })
    .unwrap_err();
    assert!(matches!(
        err,
        DiscoveryError::ForbiddenValue { value: "plain", .. }
    ));

    let err = reread(|d| {
        d.insert(
            "userinfo_endpoint".into(),
            json!("http://eid.example/userinfo"),
        );
    })
    .unwrap_err();
    assert!(matches!(
        err,
        DiscoveryError::InvalidEndpoint {
            field: "userinfo_endpoint",
            problem: UrlProblem::NotHttps
        }
    ));

    let err = reread(|d| {
        d.insert("claims_parameter_supported".into(), json!(false));
    })
    .unwrap_err();
    assert!(matches!(
        err,
        DiscoveryError::WrongFlag {
            field: "claims_parameter_supported",
            required: true
        }
    ));

    let err = reread(|d| {
        d.insert("ui_locales_supported".into(), json!(["en"]));
    })
    .unwrap_err();
    assert!(matches!(
        err,
        DiscoveryError::MissingValue { value: "sv", .. }
    ));

    let err = reread(|d| {
        d.insert(
            "id_token_signing_alg_values_supported".into(),
            json!(["none"]),
        );
    })
    .unwrap_err();
    assert_eq!(err.reason(), "malformed_metadata");

    let err = reread(|d| {
        d.remove("jwks_uri");
    })
    .unwrap_err();
    assert!(matches!(err, DiscoveryError::Json(_)));

    // Unknown members are ignored (OpenID Connect Discovery 1.0 §3).
    reread(|d| {
        d.insert("dpop_signing_alg_values_supported".into(), json!(["ES256"]));
    })
    .unwrap();
}

#[test]
fn issuer_must_be_the_url_used() {
    let text = serde_json::to_vec(&metadata()).unwrap();
    let other: Issuer = "https://eid.example/".parse().unwrap();
    let err = ProviderMetadata::from_json(&text, &other).unwrap_err();
    assert!(matches!(err, DiscoveryError::IssuerMismatch));
    assert_eq!(err.reason(), "issuer_mismatch");
}

proptest::proptest! {
    #[test]
    fn issuer_parsing_never_panics(value in "\\PC{0,80}") {
        if let Ok(issuer) = value.parse::<Issuer>() {
            proptest::prop_assert_eq!(issuer.as_str(), value.as_str());
            let _ = issuer.oauth_authorization_server_url();
        }
    }

    #[test]
    fn url_like_issuers_never_panic(path in "[a-zA-Z0-9/._~%?#:@-]{0,40}") {
        for prefix in ["https://eid.example", "http://127.0.0.1:8080", "https://"] {
            let value = format!("{prefix}{path}");
            if let Ok(issuer) = value.parse::<Issuer>() {
                let _ = issuer.oauth_authorization_server_url();
                let _ = ProviderMetadata::builder(issuer).build();
            }
        }
    }
}

#[test]
fn endpoint_table_is_consistent() {
    let builder = ProviderMetadata::builder(issuer());
    let metadata = Endpoint::ALL
        .iter()
        .fold(builder, |b, &e| b.endpoint(e, &format!("/x/{}", e.field())))
        .build()
        .unwrap();
    let json = json_of(&metadata);
    for endpoint in Endpoint::ALL {
        assert_eq!(
            json[endpoint.field()],
            format!("https://eid.example/x/{}", endpoint.field())
        );
    }
}

#[test]
fn oversized_documents_are_refused() {
    let padding = "x".repeat(MAX_METADATA_JSON_BYTES);
    let err = reread(|d| {
        d.insert("padding".into(), json!(padding));
    })
    .unwrap_err();
    assert!(matches!(err, DiscoveryError::TooLarge { .. }));
}

use eid_core::jose::{Jwks, JwsAlgorithm, SigningKey};

use super::*;

fn id(s: &str) -> ClientId {
    s.parse().unwrap()
}

fn uri(s: &str) -> RedirectUri {
    s.parse().unwrap()
}

fn problem(s: &str) -> Option<UriProblem> {
    match s.parse::<RedirectUri>() {
        Ok(_) => None,
        Err(ClientError::InvalidRedirectUri { problem }) => Some(problem),
        Err(other) => panic!("unexpected {other:?}"),
    }
}

#[test]
fn client_ids_are_bounded_vschar() {
    assert_eq!(id("e-service").as_str(), "e-service");
    assert!(matches!(
        "".parse::<ClientId>(),
        Err(ClientError::InvalidClientId)
    ));
    assert!(matches!(
        "a".repeat(MAX_CLIENT_ID_LEN + 1).parse::<ClientId>(),
        Err(ClientError::InvalidClientId)
    ));
    assert!("a".repeat(MAX_CLIENT_ID_LEN).parse::<ClientId>().is_ok());
    assert!(matches!(
        "tab\there".parse::<ClientId>(),
        Err(ClientError::InvalidClientId)
    ));
    assert!(matches!(
        "åäö".parse::<ClientId>(),
        Err(ClientError::InvalidClientId)
    ));
    assert!(serde_json::from_str::<ClientId>("\"\"").is_err());
    assert_eq!(
        serde_json::from_str::<ClientId>("\"a b:c\"").unwrap(),
        id("a b:c")
    );
}

#[test]
fn redirect_uris_are_checked_and_kept_verbatim() {
    for good in [
        "https://e-service.example/cb",
        "https://e-service.example:8443/cb?x=1",
        "https://E-Service.example",
        "http://127.0.0.1:8080/cb",
        "http://[::1]:8080/cb",
        "https://[2001:db8::1]/cb",
    ] {
        assert_eq!(problem(good), None, "{good}");
        assert_eq!(uri(good).as_str(), good);
    }
    assert_eq!(
        problem("https://e.example/cb#frag"),
        Some(UriProblem::Fragment)
    );
    assert_eq!(problem("/cb"), Some(UriProblem::Scheme));
    assert_eq!(problem("HTTPS://e.example/cb"), Some(UriProblem::Scheme));
    assert_eq!(problem("javascript:alert(1)"), Some(UriProblem::Scheme));
    assert_eq!(problem("https:///cb"), Some(UriProblem::Authority));
    assert_eq!(problem("https://e_x.example/"), Some(UriProblem::Authority));
    assert_eq!(problem("https://[::1/cb"), Some(UriProblem::Authority));
    assert_eq!(
        problem("https://user@e.example/"),
        Some(UriProblem::UserInfo)
    );
    assert_eq!(problem("https://e.example:0/"), Some(UriProblem::Port));
    assert_eq!(problem("https://e.example:65536/"), Some(UriProblem::Port));
    assert_eq!(problem("https://e.example:/"), Some(UriProblem::Port));
    assert_eq!(
        problem("http://e.example/cb"),
        Some(UriProblem::InsecureHttp)
    );
    assert_eq!(
        problem("http://localhost/cb"),
        Some(UriProblem::InsecureHttp)
    );
    assert_eq!(
        problem("https://e.example/a b"),
        Some(UriProblem::Character)
    );
    assert_eq!(problem("https://e.example/å"), Some(UriProblem::Character));
    let long = format!("https://e.example/{}", "a".repeat(MAX_URI_LEN));
    assert_eq!(problem(&long), Some(UriProblem::TooLong));
    // Exact string equality, no normalisation.
    assert_ne!(uri("https://e.example/cb"), uri("https://e.example/cb/"));
    assert_ne!(uri("https://e.example/cb"), uri("https://E.example/cb"));
}

fn secret() -> ClientSecret {
    ClientSecret::from_presented("s3cret").unwrap()
}

fn jwks() -> Jwks {
    let key = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    Jwks::new(vec![key.public_jwk()]).unwrap()
}

fn builder(method: ClientAuthMethod) -> ClientBuilder {
    Client::builder(id("c"), method).redirect_uri(uri("https://c.example/cb"))
}

#[test]
fn builder_checks_the_registration() {
    use ClientAuthMethod::*;
    let client = builder(ClientSecretBasic)
        .secret(&secret())
        .build()
        .unwrap();
    assert!(client.secret_matches(&secret()));
    assert!(!client.secret_matches(&ClientSecret::from_presented("s3cret!").unwrap()));
    assert_eq!(client.grant_types(), &[GrantType::AuthorizationCode]);
    assert_eq!(client.scopes(), &["openid".to_owned()]);
    assert_eq!(client.id_token_signed_response_alg(), JwsAlgorithm::Rs256);
    assert!(client.allows_scope("openid"));
    assert!(!client.is_public());

    assert!(matches!(
        builder(ClientSecretPost).build(),
        Err(ClientError::SecretMismatch {
            method: ClientSecretPost
        })
    ));
    assert!(matches!(
        builder(PrivateKeyJwt)
            .secret(&secret())
            .jwks(jwks())
            .build(),
        Err(ClientError::SecretMismatch {
            method: PrivateKeyJwt
        })
    ));
    assert!(matches!(
        builder(PrivateKeyJwt).build(),
        Err(ClientError::JwksMismatch {
            method: PrivateKeyJwt
        })
    ));
    assert!(matches!(
        builder(PrivateKeyJwt).jwks(Jwks::default()).build(),
        Err(ClientError::JwksMismatch {
            method: PrivateKeyJwt
        })
    ));
    assert!(matches!(
        builder(None).jwks(jwks()).build(),
        Err(ClientError::JwksMismatch { method: None })
    ));
    let public = builder(None).build().unwrap();
    assert!(public.is_public());
    assert!(!public.secret_matches(&secret()));
    assert!(matches!(
        builder(PrivateKeyJwt)
            .jwks(jwks())
            .assertion_algorithms(vec![JwsAlgorithm::Es384])
            .build(),
        Err(ClientError::AssertionAlgorithmNotAllowed {
            algorithm: JwsAlgorithm::Es384
        })
    ));
    assert!(matches!(
        Client::builder(id("c"), None).build(),
        Err(ClientError::NoRedirectUri)
    ));
    assert!(matches!(
        Client::builder(id("c"), None)
            .grant_type(GrantType::RefreshToken)
            .build(),
        Err(ClientError::RefreshWithoutCode)
    ));
    assert!(matches!(
        builder(None).scope("open id").build(),
        Err(ClientError::InvalidScope)
    ));
    let mut many = builder(None);
    for i in 0..MAX_REDIRECT_URIS {
        many = many.redirect_uri(uri(&format!("https://c.example/{i}")));
    }
    assert!(matches!(
        many.build(),
        Err(ClientError::TooMany { count: 33, max: 32 })
    ));
}

#[tokio::test]
async fn static_clients_find_by_exact_id() {
    let a = builder(ClientAuthMethod::None).build().unwrap();
    let registry = StaticClients::new(vec![a]).unwrap();
    assert!(registry.client(&id("c")).await.unwrap().is_some());
    assert!(registry.client(&id("C")).await.unwrap().is_none());
    let dup = vec![
        builder(ClientAuthMethod::None).build().unwrap(),
        builder(ClientAuthMethod::None).build().unwrap(),
    ];
    let error = StaticClients::new(dup).unwrap_err();
    assert!(matches!(&error, ClientError::DuplicateClient { id } if id.as_str() == "c"));
    assert_eq!(error.reason(), "duplicate_client");
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn identifier_parsers_never_panic(text in "\\PC{0,64}", uri in "(https?://)?[\\x20-\\x7e]{0,64}") {
            let _ = text.parse::<ClientId>();
            let _ = text.parse::<RedirectUri>();
            if let Ok(parsed) = uri.parse::<RedirectUri>() {
                // Accepted URIs are kept verbatim and never carry a fragment.
                prop_assert_eq!(parsed.as_str(), uri.as_str());
                prop_assert!(!uri.contains('#'));
                prop_assert!(uri.starts_with("https://") || uri.starts_with("http://"));
            }
        }
    }
}

#[test]
fn a_client_may_carry_its_own_acr_matching_and_default_levels() {
    use eid_core::assurance::{LevelOfAssurance, MAX_LEVELS, Matching};
    let plain = Client::builder(id("plain"), ClientAuthMethod::None)
        .redirect_uri(uri("https://rp.example/cb"))
        .build()
        .unwrap();
    assert_eq!(plain.acr_matching(), None);
    assert!(plain.default_acr_values().is_empty());
    let many: Vec<LevelOfAssurance> = LevelOfAssurance::all()
        .iter()
        .copied()
        .chain([LevelOfAssurance::Loa3])
        .collect();
    let own = Client::builder(id("own"), ClientAuthMethod::None)
        .redirect_uri(uri("https://rp.example/cb"))
        .acr_matching(Matching::Minimum)
        .default_acr_values(vec![
            LevelOfAssurance::Loa3,
            LevelOfAssurance::Loa3,
            LevelOfAssurance::Loa4,
        ])
        .build()
        .unwrap();
    assert_eq!(own.acr_matching(), Some(Matching::Minimum));
    assert_eq!(
        own.default_acr_values(),
        [LevelOfAssurance::Loa3, LevelOfAssurance::Loa4]
    );
    let capped = Client::builder(id("capped"), ClientAuthMethod::None)
        .redirect_uri(uri("https://rp.example/cb"))
        .default_acr_values(many)
        .build()
        .unwrap();
    assert_eq!(
        capped.default_acr_values().len(),
        MAX_LEVELS.min(LevelOfAssurance::all().len())
    );
}

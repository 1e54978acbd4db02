use super::*;

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("eid-idp-mock-config-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_defaults_are_safe_and_useful() {
    let config = MockConfig::default();
    assert!(!config.control_api);
    assert!(!config.insecure_skip_login_binding);
    assert!(config.builtin_persons);
    assert!(config.clients.is_empty());
    assert_eq!(config.port, 0);
    assert_eq!(config.profile, Profile::BankIdLike);
}

#[test]
fn the_builtin_clients_are_registered_as_documented() {
    let clients = builtin_clients().unwrap();
    let ids: Vec<&str> = clients.iter().map(|c| c.id().as_str()).collect();
    assert_eq!(
        ids,
        [
            "mock-client-secret-basic",
            "mock-client-secret-post",
            "mock-private-key-jwt",
            "mock-public"
        ]
    );
    let secret = ClientSecret::from_presented(TEST_CLIENT_SECRET).unwrap();
    assert!(clients[0].secret_matches(&secret));
    assert!(clients[1].secret_matches(&secret));
    assert!(clients[3].is_public());
    let key =
        SigningKey::from_pkcs8_pem(TEST_CLIENT_KEY_PEM.as_bytes(), JwsAlgorithm::Es256).unwrap();
    assert!(clients[2].jwks().unwrap().find(key.kid()).is_some());
    for client in &clients {
        assert_eq!(client.redirect_uris().len(), TEST_REDIRECT_URIS.len());
        assert!(client.allows_scope("https://id.oidc.se/scope/naturalPersonNumber"));
        assert_eq!(client.id_token_signed_response_alg(), JwsAlgorithm::Es256);
    }
}

#[test]
fn a_configuration_file_is_read_with_its_persons_file() {
    let dir = TempDir::new("good");
    dir.write(
        "persons.json",
        r#"{"persons": [{"id": "x", "display_name": "X", "claims": {}}]}"#,
    );
    let path = dir.write(
        "mock.json",
        r#"{
            "issuer": "http://127.0.0.1:9090",
            "port": 9090,
            "profile": "workplace",
            "persons_file": "persons.json",
            "builtin_persons": false,
            "control_api": true,
            "key_set": "single",
            "session_rules": "sweden_connect",
            "subject_key": "sixteen bytes or more",
            "clients": [{
                "client_id": "my-e-service",
                "auth_method": "client_secret_basic",
                "client_secret": "a-long-test-secret",
                "redirect_uris": ["http://127.0.0.1:3000/callback"],
                "refresh_tokens": true,
                "scopes": ["openid", "profile"]
            }]
        }"#,
    );
    let config = MockConfig::from_file(&path).unwrap();
    assert_eq!(config.issuer.as_deref(), Some("http://127.0.0.1:9090"));
    assert_eq!(config.port, 9090);
    assert_eq!(config.profile, Profile::Workplace);
    assert!(!config.builtin_persons);
    assert!(config.persons_json.is_some());
    assert!(config.control_api);
    assert_eq!(config.key_set, KeySet::Single);
    assert_eq!(config.provider.session_rules, SessionRules::SwedenConnect);
    assert_eq!(config.clients.len(), 1);
    let client = &config.clients[0];
    assert!(client.allows_scope("profile"));
    assert!(!client.allows_scope("email"));
    assert!(client.grant_types().contains(&GrantType::RefreshToken));
}

#[test]
fn configuration_errors_name_their_key_path() {
    let dir = TempDir::new("bad");
    let client = |extra: &str| {
        format!(
            r#"{{"clients": [{{"client_id": "ok", "auth_method": "none", "redirect_uris": ["http://127.0.0.1/cb"]}},
                {{"client_id": "c", "auth_method": "client_secret_post", {extra}}}]}}"#
        )
    };
    let cases = [
        (
            client(
                r#""client_secret": "s3cret", "redirect_uris": ["http://e-service.example/cb"]"#,
            ),
            "clients[1].redirect_uris[0]",
        ),
        (
            client(r#""redirect_uris": ["http://127.0.0.1/cb"]"#),
            "clients[1]: ",
        ),
        (
            client(r#""client_secret": "s", "redirect_uris": [], "colour": "red""#),
            "unknown field `colour`",
        ),
        (r#"{"issuer": "http://idp.example"}"#.to_owned(), "issuer: "),
        (r#"{"subject_key": "short"}"#.to_owned(), "subject_key: "),
        (
            r#"{"profile": "bank"}"#.to_owned(),
            "unknown variant `bank`",
        ),
        (
            r#"{"persons_file": "missing.json"}"#.to_owned(),
            "missing.json",
        ),
    ];
    for (json, expected) in cases {
        let path = dir.write("mock.json", &json);
        let error = MockConfig::from_file(&path).unwrap_err().to_string();
        assert!(error.contains(expected), "{error} (expected {expected})");
    }
    let missing = MockConfig::from_file(&dir.0.join("nothing.json")).unwrap_err();
    assert!(matches!(missing, ConfigError::Read { .. }));
}

#[test]
fn the_client_secret_is_never_echoed() {
    let dir = TempDir::new("secret");
    let path = dir.write(
        "mock.json",
        r#"{"clients": [{"client_id": "c", "auth_method": "private_key_jwt",
            "client_secret": "do-not-print-me", "redirect_uris": ["http://127.0.0.1/cb"]}]}"#,
    );
    let error = MockConfig::from_file(&path).unwrap_err().to_string();
    assert!(error.starts_with("clients[0]: "), "{error}");
    assert!(!error.contains("do-not-print-me"));
}

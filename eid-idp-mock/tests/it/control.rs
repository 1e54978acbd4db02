//! The control API: off by default, JSON when on; the in-process API.

use eid_idp_mock::scenario::Scenario;
use eid_idp_mock::{MockConfig, MockIdp};

use crate::http::request;

#[tokio::test]
async fn the_control_api_is_off_by_default() {
    let mock = MockIdp::start(MockConfig::default()).await.unwrap();
    let (status, _) = request(
        mock.address(),
        "POST",
        "/mock/scenario",
        Some("application/json"),
        r#"{"scenario":"cancel"}"#,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = request(
        mock.address(),
        "POST",
        "/mock/next-claims",
        Some("application/json"),
        r#"{"claims":{}}"#,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(mock.app().queued_scenarios(), 0);
}

#[tokio::test]
async fn the_control_api_queues_scenarios_and_claims_when_on() {
    let mock = MockIdp::start(MockConfig::default().with_control_api())
        .await
        .unwrap();
    let address = mock.address();
    let json = Some("application/json");
    let (status, _) = request(
        address,
        "POST",
        "/mock/scenario",
        json,
        r#"{"scenario":"invalid_nonce"}"#,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = request(
        address,
        "POST",
        "/mock/scenario",
        json,
        r#"{"scenario":"slow","delay_ms":5}"#,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(mock.app().queued_scenarios(), 2);

    // Bad input: an error, and nothing queued.
    let (status, body) = request(
        address,
        "POST",
        "/mock/scenario",
        json,
        r#"{"scenario":"explode"}"#,
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("\"error\":\"invalid_request\""), "{body}");
    let (status, _) = request(
        address,
        "POST",
        "/mock/scenario",
        Some("text/plain"),
        "cancel",
    )
    .await;
    assert_eq!(status, 415);
    let (status, _) = request(address, "GET", "/mock/scenario", None, "").await;
    assert_eq!(status, 405);
    assert_eq!(mock.app().queued_scenarios(), 2);

    let (status, _) = request(
        address,
        "POST",
        "/mock/next-claims",
        json,
        r#"{"claims":{"given_name":"Ersatz","https://id.oidc.se/claim/personalIdentityNumber":"198501022381"},
            "acr":"http://id.elegnamnden.se/loa/1.0/loa4"}"#,
    )
    .await;
    assert_eq!(status, 204);
    for (body, problem) in [
        (
            r#"{"claims":{"https://id.oidc.se/claim/personalIdentityNumber":"198501022382"}}"#,
            "claims: ",
        ),
        (r#"{"claims":{}, "acr":"loa9"}"#, "acr: "),
        (
            r#"{"claims":{"https://id.oidc.se/claim/personalIdentityNumber":"198501022381"},
                "acr":"http://id.swedenconnect.se/loa/1.0/loa3-nonresident"}"#,
            "acr: ",
        ),
        (r#"{"claims":{}, "colour":"red"}"#, "not the expected JSON"),
    ] {
        let (status, answer) = request(address, "POST", "/mock/next-claims", json, body).await;
        assert_eq!(status, 400, "{body}");
        assert!(answer.contains(problem), "{answer}");
        assert!(!answer.contains("198501022382"), "{answer}");
    }
}

#[tokio::test]
async fn the_in_process_api_queues_and_each_mock_has_its_own_port() {
    let first = MockIdp::start(MockConfig::default()).await.unwrap();
    let second = MockIdp::start(MockConfig::default()).await.unwrap();
    assert_ne!(first.address(), second.address());
    assert_eq!(
        first.issuer().as_str(),
        format!("http://127.0.0.1:{}", first.address().port())
    );
    first.enqueue_scenario(Scenario::Cancel);
    first.enqueue_scenario(Scenario::AlgNone);
    assert_eq!(first.app().queued_scenarios(), 2);
    assert_eq!(second.app().queued_scenarios(), 0);
    assert_eq!(
        first.app().subject_of("astrid"),
        second.app().subject_of("astrid")
    );
    assert_eq!(first.app().subject_of("nobody"), None);
}

#[tokio::test]
async fn a_stopped_mock_no_longer_listens() {
    let mock = MockIdp::start(MockConfig::default()).await.unwrap();
    let address = mock.address();
    assert!(tokio::net::TcpStream::connect(address).await.is_ok());
    mock.stop().await;
    assert!(tokio::net::TcpStream::connect(address).await.is_err());
}

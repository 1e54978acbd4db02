//! The demo: its e-service as a relying party, and the whole `demo` over real HTTP.

use std::sync::Arc;

use eid_broker::demo::eservice::{EService, EServiceConfig};
use eid_core::claims::Scope;
use eid_core::clock::SystemClock;
use eid_core::jose::JwsAlgorithm;
use eid_idp_mock::profile::Profile;
use eid_idp_mock::{MockConfig, MockIdp};
use eid_provider::client::{Client, ClientAuthMethod, GrantType};
use eid_provider::http::Server;
use eid_provider::secret::ClientSecret;
use reqwest::StatusCode;
use reqwest::Url;

use crate::browser::{Browser, location, query_param};

const SECRET: &str = "demo-e-service-secret-for-this-test-only";

/// A mock IdP with the e-service at `base` registered as a client.
async fn mock_for(base: &str, profile: Profile) -> MockIdp {
    let mut builder = Client::builder(
        "demo-e-service".parse().unwrap(),
        ClientAuthMethod::ClientSecretBasic,
    )
    .secret(&ClientSecret::from_presented(SECRET).unwrap())
    .redirect_uri(format!("{base}/demo/callback").parse().unwrap())
    .grant_type(GrantType::AuthorizationCode)
    .id_token_signed_response_alg(JwsAlgorithm::Es256);
    for scope in Scope::ALL {
        builder = builder.scope(scope.as_str());
    }
    let mut config = MockConfig::default();
    config.profile = profile;
    config.clients = vec![builder.build().unwrap()];
    MockIdp::start(config).await.unwrap()
}

async fn eservice_against(profile: Profile) -> (Server, MockIdp, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mock = mock_for(&base, profile).await;
    let eservice = EService::new(EServiceConfig {
        base_url: base.clone(),
        issuer: mock.issuer().as_str().to_owned(),
        client_id: "demo-e-service".to_owned(),
        client_secret: SECRET.to_owned(),
        form_action_origins: vec![mock.issuer().as_str().to_owned()],
        clock: Arc::new(SystemClock),
    })
    .unwrap();
    let server = Server::start(listener, eservice.router()).unwrap();
    (server, mock, base)
}

/// Logs in at the upstream login page reached at `page` as `person`; the answer to the form.
async fn pick_person(browser: &Browser, page: &Url, person: &str) -> reqwest::Response {
    let transaction = query_param(page, "transaction").unwrap();
    let mut form_url = page.clone();
    form_url.set_query(None);
    browser
        .post_form(
            form_url.as_str(),
            &[("transaction", transaction.as_str()), ("person", person)],
        )
        .await
}

#[tokio::test]
async fn the_e_service_start_page_is_accessible_and_strict() {
    let (_server, _mock, base) = eservice_against(Profile::BankIdLike).await;
    let browser = Browser::new();
    let response = browser.get(&format!("{base}/")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("style-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains("<label for=\"level\">"));
    assert!(!html.contains("<script") && !html.contains("style="));
    let english = browser
        .get(&format!("{base}/?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(english.contains("<html lang=\"en\">") && english.contains("Log in"));
    let css = browser.get(&format!("{base}/demo/demo.css")).await;
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}

#[tokio::test]
async fn the_e_service_logs_in_and_verifies_against_an_oidc_provider() {
    let (_server, mock, base) = eservice_against(Profile::BankIdLike).await;
    let browser = Browser::new();
    let (page, response) = browser
        .follow(&format!("{base}/demo/login?level=loa3&lang=en"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(page.as_str().starts_with(mock.issuer().as_str()), "{page}");
    let answer = pick_person(&browser, &page, "astrid").await;
    let callback = location(&page, &answer);
    assert!(
        callback
            .as_str()
            .starts_with(&format!("{base}/demo/callback?"))
    );
    let result = browser.get(callback.as_str()).await;
    let status = result.status();
    let html = result.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Logged in"), "{html}");
    assert!(html.contains("http://id.elegnamnden.se/loa/1.0/loa3"));
    assert!(
        html.contains("198501012382"),
        "the verified number is shown: {html}"
    );
    assert!(html.contains(&mock.app().subject_of("astrid").unwrap()));

    // The code and the state are single use: the same callback again is refused.
    let again = browser.get(callback.as_str()).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again.text().await.unwrap().contains("unknown_state"));
}

#[tokio::test]
async fn the_e_service_refuses_a_level_the_provider_did_not_reach() {
    // The BankID-like mock authenticates at loa3; the e-service requires loa4.
    let (_server, _mock, base) = eservice_against(Profile::BankIdLike).await;
    let browser = Browser::new();
    let (page, _) = browser
        .follow(&format!("{base}/demo/login?level=loa4"))
        .await;
    // The mock treats `acr_values` as voluntary: it logs the person in at loa3 anyway.
    let answer = pick_person(&browser, &page, "astrid").await;
    let callback = location(&page, &answer);
    let response = browser.get(callback.as_str()).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Inte inloggad"), "{html}");
    assert!(html.contains("<code>acr_not_satisfied</code>"), "{html}");
    assert!(!html.contains("198501012382"));
}

#[tokio::test]
async fn the_e_service_refuses_a_callback_from_another_browser_and_bad_input() {
    let (_server, _mock, base) = eservice_against(Profile::BankIdLike).await;
    let browser = Browser::new();
    let (page, _) = browser
        .follow(&format!("{base}/demo/login?level=loa3"))
        .await;
    let answer = pick_person(&browser, &page, "bertil").await;
    let callback = location(&page, &answer);
    // Another browser (no binding cookie) presents the callback.
    let other = Browser::new();
    let response = other.get(callback.as_str()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("other_browser"));

    let response = browser.get(&format!("{base}/demo/login?level=loa9")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = browser
        .get(&format!("{base}/demo/callback?code=x&state=unknown"))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_cancelled_login_says_so() {
    let (_server, _mock, base) = eservice_against(Profile::BankIdLike).await;
    let browser = Browser::new();
    let (page, _) = browser
        .follow(&format!("{base}/demo/login?level=loa3&lang=en"))
        .await;
    let transaction = query_param(&page, "transaction").unwrap();
    let mut form_url = page.clone();
    form_url.set_query(None);
    let answer = browser
        .post_form(
            form_url.as_str(),
            &[("transaction", transaction.as_str()), ("cancel", "1")],
        )
        .await;
    let callback = location(&page, &answer);
    let html = browser.get(callback.as_str()).await.text().await.unwrap();
    assert!(html.contains("The login was cancelled."), "{html}");
    assert!(html.contains("access_denied"));
}

// ---- The whole demo ----

/// Walks a login through the demo from the e-service's login URL: picks `upstream` on the
/// choice page if it is shown, `person` at the mock; the e-service's result page.
pub(crate) async fn demo_login(
    browser: &Browser,
    base: &str,
    level: &str,
    upstream: &str,
    person: &str,
) -> (StatusCode, String) {
    let mut url = Url::parse(&format!("{base}/demo/login?level={level}&lang=en")).unwrap();
    let mut response = browser.get(url.as_str()).await;
    for _ in 0..30 {
        if response.status().is_redirection() {
            url = location(&url, &response);
            response = browser.get(url.as_str()).await;
            continue;
        }
        let status = response.status();
        let body = response.text().await.unwrap();
        if url.path() == "/demo/callback" {
            return (status, body);
        }
        assert_eq!(status, StatusCode::OK, "{url}: {body}");
        let transaction = query_param(&url, "transaction")
            .unwrap_or_else(|| panic!("a page without a transaction: {url}: {body}"));
        if url.as_str().starts_with(&format!("{base}/choose")) {
            assert!(body.contains(upstream), "{body}");
            url = url.join("/choose").unwrap();
            response = browser
                .post_form(
                    url.as_str(),
                    &[
                        ("transaction", transaction.as_str()),
                        ("upstream", upstream),
                    ],
                )
                .await;
        } else {
            assert!(!url.as_str().starts_with(base), "at {url}, expected a mock");
            url = url.join("/login").unwrap();
            response = browser
                .post_form(
                    url.as_str(),
                    &[("transaction", transaction.as_str()), ("person", person)],
                )
                .await;
        }
    }
    panic!("the login did not end");
}

/// `(level, upstream, person, the acr the e-service shows)` for a login through each upstream.
pub(crate) const THROUGH_EACH: [(&str, &str, &str, &str); 4] = [
    (
        "loa3",
        "bankid",
        "astrid",
        "http://id.elegnamnden.se/loa/1.0/loa3",
    ),
    (
        "loa4",
        "idcard",
        "bertil",
        "http://id.elegnamnden.se/loa/1.0/loa4",
    ),
    (
        "loa2",
        "workplace",
        "eva",
        "http://id.elegnamnden.se/loa/1.0/loa3",
    ),
    (
        "eidas-substantial",
        "eidas",
        "giulia",
        "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub",
    ),
];

#[tokio::test]
async fn the_demo_logs_in_through_each_upstream() {
    let demo = eid_broker::demo::start(0).await.unwrap();
    assert_eq!(demo.url(), format!("{}/", demo.base_url()));
    assert_eq!(demo.issuer(), demo.base_url());
    let mut subjects = Vec::new();
    for (level, upstream, person, acr) in THROUGH_EACH {
        // A fresh browser each time: no broker session carries over.
        let browser = Browser::new();
        let (status, html) = demo_login(&browser, &demo.base_url(), level, upstream, person).await;
        assert_eq!(status, StatusCode::OK, "{upstream}: {html}");
        assert!(html.contains("You are logged in."), "{upstream}: {html}");
        assert!(
            html.contains(&format!("<code>{acr}</code>")),
            "{upstream}: {html}"
        );
        let sub = html
            .split("Pseudonym (sub)</th><td><code>")
            .nth(1)
            .and_then(|rest| rest.split("</code>").next())
            .unwrap()
            .to_owned();
        subjects.push(sub);
    }
    let expected_numbers = [
        ("bankid", "198501012382"),
        ("idcard", "195201161857"),
        ("workplace", "199001012385"),
    ];
    assert_eq!(subjects.len(), 4);
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 4, "four persons, four pseudonyms");

    // The audit log has one success line per login, with the pseudonym and no number.
    let lines = demo.audit_lines();
    assert_eq!(lines.len(), 4, "{lines:#?}");
    for (line, (_, upstream, _, acr)) in lines.iter().zip(THROUGH_EACH) {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(event["event"], "login");
        assert_eq!(event["outcome"], "success", "{line}");
        assert_eq!(event["client"], "demo-e-service");
        assert_eq!(event["upstream"], upstream);
        assert_eq!(event["level"], acr);
        assert!(subjects.contains(&event["subject"].as_str().unwrap().to_owned()));
        for (_, number) in expected_numbers {
            assert!(!line.contains(number), "{line}");
        }
    }

    // The metrics count them.
    let metrics = reqwest::get(format!("{}/metrics", demo.base_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (_, upstream, _, acr) in THROUGH_EACH {
        let line = format!(
            "eid_broker_logins_total{{upstream=\"{upstream}\",level=\"{acr}\",outcome=\"success\"}} 1\n"
        );
        assert!(metrics.contains(&line), "{line} in {metrics}");
    }
    demo.stop().await.unwrap();
}

#[tokio::test]
async fn the_demo_shows_a_cancelled_login() {
    let demo = eid_broker::demo::start(0).await.unwrap();
    let browser = Browser::new();
    // eIDAS substantial: only the eIDAS node qualifies, so there is no choice page.
    let (page, response) = browser
        .follow(&format!(
            "{}/demo/login?level=eidas-substantial",
            demo.base_url()
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let eidas = demo.mock("eidas").unwrap().issuer().as_str().to_owned();
    assert!(page.as_str().starts_with(&eidas), "{page}");
    let transaction = query_param(&page, "transaction").unwrap();
    let answer = browser
        .post_form(
            page.join("/login").unwrap().as_str(),
            &[("transaction", transaction.as_str()), ("cancel", "1")],
        )
        .await;
    let (_, result) = browser.follow(location(&page, &answer).as_str()).await;
    let html = result.text().await.unwrap();
    assert!(html.contains("Inloggningen avbröts."), "{html}");
    let lines = demo.audit_lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let event: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(event["outcome"], "cancelled");
    assert_eq!(event["subject"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_stopped_demo_no_longer_listens() {
    let demo = eid_broker::demo::start(0).await.unwrap();
    let base = demo.base_url();
    let mock = demo.mock("bankid").unwrap().issuer().as_str().to_owned();
    assert!(demo.mock("nosuch").is_none());
    let banner = demo.banner();
    assert!(banner.contains(&format!("Open {base}/")), "{banner}");
    assert!(
        banner.contains(&mock) && banner.contains("giulia"),
        "{banner}"
    );
    demo.stop().await.unwrap();
    for url in [base, mock] {
        let addr = Url::parse(&url).unwrap().socket_addrs(|| None).unwrap()[0];
        assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "{url}");
    }
}

//! Unit tests of the HTTP layer's pieces that need the engine's non-exhaustive outcomes
//! (crafted here): the form-post page, redirects, the cookie, the error mapping, back-channel
//! delivery; and the request readers.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::Router;
use axum::body::to_bytes;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE,
    WWW_AUTHENTICATE,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use ring::rand::SystemRandom;
use tokio::sync::mpsc;

use super::backchannel::{Backchannel, DeliveryError};
use super::browser::{answer_authorize, answer_end_session, respond};
use super::error::{bearer_error, client_error, public_description, status_of};
use super::locale::Locale;
use super::request::{
    BearerToken, SESSION_COOKIE, bearer_token, parse_urlencoded, session_cookie,
    session_cookie_name,
};
use super::site::Site;
use super::{Authenticator, Logins, Server, Shared};
use crate::client::StaticClients;
use crate::discovery::ProviderMetadata;
use crate::keys::KeyRing;
use crate::oauth_error::{OAuthError, OAuthErrorCode};
use crate::provider::{
    AuthorizationResponse, AuthorizeOutcome, BackchannelLogout, EndSession, EndSessionOutcome,
    PendingLogin, Prompt, Provider, ResponseMode,
};
use crate::store::{SessionId, TransactionId};

fn provider(issuer: &str) -> Arc<Provider> {
    let metadata = ProviderMetadata::builder(issuer.parse().unwrap())
        .build()
        .unwrap();
    let clients = Arc::new(StaticClients::new(Vec::new()).unwrap());
    Arc::new(
        Provider::builder(metadata, clients, KeyRing::ephemeral().unwrap())
            .build()
            .unwrap(),
    )
}

/// Records the logins it is asked to begin, and answers with a redirect to its own page.
#[derive(Debug, Default)]
struct Recorder {
    begun: Mutex<Vec<String>>,
}

#[async_trait]
impl Authenticator for Recorder {
    async fn begin(&self, login: PendingLogin, _headers: &HeaderMap) -> Response {
        self.begun
            .lock()
            .unwrap()
            .push(login.client_id.as_str().to_owned());
        (StatusCode::SEE_OTHER, [(LOCATION, "/login")]).into_response()
    }

    fn routes(self: Arc<Self>, _logins: Logins) -> Router {
        Router::new()
    }
}

fn shared(issuer: &str) -> (Shared, Arc<Recorder>) {
    let provider = provider(issuer);
    let recorder = Arc::new(Recorder::default());
    let shared = Shared {
        site: Site::of(&provider),
        backchannel: Backchannel::new(),
        metadata_json: Default::default(),
        authenticator: recorder.clone(),
        provider,
    };
    (shared, recorder)
}

async fn body(response: Response) -> String {
    String::from_utf8(
        to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap()
}

fn response(mode: ResponseMode) -> AuthorizationResponse {
    AuthorizationResponse {
        redirect_uri: "https://rp.example/cb?tenant=a".parse().unwrap(),
        mode,
        parameters: vec![
            ("code".into(), "c0de".into()),
            ("state".into(), "\"><script>alert(1)</script>".into()),
            ("iss".into(), "https://eid.example".into()),
        ],
    }
}

fn csp(response: &Response) -> String {
    response
        .headers()
        .get(CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_query_response_is_a_303_to_the_location_not_stored() {
    let site = Site::of(&provider("https://eid.example"));
    let answer = respond(&response(ResponseMode::Query), &site, Locale::En);
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        answer.headers()[LOCATION],
        response(ResponseMode::Query).location().as_str()
    );
    assert_eq!(answer.headers()[CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn a_form_post_response_is_an_escaped_self_submitting_page() {
    let site = Site::of(&provider("https://eid.example/op"));
    let answer = respond(&response(ResponseMode::FormPost), &site, Locale::Sv);
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(answer.headers()[CACHE_CONTROL], "no-store");
    let policy = csp(&answer);
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(
        policy.contains("form-action https://rp.example"),
        "{policy}"
    );
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    let html = body(answer).await;
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains("action=\"https://rp.example/cb?tenant=a\""));
    assert!(html.contains("name=\"code\" value=\"c0de\""));
    assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
    assert!(!html.contains("<script>alert"));
    // The only script is the static file under the issuer's path; no inline script or style.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("<script src=\"/op/static/form-post.js\"></script>"));
    assert!(!html.contains("style="));
    assert!(!html.contains("<style"));
    assert!(html.contains("<button type=\"submit\">Fortsätt</button>"));
}

#[tokio::test]
async fn an_error_page_outcome_is_a_400_page_and_never_a_redirect() {
    let (shared, recorder) = shared("https://eid.example");
    let outcome = AuthorizeOutcome::ErrorPage(OAuthError::invalid_request(
        "redirect_uri <b>not</b> registered",
    ));
    let answer = answer_authorize(&shared, outcome, &HeaderMap::new(), Locale::En).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert!(answer.headers().get(LOCATION).is_none());
    assert!(csp(&answer).contains("form-action 'none'"));
    let html = body(answer).await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<title>The request could not be handled</title>"));
    assert!(html.contains("<code>invalid_request</code>"));
    assert!(html.contains("redirect_uri &lt;b&gt;not&lt;/b&gt; registered"));
    assert!(recorder.begun.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_login_outcome_goes_to_the_authenticator() {
    let (shared, recorder) = shared("https://eid.example");
    let pending = PendingLogin {
        transaction: TransactionId::generate(&SystemRandom::new()).unwrap(),
        client_id: "rp-1".parse().unwrap(),
        requirement: None,
        acr_values: Vec::new(),
        prompt: Prompt::default(),
        max_age: None,
        login_hint: None,
        subject_hint: None,
        ui_locales: Vec::new(),
        scope: vec!["openid".into()],
        authn_provider: None,
    };
    let answer = answer_authorize(
        &shared,
        AuthorizeOutcome::Login(pending),
        &HeaderMap::new(),
        Locale::Sv,
    )
    .await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()[LOCATION], "/login");
    assert_eq!(*recorder.begun.lock().unwrap(), vec!["rp-1".to_owned()]);
}

#[tokio::test]
async fn end_session_clears_the_cookie_when_asked_and_only_then() {
    let (shared, _) = shared("https://eid.example");
    let end = EndSession {
        outcome: EndSessionOutcome::Redirect("https://rp.example/bye?state=x".into()),
        clear_session: true,
        backchannel: Vec::new(),
    };
    let answer = answer_end_session(&shared, end, Locale::En);
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()[LOCATION], "https://rp.example/bye?state=x");
    let cookie = answer.headers()[SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("eid_session=;"), "{cookie}");
    assert!(cookie.contains("Max-Age=0"));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert!(cookie.contains("Path=/") && cookie.contains("Secure"));

    let end = EndSession {
        outcome: EndSessionOutcome::LoggedOut,
        clear_session: false,
        backchannel: Vec::new(),
    };
    let answer = answer_end_session(&shared, end, Locale::Sv);
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers().get(SET_COOKIE).is_none());
    assert!(csp(&answer).starts_with("default-src 'none'"));
    let html = body(answer).await;
    assert!(html.contains("<h1>Du är utloggad</h1>"));

    let end = EndSession {
        outcome: EndSessionOutcome::Refused(OAuthError::invalid_request("unregistered")),
        clear_session: false,
        backchannel: Vec::new(),
    };
    let answer = answer_end_session(&shared, end, Locale::En);
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert!(answer.headers().get(LOCATION).is_none());
}

#[test]
fn the_session_cookie_is_secure_only_for_https_issuers() {
    let session = SessionId::from_presented("abc-123_x").unwrap();
    for (issuer, secure) in [
        ("https://eid.example", true),
        ("http://127.0.0.1:8080", false),
    ] {
        let site = Site::of(&provider(issuer));
        let mut answer = StatusCode::OK.into_response();
        site.set_session(&mut answer, &session);
        let cookie = answer.headers()[SET_COOKIE].to_str().unwrap().to_owned();
        let name = session_cookie_name(issuer);
        assert!(
            cookie.starts_with(&format!("{name}=abc-123_x;")),
            "{cookie}"
        );
        assert!(cookie.contains("; HttpOnly"));
        assert!(cookie.contains("; SameSite=Lax"));
        assert!(cookie.contains("; Path=/"));
        assert_eq!(cookie.contains("; Secure"), secure, "{cookie}");
        assert!(
            !cookie.contains("Max-Age"),
            "a browser-session cookie: {cookie}"
        );
    }
}

#[test]
fn the_session_cookie_is_read_once_and_ambiguity_reads_as_none() {
    let mut headers = HeaderMap::new();
    assert!(session_cookie(&headers, SESSION_COOKIE).is_none());
    headers.insert(
        COOKIE,
        HeaderValue::from_static("a=1; eid_session=s1d; b=2"),
    );
    assert_eq!(
        session_cookie(&headers, SESSION_COOKIE)
            .unwrap()
            .expose_secret(),
        "s1d"
    );
    headers.append(COOKIE, HeaderValue::from_static("eid_session=other"));
    assert!(session_cookie(&headers, SESSION_COOKIE).is_none());
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, HeaderValue::from_static("eid_session="));
    assert!(session_cookie(&headers, SESSION_COOKIE).is_none());
}

#[test]
fn providers_on_one_host_have_session_cookies_of_their_own() {
    assert_eq!(session_cookie_name("https://idp.example"), "eid_session");
    assert_eq!(
        session_cookie_name("https://idp.example/tenant"),
        "eid_session"
    );
    assert_eq!(
        session_cookie_name("http://127.0.0.1:8080"),
        "eid_session-8080"
    );
    assert_eq!(
        session_cookie_name("http://127.0.0.1:8081/x"),
        "eid_session-8081"
    );
    // The default port of the scheme is no port.
    assert_eq!(
        session_cookie_name("https://idp.example:443"),
        "eid_session"
    );
    let mut headers = HeaderMap::new();
    headers.insert(
        COOKIE,
        HeaderValue::from_static("eid_session-8080=broker; eid_session-8081=mock"),
    );
    let broker = session_cookie(&headers, &session_cookie_name("http://127.0.0.1:8080"));
    assert_eq!(broker.unwrap().expose_secret(), "broker");
}

#[tokio::test]
async fn unknown_logins_are_answered_with_the_error_page() {
    let logins = Logins::new(provider("https://eid.example"));
    let transaction = TransactionId::generate(&SystemRandom::new()).unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(
        "accept-language",
        HeaderValue::from_static("sv-SE,sv;q=0.9"),
    );
    let authentication = crate::Authentication::new(
        "sub-1".parse().unwrap(),
        eid_core::assurance::LevelOfAssurance::Loa3,
        eid_core::claims::Identity::default(),
    );
    let refused = logins
        .complete(&transaction, authentication, &headers)
        .await
        .unwrap_err();
    assert!(refused.status().is_client_error() || refused.status().is_server_error());
    assert!(refused.headers().get(LOCATION).is_none());
    assert!(refused.headers().get(SET_COOKIE).is_none());
    assert_eq!(refused.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(body(refused).await.contains("<html lang=\"sv\">"));

    let refused = logins
        .abort(
            &transaction,
            OAuthError::new(OAuthErrorCode::AccessDenied, "cancelled"),
        )
        .await;
    assert!(refused.headers().get(LOCATION).is_none());
    assert_eq!(refused.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
}

#[tokio::test]
async fn client_errors_are_json_with_the_basic_challenge_when_basic_was_used() {
    let invalid_client = OAuthError::new(OAuthErrorCode::InvalidClient, "bad \"secret\"");
    let answer = client_error(&invalid_client, Some("https://eid.example"));
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        answer.headers()[WWW_AUTHENTICATE],
        "Basic realm=\"https://eid.example\""
    );
    assert_eq!(answer.headers()[CACHE_CONTROL], "no-store");
    assert_eq!(answer.headers()["pragma"], "no-cache");
    assert_eq!(answer.headers()[CONTENT_TYPE], "application/json");
    let json: serde_json::Value = serde_json::from_str(&body(answer).await).unwrap();
    assert_eq!(json["error"], "invalid_client");
    assert_eq!(json["error_description"], "bad ?secret?");

    let answer = client_error(&invalid_client, None);
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    assert!(answer.headers().get(WWW_AUTHENTICATE).is_none());

    let grant = OAuthError::new(OAuthErrorCode::InvalidGrant, "code used");
    let answer = client_error(&grant, Some("https://eid.example"));
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert!(answer.headers().get(WWW_AUTHENTICATE).is_none());
}

#[tokio::test]
async fn internal_errors_keep_their_detail_out_of_the_response() {
    let error = OAuthError::server_error("store at 10.0.0.3 refused: password expired");
    let answer = client_error(&error, None);
    assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let text = body(answer).await;
    assert!(
        !text.contains("10.0.0.3") && !text.contains("password"),
        "{text}"
    );
    let unavailable = OAuthError::new(OAuthErrorCode::TemporarilyUnavailable, "redis down");
    assert_eq!(
        client_error(&unavailable, None).status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert!(!public_description(&unavailable).contains("redis"));
}

#[test]
fn the_status_table() {
    for code in OAuthErrorCode::ALL {
        let expected = match code {
            OAuthErrorCode::InvalidClient | OAuthErrorCode::InvalidToken => 401,
            OAuthErrorCode::InsufficientScope => 403,
            OAuthErrorCode::ServerError => 500,
            OAuthErrorCode::TemporarilyUnavailable => 503,
            _ => 400,
        };
        assert_eq!(status_of(code).as_u16(), expected, "{code}");
    }
}

#[tokio::test]
async fn userinfo_errors_carry_the_bearer_challenge() {
    let answer = bearer_error(&OAuthError::new(
        OAuthErrorCode::InvalidToken,
        "the access token expired",
    ));
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        answer.headers()[WWW_AUTHENTICATE],
        "Bearer error=\"invalid_token\", error_description=\"the access token expired\""
    );
    let answer = bearer_error(&OAuthError::new(
        OAuthErrorCode::InsufficientScope,
        "openid \"scope\" missing",
    ));
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        answer.headers()[WWW_AUTHENTICATE],
        "Bearer error=\"insufficient_scope\", error_description=\"openid ?scope? missing\""
    );
    let answer = bearer_error(&OAuthError::server_error("boom"));
    assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(answer.headers().get(WWW_AUTHENTICATE).is_none());
}

#[test]
fn bearer_tokens_are_read_from_the_header() {
    assert_eq!(bearer_token(None), BearerToken::Absent);
    assert_eq!(bearer_token(Some("Basic YTpi")), BearerToken::Absent);
    assert_eq!(
        bearer_token(Some("Bearer abc.DEF-_~+/==")),
        BearerToken::Present("abc.DEF-_~+/==")
    );
    assert_eq!(bearer_token(Some("bearer x")), BearerToken::Present("x"));
    assert_eq!(bearer_token(Some("Bearer a b")), BearerToken::Malformed);
    assert_eq!(bearer_token(Some("Bearer ")), BearerToken::Malformed);
    assert_eq!(bearer_token(Some("Bearer ===")), BearerToken::Malformed);
}

#[test]
fn form_encoding_is_parsed_strictly() {
    let parameters = parse_urlencoded(b"a=1+2&b=%C3%A5&&c&d=").unwrap();
    assert_eq!(parameters.required("a").unwrap(), "1 2");
    assert_eq!(parameters.required("b").unwrap(), "å");
    assert!(parameters.contains("c"));
    assert_eq!(parameters.single("d").unwrap(), None);
    // Bytes that are not UTF-8 once decoded are refused, not replaced.
    let error = parse_urlencoded(b"state=%FF").unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::InvalidRequest);
    assert!(parse_urlencoded(&[b'a', b'=', 0xC3]).is_err());
    let many = (0..=crate::params::MAX_PARAMETERS)
        .map(|i| format!("p{i}=x"))
        .collect::<Vec<_>>()
        .join("&");
    assert!(parse_urlencoded(many.as_bytes()).is_err());
}

#[test]
fn the_page_language_follows_ui_locales_then_accept_language() {
    let offered = vec!["sv".to_owned(), "en".to_owned()];
    let mut headers = HeaderMap::new();
    assert_eq!(Locale::choose(None, &headers, &offered), Locale::Sv);
    headers.insert(
        "accept-language",
        HeaderValue::from_static("de;q=1, en-GB;q=0.8, sv;q=0.5"),
    );
    assert_eq!(Locale::choose(None, &headers, &offered), Locale::En);
    assert_eq!(
        Locale::choose(Some("fi sv-SE"), &headers, &offered),
        Locale::Sv
    );
    assert_eq!(Locale::choose(Some("fi"), &headers, &offered), Locale::En);
    headers.insert(
        "accept-language",
        HeaderValue::from_static("en;q=0, sv;q=0.1"),
    );
    assert_eq!(Locale::choose(None, &headers, &offered), Locale::Sv);
    headers.insert("accept-language", HeaderValue::from_static("en;q=2, *"));
    assert_eq!(Locale::choose(None, &headers, &offered), Locale::Sv);
    let english_first = vec!["en".to_owned(), "sv".to_owned()];
    assert_eq!(
        Locale::choose(None, &HeaderMap::new(), &english_first),
        Locale::En
    );
}

/// A tiny back-channel logout receiver on 127.0.0.1:0 answering with `status`; every request's
/// content type and body is sent to the returned channel.
async fn receiver(status: StatusCode) -> (Server, mpsc::UnboundedReceiver<(String, String)>) {
    let (sender, received) = mpsc::unbounded_channel();
    let router = Router::new().route(
        "/bc",
        post(move |headers: HeaderMap, body: String| {
            let sender = sender.clone();
            async move {
                let content_type = headers
                    .get(CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                let _ = sender.send((content_type, body));
                if status == StatusCode::SEE_OTHER {
                    return (status, [(LOCATION, "http://127.0.0.1:9/elsewhere")]).into_response();
                }
                status.into_response()
            }
        }),
    );
    (Server::bind_loopback(router).await.unwrap(), received)
}

fn logout(server_url: &str, client: &str, token: &str) -> BackchannelLogout {
    BackchannelLogout {
        client_id: client.parse().unwrap(),
        uri: format!("{server_url}/bc").parse().unwrap(),
        logout_token: token.to_owned(),
    }
}

#[tokio::test]
async fn logout_tokens_are_posted_as_forms() {
    let (server, mut received) = receiver(StatusCode::OK).await;
    let sender = Backchannel::new();
    let results = sender
        .deliver_all(vec![logout(&server.url(), "rp-1", "eyJ.a+b/c=.sig")])
        .await;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].0.as_str(), "rp-1");
    assert!(results[0].1.is_ok());
    let (content_type, body) = received.recv().await.unwrap();
    assert_eq!(content_type, "application/x-www-form-urlencoded");
    assert_eq!(body, "logout_token=eyJ.a%2Bb%2Fc%3D.sig");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn failed_deliveries_are_reported_and_redirects_not_followed() {
    let (failing, _) = receiver(StatusCode::INTERNAL_SERVER_ERROR).await;
    let (redirecting, mut redirected) = receiver(StatusCode::SEE_OTHER).await;
    let closed = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let results = Backchannel::new()
        .deliver_all(vec![
            logout(&failing.url(), "rp-1", "t1"),
            logout(&redirecting.url(), "rp-2", "t2"),
            logout(&closed, "rp-3", "t3"),
        ])
        .await;
    let clients: Vec<&str> = results.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(clients, ["rp-1", "rp-2", "rp-3"]);
    assert!(matches!(
        results[0].1,
        Err(DeliveryError::Status { status: 500 })
    ));
    assert!(matches!(
        results[1].1,
        Err(DeliveryError::Status { status: 303 })
    ));
    assert!(matches!(results[2].1, Err(DeliveryError::Request(_))));
    // The redirect target was never asked; the error carries no URL or token.
    assert_eq!(redirected.recv().await.unwrap().1, "logout_token=t2");
    if let Err(DeliveryError::Request(error)) = &results[2].1 {
        assert!(error.url().is_none());
        assert!(!format!("{error:?}").contains("t3"));
    }
}

#[tokio::test]
async fn end_session_starts_the_back_channel_logouts() {
    let (shared, _) = shared("https://eid.example");
    let (server, mut received) = receiver(StatusCode::OK).await;
    let end = EndSession {
        outcome: EndSessionOutcome::LoggedOut,
        clear_session: true,
        backchannel: vec![
            logout(&server.url(), "rp-1", "token-1"),
            logout(&server.url(), "rp-2", "token-2"),
        ],
    };
    let answer = answer_end_session(&shared, end, Locale::En);
    assert_eq!(answer.status(), StatusCode::OK);
    let mut bodies = vec![
        received.recv().await.unwrap().1,
        received.recv().await.unwrap().1,
    ];
    bodies.sort();
    assert_eq!(bodies, ["logout_token=token-1", "logout_token=token-2"]);
}

//! The login routes' checks that come before the engine is asked anything (the whole flow is
//! in `tests/engine_e2e.rs`).

use axum::body::{Body, to_bytes};
use axum::http::Request;
use eid_core::clock::{FixedClock, UnixTime};
use tower::ServiceExt as _;

use super::*;
use crate::MockConfig;
use crate::server::MockApp;

const NOW: UnixTime = UnixTime::from_secs(1_795_564_800);

fn app() -> MockApp {
    let config = MockConfig::default().with_clock(Arc::new(FixedClock(NOW)));
    MockApp::new(config, "http://127.0.0.1:9".parse().unwrap()).unwrap()
}

async fn call(request: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let response = app().router().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

#[test]
fn bindings_tie_a_transaction_to_one_browser_until_it_expires() {
    let bindings = Bindings::default();
    let transaction = TransactionId::from_presented("tx-1").unwrap();
    let later = NOW.saturating_add(std::time::Duration::from_secs(600));
    assert!(bindings.bind(&transaction, "browser-a", later, NOW));
    assert!(bindings.is_bound(&transaction, Some("browser-a"), NOW));
    assert!(!bindings.is_bound(&transaction, Some("browser-b"), NOW));
    assert!(!bindings.is_bound(&transaction, None, NOW));
    assert!(!bindings.is_bound(&transaction, Some("browser-a"), later));
    bindings.release(&transaction);
    assert!(!bindings.is_bound(&transaction, Some("browser-a"), NOW));
}

#[test]
fn form_fields_must_not_repeat() {
    let fields = parameters(b"transaction=t&person=astrid").unwrap();
    assert_eq!(fields["person"], "astrid");
    assert!(parameters(b"transaction=t&transaction=u").is_none());
    assert_eq!(parameters(b"").unwrap().len(), 0);
}

#[test]
fn the_login_cookie_is_found_among_others() {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::COOKIE,
        HeaderValue::from_static("a=1; eid_login=xyz; b=2"),
    );
    assert_eq!(cookie(&headers, LOGIN_COOKIE), Some("xyz"));
    assert_eq!(cookie(&headers, "c"), None);
    assert!(well_formed_browser_id(&"A".repeat(43)));
    assert!(!well_formed_browser_id("short"));
    assert!(!well_formed_browser_id(&format!("{}=", "A".repeat(42))));
}

#[tokio::test]
async fn the_page_needs_a_transaction_bound_to_this_browser() {
    let (status, headers, body) = call(
        Request::get("/login")
            .header(header::ACCEPT_LANGUAGE, "en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("The request is malformed."));
    assert_eq!(
        headers[header::CONTENT_SECURITY_POLICY],
        page::CONTENT_SECURITY_POLICY
    );

    let (status, _, body) = call(
        Request::get("/login?transaction=abc")
            .header(header::COOKIE, format!("{LOGIN_COOKIE}={}", "B".repeat(43)))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("en annan webbläsare"), "{body}");

    let (status, _, body) = call(
        Request::get("/login?transaction=abc&transaction=def")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Begäran är felaktig."));
}

#[tokio::test]
async fn the_form_is_checked_before_anything_is_done() {
    let post = |content_type: &'static str, body: &'static str| {
        Request::post("/login")
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ACCEPT_LANGUAGE, "en")
            .body(Body::from(body))
            .unwrap()
    };
    let (status, _, _) = call(post("application/json", "{}")).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _, body) = call(post(
        "application/x-www-form-urlencoded",
        "transaction=abc&person=astrid",
    ))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("another browser"));
    let (status, _, _) = call(post(
        "application/x-www-form-urlencoded",
        "transaction=abc&transaction=abd&person=astrid",
    ))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = call(post("application/x-www-form-urlencoded", "person=astrid")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

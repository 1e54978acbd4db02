//! The HTTP layer: what it serves where, how it refuses bad input (before the engine sees it),
//! and its pages' headers.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use eid_provider::http::{MAX_BODY_BYTES, Server};

use crate::support::{Fixture, form, get_request};

const ISSUER: &str = "http://127.0.0.1:8080";

const CLIENT_ENDPOINTS: [&str; 4] = ["/token", "/par", "/revoke", "/introspect"];

#[tokio::test]
async fn the_metadata_is_served_at_both_well_known_paths() {
    let fixture = Fixture::new("http://127.0.0.1:8080/op");
    let expected = serde_json::to_value(fixture.provider.metadata()).unwrap();
    for path in [
        "/op/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server/op",
    ] {
        let answer = fixture.send(get_request(path)).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(answer.json(), expected);
    }
    // The endpoints are served at their metadata paths, under the issuer's path.
    assert_eq!(expected["token_endpoint"], "http://127.0.0.1:8080/op/token");
    let answer = fixture.send(get_request("/op/token")).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    let answer = fixture
        .send(get_request("/.well-known/openid-configuration"))
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_key_set_is_served() {
    let fixture = Fixture::new(ISSUER);
    let answer = fixture.send(get_request("/jwks")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(
        answer.json(),
        serde_json::to_value(fixture.provider.jwks()).unwrap()
    );
    assert_eq!(answer.json()["keys"].as_array().unwrap().len(), 3);

    let head = Request::head("/jwks").body(Body::empty()).unwrap();
    let answer = fixture.send(head).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.is_empty());
}

#[tokio::test]
async fn wrong_methods_are_405_with_allow_and_options_is_answered() {
    let fixture = Fixture::new(ISSUER);
    for path in CLIENT_ENDPOINTS {
        for method in [Method::GET, Method::PUT, Method::DELETE, Method::HEAD] {
            let request = Request::builder()
                .method(method.clone())
                .uri(path)
                .body(Body::empty())
                .unwrap();
            let answer = fixture.send(request).await;
            assert_eq!(
                answer.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            assert_eq!(answer.header("allow"), Some("POST, OPTIONS"));
            if method != Method::HEAD {
                answer.assert_json_error(405, "invalid_request");
            }
        }
        let options = Request::options(path).body(Body::empty()).unwrap();
        let answer = fixture.send(options).await;
        assert_eq!(answer.status, StatusCode::NO_CONTENT);
        assert_eq!(answer.header("allow"), Some("POST, OPTIONS"));
    }
    // The browser endpoints answer with the page; HEAD is refused there (it would change state).
    for path in ["/authorize", "/logout"] {
        let put = Request::put(path).body(Body::empty()).unwrap();
        let answer = fixture.send(put).await;
        answer.assert_error_page(405, "sv");
        assert_eq!(answer.header("allow"), Some("GET, POST, OPTIONS"));
        let head = Request::head(path).body(Body::empty()).unwrap();
        let answer = fixture.send(head).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(answer.body.is_empty());
    }
    for (path, allow) in [
        ("/userinfo", "GET, HEAD, POST, OPTIONS"),
        ("/jwks", "GET, HEAD, OPTIONS"),
        ("/.well-known/openid-configuration", "GET, HEAD, OPTIONS"),
    ] {
        let delete = Request::delete(path).body(Body::empty()).unwrap();
        let answer = fixture.send(delete).await;
        answer.assert_json_error(405, "invalid_request");
        assert_eq!(answer.header("allow"), Some(allow));
    }
    assert_eq!(fixture.lookups(), 0);
}

#[tokio::test]
async fn client_endpoints_take_only_form_bodies() {
    let fixture = Fixture::new(ISSUER);
    for path in CLIENT_ENDPOINTS {
        for content_type in [
            Some("application/json"),
            Some("multipart/form-data; boundary=x"),
            Some("application/x-www-form-urlencoded; charset=ISO-8859-1"),
            Some("text/plain"),
            None,
        ] {
            let mut request = Request::post(path);
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            let request = request.body(Body::from("grant_type=x")).unwrap();
            let answer = fixture.send(request).await;
            answer.assert_json_error(415, "invalid_request");
        }
        // The media type is case-insensitive and may name UTF-8.
        let request = Request::post(path)
            .header(
                "content-type",
                "Application/X-WWW-Form-Urlencoded; charset=\"UTF-8\"",
            )
            .body(Body::from("grant_type=x"))
            .unwrap();
        let answer = fixture.send(request).await;
        assert_ne!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{path}");
    }
}

#[tokio::test]
async fn oversized_bodies_are_413_declared_or_not() {
    let fixture = Fixture::new(ISSUER);
    let large = format!("client_id=a&x={}", "y".repeat(MAX_BODY_BYTES));
    for path in CLIENT_ENDPOINTS.into_iter().chain(["/userinfo"]) {
        // Without a Content-Length: the limit holds while reading.
        let answer = fixture.send(form(path, large.clone())).await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert_eq!(answer.json()["error"], "invalid_request");
        // With one: refused before reading.
        let request = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("content-length", large.len().to_string())
            .body(Body::from(large.clone()))
            .unwrap();
        let answer = fixture.send(request).await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
    }
    let answer = fixture.send(form("/authorize", large.clone())).await;
    answer.assert_error_page(413, "sv");
    assert_eq!(fixture.lookups(), 0);
}

#[tokio::test]
async fn client_endpoints_refuse_repeated_and_malformed_parameters() {
    let fixture = Fixture::new(ISSUER);
    for path in CLIENT_ENDPOINTS {
        for (body, needle) in [
            ("grant_type=authorization_code&code=a&code=b", "code"),
            ("client_id=rp&client_id=rp", "client_id"),
            ("client_assertion=a&client_assertion=a", "client_assertion"),
            ("token=a&token=a", "token"),
        ] {
            let answer = fixture.send(form(path, body)).await;
            answer.assert_json_error(400, "invalid_request");
            let description = answer.json()["error_description"]
                .as_str()
                .unwrap()
                .to_owned();
            assert!(description.contains(needle), "{description}");
            assert!(description.contains("repeated"), "{description}");
        }
        // Not UTF-8 once decoded.
        let answer = fixture.send(form(path, "client_id=%FF%FE")).await;
        answer.assert_json_error(400, "invalid_request");
        // Too many parameters.
        let many = (0..100)
            .map(|i| format!("p{i}=1"))
            .collect::<Vec<_>>()
            .join("&");
        let answer = fixture.send(form(path, many)).await;
        answer.assert_json_error(400, "invalid_request");
        // Two Authorization headers.
        let request = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("authorization", "Basic cnA6c2VjcmV0")
            .header("authorization", "Basic cnA6b3RoZXI=")
            .body(Body::from("grant_type=x"))
            .unwrap();
        let answer = fixture.send(request).await;
        answer.assert_json_error(400, "invalid_request");
        assert!(answer.header("www-authenticate").is_none());
    }
    assert_eq!(
        fixture.lookups(),
        0,
        "no refused request reached the engine"
    );
}

#[tokio::test]
async fn bad_authorization_requests_get_the_error_page_in_the_persons_language() {
    let fixture = Fixture::new(ISSUER);
    let malformed = Request::get("/authorize?client_id=rp&state=%FF")
        .header("accept-language", "en-US,en;q=0.9,sv;q=0.5")
        .body(Body::empty())
        .unwrap();
    let answer = fixture.send(malformed).await;
    answer.assert_error_page(400, "en");
    assert!(answer.body.contains("<code>invalid_request</code>"));

    let json = Request::post("/authorize")
        .header("content-type", "application/json")
        .header("accept-language", "sv")
        .body(Body::from("{}"))
        .unwrap();
    let answer = fixture.send(json).await;
    answer.assert_error_page(415, "sv");
    assert!(answer.body.contains("Begäran kunde inte hanteras"));

    let answer = fixture.send(form("/logout", "state=%C3")).await;
    answer.assert_error_page(400, "sv");
    assert!(answer.header("set-cookie").is_none());
    assert_eq!(fixture.lookups(), 0);
}

#[tokio::test]
async fn userinfo_takes_the_token_from_the_header_or_the_form_never_the_query() {
    let fixture = Fixture::new(ISSUER);
    let bearer_error = |answer: &crate::support::Answer, status: u16, code: &str| {
        answer.assert_json_error(status, code);
        let challenge = answer.header("www-authenticate").unwrap();
        assert!(
            challenge.starts_with(&format!("Bearer error=\"{code}\", error_description=\"")),
            "{challenge}"
        );
    };

    // In the query: refused, even with a header.
    let query = Request::get("/userinfo?access_token=abc")
        .header("authorization", "Bearer abc")
        .body(Body::empty())
        .unwrap();
    bearer_error(&fixture.send(query).await, 400, "invalid_request");
    let answer = fixture.send(form("/userinfo?access_token=abc", "")).await;
    bearer_error(&answer, 400, "invalid_request");

    // None at all: 401 with a bare challenge (RFC 6750 §3.1).
    for request in [get_request("/userinfo"), form("/userinfo", "")] {
        let answer = fixture.send(request).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer.header("www-authenticate"), Some("Bearer"));
    }
    let bare_post = Request::post("/userinfo").body(Body::empty()).unwrap();
    let answer = fixture.send(bare_post).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);

    // In two places at once.
    let both = Request::post("/userinfo")
        .header("authorization", "Bearer abc")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("access_token=abc"))
        .unwrap();
    bearer_error(&fixture.send(both).await, 400, "invalid_request");

    // Malformed, or repeated.
    let malformed = Request::get("/userinfo")
        .header("authorization", "Bearer a b c")
        .body(Body::empty())
        .unwrap();
    bearer_error(&fixture.send(malformed).await, 401, "invalid_token");
    let answer = fixture
        .send(form("/userinfo", "access_token=a&access_token=b"))
        .await;
    bearer_error(&answer, 400, "invalid_request");
    let answer = fixture.send(form("/userinfo", "access_token=a%20b")).await;
    bearer_error(&answer, 401, "invalid_token");

    // A body that is not a form.
    let json = Request::post("/userinfo")
        .header("authorization", "Bearer abc")
        .header("content-type", "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let answer = fixture.send(json).await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // An empty body is no body, whatever type it declares.
    let empty = Request::post("/userinfo")
        .header("authorization", "Bearer abc")
        .header("content-type", "application/json")
        .body(Body::empty())
        .unwrap();
    let answer = fixture.send(empty).await;
    assert!(
        !matches!(answer.status.as_u16(), 400 | 413 | 415),
        "{}",
        answer.body
    );

    // A well-formed token in the header, or alone in a form, reaches the engine (whatever it
    // then answers, it is not a refusal of the request's shape).
    let header = Request::get("/userinfo")
        .header("authorization", "Bearer abc.DEF")
        .body(Body::empty())
        .unwrap();
    let answer = fixture.send(header).await;
    assert!(
        !matches!(answer.status.as_u16(), 400 | 413 | 415),
        "{}",
        answer.body
    );
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    let answer = fixture
        .send(form("/userinfo", "access_token=abc.DEF"))
        .await;
    assert!(
        !matches!(answer.status.as_u16(), 400 | 413 | 415),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn the_pages_static_files_are_served() {
    let fixture = Fixture::new("http://127.0.0.1:8080/op/");
    let css = fixture.send(get_request("/op/static/eid.css")).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.header("x-content-type-options"), Some("nosniff"));
    assert!(css.body.contains("font-family"));
    let js = fixture.send(get_request("/op/static/form-post.js")).await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(js.body.contains("eid-response"));
}

#[tokio::test]
async fn other_paths_go_to_the_authenticators_routes() {
    let fixture = Fixture::new(ISSUER);
    let answer = fixture.send(get_request("/login?transaction=t")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, "login page (1 parameters)");
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    let answer = fixture.send(get_request("/nowhere")).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_server_serves_on_loopback_until_shut_down() {
    let fixture = Fixture::new(ISSUER);
    let server = Server::bind_loopback(fixture.router.clone()).await.unwrap();
    assert!(server.local_addr().ip().is_loopback());
    let url = format!("{}/.well-known/openid-configuration", server.url());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let json: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(json["issuer"], ISSUER);
    server.shutdown().await.unwrap();
    let fresh = reqwest::Client::new();
    assert!(fresh.get(&url).send().await.is_err());
}

#[tokio::test]
async fn clashing_or_unroutable_paths_do_not_bring_the_router_down() {
    use eid_provider::discovery::{Endpoint, ProviderMetadata};
    use eid_provider::keys::KeyRing;
    use std::sync::Arc;

    let metadata = ProviderMetadata::builder(ISSUER.parse().unwrap())
        .endpoint(Endpoint::EndSession, "/token")
        .endpoint(Endpoint::Introspection, "/:introspect")
        .build()
        .unwrap();
    let clients = Arc::new(crate::support::CountingClients::default());
    let provider = Arc::new(
        eid_provider::Provider::builder(metadata, clients, KeyRing::ephemeral().unwrap())
            .build()
            .unwrap(),
    );
    let router = eid_provider::http::router(provider, Arc::new(crate::support::TestAuthenticator));
    // The token endpoint keeps its path (a required endpoint comes before an optional one);
    // the others still serve.
    let fixture = crate::support::Fixture::with_router(router);
    let answer = fixture.send(get_request("/token")).await;
    answer.assert_json_error(405, "invalid_request");
    assert_eq!(answer.header("allow"), Some("POST, OPTIONS"));
    let answer = fixture
        .send(form("/token", "grant_type=a&grant_type=b"))
        .await;
    answer.assert_json_error(400, "invalid_request");
    let answer = fixture.send(get_request("/jwks")).await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn authenticators_show_the_same_error_page() {
    use axum::http::HeaderMap;
    use eid_provider::OAuthError;

    let fixture = Fixture::new("https://eid.example");
    let mut headers = HeaderMap::new();
    headers.insert("accept-language", "en".parse().unwrap());
    let response = eid_provider::http::error_page(
        &OAuthError::invalid_request("the login expired <again>"),
        &fixture.provider,
        &headers,
    );
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let answer = crate::support::Answer {
        status,
        headers,
        body: String::from_utf8(body.to_vec()).unwrap(),
    };
    // (The common headers are added by the router; this page is built outside it.)
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.body.contains("<html lang=\"en\">"));
    assert!(answer.body.contains("the login expired &lt;again&gt;"));
    assert!(answer.body.contains("href=\"/static/eid.css\""));
    let csp = answer.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("form-action 'none'"));

    let many = (0..80)
        .map(|i| format!("p{i}=1"))
        .collect::<Vec<_>>()
        .join("&");
    let answer = fixture
        .send(get_request(&format!("/authorize?{many}")))
        .await;
    answer.assert_error_page(400, "sv");
}

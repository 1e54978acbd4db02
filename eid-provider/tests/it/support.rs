//! A provider with an in-memory everything, a test authenticator, and a request helper.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::Query;
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use eid_provider::Provider;
use eid_provider::client::{Client, ClientId, ClientRegistry};
use eid_provider::discovery::ProviderMetadata;
use eid_provider::http::{Authenticator, Logins};
use eid_provider::keys::KeyRing;
use eid_provider::provider::PendingLogin;
use eid_provider::store::StoreError;
use tower::ServiceExt as _;

/// A registry with no clients that counts how often it is asked: a request refused by the HTTP
/// layer must never reach the engine, which would look its client up.
#[derive(Debug, Default)]
pub(crate) struct CountingClients {
    pub(crate) lookups: AtomicUsize,
}

#[async_trait]
impl ClientRegistry for CountingClients {
    async fn client(&self, _id: &ClientId) -> Result<Option<Arc<Client>>, StoreError> {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        Ok(None)
    }
}

/// Sends the person to `/login?transaction=…`; its own route shows a page there.
#[derive(Debug, Default)]
pub(crate) struct TestAuthenticator;

#[async_trait]
impl Authenticator for TestAuthenticator {
    async fn begin(&self, login: PendingLogin, _headers: &HeaderMap) -> Response {
        let location = format!("/login?transaction={}", login.transaction.expose_secret());
        (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response()
    }

    fn routes(self: Arc<Self>, _logins: Logins) -> Router {
        Router::new().route(
            "/login",
            get(|Query(query): Query<Vec<(String, String)>>| async move {
                format!("login page ({} parameters)", query.len())
            }),
        )
    }
}

pub(crate) struct Fixture {
    pub(crate) provider: Arc<Provider>,
    pub(crate) clients: Arc<CountingClients>,
    pub(crate) router: Router,
}

impl Fixture {
    pub(crate) fn new(issuer: &str) -> Self {
        let metadata = ProviderMetadata::builder(issuer.parse().unwrap())
            .build()
            .unwrap();
        let clients = Arc::new(CountingClients::default());
        let provider = Arc::new(
            Provider::builder(metadata, clients.clone(), KeyRing::ephemeral().unwrap())
                .build()
                .unwrap(),
        );
        let router = eid_provider::http::router(provider.clone(), Arc::new(TestAuthenticator));
        Self {
            provider,
            clients,
            router,
        }
    }

    /// A fixture around another router (its provider's registry is not counted).
    pub(crate) fn with_router(router: Router) -> Self {
        let mut fixture = Self::new("http://127.0.0.1:8080");
        fixture.router = router;
        fixture
    }

    pub(crate) fn lookups(&self) -> usize {
        self.clients.lookups.load(Ordering::SeqCst)
    }

    pub(crate) async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        Answer {
            status,
            headers,
            body: String::from_utf8(body.to_vec()).unwrap(),
        }
    }
}

pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }

    /// The standard JSON error, with `code`.
    pub(crate) fn assert_json_error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert_eq!(self.header("cache-control"), Some("no-store"));
        let json = self.json();
        assert_eq!(json["error"], code, "{}", self.body);
        assert!(
            json["error_description"]
                .as_str()
                .is_some_and(|d| !d.is_empty())
        );
    }

    /// The HTML error page, with `status`, in `lang`.
    pub(crate) fn assert_error_page(&self, status: u16, lang: &str) {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(self.header("location").is_none());
        self.assert_page_headers();
        assert!(
            self.body.contains(&format!("<html lang=\"{lang}\">")),
            "{}",
            self.body
        );
        assert!(self.body.contains("<title>") && self.body.contains("<h1>"));
        assert!(!self.body.contains("<script"), "no script on an error page");
    }

    /// The headers of every page.
    pub(crate) fn assert_page_headers(&self) {
        let csp = self.header("content-security-policy").unwrap();
        assert!(csp.starts_with("default-src 'none'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(self.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(self.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(self.header("x-frame-options"), Some("DENY"));
        assert_eq!(self.header("cache-control"), Some("no-store"));
    }
}

pub(crate) fn get_request(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

pub(crate) fn form(uri: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.into())
        .unwrap()
}

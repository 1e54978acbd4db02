//! A browser for tests: a cookie jar, redirects not followed, and helpers to walk a login.

use reqwest::header::LOCATION;
use reqwest::{Response, StatusCode, Url};

pub(crate) struct Browser {
    pub(crate) client: reqwest::Client,
    /// Every URL requested, in order (for the log scan: codes and states travel in them).
    pub(crate) visited: std::sync::Mutex<Vec<String>>,
    /// Every `Set-Cookie` value seen.
    pub(crate) cookies: std::sync::Mutex<Vec<String>>,
}

impl Browser {
    pub(crate) fn new() -> Self {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap();
        Self {
            client,
            visited: std::sync::Mutex::new(Vec::new()),
            cookies: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn seen(&self, url: &str, response: &Response) {
        self.visited.lock().unwrap().push(url.to_owned());
        for cookie in response.headers().get_all(reqwest::header::SET_COOKIE) {
            self.cookies
                .lock()
                .unwrap()
                .push(cookie.to_str().unwrap().to_owned());
        }
    }

    pub(crate) async fn get(&self, url: &str) -> Response {
        let response = self.client.get(url).send().await.unwrap();
        self.seen(url, &response);
        response
    }

    pub(crate) async fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Response {
        let response = self.client.post(url).form(form).send().await.unwrap();
        self.seen(url, &response);
        response
    }

    /// Follows 3xx answers with GETs from `url` until one is not a redirect; that answer and
    /// its URL.
    pub(crate) async fn follow(&self, url: &str) -> (Url, Response) {
        let mut url = Url::parse(url).unwrap();
        for _ in 0..20 {
            let response = self.get(url.as_str()).await;
            if !response.status().is_redirection() {
                return (url, response);
            }
            url = location(&url, &response);
        }
        panic!("too many redirects from {url}");
    }
}

/// The `Location` of `response`, resolved against `base`.
pub(crate) fn location(base: &Url, response: &Response) -> Url {
    assert!(
        response.status() == StatusCode::SEE_OTHER || response.status() == StatusCode::FOUND,
        "expected a redirect, got {}",
        response.status()
    );
    let location = response.headers()[LOCATION].to_str().unwrap();
    base.join(location).unwrap()
}

/// The value of the query parameter `name` of `url`.
pub(crate) fn query_param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

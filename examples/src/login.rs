//! A login without a browser: the e-service's authorization request (PKCE S256, `state`,
//! `nonce`), the person's steps (the broker's choice page, the mock's login page, cookies kept,
//! each redirect followed by hand) and the code redeemed at the broker's token endpoint.
//!
//! The endpoints come from the broker's discovery document. The answer at the e-service's
//! redirect URI is either a code (redeemed: [`Outcome::LoggedIn`]) or an OAuth error
//! ([`Outcome::Refused`]), and its `state` must be the one sent.

use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};
use serde::Deserialize;
use url::Url;

/// The most steps (redirects and form posts) one login may take.
pub const MAX_STEPS: usize = 20;

/// Why a login could not be carried out (a refusal by the broker is no error: it is
/// [`Outcome::Refused`]).
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// An HTTP request failed.
    #[error("the request to {url} failed: {source}")]
    Http {
        /// The URL, without its query.
        url: String,
        /// Why.
        #[source]
        source: reqwest::Error,
    },
    /// A page answered with an unexpected status.
    #[error("{url} answered HTTP {status}")]
    Status {
        /// The URL, without its query.
        url: String,
        /// The status.
        status: u16,
    },
    /// A JSON document could not be read.
    #[error("the JSON from {url}: {source}")]
    Json {
        /// The URL.
        url: String,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A URL could not be parsed or joined.
    #[error("a URL: {0}")]
    Url(#[from] url::ParseError),
    /// The broker showed its choice page and the journey names no upstream.
    #[error("the broker shows its choice page and no upstream was named")]
    ChoiceNeeded,
    /// A page to fill in had no `transaction` in its URL.
    #[error("the page {url} has no transaction")]
    NoTransaction {
        /// The URL, without its query.
        url: String,
    },
    /// A redirect had no usable `Location`.
    #[error("a redirect from {url} without a usable Location")]
    BadRedirect {
        /// The URL, without its query.
        url: String,
    },
    /// The answer at the redirect URI had neither `code` nor `error`.
    #[error("the answer at the redirect URI has neither code nor error")]
    NoCode,
    /// The `state` came back changed.
    #[error("the state came back changed")]
    StateMismatch,
    /// The token endpoint refused the code.
    #[error("the token endpoint answered HTTP {status} ({error})")]
    Token {
        /// The status.
        status: u16,
        /// The OAuth error code, or the body's first bytes.
        error: String,
    },
    /// The login took more than [`MAX_STEPS`] steps.
    #[error("the login took more than {MAX_STEPS} steps")]
    TooManySteps,
    /// No random bytes for the nonce, the state or the PKCE verifier.
    #[error("no random bytes")]
    Random,
}

/// How the e-service authenticates at the token endpoint.
#[derive(Clone)]
#[non_exhaustive]
pub enum ClientAuth {
    /// HTTP Basic with the client secret.
    Basic(String),
    /// The client secret in the form.
    Post(String),
}

impl fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Basic(_) => f.write_str("Basic([redacted])"),
            Self::Post(_) => f.write_str("Post([redacted])"),
        }
    }
}

/// The e-service: a client of the broker.
#[derive(Clone, Debug)]
pub struct EService {
    /// The broker's issuer.
    pub issuer: String,
    /// The client id.
    pub client_id: String,
    /// How it authenticates.
    pub auth: ClientAuth,
    /// Its redirect URI, as registered (nothing needs to listen there).
    pub redirect_uri: String,
}

/// What the person does and what the e-service asks for.
#[derive(Clone, Debug)]
pub struct Journey {
    /// The scopes asked for.
    pub scope: String,
    /// `acr_values`, if any.
    pub acr_values: Option<String>,
    /// The upstream to pick if the broker shows its choice page.
    pub upstream: Option<String>,
    /// The mock person to log in as.
    pub person: String,
}

impl Journey {
    /// As `person`, with the scopes `openid profile` and the Swedish personal and
    /// organisational identity scopes.
    pub fn person(person: &str) -> Self {
        Self {
            scope: "openid profile https://id.oidc.se/scope/naturalPersonNumber \
                    https://id.oidc.se/scope/naturalPersonOrgId"
                .to_owned(),
            acr_values: None,
            upstream: None,
            person: person.to_owned(),
        }
    }

    /// Asking for `acr_values`.
    #[must_use]
    pub fn acr_values(mut self, acr_values: &str) -> Self {
        self.acr_values = Some(acr_values.to_owned());
        self
    }

    /// Through `upstream`.
    #[must_use]
    pub fn upstream(mut self, upstream: &str) -> Self {
        self.upstream = Some(upstream.to_owned());
        self
    }
}

/// The tokens of a login, and the nonce that was sent.
#[derive(Clone)]
pub struct Tokens {
    /// The ID token (compact JWS).
    pub id_token: String,
    /// The nonce sent in the authorization request.
    pub nonce: String,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Tokens([redacted])")
    }
}

/// A refusal: the OAuth error at the redirect URI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The error code (`access_denied`, …).
    pub error: String,
    /// `error_description`, if any.
    pub description: Option<String>,
}

/// How the login ended.
#[derive(Debug)]
pub enum Outcome {
    /// A code came back and was redeemed.
    LoggedIn(Tokens),
    /// An error came back.
    Refused(Refusal),
}

/// The endpoints of the broker's discovery document.
#[derive(Clone, Debug, Deserialize)]
pub struct Discovery {
    /// The issuer.
    pub issuer: String,
    /// The authorization endpoint.
    pub authorization_endpoint: String,
    /// The token endpoint.
    pub token_endpoint: String,
    /// The JWK Set.
    pub jwks_uri: String,
}

fn without_query(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.to_string()
}

fn random_token(rng: &SystemRandom) -> Result<String, LoginError> {
    let mut bytes = [0_u8; 32];
    rng.fill(&mut bytes).map_err(|_| LoginError::Random)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

async fn get_json<T: for<'de> Deserialize<'de>>(
    http: &reqwest::Client,
    url: &str,
) -> Result<T, LoginError> {
    let http_error = |source| LoginError::Http {
        url: url.to_owned(),
        source,
    };
    let response = http.get(url).send().await.map_err(http_error)?;
    let status = response.status();
    if !status.is_success() {
        return Err(LoginError::Status {
            url: url.to_owned(),
            status: status.as_u16(),
        });
    }
    let bytes = response.bytes().await.map_err(http_error)?;
    serde_json::from_slice(&bytes).map_err(|source| LoginError::Json {
        url: url.to_owned(),
        source,
    })
}

/// Reads the discovery document of `issuer`.
///
/// # Errors
/// [`LoginError`] when it cannot be fetched or read.
pub async fn discover(issuer: &str) -> Result<Discovery, LoginError> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|source| LoginError::Http {
            url: issuer.to_owned(),
            source,
        })?;
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    get_json(&http, &url).await
}

/// Fetches the JWK Set document at `url`, as bytes.
///
/// # Errors
/// [`LoginError`] when it cannot be fetched.
pub async fn fetch(url: &str) -> Result<Vec<u8>, LoginError> {
    let http_error = |source| LoginError::Http {
        url: url.to_owned(),
        source,
    };
    let response = reqwest::get(url).await.map_err(http_error)?;
    let status = response.status();
    if !status.is_success() {
        return Err(LoginError::Status {
            url: url.to_owned(),
            status: status.as_u16(),
        });
    }
    Ok(response.bytes().await.map_err(http_error)?.to_vec())
}

impl EService {
    /// Logs `journey.person` in, as a browser would, and redeems the code.
    ///
    /// # Errors
    /// [`LoginError`] when a step cannot be carried out; a refusal is [`Outcome::Refused`].
    pub async fn log_in(&self, journey: &Journey) -> Result<Outcome, LoginError> {
        let discovery = discover(&self.issuer).await?;
        let rng = SystemRandom::new();
        let state = random_token(&rng)?;
        let nonce = random_token(&rng)?;
        let verifier = random_token(&rng)?;
        let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(
            &ring::digest::SHA256,
            verifier.as_bytes(),
        ));
        let mut url = Url::parse(&discovery.authorization_endpoint)?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("scope", &journey.scope)
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        if let Some(acr_values) = &journey.acr_values {
            url.query_pairs_mut().append_pair("acr_values", acr_values);
        }
        let browser = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|source| LoginError::Http {
                url: without_query(&url),
                source,
            })?;
        let code = match self.browse(&browser, url, journey, &state).await? {
            Ok(code) => code,
            Err(refusal) => return Ok(Outcome::Refused(refusal)),
        };
        let id_token = self
            .redeem(&browser, &discovery.token_endpoint, &code, &verifier)
            .await?;
        Ok(Outcome::LoggedIn(Tokens { id_token, nonce }))
    }

    /// Follows the person's way from the authorization request to the redirect URI: the code,
    /// or the refusal.
    async fn browse(
        &self,
        browser: &reqwest::Client,
        start: Url,
        journey: &Journey,
        state: &str,
    ) -> Result<Result<String, Refusal>, LoginError> {
        let send_error = |url: &Url| {
            let url = without_query(url);
            move |source| LoginError::Http { url, source }
        };
        let mut current = start;
        let mut response = browser
            .get(current.clone())
            .send()
            .await
            .map_err(send_error(&current))?;
        for _ in 0..MAX_STEPS {
            let status = response.status();
            if status.is_redirection() {
                let next = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|location| current.join(location).ok())
                    .ok_or_else(|| LoginError::BadRedirect {
                        url: without_query(&current),
                    })?;
                if without_query(&next) == self.redirect_uri {
                    return self.answer(&next, state);
                }
                current = next;
                response = browser
                    .get(current.clone())
                    .send()
                    .await
                    .map_err(send_error(&current))?;
                continue;
            }
            if status != reqwest::StatusCode::OK {
                return Err(LoginError::Status {
                    url: without_query(&current),
                    status: status.as_u16(),
                });
            }
            let fields: HashMap<String, String> = current.query_pairs().into_owned().collect();
            let transaction =
                fields
                    .get("transaction")
                    .cloned()
                    .ok_or_else(|| LoginError::NoTransaction {
                        url: without_query(&current),
                    })?;
            let (target, form) = if current.path() == "/choose" {
                let upstream = journey.upstream.clone().ok_or(LoginError::ChoiceNeeded)?;
                (
                    current.join("/choose")?,
                    [("transaction", transaction), ("upstream", upstream)],
                )
            } else {
                (
                    current.join("/login")?,
                    [
                        ("transaction", transaction),
                        ("person", journey.person.clone()),
                    ],
                )
            };
            current = target;
            response = browser
                .post(current.clone())
                .form(&form)
                .send()
                .await
                .map_err(send_error(&current))?;
        }
        Err(LoginError::TooManySteps)
    }

    /// Reads the answer at the redirect URI.
    fn answer(&self, url: &Url, state: &str) -> Result<Result<String, Refusal>, LoginError> {
        let fields: HashMap<String, String> = url.query_pairs().into_owned().collect();
        if fields.get("state").map(String::as_str) != Some(state) {
            return Err(LoginError::StateMismatch);
        }
        if let Some(error) = fields.get("error") {
            return Ok(Err(Refusal {
                error: error.clone(),
                description: fields.get("error_description").cloned(),
            }));
        }
        fields
            .get("code")
            .cloned()
            .map(Ok)
            .ok_or(LoginError::NoCode)
    }

    /// Redeems `code` for the ID token.
    async fn redeem(
        &self,
        http: &reqwest::Client,
        token_endpoint: &str,
        code: &str,
        verifier: &str,
    ) -> Result<String, LoginError> {
        let http_error = |source| LoginError::Http {
            url: token_endpoint.to_owned(),
            source,
        };
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("code_verifier", verifier),
        ];
        let mut request = http.post(token_endpoint);
        match &self.auth {
            ClientAuth::Basic(secret) => {
                request = request.basic_auth(&self.client_id, Some(secret));
            }
            ClientAuth::Post(secret) => {
                form.push(("client_id", self.client_id.as_str()));
                form.push(("client_secret", secret.as_str()));
            }
        }
        let response = request.form(&form).send().await.map_err(http_error)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(http_error)?;
        let body: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|source| LoginError::Json {
                url: token_endpoint.to_owned(),
                source,
            })?;
        let id_token = body.get("id_token").and_then(serde_json::Value::as_str);
        match id_token {
            Some(id_token) if status.is_success() => Ok(id_token.to_owned()),
            _ => Err(LoginError::Token {
                status: status.as_u16(),
                error: body
                    .get("error")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("no id_token")
                    .to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eservice() -> EService {
        EService {
            issuer: "http://127.0.0.1:1".to_owned(),
            client_id: "e-service".to_owned(),
            auth: ClientAuth::Basic("a-secret".to_owned()),
            redirect_uri: "http://127.0.0.1:3000/callback".to_owned(),
        }
    }

    fn at(query: &str) -> Url {
        Url::parse(&format!("http://127.0.0.1:3000/callback?{query}")).unwrap()
    }

    #[test]
    fn the_answer_is_a_code_a_refusal_or_an_error_when_the_state_changed() {
        let eservice = eservice();
        assert_eq!(
            eservice.answer(&at("code=c1&state=s1"), "s1").unwrap(),
            Ok("c1".to_owned())
        );
        assert_eq!(
            eservice
                .answer(
                    &at("error=access_denied&error_description=not+here&state=s1"),
                    "s1"
                )
                .unwrap(),
            Err(Refusal {
                error: "access_denied".to_owned(),
                description: Some("not here".to_owned()),
            })
        );
        assert!(matches!(
            eservice.answer(&at("code=c1&state=other"), "s1"),
            Err(LoginError::StateMismatch)
        ));
        assert!(matches!(
            eservice.answer(&at("code=c1"), "s1"),
            Err(LoginError::StateMismatch)
        ));
        assert!(matches!(
            eservice.answer(&at("state=s1"), "s1"),
            Err(LoginError::NoCode)
        ));
    }

    #[test]
    fn secrets_and_tokens_are_redacted_in_debug() {
        let debug = format!("{:?}", eservice());
        assert!(!debug.contains("a-secret"), "{debug}");
        assert!(debug.contains("Basic([redacted])"), "{debug}");
        let tokens = Tokens {
            id_token: "header.payload.signature".to_owned(),
            nonce: "the-nonce".to_owned(),
        };
        assert_eq!(format!("{tokens:?}"), "Tokens([redacted])");
    }

    #[test]
    fn urls_are_compared_without_their_query() {
        assert_eq!(
            without_query(&at("code=c1&state=s1")),
            "http://127.0.0.1:3000/callback"
        );
    }
}

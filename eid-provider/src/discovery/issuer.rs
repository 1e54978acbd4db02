//! The issuer identifier and the URL rules of discovery.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::{Host, Url};

use super::UrlProblem;

/// The path of the OpenID Connect Discovery 1.0 document, appended to the issuer.
pub const OPENID_CONFIGURATION_PATH: &str = "/.well-known/openid-configuration";

/// The well-known suffix of the RFC 8414 document, inserted between host and issuer path.
pub const OAUTH_AUTHORIZATION_SERVER_PATH: &str = "/.well-known/oauth-authorization-server";

/// The provider's issuer identifier: an `https` URL without query or fragment (RFC 8414 §2,
/// OpenID Connect Discovery 1.0 §3), or `http` on a loopback host for development and tests.
///
/// The string is kept exactly as given: `iss` claims and the discovery document carry it
/// unchanged, and it compares as an exact string (STYLE.md §3.2).
///
/// ```
/// use eid_provider::discovery::Issuer;
///
/// let issuer: Issuer = "https://eid.example/op".parse()?;
/// assert_eq!(issuer.as_str(), "https://eid.example/op");
/// assert_eq!(
///     issuer.openid_configuration_url(),
///     "https://eid.example/op/.well-known/openid-configuration",
/// );
/// assert_eq!(
///     issuer.oauth_authorization_server_url(),
///     "https://eid.example/.well-known/oauth-authorization-server/op",
/// );
/// assert!("http://eid.example".parse::<Issuer>().is_err());
/// assert!("http://127.0.0.1:8080".parse::<Issuer>().is_ok());
/// # Ok::<(), eid_provider::discovery::DiscoveryError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Issuer {
    value: String,
    /// Byte offset where the path starts (after scheme and authority).
    path_start: usize,
}

impl Issuer {
    /// The issuer exactly as configured.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The URL of an endpoint at `path` under the issuer (`path` starts with `/`; a trailing
    /// `/` of the issuer is not doubled).
    pub fn endpoint(&self, path: &str) -> String {
        let base = self.value.strip_suffix('/').unwrap_or(&self.value);
        format!("{base}{path}")
    }

    /// Where OpenID Connect Discovery 1.0 §4 looks for the document.
    pub fn openid_configuration_url(&self) -> String {
        self.endpoint(OPENID_CONFIGURATION_PATH)
    }

    /// Where RFC 8414 §3.1 looks for the document: the well-known suffix goes between the host
    /// and the issuer's path.
    pub fn oauth_authorization_server_url(&self) -> String {
        let (origin, path) = self
            .value
            .split_at_checked(self.path_start)
            .unwrap_or((&self.value, ""));
        let path = path.strip_suffix('/').unwrap_or(path);
        format!("{origin}{OAUTH_AUTHORIZATION_SERVER_PATH}{path}")
    }
}

/// Checks an absolute endpoint URL: `https`, or `http` on a loopback host; no fragment, no
/// user info. A query is allowed for endpoints (RFC 6749 §3.1), not for the issuer.
pub(super) fn check_url(value: &str, allow_query: bool) -> Result<Url, UrlProblem> {
    // The URL parser trims and drops whitespace and controls; the string is kept as given, so
    // refuse them (and non-ASCII) here.
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(UrlProblem::NotAbsoluteUrl);
    }
    let url = Url::parse(value).map_err(|_| UrlProblem::NotAbsoluteUrl)?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        _ => return Err(UrlProblem::NotHttps),
    }
    if url.host().is_none() {
        return Err(UrlProblem::NotAbsoluteUrl);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlProblem::UserInfo);
    }
    if url.fragment().is_some() || value.contains('#') {
        return Err(UrlProblem::Fragment);
    }
    if !allow_query && (url.query().is_some() || value.contains('?')) {
        return Err(UrlProblem::Query);
    }
    Ok(url)
}

/// Whether the URL's host is `localhost` or a loopback address (RFC 8252 §7.3, §8.3).
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl FromStr for Issuer {
    type Err = super::DiscoveryError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let url = check_url(value, false)
            .map_err(|problem| super::DiscoveryError::InvalidIssuer { problem })?;
        // The path starts at the first `/` after `scheme://`.
        let authority_start = url.scheme().len().saturating_add(3);
        let path_start = value
            .get(authority_start..)
            .and_then(|rest| rest.find('/'))
            .map_or(value.len(), |offset| authority_start.saturating_add(offset));
        Ok(Self {
            value: value.to_owned(),
            path_start,
        })
    }
}

impl fmt::Display for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl fmt::Debug for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Issuer").field(&self.value).finish()
    }
}

impl Serialize for Issuer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de> Deserialize<'de> for Issuer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        value.parse().map_err(serde::de::Error::custom)
    }
}

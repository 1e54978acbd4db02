//! The parameters of one authorization request, one value per name, from wherever they came:
//! the query or form, a signed request object, or a pushed request.

use std::collections::BTreeMap;
use std::fmt;

/// Names of the authorization request parameters (OIDC Core §3.1.2.1, RFC 7636, RFC 9101,
/// RFC 9126, OIDC-SE parameter extensions).
pub(crate) mod name {
    pub(crate) const ACR_VALUES: &str = "acr_values";
    pub(crate) const AUTHN_PROVIDER: &str = "https://id.oidc.se/param/authnProvider";
    pub(crate) const CLAIMS: &str = "claims";
    pub(crate) const CLIENT_ID: &str = "client_id";
    pub(crate) const CODE_CHALLENGE: &str = "code_challenge";
    pub(crate) const CODE_CHALLENGE_METHOD: &str = "code_challenge_method";
    pub(crate) const ID_TOKEN_HINT: &str = "id_token_hint";
    pub(crate) const LOGIN_HINT: &str = "login_hint";
    pub(crate) const MAX_AGE: &str = "max_age";
    pub(crate) const NONCE: &str = "nonce";
    pub(crate) const PROMPT: &str = "prompt";
    pub(crate) const REDIRECT_URI: &str = "redirect_uri";
    pub(crate) const REQUEST: &str = "request";
    pub(crate) const REQUEST_URI: &str = "request_uri";
    pub(crate) const RESPONSE_MODE: &str = "response_mode";
    pub(crate) const RESPONSE_TYPE: &str = "response_type";
    pub(crate) const SCOPE: &str = "scope";
    pub(crate) const STATE: &str = "state";
    pub(crate) const UI_LOCALES: &str = "ui_locales";
}

/// The parameters of a request: the first value of each name (an empty value counts as
/// absent, RFC 6749 §3.1), and the names that were repeated, which the validation refuses
/// (RFC 6749 §3.1) once it knows where to send the error.
///
/// `Debug` shows the names only.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct RequestParameters {
    values: BTreeMap<String, String>,
    repeated: Vec<String>,
}

impl RequestParameters {
    /// The parameters of `pairs`, in the order received.
    pub(crate) fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut values = BTreeMap::new();
        let mut seen: Vec<&str> = Vec::new();
        let mut repeated: Vec<String> = Vec::new();
        for (name, value) in pairs {
            if seen.contains(&name) {
                if !repeated.iter().any(|r| r == name) {
                    repeated.push(name.to_owned());
                }
                continue;
            }
            seen.push(name);
            if !value.is_empty() {
                values.insert(name.to_owned(), value.to_owned());
            }
        }
        Self { values, repeated }
    }

    /// Parameters with one value each (a stored pushed request).
    pub(crate) fn from_map(values: BTreeMap<String, String>) -> Self {
        let values = values.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        Self {
            values,
            repeated: Vec::new(),
        }
    }

    /// The value of `name`, if present (and not empty).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Whether `name` was repeated.
    pub(crate) fn is_repeated(&self, name: &str) -> bool {
        self.repeated.iter().any(|r| r == name)
    }

    /// The first repeated name, if any.
    pub(crate) fn first_repeated(&self) -> Option<&str> {
        self.repeated.first().map(String::as_str)
    }

    /// These parameters overridden by `inner` (OIDC Core §6.1: the request object's values
    /// win); repeats of either stay repeats.
    pub(crate) fn overridden_by(mut self, inner: BTreeMap<String, String>) -> Self {
        for (name, value) in inner {
            if value.is_empty() {
                self.values.remove(&name);
            } else {
                self.values.insert(name, value);
            }
        }
        self
    }

    /// Without parameter `name`.
    pub(crate) fn without(mut self, name: &str) -> Self {
        self.values.remove(name);
        self.repeated.retain(|r| r != name);
        self
    }

    /// The values, for storing a pushed request.
    pub(crate) fn into_map(self) -> BTreeMap<String, String> {
        self.values
    }
}

impl fmt::Debug for RequestParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestParameters")
            .field("names", &self.values.keys().collect::<Vec<_>>())
            .field("repeated", &self.repeated)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_recorded_and_empty_values_are_absent() {
        let params = RequestParameters::from_pairs([
            ("a", "1"),
            ("b", ""),
            ("a", "2"),
            ("c", "x"),
            ("a", "3"),
        ]);
        assert_eq!(params.get("a"), Some("1"));
        assert_eq!(params.get("b"), None);
        assert!(params.is_repeated("a"));
        assert!(!params.is_repeated("c"));
        assert_eq!(params.first_repeated(), Some("a"));
        assert_eq!(
            format!("{params:?}"),
            r#"RequestParameters { names: ["a", "c"], repeated: ["a"] }"#
        );
    }

    #[test]
    fn inner_values_win() {
        let outer = RequestParameters::from_pairs([("a", "outer"), ("b", "kept")]);
        let inner = BTreeMap::from([("a".to_owned(), "inner".to_owned())]);
        let merged = outer.overridden_by(inner);
        assert_eq!(merged.get("a"), Some("inner"));
        assert_eq!(merged.get("b"), Some("kept"));
        assert_eq!(merged.without("b").get("b"), None);
    }
}

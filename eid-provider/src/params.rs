//! The parameters of a request, as the HTTP layer received them (query string or form body).
//!
//! OAuth 2.0 forbids repeating a parameter (RFC 6749 §3.1, §3.2): [`Parameters`] keeps every
//! pair so that a repeat is found and refused, and bounds the count and sizes so that nothing
//! oversized reaches the protocol logic.

use std::fmt;

use crate::oauth_error::OAuthError;

/// The most parameters one request may carry.
pub const MAX_PARAMETERS: usize = 64;

/// The longest parameter name, in bytes.
pub const MAX_NAME_LEN: usize = 128;

/// The longest parameter value, in bytes (a signed request object or a `claims` request fits).
pub const MAX_VALUE_LEN: usize = 16 * 1024;

/// The decoded name-value pairs of one request, in the order received.
///
/// `Debug` shows the names only: values may be secrets, codes or personal data.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Parameters(Vec<(String, String)>);

impl Parameters {
    /// The pairs, checked against [`MAX_PARAMETERS`], [`MAX_NAME_LEN`] and [`MAX_VALUE_LEN`].
    ///
    /// # Errors
    /// `invalid_request` when a limit is exceeded.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Result<Self, OAuthError> {
        if pairs.len() > MAX_PARAMETERS {
            return Err(OAuthError::invalid_request("too many parameters"));
        }
        if let Some((name, _)) = pairs
            .iter()
            .find(|(name, value)| name.len() > MAX_NAME_LEN || value.len() > MAX_VALUE_LEN)
        {
            let shown = if name.len() > MAX_NAME_LEN {
                "(long name)"
            } else {
                name.as_str()
            };
            return Err(OAuthError::invalid_request(format!(
                "parameter {shown} is too long"
            )));
        }
        Ok(Self(pairs))
    }

    /// Parses an `application/x-www-form-urlencoded` string (a query string or a form body).
    ///
    /// # Errors
    /// `invalid_request` when a limit is exceeded.
    pub fn from_urlencoded(input: &[u8]) -> Result<Self, OAuthError> {
        let pairs = url::form_urlencoded::parse(input)
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        Self::from_pairs(pairs)
    }

    /// The value of `name` if it occurs once; `None` if absent or empty (RFC 6749 §3.1:
    /// "parameters sent without a value MUST be treated as if they were omitted").
    ///
    /// # Errors
    /// `invalid_request` when `name` occurs more than once.
    pub fn single(&self, name: &str) -> Result<Option<&str>, OAuthError> {
        let mut found = self.0.iter().filter(|(n, _)| n == name);
        let first = found.next();
        if found.next().is_some() {
            return Err(OAuthError::invalid_request(format!(
                "parameter {name} is repeated"
            )));
        }
        Ok(first.map(|(_, v)| v.as_str()).filter(|v| !v.is_empty()))
    }

    /// The value of `name`, which must occur exactly once with a value.
    ///
    /// # Errors
    /// `invalid_request` when `name` is missing, empty or repeated.
    pub fn required(&self, name: &str) -> Result<&str, OAuthError> {
        self.single(name)?
            .ok_or_else(|| OAuthError::invalid_request(format!("parameter {name} is missing")))
    }

    /// Whether `name` occurs at all (even empty).
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    /// Every pair, in the order received.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The number of pairs.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Parameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Parameters")
            .field(&self.0.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

    use super::*;
    use crate::oauth_error::OAuthErrorCode;

    #[test]
    fn a_repeated_parameter_is_refused_and_an_empty_one_is_absent() {
        let params = Parameters::from_urlencoded(b"a=1&a=2&b=&c=x%20y").unwrap();
        assert_eq!(
            params.single("a").unwrap_err().code(),
            OAuthErrorCode::InvalidRequest
        );
        assert_eq!(params.single("b").unwrap(), None);
        assert!(params.contains("b"));
        assert_eq!(params.required("c").unwrap(), "x y");
        assert!(params.required("d").is_err());
        assert_eq!(format!("{params:?}"), r#"Parameters(["a", "a", "b", "c"])"#);
    }

    #[test]
    fn limits_are_enforced() {
        let many: Vec<_> = (0..=MAX_PARAMETERS)
            .map(|i| (format!("p{i}"), String::new()))
            .collect();
        assert!(Parameters::from_pairs(many).is_err());
        let long = vec![("x".to_owned(), "v".repeat(MAX_VALUE_LEN + 1))];
        assert!(Parameters::from_pairs(long).is_err());
        let long_name = vec![("n".repeat(MAX_NAME_LEN + 1), String::new())];
        assert!(Parameters::from_pairs(long_name).is_err());
    }
}

//! Authorization responses: where they go (a registered redirect URI, with the client's
//! `state` and response mode) and what they carry (`code` or `error`, always `iss`, RFC 9207).

use std::fmt;

use crate::client::RedirectUri;
use crate::discovery::Issuer;
use crate::oauth_error::OAuthError;
use crate::provider::{AuthorizationResponse, AuthorizeOutcome, ResponseMode};
use crate::secret::AuthorizationCode;

/// Parses a `response_mode` (OAuth 2.0 Multiple Response Type Encoding Practices; Form Post
/// Response Mode). Absent means the default for `response_type=code`, the query.
///
/// # Errors
/// `invalid_request` for any other value.
pub(crate) fn parse_response_mode(value: Option<&str>) -> Result<ResponseMode, OAuthError> {
    match value {
        None | Some("query") => Ok(ResponseMode::Query),
        Some("fragment") => Ok(ResponseMode::Fragment),
        Some("form_post") => Ok(ResponseMode::FormPost),
        Some(_) => Err(OAuthError::invalid_request(
            "response_mode must be query, fragment or form_post",
        )),
    }
}

/// The wire name of a response mode (for storing it in a transaction).
pub(crate) fn response_mode_name(mode: ResponseMode) -> &'static str {
    match mode {
        ResponseMode::Fragment => "fragment",
        ResponseMode::FormPost => "form_post",
        ResponseMode::Query => "query",
    }
}

/// Where and how to answer a request whose client and redirect URI are known and trusted: a
/// redirect URI registered for the client (exact match), the response mode and the `state`.
#[derive(Clone)]
pub(crate) struct Reply {
    pub(crate) redirect_uri: RedirectUri,
    pub(crate) mode: ResponseMode,
    pub(crate) state: Option<String>,
}

impl Reply {
    /// A successful response: `code`, `state` (when the request had one) and `iss`.
    pub(crate) fn success(
        &self,
        issuer: &Issuer,
        code: &AuthorizationCode,
    ) -> AuthorizationResponse {
        let parameters = vec![("code".to_owned(), code.expose_secret().to_owned())];
        self.finish(issuer, parameters)
    }

    /// An error response (RFC 6749 §4.1.2.1): `error`, `error_description`, `state` and `iss`.
    pub(crate) fn error(&self, issuer: &Issuer, error: &OAuthError) -> AuthorizationResponse {
        let parameters = vec![
            ("error".to_owned(), error.code().as_str().to_owned()),
            (
                "error_description".to_owned(),
                error.description().to_owned(),
            ),
        ];
        self.finish(issuer, parameters)
    }

    fn finish(
        &self,
        issuer: &Issuer,
        mut parameters: Vec<(String, String)>,
    ) -> AuthorizationResponse {
        if let Some(state) = &self.state {
            parameters.push(("state".to_owned(), state.clone()));
        }
        parameters.push(("iss".to_owned(), issuer.as_str().to_owned()));
        AuthorizationResponse {
            redirect_uri: self.redirect_uri.clone(),
            mode: self.mode,
            parameters,
        }
    }
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("redirect_uri", &self.redirect_uri)
            .field("mode", &self.mode)
            .field("state", &self.state.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// A request refused: the error, and where to send it. Without a [`Reply`] (the client or
/// its redirect URI cannot be trusted) the error is shown on a page and never redirected.
#[derive(Debug)]
pub(crate) struct Rejection {
    pub(crate) error: OAuthError,
    pub(crate) reply: Option<Reply>,
}

impl Rejection {
    /// Refused on an error page.
    pub(crate) fn page(error: OAuthError) -> Self {
        Self { error, reply: None }
    }

    /// Refused at the client.
    pub(crate) fn at(reply: &Reply, error: OAuthError) -> Self {
        Self {
            error,
            reply: Some(reply.clone()),
        }
    }

    /// What the authorization endpoint does with it.
    pub(crate) fn into_outcome(self, issuer: &Issuer) -> AuthorizeOutcome {
        match self.reply {
            Some(reply) => AuthorizeOutcome::Respond(reply.error(issuer, &self.error)),
            None => AuthorizeOutcome::ErrorPage(self.error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OAuthErrorCode;

    #[test]
    fn an_error_carries_state_and_iss() {
        let reply = Reply {
            redirect_uri: "https://rp.example/cb".parse().unwrap(),
            mode: ResponseMode::Query,
            state: Some("st".into()),
        };
        let issuer: Issuer = "https://op.example".parse().unwrap();
        let error = OAuthError::new(OAuthErrorCode::AccessDenied, "cancelled");
        let response = reply.error(&issuer, &error);
        assert_eq!(
            response.location(),
            "https://rp.example/cb?error=access_denied&error_description=cancelled&state=st&iss=https%3A%2F%2Fop.example"
        );
        assert!(!format!("{reply:?}").contains("st\""));
    }

    #[test]
    fn response_modes_parse() {
        assert_eq!(parse_response_mode(None).unwrap(), ResponseMode::Query);
        assert_eq!(
            parse_response_mode(Some("form_post")).unwrap(),
            ResponseMode::FormPost
        );
        assert_eq!(
            parse_response_mode(Some("fragment")).unwrap(),
            ResponseMode::Fragment
        );
        assert_eq!(
            parse_response_mode(Some("jwt")).unwrap_err().code(),
            OAuthErrorCode::InvalidRequest
        );
        for mode in [
            ResponseMode::Query,
            ResponseMode::Fragment,
            ResponseMode::FormPost,
        ] {
            assert_eq!(
                parse_response_mode(Some(response_mode_name(mode))).unwrap(),
                mode
            );
        }
    }
}

//! openidconnect's client for one upstream, the token response the connector reads, and the
//! broker's client authentication (a secret, or a `private_key_jwt` assertion).
//!
//! The token response keeps the ID token as the compact string it is: the connector verifies it
//! with [`eid_core::verify`] (ring, the workspace's one JOSE stack) so that every check has its
//! own error, instead of letting the response parser reject a token without a `sub` or an `iat`
//! as an undifferentiated parse failure.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use eid_core::clock::UnixTime;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessToken, AuthType, AuthUrl, ClientId, CsrfToken, EmptyAdditionalClaims, EndpointNotSet,
    EndpointSet, ExtraTokenFields, IdToken, IssuerUrl, JsonWebKeySet, OAuth2TokenResponse,
    RedirectUrl, RefreshToken, Scope, StandardErrorResponse, StandardTokenResponse, TokenUrl,
};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use url::Url;

use super::config::ClientCredentials;
use super::error::{MetadataProblem, UpstreamError};

/// `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
pub(crate) const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// What `application/x-www-form-urlencoded` leaves as is: the unreserved characters (as the
/// token request of the oauth2 crate encodes them).
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How long a client assertion is valid.
const ASSERTION_LIFETIME: Duration = Duration::from_secs(60);

/// The ID token of a token response, as a compact string.
#[derive(Clone, Default, Deserialize, Serialize)]
pub(crate) struct RawIdToken {
    id_token: Option<String>,
}

impl fmt::Debug for RawIdToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawIdToken")
            .field("id_token", &self.id_token.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl ExtraTokenFields for RawIdToken {}

/// A token response whose ID token is read by the connector, not by the response parser.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(transparent)]
pub(crate) struct TokenResponse(StandardTokenResponse<RawIdToken, CoreTokenType>);

impl TokenResponse {
    pub(crate) fn id_token(&self) -> Option<&str> {
        self.0.extra_fields().id_token.as_deref()
    }
}

impl OAuth2TokenResponse for TokenResponse {
    type TokenType = CoreTokenType;

    fn access_token(&self) -> &AccessToken {
        self.0.access_token()
    }

    fn token_type(&self) -> &CoreTokenType {
        self.0.token_type()
    }

    fn expires_in(&self) -> Option<Duration> {
        self.0.expires_in()
    }

    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.0.refresh_token()
    }

    fn scopes(&self) -> Option<&Vec<Scope>> {
        self.0.scopes()
    }
}

impl
    openidconnect::TokenResponse<
        EmptyAdditionalClaims,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    > for TokenResponse
{
    /// Always `None`: the compact ID token is read with [`TokenResponse::id_token`] and
    /// verified by [`eid_core::verify`].
    fn id_token(
        &self,
    ) -> Option<
        &IdToken<
            EmptyAdditionalClaims,
            CoreGenderClaim,
            CoreJweContentEncryptionAlgorithm,
            CoreJwsSigningAlgorithm,
        >,
    > {
        None
    }
}

/// openidconnect's client with an authorization and a token endpoint.
pub(crate) type OidcClient = openidconnect::Client<
    EmptyAdditionalClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
    EndpointNotSet,
>;

/// The client for one upstream's endpoints.
pub(crate) fn oidc_client(
    client_id: &str,
    issuer: &str,
    authorization_endpoint: &Url,
    token_endpoint: &Url,
    redirect_uri: &Url,
    credentials: &ClientCredentials,
) -> Result<OidcClient, UpstreamError> {
    let malformed = |_| UpstreamError::Metadata(MetadataProblem::Malformed);
    let issuer = IssuerUrl::new(issuer.to_owned()).map_err(malformed)?;
    let client = openidconnect::Client::new(
        ClientId::new(client_id.to_owned()),
        issuer,
        JsonWebKeySet::default(),
    )
    .set_auth_uri(AuthUrl::from_url(authorization_endpoint.clone()))
    .set_token_uri(TokenUrl::from_url(token_endpoint.clone()))
    .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()));
    Ok(match credentials {
        ClientCredentials::ClientSecretBasic(secret) => client
            .set_client_secret(openidconnect::ClientSecret::new(secret.expose().to_owned()))
            .set_auth_type(AuthType::BasicAuth),
        ClientCredentials::ClientSecretPost(secret) => client
            .set_client_secret(openidconnect::ClientSecret::new(secret.expose().to_owned()))
            .set_auth_type(AuthType::RequestBody),
        ClientCredentials::PrivateKeyJwt(_) => client.set_auth_type(AuthType::RequestBody),
    })
}

/// Client authentication for a request the connector sends itself (PAR): form parameters and
/// an `Authorization` header value.
pub(crate) struct FormAuthentication {
    pub(crate) params: Vec<(&'static str, String)>,
    pub(crate) authorization: Option<String>,
}

impl fmt::Debug for FormAuthentication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FormAuthentication").finish_non_exhaustive()
    }
}

/// The client authentication of `credentials`, for an endpoint of `issuer`.
pub(crate) fn form_authentication(
    credentials: &ClientCredentials,
    client_id: &str,
    issuer: &str,
    now: UnixTime,
) -> Result<FormAuthentication, UpstreamError> {
    Ok(match credentials {
        ClientCredentials::ClientSecretBasic(secret) => {
            // RFC 6749 §2.3.1: both parts form-urlencoded before Base64.
            let user = utf8_percent_encode(client_id, FORM).to_string();
            let password = utf8_percent_encode(secret.expose(), FORM).to_string();
            FormAuthentication {
                params: Vec::new(),
                authorization: Some(format!(
                    "Basic {}",
                    STANDARD.encode(format!("{user}:{password}"))
                )),
            }
        }
        ClientCredentials::ClientSecretPost(secret) => FormAuthentication {
            params: vec![
                ("client_id", client_id.to_owned()),
                ("client_secret", secret.expose().to_owned()),
            ],
            authorization: None,
        },
        ClientCredentials::PrivateKeyJwt(_) => FormAuthentication {
            params: vec![
                ("client_id", client_id.to_owned()),
                ("client_assertion_type", JWT_BEARER.to_owned()),
                (
                    "client_assertion",
                    client_assertion(credentials, client_id, issuer, now)?.unwrap_or_default(),
                ),
            ],
            authorization: None,
        },
    })
}

/// A fresh `private_key_jwt` assertion (`iss` = `sub` = the client id, `aud` the upstream's
/// issuer, a random `jti`, one minute of validity), or `None` for a secret.
pub(crate) fn client_assertion(
    credentials: &ClientCredentials,
    client_id: &str,
    issuer: &str,
    now: UnixTime,
) -> Result<Option<String>, UpstreamError> {
    let ClientCredentials::PrivateKeyJwt(key) = credentials else {
        return Ok(None);
    };
    let claims = serde_json::json!({
        "iss": client_id,
        "sub": client_id,
        "aud": issuer,
        "jti": CsrfToken::new_random().secret(),
        "iat": now.as_secs(),
        "exp": now.saturating_add(ASSERTION_LIFETIME).as_secs(),
    });
    key.sign_jwt(&claims)
        .map(Some)
        .map_err(UpstreamError::ClientAssertion)
}

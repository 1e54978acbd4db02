//! The values the stores hold, and the opaque ids they are keyed by.
//!
//! Values are serde structs with public fields (records, not invariants: what is in them was
//! checked before it was stored), `#[non_exhaustive]` so that fields can be added, and built with
//! `new` from their required parts. Their `Debug` leaves out personal data (`subject`, claims,
//! `nonce`, `state`).

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::clock::UnixTime;
use ring::rand::SecureRandom;
use serde::{Deserialize, Serialize};

use crate::client::{ClientId, RedirectUri};
use crate::pkce::CodeChallenge;
use crate::secret::{MAX_SECRET_LEN, MalformedSecret, RandomError, SECRET_BYTES, SecretDigest};

fn random_token(rng: &dyn SecureRandom) -> Result<String, RandomError> {
    let mut bytes = [0_u8; SECRET_BYTES];
    rng.fill(&mut bytes).map_err(|_| RandomError)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

macro_rules! opaque_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name(String);

        impl $name {
            /// A fresh random id of [`SECRET_BYTES`] bytes, base64url-encoded.
            ///
            /// # Errors
            /// [`RandomError`] when the random source fails.
            pub fn generate(rng: &dyn SecureRandom) -> Result<Self, RandomError> {
                random_token(rng).map(Self)
            }

            /// An id presented by a browser, checked for size and character set only.
            ///
            /// # Errors
            /// [`MalformedSecret`] when it is empty, longer than [`MAX_SECRET_LEN`] or not
            /// printable ASCII.
            pub fn from_presented(value: &str) -> Result<Self, MalformedSecret> {
                if value.is_empty()
                    || value.len() > MAX_SECRET_LEN
                    || !value.bytes().all(|b| b.is_ascii_graphic())
                {
                    return Err(MalformedSecret);
                }
                Ok(Self(value.to_owned()))
            }

            /// The raw value, for a cookie or a URL. Never log it.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }

            /// The SHA-256 digest: what a store keys the entry by.
            pub fn digest(&self) -> SecretDigest {
                SecretDigest::of(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

opaque_id!(
    /// The id of a pending authorization transaction: a bearer value the browser carries
    /// between the authorization endpoint and the login pages.
    TransactionId
);
opaque_id!(
    /// The id of a single sign-on session, held by the browser in a cookie.
    SessionId
);

/// The longest [`GrantId`] accepted when reading one back.
const MAX_GRANT_ID_LEN: usize = 128;

/// The id of one authorization grant: the code and every token issued from it carry it, so that
/// all of them can be revoked together when the code is replayed (RFC 6749 §4.1.2).
///
/// Not a bearer secret: it is never given to a client.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GrantId(String);

impl GrantId {
    /// A fresh random grant id.
    ///
    /// # Errors
    /// [`RandomError`] when the random source fails.
    pub fn generate(rng: &dyn SecureRandom) -> Result<Self, RandomError> {
        random_token(rng).map(Self)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for GrantId {
    type Error = MalformedSecret;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        if value.is_empty()
            || value.len() > MAX_GRANT_ID_LEN
            || !value.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(MalformedSecret);
        }
        Ok(Self(value))
    }
}

impl From<GrantId> for String {
    fn from(id: GrantId) -> Self {
        id.0
    }
}

/// What an authorization code stands for (RFC 6749 §4.1.2): bound to the client, the redirect
/// URI and the PKCE challenge, and carrying what the token endpoint needs to mint tokens.
#[non_exhaustive]
#[derive(Clone, Serialize, Deserialize)]
pub struct CodeGrant {
    /// The grant the code starts; tokens issued from it carry the same id.
    pub grant_id: GrantId,
    /// The client the code was issued to.
    pub client_id: ClientId,
    /// The `redirect_uri` of the authorization request.
    pub redirect_uri: RedirectUri,
    /// The PKCE `S256` challenge of the authorization request.
    #[serde(with = "code_challenge_serde")]
    pub code_challenge: CodeChallenge,
    /// The `sub` the client will see.
    pub subject: String,
    /// When the person authenticated.
    #[serde(with = "unix_time_serde")]
    pub auth_time: UnixTime,
    /// The granted scopes.
    pub scope: Vec<String>,
    /// The `nonce` of the authorization request.
    pub nonce: Option<String>,
    /// The `acr` asserted, as its URI.
    pub acr: Option<String>,
    /// The `amr` values.
    pub amr: Vec<String>,
    /// The session id claim (`sid`) for logout.
    pub sid: Option<String>,
    /// Identity claims to release in the ID token, by name.
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// Identity claims to release at UserInfo, by name.
    #[serde(default)]
    pub userinfo_claims: serde_json::Map<String, serde_json::Value>,
    /// The DPoP key thumbprint the code is bound to (RFC 9449 §10), if any.
    pub dpop_jkt: Option<String>,
}

impl CodeGrant {
    /// A grant with its required parts; the rest empty.
    pub fn new(
        grant_id: GrantId,
        client_id: ClientId,
        redirect_uri: RedirectUri,
        code_challenge: CodeChallenge,
        subject: String,
        auth_time: UnixTime,
    ) -> Self {
        Self {
            grant_id,
            client_id,
            redirect_uri,
            code_challenge,
            subject,
            auth_time,
            scope: Vec::new(),
            nonce: None,
            acr: None,
            amr: Vec::new(),
            sid: None,
            claims: serde_json::Map::new(),
            userinfo_claims: serde_json::Map::new(),
            dpop_jkt: None,
        }
    }

    /// The grant id.
    pub fn grant_id(&self) -> &GrantId {
        &self.grant_id
    }
}

impl fmt::Debug for CodeGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeGrant")
            .field("grant_id", &self.grant_id)
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("auth_time", &self.auth_time)
            .field("scope", &self.scope)
            .field("acr", &self.acr)
            .finish_non_exhaustive()
    }
}

/// A pushed authorization request (RFC 9126): the authenticated client and the request's
/// parameters, as the PAR endpoint received them.
#[non_exhaustive]
#[derive(Clone, Serialize, Deserialize)]
pub struct PushedRequest {
    /// The client that pushed it; only this client may use the `request_uri`.
    pub client_id: ClientId,
    /// The authorization request parameters.
    pub parameters: BTreeMap<String, String>,
}

impl PushedRequest {
    /// A request pushed by `client_id`.
    pub fn new(client_id: ClientId, parameters: BTreeMap<String, String>) -> Self {
        Self {
            client_id,
            parameters,
        }
    }

    /// The client that pushed it.
    pub fn client_id(&self) -> &ClientId {
        &self.client_id
    }
}

impl fmt::Debug for PushedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushedRequest")
            .field("client_id", &self.client_id)
            .field("parameters", &self.parameters.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A validated authorization request waiting for the person to authenticate.
#[non_exhaustive]
#[derive(Clone, Serialize, Deserialize)]
pub struct AuthorizationTransaction {
    /// The client.
    pub client_id: ClientId,
    /// The redirect URI to answer at.
    pub redirect_uri: RedirectUri,
    /// The PKCE `S256` challenge.
    #[serde(with = "code_challenge_serde")]
    pub code_challenge: CodeChallenge,
    /// The client's `state`, returned as is.
    pub state: Option<String>,
    /// The client's `nonce`.
    pub nonce: Option<String>,
    /// The requested scopes.
    pub scope: Vec<String>,
    /// The requested `acr_values`, in order of preference.
    pub acr_values: Vec<String>,
    /// The `claims` request parameter (OIDC Core §5.5), if any.
    pub claims: Option<serde_json::Value>,
    /// `max_age` in seconds, if any.
    pub max_age: Option<u64>,
    /// The `prompt` values.
    pub prompt: Vec<String>,
    /// The `response_mode`, if not the default.
    pub response_mode: Option<String>,
    /// When the transaction started.
    #[serde(with = "unix_time_serde")]
    pub created: UnixTime,
    /// The `login_hint`, if any.
    #[serde(default)]
    pub login_hint: Option<String>,
    /// The `ui_locales` the provider offers, in the client's order of preference.
    #[serde(default)]
    pub ui_locales: Vec<String>,
    /// The `https://id.oidc.se/param/authnProvider` parameter, if any.
    #[serde(default)]
    pub authn_provider: Option<String>,
    /// The subject the person is expected to be: of a valid `id_token_hint` or of the
    /// browser's session (a hint for the login page).
    #[serde(default)]
    pub subject_hint: Option<String>,
    /// The subject of a valid `id_token_hint`: the login must end with this subject.
    #[serde(default)]
    pub required_subject: Option<String>,
    /// The store key of the pushed request (RFC 9126) the transaction came from, taken when
    /// the transaction completes (the digest of the request handle, never the handle).
    #[serde(default)]
    pub pushed_request: Option<String>,
}

impl AuthorizationTransaction {
    /// A transaction with its required parts; the rest empty.
    pub fn new(
        client_id: ClientId,
        redirect_uri: RedirectUri,
        code_challenge: CodeChallenge,
        created: UnixTime,
    ) -> Self {
        Self {
            client_id,
            redirect_uri,
            code_challenge,
            state: None,
            nonce: None,
            scope: Vec::new(),
            acr_values: Vec::new(),
            claims: None,
            max_age: None,
            prompt: Vec::new(),
            response_mode: None,
            created,
            login_hint: None,
            ui_locales: Vec::new(),
            authn_provider: None,
            subject_hint: None,
            required_subject: None,
            pushed_request: None,
        }
    }
}

impl fmt::Debug for AuthorizationTransaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationTransaction")
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("scope", &self.scope)
            .field("acr_values", &self.acr_values)
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

/// A single sign-on session.
#[non_exhaustive]
#[derive(Clone, Serialize, Deserialize)]
pub struct Session {
    /// The session id claim (`sid`, OIDC Back-Channel Logout §2.1), distinct from the cookie.
    pub sid: String,
    /// The authenticated person's internal key.
    pub subject: String,
    /// When the person authenticated.
    #[serde(with = "unix_time_serde")]
    pub auth_time: UnixTime,
    /// The `acr` reached, as its URI.
    pub acr: Option<String>,
    /// The `amr` values.
    pub amr: Vec<String>,
    /// The clients that received tokens in this session (for logout).
    pub clients: Vec<ClientId>,
    /// The person's identity as OpenID Connect claims (everything the authenticator gave,
    /// `Release::full`), from which each client's claims are released on single sign-on.
    #[serde(default)]
    pub identity: serde_json::Map<String, serde_json::Value>,
    /// When the session ends (its store entry expires then too); `None` for sessions stored
    /// before the field existed.
    #[serde(default, with = "option_unix_time_serde")]
    pub expires_at: Option<UnixTime>,
}

impl Session {
    /// A session with no clients yet.
    pub fn new(sid: String, subject: String, auth_time: UnixTime) -> Self {
        Self {
            sid,
            subject,
            auth_time,
            acr: None,
            amr: Vec::new(),
            clients: Vec::new(),
            identity: serde_json::Map::new(),
            expires_at: None,
        }
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("auth_time", &self.auth_time)
            .field("acr", &self.acr)
            .field("clients", &self.clients)
            .finish_non_exhaustive()
    }
}

/// What an opaque access token stands for.
#[non_exhaustive]
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredAccessToken {
    /// The grant it was issued from.
    pub grant_id: GrantId,
    /// The client it was issued to.
    pub client_id: ClientId,
    /// The `sub` the client sees.
    pub subject: String,
    /// The granted scopes.
    pub scope: Vec<String>,
    /// When it was issued.
    #[serde(with = "unix_time_serde")]
    pub issued_at: UnixTime,
    /// When it expires (for introspection's `exp`).
    #[serde(with = "unix_time_serde")]
    pub expires_at: UnixTime,
    /// Identity claims for UserInfo, by name.
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// The DPoP key thumbprint it is bound to (RFC 9449 §6), if any.
    pub dpop_jkt: Option<String>,
}

impl StoredAccessToken {
    /// A token with its required parts; the rest empty.
    pub fn new(
        grant_id: GrantId,
        client_id: ClientId,
        subject: String,
        issued_at: UnixTime,
        expires_at: UnixTime,
    ) -> Self {
        Self {
            grant_id,
            client_id,
            subject,
            scope: Vec::new(),
            issued_at,
            expires_at,
            claims: serde_json::Map::new(),
            dpop_jkt: None,
        }
    }
}

impl fmt::Debug for StoredAccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredAccessToken")
            .field("grant_id", &self.grant_id)
            .field("client_id", &self.client_id)
            .field("scope", &self.scope)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// What a refresh token stands for.
#[non_exhaustive]
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredRefreshToken {
    /// The grant it was issued from.
    pub grant_id: GrantId,
    /// The client it was issued to.
    pub client_id: ClientId,
    /// The `sub` the client sees.
    pub subject: String,
    /// The granted scopes.
    pub scope: Vec<String>,
    /// When the person authenticated (kept in refreshed ID tokens).
    #[serde(with = "unix_time_serde")]
    pub auth_time: UnixTime,
    /// The `acr` asserted at authentication.
    pub acr: Option<String>,
    /// The `amr` values of the authentication.
    #[serde(default)]
    pub amr: Vec<String>,
    /// The session id claim (`sid`) of the session the grant came from.
    #[serde(default)]
    pub sid: Option<String>,
    /// Identity claims for refreshed ID tokens, by name.
    #[serde(default)]
    pub id_token_claims: serde_json::Map<String, serde_json::Value>,
    /// Identity claims for UserInfo with access tokens from this refresh token, by name.
    #[serde(default)]
    pub userinfo_claims: serde_json::Map<String, serde_json::Value>,
    /// When it expires.
    #[serde(with = "unix_time_serde")]
    pub expires_at: UnixTime,
}

impl StoredRefreshToken {
    /// A token with its required parts; the rest empty.
    pub fn new(
        grant_id: GrantId,
        client_id: ClientId,
        subject: String,
        auth_time: UnixTime,
        expires_at: UnixTime,
    ) -> Self {
        Self {
            grant_id,
            client_id,
            subject,
            scope: Vec::new(),
            auth_time,
            acr: None,
            amr: Vec::new(),
            sid: None,
            id_token_claims: serde_json::Map::new(),
            userinfo_claims: serde_json::Map::new(),
            expires_at,
        }
    }
}

impl fmt::Debug for StoredRefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredRefreshToken")
            .field("grant_id", &self.grant_id)
            .field("client_id", &self.client_id)
            .field("scope", &self.scope)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// `UnixTime` as a JSON number of seconds.
mod unix_time_serde {
    use eid_core::clock::UnixTime;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(time: &UnixTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(time.as_secs())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<UnixTime, D::Error> {
        u64::deserialize(d).map(UnixTime::from_secs)
    }
}

/// `Option<UnixTime>` as a JSON number of seconds or `null`.
mod option_unix_time_serde {
    use eid_core::clock::UnixTime;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        time: &Option<UnixTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match time {
            Some(time) => s.serialize_some(&time.as_secs()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<UnixTime>, D::Error> {
        Option::<u64>::deserialize(d).map(|secs| secs.map(UnixTime::from_secs))
    }
}

/// `CodeChallenge` as its base64url text.
mod code_challenge_serde {
    use serde::{Deserialize as _, Deserializer, Serializer};

    use crate::pkce::CodeChallenge;

    pub(super) fn serialize<S: Serializer>(c: &CodeChallenge, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&c.to_base64url())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<CodeChallenge, D::Error> {
        let text = String::deserialize(d)?;
        CodeChallenge::parse(&text).map_err(serde::de::Error::custom)
    }
}

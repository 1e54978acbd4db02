//! Bearer secrets: authorization codes, access and refresh tokens, PAR request handles, client
//! secrets.
//!
//! Each is a newtype whose `Debug` prints `Name([redacted])`, that has no `Display`, no
//! `PartialEq`, and whose raw value is reached only through the greppable `expose_secret`.
//! Comparison is in constant time ([`subtle`]); stores key secrets by their SHA-256
//! [`SecretDigest`], so that a dump of a store holds nothing a client could present.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SecureRandom;
use subtle::ConstantTimeEq as _;

/// The number of random bytes in every secret we issue: 256 bits, above the 128 bits that
/// RFC 6749 §10.10 and FAPI 2.0 ask for.
pub const SECRET_BYTES: usize = 32;

/// The longest secret we accept from a client, in bytes; longer input is refused before any work.
pub const MAX_SECRET_LEN: usize = 512;

/// The SHA-256 digest of a secret: what stores use as a key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecretDigest([u8; 32]);

impl SecretDigest {
    /// The digest of `secret`.
    pub fn of(secret: &str) -> Self {
        let digest = ring::digest::digest(&ring::digest::SHA256, secret.as_bytes());
        let mut bytes = [0_u8; 32];
        bytes.copy_from_slice(digest.as_ref());
        Self(bytes)
    }

    /// The digest as base64url text, for stores whose keys are strings.
    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }
}

impl fmt::Debug for SecretDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A digest is not the secret, but it identifies one: keep it out of logs too.
        f.write_str("SecretDigest([redacted])")
    }
}

/// The random source could not produce bytes (the operating system's generator failed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the system random number generator failed")]
pub struct RandomError;

/// A secret presented by a client is empty, too long, or not printable ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the secret is empty, longer than {MAX_SECRET_LEN} bytes, or not printable ASCII")]
pub struct MalformedSecret;

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name(String);

        impl $name {
            /// A fresh value of [`SECRET_BYTES`] random bytes, base64url-encoded.
            ///
            /// # Errors
            /// [`RandomError`] when the random source fails.
            pub fn generate(rng: &dyn SecureRandom) -> Result<Self, RandomError> {
                let mut bytes = [0_u8; SECRET_BYTES];
                rng.fill(&mut bytes).map_err(|_| RandomError)?;
                Ok(Self(URL_SAFE_NO_PAD.encode(bytes)))
            }

            /// A value presented by a client, checked for size and character set only.
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

            /// The raw value, for putting on the wire. Never log it.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }

            /// The SHA-256 digest, for use as a store key.
            pub fn digest(&self) -> SecretDigest {
                SecretDigest::of(&self.0)
            }

            /// Constant-time comparison with another value.
            pub fn ct_eq(&self, other: &Self) -> bool {
                self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_type!(
    /// An authorization code (RFC 6749 §4.1.2): single use, short-lived, bound to a client.
    AuthorizationCode
);
secret_type!(
    /// An opaque access token (RFC 6749 §1.4).
    AccessToken
);
secret_type!(
    /// A refresh token (RFC 6749 §1.5), bound to the client it was issued to.
    RefreshToken
);
secret_type!(
    /// The random part of a pushed authorization request's `request_uri` (RFC 9126 §2.2).
    RequestHandle
);
secret_type!(
    /// A client secret for `client_secret_basic` / `client_secret_post` (RFC 6749 §2.3.1).
    ClientSecret
);

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;

    use super::*;

    #[test]
    fn generated_secrets_are_long_distinct_and_redacted() {
        let rng = SystemRandom::new();
        let a = AuthorizationCode::generate(&rng).unwrap();
        let b = AuthorizationCode::generate(&rng).unwrap();
        assert_eq!(a.expose_secret().len(), 43); // 32 bytes in base64url without padding
        assert!(!a.ct_eq(&b));
        assert!(a.ct_eq(&a.clone()));
        assert_ne!(a.digest(), b.digest());
        assert_eq!(format!("{a:?}"), "AuthorizationCode([redacted])");
        assert_eq!(format!("{:?}", a.digest()), "SecretDigest([redacted])");
    }

    #[test]
    fn presented_secrets_are_bounded() {
        assert!(matches!(
            AccessToken::from_presented(""),
            Err(MalformedSecret)
        ));
        assert!(matches!(
            AccessToken::from_presented(" x"),
            Err(MalformedSecret)
        ));
        assert!(matches!(
            AccessToken::from_presented("å"),
            Err(MalformedSecret)
        ));
        let long = "a".repeat(MAX_SECRET_LEN + 1);
        assert!(matches!(
            AccessToken::from_presented(&long),
            Err(MalformedSecret)
        ));
        let ok = AccessToken::from_presented("abc.DEF-_~+/=").unwrap();
        assert_eq!(ok.expose_secret(), "abc.DEF-_~+/=");
        assert_eq!(ok.digest(), SecretDigest::of("abc.DEF-_~+/="));
    }
}

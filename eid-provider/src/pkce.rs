//! Proof Key for Code Exchange (RFC 7636), `S256` only.
//!
//! The Swedish OIDC profile (§2.1.8) and FAPI 2.0 require `S256` and forbid `plain`, so `plain`
//! cannot be expressed: a request naming it is refused when parsed.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq as _;

/// Why a PKCE parameter was refused.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PkceError {
    /// `code_challenge_method=plain`, which we never allow (RFC 7636 §7.2, OIDC-SE §2.1.8).
    #[error("code_challenge_method plain is not allowed; use S256")]
    PlainRefused,
    /// A `code_challenge_method` other than `S256` or `plain`.
    #[error("unsupported code_challenge_method; use S256")]
    UnsupportedMethod,
    /// The challenge is not the base64url encoding (no padding) of a 32-byte SHA-256 digest.
    #[error("code_challenge must be 43 base64url characters (a SHA-256 digest)")]
    MalformedChallenge,
    /// The verifier is not 43–128 characters of `[A-Za-z0-9-._~]` (RFC 7636 §4.1).
    #[error("code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]")]
    MalformedVerifier,
}

/// The only code challenge method we support.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodeChallengeMethod {
    /// `S256`: the challenge is `BASE64URL(SHA256(ASCII(code_verifier)))`.
    S256,
}

impl CodeChallengeMethod {
    /// Parses the `code_challenge_method` parameter.
    ///
    /// # Errors
    /// [`PkceError::PlainRefused`] for `plain`, [`PkceError::UnsupportedMethod`] otherwise.
    pub fn parse(value: &str) -> Result<Self, PkceError> {
        match value {
            "S256" => Ok(Self::S256),
            "plain" => Err(PkceError::PlainRefused),
            _ => Err(PkceError::UnsupportedMethod),
        }
    }

    /// The registered name, `S256`.
    pub const fn as_str(self) -> &'static str {
        "S256"
    }
}

/// A `code_challenge` (S256): the digest of the client's verifier.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeChallenge([u8; 32]);

impl CodeChallenge {
    /// Parses an S256 `code_challenge`.
    ///
    /// # Errors
    /// [`PkceError::MalformedChallenge`] unless it is 43 base64url characters decoding to 32
    /// bytes.
    pub fn parse(value: &str) -> Result<Self, PkceError> {
        if value.len() != 43 {
            return Err(PkceError::MalformedChallenge);
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(value)
            .map_err(|_| PkceError::MalformedChallenge)?;
        let digest: [u8; 32] = bytes
            .try_into()
            .map_err(|_| PkceError::MalformedChallenge)?;
        Ok(Self(digest))
    }

    /// The challenge that belongs to `verifier`.
    pub fn from_verifier(verifier: &CodeVerifier) -> Self {
        let digest = ring::digest::digest(&ring::digest::SHA256, verifier.0.as_bytes());
        let mut bytes = [0_u8; 32];
        bytes.copy_from_slice(digest.as_ref());
        Self(bytes)
    }

    /// Whether `verifier` answers this challenge, compared in constant time.
    pub fn is_answered_by(&self, verifier: &CodeVerifier) -> bool {
        let expected = Self::from_verifier(verifier);
        self.0.ct_eq(&expected.0).into()
    }

    /// The wire form: 43 base64url characters.
    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }
}

impl fmt::Debug for CodeChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Public (it travels in the front channel), but it links a login to a token request.
        f.write_str("CodeChallenge(..)")
    }
}

/// A `code_verifier` presented at the token endpoint: a secret.
#[derive(Clone)]
pub struct CodeVerifier(String);

impl CodeVerifier {
    /// Parses a `code_verifier` (RFC 7636 §4.1).
    ///
    /// # Errors
    /// [`PkceError::MalformedVerifier`] unless it has 43–128 characters of `[A-Za-z0-9-._~]`.
    pub fn parse(value: &str) -> Result<Self, PkceError> {
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if !(43..=128).contains(&value.len()) || !value.bytes().all(allowed) {
            return Err(PkceError::MalformedVerifier);
        }
        Ok(Self(value.to_owned()))
    }

    /// The raw verifier. Never log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeVerifier([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vector of standards.md §1.1 (ID-porten's documentation, independently reproduced).
    const VERIFIER: &str = "xyo94uhy3zKvgB0NJwLms86SwcjtWviEOpkBnGgaLlo";
    const CHALLENGE: &str = "b7elB7ZyxIXgFyvBznKvxl7wOB-H17Pz0a3B62NIMFI";

    #[test]
    fn s256_vector() {
        let verifier = CodeVerifier::parse(VERIFIER).unwrap();
        let challenge = CodeChallenge::parse(CHALLENGE).unwrap();
        assert!(challenge.is_answered_by(&verifier));
        assert_eq!(
            CodeChallenge::from_verifier(&verifier).to_base64url(),
            CHALLENGE
        );
    }

    #[test]
    fn rfc7636_appendix_b_vector() {
        let verifier = CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        let challenge =
            CodeChallenge::parse("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM").unwrap();
        assert!(challenge.is_answered_by(&verifier));
    }

    #[test]
    fn wrong_verifier_is_refused() {
        let challenge = CodeChallenge::parse(CHALLENGE).unwrap();
        let other = CodeVerifier::parse(&"a".repeat(43)).unwrap();
        assert!(!challenge.is_answered_by(&other));
    }

    #[test]
    fn plain_and_unknown_methods_are_refused() {
        assert_eq!(
            CodeChallengeMethod::parse("S256"),
            Ok(CodeChallengeMethod::S256)
        );
        assert_eq!(
            CodeChallengeMethod::parse("plain"),
            Err(PkceError::PlainRefused)
        );
        assert_eq!(
            CodeChallengeMethod::parse("s256"),
            Err(PkceError::UnsupportedMethod)
        );
        assert_eq!(
            CodeChallengeMethod::parse(""),
            Err(PkceError::UnsupportedMethod)
        );
    }

    #[test]
    fn malformed_values_are_refused() {
        // Any 32-byte digest is a well-formed challenge.
        assert!(CodeChallenge::parse(VERIFIER).is_ok());
        assert!(matches!(
            CodeChallenge::parse("short"),
            Err(PkceError::MalformedChallenge)
        ));
        assert!(matches!(
            CodeChallenge::parse(&"*".repeat(43)),
            Err(PkceError::MalformedChallenge)
        ));
        assert!(matches!(
            CodeVerifier::parse(&"a".repeat(42)),
            Err(PkceError::MalformedVerifier)
        ));
        assert!(matches!(
            CodeVerifier::parse(&"a".repeat(129)),
            Err(PkceError::MalformedVerifier)
        ));
        assert!(matches!(
            CodeVerifier::parse(&format!("{}+", "a".repeat(43))),
            Err(PkceError::MalformedVerifier)
        ));
        assert_eq!(
            format!("{:?}", CodeVerifier::parse(VERIFIER).unwrap()),
            "CodeVerifier([redacted])"
        );
    }
}

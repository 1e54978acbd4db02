//! Signature AlgorithmIdentifiers (RFC 3279 §2.2, RFC 4055 §3.1 and §5, RFC 5758 §3.2, BSI
//! TR-03111 §5.2.1) to [`SignatureAlgorithm`].

use x509_parser::asn1_rs::{Any, Class, FromDer, Integer, Oid, Sequence, Tag};

use super::{KeyPart, SignatureAlgorithm, SignatureError};
use crate::emrtd::digest::DigestAlgorithm;

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const MGF1: &str = "1.2.840.113549.1.1.8";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
/// The largest PSS salt we accept (far above any real one, below any modulus limit issue).
const MAX_SALT_LEN: usize = 1024;

pub(super) fn from_algorithm_identifier(
    oid: &str,
    parameters: Option<&[u8]>,
    digest_hint: Option<DigestAlgorithm>,
) -> Result<SignatureAlgorithm, SignatureError> {
    use DigestAlgorithm::{Sha1, Sha224, Sha256, Sha384, Sha512};
    let hinted = || {
        digest_hint.ok_or_else(|| SignatureError::DigestRequired {
            oid: oid.to_owned(),
        })
    };
    let pkcs1 = |digest| {
        null_or_absent(parameters)?;
        Ok(SignatureAlgorithm::RsaPkcs1 { digest })
    };
    let ecdsa = |digest| {
        null_or_absent(parameters)?;
        Ok(SignatureAlgorithm::Ecdsa { digest })
    };
    match oid {
        RSA_ENCRYPTION => pkcs1(hinted()?),
        // sha*WithRSAEncryption (RFC 4055 §5), and the OIW sha1WithRSASignature.
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => pkcs1(Sha1),
        "1.2.840.113549.1.1.14" => pkcs1(Sha224),
        "1.2.840.113549.1.1.11" => pkcs1(Sha256),
        "1.2.840.113549.1.1.12" => pkcs1(Sha384),
        "1.2.840.113549.1.1.13" => pkcs1(Sha512),
        RSASSA_PSS => pss(parameters),
        EC_PUBLIC_KEY => ecdsa(hinted()?),
        // ecdsa-with-SHA* (RFC 3279 §2.2.3, RFC 5758 §3.2).
        "1.2.840.10045.4.1" => ecdsa(Sha1),
        "1.2.840.10045.4.3.1" => ecdsa(Sha224),
        "1.2.840.10045.4.3.2" => ecdsa(Sha256),
        "1.2.840.10045.4.3.3" => ecdsa(Sha384),
        "1.2.840.10045.4.3.4" => ecdsa(Sha512),
        // ecdsa-plain-SHA* (BSI TR-03111 §5.2.1), as DG14 names active authentication.
        "0.4.0.127.0.7.1.1.4.1.1" => ecdsa(Sha1),
        "0.4.0.127.0.7.1.1.4.1.2" => ecdsa(Sha224),
        "0.4.0.127.0.7.1.1.4.1.3" => ecdsa(Sha256),
        "0.4.0.127.0.7.1.1.4.1.4" => ecdsa(Sha384),
        "0.4.0.127.0.7.1.1.4.1.5" => ecdsa(Sha512),
        _ => Err(SignatureError::UnsupportedAlgorithm {
            oid: oid.to_owned(),
        }),
    }
}

const fn malformed() -> SignatureError {
    SignatureError::Malformed {
        part: KeyPart::AlgorithmParameters,
    }
}

/// Parameters absent or NULL, as RFC 4055 §5 and RFC 5758 §3.2 allow.
fn null_or_absent(parameters: Option<&[u8]>) -> Result<(), SignatureError> {
    match parameters {
        None | Some([0x05, 0x00]) => Ok(()),
        Some(_) => Err(malformed()),
    }
}

/// A hash AlgorithmIdentifier (parameters absent or NULL).
fn hash_algorithm(der: &[u8]) -> Result<DigestAlgorithm, SignatureError> {
    let (oid, parameters) = algorithm_identifier(der)?;
    null_or_absent(parameters)?;
    DigestAlgorithm::from_oid(&oid).ok_or(SignatureError::UnsupportedParameters)
}

/// An AlgorithmIdentifier's dotted OID and the DER of its parameters.
fn algorithm_identifier(der: &[u8]) -> Result<(String, Option<&[u8]>), SignatureError> {
    let (rest, (oid, parameters)) = Sequence::from_der_and_then(der, |content| {
        let (content, oid) = Oid::from_der(content)?;
        let (after, parameters) = Option::<Any<'_>>::from_der(content)?;
        // The parameters' whole DER (header and content) as it stands in the input.
        let raw = parameters.and_then(|_| content.get(..content.len() - after.len()));
        Ok((after, (oid, raw)))
    })
    .map_err(|_| malformed())?;
    if !rest.is_empty() {
        return Err(malformed());
    }
    Ok((oid.to_id_string(), parameters))
}

/// RSASSA-PSS-params (RFC 4055 §3.1): hash \[0\] (default SHA-1), MGF \[1\] (default MGF1
/// with SHA-1), salt length \[2\] (default 20), trailer field \[3\] (default 1, i.e. 0xBC).
fn pss(parameters: Option<&[u8]>) -> Result<SignatureAlgorithm, SignatureError> {
    let mut digest = DigestAlgorithm::Sha1;
    let mut mgf_digest = DigestAlgorithm::Sha1;
    let mut salt_len = 20_usize;
    if let Some(der) = parameters {
        let (rest, sequence) = Sequence::from_der(der).map_err(|_| malformed())?;
        if !rest.is_empty() {
            return Err(malformed());
        }
        let mut content: &[u8] = sequence.content.as_ref();
        let mut last_tag = None;
        while !content.is_empty() {
            let (next, field) = Any::from_der(content).map_err(|_| malformed())?;
            content = next;
            if field.header.class() != Class::ContextSpecific || !field.header.is_constructed() {
                return Err(malformed());
            }
            let Tag(tag) = field.header.tag();
            // Fields in order, each at most once.
            if last_tag.is_some_and(|last| tag <= last) {
                return Err(malformed());
            }
            last_tag = Some(tag);
            match tag {
                0 => digest = hash_algorithm(field.data)?,
                1 => {
                    let (oid, mgf_parameters) = algorithm_identifier(field.data)?;
                    if oid != MGF1 {
                        return Err(SignatureError::UnsupportedParameters);
                    }
                    mgf_digest = hash_algorithm(mgf_parameters.ok_or_else(malformed)?)?;
                }
                2 => salt_len = small_integer(field.data)?,
                3 => {
                    if small_integer(field.data)? != 1 {
                        return Err(SignatureError::UnsupportedParameters);
                    }
                }
                _ => return Err(malformed()),
            }
        }
    }
    if salt_len > MAX_SALT_LEN {
        return Err(SignatureError::UnsupportedParameters);
    }
    Ok(SignatureAlgorithm::RsaPss {
        digest,
        mgf_digest,
        salt_len,
    })
}

/// A whole DER INTEGER in 0..2³².
fn small_integer(der: &[u8]) -> Result<usize, SignatureError> {
    let (rest, integer) = Integer::from_der(der).map_err(|_| malformed())?;
    if !rest.is_empty() {
        return Err(malformed());
    }
    let value = integer.as_u32().map_err(|_| malformed())?;
    usize::try_from(value).map_err(|_| malformed())
}

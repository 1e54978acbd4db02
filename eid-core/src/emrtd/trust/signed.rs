//! The signer side of CMS `SignedData` shared by EF.SOD and master lists: signer lookup,
//! signed-attribute checks and the signature with the signer's key.

use std::sync::Arc;

use super::{Certificate, CryptoFailure, DistinguishedName, SignedAttribute, normalize_serial};
use crate::emrtd::cms::{SignedData, SignerIdentifier, SignerInfo};

/// Why a `SignedData` signature was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SignedDataFailure {
    Malformed(&'static str),
    SignerNotFound,
    SignedAttrs(SignedAttribute),
    Unsupported,
    Invalid,
}

/// The signer found and its signature verified.
#[derive(Debug)]
pub(crate) struct VerifiedSigner {
    pub(crate) signer: Arc<Certificate>,
    pub(crate) others: Vec<Arc<Certificate>>,
}

/// The only `SignerInfo`.
pub(crate) fn single_signer(signed_data: &SignedData) -> Result<&SignerInfo, SignedDataFailure> {
    match signed_data.signer_infos() {
        [one] => Ok(one),
        _ => Err(SignedDataFailure::Malformed("signer infos")),
    }
}

/// Finds the signer certificate among the `SignedData` certificates (at most `max`), checks the
/// signed attributes and verifies the signature. `cached` may supply already parsed
/// certificates by their DER.
pub(crate) fn verify_signed_data(
    signed_data: &SignedData,
    max: usize,
    cached: &dyn Fn(&[u8]) -> Option<Arc<Certificate>>,
) -> Result<VerifiedSigner, SignedDataFailure> {
    let signer = single_signer(signed_data)?;
    let raw = signed_data.certificates();
    if raw.len() > max {
        return Err(SignedDataFailure::Malformed("certificates"));
    }
    let issuer = match signer.sid() {
        SignerIdentifier::IssuerAndSerial { issuer, .. } => Some(
            DistinguishedName::from_der(issuer)
                .map_err(|_| SignedDataFailure::Malformed("signer identifier"))?,
        ),
        _ => None,
    };
    let mut found = None;
    let mut others = Vec::new();
    for der in raw {
        let certificate = match cached(der) {
            Some(hit) => hit,
            None => Arc::new(
                Certificate::from_der(der)
                    .map_err(|_| SignedDataFailure::Malformed("certificate"))?,
            ),
        };
        let is_signer = match (signer.sid(), &issuer) {
            (SignerIdentifier::IssuerAndSerial { serial, .. }, Some(issuer)) => {
                certificate.serial() == normalize_serial(serial)
                    && certificate.issuer().matches(issuer)
            }
            (SignerIdentifier::SubjectKeyIdentifier(id), _) => {
                certificate.subject_key_identifier() == Some(id.as_slice())
            }
            _ => false,
        };
        if is_signer && found.is_none() {
            found = Some(certificate);
        } else {
            others.push(certificate);
        }
    }
    let found = found.ok_or(SignedDataFailure::SignerNotFound)?;

    let attributes = signer
        .signed_attributes()
        .ok_or(SignedDataFailure::SignedAttrs(SignedAttribute::Missing))?;
    if attributes.content_type() != Some(signed_data.econtent_type()) {
        return Err(SignedDataFailure::SignedAttrs(SignedAttribute::ContentType));
    }
    let digest = signer.digest_algorithm();
    if attributes.message_digest() != Some(digest.digest(signed_data.econtent()).as_slice()) {
        return Err(SignedDataFailure::SignedAttrs(
            SignedAttribute::MessageDigest,
        ));
    }
    let algorithm = signer.signature_algorithm();
    let key = found.key().map_err(|failure| match failure {
        CryptoFailure::Unsupported => SignedDataFailure::Unsupported,
        CryptoFailure::Malformed | CryptoFailure::Invalid => {
            SignedDataFailure::Malformed("signer key")
        }
    })?;
    key.verify(
        &algorithm.oid,
        algorithm.parameters.as_deref(),
        Some(digest),
        attributes.signed_bytes(),
        signer.signature(),
    )
    .map_err(|failure| match failure {
        CryptoFailure::Unsupported => SignedDataFailure::Unsupported,
        CryptoFailure::Malformed | CryptoFailure::Invalid => SignedDataFailure::Invalid,
    })?;
    Ok(VerifiedSigner {
        signer: found,
        others,
    })
}

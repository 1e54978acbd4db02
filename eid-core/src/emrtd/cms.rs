//! CMS `SignedData` (RFC 5652 §5) as EF.SOD and CSCA master lists wrap it.
//!
//! [`SignedData::from_content_info_ber`] reads a `ContentInfo` whose content type is
//! `id-signedData`, in BER: real EF.SODs use indefinite lengths (New Zealand) and constructed
//! OCTET STRINGs are allowed. It checks structure only; what the signature covers is exposed for
//! the verifier:
//!
//! - the encapsulated content type and content ([`SignedData::econtent_type`],
//!   [`SignedData::econtent`]),
//! - the certificates, each as the bytes received ([`SignedData::certificates`]),
//! - per signer ([`SignerInfo`]): the signer identifier, the digest and signature algorithms,
//!   the signature, and the signed attributes ([`SignedAttributes`]) whose
//!   [`signed_bytes`](SignedAttributes::signed_bytes) are the attributes exactly as received with
//!   the `[0]` tag replaced by `0x31` (RFC 5652 §5.4: never re-encoded), and whose content-type
//!   and message-digest attributes the verifier must compare with the content.
//!
//! [`CscaMasterList`] reads the content of an ICAO CSCA master list (ICAO 9303 part 12 §9).
//!
//! ```
//! use eid_core::emrtd::cms::SignedData;
//! use eid_core::emrtd::digest::DigestAlgorithm;
//!
//! // A real New Zealand EF.SOD: BER with indefinite lengths, inside the 0x77 wrapper.
//! let sod = include_bytes!("../../tests/data/emrtd/real_sods/NZ_gmrtd/EF_SOD.bin");
//! let content_info = &sod[4..]; // 77 82 08 52: the wrapper's header
//! let signed_data = SignedData::from_content_info_ber(content_info)?;
//! assert_eq!(signed_data.econtent_type(), "2.23.136.1.1.1");
//! assert_eq!(signed_data.certificates().len(), 1);
//!
//! let signer = &signed_data.signer_infos()[0];
//! assert_eq!(signer.digest_algorithm(), DigestAlgorithm::Sha256);
//! let attributes = signer.signed_attributes().expect("an eMRTD signer signs attributes");
//! assert_eq!(attributes.content_type(), Some(signed_data.econtent_type()));
//! assert_eq!(
//!     attributes.message_digest(),
//!     Some(signer.digest_algorithm().digest(signed_data.econtent()).as_slice())
//! );
//! assert_eq!(attributes.signed_bytes()[0], 0x31);
//! # Ok::<(), eid_core::emrtd::cms::CmsError>(())
//! ```

use std::fmt;

use asn1_rs::{Class, Tag};

use super::digest::DigestAlgorithm;

pub(crate) mod ber;
mod error;
mod master_list;

pub use error::CmsError;
pub use master_list::{CSCA_MASTER_LIST_OID, CscaMasterList};

use ber::{Element, Malformed};

/// `id-signedData` (RFC 5652 §5.1).
pub const SIGNED_DATA_OID: &str = "1.2.840.113549.1.7.2";
/// The content-type attribute (RFC 5652 §11.1).
pub const CONTENT_TYPE_ATTRIBUTE_OID: &str = "1.2.840.113549.1.9.3";
/// The message-digest attribute (RFC 5652 §11.2).
pub const MESSAGE_DIGEST_ATTRIBUTE_OID: &str = "1.2.840.113549.1.9.4";
/// The largest `ContentInfo` [`SignedData::from_content_info_ber`] reads, in bytes: room for
/// the largest master lists (about 1 MB in 2026).
pub const MAX_CMS_LEN: usize = 4 * 1024 * 1024;

/// An AlgorithmIdentifier (RFC 5280 §4.1.1.2).
///
/// ```text
/// AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlgorithmIdentifier {
    /// The algorithm, dotted.
    pub oid: String,
    /// The parameters element as received (tag, length and content), if present; an explicit
    /// NULL is `Some([0x05, 0x00])`.
    pub parameters: Option<Vec<u8>>,
}

impl AlgorithmIdentifier {
    fn from_element(element: &Element<'_>) -> Result<Self, Malformed> {
        let (oid, parameters) = ber::algorithm_identifier(element)?;
        Ok(Self { oid, parameters })
    }
}

/// Who signed (RFC 5652 §5.3).
///
/// ```text
/// SignerIdentifier ::= CHOICE {
///   issuerAndSerialNumber IssuerAndSerialNumber,
///   subjectKeyIdentifier [0] SubjectKeyIdentifier }
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerIdentifier {
    /// The certificate's issuer and serial number.
    IssuerAndSerial {
        /// The issuer `Name`, as received (DER in practice). Its RDNs may come in another
        /// order than in the certificate (a Malaysian SOD does).
        issuer: Vec<u8>,
        /// The serial number's INTEGER content octets as encoded (big-endian two's complement,
        /// a leading `0x00` kept), as x509-parser's `raw_serial()` gives them.
        serial: Vec<u8>,
    },
    /// The certificate's subject key identifier.
    SubjectKeyIdentifier(Vec<u8>),
}

/// The signed attributes of a signer (RFC 5652 §5.3, §5.4).
///
/// ```text
/// SignedAttributes ::= SET SIZE (1..MAX) OF Attribute
/// Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedAttributes {
    signed_bytes: Vec<u8>,
    content_type: Option<String>,
    message_digest: Option<Vec<u8>>,
    attribute_types: Vec<String>,
}

impl SignedAttributes {
    /// The bytes the signature covers: the attributes exactly as received, with the implicit
    /// `[0]` tag (`0xA0`) replaced by the SET tag `0x31` (RFC 5652 §5.4). Never re-encoded.
    pub fn signed_bytes(&self) -> &[u8] {
        &self.signed_bytes
    }

    /// The content-type attribute's value, dotted; `None` if absent. The verifier must check it
    /// equals [`SignedData::econtent_type`].
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The message-digest attribute's value; `None` if absent. The verifier must check it
    /// equals the digest of [`SignedData::econtent`].
    pub fn message_digest(&self) -> Option<&[u8]> {
        self.message_digest.as_deref()
    }

    /// The type of every attribute, dotted, in the order received (signing time, signing
    /// certificate and others are allowed and not interpreted).
    pub fn attribute_types(&self) -> impl Iterator<Item = &str> {
        self.attribute_types.iter().map(String::as_str)
    }

    fn from_element(element: &Element<'_>) -> Result<Self, CmsError> {
        let malformed = |_: Malformed| CmsError::Malformed {
            structure: "SignedAttributes",
        };
        let mut signed_bytes = element.raw().to_vec();
        match signed_bytes.first_mut() {
            Some(tag) if *tag == 0xA0 => *tag = 0x31,
            _ => return Err(malformed(Malformed)),
        }
        let mut attributes = element.children().map_err(malformed)?;
        let mut content_type = None;
        let mut message_digest = None;
        let mut attribute_types = Vec::new();
        while let Some(attribute) = attributes.next().map_err(malformed)? {
            let mut fields = attribute.sequence().map_err(malformed)?;
            let attribute_type = fields
                .required()
                .and_then(|oid| oid.oid())
                .map_err(malformed)?;
            let values = fields.required().map_err(malformed)?;
            fields.finish().map_err(malformed)?;
            let mut values = values.set().map_err(malformed)?;
            let first = values.required().map_err(malformed)?;
            let single = values.next().map_err(malformed)?.is_none();
            // RFC 5652 §11.1, §11.2: each of these two appears once, with exactly one value.
            match attribute_type.as_str() {
                CONTENT_TYPE_ATTRIBUTE_OID => {
                    if content_type.is_some() || !single {
                        return Err(malformed(Malformed));
                    }
                    content_type = Some(first.oid().map_err(malformed)?);
                }
                MESSAGE_DIGEST_ATTRIBUTE_OID => {
                    if message_digest.is_some() || !single {
                        return Err(malformed(Malformed));
                    }
                    message_digest = Some(first.octets().map_err(malformed)?.into_owned());
                }
                _ => {}
            }
            attribute_types.push(attribute_type);
        }
        if attribute_types.is_empty() {
            return Err(malformed(Malformed));
        }
        Ok(Self {
            signed_bytes,
            content_type,
            message_digest,
            attribute_types,
        })
    }
}

/// One signer (RFC 5652 §5.3).
///
/// ```text
/// SignerInfo ::= SEQUENCE {
///   version CMSVersion,
///   sid SignerIdentifier,
///   digestAlgorithm DigestAlgorithmIdentifier,
///   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
///   signatureAlgorithm SignatureAlgorithmIdentifier,
///   signature SignatureValue,
///   unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerInfo {
    sid: SignerIdentifier,
    digest_algorithm: DigestAlgorithm,
    signed_attributes: Option<SignedAttributes>,
    signature_algorithm: AlgorithmIdentifier,
    signature: Vec<u8>,
}

impl SignerInfo {
    /// The signer identifier.
    pub fn sid(&self) -> &SignerIdentifier {
        &self.sid
    }

    /// The digest algorithm of the content and the signed attributes (an unknown one fails the
    /// parse with [`CmsError::UnsupportedAlgorithm`]).
    pub fn digest_algorithm(&self) -> DigestAlgorithm {
        self.digest_algorithm
    }

    /// The signed attributes, if any.
    pub fn signed_attributes(&self) -> Option<&SignedAttributes> {
        self.signed_attributes.as_ref()
    }

    /// The signature algorithm (may be plain `rsaEncryption`, with the hash in
    /// [`digest_algorithm`](Self::digest_algorithm)).
    pub fn signature_algorithm(&self) -> &AlgorithmIdentifier {
        &self.signature_algorithm
    }

    /// The signature value.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    fn from_element(element: &Element<'_>) -> Result<Self, CmsError> {
        let malformed = |_: Malformed| CmsError::Malformed {
            structure: "SignerInfo",
        };
        let mut fields = element.sequence().map_err(malformed)?;
        fields
            .required()
            .and_then(|v| v.small_uint())
            .map_err(malformed)?;
        let sid = signer_identifier(&fields.required().map_err(malformed)?).map_err(malformed)?;
        let digest = AlgorithmIdentifier::from_element(&fields.required().map_err(malformed)?)
            .map_err(malformed)?;
        let digest_algorithm = DigestAlgorithm::from_oid(&digest.oid)
            .ok_or(CmsError::UnsupportedAlgorithm { oid: digest.oid })?;
        let signed_attributes = fields
            .next_if(Class::ContextSpecific, 0)
            .map_err(malformed)?
            .map(|attributes| SignedAttributes::from_element(&attributes))
            .transpose()?;
        let signature_algorithm =
            AlgorithmIdentifier::from_element(&fields.required().map_err(malformed)?)
                .map_err(malformed)?;
        let signature = fields
            .required()
            .and_then(|signature| signature.octets())
            .map_err(malformed)?
            .into_owned();
        if let Some(unsigned) = fields
            .next_if(Class::ContextSpecific, 1)
            .map_err(malformed)?
        {
            unsigned.children().map_err(malformed)?;
        }
        fields.finish().map_err(malformed)?;
        Ok(Self {
            sid,
            digest_algorithm,
            signed_attributes,
            signature_algorithm,
            signature,
        })
    }
}

fn signer_identifier(element: &Element<'_>) -> Result<SignerIdentifier, Malformed> {
    if element.is(Class::ContextSpecific, 0, false) || element.is(Class::ContextSpecific, 0, true) {
        let ski = element.octets_tagged(Class::ContextSpecific, 0)?;
        return Ok(SignerIdentifier::SubjectKeyIdentifier(ski.into_owned()));
    }
    let mut fields = element.sequence()?;
    let issuer = fields.required()?;
    issuer.sequence()?;
    let serial = fields.required()?.integer_bytes()?;
    fields.finish()?;
    Ok(SignerIdentifier::IssuerAndSerial {
        issuer: issuer.raw().to_vec(),
        serial: serial.to_vec(),
    })
}

/// CMS `SignedData` with its encapsulated content (RFC 5652 §5.1, §5.2).
///
/// ```text
/// ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY }
/// SignedData ::= SEQUENCE {
///   version CMSVersion,
///   digestAlgorithms DigestAlgorithmIdentifiers,
///   encapContentInfo EncapsulatedContentInfo,
///   certificates [0] IMPLICIT CertificateSet OPTIONAL,
///   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///   signerInfos SignerInfos }
/// EncapsulatedContentInfo ::= SEQUENCE {
///   eContentType ContentType, eContent [0] EXPLICIT OCTET STRING OPTIONAL }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SignedData {
    econtent_type: String,
    econtent: Vec<u8>,
    certificates: Vec<Vec<u8>>,
    signer_infos: Vec<SignerInfo>,
}

impl SignedData {
    /// Reads a BER `ContentInfo` holding `SignedData` with encapsulated content; nothing may
    /// follow it.
    ///
    /// Certificates of other kinds than X.509 (attribute certificates, `other`) are skipped; the
    /// CRLs are not read. Any eContentType is accepted: the caller checks it.
    ///
    /// # Errors
    ///
    /// - [`CmsError::TooLarge`]: longer than [`MAX_CMS_LEN`];
    /// - [`CmsError::UnexpectedContentType`]: the content type is not `id-signedData`;
    /// - [`CmsError::MissingContent`]: detached content (no eContent);
    /// - [`CmsError::UnsupportedAlgorithm`]: a signer's digest algorithm is not SHA-1/2;
    /// - [`CmsError::Malformed`]: anything else, naming the structure.
    pub fn from_content_info_ber(bytes: &[u8]) -> Result<Self, CmsError> {
        if bytes.len() > MAX_CMS_LEN {
            return Err(CmsError::TooLarge {
                len: bytes.len(),
                max: MAX_CMS_LEN,
            });
        }
        let malformed = |_: Malformed| CmsError::Malformed {
            structure: "ContentInfo",
        };
        let content_info = Element::parse_exact(bytes).map_err(malformed)?;
        let mut fields = content_info.sequence().map_err(malformed)?;
        let content_type = fields
            .required()
            .and_then(|oid| oid.oid())
            .map_err(malformed)?;
        if content_type != SIGNED_DATA_OID {
            return Err(CmsError::UnexpectedContentType {
                found: content_type,
                expected: SIGNED_DATA_OID,
            });
        }
        let content = fields
            .required()
            .and_then(|content| content.expect(Class::ContextSpecific, 0, true))
            .map_err(malformed)?;
        fields.finish().map_err(malformed)?;
        let mut inner = content.children().map_err(malformed)?;
        let signed_data = inner.required().map_err(malformed)?;
        inner.finish().map_err(malformed)?;
        Self::from_element(&signed_data)
    }

    fn from_element(element: &Element<'_>) -> Result<Self, CmsError> {
        let malformed = |_: Malformed| CmsError::Malformed {
            structure: "SignedData",
        };
        let mut fields = element.sequence().map_err(malformed)?;
        fields
            .required()
            .and_then(|v| v.small_uint())
            .map_err(malformed)?;
        let mut digest_algorithms = fields
            .required()
            .and_then(|set| set.set())
            .map_err(malformed)?;
        while let Some(algorithm) = digest_algorithms.next().map_err(malformed)? {
            AlgorithmIdentifier::from_element(&algorithm).map_err(malformed)?;
        }
        let (econtent_type, econtent) =
            encapsulated_content(&fields.required().map_err(malformed)?)?;
        let mut certificates = Vec::new();
        if let Some(set) = fields
            .next_if(Class::ContextSpecific, 0)
            .map_err(malformed)?
        {
            let mut choices = set.children().map_err(|_| CmsError::Malformed {
                structure: "CertificateSet",
            })?;
            while let Some(choice) = choices.next().map_err(|_| CmsError::Malformed {
                structure: "CertificateSet",
            })? {
                if choice.is(Class::Universal, Tag::Sequence.0, true) {
                    certificates.push(choice.raw().to_vec());
                }
            }
        }
        if let Some(crls) = fields
            .next_if(Class::ContextSpecific, 1)
            .map_err(malformed)?
        {
            crls.children().map_err(malformed)?;
        }
        let mut signers = fields
            .required()
            .and_then(|set| set.set())
            .map_err(malformed)?;
        fields.finish().map_err(malformed)?;
        let mut signer_infos = Vec::new();
        while let Some(signer) = signers.next().map_err(malformed)? {
            signer_infos.push(SignerInfo::from_element(&signer)?);
        }
        Ok(Self {
            econtent_type,
            econtent,
            certificates,
            signer_infos,
        })
    }

    /// The encapsulated content type, dotted (`2.23.136.1.1.1` for an LDS security object,
    /// `2.23.136.1.1.2` for a CSCA master list).
    pub fn econtent_type(&self) -> &str {
        &self.econtent_type
    }

    /// The encapsulated content: the OCTET STRING's value (its segments joined if it was
    /// constructed), whose digest the message-digest attribute holds.
    pub fn econtent(&self) -> &[u8] {
        &self.econtent
    }

    /// The X.509 certificates, each as the bytes received (DER in practice).
    pub fn certificates(&self) -> &[Vec<u8>] {
        &self.certificates
    }

    /// The signers, in the order received.
    pub fn signer_infos(&self) -> &[SignerInfo] {
        &self.signer_infos
    }
}

impl fmt::Debug for SignedData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedData")
            .field("econtent_type", &self.econtent_type)
            .field("econtent_len", &self.econtent.len())
            .field("certificates", &self.certificates.len())
            .field("signer_infos", &self.signer_infos)
            .finish()
    }
}

fn encapsulated_content(element: &Element<'_>) -> Result<(String, Vec<u8>), CmsError> {
    let malformed = |_: Malformed| CmsError::Malformed {
        structure: "EncapsulatedContentInfo",
    };
    let mut fields = element.sequence().map_err(malformed)?;
    let econtent_type = fields
        .required()
        .and_then(|oid| oid.oid())
        .map_err(malformed)?;
    let Some(explicit) = fields.next().map_err(malformed)? else {
        return Err(CmsError::MissingContent);
    };
    fields.finish().map_err(malformed)?;
    let explicit = explicit
        .expect(Class::ContextSpecific, 0, true)
        .map_err(malformed)?;
    let mut inner = explicit.children().map_err(malformed)?;
    let econtent = inner
        .required()
        .and_then(|octets| octets.octets())
        .map_err(malformed)?
        .into_owned();
    inner.finish().map_err(malformed)?;
    Ok((econtent_type, econtent))
}

#[cfg(test)]
mod tests;

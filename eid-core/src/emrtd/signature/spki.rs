//! SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), RSAPublicKey (RFC 8017 A.1.1) and ECParameters
//! (RFC 3279 §2.3.5, SEC 1 v2 C.2) with `x509-parser` and its `asn1-rs`.
//!
//! ```text
//! ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, implicitCurve NULL,
//!                           specifiedCurve SpecifiedECDomain }
//! SpecifiedECDomain ::= SEQUENCE { version INTEGER, fieldID FieldID, curve Curve,
//!     base ECPoint, order INTEGER, cofactor INTEGER OPTIONAL, hash HashAlgorithm OPTIONAL, ... }
//! FieldID ::= SEQUENCE { fieldType OBJECT IDENTIFIER (prime-field), parameters INTEGER (p) }
//! Curve ::= SEQUENCE { a FieldElement, b FieldElement, seed BIT STRING OPTIONAL }
//! ```

use x509_parser::asn1_rs::{Any, BitString, FromDer, Integer, OctetString, Oid, Sequence, Tag};
use x509_parser::x509::SubjectPublicKeyInfo;

use super::curves::{self, CurveParams};
use super::{Curve, KeyPart, SignatureError, weierstrass};

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const PRIME_FIELD: &str = "1.2.840.10045.1.1";

/// A key as read from its SPKI, before size checks.
#[derive(Debug)]
pub(super) enum ParsedKey {
    /// Modulus and public exponent, big-endian without leading zeros.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// The curve and the SEC 1 encoded point as found.
    Ec { curve: Curve, point: Vec<u8> },
}

const fn malformed(part: KeyPart) -> SignatureError {
    SignatureError::Malformed { part }
}

pub(super) fn parse(der: &[u8]) -> Result<ParsedKey, SignatureError> {
    let (rest, spki) = SubjectPublicKeyInfo::from_der(der)
        .map_err(|_| malformed(KeyPart::SubjectPublicKeyInfo))?;
    if !rest.is_empty() {
        return Err(malformed(KeyPart::SubjectPublicKeyInfo));
    }
    let oid = spki.algorithm.algorithm.to_id_string();
    let key_bits = &spki.subject_public_key;
    if key_bits.unused_bits != 0 {
        return Err(malformed(KeyPart::SubjectPublicKeyInfo));
    }
    match oid.as_str() {
        // id-RSASSA-PSS keys (RFC 4055 §1.2) carry the same RSAPublicKey.
        RSA_ENCRYPTION | RSASSA_PSS => rsa_public_key(&key_bits.data),
        EC_PUBLIC_KEY => {
            let parameters = spki
                .algorithm
                .parameters
                .as_ref()
                .ok_or(malformed(KeyPart::EcParameters))?;
            let curve = ec_parameters(parameters)?;
            Ok(ParsedKey::Ec {
                curve,
                point: key_bits.data.to_vec(),
            })
        }
        _ => Err(SignatureError::UnsupportedKeyType { oid }),
    }
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
fn rsa_public_key(der: &[u8]) -> Result<ParsedKey, SignatureError> {
    let bad = || malformed(KeyPart::RsaPublicKey);
    let (rest, (n, e)) = Sequence::from_der_and_then(der, |content| {
        let (content, n) = Integer::from_der(content)?;
        let (content, e) = Integer::from_der(content)?;
        Ok((content, (n, e)))
    })
    .map_err(|_| bad())?;
    if !rest.is_empty() {
        return Err(bad());
    }
    // Read as magnitudes: some keys encode the modulus without its 0x00 sign byte (the BSI
    // 2008 test passport's DG15), and a negative modulus or exponent means nothing.
    Ok(ParsedKey::Rsa {
        n: strip(n.any().data).to_vec(),
        e: strip(e.any().data).to_vec(),
    })
}

/// The magnitude of a non-negative INTEGER's content, without leading zeros.
pub(super) fn unsigned(content: &[u8]) -> Option<&[u8]> {
    if content.first().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    let start = content
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(content.len());
    content.get(start..)
}

/// The curve of ECParameters: a named curve, or explicit parameters equal to a known curve.
fn ec_parameters(parameters: &Any<'_>) -> Result<Curve, SignatureError> {
    let bad = || malformed(KeyPart::EcParameters);
    match parameters.header.tag() {
        Tag::Oid => {
            let oid = Oid::new(parameters.data.into()).to_id_string();
            curves::ALL
                .iter()
                .find(|curve| curve.oid == oid)
                .map(|curve| curve.curve)
                .ok_or(SignatureError::UnknownCurve)
        }
        Tag::Sequence => specified_domain(parameters.data).ok_or_else(bad)?,
        // implicitCurve (NULL) inherits from the issuer: not usable for a standalone key.
        _ => Err(SignatureError::UnknownCurve),
    }
}

/// The explicit domain parameters found, as magnitudes.
struct Domain<'a> {
    p: &'a [u8],
    a: &'a [u8],
    b: &'a [u8],
    base: &'a [u8],
    n: &'a [u8],
    cofactor: Option<&'a [u8]>,
}

/// SpecifiedECDomain content; the outer `None` is malformed DER.
fn specified_domain(content: &[u8]) -> Option<Result<Curve, SignatureError>> {
    let (content, _version) = Integer::from_der(content).ok()?;
    let (content, (field_type, field_parameters)) = Sequence::from_der_and_then(content, |field| {
        let (field, field_type) = Oid::from_der(field)?;
        let (field, parameters) = Any::from_der(field)?;
        Ok((field, (field_type, parameters)))
    })
    .ok()?;
    if field_type.to_id_string() != PRIME_FIELD {
        // Characteristic-two fields: no curve of ours.
        return Some(Err(SignatureError::UnknownCurve));
    }
    let p = Integer::try_from(field_parameters).ok()?;
    let (content, (a, b)) = Sequence::from_der_and_then(content, |curve| {
        let (curve, a) = OctetString::from_der(curve)?;
        let (curve, b) = OctetString::from_der(curve)?;
        let (curve, _seed) = Option::<BitString<'_>>::from_der(curve)?;
        Ok((curve, (a, b)))
    })
    .ok()?;
    let (content, base) = OctetString::from_der(content).ok()?;
    let (content, n) = Integer::from_der(content).ok()?;
    let (_, cofactor) = Option::<Integer<'_>>::from_der(content).ok()?;
    let p_any = p.any();
    let n_any = n.any();
    let cofactor_any = cofactor.as_ref().map(Integer::any);
    let domain = Domain {
        p: unsigned(p_any.data)?,
        a: strip(a.as_ref()),
        b: strip(b.as_ref()),
        base: base.as_ref(),
        n: unsigned(n_any.data)?,
        cofactor: match &cofactor_any {
            Some(any) => Some(unsigned(any.data)?),
            None => None,
        },
    };
    Some(
        curves::ALL
            .iter()
            .find(|curve| matches_domain(curve, &domain))
            .map(|curve| curve.curve)
            .ok_or(SignatureError::UnknownCurve),
    )
}

fn strip(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// Whether explicit parameters equal a known curve: p, a, b, n, cofactor 1 (or absent) and G
/// (uncompressed, or compressed with the right parity of y).
fn matches_domain(curve: &CurveParams, domain: &Domain<'_>) -> bool {
    if domain.p != strip(curve.p)
        || domain.a != strip(curve.a)
        || domain.b != strip(curve.b)
        || domain.n != strip(curve.n)
        || domain.cofactor.is_some_and(|h| h != [1])
    {
        return false;
    }
    match weierstrass::decode_point(curve, domain.base) {
        Some((x, y)) => x == curve.gx && y == curve.gy,
        None => false,
    }
}

//! Distinguished names compared as multisets of attributes, whatever the RDN order.

use std::fmt;

use x509_parser::x509::X509Name;

use super::TrustError;

/// The most attributes in one name.
const MAX_ATTRIBUTES: usize = 32;

/// One attribute value, normalised for comparison.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Value {
    /// A string, trimmed, inner white space collapsed, lower-cased.
    Text(String),
    /// Anything else: the tag number and the content bytes.
    Raw(u32, Vec<u8>),
}

/// The comparison key of a name: its (type, value) pairs, sorted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct NameKey(Vec<(Vec<u8>, Value)>);

/// An X.500 distinguished name (a certificate's subject or issuer, a CMS signer's issuer).
///
/// Two names [`match`](Self::matches) when they hold the same attributes, each with the same
/// normalised value, in any order (multiset comparison).
#[derive(Clone)]
pub struct DistinguishedName {
    der: Vec<u8>,
    display: String,
    key: NameKey,
}

fn normalize(text: &str) -> String {
    let simple = text.is_ascii()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.bytes().any(|b| b.is_ascii_whitespace() && b != b' ');
    if simple {
        return text.to_ascii_lowercase();
    }
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn bmp_string(data: &[u8]) -> Option<String> {
    if !data.len().is_multiple_of(2) {
        return None;
    }
    let units: Vec<u16> = data
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => u16::from_be_bytes([*hi, *lo]),
            _ => 0,
        })
        .collect();
    String::from_utf16(&units).ok()
}

impl DistinguishedName {
    pub(crate) fn from_x509(name: &X509Name<'_>) -> Result<Self, TrustError> {
        use x509_parser::asn1_rs::Tag;
        let mut pairs = Vec::new();
        let mut display = String::new();
        for attribute in name.iter_attributes() {
            if pairs.len() >= MAX_ATTRIBUTES {
                return Err(TrustError::TooLarge {
                    what: "name",
                    limit: MAX_ATTRIBUTES,
                });
            }
            let oid = attribute.attr_type().as_bytes().to_vec();
            let any = attribute.attr_value();
            let data = any.as_bytes();
            let text = match any.tag() {
                Tag::Utf8String
                | Tag::PrintableString
                | Tag::Ia5String
                | Tag::NumericString
                | Tag::VisibleString
                | Tag::TeletexString => std::str::from_utf8(data).ok().map(str::to_owned),
                Tag::BmpString => bmp_string(data),
                _ => None,
            };
            if !display.is_empty() {
                display.push_str(", ");
            }
            match short_name(&oid) {
                Some(short) => display.push_str(short),
                None => display.push_str(&attribute.attr_type().to_id_string()),
            }
            display.push('=');
            match text {
                Some(text) => {
                    display.push_str(&text);
                    pairs.push((oid, Value::Text(normalize(&text))));
                }
                None => {
                    display.push('#');
                    display.push_str(&hex(data));
                    pairs.push((oid, Value::Raw(any.tag().0, data.to_vec())));
                }
            }
        }
        pairs.sort();
        Ok(Self {
            der: name.as_raw().to_vec(),
            display,
            key: NameKey(pairs),
        })
    }

    /// Parses a DER `Name` (as a CMS `IssuerAndSerialNumber` carries it).
    ///
    /// # Errors
    /// [`TrustError::Malformed`] or [`TrustError::TooLarge`].
    pub fn from_der(der: &[u8]) -> Result<Self, TrustError> {
        use x509_parser::prelude::FromDer;
        let malformed = TrustError::Malformed { what: "name" };
        let (rest, name) = X509Name::from_der(der).map_err(|_| malformed.clone())?;
        if !rest.is_empty() {
            return Err(malformed);
        }
        Self::from_x509(&name)
    }

    /// The DER encoding, as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Whether both names hold the same attributes (any RDN order, normalised strings).
    pub fn matches(&self, other: &Self) -> bool {
        self.der == other.der || self.key == other.key
    }

    pub(crate) fn key(&self) -> &NameKey {
        &self.key
    }
}

impl PartialEq for DistinguishedName {
    fn eq(&self, other: &Self) -> bool {
        self.matches(other)
    }
}

impl Eq for DistinguishedName {}

/// The short name of an attribute type, by the content bytes of its OID.
fn short_name(oid: &[u8]) -> Option<&'static str> {
    match oid {
        [0x55, 0x04, 0x03] => Some("CN"),
        [0x55, 0x04, 0x05] => Some("serialNumber"),
        [0x55, 0x04, 0x06] => Some("C"),
        [0x55, 0x04, 0x07] => Some("L"),
        [0x55, 0x04, 0x08] => Some("ST"),
        [0x55, 0x04, 0x0a] => Some("O"),
        [0x55, 0x04, 0x0b] => Some("OU"),
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => Some("emailAddress"),
        _ => None,
    }
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

impl fmt::Display for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl fmt::Debug for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DistinguishedName({})", self.display)
    }
}

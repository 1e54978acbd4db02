//! The data groups of the LDS (ICAO 9303 part 10 §4.7) that authentication needs: DG1 (the
//! MRZ), DG2 (the facial image) and DG15 (the active-authentication public key).
//!
//! Each parser takes the data group's bytes as read from the chip, starting at its tag. They
//! check structure only: whether the bytes are genuine is passive authentication's question
//! ([`crate::emrtd::passive`]), which hashes these same bytes.
//!
//! - [`parse_dg1`]: `61 { 5F1F MRZ }` → [`Mrz`], its check digits enforced
//!   ([`parse_dg1_unchecked`] reports them instead).
//! - [`parse_dg2`]: `75 { 7F61 { 02 count, 7F60 { A1 header, 5F2E biometric data block } } }`,
//!   each block an ISO/IEC 19794-5 facial record → [`FaceImage`]s (JPEG or JPEG 2000).
//! - [`parse_dg15`]: `6F { SubjectPublicKeyInfo }` → the SPKI's DER bytes.
//!
//! A DG1 or DG2 is personal data: errors never quote it, and `Debug` of a [`FaceImage`] shows
//! its format and size only.
//!
//! ```
//! use eid_core::emrtd::datagroup::{ImageFormat, data_group_number, parse_dg1, parse_dg2};
//!
//! // The Dutch specimen passport of 2006.
//! let dg1 = include_bytes!("../../tests/data/emrtd/nl_specimen_2006/EF_DG1.bin");
//! assert_eq!(data_group_number(dg1), Some(1));
//! let mrz = parse_dg1(dg1)?;
//! assert_eq!(mrz.fields().names().primary(), "MEULENDIJK");
//! assert_eq!(mrz.fields().document_number().as_str(), "XX0001328");
//!
//! let dg2 = include_bytes!("../../tests/data/emrtd/nl_specimen_2006/EF_DG2.bin");
//! let faces = parse_dg2(dg2)?;
//! assert_eq!(faces.len(), 1);
//! assert_eq!(faces[0].format(), ImageFormat::Jpeg2000);
//! assert_eq!(faces[0].bytes()[..6], [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50]);
//! # Ok::<(), eid_core::emrtd::datagroup::DataGroupError>(())
//! ```

use asn1_rs::Class;

use super::cms::ber::{Element, Malformed};
use crate::mrz::{Mrz, UncheckedMrz};

mod error;
mod face;

pub use error::DataGroupError;
pub use face::{FaceImage, ImageFormat};

/// The largest DG1 [`parse_dg1`] reads, in bytes.
pub const MAX_DG1_LEN: usize = 1024;
/// The largest DG2 [`parse_dg2`] reads, in bytes (real ones are 10–100 KB).
pub const MAX_DG2_LEN: usize = 1024 * 1024;
/// The largest DG15 [`parse_dg15`] reads, in bytes (an RSA-4096 key is about 550).
pub const MAX_DG15_LEN: usize = 16 * 1024;

/// The data-group number of an elementary file, from its first tag octet (ICAO 9303 part 10
/// table 34): `0x61` → 1, `0x75` → 2, `0x63` → 3, `0x76` → 4, `0x65`–`0x70` → 5–16. `None` for
/// EF.COM (`0x60`), EF.SOD (`0x77`) and anything else.
pub fn data_group_number(bytes: &[u8]) -> Option<u8> {
    match bytes.first()? {
        0x61 => Some(1),
        0x75 => Some(2),
        0x63 => Some(3),
        0x76 => Some(4),
        tag @ 0x65..=0x70 => Some(tag - 0x60),
        _ => None,
    }
}

/// Reads DG1 and checks its MRZ's check digits.
///
/// # Errors
///
/// [`DataGroupError::Mrz`] if a check digit fails, and the errors of [`parse_dg1_unchecked`].
pub fn parse_dg1(bytes: &[u8]) -> Result<Mrz, DataGroupError> {
    parse_dg1_unchecked(bytes)?
        .check()
        .map_err(DataGroupError::Mrz)
}

/// Reads DG1, reporting the MRZ's check digits rather than enforcing them.
///
/// The MRZ text (`5F1F`) has no line breaks: it is split by its length, 90 (TD1, 3×30),
/// 72 (TD2, 2×36) or 88 (TD3, 2×44).
///
/// # Errors
///
/// - [`DataGroupError::TooLarge`]: longer than [`MAX_DG1_LEN`];
/// - [`DataGroupError::UnexpectedTag`]: not a DG1 (`0x61`);
/// - [`DataGroupError::Malformed`]: not `61 { 5F1F .. }`;
/// - [`DataGroupError::MrzLength`]: an MRZ of another length;
/// - [`DataGroupError::Mrz`]: the MRZ's shape, characters or fields are wrong.
pub fn parse_dg1_unchecked(bytes: &[u8]) -> Result<UncheckedMrz, DataGroupError> {
    let template = template(bytes, MAX_DG1_LEN, 1)?;
    let malformed = |_: Malformed| DataGroupError::Malformed { structure: "DG1" };
    let mut elements = template.children().map_err(malformed)?;
    let mut text = None;
    while let Some(element) = elements.next().map_err(malformed)? {
        if element.is(Class::Application, 0x1F, false) {
            if text.is_some() {
                return Err(malformed(Malformed));
            }
            text = Some(element.content());
        }
    }
    let text = text.ok_or(malformed(Malformed))?;
    let line_len = match text.len() {
        90 => 30,
        72 => 36,
        88 => 44,
        len => return Err(DataGroupError::MrzLength { len }),
    };
    let text = std::str::from_utf8(text).map_err(|_| malformed(Malformed))?;
    if !text.is_ascii() {
        return Err(malformed(Malformed));
    }
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(line_len)
        .filter_map(|line| std::str::from_utf8(line).ok())
        .collect();
    UncheckedMrz::parse(&lines).map_err(DataGroupError::Mrz)
}

/// Reads DG2 and returns every facial image of every biometric data block, in order.
///
/// # Errors
///
/// - [`DataGroupError::TooLarge`]: longer than [`MAX_DG2_LEN`];
/// - [`DataGroupError::UnexpectedTag`]: not a DG2 (`0x75`);
/// - [`DataGroupError::Malformed`]: not the biometric information template structure, or a
///   facial record whose lengths do not fit;
/// - [`DataGroupError::UnsupportedBiometricFormat`]: a data block that is not an ISO/IEC
///   19794-5:2005 facial record (`FAC\0`, `010\0`);
/// - [`DataGroupError::UnsupportedImageFormat`]: an image that is neither JPEG nor JPEG 2000;
/// - [`DataGroupError::NoImage`]: no facial image at all.
pub fn parse_dg2(bytes: &[u8]) -> Result<Vec<FaceImage>, DataGroupError> {
    let template = template(bytes, MAX_DG2_LEN, 2)?;
    let malformed = |_: Malformed| DataGroupError::Malformed { structure: "DG2" };
    // 75 { 7F61 biometric information group template }
    let mut outer = template.children().map_err(malformed)?;
    let group = outer
        .required()
        .and_then(|group| group.expect(Class::Application, 0x61, true))
        .map_err(malformed)?;
    outer.finish().map_err(malformed)?;
    let mut entries = group.children().map_err(malformed)?;
    // 02: the number of instances.
    let count = entries
        .required()
        .and_then(|count| count.small_uint())
        .map_err(malformed)?;
    let mut images = Vec::new();
    let mut templates = 0u32;
    while let Some(entry) = entries.next().map_err(malformed)? {
        // 7F60 { A1 biometric header template, 5F2E or 7F2E biometric data block }
        let entry = entry
            .expect(Class::Application, 0x60, true)
            .map_err(malformed)?;
        templates = templates.checked_add(1).ok_or(malformed(Malformed))?;
        let mut fields = entry.children().map_err(malformed)?;
        fields
            .required()
            .and_then(|header| header.expect(Class::ContextSpecific, 1, true))
            .map_err(malformed)?;
        let block = fields.required().map_err(malformed)?;
        fields.finish().map_err(malformed)?;
        if !block.is(Class::Application, 0x2E, false) && !block.is(Class::Application, 0x2E, true) {
            return Err(malformed(Malformed));
        }
        face::parse_facial_record(block.content(), &mut images)?;
    }
    if templates != count {
        return Err(malformed(Malformed));
    }
    if images.is_empty() {
        return Err(DataGroupError::NoImage);
    }
    Ok(images)
}

/// Reads DG15 and returns the active-authentication public key, a DER `SubjectPublicKeyInfo`
/// (RFC 5280 §4.1.2.7) as received.
///
/// # Errors
///
/// - [`DataGroupError::TooLarge`]: longer than [`MAX_DG15_LEN`];
/// - [`DataGroupError::UnexpectedTag`]: not a DG15 (`0x6F`);
/// - [`DataGroupError::Malformed`]: not `6F { SEQUENCE { AlgorithmIdentifier, BIT STRING } }`.
pub fn parse_dg15(bytes: &[u8]) -> Result<Vec<u8>, DataGroupError> {
    let template = template(bytes, MAX_DG15_LEN, 15)?;
    let malformed = |_: Malformed| DataGroupError::Malformed { structure: "DG15" };
    let mut inner = template.children().map_err(malformed)?;
    let spki = inner.required().map_err(malformed)?;
    inner.finish().map_err(malformed)?;
    let mut fields = spki.sequence().map_err(malformed)?;
    let algorithm = fields.required().map_err(malformed)?;
    super::cms::ber::algorithm_identifier(&algorithm).map_err(malformed)?;
    fields
        .required()
        .and_then(|key| key.expect(Class::Universal, asn1_rs::Tag::BitString.0, false))
        .map_err(malformed)?;
    fields.finish().map_err(malformed)?;
    Ok(spki.raw().to_vec())
}

/// The outer template of data group `dg`: the one element of `bytes`, checked for size and tag.
fn template(bytes: &[u8], max: usize, dg: u8) -> Result<Element<'_>, DataGroupError> {
    if bytes.len() > max {
        return Err(DataGroupError::TooLarge {
            len: bytes.len(),
            max,
        });
    }
    let Some(&first) = bytes.first() else {
        return Err(DataGroupError::Malformed {
            structure: "data group template",
        });
    };
    if data_group_number(bytes) != Some(dg) {
        return Err(DataGroupError::UnexpectedTag { dg, found: first });
    }
    Element::parse_exact(bytes).map_err(|_| DataGroupError::Malformed {
        structure: "data group template",
    })
}

#[cfg(test)]
mod tests;

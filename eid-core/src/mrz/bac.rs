//! Basic Access Control keys from the MRZ information (ICAO 9303 part 11 §9.7.1, Appendix D).

use std::fmt;
use std::str::FromStr;

use ring::digest;

use super::check::{check_digit, outcome};
use super::{MrzError, MrzField};

/// The longest document number an MRZ can hold: nine characters in the number field and up to
/// fourteen in a TD1's optional data (the fifteenth is the check digit).
const MAX_DOCUMENT_NUMBER_LEN: usize = 23;

/// The MRZ information that BAC (and PACE with the MRZ as password) derives keys from (ICAO 9303
/// part 11, Appendix D): document number, date of birth and date of expiry, each
/// followed by its check digit, such as `L898902C<369080619406236`.
///
/// The document number is at least nine characters, padded with fillers; a TD1 or TD2 number
/// longer than nine characters is written whole. The information is the key to the chip:
/// `Debug` is redacted and the value is reached only by [`expose_secret`](Self::expose_secret).
#[derive(Clone)]
pub struct MrzInformation(String);

impl MrzInformation {
    /// Builds the information from an MRZ's raw fields, computing the check digits.
    pub(crate) fn from_fields(document_number: &[u8], birth: &[u8; 6], expiry: &[u8; 6]) -> Self {
        let mut s = String::with_capacity(document_number.len().max(9) + 15);
        s.extend(document_number.iter().map(|&c| char::from(c)));
        for _ in document_number.len()..9 {
            s.push('<');
        }
        s.push(char::from(b'0' + check_digit(document_number)));
        for date in [birth, expiry] {
            s.extend(date.iter().map(|&c| char::from(c)));
            s.push(char::from(b'0' + check_digit(date)));
        }
        Self(s)
    }

    /// The information as the string that is hashed.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl FromStr for MrzInformation {
    type Err = MrzError;

    /// Parses and checks `<document number><cd><YYMMDD><cd><YYMMDD><cd>`.
    ///
    /// Errors: [`MrzError::InputTooLong`], [`MrzError::LineLength`] (too short),
    /// [`MrzError::Charset`], [`MrzError::Format`] (a date not of digits and fillers), and a
    /// check-digit error for the first field whose check digit fails.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = s.as_bytes();
        const MAX: usize = MAX_DOCUMENT_NUMBER_LEN + 1 + 14;
        if bytes.len() > MAX {
            return Err(MrzError::InputTooLong {
                len: bytes.len(),
                max: MAX,
            });
        }
        if let Some(position) = bytes
            .iter()
            .position(|&c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'<'))
        {
            return Err(MrzError::Charset {
                line: 1,
                position: position + 1,
            });
        }
        let Some((number, dates)) = bytes
            .len()
            .checked_sub(14)
            .filter(|&at| at >= 10)
            .and_then(|at| Some((bytes.get(..at)?, bytes.get(at..)?)))
        else {
            return Err(MrzError::LineLength {
                line: 1,
                len: bytes.len(),
            });
        };
        let (&number_cd, number) = number.split_last().ok_or(MrzError::Format {
            field: MrzField::DocumentNumber,
        })?;
        let (birth, expiry) = dates.split_at_checked(7).ok_or(MrzError::LineLength {
            line: 1,
            len: bytes.len(),
        })?;
        let mut checks = vec![(MrzField::DocumentNumber, outcome(number, number_cd))];
        for (field, part) in [
            (MrzField::DateOfBirth, birth),
            (MrzField::DateOfExpiry, expiry),
        ] {
            let (&cd, date) = part.split_last().ok_or(MrzError::Format { field })?;
            if !date.iter().all(|&c| c.is_ascii_digit() || c == b'<') {
                return Err(MrzError::Format { field });
            }
            checks.push((field, outcome(date, cd)));
        }
        if let Some(error) = checks
            .into_iter()
            .find_map(|(field, result)| result.error(field))
        {
            return Err(error);
        }
        Ok(Self(s.to_owned()))
    }
}

impl fmt::Debug for MrzInformation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MrzInformation([redacted])")
    }
}

/// A 16-byte (two-key 3DES) BAC key. A secret: `Debug` is redacted, there is no `PartialEq`,
/// and the bytes are reached only by [`expose_secret`](Self::expose_secret).
#[derive(Clone)]
pub struct BacKey([u8; 16]);

impl BacKey {
    /// The key bytes.
    pub fn expose_secret(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Debug for BacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BacKey([redacted])")
    }
}

/// The Basic Access Control keys of a document (ICAO 9303 part 11 §9.7.1):
///
/// - `K_seed` = the first 16 bytes of SHA-1(MRZ information);
/// - `K_enc` = the first 16 bytes of SHA-1(`K_seed` ‖ `00000001`), DES parity adjusted;
/// - `K_mac` = the first 16 bytes of SHA-1(`K_seed` ‖ `00000002`), DES parity adjusted.
///
/// SHA-1 is what the standard prescribes here; it is used for nothing else.
#[derive(Clone, Debug)]
pub struct BacKeys {
    seed: BacKey,
    enc: BacKey,
    mac: BacKey,
}

impl BacKeys {
    /// Derives the keys from the MRZ information.
    pub fn derive(information: &MrzInformation) -> Self {
        let seed = first_16(digest::digest(
            &digest::SHA1_FOR_LEGACY_USE_ONLY,
            information.0.as_bytes(),
        ));
        Self {
            enc: BacKey(derive_key(&seed, 1)),
            mac: BacKey(derive_key(&seed, 2)),
            seed: BacKey(seed),
        }
    }

    /// `K_seed`.
    pub fn seed(&self) -> &BacKey {
        &self.seed
    }

    /// `K_enc`, the encryption key.
    pub fn enc(&self) -> &BacKey {
        &self.enc
    }

    /// `K_mac`, the MAC key.
    pub fn mac(&self) -> &BacKey {
        &self.mac
    }
}

/// ICAO 9303 part 11 §9.7.1: the first 16 bytes of SHA-1(seed ‖ counter), with each byte's
/// least significant bit set so that the byte has odd parity (DES key parity).
fn derive_key(seed: &[u8; 16], counter: u32) -> [u8; 16] {
    let mut ctx = digest::Context::new(&digest::SHA1_FOR_LEGACY_USE_ONLY);
    ctx.update(seed);
    ctx.update(&counter.to_be_bytes());
    let mut key = first_16(ctx.finish());
    for byte in &mut key {
        *byte = (*byte & 0xFE) | u8::from(((*byte & 0xFE).count_ones() % 2) == 0);
    }
    key
}

fn first_16(digest: digest::Digest) -> [u8; 16] {
    let mut out = [0; 16];
    for (o, b) in out.iter_mut().zip(digest.as_ref()) {
        *o = *b;
    }
    out
}

//! ICAO 9303 machine-readable zones: TD1 identity cards, TD2 and TD3 passports.
//!
//! [`Mrz::parse`] reads the lines of an MRZ (ICAO 9303 parts 3–6): it checks the shape (TD1
//! 3×30, TD2 2×36, TD3 2×44) and the character set (`A`–`Z`, `0`–`9`, `<`), reads each field
//! into its type and checks every check digit, the composite one included. A TD1 or TD2
//! document number longer than nine characters is read whole from its continuation in the
//! optional data. [`UncheckedMrz`] reads the same fields without enforcing the check digits and
//! reports each one ([`CheckDigitReport`]), for a reader that asks the user to rescan.
//!
//! Dates are two-digit `YYMMDD`; [`MrzDate::resolve`] picks the century from a reference date
//! that the caller gives (eid-core reads no clock). From an [`Mrz`], [`BacKeys`] derives the
//! Basic Access Control keys for the document's chip (ICAO 9303 part 11).
//!
//! An MRZ is personal data. Errors never quote it, and `Debug` shows only the format and the
//! document and country codes.
//!
//! Visas (ICAO 9303 part 7, MRV-A and MRV-B, document code `V`) are not parsed: they share the
//! line lengths of TD3 and TD2 but have no composite check digit, and are rejected with
//! [`MrzError::DocumentCode`].
//!
//! ```
//! use eid_core::mrz::{BacKeys, DateKind, DocumentFormat, Mrz, MrzError, MrzField, Sex};
//! use time::macros::date;
//!
//! // ICAO 9303 part 4, Appendix A: the Utopian passport of Anna Maria Eriksson.
//! let mrz: Mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
//!                 L898902C36UTO7408122F1204159ZE184226B<<<<<10"
//!     .parse()?;
//! let fields = mrz.fields();
//! assert_eq!(fields.format(), DocumentFormat::Td3);
//! assert_eq!(fields.issuing_state().as_str(), "UTO");
//! assert_eq!(fields.document_number().as_str(), "L898902C3");
//! assert_eq!(fields.names().primary(), "ERIKSSON");
//! assert_eq!(fields.names().secondary(), "ANNA MARIA");
//! assert_eq!(fields.sex(), Sex::Female);
//! let today = date!(2026 - 11 - 22);
//! assert_eq!(fields.date_of_birth().resolve(today, DateKind::Birth), Some(date!(1974 - 08 - 12)));
//! assert_eq!(fields.date_of_expiry().resolve(today, DateKind::Expiry), Some(date!(2012 - 04 - 15)));
//!
//! // The keys to read the chip.
//! let keys = BacKeys::derive(&mrz.mrz_information());
//! assert_eq!(keys.enc().expose_secret().len(), 16);
//!
//! // One wrong check digit (6 → 4) and the MRZ is rejected, naming the field.
//! let wrong = Mrz::parse(&[
//!     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
//!     "L898902C34UTO7408122F1204159ZE184226B<<<<<10",
//! ]);
//! assert!(matches!(
//!     wrong,
//!     Err(MrzError::CheckDigit { field: MrzField::DocumentNumber, expected: 6, found: 4 })
//! ));
//! # Ok::<(), MrzError>(())
//! ```

use std::fmt;
use std::str::FromStr;

mod bac;
mod check;
mod date;
mod error;
mod fields;
mod parse;

pub use bac::{BacKey, BacKeys, MrzInformation};
pub use check::{CheckDigitOutcome, CheckDigitReport};
pub use date::{DateKind, EXPIRY_WINDOW_YEARS, MrzDate};
pub use error::MrzError;
pub use fields::{
    CountryCode, DocumentCode, DocumentFormat, DocumentNumber, MrzField, Names, OptionalData, Sex,
};

/// The longest text [`Mrz::from_str`] and [`UncheckedMrz::from_str`] accept, in bytes: a TD3
/// with `\r\n` line ends and a final line end, and some room.
pub const MAX_INPUT_LEN: usize = 128;

/// An MRZ whose every check digit holds (the composite included).
///
/// Built only by [`Mrz::parse`], [`Mrz::from_str`] or [`UncheckedMrz::check`]. `Debug` shows the
/// format and codes only.
#[derive(Clone)]
pub struct Mrz {
    fields: MrzFields,
}

impl Mrz {
    /// Parses the lines of an MRZ and checks every check digit.
    ///
    /// # Errors
    ///
    /// - [`MrzError::LineCount`], [`MrzError::LineLength`]: not 3×30, 2×36 or 2×44;
    /// - [`MrzError::Charset`]: a character other than `A`–`Z`, `0`–`9`, `<`;
    /// - [`MrzError::DocumentCode`]: a document code the format does not allow (visas);
    /// - [`MrzError::Format`]: a malformed field;
    /// - [`MrzError::CheckDigit`], [`MrzError::CheckDigitNotDigit`]: the first check digit, in
    ///   MRZ order, that fails.
    pub fn parse(lines: &[&str]) -> Result<Self, MrzError> {
        UncheckedMrz::parse(lines)?.check()
    }

    /// The fields.
    pub fn fields(&self) -> &MrzFields {
        &self.fields
    }

    /// The fields, by value.
    pub fn into_fields(self) -> MrzFields {
        self.fields
    }

    /// The MRZ information that BAC and PACE derive their keys from (ICAO 9303 part 11):
    /// the whole document number, padded to nine characters, the date of birth and the date of
    /// expiry, each with its check digit.
    pub fn mrz_information(&self) -> MrzInformation {
        MrzInformation::from_fields(
            self.fields.document_number.as_mrz(),
            self.fields.date_of_birth.as_bytes(),
            self.fields.date_of_expiry.as_bytes(),
        )
    }
}

impl FromStr for Mrz {
    type Err = MrzError;

    /// Parses an MRZ given as text, one line per MRZ line (`\n` or `\r\n`, a final line end
    /// allowed), as [`Mrz::parse`] does.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UncheckedMrz::from_str(s)?.check()
    }
}

impl fmt::Debug for Mrz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Mrz").field(&self.fields).finish()
    }
}

/// An MRZ whose fields were read, but whose check digits are reported rather than enforced.
///
/// For a reader that shows the user which field to rescan, and for tests. [`check`](Self::check)
/// turns it into an [`Mrz`].
#[derive(Clone, Debug)]
pub struct UncheckedMrz {
    fields: MrzFields,
    report: CheckDigitReport,
}

impl UncheckedMrz {
    /// Parses the lines of an MRZ, checking shape, characters and field forms, but not the
    /// check digits.
    ///
    /// # Errors
    ///
    /// As [`Mrz::parse`], except the check-digit errors.
    pub fn parse(lines: &[&str]) -> Result<Self, MrzError> {
        parse::parse(lines)
    }

    /// The fields as read. Their check digits may have failed: see
    /// [`check_digits`](Self::check_digits).
    pub fn fields(&self) -> &MrzFields {
        &self.fields
    }

    /// Each check digit and what it showed.
    pub fn check_digits(&self) -> &CheckDigitReport {
        &self.report
    }

    /// The MRZ, if every check digit holds.
    ///
    /// # Errors
    ///
    /// [`MrzError::CheckDigit`] or [`MrzError::CheckDigitNotDigit`] for the first check digit,
    /// in MRZ order, that fails.
    pub fn check(self) -> Result<Mrz, MrzError> {
        match self.report.first_error() {
            Some(error) => Err(error),
            None => Ok(Mrz {
                fields: self.fields,
            }),
        }
    }
}

impl FromStr for UncheckedMrz {
    type Err = MrzError;

    /// Parses an MRZ given as text, one line per MRZ line (`\n` or `\r\n`, a final line end
    /// allowed), as [`UncheckedMrz::parse`] does. Longer than [`MAX_INPUT_LEN`] is an
    /// [`MrzError::InputTooLong`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() > MAX_INPUT_LEN {
            return Err(MrzError::InputTooLong {
                len: s.len(),
                max: MAX_INPUT_LEN,
            });
        }
        let text = s.strip_suffix('\n').unwrap_or(s);
        let mut lines = [""; 3];
        let mut count = 0;
        for line in text.split('\n') {
            match lines.get_mut(count) {
                Some(slot) => *slot = line.strip_suffix('\r').unwrap_or(line),
                None => {
                    return Err(MrzError::LineCount {
                        lines: text.split('\n').count(),
                    });
                }
            }
            count += 1;
        }
        Self::parse(lines.get(..count).unwrap_or_default())
    }
}

/// The fields of an MRZ, typed, in the order of a TD3.
///
/// Holding `MrzFields` says nothing about check digits; holding an [`Mrz`] does. `Debug` shows
/// the format, document code, issuing state and nationality, and redacts the rest.
#[derive(Clone, PartialEq, Eq)]
pub struct MrzFields {
    format: DocumentFormat,
    document_code: DocumentCode,
    issuing_state: CountryCode,
    names: Names,
    document_number: DocumentNumber,
    nationality: CountryCode,
    date_of_birth: MrzDate,
    sex: Sex,
    date_of_expiry: MrzDate,
    optional_data: OptionalData,
    optional_data_2: Option<OptionalData>,
}

impl MrzFields {
    /// TD1, TD2 or TD3.
    pub fn format(&self) -> DocumentFormat {
        self.format
    }

    /// The document code, such as `P` or `ID`.
    pub fn document_code(&self) -> DocumentCode {
        self.document_code
    }

    /// The issuing state or organisation, such as `UTO` or `D<<`.
    pub fn issuing_state(&self) -> CountryCode {
        self.issuing_state
    }

    /// The name of the holder.
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// The document number, whole (with a TD1/TD2 continuation).
    pub fn document_number(&self) -> &DocumentNumber {
        &self.document_number
    }

    /// The nationality of the holder.
    pub fn nationality(&self) -> CountryCode {
        self.nationality
    }

    /// The date of birth, `YYMMDD`.
    pub fn date_of_birth(&self) -> MrzDate {
        self.date_of_birth
    }

    /// The sex.
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// The date of expiry, `YYMMDD`.
    pub fn date_of_expiry(&self) -> MrzDate {
        self.date_of_expiry
    }

    /// The optional data: a TD3's personal number (positions 29–42 of line 2), a TD2's
    /// optional data, or a TD1's first optional data (line 1). A document-number continuation
    /// is not part of it.
    pub fn optional_data(&self) -> &OptionalData {
        &self.optional_data
    }

    /// A TD1's second optional data (line 2, positions 19–29); `None` for TD2 and TD3.
    pub fn optional_data_2(&self) -> Option<&OptionalData> {
        self.optional_data_2.as_ref()
    }
}

impl fmt::Debug for MrzFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MrzFields")
            .field("format", &self.format)
            .field("document_code", &self.document_code.as_str())
            .field("issuing_state", &self.issuing_state.as_str())
            .field("nationality", &self.nationality.as_str())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;

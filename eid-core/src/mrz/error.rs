//! Why an MRZ was rejected.

use super::{DocumentFormat, MrzField};

/// Why an MRZ (or an MRZ information string) was rejected.
///
/// No variant carries MRZ content: an MRZ is personal data. Positions, lengths, field names and
/// check-digit values are all an error says.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    /// A check digit is a digit, but not the one computed over its field (ICAO 9303 part 3
    /// §4.9: weights 7-3-1, modulus 10).
    #[error("the check digit of the MRZ {field} is {found}, but {expected} was computed")]
    CheckDigit {
        /// The field the check digit protects ([`MrzField::Composite`] for the composite).
        field: MrzField,
        /// The check digit computed over the field.
        expected: u8,
        /// The check digit written in the MRZ.
        found: u8,
    },

    /// A check-digit position holds a letter or a filler instead of a digit.
    #[error("the check digit of the MRZ {field} is not a digit ({expected} was computed)")]
    CheckDigitNotDigit {
        /// The field the check digit protects.
        field: MrzField,
        /// The check digit computed over the field.
        expected: u8,
    },

    /// A character is not one of `A`–`Z`, `0`–`9` and `<` (ICAO 9303 part 3).
    #[error("MRZ line {line} has a character outside A-Z, 0-9 and '<' at byte {position}")]
    Charset {
        /// The line, counted from 1.
        line: usize,
        /// The byte position in the line, counted from 1.
        position: usize,
    },

    /// The document code is not one this format allows: `P` for TD3 passports; `A`, `C` or `I`
    /// for TD1 and TD2 cards. Visas (`V`, ICAO 9303 part 7) are not parsed.
    #[error("the MRZ document code is not allowed in the {format} format")]
    DocumentCode {
        /// The format the line lengths gave.
        format: DocumentFormat,
    },

    /// A field does not have the form its format requires: a country code, a date, the sex, a
    /// name with a digit, or a document-number continuation without a number.
    #[error("the MRZ {field} is malformed")]
    Format {
        /// The malformed field.
        field: MrzField,
    },

    /// The input text is longer than any MRZ can be.
    #[error("the MRZ input is {len} bytes long, more than the limit of {max}")]
    InputTooLong {
        /// The length of the input, in bytes.
        len: usize,
        /// The limit, in bytes.
        max: usize,
    },

    /// There are not 2 (TD2, TD3) or 3 (TD1) lines.
    #[error("an MRZ has 2 or 3 lines, not {lines}")]
    LineCount {
        /// The number of lines given.
        lines: usize,
    },

    /// A line's length fits no format (TD1 3×30, TD2 2×36, TD3 2×44), or differs from the
    /// first line's.
    #[error("MRZ line {line} is {len} bytes long, which fits no MRZ format")]
    LineLength {
        /// The line, counted from 1.
        line: usize,
        /// Its length, in bytes.
        len: usize,
    },
}

impl MrzError {
    /// A stable `snake_case` code for this error, for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::CheckDigit { .. } | Self::CheckDigitNotDigit { .. } => "mrz_check_digit",
            Self::Charset { .. } => "mrz_charset",
            Self::DocumentCode { .. } => "mrz_document_code",
            Self::Format { .. } => "mrz_format",
            Self::InputTooLong { .. } => "mrz_input_too_long",
            Self::LineCount { .. } => "mrz_line_count",
            Self::LineLength { .. } => "mrz_length",
        }
    }
}

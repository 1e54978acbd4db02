//! The typed fields of an MRZ.

use std::fmt;

use super::MrzError;

/// The size of a machine-readable travel document, which fixes its MRZ layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentFormat {
    /// TD1 (ICAO 9303 part 5): identity cards, 3 lines of 30 characters.
    Td1,
    /// TD2 (ICAO 9303 part 6): 2 lines of 36 characters.
    Td2,
    /// TD3 (ICAO 9303 part 4): passports, 2 lines of 44 characters.
    Td3,
}

impl DocumentFormat {
    /// The number of lines of this format.
    pub const fn lines(self) -> usize {
        match self {
            Self::Td1 => 3,
            Self::Td2 | Self::Td3 => 2,
        }
    }

    /// The length of each line of this format.
    pub const fn line_len(self) -> usize {
        match self {
            Self::Td1 => 30,
            Self::Td2 => 36,
            Self::Td3 => 44,
        }
    }
}

impl fmt::Display for DocumentFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Td1 => "TD1",
            Self::Td2 => "TD2",
            Self::Td3 => "TD3",
        })
    }
}

/// A field of an MRZ, as named in errors and in the [`CheckDigitReport`](super::CheckDigitReport).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MrzField {
    /// The document code (`P`, `ID`, `I`, `AC`, …).
    DocumentCode,
    /// The issuing state or organisation.
    IssuingState,
    /// The name of the holder: primary and secondary identifiers.
    Names,
    /// The document number, including a TD1/TD2 continuation in the optional data.
    DocumentNumber,
    /// The nationality of the holder.
    Nationality,
    /// The date of birth.
    DateOfBirth,
    /// The sex.
    Sex,
    /// The date of expiry.
    DateOfExpiry,
    /// The optional data: the personal number of a TD3 (which has a check digit), the optional
    /// data of a TD2, or the first optional data field (line 1) of a TD1.
    OptionalData,
    /// The second optional data field (line 2) of a TD1.
    OptionalData2,
    /// The composite check digit, over the document number, dates and optional data.
    Composite,
}

impl MrzField {
    /// A stable `snake_case` name: `document_number`, `date_of_birth`, `composite`, ….
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::DocumentCode => "document_code",
            Self::IssuingState => "issuing_state",
            Self::Names => "names",
            Self::DocumentNumber => "document_number",
            Self::Nationality => "nationality",
            Self::DateOfBirth => "date_of_birth",
            Self::Sex => "sex",
            Self::DateOfExpiry => "date_of_expiry",
            Self::OptionalData => "optional_data",
            Self::OptionalData2 => "optional_data_2",
            Self::Composite => "composite",
        }
    }
}

impl fmt::Display for MrzField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The document code: one letter for the kind of document, and one letter or filler chosen by
/// the issuing state (ICAO 9303 parts 4–6).
///
/// TD3 requires `P` (passport) first; TD1 and TD2 require `A`, `C` or `I`. Visas (`V`) are not
/// parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DocumentCode([u8; 2]);

impl DocumentCode {
    pub(crate) fn from_bytes(raw: [u8; 2], format: DocumentFormat) -> Result<Self, MrzError> {
        let [kind, detail] = raw;
        let allowed = match format {
            DocumentFormat::Td3 => kind == b'P',
            DocumentFormat::Td1 | DocumentFormat::Td2 => matches!(kind, b'A' | b'C' | b'I'),
        };
        if !allowed {
            return Err(MrzError::DocumentCode { format });
        }
        if !(detail.is_ascii_uppercase() || detail == b'<') {
            return Err(MrzError::Format {
                field: MrzField::DocumentCode,
            });
        }
        Ok(Self(raw))
    }

    /// The code without its trailing filler: `P`, `ID`, `I`, `AC`, ….
    pub fn as_str(&self) -> &str {
        trim_fillers(std::str::from_utf8(&self.0).unwrap_or_default())
    }
}

/// A three-character state or organisation code (ICAO 9303 part 3 §5): `UTO`, `SWE`, or
/// `D<<` for Germany, kept with its fillers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CountryCode([u8; 3]);

impl CountryCode {
    /// A letter, then letters or fillers, with no letter after a filler.
    pub(crate) fn from_bytes(raw: [u8; 3], field: MrzField) -> Result<Self, MrzError> {
        let mut filler_seen = false;
        for (i, &c) in raw.iter().enumerate() {
            match c {
                b'A'..=b'Z' if !filler_seen => {}
                b'<' if i > 0 => filler_seen = true,
                _ => return Err(MrzError::Format { field }),
            }
        }
        Ok(Self(raw))
    }

    /// The three characters as written, fillers included: `UTO`, `D<<`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The code without trailing fillers: `UTO`, `D`.
    pub fn trim_fillers(&self) -> &str {
        trim_fillers(self.as_str())
    }
}

/// The document number, whole: a TD1 or TD2 number longer than nine characters continues in the
/// optional data (ICAO 9303 parts 5 and 6), and this holds all of it.
///
/// Personal data: `Debug` is redacted.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocumentNumber(Text<23>);

impl DocumentNumber {
    pub(crate) fn from_parts(field: &[u8], continuation: &[u8]) -> Self {
        let mut text = Text::new();
        text.extend(field.iter().chain(continuation));
        Self(text)
    }

    /// The number without trailing fillers, such as `L898902C3` or `D23145890734`.
    pub fn as_str(&self) -> &str {
        trim_fillers(self.0.as_str())
    }

    /// The number as the MRZ writes it: at least nine characters, padded with fillers.
    pub(crate) fn as_mrz(&self) -> &[u8] {
        self.0.as_str().as_bytes()
    }
}

impl fmt::Debug for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DocumentNumber([redacted])")
    }
}

/// The name of the holder (ICAO 9303 part 3): the primary identifier (surname) and the
/// secondary identifier (given names), with the fillers between name components turned into
/// single spaces.
///
/// Personal data: `Debug` is redacted.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Names {
    primary: Text<39>,
    secondary: Text<39>,
    truncated: bool,
}

impl Names {
    /// Letters and fillers only; the identifiers are separated by the first `<<`.
    pub(crate) fn from_bytes(raw: &[u8]) -> Result<Self, MrzError> {
        if !raw.iter().all(|&c| c.is_ascii_uppercase() || c == b'<') {
            return Err(MrzError::Format {
                field: MrzField::Names,
            });
        }
        let separator = raw.windows(2).position(|pair| pair == b"<<");
        let (primary, secondary) = match separator {
            Some(at) => (
                raw.get(..at).unwrap_or_default(),
                raw.get(at..).unwrap_or_default(),
            ),
            None => (raw, &[][..]),
        };
        Ok(Self {
            primary: components(primary),
            secondary: components(secondary),
            truncated: raw.last().is_some_and(|&c| c != b'<'),
        })
    }

    /// The primary identifier (surname), such as `ERIKSSON`.
    pub fn primary(&self) -> &str {
        self.primary.as_str()
    }

    /// The secondary identifier (given names), such as `ANNA MARIA`; empty if there is none.
    pub fn secondary(&self) -> &str {
        self.secondary.as_str()
    }

    /// Whether the name fills the whole field, so the issuer may have truncated it (ICAO 9303
    /// part 3). Compare with the chip's DG11 full name where it matters.
    pub fn is_possibly_truncated(&self) -> bool {
        self.truncated
    }
}

/// The name components in `raw` (separated by fillers), joined by single spaces.
fn components(raw: &[u8]) -> Text<39> {
    let mut out = Text::new();
    for part in raw.split(|&c| c == b'<').filter(|part| !part.is_empty()) {
        if !out.is_empty() {
            out.extend(b" ");
        }
        out.extend(part);
    }
    out
}

impl fmt::Debug for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Names([redacted])")
    }
}

/// The sex of the holder (ICAO 9303 part 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sex {
    /// `F`.
    Female,
    /// `M`.
    Male,
    /// `<` (unspecified) or `X`, which some states write instead.
    Unspecified,
}

impl Sex {
    pub(crate) fn from_byte(c: u8) -> Result<Self, MrzError> {
        match c {
            b'F' => Ok(Self::Female),
            b'M' => Ok(Self::Male),
            b'<' | b'X' => Ok(Self::Unspecified),
            _ => Err(MrzError::Format {
                field: MrzField::Sex,
            }),
        }
    }
}

/// An optional data field, at the issuing state's discretion (a TD3's personal number, for
/// example), without trailing fillers.
///
/// May hold a national identity number, so `Debug` is redacted.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OptionalData(Text<15>);

impl OptionalData {
    pub(crate) fn from_bytes(raw: &[u8]) -> Self {
        let end = raw.iter().rposition(|&c| c != b'<').map_or(0, |i| i + 1);
        let mut text = Text::new();
        text.extend(raw.get(..end).unwrap_or_default());
        Self(text)
    }

    /// The data as written, inner fillers kept, trailing fillers removed.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Whether the field holds only fillers.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for OptionalData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OptionalData([redacted])")
    }
}

fn trim_fillers(s: &str) -> &str {
    s.trim_end_matches('<')
}

/// Up to `N` ASCII characters, inline: an MRZ field has a fixed maximum length, so parsing
/// allocates nothing.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Text<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Text<N> {
    fn new() -> Self {
        Self {
            bytes: [0; N],
            len: 0,
        }
    }

    /// Appends `more`; what does not fit is dropped (the callers' fields never exceed `N`).
    fn extend<'a>(&mut self, more: impl IntoIterator<Item = &'a u8>) {
        for &c in more {
            if let Some(slot) = self.bytes.get_mut(self.len) {
                *slot = c;
                self.len += 1;
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn as_str(&self) -> &str {
        // Only ASCII is ever stored.
        self.bytes
            .get(..self.len)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }
}

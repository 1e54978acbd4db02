//! The three layouts (ICAO 9303 parts 4, 5 and 6).
//!
//! Positions below are 0-based byte offsets; the standard counts from 1.

use super::check::outcome;
use super::{
    CheckDigitOutcome, CheckDigitReport, CountryCode, DocumentCode, DocumentFormat, DocumentNumber,
    MrzDate, MrzError, MrzField, MrzFields, Names, OptionalData, Sex, UncheckedMrz,
};

/// Checks the shape and character set, then reads the fields of the format the shape gives.
pub(super) fn parse(lines: &[&str]) -> Result<UncheckedMrz, MrzError> {
    match *lines {
        [l1, l2, l3] => td1(&line(l1, 1)?, &line(l2, 2)?, &line(l3, 3)?),
        [l1, l2] => match l1.len() {
            36 => td2(&line(l1, 1)?, &line(l2, 2)?),
            44 => td3(&line(l1, 1)?, &line(l2, 2)?),
            len => Err(MrzError::LineLength { line: 1, len }),
        },
        _ => Err(MrzError::LineCount { lines: lines.len() }),
    }
}

/// Line `number` (from 1) as an array of `N` MRZ characters.
fn line<const N: usize>(text: &str, number: usize) -> Result<[u8; N], MrzError> {
    let bytes: [u8; N] = text
        .as_bytes()
        .try_into()
        .map_err(|_| MrzError::LineLength {
            line: number,
            len: text.len(),
        })?;
    if let Some(position) = bytes
        .iter()
        .position(|&c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'<'))
    {
        return Err(MrzError::Charset {
            line: number,
            position: position + 1,
        });
    }
    Ok(bytes)
}

/// `N` bytes of `src` from `start`.
fn take<const N: usize>(src: &[u8], start: usize) -> [u8; N] {
    let mut out = [b'<'; N];
    if let Some(part) = src.get(start..start + N) {
        out.copy_from_slice(part);
    }
    out
}

/// The document number and its check, and the optional data left after a continuation.
///
/// If the check digit position holds a filler and the optional data starts with a character
/// (TD1, TD2 only), the number continues in the optional data up to the next filler, and the
/// last character before it is the check digit of the whole number (ICAO 9303 parts 5
/// and 6).
fn document_number<'a>(
    field: &[u8],
    check: u8,
    optional: &'a [u8],
    may_continue: bool,
) -> Result<(DocumentNumber, CheckDigitOutcome, &'a [u8]), MrzError> {
    let continues = may_continue && check == b'<' && optional.first().is_some_and(|&c| c != b'<');
    if !continues {
        return Ok((
            DocumentNumber::from_parts(field, &[]),
            outcome(field, check),
            optional,
        ));
    }
    let end = optional
        .iter()
        .position(|&c| c == b'<')
        .unwrap_or(optional.len());
    let continuation = optional.get(..end).unwrap_or_default();
    let rest = optional.get(end + 1..).unwrap_or_default();
    match continuation.split_last() {
        Some((&check, more)) if !more.is_empty() => Ok((
            DocumentNumber::from_parts(field, more),
            outcome(field.iter().chain(more), check),
            rest,
        )),
        _ => Err(MrzError::Format {
            field: MrzField::DocumentNumber,
        }),
    }
}

fn td1(l1: &[u8; 30], l2: &[u8; 30], l3: &[u8; 30]) -> Result<UncheckedMrz, MrzError> {
    let format = DocumentFormat::Td1;
    let document_code = DocumentCode::from_bytes(take(l1, 0), format)?;
    let issuing_state = CountryCode::from_bytes(take(l1, 2), MrzField::IssuingState)?;
    let (document_number, number_check, optional_1) =
        document_number(&l1[5..14], l1[14], &l1[15..30], true)?;
    let date_of_birth = MrzDate::from_bytes(take(l2, 0), MrzField::DateOfBirth)?;
    let sex = Sex::from_byte(l2[7])?;
    let date_of_expiry = MrzDate::from_bytes(take(l2, 8), MrzField::DateOfExpiry)?;
    let nationality = CountryCode::from_bytes(take(l2, 15), MrzField::Nationality)?;
    let names = Names::from_bytes(l3)?;
    let report = CheckDigitReport {
        document_number: number_check,
        date_of_birth: outcome(&l2[0..6], l2[6]),
        date_of_expiry: outcome(&l2[8..14], l2[14]),
        optional_data: None,
        composite: outcome(
            l1[5..30]
                .iter()
                .chain(&l2[0..7])
                .chain(&l2[8..15])
                .chain(&l2[18..29]),
            l2[29],
        ),
    };
    Ok(UncheckedMrz {
        fields: MrzFields {
            format,
            document_code,
            issuing_state,
            document_number,
            names,
            nationality,
            date_of_birth,
            sex,
            date_of_expiry,
            optional_data: OptionalData::from_bytes(optional_1),
            optional_data_2: Some(OptionalData::from_bytes(&l2[18..29])),
        },
        report,
    })
}

fn td2(l1: &[u8; 36], l2: &[u8; 36]) -> Result<UncheckedMrz, MrzError> {
    let format = DocumentFormat::Td2;
    let document_code = DocumentCode::from_bytes(take(l1, 0), format)?;
    let (document_number, number_check, optional) =
        document_number(&l2[0..9], l2[9], &l2[28..35], true)?;
    let fields = common(
        format,
        document_code,
        l1,
        &l1[5..36],
        l2,
        document_number,
        optional,
    )?;
    let report = CheckDigitReport {
        document_number: number_check,
        date_of_birth: outcome(&l2[13..19], l2[19]),
        date_of_expiry: outcome(&l2[21..27], l2[27]),
        optional_data: None,
        composite: outcome(
            l2[0..10].iter().chain(&l2[13..20]).chain(&l2[21..35]),
            l2[35],
        ),
    };
    Ok(UncheckedMrz { fields, report })
}

fn td3(l1: &[u8; 44], l2: &[u8; 44]) -> Result<UncheckedMrz, MrzError> {
    let format = DocumentFormat::Td3;
    let document_code = DocumentCode::from_bytes(take(l1, 0), format)?;
    let (document_number, number_check, optional) =
        document_number(&l2[0..9], l2[9], &l2[28..42], false)?;
    let fields = common(
        format,
        document_code,
        l1,
        &l1[5..44],
        l2,
        document_number,
        optional,
    )?;
    // ICAO 9303 part 4: an unused personal number may have a filler for its check
    // digit.
    let personal_number_check = if l2[28..43].iter().all(|&c| c == b'<') {
        CheckDigitOutcome::Valid
    } else {
        outcome(&l2[28..42], l2[42])
    };
    let report = CheckDigitReport {
        document_number: number_check,
        date_of_birth: outcome(&l2[13..19], l2[19]),
        date_of_expiry: outcome(&l2[21..27], l2[27]),
        optional_data: Some(personal_number_check),
        composite: outcome(
            l2[0..10].iter().chain(&l2[13..20]).chain(&l2[21..43]),
            l2[43],
        ),
    };
    Ok(UncheckedMrz { fields, report })
}

/// The fields that TD2 and TD3 place alike: line 1 is code, state and names; line 2 is number,
/// nationality, birth, sex, expiry and optional data.
fn common(
    format: DocumentFormat,
    document_code: DocumentCode,
    l1: &[u8],
    names: &[u8],
    l2: &[u8],
    document_number: DocumentNumber,
    optional: &[u8],
) -> Result<MrzFields, MrzError> {
    Ok(MrzFields {
        format,
        document_code,
        issuing_state: CountryCode::from_bytes(take(l1, 2), MrzField::IssuingState)?,
        names: Names::from_bytes(names)?,
        document_number,
        nationality: CountryCode::from_bytes(take(l2, 10), MrzField::Nationality)?,
        date_of_birth: MrzDate::from_bytes(take(l2, 13), MrzField::DateOfBirth)?,
        sex: Sex::from_byte(l2.get(20).copied().unwrap_or_default())?,
        date_of_expiry: MrzDate::from_bytes(take(l2, 21), MrzField::DateOfExpiry)?,
        optional_data: OptionalData::from_bytes(optional),
        optional_data_2: None,
    })
}

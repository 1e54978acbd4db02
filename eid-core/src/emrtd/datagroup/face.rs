//! ISO/IEC 19794-5:2005 facial records (the biometric data block of DG2): a fixed binary
//! layout, read with bounds-checked big-endian reads.
//!
//! ```text
//! Facial record header (14):  "FAC\0" | "010\0" | record length u32 | number of images u16
//! per image:
//!   facial information (20):  block length u32 | feature points u16 | gender, eye, hair u8 |
//!                             property mask u24 | expression u16 | pose u24 | uncertainty u24
//!   feature points (8 each)
//!   image information (12):   face image type u8 | image data type u8 | width u16 |
//!                             height u16 | colour space u8 | source u8 | device u16 | quality u16
//!   image data:               block length − 20 − 8 × feature points − 12 bytes
//! ```

use std::fmt;

use super::DataGroupError;

const FORMAT_IDENTIFIER: &[u8] = b"FAC\0";
const VERSION_2005: &[u8] = b"010\0";
const FACIAL_INFORMATION_LEN: usize = 20;
const FEATURE_POINT_LEN: usize = 8;
const IMAGE_INFORMATION_LEN: usize = 12;

/// The encoding of a facial image (ISO/IEC 19794-5 §5.7.2), as its first bytes show.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// JPEG (ISO/IEC 10918), starting `FF D8 FF`.
    Jpeg,
    /// JPEG 2000 (ISO/IEC 15444): a JP2 file (`00 00 00 0C 6A 50 20 20`) or a codestream
    /// (`FF 4F FF 51`).
    Jpeg2000,
}

impl ImageFormat {
    /// The format of an image by its signature, `None` if neither.
    fn sniff(image: &[u8]) -> Option<Self> {
        if image.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if image.starts_with(&[0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20])
            || image.starts_with(&[0xFF, 0x4F, 0xFF, 0x51])
        {
            Some(Self::Jpeg2000)
        } else {
            None
        }
    }

    /// The media type (`image/jpeg`, `image/jp2`).
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Jpeg2000 => "image/jp2",
        }
    }
}

/// A facial image from DG2. Personal data: `Debug` shows the format and sizes only.
#[derive(Clone, PartialEq, Eq)]
pub struct FaceImage {
    format: ImageFormat,
    width: u16,
    height: u16,
    bytes: Vec<u8>,
}

impl FaceImage {
    /// The encoding, from the image's signature.
    pub fn format(&self) -> ImageFormat {
        self.format
    }

    /// The width in pixels the facial record states.
    pub fn width(&self) -> u16 {
        self.width
    }

    /// The height in pixels the facial record states.
    pub fn height(&self) -> u16 {
        self.height
    }

    /// The encoded image.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The encoded image, by value.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

impl fmt::Debug for FaceImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaceImage")
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A bounds-checked cursor over a byte slice.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], DataGroupError> {
        let (head, rest) = self.rest.split_at_checked(len).ok_or(malformed())?;
        self.rest = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, DataGroupError> {
        let [value] = self.array::<1>()?;
        Ok(value)
    }

    fn u16(&mut self) -> Result<u16, DataGroupError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, DataGroupError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DataGroupError> {
        self.take(N)?.try_into().map_err(|_| malformed())
    }
}

fn malformed() -> DataGroupError {
    DataGroupError::Malformed {
        structure: "ISO/IEC 19794-5 facial record",
    }
}

fn to_usize(value: u32) -> Result<usize, DataGroupError> {
    usize::try_from(value).map_err(|_| malformed())
}

/// Appends the images of one facial record (a biometric data block's content) to `images`.
pub(super) fn parse_facial_record(
    block: &[u8],
    images: &mut Vec<FaceImage>,
) -> Result<(), DataGroupError> {
    let mut header = Cursor { rest: block };
    if header.take(FORMAT_IDENTIFIER.len()).ok() != Some(FORMAT_IDENTIFIER)
        || header.take(VERSION_2005.len()).ok() != Some(VERSION_2005)
    {
        return Err(DataGroupError::UnsupportedBiometricFormat);
    }
    let record_len = to_usize(header.u32()?)?;
    if record_len != block.len() {
        return Err(malformed());
    }
    let count = header.u16()?;
    let mut records = header;
    for _ in 0..count {
        let block_len = to_usize(records.u32()?)?;
        // The block length counts its own four bytes.
        let mut image = Cursor {
            rest: records.take(block_len.checked_sub(4).ok_or(malformed())?)?,
        };
        let feature_points = usize::from(image.u16()?);
        image.take(FACIAL_INFORMATION_LEN - 6)?;
        image.take(
            feature_points
                .checked_mul(FEATURE_POINT_LEN)
                .ok_or(malformed())?,
        )?;
        let _face_image_type = image.u8()?;
        let _image_data_type = image.u8()?;
        let width = image.u16()?;
        let height = image.u16()?;
        image.take(IMAGE_INFORMATION_LEN - 6)?;
        let data = image.rest;
        let format = ImageFormat::sniff(data).ok_or(DataGroupError::UnsupportedImageFormat)?;
        images.push(FaceImage {
            format,
            width,
            height,
            bytes: data.to_vec(),
        });
    }
    if !records.rest.is_empty() {
        return Err(malformed());
    }
    Ok(())
}

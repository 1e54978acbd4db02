use proptest::prelude::*;

use super::*;
use crate::mrz::{DocumentFormat, MrzError};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/emrtd/");

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const SPECIMENS: [&str; 4] = [
    "bsi_tr03105_2013",
    "etsi_tr103200_2011",
    "bsi2008_bdr_test",
    "nl_specimen_2006",
];

#[test]
fn dg1_of_every_specimen() {
    let expected: serde_json::Value = serde_json::from_slice(&read("expected.json")).unwrap();
    for folder in SPECIMENS {
        let want = &expected["datasets"][folder]["mrz"];
        let mrz = parse_dg1(&read(&format!("{folder}/EF_DG1.bin"))).unwrap();
        let fields = mrz.fields();
        assert_eq!(fields.format(), DocumentFormat::Td3, "{folder}");
        assert_eq!(
            fields.document_number().as_str(),
            want["document_number"],
            "{folder}"
        );
        let name = format!(
            "{}, {}",
            fields.names().primary(),
            fields.names().secondary()
        );
        assert_eq!(name, want["name"].as_str().unwrap(), "{folder}");
    }
}

/// A DG1 built around an MRZ text.
fn dg1(text: &[u8]) -> Vec<u8> {
    let mut inner = vec![0x5F, 0x1F, text.len() as u8];
    inner.extend_from_slice(text);
    let mut out = vec![0x61, inner.len() as u8];
    out.extend(inner);
    out
}

#[test]
fn dg1_td1_td2_and_errors() {
    // ICAO 9303 part 5 and 6 specimens.
    let td1 = b"I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    let mrz = parse_dg1(&dg1(td1)).unwrap();
    assert_eq!(mrz.fields().format(), DocumentFormat::Td1);
    let td2 = b"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<D231458907UTO7408122F1204159<<<<<<<6";
    let mrz = parse_dg1(&dg1(td2)).unwrap();
    assert_eq!(mrz.fields().format(), DocumentFormat::Td2);

    // A wrong check digit: rejected, or reported by the unchecked parse.
    let mut wrong = td2.to_vec();
    wrong[45] = b'0';
    assert!(matches!(
        parse_dg1(&dg1(&wrong)),
        Err(DataGroupError::Mrz(MrzError::CheckDigit { .. }))
    ));
    let unchecked = parse_dg1_unchecked(&dg1(&wrong)).unwrap();
    assert!(unchecked.check().is_err());

    assert!(matches!(
        parse_dg1(&dg1(&td2[..70])),
        Err(DataGroupError::MrzLength { len: 70 })
    ));
    let error = parse_dg1(&read("nl_specimen_2006/EF_DG2.bin")).unwrap_err();
    assert!(
        matches!(error, DataGroupError::TooLarge { .. }),
        "{error:?}"
    );
    let error = parse_dg1(&read("nl_specimen_2006/EF_DG15.bin")).unwrap_err();
    assert!(matches!(
        error,
        DataGroupError::UnexpectedTag { dg: 1, found: 0x6F }
    ));
    assert_eq!(error.reason(), "unexpected_tag");
    assert!(matches!(
        parse_dg1(&[0x61, 0x00]),
        Err(DataGroupError::Malformed { .. })
    ));
    assert!(matches!(
        parse_dg1(&[]),
        Err(DataGroupError::Malformed { .. })
    ));
    let mut non_ascii = td2.to_vec();
    non_ascii[0] = 0xC3;
    assert!(matches!(
        parse_dg1(&dg1(&non_ascii)),
        Err(DataGroupError::Malformed { .. })
    ));
}

#[test]
fn dg2_of_every_specimen() {
    for folder in SPECIMENS {
        let bytes = read(&format!("{folder}/EF_DG2.bin"));
        let faces = parse_dg2(&bytes).unwrap();
        assert_eq!(faces.len(), 1, "{folder}");
        let face = &faces[0];
        assert_eq!(face.format(), ImageFormat::Jpeg2000, "{folder}");
        assert_eq!(face.format().media_type(), "image/jp2");
        assert!(
            (10_000..bytes.len()).contains(&face.bytes().len()),
            "{folder}"
        );
        assert!(face.width() >= 240 && face.height() >= 320, "{folder}");
        // The image runs to the end of the data group.
        assert!(bytes.ends_with(face.bytes()), "{folder}");
        // Debug does not dump the image.
        assert!(format!("{face:?}").len() < 100);
    }
}

/// A DG2 around one facial record with the given image data.
fn dg2(image: &[u8]) -> Vec<u8> {
    let mut record = [&b"FAC\0"[..], b"010\0"].concat();
    let block_len = 20 + 12 + image.len();
    let record_len = 14 + block_len;
    record.extend_from_slice(&(record_len as u32).to_be_bytes());
    record.extend_from_slice(&1u16.to_be_bytes());
    record.extend_from_slice(&(block_len as u32).to_be_bytes());
    record.extend_from_slice(&[0; 16]);
    record.extend_from_slice(&[1, 0, 0x01, 0xE0, 0x02, 0x80, 0, 0, 0, 0, 0, 0]);
    record.extend_from_slice(image);
    let bdb = tlv2(&[0x5F, 0x2E], &record);
    let header = tlv2(&[0xA1], &[0x81, 0x01, 0x02]);
    let template = tlv2(&[0x7F, 0x60], &[header, bdb].concat());
    let group = tlv2(&[0x7F, 0x61], &[vec![0x02, 0x01, 0x01], template].concat());
    tlv2(&[0x75], &group)
}

fn tlv2(tag: &[u8], content: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    let len = content.len();
    assert!(len < 0x10000);
    out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    out.extend_from_slice(content);
    out
}

#[test]
fn dg2_jpeg_and_errors() {
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    let faces = parse_dg2(&dg2(&jpeg)).unwrap();
    assert_eq!(faces[0].format(), ImageFormat::Jpeg);
    assert_eq!((faces[0].width(), faces[0].height()), (480, 640));
    assert_eq!(faces[0].clone().into_bytes(), jpeg);
    let codestream = [0xFF, 0x4F, 0xFF, 0x51, 0];
    assert_eq!(
        parse_dg2(&dg2(&codestream)).unwrap()[0].format(),
        ImageFormat::Jpeg2000
    );

    let error = parse_dg2(&dg2(b"GIF89a")).unwrap_err();
    assert!(matches!(error, DataGroupError::UnsupportedImageFormat));
    assert_eq!(error.reason(), "unsupported_image_format");

    let mut other_version = dg2(&jpeg);
    let at = other_version
        .windows(4)
        .position(|w| w == b"010\0")
        .unwrap();
    other_version[at + 1] = b'3';
    let error = parse_dg2(&other_version).unwrap_err();
    assert!(matches!(error, DataGroupError::UnsupportedBiometricFormat));

    // A record length that disagrees with the block.
    let mut bad_length = dg2(&jpeg);
    let at = bad_length.windows(4).position(|w| w == b"010\0").unwrap();
    bad_length[at + 7] ^= 1;
    assert!(matches!(
        parse_dg2(&bad_length),
        Err(DataGroupError::Malformed { .. })
    ));

    let big = vec![0x75; MAX_DG2_LEN + 1];
    assert!(matches!(
        parse_dg2(&big),
        Err(DataGroupError::TooLarge {
            max: MAX_DG2_LEN,
            ..
        })
    ));
    assert!(matches!(
        parse_dg2(&read("nl_specimen_2006/EF_DG1.bin")),
        Err(DataGroupError::UnexpectedTag { dg: 2, found: 0x61 })
    ));
    let real = read("nl_specimen_2006/EF_DG2.bin");
    for len in [2, 10, 40, 100, real.len() - 1] {
        assert!(
            matches!(
                parse_dg2(&real[..len]),
                Err(DataGroupError::Malformed { .. })
            ),
            "{len}"
        );
    }
}

#[test]
fn dg15_public_keys() {
    for folder in [
        "bsi_tr03105_2013",
        "etsi_tr103200_2011",
        "bsi2008_bdr_test",
        "nl_specimen_2006",
    ] {
        let bytes = read(&format!("{folder}/EF_DG15.bin"));
        let spki = parse_dg15(&bytes).unwrap();
        assert_eq!(spki.first(), Some(&0x30), "{folder}");
        assert!(bytes.ends_with(&spki), "{folder}");
        assert!(spki.len() > 60, "{folder}");
    }
    assert!(matches!(
        parse_dg15(&read("nl_specimen_2006/EF_DG1.bin")),
        Err(DataGroupError::UnexpectedTag {
            dg: 15,
            found: 0x61
        })
    ));
    // Not an SPKI inside.
    assert!(matches!(
        parse_dg15(&[0x6F, 0x03, 0x02, 0x01, 0x00]),
        Err(DataGroupError::Malformed { structure: "DG15" })
    ));
    let big = vec![0x6F; MAX_DG15_LEN + 1];
    assert!(matches!(
        parse_dg15(&big),
        Err(DataGroupError::TooLarge { .. })
    ));
}

#[test]
fn data_group_numbers() {
    let cases = [
        (0x61, Some(1)),
        (0x75, Some(2)),
        (0x63, Some(3)),
        (0x76, Some(4)),
        (0x65, Some(5)),
        (0x6E, Some(14)),
        (0x6F, Some(15)),
        (0x70, Some(16)),
        (0x60, None),
        (0x77, None),
        (0x62, None),
        (0x64, None),
    ];
    for (tag, dg) in cases {
        assert_eq!(data_group_number(&[tag, 0]), dg, "{tag:#x}");
    }
    assert_eq!(data_group_number(&[]), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_bytes(
        tag in prop::sample::select(vec![0x61u8, 0x75, 0x6F, 0x30]),
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut input = vec![tag, 0x82, 0x01, 0x00];
        input.extend_from_slice(&bytes);
        for candidate in [&input[..], &bytes[..]] {
            let _ = parse_dg1(candidate);
            let _ = parse_dg2(candidate);
            let _ = parse_dg15(candidate);
        }
    }

    #[test]
    fn never_panics_on_bit_flipped_specimens(
        file in prop::sample::select(vec!["EF_DG1.bin", "EF_DG2.bin", "EF_DG15.bin"]),
        position in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let mut bytes = read(&format!("nl_specimen_2006/{file}"));
        // Flip within the headers, where the structure is.
        let at = position.index(bytes.len().min(200));
        bytes[at] ^= 1 << bit;
        let _ = parse_dg1(&bytes);
        let _ = parse_dg2(&bytes);
        let _ = parse_dg15(&bytes);
    }
}

//! Replays the fuzzing corpus (`fuzz/corpus/<target>/`) through the parsers the fuzz targets
//! drive, as a normal test: a crash found by fuzzing and added to the corpus stays fixed. A
//! missing or empty corpus fails the test rather than passing silently.

use std::path::{Path, PathBuf};

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("corpus {} is missing: {error}", dir.display()));
    let files: Vec<_> = entries
        .map(|entry| {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    assert!(!files.is_empty(), "corpus {} is empty", dir.display());
    files
}

#[test]
fn mrz_corpus_parses_without_panicking() {
    let mut accepted = 0;
    for (_path, bytes) in corpus("mrz") {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = text.parse::<eid_core::mrz::UncheckedMrz>();
            if text.parse::<eid_core::mrz::Mrz>().is_ok() {
                accepted += 1;
            }
        }
    }
    // The seeds include the valid ICAO specimens: the replay really reaches the parser.
    assert!(
        accepted >= 10,
        "only {accepted} corpus files parsed as a valid MRZ"
    );
}

#[test]
fn sod_corpus_parses_without_panicking() {
    let mut parsed = 0;
    for (path, bytes) in corpus("sod") {
        if let Ok(sod) = eid_core::emrtd::sod::Sod::from_bytes(&bytes) {
            parsed += 1;
            let _ = eid_core::emrtd::passive::check_integrity(&sod, &[]);
        } else {
            panic!("seed {} no longer parses", path.display());
        }
    }
    assert!(parsed >= 19, "only {parsed} SODs in the corpus");
}

#[test]
fn master_list_corpus_parses_without_panicking() {
    use eid_core::clock::UnixTime;
    use eid_core::emrtd::trust::{CscaStore, MasterList, TrustError};
    let files = corpus("master_list");
    for (path, bytes) in &files {
        // No anchors: each list parses and its signature verifies, and the chain is refused.
        let result =
            MasterList::from_bytes(bytes, UnixTime::from_secs(1_795_305_600), &CscaStore::new());
        assert!(
            matches!(result, Err(TrustError::Chain(_))),
            "{}: {result:?}",
            path.display()
        );
    }
    assert_eq!(files.len(), 3);
}

#[test]
fn data_group_corpus_parses_without_panicking() {
    use eid_core::emrtd::datagroup;
    let mut recognised = 0;
    for (_path, bytes) in corpus("data_group") {
        if datagroup::data_group_number(&bytes).is_some() {
            recognised += 1;
        }
        let _ = datagroup::parse_dg1(&bytes);
        let _ = datagroup::parse_dg2(&bytes);
        let _ = datagroup::parse_dg15(&bytes);
    }
    assert!(recognised >= 20, "only {recognised} data groups recognised");
}

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

//! Face comparison: the holder in front of the camera against the portrait on the chip (DG2).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::BindingError;

/// The presentation-attack-detection (liveness) assurance of a capture, as ISO/IEC 30107-3
/// evaluations grade it (the "level 1" and "level 2" of the usual certification programmes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PadLevel {
    /// No presentation-attack detection: a photo of a photo would pass.
    None,
    /// Detection of simple artefacts (prints, screens, paper masks).
    Level1,
    /// Detection of elaborate artefacts (3D masks, latex).
    Level2,
}

/// The result of comparing a live capture with a document's portrait: what a [`FaceMatcher`]
/// produces and a [`ProofingPolicy`](super::ProofingPolicy) judges.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct FaceComparison {
    score: f32,
    threshold: f32,
    algorithm: String,
    pad: PadLevel,
}

impl FaceComparison {
    /// The longest algorithm identifier accepted.
    pub const MAX_ALGORITHM_LEN: usize = 128;

    /// A comparison with similarity `score` against the matcher's decision `threshold` (both in
    /// `0.0..=1.0`), by the matcher `algorithm` (an identifier with its version, e.g.
    /// `vendor-face-7.2`), on a capture with presentation-attack detection `pad`.
    ///
    /// # Errors
    ///
    /// [`BindingError::InvalidFaceComparison`] if a number is not finite or outside
    /// `0.0..=1.0`, or the algorithm identifier is empty or too long.
    pub fn new(
        score: f32,
        threshold: f32,
        algorithm: &str,
        pad: PadLevel,
    ) -> Result<Self, BindingError> {
        let unit = |value: f32| value.is_finite() && (0.0..=1.0).contains(&value);
        if !unit(score)
            || !unit(threshold)
            || algorithm.is_empty()
            || algorithm.len() > Self::MAX_ALGORITHM_LEN
        {
            return Err(BindingError::InvalidFaceComparison);
        }
        Ok(Self {
            score,
            threshold,
            algorithm: algorithm.to_owned(),
            pad,
        })
    }

    /// The similarity score, `0.0..=1.0`.
    pub fn score(&self) -> f32 {
        self.score
    }

    /// The matcher's decision threshold.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The matcher's identifier.
    pub fn algorithm(&self) -> &str {
        &self.algorithm
    }

    /// The presentation-attack detection of the capture.
    pub fn pad(&self) -> PadLevel {
        self.pad
    }

    /// Whether the score reaches the threshold.
    pub fn is_match(&self) -> bool {
        self.score >= self.threshold
    }
}

impl fmt::Debug for FaceComparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaceComparison")
            .field("score", &self.score)
            .field("threshold", &self.threshold)
            .field("algorithm", &self.algorithm)
            .field("pad", &self.pad)
            .finish()
    }
}

/// A face matcher: compares a live capture (`probe`) with the portrait read from the chip
/// (`reference`, the image bytes of DG2). The matcher is pluggable: a deployment wraps its
/// certified biometric engine in this trait.
pub trait FaceMatcher: Send + Sync + fmt::Debug {
    /// Compares the two images.
    ///
    /// # Errors
    ///
    /// [`BindingError::FaceImage`] when an image cannot be used (empty, too large, not an
    /// image the matcher reads).
    fn compare(&self, reference: &[u8], probe: &[u8]) -> Result<FaceComparison, BindingError>;
}

/// A deterministic matcher **for tests and demonstrations only**: it is not biometric.
///
/// Its score is the cosine similarity of the two images' byte histograms, so the same image
/// scores 1.0, the same picture re-encoded scores high, and unrelated data scores lower — a
/// real, repeatable comparison that can say no, which a test of the proofing flow needs (a
/// matcher that always says yes would prove nothing). It reports the presentation-attack
/// detection level it was configured with, since it has none of its own.
#[derive(Clone, Debug)]
pub struct TestFaceMatcher {
    threshold: f32,
    declared_pad: PadLevel,
}

impl TestFaceMatcher {
    /// The algorithm identifier it reports.
    pub const ALGORITHM: &'static str = "eid-test-byte-histogram-v1";
    /// The largest image it reads.
    pub const MAX_IMAGE_BYTES: usize = 1024 * 1024;

    /// A matcher deciding at `threshold` that reports `declared_pad` for every capture.
    pub fn new(threshold: f32, declared_pad: PadLevel) -> Self {
        Self {
            threshold: if threshold.is_finite() {
                threshold.clamp(0.0, 1.0)
            } else {
                1.0
            },
            declared_pad,
        }
    }

    fn histogram(image: &[u8]) -> [f64; 256] {
        let mut bins = [0.0; 256];
        for &byte in image {
            if let Some(bin) = bins.get_mut(usize::from(byte)) {
                *bin += 1.0;
            }
        }
        bins
    }
}

impl FaceMatcher for TestFaceMatcher {
    fn compare(&self, reference: &[u8], probe: &[u8]) -> Result<FaceComparison, BindingError> {
        for image in [reference, probe] {
            if image.is_empty() || image.len() > Self::MAX_IMAGE_BYTES {
                return Err(BindingError::FaceImage);
            }
        }
        let (a, b) = (Self::histogram(reference), Self::histogram(probe));
        let dot: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        let norm = |h: &[f64; 256]| h.iter().map(|x| x * x).sum::<f64>().sqrt();
        let similarity = dot / (norm(&a) * norm(&b));
        // A similarity in 0..=1 loses only precision as an f32.
        let score = similarity.clamp(0.0, 1.0) as f32;
        FaceComparison::new(score, self.threshold, Self::ALGORITHM, self.declared_pad)
    }
}

use super::*;
use crate::assurance::LevelOfAssurance;

fn facts(face: Option<FaceComparison>) -> ProofingFacts {
    ProofingFacts {
        chip: ChipCheck::Chained,
        clone_check: CloneCheck::Passed,
        document_expired: false,
        face,
        presence: Presence::Remote,
        holder_has_personal_number: false,
    }
}

fn matching_face(pad: PadLevel) -> FaceComparison {
    FaceComparison::new(0.97, 0.9, "test", pad).unwrap()
}

#[test]
fn test_matcher_is_a_real_comparison() {
    let matcher = TestFaceMatcher::new(0.9, PadLevel::Level2);
    let portrait: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let same = matcher.compare(&portrait, &portrait).unwrap();
    assert!((same.score() - 1.0).abs() < 1e-6);
    assert!(same.is_match());
    assert_eq!(same.pad(), PadLevel::Level2);
    assert_eq!(same.algorithm(), TestFaceMatcher::ALGORITHM);

    let other = matcher.compare(&portrait, &[7u8; 4096]).unwrap();
    assert!(other.score() < 0.2, "{}", other.score());
    assert!(!other.is_match());

    // Deterministic.
    assert_eq!(matcher.compare(&portrait, &[7u8; 4096]).unwrap(), other);

    assert!(matches!(
        matcher.compare(&[], &portrait),
        Err(BindingError::FaceImage)
    ));
    let huge = vec![0u8; TestFaceMatcher::MAX_IMAGE_BYTES + 1];
    assert!(matches!(
        matcher.compare(&portrait, &huge),
        Err(BindingError::FaceImage)
    ));
}

#[test]
fn face_comparisons_are_validated() {
    for (score, threshold, algorithm) in [
        (f32::NAN, 0.5, "a"),
        (1.5, 0.5, "a"),
        (0.5, -0.1, "a"),
        (0.5, f32::INFINITY, "a"),
        (0.5, 0.5, ""),
    ] {
        assert!(matches!(
            FaceComparison::new(score, threshold, algorithm, PadLevel::None),
            Err(BindingError::InvalidFaceComparison)
        ));
    }
    let long = "x".repeat(FaceComparison::MAX_ALGORITHM_LEN + 1);
    assert!(FaceComparison::new(0.5, 0.5, &long, PadLevel::None).is_err());
}

#[test]
fn default_policy_grants_substantial_for_chip_clone_check_and_face() {
    let policy = ProofingPolicy::default();
    let decision = policy
        .evaluate(&facts(Some(matching_face(PadLevel::Level1))))
        .unwrap();
    assert_eq!(decision.level, LevelOfAssurance::Loa3NonResident);
    assert_eq!(decision.rule, "chip-clone-checked-face");
    assert_eq!(decision.trust_framework, "eidas");
    assert_eq!(decision.ida_assurance_level, "substantial");
    assert!(decision.face_compared);

    let mut resident = facts(Some(matching_face(PadLevel::Level1)));
    resident.holder_has_personal_number = true;
    assert_eq!(
        policy.evaluate(&resident).unwrap().level,
        LevelOfAssurance::Loa3
    );
}

#[test]
fn missing_checks_lower_the_level() {
    let policy = ProofingPolicy::default();

    // No face: the document is genuine but not tied to the person.
    let decision = policy.evaluate(&facts(None)).unwrap();
    assert_eq!(decision.level, LevelOfAssurance::Loa2NonResident);
    assert_eq!(decision.ida_assurance_level, "low");
    assert!(!decision.face_compared);

    // No clone check: the same.
    let mut no_clone_check = facts(Some(matching_face(PadLevel::Level2)));
    no_clone_check.clone_check = CloneCheck::NotDone;
    assert_eq!(
        policy.evaluate(&no_clone_check).unwrap().level,
        LevelOfAssurance::Loa2NonResident
    );

    // Unsupervised capture without presentation-attack detection: not substantial...
    let no_pad = facts(Some(matching_face(PadLevel::None)));
    assert_eq!(
        policy.evaluate(&no_pad).unwrap().level,
        LevelOfAssurance::Loa2NonResident
    );
    // ...unless an operator watched.
    let mut supervised = no_pad;
    supervised.presence = Presence::Supervised;
    assert_eq!(
        policy.evaluate(&supervised).unwrap().level,
        LevelOfAssurance::Loa3NonResident
    );
}

#[test]
fn refusals() {
    let policy = ProofingPolicy::default();

    let mut expired = facts(Some(matching_face(PadLevel::Level2)));
    expired.document_expired = true;
    assert_eq!(
        policy.evaluate(&expired),
        Err(ProofingRefusal::DocumentExpired)
    );

    let mut clone = facts(Some(matching_face(PadLevel::Level2)));
    clone.clone_check = CloneCheck::Failed;
    assert_eq!(
        policy.evaluate(&clone),
        Err(ProofingRefusal::CloneCheckFailed)
    );

    let mismatch = FaceComparison::new(0.4, 0.9, "test", PadLevel::Level2).unwrap();
    let refusal = policy.evaluate(&facts(Some(mismatch))).unwrap_err();
    assert_eq!(refusal, ProofingRefusal::FaceMismatch);
    assert_eq!(refusal.reason(), "face_mismatch");

    for chip in [ChipCheck::NotRead, ChipCheck::SignatureOnly] {
        let mut unchained = facts(Some(matching_face(PadLevel::Level2)));
        unchained.chip = chip;
        assert_eq!(policy.evaluate(&unchained), Err(ProofingRefusal::NoRuleMet));
    }
}

#[test]
fn policies_are_data_and_are_validated() {
    let json = serde_json::json!({
        "trust_framework": "se_digg",
        "rules": [{
            "name": "supervised-chip",
            "chip": "signature_only",
            "clone_check": false,
            "face": { "min_pad_remote": "level2" },
            "resident_level": "http://id.elegnamnden.se/loa/1.0/loa2",
            "non_resident_level": "http://id.swedenconnect.se/loa/1.0/loa2-nonresident",
            "ida_assurance_level": "low"
        }]
    });
    let policy: ProofingPolicy = serde_json::from_value(json).unwrap();
    assert_eq!(policy.rules().len(), 1);
    let mut weak = facts(Some(matching_face(PadLevel::Level2)));
    weak.chip = ChipCheck::SignatureOnly;
    let decision = policy.evaluate(&weak).unwrap();
    assert_eq!(decision.trust_framework, "se_digg");
    assert_eq!(decision.level, LevelOfAssurance::Loa2NonResident);

    // A non-resident level that allows a personnummer is refused at load.
    let mut bad = ProofingPolicy::default().rules().to_vec();
    if let Some(rule) = bad.get_mut(1) {
        rule.non_resident_level = LevelOfAssurance::Loa2;
    }
    assert!(matches!(
        ProofingPolicy::new("eidas", bad),
        Err(BindingError::InvalidPolicy { rule: Some(1) })
    ));
    assert!(matches!(
        ProofingPolicy::new("eidas", Vec::new()),
        Err(BindingError::InvalidPolicy { rule: None })
    ));
    // Unknown members are refused too.
    let typo = serde_json::json!({ "trust_framework": "eidas", "rules": [], "rulez": [] });
    assert!(serde_json::from_value::<ProofingPolicy>(typo).is_err());
}

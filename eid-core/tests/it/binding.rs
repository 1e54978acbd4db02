//! The binding of a credential to a verified chip and face, end to end on the synthetic chip
//! of `tests/data/emrtd/synthetic/` (see its README): passive and active authentication, the
//! face comparison, the proofing policy, and the signed binding.

use eid_core::assurance::LevelOfAssurance;
use eid_core::binding::{
    ActiveAuthExchange, BindingError, BoundCredential, ChipCheck, ChipData, CloneCheck,
    CredentialBinding, DocumentEvidence, FaceMatcher, PadLevel, Presence, ProofingPolicy,
    ProofingRefusal, TestFaceMatcher,
};
use eid_core::clock::UnixTime;
use eid_core::emrtd::digest::DigestAlgorithm;
use eid_core::emrtd::passive::PassiveAuthenticator;
use eid_core::emrtd::trust::CscaStore;
use eid_core::jose::{Jwks, JwsAlgorithm, SigningKey};
use time::macros::date;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/emrtd/synthetic/");
/// 2026-11-22T00:00:00Z.
const NOW: UnixTime = UnixTime::from_secs(1_795_305_600);
const ISSUER: &str = "https://idp.example.se";

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}{name}")).unwrap()
}

struct Chip {
    sod: Vec<u8>,
    dg1: Vec<u8>,
    dg2: Vec<u8>,
    dg15: Vec<u8>,
    challenge: [u8; 8],
    response: Vec<u8>,
}

impl Chip {
    fn read() -> Self {
        Self {
            sod: read("EF_SOD.bin"),
            dg1: read("EF_DG1.bin"),
            dg2: read("EF_DG2.bin"),
            dg15: read("EF_DG15.bin"),
            challenge: read("AA_challenge.bin").try_into().unwrap(),
            response: read("AA_response.bin"),
        }
    }

    fn data(&self) -> ChipData<'_> {
        ChipData {
            sod: &self.sod,
            dg1: &self.dg1,
            dg2: Some(&self.dg2),
            dg15: Some(&self.dg15),
            active_authentication: Some(ActiveAuthExchange {
                challenge: self.challenge,
                response: &self.response,
                ecdsa_digest: Some(DigestAlgorithm::Sha256),
            }),
        }
    }
}

fn authenticator() -> PassiveAuthenticator {
    let mut store = CscaStore::new();
    store.add_certificate_der(&read("CSCA.cer")).unwrap();
    PassiveAuthenticator::new(store)
}

#[test]
fn verified_chip_becomes_evidence() {
    let chip = Chip::read();
    let evidence = DocumentEvidence::from_chip(&authenticator(), &chip.data(), NOW).unwrap();
    assert_eq!(evidence.chip(), ChipCheck::Chained);
    assert_eq!(evidence.clone_check(), CloneCheck::Passed);
    assert_eq!(evidence.issuing_state(), "UTO");
    assert_eq!(evidence.document_code(), "P");
    assert_eq!(evidence.document_number(), "X4K9P2T71");
    assert_eq!(evidence.family_name(), "TESTSSON");
    assert_eq!(evidence.given_name(), "AMINA SOFIA");
    assert_eq!(evidence.date_of_birth(), Some(date!(1990 - 03 - 15)));
    assert_eq!(evidence.date_of_expiry(), Some(date!(2034 - 01 - 01)));
    assert_eq!(evidence.portrait().unwrap().bytes(), read("portrait.jpg"));
    assert_eq!(
        evidence.passive_authentication().proven_data_groups(),
        &[1, 2, 15]
    );
    // Debug shows no personal data.
    let debug = format!("{evidence:?}");
    assert!(
        !debug.contains("TESTSSON") && !debug.contains("X4K9P2T71"),
        "{debug}"
    );
}

#[test]
fn face_policy_and_binding_end_to_end() {
    let chip = Chip::read();
    let evidence = DocumentEvidence::from_chip(&authenticator(), &chip.data(), NOW).unwrap();
    let matcher = TestFaceMatcher::new(0.9, PadLevel::Level1);
    let face = matcher
        .compare(evidence.portrait().unwrap().bytes(), &read("portrait.jpg"))
        .unwrap();
    let policy = ProofingPolicy::default();
    let decision = policy
        .evaluate(&evidence.facts(Some(face), Presence::Remote, false))
        .unwrap();
    assert_eq!(decision.level, LevelOfAssurance::Loa3NonResident);

    let key = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let holder_key = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let (binding, jws) = CredentialBinding::issue(
        ISSUER,
        "person-7f3a",
        BoundCredential::PublicKey(holder_key.public_jwk()),
        &evidence,
        &decision,
        NOW,
        &key,
    )
    .unwrap();
    assert!(binding.rests_on(&evidence));

    // The provider re-verifies the binding when the credential is used.
    let jwks = Jwks::new(vec![key.public_jwk()]).unwrap();
    let verified = CredentialBinding::verify(&jws, &jwks, ISSUER, &[JwsAlgorithm::Es256]).unwrap();
    assert_eq!(verified, binding);
    assert_eq!(verified.level(), LevelOfAssurance::Loa3NonResident);
    assert_eq!(verified.subject(), "person-7f3a");
    assert_eq!(verified.issued_at(), NOW);
    assert_eq!(verified.proofing_rule(), "chip-clone-checked-face");
    assert!(
        matches!(verified.credential(), BoundCredential::PublicKey(jwk) if jwk.thumbprint() == holder_key.kid())
    );

    // verified_claims per OpenID Connect for Identity Assurance.
    let claims = verified.verified_claims();
    assert_eq!(claims["verification"]["trust_framework"], "eidas");
    assert_eq!(claims["verification"]["assurance_level"], "substantial");
    let document = &claims["verification"]["evidence"][0];
    assert_eq!(document["type"], "document");
    assert_eq!(document["document_details"]["type"], "passport");
    assert_eq!(
        document["document_details"]["issuer"]["country_code"],
        "UTO"
    );
    let methods: Vec<_> = document["check_details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|check| check["check_method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["vcrypt", "vcrypt", "bvr"]);
    assert_eq!(claims["claims"]["family_name"], "TESTSSON");
    assert_eq!(claims["claims"]["birthdate"], "1990-03-15");
}

#[test]
fn bindings_that_must_not_verify() {
    let chip = Chip::read();
    let evidence = DocumentEvidence::from_chip(&authenticator(), &chip.data(), NOW).unwrap();
    let decision = ProofingPolicy::default()
        .evaluate(&evidence.facts(None, Presence::Remote, false))
        .unwrap();
    let key = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let passkey = BoundCredential::Passkey {
        credential_id: "AQIDBAUGBwgJCgsMDQ4PEA".to_owned(),
    };
    let (_, jws) =
        CredentialBinding::issue(ISSUER, "p", passkey, &evidence, &decision, NOW, &key).unwrap();
    let jwks = Jwks::new(vec![key.public_jwk()]).unwrap();
    let es256 = [JwsAlgorithm::Es256];

    let verified = CredentialBinding::verify(&jws, &jwks, ISSUER, &es256).unwrap();
    assert_eq!(verified.level(), LevelOfAssurance::Loa2NonResident);

    let mut tampered = jws.clone();
    tampered.replace_range(jws.len() - 5..jws.len() - 4, "A");
    let tampered = if tampered == jws {
        jws.replacen('A', "B", 1)
    } else {
        tampered
    };
    let error = CredentialBinding::verify(&tampered, &jwks, ISSUER, &es256).unwrap_err();
    assert!(
        matches!(error.reason(), "signature_invalid" | "malformed"),
        "{error}"
    );

    let error =
        CredentialBinding::verify(&jws, &jwks, "https://other.example", &es256).unwrap_err();
    assert!(matches!(error, BindingError::IssuerMismatch));

    let error = CredentialBinding::verify(&jws, &jwks, ISSUER, &[JwsAlgorithm::Rs256]).unwrap_err();
    assert!(matches!(error, BindingError::AlgorithmNotAllowed));

    let other = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let other_jwks = Jwks::new(vec![other.public_jwk()]).unwrap();
    let error = CredentialBinding::verify(&jws, &other_jwks, ISSUER, &es256).unwrap_err();
    assert!(matches!(error, BindingError::UnknownKey));

    // An ordinary JWT of the same key is not a binding.
    let id_token = key
        .sign_jwt(&serde_json::json!({ "iss": ISSUER, "sub": "p" }))
        .unwrap();
    let error = CredentialBinding::verify(&id_token, &jwks, ISSUER, &es256).unwrap_err();
    assert!(matches!(error, BindingError::WrongType));

    let error = CredentialBinding::verify(&"a.".repeat(10_000), &jwks, ISSUER, &es256).unwrap_err();
    assert!(matches!(error, BindingError::TooLarge));

    // A passkey id that is not base64url is refused at issue.
    let bad = BoundCredential::Passkey {
        credential_id: "not base64!".to_owned(),
    };
    let error =
        CredentialBinding::issue(ISSUER, "p", bad, &evidence, &decision, NOW, &key).unwrap_err();
    assert!(matches!(error, BindingError::InvalidCredential));
}

#[test]
fn a_clone_is_refused() {
    let mut chip = Chip::read();
    if let Some(byte) = chip.response.get_mut(10) {
        *byte ^= 0x01;
    }
    let evidence = DocumentEvidence::from_chip(&authenticator(), &chip.data(), NOW).unwrap();
    assert_eq!(evidence.clone_check(), CloneCheck::Failed);
    let matcher = TestFaceMatcher::new(0.9, PadLevel::Level2);
    let face = matcher
        .compare(&read("portrait.jpg"), &read("portrait.jpg"))
        .unwrap();
    let refusal = ProofingPolicy::default()
        .evaluate(&evidence.facts(Some(face), Presence::Remote, false))
        .unwrap_err();
    assert_eq!(refusal, ProofingRefusal::CloneCheckFailed);
}

#[test]
fn another_face_is_refused() {
    let chip = Chip::read();
    let evidence = DocumentEvidence::from_chip(&authenticator(), &chip.data(), NOW).unwrap();
    let matcher = TestFaceMatcher::new(0.9, PadLevel::Level2);
    let stranger = matcher
        .compare(evidence.portrait().unwrap().bytes(), &read("CSCA.cer"))
        .unwrap();
    assert!(!stranger.is_match());
    let refusal = ProofingPolicy::default()
        .evaluate(&evidence.facts(Some(stranger), Presence::Remote, false))
        .unwrap_err();
    assert_eq!(refusal, ProofingRefusal::FaceMismatch);
}

#[test]
fn unverifiable_chips_are_not_evidence() {
    let chip = Chip::read();

    // A changed DG1 (another name) no longer matches its signed hash.
    let mut forged = chip.dg1.clone();
    if let Some(byte) = forged.iter_mut().rev().nth(60) {
        *byte = if *byte == b'A' { b'B' } else { b'A' };
    }
    let data = ChipData {
        dg1: &forged,
        ..chip.data()
    };
    let error = DocumentEvidence::from_chip(&authenticator(), &data, NOW).unwrap_err();
    assert_eq!(error.reason(), "dg_hash_mismatch", "{error}");

    // Without the CSCA, the chain cannot be built.
    let untrusting = PassiveAuthenticator::new(CscaStore::new());
    let error = DocumentEvidence::from_chip(&untrusting, &chip.data(), NOW).unwrap_err();
    assert!(
        matches!(error, BindingError::PassiveAuthentication(_)),
        "{error}"
    );

    // After the DS certificate expired (2036), under the shell model.
    let later = UnixTime::from_secs(2_100_000_000);
    let error = DocumentEvidence::from_chip(&authenticator(), &chip.data(), later).unwrap_err();
    assert!(
        matches!(error, BindingError::PassiveAuthentication(_)),
        "{error}"
    );

    // A truncated SOD.
    let data = ChipData {
        sod: &chip.sod[..chip.sod.len() / 2],
        ..chip.data()
    };
    let error = DocumentEvidence::from_chip(&authenticator(), &data, NOW).unwrap_err();
    assert!(matches!(error, BindingError::Sod(_)), "{error}");
}

#[test]
fn no_active_authentication_means_no_substantial() {
    let chip = Chip::read();
    let data = ChipData {
        active_authentication: None,
        ..chip.data()
    };
    let evidence = DocumentEvidence::from_chip(&authenticator(), &data, NOW).unwrap();
    assert_eq!(evidence.clone_check(), CloneCheck::NotDone);
    let matcher = TestFaceMatcher::new(0.9, PadLevel::Level2);
    let face = matcher
        .compare(&read("portrait.jpg"), &read("portrait.jpg"))
        .unwrap();
    let decision = ProofingPolicy::default()
        .evaluate(&evidence.facts(Some(face), Presence::Remote, true))
        .unwrap();
    assert_eq!(decision.level, LevelOfAssurance::Loa2);
}

//! The built-in newcomer: no Swedish number, identity from a synthetic passport chip verified
//! through eid-core when the persons are loaded (`data/passport/PROVENANCE.md`).

use eid_core::assurance::LevelOfAssurance;
use eid_core::binding::{
    ActiveAuthExchange, ChipData, DocumentEvidence, FaceMatcher as _, PadLevel, Presence,
    ProofingPolicy, TestFaceMatcher,
};
use eid_core::claims::{Birthdate, Identity};
use eid_core::clock::UnixTime;
use eid_core::emrtd::digest::DigestAlgorithm;
use eid_core::emrtd::passive::PassiveAuthenticator;
use eid_core::emrtd::trust::CscaStore;

use super::{Person, PersonError};

/// The id of the newcomer.
pub(crate) const NEWCOMER_ID: &str = "amina";

const CSCA: &[u8] = include_bytes!("../../data/passport/CSCA.cer");
const SOD: &[u8] = include_bytes!("../../data/passport/EF_SOD.bin");
const DG1: &[u8] = include_bytes!("../../data/passport/EF_DG1.bin");
const DG2: &[u8] = include_bytes!("../../data/passport/EF_DG2.bin");
const DG15: &[u8] = include_bytes!("../../data/passport/EF_DG15.bin");
const AA_CHALLENGE: &[u8; 8] = include_bytes!("../../data/passport/AA_challenge.bin");
const AA_RESPONSE: &[u8] = include_bytes!("../../data/passport/AA_response.bin");

/// Verifies the chip at `now` (passive and active authentication), compares the portrait with
/// itself through the deterministic [`TestFaceMatcher`] (the mock has no camera: it stands for
/// a matching selfie), lets the default [`ProofingPolicy`] decide the level, and makes the
/// person: names and birth date from the chip, `verified_claims` with the document evidence,
/// and the policy's level (`loa3-nonresident`).
pub(super) fn newcomer(now: UnixTime) -> Result<Person, PersonError> {
    let mut store = CscaStore::new();
    store
        .add_certificate_der(CSCA)
        .map_err(PersonError::PassportTrust)?;
    let authenticator = PassiveAuthenticator::new(store);
    let chip = ChipData {
        sod: SOD,
        dg1: DG1,
        dg2: Some(DG2),
        dg15: Some(DG15),
        active_authentication: Some(ActiveAuthExchange {
            challenge: *AA_CHALLENGE,
            response: AA_RESPONSE,
            ecdsa_digest: Some(DigestAlgorithm::Sha256),
        }),
    };
    let evidence =
        DocumentEvidence::from_chip(&authenticator, &chip, now).map_err(PersonError::Passport)?;
    let portrait = evidence
        .portrait()
        .map(|face| face.bytes().to_vec())
        .unwrap_or_default();
    let face = TestFaceMatcher::new(0.9, PadLevel::Level1)
        .compare(&portrait, &portrait)
        .map_err(PersonError::Passport)?;
    let decision = ProofingPolicy::default()
        .evaluate(&evidence.facts(Some(face), Presence::Remote, false))
        .map_err(PersonError::Proofing)?;
    let given = title_case(evidence.given_name());
    let family = title_case(evidence.family_name());
    let mut identity = Identity::default()
        .with_name(format!("{given} {family}"))
        .with_given_name(given.clone())
        .with_family_name(family.clone())
        .with_verified_claims(evidence.to_verified_claims(&decision));
    if let Some(birth) = evidence.date_of_birth() {
        identity = identity.with_birthdate(Birthdate::Date(birth));
    }
    identity
        .check_level(decision.level)
        .map_err(|source| PersonError::Level { index: 0, source })?;
    let level: LevelOfAssurance = decision.level;
    Ok(Person::new(NEWCOMER_ID, &format!("{given} {family}"), identity)?.with_acr(level))
}

/// `AMINA SOFIA` → `Amina Sofia`.
fn title_case(mrz_name: &str) -> String {
    mrz_name
        .split(' ')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

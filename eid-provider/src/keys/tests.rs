use eid_core::jose::{Jwk, JwsAlgorithm, MAX_JWKS_KEYS, SigningKey};

use super::{EPHEMERAL_ALGORITHMS, KeyError, KeyRing};

fn es256() -> SigningKey {
    SigningKey::generate(JwsAlgorithm::Es256).unwrap()
}

fn published_kids(ring: &KeyRing) -> Vec<String> {
    ring.jwks()
        .keys()
        .iter()
        .map(|key| key.kid().unwrap().to_owned())
        .collect()
}

#[test]
fn new_publishes_the_current_keys() {
    let key = es256();
    let kid = key.kid().to_owned();
    let ring = KeyRing::new(vec![key]).unwrap();
    assert!(!ring.is_ephemeral());
    assert_eq!(ring.algorithms(), vec![JwsAlgorithm::Es256]);
    assert_eq!(ring.signer(JwsAlgorithm::Es256).unwrap().kid(), kid);
    assert!(ring.signer(JwsAlgorithm::Rs256).is_none());
    assert_eq!(published_kids(&ring), vec![kid]);
}

#[test]
fn empty_ring_is_refused() {
    let err = KeyRing::new(Vec::new()).unwrap_err();
    assert!(matches!(err, KeyError::NoCurrentKey));
    assert_eq!(err.reason(), "no_current_key");
}

#[test]
fn two_keys_of_one_algorithm_are_refused() {
    let err = KeyRing::new(vec![es256(), es256()]).unwrap_err();
    assert!(matches!(
        err,
        KeyError::DuplicateAlgorithm {
            algorithm: JwsAlgorithm::Es256
        }
    ));
    let ring = KeyRing::new(vec![es256()]).unwrap();
    let err = ring.with_next(vec![es256(), es256()]).unwrap_err();
    assert_eq!(err.reason(), "duplicate_algorithm");
}

#[test]
fn one_key_twice_in_the_ring_is_refused() {
    let der = SigningKey::generate_pkcs8_der(JwsAlgorithm::Es256).unwrap();
    let first = SigningKey::from_pkcs8_der(&der, JwsAlgorithm::Es256).unwrap();
    let again = SigningKey::from_pkcs8_der(&der, JwsAlgorithm::Es256).unwrap();
    let previous: Jwk = first.public_jwk();
    let ring = KeyRing::new(vec![first]).unwrap();
    let err = ring.with_next(vec![again]).unwrap_err();
    assert!(matches!(err, KeyError::DuplicateKeyId { .. }));

    let ring = KeyRing::new(vec![es256()]).unwrap();
    let err = ring
        .with_previous(vec![previous.clone(), previous])
        .unwrap_err();
    assert_eq!(err.reason(), "duplicate_key_id");
}

#[test]
fn too_many_keys_are_refused() {
    let previous = (0..MAX_JWKS_KEYS).map(|_| es256().public_jwk()).collect();
    let err = KeyRing::new(vec![es256()])
        .unwrap()
        .with_previous(previous)
        .unwrap_err();
    assert!(matches!(
        err,
        KeyError::TooManyKeys {
            count: 33,
            max: MAX_JWKS_KEYS
        }
    ));
}

#[test]
fn jwks_publishes_next_current_previous() {
    let (current, next, previous) = (es256(), es256(), es256());
    let kids = [current.kid(), next.kid(), previous.kid()].map(str::to_owned);
    let ring = KeyRing::new(vec![current])
        .unwrap()
        .with_next(vec![next])
        .unwrap()
        .with_previous(vec![previous.public_jwk()])
        .unwrap();
    let [current, next, previous] = kids;
    assert_eq!(published_kids(&ring), vec![next, current.clone(), previous]);
    assert_eq!(ring.signer(JwsAlgorithm::Es256).unwrap().kid(), current);
}

#[test]
fn rotate_moves_next_to_current_and_current_to_previous() {
    let (gen0, gen1, gen2, gen3) = (es256(), es256(), es256(), es256());
    let [k0, k1, k2, k3] = [&gen0, &gen1, &gen2, &gen3].map(|k| k.kid().to_owned());
    let mut ring = KeyRing::new(vec![gen0])
        .unwrap()
        .with_next(vec![gen1])
        .unwrap();

    ring.rotate(vec![gen2]).unwrap();
    assert_eq!(ring.signer(JwsAlgorithm::Es256).unwrap().kid(), k1);
    assert_eq!(
        published_kids(&ring),
        vec![k2.clone(), k1.clone(), k0.clone()]
    );

    ring.rotate(vec![gen3]).unwrap();
    assert_eq!(ring.signer(JwsAlgorithm::Es256).unwrap().kid(), k2);
    assert_eq!(published_kids(&ring), vec![k3.clone(), k2.clone(), k1]);
    assert!(ring.jwks().find(&k0).is_none(), "gen0 dropped");

    ring.retire_previous();
    assert_eq!(published_kids(&ring), vec![k3, k2]);
}

#[test]
fn rotate_without_next_keys_fails_and_changes_nothing() {
    let current = es256();
    let kid = current.kid().to_owned();
    let mut ring = KeyRing::new(vec![current]).unwrap();
    let err = ring.rotate(vec![es256()]).unwrap_err();
    assert!(matches!(err, KeyError::NoNextKey));
    assert_eq!(ring.signer(JwsAlgorithm::Es256).unwrap().kid(), kid);
    assert_eq!(published_kids(&ring), vec![kid]);
}

#[test]
fn failed_rotation_leaves_the_ring_unchanged() {
    let mut ring = KeyRing::new(vec![es256()])
        .unwrap()
        .with_next(vec![es256()])
        .unwrap();
    let before = published_kids(&ring);
    let err = ring.rotate(vec![es256(), es256()]).unwrap_err();
    assert!(matches!(err, KeyError::DuplicateAlgorithm { .. }));
    assert_eq!(published_kids(&ring), before);
}

#[test]
fn ephemeral_ring_says_so() {
    let ring = KeyRing::ephemeral().unwrap();
    assert!(ring.is_ephemeral());
    assert_eq!(ring.algorithms(), EPHEMERAL_ALGORITHMS.to_vec());
    assert_eq!(ring.jwks().keys().len(), EPHEMERAL_ALGORITHMS.len());
    let debug = format!("{ring:?}");
    assert!(debug.contains("ephemeral: true"), "{debug}");
    // Stays ephemeral when next keys are added.
    let ring = ring.with_next(vec![es256()]).unwrap();
    assert!(ring.is_ephemeral());
}

#[test]
fn debug_shows_no_key_material() {
    let ring = KeyRing::new(vec![es256()]).unwrap();
    let debug = format!("{ring:?}");
    assert!(debug.contains("ephemeral: false"));
    assert!(!debug.contains("\"d\""));
}

#[test]
fn reasons_are_distinct() {
    let reasons = [
        KeyError::DuplicateAlgorithm {
            algorithm: JwsAlgorithm::Es256,
        }
        .reason(),
        KeyError::DuplicateKeyId { kid: "k".into() }.reason(),
        KeyError::NoCurrentKey.reason(),
        KeyError::NoNextKey.reason(),
        KeyError::TooManyKeys { count: 1, max: 0 }.reason(),
    ];
    let unique: std::collections::HashSet<_> = reasons.iter().collect();
    assert_eq!(unique.len(), reasons.len());
}

#[test]
fn rotation_never_drops_an_algorithm() {
    let rsa = SigningKey::from_pkcs8_pem(
        include_bytes!("../../../eid-core/tests/data/jose/rsa-2048.pem"),
        JwsAlgorithm::Rs256,
    )
    .unwrap();
    let mut ring = KeyRing::new(vec![es256(), rsa])
        .unwrap()
        .with_next(vec![es256()])
        .unwrap();
    let before = published_kids(&ring);
    let err = ring.rotate(vec![es256()]).unwrap_err();
    assert!(matches!(
        err,
        KeyError::NoSuccessor {
            algorithm: JwsAlgorithm::Rs256
        }
    ));
    assert_eq!(err.reason(), "no_successor");
    assert_eq!(published_kids(&ring), before);
}

#[test]
fn rotation_may_add_an_algorithm() {
    let mut ring = KeyRing::new(vec![es256()])
        .unwrap()
        .with_next(vec![
            es256(),
            SigningKey::generate(JwsAlgorithm::EdDsa).unwrap(),
        ])
        .unwrap();
    ring.rotate(Vec::new()).unwrap();
    assert_eq!(
        ring.algorithms(),
        vec![JwsAlgorithm::Es256, JwsAlgorithm::EdDsa]
    );
}

#[test]
fn published_jwks_is_public_and_round_trips() {
    let ring = KeyRing::ephemeral()
        .unwrap()
        .with_next(vec![es256()])
        .unwrap();
    let json = serde_json::to_value(ring.jwks()).unwrap();
    let keys = json["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 4);
    for key in keys {
        assert_eq!(key["use"], "sig");
        assert!(key["kid"].is_string());
        assert!(key["alg"].is_string());
        assert!(key.get("d").is_none());
    }
    let bytes = serde_json::to_vec(ring.jwks()).unwrap();
    assert_eq!(
        &eid_core::jose::Jwks::from_json(&bytes).unwrap(),
        ring.jwks()
    );
}

use std::cmp::Ordering;

use proptest::prelude::*;

use super::level::Strength;
use super::*;

use LevelOfAssurance as L;

/// Every level URI of standards.md §3, literally (plus the NIST values we define).
const STANDARDS_URIS: &[&str] = &[
    "http://id.elegnamnden.se/loa/1.0/loa1",
    "http://id.elegnamnden.se/loa/1.0/loa2",
    "http://id.elegnamnden.se/loa/1.0/loa3",
    "http://id.elegnamnden.se/loa/1.0/loa4",
    "http://id.elegnamnden.se/loa/1.0/eidas-low",
    "http://id.elegnamnden.se/loa/1.0/eidas-sub",
    "http://id.elegnamnden.se/loa/1.0/eidas-high",
    "http://id.elegnamnden.se/loa/1.0/eidas-nf-low",
    "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub",
    "http://id.elegnamnden.se/loa/1.0/eidas-nf-high",
    "http://id.swedenconnect.se/loa/1.0/loa2-nonresident",
    "http://id.swedenconnect.se/loa/1.0/loa3-nonresident",
    "http://id.swedenconnect.se/loa/1.0/loa4-nonresident",
    "http://id.swedenconnect.se/loa/1.0/uncertified-loa2",
    "http://id.swedenconnect.se/loa/1.0/uncertified-loa3",
    "http://id.swedenconnect.se/loa/1.0/uncertified-eidas-low",
    "http://id.swedenconnect.se/loa/1.0/uncertified-eidas-sub",
    "http://id.swedenconnect.se/loa/1.0/uncertified-eidas-high",
    "http://eidas.europa.eu/LoA/low",
    "http://eidas.europa.eu/LoA/substantial",
    "http://eidas.europa.eu/LoA/high",
    "http://eidas.europa.eu/NotNotified/LoA/low",
    "http://eidas.europa.eu/NotNotified/LoA/substantial",
    "http://eidas.europa.eu/NotNotified/LoA/high",
    "idporten-loa-low",
    "idporten-loa-substantial",
    "idporten-loa-high",
    "eidas-loa-substantial",
    "eidas-loa-high",
    "https://data.gov.dk/concept/core/nsis/loa/Low",
    "https://data.gov.dk/concept/core/nsis/loa/Substantial",
    "https://data.gov.dk/concept/core/nsis/loa/High",
    "http://ftn.ficora.fi/2017/loa2",
    "http://ftn.ficora.fi/2017/loa3",
    "http://ftn.ficora.fi/2017/loatest2",
    "http://ftn.ficora.fi/2017/loatest3",
    "http://idmanagement.gov/ns/assurance/ial/1",
    "http://idmanagement.gov/ns/assurance/ial/2",
    "http://idmanagement.gov/ns/assurance/ial/3",
    "http://idmanagement.gov/ns/assurance/aal/1",
    "http://idmanagement.gov/ns/assurance/aal/2",
    "http://idmanagement.gov/ns/assurance/aal/3",
    "http://idmanagement.gov/ns/assurance/fal/1",
    "http://idmanagement.gov/ns/assurance/fal/2",
    "http://idmanagement.gov/ns/assurance/fal/3",
];

fn exact(levels: &[L]) -> Requirement {
    Requirement::new(levels.to_vec(), Matching::Exact).unwrap()
}

fn minimum(levels: &[L]) -> Requirement {
    Requirement::new(levels.to_vec(), Matching::Minimum).unwrap()
}

fn any_level() -> impl Strategy<Value = L> {
    proptest::sample::select(L::all())
}

// --- URIs -------------------------------------------------------------------------------------

#[test]
fn every_level_round_trips_through_its_uri() {
    for level in L::all() {
        assert_eq!(level.as_uri().parse::<L>().unwrap(), *level);
        assert_eq!(level.to_string(), level.as_uri());
    }
}

#[test]
fn every_standards_uri_parses_and_formats_back() {
    for uri in STANDARDS_URIS {
        let level: L = uri.parse().unwrap_or_else(|e| panic!("{uri}: {e}"));
        assert_eq!(level.as_uri(), *uri);
    }
    // The list and the enum cover the same values, each once.
    assert_eq!(STANDARDS_URIS.len(), L::all().len());
    let mut seen = std::collections::HashSet::new();
    assert!(L::all().iter().all(|level| seen.insert(level.as_uri())));
}

#[test]
fn legacy_idporten_values_read_as_substantial_and_high() {
    assert_eq!("Level3".parse::<L>().unwrap(), L::IdportenSubstantial);
    assert_eq!("Level4".parse::<L>().unwrap(), L::IdportenHigh);
    let legacy = Requirement::from_acr_values("Level3", Matching::Minimum).unwrap();
    assert!(legacy.is_satisfied_by(L::IdportenHigh));
    assert_eq!(legacy.acr_values(), "idporten-loa-substantial");
}

#[test]
fn withdrawn_sigmessage_levels_are_refused() {
    for uri in [
        "http://id.swedenconnect.se/loa/1.0/uncertified-loa3-sigmessage",
        "http://id.elegnamnden.se/loa/1.0/eidas-nf-low-sigm",
    ] {
        let err = uri.parse::<L>().unwrap_err();
        assert!(matches!(&err, AssuranceError::DeprecatedAcr { value } if value == uri));
        assert_eq!(err.reason(), "deprecated_acr");
    }
}

#[test]
fn near_misses_are_unknown() {
    for input in [
        "",
        "loa3",
        "http://id.elegnamnden.se/loa/1.0/LOA3",
        "http://id.elegnamnden.se/loa/1.0/loa3 ",
        " http://id.elegnamnden.se/loa/1.0/loa3",
        "https://id.elegnamnden.se/loa/1.0/loa3",
        "http://id.elegnamnden.se/loa/1.0/loa5",
        "http://eidas.europa.eu/LoA/Substantial",
        "https://data.gov.dk/concept/core/nsis/Substantial",
        "level3",
    ] {
        let err = input.parse::<L>().unwrap_err();
        assert!(
            matches!(&err, AssuranceError::UnknownAcr { value, len } if value == input && *len == input.len()),
            "{input:?}: {err:?}"
        );
        assert_eq!(err.reason(), "unknown_acr");
    }
}

#[test]
fn unknown_acr_echo_is_bounded_and_cut_at_a_char_boundary() {
    let input = format!(
        "{}é{}",
        "a".repeat(UNKNOWN_ACR_ECHO_MAX - 1),
        "b".repeat(10_000)
    );
    let err = input.parse::<L>().unwrap_err();
    let AssuranceError::UnknownAcr { value, len } = err else {
        panic!("{err:?}");
    };
    assert_eq!(value, "a".repeat(UNKNOWN_ACR_ECHO_MAX - 1));
    assert_eq!(len, input.len());
}

#[test]
fn serde_uses_the_uri_string() {
    for level in L::all() {
        let json = serde_json::to_string(level).unwrap();
        assert_eq!(json, format!("\"{}\"", level.as_uri()));
        assert_eq!(serde_json::from_str::<L>(&json).unwrap(), *level);
    }
    assert!(serde_json::from_str::<L>("\"http://id.elegnamnden.se/loa/1.0/loa5\"").is_err());
    assert!(serde_json::from_str::<L>("3").is_err());
}

// --- Properties of levels ---------------------------------------------------------------------

#[test]
fn frameworks_identity_types_and_dimensions() {
    assert_eq!(L::Loa3.framework(), Framework::Sweden);
    assert_eq!(
        L::SwedenEidasNotifiedSubstantial.framework(),
        Framework::Sweden
    );
    assert_eq!(
        L::SwedenEidasSubstantial.identity_type(),
        IdentityType::Foreign
    );
    assert_eq!(
        L::Loa3NonResident.identity_type(),
        IdentityType::NonResident
    );
    assert_eq!(L::EidasNotNotifiedHigh.framework(), Framework::Eidas);
    assert_eq!(
        L::EidasNotNotifiedHigh.certification(),
        Certification::NotNotified
    );
    assert_eq!(
        L::UncertifiedEidasHigh.certification(),
        Certification::Uncertified
    );
    assert_eq!(L::IdportenEidasHigh.framework(), Framework::Norway);
    assert_eq!(L::IdportenEidasHigh.identity_type(), IdentityType::Foreign);
    assert_eq!(L::NsisHigh.framework(), Framework::Denmark);
    assert_eq!(L::FtnLoa3.framework(), Framework::Finland);
    assert!(L::FtnTestLoa3.is_test() && !L::FtnLoa3.is_test());
    assert_eq!(L::NistIal2.dimension(), Dimension::IdentityProofing);
    assert_eq!(L::NistAal2.dimension(), Dimension::Authenticator);
    assert_eq!(L::NistFal2.dimension(), Dimension::Federation);
    assert_eq!(L::Loa4.dimension(), Dimension::Authentication);
}

#[test]
fn only_nonresident_levels_forbid_a_personnummer() {
    let forbidding: Vec<L> = L::all()
        .iter()
        .copied()
        .filter(|level| !level.permits_personal_identity_number())
        .collect();
    assert_eq!(
        forbidding,
        [L::Loa2NonResident, L::Loa3NonResident, L::Loa4NonResident]
    );
}

// --- Order ------------------------------------------------------------------------------------

#[test]
fn order_is_a_partial_order_over_all_levels() {
    let all = L::all();
    for a in all {
        assert_eq!(a.partial_cmp(a), Some(Ordering::Equal), "reflexive: {a}");
        for b in all {
            // Equal exactly when identical (consistent with PartialEq), antisymmetric, and
            // the reverse comparison mirrors.
            assert_eq!(a.partial_cmp(b) == Some(Ordering::Equal), a == b, "{a} {b}");
            if a <= b && b <= a {
                assert_eq!(a, b, "antisymmetric");
            }
            assert_eq!(a.partial_cmp(b), b.partial_cmp(a).map(Ordering::reverse));
            for c in all {
                if a <= b && b <= c {
                    assert!(a <= c, "transitive: {a} <= {b} <= {c}");
                }
            }
        }
    }
}

#[test]
fn order_never_crosses_framework_identity_type_dimension_or_environment() {
    for a in L::all() {
        for b in L::all() {
            if a.framework() != b.framework()
                || a.identity_type() != b.identity_type()
                || a.dimension() != b.dimension()
                || a.is_test() != b.is_test()
            {
                assert_eq!(a.partial_cmp(b), None, "{a} vs {b}");
            }
        }
    }
}

#[test]
fn swedish_order() {
    assert!(L::Loa1 < L::Loa2 && L::Loa2 < L::Loa3 && L::Loa3 < L::Loa4);
    assert!(L::UncertifiedLoa2 < L::UncertifiedLoa3 && L::UncertifiedLoa3 < L::Loa3);
    assert!(L::UncertifiedLoa3 < L::Loa4);
    assert_eq!(L::UncertifiedLoa3.partial_cmp(&L::Loa2), None);
    assert_eq!(L::Loa3NonResident.partial_cmp(&L::Loa3), None);
    assert!(L::Loa2NonResident < L::Loa4NonResident);
    // The connector's "notified or not" sits between the proxies' and "notified".
    assert!(L::UncertifiedEidasSubstantial < L::SwedenEidasSubstantial);
    assert!(L::SwedenEidasSubstantial < L::SwedenEidasNotifiedSubstantial);
    assert_eq!(
        L::SwedenEidasHigh.partial_cmp(&L::SwedenEidasNotifiedSubstantial),
        None
    );
    // No Swedish <-> eIDAS translation.
    assert_eq!(
        L::SwedenEidasNotifiedSubstantial.partial_cmp(&L::Loa3),
        None
    );
    assert_eq!(
        L::SwedenEidasNotifiedSubstantial.partial_cmp(&L::EidasSubstantial),
        None
    );
}

#[test]
fn eidas_notified_is_above_not_notified() {
    assert!(L::EidasNotNotifiedSubstantial < L::EidasSubstantial);
    assert!(L::EidasNotNotifiedLow < L::EidasNotNotifiedHigh);
    assert_eq!(
        L::EidasNotNotifiedHigh.partial_cmp(&L::EidasSubstantial),
        None
    );
}

// --- Requirements -----------------------------------------------------------------------------

#[test]
fn exact_means_one_of_the_requested_levels() {
    let loa3 = exact(&[L::Loa3]);
    assert!(loa3.is_satisfied_by(L::Loa3));
    assert!(!loa3.is_satisfied_by(L::Loa4), "exact: loa4 is not loa3");
    assert!(!loa3.is_satisfied_by(L::UncertifiedLoa3));
    assert!(!loa3.is_satisfied_by(L::Loa3NonResident));
    let both = exact(&[L::Loa3, L::Loa4]);
    assert!(both.is_satisfied_by(L::Loa4));
    assert!(!both.is_satisfied_by(L::Loa2));
}

#[test]
fn minimum_means_at_least_one_requested_level_on_its_scale() {
    let substantial = minimum(&[L::IdportenSubstantial]);
    assert!(substantial.is_satisfied_by(L::IdportenSubstantial));
    assert!(substantial.is_satisfied_by(L::IdportenHigh));
    assert!(!substantial.is_satisfied_by(L::IdportenLow));
    assert!(
        !substantial.is_satisfied_by(L::IdportenEidasHigh),
        "other identity type"
    );
    assert!(!substantial.is_satisfied_by(L::Loa4), "other framework");
    let norway = minimum(&[L::IdportenHigh, L::IdportenEidasHigh]);
    assert!(norway.is_satisfied_by(L::IdportenEidasHigh));
    let ial2 = minimum(&[L::NistIal2]);
    assert!(ial2.is_satisfied_by(L::NistIal3));
    assert!(!ial2.is_satisfied_by(L::NistAal3), "other dimension");
}

#[test]
fn uncertified_nonresident_and_test_levels_never_satisfy_the_others() {
    for requested in L::all() {
        for asserted in L::all() {
            for requirement in [exact(&[*requested]), minimum(&[*requested])] {
                if !requirement.is_satisfied_by(*asserted) {
                    continue;
                }
                assert!(asserted.certification() >= requested.certification());
                assert_eq!(asserted.identity_type(), requested.identity_type());
                assert_eq!(asserted.is_test(), requested.is_test());
                assert_eq!(asserted.framework(), requested.framework());
            }
        }
    }
}

#[test]
fn empty_requirements_are_refused() {
    assert!(matches!(
        Requirement::new(Vec::new(), Matching::Exact),
        Err(AssuranceError::EmptyRequirement)
    ));
    for input in ["", "   "] {
        let err = Requirement::from_acr_values(input, Matching::Minimum).unwrap_err();
        assert!(matches!(err, AssuranceError::EmptyRequirement));
        assert_eq!(err.reason(), "empty_requirement");
    }
}

#[test]
fn acr_values_length_is_bounded() {
    let uri = L::Loa3.as_uri();
    let at_limit = format!("{uri}{}", " ".repeat(MAX_ACR_VALUES_LEN - uri.len()));
    assert!(Requirement::from_acr_values(&at_limit, Matching::Exact).is_ok());
    let over = format!("{at_limit} ");
    let err = Requirement::from_acr_values(&over, Matching::Exact).unwrap_err();
    assert!(matches!(
        err,
        AssuranceError::TooLong { len, max: MAX_ACR_VALUES_LEN } if len == MAX_ACR_VALUES_LEN + 1
    ));
    assert_eq!(err.reason(), "too_long");
}

#[test]
fn number_of_levels_is_bounded() {
    let values = |n: usize| vec!["idporten-loa-low"; n].join(" ");
    assert!(Requirement::from_acr_values(&values(MAX_LEVELS), Matching::Exact).is_ok());
    let err = Requirement::from_acr_values(&values(MAX_LEVELS + 1), Matching::Exact).unwrap_err();
    assert!(matches!(
        err,
        AssuranceError::TooManyLevels {
            max: MAX_LEVELS,
            ..
        }
    ));
    assert_eq!(err.reason(), "too_many_levels");
    let err = Requirement::new(vec![L::Loa3; MAX_LEVELS + 1], Matching::Exact).unwrap_err();
    assert!(matches!(
        err,
        AssuranceError::TooManyLevels { count, max: MAX_LEVELS } if count == MAX_LEVELS + 1
    ));
}

#[test]
fn an_unknown_value_fails_the_whole_request() {
    let err = Requirement::from_acr_values(
        "http://id.elegnamnden.se/loa/1.0/loa3 urn:example:loa",
        Matching::Exact,
    )
    .unwrap_err();
    assert!(matches!(err, AssuranceError::UnknownAcr { value, .. } if value == "urn:example:loa"));
}

#[test]
fn duplicates_are_dropped_and_order_kept() {
    let requirement = Requirement::from_acr_values(
        "http://id.elegnamnden.se/loa/1.0/loa4  http://id.elegnamnden.se/loa/1.0/loa3 \
         http://id.elegnamnden.se/loa/1.0/loa4",
        Matching::Exact,
    )
    .unwrap();
    assert_eq!(requirement.levels(), [L::Loa4, L::Loa3]);
    assert_eq!(requirement.matching(), Matching::Exact);
    assert_eq!(
        requirement.acr_values(),
        "http://id.elegnamnden.se/loa/1.0/loa4 http://id.elegnamnden.se/loa/1.0/loa3"
    );
}

#[test]
fn answer_for_exact_picks_the_highest_requested_level_within_the_certification() {
    assert_eq!(exact(&[L::Loa3]).answer_for(L::Loa4), Some(L::Loa3));
    assert_eq!(
        exact(&[L::Loa2, L::Loa3]).answer_for(L::Loa4),
        Some(L::Loa3)
    );
    assert_eq!(
        exact(&[L::Loa4, L::Loa3]).answer_for(L::Loa4),
        Some(L::Loa4)
    );
    assert_eq!(exact(&[L::Loa4]).answer_for(L::Loa3), None);
    assert_eq!(exact(&[L::Loa3]).answer_for(L::UncertifiedLoa3), None);
    assert_eq!(exact(&[L::Loa3]).answer_for(L::Loa4NonResident), None);
    assert_eq!(
        exact(&[L::SwedenEidasNotifiedSubstantial]).answer_for(L::Loa4),
        None
    );
    assert_eq!(exact(&[L::FtnLoa2]).answer_for(L::FtnTestLoa3), None);
    // Incomparable candidates: the stronger wins.
    assert_eq!(
        exact(&[L::Loa2, L::UncertifiedLoa3]).answer_for(L::Loa3),
        Some(L::UncertifiedLoa3)
    );
}

#[test]
fn answer_for_minimum_is_the_certified_level_if_it_suffices() {
    let substantial = minimum(&[L::IdportenSubstantial]);
    assert_eq!(
        substantial.answer_for(L::IdportenHigh),
        Some(L::IdportenHigh)
    );
    assert_eq!(substantial.answer_for(L::IdportenLow), None);
    assert_eq!(substantial.answer_for(L::IdportenEidasHigh), None);
}

// --- Policy -----------------------------------------------------------------------------------

#[test]
fn declared_equivalence_relates_eidas_and_the_swedish_connector() {
    let connector = exact(&[L::SwedenEidasNotifiedSubstantial]);
    let empty = AssurancePolicy::new();
    assert!(empty.is_empty());
    assert!(!connector.is_satisfied_by_with(L::EidasSubstantial, &empty));
    let policy = empty
        .declare_equivalent(L::EidasSubstantial, L::SwedenEidasNotifiedSubstantial)
        .unwrap();
    assert!(connector.is_satisfied_by_with(L::EidasSubstantial, &policy));
    assert!(
        exact(&[L::EidasSubstantial])
            .is_satisfied_by_with(L::SwedenEidasNotifiedSubstantial, &policy)
    );
    // Not the other levels: the policy relates exactly what it says.
    assert!(!connector.is_satisfied_by_with(L::EidasNotNotifiedSubstantial, &policy));
    assert!(!exact(&[L::SwedenEidasNotifiedHigh]).is_satisfied_by_with(L::EidasHigh, &policy));
}

#[test]
fn policy_refuses_every_kind_of_raise() {
    let refuse = |asserted, counts_as| {
        AssurancePolicy::new()
            .accept_as(asserted, counts_as)
            .unwrap_err()
    };
    let err = refuse(L::Loa2, L::Loa3);
    assert!(matches!(
        err,
        AssuranceError::PolicyRaisesLevel {
            asserted: L::Loa2,
            counts_as: L::Loa3
        }
    ));
    assert_eq!(err.reason(), "policy_raises_level");
    let err = refuse(L::Loa3, L::EidasHigh);
    assert!(matches!(
        err,
        AssuranceError::PolicyChangesIdentityType { .. }
    ));
    let err = refuse(L::EidasSubstantial, L::NsisLow);
    assert!(matches!(
        err,
        AssuranceError::PolicyChangesIdentityType { .. }
    ));
    let err = refuse(L::UncertifiedLoa3, L::Loa3);
    assert!(matches!(
        err,
        AssuranceError::PolicyRaisesCertification { .. }
    ));
    assert_eq!(err.reason(), "policy_raises_certification");
    let err = refuse(L::SwedenEidasSubstantial, L::EidasSubstantial);
    assert!(matches!(
        err,
        AssuranceError::PolicyRaisesCertification { .. }
    ));
    let err = refuse(L::Loa3NonResident, L::Loa3);
    assert!(matches!(
        err,
        AssuranceError::PolicyChangesIdentityType { .. }
    ));
    assert_eq!(err.reason(), "policy_changes_identity_type");
    let err = refuse(L::FtnTestLoa3, L::FtnLoa2);
    assert!(matches!(
        err,
        AssuranceError::PolicyMixesTestAndProduction { .. }
    ));
    assert_eq!(err.reason(), "policy_mixes_test_and_production");
    let err = refuse(L::NistAal3, L::NistIal1);
    assert!(matches!(err, AssuranceError::PolicyMixesDimensions { .. }));
    assert_eq!(err.reason(), "policy_mixes_dimensions");
    // Equivalence needs both directions: loa4 may count as substantial, not the reverse.
    assert!(
        AssurancePolicy::new()
            .accept_as(L::Loa4, L::IdportenSubstantial)
            .is_ok()
    );
    let err = AssurancePolicy::new()
        .declare_equivalent(L::Loa4, L::IdportenSubstantial)
        .unwrap_err();
    assert!(matches!(
        err,
        AssuranceError::PolicyRaisesLevel {
            asserted: L::IdportenSubstantial,
            ..
        }
    ));
}

#[test]
fn policy_applies_one_step_never_chained() {
    let policy = AssurancePolicy::new()
        .accept_as(L::Loa3, L::IdportenSubstantial)
        .unwrap()
        .accept_as(L::IdportenSubstantial, L::NsisSubstantial)
        .unwrap();
    assert_eq!(
        policy.counts_as(L::Loa3).collect::<Vec<_>>(),
        [L::IdportenSubstantial]
    );
    assert!(!exact(&[L::NsisSubstantial]).is_satisfied_by_with(L::Loa3, &policy));
    assert!(minimum(&[L::IdportenLow]).is_satisfied_by_with(L::Loa3, &policy));
}

#[test]
fn reasons_are_distinct() {
    let errors = [
        AssuranceError::unknown("x"),
        AssuranceError::DeprecatedAcr {
            value: String::new(),
        },
        AssuranceError::EmptyRequirement,
        AssuranceError::TooLong { len: 0, max: 0 },
        AssuranceError::TooManyLevels { count: 0, max: 0 },
        AssuranceError::PolicyRaisesLevel {
            asserted: L::Loa1,
            counts_as: L::Loa1,
        },
        AssuranceError::PolicyRaisesCertification {
            asserted: L::Loa1,
            counts_as: L::Loa1,
        },
        AssuranceError::PolicyChangesIdentityType {
            asserted: L::Loa1,
            counts_as: L::Loa1,
        },
        AssuranceError::PolicyMixesTestAndProduction {
            asserted: L::Loa1,
            counts_as: L::Loa1,
        },
        AssuranceError::PolicyMixesDimensions {
            asserted: L::Loa1,
            counts_as: L::Loa1,
        },
    ];
    let mut seen = std::collections::HashSet::new();
    for error in &errors {
        assert!(seen.insert(error.reason()), "{}", error.reason());
        assert!(!error.to_string().is_empty());
    }
}

// --- Property tests ---------------------------------------------------------------------------

proptest! {
    #[test]
    fn from_str_never_panics(input in any::<String>()) {
        let _ = input.parse::<L>();
    }

    #[test]
    fn from_str_never_panics_near_known_prefixes(
        level in any_level(),
        cut in 0usize..80,
        tail in "[a-zA-Z0-9/ é-]{0,12}",
    ) {
        let uri = level.as_uri();
        let input = format!("{}{tail}", uri.get(..cut.min(uri.len())).unwrap());
        if let Ok(parsed) = input.parse::<L>() {
            prop_assert_eq!(parsed.as_uri(), input.as_str());
        }
    }

    #[test]
    fn from_acr_values_never_panics(input in any::<String>(), exact in any::<bool>()) {
        let matching = if exact { Matching::Exact } else { Matching::Minimum };
        if let Ok(requirement) = Requirement::from_acr_values(&input, matching) {
            prop_assert!(!requirement.levels().is_empty());
            prop_assert!(requirement.levels().len() <= MAX_LEVELS);
        }
    }

    #[test]
    fn no_policy_ever_raises_a_level(
        declarations in proptest::collection::vec((any_level(), any_level()), 0..40),
        requested in proptest::collection::vec(any_level(), 1..4),
        asserted in any_level(),
    ) {
        let mut policy = AssurancePolicy::new();
        for (from, to) in declarations {
            if let Ok(next) = policy.clone().accept_as(from, to) {
                policy = next;
            }
        }
        for counted in policy.counts_as(asserted) {
            let (from, to) = (asserted.profile(), counted.profile());
            prop_assert!(to.strength <= from.strength);
            prop_assert!(to.certification <= from.certification);
            prop_assert_eq!(to.identity, from.identity);
            prop_assert_eq!(to.test, from.test);
            prop_assert_eq!(to.dimension, from.dimension);
        }
        for matching in [Matching::Exact, Matching::Minimum] {
            let requirement = Requirement::new(requested.clone(), matching).unwrap();
            if requirement.is_satisfied_by_with(asserted, &policy) {
                // Some requested level is no stronger and no more certified than asserted,
                // of its identity type and environment.
                let justified = requirement.levels().iter().any(|r| {
                    let (r, a) = (r.profile(), asserted.profile());
                    r.strength <= a.strength
                        && r.certification <= a.certification
                        && r.identity == a.identity
                        && r.test == a.test
                });
                prop_assert!(justified);
            }
        }
    }

    #[test]
    fn answer_for_satisfies_and_never_exceeds_the_certification(
        requested in proptest::collection::vec(any_level(), 1..6),
        certified in any_level(),
        exact in any::<bool>(),
    ) {
        let matching = if exact { Matching::Exact } else { Matching::Minimum };
        let requirement = Requirement::new(requested, matching).unwrap();
        match requirement.answer_for(certified) {
            Some(answer) => {
                prop_assert!(requirement.is_satisfied_by(answer));
                prop_assert!(answer <= certified);
            }
            None => prop_assert!(!requirement.is_satisfied_by(certified)),
        }
    }

    #[test]
    fn minimum_satisfaction_is_upward_closed(
        requested in proptest::collection::vec(any_level(), 1..4),
        a in any_level(),
        b in any_level(),
    ) {
        let requirement = Requirement::new(requested, Matching::Minimum).unwrap();
        if requirement.is_satisfied_by(a) && a <= b {
            prop_assert!(requirement.is_satisfied_by(b));
        }
    }
}

#[test]
fn strength_scale_is_design_reading() {
    // Pinned so that a change to the nominal strengths is a deliberate one.
    assert_eq!(L::Loa1.profile().strength, Strength::Minimal);
    assert_eq!(
        L::Loa3.profile().strength,
        L::EidasSubstantial.profile().strength
    );
    assert_eq!(L::FtnLoa2.profile().strength, Strength::Substantial);
    assert_eq!(L::NistIal3.profile().strength, Strength::High);
}

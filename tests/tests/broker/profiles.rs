//! A login through each upstream profile: the BankID-like, the state ID card (a resident at
//! loa4 and a newcomer without a Swedish number at loa3-nonresident), the workplace and the
//! eIDAS node, each named by `authnProvider`, each ID token verified at the level required.

use eid_broker::audit::LoginOutcome;
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use serde_json::Value;

use crate::rp::Journey;
use crate::world::level::{EIDAS_NF_SUB, LOA2, LOA3, LOA3_NR, LOA4};
use crate::world::{ClientSpec, PNR, World, all_upstreams};

const COORDINATION: &str = "https://id.oidc.se/claim/coordinationNumber";
const ORG_AFFILIATION: &str = "https://id.oidc.se/claim/orgAffiliation";

pub fn everything(id: &'static str) -> ClientSpec {
    ClientSpec::new(id, &[LOA2, LOA3, LOA4, LOA3_NR, EIDAS_NF_SUB], "exact")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_through_each_profile_is_verified_at_the_level_required() {
    let world = World::start(all_upstreams(), vec![everything("svc")], "store").await;
    // (upstream, person, level, the claim that identifies the person and its value)
    let cases: [(&str, &str, &str, &str, Option<&str>); 6] = [
        ("bankid", "astrid", LOA3, PNR, Some("198501012382")),
        ("bankid", "dana", LOA3, COORDINATION, Some("198001662397")),
        ("idcard", "bertil", LOA4, PNR, Some("195201161857")),
        ("idcard", "amina", LOA3_NR, PNR, None),
        (
            "work",
            "eva",
            LOA3,
            ORG_AFFILIATION,
            Some("SE2021009994-E0001@2021009994"),
        ),
        ("eidas", "giulia", EIDAS_NF_SUB, PNR, None),
    ];
    let mut subjects = Vec::new();
    for (upstream, person, level, claim, value) in cases {
        let rp = world.rp("svc");
        let done = rp
            .login(
                &[
                    ("acr_values", level),
                    ("https://id.oidc.se/param/authnProvider", upstream),
                ],
                &Journey::person(person),
            )
            .await;
        let case = format!("{upstream}/{person}");
        assert!(done.choice_page.is_none(), "{case}");
        assert_eq!(done.upstream_logins, 1, "{case}");
        let required = Requirement::new(vec![level.parse().unwrap()], Matching::Exact).unwrap();
        let token = rp.verify(&world, &done, Some(required)).await;
        assert_eq!(
            token.acr(),
            Some(level.parse::<LevelOfAssurance>().unwrap()),
            "{case}"
        );
        assert_eq!(token.auth_time(), Some(world.now()), "{case}");
        assert_eq!(token.subject().len(), 43, "{case}: a pairwise sub");
        let claims = token.claims();
        match value {
            Some(value) => assert_eq!(claims[claim], value, "{case}: {claims:?}"),
            None => assert!(claims.get(claim).is_none(), "{case}: {claims:?}"),
        }
        // Never the number as `sub`.
        for number in [PNR, COORDINATION] {
            if let Some(Value::String(n)) = claims.get(number) {
                assert!(!token.subject().contains(n.as_str()), "{case}");
            }
        }
        subjects.push(token.subject().to_owned());
    }
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 6, "six persons, six subjects");

    let events = world.events.all();
    assert_eq!(events.len(), 6);
    assert!(events.iter().all(|e| e.outcome == LoginOutcome::Success));
    let upstreams: Vec<_> = events.iter().filter_map(|e| e.upstream.clone()).collect();
    assert_eq!(
        upstreams,
        ["bankid", "bankid", "idcard", "idcard", "work", "eidas"]
    );
}

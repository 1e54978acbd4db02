//! The level-of-assurance matrix through the broker: exact and minimum matching, the Swedish,
//! eIDAS and other frameworks, step-up, and requests nobody can meet.

use std::time::Duration;

use eid_idp_mock::profile::Profile;

use crate::harness::{
    EIDAS_NF_SUB, EIDAS_SUB, Journey, LOA2, LOA3, LOA4, UpstreamSpec, World, all_upstreams, client,
};

fn radio_values(page: &str) -> Vec<String> {
    page.split("name=\"upstream\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn exact_matching_sends_only_the_levels_asked_for_and_a_higher_upstream_answers_lower() {
    let clients = client(
        "exact",
        &format!("{{ levels = [\"{LOA2}\", \"{LOA3}\", \"{LOA4}\"], matching = \"exact\" }}"),
        "",
    );
    let world = World::start(all_upstreams(), &clients, "store").await;
    let rp = world.rp("exact");

    // loa4 exact: only the ID card offers it; no choice page.
    let done = rp
        .login(&[("acr_values", LOA4)], &Journey::person("astrid"))
        .await;
    assert!(done.choice_page.is_none());
    assert_eq!(done.acr(), LOA4);

    // loa2 exact: only the BankID-like upstream maps loa2; it is asked for loa2 and answers it.
    let rp = world.rp("exact");
    let done = rp
        .login(&[("acr_values", LOA2)], &Journey::person("astrid"))
        .await;
    assert!(done.choice_page.is_none());
    assert_eq!(done.acr(), LOA2);

    // loa3 exact: three upstreams can; the person picks the ID card (a loa4 provider when
    // asked loa3 exactly answers loa3).
    let rp = world.rp("exact");
    let done = rp
        .login(
            &[("acr_values", LOA3)],
            &Journey::person("astrid").choosing("idcard"),
        )
        .await;
    let page = done.choice_page.as_deref().unwrap();
    assert_eq!(radio_values(page), ["bankid", "idcard", "work"]);
    assert_eq!(done.acr(), LOA3);
}

#[tokio::test(flavor = "multi_thread")]
async fn minimum_matching_accepts_higher_levels_and_reports_what_was_reached() {
    let clients = client(
        "minimum",
        &format!("{{ levels = [\"{LOA3}\"], matching = \"minimum\" }}"),
        "",
    );
    let world = World::start(all_upstreams(), &clients, "store").await;

    // No acr in the request: the client's default (loa3 minimum) applies: every Swedish
    // upstream at loa3 or above qualifies, the eIDAS node does not (another framework).
    let done = world
        .rp("minimum")
        .login(&[], &Journey::person("astrid").choosing("idcard"))
        .await;
    let page = done.choice_page.as_deref().unwrap();
    assert_eq!(radio_values(page), ["bankid", "idcard", "work"]);
    // The ID card was asked for loa3 or loa4 and reached loa4: minimum matching reports it.
    assert_eq!(done.acr(), LOA4);

    // A request for loa2 is below what the client accepts: the policy floor wins, and the
    // BankID-like upstream is asked for loa3 (its loa2 mapping is not used).
    let done = world
        .rp("minimum")
        .login(
            &[("acr_values", LOA2)],
            &Journey::person("astrid").choosing("bankid"),
        )
        .await;
    assert_eq!(done.acr(), LOA3);
}

#[tokio::test(flavor = "multi_thread")]
async fn eidas_levels_are_met_only_by_an_upstream_mapped_to_them() {
    let clients = client(
        "eidas",
        &format!("{{ levels = [\"{LOA3}\", \"{EIDAS_NF_SUB}\"], matching = \"exact\" }}"),
        "",
    );
    let world = World::start(all_upstreams(), &clients, "store").await;
    let done = world
        .rp("eidas")
        .login(&[("acr_values", EIDAS_NF_SUB)], &Journey::person("giulia"))
        .await;
    assert!(done.choice_page.is_none());
    assert_eq!(done.acr(), EIDAS_NF_SUB);
    assert!(
        done.claims
            .as_ref()
            .unwrap()
            .get("https://id.oidc.se/claim/personalIdentityNumber")
            .is_none()
    );

    // The eIDAS framework's own level: no upstream is mapped to it.
    let done = world
        .rp("eidas")
        .login(&[("acr_values", EIDAS_SUB)], &Journey::person("giulia"))
        .await;
    assert_eq!(
        done.error.as_deref(),
        Some("unmet_authentication_requirements")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_level_the_client_does_not_accept_or_nobody_offers_is_unmet() {
    let clients = client(
        "strict",
        &format!("{{ levels = [\"{LOA3}\"], matching = \"exact\" }}"),
        "",
    ) + &client(
        "high",
        &format!("{{ levels = [\"{LOA4}\"], matching = \"minimum\" }}"),
        "upstreams = [\"bankid\"]",
    );
    let world = World::start(all_upstreams(), &clients, "store").await;
    let done = world
        .rp("strict")
        .login(&[("acr_values", LOA2)], &Journey::person("astrid"))
        .await;
    assert_eq!(
        done.error.as_deref(),
        Some("unmet_authentication_requirements")
    );
    // Allowed only the BankID-like upstream, which tops out at loa3.
    let done = world
        .rp("high")
        .login(&[], &Journey::person("astrid"))
        .await;
    assert_eq!(
        done.error.as_deref(),
        Some("unmet_authentication_requirements")
    );
    let unmet = world
        .events
        .all()
        .iter()
        .filter(|e| e.outcome == eid_broker::audit::LoginOutcome::Unmet)
        .count();
    assert_eq!(unmet, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn step_up_from_loa2_to_loa3_goes_upstream_again_with_a_new_acr_and_auth_time() {
    let clients = client(
        "stepper",
        &format!("{{ levels = [\"{LOA2}\", \"{LOA3}\"], matching = \"exact\" }}"),
        "upstreams = [\"bankid\"]",
    );
    let world = World::start(
        vec![UpstreamSpec::new(
            "bankid",
            Profile::BankIdLike,
            &[(LOA2, LOA2), (LOA3, LOA3)],
        )],
        &clients,
        "store",
    )
    .await;
    let rp = world.rp("stepper");
    let first = rp
        .login(&[("acr_values", LOA2)], &Journey::person("astrid"))
        .await;
    assert_eq!(first.acr(), LOA2);
    assert!(first.logged_in_upstream);
    let first_time = first.claim("auth_time").as_u64().unwrap();

    // The same browser again at loa2: the broker's session answers, silently.
    world.clock.advance(Duration::from_secs(60));
    let again = rp
        .login(&[("acr_values", LOA2)], &Journey::person("astrid"))
        .await;
    assert!(!again.logged_in_upstream);
    assert_eq!(again.acr(), LOA2);
    assert_eq!(again.claim("auth_time").as_u64().unwrap(), first_time);

    // loa3: the loa2 session does not meet it; the person goes upstream and authenticates.
    world.clock.advance(Duration::from_secs(60));
    let stepped = rp
        .login(&[("acr_values", LOA3)], &Journey::person("astrid"))
        .await;
    assert!(stepped.logged_in_upstream);
    assert_eq!(stepped.acr(), LOA3);
    assert_eq!(
        stepped.claim("auth_time").as_u64().unwrap(),
        first_time + 120
    );
    assert_eq!(stepped.sub(), first.sub());

    // And the session now answers loa3 without going upstream.
    let after = rp
        .login(&[("acr_values", LOA3)], &Journey::person("astrid"))
        .await;
    assert!(!after.logged_in_upstream);
    assert_eq!(after.acr(), LOA3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_default_level_is_not_met_by_a_lower_session() {
    let clients = client(
        "low",
        &format!("{{ levels = [\"{LOA2}\"], matching = \"exact\" }}"),
        "",
    ) + &client(
        "high",
        &format!("{{ levels = [\"{LOA3}\"], matching = \"exact\" }}"),
        "",
    );
    let world = World::start(
        vec![UpstreamSpec::new(
            "bankid",
            Profile::BankIdLike,
            &[(LOA2, LOA2), (LOA3, LOA3)],
        )],
        &clients,
        "store",
    )
    .await;
    let low = world.rp("low");
    let done = low.login(&[], &Journey::person("astrid")).await;
    assert_eq!(done.acr(), LOA2);
    // Another e-service in the same browser, asking no level: its default loa3 is not met by
    // the loa2 session, so the person authenticates again.
    let high = crate::harness::Rp {
        http: low.http.clone(),
        ..world.rp("high")
    };
    let done = high.login(&[], &Journey::person("astrid")).await;
    assert!(done.logged_in_upstream);
    assert_eq!(done.acr(), LOA3);
}

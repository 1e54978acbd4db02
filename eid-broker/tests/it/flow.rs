//! Logins through the broker: each mock profile, the choice page, linking and `sub`, upstream
//! cancels and failures, the organisation check.

use eid_broker::audit::LoginOutcome;
use eid_idp_mock::profile::Profile;
use eid_idp_mock::scenario::Scenario;

use crate::harness::{
    EIDAS_NF_SUB, Journey, LOA2, LOA3, LOA4, RP_REDIRECT, UpstreamSpec, World, all_upstreams,
    client,
};

const PNR: &str = "https://id.oidc.se/claim/personalIdentityNumber";

fn everything(id: &str, extra: &str) -> String {
    client(
        id,
        &format!(
            "{{ levels = [\"{LOA2}\", \"{LOA3}\", \"{LOA4}\", \"{EIDAS_NF_SUB}\"], matching = \"exact\" }}"
        ),
        extra,
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_through_each_mock_profile() {
    let world = World::start(all_upstreams(), &everything("svc", ""), "store").await;
    let cases = [
        ("bankid", "astrid", LOA3),
        ("idcard", "astrid", LOA4),
        ("work", "eva", LOA3),
        ("eidas", "giulia", EIDAS_NF_SUB),
    ];
    for (upstream, person, level) in cases {
        let done = world
            .rp("svc")
            .login(
                &[
                    ("acr_values", level),
                    ("https://id.oidc.se/param/authnProvider", upstream),
                ],
                &Journey::person(person),
            )
            .await;
        assert!(done.choice_page.is_none(), "{upstream}");
        assert!(done.logged_in_upstream, "{upstream}");
        assert_eq!(done.acr(), level, "{upstream}");
        assert_eq!(done.sub().len(), 43, "{upstream}");
        assert!(done.claim("auth_time").is_u64(), "{upstream}");
    }
    let events = world.events.all();
    assert_eq!(events.len(), 4);
    assert!(events.iter().all(|e| e.outcome == LoginOutcome::Success));
    let upstreams: Vec<_> = events.iter().filter_map(|e| e.upstream.clone()).collect();
    assert_eq!(upstreams, ["bankid", "idcard", "work", "eidas"]);
    // The personal number reaches the e-service only as a claim it asked for, never as `sub`.
    let done = world
        .rp("svc")
        .login(
            &[("acr_values", LOA3), ("login_hint", "upstream:bankid")],
            &Journey::person("bertil"),
        )
        .await;
    assert_eq!(done.claim(PNR), "195201161857");
    assert_ne!(done.sub(), "195201161857");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_choice_page_is_shown_in_the_persons_language_and_remembers_when_asked() {
    let world = World::start(all_upstreams(), &everything("svc", ""), "store").await;
    let rp = world.rp("svc");
    let done = rp
        .login(
            &[("acr_values", LOA3)],
            &Journey::person("astrid").choosing("bankid"),
        )
        .await;
    let page = done.choice_page.clone().unwrap();
    assert!(page.contains("<html lang=\"sv\">"));
    assert!(page.contains("<title>Välj e-legitimation</title>"));
    assert!(page.contains("<fieldset>\n<legend>E-legitimationer</legend>"));
    assert!(page.contains("<label for=\"upstream-0\">"));
    assert!(page.contains("bankid (sv)"));
    assert!(page.contains("<img src=\"data:image/svg+xml;base64,PHN2Zy8+\" alt=\"\""));
    assert!(!page.contains("<script"));
    assert!(!page.contains("style="));
    assert!(
        !page.contains("eidas (sv)"),
        "the eIDAS node cannot meet loa3"
    );
    assert_eq!(done.acr(), LOA3);

    // English by ui_locales; the remembered choice is preselected once the person agreed.
    let done = rp
        .login(
            &[
                ("acr_values", LOA3),
                ("ui_locales", "en"),
                ("prompt", "login"),
            ],
            &Journey::person("astrid").choosing("idcard").remembering(),
        )
        .await;
    let page = done.choice_page.unwrap();
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("idcard (en)"));
    assert!(page.contains("value=\"bankid\" required checked"));
    let rp2 = world.rp("svc");
    let done = rp2
        .login(
            &[("acr_values", LOA3), ("prompt", "login")],
            &Journey::person("astrid").choosing("idcard"),
        )
        .await;
    assert!(
        done.choice_page
            .unwrap()
            .contains("value=\"bankid\" required checked")
    );
    let done = rp
        .login(
            &[
                ("acr_values", LOA3),
                ("prompt", "login"),
                ("ui_locales", "en"),
            ],
            &Journey::person("astrid").choosing("bankid"),
        )
        .await;
    assert!(
        done.choice_page
            .unwrap()
            .contains("value=\"idcard\" required checked")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_choice_page_is_skipped_for_a_named_or_a_single_upstream() {
    let world = World::start(
        all_upstreams(),
        &(everything("svc", "") + &everything("bank-only", "upstreams = [\"bankid\"]")),
        "store",
    )
    .await;
    for params in [
        vec![
            ("acr_values", LOA3),
            ("https://id.oidc.se/param/authnProvider", "work"),
        ],
        vec![("acr_values", LOA3), ("login_hint", "upstream:work")],
    ] {
        let done = world
            .rp("svc")
            .login(&params, &Journey::person("eva"))
            .await;
        assert!(done.choice_page.is_none());
        assert_eq!(done.acr(), LOA3);
    }
    // The upstream may be named by its issuer.
    let issuer = world.mock("work").issuer().as_str().to_owned();
    let done = world
        .rp("svc")
        .login(
            &[
                ("acr_values", LOA3),
                ("https://id.oidc.se/param/authnProvider", &issuer),
            ],
            &Journey::person("eva"),
        )
        .await;
    assert!(done.choice_page.is_none());
    assert_eq!(done.acr(), LOA3);
    // Only one upstream allowed for this client.
    let done = world
        .rp("bank-only")
        .login(&[("acr_values", LOA3)], &Journey::person("astrid"))
        .await;
    assert!(done.choice_page.is_none());
    // A named upstream that cannot meet the level is refused, not replaced.
    let done = world
        .rp("svc")
        .login(
            &[
                ("acr_values", LOA4),
                ("https://id.oidc.se/param/authnProvider", "bankid"),
            ],
            &Journey::person("astrid"),
        )
        .await;
    assert_eq!(
        done.error.as_deref(),
        Some("unmet_authentication_requirements")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_person_through_two_upstreams_gets_the_same_pairwise_sub_per_sector() {
    let clients = everything("svc-a", "sector = \"a.example\"")
        + &everything("svc-b", "sector = \"b.example\"")
        + &everything("svc-public", "subject = \"public\"")
        + &everything("svc-public2", "subject = \"public\"");
    for mode in ["store", "no_store"] {
        let world = World::start(all_upstreams(), &clients, mode).await;
        let login = |client: &'static str, upstream: &'static str, person: &'static str| {
            let world = &world;
            async move {
                world
                    .rp(client)
                    .login(
                        &[("https://id.oidc.se/param/authnProvider", upstream)],
                        &Journey::person(person),
                    )
                    .await
                    .sub()
            }
        };
        let bank = login("svc-a", "bankid", "astrid").await;
        let card = login("svc-a", "idcard", "astrid").await;
        let work = login("svc-a", "work", "eva").await;
        let eva_bank = login("svc-a", "bankid", "eva").await;
        assert_eq!(bank, card, "{mode}");
        assert_eq!(
            work, eva_bank,
            "{mode}: the workplace login carries the personal number"
        );
        assert_ne!(bank, eva_bank, "{mode}");
        let other_sector = login("svc-b", "bankid", "astrid").await;
        assert_ne!(bank, other_sector, "{mode}");
        let public = login("svc-public", "bankid", "astrid").await;
        let public2 = login("svc-public2", "idcard", "astrid").await;
        assert_eq!(public, public2, "{mode}");
        assert_ne!(public, bank, "{mode}");
        // The same login twice: stable.
        assert_eq!(login("svc-a", "bankid", "astrid").await, bank, "{mode}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_at_the_choice_page_or_upstream_is_access_denied_at_the_client() {
    let world = World::start(all_upstreams(), &everything("svc", ""), "store").await;
    let done = world
        .rp("svc")
        .login(&[("acr_values", LOA3)], &Journey::default())
        .await;
    assert!(done.choice_page.is_some());
    assert_eq!(done.error.as_deref(), Some("access_denied"));

    let done = world
        .rp("svc")
        .login(
            &[("acr_values", LOA3)],
            &Journey::default().choosing("bankid"),
        )
        .await;
    assert!(done.logged_in_upstream);
    assert_eq!(done.error.as_deref(), Some("access_denied"));

    world.mock("bankid").enqueue_scenario(Scenario::Cancel);
    let done = world
        .rp("svc")
        .login(
            &[("acr_values", LOA3), ("login_hint", "upstream:bankid")],
            &Journey::person("astrid"),
        )
        .await;
    assert_eq!(done.error.as_deref(), Some("access_denied"));
    let cancelled = world
        .events
        .all()
        .iter()
        .filter(|e| e.outcome == LoginOutcome::Cancelled)
        .count();
    assert_eq!(cancelled, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn upstream_failures_reach_the_client_as_the_right_error() {
    let world = World::start(all_upstreams(), &everything("svc", ""), "store").await;
    let cases = [
        (Scenario::ServerError, "server_error"),
        (Scenario::TemporarilyUnavailable, "temporarily_unavailable"),
        (Scenario::AcrLowered, "unmet_authentication_requirements"),
        (Scenario::InvalidSignature, "server_error"),
        (Scenario::InvalidNonce, "server_error"),
        (Scenario::WrongIssuerInResponse, "server_error"),
    ];
    for (scenario, expected) in cases {
        world.mock("bankid").enqueue_scenario(scenario.clone());
        let done = world
            .rp("svc")
            .login(
                &[("acr_values", LOA3), ("login_hint", "upstream:bankid")],
                &Journey::person("astrid"),
            )
            .await;
        assert_eq!(done.error.as_deref(), Some(expected), "{scenario:?}");
    }
    // The broker is still fine afterwards.
    let done = world
        .rp("svc")
        .login(
            &[("acr_values", LOA3), ("login_hint", "upstream:bankid")],
            &Journey::person("astrid"),
        )
        .await;
    assert_eq!(done.acr(), LOA3);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_upstream_is_temporarily_unavailable() {
    let world = World::start(all_upstreams(), &everything("svc", ""), "store").await;
    let mut world = world;
    let mock = world.mocks.remove("bankid").unwrap();
    mock.stop().await;
    let done = world
        .rp("svc")
        .login(
            &[("acr_values", LOA3), ("login_hint", "upstream:bankid")],
            &Journey::person("astrid"),
        )
        .await;
    assert_eq!(done.error.as_deref(), Some("temporarily_unavailable"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_workplace_client_accepts_only_its_organisations() {
    let clients = client(
        "agency",
        &format!("{{ levels = [\"{LOA3}\"] }}"),
        "upstreams = [\"work\"]\norg_numbers = [\"2021009994\"]",
    ) + &client(
        "agency-unmet",
        &format!("{{ levels = [\"{LOA3}\"] }}"),
        "upstreams = [\"work\"]\norg_numbers = [\"2021009994\"]\norg_refusal = \"unmet\"",
    ) + &client(
        "needs-pnr",
        &format!("{{ levels = [\"{EIDAS_NF_SUB}\"] }}"),
        &format!("required_claims = [\"{PNR}\"]"),
    );
    let world = World::start(all_upstreams(), &clients, "no_store").await;
    let done = world.rp("agency").login(&[], &Journey::person("eva")).await;
    assert_eq!(done.acr(), LOA3);
    let done = world
        .rp("agency")
        .login(&[], &Journey::person("frans"))
        .await;
    assert_eq!(done.error.as_deref(), Some("access_denied"));
    let done = world
        .rp("agency-unmet")
        .login(&[], &Journey::person("frans"))
        .await;
    assert_eq!(
        done.error.as_deref(),
        Some("unmet_authentication_requirements")
    );
    // giulia has no personal number: a client that requires one refuses her.
    let done = world
        .rp("needs-pnr")
        .login(&[], &Journey::person("giulia"))
        .await;
    assert_eq!(done.error.as_deref(), Some("access_denied"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_upstream_callback_refuses_unknown_replayed_and_foreign_states() {
    let world = World::start(
        vec![UpstreamSpec::new(
            "bankid",
            Profile::BankIdLike,
            &[(LOA3, LOA3)],
        )],
        &everything("svc", ""),
        "store",
    )
    .await;
    let rp = world.rp("svc");
    let response = rp
        .http
        .get(format!(
            "{}/upstream/callback?state=made-up&code=x",
            world.broker_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.starts_with("default-src 'none'"));
    let response = rp
        .http
        .get(format!(
            "{}/upstream/callback?state=a&state=b",
            world.broker_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);

    // Start a login, and deliver the upstream's answer in another browser: refused, and the
    // login is over for both.
    let start = rp
        .http
        .get(format!(
            "{}/authorize?response_type=code&client_id=svc&redirect_uri={}&scope=openid&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&acr_values={}",
            world.broker_url,
            url::form_urlencoded::byte_serialize(RP_REDIRECT.as_bytes()).collect::<String>(),
            url::form_urlencoded::byte_serialize(LOA3.as_bytes()).collect::<String>(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 303);
    // Through the mock's login (the request may be pushed, so the state is read from the
    // mock's answer).
    let upstream = url::Url::parse(start.headers()["location"].to_str().unwrap()).unwrap();
    let to_login = rp.http.get(upstream.clone()).send().await.unwrap();
    let login = upstream
        .join(to_login.headers()["location"].to_str().unwrap())
        .unwrap();
    let transaction = login
        .query_pairs()
        .find(|(n, _)| n == "transaction")
        .unwrap()
        .1
        .into_owned();
    let back = rp
        .http
        .post(login.join("/login").unwrap())
        .form(&[("transaction", transaction.as_str()), ("person", "astrid")])
        .send()
        .await
        .unwrap();
    let callback = url::Url::parse(back.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(callback.path(), "/upstream/callback");
    let state = callback
        .query_pairs()
        .find(|(n, _)| n == "state")
        .unwrap()
        .1
        .into_owned();
    let other = world.rp("svc");
    let response = other.http.get(callback.clone()).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .contains("error=access_denied")
    );
    assert!(!state.is_empty());
    let replay = rp.http.get(callback).send().await.unwrap();
    assert_eq!(replay.status(), 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_at_the_broker_is_propagated_to_the_upstream_and_returns_to_the_client() {
    let world = World::start(
        vec![UpstreamSpec::new(
            "bankid",
            Profile::BankIdLike,
            &[(LOA3, LOA3)],
        )],
        &everything("svc", ""),
        "store",
    )
    .await;
    let rp = world.rp("svc");
    let done = rp
        .login(&[("acr_values", LOA3)], &Journey::person("astrid"))
        .await;
    assert!(done.logged_in_upstream);
    let mut logout = url::Url::parse(&format!("{}/logout", world.broker_url)).unwrap();
    logout
        .query_pairs_mut()
        .append_pair("id_token_hint", done.id_token.as_deref().unwrap())
        .append_pair("post_logout_redirect_uri", crate::harness::RP_LOGGED_OUT)
        .append_pair("state", "bye");
    let response = rp.http.get(logout).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let upstream = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    assert!(
        upstream
            .as_str()
            .starts_with(world.mock("bankid").issuer().as_str())
    );
    assert!(upstream.query_pairs().any(|(n, _)| n == "id_token_hint"));
    // The upstream logs the person out and sends them back to the broker, which continues to
    // the client's post-logout URI.
    let response = rp.http.get(upstream.clone()).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let back = upstream
        .join(response.headers()["location"].to_str().unwrap())
        .unwrap();
    assert_eq!(back.path(), "/upstream/logged-out");
    let response = rp.http.get(back.clone()).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let last = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(last.starts_with(crate::harness::RP_LOGGED_OUT), "{last}");
    assert!(last.contains("state=bye"));
    // The return link is single use.
    assert_eq!(rp.http.get(back).send().await.unwrap().status(), 400);
    // Both sessions are gone: the next login asks the person again at the upstream.
    let again = rp
        .login(&[("acr_values", LOA3)], &Journey::person("astrid"))
        .await;
    assert!(again.logged_in_upstream);
    assert_eq!(again.sub(), done.sub());
}

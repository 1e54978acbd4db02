//! The log scan: logins through every upstream, faults, step-up and logout with back-channel
//! delivery, with every log line of this test process captured as JSON at `trace` (see
//! [`crate::logs`]); then no personal number in any written form, no name or eIDAS
//! identifier, no JWT and none of the codes, states, nonces, PKCE values, transactions,
//! tokens or cookie values that travelled may appear in it.

use eid_core::claims::{Destination, Release};
use eid_idp_mock::scenario::Scenario;
use serde_json::Value;

use crate::profiles::everything;
use crate::rp::Journey;
use crate::world::level::{EIDAS_NF_SUB, LOA2, LOA3, LOA3_NR, LOA4};
use crate::world::{World, all_upstreams};

/// Every written form of a 12-digit Swedish number `yyyymmddnnnn`: as is, with the separator,
/// and the 10-digit forms with `-` or (past 100 years) `+`.
fn number_forms(number: &str) -> Vec<String> {
    assert_eq!(number.len(), 12, "{number}");
    let (century, ten) = number.split_at(2);
    let (date, serial) = ten.split_at(6);
    vec![
        number.to_owned(),
        format!("{century}{date}-{serial}"),
        ten.to_owned(),
        format!("{date}-{serial}"),
        format!("{date}+{serial}"),
    ]
}

/// What must never be logged about the mock's persons (built-in file and the newcomer).
fn personal_data(world: &World) -> Vec<String> {
    let persons = world.mock("idcard").app().persons();
    let mut found = Vec::new();
    for person in persons.iter() {
        let claims = person
            .identity()
            .to_oidc_claims(&Release::full(Destination::UserInfo));
        for (name, value) in &claims {
            let Some(text) = value.as_str() else { continue };
            if name.ends_with("/personalIdentityNumber")
                || name.ends_with("/coordinationNumber")
                || name.ends_with("/previousCoordinationNumber")
            {
                found.extend(number_forms(text));
            }
            let identifying = [
                "name",
                "email",
                "phone_number",
                "https://id.swedenconnect.se/claim/prid",
                "https://id.swedenconnect.se/claim/eidasPersonIdentifier",
                "https://id.oidc.se/claim/orgAffiliation",
            ];
            if identifying.contains(&name.as_str()) {
                found.push(text.to_owned());
            }
        }
    }
    assert!(found.iter().any(|t| t == "850101-2382"), "{found:?}");
    assert!(found.iter().any(|t| t == "IT:TESTMOCK0001"), "{found:?}");
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn the_log_has_no_personal_number_token_or_code() {
    let mut clients = vec![everything("svc").with_backchannel()];
    clients.push(everything("svc-2").with_backchannel());
    let world = World::start(all_upstreams(), clients, "store").await;

    // A login through each upstream, each person's number or identifier delivered.
    let cases = [
        ("bankid", "astrid", LOA3),
        ("bankid", "dana", LOA2),
        ("idcard", "bertil", LOA4),
        ("idcard", "amina", LOA3_NR),
        ("work", "eva", LOA3),
        ("eidas", "giulia", EIDAS_NF_SUB),
    ];
    let mut pages = Vec::new();
    for (upstream, person, level) in cases {
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
        let token = rp.verify(&world, &done, None).await;
        pages.push(Value::Object(token.into_claims()).to_string());
    }
    // The numbers did reach the e-service, so the scan below is not vacuous.
    assert!(pages.iter().any(|c| c.contains("198501012382")));
    assert!(pages.iter().any(|c| c.contains("198001662397")));

    // Faults of every kind, whose rejections are logged.
    for scenario in [
        Scenario::InvalidSignature,
        Scenario::UserInfoSubjectMismatch,
        Scenario::WrongIssuerInResponse,
        Scenario::AcrLowered,
        Scenario::Expired,
        Scenario::Cancel,
    ] {
        world.mock("bankid").enqueue_scenario(scenario);
        let done = world
            .rp("svc")
            .login(
                &[
                    ("acr_values", LOA3),
                    ("https://id.oidc.se/param/authnProvider", "bankid"),
                ],
                &Journey::person("bertil"),
            )
            .await;
        assert!(done.error.is_some());
    }

    // Single sign-on, step-up, and logout with back-channel delivery.
    let rp = world.rp("svc");
    let first = rp
        .login(
            &[
                ("acr_values", LOA3),
                ("https://id.oidc.se/param/authnProvider", "bankid"),
            ],
            &Journey::person("astrid"),
        )
        .await;
    let second = rp
        .as_client("svc-2")
        .login(&[("acr_values", LOA4)], &Journey::person("astrid"))
        .await;
    assert_eq!(second.upstream_logins, 1, "step-up");
    rp.logout(first.id_token.as_deref().unwrap()).await;
    world.backchannel.next().await;
    world.backchannel.next().await;

    let log = crate::logs::text();
    assert!(log.lines().count() > 100, "the scan needs a log");
    let mut targets: Vec<String> = log
        .lines()
        .map(|line| {
            let event: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let target = event["target"].as_str().unwrap_or_default();
            target.split("::").next().unwrap_or_default().to_owned()
        })
        .collect();
    targets.sort();
    targets.dedup();
    for crate_name in ["eid_broker", "eid_provider", "hyper_util"] {
        assert!(
            targets.iter().any(|t| t == crate_name),
            "{crate_name} not captured: {targets:?}"
        );
    }
    let find = |needle: &str| {
        log.lines()
            .find(|line| line.contains(needle))
            .map(str::to_owned)
    };
    for text in personal_data(&world) {
        assert_eq!(find(&text), None, "personal data `{text}` in the log");
    }
    assert_eq!(find("eyJ"), None, "a JWT in the log");
    let secrets = crate::rp::secrets();
    assert!(
        secrets.len() > 100,
        "the scan saw codes and tokens: {}",
        secrets.len()
    );
    for secret in secrets {
        assert_eq!(
            find(&secret),
            None,
            "a secret that travelled, `{secret}`, in the log"
        );
    }
}

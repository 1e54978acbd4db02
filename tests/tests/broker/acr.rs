//! The level-of-assurance matrix, one row per case: what the e-service asks (`acr_values`, an
//! essential `acr` claim, or nothing), how it is configured (exact or minimum, which levels,
//! which upstreams), which upstreams can serve it, and what it gets: the level asserted in a
//! verified ID token, or `unmet_authentication_requirements` and no code. Then step-up.

use std::time::Duration;

use eid_broker::audit::LoginOutcome;
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_idp_mock::NextClaims;

use crate::rp::Journey;
use crate::world::level::{
    EIDAS_HIGH, EIDAS_NF_HIGH, EIDAS_NF_SUB, EIDAS_SUB, LOA2, LOA3, LOA3_NR, LOA4, NIST_AAL2,
    NIST_IAL2,
};
use crate::world::{ClientSpec, UpstreamSpec, World, all_upstreams, same};

/// How the e-service asks for a level.
#[derive(Clone, Copy, Debug)]
enum Ask {
    /// `acr_values` (space-separated).
    Values(&'static str),
    /// An essential `acr` in the `claims` parameter's `id_token` member.
    Essential(&'static str),
    /// Nothing: the client's default levels apply.
    Default,
}

/// What the e-service gets.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// An ID token at this level.
    Level(&'static str),
    /// `unmet_authentication_requirements`; `upstream`: after a login upstream (the level
    /// reached did not do), else at once (no upstream can).
    Unmet { upstream: bool },
    /// `unmet_authentication_requirements` from the engine's own check of an essential `acr`
    /// against the levels the broker offers (`acr_values_supported`), before a login starts:
    /// no login event is reported.
    Refused,
}

struct Row {
    name: &'static str,
    client: &'static str,
    ask: Ask,
    person: &'static str,
    /// The upstream to pick if the choice page is shown.
    choose: Option<&'static str>,
    /// The upstream whose next login is at another level than the person's usual one.
    next_acr: Option<(&'static str, &'static str)>,
    expect: Expect,
}

const fn row(
    name: &'static str,
    client: &'static str,
    ask: Ask,
    person: &'static str,
    expect: Expect,
) -> Row {
    Row {
        name,
        client,
        ask,
        person,
        choose: None,
        next_acr: None,
        expect,
    }
}

impl Row {
    const fn choosing(mut self, upstream: &'static str) -> Self {
        self.choose = Some(upstream);
        self
    }

    const fn upstream_answers(mut self, upstream: &'static str, level: &'static str) -> Self {
        self.next_acr = Some((upstream, level));
        self
    }
}

const UNMET_AT_ONCE: Expect = Expect::Unmet { upstream: false };
const UNMET_AFTER_LOGIN: Expect = Expect::Unmet { upstream: true };

fn clients() -> Vec<ClientSpec> {
    vec![
        ClientSpec::new("exact-se", &[LOA2, LOA3, LOA4, LOA3_NR], "exact"),
        ClientSpec::new("min-se", &[LOA2], "minimum"),
        ClientSpec::new("exact-eu", &[EIDAS_SUB, EIDAS_HIGH, EIDAS_NF_SUB], "exact"),
        ClientSpec::new("min-eu", &[EIDAS_SUB], "minimum"),
        ClientSpec::new("nist", &[NIST_IAL2, LOA3], "exact"),
        ClientSpec::new("bank-only", &[LOA2, LOA3, LOA4], "exact")
            .extra("upstreams = [\"bankid\"]"),
    ]
}

fn rows() -> Vec<Row> {
    use Ask::{Default, Essential, Values};
    use Expect::Level;
    vec![
        // Swedish levels, exact matching.
        row(
            "exact loa2: only the BankID-like maps it; a loa3 login answers loa2",
            "exact-se",
            Values(LOA2),
            "astrid",
            Level(LOA2),
        ),
        row(
            "exact loa3 through the ID card: a loa4 provider answers loa3",
            "exact-se",
            Values(LOA3),
            "astrid",
            Level(LOA3),
        )
        .choosing("idcard"),
        row(
            "exact loa3 through the workplace",
            "exact-se",
            Values(LOA3),
            "eva",
            Level(LOA3),
        )
        .choosing("work"),
        row(
            "exact loa4: only the ID card",
            "exact-se",
            Values(LOA4),
            "bertil",
            Level(LOA4),
        ),
        row(
            "exact loa3-nonresident: a newcomer through the ID card",
            "exact-se",
            Values(LOA3_NR),
            "amina",
            Level(LOA3_NR),
        ),
        row(
            "exact loa3-nonresident: a resident reaches loa4, which is not it",
            "exact-se",
            Values(LOA3_NR),
            "astrid",
            UNMET_AFTER_LOGIN,
        ),
        row(
            "exact loa2 or loa4: the person's choice decides",
            "exact-se",
            Values("http://id.elegnamnden.se/loa/1.0/loa2 http://id.elegnamnden.se/loa/1.0/loa4"),
            "astrid",
            Level(LOA4),
        )
        .choosing("idcard"),
        row(
            "no acr: the client's default levels",
            "exact-se",
            Default,
            "eva",
            Level(LOA3),
        )
        .choosing("work"),
        row(
            "essential acr loa4",
            "exact-se",
            Essential(LOA4),
            "bertil",
            Level(LOA4),
        ),
        row(
            "essential acr loa3 or loa4 through the BankID-like",
            "exact-se",
            Essential(
                "http://id.elegnamnden.se/loa/1.0/loa3 http://id.elegnamnden.se/loa/1.0/loa4",
            ),
            "astrid",
            Level(LOA3),
        )
        .choosing("bankid"),
        row(
            "exact loa4 for a client allowed only the BankID-like",
            "bank-only",
            Values(LOA4),
            "astrid",
            UNMET_AT_ONCE,
        ),
        // Swedish levels, minimum matching.
        row(
            "minimum loa3 through the ID card reports loa4",
            "min-se",
            Values(LOA3),
            "astrid",
            Level(LOA4),
        )
        .choosing("idcard"),
        row(
            "minimum default loa2 through the BankID-like reports loa3",
            "min-se",
            Default,
            "astrid",
            Level(LOA3),
        )
        .choosing("bankid"),
        row(
            "minimum essential loa4",
            "min-se",
            Essential(LOA4),
            "bertil",
            Level(LOA4),
        ),
        row(
            "minimum never crosses identity types: loa3-nonresident is not above loa2",
            "min-se",
            Values(LOA3_NR),
            "amina",
            UNMET_AT_ONCE,
        ),
        row(
            "minimum loa1, below the client's floor: the floor wins",
            "min-se",
            Values("http://id.elegnamnden.se/loa/1.0/loa1"),
            "astrid",
            Level(LOA3),
        )
        .choosing("bankid"),
        // eIDAS: the Swedish connector's levels and the EU framework's.
        row(
            "eidas-nf-sub from the Swedish connector",
            "exact-eu",
            Values(EIDAS_NF_SUB),
            "giulia",
            Level(EIDAS_NF_SUB),
        ),
        row(
            "EU substantial, read from the node's eidas-nf-sub",
            "exact-eu",
            Values(EIDAS_SUB),
            "giulia",
            Level(EIDAS_SUB),
        ),
        row(
            "EU high: the node answers substantial",
            "exact-eu",
            Values(EIDAS_HIGH),
            "giulia",
            UNMET_AFTER_LOGIN,
        ),
        row(
            "EU high: the node answers eidas-nf-high",
            "exact-eu",
            Values(EIDAS_HIGH),
            "giulia",
            Level(EIDAS_HIGH),
        )
        .upstream_answers("eu", EIDAS_NF_HIGH),
        row(
            "EU substantial as a minimum reports high",
            "min-eu",
            Values(EIDAS_SUB),
            "giulia",
            Level(EIDAS_HIGH),
        )
        .upstream_answers("eu", EIDAS_NF_HIGH),
        row(
            "essential EU substantial",
            "exact-eu",
            Essential(EIDAS_SUB),
            "giulia",
            Level(EIDAS_SUB),
        ),
        row(
            "a Swedish client is not served an eIDAS level",
            "exact-se",
            Values(EIDAS_SUB),
            "giulia",
            UNMET_AT_ONCE,
        ),
        row(
            "an eIDAS client is not served a Swedish level",
            "exact-eu",
            Values(LOA3),
            "astrid",
            UNMET_AT_ONCE,
        ),
        // NIST: known levels, offered by no upstream.
        row(
            "a NIST level the client accepts and no upstream offers",
            "nist",
            Values(NIST_IAL2),
            "astrid",
            UNMET_AT_ONCE,
        ),
        row(
            "an essential NIST level",
            "nist",
            Essential(NIST_IAL2),
            "astrid",
            Expect::Refused,
        ),
        row(
            "a NIST level the client does not accept",
            "exact-se",
            Values(NIST_AAL2),
            "astrid",
            UNMET_AT_ONCE,
        ),
        row(
            "the NIST client's other level is served",
            "nist",
            Values(LOA3),
            "astrid",
            Level(LOA3),
        )
        .choosing("bankid"),
    ]
}

fn client_of<'a>(clients: &'a [ClientSpec], id: &str) -> &'a ClientSpec {
    clients.iter().find(|c| c.id == id).unwrap()
}

fn matching(client: &ClientSpec) -> Matching {
    match client.matching {
        "exact" => Matching::Exact,
        _ => Matching::Minimum,
    }
}

fn levels(text: &str) -> Vec<LevelOfAssurance> {
    text.split(' ').map(|l| l.parse().unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_acr_matrix() {
    let clients = clients();
    let world = World::start(all_upstreams(), clients.clone(), "store").await;
    let rows = rows();
    let mut failures = Vec::new();
    for row in &rows {
        let reported = world.events.all().len();
        let client = client_of(&clients, row.client);
        let rp = world.rp(row.client);
        let claims;
        let params: Vec<(&str, &str)> = match row.ask {
            Ask::Values(values) => vec![("acr_values", values)],
            Ask::Essential(values) => {
                let values: Vec<&str> = values.split(' ').collect();
                claims = serde_json::json!({
                    "id_token": { "acr": { "essential": true, "values": values } }
                })
                .to_string();
                vec![("claims", claims.as_str())]
            }
            Ask::Default => Vec::new(),
        };
        if let Some((upstream, level)) = row.next_acr {
            let mock = world.mock(upstream);
            let person = mock.app().persons().get(row.person).unwrap();
            mock.enqueue_claims(
                NextClaims::new(person.identity().clone()).with_acr(level.parse().unwrap()),
            );
        }
        let mut journey = Journey::person(row.person);
        if let Some(upstream) = row.choose {
            journey = journey.choosing(upstream);
        }
        let done = rp.login(&params, &journey).await;
        let outcome = match (row.expect, &done.error) {
            (Expect::Level(level), None) => {
                // Verified at what was asked (or the client's default), as the client matches.
                let asked = match row.ask {
                    Ask::Values(values) | Ask::Essential(values) => levels(values),
                    Ask::Default => client.levels.iter().map(|l| l.parse().unwrap()).collect(),
                };
                let requirement = Requirement::new(asked, matching(client)).unwrap();
                let token = rp.verify(&world, &done, Some(requirement)).await;
                (token.acr() == Some(level.parse().unwrap()))
                    .then_some(())
                    .ok_or(format!("asserted {:?}", token.acr()))
            }
            (Expect::Refused, Some(error)) => (error == "unmet_authentication_requirements"
                && !done.code_returned
                && done.upstream_logins == 0)
                .then_some(())
                .ok_or(format!("error {error}")),
            (Expect::Unmet { upstream }, Some(error)) => {
                if error != "unmet_authentication_requirements" || done.code_returned {
                    Err(format!("error {error}, code {}", done.code_returned))
                } else if (done.upstream_logins > 0) != upstream {
                    Err(format!("{} upstream logins", done.upstream_logins))
                } else {
                    Ok(())
                }
            }
            (_, error) => Err(format!("error {error:?}")),
        };
        if let Err(got) = outcome {
            let reason = world.events.all().last().and_then(|e| e.reason);
            failures.push(format!(
                "{}: expected {:?}, got {got} (broker's reason: {reason:?})",
                row.name, row.expect
            ));
        }
        // The broker reported the login, as a success or an unmet requirement.
        let events = world.events.all();
        let expected = match row.expect {
            Expect::Level(_) => Some(LoginOutcome::Success),
            Expect::Unmet { .. } => Some(LoginOutcome::Unmet),
            Expect::Refused => None,
        };
        match (events.get(reported..), expected) {
            (Some([]), None) => {}
            (Some([event]), Some(expected))
                if event.outcome == expected && event.client == row.client => {}
            (other, _) => failures.push(format!("{}: reported {other:?}", row.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn step_up_goes_upstream_again_with_a_new_acr_and_auth_time() {
    let world = World::start(
        vec![
            UpstreamSpec::new(
                "bankid",
                eid_idp_mock::profile::Profile::BankIdLike,
                vec![same(LOA2), same(LOA3)],
            ),
            UpstreamSpec::new(
                "idcard",
                eid_idp_mock::profile::Profile::StateIdCard,
                vec![same(LOA4)],
            ),
        ],
        vec![ClientSpec::new("svc", &[LOA2, LOA3, LOA4], "exact")],
        "store",
    )
    .await;
    let rp = world.rp("svc");
    let exactly =
        |level: &str| Requirement::new(vec![level.parse().unwrap()], Matching::Exact).unwrap();
    let at = |level: &str| -> LevelOfAssurance { level.parse().unwrap() };

    // loa2 at the BankID-like.
    let first = rp
        .login(&[("acr_values", LOA2)], &Journey::person("astrid"))
        .await;
    assert_eq!(first.upstream_logins, 1);
    let first = rp.verify(&world, &first, Some(exactly(LOA2))).await;
    assert_eq!(first.acr(), Some(at(LOA2)));
    assert_eq!(first.auth_time(), Some(world.now()));

    // loa3 a minute later: the loa2 session does not do; upstream again.
    world.clock.advance(Duration::from_secs(60));
    let stepped = rp
        .login(&[("acr_values", LOA3)], &Journey::person("astrid"))
        .await;
    assert_eq!(stepped.upstream_logins, 1, "step-up goes upstream");
    let stepped = rp.verify(&world, &stepped, Some(exactly(LOA3))).await;
    assert_eq!(stepped.acr(), Some(at(LOA3)));
    assert_eq!(stepped.auth_time(), Some(world.now()), "a new auth_time");
    assert_eq!(stepped.subject(), first.subject());

    // loa4 another minute later: only the ID card can; the same person, the same sub.
    world.clock.advance(Duration::from_secs(60));
    let card = rp
        .login(&[("acr_values", LOA4)], &Journey::person("astrid"))
        .await;
    assert_eq!(card.upstream_logins, 1);
    let card = rp.verify(&world, &card, Some(exactly(LOA4))).await;
    assert_eq!(card.acr(), Some(at(LOA4)));
    assert_eq!(card.auth_time(), Some(world.now()));
    assert_eq!(card.subject(), first.subject());

    // Back down to loa3: the loa4 session answers it, silently, with its auth_time.
    let card_time = card.auth_time();
    world.clock.advance(Duration::from_secs(60));
    let again = rp
        .login(&[("acr_values", LOA3)], &Journey::person("astrid"))
        .await;
    assert_eq!(again.upstream_logins, 0, "the session meets loa3");
    let again = rp.verify(&world, &again, Some(exactly(LOA3))).await;
    assert_eq!(again.acr(), Some(at(LOA3)));
    assert_eq!(again.auth_time(), card_time);

    // A step-up the person cancels upstream: access_denied, and no code.
    let other = world.rp("svc");
    let low = other
        .login(&[("acr_values", LOA2)], &Journey::person("bertil"))
        .await;
    assert!(low.id_token.is_some());
    let cancelled = other
        .login(&[("acr_values", LOA4)], &Journey::default())
        .await;
    assert_eq!(cancelled.error.as_deref(), Some("access_denied"));
    assert!(!cancelled.code_returned);
}

//! Every fault scenario of eid-idp-mock, queued at the upstream for the next login: the
//! e-service gets the right error and no code, the broker reports the login as failed,
//! cancelled or unmet, and the next login through the same upstream works. One row per
//! scenario; the rows are checked against the scenario table of `eid_idp_mock::scenario`'s
//! documentation, so a new scenario without a row fails here.

use eid_broker::audit::LoginOutcome;
use eid_core::assurance::{Matching, Requirement};
use eid_idp_mock::keys::KeySet;
use eid_idp_mock::profile::Profile;
use eid_idp_mock::scenario::Scenario;

use crate::rp::Journey;
use crate::world::level::LOA3;
use crate::world::{ClientSpec, UpstreamSpec, World, same};

/// What the e-service gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// This OAuth error and no code.
    Error(&'static str, LoginOutcome),
    /// A verified ID token.
    Success,
}

use Expect::{Error, Success};

const FAILED: LoginOutcome = LoginOutcome::Failed;

/// `(scenario, the upstream it runs at, expected)`. `bankid` publishes rotating keys (three,
/// so a token without `kid` is ambiguous); `single` publishes one.
fn rows() -> Vec<(Scenario, &'static str, Expect)> {
    vec![
        (
            Scenario::AcrLowered,
            "bankid",
            Error("unmet_authentication_requirements", LoginOutcome::Unmet),
        ),
        (Scenario::AlgNone, "bankid", Error("server_error", FAILED)),
        (
            Scenario::Cancel,
            "bankid",
            Error("access_denied", LoginOutcome::Cancelled),
        ),
        (Scenario::Expired, "bankid", Error("server_error", FAILED)),
        (
            Scenario::InvalidAudience,
            "bankid",
            Error("server_error", FAILED),
        ),
        (
            Scenario::InvalidIssuer,
            "bankid",
            Error("server_error", FAILED),
        ),
        (
            Scenario::InvalidNonce,
            "bankid",
            Error("server_error", FAILED),
        ),
        (
            Scenario::InvalidSignature,
            "bankid",
            Error("server_error", FAILED),
        ),
        (Scenario::KidAbsent, "bankid", Error("server_error", FAILED)),
        // With a single published key, a token without `kid` is unambiguous: accepted.
        (Scenario::KidAbsent, "single", Success),
        (
            Scenario::MissingIssuerInResponse,
            "bankid",
            Error("server_error", FAILED),
        ),
        (
            Scenario::MissingIssuedAt,
            "bankid",
            Error("server_error", FAILED),
        ),
        (
            Scenario::MissingSubject,
            "bankid",
            Error("server_error", FAILED),
        ),
        (
            Scenario::ServerError,
            "bankid",
            Error("server_error", FAILED),
        ),
        // A slow person at the upstream is no fault of the broker's: the login completes.
        (Scenario::Slow { delay_ms: 20 }, "bankid", Success),
        (
            Scenario::TemporarilyUnavailable,
            "bankid",
            Error("temporarily_unavailable", FAILED),
        ),
        (
            Scenario::UserInfoSubjectMismatch,
            "bankid",
            Error("server_error", FAILED),
        ),
        (
            Scenario::WrongIssuerInResponse,
            "bankid",
            Error("server_error", FAILED),
        ),
    ]
}

/// The variant name of `scenario` (`Slow { .. }` → `Slow`).
fn variant(scenario: &Scenario) -> String {
    let debug = format!("{scenario:?}");
    debug
        .split([' ', '{', '('])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The scenarios of the table in `eid_idp_mock::scenario`'s documentation.
fn documented_scenarios() -> Vec<String> {
    let source = include_str!("../../../eid-idp-mock/src/scenario.rs");
    let names: Vec<String> = source
        .lines()
        .filter_map(|line| line.strip_prefix("//! | [`"))
        .filter_map(|rest| rest.split('`').next())
        .filter(|name| *name != "Scenario")
        .map(str::to_owned)
        .collect();
    assert!(names.len() >= 17, "{names:?}");
    names
}

#[test]
fn every_documented_scenario_has_a_row() {
    let rows: Vec<String> = rows().iter().map(|(s, _, _)| variant(s)).collect();
    for name in documented_scenarios() {
        assert!(rows.contains(&name), "no row for the scenario {name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_mock_fault_reaches_the_e_service_as_the_right_error_and_no_code() {
    let world = World::start(
        vec![
            UpstreamSpec::new("bankid", Profile::BankIdLike, vec![same(LOA3)]),
            UpstreamSpec::new("single", Profile::BankIdLike, vec![same(LOA3)])
                .with_key_set(KeySet::Single),
        ],
        vec![ClientSpec::new("svc", &[LOA3], "exact")],
        "store",
    )
    .await;
    let loa3 = || Requirement::new(vec![LOA3.parse().unwrap()], Matching::Exact).unwrap();
    let rows = rows();
    let mut failures = Vec::new();
    for (scenario, upstream, expect) in &rows {
        let mock = world.mock(upstream);
        mock.enqueue_scenario(scenario.clone());
        let rp = world.rp("svc");
        let params = [
            ("acr_values", LOA3),
            ("https://id.oidc.se/param/authnProvider", *upstream),
        ];
        let done = rp.login(&params, &Journey::person("astrid")).await;
        let case = format!("{scenario:?} at {upstream}");
        if mock.app().queued_scenarios() != 0 {
            failures.push(format!("{case}: the scenario was not used"));
        }
        let event = world.events.all().pop().unwrap();
        match expect {
            Error(code, outcome) => {
                if done.error.as_deref() != Some(*code) || done.code_returned {
                    failures.push(format!(
                        "{case}: expected {code}, got {:?} (code returned: {})",
                        done.error, done.code_returned
                    ));
                }
                if done.id_token.is_some() {
                    failures.push(format!("{case}: an ID token was issued"));
                }
                if event.outcome != *outcome {
                    failures.push(format!("{case}: reported as {:?}", event.outcome));
                }
            }
            Success => {
                if done.error.is_some() {
                    failures.push(format!("{case}: expected a login, got {:?}", done.error));
                } else {
                    let token = rp.verify(&world, &done, Some(loa3())).await;
                    assert_eq!(token.acr(), Some(LOA3.parse().unwrap()), "{case}");
                }
                if event.outcome != LoginOutcome::Success {
                    failures.push(format!("{case}: reported as {:?}", event.outcome));
                }
            }
        }
        // Nothing was half-issued: after a fault the browser has no broker session
        // (`prompt=none` fails), after a success it has one.
        let silent = rp
            .login(&[("prompt", "none"), params[0]], &Journey::default())
            .await;
        let has_session = silent.id_token.is_some();
        if has_session != (*expect == Success) || silent.upstream_logins != 0 {
            failures.push(format!(
                "{case}: prompt=none afterwards: {:?}",
                silent.error
            ));
        }
        // The broker is unharmed: the next login through the same upstream works.
        let next = world
            .rp("svc")
            .login(&params, &Journey::person("astrid"))
            .await;
        if next.error.is_some() {
            failures.push(format!("{case}: the next login failed: {:?}", next.error));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Each row: the faulty login and the next one (a silent answer from the session, or a
    // refused `prompt=none`, goes through no upstream and is no login event).
    assert_eq!(world.events.all().len(), rows.len() * 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upstream_that_is_down_is_temporarily_unavailable() {
    let mut world = World::start(
        vec![UpstreamSpec::new(
            "bankid",
            Profile::BankIdLike,
            vec![same(LOA3)],
        )],
        vec![ClientSpec::new("svc", &[LOA3], "exact")],
        "store",
    )
    .await;
    world.mocks.remove("bankid").unwrap().stop().await;
    let done = world
        .rp("svc")
        .login(&[("acr_values", LOA3)], &Journey::person("astrid"))
        .await;
    assert_eq!(done.error.as_deref(), Some("temporarily_unavailable"));
    assert!(!done.code_returned);
}

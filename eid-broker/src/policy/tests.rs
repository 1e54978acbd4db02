use eid_core::assurance::{AssurancePolicy, LevelOfAssurance as L, Matching, Requirement};
use eid_core::claims::{Identity, OrgAffiliation};
use eid_provider::OAuthErrorCode;

use super::{ClientPolicy, LoginRequest, OrgRefusal, Policy, UpstreamLevels};
use crate::upstream::{AcrEntry, AcrMapping};

fn upstream(id: &str, levels: &[(L, &str)]) -> UpstreamLevels {
    UpstreamLevels {
        id: id.to_owned(),
        issuer: format!("https://{id}.example"),
        acr: AcrMapping::new(
            levels
                .iter()
                .map(|(level, value)| AcrEntry::new(*level, *value))
                .collect(),
        )
        .unwrap(),
    }
}

fn upstreams() -> Vec<UpstreamLevels> {
    vec![
        // A Norwegian-style BankID: its own values, never the broker's URIs.
        upstream(
            "bankid",
            &[(L::Loa2, "urn:bankid:bis"), (L::Loa3, "urn:bankid:bid")],
        ),
        upstream("card", &[(L::Loa3, "card-3"), (L::Loa4, "card-4")]),
        upstream("node", &[(L::SwedenEidasNotifiedSubstantial, "nf-sub")]),
    ]
}

fn req(levels: &[L], matching: Matching) -> Requirement {
    Requirement::new(levels.to_vec(), matching).unwrap()
}

fn request<'a>(client: &'a str, requirement: Option<&'a Requirement>) -> LoginRequest<'a> {
    LoginRequest {
        client,
        requirement,
        authn_provider: None,
        login_hint: None,
    }
}

fn policy() -> Policy {
    Policy::new(upstreams(), AssurancePolicy::new())
        .with_client(
            "exact",
            ClientPolicy::new(req(&[L::Loa2, L::Loa3, L::Loa4], Matching::Exact)),
        )
        .with_client(
            "min3",
            ClientPolicy::new(req(&[L::Loa3], Matching::Minimum)),
        )
        .with_client(
            "bank-only",
            ClientPolicy::new(req(&[L::Loa3], Matching::Minimum))
                .with_upstreams(vec!["bankid".to_owned()]),
        )
}

fn ids(policy: &Policy, request: &LoginRequest<'_>) -> Vec<(String, Vec<L>)> {
    policy
        .plan_request(request)
        .unwrap()
        .candidates
        .into_iter()
        .map(|c| (c.upstream, c.levels))
        .collect()
}

#[test]
fn exact_requests_ask_each_upstream_only_for_the_requested_levels() {
    let policy = policy();
    let loa3 = req(&[L::Loa3], Matching::Exact);
    assert_eq!(
        ids(&policy, &request("exact", Some(&loa3))),
        [
            ("bankid".to_owned(), vec![L::Loa3]),
            ("card".to_owned(), vec![L::Loa3])
        ]
    );
    let ask = policy
        .plan_request(&request("exact", Some(&loa3)))
        .unwrap()
        .candidates
        .first()
        .unwrap()
        .ask()
        .unwrap();
    // What the connector sends: bankid's own value for loa3, never the broker's URI.
    assert_eq!(
        upstreams().first().unwrap().acr.request_values(&ask),
        ["urn:bankid:bid"]
    );
}

#[test]
fn minimum_requests_and_the_client_floor_combine() {
    let policy = policy();
    // Minimum loa2 asked by a client whose floor is loa3: loa2 never qualifies.
    let loa2 = req(&[L::Loa2], Matching::Minimum);
    assert_eq!(
        ids(&policy, &request("min3", Some(&loa2))),
        [
            ("bankid".to_owned(), vec![L::Loa3]),
            ("card".to_owned(), vec![L::Loa3, L::Loa4])
        ]
    );
    // No request: the client's default (its accepted levels).
    assert_eq!(
        ids(&policy, &request("min3", None)),
        ids(
            &policy,
            &request("min3", Some(&req(&[L::Loa3], Matching::Minimum)))
        )
    );
}

#[test]
fn nothing_that_can_meet_the_request_is_unmet() {
    let policy = policy();
    let loa4 = req(&[L::Loa4], Matching::Exact);
    let error = policy
        .plan_request(&request("bank-only", Some(&loa4)))
        .unwrap_err();
    assert_eq!(
        error.code(),
        OAuthErrorCode::UnmetAuthenticationRequirements
    );
    // Another framework: nobody maps eIDAS substantial itself.
    let eidas = req(&[L::EidasSubstantial], Matching::Minimum);
    let error = policy
        .plan_request(&request("exact", Some(&eidas)))
        .unwrap_err();
    assert_eq!(
        error.code(),
        OAuthErrorCode::UnmetAuthenticationRequirements
    );
    // An unknown client has no policy.
    let error = policy.plan_request(&request("stranger", None)).unwrap_err();
    assert_eq!(error.code(), OAuthErrorCode::AccessDenied);
}

#[test]
fn a_named_upstream_is_used_only_if_it_can_meet_the_level() {
    let policy = policy();
    let loa3 = req(&[L::Loa3], Matching::Exact);
    let mut named = request("exact", Some(&loa3));
    named.authn_provider = Some("https://card.example");
    let plan = policy.plan_request(&named).unwrap();
    assert_eq!(plan.direct().unwrap().upstream, "card");
    named.authn_provider = None;
    named.login_hint = Some("upstream:bankid");
    assert_eq!(
        policy
            .plan_request(&named)
            .unwrap()
            .direct()
            .unwrap()
            .upstream,
        "bankid"
    );
    named.login_hint = Some("upstream:node");
    let error = policy.plan_request(&named).unwrap_err();
    assert_eq!(
        error.code(),
        OAuthErrorCode::UnmetAuthenticationRequirements
    );
    named.login_hint = Some("someone@example.com");
    assert!(policy.plan_request(&named).unwrap().direct().is_none());
}

#[test]
fn the_answer_is_checked_again_and_equivalences_count_one_step() {
    let policy = policy();
    let loa3 = req(&[L::Loa3], Matching::Exact);
    let plan = policy.plan_request(&request("exact", Some(&loa3))).unwrap();
    assert_eq!(policy.accepts(&plan, L::Loa3), Some(L::Loa3));
    assert_eq!(policy.accepts(&plan, L::Loa2), None);
    assert_eq!(policy.accepts(&plan, L::Loa3NonResident), None);

    // eidas-sub asked exactly: the node (notified substantial) does not qualify, unless the
    // deployment declares that its notified substantial counts as eidas-sub.
    let client = ClientPolicy::new(req(&[L::SwedenEidasSubstantial], Matching::Exact));
    let undeclared =
        Policy::new(upstreams(), AssurancePolicy::new()).with_client("sub", client.clone());
    assert_eq!(
        undeclared
            .plan_request(&request("sub", None))
            .unwrap_err()
            .code(),
        OAuthErrorCode::UnmetAuthenticationRequirements
    );
    let declared = AssurancePolicy::new()
        .accept_as(L::SwedenEidasNotifiedSubstantial, L::SwedenEidasSubstantial)
        .unwrap();
    let policy = Policy::new(upstreams(), declared).with_client("sub", client);
    let plan = policy.plan_request(&request("sub", None)).unwrap();
    assert_eq!(plan.direct().unwrap().upstream, "node");
    assert!(
        policy
            .accepts(&plan, L::SwedenEidasNotifiedSubstantial)
            .is_some()
    );
    assert_eq!(policy.accepts(&plan, L::SwedenEidasNotifiedLow), None);
}

#[test]
fn organisations_and_required_claims_are_checked() {
    let org = "2021009994".parse().unwrap();
    let client = ClientPolicy::new(req(&[L::Loa3], Matching::Exact))
        .with_org_numbers(vec![org], OrgRefusal::AccessDenied);
    let employee = Identity::default().with_org_affiliation(
        "SE2021009994-E0001@2021009994"
            .parse::<OrgAffiliation>()
            .unwrap(),
    );
    assert!(client.check_identity(&employee).is_ok());
    let other = Identity::default().with_org_affiliation(
        "SE2120000001-E0002@2120000001"
            .parse::<OrgAffiliation>()
            .unwrap(),
    );
    assert_eq!(
        client.check_identity(&other).unwrap_err().code(),
        OAuthErrorCode::AccessDenied
    );
    assert_eq!(
        client
            .check_identity(&Identity::default())
            .unwrap_err()
            .code(),
        OAuthErrorCode::AccessDenied
    );
    let unmet = client.with_org_numbers(vec![org], OrgRefusal::Unmet);
    assert_eq!(
        unmet.check_identity(&other).unwrap_err().code(),
        OAuthErrorCode::UnmetAuthenticationRequirements
    );
    // orgNumber alone, without an affiliation, is read too.
    assert!(
        unmet
            .check_identity(&Identity::default().with_org_number(org))
            .is_ok()
    );

    let needs_name = ClientPolicy::new(req(&[L::Loa3], Matching::Exact))
        .with_required_claims(vec!["family_name".to_owned()]);
    assert!(
        needs_name
            .check_identity(&Identity::default().with_family_name("Andersson"))
            .is_ok()
    );
    assert_eq!(
        needs_name
            .check_identity(&Identity::default())
            .unwrap_err()
            .code(),
        OAuthErrorCode::AccessDenied
    );
}

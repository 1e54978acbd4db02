//! Which claims go where: scopes and the `claims` parameter, by OIDC-SE's delivery rules.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Claim, ClaimsRequest, IndividualClaimRequest, Scopes};

/// Where claims are delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Destination {
    /// In the ID token.
    IdToken,
    /// From the UserInfo endpoint.
    UserInfo,
}

/// How one released claim was asked for.
#[derive(Clone, Debug, Default, PartialEq)]
struct Requested {
    essential: bool,
    /// `value`/`values` constraints from the `claims` parameter; all must permit the value.
    constraints: Vec<IndividualClaimRequest>,
}

/// The claims to release at one [`Destination`], computed from the requested scopes and the
/// `claims` request parameter by OIDC-SE's delivery rules (§4, claims specification §2.3):
///
/// 1. each requested scope releases its claims at the scope's destinations
///    ([`Scope::claims`](super::Scope::claims));
/// 2. the `claims` parameter adds each known claim requested at this destination; a claim asked
///    for in the ID token that also belongs to a requested UserInfo scope still goes to UserInfo
///    (rule 1);
/// 3. authentication-information claims (`userCertificate`, `userSignature`,
///    `credentialValid*`, `deviceIp`, `authnEvidence`, `authnProvider`) requested for UserInfo
///    are also released in the ID token, where OIDC-SE says they SHOULD go (design reading);
/// 4. `essential` is the OR of the scope's flag and the request's; `value`/`values` constraints
///    are kept, and a claim whose value does not satisfy them is withheld by
///    [`Identity::to_oidc_claims`](super::Identity::to_oidc_claims).
///
/// Nothing else is released: no identity claim without a scope, a `claims` request or an
/// explicitly agreed policy ([`Release::with_claim`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Release {
    destination: Destination,
    claims: BTreeMap<Claim, Requested>,
}

impl Release {
    /// Computes the release at `destination` from `scopes` and an optional `claims` parameter.
    pub fn new(scopes: &Scopes, request: Option<&ClaimsRequest>, destination: Destination) -> Self {
        let mut release = Self {
            destination,
            claims: BTreeMap::new(),
        };
        for scope in scopes.iter() {
            for sc in scope.claims() {
                let here = match destination {
                    Destination::IdToken => sc.id_token,
                    Destination::UserInfo => sc.userinfo,
                };
                if here {
                    release.add(sc.claim, sc.essential, None);
                }
            }
        }
        if let Some(request) = request {
            for (name, individual) in request.requested(destination) {
                if let Some(claim) = Claim::from_name(name) {
                    let essential = individual.is_some_and(IndividualClaimRequest::is_essential);
                    release.add(claim, essential, individual);
                }
            }
            if destination == Destination::IdToken {
                for (name, individual) in request.requested(Destination::UserInfo) {
                    match Claim::from_name(name) {
                        Some(claim) if claim.is_authentication_information() => {
                            let essential =
                                individual.is_some_and(IndividualClaimRequest::is_essential);
                            release.add(claim, essential, individual);
                        }
                        _ => {}
                    }
                }
            }
        }
        release
    }

    /// Releases every claim at `destination`, voluntary and unconstrained: for trusted
    /// internal hand-over (e.g. broker to its own store) and round-trip tests.
    pub fn full(destination: Destination) -> Self {
        let mut release = Self {
            destination,
            claims: BTreeMap::new(),
        };
        for claim in Claim::ALL {
            release.add(*claim, false, None);
        }
        release
    }

    /// Adds `claim`, voluntary and unconstrained, as released by an agreed policy.
    #[must_use]
    pub fn with_claim(mut self, claim: Claim) -> Self {
        self.add(claim, false, None);
        self
    }

    fn add(&mut self, claim: Claim, essential: bool, request: Option<&IndividualClaimRequest>) {
        let entry = self.claims.entry(claim).or_default();
        entry.essential |= essential;
        if let Some(r) = request
            && (r.value().is_some() || r.values().is_some())
        {
            entry.constraints.push(r.clone());
        }
    }

    /// The destination this release is for.
    pub fn destination(&self) -> Destination {
        self.destination
    }

    /// Whether `claim` is released.
    pub fn contains(&self, claim: Claim) -> bool {
        self.claims.contains_key(&claim)
    }

    /// Whether `claim` is released and essential.
    pub fn is_essential(&self, claim: Claim) -> bool {
        self.claims.get(&claim).is_some_and(|r| r.essential)
    }

    /// The released claims, in [`Claim`] order.
    pub fn claims(&self) -> impl Iterator<Item = Claim> + '_ {
        self.claims.keys().copied()
    }

    /// Whether `claim` is released and `value` satisfies every `value`/`values` constraint.
    pub fn permits(&self, claim: Claim, value: &Value) -> bool {
        self.claims
            .get(&claim)
            .is_some_and(|r| r.constraints.iter().all(|c| c.permits(value)))
    }
}

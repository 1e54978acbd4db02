//! Assurance policy: which levels a client accepts, which upstreams may serve it, and what
//! each upstream is asked for.
//!
//! The client's own `acr_values` are never forwarded. A level `L` of an upstream's
//! [`AcrMapping`] *qualifies* for a login when it meets both
//!
//! - the request's requirement (the essential `acr`, else `acr_values`, else the client's
//!   default levels; matched exactly or as a minimum, as the client is configured), and
//! - the client's accepted levels (the same matching),
//!
//! each also through the deployment's declared equivalences ([`AssurancePolicy`]). An upstream
//! can serve the login when it is allowed for the client and at least one of its levels
//! qualifies; it is then asked for exactly its qualifying levels (as an exact requirement,
//! which the connector maps to that upstream's own values). No upstream: the login fails with
//! `unmet_authentication_requirements`. The level the upstream answers with is checked again
//! against the same rule before anything is issued ([`Policy::accepts`]).
//!
//! Step-up needs nothing special here: the engine reuses a broker session only when its level
//! meets the request (with the client's matching and default levels, see
//! [`eid_provider::client::Client::default_acr_values`]); otherwise it starts a login, this
//! policy sends the person upstream for the higher level, and the new `acr` and `auth_time`
//! replace the session's.
//!
//! Workplace clients may list organisation numbers: the person's `orgAffiliation` (or, without
//! one, `orgNumber`) must name one of them, else the login is refused with `access_denied`
//! (the default: the person is not allowed) or `unmet_authentication_requirements` (when the
//! client prefers to treat it as an unmet requirement), as [`OrgRefusal`] is configured.
//! Required claims missing from what the upstream delivered refuse the login with
//! `access_denied`.

use std::collections::BTreeSet;

use eid_core::assurance::{AssurancePolicy, LevelOfAssurance, Matching, Requirement};
use eid_core::claims::{Destination, Identity, Release};
use eid_core::identifier::OrganisationNumber;
use eid_provider::provider::PendingLogin;
use eid_provider::{OAuthError, OAuthErrorCode};
use serde::Deserialize;

use crate::upstream::AcrMapping;

/// The `login_hint` prefix that names an upstream: `upstream:<id>`.
pub const UPSTREAM_HINT_PREFIX: &str = "upstream:";

/// What is answered when the person's organisation is not one the client accepts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgRefusal {
    /// `access_denied` (default).
    #[default]
    AccessDenied,
    /// `unmet_authentication_requirements`.
    Unmet,
}

impl OrgRefusal {
    /// The OAuth error code.
    pub fn code(self) -> OAuthErrorCode {
        match self {
            Self::AccessDenied => OAuthErrorCode::AccessDenied,
            Self::Unmet => OAuthErrorCode::UnmetAuthenticationRequirements,
        }
    }
}

/// One client's policy.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientPolicy {
    /// The levels the client accepts (never empty).
    pub accepted: Requirement,
    /// The levels required when a request names none (never empty).
    pub default_levels: Vec<LevelOfAssurance>,
    /// The upstreams that may serve it; `None` means all.
    pub upstreams: Option<Vec<String>>,
    /// Claims (OIDC names) that must be in the upstream's delivery.
    pub required_claims: Vec<String>,
    /// Accepted organisations; empty means no organisation check.
    pub org_numbers: Vec<OrganisationNumber>,
    /// What a refused organisation is answered with.
    pub org_refusal: OrgRefusal,
}

impl ClientPolicy {
    /// A policy accepting `accepted`, with the same levels as default, every upstream, no
    /// required claims and no organisation check.
    pub fn new(accepted: Requirement) -> Self {
        Self {
            default_levels: accepted.levels().to_vec(),
            accepted,
            upstreams: None,
            required_claims: Vec::new(),
            org_numbers: Vec::new(),
            org_refusal: OrgRefusal::default(),
        }
    }

    /// With default levels (ignored when empty).
    #[must_use]
    pub fn with_default_levels(mut self, levels: Vec<LevelOfAssurance>) -> Self {
        if !levels.is_empty() {
            self.default_levels = levels;
        }
        self
    }

    /// Only these upstreams.
    #[must_use]
    pub fn with_upstreams(mut self, upstreams: Vec<String>) -> Self {
        self.upstreams = Some(upstreams);
        self
    }

    /// With required claims.
    #[must_use]
    pub fn with_required_claims(mut self, claims: Vec<String>) -> Self {
        self.required_claims = claims;
        self
    }

    /// With accepted organisations, refused as `refusal`.
    #[must_use]
    pub fn with_org_numbers(mut self, orgs: Vec<OrganisationNumber>, refusal: OrgRefusal) -> Self {
        self.org_numbers = orgs;
        self.org_refusal = refusal;
        self
    }

    /// How the client's levels are matched.
    pub fn matching(&self) -> Matching {
        self.accepted.matching()
    }

    fn allows_upstream(&self, id: &str) -> bool {
        self.upstreams
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|allowed| allowed == id))
    }

    /// Checks the organisation and the required claims of `identity`.
    ///
    /// # Errors
    ///
    /// The [`OAuthError`] to answer the client with.
    pub fn check_identity(&self, identity: &Identity) -> Result<(), OAuthError> {
        if !self.org_numbers.is_empty() {
            let org = identity
                .org_affiliation()
                .map(|affiliation| affiliation.org_number())
                .or_else(|| identity.org_number());
            if !org.is_some_and(|org| self.org_numbers.contains(org)) {
                return Err(OAuthError::new(
                    self.org_refusal.code(),
                    "the person's organisation is not one this service accepts",
                ));
            }
        }
        if !self.required_claims.is_empty() {
            let delivered = identity.to_oidc_claims(&Release::full(Destination::UserInfo));
            if let Some(missing) = self
                .required_claims
                .iter()
                .find(|claim| !delivered.contains_key(claim.as_str()))
            {
                tracing::info!(claim = %missing, "a required claim was not delivered");
                return Err(OAuthError::new(
                    OAuthErrorCode::AccessDenied,
                    "the identity provider did not deliver the claims this service requires",
                ));
            }
        }
        Ok(())
    }
}

/// One upstream as the policy sees it: its id, issuer and levels.
#[derive(Clone, Debug)]
pub struct UpstreamLevels {
    /// The upstream's id.
    pub id: String,
    /// Its issuer (an `authnProvider` may name it).
    pub issuer: String,
    /// Its acr mapping.
    pub acr: AcrMapping,
}

/// An upstream that can serve a login, and the levels it is asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The upstream's id.
    pub upstream: String,
    /// Its qualifying levels, in its configuration order (never empty).
    pub levels: Vec<LevelOfAssurance>,
}

impl Candidate {
    /// The requirement sent to the connector: exactly the qualifying levels.
    ///
    /// # Errors
    ///
    /// `server_error` if the levels are no requirement (cannot happen for a built plan).
    pub fn ask(&self) -> Result<Requirement, OAuthError> {
        Requirement::new(self.levels.clone(), Matching::Exact)
            .map_err(|_| OAuthError::server_error("no levels to ask an upstream for"))
    }
}

/// What the policy decided for one login.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The request's requirement (the client's default when the request named none).
    pub requested: Option<Requirement>,
    /// The client's accepted levels.
    pub accepted: Requirement,
    /// The upstreams that can serve the login, in configuration order (never empty).
    pub candidates: Vec<Candidate>,
    /// The upstream the request named (by `authnProvider` or `login_hint=upstream:<id>`),
    /// when it is among the candidates.
    pub named: Option<String>,
}

impl Plan {
    /// The candidate `id`, if it is one.
    pub fn candidate(&self, id: &str) -> Option<&Candidate> {
        self.candidates.iter().find(|c| c.upstream == id)
    }

    /// The one upstream to use without asking the person: the named one, or the only
    /// candidate.
    pub fn direct(&self) -> Option<&Candidate> {
        match &self.named {
            Some(named) => self.candidate(named),
            None if self.candidates.len() == 1 => self.candidates.first(),
            None => None,
        }
    }
}

/// What the policy reads of a pending login.
#[derive(Clone, Copy, Debug)]
pub struct LoginRequest<'a> {
    /// The client id.
    pub client: &'a str,
    /// The level the request requires (the engine puts the client's default levels here when
    /// the request names none).
    pub requirement: Option<&'a Requirement>,
    /// `https://id.oidc.se/param/authnProvider`.
    pub authn_provider: Option<&'a str>,
    /// `login_hint`.
    pub login_hint: Option<&'a str>,
}

/// Every client's policy and every upstream's levels.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    clients: Vec<(String, ClientPolicy)>,
    upstreams: Vec<UpstreamLevels>,
    equivalences: AssurancePolicy,
}

fn unmet(description: &str) -> OAuthError {
    OAuthError::new(OAuthErrorCode::UnmetAuthenticationRequirements, description)
}

impl Policy {
    /// A policy over `upstreams` (in the order the choice page lists them), with the
    /// deployment's declared `equivalences`.
    pub fn new(upstreams: Vec<UpstreamLevels>, equivalences: AssurancePolicy) -> Self {
        Self {
            clients: Vec::new(),
            upstreams,
            equivalences,
        }
    }

    /// With `client`'s policy.
    #[must_use]
    pub fn with_client(mut self, client: impl Into<String>, policy: ClientPolicy) -> Self {
        self.clients.push((client.into(), policy));
        self
    }

    /// The policy of `client`.
    pub fn client(&self, client: &str) -> Option<&ClientPolicy> {
        self.clients
            .iter()
            .find(|(id, _)| id == client)
            .map(|(_, policy)| policy)
    }

    /// The upstreams, in order.
    pub fn upstreams(&self) -> &[UpstreamLevels] {
        &self.upstreams
    }

    /// Every level some upstream offers (for the broker's `acr_values_supported`).
    pub fn offered_levels(&self) -> Vec<LevelOfAssurance> {
        let mut seen = BTreeSet::new();
        let mut levels = Vec::new();
        for upstream in &self.upstreams {
            for entry in upstream.acr.entries() {
                if seen.insert(entry.level.as_uri()) {
                    levels.push(entry.level);
                }
            }
        }
        levels
    }

    /// Whether `level` meets `requirement`, directly or through a declared equivalence.
    fn meets(&self, requirement: &Requirement, level: LevelOfAssurance) -> bool {
        requirement.is_satisfied_by_with(level, &self.equivalences)
    }

    /// Whether an upstream's `level` qualifies for a login of `client` with `requested`.
    fn qualifies(
        &self,
        client: &ClientPolicy,
        requested: Option<&Requirement>,
        level: LevelOfAssurance,
    ) -> bool {
        self.meets(&client.accepted, level)
            && requested.is_none_or(|requested| self.meets(requested, level))
    }

    /// The plan for `login`: the requirement and the upstreams that can meet it.
    ///
    /// # Errors
    ///
    /// As [`plan_request`](Self::plan_request).
    pub fn plan(&self, login: &PendingLogin) -> Result<Plan, OAuthError> {
        self.plan_request(&LoginRequest {
            client: login.client_id.as_str(),
            requirement: login.requirement.as_ref(),
            authn_provider: login.authn_provider.as_deref(),
            login_hint: login.login_hint.as_deref(),
        })
    }

    /// The plan for `request`.
    ///
    /// # Errors
    ///
    /// `unmet_authentication_requirements` when no upstream allowed for the client can meet
    /// the request, or the request names an upstream that cannot; `access_denied` when the
    /// client has no policy.
    pub fn plan_request(&self, request: &LoginRequest<'_>) -> Result<Plan, OAuthError> {
        let Some(client) = self.client(request.client) else {
            return Err(OAuthError::new(
                OAuthErrorCode::AccessDenied,
                "the client has no login policy",
            ));
        };
        let requested = match request.requirement {
            Some(requirement) => Some(requirement.clone()),
            None if client.default_levels.is_empty() => None,
            None => Some(
                Requirement::new(client.default_levels.clone(), client.matching())
                    .map_err(|_| OAuthError::server_error("the default levels are invalid"))?,
            ),
        };
        let candidates: Vec<Candidate> = self
            .upstreams
            .iter()
            .filter(|upstream| client.allows_upstream(&upstream.id))
            .filter_map(|upstream| {
                let levels: Vec<LevelOfAssurance> = upstream
                    .acr
                    .entries()
                    .iter()
                    .map(|entry| entry.level)
                    .filter(|level| self.qualifies(client, requested.as_ref(), *level))
                    .collect();
                (!levels.is_empty()).then(|| Candidate {
                    upstream: upstream.id.clone(),
                    levels,
                })
            })
            .collect();
        if candidates.is_empty() {
            return Err(unmet(
                "no identity provider of this service can meet the requested level",
            ));
        }
        let named = match self.named_upstream(request) {
            Some(named) => {
                if !candidates.iter().any(|c| c.upstream == named) {
                    return Err(unmet(
                        "the requested identity provider cannot meet the requested level",
                    ));
                }
                Some(named)
            }
            None => None,
        };
        Ok(Plan {
            requested,
            accepted: client.accepted.clone(),
            candidates,
            named,
        })
    }

    /// The upstream named by `authnProvider` (an upstream's id or issuer) or by
    /// `login_hint=upstream:<id>`. A name that matches no upstream names one nobody can use:
    /// it is returned as is, and the plan refuses it.
    fn named_upstream(&self, request: &LoginRequest<'_>) -> Option<String> {
        if let Some(provider) = request.authn_provider {
            let found = self
                .upstreams
                .iter()
                .find(|u| u.id == provider || u.issuer == provider);
            return Some(found.map_or_else(|| provider.to_owned(), |u| u.id.clone()));
        }
        request
            .login_hint
            .and_then(|hint| hint.strip_prefix(UPSTREAM_HINT_PREFIX))
            .map(str::to_owned)
    }

    /// Whether the level an upstream asserted is acceptable under `plan`, and the level to
    /// report to the engine: the asserted level when the request answers it, else a level it
    /// is declared to count as that the request answers.
    pub fn accepts(&self, plan: &Plan, asserted: LevelOfAssurance) -> Option<LevelOfAssurance> {
        if !self.meets(&plan.accepted, asserted)
            || !plan
                .requested
                .as_ref()
                .is_none_or(|requested| self.meets(requested, asserted))
        {
            return None;
        }
        let Some(requested) = &plan.requested else {
            return Some(asserted);
        };
        if requested.answer_for(asserted).is_some() {
            return Some(asserted);
        }
        self.equivalences
            .counts_as(asserted)
            .find(|level| requested.answer_for(*level).is_some())
            .or(Some(asserted))
    }
}

#[cfg(test)]
mod tests;

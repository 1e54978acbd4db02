//! The runtime control API (off by default; [`MockConfig::control_api`](crate::MockConfig)):
//! JSON over HTTP, to script the next logins of a mock that runs in another process.
//!
//! - `POST /mock/scenario` with a [`Scenario`] (`{"scenario": "invalid_issuer"}`): queued for
//!   the next login. `204 No Content`.
//! - `POST /mock/next-claims` with `{"claims": {…}, "acr": "…"}`: the next login delivers these
//!   claims (an OpenID Connect claims map, read by
//!   [`Identity::from_oidc_claims`](eid_core::claims::Identity::from_oidc_claims)) instead of the
//!   person's, and, if given, at this `acr`. `204 No Content`.
//!
//! Errors are `400` with `{"error": "invalid_request", "error_description": "…"}`; a body that
//! is not `application/json` is `415`. When the API is off, these paths do not exist (`404`).
//!
//! In Rust tests, call [`MockIdp::enqueue_scenario`](crate::MockIdp::enqueue_scenario) and
//! [`MockIdp::enqueue_claims`](crate::MockIdp::enqueue_claims) instead.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use eid_core::assurance::LevelOfAssurance;
use eid_core::claims::{ClaimsError, Identity};
use eid_core::clock::UnixTime;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::scenario::Scenario;
use crate::server::Shared;

/// The path of the scenario queue.
pub const SCENARIO_PATH: &str = "/mock/scenario";

/// The path of the next-claims queue.
pub const NEXT_CLAIMS_PATH: &str = "/mock/next-claims";

/// The largest control request body.
const MAX_BODY: usize = 64 * 1024;

/// What the next login delivers instead of the chosen person's identity.
#[derive(Clone, Debug)]
pub struct NextClaims {
    identity: Identity,
    acr: Option<LevelOfAssurance>,
}

impl NextClaims {
    /// Deliver `identity`.
    pub fn new(identity: Identity) -> Self {
        Self {
            identity,
            acr: None,
        }
    }

    /// Deliver the claims of an OpenID Connect claims map, read on the date of `now`.
    ///
    /// # Errors
    /// The [`ClaimsError`] of the first malformed claim.
    pub fn from_claims(claims: &Map<String, Value>, now: UnixTime) -> Result<Self, ClaimsError> {
        Identity::from_oidc_claims(claims, now.date()).map(Self::new)
    }

    /// At level `acr` instead of the person's or the profile's.
    #[must_use]
    pub fn with_acr(mut self, acr: LevelOfAssurance) -> Self {
        self.acr = Some(acr);
        self
    }

    /// The identity.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The level, if set.
    pub fn acr(&self) -> Option<LevelOfAssurance> {
        self.acr
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NextClaimsBody {
    claims: Map<String, Value>,
    #[serde(default)]
    acr: Option<String>,
}

/// The control routes.
pub(crate) fn routes(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(SCENARIO_PATH, post(scenario))
        .route(NEXT_CLAIMS_PATH, post(next_claims))
        .with_state(shared)
}

fn invalid(description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(json!({ "error": "invalid_request", "error_description": description })),
    )
        .into_response()
}

/// Why a control request's body was refused.
#[derive(Clone, Copy, Debug)]
enum BodyProblem {
    /// Not JSON.
    Invalid,
    /// Not `application/json`.
    MediaType,
    /// Larger than the limit.
    TooLarge,
}

impl IntoResponse for BodyProblem {
    fn into_response(self) -> Response {
        match self {
            Self::Invalid => invalid("the body is not the expected JSON"),
            Self::MediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response(),
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        }
    }
}

/// The JSON body.
fn json_body<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<T, BodyProblem> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(BodyProblem::MediaType);
    }
    if body.len() > MAX_BODY {
        return Err(BodyProblem::TooLarge);
    }
    serde_json::from_slice(body).map_err(|_| BodyProblem::Invalid)
}

async fn scenario(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    match json_body::<Scenario>(&headers, &body) {
        Ok(scenario) => {
            shared.book.enqueue(scenario);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(problem) => problem.into_response(),
    }
}

async fn next_claims(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let parsed = match json_body::<NextClaimsBody>(&headers, &body) {
        Ok(parsed) => parsed,
        Err(problem) => return problem.into_response(),
    };
    let mut next = match NextClaims::from_claims(&parsed.claims, shared.clock.now()) {
        Ok(next) => next,
        Err(error) => return invalid(&format!("claims: {error}")),
    };
    if let Some(acr) = parsed.acr {
        match acr.parse::<LevelOfAssurance>() {
            Ok(level) => {
                if next.identity.check_level(level).is_err() {
                    return invalid(
                        "acr: a personal identity number is not permitted at this level",
                    );
                }
                next = next.with_acr(level);
            }
            Err(_) => return invalid("acr: not a known level"),
        }
    }
    shared.enqueue_claims(next);
    StatusCode::NO_CONTENT.into_response()
}

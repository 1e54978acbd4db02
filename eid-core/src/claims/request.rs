//! The `claims` request parameter (OpenID Connect Core §5.5).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ClaimsError, Destination};
use crate::assurance::{Matching, Requirement};

/// The `claims` request parameter: the claims requested per destination (OIDC Core §5.5).
///
/// An entry's value is `None` (JSON `null`) for a plain request, or an
/// [`IndividualClaimRequest`] with `essential`, `value` or `values`. Claim names are kept as
/// sent, including ones we do not know (`acr`, `auth_time`, …).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    userinfo: Option<BTreeMap<String, Option<IndividualClaimRequest>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<BTreeMap<String, Option<IndividualClaimRequest>>>,
}

/// How one claim is requested (OIDC Core §5.5.1). `Debug` does not print requested values (a
/// request may name a personnummer).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndividualClaimRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    essential: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    values: Option<Vec<Value>>,
}

impl fmt::Debug for IndividualClaimRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IndividualClaimRequest")
            .field("essential", &self.essential)
            .field("value", &self.value.as_ref().map(|_| "[redacted]"))
            .field("values", &self.values.as_ref().map(Vec::len))
            .finish()
    }
}

impl IndividualClaimRequest {
    /// A request marked `essential`.
    pub fn essential() -> Self {
        Self {
            essential: Some(true),
            ..Self::default()
        }
    }

    /// A request for one particular value.
    #[must_use]
    pub fn with_value(mut self, value: Value) -> Self {
        self.value = Some(value);
        self
    }

    /// A request for one of several values, in order of preference.
    #[must_use]
    pub fn with_values(mut self, values: Vec<Value>) -> Self {
        self.values = Some(values);
        self
    }

    /// Whether the claim is requested as essential (absent means voluntary).
    pub fn is_essential(&self) -> bool {
        self.essential == Some(true)
    }

    /// The requested `value`, if any.
    pub fn value(&self) -> Option<&Value> {
        self.value.as_ref()
    }

    /// The requested `values`, if any.
    pub fn values(&self) -> Option<&[Value]> {
        self.values.as_deref()
    }

    /// Whether `actual` satisfies the `value`/`values` constraint (true when there is none).
    pub fn permits(&self, actual: &Value) -> bool {
        let value_ok = self.value.as_ref().is_none_or(|v| v == actual);
        let values_ok = self.values.as_ref().is_none_or(|vs| vs.contains(actual));
        value_ok && values_ok
    }
}

impl ClaimsRequest {
    /// Largest accepted JSON text of a `claims` parameter, in bytes.
    pub const MAX_JSON_LEN: usize = 16 * 1024;
    /// Most claims requested per destination.
    pub const MAX_CLAIMS_PER_DESTINATION: usize = 100;

    /// Parses the JSON text of a `claims` request parameter.
    ///
    /// # Errors
    ///
    /// [`ClaimsError::ClaimsRequestTooLarge`] past [`ClaimsRequest::MAX_JSON_LEN`] bytes,
    /// [`ClaimsError::MalformedClaimsRequest`] if it is not a JSON object of the §5.5 shape,
    /// [`ClaimsError::TooManyRequestedClaims`] past
    /// [`ClaimsRequest::MAX_CLAIMS_PER_DESTINATION`] entries in one destination.
    pub fn from_json(json: &str) -> Result<Self, ClaimsError> {
        if json.len() > Self::MAX_JSON_LEN {
            return Err(ClaimsError::ClaimsRequestTooLarge {
                len: json.len(),
                max: Self::MAX_JSON_LEN,
            });
        }
        let request: Self =
            serde_json::from_str(json).map_err(|e| ClaimsError::MalformedClaimsRequest {
                line: e.line(),
                column: e.column(),
            })?;
        for map in [&request.userinfo, &request.id_token].into_iter().flatten() {
            if map.len() > Self::MAX_CLAIMS_PER_DESTINATION {
                return Err(ClaimsError::TooManyRequestedClaims {
                    count: map.len(),
                    max: Self::MAX_CLAIMS_PER_DESTINATION,
                });
            }
        }
        Ok(request)
    }

    /// Adds a request for claim `name` at `destination`; `None` is a plain (`null`) request.
    #[must_use]
    pub fn with(
        mut self,
        destination: Destination,
        name: &str,
        request: Option<IndividualClaimRequest>,
    ) -> Self {
        let map = match destination {
            Destination::IdToken => &mut self.id_token,
            Destination::UserInfo => &mut self.userinfo,
        };
        map.get_or_insert_with(BTreeMap::new)
            .insert(name.to_owned(), request);
        self
    }

    /// The claims requested at `destination`, by name, in name order.
    pub fn requested(
        &self,
        destination: Destination,
    ) -> impl Iterator<Item = (&str, Option<&IndividualClaimRequest>)> + '_ {
        let map = match destination {
            Destination::IdToken => &self.id_token,
            Destination::UserInfo => &self.userinfo,
        };
        map.iter()
            .flatten()
            .map(|(name, request)| (name.as_str(), request.as_ref()))
    }

    /// How claim `name` is requested at `destination`: `None` if it is not requested,
    /// `Some(None)` for a plain request.
    pub fn get(
        &self,
        destination: Destination,
        name: &str,
    ) -> Option<Option<&IndividualClaimRequest>> {
        let map = match destination {
            Destination::IdToken => &self.id_token,
            Destination::UserInfo => &self.userinfo,
        };
        map.as_ref().and_then(|m| m.get(name)).map(Option::as_ref)
    }

    /// The `acr` request in the ID token (an essential `acr` with `values` is a hard
    /// requirement, OIDC-SE §2.1.6).
    pub fn acr(&self) -> Option<Option<&IndividualClaimRequest>> {
        self.get(Destination::IdToken, "acr")
    }

    /// The hard `acr` requirement of this request: an **essential** `acr` in the ID token with
    /// `value` or `values` (OIDC-SE §2.1.6, OIDC Core §5.5.1.1), as a [`Requirement`] under
    /// `matching`. `None` if `acr` is absent, voluntary or unconstrained (voluntary values are
    /// like `acr_values`: a preference, left to the caller).
    ///
    /// # Errors
    ///
    /// [`ClaimsError::InvalidAcrRequest`] if a requested value is not a string or not a level we
    /// know (an essential requirement we cannot understand cannot be met).
    pub fn essential_acr(&self, matching: Matching) -> Result<Option<Requirement>, ClaimsError> {
        let Some(Some(acr)) = self.acr() else {
            return Ok(None);
        };
        if !acr.is_essential() {
            return Ok(None);
        }
        let requested: Vec<&Value> = acr
            .value()
            .into_iter()
            .chain(acr.values().unwrap_or_default())
            .collect();
        if requested.is_empty() {
            return Ok(None);
        }
        let invalid = |source| ClaimsError::InvalidAcrRequest { source };
        let levels = requested
            .into_iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| invalid(None))?
                    .parse()
                    .map_err(|e| invalid(Some(e)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Requirement::new(levels, matching)
            .map(Some)
            .map_err(|e| invalid(Some(e)))
    }
}

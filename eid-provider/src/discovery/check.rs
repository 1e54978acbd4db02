//! The rules of the Swedish profile and the conformance suite on a metadata document.

use eid_core::jose::JwsAlgorithm;

use super::DiscoveryError;
use super::issuer::check_url;
use super::metadata::Document;

/// The profile's rules (module documentation).
pub(super) fn check(d: &Document) -> Result<(), DiscoveryError> {
    let endpoint = |field: &'static str, value: &str| {
        check_url(value, true)
            .map(|_| ())
            .map_err(|problem| DiscoveryError::InvalidEndpoint { field, problem })
    };
    endpoint("authorization_endpoint", &d.authorization_endpoint)?;
    endpoint("token_endpoint", &d.token_endpoint)?;
    endpoint("userinfo_endpoint", &d.userinfo_endpoint)?;
    endpoint("jwks_uri", &d.jwks_uri)?;
    let optional = [
        (
            "pushed_authorization_request_endpoint",
            &d.pushed_authorization_request_endpoint,
        ),
        ("end_session_endpoint", &d.end_session_endpoint),
        ("revocation_endpoint", &d.revocation_endpoint),
        ("introspection_endpoint", &d.introspection_endpoint),
        ("service_documentation", &d.service_documentation),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            endpoint(field, value)?;
        }
    }
    if d.require_pushed_authorization_requests && d.pushed_authorization_request_endpoint.is_none()
    {
        return Err(DiscoveryError::MissingValue {
            field: "pushed_authorization_request_endpoint",
            value: "a URL when PAR is required",
        });
    }
    let contains = |field: &'static str, list: &[String], value: &'static str| {
        if list.iter().any(|item| item == value) {
            Ok(())
        } else {
            Err(DiscoveryError::MissingValue { field, value })
        }
    };
    contains("scopes_supported", &d.scopes_supported, "openid")?;
    contains(
        "response_types_supported",
        &d.response_types_supported,
        "code",
    )?;
    contains(
        "subject_types_supported",
        &d.subject_types_supported,
        "public",
    )?;
    contains(
        "grant_types_supported",
        &d.grant_types_supported,
        "authorization_code",
    )?;
    contains(
        "token_endpoint_auth_methods_supported",
        &d.token_endpoint_auth_methods_supported,
        "private_key_jwt",
    )?;
    contains(
        "code_challenge_methods_supported",
        &d.code_challenge_methods_supported,
        "S256",
    )?;
    contains("ui_locales_supported", &d.ui_locales_supported, "sv")?;
    contains("ui_locales_supported", &d.ui_locales_supported, "en")?;
    if d.code_challenge_methods_supported
        .iter()
        .any(|m| m == "plain")
    {
        return Err(DiscoveryError::ForbiddenValue {
            field: "code_challenge_methods_supported",
            value: "plain",
        });
    }
    for (field, algorithm) in [
        (
            "token_endpoint_auth_signing_alg_values_supported",
            JwsAlgorithm::Rs256,
        ),
        (
            "token_endpoint_auth_signing_alg_values_supported",
            JwsAlgorithm::Es256,
        ),
    ] {
        if !d
            .token_endpoint_auth_signing_alg_values_supported
            .contains(&algorithm)
        {
            return Err(DiscoveryError::MissingValue {
                field,
                value: algorithm.as_str(),
            });
        }
    }
    if d.id_token_signing_alg_values_supported.is_empty() {
        return Err(DiscoveryError::MissingValue {
            field: "id_token_signing_alg_values_supported",
            value: "an algorithm",
        });
    }
    for (field, value) in [
        ("claims_parameter_supported", d.claims_parameter_supported),
        ("request_parameter_supported", d.request_parameter_supported),
        (
            "authorization_response_iss_parameter_supported",
            d.authorization_response_iss_parameter_supported,
        ),
    ] {
        if !value {
            return Err(DiscoveryError::WrongFlag {
                field,
                required: true,
            });
        }
    }
    Ok(())
}

//! Reading requests: form bodies and query strings into [`Parameters`], client credentials, the
//! bearer token, and the session cookie. Every failure is a [`Rejection`]: a status and an
//! [`OAuthError`] that the endpoint renders in its own format.

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use percent_encoding::percent_decode;

use crate::client::ClientCredentials;
use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::store::SessionId;

/// The largest request body read, in bytes (64 KiB); a larger one is answered with 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "eid_session";

/// The media type of every form body.
const FORM_MEDIA_TYPE: &str = "application/x-www-form-urlencoded";

/// A request that is refused before it reaches the protocol logic.
#[derive(Debug)]
pub(crate) struct Rejection {
    /// The status to answer with.
    pub(crate) status: StatusCode,
    /// The error to show.
    pub(crate) error: OAuthError,
}

impl Rejection {
    fn new(status: StatusCode, description: &str) -> Self {
        Self {
            status,
            error: OAuthError::invalid_request(description),
        }
    }

    fn bad(error: OAuthError) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error,
        }
    }
}

/// Parses an `application/x-www-form-urlencoded` string strictly: every name and value must be
/// UTF-8 once percent-decoded (a lossy decoding would let a malformed value through changed).
///
/// # Errors
/// `invalid_request` when the input is malformed or over the limits of [`Parameters`].
pub(crate) fn parse_urlencoded(input: &[u8]) -> Result<Parameters, OAuthError> {
    let mut pairs = Vec::new();
    for segment in input.split(|&b| b == b'&') {
        if segment.is_empty() {
            continue;
        }
        if pairs.len() >= crate::params::MAX_PARAMETERS {
            return Err(OAuthError::invalid_request("too many parameters"));
        }
        let (name, value) = match segment.iter().position(|&b| b == b'=') {
            Some(at) => {
                let (name, rest) = segment.split_at(at);
                (name, rest.get(1..).unwrap_or_default())
            }
            None => (segment, &[][..]),
        };
        pairs.push((decode(name)?, decode(value)?));
    }
    Parameters::from_pairs(pairs)
}

fn decode(raw: &[u8]) -> Result<String, OAuthError> {
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    let decoded: Vec<u8> = percent_decode(&plus_as_space).collect();
    String::from_utf8(decoded)
        .map_err(|_| OAuthError::invalid_request("a parameter is not valid UTF-8"))
}

/// The parameters of the query string (none when there is no query).
///
/// # Errors
/// A 400 rejection when the query is malformed.
pub(crate) fn query_parameters(parts: &Parts) -> Result<Parameters, Rejection> {
    let query = parts.uri.query().unwrap_or_default();
    parse_urlencoded(query.as_bytes()).map_err(Rejection::bad)
}

/// Whether the request declares a form body (`application/x-www-form-urlencoded`, with no
/// `charset` or a UTF-8 one).
fn is_form(headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(CONTENT_TYPE).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return false;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let mut parts = value.split(';').map(str::trim);
    let media_type = parts.next().unwrap_or_default();
    if !media_type.eq_ignore_ascii_case(FORM_MEDIA_TYPE) {
        return false;
    }
    parts.filter(|p| !p.is_empty()).all(|parameter| {
        let (name, value) = parameter.split_once('=').unwrap_or((parameter, ""));
        name.trim().eq_ignore_ascii_case("charset")
            && value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
    })
}

fn unsupported_media_type() -> Rejection {
    Rejection::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "the body must be application/x-www-form-urlencoded",
    )
}

fn too_large() -> Rejection {
    Rejection::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "the body is larger than 64 KiB",
    )
}

/// Reads the body, at most [`MAX_BODY_BYTES`] (a larger declared length is refused unread).
async fn read_body(parts: &Parts, body: Body) -> Result<axum::body::Bytes, Rejection> {
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large())
}

/// Reads a form body: checks the media type (415), the size (413) and the encoding (400).
///
/// # Errors
/// The rejection to answer with.
pub(crate) async fn form_parameters(parts: &Parts, body: Body) -> Result<Parameters, Rejection> {
    if !is_form(&parts.headers) {
        return Err(unsupported_media_type());
    }
    let bytes = read_body(parts, body).await?;
    parse_urlencoded(&bytes).map_err(Rejection::bad)
}

/// Reads the form body of a POST that may also come without one (UserInfo with the token in
/// the header): an empty body gives no parameters, whatever its declared type.
///
/// # Errors
/// As [`form_parameters`], for a body that is not empty.
pub(crate) async fn optional_form_parameters(
    parts: &Parts,
    body: Body,
) -> Result<Parameters, Rejection> {
    let bytes = read_body(parts, body).await?;
    if bytes.is_empty() {
        return Ok(Parameters::default());
    }
    if !is_form(&parts.headers) {
        return Err(unsupported_media_type());
    }
    parse_urlencoded(&bytes).map_err(Rejection::bad)
}

/// Refuses any parameter that occurs more than once (RFC 6749 §3.1, §3.2: "parameters MUST
/// NOT be included more than once").
///
/// # Errors
/// A 400 `invalid_request` naming the repeated parameter.
pub(crate) fn refuse_repeats(parameters: &Parameters) -> Result<(), Rejection> {
    for (index, (name, _)) in parameters.pairs().iter().enumerate() {
        let earlier = parameters.pairs().get(..index).unwrap_or_default();
        if earlier.iter().any(|(seen, _)| seen == name) {
            // `single` words the error (and bounds the name it shows).
            if let Err(error) = parameters.single(name) {
                return Err(Rejection::bad(error));
            }
        }
    }
    Ok(())
}

/// The one `Authorization` header, if any.
///
/// # Errors
/// A 400 rejection when there are several or it is not visible ASCII.
pub(crate) fn authorization_header(headers: &HeaderMap) -> Result<Option<&str>, Rejection> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            "the Authorization header is repeated",
        ));
    }
    value.to_str().map(Some).map_err(|_| {
        Rejection::new(
            StatusCode::BAD_REQUEST,
            "the Authorization header is malformed",
        )
    })
}

/// Whether an `Authorization` header value uses the `Basic` scheme.
pub(crate) fn is_basic(header: &str) -> bool {
    header
        .split_once(' ')
        .is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
}

/// The client credentials of a request: the `Authorization` header and the form's `client_id`,
/// `client_secret`, `client_assertion_type` and `client_assertion`.
///
/// # Errors
/// A 400 rejection when the header is repeated or malformed, or a field is repeated.
pub(crate) fn client_credentials(
    headers: &HeaderMap,
    form: &Parameters,
) -> Result<ClientCredentials, Rejection> {
    let field = |name: &str| {
        form.single(name)
            .map(|value| value.map(str::to_owned))
            .map_err(Rejection::bad)
    };
    Ok(ClientCredentials {
        authorization_header: authorization_header(headers)?.map(str::to_owned),
        client_id: field("client_id")?,
        client_secret: field("client_secret")?,
        client_assertion_type: field("client_assertion_type")?,
        client_assertion: field("client_assertion")?,
    })
}

/// Where a bearer token was presented.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BearerToken<'a> {
    /// No `Authorization` header, or one of another scheme.
    Absent,
    /// `Authorization: Bearer <token>` with a well-formed `b64token` (RFC 6750 §2.1).
    Present(&'a str),
    /// `Authorization: Bearer` with something that is not a `b64token`.
    Malformed,
}

/// The bearer token of the `Authorization` header.
pub(crate) fn bearer_token(header: Option<&str>) -> BearerToken<'_> {
    let Some(header) = header else {
        return BearerToken::Absent;
    };
    let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return BearerToken::Absent;
    }
    let token = rest.trim_start_matches(' ');
    if is_b64token(token) {
        BearerToken::Present(token)
    } else {
        BearerToken::Malformed
    }
}

/// `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="` (RFC 6750 §2.1).
pub(crate) fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        })
}

/// The name of the session cookie of the provider at `issuer`: [`SESSION_COOKIE`], followed by
/// `-` and the port when the issuer names one (`eid_session-8443`). Cookies are scoped to a host,
/// not to a port, so two providers on one host (the demo's broker and its mock upstreams on
/// 127.0.0.1) would otherwise overwrite each other's sessions.
pub fn session_cookie_name(issuer: &str) -> String {
    match url::Url::parse(issuer).ok().and_then(|url| url.port()) {
        Some(port) => format!("{SESSION_COOKIE}-{port}"),
        None => SESSION_COOKIE.to_owned(),
    }
}

/// The session id of the cookie `name`, if the request carries exactly one well-formed value.
/// Several values (a cookie set for another path or by a sibling host) are ambiguous and read as
/// none: the request then proceeds without a session, which fails closed.
pub(crate) fn session_cookie(headers: &HeaderMap, name: &str) -> Option<SessionId> {
    let mut found = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(cookie, _)| *cookie == name)
        .map(|(_, value)| value.trim().trim_matches('"'));
    let value = found.next()?;
    if found.next().is_some() {
        return None;
    }
    SessionId::from_presented(value).ok()
}

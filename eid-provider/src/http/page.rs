//! The provider's own HTML pages: the error page, the logged-out page and the form-post page,
//! in Swedish and English, and the static files they use.
//!
//! Every page declares its language, has a title and one heading, carries no inline script or
//! style, escapes every value it shows, and is sent with a strict Content-Security-Policy
//! (`default-src 'none'`, the stylesheet and script from `'self'`, `form-action` only where a
//! form posts, `frame-ancestors 'none'`), `X-Frame-Options: DENY` and `Cache-Control: no-store`.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::error::{public_description, status_of};
use super::locale::Locale;
use crate::oauth_error::{OAuthError, OAuthErrorCode};

/// The stylesheet the pages link, under the site's base path.
pub(crate) const STYLESHEET: &str = "/static/eid.css";

/// The script that submits the form-post page, under the site's base path.
pub(crate) const FORM_POST_SCRIPT: &str = "/static/form-post.js";

/// The stylesheet's content. The focus outline is the text colour, 17:1 against the white
/// around the button (WCAG 2.1 §1.4.11 asks 3:1 of a focus indicator). On a narrow screen
/// (a phone, or a large zoom) the card fills the width and the error details stack, so that
/// words are not broken into a column a few letters wide (§1.4.10).
pub(crate) const STYLESHEET_CSS: &str = "\
body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:0;\
background:#f6f6f4;color:#1b1b1b;line-height:1.5}\n\
main{max-width:36rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:.5rem;\
box-shadow:0 1px 3px rgba(0,0,0,.15)}\n\
h1{font-size:1.5rem;margin-top:0}\n\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}\n\
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}\n\
button{font-size:1rem;padding:.6rem 1.4rem;border:0;border-radius:.3rem;background:#1f5fa8;\
color:#fff;cursor:pointer}\n\
button:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}\n\
@media (max-width:30rem){main{margin:0;padding:1.25rem 1rem;border-radius:0;box-shadow:none}\
dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}\n";

/// The form-post script's content: submits the one form of the page (OAuth 2.0 Form Post
/// Response Mode §2). Without script the person presses the button.
pub(crate) const FORM_POST_JS: &str = "\"use strict\";\n\
(function () {\n\
  var form = document.getElementById(\"eid-response\");\n\
  if (form) { form.submit(); }\n\
})();\n";

/// Escapes `value` for HTML text and double-quoted attribute values (`&`, `<`, `>`, `"`, `'`):
/// the one escaping of every page of the engine, the mock IdP and the broker.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Where the pages find their static files: the issuer's path, without a trailing `/`.
#[derive(Clone, Debug)]
pub(crate) struct Assets {
    base: String,
}

impl Assets {
    /// The static files under `base` (the issuer's path, `""` for a root issuer).
    pub(crate) fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// The path of `asset` ([`STYLESHEET`], [`FORM_POST_SCRIPT`]).
    pub(crate) fn path(&self, asset: &str) -> String {
        format!("{}{asset}", self.base)
    }
}

/// What a page allows beyond `default-src 'none'`.
struct Policy<'a> {
    script: bool,
    form_action: Option<&'a str>,
}

fn content_security_policy(policy: &Policy<'_>) -> String {
    let mut csp = String::from(
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
         frame-ancestors 'none'",
    );
    if policy.script {
        csp.push_str("; script-src 'self'");
    }
    csp.push_str("; form-action ");
    csp.push_str(policy.form_action.unwrap_or("'none'"));
    csp
}

/// A whole page: `title` as the title and heading, `body` (already escaped HTML) below it.
fn page(
    status: StatusCode,
    locale: Locale,
    assets: &Assets,
    title: &str,
    body: &str,
    policy: &Policy<'_>,
) -> Response {
    let script = if policy.script {
        format!(
            "<script src=\"{}\"></script>\n",
            escape(&assets.path(FORM_POST_SCRIPT))
        )
    } else {
        String::new()
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"{css}\">\n</head>\n<body>\n\
         <main>\n<h1>{title}</h1>\n{body}</main>\n{script}</body>\n</html>\n",
        lang = locale.tag(),
        title = escape(title),
        css = escape(&assets.path(STYLESHEET)),
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CONTENT_LANGUAGE, HeaderValue::from_static(locale.tag()));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(policy)) {
        headers.insert(CONTENT_SECURITY_POLICY, csp);
    }
    response
}

/// The error page for `error`, with the status of its code (400 for a bad request, 500 or 503
/// for internal failures).
pub(crate) fn error_page(error: &OAuthError, locale: Locale, assets: &Assets) -> Response {
    error_page_with_status(error, status_of(error.code()), locale, assets)
}

/// The error page, with a status chosen by the caller (413, 415).
pub(crate) fn error_page_with_status(
    error: &OAuthError,
    status: StatusCode,
    locale: Locale,
    assets: &Assets,
) -> Response {
    let internal = matches!(
        error.code(),
        OAuthErrorCode::ServerError | OAuthErrorCode::TemporarilyUnavailable
    );
    let (title, lead, code_label, detail_label) = match (locale, internal) {
        (Locale::Sv, false) => (
            "Begäran kunde inte hanteras",
            "Tjänsten du kom från skickade en begäran som inte kan hanteras. Gå tillbaka till \
             tjänsten och försök igen. Om felet kvarstår, kontakta tjänstens support.",
            "Felkod",
            "Teknisk information",
        ),
        (Locale::Sv, true) => (
            "Ett tekniskt fel uppstod",
            "Begäran kunde inte slutföras på grund av ett tekniskt fel. Försök igen om en \
             stund.",
            "Felkod",
            "Teknisk information",
        ),
        (Locale::En, false) => (
            "The request could not be handled",
            "The service you came from sent a request that cannot be handled. Go back to the \
             service and try again. If the problem persists, contact the service's support.",
            "Error code",
            "Technical details",
        ),
        (Locale::En, true) => (
            "A technical error occurred",
            "The request could not be completed because of a technical error. Please try \
             again in a while.",
            "Error code",
            "Technical details",
        ),
    };
    let body = format!(
        "<p>{lead}</p>\n<dl>\n<dt>{code_label}</dt><dd><code>{code}</code></dd>\n\
         <dt>{detail_label}</dt><dd lang=\"en\">{detail}</dd>\n</dl>\n",
        lead = escape(lead),
        code_label = escape(code_label),
        code = escape(error.code().as_str()),
        detail_label = escape(detail_label),
        detail = escape(&public_description(error)),
    );
    let policy = Policy {
        script: false,
        form_action: None,
    };
    page(status, locale, assets, title, &body, &policy)
}

/// The page shown after a logout without a redirect.
pub(crate) fn logged_out_page(locale: Locale, assets: &Assets) -> Response {
    let (title, text) = match locale {
        Locale::Sv => (
            "Du är utloggad",
            "Du har loggats ut. Du kan nu stänga det här fönstret.",
        ),
        Locale::En => (
            "You are logged out",
            "You have been logged out. You can now close this window.",
        ),
    };
    let body = format!("<p>{}</p>\n", escape(text));
    let policy = Policy {
        script: false,
        form_action: None,
    };
    page(StatusCode::OK, locale, assets, title, &body, &policy)
}

/// The `form-action` source of a form that posts to `target`: its origin, or its scheme for a
/// URL without a web origin.
fn form_action_source(target: &str) -> Option<String> {
    let url = url::Url::parse(target).ok()?;
    let origin = url.origin();
    let source = if origin.is_tuple() {
        origin.ascii_serialization()
    } else {
        format!("{}:", url.scheme())
    };
    // A source expression never holds a space, `;` or `,` (CSP3 §2.3.1); an origin cannot.
    (!source.contains([' ', ';', ','])).then_some(source)
}

/// The form-post page (OAuth 2.0 Form Post Response Mode): a form posting `parameters` to
/// `target`, submitted by the static script, or by the person pressing its button.
pub(crate) fn form_post_page(
    target: &str,
    parameters: &[(String, String)],
    locale: Locale,
    assets: &Assets,
) -> Response {
    let (title, text, button) = match locale {
        Locale::Sv => (
            "Du skickas tillbaka till tjänsten",
            "Om du inte skickas vidare automatiskt, välj Fortsätt.",
            "Fortsätt",
        ),
        Locale::En => (
            "Taking you back to the service",
            "If you are not taken back automatically, select Continue.",
            "Continue",
        ),
    };
    let mut body = format!(
        "<p>{}</p>\n<form id=\"eid-response\" method=\"post\" action=\"{}\">\n",
        escape(text),
        escape(target),
    );
    for (name, value) in parameters {
        body.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
            escape(name),
            escape(value),
        ));
    }
    body.push_str(&format!(
        "<button type=\"submit\">{}</button>\n</form>\n",
        escape(button)
    ));
    let source = form_action_source(target);
    let policy = Policy {
        script: true,
        form_action: source.as_deref(),
    };
    page(StatusCode::OK, locale, assets, title, &body, &policy)
}

/// A static file, cacheable for a day.
pub(crate) fn static_file(content_type: &'static str, content: &'static str) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    (headers, content).into_response()
}

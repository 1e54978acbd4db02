//! The login page and the error page: HTML in Swedish or English, accessible (a `lang`, a
//! heading, a fieldset with a legend, a label per choice), with no script and no inline style,
//! served with a strict Content-Security-Policy.

use std::fmt::Write as _;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::person::PersonKind;

/// The Content-Security-Policy of every page: nothing loads, nothing frames it. (No
/// `form-action`: browsers apply it to the redirect that follows the form post, which goes to
/// the client.)
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The language of a page.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    /// English.
    En,
    /// Swedish (the default).
    #[default]
    Sv,
}

impl Locale {
    /// The language tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Sv => "sv",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_', ';']).next()?.trim();
        if primary.eq_ignore_ascii_case("sv") {
            Some(Self::Sv)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// The first of `ui_locales` the mock speaks, else the first of the `Accept-Language`
    /// header's languages it speaks (in the header's order; weights are not sorted), else
    /// Swedish.
    pub fn choose(ui_locales: &[String], accept_language: Option<&str>) -> Self {
        ui_locales
            .iter()
            .find_map(|tag| Self::from_tag(tag))
            .or_else(|| {
                accept_language?
                    .split(',')
                    .take(32)
                    .find_map(Self::from_tag)
            })
            .unwrap_or_default()
    }
}

pub use eid_provider::http::escape;

/// One choice on the login page.
#[derive(Clone, Debug)]
pub struct Choice<'a> {
    /// The person id (posted as `person`).
    pub id: &'a str,
    /// The name shown.
    pub name: &'a str,
    /// What kind of identity, shown after the name.
    pub kind: PersonKind,
}

/// The login page.
#[derive(Clone, Debug)]
pub struct LoginPage<'a> {
    /// The language.
    pub locale: Locale,
    /// The transaction (a hidden field).
    pub transaction: &'a str,
    /// The client asking, shown to the person.
    pub client_id: &'a str,
    /// The persons.
    pub choices: Vec<Choice<'a>>,
    /// The person preselected (`login_hint`).
    pub preselected: Option<&'a str>,
}

struct Texts {
    title: &'static str,
    heading: &'static str,
    intro: &'static str,
    legend: &'static str,
    submit: &'static str,
    cancel: &'static str,
    note: &'static str,
    error_heading: &'static str,
}

const SV: Texts = Texts {
    title: "Logga in – testlegitimation",
    heading: "Välj testperson",
    intro: "Det här är en testtjänst för e-legitimering. Välj vem du vill logga in som hos",
    legend: "Testpersoner",
    submit: "Logga in",
    cancel: "Avbryt",
    note: "Alla personer är påhittade. Personnumren är Skatteverkets testpersonnummer.",
    error_heading: "Inloggningen kan inte fortsätta",
};

const EN: Texts = Texts {
    title: "Log in – test eID",
    heading: "Choose a test person",
    intro: "This is a test service for electronic identification. Choose who to log in as at",
    legend: "Test persons",
    submit: "Log in",
    cancel: "Cancel",
    note: "Every person is made up. The personal identity numbers are the Swedish Tax Agency's test numbers.",
    error_heading: "The login cannot continue",
};

fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::En => &EN,
        Locale::Sv => &SV,
    }
}

fn kind_label(kind: PersonKind, locale: Locale) -> &'static str {
    match (locale, kind) {
        (Locale::Sv, PersonKind::Adult) => "vuxen, personnummer",
        (Locale::Sv, PersonKind::Child) => "barn, personnummer",
        (Locale::Sv, PersonKind::Coordination) => "samordningsnummer",
        (Locale::Sv, PersonKind::Eidas) => "eIDAS, annat land",
        (Locale::Sv, PersonKind::Employee) => "anställd",
        (Locale::Sv, PersonKind::Passport) => "pass, inget svenskt nummer",
        (Locale::Sv, _) => "övrig",
        (Locale::En, PersonKind::Adult) => "adult, personal identity number",
        (Locale::En, PersonKind::Child) => "child, personal identity number",
        (Locale::En, PersonKind::Coordination) => "coordination number",
        (Locale::En, PersonKind::Eidas) => "eIDAS, another country",
        (Locale::En, PersonKind::Employee) => "employee",
        (Locale::En, PersonKind::Passport) => "passport, no Swedish number",
        (Locale::En, _) => "other",
    }
}

/// What went wrong, for the error page.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The request is malformed (missing or repeated fields, wrong content type).
    BadRequest,
    /// The login is unknown, expired or already finished.
    Expired,
    /// The internal state failed.
    Internal,
    /// The person is not one this mock offers.
    UnknownPerson,
    /// The login was started in another browser (no or another `eid_login` cookie).
    WrongBrowser,
}

impl Problem {
    fn message(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::Sv, Self::BadRequest) => "Begäran är felaktig.",
            (Locale::Sv, Self::Expired) => {
                "Inloggningen finns inte, har gått ut eller är redan avslutad. Börja om från tjänsten."
            }
            (Locale::Sv, Self::Internal) => "Ett internt fel inträffade. Försök igen.",
            (Locale::Sv, Self::UnknownPerson) => "Den valda personen finns inte här.",
            (Locale::Sv, Self::WrongBrowser) => {
                "Inloggningen påbörjades i en annan webbläsare. Börja om från tjänsten."
            }
            (_, Self::BadRequest) => "The request is malformed.",
            (_, Self::Expired) => {
                "The login is unknown, has expired or is already finished. Start again from the service."
            }
            (_, Self::Internal) => "An internal error occurred. Please try again.",
            (_, Self::UnknownPerson) => "The person chosen is not offered here.",
            (_, Self::WrongBrowser) => {
                "The login was started in another browser. Start again from the service."
            }
        }
    }

    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

fn document(locale: Locale, title: &str, main: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n</head>\n<body>\n<main>\n{main}</main>\n</body>\n</html>\n",
        lang = locale.tag(),
        title = escape(title),
    )
}

impl LoginPage<'_> {
    /// The page's HTML.
    pub fn render(&self) -> String {
        let t = texts(self.locale);
        let mut main = String::new();
        let _ = writeln!(main, "<h1>{}</h1>", escape(t.heading));
        let _ = writeln!(
            main,
            "<p>{} <strong>{}</strong>.</p>",
            escape(t.intro),
            escape(self.client_id)
        );
        let _ = writeln!(main, "<form method=\"post\" action=\"/login\">");
        let _ = writeln!(
            main,
            "<input type=\"hidden\" name=\"transaction\" value=\"{}\">",
            escape(self.transaction)
        );
        let _ = writeln!(main, "<fieldset>\n<legend>{}</legend>", escape(t.legend));
        for (index, choice) in self.choices.iter().enumerate() {
            let checked = if self.preselected == Some(choice.id) {
                " checked"
            } else {
                ""
            };
            let _ = writeln!(
                main,
                "<div><input type=\"radio\" id=\"person-{index}\" name=\"person\" value=\"{id}\" required{checked}> \
                 <label for=\"person-{index}\">{name} ({kind})</label></div>",
                id = escape(choice.id),
                name = escape(choice.name),
                kind = escape(kind_label(choice.kind, self.locale)),
            );
        }
        let _ = writeln!(main, "</fieldset>");
        let _ = writeln!(
            main,
            "<p><button type=\"submit\">{}</button> \
             <button type=\"submit\" name=\"cancel\" value=\"1\" formnovalidate>{}</button></p>",
            escape(t.submit),
            escape(t.cancel)
        );
        let _ = writeln!(main, "</form>\n<p>{}</p>", escape(t.note));
        document(self.locale, t.title, &main)
    }
}

/// The error page's HTML.
pub fn render_error(locale: Locale, problem: Problem) -> String {
    let t = texts(locale);
    let main = format!(
        "<h1>{}</h1>\n<p>{}</p>\n",
        escape(t.error_heading),
        escape(problem.message(locale))
    );
    document(locale, t.error_heading, &main)
}

/// An HTML response with the pages' security headers: CSP, no framing, no sniffing, no
/// caching, no referrer.
pub fn html_response(status: StatusCode, locale: Locale, html: String) -> Response {
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    let set = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_LANGUAGE, locale.tag()),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// The error page as a response.
pub fn error_response(locale: Locale, problem: Problem) -> Response {
    html_response(problem.status(), locale, render_error(locale, problem))
}

#[cfg(test)]
mod tests;

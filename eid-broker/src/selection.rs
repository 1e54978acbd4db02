//! The provider-choice page (`/choose`) and the broker's error page.
//!
//! Swedish or English (the first of the request's `ui_locales` the broker speaks, else of
//! `Accept-Language`, else Swedish). Accessible (WCAG 2.1 AA): `lang`, a `title`, one `h1`, a
//! fieldset with a legend and one radio button with a label per provider (its logo, when
//! configured, is an `<img>` with the provider's name as `alt`), a labelled checkbox to
//! remember the choice, a submit and a cancel button in document order. No script, no inline
//! style; the engine's stylesheet is linked; served with a strict Content-Security-Policy.
//!
//! The page is skipped when the request names an upstream (`authnProvider`, or
//! `login_hint=upstream:<id>`) or only one can meet the level (see [`crate::policy`]). A
//! remembered choice (cookie [`CHOICE_COOKIE`], set only when the person ticks the box)
//! preselects that provider.

use std::fmt::Write as _;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::upstream::DisplayNames;

/// The cookie that remembers the last choice (only when the person agreed).
pub const CHOICE_COOKIE: &str = "eid_broker_choice";

/// The Content-Security-Policy of the pages: only the broker's own stylesheet and logos. No
/// `form-action`: browsers apply it to every redirect that follows the form post, and the
/// choice leads through the broker to the upstream's own login, on another origin.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' https: data:; \
     base-uri 'none'; frame-ancestors 'none'";

/// The language of a page.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    /// Swedish (the default).
    #[default]
    Sv,
    /// English.
    En,
}

impl Locale {
    /// The language tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Sv => "sv",
            Self::En => "en",
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

    /// The first of `ui_locales`, else of `Accept-Language` (in order), that the broker
    /// speaks; else Swedish.
    pub fn choose(ui_locales: &[String], headers: &HeaderMap) -> Self {
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        ui_locales
            .iter()
            .find_map(|tag| Self::from_tag(tag))
            .or_else(|| accept?.split(',').take(32).find_map(Self::from_tag))
            .unwrap_or_default()
    }
}

pub use eid_provider::http::escape;

/// The page texts in one language; configuration may replace any of them.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    /// The page title.
    pub title: String,
    /// The heading.
    pub heading: String,
    /// The text above the list.
    pub intro: String,
    /// The fieldset's legend.
    pub legend: String,
    /// The remember checkbox's label.
    pub remember: String,
    /// The continue button.
    pub submit: String,
    /// The cancel button.
    pub cancel: String,
    /// The error page's heading.
    pub error_heading: String,
}

impl Texts {
    /// The built-in texts of `locale`.
    pub fn builtin(locale: Locale) -> Self {
        let s = |text: &str| text.to_owned();
        match locale {
            Locale::Sv => Self {
                title: s("Välj e-legitimation"),
                heading: s("Välj hur du vill legitimera dig"),
                intro: s("Tjänsten du besöker kräver att du legitimerar dig."),
                legend: s("E-legitimationer"),
                remember: s("Kom ihåg mitt val på den här enheten"),
                submit: s("Fortsätt"),
                cancel: s("Avbryt"),
                error_heading: s("Inloggningen kunde inte genomföras"),
            },
            Locale::En => Self {
                title: s("Choose an eID"),
                heading: s("Choose how to identify yourself"),
                intro: s("The service you are visiting asks you to identify yourself."),
                legend: s("Electronic identities"),
                remember: s("Remember my choice on this device"),
                submit: s("Continue"),
                cancel: s("Cancel"),
                error_heading: s("The login could not be completed"),
            },
        }
    }
}

/// The texts of both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UiTexts {
    /// Swedish.
    pub sv: Texts,
    /// English.
    pub en: Texts,
}

impl Default for UiTexts {
    fn default() -> Self {
        Self {
            sv: Texts::builtin(Locale::Sv),
            en: Texts::builtin(Locale::En),
        }
    }
}

impl UiTexts {
    /// The texts of `locale`.
    pub fn of(&self, locale: Locale) -> &Texts {
        match locale {
            Locale::Sv => &self.sv,
            Locale::En => &self.en,
        }
    }
}

/// One provider on the page.
#[derive(Clone, Debug)]
pub struct ProviderOption {
    /// The upstream id (the radio button's value).
    pub id: String,
    /// Its names.
    pub names: DisplayNames,
    /// Its logo URL, if configured.
    pub logo: Option<String>,
}

/// The choice page.
#[derive(Debug)]
pub struct ChoicePage<'a> {
    /// The language.
    pub locale: Locale,
    /// The texts.
    pub texts: &'a Texts,
    /// The engine's stylesheet URL path.
    pub stylesheet: &'a str,
    /// The pending transaction (a hidden field).
    pub transaction: &'a str,
    /// The providers, in order.
    pub options: &'a [ProviderOption],
    /// The preselected provider.
    pub preselected: Option<&'a str>,
}

fn document(locale: Locale, title: &str, stylesheet: &str, main: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"{css}\">\n</head>\n<body>\n\
         <main>\n{main}</main>\n</body>\n</html>\n",
        lang = locale.tag(),
        title = escape(title),
        css = escape(stylesheet),
    )
}

impl ChoicePage<'_> {
    /// The page's HTML.
    pub fn render(&self) -> String {
        let t = self.texts;
        let mut main = String::new();
        let _ = writeln!(main, "<h1>{}</h1>", escape(&t.heading));
        let _ = writeln!(main, "<p>{}</p>", escape(&t.intro));
        let _ = writeln!(main, "<form method=\"post\" action=\"/choose\">");
        let _ = writeln!(
            main,
            "<input type=\"hidden\" name=\"transaction\" value=\"{}\">",
            escape(self.transaction)
        );
        let _ = writeln!(main, "<fieldset>\n<legend>{}</legend>", escape(&t.legend));
        let preselected = self
            .preselected
            .filter(|id| self.options.iter().any(|o| o.id == *id))
            .or_else(|| self.options.first().map(|o| o.id.as_str()));
        for (index, option) in self.options.iter().enumerate() {
            let name = match self.locale {
                Locale::Sv => &option.names.sv,
                Locale::En => &option.names.en,
            };
            let checked = if preselected == Some(option.id.as_str()) {
                " checked"
            } else {
                ""
            };
            let logo = option.logo.as_deref().map_or_else(String::new, |logo| {
                format!(
                    "<img src=\"{}\" alt=\"\" width=\"32\" height=\"32\"> ",
                    escape(logo)
                )
            });
            let _ = writeln!(
                main,
                "<div><input type=\"radio\" id=\"upstream-{index}\" name=\"upstream\" \
                 value=\"{id}\" required{checked}> <label for=\"upstream-{index}\">{logo}{name}</label></div>",
                id = escape(&option.id),
                name = escape(name),
            );
        }
        let _ = writeln!(main, "</fieldset>");
        let _ = writeln!(
            main,
            "<p><input type=\"checkbox\" id=\"remember\" name=\"remember\" value=\"1\"> \
             <label for=\"remember\">{}</label></p>",
            escape(&t.remember)
        );
        let _ = writeln!(
            main,
            "<p><button type=\"submit\">{}</button> \
             <button type=\"submit\" name=\"cancel\" value=\"1\" formnovalidate>{}</button></p>",
            escape(&t.submit),
            escape(&t.cancel)
        );
        let _ = writeln!(main, "</form>");
        document(self.locale, &t.title, self.stylesheet, &main)
    }
}

/// The broker's error page (a request that cannot be returned to the client). `message` is
/// the technical reason, in English: on a page in another language its paragraph says so
/// (`lang="en"`, WCAG 2.1 3.1.2 Language of Parts), for screen readers to pronounce it right.
pub fn error_page(locale: Locale, texts: &Texts, stylesheet: &str, problem: PageError) -> String {
    let main = format!(
        "<h1>{}</h1>\n<p>{}</p>\n",
        escape(&texts.error_heading),
        escape(problem.message(locale))
    );
    document(locale, &texts.error_heading, stylesheet, &main)
}

/// Why a page of the broker's own (the choice page, the upstream callback) cannot go on,
/// as the person is told it.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageError {
    /// The request is malformed (a missing or broken field).
    BadRequest,
    /// The login was started in another browser, or its time ran out.
    OtherBrowser,
    /// The login's time ran out.
    Expired,
    /// The upstream's answer matches no login: unknown, expired or already finished.
    UnknownLogin,
    /// No configured upstream can meet the level asked for.
    CannotBeMet,
    /// A store or a dependency failed for a moment.
    TryAgain,
    /// The broker is not ready (still starting).
    NotReady,
    /// The return from an upstream's logout matches no logout in progress.
    UnknownLogout,
}

impl PageError {
    /// The HTTP status of the page: 503 for what may pass, 500 when the broker is not ready,
    /// 400 for the rest.
    pub const fn status(self) -> StatusCode {
        match self {
            Self::TryAgain => StatusCode::SERVICE_UNAVAILABLE,
            Self::NotReady => StatusCode::INTERNAL_SERVER_ERROR,
            Self::BadRequest
            | Self::OtherBrowser
            | Self::Expired
            | Self::UnknownLogin
            | Self::CannotBeMet
            | Self::UnknownLogout => StatusCode::BAD_REQUEST,
        }
    }

    /// The message in `locale`.
    pub const fn message(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Self::BadRequest, Locale::Sv) => "Begäran var felaktig.",
            (Self::BadRequest, Locale::En) => "The request was malformed.",
            (Self::OtherBrowser, Locale::Sv) => {
                "Inloggningen påbörjades i en annan webbläsare eller har gått ut."
            }
            (Self::OtherBrowser, Locale::En) => {
                "This login was started in another browser or has expired."
            }
            (Self::Expired, Locale::Sv) => "Tiden för inloggningen har gått ut.",
            (Self::Expired, Locale::En) => "The login has expired.",
            (Self::UnknownLogin, Locale::Sv) => {
                "Inloggningen är okänd, har gått ut eller är redan avslutad."
            }
            (Self::UnknownLogin, Locale::En) => {
                "This login is unknown, has expired or is already finished."
            }
            (Self::CannotBeMet, Locale::Sv) => {
                "Ingen e-legitimation kan ge den tillitsnivå som tjänsten kräver."
            }
            (Self::CannotBeMet, Locale::En) => {
                "No eID can give the level of assurance the service requires."
            }
            (Self::TryAgain, Locale::Sv) => "Ett tillfälligt fel uppstod. Försök igen.",
            (Self::TryAgain, Locale::En) => "A temporary error occurred. Please try again.",
            (Self::NotReady, Locale::Sv) => "Tjänsten startar. Försök igen om en stund.",
            (Self::NotReady, Locale::En) => "The service is starting. Please try again shortly.",
            (Self::UnknownLogout, Locale::Sv) => "Utloggningen är okänd eller har gått ut.",
            (Self::UnknownLogout, Locale::En) => "This logout is unknown or has expired.",
        }
    }
}

/// The page shown after a logout that has nowhere else to go.
pub fn logged_out_page(locale: Locale, stylesheet: &str) -> String {
    let message = match locale {
        Locale::Sv => "Du är utloggad",
        Locale::En => "You are logged out",
    };
    let main = format!("<h1>{}</h1>\n", escape(message));
    document(locale, message, stylesheet, &main)
}

/// An HTML response with the pages' security headers.
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

#[cfg(test)]
mod tests;

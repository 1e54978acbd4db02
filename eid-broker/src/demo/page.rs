//! The demo e-service's pages, in Swedish and English: plain HTML with one external
//! stylesheet, no script, labelled controls, a language switch, and every value escaped.

use std::fmt::Write as _;

use eid_core::assurance::LevelOfAssurance;
use eid_core::claims::uri;
use eid_core::clock::UnixTime;
use serde_json::{Map, Value};

use super::eservice::{DemoLevel, Failure, LOGIN_PATH, START_PATH, STYLESHEET_PATH};

/// The stylesheet.
pub(crate) const STYLESHEET: &str = include_str!("demo.css");

/// The claims that are protocol, not identity: not listed on the result page.
const PROTOCOL_CLAIMS: [&str; 14] = [
    "iss",
    "aud",
    "azp",
    "exp",
    "iat",
    "nbf",
    "nonce",
    "at_hash",
    "c_hash",
    "sid",
    "jti",
    "auth_time",
    "acr",
    "amr",
];

/// A page's language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Lang {
    /// English.
    En,
    /// Swedish (the default).
    #[default]
    Sv,
}

impl Lang {
    /// `en` for English, anything else Swedish.
    pub(crate) fn of(value: Option<&str>) -> Self {
        match value {
            Some("en") => Self::En,
            _ => Self::Sv,
        }
    }

    /// The language tag.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Sv => "sv",
        }
    }

    const fn other(self) -> Self {
        match self {
            Self::En => Self::Sv,
            Self::Sv => Self::En,
        }
    }

    const fn pick(self, sv: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::En => en,
            Self::Sv => sv,
        }
    }
}

/// What a verified login shows.
#[derive(Debug)]
pub(crate) struct Shown {
    /// The `sub`.
    pub(crate) subject: String,
    /// The `acr`.
    pub(crate) level: Option<LevelOfAssurance>,
    /// The `auth_time`.
    pub(crate) auth_time: Option<UnixTime>,
    /// The ID token's and UserInfo's claims.
    pub(crate) claims: Map<String, Value>,
}

pub(crate) use eid_provider::http::escape;

fn layout(lang: Lang, title: &str, body: &str) -> String {
    let other = lang.other();
    let switch = lang.pick("In English", "På svenska");
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} – {service}</title>\n\
         <link rel=\"stylesheet\" href=\"{STYLESHEET_PATH}\">\n</head>\n<body>\n\
         <header><p class=\"service\">{service}</p>\
         <nav aria-label=\"{language}\"><a href=\"{START_PATH}?lang={other}\" lang=\"{other}\" \
         hreflang=\"{other}\">{switch}</a></nav></header>\n\
         <main>\n<h1>{title}</h1>\n{body}</main>\n</body>\n</html>\n",
        lang = lang.as_str(),
        other = other.as_str(),
        service = lang.pick("Demo-e-tjänst", "Demo e-service"),
        language = lang.pick("Språk", "Language"),
        title = escape(title),
    )
}

fn level_name(lang: Lang, level: DemoLevel) -> &'static str {
    match level {
        DemoLevel::Loa2 => lang.pick("Tillitsnivå 2", "Level of assurance 2"),
        DemoLevel::Loa3 => lang.pick("Tillitsnivå 3", "Level of assurance 3"),
        DemoLevel::Loa4 => lang.pick("Tillitsnivå 4", "Level of assurance 4"),
        DemoLevel::EidasSubstantial => lang.pick("eIDAS väsentlig", "eIDAS substantial"),
    }
}

/// The start page: the level selector and the log-in button.
pub(crate) fn start(lang: Lang) -> String {
    let mut options = String::new();
    for level in DemoLevel::ALL {
        let selected = if level == DemoLevel::Loa3 {
            " selected"
        } else {
            ""
        };
        let _ = writeln!(
            options,
            "<option value=\"{}\"{selected}>{}</option>",
            level.as_str(),
            level_name(lang, level)
        );
    }
    let body = format!(
        "<p>{intro}</p>\n<form method=\"get\" action=\"{LOGIN_PATH}\">\n\
         <input type=\"hidden\" name=\"lang\" value=\"{lang}\">\n\
         <label for=\"level\">{label}</label>\n<select id=\"level\" name=\"level\" aria-describedby=\"level-hint\">\n{options}</select>\n\
         <p class=\"hint\" id=\"level-hint\">{hint}</p>\n\
         <button type=\"submit\">{button}</button>\n</form>\n",
        lang = lang.as_str(),
        intro = lang.pick(
            "En e-tjänst som loggar in dig via eid-brokern. Välj vilken tillitsnivå tjänsten \
             ska kräva och logga in med en av testleverantörerna.",
            "An e-service that logs you in through the eid broker. Choose the level of \
             assurance the service requires, then log in with one of the test providers."
        ),
        label = lang.pick("Tillitsnivå som krävs", "Level of assurance required"),
        hint = lang.pick(
            "Nivå 2 och 3 kan mötas av flera leverantörer; nivå 4 bara av ID-kortet; \
             eIDAS av den utländska eID-noden.",
            "Levels 2 and 3 can be met by several providers; level 4 only by the ID card; \
             eIDAS by the foreign eID node."
        ),
        button = lang.pick("Logga in", "Log in"),
    );
    layout(lang, lang.pick("Logga in", "Log in"), &body)
}

fn claim_label(lang: Lang, name: &str) -> Option<&'static str> {
    Some(match name {
        "sub" => lang.pick("Pseudonym (sub)", "Pseudonym (sub)"),
        "name" => lang.pick("Namn", "Name"),
        "given_name" => lang.pick("Förnamn", "Given name"),
        "family_name" => lang.pick("Efternamn", "Family name"),
        "birthdate" => lang.pick("Födelsedatum", "Date of birth"),
        "email" => lang.pick("E-post", "Email"),
        uri::PERSONAL_IDENTITY_NUMBER => lang.pick("Personnummer", "Personal identity number"),
        uri::COORDINATION_NUMBER => lang.pick("Samordningsnummer", "Coordination number"),
        uri::ORG_AFFILIATION => {
            lang.pick("Organisationstillhörighet", "Organisational affiliation")
        }
        uri::ORG_NAME => lang.pick("Organisation", "Organisation"),
        uri::ORG_NUMBER => lang.pick("Organisationsnummer", "Organisation number"),
        uri::PRID => lang.pick("eIDAS-identitet (prid)", "eIDAS identity (prid)"),
        uri::PRID_PERSISTENCE => lang.pick("prid-beständighet", "prid persistence"),
        uri::EIDAS_PERSON_IDENTIFIER => {
            lang.pick("eIDAS-personidentifierare", "eIDAS person identifier")
        }
        uri::EIDAS_COUNTRY => lang.pick("Land", "Country"),
        _ => return None,
    })
}

fn row(out: &mut String, label: &str, value: &str, code: bool) {
    let value = escape(value);
    let value = if code {
        format!("<code>{value}</code>")
    } else {
        value
    };
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">{}</th><td>{value}</td></tr>",
        escape(label)
    );
}

/// The result page: the verified identity and level.
pub(crate) fn success(lang: Lang, shown: &Shown) -> String {
    let mut rows = String::new();
    let level = shown
        .level
        .map_or_else(|| "—".to_owned(), |level| level.as_uri().to_owned());
    row(
        &mut rows,
        lang.pick("Tillitsnivå (acr)", "Level of assurance (acr)"),
        &level,
        true,
    );
    if let Some(time) = shown.auth_time {
        row(
            &mut rows,
            lang.pick("Autentiserad", "Authenticated at"),
            &time.to_string(),
            false,
        );
    }
    row(&mut rows, "Pseudonym (sub)", &shown.subject, true);
    let mut names: Vec<&String> = shown
        .claims
        .keys()
        .filter(|name| name.as_str() != "sub" && !PROTOCOL_CLAIMS.contains(&name.as_str()))
        .collect();
    names.sort_by_key(|name| (claim_label(lang, name).is_none(), name.as_str()));
    for name in names {
        let Some(value) = shown.claims.get(name.as_str()) else {
            continue;
        };
        let text = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let label = claim_label(lang, name).unwrap_or(name.as_str());
        row(&mut rows, label, &text, !matches!(value, Value::String(_)));
    }
    let body = format!(
        "<p class=\"ok\">{intro}</p>\n<table>\n<caption>{caption}</caption>\n<tbody>\n{rows}</tbody>\n</table>\n\
         <p><a href=\"{START_PATH}?lang={lang}\">{again}</a></p>\n",
        lang = lang.as_str(),
        intro = lang.pick(
            "Inloggningen lyckades. ID-token är verifierad: utfärdare, mottagare, signatur, \
             nonce och tillitsnivå stämmer.",
            "You are logged in. The ID token is verified: issuer, audience, signature, nonce \
             and level of assurance all match."
        ),
        caption = lang.pick("Verifierad identitet", "Verified identity"),
        again = lang.pick("Logga in igen", "Log in again"),
    );
    layout(lang, lang.pick("Inloggad", "Logged in"), &body)
}

/// The page of a login that did not end with a verified identity.
pub(crate) fn failure(lang: Lang, failure: Failure) -> String {
    let explanation = match failure {
        Failure::Refused("access_denied") => {
            lang.pick("Inloggningen avbröts.", "The login was cancelled.")
        }
        Failure::Refused("unmet_authentication_requirements") => lang.pick(
            "Ingen av leverantörerna kan ge den tillitsnivå som krävs.",
            "None of the providers can give the level of assurance required.",
        ),
        Failure::Refused(_) => lang.pick(
            "Inloggningen kunde inte slutföras.",
            "The login could not be completed.",
        ),
        Failure::Broker(_) | Failure::Token(_) => lang.pick(
            "Tjänsten kunde inte tala med inloggningstjänsten.",
            "The service could not talk to the login service.",
        ),
        Failure::Verification(_) => lang.pick(
            "Svaret från inloggningstjänsten klarade inte kontrollen och har inte godtagits.",
            "The login service's answer failed verification and was not accepted.",
        ),
    };
    let body = format!(
        "<p class=\"error\" role=\"alert\">{explanation}</p>\n\
         <p>{code_label}: <code>{code}</code></p>\n\
         <p><a href=\"{START_PATH}?lang={lang}\">{back}</a></p>\n",
        lang = lang.as_str(),
        code_label = lang.pick("Felkod", "Error code"),
        code = escape(failure.code()),
        back = lang.pick("Tillbaka till start", "Back to the start page"),
    );
    layout(lang, lang.pick("Inte inloggad", "Not logged in"), &body)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_are_escaped() {
        let claims = json!({
            "sub": "s<1>",
            "name": "<script>alert(1)</script>",
            "https://id.oidc.se/claim/orgAffiliation": "a&b",
            "nonce": "hidden",
        });
        let Value::Object(claims) = claims else {
            unreachable!()
        };
        let page = success(
            Lang::En,
            &Shown {
                subject: "s<1>".to_owned(),
                level: Some(LevelOfAssurance::Loa3),
                auth_time: Some(UnixTime::from_secs(0)),
                claims,
            },
        );
        assert!(!page.contains("<script>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("a&amp;b"));
        assert!(page.contains("s&lt;1&gt;"));
        assert!(!page.contains("hidden"));
        assert!(page.contains("<html lang=\"en\">"));
        assert!(page.contains("http://id.elegnamnden.se/loa/1.0/loa3"));
    }

    #[test]
    fn pages_have_no_inline_script_or_style() {
        for page in [
            start(Lang::Sv),
            start(Lang::En),
            failure(Lang::Sv, Failure::Refused("access_denied")),
            failure(Lang::En, Failure::Token("invalid_grant")),
        ] {
            assert!(!page.contains("<script"), "{page}");
            assert!(!page.contains("style="), "{page}");
            assert!(!page.contains("<style"), "{page}");
            assert!(page.contains("<main>") && page.contains("<h1>"));
        }
        let swedish = start(Lang::Sv);
        assert!(swedish.contains("<label for=\"level\">Tillitsnivå som krävs</label>"));
        // The hint under the list is its description (WCAG 1.3.1), not a loose paragraph.
        assert!(
            swedish
                .contains("<select id=\"level\" name=\"level\" aria-describedby=\"level-hint\">")
        );
        assert!(swedish.contains("<p class=\"hint\" id=\"level-hint\">"));
        assert!(swedish.contains("<option value=\"eidas-substantial\">eIDAS väsentlig</option>"));
        assert!(swedish.contains("href=\"/?lang=en\""));
        assert!(failure(Lang::Sv, Failure::Refused("access_denied")).contains("avbröts"));
    }
}

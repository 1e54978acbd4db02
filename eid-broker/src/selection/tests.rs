use axum::http::{HeaderMap, HeaderValue, StatusCode, header};

use super::{
    ChoicePage, Locale, PageError, ProviderOption, Texts, error_page, escape, html_response,
};
use crate::upstream::DisplayNames;

fn names(sv: &str, en: &str) -> DisplayNames {
    serde_json::from_value(serde_json::json!({ "sv": sv, "en": en })).unwrap()
}

#[test]
fn the_language_follows_ui_locales_then_accept_language_then_swedish() {
    let mut headers = HeaderMap::new();
    assert_eq!(Locale::choose(&[], &headers), Locale::Sv);
    headers.insert(
        header::ACCEPT_LANGUAGE,
        HeaderValue::from_static("de-DE, en-GB;q=0.8, sv;q=0.5"),
    );
    assert_eq!(Locale::choose(&[], &headers), Locale::En);
    assert_eq!(Locale::choose(&["sv-SE".to_owned()], &headers), Locale::Sv);
    assert_eq!(
        Locale::choose(&["fi".to_owned()], &HeaderMap::new()),
        Locale::Sv
    );
}

#[test]
fn the_page_is_accessible_and_escapes_what_it_shows() {
    let options = vec![
        ProviderOption {
            id: "bankid".to_owned(),
            names: names("BankID <sv>", "BankID"),
            logo: Some("https://broker.example/bankid.svg".to_owned()),
        },
        ProviderOption {
            id: "card".to_owned(),
            names: names("ID-kort", "ID card"),
            logo: None,
        },
    ];
    let texts = Texts::builtin(Locale::Sv);
    let page = ChoicePage {
        locale: Locale::Sv,
        texts: &texts,
        stylesheet: "/static/eid.css",
        transaction: "t\"x",
        options: &options,
        preselected: Some("card"),
    }
    .render();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
    assert!(page.contains("<title>Välj e-legitimation</title>"));
    assert_eq!(page.matches("<h1>").count(), 1);
    assert!(page.contains("<legend>E-legitimationer</legend>"));
    assert!(page.contains("value=\"t&quot;x\""));
    assert!(page.contains("BankID &lt;sv&gt;"));
    assert!(page.contains(
        "<label for=\"upstream-0\"><img src=\"https://broker.example/bankid.svg\" alt=\"\""
    ));
    assert!(page.contains("value=\"card\" required checked"));
    assert!(!page.contains("value=\"bankid\" required checked"));
    assert!(page.contains("<label for=\"remember\">"));
    // Continue before cancel, in document order.
    assert!(page.find("Fortsätt").unwrap() < page.find("Avbryt").unwrap());
    assert!(!page.contains("<script") && !page.contains("style="));

    let response = html_response(StatusCode::OK, Locale::Sv, page);
    let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.starts_with("default-src 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(response.headers()[header::CONTENT_LANGUAGE], "sv");
}

#[test]
fn escape_covers_the_html_specials() {
    assert_eq!(
        escape("<a href='x'>&\"</a>"),
        "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
    );
}

#[test]
fn the_error_page_speaks_the_pages_language() {
    let swedish = error_page(
        Locale::Sv,
        &Texts::builtin(Locale::Sv),
        "/static/eid.css",
        PageError::OtherBrowser,
    );
    assert!(swedish.contains("<html lang=\"sv\">"), "{swedish}");
    assert!(
        swedish.contains("<h1>Inloggningen kunde inte genomföras</h1>"),
        "{swedish}"
    );
    assert!(
        swedish.contains("<p>Inloggningen påbörjades i en annan webbläsare eller har gått ut.</p>"),
        "{swedish}"
    );
    let english = error_page(
        Locale::En,
        &Texts::builtin(Locale::En),
        "/static/eid.css",
        PageError::BadRequest,
    );
    assert!(english.contains("<html lang=\"en\">"), "{english}");
    assert!(
        english.contains("<p>The request was malformed.</p>"),
        "{english}"
    );
}

use super::*;

fn page(locale: Locale, preselected: Option<&'static str>) -> String {
    LoginPage {
        locale,
        transaction: "tx\"<&>",
        client_id: "e-<service>",
        choices: vec![
            Choice {
                id: "astrid",
                name: "Astrid Ödmark",
                kind: PersonKind::Adult,
            },
            Choice {
                id: "mallory",
                name: "<script>alert('x')</script> & \"co\"",
                kind: PersonKind::Child,
            },
        ],
        preselected,
    }
    .render()
}

#[test]
fn the_page_is_swedish_or_english() {
    let sv = page(Locale::Sv, None);
    assert!(sv.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
    assert!(sv.contains("<h1>Välj testperson</h1>"));
    assert!(sv.contains("<legend>Testpersoner</legend>"));
    assert!(sv.contains(">Logga in</button>"));
    assert!(sv.contains(">Avbryt</button>"));
    assert!(sv.contains("Astrid Ödmark (vuxen, personnummer)"));
    let en = page(Locale::En, None);
    assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(en.contains("<h1>Choose a test person</h1>"));
    assert!(en.contains("<legend>Test persons</legend>"));
    assert!(en.contains(">Log in</button>"));
    assert!(en.contains(">Cancel</button>"));
    assert!(en.contains("Astrid Ödmark (adult, personal identity number)"));
}

#[test]
fn the_page_escapes_everything_it_shows() {
    let html = page(Locale::En, None);
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"));
    assert!(
        html.contains(
            "<input type=\"hidden\" name=\"transaction\" value=\"tx&quot;&lt;&amp;&gt;\">"
        )
    );
    assert!(html.contains("<strong>e-&lt;service&gt;</strong>"));
}

#[test]
fn the_page_is_accessible_and_has_no_inline_script_or_style() {
    let html = page(Locale::Sv, Some("mallory"));
    // Every radio button has a label bound to it.
    for index in 0..2 {
        assert!(html.contains(&format!(
            "<input type=\"radio\" id=\"person-{index}\" name=\"person\""
        )));
        assert!(html.contains(&format!("<label for=\"person-{index}\">")));
    }
    assert!(html.contains("<fieldset>") && html.contains("<main>"));
    for forbidden in [
        "<script",
        "<style",
        "style=",
        "onclick",
        "onload",
        "javascript:",
    ] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    // The hint preselects exactly its person; cancel skips the "required" check.
    assert_eq!(html.matches(" checked").count(), 1);
    assert!(html.contains("value=\"mallory\" required checked>"));
    assert!(html.contains("name=\"cancel\" value=\"1\" formnovalidate"));
    assert_eq!(page(Locale::Sv, None).matches(" checked").count(), 0);
}

#[test]
fn the_language_follows_ui_locales_then_accept_language() {
    let en = vec!["en-GB".to_owned()];
    assert_eq!(Locale::choose(&en, Some("sv")), Locale::En);
    let unknown = vec!["fi".to_owned(), "sv-SE".to_owned()];
    assert_eq!(Locale::choose(&unknown, Some("en")), Locale::Sv);
    assert_eq!(
        Locale::choose(&[], Some("de-DE,en-US;q=0.8,sv;q=0.5")),
        Locale::En
    );
    assert_eq!(Locale::choose(&[], Some("de")), Locale::Sv);
    assert_eq!(Locale::choose(&[], None), Locale::Sv);
}

#[test]
fn pages_carry_the_security_headers() {
    let response = html_response(StatusCode::OK, Locale::En, page(Locale::En, None));
    let headers = response.headers();
    let header = |name| headers.get(name).unwrap().to_str().unwrap();
    assert_eq!(header(header::CONTENT_TYPE), "text/html; charset=utf-8");
    assert_eq!(
        header(header::CONTENT_SECURITY_POLICY),
        CONTENT_SECURITY_POLICY
    );
    assert!(CONTENT_SECURITY_POLICY.contains("default-src 'none'"));
    assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
    assert_eq!(header(header::X_FRAME_OPTIONS), "DENY");
    assert_eq!(header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(header(header::CACHE_CONTROL), "no-store");
    assert_eq!(header(header::REFERRER_POLICY), "no-referrer");
    assert_eq!(header(header::CONTENT_LANGUAGE), "en");
}

#[test]
fn error_pages_say_what_happened_in_both_languages() {
    let sv = render_error(Locale::Sv, Problem::WrongBrowser);
    assert!(sv.contains("<html lang=\"sv\">"));
    assert!(sv.contains("<h1>Inloggningen kan inte fortsätta</h1>"));
    assert!(sv.contains("en annan webbläsare"));
    let en = render_error(Locale::En, Problem::Expired);
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("has expired"));
    let response = error_response(Locale::En, Problem::Internal);
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        error_response(Locale::En, Problem::BadRequest).status(),
        StatusCode::BAD_REQUEST
    );
}

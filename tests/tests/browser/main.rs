//! Real browser: headless Chromium (Debian's `chromium`, never a downloaded build) driven by
//! `playwright-core` through the pages a person sees, each page scanned with `axe-core` for
//! violations of WCAG 2.1 A and AA (tags `wcag2a`, `wcag2aa`, `wcag21a`, `wcag21aa`): there must
//! be none. The npm packages are pinned by `tests/browser/package-lock.json`.
//!
//! The Rust tests start the servers in process on 127.0.0.1 and describe flows of steps
//! ([`runner::Flow`], [`runner::Step`]: go to a URL, check a labelled radio button, click a
//! named button, press a key; then the page expected: URL, status, language, heading, texts,
//! focus); `tests/browser/run.mjs` runs them as a child process with a time limit, writes a
//! screenshot of every step to a folder the test prints (under the target's
//! `tmp/browser-screenshots/`), and reports what each page showed and axe-core's violations as
//! JSON, which the runner checks. On every page it also checks that nothing scrolls sideways
//! (WCAG 1.4.10, with a flow at 320 CSS pixels), and where asked the contrast of the focused
//! button's outline (WCAG 1.4.11), which axe-core does not check.
//!
//! Pages covered here: the mock IdP's login page (Swedish and English, from `ui_locales`; with
//! the mouse and with the keyboard alone) and its error page; the provider engine's error page
//! (an unregistered `redirect_uri`, Swedish and English), logged-out page and form-post page
//! (in the language of `ui_locales`, whatever the browser's); the test e-service's result page
//! after a login, a cancel, and a form post submitted by the engine's script or by the person.
//! The broker's demo (`eid_broker::demo`, in process): the demo e-service's pages (start,
//! result, error), the level chosen in its list, the broker's provider-choice page and error
//! page, the mocks' login pages — login in Swedish and English, cancel at the choice and at
//! the login, step-up in one browser, loa4 without a choice. Every flow also fails on any
//! Content-Security-Policy violation the browser reports.
//!
//! Without Chromium, Node.js or npm these tests fail with a message saying what to install;
//! `scripts/test` installs Chromium when it runs as root.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod rp;
mod runner;

use eid_idp_mock::{MockConfig, MockIdp};
use serde_json::{Value, json};

use runner::{Flow, Step};

/// The mock's login path (its own route, next to the engine's endpoints).
const LOGIN_PATH: &str = "/login";

async fn metadata(issuer: &str) -> Value {
    reqwest::get(format!("{issuer}/.well-known/openid-configuration"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Logins at the mock IdP from a relying party, in Swedish and English; cancel; form post with
/// and without the engine's script; the mock's and the engine's error pages; the logged-out
/// page. Every page is scanned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mock_idp_and_provider_pages_in_chromium_are_accessible() {
    let bound = rp::Bound::bind().await;
    let mock = MockIdp::start(MockConfig::default().with_client(bound.client()))
        .await
        .unwrap();
    let issuer = mock.issuer().as_str().trim_end_matches('/').to_owned();
    let metadata = metadata(&issuer).await;
    let rp = bound.serve(&metadata);
    let sub = mock.app().subject_of("astrid").unwrap();
    let login = format!("{issuer}{LOGIN_PATH}");
    let callback = rp.callback();
    let acr = mock.app().profile().acr().as_uri();

    let login_flow = |name, ui_locales: &'static str, heading, button, result| {
        let lang = ui_locales;
        Flow::new(
            name,
            "sv-SE",
            vec![
                Step::goto("login-page", rp.start_url(ui_locales, None))
                    .lands_at(&login)
                    .status(200)
                    .shows(lang, heading)
                    .text(rp::CLIENT_ID)
                    .text("Astrid Ödmark"),
                Step::check("choose-person", "Astrid Ödmark"),
                Step::click("log-in", button)
                    .lands_at(&callback)
                    .status(200)
                    .shows(lang, result)
                    .text(&sub)
                    .text(acr),
            ],
        )
    };
    let cancel_flow = |name, ui_locales: &'static str, heading, button, result| {
        Flow::new(
            name,
            "en-GB",
            vec![
                Step::goto("login-page", rp.start_url(ui_locales, None))
                    .lands_at(&login)
                    .shows(ui_locales, heading),
                Step::click("cancel", button)
                    .lands_at(&callback)
                    .status(200)
                    .shows(ui_locales, result)
                    .text("access_denied"),
            ],
        )
    };
    // The engine's script posts the form at once; blocked, the person sees the page and
    // presses its button. The page speaks the language of the request's `ui_locales`, not the
    // browser's.
    let form_post_by_hand = |name, browser, lang: &'static str| {
        let (heading, button, title, next, result) = match lang {
            "sv" => (
                "Välj testperson",
                "Logga in",
                "Du skickas tillbaka till tjänsten",
                "Fortsätt",
                "Inloggad",
            ),
            _ => (
                "Choose a test person",
                "Log in",
                "Taking you back to the service",
                "Continue",
                "Logged in",
            ),
        };
        let mut flow = Flow::new(
            name,
            browser,
            vec![
                Step::goto("login-page", rp.start_url(lang, Some("form_post")))
                    .lands_at(&login)
                    .shows(lang, heading),
                Step::check("choose-person", "Astrid Ödmark"),
                Step::click("form-post-page", button)
                    .waits_for_heading(title)
                    .lands_at(&login)
                    .status(200)
                    .shows(lang, title)
                    .text(next),
                Step::press("focus-the-button", "Tab")
                    .focus(if lang == "sv" {
                        "button Fortsätt"
                    } else {
                        "button Continue"
                    })
                    .focus_outline_contrast(3.0),
                Step::click("continue", next)
                    .lands_at(&callback)
                    .status(200)
                    .shows(lang, result)
                    .text(&sub),
            ],
        );
        flow.block = vec![format!("{issuer}/static/form-post.js")];
        flow
    };
    // The login page works with the keyboard alone: Tab to the persons, Space to choose the
    // first, Tab to the login button, Enter.
    let keyboard = Flow::new(
        "login-sv-keyboard",
        "sv-SE",
        vec![
            Step::goto("login-page", rp.start_url("sv", None))
                .lands_at(&login)
                .shows("sv", "Välj testperson"),
            Step::press("tab-to-persons", "Tab").focus("input Astrid Ödmark (vuxen, personnummer)"),
            Step::press("choose-with-space", "Space")
                .focus("input Astrid Ödmark (vuxen, personnummer)")
                .scanned(),
            Step::press("tab-to-log-in", "Tab").focus("button Logga in"),
            Step::press("log-in-with-enter", "Enter")
                .lands_at(&callback)
                .status(200)
                .shows("sv", "Inloggad")
                .text(&sub)
                .scanned(),
        ],
    );
    let form_post_by_script = Flow::new(
        "form-post-en-by-script",
        "sv-SE",
        vec![
            Step::goto("login-page", rp.start_url("en", Some("form_post")))
                .lands_at(&login)
                .shows("en", "Choose a test person"),
            Step::check("choose-person", "Astrid Ödmark"),
            Step::click("log-in", "Log in")
                .lands_at(&callback)
                .status(200)
                .shows("en", "Logged in")
                .text(&sub),
        ],
    );

    // A request the engine must refuse on its own page: the redirect URI is not registered.
    let unregistered = |ui_locales: &str| {
        let mut url =
            url::Url::parse(metadata["authorization_endpoint"].as_str().unwrap()).unwrap();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", rp::CLIENT_ID)
            .append_pair("redirect_uri", &format!("{callback}/not-registered"))
            .append_pair("scope", "openid")
            .append_pair("state", "s")
            .append_pair(
                "code_challenge",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            )
            .append_pair("code_challenge_method", "S256")
            .append_pair("ui_locales", ui_locales);
        url.to_string()
    };
    let end_session = metadata["end_session_endpoint"].as_str().unwrap();
    let error_pages = |name, locale, lang: &'static str| {
        let (engine_heading, mock_heading, logged_out) = match lang {
            "sv" => (
                "Begäran kunde inte hanteras",
                "Inloggningen kan inte fortsätta",
                "Du är utloggad",
            ),
            _ => (
                "The request could not be handled",
                "The login cannot continue",
                "You are logged out",
            ),
        };
        Flow::new(
            name,
            locale,
            vec![
                Step::goto("engine-error-unregistered-redirect-uri", unregistered(lang))
                    .status(400)
                    .shows(lang, engine_heading)
                    .text("invalid_request"),
                Step::goto(
                    "mock-error-unknown-login",
                    format!("{login}?transaction=unknown"),
                )
                .status(400)
                .shows(lang, mock_heading),
                Step::goto(
                    "engine-logged-out",
                    format!("{end_session}?ui_locales={lang}"),
                )
                .status(200)
                .shows(lang, logged_out),
            ],
        )
    };

    // At 320 CSS pixels wide (a phone, or 400 % zoom) nothing scrolls sideways (WCAG 1.4.10).
    let mut narrow = Flow::new(
        "narrow-320",
        "sv-SE",
        vec![
            Step::goto("login-page", rp.start_url("sv", None))
                .lands_at(&login)
                .shows("sv", "Välj testperson"),
            Step::goto("engine-error-unregistered-redirect-uri", unregistered("sv"))
                .status(400)
                .shows("sv", "Begäran kunde inte hanteras"),
            Step::goto("engine-logged-out", format!("{end_session}?ui_locales=en"))
                .shows("en", "You are logged out"),
        ],
    );
    narrow.viewport = Some((320, 640));

    let flows = [
        login_flow("login-sv", "sv", "Välj testperson", "Logga in", "Inloggad"),
        login_flow(
            "login-en",
            "en",
            "Choose a test person",
            "Log in",
            "Logged in",
        ),
        cancel_flow(
            "cancel-sv",
            "sv",
            "Välj testperson",
            "Avbryt",
            "Inloggningen avbröts",
        ),
        cancel_flow(
            "cancel-en",
            "en",
            "Choose a test person",
            "Cancel",
            "The login was cancelled",
        ),
        form_post_by_hand("form-post-sv-by-hand", "en-GB", "sv"),
        form_post_by_hand("form-post-en-by-hand", "sv-SE", "en"),
        form_post_by_script,
        keyboard,
        error_pages("pages-sv", "sv-SE", "sv"),
        error_pages("pages-en", "en-GB", "en"),
        narrow,
    ];
    let screenshots = runner::screenshot_dir("mock-idp-and-provider-pages");
    let summary = runner::run_flows(&flows, &screenshots).await;
    assert_eq!(summary["screenshots"], json!(screenshots));
    mock.stop().await;
}

/// The broker's demo in the browser: the demo e-service's start page, the level chosen in its
/// list, the broker's provider choice, the mock's login page, and back at the e-service with
/// the verified identity and level — in Swedish and in English; cancel at the choice page and
/// at the mock's login; step-up in one browser (loa2, then loa3: the person goes upstream
/// again, then loa4); loa4, where only the ID card qualifies and the choice is skipped (and
/// eIDAS substantial, where only the eIDAS node does); the broker's and the e-service's error
/// pages; the keyboard alone; 320 CSS pixels. Every page is scanned, and the browser reports no
/// Content-Security-Policy violation on the way (the choice page's form leads through
/// redirects to another origin, which `form-action` would block).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_demo_in_chromium_is_accessible() {
    let demo = eid_broker::demo::start(0).await.unwrap();
    let base = demo.base_url();
    let start = demo.url().to_owned();
    let choose = format!("{base}/choose");
    let callback = format!("{base}{}", eid_broker::demo::eservice::CALLBACK_PATH);
    let login_at = |upstream: &str| {
        let issuer = demo.mock(upstream).unwrap().issuer().as_str();
        format!("{}{LOGIN_PATH}", issuer.trim_end_matches('/'))
    };
    let (bankid, idcard, workplace, eidas) = (
        login_at("bankid"),
        login_at("idcard"),
        login_at("workplace"),
        login_at("eidas"),
    );
    let loa = |n: u8| format!("http://id.elegnamnden.se/loa/1.0/loa{n}");
    // The persons' numbers, as the mocks deliver them and the e-service shows them verified.
    let (astrid, bertil, eva) = ("198501012382", "195201161857", "199001012385");

    // Swedish, with step-up in the same browser: loa2 (BankID, which authenticates at loa3),
    // then loa3 (upstream again: the choice and the login are shown anew, `prompt=login`),
    // then loa4 (only the ID card qualifies: no choice).
    let swedish = Flow::new(
        "demo-sv-step-up",
        "sv-SE",
        vec![
            Step::goto("start-page", &start)
                .status(200)
                .shows("sv", "Logga in")
                .text("Demo-e-tjänst")
                .text("Tillitsnivå som krävs"),
            Step::select("choose-loa2", "Tillitsnivå som krävs", "Tillitsnivå 2"),
            Step::click("choice-page", "Logga in")
                .lands_at(&choose)
                .status(200)
                .shows("sv", "Välj hur du vill legitimera dig")
                .text("BankID (test)")
                .text("Arbetsplatsinloggning (test)")
                .text("Statligt ID-kort (test)"),
            Step::check("choose-bankid", "BankID (test)"),
            Step::click("mock-login-page", "Fortsätt")
                .lands_at(&bankid)
                .status(200)
                .shows("sv", "Välj testperson")
                .text("Astrid Ödmark"),
            Step::check("choose-astrid", "Astrid Ödmark"),
            Step::click("logged-in-loa2", "Logga in")
                .lands_at(&callback)
                .status(200)
                .shows("sv", "Inloggad")
                .text("Verifierad identitet")
                .text(astrid)
                .text(loa(3)),
            Step::goto("start-again", &start).shows("sv", "Logga in"),
            Step::select("choose-loa3", "Tillitsnivå som krävs", "Tillitsnivå 3"),
            Step::click("step-up-choice-page", "Logga in")
                .lands_at(&choose)
                .status(200)
                .shows("sv", "Välj hur du vill legitimera dig"),
            Step::check("choose-bankid-again", "BankID (test)"),
            Step::click("step-up-mock-login-page", "Fortsätt")
                .lands_at(&bankid)
                .shows("sv", "Välj testperson"),
            Step::check("choose-astrid-again", "Astrid Ödmark"),
            Step::click("logged-in-loa3", "Logga in")
                .lands_at(&callback)
                .status(200)
                .shows("sv", "Inloggad")
                .text(astrid)
                .text(loa(3)),
            Step::goto("start-for-loa4", &start).shows("sv", "Logga in"),
            Step::select("choose-loa4", "Tillitsnivå som krävs", "Tillitsnivå 4"),
            Step::click("loa4-mock-login-page-without-choice", "Logga in")
                .lands_at(&idcard)
                .status(200)
                .shows("sv", "Välj testperson")
                .text("Bertil Åkesson"),
            Step::check("choose-bertil", "Bertil Åkesson"),
            Step::click("logged-in-loa4", "Logga in")
                .lands_at(&callback)
                .status(200)
                .shows("sv", "Inloggad")
                .text(bertil)
                .text(loa(4)),
        ],
    );
    // English (the e-service's language, whatever the browser's): loa3 through the workplace
    // login; then loa4 straight to the ID card.
    let english = Flow::new(
        "demo-en",
        "sv-SE",
        vec![
            Step::goto("start-page", format!("{start}?lang=en"))
                .status(200)
                .shows("en", "Log in")
                .text("Demo e-service")
                .text("Level of assurance required"),
            Step::select(
                "choose-loa3",
                "Level of assurance required",
                "Level of assurance 3",
            ),
            Step::click("choice-page", "Log in")
                .lands_at(&choose)
                .status(200)
                .shows("en", "Choose how to identify yourself")
                .text("Workplace login (test)")
                .text("State ID card (test)"),
            Step::check("choose-workplace", "Workplace login (test)"),
            Step::click("mock-login-page", "Continue")
                .lands_at(&workplace)
                .status(200)
                .shows("en", "Choose a test person")
                .text("Eva Handläggare"),
            Step::check("choose-eva", "Eva Handläggare"),
            Step::click("logged-in", "Log in")
                .lands_at(&callback)
                .status(200)
                .shows("en", "Logged in")
                .text("Verified identity")
                .text(eva)
                .text(loa(3)),
            Step::goto("start-for-loa4", format!("{start}?lang=en")).shows("en", "Log in"),
            Step::select(
                "choose-loa4",
                "Level of assurance required",
                "Level of assurance 4",
            ),
            Step::click("loa4-mock-login-page-without-choice", "Log in")
                .lands_at(&idcard)
                .status(200)
                .shows("en", "Choose a test person")
                .text("Bertil Åkesson"),
            Step::check("choose-bertil", "Bertil Åkesson"),
            Step::click("logged-in-loa4", "Log in")
                .lands_at(&callback)
                .status(200)
                .shows("en", "Logged in")
                .text(bertil)
                .text(loa(4)),
            Step::goto("start-for-eidas", format!("{start}?lang=en")).shows("en", "Log in"),
            Step::select(
                "choose-eidas",
                "Level of assurance required",
                "eIDAS substantial",
            ),
            Step::click("eidas-mock-login-page-without-choice", "Log in")
                .lands_at(&eidas)
                .status(200)
                .shows("en", "Choose a test person")
                .text("Giulia Rossi"),
            Step::check("choose-giulia", "Giulia Rossi"),
            Step::click("logged-in-eidas", "Log in")
                .lands_at(&callback)
                .status(200)
                .shows("en", "Logged in")
                .text("Giulia")
                .text("http://id.elegnamnden.se/loa/1.0/eidas-nf-sub"),
        ],
    );
    // Cancel at the choice page, then at the mock's login: the e-service shows access_denied.
    // Then the error pages: the broker's (a choice without its login) in the browser's
    // language, the e-service's (an unknown level, a callback it did not start).
    let cancel = |name, locale, lang: &'static str| {
        let t = |sv: &'static str, en: &'static str| if lang == "sv" { sv } else { en };
        let start = format!("{start}?lang={lang}");
        Flow::new(
            name,
            locale,
            vec![
                Step::goto("start-page", &start).shows(lang, t("Logga in", "Log in")),
                Step::click("choice-page", t("Logga in", "Log in"))
                    .lands_at(&choose)
                    .shows(
                        lang,
                        t(
                            "Välj hur du vill legitimera dig",
                            "Choose how to identify yourself",
                        ),
                    ),
                Step::click("cancel-at-choice", t("Avbryt", "Cancel"))
                    .lands_at(&callback)
                    .status(200)
                    .shows(lang, t("Inte inloggad", "Not logged in"))
                    .text(t("Inloggningen avbröts.", "The login was cancelled."))
                    .text("access_denied"),
                Step::goto("start-again", &start).shows(lang, t("Logga in", "Log in")),
                Step::click("choice-page-again", t("Logga in", "Log in")).lands_at(&choose),
                Step::check("choose-bankid", "BankID (test)"),
                Step::click("mock-login-page", t("Fortsätt", "Continue"))
                    .lands_at(&bankid)
                    .shows(lang, t("Välj testperson", "Choose a test person")),
                Step::click("cancel-at-mock", t("Avbryt", "Cancel"))
                    .lands_at(&callback)
                    .status(200)
                    .shows(lang, t("Inte inloggad", "Not logged in"))
                    .text(t("Inloggningen avbröts.", "The login was cancelled."))
                    .text("access_denied"),
                Step::goto("broker-error-page", &choose)
                    .status(400)
                    .text(t("Begäran var felaktig.", "The request was malformed."))
                    .shows(
                        lang,
                        t(
                            "Inloggningen kunde inte genomföras",
                            "The login could not be completed",
                        ),
                    ),
                Step::goto(
                    "eservice-error-unknown-level",
                    format!("{base}/demo/login?level=loa9&lang={lang}"),
                )
                .status(400)
                .shows(lang, t("Inte inloggad", "Not logged in"))
                .text("unknown_level"),
                Step::goto(
                    "eservice-error-unknown-state",
                    format!("{callback}?code=x&state=not-started"),
                )
                .status(400)
                .shows("sv", "Inte inloggad")
                .text("unknown_state"),
            ],
        )
    };
    // At 320 CSS pixels wide nothing scrolls sideways (WCAG 1.4.10): the result page's long
    // values (the level's URI, the pseudonym) wrap.
    let mut narrow = Flow::new(
        "demo-narrow-320",
        "en-GB",
        vec![
            Step::goto("start-page", format!("{start}?lang=en")).shows("en", "Log in"),
            Step::click("choice-page", "Log in").lands_at(&choose),
            Step::click("mock-login-page", "Continue").lands_at(&bankid),
            Step::check("choose-astrid", "Astrid Ödmark"),
            Step::click("logged-in", "Log in")
                .lands_at(&callback)
                .shows("en", "Logged in")
                .text(astrid),
        ],
    );
    narrow.viewport = Some((320, 640));
    // The keyboard alone, with a visible focus outline of enough contrast (WCAG 2.1.1, 2.4.7,
    // 1.4.11): the e-service's list and button, the choice page's provider, checkbox and
    // button, the mock's person and button.
    let keyboard = Flow::new(
        "demo-sv-keyboard",
        "sv-SE",
        vec![
            Step::goto("start-page", &start).shows("sv", "Logga in"),
            Step::press("tab-to-language", "Tab").focus("a In English"),
            Step::press("tab-to-level", "Tab")
                .focus("select Tillitsnivå som krävs")
                .described_by("nivå 4 bara av ID-kortet")
                .focus_outline_contrast(3.0),
            Step::press("tab-to-log-in", "Tab")
                .focus("button Logga in")
                .focus_outline_contrast(3.0),
            Step::press("log-in-with-enter", "Enter")
                .lands_at(&choose)
                .shows("sv", "Välj hur du vill legitimera dig")
                .scanned(),
            Step::press("tab-to-provider", "Tab").focus("input BankID (test)"),
            Step::press("tab-to-remember", "Tab")
                .focus("input Kom ihåg mitt val på den här enheten"),
            Step::press("tab-to-continue", "Tab")
                .focus("button Fortsätt")
                .focus_outline_contrast(3.0),
            Step::press("continue-with-enter", "Enter")
                .lands_at(&bankid)
                .shows("sv", "Välj testperson")
                .scanned(),
            Step::press("tab-to-persons", "Tab").focus("input Astrid Ödmark (vuxen, personnummer)"),
            Step::press("choose-with-space", "Space"),
            Step::press("tab-to-log-in-at-mock", "Tab").focus("button Logga in"),
            Step::press("log-in-at-mock-with-enter", "Enter")
                .lands_at(&callback)
                .status(200)
                .shows("sv", "Inloggad")
                .text(astrid)
                .scanned(),
        ],
    );

    let flows = [
        swedish,
        keyboard,
        english,
        cancel("demo-cancel-sv", "sv-SE", "sv"),
        cancel("demo-cancel-en", "en-GB", "en"),
        narrow,
    ];
    let screenshots = runner::screenshot_dir("broker-demo");
    let summary = runner::run_flows(&flows, &screenshots).await;
    assert_eq!(summary["screenshots"], json!(screenshots));

    // The broker saw it the same way: eight logins, two cancellations per language.
    let outcomes: Vec<String> = demo
        .audit_lines()
        .iter()
        .map(|line| {
            let event: Value = serde_json::from_str(line).unwrap();
            format!(
                "{} {}",
                event["outcome"].as_str().unwrap(),
                event["upstream"]
            )
        })
        .collect();
    let count = |wanted: &str| outcomes.iter().filter(|o| o.as_str() == wanted).count();
    assert_eq!(count("success \"bankid\""), 4, "{outcomes:#?}");
    assert_eq!(count("success \"idcard\""), 2, "{outcomes:#?}");
    assert_eq!(count("success \"workplace\""), 1, "{outcomes:#?}");
    assert_eq!(count("success \"eidas\""), 1, "{outcomes:#?}");
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| o.starts_with("cancelled"))
            .count(),
        4,
        "{outcomes:#?}"
    );
    demo.stop().await.unwrap();
}

/// A page that breaks its own Content-Security-Policy (an inline style and an inline script
/// under `default-src 'none'`) fails its flow with the violations reported, from the
/// `securitypolicyviolation` events and the console: the browser enforces the policy, and
/// the runner listens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csp_violation_fails_the_flow() {
    runner::runner_ready();
    let screenshots = runner::screenshot_dir("csp-violation");
    let page = "<!DOCTYPE html><html lang=\"en\"><head><title>CSP</title>\
                <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">\
                </head><body><main><h1 style=\"color:#000\">CSP</h1>\
                <script>document.title = 'ran';</script></main></body></html>";
    let (success, summary) = runner::run_script(&json!({
        "chromium": runner::chromium(),
        "screenshots": screenshots,
        "axe_tags": runner::AXE_TAGS,
        "flows": [{ "name": "csp", "steps": [{
            "name": "csp-page",
            "goto": format!("data:text/html;charset=utf-8,{}", url::form_urlencoded::byte_serialize(page.as_bytes()).collect::<String>().replace('+', "%20")),
        }] }],
    }))
    .await;
    let pretty = serde_json::to_string_pretty(&summary).unwrap();
    assert!(!success, "{pretty}");
    assert_eq!(summary["flows"][0]["ok"], json!(false), "{pretty}");
    let step = &summary["flows"][0]["steps"][0];
    assert_eq!(step["ok"], json!(true), "the step itself ran:\n{pretty}");
    assert_eq!(
        step["title"],
        json!("CSP"),
        "the script did not run:\n{pretty}"
    );
    assert_eq!(step["axe"]["violations"], json!([]), "{pretty}");
    let violations = step["csp_violations"].as_array().unwrap();
    let directives: Vec<&str> = violations
        .iter()
        .filter(|v| v["source"] == "event")
        .map(|v| v["directive"].as_str().unwrap())
        .collect();
    assert!(directives.contains(&"style-src-attr"), "{pretty}");
    assert!(directives.contains(&"script-src-elem"), "{pretty}");
    assert!(
        violations.iter().any(|v| v["source"] == "console"
            && v["text"]
                .as_str()
                .unwrap()
                .contains("Content Security Policy")),
        "{pretty}"
    );
}

/// A browser that cannot be started fails the run with a message that says what to install,
/// never a skip.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_chromium_fails_with_what_to_install() {
    runner::runner_ready();
    let screenshots = runner::screenshot_dir("missing-chromium");
    let (success, summary) = runner::run_script(&json!({
        "chromium": "/nonexistent/chromium",
        "screenshots": screenshots,
        "flows": [{ "name": "never", "steps": [{ "name": "start", "goto": "about:blank" }] }],
    }))
    .await;
    assert!(!success, "{summary}");
    assert_eq!(summary["ok"], json!(false));
    let error = summary["error"].as_str().unwrap();
    assert!(
        error.contains("Chromium could not be started from /nonexistent/chromium"),
        "{error}"
    );
    assert!(error.contains("apt-get install chromium"), "{error}");
    assert_eq!(summary["flows"], json!([]));
}

/// The scan finds what it must: a page without a language, an image without a text
/// alternative, a field without a label and a low-contrast text has exactly those violations,
/// and its flow fails; its too wide block is seen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_reports_the_violations_of_an_inaccessible_page() {
    runner::runner_ready();
    let screenshots = runner::screenshot_dir("inaccessible-page");
    let page = "<!DOCTYPE html><html><head><title>Bad</title></head><body><main>\
                <h1>Bad</h1><img src=\"data:,\"><input type=\"text\" name=\"q\">\
                <p style=\"color:#bbb;background:#fff\">faint</p>\
                <div style=\"width:2000px\">wide</div></main></body></html>";
    let (success, summary) = runner::run_script(&json!({
        "chromium": runner::chromium(),
        "screenshots": screenshots,
        "axe_tags": runner::AXE_TAGS,
        "flows": [{ "name": "bad", "steps": [{
            "name": "bad-page",
            "goto": format!("data:text/html;charset=utf-8,{}", url::form_urlencoded::byte_serialize(page.as_bytes()).collect::<String>().replace('+', "%20")),
        }] }],
    }))
    .await;
    let pretty = serde_json::to_string_pretty(&summary).unwrap();
    assert!(!success, "{pretty}");
    assert_eq!(summary["ok"], json!(false), "{pretty}");
    let step = &summary["flows"][0]["steps"][0];
    assert_eq!(step["ok"], json!(true), "the step itself ran:\n{pretty}");
    assert_eq!(step["heading"], json!("Bad"), "{pretty}");
    assert_eq!(step["overflow_x"], json!(true), "{pretty}");
    let mut ids: Vec<&str> = step["axe"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        ["color-contrast", "html-has-lang", "image-alt", "label"],
        "{pretty}"
    );
    assert_eq!(summary["flows"][0]["ok"], json!(false));
}

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
//! The broker's demo (e-service → provider choice → mock login → back) is one more list of
//! flows with the same builders.
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

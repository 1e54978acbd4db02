//! Runs `tests/browser/run.mjs` (headless Chromium through playwright-core, axe-core scans) on
//! a list of flows and checks its JSON summary against what each step must show.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use eid_tests::node::npm_ready;
use serde_json::{Value, json};

/// The longest a whole run may take (a dozen flows of a few steps each on loopback take a few
/// seconds; Chromium's start-up one).
const RUN_TIMEOUT: Duration = Duration::from_secs(90);
/// How long one action or wait inside the browser may take.
const STEP_TIMEOUT_MS: u64 = 10_000;
/// Where Debian's `chromium` package puts the browser.
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
/// The axe-core rule tags that must have no violation: WCAG 2.1 levels A and AA.
pub(crate) const AXE_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// The folder of the runner and its locked npm packages.
pub(crate) fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("browser")
}

/// The Chromium executable: `EID_CHROMIUM` if set, else Debian's. Panics with what to install
/// when it is missing: a missing browser fails the suite, it never skips it.
pub(crate) fn chromium() -> PathBuf {
    let path = std::env::var_os("EID_CHROMIUM")
        .map_or_else(|| PathBuf::from(DEFAULT_CHROMIUM), PathBuf::from);
    assert!(
        path.is_file(),
        "Chromium not found at {}: the browser tests need Debian's chromium package \
         (`apt-get install chromium`; scripts/test installs it when run as root), or set \
         EID_CHROMIUM to a Chromium executable",
        path.display()
    );
    path
}

/// The versions the lockfile pins.
#[derive(Debug)]
pub(crate) struct Locked {
    /// playwright-core.
    pub(crate) playwright: String,
    /// axe-core.
    pub(crate) axe: String,
}

/// Checks Node.js, installs the locked npm packages when needed (`npm ci`, as scripts/test
/// does) and returns the pinned versions. Done once per test binary.
pub(crate) fn runner_ready() -> &'static Locked {
    static READY: OnceLock<Result<Locked, String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        let pinned = npm_ready(&browser_dir(), &["playwright-core", "axe-core"])?;
        let version = |name: &str| pinned.get(name).cloned().unwrap_or_default();
        Ok::<_, String>(Locked {
            playwright: version("playwright-core"),
            axe: version("axe-core"),
        })
    });
    match ready {
        Ok(locked) => locked,
        Err(message) => panic!("browser runner not ready: {message}"),
    }
}

/// The folder for one test's screenshots, emptied, under the target's temporary folder.
pub(crate) fn screenshot_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("browser-screenshots")
        .join(test);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What a step does in the browser.
#[derive(Clone, Debug)]
pub(crate) enum Action {
    /// Load a URL.
    Goto(String),
    /// Check the radio button whose label contains the text.
    Check(&'static str),
    /// In the drop-down list whose label contains the first text, select the option whose
    /// label is the second.
    Select(&'static str, &'static str),
    /// Click the button whose accessible name is the text.
    Click(&'static str),
    /// Press a key (Playwright's names: `Tab`, `Space`, `Enter`).
    Press(&'static str),
}

/// What the page must show after a step; `None` is not checked.
#[derive(Clone, Debug, Default)]
pub(crate) struct Expect {
    /// The URL starts with this.
    pub(crate) url: Option<String>,
    /// The HTTP status of the last main-frame navigation.
    pub(crate) status: Option<u16>,
    /// `<html lang>`.
    pub(crate) lang: Option<&'static str>,
    /// The first `h1`, exactly.
    pub(crate) heading: Option<&'static str>,
    /// Texts the page shows.
    pub(crate) texts: Vec<String>,
    /// The focused element: its tag, a space and its label or text.
    pub(crate) focused: Option<&'static str>,
    /// A text the focused element's description (its `aria-describedby`) contains.
    pub(crate) described: Option<&'static str>,
    /// The least contrast of the focused element's solid outline against the background
    /// around it.
    pub(crate) outline_contrast: Option<f64>,
}

/// One step of a flow.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    /// A name for the screenshot file and the report: `[a-z0-9-]+`.
    pub(crate) name: &'static str,
    /// What it does.
    pub(crate) action: Action,
    /// Wait until the URL starts with this.
    pub(crate) wait_url: Option<String>,
    /// Wait until the `h1` is this.
    pub(crate) wait_heading: Option<&'static str>,
    /// Whether the page is scanned with axe-core (false for a page already scanned, such as
    /// the same page after a radio button is checked).
    pub(crate) scan: bool,
    /// What the page must show afterwards.
    pub(crate) expect: Expect,
}

impl Step {
    /// Loads `url` and scans the page.
    pub(crate) fn goto(name: &'static str, url: impl Into<String>) -> Self {
        Self::new(name, Action::Goto(url.into()))
    }

    /// Checks the radio button labelled `label` (the page is not scanned again).
    pub(crate) fn check(name: &'static str, label: &'static str) -> Self {
        Self {
            scan: false,
            ..Self::new(name, Action::Check(label))
        }
    }

    /// Selects the option labelled `option` in the drop-down list labelled `list` (the page is
    /// not scanned again).
    pub(crate) fn select(name: &'static str, list: &'static str, option: &'static str) -> Self {
        Self {
            scan: false,
            ..Self::new(name, Action::Select(list, option))
        }
    }

    /// Presses `key` (the page is not scanned again).
    pub(crate) fn press(name: &'static str, key: &'static str) -> Self {
        Self {
            scan: false,
            ..Self::new(name, Action::Press(key))
        }
    }

    /// Scans the page after this step too.
    pub(crate) fn scanned(mut self) -> Self {
        self.scan = true;
        self
    }

    /// Expects the focus on `element` (its tag, a space and its label or text).
    pub(crate) fn focus(mut self, element: &'static str) -> Self {
        self.expect.focused = Some(element);
        self
    }

    /// Expects the focused element's description (the texts its `aria-describedby` names) to
    /// contain `text`: a hint tied to its control (WCAG 1.3.1), read out with it.
    pub(crate) fn described_by(mut self, text: &'static str) -> Self {
        self.expect.described = Some(text);
        self
    }

    /// Expects the focused element to have a solid outline at least 2px wide whose contrast
    /// with the background around it is at least `ratio` (WCAG 1.4.11 asks 3:1).
    pub(crate) fn focus_outline_contrast(mut self, ratio: f64) -> Self {
        self.expect.outline_contrast = Some(ratio);
        self
    }

    /// Clicks the button `button` and scans the page it leads to.
    pub(crate) fn click(name: &'static str, button: &'static str) -> Self {
        Self::new(name, Action::Click(button))
    }

    fn new(name: &'static str, action: Action) -> Self {
        Self {
            name,
            action,
            wait_url: None,
            wait_heading: None,
            scan: true,
            expect: Expect::default(),
        }
    }

    /// Waits for a URL starting with `prefix`, and expects it.
    pub(crate) fn lands_at(mut self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        self.wait_url = Some(prefix.clone());
        self.expect.url = Some(prefix);
        self
    }

    /// Waits for the page with `heading` as its `h1`.
    pub(crate) fn waits_for_heading(mut self, heading: &'static str) -> Self {
        self.wait_heading = Some(heading);
        self
    }

    /// Expects the page's language, and its heading.
    pub(crate) fn shows(mut self, lang: &'static str, heading: &'static str) -> Self {
        self.expect.lang = Some(lang);
        self.expect.heading = Some(heading);
        self
    }

    /// Expects the HTTP status.
    pub(crate) fn status(mut self, status: u16) -> Self {
        self.expect.status = Some(status);
        self
    }

    /// Expects the page to show `text`.
    pub(crate) fn text(mut self, text: impl Into<String>) -> Self {
        self.expect.texts.push(text.into());
        self
    }

    fn config(&self) -> Value {
        let mut step = json!({ "name": self.name, "scan": self.scan });
        let (key, value) = match &self.action {
            Action::Goto(url) => ("goto", url.as_str()),
            Action::Check(label) => ("check", *label),
            Action::Select(list, option) => {
                step["option"] = json!(option);
                ("select", *list)
            }
            Action::Click(button) => ("click", *button),
            Action::Press(key) => ("press", *key),
        };
        step[key] = json!(value);
        if let Some(url) = &self.wait_url {
            step["wait_url"] = json!(url);
        }
        if let Some(heading) = self.wait_heading {
            step["wait_heading"] = json!(heading);
        }
        step
    }
}

/// A flow: steps in one fresh browser context.
#[derive(Clone, Debug)]
pub(crate) struct Flow {
    /// A name for the screenshot folder and the report: `[a-z0-9-]+`.
    pub(crate) name: &'static str,
    /// The browser's language (its `Accept-Language`).
    pub(crate) locale: &'static str,
    /// Requests whose URL contains one of these are aborted (a script, to see a page that
    /// would otherwise leave at once).
    pub(crate) block: Vec<String>,
    /// The viewport's width and height in CSS pixels (1024×768 when `None`).
    pub(crate) viewport: Option<(u32, u32)>,
    /// The steps.
    pub(crate) steps: Vec<Step>,
}

impl Flow {
    /// A flow in a browser whose language is `locale`.
    pub(crate) fn new(name: &'static str, locale: &'static str, steps: Vec<Step>) -> Self {
        Self {
            name,
            locale,
            block: Vec::new(),
            viewport: None,
            steps,
        }
    }

    fn config(&self) -> Value {
        let mut flow = json!({
            "name": self.name,
            "locale": self.locale,
            "block": self.block,
            "steps": self.steps.iter().map(Step::config).collect::<Vec<_>>(),
        });
        if let Some((width, height)) = self.viewport {
            flow["viewport"] = json!({ "width": width, "height": height });
        }
        flow
    }
}

/// Runs `run.mjs` with `config`: its exit success and its JSON summary.
pub(crate) async fn run_script(config: &Value) -> (bool, Value) {
    let child = tokio::process::Command::new("node")
        .arg("run.mjs")
        .current_dir(browser_dir())
        .env("EID_BROWSER_CONFIG", config.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node could not be started: the browser tests need Node.js 20+");
    // On a time-out the future is dropped with the child, which kills it.
    let Ok(output) = tokio::time::timeout(RUN_TIMEOUT, child.wait_with_output()).await else {
        panic!("run.mjs did not finish within {RUN_TIMEOUT:?}");
    };
    let output = output.unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    let summary: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("run.mjs printed no JSON summary ({e}):\n{out}\n{err}"));
    (output.status.success(), summary)
}

/// Runs `flows` in Chromium, screenshots into `screenshots` (with the summary as
/// `summary.json`), and checks every step: done, on the page expected, not scrolling sideways,
/// with no axe-core violation of WCAG 2.1 A/AA where scanned and no Content-Security-Policy
/// violation reported by the browser. Returns the
/// summary.
#[expect(
    clippy::print_stdout,
    reason = "the test tells where its screenshots are"
)]
pub(crate) async fn run_flows(flows: &[Flow], screenshots: &Path) -> Value {
    let locked = runner_ready();
    let chromium = chromium();
    println!("browser screenshots: {}", screenshots.display());
    let config = json!({
        "chromium": chromium,
        "screenshots": screenshots,
        "timeout_ms": STEP_TIMEOUT_MS,
        "axe_tags": AXE_TAGS,
        "flows": flows.iter().map(Flow::config).collect::<Vec<_>>(),
    });
    let (success, summary) = run_script(&config).await;
    let pretty = serde_json::to_string_pretty(&summary).unwrap();
    std::fs::write(screenshots.join("summary.json"), &pretty).unwrap();
    let versions = &summary["versions"];
    assert_eq!(
        versions["playwright-core"],
        json!(locked.playwright),
        "node_modules is not what the lockfile pins: run `npm ci` in tests/browser"
    );
    assert_eq!(versions["axe-core"], json!(locked.axe));
    assert!(versions["chromium"].is_string(), "{pretty}");

    let reported = summary["flows"]
        .as_array()
        .unwrap_or_else(|| panic!("{pretty}"));
    assert_eq!(reported.len(), flows.len(), "{pretty}");
    for (flow, report) in flows.iter().zip(reported) {
        assert_eq!(report["name"], json!(flow.name));
        let steps = report["steps"].as_array().unwrap();
        for (step, record) in flow.steps.iter().zip(steps) {
            check_step(flow, step, record);
        }
        assert_eq!(
            steps.len(),
            flow.steps.len(),
            "flow {} stopped early:\n{pretty}",
            flow.name
        );
        assert_eq!(report["ok"], json!(true), "flow {}:\n{pretty}", flow.name);
    }
    assert!(success, "run.mjs failed:\n{pretty}");
    assert_eq!(summary["ok"], json!(true), "{pretty}");
    summary
}

fn check_step(flow: &Flow, step: &Step, record: &Value) {
    let at = format!("flow {}, step {}", flow.name, step.name);
    let shown = serde_json::to_string_pretty(record).unwrap();
    assert_eq!(record["name"], json!(step.name), "{at}");
    assert_eq!(record["ok"], json!(true), "{at} failed:\n{shown}");
    let csp = record["csp_violations"]
        .as_array()
        .unwrap_or_else(|| panic!("{at}: no csp_violations:\n{shown}"));
    assert!(
        csp.is_empty(),
        "{at}: the browser reported Content-Security-Policy violations:\n{shown}"
    );
    let screenshot = record["screenshot"].as_str().unwrap();
    let size = std::fs::metadata(screenshot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 0, "{at}: no screenshot at {screenshot}");
    if step.scan {
        let violations = record["axe"]["violations"].as_array().unwrap();
        assert!(
            violations.is_empty(),
            "{at}: axe-core found WCAG 2.1 A/AA violations on {}:\n{}",
            record["url"],
            serde_json::to_string_pretty(violations).unwrap()
        );
        assert!(
            record["axe"]["passes"].as_u64().unwrap() > 0,
            "{at}: axe-core checked no rule:\n{shown}"
        );
    } else {
        assert!(record["axe"].is_null(), "{at}");
    }
    assert_eq!(
        record["overflow_x"],
        json!(false),
        "{at}: the page scrolls sideways (WCAG 1.4.10):\n{shown}"
    );
    let expect = &step.expect;
    if let Some(url) = &expect.url {
        let actual = record["url"].as_str().unwrap();
        assert!(
            actual.starts_with(url.as_str()),
            "{at}: at {actual}, expected {url}"
        );
    }
    if let Some(status) = expect.status {
        assert_eq!(record["status"], json!(status), "{at}:\n{shown}");
    }
    if let Some(lang) = expect.lang {
        assert_eq!(record["lang"], json!(lang), "{at}:\n{shown}");
    }
    if let Some(heading) = expect.heading {
        assert_eq!(record["heading"], json!(heading), "{at}:\n{shown}");
    }
    if let Some(focused) = expect.focused {
        assert_eq!(record["focused"], json!(focused), "{at}:\n{shown}");
    }
    if let Some(text) = expect.described {
        let description = record["focused_description"].as_str().unwrap_or_default();
        assert!(
            description.contains(text),
            "{at}: the focused element's description does not say {text:?}:\n{shown}"
        );
    }
    if let Some(ratio) = expect.outline_contrast {
        let outline = &record["focus_outline"];
        assert_eq!(outline["style"], json!("solid"), "{at}:\n{shown}");
        let width: f64 = outline["width"]
            .as_str()
            .and_then(|w| w.strip_suffix("px"))
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("{at}: outline width:\n{shown}"));
        assert!(width >= 2.0, "{at}: outline {width}px:\n{shown}");
        let color = rgb(outline["color"].as_str().unwrap());
        let background = rgb(outline["background"].as_str().unwrap());
        let contrast = contrast(color, background);
        assert!(
            contrast >= ratio,
            "{at}: the focus outline's contrast is {contrast:.2}:1, below {ratio}:1:\n{shown}"
        );
    }
    let text = record["text"].as_str().unwrap();
    for wanted in &expect.texts {
        assert!(
            text.contains(wanted.as_str()),
            "{at}: the page does not show {wanted:?}:\n{shown}"
        );
    }
}

/// The red, green and blue of a computed CSS colour (`rgb(r, g, b)` or `rgba(r, g, b, a)`).
fn rgb(css: &str) -> [u8; 3] {
    let inner = css
        .strip_prefix("rgba(")
        .or_else(|| css.strip_prefix("rgb("))
        .and_then(|c| c.strip_suffix(')'))
        .unwrap_or_else(|| panic!("not an rgb() colour: {css}"));
    let parts: Vec<u8> = inner
        .split(',')
        .take(3)
        .map(|p| p.trim().parse().unwrap())
        .collect();
    [parts[0], parts[1], parts[2]]
}

/// The contrast ratio of two colours (WCAG 2.1, relative luminance).
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let luminance = |c: [u8; 3]| {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

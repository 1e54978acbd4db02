// Drives headless Chromium (the system's, never a downloaded one) through flows of steps with
// playwright-core, scans every page a step lands on with axe-core, and writes a screenshot of
// each step. Prints one JSON summary on stdout; exits 1 when a step failed or a scan found a
// violation, 2 when the configuration or the browser is unusable.
//
// Configuration: a JSON file named by the first argument, or the JSON text in EID_BROWSER_CONFIG.
//
//   {
//     "chromium": "/usr/bin/chromium",          // executablePath (required)
//     "screenshots": "/abs/folder",             // one sub-folder per flow (required)
//     "timeout_ms": 10000,                      // per action and per wait (optional)
//     "axe_tags": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
//     "parallel": 2,                            // flows run at once, each in its own context
//     "flows": [{
//       "name": "login-sv",                     // [a-z0-9-]+, the screenshot sub-folder
//       "locale": "sv-SE",                      // the browser's language (Accept-Language)
//       "block": ["/static/form-post.js"],      // requests whose URL contains one are aborted
//       "viewport": { "width": 320, "height": 640 }, // CSS pixels; 1024×768 when absent
//       "steps": [                              // in order; a flow stops at its first failure
//         { "name": "start", "goto": "http://…", "wait_url": "http://…/login" },
//         { "name": "level", "select": "Level", "option": "Level 2", "scan": false },
//         { "name": "choose", "check": "Astrid", "scan": false },
//         { "name": "log-in", "click": "Logga in", "wait_url": "http://…/callback" }
//       ]
//     }]
//   }
//
// A step does one action: `goto` a URL, `check` the radio button or checkbox whose label
// contains the text, `select` in the drop-down list whose label contains the text the
// `option` whose label is exactly that text, `click` the button whose accessible name is
// exactly the text, or `press` a key on the keyboard (Playwright's key names: "Tab", "Space",
// "Enter"). With
// `wait_url`, the step then waits until the page's URL starts with it (a navigation, possibly
// through redirects and a script's form post); with `wait_heading`, until the page's `h1` is
// exactly that text (for a form post answered at the same URL); it always waits for the page
// to be loaded.
// Then it records the page (URL, HTTP status of the last main-frame navigation, title, `lang`,
// first `h1`, text of the body, whether it scrolls sideways, the focused element's tag and
// label or text, its description (`aria-describedby`) and its outline), writes a full-page screenshot and, unless `"scan": false`,
// runs axe-core with the given tags and records every violation.
//
// Content-Security-Policy: every violation the browser reports while a step runs — a
// `securitypolicyviolation` event in any document of the flow, or Chromium's console message
// "… violates the following Content Security Policy directive …" (also for a form post or a
// redirect the policy blocks, whose document is gone) — is recorded with the step as
// `csp_violations`; one fails the flow. Browsers enforce CSP where an HTTP client does not.

import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const DEFAULT_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const ACTIONS = ['goto', 'check', 'select', 'click', 'press'];

function versionOf(pkg) {
  return require(`${pkg}/package.json`).version;
}

async function loadConfig() {
  const text = process.argv[2]
    ? await readFile(process.argv[2], 'utf8')
    : process.env.EID_BROWSER_CONFIG;
  if (!text) throw new Error('no configuration: pass a JSON file or set EID_BROWSER_CONFIG');
  const config = JSON.parse(text);
  if (typeof config.chromium !== 'string' || config.chromium === '') {
    throw new Error('configuration: "chromium" (the browser executable) is required');
  }
  if (typeof config.screenshots !== 'string' || !path.isAbsolute(config.screenshots)) {
    throw new Error('configuration: "screenshots" must be an absolute folder');
  }
  if (!Array.isArray(config.flows) || config.flows.length === 0) {
    throw new Error('configuration: "flows" must be a non-empty list');
  }
  for (const flow of config.flows) {
    if (!NAME.test(flow.name ?? '')) throw new Error(`flow name ${JSON.stringify(flow.name)}`);
    if (!Array.isArray(flow.steps) || flow.steps.length === 0) {
      throw new Error(`flow ${flow.name}: "steps" must be a non-empty list`);
    }
    for (const step of flow.steps) {
      if (!NAME.test(step.name ?? '')) {
        throw new Error(`flow ${flow.name}: step name ${JSON.stringify(step.name)}`);
      }
      const actions = ACTIONS.filter((a) => typeof step[a] === 'string');
      if (actions.length !== 1) {
        throw new Error(`flow ${flow.name}, step ${step.name}: exactly one of ${ACTIONS}`);
      }
      if ((typeof step.select === 'string') !== (typeof step.option === 'string')) {
        throw new Error(`flow ${flow.name}, step ${step.name}: "select" goes with "option"`);
      }
    }
  }
  return config;
}

/** What a person sees on the page now. */
async function observe(page) {
  return page.evaluate(() => ({
    title: document.title,
    lang: document.documentElement.getAttribute('lang'),
    heading: document.querySelector('h1')?.textContent?.trim() ?? null,
    text: (document.body?.innerText ?? '').trim().slice(0, 4000),
    // Content wider than the viewport: horizontal scrolling (WCAG 1.4.10 asks none at 320px).
    overflow_x: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    focused: (() => {
      const element = document.activeElement;
      if (!element || element === document.body) return null;
      const label = element.labels?.[0]?.textContent ?? element.textContent ?? '';
      return `${element.tagName.toLowerCase()} ${label.trim()}`.trim();
    })(),
    // The focused element's description: the texts its `aria-describedby` names.
    focused_description: (() => {
      const ids = document.activeElement?.getAttribute('aria-describedby');
      if (!ids) return null;
      return ids
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
        .join(' ')
        .trim();
    })(),
    // The focused element's outline and the background around it (the nearest ancestor's
    // that is not transparent), for the contrast of the focus indicator (WCAG 1.4.11).
    focus_outline: (() => {
      const element = document.activeElement;
      if (!element || element === document.body) return null;
      const style = getComputedStyle(element);
      let background = 'rgb(255, 255, 255)';
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const color = getComputedStyle(parent).backgroundColor;
        if (color !== 'rgba(0, 0, 0, 0)' && color !== 'transparent') {
          background = color;
          break;
        }
      }
      return {
        color: style.outlineColor,
        style: style.outlineStyle,
        width: style.outlineWidth,
        background,
      };
    })(),
  }));
}

/** axe-core's WCAG violations on the page (injected through DevTools: the page's CSP stays). */
async function scan(page, axeSource, tags) {
  const injected = await page.evaluate(() => typeof window.axe === 'object');
  if (!injected) await page.evaluate(axeSource);
  return page.evaluate(async (values) => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values },
      resultTypes: ['violations'],
    });
    return {
      violations: results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        tags: v.tags.filter((t) => t.startsWith('wcag')),
        nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
      })),
      passes: results.passes.length,
      incomplete: results.incomplete.map((v) => v.id),
    };
  }, tags);
}

async function runStep(page, step, flowDir, index, context) {
  const { axeSource, tags, timeout, navigation, csp } = context;
  const record = { name: step.name, ok: false };
  const cspBefore = csp.length;
  const started = performance.now();
  try {
    if (step.goto !== undefined) {
      record.action = `goto ${step.goto}`;
      await page.goto(step.goto, { waitUntil: 'load', timeout });
    } else if (step.check !== undefined) {
      record.action = `check ${step.check}`;
      await page.getByLabel(step.check).check({ timeout });
    } else if (step.select !== undefined) {
      record.action = `select ${step.option} in ${step.select}`;
      await page.getByLabel(step.select).selectOption({ label: step.option }, { timeout });
    } else if (step.click !== undefined) {
      record.action = `click ${step.click}`;
      await page.getByRole('button', { name: step.click, exact: true }).click({ timeout });
    } else {
      record.action = `press ${step.press}`;
      await page.keyboard.press(step.press);
    }
    if (step.wait_url !== undefined) {
      await page.waitForURL((url) => url.href.startsWith(step.wait_url), {
        timeout,
        waitUntil: 'load',
      });
    }
    if (step.wait_heading !== undefined) {
      await page
        .getByRole('heading', { level: 1, name: step.wait_heading, exact: true })
        .waitFor({ timeout });
    }
    await page.waitForLoadState('load', { timeout });
    record.url = page.url();
    record.status = navigation.status;
    Object.assign(record, await observe(page));
    const file = path.join(flowDir, `${String(index + 1).padStart(2, '0')}-${step.name}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout });
    record.screenshot = file;
    if (step.scan !== false) record.axe = await scan(page, axeSource, tags);
    record.ok = true;
  } catch (error) {
    record.error = String(error?.message ?? error).split('\n').slice(0, 6).join('\n');
    record.url = page.url();
    record.status = navigation.status;
    try {
      Object.assign(record, await observe(page));
    } catch {
      // The page is gone or still loading: the error says enough.
    }
  }
  // Reports are asynchronous (a binding call, a console event): let those of this step land.
  await new Promise((resolve) => setImmediate(resolve));
  record.csp_violations = csp.slice(cspBefore);
  record.ms = Math.round(performance.now() - started);
  return record;
}

async function runFlow(browser, flow, config, axeSource) {
  const timeout = config.timeout_ms ?? 10_000;
  const tags = config.axe_tags ?? DEFAULT_TAGS;
  const flowDir = path.join(config.screenshots, flow.name);
  await mkdir(flowDir, { recursive: true });
  const context = await browser.newContext({
    locale: flow.locale ?? 'sv-SE',
    viewport: flow.viewport ?? { width: 1024, height: 768 },
  });
  const result = { name: flow.name, ok: false, steps: [] };
  try {
    for (const blocked of flow.block ?? []) {
      await context.route((url) => url.href.includes(blocked), (route) => route.abort());
    }
    // Every CSP violation in the flow, from both sources (see the top of the file).
    const csp = [];
    await context.exposeBinding('__eidCspViolation', (_source, violation) => {
      csp.push({ source: 'event', ...violation });
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        window.__eidCspViolation({
          directive: event.effectiveDirective,
          blocked: event.blockedURI,
          document: event.documentURI,
          disposition: event.disposition,
        });
      });
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      const text = message.text();
      if (/Content[- ]Security[- ]Policy/i.test(text)) {
        csp.push({ source: 'console', type: message.type(), text: text.slice(0, 500) });
      }
    });
    const navigation = { status: null };
    page.on('response', (response) => {
      const request = response.request();
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
        navigation.status = response.status();
      }
    });
    for (const [index, step] of flow.steps.entries()) {
      const record = await runStep(page, step, flowDir, index, {
        axeSource,
        tags,
        timeout,
        navigation,
        csp,
      });
      result.steps.push(record);
      if (!record.ok) break;
    }
    result.ok =
      result.steps.length === flow.steps.length &&
      result.steps.every(
        (s) => s.ok && (s.axe?.violations.length ?? 0) === 0 && s.csp_violations.length === 0,
      );
  } finally {
    await context.close();
  }
  return result;
}

async function main() {
  const summary = {
    ok: false,
    versions: { node: process.versions.node },
    screenshots: null,
    flows: [],
  };
  let config;
  try {
    config = await loadConfig();
    summary.screenshots = config.screenshots;
    summary.versions['playwright-core'] = versionOf('playwright-core');
    summary.versions['axe-core'] = versionOf('axe-core');
  } catch (error) {
    summary.error = `configuration: ${error.message}`;
    return { summary, code: 2 };
  }
  const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: config.chromium,
      headless: true,
      timeout: 30_000,
    });
  } catch (error) {
    summary.error =
      `Chromium could not be started from ${config.chromium}: ` +
      `${String(error.message).split('\n')[0]} ` +
      '(install it: apt-get install chromium)';
    return { summary, code: 2 };
  }
  try {
    summary.versions.chromium = browser.version();
    // Flows are independent (a browser context each): a few run at once.
    const results = new Array(config.flows.length);
    let next = 0;
    const worker = async () => {
      while (next < config.flows.length) {
        const index = next++;
        results[index] = await runFlow(browser, config.flows[index], config, axeSource);
      }
    };
    const parallel = Math.max(1, Math.min(config.parallel ?? 2, config.flows.length));
    await Promise.all(Array.from({ length: parallel }, worker));
    summary.flows = results;
  } finally {
    await browser.close();
  }
  summary.ok = summary.flows.every((f) => f.ok);
  return { summary, code: summary.ok ? 0 : 1 };
}

const { summary, code } = await main().catch((error) => ({
  summary: { ok: false, error: String(error?.stack ?? error) },
  code: 2,
}));
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exitCode = code;

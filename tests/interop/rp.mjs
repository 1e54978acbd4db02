#!/usr/bin/env node
// openid-client (an OpenID-certified relying party library) as an e-service against an eid
// OpenID provider (the mock IdP or the broker).
//
// For each configured client it runs, through openid-client's own checks:
//   discovery → authorization request (code, PKCE S256, state, nonce) → the provider's login
//   form posted without a browser → authorizationCodeGrant (state, iss, PKCE, ID token) → our
//   own ID token claim checks → fetchUserInfo (expected sub) → single sign-on with prompt=none →
//   refreshTokenGrant and UserInfo with the new access token → buildEndSessionUrl followed to
//   the post_logout_redirect_uri → prompt=none answered with login_required.
// The ID tokens' signatures are verified against the provider's JWKS (openid-client's
// enableNonRepudiationChecks), since the tests talk plain http on loopback.
//
// Usage: node rp.mjs CONFIG.json   or   EID_INTEROP_CONFIG='{…}' node rp.mjs
//
// CONFIG:
// {
//   "issuer": "http://127.0.0.1:PORT",
//   "person": "astrid",                      the test person picked on the login form
//   "scope": "openid profile",
//   "expected_acr": "http://id.elegnamnden.se/loa/1.0/loa3",   optional
//   "expected_amr": ["BankID"],              optional
//   "expected_sub": "…",                     optional
//   "login": "form",                         "form" (default): the provider's login form
//                                            (the mock's, or an upstream mock's behind the
//                                            broker) is posted; "none": the provider (an
//                                            upstream behind the broker) logs in by itself
//   "login_origin": "http://127.0.0.1:PORT", optional: where the login form must be (default:
//                                            the issuer's origin)
//   "logout_form_origin": "http://…",       optional: at the end of the session, a form page
//                                            there (an upstream's logout confirmation) is posted
//   "choose": "bankid",                      optional: the upstream picked on the broker's choice
//                                            page (which must come: several upstreams qualify)
//   "report_claims": ["given_name"],          optional: UserInfo values reported in the summary
//   "authorization_params": { "login_hint": "upstream:bankid" },   optional: added to every
//                                            authorization request (e.g. to pick an upstream)
//   "clients": [
//     { "client_id": "…", "token_endpoint_auth_method": "private_key_jwt",
//       "private_key_pem": "-----BEGIN PRIVATE KEY-----…", "kid": "…",   (or "private_jwk": {…})
//       "redirect_uri": "http://127.0.0.1:8080/callback",
//       "post_logout_redirect_uri": "http://127.0.0.1:8080/" },
//     { "client_id": "…", "token_endpoint_auth_method": "client_secret_basic",
//       "client_secret": "…", "redirect_uri": "…", "post_logout_redirect_uri": "…" }
//   ]
// }
//
// A client with "expect_refusal": "STEP" is a negative run: the provider was told to misbehave
// (a faulty ID token, a wrong `iss` in the response, a wrong secret, …) and the run passes only
// if openid-client refuses at STEP (e.g. "authorization_code_grant", "userinfo"); "refused_at"
// and the failed step's error code say how.
//
// The browser follows redirects across origins (the broker sends it to the upstream and back),
// keeping cookies per origin.
//
// Prints one JSON object: { ok, issuer, peer, runs: [ { client_id, auth_method, ok, steps:
// [ { step, ok, … } ], id_token: { sub, acr, amr }, … } ] }. Exits 0 only when every step of
// every run passed; 1 when a step failed; 2 when the configuration is unusable.

import { createPrivateKey, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as client from 'openid-client';

import { Browser } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];

function peerVersions() {
  const version = (name) =>
    JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
  return {
    node: process.versions.node,
    'openid-client': version('openid-client'),
    oauth4webapi: version('oauth4webapi'),
    jose: version('jose'),
  };
}

function readConfig() {
  const text = process.argv[2]
    ? readFileSync(process.argv[2], 'utf8')
    : process.env.EID_INTEROP_CONFIG;
  if (!text) throw new Error('no configuration: pass a JSON file or set EID_INTEROP_CONFIG');
  const config = JSON.parse(text);
  const need = (object, key, where) => {
    if (typeof object[key] !== 'string' || object[key] === '') {
      throw new Error(`${where}${key} must be a non-empty string`);
    }
  };
  need(config, 'issuer', '');
  need(config, 'person', '');
  config.scope ??= 'openid profile';
  if (!Array.isArray(config.clients) || config.clients.length === 0) {
    throw new Error('clients must be a non-empty array');
  }
  config.clients.forEach((c, i) => {
    const at = `clients[${i}].`;
    const keys = ['client_id', 'token_endpoint_auth_method', 'redirect_uri', 'post_logout_redirect_uri'];
    for (const key of keys) {
      need(c, key, at);
    }
    if (!AUTH_METHODS.includes(c.token_endpoint_auth_method)) {
      throw new Error(`${at}token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`);
    }
    if (c.token_endpoint_auth_method === 'private_key_jwt') {
      if (!c.private_jwk && !c.private_key_pem) {
        throw new Error(`${at}private_key_jwt needs private_jwk or private_key_pem`);
      }
    } else {
      need(c, 'client_secret', at);
    }
  });
  return config;
}

/** The client's authentication: private_key_jwt signs with a private JWK imported as a CryptoKey. */
async function clientAuth(settings) {
  switch (settings.token_endpoint_auth_method) {
    case 'client_secret_basic':
      return client.ClientSecretBasic(settings.client_secret);
    case 'client_secret_post':
      return client.ClientSecretPost(settings.client_secret);
    default: {
      const jwk =
        settings.private_jwk ?? createPrivateKey(settings.private_key_pem).export({ format: 'jwk' });
      if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d) {
        throw new Error('the private key must be an EC P-256 private JWK (ES256)');
      }
      const key = await webcrypto.subtle.importKey(
        'jwk',
        jwk,
        { name: 'ECDSA', namedCurve: 'P-256' },
        false,
        ['sign'],
      );
      const kid = settings.kid ?? jwk.kid;
      return client.PrivateKeyJwt(kid ? { key, kid } : key);
    }
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Describes an error from openid-client (its code, the OAuth error, the HTTP status). */
function describe(error) {
  const out = { error: String(error?.message ?? error) };
  if (error?.code) out.code = error.code;
  if (error?.error) out.oauth_error = error.error;
  if (error?.error_description) out.oauth_error_description = error.error_description;
  if (error?.status) out.status = error.status;
  if (error?.cause && typeof error.cause === 'object') {
    const cause = error.cause;
    if (cause instanceof Error) out.cause = cause.message;
    else {
      try {
        out.cause = JSON.parse(JSON.stringify(cause));
      } catch {
        out.cause = String(cause);
      }
    }
  }
  return out;
}

/** The parameters of an authorization request; the secrets to check the response with. */
async function authorizationRequest(config, settings, extra = {}) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config.openid, {
    redirect_uri: settings.redirect_uri,
    scope: config.scope,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(config.authorization_params ?? {}),
    ...extra,
  });
  return { url, codeVerifier, state, nonce };
}

function expectCallback(location, settings) {
  check(location, 'no redirect');
  const target = `${location.origin}${location.pathname}`;
  check(
    target === settings.redirect_uri,
    `redirected to ${target}, not to the redirect_uri ${settings.redirect_uri}`,
  );
}

/** The redirect target's origin and path, without the query. */
function target(url) {
  return `${url.origin}${url.pathname}`;
}

/**
 * Follows redirects from `url` (across origins: broker, upstream, back) until one leads to
 * `stop` (a URI without query) or a response is no redirect. Returns `{ location }` for the
 * former, `{ page, html, status }` for the latter.
 */
async function follow(browser, url, stop, init = {}) {
  let next = url;
  let options = init;
  for (let hops = 0; hops < 10; hops += 1) {
    const { response, location } = await browser.request(next, options);
    if ([301, 302, 303, 307].includes(response.status) && location !== null) {
      await response.body?.cancel();
      if (target(location) === stop) return { location, hops: hops + 1 };
      next = location;
      options = {};
    } else {
      return { page: next, status: response.status, html: await response.text(), hops };
    }
  }
  throw new Error(`more than 10 redirects from ${url.pathname}`);
}

/** A `follow` that must end at the redirect URI. */
async function followToCallback(browser, url, settings, init = {}) {
  const result = await follow(browser, url, settings.redirect_uri, init);
  if (!result.location) {
    throw new Error(
      `expected a redirect to the client, got ${result.status} at ${result.page.pathname}: ${result.html.slice(0, 300)}`,
    );
  }
  return result.location;
}

/** A page's POST form: its absolute action and its hidden fields. */
function postForm(html, page) {
  const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(html)?.[1];
  check(action, `no POST form at ${page.pathname}`);
  const fields = new URLSearchParams();
  for (const input of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields.set(input[1], input[2].replaceAll('&amp;', '&'));
  }
  return { action: new URL(action.replaceAll('&amp;', '&'), page), fields };
}

/** The checks we make ourselves on the ID token claims, after openid-client's own. */
function checkIdToken(claims, config, settings, nonce) {
  const now = Math.floor(Date.now() / 1000);
  check(claims, 'no ID token');
  check(claims.iss === config.issuer, `iss ${claims.iss} is not the issuer ${config.issuer}`);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  check(aud.includes(settings.client_id), `aud ${JSON.stringify(claims.aud)} lacks the client`);
  if (aud.length > 1) check(claims.azp === settings.client_id, 'several audiences and no azp');
  check(typeof claims.sub === 'string' && claims.sub.length > 0, 'no sub');
  check(claims.sub.length <= 255, 'sub longer than 255 ASCII characters');
  check(claims.nonce === nonce, 'nonce is not the one sent');
  check(Number.isInteger(claims.exp) && claims.exp > now, 'exp missing or passed');
  check(Number.isInteger(claims.iat) && claims.iat <= now + 60, 'iat missing or in the future');
  check(claims.exp > claims.iat, 'exp is not after iat');
  check(Number.isInteger(claims.auth_time) && claims.auth_time <= now + 60, 'auth_time missing');
  if (config.expected_acr !== undefined) {
    check(claims.acr === config.expected_acr, `acr ${claims.acr}, expected ${config.expected_acr}`);
  }
  if (config.expected_amr !== undefined) {
    check(
      JSON.stringify(claims.amr) === JSON.stringify(config.expected_amr),
      `amr ${JSON.stringify(claims.amr)}, expected ${JSON.stringify(config.expected_amr)}`,
    );
  }
  if (config.expected_sub !== undefined) {
    check(claims.sub === config.expected_sub, 'sub is not the expected one');
  }
}

async function runClient(config, settings) {
  const run = {
    client_id: settings.client_id,
    auth_method: settings.token_endpoint_auth_method,
    ok: false,
    steps: [],
  };
  const issuer = new URL(config.issuer);
  const browser = new Browser(issuer);
  const step = async (name, body) => {
    try {
      const detail = (await body()) ?? {};
      run.steps.push({ step: name, ok: true, ...detail });
    } catch (error) {
      run.steps.push({ step: name, ok: false, ...describe(error) });
      throw error;
    }
  };

  try {
    const ctx = { ...config };
    await step('discovery', async () => {
      ctx.openid = await client.discovery(
        issuer,
        settings.client_id,
        { token_endpoint_auth_method: settings.token_endpoint_auth_method },
        await clientAuth(settings),
        // http is allowed because the provider is on loopback in the tests. Without TLS the
        // issuer is not authenticated by the channel (OpenID Connect Core §3.1.3.7 item 6), so
        // the ID tokens' JWS signatures are checked against the provider's jwks_uri too.
        {
          execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
          timeout: 10,
        },
      );
      const metadata = ctx.openid.serverMetadata();
      check(metadata.issuer === config.issuer, `metadata issuer ${metadata.issuer}`);
      check(ctx.openid.serverMetadata().supportsPKCE('S256'), 'S256 PKCE not advertised');
      check(
        metadata.token_endpoint_auth_methods_supported?.includes(settings.token_endpoint_auth_method),
        `${settings.token_endpoint_auth_method} not advertised`,
      );
      check(metadata.end_session_endpoint, 'no end_session_endpoint');
      return {
        authorization_response_iss_parameter_supported:
          metadata.authorization_response_iss_parameter_supported === true,
        id_token_signing_alg_values_supported: metadata.id_token_signing_alg_values_supported,
      };
    });

    let request;
    let loginPage;
    let callback;
    const loginOrigin = config.login_origin ?? issuer.origin;
    await step('authorization_request', async () => {
      request = await authorizationRequest(ctx, settings);
      let reached = await follow(browser, request.url, settings.redirect_uri);
      if (config.login === 'none') {
        // The upstream logged the person in without a page: back at the client already.
        check(reached.location, `stopped at ${reached.page?.pathname} (${reached.status})`);
        callback = reached.location;
        check(callback.searchParams.get('code'), `no code: ${callback.searchParams.get('error')}`);
        return { redirects: reached.hops, cookies: browser.cookieNames() };
      }
      check(reached.page, 'back at the client without a login page');
      let chose;
      if (config.choose) {
        // The broker's choice page (several upstreams qualify): pick one, as a person would.
        check(reached.page.origin === issuer.origin, `no choice page: at ${reached.page.origin}`);
        check(reached.status === 200, `the choice page answered ${reached.status}`);
        const offered = [
          ...reached.html.matchAll(/<input type="radio"[^>]*name="upstream"[^>]*value="([^"]+)"/g),
        ].map((m) => m[1]);
        check(offered.includes(config.choose), `${config.choose} not offered: ${offered}`);
        const form = postForm(reached.html, reached.page);
        form.fields.set('upstream', config.choose);
        const after = await follow(browser, form.action, settings.redirect_uri, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.fields,
        });
        check(after.page, 'back at the client without a login page');
        after.hops += reached.hops + 1;
        reached = after;
        chose = { offered, chose: config.choose };
      }
      loginPage = reached.page;
      loginPage.html = reached.html;
      loginPage.status = reached.status;
      check(loginPage.origin === loginOrigin, `sent to ${loginPage.origin}, not to ${loginOrigin}`);
      check(loginPage.searchParams.get('transaction'), 'the login page has no transaction');
      return {
        login_page: loginPage.pathname,
        redirects: reached.hops,
        cookies: browser.cookieNames(),
        ...chose,
      };
    });

    if (config.login !== 'none') {
      await step('login_page', async () => {
        check(loginPage.status === 200, `login page answered ${loginPage.status}`);
        check(
          loginPage.html.includes(`value="${config.person}"`),
          `the login page does not offer the person ${config.person}`,
        );
        return { status: loginPage.status };
      });

      await step('login', async () => {
        const form = new URLSearchParams({
          transaction: loginPage.searchParams.get('transaction'),
          person: config.person,
        });
        callback = await followToCallback(browser, new URL('/login', loginPage.origin), settings, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        });
        expectCallback(callback, settings);
        if (!settings.expect_refusal) {
          check(callback.searchParams.get('code'), `no code: ${callback.searchParams.get('error')}`);
        }
        return {
          response_parameters: [...callback.searchParams.keys()].sort(),
          cookies: browser.cookieNames(),
        };
      });
    }

    let tokens;
    let claims;
    await step('authorization_code_grant', async () => {
      tokens = await client.authorizationCodeGrant(ctx.openid, callback, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
      check(tokens.access_token, 'no access_token');
      check(tokens.token_type?.toLowerCase() === 'bearer', `token_type ${tokens.token_type}`);
      check(tokens.refresh_token, 'no refresh_token');
      return {
        token_type: tokens.token_type,
        expires_in: tokens.expiresIn(),
        scope: tokens.scope,
      };
    });

    await step('id_token_claims', async () => {
      checkIdToken(claims, ctx, settings, request.nonce);
      run.id_token = { sub: claims.sub, acr: claims.acr, amr: claims.amr };
      return { claims: Object.keys(claims).sort() };
    });

    await step('userinfo', async () => {
      const userinfo = await client.fetchUserInfo(ctx.openid, tokens.access_token, claims.sub);
      check(userinfo.sub === claims.sub, 'UserInfo sub differs from the ID token sub');
      run.userinfo = { sub: userinfo.sub, claims: Object.keys(userinfo).sort() };
      if (Array.isArray(config.report_claims)) {
        // The values of these (test persons' claims) for the caller to compare.
        run.userinfo.values = Object.fromEntries(
          config.report_claims.filter((name) => name in userinfo).map((n) => [n, userinfo[n]]),
        );
      }
      return { claims: run.userinfo.claims };
    });

    await step('single_sign_on', async () => {
      const again = await authorizationRequest(ctx, settings, { prompt: 'none' });
      const location = await followToCallback(browser, again.url, settings);
      expectCallback(location, settings);
      check(
        location.searchParams.get('code'),
        `prompt=none answered ${location.searchParams.get('error')}, not with a code`,
      );
      const sso = await client.authorizationCodeGrant(ctx.openid, location, {
        pkceCodeVerifier: again.codeVerifier,
        expectedState: again.state,
        expectedNonce: again.nonce,
        idTokenExpected: true,
      });
      const ssoClaims = sso.claims();
      checkIdToken(ssoClaims, ctx, settings, again.nonce);
      check(ssoClaims.sub === claims.sub, 'the session gave another sub');
      check(ssoClaims.auth_time === claims.auth_time, 'the session changed auth_time');
      return { sub_same: true, auth_time_same: true };
    });

    await step('refresh_token_grant', async () => {
      const refreshed = await client.refreshTokenGrant(ctx.openid, tokens.refresh_token);
      check(refreshed.access_token, 'no access_token');
      check(refreshed.access_token !== tokens.access_token, 'the same access token again');
      const refreshedClaims = refreshed.claims();
      if (refreshedClaims) {
        // OpenID Connect Core §12.2: iss, sub and aud as in the first ID token.
        check(refreshedClaims.iss === claims.iss, 'refreshed ID token: another iss');
        check(refreshedClaims.sub === claims.sub, 'refreshed ID token: another sub');
        check(
          JSON.stringify(refreshedClaims.aud) === JSON.stringify(claims.aud),
          'refreshed ID token: another aud',
        );
      }
      const userinfo = await client.fetchUserInfo(ctx.openid, refreshed.access_token, claims.sub);
      check(userinfo.sub === claims.sub, 'UserInfo after refresh: another sub');
      return {
        id_token: refreshedClaims !== undefined,
        refresh_token_rotated:
          refreshed.refresh_token !== undefined && refreshed.refresh_token !== tokens.refresh_token,
        userinfo_sub_same: true,
      };
    });

    await step('end_session', async () => {
      const state = client.randomState();
      const url = client.buildEndSessionUrl(ctx.openid, {
        id_token_hint: tokens.id_token,
        post_logout_redirect_uri: settings.post_logout_redirect_uri,
        state,
      });
      // Follow the provider's own redirects (and an upstream's, when the broker propagates the
      // logout) until the browser is sent to the post-logout redirect URI.
      let reached = await follow(browser, url, settings.post_logout_redirect_uri);
      let hops = reached.hops;
      let upstreamConfirmed = false;
      if (!reached.location && config.logout_form_origin === reached.page?.origin) {
        // The upstream's logout confirmation (the broker propagated the logout): post its form.
        const form = postForm(reached.html, reached.page);
        reached = await follow(browser, form.action, settings.post_logout_redirect_uri, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.fields,
        });
        hops += reached.hops;
        upstreamConfirmed = true;
      }
      check(reached.location, `logout stopped at ${reached.page?.pathname} (${reached.status})`);
      const location = reached.location;
      check(
        `${location.origin}${location.pathname}` === settings.post_logout_redirect_uri,
        `logged out to ${location.origin}${location.pathname}, not to the post_logout_redirect_uri`,
      );
      check(location.searchParams.get('state') === state, 'state not returned after logout');
      return {
        redirects: hops,
        upstream_logout_confirmed: upstreamConfirmed,
        cookies: browser.cookieNames(),
      };
    });

    await step('session_ended', async () => {
      const again = await authorizationRequest(ctx, settings, { prompt: 'none' });
      const location = await followToCallback(browser, again.url, settings);
      expectCallback(location, settings);
      const error = location.searchParams.get('error');
      check(error === 'login_required', `prompt=none after logout answered ${error ?? 'a code'}`);
      check(location.searchParams.get('state') === again.state, 'error without the state');
      check(location.searchParams.get('iss') === config.issuer, 'error without iss');
      return { error };
    });

    run.ok = !settings.expect_refusal;
    if (settings.expect_refusal) run.error = `no refusal, expected at ${settings.expect_refusal}`;
  } catch {
    // The failing step is recorded in run.steps.
    const failed = run.steps.at(-1);
    if (settings.expect_refusal) {
      run.refused_at = failed.step;
      run.ok = failed.step === settings.expect_refusal;
    }
  }
  return run;
}

async function main() {
  let config;
  try {
    config = readConfig();
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String(error.message) })}\n`);
    process.exit(2);
  }
  const summary = { ok: false, issuer: config.issuer, peer: peerVersions(), runs: [] };
  for (const settings of config.clients) {
    summary.runs.push(await runClient(config, settings));
  }
  summary.ok = summary.runs.every((r) => r.ok);
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  process.exit(summary.ok ? 0 : 1);
}

await main();

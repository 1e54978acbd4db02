#!/usr/bin/env node
// oidc-provider (an OpenID-certified OpenID provider) as an upstream eID provider behind the
// broker, on 127.0.0.1 with a free port.
//
// - One test account; its login needs no page: the interaction URL finishes the login at once
//   (with the configured `acr` and `amr`), and the grant for the requested scopes is made
//   without a consent page (`loadExistingGrant`).
// - Signing keys: one ES256 (P-256) and one RS256 (RSA 2048) key, made at start-up; each client
//   picks one with `id_token_signed_response_alg`.
// - Clients from the configuration: `client_secret_basic` (a secret) or `private_key_jwt` (the
//   client's public JWK), each with its redirect URI; PKCE S256 required; PAR, RFC 9207 `iss`,
//   UserInfo and RP-initiated logout as oidc-provider has them by default or as enabled here.
//
// Usage: EID_OP_CONFIG='{…}' node op.mjs     (or: node op.mjs CONFIG.json)
//
// CONFIG:
// {
//   "account": { "sub": "…", "claims": { "given_name": "…", … } },
//   "acr": "http://id.elegnamnden.se/loa/1.0/loa3",       the acr of every login
//   "amr": ["pwd"],
//   "scopes": { "https://id.oidc.se/scope/naturalPersonNumber": ["https://id.oidc.se/claim/…"] },
//   "clients": [
//     { "client_id": "…", "token_endpoint_auth_method": "client_secret_basic",
//       "client_secret": "…", "id_token_signed_response_alg": "ES256", "redirect_uri": "…" },
//     { "client_id": "…", "token_endpoint_auth_method": "private_key_jwt",
//       "jwk": { public JWK }, "id_token_signed_response_alg": "RS256", "redirect_uri": "…",
//       "post_logout_redirect_uri": "…",       optional
//       "acr": "…" }                          optional: this client's logins have this acr
//   ]
// }
//
// Prints one JSON line when it listens: { "issuer": "http://127.0.0.1:PORT", "peer": { … } },
// then one JSON line per event the provider reports (PAR, authorization, login, token, UserInfo,
// end session, errors): { "event", "client", "auth_method", … }. Runs until its stdin closes
// (or it is killed).

import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';

const here = dirname(fileURLToPath(import.meta.url));

function version(name) {
  return JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8'))
    .version;
}

function report(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function readConfig() {
  const text = process.argv[2] ? readFileSync(process.argv[2], 'utf8') : process.env.EID_OP_CONFIG;
  if (!text) throw new Error('no configuration: pass a JSON file or set EID_OP_CONFIG');
  const config = JSON.parse(text);
  if (typeof config.account?.sub !== 'string') throw new Error('account.sub must be a string');
  if (typeof config.acr !== 'string') throw new Error('acr must be a string');
  if (!Array.isArray(config.clients) || config.clients.length === 0) {
    throw new Error('clients must be a non-empty array');
  }
  return config;
}

/** A fresh private JWK for `alg`, with a kid. */
function signingKey(alg) {
  const { privateKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, alg, use: 'sig', kid: `${alg.toLowerCase()}-${Date.now().toString(36)}` };
}

function registration(client) {
  const common = {
    client_id: client.client_id,
    redirect_uris: [client.redirect_uri],
    post_logout_redirect_uris: client.post_logout_redirect_uri
      ? [client.post_logout_redirect_uri]
      : [],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: client.token_endpoint_auth_method,
    id_token_signed_response_alg: client.id_token_signed_response_alg ?? 'ES256',
  };
  if (client.token_endpoint_auth_method === 'private_key_jwt') {
    return {
      ...common,
      token_endpoint_auth_signing_alg: client.jwk.alg ?? 'ES256',
      jwks: { keys: [client.jwk] },
    };
  }
  return { ...common, client_secret: client.client_secret };
}

async function main() {
  const config = readConfig();
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const scopes = config.scopes ?? {};
  const claims = { openid: ['sub'], acr: null, amr: null, auth_time: null };
  for (const [scope, names] of Object.entries(scopes)) claims[scope] = names;

  const provider = new Provider(issuer, {
    clients: config.clients.map(registration),
    jwks: { keys: [signingKey('ES256'), signingKey('RS256')] },
    scopes: ['openid', ...Object.keys(scopes)],
    claims,
    acrValues: [config.acr],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // The confirmation as a plain form (a browser without a screen posts it): the session
        // is ended ("logout=yes"), not only the client's grant.
        async logoutSource(ctx, form) {
          const action = /action="([^"]+)"/.exec(form)?.[1];
          const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1];
          ctx.type = 'html';
          ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Sign out</title></head><body>
<form method="post" action="${action}"><input type="hidden" name="xsrf" value="${xsrf}">
<input type="hidden" name="logout" value="yes"><button type="submit">Sign out</button></form>
</body></html>`;
        },
      },
      claimsParameter: { enabled: true },
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'RS256'],
      clientAuthSigningAlgValues: ['ES256', 'RS256'],
    },
    async findAccount(ctx, sub) {
      if (sub !== config.account.sub) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, ...config.account.claims };
        },
      };
    },
    // The grant for what the client asked: no consent page.
    async loadExistingGrant(ctx) {
      const { client, session, params } = ctx.oidc;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope(String(params.scope ?? 'openid'));
      if (params.claims) {
        const requested = JSON.parse(params.claims);
        for (const where of ['id_token', 'userinfo']) {
          if (requested[where]) grant.addOIDCClaims(Object.keys(requested[where]));
        }
      }
      await grant.save();
      return grant;
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      Session: 600,
      Interaction: 600,
      Grant: 600,
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      PushedAuthorizationRequest: 60,
    },
  });

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (!req.url.startsWith('/interaction/')) {
      if (req.url.split('?')[0] === '/me') {
        // oidc-provider has no UserInfo event: its answers are reported here.
        res.on('finish', () =>
          report({
            event: res.statusCode === 200 ? 'userinfo.success' : 'userinfo.error',
            method: req.method,
            status: res.statusCode,
          }),
        );
      }
      callback(req, res);
      return;
    }
    try {
      // The login: the test account, at once, with the configured acr and amr.
      const details = await provider.interactionDetails(req, res);
      report({
        event: 'interaction',
        prompt: details.prompt.name,
        client: details.params.client_id,
        login_hint: details.params.login_hint,
        acr_values: details.params.acr_values,
        claims: details.params.claims,
      });
      const acr =
        config.clients.find((c) => c.client_id === details.params.client_id)?.acr ?? config.acr;
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: config.account.sub, acr, amr: config.amr ?? ['pwd'] } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      report({ event: 'interaction_error', error: String(error?.message) });
      res.statusCode = 500;
      res.end('interaction failed');
    }
  });
  // What the broker did here, for the test to check.
  const client = (ctx) => ({
    client: ctx.oidc?.client?.clientId,
    auth_method: ctx.oidc?.client?.tokenEndpointAuthMethod,
    id_token_alg: ctx.oidc?.client?.idTokenSignedResponseAlg,
  });
  for (const event of [
    'pushed_authorization_request.success',
    'authorization.success',
    'grant.success',
    'end_session.success',
  ]) {
    provider.on(event, (ctx) => report({ event, ...client(ctx) }));
  }
  for (const event of [
    'server_error',
    'authorization.error',
    'grant.error',
    'pushed_authorization_request.error',
    'end_session.error',
  ]) {
    provider.on(event, (ctx, error) =>
      report({ event, ...client(ctx), error: String(error?.error ?? error?.message), description: error?.error_description }),
    );
  }

  process.stdout.write(
    `${JSON.stringify({
      issuer,
      peer: { node: process.versions.node, 'oidc-provider': version('oidc-provider') },
    })}\n`,
  );
  // The parent's end is the end of this provider.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

main().catch((error) => {
  process.stdout.write(`${JSON.stringify({ error: String(error?.message ?? error) })}\n`);
  process.exit(2);
});

// A real OpenID Connect provider for the sign-in tests (the npm package oidc-provider, pinned in
// package.json): started by tests/oidc/provider.py on a free port, it serves discovery, JWKS,
// authorize, token and userinfo, with its own sign-in and consent pages.
//
//   node tests/oidc/provider.mjs   with OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
//   OIDC_REDIRECT_URIS (comma-separated) and OIDC_USERS (JSON: login -> claims; a user's
//   "amr" list is what the ID token says about how they signed in).
// Prints "ready <issuer>" once it listens.
import http from 'node:http';
import { parse } from 'node:querystring';

import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const users = JSON.parse(process.env.OIDC_USERS || '{}');

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: (process.env.OIDC_REDIRECT_URIS || '').split(','),
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  pkce: { required: () => true },
  // `amr` (how the person signed in) rides in the ID token, as Entra ID's does when it has one.
  conformIdTokenClaims: false,
  claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name', 'employee_number'] },
  features: { devInteractions: { enabled: false } },
  ttl: { IdToken: Number(process.env.OIDC_ID_TOKEN_TTL || 3600) },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        const { amr, ...claims } = user;
        return { sub: id, ...claims };
      },
    };
  },
  cookies: { keys: ['scopegrowth-test-only'] },
});
provider.proxy = false;

const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${title}</title><link rel="icon" href="data:,"></head><body><h1>${title}</h1>${body}</body></html>`;

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return parse(body);
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const uid = details.uid;
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (details.prompt.name === 'login') {
      res.end(page('Test identity provider: sign in', `<form method="post" action="/interaction/${uid}/login">
<label for="login">Login</label> <input id="login" name="login">
<button type="submit">Sign in</button></form>`));
    } else {
      res.end(page('Test identity provider: consent', `<p>ScopeGrowth asks for your email and profile.</p>
<form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>`));
    }
    return;
  }
  if (req.url.endsWith('/login')) {
    const { login } = await readForm(req);
    if (!users[login]) {
      res.statusCode = 400;
      res.end(page('Unknown test user', ''));
      return;
    }
    const result = { login: { accountId: login } };
    if (users[login].amr) result.login.amr = users[login].amr;
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }
  const { prompt, params, session } = details;
  const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  grant.addOIDCScope(params.scope);
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
http
  .createServer((req, res) => {
    if (req.url.startsWith('/interaction/')) {
      interaction(req, res).catch((error) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    callback(req, res);
  })
  .listen(port, '127.0.0.1', () => {
    console.log(`ready ${issuer}`);
  });

/**
 * Sign-in end to end (ADR 0011): the real server on loopback, the real bundled oidc-provider at /idp,
 * a fetch-and-cookie-jar browser walking its login form, and the security edges of issue 4 item 7:
 * session fixation, CSRF, open redirects, expiry, revocation, a person removed mid-session, and no
 * secret in the logs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { backends, type TestDatabase } from '../store/testing.js';
import { loadConfig } from './config.js';
import { createContainer, type Container } from './container.js';
import { buildApi } from './api.js';
import { createIdentity, type Identity } from './identity.js';
import { DEMO_PEOPLE, seedDemoPeople } from './demo-people.js';
import { seedDemoFederation } from '../app/registry/demo-federation.js';
import { Browser } from './testing/browser.js';
import { CSRF_HEADER, type Me } from '../contracts/session.js';

const CLIENT_SECRET = 'test-client-secret-that-must-never-be-logged-0123456789';
const MINUTE = 60_000;
const sub = (email: string) => DEMO_PEOPLE.find((p) => p.email.startsWith(email))?.sub ?? email;
const OPERATOR = sub('sato.operator');
const CHIYODA_ADMIN = sub('ito.chiyoda');
const CHIYODA_MEMBER = sub('watanabe.chiyoda');
const NEWCOMER = sub('kobayashi.chiyoda');
const PASSWORD_ONLY = sub('tanaka.chiyoda');
const SETAGAYA_ADMIN = sub('yamamoto.setagaya');

type Harness = { origin: string; container: Container; identity: Identity; advance: (ms: number) => void; stop: () => Promise<void> };

async function startHarness(handle: TestDatabase, devProvider = true): Promise<Harness> {
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset), sleep: async () => undefined };
  const config = loadConfig({ PORT: '0', HATOBA_SESSION_IDLE_MINUTES: '30', HATOBA_SESSION_MAX_HOURS: '8' });
  const container = await createContainer(config, handle.db, { clock });
  await seedDemoFederation(container.registryDeps, { dryRun: false });
  await seedDemoPeople(container);
  let origin = 'http://localhost:0';
  const identity = createIdentity(config, container, { origin: () => origin, devProvider, demoClientSecret: CLIENT_SECRET });
  const app = buildApi(container, { authenticate: identity.authenticate }, identity.modules);
  let server: ServerType | undefined;
  const address = await new Promise<AddressInfo>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, resolve);
  });
  origin = `http://localhost:${address.port}`;
  return { origin, container, identity, advance: (ms) => (offset += ms), stop: () => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))) };
}

const sessionCookie = (b: Browser) => b.cookies.get('__Host-hatoba_session');

async function me(b: Browser): Promise<{ status: number; body: Me }> {
  const response = await b.fetch('/auth/me');
  return { status: response.status, body: (await response.json()) as Me };
}

/** A state-changing request from our own page: Origin and the session's CSRF token. */
async function ownPagePost(h: Harness, b: Browser, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const { body: who } = await me(b);
  return b.fetch(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', origin: h.origin, [CSRF_HEADER]: who.csrfToken, ...headers } });
}

const [pglite] = backends();

describe('sign-in through the bundled provider', () => {
  let handle: TestDatabase;
  let h: Harness;
  const logged: string[] = [];
  const secrets = new Set<string>([CLIENT_SECRET]);
  const originals = { log: console.log, error: console.error, warn: console.warn, info: console.info, debug: console.debug };

  before(async () => {
    for (const level of ['log', 'error', 'warn', 'info', 'debug'] as const) {
      console[level] = (...args: unknown[]) => {
        logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack ?? ''}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      };
    }
    if (pglite === undefined) throw new Error('no PGlite backend');
    handle = await pglite.open();
    h = await startHarness(handle);
  });

  after(async () => {
    Object.assign(console, originals);
    await h.stop();
    await handle.dispose();
  });

  const remember = (b: Browser) => {
    for (const value of b.cookies.values()) secrets.add(value);
  };

  it('walks the code flow with PKCE S256, state, nonce, acr_values and the claims parameter, and lands where it was asked to', async () => {
    const b = new Browser(h.origin);
    const { response } = await b.signIn(OPERATOR, '/requests?view=mine');
    remember(b);
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/requests?view=mine');
    const auth = b.authorizationRequest();
    assert.ok(auth, 'the browser went to the provider');
    assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
    assert.match(auth.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok(auth.searchParams.get('state'));
    assert.ok(auth.searchParams.get('nonce'));
    assert.equal(auth.searchParams.get('acr_values'), 'urn:hatoba:loa:substantial urn:hatoba:loa:high');
    assert.deepEqual(JSON.parse(auth.searchParams.get('claims') ?? '{}'), { id_token: { amr: { essential: true } } });
    const cookie = b.setCookies.find((c) => c.startsWith('__Host-hatoba_session='));
    assert.ok(cookie);
    for (const attribute of ['HttpOnly', 'Secure', 'Path=/', 'SameSite=Lax']) assert.ok(cookie.split('; ').includes(attribute), `${attribute} in ${cookie.replace(/=[^;]+/, '=…')}`);
    assert.doesNotMatch(cookie, /Domain=/i);
    const { status, body } = await me(b);
    assert.equal(status, 200);
    assert.deepEqual([body.kind, body.roles, body.acr, body.amr, body.tenant], ['central', ['operator'], 'urn:hatoba:loa:high', ['hwk', 'pin', 'mfa'], null]);
    assert.match(body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    secrets.add(body.csrfToken);
  });

  it('answers a tenant person’s /auth/me with their tenant and its names', async () => {
    const b = new Browser(h.origin);
    await b.signIn(CHIYODA_MEMBER);
    remember(b);
    const { body } = await me(b);
    assert.deepEqual([body.kind, body.roles, body.tenant?.code, body.tenant?.nameJa, body.tenant?.nameEn], ['tenant', ['tenant_member'], '131016', '千代田区', 'Chiyoda City']);
  });

  it('creates a person the provider’s claims describe at their first sign-in, by the demo’s rules', async () => {
    const b = new Browser(h.origin);
    const { response } = await b.signIn(NEWCOMER);
    remember(b);
    assert.equal(response.status, 303);
    const { body } = await me(b);
    assert.deepEqual([body.email, body.roles, body.tenant?.code], ['kobayashi.chiyoda@people.demo.hatoba.example', ['tenant_member'], '131016']);
  });

  it('refuses a password-only sign-in with a page naming the missing assurance, and creates no session', async () => {
    const before = (await handle.db.query('SELECT count(*)::int AS n FROM sessions'))[0]?.n;
    const b = new Browser(h.origin);
    const { response, url } = await b.signIn(PASSWORD_ONLY);
    assert.equal(new URL(url).pathname, '/auth/callback');
    assert.equal(response.status, 403);
    const page = await response.text();
    assert.match(page, /認証の強さ/);
    assert.match(page, /not strong enough/);
    assert.match(page, /urn:hatoba:loa:substantial, urn:hatoba:loa:high/);
    assert.match(page, /acr urn:hatoba:loa:low, amr pwd/);
    assert.match(page, /prompt=login/, 'offers to sign in again another way');
    assert.equal(sessionCookie(b), undefined);
    assert.equal((await handle.db.query('SELECT count(*)::int AS n FROM sessions'))[0]?.n, before);
  });

  it('never promotes a session cookie the browser brought: planted or real, it is anonymous after the sign-in', async () => {
    const b = new Browser(h.origin);
    b.cookies.set('__Host-hatoba_session', 'planted-by-an-attacker');
    await b.signIn(CHIYODA_ADMIN);
    const first = sessionCookie(b);
    assert.ok(first !== undefined && first !== 'planted-by-an-attacker');
    // The provider remembers the first person: it must be asked to let someone else sign in.
    await b.signIn(SETAGAYA_ADMIN, '/', 'login');
    const second = sessionCookie(b);
    remember(b);
    assert.ok(second !== undefined && second !== first);
    assert.equal((await me(b)).body.tenant?.code, '131121');
    for (const old of ['planted-by-an-attacker', first]) {
      const probe = new Browser(h.origin);
      probe.cookies.set('__Host-hatoba_session', old);
      assert.equal((await me(probe)).status, 401);
    }
  });

  it('lands on / for a return address that leaves the site', async () => {
    for (const returnTo of ['//evil.example', 'https://evil.example', '/\\evil.example', '/\\/evil.example', 'javascript:alert(1)']) {
      const b = new Browser(h.origin);
      const { response } = await b.signIn(OPERATOR, returnTo);
      remember(b);
      assert.equal(response.status, 303, returnTo);
      assert.equal(response.headers.get('location'), '/', returnTo);
    }
  });

  it('refuses a cookie-authenticated state change without our Origin or without the session’s CSRF token, and changes nothing', async () => {
    const b = new Browser(h.origin);
    await b.signIn(CHIYODA_ADMIN);
    remember(b);
    const { body: who } = await me(b);
    const count = async () => ((await (await b.fetch('/api/tokens')).json()) as { items: unknown[] }).items.length;
    const before = await count();
    const attempts: [string, Record<string, string>][] = [
      ['no Origin', { [CSRF_HEADER]: who.csrfToken }],
      ['another Origin', { origin: 'https://evil.example', [CSRF_HEADER]: who.csrfToken }],
      ['cross-site fetch metadata', { 'sec-fetch-site': 'cross-site', [CSRF_HEADER]: who.csrfToken }],
      ['no token', { origin: h.origin }],
      ['a wrong token', { origin: h.origin, [CSRF_HEADER]: `${who.csrfToken.slice(0, -1)}x` }],
    ];
    for (const [what, headers] of attempts) {
      const response = await b.fetch('/api/tokens', { method: 'POST', body: JSON.stringify({ name: 'csrf' }), headers: { 'content-type': 'application/json', ...headers } });
      assert.equal(response.status, 403, what);
      const problem = (await response.json()) as { code: string; message: string };
      assert.equal(problem.code, 'csrf_failed', what);
      assert.match(problem.message, /CSRF/);
    }
    assert.equal(await count(), before, 'nothing was created');
    const signOut = await b.fetch('/auth/sign-out', { method: 'POST', headers: { origin: 'https://evil.example', [CSRF_HEADER]: who.csrfToken } });
    assert.equal(signOut.status, 403, 'sign-out is CSRF-checked too');
    assert.equal((await me(b)).status, 200, 'and the session survived it');
    const sameOrigin = await b.fetch('/api/tokens', { method: 'POST', body: JSON.stringify({ name: 'ok' }), headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', [CSRF_HEADER]: who.csrfToken } });
    assert.equal(sameOrigin.status, 201);
    const withOrigin = await ownPagePost(h, b, '/api/tokens', { name: 'ok too' });
    assert.equal(withOrigin.status, 201);
    for (const r of [sameOrigin, withOrigin]) secrets.add(((await r.json()) as { token: string }).token);
    assert.equal(await count(), before + 2);
  });

  it('signs out: the session ends, the cookie is cleared, and the provider’s session ends too', async () => {
    const b = new Browser(h.origin);
    await b.signIn(OPERATOR);
    remember(b);
    const cookie = sessionCookie(b);
    const { body: who } = await me(b);
    const response = await b.fetch('/auth/sign-out', { method: 'POST', headers: { origin: h.origin, [CSRF_HEADER]: who.csrfToken } });
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location') ?? '', h.origin);
    assert.equal(location.pathname, '/idp/session/end');
    assert.equal(location.searchParams.get('post_logout_redirect_uri'), `${h.origin}/`);
    assert.ok(location.searchParams.get('id_token_hint'));
    assert.equal(sessionCookie(b), undefined, 'the cookie is cleared');
    const probe = new Browser(h.origin);
    probe.cookies.set('__Host-hatoba_session', cookie ?? '');
    assert.equal((await me(probe)).status, 401);
    // The provider's page submits its own form; a browser without scripts presses the button.
    const page = await (await b.fetch(location.href)).text();
    const action = /action="([^"]+)"/.exec(page)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(action !== undefined && xsrf !== undefined, 'a logout form');
    const done = await b.fetch(action, { method: 'POST', body: new URLSearchParams({ xsrf, logout: 'yes' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(done.headers.get('location'), `${h.origin}/`);
    // The provider forgot the person: the next sign-in shows its login form again.
    await b.follow('/auth/sign-in');
    assert.ok(b.steps.some((s) => new URL(s.url).pathname.startsWith('/idp/interaction/') && s.status === 200));
  });

  it('answers the portal’s sign-out with JSON where to go next', async () => {
    const b = new Browser(h.origin);
    await b.signIn(CHIYODA_MEMBER);
    remember(b);
    const { body: who } = await me(b);
    const response = await b.fetch('/auth/sign-out', { method: 'POST', headers: { origin: h.origin, [CSRF_HEADER]: who.csrfToken, accept: 'application/json' } });
    assert.equal(response.status, 200);
    assert.match(((await response.json()) as { redirectTo: string }).redirectTo, /\/idp\/session\/end\?/);
  });

  it('makes an idle session anonymous after the idle time, and any session after its absolute expiry', async () => {
    const idle = new Browser(h.origin);
    await idle.signIn(CHIYODA_MEMBER);
    remember(idle);
    h.advance(20 * MINUTE);
    assert.equal((await me(idle)).status, 200);
    h.advance(31 * MINUTE);
    assert.equal((await me(idle)).status, 401);
    const busy = new Browser(h.origin);
    await busy.signIn(CHIYODA_MEMBER);
    remember(busy);
    for (let i = 0; i < 33; i++) {
      h.advance(15 * MINUTE);
      assert.equal((await me(busy)).status, i < 31 ? 200 : 401, `after ${(i + 1) * 15} minutes`);
    }
  });

  it('authenticates the CLI by bearer token without CSRF, until the token is revoked or expires', async () => {
    const b = new Browser(h.origin);
    await b.signIn(CHIYODA_ADMIN);
    remember(b);
    const issued = (await (await ownPagePost(h, b, '/api/tokens', { name: 'laptop', days: 1 })).json()) as { id: string; token: string };
    secrets.add(issued.token);
    const bearer = { authorization: `Bearer ${issued.token}` };
    const whoami = async () => fetch(`${h.origin}/auth/me`, { headers: bearer });
    assert.equal((await whoami()).status, 200);
    const noCsrf = await fetch(`${h.origin}/api/tokens`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'from a token' }) });
    assert.equal(noCsrf.status, 403, 'a token does not mint tokens');
    assert.equal(((await noCsrf.json()) as { code: string }).code, 'forbidden');
    const listed = (await (await fetch(`${h.origin}/api/tokens`, { headers: bearer })).json()) as { items: { id: string }[] };
    assert.ok(listed.items.some((t) => t.id === issued.id));
    assert.doesNotMatch(JSON.stringify(listed), /hatoba_[A-Za-z0-9_-]{43}/, 'a list never shows a token');
    const other = new Browser(h.origin);
    await other.signIn(SETAGAYA_ADMIN);
    remember(other);
    const { body: otherWho } = await me(other);
    const foreign = await other.fetch(`/api/tokens/${issued.id}`, { method: 'DELETE', headers: { origin: h.origin, [CSRF_HEADER]: otherWho.csrfToken } });
    assert.equal(foreign.status, 404, 'another person cannot revoke it');
    assert.equal((await whoami()).status, 200);
    const revoked = await fetch(`${h.origin}/api/tokens/${issued.id}`, { method: 'DELETE', headers: bearer });
    assert.equal(revoked.status, 204);
    assert.equal((await whoami()).status, 401);
    const short = (await (await ownPagePost(h, b, '/api/tokens', { name: 'short', days: 1 })).json()) as { token: string };
    secrets.add(short.token);
    assert.equal((await fetch(`${h.origin}/auth/me`, { headers: { authorization: `Bearer ${short.token}` } })).status, 200);
    h.advance(24 * 60 * MINUTE + 1_000);
    assert.equal((await fetch(`${h.origin}/auth/me`, { headers: { authorization: `Bearer ${short.token}` } })).status, 401);
  });

  it('makes a person removed mid-session anonymous on their next request', async () => {
    const b = new Browser(h.origin);
    await b.signIn(CHIYODA_MEMBER);
    remember(b);
    const { body } = await me(b);
    assert.ok(await h.identity.people.remove(body.personId, 'ito.chiyoda@people.demo.hatoba.example', new Date()));
    assert.equal((await me(b)).status, 401);
    assert.equal((await b.fetch('/api/tokens')).status, 401);
  });

  it('sends a sign-in started at 127.0.0.1 to the configured localhost origin first, so its cookies come back', async () => {
    const port = new URL(h.origin).port;
    const response = await fetch(`http://127.0.0.1:${port}/auth/sign-in?returnTo=%2Fx`, { redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${h.origin}/auth/sign-in?returnTo=%2Fx`);
  });

  it('answers a callback without its sign-in (expired, another browser, replayed) with a page, not a session', async () => {
    const b = new Browser(h.origin);
    const response = await b.fetch('/auth/callback?code=abc&state=def');
    assert.equal(response.status, 400);
    assert.match(await response.text(), /Sign-in failed/);
    assert.equal(sessionCookie(b), undefined);
  });

  it('records sign-ins, refusals and sign-outs in the audit trail', async () => {
    const rows = await handle.db.query(`SELECT actor, action, status AS result_status FROM audit_log WHERE action IN ('GET /auth/callback', 'POST /auth/sign-out')`);
    assert.ok(rows.some((r) => r.actor === 'sato.operator@people.demo.hatoba.example' && r.action === 'GET /auth/callback' && r.result_status === 303));
    assert.ok(rows.some((r) => r.actor === 'tanaka.chiyoda@people.demo.hatoba.example' && r.result_status === 403));
    assert.ok(rows.some((r) => r.action === 'POST /auth/sign-out'));
  });

  it('never writes the client secret, a token, a cookie value or a CSRF token to the logs', () => {
    const text = logged.join('\n');
    assert.ok(secrets.size > 10, `collected ${secrets.size} secrets to look for`);
    for (const secret of secrets) assert.ok(!text.includes(secret), `a secret (${secret.slice(0, 4)}…) was logged`);
  });
});

describe('sign-in without a provider', () => {
  it('answers a page saying so, and still takes API tokens', async () => {
    if (pglite === undefined) throw new Error('no PGlite backend');
    const handle = await pglite.open();
    const h = await startHarness(handle, false);
    try {
      const response = await fetch(`${h.origin}/auth/sign-in`, { redirect: 'manual' });
      assert.equal(response.status, 503);
      assert.match(await response.text(), /HATOBA_OIDC_ISSUER/);
      const operator = await h.identity.people.findActiveByEmail('sato.operator@people.demo.hatoba.example');
      assert.ok(operator);
      const { token } = await h.identity.tokens.issue(operator.id, { name: 'bootstrap', days: 1 });
      const whoami = await fetch(`${h.origin}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(((await whoami.json()) as Me).email, 'sato.operator@people.demo.hatoba.example');
      assert.equal((await fetch(`${h.origin}/idp/.well-known/openid-configuration`)).status, 404, 'no bundled provider');
    } finally {
      await h.stop();
      await handle.dispose();
    }
  });
});

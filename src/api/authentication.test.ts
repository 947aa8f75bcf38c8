import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { authentication, type Authenticators } from './authentication.js';
import { principalOf } from './access-context.js';
import type { Principal } from '../domain/access/principal.js';

const ORIGIN = 'https://hatoba.example.jp';
const alice: Principal = { kind: 'central', personId: 'per_a', email: 'alice@hatoba.test', name: 'Alice', roles: ['operator'], via: 'session' };
const bot: Principal = { ...alice, personId: 'per_b', email: 'bot@hatoba.test', via: 'token' };
const expiresAt = new Date('2030-01-01T00:00:00Z');

const auth: Authenticators = {
  session: async (cookie) => (cookie === 'good-cookie' ? { principal: alice, csrfToken: 'csrf-123', acr: 'a', amr: ['mfa'], expiresAt } : undefined),
  token: async (token) => (token === 'good-token' ? { principal: bot, expiresAt } : undefined),
  origin: () => ORIGIN,
};

const app = new Hono();
app.use('*', authentication(auth));
app.all('/who', (c) => c.json({ who: principalOf(c)?.email ?? null, csrf: c.get('csrfToken') ?? null }));

const call = async (method: string, headers: Record<string, string>) => {
  const res = await app.request('/who', { method, headers });
  return { status: res.status, body: (await res.json()) as { who?: string | null; csrf?: string | null; code?: string; issues?: { path: string[]; message: string }[] } };
};
const cookie = { cookie: '__Host-hatoba_session=good-cookie' };

describe('authentication', () => {
  it('resolves a session cookie to its person and CSRF token', async () => {
    assert.deepEqual((await call('GET', cookie)).body, { who: 'alice@hatoba.test', csrf: 'csrf-123' });
  });

  it('reads the cookie only under its __Host- name', async () => {
    assert.deepEqual((await call('GET', { cookie: 'hatoba_session=good-cookie' })).body, { who: null, csrf: null });
  });

  it('resolves a bearer token, with no CSRF token and no CSRF check', async () => {
    assert.deepEqual(await call('POST', { authorization: 'Bearer good-token' }), { status: 200, body: { who: 'bot@hatoba.test', csrf: null } });
  });

  it('treats an unknown cookie or token as anonymous, and a bad bearer header never falls back to the cookie', async () => {
    assert.deepEqual((await call('GET', { cookie: '__Host-hatoba_session=stale' })).body.who, null);
    assert.deepEqual((await call('GET', { authorization: 'Bearer nope' })).body.who, null);
    assert.deepEqual((await call('GET', { authorization: 'Basic abc', ...cookie })).body.who, null);
  });

  it('lets a state change through with our Origin (or same-origin fetch metadata) and the session’s token', async () => {
    assert.equal((await call('POST', { ...cookie, origin: ORIGIN, 'x-csrf-token': 'csrf-123' })).status, 200);
    assert.equal((await call('DELETE', { ...cookie, 'sec-fetch-site': 'same-origin', 'x-csrf-token': 'csrf-123' })).status, 200);
  });

  it('refuses a cookie-authenticated state change with every reason at once', async () => {
    const refused = await call('PUT', { ...cookie, origin: 'https://evil.example' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'csrf_failed');
    assert.deepEqual(refused.body.issues?.map((i) => i.path.join('.')), ['header.origin', 'header.x-csrf-token']);
    for (const issue of refused.body.issues ?? []) assert.match(issue.message, /[ぁ-んァ-ン一-龥].* \/ [a-z]/, 'Japanese, then English');
    const missing = await call('POST', cookie);
    assert.match(missing.body.issues?.[0]?.message ?? '', /^ありません: .* \/ missing: /);
    const attempts: Record<string, string>[] = [{ 'x-csrf-token': 'csrf-123' }, { origin: ORIGIN, 'x-csrf-token': 'csrf-12' }, { 'sec-fetch-site': 'same-site', 'x-csrf-token': 'csrf-123' }];
    for (const headers of attempts) {
      assert.equal((await call('PATCH', { ...cookie, ...headers })).status, 403, JSON.stringify(headers));
    }
  });

  it('does not check safe methods', async () => {
    assert.equal((await call('GET', { ...cookie, origin: 'https://evil.example' })).status, 200);
  });
});

import { ManualClock } from '../cloud/contract-tests/manual-clock.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthFlow, safeReturnTo, type SignInEvent } from './auth-flow.js';
import type { RelyingParty } from './oidc.js';
import { PeopleRules } from './people-rules.js';
import { createSessions } from './sessions.js';
import { memoryPeople, memorySessionStore, seedPeople } from './testing.js';

const MORNING = '2030-04-01T09:00:00.000Z';

describe('the return address after sign-in', () => {
  it('keeps a path of this site with its query', () => {
    assert.equal(safeReturnTo('/requests?tenant=131016#top'), '/requests?tenant=131016#top');
  });

  it('turns anything that could leave the site into /', () => {
    for (const value of [undefined, null, '', 'requests', '//evil.example', '/\\evil.example', '/a\\b', 'https://evil.example', 'javascript:alert(1)', '/\tevil', '/\r\n//evil', `/${'a'.repeat(2001)}`]) {
      assert.equal(safeReturnTo(value), '/', JSON.stringify(value));
    }
  });
});

describe('the sign-in flow without a provider', () => {
  it('answers a 503 page at the start and at the callback, and keeps nothing', async () => {
    const store = memorySessionStore();
    const sessions = createSessions({ store, people: memoryPeople(), clock: new ManualClock(MORNING), settings: { idleMinutes: 30, maxHours: 8 } });
    const flow = createAuthFlow({ rp: () => undefined, sessions, signIn: { people: memoryPeople(), tenants: { getOrganisationByCode: async () => undefined }, clock: new ManualClock(MORNING), newId: (p) => p, assurance: { acr: [], amr: ['mfa'] }, rules: [] } });
    const begun = await flow.begin('/x', undefined);
    assert.equal(begun.kind === 'page' && begun.page.status, 503);
    const completed = await flow.complete('cookie', new URLSearchParams(), undefined, { ip: null, forwardedFor: null, userAgent: null });
    assert.equal(completed.kind === 'page' && completed.page.status, 503);
    assert.deepEqual(await flow.signOut(undefined, undefined, { ip: null, forwardedFor: null, userAgent: null }), { location: '/' });
  });
});

describe('the callback for a removed person', () => {
  it('answers the removed page, starts no session, and records a refusal', async () => {
    const clock = new ManualClock(MORNING);
    const people = memoryPeople({ org_chiyoda: '131016' });
    const { member } = await seedPeople(people, clock.now());
    await people.bindSubject(member.id, 'https://idp.example.jp', 'sub-1');
    await people.remove(member.id, 'admin@chiyoda.test', clock.now());
    const store = memorySessionStore();
    const sessions = createSessions({ store, people, clock, settings: { idleMinutes: 30, maxHours: 8 } });
    const identity = { issuer: 'https://idp.example.jp', subject: 'sub-1', acr: undefined, amr: ['mfa'], email: member.email, emailVerified: true, name: 'Member', claims: { hatoba_roles: 'tenant_member', tenant_code: '131016' } };
    const rp: RelyingParty = {
      newChecks: () => ({ state: 's', nonce: 'n', codeVerifier: 'v' }),
      authorizationUrl: async () => new URL('https://idp.example.jp/auth'),
      exchange: async () => ({ identity, idToken: 'id.token' }),
      endSessionUrl: async () => undefined,
    };
    const events: SignInEvent[] = [];
    const rules = PeopleRules.parse([{ when: { claim: 'hatoba_roles', equals: 'tenant_member' }, tenantRole: 'tenant_member', tenantCodeClaim: 'tenant_code' }]);
    const flow = createAuthFlow({
      rp: () => rp,
      sessions,
      signIn: { people, tenants: { getOrganisationByCode: async () => undefined }, clock, newId: (p) => `${p}_new`, assurance: { acr: [], amr: ['mfa'] }, rules },
      onEvent: (event) => void events.push(event),
    });
    const begun = await flow.begin('/', undefined);
    const cookie = begun.kind === 'redirect' ? begun.transactionCookie : undefined;
    const completed = await flow.complete(cookie, new URLSearchParams({ code: 'c', state: 's' }), undefined, { ip: null, forwardedFor: null, userAgent: null });
    assert.equal(completed.kind === 'page' && completed.page.status, 403);
    assert.match(completed.kind === 'page' ? completed.page.html : '', /登録が取り消されています/);
    assert.equal(store.sessions.size, 0);
    assert.deepEqual(events, [{ kind: 'refused', email: member.email, refusal: 'removed' }]);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthFlow, safeReturnTo } from './auth-flow.js';
import { createSessions } from './sessions.js';
import { manualClock, memoryPeople, memorySessionStore } from './testing.js';

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
    const sessions = createSessions({ store, people: memoryPeople(), clock: manualClock(), settings: { idleMinutes: 30, maxHours: 8 } });
    const flow = createAuthFlow({ rp: () => undefined, sessions, signIn: { people: memoryPeople(), tenants: { getOrganisationByCode: async () => undefined }, clock: manualClock(), newId: (p) => p, assurance: { acr: [], amr: ['mfa'] }, rules: [] } });
    const begun = await flow.begin('/x', undefined);
    assert.equal(begun.kind === 'page' && begun.page.status, 503);
    const completed = await flow.complete('cookie', new URLSearchParams(), undefined, { ip: null, forwardedFor: null, userAgent: null });
    assert.equal(completed.kind === 'page' && completed.page.status, 503);
    assert.deepEqual(await flow.signOut(undefined, undefined, { ip: null, forwardedFor: null, userAgent: null }), { location: '/' });
  });
});

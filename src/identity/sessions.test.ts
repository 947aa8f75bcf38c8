import { ManualClock } from '../cloud/contract-tests/manual-clock.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUTH_TRANSACTION_MINUTES, createSessions, SIGN_IN_PURGE_BATCH } from './sessions.js';
import { sha256Hex } from './secrets.js';
import { memoryPeople, memorySessionStore, seedPeople } from './testing.js';

const MORNING = '2030-04-01T09:00:00.000Z';

const MINUTE = 60_000;

async function setup() {
  const clock = new ManualClock(MORNING);
  const people = memoryPeople({ org_chiyoda: '131016' });
  const store = memorySessionStore();
  const { operator, member } = await seedPeople(people, clock.now());
  const sessions = createSessions({ store, people, clock, settings: { idleMinutes: 30, maxHours: 2 } });
  return { clock, people, store, sessions, operator, member };
}

const shown = { acr: 'urn:hatoba:loa:high', amr: ['hwk', 'mfa'], idToken: 'id.token.here' };

describe('sessions', () => {
  it('purges expired sign-ins, a bounded number at a time, whenever a new one begins', async () => {
    const { clock, store, sessions } = await setup();
    const checks = { state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/' };
    for (let i = 0; i < SIGN_IN_PURGE_BATCH + 20; i += 1) await sessions.beginSignIn(checks);
    clock.advance((AUTH_TRANSACTION_MINUTES + 1) * MINUTE);
    await sessions.beginSignIn(checks);
    assert.equal(store.transactions.size, 21, 'one batch of the expired ones went, and the new one is kept');
    await sessions.beginSignIn(checks);
    assert.equal(store.transactions.size, 2, 'the rest of the expired ones went at the next');
  });

  it('keeps only the hash of the cookie and resolves the cookie to the person as they are now', async () => {
    const { store, sessions, member, people } = await setup();
    const started = await sessions.start(member.id, shown);
    assert.equal(store.sessions.size, 1);
    assert.ok(store.sessions.has(sha256Hex(started.cookie)));
    assert.ok(![...store.sessions.keys()].includes(started.cookie));
    const resolved = await sessions.resolve(started.cookie);
    assert.deepEqual(resolved?.principal, { kind: 'tenant', personId: member.id, email: member.email, name: member.name, tenantId: 'org_chiyoda', tenantCode: '131016', role: 'tenant_member', via: 'session' });
    assert.equal(resolved?.csrfToken, started.csrfToken);
    await people.setTenantRole(member.id, 'tenant_admin');
    const after = await sessions.resolve(started.cookie);
    assert.equal(after?.principal.kind === 'tenant' ? after.principal.role : undefined, 'tenant_admin', 'a role change takes effect on the next request');
  });

  it('ends the session idle for longer than the idle time, and moves the idle expiry on with activity', async () => {
    const { clock, sessions, operator } = await setup();
    const { cookie } = await sessions.start(operator.id, shown);
    clock.advance(20 * MINUTE);
    assert.ok(await sessions.resolve(cookie), 'active after 20 minutes');
    clock.advance(20 * MINUTE);
    assert.ok(await sessions.resolve(cookie), '20 minutes after the last request');
    clock.advance(31 * MINUTE);
    assert.equal(await sessions.resolve(cookie), undefined, 'idle for 31 minutes');
    clock.advance(-31 * MINUTE);
    assert.equal(await sessions.resolve(cookie), undefined, 'an expired session is gone, not just hidden');
  });

  it('ends a session at its absolute expiry however active it is', async () => {
    const { clock, sessions, operator } = await setup();
    const { cookie, expiresAt } = await sessions.start(operator.id, shown);
    for (let i = 0; i < 7; i++) {
      clock.advance(15 * MINUTE);
      assert.ok(await sessions.resolve(cookie), `after ${(i + 1) * 15} minutes`);
    }
    clock.set(expiresAt);
    assert.equal(await sessions.resolve(cookie), undefined);
  });

  it('makes a removed person anonymous on their next request', async () => {
    const { clock, people, store, sessions, operator } = await setup();
    const { cookie } = await sessions.start(operator.id, shown);
    await people.remove(operator.id, 'auditor@hatoba.test', clock.now());
    assert.equal(await sessions.resolve(cookie), undefined);
    assert.equal(store.sessions.size, 0);
  });

  it('issues a new id at sign-in and ends whatever session the browser brought', async () => {
    const { sessions, operator, member } = await setup();
    const planted = await sessions.start(member.id, shown);
    const fresh = await sessions.start(operator.id, shown, planted.cookie);
    assert.notEqual(fresh.cookie, planted.cookie);
    assert.notEqual(fresh.csrfToken, planted.csrfToken);
    assert.equal(await sessions.resolve(planted.cookie), undefined);
    assert.equal((await sessions.resolve(fresh.cookie))?.principal.personId, operator.id);
  });

  it('ends a session and hands back its id token once', async () => {
    const { sessions, operator } = await setup();
    const { cookie } = await sessions.start(operator.id, shown);
    assert.deepEqual(await sessions.end(cookie), { idToken: 'id.token.here' });
    assert.equal(await sessions.end(cookie), undefined);
    assert.equal(await sessions.resolve(cookie), undefined);
  });

  it('answers nothing for a cookie it never issued', async () => {
    const { sessions } = await setup();
    assert.equal(await sessions.resolve('made-up'), undefined);
  });

  it('hands a sign-in transaction out once and not after it expired', async () => {
    const { clock, sessions } = await setup();
    const t = { state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/x' };
    const cookie = await sessions.beginSignIn(t);
    assert.equal((await sessions.takeSignIn(cookie))?.returnTo, '/x');
    assert.equal(await sessions.takeSignIn(cookie), undefined);
    const late = await sessions.beginSignIn(t);
    clock.advance(11 * MINUTE);
    assert.equal(await sessions.takeSignIn(late), undefined);
  });
});

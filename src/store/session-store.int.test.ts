import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from './testing.js';
import { createSessionStore } from './session-store.js';
import { createPeopleStore } from './people-store.js';
import type { StoredSession } from '../app/ports/session-store.js';

const T0 = new Date('2030-04-01T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const session = (idHash: string, personId: string, patch: Partial<StoredSession> = {}): StoredSession => ({
  idHash,
  personId,
  csrfToken: `csrf-${idHash}`,
  acr: 'urn:hatoba:loa:high',
  amr: ['hwk', 'pin', 'mfa'],
  idToken: 'header.payload.signature',
  createdAt: T0,
  lastSeenAt: T0,
  idleExpiresAt: at(30),
  expiresAt: at(8 * 60),
  ...patch,
});

for (const backend of backends()) {
  describe(`session store on ${backend.name}`, () => {
    let handle: TestDatabase;
    let personId: string;
    let otherId: string;
    beforeEach(async () => {
      handle = await backend.open();
      const people = createPeopleStore(handle.db);
      personId = (await people.create({ id: 'per_1', email: 'op@hatoba.test', name: 'Op', createdAt: T0, createdBy: 'test', kind: 'central', centralRoles: ['operator'] })).id;
      otherId = (await people.create({ id: 'per_2', email: 'au@hatoba.test', name: 'Au', createdAt: T0, createdBy: 'test', kind: 'central', centralRoles: ['auditor'] })).id;
    });
    afterEach(async () => handle.dispose());

    it('stores a session by the hash of its cookie and reads it back whole', async () => {
      const store = createSessionStore(handle.db);
      await store.createSession(session('h1', personId));
      assert.deepEqual(await store.findSession('h1'), session('h1', personId));
      assert.equal(await store.findSession('h2'), undefined);
    });

    it('records activity and deletes a session once, returning its id token', async () => {
      const store = createSessionStore(handle.db);
      await store.createSession(session('h1', personId));
      await store.touchSession('h1', at(5), at(35));
      const touched = await store.findSession('h1');
      assert.deepEqual([touched?.lastSeenAt, touched?.idleExpiresAt], [at(5), at(35)]);
      assert.equal((await store.deleteSession('h1'))?.idToken, 'header.payload.signature');
      assert.equal(await store.deleteSession('h1'), undefined);
      assert.equal(await store.findSession('h1'), undefined);
    });

    it('purges sessions past either expiry and stale sign-in transactions, and keeps the rest', async () => {
      const store = createSessionStore(handle.db);
      await store.createSession(session('idle', personId, { idleExpiresAt: at(10) }));
      await store.createSession(session('absolute', personId, { idleExpiresAt: at(100), expiresAt: at(15) }));
      await store.createSession(session('alive', personId));
      await store.createAuthTransaction({ idHash: 't-old', state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/', createdAt: T0, expiresAt: at(10) });
      await store.createAuthTransaction({ idHash: 't-new', state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/', createdAt: T0, expiresAt: at(60) });
      assert.equal(await store.deleteExpired(at(20)), 3);
      assert.ok(await store.findSession('alive'));
      assert.equal(await store.findSession('idle'), undefined);
      assert.equal(await store.findSession('absolute'), undefined);
      assert.equal(await store.takeAuthTransaction('t-old'), undefined);
      assert.ok(await store.takeAuthTransaction('t-new'));
    });

    it('purges expired sign-in transactions a bounded number at a time, oldest first, and no session', async () => {
      const store = createSessionStore(handle.db);
      await store.createSession(session('expired-session', personId, { idleExpiresAt: at(1), expiresAt: at(2) }));
      for (const [i, minute] of [3, 1, 2, 90].entries()) {
        await store.createAuthTransaction({ idHash: `b-${i}`, state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/', createdAt: T0, expiresAt: at(minute) });
      }
      assert.equal(await store.deleteExpiredSignIns(at(30), 2), 2);
      assert.equal(await store.takeAuthTransaction('b-1'), undefined);
      assert.equal(await store.takeAuthTransaction('b-2'), undefined);
      assert.equal(await store.deleteExpiredSignIns(at(30), 2), 1);
      assert.ok(await store.takeAuthTransaction('b-3'), 'not expired yet');
      assert.ok(await store.findSession('expired-session'), 'sessions are purged at a sign-in, not here');
      await store.deleteSession('expired-session');
    });

    it('hands a sign-in transaction out once', async () => {
      const store = createSessionStore(handle.db);
      const t = { idHash: 't1', state: 'st', nonce: 'no', codeVerifier: 'cv', returnTo: '/requests', createdAt: T0, expiresAt: at(10) };
      await store.createAuthTransaction(t);
      assert.deepEqual(await store.takeAuthTransaction('t1'), t);
      assert.equal(await store.takeAuthTransaction('t1'), undefined);
    });

    it('finds a token by its hash, lists a person’s unrevoked tokens newest first, and revokes only the owner’s', async () => {
      const store = createSessionStore(handle.db);
      const token = (id: string, owner: string) => ({ id, hash: `hash-${id}`, personId: owner, name: `cli ${id}`, createdAt: T0, expiresAt: at(60), lastUsedAt: null, revokedAt: null });
      await store.createApiToken(token('tok_1', personId));
      await store.createApiToken(token('tok_2', personId));
      await store.createApiToken(token('tok_3', otherId));
      assert.equal((await store.findApiTokenByHash('hash-tok_2'))?.id, 'tok_2');
      assert.equal(await store.findApiTokenByHash('tok_2'), undefined, 'only the hash finds a token');
      assert.deepEqual((await store.listApiTokens(personId)).map((t) => t.id), ['tok_2', 'tok_1']);
      assert.equal(await store.revokeApiToken(personId, 'tok_3', at(1)), false, 'another person’s token');
      assert.equal(await store.revokeApiToken(personId, 'tok_1', at(1)), true);
      assert.equal(await store.revokeApiToken(personId, 'tok_1', at(2)), false, 'already revoked');
      assert.deepEqual((await store.listApiTokens(personId)).map((t) => t.id), ['tok_2']);
      assert.deepEqual((await store.findApiTokenByHash('hash-tok_1'))?.revokedAt, at(1));
      await store.touchApiToken('tok_2', at(3));
      assert.deepEqual((await store.findApiTokenByHash('hash-tok_2'))?.lastUsedAt, at(3));
    });

    it('loses a removed person’s sessions and tokens with them', async () => {
      const store = createSessionStore(handle.db);
      await store.createSession(session('h1', personId));
      await store.createApiToken({ id: 'tok_1', hash: 'hash-1', personId, name: 'cli', createdAt: T0, expiresAt: at(60), lastUsedAt: null, revokedAt: null });
      await createPeopleStore(handle.db).remove(personId, 'test', at(1));
      assert.equal(await store.findSession('h1'), undefined);
      assert.equal(await store.findApiTokenByHash('hash-1'), undefined);
    });
  });
}

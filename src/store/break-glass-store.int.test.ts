import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends, type TestDatabase } from './testing.js';
import { breakGlassWorld, type BreakGlassWorld } from './break-glass-store.testing.js';
import { createBreakGlassStore } from './break-glass-store.js';
import { createPersonAccessStore } from './person-access-store.js';
import { timeOrderedId } from '../app/registry/ids.js';
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../domain/access/principal.js';
import type { BreakGlassStore, NewAlert } from '../app/break-glass/store.js';
import type { Grant } from '../app/break-glass/model.js';

const MINUTE = 60_000;

for (const backend of backends()) {
  describe(`break-glass store on ${backend.name}`, () => {
    let database: TestDatabase;
    let w: BreakGlassWorld;
    let store: BreakGlassStore;
    before(async () => {
      database = await backend.open();
      w = await breakGlassWorld(database.db);
      store = w.deps.store;
    });
    after(async () => database.dispose());

    const insert = (who: Principal = w.operator, minutes = 60, account = w.a) =>
      store.insertGrant({
        id: timeOrderedId('grt'),
        accountId: account.accountId,
        provider: 'simulated',
        providerAccountId: account.providerAccountId,
        tenantId: account.tenantId,
        requestedBy: { personId: who.personId, email: who.email, name: who.name },
        reason: 'incident',
        durationMinutes: minutes,
        requestedAt: w.clock.now(),
      });

    it('keeps one open grant per account and person, and frees the slot once the grant is decided', async () => {
      const first = await insert();
      await assert.rejects(insert(), (e: unknown) => e instanceof DomainError && e.code === 'conflict');
      const other = await insert(w.operator, 60, w.b);
      assert.ok((await store.deny(first.id, w.adminA.personId, w.clock.now(), 'no')) !== undefined);
      const next = await insert();
      await store.cancel(next.id, w.operator.personId, w.clock.now());
      await store.cancel(other.id, w.operator.personId, w.clock.now());
    });

    it('lets exactly one of an approval and a denial racing for the same grant win', async () => {
      const grant = await insert(w.operator2);
      const [approved, denied] = await Promise.all([
        store.approve(grant.id, w.adminA.personId, w.clock.now(), null),
        store.deny(grant.id, w.adminA.personId, w.clock.now(), 'no'),
      ]);
      assert.equal([approved, denied].filter((g) => g !== undefined).length, 1);
      const final = await store.getGrant(grant.id);
      if (final?.status === 'approved') {
        assert.equal(final.expiresAt?.getTime(), (final.startsAt?.getTime() ?? 0) + 60 * MINUTE);
        assert.equal(final.access.state, 'assigning');
        await store.revoke(grant.id, w.adminA.personId, w.clock.now(), 'race over');
      }
    });

    it('expires each due grant exactly once across processes, ending it at its expiry and not at the moment it was noticed', async () => {
      const grant = await insert(w.operator, 15);
      const approved = await store.approve(grant.id, w.adminA.personId, w.clock.now(), null);
      assert.ok(approved?.expiresAt !== null && approved?.expiresAt !== undefined);
      const late = new Date(approved.expiresAt.getTime() + 5 * MINUTE);
      const other = createBreakGlassStore(database.db);
      const [one, two] = await Promise.all([store.expireDue(late), other.expireDue(late)]);
      const expired = [...one, ...two].filter((g) => g.id === grant.id);
      assert.equal(expired.length, 1);
      assert.deepEqual([expired[0]?.status, expired[0]?.endedAt?.getTime(), expired[0]?.access.state], ['expired', approved.expiresAt.getTime(), 'removing']);
      assert.equal(await store.revoke(grant.id, w.adminA.personId, late, 'too late'), undefined);
      assert.equal(await store.recordAssignment(grant.id, { userId: 'u', userName: 'n', permissionSetArn: 'arn', requestId: 'r' }), false, 'an ended grant takes no assignment');
      assert.equal(await store.recordRemoval(grant.id, null, late), true);
      assert.equal((await store.getGrant(grant.id))?.access.state, 'removed');
    });

    it('approves a request only while its requester is an active person', async () => {
      const gone = await w.newOperator('store-gone-1');
      const grant = await insert(gone);
      await createPersonAccessStore(database.db).removePerson(gone.personId, 'test', w.clock.now(), []);
      assert.equal(await store.approve(grant.id, w.adminA.personId, w.clock.now(), null), undefined);
      assert.equal((await store.getGrant(grant.id))?.status, 'requested');
    });

    it('ends the open grants of removed requesters exactly once across processes, at the removal: requests cancelled, active grants revoked with their access to remove', async () => {
      const gone = await w.newOperator('store-gone-2');
      const pending = await insert(gone, 60, w.a);
      const active = await insert(gone, 60, w.b);
      const approvedAt = w.clock.now();
      await store.approve(active.id, w.adminB.personId, approvedAt, null);
      await store.recordAssignment(active.id, { userId: 'u', userName: 'n', permissionSetArn: 'arn', requestId: 'r' });
      await store.markAssigned(active.id, 'r', approvedAt);
      const untouched = await insert(w.operator2, 60, w.a);
      const removedAt = new Date(approvedAt.getTime() + 10 * MINUTE);
      await createPersonAccessStore(database.db).removePerson(gone.personId, 'test', removedAt, []);

      const noticed = new Date(removedAt.getTime() + 5_000);
      const [one, two] = await Promise.all([store.endForRemovedRequesters(noticed, 'requester removed'), createBreakGlassStore(database.db).endForRemovedRequesters(noticed, 'requester removed')]);
      const ended = [...one, ...two].map((g) => g.id);
      assert.equal(new Set(ended).size, ended.length, 'no grant ended twice');
      assert.deepEqual(ended.filter((id) => id === pending.id || id === active.id).sort(), [pending.id, active.id].sort());
      assert.ok(!ended.includes(untouched.id));
      const summary = (g: Grant | undefined) => [g?.status, g?.endedAt?.getTime(), g?.endNote, g?.endedBy, g?.access.state];
      assert.deepEqual(summary(await store.getGrant(pending.id)), ['cancelled', removedAt.getTime(), 'requester removed', null, 'none']);
      assert.deepEqual(summary(await store.getGrant(active.id)), ['revoked', removedAt.getTime(), 'requester removed', null, 'removing']);
      assert.equal((await store.getGrant(untouched.id))?.status, 'requested', 'an active requester’s grant stays');
      assert.deepEqual(await store.endForRemovedRequesters(noticed, 'requester removed'), []);
      await store.cancel(untouched.id, w.operator2.personId, noticed);
    });

    it('finds the windows that overlap a period, with expiry exclusive', async () => {
      const grant = await insert(w.operator2, 30, w.b);
      const start = w.clock.now();
      await store.approve(grant.id, w.adminB.personId, start, null);
      const end = new Date(start.getTime() + 30 * MINUTE);
      const overlapping = async (from: Date, to: Date) => (await store.windowsOverlapping('simulated', [w.b.providerAccountId], from, to)).map((g) => g.id);
      assert.ok((await overlapping(start, start)).includes(grant.id));
      assert.ok(!(await overlapping(end, new Date(end.getTime() + MINUTE))).includes(grant.id));
      assert.ok(!(await overlapping(new Date(start.getTime() - 2 * MINUTE), new Date(start.getTime() - MINUTE))).includes(grant.id));
      await store.revoke(grant.id, w.adminB.personId, new Date(start.getTime() + MINUTE), 'done');
      assert.ok(!(await overlapping(new Date(start.getTime() + 2 * MINUTE), end)).includes(grant.id), 'a revoked grant ends at its revocation');
    });

    it('names the owners of registered accounts and central people by user name, case aside', async () => {
      const owners = await store.owners('simulated', [w.a.providerAccountId, '999999999999']);
      assert.deepEqual(owners.map((o) => [o.providerAccountId, o.tenantId, o.tenantCode]), [[w.a.providerAccountId, w.a.tenantId, w.a.tenantCode]]);
      const people = await store.centralPeopleByUserName([w.operator.email.toUpperCase(), w.adminA.email]);
      assert.deepEqual([...people.entries()], [[w.operator.email, w.operator.personId]]);
    });

    it('keeps one alert per event, pages a tenant’s alerts newest first, and acknowledges once', async () => {
      const alert = (n: number): NewAlert => ({
        eventId: `ev-store-${n}`,
        provider: 'simulated',
        providerAccountId: w.a.providerAccountId,
        accountId: w.a.accountId,
        tenantId: w.a.tenantId,
        principalArn: `arn:aws:sts::${w.a.providerAccountId}:assumed-role/OrganizationAccountAccessRole/x`,
        principalKind: 'organization_access_role',
        personId: null,
        eventSource: 'iam.amazonaws.com',
        eventName: 'ListRoles',
        eventTime: new Date(w.clock.now().getTime() + n),
        raisedAt: w.clock.now(),
      });
      assert.equal((await store.insertAlerts([alert(1), alert(2), alert(3)])).length, 3);
      assert.deepEqual((await store.insertAlerts([alert(3), alert(4)])).map((a) => a.eventId), ['ev-store-4']);
      const first = await store.listAlerts(w.a.tenantId, {}, { limit: 2 });
      assert.deepEqual(first.items.map((a) => a.eventId), ['ev-store-4', 'ev-store-3']);
      const second = await store.listAlerts(w.a.tenantId, {}, { limit: 2, cursor: first.nextCursor });
      assert.deepEqual(second.items.map((a) => a.eventId), ['ev-store-2', 'ev-store-1']);
      await assert.rejects(store.listAlerts(w.a.tenantId, {}, { limit: 2, cursor: 'bm9wZQ' }), (e: unknown) => e instanceof DomainError && e.code === 'validation_failed');
      assert.deepEqual((await store.listAlerts(w.b.tenantId, {}, { limit: 10 })).items, []);

      assert.equal(await store.acknowledgeAlert(w.b.tenantId, 'ev-store-1', w.adminB.personId, w.clock.now()), undefined, 'another tenant’s alert is not found');
      const acked = await store.acknowledgeAlert(w.a.tenantId, 'ev-store-1', w.adminA.personId, w.clock.now());
      assert.equal(acked?.acknowledgedBy, w.adminA.personId);
      const again = await store.acknowledgeAlert(w.a.tenantId, 'ev-store-1', w.memberA.personId, new Date(w.clock.now().getTime() + MINUTE));
      assert.deepEqual([again?.acknowledgedBy, again?.acknowledgedAt?.getTime()], [w.adminA.personId, acked?.acknowledgedAt?.getTime()]);
      assert.ok(!(await store.listAlerts(w.a.tenantId, { unacknowledged: true }, { limit: 10 })).items.some((a) => a.eventId === 'ev-store-1'));
    });

    it('moves the scan cursor forward only', async () => {
      const at = w.clock.now();
      assert.equal(await store.getScanCursor('store-test'), undefined);
      await store.advanceScanCursor('store-test', new Date(at.getTime() + MINUTE), at);
      await store.advanceScanCursor('store-test', at, at);
      assert.equal((await store.getScanCursor('store-test'))?.getTime(), at.getTime() + MINUTE);
    });
  });
}

import { everyPage } from '../../main/testing/cloud.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends, type TestDatabase } from '../../store/testing.js';
import { ASSIGNMENT_DELAY_MS, breakGlassWorld, ssoSession, type BreakGlassWorld } from '../../store/break-glass-store.testing.js';
import { DomainError } from '../../domain/errors.js';
import type { AccountAssignment, ActivityEvent } from '../ports/cloud.js';
import { approveGrant, cancelGrant, denyGrant, getGrant, listGrants, requestGrant, revokeGrant } from './grants.js';
import { grantActivity } from './activity.js';
import { acknowledgeAlert, listAlerts } from './alerts.js';
import { BreakGlassWorker, runBreakGlassRound, type BreakGlassRound } from './worker.js';
import { scanActivity } from './scan.js';
import { ensureAdminPermissionSet } from './access.js';
import { REQUESTER_REMOVED_NOTE } from './model.js';
import { createPersonAccessStore } from '../../store/person-access-store.js';
import { createPeopleStore } from '../../store/people-store.js';
import { deleteUserStep, removeAssignmentsStep } from '../../workflows/people/steps-deprovision.js';
import type { PeopleWorkflowDeps } from '../../workflows/people/deps.js';

const MINUTE = 60_000;
const REGION = 'ap-northeast-1';
const refusedWith = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

for (const backend of backends()) {
  describe(`break-glass use cases on ${backend.name}`, () => {
    let database: TestDatabase;
    let w: BreakGlassWorld;
    before(async () => {
      database = await backend.open();
      w = await breakGlassWorld(database.db);
    });
    after(async () => database.dispose());

    /** The assignments on the account to the person's identity-store user. */
    async function assignmentsOf(providerAccountId: string, email: string): Promise<AccountAssignment[]> {
      const permissionSet = await ensureAdminPermissionSet(w.deps);
      const users = await everyPage((t) => w.cloud.listUsers({ userName: email }, t));
      const userIds = new Set(users.map((u) => u.userId));
      return (await everyPage((t) => w.cloud.listAccountAssignments(providerAccountId, permissionSet.arn, t))).filter((a) => userIds.has(a.principalId));
    }

    const round = () => runBreakGlassRound(w.deps, (e) => assert.fail(e instanceof Error ? e : String(e)));
    const request = (minutes = 60, account = w.a, who = w.operator) => requestGrant(w.deps, who, { accountId: account.accountId, reason: '障害調査 / incident 42', durationMinutes: minutes });
    const userCalls = async (email: string): Promise<ActivityEvent[]> =>
      (await everyPage((t) => w.cloud.lookupEvents({ eventName: 'CreateUser' }, t))).filter((e) => e.requestParameters?.userName === email);

    it('refuses a request from anyone but a central operator, and a request with every problem at once', async () => {
      await assert.rejects(request(60, w.a, w.adminA), refusedWith('forbidden'));
      await assert.rejects(request(60, w.a, w.auditor), refusedWith('forbidden'));
      await assert.rejects(requestGrant(w.deps, w.operator, { accountId: 'acc_nope', reason: ' ', durationMinutes: 5 }), (e: unknown) => {
        assert.ok(e instanceof DomainError && e.code === 'validation_failed');
        assert.deepEqual(e.issues.map((i) => i.path.join('.')).sort(), ['accountId', 'durationMinutes', 'reason']);
        return true;
      });
    });

    it('never reaches the cloud for a denied grant', async () => {
      const grant = await request(30, w.a, w.operator2);
      await assert.rejects(denyGrant(w.deps, w.adminA, grant.id, {}), refusedWith('validation_failed'), 'a denial says why');
      const denied = await denyGrant(w.deps, w.adminA, grant.id, { note: '業務時間外 / not now' });
      assert.deepEqual([denied.status, denied.access.state, denied.decisionNote], ['denied', 'none', '業務時間外 / not now']);
      await round();
      w.clock.advance(ASSIGNMENT_DELAY_MS);
      await round();
      assert.equal((await userCalls(w.operator2.email)).length, 0);
      assert.deepEqual(await assignmentsOf(w.a.providerAccountId, w.operator2.email), []);
      await assert.rejects(approveGrant(w.deps, w.adminA, grant.id, {}), refusedWith('invalid_state'));
    });

    it('lets only the owning tenant’s admin decide: a member is refused, another tenant’s admin finds nothing, central people are refused', async () => {
      const grant = await request(30, w.a, w.operator2);
      await assert.rejects(approveGrant(w.deps, w.memberA, grant.id, {}), refusedWith('forbidden'));
      await assert.rejects(approveGrant(w.deps, w.adminB, grant.id, {}), refusedWith('not_found'));
      await assert.rejects(approveGrant(w.deps, w.operator, grant.id, {}), refusedWith('forbidden'));
      await assert.rejects(revokeGrant(w.deps, w.adminB, grant.id, { note: 'x' }), refusedWith('not_found'));
      await assert.rejects(cancelGrant(w.deps, w.operator, grant.id), refusedWith('forbidden'), 'only the requester cancels');
      const cancelled = await cancelGrant(w.deps, w.operator2, grant.id);
      assert.equal(cancelled.status, 'cancelled');
    });

    it('shows a grant to its tenant, its requester and operators, and to no one else', async () => {
      const grant = await request(20, w.b, w.operator2);
      assert.equal((await getGrant(w.deps, w.adminB, grant.id)).id, grant.id);
      assert.equal((await getGrant(w.deps, w.operator, grant.id)).id, grant.id, 'operators see every grant’s metadata');
      await assert.rejects(getGrant(w.deps, w.adminA, grant.id), refusedWith('not_found'));
      await assert.rejects(getGrant(w.deps, w.auditor, grant.id), refusedWith('not_found'));
      const tenantA = await listGrants(w.deps, w.memberA, {}, { limit: 100 });
      assert.ok(tenantA.items.length > 0 && tenantA.items.every((g) => g.tenantId === w.a.tenantId));
      assert.deepEqual((await listGrants(w.deps, w.auditor, {}, { limit: 100 })).items, []);
      await assert.rejects(listGrants(w.deps, w.adminA, { tenant: w.b.tenantCode }, { limit: 10 }), refusedWith('not_found'));
      await cancelGrant(w.deps, w.operator2, grant.id);
    });

    it('assigns exactly one admin permission set assignment on approval and removes it at expiry, after which the account has no access', async () => {
      const grant = await request(15);
      assert.equal(grant.status, 'requested');
      await assert.rejects(request(15), refusedWith('conflict'), 'one open grant per account and person');
      const approved = await approveGrant(w.deps, w.adminA, grant.id, { note: 'OK' });
      assert.deepEqual([approved.status, approved.access.state], ['approved', 'assigning']);
      assert.equal(approved.expiresAt?.getTime(), (approved.startsAt?.getTime() ?? 0) + 15 * MINUTE);
      w.clock.advance(ASSIGNMENT_DELAY_MS);
      await round();
      assert.equal((await getGrant(w.deps, w.operator, grant.id)).access.state, 'assigned');
      assert.equal((await assignmentsOf(w.a.providerAccountId, w.operator.email)).length, 1);
      assert.equal((await userCalls(w.operator.email)).filter((e) => e.errorCode === undefined).length, 1);

      w.clock.advance(15 * MINUTE);
      const expiring = await round();
      assert.equal(expiring.expired, 1);
      const expired = await getGrant(w.deps, w.adminA, grant.id);
      assert.deepEqual([expired.status, expired.endedAt?.getTime()], ['expired', approved.expiresAt?.getTime()]);
      w.clock.advance(ASSIGNMENT_DELAY_MS);
      await round();
      assert.equal((await getGrant(w.deps, w.adminA, grant.id)).access.state, 'removed');
      assert.deepEqual(await assignmentsOf(w.a.providerAccountId, w.operator.email), []);

      const again = await round();
      assert.deepEqual([again.expired, again.converged], [0, 0]);
      assert.deepEqual(await assignmentsOf(w.a.providerAccountId, w.operator.email), [], 'an expired grant gives no more access');
      await assert.rejects(revokeGrant(w.deps, w.adminA, grant.id, { note: 'late' }), refusedWith('invalid_state'));
    });

    it('lists what was done under a grant for its tenant, and not for another tenant or the centre', async () => {
      const grant = await approveGrant(w.deps, w.adminA, (await request(60)).id, {});
      w.clock.advance(ASSIGNMENT_DELAY_MS);
      await round();
      const session = ssoSession(w.a.providerAccountId, w.operator.email);
      await w.cloud.simulateCall({ accountId: w.a.providerAccountId, principal: session, action: 'ec2:DescribeInstances', region: REGION });
      await w.cloud.simulateCall({ accountId: w.a.providerAccountId, principal: session, action: 'ec2:StopInstances', region: REGION, resource: `arn:aws:ec2:${REGION}:${w.a.providerAccountId}:instance/i-0abc` });
      await w.cloud.simulateCall({ accountId: w.a.providerAccountId, principal: { arn: `arn:aws:sts::${w.a.providerAccountId}:assumed-role/DeployRole/ci`, type: 'AssumedRole' }, action: 'ec2:DescribeInstances', region: REGION });

      const activity = await grantActivity(w.deps, w.memberA, grant.id);
      assert.deepEqual(activity.events.map((e) => e.eventName), ['StopInstances', 'DescribeInstances']);
      assert.ok(activity.window !== null && activity.window.from.getTime() === grant.startsAt?.getTime());
      await assert.rejects(grantActivity(w.deps, w.adminB, grant.id), refusedWith('not_found'));
      await assert.rejects(grantActivity(w.deps, w.operator, grant.id), refusedWith('forbidden'));

      // Covered by the grant: the scan raises nothing for these calls.
      const before = (await listAlerts(w.deps, w.adminA, w.a.tenantCode, {}, { limit: 500 })).page.items.length;
      await scanActivity(w.deps);
      assert.equal((await listAlerts(w.deps, w.adminA, w.a.tenantCode, {}, { limit: 500 })).page.items.length, before);

      const revoked = await revokeGrant(w.deps, w.adminA, grant.id, { note: '作業完了 / done' });
      assert.deepEqual([revoked.status, revoked.access.state], ['revoked', 'removing']);
      w.clock.advance(ASSIGNMENT_DELAY_MS);
      await round();
      assert.deepEqual(await assignmentsOf(w.a.providerAccountId, w.operator.email), []);
    });

    it('raises exactly one alert to the owning tenant for a central call no grant covers, and none on a second scan', async () => {
      await scanActivity(w.deps);
      const session = ssoSession(w.b.providerAccountId, w.operator.email);
      const { eventId } = await w.cloud.simulateCall({ accountId: w.b.providerAccountId, principal: session, action: 's3:ListAllMyBuckets', region: REGION });
      const first = await scanActivity(w.deps);
      assert.equal(first.alerts, 1);
      const second = await scanActivity(w.deps);
      assert.equal(second.alerts, 0);

      const alertsB = (await listAlerts(w.deps, w.adminB, w.b.tenantCode, {}, { limit: 500 })).page.items;
      assert.deepEqual(alertsB.filter((a) => a.eventId === eventId).map((a) => [a.principalKind, a.personId, a.eventName]), [['identity_center', w.operator.personId, 'ListAllMyBuckets']]);
      assert.ok(!(await listAlerts(w.deps, w.adminA, w.a.tenantCode, {}, { limit: 500 })).page.items.some((a) => a.eventId === eventId), 'not raised to another tenant');
      await assert.rejects(listAlerts(w.deps, w.adminA, w.b.tenantCode, {}, { limit: 10 }), refusedWith('not_found'));
      await assert.rejects(listAlerts(w.deps, w.operator, w.b.tenantCode, {}, { limit: 10 }), refusedWith('forbidden'));

      const messages = (await w.deps.notifications.list({ organisationId: w.b.tenantId, limit: 500 })).filter((n) => n.dedupeKey.startsWith('break-glass-uncovered:'));
      assert.equal(messages.length, 1);
      assert.match(messages[0]?.subject.ja ?? '', /緊急アクセスのない中央側の操作/);

      const acknowledged = await acknowledgeAlert(w.deps, w.adminB, w.b.tenantCode, eventId);
      assert.equal(acknowledged.acknowledgedBy, w.adminB.personId);
      assert.equal((await listAlerts(w.deps, w.adminB, w.b.tenantCode, { unacknowledged: true }, { limit: 500 })).page.items.some((a) => a.eventId === eventId), false);
    });

    it('raises alerts for OrganizationAccountAccessRole and calls after a grant ended, and none for Hatoba’s own provisioning or a tenant’s own people', async () => {
      await scanActivity(w.deps);
      const oaar = await w.cloud.simulateCall({ accountId: w.a.providerAccountId, principal: { arn: `arn:aws:sts::${w.a.providerAccountId}:assumed-role/OrganizationAccountAccessRole/admin`, type: 'AssumedRole' }, action: 'iam:ListRoles', region: REGION });
      const late = await w.cloud.simulateCall({ accountId: w.a.providerAccountId, principal: ssoSession(w.a.providerAccountId, w.operator.email), action: 'ec2:DescribeInstances', region: REGION });
      await w.cloud.simulateCall({ accountId: w.a.providerAccountId, principal: ssoSession(w.a.providerAccountId, w.adminA.email), action: 'ec2:DescribeInstances', region: REGION });
      // Hatoba's own calls: a resource write logged in the member account's trail (the user and assignment calls of the approvals above are too).
      await w.cloud.putResource({ accountId: w.a.providerAccountId, region: REGION, typeName: 'AWS::S3::Bucket', identifier: `hatoba-baseline-${w.a.providerAccountId}`, properties: {} });
      const scan = await scanActivity(w.deps);
      assert.equal(scan.alerts, 2);
      const ids = (await listAlerts(w.deps, w.adminA, w.a.tenantCode, {}, { limit: 500 })).page.items.map((a) => a.eventId);
      assert.ok(ids.includes(oaar.eventId) && ids.includes(late.eventId));
    });

    it('answers another tenant’s tenant, grant or alert exactly like a missing one, in Japanese and English', async () => {
      const refusal = async (attempt: Promise<unknown>): Promise<[string, string]> => {
        const error: unknown = await attempt.then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof DomainError, 'refused');
        return [error.code, error.message];
      };
      const tenantMissing = (ref: string): [string, string] => ['not_found', `テナント ${ref} が見つかりません / tenant ${ref} was not found`];
      for (const ref of [w.b.tenantCode, w.b.tenantId, '999999', 'org_nope']) {
        assert.deepEqual(await refusal(listAlerts(w.deps, w.adminA, ref, {}, { limit: 1 })), tenantMissing(ref));
        assert.deepEqual(await refusal(acknowledgeAlert(w.deps, w.adminA, ref, 'ev-any')), tenantMissing(ref));
        assert.deepEqual(await refusal(listGrants(w.deps, w.memberA, { tenant: ref }, { limit: 1 })), tenantMissing(ref));
      }
      assert.deepEqual(await refusal(listGrants(w.deps, w.operator, { tenant: '999999' }, { limit: 1 })), tenantMissing('999999'));
      for (const ref of [w.b.tenantCode, w.b.tenantId]) {
        assert.ok((await listGrants(w.deps, w.operator, { tenant: ref }, { limit: 100 })).items.every((g) => g.tenantId === w.b.tenantId), 'an operator filters by any tenant');
      }
      const other = await request(30, w.b, w.operator2);
      for (const id of [other.id, 'grt_0000']) {
        assert.deepEqual(await refusal(getGrant(w.deps, w.adminA, id)), ['not_found', `緊急アクセス ${id} が見つかりません / break-glass grant ${id} was not found`]);
      }
      await cancelGrant(w.deps, w.operator2, other.id);
      assert.deepEqual(await refusal(acknowledgeAlert(w.deps, w.adminA, w.a.tenantCode, 'ev-nope')), ['not_found', 'アラート ev-nope が見つかりません / alert ev-nope was not found']);
    });

    /** Removes a person as the people use case does (sessions end; the deprovision run is started separately). */
    const removePerson = (who: { personId: string }) => createPersonAccessStore(database.db).removePerson(who.personId, 'tester@hatoba.example', w.clock.now(), []);
    const requesterGone = (e: unknown) => e instanceof DomainError && e.code === 'invalid_state' && /申請者 .* は削除された/.test(e.message) && /its requester .* was removed/.test(e.message);

    it('refuses to approve the request of an operator who was removed, and the next worker round cancels it', async () => {
      const gone = await w.newOperator('gone-pending');
      const grant = await request(30, w.a, gone);
      await removePerson(gone);
      await assert.rejects(approveGrant(w.deps, w.adminA, grant.id, {}), requesterGone);
      assert.equal((await getGrant(w.deps, w.adminA, grant.id)).status, 'requested', 'the refusal changed nothing');

      const next = await round();
      assert.equal(next.requesterRemoved, 1);
      const cancelled = await getGrant(w.deps, w.adminA, grant.id);
      assert.deepEqual([cancelled.status, cancelled.endNote, cancelled.access.state], ['cancelled', REQUESTER_REMOVED_NOTE, 'none']);
      await assert.rejects(approveGrant(w.deps, w.adminA, grant.id, {}), requesterGone);
      assert.equal((await userCalls(gone.email)).length, 0, 'nothing reached the cloud');
      assert.equal((await round()).requesterRemoved, 0, 'ended once');
    });

    it('revokes the active grant of a removed operator in the next worker round, deletes its assignment, and its user goes with the person’s deprovisioning', async () => {
      const gone = await w.newOperator('gone-active');
      const grant = await approveGrant(w.deps, w.adminA, (await request(60, w.a, gone)).id, {});
      w.clock.advance(ASSIGNMENT_DELAY_MS);
      await round();
      const assigned = await getGrant(w.deps, w.adminA, grant.id);
      assert.equal(assigned.access.state, 'assigned');
      assert.equal((await assignmentsOf(w.a.providerAccountId, gone.email)).length, 1);
      const recorded = await w.deps.access.cloudUsers(gone.personId);
      assert.deepEqual(recorded.map((u) => [u.provider, u.userId, u.deletedAt]), [['simulated', assigned.access.userId, null]], 'the break-glass user is the person’s recorded user');

      const removedAt = w.clock.now();
      await removePerson(gone);
      w.clock.advance(MINUTE);
      assert.equal((await round()).requesterRemoved, 1);
      const revoked = await getGrant(w.deps, w.adminA, grant.id);
      assert.deepEqual([revoked.status, revoked.endNote, revoked.endedBy, revoked.endedAt?.getTime()], ['revoked', REQUESTER_REMOVED_NOTE, null, removedAt.getTime()]);
      assert.equal(revoked.access.state, 'removing');
      w.clock.advance(ASSIGNMENT_DELAY_MS);
      await round();
      assert.equal((await getGrant(w.deps, w.adminA, grant.id)).access.state, 'removed');
      assert.deepEqual(await assignmentsOf(w.a.providerAccountId, gone.email), []);

      // The deprovision-person run (ADR 0012) that the removal starts deletes the users recorded for the person.
      const people: PeopleWorkflowDeps = {
        cloudFor: () => w.cloud,
        people: createPeopleStore(database.db),
        access: createPersonAccessStore(database.db),
        registry: w.deps.registry,
        settings: { permissionSets: { admin: 'Admin', nonAdmin: 'NonAdmin' }, pollIntervalMs: 1_000, maxFailedRounds: 3 },
      };
      const context = { runId: 'run', input: { personId: gone.personId, reason: 'removed' }, state: {}, attempt: 1, stepStartedAt: w.clock.now(), resumed: false, now: w.clock.now(), signal: new AbortController().signal };
      assert.equal((await removeAssignmentsStep(people).run(context)).type, 'done');
      assert.equal((await deleteUserStep(people).run(context)).type, 'done');
      assert.deepEqual(await everyPage((t) => w.cloud.listUsers({ userName: gone.email }, t)), []);
    });

    it('expires a grant from the worker loop on the injected clock, and stops cleanly', async () => {
      const grant = await approveGrant(w.deps, w.adminB, (await request(15, w.b, w.operator2)).id, {});
      const rounds: BreakGlassRound[] = [];
      let woke: () => void = () => undefined;
      const worker = new BreakGlassWorker(w.deps, { intervalMs: 1_000, onRound: (r) => (rounds.push(r), woke()), onError: (e) => assert.fail(e instanceof Error ? e : String(e)) });
      const roundDone = () => new Promise<void>((resolve) => (woke = resolve));
      const first = roundDone();
      worker.start();
      await first;
      // Let the loop reach its pause on the clock (after the round's last microtasks) before time moves.
      await new Promise((resolve) => setImmediate(resolve));
      const expiry = roundDone();
      w.clock.advance(16 * MINUTE);
      await expiry;
      await worker.stop();
      assert.equal(rounds.at(-1)?.expired, 1);
      assert.equal((await getGrant(w.deps, w.adminB, grant.id)).status, 'expired');
    });
  });
}

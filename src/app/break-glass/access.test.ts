import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountAssignment, AssignmentStatus, IdentityUser, PermissionSet } from '../ports/cloud.js';
import type { CloudUserRecord } from '../ports/person-access.js';
import type { BreakGlassCloud } from './deps.js';
import type { Grant } from './model.js';
import type { BreakGlassStore } from './store.js';
import { convergeAccess } from './access.js';

const NOW = new Date('2030-04-01T00:10:00.000Z');

const grant = (over: Omit<Partial<Grant>, 'access'> & { access?: Partial<Grant['access']> } = {}): Grant => {
  const { access, ...rest } = over;
  return {
    id: 'grt_1',
    accountId: 'acc_1',
    provider: 'simulated',
    providerAccountId: '222233334444',
    tenantId: 'org_1',
    requestedBy: { personId: 'per_1', email: 'ope@hatoba.example', name: 'Ope' },
    reason: 'incident',
    durationMinutes: 60,
    status: 'approved',
    requestedAt: new Date('2030-04-01T00:00:00.000Z'),
    decidedBy: 'per_admin',
    decidedAt: new Date('2030-04-01T00:00:00.000Z'),
    decisionNote: null,
    startsAt: new Date('2030-04-01T00:00:00.000Z'),
    expiresAt: new Date('2030-04-01T01:00:00.000Z'),
    endedAt: null,
    endedBy: null,
    endNote: null,
    ...rest,
    access: { state: 'assigning', userId: null, userName: null, permissionSetArn: null, assignmentRequestId: null, assignedAt: null, removalRequestId: null, removedAt: null, error: null, ...access },
  };
};

/** A provider that records assignment calls and answers IN_PROGRESS. */
function fakeCloud(
  users: IdentityUser[] = [{ userId: 'u-1', userName: 'ope@hatoba.example', displayName: 'Ope', email: 'ope@hatoba.example' }],
  sets: PermissionSet[] = [{ arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-admin', name: 'Admin', sessionDuration: 'PT1H' }],
) {
  const created: AccountAssignment[] = [];
  const deleted: AccountAssignment[] = [];
  const inProgress = (id: string): AssignmentStatus => ({ requestId: id, status: 'IN_PROGRESS' });
  const cloud = {
    provider: 'simulated',
    // Identity Center compares user names without regard to case.
    listUsers: async (filter: { userName?: string }) => ({ items: users.filter((u) => filter.userName === undefined || u.userName.toLowerCase() === filter.userName.toLowerCase()) }),
    createUser: async () => assert.fail('the user exists'),
    listPermissionSets: async () => ({ items: sets }),
    createPermissionSet: async (_input: { name: string; description?: string; sessionDuration?: string }): Promise<PermissionSet> => assert.fail('the permission set exists'),
    createAccountAssignment: async (a: AccountAssignment) => (created.push(a), inProgress(`c-${created.length}`)),
    describeAccountAssignmentCreationStatus: async (id: string) => inProgress(id),
    deleteAccountAssignment: async (a: AccountAssignment) => (deleted.push(a), inProgress(`d-${deleted.length}`)),
    describeAccountAssignmentDeletionStatus: async (id: string) => inProgress(id),
    lookupEvents: async () => ({ items: [] }),
  } satisfies BreakGlassCloud;
  return { cloud, created, deleted };
}

/** A store holding one grant (and optionally others of the same person and account), with the transitions access.ts uses. */
function fakeStore(initial: Grant, others: Grant[] = []) {
  let current = initial;
  const store: Partial<BreakGlassStore> = {
    getGrant: async () => current,
    recordAssignment: async () => current.access.state === 'assigning',
    markAssigned: async () => true,
    assignmentFailed: async () => undefined,
    removeAgain: async () => {
      current = { ...current, access: { ...current.access, state: 'removing', removalRequestId: null } };
    },
    accessOf: async () => [current, ...others],
    recordRemoval: async (_id, requestId) => {
      current = { ...current, access: { ...current.access, state: requestId === null ? 'removed' : 'removing', removalRequestId: requestId } };
      return true;
    },
    markRemoved: async () => true,
    noteAccessError: async () => undefined,
  };
  return { store: store as BreakGlassStore, end: (g: Grant) => (current = g), now: () => current };
}

const clock = (at: Date) => ({ now: () => at, sleep: async () => undefined });

/** person_cloud_users as break-glass uses it: what was recorded, per person. */
function fakeAccess(initial: CloudUserRecord[] = []) {
  const recorded = [...initial];
  return {
    recorded,
    cloudUsers: async (personId: string) => recorded.filter((r) => r.personId === personId),
    recordCloudUser: async (r: Omit<CloudUserRecord, 'deletedAt'>) => (recorded.push({ ...r, deletedAt: null }), true),
  };
}

describe('bringing a grant’s cloud access to its state', () => {
  it('deletes again an assignment it made after the grant ended meanwhile', async () => {
    const { cloud, created, deleted } = fakeCloud();
    const ended = grant({ status: 'expired', endedAt: new Date('2030-04-01T01:00:00.000Z'), access: { state: 'removed' } });
    const s = fakeStore(grant());
    // The grant ends between the assignment call and its record (an expiry in another process).
    const create = cloud.createAccountAssignment;
    cloud.createAccountAssignment = async (a) => {
      s.end(ended);
      return create(a);
    };
    await convergeAccess({ store: s.store, cloud, clock: clock(NOW), adminPermissionSet: 'Admin', access: fakeAccess() }, grant());
    assert.equal(created.length, 1);
    assert.deepEqual(deleted, created, 'the assignment just made is deleted');
    assert.equal(s.now().access.state, 'removing');
  });

  it('assigns nothing once the grant is past its expiry, even before the worker marks it expired', async () => {
    const { cloud, created } = fakeCloud();
    const s = fakeStore(grant());
    await convergeAccess({ store: s.store, cloud, clock: clock(new Date('2030-04-01T01:00:00.000Z')), adminPermissionSet: 'Admin', access: fakeAccess() }, grant());
    assert.deepEqual(created, []);
  });

  it('leaves the assignment to a later grant of the same person on the same account that owns it now', async () => {
    const { cloud, deleted } = fakeCloud();
    const old = grant({ status: 'expired', endedAt: new Date('2030-04-01T01:00:00.000Z'), access: { state: 'removing', userId: 'u-1', permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-admin' } });
    const later = grant({ id: 'grt_2', access: { state: 'assigned' } });
    const s = fakeStore(old, [later]);
    await convergeAccess({ store: s.store, cloud, clock: clock(NOW), adminPermissionSet: 'Admin', access: fakeAccess() }, old);
    assert.deepEqual(deleted, []);
    assert.equal(s.now().access.state, 'removed');
  });

  it('deletes an ended grant’s assignment, finding its user by name when the grant never recorded it', async () => {
    const { cloud, deleted } = fakeCloud();
    const old = grant({ status: 'revoked', endedAt: NOW, access: { state: 'removing' } });
    const s = fakeStore(old);
    await convergeAccess({ store: s.store, cloud, clock: clock(NOW), adminPermissionSet: 'Admin', access: fakeAccess() }, old);
    assert.deepEqual(deleted, [{ accountId: '222233334444', permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-admin', principalType: 'USER', principalId: 'u-1' }]);
    assert.deepEqual([s.now().access.state, s.now().access.removalRequestId], ['removing', 'd-1']);
  });

  it('creates the Admin set as people provisioning does, with its one description and the provider’s default session, when break-glass comes first', async () => {
    const made: { name: string; description?: string; sessionDuration?: string }[] = [];
    const { cloud, created } = fakeCloud(undefined, []);
    cloud.createPermissionSet = async (input) => (made.push(input), { arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-new', name: input.name, sessionDuration: 'PT1H' });
    const s = fakeStore(grant());
    await convergeAccess({ store: s.store, cloud, clock: clock(NOW), adminPermissionSet: 'Admin', access: fakeAccess() }, grant());
    assert.deepEqual(made, [{ name: 'Admin', description: 'Tenant administrator: creates the tenant’s own roles' }]);
    assert.equal(created[0]?.permissionSetArn, 'arn:aws:sso:::permissionSet/ssoins-1/ps-new');
  });

  it('finds the requester’s user whatever the case of its name, and records it so the person’s deprovisioning deletes it', async () => {
    const { cloud, created } = fakeCloud([{ userId: 'u-9', userName: 'Ope@Hatoba.example', displayName: 'Ope', email: 'Ope@Hatoba.example' }]);
    const access = fakeAccess();
    const s = fakeStore(grant());
    await convergeAccess({ store: s.store, cloud, clock: clock(NOW), adminPermissionSet: 'Admin', access }, grant());
    assert.deepEqual(created.map((a) => a.principalId), ['u-9'], 'the existing user, not a second one');
    assert.deepEqual(access.recorded, [{ personId: 'per_1', provider: 'simulated', userId: 'u-9', userName: 'Ope@Hatoba.example', createdAt: NOW, deletedAt: null }]);
  });

  it('assigns the user already recorded for the person', async () => {
    const { cloud, created } = fakeCloud([]);
    const access = fakeAccess([{ personId: 'per_1', provider: 'simulated', userId: 'u-rec', userName: 'ope@hatoba.example', createdAt: NOW, deletedAt: null }]);
    const s = fakeStore(grant());
    await convergeAccess({ store: s.store, cloud, clock: clock(NOW), adminPermissionSet: 'Admin', access }, grant());
    assert.deepEqual(created.map((a) => a.principalId), ['u-rec']);
  });
});

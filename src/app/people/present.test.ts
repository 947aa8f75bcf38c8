import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Person } from '../ports/people-store.js';
import type { PersonAccessView } from '../ports/person-access.js';
import { presentPerson } from './present.js';

const at = (minute: number): Date => new Date(Date.UTC(2031, 0, 1, 9, minute));
const person: Person = {
  id: 'per_1', email: 'a@example.jp', name: 'A', kind: 'tenant', centralRoles: [], tenant: { id: 'org_1', code: '131016' }, tenantRole: 'tenant_member',
  issuer: null, subject: null, status: 'active', createdAt: at(0), createdBy: 'admin@example.jp', removedAt: null, removedBy: null,
};
const row = (accountId: string, patch: Partial<PersonAccessView>): PersonAccessView => ({
  personId: 'per_1', accountId, permissionSet: 'non_admin', replacing: null, status: 'pending', requestedAt: at(0), readyAt: null, removedAt: null, requestId: null, failure: null, updatedAt: at(0),
  account: { name: accountId, environment: 'dev', provider: 'simulated', providerAccountId: '111122223333' }, ...patch,
});

describe('presenting a person with their access', () => {
  it('measures each account from when its access was due and the person from being added to their first usable account', () => {
    const detail = presentPerson(person, [row('a', { status: 'ready', readyAt: at(3) }), row('b', { status: 'ready', requestedAt: at(10), readyAt: at(11) }), row('c', {})]);
    assert.deepEqual(detail.access.map((r) => r.timeToAccessMs), [3 * 60_000, 60_000, null]);
    assert.deepEqual(detail.summary, { status: 'pending', accounts: 3, ready: 2, firstReadyAt: at(3), timeToAccessMs: 3 * 60_000 });
  });

  it('says a person without accounts has none, a failed assignment fails them, and a removed person is removing until every row is removed', () => {
    assert.equal(presentPerson(person, []).summary.status, 'no_accounts');
    assert.equal(presentPerson(person, []).summary.timeToAccessMs, null);
    assert.equal(presentPerson(person, [row('a', { status: 'ready', readyAt: at(1) }), row('b', { status: 'failed' })]).summary.status, 'failed');
    const gone = { ...person, status: 'removed' as const, removedAt: at(20), removedBy: 'admin@example.jp' };
    assert.equal(presentPerson(gone, [row('a', { status: 'removing' })]).summary.status, 'removing');
    assert.equal(presentPerson(gone, [row('a', { status: 'removed', removedAt: at(21) })]).summary.status, 'removed');
  });
});

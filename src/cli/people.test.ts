import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, peopleVerbs } from './people.js';
import { notCalled, verbHarness, type Handler } from './testing.js';
import type { PersonDetailView } from '../contracts/people.js';

const hatoba = (handle: Handler) => verbHarness(peopleVerbs, handle);

const detail = (over: Partial<PersonDetailView['person']> = {}): PersonDetailView => ({
  person: {
    id: 'per_01', email: 'hanako@chiyoda.example.jp', name: '山田 花子', kind: 'tenant', centralRoles: [], tenant: { id: 'org_01', code: '131016' }, tenantRole: 'tenant_member',
    roleLabels: [{ ja: 'テナント利用者', en: 'Tenant member' }], status: 'active', signedIn: false, createdAt: '2031-01-01T09:00:00.000Z', createdBy: 'admin@chiyoda.example.jp', removedAt: null, removedBy: null, ...over,
  },
  access: [{
    accountId: 'acc_01', accountName: 'chiyoda-juki-prod', environment: 'prod', provider: 'simulated', providerAccountId: '111122223333', permissionSet: 'non_admin',
    permissionSetLabel: { ja: '利用者', en: 'Non-admin (switch-role only)' }, replacing: null, status: 'ready', statusLabel: { ja: 'サインイン可能', en: 'Can sign in' },
    requestedAt: '2031-01-01T09:00:00.000Z', readyAt: '2031-01-01T09:00:03.000Z', removedAt: null, timeToAccessMs: 3_000, failure: null,
  }],
  summary: { status: 'ready', accounts: 1, ready: 1, firstReadyAt: '2031-01-01T09:00:03.000Z', timeToAccessMs: 3_000 },
});

describe('hatoba people', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('says durations the way people read them', () => {
    assert.deepEqual([null, 850, 12_400, 185_000, 7_800_000].map(formatDuration), ['-', '850 ms', '12 s', '3 min 5 s', '2 h 10 min']);
  });

  it('lists a tenant’s people with their access and the time from added to can sign in', async () => {
    const cli = hatoba(() => Response.json({ items: [detail()] }));
    await cli.run('people', 'list', '--tenant', '131016', '--lang', 'en');
    assert.deepEqual(cli.calls, [{ method: 'GET', path: '/api/tenants/131016/people', body: undefined }]);
    assert.match(cli.out[0] ?? '', /^ID\s+E-MAIL\s+NAME\s+ROLE\s+ACCESS\s+READY\s+TIME TO ACCESS/);
    assert.match(cli.out[1] ?? '', /per_01\s+hanako@chiyoda\.example\.jp\s+山田 花子\s+Tenant member\s+Can sign in\s+1\/1\s+3 s/);
  });

  it('adds a tenant admin with the role spelled shortly, and a dry run says nothing changed', async () => {
    const cli = hatoba(() => Response.json({ dryRun: true, person: detail({ tenantRole: 'tenant_admin' }) }));
    await cli.run('people', 'add', '--tenant', '131016', '--email', 'hanako@chiyoda.example.jp', '--name', '山田 花子', '--role', 'admin', '--dry-run', '--lang', 'en');
    assert.deepEqual(cli.calls, [{ method: 'POST', path: '/api/tenants/131016/people', body: { email: 'hanako@chiyoda.example.jp', name: '山田 花子', role: 'tenant_admin' } }]);
    assert.equal(new URL(cli.sent[0]?.url ?? '').search, '?dryRun=true');
    assert.equal(cli.out[0], 'dry run: would add (nothing changed)');
  });

  it('adds a central person with comma-separated roles', async () => {
    const cli = hatoba(() => Response.json({ dryRun: false, person: detail({ kind: 'central', tenant: null, tenantRole: null, centralRoles: ['operator', 'auditor'] }) }, { status: 201 }));
    await cli.run('people', 'add', '--central', '--email', 'ops@hatoba.example', '--name', 'Ops', '--roles', 'operator, auditor');
    assert.deepEqual(cli.calls, [{ method: 'POST', path: '/api/central/people', body: { email: 'ops@hatoba.example', name: 'Ops', roles: ['operator', 'auditor'] } }]);
  });

  it('refuses a list or an add naming neither a tenant nor --central, before sending anything, with exit code 2', async () => {
    const cli = hatoba(notCalled);
    await cli.run('people', 'list');
    assert.equal(process.exitCode, 2);
    process.exitCode = undefined;
    await cli.run('people', 'add', '--tenant', '131016', '--central', '--email', 'a@b.jp', '--name', 'A');
    assert.equal(process.exitCode, 2);
    assert.equal(cli.calls.length, 0);
  });

  it('shows a person’s access per account, and reports another tenant’s person as not found with exit code 3', async () => {
    const shown = hatoba(() => Response.json(detail()));
    await shown.run('people', 'show', 'per_01');
    assert.equal(shown.out[1], 'アクセス: サインイン可能, 1/1, 追加からサインイン可能まで 3 s');
    assert.match(shown.out[3] ?? '', /chiyoda-juki-prod\s+prod\s+111122223333\s+利用者\s+サインイン可能\s+3 s/);
    const hidden = hatoba(() => Response.json({ code: 'not_found', message: 'person per_x was not found', issues: [] }, { status: 404 }));
    await hidden.run('people', 'show', 'per_x');
    assert.equal(process.exitCode, 3);
    assert.match(hidden.err.join('\n'), /not found/);
  });

  it('removes a person and says their sessions ended', async () => {
    const cli = hatoba(() => Response.json({ dryRun: false, person: detail({ status: 'removed', removedAt: '2031-01-02T00:00:00.000Z', removedBy: 'admin@chiyoda.example.jp' }) }));
    await cli.run('people', 'remove', 'per_01', '--lang', 'en');
    assert.deepEqual(cli.calls, [{ method: 'DELETE', path: '/api/people/per_01', body: undefined }]);
    assert.equal(cli.out[0], 'removed hanako@chiyoda.example.jp (sessions ended, 1 account access(es) being removed)');
  });
});

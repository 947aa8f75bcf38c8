import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decide, ROUTE_POLICY, type Access } from './policy.js';
import type { Principal } from './principal.js';

const operator: Principal = { kind: 'central', personId: 'per_1', email: 'op@central.test', name: 'Op', roles: ['operator'], via: 'session' };
const auditor: Principal = { kind: 'central', personId: 'per_2', email: 'au@central.test', name: 'Au', roles: ['auditor'], via: 'session' };
const admin: Principal = { kind: 'tenant', personId: 'per_3', email: 'ad@city.test', name: 'Ad', tenantId: 'org_a', tenantCode: '131016', role: 'tenant_admin', via: 'session' };
const member: Principal = { ...admin, personId: 'per_4', role: 'tenant_member' };
const rule = (key: string): Access => ROUTE_POLICY[key] ?? assert.fail(`no rule for ${key}`);

describe('the access policy', () => {
  it('refuses a route that has no line in the table, whoever asks', () => {
    assert.deepEqual(decide(operator, undefined, {}), { allowed: false, reason: 'undeclared' });
  });

  it('lets anyone reach a public route and only signed-in people the rest', () => {
    assert.deepEqual(decide(undefined, rule('GET /api/health'), {}), { allowed: true });
    assert.deepEqual(decide(undefined, rule('GET /api/controls'), {}), { allowed: false, reason: 'unauthenticated' });
    assert.deepEqual(decide(member, rule('GET /api/controls'), {}), { allowed: true });
  });

  it('lets a tenant person name only their own tenant in the path, by code or id, and answers not found for another', () => {
    const r = rule('GET /api/tenants/{tenant}');
    assert.deepEqual(decide(member, r, { tenant: '131016' }), { allowed: true });
    assert.deepEqual(decide(member, r, { tenant: 'org_a' }), { allowed: true });
    assert.deepEqual(decide(member, r, { tenant: '131121' }), { allowed: false, reason: 'not_found' });
  });

  it('keeps writes to the roles that hold them: members read, admins change their tenant, central roles by role', () => {
    assert.deepEqual(decide(member, rule('POST /api/tenants/{tenant}/systems'), { tenant: '131016' }), { allowed: false, reason: 'forbidden' });
    assert.deepEqual(decide(admin, rule('POST /api/tenants/{tenant}/systems'), { tenant: '131016' }), { allowed: true });
    assert.deepEqual(decide(auditor, rule('PUT /api/placement-rules'), {}), { allowed: false, reason: 'forbidden' });
    assert.deepEqual(decide(operator, rule('PUT /api/placement-rules'), {}), { allowed: true });
  });

  it('gives no central role a tenant decision on findings, and no tenant role the audit trail', () => {
    assert.deepEqual(decide(operator, rule('POST /api/findings/{id}/suppress'), {}), { allowed: false, reason: 'forbidden' });
    assert.deepEqual(decide(admin, rule('GET /api/audit/export'), {}), { allowed: false, reason: 'forbidden' });
    assert.deepEqual(decide(auditor, rule('GET /api/audit/export'), {}), { allowed: true });
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { homeFor, mayOpen, navFor } from './nav-items';

describe('the menu by role', () => {
  it('offers a tenant admin their organisation, systems, requests, people and break-glass, and no central page', () => {
    assert.deepEqual(navFor(['tenant_admin']).map((i) => i.path), ['/organisation', '/systems', '/requests', '/people', '/break-glass']);
    assert.equal(mayOpen('/overview', ['tenant_admin']), false);
    assert.equal(mayOpen('/audit', ['tenant_admin']), false);
  });

  it('offers a tenant member the same pages to read', () => {
    assert.deepEqual(navFor(['tenant_member']).map((i) => i.path), ['/organisation', '/systems', '/requests', '/people', '/break-glass']);
  });

  it('offers central roles the overview, and the audit log only to auditors and the security officer', () => {
    assert.deepEqual(navFor(['auditor']).map((i) => i.path), ['/overview', '/audit']);
    assert.deepEqual(navFor(['operator']).map((i) => i.path), ['/people', '/break-glass', '/overview']);
    assert.equal(mayOpen('/audit', ['operator']), false);
    assert.equal(mayOpen('/organisation', ['operator', 'auditor']), false);
  });

  it('starts each person on the first page of their menu, and opens detail pages to anyone signed in', () => {
    assert.equal(homeFor(['tenant_member']), '/organisation');
    assert.equal(homeFor(['security_officer']), '/overview');
    assert.equal(homeFor([]), undefined);
    assert.equal(mayOpen('/accounts/:id', ['auditor']), true);
  });
});

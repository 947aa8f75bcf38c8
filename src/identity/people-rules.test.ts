import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPeopleRules, PeopleRules } from './people-rules.js';

const rules = PeopleRules.parse([
  { when: { claim: 'hatoba_roles', equals: 'operator' }, central: ['operator'] },
  { when: { claim: 'hatoba_roles', equals: 'auditor' }, central: ['auditor'] },
  { when: { claim: 'hatoba_roles', equals: 'tenant_admin' }, tenantRole: 'tenant_admin', tenantCodeClaim: 'tenant_code' },
  { when: { claim: 'hatoba_roles', equals: 'tenant_member' }, tenantRole: 'tenant_member', tenantCodeClaim: 'tenant_code' },
  { when: { claim: 'org.department', equals: 'chiyoda-it' }, tenantRole: 'tenant_member', tenantCode: '131016' },
]);

describe('people rules', () => {
  it('gives the union of the matching central roles', () => {
    assert.deepEqual(applyPeopleRules(rules, { hatoba_roles: ['operator', 'auditor'] }), { kind: 'grant', grant: { kind: 'central', roles: ['auditor', 'operator'] } });
  });

  it('reads the tenant from a claim and lets tenant admin win over member', () => {
    assert.deepEqual(applyPeopleRules(rules, { hatoba_roles: ['tenant_member', 'tenant_admin'], tenant_code: '131016' }), {
      kind: 'grant',
      grant: { kind: 'tenant', tenantCode: '131016', role: 'tenant_admin' },
    });
  });

  it('matches a nested claim by its dotted path and a string claim by equality', () => {
    assert.deepEqual(applyPeopleRules(rules, { org: { department: 'chiyoda-it' } }), { kind: 'grant', grant: { kind: 'tenant', tenantCode: '131016', role: 'tenant_member' } });
  });

  it('refuses a person the rules would make both central and a tenant’s', () => {
    assert.equal(applyPeopleRules(rules, { hatoba_roles: ['operator', 'tenant_member'], tenant_code: '131016' }).kind, 'conflict');
  });

  it('refuses a person the rules would put in two tenants', () => {
    const outcome = applyPeopleRules(rules, { hatoba_roles: 'tenant_member', tenant_code: '131121', org: { department: 'chiyoda-it' } });
    assert.deepEqual(outcome, { kind: 'conflict', reason: { ja: '規則が複数のテナントを指しています: 131016, 131121', en: 'the rules name several tenants: 131016, 131121' } });
  });

  it('refuses a tenant rule whose claim names no tenant', () => {
    assert.equal(applyPeopleRules(rules, { hatoba_roles: 'tenant_admin' }).kind, 'conflict');
  });

  it('gives nothing when no rule matches', () => {
    assert.deepEqual(applyPeopleRules(rules, { hatoba_roles: ['visitor'], email: 'x@example.jp' }), { kind: 'none' });
  });

  it('reports every problem of a rules file at its path', () => {
    const result = PeopleRules.safeParse([
      { when: { claim: 'r', equals: 'x' }, central: ['operator'], tenantRole: 'tenant_admin', tenantCode: '1' },
      { when: { claim: '', equals: 'x' }, tenantRole: 'tenant_admin' },
      { when: { claim: 'r', equals: 'x' }, central: ['king'], extra: 1 },
    ]);
    assert.equal(result.success, false);
    const paths = (result.error?.issues ?? []).map((i) => i.path.join('.')).sort();
    assert.deepEqual(paths, ['0', '0.tenantCode', '1.tenantCode', '1.when.claim', '2', '2.central.0']);
  });
});

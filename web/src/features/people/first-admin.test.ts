import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiFailure } from '../../api/problem';
import { firstAdminBody, firstAdminPath, firstAdminProblems } from './first-admin';

const problem = (status: number, message: string, issues: { path: (string | number)[]; message: string }[] = []): ApiFailure => ({ kind: 'problem', status, code: 'x', message, issues });

describe("an operator's first-admin form", () => {
  it('puts body problems at e-mail and name, a path problem at the tenant, and keeps the rest for the summary', () => {
    const { byField, other } = firstAdminProblems(
      problem(422, 'invalid', [
        { path: ['body', 'email'], message: 'not an address' },
        { path: ['body', 'name'], message: 'required' },
        { path: ['path', 'tenant'], message: 'too long' },
        { path: ['body', 'role'], message: 'unknown role' },
      ]),
    );
    assert.deepEqual(byField, { email: ['not an address'], name: ['required'], tenant: ['too long'] });
    assert.deepEqual(other.map((i) => i.path), [['body', 'role']]);
  });

  it("shows a refusal without a location (a tenant that already has an admin, or none at all) at the tenant, in the API's words", () => {
    const refused = 'a central operator adds only a tenant’s first admin';
    assert.deepEqual(firstAdminProblems(problem(403, refused)).byField, { tenant: [refused] });
    assert.deepEqual(firstAdminProblems(problem(404, 'tenant 999999 was not found')).byField, { tenant: ['tenant 999999 was not found'] });
    assert.deepEqual(firstAdminProblems(problem(409, 'taken', [{ path: ['body', 'email'], message: 'already used' }])).byField, { email: ['already used'] });
    assert.deepEqual(firstAdminProblems({ kind: 'network' }), { byField: {}, other: [] });
  });

  it('always asks for a tenant admin, trimmed, at the tenant the code names', () => {
    assert.deepEqual(firstAdminBody({ tenant: ' 130001 ', email: ' a@b.example ', name: ' 試験 ' }), { email: 'a@b.example', name: '試験', role: 'tenant_admin' });
    assert.equal(firstAdminPath(' 130001 '), '/api/tenants/130001/people');
    assert.equal(firstAdminPath('a/b'), '/api/tenants/a%2Fb/people');
  });
});

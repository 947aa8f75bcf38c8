import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicyJson, type CompiledPolicy, type PolicyKind } from './compile.js';
import { evaluate } from './evaluate.js';
import type { AuthorizationRequest, RequestPrincipal } from './request.js';

const A = '444455556666';
const ROLE = `arn:aws:iam::${A}:role/cross-account-read-only-role`;
const SESSION = `arn:aws:sts::${A}:assumed-role/cross-account-read-only-role/cross-account-audit-app`;

const policy = (kind: PolicyKind, name: string, statements: unknown[]): CompiledPolicy => {
  const compiled = compilePolicyJson({ Version: '2012-10-17', Statement: statements }, { kind, name });
  if ('issues' in compiled) throw new Error(JSON.stringify(compiled.issues));
  return compiled.policy;
};

const allowAll = policy('identity', 'AllowS3', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
const allowAccount = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 's3:*', Resource: '*' };
const bucketPolicy = (exempt: string[]) =>
  policy('resource', 'AuditOnly', [allowAccount, { Sid: 'OnlyTheAuditApp', Effect: 'Deny', NotPrincipal: { AWS: exempt }, Action: 's3:*', Resource: '*' }]);

const request = (principal: RequestPrincipal): AuthorizationRequest => ({
  principal,
  action: 's3:GetObject',
  resources: ['arn:aws:s3:::Bucket_AccountAudit/report.csv'],
  resourceAccount: '111122223333',
  region: 'ap-northeast-1',
});
const session = (name: string): RequestPrincipal => ({ arn: `arn:aws:sts::${A}:assumed-role/cross-account-read-only-role/${name}`, accountId: A, type: 'assumed-role' });
const decide = (principal: RequestPrincipal, exempt: string[]) => evaluate(request(principal), { identity: [allowAll], resource: [bucketPolicy(exempt)] }).decision;

describe('NotPrincipal in a Deny statement', () => {
  it("does not leave out a role's sessions when it lists only the role (and its account)", () => {
    assert.equal(decide(session('cross-account-audit-app'), [ROLE, `arn:aws:iam::${A}:root`]), 'explicit-deny');
  });

  it('leaves out the session it lists by its assumed-role ARN, and no other session of the role', () => {
    const exempt = [SESSION, ROLE, `arn:aws:iam::${A}:root`];
    assert.equal(decide(session('cross-account-audit-app'), exempt), 'allow');
    assert.equal(decide(session('someone-else'), exempt), 'explicit-deny');
  });

  it('leaves out a user or a role it names exactly', () => {
    assert.equal(decide({ arn: `arn:aws:iam::${A}:user/Bob`, accountId: A, type: 'user' }, [`arn:aws:iam::${A}:user/Bob`, `arn:aws:iam::${A}:root`]), 'allow');
    assert.equal(decide({ arn: ROLE, accountId: A, type: 'role' }, [ROLE]), 'allow');
  });
});

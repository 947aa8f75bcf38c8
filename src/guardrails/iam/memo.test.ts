import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicyJson, fullAwsAccess, type CompiledPolicy, type PolicyKind } from './compile.js';
import { evaluate, type EvaluationPolicies } from './evaluate.js';
import { memoisedEvaluator } from './memo.js';
import type { AuthorizationRequest, RequestPrincipal } from './request.js';

const policy = (kind: PolicyKind, name: string, statements: unknown[]): CompiledPolicy => {
  const compiled = compilePolicyJson({ Version: '2012-10-17', Statement: statements }, { kind, name });
  if ('issues' in compiled) throw new Error(JSON.stringify(compiled.issues));
  return compiled.policy;
};

// 444455556666 is, to these policies, the same as 222233334444: neither in the perimeter nor the management account.
const accounts = ['111122223333', '222233334444', '999988887777', '444455556666'];
const names = ['Developer', 'HatobaAdmin', 'ReadOnly'];
const principals: RequestPrincipal[] = accounts.flatMap((account) => [
  ...names.map((name) => ({ arn: `arn:aws:sts::${account}:assumed-role/${name}/s`, accountId: account, type: 'assumed-role' as const, tags: { team: name === 'ReadOnly' ? 'red' : 'blue' } })),
  { arn: `arn:aws:iam::${account}:user/bob`, accountId: account, type: 'user' as const },
  { arn: `arn:aws:iam::${account}:root`, accountId: account, type: 'root' as const },
  { arn: `arn:aws:sts::${account}:assumed-role/AWSServiceRoleForConfig/config`, accountId: account, type: 'assumed-role' as const },
]);
const actions = ['ec2:RunInstances', 'iam:CreateUser', 's3:GetObject', 's3:PutBucketPolicy', 'organizations:LeaveOrganization', 'kms:Decrypt'];
const regions = ['ap-northeast-1', 'us-east-1'];
const resources = [undefined, ['arn:aws:s3:::logs-org/a'], ['arn:aws:s3:::home/bob/x'], ['arn:aws:s3:::data/x'], ['arn:aws:kms:ap-northeast-1:111122223333:key/k']];

// Policies that read the caller (ARN, account, tags, Principal elements), the region, the resource,
// policy variables and explicit context keys: everything the memo key must account for.
const policies: EvaluationPolicies = {
  scps: [
    [fullAwsAccess('SCP'), policy('SCP', 'Root', [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }])],
    [
      fullAwsAccess('SCP'),
      policy('SCP', 'Guard', [
        { Sid: 'Regions', Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'ap-northeast-1' }, ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/HatobaAdmin' } } },
        { Sid: 'Users', Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'red' } } },
        { Sid: 'Logs', Effect: 'Deny', Action: 's3:PutBucketPolicy', Resource: 'arn:aws:s3:::logs-*' },
        { Sid: 'Mfa', Effect: 'Deny', Action: 'kms:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
      ]),
    ],
  ],
  rcps: [[fullAwsAccess('RCP'), policy('RCP', 'Perimeter', [{ Sid: 'Org', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalAccount': ['111122223333', '999988887777'] } } }])]],
  identity: [policy('identity', 'Home', [{ Effect: 'Allow', Action: ['s3:*', 'ec2:*', 'iam:*', 'kms:*', 'organizations:*'], Resource: ['arn:aws:s3:::home/${aws:username}/*', 'arn:aws:kms:*:*:key/*', '*'] }])],
  resource: [policy('resource', 'Bucket', [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222233334444:role/ReadOnly' }, Action: 's3:GetObject', Resource: '*' }])],
};

describe('memoised decisions', () => {
  it('equal the evaluator’s own for every request, with and without repeated callers and context keys', () => {
    const memo = memoisedEvaluator(policies);
    const anyIdentity = { ...policies, identity: [policy('identity', 'All', [{ Effect: 'Allow', Action: '*', Resource: '*' }])] };
    const byCaller = memoisedEvaluator(anyIdentity);
    let checked = 0;
    for (let round = 0; round < 2; round++) {
      for (const principal of principals) {
        for (const action of actions) {
          for (const region of regions) {
            for (const resource of resources) {
              for (const mfa of [undefined, true, false]) {
                const request: AuthorizationRequest = {
                  principal: round === 0 ? principal : { ...principal },
                  action,
                  region,
                  ...(resource === undefined ? {} : { resources: resource }),
                  ...(mfa === undefined ? {} : { context: { 'aws:MultiFactorAuthPresent': mfa } }),
                  managementAccountId: '999988887777',
                };
                assert.deepEqual(memo.evaluate(request), evaluate(request, policies), JSON.stringify(request));
                assert.deepEqual(byCaller.evaluate(request), evaluate(request, anyIdentity), JSON.stringify(request));
                checked++;
              }
            }
          }
        }
      }
    }
    assert.equal(checked, 2 * principals.length * actions.length * regions.length * resources.length * 3);
    // The second round repeats the first with fresh but equal callers: all hits. (${aws:username} in a
    // Resource puts the caller's own fields in the key, so the first round shares nothing between callers.)
    assert.ok(memo.stats.hits >= checked / 2, JSON.stringify(memo.stats));
    // Without it, callers the policies see alike (the same role in the two outside accounts) share decisions from the first round on.
    assert.ok(byCaller.stats.hits > memo.stats.hits, JSON.stringify(byCaller.stats));
  });

  it('tells callers apart by what the policies read about them, not by their names', () => {
    const regionsOnly: EvaluationPolicies = { scps: policies.scps?.slice(0, 2) ?? [] };
    const memo = memoisedEvaluator(regionsOnly);
    const call = (principal: RequestPrincipal): AuthorizationRequest => ({ principal, action: 'ec2:RunInstances', region: 'us-east-1' });
    const developers = accounts.map((a) => call({ arn: `arn:aws:sts::${a}:assumed-role/Developer/s`, accountId: a, type: 'assumed-role' }));
    const admins = accounts.map((a) => call({ arn: `arn:aws:sts::${a}:assumed-role/HatobaAdmin/s`, accountId: a, type: 'assumed-role' }));
    for (const request of [...developers, ...admins]) memo.evaluate(request);
    assert.deepEqual(memo.stats, { hits: 2 * accounts.length - 2, misses: 2 });
    assert.equal(memo.evaluate(developers[0] ?? call(principals[0] ?? { arn: '', accountId: '', type: 'user' })).decision, 'explicit-deny');
    assert.equal(memo.evaluate(admins[0] ?? call(principals[0] ?? { arn: '', accountId: '', type: 'user' })).decision, 'allow');
  });
});

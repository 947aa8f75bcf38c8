import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicyJson, fullAwsAccess, type CompiledPolicy, type PolicyKind } from './compile.js';
import { evaluate, type EvaluationPolicies } from './evaluate.js';
import type { AuthorizationRequest, RequestPrincipal } from './request.js';

const A = '111122223333';
const B = '444455556666';

const policy = (kind: PolicyKind, name: string, statements: unknown[]): CompiledPolicy => {
  const compiled = compilePolicyJson({ Version: '2012-10-17', Statement: statements }, { kind, name });
  if ('issues' in compiled) throw new Error(JSON.stringify(compiled.issues));
  return compiled.policy;
};
const issuesOf = (kind: PolicyKind, statements: unknown[]) => {
  const compiled = compilePolicyJson({ Version: '2012-10-17', Statement: statements }, { kind, name: 'Broken' }, ['policies', 0]);
  assert.ok('issues' in compiled, 'expected compile issues');
  return compiled.issues;
};

const alice: RequestPrincipal = { arn: `arn:aws:sts::${A}:assumed-role/Developer/alice`, accountId: A, type: 'assumed-role' };
const bob: RequestPrincipal = { arn: `arn:aws:iam::${A}:user/bob`, accountId: A, type: 'user' };
const partner: RequestPrincipal = { arn: `arn:aws:iam::${B}:user/partner`, accountId: B, type: 'user' };
const bucket = 'arn:aws:s3:::reports';
const object = `${bucket}/2026.csv`;
const get = (principal: RequestPrincipal, over: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  principal,
  action: 's3:GetObject',
  resources: [object],
  resourceAccount: A,
  region: 'ap-northeast-1',
  ...over,
});

const allowS3 = policy('identity', 'S3Read', [{ Sid: 'Read', Effect: 'Allow', Action: 's3:Get*', Resource: '*' }]);
const denyS3 = policy('identity', 'NoS3', [{ Sid: 'NoReports', Effect: 'Deny', Action: 's3:*', Resource: `${bucket}/*` }]);
const bucketPolicy = (principal: unknown, effect = 'Allow'): CompiledPolicy =>
  policy('resource', 'BucketPolicy', [{ Sid: 'Share', Effect: effect, Principal: principal, Action: 's3:GetObject', Resource: `${bucket}/*` }]);
const full = { scps: [[fullAwsAccess('SCP')]], rcps: [[fullAwsAccess('RCP')]] };

describe('explicit deny wins over allow at every stage', () => {
  const denyAll = (kind: PolicyKind, name: string): CompiledPolicy =>
    policy(kind, name, [{ Sid: 'Stop', Effect: 'Deny', ...(kind === 'RCP' || kind === 'resource' ? { Principal: '*' } : {}), Action: '*', Resource: '*' }]);
  // Each stage with its Deny policy present or not; without it everything allows.
  const stages: [string, (deny: CompiledPolicy[]) => EvaluationPolicies, PolicyKind][] = [
    ['scp', (deny) => ({ ...full, scps: [[fullAwsAccess('SCP'), ...deny]], identity: [allowS3] }), 'SCP'],
    ['rcp', (deny) => ({ ...full, rcps: [[fullAwsAccess('RCP')], [fullAwsAccess('RCP'), ...deny]], identity: [allowS3] }), 'RCP'],
    ['resource', (deny) => ({ ...full, identity: [allowS3], resource: [bucketPolicy({ AWS: bob.arn }), ...deny] }), 'resource'],
    ['identity', (deny) => ({ ...full, identity: [allowS3, ...deny], resource: [bucketPolicy({ AWS: bob.arn })] }), 'identity'],
    ['permissions-boundary', (deny) => ({ ...full, identity: [allowS3], permissionsBoundary: [allowS3, ...deny] }), 'permissions-boundary'],
    ['session', (deny) => ({ ...full, identity: [allowS3], sessionPolicies: [allowS3, ...deny] }), 'session'],
  ];
  for (const [stage, policies, kind] of stages) {
    it(`denies when the ${stage} stage has a matching Deny, even though everything else allows`, () => {
      assert.equal(evaluate(get(bob), policies([])).decision, 'allow');
      const decision = evaluate(get(bob), policies([denyAll(kind, `Deny-${stage}`)]));
      assert.equal(decision.decision, 'explicit-deny');
      assert.equal(decision.reason.stage, stage);
      assert.equal(decision.reason.sid, 'Stop');
    });
  }

  it('names the level, policy and statement that denied', () => {
    const regions = policy('SCP', 'DenyRegions', [
      { Sid: 'DenyOutsideTokyoOsaka', Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['ap-northeast-1', 'ap-northeast-3'] } } },
    ]);
    const decision = evaluate(get(alice, { region: 'us-west-2' }), { scps: [[fullAwsAccess('SCP')], [fullAwsAccess('SCP')], [fullAwsAccess('SCP'), regions]] });
    assert.deepEqual(decision, {
      decision: 'explicit-deny',
      reason: { stage: 'scp', level: 2, policy: 'DenyRegions', sid: 'DenyOutsideTokyoOsaka', statement: 0, message: 'explicitly denied by DenyRegions' },
    });
  });
});

describe('identity and resource-based policies in one account', () => {
  it('allows when either the identity policy or the resource policy allows', () => {
    assert.equal(evaluate(get(bob), { ...full, identity: [allowS3] }).decision, 'allow');
    assert.equal(evaluate(get(bob), { ...full, identity: [], resource: [bucketPolicy({ AWS: bob.arn })] }).decision, 'allow');
    const none = evaluate(get(bob), { ...full, identity: [] });
    assert.deepEqual([none.decision, none.reason.stage], ['implicit-deny', 'identity']);
  });

  it('lets a resource policy naming the user allow past a permissions boundary that is silent', () => {
    const boundary = policy('permissions-boundary', 'OnlyEc2', [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]);
    assert.equal(evaluate(get(bob), { ...full, identity: [], permissionsBoundary: [boundary], resource: [bucketPolicy({ AWS: bob.arn })] }).decision, 'allow');
    const viaIdentity = evaluate(get(bob), { ...full, identity: [allowS3], permissionsBoundary: [boundary] });
    assert.deepEqual([viaIdentity.decision, viaIdentity.reason.stage], ['implicit-deny', 'permissions-boundary']);
  });

  it('limits a grant to the role (not to the session) by the boundary and the session policy', () => {
    const boundary = policy('permissions-boundary', 'OnlyEc2', [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]);
    const toRole = bucketPolicy({ AWS: `arn:aws:iam::${A}:role/Developer` });
    const toSession = bucketPolicy({ AWS: alice.arn });
    assert.equal(evaluate(get(alice), { ...full, identity: [], resource: [toRole] }).decision, 'allow');
    assert.equal(evaluate(get(alice), { ...full, identity: [], resource: [toRole], permissionsBoundary: [boundary] }).decision, 'implicit-deny');
    assert.equal(evaluate(get(alice), { ...full, identity: [], resource: [toRole], sessionPolicies: [boundary] }).reason.stage, 'session');
    assert.equal(evaluate(get(alice), { ...full, identity: [], resource: [toSession], permissionsBoundary: [boundary], sessionPolicies: [boundary] }).decision, 'allow');
  });

  it('matches a role ARN with a path in a Principal element to the role session', () => {
    const toRole = bucketPolicy({ AWS: `arn:aws:iam::${A}:role/teams/Developer` });
    assert.equal(evaluate(get(alice), { ...full, identity: [], resource: [toRole] }).decision, 'allow');
    assert.equal(evaluate(get({ ...alice, arn: `arn:aws:sts::${A}:assumed-role/Other/alice` }), { ...full, identity: [], resource: [toRole] }).decision, 'implicit-deny');
  });

  it('treats a resource policy naming the account as delegation to the identity policies', () => {
    const toAccount = bucketPolicy({ AWS: A });
    assert.equal(evaluate(get(bob), { ...full, identity: [], resource: [toAccount] }).decision, 'implicit-deny');
    assert.equal(evaluate(get(bob), { ...full, identity: [allowS3], resource: [bucketPolicy({ AWS: `arn:aws:iam::${A}:root` })] }).decision, 'allow');
  });

  it('gives the root user every permission its account allows, but not past an SCP or a Deny', () => {
    const root: RequestPrincipal = { arn: `arn:aws:iam::${A}:root`, accountId: A, type: 'root' };
    assert.equal(evaluate(get(root), { ...full, identity: [] }).decision, 'allow');
    assert.equal(evaluate(get(root), { ...full, identity: [], resource: [bucketPolicy('*', 'Deny')] }).decision, 'explicit-deny');
    assert.equal(evaluate(get(root), { scps: [[]], identity: [] }).decision, 'implicit-deny');
  });

  it('allows an AWS service principal only through a resource policy that names it', () => {
    const trail: RequestPrincipal = { arn: 'cloudtrail.amazonaws.com', accountId: A, type: 'service' };
    assert.equal(evaluate(get(trail, { action: 's3:GetObject' }), { ...full, identity: [allowS3] }).decision, 'implicit-deny');
    assert.equal(evaluate(get(trail), { ...full, identity: [], resource: [bucketPolicy({ Service: 'cloudtrail.amazonaws.com' })] }).decision, 'allow');
    assert.equal(evaluate(get(trail), { ...full, identity: [], resource: [bucketPolicy({ AWS: '*' })] }).decision, 'implicit-deny');
  });
});

describe('cross-account requests', () => {
  it('need both the caller’s identity policy and the resource policy', () => {
    const share = bucketPolicy({ AWS: B });
    assert.equal(evaluate(get(partner), { ...full, identity: [allowS3], resource: [share] }).decision, 'allow');
    const noShare = evaluate(get(partner), { ...full, identity: [allowS3] });
    assert.deepEqual([noShare.decision, noShare.reason.stage], ['implicit-deny', 'resource']);
    const noIdentity = evaluate(get(partner), { ...full, identity: [], resource: [bucketPolicy({ AWS: partner.arn })] });
    assert.deepEqual([noIdentity.decision, noIdentity.reason.stage], ['implicit-deny', 'identity']);
  });

  it('apply the resource account’s RCPs to a caller from anywhere, and NotPrincipal excludes who it names', () => {
    const onlyOurs = policy('RCP', 'OnlyOrg', [
      { Sid: 'OrgOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-ours' } } },
    ]);
    const policies = { rcps: [[fullAwsAccess('RCP'), onlyOurs]], identity: [allowS3], resource: [bucketPolicy({ AWS: B })] };
    assert.equal(evaluate(get(partner), policies).reason.sid, 'OrgOnly');
    assert.equal(evaluate(get({ ...partner, orgId: 'o-ours' }), policies).decision, 'allow');
    const exceptPartner = policy('resource', 'DenyOthers', [{ Effect: 'Deny', NotPrincipal: { AWS: partner.arn }, Action: 's3:*', Resource: '*' }]);
    assert.equal(evaluate(get(partner), { identity: [allowS3], resource: [bucketPolicy({ AWS: B }), exceptPartner] }).decision, 'allow');
    assert.equal(evaluate(get(bob), { identity: [allowS3], resource: [exceptPartner] }).decision, 'explicit-deny');
  });
});

describe('policy variables', () => {
  it('fills ${aws:username} in Resource, and an unresolvable variable makes the statement not apply', () => {
    const home = policy('identity', 'Home', [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' }]);
    assert.equal(evaluate(get(bob, { resources: ['arn:aws:s3:::home/bob/notes.txt'] }), { identity: [home] }).decision, 'allow');
    assert.equal(evaluate(get(bob, { resources: ['arn:aws:s3:::home/carol/notes.txt'] }), { identity: [home] }).decision, 'implicit-deny');
    // A role session has no aws:username.
    assert.equal(evaluate(get(alice, { resources: ['arn:aws:s3:::home/alice/notes.txt'] }), { identity: [home] }).decision, 'implicit-deny');
    const denyOthers = policy('identity', 'NotMine', [{ Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::home/${aws:username}/*' }]);
    assert.equal(evaluate(get(alice, { resources: ['arn:aws:s3:::home/alice/x'] }), { identity: [allowS3, denyOthers] }).decision, 'allow');
  });

  it('fills ${aws:PrincipalTag/team} in a condition, uses a default value, and keeps ${*} literal', () => {
    const team = policy('identity', 'Team', [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 's3:ExistingObjectTag/team': '${aws:PrincipalTag/team}' } } },
    ]);
    const tagged = { ...alice, tags: { Team: 'red' } };
    assert.equal(evaluate(get(tagged, { context: { 's3:ExistingObjectTag/team': 'red' } }), { identity: [team] }).decision, 'allow');
    assert.equal(evaluate(get(tagged, { context: { 's3:ExistingObjectTag/team': 'blue' } }), { identity: [team] }).decision, 'implicit-deny');
    const fallback = policy('identity', 'Fallback', [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: "arn:aws:s3:::reports/${aws:PrincipalTag/team, 'shared'}/*" },
    ]);
    assert.equal(evaluate(get(alice, { resources: ['arn:aws:s3:::reports/shared/a'] }), { identity: [fallback] }).decision, 'allow');
    const star = policy('identity', 'Star', [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/${*}' }]);
    assert.equal(evaluate(get(bob, { resources: ['arn:aws:s3:::reports/*'] }), { identity: [star] }).decision, 'allow');
    assert.equal(evaluate(get(bob, { resources: ['arn:aws:s3:::reports/a'] }), { identity: [star] }).decision, 'implicit-deny');
  });
});

describe('requests with several resources and condition key names', () => {
  it('denies a request when one of its resources is denied', () => {
    const decision = evaluate(get(bob, { resources: ['arn:aws:s3:::other/a', object] }), { identity: [allowS3, denyS3] });
    assert.deepEqual([decision.decision, decision.reason.sid], ['explicit-deny', 'NoReports']);
  });

  it('reads condition keys and context keys case-insensitively', () => {
    const mfa = policy('SCP', 'Mfa', [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { BOOL: { 'AWS:multifactorauthpresent': 'false' } } }]);
    assert.equal(evaluate(get(bob, { context: { 'aws:MultiFactorAuthPresent': false } }), { scps: [[fullAwsAccess('SCP'), mfa]] }).decision, 'explicit-deny');
  });
});

describe('compile problems are reported with their location, never turned into a silent false', () => {
  it('reports an unknown operator, a bad IP range, a bad number and a bad date at their paths', () => {
    const issues = issuesOf('SCP', [
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringEqualz: { 'aws:PrincipalArn': 'x' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/33' }, NumericLessThan: { 's3:max-keys': 'ten' }, DateGreaterThan: { 'aws:CurrentTime': 'yesterday' } },
      },
    ]);
    assert.deepEqual(
      issues.map((i) => i.path),
      [
        ['policies', 0, 'Statement', 0, 'Condition', 'StringEqualz'],
        ['policies', 0, 'Statement', 0, 'Condition', 'IpAddress', 'aws:SourceIp', 0],
        ['policies', 0, 'Statement', 0, 'Condition', 'NumericLessThan', 's3:max-keys', 0],
        ['policies', 0, 'Statement', 0, 'Condition', 'DateGreaterThan', 'aws:CurrentTime', 0],
      ],
    );
    assert.match(issues[0]?.message ?? '', /unknown condition operator "StringEqualz"/);
  });

  it('reports a Principal in an SCP, a resource policy without one, an RCP principal other than * and a wildcard principal', () => {
    assert.match(issuesOf('SCP', [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }])[0]?.message ?? '', /has no Principal/);
    assert.match(issuesOf('resource', [{ Effect: 'Allow', Action: '*', Resource: '*' }])[0]?.message ?? '', /names its principals/);
    assert.match(issuesOf('RCP', [{ Effect: 'Deny', Principal: { AWS: A }, Action: '*', Resource: '*' }])[0]?.message ?? '', /"Principal": "\*"/);
    assert.match(issuesOf('resource', [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::*:role/x' }, Action: '*', Resource: '*' }])[0]?.message ?? '', /wildcard/);
    assert.match(issuesOf('SCP', [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { NullIfExists: { k: 'true' } } }])[0]?.message ?? '', /Null takes neither/);
  });

  it('reports a document the policy grammar refuses', () => {
    const compiled = compilePolicyJson({ Version: '2008-10-17', Statement: [] }, { kind: 'SCP', name: 'Old' });
    assert.ok('issues' in compiled && compiled.issues.length >= 1);
  });
});

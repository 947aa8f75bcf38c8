import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isConditionOperator, lintPolicy, POLICY_SIZE_LIMIT, type LintIssue, type LintOptions } from './lint.js';
import { fakeVocabulary } from './fixtures/vocabulary.js';
import { denyLeaveOrganizationScp, denyOutsideRegionsScp, requireMfaScp } from './fixtures/aws-examples.js';

const vocabulary = fakeVocabulary();
const scp: LintOptions = { kind: 'SCP', vocabulary };
const rcp: LintOptions = { kind: 'RCP', vocabulary };

const policy = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });
const deny = (extra: object = {}) => ({ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*', ...extra });
const found = (issues: LintIssue[]) => issues.map((i) => ({ path: i.path, severity: i.severity, code: i.code }));

describe('policy lint', () => {
  it('passes AWS published example SCPs as written, whitespace and all', () => {
    for (const text of [denyOutsideRegionsScp, requireMfaScp, denyLeaveOrganizationScp]) {
      const result = lintPolicy(text, scp);
      assert.deepEqual(found(result.issues), [], JSON.stringify(result.issues));
      assert.ok(result.document);
    }
  });

  it('measures the minified document, so the region-deny example is far smaller than as written', () => {
    const result = lintPolicy(denyOutsideRegionsScp, scp);
    assert.equal(result.size, JSON.stringify(JSON.parse(denyOutsideRegionsScp)).length);
    assert.ok(result.size !== undefined && result.size < denyOutsideRegionsScp.length);
  });

  it('reports text that is not JSON at the root of the policy', () => {
    const result = lintPolicy('{"Version": "2012-10-17", "Statement": [', scp);
    assert.deepEqual(found(result.issues), [{ path: [], severity: 'error', code: 'json_invalid' }]);
    assert.match(result.issues[0]!.message.en, /not valid JSON/);
    assert.match(result.issues[0]!.message.ja, /JSON/);
  });

  it('reports schema errors with their path into the policy', () => {
    const result = lintPolicy(policy(deny(), { Effect: 'Maybe', Action: 's3:GetObject' }, { Effect: 'Deny', Resource: '*' }), scp);
    assert.deepEqual(result.document, undefined);
    const paths = result.issues.map((i) => JSON.stringify(i.path));
    assert.ok(paths.includes('["Statement",1,"Effect"]'), paths.join(' '));
    assert.ok(paths.includes('["Statement",2]'), paths.join(' '));
    assert.ok(result.issues.every((i) => i.code === 'schema_invalid' && i.severity === 'error'));
  });

  it('refuses a policy over 5,120 characters minified, and names both numbers', () => {
    const actions = Array.from({ length: 400 }, (_, i) => `s3:GetObject${'x'.repeat(i % 3)}*`);
    const result = lintPolicy(policy({ Effect: 'Deny', Action: actions, Resource: '*' }), scp);
    const tooLarge = result.issues.filter((i) => i.code === 'too_large');
    assert.equal(tooLarge.length, 1);
    assert.deepEqual(tooLarge[0]!.path, []);
    assert.ok(result.size !== undefined && result.size > POLICY_SIZE_LIMIT);
    assert.match(tooLarge[0]!.message.en, new RegExp(`${result.size} characters.*${POLICY_SIZE_LIMIT}`));
  });

  it('warns when only the whitespace of the text takes a policy over the limit', () => {
    const document = policy(deny({ Action: Array.from({ length: 150 }, () => 's3:GetObject') }));
    const spaced = JSON.stringify(document, null, 8);
    assert.ok(spaced.length > POLICY_SIZE_LIMIT && JSON.stringify(document).length < POLICY_SIZE_LIMIT);
    assert.deepEqual(found(lintPolicy(spaced, scp).issues), [{ path: [], severity: 'warning', code: 'not_minified' }]);
  });

  it('flags an unknown service prefix and a misspelt action at their place in the list', () => {
    const result = lintPolicy(policy(deny({ Action: ['s3:GetObject', 's4:GetObject', 's3:GetObjekt', 'ec2:Describe*', 's3:Get*Block', 'GetObject'] })), scp);
    assert.deepEqual(found(result.issues), [
      { path: ['Statement', 0, 'Action', 1], severity: 'error', code: 'unknown_service' },
      { path: ['Statement', 0, 'Action', 2], severity: 'error', code: 'action_matches_nothing' },
      { path: ['Statement', 0, 'Action', 5], severity: 'error', code: 'action_malformed' },
    ]);
  });

  it('flags a wildcard pattern that matches no action of its service, in NotAction too', () => {
    const result = lintPolicy(policy({ Effect: 'Deny', NotAction: ['iam:*', 'iam:Purchase*'], Resource: '*' }), scp);
    assert.deepEqual(found(result.issues), [{ path: ['Statement', 0, 'NotAction', 1], severity: 'error', code: 'action_matches_nothing' }]);
  });

  it('reads a single action string and a single statement object, with paths to match', () => {
    const result = lintPolicy({ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: 's3:GetObjekt', Resource: '*' } }, scp);
    assert.deepEqual(found(result.issues), [{ path: ['Statement', 'Action'], severity: 'error', code: 'action_matches_nothing' }]);
  });

  it('matches action names without regard to case, as IAM does', () => {
    assert.deepEqual(found(lintPolicy(policy(deny({ Action: ['S3:getobject', 'organizations:leaveorganization'] })), scp).issues), []);
  });

  it('flags an unknown condition key, and accepts global, service and variable keys', () => {
    const result = lintPolicy(
      policy(
        deny({
          Action: ['s3:PutObject'],
          Condition: {
            StringEquals: { 'aws:RequestedRegion': 'ap-northeast-1', 's3:x-amz-server-side-encryption': 'aws:kms', 'aws:RequestTag/project': 'x', 's3:ExistingObjectTag/class': 'secret', 'aws:PrincipalTag/team': 'a' },
            StringLike: { 'aws:RequestedRegon': 'ap-*', 's3:ExistingObjectTag': 'x' },
          },
        }),
      ),
      scp,
    );
    assert.deepEqual(found(result.issues), [
      { path: ['Statement', 0, 'Condition', 'StringLike', 'aws:RequestedRegon'], severity: 'error', code: 'condition_key_unknown' },
      { path: ['Statement', 0, 'Condition', 'StringLike', 's3:ExistingObjectTag'], severity: 'error', code: 'condition_key_unknown' },
    ]);
  });

  it('warns when a condition key belongs to a service the statement does not act on', () => {
    const result = lintPolicy(policy(deny({ Action: ['ec2:RunInstances'], Condition: { StringEquals: { 's3:prefix': 'logs/', 'ec2:InstanceType': 't3.micro' } } })), scp);
    assert.deepEqual(found(result.issues), [{ path: ['Statement', 0, 'Condition', 'StringEquals', 's3:prefix'], severity: 'warning', code: 'condition_key_other_service' }]);
    assert.match(result.issues[0]!.message.en, /key of s3.*of ec2/);
  });

  it('does not ask which service a key belongs to when the statement names all actions or uses NotAction', () => {
    const keys = { StringEquals: { 's3:prefix': 'logs/' } };
    assert.deepEqual(found(lintPolicy(policy(deny({ Action: '*', Condition: keys })), scp).issues), []);
    assert.deepEqual(found(lintPolicy(policy({ Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: keys }), scp).issues), []);
  });

  it('flags condition operators that do not exist, keeping qualifiers and IfExists that do', () => {
    const result = lintPolicy(
      policy(deny({ Condition: { StringEqual: { 'aws:PrincipalArn': 'x' }, 'ForAnyValue:StringLikeIfExists': { 'aws:PrincipalArn': 'x' }, NullIfExists: { 'aws:PrincipalArn': 'true' }, 'ForSomeValues:StringLike': { 'aws:PrincipalArn': 'x' } } })),
      scp,
    );
    assert.deepEqual(found(result.issues), [
      { path: ['Statement', 0, 'Condition', 'StringEqual'], severity: 'error', code: 'operator_invalid' },
      { path: ['Statement', 0, 'Condition', 'NullIfExists'], severity: 'error', code: 'operator_invalid' },
      { path: ['Statement', 0, 'Condition', 'ForSomeValues:StringLike'], severity: 'error', code: 'operator_invalid' },
    ]);
    assert.ok(['ArnNotLike', 'BoolIfExists', 'ForAllValues:StringEquals', 'Null', 'DateGreaterThanEquals', 'NotIpAddress'].every(isConditionOperator));
  });

  it('flags a Sid used twice at the second use', () => {
    const result = lintPolicy(policy(deny({ Sid: 'One' }), deny({ Sid: 'Two' }), deny({ Sid: 'One' })), scp);
    assert.deepEqual(found(result.issues), [{ path: ['Statement', 2, 'Sid'], severity: 'error', code: 'duplicate_sid' }]);
  });

  it('flags a resource that is neither * nor an ARN, and warns about a statement with no resource', () => {
    const result = lintPolicy(policy(deny({ Resource: ['arn:aws:s3:::logs', 'my-bucket'] }), { Effect: 'Deny', Action: 's3:DeleteBucket' }), scp);
    assert.deepEqual(found(result.issues), [
      { path: ['Statement', 0, 'Resource', 1], severity: 'error', code: 'resource_malformed' },
      { path: ['Statement', 1], severity: 'warning', code: 'resource_missing' },
    ]);
  });

  it('refuses Principal and NotPrincipal in an SCP, and accepts the full IAM language SCPs now support', () => {
    const result = lintPolicy(policy(deny({ Principal: '*' }), deny({ NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } })), scp);
    assert.deepEqual(found(result.issues), [
      { path: ['Statement', 0, 'Principal'], severity: 'error', code: 'scp_principal_unsupported' },
      { path: ['Statement', 1, 'NotPrincipal'], severity: 'error', code: 'scp_principal_unsupported' },
    ]);
    // Since September 2025: conditions and NotAction in Allow, NotResource, wildcards inside action names.
    const full = policy({ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::logs', Condition: { StringEquals: { 'aws:RequestedRegion': 'ap-northeast-1' } } }, deny({ Action: 's3:*Object' }));
    assert.deepEqual(found(lintPolicy(full, scp).issues), []);
  });

  it('requires Principal "*" in an RCP, and refuses NotPrincipal and NotAction', () => {
    const result = lintPolicy(
      policy(deny(), deny({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } }), deny({ Principal: '*', NotPrincipal: { AWS: '111122223333' } }), { Effect: 'Deny', Principal: '*', NotAction: 's3:GetObject', Resource: '*' }),
      rcp,
    );
    assert.deepEqual(found(result.issues), [
      { path: ['Statement', 0], severity: 'error', code: 'rcp_principal_required' },
      { path: ['Statement', 1, 'Principal'], severity: 'error', code: 'rcp_principal_required' },
      { path: ['Statement', 2, 'NotPrincipal'], severity: 'error', code: 'rcp_not_principal_unsupported' },
      { path: ['Statement', 3, 'NotAction'], severity: 'error', code: 'rcp_not_action_unsupported' },
    ]);
  });

  it('allows only Deny in an RCP, except the shape of RCPFullAWSAccess', () => {
    const result = lintPolicy(policy(deny({ Principal: '*', Effect: 'Allow' })), rcp);
    assert.deepEqual(found(result.issues), [{ path: ['Statement', 0, 'Effect'], severity: 'error', code: 'rcp_allow_unsupported' }]);
    assert.deepEqual(found(lintPolicy(policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }), rcp).issues), []);
  });

  it('refuses actions of services that RCPs do not apply to', () => {
    const result = lintPolicy(policy(deny({ Principal: '*', Action: ['s3:GetObject', 'ec2:RunInstances', 'sts:AssumeRole'], Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc' }, BoolIfExists: { 'aws:SecureTransport': 'false' } } })), rcp);
    assert.deepEqual(found(result.issues), [{ path: ['Statement', 0, 'Action', 1], severity: 'error', code: 'rcp_service_unsupported' }]);
  });

  it('reports every problem of a policy at once, each with Japanese and English text', () => {
    const result = lintPolicy(policy(deny({ Sid: 'A', Action: ['s4:x', 's3:GetObjekt'], Condition: { StringEqual: { 'aws:Nope': 'x' } } }), deny({ Sid: 'A', Principal: '*' })), scp);
    assert.deepEqual(result.issues.map((i) => i.code), ['unknown_service', 'action_matches_nothing', 'operator_invalid', 'condition_key_unknown', 'duplicate_sid', 'scp_principal_unsupported']);
    assert.ok(result.issues.every((i) => i.message.en.length > 0 && /[\u3040-\u30ff\u4e00-\u9fff]/.test(i.message.ja)));
  });
});

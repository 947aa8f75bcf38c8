import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { actionOf, requestOfEvent, resourceAccountOf, type TrailEvent } from './activity.js';
import { compilePolicyJson, fullAwsAccess, type CompiledPolicy } from './compile.js';
import { impactOf, impactOfPages, impactSummary, type ChainLookup, type OrgPolicies } from './impact.js';

const MANAGEMENT = '999988887777';
const DEV = '111122223333';
const PROD = '222233334444';
const OUTSIDE = '333344445555';

const scp = (name: string, statements: unknown[]): CompiledPolicy => {
  const compiled = compilePolicyJson({ Version: '2012-10-17', Statement: statements }, { kind: 'SCP', name });
  if ('issues' in compiled) throw new Error(JSON.stringify(compiled.issues));
  return compiled.policy;
};

const denyLeave = scp('DenyLeave', [{ Sid: 'NoLeaving', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }]);
const denyRegions = scp('DenyRegions', [
  {
    Sid: 'DenyOutsideTokyoOsaka',
    Effect: 'Deny',
    NotAction: ['iam:*', 'organizations:*', 'sts:*'],
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:RequestedRegion': ['ap-northeast-1', 'ap-northeast-3'] }, ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/HatobaAdmin' } },
  },
]);
const today: OrgPolicies = { scps: [[fullAwsAccess('SCP'), denyLeave], [fullAwsAccess('SCP')]] };
const proposal: OrgPolicies = { scps: [[fullAwsAccess('SCP'), denyLeave], [fullAwsAccess('SCP'), denyRegions]] };
const inRollout = (chains: OrgPolicies): ChainLookup => (account) => (account === DEV || account === PROD || account === MANAGEMENT ? chains : undefined);

let n = 0;
const event = (account: string, role: string, source: string, name: string, region: string, extra: Partial<TrailEvent> = {}): TrailEvent => ({
  eventId: `e-${++n}`,
  eventTime: new Date(Date.UTC(2026, 9, 1 + (n % 20))),
  eventSource: source,
  eventName: name,
  awsRegion: region,
  recipientAccountId: account,
  userIdentity: {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${account}:assumed-role/${role}/session`,
    accountId: account,
    sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${account}:role/${role}` } },
  },
  ...extra,
});

describe('CloudTrail events as requests', () => {
  it('names the action by the IAM service prefix of the event source', () => {
    assert.equal(actionOf('ec2.amazonaws.com', 'RunInstances'), 'ec2:RunInstances');
    assert.equal(actionOf('monitoring.amazonaws.com', 'PutMetricAlarm'), 'cloudwatch:PutMetricAlarm');
    assert.equal(actionOf('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2'), 'lambda:UpdateFunctionConfiguration');
  });

  it('takes the caller, its role, the region, the time and the resource from the event', () => {
    const mapped = requestOfEvent(event(DEV, 'Developer', 's3.amazonaws.com', 'DeleteBucket', 'us-east-1', { requestParameters: { bucketName: 'logs' } }), MANAGEMENT);
    assert.ok('request' in mapped);
    assert.deepEqual(mapped.request.principal, { arn: `arn:aws:sts::${DEV}:assumed-role/Developer/session`, accountId: DEV, type: 'assumed-role', roleArn: `arn:aws:iam::${DEV}:role/Developer` });
    assert.deepEqual([mapped.request.action, mapped.request.region, mapped.request.resources, mapped.request.resourceAccount], ['s3:DeleteBucket', 'us-east-1', ['arn:aws:s3:::logs'], DEV]);
    assert.equal(mapped.request.managementAccountId, MANAGEMENT);
    const service = requestOfEvent({ ...event(DEV, 'x', 's3.amazonaws.com', 'PutObject', 'ap-northeast-1'), userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' } });
    assert.ok('request' in service && service.request.principal.type === 'service' && service.request.principal.arn === 'cloudtrail.amazonaws.com');
    assert.deepEqual(requestOfEvent({ ...event(DEV, 'x', 'ec2.amazonaws.com', 'RunInstances', 'us-east-1'), userIdentity: { type: 'AWSAccount', accountId: OUTSIDE } }), { skip: 'caller type AWSAccount' });
  });

  it("takes the resource and its owner from CloudTrail's resources before the request parameters", () => {
    const trail = `arn:aws:cloudtrail:ap-northeast-1:${PROD}:trail/hatoba-org`;
    const stop = event(DEV, 'Developer', 'cloudtrail.amazonaws.com', 'StopLogging', 'ap-northeast-1', { resources: [{ ARN: trail, accountId: PROD, type: 'AWS::CloudTrail::Trail' }] });
    const mapped = requestOfEvent(stop);
    assert.ok('request' in mapped);
    assert.deepEqual([mapped.request.resources, mapped.request.resourceAccount, resourceAccountOf(stop)], [[trail], PROD, PROD]);
    const read = event(DEV, 'Developer', 's3.amazonaws.com', 'GetObject', 'ap-northeast-1', { resources: [{ ARN: 'arn:aws:s3:::shared/x', accountId: OUTSIDE }] });
    assert.equal(resourceAccountOf(read), OUTSIDE, 'a bucket ARN names no account: the owner comes from resources');
    assert.equal(resourceAccountOf(event(DEV, 'Developer', 'ec2.amazonaws.com', 'RunInstances', 'us-east-1')), DEV, 'no resource: the trail\'s account');
  });
});

describe('the impact of a proposed SCP on the activity log', () => {
  const events: TrailEvent[] = [
    event(DEV, 'Developer', 'ec2.amazonaws.com', 'RunInstances', 'us-east-1'),
    event(DEV, 'Developer', 'ec2.amazonaws.com', 'RunInstances', 'us-east-1'),
    event(DEV, 'Developer', 's3.amazonaws.com', 'CreateBucket', 'eu-west-1'),
    event(PROD, 'Deployer', 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'us-west-2'),
    event(DEV, 'Developer', 'ec2.amazonaws.com', 'RunInstances', 'ap-northeast-1'),
    event(DEV, 'HatobaAdmin', 'ec2.amazonaws.com', 'RunInstances', 'us-east-1'),
    event(DEV, 'Developer', 'iam.amazonaws.com', 'CreateRole', 'us-east-1'),
    event(MANAGEMENT, 'Developer', 'ec2.amazonaws.com', 'RunInstances', 'us-east-1'),
    event(DEV, 'AWSServiceRoleForConfig', 'config.amazonaws.com', 'PutEvaluations', 'us-east-1'),
    event(DEV, 'Developer', 'ec2.amazonaws.com', 'RunInstances', 'us-east-1', { errorCode: 'Client.UnauthorizedOperation' }),
    event(OUTSIDE, 'Developer', 'ec2.amazonaws.com', 'RunInstances', 'us-east-1'),
    event(DEV, 'Developer', 'organizations.amazonaws.com', 'LeaveOrganization', 'us-east-1'),
    event(DEV, 'Developer', 'ec2.amazonaws.com', 'RunInstances', 'us-east-1', { eventTime: '2026-01-01T00:00:00Z' }),
  ];
  const run = (memo: boolean) =>
    impactOf({ proposed: inRollout(proposal), current: inRollout(today) }, events, { managementAccountId: MANAGEMENT, since: new Date('2026-06-01T00:00:00Z'), memo, samples: 2, top: 5 });

  it('counts the calls the proposal would have denied, by principal, account, action and deciding statement', () => {
    const report = run(true);
    assert.equal(report.events, 13);
    assert.equal(report.wouldDeny, 4);
    assert.deepEqual(report.byPrincipal, [
      { key: `arn:aws:iam::${DEV}:role/Developer`, count: 3 },
      { key: `arn:aws:iam::${PROD}:role/Deployer`, count: 1 },
    ]);
    assert.deepEqual(report.byAccount, [{ key: DEV, count: 3 }, { key: PROD, count: 1 }]);
    assert.deepEqual(report.byAction, [{ key: 'ec2:RunInstances', count: 2 }, { key: 'lambda:UpdateFunctionCode', count: 1 }, { key: 's3:CreateBucket', count: 1 }]);
    assert.deepEqual(report.byStatement, [{ key: 'DenyRegions/DenyOutsideTokyoOsaka', count: 4 }]);
    assert.deepEqual(report.skipped, { failed: 1, alreadyDenied: 1, outsideRollout: 1, unmapped: 0, before: 1 });
    assert.equal(report.replayed, 10);
    assert.equal(report.samples.length, 2);
    assert.deepEqual(report.samples[0]?.reason, { stage: 'scp', level: 1, policy: 'DenyRegions', sid: 'DenyOutsideTokyoOsaka', statement: 0, message: 'explicitly denied by DenyRegions' });
    assert.ok(report.since !== undefined && report.since >= '2026-10-01');
  });

  it('gives the same report with and without the memo, and the memo answers repeated calls', () => {
    const withMemo = run(true);
    const without = run(false);
    assert.deepEqual({ ...withMemo, memo: undefined }, { ...without, memo: undefined });
    assert.ok(withMemo.memo.hits > 0);
    assert.equal(without.memo.hits, 0);
  });

  it('gives the same report fed page by page from an async source as fed whole', async () => {
    async function* pages() {
      for (let i = 0; i < events.length; i += 4) yield events.slice(i, i + 4);
    }
    const paged = await impactOfPages({ proposed: inRollout(proposal), current: inRollout(today) }, pages(), { managementAccountId: MANAGEMENT, since: new Date('2026-06-01T00:00:00Z'), samples: 2, top: 5 });
    assert.deepEqual({ ...paged, memo: undefined }, { ...run(true), memo: undefined });
  });

  it('says what it found in English and Japanese', () => {
    const summary = impactSummary(run(true));
    assert.match(summary.en, /would have denied 4 of 10 calls by 2 principal\(s\) in 2 account\(s\) since 2026-10-/);
    assert.match(summary.ja, /2 アカウントの 2 プリンシパルによる呼び出し 10 件のうち 4 件を拒否/);
    const none = impactSummary(impactOf({ proposed: inRollout(today) }, events.slice(4, 7), {}));
    assert.match(none.en, /would have denied none of the 3 calls/);
  });
});

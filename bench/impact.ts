/**
 * Impact replay benchmark: N CloudTrail-shaped activity events (a realistic mix: ~50 principals, 200
 * accounts, 300 actions, 4 regions, each drawn with a skew like real trails, where a few roles and
 * read calls make most of the traffic) replayed against a proposed SCP set layered on what is
 * enforced today. Prints events per second and the ratio to the goal of 200,000 per second (ratio >= 1
 * means met), and the rate without the decision memo for comparison.
 *
 *   npm run bench:impact                      # N=1,000,000; the no-memo pass replays 200,000
 *   BENCH_EVENTS=200000 BENCH_NOMEMO_EVENTS=50000 npm run bench:impact
 */
import { compilePolicyJson, fullAwsAccess, type CompiledPolicy } from '../src/guardrails/iam/compile.js';
import { impactOf, impactSummary, type ChainLookup, type OrgPolicies } from '../src/guardrails/iam/impact.js';
import type { TrailEvent } from '../src/guardrails/iam/activity.js';

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const NO_MEMO = Math.min(N, Number(process.env.BENCH_NOMEMO_EVENTS ?? 200_000));
const GOAL = 200_000;

// A deterministic generator, so that runs compare.
let seed = 0x2545f491;
const random = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
};
/** Draws an index with weight 1/(rank+1)^s: a few items make most of the traffic. */
const zipf = (n: number, s: number): (() => number) => {
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) cumulative.push((total += 1 / (i + 1) ** s));
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
};

// --- The organisation: 200 accounts (the first is the management account) in four OUs.
const accounts = Array.from({ length: 200 }, (_, i) => String(100_000_000_000 + i * 7_919));
const management = accounts[0] ?? '';
const ouOf = (i: number): 'security' | 'prod' | 'dev' | 'sandbox' => (i < 5 ? 'security' : i < 80 ? 'prod' : i < 160 ? 'dev' : 'sandbox');

// --- 50 principals: roles (most traffic), a few IAM users, the root user, a service-linked role.
const roleNames = [
  'Developer', 'Deployer', 'ReadOnly', 'CiPipeline', 'HatobaAdmin', 'Operator', 'DataEngineer', 'Analyst', 'Auditor', 'BackupRole',
  'LambdaExec-api', 'LambdaExec-batch', 'EcsTask-web', 'EcsTask-worker', 'Ec2Instance-app', 'Ec2Instance-bastion', 'GlueJob', 'StepFunctions', 'EventBridge', 'Terraform',
  'SecurityScanner', 'CostExplorer', 'LogShipper', 'Monitoring', 'Support', 'BreakGlass', 'NetworkAdmin', 'DbaRole', 'MlTraining', 'MlInference',
  'Etl-nightly', 'Etl-hourly', 'Reporting', 'QaAutomation', 'LoadTest', 'Migration', 'Archive', 'Compliance', 'Incident', 'Sandbox',
];
const userNames = ['legacy-app', 'ci-bot', 'backup-script', 'vendor-sync', 'ops-bob', 'ops-carol', 'test-user', 'old-integration'];
type PrincipalKind = { kind: 'role' | 'user' | 'root' | 'slr'; name: string };
const principals: PrincipalKind[] = [
  ...roleNames.map((name) => ({ kind: 'role' as const, name })),
  ...userNames.map((name) => ({ kind: 'user' as const, name })),
  { kind: 'root', name: 'root' },
  { kind: 'slr', name: 'AWSServiceRoleForConfig' },
];

// --- 300 actions over 30 services, reads first (they dominate real trails).
const services: [string, string][] = [
  ['ec2', 'ec2'], ['s3', 's3'], ['iam', 'iam'], ['sts', 'sts'], ['lambda', 'lambda'], ['logs', 'logs'], ['cloudwatch', 'monitoring'], ['dynamodb', 'dynamodb'],
  ['kms', 'kms'], ['sqs', 'sqs'], ['sns', 'sns'], ['rds', 'rds'], ['ecs', 'ecs'], ['ecr', 'ecr'], ['cloudtrail', 'cloudtrail'], ['config', 'config'],
  ['guardduty', 'guardduty'], ['securityhub', 'securityhub'], ['secretsmanager', 'secretsmanager'], ['ssm', 'ssm'], ['cloudformation', 'cloudformation'], ['elasticloadbalancing', 'elasticloadbalancing'],
  ['autoscaling', 'autoscaling'], ['route53', 'route53'], ['organizations', 'organizations'], ['savingsplans', 'savingsplans'], ['shield', 'shield'], ['glue', 'glue'], ['athena', 'athena'], ['states', 'states'],
];
const verbs = ['Describe', 'List', 'Get', 'Lookup', 'Put', 'Create', 'Update', 'Delete', 'Tag', 'Start'];
const special: Record<string, string[]> = {
  cloudtrail: ['LookupEvents', 'DescribeTrails', 'GetTrailStatus', 'ListTags', 'PutEventSelectors', 'CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StopLogging', 'StartLogging'],
  iam: ['GetRole', 'ListRoles', 'GetUser', 'ListUsers', 'PassRole', 'CreateRole', 'CreateUser', 'CreateAccessKey', 'AttachRolePolicy', 'DeleteRole'],
  ec2: ['DescribeInstances', 'DescribeVolumes', 'DescribeSecurityGroups', 'DescribeRegions', 'RunInstances', 'CreateTags', 'StartInstances', 'StopInstances', 'TerminateInstances', 'PurchaseReservedInstancesOffering'],
  config: ['DescribeConfigRules', 'GetComplianceDetailsByConfigRule', 'PutEvaluations', 'DescribeConfigurationRecorders', 'PutConfigRule', 'StartConfigRulesEvaluation', 'DescribeDeliveryChannels', 'ListDiscoveredResources', 'StopConfigurationRecorder', 'DeleteConfigurationRecorder'],
  savingsplans: ['DescribeSavingsPlans', 'DescribeSavingsPlansOfferings', 'ListTagsForResource', 'TagResource', 'UntagResource', 'DescribeSavingsPlanRates', 'DescribeSavingsPlansOfferingRates', 'ReturnSavingsPlan', 'DeleteQueuedSavingsPlan', 'CreateSavingsPlan'],
  organizations: ['DescribeOrganization', 'ListAccounts', 'DescribeAccount', 'ListParents', 'ListTagsForResource', 'ListPolicies', 'DescribePolicy', 'ListRoots', 'ListChildren', 'LeaveOrganization'],
};
const actions = services.flatMap(([prefix, source]) =>
  (special[prefix] ?? verbs.map((v) => `${v}${prefix === 's3' ? 'Object' : 'Resource'}`)).map((name) => ({ source: `${source}.amazonaws.com`, name })),
);
const regions = ['ap-northeast-1', 'ap-northeast-3', 'us-east-1', 'us-west-2'];
const regionWeights = [0.62, 0.2, 0.15, 0.03];

// --- Policies: today the root has FullAWSAccess and deny-leaving; the proposal adds the rest.
const compile = (name: string, statements: unknown[]): CompiledPolicy => {
  const compiled = compilePolicyJson({ Version: '2012-10-17', Statement: statements }, { kind: 'SCP', name });
  if ('issues' in compiled) throw new Error(`${name}: ${JSON.stringify(compiled.issues)}`);
  return compiled.policy;
};
const admin = { ArnNotLike: { 'aws:PrincipalARN': ['arn:aws:iam::*:role/HatobaAdmin', 'arn:aws:iam::*:role/BreakGlass'] } };
const denyLeave = compile('DenyLeaveOrganization', [{ Sid: 'DenyLeave', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }]);
const regionDeny = compile('DenyRegions', [
  {
    Sid: 'DenyOutsideTokyoOsaka',
    Effect: 'Deny',
    NotAction: ['iam:*', 'organizations:*', 'sts:*', 'route53:*', 'cloudfront:*', 'shield:*', 'support:*', 'savingsplans:*', 'ce:*', 'budgets:*', 'health:*', 'ec2:DescribeRegions'],
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:RequestedRegion': ['ap-northeast-1', 'ap-northeast-3'] }, ...admin },
  },
]);
const protectLogging = compile('ProtectLogging', [
  { Sid: 'ProtectTrails', Effect: 'Deny', Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'], Resource: '*', Condition: admin },
  { Sid: 'ProtectConfig', Effect: 'Deny', Action: ['config:StopConfigurationRecorder', 'config:DeleteConfigurationRecorder', 'config:DeleteDeliveryChannel'], Resource: '*', Condition: admin },
  { Sid: 'ProtectDetectors', Effect: 'Deny', Action: ['guardduty:Delete*', 'guardduty:Disassociate*', 'securityhub:Disable*', 'securityhub:Delete*'], Resource: '*', Condition: admin },
  { Sid: 'ProtectLogBuckets', Effect: 'Deny', Action: ['s3:DeleteBucket*', 's3:PutBucketPolicy', 's3:PutLifecycleConfiguration'], Resource: 'arn:aws:s3:::hatoba-logs-*', Condition: admin },
]);
const denyIamUsers = compile('DenyIamUsers', [
  { Sid: 'DenyUsersAndKeys', Effect: 'Deny', Action: ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile'], Resource: '*', Condition: admin },
]);
const denyPurchases = compile('DenyPurchases', [
  {
    Sid: 'DenyCommitments',
    Effect: 'Deny',
    Action: ['ec2:PurchaseReservedInstancesOffering', 'rds:PurchaseReservedDBInstancesOffering', 'savingsplans:CreateSavingsPlan', 'shield:CreateSubscription'],
    Resource: '*',
    Condition: admin,
  },
]);
const full = fullAwsAccess('SCP');
const currentRoot = [full, denyLeave];
const proposedRoot = [full, denyLeave, protectLogging];
const chain = (root: CompiledPolicy[], ou: CompiledPolicy[]): OrgPolicies => ({ scps: [root, ou, [full]] });
const current: Record<string, OrgPolicies> = {};
const proposed: Record<string, OrgPolicies> = {};
for (const ou of ['security', 'prod', 'dev', 'sandbox'] as const) {
  current[ou] = chain(currentRoot, [full]);
  proposed[ou] = chain(proposedRoot, ou === 'security' ? [full, regionDeny] : ou === 'sandbox' ? [full, regionDeny, denyPurchases] : [full, regionDeny, denyIamUsers, denyPurchases]);
}
const indexOf = new Map(accounts.map((a, i) => [a, i]));
const lookup = (byOu: Record<string, OrgPolicies>): ChainLookup => (account) => {
  const i = indexOf.get(account);
  return i === undefined ? undefined : byOu[ouOf(i)];
};

// --- Events, generated before timing. Identities are shared between events, as a parser's cache would.
const pickAccount = zipf(accounts.length, 0.8);
const pickPrincipal = zipf(principals.length, 1.1);
const pickAction = zipf(actions.length, 1.0);
const pickRegion = (): number => {
  let x = random();
  for (let i = 0; i < regionWeights.length; i++) if ((x -= regionWeights[i] ?? 0) < 0) return i;
  return 0;
};
const identities = new Map<string, TrailEvent['userIdentity']>();
const identity = (account: string, p: PrincipalKind): TrailEvent['userIdentity'] => {
  const key = `${account}/${p.name}`;
  let found = identities.get(key);
  if (found === undefined) {
    const role = p.kind === 'slr' ? `aws-service-role/config.amazonaws.com/${p.name}` : p.name;
    found =
      p.kind === 'user'
        ? { type: 'IAMUser', arn: `arn:aws:iam::${account}:user/${p.name}`, accountId: account }
        : p.kind === 'root'
          ? { type: 'Root', arn: `arn:aws:iam::${account}:root`, accountId: account }
          : { type: 'AssumedRole', arn: `arn:aws:sts::${account}:assumed-role/${p.name}/session`, accountId: account, sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${account}:role/${role}` } } };
    identities.set(key, found);
  }
  return found;
};
const start = Date.UTC(2026, 8, 1);
const generated = performance.now();
const events: TrailEvent[] = new Array<TrailEvent>(N);
for (let i = 0; i < N; i++) {
  const account = accounts[pickAccount()] ?? management;
  const action = actions[pickAction()] ?? { source: 'ec2.amazonaws.com', name: 'DescribeInstances' };
  const p = principals[pickPrincipal()] ?? { kind: 'role', name: 'Developer' };
  events[i] = {
    eventId: `ev-${i}`,
    eventTime: new Date(start + i * 2_600),
    eventSource: action.source,
    eventName: action.name,
    awsRegion: regions[pickRegion()] ?? 'ap-northeast-1',
    recipientAccountId: account,
    userIdentity: identity(account, p),
    ...(random() < 0.01 ? { errorCode: 'AccessDenied' } : {}),
  };
}
const generateMs = performance.now() - generated;

const policies = { proposed: lookup(proposed), current: lookup(current) };
const options = { managementAccountId: management };
// Warm the JIT on a slice, then time the whole log.
impactOf(policies, events.slice(0, Math.min(N, 50_000)), options);
const t0 = performance.now();
const report = impactOf(policies, events, options);
const memoMs = performance.now() - t0;
const t1 = performance.now();
const plain = impactOf(policies, events.slice(0, NO_MEMO), { ...options, memo: false });
const plainMs = performance.now() - t1;

const rate = N / (memoMs / 1000);
const plainRate = NO_MEMO / (plainMs / 1000);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(`impact replay: ${fmt(N)} events (${actions.length} actions, ${principals.length} principals, ${accounts.length} accounts, ${regions.length} regions); generated in ${fmt(generateMs)} ms`);
console.log(`  would deny ${fmt(report.wouldDeny)} of ${fmt(report.replayed)} replayed (skipped: ${JSON.stringify(report.skipped)})`);
console.log(`  by statement: ${report.byStatement.map((c) => `${c.key}=${fmt(c.count)}`).join(', ')}`);
console.log(`  ${impactSummary(report).en}`);
console.log(`  memo: ${fmt(report.memo.hits)} hits, ${fmt(report.memo.misses)} misses (${((100 * report.memo.hits) / Math.max(1, report.memo.hits + report.memo.misses)).toFixed(1)}% hit rate)`);
console.log(`  with memo:    ${fmt(memoMs)} ms, ${fmt(rate)} events/s, ratio to the ${fmt(GOAL)}/s goal: ${(rate / GOAL).toFixed(2)} (>= 1 means met)`);
console.log(`  without memo: ${fmt(plainMs)} ms for ${fmt(NO_MEMO)} events, ${fmt(plainRate)} events/s (${(plainRate / GOAL).toFixed(2)} of the goal; would deny ${fmt(plain.wouldDeny)})`);

/**
 * Detective benchmark: the pure evaluation of a sweep. N twin-shaped resources (a mix of the types
 * the twin stores, some compliant and some not) across A accounts, against every applicable rule of
 * the real catalog (readControls('catalog')), plus each account's Hatoba::Account document.
 * Generating the resources is not timed; evaluating them is (CEL, the CEL form of each resource made
 * once, finding ids, result records, account documents).
 *
 * Two bounds:
 * - the goal: a full sweep of 1,000,000 resources evaluated within 60 s, i.e. at least 16,667
 *   resources per second on one core (the database writes of a sweep come on top; this is the part
 *   the evaluator owns). Ratio (time / bound) = measured time × (1,000,000 / N) / 60 s; at most 1
 *   meets it. The last line says whether it is met (with N below 1,000,000, by extrapolation).
 * - the floor: the same checks costed at the calibrated time of one CEL evaluation on resources
 *   of the same mix, already in CEL form (see calibrate). Evaluation time / floor (at least 1):
 *   what the evaluator adds around CEL itself (converting each resource once, finding ids,
 *   results, the account documents). Not a goal: it shows where the time goes.
 *
 *   npm run bench:detective                         # 1,000,000 resources, 2,000 accounts
 *   BENCH_RESOURCES=100000 BENCH_ACCOUNTS=200 npm run bench:detective
 */
import { readControls } from '../src/main/catalog.js';
import { createDetectiveEvaluator, type LiveResource } from '../src/guardrails/detective/evaluator.js';
import { evaluateResource, indexByResourceType, type CompiledControl } from '../src/guardrails/catalog/compiled.js';

const N = Number(process.env.BENCH_RESOURCES ?? 1_000_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 2_000);
const GOAL_SECONDS = 60;
const GOAL_RESOURCES = 1_000_000;

// A seeded generator (mulberry32), so every run judges the same estate.
let state = 20_300_401;
function random(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const chance = (p: number) => random() < p;
const REGIONS = ['ap-northeast-1', 'ap-northeast-3'];

type Make = (account: string, i: number) => Omit<LiveResource, 'region'> & { region?: string };

/** Per-account singletons: the landing zone's baseline, present (or not) once per account. */
const singletons: Make[] = [
  (a) => ({ type: 'Hatoba::IAM::RootUser', identifier: `arn:aws:iam::${a}:root`, region: 'global', properties: { MfaEnabled: chance(0.9), AccessKeysPresent: chance(0.05) } }),
  (a) => ({ type: 'AWS::CloudTrail::Trail', identifier: 'org-trail', properties: { TrailName: 'org-trail', IsLogging: chance(0.95), IsMultiRegionTrail: true, EnableLogFileValidation: chance(0.8), S3BucketName: `logs-${a}`, KMSKeyId: chance(0.7) ? `arn:aws:kms:ap-northeast-1:${a}:key/k` : '' } }),
  () => ({ type: 'AWS::Config::ConfigurationRecorder', identifier: 'default', properties: { Name: 'default', RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: chance(0.9) } } }),
  (a) => ({ type: 'AWS::GuardDuty::Detector', identifier: `d-${a}`, properties: { Enable: chance(0.9), Features: [{ Name: 'S3_DATA_EVENTS', Status: chance(0.8) ? 'ENABLED' : 'DISABLED' }] } }),
];

/** The rest, by weight. */
const mix: [number, Make][] = [
  [20, (_, i) => ({ type: 'AWS::EC2::SecurityGroup', identifier: `sg-${i}`, properties: { GroupName: `g${i}`, GroupDescription: 'app', VpcId: 'vpc-1', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }, ...(chance(0.1) ? [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }] : [])] } })],
  [20, (_, i) => ({ type: 'AWS::EC2::Volume', identifier: `vol-${i}`, properties: { Size: 100, VolumeType: 'gp3', Encrypted: chance(0.85) } })],
  [15, (a, i) => ({ type: 'AWS::S3::Bucket', identifier: `b-${a}-${i}`, properties: { BucketName: `b-${a}-${i}`, BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'k' } }] }, VersioningConfiguration: { Status: chance(0.6) ? 'Enabled' : 'Suspended' }, ...(chance(0.9) ? { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true } } : {}) } })],
  [5, (_, i) => ({ type: 'AWS::RDS::DBInstance', identifier: `db-${i}`, properties: { Engine: 'postgres', StorageEncrypted: chance(0.9), PubliclyAccessible: chance(0.05), BackupRetentionPeriod: 7, MultiAZ: chance(0.5), DeletionProtection: true, MasterUsername: 'app' } })],
  [5, (_, i) => ({ type: 'AWS::IAM::User', identifier: `user-${i}`, region: 'global', properties: { UserName: `user-${i}`, ...(chance(0.3) ? { LoginProfile: { Password: '***' } } : {}) } })],
  [5, (_, i) => ({ type: 'AWS::IAM::AccessKey', identifier: `AKIA${i}`, region: 'global', properties: { UserName: `user-${i}`, Status: chance(0.5) ? 'Active' : 'Inactive' } })],
  [8, (_, i) => ({ type: 'AWS::KMS::Key', identifier: `key-${i}`, properties: { KeySpec: 'SYMMETRIC_DEFAULT', EnableKeyRotation: chance(0.8) } })],
  [5, (_, i) => ({ type: 'AWS::EC2::VPC', identifier: `vpc-${i}`, properties: { VpcId: `vpc-${i}`, CidrBlock: '10.0.0.0/16' } })],
  [5, (_, i) => ({ type: 'AWS::EC2::FlowLog', identifier: `fl-${i}`, properties: { ResourceId: `vpc-${i}`, ResourceType: 'VPC', TrafficType: chance(0.8) ? 'ALL' : 'ACCEPT' } })],
];
const totalWeight = mix.reduce((sum, [w]) => sum + w, 0);

function pick(): Make {
  let r = random() * totalWeight;
  for (const [weight, make] of mix) {
    r -= weight;
    if (r < 0) return make;
  }
  return mix[0]?.[1] ?? singletons[0] ?? assertNever();
}
function assertNever(): never {
  throw new Error('no resource maker');
}

function generateAccount(accountId: string, count: number): LiveResource[] {
  const resources: LiveResource[] = [];
  for (let i = 0; i < count; i += 1) {
    const make = i < singletons.length ? singletons[i] : pick();
    if (make === undefined) continue;
    const r = make(accountId, i);
    resources.push({ ...r, region: r.region ?? REGIONS[i % REGIONS.length] ?? 'ap-northeast-1' });
  }
  return resources;
}

/**
 * Time of one CEL evaluation, on this benchmark's own resources: one account's inventory is
 * prepared once (its CEL form cached by the rule engine), then every applicable rule is evaluated
 * on it again and again. What remains per check is the compiled CEL program itself.
 */
function calibrate(index: Map<string, CompiledControl[]>, sample: readonly LiveResource[]): number {
  const shapes = sample.map((r) => ({ type: r.type, properties: r.properties }));
  let checks = 0;
  for (const shape of shapes) checks += evaluateResource(index, shape).length;
  const passes = 20;
  const started = performance.now();
  for (let pass = 0; pass < passes; pass += 1) for (const shape of shapes) evaluateResource(index, shape);
  return (performance.now() - started) / (passes * checks);
}

const controls = await readControls('catalog');
const evaluator = createDetectiveEvaluator(controls);
const perAccount = Math.ceil(N / ACCOUNTS);
const msPerCheck = calibrate(indexByResourceType([...evaluator.controls.values()]), generateAccount('999999999999', perAccount));
const outcomes = { pass: 0, fail: 0, error: 0, unresolvable: 0 };
let evaluatedMs = 0;
let resources = 0;
let checks = 0;

const started = performance.now();
for (let a = 0; a < ACCOUNTS && resources < N; a += 1) {
  const accountId = String(100_000_000_000 + a);
  const inventory = generateAccount(accountId, Math.min(perAccount, N - resources));
  const t0 = performance.now();
  const results = evaluator.evaluateAccount(accountId, inventory);
  evaluatedMs += performance.now() - t0;
  resources += inventory.length;
  checks += results.length;
  for (const r of results) outcomes[r.result] += 1;
}
const wallMs = performance.now() - started;

const floorMs = checks * msPerCheck;
const seconds = evaluatedMs / 1_000;
const perSecond = (n: number) => Math.round(n / seconds).toLocaleString('en');
const goalRatio = (seconds * (GOAL_RESOURCES / resources)) / GOAL_SECONDS;
const meanCheckUs = (floorMs * 1_000) / checks;

console.log(`detective benchmark: ${resources.toLocaleString('en')} resources in ${Math.min(ACCOUNTS, Math.ceil(resources / perAccount)).toLocaleString('en')} accounts; ${evaluator.controls.size} controls with rules over ${evaluator.documentTypes.length} types`);
console.log(`  evaluation: ${seconds.toFixed(2)} s (generation and bookkeeping included: ${(wallMs / 1_000).toFixed(2)} s)`);
console.log(`  throughput: ${perSecond(resources)} resources/s, ${perSecond(checks)} checks/s (${(checks / resources).toFixed(2)} checks per resource)`);
console.log(`  outcomes:   ${Object.entries(outcomes).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);
const extrapolated = resources === GOAL_RESOURCES ? '' : `, extrapolated from ${resources.toLocaleString('en')}`;
console.log(`  floor:      CEL alone, ${meanCheckUs.toFixed(2)} µs per check as calibrated, ${(floorMs / 1_000).toFixed(2)} s for these checks; evaluation time / floor = ${(evaluatedMs / floorMs).toFixed(2)} (what the evaluator adds around CEL; not a goal)`);
console.log(
  `goal: a sweep of 1,000,000 resources evaluated within ${GOAL_SECONDS} s (${Math.ceil(GOAL_RESOURCES / GOAL_SECONDS).toLocaleString('en')} resources/s)` +
    ` — ${(seconds * (GOAL_RESOURCES / resources)).toFixed(1)} s${extrapolated} — ratio (time / bound) = ${goalRatio.toFixed(3)} — ${goalRatio <= 1 ? 'goal met' : 'goal MISSED'}`,
);

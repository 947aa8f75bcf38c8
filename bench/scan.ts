/**
 * Scan benchmark: one CloudFormation template of N resources (mixed types, short-form intrinsics,
 * parameters that leave values open), read and evaluated against the catalog's controls exactly as
 * `hatoba scan` does after reading the file (recognise, parse with lines, evaluate, build the report).
 * The bound is 1 s for the whole scan of 1,000 resources; the ratio is the median time / bound
 * (at most 1 meets the goal), and the last line says, for the slower of the two formats, whether
 * the goal is met. The same template as JSON is timed too (generated templates, CDK's, are JSON).
 *
 *   npm run bench:scan
 *   BENCH_N=5000 BENCH_RUNS=3 BENCH_CATALOG=path/to/catalog npm run bench:scan
 */
import { stringify } from 'yaml';
import { readControls } from '../src/main/catalog.js';
import { runScan } from '../src/guardrails/scan/run.js';

const N = Number(process.env.BENCH_N ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BOUND_MS = 1000 * (N / 1000);
const catalogDir = process.env.BENCH_CATALOG ?? new URL('../catalog', import.meta.url).pathname;

/** Resource bodies by kind; `i` varies names and settings so that results mix pass, fail and unresolvable. */
const KINDS: ((i: number) => Record<string, unknown>)[] = [
  (i) => ({
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: `!Sub 'data-${i}-\${AWS::AccountId}'`,
      ...(i % 3 === 0 ? {} : { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: i % 3 === 1 ? true : '!Ref Strict' } }),
      VersioningConfiguration: { Status: i % 2 === 0 ? 'Enabled' : 'Suspended' },
      Tags: [{ Key: 'owner', Value: `team-${i % 7}` }],
    },
  }),
  (i) => ({
    Type: 'AWS::EC2::SecurityGroup',
    Properties: {
      GroupDescription: `group ${i}`,
      VpcId: '!Ref Vpc',
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: i % 4 === 0 ? '0.0.0.0/0' : i % 4 === 1 ? '!Ref AdminCidr' : '10.0.0.0/8' },
      ],
    },
  }),
  (i) => ({ Type: 'AWS::EC2::Volume', Properties: { AvailabilityZone: '!Select [0, !GetAZs ""]', Size: 10 + i, Encrypted: i % 2 === 0 ? true : '!Ref Encrypt', KmsKeyId: '!GetAtt Key0.Arn' } }),
  (i) => ({ Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: '20', StorageEncrypted: i % 2 === 0, PubliclyAccessible: i % 5 === 0 } }),
  (i) => ({ Type: 'AWS::KMS::Key', Properties: { Description: `key ${i}`, EnableKeyRotation: i % 2 === 0, KeyPolicy: { Version: '2012-10-17', Statement: [] } } }),
  (i) => ({ Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, S3BucketName: '!Ref Bucket0', IsMultiRegionTrail: i % 2 === 0, EnableLogFileValidation: true } }),
  (i) => ({ Type: 'AWS::IAM::User', Properties: { UserName: `user-${i}` } }),
  (i) => ({ Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: '!GetAtt Role.Arn', Code: { ZipFile: `exports.handler = async () => ${i};` } } }),
  (i) => ({ Type: 'AWS::SNS::Topic', Properties: { TopicName: `!Sub 'topic-${i}'` } }),
];

function template(n: number): { yaml: string; json: string } {
  const resources: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < n; i++) {
    const make = KINDS[i % KINDS.length];
    if (make !== undefined) resources[`Resource${i}`] = make(i);
  }
  const doc = { AWSTemplateFormatVersion: '2010-09-09', Parameters: { Strict: { Type: 'String' }, AdminCidr: { Type: 'String' }, Encrypt: { Type: 'String' }, Vpc: { Type: 'String' } }, Resources: resources };
  // Written with quoted '!Tag …' strings, then unquoted, so the YAML has real short-form tags.
  const yaml = stringify(doc, { lineWidth: 0 }).replace(/(['"])!(Ref|Sub|GetAtt|Select) (.*)\1$/gm, (_m, _q, tag: string, arg: string) => `!${tag} ${arg.replace(/''/g, "'")}`);
  const json = JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'string' && v.startsWith('!Ref ') ? { Ref: v.slice(5) } : v), 1);
  return { yaml, json };
}

const controls = await readControls(catalogDir);
const settings = { severityThreshold: 'low' as const, strict: false, skip: [] };
const knownIds = new Set(controls.map((c) => c.id));
const { yaml, json } = template(N);

function measure(text: string, file: string) {
  const times: number[] = [];
  let report: ReturnType<typeof runScan> | undefined;
  for (let run = 0; run <= RUNS; run++) {
    const started = performance.now();
    report = runScan({ documents: [{ file, text, explicit: true }], problems: [], skipped: [], notes: [], controls, knownIds, settings });
    const ms = performance.now() - started;
    if (run > 0) times.push(ms); // the first run warms the JIT
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? NaN;
  if (report === undefined || report.problems.length > 0 || report.counts.resources !== N) throw new Error(`the scan did not read ${N} resources: ${JSON.stringify(report?.problems.slice(0, 3))}`);
  return { median, min: times[0] ?? NaN, report };
}

console.log(`scan benchmark: ${N} resources, ${controls.length} controls in ${catalogDir}, median of ${RUNS} runs after one warm-up`);
const medians: { label: string; median: number }[] = [];
for (const [label, text, file] of [['YAML', yaml, 'bench.yaml'], ['JSON', json, 'bench.json']] as const) {
  const { median, min, report } = measure(text, file);
  const c = report.counts;
  medians.push({ label, median });
  console.log(
    `  ${label}: ${(text.length / 1024).toFixed(0)} KiB, ${c.checks} checks (${c.fail} fail, ${c.unresolvable} unresolvable, ${c.error} error, ${c.pass} pass)` +
      ` — median ${median.toFixed(1)} ms (min ${min.toFixed(1)}), ${Math.round((N / median) * 1000)} resources/s, ratio ${(median / BOUND_MS).toFixed(3)}`,
  );
}
// The goal holds for either format: the slower one decides.
const slowest = medians.reduce((a, b) => (b.median > a.median ? b : a));
const ratio = slowest.median / BOUND_MS;
console.log(
  `goal: the whole scan of ${N} resources within ${BOUND_MS} ms (1 s per 1,000); slower format ${slowest.label}, median ${slowest.median.toFixed(1)} ms` +
    ` — ratio (time / bound) = ${ratio.toFixed(3)} — ${ratio <= 1 ? 'goal met' : 'goal MISSED'}`,
);

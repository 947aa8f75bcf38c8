/**
 * The scanner on real, public templates with known problems (fixtures/README.md has their sources
 * and licences), a CDK cloud assembly and a Terraform plan, through the same path `hatoba scan`
 * takes after reading the files; and its three outputs: text, JSON (parsed with the report's zod
 * schema) and SARIF (validated against the OASIS SARIF 2.1.0 JSON schema).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { loadCatalog } from '../catalog/loader.js';
import { formatSarif } from './format-sarif.js';
import { formatText } from './format-text.js';
import { ScanReport, type ScanResult } from './report.js';
import { runScan, type ScanDocument } from './run.js';

const here = fileURLToPath(new URL('./fixtures/', import.meta.url));
const read = (path: string) => readFileSync(join(here, path), 'utf8');

const catalogFile = join(here, 'catalog/controls/fixture.yaml');
const loaded = loadCatalog([{ path: catalogFile, text: readFileSync(catalogFile, 'utf8') }]);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
const controls = loaded.catalog.controls;
const knownIds = new Set(controls.map((c) => c.id));

const doc = (path: string, extra: Partial<ScanDocument> = {}): ScanDocument => ({ file: `templates/${path}`, text: read(`templates/${path}`), explicit: true, ...extra });
const cdkDocs = (): ScanDocument[] =>
  ['cdk/cdk.out/WebStack.template.json', 'cdk/cdk.out/WebStackDb1F2C7A3B.nested.template.json', 'cdk/cdk.out/assembly-Prod/ProdDataStack8C7B9E1D.template.json'].map((p) => doc(p, { fromCdk: true }));

const settings = { severityThreshold: 'low' as const, strict: false, skip: [] };
const scan = (documents: ScanDocument[], extra: Partial<Parameters<typeof runScan>[0]> = {}) =>
  runScan({ documents, problems: [], skipped: [], notes: [], controls, knownIds, settings, version: '0.1.0', ...extra });

const find = (results: ScanResult[], logicalId: string, control: string) => results.find((r) => r.logicalId === logicalId && r.control === control);

describe('scanning public templates with known problems', () => {
  it('fails the SSH control for cfn_nag’s group that opens 0–36/tcp to 0.0.0.0/0, at its line', () => {
    const { results } = scan([doc('cfn-nag/two_security_group_two_cidr_ingress.json')]);
    assert.deepEqual(find(results, 'sg2', 'HTB-FX-022') && { result: find(results, 'sg2', 'HTB-FX-022')?.result, line: find(results, 'sg2', 'HTB-FX-022')?.line }, { result: 'fail', line: 17 });
    // `sg` gives its ingress as one object where CloudFormation wants a list: the rule cannot judge it.
    assert.equal(find(results, 'sg', 'HTB-FX-022')?.result, 'error');
  });

  it('fails the public access block control for both public-ACL buckets, at their lines', () => {
    const { results } = scan([doc('cfn-nag/buckets_with_insecure_acl.json')]);
    assert.deepEqual(results.filter((r) => r.control === 'HTB-S3-001').map((r) => [r.logicalId, r.result, r.line]), [['S3BucketRead', 'fail', 3], ['S3BucketReadWrite', 'fail', 23]]);
  });

  it('fails a public RDS instance and an unencrypted one, and reads "false" as false', () => {
    const { results } = scan([doc('cfn-nag/rds_instance_publicly_accessible.json'), doc('cfn-nag/db_instance_with_encryption_false_boolean.json')]);
    assert.equal(find(results, 'PublicDB', 'HTB-FX-031')?.result, 'fail');
    assert.equal(find(results, 'MyDB', 'HTB-FX-032')?.result, 'fail');
    assert.equal(find(results, 'MyDB', 'HTB-FX-031')?.result, 'pass');
  });

  it('reports the AWS sample’s SSH rule from !Ref SSHLocation as unresolvable, with the open path, not as pass or fail', () => {
    const report = scan([doc('aws-cloudformation-templates/EC2InstanceWithSecurityGroupSample.yaml')]);
    assert.deepEqual(report.problems, []);
    const r = find(report.results, 'InstanceSecurityGroup', 'HTB-FX-022');
    assert.deepEqual([r?.result, r?.line, r?.paths], ['unresolvable', 91, ['SecurityGroupIngress[0].CidrIp']]);
    assert.match(r?.message.en ?? '', /SecurityGroupIngress\[0\]\.CidrIp \(Ref SSHLocation\)/);
    assert.equal(report.counts.failing, 0);
  });

  it('reads a Terraform plan: public unencrypted database, SSH open, and values known only after apply as unresolvable', () => {
    const report = scan([doc('terraform/terragoat-tfplan-trimmed.json')]);
    const { results } = report;
    assert.deepEqual([find(results, 'aws_db_instance.default', 'HTB-FX-031')?.result, find(results, 'aws_db_instance.default', 'HTB-FX-032')?.result], ['fail', 'fail']);
    assert.deepEqual([find(results, 'aws_security_group.web-node', 'HTB-FX-022')?.result, find(results, 'aws_security_group.web-node', 'HTB-FX-022')?.line], ['fail', 114]);
    assert.deepEqual(find(results, 'aws_ebs_volume.web_host_storage', 'HTB-FX-041')?.paths, ['Encrypted']);
    assert.equal(find(results, 'aws_security_group.default', 'HTB-FX-022')?.result, 'unresolvable');
    assert.deepEqual(report.inputs, [{ file: 'templates/terraform/terragoat-tfplan-trimmed.json', kind: 'terraform-plan', resources: 4 }]);
    assert.match(report.notes[0]?.message ?? '', /aws_db_option_group\.default/);
  });

  it('names CDK resources by their construct path and finds the problems of stacks, nested stacks and Stages', () => {
    const { results, inputs } = scan(cdkDocs());
    assert.ok(inputs.every((i) => i.kind === 'cdk'));
    const failed = results.filter((r) => r.result === 'fail' && r.severity !== 'informational').map((r) => [r.name, r.control]);
    assert.deepEqual(failed, [
      ['WebStack/SiteBucket/Resource', 'HTB-S3-001'],
      ['WebStack/SiteBucket/Resource', 'HTB-FX-051'],
      ['WebStack/WebSg/Resource', 'HTB-FX-022'],
      ['Prod/DataStack/Disk/Resource', 'HTB-FX-041'],
    ]);
    assert.deepEqual(results.filter((r) => r.name === 'WebStack/Db/Database/Resource').map((r) => r.result), ['pass', 'pass']);
  });

  it('honours a Metadata suppression with its reason, and leaves a condition-dependent setting unresolvable', () => {
    const report = scan([doc('hatoba/suppressed.yaml')]);
    const suppressed = find(report.results, 'WebsiteBucket', 'HTB-S3-001');
    assert.deepEqual([suppressed?.result, suppressed?.suppressed?.reason, suppressed?.failing], ['fail', '公開ウェブサイト用のバケット（審査番号 42 で承認済み）', false]);
    assert.deepEqual(find(report.results, 'LogsBucket', 'HTB-S3-001')?.paths, ['PublicAccessBlockConfiguration.RestrictPublicBuckets']);
    assert.equal(report.counts.failing, 0);
  });

  it('makes a skip without a reason, a broken named file and a named non-template input problems; a broken file found in a folder only a note', () => {
    const report = scan([doc('hatoba/bad-suppression.yaml'), doc('hatoba/broken.yaml'), doc('hatoba/settings.json'), doc('hatoba/broken.yaml', { file: 'walked/broken.yaml', explicit: false })]);
    assert.deepEqual(report.problems.map((p) => [p.file, p.line]), [
      ['templates/hatoba/broken.yaml', 6],
      ['templates/hatoba/broken.yaml', 6],
      ['templates/hatoba/settings.json', undefined],
      ['templates/hatoba/bad-suppression.yaml', 3],
    ]);
    assert.ok(report.notes.some((n) => n.file === 'walked/broken.yaml'));
  });
});

describe('the outputs', () => {
  const all = () => {
    const files = readdirSync(join(here, 'templates'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.(json|ya?ml)$/.test(f) && !f.startsWith('cdk') && !f.includes('bad-') && !f.includes('broken') && !f.includes('settings'));
    return scan([...files.map((f) => doc(f)), ...cdkDocs()]);
  };

  it('JSON: the report parses with its own schema and keeps file, line, logicalId, type, control, severity, result, paths and message', () => {
    const report = all();
    const parsed = ScanReport.parse(JSON.parse(JSON.stringify(report)));
    assert.equal(parsed.version, 1);
    assert.equal(parsed.counts.checks, parsed.results.length);
    const r = find(parsed.results, 'InstanceSecurityGroup', 'HTB-FX-022');
    assert.deepEqual(r && { file: r.file, line: r.line, type: r.type, severity: r.severity, result: r.result, paths: r.paths }, {
      file: 'templates/aws-cloudformation-templates/EC2InstanceWithSecurityGroupSample.yaml',
      line: 91,
      type: 'AWS::EC2::SecurityGroup',
      severity: 'high',
      result: 'unresolvable',
      paths: ['SecurityGroupIngress[0].CidrIp'],
    });
    assert.throws(() => ScanReport.parse({ ...parsed, results: [{ ...parsed.results[0], result: 'maybe' }] }));
  });

  it('text: grouped by file, file:line, control, severity and title in the chosen language, notes for open values, and a summary', () => {
    const report = scan([doc('aws-cloudformation-templates/EC2InstanceWithSecurityGroupSample.yaml'), doc('cfn-nag/buckets_with_insecure_acl.json')]);
    const ja = formatText(report, { lang: 'ja' });
    assert.ok(ja.includes('templates/cfn-nag/buckets_with_insecure_acl.json'));
    assert.ok(ja.some((l) => l.includes('templates/cfn-nag/buckets_with_insecure_acl.json:23') && l.includes('HTB-S3-001') && l.includes('高') && l.includes('パブリックアクセスをすべてブロック')));
    assert.ok(ja.some((l) => l.includes('判定不能') && l.includes(':91')));
    assert.ok(ja.some((l) => l.includes('Ref SSHLocation')));
    assert.match(ja.at(-1) ?? '', /^2 ファイル、4 リソース、.*失敗/);
    const en = formatText(report, { lang: 'en' });
    assert.ok(en.some((l) => l.includes('FAIL') && l.includes('S3 buckets block all public access')));
    assert.match(en.at(-1) ?? '', /^2 file\(s\), 4 resource\(s\), \d+ check\(s\): .* — failed/);
    const mixed = scan([doc('cfn-nag/db_instance_with_encryption_false_boolean.json')]);
    assert.ok(!formatText(mixed, { lang: 'en' }).some((l) => l.includes('PASS')), 'passing checks only with verbose');
    assert.ok(formatText(mixed, { lang: 'en', verbose: true }).some((l) => l.includes('PASS') && l.includes('HTB-FX-031')));
  });

  const validate = (() => {
    // ajv-formats is CommonJS: its default export arrives as the module object under some loaders.
    const plugin: unknown = addFormatsPlugin;
    const addFormats = (typeof plugin === 'function' ? plugin : (plugin as { default: (a: Ajv) => Ajv }).default) as (a: Ajv) => Ajv;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    return ajv.compile(JSON.parse(read('sarif/sarif-schema-2.1.0.json')));
  })();

  it('SARIF: valid against the SARIF 2.1.0 schema, with rules, levels, security severities and locations', () => {
    const report = all();
    const log = formatSarif(report, controls, { lang: 'en', srcRoot: 'file:///work/repo/' });
    const ok = validate(log);
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    // The validator does refuse what the schema refuses (a driver without a name, a URI with a space).
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
    const location = { physicalLocation: { artifactLocation: { uri: 'my stack.json' } } };
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [location] }] }] }), false);
    const run = log.runs[0];
    assert.equal(run?.tool.driver.name, 'hatoba');
    const ssh = run?.tool.driver.rules?.find((r) => r.id === 'HTB-FX-022');
    assert.deepEqual([ssh?.defaultConfiguration?.level, ssh?.properties?.['security-severity'], ssh?.properties?.tags], ['error', '7.0', ['security', 'network-exposure']]);
    assert.equal(run?.tool.driver.rules?.find((r) => r.id === 'HTB-FX-031')?.properties?.['security-severity'], '9.0');
    const fail = run?.results?.find((r) => r.ruleId === 'HTB-FX-022' && r.locations?.[0]?.logicalLocations?.[0]?.name === 'sg2');
    assert.deepEqual([fail?.kind, fail?.level, fail?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, fail?.locations?.[0]?.physicalLocation?.region?.startLine], [
      'fail',
      'error',
      'templates/cfn-nag/two_security_group_two_cidr_ingress.json',
      17,
    ]);
    const open = run?.results?.find((r) => r.locations?.[0]?.logicalLocations?.[0]?.name === 'InstanceSecurityGroup');
    assert.deepEqual([open?.kind, open?.level], ['review', 'none']);
    assert.equal(run?.results?.some((r) => r.kind === 'pass'), false);
    assert.equal(run?.invocations?.[0]?.executionSuccessful, true);
  });

  it('SARIF: suppressed results carry their justification; input problems are notifications and the run is not successful', () => {
    const report = scan([doc('hatoba/suppressed.yaml'), doc('hatoba/broken.yaml')]);
    const log = formatSarif(report, controls, { lang: 'ja' });
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run = log.runs[0];
    assert.deepEqual(run?.results?.find((r) => r.suppressions !== undefined)?.suppressions, [{ kind: 'inSource', justification: '公開ウェブサイト用のバケット（審査番号 42 で承認済み）' }]);
    assert.equal(run?.invocations?.[0]?.executionSuccessful, false);
    assert.equal(run?.invocations?.[0]?.toolExecutionNotifications?.[0]?.locations?.[0]?.physicalLocation?.region?.startLine, 6);
  });

  it('SARIF: file names with spaces and Japanese characters become valid relative URIs', () => {
    const report = scan([{ ...doc('cfn-nag/rds_instance_publicly_accessible.json'), file: 'テンプレート/my stack.json' }]);
    const log = formatSarif(report, controls, { lang: 'en' });
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.equal(log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, `${encodeURIComponent('テンプレート')}/my%20stack.json`);
  });
});

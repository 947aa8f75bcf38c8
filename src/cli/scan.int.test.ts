/**
 * `hatoba scan` as CI runs it: a real `bin/hatoba.js` process, from another working folder, with
 * the exit codes 0 / 1 / 2 and the three output formats. No server is involved: scan is local.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ScanReport } from '../guardrails/scan/report.js';
import { runHatoba } from '../main/testing/processes.js';

const fixtures = fileURLToPath(new URL('../guardrails/scan/fixtures/', import.meta.url));

const hatoba = (args: string[], cwd: string) => runHatoba(args, {}, { cwd });

describe('hatoba scan, as a command', () => {
  let work: string;
  const catalog = join(fixtures, 'catalog');

  before(async () => {
    // A project folder elsewhere: the scan must not depend on running from the repository.
    work = await mkdtemp(join(tmpdir(), 'hatoba-scan-'));
    await cp(join(fixtures, 'templates'), join(work, 'infra'), { recursive: true });
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('exits 1 and prints the findings as text, grouped by file with file:line, in Japanese by default', async () => {
    const run = await hatoba(['scan', '--catalog', catalog, 'infra/cfn-nag/two_security_group_two_cidr_ingress.json'], work);
    assert.equal(run.code, 1, run.err);
    assert.match(run.out, /^infra\/cfn-nag\/two_security_group_two_cidr_ingress\.json$/m);
    assert.match(run.out, /infra\/cfn-nag\/two_security_group_two_cidr_ingress\.json:17 {2}不適合 {2}HTB-FX-022 {2}高 {2}セキュリティグループはインターネットからの SSH/);
    assert.match(run.out, /— 失敗/);
  });

  it('exits 0 when nothing fails at or above the threshold, and says so in English with --lang en', async () => {
    const run = await hatoba(['scan', '--catalog', catalog, '--lang', 'en', '--severity-threshold', 'critical', 'infra/cfn-nag/two_security_group_two_cidr_ingress.json'], work);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /FAIL {2}HTB-FX-022 {2}high/);
    assert.match(run.out, /— passed$/m);
  });

  it('prints a JSON report that parses with the report schema, covering a CDK assembly and a Terraform plan', async () => {
    const run = await hatoba(['scan', '--catalog', catalog, '--format', 'json', 'infra/cdk', 'infra/terraform'], work);
    assert.equal(run.code, 1, run.err);
    const report = ScanReport.parse(JSON.parse(run.out));
    assert.deepEqual(report.inputs.map((i) => [i.file, i.kind]), [
      ['infra/cdk/cdk.out/WebStack.template.json', 'cdk'],
      ['infra/cdk/cdk.out/WebStackDb1F2C7A3B.nested.template.json', 'cdk'],
      ['infra/cdk/cdk.out/assembly-Prod/ProdDataStack8C7B9E1D.template.json', 'cdk'],
      ['infra/terraform/terragoat-tfplan-trimmed.json', 'terraform-plan'],
    ]);
    assert.ok(report.results.some((r) => r.name === 'WebStack/WebSg/Resource' && r.control === 'HTB-FX-022' && r.result === 'fail'));
    assert.match(run.err, /aws_db_option_group\.default/);
  });

  it('writes SARIF to --output with locations relative to the working folder', async () => {
    const run = await hatoba(['scan', '--catalog', catalog, '--format', 'sarif', '--output', 'scan.sarif', 'infra/aws-cloudformation-templates'], work);
    assert.equal(run.code, 0, run.err);
    assert.equal(run.out, '');
    const log = JSON.parse(await readFile(join(work, 'scan.sarif'), 'utf8'));
    const run0 = log.runs[0];
    assert.equal(run0.tool.driver.name, 'hatoba');
    assert.equal(run0.originalUriBaseIds['%SRCROOT%'].uri, `${pathToFileURL(work).href}/`);
    assert.deepEqual(run0.results.map((r: { kind: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }) => [r.kind, r.locations[0]?.physicalLocation.artifactLocation.uri, r.locations[0]?.physicalLocation.region.startLine]), [
      ['review', 'infra/aws-cloudformation-templates/EC2InstanceWithSecurityGroupSample.yaml', 91],
    ]);
  });

  it('exits 2 for a file that does not parse, an unknown control, and a path that does not exist', async () => {
    const broken = await hatoba(['scan', '--catalog', catalog, 'infra/hatoba/broken.yaml'], work);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /^infra\/hatoba\/broken\.yaml:6: /m);
    const unknown = await hatoba(['scan', '--catalog', catalog, '--controls', 'HTB-NOPE-001', 'infra'], work);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /not in the catalog: HTB-NOPE-001/);
    const missing = await hatoba(['scan', '--catalog', catalog, 'nowhere.yaml'], work);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nowhere\.yaml: cannot read: no such file or folder/);
  });

  it('uses the catalog next to the installation when --catalog is not given', async () => {
    const run = await hatoba(['scan', '--format', 'json', 'infra/cfn-nag/buckets_with_insecure_acl.json'], work);
    assert.equal(run.code, 1, run.err);
    assert.ok(ScanReport.parse(JSON.parse(run.out)).results.some((r) => r.control === 'HTB-S3-001' && r.result === 'fail'));
  });

  it('documents the exit codes in its help', async () => {
    const run = await hatoba(['scan', '--help'], work);
    assert.equal(run.code, 0);
    assert.match(run.out, /Exit codes:\n {2}0 {2}no failing result/);
    assert.match(run.out, /--severity-threshold/);
  });
});

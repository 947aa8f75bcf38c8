import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileControls } from '../catalog/compiled.js';
import type { Control } from '../catalog/schema.js';
import type { ScannedResource } from './inputs.js';
import { countResults, exitCodeOf, isFailing } from './report.js';
import { describeOpen, scanResources, selectControls, valueAt } from './scan.js';

const control = (id: string, severity: Control['severity'], type: string, expression: string, pass: Record<string, unknown>, fail: Record<string, unknown>): Control => ({
  id,
  title: { ja: `${id} の題`, en: `${id} title` },
  description: { ja: '説明', en: 'description' },
  objectives: ['encryption'],
  services: ['ec2'],
  resourceTypes: [type],
  severity,
  implementations: { rule: { expression, examples: { pass: [pass], fail: [fail] } } },
});

const compiled = compileControls([
  control('HTB-T-001', 'high', 'AWS::EC2::Volume', 'has(resource.Encrypted) && resource.Encrypted == true', { Encrypted: true }, {}),
  control('HTB-T-002', 'low', 'AWS::EC2::Volume', "has(resource.VolumeType) && resource.VolumeType == 'gp3'", { VolumeType: 'gp3' }, {}),
  control('HTB-T-003', 'critical', 'AWS::RDS::DBInstance', '!has(resource.PubliclyAccessible) || resource.PubliclyAccessible == false', {}, { PubliclyAccessible: true }),
]);
assert.deepEqual(compiled.issues, []);
const controls = compiled.controls;
const knownIds = new Set(controls.map((c) => c.id));

const resource = (logicalId: string, type: string, properties: Record<string, unknown>, metadata: Record<string, unknown> = {}): ScannedResource => ({
  logicalId,
  type,
  properties,
  file: 't.yaml',
  line: 3,
  source: 'cloudformation',
  metadata,
});

const settings = { severityThreshold: 'low' as const, strict: false, knownIds };

describe('scanning resources against the controls', () => {
  it('runs every control of the resource type, and only those', () => {
    const { results } = scanResources([resource('Disk', 'AWS::EC2::Volume', { Encrypted: false, VolumeType: 'gp3' }), resource('Topic', 'AWS::SNS::Topic', {})], controls, settings);
    assert.deepEqual(results.map((r) => [r.logicalId, r.control, r.result]), [['Disk', 'HTB-T-001', 'fail'], ['Disk', 'HTB-T-002', 'pass']]);
    assert.equal(results[0]?.failing, true);
    assert.equal(results[0]?.line, 3);
    assert.equal(results[0]?.message.en, 'Disk does not comply: HTB-T-001 title');
  });

  it('reports a value left open by a Ref as unresolvable, naming the path and the parameter, never as pass or fail', () => {
    const { results } = scanResources([resource('Disk', 'AWS::EC2::Volume', { Encrypted: { Ref: 'EncryptDisks' }, VolumeType: 'gp3' })], controls, settings);
    const r = results.find((x) => x.control === 'HTB-T-001');
    assert.equal(r?.result, 'unresolvable');
    assert.deepEqual(r?.paths, ['Encrypted']);
    assert.match(r?.message.en ?? '', /not guessed: Encrypted \(Ref EncryptDisks\)/);
    assert.match(r?.message.ja ?? '', /Encrypted（Ref EncryptDisks）/);
    assert.equal(r?.failing, false);
  });

  it('fails the build for unresolvable results only under --strict', () => {
    const { results } = scanResources([resource('Disk', 'AWS::EC2::Volume', { Encrypted: { Ref: 'P' }, VolumeType: 'gp3' })], controls, { ...settings, strict: true });
    assert.equal(results.find((x) => x.control === 'HTB-T-001')?.failing, true);
  });

  it('counts a failure below the severity threshold, but it does not fail the build', () => {
    const { results } = scanResources([resource('Disk', 'AWS::EC2::Volume', { Encrypted: true })], controls, { ...settings, severityThreshold: 'medium' });
    const low = results.find((x) => x.control === 'HTB-T-002');
    assert.equal(low?.result, 'fail');
    assert.equal(low?.failing, false);
    const report = { problems: [], counts: countResults(results, 1, 1) };
    assert.equal(report.counts.fail, 1);
    assert.equal(exitCodeOf(report), 0);
  });

  it('marks a failure suppressed in Metadata with its reason, and does not fail the build for it', () => {
    const meta = { hatoba: { skip: [{ id: 'HTB-T-003', reason: 'a read replica for the public API, approved' }] } };
    const { results, issues } = scanResources([resource('Db', 'AWS::RDS::DBInstance', { PubliclyAccessible: true }, meta)], controls, settings);
    assert.deepEqual(issues, []);
    assert.deepEqual(results[0]?.suppressed, { reason: 'a read replica for the public API, approved' });
    assert.equal(results[0]?.result, 'fail');
    assert.equal(results[0]?.failing, false);
  });

  it('refuses a suppression without a reason as an input error at the resource’s line, and does not suppress', () => {
    const meta = { hatoba: { skip: [{ id: 'HTB-T-003' }, { id: 'HTB-T-003', reason: '  ' }] } };
    const { results, issues } = scanResources([resource('Db', 'AWS::RDS::DBInstance', { PubliclyAccessible: true }, meta)], controls, settings);
    assert.deepEqual(issues.map((i) => [i.path, i.message]), [
      [['t.yaml', 3], 'Db: Metadata.hatoba.skip[0].reason: a skip needs a reason'],
      [['t.yaml', 3], 'Db: Metadata.hatoba.skip[1].reason: a skip needs a reason'],
    ]);
    assert.equal(results[0]?.suppressed, undefined);
    assert.equal(results[0]?.failing, true);
  });

  it('notes a suppression of a control the catalog does not have', () => {
    const meta = { hatoba: { skip: [{ id: 'HTB-T-999', reason: 'old id' }] } };
    const { notes } = scanResources([resource('Db', 'AWS::RDS::DBInstance', {}, meta)], controls, settings);
    assert.match(notes[0]?.message ?? '', /HTB-T-999, which is not in the catalog/);
  });

  it('reports a rule that cannot judge a resource as an error, with the rule’s message', () => {
    const broken = compileControls([control('HTB-T-004', 'medium', 'AWS::EC2::Volume', "resource.Tags.exists(t, t.Key == 'owner')", { Tags: [{ Key: 'owner' }] }, { Tags: [] })]);
    const { results: errors } = scanResources([resource('Disk', 'AWS::EC2::Volume', { Tags: 'owner' })], broken.controls, settings);
    assert.equal(errors[0]?.result, 'error');
    assert.match(errors[0]?.message.en ?? '', /could not be evaluated on Disk/);
  });
});

describe('choosing controls', () => {
  it('keeps only --controls, drops --skip, and returns ids that are not in the catalog', () => {
    assert.deepEqual(selectControls(controls, { controls: ['HTB-T-001', 'HTB-T-003'], skip: ['HTB-T-003'] }).controls.map((c) => c.id), ['HTB-T-001']);
    assert.deepEqual(selectControls(controls, { skip: ['HTB-T-002'] }).controls.map((c) => c.id), ['HTB-T-001', 'HTB-T-003']);
    assert.deepEqual(selectControls(controls, { controls: ['HTB-T-001', 'HTB-X-001'], skip: ['nope'] }).unknown, ['HTB-X-001', 'nope']);
  });
});

describe('the exit code', () => {
  it('is 2 for input problems even with failing results, 1 for failing results, 0 otherwise', () => {
    const counts = { files: 1, resources: 1, checks: 1, pass: 0, fail: 1, unresolvable: 0, error: 0, suppressed: 0, failing: 1 };
    assert.equal(exitCodeOf({ problems: [{ file: 'x', message: 'broken' }], counts }), 2);
    assert.equal(exitCodeOf({ problems: [], counts }), 1);
    assert.equal(exitCodeOf({ problems: [], counts: { ...counts, failing: 0 } }), 0);
  });

  it('counts informational findings only when the threshold is informational', () => {
    const finding = { result: 'fail' as const, severity: 'informational' as const };
    assert.equal(isFailing(finding, { severityThreshold: 'low', strict: false }), false);
    assert.equal(isFailing(finding, { severityThreshold: 'informational', strict: false }), true);
  });
});

describe('describing open values', () => {
  it('finds the value at a path the rule engine reports', () => {
    assert.deepEqual(valueAt({ A: [{ B: { Ref: 'X' } }] }, 'A[0].B'), { Ref: 'X' });
    assert.equal(valueAt({ A: [] }, 'A[3].B'), undefined);
  });

  it('names parameters, attributes, conditions and Terraform’s unknowns', () => {
    assert.equal(describeOpen({ Ref: 'SSHLocation' }).en, 'Ref SSHLocation');
    assert.equal(describeOpen({ 'Fn::GetAtt': ['Role', 'Arn'] }).en, 'Fn::GetAtt Role.Arn');
    assert.equal(describeOpen({ 'Fn::If': ['IsProd', true, false] }).en, 'Fn::If IsProd');
    assert.equal(describeOpen({ 'Fn::TerraformUnknown': 'encrypted' }).en, 'known only after apply: encrypted');
    assert.equal(describeOpen({ 'Fn::Sub': '${A}' }).en, 'Fn::Sub');
  });
});

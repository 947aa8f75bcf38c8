import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileControls } from '../catalog/compiled.js';
import type { Control } from '../catalog/schema.js';
import { buildAccountDocument, documentTypes } from './account-document.js';
import { createDetectiveEvaluator, type LiveResource } from './evaluator.js';
import { findingId, resourceKey } from './identity.js';

const text = (en: string) => ({ ja: en, en });
const control = (id: string, resourceTypes: string[], expression: string, pass: Record<string, unknown>, fail: Record<string, unknown>, severity: Control['severity'] = 'high'): Control => ({
  id,
  title: text(id),
  description: text(id),
  objectives: ['encryption'],
  services: ['ec2'],
  resourceTypes,
  severity,
  implementations: { rule: { expression, examples: { pass: [pass], fail: [fail] } } },
});

const { controls, issues } = compileControls([
  control('HTB-EBS-001', ['AWS::EC2::Volume'], 'has(resource.Encrypted) && resource.Encrypted == true', { Encrypted: true }, {}),
  control(
    'HTB-EC2-001',
    ['AWS::EC2::SecurityGroup'],
    "!has(resource.SecurityGroupIngress) || resource.SecurityGroupIngress.all(r, !(has(r.CidrIp) && r.CidrIp == '0.0.0.0/0' && r.FromPort <= 22.0 && r.ToPort >= 22.0))",
    {},
    { SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', FromPort: 22, ToPort: 22 }] },
    'critical',
  ),
  control(
    'HTB-GD-001',
    ['Hatoba::Account'],
    "resource.Resources['AWS::GuardDuty::Detector'].exists(d, d.Enable == true)",
    { Resources: { 'AWS::GuardDuty::Detector': [{ Enable: true }] } },
    { Resources: { 'AWS::GuardDuty::Detector': [] } },
  ),
  control('HTB-RDS-001', ['AWS::RDS::DBInstance'], 'resource.StorageEncrypted == true', { StorageEncrypted: true }, { StorageEncrypted: false }, 'medium'),
]);
assert.deepEqual(issues, []);
const evaluator = createDetectiveEvaluator(controls);

const ACCOUNT = '123456789012';
const resources: LiveResource[] = [
  { region: 'ap-northeast-1', type: 'AWS::EC2::Volume', identifier: 'vol-1', properties: { Encrypted: false } },
  { region: 'ap-northeast-1', type: 'AWS::EC2::Volume', identifier: 'vol-2', properties: { Encrypted: true } },
  { region: 'ap-northeast-1', type: 'AWS::EC2::SecurityGroup', identifier: 'sg-1', arn: 'arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-1', properties: { SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', FromPort: 22, ToPort: 22 }] } },
  { region: 'ap-northeast-1', type: 'AWS::S3::Bucket', identifier: 'logs', properties: {} },
  { region: 'ap-northeast-1', type: 'AWS::RDS::DBInstance', identifier: 'db-1', properties: {} },
];

describe('the detective evaluator', () => {
  it('judges every resource against the controls of its type and the account document against the account-level ones', () => {
    const results = evaluator.evaluateAccount(ACCOUNT, resources);
    const summary = results.map((r) => `${r.controlId} ${r.resourceId} ${r.result}`).sort();
    assert.deepEqual(summary, [
      'HTB-EBS-001 vol-1 fail',
      'HTB-EBS-001 vol-2 pass',
      'HTB-EC2-001 sg-1 fail',
      `HTB-GD-001 ${ACCOUNT} fail`,
      'HTB-RDS-001 db-1 error',
    ]);
  });

  it('fails an account without a GuardDuty detector and passes one with an enabled detector', () => {
    const without = evaluator.evaluateAccount(ACCOUNT, []);
    assert.deepEqual(without.map((r) => [r.controlId, r.resourceType, r.region, r.result]), [['HTB-GD-001', 'Hatoba::Account', 'global', 'fail']]);
    const withDetector = evaluator.evaluateAccount(ACCOUNT, [{ region: 'ap-northeast-1', type: 'AWS::GuardDuty::Detector', identifier: 'd-1', properties: { Enable: true } }]);
    assert.deepEqual(withDetector.map((r) => r.result), ['pass']);
  });

  it('carries severity, ARN and an error message on the results', () => {
    const results = evaluator.evaluateAccount(ACCOUNT, resources);
    const sg = results.find((r) => r.resourceId === 'sg-1');
    assert.equal(sg?.severity, 'critical');
    assert.equal(sg?.resourceArn, 'arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-1');
    const db = results.find((r) => r.resourceId === 'db-1');
    assert.equal(db?.result, 'error');
    assert.match(db?.message ?? '', /StorageEncrypted/);
  });

  it('gives a check the same finding id on every evaluation, different per control, resource, region and account', () => {
    const first = evaluator.evaluateAccount(ACCOUNT, resources);
    const second = evaluator.evaluateAccount(ACCOUNT, structuredClone(resources));
    assert.deepEqual(first.map((r) => r.id), second.map((r) => r.id));
    const vol = first.find((r) => r.resourceId === 'vol-1');
    assert.equal(vol?.id, findingId('HTB-EBS-001', { accountId: ACCOUNT, region: 'ap-northeast-1', type: 'AWS::EC2::Volume', identifier: 'vol-1' }));
    assert.match(vol?.id ?? '', /^HTB-EBS-001\.[0-9a-f]{24}$/);
    const ids = new Set([
      findingId('HTB-EBS-001', { accountId: ACCOUNT, region: 'ap-northeast-1', type: 'AWS::EC2::Volume', identifier: 'vol-1' }),
      findingId('HTB-EBS-002', { accountId: ACCOUNT, region: 'ap-northeast-1', type: 'AWS::EC2::Volume', identifier: 'vol-1' }),
      findingId('HTB-EBS-001', { accountId: ACCOUNT, region: 'ap-northeast-3', type: 'AWS::EC2::Volume', identifier: 'vol-1' }),
      findingId('HTB-EBS-001', { accountId: '210987654321', region: 'ap-northeast-1', type: 'AWS::EC2::Volume', identifier: 'vol-1' }),
      findingId('HTB-EBS-001', { accountId: ACCOUNT, region: 'ap-northeast-1', type: 'AWS::EC2::Volume', identifier: 'vol-2' }),
    ]);
    assert.equal(ids.size, 5);
  });

  it('evaluates only the changed resources, and always the account document, when given their keys', () => {
    const only = new Set([resourceKey({ accountId: ACCOUNT, region: 'ap-northeast-1', type: 'AWS::EC2::Volume', identifier: 'vol-2' })]);
    const results = evaluator.evaluateAccount(ACCOUNT, resources, only);
    assert.deepEqual(results.map((r) => `${r.controlId} ${r.resourceId}`), ['HTB-EBS-001 vol-2', `HTB-GD-001 ${ACCOUNT}`]);
  });
});

describe('the account document', () => {
  it('lists every type a control names, including types quoted in account-level rules, with an empty list when absent', () => {
    assert.deepEqual(evaluator.documentTypes, ['AWS::EC2::SecurityGroup', 'AWS::EC2::Volume', 'AWS::GuardDuty::Detector', 'AWS::RDS::DBInstance']);
    assert.deepEqual(documentTypes(controls), evaluator.documentTypes);
    const document = buildAccountDocument(ACCOUNT, [{ type: 'AWS::EC2::Volume', properties: { Encrypted: true } }, { type: 'AWS::SNS::Topic', properties: {} }], evaluator.documentTypes);
    assert.deepEqual(document, {
      AccountId: ACCOUNT,
      Resources: {
        'AWS::EC2::SecurityGroup': [],
        'AWS::EC2::Volume': [{ Encrypted: true }],
        'AWS::GuardDuty::Detector': [],
        'AWS::RDS::DBInstance': [],
        'AWS::SNS::Topic': [{}],
      },
    });
  });
});

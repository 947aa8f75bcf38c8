import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../domain/errors.js';
import type { Control } from '../catalog/schema.js';
import { generatePolicies, sidPrefix, type GenerateInput } from './generate.js';
import { POLICY_SIZE_LIMIT } from './lint.js';
import type { OrganizationPolicyKind, PolicyStatement } from './policy-schema.js';
import { fakeVocabulary } from './fixtures/vocabulary.js';

const vocabulary = fakeVocabulary();
const target = { id: 'ou-ab12-34567890', name: 'Production' };

const control = (id: string, statements: PolicyStatement[], kind: OrganizationPolicyKind = 'SCP'): Control => ({
  id,
  title: { ja: 'テスト', en: 'Test' },
  description: { ja: 'テスト', en: 'Test' },
  objectives: ['governance'],
  services: ['s3'],
  resourceTypes: [],
  severity: 'high',
  implementations: { preventive: { kind, statements } },
});

/** A control whose one statement is exactly `bytes` long once generated (its Sid prefixed). */
const sized = (id: string, bytes: number): Control => {
  const statement = (pad: number): PolicyStatement => ({ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: `arn:aws:s3:::${'b'.repeat(pad)}` });
  const base = JSON.stringify({ Sid: `${sidPrefix(id)}S1`, ...statement(1) }).length;
  return control(id, [statement(1 + bytes - base)]);
};

const generate = (controls: Control[], extra: Partial<GenerateInput> = {}) => generatePolicies({ target, kind: 'SCP', controls, vocabulary, ...extra });

const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  assert.fail('expected the generation to be refused');
};

const leave = control('HTB-ORG-001', [{ Sid: 'DenyLeave', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }]);
const regions = control('HTB-GOV-001', [
  { Effect: 'Deny', NotAction: ['iam:*', 'organizations:*', 'sts:*', 'support:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['ap-northeast-1', 'ap-northeast-3'] } } },
]);
const purchases = control('HTB-COST-001', [
  { Effect: 'Deny', Action: ['ec2:PurchaseReservedInstancesOffering', 'savingsplans:CreateSavingsPlan', 'shield:CreateSubscription'], Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*-Admin' } } },
]);

describe('preventive policy generation', () => {
  it('puts small controls in one minified SCP with Sids that name their control', () => {
    const { policies, freeSlots } = generate([regions, leave, purchases]);
    assert.equal(freeSlots, 4);
    assert.equal(policies.length, 1);
    const [p] = policies;
    assert.equal(p!.name, 'hatoba-ou-ab12-34567890-scp-1');
    assert.deepEqual(p!.controlIds, ['HTB-COST-001', 'HTB-GOV-001', 'HTB-ORG-001']);
    assert.deepEqual(p!.statementControls, ['HTB-COST-001', 'HTB-GOV-001', 'HTB-ORG-001']);
    assert.deepEqual(Array.isArray(p!.document.Statement) ? p!.document.Statement.map((s) => s.Sid) : [], ['HTBCOST001S1', 'HTBGOV001S1', 'HTBORG001DenyLeave']);
    assert.equal(p!.content, JSON.stringify(p!.document));
    assert.equal(p!.size, p!.content.length);
    assert.doesNotMatch(p!.content, /\s/);
    assert.match(p!.description, /Production.*HTB-COST-001 HTB-GOV-001 HTB-ORG-001/);
    assert.deepEqual(p!.lint, []);
  });

  it('packs controls into the fewest documents under 5,120 characters, largest first', () => {
    // In the given order, first fit would need three policies (1,500 + 1,500, then 3,500, then 3,500).
    const controls = [sized('HTB-T-001', 1500), sized('HTB-T-002', 1500), sized('HTB-T-003', 3500), sized('HTB-T-004', 3500)];
    const { policies } = generate(controls);
    assert.deepEqual(policies.map((p) => p.controlIds), [['HTB-T-001', 'HTB-T-003'], ['HTB-T-002', 'HTB-T-004']]);
    assert.deepEqual(policies.map((p) => p.name), ['hatoba-ou-ab12-34567890-scp-1', 'hatoba-ou-ab12-34567890-scp-2']);
    for (const p of policies) assert.ok(p.size <= POLICY_SIZE_LIMIT && p.size === p.content.length, `${p.name}: ${p.size}`);
  });

  it('packs many controls so that no policy could be dropped', () => {
    const controls = Array.from({ length: 20 }, (_, i) => sized(`HTB-T-${String(i).padStart(3, '0')}`, 300 + ((i * 97) % 700)));
    const { policies } = generate(controls);
    const total = policies.reduce((n, p) => n + p.size, 0);
    assert.equal(policies.length, Math.ceil(total / POLICY_SIZE_LIMIT));
    assert.deepEqual(policies.flatMap((p) => p.controlIds).sort(), controls.map((c) => c.id).sort());
  });

  it('gives byte-identical documents for the same controls in any order and any key order', () => {
    const reordered = control('HTB-GOV-001', [
      { Condition: { StringNotEquals: { 'aws:RequestedRegion': ['ap-northeast-1', 'ap-northeast-3'] } }, Resource: '*', NotAction: ['iam:*', 'organizations:*', 'sts:*', 'support:*'], Effect: 'Deny' },
    ]);
    const first = generate([regions, leave, purchases]).policies.map((p) => p.content);
    assert.deepEqual(generate([regions, leave, purchases]).policies.map((p) => p.content), first);
    assert.deepEqual(generate([purchases, reordered, leave]).policies.map((p) => p.content), first);
  });

  it('refuses when the policies need more slots than the target has free, naming the controls that did not fit', () => {
    const controls = [sized('HTB-T-001', 3000), sized('HTB-T-002', 3000), sized('HTB-T-003', 3000)];
    assert.equal(generate(controls, { attachedCount: 2 }).policies.length, 3);
    const error = refusal(() => generate(controls, { attachedCount: 3 }));
    assert.equal(error.code, 'validation_failed');
    assert.match(error.message, /need 3 SCPs, but Production has 2 free of 5 \(3 attached already\).*HTB-T-003/);
    assert.deepEqual(error.issues.map((i) => i.path), [['controls', 'HTB-T-003']]);
  });

  it('refuses every control whose statements alone exceed the limit, by name', () => {
    const error = refusal(() => generate([sized('HTB-T-001', 5100), leave, sized('HTB-T-002', 6000)]));
    assert.deepEqual(error.issues.map((i) => i.path), [['controls', 'HTB-T-001'], ['controls', 'HTB-T-002']]);
    assert.match(error.issues[0]!.message, /HTB-T-001 alone are \d+ characters/);
  });

  it('lints every generated document and points an error back into the control it came from', () => {
    const typo = control('HTB-S3-009', [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }, { Effect: 'Deny', Action: ['s3:DeleteBucket', 's3:GetObjekt'], Resource: '*' }]);
    const error = refusal(() => generate([leave, typo]));
    assert.deepEqual(error.issues.map((i) => i.path), [['controls', 'HTB-S3-009', 'implementations', 'preventive', 'statements', 1, 'Action', 1]]);
    assert.match(error.issues[0]!.message, /hatoba-ou-ab12-34567890-scp-1: "s3:GetObjekt" matches no action/);
  });

  it('keeps lint warnings with the policy they concern', () => {
    const { policies } = generate([control('HTB-S3-010', [{ Effect: 'Deny', Action: 's3:DeleteBucket' }])]);
    assert.deepEqual(policies[0]!.lint.map((i) => [i.code, i.path]), [['resource_missing', ['Statement', 0]]]);
  });

  it('takes only the controls of the kind asked for, and makes RCPs with their own names', () => {
    const tls = control('HTB-S3-011', [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } }], 'RCP');
    const rule: Control = { ...leave, id: 'HTB-S3-012', implementations: { rule: { expression: 'true', examples: { pass: [{}], fail: [{}] } } } };
    const rcps = generate([leave, tls, rule], { kind: 'RCP' });
    assert.deepEqual(rcps.policies.map((p) => [p.name, p.controlIds]), [['hatoba-ou-ab12-34567890-rcp-1', ['HTB-S3-011']]]);
    assert.deepEqual(generate([leave, tls, rule]).policies.map((p) => p.controlIds), [['HTB-ORG-001']]);
    assert.deepEqual(generate([rule]).policies, []);
  });

  it('refuses a control selected twice', () => {
    assert.deepEqual(refusal(() => generate([leave, leave])).issues.map((i) => i.path), [['controls', 'HTB-ORG-001']]);
  });
});

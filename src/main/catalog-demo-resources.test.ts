import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readControls } from './catalog.js';
import { DEMO_PROBLEMS, demoResources } from '../app/posture/demo-resources.js';
import { ACCOUNT_DOCUMENT_TYPE, buildAccountDocument, documentTypes } from '../guardrails/detective/account-document.js';

// The demo's resources judged by the shipped catalog, as the detective evaluator would: each resource
// on its own and the account document built from all of them. The demo is meant to show exactly its
// deliberate problems, so a rule that reads a property the demo does not give shows up here.
const controls = await readControls('catalog');
const types = documentTypes(controls);

function failing(accountId: string, position: number): string[] {
  const resources = demoResources(accountId, position);
  const document = buildAccountDocument(accountId, resources.map((r) => ({ type: r.typeName, properties: r.properties })), types);
  const judged = [
    ...resources.map((r) => ({ type: r.typeName, identifier: r.identifier, properties: r.properties })),
    { type: ACCOUNT_DOCUMENT_TYPE, identifier: 'account', properties: { AccountId: document.AccountId, Resources: document.Resources } },
  ];
  const problems: string[] = [];
  for (const resource of judged) {
    for (const control of controls) {
      if (control.rule === undefined || !control.resourceTypes.includes(resource.type)) continue;
      const outcome = control.rule.evaluate({ type: resource.type, properties: resource.properties });
      if (outcome.result !== 'pass') problems.push(`${control.id} ${outcome.result}`);
    }
  }
  return problems.sort();
}

describe('the demo resources under the shipped catalog', () => {
  it('fail exactly the deliberate problems of each demo account, and nothing else', () => {
    const expected: Record<string, string[]> = {
      'open-ssh': ['HTB-VPC-001 fail', 'HTB-VPC-004 fail', 'HTB-VPC-005 fail'],
      'root-without-mfa': ['HTB-IAM-001 fail'],
      'unencrypted-volume': ['HTB-EC2-001 fail'],
      'public-bucket': ['HTB-S3-001 fail'],
      'no-guardduty': ['HTB-GD-001 fail'],
    };
    DEMO_PROBLEMS.forEach((problems, position) => {
      const accountId = `11112222333${position}`;
      assert.deepEqual(failing(accountId, position), problems.flatMap((p) => expected[p] ?? []).sort(), problems.join(', '));
    });
  });

  it('covers the demo VPC with its flow log only while the flow log names the VPC', () => {
    const accountId = '111122223339';
    const resources = demoResources(accountId, 1).map((r) => ({ type: r.typeName, properties: r.typeName === 'AWS::EC2::FlowLog' ? { ...r.properties, ResourceId: 'vpc-elsewhere' } : r.properties }));
    const document = buildAccountDocument(accountId, resources, types);
    const rule = controls.find((c) => c.id === 'HTB-VPC-009')?.rule;
    assert.equal(rule?.evaluate({ type: ACCOUNT_DOCUMENT_TYPE, properties: { AccountId: document.AccountId, Resources: document.Resources } }).result, 'fail');
  });
});

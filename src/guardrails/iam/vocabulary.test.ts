import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { vocabularyFrom, wildcardRegExp } from './vocabulary.js';

const vocabulary = vocabularyFrom({
  services: new Map([
    ['s3', { actions: ['GetObject', 'GetObjectTagging', 'PutObject'], conditionKeys: ['aws:RequestTag/${TagKey}', 's3:ExistingObjectTag/<key>', 's3:prefix'] }],
    ['sts', { actions: ['AssumeRole'], conditionKeys: ['saml:aud', 's3:prefix'] }],
    ['kms', { actions: ['Decrypt'], conditionKeys: ['kms:EncryptionContext:${EncryptionContextKey}'] }],
  ]),
  globalConditionKeys: ['aws:PrincipalArn', 'aws:PrincipalTag/tag-key'],
  rcpServices: ['s3'],
});

describe('the IAM vocabulary lookups', () => {
  it('matches action patterns with * and ? without regard to case', () => {
    assert.deepEqual(vocabulary.actionsMatching('s3', 'Get*'), ['GetObject', 'GetObjectTagging']);
    assert.deepEqual(vocabulary.actionsMatching('S3', 'getobjec?'), ['GetObject']);
    assert.deepEqual(vocabulary.actionsMatching('s3', 'Get.Object'), []);
    assert.deepEqual(vocabulary.actionsMatching('s4', '*'), []);
    assert.deepEqual(vocabulary.servicesMatching('s*'), ['s3', 'sts']);
    assert.ok(wildcardRegExp('ec2:*Instances').test('EC2:RunInstances'));
  });

  it('gives the variable part of a documented key any value, and nothing else', () => {
    assert.deepEqual(vocabulary.conditionKey('s3:ExistingObjectTag/owner'), { global: false, services: ['s3'] });
    assert.equal(vocabulary.conditionKey('s3:ExistingObjectTag/'), undefined);
    assert.deepEqual(vocabulary.conditionKey('kms:EncryptionContext:department'), { global: false, services: ['kms'] });
    assert.deepEqual(vocabulary.conditionKey('aws:PrincipalTag/team'), { global: true, services: [] });
    assert.deepEqual(vocabulary.conditionKey('aws:RequestTag/team'), { global: true, services: ['s3'] });
    assert.equal(vocabulary.conditionKey('aws:PrincipalTag'), undefined);
  });

  it('names every service that lists a key, and finds keys without regard to case', () => {
    assert.deepEqual(vocabulary.conditionKey('S3:Prefix'), { global: false, services: ['s3', 'sts'] });
    assert.deepEqual(vocabulary.conditionKey('saml:aud'), { global: false, services: ['sts'] });
    assert.deepEqual(vocabulary.conditionKey('aws:principalarn'), { global: true, services: [] });
  });

  it('knows the services of resource control policies', () => {
    assert.equal(vocabulary.supportsRcp('S3'), true);
    assert.equal(vocabulary.supportsRcp('kms'), false);
  });
});

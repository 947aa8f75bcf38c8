import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CloudDriver, ResourceChange } from '../../app/ports/cloud.js';
import { collect, createAccountNow, rejectsWith, unique, withHarness, type MakeHarness } from './harness.js';

/** Reads the change feed to its end and returns the cursor there, so a test sees only its own changes. */
async function feedEnd(driver: CloudDriver): Promise<string | undefined> {
  let cursor: string | undefined;
  for (;;) {
    const read = await driver.readResourceChanges(cursor, 1_000);
    cursor = read.cursor;
    if (read.changes.length === 0) return cursor;
  }
}

async function changesAfter(driver: CloudDriver, cursor: string | undefined, accountId: string): Promise<ResourceChange[]> {
  const all: ResourceChange[] = [];
  for (;;) {
    const read = await driver.readResourceChanges(cursor, 2);
    all.push(...read.changes);
    if (read.changes.length === 0) return all.filter((c) => c.accountId === accountId);
    assert.ok(read.changes.length <= 2, 'a read returns at most `limit` changes');
    cursor = read.cursor;
  }
}

const bucket = (name: string, properties: Record<string, unknown> = {}) => ({
  typeName: 'AWS::S3::Bucket',
  identifier: name,
  arn: `arn:aws:s3:::${name}`,
  properties: { BucketName: name, ...properties },
});

/** Resources in Cloud Control's shape and their change feed (what the detective guardrails read). */
export function describeResourcesContract(make: MakeHarness): void {
  describe('resources', () => {
    it(
      'stores a resource in CloudFormation shape and gives it back by identifier and in lists',
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'res');
        const name = unique('logs');
        const put = await h.driver.putResource({ accountId, region: 'ap-northeast-1', ...bucket(name, { VersioningConfiguration: { Status: 'Enabled' } }) });
        assert.equal(put.identifier, name);
        const got = await h.driver.getResource({ accountId, region: 'ap-northeast-1', typeName: 'AWS::S3::Bucket', identifier: name });
        assert.deepEqual(got.properties, { BucketName: name, VersioningConfiguration: { Status: 'Enabled' } });
        assert.equal(got.arn, `arn:aws:s3:::${name}`);
        assert.equal(got.region, 'ap-northeast-1');
        await h.driver.putResource({ accountId, typeName: 'AWS::EC2::Volume', identifier: 'vol-0123456789abcdef0', properties: { Encrypted: false, Size: 8 } });
        const buckets = await collect((t) => h.driver.listResources(accountId, { typeName: 'AWS::S3::Bucket' }, t));
        assert.deepEqual(buckets.items.map((r) => r.identifier), [name]);
        const all = await collect((t) => h.driver.listResources(accountId, {}, t));
        assert.deepEqual(all.items.map((r) => r.typeName).sort(), ['AWS::EC2::Volume', 'AWS::S3::Bucket']);
      }),
    );

    it(
      "puts IAM resources in the 'global' region when no region is given",
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'iam');
        const user = await h.driver.putResource({ accountId, typeName: 'AWS::IAM::User', identifier: 'alice', properties: { UserName: 'alice' } });
        assert.equal(user.region, 'global');
        const root = await h.driver.putResource({ accountId, typeName: 'Hatoba::IAM::RootUser', identifier: `arn:aws:iam::${accountId}:root`, properties: { MfaEnabled: true, AccessKeysPresent: false } });
        assert.equal(root.region, 'global');
        assert.equal((await h.driver.getResource({ accountId, typeName: 'AWS::IAM::User', identifier: 'alice' })).identifier, 'alice');
      }),
    );

    it(
      'pages through the resources of an account without losing or repeating one',
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'paged-res');
        const ids = Array.from({ length: 7 }, (_, i) => `sg-0000000000000000${i}`);
        for (const id of ids) await h.driver.putResource({ accountId, typeName: 'AWS::EC2::SecurityGroup', identifier: id, properties: { GroupDescription: id } });
        const listed = await collect((t) => h.driver.listResources(accountId, {}, t));
        assert.deepEqual(listed.items.map((r) => r.identifier).sort(), ids);
      }),
    );

    it(
      'reports creation, update and deletion in the change feed, in order, after the cursor it was given',
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'feed');
        const start = await feedEnd(h.driver);
        const name = unique('feed');
        const ref = { accountId, typeName: 'AWS::S3::Bucket', identifier: name };
        await h.driver.putResource({ accountId, ...bucket(name) });
        await h.driver.putResource({ accountId, ...bucket(name, { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } }) });
        await h.driver.deleteResource(ref);
        await h.driver.putResource({ accountId, ...bucket(name) });
        const changes = await changesAfter(h.driver, start, accountId);
        assert.deepEqual(changes.map((c) => c.operation), ['CREATE', 'UPDATE', 'DELETE', 'CREATE']);
        assert.ok(changes.every((c) => c.identifier === name && c.typeName === 'AWS::S3::Bucket'));
        const mid = await h.driver.readResourceChanges(start, 2);
        const rest = await changesAfter(h.driver, mid.cursor, accountId);
        assert.deepEqual(rest.map((c) => c.operation), ['DELETE', 'CREATE'], 'a cursor resumes after the changes already read');
      }),
    );

    it(
      'hides a deleted resource from get and list, and refuses to delete it twice',
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'gone');
        const ref = { accountId, typeName: 'AWS::EC2::Volume', identifier: 'vol-0aaaaaaaaaaaaaaaa' };
        await h.driver.putResource({ ...ref, properties: { Encrypted: true } });
        await h.driver.deleteResource(ref);
        await rejectsWith(h.driver.getResource(ref), 'ResourceNotFoundException');
        await rejectsWith(h.driver.deleteResource(ref), 'ResourceNotFoundException');
        assert.deepEqual((await collect((t) => h.driver.listResources(accountId, {}, t))).items, []);
      }),
    );

    it(
      'refuses a malformed type name or region, and an account that does not exist',
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'bad-res');
        await rejectsWith(h.driver.putResource({ accountId, typeName: 'S3 bucket', identifier: 'x', properties: {} }), 'ValidationException');
        await rejectsWith(h.driver.putResource({ accountId, typeName: 'Hatoba::Account', identifier: accountId, properties: {} }), 'ValidationException');
        await rejectsWith(h.driver.putResource({ accountId, region: 'Tokyo', typeName: 'AWS::S3::Bucket', identifier: 'x', properties: {} }), 'ValidationException');
        await rejectsWith(h.driver.putResource({ accountId: '000000000001', typeName: 'AWS::S3::Bucket', identifier: 'x', properties: {} }), 'AccountNotFoundException');
        await rejectsWith(h.driver.listResources(accountId, { typeName: 'bucket' }), 'ValidationException');
      }),
    );

    it(
      "logs resource writes in the member account's trail through Cloud Control API",
      withHarness(make, async (h) => {
        const { accountId } = await createAccountNow(h, 'trail');
        const name = unique('trail');
        const region = 'ap-northeast-1';
        await h.driver.putResource({ accountId, region, ...bucket(name) });
        await h.driver.putResource({ accountId, region, ...bucket(name, { VersioningConfiguration: { Status: 'Enabled' } }) });
        await h.driver.deleteResource({ accountId, region, typeName: 'AWS::S3::Bucket', identifier: name });
        const events = (await collect((t) => h.driver.lookupEvents({ accountId }, t))).items.filter((e) => e.eventSource === 'cloudcontrolapi.amazonaws.com' && e.readOnly === false);
        assert.deepEqual(events.map((e) => e.eventName).reverse(), ['CreateResource', 'UpdateResource', 'DeleteResource']);
        assert.ok(events.every((e) => e.recipientAccountId === accountId && e.awsRegion === region));
        assert.equal(events[0]?.requestParameters?.typeName, 'AWS::S3::Bucket');
      }),
    );
  });
}
